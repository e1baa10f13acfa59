/* test_meta.c — document metadata (meta.c): title, date, issuer, document
 * number and proposal, from the sample documents in $SEEDS (default
 * "seeds", relative to the working directory) and from small texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "meta.h"

/* What each seed says about itself. */
typedef struct expect {
    const char *seed;                /* file name prefix */
    const char *title;               /* expected title */
    const char *date;                /* expected date, YYYY-MM-DD */
    const char *issuer;              /* expected issuing body */
    const char *docno;               /* expected document number */
    const char *proposal;            /* expected proposal reference */
} expect;

static const expect expects[] = {
    { "000_", "关于市政协十四届三次会议第7号提案的回复", "2024-07-16", "市科技局", "", "第7号提案" },
    { "001_", "海宁市科学技术局关于对 市第十六届人民代表大会第三次会议第380号建议的答复意见",
      "2024-05-22", "海宁市科学技术局", "", "第380号建议" },
    { "002_", "关于加大小微企业科技发展与创新力度的建议", "2024-09-19", "市科学技术局",
      "005452102/2024-00001", "第172号" },
    /* A reply letter with no title line: its head is a field, the number,
     * the salutation and then prose. */
    { "003_", "", "2024-06-18", "临沂市科学技术局", "临科函字〔2024〕4号", "" },
    { "004_", "银川市科技局关于对市政协十四届一次会议第029号“关于培育和壮大科技型企业 强化企业创新主体地位的提案”的答复",
      "2022-09-14", "银川市科学技术局", "11640100010085853R/2022-00089", "第029号" },
};

/* Check all five fields of m. */
static void assert_meta(const doc_meta *m, const char *title, const char *date,
                        const char *issuer, const char *docno, const char *proposal)
{
    assert_string_equal(m->title, title);
    assert_string_equal(m->date, date);
    assert_string_equal(m->issuer, issuer);
    assert_string_equal(m->docno, docno);
    assert_string_equal(m->proposal, proposal);
}

/* Extract the metadata of NUL-terminated doc into *m. */
static void meta_of(const char *doc, const char *html_title, doc_meta *m)
{
    *m = (doc_meta)DOC_META_INIT;
    assert_int_equal(meta_extract(doc, strlen(doc), html_title, m), 0);
}

/* The five seeds give what a reader of them would write down. */
static void test_meta_seeds(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof expects / sizeof *expects; i++) {
        const expect *e = &expects[i];
        size_t n;
        char *doc = read_seed(e->seed, &n);
        doc_meta m = DOC_META_INIT;
        assert_int_equal(meta_extract(doc, n, NULL, &m), 0);
        assert_meta(&m, e->title, e->date, e->issuer, e->docno, e->proposal);
        doc_meta_free(&m);
        assert_null(m.title);
        free(doc);
    }
}

/* An empty document gives five empty (not NULL) strings. */
static void test_meta_empty(void **state)
{
    doc_meta m;
    (void)state;
    meta_of("", NULL, &m);
    assert_meta(&m, "", "", "", "", "");
    doc_meta_free(&m);
    assert_int_equal(meta_extract(NULL, 0, NULL, &m), 0);
    assert_meta(&m, "", "", "", "", "");
    doc_meta_free(&m);
}

/* Plain prose says nothing about itself. */
static void test_meta_no_metadata(void **state)
{
    doc_meta m;
    (void)state;
    meta_of("近年来，我市高度重视中小企业科创能力建设，取得明显成效。\n\n"
            "下一步，我们将继续加大工作力度。\n", NULL, &m);
    assert_meta(&m, "", "", "", "", "");
    doc_meta_free(&m);
}

/* Labels with nothing after them give nothing (and are not titles). */
static void test_meta_label_without_value(void **state)
{
    doc_meta m;
    (void)state;
    meta_of("标题：\n发布日期：\n发布机构:\n索 引 号：\n发文字号:\n"
            "正文内容写在这里，没有别的信息。\n", NULL, &m);
    assert_meta(&m, "", "", "", "", "");
    doc_meta_free(&m);
    /* A label standing alone takes the next line, unless that is a label. */
    meta_of("\xe2\x80\xa2 发文字号\n\xe2\x80\xa2 索引号\n\xe2\x80\xa2 A01/2023-7\n"
            "标题\n关于开展某某工作的通知\n", NULL, &m);
    assert_meta(&m, "关于开展某某工作的通知", "", "", "A01/2023-7", "");
    doc_meta_free(&m);
}

/* The <title> is used without its site name, but loses to a 标题 field. */
static void test_meta_html_title(void **state)
{
    doc_meta m;
    (void)state;
    meta_of("正文第一段。\n", "关于印发某某行动方案的通知_某某市人民政府", &m);
    assert_string_equal(m.title, "关于印发某某行动方案的通知");
    doc_meta_free(&m);
    /* A 标题 field beats the <title>. */
    meta_of("标题：关于某某事项的批复\n正文。\n", "网站首页 | 某某网", &m);
    assert_string_equal(m.title, "关于某某事项的批复");
    doc_meta_free(&m);
}

/* Labelled fields: dates in several forms, label ranks, the title cap. */
static void test_meta_fields(void **state)
{
    doc_meta m;
    char big[2048];
    (void)state;
    meta_of("成文日期：二〇二三年十二月三十一日\n发文字号：国办发〔2023〕12号\n"
            "发文机关：国务院办公厅\n关于某某问题的通知\n正文内容，引用市人大第15号议案。\n",
            NULL, &m);
    assert_meta(&m, "关于某某问题的通知", "2023-12-31", "国务院办公厅", "国办发〔2023〕12号",
                "第15号议案");
    doc_meta_free(&m);
    meta_of("日期: 2021/3/5\n", NULL, &m);
    assert_string_equal(m.date, "2021-03-05");
    doc_meta_free(&m);
    /* Labels may follow a "|" separator. */
    meta_of("发布时间：2020-01-02|来源：市政府办公室\n", NULL, &m);
    assert_string_equal(m.date, "2020-01-02");
    assert_string_equal(m.issuer, "市政府办公室");
    doc_meta_free(&m);
    /* 发布机构 beats 信息来源 wherever they are. */
    meta_of("信息来源：市政府办\n发布机构：市发展改革委\n", NULL, &m);
    assert_string_equal(m.issuer, "市发展改革委");
    doc_meta_free(&m);
    /* Titles are cut to 120 code points. */
    strcpy(big, "标题：");
    for (int i = 0; i < 50; i++)
        strcat(big, "关于某某");
    meta_of(big, NULL, &m);
    assert_int_equal(t_chars(m.title, strlen(m.title)), 120);
    doc_meta_free(&m);
}

/* A 20 MB line of Han characters without punctuation: linear time, and
 * no title made of it. */
static void test_meta_huge_line(void **state)
{
    static const char unit[] = "科技创新驱动发展";
    size_t k = strlen(unit), n = HUGE_BYTES / k * k;
    char *doc = malloc(n);
    (void)state;
    assert_non_null(doc);
    for (size_t i = 0; i < n; i += k)
        memcpy(doc + i, unit, k);
    doc_meta m = DOC_META_INIT;
    double t0 = now();
    assert_int_equal(meta_extract(doc, n, NULL, &m), 0);
    assert_true(now() - t0 < HUGE_SECONDS);
    assert_string_equal(m.title, "");
    doc_meta_free(&m);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meta_seeds),
        cmocka_unit_test(test_meta_empty),
        cmocka_unit_test(test_meta_no_metadata),
        cmocka_unit_test(test_meta_label_without_value),
        cmocka_unit_test(test_meta_html_title),
        cmocka_unit_test(test_meta_fields),
        cmocka_unit_test(test_meta_huge_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
