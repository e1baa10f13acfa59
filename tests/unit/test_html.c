/* test_html.c — HTML to text (html.c): entities, block and inline
 * elements, script/style/comments, <title>, sniffing, and linear time on
 * hostile markup.  Loading HTML files (charset, gzip) is in test_decode.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "buf.h"
#include "html.h"

/* html_to_text on a string; returns malloc'd text. */
static char *h2t(const char *html, char **title)
{
    buf b = BUF_INIT;
    assert_int_equal(html_to_text(html, strlen(html), &b, title), 0);
    return buf_detach(&b);
}

static void test_html_details(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        { "a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;", "a & b <c> \"d\" 'e'" },
        { "&ldquo;x&rdquo; &lsquo;y&rsquo; a&mdash;b a&ndash;b &hellip; &middot; &times; &copy; &reg;",
          "“x” ‘y’ a—b a–b … · × © ®" },
        { "&#20013;&#x6587;&#X6587 &#150; &#0; &#xD800; &#99999999;", "中文文 – \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD" },
        { "&nbsp&amp &copy2024 &amplifier &nosuch; & alone &#; &#x;", "& ©2024 &amplifier &nosuch; & alone &#; &#x;" },
        { "a < b and c<d", "a < b and c<d" },
        { "<p>one<p>two<br>three<br><br>four", "one\ntwo\nthree\n\nfour" },
        { "<div><div><p>  x  </p></div></div><p></p><p>y</p>", "x\ny" },
        { "<ul><li>a</li><li>b</li></ul>", "a\nb" },
        { "<table><tr><td>索引号</td><td>001</td></tr><tr><td>日期</td><td>2024</td></tr></table>",
          "索引号 001\n日期 2024" },
        { "中文\n中文 English\nword", "中文中文 English word" },
        { "<pre>a  b\n  c</pre>d", "a  b\n  c\n\nd" },
        { "x<!-- <p>hidden</p> -->y<!---->z<!-->w", "xyzw" },
        { "<a href=\"x>y\" title='a\"b'>link</a>", "link" },
        { "<img alt=\"it's\" src=x>ok", "ok" },
        { "<script>document.write('</p>')</script>after", "after" },
        { "<SCRIPT type=text/javascript>x</SCRIPT >B", "B" },
        { "<style>p{}</style><select><option>北京</option></select>正文", "正文" },
        { "<p>unclosed <b>bold <i>italic", "unclosed bold italic" },
        { "text <a href=\"never closed>more text", "text more text" },
        { "x <a b=\"c\" d=\"e>f", "x f" },
        { "<!DOCTYPE html><?xml x?><html><body>ok</body></html>", "ok" },
        { "<head><meta x><link y>stray</head>body", "straybody" },
        { "<![CDATA[raw <b>]]>end", "raw <b>end" },
        { "</>x</ p>y", "xy" },
        { "<p>&#x3000;&#x3000;正文</p>", "\xE3\x80\x80\xE3\x80\x80正文" },
        { "", "" },
        { "<", "<" },
        { "<p", "<p" },
        { "&", "&" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = h2t(cases[i].in, NULL);
        if (strcmp(t, cases[i].out) != 0)
            print_error("case %zu: %s\n got: [%s]\nwant: [%s]\n", i, cases[i].in, t, cases[i].out);
        assert_string_equal(t, cases[i].out);
        free(t);
    }
    char *title = NULL;
    char *t = h2t("<title> 标题 &amp;\n 副题 </title><title>second</title>body", &title);
    assert_string_equal(title, "标题 & 副题");
    assert_string_equal(t, "body");
    free(title);
    free(t);
    t = h2t("<title>  </title>x", &title);
    assert_null(title);
    free(t);
    assert_int_equal(html_sniff("\xEF\xBB\xBF \n<!doctype HTML>", 20), 1);
    assert_int_equal(html_sniff("  <HTML lang=zh>", 16), 1);
    assert_int_equal(html_sniff("<htmlx>", 7), 0);
    assert_int_equal(html_sniff("关于<html>", 12), 0);
}

/* Hostile markup must cost linear time: each of these is 4 MB. */
static void test_html_linear(void **state)
{
    (void)state;
    static const char *const units[] = {
        "<a '>", "<a ", "<a x=\"", "<!--", "<script>", "<select>", "&#x", "<p x='1' y=\"",
    };
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        size_t ul = strlen(units[k]), n = 0, want = 4u << 20;
        char *s = malloc(want + 1);
        assert_non_null(s);
        while (n + ul <= want) {
            memcpy(s + n, units[k], ul);
            n += ul;
        }
        s[n] = '\0';
        buf b = BUF_INIT;
        char *title = NULL;
        clock_t t0 = clock();
        assert_int_equal(html_to_text(s, n, &b, &title), 0);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        if (secs >= 3.0)
            print_error("unit %s took %.2f s\n", units[k], secs);
        assert_true(secs < 3.0);
        buf_free(&b);
        free(title);
        free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_details),
        cmocka_unit_test(test_html_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
