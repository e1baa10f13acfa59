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
#define UNSEEN   (UINT32_MAX - 1)    /* a copy key's class before its first member is read */
#define READ_PAGE 20000u             /* paragraphs read per Xapian page */
#define TEXT_BUDGET (64u << 20)      /* bytes of candidates' texts held at once (check_candidates) */

/* A distinct text. */
typedef struct sim_class {
    char     loc[STORE_LOC_LEN];     /* where its first member (in place order) lies */
    uint32_t first;                  /* its first member in paras */
    uint32_t n;                      /* members (consecutive in paras) */
    uint32_t len;                    /* bytes of its text */
} sim_class;

/* A live paragraph met in copy-key order, before its record is read. */
typedef struct sim_ent {
    char     loc[STORE_LOC_LEN];     /* where its record lies: the sort order of the reading */
    uint32_t group;                  /* its copy key's number, in copy-key order */
} sim_ent;

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
    sim_ent       *ent;              /* the live paragraphs, first in copy-key order, then in place order */
    size_t         nent, capent;     /* in use, allocated */
    uint32_t      *gcls;             /* each copy key's class, UNSEEN or NO_CLASS, by group */
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
    if (ARRAY_EGROW(r->err, o->docs, o->capdocs, o->ndocs + 1) != 0)
        return -1;
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

/* Take the record of entry e (rec, its text's bytes read): its copy
 * key's class made when it is the first member read (its shingles
 * computed: NO_CLASS when too few), the paragraph kept, in place order,
 * when the class is one.  Returns 0, or -1 with err set. */
static int take_para(pair_run *r, const sim_ent *e, const para_rec *rec)
{
    similar_pairs *o = r->out;
    uint32_t *c = &r->gcls[e->group];
    o->read++;
    if (*c == UNSEEN) {
        *c = NO_CLASS;
        if (shingle_text(&r->a, &r->nt, rec->text, rec->text_len) != 0)
            return ps_err_nomem(r->err), -1;
        if (r->a.n >= SIMILAR_MIN_SHINGLES) {
            if (ARRAY_EGROW(r->err, r->cls, r->capcls, r->ncls + 1) != 0 ||
                ARRAY_EGROW(r->err, r->bandv, r->capbandv, (r->ncls + 1) * o->bands) != 0)
                return -1;
            sim_class *k = &r->cls[r->ncls];
            memcpy(k->loc, e->loc, STORE_LOC_LEN);
            k->first = 0, k->n = 0;
            k->len = rec->text_len > UINT32_MAX ? UINT32_MAX : (uint32_t)rec->text_len;
            shingle_bands(&r->a, o->bands, o->rows, r->bandv + r->ncls * o->bands);
            *c = (uint32_t)r->ncls++;
        }
    }
    if (*c == NO_CLASS)
        return 0;
    uint32_t doc;
    if (doc_of(r, rec, &doc) != 0)
        return -1;
    if (ARRAY_EGROW(r->err, o->paras, o->capparas, o->nparas + 1) != 0)
        return -1;
    o->paras[o->nparas++] = (similar_para){ doc, rec->paragraph, *c };
    r->cls[*c].n++;
    return 0;
}

/* The query for the copy buckets [from, from + n) (their XC terms: the
 * paragraphs whose copy keys begin with those 12 bits), weightless, live
 * documents only; NULL with err set. */
static store_query *bucket_query(pair_run *r, unsigned from, unsigned n)
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
    return store_query_live(r->db, q, r->err);
}

/* The keys of every live paragraph in copy-key order into r->ent (each
 * copy key numbered in that order; no record read): the copy buckets in
 * order, a group of them at a time (about READ_PAGE / 2 paragraphs a
 * group), each group sorted on the key by Xapian.  (One query over
 * everything, paged, would sort the whole index again for every page.)
 * *ngroups gets the number of copy keys.  Returns 0, or -1 with err set. */
static int read_keys(pair_run *r, uint32_t *ngroups)
{
    enum { BUCKETS = 1u << (4 * STORE_COPY_BUCKET_DIGITS) };
    ps_err xerr = PS_ERR_INIT;
    uint64_t docs = 0;
    if (xs_db_doccount(r->db, &docs, &xerr) != PS_OK)
        return store_read_error(r->err, "the index", &xerr), -1;
    unsigned per = BUCKETS;
    while (per > 1 && docs / (BUCKETS / per) > READ_PAGE / 2)
        per /= 2;
    char last[STORE_COPY_KEY_LEN];
    uint32_t groups = 0;
    int rc = 0;
    for (unsigned g = 0; g < BUCKETS && rc == 0; g += per) {
        store_query *q = bucket_query(r, g, per);
        if (!q)
            return -1;
        for (unsigned first = 0; rc == 0; first += READ_PAGE) {
            xs_mset *m = store_enquire(r->db, q, first, READ_PAGE, 0, NULL, &xerr);
            if (!m) {
                store_read_error(r->err, "the index", &xerr);
                rc = -1;
                break;
            }
            size_t n = xs_mset_size(m);
            for (size_t i = 0; i < n && rc == 0; i++) {
                char key[STORE_KEY_LEN];
                if (store_item_key(m, i, key, &xerr) != 0) {
                    store_read_error(r->err, "the index", &xerr);
                    rc = -1;
                } else if (buf_grow_array((void **)&r->ent, &r->capent, r->nent + 1, sizeof *r->ent) != 0) {
                    rc = (ps_err_nomem(r->err), -1);
                } else {
                    if (groups == 0 || memcmp(key, last, STORE_COPY_KEY_LEN) != 0)
                        memcpy(last, key, STORE_COPY_KEY_LEN), groups++;
                    sim_ent *e = &r->ent[r->nent++];
                    memcpy(e->loc, key + STORE_COPY_KEY_LEN, STORE_LOC_LEN);
                    e->group = groups - 1;
                }
            }
            xs_mset_free(m);
            if (n < READ_PAGE)
                break;
        }
        store_query_free(q);
    }
    *ngroups = groups;
    return rc;
}

/* qsort order of sim_ent: by place. */
static int cmp_ent(const void *a, const void *b)
{
    return memcmp(((const sim_ent *)a)->loc, ((const sim_ent *)b)->loc, STORE_LOC_LEN);
}

/* Put the paragraphs (kept in place order) class by class, each class's
 * members in place order, and set each class's first.  Returns 0, or -1
 * with err set. */
static int group_paras(pair_run *r)
{
    similar_pairs *o = r->out;
    if (o->nparas == 0)
        return 0;
    similar_para *v = malloc(o->nparas * sizeof *v);
    if (!v)
        return ps_err_nomem(r->err), -1;
    uint32_t at = 0;
    for (size_t c = 0; c < r->ncls; c++)
        r->cls[c].first = at, at += r->cls[c].n, r->cls[c].n = 0;
    for (size_t i = 0; i < o->nparas; i++) {
        sim_class *k = &r->cls[o->paras[i].cls];
        v[k->first + k->n++] = o->paras[i];
    }
    free(o->paras);
    o->paras = v, o->capparas = o->nparas;
    return 0;
}

/* Read every live paragraph once: its key in copy-key order
 * (read_keys), then its record in place order, so that each text chunk
 * is inflated once (the records of a chunk follow one another) rather
 * than once a paragraph.  A copy key's first member in place order (its
 * first in copy-key order too: Xapian sorts on the whole key, place
 * last) makes its class.  Returns 0, or -1 with err set. */
static int read_all(pair_run *r)
{
    uint32_t groups = 0;
    if (read_keys(r, &groups) != 0)
        return -1;
    if (r->nent == 0)
        return 0;
    if (!(r->gcls = malloc(groups * sizeof *r->gcls)))
        return ps_err_nomem(r->err), -1;
    for (uint32_t g = 0; g < groups; g++)
        r->gcls[g] = UNSEEN;
    qsort(r->ent, r->nent, sizeof *r->ent, cmp_ent);
    int rc = 0;
    for (size_t i = 0; i < r->nent && rc == 0; i++) {
        char *data = NULL;
        size_t len = 0;
        para_rec rec;
        ps_err xerr = PS_ERR_INIT;
        const sim_ent *e = &r->ent[i];
        if (store_loc_data(r->db, e->loc, STORE_LOC_LEN, &data, &len, &xerr) != PS_OK)
            rc = -1;
        else if (store_rec_decode(data, len, &rec) != 0)
            rc = 0;                 /* not a paragraph record: as store_read_match, left out */
        else if (store_file_lookup(&r->fc, r->db, &rec, e->loc, STORE_LOC_LEN, &xerr) != 0)
            rc = (xerr.code = PS_INDEX, -1); /* as store_read_match: the index lacks what it must hold */
        else
            rc = take_para(r, e, &rec);
        if (rc != 0 && xerr.code != PS_OK)
            store_read_error(r->err, "the index", &xerr);
        free(data);
    }
    free(r->ent), free(r->gcls);
    r->ent = NULL, r->gcls = NULL, r->nent = r->capent = 0;
    return rc == 0 ? group_paras(r) : -1;
}

/* Sort the candidates and drop repeats. */
static void unique_cands(pair_run *r)
{
    r->ncand = buf_sort_unique_u64(r->cand, r->ncand);
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
        buf_sort_unique_u64(v, r->ncls);   /* (class numbers make each distinct) */
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
    if (ARRAY_EGROW(r->err, o->pairs, o->cappairs, o->npairs + 1) != 0)
        return -1;
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

/* A class whose text a window of candidates needs. */
typedef struct text_need {
    char     loc[STORE_LOC_LEN];     /* where its record lies */
    uint32_t cls;                    /* the class */
} text_need;

/* The texts of the classes a window of candidates needs, read in place
 * order. */
typedef struct text_window {
    uint32_t  *stamp;                /* by class: the window that last needed it (0: none yet) */
    size_t    *off;                  /* by class: where its text lies in text, for the window of stamp */
    text_need *need;                 /* the classes this window needs */
    size_t     nneed, capneed;       /* in use, allocated */
    buf        text;                 /* their texts, one after another */
} text_window;

/* qsort order of text_need: by place. */
static int cmp_need(const void *a, const void *b)
{
    return memcmp(((const text_need *)a)->loc, ((const text_need *)b)->loc, STORE_LOC_LEN);
}

/* Note that window w needs class c's text, adding its bytes to *bytes.
 * Returns 0, or -1 with err set. */
static int need_text(pair_run *r, text_window *t, uint32_t w, uint32_t c, size_t *bytes)
{
    if (t->stamp[c] == w)
        return 0;
    if (ARRAY_EGROW(r->err, t->need, t->capneed, t->nneed + 1) != 0)
        return -1;
    t->stamp[c] = w;
    memcpy(t->need[t->nneed].loc, r->cls[c].loc, STORE_LOC_LEN);
    t->need[t->nneed++].cls = c;
    *bytes += r->cls[c].len;
    return 0;
}

/* Read the texts of the classes t->need into t->text, in place order, so
 * that each text chunk is inflated once a window.  Returns 0, or -1 with
 * err set. */
static int read_texts(pair_run *r, text_window *t)
{
    qsort(t->need, t->nneed, sizeof *t->need, cmp_need);
    buf_clear(&t->text);
    for (size_t i = 0; i < t->nneed; i++) {
        char *data = NULL;
        size_t len;
        para_rec rec;
        if (store_loc_data(r->db, t->need[i].loc, STORE_LOC_LEN, &data, &len, r->err) != PS_OK)
            return free(data), -1;
        int rc = store_rec_decode(data, len, &rec) == 0 ? 0 : -1;
        if (rc != 0)
            ps_err_set(r->err, PS_INDEX, "a paragraph record that does not decode");
        else
            t->off[t->need[i].cls] = t->text.len;
        if (rc == 0 && buf_eappend(r->err, &t->text, rec.text, rec.text_len) != 0)
            rc = -1;
        free(data);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* The shingles of class c's text (read by read_texts) into *s.  Returns
 * 0, or -1 with err set. */
static int class_shingles(pair_run *r, const text_window *t, uint32_t c, shingle_set *s)
{
    if (shingle_text(s, &r->nt, t->text.data + t->off[c], r->cls[c].len) != 0)
        return ps_err_nomem(r->err), -1;
    return 0;
}

/* Check candidates [from, to) of a window whose texts are read: the pairs
 * of those of similarity min or more.  Returns 0, or -1 with err set. */
static int check_window(pair_run *r, const text_window *t, size_t from, size_t to)
{
    uint32_t have = NO_CLASS;        /* the class whose shingles r->a holds */
    for (size_t i = from; i < to; i++) {
        uint32_t x = (uint32_t)(r->cand[i] >> 32), y = (uint32_t)r->cand[i];
        if (x != have) {
            if (class_shingles(r, t, x, &r->a) != 0)
                return -1;
            have = x;
        }
        if (class_shingles(r, t, y, &r->b) != 0)
            return -1;
        double sim = shingle_jaccard(&r->a, &r->b);
        if (sim >= r->in->min && add_members(r, sim, x, y) != 0)
            return -1;
    }
    return 0;
}

/* The exact similarity of each candidate; the pairs of those of min or
 * more.  The candidates go in windows whose classes' texts take at most
 * TEXT_BUDGET bytes (or one candidate's), each window's texts read in
 * place order.  Returns 0, or -1 with err set. */
static int check_candidates(pair_run *r)
{
    text_window t = { NULL, NULL, NULL, 0, 0, BUF_INIT };
    int rc = 0;
    r->out->candidates = r->ncand;
    if (r->ncand > 0 && (!(t.stamp = calloc(r->ncls, sizeof *t.stamp)) || !(t.off = malloc(r->ncls * sizeof *t.off))))
        rc = (ps_err_nomem(r->err), -1);
    uint32_t w = 0;
    for (size_t i = 0; i < r->ncand && rc == 0;) {
        size_t j = i, bytes = 0;
        t.nneed = 0, w++;
        while (j < r->ncand && rc == 0) {
            uint32_t x = (uint32_t)(r->cand[j] >> 32), y = (uint32_t)r->cand[j];
            size_t more = (t.stamp[x] == w ? 0 : r->cls[x].len) + (t.stamp[y] == w ? 0 : r->cls[y].len);
            if (j > i && bytes + more > TEXT_BUDGET)
                break;
            rc = need_text(r, &t, w, x, &bytes) == 0 && need_text(r, &t, w, y, &bytes) == 0 ? 0 : -1;
            j++;
        }
        if (rc == 0)
            rc = read_texts(r, &t) == 0 && check_window(r, &t, i, j) == 0 ? 0 : -1;
        i = j;
    }
    for (size_t c = 0; rc == 0 && r->in->with_copies && c < r->ncls; c++)
        if (r->cls[c].n > 1 && add_members(r, 1.0, (uint32_t)c, (uint32_t)c) != 0)
            rc = -1;
    free(t.stamp), free(t.off), free(t.need);
    buf_free(&t.text);
    return rc;
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
    free(r.ent);
    free(r.gcls);
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
