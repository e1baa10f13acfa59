/* test_refs.c — cited titles and document numbers (refs.c): extraction,
 * keys, terms and the title fallback, on small texts and on the sample
 * documents in $SEEDS (default "seeds", relative to the working directory). */
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
#include "paragraph.h"
#include "refs.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* One reference a test expects. */
typedef struct want {
    enum ref_kind kind;              /* title or document number */
    const char   *span;              /* the paragraph's bytes it covers */
    const char   *key;               /* its key */
} want;

#define T(span, key) { REF_TITLE, span, key }
#define N(span, key) { REF_DOCNO, span, key }

/* Check that the references found in l (from text) are exactly w[0..nw). */
static void assert_list(const char *text, const ref_list *l, const want *w, size_t nw)
{
    for (size_t i = 0; i < l->n && i < nw; i++) {
        const ref_item *r = &l->items[i];
        if (r->kind != w[i].kind || r->len != strlen(w[i].span)
            || memcmp(text + r->start, w[i].span, r->len) != 0
            || strcmp(refs_key(l, i), w[i].key) != 0)
            fail_msg("reference %zu: got %s [%.*s] key [%s], want %s [%s] key [%s]", i,
                     r->kind == REF_TITLE ? "title" : "docno", (int)r->len, text + r->start,
                     refs_key(l, i), w[i].kind == REF_TITLE ? "title" : "docno", w[i].span,
                     w[i].key);
        assert_int_equal(strlen(refs_key(l, i)), r->key_len);
    }
    if (l->n != nw)
        fail_msg("%zu references found, %zu expected (first extra: [%s])", l->n, nw,
                 l->n > nw ? refs_key(l, nw) : w[l->n].key);
}

/* Extract from NUL-terminated text (own title and number as given) and
 * check the result against w[0..nw). */
static void check(const char *text, const char *own_title, const char *own_docno,
                  const want *w, size_t nw)
{
    ref_list l = REF_LIST_INIT;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(refs_extract(text, strlen(text), own_title, own_docno, &l, &err), 0);
    assert_int_equal(err.code, PS_OK);
    assert_list(text, &l, w, nw);
    refs_list_free(&l);
}

#define CHECK(text, own_title, own_docno, ...)                                 \
    do {                                                                       \
        static const want w_[] = { __VA_ARGS__ };                              \
        check(text, own_title, own_docno, w_, sizeof w_ / sizeof *w_);         \
    } while (0)

/* Check that text cites nothing. */
static void check_none(const char *text)
{
    check(text, NULL, NULL, NULL, 0);
}

/* The key of the only reference in text (which must have exactly one). */
static char *only_key(const char *text)
{
    ref_list l = REF_LIST_INIT;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(refs_extract(text, strlen(text), NULL, NULL, &l, &err), 0);
    if (l.n != 1)
        fail_msg("%zu references in [%s], 1 expected", l.n, text);
    char *k = strdup(refs_key(&l, 0));
    assert_non_null(k);
    refs_list_free(&l);
    return k;
}

/* Assert that text has exactly one reference and that its key is key. */
static void assert_only_key(const char *text, const char *key)
{
    char *k = only_key(text);
    assert_string_equal(k, key);
    free(k);
}

/* ------------------------------------------------------------------------ */
/* The seeds                                                                */
/* ------------------------------------------------------------------------ */

/* What para_split's callback collects: every reference of a document, with
 * the paragraph it is in. */
typedef struct doc_refs {
    const char *own_title;           /* the document's own title, as meta found it */
    const char *own_docno;           /* the document's own number, as meta found it */
    char       *got;                 /* "PARAGRAPH KIND SPAN KEY\n" per reference (malloc'd) */
    size_t      len;                 /* bytes in got */
} doc_refs;

/* Append the references of one paragraph to the doc_refs in ctx. */
static int collect(void *ctx, const char *text, size_t len, size_t off, unsigned number)
{
    doc_refs *d = ctx;
    ref_list l = REF_LIST_INIT;
    ps_err err = PS_ERR_INIT;
    (void)off;
    assert_int_equal(refs_extract(text, len, d->own_title, d->own_docno, &l, &err), 0);
    for (size_t i = 0; i < l.n; i++) {
        const ref_item *r = &l.items[i];
        assert_true(r->start + r->len <= len);
        if (i > 0)
            assert_true(l.items[i - 1].start < r->start);
        char line[1024];
        int k = snprintf(line, sizeof line, "%u %c %.*s %s\n", number,
                         r->kind == REF_TITLE ? 'T' : 'N', (int)r->len, text + r->start,
                         refs_key(&l, i));
        assert_true(k > 0 && (size_t)k < sizeof line);
        char *g = realloc(d->got, d->len + (size_t)k + 1);
        assert_non_null(g);
        memcpy(g + d->len, line, (size_t)k + 1);
        d->got = g;
        d->len += (size_t)k;
    }
    refs_list_free(&l);
    return 0;
}

/* The references of seed `prefix`, one line each (see doc_refs); with
 * use_docno 0 the document's own number is not passed. */
static char *seed_refs(const char *prefix, int use_docno)
{
    size_t n;
    char *doc = read_seed(prefix, &n);
    doc_meta m = DOC_META_INIT;
    assert_int_equal(meta_extract(doc, n, NULL, &m), 0);
    doc_refs d = { m.title, use_docno ? m.docno : NULL, NULL, 0 };
    assert_int_equal(para_split(doc, n, PARA_MAX_CHARS, collect, &d), 0);
    doc_meta_free(&m);
    free(doc);
    return d.got ? d.got : strdup("");
}

/* Assert seed prefix's references, one line each as in doc_refs. */
static void assert_seed(const char *prefix, int use_docno, const char *want_lines)
{
    char *got = seed_refs(prefix, use_docno);
    assert_non_null(got);
    assert_string_equal(got, want_lines);
    free(got);
}

/* Seed 000 (a reply from 余姚): the proposal it answers and four local
 * plans, among them two with a year range in brackets after the type. */
static void test_seed000(void **state)
{
    (void)state;
    assert_seed("000_", 1,
        "5 T 《关于引导加大研发投入提升中小企业科创能力的建议》 关于引导加大研发投入提升中小企业科创能力的建议\n"
        "7 T 《余姚市高质量建设国家创新型县(市)三年行动计划(2023-2025年)》 余姚市高质量建设国家创新型县(市)三年行动计划(2023-2025年)\n"
        "10 T 《余姚市加大全社会研发投入提升专项行动(2023-2025)》 余姚市加大全社会研发投入提升专项行动(2023-2025)\n"
        "10 T 《余姚市研发投入专项激励资金使用管理办法》 余姚市研发投入专项激励资金使用管理办法\n"
        "21 T 《余姚市“一产业一研发平台”建设实施办法》 余姚市一产业一研发平台建设实施办法\n");
}

/* Seed 001 (one long line): one policy cited; the quoted proposal title
 * (in “” rather than 《》) is not a citation. */
static void test_seed001(void **state)
{
    (void)state;
    assert_seed("001_", 1,
        "2 T 《关于海宁市建设国家创新型县(市)的若干政策》 关于海宁市建设国家创新型县(市)的若干政策\n");
}

/* Seed 002 cites nothing: no 《》, and its 发文字号 field is empty. */
static void test_seed002(void **state)
{
    (void)state;
    assert_seed("002_", 1, "");
}

/* Seed 003 (临沂): the proposal it answers, an action plan with nested
 * quotes, and two local measures whose titles hold a space; its own number
 * on line 2 counts only when it is not passed as its own. */
static void test_seed003(void **state)
{
    static const char *const titles =
        "4 T 《关于引育“专精特新”,加力提速工业经济高质量发展的建议》 关于引育专精特新,加力提速工业经济高质量发展的建议\n"
        "7 T 《科技型企业“梯次培育”行动方案》 科技型企业梯次培育行动方案\n"
        "10 T 《临沂市实施发展翅膀工程 赋能经济高质量发展的若干措施》 临沂市实施发展翅膀工程赋能经济高质量发展的若干措施\n"
        "16 T 《临沂市实施发展翅膀工程 加快培育新质生产力三年行动方案》 临沂市实施发展翅膀工程加快培育新质生产力三年行动方案\n";
    char with_own[2048];
    (void)state;
    assert_seed("003_", 1, titles);
    snprintf(with_own, sizeof with_own, "%s%s", "2 N 临科函字〔2024〕4号 临科函字〔2024〕4号\n", titles);
    assert_seed("003_", 0, with_own);
}

/* Seed 004 (银川): two plans; 《建议》 (the 十四五 plan's, two characters)
 * is too short to tell what it names. */
static void test_seed004(void **state)
{
    (void)state;
    assert_seed("004_", 1,
        "11 T 《银川市推进创新驱动战略行动计划》 银川市推进创新驱动战略行动计划\n"
        "11 T 《银川市科技体制改革攻坚方案》 银川市科技体制改革攻坚方案\n");
}

/* ------------------------------------------------------------------------ */
/* Titles                                                                   */
/* ------------------------------------------------------------------------ */

/* Full-width and half-width brackets inside a title give one key, and so
 * do the title brackets 《》, 〈〉, <<>> and ＜＜＞＞ around it. */
static void test_title_widths(void **state)
{
    static const char *const key = "关于海宁市建设国家创新型县(市)的若干政策";
    (void)state;
    assert_only_key("出台《关于海宁市建设国家创新型县(市)的若干政策》。", key);
    assert_only_key("出台《关于海宁市建设国家创新型县（市）的若干政策》。", key);
    assert_only_key("出台〈关于海宁市建设国家创新型县（市）的若干政策〉。", key);
    assert_only_key("出台<<关于海宁市建设国家创新型县(市)的若干政策>>。", key);
    assert_only_key("出台＜＜关于海宁市建设国家创新型县（市）的若干政策＞＞。", key);
    assert_only_key("出台《关于海宁市建设国家创新型县（市）的若干政策》", key);
    /* Full-width Latin and digits fold; dashes become one. */
    assert_only_key("《５Ｇ＋工业互联网行动计划（２０２３—２０２５年）》",
                    "5g+工业互联网行动计划(2023-2025年)");
    assert_only_key("《5G+工业互联网行动计划(2023-2025年)》", "5g+工业互联网行动计划(2023-2025年)");
}

/* A title wrapped onto a new line has the key of the unwrapped one and its
 * span covers both lines; a blank line ends the search for the 》. */
static void test_title_wrapped(void **state)
{
    (void)state;
    CHECK("上半年制定《临沂市实施发展翅膀工程\n赋能经济高质量发展的若干措施》,通过", NULL, NULL,
          T("《临沂市实施发展翅膀工程\n赋能经济高质量发展的若干措施》",
            "临沂市实施发展翅膀工程赋能经济高质量发展的若干措施"));
    CHECK("制定《临沂市实施发展翅膀工程\r\n  赋能经济高质量发展的若干措施》", NULL, NULL,
          T("《临沂市实施发展翅膀工程\r\n  赋能经济高质量发展的若干措施》",
            "临沂市实施发展翅膀工程赋能经济高质量发展的若干措施"));
    check_none("制定《临沂市实施发展翅膀工程\n\n赋能经济高质量发展的若干措施》");
}

/* Quotes inside a title vanish from its key whatever their form; a title
 * nested in a title is cited as well as the outer one. */
static void test_title_nested(void **state)
{
    static const char *const key = "科技型企业梯次培育行动方案";
    (void)state;
    CHECK("联合出台《科技型企业“梯次培育”行动方案》,制定", NULL, NULL,
          T("《科技型企业“梯次培育”行动方案》", key));
    assert_only_key("《科技型企业\"梯次培育\"行动方案》", key);
    assert_only_key("《科技型企业「梯次培育」行动方案》", key);
    assert_only_key("《科技型企业‘梯次培育’行动方案》", key);
    assert_only_key("《科技型企业梯次培育行动方案》", key);
    CHECK("按照《关于印发〈余姚市研发投入专项激励资金使用管理办法〉的通知》要求", NULL, NULL,
          T("《关于印发〈余姚市研发投入专项激励资金使用管理办法〉的通知》",
            "关于印发余姚市研发投入专项激励资金使用管理办法的通知"),
          T("〈余姚市研发投入专项激励资金使用管理办法〉", "余姚市研发投入专项激励资金使用管理办法"));
    CHECK("转发《关于印发《科技创新券管理办法》的通知》", NULL, NULL,
          T("《关于印发《科技创新券管理办法》的通知》", "关于印发科技创新券管理办法的通知"),
          T("《科技创新券管理办法》", "科技创新券管理办法"));
}

/* A document that names its own title does not cite itself, however the
 * title is written; it still cites the others. */
static void test_title_self(void **state)
{
    static const char *const text =
        "现将《临沂市科技创新券管理办法(试行)》印发给你们,请结合《临沂市科技创新发展规划》认真贯彻执行。";
    (void)state;
    CHECK(text, "临沂市科技创新券管理办法（试行）", NULL,
          T("《临沂市科技创新发展规划》", "临沂市科技创新发展规划"));
    CHECK(text, "  《临沂市科技创新券管理办法 (试行)》\n", NULL,
          T("《临沂市科技创新发展规划》", "临沂市科技创新发展规划"));
    CHECK(text, NULL, NULL,
          T("《临沂市科技创新券管理办法(试行)》", "临沂市科技创新券管理办法(试行)"),
          T("《临沂市科技创新发展规划》", "临沂市科技创新发展规划"));
    /* Another document's title does not hide anything. */
    CHECK(text, "临沂市科技创新券管理办法", "临科发〔2024〕1号",
          T("《临沂市科技创新券管理办法(试行)》", "临沂市科技创新券管理办法(试行)"),
          T("《临沂市科技创新发展规划》", "临沂市科技创新发展规划"));
}

/* The policy-document rule, both ways: types of document count (also with
 * a year range, a trial mark or a draft mark after them, and any title with
 * 关于); books, films and methods do not. */
static void test_title_policy_rule(void **state)
{
    (void)state;
    assert_only_key("按照《临沂市科技创新券管理办法（试行）》", "临沂市科技创新券管理办法(试行)");
    assert_only_key("依据《中华人民共和国科学技术进步法》", "中华人民共和国科学技术进步法");
    assert_only_key("印发《余姚市科技企业培育工作指引（2024年修订）》", "余姚市科技企业培育工作指引(2024年修订)");
    assert_only_key("见《银川市科技计划项目管理规定（征求意见稿）》", "银川市科技计划项目管理规定(征求意见稿)");
    assert_only_key("《宁波市关于科技创新的实施细则征求意见稿》", "宁波市关于科技创新的实施细则征求意见稿");
    assert_only_key("《关于促进科技成果转化》", "关于促进科技成果转化");
    assert_only_key("《2023年政府工作报告》", "2023年政府工作报告");
    assert_only_key("《国务院办公厅关于同意设立某某示范区的复函》", "国务院办公厅关于同意设立某某示范区的复函");
    /* Not policy documents. */
    check_none("我最近在读《平凡的世界》这本书,很受启发。");
    check_none("组织干部学习《习近平谈治国理政》第四卷。");
    check_none("观看电影《长津湖》并撰写《观后感心得体会》。");
    check_none("推广《科研数据分析方法》。");
    check_none("阅读《孙子兵法》。");
    check_none("阅读<<The Art of War Law>>。");
}

/* What must not count: empty brackets, brackets holding too little or too
 * much, unclosed brackets, brackets across a sentence end, and lone angle
 * brackets. */
static void test_title_false_positives(void **state)
{
    char long_title[1024];
    (void)state;
    check_none("《》");
    check_none("依照《 》执行。");
    check_none("〈〉〈〉《《》》");
    check_none("“十四五”规划《建议》中强调");
    check_none("《通知》《意见》《办法》");
    check_none("《关于加强科技创新的意见");
    check_none("关于加强科技创新的意见》");
    check_none("《关于加强科技。创新的意见》");
    check_none("若 a << b 且 c >> d 则关于办法成立");
    check_none("<<关于加强科技创新>的意见>>");
    strcpy(long_title, "《关于");
    for (int i = 0; i < 40; i++)
        strcat(long_title, "加强");
    strcat(long_title, "的意见》");
    check_none(long_title);
    /* 80 characters is the most: 关于 + 37 x 加强 + 的意见 = 79. */
    strcpy(long_title, "《关于");
    for (int i = 0; i < 37; i++)
        strcat(long_title, "加强");
    strcat(long_title, "的意见》");
    char *k = only_key(long_title);
    assert_int_equal(strlen(k), 79 * 3);
    free(k);
}

/* ------------------------------------------------------------------------ */
/* Document numbers                                                         */
/* ------------------------------------------------------------------------ */

/* Every form of year brackets gives the same key, with 第, leading zeros,
 * white space and 號 normalised away. */
static void test_docno_brackets(void **state)
{
    static const char *const key = "国办发〔2017〕47号";
    static const char *const forms[] = {
        "国办发〔2017〕47号", "国办发[2017]47号", "国办发［2017］47号", "国办发(2017)47号",
        "国办发（2017）47号", "国办发【2017】47号", "国办发〖2017〗47号", "国办发﹝2017﹞47号",
        "国办发〔２０１７〕４７号", "国办发〔2017〕第47号", "国办发〔2017〕047号", "国办发 〔2017〕 47 号",
        "国办发〔2017]47號",
    };
    (void)state;
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        char text[256];
        snprintf(text, sizeof text, "根据%s文件精神", forms[i]);
        want w = N(forms[i], key);
        check(text, NULL, NULL, &w, 1);
    }
}

/* Numbers of several issuers, with 字, and the issuer cut from the words
 * before it. */
static void test_docno_forms(void **state)
{
    (void)state;
    CHECK("临科函字〔2024〕4号", NULL, NULL, N("临科函字〔2024〕4号", "临科函字〔2024〕4号"));
    CHECK("按照浙政发[2023]12号和甬科计（2023）5号要求", NULL, NULL,
          N("浙政发[2023]12号", "浙政发〔2023〕12号"), N("甬科计（2023）5号", "甬科计〔2023〕5号"));
    CHECK("贯彻落实国办发〔2017〕47号、国发〔2016〕5号精神", NULL, NULL,
          N("国办发〔2017〕47号", "国办发〔2017〕47号"), N("国发〔2016〕5号", "国发〔2016〕5号"));
    CHECK("市政府印发的宁政办发〔2022〕88号", NULL, NULL,
          N("宁政办发〔2022〕88号", "宁政办发〔2022〕88号"));
    CHECK("《关于印发〈X市科技计划管理办法〉的通知》(X科发〔2023〕9号)", NULL, NULL,
          T("《关于印发〈X市科技计划管理办法〉的通知》", "关于印发x市科技计划管理办法的通知"),
          T("〈X市科技计划管理办法〉", "x市科技计划管理办法"),
          N("科发〔2023〕9号", "科发〔2023〕9号"));
    /* The document's own number is left out; others stay. */
    CHECK("临科函字〔2024〕4号,依据临科发〔2023〕2号", NULL, "临科函字[2024]4号",
          N("临科发〔2023〕2号", "临科发〔2023〕2号"));
}

/* What is not a document number. */
static void test_docno_false_positives(void **state)
{
    (void)state;
    check_none("2023年共审核备案521家");
    check_none("(2023)5号");
    check_none("根据〔2017〕47号");
    check_none("国办发〔2017〕47");
    check_none("国办发〔17〕47号");
    check_none("国办发〔1849〕47号");
    check_none("国办发〔2017〕1234567号");
    check_none("国办发〔2017 47号");
    check_none("第7号提案");
    check_none("市政协十四届三次会议第7号提案");
    check_none("推动科技型企业高质量发展国办发〔2017〕47号");
}

/* ------------------------------------------------------------------------ */
/* User input and terms                                                     */
/* ------------------------------------------------------------------------ */

/* refs_normalize_title / _docno / _any give the keys extraction gives. */
static void test_normalize_input(void **state)
{
    buf key = BUF_INIT;
    ps_err err = PS_ERR_INIT;
    enum ref_kind kind;
    (void)state;
    const char *t = " 《关于海宁市建设国家创新型县（市）的若干政策》\n";
    assert_int_equal(refs_normalize_title(t, strlen(t), &key, &err), 0);
    assert_string_equal(key.data, "关于海宁市建设国家创新型县(市)的若干政策");
    t = "科技型企业“梯次培育”行动方案";
    assert_int_equal(refs_normalize_title(t, strlen(t), &key, &err), 0);
    assert_string_equal(key.data, "科技型企业梯次培育行动方案");
    t = "<<关于 加强 科技创新的意见>>";
    assert_int_equal(refs_normalize_title(t, strlen(t), &key, &err), 0);
    assert_string_equal(key.data, "关于加强科技创新的意见");
    t = " 《》 ";
    assert_int_equal(refs_normalize_title(t, strlen(t), &key, &err), 1);
    assert_int_equal(key.len, 0);
    assert_int_equal(refs_normalize_title("", 0, &key, &err), 1);

    t = " 国办发[2017]47号 ";
    assert_int_equal(refs_normalize_docno(t, strlen(t), &key, &err), 0);
    assert_string_equal(key.data, "国办发〔2017〕47号");
    t = "临科函字（2024）第04号";
    assert_int_equal(refs_normalize_docno(t, strlen(t), &key, &err), 0);
    assert_string_equal(key.data, "临科函字〔2024〕4号");
    t = "国办发〔2017〕47";
    assert_int_equal(refs_normalize_docno(t, strlen(t), &key, &err), 0);
    assert_string_equal(key.data, "国办发〔2017〕47号");
    static const char *const not_docnos[] = {
        "005452102/2024-00001", "11640100010085853R/2022-00089", "", "国办发〔2017〕47号文件",
        "国办发〔2017〕47号 国发〔2016〕5号", "(2017)47号", "关于加强科技创新的意见",
    };
    for (size_t i = 0; i < sizeof not_docnos / sizeof *not_docnos; i++) {
        assert_int_equal(refs_normalize_docno(not_docnos[i], strlen(not_docnos[i]), &key, &err), 1);
        assert_int_equal(key.len, 0);
    }

    t = "浙政发[2023]12号";
    assert_int_equal(refs_normalize_any(t, strlen(t), &kind, &key, &err), 0);
    assert_int_equal(kind, REF_DOCNO);
    assert_string_equal(key.data, "浙政发〔2023〕12号");
    t = "《余姚市加大全社会研发投入提升专项行动（2023—2025）》";
    assert_int_equal(refs_normalize_any(t, strlen(t), &kind, &key, &err), 0);
    assert_int_equal(kind, REF_TITLE);
    assert_string_equal(key.data, "余姚市加大全社会研发投入提升专项行动(2023-2025)");
    assert_int_equal(refs_normalize_any(" ", 1, &kind, &key, &err), 1);
    assert_int_equal(err.code, PS_OK);
    buf_free(&key);
}

/* Terms: prefix by kind and role, the key as it is while it fits, cut and
 * hashed when it does not (within Xapian's limit, distinct, repeatable). */
static void test_terms(void **state)
{
    buf t = BUF_INIT, t2 = BUF_INIT;
    (void)state;
    const char *k = "国办发〔2017〕47号";
    assert_int_equal(refs_term(REF_DOCNO, REF_CITES, k, strlen(k), &t), 0);
    assert_string_equal(t.data, "XRN国办发〔2017〕47号");
    assert_int_equal(refs_term(REF_DOCNO, REF_IDENTITY, k, strlen(k), &t), 0);
    assert_string_equal(t.data, "XIN国办发〔2017〕47号");
    k = "科技型企业梯次培育行动方案";
    assert_int_equal(refs_term(REF_TITLE, REF_CITES, k, strlen(k), &t), 0);
    assert_string_equal(t.data, "XRT科技型企业梯次培育行动方案");
    assert_int_equal(refs_term(REF_TITLE, REF_IDENTITY, k, strlen(k), &t), 0);
    assert_string_equal(t.data, "XIT科技型企业梯次培育行动方案");

    /* 78 three-byte characters (234 bytes) still fit: 237 with the prefix. */
    char key[1024] = "", key2[1024];
    for (int i = 0; i < 78; i++)
        strcat(key, "策");
    assert_int_equal(refs_term(REF_TITLE, REF_CITES, key, strlen(key), &t), 0);
    assert_int_equal(t.len, 3 + 234);
    assert_null(strchr(t.data, '#'));
    /* One more is hashed; so is a key with a 4-byte character at the cut. */
    strcat(key, "策");
    strcpy(key2, key);
    strcat(key, "一");
    strcat(key2, "二");
    assert_int_equal(refs_term(REF_TITLE, REF_CITES, key, strlen(key), &t), 0);
    assert_int_equal(refs_term(REF_TITLE, REF_CITES, key2, strlen(key2), &t2), 0);
    assert_true(t.len <= REFS_TERM_MAX && t2.len <= REFS_TERM_MAX);
    assert_int_equal(t.len, 3 + 198 + 1 + 16);
    assert_memory_equal(t.data, "XRT", 3);
    assert_non_null(strchr(t.data, '#'));
    assert_string_not_equal(t.data, t2.data);
    assert_int_equal(refs_term(REF_TITLE, REF_CITES, key2, strlen(key2), &t), 0);
    assert_string_equal(t.data, t2.data);
    strcpy(key, "a");
    for (int i = 0; i < 70; i++)
        strcat(key, "\xF0\xA0\x80\x80");         /* U+20000, 4 bytes */
    assert_int_equal(refs_term(REF_DOCNO, REF_CITES, key, strlen(key), &t), 0);
    assert_int_equal(t.len, 3 + 197 + 1 + 16);
    buf_free(&t);
    buf_free(&t2);
}

/* ------------------------------------------------------------------------ */
/* A document's title                                                       */
/* ------------------------------------------------------------------------ */

/* The title of doc (meta as given) and where it came from. */
static void assert_title(const char *doc, const doc_meta *m, const char *want_title,
                         enum ref_title_from want_from)
{
    buf t = BUF_INIT;
    ps_err err = PS_ERR_INIT;
    enum ref_title_from from;
    assert_int_equal(refs_doc_title(doc, doc ? strlen(doc) : 0, m, &t, &from, &err), 0);
    assert_string_equal(t.data ? t.data : "", want_title);
    assert_int_equal(from, want_from);
    buf_free(&t);
}

/* Seed 003 has no title line: its title is the proposal it answers; the
 * other seeds keep the title meta found. */
static void test_doc_title_seeds(void **state)
{
    static const struct { const char *seed, *title; enum ref_title_from from; } cases[] = {
        { "000_", "关于市政协十四届三次会议第7号提案的回复", REF_TITLE_META },
        { "002_", "关于加大小微企业科技发展与创新力度的建议", REF_TITLE_META },
        { "003_", "关于引育“专精特新”,加力提速工业经济高质量发展的建议", REF_TITLE_CITED },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n;
        char *doc = read_seed(cases[i].seed, &n);
        doc_meta m = DOC_META_INIT;
        assert_int_equal(meta_extract(doc, n, NULL, &m), 0);
        assert_title(doc, &m, cases[i].title, cases[i].from);
        doc_meta_free(&m);
        free(doc);
    }
}

/* The fallbacks in turn: a title answered or announced (the cues before and
 * after it), the number, the first line; a line break inside is removed. */
static void test_doc_title_fallbacks(void **state)
{
    doc_meta m = { "", "", "", "临科函字〔2024〕4号", "" };
    doc_meta blank = { " \n", NULL, NULL, "  ", NULL };
    (void)state;
    assert_title("王某代表:\n对您提出的《关于加快科技成果\n转化的建议》的答复如下。", &m,
                 "关于加快科技成果转化的建议", REF_TITLE_CITED);
    assert_title("关于对《关于加强科技创新的提案》的复函\n正文。", &m,
                 "关于加强科技创新的提案", REF_TITLE_CITED);
    assert_title("各县区:\n现将《临沂市科技创新券管理办法（试行）》印发给你们。", &m,
                 "临沂市科技创新券管理办法（试行）", REF_TITLE_CITED);
    /* A title merely cited is not one the document answers. */
    assert_title("依据《临沂市科技创新发展规划》,我局开展工作。", &m,
                 "临科函字〔2024〕4号", REF_TITLE_DOCNO);
    assert_title("依据《临沂市科技创新发展规划》,我局开展工作。", &blank,
                 "依据《临沂市科技创新发展规划》,我局开展工作。", REF_TITLE_TEXT);
    assert_title("\n\n   近年来,我市高度重视中小企业科创能力建设,锚定高质量建设国家创新型县(市)目标,紧扣科技支撑产业发展主题,深度融入全省科技创新体系。\n",
                 NULL, "近年来,我市高度重视中小企业科创能力建设,锚定高质量建设国家创新型县(市)目标,紧扣科技支撑产业发展主题,深度融入全省科",
                 REF_TITLE_TEXT);
    /* The answered title is looked for near the start; a long blank
     * lead-in does not push it out of reach, a long text before it does. */
    char *big = malloc(70000);
    assert_non_null(big);
    memset(big, ' ', 40000);
    strcpy(big + 40000, "对您提出的《关于加快科技成果转化的建议》答复如下");
    assert_title(big, NULL, "关于加快科技成果转化的建议", REF_TITLE_CITED);
    memset(big, 'x', 20000);
    assert_title(big, NULL, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", REF_TITLE_TEXT);
    free(big);
    assert_title("", &blank, "", REF_TITLE_NONE);
    assert_title(NULL, NULL, "", REF_TITLE_NONE);
    assert_title(" \n\t", NULL, "", REF_TITLE_NONE);
    doc_meta titled = { "  关于某事的通知\n", NULL, NULL, NULL, NULL };
    assert_title("现将《关于加快科技成果转化的建议》答复如下", &titled, "关于某事的通知", REF_TITLE_META);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed000),
        cmocka_unit_test(test_seed001),
        cmocka_unit_test(test_seed002),
        cmocka_unit_test(test_seed003),
        cmocka_unit_test(test_seed004),
        cmocka_unit_test(test_title_widths),
        cmocka_unit_test(test_title_wrapped),
        cmocka_unit_test(test_title_nested),
        cmocka_unit_test(test_title_self),
        cmocka_unit_test(test_title_policy_rule),
        cmocka_unit_test(test_title_false_positives),
        cmocka_unit_test(test_docno_brackets),
        cmocka_unit_test(test_docno_forms),
        cmocka_unit_test(test_docno_false_positives),
        cmocka_unit_test(test_normalize_input),
        cmocka_unit_test(test_terms),
        cmocka_unit_test(test_doc_title_seeds),
        cmocka_unit_test(test_doc_title_fallbacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
