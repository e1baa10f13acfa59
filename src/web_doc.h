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

#include "search.h"
#include "web_site.h"

/* Parse an id: exactly 16 lower-case hex digits.  Returns 0 with *id set, or -1. */
int  web_id_parse(const char *s, uint64_t *id);
/* The id of the file indexed as path, as 16 hex digits, into out. */
void web_id_of(const char *path, char out[17]);
/* The document page of file id in dirs[0..n), the matches of q (NULL or
 * "" for none) marked as engine e's searches mark them (expansions
 * included; e may be NULL: nothing marked), into rep: 200, 404 for an id no index holds, 503
 * when an index cannot be read.  Returns 0, or -1 when out of memory. */
int  web_doc_page(search_engine *e, const char *const *dirs, size_t n, uint64_t id, const char *q,
                  web_reply *rep);
/* The original file of id in dirs[0..n) as rep->file, with its format's
 * Content-Type; 404 for an unknown id, 503 as above.  Returns 0, or -1
 * when out of memory. */
int  web_file_reply(const char *const *dirs, size_t n, uint64_t id, web_reply *rep);

#endif
