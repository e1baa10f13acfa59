/* test_output.c — unit tests for result output (output.c): JSON strings
 * and numbers, the JSON and human result lines, --explain's named parts,
 * colour, collapsed copies, write errors.
 * Output is checked byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "output.h"
#include "snippet.h"
#include "span.h"

/* ---- helpers ------------------------------------------------------------ */

/* Run out_json/out_human into a string (caller frees). */
static char *capture(const out_result *r, int json, int color)
{
    char *p = NULL;
    size_t sz = 0;
    FILE *fp = open_memstream(&p, &sz);
    assert_non_null(fp);
    int rc = json ? out_json(fp, r) : out_human(fp, r, color);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(rc, 0);
    return p;
}

/* ---- JSON strings ------------------------------------------------------- */

/* json_put_string of in[0..n) must give exactly want. */
static void expect_json_string(const char *in, size_t n, const char *want)
{
    buf b = BUF_INIT;
    assert_int_equal(json_put_string(&b, in, n), 0);
    assert_string_equal(b.data, want);
    buf_free(&b);
}

static void test_json_escapes(void **state)
{
    (void)state;
    expect_json_string("", 0, "\"\"");
    expect_json_string("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
    expect_json_string("\n\t\r\b\f", 5, "\"\\n\\t\\r\\b\\f\"");
    expect_json_string("\x01\x1f", 2, "\"\\u0001\\u001f\"");
    expect_json_string("科技/x", strlen("科技/x"), "\"科技/x\"");
    expect_json_string("a\xff" "b", 3, "\"a\\ufffdb\"");
    expect_json_string("\xe4\xb8", 2, "\"\\ufffd\\ufffd\"");
    expect_json_string("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"");
    expect_json_string("x\xe2\x80\xa8y\xe2\x80\xa9", 8, "\"x\\u2028y\\u2029\"");
    expect_json_string("\xef\xbf\xbd", 3, "\"\xef\xbf\xbd\"");   /* a real U+FFFD passes */
    expect_json_string("𠀀", 4, "\"𠀀\"");
    expect_json_string("a\0b", 3, "\"a\\u0000b\"");

    /* Appends after what is there. */
    buf b = BUF_INIT;
    buf_puts(&b, "x:");
    assert_int_equal(json_put_string(&b, "y", 1), 0);
    assert_string_equal(b.data, "x:\"y\"");
    buf_free(&b);
}

/* The literal writers put the comma and the key as the others do: the
 * bytes the commands wrote by hand before them. */
static void test_json_literals(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_int_equal(json_open(&b, NULL, '{') | json_uint(&b, "count", 3) | json_bool(&b, "lower_bound", 1) |
                     json_bool(&b, "ocr", 0) | json_null(&b, "page") | json_open(&b, "a", '[') |
                     json_null(&b, NULL) | json_bool(&b, NULL, 2) | json_close(&b, ']') | json_close(&b, '}'), 0);
    assert_string_equal(b.data, "{\"count\":3,\"lower_bound\":true,\"ocr\":false,\"page\":null,\"a\":[null,true]}");
    buf_free(&b);
}

/* ---- result lines ------------------------------------------------------- */

/* A result as the search command would hand it over. */
static void make_result(out_result *r, snippet *sn, span_list *m, const char *text)
{
    span_clear(m);
    assert_int_equal(span_push(m, 0, 2), 0);
    assert_int_equal(snip_build(text, strlen(text), m, 80, sn), 0);
    memset(r, 0, sizeof *r);
    r->rank = 1;
    r->score = 12.345678;
    r->file = "a.txt";
    r->paragraph = 7;
    r->title = "标题";
    r->text = text;
    r->text_len = strlen(text);
    r->matches = m;
    r->snip = sn;
}

static void test_out_json(void **state)
{
    (void)state;
    out_result r;
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    make_result(&r, &sn, &m, "科技\"企业\"");
    r.date = "2024-07-16";
    r.docno = "";                                /* empty: left out */
    char *got = capture(&r, 1, 0);
    assert_string_equal(got,
        "{\"rank\":1,\"score\":12.3457,\"file\":\"a.txt\",\"paragraph\":7,"
        "\"title\":\"标题\",\"text\":\"科技\\\"企业\\\"\",\"snippet\":\"科技\\\"企业\\\"\","
        "\"matches\":[[0,2]],\"snippet_matches\":[[0,2]],\"date\":\"2024-07-16\"}\n");
    free(got);

    r.score = 3.0;
    r.title = "";
    r.date = NULL;
    r.issuer = "市科技局";
    r.docno = "沪科〔2024〕1号";
    r.source = "main";
    got = capture(&r, 1, 0);
    assert_string_equal(got,
        "{\"rank\":1,\"score\":3,\"file\":\"a.txt\",\"paragraph\":7,"
        "\"title\":\"\",\"text\":\"科技\\\"企业\\\"\",\"snippet\":\"科技\\\"企业\\\"\","
        "\"matches\":[[0,2]],\"snippet_matches\":[[0,2]],\"issuer\":\"市科技局\","
        "\"docno\":\"沪科〔2024〕1号\",\"source\":\"main\"}\n");
    free(got);
    snippet_free(&sn);
    span_list_free(&m);
}

static void test_out_json_numbers(void **state)
{
    (void)state;
    static const struct { double v; const char *want; } cases[] = {
        { 0.0, "0" }, { 0.5, "0.5" }, { -1.25, "-1.25" }, { 0.00004, "0" },
        { 0.00006, "0.0001" }, { 1e20, "100000000000000000000" }, { 99.99999, "100" },
    };
    out_result r;
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    make_result(&r, &sn, &m, "科技");
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char want[128];
        r.score = cases[k].v;
        char *got = capture(&r, 1, 0);
        snprintf(want, sizeof want, "{\"rank\":1,\"score\":%s,", cases[k].want);
        assert_memory_equal(got, want, strlen(want));
        free(got);
    }
    snippet_free(&sn);
    span_list_free(&m);
}

static void test_out_human_plain(void **state)
{
    (void)state;
    out_result r;
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    make_result(&r, &sn, &m, "科技企业");
    r.date = "2024-07-16";
    r.issuer = "市科技局";
    r.source = "main";
    char *got = capture(&r, 0, 0);
    assert_string_equal(got, "a.txt:7  标题  2024-07-16 市科技局  [12.35]  (main)\n  科技企业\n\n");
    free(got);

    r.title = "";
    r.date = NULL;
    r.source = NULL;
    r.score = -0.5;
    got = capture(&r, 0, 0);
    assert_string_equal(got, "a.txt:7  市科技局  [-0.50]\n  科技企业\n\n");
    free(got);

    r.issuer = NULL;
    r.title = "标\033[2J题";                       /* no terminal escapes from documents */
    got = capture(&r, 0, 0);
    assert_string_equal(got, "a.txt:7  标 [2J题  [-0.50]\n  科技企业\n\n");
    free(got);
    snippet_free(&sn);
    span_list_free(&m);
}

/* --explain: output writes whatever named parts it is given, in order,
 * each with its label (human, 2 decimals) or its key (JSON, 4 decimals
 * trimmed): the four of today's plan, and a fifth that no code here
 * knows of. */
static void test_out_explain_parts(void **state)
{
    (void)state;
    out_result r;
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    out_explain e = { .n = 0 };
    make_result(&r, &sn, &m, "科技");
    out_explain_add(&e, "bm25", "bm25", 10.25);
    out_explain_add(&e, "expansion", "expansion", 0);
    out_explain_add(&e, "policy", "policy terms", 1.5);
    out_explain_add(&e, "heading", "heading", 0.59555);
    r.explain = &e;
    char *got = capture(&r, 0, 0);
    assert_string_equal(got, "a.txt:7  标题  [12.35]\n  科技\n"
                             "  score 12.35 = bm25 10.25 + expansion 0.00 + policy terms 1.50 + heading 0.60\n\n");
    free(got);
    got = capture(&r, 1, 0);
    assert_non_null(strstr(got, ",\"explain\":{\"bm25\":10.25,\"expansion\":0,\"policy\":1.5,"
                                "\"heading\":0.5956}}\n"));
    free(got);
    out_explain_add(&e, "recency", "recency", 2);
    got = capture(&r, 1, 0);
    assert_non_null(strstr(got, ",\"heading\":0.5956,\"recency\":2}}\n"));
    free(got);
    got = capture(&r, 0, 0);
    assert_non_null(strstr(got, " + heading 0.60 + recency 2.00\n\n"));
    free(got);
    for (int i = 0; i < 10; i++)                 /* past OUT_EXPLAIN_MAX: dropped, not written past */
        out_explain_add(&e, "x", "x", 1);
    assert_int_equal(e.n, OUT_EXPLAIN_MAX);
    snippet_free(&sn);
    span_list_free(&m);
}

static void test_out_human_color(void **state)
{
    (void)state;
    out_result r;
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    make_result(&r, &sn, &m, "科技企业");
    r.score = 1.5;
    char *got = capture(&r, 0, 1);
    assert_string_equal(got,
        "\033[35ma.txt\033[0m:\033[32m7\033[0m  \033[1m标题\033[0m  [1.50]\n"
        "  \033[1;31m科技\033[0m企业\n\n");
    free(got);
    snippet_free(&sn);

    /* Two highlights, one at the very end. */
    span_clear(&m);
    assert_int_equal(span_push(&m, 0, 1), 0);
    assert_int_equal(span_push(&m, 3, 1), 0);
    assert_int_equal(snip_build("科技企业", strlen("科技企业"), &m, 80, &sn), 0);
    r.title = "";
    got = capture(&r, 0, 1);
    assert_string_equal(got,
        "\033[35ma.txt\033[0m:\033[32m7\033[0m  [1.50]\n"
        "  \033[1;31m科\033[0m技企\033[1;31m业\033[0m\n\n");
    free(got);
    snippet_free(&sn);
    span_list_free(&m);
}

/* Copies collapsed into a result: "(also in N other places)" ends the
 * human header line, JSON lists them as "duplicates" (also when there is
 * none), and nothing of it shows when nothing was collapsed. */
static void test_out_duplicates(void **state)
{
    (void)state;
    out_result r;
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    make_result(&r, &sn, &m, "科技企业");
    const copy_where dups[] = { { "b\".txt", 3 }, { "c.txt", 12 } };
    r.collapsed = 1;
    r.dups = dups;
    r.ndups = 2;
    char *got = capture(&r, 0, 0);
    assert_string_equal(got, "a.txt:7  标题  [12.35]  (also in 2 other places)\n  科技企业\n\n");
    free(got);
    got = capture(&r, 1, 0);
    assert_non_null(strstr(got, ",\"duplicates\":[{\"file\":\"b\\\".txt\",\"paragraph\":3},"
                                "{\"file\":\"c.txt\",\"paragraph\":12}]}\n"));
    free(got);

    r.ndups = 1;
    got = capture(&r, 0, 0);
    assert_string_equal(got, "a.txt:7  标题  [12.35]  (also in 1 other place)\n  科技企业\n\n");
    free(got);

    r.ndups = 0;
    got = capture(&r, 0, 0);
    assert_string_equal(got, "a.txt:7  标题  [12.35]\n  科技企业\n\n");
    free(got);
    got = capture(&r, 1, 0);
    assert_non_null(strstr(got, ",\"duplicates\":[]}\n"));
    free(got);

    r.collapsed = 0;                                /* --no-collapse: no field */
    got = capture(&r, 1, 0);
    assert_null(strstr(got, "duplicates"));
    free(got);
    snippet_free(&sn);
    span_list_free(&m);
}

/* out_json_append puts into a buffer, after what it holds, the very line
 * out_json writes. */
static void test_out_json_append(void **state)
{
    (void)state;
    out_result r;
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    make_result(&r, &sn, &m, "科技\"企业\"");
    const copy_where dups[] = { { "b.txt", 3 } };
    r.collapsed = 1;
    r.dups = dups;
    r.ndups = 1;
    char *line = capture(&r, 1, 0);
    buf b = BUF_INIT;
    assert_int_equal(buf_puts(&b, "{\"x\":1}\n"), 0);
    assert_int_equal(out_json_append(&b, &r), 0);
    assert_int_equal(b.len, 8 + strlen(line));
    assert_string_equal(b.data + 8, line);
    free(line);
    buf_free(&b);
    snippet_free(&sn);
    span_list_free(&m);
}

/* The JSON writers of the other commands: commas only between members and
 * elements, nested objects and arrays, null for a missing string. */
static void test_json_writers(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    int rc = json_open(&b, NULL, '{');
    rc |= json_str(&b, "file", "a\"b", 3);
    rc |= json_uint(&b, "n", UINT64_MAX);
    rc |= json_str(&b, "target", NULL, 0);
    rc |= json_open(&b, "list", '[');
    rc |= json_uint(&b, NULL, 1);
    rc |= json_open(&b, NULL, '{');
    rc |= json_uint(&b, "k", 0);
    rc |= json_close(&b, '}');
    rc |= json_close(&b, ']');
    rc |= json_open(&b, "empty", '{');
    rc |= json_close(&b, '}');
    rc |= json_close(&b, '}');
    rc |= buf_putc(&b, '\n');
    rc |= json_open(&b, NULL, '{');  /* a new JSON line: no comma */
    rc |= json_close(&b, '}');
    assert_int_equal(rc, 0);
    assert_string_equal(b.data, "{\"file\":\"a\\\"b\",\"n\":18446744073709551615,\"target\":null,"
                                "\"list\":[1,{\"k\":0}],\"empty\":{}}\n{}");
    buf_free(&b);
}

static void test_out_write_error(void **state)
{
    (void)state;
    out_result r;
    snippet sn = SNIPPET_INIT;
    span_list m = SPAN_LIST_INIT;
    make_result(&r, &sn, &m, "科技企业");
    FILE *fp = fopen("/dev/full", "w");
    if (!fp) {
        snippet_free(&sn);
        span_list_free(&m);
        skip();
    }
    setvbuf(fp, NULL, _IONBF, 0);
    assert_int_equal(out_json(fp, &r), -1);
    assert_int_equal(out_human(fp, &r, 0), -1);
    fclose(fp);

    /* A memory stream too small for the line fails the same way. */
    char small[8];
    fp = fmemopen(small, sizeof small, "w");
    assert_non_null(fp);
    setvbuf(fp, NULL, _IONBF, 0);
    assert_int_equal(out_json(fp, &r), -1);
    fclose(fp);
    snippet_free(&sn);
    span_list_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_escapes),
        cmocka_unit_test(test_json_literals),
        cmocka_unit_test(test_out_json),
        cmocka_unit_test(test_out_json_numbers),
        cmocka_unit_test(test_out_explain_parts),
        cmocka_unit_test(test_out_human_plain),
        cmocka_unit_test(test_out_human_color),
        cmocka_unit_test(test_out_duplicates),
        cmocka_unit_test(test_out_json_append),
        cmocka_unit_test(test_json_writers),
        cmocka_unit_test(test_out_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
