/* test_text.c — unit tests for utf8, normalize and tokenize. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "normalize.h"
#include "termbag.h"
#include "tokenize.h"
#include "utf8.h"

/* ---- buf: the sticky forms ---------------------------------------------- */

/* The sticky forms append as the plain ones do, keep the first error, do
 * nothing once one is held, and turn a failed growth into PS_NOMEM with
 * the array left as it was. */
static void test_buf_sticky(void **state)
{
    (void)state;
    ps_err e = PS_ERR_INIT;
    buf b = BUF_INIT;
    assert_int_equal(buf_eputs(&e, &b, "a"), PS_OK);
    assert_int_equal(buf_eputc(&e, &b, 'b'), PS_OK);
    assert_int_equal(buf_eappend(&e, &b, "cd", 1), PS_OK);
    assert_int_equal(buf_eprintf(&e, &b, "%d%s", 42, "x"), PS_OK);
    assert_int_equal(buf_eput_utf8(&e, &b, 0x4E2D), PS_OK);
    assert_int_equal(b.len, 9);
    assert_memory_equal(b.data, "abc42x\xE4\xB8\xAD", 9);

    int *v = NULL;
    size_t cap = 0;
    assert_int_equal(ARRAY_EGROW(&e, v, cap, 3), PS_OK);
    assert_true(cap >= 3 && v != NULL);
    size_t had = cap;
    int *was = v;
    /* An impossible size fails like an exhausted heap: PS_NOMEM, nothing changed. */
    assert_int_equal(ARRAY_EGROW(&e, v, cap, SIZE_MAX), PS_NOMEM);
    assert_int_equal(e.code, PS_NOMEM);
    assert_string_equal(e.msg, "out of memory");
    assert_ptr_equal(v, was);
    assert_int_equal(cap, had);

    /* Once e holds an error nothing is done, and its code comes back. */
    ps_err_clear(&e);
    ps_err_set(&e, PS_INPUT, "earlier");
    assert_int_equal(buf_eputs(&e, &b, "zz"), PS_INPUT);
    assert_int_equal(buf_eprintf(&e, &b, "%s", "zz"), PS_INPUT);
    assert_int_equal(ARRAY_EGROW(&e, v, cap, cap + 100), PS_INPUT);
    assert_int_equal(b.len, 9);
    assert_int_equal(cap, had);
    assert_string_equal(e.msg, "earlier");

    /* Without a ps_err the code is still returned. */
    assert_int_equal(buf_eputs(NULL, &b, "!"), PS_OK);
    assert_int_equal(buf_egrow_array(NULL, (void **)&v, &cap, SIZE_MAX, sizeof *v), PS_NOMEM);
    assert_int_equal(b.len, 10);
    free(v);
    buf_free(&b);
}

/* The one uint64_t order: extremes that a subtraction would wrap sort
 * right, repeats go, and bsearch finds by it. */
static void test_buf_u64(void **state)
{
    (void)state;
    uint64_t v[] = { UINT64_MAX, 0, 1ull << 63, 5, 0, UINT64_MAX, 5 };
    size_t n = buf_sort_unique_u64(v, sizeof v / sizeof *v);
    assert_int_equal(n, 4);
    const uint64_t want[] = { 0, 5, 1ull << 63, UINT64_MAX };
    assert_memory_equal(v, want, sizeof want);
    uint64_t key = 1ull << 63;
    assert_ptr_equal(bsearch(&key, v, n, sizeof *v, buf_cmp_u64), &v[2]);
    key = 6;
    assert_null(bsearch(&key, v, n, sizeof *v, buf_cmp_u64));
    assert_int_equal(buf_sort_unique_u64(v, 1), 1);
    assert_int_equal(buf_sort_unique_u64(v, 0), 0);
}

/* ---- utf8 --------------------------------------------------------------- */

/* Decode the byte string s (n bytes); return the length utf8_decode gave. */
static int decode(const char *s, size_t n, uint32_t *cp)
{
    return utf8_decode((const unsigned char *)s, n, cp);
}

static void test_decode_valid(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(decode("\xC2\x80", 2, &cp), 2);
    assert_int_equal(cp, 0x80);
    assert_int_equal(decode("\xDF\xBF", 2, &cp), 2);
    assert_int_equal(cp, 0x7FF);
    assert_int_equal(decode("中", 3, &cp), 3);
    assert_int_equal(cp, 0x4E2D);
    assert_int_equal(decode("\xEF\xBF\xBF", 3, &cp), 3);
    assert_int_equal(cp, 0xFFFF);
    assert_int_equal(decode("𠀀", 4, &cp), 4);
    assert_int_equal(cp, 0x20000);
    assert_int_equal(decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
    assert_int_equal(cp, 0x10FFFF);
}

static void test_decode_invalid(void **state)
{
    (void)state;
    static const struct { const char *s; size_t n; } bad[] = {
        { "\x80", 1 },                  /* lone continuation */
        { "\xBF", 1 },
        { "\xC0\xAF", 2 },              /* overlong '/' */
        { "\xC1\xBF", 2 },
        { "\xE0\x80\xAF", 3 },          /* overlong, three bytes */
        { "\xE0\x9F\xBF", 3 },
        { "\xF0\x80\x80\xAF", 4 },      /* overlong, four bytes */
        { "\xF0\x8F\xBF\xBF", 4 },
        { "\xED\xA0\x80", 3 },          /* surrogate D800 */
        { "\xED\xBF\xBF", 3 },          /* surrogate DFFF */
        { "\xF4\x90\x80\x80", 4 },      /* U+110000 */
        { "\xF5\x80\x80\x80", 4 },
        { "\xFF", 1 },
        { "\xE4\xB8", 2 },              /* truncated 中 */
        { "\xF0\xA0\x80", 3 },          /* truncated 𠀀 */
        { "\xC2", 1 },
        { "\xE4\x41\xAD", 3 },          /* bad continuation */
        { "", 0 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t cp = 0;
        assert_int_equal(decode(bad[i].s, bad[i].n, &cp), -1);
        assert_int_equal(cp, UTF8_REPLACEMENT);
    }
}

static void test_validate_count_offset(void **state)
{
    (void)state;
    const char *ok = "abcdefghij中文𠀀xyz0123456789";
    size_t n = strlen(ok);
    assert_int_equal(utf8_validate(ok, n), n);
    assert_int_equal(utf8_count(ok, n), 10 + 3 + 3 + 10);
    assert_int_equal(utf8_offset(ok, n, 10), 10);
    assert_int_equal(utf8_offset(ok, n, 11), 13);
    assert_int_equal(utf8_offset(ok, n, 12), 16);
    assert_int_equal(utf8_offset(ok, n, 13), 20);
    assert_int_equal(utf8_offset(ok, n, 26), n);
    assert_int_equal(utf8_offset(ok, n, 1000), n);

    const char *bad = "0123456789abcdef\xED\xA0\x80zz";
    assert_int_equal(utf8_validate(bad, strlen(bad)), 16);
    assert_int_equal(utf8_validate("ab\xE4\xB8", 4), 2);
    assert_int_equal(utf8_validate("", 0), 0);
}

static void test_uclass(void **state)
{
    (void)state;
    static const struct { uint32_t cp; enum uclass cls; } v[] = {
        { 'a', UC_WORD }, { 'Z', UC_WORD }, { '0', UC_WORD }, { '_', UC_WORD },
        { '-', UC_BREAK }, { '+', UC_BREAK }, { '&', UC_BREAK }, { 0, UC_BREAK },
        { ' ', UC_SPACE }, { '\t', UC_SPACE }, { '\n', UC_SPACE }, { '\r', UC_SPACE },
        { 0xA0, UC_SPACE }, { 0x1680, UC_SPACE }, { 0x2003, UC_SPACE }, { 0x2028, UC_SPACE },
        { 0x202F, UC_SPACE }, { 0x205F, UC_SPACE }, { 0x3000, UC_SPACE },
        { 0xAA, UC_WORD }, { 0xB5, UC_WORD }, { 0xBA, UC_WORD }, { 0xC0, UC_WORD },
        { 0xE9, UC_WORD }, { 0xFF, UC_WORD }, { 0xD7, UC_BREAK }, { 0xF7, UC_BREAK },
        { 0xB7, UC_BREAK }, { 0x0101, UC_WORD }, { 0x1EA1, UC_WORD }, { 0x03B1, UC_WORD },
        { 0x0416, UC_WORD },
        { 0x4E00, UC_CJK }, { 0x9FFF, UC_CJK }, { 0x3400, UC_CJK }, { 0x4DBF, UC_CJK },
        { 0xF900, UC_CJK }, { 0x20000, UC_CJK }, { 0x2A6DF, UC_CJK }, { 0x2FA1F, UC_CJK },
        { 0x30000, UC_CJK }, { 0x323AF, UC_CJK }, { 0x2E80, UC_CJK }, { 0x2F00, UC_CJK },
        { 0x3005, UC_CJK }, { 0x3006, UC_CJK }, { 0x3007, UC_CJK }, { 0x3042, UC_CJK },
        { 0x30A2, UC_CJK }, { 0x31F0, UC_CJK }, { 0xFF71, UC_CJK }, { 0xAC00, UC_CJK },
        { 0xD7A3, UC_CJK }, { 0x1100, UC_CJK }, { 0x3131, UC_CJK }, { 0x3105, UC_CJK },
        { 0x3001, UC_BREAK }, { 0x3002, UC_BREAK }, { 0x300A, UC_BREAK }, { 0xFF0C, UC_BREAK },
        { 0xFF08, UC_BREAK }, { 0x201C, UC_BREAK }, { 0x2026, UC_BREAK }, { 0x1F600, UC_BREAK },
        { 0xFFFD, UC_BREAK }, { 0x2FA20, UC_BREAK }, { 0x323B0, UC_BREAK }, { 0x10FFFF, UC_BREAK },
        { 0x30FB, UC_BREAK }, { 0xE000, UC_BREAK },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        if (uclass_of(v[i].cp) != v[i].cls)
            fail_msg("U+%04X: class %d, expected %d", (unsigned)v[i].cp,
                     (int)uclass_of(v[i].cp), (int)v[i].cls);
    }
}

/* ---- normalize ---------------------------------------------------------- */

/* The normalised text of nt as UTF-8 in a static buffer. */
static const char *nt_str(const norm_text *nt)
{
    static char out[1024];
    buf b = BUF_INIT;
    for (size_t i = 0; i < nt->len; i++)
        assert_int_equal(buf_put_utf8(&b, nt->cp[i]), 0);
    assert_true(b.len < sizeof out);
    memcpy(out, b.data ? b.data : "", b.len + 1);
    buf_free(&b);
    return out;
}

/* Normalise s and compare the result with want. */
static void check_norm(norm_text *nt, const char *s, const char *want)
{
    assert_int_equal(norm_text_build(nt, s, strlen(s)), 0);
    assert_string_equal(nt_str(nt), want);
}

static void test_norm_fullwidth_case(void **state)
{
    (void)state;
    norm_text nt = NORM_TEXT_INIT;
    check_norm(&nt, "ＡＢＣ１２３", "abc123");
    check_norm(&nt, "Ｒ＆Ｄ", "r&d");
    check_norm(&nt, "5G+工业互联网", "5g+工业互联网");
    check_norm(&nt, "（一）加快发展，推进改革。", "(一)加快发展,推进改革。");
    check_norm(&nt, "ÀÉÎÕÜ Ÿ ĀŁŽ", "àéîõü ÿ āłž");
    check_norm(&nt, "ΑΒΓ Ά ΜΟΣΚΒΑ", "αβγ ά μοσκβα");
    check_norm(&nt, "МОСКВА Ё", "москва ё");
    check_norm(&nt, "ß×÷", "ß×÷");
    check_norm(&nt, "ǄǅǇ ƁƎ ẞ İ", "ǆǆǉ ɓǝ ß i");
    assert_int_equal(norm_char(0xFF21), 'a');
    assert_int_equal(norm_char(0x3000), ' ');
    assert_int_equal(norm_char(0x4E2D), 0x4E2D);
    norm_text_free(&nt);
}

static void test_norm_quotes_zero_width(void **state)
{
    (void)state;
    norm_text nt = NORM_TEXT_INIT;
    check_norm(&nt, "“数字经济”‘a’„b‟〝c〞＂d＂", "\"数字经济\"'a'\"b\"\"c\"\"d\"");
    check_norm(&nt, "数\u200B字\u200C经\u200D济\u2060发\uFEFF展\u00AD", "数字经济发展");
    check_norm(&nt, "in\u00ADter\u200Bnet", "internet");
    norm_text_free(&nt);
}

static void test_norm_whitespace(void **state)
{
    (void)state;
    norm_text nt = NORM_TEXT_INIT;
    check_norm(&nt, "a  \t b", "a b");
    check_norm(&nt, "a\u3000\u00A0b", "a b");
    check_norm(&nt, "  a b  ", " a b ");
    check_norm(&nt, "", "");
    check_norm(&nt, " \n ", " ");
    check_norm(&nt, "推进\n数字化", "推进数字化");                 /* hard wrap joins */
    check_norm(&nt, "推进 \r\n  数字化", "推进数字化");
    check_norm(&nt, "推进 数字化", "推进 数字化");                 /* no line break: kept */
    check_norm(&nt, "推进\u3000数字化", "推进 数字化");
    check_norm(&nt, "open\nsource", "open source");               /* Latin keeps its space */
    check_norm(&nt, "推进\nAI", "推进 ai");
    check_norm(&nt, "R&D\n发展", "r&d 发展");
    check_norm(&nt, "发展，\n推进。\n（一）", "发展,推进。(一)");  /* wide punctuation joins too */
    check_norm(&nt, "\n中国", " 中国");
    check_norm(&nt, "中\u200B\n国", "中国");
    norm_text_free(&nt);
}

/* Traditional folds to simplified one code point to one, offsets unchanged;
 * NORM_FOLD_SCRIPT left out keeps the text's own script. */
static void test_norm_fold_script(void **state)
{
    (void)state;
    norm_text nt = NORM_TEXT_INIT;
    check_norm(&nt, "使用價值", "使用价值");
    check_norm(&nt, "為了推進科技成果轉化", "为了推进科技成果转化");
    check_norm(&nt, "後來 乾燥 幹部 於是 裡面 裏面", "后来 干燥 干部 于是 里面 里面");
    check_norm(&nt, "敍述 衞生 枱面", "叙述 卫生 台面");      /* Hong Kong variants */
    check_norm(&nt, "薴", "苎");                              /* a chain, followed to its end */
    check_norm(&nt, "使用价值 著作 么 抬 覆盖", "使用价值 著作 么 抬 覆盖");  /* simplified stays */
    assert_int_equal(norm_char(0x50F9), 0x4EF7);             /* 價 -> 价 */
    assert_int_equal(norm_char_literal(0x50F9), 0x50F9);
    assert_int_equal(norm_char(0x3400), 0x3400);
    assert_int_equal(norm_fold_script(0x2FFFF), 0x2FFFF);
    assert_int_equal(norm_fold_script(0x10FFFF), 0x10FFFF);
    assert_int_equal(norm_fold_script('A'), 'A');
    assert_int_equal(norm_fold_script(0x9A6A), 0x9A8A);      /* 驪 -> 骊 */
    /* Idempotent over every code point the table can hold. */
    for (uint32_t c = 0; c < 0x30000; c++)
        assert_int_equal(norm_fold_script(norm_fold_script(c)), norm_fold_script(c));

    /* Offsets: ＡＢ(0,1) 價(2) \n(3) 值(4) ' '(5) 後(6) */
    const char *s = "ＡＢ價\n值 後";
    assert_int_equal(norm_text_build(&nt, s, strlen(s)), 0);
    assert_string_equal(nt_str(&nt), "ab价值 后");
    static const uint32_t want[] = { 0, 1, 2, 4, 5, 6 };
    assert_int_equal(nt.len, 6);
    for (size_t i = 0; i < nt.len; i++)
        assert_int_equal(nt.orig[i], want[i]);
    assert_int_equal(norm_text_build_opt(&nt, s, strlen(s), 0), 0);
    assert_string_equal(nt_str(&nt), "ab價值 後");
    for (size_t i = 0; i < nt.len; i++)
        assert_int_equal(nt.orig[i], want[i]);
    assert_int_equal(norm_text_build_opt(&nt, s, strlen(s), NORM_FOLD_SCRIPT), 0);
    assert_string_equal(nt_str(&nt), "ab价值 后");
    norm_text_free(&nt);
}

static void test_norm_orig(void **state)
{
    (void)state;
    norm_text nt = NORM_TEXT_INIT;
    /* source: Ａ(0) Ｂ(1) 中(2) \n(3) 国(4) ' '(5) ' '(6) x(7) \u200B(8) y(9) */
    const char *s = "ＡＢ中\n国  x\u200By";
    assert_int_equal(norm_text_build(&nt, s, strlen(s)), 0);
    assert_string_equal(nt_str(&nt), "ab中国 xy");
    static const uint32_t want[] = { 0, 1, 2, 4, 5, 7, 9 };
    assert_int_equal(nt.len, 7);
    assert_int_equal(nt.src_len, 10);
    for (size_t i = 0; i < nt.len; i++)
        assert_int_equal(nt.orig[i], want[i]);
    assert_int_equal(utf8_count(s, strlen(s)), nt.src_len);
    norm_text_free(&nt);
}

static void test_norm_invalid_bytes(void **state)
{
    (void)state;
    norm_text nt = NORM_TEXT_INIT;
    /* a, 3 bad bytes (truncated 中 then lone continuation), b, surrogate (3 bad bytes), c */
    const char s[] = "a\xE4\xB8\x80\x80" "b\xED\xA0\x80" "c";
    assert_int_equal(norm_text_build(&nt, s, sizeof s - 1), 0);
    /* E4 B8 80 is a valid 一, so only the lone 80 is bad */
    assert_string_equal(nt_str(&nt), "a一\uFFFDb\uFFFD\uFFFD\uFFFDc");
    assert_int_equal(nt.src_len, 8);
    static const uint32_t want[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
    assert_int_equal(nt.len, 8);
    for (size_t i = 0; i < nt.len; i++)
        assert_int_equal(nt.orig[i], want[i]);

    const char t[] = "\xE4\xB8x\xFF";
    assert_int_equal(norm_text_build(&nt, t, sizeof t - 1), 0);
    assert_string_equal(nt_str(&nt), "\uFFFD\uFFFDx\uFFFD");
    assert_int_equal(nt.src_len, 4);
    norm_text_free(&nt);
}

static void test_norm_reuse_and_long(void **state)
{
    (void)state;
    norm_text nt = NORM_TEXT_INIT;
    buf big = BUF_INIT;
    for (int i = 0; i < 5000; i++)
        assert_int_equal(buf_puts(&big, "中Ａ "), 0);
    assert_int_equal(norm_text_build(&nt, big.data, big.len), 0);
    assert_int_equal(nt.len, 15000);
    assert_int_equal(nt.src_len, 15000);
    assert_int_equal(nt.cp[14998], 'a');
    assert_int_equal(nt.orig[14998], 14998);
    size_t cap = nt.cap;
    check_norm(&nt, "Ｘ", "x");
    assert_int_equal(nt.cap, cap);      /* the allocation is reused */
    assert_int_equal(nt.src_len, 1);
    buf_free(&big);
    norm_text_free(&nt);
    assert_null(nt.cp);
    assert_int_equal(nt.len, 0);
}

/* ---- tokenize ----------------------------------------------------------- */

typedef struct term_log {
    buf    text;                     /* the terms, separated by single spaces */
    size_t count;                    /* terms emitted */
    int    stop_after;               /* return 7 after this many terms (0: never) */
    int    with_common;              /* 1: log TOK_COMMON terms as "+X"; 0: drop them */
} term_log;

/* tok_emit_fn that logs each term; checks the kind matches the term. */
static int log_term(void *ctx, const char *term, size_t len, enum tok_kind kind, size_t pos)
{
    term_log *log = ctx;
    (void)pos;
    if (kind == TOK_COMMON && !log->with_common)
        return 0;
    size_t ncp = utf8_count(term, len);
    if (kind == TOK_UNIGRAM || kind == TOK_COMMON)
        assert_int_equal(ncp, 1);
    else if (kind == TOK_BIGRAM)
        assert_int_equal(ncp, 2);
    assert_true(len > 0 && len <= TOK_MAX_TERM);
    assert_false(term[0] >= 'A' && term[0] <= 'Z');
    if (log->count++)
        assert_int_equal(buf_putc(&log->text, ' '), 0);
    if (kind == TOK_COMMON)                         /* written "+X" */
        assert_int_equal(buf_putc(&log->text, '+'), 0);
    assert_int_equal(buf_append(&log->text, term, len), 0);
    return log->stop_after && (int)log->count == log->stop_after ? 7 : 0;
}

/* Tokenise the normalised s and compare the terms with want; common
 * characters' extra unigrams are left out unless with_common is set. */
static void check_terms_common(const char *s, const char *want, int with_common)
{
    norm_text nt = NORM_TEXT_INIT;
    term_log log = { BUF_INIT, 0, 0, with_common };
    assert_int_equal(norm_text_build(&nt, s, strlen(s)), 0);
    assert_int_equal(tok_terms(&nt, 0, nt.len, log_term, &log), 0);
    if (strcmp(log.text.data ? log.text.data : "", want) != 0)
        fail_msg("terms of \"%s\":\n  got  \"%s\"\n  want \"%s\"", s,
                 log.text.data ? log.text.data : "", want);
    buf_free(&log.text);
    norm_text_free(&nt);
}

static void check_terms(const char *s, const char *want)
{
    check_terms_common(s, want, 0);
}

static void test_tok_basic(void **state)
{
    (void)state;
    check_terms("", "");
    check_terms("中", "中");
    check_terms("a", "a");
    check_terms("，。！？、——……《》 ,.;:!?\"'()", "");
    check_terms("5G+工业互联网", "5g 工业 业互 互联 联网 网");
    check_terms("R&D", "r d");
    check_terms("Ｒ＆Ｄ", "r d");
    check_terms("2024年", "2024 年");
    check_terms("中，国", "中 国");
    check_terms("中 国", "中 国");
    check_terms("中\n国", "中国 国");
    check_terms("2023-2025年", "2023 2025 年");
    check_terms("GDP增长6.5%", "gdp 增长 长 6 5");
    check_terms("𠀀𠀁中", "𠀀𠀁 𠀁中 中");
    check_terms("〇七々", "〇七 七々 々");
    check_terms("Café naïve", "café naïve");
    check_terms("snake_case x", "snake_case x");
}

/* Lucene's TestCJKAnalyzer vectors: CJKAnalyzer emits the bigrams (and a
 * lone character as a unigram); we emit the bigrams and the unigram of
 * each run's last character (tokenize.h). */
static void test_tok_lucene_cjk(void **state)
{
    (void)state;
    check_terms("一二三四五六七八九十",
                "一二 二三 三四 四五 五六 六七 七八 八九 九十 十");
    check_terms("一 二三四 五六七八九 十",
                "一 二三 三四 四 五六 六七 七八 八九 九 十");
    check_terms("abc defgh ijklmn opq rstu vw xy z", "abc defgh ijklmn opq rstu vw xy z");
    check_terms("あいうえおabcかきくけこ",
                "あい いう うえ えお お abc かき きく くけ けこ こ");
    check_terms("あいうえおabんcかきくけ こ",
                "あい いう うえ えお お ab ん c かき きく くけ け こ");
    check_terms("一丁丂", "一丁 丁丂 丂");
    check_terms("𩬅艱鍟䇹愯瀛", "𩬅艰 艰鍟 鍟䇹 䇹愯 愯瀛 瀛");     /* 艱 folds to 艰 */
    check_terms("안녕하세요", "안녕 녕하 하세 세요 요");
    check_terms("一 روبرت موير", "一 روبرت موير");
    check_terms("abc defgh一二三", "abc defgh 一二 二三 三");
}

static void test_tok_long_word_and_range(void **state)
{
    (void)state;
    buf s = BUF_INIT;
    for (int i = 0; i < TOK_MAX_TERM; i++)
        assert_int_equal(buf_putc(&s, 'x'), 0);
    buf want = BUF_INIT;
    assert_int_equal(buf_append(&want, s.data, s.len), 0);
    assert_int_equal(buf_puts(&want, " 中"), 0);
    assert_int_equal(buf_puts(&s, " 中"), 0);
    check_terms(s.data, want.data);                 /* exactly TOK_MAX_TERM: kept */
    buf_clear(&s);
    for (int i = 0; i <= TOK_MAX_TERM; i++)
        assert_int_equal(buf_putc(&s, 'y'), 0);
    assert_int_equal(buf_puts(&s, " ok 中"), 0);
    check_terms(s.data, "ok 中");                  /* one byte too long: skipped */
    buf_clear(&s);
    for (int i = 0; i < 101; i++)
        assert_int_equal(buf_puts(&s, "é"), 0);    /* 202 bytes in 101 characters */
    check_terms(s.data, "");
    buf_clear(&s);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(buf_puts(&s, "长"), 0);    /* CJK runs have no length limit */
    assert_int_equal(buf_puts(&s, " "), 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(buf_puts(&s, "z"), 0);    /* a word far past the term buffer */
    norm_text lt = NORM_TEXT_INIT;
    term_log ll = { BUF_INIT, 0, 0, 0 };
    assert_int_equal(norm_text_build(&lt, s.data, s.len), 0);
    assert_int_equal(tok_terms(&lt, 0, lt.len, log_term, &ll), 0);
    assert_int_equal(ll.count, 999 + 1);     /* bigrams and the last unigram */
    buf_free(&ll.text);
    norm_text_free(&lt);
    buf_free(&s);
    buf_free(&want);

    /* A sub-range clips runs and bigrams at its ends; positions are absolute. */
    norm_text nt = NORM_TEXT_INIT;
    term_log log = { BUF_INIT, 0, 0, 0 };
    assert_int_equal(norm_text_build(&nt, "abc中国人", 12), 0);
    assert_int_equal(tok_terms(&nt, 1, 5, log_term, &log), 0);
    assert_string_equal(log.text.data, "bc 中国 国");
    buf_free(&log.text);

    /* A non-zero return stops tokenising and is passed back. */
    term_log stop = { BUF_INIT, 0, 2, 0 };
    assert_int_equal(tok_terms(&nt, 0, nt.len, log_term, &stop), 7);
    assert_string_equal(stop.text.data, "abc 中国");
    buf_free(&stop.text);
    norm_text_free(&nt);
}

/* A common character gives a unigram at every occurrence, just before the
 * bigram it begins (at a run's end it is the run-end unigram, once); a
 * rare one only where it ends a run.  Traditional forms are common too. */
static void test_tok_common(void **state)
{
    (void)state;
    assert_true(tok_is_common(0x7684));             /* 的 */
    assert_true(tok_is_common(0x4E00));             /* 一 */
    assert_true(tok_is_common(0x4E1A));             /* 业 */
    assert_true(tok_is_common(0x70BA));             /* 為, traditional 为 */
    assert_true(tok_is_common(0x6642));             /* 時, traditional 时 */
    assert_false(tok_is_common(0x9F98));            /* 龘 */
    assert_false(tok_is_common(0x5B5A));            /* 孚 */
    assert_false(tok_is_common('a'));
    assert_false(tok_is_common(0x20000));           /* plane 2 */
    check_terms_common("的", "的", 1);
    check_terms_common("我的书", "+我 我的 +的 的书 书", 1);
    check_terms_common("龘孚的", "龘孚 孚的 的", 1);
    check_terms_common("的的", "+的 的的 的", 1);
    check_terms_common("時間 a", "+时 时间 间 a", 1);     /* folded to simplified first */
    check_terms_common("5G+工业互联网", "5g +工 工业 +业 业互 互联 +联 联网 网", 1);
}

/* The count of term in bag, or 0. */
static unsigned bag_count(const termbag *b, const char *term)
{
    const xs_term *t = termbag_terms(b);
    for (size_t i = 0; i < termbag_count(b); i++)
        if (t[i].len == strlen(term) && memcmp(b->bytes.data + t[i].off, term, t[i].len) == 0)
            return t[i].wdf;
    return 0;
}

/* Each distinct term once, in first-seen order, with its count; clearing
 * forgets them (also across the generation counter's wrap); many terms
 * grow the table without losing any. */
static void test_termbag(void **state)
{
    (void)state;
    termbag b = TERMBAG_INIT;
    const char *seq[] = { "中国", "国人", "中国", "的", "中国", "a", "的" };
    for (size_t i = 0; i < sizeof seq / sizeof *seq; i++)
        assert_int_equal(termbag_add(&b, seq[i], strlen(seq[i])), 0);
    assert_int_equal(termbag_count(&b), 4);
    assert_int_equal(bag_count(&b, "中国"), 3);
    assert_int_equal(bag_count(&b, "国人"), 1);
    assert_int_equal(bag_count(&b, "的"), 2);
    assert_int_equal(bag_count(&b, "a"), 1);
    assert_int_equal(termbag_terms(&b)[0].len, strlen("中国"));
    assert_memory_equal(b.bytes.data + termbag_terms(&b)[3].off, "a", 1);

    termbag_clear(&b);
    assert_int_equal(termbag_count(&b), 0);
    assert_int_equal(termbag_add(&b, "国人", strlen("国人")), 0);
    assert_int_equal(bag_count(&b, "国人"), 1);
    assert_int_equal(bag_count(&b, "中国"), 0);

    termbag_clear(&b);
    char t[16];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 5000; i++) {
            snprintf(t, sizeof t, "w%d", i);
            assert_int_equal(termbag_add(&b, t, strlen(t)), 0);
        }
    assert_int_equal(termbag_count(&b), 5000);
    assert_int_equal(bag_count(&b, "w0"), 2);
    assert_int_equal(bag_count(&b, "w4999"), 2);

    b.gen = UINT32_MAX;              /* the next clear wraps */
    termbag_clear(&b);
    assert_int_equal(termbag_add(&b, "w7", 2), 0);
    assert_int_equal(termbag_count(&b), 1);
    assert_int_equal(bag_count(&b, "w7"), 1);
    termbag_free(&b);
    assert_null(termbag_terms(&b));
}

/* Records positions of the emitted terms. */
static int log_pos(void *ctx, const char *term, size_t len, enum tok_kind kind, size_t pos)
{
    buf *b = ctx;
    (void)term;
    (void)len;
    return buf_printf(b, "%d@%zu ", (int)kind, pos);
}

static void test_tok_positions(void **state)
{
    (void)state;
    norm_text nt = NORM_TEXT_INIT;
    buf b = BUF_INIT;
    assert_int_equal(norm_text_build(&nt, "ab 中国", strlen("ab 中国")), 0);
    assert_int_equal(tok_terms(&nt, 0, nt.len, log_pos, &b), 0);
    assert_string_equal(b.data, "3@0 4@3 2@3 1@4 ");   /* 中 is common */
    buf_free(&b);
    norm_text_free(&nt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_sticky),
        cmocka_unit_test(test_buf_u64),
        cmocka_unit_test(test_decode_valid),
        cmocka_unit_test(test_tok_common),
        cmocka_unit_test(test_termbag),
        cmocka_unit_test(test_decode_invalid),
        cmocka_unit_test(test_validate_count_offset),
        cmocka_unit_test(test_uclass),
        cmocka_unit_test(test_norm_fullwidth_case),
        cmocka_unit_test(test_norm_quotes_zero_width),
        cmocka_unit_test(test_norm_whitespace),
        cmocka_unit_test(test_norm_orig),
        cmocka_unit_test(test_norm_fold_script),
        cmocka_unit_test(test_norm_invalid_bytes),
        cmocka_unit_test(test_norm_reuse_and_long),
        cmocka_unit_test(test_tok_basic),
        cmocka_unit_test(test_tok_lucene_cjk),
        cmocka_unit_test(test_tok_long_word_and_range),
        cmocka_unit_test(test_tok_positions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
