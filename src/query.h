/* query.h — parsing a user's query and deciding whether a paragraph matches.
 *
 * Syntax (cli-contract.md):
 *   - the query is the command-line words joined by spaces;
 *   - white space separates parts; all parts must match (AND);
 *   - a part is a phrase: it matches where the normalised paragraph contains
 *     the normalised part contiguously; where the phrase begins (ends) with a
 *     word character the text before (after) the occurrence must not be one,
 *     so Latin words and numbers match as whole words;
 *   - "double quotes" make one phrase of everything inside, spaces included
 *     (a space in a phrase matches the one space normalisation leaves of any
 *     run of white space); an unclosed quote runs to the end of the query;
 *   - A OR B (also |) between parts: either matches; OR binds tighter than
 *     the implicit AND, so `a b OR c` is a AND (b OR c);
 *   - -part, NOT part: the paragraph must not contain it;
 *   - AND between parts is accepted and means nothing more;
 *   - a part with nothing to search (punctuation, symbols, quote marks
 *     only: no CJK or word character) is dropped, as if it were not there:
 *     `企业 。` is `企业`, and `。` alone is a query with no search terms.
 * Errors: a query with no positive part, OR/NOT with nothing to apply to.
 *
 * Matching is decided here, on the stored text, so it is exact whatever
 * the candidate query sent to Xapian was. */
#ifndef POLSEARCH_QUERY_H
#define POLSEARCH_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#include "normalize.h"
#include "span.h"
#include "tokenize.h"

enum {
    PQ_QUOTED   = 1u << 0,           /* the phrase was written in double quotes */
    PQ_EXPANDED = 1u << 1,           /* added by synonym expansion, not typed by the user */
    PQ_LITERAL  = 1u << 2            /* traditional and simplified kept apart (search --no-fold) */
};

typedef struct pq_phrase {
    norm_text nt;                    /* the normalised phrase; nt.orig is the identity */
    char     *utf8;                  /* the normalised phrase as UTF-8, NUL-terminated */
    size_t    utf8_len;              /* bytes in utf8 */
    unsigned  flags;                 /* PQ_QUOTED, PQ_EXPANDED */
} pq_phrase;

typedef struct pq_clause {
    pq_phrase *alts;                 /* alternatives: the clause matches if any does */
    size_t     nalts;                /* number of alternatives (>= 1) */
    size_t     cap;                  /* alternatives allocated */
    int        negated;              /* 1: the paragraph must match none of the alternatives */
} pq_clause;

typedef struct pq_query {
    pq_clause *clauses;              /* all non-negated clauses must match, no negated one may */
    size_t     nclauses;             /* number of clauses */
    size_t     cap;                  /* clauses allocated */
    unsigned   literal;              /* PQ_LITERAL when parsed so, else 0; given to every phrase */
} pq_query;

/* Parse UTF-8 s[0..n).  Returns 0 and a new query in *out; 1 for a query
 * that cannot be run, with the one-line reason in err (PS_USAGE); -1 when
 * out of memory (PS_NOMEM).  Invalid UTF-8 is an error (1).  err may be
 * NULL. */
int  pq_parse(const char *s, size_t n, pq_query **out, ps_err *err);

/* pq_parse with flags: PQ_LITERAL keeps traditional and simplified apart in
 * the phrases and in pq_norm_flags (index terms stay folded, the index has
 * only those), or 0, which is pq_parse. */
int  pq_parse_opt(const char *s, size_t n, unsigned flags, pq_query **out, ps_err *err);

/* The norm_text_build_opt flags a paragraph's text needs to be matched
 * against q (NORM_FOLD_SCRIPT unless q is literal). */
unsigned pq_norm_flags(const pq_query *q);

/* Add an alternative (UTF-8, normalised here) to clause number `clause`.
 * Returns 0, or -1 when out of memory. */
int  pq_add_alt(pq_query *q, size_t clause, const char *s, size_t n, unsigned flags);

/* Free a query (NULL is fine). */
void pq_free(pq_query *q);

/* Index of the first occurrence of p in nt at or after `from` that respects
 * the whole-word rule, or (size_t)-1.  An empty phrase never occurs. */
size_t pq_phrase_find(const pq_phrase *p, const norm_text *nt, size_t from);

/* 1 if the paragraph whose normalised text is nt satisfies q, else 0. */
int  pq_eval(const pq_query *q, const norm_text *nt);

/* Append to out one span per occurrence of every alternative of every
 * non-negated clause, in source code points (through nt->orig).  The spans
 * are not merged.  Returns 0, or -1 when out of memory. */
int  pq_spans(const pq_query *q, const norm_text *nt, span_list *out);

/* Emit the index terms of a phrase (tok_terms over p->nt, folded to
 * simplified first when the phrase is PQ_LITERAL).  Returns what emit
 * returned, or -1 when out of memory. */
int  pq_phrase_terms(const pq_phrase *p, tok_emit_fn emit, void *ctx);

/* 1 if a paragraph contains p exactly when it has p's single index term:
 * p is one CJK character, two CJK characters, or one whole word of at most
 * TOK_MAX_TERM bytes.  Such phrases need no check against the stored text.
 * A PQ_LITERAL phrase with a CJK character always needs the check: its
 * terms are folded, the text it must match is not. */
int  pq_phrase_term_exact(const pq_phrase *p);

/* A word such as -小巨人 can never be an option (options are ASCII), so it
 * is a negated query part.  Before getopt sees the arguments, each such word
 * gets a \001 in front, which getopt takes for an operand and keeps in
 * order; the query builder drops the mark.  Returns a new argv (the caller
 * frees it and the marked words), or NULL when out of memory (nothing
 * left allocated). */
char **pq_protect_negations(int argc, char **argv);

#endif
