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
 *   - invalid UTF-8 bytes become U+FFFD (one per byte).
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

/* Normalise UTF-8 text s[0..n) into nt, replacing its previous contents
 * (the allocation is reused).  Returns 0, or -1 when out of memory. */
int  norm_text_build(norm_text *nt, const char *s, size_t n);

/* Normalise one code point in isolation (the per-character rules above,
 * without the white-space and zero-width rules); used for query text. */
uint32_t norm_char(uint32_t cp);

/* Free the arrays and reset to NORM_TEXT_INIT. */
void norm_text_free(norm_text *nt);

#endif
