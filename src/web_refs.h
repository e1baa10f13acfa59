/* web_refs.h — the citation graph in the browser: /refs and /api/refs.
 *
 * /api/refs is `polsearch refs --graph --json` of each index (one line
 * each, in -d order); /refs draws each index's `refs --graph` DOT as SVG with Graphviz's dot, run at request
 * time (dot -Tsvg, as the field usually does), each node a link to its
 * document view; without dot the page says how to get it. */
#ifndef POLSEARCH_WEB_REFS_H
#define POLSEARCH_WEB_REFS_H

#include <stddef.h>

#include "web_site.h"

/* The graphs of the indexes dirs[0..n) into rep: as JSON when json is
 * set, else as the /refs page (a section per index); 503 when an index
 * cannot be read.  Returns 0, or -1 when out of memory. */
int web_refs(const char *const *dirs, size_t n, int json, web_reply *rep);

#endif
