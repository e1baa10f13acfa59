/* decode.h — from a file on disk to UTF-8 text.
 *
 * Reads the whole file with large reads, inflates gzip data (a.html.gz is
 * HTML), converts the text to UTF-8 from whatever it was in (byte-order
 * mark, valid UTF-8, <meta charset>, else GB18030 or BIG5 chosen by
 * character frequency), strips HTML to text (html.h) and removes web-site
 * furniture lines (boiler.h).  Every later stage sees clean UTF-8 with
 * LF line ends and no NULs.
 *
 * A document format other than text, HTML and gzip (PDF, DOCX, DOC/WPS,
 * OFD: recognised by content, reader_detect) is read by its reader
 * (reader.h) instead; its text then comes with page starts for paged
 * formats, and html_title carries the file's own title property.  Its
 * encoding is the format's name; scan_pages says that pages without text
 * were left unread (a PDF read without OCR: `index --ocr` reads it again),
 * page_ocr that OCR read some of its pages.
 *
 * Damaged input is decoded anyway: bytes that fit no character become
 * U+FFFD, stray NULs are dropped, and both are counted in bad_bytes so the
 * caller can warn "N bad bytes replaced, first at byte OFFSET".
 *
 * Errors travel as a ps_err (err.h): PS_SKIP for a file that is not text
 * (skip it, say why), the other codes for a file that could not be read or
 * decoded.  Nothing here prints. */
#ifndef POLSEARCH_DECODE_H
#define POLSEARCH_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "reader.h"

typedef struct doc_text {
    char     *text;                  /* UTF-8, NUL-terminated (malloc'd; the caller frees) */
    size_t    len;                   /* bytes of text, excluding the NUL */
    uint32_t  crc;                   /* zlib crc32 of the raw file bytes: the content fingerprint */
    char      sha256[65];            /* SHA-256 of the raw file bytes (digest.h), hex: what a manifest names */
    uint64_t  raw_size;              /* bytes read from the file */
    char      encoding[24];          /* the encoding the text was decoded from, e.g. "UTF-8" */
    char     *html_title;            /* <title> of an HTML page (malloc'd), NULL if none or not HTML */
    unsigned  bad_bytes;             /* input bytes replaced by U+FFFD or dropped (NUL); 0 when clean */
    size_t    first_bad_offset;      /* offset of the first of them in the (decompressed) input */
    unsigned  boiler_lines;          /* site-furniture lines removed (boiler.h) */
    uint8_t   is_html;               /* 1 when the input was taken as HTML and stripped to text */
    uint8_t   gzipped;               /* 1 when the file was gzip data */
    uint8_t   format;                /* enum doc_format of the source (reader.h) */
    size_t   *page_start;            /* paged formats: offset in text where page i+1 begins (malloc'd) */
    unsigned  npages;                /* entries in page_start; 0 for formats without pages */
    unsigned char *page_ocr;         /* page_ocr[i]: page i+1 was read by OCR (malloc'd), NULL when none was */
    unsigned  scan_pages;            /* pages without usable text left unread (not under load_opts.ocr) */
} doc_text;

typedef struct load_opts {
    uint64_t    max_size;            /* refuse files (or decompressed text) larger than this; 0 = no limit */
    const char *encoding;            /* force this encoding, or NULL to detect */
    int         ocr;                 /* read pages without a text layer, and images, with OCR */
    ocr_engine **engine;             /* under ocr: the caller's engine (reader_opts.engine) */
    void       (*ocr_page)(void *ctx, unsigned done, unsigned total); /* OCR progress (reader_opts.ocr_page) */
    void        *ctx;                /* passed to ocr_page */
} load_opts;

/* Load `path` into *out.  Returns PS_OK when out->text holds the document,
 * else the code now in *err (err may be NULL), with a one-line reason
 * without the path in err->msg, and *out holds nothing to free:
 *   PS_SKIP   "empty file", "binary file (NUL bytes)",
 *             "binary file (no plausible text encoding)";
 *   PS_IO     strerror text (the file could not be opened or read);
 *   PS_INPUT  "file is larger than the limit of N MB (--max-file-size)",
 *             "decompressed size exceeds the limit of N MB (--max-file-size)",
 *             "corrupt gzip data: ...", "truncated gzip data",
 *             "unknown encoding NAME" (one a page declares that iconv lacks);
 *   PS_USAGE  "unknown encoding NAME" for load_opts.encoding;
 *   PS_NOMEM  "out of memory", "cannot initialise zlib".
 * Sticky like every ps_err user: when *err already holds an error, nothing
 * is loaded and that code is returned. */
int doc_load(const char *path, const load_opts *opts, doc_text *out, ps_err *err);

/* The crc32 of path's bytes, as doc_load's out->crc (without reading the
 * document: for a file whose reading is dear, an OCR'd scan).  Returns
 * PS_OK, or PS_IO, PS_INPUT (larger than max_size, when not 0), PS_NOMEM
 * with err set. */
int doc_crc(const char *path, uint64_t max_size, uint32_t *crc, ps_err *err);

/* Free what doc_load put in *d. */
void doc_text_free(doc_text *d);

#endif
