/* span.h — lists of [start, start+len) ranges in code points.
 *
 * Matches are found as spans of the source text; before they are
 * highlighted they are sorted and coalesced (FTS5 does the same), so that
 * overlapping or touching matches come out as one highlighted run. */
#ifndef POLSEARCH_SPAN_H
#define POLSEARCH_SPAN_H

#include <stddef.h>

typedef struct span {
    size_t start;                    /* first code point */
    size_t len;                      /* number of code points (> 0) */
} span;

typedef struct span_list {
    span   *v;                       /* the spans */
    size_t  n;                       /* spans in use */
    size_t  cap;                     /* spans allocated */
} span_list;

#define SPAN_LIST_INIT { NULL, 0, 0 }

/* Append a span (len 0 is ignored).  Returns 0, or -1 when out of memory. */
int  span_push(span_list *l, size_t start, size_t len);
/* Sort by start and merge spans that overlap or touch. */
void span_merge(span_list *l);
/* Forget the spans, keep the allocation. */
void span_clear(span_list *l);
/* Free and reset to SPAN_LIST_INIT. */
void span_list_free(span_list *l);

#endif
