/* similar.c — near-copy pairs across documents: MinHash/LSH candidates,
 * exact Jaccard check (similar.h). */
#include "similar.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "normalize.h"
#include "shingle.h"
#include "store.h"
#include "xapian-shim.h"

#define NO_CLASS UINT32_MAX          /* a paragraph's class when it is too short to compare */
#define READ_PAGE 20000u             /* paragraphs read per Xapian page */

/* A distinct text. */
typedef struct sim_class {
    char     loc[STORE_LOC_LEN];     /* where its first member's record lies */
    uint32_t first;                  /* its first member in paras */
    uint32_t n;                      /* members (consecutive in paras) */
} sim_class;

/* A run while it goes. */
typedef struct pair_run {
    const similar_pairs_in *in;      /* what was asked */
    similar_pairs *out;              /* what is found */
    ps_err        *err;              /* where an error goes */
    xs_db         *db;               /* the open indexes */
    file_cache     fc;               /* file records read */
    norm_text      nt;               /* reused normalised text */
    shingle_set    a, b;             /* reused shingle sets */
    sim_class     *cls;              /* the classes */
    size_t         ncls, capcls;     /* classes in use, allocated */
    uint32_t      *bandv;            /* ncls * bands band values, class by class */
    size_t         capbandv;         /* entries allocated */
    uint64_t      *doc_keys;         /* document table: version id (as a number) + 1, 0 empty */
    uint32_t      *doc_vals;         /* its index into docs */
    size_t         doc_cap;          /* slots, a power of two */
    uint64_t      *cand;             /* candidate class pairs: lower << 32 | higher */
    size_t         ncand, capcand;   /* in use, allocated */
} pair_run;

/* The version id's 16 hex digits as a number. */
static uint64_t vid_number(const char *vid)
{
    uint64_t v = 0;
    for (int i = 0; i < 16 && vid[i]; i++) {
        int c = (unsigned char)vid[i];
        v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

/* strdup of s, "" for NULL; NULL when out of memory. */
static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

/* The document of rec (added when new) in *doc.  Returns 0, or -1 with err set. */
static int doc_of(pair_run *r, const para_rec *rec, uint32_t *doc)
{
    similar_pairs *o = r->out;
    if (2 * (o->ndocs + 1) > r->doc_cap) {
        size_t cap = r->doc_cap ? 2 * r->doc_cap : 1024; /* house: a hash rehashed into a new table */
        uint64_t *k = calloc(cap, sizeof *k);
        uint32_t *v = calloc(cap, sizeof *v);
        if (!k || !v) {
            free(k), free(v);
            return ps_err_nomem(r->err), -1;
        }
        for (size_t i = 0; i < r->doc_cap; i++)
            if (r->doc_keys[i]) {
                size_t j = (size_t)(r->doc_keys[i] * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
                while (k[j])
                    j = (j + 1) & (cap - 1);
                k[j] = r->doc_keys[i], v[j] = r->doc_vals[i];
            }
        free(r->doc_keys), free(r->doc_vals);
        r->doc_keys = k, r->doc_vals = v, r->doc_cap = cap;
    }
    uint64_t key = vid_number(rec->file_key) + 1;
    size_t j = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & (r->doc_cap - 1);
    for (; r->doc_keys[j]; j = (j + 1) & (r->doc_cap - 1))
        if (r->doc_keys[j] == key) {
            *doc = r->doc_vals[j];
            return 0;
        }
    if (buf_grow_array((void **)&o->docs, &o->capdocs, o->ndocs + 1, sizeof *o->docs) != 0)
        return ps_err_nomem(r->err), -1;
    similar_doc *d = &o->docs[o->ndocs];
    d->file = dup_or_empty(rec->file), d->date = dup_or_empty(rec->date);
    d->issuer = dup_or_empty(rec->issuer), d->title = dup_or_empty(rec->title);
    if (!d->file || !d->date || !d->issuer || !d->title) {
        free(d->file), free(d->date), free(d->issuer), free(d->title);
        return ps_err_nomem(r->err), -1;
    }
    r->doc_keys[j] = key;
    r->doc_vals[j] = (uint32_t)o->ndocs;
    *doc = (uint32_t)o->ndocs++;
    return 0;
}

/* Take one paragraph read (its record and key): a new class when its
 * copy key differs from the last one's (*last), its bands computed.
 * Returns 0, or -1 with err set. */
static int take_para(pair_run *r, const para_rec *rec, const char *key, uint64_t *last, int *have_last,
                     uint32_t *cur)
{
    similar_pairs *o = r->out;
    uint64_t ck = 0;
    for (int b = 0; b < STORE_COPY_KEY_LEN; b++)
        ck = ck << 8 | (unsigned char)key[b];
    o->read++;
    if (!*have_last || ck != *last) {
        *have_last = 1, *last = ck, *cur = NO_CLASS;
        if (shingle_text(&r->a, &r->nt, rec->text, rec->text_len) != 0)
            return ps_err_nomem(r->err), -1;
        if (r->a.n >= SIMILAR_MIN_SHINGLES) {
            if (buf_grow_array((void **)&r->cls, &r->capcls, r->ncls + 1, sizeof *r->cls) != 0 ||
                buf_grow_array((void **)&r->bandv, &r->capbandv, (r->ncls + 1) * o->bands, sizeof *r->bandv) != 0)
                return ps_err_nomem(r->err), -1;
            sim_class *c = &r->cls[r->ncls];
            memcpy(c->loc, key + STORE_COPY_KEY_LEN, STORE_LOC_LEN);
            c->first = (uint32_t)o->nparas, c->n = 0;
            shingle_bands(&r->a, o->bands, o->rows, r->bandv + r->ncls * o->bands);
            *cur = (uint32_t)r->ncls++;
        }
    }
    if (*cur == NO_CLASS)
        return 0;
    uint32_t doc;
    if (doc_of(r, rec, &doc) != 0)
        return -1;
    if (buf_grow_array((void **)&o->paras, &o->capparas, o->nparas + 1, sizeof *o->paras) != 0)
        return ps_err_nomem(r->err), -1;
    o->paras[o->nparas++] = (similar_para){ doc, rec->paragraph, *cur };
    r->cls[*cur].n++;
    return 0;
}

/* The query for the copy buckets [from, from + n) (their XC terms: the
 * paragraphs whose copy keys begin with those 12 bits), weightless, live
 * documents only; NULL with err set. */
static xs_query *bucket_query(pair_run *r, unsigned from, unsigned n)
{
    xs_query **t = calloc(n, sizeof *t), *q = NULL;
    unsigned k = 0;
    ps_err xerr = PS_ERR_INIT;
    if (!t)
        return ps_err_nomem(r->err), NULL;
    for (; k < n; k++) {
        char key[STORE_COPY_KEY_LEN] = { 0 }, terms[2][STORE_COPY_TERM_SIZE];
        unsigned b = from + k;
        key[0] = (char)(b >> 4), key[1] = (char)((b & 15) << 4);
        store_copy_terms(key, terms);
        if (!(t[k] = xs_query_term(terms[0], strlen(terms[0]), 1, &xerr)))
            break;
    }
    xs_query *any = k == n ? (n == 1 ? t[0] : xs_query_combine(XS_OP_OR, t, n, &xerr)) : NULL;
    q = any ? xs_query_scale(any, 0.0, &xerr) : NULL;
    for (unsigned i = 0; i < k; i++)
        xs_query_free(t[i]);
    if (any && any != t[0])
        xs_query_free(any);
    free(t);
    if (!q)
        return ps_err_set(r->err, PS_NOMEM, "%s", xerr.msg[0] ? xerr.msg : "out of memory"), NULL;
    return store_live(r->db, q, r->err);
}

/* Read every live paragraph in copy-key order: the copy buckets in order,
 * a group of them at a time (about READ_PAGE / 2 paragraphs a group),
 * each group sorted on the key by Xapian.  (One query over everything,
 * paged, would sort the whole index again for every page.)  Returns 0,
 * or -1 with err set. */
static int read_all(pair_run *r)
{
    enum { BUCKETS = 1u << (4 * STORE_COPY_BUCKET_DIGITS) };
    ps_err xerr = PS_ERR_INIT;
    uint64_t docs = 0;
    if (xs_db_doccount(r->db, &docs, &xerr) != PS_OK)
        return store_read_error(r->err, "the index", &xerr), -1;
    unsigned per = BUCKETS;
    while (per > 1 && docs / (BUCKETS / per) > READ_PAGE / 2)
        per /= 2;
    uint64_t last = 0;
    int have_last = 0, rc = 0;
    uint32_t cur = NO_CLASS;
    for (unsigned g = 0; g < BUCKETS && rc == 0; g += per) {
        xs_query *q = bucket_query(r, g, per);
        if (!q)
            return -1;
        for (unsigned first = 0; rc == 0; first += READ_PAGE) {
            xs_mset *m = xs_enquire(r->db, q, first, READ_PAGE, 0, NULL, &xerr);
            if (!m) {
                store_read_error(r->err, "the index", &xerr);
                rc = -1;
                break;
            }
            size_t n = xs_mset_size(m);
            for (size_t i = 0; i < n && rc == 0; i++) {
                char *data, key[STORE_KEY_LEN];
                para_rec rec;
                int got = store_read_match(m, i, &r->fc, r->db, &data, &rec, key, &xerr);
                if (got < 0) {
                    store_read_error(r->err, "the index", &xerr);
                    rc = -1;
                } else if (got > 0) {
                    rc = take_para(r, &rec, key, &last, &have_last, &cur);
                    free(data);
                }
            }
            xs_mset_free(m);
            if (n < READ_PAGE)
                break;
        }
        xs_query_free(q);
    }
    return rc;
}

/* Sort the candidates and drop repeats. */
static void unique_cands(pair_run *r)
{
    r->ncand = shingle_sort_unique(r->cand, r->ncand);
}

/* 1 if every member of classes x and y is in one and the same document. */
static int one_doc(const pair_run *r, uint32_t x, uint32_t y)
{
    const similar_para *p = r->out->paras;
    uint32_t d = p[r->cls[x].first].doc;
    for (uint32_t c = 0; c < 2; c++) {
        const sim_class *k = &r->cls[c ? y : x];
        for (uint32_t i = 0; i < k->n; i++)
            if (p[k->first + i].doc != d)
                return 0;
    }
    return 1;
}

/* The classes that share a band, band by band, into r->cand (sorted,
 * distinct).  Returns 0, or -1 with err set. */
static int find_candidates(pair_run *r)
{
    unsigned bands = r->out->bands;
    uint64_t *v = malloc((r->ncls + 1) * sizeof *v);
    if (!v)
        return ps_err_nomem(r->err), -1;
    size_t since = 0;               /* candidates added since the last de-duplication */
    for (unsigned band = 0; band < bands; band++) {
        for (size_t c = 0; c < r->ncls; c++)
            v[c] = (uint64_t)r->bandv[c * bands + band] << 32 | c;
        shingle_sort_unique(v, r->ncls);   /* (class numbers make each distinct) */
        for (size_t i = 0; i < r->ncls;) {
            size_t j = i + 1;
            while (j < r->ncls && v[j] >> 32 == v[i] >> 32)
                j++;
            for (size_t x = i; x < j; x++)
                for (size_t y = x + 1; y < j; y++) {
                    uint32_t cx = (uint32_t)v[x], cy = (uint32_t)v[y];
                    if (one_doc(r, cx, cy))
                        continue;
                    if (r->ncand >= SIMILAR_MAX_CANDIDATES) {
                        unique_cands(r);
                        since = 0;
                        if (r->ncand >= SIMILAR_MAX_CANDIDATES) {
                            free(v);
                            return ps_err_set(r->err, PS_USAGE, "--pairs: more than %u candidate pairs at --min %.2f; "
                                              "raise --min", SIMILAR_MAX_CANDIDATES, r->in->min), -1;
                        }
                    }
                    if (buf_grow_array((void **)&r->cand, &r->capcand, r->ncand + 1, sizeof *r->cand) != 0) {
                        free(v);
                        return ps_err_nomem(r->err), -1;
                    }
                    r->cand[r->ncand++] = (uint64_t)(cx < cy ? cx : cy) << 32 | (cx < cy ? cy : cx);
                    since++;
                }
            i = j;
        }
        if (since > r->ncand / 2) {
            unique_cands(r);
            since = 0;
        }
    }
    free(v);
    unique_cands(r);
    return 0;
}

/* The shingles of class c's text into *s.  Returns 0, or -1 with err set. */
static int class_shingles(pair_run *r, uint32_t c, shingle_set *s)
{
    char *data = NULL;
    size_t len;
    para_rec rec;
    if (store_loc_data(r->db, r->cls[c].loc, STORE_LOC_LEN, &data, &len, r->err) != PS_OK)
        return free(data), -1;
    int rc = store_rec_decode(data, len, &rec) == 0 ? 0 : -1;
    if (rc != 0)
        ps_err_set(r->err, PS_INDEX, "a paragraph record that does not decode");
    else if (shingle_text(s, &r->nt, rec.text, rec.text_len) != 0)
        rc = (ps_err_nomem(r->err), -1);
    free(data);
    return rc;
}

/* 1 if paragraph x is to come first in a pair with y (similar_pair). */
static int comes_first(const similar_pairs *o, uint32_t x, uint32_t y)
{
    const similar_para *px = &o->paras[x], *py = &o->paras[y];
    const similar_doc *dx = &o->docs[px->doc], *dy = &o->docs[py->doc];
    if (dx->date[0] && dy->date[0] && strcmp(dx->date, dy->date))
        return strcmp(dx->date, dy->date) < 0;
    if (!dx->date[0] != !dy->date[0])
        return dx->date[0] != 0;
    int c = strcmp(dx->file, dy->file);
    return c ? c < 0 : px->paragraph < py->paragraph;
}

/* Add the pair of paragraphs x and y (different documents), oriented.
 * Returns 0, or -1 with err set. */
static int add_pair(pair_run *r, double sim, uint32_t x, uint32_t y)
{
    similar_pairs *o = r->out;
    if (buf_grow_array((void **)&o->pairs, &o->cappairs, o->npairs + 1, sizeof *o->pairs) != 0)
        return ps_err_nomem(r->err), -1;
    int xf = comes_first(o, x, y);
    o->pairs[o->npairs++] = (similar_pair){ sim, xf ? x : y, xf ? y : x };
    return 0;
}

/* Every pair of members of classes x and y (x == y: of one class) in
 * different documents.  Returns 0, or -1 with err set. */
static int add_members(pair_run *r, double sim, uint32_t x, uint32_t y)
{
    const sim_class *cx = &r->cls[x], *cy = &r->cls[y];
    const similar_para *p = r->out->paras;
    for (uint32_t i = 0; i < cx->n; i++)
        for (uint32_t j = x == y ? i + 1 : 0; j < cy->n; j++) {
            uint32_t a = cx->first + i, b = cy->first + j;
            if (p[a].doc != p[b].doc && add_pair(r, sim, a, b) != 0)
                return -1;
        }
    return 0;
}

/* The exact similarity of each candidate; the pairs of those of min or
 * more.  Returns 0, or -1 with err set. */
static int check_candidates(pair_run *r)
{
    uint32_t have = NO_CLASS;        /* the class whose shingles r->a holds */
    r->out->candidates = r->ncand;
    for (size_t i = 0; i < r->ncand; i++) {
        uint32_t x = (uint32_t)(r->cand[i] >> 32), y = (uint32_t)r->cand[i];
        if (x != have) {
            if (class_shingles(r, x, &r->a) != 0)
                return -1;
            have = x;
        }
        if (class_shingles(r, y, &r->b) != 0)
            return -1;
        double sim = shingle_jaccard(&r->a, &r->b);
        if (sim >= r->in->min && add_members(r, sim, x, y) != 0)
            return -1;
    }
    for (size_t c = 0; r->in->with_copies && c < r->ncls; c++)
        if (r->cls[c].n > 1 && add_members(r, 1.0, (uint32_t)c, (uint32_t)c) != 0)
            return -1;
    return 0;
}

/* The one run's pairs, for the sort (qsort has no context). */
typedef struct pair_sort {
    const similar_pairs *o;          /* the run's paragraphs and documents */
    similar_pair         p;          /* the pair */
} pair_sort;

/* qsort order of pair_sort: most similar first, then by the first's
 * path and paragraph, then the second's. */
static int cmp_pair(const void *a, const void *b)
{
    const pair_sort *x = a, *y = b;
    if (x->p.sim != y->p.sim)
        return x->p.sim > y->p.sim ? -1 : 1;
    const similar_pairs *o = x->o;
    const uint32_t xs[2] = { x->p.first, x->p.second }, ys[2] = { y->p.first, y->p.second };
    for (int k = 0; k < 2; k++) {
        const similar_para *px = &o->paras[xs[k]], *py = &o->paras[ys[k]];
        int c = strcmp(o->docs[px->doc].file, o->docs[py->doc].file);
        if (c)
            return c;
        if (px->paragraph != py->paragraph)
            return px->paragraph < py->paragraph ? -1 : 1;
    }
    return 0;
}

/* Sort the pairs.  Returns 0, or -1 with err set. */
static int sort_pairs(pair_run *r)
{
    similar_pairs *o = r->out;
    if (o->npairs < 2)
        return 0;
    pair_sort *v = malloc(o->npairs * sizeof *v);
    if (!v)
        return ps_err_nomem(r->err), -1;
    for (size_t i = 0; i < o->npairs; i++)
        v[i] = (pair_sort){ o, o->pairs[i] };
    qsort(v, o->npairs, sizeof *v, cmp_pair);
    for (size_t i = 0; i < o->npairs; i++)
        o->pairs[i] = v[i].p;
    free(v);
    return 0;
}

/* See similar.h. */
int similar_find_pairs(const similar_pairs_in *in, similar_pairs *out, ps_err *err)
{
    if (!(in->min >= SIMILAR_PAIRS_MIN && in->min <= 1.0))
        return ps_err_set(err, PS_USAGE, "--min: --pairs takes a similarity from %.1f to 1", SIMILAR_PAIRS_MIN), -1;
    if (shingle_lsh_params(in->min, SIMILAR_LSH_MISS, &out->bands, &out->rows) != 0)
        return ps_err_set(err, PS_USAGE, "--min: no banding for %.2f", in->min), -1;
    pair_run r;
    memset(&r, 0, sizeof r);
    norm_text nt0 = NORM_TEXT_INIT;
    shingle_set s0 = SHINGLE_SET_INIT;
    r.nt = nt0, r.a = s0, r.b = s0;
    r.in = in, r.out = out, r.err = err;
    int rc = -1;
    if (!(r.db = store_open_read(in->dirs, in->ndirs, in->timeout_ms, err)))
        goto out;
    if (read_all(&r) != 0)
        goto out;
    out->classes = r.ncls;
    free(r.doc_keys), free(r.doc_vals);
    r.doc_keys = NULL, r.doc_vals = NULL;
    if (find_candidates(&r) != 0)
        goto out;
    free(r.bandv);
    r.bandv = NULL;
    rc = check_candidates(&r) == 0 && sort_pairs(&r) == 0 ? 0 : -1;
out:
    free(r.cand);
    free(r.bandv);
    free(r.cls);
    free(r.doc_keys);
    free(r.doc_vals);
    norm_text_free(&r.nt);
    shingle_free(&r.a);
    shingle_free(&r.b);
    file_cache_free(&r.fc);
    xs_db_close(r.db);
    return rc;
}

/* See similar.h. */
void similar_pairs_free(similar_pairs *p)
{
    for (size_t i = 0; i < p->ndocs; i++) {
        free(p->docs[i].file), free(p->docs[i].date);
        free(p->docs[i].issuer), free(p->docs[i].title);
    }
    free(p->docs);
    free(p->paras);
    free(p->pairs);
    similar_pairs s0 = SIMILAR_PAIRS_INIT;
    *p = s0;
}
