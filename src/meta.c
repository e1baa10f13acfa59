/* meta.c — what a policy document says about itself; see meta.h.
 *
 * Government pages label their metadata ("发布机构: 银川市科学技术局",
 * "索 引 号:...", a bare "标题" line with the value on the next line), and
 * letters end with a signature (issuing body, then the date).  So there are
 * three sources, tried in this order for each field:
 *   1. labelled fields anywhere in the text (best label wins, see labels[]);
 *   2. for the title, the page's <title>, then the first line of the head
 *      that reads as a title;
 *   3. for issuer and date, the signature: the last few white-space separated
 *      segments of the text, read backwards.
 * Everything is one pass over the lines plus bounded work per line, so a
 * 20 MB document costs about as much as reading it. */
#include "meta.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paragraph.h"
#include "utf8.h"

#define TITLE_MAX_CHARS 120          /* titles are cut to this many code points */
#define TITLE_MIN_CJK   4            /* a title line has at least this many CJK chars */
#define HEAD_MAX_LINES  40           /* non-empty lines searched for a title line */
#define LABEL_MAX_CHARS 10           /* longest "label" before a colon on a field line */
#define SALUTE_MAX_CHARS 10          /* longest salutation dropped from a long first line */
#define TAIL_BYTES      4096         /* bytes at the end searched for a signature */
#define TAIL_SEGMENTS   12           /* segments at the end searched for a signature */
#define BODY_MAX_CHARS  30           /* longest issuing body name in a signature */
#define ISSUER_MAX_CHARS 40          /* longest labelled issuer (a body's or a site's name) */
#define DOCNO_MAX_CHARS 40           /* longest index number (索引号 005452102/2024-00001) */
#define BODY_MIN_CJK    3            /* shortest issuing body name, in CJK chars */
#define FURNITURE_SCAN  256          /* bytes of a line searched for page furniture */

/* ------------------------------------------------------------------------ */
/* Code points                                                              */
/* ------------------------------------------------------------------------ */

/* Letters, digits and CJK characters (what a value needs at least one of). */
static int is_word(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    return utf8_is_han(c) || (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A)
        || (c >= 0xFF41 && c <= 0xFF5A) || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* ASCII or full-width colon, which ends a field label. */
static int is_colon(uint32_t c)
{
    return c == ':' || c == 0xFF1A;
}

/* Sentence-final marks: a line ending in one is prose, not a title. */
static int is_stop(uint32_t c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?';
}

/* ------------------------------------------------------------------------ */
/* Views: pieces of the document, never copied until the end                */
/* ------------------------------------------------------------------------ */

/* A byte range of the document. */
typedef struct view {
    const char *p;                   /* first byte */
    size_t      n;                   /* length in bytes */
} view;

/* Decode the code point at byte i < v.n of v into *c and return its length
 * (utf8_step: a malformed byte is U+FFFD of length 1). */
static size_t at(view v, size_t i, uint32_t *c)
{
    return utf8_step((const unsigned char *)v.p + i, v.n - i, c);
}

/* v with white space cut off both ends. */
static view trim(view v)
{
    uint32_t c;
    while (v.n) {
        size_t k = at(v, 0, &c);
        if (!utf8_is_blank(c))
            break;
        v.p += k;
        v.n -= k;
    }
    while (v.n) {
        size_t i = utf8_prev(v.p, 0, v.n);
        at(v, i, &c);
        if (!utf8_is_blank(c))
            break;
        v.n = i;
    }
    return v;
}

/* Bullets that scraped pages put before list items. */
static const uint32_t bullets[] = {
    0x2022, 0x00B7, 0x25AA, 0x25A0, 0x25A1, 0x25CF, 0x25CB, 0x25C6, 0x25C7,
    0x25BA, 0x25B6, 0x2605, 0x2606, 0x30FB, '*', '-',
};

/* Trimmed v without leading bullets. */
static view unbullet(view v)
{
    v = trim(v);
    while (v.n) {
        uint32_t c;
        size_t k = at(v, 0, &c), b;
        for (b = 0; b < sizeof bullets / sizeof *bullets; b++)
            if (c == bullets[b])
                break;
        if (b == sizeof bullets / sizeof *bullets)
            break;
        v.p += k;
        v.n -= k;
        v = trim(v);
    }
    return v;
}

/* Code points in v. */
static size_t count_chars(view v)
{
    size_t n = 0;
    for (size_t i = 0; i < v.n; i++)
        n += ((unsigned char)v.p[i] & 0xC0) != 0x80;
    return n;
}

/* CJK characters in v. */
static size_t count_cjk(view v)
{
    size_t n = 0;
    uint32_t c;
    for (size_t i = 0; i < v.n;) {
        i += at(v, i, &c);
        n += utf8_is_han(c) != 0;
    }
    return n;
}

/* Last code point of v (0 when empty). */
static uint32_t last_char(view v)
{
    uint32_t c = 0;
    if (v.n) {
        size_t i = utf8_prev(v.p, 0, v.n);
        at(v, i, &c);
    }
    return c;
}

/* Does v start with the UTF-8 string s? */
static int starts_with(view v, const char *s)
{
    size_t k = strlen(s);
    return v.n >= k && memcmp(v.p, s, k) == 0;
}

/* Does v end with the UTF-8 string s? */
static int ends_with(view v, const char *s)
{
    size_t k = strlen(s);
    return v.n >= k && memcmp(v.p + v.n - k, s, k) == 0;
}

/* Does s occur anywhere in v?  O(|v|·|s|): callers bound v. */
static int contains(view v, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= v.n; i++)
        if (memcmp(v.p + i, s, k) == 0)
            return 1;
    return 0;
}

/* Has v any letter, digit or CJK character? */
static int has_word(view v)
{
    uint32_t c;
    for (size_t i = 0; i < v.n;) {
        i += at(v, i, &c);
        if (is_word(c))
            return 1;
    }
    return 0;
}

/* v cut to at most max code points. */
static view cut_chars(view v, size_t max)
{
    size_t cnt = 0;
    for (size_t i = 0; i < v.n; i++) {
        if (((unsigned char)v.p[i] & 0xC0) != 0x80 && cnt++ == max) {
            v.n = i;
            break;
        }
    }
    return v;
}

/* The line of doc[0..n) starting at *pos (without its line break); *pos
 * moves to the next line.  Returns 0 at the end of the text. */
static int next_line(const char *doc, size_t n, size_t *pos, view *line)
{
    size_t i = *pos;
    if (i >= n)
        return 0;
    while (i < n && doc[i] != '\n' && doc[i] != '\r')
        i++;
    line->p = doc + *pos;
    line->n = i - *pos;
    if (i < n && doc[i] == '\r' && i + 1 < n && doc[i + 1] == '\n')
        i++;
    *pos = i < n ? i + 1 : n;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Dates, document numbers, body names                                      */
/* ------------------------------------------------------------------------ */

/* Parse a number of 1..maxd digits (ASCII/full-width) or Chinese numerals
 * (二〇二四 digit by digit, 十二 and 二十一 as numbers) at v[*i..).
 * Returns the value or -1; *i moves past it. */
static int parse_num(view v, size_t *i, int maxd)
{
    int val = 0, digits = 0, cn = 0, tens = -1;
    uint32_t c;
    while (*i < v.n && digits < maxd) {
        size_t k = at(v, *i, &c);
        int d = utf8_digit_value(c);
        int cv = utf8_cn_numeral(c);
        if (cv > 10)                                 /* 百 is no digit of a date */
            cv = -1;
        if (d < 0 && !cn && digits == 0 && cv >= 0)
            cn = 1;
        if (cn)
            d = cv;
        if (d < 0)
            break;
        if (cn && d == 10) {                         /* 十: 二十一, 十二 */
            tens = digits ? val : 1;
            val = 0;
        } else {
            val = val * 10 + d;
        }
        *i += k;
        digits++;
    }
    if (digits == 0)
        return -1;
    if (tens >= 0)
        val = tens * 10 + val;
    return val;
}

/* Skip white space in v from *i. */
static void skip_space(view v, size_t *i)
{
    uint32_t c;
    while (*i < v.n) {
        size_t k = at(v, *i, &c);
        if (!utf8_is_blank(c))
            break;
        *i += k;
    }
}

/* Is c one of the date separators allowed after a year or a month? */
static int date_sep(uint32_t c)
{
    return c == '-' || c == '/' || c == '.' || c == 0xFF0D || c == 0xFF0F
        || c == 0xFF0E || c == 0x5E74 || c == 0x6708;        /* 年 月 */
}

/* The month or day of a date at v[*i..): white space, a separator, white
 * space, a number of at most three digits.  Returns it, or -1. */
static int next_date_num(view v, size_t *i)
{
    size_t k;
    uint32_t c;
    skip_space(v, i);
    if (*i >= v.n || (k = at(v, *i, &c), !date_sep(c)))
        return -1;
    *i += k;
    skip_space(v, i);
    return parse_num(v, i, 3);
}

/* Parse a date at the start of v (after white space): "2024-09-19",
 * "2024- 07- 16", "2024年6月18日", "二〇二四年六月十八日".  Writes
 * "YYYY-MM-DD" to out[11] and returns the bytes used, or 0. */
static size_t parse_date(view v, char out[11])
{
    size_t i = 0, k;
    uint32_t c;
    int y, m, d;
    skip_space(v, &i);
    if ((y = parse_num(v, &i, 4)) < 1900 || y > 2199)
        return 0;
    if ((m = next_date_num(v, &i)) < 1 || m > 12)
        return 0;
    if ((d = next_date_num(v, &i)) < 1 || d > 31)
        return 0;
    if (i < v.n && (k = at(v, i, &c), c == 0x65E5 || c == 0x53F7))
        i += k;                                      /* 日 号 */
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return i;
}

/* Is the whole of v a date (a signature date line)? */
static int is_date(view v, char out[11])
{
    static const char *const tails[] = { "印发", "发布", "印", "发" };  /* 2015年6月3日印发 */
    size_t k;
    v = trim(v);
    if (!v.n || (k = parse_date(v, out)) == 0)
        return 0;
    view rest = { v.p + k, v.n - k };
    rest = trim(rest);
    if (rest.n == 0)
        return 1;
    for (size_t t = 0; t < sizeof tails / sizeof *tails; t++)
        if (rest.n == strlen(tails[t]) && memcmp(rest.p, tails[t], rest.n) == 0)
            return 1;
    return 0;
}

/* Is v a page number as printed at a page's foot: "3", "-3-", "—3—",
 * "第3页", "共5页", "3/5"?  A signature walk passes over them, so a
 * signature date on the page before still counts. */
static int is_page_number(view v)
{
    size_t i = 0, digits = 0, other = 0;
    uint32_t c;
    v = trim(v);
    while (i < v.n) {
        i += at(v, i, &c);
        if (utf8_digit_value(c) >= 0)
            digits++;
        else if (c == '-' || c == 0x2014 || c == 0x2013 || c == 0xFF0D || c == '/' || c == 0x7B2C
                 || c == 0x9875 || c == 0x5171)              /* 第 页 共 */
            other++;
        else
            return 0;
    }
    return digits > 0 && digits <= 8 && other <= 6;
}

/* Brackets that enclose the year of a document number: 〔〕 [] ［］. */
static int docno_open(uint32_t c)
{
    return c == 0x3014 || c == '[' || c == 0xFF3B;
}

/* The closing partners of docno_open(). */
static int docno_close(uint32_t c)
{
    return c == 0x3015 || c == ']' || c == 0xFF3D;
}

/* Length of a document number "临科函字〔2024〕4号" at the start of v, or 0. */
static size_t docno_at(view v)
{
    size_t i = 0, k, cjk = 0, digits;
    uint32_t c;
    while (i < v.n && cjk <= 12) {
        k = at(v, i, &c);
        if (!utf8_is_han(c))
            break;
        i += k;
        cjk++;
    }
    if (cjk == 0 || cjk > 12 || i >= v.n)
        return 0;
    k = at(v, i, &c);
    if (!docno_open(c))
        return 0;
    i += k;
    for (digits = 0; i < v.n && digits < 5; digits++) {
        k = at(v, i, &c);
        if (utf8_digit_value(c) < 0)
            break;
        i += k;
    }
    if (digits != 4 || i >= v.n)
        return 0;
    k = at(v, i, &c);
    if (!docno_close(c))
        return 0;
    i += k;
    if (i < v.n && (k = at(v, i, &c), c == 0x7B2C))
        i += k;                                      /* 〔2024〕第4号 */
    for (digits = 0; i < v.n && digits < 6; digits++) {
        k = at(v, i, &c);
        if (utf8_digit_value(c) < 0)
            break;
        i += k;
    }
    if (digits == 0 || digits > 5 || i >= v.n)
        return 0;
    k = at(v, i, &c);
    return c == 0x53F7 ? i + k : 0;                  /* 号 */
}

/* Endings of the names of issuing bodies, longest first. */
static const char *const body_suffixes[] = {
    "委员会", "办公室", "办公厅", "人民政府", "政府", "中心", "集团", "公司",
    "党委", "党组", "局", "委", "办", "厅", "部", "院", "会", "处", "署", "所",
    "站", "室", "馆", "社",
};

/* Does v (trimmed) read as the name of an issuing body: short, CJK only
 * (with ·（）), at least BODY_MIN_CJK characters, ending as bodies do? */
static int is_body(view v)
{
    uint32_t c;
    v = trim(v);
    if (count_chars(v) > BODY_MAX_CHARS || count_cjk(v) < BODY_MIN_CJK)
        return 0;
    for (size_t i = 0; i < v.n;) {
        i += at(v, i, &c);
        if (!utf8_is_han(c) && c != 0xB7 && c != 0xFF08 && c != 0xFF09 && c != '(' && c != ')')
            return 0;
    }
    for (size_t s = 0; s < sizeof body_suffixes / sizeof *body_suffixes; s++)
        if (ends_with(v, body_suffixes[s]))
            return 1;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Furniture: navigation and page chrome, never a title or signature        */
/* ------------------------------------------------------------------------ */

enum { AT_START, ANYWHERE };

/* A piece of page furniture and where in a line it gives the line away. */
typedef struct furniture {
    const char *text;                /* UTF-8 text */
    int         where;               /* AT_START or ANYWHERE */
} furniture;

static const furniture furnitures[] = {
    { "当前位置", ANYWHERE }, { "无障碍", ANYWHERE }, { "长者版", ANYWHERE },
    { "扫一扫", ANYWHERE }, { "打印本页", ANYWHERE }, { "关闭窗口", ANYWHERE },
    { "返回顶部", ANYWHERE }, { "首页", AT_START },
    { "发布日期", AT_START }, { "发布时间", AT_START }, { "索引号", AT_START },
    { "发布机构", AT_START }, { "浏览次数", AT_START }, { "字体", AT_START },
    { "附件", AT_START }, { "分享到", AT_START }, { "【", AT_START },
    { "|", AT_START },
};

/* Is line or segment v page furniture (see furnitures[])? */
static int is_furniture(view v)
{
    v = unbullet(v);
    if (v.n > FURNITURE_SCAN)
        v.n = FURNITURE_SCAN;            /* chrome is short; keep long lines linear */
    for (size_t i = 0; i < sizeof furnitures / sizeof *furnitures; i++) {
        const furniture *f = &furnitures[i];
        if (f->where == AT_START ? starts_with(v, f->text) : contains(v, f->text))
            return 1;
    }
    return 0;
}

/* A breadcrumb trail: "> 政府信息公开 > 重点公开领域 > ...". */
static int is_breadcrumb(view v)
{
    size_t gt = 0;
    v = trim(v);
    if (starts_with(v, ">") || starts_with(v, "\xef\xbc\x9e"))
        return 1;
    for (size_t i = 0; i < v.n; i++)
        gt += v.p[i] == '>';
    return gt >= 2;
}

/* A field line "办理类型:A", "赵洁委员:": a short CJK label, then a colon. */
static int is_field_line(view v)
{
    v = unbullet(v);
    return para_field_label(v.p, v.n, LABEL_MAX_CHARS, utf8_is_han);
}

/* ------------------------------------------------------------------------ */
/* Labelled fields                                                          */
/* ------------------------------------------------------------------------ */

enum field { F_TITLE, F_DATE, F_ISSUER, F_DOCNO, F_INDEXNO, F_COUNT };

/* A label that introduces a field value; earlier labels beat later ones. */
typedef struct label {
    const char *text;                /* UTF-8, matched with white space allowed between chars */
    enum field  field;               /* what its value is */
    int         head_only;           /* taken only in the head (HEAD_MAX_LINES), never after "（" */
} label;

/* A bare 来源 is a field in a page's head; at the end of a page or in
 * brackets it is a footnote's or a quotation's source ("（来源：新华社）"). */
static const label labels[] = {
    { "标题", F_TITLE, 0 }, { "名称", F_TITLE, 0 }, { "题名", F_TITLE, 0 },
    { "文件名称", F_TITLE, 0 },
    { "发布日期", F_DATE, 0 }, { "成文日期", F_DATE, 0 }, { "发文日期", F_DATE, 0 },
    { "印发日期", F_DATE, 0 }, { "发布时间", F_DATE, 0 }, { "日期", F_DATE, 0 },
    { "本稿完成日期", F_DATE, 0 },
    { "发布机构", F_ISSUER, 0 }, { "发文机关", F_ISSUER, 0 }, { "发文单位", F_ISSUER, 0 },
    { "发布单位", F_ISSUER, 0 }, { "信息来源", F_ISSUER, 0 }, { "来源", F_ISSUER, 1 },
    { "承办单位", F_ISSUER, 0 },
    { "发文字号", F_DOCNO, 0 }, { "文号", F_DOCNO, 0 },
    { "索引号", F_INDEXNO, 0 },
};

#define NLABELS (sizeof labels / sizeof *labels)

/* Bytes of v taken by label text at its start ("索 引 号" matches 索引号),
 * 0 when it is not there. */
static size_t match_label(view v, const char *text)
{
    size_t i = 0;
    const char *t = text;
    while (*t) {
        uint32_t a, b;
        size_t kt = utf8_step((const unsigned char *)t, strlen(t), &a);
        if (t != text)
            skip_space(v, &i);
        if (i >= v.n)
            return 0;
        size_t kv = at(v, i, &b);
        if (a != b)
            return 0;
        t += kt;
        i += kv;
    }
    return i;
}

/* Bytes of the first code point of UTF-8 string s (a quick filter before
 * match_label, which the scan calls at every word start). */
static size_t lead_len(const char *s)
{
    unsigned c = (unsigned char)s[0];
    size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    size_t n = strlen(s);
    return k < n ? k : n;
}

/* The first code point and the length in code points of each label of
 * labels[], worked out once per document: the scan compares each code
 * point of the text with the leads alone. */
typedef struct label_leads {
    uint32_t lead[NLABELS];          /* first code point of labels[l].text */
    size_t   chars[NLABELS];         /* code points in labels[l].text */
} label_leads;

/* Fill *ll from labels[]. */
static void label_leads_init(label_leads *ll)
{
    for (size_t l = 0; l < NLABELS; l++) {
        view t = { labels[l].text, strlen(labels[l].text) };
        at(t, 0, &ll->lead[l]);
        ll->chars[l] = count_chars(t);
    }
}

/* Is the (bullet-free) line v nothing but a label? */
static int is_label_line(view v)
{
    v = unbullet(v);
    for (size_t l = 0; l < NLABELS; l++)
        if (v.n && match_label(v, labels[l].text) == v.n)
            return 1;
    return 0;
}

/* The best value found so far for one field. */
typedef struct found {
    int  rank;                       /* index in labels[] of its label, NLABELS when none */
    view val;                        /* the value (not for dates) */
    char date[11];                   /* the value of a date, YYYY-MM-DD */
} found;

/* Labels that end a value although they introduce no field of ours: the
 * other cells of a government page's metadata table ("银川市科学技术局
 * 责任部门:" is an issuer, then the next label). */
static const char *const other_labels[] = {
    "责任部门", "主题分类", "主题词", "体裁分类", "组配分类", "服务对象", "有效性",
    "生效日期", "失效日期", "生成日期", "实施日期", "废止日期", "成文时间", "公开方式",
    "公开范围", "公开时限", "公开属性", "所属机构", "所属主题", "信息分类", "文种",
    "分类", "浏览次数", "访问量", "点击数", "字号", "作者", "责任编辑", "编辑",
    "发布人", "时效", "撰稿", "联系人", "联系电话", "关键词",
};

#define NOTHER (sizeof other_labels / sizeof *other_labels)

/* Does v start with a label of ours or of other_labels[] that stands as a
 * label: followed (after white space) by a colon, or, with blank_ok, by
 * white space (cells of a table row)?  Returns the label's bytes or 0. */
static size_t label_at(view v, int blank_ok)
{
    for (size_t l = 0; l < NLABELS + NOTHER; l++) {
        const char *t = l < NLABELS ? labels[l].text : other_labels[l - NLABELS];
        size_t lead = lead_len(t), m, j;
        uint32_t d = 0;
        if (v.n < lead || memcmp(v.p, t, lead) != 0 || (m = match_label(v, t)) == 0)
            continue;
        view after = { v.p + m, v.n - m };
        j = 0;
        skip_space(after, &j);
        if (j < after.n)
            at(after, j, &d);
        if (is_colon(d) || (blank_ok && j > 0 && j < after.n))
            return m;
    }
    return 0;
}

/* Marks that end an issuer's value: a body's name holds none of them. */
static int ends_issuer(uint32_t c)
{
    return is_stop(c) || is_colon(c) || c == 0xFF0C || c == ',' || c == 0x3001 || c == 0xFF1B
        || c == ';' || c == '|' || c == 0xFF5C || c == 0x300A || c == 0x300B;
}

/* Bytes at the start of v (a value after its label) up to where a reader
 * would say the value ends: the next label (label_at), a clause mark, white
 * space (for titles: a tab, a "|" or two blanks), or the end of v.
 * *into_colon is set when the value runs straight into a colon (then its
 * tail is the next label, one we do not know).  Returns SIZE_MAX when the
 * value is longer than max code points: then it is no value of that field,
 * and the work per call is bounded by max, whatever the line. */
static size_t value_end(view v, enum field f, size_t max, int *into_colon)
{
    uint32_t c, prev = 0;
    size_t chars = 0, i;
    *into_colon = 0;
    for (i = 0; i < v.n; chars++) {
        size_t k = at(v, i, &c);
        if (chars == max)
            return SIZE_MAX;
        if (f == F_TITLE ? c == '\t' || c == '|' || c == 0x3002 || (utf8_is_blank(c) && utf8_is_blank(prev))
                         : utf8_is_blank(c) || ends_issuer(c)) {
            if (is_colon(c))
                *into_colon = 1;
            break;
        }
        if (i > 0) {
            view rest = { v.p + i, v.n - i };
            if (label_at(rest, utf8_is_blank(prev)))
                break;
        }
        prev = c;
        i += k;
    }
    return i;
}

/* Length of an index number "005452102/2024-00001" at the start of v:
 * letters, digits and - / . _ with at least one digit, at most
 * DOCNO_MAX_CHARS; 0 when there is none. */
static size_t indexno_at(view v)
{
    size_t i = 0, chars = 0, digits = 0;
    uint32_t c;
    while (i < v.n && chars <= DOCNO_MAX_CHARS) {
        size_t k = at(v, i, &c);
        int d = utf8_digit_value(c) >= 0;
        if (!d && !(c < 0x80 && (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '-' || c == '/'
                                 || c == '.' || c == '_')))
            break;
        digits += d;
        chars++;
        i += k;
    }
    if (chars > DOCNO_MAX_CHARS || digits == 0)
        return 0;
    return i;
}

/* Does the code point at v[i..) (if any) end a word: end of v, white
 * space or anything but a letter or digit? */
static int word_ends(view v, size_t i)
{
    uint32_t c;
    if (i >= v.n)
        return 1;
    at(v, i, &c);
    return !is_word(c) || utf8_is_han(c);
}

/* The start of v that reads as a body's name (is_body), or an empty view:
 * for an issuer that ran into a label we do not know ("银川市科学技术局
 * 办公地址:").  The longest start that ends as bodies of several
 * characters do (办公室, 委员会, ...) wins, else the shortest that ends as
 * one (局, 委, ...): 办 of 办公地址 is no body's end. */
static view body_prefix(view v)
{
    view multi = { v.p, 0 }, single = { v.p, 0 };
    for (size_t i = 0; i < v.n;) {
        uint32_t c;
        i += at(v, i, &c);
        view head = { v.p, i };
        if (!is_body(head))
            continue;
        size_t last = utf8_prev(head.p, 0, head.n);
        int one = 0;
        for (size_t s = 0; s < sizeof body_suffixes / sizeof *body_suffixes; s++)
            if (ends_with(head, body_suffixes[s])) {
                one = strlen(body_suffixes[s]) == head.n - last;
                break;
            }
        if (!one)
            multi = head;
        else if (single.n == 0)
            single = head;
    }
    return multi.n ? multi : single;
}

/* Take the value of field f from the text after its label (v) and keep it
 * in *fd if it has its field's shape: a title of at most TITLE_MAX_CHARS,
 * a date, an issuer of at most ISSUER_MAX_CHARS, a document number
 * (docno_at) or an index number (indexno_at).  A value that does not fit
 * is not taken, so the next source (signature, <title>, ...) is tried.
 * Work is bounded by those maxima, not by v.  Returns 1 when kept. */
static int take_value(enum field f, view v, found *fd, int rank)
{
    char date[11];
    int into_colon;
    size_t e;
    v = trim(v);
    if (v.n == 0)
        return 0;
    switch (f) {
    case F_TITLE:
        if ((e = value_end(v, f, TITLE_MAX_CHARS + 1, &into_colon)) == SIZE_MAX)
            return 0;
        v.n = e;
        v = trim(v);
        if (!has_word(v) || count_chars(v) > TITLE_MAX_CHARS)
            return 0;
        fd->val = v;
        break;
    case F_DATE:
        if (!parse_date(v, date))
            return 0;
        memcpy(fd->date, date, sizeof date);
        break;
    case F_ISSUER:
        if ((e = value_end(v, f, ISSUER_MAX_CHARS + 1, &into_colon)) == SIZE_MAX)
            return 0;
        v.n = e;
        if (into_colon)
            v = body_prefix(v);
        if (!has_word(v))
            return 0;
        fd->val = v;
        break;
    case F_DOCNO:
    case F_INDEXNO:
        if ((e = docno_at(v)) == 0 && ((e = indexno_at(v)) == 0 || !word_ends(v, e)))
            return 0;
        fd->val.p = v.p;
        fd->val.n = e;
        break;
    default:
        return 0;
    }
    fd->rank = rank;
    return 1;
}

/* Look for labelled fields in line v; next is the following non-empty line
 * (for a label standing alone); in_head says v is among the first
 * HEAD_MAX_LINES non-empty lines.  A label takes the value after its colon,
 * after white space (a table row's next cell: "发布机构 银川市科学技术局"),
 * or, standing alone, the next line.  Updates fds[]. */
static void scan_fields(view v, view next, int in_head, const label_leads *ll, found *fds)
{
    uint32_t c, prev = ' ';
    v = unbullet(v);
    for (size_t i = 0; i < v.n;) {
        size_t k = at(v, i, &c);
        /* Labels follow space or "|", or run on from text with their colon:
         * then a label of two characters only after a digit or a letter
         * ("A01/2023-7文号:"), as after a Han character (资金来源:, 生成日期:)
         * it is most often the end of another word. */
        int after_text = is_word(prev);
        size_t min_chars = !after_text ? 0 : utf8_is_han(prev) ? 3 : 2;
        for (size_t l = 0; l < NLABELS; l++) {
            const label *lb = &labels[l];
            found *fd = &fds[lb->field];
            size_t m;
            if (c != ll->lead[l] || (int)l >= fd->rank || ll->chars[l] < min_chars
                || (lb->head_only && (!in_head || prev == 0xFF08 || prev == '('))
                || (m = match_label((view){ v.p + i, v.n - i }, lb->text)) == 0)
                continue;
            {
                view rest = { v.p + i, v.n - i };
                view after = { rest.p + m, rest.n - m };
                size_t j = 0;
                uint32_t d = 0;
                skip_space(after, &j);
                size_t blanks = j;
                if (j < after.n)
                    j += at(after, j, &d);
                if (is_colon(d)) {
                    view val = { after.p + j, after.n - j };
                    take_value(lb->field, val, fd, (int)l);
                } else if (after_text) {
                    /* run on from text: a label only with its colon */
                } else if (blanks > 0 && utf8_is_blank(prev) && j < after.n) {
                    view val = { after.p + blanks, after.n - blanks };
                    take_value(lb->field, val, fd, (int)l);
                } else if (i == 0 && trim(after).n == 0 && !is_label_line(next)
                           && !(lb->field == F_TITLE && is_stop(last_char(trim(next))))) {
                    take_value(lb->field, unbullet(next), fd, (int)l);
                }
            }
        }
        prev = c;
        i += k;
    }
}

/* ------------------------------------------------------------------------ */
/* Title, proposal, signature                                               */
/* ------------------------------------------------------------------------ */

/* Is v the red header of a 红头文件: a body's name and 文件 ("宁波市人民
 * 政府文件", often printed letter-spaced)?  It names the issuer, not the
 * document: the title is the line under the document number. */
static int is_red_header(view v)
{
    char packed[4 * (BODY_MAX_CHARS + 2) + 1];
    size_t w = 0;
    uint32_t c;
    v = trim(v);
    for (size_t i = 0; i < v.n;) {
        size_t k = at(v, i, &c);
        if (!utf8_is_blank(c)) {
            if (w + k >= sizeof packed)
                return 0;
            memcpy(packed + w, v.p + i, k);
            w += k;
        }
        i += k;
    }
    view p = { packed, w };
    if (!ends_with(p, "文件"))
        return 0;
    p.n -= strlen("文件");
    return is_body(p);
}

/* Kinds of document a title ends with, before an addressee may follow. */
static const char *const title_kinds[] = {
    "的通知", "的意见", "的决定", "的批复", "的答复", "的报告", "的通报", "的公告",
    "的通告", "的函", "的复函", "的办法", "的规定", "的决议", "的命令",
};

/* t without the addressee it runs into ("关于印发XX的通知各区、县人民政府,
 * 市政府各部门:" → "关于印发XX的通知"): cut after the last kind of
 * document (title_kinds[]) when what follows starts with 各 or ends with
 * a colon.  t itself otherwise. */
static view cut_addressee(view t)
{
    view best = t;
    size_t lim = t.n < 4 * TITLE_MAX_CHARS ? t.n : 4 * TITLE_MAX_CHARS;  /* a title is short */
    for (size_t k = 0; k < sizeof title_kinds / sizeof *title_kinds; k++) {
        size_t len = strlen(title_kinds[k]);
        for (size_t i = 0; i + len < lim; i++) {
            if (memcmp(t.p + i, title_kinds[k], len) != 0)
                continue;
            view rest = { t.p + i + len, t.n - i - len };
            rest = trim(rest);
            if (rest.n && (starts_with(rest, "各") || is_colon(last_char(rest)))
                && i + len < best.n) {
                best.n = i + len;
                break;
            }
        }
    }
    return best;
}

/* The title of a long first line that runs into the letter ("XX局关于...的
 * 答复意见 沈斌代表: 您在..."): the text before the first stop or colon,
 * without a trailing salutation.  Empty when that is not title-like. */
static view long_line_title(view v)
{
    view t = v, none = { v.p, 0 };
    uint32_t c = 0;
    size_t i;
    for (i = 0; i < v.n;) {
        size_t k = at(v, i, &c);
        if (is_stop(c) || is_colon(c) || c == 0xFF1B || c == ';')
            break;
        i += k;
    }
    t.n = i;
    t = trim(t);
    if (i < v.n && is_colon(c)) {                    /* drop "沈斌代表" before ':' */
        size_t j = t.n;
        while (j > 0) {
            size_t p = utf8_prev(t.p, 0, j);
            uint32_t d;
            at(t, p, &d);
            if (utf8_is_blank(d))
                break;
            j = p;
        }
        view who = { t.p + j, t.n - j };
        if (j > 0 && count_chars(who) <= SALUTE_MAX_CHARS) {
            t.n = j;
            t = trim(t);
        }
    }
    t = cut_addressee(t);
    if (count_chars(t) > TITLE_MAX_CHARS || count_cjk(t) < TITLE_MIN_CJK
        || contains(t, "\xef\xbc\x8c") || contains(t, ","))
        return none;
    return t;
}

/* The first line of the head that reads as a title, or an empty view.
 * The search stops at the first line of prose. */
static view head_title(const char *doc, size_t n)
{
    view line, none = { doc, 0 };
    size_t pos = 0, seen = 0;
    while (seen < HEAD_MAX_LINES && next_line(doc, n, &pos, &line)) {
        view v = unbullet(line);
        if (v.n == 0)
            continue;
        seen++;
        if (is_furniture(v) || is_breadcrumb(v) || is_field_line(v) || is_label_line(v))
            continue;
        if (docno_at(v) || is_red_header(v))        /* "XX文件", then "X发〔2015〕3号 签发人:" */
            continue;
        if (para_marker(v.p, v.n, NULL))
            continue;
        if (count_chars(v) > TITLE_MAX_CHARS)
            return long_line_title(v);
        v = cut_addressee(v);
        if (count_cjk(v) < TITLE_MIN_CJK || is_colon(last_char(v)) || is_body(v))
            continue;
        if (is_stop(last_char(v)))
            return none;
        return v;
    }
    return none;
}

/* Is the title property t (a page's <title>, a PDF's Info Title, a DOCX's
 * core title) a placeholder that its producer left: empty, "标题",
 * "Untitled", a file name ("Microsoft Word - 1.doc"), a GUID, or a
 * template's prompt ("（填写标准名称）")? */
static int is_placeholder_title(view t)
{
    static const char *const names[] = {
        "标题", "无标题", "未命名", "文档", "新建文档", "untitled", "title", "document", "文档1",
        "Document1", "PowerPoint 演示文稿", "幻灯片 1",
    };
    static const char *const exts[] = {
        ".doc", ".docx", ".wps", ".pdf", ".ofd", ".txt", ".rtf", ".xls", ".xlsx", ".htm",
        ".html", ".dot", ".dotx", ".tmp",
    };
    size_t hex = 0, other = 0;
    t = trim(t);
    if (starts_with(t, "Microsoft Word - ")) {
        t.p += strlen("Microsoft Word - ");
        t.n -= strlen("Microsoft Word - ");
    }
    if (!has_word(t))
        return 1;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (t.n == strlen(names[i]) && strncasecmp(t.p, names[i], t.n) == 0)
            return 1;
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        size_t k = strlen(exts[i]);
        if (t.n > k && strncasecmp(t.p + t.n - k, exts[i], k) == 0)
            return 1;
    }
    if ((starts_with(t, "\xef\xbc\x88") || starts_with(t, "(") || starts_with(t, "["))
        && (contains(t, "填写") || contains(t, "请输入") || contains(t, "输入")))
        return 1;
    for (size_t i = 0; i < t.n; i++) {
        unsigned char c = (unsigned char)t.p[i];
        if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))
            hex++;
        else if (c != '-' && c != '{' && c != '}')
            other++;
    }
    return hex >= 32 && other == 0;                  /* {3F2504E0-4F89-11D3-9A0C-0305E82C3301} */
}

/* The <title> of a page without the site name after "_", "|" or " - ". */
static view clean_html_title(const char *t)
{
    view v = { t, strlen(t) };
    static const char *const seps[] = { "_", "|", " - ", "\xef\xbc\x8d", "\xe2\x80\x94\xe2\x80\x94" };
    v = trim(v);
    for (size_t s = 0; s < sizeof seps / sizeof *seps; s++) {
        size_t k = strlen(seps[s]);
        for (size_t i = 0; i + k <= v.n; i++) {
            if (memcmp(v.p + i, seps[s], k) == 0) {
                view head = { v.p, i };
                if (count_cjk(head) >= TITLE_MIN_CJK)
                    v = trim(head);
                break;
            }
        }
    }
    return cut_chars(v, TITLE_MAX_CHARS);
}

/* The first proposal reference in v: 第 + digits + 号, with 提案/建议/议案
 * when it follows.  Empty view when there is none. */
static view find_proposal(view v)
{
    static const char di[] = "\xe7\xac\xac";                    /* 第 */
    static const char hao[] = "\xe5\x8f\xb7";                   /* 号 */
    static const char *const kinds[] = { "提案", "建议", "议案" };
    view none = { v.p, 0 };
    for (size_t i = 0; i + 3 <= v.n; i++) {
        if (memcmp(v.p + i, di, 3) != 0)
            continue;
        size_t j = i + 3, digits = 0;
        uint32_t c;
        while (j < v.n && digits < 6) {
            size_t k = at(v, j, &c);
            if (utf8_digit_value(c) < 0)
                break;
            j += k;
            digits++;
        }
        if (digits == 0 || digits > 5 || j + 3 > v.n || memcmp(v.p + j, hao, 3) != 0)
            continue;
        j += 3;
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
            view rest = { v.p + j, v.n - j };
            if (starts_with(rest, kinds[k])) {
                j += strlen(kinds[k]);
                break;
            }
        }
        view r = { v.p + i, j - i };
        return r;
    }
    return none;
}

/* Read the signature: walk the last white-space separated segments of the
 * text backwards, skipping furniture, noting the first date, and stopping
 * at the first segment that is neither (a body name is the issuer). */
static void signature(const char *doc, size_t n, view *issuer, char date[11])
{
    view seg[TAIL_SEGMENTS], all = { doc, n };
    size_t nseg = 0, i = n > TAIL_BYTES ? n - TAIL_BYTES : 0;
    while (i < n && ((unsigned char)doc[i] & 0xC0) == 0x80)
        i++;                                          /* start on a code point */
    while (i < n) {
        uint32_t c;
        size_t k = at(all, i, &c), s;
        if (utf8_is_blank(c)) {
            i += k;
            continue;
        }
        for (s = i; i < n; i += k) {
            k = at(all, i, &c);
            if (utf8_is_blank(c))
                break;
        }
        if (nseg == TAIL_SEGMENTS) {
            memmove(seg, seg + 1, (TAIL_SEGMENTS - 1) * sizeof *seg);
            nseg--;
        }
        seg[nseg].p = doc + s;
        seg[nseg].n = i - s;
        nseg++;
    }
    issuer->p = doc;
    issuer->n = 0;
    date[0] = '\0';
    while (nseg-- > 0) {
        view v = seg[nseg];
        char d[11];
        if (!has_word(v) || is_furniture(v) || is_page_number(v))
            continue;
        if (is_date(v, d)) {
            if (!date[0])
                memcpy(date, d, sizeof d);
            continue;
        }
        if (is_body(v))
            *issuer = v;
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* Putting it together                                                      */
/* ------------------------------------------------------------------------ */

/* A malloc'd NUL-terminated copy of v without control characters: C0 and
 * C1 controls and DEL are dropped (a tab or line break becomes a space),
 * and so is a whole ANSI escape sequence (ESC [ ... final byte), which a
 * title copied from a terminal may hold.  NULL when out of memory. */
static char *dup_view(view v)
{
    char *s = malloc(v.n + 1);
    size_t w = 0;
    if (!s)
        return NULL;
    for (size_t i = 0; i < v.n;) {
        unsigned char c = (unsigned char)v.p[i];
        if (c == 0x1B) {                             /* ESC, then [ params final, or one byte */
            i++;
            if (i < v.n && v.p[i] == '[') {
                i++;
                while (i < v.n && !((unsigned char)v.p[i] >= 0x40 && (unsigned char)v.p[i] <= 0x7E))
                    i++;
            }
            i += i < v.n;
        } else if (c < 0x20 || c == 0x7F) {
            if ((c == '\t' || c == '\n' || c == '\r') && w && s[w - 1] != ' ')
                s[w++] = ' ';
            i++;
        } else if (c == 0xC2 && i + 1 < v.n && (unsigned char)v.p[i + 1] >= 0x80
                   && (unsigned char)v.p[i + 1] <= 0x9F) {
            i += 2;                                  /* U+0080..U+009F */
        } else {
            s[w++] = v.p[i++];
        }
    }
    s[w] = '\0';
    return s;
}

/* A malloc'd copy of s (NULL when out of memory). */
static char *dup_str(const char *s)
{
    view v = { s, strlen(s) };
    return dup_view(v);
}

int meta_extract(const char *doc, size_t n, const char *html_title, doc_meta *out)
{
    found fds[F_COUNT];
    label_leads leads;
    view line, next, title, issuer, docno = { doc, 0 }, proposal;
    char sig_date[11];
    size_t pos = 0;

    *out = (doc_meta)DOC_META_INIT;
    if (!doc)
        n = 0;
    label_leads_init(&leads);
    for (int f = 0; f < F_COUNT; f++) {
        fds[f].rank = (int)NLABELS;
        fds[f].val.p = doc;
        fds[f].val.n = 0;
        fds[f].date[0] = '\0';
    }

    /* One pass over the lines: labelled fields and a standing docno line.
     * The look-ahead for the next non-empty line resumes where it stopped
     * (npos), so a run of empty lines is walked once, not once a line. */
    if (next_line(doc, n, &pos, &line)) {
        int more = 1;
        size_t npos = 0, seen = 0;
        next.p = doc;
        next.n = 0;
        while (more) {
            if (next.p < doc + pos) {
                view cand;
                if (npos < pos)
                    npos = pos;
                next.p = doc + n;
                next.n = 0;
                while (next_line(doc, n, &npos, &cand))
                    if (trim(cand).n) {
                        next = cand;
                        break;
                    }
            }
            view t = trim(line);
            seen += t.n != 0;
            scan_fields(line, next, seen <= HEAD_MAX_LINES, &leads, fds);
            size_t dn = docno_at(t);
            if (dn && docno.n == 0) {
                uint32_t c = 0;
                if (dn < t.n)
                    at(t, dn, &c);
                if (dn == t.n || utf8_is_blank(c)) {
                    docno.p = t.p;
                    docno.n = dn;
                }
            }
            more = next_line(doc, n, &pos, &line);
        }
    }

    title = fds[F_TITLE].val;
    if (title.n == 0 && html_title) {
        view prop = { html_title, strlen(html_title) };
        if (!is_placeholder_title(prop))
            title = cut_addressee(clean_html_title(html_title));
    }
    if (title.n == 0)
        title = head_title(doc, n);

    signature(doc, n, &issuer, sig_date);
    if (fds[F_ISSUER].val.n)
        issuer = fds[F_ISSUER].val;

    if (fds[F_DOCNO].val.n)
        docno = fds[F_DOCNO].val;
    else if (docno.n == 0)
        docno = fds[F_INDEXNO].val;

    proposal = find_proposal(title);
    if (proposal.n == 0) {
        view all = { doc, n };
        proposal = find_proposal(all);
    }

    out->title = dup_view(title);
    out->date = dup_str(fds[F_DATE].date[0] ? fds[F_DATE].date : sig_date);
    out->issuer = dup_view(issuer);
    out->docno = dup_view(docno);
    out->proposal = dup_view(proposal);
    if (!out->title || !out->date || !out->issuer || !out->docno || !out->proposal) {
        doc_meta_free(out);
        return -1;
    }
    return 0;
}

void doc_meta_free(doc_meta *m)
{
    free(m->title);
    free(m->date);
    free(m->issuer);
    free(m->docno);
    free(m->proposal);
    *m = (doc_meta)DOC_META_INIT;
}
