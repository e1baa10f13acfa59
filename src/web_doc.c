/* web_doc.c — the document view and the original file (web_doc.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "citations.h"
#include "copies.h"
#include "normalize.h"
#include "reader.h"
#include "store.h"
#include "web_doc.h"
#include "web_html.h"

int web_id_parse(const char *s, uint64_t *id)
{
    uint64_t v = 0;
    size_t i;
    for (i = 0; s[i] && i < 16; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            v = v << 4 | (uint64_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v = v << 4 | (uint64_t)(c - 'a' + 10);
        else
            return -1;
    }
    if (i != 16 || s[i])
        return -1;
    *id = v;
    return 0;
}

void web_id_of(const char *path, char out[17])
{
    snprintf(out, 17, "%016" PRIx64, store_path_hash(path));
}

int web_docs_init(web_docs *d, const char *const *dirs, size_t n, ps_err *err)
{
    memset(d, 0, sizeof *d);
    d->dirs = dirs;
    d->n = n;
    if (!(d->ix = calloc(n ? n : 1, sizeof *d->ix)) || !(d->open = calloc(n ? n : 1, 1)) ||
        !(d->ids = calloc(n ? n : 1, sizeof *d->ids))) {
        web_docs_free(d);
        return ps_err_nomem(err), -1;
    }
    return 0;
}

/* One text or HTML file's encoding. */
struct web_enc {
    uint64_t id;                     /* its id (store_path_hash of the path shown) */
    char     name[24];               /* the encoding it was decoded from */
};

void web_docs_forget(web_docs *d)
{
    free(d->enc);
    d->enc = NULL;
    d->nenc = d->capenc = 0;
    d->enc_read = 0;
    for (size_t i = 0; i < d->n && d->open; i++)
        if (d->open[i]) {
            cite_close(&d->ix[i]);
            free(d->ids[i]);
            d->ids[i] = NULL;
            d->open[i] = 0;
        }
}

void web_docs_free(web_docs *d)
{
    web_docs_forget(d);
    free(d->ix);
    free(d->open);
    free(d->ids);
    memset(d, 0, sizeof *d);
}

/* The index of d that holds file id (opened when it is not yet) into
 * *ix, its place in (*ix)->files into *f.  Returns 0 (found), 1 (no index
 * holds it), or -1 (an index could not be read: *err says why). */
static int doc_find(web_docs *d, uint64_t id, cite_index **ix, size_t *f, ps_err *err)
{
    for (size_t k = 0; k < d->n; k++) {
        cite_index *c = &d->ix[k];
        if (!d->open[k]) {
            if (cite_open(c, d->dirs[k]) != 0) {
                *err = c->err;
                cite_close(c);
                return -1;
            }
            /* The files' ids, hashed once per opening, not per request. */
            if (!(d->ids[k] = malloc((c->nfiles ? c->nfiles : 1) * sizeof **d->ids))) {
                cite_close(c);
                return ps_err_nomem(err), -1;
            }
            for (size_t i = 0; i < c->nfiles; i++)
                d->ids[k][i] = store_path_hash(c->files[i].info.file);
            d->open[k] = 1;
        }
        for (size_t i = 0; i < c->nfiles; i++)
            if (d->ids[k][i] == id) {
                *ix = c;
                *f = i;
                return 0;
            }
    }
    return 1;
}

/* After using index ix of d: an index that met an error is closed, to be
 * read again on next use. */
static void doc_done(web_docs *d, cite_index *ix)
{
    for (size_t k = 0; k < d->n; k++)
        if (&d->ix[k] == ix && ix->err.code) {
            cite_close(ix);
            free(d->ids[k]);
            d->ids[k] = NULL;
            d->open[k] = 0;
        }
}

/* store_summarise's callback: keep a text or HTML file's encoding.
 * Returns 0, or -1 when out of memory. */
static int keep_enc(void *ctx, file_rec *f)
{
    web_docs *d = ctx;
    int rc = 0;
    if (!strcmp(f->format, "text") || !strcmp(f->format, "html")) {
        if (buf_grow_array((void **)&d->enc, &d->capenc, d->nenc + 1, sizeof *d->enc) != 0) {
            rc = -1;
        } else {
            d->enc[d->nenc].id = store_path_hash(f->path);
            snprintf(d->enc[d->nenc++].name, sizeof d->enc->name, "%s", f->encoding);
        }
    }
    file_rec_free(f);
    return rc;
}

/* The encoding file id was decoded from, read from d's local indexes'
 * file records on first use, or NULL when unknown or not a plain name. */
static const char *file_encoding(web_docs *d, uint64_t id)
{
    if (!d->enc_read) {
        d->enc_read = 1;
        for (size_t k = 0; k < d->n; k++) {
            store_summary st;
            ps_err err = PS_ERR_INIT;
            if (strncmp(d->dirs[k], "tcp://", 6) != 0)
                (void)store_summarise(d->dirs[k], &st, keep_enc, d, &err);   /* unknown: no charset */
        }
    }
    for (size_t i = 0; i < d->nenc; i++)
        if (d->enc[i].id == id) {
            const char *n = d->enc[i].name;
            size_t ok = strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");
            return *n && !n[ok] ? n : NULL;
        }
    return NULL;
}

/* The Content-Type of an original file of format fmt named path. */
static const char *file_type(const char *fmt, const char *path)
{
    size_t len = strlen(path);
    static const struct { const char *suffix, *type; } by_name[] = {
        { ".gz", "application/gzip" }, { ".png", "image/png" }, { ".jpg", "image/jpeg" },
        { ".jpeg", "image/jpeg" }, { ".tif", "image/tiff" }, { ".tiff", "image/tiff" },
        { ".wps", "application/vnd.ms-works" },
    };
    for (size_t i = 0; i < sizeof by_name / sizeof *by_name; i++) {
        size_t sl = strlen(by_name[i].suffix);
        if (len >= sl && strcasecmp(path + len - sl, by_name[i].suffix) == 0)
            return by_name[i].type;
    }
    int f = reader_format_by_name(fmt);
    const char *type = f < 0 ? NULL : reader_format_type((enum doc_format)f);
    return type ? type : "application/octet-stream";
}

/* Fill rep with an index-read failure (503) or an unknown id (404) for
 * doc_find's result found.  Returns 0, or -1 when out of memory. */
static int doc_not_found(int found, const ps_err *err, web_reply *rep)
{
    return web_reply_error(rep, found < 0 ? 503 : 404, 0,
                           found < 0 ? err->msg : "no indexed document has this id");
}

int web_file_reply(web_docs *d, uint64_t id, web_reply *rep)
{
    cite_index *ix;
    size_t f;
    ps_err err = PS_ERR_INIT;
    int found = doc_find(d, id, &ix, &f, &err);
    if (found != 0)
        return doc_not_found(found, &err, rep);
    const para_rec *info = &ix->files[f].info;
    rep->status = 200;
    rep->type = file_type(info->format ? info->format : "", info->file);
    const char *enc = !strncmp(rep->type, "text/", 5) ? file_encoding(d, id) : NULL;
    if (enc) {
        snprintf(rep->ctype, sizeof rep->ctype, "%s; charset=%s", rep->type, enc);
        rep->type = rep->ctype;
    }
    rep->file = strdup(info->file);
    return rep->file ? 0 : -1;
}

/* Append one metadata line "<dt>label</dt><dd>value</dd>" when value is set. */
static int put_meta(buf *b, const char *label, const char *value)
{
    if (!value || !*value)
        return 0;
    return buf_printf(b, "<dt>%s</dt><dd>", label) | html_str(b, value) | buf_puts(b, "</dd>");
}

/* Append a link to the document view of file f of ix, its title (or path) as the text. */
static int put_doc_link(buf *b, const cite_index *ix, size_t f, const char *anchor_extra)
{
    char id[17];
    const para_rec *info = &ix->files[f].info;
    web_id_of(info->file, id);
    return buf_printf(b, "<a href=\"/doc/%s%s\">", id, anchor_extra ? anchor_extra : "") |
           html_str(b, info->title && *info->title ? info->title : info->file) | buf_puts(b, "</a>");
}

/* A copy of one of the document's paragraphs, somewhere in the indexes. */
typedef struct doc_copy {
    uint64_t key;                    /* its copy key (copies_text_key) */
    char    *file;                   /* its file's path as indexed (malloc'd) */
    unsigned paragraph;              /* its paragraph number */
    char     vid[17];                /* its file version id (16 hex digits) */
} doc_copy;

/* The copy groups of a document's paragraphs (search_copies_of). */
typedef struct doc_copies {
    uint64_t *para_key;              /* para_key[p]: the copy key of the document's paragraph p (0-based) */
    uint64_t *keys;                  /* the distinct keys of para_key, sorted */
    uint64_t *total;                 /* total[k]: live paragraphs with keys[k], the document's own included */
    size_t    nkeys;                 /* distinct keys */
    doc_copy *v;                     /* the members read (at most WEB_DOC_COPIES_READ a key), sorted by key, file, paragraph */
    size_t    n;                     /* members read */
    size_t    cap;                   /* members allocated */
    int       oom;                   /* memory ran out in the callback */
} doc_copies;

/* qsort order of copies: by key, then file, then paragraph. */
static int cmp_copy(const void *a, const void *b)
{
    const doc_copy *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    int c = strcmp(x->file, y->file);
    return c ? c : (x->paragraph > y->paragraph) - (x->paragraph < y->paragraph);
}

/* search_copies_of's callback: count a paragraph with key, keep it when
 * read.  Returns 0, or 1 to stop when memory ran out. */
static int keep_copy(void *ctx, uint64_t key, const para_rec *rec)
{
    doc_copies *dc = ctx;
    const uint64_t *k = bsearch(&key, dc->keys, dc->nkeys, sizeof *dc->keys, buf_cmp_u64);
    if (!k)
        return 0;
    dc->total[k - dc->keys]++;
    if (!rec)
        return 0;
    if (buf_grow_array((void **)&dc->v, &dc->cap, dc->n + 1, sizeof *dc->v) != 0 ||
        !(dc->v[dc->n].file = strdup(rec->file)))
        return dc->oom = 1;
    doc_copy *c = &dc->v[dc->n++];
    c->key = key;
    c->paragraph = rec->paragraph;
    snprintf(c->vid, sizeof c->vid, "%.16s", rec->file_key ? rec->file_key : "");
    return 0;
}

/* Free what dc holds. */
static void doc_copies_free(doc_copies *dc)
{
    for (size_t i = 0; i < dc->n; i++)
        free(dc->v[i].file);
    free(dc->v);
    free(dc->para_key);
    free(dc->keys);
    free(dc->total);
    memset(dc, 0, sizeof *dc);
}

/* Find the copies of the paragraphs paras[0..n) on e into *dc (zeroed on
 * entry): their keys from their normalised text, as the index made them,
 * then one grouped lookup.  Returns 0, or -1 with err set. */
static int doc_copies_find(search_engine *e, const cite_paras *paras, doc_copies *dc, ps_err *err)
{
    size_t n = paras->n;
    if (!n)
        return 0;
    norm_text nt = NORM_TEXT_INIT;
    if (!(dc->para_key = malloc(n * sizeof *dc->para_key)) || !(dc->keys = malloc(n * sizeof *dc->keys)) ||
        !(dc->total = calloc(n, sizeof *dc->total)))
        return ps_err_nomem(err), -1;
    for (size_t p = 0; p < n; p++) {
        if (norm_text_build(&nt, paras->v[p].rec.text, paras->v[p].rec.text_len) != 0) {
            norm_text_free(&nt);
            return ps_err_nomem(err), -1;
        }
        dc->para_key[p] = dc->keys[p] = copies_text_key(&nt);
    }
    norm_text_free(&nt);
    dc->nkeys = buf_sort_unique_u64(dc->keys, n);
    if (search_copies_of(e, dc->keys, dc->nkeys, WEB_DOC_COPIES_READ, keep_copy, dc, err) != 0)
        return -1;
    if (dc->oom)
        return ps_err_nomem(err), -1;
    if (dc->n > 1)
        qsort(dc->v, dc->n, sizeof *dc->v, cmp_copy);
    return 0;
}

/* Append, after paragraph r (the document's p-th, 0-based, of version
 * vid), "另见 N 处" opening to links to its copies' anchors (nothing when
 * it has none). */
static int put_para_copies(buf *b, const doc_copies *dc, size_t p, const para_rec *r, const char *vid)
{
    if (!dc->nkeys)
        return 0;
    uint64_t key = dc->para_key[p];
    const uint64_t *k = bsearch(&key, dc->keys, dc->nkeys, sizeof *dc->keys, buf_cmp_u64);
    uint64_t others = k && dc->total[k - dc->keys] ? dc->total[k - dc->keys] - 1 : 0;
    if (!others)
        return 0;
    int rc = buf_printf(b, "<details class=\"copies\"><summary>另见 %" PRIu64 " 处</summary><ul>", others);
    size_t lo = 0, hi = dc->n, listed = 0;
    while (lo < hi) {                /* the first member with key */
        size_t mid = lo + (hi - lo) / 2;
        if (dc->v[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < dc->n && dc->v[i].key == key; i++) {
        const doc_copy *c = &dc->v[i];
        if (c->paragraph == r->paragraph && !strcmp(c->vid, vid))
            continue;                /* the paragraph itself */
        char id[17];
        web_id_of(c->file, id);
        rc |= buf_printf(b, "<li><a href=\"/doc/%s#p%u\">", id, c->paragraph) | html_str(b, c->file) |
              buf_printf(b, ":%u</a></li>", c->paragraph);
        listed++;
    }
    if (listed < others)
        rc |= buf_printf(b, "<li>…另有 %" PRIu64 " 处</li>", others - listed);
    return rc | buf_puts(b, "</ul></details>\n");
}

/* Append paragraph r of the document fid, matches of m marked (m may be
 * NULL): its anchor, a page marker when its page begins (a link to that
 * page of the original file: PDF viewers open #page=N), an OCR mark.
 * *page is the page shown last.  Returns 0, or -1 when out of memory. */
static int put_para(buf *b, const char *fid, const para_rec *r, search_marker *m, span_list *marks,
                    unsigned *page)
{
    int rc = 0;
    if (r->page && r->page != *page) {
        rc |= buf_printf(b, "<div class=\"page\" id=\"page%u\"><a href=\"/file/%s#page=%u\">第 %u 页</a></div>\n",
                         r->page, fid, r->page, r->page);
        *page = r->page;
    }
    span_clear(marks);
    if (m && search_marker_spans(m, r->text, r->text_len, marks, NULL) != 0)
        return -1;
    rc |= buf_printf(b, "<p id=\"p%u\"%s><a class=\"pno\" href=\"#p%u\">%u</a>", r->paragraph,
                     r->flags & PARA_F_OCR ? " class=\"ocr\" title=\"OCR\"" : "", r->paragraph, r->paragraph);
    rc |= html_marked(b, r->text, r->text_len, marks);
    return rc | buf_puts(b, "</p>\n");
}

/* What put_cite_item writes with. */
typedef struct cites_html {
    buf              *b;             /* the page */
    const cite_index *ix;            /* the index */
    size_t            listed;        /* references written */
} cites_html;

/* cite_ref_fn: one reference as a list item, linked to its paragraph and,
 * when the cited file is indexed, to its document.  Returns 0, or -2 when
 * out of memory. */
static int put_cite_item(void *ctx, const para_rec *r, const ref_item *it, size_t t)
{
    cites_html *o = ctx;
    int rc = buf_printf(o->b, "<li><a href=\"#p%u\">¶%u</a> ", r->paragraph, r->paragraph);
    rc |= t == CITE_NONE ? html_text(o->b, r->text + it->start, it->len) : put_doc_link(o->b, o->ix, t, NULL);
    rc |= buf_puts(o->b, "</li>");
    o->listed++;
    return rc ? -2 : 0;
}

/* Append what file f cites (each reference, linked when the cited file
 * is indexed) as a list.  Returns 0, or -1 (out of memory or ix->err). */
static int put_cites(buf *b, cite_index *ix, size_t f, const cite_paras *paras)
{
    cites_html o = { .b = b, .ix = ix };
    if (buf_puts(b, "<h3>引用</h3><ul class=\"cites\">") != 0 || cite_each_ref(ix, f, paras, put_cite_item, &o) != 0)
        return -1;
    return buf_puts(b, o.listed ? "</ul>" : "<li>无</li></ul>");
}

/* Append who cites file f (each citing paragraph, linked to its anchor). */
static int put_cited_by(buf *b, cite_index *ix, size_t f)
{
    cite_terms terms = CITE_TERMS_INIT;
    cite_paras citing = CITE_PARAS_INIT;
    int rc = cite_terms_of_file(ix, f, &terms);
    if (rc == 0 && terms.n)
        rc = cite_citing(ix, &terms, &citing);
    rc |= buf_puts(b, "<h3>被引用</h3><ul class=\"cited\">");
    size_t listed = 0;
    for (size_t i = 0; i < citing.n && rc == 0; i++) {
        const cite_para *p = &citing.v[i];
        if (p->file == f)
            continue;
        char anchor[24];
        snprintf(anchor, sizeof anchor, "#p%u", p->rec.paragraph);
        rc |= buf_puts(b, "<li>") | put_doc_link(b, ix, p->file, anchor) |
              buf_printf(b, " ¶%u</li>", p->rec.paragraph);
        listed++;
    }
    cite_terms_free(&terms);
    cite_paras_free(&citing);
    return rc | buf_puts(b, listed ? "</ul>" : "<li>无</li></ul>");
}

int web_doc_page(search_engine *e, web_docs *d, uint64_t id, const char *q, web_reply *rep)
{
    cite_index *ixp;
    size_t f;
    ps_err err = PS_ERR_INIT;
    int found = doc_find(d, id, &ixp, &f, &err);
    if (found != 0)
        return doc_not_found(found, &err, rep);
    search_marker *m = NULL;
    if (q && *q) {
        /* Marked as search marks, expansions included; a query that
         * cannot run marks nothing. */
        search_request req = { .query = q };
        m = search_marker_new(e, &req, NULL);
    }
    const para_rec *info = &ixp->files[f].info;
    cite_paras paras = CITE_PARAS_INIT;
    span_list marks = SPAN_LIST_INIT;
    doc_copies copies = { 0 };
    buf *b = &rep->body;
    char fid[17];
    web_id_of(info->file, fid);
    int rc = cite_file_paras(ixp, f, &paras);
    if (rc != 0) {
        rc = web_reply_error(rep, 503, 0, ixp->err.msg);
        goto done;
    }
    rc = html_page_begin(b, info->title && *info->title ? info->title : info->file, q) |
         buf_puts(b, "<article class=\"doc results\"><h1>") |
         html_str(b, info->title && *info->title ? info->title : info->file) |
         buf_puts(b, "</h1><dl class=\"meta\">");
    rc |= put_meta(b, "文件", info->file) | put_meta(b, "日期", info->date) | put_meta(b, "发布机构", info->issuer) |
          put_meta(b, "文号", info->docno) | put_meta(b, "格式", info->format);
    rc |= buf_printf(b, "<dt>段落</dt><dd>%zu</dd></dl><p><a href=\"/file/%s\">原文件</a></p>\n", paras.n, fid);
    if (rc == 0 && e && doc_copies_find(e, &paras, &copies, &err) != 0) {
        buf_clear(b);
        rc = err.code == PS_NOMEM ? -1 : web_reply_error(rep, 503, 0, err.msg);
        goto done;
    }
    unsigned page = 0;
    for (size_t p = 0; p < paras.n && rc == 0; p++)
        rc = put_para(b, fid, &paras.v[p].rec, m, &marks, &page) |
             put_para_copies(b, &copies, p, &paras.v[p].rec, ixp->files[f].vid);
    rc |= buf_puts(b, "</article><aside class=\"facets\">");
    if (rc == 0 && (put_cites(b, ixp, f, &paras) != 0 || put_cited_by(b, ixp, f) != 0))
        rc = ixp->err.code && ixp->err.code != PS_NOMEM ? web_reply_error(rep, 503, 0, ixp->err.msg) : -1;
    else
        rc |= buf_puts(b, "</aside>") | html_page_end(b);
    if (rc == 0 && !rep->status) {
        rep->status = 200;
        rep->type = "text/html; charset=utf-8";
    }
done:
    doc_copies_free(&copies);
    span_list_free(&marks);
    cite_paras_free(&paras);
    search_marker_free(m);
    doc_done(d, ixp);
    return rc;
}
