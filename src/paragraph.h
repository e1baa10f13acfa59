/* paragraph.h — splitting a document's text into paragraphs.
 *
 * A paragraph is the unit of search: one Xapian document each.  Rules:
 *   - a blank line always ends a paragraph;
 *   - with para_split_min, short lines gather: a line break inside a
 *     blank-line block ends a paragraph only once it has min_chars code
 *     points, or when the next line opens an item (a section marker, a
 *     bullet or a field label such as "发布机构:") — verse, metadata fields and ragged lines make paragraphs of
 *     a useful size instead of one Xapian document per line;
 *   - a line break ends one too, unless the text is hard-wrapped there
 *     (the line does not end in sentence-final punctuation and is about as
 *     long as the longest lines around it), in which case the lines join;
 *   - a paragraph longer than max_chars code points is cut: first before
 *     structural markers (一、 （一） (一) 1. 1、 一是 第一条 ...) that follow
 *     white space or sentence-final punctuation, then after sentence ends
 *     (。！？ and their ASCII forms followed by space), then after clause
 *     ends (；;，,), and only as a last resort at max_chars;
 *   - leading and trailing white space is trimmed off each paragraph, and a
 *     paragraph with no letter, digit or CJK character is dropped.
 * A cut never falls between two CJK characters unless nothing else is
 * possible, so a run of Han characters is never split by the first rules.
 * The marker and field-label tests are exported: meta.c uses them to tell
 * headings and field lines from titles. */
#ifndef POLSEARCH_PARAGRAPH_H
#define POLSEARCH_PARAGRAPH_H

#include <stddef.h>
#include <stdint.h>

#define PARA_MAX_CHARS 600
#define PARA_MIN_CHARS 120

/* Called once per paragraph, in order.  text[0..len) is the paragraph's bytes
 * inside the document (not NUL-terminated), byte_off its offset in the
 * document, number its 1-based number.  A non-zero return stops splitting
 * and is passed back. */
typedef int (*para_fn)(void *ctx, const char *text, size_t len,
                       size_t byte_off, unsigned number);

/* para_split with short lines gathered up to min_chars (0: every line
 * break that is not a hard wrap ends a paragraph, as para_split). */
int para_split_min(const char *doc, size_t n, size_t min_chars, size_t max_chars, para_fn fn,
                   void *ctx);

/* Split valid UTF-8 doc[0..n) and call fn for each paragraph.
 * Returns 0, the first non-zero value of fn, or -1 when out of memory. */
int para_split(const char *doc, size_t n, size_t max_chars, para_fn fn, void *ctx);

/* Length in bytes of the structural marker (第一条 一、 （一） 一是 1. 1、
 * （1） ①) at the start of UTF-8 text[0..n), 0 when there is none.  When
 * level is not NULL it gets the marker's rank: 0 第N章/条, 1 一、,
 * 2 （一） and 一是, 3 1. 1、 （1） ①.  meta.c uses it to skip headings. */
size_t para_marker(const char *text, size_t n, int *level);

/* 1 when UTF-8 text[0..n) starts with a field label ("发布机构:", "赵洁委员："):
 * white space and at least two characters for which is_cjk holds, then an
 * ASCII or full-width colon, within max_chars code points before the colon;
 * else 0.  Such a line opens an item here and is no title in meta.c. */
int para_field_label(const char *text, size_t n, size_t max_chars, int (*is_cjk)(uint32_t));

#endif
