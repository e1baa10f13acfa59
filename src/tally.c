/* tally.c — see tally.h.  Hits are kept as rows (values, term, file key,
 * matches); tally_cells sorts them and folds each run of equal values and
 * term into a cell, counting a file once per run. */
#include "tally.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "region.h"

static const char *const dim_names[] = { "file", "issuer", "year", "region", "format" };

/* One hit. */
typedef struct tally_row {
    char     *v[TALLY_DIMS_MAX];     /* its dimension values (malloc'd) */
    size_t    term;                  /* its term number */
    char      key[17];               /* its file version key */
    uint64_t  occ;                   /* its matches */
} tally_row;

struct tally {
    size_t      ndims;               /* dimensions in use */
    tally_row  *rows;                /* hits added */
    size_t      nrows, caprows;      /* rows in use, allocated */
    tally_cell *cells;               /* made by tally_cells (values borrowed from rows) */
    size_t      ncells;              /* cells in use */
};

/* See tally.h. */
const char *tally_dim_name(enum tally_dim d)
{
    return dim_names[d];
}

/* See tally.h. */
int tally_dims_parse(const char *list, enum tally_dim dims[TALLY_DIMS_MAX], size_t *n, ps_err *err)
{
    *n = 0;
    for (const char *p = list;; p++) {
        size_t len = strcspn(p, ",");
        size_t k = 0;
        while (k < sizeof dim_names / sizeof *dim_names
               && (strlen(dim_names[k]) != len || strncmp(dim_names[k], p, len) != 0))
            k++;
        if (k == sizeof dim_names / sizeof *dim_names)
            return ps_err_set(err, PS_USAGE, "--by: '%.*s' is not file, issuer, year, region or format",
                              (int)len, p), -1;
        if (*n == TALLY_DIMS_MAX)
            return ps_err_set(err, PS_USAGE, "--by: '%s': at most two dimensions", list), -1;
        if (*n && dims[0] == (enum tally_dim)k)
            return ps_err_set(err, PS_USAGE, "--by: '%s' names %s twice", list, dim_names[k]), -1;
        dims[(*n)++] = (enum tally_dim)k;
        p += len;
        if (!*p)
            return 0;
    }
}

/* See tally.h. */
char *tally_dim_value(enum tally_dim d, const para_rec *rec, char *out, size_t cap)
{
    const char *v = NULL;
    ps_region r;
    switch (d) {
    case TD_FILE: v = rec->file; break;
    case TD_ISSUER: v = rec->issuer; break;
    case TD_FORMAT: v = rec->format; break;
    case TD_YEAR:
        if (rec->date && strlen(rec->date) >= 4)
            return snprintf(out, cap, "%.4s", rec->date), out;
        break;
    case TD_REGION:
        if (region_of(&(region_src){ .issuer = rec->issuer, .title = rec->title, .docno = rec->docno }, &r))
            return snprintf(out, cap, "%s%s%s%s%s", r.province, r.city ? "/" : "", r.city ? r.city : "",
                            r.county ? "/" : "", r.county ? r.county : ""), out;
        break;
    }
    snprintf(out, cap, "%s", v && *v ? v : "unknown");
    return out;
}

/* See tally.h. */
tally *tally_new(size_t ndims)
{
    tally *t = calloc(1, sizeof *t);
    if (t)
        t->ndims = ndims < TALLY_DIMS_MAX ? ndims : TALLY_DIMS_MAX;
    return t;
}

/* See tally.h. */
int tally_add(tally *t, size_t term, const char *const *v, const char *file_key, uint64_t occurrences)
{
    if (buf_grow_array((void **)&t->rows, &t->caprows, t->nrows + 1, sizeof *t->rows) != 0)
        return -1;
    tally_row *row = &t->rows[t->nrows];
    memset(row, 0, sizeof *row);
    for (size_t i = 0; i < t->ndims; i++)
        if (!(row->v[i] = strdup(v[i]))) {
            for (size_t j = 0; j < i; j++)
                free(row->v[j]);
            return -1;
        }
    row->term = term;
    snprintf(row->key, sizeof row->key, "%s", file_key ? file_key : "");
    row->occ = occurrences;
    t->nrows++;
    return 0;
}

/* Order rows by values, term, then file key.  (qsort has no context: the
 * values past a table's dims are NULL in every row, so they compare equal.) */
static int cmp_rows(const void *a, const void *b)
{
    const tally_row *x = a, *y = b;
    for (size_t i = 0; i < TALLY_DIMS_MAX; i++) {
        int c = strcmp(x->v[i] ? x->v[i] : "", y->v[i] ? y->v[i] : "");
        if (c)
            return c;
    }
    if (x->term != y->term)
        return x->term < y->term ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* 1 when rows a and b fall in the same cell, else 0. */
static int same_cell(const tally_row *a, const tally_row *b, size_t ndims)
{
    for (size_t i = 0; i < ndims; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return 0;
    return a->term == b->term;
}

/* See tally.h. */
const tally_cell *tally_cells(tally *t, size_t *n, int *nomem)
{
    *n = 0;
    *nomem = 0;
    free(t->cells);
    t->cells = NULL;
    t->ncells = 0;
    if (!t->nrows)
        return NULL;
    qsort(t->rows, t->nrows, sizeof *t->rows, cmp_rows);
    if (!(t->cells = calloc(t->nrows, sizeof *t->cells)))
        return *nomem = 1, NULL;
    for (size_t i = 0; i < t->nrows; i++) {
        const tally_row *row = &t->rows[i];
        if (!i || !same_cell(row, &t->rows[i - 1], t->ndims)) {
            tally_cell *c = &t->cells[t->ncells++];
            memcpy(c->v, row->v, sizeof c->v);
            c->term = row->term;
        }
        tally_cell *c = &t->cells[t->ncells - 1];
        c->paragraphs++;
        c->occurrences += row->occ;
        if (c->paragraphs == 1 || strcmp(row->key, t->rows[i - 1].key) != 0)
            c->documents++;
    }
    *n = t->ncells;
    return t->cells;
}

/* See tally.h. */
void tally_free(tally *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t j = 0; j < TALLY_DIMS_MAX; j++)
            free(t->rows[i].v[j]);
    free(t->rows);
    free(t->cells);
    free(t);
}
