/* shingle.h — how alike two paragraphs are: character shingles, their
 * Jaccard similarity, and MinHash signatures banded for LSH (polsearch
 * similar, search --similar-to).
 *
 * The similarity of two texts is the Jaccard similarity |A ∩ B| / |A ∪ B|
 * of their sets A, B of distinct character 3-shingles, a shingle being
 * three consecutive code points of the text after normalize.h (width,
 * case, quotes, traditional to simplified) with white space left out.
 * A text of one or two code points is one shingle of itself; a text with
 * none has no shingle, and two such texts have similarity 0.  A shingle
 * is kept as its three code points packed into 63 bits (21 bits each), so
 * equal shingles are equal numbers and the Jaccard value is exact.
 *
 * MinHash: signature i of a set is the least h_i(x) over its shingles x,
 * with h_i(x) = (a_i * mix(x) + b_i) >> 32 (a fixed family: the same
 * signatures on every run).  LSH bands the signatures in `bands` bands of
 * `rows` rows; a band's value is a hash of its rows.  Two sets of
 * similarity s agree on a band with probability s^rows, so they share at
 * least one band with probability 1 - (1 - s^rows)^bands. */
#ifndef POLSEARCH_SHINGLE_H
#define POLSEARCH_SHINGLE_H

#include <stddef.h>
#include <stdint.h>

#include "normalize.h"

#define SHINGLE_WIDTH 3              /* code points per shingle */
#define SHINGLE_MAX_ROWS 8           /* rows per band at most */
#define SHINGLE_MAX_BANDS 64         /* bands at most */

typedef struct shingle_set {
    uint64_t *v;                     /* distinct shingles, ascending */
    size_t    n;                     /* shingles in v */
    size_t    cap;                   /* entries allocated */
} shingle_set;

#define SHINGLE_SET_INIT { NULL, 0, 0 }

/* The distinct shingles of the normalised text nt into *s (its previous
 * contents replaced, its allocation reused).  Returns 0, or -1 when out
 * of memory. */
int    shingle_build(shingle_set *s, const norm_text *nt);

/* Normalise UTF-8 text[0..len) into *nt (reused) and take its shingles
 * into *s.  Returns 0, or -1 when out of memory. */
int    shingle_text(shingle_set *s, norm_text *nt, const char *text, size_t len);

/* The Jaccard similarity of a and b, in [0, 1]; 0 when both are empty. */
double shingle_jaccard(const shingle_set *a, const shingle_set *b);

/* The banding for pairs of similarity min or more: the most rows per band
 * (at most SHINGLE_MAX_ROWS) for which at most SHINGLE_MAX_BANDS bands
 * miss a pair of similarity min with probability <= miss, and the least
 * bands that do so.  Returns 0, or -1 when no banding does (min too low
 * for that miss). */
int    shingle_lsh_params(double min, double miss, unsigned *bands, unsigned *rows);

/* The probability that a pair of similarity s shares no band. */
double shingle_lsh_miss(double s, unsigned bands, unsigned rows);

/* The band values of s's MinHash signature (bands * rows signatures) into
 * out[0..bands).  A set with no shingle gets bands of 0. */
void   shingle_bands(const shingle_set *s, unsigned bands, unsigned rows, uint32_t *out);


/* Free what s holds and reset it to SHINGLE_SET_INIT. */
void   shingle_free(shingle_set *s);

#endif
