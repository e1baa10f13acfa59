/* fuzz_common.h — helpers shared by the libFuzzer harnesses in tests/fuzz/.
 *
 * FUZZ_CHECK is an assert that NDEBUG cannot switch off: a broken invariant
 * prints where and why, then abort()s so that libFuzzer records the input
 * as a crash.  Everything else here is an independent (deliberately naive)
 * re-implementation of what the harnesses compare the modules against. */
#ifndef POLSEARCH_FUZZ_COMMON_H
#define POLSEARCH_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

#define FUZZ_CHECK(cond, ...)                                                  \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "\n%s:%d: invariant failed: %s\n  ",               \
                    __FILE__, __LINE__, #cond);                                \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* Out of memory is not a finding: libFuzzer's -rss_limit_mb and ASan's
 * allocator limits report real blow-ups on their own. */
#define FUZZ_OOM_OK(rc) ((rc) == -1)

/* Decode code point number-by-number the way every polsearch module promises
 * to: strict UTF-8, one U+FFFD per invalid byte.  Returns the byte length
 * (1..4) and stores the code point. */
static inline size_t fuzz_step(const char *s, size_t n, size_t i, uint32_t *cp)
{
    int k = utf8_decode((const unsigned char *)s + i, n - i, cp);
    return k > 0 ? (size_t)k : 1;
}

/* Code points in s[0..n), counting every invalid byte as one. */
static inline size_t fuzz_cp_count(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; c++) {
        uint32_t cp;
        i += fuzz_step(s, n, i, &cp);
    }
    return c;
}

/* Make a valid UTF-8 copy of s[0..n) in *out (invalid bytes -> U+FFFD).
 * Returns 0, or -1 when out of memory. */
static inline int fuzz_sanitize(const char *s, size_t n, buf *out)
{
    buf_clear(out);
    if (buf_reserve(out, n + 1) != 0)
        return -1;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (k > 0) {
            if (buf_append(out, s + i, (size_t)k) != 0)
                return -1;
            i += (size_t)k;
        } else {
            if (buf_put_utf8(out, UTF8_REPLACEMENT) != 0)
                return -1;
            i++;
        }
    }
    return 0;
}

/* Encode a code point (assumed valid) into d[0..4); returns its length. */
static inline size_t fuzz_put_utf8(char *d, uint32_t cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12));
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18));
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A code point a decoder may legitimately produce. */
static inline int fuzz_cp_valid(uint32_t cp)
{
    return cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
}

#endif
