/* test_layout.c — from positioned lines to paragraphs (layout.c): reading
 * order, running headers/footers and page numbers, line joining for Han and
 * Latin text, autospacing, paragraphs over a page break, gaps and indents,
 * columns read one after the other and what must not be cut into columns.
 *
 * Pages are 600 x 800; body lines run from x 50 to 550 (a full line), 20
 * high, 24 apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "layout.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

#define FULL 550.0                   /* right edge of a full line */

/* Add line s with its top-left corner at (x0, y0), ending at x1. */
static void add(layout *l, const char *s, double x0, double y0, double x1)
{
    ps_err err = PS_ERR_INIT;
    layout_line line = { s, strlen(s), x0, y0, x1, y0 + 20 };
    assert_int_equal(layout_add(l, &line, &err), 0);
}

/* Add line s as add() does, h units tall. */
static void add_tall(layout *l, const char *s, double x0, double y0, double x1, double h)
{
    ps_err err = PS_ERR_INIT;
    layout_line line = { s, strlen(s), x0, y0, x1, y0 + h };
    assert_int_equal(layout_add(l, &line, &err), 0);
}

/* Start a 600 x 800 page. */
static void page(layout *l)
{
    ps_err err = PS_ERR_INIT;
    assert_int_equal(layout_page(l, 600, 800, &err), 0);
}

/* Finish l into *out (freeing l) and check the text is well formed. */
static void finish(layout *l, reader_out *out)
{
    ps_err err = PS_ERR_INIT;
    assert_int_equal(layout_finish(l, out, &err), 0);
    layout_free(l);
    assert_non_null(out->text.data);
    assert_int_equal(strlen(out->text.data), out->text.len);
}

/* The 1-based page of the first occurrence of needle in out's text
 * (0 when absent). */
static unsigned page_of(const reader_out *out, const char *needle)
{
    const char *p = strstr(out->text.data, needle);
    if (!p)
        return 0;
    return reader_page_of(out->page_start, out->npages, (size_t)(p - out->text.data));
}

/* ------------------------------------------------------------------------ */
/* Cases                                                                    */
/* ------------------------------------------------------------------------ */

/* Lines given bottom first come out top first; a gap parts them. */
static void test_reading_order(void **state)
{
    (void)state;
    layout *l = layout_new();
    assert_non_null(l);
    page(l);
    add(l, "第三段的第二行。", 50, 324, 200);
    add(l, "第三段文字，排满了一整行，从左边一直写到右边的页边。", 50, 300, FULL);
    add(l, "第一段文字，排满了一整行，从左边一直写到右边的页边。", 50, 100, FULL);
    add(l, "第一段的第三行。", 50, 148, 200);
    add(l, "第一段的第二行，排满了一整行，从左边一直写到右边。", 50, 124, FULL);
    add(l, "第二段", 50, 200, 110);
    add(l, "文字。", 115, 200, 170);               /* a fragment on the same baseline */
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_string_equal(out.text.data,
                        "第一段文字，排满了一整行，从左边一直写到右边的页边。第一段的第二行，排满了一整行，从左边一直写到右边。第一段的第三行。\n\n"
                        "第二段文字。\n\n"
                        "第三段文字，排满了一整行，从左边一直写到右边的页边。第三段的第二行。");
    assert_int_equal(out.npages, 1);
    reader_out_free(&out);
}

/* A running header and a "- N -" footer on every page go; the body stays. */
static void test_header_footer(void **state)
{
    (void)state;
    layout *l = layout_new();
    static const char *const body[] = { "正文第1页的内容。", "第二页讲别的。", "再换一个说法。", "最后一页。" };
    char foot[32];
    for (int p = 1; p <= 4; p++) {
        page(l);
        add(l, "某某市人民政府办公室文件", 200, 20, 400);
        add(l, body[p - 1], 50, 100, 250);
        snprintf(foot, sizeof foot, "- %d -", p);
        add(l, foot, 290, 760, 310);
    }
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_string_equal(out.text.data, "正文第1页的内容。\n\n第二页讲别的。\n\n再换一个说法。\n\n最后一页。");
    assert_int_equal(out.npages, 4);
    assert_int_equal(page_of(&out, "再换"), 3);
    reader_out_free(&out);
}

/* A form and its stub, two pages that open alike (the issuing body in
 * body type, the title set larger): both pages keep their opening lines,
 * since a repeat on two pages alone does not make a header. */
static void test_two_page_form_set(void **state)
{
    (void)state;
    layout *l = layout_new();
    static const char *const body[] = { "根据有关规定，决定立案侦查。", "案件名称：某某案。" };
    for (int p = 0; p < 2; p++) {
        page(l);
        add(l, "某某县公安局", 250, 20, 350);
        add_tall(l, "立案决定书", 230, 50, 370, 30);
        add(l, body[p], 50, 200, 300);
        add(l, "办案人：张三", 50, 300, 200);
    }
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_string_equal(out.text.data, "某某县公安局立案决定书根据有关规定，决定立案侦查。\n\n办案人：张三\n\n"
                                       "某某县公安局立案决定书案件名称：某某案。\n\n办案人：张三");
    reader_out_free(&out);
}

/* A header of a two-page file, set smaller than the body, still goes. */
static void test_two_page_header(void **state)
{
    (void)state;
    layout *l = layout_new();
    static const char *const body[] = { "第一页的正文。", "第二页的正文。" };
    for (int p = 0; p < 2; p++) {
        page(l);
        add_tall(l, "某某市人民政府公报", 250, 20, 350, 12);
        add(l, body[p], 50, 200, 300);
    }
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_string_equal(out.text.data, "第一页的正文。\n\n第二页的正文。");
    reader_out_free(&out);
}

/* "第 3 页 共 10 页" and a header whose number changes go too. */
static void test_page_of_pages(void **state)
{
    (void)state;
    layout *l = layout_new();
    static const char *const body[] = { "甲文。", "乙文。", "丙文。" };
    char foot[64], head[64];
    for (int p = 1; p <= 3; p++) {
        page(l);
        snprintf(head, sizeof head, "2024年第%d期 政策汇编", p);
        add(l, head, 200, 20, 400);
        add(l, body[p - 1], 50, 100, 150);
        snprintf(foot, sizeof foot, "第 %d 页 共 10 页", p);
        add(l, foot, 250, 760, 350);
    }
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_string_equal(out.text.data, "甲文。\n\n乙文。\n\n丙文。");
    reader_out_free(&out);
}

/* A wrap inside Han text vanishes; one between Latin words is a space. */
static void test_line_joining(void **state)
{
    (void)state;
    layout *l = layout_new();
    page(l);
    add(l, "推动科技型中小企业梯次培育，完善", 50, 100, FULL);
    add(l, "专精特新企业培育机制。", 50, 124, 300);
    add(l, "The quick brown fox jumps over the lazy dog and keeps running", 50, 200, FULL);
    add(l, "far away.", 50, 224, 150);
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_string_equal(out.text.data,
                        "推动科技型中小企业梯次培育，完善专精特新企业培育机制。\n\n"
                        "The quick brown fox jumps over the lazy dog and keeps running far away.");
    reader_out_free(&out);
}

/* Layout autospacing between Han characters and digits is removed; a space
 * between Latin words and a Latin-Han space stay. */
static void test_autospacing(void **state)
{
    (void)state;
    layout *l = layout_new();
    page(l);
    add(l, "关于市十六届三次会议第 380 号建议的答复，2024 年 5 月", 50, 100, 400);
    add(l, "Debian 参考手册 version 2", 50, 200, FULL);
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_string_equal(out.text.data,
                        "关于市十六届三次会议第380号建议的答复，2024年5月\n\nDebian 参考手册 version 2");
    reader_out_free(&out);
}

/* A paragraph that runs over a page break is one paragraph, on the page
 * where it starts; the next one is on the next page. */
static void test_page_break(void **state)
{
    (void)state;
    layout *l = layout_new();
    page(l);
    add(l, "第一页的第一段。", 50, 100, 200);
    add(l, "这一段从第一页开始，一直写到了页面的最底部，然后在下一", 50, 700, FULL);
    add(l, "- 1 -", 290, 760, 310);
    page(l);
    add(l, "页继续写完。", 50, 60, 160);
    add(l, "第二页的新段落，写满了一整行的文字，一直到右边。", 50, 84, FULL);
    add(l, "第二行。", 50, 108, 130);
    add(l, "- 2 -", 290, 760, 310);
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_string_equal(out.text.data,
                        "第一页的第一段。\n\n"
                        "这一段从第一页开始，一直写到了页面的最底部，然后在下一页继续写完。\n\n"
                        "第二页的新段落，写满了一整行的文字，一直到右边。第二行。");
    assert_int_equal(out.npages, 2);
    assert_int_equal(page_of(&out, "这一段"), 1);
    assert_int_equal(page_of(&out, "第二页的新段落"), 2);
    reader_out_free(&out);
}

/* Full lines close together form one paragraph; a blank gap or a
 * first-line indent starts a new one. */
static void test_gap_and_indent(void **state)
{
    (void)state;
    layout *l = layout_new();
    page(l);
    add(l, "甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲", 50, 100, FULL);
    add(l, "乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙", 50, 124, FULL);
    add(l, "丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙", 50, 200, FULL);  /* gap */
    add(l, "丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁", 50, 224, FULL);
    add(l, "戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊", 90, 248, FULL);      /* indent */
    add(l, "己己己", 50, 272, 110);
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_string_equal(out.text.data,
                        "甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙\n\n"
                        "丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁\n\n"
                        "戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊己己己");
    reader_out_free(&out);
}

/* Hostile input: invalid UTF-8 and controls are cleaned, NaN coordinates
 * do not break the order, empty pages still count. */
static void test_hostile(void **state)
{
    (void)state;
    layout *l = layout_new();
    ps_err err = PS_ERR_INIT;
    page(l);
    layout_line bad = { "a\xff\x01" "b\r", 5, 0.0 / 0.0, 1e300, -1e300, 5 };
    assert_int_equal(layout_add(l, &bad, &err), 0);
    page(l);
    page(l);
    add(l, "正文", 50, 100, 90);
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_int_equal(out.npages, 3);
    assert_null(strchr(out.text.data, '\r'));
    assert_non_null(strstr(out.text.data, "a\xef\xbf\xbd b"));
    assert_int_equal(page_of(&out, "正文"), 3);
    reader_out_free(&out);
}

/* Pages without a single line (fuzz_ofd found the empty fragment list):
 * no text, every page still counted. */
static void test_empty(void **state)
{
    (void)state;
    layout *l = layout_new();
    page(l);
    page(l);
    reader_out out = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(layout_finish(l, &out, &err), 0);
    layout_free(l);
    assert_int_equal(out.text.len, 0);
    assert_int_equal(out.npages, 2);
    reader_out_free(&out);
}

/* ---- Columns (the XY-cut) ---------------------------------------------- */

/* Column text: line k of a column, 12 Han characters (one per 20 units). */
static const char *const col_a[] = { "甲一甲一甲一甲一甲一甲一", "甲二甲二甲二甲二甲二甲二", "甲三甲三甲三甲三甲三甲三",
                                     "甲四甲四甲四甲四甲四甲四", "甲五甲五甲五甲五甲五甲五", "甲六甲六甲六甲六甲六甲六" };
static const char *const col_b[] = { "乙一乙一乙一乙一乙一乙一", "乙二乙二乙二乙二乙二乙二", "乙三乙三乙三乙三乙三乙三",
                                     "乙四乙四乙四乙四乙四乙四", "乙五乙五乙五乙五乙五乙五。" };

/* A full-width title, two columns (x 50-290 and 310-550, baselines side by
 * side), a centred page number: the title, then column 1 top to bottom,
 * then column 2, the paragraph going on over the column turn as over a
 * page break. */
static void test_two_columns(void **state)
{
    (void)state;
    layout *l = layout_new();
    page(l);
    add(l, "关于两栏排版的测试报告", 190, 40, 410);
    for (int k = 0; k < 6; k++)
        add(l, col_a[k], 50, 100 + 24 * k, 290);
    for (int k = 0; k < 5; k++)
        add(l, col_b[k], 310, 100 + 24 * k, k == 4 ? 270 + 40 : 550);
    add(l, "- 1 -", 290, 760, 310);
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_string_equal(out.text.data,
                        "关于两栏排版的测试报告\n\n"
                        "甲一甲一甲一甲一甲一甲一甲二甲二甲二甲二甲二甲二甲三甲三甲三甲三甲三甲三"
                        "甲四甲四甲四甲四甲四甲四甲五甲五甲五甲五甲五甲五甲六甲六甲六甲六甲六甲六"
                        "乙一乙一乙一乙一乙一乙一乙二乙二乙二乙二乙二乙二乙三乙三乙三乙三乙三乙三"
                        "乙四乙四乙四乙四乙四乙四乙五乙五乙五乙五乙五乙五。");
    reader_out_free(&out);
}

/* One column with what must not be cut into columns: an indented quote,
 * a table (a narrow first column of numbers, a wide one of names, a
 * narrow one of amounts), a right-aligned signature.  Rows read across
 * (the table's rows join into one paragraph, as they did before columns). */
static void test_no_columns(void **state)
{
    (void)state;
    layout *l = layout_new();
    page(l);
    add(l, "正文第一行，写满了一整行的文字，从左边一直写到右边的页边。", 50, 100, FULL);
    add(l, "引文缩进两个字，左右都留白，这是第一行的引文内容文字。", 90, 124, 510);
    add(l, "引文缩进两个字，左右都留白，这是第二行的引文内容文字。", 90, 148, 510);
    add(l, "引文缩进两个字，左右都留白，这是第三行。", 90, 172, 330);
    static const char *const name[] = { "甲科技有限公司", "乙新材料股份有限公司", "丙公司", "丁电子科技集团有限公司" };
    static const char *const sum[] = { "100", "2500", "30", "4" };
    char num[16];
    for (int k = 0; k < 4; k++) {
        snprintf(num, sizeof num, "%d", k + 1);
        add(l, num, 50, 220 + 24 * k, 60);
        add(l, name[k], 120, 220 + 24 * k, 120 + 20 * (double)strlen(name[k]) / 3);
        add(l, sum[k], 500, 220 + 24 * k, 500 + 10 * (double)strlen(sum[k]));
    }
    add(l, "某某市科学技术局", 390, 400, FULL);
    add(l, "2024年5月6日", 420, 424, FULL);
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_string_equal(out.text.data,
                        "正文第一行，写满了一整行的文字，从左边一直写到右边的页边。\n\n"
                        "引文缩进两个字，左右都留白，这是第一行的引文内容文字。引文缩进两个字，左右都留白，这是第二行的引文内容文字。"
                        "引文缩进两个字，左右都留白，这是第三行。\n\n"
                        "1甲科技有限公司100 2乙新材料股份有限公司2500 3丙公司30 4丁电子科技集团有限公司4\n\n"
                        "某某市科学技术局\n\n2024年5月6日");
    reader_out_free(&out);
}

/* A list item whose mark stands apart ("•" then its text): its next line
 * hangs at the text, not at the mark, and goes on in the same paragraph;
 * the next item starts a new one. */
static void test_list_hang(void **state)
{
    (void)state;
    layout *l = layout_new();
    page(l);
    add(l, "•", 50, 100, 60);
    add(l, "第一项的文字写满了一整行，从列表符号后面一直写到右边的页边", 75, 100, FULL);
    add(l, "为止，然后在下一行接着写完。", 75, 124, 300);
    add(l, "•", 50, 148, 60);
    add(l, "第二项。", 75, 148, 160);
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    assert_string_equal(out.text.data, "•第一项的文字写满了一整行，从列表符号后面一直写到右边的页边为止，然后在下一行接着写完。\n\n•第二项。");
    reader_out_free(&out);
}

/* Bounded cost: a page of 100,000 glyphs, each its own fragment, in a grid
 * of 50 columns with white between every two (every strip has 49 gaps that
 * all strips share) is read in well under a second; a quadratic path in
 * the cut would take minutes (and time the test out). */
static void test_many_glyphs(void **state)
{
    (void)state;
    layout *l = layout_new();
    ps_err err = PS_ERR_INIT;
    assert_int_equal(layout_page(l, 2100, 24100, &err), 0);
    for (int r = 0; r < 2000; r++)
        for (int c = 0; c < 50; c++) {
            layout_line g = { "字", 3, 50 + 40.0 * c, 10 + 12.0 * r, 60 + 40.0 * c, 20 + 12.0 * r };
            assert_int_equal(layout_add(l, &g, &err), 0);
        }
    reader_out out = READER_OUT_INIT;
    finish(l, &out);
    size_t han = 0;
    for (const char *p = out.text.data; (p = strstr(p, "字")) != NULL; p += 3)
        han++;
    assert_int_equal(han, 100000);
    reader_out_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reading_order),
        cmocka_unit_test(test_header_footer),
        cmocka_unit_test(test_two_page_form_set),
        cmocka_unit_test(test_two_page_header),
        cmocka_unit_test(test_page_of_pages),
        cmocka_unit_test(test_line_joining),
        cmocka_unit_test(test_autospacing),
        cmocka_unit_test(test_page_break),
        cmocka_unit_test(test_gap_and_indent),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_two_columns),
        cmocka_unit_test(test_no_columns),
        cmocka_unit_test(test_many_glyphs),
        cmocka_unit_test(test_list_hang),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
