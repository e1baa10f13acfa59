/* ocr.c — text from page images with Tesseract (ocr.h). */
#include "config.h"

#include "ocr.h"
#include "reader.h"

#include <stdlib.h>
#include <string.h>

#define NO_OCR_MSG "this build has no OCR (configure found no tesseract)"

/* PNG, JPEG (any JFIF/Exif flavour: FF D8 FF) and TIFF (either byte order)
 * by their first bytes. */
int ocr_is_image(const unsigned char *data, size_t len)
{
    return reader_is_image(data, len);
}

/* Zero the bitmap's fields after freeing its pixels (both builds). */
void ocr_bitmap_free(ocr_bitmap *bm)
{
    if (!bm)
        return;
    free(bm->pixels);
    *bm = (ocr_bitmap)OCR_BITMAP_INIT;
}

#ifdef HAVE_TESSERACT

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include <jpeglib.h>
#include <leptonica/allheaders.h>
#include <png.h>
#include <poppler.h>
#include <setjmp.h>
#include <tesseract/capi.h>
#if defined HAVE_OMP_H && defined HAVE_OMP_SET_MAX_ACTIVE_LEVELS
#include <omp.h>
#define SERIAL_OPENMP() omp_set_max_active_levels(0)
#else
#define SERIAL_OPENMP() ((void)0)
#endif

#define DPI_MIN 50                   /* lowest resolution accepted by ocr_pixels */
#define DPI_MAX 2400                 /* highest */
#define TIFF_MAX_PAGES 10000         /* pages of one TIFF read at most */

struct ocr_engine {
    TessBaseAPI *api;                /* Tesseract, initialised with its models */
    ETEXT_DESC  *monitor;            /* carries the per-page deadline */
};

/* 1: this build has OCR. */
int ocr_available(void)
{
    return 1;
}

/* Name the first model of langs ("a+b+c") that is not in Tesseract's data
 * directory, after Init failed; the message says what to install. */
static void explain_init_failure(TessBaseAPI *api, const char *langs, ps_err *err)
{
    const char *dir = TessBaseAPIGetDatapath(api);
    for (const char *m = langs; dir && *dir && *m;) {
        size_t n = strcspn(m, "+");
        char path[1024];
        int k = snprintf(path, sizeof path, "%s%s%.*s.traineddata", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                         (int)n, m);
        if (k > 0 && (size_t)k < sizeof path && access(path, R_OK) != 0) {
            ps_err_set(err, PS_USAGE,
                       "OCR model %.*s not found in %s: install the Debian packages tesseract-ocr-chi-sim "
                       "tesseract-ocr-chi-tra tesseract-ocr-eng (or set TESSDATA_PREFIX)", (int)n, m, dir);
            return;
        }
        m += n + (m[n] == '+');
    }
    ps_err_set(err, PS_USAGE,
               "tesseract could not load its models (%s): install the Debian packages tesseract-ocr-chi-sim "
               "tesseract-ocr-chi-tra tesseract-ocr-eng (or set TESSDATA_PREFIX)", langs);
}

/* 1 when every model of langs ("a+b+c") is among those Tesseract loaded. */
static int all_loaded(TessBaseAPI *api, const char *langs)
{
    char **loaded = TessBaseAPIGetLoadedLanguagesAsVector(api);
    int all = loaded != NULL;
    for (const char *m = langs; all && *m;) {
        size_t n = strcspn(m, "+");
        int found = 0;
        for (char **l = loaded; *l && !found; l++)
            found = strlen(*l) == n && memcmp(*l, m, n) == 0;
        all = found;
        m += n + (m[n] == '+');
    }
    if (loaded)
        TessDeleteTextArray(loaded);
    return all;
}

/* Leptonica's stderr handler: say nothing. */
static void lept_silent(const char *msg)
{
    (void)msg;
}

/* Leptonica's messages off (process-wide settings: made once). */
static void quiet_leptonica(void)
{
    setMsgSeverity(L_SEVERITY_NONE);
    leptSetStderrHandler(lept_silent);
}

/* Create and initialise Tesseract quietly: its messages go to /dev/null
 * (debug_file, set before Init so that Init's own complaints go there too),
 * Leptonica's (and libtiff's, which it passes on) are switched off
 * process-wide. */
static ocr_engine *ocr_open_langs(const char *langs, ps_err *err)
{
    if (!langs || !*langs) {
        ps_err_set(err, PS_USAGE, "no OCR models named");
        return NULL;
    }
    static pthread_once_t quiet = PTHREAD_ONCE_INIT;
    pthread_once(&quiet, quiet_leptonica);
    ocr_engine *e = calloc(1, sizeof *e);
    if (!e) {
        ps_err_nomem(err);
        return NULL;
    }
    e->api = TessBaseAPICreate();
    e->monitor = TessMonitorCreate();
    if (!e->api || !e->monitor) {
        ocr_close(e);
        ps_err_nomem(err);
        return NULL;
    }
    TessBaseAPISetVariable(e->api, "debug_file", "/dev/null");
    /* Init fails only when no model loads at all: a missing one among
     * several is found by comparing what loaded. */
    if (TessBaseAPIInit2(e->api, NULL, langs, OEM_LSTM_ONLY) != 0 || !all_loaded(e->api, langs)) {
        explain_init_failure(e->api, langs, err);
        ocr_close(e);
        return NULL;
    }
    /* Init resets the variables it reads from the models' configs: set ours
     * after it.  Han text is not spaced; lines are found on the whole page. */
    if (!TessBaseAPISetVariable(e->api, "debug_file", "/dev/null") ||
        !TessBaseAPISetVariable(e->api, "preserve_interword_spaces", "1")) {
        ps_err_set(err, PS_USAGE, "tesseract refused a setting (debug_file, preserve_interword_spaces)");
        ocr_close(e);
        return NULL;
    }
    TessBaseAPISetPageSegMode(e->api, PSM_AUTO);
    return e;
}

/* The default models. */
ocr_engine *ocr_open(ps_err *err)
{
    return ocr_open_langs(OCR_LANGS, err);
}

/* End Tesseract and free everything the engine holds. */
void ocr_close(ocr_engine *e)
{
    if (!e)
        return;
    if (e->api) {
        TessBaseAPIEnd(e->api);
        TessBaseAPIDelete(e->api);
    }
    if (e->monitor)
        TessMonitorDelete(e->monitor);
    free(e);
}

/* Hand one line to the sink: text trimmed of the line break and blanks
 * Tesseract puts at its ends, box converted from pixels to points.  An
 * empty line is dropped. */
static int emit_line(const char *text, int left, int top, int right, int bottom, double pt_per_px,
                     const ocr_sink *sink, ps_err *err)
{
    size_t b = 0, n = strlen(text);
    while (b < n && (text[b] == ' ' || text[b] == '\n' || text[b] == '\t'))
        b++;
    while (n > b && (text[n - 1] == ' ' || text[n - 1] == '\n' || text[n - 1] == '\t'))
        n--;
    if (n == b)
        return 0;
    layout_line ln = { text + b, n - b, left * pt_per_px, top * pt_per_px, right * pt_per_px, bottom * pt_per_px };
    return sink->line(sink->ctx, &ln, err) == 0 ? 0 : -1;
}

/* Recognise the image already set in e->api (width × height pixels at dpi)
 * and feed the page and its lines to the sink.  Clears Tesseract's page
 * results before returning. */
static int recognise(ocr_engine *e, int width, int height, int dpi, const ocr_sink *sink, ps_err *err)
{
    double pt_per_px = 72.0 / dpi;
    int rc = 0;
    /* Tesseract's OpenMP threads (4 per LSTM step) spin against polsearch's
     * own -j threads and anything else on the machine: run this thread's
     * parallel regions on itself (an OpenMP setting of the calling thread). */
    SERIAL_OPENMP();
    TessBaseAPISetSourceResolution(e->api, dpi);
    TessMonitorSetDeadlineMSecs(e->monitor, OCR_PAGE_SECONDS * 1000);
    time_t start = time(NULL);
    if (TessBaseAPIRecognize(e->api, e->monitor) != 0) {
        TessBaseAPIClear(e->api);
        if (time(NULL) - start >= OCR_PAGE_SECONDS)
            return ps_err_set(err, PS_SKIP, "OCR of a page stopped after %d s", OCR_PAGE_SECONDS), -1;
        return ps_err_set(err, PS_SKIP, "OCR failed on a page of %d x %d pixels", width, height), -1;
    }
    if (sink->page(sink->ctx, width * pt_per_px, height * pt_per_px, err) != 0) {
        TessBaseAPIClear(e->api);
        return -1;
    }
    TessResultIterator *it = TessBaseAPIGetIterator(e->api);
    if (it) {
        const TessPageIterator *pi = TessResultIteratorGetPageIteratorConst(it);
        do {
            int left, top, right, bottom;
            char *text = TessResultIteratorGetUTF8Text(it, RIL_TEXTLINE);
            if (text && TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &left, &top, &right, &bottom))
                rc = emit_line(text, left, top, right, bottom, pt_per_px, sink, err);
            TessDeleteText(text);
        } while (rc == 0 && TessResultIteratorNext(it, RIL_TEXTLINE));
        TessResultIteratorDelete(it);
    }
    TessBaseAPIClear(e->api);
    return rc;
}

/* Check the geometry, hand the pixels to Tesseract (which copies them) and
 * recognise. */
int ocr_pixels(ocr_engine *e, const unsigned char *pixels, int width, int height, int bytes_per_pixel,
               int bytes_per_line, int dpi, const ocr_sink *sink, ps_err *err)
{
    if (!e || !pixels || !sink || !sink->page || !sink->line)
        return ps_err_set(err, PS_USAGE, "ocr_pixels: no engine, pixels or sink"), -1;
    if (bytes_per_pixel != 1 && bytes_per_pixel != 3 && bytes_per_pixel != 4)
        return ps_err_set(err, PS_USAGE, "ocr_pixels: %d bytes per pixel (1, 3 or 4)", bytes_per_pixel), -1;
    if (dpi < DPI_MIN || dpi > DPI_MAX)
        return ps_err_set(err, PS_USAGE, "OCR resolution %d dpi outside %d..%d", dpi, DPI_MIN, DPI_MAX), -1;
    if (width < 1 || height < 1 || width > OCR_MAX_SIDE || height > OCR_MAX_SIDE)
        return ps_err_set(err, PS_INPUT, "page image of %d x %d pixels: OCR reads at most %d x %d", width, height,
                          OCR_MAX_SIDE, OCR_MAX_SIDE), -1;
    if (bytes_per_line < width * bytes_per_pixel)
        return ps_err_set(err, PS_USAGE, "ocr_pixels: %d bytes per line for %d pixels of %d bytes", bytes_per_line,
                          width, bytes_per_pixel), -1;
    TessBaseAPISetImage(e->api, pixels, width, height, bytes_per_pixel, bytes_per_line);
    return recognise(e, width, height, dpi, sink, err);
}

/* The size check before any decoding: a header over OCR_MAX_SIDE is refused
 * so that a small file cannot make a decoder allocate a huge bitmap. */
static int check_header(const char *what, long w, long h, ps_err *err)
{
    if (w < 1 || h < 1)
        return ps_err_set(err, PS_INPUT, "damaged %s (no size in its header)", what), -1;
    if (w > OCR_MAX_SIDE || h > OCR_MAX_SIDE)
        return ps_err_set(err, PS_INPUT, "%s of %ld x %ld pixels: OCR reads at most %d x %d", what, w, h,
                          OCR_MAX_SIDE, OCR_MAX_SIDE), -1;
    return 0;
}

/* A resolution stated by an image file, when it is one OCR can use. */
static int usable_dpi(double dpi)
{
    return dpi >= 70 && dpi <= DPI_MAX ? (int)(dpi + 0.5) : OCR_DEFAULT_DPI;
}

/* PNG through libpng's simplified API (which keeps its messages in
 * im.message instead of printing them), decoded to grey on white. */
static int image_png(ocr_engine *e, const unsigned char *data, size_t len, const ocr_sink *sink, ps_err *err)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&im, data, len)) {
        png_image_free(&im);
        return ps_err_set(err, PS_INPUT, "damaged PNG (%s)", im.message), -1;
    }
    if (check_header("PNG", (long)im.width, (long)im.height, err) != 0) {
        png_image_free(&im);
        return -1;
    }
    im.format = PNG_FORMAT_GRAY;
    size_t stride = im.width;
    unsigned char *px = malloc(stride * im.height);
    if (!px) {
        png_image_free(&im);
        return ps_err_nomem(err), -1;
    }
    png_color white = { 255, 255, 255 };
    if (!png_image_finish_read(&im, &white, px, (png_int_32)stride, NULL)) {
        png_image_free(&im);
        free(px);
        return ps_err_set(err, PS_INPUT, "damaged PNG (%s)", im.message), -1;
    }
    int rc = ocr_pixels(e, px, (int)im.width, (int)im.height, 1, (int)stride, OCR_DEFAULT_DPI, sink, err);
    free(px);
    return rc;
}

/* libjpeg's error manager, made quiet: a fatal error jumps back with its
 * message, warnings (a truncated file) are not printed. */
typedef struct jpeg_quiet {
    struct jpeg_error_mgr mgr;       /* libjpeg's own (first: libjpeg casts to it) */
    jmp_buf               jump;      /* where a fatal error returns to */
    char                  msg[JMSG_LENGTH_MAX]; /* that error's message */
} jpeg_quiet;

/* error_exit: keep the message, jump back to image_jpeg. */
static void jpeg_fail(j_common_ptr ci)
{
    jpeg_quiet *q = (jpeg_quiet *)(void *)ci->err;
    (*ci->err->format_message)(ci, q->msg);
    longjmp(q->jump, 1);
}

/* output_message: say nothing. */
static void jpeg_silent(j_common_ptr ci)
{
    (void)ci;
}

/* JPEG through libjpeg, decoded to grey (CMYK and YCCK, as Adobe writes
 * them inverted, folded to grey here). */
static int image_jpeg(ocr_engine *e, const unsigned char *data, size_t len, const ocr_sink *sink, ps_err *err)
{
    struct jpeg_decompress_struct ci;
    jpeg_quiet q;
    unsigned char *volatile px = NULL;
    unsigned char *volatile row = NULL;
    ci.err = jpeg_std_error(&q.mgr);
    q.mgr.error_exit = jpeg_fail;
    q.mgr.output_message = jpeg_silent;
    q.msg[0] = '\0';
    if (setjmp(q.jump)) {
        jpeg_destroy_decompress(&ci);
        free(px);
        free(row);
        return ps_err_set(err, PS_INPUT, "damaged JPEG (%s)", q.msg), -1;
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, data, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    if (check_header("JPEG", (long)ci.image_width, (long)ci.image_height, err) != 0) {
        jpeg_destroy_decompress(&ci);
        return -1;
    }
    int cmyk = ci.jpeg_color_space == JCS_CMYK || ci.jpeg_color_space == JCS_YCCK;
    ci.out_color_space = cmyk ? JCS_CMYK : JCS_GRAYSCALE;
    jpeg_start_decompress(&ci);
    size_t w = ci.output_width, h = ci.output_height;
    px = malloc(w * h);
    row = cmyk ? malloc(w * 4) : NULL;
    if (!px || (cmyk && !row)) {
        jpeg_destroy_decompress(&ci);
        free(px);
        free(row);
        return ps_err_nomem(err), -1;
    }
    while (ci.output_scanline < h) {
        unsigned char *out = px + (size_t)ci.output_scanline * w;
        JSAMPROW r = cmyk ? row : out;
        if (jpeg_read_scanlines(&ci, &r, 1) != 1)
            break;
        for (size_t x = 0; cmyk && x < w; x++) {
            const unsigned char *c = row + 4 * x; /* inverted: 255 = no ink */
            unsigned k = c[3];
            out[x] = (unsigned char)((77u * c[0] * k / 255 + 150u * c[1] * k / 255 + 29u * c[2] * k / 255) >> 8);
        }
    }
    double dpi = ci.density_unit == 1 ? ci.X_density : ci.density_unit == 2 ? ci.X_density * 2.54 : 0;
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    free(row);
    int rc = ocr_pixels(e, px, (int)w, (int)h, 1, (int)w, usable_dpi(dpi), sink, err);
    free(px);
    return rc;
}

/* Every page of a TIFF through Leptonica (whose libtiff messages go to its
 * stderr handler, silenced by ocr_open), each header checked before the
 * page is decoded. */
static int image_tiff(ocr_engine *e, const unsigned char *data, size_t len, const ocr_sink *sink, ps_err *err)
{
    int n;
    for (n = 0; n < TIFF_MAX_PAGES; n++) {
        l_int32 w, h, bps, spp, res, cmap, format;
        if (readHeaderMemTiff(data, len, n, &w, &h, &bps, &spp, &res, &cmap, &format) != 0)
            break;
        if (check_header("TIFF", w, h, err) != 0)
            return -1;
        PIX *pix = pixReadMemTiff(data, len, n);
        if (!pix)
            return ps_err_set(err, PS_INPUT, "damaged TIFF (page %d cannot be decoded)", n + 1), -1;
        TessBaseAPISetImage2(e->api, pix);
        int rc = recognise(e, pixGetWidth(pix), pixGetHeight(pix), usable_dpi(pixGetXRes(pix)), sink, err);
        pixDestroy(&pix);
        if (rc != 0)
            return -1;
    }
    if (n == 0)
        return ps_err_set(err, PS_INPUT, "damaged TIFF (no page can be read)"), -1;
    return 0;
}

/* PNG and JPEG: one page; TIFF: all of them. */
int ocr_image_to(ocr_engine *e, const unsigned char *data, size_t len, const ocr_sink *sink, ps_err *err)
{
    if (!e || !sink || !sink->page || !sink->line)
        return ps_err_set(err, PS_USAGE, "ocr_image: no engine or sink"), -1;
    if (!ocr_is_image(data, len))
        return ps_err_set(err, PS_SKIP, "not an image OCR reads (PNG, JPEG, TIFF)"), -1;
    if (data[0] == 0x89)
        return image_png(e, data, len, sink, err);
    if (data[0] == 0xff)
        return image_jpeg(e, data, len, sink, err);
    return image_tiff(e, data, len, sink, err);
}

/* Render on white through cairo, then fold xRGB to grey with the Rec. 601
 * weights (a red stamp stays light, as it looks on paper). */
int ocr_render_pdf_page(PopplerPage *page, int dpi, ocr_bitmap *bm, ps_err *err)
{
    if (!page || !bm)
        return ps_err_set(err, PS_USAGE, "ocr_render_pdf_page: no page or bitmap"), -1;
    if (dpi < DPI_MIN || dpi > DPI_MAX)
        return ps_err_set(err, PS_USAGE, "OCR resolution %d dpi outside %d..%d", dpi, DPI_MIN, DPI_MAX), -1;
    double wpt = 0, hpt = 0;
    poppler_page_get_size(page, &wpt, &hpt);
    if (!(wpt >= 1 && hpt >= 1 && wpt < 1e6 && hpt < 1e6))
        return ps_err_set(err, PS_INPUT, "PDF page of no usable size (%g x %g pt)", wpt, hpt), -1;
    double scale = dpi / 72.0;
    if (wpt * scale > OCR_MAX_SIDE || hpt * scale > OCR_MAX_SIDE) {
        scale = fmin(OCR_MAX_SIDE / wpt, OCR_MAX_SIDE / hpt);
        dpi = (int)floor(scale * 72.0);
        if (dpi < 1)
            return ps_err_set(err, PS_INPUT, "PDF page of %g x %g pt is too large to OCR", wpt, hpt), -1;
        scale = dpi / 72.0;
    }
    int w = (int)ceil(wpt * scale), h = (int)ceil(hpt * scale);
    if (w > OCR_MAX_SIDE)
        w = OCR_MAX_SIDE;
    if (h > OCR_MAX_SIDE)
        h = OCR_MAX_SIDE;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return ps_err_nomem(err), -1;
    }
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render_for_printing(page, cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        if (st == CAIRO_STATUS_NO_MEMORY)
            return ps_err_nomem(err), -1;
        return ps_err_set(err, PS_INPUT, "PDF page cannot be rendered (%s)", cairo_status_to_string(st)), -1;
    }
    unsigned char *grey = malloc((size_t)w * (size_t)h);
    if (!grey) {
        cairo_surface_destroy(s);
        return ps_err_nomem(err), -1;
    }
    const unsigned char *src = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(src + (size_t)y * (size_t)stride);
        unsigned char *out = grey + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x];
            out[x] = (unsigned char)((77u * ((p >> 16) & 0xff) + 150u * ((p >> 8) & 0xff) + 29u * (p & 0xff)) >> 8);
        }
    }
    cairo_surface_destroy(s);
    *bm = (ocr_bitmap){ grey, w, h, w, dpi };
    return 0;
}

/* The layout as a sink: a page starts a layout page, a line is added. */
static int layout_sink_page(void *ctx, double width, double height, ps_err *err)
{
    return layout_page(ctx, width, height, err);
}

/* (see layout_sink_page) */
static int layout_sink_line(void *ctx, const layout_line *line, ps_err *err)
{
    return layout_add(ctx, line, err);
}

/* ocr_pixels with the layout as its sink. */
int ocr_page(ocr_engine *e, const unsigned char *pixels, int width, int height, int bytes_per_pixel,
             int bytes_per_line, int dpi, layout *l, ps_err *err)
{
    ocr_sink sink = { layout_sink_page, layout_sink_line, l };
    return ocr_pixels(e, pixels, width, height, bytes_per_pixel, bytes_per_line, dpi, &sink, err);
}

/* ocr_image_to with the layout as its sink. */
int ocr_image(ocr_engine *e, const unsigned char *data, size_t len, layout *l, ps_err *err)
{
    ocr_sink sink = { layout_sink_page, layout_sink_line, l };
    return ocr_image_to(e, data, len, &sink, err);
}

/* Render, recognise, free the bitmap whatever happened. */
int ocr_pdf_page(ocr_engine *e, PopplerPage *page, int dpi, layout *l, ps_err *err)
{
    ocr_bitmap bm = OCR_BITMAP_INIT;
    if (ocr_render_pdf_page(page, dpi, &bm, err) != 0)
        return -1;
    int rc = ocr_page(e, bm.pixels, bm.width, bm.height, 1, bm.bytes_per_line, bm.dpi, l, err);
    ocr_bitmap_free(&bm);
    return rc;
}

#else /* !HAVE_TESSERACT: every entry point says what the build lacks */

/* 0: this build has no OCR. */
int ocr_available(void)
{
    return 0;
}

/* No engine without Tesseract. */
static ocr_engine *ocr_open_langs(const char *langs, ps_err *err)
{
    (void)langs;
    ps_err_set(err, PS_USAGE, NO_OCR_MSG);
    return NULL;
}

/* No engine without Tesseract. */
ocr_engine *ocr_open(ps_err *err)
{
    return ocr_open_langs(OCR_LANGS, err);
}

/* Nothing was ever opened. */
void ocr_close(ocr_engine *e)
{
    (void)e;
}

/* No OCR: PS_USAGE, NO_OCR_MSG. */
int ocr_pixels(ocr_engine *e, const unsigned char *pixels, int width, int height, int bytes_per_pixel,
               int bytes_per_line, int dpi, const ocr_sink *sink, ps_err *err)
{
    (void)e; (void)pixels; (void)width; (void)height; (void)bytes_per_pixel; (void)bytes_per_line; (void)dpi;
    (void)sink;
    return ps_err_set(err, PS_USAGE, NO_OCR_MSG), -1;
}

/* No OCR: PS_USAGE, NO_OCR_MSG. */
int ocr_page(ocr_engine *e, const unsigned char *pixels, int width, int height, int bytes_per_pixel,
             int bytes_per_line, int dpi, layout *l, ps_err *err)
{
    (void)e; (void)pixels; (void)width; (void)height; (void)bytes_per_pixel; (void)bytes_per_line; (void)dpi;
    (void)l;
    return ps_err_set(err, PS_USAGE, NO_OCR_MSG), -1;
}

/* No OCR: PS_USAGE, NO_OCR_MSG. */
int ocr_image_to(ocr_engine *e, const unsigned char *data, size_t len, const ocr_sink *sink, ps_err *err)
{
    (void)e; (void)data; (void)len; (void)sink;
    return ps_err_set(err, PS_USAGE, NO_OCR_MSG), -1;
}

/* No OCR: PS_USAGE, NO_OCR_MSG. */
int ocr_image(ocr_engine *e, const unsigned char *data, size_t len, layout *l, ps_err *err)
{
    (void)e; (void)data; (void)len; (void)l;
    return ps_err_set(err, PS_USAGE, NO_OCR_MSG), -1;
}

/* No OCR: PS_USAGE, NO_OCR_MSG. */
int ocr_render_pdf_page(PopplerPage *page, int dpi, ocr_bitmap *bm, ps_err *err)
{
    (void)page; (void)dpi; (void)bm;
    return ps_err_set(err, PS_USAGE, NO_OCR_MSG), -1;
}

/* No OCR: PS_USAGE, NO_OCR_MSG. */
int ocr_pdf_page(ocr_engine *e, PopplerPage *page, int dpi, layout *l, ps_err *err)
{
    (void)e; (void)page; (void)dpi; (void)l;
    return ps_err_set(err, PS_USAGE, NO_OCR_MSG), -1;
}

#endif
