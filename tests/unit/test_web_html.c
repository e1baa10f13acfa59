/* test_web_html.c — unit tests for web_html.c: what a hostile document's
 * text becomes on a page, marks, and URL encoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "span.h"
#include "web_html.h"

/* html_text of s into a fresh buffer, compared with want. */
static void expect_text(const char *s, size_t n, const char *want)
{
    buf b = BUF_INIT;
    assert_int_equal(html_text(&b, s, n), 0);
    assert_string_equal(b.data ? b.data : "", want);
    buf_free(&b);
}

/* Markup and attribute breakers come out as entities, nothing else changes. */
static void test_escape_markup(void **state)
{
    (void)state;
    const char *s = "<script>alert(1)</script>\"><img src=x onerror='a'>&amp;专精特新";
    expect_text(s, strlen(s), "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=&#39;a&#39;&gt;"
                              "&amp;amp;专精特新");
}

/* Bidirectional overrides and isolates, controls and invalid UTF-8
 * become U+FFFD; tab and newline stay. */
static void test_escape_bidi_controls(void **state)
{
    (void)state;
    const char s[] = "a\xe2\x80\xaetxt.exe\xe2\x81\xa6x\xe2\x81\xa9\x01\t\n\xc0\xaf\x80z";
    expect_text(s, sizeof s - 1, "a\xef\xbf\xbdtxt.exe\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd\t\n"
                                 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdz");
}

/* Marks open and close at code-point bounds, text inside them escaped,
 * one at the very end closed. */
static void test_marked(void **state)
{
    (void)state;
    span_list l = SPAN_LIST_INIT;
    assert_int_equal(span_push(&l, 1, 4), 0);
    assert_int_equal(span_push(&l, 7, 2), 0);
    buf b = BUF_INIT;
    const char *s = "在专精特新<与小巨人";
    assert_int_equal(html_marked(&b, s, strlen(s), &l), 0);
    assert_string_equal(b.data, "在<mark>专精特新</mark>&lt;与<mark>小巨</mark>人");
    buf_clear(&b);
    const char *t = "ab专精";
    span_clear(&l);
    assert_int_equal(span_push(&l, 2, 2), 0);
    assert_int_equal(html_marked(&b, t, strlen(t), &l), 0);
    assert_string_equal(b.data, "ab<mark>专精</mark>");
    buf_free(&b);
    span_list_free(&l);
}

/* A parameter is percent-encoded whole: no '&', '=', '#' or quote survives. */
static void test_url_param(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_int_equal(url_param(&b, 1, "q", "专精 \"&x=1#"), 0);
    assert_int_equal(url_param(&b, 0, "year", "2024"), 0);
    assert_string_equal(b.data, "q=%E4%B8%93%E7%B2%BE%20%22%26x%3D1%23&year=2024");
    buf_free(&b);
}

/* The page frame escapes its title and the query in the box. */
static void test_page_frame(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_int_equal(html_page_begin(&b, "<t>", "\"><script>"), 0);
    assert_int_equal(html_page_end(&b), 0);
    assert_non_null(strstr(b.data, "<title>&lt;t&gt; · polsearch</title>"));
    assert_non_null(strstr(b.data, "value=\"&quot;&gt;&lt;script&gt;\""));
    assert_null(strstr(b.data, "<script"));
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_markup),
        cmocka_unit_test(test_escape_bidi_controls),
        cmocka_unit_test(test_marked),
        cmocka_unit_test(test_url_param),
        cmocka_unit_test(test_page_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
