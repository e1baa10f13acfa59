/* test_snippet.c — unit tests for span lists and snippets (span.c,
 * snippet.c); result output is in test_output.c.
 *
 * Snippet highlights are checked the way a reader would check them: cut the
 * highlighted code points out of the snippet text and compare them with the
 * text that matched in the paragraph. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "snippet.h"
#include "span.h"

#define ELLIPSIS "\xE2\x80\xA6"

/* ---- helpers ------------------------------------------------------------ */

/* Number of code points in valid UTF-8 s[0..n). */
static size_t cp_count(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* Byte offset of code point idx in valid UTF-8 s[0..n) (n past the end). */
static size_t cp_offset(const char *s, size_t n, size_t idx)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && c++ == idx)
            return i;
    return n;
}

/* Copy code points [start, start+len) of s into out (NUL-terminated). */
static void cp_sub(const char *s, size_t n, size_t start, size_t len, char *out, size_t outsz)
{
    size_t a = cp_offset(s, n, start), b = cp_offset(s, n, start + len);
    assert_true(b - a < outsz);
    memcpy(out, s + a, b - a);
    out[b - a] = '\0';
}

/* A paragraph of `count` code points cycling through distinct Han
 * characters that are not punctuation, appended to b. */
static void filler(buf *b, size_t count)
{
    static const char *han[] = { "甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸" };
    for (size_t i = 0; i < count; i++)
        assert_int_equal(buf_puts(b, han[i % 10]), 0);
}

/* Assert that every highlight of sn shows the same code points as the
 * paragraph text[0..n) at the corresponding source position. */
static void check_highlights_match_source(const snippet *sn, const char *text, size_t n)
{
    size_t lead = sn->src_start > 0;
    for (size_t k = 0; k < sn->hl.n; k++) {
        char a[1024], b[1024];
        cp_sub(sn->text, sn->len, sn->hl.v[k].start, sn->hl.v[k].len, a, sizeof a);
        cp_sub(text, n, sn->hl.v[k].start - lead + sn->src_start, sn->hl.v[k].len, b, sizeof b);
        assert_string_equal(a, b);
        assert_true(sn->hl.v[k].start + sn->hl.v[k].len <= cp_count(sn->text, sn->len));
    }
}

/* ---- span --------------------------------------------------------------- */

static void test_span_merge_overlap(void **state)
{
    (void)state;
    span_list l = SPAN_LIST_INIT;
    assert_int_equal(span_push(&l, 0, 3), 0);
    assert_int_equal(span_push(&l, 2, 3), 0);
    span_merge(&l);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].start, 0);
    assert_int_equal(l.v[0].len, 5);
    span_list_free(&l);
}

static void test_span_merge_adjacent_and_gap(void **state)
{
    (void)state;
    span_list l = SPAN_LIST_INIT;
    assert_int_equal(span_push(&l, 0, 2), 0);
    assert_int_equal(span_push(&l, 2, 2), 0);
    assert_int_equal(span_push(&l, 5, 1), 0);
    span_merge(&l);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.v[0].start, 0);
    assert_int_equal(l.v[0].len, 4);
    assert_int_equal(l.v[1].start, 5);
    assert_int_equal(l.v[1].len, 1);
    span_list_free(&l);
}

static void test_span_merge_containment(void **state)
{
    (void)state;
    span_list l = SPAN_LIST_INIT;
    assert_int_equal(span_push(&l, 0, 10), 0);
    assert_int_equal(span_push(&l, 2, 3), 0);
    assert_int_equal(span_push(&l, 9, 1), 0);
    span_merge(&l);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].start, 0);
    assert_int_equal(l.v[0].len, 10);
    span_list_free(&l);
}

static void test_span_merge_unsorted(void **state)
{
    (void)state;
    span_list l = SPAN_LIST_INIT;
    assert_int_equal(span_push(&l, 10, 2), 0);
    assert_int_equal(span_push(&l, 0, 2), 0);
    assert_int_equal(span_push(&l, 5, 1), 0);
    assert_int_equal(span_push(&l, 11, 4), 0);
    span_merge(&l);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.v[0].start, 0);
    assert_int_equal(l.v[1].start, 5);
    assert_int_equal(l.v[2].start, 10);
    assert_int_equal(l.v[2].len, 5);
    span_list_free(&l);
}

static void test_span_empty(void **state)
{
    (void)state;
    span_list l = SPAN_LIST_INIT;
    span_merge(&l);
    assert_int_equal(l.n, 0);
    assert_int_equal(span_push(&l, 3, 0), 0);   /* zero length is ignored */
    assert_int_equal(l.n, 0);
    assert_int_equal(span_push(&l, 3, 1), 0);
    span_merge(&l);
    assert_int_equal(l.n, 1);
    span_clear(&l);
    assert_int_equal(l.n, 0);
    span_list_free(&l);
    assert_null(l.v);
}

/* ---- snippet ------------------------------------------------------------ */

static void test_snip_empty(void **state)
{
    (void)state;
    snippet sn = SNIPPET_INIT;
    assert_int_equal(snip_build("", 0, NULL, 80, &sn), 0);
    assert_non_null(sn.text);
    assert_string_equal(sn.text, "");
    assert_int_equal(sn.len, 0);
    assert_int_equal(sn.hl.n, 0);
    assert_int_equal(sn.src_start, 0);
    assert_int_equal(sn.src_end, 0);
    snippet_free(&sn);
    assert_null(sn.text);
}

static void test_snip_single_char(void **state)
{
    (void)state;
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    assert_int_equal(span_push(&m, 0, 1), 0);
    assert_int_equal(snip_build("中", strlen("中"), &m, 80, &sn), 0);
    assert_string_equal(sn.text, "中");
    assert_int_equal(sn.hl.n, 1);
    assert_int_equal(sn.hl.v[0].start, 0);
    assert_int_equal(sn.hl.v[0].len, 1);
    assert_int_equal(sn.src_end, 1);
    snippet_free(&sn);
    span_list_free(&m);
}

static void test_snip_fits_whole(void **state)
{
    (void)state;
    const char *t = "实施科技企业“双倍增”行动，推进专精特新专项培育。";
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    assert_int_equal(span_push(&m, 16, 4), 0);  /* 专精特新 */
    assert_int_equal(snip_build(t, strlen(t), &m, 80, &sn), 0);
    assert_string_equal(sn.text, t);
    assert_null(strstr(sn.text, ELLIPSIS));
    assert_int_equal(sn.hl.n, 1);
    char got[64];
    cp_sub(sn.text, sn.len, sn.hl.v[0].start, sn.hl.v[0].len, got, sizeof got);
    assert_string_equal(got, "专精特新");
    snippet_free(&sn);

    /* 95 code points at width 80 still fit: cutting 15 is not worth "…". */
    buf b = BUF_INIT;
    filler(&b, 95);
    assert_int_equal(snip_build(b.data, b.len, NULL, 80, &sn), 0);
    assert_int_equal(sn.len, b.len);
    assert_int_equal(sn.src_end, 95);
    snippet_free(&sn);
    buf_free(&b);
    span_list_free(&m);
}

/* Match in the middle of 300 code points: the window is centred on it
 * (start 150-38=112, end 192), then widened to the 。 at 105 and the 。 at
 * 199, passing over nearer clause marks. */
static void test_snip_middle_sentence_edges(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    filler(&b, 105);
    buf_puts(&b, "。");                          /* 105 */
    filler(&b, 4);                               /* 106..109 */
    buf_puts(&b, "，");                          /* 110: nearer, but only a clause */
    filler(&b, 39);                              /* 111..149 */
    buf_puts(&b, "专精特新");                    /* 150..153 */
    filler(&b, 41);                              /* 154..194 */
    buf_puts(&b, "、");                          /* 195 */
    filler(&b, 3);                               /* 196..198 */
    buf_puts(&b, "。");                          /* 199 */
    filler(&b, 100);
    assert_int_equal(cp_count(b.data, b.len), 300);

    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    assert_int_equal(span_push(&m, 150, 4), 0);
    assert_int_equal(snip_build(b.data, b.len, &m, 80, &sn), 0);
    assert_int_equal(sn.src_start, 106);
    assert_int_equal(sn.src_end, 200);
    assert_memory_equal(sn.text, ELLIPSIS, 3);
    assert_true(sn.len >= 9);
    assert_memory_equal(sn.text + sn.len - 6, "。" ELLIPSIS, 6);
    assert_non_null(strstr(sn.text, "专精特新"));
    assert_int_equal(sn.hl.n, 1);
    assert_int_equal(sn.hl.v[0].start, 150 - 106 + 1);
    char got[64];
    cp_sub(sn.text, sn.len, sn.hl.v[0].start, sn.hl.v[0].len, got, sizeof got);
    assert_string_equal(got, "专精特新");
    assert_int_equal(cp_count(sn.text, sn.len), 200 - 106 + 2);
    snippet_free(&sn);
    span_list_free(&m);
    buf_free(&b);
}

/* A closing quote stays with the mark it closes: the cuts fall after ”. */
static void test_snip_closing_quote(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    filler(&b, 104);
    buf_puts(&b, "。”");                         /* 104, 105 */
    filler(&b, 44);                              /* 106..149 */
    buf_puts(&b, "专精特新");                    /* 150..153 */
    filler(&b, 44);                              /* 154..197 */
    buf_puts(&b, "！”");                         /* 198, 199 */
    filler(&b, 100);
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    assert_int_equal(span_push(&m, 150, 4), 0);
    assert_int_equal(snip_build(b.data, b.len, &m, 80, &sn), 0);
    assert_int_equal(sn.src_start, 106);
    assert_int_equal(sn.src_end, 200);
    assert_memory_equal(sn.text + sn.len - 9, "！”" ELLIPSIS, 9);
    check_highlights_match_source(&sn, b.data, b.len);
    snippet_free(&sn);
    span_list_free(&m);
    buf_free(&b);
}

/* Without any boundary in reach the edges stay where the window put them. */
static void test_snip_middle_no_marks(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    filler(&b, 150);
    buf_puts(&b, "专精特新");
    filler(&b, 146);
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    assert_int_equal(span_push(&m, 150, 4), 0);
    assert_int_equal(snip_build(b.data, b.len, &m, 80, &sn), 0);
    assert_int_equal(sn.src_start, 112);
    assert_int_equal(sn.src_end, 192);
    assert_int_equal(cp_count(sn.text, sn.len), 82);
    check_highlights_match_source(&sn, b.data, b.len);
    snippet_free(&sn);
    span_list_free(&m);
    buf_free(&b);
}

static void test_snip_match_at_start(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_puts(&b, "科技");
    filler(&b, 298);
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    assert_int_equal(span_push(&m, 0, 2), 0);
    assert_int_equal(snip_build(b.data, b.len, &m, 80, &sn), 0);
    assert_int_equal(sn.src_start, 0);
    assert_memory_equal(sn.text, "科技", 6);
    assert_memory_equal(sn.text + sn.len - 3, ELLIPSIS, 3);
    assert_int_equal(sn.hl.n, 1);
    assert_int_equal(sn.hl.v[0].start, 0);
    assert_int_equal(sn.hl.v[0].len, 2);
    snippet_free(&sn);
    span_list_free(&m);
    buf_free(&b);
}

static void test_snip_match_at_end(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    filler(&b, 298);
    buf_puts(&b, "科技");
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    assert_int_equal(span_push(&m, 298, 2), 0);
    assert_int_equal(snip_build(b.data, b.len, &m, 80, &sn), 0);
    assert_int_equal(sn.src_end, 300);
    assert_memory_equal(sn.text, ELLIPSIS, 3);
    assert_memory_equal(sn.text + sn.len - 6, "科技", 6);
    assert_int_equal(sn.hl.n, 1);
    size_t ncp = cp_count(sn.text, sn.len);
    assert_int_equal(sn.hl.v[0].start, ncp - 2);
    assert_int_equal(sn.hl.v[0].len, 2);
    check_highlights_match_source(&sn, b.data, b.len);
    snippet_free(&sn);
    span_list_free(&m);
    buf_free(&b);
}

static void test_snip_no_matches_long(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    filler(&b, 300);
    snippet sn = SNIPPET_INIT;
    assert_int_equal(snip_build(b.data, b.len, NULL, 0, &sn), 0);  /* 0: default width */
    assert_int_equal(sn.src_start, 0);
    assert_int_equal(sn.src_end, SNIPPET_WIDTH);
    assert_int_equal(cp_count(sn.text, sn.len), SNIPPET_WIDTH + 1);
    assert_int_equal(sn.hl.n, 0);
    snippet_free(&sn);
    buf_free(&b);
}

/* A lone match early on loses to three matches close together later. */
static void test_snip_densest_cluster(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    filler(&b, 500);
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    assert_int_equal(span_push(&m, 20, 2), 0);
    assert_int_equal(span_push(&m, 300, 2), 0);
    assert_int_equal(span_push(&m, 320, 2), 0);
    assert_int_equal(span_push(&m, 340, 2), 0);
    assert_int_equal(span_push(&m, 450, 2), 0);
    assert_int_equal(snip_build(b.data, b.len, &m, 80, &sn), 0);
    assert_true(sn.src_start <= 300 && sn.src_end >= 342);
    assert_int_equal(sn.hl.n, 3);
    check_highlights_match_source(&sn, b.data, b.len);
    snippet_free(&sn);

    /* Equal clusters: the earliest wins. */
    span_clear(&m);
    assert_int_equal(span_push(&m, 100, 3), 0);
    assert_int_equal(span_push(&m, 400, 3), 0);
    assert_int_equal(snip_build(b.data, b.len, &m, 80, &sn), 0);
    assert_true(sn.src_start <= 100 && sn.src_end >= 103);
    assert_int_equal(sn.hl.n, 1);
    snippet_free(&sn);
    span_list_free(&m);
    buf_free(&b);
}

/* Unsorted, adjacent and overlapping matches come out as one highlight. */
static void test_snip_highlights_merged(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    filler(&b, 100);
    buf_puts(&b, "高新技术企业");                /* 100..105 */
    filler(&b, 100);
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    assert_int_equal(span_push(&m, 103, 3), 0);
    assert_int_equal(span_push(&m, 100, 2), 0);
    assert_int_equal(span_push(&m, 102, 2), 0);
    assert_int_equal(snip_build(b.data, b.len, &m, 40, &sn), 0);
    assert_int_equal(sn.hl.n, 1);
    char got[64];
    cp_sub(sn.text, sn.len, sn.hl.v[0].start, sn.hl.v[0].len, got, sizeof got);
    assert_string_equal(got, "高新技术企业");
    snippet_free(&sn);
    span_list_free(&m);
    buf_free(&b);
}

/* A match cut by the window edge is clipped, not dropped or overrun. */
static void test_snip_highlight_clipped(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    filler(&b, 300);
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    assert_int_equal(span_push(&m, 50, 200), 0);    /* longer than the window */
    assert_int_equal(span_push(&m, 290, 50), 0);    /* runs past the paragraph */
    assert_int_equal(snip_build(b.data, b.len, &m, 30, &sn), 0);
    assert_int_equal(sn.hl.n, 1);
    assert_int_equal(sn.hl.v[0].start, sn.src_start > 0 ? 1 : 0);
    assert_int_equal(sn.hl.v[0].len, sn.src_end - sn.src_start);
    check_highlights_match_source(&sn, b.data, b.len);
    snippet_free(&sn);
    span_list_free(&m);
    buf_free(&b);
}

/* Four-byte characters count as one code point each. */
static void test_snip_astral(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    for (int i = 0; i < 200; i++)
        buf_puts(&b, i == 120 ? "𠀀" : (i % 3 ? "𠀁" : "甲"));
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    assert_int_equal(span_push(&m, 119, 3), 0);
    assert_int_equal(snip_build(b.data, b.len, &m, 30, &sn), 0);
    assert_int_equal(sn.hl.n, 1);
    char got[64], want[64];
    cp_sub(sn.text, sn.len, sn.hl.v[0].start, sn.hl.v[0].len, got, sizeof got);
    cp_sub(b.data, b.len, 119, 3, want, sizeof want);
    assert_string_equal(got, want);
    assert_non_null(strstr(got, "𠀀"));
    assert_int_equal(cp_count(sn.text, sn.len), sn.src_end - sn.src_start + 2);
    snippet_free(&sn);
    span_list_free(&m);
    buf_free(&b);
}

/* Line breaks, tabs, U+2028 and escapes become spaces one for one, so
 * offsets hold and nothing can restyle the terminal. */
static void test_snip_controls(void **state)
{
    (void)state;
    const char *t = "第一条\n第二条\t\r科技\xe2\x80\xa8\033[0m";
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    assert_int_equal(span_push(&m, 9, 2), 0);
    assert_int_equal(snip_build(t, strlen(t), &m, 80, &sn), 0);
    assert_string_equal(sn.text, "第一条 第二条  科技  [0m");
    char got[64];
    cp_sub(sn.text, sn.len, sn.hl.v[0].start, sn.hl.v[0].len, got, sizeof got);
    assert_string_equal(got, "科技");
    snippet_free(&sn);
    span_list_free(&m);
}

/* Invalid bytes are one code point each and come out as U+FFFD. */
static void test_snip_invalid_utf8(void **state)
{
    (void)state;
    const char t[] = "a\xff" "b\xe4\xb8" "c\xed\xa0\x80" "d";
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    /* a FF b E4 B8 c ED A0 80 d: 10 code points; match "d". */
    assert_int_equal(span_push(&m, 9, 1), 0);
    assert_int_equal(snip_build(t, sizeof t - 1, &m, 80, &sn), 0);
    assert_string_equal(sn.text, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD"
                                 "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "d");
    assert_int_equal(sn.hl.v[0].start, 9);
    snippet_free(&sn);
    span_list_free(&m);
}

/* Over many widths and match positions: the length bound holds, the match
 * is inside, and every highlight shows the source text. */
static void test_snip_width_respected(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    for (int i = 0; i < 400; i++) {
        buf_puts(&b, i % 37 == 36 ? "。" : i % 11 == 10 ? "，" : i % 2 ? "乙" : "甲");
    }
    size_t ncp = 400;
    for (size_t w = 1; w <= 120; w += 7) {
        for (size_t pos = 0; pos < ncp; pos += 13) {
            snippet sn = SNIPPET_INIT;
            span_list m = SPAN_LIST_INIT;
            assert_int_equal(span_push(&m, pos, 2), 0);
            assert_int_equal(span_push(&m, pos + 5, 1), 0);
            assert_int_equal(snip_build(b.data, b.len, &m, w, &sn), 0);
            size_t n = cp_count(sn.text, sn.len);
            assert_true(n <= w + 2 * (w / 3) + 2);
            assert_true(sn.src_start <= sn.src_end && sn.src_end <= ncp);
            assert_true(sn.hl.n >= 1);
            assert_true(sn.src_start <= pos && pos < sn.src_end);
            check_highlights_match_source(&sn, b.data, b.len);
            snippet_free(&sn);
            span_list_free(&m);
        }
    }
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_span_merge_overlap),
        cmocka_unit_test(test_span_merge_adjacent_and_gap),
        cmocka_unit_test(test_span_merge_containment),
        cmocka_unit_test(test_span_merge_unsorted),
        cmocka_unit_test(test_span_empty),
        cmocka_unit_test(test_snip_empty),
        cmocka_unit_test(test_snip_single_char),
        cmocka_unit_test(test_snip_fits_whole),
        cmocka_unit_test(test_snip_middle_sentence_edges),
        cmocka_unit_test(test_snip_closing_quote),
        cmocka_unit_test(test_snip_middle_no_marks),
        cmocka_unit_test(test_snip_match_at_start),
        cmocka_unit_test(test_snip_match_at_end),
        cmocka_unit_test(test_snip_no_matches_long),
        cmocka_unit_test(test_snip_densest_cluster),
        cmocka_unit_test(test_snip_highlights_merged),
        cmocka_unit_test(test_snip_highlight_clipped),
        cmocka_unit_test(test_snip_astral),
        cmocka_unit_test(test_snip_controls),
        cmocka_unit_test(test_snip_invalid_utf8),
        cmocka_unit_test(test_snip_width_respected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
