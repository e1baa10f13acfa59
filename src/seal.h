/* seal.h — circular seals (公章) among the glyphs of a fixed-layout page.
 *
 * A seal's name is set along an arc, each glyph turned to face the
 * centre.  A text extractor sees its glyphs as short runs scattered around
 * the signature the seal is stamped over, and a reader would not read them
 * as a sentence: the name is the issuing body's, which the signature under
 * the seal already gives.  seal_mark finds the glyphs that lie on one
 * circle, so the reader can keep them out of the paragraphs (and out of
 * the issuer and date taken from the signature).
 *
 * Found: at least SEAL_MIN_GLYPHS glyphs of like size whose centres fit
 * one circle (least squares) of radius 1.8 to 15 glyph sizes within a
 * quarter size, spread over at least 120 degrees with no gap wider than
 * 75 degrees, none of them set in a line (a glyph of like size on its
 * baseline at most 1.2 sizes away).  Text set in lines, tables and
 * columns fit no such circle.  The cost is bounded: past SEAL_MAX_GLYPHS candidates
 * nothing is searched, and each candidate seeds one fit of a few rounds
 * over all candidates. */
#ifndef POLSEARCH_SEAL_H
#define POLSEARCH_SEAL_H

#include <stddef.h>

#include "err.h"

/* Fewest glyphs a seal's arc holds. */
#define SEAL_MIN_GLYPHS 5
/* Candidates searched on one page at most. */
#define SEAL_MAX_GLYPHS 2000

typedef struct seal_glyph {
    double x, y;                     /* the glyph's centre, page units */
    double size;                     /* its size (the larger side of its box), > 0 */
} seal_glyph;

/* Set seal[i] to 1 for each of the n glyphs g[i] that lies on the arc of
 * a seal, leaving the others as they are.  Returns the number of glyphs
 * marked, or -1 with err set (out of memory). */
long seal_mark(const seal_glyph *g, size_t n, unsigned char *seal, ps_err *err);

#endif
