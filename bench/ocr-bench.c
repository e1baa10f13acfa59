/* ocr-bench.c — measure OCR (src/ocr.c) on page images and scanned PDFs.
 *
 *   ocr-bench wrap OUT.pdf DPI PAGE.jpg...   wrap JPEG page images (scanned at
 *                                            DPI) in a PDF with no text layer,
 *                                            each JPEG embedded as it is
 *   ocr-bench pdf FILE.pdf DPI               render each page at DPI and OCR it
 *   ocr-bench image FILE...                  OCR image files (PNG, JPEG, TIFF)
 *
 * The recognised lines go to stdout (one per line, as Tesseract gives them);
 * timings go to stderr, one line per page and a total:
 *   page N: WxH px, render R s, ocr O s (C s CPU), L lines
 * OCR_LANGS in the environment replaces the models (ocr_open_langs).
 * Built by hand (see bench/README.md, "OCR of scanned pages"), not by make: it is a tool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <poppler.h>

#include "buf.h"
#include "ocr.h"

/* Seconds on the monotonic clock. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of the process (all its threads): the figure that a loaded
 * machine does not inflate. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read a whole file into b; 0 or -1. */
static int slurp(const char *path, buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char tmp[65536];
    size_t r;
    int rc = 0;
    while (rc == 0 && (r = fread(tmp, 1, sizeof tmp, f)) > 0)
        rc = buf_append(b, tmp, r);
    fclose(f);
    return rc;
}

/* Sink: count pages and lines, print each line. */
typedef struct counts {
    int pages;                       /* pages seen */
    int lines;                       /* lines seen */
} counts;

/* Sink page: count it. */
static int on_page(void *ctx, double w, double h, ps_err *err)
{
    (void)w; (void)h; (void)err;
    ((counts *)ctx)->pages++;
    return 0;
}

/* Sink line: count it and print its text. */
static int on_line(void *ctx, const layout_line *ln, ps_err *err)
{
    (void)err;
    ((counts *)ctx)->lines++;
    printf("%.*s\n", (int)ln->len, ln->text);
    return 0;
}

/* Wrap JPEGs in a PDF: each page the size of its image at dpi. */
static int wrap(const char *out, int dpi, char **files, int n)
{
    cairo_surface_t *pdf = cairo_pdf_surface_create(out, 595, 842);
    for (int i = 0; i < n; i++) {
        buf b = BUF_INIT;
        if (slurp(files[i], &b) != 0) {
            fprintf(stderr, "ocr-bench: %s: cannot read\n", files[i]);
            return 1;
        }
        /* cairo's PDF surface embeds an image's JPEG mime data as it is
         * (DCTDecode), so a blank surface of the JPEG's size carries it. */
        int w = 0, h = 0;
        for (size_t k = 2; k + 9 < b.len; k++) /* the SOF0/SOF2 marker gives the size */
            if ((unsigned char)b.data[k] == 0xff &&
                ((unsigned char)b.data[k + 1] == 0xc0 || (unsigned char)b.data[k + 1] == 0xc2)) {
                h = ((unsigned char)b.data[k + 5] << 8) | (unsigned char)b.data[k + 6];
                w = ((unsigned char)b.data[k + 7] << 8) | (unsigned char)b.data[k + 8];
                break;
            }
        if (w <= 0 || h <= 0) {
            fprintf(stderr, "ocr-bench: %s: no JPEG size found\n", files[i]);
            return 1;
        }
        cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        unsigned char *copy = malloc(b.len);
        if (!copy)
            return 1;
        memcpy(copy, b.data, b.len);
        cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, copy, b.len, free, copy);
        buf_free(&b);
        double s = 72.0 / dpi;
        cairo_pdf_surface_set_size(pdf, w * s, h * s);
        cairo_t *cr = cairo_create(pdf);
        cairo_scale(cr, s, s);
        cairo_set_source_surface(cr, img, 0, 0);
        cairo_paint(cr);
        cairo_show_page(cr);
        cairo_destroy(cr);
        cairo_surface_destroy(img);
    }
    cairo_surface_finish(pdf);
    int rc = cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(pdf);
    return rc;
}

/* The three modes of the usage above; exit 0, 1 (OCR failed), 2 (usage). */
int main(int argc, char **argv)
{
    if (argc >= 5 && strcmp(argv[1], "wrap") == 0)
        return wrap(argv[2], atoi(argv[3]), argv + 4, argc - 4);
    int pdf = argc == 4 && strcmp(argv[1], "pdf") == 0;
    if (!pdf && !(argc >= 3 && strcmp(argv[1], "image") == 0)) {
        fprintf(stderr, "usage: ocr-bench wrap OUT.pdf DPI PAGE.jpg... | pdf FILE.pdf DPI | image FILE...\n");
        return 2;
    }
    ps_err err = PS_ERR_INIT;
    double t0 = now();
    const char *langs = getenv("OCR_LANGS"); /* e.g. chi_sim+eng; default ocr.h's */
    ocr_engine *e = langs ? ocr_open_langs(langs, &err) : ocr_open(&err);
    if (!e) {
        fprintf(stderr, "ocr-bench: %s\n", err.msg);
        return 2;
    }
    fprintf(stderr, "ocr_open: %.2f s\n", now() - t0);
    counts c = { 0, 0 };
    ocr_sink sink = { on_page, on_line, &c };
    double render = 0, ocr = 0, ocr_cpu = 0;
    int pages = 0;
    if (pdf) {
        buf b = BUF_INIT;
        if (slurp(argv[2], &b) != 0)
            return 2;
        GBytes *bytes = g_bytes_new(b.data, b.len);
        PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, NULL);
        if (!doc)
            return 2;
        pages = poppler_document_get_n_pages(doc);
        for (int i = 0; i < pages; i++) {
            PopplerPage *page = poppler_document_get_page(doc, i);
            ocr_bitmap bm = OCR_BITMAP_INIT;
            double a = now();
            if (ocr_render_pdf_page(page, atoi(argv[3]), &bm, &err) != 0)
                break;
            double m = now(), mc = cpu();
            int before = c.lines;
            if (ocr_pixels(e, bm.pixels, bm.width, bm.height, 1, bm.bytes_per_line, bm.dpi, &sink, &err) != 0)
                break;
            double z = now(), zc = cpu();
            fprintf(stderr, "page %d: %dx%d px, render %.2f s, ocr %.2f s (%.2f s CPU), %d lines\n", i + 1, bm.width,
                    bm.height, m - a, z - m, zc - mc, c.lines - before);
            render += m - a;
            ocr += z - m;
            ocr_cpu += zc - mc;
            ocr_bitmap_free(&bm);
            g_object_unref(page);
        }
        g_object_unref(doc);
        g_bytes_unref(bytes);
        buf_free(&b);
    } else {
        for (int i = 2; i < argc && err.code == PS_OK; i++) {
            buf b = BUF_INIT;
            if (slurp(argv[i], &b) != 0)
                return 2;
            double a = now(), ac = cpu();
            int before = c.lines;
            ocr_image_to(e, (const unsigned char *)b.data, b.len, &sink, &err);
            double z = now(), zc = cpu();
            fprintf(stderr, "%s: decode+ocr %.2f s (%.2f s CPU), %d lines\n", argv[i], z - a, zc - ac,
                    c.lines - before);
            ocr += z - a;
            ocr_cpu += zc - ac;
            pages++;
            buf_free(&b);
        }
    }
    ocr_close(e);
    if (err.code != PS_OK) {
        fprintf(stderr, "ocr-bench: %s\n", err.msg);
        return 1;
    }
    fprintf(stderr, "total: %d pages, render %.2f s, ocr %.2f s (%.2f s CPU), %.2f s/page, %.2f s CPU/page\n", pages,
            render, ocr, ocr_cpu, pages ? (render + ocr) / pages : 0.0, pages ? ocr_cpu / pages : 0.0);
    return 0;
}
