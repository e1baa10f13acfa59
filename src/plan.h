/* plan.h — the query planner: parsed query → Xapian query.
 *
 * A plan is what `polsearch search` runs for one parsed query (query.h):
 * the candidate query Xapian ranks, and whether a candidate must be checked
 * against its stored text before it is a result.  Building it
 *   - expands every typed phrase that is a lexicon term or alias to its other
 *     forms (the index's synonyms, the forms kept as index metadata, the
 *     lexicon loaded for --terms), added to the parsed query as PQ_EXPANDED
 *     alternatives so the text check and the highlighting see them too;
 *   - turns each phrase into the AND of its index terms (bigrams; the lone
 *     character of a one-character run as a prefix; a common character as
 *     itself), each clause into the OR (expansions scaled by
 *     POLICY_EXPANSION) of its alternatives, the clauses into an AND, and the
 *     negated phrases whose single term decides them into an AND_NOT;
 *   - adds the policy-term and heading boosts (AND_MAYBE), the date range
 *     and the boolean-term filters (FILTER: source formats for --type, cited
 *     documents for --cites), and drops the dead file versions (store_live).
 * Phrases whose term does not decide a match, negations that Xapian cannot
 * exclude, and filters Xapian cannot apply make the plan need the check.
 * For --explain the plan keeps its parts and weighs them per result.  Errors
 * come back in a ps_err (err.h); nothing here prints. */
#ifndef POLSEARCH_PLAN_H
#define POLSEARCH_PLAN_H

#include <stdint.h>

#include "err.h"
#include "lexicon.h"
#include "output.h"
#include "policy.h"
#include "query.h"
#include "xapian-shim.h"

/* What a plan is built from. */
typedef struct plan_in {
    xs_db              *db;          /* the open indexes (borrowed by the plan) */
    pq_query           *pq;          /* the parsed query: expansion adds to it */
    const policy_forms *forms;       /* every lexicon form with its term and weight */
    const lexicon      *lx;          /* the lexicon loaded for --terms, or NULL */
    int                 expand;      /* expand abbreviations and aliases (not --no-expand) */
    int                 boost;       /* add the policy-term and heading boosts (not --no-boost) */
    int                 explain;     /* keep the parts that plan_explain weighs */
    int                 post_filter; /* filters Xapian cannot apply (--issuer, --file) */
    const char         *date_lo;     /* first date, YYYYMMDD, or NULL / "" for none */
    const char         *date_hi;     /* last date, YYYYMMDD, or NULL / "" for none */
    const char *const  *filter_any;  /* boolean terms: a result has at least one (--type), or NULL */
    size_t              nfilter_any; /* terms in filter_any; 0: no such filter */
    const char *const  *filter_any2; /* a second such group, ANDed with the first (--cites), or NULL */
    size_t              nfilter_any2;/* terms in filter_any2 */
} plan_in;

typedef struct plan plan;            /* a built plan (opaque) */

/* q (taken over) with in's filters, as a plan applies them: its dates,
 * its term groups (filter_any, filter_any2; plain text as the documents
 * of no other format) and the live documents only (store_live); the
 * other fields of in are not used.  Returns the query, or NULL with err
 * set (q freed; NULL q gives NULL). */
xs_query *plan_filter(const plan_in *in, xs_query *q, ps_err *err);

/* The lexicon's forms the planner expands and boosts with: from the index
 * db (written there by the indexer), or from the lexicon files when
 * terms_file (--terms, or NULL) adds to them or the index has none; then
 * the lexicon stays loaded in *lx (else *lx is NULL; lex_free it).  Returns
 * 0, or -1 with the error in *err (*forms may then hold some forms:
 * policy_forms_free it). */
int plan_load_forms(xs_db *db, const char *terms_file, lexicon **lx, policy_forms *forms, ps_err *err);

/* Build the plan of in->pq (expanding in->pq first when in->expand is set).
 * Returns the plan, or NULL with the error in *err. */
plan *plan_build(const plan_in *in, ps_err *err);
/* 1 if a candidate is a result only when its text passes pq_eval (and the
 * filters Xapian could not apply), 0 if Xapian's match decides. */
int plan_needs_check(const plan *p);
/* The exact number of documents the candidate query matches in an index
 * of doccount documents (Xapian counts; no document is read), into *count.
 * Returns 0, or -1 with the error in *err. */
int plan_count(const plan *p, uint64_t doccount, uint64_t *count, ps_err *err);
/* Candidates first..first+max-1 in rank order (BM25 tuned for paragraphs,
 * plus the boosts), or NULL with the error in *err. */
xs_mset *plan_run(const plan *p, unsigned first, unsigned max, ps_err *err);
/* Every candidate in both copy buckets of copy key key[0..len)
 * (store_copy_query), in rank order with the weights plan_run gives them
 * (the buckets are a pure filter), in an index of doccount documents:
 * the group of copies is the items whose copy key is key[0..len)
 * (store_copy_member); any other is of a key that shares the buckets.  Returns NULL with the error in *err. */
xs_mset *plan_run_copies(const plan *p, const char *key, size_t len, uint64_t doccount,
                         ps_err *err);
/* Fill *e with the named parts of the score of document docid, a
 * paragraph of the file version file_key (16 hex digits): literal BM25
 * ("bm25"), what expansion added ("expansion"), then each boost ("policy"
 * terms, "heading").  The plan must have been built with
 * in->explain; a part that cannot be weighed counts 0. */
void plan_explain(const plan *p, const char *file_key, unsigned docid, out_explain *e);
/* Xapian's description of the candidate query, malloc'd, or NULL when out
 * of memory (for tests). */
char *plan_describe(const plan *p);
/* Free the plan (NULL is fine). */
void plan_free(plan *p);

#endif
