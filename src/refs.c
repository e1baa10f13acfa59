/* refs.c — cited titles and document numbers in a paragraph; see refs.h. */
#include "refs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "normalize.h"
#include "utf8.h"

/* How far a title may run from its opening bracket, in characters. */
#define TITLE_SCAN        160
/* A cited title's key: fewest and most characters, fewest CJK ones. */
#define TITLE_MIN_CHARS   4
#define TITLE_MAX_CHARS   80
#define TITLE_MIN_CJK     2
/* Longest issuer of a document number, in characters, and how far back
 * its run of CJK characters is looked for. */
#define ISSUER_MAX        8
#define ISSUER_SCAN       20
/* Most digits in the number part of a document number. */
#define DOCNO_MAX_DIGITS  6
/* A fallback title's cue windows and its first-line cut, in characters. */
#define CUE_BEFORE        16
#define CUE_AFTER         24
#define FIRST_LINE_MAX    60
/* Bytes of a document a title fallback reads past its first text. */
#define TITLE_WINDOW      16384
/* Terms: keys longer than KEY_DIRECT bytes are cut to KEY_CUT and hashed. */
#define KEY_DIRECT        (REFS_TERM_MAX - 8)
#define KEY_CUT           200

#define CP_SENTENCE_END   0x3002     /* 。 */
#define CP_TITLE_OPEN     0x300A     /* 《 */
#define CP_TITLE_CLOSE    0x300B     /* 》 */
#define CP_ANGLE_OPEN     0x3008     /* 〈 */
#define CP_ANGLE_CLOSE    0x3009     /* 〉 */
#define CP_DI             0x7B2C     /* 第 */
#define CP_HAO            0x53F7     /* 号 */
#define CP_HAO_TRAD       0x865F     /* 號 */

/* A text as code points, each with its byte offset. */
typedef struct ucs {
    uint32_t *cp;                    /* normalised code points (key_char) */
    uint32_t *raw;                   /* source code points (U+FFFD for an invalid byte) */
    size_t   *off;                   /* off[i]: byte offset of code point i; off[len] = bytes */
    size_t    len;                   /* code points */
} ucs;

#define UCS_INIT { NULL, NULL, NULL, 0 }

/* A document number found at a year bracket. */
typedef struct docno_span {
    size_t run;                      /* first code point of the CJK run before the bracket */
    size_t start;                    /* first code point of the issuer (after cutting) */
    size_t end;                      /* code point after 号 (or after the number if 号 is optional) */
} docno_span;

/* ------------------------------------------------------------------------ */
/* Characters                                                               */
/* ------------------------------------------------------------------------ */

/* The key form of one source code point: norm_char, then dashes to '-'. */
static uint32_t key_char(uint32_t cp)
{
    uint32_t c = norm_char(cp);
    if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE58 || c == 0xFE63)
        return '-';
    return c;
}

/* 1 for a zero-width character (white space that shows no gap). */
static int is_zero_width(uint32_t c)
{
    return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF || c == 0xAD;
}

/* 1 for a (normalised) code point that vanishes from keys as white space:
 * blanks, zero-width characters and controls. */
static int is_gap(uint32_t c)
{
    return utf8_is_blank(c) || is_zero_width(c) || c < 0x20 || (c >= 0x7F && c < 0xA0);
}

/* 1 for a line break. */
static int is_line_break(uint32_t c)
{
    return (c >= '\n' && c <= '\f') || c == 0x2028 || c == 0x2029;
}

/* 1 for a character that ends a sentence (a title never spans one). */
static int is_sentence_end(uint32_t c)
{
    return c == CP_SENTENCE_END || c == 0xFF61 || c == '!' || c == '?';
}

/* 1 for a quote or title bracket, which titles' keys leave out. */
static int is_title_mark(uint32_t c)
{
    return c == '"' || c == '\'' || (c >= 0x300C && c <= 0x300F) || c == CP_TITLE_OPEN
        || c == CP_TITLE_CLOSE || c == CP_ANGLE_OPEN || c == CP_ANGLE_CLOSE || c == '<' || c == '>';
}

/* 1 for an opening year bracket of a document number. */
static int is_year_open(uint32_t c)
{
    return c == 0x3014 || c == '[' || c == '(' || c == 0x3010 || c == 0x3016 || c == 0xFE5D;
}

/* 1 for a closing year bracket of a document number. */
static int is_year_close(uint32_t c)
{
    return c == 0x3015 || c == ']' || c == ')' || c == 0x3011 || c == 0x3017 || c == 0xFE5E;
}

/* 1 for an ASCII digit (full-width ones are folded by then). */
static int is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* Set PS_NOMEM in err (unless it holds an error already) and return -1. */
static int oom(ps_err *err)
{
    ps_err_nomem(err);
    return -1;
}

/* ------------------------------------------------------------------------ */
/* Decoding                                                                 */
/* ------------------------------------------------------------------------ */

/* Free u's arrays and reset it. */
static void ucs_free(ucs *u)
{
    free(u->cp);
    free(u->raw);
    free(u->off);
    *u = (ucs)UCS_INIT;
}

/* Decode s[0..n) into *u (empty on entry).  Returns 0, or -1 when out of
 * memory (then u is empty). */
static int ucs_build(ucs *u, const char *s, size_t n)
{
    u->cp = malloc((n + 1) * sizeof *u->cp);
    u->raw = malloc((n + 1) * sizeof *u->raw);
    u->off = malloc((n + 1) * sizeof *u->off);
    if (!u->cp || !u->raw || !u->off) {
        ucs_free(u);
        return -1;
    }
    size_t i = 0, k = 0;
    while (i < n) {
        uint32_t cp;
        int w = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        u->off[k] = i;
        u->raw[k] = w > 0 ? cp : UTF8_REPLACEMENT;
        u->cp[k] = key_char(u->raw[k]);
        k++;
        i += w > 0 ? (size_t)w : 1;
    }
    u->off[k] = n;
    u->len = k;
    return 0;
}

/* 1 when the code points of u from p on spell the UTF-8 string word,
 * all before `to`. */
static int match_at(const ucs *u, size_t p, size_t to, const char *word)
{
    size_t wn = strlen(word);
    for (size_t i = 0; i < wn; p++) {
        uint32_t c;
        int w = utf8_decode((const unsigned char *)word + i, wn - i, &c);
        if (w <= 0 || p >= to || u->cp[p] != c)
            return 0;
        i += (size_t)w;
    }
    return 1;
}

/* Number of code points in the UTF-8 string word. */
static size_t word_chars(const char *word)
{
    return utf8_count(word, strlen(word));
}

/* ------------------------------------------------------------------------ */
/* Keys                                                                     */
/* ------------------------------------------------------------------------ */

/* Append title character c (normalised) to key unless the title rules drop
 * it; count what was kept in *chars and the CJK among it in *cjk. */
static int title_key_put(buf *key, uint32_t c, size_t *chars, size_t *cjk)
{
    if (is_gap(c) || is_title_mark(c))
        return 0;
    (*chars)++;
    if (uclass_of(c) == UC_CJK)
        (*cjk)++;
    return buf_put_utf8(key, c);
}

/* Key of the title characters u[a..b) into key (cleared first).  Returns
 * 0 or -1 (out of memory); counts as title_key_put. */
static int title_key(const ucs *u, size_t a, size_t b, buf *key, size_t *chars, size_t *cjk)
{
    buf_clear(key);
    *chars = *cjk = 0;
    for (size_t i = a; i < b; i++)
        if (title_key_put(key, u->cp[i], chars, cjk) != 0)
            return -1;
    return 0;
}

/* 1 when k[0..n) ends with the UTF-8 string s. */
static int ends_with(const char *k, size_t n, const char *s)
{
    size_t sn = strlen(s);
    return sn <= n && memcmp(k + n - sn, s, sn) == 0;
}

/* Offset of the last occurrence of s in k[0..n), or n when there is none. */
static size_t last_of(const char *k, size_t n, const char *s)
{
    size_t sn = strlen(s);
    for (size_t p = n; p >= sn; p--)
        if (memcmp(k + p - sn, s, sn) == 0)
            return p - sn;
    return n;
}

/* Length of key k[0..n) without its trailing bracketed groups and trailing
 * draft words (试行, 征求意见稿, ...). */
static size_t strip_title_tail(const char *k, size_t n)
{
    static const char *const pairs[][2] = {
        { "(", ")" }, { "[", "]" }, { "\u3014", "\u3015" }, { "\u3010", "\u3011" },
    };
    static const char *const drafts[] = {
        "试行", "草案", "征求意见稿", "送审稿", "修订稿", "修订", "修正",
    };
    int changed = 1;
    while (changed) {
        changed = 0;
        for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
            if (!ends_with(k, n, pairs[i][1]))
                continue;
            size_t p = last_of(k, n - strlen(pairs[i][1]), pairs[i][0]);
            if (p > 0 && p < n - strlen(pairs[i][1])) {
                n = p;
                changed = 1;
            }
        }
        for (size_t i = 0; i < sizeof drafts / sizeof *drafts; i++)
            if (n > strlen(drafts[i]) && ends_with(k, n, drafts[i])) {
                n -= strlen(drafts[i]);
                changed = 1;
            }
    }
    return n;
}

/* 1 when title key k[0..n) looks like a policy document (refs.h). */
static int looks_like_policy(const char *k, size_t n)
{
    static const char *const endings[] = {
        "办法", "方案", "意见", "通知", "规定", "条例", "规划", "计划", "措施", "政策",
        "决定", "决议", "纲要", "细则", "建议", "提案", "议案", "行动", "指引", "指南",
        "标准", "规范", "规程", "导则", "准则", "规则", "制度", "章程", "目录", "清单",
        "名单", "要点", "纪要", "报告", "公报", "公告", "通告", "批复", "答复", "回复",
        "函", "协议",
    };
    static const char *const not_law[] = {
        "方法", "说法", "看法", "想法", "做法", "用法", "手法", "写法", "算法", "书法",
        "语法", "兵法", "魔法", "疗法", "技法", "画法", "笔法", "戏法",
    };
    if (memmem(k, n, "关于", strlen("关于")))
        return 1;
    n = strip_title_tail(k, n);
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++)
        if (ends_with(k, n, endings[i]))
            return 1;
    if (!ends_with(k, n, "法"))
        return 0;
    for (size_t i = 0; i < sizeof not_law / sizeof *not_law; i++)
        if (ends_with(k, n, not_law[i]))
            return 0;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Titles                                                                   */
/* ------------------------------------------------------------------------ */

/* If a title opens at code point i of u, store its closing character and
 * the width of its brackets in characters (1, or 2 for << >>) and return 1. */
static int title_open(const ucs *u, size_t i, uint32_t *close, size_t *w)
{
    uint32_t c = u->cp[i];
    if (c == CP_TITLE_OPEN || c == CP_ANGLE_OPEN) {
        *close = c == CP_TITLE_OPEN ? CP_TITLE_CLOSE : CP_ANGLE_CLOSE;
        *w = 1;
        return 1;
    }
    if (c == '<' && i + 1 < u->len && u->cp[i + 1] == '<') {
        *close = '>';
        *w = 2;
        return 1;
    }
    return 0;
}

/* Index of the closing bracket of the title opened at i (brackets of width
 * w, closing character close), or SIZE_MAX when it does not close within
 * the rules: TITLE_SCAN characters, no sentence end, no blank line, and for
 * << >> no < or > inside.  Nested brackets of the same kind are skipped. */
static size_t title_end(const ucs *u, size_t i, uint32_t close, size_t w)
{
    uint32_t open = u->cp[i];
    size_t depth = 0, breaks = 0;
    for (size_t j = i + w; j < u->len && j - i <= TITLE_SCAN; j++) {
        uint32_t c = u->cp[j];
        if (is_sentence_end(c))
            return SIZE_MAX;
        if (is_line_break(c)) {
            if (++breaks > 1)
                return SIZE_MAX;
        } else if (!is_gap(c)) {
            breaks = 0;
        }
        if (w == 2) {
            if (c == '<')
                return SIZE_MAX;
            if (c == '>')
                return j + 1 < u->len && u->cp[j + 1] == '>' ? j : SIZE_MAX;
        } else if (c == open) {
            depth++;
        } else if (c == close) {
            if (depth == 0)
                return j;
            depth--;
        }
    }
    return SIZE_MAX;
}

/* Is there a cited title at code point i of u?  On 1 its key is in key,
 * its content is u[*a..*b) and its closing bracket ends before *end. */
static int title_at(const ucs *u, size_t i, buf *key, size_t *a, size_t *b, size_t *end, int *oom)
{
    uint32_t close;
    size_t w, chars, cjk;
    *oom = 0;
    if (!title_open(u, i, &close, &w))
        return 0;
    size_t j = title_end(u, i, close, w);
    if (j == SIZE_MAX)
        return 0;
    if (title_key(u, i + w, j, key, &chars, &cjk) != 0) {
        *oom = 1;
        return 0;
    }
    if (chars < TITLE_MIN_CHARS || chars > TITLE_MAX_CHARS || cjk < TITLE_MIN_CJK
        || !looks_like_policy(key->data, key->len))
        return 0;
    *a = i + w;
    *b = j;
    *end = j + w;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Document numbers                                                         */
/* ------------------------------------------------------------------------ */

/* First code point at or after p (before hi) that is not a gap, looking at
 * most 4 gaps ahead. */
static size_t skip_gaps(const ucs *u, size_t p, size_t hi)
{
    for (int k = 0; k < 4 && p < hi && is_gap(u->cp[p]); k++)
        p++;
    return p;
}

/* Where the issuer of a number starts in the CJK run u[run..b): after the
 * last cutting character, past leading verbs and prepositions. */
static size_t issuer_start(const ucs *u, size_t run, size_t b)
{
    static const char *const cuts[] = {
        "的", "和", "及", "与", "在", "对", "由", "将", "以", "为", "于", "是", "了",
        "见", "等", "即", "并", "把", "从", "向", "被", "号",
    };
    static const char *const leads[] = {
        "根据", "按照", "依据", "依照", "参照", "对照", "遵照", "贯彻", "落实", "执行",
        "结合", "关于", "印发", "转发", "通过", "参见", "详见", "出台", "制定", "下发",
        "发布", "文件",
    };
    size_t k = run;
    for (size_t p = run; p < b; p++)
        for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++)
            if (match_at(u, p, b, cuts[i]))
                k = p + 1;
    for (int again = 1; again;) {
        again = 0;
        for (size_t i = 0; i < sizeof leads / sizeof *leads; i++)
            if (match_at(u, k, b, leads[i])) {
                k += word_chars(leads[i]);
                again = 1;
            }
    }
    return k;
}

/* Is there a document number whose year bracket opens at b (its issuer
 * starting at lo or later)?  On 1 its key is in key (cleared first) and its
 * extent in *ds.  opt_hao: the final 号 may be missing.  Returns 1, 0, or
 * -1 when out of memory. */
static int docno_at(const ucs *u, size_t lo, size_t b, int opt_hao, buf *key, docno_span *ds)
{
    if (!is_year_open(u->cp[b]))
        return 0;
    size_t j = skip_gaps(u, b + 1, u->len);
    if (j + 4 > u->len)
        return 0;
    for (size_t d = 0; d < 4; d++)
        if (!is_digit(u->cp[j + d]))
            return 0;
    if (!((u->cp[j] == '1' && u->cp[j + 1] == '9') || (u->cp[j] == '2' && u->cp[j + 1] == '0')))
        return 0;
    size_t year = j;
    j = skip_gaps(u, j + 4, u->len);
    if (j >= u->len || !is_year_close(u->cp[j]))
        return 0;
    j = skip_gaps(u, j + 1, u->len);
    if (j < u->len && u->cp[j] == CP_DI)
        j = skip_gaps(u, j + 1, u->len);
    size_t num = j;
    while (j < u->len && is_digit(u->cp[j]) && j - num <= DOCNO_MAX_DIGITS)
        j++;
    if (j == num || j - num > DOCNO_MAX_DIGITS)
        return 0;
    size_t num_end = j;
    j = skip_gaps(u, j, u->len);
    if (j < u->len && (u->cp[j] == CP_HAO || u->cp[j] == CP_HAO_TRAD))
        ds->end = j + 1;
    else if (opt_hao)
        ds->end = num_end;
    else
        return 0;

    /* The issuer: the CJK run just before the bracket. */
    size_t e = b;
    for (int k = 0; k < 2 && e > lo && is_gap(u->cp[e - 1]); k++)
        e--;
    size_t run = e;
    while (run > lo && e - run < ISSUER_SCAN && uclass_of(u->cp[run - 1]) == UC_CJK)
        run--;
    size_t s = issuer_start(u, run, e);
    if (s >= e || e - s > ISSUER_MAX)
        return 0;
    ds->run = run;
    ds->start = s;

    buf_clear(key);
    int rc = 0;
    for (size_t p = s; p < e; p++)
        rc |= buf_put_utf8(key, u->cp[p]);
    rc |= buf_puts(key, "\u3014");
    for (size_t d = 0; d < 4; d++)
        rc |= buf_putc(key, (int)u->cp[year + d]);
    rc |= buf_puts(key, "\u3015");
    while (num + 1 < num_end && u->cp[num] == '0')
        num++;
    for (; num < num_end; num++)
        rc |= buf_putc(key, (int)u->cp[num]);
    rc |= buf_puts(key, "号");
    return rc ? -1 : 1;
}

/* ------------------------------------------------------------------------ */
/* The list                                                                 */
/* ------------------------------------------------------------------------ */

/* Add a reference of kind to l, keeping l in order of start.  Returns 0 or -1. */
static int list_add(ref_list *l, enum ref_kind kind, size_t start, size_t end, const buf *key)
{
    if (ARRAY_GROW(l->items, l->cap, l->n + 1) != 0)
        return -1;
    size_t key_off = l->keys.len;
    if (buf_append(&l->keys, key->data, key->len) != 0 || buf_putc(&l->keys, 0) != 0)
        return -1;
    size_t at = l->n;
    while (at > 0 && l->items[at - 1].start > start)
        at--;
    memmove(l->items + at + 1, l->items + at, (l->n - at) * sizeof *l->items);
    l->items[at] = (ref_item){ kind, start, end - start, key_off, key->len };
    l->n++;
    return 0;
}

/* 1 when key equals the NUL-terminated own key (own may be empty). */
static int same_key(const buf *key, const buf *own)
{
    return own->len > 0 && key->len == own->len && memcmp(key->data, own->data, key->len) == 0;
}

int refs_extract(const char *text, size_t n, const char *own_title, const char *own_docno,
                 ref_list *out, ps_err *err)
{
    ucs u = UCS_INIT;
    buf key = BUF_INIT, self_title = BUF_INIT, self_docno = BUF_INIT;
    int rc = 0;

    out->n = 0;
    buf_clear(&out->keys);
    if (own_title && *own_title
        && refs_normalize_title(own_title, strlen(own_title), &self_title, err) < 0)
        rc = -1;
    if (rc == 0 && own_docno && *own_docno
        && refs_normalize_docno(own_docno, strlen(own_docno), &self_docno, err) < 0)
        rc = -1;
    if (rc == 0 && ucs_build(&u, text ? text : "", text ? n : 0) != 0)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < u.len; i++) {
        size_t a, b, end;
        int oom;
        docno_span ds;
        if (title_at(&u, i, &key, &a, &b, &end, &oom)) {
            if (!same_key(&key, &self_title)
                && list_add(out, REF_TITLE, u.off[i], u.off[end], &key) != 0)
                rc = -1;
        } else if (oom) {
            rc = -1;
        }
        if (rc != 0)
            break;
        int d = docno_at(&u, 0, i, 0, &key, &ds);
        if (d < 0 || (d > 0 && !same_key(&key, &self_docno)
                      && list_add(out, REF_DOCNO, u.off[ds.start], u.off[ds.end], &key) != 0))
            rc = -1;
    }
    if (rc != 0) {
        out->n = 0;
        ps_err_nomem(err);
    }
    ucs_free(&u);
    buf_free(&key);
    buf_free(&self_title);
    buf_free(&self_docno);
    return rc;
}

const char *refs_key(const ref_list *l, size_t i)
{
    return l->keys.data + l->items[i].key_off;
}

void refs_list_free(ref_list *l)
{
    free(l->items);
    buf_free(&l->keys);
    *l = (ref_list)REF_LIST_INIT;
}

/* ------------------------------------------------------------------------ */
/* User input                                                               */
/* ------------------------------------------------------------------------ */

/* The non-gap extent [*lo, *hi) of u. */
static void ucs_trim(const ucs *u, size_t *lo, size_t *hi)
{
    *lo = 0;
    *hi = u->len;
    while (*lo < *hi && is_gap(u->cp[*lo]))
        (*lo)++;
    while (*hi > *lo && is_gap(u->cp[*hi - 1]))
        (*hi)--;
}

int refs_normalize_title(const char *s, size_t n, buf *key, ps_err *err)
{
    ucs u = UCS_INIT;
    size_t lo, hi, chars, cjk;
    buf_clear(key);
    if (ucs_build(&u, s ? s : "", s ? n : 0) != 0)
        return oom(err);
    ucs_trim(&u, &lo, &hi);
    uint32_t close;
    size_t w;
    if (lo < hi && title_open(&u, lo, &close, &w) && hi - lo >= 2 * w
        && u.cp[hi - 1] == close && (w == 1 || u.cp[hi - 2] == close)) {
        lo += w;
        hi -= w;
    }
    int rc = title_key(&u, lo, hi, key, &chars, &cjk);
    ucs_free(&u);
    if (rc != 0) {
        buf_clear(key);
        return oom(err);
    }
    return key->len ? 0 : 1;
}

int refs_normalize_docno(const char *s, size_t n, buf *key, ps_err *err)
{
    ucs u = UCS_INIT;
    size_t lo, hi, b;
    docno_span ds;
    int rc = 0;
    buf_clear(key);
    if (ucs_build(&u, s ? s : "", s ? n : 0) != 0)
        return oom(err);
    ucs_trim(&u, &lo, &hi);
    for (b = lo; b < hi && !is_year_open(u.cp[b]); b++)
        ;
    if (b < hi) {
        u.len = hi;                  /* nothing after the input's end counts */
        rc = docno_at(&u, lo, b, 1, key, &ds);
        if (rc > 0 && (ds.run != lo || ds.end != hi))
            rc = 0;
    }
    ucs_free(&u);
    if (rc < 0) {
        buf_clear(key);
        return oom(err);
    }
    if (rc == 0) {
        buf_clear(key);
        return 1;
    }
    return 0;
}

int refs_normalize_any(const char *s, size_t n, enum ref_kind *kind, buf *key, ps_err *err)
{
    int rc = refs_normalize_docno(s, n, key, err);
    if (rc <= 0) {
        *kind = REF_DOCNO;
        return rc;
    }
    *kind = REF_TITLE;
    return refs_normalize_title(s, n, key, err);
}

/* ------------------------------------------------------------------------ */
/* Terms                                                                    */
/* ------------------------------------------------------------------------ */


int refs_term(enum ref_kind kind, enum ref_role role, const char *key, size_t n, buf *out)
{
    const char *prefix = role == REF_IDENTITY
        ? (kind == REF_DOCNO ? REFS_PREFIX_OWN_DOCNO : REFS_PREFIX_OWN_TITLE)
        : (kind == REF_DOCNO ? REFS_PREFIX_CITES_DOCNO : REFS_PREFIX_CITES_TITLE);
    buf_clear(out);
    if (buf_puts(out, prefix) != 0)
        return -1;
    if (strlen(prefix) + n <= KEY_DIRECT)
        return buf_append(out, key, n);
    size_t cut = KEY_CUT;
    while (cut > 0 && ((unsigned char)key[cut] & 0xC0) == 0x80)
        cut--;
    if (buf_append(out, key, cut) != 0)
        return -1;
    return buf_printf(out, "#%016llx", (unsigned long long)hash_fnv64(HASH_FNV64_INIT, key, n));
}

/* ------------------------------------------------------------------------ */
/* A document's title                                                       */
/* ------------------------------------------------------------------------ */

/* 1 when c ends the stretch of text a fallback title's cues are looked for in. */
static int is_cue_stop(uint32_t c)
{
    return is_sentence_end(c) || c == ';' || is_line_break(c) || c == '\r';
}

/* 1 when some cue of cues[0..nc) is spelt inside u[a..b). */
static int has_cue(const ucs *u, size_t a, size_t b, const char *const *cues, size_t nc)
{
    for (size_t p = a; p < b; p++)
        for (size_t i = 0; i < nc; i++)
            if (match_at(u, p, b, cues[i]))
                return 1;
    return 0;
}

/* 1 when the title with brackets u[i..end) is one its document answers or
 * announces, by the cues around it (refs.h). */
static int title_answered(const ucs *u, size_t i, size_t end)
{
    static const char *const before[] = { "您", "你", "提出的", "印发", "转发", "现将" };
    static const char *const after[] = { "答复", "回复", "复函", "收悉", "提案", "的通知" };
    size_t a = i, z = end;
    while (a > 0 && i - a < CUE_BEFORE && !is_cue_stop(u->cp[a - 1]))
        a--;
    while (z < u->len && z - end < CUE_AFTER && !is_cue_stop(u->cp[z]))
        z++;
    return has_cue(u, a, i, before, sizeof before / sizeof *before)
        || has_cue(u, end, z, after, sizeof after / sizeof *after);
}

/* Append the source characters u[a..b) to out as a title is shown: gaps
 * dropped at both ends, a gap run with a line break dropped, any other gap
 * run made one space.  Returns 0 or -1. */
static int put_display(const ucs *u, size_t a, size_t b, buf *out)
{
    int rc = 0, gap = 0, brk = 0;
    while (a < b && is_gap(u->cp[a]))
        a++;
    while (b > a && is_gap(u->cp[b - 1]))
        b--;
    for (size_t p = a; p < b; p++) {
        uint32_t c = u->raw[p];
        if (is_gap(u->cp[p])) {
            gap |= utf8_is_blank(c) && !is_zero_width(c);
            brk |= is_line_break(c) || c == '\r';
            continue;
        }
        if (gap && !brk)
            rc |= buf_putc(out, ' ');
        gap = brk = 0;
        rc |= buf_put_utf8(out, c);
    }
    return rc ? -1 : 0;
}

/* Append s (NULL for none) trimmed to out; 1 when something was appended,
 * 0 when nothing was, -1 when out of memory. */
static int put_trimmed(const char *s, size_t max_chars, buf *out)
{
    ucs u = UCS_INIT;
    size_t lo, hi;
    if (!s || !*s)
        return 0;
    if (ucs_build(&u, s, strlen(s)) != 0)
        return -1;
    ucs_trim(&u, &lo, &hi);
    if (hi - lo > max_chars)
        hi = lo + max_chars;
    int rc = lo < hi ? 1 : 0;
    if (rc && put_display(&u, lo, hi, out) != 0)
        rc = -1;
    ucs_free(&u);
    return rc;
}

/* The first cited title doc u answers or announces, shown, into out;
 * 1 when there is one, 0 when not, -1 when out of memory. */
static int answered_title(const ucs *u, buf *out)
{
    buf key = BUF_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < u->len; i++) {
        size_t a, b, end;
        int oom;
        if (title_at(u, i, &key, &a, &b, &end, &oom) && title_answered(u, i, end))
            rc = put_display(u, a, b, out) != 0 ? -1 : 1;
        else if (oom)
            rc = -1;
    }
    buf_free(&key);
    return rc;
}

/* The first line of u with text, cut to FIRST_LINE_MAX characters, into
 * out; 1 when there is one, 0 when not, -1 when out of memory. */
static int first_line(const ucs *u, buf *out)
{
    size_t p = 0;
    while (p < u->len && is_gap(u->cp[p]))
        p++;
    if (p == u->len)
        return 0;
    size_t e = p;
    while (e < u->len && e - p < FIRST_LINE_MAX && !is_line_break(u->cp[e]) && u->cp[e] != '\r')
        e++;
    return put_display(u, p, e, out) != 0 ? -1 : 1;
}

/* Bytes of doc[0..n) a title fallback reads: TITLE_WINDOW past the first
 * character that is not a gap (a long blank lead-in hides nothing). */
static size_t title_window(const char *doc, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int w = utf8_decode((const unsigned char *)doc + i, n - i, &cp);
        if (!is_gap(w > 0 ? key_char(cp) : UTF8_REPLACEMENT))
            break;
        i += w > 0 ? (size_t)w : 1;
    }
    return n - i > TITLE_WINDOW ? i + TITLE_WINDOW : n;
}

int refs_doc_title(const char *doc, size_t n, const doc_meta *m, buf *out,
                   enum ref_title_from *from, ps_err *err)
{
    enum ref_title_from got = REF_TITLE_NONE;
    ucs u = UCS_INIT;
    int rc;

    buf_clear(out);
    rc = put_trimmed(m ? m->title : NULL, SIZE_MAX, out);
    if (rc > 0)
        got = REF_TITLE_META;
    if (rc == 0) {
        rc = ucs_build(&u, doc ? doc : "", doc ? title_window(doc, n) : 0) != 0
            ? -1 : answered_title(&u, out);
        if (rc > 0)
            got = REF_TITLE_CITED;
    }
    if (rc == 0) {
        rc = put_trimmed(m ? m->docno : NULL, SIZE_MAX, out);
        if (rc > 0)
            got = REF_TITLE_DOCNO;
    }
    if (rc == 0) {
        rc = first_line(&u, out);
        if (rc > 0)
            got = REF_TITLE_TEXT;
    }
    ucs_free(&u);
    if (from)
        *from = rc < 0 ? REF_TITLE_NONE : got;
    if (rc < 0) {
        buf_clear(out);
        return oom(err);
    }
    return 0;
}

/* The key as the indexer keyed citations, then the citing role's prefix. */
int refs_cite_term(const char *s, buf *term, ps_err *err)
{
    buf key = BUF_INIT;
    enum ref_kind kind;
    int r = refs_normalize_any(s, strlen(s), &kind, &key, err);
    if (r == 0 && refs_term(kind, REF_CITES, key.data, key.len, term) != 0)
        r = (ps_err_nomem(err), -1);
    buf_free(&key);
    return r;
}
