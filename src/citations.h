/* citations.h — references between indexed documents, read from the index.
 *
 * refs.h finds references in text and turns their keys into terms; the
 * index writer puts XRT<key> / XRN<key> on each paragraph that cites a
 * title / a document number, and XIT<key> / XIN<key> on each file document
 * for the document's own title and number (from its metadata).  This
 * module reads them back, for `polsearch refs`:
 *   - the indexed files are the live file documents (an XD<vid> term
 *     without a tombstone XT<vid>), each read once, sorted by path;
 *   - a file's identities are the XIT/XIN terms its file document has:
 *     found with one query per kind, OR over the files of (the term its
 *     title or number would give AND its XD term), so a title a document
 *     only borrowed (refs_doc_title's fallbacks) is not taken for its own;
 *   - a reference resolves to the live file with the identity term of the
 *     same kind and key (XRT<key> -> XIT<key>, XRN<key> -> XIN<key>; the
 *     key part of the terms is the same, refs_term);
 *   - citing paragraphs are found by a query on XRT/XRN terms, never by
 *     reading every paragraph; the graph lists the cited terms with
 *     allterms, resolves them and runs one query per cited indexed file.
 * Everything goes through the shim's reading calls, so a remote index
 * (tcp://, `polsearch serve`) gives the same answers.
 *
 * Library code: nothing here prints; errors are kept in cite_index.err
 * (the first one) and functions return -1. */
#ifndef POLSEARCH_CITATIONS_H
#define POLSEARCH_CITATIONS_H

#include <stddef.h>

#include "err.h"
#include "refs.h"
#include "store.h"
#include "xapian-shim.h"

/* "No file": what lookups return when there is none. */
#define CITE_NONE ((size_t)-1)

/* One indexed file (a live file document). */
typedef struct cite_file {
    char     vid[17];                /* its version id (16 hex digits) */
    char    *data;                   /* the file document's data (malloc'd); info points into it */
    para_rec info;                   /* file, title, date, issuer, docno (store_fileinfo_decode) */
    int      own_title;              /* 1 when it is identified by its title (its XIT term) */
} cite_file;

/* A file's place in the files, found by its version id. */
typedef struct cite_vid {
    char   vid[17];                  /* the version id (16 hex digits) */
    size_t file;                     /* index into cite_index.files */
} cite_vid;

/* An identity term and the file that has it. */
typedef struct cite_ident {
    char  *term;                     /* XIT<key> or XIN<key> (malloc'd) */
    size_t file;                     /* index into cite_index.files */
} cite_ident;

/* What an index says about its files and their identities. */
typedef struct cite_index {
    xs_db      *db;                  /* the open index */
    cite_file  *files;               /* live files, sorted by path */
    size_t      nfiles;              /* files in use */
    cite_vid   *by_vid;              /* the files, sorted by version id */
    cite_ident *ids;                 /* identity terms, sorted by term then file */
    size_t      nids;                /* identity terms in use */
    size_t      capids;              /* identity terms allocated */
    ps_err      err;                 /* the first error */
} cite_index;

/* A paragraph read from the index. */
typedef struct cite_para {
    size_t   file;                   /* index into cite_index.files */
    char    *data;                   /* the paragraph document's data (malloc'd); rec points into it */
    para_rec rec;                    /* the paragraph record (file fields not set) */
} cite_para;

/* Paragraphs, in file (path) order, then paragraph order. */
typedef struct cite_paras {
    cite_para *v;                    /* the paragraphs */
    size_t     n;                    /* paragraphs in use */
    size_t     cap;                  /* paragraphs allocated */
} cite_paras;

#define CITE_PARAS_INIT { NULL, 0, 0 }

/* A list of terms (malloc'd strings). */
typedef struct cite_terms {
    char  **v;                       /* the terms */
    size_t  n;                       /* terms in use */
    size_t  cap;                     /* terms allocated */
    int     oom;                     /* set when a term could not be kept (out of memory) */
} cite_terms;

#define CITE_TERMS_INIT { NULL, 0, 0, 0 }

/* An edge of the citation graph. */
typedef struct cite_edge {
    size_t   from;                   /* citing file (index into files) */
    size_t   to;                     /* cited file */
    unsigned refs;                   /* citing paragraphs */
} cite_edge;

/* Open the index dir (a directory or tcp://HOST:PORT) and read its live
 * files and their identities into *ix (zeroed first).  Returns 0, or -1
 * with ix->err set; either way cite_close frees what ix holds. */
int    cite_open(cite_index *ix, const char *dir);
/* Free what ix holds and zero it. */
void   cite_close(cite_index *ix);

/* The index in ix->files of the file indexed as path ("./" in front of it
 * ignored), or else of the file path names however spelled (the same
 * canonical path, walk.h), or CITE_NONE. */
size_t cite_file_by_path(const cite_index *ix, const char *path);

/* The indexed file that reference kind/key[0..len) names, other than self
 * (CITE_NONE: no such file, or only self; self may be CITE_NONE); *is_self
 * is set when self has that identity.  Returns CITE_NONE with ix->err set
 * when out of memory. */
size_t cite_resolve(cite_index *ix, enum ref_kind kind, const char *key, size_t len, size_t self,
                    int *is_self);

/* The paragraphs of file f, in paragraph order, into *out (empty on entry).
 * Returns 0, or -1 with ix->err set. */
int    cite_file_paras(cite_index *ix, size_t f, cite_paras *out);

/* What cite_each_ref calls for each reference it of paragraph r (its
 * bytes at r->text + it->start), target the cited indexed file or
 * CITE_NONE.  Returns 0 to go on, anything else to stop with it. */
typedef int (*cite_ref_fn)(void *ctx, const para_rec *r, const ref_item *it, size_t target);
/* Call fn for each reference in paras (paragraphs of file f, from
 * cite_file_paras), in document order, resolved; references that name f
 * itself are left out, as the indexer left them out.  Returns 0, what fn
 * returned to stop, or -1 with ix->err set. */
int    cite_each_ref(cite_index *ix, size_t f, const cite_paras *paras, cite_ref_fn fn, void *ctx);
/* The terms of paragraphs that cite file f (XRT of its own title, XRN of
 * its own number; none when it has no identity), sorted, appended to
 * *out.  Returns 0, or -1 with ix->err set. */
int    cite_terms_of_file(cite_index *ix, size_t f, cite_terms *out);

/* The live paragraphs of indexed files that have any of the terms
 * terms->v[0..n) (sorted, n > 0), into *out (empty on entry), in file
 * then paragraph order.  Returns 0, or -1 with ix->err set. */
int    cite_citing(cite_index *ix, const cite_terms *terms, cite_paras *out);

/* The citation graph: an edge from file A to file B (A != B) when a
 * paragraph of A cites B, counting such paragraphs; sorted by A, then B,
 * in *edges (malloc'd, *n of them).  Returns 0, or -1 with ix->err set. */
int    cite_graph(cite_index *ix, cite_edge **edges, size_t *n);

/* Bytes of a node's URL in the graph (cite_graph_write), NUL included. */
#define CITE_URL_MAX 64
/* The URL of the node of the file indexed as path, into url (NUL-terminated). */
typedef void (*cite_url_fn)(void *ctx, const char *path, char url[CITE_URL_MAX]);
/* Append the graph (cite_graph's edges over ix's files) to out as
 * Graphviz DOT (`refs --graph`: a node per file labelled with its title
 * cut to 20 characters and its date, its path as tooltip, and URL=
 * url_of's when url_of is not NULL; an edge per cited file labelled with
 * its citing paragraphs), or as JSON when json is set
 * ({"nodes":[{"id","file","title","date"}],"edges":[{"from","to","refs"}]}).
 * Returns 0, or -1 when out of memory. */
int    cite_graph_write(const cite_index *ix, const cite_edge *edges, size_t nedges, int json,
                        cite_url_fn url_of, void *ctx, buf *out);
/* 1 when term is in terms (sorted). */
int    cite_terms_has(const cite_terms *terms, const char *term);
/* Append a copy of term[0..len) to l.  Returns 0, or -1 when out of memory. */
int    cite_terms_push(cite_terms *l, const char *term, size_t len);
/* Free l's terms and reset it to CITE_TERMS_INIT. */
void   cite_terms_free(cite_terms *l);
/* Free the paragraphs of l and reset it to CITE_PARAS_INIT. */
void   cite_paras_free(cite_paras *l);

#endif
