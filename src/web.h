/* web.h — the HTTP server of `polsearch web` (GNU libmicrohttpd).
 *
 * The server owns the socket, the limits and the headers; what a page
 * holds is web_site.h's business.  A pool of threads (libmicrohttpd's
 * MHD_OPTION_THREAD_POOL_SIZE) answers requests at once, each thread on
 * its own worker of the site (its own Xapian handles, which are not
 * thread-safe); nothing is shared between them but read-only options, so
 * no request sees another's state.
 *
 * Limits: GET and HEAD only (405 with Allow otherwise); at most
 * WEB_MAX_CONNECTIONS connections at once; WEB_MEMORY_LIMIT bytes for a
 * request's URL and headers (libmicrohttpd answers 414/431 past it);
 * WEB_TIMEOUT_S seconds of idleness per connection; at most WEB_MAX_PARAMS
 * query parameters, each valid UTF-8 without NUL (400 otherwise).  Every
 * response carries Content-Security-Policy default-src 'self',
 * X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer. */
#ifndef POLSEARCH_WEB_H
#define POLSEARCH_WEB_H

#include <stddef.h>

#include "err.h"
#include "web_site.h"

#define WEB_MAX_CONNECTIONS 64       /* connections served at once; more wait in the backlog */
#define WEB_MEMORY_LIMIT    32768    /* bytes per connection for the request line and headers */
#define WEB_TIMEOUT_S       10       /* seconds a connection may stay idle */
#define WEB_MAX_THREADS     64       /* threads a server may answer with */

typedef struct web_server web_server;

/* Listen on addr (a numeric IPv4 or IPv6 address, or "localhost") at
 * port and start answering with site (which the caller keeps and frees
 * after web_stop; made for at least `threads` workers) on `threads`
 * threads (0 or 1: one).  Returns 0 with *out set, or -1 with err set
 * ("cannot listen on ADDR port N: why"). */
int  web_start(const char *addr, unsigned port, web_site *site, unsigned threads, web_server **out,
               ps_err *err);
/* Stop answering, close the socket and free the server. */
void web_stop(web_server *s);

#endif
