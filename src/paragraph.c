/* paragraph.c — documents into paragraphs; see paragraph.h.
 *
 * Two layers.  The line layer groups the lines of each block (lines between
 * blank lines) into paragraphs: a line break is kept unless the text looks
 * hard-wrapped there.  The cut layer then walks each paragraph once and, when
 * a piece reaches max_chars code points, cuts it at the best place seen so
 * far.  "Best so far" needs only the last candidate of every kind, so the
 * walk is linear however long the paragraph is (a 20 MB line costs one pass
 * plus a few lookahead bytes at each punctuation mark).
 *
 * The text is valid UTF-8 (decode.c made it so); the small decoder below
 * still maps a stray byte to U+FFFD rather than read past the end. */
#include "paragraph.h"

#include <stdint.h>
#include "utf8.h"

/* Hard-wrap detection: a block whose longest line is shorter than this is
 * made of short lines (metadata, headings), never wrapped prose. */
#define WRAP_MIN_LONGEST 30

/* A line counts as "full" when it is at least WRAP_FULL_NUM/WRAP_FULL_DEN of
 * the block's longest line: wrapped lines end near the wrap column. */
#define WRAP_FULL_NUM 4
#define WRAP_FULL_DEN 5

/* A field label ("发布机构:") is at most this many code points before its
 * colon; a line starting with one begins a new item, never a continuation. */
#define LABEL_MAX_CHARS 8

/* ------------------------------------------------------------------------ */
/* Code points and their classes                                            */
/* ------------------------------------------------------------------------ */

/* Letters, digits and CJK: what makes a paragraph worth keeping.  Outside
 * ASCII everything counts except white space and the punctuation/symbol
 * blocks, which is close enough for policy text and needs no tables. */
static int is_word(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    if (utf8_is_blank(c) || c == 0xFFFD)
        return 0;
    if (c >= 0xA1 && c <= 0xBF)
        return 0;
    if (c == 0xD7 || c == 0xF7)
        return 0;
    if (c >= 0x2010 && c <= 0x2BFF)          /* punctuation .. misc symbols */
        return (c >= 0x2150 && c <= 0x218F)  /* number forms: Ⅰ Ⅱ */
            || (c >= 0x2460 && c <= 0x24FF); /* ① ⑴ ⒈ */
    if (c >= 0x3000 && c <= 0x303F)
        return c == 0x3005 || c == 0x3007;
    if (c >= 0xFE10 && c <= 0xFE6F)
        return 0;
    if (c >= 0xFF00 && c <= 0xFFEF)          /* full-width: digits and letters only */
        return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A)
            || (c >= 0xFF41 && c <= 0xFF5A) || (c >= 0xFF66);
    if (c >= 0x1F000 && c <= 0x1FAFF)        /* emoji */
        return 0;
    return 1;
}

/* Marks that close a quotation or bracket: a sentence ends after them. */
static int is_closer(uint32_t c)
{
    switch (c) {
    case 0x201D: case 0x2019: case '"': case '\'': case 0x300D: case 0x300F:
    case 0xFF09: case ')': case 0x3011: case 0x300B: case 0x3009: case 0xFF3D:
    case ']':
        return 1;
    }
    return 0;
}

/* Sentence-final marks that end a sentence whatever follows ('.' is
 * handled apart: it must be followed by a space). */
static int is_stop(uint32_t c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?';
}

/* Clause punctuation: a cut after it keeps clauses whole. */
static int is_clause(uint32_t c)
{
    return c == 0xFF1B || c == ';' || c == 0xFF0C || c == ',' || c == 0x3001
        || c == 0xFF1A || c == ':';
}

/* Punctuation that lets a structural marker start right after it. */
static int before_marker(uint32_t c)
{
    return utf8_is_blank(c) || is_stop(c) || c == 0xFF1B || c == ';' || c == 0xFF1A
        || c == ':';
}

/* ASCII and full-width decimal digits (a predicate for run_of). */
static int is_digit(uint32_t c)
{
    return utf8_digit_value(c) >= 0;
}

/* Chinese numerals as they appear in section numbers, 一..十 百 零 〇 (a
 * predicate for run_of). */
static int is_cn_num(uint32_t c)
{
    return utf8_cn_numeral(c) >= 0;
}

/* ------------------------------------------------------------------------ */
/* Structural markers                                                       */
/* ------------------------------------------------------------------------ */

/* What may follow "第N" to make a chapter/article heading. */
static const uint32_t marker_units[] = {
    0x7AE0,                          /* 章 */
    0x8282,                          /* 节 */
    0x6761,                          /* 条 */
    0x7BC7,                          /* 篇 */
    0x90E8,                          /* 部 (部分) */
};

/* Count up to `max` code points of s[i..n) that satisfy `pred`; *end gets the
 * offset after them.  Bounded, so markers cost O(1) each. */
static size_t run_of(const unsigned char *s, size_t n, size_t i, size_t max,
                     int (*pred)(uint32_t), size_t *end)
{
    size_t cnt = 0;
    while (i < n && cnt <= max) {
        uint32_t c;
        size_t k = utf8_step(s + i, n - i, &c);
        if (!pred(c))
            break;
        i += k;
        cnt++;
    }
    *end = i;
    return cnt;
}

size_t para_marker(const char *text, size_t n, int *level)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t c, d;
    size_t k, i, cnt;
    int lv = -1;
    size_t len = 0;

    if (n == 0)
        return 0;
    k = utf8_step(s, n, &c);
    if (c == 0x7B2C) {                                       /* 第 */
        cnt = run_of(s, n, k, 5, is_cn_num, &i);
        if (cnt == 0)
            cnt = run_of(s, n, k, 5, is_digit, &i);
        if (cnt >= 1 && cnt <= 5 && i < n) {
            size_t k2 = utf8_step(s + i, n - i, &d);
            for (size_t u = 0; u < sizeof marker_units / sizeof *marker_units; u++)
                if (d == marker_units[u]) {
                    lv = 0;
                    len = i + k2;
                }
        }
    } else if (c == 0xFF08 || c == '(') {                    /* （一） (1) */
        int cn = 1;
        cnt = run_of(s, n, k, 3, is_cn_num, &i);
        if (cnt == 0) {
            cn = 0;
            cnt = run_of(s, n, k, 3, is_digit, &i);
        }
        if (cnt >= 1 && cnt <= 3 && i < n) {
            size_t k2 = utf8_step(s + i, n - i, &d);
            if (d == 0xFF09 || d == ')') {
                lv = cn ? 2 : 3;
                len = i + k2;
            }
        }
    } else if (is_cn_num(c)) {                               /* 一、 一是 */
        cnt = run_of(s, n, 0, 3, is_cn_num, &i);
        if (cnt <= 3 && i < n) {
            size_t k2 = utf8_step(s + i, n - i, &d);
            if (d == 0x3001) {
                lv = 1;
                len = i + k2;
            } else if (d == 0x662F) {
                lv = 2;
                len = i + k2;
            }
        }
    } else if (is_digit(c)) {                                /* 1. 1、 */
        cnt = run_of(s, n, 0, 3, is_digit, &i);
        if (cnt <= 3 && i < n) {
            size_t k2 = utf8_step(s + i, n - i, &d);
            if (d == 0x3001 || d == 0xFF0E) {
                lv = 3;
                len = i + k2;
            } else if (d == '.') {
                uint32_t e = 0;
                if (i + 1 < n)
                    utf8_step(s + i + 1, n - i - 1, &e);
                if (!is_digit(e)) {                          /* not 3.5 */
                    lv = 3;
                    len = i + 1;
                }
            }
        }
    } else if (c >= 0x2460 && c <= 0x2473) {                 /* ① .. ⑳ */
        lv = 3;
        len = k;
    }
    if (lv < 0)
        return 0;
    if (level)
        *level = lv;
    return len;
}

/* Bullets that open list items in scraped pages. */
static const uint32_t bullets[] = {
    0x2022, 0x00B7, 0x25AA, 0x25A0, 0x25A1, 0x25CF, 0x25CB, 0x25C6, 0x25C7,
    0x25BA, 0x25B6, 0x2605, 0x2606, 0x30FB,
};

/* Does s[0..n) (already past leading white space) open a new item: a
 * structural marker, a bullet, "- " style list dash, or a field label such
 * as "发布机构:"?  Such a line never continues the line before it. */
static int opens_item(const unsigned char *s, size_t n)
{
    uint32_t c;
    size_t k;
    if (n == 0)
        return 0;
    if (para_marker((const char *)s, n, NULL))
        return 1;
    k = utf8_step(s, n, &c);
    for (size_t b = 0; b < sizeof bullets / sizeof *bullets; b++)
        if (c == bullets[b])
            return 1;
    if ((c == '-' || c == '*' || c == '+') && k < n && (s[k] == ' ' || s[k] == '\t'))
        return 1;
    return para_field_label((const char *)s, n, LABEL_MAX_CHARS, utf8_is_unspaced);
}

/* One pass over at most max_chars + 1 code points. */
int para_field_label(const char *text, size_t n, size_t max_chars, int (*is_cjk)(uint32_t))
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, cnt = 0, cjk = 0;
    while (i < n && cnt <= max_chars) {
        uint32_t c;
        size_t k = utf8_step(s + i, n - i, &c);
        if (c == ':' || c == 0xFF1A)
            return cjk >= 2;
        if (is_cjk(c))
            cjk++;
        else if (!utf8_is_blank(c))
            return 0;
        i += k;
        cnt++;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Pieces                                                                   */
/* ------------------------------------------------------------------------ */

/* Where paragraphs go and how many have gone. */
typedef struct splitter {
    const unsigned char *doc;        /* the whole document */
    size_t               max;        /* longest piece in code points */
    para_fn              fn;         /* the caller's callback */
    void                *ctx;        /* its context */
    unsigned             number;     /* paragraphs emitted so far */
} splitter;

/* Move *s forward and *e back over white space in d[*s..*e). */
static void trim(const unsigned char *d, size_t *s, size_t *e)
{
    uint32_t c;
    while (*s < *e) {
        size_t k = utf8_step(d + *s, *e - *s, &c);
        if (!utf8_is_blank(c))
            break;
        *s += k;
    }
    while (*e > *s) {
        size_t p = utf8_prev((const char *)d, *s, *e);
        utf8_step(d + p, *e - p, &c);
        if (!utf8_is_blank(c))
            break;
        *e = p;
    }
}

/* Trim doc[s..e) and hand it to the callback unless it holds no letter,
 * digit or CJK character.  Returns the callback's value (0 to go on). */
static int emit(splitter *sp, size_t s, size_t e)
{
    const unsigned char *d = sp->doc;
    uint32_t c;
    int word = 0;
    trim(d, &s, &e);
    for (size_t i = s; i < e && !word;) {
        i += utf8_step(d + i, e - i, &c);
        word = is_word(c);
    }
    if (!word)
        return 0;
    sp->number++;
    return sp->fn(sp->ctx, (const char *)d + s, e - s, s, sp->number);
}

/* Kinds of cut, best first.  Markers rank by level so that a new section
 * (一、) wins over a sub-item ((三)) in the same window. */
enum {
    CUT_MARK0,                       /* before 第一条 第二章 */
    CUT_MARK1,                       /* before 一、 */
    CUT_MARK2,                       /* before （一） 一是 */
    CUT_MARK3,                       /* before 1. 1、 （1） ① */
    CUT_SENT,                        /* after 。！？ (and closing quotes) */
    CUT_CLAUSE,                      /* after ；，、： */
    CUT_SOFT,                        /* at white space or a script change */
    CUT_ANY,                         /* anywhere not between two CJK chars */
    CUT_KINDS
};

/* A candidate cut: the piece before it ends at off. */
typedef struct cut_pt {
    size_t off;                      /* byte offset where the next piece starts */
    size_t idx;                      /* code points from the paragraph start to off */
    int    ok;                       /* set while off lies inside the current piece */
} cut_pt;

/* The order in which cut kinds are tried, and whether a candidate must lie
 * in the latter half of the piece.  A marker early in the piece would make a
 * stub, so it only wins from the latter half; any sentence end beats every
 * clause end; the weakest kinds again prefer the latter half. */
typedef struct cut_pass {
    int first;                       /* first kind tried (CUT_*) */
    int last;                        /* last kind tried, inclusive */
    int half;                        /* set: only candidates in the latter half */
} cut_pass;

static const cut_pass cut_passes[] = {
    { CUT_MARK0,  CUT_MARK3,  1 },
    { CUT_SENT,   CUT_SENT,   0 },
    { CUT_MARK0,  CUT_MARK3,  0 },
    { CUT_CLAUSE, CUT_ANY,    1 },
    { CUT_CLAUSE, CUT_ANY,    0 },
};

/* Pick the cut for a full piece starting at code point start_idx: the first
 * candidate the passes above accept, else the limit itself (lim/lim_idx). */
static cut_pt choose_cut(const cut_pt *last, size_t start_idx, size_t max,
                         size_t lim, size_t lim_idx)
{
    size_t half = start_idx + (max + 1) / 2;
    cut_pt hard = { lim, lim_idx, 1 };
    for (size_t p = 0; p < sizeof cut_passes / sizeof *cut_passes; p++)
        for (int t = cut_passes[p].first; t <= cut_passes[p].last; t++)
            if (last[t].ok && (!cut_passes[p].half || last[t].idx >= half))
                return last[t];
    return hard;
}

/* Emit paragraph doc[s..e), cut into pieces of at most sp->max code points.
 * Returns 0 or the callback's non-zero value. */
static int cut_para(splitter *sp, size_t s, size_t e)
{
    const unsigned char *d = sp->doc;
    cut_pt last[CUT_KINDS] = { { 0, 0, 0 } };
    size_t pos = s, idx = 0, start = s, start_idx = 0;
    uint32_t prev = 0;
    int stop = 0;                    /* 1: a sentence ended at prev; 2: prev is '.' */
    int rc;

    while (pos < e) {
        uint32_t c;
        size_t k = utf8_step(d + pos, e - pos, &c);
        if (pos > start) {
            int lv;
            cut_pt here = { pos, idx, 1 };
            if (before_marker(prev) && para_marker((const char *)d + pos, e - pos, &lv))
                last[CUT_MARK0 + lv] = here;
            if ((stop == 1 && !is_closer(c)) || (stop == 2 && utf8_is_blank(c)))
                last[CUT_SENT] = here;
            if (is_clause(prev) && !(prev < 0x80 && is_digit(c)))
                last[CUT_CLAUSE] = here;
            int wp = is_word(prev), wc = is_word(c);
            if (utf8_is_blank(c) || utf8_is_blank(prev) || (!wp && wc)
                || (wp && wc && utf8_is_unspaced(prev) != utf8_is_unspaced(c)))
                last[CUT_SOFT] = here;
            if (!(utf8_is_unspaced(prev) && utf8_is_unspaced(c)))
                last[CUT_ANY] = here;
        }
        if (idx - start_idx == sp->max) {
            cut_pt cut = choose_cut(last, start_idx, sp->max, pos, idx);
            if ((rc = emit(sp, start, cut.off)) != 0)
                return rc;
            start = cut.off;
            start_idx = cut.idx;
            for (int t = 0; t < CUT_KINDS; t++)
                if (last[t].off <= start)
                    last[t].ok = 0;
        }
        if (is_stop(c))
            stop = 1;
        else if (c == '.')
            stop = 2;
        else if (!(stop == 1 && is_closer(c)))
            stop = 0;
        prev = c;
        pos += k;
        idx++;
    }
    return emit(sp, start, e);
}

/* ------------------------------------------------------------------------ */
/* Lines and blocks                                                         */
/* ------------------------------------------------------------------------ */

/* One line of the document and what the joining rule needs to know. */
typedef struct line_info {
    size_t start;                    /* first byte of the line */
    size_t end;                      /* byte after it, before the line break */
    size_t next;                     /* first byte of the following line */
    size_t tstart;                   /* first byte once white space is trimmed */
    size_t tend;                     /* end once white space is trimmed */
    size_t chars;                    /* code points in [tstart, tend) */
} line_info;

/* Read the line of doc[0..n) starting at pos.  A line ends at \n, \r\n or a
 * lone \r. */
static void scan_line(const unsigned char *d, size_t n, size_t pos, line_info *li)
{
    size_t i = pos, cnt = 0;
    while (i < n && d[i] != '\n' && d[i] != '\r')
        i++;
    li->start = pos;
    li->end = i;
    if (i < n && d[i] == '\r' && i + 1 < n && d[i + 1] == '\n')
        li->next = i + 2;
    else
        li->next = i < n ? i + 1 : n;
    size_t s = pos, e = i;
    trim(d, &s, &e);
    for (size_t j = s; j < e; j++)
        cnt += (d[j] & 0xC0) != 0x80;
    li->tstart = s;
    li->tend = e;
    li->chars = cnt;
}

/* Does the trimmed line end a sentence (closing quotes looked through)?
 * Colons and semicolons count: the next line starts a list or a new item. */
static int ends_final(const unsigned char *d, const line_info *li)
{
    size_t e = li->tend;
    uint32_t c = 0;
    while (e > li->tstart) {
        size_t p = utf8_prev((const char *)d, li->tstart, e);
        utf8_step(d + p, e - p, &c);
        if (!is_closer(c))
            break;
        e = p;
    }
    if (e == li->tstart)
        return 0;
    return is_stop(c) || c == '.' || c == 0x2026 || c == 0xFF1A || c == ':'
        || c == 0xFF1B || c == ';';
}

/* Has line li any letter, digit or CJK character? */
static int has_word(const unsigned char *d, const line_info *li)
{
    uint32_t c;
    for (size_t i = li->tstart; i < li->tend;) {
        i += utf8_step(d + i, li->tend - i, &c);
        if (is_word(c))
            return 1;
    }
    return 0;
}

/* Should the break between line a and the next line b be dropped?  Only for
 * hard-wrapped prose: a runs on (no final punctuation), a is about as long
 * as the block's longest line, and b is a plain continuation. */
static int joins(const unsigned char *d, const line_info *a, const line_info *b,
                 size_t longest)
{
    if (longest < WRAP_MIN_LONGEST)
        return 0;
    if (a->chars * WRAP_FULL_DEN < longest * WRAP_FULL_NUM)
        return 0;
    if (ends_final(d, a))
        return 0;
    if (opens_item(d + b->tstart, b->tend - b->tstart))
        return 0;
    return has_word(d, b);
}

int para_split(const char *doc, size_t n, size_t max_chars, para_fn fn, void *ctx)
{
    return para_split_min(doc, n, 0, max_chars, fn, ctx);
}

int para_split_min(const char *doc, size_t n, size_t min_chars, size_t max_chars, para_fn fn,
                   void *ctx)
{
    const unsigned char *d = (const unsigned char *)doc;
    splitter sp = { d, max_chars ? max_chars : PARA_MAX_CHARS, fn, ctx, 0 };
    size_t pos = 0;
    int rc;

    while (pos < n) {
        line_info a, b;
        size_t longest = 0, block_end, p;

        /* First pass over the block: skip blank lines, find the longest line. */
        scan_line(d, n, pos, &a);
        if (a.chars == 0) {
            pos = a.next;
            continue;
        }
        for (p = pos; p < n;) {
            scan_line(d, n, p, &b);
            if (b.chars == 0)
                break;
            if (b.chars > longest)
                longest = b.chars;
            p = b.next;
        }
        block_end = p;

        /* Second pass: group the lines into paragraphs.  Short lines of a
         * block (verse, metadata fields, ragged manual text) gather until
         * the paragraph reaches min_chars, unless the next line opens
         * an item (a section marker or a bullet starts a paragraph). */
        size_t pstart = a.start, pchars = a.chars;
        for (;;) {
            int more = a.next < block_end;
            if (more)
                scan_line(d, n, a.next, &b);
            int gather = more && pchars < min_chars && pchars + b.chars <= sp.max &&
                         !opens_item(d + b.tstart, b.tend - b.tstart) && has_word(d, &b);
            if (!more || (!gather && !joins(d, &a, &b, longest))) {
                if ((rc = cut_para(&sp, pstart, a.end)) != 0)
                    return rc;
                if (!more)
                    break;
                pstart = b.start;
                pchars = 0;
            }
            pchars += b.chars;
            a = b;
        }
        pos = block_end;
    }
    return 0;
}
