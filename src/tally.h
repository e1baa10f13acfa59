/* tally.h — counts of queries (policy terms) per cell of one or two
 * dimensions of the documents (file, issuer, year, region, format), for
 * `terms --by DIM[,DIM] --csv|--tsv|--wide`.
 *
 * A cell is (dim1 value, dim2 value, term): the paragraphs that match the
 * term (each copy counts, as search -c counts), the documents they are in
 * and the matches search marks in them.  Hits are added one by one; the
 * cells come out sorted by dim1, dim2, then term number. */
#ifndef POLSEARCH_TALLY_H
#define POLSEARCH_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

enum tally_dim { TD_FILE, TD_ISSUER, TD_YEAR, TD_REGION, TD_FORMAT };

#define TALLY_DIMS_MAX 2             /* dimensions a table has at most */

/* Parse "year" or "year,region" into dims[0..*n).  Returns 0, or -1 with
 * PS_USAGE in *err naming what is wrong. */
int tally_dims_parse(const char *list, enum tally_dim dims[TALLY_DIMS_MAX], size_t *n, ps_err *err);

/* The name of a dimension ("year"). */
const char *tally_dim_name(enum tally_dim d);

/* rec's value for d into out (cap bytes, NUL-terminated, cut when too
 * long): its path, issuer, year (YYYY), region ("浙江省/嘉兴市/海宁市",
 * "全国") or format; "unknown" when the metadata does not say.  Returns out. */
char *tally_dim_value(enum tally_dim d, const para_rec *rec, char *out, size_t cap);

/* One cell's counts. */
typedef struct tally_cell {
    char     *v[TALLY_DIMS_MAX];     /* the dimension values (malloc'd; NULL past the table's dims) */
    size_t    term;                  /* the term's number (its column) */
    uint64_t  paragraphs;            /* matching paragraphs */
    uint64_t  documents;             /* distinct files among them */
    uint64_t  occurrences;           /* matches in them */
} tally_cell;

typedef struct tally tally;          /* the hits added and the cells made of them (opaque) */

/* A tally of ndims dimensions (0 to TALLY_DIMS_MAX).  NULL when out of memory. */
tally *tally_new(size_t ndims);
/* Add one matching paragraph of term number `term` with its values
 * v[0..ndims), its file version key and its match count.  Returns 0, or
 * -1 when out of memory. */
int tally_add(tally *t, size_t term, const char *const *v, const char *file_key, uint64_t occurrences);
/* The cells, sorted (dim values, then term), in *n; valid until tally_free.
 * NULL with *n 0 when there are none or memory ran out (*nomem set). */
const tally_cell *tally_cells(tally *t, size_t *n, int *nomem);
/* Free the tally (NULL is fine). */
void tally_free(tally *t);

#endif
