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
    size_t n = b->nslots ? b->nslots * 2 : 256; /* house: a hash rehashed into a new table */
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
    const xs_term *terms = termbag_terms(b);
    for (size_t t = 0; t < termbag_count(b); t++) {
        const xs_term *e = &terms[t];
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
    size_t n = termbag_count(b);
    if ((n + 1) * 2 > b->nslots && grow_slots(b) != 0)
        return -1;
    size_t mask = b->nslots - 1;
    size_t s = term_hash(term, len) & mask;
    for (; b->slot_gen[s] == b->gen; s = (s + 1) & mask) {
        xs_term *e = &termbag_terms(b)[b->slot_term[s]];
        if (e->len == len && memcmp(b->bytes.data + e->off, term, len) == 0) {
            e->wdf++;
            return 0;
        }
    }
    xs_term e = { (uint32_t)b->bytes.len, (uint32_t)len, 1 };
    if (buf_append(&b->bytes, term, len) != 0 || buf_append(&b->entries, &e, sizeof e) != 0)
        return -1;                  /* unreferenced bytes are harmless: cleared with the rest */
    b->slot_gen[s] = b->gen;
    b->slot_term[s] = (uint32_t)n;
    return 0;
}

void termbag_clear(termbag *b)
{
    buf_clear(&b->bytes);
    buf_clear(&b->entries);
    if (++b->gen == 0) {            /* wrapped: old stamps could look current */
        if (b->slot_gen)
            memset(b->slot_gen, 0, b->nslots * sizeof *b->slot_gen);
        b->gen = 1;
    }
}

void termbag_free(termbag *b)
{
    buf_free(&b->bytes);
    buf_free(&b->entries);
    free(b->slot_gen);
    free(b->slot_term);
    *b = (termbag)TERMBAG_INIT;
}
