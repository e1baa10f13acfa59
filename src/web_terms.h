/* web_terms.h — term trends (/terms), /api/terms and /api/stats.
 *
 * /terms?t=TERM&t=…&by=DIM draws the counts of `polsearch terms --by DIM
 * --csv TERM…` (paragraphs per cell, as search -c counts them) as a chart
 * in server-side SVG (a line per term over the years, grouped bars for the
 * other dimensions), with the table under it and CSV and JSON links.
 * /api/terms gives the bytes of `terms --by DIM --json` (format=json, the
 * default; n=N as -n) or of --csv/--tsv (format=csv|tsv, wide=1 as
 * --wide) for the same terms (none: the whole lexicon).
 * /api/stats gives `stats --json` of each index, one line each. */
#ifndef POLSEARCH_WEB_TERMS_H
#define POLSEARCH_WEB_TERMS_H

#include <stddef.h>

#include "lexicon.h"
#include "search.h"
#include "web_site.h"

#define WEB_TERMS_MAX  8             /* terms one chart draws */
#define WEB_CHART_BARS 15            /* categories a bar chart draws (the table has them all) */

/* The /terms page for r on e with lexicon lx.  Returns 0 (rep filled: 200,
 * 400 for a bad term or dimension, 503 as search's), or -1 when out of memory. */
int web_terms_page(search_engine *e, const lexicon *lx, const web_request *r, web_reply *rep);
/* /api/terms for r, as above. */
int web_terms_api(search_engine *e, const lexicon *lx, const web_request *r, web_reply *rep);
/* /api/stats of dirs[0..n).  Returns 0 (200, or 503 when an index cannot
 * be read), or -1 when out of memory. */
int web_stats_api(const char *const *dirs, size_t n, web_reply *rep);
/* Append to b a link to the trend of the lexicon terms in query q (nothing
 * when it names none).  Returns 0, or -1 when out of memory. */
int web_terms_link(buf *b, const lexicon *lx, const char *q);

#endif
