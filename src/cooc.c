/* cooc.c — term co-occurrence through the search engine (cooc.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cooc.h"

/* The sorted, distinct ids of one term's matching units. */
typedef struct id_list {
    uint64_t *v;                     /* the ids */
    size_t    n;                     /* ids in use */
    size_t    cap;                   /* ids allocated */
} id_list;

/* What the search callback needs. */
typedef struct cooc_ctx {
    id_list *list;                   /* where the current term's ids go */
    int      by_document;            /* file version ids, not paragraph ids */
    int      nomem;                  /* memory ran out */
} cooc_ctx;

/* The search callback: keep the hit's unit.  Returns 0, or 1 (stop) out of memory. */
static int on_hit(void *ctx, const search_hit *hit)
{
    cooc_ctx *c = ctx;
    id_list *l = c->list;
    uint64_t id = hit->docid;
    if (c->by_document)             /* the file version: from the hit's place, or from its record */
        id = !hit->rec ? hit->version : strtoull(hit->rec->file_key ? hit->rec->file_key : "0", NULL, 16);
    if (buf_grow_array((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != 0)
        return c->nomem = 1, 1;
    l->v[l->n++] = id;
    return 0;
}


/* The first index i >= lo in v[0..n) with v[i] >= x (galloping, then binary search). */
static size_t gallop(const uint64_t *v, size_t n, size_t lo, uint64_t x)
{
    size_t step = 1, hi = lo;
    while (hi < n && v[hi] < x) {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    if (hi > n)
        hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* |a ∩ b| of two sorted distinct lists: each id of the shorter looked up
 * in the longer by galloping from where the last one was found. */
static uint64_t intersect(const id_list *a, const id_list *b)
{
    if (a->n > b->n) {
        const id_list *t = a;
        a = b;
        b = t;
    }
    uint64_t both = 0;
    size_t j = 0;
    for (size_t i = 0; i < a->n && j < b->n; i++) {
        j = gallop(b->v, b->n, j, a->v[i]);
        if (j < b->n && b->v[j] == a->v[i])
            both++, j++;
    }
    return both;
}

/* The number of distinct ids over lists[0..n).  Returns 0 with *nomem set out of memory. */
static uint64_t union_size(const id_list *lists, size_t n, int *nomem)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += lists[i].n;
    if (total == 0)
        return 0;
    uint64_t *all = malloc(total * sizeof *all);
    if (!all)
        return *nomem = 1, 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (lists[i].n)             /* an empty list may have no array at all */
            memcpy(all + k, lists[i].v, lists[i].n * sizeof *all);
        k += lists[i].n;
    }
    k = buf_sort_unique_u64(all, k);
    free(all);
    return k;
}

int cooc_run(search_engine *e, const char *const *terms, size_t n, const search_request *filter, int by_document,
             uint64_t min, cooc_result *r, ps_err *err)
{
    *r = (cooc_result)COOC_RESULT_INIT;
    if (err->code != PS_OK)
        return -1;
    id_list *lists = calloc(n + 1, sizeof *lists);
    if (!lists || !(r->count = calloc(n + 1, sizeof *r->count))) {
        free(lists);
        return ps_err_nomem(err), -1;
    }
    r->nterms = n;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        cooc_ctx c = { .list = &lists[i], .by_document = by_document };
        search_request req = *filter;
        req.query = terms[i];
        req.query_len = 0;
        req.mode = SEARCH_RANKED;
        req.limit = SEARCH_ALL;
        req.start = 0;
        req.more = 0;
        req.no_collapse = 1;
        req.no_boost = 1;
        req.explain = 0;
        req.bare = 1;
        req.ids = 1;
        search_summary sum;
        ps_err serr = PS_ERR_INIT;
        if (search_run(e, &req, on_hit, &c, &sum, &serr) != 0) {
            if (serr.code == PS_USAGE)
                ps_err_set(err, PS_USAGE, "%s: %s", terms[i], serr.msg);
            else
                *err = serr;
            rc = -1;
        } else if (c.nomem) {
            rc = (ps_err_nomem(err), -1);
        } else {
            lists[i].n = buf_sort_unique_u64(lists[i].v, lists[i].n);
            r->count[i] = lists[i].n;
        }
    }
    int nomem = 0;
    if (rc == 0)
        r->universe = union_size(lists, n, &nomem);
    if (min == 0)
        min = 1;
    for (size_t a = 0; a < n && rc == 0 && !nomem; a++) {
        if (r->count[a] < min)
            continue;
        for (size_t b = a + 1; b < n; b++) {
            if (r->count[b] < min)
                continue;
            uint64_t both = intersect(&lists[a], &lists[b]);
            if (both < min)
                continue;
            if (buf_grow_array((void **)&r->pairs, &r->cappairs, r->npairs + 1, sizeof *r->pairs) != 0) {
                nomem = 1;
                break;
            }
            r->pairs[r->npairs++] = (cooc_pair){ .a = a, .b = b, .both = both };
        }
    }
    if (rc == 0 && nomem)
        rc = (ps_err_nomem(err), -1);
    for (size_t i = 0; i < n; i++)
        free(lists[i].v);
    free(lists);
    return rc;
}

double cooc_jaccard(uint64_t na, uint64_t nb, uint64_t both)
{
    uint64_t uni = na + nb - both;
    return uni ? (double)both / (double)uni : 0.0;
}

double cooc_pmi(uint64_t na, uint64_t nb, uint64_t both, uint64_t n)
{
    if (!na || !nb || !both || !n)
        return 0.0;
    return log2((double)both * (double)n / ((double)na * (double)nb));
}

void cooc_free(cooc_result *r)
{
    free(r->count);
    free(r->pairs);
    *r = (cooc_result)COOC_RESULT_INIT;
}
