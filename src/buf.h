/* buf.h — a growable byte buffer (after Redis sds: the whole API on one screen).
 *
 * The bytes are always NUL-terminated so that buf.data can be handed to
 * functions that want a C string; len never counts that NUL.  Functions that
 * can allocate return 0 on success and -1 when memory runs out; on failure
 * the buffer is left as it was. */
#ifndef POLSEARCH_BUF_H
#define POLSEARCH_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct buf {
    char   *data;                    /* the bytes, NUL-terminated; NULL while empty and never grown */
    size_t  len;                     /* bytes in use, excluding the terminating NUL */
    size_t  cap;                     /* bytes allocated, including room for the NUL */
} buf;

#define BUF_INIT { NULL, 0, 0 }

/* Ensure room for `extra` more bytes (plus the NUL). */
int  buf_reserve(buf *b, size_t extra);
/* Append `n` bytes. */
int  buf_append(buf *b, const void *p, size_t n);
/* Append a NUL-terminated string. */
int  buf_puts(buf *b, const char *s);
/* Append one byte. */
int  buf_putc(buf *b, int c);
/* Append a printf-formatted string. */
int  buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append one Unicode code point encoded as UTF-8 (U+FFFD for invalid values). */
int  buf_put_utf8(buf *b, uint32_t cp);
/* Append an unsigned LEB128 varint. */
int  buf_put_varint(buf *b, uint64_t v);
/* Read the unsigned LEB128 varint at *p (not past end) into *v and move *p
 * past it.  Returns 0, or -1 when the bytes end inside it or it overflows
 * 64 bits. */
int  buf_get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v);
/* Grow the array *v of *cap elements of `size` bytes to hold at least
 * `need` (doubling, from 8); *v and *cap are unchanged on failure.  For
 * any growable array, not only a buf. */
int  buf_grow_array(void **v, size_t *cap, size_t need, size_t size);
/* buf_grow_array over the array v (an lvalue pointer) and its capacity cap
 * (a size_t lvalue) to hold at least need elements: the one way an array
 * grows (tools/check-house.py reports a hand-written one). */
#define ARRAY_GROW(v, cap, need) buf_grow_array((void **)&(v), &(cap), (need), sizeof *(v))

/* The sticky forms (FTS5's `int *pRc` helpers): each takes the caller's
 * ps_err first and does nothing once it holds an error, so a run of
 * appends is written without a check after each and tested once at the
 * end.  Each returns the code in e afterwards (err.h's one convention):
 * PS_OK, e's earlier code untouched, or PS_NOMEM set by ps_err_nomem when
 * memory runs out (the buffer is then left as it was).  e may be NULL: the
 * code is returned and nothing is kept. */
int  buf_eappend(ps_err *e, buf *b, const void *p, size_t n);
/* buf_puts, sticky. */
int  buf_eputs(ps_err *e, buf *b, const char *s);
/* buf_putc, sticky. */
int  buf_eputc(ps_err *e, buf *b, int c);
/* buf_printf, sticky. */
int  buf_eprintf(ps_err *e, buf *b, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* buf_put_utf8, sticky. */
int  buf_eput_utf8(ps_err *e, buf *b, uint32_t cp);
/* buf_grow_array, sticky. */
int  buf_egrow_array(ps_err *e, void **v, size_t *cap, size_t need, size_t size);
/* ARRAY_GROW, sticky: the form for code that holds a ps_err. */
#define ARRAY_EGROW(e, v, cap, need) buf_egrow_array((e), (void **)&(v), &(cap), (need), sizeof *(v))

/* qsort/bsearch order of uint64_t values, ascending: the one such
 * comparator (copy keys, shingles, ids). */
int  buf_cmp_u64(const void *a, const void *b);
/* Sort v[0..n) ascending and drop repeats; returns how many are left. */
size_t buf_sort_unique_u64(uint64_t *v, size_t n);

/* Forget the contents but keep the allocation. */
void buf_clear(buf *b);
/* Free the allocation and reset to BUF_INIT. */
void buf_free(buf *b);
/* Hand the bytes to the caller (who frees them) and reset to BUF_INIT.
 * Returns an allocated empty string for a never-grown buffer, NULL if out of memory. */
char *buf_detach(buf *b);

#endif
