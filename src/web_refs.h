/* web_refs.h — the citation graph in the browser: /refs and /api/refs.
 *
 * /api/refs is `polsearch refs --graph --json` of the first index; /refs
 * draws `refs --graph`'s DOT as SVG with Graphviz's dot, run at request
 * time (dot -Tsvg, as the field usually does), each node a link to its
 * document view; without dot the page says how to get it. */
#ifndef POLSEARCH_WEB_REFS_H
#define POLSEARCH_WEB_REFS_H

#include "web_site.h"

/* The graph of index dir into rep: as JSON when json is set, else as the
 * /refs page; 503 when the index cannot be read.  Returns 0, or -1 when
 * out of memory. */
int web_refs(const char *dir, int json, web_reply *rep);

#endif
