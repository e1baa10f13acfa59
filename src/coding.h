/* coding.h — a codebook (codebook.h) applied to every paragraph of an
 * index through the search engine (search.h): which paragraphs carry
 * which code, with the words that matched, and tallies of them.
 *
 * Each rule of the codebook is run as one search of every match, copies
 * not collapsed (each paragraph counts, as `search -c` counts), no boost;
 * a paragraph carries a code when it matches any of the code's rules.
 * Tallies count distinct paragraphs and distinct documents per code and
 * value (a file, a year, an issuer, a region); a parent code counts the
 * paragraphs that carry it or any code below it, each once: a paragraph
 * coded 供给型/人才培养 and 供给型/资金投入 counts 1 under 供给型 (the
 * union, which is `search -c` of the OR of all their rules). */
#ifndef POLSEARCH_CODING_H
#define POLSEARCH_CODING_H

#include <stddef.h>
#include <stdint.h>

#include "codebook.h"
#include "err.h"
#include "search.h"

#define CODING_UNKNOWN "unknown"     /* a year, issuer or region not known */

typedef struct coded_para {
    char     *file;                  /* the file's path as indexed (malloc'd) */
    unsigned  paragraph;             /* 1-based paragraph number */
    unsigned  page;                  /* 1-based page, 0 without pages */
    char     *date;                  /* YYYY-MM-DD, or NULL (malloc'd) */
    char      year[5];               /* its year YYYY, or "" */
    char     *issuer;                /* issuing body, or NULL (malloc'd) */
    char     *region;                /* 省/市/县 as far as known, or "unknown" (malloc'd) */
    size_t    doc;                   /* the document's number (one per file) */
} coded_para;

typedef struct coding_mark {
    size_t    para;                  /* index into paras */
    size_t    code;                  /* the code written in the codebook (index into its codes) */
    char     *word;                  /* a word of the paragraph that matched the rule (malloc'd) */
} coding_mark;

typedef struct coding {
    coded_para  *paras;              /* the coded paragraphs, in order of first coding */
    size_t       nparas;             /* number of paragraphs */
    coding_mark *marks;              /* one per paragraph, code and distinct word; sorted by coding_run */
    size_t       nmarks;             /* number of marks */
    size_t       capparas;           /* paras allocated (private) */
    size_t       capmarks;           /* marks allocated (private) */
    size_t       ndocs;              /* distinct documents among paras */
    size_t      *slots;              /* hash of (file, paragraph) → para + 1, 0 empty (private) */
    size_t       nslots;             /* slots allocated, a power of 2 (private) */
} coding;

#define CODING_INIT { NULL, 0, NULL, 0, 0, 0, 0, NULL, 0 }

/* Apply cb (read from the file called name) to the index of e into *c
 * (empty first; free it with coding_free either way).  Marks end sorted by
 * file, paragraph, code and word.  Returns 0, or -1 with *err set: a rule
 * the engine refuses is PS_USAGE "NAME:LINE: reason"; PS_NOMEM; an index
 * error. */
int coding_run(search_engine *e, const codebook *cb, const char *name, coding *c, ps_err *err);

enum coding_by { CODING_BY_FILE, CODING_BY_YEAR, CODING_BY_ISSUER, CODING_BY_REGION };

typedef struct coding_cell {
    const char *value;               /* the file, year, issuer or region (points into c's paragraphs) */
    size_t      code;                /* index into the codebook's codes (parents included) */
    uint64_t    paragraphs;          /* distinct paragraphs carrying the code or one below it */
    uint64_t    documents;           /* distinct documents among them */
} coding_cell;

/* The tallies of c by `by`: one cell per value and code that has a
 * paragraph, sorted by value (byte order) then code (the codebook's order).
 * *cells is malloc'd.  Returns 0, or -1 with PS_NOMEM. */
int coding_tally(const coding *c, const codebook *cb, enum coding_by by, coding_cell **cells, size_t *n,
                 ps_err *err);

/* Free what *c holds and empty it. */
void coding_free(coding *c);

#endif
