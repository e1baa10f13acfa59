/* copies.c — the copies of a result, in rank order (copies.h). */
#include "copies.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"

int copies_cmp(double wa, const copy_where *a, double wb, const copy_where *b)
{
    double tol = 1e-9 * (wa > wb ? wa : wb);
    if (wa > wb + tol)
        return -1;
    if (wb > wa + tol)
        return 1;
    int c = strcmp(a->file, b->file);
    return c ? c : (a->paragraph > b->paragraph) - (a->paragraph < b->paragraph);
}

/* qsort comparator of copy_item by copies_cmp. */
static int item_cmp(const void *pa, const void *pb)
{
    const copy_item *a = pa, *b = pb;
    return copies_cmp(a->weight, &a->where, b->weight, &b->where);
}

/* Both arrays grow together, so copies_ranked never allocates. */
int copies_add(copy_list *l, double weight, const char *file, unsigned paragraph)
{
    if (l->n == l->cap) {            /* dups keeps v's capacity: grown second, from the same cap */
        size_t cap = l->cap;
        if (ARRAY_GROW(l->dups, cap, l->n + 1) != 0 || ARRAY_GROW(l->v, l->cap, cap) != 0)
            return -1;
    }
    l->v[l->n].weight = weight;
    l->v[l->n].where.file = file;
    l->v[l->n].where.paragraph = paragraph;
    l->n++;
    return 0;
}

const copy_where *copies_ranked(copy_list *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, item_cmp);
    for (size_t i = 0; i < l->n; i++)
        l->dups[i] = l->v[i].where;
    return l->dups;
}

void copies_clear(copy_list *l)
{
    l->n = 0;
}

void copies_free(copy_list *l)
{
    free(l->v);
    free(l->dups);
    copy_list init = COPY_LIST_INIT;
    *l = init;
}

/* Insert key (not 0) into slots[0..cap) (a power of two, not full). */
static void seen_put(uint64_t *slots, size_t cap, uint64_t key)
{
    size_t k = (size_t)(key ^ key >> 29) & (cap - 1);
    while (slots[k])
        k = (k + 1) & (cap - 1);
    slots[k] = key;
}

int copies_seen_add(copy_seen *s, uint64_t key)
{
    if (key == 0) {
        int fresh = !s->zero;
        s->zero = 1;
        return fresh;
    }
    for (size_t k = s->cap ? (size_t)(key ^ key >> 29) & (s->cap - 1) : 0; s->cap && s->slots[k];
         k = (k + 1) & (s->cap - 1))
        if (s->slots[k] == key)
            return 0;
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64; /* house: a hash rehashed into a new table */
        uint64_t *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i])
                seen_put(slots, cap, s->slots[i]);
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    seen_put(s->slots, s->cap, key);
    s->n++;
    return 1;
}

void copies_seen_free(copy_seen *s)
{
    free(s->slots);
    s->slots = NULL;
    s->cap = s->n = 0;
    s->zero = 0;
}

uint64_t copies_text_key(const norm_text *nt)
{
    uint64_t h = HASH_FNV64_INIT;
    for (size_t i = 0; i < nt->len; i++) {
        unsigned char c[4] = { (unsigned char)nt->cp[i], (unsigned char)(nt->cp[i] >> 8),
                               (unsigned char)(nt->cp[i] >> 16), (unsigned char)(nt->cp[i] >> 24) };
        h = hash_fnv64(h, c, sizeof c);
    }
    return h;
}
