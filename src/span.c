/* span.c — lists of code-point ranges; see span.h. */
#include "span.h"

#include <stdlib.h>

#include "buf.h"

int span_push(span_list *l, size_t start, size_t len)
{
    if (len == 0)
        return 0;
    if (ARRAY_GROW(l->v, l->cap, l->n + 1) != 0)
        return -1;
    l->v[l->n].start = start;
    l->v[l->n].len = len;
    l->n++;
    return 0;
}

static int span_cmp(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* After sorting, one pass folds each span into the previous one when it
 * starts at or before the previous one's end. */
void span_merge(span_list *l)
{
    if (l->n < 2)
        return;
    qsort(l->v, l->n, sizeof *l->v, span_cmp);
    size_t out = 0;
    for (size_t i = 1; i < l->n; i++) {
        span *last = &l->v[out];
        size_t end = last->start + last->len;
        if (l->v[i].start <= end) {
            size_t e2 = l->v[i].start + l->v[i].len;
            if (e2 > end)
                last->len = e2 - last->start;
        } else {
            l->v[++out] = l->v[i];
        }
    }
    l->n = out + 1;
}

void span_clear(span_list *l)
{
    l->n = 0;
}

void span_list_free(span_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
