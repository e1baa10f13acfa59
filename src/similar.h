/* similar.h — near-copy pairs across the documents of an index (polsearch
 * similar --pairs): who wrote the same passage, and who wrote it first.
 *
 * Every live paragraph is read once, in copy-key order (Xapian sorts the
 * paragraphs on it), so exact copies come together: each distinct text
 * (a class: one copy key) is compared once.  A class with fewer than
 * SIMILAR_MIN_SHINGLES shingles (shingle.h) is left out: dates, signatures
 * and headings are alike everywhere.  Each class gets a MinHash
 * signature in LSH bands (shingle_lsh_params for the minimum similarity,
 * a pair at exactly that similarity missed with probability at most
 * SIMILAR_LSH_MISS); classes that share a band are candidates, and each
 * candidate pair gets its exact similarity from the two texts, read
 * again.  A pair of classes of similarity >= min gives a pair for every
 * member of one and member of the other in different documents; with
 * with_copies, members of one class in different documents are pairs too
 * (similarity 1).  Nothing is added to the index.
 *
 * Memory: per class one band value per band (4 bytes each), per paragraph
 * 12 bytes, per document its path, date, issuer and title, and the
 * candidate pairs (8 bytes each, de-duplicated as they come).
 * Library code: nothing here prints. */
#ifndef POLSEARCH_SIMILAR_H
#define POLSEARCH_SIMILAR_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SIMILAR_MIN_SHINGLES 16      /* classes with fewer shingles are not compared */
#define SIMILAR_PAIRS_MIN    0.5     /* the least minimum similarity --pairs takes */
#define SIMILAR_LSH_MISS     1e-4    /* a pair at the minimum similarity is missed at most this often */
#define SIMILAR_MAX_CANDIDATES (32u << 20) /* candidate class pairs at most (8 bytes each) */

/* A document met. */
typedef struct similar_doc {
    char *file;                      /* its path as indexed (malloc'd) */
    char *date;                      /* YYYY-MM-DD or "" (malloc'd) */
    char *issuer;                    /* issuing body or "" (malloc'd) */
    char *title;                     /* title or "" (malloc'd) */
} similar_doc;

/* A paragraph compared. */
typedef struct similar_para {
    uint32_t doc;                    /* index into docs */
    uint32_t paragraph;              /* 1-based paragraph number in its file */
    uint32_t cls;                    /* its class (distinct text) */
} similar_para;

/* A near-copy pair: first is the earlier document (both dates known and
 * different), else the dated one, else the first by path and paragraph. */
typedef struct similar_pair {
    double   sim;                    /* their similarity (shingle_jaccard) */
    uint32_t first;                  /* index into paras */
    uint32_t second;                 /* index into paras */
} similar_pair;

/* What a run found. */
typedef struct similar_pairs {
    similar_doc  *docs;              /* the documents */
    size_t        ndocs;             /* documents in use */
    size_t        capdocs;           /* documents allocated */
    similar_para *paras;             /* the paragraphs compared, in copy-key order */
    size_t        nparas;            /* paragraphs in use */
    size_t        capparas;          /* paragraphs allocated */
    similar_pair *pairs;             /* the pairs, most similar first, then by the first's path and paragraph, then the second's */
    size_t        npairs;            /* pairs in use */
    size_t        cappairs;          /* pairs allocated */
    unsigned      bands;             /* LSH bands used */
    unsigned      rows;              /* rows per band */
    uint64_t      read;              /* paragraphs read */
    uint64_t      classes;           /* distinct texts compared */
    uint64_t      candidates;        /* candidate class pairs checked */
} similar_pairs;

#define SIMILAR_PAIRS_INIT { NULL, 0, 0, NULL, 0, 0, NULL, 0, 0, 0, 0, 0, 0, 0 }

/* What a run asks. */
typedef struct similar_pairs_in {
    const char *const *dirs;         /* the indexes (directories or tcp://HOST:PORT) */
    size_t       ndirs;              /* number of them */
    unsigned     timeout_ms;         /* remote timeout, 0: the default */
    double       min;                /* the least similarity of a pair, in [SIMILAR_PAIRS_MIN, 1] */
    int          with_copies;        /* exact copies in different documents are pairs too */
} similar_pairs_in;

/* Find the pairs of in's indexes into *out (SIMILAR_PAIRS_INIT first;
 * free it with similar_pairs_free either way).  Returns 0, or -1 with err
 * set: PS_USAGE for a min out of range or more candidates than
 * SIMILAR_MAX_CANDIDATES (raise min), PS_NOMEM, an index error. */
int  similar_find_pairs(const similar_pairs_in *in, similar_pairs *out, ps_err *err);

/* Free what p holds and reset it to SIMILAR_PAIRS_INIT. */
void similar_pairs_free(similar_pairs *p);

#endif
