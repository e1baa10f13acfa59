/* utf8.h — strict UTF-8 decoding and character classes.
 *
 * Strict means what RFC 3629 says: no overlong forms, no surrogates, nothing
 * above U+10FFFF.  Everything else in polsearch works on code points that came
 * through here, so the classes below are the one place that decides what is a
 * CJK character, a word character or a break. */
#ifndef POLSEARCH_UTF8_H
#define POLSEARCH_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Decode one code point from s[0..n).  On success store it in *cp and return
 * the number of bytes used (1..4).  On an invalid or truncated sequence store
 * U+FFFD and return -1 (the caller skips one byte, or treats it as an error). */
int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

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

#endif
