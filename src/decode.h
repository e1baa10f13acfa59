/* decode.h — from a file on disk to UTF-8 text.
 *
 * Reads the whole file with large reads and returns its text as UTF-8
 * (a UTF-8 byte-order mark is removed).  Later: other encodings, gzip and
 * HTML all end here, so that every later stage sees clean UTF-8. */
#ifndef POLSEARCH_DECODE_H
#define POLSEARCH_DECODE_H

#include <stddef.h>
#include <stdint.h>

enum load_status {
    LOAD_OK = 0,                     /* text holds the document */
    LOAD_SKIP,                       /* not a text document (binary, empty): skip quietly, say why */
    LOAD_ERROR                       /* the file could not be read or decoded: an error, say why */
};

typedef struct doc_text {
    char     *text;                  /* UTF-8, NUL-terminated (malloc'd; the caller frees) */
    size_t    len;                   /* bytes of text, excluding the NUL */
    uint32_t  crc;                   /* zlib crc32 of the raw file bytes: the content fingerprint */
    uint64_t  raw_size;              /* bytes read from the file */
    char      encoding[24];          /* the encoding the text was decoded from, e.g. "UTF-8" */
} doc_text;

typedef struct load_opts {
    uint64_t    max_size;            /* refuse files (or decompressed text) larger than this; 0 = no limit */
    const char *encoding;            /* force this encoding, or NULL to detect */
} load_opts;

/* Load `path` into *out.  On LOAD_SKIP and LOAD_ERROR a one-line reason
 * (without the path) is written to why[0..whylen) and *out holds nothing
 * to free. */
enum load_status doc_load(const char *path, const load_opts *opts, doc_text *out,
                          char *why, size_t whylen);

/* Free what doc_load put in *d. */
void doc_text_free(doc_text *d);

#endif
