/* hash.h — the one non-cryptographic hash: 64-bit FNV-1a.
 *
 * For keys that only need to be stable and well spread: file keys and
 * version ids (store.c), long reference keys (refs.c), the collapse key of
 * a paragraph's normalised text (docbuild.c).  Changing it changes what is
 * on disk: a store format bump. */
#ifndef POLSEARCH_HASH_H
#define POLSEARCH_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV64_INIT 14695981039346656037ULL  /* FNV-1a's offset basis */

/* FNV-1a over n bytes at p, continuing from h (HASH_FNV64_INIT to start). */
static inline uint64_t hash_fnv64(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ULL;
    }
    return h;
}

#endif
