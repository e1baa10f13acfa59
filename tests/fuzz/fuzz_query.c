/* fuzz_query.c — libFuzzer harness for query.c (with normalize.c, tokenize.c).
 *
 * Input: a query string.  pq_parse must either reject it (1, with a
 * message) or return a well-formed query: at least one clause, every clause
 * with >= 1 alternative, at least one clause not negated, every phrase
 * non-empty, trimmed, with utf8 == the UTF-8 of nt.cp and orig the identity.
 * Invalid UTF-8 must be rejected.
 *
 * A parsed query is then run against a fixed Chinese paragraph followed by
 * the query text itself (so that its phrases have something to find):
 *   - pq_spans gives spans inside the source's code points, len > 0;
 *   - when pq_eval says the paragraph matches, every positive clause has
 *     at least one span;
 *   - every occurrence pq_phrase_find reports really is the phrase and
 *     obeys the whole-word rule;
 *   - pq_phrase_terms emits the phrase's terms (tok_terms rules);
 *   - pq_phrase_term_exact: when it says 1 the phrase's own UTF-8 is one of
 *     its terms, and a text contains the phrase exactly when tokenising the
 *     text yields that term, or for a lone CJK character a bigram it
 *     begins (the promise the index relies on). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "normalize.h"
#include "query.h"
#include "span.h"
#include "tokenize.h"
#include "utf8.h"

#define NOT_FOUND ((size_t)-1)

static const char paragraph[] =
    "为深入实施创新驱动发展战略，加快推进“专精特新”中小企业培育，"
    "现就加大研发投入（R&D）、推动5G+工业互联网融合应用、支持高新技术企业"
    "申报国家级科技项目提出如下意见。一是完善科技金融服务，二是强化人才支撑。\n";

typedef struct term_find {
    const char *want;                /* term searched for */
    size_t      want_len;
    enum tok_kind kind;
    int         found;
    size_t      count;               /* terms emitted */
} term_find;

static int find_term(void *ctx, const char *term, size_t len, enum tok_kind kind, size_t pos)
{
    term_find *tf = ctx;
    (void)pos;
    tf->count++;
    FUZZ_CHECK(len > 0 && len <= TOK_MAX_TERM, "phrase term of %zu bytes", len);
    if (len == tf->want_len && kind == tf->kind && memcmp(term, tf->want, len) == 0)
        tf->found = 1;
    /* A lone CJK character is searched as a prefix (tokenize.h): it occurs
     * where a unigram or a bigram begins with it. */
    if (tf->kind == TOK_UNIGRAM && kind == TOK_BIGRAM && len > tf->want_len &&
        memcmp(term, tf->want, tf->want_len) == 0)
        tf->found = 1;
    return 0;
}

static int is_word(uint32_t cp)
{
    return uclass_of(cp) == UC_WORD;
}

static void check_phrase(const pq_phrase *p, const norm_text *text)
{
    const norm_text *nt = &p->nt;
    FUZZ_CHECK(nt->len > 0, "empty phrase in a parsed query");
    FUZZ_CHECK(nt->cp[0] != ' ' && nt->cp[nt->len - 1] != ' ', "phrase not trimmed");
    FUZZ_CHECK(nt->src_len == nt->len, "phrase src_len %zu != len %zu", nt->src_len, nt->len);
    FUZZ_CHECK(p->utf8 && p->utf8[p->utf8_len] == '\0', "phrase utf8 missing or not NUL-terminated");
    size_t k = 0;
    for (size_t i = 0; i < p->utf8_len; k++) {
        uint32_t cp;
        i += fuzz_step(p->utf8, p->utf8_len, i, &cp);
        FUZZ_CHECK(k < nt->len && cp == nt->cp[k], "phrase utf8 differs from nt at %zu", k);
        FUZZ_CHECK(nt->orig[k] == k, "phrase orig[%zu] = %u", k, (unsigned)nt->orig[k]);
    }
    FUZZ_CHECK(k == nt->len, "phrase utf8 has %zu code points, nt %zu", k, nt->len);

    /* Every occurrence found is real and whole-word. */
    size_t m = nt->len, occurrences = 0;
    for (size_t at = pq_phrase_find(p, text, 0); at != NOT_FOUND; at = pq_phrase_find(p, text, at + 1)) {
        FUZZ_CHECK(at + m <= text->len, "occurrence at %zu runs past the text (%zu)", at, text->len);
        FUZZ_CHECK(memcmp(text->cp + at, nt->cp, m * sizeof *nt->cp) == 0, "false occurrence at %zu", at);
        if (is_word(nt->cp[0]))
            FUZZ_CHECK(at == 0 || !is_word(text->cp[at - 1]), "occurrence at %zu breaks a word (left)", at);
        if (is_word(nt->cp[m - 1]))
            FUZZ_CHECK(at + m == text->len || !is_word(text->cp[at + m]), "occurrence at %zu breaks a word (right)", at);
        if (++occurrences > text->len + 1)
            FUZZ_CHECK(0, "pq_phrase_find does not advance");
    }

    /* Terms, and the term-exact promise. */
    int exact = pq_phrase_term_exact(p);
    FUZZ_CHECK(exact == 0 || exact == 1, "pq_phrase_term_exact returned %d", exact);
    enum tok_kind kind = uclass_of(nt->cp[0]) == UC_CJK ? (m == 1 ? TOK_UNIGRAM : TOK_BIGRAM) : TOK_WORD;
    term_find own = { p->utf8, p->utf8_len, kind, 0, 0 };
    FUZZ_CHECK(pq_phrase_terms(p, find_term, &own) == 0, "pq_phrase_terms failed");
    if (exact) {
        FUZZ_CHECK(own.found, "term-exact phrase \"%s\" is not among its own terms", p->utf8);
        term_find in_text = { p->utf8, p->utf8_len, kind, 0, 0 };
        FUZZ_CHECK(tok_terms(text, 0, text->len, find_term, &in_text) == 0, "tok_terms failed");
        int found = pq_phrase_find(p, text, 0) != NOT_FOUND;
        FUZZ_CHECK(found == in_text.found,
                   "term-exact phrase \"%s\": phrase_find says %d, the index term says %d",
                   p->utf8, found, in_text.found);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    pq_query *q = NULL;
    ps_err perr = PS_ERR_INIT;
    int rc = pq_parse(s, size, &q, &perr);
    const char *err = perr.msg;

    if (utf8_validate(s, size) != size)
        FUZZ_CHECK(rc == 1, "invalid UTF-8 query gave %d", rc);
    if (rc != 0) {
        FUZZ_CHECK(q == NULL, "rejected query left *out set");
        if (rc == 1)
            FUZZ_CHECK(err[0] != '\0' && strlen(err) < sizeof perr.msg && !strchr(err, '\n'),
                       "rejected query without a one-line reason");
        else
            FUZZ_CHECK(rc == -1, "pq_parse returned %d", rc);
        return 0;
    }
    FUZZ_CHECK(q && q->nclauses > 0 && q->nclauses <= q->cap, "parsed query has no clauses");
    int positive = 0;
    for (size_t i = 0; i < q->nclauses; i++) {
        FUZZ_CHECK(q->clauses[i].nalts >= 1, "clause %zu has no alternatives", i);
        positive |= !q->clauses[i].negated;
    }
    FUZZ_CHECK(positive, "parsed query has only negated clauses");

    /* The paragraph: fixed text + the query itself. */
    buf text = BUF_INIT;
    norm_text nt = NORM_TEXT_INIT;
    span_list sl = SPAN_LIST_INIT;
    if (buf_append(&text, paragraph, sizeof paragraph - 1) != 0 || buf_append(&text, s, size) != 0
        || norm_text_build(&nt, text.data, text.len) != 0)
        goto out;
    size_t ncp = utf8_count(text.data, text.len);
    FUZZ_CHECK(nt.src_len == ncp, "src_len %zu, text has %zu code points", nt.src_len, ncp);

    int hit = pq_eval(q, &nt);
    FUZZ_CHECK(hit == 0 || hit == 1, "pq_eval returned %d", hit);
    if (pq_spans(q, &nt, &sl) != 0)
        goto out;
    for (size_t k = 0; k < sl.n; k++)
        FUZZ_CHECK(sl.v[k].len > 0 && sl.v[k].start < ncp && sl.v[k].len <= ncp - sl.v[k].start,
                   "span [%zu,+%zu) outside the %zu code points of the text", sl.v[k].start, sl.v[k].len, ncp);
    if (hit) {
        size_t need = 0;
        for (size_t i = 0; i < q->nclauses; i++)
            need += !q->clauses[i].negated;
        FUZZ_CHECK(sl.n >= need, "paragraph matches but only %zu spans for %zu positive clauses", sl.n, need);
    }
    span_merge(&sl);
    for (size_t k = 0; k < sl.n; k++)
        FUZZ_CHECK(sl.v[k].start + sl.v[k].len <= ncp && (k == 0 || sl.v[k].start > sl.v[k - 1].start + sl.v[k - 1].len),
                   "merged span %zu out of order or outside the text", k);

    for (size_t i = 0; i < q->nclauses; i++)
        for (size_t j = 0; j < q->clauses[i].nalts; j++)
            check_phrase(&q->clauses[i].alts[j], &nt);

    /* The query also matched against its own text alone. */
    if (norm_text_build(&nt, s, size) == 0)
        (void)pq_eval(q, &nt);
out:
    span_list_free(&sl);
    norm_text_free(&nt);
    buf_free(&text);
    pq_free(q);
    return 0;
}
