/* query.c — parsing a query and matching it against paragraphs; see query.h.
 *
 * Parsing runs in two layers: a scanner cuts the query into parts (quoted
 * text, a leading '-', the keywords OR | NOT AND) and an assembler turns the
 * stream of parts into clauses.  Phrases are normalised with the same
 * norm_text_build as paragraphs, so a phrase and the text it should match
 * are always compared in one form. */
#include "query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

#define PQ_NOT_FOUND ((size_t)-1)

/* ---- phrases and clauses ------------------------------------------------ */

/* Drop white space at either end of nt: it could only make a phrase
 * harder to find. */
static void trim_spaces(norm_text *nt)
{
    size_t lead = 0;
    while (lead < nt->len && nt->cp[lead] == ' ')
        lead++;
    while (nt->len > lead && nt->cp[nt->len - 1] == ' ')
        nt->len--;
    nt->len -= lead;
    if (lead)
        memmove(nt->cp, nt->cp + lead, nt->len * sizeof *nt->cp);
}

/* Normalise s[0..n) into p, trimmed, with orig made the identity.
 * Returns 0, or -1 when out of memory (p is then left freeable). */
static int phrase_init(pq_phrase *p, const char *s, size_t n, unsigned flags)
{
    memset(p, 0, sizeof *p);
    p->flags = flags;
    if (norm_text_build_opt(&p->nt, s, n, (flags & PQ_LITERAL) ? 0 : NORM_FOLD_SCRIPT) != 0)
        return -1;
    norm_text *nt = &p->nt;
    trim_spaces(nt);
    buf text = BUF_INIT;
    for (size_t i = 0; i < nt->len; i++) {
        nt->orig[i] = (uint32_t)i;
        if (buf_put_utf8(&text, nt->cp[i]) != 0) {
            buf_free(&text);
            return -1;
        }
    }
    nt->src_len = nt->len;
    p->utf8_len = text.len;
    p->utf8 = buf_detach(&text);
    return p->utf8 ? 0 : -1;
}

/* Free what phrase_init allocated (safe on a zeroed or failed phrase). */
static void phrase_free(pq_phrase *p)
{
    norm_text_free(&p->nt);
    free(p->utf8);
    p->utf8 = NULL;
}

/* Move the phrase *p into c as its last alternative; on failure p is
 * left to the caller. */
static int clause_push(pq_clause *c, const pq_phrase *p)
{
    if (ARRAY_GROW(c->alts, c->cap, c->nalts + 1) != 0)
        return -1;
    c->alts[c->nalts++] = *p;
    return 0;
}

/* Append an alternative to c, normalising s[0..n). */
static int clause_add(pq_clause *c, const char *s, size_t n, unsigned flags)
{
    pq_phrase p;
    if (phrase_init(&p, s, n, flags) != 0 || clause_push(c, &p) != 0) {
        phrase_free(&p);
        return -1;
    }
    return 0;
}

/* Append an empty clause to q. */
static int query_add_clause(pq_query *q, int negated)
{
    if (ARRAY_GROW(q->clauses, q->cap, q->nclauses + 1) != 0)
        return -1;
    pq_clause *c = &q->clauses[q->nclauses++];
    memset(c, 0, sizeof *c);
    c->negated = negated;
    return 0;
}

int pq_add_alt(pq_query *q, size_t clause, const char *s, size_t n, unsigned flags)
{
    if (clause >= q->nclauses)
        return -1;
    return clause_add(&q->clauses[clause], s, n, flags | q->literal);
}

void pq_free(pq_query *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->nclauses; i++) {
        pq_clause *c = &q->clauses[i];
        for (size_t j = 0; j < c->nalts; j++)
            phrase_free(&c->alts[j]);
        free(c->alts);
    }
    free(q->clauses);
    free(q);
}

/* ---- scanning: query text to parts -------------------------------------- */

enum part_kind {
    PART_END = 0,                    /* no more parts */
    PART_PHRASE,                     /* text to match */
    PART_OR,                         /* OR or | */
    PART_NOT,                        /* NOT */
    PART_AND                         /* AND: accepted, means nothing */
};

typedef struct part_scan {
    const unsigned char *s;          /* the query, valid UTF-8 */
    size_t   n;                      /* bytes in s */
    size_t   pos;                    /* byte offset of the next character to scan */
    buf      text;                   /* the current part's bytes, quote characters removed */
    size_t   skip;                   /* bytes of a negating '-' at the start of text */
    int      quoted;                 /* 1: the current part had a quote character */
} part_scan;

/* Decode the character at sc->pos into *cp and its normalised form into
 * *ncp; return its length in bytes. */
static size_t scan_peek(const part_scan *sc, uint32_t *cp, uint32_t *ncp)
{
    int k = utf8_decode(sc->s + sc->pos, sc->n - sc->pos, cp);
    *ncp = norm_char(*cp);
    return k > 0 ? (size_t)k : 1;
}

/* Outside quotes a part ends at white space or at '|', which is an OR
 * operator of its own even without spaces around it ("a|b"). */
static int ends_part(uint32_t ncp)
{
    return ncp == '|' || uclass_of(ncp) == UC_SPACE;
}

/* Collect one part's bytes into sc->text.  Any character that normalises to
 * '"' (curly and full-width ones too: Chinese users type “”) opens or closes
 * a quotation; an unclosed one runs to the end of the query. */
static int scan_text(part_scan *sc)
{
    int in_quote = 0;
    buf_clear(&sc->text);
    sc->skip = 0;
    sc->quoted = 0;
    while (sc->pos < sc->n) {
        uint32_t cp, ncp;
        size_t k = scan_peek(sc, &cp, &ncp);
        if (ncp == '"') {
            in_quote = !in_quote;
            sc->quoted = 1;
        } else if (!in_quote && ends_part(ncp)) {
            break;
        } else {
            if (ncp == '-' && sc->text.len == 0 && !sc->quoted)
                sc->skip = k;
            if (buf_append(&sc->text, sc->s + sc->pos, k) != 0)
                return -1;
        }
        sc->pos += k;
    }
    /* A lone '-' is the literal phrase "-", not a negation of nothing. */
    if (sc->skip == sc->text.len && !sc->quoted)
        sc->skip = 0;
    return 0;
}

/* The keyword an unquoted part spells, or PART_PHRASE.  Keywords are
 * upper case only, so "or" and "not" stay searchable words. */
static enum part_kind keyword_of(const part_scan *sc)
{
    if (sc->quoted || sc->skip)
        return PART_PHRASE;
    const char *t = sc->text.data;
    size_t len = sc->text.len;
    if (len == 2 && memcmp(t, "OR", 2) == 0)
        return PART_OR;
    if (len == 3 && memcmp(t, "NOT", 3) == 0)
        return PART_NOT;
    if (len == 3 && memcmp(t, "AND", 3) == 0)
        return PART_AND;
    return PART_PHRASE;
}

/* Scan the next part into *kind.  Returns 0, or -1 when out of memory. */
static int scan_next(part_scan *sc, enum part_kind *kind)
{
    uint32_t cp, ncp;
    size_t k;
    for (;;) {
        if (sc->pos >= sc->n) {
            *kind = PART_END;
            return 0;
        }
        k = scan_peek(sc, &cp, &ncp);
        if (uclass_of(ncp) != UC_SPACE)
            break;
        sc->pos += k;
    }
    if (ncp == '|') {
        sc->pos += k;
        *kind = PART_OR;
        return 0;
    }
    if (scan_text(sc) != 0)
        return -1;
    *kind = keyword_of(sc);
    return 0;
}

/* ---- assembling: parts to clauses --------------------------------------- */

typedef struct pq_builder {
    pq_query       *q;               /* the query being built */
    enum part_kind  prev;            /* kind of the previous part (PART_END at the start) */
    int             not_pending;     /* 1: a NOT waits for its part */
    int             or_pending;      /* 1: an OR waits for its right-hand part */
    ps_err         *err;             /* where the reason for a rejected query goes (may be NULL) */
} pq_builder;

/* Store a reason for rejecting the query; returns 1, the pq_parse code. */
static int __attribute__((format(printf, 2, 3))) fail(pq_builder *b, const char *fmt, ...)
{
    if (b->err && b->err->code == PS_OK) {
        char msg[sizeof b->err->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        ps_err_set(b->err, PS_USAGE, "%s", msg);
    }
    return 1;
}

/* Handle a keyword; returns 0 or 1 (rejected). */
static int build_keyword(pq_builder *b, enum part_kind kind)
{
    if (kind == PART_OR) {
        if (b->prev != PART_PHRASE)
            return fail(b, "OR needs a search term on its left");
        if (b->q->clauses[b->q->nclauses - 1].negated)
            return fail(b, "OR cannot join negated terms");
        b->or_pending = 1;
    } else if (kind == PART_NOT) {
        if (b->or_pending)
            return fail(b, "OR cannot join negated terms");
        if (b->not_pending)
            return fail(b, "NOT needs a search term after it");
        b->not_pending = 1;
    } else if (kind == PART_AND) {
        if (b->or_pending || b->not_pending)
            return fail(b, "%s needs a search term after it", b->or_pending ? "OR" : "NOT");
    }
    b->prev = kind;
    return 0;
}

/* Add the phrase sc->text (less a negating '-') as a new clause or as an
 * alternative of the last one.  Returns 0, 1 (rejected) or -1 (memory). */
static int build_phrase(pq_builder *b, const part_scan *sc)
{
    /* A part of quote marks only appended nothing: no buffer yet. */
    const char *s = (sc->text.data ? sc->text.data : "") + sc->skip;
    size_t n = sc->text.len - sc->skip;
    unsigned flags = (sc->quoted ? PQ_QUOTED : 0) | b->q->literal;
    int negated = sc->skip != 0;
    if (negated && b->not_pending)
        return fail(b, "a term cannot be negated twice");
    negated |= b->not_pending;
    if (b->or_pending && negated)
        return fail(b, "OR cannot join negated terms");

    pq_phrase p;
    if (phrase_init(&p, s, n, flags) != 0)
        goto oom;
    if (p.nt.len == 0) {
        phrase_free(&p);     /* only quotes or zero-width characters: nothing to match */
        return 0;
    }
    if (!b->or_pending && query_add_clause(b->q, negated) != 0)
        goto oom;
    if (clause_push(&b->q->clauses[b->q->nclauses - 1], &p) != 0)
        goto oom;
    b->or_pending = b->not_pending = 0;
    b->prev = PART_PHRASE;
    return 0;
oom:
    phrase_free(&p);
    return -1;
}

/* Checks that need the whole query. */
static int build_finish(pq_builder *b)
{
    if (b->or_pending)
        return fail(b, "OR needs a search term on its right");
    if (b->not_pending)
        return fail(b, "NOT needs a search term after it");
    if (b->q->nclauses == 0)
        return fail(b, "the query has no search terms");
    for (size_t i = 0; i < b->q->nclauses; i++)
        if (!b->q->clauses[i].negated)
            return 0;
    return fail(b, "the query needs at least one term that is not negated");
}

int pq_parse(const char *s, size_t n, pq_query **out, ps_err *err)
{
    return pq_parse_opt(s, n, 0, out, err);
}

unsigned pq_norm_flags(const pq_query *q)
{
    return q->literal ? 0 : NORM_FOLD_SCRIPT;
}

int pq_parse_opt(const char *s, size_t n, unsigned flags, pq_query **out, ps_err *err)
{
    *out = NULL;
    pq_builder b = { NULL, PART_END, 0, 0, err };
    size_t bad = utf8_validate(s, n);
    if (bad != n)
        return fail(&b, "the query is not valid UTF-8 (byte %zu)", bad);
    b.q = calloc(1, sizeof *b.q);
    if (!b.q)
        return ps_err_nomem(err), -1;
    b.q->literal = flags & PQ_LITERAL;

    part_scan sc = { (const unsigned char *)s, n, 0, BUF_INIT, 0, 0 };
    int rc = 0;
    for (;;) {
        enum part_kind kind;
        if (scan_next(&sc, &kind) != 0) {
            rc = -1;
            break;
        }
        if (kind == PART_END) {
            rc = build_finish(&b);
            break;
        }
        rc = kind == PART_PHRASE ? build_phrase(&b, &sc) : build_keyword(&b, kind);
        if (rc != 0)
            break;
    }
    buf_free(&sc.text);
    if (rc != 0) {
        pq_free(b.q);
        return rc;
    }
    *out = b.q;
    return 0;
}

/* ---- matching ----------------------------------------------------------- */

/* The whole-word rule looks only at UC_WORD neighbours. */
static int is_word(uint32_t cp)
{
    return uclass_of(cp) == UC_WORD;
}

/* Scans for the phrase's first character before comparing the rest: in a
 * Chinese paragraph most positions fail on that one comparison. */
size_t pq_phrase_find(const pq_phrase *p, const norm_text *nt, size_t from)
{
    size_t m = p->nt.len;
    if (m == 0 || nt->len < m)
        return PQ_NOT_FOUND;
    const uint32_t *pat = p->nt.cp, *txt = nt->cp;
    int lead_word = is_word(pat[0]), trail_word = is_word(pat[m - 1]);
    size_t last = nt->len - m;
    for (size_t i = from; i <= last; i++) {
        if (txt[i] != pat[0] || memcmp(txt + i + 1, pat + 1, (m - 1) * sizeof *pat) != 0)
            continue;
        if (lead_word && i > 0 && is_word(txt[i - 1]))
            continue;
        if (trail_word && i + m < nt->len && is_word(txt[i + m]))
            continue;
        return i;
    }
    return PQ_NOT_FOUND;
}

/* 1 if any alternative of c occurs in nt. */
static int clause_found(const pq_clause *c, const norm_text *nt)
{
    for (size_t j = 0; j < c->nalts; j++)
        if (pq_phrase_find(&c->alts[j], nt, 0) != PQ_NOT_FOUND)
            return 1;
    return 0;
}

int pq_eval(const pq_query *q, const norm_text *nt)
{
    for (size_t i = 0; i < q->nclauses; i++)
        if (clause_found(&q->clauses[i], nt) == q->clauses[i].negated)
            return 0;
    return 1;
}

/* Push one span per occurrence of p, mapped to source code points. */
static int phrase_spans(const pq_phrase *p, const norm_text *nt, span_list *out)
{
    size_t m = p->nt.len;
    for (size_t at = pq_phrase_find(p, nt, 0); at != PQ_NOT_FOUND;
         at = pq_phrase_find(p, nt, at + 1)) {
        size_t start = nt->orig[at], end = (size_t)nt->orig[at + m - 1] + 1;
        if (span_push(out, start, end - start) != 0)
            return -1;
    }
    return 0;
}

int pq_spans(const pq_query *q, const norm_text *nt, span_list *out)
{
    for (size_t i = 0; i < q->nclauses; i++) {
        const pq_clause *c = &q->clauses[i];
        if (c->negated)
            continue;
        for (size_t j = 0; j < c->nalts; j++)
            if (phrase_spans(&c->alts[j], nt, out) != 0)
                return -1;
    }
    return 0;
}

int pq_phrase_terms(const pq_phrase *p, tok_emit_fn emit, void *ctx)
{
    if (!(p->flags & PQ_LITERAL))
        return tok_terms(&p->nt, 0, p->nt.len, emit, ctx);
    norm_text f = NORM_TEXT_INIT;
    if (p->nt.len) {
        if (!(f.cp = malloc(p->nt.len * sizeof *f.cp)))
            return -1;
        for (size_t i = 0; i < p->nt.len; i++)
            f.cp[i] = norm_fold_script(p->nt.cp[i]);
    }
    f.len = f.cap = f.src_len = p->nt.len;
    int rc = tok_terms(&f, 0, f.len, emit, ctx);
    free(f.cp);
    return rc;
}

/* A CJK unigram or bigram term is exactly the phrase; a word term is a
 * maximal run of word characters, which is exactly what the whole-word
 * rule asks of a phrase made only of word characters. */
int pq_phrase_term_exact(const pq_phrase *p)
{
    const norm_text *nt = &p->nt;
    if (nt->len == 0)
        return 0;
    if (p->flags & PQ_LITERAL)
        for (size_t i = 0; i < nt->len; i++)
            if (uclass_of(nt->cp[i]) == UC_CJK)
                return 0;
    if (nt->len <= 2 && uclass_of(nt->cp[0]) == UC_CJK)
        return nt->len == 1 || uclass_of(nt->cp[1]) == UC_CJK;
    for (size_t i = 0; i < nt->len; i++)
        if (!is_word(nt->cp[i]))
            return 0;
    return p->utf8_len <= TOK_MAX_TERM;
}

/* A word such as -小巨人 can never be an option (options are ASCII), so it
 * is a negated query part.  Before getopt sees the arguments, each such word
 * gets a \001 in front, which getopt takes for an operand and keeps in
 * order; the query builder drops the mark.  Returns a new argv (the caller
 * frees it and the marked words), or NULL when out of memory. */
char **pq_protect_negations(int argc, char **argv)
{
    char **v = calloc((size_t)argc + 1, sizeof *v);
    if (!v)
        return NULL;
    int after_dashes = 0;
    for (int i = 0; i < argc; i++) {
        v[i] = argv[i];
        if (!strcmp(argv[i], "--"))
            after_dashes = 1;
        if (i > 0 && !after_dashes && argv[i][0] == '-' && (unsigned char)argv[i][1] >= 0x80) {
            size_t n = strlen(argv[i]);
            char *m = malloc(n + 2);
            if (!m)
                return v;           /* left unprotected: getopt will complain clearly */
            m[0] = '\001';
            memcpy(m + 1, argv[i], n + 1);
            v[i] = m;
        }
    }
    return v;
}
