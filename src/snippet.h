/* snippet.h — the window of a paragraph shown with a result.
 *
 * The window is about `width` code points around the densest cluster of
 * matches (the window start that covers the most match code points; ties go
 * to the earliest).  Its edges are moved, by at most a third of the width,
 * to Chinese sentence or clause boundaries (after 。！？；!?; and, failing
 * those, after ，,、：:) so that a snippet reads as a sentence.  Where text
 * was cut, "…" stands at that end.  A paragraph that fits is shown whole. */
#ifndef POLSEARCH_SNIPPET_H
#define POLSEARCH_SNIPPET_H

#include <stddef.h>

#include "span.h"

#define SNIPPET_WIDTH 80

typedef struct snippet {
    char      *text;                 /* the window as UTF-8, with "…" at cut ends (malloc'd) */
    size_t     len;                  /* bytes in text */
    span_list  hl;                   /* merged highlights, in code points of text (the … counts as one) */
    size_t     src_start;            /* first code point of the window in the paragraph */
    size_t     src_end;              /* one past the last code point of the window */
} snippet;

#define SNIPPET_INIT { NULL, 0, SPAN_LIST_INIT, 0, 0 }

/* Build the snippet of valid UTF-8 text[0..n) whose matches (code points,
 * sorted and merged by span_merge) are `matches`.  With no matches the
 * window is the start of the paragraph.  Returns 0, or -1 when out of
 * memory; *out is then empty. */
int  snip_build(const char *text, size_t n, const span_list *matches, size_t width,
                snippet *out);

/* Free a snippet's contents and reset it to SNIPPET_INIT. */
void snippet_free(snippet *s);

#endif
