/* region.c — a document's province, city and county from its metadata.
 *
 * Names are matched whole (余姚市, not 余姚) so that prose cannot make a
 * place out of two ordinary characters; the short forms are only for what
 * a user types (--region 浙江).  Codes give the hierarchy: a province ends in
 * 0000, a city in 00, so an ancestor is the code with its low digits cut. */
#include <stdio.h>
#include <string.h>

#include "region.h"

#define NAME_MAX_CHARS 16            /* longer than any name in the table (15) */

/* The name is held in the row, not pointed to: a table of 3,342 pointers
 * would be 3,342 relocations the loader applies (and 13 pages it copies)
 * at the start of every command, whether it asks for a region or not.
 * tools/gen-regions.py refuses a name of more than NAME_MAX_CHARS * 3
 * bytes, so the NUL always fits. */
typedef struct region_row {
    int  code;                       /* six-digit GB/T 2260 code */
    char name[NAME_MAX_CHARS * 3 + 1]; /* full name: 浙江省, 宁波市, 余姚市 */
} region_row;

#include "regions.inc"

#define NROWS (sizeof region_rows / sizeof region_rows[0])
#define TWO_CHARS 6                  /* bytes of a two-character Han name */

/* The deepest level a code names: 1 province, 2 city, 3 county. */
static int level_of(int code)
{
    return code % 10000 == 0 ? 1 : code % 100 == 0 ? 2 : 3;
}

/* The code of code's ancestor at level lv (or code itself when deeper). */
static int ancestor(int code, int lv)
{
    return lv == 1 ? code / 10000 * 10000 : lv == 2 ? code / 100 * 100 : code;
}

/* 1 when a is b or an ancestor of b. */
static int is_ancestor(int a, int b)
{
    return level_of(a) <= level_of(b) && ancestor(b, level_of(a)) == a;
}

/* The deepest code that is an ancestor of (or equal to) both; 0 when they lie
 * in different provinces. */
static int common(int a, int b)
{
    for (int lv = 3; lv >= 1; lv--) {
        int x = ancestor(a, lv < level_of(a) ? lv : level_of(a));
        int y = ancestor(b, lv < level_of(b) ? lv : level_of(b));
        if (level_of(x) == lv && x == y)
            return x;
    }
    return 0;
}

/* The row of a code, or NULL (placeholder cities such as a municipality's
 * 市辖区 have no row). */
static const region_row *row_by_code(int code)
{
    size_t lo = 0, hi = NROWS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (region_rows[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < NROWS && region_rows[lo].code == code ? &region_rows[lo] : NULL;
}

/* Compare a row's name with the len bytes at key, as the name order of
 * region_by_name (bytes, shorter first on a common prefix). */
static int name_cmp(const char *name, const char *key, size_t len)
{
    size_t n = strlen(name);
    int c = memcmp(name, key, n < len ? n : len);
    return c ? c : n < len ? -1 : n > len ? 1 : 0;
}

/* The rows named exactly by key[0..len): their first index in
 * region_by_name, and how many there are (0: none). */
static size_t name_range(const char *key, size_t len, size_t *first)
{
    size_t n = sizeof region_by_name / sizeof region_by_name[0], lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (name_cmp(region_rows[region_by_name[mid]].name, key, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && name_cmp(region_rows[region_by_name[end]].name, key, len) == 0)
        end++;
    *first = lo;
    return end - lo;
}

/* Bytes of the UTF-8 character at s (1 for a stray byte, 0 at the end). */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c == 0 ? 0 : c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

/* 1 when a name ending so, followed by next, is part of a longer word:
 * 海宁市场 is a market, 西湖区域 an area, not the division. */
static int runs_on(const char *name, size_t nlen, const char *next)
{
    static const struct { const char *end, *next; } words[] = {
        { "市", "场" }, { "区", "域" }, { "区", "块" }, { "区", "间" }, { "区", "别" }, { "区", "划" },
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t el = strlen(words[i].end);
        if (nlen >= el && memcmp(name + nlen - el, words[i].end, el) == 0 &&
            strncmp(next, words[i].next, strlen(words[i].next)) == 0)
            return 1;
    }
    return 0;
}

/* What the places named so far tell. */
typedef struct place_chain {
    int code;                        /* deepest code all places agree on; 0: none yet */
    int dead;                        /* two places with nothing in common: unknown */
} place_chain;

/* Add one name's rows (count rows from region_by_name[first]) to the chain:
 * of the rows, keep those on the chain's line of descent; several left give
 * their common ancestor; none left means a second, unrelated place, and the
 * chain keeps only what both have in common. */
static void chain_add(place_chain *ch, size_t first, size_t count)
{
    int cand = -1;
    for (size_t i = first; i < first + count; i++) {
        int c = region_rows[region_by_name[i]].code;
        if (ch->code && !is_ancestor(ch->code, c) && !is_ancestor(c, ch->code))
            continue;
        cand = cand < 0 ? c : common(cand, c);
    }
    if (cand == 0)
        return;                      /* a shared name (鼓楼区) with no common province */
    if (cand < 0) {                  /* unrelated to the chain */
        int c0 = region_rows[region_by_name[first]].code;
        for (size_t i = first + 1; i < first + count; i++)
            c0 = common(c0, region_rows[region_by_name[i]].code);
        ch->code = c0 ? common(ch->code, c0) : 0;
        if (!ch->code)
            ch->dead = 1;
        return;
    }
    if (!ch->code || level_of(cand) > level_of(ch->code))
        ch->code = cand;
}

/* Scan s for division names, longest first at each character, and add them
 * to the chain.  at_start: only a name at the very start counts (titles);
 * two-character names (沛县, 东区) count only at the start of s, where they
 * are a body's place and not the 和县 of 各市和县. */
static void chain_scan(place_chain *ch, const char *s, int at_start)
{
    for (const char *p = s; *p && !ch->dead;) {
        size_t off[NAME_MAX_CHARS + 1], k = 0;
        off[0] = 0;
        while (k < NAME_MAX_CHARS && p[off[k]]) {
            off[k + 1] = off[k] + char_len(p + off[k]);
            k++;
        }
        size_t took = 0;
        for (size_t n = k; n >= 2 && !took; n--) {
            size_t first, count = name_range(p, off[n], &first);
            if (!count || (off[n] <= TWO_CHARS && p != s) || runs_on(p, off[n], p + off[n]))
                continue;
            chain_add(ch, first, count);
            took = off[n];
        }
        if (at_start)
            return;
        p += took ? took : off[1] ? off[1] : 1;
    }
}

/* The division code of a 统一社会信用代码 (GB 32100) that opens s, or -1
 * when s does not open with one whose check character is right. */
static int credit_code_division(const char *s)
{
    static const char set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int weight[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
    if (!s || strlen(s) < 18 || (s[18] && s[18] != '/' && s[18] != '-' && s[18] != ' '))
        return -1;
    int sum = 0, v[18];
    for (int i = 0; i < 18; i++) {
        const char *at = s[i] ? strchr(set, s[i]) : NULL;
        if (!at)
            return -1;
        v[i] = (int)(at - set);
        if (i < 17)
            sum += v[i] * weight[i];
    }
    if ((31 - sum % 31) % 31 != v[17])
        return -1;
    for (int i = 2; i < 8; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    int code = 0;
    for (int i = 2; i < 8; i++)
        code = code * 10 + (s[i] - '0');
    return code;
}

/* A province's or the State Council's own number series opening a docno
 * (浙政发〔2020〕1号, 国办发〔2017〕47号): the province's code, 1 for the
 * nation, 0 for neither.  Only series that one body alone uses: 宁政发 is
 * both 宁夏 and 南京, 苏府 is 苏州, so those are not read. */
static int docno_series(const char *d)
{
    static const struct { const char *abbr; int code; int fu; } prov[] = {
        { "京", 110000, 1 }, { "津", 120000, 1 }, { "冀", 130000, 1 }, { "晋", 140000, 1 },
        { "内", 150000, 0 }, { "辽", 210000, 1 }, { "吉", 220000, 0 }, { "黑", 230000, 1 },
        { "沪", 310000, 1 }, { "苏", 320000, 0 }, { "浙", 330000, 1 }, { "皖", 340000, 1 },
        { "闽", 350000, 1 }, { "赣", 360000, 1 }, { "鲁", 370000, 1 }, { "豫", 410000, 1 },
        { "鄂", 420000, 1 }, { "湘", 430000, 1 }, { "粤", 440000, 1 }, { "桂", 450000, 1 },
        { "琼", 460000, 1 }, { "渝", 500000, 1 }, { "川", 510000, 1 }, { "黔", 520000, 1 },
        { "云", 530000, 1 }, { "藏", 540000, 1 }, { "陕", 610000, 1 }, { "甘", 620000, 1 },
        { "青", 630000, 1 }, { "新", 650000, 1 }, { "国", 1, 0 },
    };
    static const char *series[] = { "发", "办发", "函", "办函", "令", "规" };
    if (!d)
        return 0;
    for (size_t i = 0; i < sizeof prov / sizeof prov[0]; i++) {
        size_t al = strlen(prov[i].abbr);
        if (strncmp(d, prov[i].abbr, al) != 0)
            continue;
        const char *p = d + al;
        if (strncmp(p, "政", 3) == 0 || (prov[i].fu && strncmp(p, "府", 3) == 0))
            p += 3;
        else if (prov[i].code != 1)
            return 0;
        for (size_t j = 0; j < sizeof series / sizeof series[0]; j++) {
            size_t sl = strlen(series[j]);
            if (strncmp(p, series[j], sl) == 0 &&
                (strncmp(p + sl, "〔", 3) == 0 || strncmp(p + sl, "[", 1) == 0 ||
                 strncmp(p + sl, "［", 3) == 0))
                return prov[i].code;
        }
        return 0;
    }
    return 0;
}

/* 1 when one issuing body's name is a state body's: the State Council, the
 * Party centre, the NPC and CPPCC, a 国家… administration, a ministry (…部)
 * or one of the few bodies named otherwise; a name holding 省市县区州 is a
 * local body's (市委组织部). */
static int state_body(const char *s, size_t len)
{
    static const char *lead[] = {
        "国务院", "中共中央", "全国人民代表大会", "全国人大", "全国政协", "中华人民共和国",
        "中国人民银行", "海关总署", "最高人民法院", "最高人民检察院", "国家",
    };
    static const char *local[] = { "省", "市", "县", "区", "州" };
    if (len == 0)
        return 0;
    for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
        if (memmem(s, len, local[i], strlen(local[i])))
            return 0;
    for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++)
        if (len > strlen(lead[i]) && strncmp(s, lead[i], strlen(lead[i])) == 0)
            return 1;
    return len >= 9 && len <= 30 && memcmp(s + len - 3, "部", 3) == 0;
}

/* 1 when the issuer names only state bodies (one, or several joined by 、,
 * a comma or spaces: 科学技术部 财政部 国家税务总局). */
static int state_issuer(const char *issuer)
{
    static const char *seps[] = { "、", "，", ",", " ", "\xe3\x80\x80" };
    int any = 0;
    const char *p = issuer;
    while (*p) {
        size_t len = 0, sl = 0;
        for (;;) {
            sl = 0;
            for (size_t i = 0; i < sizeof seps / sizeof seps[0] && !sl; i++)
                if (strncmp(p + len, seps[i], strlen(seps[i])) == 0)
                    sl = strlen(seps[i]);
            if (sl || !p[len])
                break;
            len++;
        }
        if (len) {
            if (!state_body(p, len))
                return 0;
            any = 1;
        }
        p += len + sl;
    }
    return any;
}

/* Fill *r for a code (0: unknown). */
static void region_fill(ps_region *r, int code)
{
    ps_region none = PS_REGION_UNKNOWN;
    *r = none;
    if (code <= 0)
        return;
    const region_row *prov = row_by_code(ancestor(code, 1));
    if (!prov)
        return;
    r->province = prov->name;
    if (level_of(code) >= 2) {
        const region_row *city = row_by_code(ancestor(code, 2));
        int p2 = code / 10000;
        /* A municipality's counties sit under a placeholder 市辖区: its city is itself. */
        r->city = city ? city->name : (p2 == 11 || p2 == 12 || p2 == 31 || p2 == 50) ? prov->name : NULL;
    }
    if (level_of(code) == 3) {
        const region_row *county = row_by_code(code);
        r->county = county ? county->name : NULL;
    }
    r->code = code;
}

int region_of(const region_src *src, ps_region *r)
{
    place_chain ch = { 0, 0 };
    region_fill(r, 0);
    if (src->issuer && *src->issuer)
        chain_scan(&ch, src->issuer, 0);
    if (!ch.code && !ch.dead && src->title) {
        const char *t = src->title;
        if (strncmp(t, "中共", 6) == 0)
            t += 6;
        chain_scan(&ch, t, 1);
    }
    if (ch.dead)
        return 0;
    int div = credit_code_division(src->docno);
    if (div == 100000 && !ch.code)
        goto nation;                 /* a central body's credit code */
    if (div > 0 && row_by_code(ancestor(div, level_of(div)))) {
        if (!ch.code)
            ch.code = div;
        else if (is_ancestor(ch.code, div))
            ch.code = div;
    }
    if (!ch.code) {
        int series = docno_series(src->docno);
        if (series == 1)
            goto nation;
        ch.code = series;
    }
    if (!ch.code && src->issuer && state_issuer(src->issuer))
        goto nation;
    region_fill(r, ch.code);
    return r->province != NULL;
nation:
    r->province = REGION_NATION;
    return 1;
}

char *region_short(const char *name, char *out, unsigned cap)
{
    static const char *suffix[] = {
        "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县",
        "自治旗", "地区", "省", "市", "县", "区", "盟", "旗",
    };
    size_t n = strlen(name), keep = n;
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        size_t sl = strlen(suffix[i]);
        if (n > sl && strcmp(name + n - sl, suffix[i]) == 0) {
            if (n - sl >= TWO_CHARS)
                keep = n - sl;
            break;
        }
    }
    if (cap == 0)
        return out;
    if (keep >= cap)
        keep = cap - 1;
    memcpy(out, name, keep);
    out[keep] = '\0';
    return out;
}

/* 1 when place is name or its short form. */
static int names(const char *name, const char *place)
{
    char s[64];
    return name && (strcmp(name, place) == 0 || strcmp(region_short(name, s, sizeof s), place) == 0);
}

/* 1 when place is 2, 4 or 6 digits. */
static int is_code(const char *place)
{
    size_t n = strspn(place, "0123456789");
    return place[n] == '\0' && (n == 2 || n == 4 || n == 6);
}

int region_matches(const ps_region *r, const char *place)
{
    if (!r->province)
        return strcmp(place, "unknown") == 0;
    if (is_code(place)) {
        char c[16];
        snprintf(c, sizeof c, "%06d", r->code);
        return r->code > 0 && strncmp(c, place, strlen(place)) == 0;
    }
    return names(r->province, place) || names(r->city, place) || names(r->county, place);
}

int region_is_place(const char *place)
{
    if (strcmp(place, REGION_NATION) == 0 || strcmp(place, "unknown") == 0)
        return 1;
    if (is_code(place)) {
        int code = 0;
        for (const char *p = place; *p; p++)
            code = code * 10 + (*p - '0');
        for (size_t n = strlen(place); n < 6; n++)
            code *= 10;
        return row_by_code(code) != NULL;
    }
    for (size_t i = 0; i < NROWS; i++)
        if (names(region_rows[i].name, place))
            return 1;
    return 0;
}
