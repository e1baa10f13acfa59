/* ocr.h — text from page images with Tesseract (issue 17), for scans.
 *
 * A PDF page without a text layer (or an OFD page holding only images, or a
 * standalone PNG/JPEG/TIFF) is read by rendering or decoding it to a bitmap
 * and handing that to Tesseract's C API with the simplified and traditional
 * Chinese models plus English ("chi_sim+chi_tra+eng").  Every recognised
 * text LINE goes, with its bounding box, to layout_add after a layout_page,
 * so OCR output is joined into paragraphs exactly as PDF text is (layout.h
 * removes the spaces Tesseract leaves between Han characters).
 *
 * Positions are in points (1/72 inch, y growing downwards): pixels × 72 /
 * dpi, so an OCR'd page of a PDF is measured like its text pages.
 *
 * Bounded: a bitmap larger than OCR_MAX_SIDE pixels on a side is refused
 * (PDF pages are rendered at a lower resolution to fit), and one page's
 * recognition stops after OCR_PAGE_SECONDS (the page is then skipped:
 * Tesseract gives no result for a cancelled page).  Nothing here prints: Tesseract's
 * own messages go to /dev/null and Leptonica's are silenced (a process-wide
 * setting, made by ocr_open).
 *
 * An engine is not thread-safe; use one per thread (each loads its models,
 * about 100 MB).  Recognition runs on the calling thread alone: Tesseract's
 * OpenMP parallel regions are serialised for it (pages are what polsearch
 * spreads over the cores, with -j).  Built without Tesseract (configure found none, or
 * --without-tesseract) every function that needs it fails with PS_USAGE
 * "this build has no OCR (configure found no tesseract)". */
#ifndef POLSEARCH_OCR_H
#define POLSEARCH_OCR_H

#include <stddef.h>

#include "err.h"
#include "layout.h"

#define OCR_LANGS        "chi_sim+chi_tra+eng" /* Tesseract models, in order of preference */
#define OCR_MAX_SIDE     10000       /* largest bitmap side accepted, in pixels */
#define OCR_DEFAULT_DPI  300         /* resolution for PDF pages and for images that state none */
#define OCR_PAGE_SECONDS 300         /* one page's recognition stops after this long (wall clock; ~17 s CPU at 300 dpi) */

typedef struct ocr_engine ocr_engine; /* a loaded Tesseract (opaque) */
typedef struct _PopplerPage PopplerPage; /* poppler-glib's page (as poppler.h declares it) */

/* Where recognised pages and lines go: layout (ocr_page, ocr_image) or a
 * caller's own collector (tests, tools). */
typedef struct ocr_sink {
    int  (*page)(void *ctx, double width, double height, ps_err *err); /* a new page of this size (points) */
    int  (*line)(void *ctx, const layout_line *line, ps_err *err);     /* one recognised line on it */
    void  *ctx;                      /* passed to both */
} ocr_sink;

/* An 8-bit grey bitmap of a rendered page (0 black, 255 white). */
typedef struct ocr_bitmap {
    unsigned char *pixels;           /* rows top to bottom, malloc'd; NULL when empty */
    int            width;            /* pixels per row */
    int            height;           /* rows */
    int            bytes_per_line;   /* stride of a row in pixels[] */
    int            dpi;              /* resolution it was rendered at */
} ocr_bitmap;

#define OCR_BITMAP_INIT { NULL, 0, 0, 0, 0 }

/* 1 when this build has OCR (configure found Tesseract), 0 when not. */
int ocr_available(void);

/* 1 when data[0..len) starts like an image file that ocr_image reads (PNG,
 * JPEG, TIFF, by their magic bytes), else 0.  Works in every build. */
int ocr_is_image(const unsigned char *data, size_t len);

/* Load Tesseract with OCR_LANGS from its default tessdata (TESSDATA_PREFIX
 * when set).  Returns the engine, or NULL with err set: PS_USAGE when this
 * build has no OCR or a model is missing (the message names the Debian
 * packages to install), PS_NOMEM. */
ocr_engine *ocr_open(ps_err *err);


/* Free the engine and its models; NULL is allowed. */
void ocr_close(ocr_engine *e);

/* Recognise one page image: pixels (bytes_per_pixel 1 = grey, 3 = RGB, 4 =
 * RGBA in memory order) of width × height, rows bytes_per_line apart, at dpi
 * (50..2400).  Calls sink->page once with the page size in points, then
 * sink->line for each non-empty text line in Tesseract's reading order, its
 * text without the final line break and its box in points.  Returns 0, or
 * -1 with err set: PS_USAGE (no OCR in this build; bad arguments), PS_INPUT
 * (bitmap over OCR_MAX_SIDE), PS_SKIP (recognition failed or timed out),
 * PS_NOMEM, or the error a sink call set. */
int ocr_pixels(ocr_engine *e, const unsigned char *pixels, int width, int height, int bytes_per_pixel,
               int bytes_per_line, int dpi, const ocr_sink *sink, ps_err *err);

/* ocr_pixels into a layout: layout_page, then layout_add for each line. */
int ocr_page(ocr_engine *e, const unsigned char *pixels, int width, int height, int bytes_per_pixel,
             int bytes_per_line, int dpi, layout *l, ps_err *err);

/* Read a standalone image file data[0..len) (PNG, JPEG, TIFF; every page of
 * a multi-page TIFF) with Leptonica and recognise each page as ocr_pixels
 * does, at the resolution the file states (OCR_DEFAULT_DPI when none).  The
 * header is checked before decoding: an image over OCR_MAX_SIDE is refused
 * without allocating it.  Returns 0, or -1 with err set: PS_SKIP (not an
 * image Leptonica reads), PS_INPUT (damaged, too large), as ocr_pixels. */
int ocr_image_to(ocr_engine *e, const unsigned char *data, size_t len, const ocr_sink *sink, ps_err *err);

/* ocr_image_to into a layout (one layout page per image page). */
int ocr_image(ocr_engine *e, const unsigned char *data, size_t len, layout *l, ps_err *err);

/* Render a poppler page on white at dpi (OCR_MAX_SIDE caps each side: a
 * larger page is rendered at the resolution that fits, stated in bm->dpi)
 * into *bm (empty on entry) as 8-bit grey.  Returns 0, or -1 with err set:
 * PS_USAGE (no OCR in this build; dpi outside 50..2400), PS_INPUT (a page
 * of no size), PS_NOMEM; on error *bm holds nothing to free. */
int ocr_render_pdf_page(PopplerPage *page, int dpi, ocr_bitmap *bm, ps_err *err);

/* Free the pixels of *bm and reset it to OCR_BITMAP_INIT. */
void ocr_bitmap_free(ocr_bitmap *bm);

/* Render page at dpi (ocr_render_pdf_page) and recognise it into l
 * (ocr_page): the one call reader_pdf needs for a page without text. */
int ocr_pdf_page(ocr_engine *e, PopplerPage *page, int dpi, layout *l, ps_err *err);

#endif
