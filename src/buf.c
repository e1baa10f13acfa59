/* buf.c — growable byte buffer; see buf.h. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grow geometrically so that n appends cost O(n) in total. */
int buf_reserve(buf *b, size_t extra)
{
    if (b->cap > b->len + extra)
        return 0;
    if (extra > SIZE_MAX / 2 - b->len - 1)
        return -1;
    size_t want = b->len + extra + 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    b->data[b->len] = '\0';
    return 0;
}

int buf_append(buf *b, const void *p, size_t n)
{
    if (buf_reserve(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

/* The sticky forms: the first error is kept (err.h), memory running out
 * becomes PS_NOMEM. */
#define STICKY(e, call) \
    ((e) && (e)->code != PS_OK ? (e)->code : (call) != 0 ? ps_err_nomem(e) : PS_OK)

int buf_eappend(ps_err *e, buf *b, const void *p, size_t n)
{
    return STICKY(e, buf_append(b, p, n));
}

int buf_eputs(ps_err *e, buf *b, const char *s)
{
    return STICKY(e, buf_puts(b, s));
}

int buf_eputc(ps_err *e, buf *b, int c)
{
    return STICKY(e, buf_putc(b, c));
}

int buf_eput_utf8(ps_err *e, buf *b, uint32_t cp)
{
    return STICKY(e, buf_put_utf8(b, cp));
}

int buf_egrow_array(ps_err *e, void **v, size_t *cap, size_t need, size_t size)
{
    return STICKY(e, buf_grow_array(v, cap, need, size));
}

/* Append fmt formatted with ap (which it leaves unread: it formats copies). */
static int buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    va_list count;
    va_copy(count, ap);
    int n = vsnprintf(NULL, 0, fmt, count);
    va_end(count);
    if (n < 0 || buf_reserve(b, (size_t)n) != 0)
        return -1;
    va_list write;
    va_copy(write, ap);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, write);
    va_end(write);
    b->len += (size_t)n;
    return 0;
}

int buf_eprintf(ps_err *e, buf *b, const char *fmt, ...)
{
    if (e && e->code != PS_OK)
        return e->code;
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc != 0 ? ps_err_nomem(e) : PS_OK;
}

int buf_puts(buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_putc(buf *b, int c)
{
    char ch = (char)c;
    return buf_append(b, &ch, 1);
}

int buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

int buf_put_utf8(buf *b, uint32_t cp)
{
    unsigned char s[4];
    size_t n;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        s[0] = (unsigned char)cp; n = 1;
    } else if (cp < 0x800) {
        s[0] = (unsigned char)(0xC0 | (cp >> 6));
        s[1] = (unsigned char)(0x80 | (cp & 0x3F)); n = 2;
    } else if (cp < 0x10000) {
        s[0] = (unsigned char)(0xE0 | (cp >> 12));
        s[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (unsigned char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        s[0] = (unsigned char)(0xF0 | (cp >> 18));
        s[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (unsigned char)(0x80 | (cp & 0x3F)); n = 4;
    }
    return buf_append(b, s, n);
}

int buf_get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    uint64_t n = 0;
    for (int shift = 0; *p < end && shift < 64; shift += 7) {
        unsigned char byte = *(*p)++;
        n |= (uint64_t)(byte & 0x7F) << shift;
        if (!(byte & 0x80)) {
            *v = n;
            return 0;
        }
    }
    return -1;
}

int buf_put_varint(buf *b, uint64_t v)
{
    unsigned char s[10];
    size_t n = 0;
    do {
        unsigned char byte = v & 0x7F;
        v >>= 7;
        s[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    return buf_append(b, s, n);
}

void buf_clear(buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void buf_free(buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *buf_detach(buf *b)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

int buf_grow_array(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return -1;
        c *= 2;
    }
    if (c > SIZE_MAX / size)
        return -1;
    void *p = realloc(*v, c * size);
    if (!p)
        return -1;
    *v = p;
    *cap = c;
    return 0;
}

int buf_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* In place: a sorted array keeps the first of each run. */
size_t buf_sort_unique_u64(uint64_t *v, size_t n)
{
    if (n < 2)
        return n;
    qsort(v, n, sizeof *v, buf_cmp_u64);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[k - 1])
            v[k++] = v[i];
    return k;
}
