/* test_paragraph.c — paragraph splitting (paragraph.c) and document
 * metadata (meta.c), on small texts and on the sample documents in $SEEDS
 * (default "seeds", relative to the working directory). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "meta.h"
#include "paragraph.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* One paragraph as the callback saw it. */
typedef struct para {
    size_t   off;                    /* byte offset in the document */
    size_t   len;                    /* bytes */
    unsigned number;                 /* number passed to the callback */
    int      ptr_ok;                 /* text pointed at doc + off */
} para;

/* What the collecting callback fills in. */
typedef struct plist {
    const char *doc;                 /* the document being split */
    para       *v;                   /* paragraphs seen */
    size_t      n;                   /* paragraphs in use */
    size_t      cap;                 /* paragraphs allocated */
    unsigned    stop_at;             /* return 7 at this number (0: never) */
} plist;

/* Collect every paragraph; stop with 7 at stop_at. */
static int collect(void *ctx, const char *text, size_t len, size_t off, unsigned number)
{
    plist *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        para *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n].off = off;
    l->v[l->n].len = len;
    l->v[l->n].number = number;
    l->v[l->n].ptr_ok = text == l->doc + off;
    l->n++;
    return l->stop_at && number == l->stop_at ? 7 : 0;
}

/* Split doc[0..n) into l (max_chars as given). */
static void split(const char *doc, size_t n, size_t max_chars, plist *l)
{
    memset(l, 0, sizeof *l);
    l->doc = doc;
    assert_int_equal(para_split(doc, n, max_chars, collect, l), 0);
}

/* Split NUL-terminated doc with the default limit. */
static void split_str(const char *doc, plist *l)
{
    split(doc, strlen(doc), PARA_MAX_CHARS, l);
}

/* Does paragraph i of l hold exactly the string s? */
static void assert_para(const plist *l, size_t i, const char *s)
{
    assert_true(i < l->n);
    assert_int_equal(l->v[i].len, strlen(s));
    assert_memory_equal(l->doc + l->v[i].off, s, strlen(s));
}

/* Decode one code point (the test's own decoder, independent of src/). */
static size_t tdec(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80 || n < 2) {
        *cp = s[0];
        return 1;
    }
    if (s[0] < 0xE0) {
        *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (s[0] < 0xF0 && n >= 3) {
        *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if (n >= 4) {
        *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12)
            | ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    *cp = 0xFFFD;
    return 1;
}

/* Han characters, by the test's own (narrower) definition. */
static int t_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

/* Characters that must never be lost: ASCII letters and digits, Han, full-width digits. */
static int t_word(uint32_t c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || t_han(c)
        || (c >= 0xFF10 && c <= 0xFF19);
}

/* White space that paragraphs must not start or end with. */
static int t_space(uint32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 || c == 0x3000
        || (c >= 0x2000 && c <= 0x200B);
}

/* Code points in UTF-8 s[0..n). */
static size_t t_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* The code point before byte off of doc (0 at the start). */
static uint32_t t_before(const char *doc, size_t off)
{
    uint32_t c = 0;
    size_t p = off;
    if (off == 0)
        return 0;
    do
        p--;
    while (p > 0 && ((unsigned char)doc[p] & 0xC0) == 0x80);
    tdec((const unsigned char *)doc + p, off - p, &c);
    return c;
}

/* The code point at byte off of doc (0 at the end). */
static uint32_t t_at(const char *doc, size_t n, size_t off)
{
    uint32_t c = 0;
    if (off < n)
        tdec((const unsigned char *)doc + off, n - off, &c);
    return c;
}

/* Does doc[s..e) hold a letter, digit or Han character? */
static int t_has_word(const char *doc, size_t s, size_t e)
{
    uint32_t c;
    for (size_t i = s; i < e;) {
        i += tdec((const unsigned char *)doc + i, e - i, &c);
        if (t_word(c))
            return 1;
    }
    return 0;
}

/* The invariants every split must satisfy:
 *   - numbers run 1..N and texts are the document's own bytes;
 *   - ranges are in bounds, ordered and disjoint;
 *   - no paragraph is longer than max code points, none starts or ends with
 *     white space, each has a letter/digit/Han character;
 *   - nothing is lost: what lies between paragraphs has no letter, digit or
 *     Han character (so the paragraphs' non-space text is the document's
 *     minus dropped junk);
 *   - no boundary falls between two Han characters. */
static void check_invariants(const char *doc, size_t n, size_t max, const plist *l)
{
    size_t prev_end = 0;
    for (size_t i = 0; i < l->n; i++) {
        const para *p = &l->v[i];
        assert_int_equal(p->number, i + 1);
        assert_true(p->ptr_ok);
        assert_true(p->len > 0);
        assert_true(p->off >= prev_end);
        assert_true(p->off + p->len <= n);
        assert_true(t_chars(doc + p->off, p->len) <= max);
        assert_false(t_space(t_at(doc, n, p->off)));
        assert_false(t_space(t_before(doc, p->off + p->len)));
        assert_true(t_has_word(doc, p->off, p->off + p->len));
        assert_false(t_has_word(doc, prev_end, p->off));
        assert_false(t_han(t_before(doc, p->off)) && t_han(t_at(doc, n, p->off)));
        assert_false(t_han(t_before(doc, p->off + p->len)) && t_han(t_at(doc, n, p->off + p->len)));
        prev_end = p->off + p->len;
    }
    assert_false(t_has_word(doc, prev_end, n));
}

/* Read a seed file whose name starts with prefix ("001_") from $SEEDS. */
static char *read_seed(const char *prefix, size_t *n)
{
    static const char *const names[] = {
        "000_af7ea0c36382d7b8.txt", "001_a364a026ab62a3ac.txt", "002_0a6a893f069894ce.txt",
        "003_1f11e292ab1845fd.txt", "004_135bf9ada3a6babd.txt",
    };
    const char *dir = getenv("SEEDS");
    char path[4096];
    const char *name = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strncmp(names[i], prefix, strlen(prefix)) == 0)
            name = names[i];
    assert_non_null(name);
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "seeds", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (set SEEDS to the seeds directory)", path);
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 65536;
            char *b = realloc(buf, cap);
            assert_non_null(b);
            buf = b;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    *n = len;
    return buf;
}

/* Lines of doc with a letter, digit or Han character. */
static size_t word_lines(const char *doc, size_t n)
{
    size_t cnt = 0, s = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || doc[i] == '\n') {
            cnt += t_has_word(doc, s, i);
            s = i + 1;
        }
    }
    return cnt;
}

/* CPU seconds of this process, for the linear-time tests: other processes
 * on a loaded machine do not count, so only a super-linear scan (minutes
 * on 20 MB) can exceed the bounds below, never a busy machine. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------------ */
/* Paragraphs: small texts                                                  */
/* ------------------------------------------------------------------------ */

/* Empty and all-blank documents have no paragraphs. */
static void test_empty(void **state)
{
    plist l;
    (void)state;
    split("", 0, PARA_MAX_CHARS, &l);
    assert_int_equal(l.n, 0);
    split_str("\n\n   \r\n\t\n", &l);
    assert_int_equal(l.n, 0);
    free(l.v);
}

/* A one-character document is one paragraph, wherever it sits. */
static void test_one_char(void **state)
{
    plist l;
    (void)state;
    split_str("中", &l);
    assert_int_equal(l.n, 1);
    assert_para(&l, 0, "中");
    assert_int_equal(l.v[0].off, 0);
    free(l.v);
    split_str("\n  a\n", &l);
    assert_int_equal(l.n, 1);
    assert_para(&l, 0, "a");
    assert_int_equal(l.v[0].off, 3);
    free(l.v);
}

/* Punctuation, bullets and white space alone make no paragraph. */
static void test_punct_only(void **state)
{
    plist l;
    (void)state;
    split_str("。，、！？\n——……\n【】《》\n|\n\xe2\x80\xa2 \xc2\xa0\xe3\x80\x80", &l);
    assert_int_equal(l.n, 0);
    free(l.v);
}

/* Blank lines (also of U+3000 and tabs) end paragraphs. */
static void test_blank_lines(void **state)
{
    plist l;
    const char *doc = "甲段落内容。\n\n\n乙段落内容。\n \t \n\xe3\x80\x80\n丙";
    (void)state;
    split_str(doc, &l);
    assert_int_equal(l.n, 3);
    assert_para(&l, 0, "甲段落内容。");
    assert_para(&l, 1, "乙段落内容。");
    assert_para(&l, 2, "丙");
    assert_int_equal(l.v[1].off, strlen("甲段落内容。\n\n\n"));
    check_invariants(doc, strlen(doc), PARA_MAX_CHARS, &l);
    free(l.v);
}

/* Short (title-like) lines without final punctuation stay one per line. */
static void test_per_line(void **state)
{
    plist l;
    const char *doc = "办理类型:A\n临科函字〔2024〕4号\n赵洁委员:\n"
                      "一、工作开展情况\n临沂市科学技术局\n2024年6月18日";
    (void)state;
    split_str(doc, &l);
    assert_int_equal(l.n, 6);
    assert_para(&l, 1, "临科函字〔2024〕4号");
    assert_para(&l, 4, "临沂市科学技术局");
    assert_para(&l, 5, "2024年6月18日");
    check_invariants(doc, strlen(doc), PARA_MAX_CHARS, &l);
    free(l.v);
}

/* Lines cut at a fixed width join; a line ending a sentence, a short line
 * and a line opening a marker or bullet do not. */
static void test_hard_wrap(void **state)
{
    plist l;
    const char *doc =
        "近年来我市高度重视中小企业科创能力建设锚定高质量建设国家创新型县目标紧扣科技支\n"
        "撑产业发展主题深度融入全省科技创新体系制定了三年行动计划出台新一轮政策体系着力\n"
        "加强科技资源优化配置。\n"
        "实施科技企业双倍增行动高新技术企业育苗造林行动专精特新专项培育行动引成了培育路\n"
        "二、下步工作举措\n"
        "加快培育科技创新企业群体截止2023年底我市累计拥有宁波市创新型中小企业四百余家\n"
        "\xe2\x80\xa2 省科技型中小企业2296家\n";
    (void)state;
    split_str(doc, &l);
    assert_int_equal(l.n, 5);
    /* First three lines are one paragraph that keeps its line breaks. */
    assert_int_equal(l.v[0].off, 0);
    assert_int_equal(l.v[0].len, strlen("近年来我市高度重视中小企业科创能力建设锚定高质量建设国家创新型县目标紧扣科技支\n"
                                        "撑产业发展主题深度融入全省科技创新体系制定了三年行动计划出台新一轮政策体系着力\n"
                                        "加强科技资源优化配置。"));
    assert_para(&l, 2, "二、下步工作举措");
    assert_para(&l, 4, "\xe2\x80\xa2 省科技型中小企业2296家");
    check_invariants(doc, strlen(doc), PARA_MAX_CHARS, &l);
    free(l.v);
}

/* \r\n line ends: paragraphs never carry the \r. */
static void test_crlf(void **state)
{
    plist l;
    const char *doc = "第一行文字。\r\n第二行文字。\r\n\r\n第三行\r\n";
    (void)state;
    split_str(doc, &l);
    assert_int_equal(l.n, 3);
    assert_para(&l, 0, "第一行文字。");
    assert_para(&l, 1, "第二行文字。");
    assert_para(&l, 2, "第三行");
    for (size_t i = 0; i < l.n; i++)
        assert_null(memchr(doc + l.v[i].off, '\r', l.v[i].len));
    free(l.v);
    /* A lone CR is a line break too. */
    split_str("甲。\r乙。", &l);
    assert_int_equal(l.n, 2);
    free(l.v);
}

/* U+3000, NBSP and EN SPACE are trimmed off paragraph edges. */
static void test_trim(void **state)
{
    plist l;
    const char *doc = "\xe3\x80\x80\xe3\x80\x80正文第一段。\xc2\xa0 \t\n\xe2\x80\x82\xe2\x80\x82签名\xe2\x80\x82";
    (void)state;
    split_str(doc, &l);
    assert_int_equal(l.n, 2);
    assert_para(&l, 0, "正文第一段。");
    assert_para(&l, 1, "签名");
    free(l.v);
}

/* The callback's non-zero value stops the split and comes back. */
static void test_callback_stop(void **state)
{
    plist l;
    const char *doc = "一。\n二。\n三。\n";
    (void)state;
    memset(&l, 0, sizeof l);
    l.doc = doc;
    l.stop_at = 2;
    assert_int_equal(para_split(doc, strlen(doc), 0, collect, &l), 7);
    assert_int_equal(l.n, 2);
    free(l.v);
}

/* para_marker() recognises section numbers and nothing else. */
static void test_markers(void **state)
{
    int lv = -1;
    (void)state;
    assert_int_equal(para_marker("一、总则", strlen("一、总则"), &lv), strlen("一、"));
    assert_int_equal(lv, 1);
    assert_int_equal(para_marker("十一、", strlen("十一、"), &lv), strlen("十一、"));
    assert_int_equal(para_marker("（一）强化", strlen("（一）强化"), &lv), strlen("（一）"));
    assert_int_equal(lv, 2);
    assert_int_equal(para_marker("(二)", strlen("(二)"), &lv), strlen("(二)"));
    assert_int_equal(lv, 2);
    assert_int_equal(para_marker("（1）", strlen("（1）"), &lv), strlen("（1）"));
    assert_int_equal(lv, 3);
    assert_int_equal(para_marker("1.强化", strlen("1.强化"), &lv), 2);
    assert_int_equal(lv, 3);
    assert_int_equal(para_marker("12、", strlen("12、"), &lv), strlen("12、"));
    assert_int_equal(para_marker("一是完善", strlen("一是完善"), &lv), strlen("一是"));
    assert_int_equal(lv, 2);
    assert_int_equal(para_marker("第一条", strlen("第一条"), &lv), strlen("第一条"));
    assert_int_equal(lv, 0);
    assert_int_equal(para_marker("第二章 总则", strlen("第二章 总则"), &lv), strlen("第二章"));
    assert_int_equal(para_marker("3.5亿元", strlen("3.5亿元"), NULL), 0);
    assert_int_equal(para_marker("2024年", strlen("2024年"), NULL), 0);
    assert_int_equal(para_marker("2024、", strlen("2024、"), NULL), 0);
    assert_int_equal(para_marker("第7号提案", strlen("第7号提案"), NULL), 0);
    assert_int_equal(para_marker("一方面", strlen("一方面"), NULL), 0);
    assert_int_equal(para_marker("", 0, NULL), 0);
}

/* A long paragraph is cut before markers that follow a stop, and after
 * sentence ends otherwise; decimals and Han runs are never cut. */
static void test_cut_rules(void **state)
{
    plist l;
    char doc[4096];
    size_t n;
    (void)state;
    /* 40 code points per sentence, markers before the 3rd and 5th. */
    snprintf(doc, sizeof doc, "%s%s%s%s%s%s",
             "总体情况良好投入达到3.5亿元同比增长百分之十二点五以上各项工作稳步推进。",
             "企业研发投入持续增加创新能力显著提升高新技术企业数量再创历史新高水平。",
             "一、工作开展情况持续深化科技体制改革完善科技创新政策体系取得明显成效。",
             "不断优化创新生态环境加大科技人才引育力度推动产学研深度融合协同创新。",
             "（一）强化企业主体地位实施科技企业双倍增行动计划培育科技型中小企业。",
             "建立高企研发奖补免申即享机制推动优惠政策应享尽享切实减轻企业负担。");
    n = strlen(doc);
    split(doc, n, 100, &l);
    check_invariants(doc, n, 100, &l);
    assert_int_equal(l.n, 3);
    assert_true(para_marker(doc + l.v[1].off, l.v[1].len, NULL) > 0);
    assert_true(para_marker(doc + l.v[2].off, l.v[2].len, NULL) > 0);
    free(l.v);

    /* Without markers the cut follows the last sentence end in reach, even
     * with a clause end after it; with no sentence end, the last clause end. */
    snprintf(doc, sizeof doc, "%s%s%s",
             "第一句话的内容写在这里。第二句话的内容也写在这里，",
             "并且它比较长一些。第三句话没有结束标点，而且一直写到",
             "很长很长很长很长很长很长很长很长的地方");
    n = strlen(doc);
    split(doc, n, 30, &l);
    check_invariants(doc, n, 30, &l);
    assert_int_equal(l.n, 4);
    assert_para(&l, 0, "第一句话的内容写在这里。");
    assert_para(&l, 1, "第二句话的内容也写在这里，并且它比较长一些。");
    assert_para(&l, 2, "第三句话没有结束标点，");
    assert_para(&l, 3, "而且一直写到很长很长很长很长很长很长很长很长的地方");
    free(l.v);

    /* No punctuation, but spaces and Latin: cut there, never inside Han. */
    snprintf(doc, sizeof doc, "%s",
             "中文文字中文文字中文文字ABC中文文字中文文字中文文字 中文文字中文文字中文文字中文文字");
    n = strlen(doc);
    split(doc, n, 20, &l);
    check_invariants(doc, n, 20, &l);
    assert_true(l.n >= 2);
    free(l.v);

    /* Only Han: cut exactly at max_chars. */
    snprintf(doc, sizeof doc, "%s", "一二三四五六七八九十一二三四五六七八九十一二三四五");
    n = strlen(doc);
    split(doc, n, 10, &l);
    assert_int_equal(l.n, 3);
    assert_int_equal(t_chars(doc + l.v[0].off, l.v[0].len), 10);
    assert_int_equal(t_chars(doc + l.v[1].off, l.v[1].len), 10);
    assert_int_equal(t_chars(doc + l.v[2].off, l.v[2].len), 5);
    free(l.v);
}

/* ------------------------------------------------------------------------ */
/* Paragraphs: the seeds                                                    */
/* ------------------------------------------------------------------------ */

/* Seed 001 is one 2,290-character line: cut into pieces of at most 600
 * that start at its section markers. */
static void test_seed001_single_line(void **state)
{
    size_t n;
    char *doc = read_seed("001_", &n);
    plist l;
    (void)state;
    split(doc, n, PARA_MAX_CHARS, &l);
    check_invariants(doc, n, PARA_MAX_CHARS, &l);
    assert_true(l.n >= 4);
    for (size_t i = 1; i < l.n; i++)
        assert_true(para_marker(doc + l.v[i].off, l.v[i].len, NULL) > 0);
    assert_memory_equal(doc + l.v[1].off, "一、", strlen("一、"));
    assert_memory_equal(doc + l.v[2].off, "二、", strlen("二、"));
    assert_memory_equal(doc, "海宁市科学技术局关于对", strlen("海宁市科学技术局关于对"));
    free(l.v);
    free(doc);
}

/* Every seed: the invariants, and one paragraph per line where no line is
 * over the limit. */
static void test_seeds_invariants(void **state)
{
    static const char *const seeds[] = { "000_", "001_", "002_", "003_", "004_" };
    (void)state;
    for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++) {
        size_t n;
        char *doc = read_seed(seeds[s], &n);
        plist l;
        split(doc, n, PARA_MAX_CHARS, &l);
        check_invariants(doc, n, PARA_MAX_CHARS, &l);
        if (s != 1)
            assert_int_equal(l.n, word_lines(doc, n));
        free(l.v);
        free(doc);
    }
}

/* ------------------------------------------------------------------------ */
/* Paragraphs: 20 MB lines                                                  */
/* ------------------------------------------------------------------------ */

#define HUGE_BYTES (20u << 20)

/* The CPU time allowed for 20 MB: a linear scan takes well under a second
 * (a few under the sanitizers), a quadratic one hours; the bound sits far
 * from both so that it tests the algorithm, not the machine. */
#define HUGE_SECONDS 20.0

/* A 20 MB line of repeated text: linear time, pieces within the limit. */
static void test_huge_line_punct(void **state)
{
    static const char unit[] = "近年来，我市高度重视中小企业科创能力建设，研发投入达96.9亿元。";
    size_t k = strlen(unit), n = HUGE_BYTES / k * k;
    char *doc = malloc(n);
    plist l;
    double t0, t;
    (void)state;
    assert_non_null(doc);
    for (size_t i = 0; i < n; i += k)
        memcpy(doc + i, unit, k);
    t0 = now();
    split(doc, n, PARA_MAX_CHARS, &l);
    t = now() - t0;
    assert_true(t < HUGE_SECONDS);
    check_invariants(doc, n, PARA_MAX_CHARS, &l);
    assert_true(l.n > t_chars(doc, n) / PARA_MAX_CHARS);
    for (size_t i = 0; i + 1 < l.n; i++)
        assert_int_equal(t_before(doc, l.v[i].off + l.v[i].len), 0x3002);   /* 。 */
    free(l.v);
    free(doc);
}

/* A 20 MB line of Han characters without any punctuation is cut at
 * max_chars exactly. */
static void test_huge_line_nopunct(void **state)
{
    static const char unit[] = "科技创新驱动发展";
    size_t k = strlen(unit), n = HUGE_BYTES / k * k, chars;
    char *doc = malloc(n);
    plist l;
    double t0, t;
    (void)state;
    assert_non_null(doc);
    for (size_t i = 0; i < n; i += k)
        memcpy(doc + i, unit, k);
    chars = n / 3;
    t0 = now();
    split(doc, n, PARA_MAX_CHARS, &l);
    t = now() - t0;
    assert_true(t < HUGE_SECONDS);
    assert_int_equal(l.n, (chars + PARA_MAX_CHARS - 1) / PARA_MAX_CHARS);
    {
        doc_meta m = DOC_META_INIT;                   /* meta is linear too */
        t0 = now();
        assert_int_equal(meta_extract(doc, n, NULL, &m), 0);
        assert_true(now() - t0 < HUGE_SECONDS);
        assert_string_equal(m.title, "");
        doc_meta_free(&m);
    }
    for (size_t i = 0; i + 1 < l.n; i++) {
        assert_int_equal(l.v[i].len, PARA_MAX_CHARS * 3);
        assert_int_equal(l.v[i].off, i * PARA_MAX_CHARS * 3);
    }
    free(l.v);
    free(doc);
}

/* ------------------------------------------------------------------------ */
/* Metadata                                                                 */
/* ------------------------------------------------------------------------ */

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_one_char),
        cmocka_unit_test(test_punct_only),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_per_line),
        cmocka_unit_test(test_hard_wrap),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_callback_stop),
        cmocka_unit_test(test_markers),
        cmocka_unit_test(test_cut_rules),
        cmocka_unit_test(test_seed001_single_line),
        cmocka_unit_test(test_seeds_invariants),
        cmocka_unit_test(test_huge_line_punct),
        cmocka_unit_test(test_huge_line_nopunct),
        cmocka_unit_test(test_meta_seeds),
        cmocka_unit_test(test_meta_empty),
        cmocka_unit_test(test_meta_no_metadata),
        cmocka_unit_test(test_meta_label_without_value),
        cmocka_unit_test(test_meta_html_title),
        cmocka_unit_test(test_meta_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
