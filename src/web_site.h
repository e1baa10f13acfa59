/* web_site.h — the pages and API of `polsearch web`: a request in, a reply out.
 *
 * This module knows nothing of HTTP connections (web.h does): it takes a
 * decoded path and its query parameters and fills a reply, so every page
 * can be tested without a socket.  The site keeps the indexes open between
 * requests and reopens them when they changed on disk.  It may answer
 * from several threads at once: each thread gets a worker of its own
 * (its own open indexes, lexicon and documents: Xapian's handles are not
 * thread-safe), and the threads share only what web_site_new was given,
 * read only.
 *
 * Routes (cli-contract.md, "Reading in a browser"):
 *   /, /search?q=…        the search form and ranked results (HTML)
 *   /api/search?q=…       the JSON Lines of `search --json` for the same parameters
 *   /doc/ID, /file/ID     a document's paragraphs (HTML); its file as on disk
 *   /terms?t=…&by=…       a term's trend: chart, table, downloads (web_terms.h)
 *   /api/terms, /api/stats the bytes of `terms --json|--csv` and `stats --json`
 *   /refs, /api/refs      the citation graph of each index (SVG; refs --graph --json)
 *   /help, /style.css     the query syntax; the stylesheet
 * ID is the 16 hex digits of an indexed file's path hash (store_path_hash):
 * a file is found by its id among the indexed files, never by a path from
 * the URL.  Errors: 400 a bad query or parameter, 404 an unknown page or
 * id, 503 the index cannot be read (JSON for /api/, HTML otherwise). */
#ifndef POLSEARCH_WEB_SITE_H
#define POLSEARCH_WEB_SITE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define WEB_MAX_PARAMS 64            /* query parameters a request may have */

/* One query parameter, decoded. */
typedef struct web_param {
    const char *name;                /* the name, NUL-terminated UTF-8 */
    const char *value;               /* the value ("" when none), NUL-terminated UTF-8 */
} web_param;

/* A request as the site sees it. */
typedef struct web_request {
    const char      *path;           /* the decoded path, starting with '/' */
    const web_param *params;         /* its query parameters, in order */
    size_t           nparams;        /* number of parameters */
} web_request;

/* What to answer. */
typedef struct web_reply {
    int         status;              /* HTTP status code */
    const char *type;                /* Content-Type (a string literal, or ctype) */
    buf         body;                /* the body, unless file is set */
    char       *file;                /* serve this indexed file's bytes instead (malloc'd path), or NULL */
    int         sandbox;             /* 1: the body is a document's own bytes: a CSP that forbids everything */
    char        ctype[80];           /* a Content-Type made for this reply (type may point here) */
} web_reply;
#define WEB_REPLY_INIT { 0, NULL, BUF_INIT, NULL, 0, "" }

typedef struct web_site web_site;

/* A site over the indexes dirs[0..n) (kept by pointer: the caller keeps
 * them alive) for nworkers threads (0 counts as 1: a thread past them
 * shares a worker, one request at a time).  Opening the indexes waits for
 * each worker's first request, so a missing index gives 503 until it is
 * built.  Each request's searches stop after time_limit seconds (0: no
 * limit) with 503 and a message (search_set_deadline).  Returns 0 with
 * *out set, or -1 when out of memory (err set). */
int  web_site_new(const char *const *dirs, size_t n, double time_limit, size_t nworkers, web_site **out,
                  ps_err *err);
/* Free the site and close its indexes. */
void web_site_free(web_site *s);
/* Answer req into rep (WEB_REPLY_INIT on entry) on the calling thread's
 * worker; any thread may call it.  Returns 0, or -1 when out of memory
 * (rep then holds nothing worth sending: answer 500). */
int  web_route(web_site *s, const web_request *req, web_reply *rep);
/* Fill rep with an error: status and message msg, as JSON
 * {"error":msg,"status":N} when json is set, else as a short HTML page.
 * Returns 0, or -1 when out of memory. */
int  web_reply_error(web_reply *rep, int status, int json, const char *msg);
/* Free what rep holds. */
void web_reply_free(web_reply *rep);
/* The value of parameter name in req (the first one), or NULL. */
const char *web_param_get(const web_request *req, const char *name);

#endif
