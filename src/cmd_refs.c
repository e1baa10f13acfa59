/* cmd_refs.c — `polsearch refs`: what a document cites, who cites it, and
 * the citation graph among the indexed documents.
 *
 * Everything comes from the index (refs.h terms), so it works the same on a
 * remote one (tcp://):
 *   - the indexed files are the live file documents (XD terms without a
 *     tombstone, XT), each read once;
 *   - a file is identified by its own title and number (XIT, XIN on its
 *     file document; a title borrowed from what it answers is not its own);
 *   - a reference resolves to the live file whose identity term has its key
 *     (XRT<key> -> XIT<key>, XRN<key> -> XIN<key>);
 *   - `refs FILE` re-extracts the references from FILE's stored paragraphs
 *     (refs_extract, with FILE's own title and number as the indexer had
 *     them), so it has their text and order;
 *   - `refs --to` and `--graph` find citing paragraphs with a query on
 *     their XRT/XRN terms; --graph lists the cited keys with xs_db_allterms
 *     and runs one query per cited indexed file. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "output.h"
#include "refs.h"
#include "snippet.h"
#include "span.h"
#include "store.h"
#include "utf8.h"
#include "xapian-shim.h"

/* Results read per Xapian round. */
#define REFS_PAGE          5000
/* Characters of a title in a graph node's label. */
#define REFS_LABEL_CHARS   20

enum refs_mode { RM_FILE, RM_TO, RM_GRAPH };

/* One indexed file (a live file document). */
typedef struct ref_file {
    char     vid[17];                /* its version id (16 hex digits) */
    char    *data;                   /* the file document's data (malloc'd); info points into it */
    para_rec info;                   /* file, title, date, issuer, docno (store_fileinfo_decode) */
    int      own_title;              /* 1 when it is identified by its title (its XIT term) */
} ref_file;

/* An identity term and the file that has it. */
typedef struct ref_ident {
    char  *term;                     /* XIT<key> or XIN<key> (malloc'd) */
    size_t file;                     /* index into refs_index.files */
} ref_ident;

/* A file's place in the files, found by its version id. */
typedef struct vid_slot {
    char   vid[17];                  /* the version id (16 hex digits) */
    size_t file;                     /* index into refs_index.files */
} vid_slot;

/* What the index says about its files. */
typedef struct refs_index {
    xs_db     *db;                   /* the open index */
    ref_file  *files;                /* live files, sorted by path */
    size_t     nfiles;               /* files in use */
    vid_slot  *by_vid;               /* the files, sorted by version id */
    ref_ident *ids;                  /* identity terms, sorted by term then file */
    size_t     nids;                 /* identity terms in use */
    size_t     capids;               /* identity terms allocated */
    ps_err     err;                  /* the first error */
} refs_index;

/* A paragraph read from the index. */
typedef struct ref_para {
    size_t   file;                   /* index into refs_index.files */
    char    *data;                   /* the paragraph document's data (malloc'd); rec points into it */
    para_rec rec;                    /* the paragraph record */
} ref_para;

/* Paragraphs collected from a query. */
typedef struct para_list {
    ref_para *v;                     /* the paragraphs */
    size_t    n;                     /* paragraphs in use */
    size_t    cap;                   /* paragraphs allocated */
} para_list;

/* A list of terms (malloc'd strings), for allterms. */
typedef struct term_list {
    char  **v;                       /* the terms */
    size_t  n;                       /* terms in use */
    size_t  cap;                     /* terms allocated */
    int     oom;                     /* set when a term could not be kept (out of memory) */
} term_list;

/* An edge of the citation graph. */
typedef struct ref_edge {
    size_t   from;                   /* citing file (index into files) */
    size_t   to;                     /* cited file */
    unsigned refs;                   /* citing paragraphs */
} ref_edge;

/* ------------------------------------------------------------------------ */
/* Small lists                                                              */
/* ------------------------------------------------------------------------ */

/* Append a copy of term[0..len) to l.  Returns 0, or -1 when out of memory. */
static int terms_push(term_list *l, const char *term, size_t len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = malloc(len + 1)))
        return -1;
    memcpy(l->v[l->n], term, len);
    l->v[l->n++][len] = '\0';
    return 0;
}

/* Free l's terms and reset it. */
static void terms_free(term_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    *l = (term_list){ NULL, 0, 0, 0 };
}

/* allterms callback: keep each term in the term_list ctx (stops, with its
 * oom set, when out of memory). */
static int keep_term(void *ctx, const char *term, size_t len, uint64_t freq)
{
    term_list *l = ctx;
    (void)freq;
    if (terms_push(l, term, len) != 0)
        l->oom = 1;
    return l->oom;
}

/* Every term of db starting with prefix, into l.  Returns 0, or -1 with err set. */
static int all_terms(xs_db *db, const char *prefix, term_list *l, ps_err *err)
{
    if (xs_db_allterms(db, prefix, keep_term, l, err) != PS_OK)
        return -1;
    if (l->oom) {
        ps_err_nomem(err);
        return -1;
    }
    return 0;
}

/* Free the paragraphs of l and reset it. */
static void paras_free(para_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].data);
    free(l->v);
    *l = (para_list){ NULL, 0, 0 };
}

/* Set PS_NOMEM in ix->err (unless it holds an error) and return -1. */
static int refs_nomem(refs_index *ix)
{
    ps_err_nomem(&ix->err);
    return -1;
}

/* qsort order of strings (char *). */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ------------------------------------------------------------------------ */
/* The files and their identities                                           */
/* ------------------------------------------------------------------------ */

/* qsort order of files: by path. */
static int cmp_file_path(const void *a, const void *b)
{
    return strcmp(((const ref_file *)a)->info.file, ((const ref_file *)b)->info.file);
}

/* The index in ix->files of the file indexed as path, or SIZE_MAX. */
static size_t file_by_path(const refs_index *ix, const char *path)
{
    size_t lo = 0, hi = ix->nfiles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(path, ix->files[mid].info.file);
        if (c == 0)
            return mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return SIZE_MAX;
}

/* qsort order of vid_slot: by version id. */
static int cmp_vid(const void *a, const void *b)
{
    return strcmp(((const vid_slot *)a)->vid, ((const vid_slot *)b)->vid);
}

/* The index in ix->files of the file of version id vid, or SIZE_MAX. */
static size_t file_by_vid(const refs_index *ix, const char *vid)
{
    size_t lo = 0, hi = ix->nfiles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(vid, ix->by_vid[mid].vid, 16);
        if (c == 0)
            return ix->by_vid[mid].file;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return SIZE_MAX;
}

/* Read the live file documents of ix->db into ix->files (sorted by path)
 * and ix->by_vid.  Returns 0, or -1 with ix->err set. */
static int load_files(refs_index *ix)
{
    term_list docs = { NULL, 0, 0, 0 }, dead = { NULL, 0, 0, 0 };
    int rc = -1;
    if (all_terms(ix->db, "XD", &docs, &ix->err) != 0 || all_terms(ix->db, "XT", &dead, &ix->err) != 0)
        goto out;
    for (size_t i = 0; i < dead.n; i++)
        dead.v[i][1] = 'D';          /* XT<vid> -> XD<vid>, to compare with docs */
    qsort(dead.v, dead.n, sizeof *dead.v, cmp_str);
    if (!(ix->files = calloc(docs.n + 1, sizeof *ix->files)))
        goto nomem;
    for (size_t i = 0; i < docs.n; i++) {
        const char *t = docs.v[i];
        if (strlen(t) != 18 || bsearch(&t, dead.v, dead.n, sizeof *dead.v, cmp_str))
            continue;
        ref_file *f = &ix->files[ix->nfiles];
        size_t len;
        if (xs_db_term_data(ix->db, t, 18, &f->data, &len, &ix->err) != PS_OK)
            goto out;
        if (store_fileinfo_decode(f->data, len, &f->info) != 0) {
            free(f->data);
            f->data = NULL;
            continue;
        }
        memcpy(f->vid, t + 2, 16);
        f->vid[16] = '\0';
        ix->nfiles++;
    }
    qsort(ix->files, ix->nfiles, sizeof *ix->files, cmp_file_path);
    if (!(ix->by_vid = malloc((ix->nfiles + 1) * sizeof *ix->by_vid)))
        goto nomem;
    for (size_t i = 0; i < ix->nfiles; i++) {
        memcpy(ix->by_vid[i].vid, ix->files[i].vid, sizeof ix->by_vid[i].vid);
        ix->by_vid[i].file = i;
    }
    qsort(ix->by_vid, ix->nfiles, sizeof *ix->by_vid, cmp_vid);
    rc = 0;
    goto out;
nomem:
    ps_err_nomem(&ix->err);
out:
    terms_free(&docs);
    terms_free(&dead);
    return rc;
}

/* Run q (taken over) on ix->db, calling fn with each match's data (the
 * callee takes it over).  Returns 0, or -1 with ix->err set. */
static int each_match(refs_index *ix, xs_query *q, int (*fn)(refs_index *, void *, char *, size_t),
                      void *ctx)
{
    int rc = q ? 0 : -1;
    for (unsigned first = 0; rc == 0; first += REFS_PAGE) {
        xs_mset *m = xs_enquire(ix->db, q, first, REFS_PAGE, 0, NULL, &ix->err);
        if (!m) {
            rc = -1;
            break;
        }
        size_t n = xs_mset_size(m);
        for (size_t i = 0; i < n && rc == 0; i++) {
            char *data = NULL;
            size_t len;
            if (xs_mset_data(m, i, &data, &len, &ix->err) != PS_OK) {
                free(data);
                rc = -1;
            } else {
                rc = fn(ix, ctx, data, len);
            }
        }
        xs_mset_free(m);
        if (n < REFS_PAGE)
            break;
    }
    xs_query_free(q);
    return rc;
}

/* The identity terms of one kind being checked: the term of each file. */
typedef struct ident_check {
    enum ref_kind kind;              /* title or number */
    char        **term;              /* term[i]: file i's candidate term, or NULL */
} ident_check;

/* each_match callback: a file document that has its candidate term. */
static int ident_found(refs_index *ix, void *ctx, char *data, size_t len)
{
    ident_check *c = ctx;
    para_rec r;
    size_t f = store_fileinfo_decode(data, len, &r) == 0 ? file_by_path(ix, r.file) : SIZE_MAX;
    free(data);
    if (f == SIZE_MAX || !c->term[f])
        return 0;
    if (ix->nids == ix->capids) {
        size_t cap = ix->capids ? ix->capids * 2 : 64;
        ref_ident *v = realloc(ix->ids, cap * sizeof *v);
        if (!v)
            return refs_nomem(ix);
        ix->ids = v;
        ix->capids = cap;
    }
    ix->ids[ix->nids].term = c->term[f];
    ix->ids[ix->nids++].file = f;
    c->term[f] = NULL;
    if (c->kind == REF_TITLE)
        ix->files[f].own_title = 1;
    return 0;
}

/* Find which files have the identity term their title (or number) would
 * give: one query, OR over the files of (candidate AND XD<vid>).  Adds
 * them to ix->ids.  Returns 0, or -1 with ix->err set. */
static int load_idents_of(refs_index *ix, enum ref_kind kind)
{
    ident_check c = { kind, calloc(ix->nfiles + 1, sizeof(char *)) };
    xs_query **parts = calloc(ix->nfiles + 1, sizeof *parts);
    buf key = BUF_INIT, term = BUF_INIT;
    size_t np = 0;
    int rc = c.term && parts ? 0 : refs_nomem(ix);
    for (size_t i = 0; i < ix->nfiles && rc == 0; i++) {
        const char *own = kind == REF_TITLE ? ix->files[i].info.title : ix->files[i].info.docno;
        int r = kind == REF_TITLE ? refs_normalize_title(own, strlen(own), &key, &ix->err)
                                  : refs_normalize_docno(own, strlen(own), &key, &ix->err);
        if (r > 0)
            continue;
        if (r < 0 || refs_term(kind, REF_IDENTITY, key.data, key.len, &term) != 0
            || !(c.term[i] = strdup(term.data))) {
            rc = refs_nomem(ix);
            break;
        }
        char dterm[19];
        store_filedoc_term(ix->files[i].vid, dterm);
        xs_query *pair[2] = { xs_query_term(term.data, term.len, 1, &ix->err),
                              xs_query_term(dterm, strlen(dterm), 1, &ix->err) };
        if (pair[0] && pair[1])
            parts[np] = xs_query_combine(XS_OP_AND, pair, 2, 0, &ix->err);
        xs_query_free(pair[0]);
        xs_query_free(pair[1]);
        if (!parts[np])
            rc = refs_nomem(ix);
        else
            np++;
    }
    if (rc == 0 && np)
        rc = each_match(ix, xs_query_combine(XS_OP_OR, parts, np, 0, &ix->err), ident_found, &c);
    for (size_t i = 0; i < np; i++)
        xs_query_free(parts[i]);
    for (size_t i = 0; c.term && i < ix->nfiles; i++)
        free(c.term[i]);
    free(c.term);
    free(parts);
    buf_free(&key);
    buf_free(&term);
    return rc;
}

/* qsort order of identities: by term, then file. */
static int cmp_ident(const void *a, const void *b)
{
    const ref_ident *x = a, *y = b;
    int c = strcmp(x->term, y->term);
    return c ? c : (x->file > y->file) - (x->file < y->file);
}

/* Open the index dir and read its files and identities into ix.
 * Returns 0, or -1 with ix->err set. */
static int refs_index_open(refs_index *ix, const char *dir)
{
    memset(ix, 0, sizeof *ix);
    if (!(ix->db = store_open_read(&dir, 1, 0, &ix->err)))
        return -1;
    if (load_files(ix) != 0 || load_idents_of(ix, REF_TITLE) != 0 || load_idents_of(ix, REF_DOCNO) != 0)
        return -1;
    qsort(ix->ids, ix->nids, sizeof *ix->ids, cmp_ident);
    return 0;
}

/* Free what ix holds. */
static void refs_index_close(refs_index *ix)
{
    for (size_t i = 0; i < ix->nfiles; i++)
        free(ix->files[i].data);
    for (size_t i = 0; i < ix->nids; i++)
        free(ix->ids[i].term);
    free(ix->files);
    free(ix->by_vid);
    free(ix->ids);
    xs_db_close(ix->db);
    memset(ix, 0, sizeof *ix);
}

/* The first identity entry with term (an XIT/XIN term), or SIZE_MAX; the
 * entries with that term follow it. */
static size_t ident_first(const refs_index *ix, const char *term)
{
    size_t lo = 0, hi = ix->nids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->ids[mid].term, term) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->nids && !strcmp(ix->ids[lo].term, term) ? lo : SIZE_MAX;
}

/* The file an identity term names, other than self (SIZE_MAX for none);
 * *is_self is set when self has it. */
static size_t resolve(const refs_index *ix, const char *ident_term, size_t self, int *is_self)
{
    size_t target = SIZE_MAX;
    *is_self = 0;
    for (size_t k = ident_first(ix, ident_term); k < ix->nids && !strcmp(ix->ids[k].term, ident_term); k++) {
        if (ix->ids[k].file == self)
            *is_self = 1;
        else if (target == SIZE_MAX)
            target = ix->ids[k].file;
    }
    return target;
}

/* ------------------------------------------------------------------------ */
/* Paragraphs                                                               */
/* ------------------------------------------------------------------------ */

/* each_match callback: keep a paragraph of a live indexed file in the
 * para_list ctx (file documents and paragraphs of unknown files are left). */
static int keep_para(refs_index *ix, void *ctx, char *data, size_t len)
{
    para_list *l = ctx;
    para_rec r;
    size_t f = store_rec_decode(data, len, &r) == 0 ? file_by_vid(ix, r.file_key) : SIZE_MAX;
    if (f == SIZE_MAX) {
        free(data);
        return 0;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        ref_para *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            free(data);
            return refs_nomem(ix);
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (ref_para){ f, data, r };
    return 0;
}

/* qsort order of paragraphs: by file (path order), then paragraph number. */
static int cmp_para(const void *a, const void *b)
{
    const ref_para *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return (x->rec.paragraph > y->rec.paragraph) - (x->rec.paragraph < y->rec.paragraph);
}

/* The live paragraphs matching q (taken over), sorted by file and number,
 * into l.  Returns 0, or -1 with ix->err set. */
static int find_paras(refs_index *ix, xs_query *q, para_list *l)
{
    if (!(q = store_live(ix->db, q, &ix->err)))
        return -1;
    if (each_match(ix, q, keep_para, l) != 0)
        return -1;
    qsort(l->v, l->n, sizeof *l->v, cmp_para);
    return 0;
}

/* The query for one term; NULL with ix->err set on failure. */
static xs_query *term_query(refs_index *ix, const char *term)
{
    xs_query *q = xs_query_term(term, strlen(term), 1, &ix->err);
    if (!q)
        refs_nomem(ix);
    return q;
}

/* The query for any of terms[0..n) (n > 0); NULL with ix->err set on failure. */
static xs_query *any_query(refs_index *ix, char *const *terms, size_t n)
{
    xs_query **parts = calloc(n, sizeof *parts);
    xs_query *q = NULL;
    size_t k = 0;
    if (!parts) {
        refs_nomem(ix);
        return NULL;
    }
    while (k < n && (parts[k] = term_query(ix, terms[k])))
        k++;
    if (k == n)
        q = n == 1 ? parts[0] : xs_query_combine(XS_OP_OR, parts, n, 0, &ix->err);
    for (size_t i = 0; i < k; i++)
        if (parts[i] != q)
            xs_query_free(parts[i]);
    free(parts);
    if (!q)
        refs_nomem(ix);
    return q;
}

/* ------------------------------------------------------------------------ */
/* refs FILE                                                                */
/* ------------------------------------------------------------------------ */

/* Write what file f cites, one line (or JSON object) per reference.
 * Returns the exit status; a message was printed for EXIT_TROUBLE. */
static int list_cites(refs_index *ix, size_t f, int json)
{
    const ref_file *self = &ix->files[f];
    char xf[19];
    para_list paras = { NULL, 0, 0 };
    ref_list refs = REF_LIST_INIT;
    buf term = BUF_INIT, out = BUF_INIT;
    size_t listed = 0;
    int rc = 0;
    store_version_term(self->vid, xf);
    if (find_paras(ix, term_query(ix, xf), &paras) != 0)
        rc = -1;
    for (size_t p = 0; p < paras.n && rc == 0; p++) {
        const para_rec *r = &paras.v[p].rec;
        if (refs_extract(r->text, r->text_len, self->own_title ? self->info.title : NULL,
                         self->info.docno, &refs, &ix->err) != 0) {
            rc = -1;
            break;
        }
        for (size_t i = 0; i < refs.n && rc == 0; i++) {
            const ref_item *it = &refs.items[i];
            int is_self;
            if (refs_term(it->kind, REF_IDENTITY, refs_key(&refs, i), it->key_len, &term) != 0) {
                rc = refs_nomem(ix);
                break;
            }
            size_t t = resolve(ix, term.data, f, &is_self);
            if (t == SIZE_MAX && is_self)
                continue;
            const char *target = t == SIZE_MAX ? NULL : ix->files[t].info.file;
            buf_clear(&out);
            if (json) {
                rc |= buf_puts(&out, "{\"file\":");
                rc |= json_put_string(&out, self->info.file, strlen(self->info.file));
                rc |= buf_printf(&out, ",\"paragraph\":%u,\"kind\":\"%s\",\"ref\":", r->paragraph,
                                 it->kind == REF_TITLE ? "title" : "docno");
                rc |= json_put_string(&out, r->text + it->start, it->len);
                rc |= buf_puts(&out, ",\"target\":");
                rc |= target ? json_put_string(&out, target, strlen(target)) : buf_puts(&out, "null");
                rc |= buf_puts(&out, "}\n");
            } else {
                rc |= buf_printf(&out, "%u\t", r->paragraph);
                for (size_t b = it->start; b < it->start + it->len; b++) {
                    unsigned char c = (unsigned char)r->text[b];
                    rc |= buf_putc(&out, c < 0x20 || c == 0x7F ? ' ' : c);
                }
                rc |= buf_printf(&out, "\t%s\n", target ? target : "-");
            }
            if (rc != 0) {
                rc = refs_nomem(ix);
            } else if (fwrite(out.data, 1, out.len, stdout) != out.len) {
                rc = 1;              /* a closed pipe: stop quietly */
            } else {
                listed++;
            }
        }
    }
    refs_list_free(&refs);
    paras_free(&paras);
    buf_free(&term);
    buf_free(&out);
    if (rc < 0) {
        ps_msg("%s", ix->err.msg);
        return EXIT_TROUBLE;
    }
    return listed ? EXIT_MATCH : EXIT_NOMATCH;
}

/* ------------------------------------------------------------------------ */
/* refs --to                                                                */
/* ------------------------------------------------------------------------ */

/* The XRT/XRN terms of what arg names, into wanted: an indexed file's own
 * title and number (*self: that file), or arg keyed as a title or number
 * (*self = SIZE_MAX).  Returns 0, 1 (a message printed: not a document
 * title, number or indexed file) or -1 with ix->err set. */
static int wanted_terms(refs_index *ix, const char *arg, term_list *wanted, size_t *self)
{
    *self = file_by_path(ix, arg);
    if (*self == SIZE_MAX && !strncmp(arg, "./", 2))
        *self = file_by_path(ix, arg + 2);
    if (*self != SIZE_MAX) {
        for (size_t k = 0; k < ix->nids; k++)
            if (ix->ids[k].file == *self) {
                if (terms_push(wanted, ix->ids[k].term, strlen(ix->ids[k].term)) != 0)
                    return refs_nomem(ix);
                wanted->v[wanted->n - 1][1] = 'R';   /* XIT -> XRT, XIN -> XRN */
            }
        return 0;
    }
    if (access(arg, F_OK) == 0 && strpbrk(arg, "/."))
        return ps_msg("%s: not in the index", arg), 1;
    buf key = BUF_INIT, term = BUF_INIT;
    enum ref_kind kind;
    int r = refs_normalize_any(arg, strlen(arg), &kind, &key, &ix->err);
    if (r == 0 && (refs_term(kind, REF_CITES, key.data, key.len, &term) != 0
                   || terms_push(wanted, term.data, term.len) != 0))
        r = refs_nomem(ix);
    buf_free(&key);
    buf_free(&term);
    if (r > 0)
        ps_msg("'%s' is neither an indexed file nor a document title or number", arg);
    return r;
}

/* Write the citation of paragraph p: the references in it whose term is
 * in wanted highlighted in its snippet.  Returns 0, 1 when nothing in it
 * matches (not listed), -1 when out of memory, -2 when stdout failed. */
static int put_citation(refs_index *ix, const ref_para *p, const term_list *wanted, int json,
                        int color, ref_list *refs, buf *term)
{
    const para_rec *r = &p->rec;
    span_list hl = SPAN_LIST_INIT;
    snippet sn = SNIPPET_INIT;
    size_t first = SIZE_MAX;
    int rc = refs_extract(r->text, r->text_len, NULL, NULL, refs, &ix->err);
    for (size_t i = 0; i < refs->n && rc == 0; i++) {
        const ref_item *it = &refs->items[i];
        if (refs_term(it->kind, REF_CITES, refs_key(refs, i), it->key_len, term) != 0) {
            rc = -1;
            break;
        }
        const char *t = term->data;
        if (!bsearch(&t, wanted->v, wanted->n, sizeof *wanted->v, cmp_str))
            continue;
        if (first == SIZE_MAX)
            first = i;
        size_t cs = utf8_count(r->text, it->start);
        rc = span_push(&hl, cs, utf8_count(r->text + it->start, it->len));
    }
    if (rc == 0 && first == SIZE_MAX)
        rc = 1;
    if (rc == 0) {
        span_merge(&hl);
        rc = snip_build(r->text, r->text_len, &hl, SNIPPET_WIDTH, &sn);
    }
    if (rc == 0) {
        const ref_item *it = &refs->items[first];
        const char *file = ix->files[p->file].info.file;
        if (json) {
            buf out = BUF_INIT;
            rc |= buf_puts(&out, "{\"file\":");
            rc |= json_put_string(&out, file, strlen(file));
            rc |= buf_printf(&out, ",\"paragraph\":%u,\"kind\":\"%s\",\"ref\":", r->paragraph,
                             it->kind == REF_TITLE ? "title" : "docno");
            rc |= json_put_string(&out, r->text + it->start, it->len);
            rc |= buf_puts(&out, ",\"snippet\":");
            rc |= json_put_string(&out, sn.text, sn.len);
            rc |= buf_puts(&out, "}\n");
            if (rc == 0 && fwrite(out.data, 1, out.len, stdout) != out.len)
                rc = -2;
            buf_free(&out);
        } else {
            out_result res;
            memset(&res, 0, sizeof res);
            res.file = file;
            res.paragraph = r->paragraph;
            res.snip = &sn;
            if (out_citation(stdout, &res, r->text + it->start, it->len, color) != 0)
                rc = -2;
        }
    }
    if (rc == -1)
        refs_nomem(ix);
    snippet_free(&sn);
    span_list_free(&hl);
    return rc;
}

/* Write who cites arg.  Returns the exit status; a message was printed
 * for EXIT_TROUBLE. */
static int list_citing(refs_index *ix, const char *arg, int json, int color)
{
    term_list wanted = { NULL, 0, 0, 0 };
    para_list paras = { NULL, 0, 0 };
    ref_list refs = REF_LIST_INIT;
    buf term = BUF_INIT;
    size_t self, listed = 0;
    int rc = wanted_terms(ix, arg, &wanted, &self);
    if (rc > 0) {
        terms_free(&wanted);
        return EXIT_TROUBLE;
    }
    qsort(wanted.v, wanted.n, sizeof *wanted.v, cmp_str);
    if (rc == 0 && wanted.n && find_paras(ix, any_query(ix, wanted.v, wanted.n), &paras) != 0)
        rc = -1;
    for (size_t p = 0; p < paras.n && rc == 0; p++) {
        if (paras.v[p].file == self)
            continue;
        int r = put_citation(ix, &paras.v[p], &wanted, json, color, &refs, &term);
        if (r == 0)
            listed++;
        else if (r == -2)
            break;                   /* a closed pipe: stop quietly */
        else if (r < 0)
            rc = -1;
    }
    refs_list_free(&refs);
    buf_free(&term);
    paras_free(&paras);
    terms_free(&wanted);
    if (rc < 0) {
        ps_msg("%s", ix->err.msg);
        return EXIT_TROUBLE;
    }
    return listed ? EXIT_MATCH : EXIT_NOMATCH;
}

/* ------------------------------------------------------------------------ */
/* refs --graph                                                             */
/* ------------------------------------------------------------------------ */

/* Count one citing paragraph of file from to file to in edges (from != to);
 * the edges to `to` are those from index `start` on.  Returns 0, or -1 when
 * out of memory. */
static int add_edge(ref_edge **edges, size_t *n, size_t *cap, size_t start, size_t from, size_t to)
{
    for (size_t i = start; i < *n; i++)
        if ((*edges)[i].from == from) {
            (*edges)[i].refs++;
            return 0;
        }
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        ref_edge *v = realloc(*edges, c * sizeof *v);
        if (!v)
            return -1;
        *edges = v;
        *cap = c;
    }
    (*edges)[(*n)++] = (ref_edge){ from, to, 1 };
    return 0;
}

/* qsort order of edges: by citing file, then cited file. */
static int cmp_edge(const void *a, const void *b)
{
    const ref_edge *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

/* Append s to b as the inside of a DOT string: quotes and backslashes
 * escaped, control characters as spaces; at most max characters, then "…". */
static int dot_put(buf *b, const char *s, size_t max)
{
    size_t n = strlen(s), chars = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; chars++) {
        uint32_t cp;
        int w = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        size_t step = w > 0 ? (size_t)w : 1;
        if (chars == max)
            return buf_puts(b, "…");
        if (w <= 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            rc = buf_putc(b, w <= 0 ? '?' : ' ');
        else if (cp == '"' || cp == '\\')
            rc = buf_putc(b, '\\') | buf_putc(b, (int)cp);
        else
            rc = buf_append(b, s + i, step);
        i += step;
    }
    return rc;
}

/* The graph as DOT or JSON into out.  Returns 0, or -1 when out of memory. */
static int put_graph(const refs_index *ix, const ref_edge *edges, size_t nedges, int json, buf *out)
{
    int rc = 0;
    if (json) {
        rc |= buf_puts(out, "{\"nodes\":[");
        for (size_t i = 0; i < ix->nfiles; i++) {
            const para_rec *in = &ix->files[i].info;
            rc |= buf_printf(out, "%s{\"id\":%zu,\"file\":", i ? "," : "", i + 1);
            rc |= json_put_string(out, in->file, strlen(in->file));
            rc |= buf_puts(out, ",\"title\":");
            rc |= json_put_string(out, in->title, strlen(in->title));
            rc |= buf_puts(out, ",\"date\":");
            rc |= json_put_string(out, in->date, strlen(in->date));
            rc |= buf_putc(out, '}');
        }
        rc |= buf_puts(out, "],\"edges\":[");
        for (size_t i = 0; i < nedges; i++)
            rc |= buf_printf(out, "%s{\"from\":%zu,\"to\":%zu,\"refs\":%u}", i ? "," : "",
                             edges[i].from + 1, edges[i].to + 1, edges[i].refs);
        return rc | buf_puts(out, "]}\n");
    }
    rc |= buf_puts(out, "digraph citations {\n  rankdir=LR;\n  node [shape=box];\n");
    for (size_t i = 0; i < ix->nfiles; i++) {
        const para_rec *in = &ix->files[i].info;
        rc |= buf_printf(out, "  n%zu [label=\"", i + 1);
        rc |= dot_put(out, in->title, REFS_LABEL_CHARS);
        if (in->date[0]) {
            rc |= buf_puts(out, "\\n");
            rc |= dot_put(out, in->date, SIZE_MAX);
        }
        rc |= buf_puts(out, "\", tooltip=\"");
        rc |= dot_put(out, in->file, SIZE_MAX);
        rc |= buf_puts(out, "\"];\n");
    }
    for (size_t i = 0; i < nedges; i++)
        rc |= buf_printf(out, "  n%zu -> n%zu [label=\"%u\"];\n", edges[i].from + 1, edges[i].to + 1,
                         edges[i].refs);
    return rc | buf_puts(out, "}\n");
}

/* Write the citation graph.  Returns the exit status; a message was
 * printed for EXIT_TROUBLE. */
static int list_graph(refs_index *ix, int json)
{
    term_list cited = { NULL, 0, 0, 0 };
    char **by_target = NULL;
    size_t *first = NULL, *count = NULL, nedges = 0, capedges = 0;
    ref_edge *edges = NULL;
    buf out = BUF_INIT;
    int rc = all_terms(ix->db, "XR", &cited, &ix->err);
    /* The cited terms that name an indexed file, grouped by that file. */
    if (rc == 0 && (!(by_target = calloc(cited.n + 1, sizeof *by_target))
                    || !(first = calloc(ix->nfiles + 1, sizeof *first))
                    || !(count = calloc(ix->nfiles + 1, sizeof *count))))
        rc = refs_nomem(ix);
    size_t *target = rc == 0 ? calloc(cited.n + 1, sizeof *target) : NULL;
    if (rc == 0 && !target)
        rc = refs_nomem(ix);
    for (size_t i = 0; i < cited.n && rc == 0; i++) {
        cited.v[i][1] = 'I';         /* XRT<key> -> XIT<key> (refs_term: same key part), and back */
        int is_self;
        target[i] = resolve(ix, cited.v[i], SIZE_MAX, &is_self);
        cited.v[i][1] = 'R';
        if (target[i] != SIZE_MAX)
            count[target[i]]++;
    }
    for (size_t f = 0, at = 0; f < ix->nfiles && rc == 0; f++) {
        first[f] = at;
        at += count[f];
        count[f] = 0;
    }
    for (size_t i = 0; i < cited.n && rc == 0; i++)
        if (target[i] != SIZE_MAX)
            by_target[first[target[i]] + count[target[i]]++] = cited.v[i];
    /* One query per cited file: its citing paragraphs, counted per citing file. */
    for (size_t f = 0; f < ix->nfiles && rc == 0; f++) {
        para_list paras = { NULL, 0, 0 };
        size_t start = nedges;
        if (!count[f])
            continue;
        if (find_paras(ix, any_query(ix, by_target + first[f], count[f]), &paras) != 0)
            rc = -1;
        for (size_t p = 0; p < paras.n && rc == 0; p++)
            if (paras.v[p].file != f && add_edge(&edges, &nedges, &capedges, start, paras.v[p].file, f) != 0)
                rc = refs_nomem(ix);
        paras_free(&paras);
    }
    if (rc == 0) {
        qsort(edges, nedges, sizeof *edges, cmp_edge);
        if (put_graph(ix, edges, nedges, json, &out) != 0)
            rc = refs_nomem(ix);
        else if (fwrite(out.data, 1, out.len, stdout) != out.len)
            rc = 1;
    }
    free(target);
    free(by_target);
    free(first);
    free(count);
    free(edges);
    buf_free(&out);
    terms_free(&cited);
    if (rc < 0) {
        ps_msg("%s", ix->err.msg);
        return EXIT_TROUBLE;
    }
    return nedges ? EXIT_MATCH : EXIT_NOMATCH;
}

/* ------------------------------------------------------------------------ */
/* The command                                                              */
/* ------------------------------------------------------------------------ */

int cmd_refs(int argc, char **argv)
{
    const char *dir = NULL, *to = NULL;
    int json = 0, dot = 0, graph = 0, color = 0, first;
    const ps_option opts[] = {
        PS_INDEX("index (default: $POLSEARCH_INDEX or ./index)", &dir),
        PS_STRING(0, "to", "DOC", "who cites DOC: an indexed file (by its title and its\n"
                  "number), a title (《》 optional) or a document number", &to),
        PS_FLAG(0, "graph", "the citation graph among the indexed documents", &graph),
        PS_FLAG(0, "dot", "with --graph: Graphviz DOT (the default)", &dot),
        PS_FLAG(0, "json", "one JSON object per line (--graph: one object)", &json),
        PS_COLOR("color", "highlight citations: auto, always or never (default auto)", &color),
        PS_COLOR("colour", NULL, &color),
        PS_END
    };
    const ps_command cmd = {
        .name = "refs", .synopsis = "[-d INDEX] [--json] FILE | --to DOC | --graph [--dot|--json]",
        .about = "Relations between documents.  FILE: what it cites, in order, one line\n"
                 "PARAGRAPH<TAB>REFERENCE<TAB>TARGET (the indexed file cited, or -).\n"
                 "--to DOC: who cites it, FILE:PARAGRAPH<TAB>REFERENCE<TAB>SNIPPET per paragraph.\n"
                 "--graph: files as nodes, citing paragraphs counted on the edges.\n",
        .footer = "Exit status: 0 something listed (--graph: an edge), 1 nothing, 2 an error.\n"
                  "Example: polsearch refs --graph | dot -Tsvg > refs.svg\n",
        .opts = opts
    };
    int status;
    if ((status = ps_options(&cmd, argc, argv, &first)) >= 0)
        return status;
    int nargs = argc - first;
    if ((to != NULL) + graph > 1 || (to || graph ? nargs != 0 : nargs != 1)) {
        ps_msg("give one FILE, --to DOC or --graph; see 'polsearch refs --help'");
        return EXIT_TROUBLE;
    }
    if (dot && (!graph || json)) {
        ps_msg("--dot goes with --graph and without --json; see 'polsearch refs --help'");
        return EXIT_TROUBLE;
    }
    refs_index ix;
    if (refs_index_open(&ix, dir) != 0) {
        ps_msg("%s", ix.err.msg[0] ? ix.err.msg : "out of memory");
        refs_index_close(&ix);
        return EXIT_TROUBLE;
    }
    if (graph) {
        status = list_graph(&ix, json);
    } else if (to) {
        status = list_citing(&ix, to, json, color);
    } else {
        const char *path = argv[first];
        size_t f = file_by_path(&ix, path);
        if (f == SIZE_MAX && !strncmp(path, "./", 2))
            f = file_by_path(&ix, path + 2);
        if (f == SIZE_MAX) {
            ps_msg("%s: not in the index", path);
            status = EXIT_TROUBLE;
        } else {
            status = list_cites(&ix, f, json);
        }
    }
    refs_index_close(&ix);
    if (fflush(stdout) != 0 && status != EXIT_TROUBLE && errno != EPIPE)
        status = EXIT_TROUBLE;
    return status;
}
