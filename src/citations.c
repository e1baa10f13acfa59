/* citations.c — references between indexed documents; see citations.h. */
#include "citations.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "output.h"
#include "utf8.h"
#include "walk.h"

/* Results read per Xapian round. */
#define CITE_PAGE 5000

/* ------------------------------------------------------------------------ */
/* Small lists                                                              */
/* ------------------------------------------------------------------------ */

int cite_terms_push(cite_terms *l, const char *term, size_t len)
{
    if (ARRAY_GROW(l->v, l->cap, l->n + 1) != 0)
        return -1;
    if (!(l->v[l->n] = malloc(len + 1)))
        return -1;
    memcpy(l->v[l->n], term, len);
    l->v[l->n++][len] = '\0';
    return 0;
}

void cite_terms_free(cite_terms *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    *l = (cite_terms)CITE_TERMS_INIT;
}

/* allterms callback: keep each term in the cite_terms ctx (stops, with its
 * oom set, when out of memory). */
static int keep_term(void *ctx, const char *term, size_t len, uint64_t freq)
{
    cite_terms *l = ctx;
    (void)freq;
    if (cite_terms_push(l, term, len) != 0)
        l->oom = 1;
    return l->oom;
}

/* Every term of db starting with prefix, into l.  Returns 0, or -1 with err set. */
static int all_terms(xs_db *db, const char *prefix, cite_terms *l, ps_err *err)
{
    if (xs_db_allterms(db, prefix, keep_term, l, err) != PS_OK)
        return -1;
    if (l->oom) {
        ps_err_nomem(err);
        return -1;
    }
    return 0;
}

void cite_paras_free(cite_paras *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].data);
    free(l->v);
    *l = (cite_paras)CITE_PARAS_INIT;
}

/* Set PS_NOMEM in ix->err (unless it holds an error) and return -1. */
static int cite_nomem(cite_index *ix)
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
    return strcmp(((const cite_file *)a)->info.file, ((const cite_file *)b)->info.file);
}

/* The index in ix->files of the file indexed exactly as path, or CITE_NONE. */
static size_t file_by_path(const cite_index *ix, const char *path)
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
    return CITE_NONE;
}

size_t cite_file_by_path(const cite_index *ix, const char *path)
{
    size_t f = file_by_path(ix, path);
    if (f == CITE_NONE && !strncmp(path, "./", 2))
        f = file_by_path(ix, path + 2);
    if (f != CITE_NONE)
        return f;
    /* Another spelling of an indexed file: compare canonical paths (a file
     * indexed before they were kept: its path, taken from here). */
    char want[4096], have[4096];
    if (walk_canonical_path(path, want, sizeof want) != 0)
        return CITE_NONE;
    for (size_t i = 0; i < ix->nfiles; i++) {
        const para_rec *in = &ix->files[i].info;
        if (!in->canon[0] && walk_canonical_path(in->file, have, sizeof have) != 0)
            continue;
        if (!strcmp(want, in->canon[0] ? in->canon : have))
            return i;
    }
    return CITE_NONE;
}

/* qsort order of cite_vid: by version id. */
static int cmp_vid(const void *a, const void *b)
{
    return strcmp(((const cite_vid *)a)->vid, ((const cite_vid *)b)->vid);
}

/* The index in ix->files of the file of version id vid, or CITE_NONE. */
static size_t file_by_vid(const cite_index *ix, const char *vid)
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
    return CITE_NONE;
}

/* Read the live file documents of ix->db into ix->files (sorted by path)
 * and ix->by_vid.  Returns 0, or -1 with ix->err set. */
static int load_files(cite_index *ix)
{
    cite_terms docs = CITE_TERMS_INIT, dead = CITE_TERMS_INIT;
    int rc = -1;
    if (all_terms(ix->db, "XD", &docs, &ix->err) != 0 || all_terms(ix->db, "XT", &dead, &ix->err) != 0)
        goto out;
    for (size_t i = 0; i < dead.n; i++)
        dead.v[i][1] = 'D';          /* XT<vid> -> XD<vid>, to compare with docs */
    if (dead.n > 1)
        qsort(dead.v, dead.n, sizeof *dead.v, cmp_str);
    if (!(ix->files = calloc(docs.n + 1, sizeof *ix->files)))
        goto nomem;
    for (size_t i = 0; i < docs.n; i++) {
        const char *t = docs.v[i];
        if (strlen(t) != 18 || (dead.n && bsearch(&t, dead.v, dead.n, sizeof *dead.v, cmp_str)))
            continue;
        cite_file *f = &ix->files[ix->nfiles];
        size_t len;
        if (store_file_data(ix->db, t + 2, &f->data, &len, &ix->err) != PS_OK)
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
    if (ix->nfiles > 1)
        qsort(ix->files, ix->nfiles, sizeof *ix->files, cmp_file_path);
    if (!(ix->by_vid = malloc((ix->nfiles + 1) * sizeof *ix->by_vid)))
        goto nomem;
    for (size_t i = 0; i < ix->nfiles; i++) {
        memcpy(ix->by_vid[i].vid, ix->files[i].vid, sizeof ix->by_vid[i].vid);
        ix->by_vid[i].file = i;
    }
    if (ix->nfiles > 1)
        qsort(ix->by_vid, ix->nfiles, sizeof *ix->by_vid, cmp_vid);
    rc = 0;
    goto out;
nomem:
    ps_err_nomem(&ix->err);
out:
    cite_terms_free(&docs);
    cite_terms_free(&dead);
    return rc;
}

/* each_match's callback and its context, for store_each_data. */
typedef struct match_fn {
    cite_index *ix;                  /* the index */
    int (*fn)(cite_index *, void *, char *, size_t); /* the caller's callback */
    void *ctx;                       /* its context */
} match_fn;

/* store_each_data's callback: pass the match on with the index. */
static int call_match(void *ctx, char *data, size_t len)
{
    match_fn *m = ctx;
    return m->fn(m->ix, m->ctx, data, len);
}

/* Run q (taken over) on ix->db, calling fn with each match's data (the
 * callee takes it over).  Returns 0, or -1 with ix->err set. */
static int each_match(cite_index *ix, xs_query *q, int (*fn)(cite_index *, void *, char *, size_t),
                      void *ctx)
{
    match_fn m = { ix, fn, ctx };
    int rc = q ? store_each_data(ix->db, q, CITE_PAGE, call_match, &m, &ix->err) : -1;
    xs_query_free(q);
    return rc;
}

/* The identity terms of one kind being checked: the term of each file. */
typedef struct ident_check {
    enum ref_kind kind;              /* title or number */
    char        **term;              /* term[i]: file i's candidate term, or NULL */
} ident_check;

/* each_match callback: a file document that has its candidate term. */
static int ident_found(cite_index *ix, void *ctx, char *data, size_t len)
{
    ident_check *c = ctx;
    para_rec r;
    size_t f = store_fileinfo_decode(data, len, &r) == 0 ? file_by_path(ix, r.file) : CITE_NONE;
    free(data);
    if (f == CITE_NONE || !c->term[f])
        return 0;
    if (ARRAY_GROW(ix->ids, ix->capids, ix->nids + 1) != 0)
        return cite_nomem(ix);
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
static int load_idents_of(cite_index *ix, enum ref_kind kind)
{
    ident_check c = { kind, calloc(ix->nfiles + 1, sizeof(char *)) };
    xs_query **parts = calloc(ix->nfiles + 1, sizeof *parts);
    buf key = BUF_INIT, term = BUF_INIT;
    size_t np = 0;
    int rc = c.term && parts ? 0 : cite_nomem(ix);
    for (size_t i = 0; i < ix->nfiles && rc == 0; i++) {
        const char *own = kind == REF_TITLE ? ix->files[i].info.title : ix->files[i].info.docno;
        int r = kind == REF_TITLE ? refs_normalize_title(own, strlen(own), &key, &ix->err)
                                  : refs_normalize_docno(own, strlen(own), &key, &ix->err);
        if (r > 0)
            continue;
        if (r < 0 || refs_term(kind, REF_IDENTITY, key.data, key.len, &term) != 0
            || !(c.term[i] = strdup(term.data))) {
            rc = cite_nomem(ix);
            break;
        }
        char dterm[19];
        store_filedoc_term(ix->files[i].vid, dterm);
        xs_query *pair[2] = { xs_query_term(term.data, term.len, 1, &ix->err),
                              xs_query_term(dterm, strlen(dterm), 1, &ix->err) };
        if (pair[0] && pair[1])
            parts[np] = xs_query_combine(XS_OP_AND, pair, 2, &ix->err);
        xs_query_free(pair[0]);
        xs_query_free(pair[1]);
        if (!parts[np])
            rc = cite_nomem(ix);
        else
            np++;
    }
    if (rc == 0 && np)
        rc = each_match(ix, xs_query_combine(XS_OP_OR, parts, np, &ix->err), ident_found, &c);
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
    const cite_ident *x = a, *y = b;
    int c = strcmp(x->term, y->term);
    return c ? c : (x->file > y->file) - (x->file < y->file);
}

int cite_open(cite_index *ix, const char *dir)
{
    memset(ix, 0, sizeof *ix);
    if (!(ix->db = store_open_read(&dir, 1, 0, &ix->err)))
        return -1;
    if (load_files(ix) != 0 || load_idents_of(ix, REF_TITLE) != 0 || load_idents_of(ix, REF_DOCNO) != 0)
        return -1;
    if (ix->nids > 1)
        qsort(ix->ids, ix->nids, sizeof *ix->ids, cmp_ident);
    return 0;
}

void cite_close(cite_index *ix)
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

/* The first identity entry with term (an XIT/XIN term), or CITE_NONE; the
 * entries with that term follow it. */
static size_t ident_first(const cite_index *ix, const char *term)
{
    size_t lo = 0, hi = ix->nids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->ids[mid].term, term) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->nids && !strcmp(ix->ids[lo].term, term) ? lo : CITE_NONE;
}

/* The file an identity term names, other than self (CITE_NONE for none);
 * *is_self is set when self has it. */
static size_t resolve_term(const cite_index *ix, const char *ident_term, size_t self, int *is_self)
{
    size_t target = CITE_NONE;
    *is_self = 0;
    for (size_t k = ident_first(ix, ident_term); k < ix->nids && !strcmp(ix->ids[k].term, ident_term); k++) {
        if (ix->ids[k].file == self)
            *is_self = 1;
        else if (target == CITE_NONE)
            target = ix->ids[k].file;
    }
    return target;
}

/* ------------------------------------------------------------------------ */
/* Paragraphs                                                               */
/* ------------------------------------------------------------------------ */

/* each_match callback: keep a paragraph of a live indexed file in the
 * cite_paras ctx (file documents and paragraphs of unknown files are left). */
static int keep_para(cite_index *ix, void *ctx, char *data, size_t len)
{
    cite_paras *l = ctx;
    para_rec r;
    size_t f = store_rec_decode(data, len, &r) == 0 ? file_by_vid(ix, r.file_key) : CITE_NONE;
    if (f == CITE_NONE) {
        free(data);
        return 0;
    }
    if (ARRAY_GROW(l->v, l->cap, l->n + 1) != 0) {
        free(data);
        return cite_nomem(ix);
    }
    l->v[l->n++] = (cite_para){ f, data, r };
    return 0;
}

/* qsort order of paragraphs: by file (path order), then paragraph number. */
static int cmp_para(const void *a, const void *b)
{
    const cite_para *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return (x->rec.paragraph > y->rec.paragraph) - (x->rec.paragraph < y->rec.paragraph);
}

/* The live paragraphs matching q (taken over), sorted by file and number,
 * into l (empty on entry).  Returns 0, or -1 with ix->err set. */
static int find_paras(cite_index *ix, xs_query *q, cite_paras *l)
{
    if (!(q = store_live(ix->db, q, &ix->err)))
        return -1;
    if (each_match(ix, q, keep_para, l) != 0)
        return -1;
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_para);
    return 0;
}

/* The query for one term; NULL with ix->err set on failure. */
static xs_query *term_query(cite_index *ix, const char *term)
{
    xs_query *q = xs_query_term(term, strlen(term), 1, &ix->err);
    if (!q)
        cite_nomem(ix);
    return q;
}

/* The query for any of terms[0..n) (n > 0); NULL with ix->err set on failure. */
static xs_query *any_query(cite_index *ix, char *const *terms, size_t n)
{
    xs_query **parts = calloc(n, sizeof *parts);
    xs_query *q = NULL;
    size_t k = 0;
    if (!parts) {
        cite_nomem(ix);
        return NULL;
    }
    while (k < n && (parts[k] = term_query(ix, terms[k])))
        k++;
    if (k == n)
        q = n == 1 ? parts[0] : xs_query_combine(XS_OP_OR, parts, n, &ix->err);
    for (size_t i = 0; i < k; i++)
        if (parts[i] != q)
            xs_query_free(parts[i]);
    free(parts);
    if (!q)
        cite_nomem(ix);
    return q;
}

/* ------------------------------------------------------------------------ */
/* What the commands ask                                                    */
/* ------------------------------------------------------------------------ */

size_t cite_resolve(cite_index *ix, enum ref_kind kind, const char *key, size_t len, size_t self,
                    int *is_self)
{
    buf term = BUF_INIT;
    size_t f = CITE_NONE;
    *is_self = 0;
    if (refs_term(kind, REF_IDENTITY, key, len, &term) != 0)
        cite_nomem(ix);
    else
        f = resolve_term(ix, term.data, self, is_self);
    buf_free(&term);
    return f;
}

int cite_file_paras(cite_index *ix, size_t f, cite_paras *out)
{
    char xf[19];
    store_version_term(ix->files[f].vid, xf);
    return find_paras(ix, term_query(ix, xf), out);
}

/* Sort the terms of l (strcmp order). */
static void cite_terms_sort(cite_terms *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_str);
}

int cite_terms_of_file(cite_index *ix, size_t f, cite_terms *out)
{
    for (size_t k = 0; k < ix->nids; k++)
        if (ix->ids[k].file == f) {
            if (cite_terms_push(out, ix->ids[k].term, strlen(ix->ids[k].term)) != 0)
                return cite_nomem(ix);
            out->v[out->n - 1][1] = 'R';   /* XIT<key> -> XRT<key>, XIN<key> -> XRN<key> */
        }
    cite_terms_sort(out);
    return 0;
}

int cite_citing(cite_index *ix, const cite_terms *terms, cite_paras *out)
{
    return find_paras(ix, any_query(ix, terms->v, terms->n), out);
}

int cite_terms_has(const cite_terms *terms, const char *term)
{
    return terms->n && bsearch(&term, terms->v, terms->n, sizeof *terms->v, cmp_str) != NULL;
}

/* Count one citing paragraph of file from to file to in edges (from != to);
 * the edges to `to` are those from index `start` on.  Returns 0, or -1 when
 * out of memory. */
static int add_edge(cite_edge **edges, size_t *n, size_t *cap, size_t start, size_t from, size_t to)
{
    for (size_t i = start; i < *n; i++)
        if ((*edges)[i].from == from) {
            (*edges)[i].refs++;
            return 0;
        }
    if (ARRAY_GROW(*edges, *cap, *n + 1) != 0)
        return -1;
    (*edges)[(*n)++] = (cite_edge){ from, to, 1 };
    return 0;
}

/* qsort order of edges: by citing file, then cited file. */
static int cmp_edge(const void *a, const void *b)
{
    const cite_edge *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

int cite_graph(cite_index *ix, cite_edge **edges, size_t *n)
{
    cite_terms cited = CITE_TERMS_INIT;
    size_t *target = NULL, *first = NULL, *count = NULL, cap = 0;
    char **by_target = NULL;
    *edges = NULL;
    *n = 0;
    int rc = all_terms(ix->db, "XR", &cited, &ix->err);
    if (rc == 0 && (!(target = calloc(cited.n + 1, sizeof *target))
                    || !(by_target = calloc(cited.n + 1, sizeof *by_target))
                    || !(first = calloc(ix->nfiles + 1, sizeof *first))
                    || !(count = calloc(ix->nfiles + 1, sizeof *count))))
        rc = cite_nomem(ix);
    /* The indexed file each cited term names; the terms grouped by that file. */
    for (size_t i = 0; i < cited.n && rc == 0; i++) {
        int is_self;
        cited.v[i][1] = 'I';         /* XRT<key> -> XIT<key> (refs_term: same key part), and back */
        target[i] = resolve_term(ix, cited.v[i], CITE_NONE, &is_self);
        cited.v[i][1] = 'R';
        if (target[i] != CITE_NONE)
            count[target[i]]++;
    }
    for (size_t f = 0, at = 0; f < ix->nfiles && rc == 0; f++) {
        first[f] = at;
        at += count[f];
        count[f] = 0;
    }
    for (size_t i = 0; i < cited.n && rc == 0; i++)
        if (target[i] != CITE_NONE)
            by_target[first[target[i]] + count[target[i]]++] = cited.v[i];
    /* One query per cited file: its citing paragraphs, counted per citing file. */
    for (size_t f = 0; f < ix->nfiles && rc == 0; f++) {
        cite_paras paras = CITE_PARAS_INIT;
        cite_terms group = { by_target + first[f], count[f], count[f], 0 };  /* cited's terms */
        size_t start = *n;
        if (group.n == 0)
            continue;
        if (cite_citing(ix, &group, &paras) != 0)
            rc = -1;
        for (size_t p = 0; p < paras.n && rc == 0; p++)
            if (paras.v[p].file != f && add_edge(edges, n, &cap, start, paras.v[p].file, f) != 0)
                rc = cite_nomem(ix);
        cite_paras_free(&paras);
    }
    free(target);
    free(by_target);
    free(first);
    free(count);
    cite_terms_free(&cited);
    if (rc != 0) {
        free(*edges);
        *edges = NULL;
        *n = 0;
        return -1;
    }
    if (*n > 1)
        qsort(*edges, *n, sizeof **edges, cmp_edge);
    return 0;
}

int cite_each_ref(cite_index *ix, size_t f, const cite_paras *paras, cite_ref_fn fn, void *ctx)
{
    const cite_file *self = &ix->files[f];
    ref_list refs = REF_LIST_INIT;
    int rc = 0;
    for (size_t p = 0; p < paras->n && rc == 0; p++) {
        const para_rec *r = &paras->v[p].rec;
        rc = refs_extract(r->text, r->text_len, self->own_title ? self->info.title : NULL,
                          self->info.docno, &refs, &ix->err);
        for (size_t i = 0; i < refs.n && rc == 0; i++) {
            const ref_item *it = &refs.items[i];
            int is_self;
            size_t t = cite_resolve(ix, it->kind, refs_key(&refs, i), it->key_len, f, &is_self);
            if (ix->err.code)
                rc = -1;
            else if (t != CITE_NONE || !is_self)
                rc = fn(ctx, r, it, t);
        }
    }
    refs_list_free(&refs);
    return rc;
}

/* Characters of a title in a graph node's label. */
#define REFS_LABEL_CHARS 20

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

int cite_graph_write(const cite_index *ix, const cite_edge *edges, size_t nedges, int json,
                     cite_url_fn url_of, void *ctx, buf *out)
{
    int rc = 0;
    if (json) {
        rc |= json_open(out, NULL, '{');
        rc |= json_open(out, "nodes", '[');
        for (size_t i = 0; i < ix->nfiles; i++) {
            const para_rec *in = &ix->files[i].info;
            rc |= json_open(out, NULL, '{');
            rc |= json_uint(out, "id", i + 1);
            rc |= json_str(out, "file", in->file, strlen(in->file));
            rc |= json_str(out, "title", in->title, strlen(in->title));
            rc |= json_str(out, "date", in->date, strlen(in->date));
            rc |= json_close(out, '}');
        }
        rc |= json_close(out, ']');
        rc |= json_open(out, "edges", '[');
        for (size_t i = 0; i < nedges; i++) {
            rc |= json_open(out, NULL, '{');
            rc |= json_uint(out, "from", edges[i].from + 1);
            rc |= json_uint(out, "to", edges[i].to + 1);
            rc |= json_uint(out, "refs", edges[i].refs);
            rc |= json_close(out, '}');
        }
        return rc | buf_puts(out, "]}\n");
    }
    rc |= buf_puts(out, "digraph citations {\n  rankdir=LR;\n  node [shape=box];\n");
    for (size_t i = 0; i < ix->nfiles; i++) {
        const para_rec *in = &ix->files[i].info;
        rc |= buf_printf(out, "  n%zu [label=\"", i + 1);
        rc |= dot_put(out, in->title, REFS_LABEL_CHARS);
        if (in->date[0]) {
            rc |= buf_puts(out, "\\n");
            rc |= dot_put(out, in->date, CITE_NONE);
        }
        rc |= buf_puts(out, "\", tooltip=\"");
        rc |= dot_put(out, in->file, CITE_NONE);
        if (url_of) {
            char url[CITE_URL_MAX];
            url_of(ctx, in->file, url);
            rc |= buf_puts(out, "\", URL=\"");
            rc |= dot_put(out, url, CITE_NONE);
        }
        rc |= buf_puts(out, "\"];\n");
    }
    for (size_t i = 0; i < nedges; i++)
        rc |= buf_printf(out, "  n%zu -> n%zu [label=\"%u\"];\n", edges[i].from + 1, edges[i].to + 1,
                         edges[i].refs);
    return rc | buf_puts(out, "}\n");
}

