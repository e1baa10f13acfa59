/* zipwrite.h — a small zip writer for the tests and fuzz harnesses of the
 * DOCX reader (tests/unit/test_docx.c, tests/fuzz/fuzz_docx.c): members
 * stored or deflated, and a "bomb" member of any size made chunk by chunk
 * (never held uncompressed) whose headers may declare another size.
 * Header-only (static functions); needs zlib and buf.h. */
#ifndef POLSEARCH_TESTS_ZIPWRITE_H
#define POLSEARCH_TESTS_ZIPWRITE_H

#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"

typedef struct zw_member {
    const char *name;                /* its name in the archive */
    const char *data;                /* its bytes; NULL: `len` spaces (a bomb) */
    uint64_t    len;                 /* how many bytes it inflates to */
    uint32_t    declared;            /* the size the headers state; 0: the true one */
} zw_member;

/* Append little-endian v (nbytes 2 or 4) to b; returns 0 or -1 (no memory). */
static inline int zw_put(buf *b, uint32_t v, int nbytes)
{
    unsigned char p[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
    return buf_append(b, p, (size_t)nbytes);
}

/* Deflate (raw, level 9) member m's bytes into out, or copy them when
 * !deflated; *crc gets their crc32.  Returns 0, or -1 on failure. */
static inline int zw_data(buf *out, const zw_member *m, int deflated, uint32_t *crc)
{
    unsigned char spaces[1 << 14];
    memset(spaces, ' ', sizeof spaces);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflated && deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    unsigned char obuf[65536];
    uint64_t done = 0;
    int rc = 0;
    *crc = 0;
    do {
        const unsigned char *in = m->data ? (const unsigned char *)m->data + done : spaces;
        uint64_t left = m->len - done;
        size_t n = m->data ? (size_t)left : (size_t)(left < sizeof spaces ? left : sizeof spaces);
        *crc = (uint32_t)crc32_z(*crc, in, n);
        done += n;
        if (!deflated) {
            if (buf_append(out, in, n) != 0)
                return -1;
            continue;
        }
        zs.next_in = (unsigned char *)in;
        zs.avail_in = (uInt)n;
        int flush = done == m->len ? Z_FINISH : Z_NO_FLUSH;
        do {
            zs.next_out = obuf;
            zs.avail_out = sizeof obuf;
            rc = deflate(&zs, flush);
            if (rc == Z_STREAM_ERROR || buf_append(out, obuf, sizeof obuf - zs.avail_out) != 0) {
                deflateEnd(&zs);
                return -1;
            }
        } while (zs.avail_out == 0);
    } while (done < m->len);
    if (deflated)
        deflateEnd(&zs);
    return 0;
}

/* Append to z a zip archive of the n members (deflated or stored).
 * Returns 0, or -1 on failure. */
static inline int zw_build(buf *z, const zw_member *m, size_t n, int deflated)
{
    buf cd = BUF_INIT, data = BUF_INIT;
    int rc = 0;
    unsigned method = deflated ? 8 : 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        uint32_t crc;
        buf_clear(&data);
        if (zw_data(&data, &m[i], deflated, &crc) != 0) {
            rc = -1;
            break;
        }
        uint32_t usize = m[i].declared ? m[i].declared : (uint32_t)m[i].len;
        uint32_t off = (uint32_t)z->len, nl = (uint32_t)strlen(m[i].name);
        /* Local header, then the central directory entry (same fields). */
        rc |= zw_put(z, 0x04034b50, 4) | zw_put(z, 20, 2) | zw_put(z, 0, 2) | zw_put(z, method, 2)
            | zw_put(z, 0, 2) | zw_put(z, 0x21, 2) | zw_put(z, crc, 4) | zw_put(z, (uint32_t)data.len, 4)
            | zw_put(z, usize, 4) | zw_put(z, nl, 2) | zw_put(z, 0, 2)
            | buf_append(z, m[i].name, nl) | buf_append(z, data.data ? data.data : "", data.len);
        rc |= zw_put(&cd, 0x02014b50, 4) | zw_put(&cd, 20, 2) | zw_put(&cd, 20, 2) | zw_put(&cd, 0, 2)
            | zw_put(&cd, method, 2) | zw_put(&cd, 0, 2) | zw_put(&cd, 0x21, 2) | zw_put(&cd, crc, 4)
            | zw_put(&cd, (uint32_t)data.len, 4) | zw_put(&cd, usize, 4) | zw_put(&cd, nl, 2)
            | zw_put(&cd, 0, 2) | zw_put(&cd, 0, 2) | zw_put(&cd, 0, 2) | zw_put(&cd, 0, 2)
            | zw_put(&cd, 0, 4) | zw_put(&cd, off, 4) | buf_append(&cd, m[i].name, nl);
    }
    uint32_t cdoff = (uint32_t)z->len;
    if (rc == 0)
        rc = buf_append(z, cd.data ? cd.data : "", cd.len) | zw_put(z, 0x06054b50, 4) | zw_put(z, 0, 2)
           | zw_put(z, 0, 2) | zw_put(z, (uint32_t)n, 2) | zw_put(z, (uint32_t)n, 2)
           | zw_put(z, (uint32_t)cd.len, 4) | zw_put(z, cdoff, 4) | zw_put(z, 0, 2);
    buf_free(&cd);
    buf_free(&data);
    return rc ? -1 : 0;
}

#endif
