/* normalize.h — the normalised view of a text that indexing and matching share.
 *
 * Index terms, query terms and phrase matching are all computed on this view,
 * never on raw bytes, so that they cannot disagree.  The view maps every
 * normalised code point back to the source code point it came from, so that
 * match offsets can be reported in the source text.  Rules, in order:
 *   - full-width ASCII (U+FF01..U+FF5E) becomes ASCII; U+3000 becomes a space;
 *   - Latin, Greek and Cyrillic capitals become small letters;
 *   - curly and full-width double quotes “ ” „ ‟ 〝 〞 become ", ‘ ’ become ';
 *   - zero-width characters (U+200B..U+200D, U+2060, U+FEFF, U+00AD) vanish;
 *   - a run of white space becomes one space, except that a run containing a
 *     line break between two CJK characters vanishes (hard-wrapped Chinese
 *     lines join without a gap);
 *   - invalid UTF-8 bytes become U+FFFD (one per byte);
 *   - traditional Chinese characters become simplified ones, one character
 *     at a time (OpenCC's TSCharacters, first candidate, with the Taiwan and
 *     Hong Kong variants: 價 -> 价, 後 -> 后, 乾 and 幹 -> 干, 為 -> 为),
 *     unless NORM_FOLD_SCRIPT is left out (search --no-fold).  Phrase-level
 *     conversion is not needed for matching: both sides fold alike, so a
 *     one-to-many case such as 后 (後/后) or 干 (乾/幹/干) only ever adds
 *     matches, it never loses one.
 * Each rule maps one source code point to at most one normalised one. */
#ifndef POLSEARCH_NORMALIZE_H
#define POLSEARCH_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

typedef struct norm_text {
    uint32_t *cp;                    /* normalised code points */
    uint32_t *orig;                  /* orig[i]: index of the source code point that cp[i] came from */
    size_t    len;                   /* number of normalised code points */
    size_t    cap;                   /* allocated entries in cp and orig */
    size_t    src_len;               /* number of code points in the source text */
} norm_text;

#define NORM_TEXT_INIT { NULL, NULL, 0, 0, 0 }

enum {
    NORM_FOLD_SCRIPT = 1u << 0       /* fold traditional characters to simplified */
};

/* Normalise UTF-8 text s[0..n) into nt, replacing its previous contents
 * (the allocation is reused), traditional folded to simplified.  Returns 0,
 * or -1 when out of memory. */
int  norm_text_build(norm_text *nt, const char *s, size_t n);

/* norm_text_build with the script folding chosen by flags (NORM_FOLD_SCRIPT
 * or 0).  Returns 0, or -1 when out of memory. */
int  norm_text_build_opt(norm_text *nt, const char *s, size_t n, unsigned flags);

/* Normalise one code point in isolation (the per-character rules above,
 * without the white-space and zero-width rules); used for query text. */
uint32_t norm_char(uint32_t cp);

/* norm_char without the traditional-to-simplified rule. */
uint32_t norm_char_literal(uint32_t cp);

/* The simplified form of a traditional character, or cp itself: one table
 * lookup (src/t2s-chars.inc, from OpenCC by tools/gen-t2s.py). */
uint32_t norm_fold_script(uint32_t cp);

/* Free the arrays and reset to NORM_TEXT_INIT. */
void norm_text_free(norm_text *nt);

#endif
