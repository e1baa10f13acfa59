/* utf8.c — strict UTF-8 decoding and character classes; see utf8.h. */
#include "utf8.h"

#include <string.h>

/* Bytes 0x80..0xBF: the only ones allowed after a lead byte. */
#define IS_CONT(b) (((b) & 0xC0u) == 0x80u)

int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    *cp = UTF8_REPLACEMENT;
    if (n == 0)
        return -1;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    /* C0 and C1 could only start overlong two-byte forms. */
    if (c < 0xC2)
        return -1;
    if (c < 0xE0) {
        if (n < 2 || !IS_CONT(s[1]))
            return -1;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    if (c < 0xF0) {
        /* E0 needs A0.. (else overlong); ED needs ..9F (else a surrogate). */
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80;
        unsigned hi = c == 0xED ? 0x9F : 0xBF;
        if (n < 3 || s[1] < lo || s[1] > hi || !IS_CONT(s[2]))
            return -1;
        *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3Fu);
        return 3;
    }
    if (c < 0xF5) {
        /* F0 needs 90.. (else overlong); F4 needs ..8F (else above U+10FFFF). */
        unsigned lo = c == 0xF0 ? 0x90 : 0x80;
        unsigned hi = c == 0xF4 ? 0x8F : 0xBF;
        if (n < 4 || s[1] < lo || s[1] > hi || !IS_CONT(s[2]) || !IS_CONT(s[3]))
            return -1;
        *cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12)
            | ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3Fu);
        return 4;
    }
    return -1;
}

/* Skips eight ASCII bytes at a time: most of a policy corpus is markup,
 * digits and Latin text between the Chinese runs; and takes the commonest
 * other case, a three-byte character led by E1..EF other than ED (which can
 * be neither overlong nor a surrogate), without the full decoder. */
size_t utf8_validate(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if ((w & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xE1 && c <= 0xEF && c != 0xED && n - i >= 3 && IS_CONT(p[i + 1]) && IS_CONT(p[i + 2])) {
            i += 3;
            continue;
        }
        uint32_t cp;
        int k = utf8_decode(p + i, n - i, &cp);
        if (k < 0)
            return i;
        i += (size_t)k;
    }
    return n;
}

size_t utf8_count(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += !IS_CONT(p[i]);
    return count;
}

size_t utf8_offset(const char *s, size_t n, size_t index)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    for (; i < n; i++) {
        if (!IS_CONT(p[i])) {
            if (index == 0)
                return i;
            index--;
        }
    }
    return n;
}

/* Classes of the ASCII range, looked up directly. */
#define B UC_BREAK
#define S UC_SPACE
#define W UC_WORD
static const unsigned char ascii_class[128] = {
    B, B, B, B, B, B, B, B, B, S, S, S, S, S, B, B,     /* \t \n \v \f \r */
    B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
    S, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,     /* space, punctuation */
    W, W, W, W, W, W, W, W, W, W, B, B, B, B, B, B,     /* 0-9 */
    B, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,     /* A-O */
    W, W, W, W, W, W, W, W, W, W, W, B, B, B, B, W,     /* P-Z, _ */
    B, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,     /* a-o */
    W, W, W, W, W, W, W, W, W, W, W, B, B, B, B, B      /* p-z */
};
#undef B
#undef S
#undef W

/* Every non-ASCII code point not covered here is UC_BREAK.  Sorted and
 * disjoint, for binary search. */
static const utf8_range uclass_ranges[] = {
    { 0x00A0, 0x00A0, UC_SPACE },
    { 0x00AA, 0x00AA, UC_WORD },
    { 0x00B5, 0x00B5, UC_WORD },
    { 0x00BA, 0x00BA, UC_WORD },
    { 0x00C0, 0x00D6, UC_WORD },     /* Latin-1 letters, less × and ÷ */
    { 0x00D8, 0x00F6, UC_WORD },
    { 0x00F8, 0x02AF, UC_WORD },     /* Latin Extended-A, -B, IPA */
    { 0x0300, 0x036F, UC_WORD },     /* combining marks stay inside their word */
    { 0x0370, 0x037D, UC_WORD },     /* Greek, less its question mark and ano teleia */
    { 0x037F, 0x0386, UC_WORD },
    { 0x0388, 0x03FF, UC_WORD },
    { 0x0400, 0x0481, UC_WORD },     /* Cyrillic, less the thousands sign */
    { 0x0483, 0x052F, UC_WORD },
    { 0x0531, 0x0556, UC_WORD },     /* Armenian */
    { 0x0561, 0x0587, UC_WORD },
    { 0x0591, 0x05BD, UC_WORD },     /* Hebrew points and letters */
    { 0x05D0, 0x05F2, UC_WORD },
    { 0x0610, 0x061A, UC_WORD },     /* Arabic letters, marks, digits */
    { 0x0620, 0x0669, UC_WORD },
    { 0x066E, 0x06D3, UC_WORD },
    { 0x06D5, 0x06FF, UC_WORD },
    { 0x0900, 0x0963, UC_WORD },     /* Devanagari, less its dandas */
    { 0x0966, 0x097F, UC_WORD },
    { 0x0E01, 0x0E3A, UC_WORD },     /* Thai */
    { 0x0E40, 0x0E4E, UC_WORD },
    { 0x0E50, 0x0E59, UC_WORD },
    { 0x1100, 0x11FF, UC_CJK },      /* Hangul Jamo */
    { 0x1680, 0x1680, UC_SPACE },
    { 0x1E00, 0x1FFF, UC_WORD },     /* Latin Extended Additional, Greek Extended */
    { 0x2000, 0x200A, UC_SPACE },
    { 0x2028, 0x2029, UC_SPACE },
    { 0x202F, 0x202F, UC_SPACE },
    { 0x205F, 0x205F, UC_SPACE },
    { 0x2E80, 0x2FDF, UC_CJK },      /* CJK and Kangxi radicals */
    { 0x3000, 0x3000, UC_SPACE },
    { 0x3005, 0x3007, UC_CJK },      /* 々 〆 〇 */
    { 0x3040, 0x30FA, UC_CJK },      /* kana; the katakana middle dot is punctuation */
    { 0x30FC, 0x30FF, UC_CJK },
    { 0x3100, 0x318F, UC_CJK },      /* bopomofo, Hangul compatibility jamo */
    { 0x31A0, 0x31BF, UC_CJK },
    { 0x31F0, 0x31FF, UC_CJK },
    { 0x3400, 0x4DBF, UC_CJK },      /* extension A */
    { 0x4E00, 0x9FFF, UC_CJK },
    { 0xA960, 0xA97F, UC_CJK },
    { 0xAC00, 0xD7FF, UC_CJK },      /* Hangul syllables and jamo extended-B */
    { 0xF900, 0xFAFF, UC_CJK },
    { 0xFF10, 0xFF19, UC_WORD },     /* full-width digits and letters, if not normalised */
    { 0xFF21, 0xFF3A, UC_WORD },
    { 0xFF41, 0xFF5A, UC_WORD },
    { 0xFF66, 0xFF9F, UC_CJK },      /* half-width katakana */
    { 0x20000, 0x2FA1F, UC_CJK },    /* extensions B-F, compatibility supplement */
    { 0x30000, 0x323AF, UC_CJK }     /* extensions G, H */
};

enum uclass uclass_of(uint32_t cp)
{
    if (cp < 0x80)
        return (enum uclass)ascii_class[cp];
    if (cp >= 0x4E00 && cp <= 0x9FFF)
        return UC_CJK;
    return (enum uclass)utf8_range_lookup(uclass_ranges, sizeof uclass_ranges / sizeof uclass_ranges[0],
                                          cp, UC_BREAK);
}

size_t utf8_prev(const char *s, size_t lo, size_t pos)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = pos - 1;
    while (i > lo && pos - i < 4 && (u[i] & 0xC0) == 0x80)
        i--;
    return i;
}

int utf8_is_blank(uint32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029
        || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* 〇 一 二 三 四 五 六 七 八 九, then 十 and 百 by hand. */
int utf8_cn_numeral(uint32_t c)
{
    static const uint32_t digits[10] = { 0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                         0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D };
    switch (c) {
    case 0x96F6:                     /* 零 */
        return 0;
    case 0x5341:                     /* 十 */
        return 10;
    case 0x767E:                     /* 百 */
        return 100;
    default:
        break;
    }
    for (int i = 0; i < 10; i++)
        if (digits[i] == c)
            return i;
    return -1;
}

/* Binary search: the table is sorted and its ranges are disjoint. */
uint32_t utf8_range_lookup(const utf8_range *table, size_t n, uint32_t cp, uint32_t def)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < table[mid].lo)
            hi = mid;
        else if (cp > table[mid].hi)
            lo = mid + 1;
        else
            return table[mid].value;
    }
    return def;
}
