/* web_doc.h — the document view (/doc/ID) and the original file (/file/ID).
 *
 * A document is found by its id (web_site.h) among the live files of the
 * indexes, read back with citations.h: its paragraphs in order, its
 * metadata, what it cites and who cites it.  Nothing here takes a path
 * from the request. */
#ifndef POLSEARCH_WEB_DOC_H
#define POLSEARCH_WEB_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "citations.h"
#include "search.h"
#include "web_site.h"

/* Copies of a paragraph read (file and paragraph) to be listed under it;
 * past them the view says how many more there are. */
#define WEB_DOC_COPIES_READ 20

/* The indexes read back for document views, kept open between requests
 * (a document view costs a lookup, not a reading of every file record);
 * web_docs_forget drops them when the indexes changed on disk. */
typedef struct web_docs {
    const char *const *dirs;         /* the indexes (the caller's) */
    size_t             n;            /* number of them */
    cite_index        *ix;           /* ix[i]: index i read back, when open[i] */
    unsigned char     *open;         /* open[i]: ix[i] holds index i */
    uint64_t         **ids;          /* ids[i][f]: the id of ix[i].files[f] (store_path_hash), when open[i] */
    struct web_enc    *enc;          /* text and HTML files' encodings (for /file's charset) */
    size_t             nenc;         /* entries in enc */
    size_t             capenc;       /* entries allocated */
    int                enc_read;     /* enc was read from the file records */
} web_docs;

/* Set up d over dirs[0..n) with nothing open.  Returns 0, or -1 with PS_NOMEM in *err. */
int  web_docs_init(web_docs *d, const char *const *dirs, size_t n, ps_err *err);
/* Close what d holds open (the indexes changed: read them again on next use). */
void web_docs_forget(web_docs *d);
/* Close and free what d holds. */
void web_docs_free(web_docs *d);

/* Parse an id: exactly 16 lower-case hex digits.  Returns 0 with *id set, or -1. */
int  web_id_parse(const char *s, uint64_t *id);
/* The id of the file indexed as path, as 16 hex digits, into out. */
void web_id_of(const char *path, char out[17]);
/* The document page of file id in d's indexes, the matches of q (NULL or
 * "" for none) marked as engine e's searches mark them (expansions
 * included; e may be NULL: nothing marked), each paragraph followed by
 * "另见 N 处" opening to links to its copies elsewhere (/doc/ID2#pN; the
 * copy groups of search_copies_of, over e's indexes; none when e is NULL),
 * into rep: 200, 404 for an id
 * no index holds, 503 when an index cannot be read.  Returns 0, or -1
 * when out of memory. */
int  web_doc_page(search_engine *e, web_docs *d, uint64_t id, const char *q, web_reply *rep);
/* The original file of id in d's indexes as rep->file, with its format's
 * Content-Type (text with the charset it was decoded from); 404 for an
 * unknown id, 503 as above.  Returns 0, or -1 when out of memory. */
int  web_file_reply(web_docs *d, uint64_t id, web_reply *rep);

#endif
