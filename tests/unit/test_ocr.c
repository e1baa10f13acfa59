/* test_ocr.c — unit tests for ocr.c (issue 17).
 *
 * The fixture is a known Chinese passage (two lines of seed 003) rendered
 * at test time with cairo in a CJK font (fc-list :lang=zh; Noto CJK from
 * fonts-noto-cjk), and the same passage as a committed PNG
 * (tests/unit/ocr-fixture.png, env OCR_FIXTURE, written by this program's
 * --write-fixture mode through tests/unit/make-ocr-fixture.sh) for machines
 * without such a font.  The PNG is also wrapped in an image-only PDF (a
 * "scan") to test the poppler rendering path.  OCR output is checked after
 * removing the spaces between Han characters (layout.c's job; done here by
 * a small helper so the test does not depend on it): at least 80% of the
 * passage's characters come back and the phrase 科技型企业梯次培育 is found
 * contiguous.  Tests that need Tesseract skip, saying why, in a build
 * without it or where its Chinese model is missing; a build without it
 * checks the "no OCR" answers instead. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "helpers.h"
#include "ocr.h"
#include "reader.h"

#ifdef HAVE_TESSERACT
#include <cairo.h>
#include <cairo-pdf.h>
#include <fcntl.h>
#include <leptonica/allheaders.h>
#include <poppler.h>
#include <unistd.h>
#include <zlib.h>
#endif

static const char *const passage[] = {
    "一是强化科技型企业梯次培育。全力实施",
    "发展翅膀工程，加大科技赋能力度。",
};
#define NLINES (sizeof passage / sizeof passage[0])
#define PHRASE "科技型企业梯次培育"
#define FIXTURE_DPI 300              /* the passage is drawn at 12 pt at this resolution */

/* What the sink collected from one OCR run. */
typedef struct collected {
    buf    text;                     /* the lines, each followed by "\n" */
    int    pages;                    /* sink->page calls */
    int    lines;                    /* sink->line calls */
    double page_w, page_h;           /* last page size (points) */
    int    boxes_ok;                 /* 0 once a line box fell outside its page or went upwards */
    double last_top;                 /* top of the previous line */
} collected;

/* Sink: a page starts; remember its size. */
static int sink_page(void *ctx, double width, double height, ps_err *err)
{
    (void)err;
    collected *c = ctx;
    c->pages++;
    c->page_w = width;
    c->page_h = height;
    c->last_top = -1;
    return 0;
}

/* Sink: append the line, check its box. */
static int sink_line(void *ctx, const layout_line *ln, ps_err *err)
{
    collected *c = ctx;
    c->lines++;
    if (!(ln->x0 >= 0 && ln->y0 >= 0 && ln->x1 <= c->page_w + 0.5 && ln->y1 <= c->page_h + 0.5 && ln->x0 < ln->x1 &&
          ln->y0 < ln->y1 && ln->y0 > c->last_top))
        c->boxes_ok = 0;
    c->last_top = ln->y0;
    if (buf_append(&c->text, ln->text, ln->len) != 0 || buf_putc(&c->text, '\n') != 0)
        return ps_err_nomem(err);
    return 0;
}

/* Decode one UTF-8 character at s[*i] (input known valid) and advance. */
static uint32_t next_cp(const char *s, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    int n = p[0] < 0x80 ? 1 : p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
    uint32_t cp = n == 1 ? p[0] : (uint32_t)(p[0] & (0x3f >> (n - 1)));
    for (int k = 1; k < n && p[k]; k++)
        cp = (cp << 6) | (p[k] & 0x3f);
    *i += (size_t)n;
    return cp;
}

/* Han ideographs and CJK punctuation (full-width forms included). */
static int is_cjk(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff00 && cp <= 0xffef);
}

/* s with every space removed that stands between two CJK characters (what
 * layout.c does to OCR lines); malloc'd. */
static char *unspace_han(const char *s)
{
    size_t n = strlen(s), o = 0, i = 0;
    char *out = malloc(n + 1);
    assert_non_null(out);
    uint32_t prev = 0;
    while (i < n) {
        if (s[i] == ' ') {
            size_t j = i;
            while (j < n && s[j] == ' ')
                j++;
            size_t k = j;
            if (j < n && is_cjk(prev) && is_cjk(next_cp(s, &k))) {
                i = j;
                continue;
            }
        }
        size_t start = i;
        prev = next_cp(s, &i);
        memcpy(out + o, s + start, i - start);
        o += i - start;
    }
    out[o] = '\0';
    return out;
}

/* How many of the passage's CJK characters the text holds (each occurrence
 * in the text used once), out of how many. */
static void han_recall(const char *text, int *found, int *total)
{
    char *left = strdup(text);
    assert_non_null(left);
    *found = *total = 0;
    for (size_t l = 0; l < NLINES; l++) {
        size_t i = 0, n = strlen(passage[l]);
        while (i < n) {
            size_t start = i;
            uint32_t cp = next_cp(passage[l], &i);
            if (!is_cjk(cp) || (cp >= 0x3000 && cp <= 0x303f) || cp >= 0xff00)
                continue;        /* punctuation is not counted */
            (*total)++;
            char ch[5] = { 0 };
            memcpy(ch, passage[l] + start, i - start);
            char *hit = strstr(left, ch);
            if (hit) {
                (*found)++;
                memset(hit, '#', i - start);
            }
        }
    }
    free(left);
}

#ifdef HAVE_TESSERACT

/* The checks every OCR of the passage must pass. */
static void check_passage(const collected *c)
{
    assert_int_equal(c->pages, 1);
    assert_true(c->lines >= (int)NLINES);
    assert_true(c->boxes_ok);
    assert_non_null(c->text.data);
    char *joined = unspace_han(c->text.data);
    int found, total;
    han_recall(joined, &found, &total);
    print_message("# OCR read: %s# recall %d/%d Han characters\n", joined, found, total);
    assert_true(found * 10 >= total * 8);
    assert_non_null(strstr(joined, PHRASE));
    free(joined);
}

/* The first family of a font that covers Chinese (fc-list :lang=zh), or
 * NULL when there is none. */
static char *cjk_font(void)
{
    FILE *p = popen("fc-list :lang=zh family 2>/dev/null", "r");
    if (!p)
        return NULL;
    char line[512] = "";
    char *got = fgets(line, sizeof line, p);
    pclose(p);
    if (!got)
        return NULL;
    line[strcspn(line, ",\n")] = '\0';
    return line[0] ? strdup(line) : NULL;
}

/* The passage drawn black on white, 12 pt at FIXTURE_DPI, in font family. */
static cairo_surface_t *render_passage(const char *family)
{
    const double px = 12.0 * FIXTURE_DPI / 72.0;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(px * 22), (int)(px * (NLINES * 1.8 + 2)));
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, family, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, px);
    for (size_t l = 0; l < NLINES; l++) {
        cairo_move_to(cr, px, px * (2 + 1.8 * (double)l));
        cairo_show_text(cr, passage[l]);
    }
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

/* Engine shared by the group (loading the models takes a while). */
typedef struct fixture {
    ocr_engine *e;                   /* NULL when OCR cannot run here */
    char        why[600];            /* why not, for the skip message */
    char       *font;                /* a CJK font family, or NULL */
} fixture;

static int group_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    ps_err err = PS_ERR_INIT;
    f->e = ocr_open(&err);
    if (!f->e)
        snprintf(f->why, sizeof f->why, "%s", err.msg);
    f->font = cjk_font();
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    fixture *f = *state;
    ocr_close(f->e);
    free(f->font);
    free(f);
    return 0;
}

/* Skip (with the reason) when OCR cannot run here. */
#define NEED_ENGINE(f)                                                      \
    do {                                                                    \
        if (!(f)->e) {                                                      \
            print_message("# SKIP: OCR unavailable: %s\n", (f)->why);       \
            skip();                                                         \
        }                                                                   \
    } while (0)

/* Read the committed PNG fixture; NULL (after saying why) when missing. */
static unsigned char *read_fixture(size_t *len)
{
    const char *path = getenv("OCR_FIXTURE");
    if (!path)
        path = "tests/unit/ocr-fixture.png";
    unsigned char *data = (unsigned char *)read_whole(path, len);
    if (!data)
        print_message("# fixture %s not found\n", path);
    return data;
}

/* Run ocr_image_to on data with fd 2 pointing at a temporary file; returns
 * its rc and sets *said to the number of bytes written to stderr meanwhile
 * (the library must print nothing, whatever the file). */
static int quiet_image(ocr_engine *e, const unsigned char *data, size_t len, collected *c, ps_err *err, long *said)
{
    char path[] = "/tmp/test_ocr_stderr.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    assert_true(saved >= 0);
    assert_true(dup2(fd, 2) >= 0);
    ocr_sink sink = { sink_page, sink_line, c };
    int rc = ocr_image_to(e, data, len, &sink, err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    *said = lseek(fd, 0, SEEK_END);
    close(fd);
    unlink(path);
    return rc;
}

/* The engine and the PNG fixture, or skip (engine) or fail (fixture). */
static unsigned char *need_fixture(fixture *f, size_t *len)
{
    NEED_ENGINE(f);
    unsigned char *png = read_fixture(len);
    assert_non_null(png);
    return png;
}

/* The passage rendered now in a CJK font, handed over as RGBA pixels. */
static void test_rendered_passage(void **state)
{
    fixture *f = *state;
    NEED_ENGINE(f);
    if (!f->font) {
        print_message("# SKIP: no CJK font (fc-list :lang=zh is empty; install fonts-noto-cjk)\n");
        skip();
    }
    cairo_surface_t *s = render_passage(f->font);
    collected c = { BUF_INIT, 0, 0, 0, 0, 1, -1 };
    ocr_sink sink = { sink_page, sink_line, &c };
    ps_err err = PS_ERR_INIT;
    int rc = ocr_pixels(f->e, cairo_image_surface_get_data(s), cairo_image_surface_get_width(s),
                        cairo_image_surface_get_height(s), 4, cairo_image_surface_get_stride(s), FIXTURE_DPI, &sink,
                        &err);
    assert_int_equal(rc, 0);
    assert_true(c.page_w > 0 && c.page_w < cairo_image_surface_get_width(s)); /* points, not pixels */
    check_passage(&c);
    cairo_surface_destroy(s);
    buf_free(&c.text);
}

/* The committed PNG through libpng (ocr_image_to). */
static void test_png_fixture(void **state)
{
    fixture *f = *state;
    size_t len;
    unsigned char *png = need_fixture(f, &len);
    assert_true(ocr_is_image(png, len));
    collected c = { BUF_INIT, 0, 0, 0, 0, 1, -1 };
    ocr_sink sink = { sink_page, sink_line, &c };
    ps_err err = PS_ERR_INIT;
    assert_int_equal(ocr_image_to(f->e, png, len, &sink, &err), 0);
    check_passage(&c);
    buf_free(&c.text);

    /* Cut short, the same file is damaged, not a crash, and nothing is
     * printed (libpng's own handlers would). */
    ps_err_clear(&err);
    long said;
    assert_int_equal(quiet_image(f->e, png, len / 3, &c, &err, &said), -1);
    assert_int_equal(err.code, PS_INPUT);
    assert_int_equal(said, 0);
    free(png);
}

/* cairo's PNG reader over a memory block. */
typedef struct mem_reader {
    const unsigned char *p;          /* the bytes */
    size_t               left;       /* bytes not yet read */
} mem_reader;

/* cairo read callback over a mem_reader. */
static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int length)
{
    mem_reader *m = closure;
    if (length > m->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, m->p, length);
    m->p += length;
    m->left -= length;
    return CAIRO_STATUS_SUCCESS;
}

/* cairo write callback appending to a buf. */
static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int length)
{
    return buf_append(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* A scan: the PNG fixture as the only content of an A4-wide PDF page (no
 * text layer), rendered by poppler at 300 dpi and recognised. */
static void test_image_only_pdf(void **state)
{
    fixture *f = *state;
    size_t len;
    unsigned char *png = need_fixture(f, &len);
    mem_reader m = { png, len };
    cairo_surface_t *img = cairo_image_surface_create_from_png_stream(read_mem, &m);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    double wpt = cairo_image_surface_get_width(img) * 72.0 / FIXTURE_DPI;
    double hpt = cairo_image_surface_get_height(img) * 72.0 / FIXTURE_DPI;
    buf pdf = BUF_INIT;
    cairo_surface_t *ps = cairo_pdf_surface_create_for_stream(write_buf, &pdf, wpt, hpt);
    cairo_t *cr = cairo_create(ps);
    cairo_scale(cr, 72.0 / FIXTURE_DPI, 72.0 / FIXTURE_DPI);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_finish(ps);
    assert_int_equal(cairo_surface_status(ps), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(ps);
    cairo_surface_destroy(img);
    free(png);

    GBytes *bytes = g_bytes_new(pdf.data, pdf.len);
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, NULL);
    assert_non_null(doc);
    PopplerPage *page = poppler_document_get_page(doc, 0);
    assert_non_null(page);
    char *layer = poppler_page_get_text(page);
    assert_true(!layer || !*layer); /* really no text layer */
    g_free(layer);

    ocr_bitmap bm = OCR_BITMAP_INIT;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(ocr_render_pdf_page(page, 300, &bm, &err), 0);
    assert_int_equal(bm.dpi, 300);
    assert_true(bm.width >= (int)(wpt * 300 / 72) && bm.width <= (int)(wpt * 300 / 72) + 1);
    collected c = { BUF_INIT, 0, 0, 0, 0, 1, -1 };
    ocr_sink sink = { sink_page, sink_line, &c };
    assert_int_equal(ocr_pixels(f->e, bm.pixels, bm.width, bm.height, 1, bm.bytes_per_line, bm.dpi, &sink, &err), 0);
    check_passage(&c);
    assert_true(c.page_w > wpt - 1 && c.page_w < wpt + 1); /* page size in points */
    ocr_bitmap_free(&bm);
    assert_null(bm.pixels);

    /* A poster-sized page is rendered at the resolution that fits. */
    assert_int_equal(ocr_render_pdf_page(page, 2400, &bm, &err), 0);
    assert_true(bm.width <= OCR_MAX_SIDE && bm.height <= OCR_MAX_SIDE);
    ocr_bitmap_free(&bm);

    /* The layout path runs too (layout.c may be a placeholder: only rc). */
    layout *l = layout_new();
    assert_non_null(l);
    assert_int_equal(ocr_pdf_page(f->e, page, 150, l, &err), 0);
    layout_free(l);

    buf_free(&c.text);
    g_object_unref(page);
    g_object_unref(doc);
    g_bytes_unref(bytes);
    buf_free(&pdf);
}

/* Append a PNG chunk (length, type, data, CRC). */
static void png_chunk(buf *b, const char *type, const unsigned char *data, uint32_t n)
{
    unsigned char be[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8),
                            (unsigned char)n };
    assert_int_equal(buf_append(b, be, 4), 0);
    size_t at = b->len;
    assert_int_equal(buf_append(b, type, 4), 0);
    if (n)
        assert_int_equal(buf_append(b, data, n), 0);
    uLong crc = crc32(0, (const Bytef *)b->data + at, (uInt)(n + 4));
    unsigned char c[4] = { (unsigned char)(crc >> 24), (unsigned char)(crc >> 16), (unsigned char)(crc >> 8),
                           (unsigned char)crc };
    assert_int_equal(buf_append(b, c, 4), 0);
}

/* Bounds: sizes, resolutions and files OCR must refuse without trying. */
static void test_limits(void **state)
{
    fixture *f = *state;
    NEED_ENGINE(f);
    collected c = { BUF_INIT, 0, 0, 0, 0, 1, -1 };
    ocr_sink sink = { sink_page, sink_line, &c };
    unsigned char px[16] = { 0 };
    ps_err err = PS_ERR_INIT;
    assert_int_equal(ocr_pixels(f->e, px, OCR_MAX_SIDE + 1, 1, 1, OCR_MAX_SIDE + 1, 300, &sink, &err), -1);
    assert_int_equal(err.code, PS_INPUT);
    ps_err_clear(&err);
    assert_int_equal(ocr_pixels(f->e, px, 4, 4, 1, 4, 10, &sink, &err), -1);
    assert_int_equal(err.code, PS_USAGE);
    ps_err_clear(&err);
    assert_int_equal(ocr_pixels(f->e, px, 4, 4, 2, 8, 300, &sink, &err), -1);
    assert_int_equal(err.code, PS_USAGE);
    ps_err_clear(&err);

    /* A 60 000 x 60 000 PNG of a few bytes: refused from its header. */
    buf b = BUF_INIT;
    assert_int_equal(buf_append(&b, "\x89PNG\r\n\x1a\n", 8), 0);
    unsigned char ihdr[13] = { 0, 0, 0xea, 0x60, 0, 0, 0xea, 0x60, 8, 0, 0, 0, 0 };
    png_chunk(&b, "IHDR", ihdr, sizeof ihdr);
    unsigned char z[64];
    uLongf zn = sizeof z;
    unsigned char row[2] = { 0, 0 };
    assert_int_equal(compress(z, &zn, row, sizeof row), Z_OK);
    png_chunk(&b, "IDAT", z, (uint32_t)zn);
    png_chunk(&b, "IEND", NULL, 0);
    assert_int_equal(ocr_image_to(f->e, (unsigned char *)b.data, b.len, &sink, &err), -1);
    assert_int_equal(err.code, PS_INPUT);
    assert_non_null(strstr(err.msg, "60000 x 60000"));
    ps_err_clear(&err);
    buf_free(&b);

    /* Not an image at all. */
    assert_int_equal(ocr_image_to(f->e, (const unsigned char *)"%PDF-1.4", 8, &sink, &err), -1);
    assert_int_equal(err.code, PS_SKIP);
    assert_int_equal(c.pages, 0);
    buf_free(&c.text);
}

/* The fixture as JPEG and as a two-page TIFF (written with Leptonica), read
 * back; damaged copies of each fail or succeed without a word on stderr. */
static void test_jpeg_tiff(void **state)
{
    fixture *f = *state;
    size_t len;
    unsigned char *png = need_fixture(f, &len);
    PIX *pix = pixReadMemPng(png, len);
    assert_non_null(pix);
    free(png);
    pixSetResolution(pix, FIXTURE_DPI, FIXTURE_DPI);
    l_uint8 *jpg = NULL, *tif = NULL;
    size_t jlen = 0, tlen = 0;
    assert_int_equal(pixWriteMemJpeg(&jpg, &jlen, pix, 90, 0), 0);
    PIXA *pa = pixaCreate(2);
    assert_int_equal(pixaAddPix(pa, pix, L_COPY), 0);
    assert_int_equal(pixaAddPix(pa, pix, L_COPY), 0);
    assert_int_equal(pixaWriteMemMultipageTiff(&tif, &tlen, pa), 0);
    pixaDestroy(&pa);
    pixDestroy(&pix);

    collected c = { BUF_INIT, 0, 0, 0, 0, 1, -1 };
    ps_err err = PS_ERR_INIT;
    long said;
    assert_int_equal(quiet_image(f->e, jpg, jlen, &c, &err, &said), 0);
    assert_int_equal(said, 0);
    check_passage(&c);
    buf_free(&c.text);

    collected t = { BUF_INIT, 0, 0, 0, 0, 1, -1 };
    assert_int_equal(quiet_image(f->e, tif, tlen, &t, &err, &said), 0);
    assert_int_equal(said, 0);
    assert_int_equal(t.pages, 2);
    assert_non_null(strstr(t.text.data, "梯次")); /* both pages read */
    assert_non_null(strstr(strstr(t.text.data, "梯次") + 1, "梯次"));
    buf_free(&t.text);

    /* Truncated or overwritten in the middle: no crash, no message. */
    for (int k = 0; k < 2; k++) {
        unsigned char *d = k ? tif : jpg;
        size_t n = k ? tlen : jlen;
        collected b = { BUF_INIT, 0, 0, 0, 0, 1, -1 };
        ps_err_clear(&err);
        int rc = quiet_image(f->e, d, n / 2, &b, &err, &said);
        assert_true(rc == 0 || err.code == PS_INPUT);
        assert_int_equal(said, 0);
        memset(d + n / 3, 0x55, 200);
        ps_err_clear(&err);
        rc = quiet_image(f->e, d, n, &b, &err, &said);
        assert_true(rc == 0 || err.code == PS_INPUT);
        assert_int_equal(said, 0);
        buf_free(&b.text);
    }
    lept_free(jpg);
    lept_free(tif);
}

/* A tessdata directory without the Chinese models: ocr_open names the
 * missing one (Tesseract itself would go on with the models it has). */
static void test_missing_model(void **state)
{
    fixture *f = *state;
    NEED_ENGINE(f);
    char dir[] = "/tmp/test_ocr_tessdata.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char eng[PATH_MAX];
    snprintf(eng, sizeof eng, "%s/eng.traineddata", dir);
    const char *have = getenv("TESSDATA_PREFIX");
    char *saved = have ? strdup(have) : NULL;
    int linked = 0;
    static const char *const dirs[] = { "/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata" };
    for (size_t i = 0; i < 2 && !linked; i++) {
        char from[PATH_MAX];
        snprintf(from, sizeof from, "%s/eng.traineddata", have ? have : dirs[i]);
        linked = access(from, R_OK) == 0 && symlink(from, eng) == 0;
    }
    setenv("TESSDATA_PREFIX", dir, 1);
    ps_err err = PS_ERR_INIT;
    ocr_engine *e = ocr_open(&err);
    if (saved)
        setenv("TESSDATA_PREFIX", saved, 1);
    else
        unsetenv("TESSDATA_PREFIX");
    free(saved);
    unlink(eng);
    rmdir(dir);
    assert_null(e);
    assert_int_equal(err.code, PS_USAGE);
    assert_non_null(strstr(err.msg, "chi_sim"));
    assert_non_null(strstr(err.msg, "tesseract-ocr-chi-sim"));
    print_message("# %s (eng linked: %d)\n", err.msg, linked);
}

/* --write-fixture PATH: the passage as the committed PNG (see
 * make-ocr-fixture.sh).  Returns the exit status. */
static int write_fixture(const char *path)
{
    char *font = cjk_font();
    if (!font) {
        fprintf(stderr, "test_ocr: no CJK font (install fonts-noto-cjk)\n");
        return 1;
    }
    cairo_surface_t *s = render_passage(font);
    cairo_status_t st = cairo_surface_write_to_png(s, path);
    cairo_surface_destroy(s);
    free(font);
    if (st != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "test_ocr: %s: %s\n", path, cairo_status_to_string(st));
        return 1;
    }
    return 0;
}

#else /* !HAVE_TESSERACT */

/* Every entry point says what the build lacks, in the one wording. */
static void test_no_ocr_build(void **state)
{
    (void)state;
    assert_int_equal(ocr_available(), 0);
    ps_err err = PS_ERR_INIT;
    assert_null(ocr_open(&err));
    assert_int_equal(err.code, PS_USAGE);
    assert_string_equal(err.msg, "this build has no OCR (configure found no tesseract)");
    ps_err_clear(&err);
    unsigned char px[4] = { 0 };
    assert_int_equal(ocr_page(NULL, px, 2, 2, 1, 2, 300, NULL, &err), -1);
    assert_int_equal(err.code, PS_USAGE);
    ps_err_clear(&err);
    assert_int_equal(ocr_image(NULL, px, sizeof px, NULL, &err), -1);
    assert_int_equal(err.code, PS_USAGE);
    ps_err_clear(&err);
    collected c = { BUF_INIT, 0, 0, 0, 0, 1, -1 };
    ocr_sink sink = { sink_page, sink_line, &c };
    assert_int_equal(ocr_pixels(NULL, px, 2, 2, 1, 2, 300, &sink, &err), -1);
    assert_int_equal(err.code, PS_USAGE);
    ps_err_clear(&err);
    assert_int_equal(ocr_image_to(NULL, px, sizeof px, &sink, &err), -1);
    assert_int_equal(err.code, PS_USAGE);
    assert_int_equal(c.pages + c.lines, 0);
    ps_err_clear(&err);
    ocr_bitmap bm = OCR_BITMAP_INIT;
    assert_int_equal(ocr_render_pdf_page(NULL, 300, &bm, &err), -1);
    assert_int_equal(err.code, PS_USAGE);
    assert_null(bm.pixels);
    ocr_close(NULL);
}

#endif

/* Image files are known by their first bytes, in every build. */
static void test_is_image(void **state)
{
    (void)state;
    assert_true(ocr_is_image((const unsigned char *)"\x89PNG\r\n\x1a\n....", 12));
    assert_true(ocr_is_image((const unsigned char *)"\xff\xd8\xff\xe0", 4));
    assert_true(ocr_is_image((const unsigned char *)"II*\0\x08\0\0\0", 8));
    assert_true(ocr_is_image((const unsigned char *)"MM\0*\0\0\0\x08", 8));
    assert_false(ocr_is_image((const unsigned char *)"%PDF-1.7", 8));
    assert_false(ocr_is_image((const unsigned char *)"\x89PNG", 4));
    assert_false(ocr_is_image((const unsigned char *)"", 0));
    assert_false(ocr_is_image(NULL, 10));
}

/* Images are a format of their own ("image"), found by content, and
 * without OCR asked for they are skipped with the reason, in every build;
 * a reader without opts->engine cannot open one. */
static void test_image_format(void **state)
{
    (void)state;
    const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_int_equal(reader_detect(png, sizeof png - 1), FMT_IMAGE);
    assert_int_equal(reader_detect((const unsigned char *)"\xff\xd8\xff\xe0\0\x10JFIF", 10), FMT_IMAGE);
    assert_int_equal(reader_detect((const unsigned char *)"%PDF-1.7\n", 9), FMT_PDF);
    assert_string_equal(reader_format_name(FMT_IMAGE), "image");
    assert_int_equal(reader_format_by_name("image"), FMT_IMAGE);
    reader_opts o = { .max_size = 1u << 20 };
    reader_out out = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(reader_image(png, sizeof png - 1, &o, &out, &err), -1);
    assert_int_equal(err.code, PS_SKIP);
    assert_string_equal(err.msg, "image (read it with --ocr)");
    assert_null(out.text.data);
    ps_err_clear(&err);
    o.ocr = 1;                       /* no engine pointer: refused, nothing opened */
    assert_null(reader_ocr_engine(&o, &err));
    assert_int_equal(err.code, PS_USAGE);
}

/* The helper itself: spaces between Han go, others stay. */
static void test_unspace_helper(void **state)
{
    (void)state;
    char *s = unspace_han("科 技 型 企业 梯次 , 2023 年 OCR text 第 380 号");
    assert_string_equal(s, "科技型企业梯次 , 2023 年 OCR text 第 380 号");
    free(s);
    collected c = { BUF_INIT, 1, (int)NLINES, 100, 100, 1, -1 };
    for (size_t l = 0; l < NLINES; l++) {
        assert_int_equal(buf_puts(&c.text, passage[l]), 0);
        assert_int_equal(buf_putc(&c.text, '\n'), 0);
    }
    int found, total;
    han_recall(c.text.data, &found, &total);
    assert_int_equal(found, total);
    assert_true(total > 20);
    buf_free(&c.text);
}

int main(int argc, char **argv)
{
#ifdef HAVE_TESSERACT
    if (argc == 3 && strcmp(argv[1], "--write-fixture") == 0)
        return write_fixture(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_image),
        cmocka_unit_test(test_image_format),
        cmocka_unit_test(test_unspace_helper),
        cmocka_unit_test(test_rendered_passage),
        cmocka_unit_test(test_png_fixture),
        cmocka_unit_test(test_jpeg_tiff),
        cmocka_unit_test(test_image_only_pdf),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_missing_model),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
#else
    (void)argc;
    (void)argv;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_image),
        cmocka_unit_test(test_image_format),
        cmocka_unit_test(test_unspace_helper),
        cmocka_unit_test(test_no_ocr_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
#endif
}
