/* termcount.h — how often an index speaks of policy terms: the counts of
 * `polsearch terms` and of the web's /terms and /api/terms, and their
 * text, JSON, CSV and TSV forms (written into a buf, byte for byte what
 * the command prints).
 *
 * Two counts:
 *   - occurrences (termcount_scan): every paragraph carrying any wanted
 *     term is scanned with the lexicon (every form counts for its term)
 *     and its occurrences added to its group (a file, a year, ...);
 *   - tables (termcount_table): each wanted term runs as a search over
 *     every paragraph, copies included, its hits tallied per cell
 *     (tally.h), so a cell's paragraphs equal `search -c` for the term
 *     with that cell's filters.
 * Nothing here prints: errors come back in a ps_err. */
#ifndef POLSEARCH_TERMCOUNT_H
#define POLSEARCH_TERMCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "lexicon.h"
#include "search.h"
#include "tally.h"

/* One group (a file, an issuer, a year, ...) and its counts per lexicon term. */
typedef struct term_group {
    char     *name;                  /* the group's name ("all" without dims; "a / b" for two), malloc'd */
    uint64_t *counts;                /* counts[term id]: occurrences */
    uint64_t  total;                 /* sum of counts */
} term_group;

/* The groups of one scan. */
typedef struct term_groups {
    term_group *v;                   /* the groups, in report order */
    size_t      n;                   /* groups in use */
    size_t      cap;                 /* groups allocated */
} term_groups;
#define TERM_GROUPS_INIT { NULL, 0, 0 }

/* Mark the lexicon term that term names (any of its forms, normalised as
 * policy_norm_form does) in wanted[0..lex_count(lx)).  Returns 0, or -1
 * with PS_USAGE in *err ("'TERM' is not a policy term (...)"). */
int  termcount_want(const lexicon *lx, const char *term, unsigned char *wanted, ps_err *err);

/* Mark in wanted[0..lex_count(lx)) every lexicon term that occurs in
 * text[0..len) (any form; a query's terms, for a link to their trend).
 * Returns the number of terms marked, or -1 with PS_NOMEM in *err. */
long termcount_in_text(const lexicon *lx, const char *text, size_t len, unsigned char *wanted, ps_err *err);

/* Count the occurrences of the terms wanted[id] of lx in e's paragraphs
 * that carry any of them, grouped by dims[0..ndims) (0: one group "all"),
 * into *out (TERM_GROUPS_INIT on entry; free it with term_groups_free
 * either way).  The groups come sorted: by name when dims[0] is the
 * year, else by total, most first, then name.  Returns 0, or -1 with
 * *err set (PS_NOMEM, or the index's error with the rebuild advice). */
int  termcount_scan(search_engine *e, const lexicon *lx, const unsigned char *wanted,
                    const enum tally_dim *dims, size_t ndims, term_groups *out, ps_err *err);
/* Free what g holds and empty it. */
void term_groups_free(term_groups *g);

/* Search every wanted term of lx on e (every paragraph, copies included)
 * and tally its hits per cell of dims[0..ndims).  Returns the tally
 * (tally_free it), or NULL with *err set: PS_NOMEM, or "TERM: why" with
 * search_run's code. */
tally *termcount_table(search_engine *e, const lexicon *lx, const unsigned char *wanted,
                       const enum tally_dim *dims, size_t ndims, ps_err *err);

/* Output forms. */
enum termcount_style {
    TC_TEXT,                         /* the report for people: groups, terms, counts (bars: eighth blocks) */
    TC_JSON,                         /* one JSON object per (group, term): group, term, count */
    TC_TSV,                          /* the long table separated by tabs */
    TC_CSV                           /* the long table as CSV (RFC 4180, CRLF) */
};

/* Append the occurrence report of g to b: at most top terms per group (0:
 * all), largest counts first, style TC_TEXT (bars drawn when bars is set)
 * or TC_JSON.  Returns 0, or -1 when out of memory. */
int  termcount_write_groups(buf *b, const lexicon *lx, const term_groups *g, enum termcount_style style,
                            size_t top, int bars);

/* Append the table of cells[0..n) (tally_cells) to b: TC_CSV or TC_TSV;
 * long (a header, then dims, term, paragraphs, documents, occurrences per
 * cell) or, with wide, a matrix (a line per combination of dimension
 * values, a column per wanted term: its paragraphs).  Returns 0, or -1
 * when out of memory. */
int  termcount_write_table(buf *b, const lexicon *lx, const unsigned char *wanted, const enum tally_dim *dims,
                           size_t ndims, const tally_cell *cells, size_t n, enum termcount_style style,
                           int wide);

#endif
