/* cooc.h — term co-occurrence counted through the search engine (search.h).
 *
 * Each term runs as one search of every match, copies not collapsed (each
 * paragraph counts, as `search -c` counts), with the caller's filters; its
 * matching units are kept as a sorted array of ids: Xapian document ids of
 * paragraphs, or the 64-bit version ids of their files (--by-document).
 * Every pair is then counted by intersecting the two arrays, so
 *   both(A, B) by paragraph = `search -c 'A B'` with the same filters,
 *   both(A, B) by document  = the files that have a paragraph matching A
 *                             and a paragraph matching B (not necessarily
 *                             the same one): `search -l --all A` ∩ `… B`.
 * A copied paragraph counts once in each file it is in, as search -c
 * counts it.  Memory: one id per (term, matching unit), and the pairs kept.
 *
 * The association scores (cooc_jaccard, cooc_pmi) use n = the units
 * (paragraphs or documents) that match at least one of the terms: the
 * universe the terms were counted over, exact under any filter
 * (`search -c 'A OR B OR …'`). */
#ifndef POLSEARCH_COOC_H
#define POLSEARCH_COOC_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "search.h"

/* A pair of terms seen together. */
typedef struct cooc_pair {
    size_t   a;                      /* the first term (index into the terms; a < b) */
    size_t   b;                      /* the second term */
    uint64_t both;                   /* units that match both */
} cooc_pair;

/* What cooc_run found. */
typedef struct cooc_result {
    uint64_t  *count;                /* count[i]: units matching term i (malloc'd) */
    size_t     nterms;               /* number of terms */
    uint64_t   universe;             /* units matching at least one term */
    cooc_pair *pairs;                /* pairs with both >= min, sorted by a then b (malloc'd) */
    size_t     npairs;               /* pairs in use */
    size_t     cappairs;             /* pairs allocated (private) */
} cooc_result;

#define COOC_RESULT_INIT { NULL, 0, 0, NULL, 0, 0 }

/* Count terms[0..n) (queries in query.h syntax, one search each) on e with
 * the filters of *filter (its date, issuer, file, type, region, no_fold
 * and no_expand fields; query, mode and limit are set here), by document
 * when by_document is set, else by paragraph; keep the pairs seen in at
 * least min units (min 0 counts as 1).  *r is emptied first; free it with
 * cooc_free either way.  Returns 0, or -1 with *err set: PS_USAGE "TERM:
 * reason" for a term the engine refuses, PS_NOMEM, an index error. */
int cooc_run(search_engine *e, const char *const *terms, size_t n, const search_request *filter, int by_document,
             uint64_t min, cooc_result *r, ps_err *err);

/* Jaccard's coefficient both / (na + nb - both), in [0, 1]. */
double cooc_jaccard(uint64_t na, uint64_t nb, uint64_t both);
/* Pointwise mutual information log2(both * n / (na * nb)): 0 when A and B
 * meet as often as chance predicts, positive when more often. */
double cooc_pmi(uint64_t na, uint64_t nb, uint64_t both, uint64_t n);

/* Free what *r holds and empty it. */
void cooc_free(cooc_result *r);

#endif
