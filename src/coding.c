/* coding.c — a codebook applied through the search engine (coding.h). */
#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "hash.h"
#include "region.h"
#include "utf8.h"

/* What the search callback needs. */
typedef struct coding_ctx {
    coding  *c;                      /* where paragraphs and marks go */
    size_t   code;                   /* the code of the rule being run */
    int      failed;                 /* out of memory */
} coding_ctx;

/* The hash of a paragraph's identity. */
static uint64_t para_hash(const char *file, unsigned paragraph)
{
    uint64_t h = hash_fnv64(HASH_FNV64_INIT, file, strlen(file) + 1);
    return hash_fnv64(h, &paragraph, sizeof paragraph);
}

/* Double the paragraph hash (or make its first).  Returns 0, or -1 out of memory. */
static int grow_slots(coding *c)
{
    size_t n = c->nslots ? c->nslots * 2 : 1024; /* house: a hash rehashed into a new table */
    size_t *s = calloc(n, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < c->nparas; i++) {
        size_t k = (size_t)para_hash(c->paras[i].file, c->paras[i].paragraph) & (n - 1);
        while (s[k])
            k = (k + 1) & (n - 1);
        s[k] = i + 1;
    }
    free(c->slots);
    c->slots = s;
    c->nslots = n;
    return 0;
}

/* A copy of s, or NULL for NULL; *bad set when out of memory. */
static char *dup_or_null(const char *s, int *bad)
{
    char *d = s ? strdup(s) : NULL;
    *bad |= s && !d;
    return d;
}

/* The region of a hit as 省/市/县 ("unknown" when not known), malloc'd. */
static char *region_text(const out_result *r)
{
    ps_region reg;
    region_src src = { .issuer = r->issuer, .title = r->title, .docno = r->docno };
    if (!region_of(&src, &reg))
        return strdup(CODING_UNKNOWN);
    buf b = BUF_INIT;
    const char *lv[] = { reg.province, reg.city, reg.county };
    int rc = 0;
    for (size_t i = 0; i < 3; i++)
        if (lv[i])
            rc |= (b.len && buf_putc(&b, '/') != 0) || buf_puts(&b, lv[i]) != 0;
    if (rc != 0 || !b.data) {
        buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* The paragraph of hit r, added when new.  Returns its index, or
 * (size_t)-1 out of memory. */
static size_t para_of(coding *c, const out_result *r)
{
    if ((c->nparas + 1) * 2 > c->nslots && grow_slots(c) != 0)
        return (size_t)-1;
    size_t k = (size_t)para_hash(r->file, r->paragraph) & (c->nslots - 1);
    for (; c->slots[k]; k = (k + 1) & (c->nslots - 1)) {
        coded_para *p = &c->paras[c->slots[k] - 1];
        if (p->paragraph == r->paragraph && !strcmp(p->file, r->file))
            return c->slots[k] - 1;
    }
    if (ARRAY_GROW(c->paras, c->capparas, c->nparas + 1) != 0)
        return (size_t)-1;
    int bad = 0;
    coded_para p = { .file = dup_or_null(r->file, &bad), .paragraph = r->paragraph, .page = r->page,
                     .date = dup_or_null(r->date, &bad), .issuer = dup_or_null(r->issuer, &bad),
                     .region = region_text(r) };
    if (r->date && strlen(r->date) >= 4 && (r->date[0] == '1' || r->date[0] == '2'))
        memcpy(p.year, r->date, 4);
    if (bad || !p.region) {
        free(p.file), free(p.date), free(p.issuer), free(p.region);
        return (size_t)-1;
    }
    c->paras[c->nparas] = p;
    c->slots[k] = c->nparas + 1;
    return c->nparas++;
}

/* Add the mark (para, code, word s[0..n)).  Returns 0, or -1 out of memory. */
static int add_mark(coding *c, size_t para, size_t code, const char *s, size_t n)
{
    if (ARRAY_GROW(c->marks, c->capmarks, c->nmarks + 1) != 0)
        return -1;
    char *w = strndup(s, n);
    if (!w)
        return -1;
    c->marks[c->nmarks++] = (coding_mark){ .para = para, .code = code, .word = w };
    return 0;
}

/* The search callback: the hit's paragraph and one mark per match.
 * Returns 0, or 1 (stop) out of memory. */
static int on_hit(void *ctx, const search_hit *hit)
{
    coding_ctx *x = ctx;
    const out_result *r = &hit->out;
    size_t para = para_of(x->c, r);
    if (para == (size_t)-1)
        return x->failed = 1;
    size_t nm = r->matches ? r->matches->n : 0;
    if (nm == 0 && add_mark(x->c, para, x->code, "", 0) != 0)
        return x->failed = 1;
    for (size_t i = 0; i < nm; i++) {
        const span *sp = &r->matches->v[i];
        size_t lo = utf8_offset(r->text, r->text_len, sp->start);
        size_t hi = utf8_offset(r->text, r->text_len, sp->start + sp->len);
        if (add_mark(x->c, para, x->code, r->text + lo, hi - lo) != 0)
            return x->failed = 1;
    }
    return 0;
}

/* qsort_r order of marks (ctx: the coding): file, paragraph, code, word. */
static int mark_cmp(const void *a, const void *b, void *ctx)
{
    const coding *c = ctx;
    const coding_mark *x = a, *y = b;
    const coded_para *p = &c->paras[x->para], *q = &c->paras[y->para];
    int d = strcmp(p->file, q->file);
    if (d)
        return d;
    if (p->paragraph != q->paragraph)
        return p->paragraph < q->paragraph ? -1 : 1;
    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    return strcmp(x->word, y->word);
}

/* Sort the marks and drop repeated ones (the same word twice, or a word
 * after the empty placeholder of a rule without spans). */
static void sort_marks(coding *c)
{
    qsort_r(c->marks, c->nmarks, sizeof *c->marks, mark_cmp, c);
    size_t out = 0;
    for (size_t i = 0; i < c->nmarks; i++) {
        coding_mark *m = &c->marks[i];
        if (out > 0 && c->marks[out - 1].para == m->para && c->marks[out - 1].code == m->code &&
            (!strcmp(c->marks[out - 1].word, m->word) || !m->word[0])) {
            free(m->word);
            continue;
        }
        if (out > 0 && c->marks[out - 1].para == m->para && c->marks[out - 1].code == m->code &&
            !c->marks[out - 1].word[0]) {
            free(c->marks[out - 1].word);
            c->marks[out - 1] = *m;
            continue;
        }
        c->marks[out++] = *m;
    }
    c->nmarks = out;
}

int coding_run(search_engine *e, const codebook *cb, const char *name, coding *c, ps_err *err)
{
    *c = (coding)CODING_INIT;
    for (size_t i = 0; i < cb->nrules; i++) {
        coding_ctx x = { .c = c, .code = cb->rules[i].code };
        search_request req = { .query = cb->rules[i].query, .mode = SEARCH_RANKED, .limit = SEARCH_ALL,
                               .no_collapse = 1, .no_boost = 1 };
        search_summary sum;
        ps_err serr = PS_ERR_INIT;
        if (search_run(e, &req, on_hit, &x, &sum, &serr) != 0) {
            if (serr.code == PS_USAGE)
                return ps_err_set(err, PS_USAGE, "%s:%u: %s", name, cb->rules[i].line, serr.msg), -1;
            *err = serr;
            return -1;
        }
        if (x.failed)
            return ps_err_nomem(err), -1;
    }
    sort_marks(c);
    for (size_t i = 0; i < c->nmarks; i++) {  /* documents numbered in file order */
        coded_para *p = &c->paras[c->marks[i].para];
        if (i == 0 || strcmp(c->paras[c->marks[i - 1].para].file, p->file) != 0)
            c->ndocs++;
        p->doc = c->ndocs - 1;
    }
    return 0;
}

/* One (value, code, paragraph) of a tally before counting. */
typedef struct tally_item {
    const char *value;               /* the value the paragraph has */
    size_t      code;                /* a code it carries, or an ancestor of one */
    size_t      para;                /* the paragraph */
    size_t      doc;                 /* its document */
} tally_item;

/* qsort order of tally items: value, code, document, paragraph. */
static int item_cmp(const void *a, const void *b)
{
    const tally_item *x = a, *y = b;
    int d = strcmp(x->value, y->value);
    if (d)
        return d;
    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    return x->para < y->para ? -1 : x->para > y->para;
}

/* The value of paragraph p for by. */
static const char *value_of(const coded_para *p, enum coding_by by)
{
    switch (by) {
    case CODING_BY_FILE: return p->file;
    case CODING_BY_ISSUER: return p->issuer && *p->issuer ? p->issuer : CODING_UNKNOWN;
    case CODING_BY_REGION: return p->region;
    case CODING_BY_YEAR: break;
    }
    return p->year[0] ? p->year : CODING_UNKNOWN;
}

int coding_tally(const coding *c, const codebook *cb, enum coding_by by, coding_cell **cells, size_t *n,
                 ps_err *err)
{
    *cells = NULL;
    *n = 0;
    size_t cap = 0, ni = 0;
    tally_item *items = NULL;
    for (size_t i = 0; i < c->nmarks; i++) {
        const coding_mark *m = &c->marks[i];
        if (i > 0 && c->marks[i - 1].para == m->para && c->marks[i - 1].code == m->code)
            continue;
        const coded_para *p = &c->paras[m->para];
        const char *v = value_of(p, by);
        for (size_t k = m->code; k != CODEBOOK_NONE; k = cb->codes[k].parent) {
            if (ARRAY_GROW(items, cap, ni + 1) != 0) {
                free(items);
                return ps_err_nomem(err), -1;
            }
            items[ni++] = (tally_item){ .value = v, .code = k, .para = m->para, .doc = p->doc };
        }
    }
    if (ni)
        qsort(items, ni, sizeof *items, item_cmp);
    coding_cell *out = ni ? malloc(ni * sizeof *out) : NULL;
    if (ni && !out) {
        free(items);
        return ps_err_nomem(err), -1;
    }
    size_t nc = 0;
    for (size_t i = 0; i < ni; i++) {
        const tally_item *t = &items[i], *prev = i ? &items[i - 1] : NULL;
        int same_cell = prev && prev->code == t->code && !strcmp(prev->value, t->value);
        if (!same_cell) {
            out[nc++] = (coding_cell){ .value = t->value, .code = t->code };
        } else if (prev->para == t->para) {
            continue;                /* a paragraph under a parent through two children */
        }
        out[nc - 1].paragraphs++;
        out[nc - 1].documents += !same_cell || prev->doc != t->doc;
    }
    free(items);
    *cells = out;
    *n = nc;
    return 0;
}

void coding_free(coding *c)
{
    for (size_t i = 0; i < c->nparas; i++) {
        free(c->paras[i].file);
        free(c->paras[i].date);
        free(c->paras[i].issuer);
        free(c->paras[i].region);
    }
    for (size_t i = 0; i < c->nmarks; i++)
        free(c->marks[i].word);
    free(c->paras);
    free(c->marks);
    free(c->slots);
    *c = (coding)CODING_INIT;
}
