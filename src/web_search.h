/* web_search.h — the search page (/search) and /api/search on search.h.
 *
 * A request's parameters become one search_request: q (the query, the
 * CLI's syntax), n (results per page, 1 to WEB_MAX_N, default 10), start
 * (results passed over), and the filters of `search` under their option
 * names: year, since, until, issuer, region, file, type, cites, no-expand,
 * no-collapse (a flag is on when present and not "0").  /api/search
 * answers with exactly the JSON Lines `search --json -n N` writes; the
 * page shows the same results as HTML, with the exact count, paging
 * links, removable chips for the active filters and facets (format, year,
 * issuer, region: each province and city, counted as the region filter
 * selects) counted exactly over the matching paragraphs. */
#ifndef POLSEARCH_WEB_SEARCH_H
#define POLSEARCH_WEB_SEARCH_H

#include "lexicon.h"
#include "search.h"
#include "web_site.h"

#define WEB_MAX_N       1000         /* results a page or an API call may ask for */

/* The JSON Lines of req's search on e into rep: 200, or 400 (a bad
 * parameter or query), 503 (an index error), as JSON.  Returns 0, or -1
 * when out of memory. */
int web_search_api(search_engine *e, const web_request *req, web_reply *rep);
/* The search page of req on e into rep (HTML; errors as for the API),
 * with a link to the trend of the query's terms in lexicon lx (NULL: no
 * link).  Returns 0, or -1 when out of memory. */
int web_search_page(search_engine *e, const lexicon *lx, const web_request *req, web_reply *rep);

#endif
