/* tokenize.h — index terms of a normalised text.
 *
 * Every pair of adjacent CJK characters gives a bigram term (the two
 * characters, UTF-8), and the last CJK character of a run (a lone one
 * included) a unigram term.  So every CJK character begins a term, and a
 * one-character query is the prefix query "the character or any bigram it
 * begins": exact, while the index holds about one unigram per run instead
 * of one per character (unigrams were 48% of all postings; measured in
 * the performance issue's note).
 * The exception is the few hundred most common characters (tok_is_common):
 * they begin thousands of bigrams each, and a prefix query over thousands
 * of posting lists costs 50-200 ms (Xapian opens and merges each one), so
 * such a character also gives a TOK_COMMON unigram wherever it does not end
 * a run, and a one-character query for it is the plain unigram term.
 * A maximal run of UC_WORD characters gives one word term (its UTF-8 bytes,
 * already lower-cased by normalisation).  Anything else breaks runs: no
 * bigram spans a space, punctuation or a CJK/word boundary.  A word longer
 * than TOK_MAX_TERM bytes gives no term (Xapian's limit is 245 bytes); the
 * phrase check against the stored text still sees it.
 * Terms never begin with an ASCII capital, which polsearch keeps for
 * prefixed terms (XF file version, K lexicon term, ...). */
#ifndef POLSEARCH_TOKENIZE_H
#define POLSEARCH_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#include "normalize.h"

#define TOK_MAX_TERM 200

enum tok_kind {
    TOK_UNIGRAM = 1,                 /* one CJK character */
    TOK_BIGRAM  = 2,                 /* two adjacent CJK characters */
    TOK_WORD    = 3,                 /* a run of word characters (Latin letters, digits, ...) */
    TOK_COMMON  = 4                  /* a common character inside a run (index only) */
};

/* Called once per term occurrence, in text order.  term[0..len) is UTF-8, not
 * NUL-terminated and only valid during the call; pos is the index in the
 * normalised text of the term's first character.  A non-zero return stops
 * tokenising and is passed back to the caller. */
typedef int (*tok_emit_fn)(void *ctx, const char *term, size_t len,
                           enum tok_kind kind, size_t pos);

/* Emit every term of nt[from..to) (normalised code point indices).
 * Returns 0, or the first non-zero value returned by emit. */
int tok_terms(const norm_text *nt, size_t from, size_t to, tok_emit_fn emit, void *ctx);

/* 1 when cp is one of the common characters (common-chars.inc), which the
 * index holds as a unigram at every occurrence, else 0. */
int tok_is_common(uint32_t cp);

#endif
