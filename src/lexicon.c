/* lexicon.c — the policy-term lexicon and its Aho-Corasick matcher; see lexicon.h.
 *
 * Terms live in an array of entries; every key (canonical or alias, in
 * normalised UTF-8) is also in one open-addressing hash table, which is what
 * makes "an alias must not belong to two terms" and lex_find cheap.
 *
 * The automaton is a trie over the normalised code points of all keys, with
 * the usual failure links and "dictionary" links (the nearest proper suffix
 * state that ends a key).  Edges are kept in one array, sorted by code point
 * within each state, and found by binary search: a thousand keys make a few
 * thousand states, so the whole automaton is tens of kilobytes, where a
 * table indexed by code point would need megabytes per state.  The trie is
 * built from the keys in sorted order, which yields each state's children
 * already sorted and needs no search while inserting. */
#include "lexicon.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "normalize.h"
#include "utf8.h"

#define NONE UINT32_MAX              /* "no state / no pattern / no alias" in 32-bit fields */
#define LEX_LIMIT (UINT32_MAX - 2)   /* most entries of any kind (keeps NONE free) */

typedef struct lex_entry {
    char   *term;                    /* canonical term as first written */
    char   *key;                     /* normalised UTF-8 of term */
    double  weight;                  /* in (0, LEX_MAX_WEIGHT] */
    char  **alias;                   /* aliases as written */
    char  **akey;                    /* akey[i]: normalised UTF-8 of alias[i] */
    size_t  nalias;                  /* aliases in use */
    size_t  calias;                  /* room in alias and akey */
    char  **except;                  /* normalised EXCEPT contexts */
    size_t  nexcept;                 /* contexts in use */
    size_t  cexcept;                 /* room in except */
} lex_entry;

typedef struct lex_slot {
    uint32_t hash;                   /* hash of the key (saves most string compares) */
    uint32_t term;                   /* entry index, NONE for an empty slot */
    uint32_t alias;                  /* alias index, NONE for the canonical key */
} lex_slot;

typedef struct lex_pat {
    uint32_t term;                   /* entry index */
    uint32_t alias;                  /* alias index, NONE for the canonical key */
    uint32_t len;                    /* length in code points (> 0) */
    uint32_t ex0;                    /* first exclusion in lexicon.excl */
    uint32_t nex;                    /* number of exclusions */
    uint32_t wordy;                  /* bit 0: first code point is a word character; bit 1: last is */
} lex_pat;

typedef struct lex_excl {
    uint32_t pat;                    /* pattern it guards (sort key) */
    uint32_t off;                    /* where the pattern sits inside the context */
    uint32_t cp0;                    /* context's first code point in lexicon.excp */
    uint32_t len;                    /* context length in code points */
} lex_excl;

struct lexicon {
    lex_entry *e;                    /* the terms, indexed by id */
    size_t     n;                    /* terms in use */
    size_t     cap;                  /* room in e */
    lex_slot  *slot;                 /* key hash table (power-of-two size, <= half full) */
    size_t     nslot;                /* size of slot, 0 before the first key */
    size_t     nused;                /* occupied slots */
    int        built;                /* automaton matches the current terms */
    uint32_t   nstate;               /* automaton states; state 0 is the root */
    uint32_t  *edge0;                /* edges of state s are [edge0[s], edge0[s+1]) */
    uint32_t  *elabel;               /* code point of each edge, sorted within a state */
    uint32_t  *eto;                  /* target state of each edge */
    uint32_t  *fail;                 /* longest proper suffix state */
    uint32_t  *out;                  /* pattern ending at the state, or NONE */
    uint32_t  *dict;                 /* nearest proper suffix state with out, or NONE */
    lex_pat   *pat;                  /* patterns (every key) */
    uint32_t   npat;                 /* patterns in pat */
    lex_excl  *excl;                 /* EXCEPT contexts, grouped by pattern */
    uint32_t   nexcl;                /* entries in excl */
    uint32_t  *excp;                 /* code points of all contexts */
};

/* ---- small helpers --------------------------------------------------- */

/* strdup that reports failure instead of relying on POSIX. */
static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Characters that normalisation deletes outright (zero-width ones). */
static int is_zero_width(uint32_t c)
{
    return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF || c == 0xAD;
}

/* Letters and digits that make up Latin-style words: an occurrence must not
 * cut through a run of them.  Approximates utf8.h's UC_WORD. */
static int is_word(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (c >= 0xC0 && c <= 0x24F)
        return c != 0xD7 && c != 0xF7;
    if (c == 0x37E || c == 0x387 || c == 0x482)             /* Greek and Cyrillic punctuation */
        return 0;
    return (c >= 0x370 && c <= 0x3FF) || (c >= 0x400 && c <= 0x4FF);
}

/* Normalise s[0..n) into out (cleared first) as a key: per-character rules
 * (norm_char), zero-width characters dropped, white space runs folded to one
 * space and trimmed.  PS_OK, PS_INPUT (not UTF-8) or PS_NOMEM; sets no
 * message (the caller knows what s was). */
static int norm_key(const char *s, size_t n, buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    int pending_space = 0;
    buf_clear(out);
    if (buf_reserve(out, n))
        return PS_NOMEM;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        int k = utf8_decode(p + i, n - i, &c);
        if (k < 0)
            return PS_INPUT;
        i += (size_t)k;
        if (is_zero_width(c))
            continue;
        c = norm_char(c);
        if (uclass_of(c) == UC_SPACE) {
            pending_space = out->len > 0;
            continue;
        }
        if (pending_space && buf_putc(out, ' '))
            return PS_NOMEM;
        pending_space = 0;
        if (buf_put_utf8(out, c))
            return PS_NOMEM;
    }
    return PS_OK;
}

/* Decode valid UTF-8 key into cp (room for strlen(key) code points);
 * returns the number of code points. */
static uint32_t key_cps(const char *key, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)key;
    size_t n = strlen(key);
    uint32_t k = 0;
    for (size_t i = 0; i < n;) {
        i += utf8_step(p + i, n - i, &cp[k]);  /* keys are valid; be safe anyway */
        k++;
    }
    return k;
}

/* 32-bit FNV-1a over n bytes, continuing from h. */
static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 16777619u;
    }
    return h;
}

/* A finaliser (from murmur3) so that sums of hashes stay well spread. */
static uint32_t mix(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

/* ---- key hash table -------------------------------------------------- */

/* The key stored in an occupied slot. */
static const char *slot_key(const lexicon *lx, const lex_slot *s)
{
    const lex_entry *e = &lx->e[s->term];
    return s->alias == NONE ? e->key : e->akey[s->alias];
}

/* The slot holding key, or NULL. */
static const lex_slot *key_find(const lexicon *lx, const char *key)
{
    if (lx->nslot == 0)
        return NULL;
    uint32_t h = fnv(2166136261u, key, strlen(key));
    size_t mask = lx->nslot - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const lex_slot *s = &lx->slot[i];
        if (s->term == NONE)
            return NULL;
        if (s->hash == h && strcmp(slot_key(lx, s), key) == 0)
            return s;
    }
}

/* Insert a key known to be absent into slot table t of size ns. */
static void slot_put(lex_slot *t, size_t ns, uint32_t h, uint32_t term, uint32_t alias)
{
    size_t mask = ns - 1;
    size_t i = h & mask;
    while (t[i].term != NONE)
        i = (i + 1) & mask;
    t[i].hash = h;
    t[i].term = term;
    t[i].alias = alias;
}

/* Make room for `extra` more keys without ever passing half full (so probes
 * stay short).  0, or -1 when out of memory (the table is then unchanged). */
static int slots_reserve(lexicon *lx, size_t extra)
{
    size_t need = (lx->nused + extra) * 2;
    if (need <= lx->nslot)
        return 0;
    size_t ns = lx->nslot ? lx->nslot : 64;
    while (ns < need)
        ns *= 2;
    lex_slot *t = malloc(ns * sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < ns; i++)
        t[i].term = NONE;
    for (size_t i = 0; i < lx->nslot; i++)
        if (lx->slot[i].term != NONE)
            slot_put(t, ns, lx->slot[i].hash, lx->slot[i].term, lx->slot[i].alias);
    free(lx->slot);
    lx->slot = t;
    lx->nslot = ns;
    return 0;
}

/* ---- automaton storage ---------------------------------------------- */

/* Drop the automaton (the terms stay). */
static void automaton_free(lexicon *lx)
{
    free(lx->edge0);
    free(lx->elabel);
    free(lx->eto);
    free(lx->fail);
    free(lx->out);
    free(lx->dict);
    free(lx->pat);
    free(lx->excl);
    free(lx->excp);
    lx->edge0 = lx->elabel = lx->eto = lx->fail = lx->out = lx->dict = lx->excp = NULL;
    lx->pat = NULL;
    lx->excl = NULL;
    lx->nstate = lx->npat = lx->nexcl = 0;
    lx->built = 0;
}

/* An empty lexicon counts as built: it has nothing to match. */
lexicon *lex_new(void)
{
    lexicon *lx = calloc(1, sizeof *lx);
    if (lx)
        lx->built = 1;     /* nothing to match: an empty lexicon scans nothing */
    return lx;
}

/* Free entries, table and automaton; NULL is a no-op. */
void lex_free(lexicon *lx)
{
    if (!lx)
        return;
    for (size_t i = 0; i < lx->n; i++) {
        lex_entry *e = &lx->e[i];
        free(e->term);
        free(e->key);
        for (size_t j = 0; j < e->nalias; j++) {
            free(e->alias[j]);
            free(e->akey[j]);
        }
        free(e->alias);
        free(e->akey);
        for (size_t j = 0; j < e->nexcept; j++)
            free(e->except[j]);
        free(e->except);
    }
    free(lx->e);
    free(lx->slot);
    automaton_free(lx);
    free(lx);
}

/* ---- adding terms ---------------------------------------------------- */

/* Trim ASCII blanks at both ends of s in place; returns the new start. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* One alias or context about to be added: owned copies until committed. */
typedef struct lex_new_item {
    char *text;                      /* as written, trimmed */
    char *key;                       /* normalised */
} lex_new_item;

/* Free the copies of items that were not committed. */
static void items_free(lex_new_item *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].text);
        free(v[i].key);
    }
    free(v);
}

/* Does term entry (or its incoming aliases) occur inside context key? */
static int context_covers(const char *ckey, const char *tkey, const lex_entry *e,
                          const lex_new_item *na, size_t nna)
{
    if (strstr(ckey, tkey))
        return 1;
    for (size_t i = 0; e && i < e->nalias; i++)
        if (strstr(ckey, e->akey[i]))
            return 1;
    for (size_t i = 0; i < nna; i++)
        if (strstr(ckey, na[i].key))
            return 1;
    return 0;
}

/* What add_full gathers before it changes anything: owned copies until
 * they are committed to the lexicon. */
typedef struct lex_addition {
    char            *term;           /* the term as written, trimmed */
    char            *key;            /* its normalised key */
    size_t           id;             /* its entry: an existing one, or lx->n for a new term */
    const lex_entry *old;            /* the existing entry, or NULL (invalid once lx->e grows) */
    lex_new_item    *items;          /* new aliases, then new contexts */
    size_t           nal;            /* new aliases in items */
    size_t           nctx;           /* new contexts in items, after the aliases */
} lex_addition;

/* Copy src, trimmed, to *text (malloc'd) and put its normalised key in k.
 * Returns PS_OK, PS_INPUT ("invalid UTF-8 in WHAT") or PS_NOMEM; *text is
 * NULL unless PS_OK. */
static int take_text(const char *src, const char *what, char **text, buf *k, ps_err *err)
{
    if (!(*text = xstrdup(src)))
        return ps_err_nomem(err);
    char *t = trim(*text);
    memmove(*text, t, strlen(t) + 1);
    int rc = norm_key(*text, strlen(*text), k);
    if (rc == PS_OK)
        return PS_OK;
    free(*text);
    *text = NULL;
    if (rc == PS_INPUT)
        return ps_err_set(err, PS_INPUT, "invalid UTF-8 in %s", what);
    return ps_err_nomem(err);
}

/* Fill a->term, a->key, a->id and a->old for `term`, which must not be
 * another term's alias.  PS_OK, PS_INPUT or PS_NOMEM. */
static int find_term(const lexicon *lx, const char *term, lex_addition *a, buf *k, ps_err *err)
{
    int rc = take_text(term, "term", &a->term, k, err);
    if (rc != PS_OK)
        return rc;
    if (k->len == 0)
        return ps_err_set(err, PS_INPUT, "empty term");
    if (!(a->key = buf_detach(k)))
        return ps_err_nomem(err);
    a->id = lx->n;                                   /* a new term unless found */
    const lex_slot *ts = key_find(lx, a->key);
    if (ts && ts->alias != NONE)
        return ps_err_set(err, PS_INPUT, "term '%s' is already an alias of '%s'",
                          a->term, lx->e[ts->term].term);
    if (ts)
        a->id = ts->term;
    a->old = a->id < lx->n ? &lx->e[a->id] : NULL;
    if (a->id >= LEX_LIMIT)
        return ps_err_nomem(err);
    return PS_OK;
}

/* Add to a->items the aliases that are new: not blank, not the term, not
 * given twice, not already the term's.  An alias that belongs to another
 * term is an error.  PS_OK, PS_INPUT or PS_NOMEM. */
static int gather_aliases(const lexicon *lx, const char *const *aliases, size_t na,
                          lex_addition *a, buf *k, ps_err *err)
{
    for (size_t i = 0; i < na; i++) {
        char *text;
        int rc = take_text(aliases[i], "alias", &text, k, err);
        if (rc != PS_OK)
            return rc;
        int skip = k->len == 0 || strcmp(k->data, a->key) == 0;
        for (size_t j = 0; !skip && j < a->nal; j++)
            skip = strcmp(a->items[j].key, k->data) == 0;
        const lex_slot *s = skip ? NULL : key_find(lx, k->data);
        if (s && s->term != a->id) {
            rc = ps_err_set(err, PS_INPUT, s->alias == NONE ? "alias '%s' is already the term '%s'"
                                                            : "alias '%s' is already an alias of '%s'",
                            text, lx->e[s->term].term);
            free(text);
            return rc;
        }
        if (skip || s) {                             /* blank, the term itself, or known */
            free(text);
            continue;
        }
        a->items[a->nal].text = text;
        if (!(a->items[a->nal++].key = buf_detach(k)))
            return ps_err_nomem(err);
    }
    return PS_OK;
}

/* Add to a->items, after the aliases, the contexts that are new; each must
 * contain the term or one of its old or new aliases.  PS_OK, PS_INPUT or
 * PS_NOMEM. */
static int gather_contexts(const char *const *contexts, size_t nc, lex_addition *a, buf *k,
                           ps_err *err)
{
    const lex_entry *old = a->old;
    for (size_t i = 0; i < nc; i++) {
        lex_new_item *it = &a->items[a->nal + a->nctx];
        char *text;
        int rc = take_text(contexts[i], "context", &text, k, err);
        if (rc != PS_OK)
            return rc;
        int skip = k->len == 0;
        for (size_t j = 0; !skip && old && j < old->nexcept; j++)
            skip = strcmp(old->except[j], k->data) == 0;
        for (size_t j = 0; !skip && j < a->nctx; j++)
            skip = strcmp(a->items[a->nal + j].key, k->data) == 0;
        if (skip) {
            free(text);
            continue;
        }
        if (!context_covers(k->data, a->key, old, a->items, a->nal)) {
            rc = ps_err_set(err, PS_INPUT, "context '%s' contains neither '%s' nor one of its aliases",
                            text, old ? old->term : a->term);
            free(text);
            return rc;
        }
        it->text = text;
        a->nctx++;
        if (!(it->key = buf_detach(k)))
            return ps_err_nomem(err);
    }
    return PS_OK;
}

/* Grow the table, the entries and the entry's arrays for what a adds, so
 * that committing cannot fail.  PS_OK or PS_NOMEM (a new entry's arrays are
 * then freed again). */
static int reserve_entry(lexicon *lx, const lex_addition *a, ps_err *err)
{
    if (slots_reserve(lx, 1 + a->nal) != 0 || buf_grow_array((void **)&lx->e, &lx->cap, lx->n + 1, sizeof *lx->e))
        return ps_err_nomem(err);
    int fresh = a->id == lx->n;
    lex_entry *e = &lx->e[a->id];
    if (fresh)
        memset(e, 0, sizeof *e);
    size_t ca = e->calias, want = e->nalias + a->nal;
    int bad = want >= LEX_LIMIT || buf_grow_array((void **)&e->alias, &ca, want, sizeof *e->alias);
    ca = e->calias;
    bad = bad || buf_grow_array((void **)&e->akey, &ca, want, sizeof *e->akey);
    if (!bad)
        e->calias = ca;
    bad = bad || buf_grow_array((void **)&e->except, &e->cexcept, e->nexcept + a->nctx, sizeof *e->except);
    if (!bad)
        return PS_OK;
    if (fresh) {                     /* arrays grown for a term that never arrived */
        free(e->alias);
        free(e->akey);
        free(e->except);
        memset(e, 0, sizeof *e);
    }
    return ps_err_nomem(err);
}

/* Move what a holds into the lexicon (room reserved: cannot fail). */
static void commit(lexicon *lx, lex_addition *a, double weight)
{
    lex_entry *e = &lx->e[a->id];
    if (a->id == lx->n) {
        e->term = a->term;
        e->key = a->key;
        a->term = a->key = NULL;
        slot_put(lx->slot, lx->nslot, fnv(2166136261u, e->key, strlen(e->key)), (uint32_t)a->id, NONE);
        lx->nused++;
        lx->n++;
    }
    e->weight = weight;
    for (size_t i = 0; i < a->nal; i++) {
        lex_new_item *it = &a->items[i];
        e->alias[e->nalias] = it->text;
        e->akey[e->nalias] = it->key;
        slot_put(lx->slot, lx->nslot, fnv(2166136261u, it->key, strlen(it->key)),
                 (uint32_t)a->id, (uint32_t)e->nalias);
        lx->nused++;
        e->nalias++;
        it->text = it->key = NULL;
    }
    for (size_t i = 0; i < a->nctx; i++) {
        e->except[e->nexcept++] = a->items[a->nal + i].key;
        a->items[a->nal + i].key = NULL;
    }
    lx->built = 0;
}

/* Add or redefine `term` with weight, aliases and EXCEPT contexts, all or
 * nothing.  Returns PS_OK, or PS_INPUT / PS_NOMEM with the reason (without
 * file and line) in err. */
static int add_full(lexicon *lx, const char *term, double weight,
                    const char *const *aliases, size_t na,
                    const char *const *contexts, size_t nc, ps_err *err)
{
    if (!(weight > 0.0 && weight <= LEX_MAX_WEIGHT))      /* also rejects NaN */
        return ps_err_set(err, PS_INPUT, "bad weight (expected a number in (0, 10])");
    lex_addition a = { NULL, NULL, 0, NULL, NULL, 0, 0 };
    buf k = BUF_INIT;
    int rc = find_term(lx, term, &a, &k, err);
    if (rc == PS_OK && na + nc > 0 && !(a.items = calloc(na + nc, sizeof *a.items)))
        rc = ps_err_nomem(err);
    if (rc == PS_OK)
        rc = gather_aliases(lx, aliases, na, &a, &k, err);
    if (rc == PS_OK)
        rc = gather_contexts(contexts, nc, &a, &k, err);
    if (rc == PS_OK)
        rc = reserve_entry(lx, &a, err);
    if (rc == PS_OK)
        commit(lx, &a, weight);
    items_free(a.items, a.nal + a.nctx);
    free(a.term);
    free(a.key);
    buf_free(&k);
    return rc;
}

/* The public form of add_full: no contexts. */
int lex_add(lexicon *lx, const char *term, double weight,
            const char *const *aliases, size_t n, ps_err *err)
{
    if (err && err->code != PS_OK)
        return err->code;
    return add_full(lx, term, weight, aliases, n, NULL, 0, err);
}

/* Contexts for an existing canonical term; its weight is kept. */
int lex_add_except(lexicon *lx, const char *term,
                   const char *const *contexts, size_t n, ps_err *err)
{
    if (err && err->code != PS_OK)
        return err->code;
    size_t alias;
    long id = lex_find(lx, term, strlen(term), &alias);
    if (id < 0 || alias != LEX_NO_ALIAS)
        return ps_err_set(err, PS_INPUT, "'%s' is not a term of the lexicon", term);
    return add_full(lx, term, lx->e[id].weight, NULL, 0, contexts, n, err);
}

/* ---- the file format ------------------------------------------------- */

/* Parse a plain decimal (digits, optional '.' and digits) into *w.  Own
 * parser because strtod follows the locale and accepts hex, inf and nan. */
static int parse_weight(const char *s, double *w)
{
    uint64_t mant = 0;
    int digits = 0, frac = 0, dot = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.' && !dot) {
            dot = 1;
            continue;
        }
        if (*p < '0' || *p > '9')
            return -1;
        if (mant == 0 && *p == '0' && !dot)
            continue;                                /* leading zeros carry no precision */
        if (++digits > 15)
            return -1;
        mant = mant * 10 + (uint64_t)(*p - '0');
        frac += dot;
    }
    if (*s == '\0' || (s[0] == '.' && s[1] == '\0'))
        return -1;
    double v = (double)mant;
    for (int i = 0; i < frac; i++)
        v /= 10.0;
    if (!(v > 0.0 && v <= LEX_MAX_WEIGHT))
        return -1;
    *w = v;
    return 0;
}

/* Split s in place at ',' and '，' into at most `max` items; returns how
 * many (or max + 1 if there were more). */
static size_t split_list(char *s, const char **v, size_t max)
{
    size_t n = 0;
    char *start = s;
    for (char *p = s;; p++) {
        int comma = *p == ',';
        int wide = (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC
                   && (unsigned char)p[2] == 0x8C;       /* U+FF0C FULLWIDTH COMMA */
        if (*p && !comma && !wide)
            continue;
        int end = *p == '\0';
        *p = '\0';
        if (n == max)
            return max + 1;
        v[n++] = start;
        if (end)
            return n;
        if (wide)
            p += 2;
        start = p + 1;
    }
}

/* Count separators to size the list before splitting. */
static size_t list_len(const char *s)
{
    size_t n = 1;
    for (; *s; s++)
        n += *s == ',' || ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC
                           && (unsigned char)s[2] == 0x8C);
    return n;
}

/* Handle one line (already without its newline).  Returns PS_OK, or
 * PS_INPUT / PS_NOMEM with the reason (without file and line) in why. */
static int load_line(lexicon *lx, char *line, size_t len, ps_err *why)
{
    char *f[5];
    size_t nf = 0;

    if (memchr(line, '\0', len))
        return ps_err_set(why, PS_INPUT, "NUL byte in line");
    if (utf8_validate(line, len) != len)
        return ps_err_set(why, PS_INPUT, "invalid UTF-8");
    char *s = line;
    for (;;) {
        char *tab = strchr(s, '\t');
        if (nf == 4)
            return ps_err_set(why, PS_INPUT, "too many fields (expected TERM, WEIGHT, ALIASES, EXCEPT)");
        if (tab)
            *tab = '\0';
        f[nf++] = s;
        if (!tab)
            break;
        s = tab + 1;
    }
    char *term = trim(f[0]);
    if (*term == '\0')
        return ps_err_set(why, PS_INPUT, "empty term");
    char *wtext = nf > 1 ? trim(f[1]) : NULL;
    if (!wtext || *wtext == '\0')
        return ps_err_set(why, PS_INPUT, "missing weight");
    double w;
    if (parse_weight(wtext, &w))
        return ps_err_set(why, PS_INPUT, "bad weight '%s' (expected a number in (0, 10])", wtext);
    char *alist = nf > 2 ? f[2] : NULL;
    char *clist = nf > 3 ? f[3] : NULL;
    size_t na = alist ? list_len(alist) : 0, nc = clist ? list_len(clist) : 0;
    const char **v = malloc((na + nc + 1) * sizeof *v);
    if (!v)
        return ps_err_nomem(why);
    if (alist)
        na = split_list(alist, v, na);
    if (clist)
        nc = split_list(clist, v + na, nc);
    int rc = add_full(lx, term, w, v, na, v + na, nc, why);
    free(v);
    return rc;
}

/* Line by line, so that an error can name its line; stops at the first bad one. */
int lex_load_file(lexicon *lx, const char *path, ps_err *err)
{
    if (err && err->code != PS_OK)
        return err->code;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ps_err_set(err, PS_IO, "%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t got;
    int rc = PS_OK;
    while ((got = getline(&line, &cap, fp)) >= 0) {
        size_t len = (size_t)got;
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *s = line;
        if (lineno == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;                                  /* a byte-order mark */
            len -= 3;
        }
        size_t i = 0;
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == len || s[i] == '#')
            continue;
        ps_err why = PS_ERR_INIT;
        rc = load_line(lx, s, len, &why);
        if (rc != PS_OK) {
            ps_err_set(err, rc, "%s:%zu: %s", path, lineno, why.msg);
            break;
        }
    }
    if (rc == PS_OK && ferror(fp))
        rc = ps_err_set(err, PS_IO, "%s: %s", path, strerror(errno));
    free(line);
    fclose(fp);
    return rc;
}

/* ---- building the automaton ----------------------------------------- */

/* A key while sorting: its code points and its pattern number. */
typedef struct lex_sortkey {
    const uint32_t *cp;              /* code points in the pool */
    uint32_t        len;             /* how many */
    uint32_t        pat;             /* pattern index */
} lex_sortkey;

/* Order keys by code point sequence (a prefix sorts first). */
static int sortkey_cmp(const void *a, const void *b)
{
    const lex_sortkey *x = a, *y = b;
    uint32_t n = x->len < y->len ? x->len : y->len;
    for (uint32_t i = 0; i < n; i++)
        if (x->cp[i] != y->cp[i])
            return x->cp[i] < y->cp[i] ? -1 : 1;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Order exclusions by pattern so each pattern's are contiguous. */
static int excl_cmp(const void *a, const void *b)
{
    const lex_excl *x = a, *y = b;
    if (x->pat != y->pat)
        return x->pat < y->pat ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Target of state s on code point c, or NONE (binary search). */
static uint32_t go(const lexicon *lx, uint32_t s, uint32_t c)
{
    uint32_t lo = lx->edge0[s], hi = lx->edge0[s + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t l = lx->elabel[mid];
        if (l == c)
            return lx->eto[mid];
        if (l < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NONE;
}

/* Record every place where a pattern of entry `id` (numbered from pbase)
 * occurs inside each of its contexts.  0, or -1 when out of memory. */
static int build_exclusions(lexicon *lx, size_t id, uint32_t pbase, const uint32_t *pool,
                            const uint32_t *poff, size_t *cexcl, size_t *cexcp, size_t *nexcp)
{
    const lex_entry *e = &lx->e[id];
    for (size_t c = 0; c < e->nexcept; c++) {
        size_t room = strlen(e->except[c]);
        if (*nexcp + room > LEX_LIMIT)
            return -1;
        if (buf_grow_array((void **)&lx->excp, cexcp, *nexcp + room, sizeof *lx->excp))
            return -1;
        uint32_t c0 = (uint32_t)*nexcp;
        uint32_t clen = key_cps(e->except[c], lx->excp + c0);
        *nexcp += clen;
        for (uint32_t p = pbase; p <= pbase + e->nalias; p++) {
            const uint32_t *pc = pool + poff[p];
            uint32_t plen = lx->pat[p].len;
            for (uint32_t off = 0; off + plen <= clen; off++) {
                if (memcmp(lx->excp + c0 + off, pc, plen * sizeof *pc) != 0)
                    continue;
                if (lx->nexcl >= LEX_LIMIT
                    || buf_grow_array((void **)&lx->excl, cexcl, (size_t)lx->nexcl + 1, sizeof *lx->excl))
                    return -1;
                lex_excl *x = &lx->excl[lx->nexcl++];
                x->pat = p;
                x->off = off;
                x->cp0 = c0;
                x->len = clen;
            }
        }
    }
    return 0;
}

/* Scratch arrays of one lex_build, all freed at its end. */
typedef struct lex_scratch {
    uint32_t    *pool;               /* code points of every key, entry by entry */
    uint32_t    *poff;               /* poff[p]: where pattern p's code points start in pool */
    lex_sortkey *keys;               /* the patterns, sorted for building the trie */
    uint32_t    *child;              /* first child of each trie state */
    uint32_t    *sib;                /* next sibling of each trie state */
    uint32_t    *label;              /* code point on the edge into each state */
    uint32_t    *path;               /* path[d]: state at depth d of the key being inserted */
    uint32_t    *queue;              /* last child of each state while inserting, then the BFS queue */
} lex_scratch;

/* Free the scratch arrays. */
static void scratch_free(lex_scratch *w)
{
    free(w->pool);
    free(w->poff);
    free(w->keys);
    free(w->child);
    free(w->sib);
    free(w->label);
    free(w->path);
    free(w->queue);
}

/* Decode every key into w->pool, in entry order, describe each pattern in
 * lx->pat and sort w->keys by code point sequence. */
static void decode_patterns(lexicon *lx, lex_scratch *w, size_t npat)
{
    uint32_t used = 0, p = 0;
    for (size_t i = 0; i < lx->n; i++) {
        const lex_entry *e = &lx->e[i];
        for (size_t j = 0; j <= e->nalias; j++, p++) {
            const char *key = j == 0 ? e->key : e->akey[j - 1];
            w->poff[p] = used;
            uint32_t len = key_cps(key, w->pool + used);
            lex_pat *lp = &lx->pat[p];
            lp->term = (uint32_t)i;
            lp->alias = j == 0 ? NONE : (uint32_t)(j - 1);
            lp->len = len;
            lp->wordy = (uint32_t)(is_word(w->pool[used]) | (is_word(w->pool[used + len - 1]) << 1));
            w->keys[p].cp = w->pool + used;
            w->keys[p].len = len;
            w->keys[p].pat = p;
            used += len;
        }
    }
    lx->npat = (uint32_t)npat;
    qsort(w->keys, npat, sizeof *w->keys, sortkey_cmp);
}

/* The trie, from the sorted keys: only the part after the common prefix
 * with the previous key is new, and it sorts after every existing child of
 * its parent, so appending keeps children in order.  Sets lx->out and
 * lx->nstate. */
static void build_trie(lexicon *lx, lex_scratch *w, size_t npat)
{
    uint32_t nst = 1, *last = w->queue;
    w->child[0] = w->sib[0] = lx->out[0] = NONE;
    w->path[0] = 0;
    last[0] = NONE;
    const lex_sortkey *prev = NULL;
    for (size_t i = 0; i < npat; i++) {
        const lex_sortkey *ks = &w->keys[i];
        uint32_t d = 0;
        if (prev)
            while (d < prev->len && d < ks->len && prev->cp[d] == ks->cp[d])
                d++;
        for (; d < ks->len; d++) {
            uint32_t parent = w->path[d], v = nst++;
            w->label[v] = ks->cp[d];
            w->child[v] = w->sib[v] = last[v] = lx->out[v] = NONE;
            if (last[parent] == NONE)
                w->child[parent] = v;
            else
                w->sib[last[parent]] = v;
            last[parent] = v;
            w->path[d + 1] = v;
        }
        lx->out[w->path[ks->len]] = ks->pat;
        prev = ks;
    }
    lx->nstate = nst;
}

/* Lay the trie's edges out state by state (lx->edge0, elabel, eto) and
 * allocate fail and dict.  0, or -1 when out of memory. */
static int lay_edges(lexicon *lx, const lex_scratch *w)
{
    size_t nst = lx->nstate;
    if (!(lx->edge0 = malloc((nst + 1) * sizeof *lx->edge0))
        || !(lx->elabel = malloc(nst * sizeof *lx->elabel))
        || !(lx->eto = malloc(nst * sizeof *lx->eto))
        || !(lx->fail = malloc(nst * sizeof *lx->fail))
        || !(lx->dict = malloc(nst * sizeof *lx->dict)))
        return -1;
    uint32_t ne = 0;
    for (uint32_t s = 0; s < nst; s++) {
        lx->edge0[s] = ne;
        for (uint32_t c = w->child[s]; c != NONE; c = w->sib[c]) {
            lx->elabel[ne] = w->label[c];
            lx->eto[ne++] = c;
        }
    }
    lx->edge0[nst] = ne;
    return 0;
}

/* Failure and dictionary links, breadth first so that every shorter state
 * is finished before it is needed (queue: room for every state). */
static void link_failures(lexicon *lx, uint32_t *queue)
{
    uint32_t qh = 0, qt = 0;
    lx->fail[0] = 0;
    lx->dict[0] = NONE;
    queue[qt++] = 0;
    while (qh < qt) {
        uint32_t u = queue[qh++];
        for (uint32_t k = lx->edge0[u]; k < lx->edge0[u + 1]; k++) {
            uint32_t c = lx->elabel[k], v = lx->eto[k], f = 0;
            if (u != 0) {
                for (uint32_t s = lx->fail[u];; s = lx->fail[s]) {
                    uint32_t t = go(lx, s, c);
                    if (t != NONE) {
                        f = t;
                        break;
                    }
                    if (s == 0)
                        break;
                }
            }
            lx->fail[v] = f;
            lx->dict[v] = lx->out[f] != NONE ? f : lx->dict[f];
            queue[qt++] = v;
        }
    }
}

/* EXCEPT contexts of every entry, then grouped by pattern.  0, or -1 when
 * out of memory. */
static int add_exclusions(lexicon *lx, const lex_scratch *w)
{
    size_t cexcl = 0, cexcp = 0, nexcp = 0;
    uint32_t p = 0;
    for (size_t i = 0; i < lx->n; i++) {
        if (build_exclusions(lx, i, p, w->pool, w->poff, &cexcl, &cexcp, &nexcp))
            return -1;
        p += 1 + (uint32_t)lx->e[i].nalias;
    }
    if (lx->nexcl) {
        qsort(lx->excl, lx->nexcl, sizeof *lx->excl, excl_cmp);
        for (uint32_t i = 0; i < lx->nexcl; i++) {
            lex_pat *lp = &lx->pat[lx->excl[i].pat];
            if (lp->nex++ == 0)
                lp->ex0 = i;
        }
    }
    return 0;
}

/* Rebuild from scratch: building takes milliseconds and happens once per
 * process, so there is nothing to gain from updating in place. */
int lex_build(lexicon *lx, ps_err *err)
{
    if (err && err->code != PS_OK)
        return err->code;
    automaton_free(lx);
    size_t npat = 0, ncp = 0;
    for (size_t i = 0; i < lx->n; i++) {
        const lex_entry *e = &lx->e[i];
        npat += 1 + e->nalias;
        ncp += strlen(e->key);                       /* bytes bound code points */
        for (size_t j = 0; j < e->nalias; j++)
            ncp += strlen(e->akey[j]);
    }
    if (npat > LEX_LIMIT || ncp > LEX_LIMIT)
        return ps_err_nomem(err);
    size_t maxst = ncp + 1;
    lex_scratch w = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
    int ok = (w.pool = malloc((ncp + 1) * sizeof *w.pool))
          && (w.poff = malloc((npat + 1) * sizeof *w.poff))
          && (w.keys = malloc((npat + 1) * sizeof *w.keys))
          && (lx->pat = calloc(npat + 1, sizeof *lx->pat))
          && (w.child = malloc(maxst * sizeof *w.child)) && (w.sib = malloc(maxst * sizeof *w.sib))
          && (w.label = malloc(maxst * sizeof *w.label)) && (w.path = malloc(maxst * sizeof *w.path))
          && (w.queue = malloc(maxst * sizeof *w.queue))
          && (lx->out = malloc(maxst * sizeof *lx->out));
    if (ok) {
        decode_patterns(lx, &w, npat);
        build_trie(lx, &w, npat);
        ok = lay_edges(lx, &w) == 0;
    }
    if (ok) {
        link_failures(lx, w.queue);
        ok = add_exclusions(lx, &w) == 0;
    }
    scratch_free(&w);
    if (!ok) {
        automaton_free(lx);
        return ps_err_nomem(err);
    }
    lx->built = 1;
    return PS_OK;
}

/* ---- scanning -------------------------------------------------------- */

/* Is the occurrence of p at cp[start..) inside one of its EXCEPT contexts? */
static int excluded(const lexicon *lx, const lex_pat *p, const uint32_t *cp, size_t n, size_t start)
{
    for (uint32_t i = p->ex0; i < p->ex0 + p->nex; i++) {
        const lex_excl *x = &lx->excl[i];
        if (start < x->off || start - x->off + x->len > n)
            continue;
        if (memcmp(cp + (start - x->off), lx->excp + x->cp0, x->len * sizeof *cp) == 0)
            return 1;
    }
    return 0;
}

/* Classic Aho-Corasick: follow failure links until an edge fits, then
 * report the state's key and every key on its dictionary chain. */
int lex_scan(const lexicon *lx, const uint32_t *cp, size_t n,
             lex_match_fn fn, void *ctx)
{
    if (!lx->built)
        return LEX_UNBUILT;
    if (lx->npat == 0)
        return 0;
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i];
        for (;;) {
            uint32_t t = go(lx, s, c);
            if (t != NONE) {
                s = t;
                break;
            }
            if (s == 0)
                break;
            s = lx->fail[s];
        }
        for (uint32_t u = lx->out[s] != NONE ? s : lx->dict[s]; u != NONE; u = lx->dict[u]) {
            const lex_pat *p = &lx->pat[lx->out[u]];
            size_t end = i + 1, start = end - p->len;
            if ((p->wordy & 1) && start > 0 && is_word(cp[start - 1]))
                continue;
            if ((p->wordy & 2) && end < n && is_word(cp[end]))
                continue;
            if (p->nex && excluded(lx, p, cp, n, start))
                continue;
            int rc = fn(ctx, p->term, p->alias == NONE ? LEX_NO_ALIAS : p->alias, start, p->len);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* ---- accessors ------------------------------------------------------- */

/* The accessors below answer NULL / 0 for an id out of range. */
size_t lex_count(const lexicon *lx)
{
    return lx->n;
}

const char *lex_term(const lexicon *lx, size_t id)
{
    return id < lx->n ? lx->e[id].term : NULL;
}

const char *lex_key(const lexicon *lx, size_t id)
{
    return id < lx->n ? lx->e[id].key : NULL;
}

double lex_weight(const lexicon *lx, size_t id)
{
    return id < lx->n ? lx->e[id].weight : 0.0;
}

size_t lex_alias_count(const lexicon *lx, size_t id)
{
    return id < lx->n ? lx->e[id].nalias : 0;
}

const char *lex_alias(const lexicon *lx, size_t id, size_t i)
{
    return id < lx->n && i < lx->e[id].nalias ? lx->e[id].alias[i] : NULL;
}

/* Normalise, then one hash probe; no automaton needed. */
long lex_find(const lexicon *lx, const char *utf8, size_t n, size_t *alias)
{
    buf k = BUF_INIT;
    long id = -1;
    if (norm_key(utf8, n, &k) == PS_OK && k.len > 0) {
        const lex_slot *s = key_find(lx, k.data);
        if (s) {
            id = (long)s->term;
            if (alias)
                *alias = s->alias == NONE ? LEX_NO_ALIAS : s->alias;
        }
    }
    buf_free(&k);
    return id;
}

/* Each term hashes its key, weight and the (order-free) sums of its alias
 * and context hashes; the lexicon sums the term hashes.  Sums make the
 * result independent of definition order without sorting, so this needs
 * no memory and cannot fail. */
uint32_t lex_fingerprint(const lexicon *lx)
{
    uint32_t total = 0;
    for (size_t i = 0; i < lx->n; i++) {
        const lex_entry *e = &lx->e[i];
        uint32_t h = fnv(2166136261u, e->key, strlen(e->key) + 1);
        uint64_t bits;
        unsigned char wb[8];
        memcpy(&bits, &e->weight, sizeof bits);
        for (int b = 0; b < 8; b++)
            wb[b] = (unsigned char)(bits >> (8 * b));   /* fixed byte order */
        h = fnv(h, wb, sizeof wb);
        uint32_t sa = 0, sc = 0;
        for (size_t j = 0; j < e->nalias; j++)
            sa += mix(fnv(2166136261u, e->akey[j], strlen(e->akey[j])));
        for (size_t j = 0; j < e->nexcept; j++)
            sc += mix(fnv(0x9E3779B9u, e->except[j], strlen(e->except[j])));
        unsigned char tail[8];
        for (int b = 0; b < 4; b++) {
            tail[b] = (unsigned char)(sa >> (8 * b));
            tail[4 + b] = (unsigned char)(sc >> (8 * b));
        }
        total += mix(fnv(h, tail, sizeof tail));
    }
    return mix(total ^ (uint32_t)lx->n);
}
