/* test_query.c — unit tests for query parsing and matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "normalize.h"
#include "query.h"
#include "span.h"

/* ---- helpers ------------------------------------------------------------ */

/* Parse s, which must succeed. */
static pq_query *parse(const char *s)
{
    pq_query *q = NULL;
    ps_err err = PS_ERR_INIT;
    int rc = pq_parse(s, strlen(s), &q, &err);
    if (rc != 0)
        fail_msg("pq_parse(\"%s\") = %d: %s", s, rc, err.msg);
    assert_non_null(q);
    return q;
}

/* The structure of q as text: clauses separated by spaces, a negated one
 * prefixed by '-', alternatives in brackets joined by '|', a quoted
 * alternative marked by a leading '"'. */
static const char *describe(const pq_query *q)
{
    static char out[512];
    buf b = BUF_INIT;
    for (size_t i = 0; i < q->nclauses; i++) {
        const pq_clause *c = &q->clauses[i];
        assert_true(c->nalts >= 1);
        assert_int_equal(buf_printf(&b, "%s%s[", i ? " " : "", c->negated ? "-" : ""), 0);
        for (size_t j = 0; j < c->nalts; j++) {
            const pq_phrase *p = &c->alts[j];
            assert_int_equal(strlen(p->utf8), p->utf8_len);
            for (size_t k = 0; k < p->nt.len; k++)
                assert_int_equal(p->nt.orig[k], k);
            assert_int_equal(buf_printf(&b, "%s%s%s", j ? "|" : "",
                                        (p->flags & PQ_QUOTED) ? "\"" : "", p->utf8), 0);
        }
        assert_int_equal(buf_putc(&b, ']'), 0);
    }
    assert_true(b.len < sizeof out);
    memcpy(out, b.data ? b.data : "", b.len + 1);
    buf_free(&b);
    return out;
}

/* Parse s and compare its structure with want. */
static void check_parse(const char *s, const char *want)
{
    pq_query *q = parse(s);
    if (strcmp(describe(q), want) != 0)
        fail_msg("parse of \"%s\":\n  got  %s\n  want %s", s, describe(q), want);
    pq_free(q);
}

/* Parse s, which must be rejected with a message containing `about`. */
static void check_error(const char *s, size_t n, const char *about)
{
    pq_query *q = (pq_query *)&q;
    ps_err err = PS_ERR_INIT;
    int rc = pq_parse(s, n, &q, &err);
    if (rc != 1)
        fail_msg("pq_parse(\"%s\") = %d, expected an error", s, rc);
    assert_null(q);
    assert_int_equal(err.code, PS_USAGE);
    if (!strstr(err.msg, about))
        fail_msg("pq_parse(\"%s\"): message \"%s\" lacks \"%s\"", s, err.msg, about);
}

/* 1 if the query q matches text. */
static int matches(const char *query, const char *text)
{
    pq_query *q = parse(query);
    norm_text nt = NORM_TEXT_INIT;
    assert_int_equal(norm_text_build(&nt, text, strlen(text)), 0);
    int hit = pq_eval(q, &nt);
    norm_text_free(&nt);
    pq_free(q);
    return hit;
}

#define MATCH(q, t)    do { if (!matches(q, t)) fail_msg("\"%s\" should match \"%s\"", q, t); } while (0)
#define NO_MATCH(q, t) do { if (matches(q, t)) fail_msg("\"%s\" should not match \"%s\"", q, t); } while (0)

/* The spans of query in text, sorted, as "start+len ..." */
static const char *spans_of(const char *query, const char *text)
{
    static char out[256];
    pq_query *q = parse(query);
    norm_text nt = NORM_TEXT_INIT;
    span_list sl = SPAN_LIST_INIT;
    buf b = BUF_INIT;
    assert_int_equal(norm_text_build(&nt, text, strlen(text)), 0);
    assert_int_equal(pq_spans(q, &nt, &sl), 0);
    span_merge(&sl);
    for (size_t i = 0; i < sl.n; i++)
        assert_int_equal(buf_printf(&b, "%s%zu+%zu", i ? " " : "", sl.v[i].start, sl.v[i].len), 0);
    assert_true(b.len < sizeof out);
    memcpy(out, b.data ? b.data : "", b.len + 1);
    buf_free(&b);
    span_list_free(&sl);
    norm_text_free(&nt);
    pq_free(q);
    return out;
}

/* ---- parsing ------------------------------------------------------------ */

static void test_parse_parts(void **state)
{
    (void)state;
    check_parse("数字经济", "[数字经济]");
    check_parse("数字经济 人工智能", "[数字经济] [人工智能]");
    check_parse("  数字经济\u3000\t人工智能  ", "[数字经济] [人工智能]");
    check_parse("5G+工业互联网", "[5g+工业互联网]");
    check_parse("R&D 2024年", "[r&d] [2024年]");
    check_parse("ＧＤＰ", "[gdp]");
    check_parse("发展，", "[发展,]");
    check_parse("2023-2025", "[2023-2025]");
    check_parse("a - b", "[a] [b]");        /* a lone '-' is punctuation: nothing to search */
    check_parse("or not and", "[or] [not] [and]");
    check_parse("Or", "[or]");
}

static void test_parse_quotes(void **state)
{
    (void)state;
    check_parse("\"open  source\"", "[\"open source]");
    check_parse("\" open source \" x", "[\"open source] [x]");
    check_parse("“数字 经济” x", "[\"数字 经济] [x]");
    check_parse("\"unclosed phrase here", "[\"unclosed phrase here]");
    check_parse("a \"OR\" b", "[a] [\"or] [b]");
    check_parse("\"-x\"", "[\"-x]");
    check_parse("\"a|b\"", "[\"a|b]");
    check_parse("x \"\" y", "[x] [y]");
    check_parse("ab\"c d\"", "[\"abc d]");
}

static void test_parse_operators(void **state)
{
    (void)state;
    check_parse("a OR b", "[a|b]");
    check_parse("a | b", "[a|b]");
    check_parse("a|b", "[a|b]");
    check_parse("a ｜ b", "[a|b]");
    check_parse("a b OR c", "[a] [b|c]");
    check_parse("a OR b OR c d", "[a|b|c] [d]");
    check_parse("a -b", "[a] -[b]");
    check_parse("a －b", "[a] -[b]");
    check_parse("a NOT b", "[a] -[b]");
    check_parse("a -\"b c\"", "[a] -[\"b c]");
    check_parse("a AND b", "[a] [b]");
    check_parse("a AND NOT b", "[a] -[b]");
    check_parse("a --b", "[a] -[-b]");
    check_parse("a -OR", "[a] -[or]");
    /* A part with nothing to search is dropped, negated or not. */
    check_parse("企业 \u3002", "[企业]");
    check_parse("企业 \"\u3002\" -\uFF0C \u3001", "[企业]");
    check_parse("企业\u3002", "[企业。]");
}

static void test_parse_errors(void **state)
{
    (void)state;
    check_error("-x", 2, "not negated");
    check_error("NOT x", 5, "not negated");
    check_error("-x -y", 5, "not negated");
    check_error("OR a", 4, "OR");
    check_error("| a", 3, "OR");
    check_error("a OR", 4, "OR");
    check_error("a |", 3, "OR");
    check_error("a OR OR b", 9, "OR");
    check_error("a OR | b", 8, "OR");
    check_error("a NOT", 5, "NOT");
    check_error("a NOT NOT b", 11, "NOT");
    check_error("a -b OR c", 9, "negated");
    check_error("a OR -b", 7, "negated");
    check_error("a NOT -b", 8, "twice");
    check_error("", 0, "no search terms");
    check_error("   \u3000 ", strlen("   \u3000 "), "no search terms");
    check_error("\"\"", 2, "no search terms");
    check_error("\u200B", 3, "no search terms");
    check_error("AND", 3, "no search terms");
    /* Punctuation and symbols only: nothing to search, as the index keeps
     * no term of them (a search of them matched file records once). */
    check_error("\u3002", 3, "no search terms");
    check_error("-", 1, "no search terms");
    check_error("\uFF0C\u3002", 6, "no search terms");
    check_error("\"\u3002\"", 5, "no search terms");
    check_error("... !? \u2605", strlen("... !? \u2605"), "no search terms");
    check_error("a OR \u3002", strlen("a OR \u3002"), "OR");
    check_error("NOT \u3002", strlen("NOT \u3002"), "NOT");
    check_error("a\xFF", 2, "UTF-8");
    check_error("\xED\xA0\x80", 3, "UTF-8");

    /* A NULL message buffer is fine. */
    pq_query *q = NULL;
    assert_int_equal(pq_parse("OR", 2, &q, NULL), 1);
    assert_null(q);
}

static void test_add_alt(void **state)
{
    (void)state;
    pq_query *q = parse("数字经济 AI");
    assert_int_equal(pq_add_alt(q, 0, "数字化  转型", strlen("数字化  转型"), PQ_EXPANDED), 0);
    assert_int_equal(pq_add_alt(q, 5, "x", 1, 0), -1);
    assert_string_equal(describe(q), "[数字经济|数字化 转型] [ai]");
    assert_int_equal(q->clauses[0].alts[1].flags, PQ_EXPANDED);
    norm_text nt = NORM_TEXT_INIT;
    const char *text = "推进数字化\u3000转型，发展AI。";
    assert_int_equal(norm_text_build(&nt, text, strlen(text)), 0);
    assert_int_equal(pq_eval(q, &nt), 1);
    norm_text_free(&nt);
    pq_free(q);
    pq_free(NULL);
}

/* ---- matching ----------------------------------------------------------- */

static void test_match_substring_and_words(void **state)
{
    (void)state;
    MATCH("数字经济", "大力发展数字经济，推进产业升级");
    NO_MATCH("数字经济", "大力发展数字，经济平稳");
    MATCH("经济 数字", "大力发展数字经济");
    NO_MATCH("经济 人工智能", "大力发展数字经济");
    MATCH("济发", "数字经济发展");                       /* no boundary rule for CJK */
    MATCH("gnu", "the GNU project");
    NO_MATCH("gnu", "uses gnulib");
    NO_MATCH("lib", "uses gnulib");
    MATCH("5g", "推进5G+工业互联网建设");
    MATCH("5G+工业互联网", "推进5G+工业互联网建设");
    NO_MATCH("5G+工业互联网", "推进5G工业互联网建设");
    MATCH("2024", "2024年");
    NO_MATCH("202", "2024年");
    MATCH("2024年", "截至2024年底");
    NO_MATCH("2024年", "截至12024年底");
    MATCH("r&d", "加大R&D投入");
    NO_MATCH("r&d", "加大R&DX投入");
    MATCH("+工业", "5G+工业");                            /* starts with punctuation: no rule */
    MATCH("发展，", "发展，推进");                        /* punctuation inside a phrase is matched */
    MATCH("2023-2025", "2023-2025年行动计划");
    NO_MATCH("2023-2025", "2023—2025年行动计划");
    MATCH("café", "CAFÉ au lait");
}

static void test_match_phrases(void **state)
{
    (void)state;
    MATCH("\"open source\"", "free and open\n  source software");
    NO_MATCH("\"open source\"", "open-source software");
    NO_MATCH("\"open source\"", "opensource");
    MATCH("\"数字 经济\"", "数字 经济");
    MATCH("数字化转型", "推进数字化\n转型工作");             /* hard wrap joined */
    MATCH("发展，推进", "发展，\n推进");
    MATCH("ＧＤＰ增长", "GDP增长6%");                     /* full-width query, half-width text */
    MATCH("gdp增长", "ＧＤＰ增长６％");                    /* and the other way round */
    MATCH("“数字经济”", "发展\"数字经济\"");
    MATCH("互\u200B联网", "工业互联网");
}

static void test_match_operators(void **state)
{
    (void)state;
    MATCH("数字经济 -区块链", "发展数字经济");
    NO_MATCH("数字经济 -区块链", "发展数字经济和区块链");
    NO_MATCH("数字经济 NOT 区块链", "发展数字经济和区块链");
    MATCH("数字经济 -gnu", "发展数字经济 gnulib");
    MATCH("人工智能 OR 区块链", "发展区块链");
    MATCH("人工智能 OR 区块链", "发展人工智能");
    NO_MATCH("人工智能 OR 区块链", "发展数字经济");
    MATCH("发展 人工智能|区块链 -元宇宙", "发展区块链");
    NO_MATCH("发展 人工智能|区块链 -元宇宙", "发展区块链和元宇宙");
    NO_MATCH("发展 人工智能|区块链", "推进区块链");
    MATCH("a AND b", "b a");
}

static void test_find(void **state)
{
    (void)state;
    pq_query *q = parse("ab");
    const pq_phrase *p = &q->clauses[0].alts[0];
    norm_text nt = NORM_TEXT_INIT;
    assert_int_equal(norm_text_build(&nt, "ab abc ab", 9), 0);
    assert_int_equal(pq_phrase_find(p, &nt, 0), 0);
    assert_int_equal(pq_phrase_find(p, &nt, 1), 7);
    assert_int_equal(pq_phrase_find(p, &nt, 8), (size_t)-1);
    assert_int_equal(pq_phrase_find(p, &nt, 100), (size_t)-1);
    assert_int_equal(norm_text_build(&nt, "a", 1), 0);
    assert_int_equal(pq_phrase_find(p, &nt, 0), (size_t)-1);
    assert_int_equal(norm_text_build(&nt, "", 0), 0);
    assert_int_equal(pq_phrase_find(p, &nt, 0), (size_t)-1);
    norm_text_free(&nt);
    pq_free(q);
}

static void test_spans(void **state)
{
    (void)state;
    assert_string_equal(spans_of("数字", "数字经济数字"), "0+2 4+2");
    /* Full-width text: one source code point per normalised one. */
    assert_string_equal(spans_of("gdp", "全年ＧＤＰ增长"), "2+3");
    /* A hard wrap inside the match: the span covers the line break. */
    assert_string_equal(spans_of("数字化转型", "推进数字化\n  转型"), "2+8");
    /* Zero-width characters before the match shift it in the source. */
    assert_string_equal(spans_of("经济", "\u200B\u200B数字经济"), "4+2");
    /* A collapsed white-space run inside a quoted phrase. */
    assert_string_equal(spans_of("\"open source\"", "an open \t source"), "3+13");
    /* Alternatives and several clauses; negated ones give no spans. */
    assert_string_equal(spans_of("发展 数字|经济 -区块链x", "发展数字经济"), "0+6");
    assert_string_equal(spans_of("ab -cd", "ab ab cd"), "0+2 3+2");
    assert_string_equal(spans_of("ab", "abc"), "");
    /* Invalid bytes count as one code point each. */
    assert_string_equal(spans_of("中", "\xFF\xFE中"), "2+1");
    /* Overlapping occurrences are all reported (then merged). */
    assert_string_equal(spans_of("哈哈", "哈哈哈 x 哈哈"), "0+3 6+2");
}

/* Counts the terms a phrase emits. */
static int count_term(void *ctx, const char *term, size_t len, enum tok_kind kind, size_t pos)
{
    (void)term;
    (void)len;
    (void)kind;
    (void)pos;
    (*(int *)ctx)++;
    return 0;
}

/* pq_phrase_term_exact of the single phrase of query s. */
static int term_exact(const char *s)
{
    pq_query *q = parse(s);
    int exact = pq_phrase_term_exact(&q->clauses[0].alts[0]);
    pq_free(q);
    return exact;
}

static void test_terms(void **state)
{
    (void)state;
    assert_int_equal(term_exact("中"), 1);
    assert_int_equal(term_exact("中国"), 1);
    assert_int_equal(term_exact("𠀀𠀁"), 1);
    assert_int_equal(term_exact("中国人"), 0);
    assert_int_equal(term_exact("gnu"), 1);
    assert_int_equal(term_exact("ＧＮＵ"), 1);
    assert_int_equal(term_exact("2024"), 1);
    assert_int_equal(term_exact("2024年"), 0);
    assert_int_equal(term_exact("r&d"), 0);
    assert_int_equal(term_exact("\"open source\""), 0);
    assert_int_equal(term_exact("发展，"), 0);
    assert_int_equal(term_exact("中,"), 0);
    assert_int_equal(term_exact("a中"), 0);

    buf longw = BUF_INIT;
    for (int i = 0; i < TOK_MAX_TERM; i++)
        assert_int_equal(buf_putc(&longw, 'w'), 0);
    assert_int_equal(term_exact(longw.data), 1);
    assert_int_equal(buf_putc(&longw, 'w'), 0);
    assert_int_equal(term_exact(longw.data), 0);
    buf_free(&longw);

    buf longq = BUF_INIT;
    assert_int_equal(buf_append(&longq, "5G+工业互联网 ", strlen("5G+工业互联网 ")), 0);
    for (int i = 0; i <= TOK_MAX_TERM; i++)
        assert_int_equal(buf_putc(&longq, 'w'), 0);
    pq_query *q = parse(longq.data);
    int n = 0;
    assert_int_equal(pq_phrase_terms(&q->clauses[0].alts[0], count_term, &n), 0);
    assert_int_equal(n, 6 + 3);     /* 5g, 4 bigrams, the unigram 网, common 工 业 联 */
    n = 0;
    assert_int_equal(pq_phrase_terms(&q->clauses[1].alts[0], count_term, &n), 0);
    assert_int_equal(n, 0);         /* a word too long for a term: the caller must scan */
    pq_free(q);
    buf_free(&longq);
}

/* Appends each term to the buf ctx, space-separated. */
static int log_term(void *ctx, const char *term, size_t len, enum tok_kind kind, size_t pos)
{
    (void)kind;
    (void)pos;
    buf *b = ctx;
    return buf_append(b, term, len) != 0 || buf_putc(b, ' ') != 0 ? -1 : 0;
}

/* Both scripts match each other by default; PQ_LITERAL keeps them apart
 * in the check but still asks the index for the folded terms. */
static void test_fold_script(void **state)
{
    (void)state;
    norm_text simp = NORM_TEXT_INIT, trad = NORM_TEXT_INIT;
    const char *ts = "提高使用價值，制定本辦法", *ss = "提高使用价值，制定本办法";
    for (int literal = 0; literal < 2; literal++) {
        unsigned flags = literal ? PQ_LITERAL : 0;
        pq_query *qt, *qs;
        assert_int_equal(pq_parse_opt("使用價值", strlen("使用價值"), flags, &qt, NULL), 0);
        assert_int_equal(pq_parse_opt("使用价值", strlen("使用价值"), flags, &qs, NULL), 0);
        assert_int_equal(pq_norm_flags(qt), literal ? 0u : (unsigned)NORM_FOLD_SCRIPT);
        assert_int_equal(norm_text_build_opt(&trad, ts, strlen(ts), pq_norm_flags(qt)), 0);
        assert_int_equal(norm_text_build_opt(&simp, ss, strlen(ss), pq_norm_flags(qt)), 0);
        assert_int_equal(pq_eval(qt, &trad), 1);
        assert_int_equal(pq_eval(qs, &simp), 1);
        assert_int_equal(pq_eval(qt, &simp), !literal);
        assert_int_equal(pq_eval(qs, &trad), !literal);
        span_list sp = SPAN_LIST_INIT;
        assert_int_equal(pq_spans(qt, &trad, &sp), 0);
        assert_int_equal(sp.n, 1);
        assert_int_equal(sp.v[0].start, 2);
        assert_int_equal(sp.v[0].len, 4);
        span_list_free(&sp);
        /* The index has folded terms only: both queries ask for them. */
        buf bt = BUF_INIT, bs = BUF_INIT;
        assert_int_equal(pq_phrase_terms(&qt->clauses[0].alts[0], log_term, &bt), 0);
        assert_int_equal(pq_phrase_terms(&qs->clauses[0].alts[0], log_term, &bs), 0);
        assert_string_equal(bt.data, bs.data);
        assert_non_null(strstr(bt.data, "价值"));
        buf_free(&bt);
        buf_free(&bs);
        /* Folded terms decide a folded two-character phrase, not a literal one. */
        assert_int_equal(pq_phrase_term_exact(&qt->clauses[0].alts[0]), 0);
        pq_free(qt);
        pq_free(qs);
        pq_query *q2;
        assert_int_equal(pq_parse_opt("價值", strlen("價值"), flags, &q2, NULL), 0);
        assert_int_equal(pq_phrase_term_exact(&q2->clauses[0].alts[0]), !literal);
        assert_int_equal(pq_add_alt(q2, 0, "辦法", strlen("辦法"), 0), 0);
        assert_int_equal((q2->clauses[0].alts[1].flags & PQ_LITERAL) != 0, literal);
        assert_string_equal(q2->clauses[0].alts[1].utf8, literal ? "辦法" : "办法");
        pq_free(q2);
    }
    norm_text_free(&simp);
    norm_text_free(&trad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_parts),
        cmocka_unit_test(test_fold_script),
        cmocka_unit_test(test_parse_quotes),
        cmocka_unit_test(test_parse_operators),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_add_alt),
        cmocka_unit_test(test_match_substring_and_words),
        cmocka_unit_test(test_match_phrases),
        cmocka_unit_test(test_match_operators),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
