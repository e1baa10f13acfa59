/* layout.h — from positioned lines of fixed-layout pages to paragraphs.
 *
 * PDF (poppler), OFD (TextCode positions) and OCR output give text as lines
 * placed on pages.  This module turns them into reader text (reader.h):
 *   - lines are put in reading order (top to bottom, then left to right;
 *     producers do not always write objects in that order), column by
 *     column where a page is set in text columns (an XY-cut: a gutter
 *     shared by consecutive lines with a text column on each side; tables,
 *     forms, indents and signatures are not cut), a paragraph going on
 *     from the foot of one column to the head of the next;
 *   - running headers and footers are dropped: a line near the top or the
 *     bottom of the page whose text (digits ignored) repeats on most pages,
 *     and page numbers ("- 3 -", "3", "第 3 页 共 10 页", "3/10");
 *   - the lines of a paragraph are joined: a break between two Han
 *     characters (or CJK punctuation) vanishes, a break between Latin words
 *     becomes a space; a new paragraph starts after a vertical gap clearly
 *     larger than the line spacing, at a clear first-line indent, or after
 *     a line that ends a sentence well short of the right margin;
 *   - spaces that the layout put between CJK characters (autospacing: "第
 *     380 号建议" for "第380号建议"; OCR's "科 技 型") are removed where one
 *     side is a Han character or CJK punctuation and the other a Han
 *     character or a digit;
 *   - a paragraph that runs over a page break is joined to its end on the
 *     next page, and starts on the page where it starts.
 * The caller adds every line of every page, then calls layout_finish. */
#ifndef POLSEARCH_LAYOUT_H
#define POLSEARCH_LAYOUT_H

#include <stddef.h>

#include "err.h"
#include "reader.h"

typedef struct layout layout;        /* lines gathered so far (opaque) */

typedef struct layout_line {
    const char *text;                /* UTF-8, no line break (copied by layout_add) */
    size_t      len;                 /* bytes in text */
    double      x0, y0;              /* top-left corner, in page units, y growing downwards */
    double      x1, y1;              /* bottom-right corner */
} layout_line;

/* A new, empty layout, or NULL (out of memory). */
layout *layout_new(void);
/* Start page number npage (1-based, in order) of the given size. */
int layout_page(layout *l, double width, double height, ps_err *err);
/* Add a line (or a fragment of one: fragments on the same baseline are
 * merged left to right) to the current page. */
int layout_add(layout *l, const layout_line *line, ps_err *err);
/* Write the paragraphs of all pages into out (text and page starts).
 * Returns 0, or -1 with err set. */
int layout_finish(layout *l, reader_out *out, ps_err *err);
void layout_free(layout *l);

#endif
