/* policy.c — the policy lexicon in the index and in queries; see policy.h. */
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "paragraph.h"
#include "utf8.h"

int policy_default_path(char *out, size_t outlen)
{
    if (!out || outlen == 0)          /* (gcc -O1 with UBSan else warns of a NULL out) */
        return -1;
    const char *env = getenv("POLSEARCH_LEXICON");
    if (env && *env) {
        snprintf(out, outlen, "%s", env);
        return access(out, R_OK) == 0 ? 0 : -1;
    }
    /* A program run from its build tree finds the data beside it. */
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(out, outlen, "%s/../data/policy-terms.tsv", exe);
            if (access(out, R_OK) == 0)
                return 0;
        }
    }
    snprintf(out, outlen, "%s/policy-terms.tsv", POLSEARCH_DATADIR);
    return access(out, R_OK) == 0 ? 0 : -1;
}

lexicon *policy_load(const char *user_file, ps_err *err)
{
    char path[4200];
    lexicon *lx = lex_new();
    if (!lx) {
        ps_err_nomem(err);
        return NULL;
    }
    if (policy_default_path(path, sizeof path) != 0) {
        ps_err_set(err, PS_IO, "%s: the policy lexicon is missing (set POLSEARCH_LEXICON or reinstall)", path);
        lex_free(lx);
        return NULL;
    }
    lex_load_file(lx, path, err);
    if (user_file)
        lex_load_file(lx, user_file, err);
    if (lex_build(lx, err) != PS_OK) {
        lex_free(lx);
        return NULL;
    }
    return lx;
}

/* One occurrence of a lexicon term (in any of its forms) in a paragraph. */
typedef struct kterm_occ {
    size_t term_id;                  /* the canonical term */
    size_t start;                    /* first code point of the occurrence */
    size_t end;                      /* one past its last code point */
} kterm_occ;

/* The state of one paragraph's scan. */
typedef struct kterm_ctx {
    kterm_occ *occ;                  /* the occurrences met so far, in lex_scan's order */
    size_t     n;                    /* occurrences in use */
    size_t     cap;                  /* occurrences allocated */
    size_t     maxlen;               /* the longest occurrence, in code points */
} kterm_ctx;

/* lex_scan callback: remember one occurrence.  Returns 0, or -1 when out
 * of memory (which stops the scan). */
static int collect_kterm(void *ctx, size_t term_id, size_t alias, size_t start, size_t len)
{
    kterm_ctx *k = ctx;
    (void)alias;
    if (ARRAY_GROW(k->occ, k->cap, k->n + 1) != 0)
        return -1;
    k->occ[k->n++] = (kterm_occ){ term_id, start, start + len };
    if (len > k->maxlen)
        k->maxlen = len;
    return 0;
}

/* 1 if occurrence i lies inside another occurrence of the same term (小巨人
 * inside 专精特新小巨人企业, both forms of one term), so that one mention
 * counts once however many of the term's forms overlap there.  lex_scan
 * reports by end position, longest first at one end, so a container is
 * either an earlier occurrence with the same end or a later one ending at
 * most maxlen code points after i's start. */
static int kterm_nested(const kterm_ctx *k, size_t i)
{
    const kterm_occ *a = &k->occ[i];
    for (size_t j = i; j-- > 0 && k->occ[j].end == a->end;)
        if (k->occ[j].term_id == a->term_id && k->occ[j].start <= a->start)
            return 1;
    for (size_t j = i + 1; j < k->n && k->occ[j].end - a->start <= k->maxlen; j++)
        if (k->occ[j].term_id == a->term_id && k->occ[j].start <= a->start &&
            (k->occ[j].start < a->start || k->occ[j].end > a->end))
            return 1;
    return 0;
}

int policy_index_terms(const lexicon *lx, const norm_text *nt, xs_doc *doc, ps_err *err)
{
    kterm_ctx k = { NULL, 0, 0, 0 };
    char term[256];
    int rc = lex_scan(lx, nt->cp, nt->len, collect_kterm, &k);
    if (rc != 0) {
        if (rc == LEX_UNBUILT)
            ps_err_set(err, PS_XAPIAN, "the policy lexicon is not built");
        else
            ps_err_nomem(err);
        rc = -1;
    }
    for (size_t i = 0; i < k.n && rc == 0; i++) {
        if (kterm_nested(&k, i))
            continue;
        int n = snprintf(term, sizeof term, POLICY_PREFIX "%s", lex_key(lx, k.occ[i].term_id));
        if (n <= 0 || (size_t)n >= sizeof term)
            continue;               /* a key too long for a term is left out */
        if (xs_doc_add_term(doc, term, (size_t)n, 1, err) != PS_OK)
            rc = -1;
    }
    free(k.occ);
    return rc;
}

void policy_norm_form(const char *s, char *out, size_t outlen)
{
    norm_text nt = NORM_TEXT_INIT;
    buf b = BUF_INIT;
    out[0] = '\0';
    if (norm_text_build(&nt, s, strlen(s)) == 0) {
        int ok = 0;
        for (size_t i = 0; i < nt.len; i++)
            ok |= buf_put_utf8(&b, nt.cp[i]);
        if (ok == 0 && b.len < outlen && b.data)
            memcpy(out, b.data, b.len + 1);
    }
    buf_free(&b);
    norm_text_free(&nt);
}

int policy_write_synonyms(const lexicon *lx, xs_wdb *w, ps_err *err)
{
    char key[512], alias[512];
    for (size_t id = 0; id < lex_count(lx); id++) {
        snprintf(key, sizeof key, "%s", lex_key(lx, id));
        if (xs_wdb_clear_synonyms(w, key, err) != PS_OK)
            return -1;
        for (size_t i = 0; i < lex_alias_count(lx, id); i++) {
            policy_norm_form(lex_alias(lx, id, i), alias, sizeof alias);
            if (!alias[0] || !strcmp(alias, key))
                continue;
            if (xs_wdb_add_synonym(w, key, alias, err) != PS_OK ||
                xs_wdb_clear_synonyms(w, alias, err) != PS_OK ||
                xs_wdb_add_synonym(w, alias, key, err) != PS_OK)
                return -1;
        }
    }
    return 0;
}

int policy_is_heading(const char *text, size_t len)
{
    size_t chars = utf8_count(text, len);
    if (chars == 0 || chars > POLICY_HEADING_MAX_CHARS)
        return 0;
    int level;
    if (para_marker(text, len, &level) > 0)
        return 1;
    /* Short and without sentence punctuation: a heading, not a sentence. */
    return !memmem(text, len, "。", 3) && !memmem(text, len, "，", 3) && !memchr(text, ',', len);
}

int policy_forms_encode(const lexicon *lx, buf *out)
{
    char form[512];
    for (size_t id = 0; id < lex_count(lx); id++) {
        const char *key = lex_key(lx, id);
        if (buf_printf(out, "%s\t%s\t%g\n", key, key, lex_weight(lx, id)) != 0)
            return -1;
        for (size_t i = 0; i < lex_alias_count(lx, id); i++) {
            policy_norm_form(lex_alias(lx, id, i), form, sizeof form);
            if (form[0] && buf_printf(out, "%s\t%s\t%g\n", form, key, lex_weight(lx, id)) != 0)
                return -1;
        }
    }
    return 0;
}

/* Append one form to f (form and key point into f->text). */
static int forms_push(policy_forms *f, char *form, char *key, double weight)
{
    if (ARRAY_GROW(f->v, f->cap, f->n + 1) != 0)
        return -1;
    f->v[f->n++] = (policy_form){ .form = form, .key = key, .weight = weight };
    return 0;
}

#define WEIGHT_CACHE 8               /* distinct weight texts remembered while decoding */

/* A lexicon has a handful of distinct weights (1.2, 1.5, ...): each text
 * is given to strtod once, and the value reused for the lines that repeat
 * it, so the value is strtod's either way. */
typedef struct weight_cache {
    const char *text[WEIGHT_CACHE];  /* a weight as written (NUL-terminated, in the forms' text) */
    double      value[WEIGHT_CACHE]; /* strtod of it */
    size_t      n;                   /* entries in use */
} weight_cache;

/* strtod(t), from the cache when t was seen. */
static double weight_of(weight_cache *c, const char *t)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->text[i], t))
            return c->value[i];
    double v = strtod(t, NULL);
    if (c->n < WEIGHT_CACHE) {
        c->text[c->n] = t;
        c->value[c->n++] = v;
    }
    return v;
}

int policy_forms_decode(const char *s, size_t n, policy_forms *out)
{
    if (out->text)
        return -1;
    /* One copy of the lines, cut into strings in place: a search decodes
     * every form at start-up, and a malloc per string cost more than the
     * rest of the decoding (bench/README.md, "Start-up"). */
    if (!(out->text = malloc(n + 1)))
        return -1;
    memcpy(out->text, s, n);
    out->text[n] = '\0';
    weight_cache wc = { .n = 0 };
    char *p = out->text, *end = out->text + n;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *line_end = nl ? nl : end;
        char *t1 = memchr(p, '\t', (size_t)(line_end - p));
        char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(line_end - t1 - 1)) : NULL;
        *line_end = '\0';
        if (t1 && t2) {
            *t1 = *t2 = '\0';
            if (forms_push(out, p, t1 + 1, weight_of(&wc, t2 + 1)) != 0)
                return -1;
        }
        p = line_end + 1;
    }
    return 0;
}

int policy_forms_of(const lexicon *lx, policy_forms *out)
{
    buf b = BUF_INIT;
    int rc = policy_forms_encode(lx, &b) == 0 ? policy_forms_decode(b.data ? b.data : "", b.len, out) : -1;
    buf_free(&b);
    return rc;
}

void policy_forms_free(policy_forms *f)
{
    free(f->v);
    free(f->text);
    f->v = NULL;
    f->text = NULL;
    f->n = f->cap = 0;
}
