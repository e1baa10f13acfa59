/* termbag.c — a paragraph's index terms, each once with its count; see termbag.h. */
#include "termbag.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a: terms are short (a CJK bigram is 6 bytes), so a simple byte hash
 * is as good as any here. */
static uint32_t term_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* Double the slots (or make the first 256) and re-insert the current terms. */
static int grow_slots(termbag *b)
{
    size_t n = b->nslots ? b->nslots * 2 : 256;
    uint32_t *gen = calloc(n, sizeof *gen);
    uint32_t *idx = malloc(n * sizeof *idx);
    if (!gen || !idx) {
        free(gen);
        free(idx);
        return -1;
    }
    free(b->slot_gen);
    free(b->slot_term);
    b->slot_gen = gen;
    b->slot_term = idx;
    b->nslots = n;
    b->gen = 1;
    for (size_t t = 0; t < b->nterms; t++) {
        const xs_term *e = &b->terms[t];
        size_t s = term_hash(b->bytes.data + e->off, e->len) & (n - 1);
        while (gen[s] == b->gen)
            s = (s + 1) & (n - 1);
        gen[s] = b->gen;
        idx[s] = (uint32_t)t;
    }
    return 0;
}

int termbag_add(termbag *b, const char *term, size_t len)
{
    if ((b->nterms + 1) * 2 > b->nslots && grow_slots(b) != 0)
        return -1;
    size_t mask = b->nslots - 1;
    size_t s = term_hash(term, len) & mask;
    for (; b->slot_gen[s] == b->gen; s = (s + 1) & mask) {
        xs_term *e = &b->terms[b->slot_term[s]];
        if (e->len == len && memcmp(b->bytes.data + e->off, term, len) == 0) {
            e->wdf++;
            return 0;
        }
    }
    if (b->nterms == b->capterms) {
        size_t cap = b->capterms ? b->capterms * 2 : 128;
        xs_term *t = realloc(b->terms, cap * sizeof *t);
        if (!t)
            return -1;
        b->terms = t;
        b->capterms = cap;
    }
    size_t off = b->bytes.len;
    if (buf_append(&b->bytes, term, len) != 0)
        return -1;
    b->terms[b->nterms] = (xs_term){ (uint32_t)off, (uint32_t)len, 1 };
    b->slot_gen[s] = b->gen;
    b->slot_term[s] = (uint32_t)b->nterms++;
    return 0;
}

void termbag_clear(termbag *b)
{
    b->nterms = 0;
    buf_clear(&b->bytes);
    if (++b->gen == 0) {            /* wrapped: old stamps could look current */
        if (b->slot_gen)
            memset(b->slot_gen, 0, b->nslots * sizeof *b->slot_gen);
        b->gen = 1;
    }
}

void termbag_free(termbag *b)
{
    buf_free(&b->bytes);
    free(b->terms);
    free(b->slot_gen);
    free(b->slot_term);
    *b = (termbag)TERMBAG_INIT;
}
