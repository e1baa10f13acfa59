/* copies.h — the copies of a result: paragraphs whose normalised text is
 * the same (issue 16's collapsing), gathered while a group is read and
 * handed to output in rank order.
 *
 * Rank order is by weight, best first; equal weights (within rounding) go
 * by file and paragraph, so that the order never depends on document ids,
 * which change with the shard layout. */
#ifndef POLSEARCH_COPIES_H
#define POLSEARCH_COPIES_H

#include <stddef.h>
#include <stdint.h>

#include "normalize.h"

/* Where a copy is: another paragraph with the same normalised text as a
 * result (output writes them as its duplicates). */
typedef struct copy_where {
    const char     *file;            /* the file's path as it was indexed */
    unsigned        paragraph;       /* 1-based paragraph number in the file */
} copy_where;

/* One copy while its group is read. */
typedef struct copy_item {
    double   weight;                 /* its weight (rank order) */
    copy_where  where;                  /* its file and paragraph */
} copy_item;

typedef struct copy_list {
    copy_item *v;                    /* the copies held */
    copy_where   *dups;                 /* the same in rank order, as output wants them */
    size_t     n;                    /* copies held */
    size_t     cap;                  /* copies (and dups) allocated */
} copy_list;

#define COPY_LIST_INIT { NULL, NULL, 0, 0 }

/* A paragraph's copy key, from its normalised text nt (norm_text_build:
 * folded as the index folds): the 64-bit FNV-1a hash of its code points,
 * each as 4 bytes little-endian, so that copies that differ only in width,
 * case or white space share it.  What the index keeps (store.h), so a
 * change is a store format bump. */
uint64_t copies_text_key(const norm_text *nt);

/* <0 when the copy (wa, a) ranks before (wb, b), >0 after, 0 the same. */
int copies_cmp(double wa, const copy_where *a, double wb, const copy_where *b);
/* Add a copy (file is borrowed: it must outlive the list's use).
 * Returns 0, or -1 when out of memory. */
int copies_add(copy_list *l, double weight, const char *file, unsigned paragraph);
/* The copies in rank order (l->n of them, in l->dups). */
const copy_where *copies_ranked(copy_list *l);
/* Forget the copies, keep the allocation. */
void copies_clear(copy_list *l);
/* Free the allocation and reset to COPY_LIST_INIT. */
void copies_free(copy_list *l);

/* The copy keys (64 bits) whose group was decided at a better rank, so
 * that the group's later members in a ranked list are passed over. */
typedef struct copy_seen {
    uint64_t *slots;                 /* open addressing; 0 marks a free slot */
    size_t    cap;                   /* slots allocated (a power of two) */
    size_t    n;                     /* keys held in slots */
    int       zero;                  /* the key 0 was seen (it cannot live in a slot) */
} copy_seen;

#define COPY_SEEN_INIT { NULL, 0, 0, 0 }

/* Add key.  Returns 1 if it was not seen before, 0 if it was, -1 when out
 * of memory. */
int copies_seen_add(copy_seen *s, uint64_t key);
/* Free the set and reset it to COPY_SEEN_INIT. */
void copies_seen_free(copy_seen *s);

#endif
