/* shingle.c — character shingles, Jaccard similarity, MinHash and LSH
 * banding (shingle.h). */
#include "shingle.h"

#include <math.h>
#include <stdlib.h>

#include "buf.h"

/* 1 for the code points left out of shingles: white space. */
static int skipped(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
           cp == 0x3000 || cp == 0xA0;
}

/* See shingle.h. */
int shingle_build(shingle_set *s, const norm_text *nt)
{
    uint64_t w[SHINGLE_WIDTH] = { 0 };
    size_t have = 0;                /* code points kept so far */
    s->n = 0;
    for (size_t i = 0; i < nt->len; i++) {
        uint32_t cp = nt->cp[i];
        if (skipped(cp))
            continue;
        w[0] = w[1], w[1] = w[2], w[2] = cp & 0x1FFFFF;
        if (++have < SHINGLE_WIDTH)
            continue;
        if (buf_grow_array((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v) != 0)
            return -1;
        s->v[s->n++] = w[0] << 42 | w[1] << 21 | w[2];
    }
    if (have > 0 && have < SHINGLE_WIDTH) {
        /* One shingle of the whole short text, padded with zeros. */
        if (buf_grow_array((void **)&s->v, &s->cap, 1, sizeof *s->v) != 0)
            return -1;
        s->v[s->n++] = have == 1 ? w[2] << 42 : w[1] << 42 | w[2] << 21;
    }
    s->n = buf_sort_unique_u64(s->v, s->n);
    return 0;
}

/* See shingle.h. */
int shingle_text(shingle_set *s, norm_text *nt, const char *text, size_t len)
{
    if (norm_text_build(nt, text, len) != 0)
        return -1;
    return shingle_build(s, nt);
}

/* See shingle.h: a merge of the two sorted sets. */
double shingle_jaccard(const shingle_set *a, const shingle_set *b)
{
    size_t i = 0, j = 0, both = 0;
    while (i < a->n && j < b->n) {
        if (a->v[i] == b->v[j])
            both++, i++, j++;
        else if (a->v[i] < b->v[j])
            i++;
        else
            j++;
    }
    size_t all = a->n + b->n - both;
    return all ? (double)both / (double)all : 0.0;
}

/* See shingle.h. */
double shingle_lsh_miss(double s, unsigned bands, unsigned rows)
{
    return pow(1.0 - pow(s, (double)rows), (double)bands);
}

/* See shingle.h. */
int shingle_lsh_params(double min, double miss, unsigned *bands, unsigned *rows)
{
    if (!(min > 0.0 && min <= 1.0 && miss > 0.0 && miss < 1.0))
        return -1;
    for (unsigned r = SHINGLE_MAX_ROWS; r >= 1; r--) {
        for (unsigned b = 1; b <= SHINGLE_MAX_BANDS; b++)
            if (shingle_lsh_miss(min, b, r) <= miss) {
                *bands = b, *rows = r;
                return 0;
            }
    }
    return -1;
}

/* splitmix64's finaliser: a bijective mix of 64 bits. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* See shingle.h.  The family's a_i (odd) and b_i come from splitmix64's
 * sequence from a fixed seed. */
void shingle_bands(const shingle_set *s, unsigned bands, unsigned rows, uint32_t *out)
{
    enum { MAXH = SHINGLE_MAX_BANDS * SHINGLE_MAX_ROWS };
    uint64_t a[MAXH], b[MAXH];
    uint32_t mins[MAXH];
    unsigned k = bands * rows;
    if (k > MAXH)
        k = MAXH;
    for (unsigned i = 0; i < k; i++) {
        a[i] = mix64(0x9e3779b97f4a7c15ULL * (2 * i + 1)) | 1;
        b[i] = mix64(0x9e3779b97f4a7c15ULL * (2 * i + 2));
        mins[i] = UINT32_MAX;
    }
    for (size_t j = 0; j < s->n; j++) {
        uint64_t x = mix64(s->v[j]);
        for (unsigned i = 0; i < k; i++) {
            uint32_t h = (uint32_t)((a[i] * x + b[i]) >> 32);
            if (h < mins[i])
                mins[i] = h;
        }
    }
    for (unsigned band = 0; band < bands; band++) {
        uint64_t h = 0x84222325cbf29ce4ULL ^ band;
        for (unsigned r = 0; r < rows && band * rows + r < k; r++)
            h = mix64(h ^ mins[band * rows + r]);
        out[band] = s->n ? (uint32_t)(h >> 32) : 0;
    }
}

/* See shingle.h. */
void shingle_free(shingle_set *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}
