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
    /* A 标题 value of 120 code points is a title; one of 200 is not (it
     * ran on into the text), and no title is made of it. */
    strcpy(big, "标题：");
    for (int i = 0; i < 30; i++)
        strcat(big, "关于某某");
    meta_of(big, NULL, &m);
    assert_int_equal(t_chars(m.title, strlen(m.title)), 120);
    doc_meta_free(&m);
    for (int i = 0; i < 20; i++)
        strcat(big, "关于某某");
    meta_of(big, NULL, &m);
    assert_string_equal(m.title, "");
    doc_meta_free(&m);
}

/* A text and what a reader of it would write down: NULL fields are not
 * checked. */
typedef struct reading {
    const char *doc;                 /* the text */
    const char *prop;                /* its title property (<title>, PDF Info, DOCX core), or NULL */
    const char *title;               /* expected title */
    const char *date;                /* expected date */
    const char *issuer;              /* expected issuer */
    const char *docno;               /* expected document number */
} reading;

/* Check every reading of rs[0..n). */
static void check_readings(const reading *rs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const reading *r = &rs[i];
        doc_meta m;
        meta_of(r->doc, r->prop, &m);
        const char *got[] = { m.title, m.date, m.issuer, m.docno };
        const char *want[] = { r->title, r->date, r->issuer, r->docno };
        for (size_t f = 0; f < 4; f++)
            if (want[f] && strcmp(got[f], want[f]) != 0) {
                print_error("reading %zu field %zu: \"%s\" != \"%s\"\n", i, f, got[f], want[f]);
                fail();
            }
        doc_meta_free(&m);
    }
}

/* A value ends where a reader would end it: at the next label, known
 * (责任部门) or not (a colon after a body's name), at a clause mark, at
 * white space between table cells or full-width spaces; a value that does
 * not fit its field is not taken. */
static void test_meta_value_ends(void **state)
{
    static const reading rs[] = {
        /* A PDF that prints its labels on one line. */
        { "发布机构：银川市科学技术局责任部门:办公室 发布日期：2022-09-14\n", NULL,
          NULL, "2022-09-14", "银川市科学技术局", NULL },
        { "发布机构：银川市科学技术局办公地址：北京路1号\n", NULL, NULL, NULL, "银川市科学技术局", NULL },
        /* Labels separated by full-width spaces. */
        { "发布机构：宁波市科学技术局\xe3\x80\x80\xe3\x80\x80发布日期：2024年6月18日"
          "\xe3\x80\x80索引号：11330200/2024-00012\xe3\x80\x80文号：甬科发〔2024〕3号\n", NULL,
          "", "2024-06-18", "宁波市科学技术局", "甬科发〔2024〕3号" },
        /* Labels in a table row: the cells are separated by white space only. */
        { "索引号 005452102/2024-00001 发布机构 市科学技术局\n"
          "标题 关于开展科技型企业评价工作的通知 发布日期 2024-09-19\n正文。\n", NULL,
          "关于开展科技型企业评价工作的通知", "2024-09-19", "市科学技术局", "005452102/2024-00001" },
        /* Values that do not fit their field are not taken. */
        { "文号：无\n索引号：详见附件的说明\n信息来源：本网站根据有关部门提供的材料整理编辑而成"
          "欢迎转载但请注明出处谢谢合作请勿用于商业用途\n", NULL, "", "", "", "" },
        /* A value stops at a clause mark. */
        { "来源：市政府办公室，2023年\n", NULL, NULL, NULL, "市政府办公室", NULL },
    };
    (void)state;
    check_readings(rs, sizeof rs / sizeof *rs);
}

/* The metadata of one line that is unit repeated to about bytes bytes,
 * into *m; the extraction takes less than HUGE_SECONDS (linear time). */
static void meta_of_line(const char *unit, size_t bytes, doc_meta *m)
{
    size_t k = strlen(unit), n = bytes / k * k;
    char *doc = malloc(n);
    assert_non_null(doc);
    for (size_t i = 0; i < n; i += k)
        memcpy(doc + i, unit, k);
    *m = (doc_meta)DOC_META_INIT;
    double t0 = now();
    assert_int_equal(meta_extract(doc, n, NULL, m), 0);
    assert_true(now() - t0 < HUGE_SECONDS);
    free(doc);
}

/* A 20 MB line of Han characters without punctuation: linear time, and
 * no title made of it. */
static void test_meta_huge_line(void **state)
{
    doc_meta m;
    (void)state;
    meta_of_line("科技创新驱动发展", HUGE_BYTES, &m);
    assert_string_equal(m.title, "");
    doc_meta_free(&m);
}

/* The one-line text export of the issue: labels in a 4 MB line without
 * a break.  Every field is what a reader would call it, and bounded. */
static void test_meta_one_line(void **state)
{
    doc_meta m;
    (void)state;
    meta_of_line("各地区各部门要加强科技创新工作信息来源：市科技局责任部门：办公室"
                 "来源：新华社索引号：A01/2023-7文号：甬科〔2023〕12号", 4u << 20, &m);
    assert_string_equal(m.issuer, "市科技局");
    assert_string_equal(m.docno, "甬科〔2023〕12号");
    assert_true(strlen(m.title) <= 4 * 120);
    doc_meta_free(&m);
}

/* What a reader of a 公文 or a web page would write down. */
static void test_meta_as_read(void **state)
{
    static char long_page[8192];
    const reading rs[] = {
        /* 红头文件: the header names the body; the title is under the number. */
        { "宁 波 市 人 民 政 府 文 件\n\n甬政发〔2015〕32号\n\n"
          "宁波市人民政府关于印发宁波市科技创新行动方案的通知\n\n"
          "各区县（市）人民政府，市直各单位：\n现将方案印发给你们，请认真贯彻执行。\n\n"
          "宁波市人民政府\n2015年6月3日\n", NULL,
          "宁波市人民政府关于印发宁波市科技创新行动方案的通知", "2015-06-03", "宁波市人民政府",
          "甬政发〔2015〕32号" },
        /* A date that says 印发; a signature before the page number. */
        { "正文内容。\n\n抄送：市委办公室。\n宁波市人民政府办公厅 2015年6月3日印发\n", NULL,
          NULL, "2015-06-03", "宁波市人民政府办公厅", NULL },
        { "正文内容。\n\n宁波市科学技术局\n2023年3月9日\n\n- 3 -\n", NULL,
          NULL, "2023-03-09", "宁波市科学技术局", NULL },
        { "正文内容。\n（本稿完成日期：2023年3月9日）\n", NULL, NULL, "2023-03-09", NULL, NULL },
        /* A title does not run on into the addressee line. */
        { "关于印发某某市促进中小企业发展若干措施的通知各区、县人民政府，市政府各委、办、局：\n"
          "现将措施印发给你们。\n", NULL, "关于印发某某市促进中小企业发展若干措施的通知", NULL, NULL, NULL },
        /* Placeholder titles of a producer are no titles. */
        { "正文第一段。\n", "标题", "", NULL, NULL, NULL },
        { "正文第一段。\n", "Microsoft Word - 附件1.doc", "", NULL, NULL, NULL },
        { "正文第一段。\n", "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}", "", NULL, NULL, NULL },
        { "正文第一段。\n", "（填写标准名称）", "", NULL, NULL, NULL },
        { "正文第一段。\n", "新建文档.docx", "", NULL, NULL, NULL },
        { "正文第一段。\n", "Untitled", "", NULL, NULL, NULL },
        /* An HTML heading that reads 名称 is not the 名称 field; a 来源 in a
         * footnote at the end of a long page, or in brackets, is no issuer. */
        { "名称\n本办法所称的名称是指企业在登记机关登记的名称。\n", NULL, "", NULL, NULL, NULL },
        { long_page, NULL, NULL, NULL, "", NULL },
        { "据报道（来源：新华社）。\n", NULL, NULL, NULL, "", NULL },
        /* Titles carry no control characters. */
        { "标题：\x1b[31m关于某某\x07事项的通知\x1b[0m\n", NULL, "关于某某事项的通知", NULL, NULL, NULL },
    };
    (void)state;
    long_page[0] = '\0';
    for (int i = 0; i < 50; i++)
        strcat(long_page, "这是正文的一段内容。\n");
    strcat(long_page, "来源：新华社\n");
    check_readings(rs, sizeof rs / sizeof *rs);
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
        cmocka_unit_test(test_meta_value_ends),
        cmocka_unit_test(test_meta_one_line),
        cmocka_unit_test(test_meta_as_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
