/* lexicon.h — the policy-term lexicon and an Aho-Corasick matcher over it.
 *
 * A lexicon is a set of canonical policy terms (专精特新, 揭榜挂帅, ...), each
 * with a weight and a list of aliases (专精特新中小企业, ...).  Every term and
 * alias is compared in its normalised form (the per-character rules of
 * normalize.h, runs of white space folded to one space), so that the text
 * handed to lex_scan() must be normalised the same way.  The lexicon answers
 * three questions:
 *   - which terms occur in a paragraph, and where (lex_scan, one pass per
 *     paragraph over an automaton built once by lex_build);
 *   - which term a query word names (lex_find);
 *   - which lexicon an index was built with (lex_fingerprint).
 *
 * File format (data/policy-terms.tsv, and a user's --terms file):
 *     TERM <TAB> WEIGHT [<TAB> ALIASES [<TAB> EXCEPT]]
 * WEIGHT is a plain decimal in (0, 10]; ALIASES and EXCEPT are lists
 * separated by ',' or '，' (empty items are ignored).  EXCEPT lists contexts
 * in which an occurrence of the term or an alias is not one: 高企 inside
 * 提高企业 is not 高新技术企业.  Each context must contain the term or one of
 * its aliases.  Lines whose first non-blank character is '#' and blank
 * lines are ignored.  A term given again (in the same or a later file)
 * takes the new weight and gains the new aliases and contexts.
 *
 * Ids are dense, 0 .. lex_count()-1, in order of first definition, and
 * never change once given.  A lexicon is not thread-safe while it is being
 * changed; once built, any number of threads may scan it at once.
 *
 * Errors travel as a ps_err (err.h): the functions that can fail return
 * PS_OK or the code they set in err (err may be NULL), PS_INPUT for a
 * malformed or conflicting term, alias, context or line, PS_IO for a file
 * that cannot be read, PS_NOMEM; and, like every ps_err user, they do
 * nothing and return that code when err already holds an error.  Keys are
 * normalised with normalize.h's norm_char, so they cannot disagree with the
 * text they are matched against. */
#ifndef POLSEARCH_LEXICON_H
#define POLSEARCH_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct lexicon lexicon;

/* What lex_scan returns when called before lex_build or after a change: a
 * value its callbacks must not return themselves. */
#define LEX_UNBUILT  (-5)

/* The alias index that lex_scan and lex_find report for the canonical term. */
#define LEX_NO_ALIAS ((size_t)-1)

/* Largest accepted weight; weights lie in (0, LEX_MAX_WEIGHT]. */
#define LEX_MAX_WEIGHT 10.0

/* Allocate an empty lexicon (already "built": it scans nothing).
 * Returns NULL when out of memory. */
lexicon *lex_new(void);

/* Free a lexicon and everything it owns.  NULL is a no-op. */
void lex_free(lexicon *lx);

/* Merge the lexicon file at `path` into lx.  Returns PS_OK, or PS_INPUT
 * with "PATH:LINE: reason" for a bad line, PS_IO with "PATH: reason" when
 * the file cannot be read, PS_NOMEM.  Lines before a bad one stay merged;
 * callers are expected to give up on the lexicon after an error. */
int lex_load_file(lexicon *lx, const char *path, ps_err *err);

/* Add (or redefine) one term with its aliases, as one line of a file would.
 * All or nothing: on failure lx is unchanged.  Returns PS_OK, PS_INPUT
 * (empty term, weight outside (0, 10], invalid UTF-8; an alias that belongs
 * to another term, or a term that is another term's alias) or PS_NOMEM. */
int lex_add(lexicon *lx, const char *term, double weight,
            const char *const *aliases, size_t n, ps_err *err);

/* Declare contexts in which occurrences of `term` (or its aliases) do not
 * count, as the EXCEPT column does.  The term must exist and each context
 * must contain the term or one of its aliases, else PS_INPUT.  All or
 * nothing. */
int lex_add_except(lexicon *lx, const char *term,
                   const char *const *contexts, size_t n, ps_err *err);

/* (Re)build the matching automaton from the current terms and aliases.
 * Must be called after the last change and before lex_scan.  Returns
 * PS_OK or PS_NOMEM (the old automaton is then gone: scans fail with
 * LEX_UNBUILT until a build succeeds). */
int lex_build(lexicon *lx, ps_err *err);

/* Called for each occurrence: term_id is the canonical term, alias its
 * alias index or LEX_NO_ALIAS, [start, start+len) the occurrence in the
 * scanned code points.  A non-zero return stops the scan. */
typedef int (*lex_match_fn)(void *ctx, size_t term_id, size_t alias,
                            size_t start, size_t len);

/* Report every occurrence of every term and alias in the normalised code
 * points cp[0..n), overlapping ones included, ordered by end position and,
 * at one end position, longest first.  An occurrence whose first (last)
 * code point is a Latin letter or digit is not reported when the text
 * continues with such a character before (after) it, so "ai" is not found
 * in "mail"; an occurrence inside one of its term's EXCEPT contexts is not
 * reported either.  Runs in O(n log d + occurrences), d being the largest
 * number of edges leaving one automaton state, and allocates nothing.
 * Returns 0, the first non-zero value returned by fn, or LEX_UNBUILT. */
int lex_scan(const lexicon *lx, const uint32_t *cp, size_t n,
             lex_match_fn fn, void *ctx);

/* Number of canonical terms. */
size_t lex_count(const lexicon *lx);

/* Canonical term as written in its first definition (NULL if id is out of range). */
const char *lex_term(const lexicon *lx, size_t id);

/* Normalised UTF-8 form of the term: what index terms are made of. */
const char *lex_key(const lexicon *lx, size_t id);

/* Weight of the term (0.0 if id is out of range). */
double lex_weight(const lexicon *lx, size_t id);

/* Number of aliases of the term. */
size_t lex_alias_count(const lexicon *lx, size_t id);

/* Alias number i of the term, as written (NULL if out of range). */
const char *lex_alias(const lexicon *lx, size_t id, size_t i);

/* Id of the term whose canonical form or alias equals utf8[0..n) once
 * normalised, or -1 if none does (or the text is not valid UTF-8, or memory
 * ran out).  If alias is not NULL it receives the alias index, or
 * LEX_NO_ALIAS when the text names the canonical term. */
long lex_find(const lexicon *lx, const char *utf8, size_t n, size_t *alias);

/* A checksum of the lexicon's content (normalised terms, weights, aliases
 * and contexts) that does not depend on definition order, so that an index
 * can record which lexicon built it. */
uint32_t lex_fingerprint(const lexicon *lx);

#endif
