/* termbag.h — a paragraph's index terms, each once with its count.
 *
 * The tokenizer emits a term per occurrence; Xapian pays a map lookup (and
 * the shim a call) per add, so the index side counts them here first and
 * hands Xapian each distinct term once, with its wdf, in one call
 * (xs_doc_add_terms).  Reused from paragraph to paragraph: clearing costs
 * nothing and the memory is kept.  Functions that allocate return 0, or -1
 * when memory runs out. */
#ifndef POLSEARCH_TERMBAG_H
#define POLSEARCH_TERMBAG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "xapian-shim.h"

typedef struct termbag {
    buf       bytes;                 /* the distinct terms' bytes, back to back */
    buf       entries;               /* xs_term records (offsets into bytes), in first-seen order */
    uint32_t *slot_gen;              /* hash slot's generation; a slot is used when it equals gen */
    uint32_t *slot_term;             /* hash slot's index into terms */
    size_t    nslots;                /* slots (a power of two, or 0) */
    uint32_t  gen;                   /* the current generation: bumped by termbag_clear */
} termbag;

#define TERMBAG_INIT { BUF_INIT, BUF_INIT, NULL, NULL, 0, 1 }

/* The distinct terms, termbag_count of them, for xs_doc_add_terms. */
static inline xs_term *termbag_terms(const termbag *b)
{
    return (xs_term *)(void *)b->entries.data;     /* malloc'd: aligned for any type */
}
/* How many distinct terms the bag holds. */
static inline size_t termbag_count(const termbag *b)
{
    return b->entries.len / sizeof(xs_term);
}

/* Count one occurrence of term[0..len). */
int  termbag_add(termbag *b, const char *term, size_t len);
/* Forget the terms, keep the memory. */
void termbag_clear(termbag *b);
/* Free everything and reset to TERMBAG_INIT. */
void termbag_free(termbag *b);

#endif
