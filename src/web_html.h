/* web_html.h — HTML for `polsearch web`: escaping, links, page frames.
 *
 * Every piece of text that reaches a page (document text, titles, file
 * names, the query) goes through html_text or html_marked, which escape
 * the five HTML metacharacters, replace invalid UTF-8, control characters
 * and bidirectional overrides (which could make a file name read as
 * another) with U+FFFD, so no document can inject markup or disguise a
 * link.  URLs are built by the server from ids and percent-encoded
 * parameters only (url_param), never copied from a document.
 *
 * Writers append to a buf and return 0, or -1 when out of memory (the
 * buffer then holds a prefix of the page; the caller drops it). */
#ifndef POLSEARCH_WEB_HTML_H
#define POLSEARCH_WEB_HTML_H

#include <stddef.h>

#include "buf.h"
#include "span.h"

/* Append s[0..n) to b HTML-escaped (see the top of this file). */
int html_text(buf *b, const char *s, size_t n);
/* html_text of a NUL-terminated string. */
int html_str(buf *b, const char *s);
/* Append text[0..n) escaped, with each span of marks (merged, in code
 * points into text) inside <mark>…</mark>. */
int html_marked(buf *b, const char *text, size_t n, const span_list *marks);
/* Append "&name=value" (the '&' only when b's query part already has a
 * parameter, i.e. first is 0), name and value percent-encoded. */
int url_param(buf *b, int first, const char *name, const char *value);
/* Append the page's head up to and including <body> and the top bar
 * (the query box holding q, which may be NULL), with title escaped. */
int html_page_begin(buf *b, const char *title, const char *q);
/* Append the page's end (closing </main></body></html>). */
int html_page_end(buf *b);

/* The stylesheet served at /style.css (NUL-terminated). */
extern const char web_stylesheet[];

#endif
