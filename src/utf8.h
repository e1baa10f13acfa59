/* utf8.h — strict UTF-8 decoding, validation and character classes.
 *
 * Strict means what RFC 3629 says: no overlong forms, no surrogates, nothing
 * above U+10FFFF.  Everything else in polsearch works on code points that came
 * through here: utf8_decode when an invalid sequence is an error, utf8_step
 * when it is a U+FFFD to step over, utf8_validate for whole buffers.  The
 * classes below are the one place that decides what is a CJK character, a
 * word character, a break or a digit: uclass_of for terms, and the narrower
 * predicates (utf8_is_han, utf8_is_unspaced, utf8_is_wide) that metadata,
 * paragraph and HTML layout rules are written in. */
#ifndef POLSEARCH_UTF8_H
#define POLSEARCH_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Decode one code point from s[0..n).  On success store it in *cp and return
 * the number of bytes used (1..4).  On an invalid or truncated sequence store
 * U+FFFD and return -1 (the caller skips one byte, or treats it as an error). */
int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Decode the code point at s[0..n) (n > 0) into *cp and return its length
 * in bytes, 1 to 4.  Never fails: anything that is not strict UTF-8
 * (overlong forms, surrogates, values past U+10FFFF, truncated sequences)
 * counts as a single byte holding U+FFFD, so that every byte string has a
 * well-defined code-point count, a loop over it always advances, and nothing
 * past n is read.  Inline: it is the inner step of every scan over text,
 * and costs what utf8_decode costs. */
static inline size_t utf8_step(const unsigned char *s, size_t n, uint32_t *cp)
{
    int len = utf8_decode(s, n, cp);
    return len > 0 ? (size_t)len : 1;
}

/* Return the byte offset of the first invalid sequence in s[0..n), or n if
 * the whole of it is valid UTF-8. */
size_t utf8_validate(const char *s, size_t n);

/* Start of the code point that ends just before s[pos] (lo < pos), never
 * before lo: steps back over at most three continuation bytes. */
size_t utf8_prev(const char *s, size_t lo, size_t pos);

/* Number of code points in valid UTF-8 s[0..n). */
size_t utf8_count(const char *s, size_t n);

/* Byte offset of code point number `index` in valid UTF-8 s[0..n)
 * (n when index is at or past the end). */
size_t utf8_offset(const char *s, size_t n, size_t index);

/* White space for trimming and blank-line tests: what uclass_of calls
 * UC_SPACE plus the zero-width space and BOM that web pages pad with. */
int utf8_is_blank(uint32_t cp);

/* Character classes, exactly one of which holds for every code point. */
enum uclass {
    UC_BREAK = 0,                    /* punctuation, symbols, controls: ends every run */
    UC_SPACE,                        /* white space (also a break) */
    UC_CJK,                          /* Han (all blocks, planes 2-3 too), kana, Hangul, bopomofo, 〇々 */
    UC_WORD                          /* letters and digits outside CJK, and '_': parts of Latin-style words */
};

/* Class of a code point.  Callers normally ask after normalisation, so
 * full-width forms have already become ASCII. */
enum uclass uclass_of(uint32_t cp);

/* The predicates below are inline: paragraph splitting, metadata and HTML
 * ask them of every character of a document. */

/* 1 for a Han ideograph of any block (U+4E00..9FFF, extension A, the
 * compatibility ideographs, planes 2-3) or 〇 U+3007, else 0: what Chinese
 * titles and names are made of (metadata counts these). */
static inline int utf8_is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF)
        || c == 0x3007;
}

/* 1 for utf8_is_han or another script written without spaces (kana,
 * bopomofo, Hangul syllables) or 々 U+3005, else 0: paragraph splitting joins
 * two of these across a line break without a space. */
static inline int utf8_is_unspaced(uint32_t c)
{
    return utf8_is_han(c)
        || (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3100 && c <= 0x312F)
        || (c >= 0xAC00 && c <= 0xD7AF) || c == 0x3005;
}

/* 1 for U+2E80..U+9FFF (radicals, CJK punctuation, kana, Han), the
 * compatibility ideographs, half- and full-width forms (U+FF00..FFEF) and
 * planes 2-3, else 0: CSS Text's segment-break rule, by which a line break in
 * HTML source between two of these is no space. */
static inline int utf8_is_wide(uint32_t c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* Value 0..9 of an ASCII or full-width decimal digit, -1 for anything else. */
static inline int utf8_digit_value(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 0xFF10 && c <= 0xFF19)
        return (int)(c - 0xFF10);
    return -1;
}

/* Value of a Chinese numeral as written in dates and section numbers:
 * 〇 and 零 0, 一 to 九 1 to 9, 十 10, 百 100; -1 for anything else. */
int utf8_cn_numeral(uint32_t cp);

/* A range of code points with a value (a class, a mapping). */
typedef struct utf8_range {
    uint32_t lo;                     /* first code point of the range */
    uint32_t hi;                     /* last code point of the range */
    uint32_t value;                  /* what every code point in it maps to */
} utf8_range;

/* The value of the range of table[0..n) (sorted, disjoint) that holds cp,
 * or def when none does. */
uint32_t utf8_range_lookup(const utf8_range *table, size_t n, uint32_t cp, uint32_t def);

#endif
