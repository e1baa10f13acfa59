/* reader.h — file → text for documents as published: one reader per format.
 *
 * decode.c reads a file's bytes and recognises its format by content
 * (reader_detect); a plain-text, HTML or gzip file goes through decode's own
 * path, every other format through its reader here.  A reader turns the
 * bytes into UTF-8 text of the shape paragraph.c expects:
 *   - paragraphs separated by one blank line ("\n\n");
 *   - inside a paragraph no line break, except where the source itself has
 *     separate short lines (a table cell is a line; a heading block);
 *   - no NUL, no CR, valid UTF-8;
 * and, for paged formats (PDF, OFD), the offset where each page begins, so
 * that every paragraph can name the page it starts on.
 *
 * Readers never print and never read outside the bytes they are given (no
 * network, no external entities, no paths outside an archive).  Each is
 * bounded by opts->max_size: no part is inflated past it. */
#ifndef POLSEARCH_READER_H
#define POLSEARCH_READER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

typedef struct ocr_engine ocr_engine; /* a loaded Tesseract (ocr.h) */

/* A PDF page with fewer non-blank characters than this in its text layer,
 * and at least one image, counts as a page without usable text: a scan,
 * perhaps with a stamped page number or a stray OCR-less watermark glyph.
 * Under reader_opts.ocr it is rendered and read by OCR (its few characters
 * are dropped: OCR reads them off the rendering).  A page with no image is
 * never OCR'd (a blank page, or a short page of real text). */
#define READER_SCAN_MAX_CHARS 8

/* The resolution PDF pages are rendered at for OCR (dpi): bench/README.md
 * measured 300 dpi as the most accurate for a few seconds more per page. */
#define READER_OCR_DPI 300

/* The formats, one row each, in the order of enum doc_format (the first,
 * text, is 0): X(VALUE, NAME, READER, TYPE, INDEXED), where
 *   NAME     is the short lower-case name --type, stats and the XK term use;
 *   READER   the function reader_detect's answer is handed to (in the
 *            readers' table, reader_table.c), or NULL where decode.c reads
 *            the format itself (text, HTML) or nothing can be read;
 *   TYPE     the Content-Type the web's /file serves it with, or NULL
 *            (decided by the file name, else application/octet-stream);
 *   INDEXED  1 if a file can be indexed as it (--type accepts its name).
 * The enum, reader_format_name, the readers' table and decode.c's dispatch
 * all read these rows: a new format is one row here and its reader. */
#define READER_FORMATS(X) \
    X(FMT_TEXT,      "text",  NULL,         "text/plain",      1) /* plain text (any encoding decode.c knows) */ \
    X(FMT_HTML,      "html",  NULL,         "text/html",       1) /* HTML, stripped to text */ \
    X(FMT_PDF,       "pdf",   reader_pdf,   "application/pdf", 1) /* PDF (poppler-glib) */ \
    X(FMT_DOCX,      "docx",  reader_docx,                       /* Office Open XML word processing (zip) */ \
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 1) \
    X(FMT_DOC,       "doc",   reader_doc,   "application/msword", 1) /* Word 97-2003 binary, and WPS Writer's .wps (OLE2) */ \
    X(FMT_OFD,       "ofd",   reader_ofd,   "application/ofd", 1) /* GB/T 33190 OFD (zip + XML) */ \
    X(FMT_OLE_OTHER, "ole",   NULL,         NULL,              0) /* an OLE2 file without a WordDocument stream */ \
    X(FMT_ZIP_OTHER, "zip",   reader_zip,   NULL,              0) /* a zip: reader_zip tells DOCX and OFD from other zips */ \
    X(FMT_IMAGE,     "image", reader_image, NULL,              1) /* a PNG, JPEG or TIFF image (read with OCR, issue 17) */

#define READER_FORMAT_VALUE(value, name, reader, type, indexed) value,
enum doc_format {
    READER_FORMATS(READER_FORMAT_VALUE)
    FMT_COUNT                        /* how many formats there are */
};

typedef struct reader_opts {
    uint64_t     max_size;           /* no part inflates past this many bytes; 0 = no limit */
    int          ocr;                /* read pages without a text layer with OCR (issue 17) */
    ocr_engine **engine;             /* under ocr: the caller's engine, opened here when *engine is NULL; the caller closes it */
    void       (*ocr_page)(void *ctx, unsigned done, unsigned total); /* before each OCR'd page and after the last, or NULL */
    void        *ctx;                /* passed to ocr_page */
} reader_opts;

typedef struct reader_out {
    buf       text;                  /* UTF-8 text, paragraphs separated by "\n\n" */
    size_t   *page_start;            /* page_start[i]: offset in text where page i+1 begins (paged formats) */
    unsigned  npages;                /* pages recorded; 0 for formats without pages */
    size_t    cap_pages;             /* entries allocated in page_start */
    unsigned char *page_ocr;         /* page_ocr[i]: page i+1 was read by OCR (npages entries); NULL when none was */
    unsigned  scan_pages;            /* pages without usable text left unread (no reader_opts.ocr) */
    char     *title;                 /* the file's own title property (PDF Info, DOCX core), NULL if none */
    char     *date;                  /* its own date property as YYYY-MM-DD, NULL if none */
    int       format;                /* reader_zip: the enum doc_format it found (DOCX, OFD) */
} reader_out;

#define READER_OUT_INIT { { NULL, 0, 0 }, NULL, 0, 0, NULL, 0, NULL, NULL, 0 }

/* The format of data[0..len) by its magic number alone (no library: the
 * readers' libraries load only when a document needs them): %PDF- → PDF;
 * D0 CF 11 E0 → OLE2, FMT_DOC (reader_doc tells Word from the rest); PK
 * 03 04 → FMT_ZIP_OTHER (reader_zip tells DOCX from OFD from other zips);
 * PNG, JPEG and TIFF (reader_is_image) → FMT_IMAGE; everything else
 * FMT_TEXT (decode.c tells HTML from text). */
enum doc_format reader_detect(const unsigned char *data, size_t len);
/* 1 if data[0..len) starts like a PNG, JPEG or TIFF file. */
int reader_is_image(const unsigned char *data, size_t len);

/* The short lower-case name of a format ("pdf", "docx", "doc", "ofd",
 * "html", "text", "image"), as --type and stats use it. */
const char *reader_format_name(enum doc_format f);
/* The format named name (as above), or -1. */
int reader_format_by_name(const char *name);
/* The Content-Type of format f (its row's TYPE), or NULL when its row has
 * none. */
const char *reader_format_type(enum doc_format f);
#define READER_FORMAT_TERM "XK"      /* + format name: the boolean term of a paragraph's source format */

/* The XK terms (READER_FORMAT_TERM + name) of the formats in the comma
 * list `list` (names a file can be indexed as: pdf docx doc ofd html text
 * image), added to terms[*n..] (each 20 bytes; ptrs[i] points at terms[i];
 * at most FMT_COUNT, repeats once).  Returns 0, or -1 for a name that is
 * not such a format. */
int reader_type_terms(const char *list, char terms[][20], const char *ptrs[], size_t *n);

/* Mark the start of a new page at the current end of out->text.  Returns 0,
 * or sets err (PS_NOMEM) and returns -1. */
int reader_page_begin(reader_out *out, ps_err *err);
/* The 1-based page on which text offset off lies; 0 when out has no pages. */
unsigned reader_page_of(const size_t *page_start, unsigned npages, size_t off);
/* Free what a reader put in *out and reset it to READER_OUT_INIT. */
void reader_out_free(reader_out *out);

/* The readers.  Each reads data[0..len) into *out (empty on entry) and
 * returns 0, or returns -1 with err set: PS_SKIP for a file that is not
 * indexable as such (encrypted PDF: "encrypted PDF: a password is needed";
 * image-only PDF without opts->ocr: "no text layer (scanned?)"; an image
 * without opts->ocr: "image (read it with --ocr)"; OLE2 that is not Word: "OLE2
 * file that is not a Word document (Excel? PowerPoint?)"), PS_INPUT for a
 * damaged or hostile one (the reason in one line), PS_NOMEM.  On error
 * *out holds nothing to free. */
int reader_pdf(const unsigned char *data, size_t len, const reader_opts *o, reader_out *out, ps_err *err);
int reader_docx(const unsigned char *data, size_t len, const reader_opts *o, reader_out *out, ps_err *err);
int reader_doc(const unsigned char *data, size_t len, const reader_opts *o, reader_out *out, ps_err *err);
int reader_ofd(const unsigned char *data, size_t len, const reader_opts *o, reader_out *out, ps_err *err);
/* A standalone image (FMT_IMAGE) read with OCR, one page per image page,
 * every page marked in out->page_ocr.  PS_USAGE when the build has no OCR
 * or a model is missing (ocr_open's message). */
int reader_image(const unsigned char *data, size_t len, const reader_opts *o, reader_out *out, ps_err *err);


/* Under o->ocr: the engine in *o->engine, opened on first use.  Returns it,
 * or NULL with err set (PS_USAGE: no OCR in this build, a model missing;
 * PS_NOMEM). */
ocr_engine *reader_ocr_engine(const reader_opts *o, ps_err *err);

/* The readers as a table.  Their libraries (poppler, libxml2, libzip,
 * libgsf, Tesseract) cost some 50 ms of start-up, which `polsearch search`
 * never needs: the program loads them from the shared module
 * polsearch-readers.so on first use (reader_dl.c), while tests and fuzzers
 * link them in (reader_table.c). */
typedef struct reader_table {
    int  (*read[FMT_COUNT])(const unsigned char *, size_t, const reader_opts *, reader_out *, ps_err *);
                                    /* read[f]: the READER of format f's row (READER_FORMATS), or NULL */
    int  (*ocr_available)(void);    /* 1 if the module was built with Tesseract */
    void (*ocr_close)(ocr_engine *e); /* close an engine a reader opened */
} reader_table;

/* The readers, or NULL with err set (PS_INPUT: "the document readers
 * cannot be loaded: WHY").  The table never changes once loaded. */
const reader_table *reader_table_get(ps_err *err);
/* The table of the readers linked into this binary (what the module exports). */
const reader_table *polsearch_reader_table(void);

#endif
