/* output.h — how results are written: for people and for scripts.
 *
 * Each writer writes one result and returns 0, or -1 when the stream failed
 * (a closed pipe: the caller stops quietly, as grep does).  Nothing here
 * decides what matched; it only formats. */
#ifndef POLSEARCH_OUTPUT_H
#define POLSEARCH_OUTPUT_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "copies.h"
#include "region.h"
#include "snippet.h"
#include "span.h"

/* One part of a score (--explain): what it is called and what it adds.
 * The planner names the parts (plan_explain); output writes whatever
 * parts it is given, so a new ranking signal never changes this file. */
typedef struct out_explain_part {
    const char *key;                 /* its JSON key, e.g. "policy" */
    const char *label;               /* its words in the human line, e.g. "policy terms" */
    double      value;               /* what it adds to the score */
} out_explain_part;

#define OUT_EXPLAIN_MAX 8            /* parts a score has at most */

/* The parts a score is made of (--explain), in the order they are shown. */
typedef struct out_explain {
    out_explain_part part[OUT_EXPLAIN_MAX]; /* the parts */
    size_t           n;              /* parts in use */
} out_explain;

/* Append the part (key, label, value) to e (key and label are borrowed:
 * they must outlive e's use); one past OUT_EXPLAIN_MAX is dropped. */
void out_explain_add(out_explain *e, const char *key, const char *label, double value);

typedef struct out_result {
    unsigned        rank;            /* 1-based rank in this result list */
    double          score;           /* relevance score (BM25 plus boosts) */
    const char     *file;            /* the file's path as it was indexed */
    unsigned        paragraph;       /* 1-based paragraph number in the file */
    unsigned        page;            /* 1-based page it starts on (PDF, OFD), 0 for formats without pages */
    int             ocr;             /* 1 when its text came from OCR (it may hold recognition errors) */
    const char     *title;           /* the document title, "" if none */
    const char     *text;            /* the whole paragraph, UTF-8 */
    size_t          text_len;        /* bytes in text */
    const span_list *matches;        /* merged matches, code points into text */
    const snippet  *snip;            /* the snippet to show */
    const char     *date;            /* publication date YYYY-MM-DD, or NULL */
    const char     *issuer;          /* issuing body, or NULL */
    const char     *docno;           /* document number, or NULL */
    const char     *source;          /* which index it came from when several were searched, or NULL */
    const ps_region *region;         /* where the document comes from (region.h), or NULL: not written */
    const out_explain *explain;      /* the score's parts (--explain), or NULL */
    const char     *query;           /* the query, when several came from stdin, or NULL */
    int             collapsed;       /* copies were collapsed into results (not --no-collapse) */
    const copy_where *dups;          /* when collapsed: the matching copies, in rank order */
    size_t          ndups;           /* number of copies in dups */
} out_result;

/* Human form, e.g.
 *   seeds/000_af7ea0c36382d7b8.txt:7  关于…的回复  [12.34]
 * (ending "  (also in N other places)", "1 other place", when copies were
 * collapsed into it)
 * ("file.pdf:7  p. 3  …" for a paged format; "p. 3, OCR" for OCR'd text)
 *     …实施科技企业“双倍增”、专精特新专项培育行动…
 * then, with explain, "  score 12.34 = " and its parts joined by " + ", each its label
 * and value ("bm25 … + expansion … + policy terms … + heading …"),
 * followed by an empty line.  With color, the path is magenta, the
 * paragraph number green, the title bold and each highlight bold red
 * (grep's defaults); without, the text is plain and nothing marks matches. */
int  out_human(FILE *fp, const out_result *r, int color);

/* One JSON object on one line (JSON Lines), with the fields rank, score,
 * file, paragraph, title, text, snippet, matches ([[start, length], ...] in
 * code points into text), snippet_matches (the same into snippet), and
 * page when the source has pages and ocr (true) for OCR'd text,
 * date, issuer, docno, source when they are set, region when it is set
 * ({"province","city","county","code"}, null for a level not known;
 * "unknown" when no level is), explain (an object of
 * each part's key and value: {"bm25":…,"expansion":…,"policy":…,"heading":…})
 * when it is set, and, when
 * copies were collapsed (r->collapsed), duplicates
 * ([{"file":…,"paragraph":…},…], [] for none). */
int  out_json(FILE *fp, const out_result *r);
/* The same line appended to b (a server's response, a test's buffer):
 * byte for byte what out_json writes.  Returns 0, or -1 when out of
 * memory (b then holds what it held). */
int  out_json_append(buf *b, const out_result *r);

/* The columns of --tsv and --csv, in order. */
#define OUT_COLUMNS "rank", "score", "file", "paragraph", "title", "date", "issuer", "snippet", "page"

/* One line of tab-separated columns (OUT_COLUMNS, with query first when
 * set; page is empty for formats without pages); tabs, line breaks and control characters in fields become spaces. */
int  out_tsv(FILE *fp, const out_result *r);

/* One RFC 4180 record (OUT_COLUMNS, with query first when set), CRLF-ended;
 * fields with a comma, quote or line break are quoted, quotes doubled. */
int  out_csv(FILE *fp, const out_result *r);
/* Append s[0..n) to b as one field: an RFC 4180 one when csv (quoted when
 * it holds a comma, quote or line break), else a TSV one (tabs, line breaks
 * and controls as spaces).  Returns 0, or -1 when out of memory. */
int  out_field(buf *b, const char *s, size_t n, int csv);
/* Append one line of n fields f[0..n) (NULL ones empty) to b: RFC 4180
 * when csv (comma-separated, CRLF-ended), else TSV (tab-separated, LF),
 * each field through out_field.  Returns 0, or -1 when out of memory. */
int  out_line(buf *b, const char *const *f, size_t n, int csv);
/* The CSV header record, with a UTF-8 byte-order mark first when bom is
 * set (Excel then reads the Chinese text as UTF-8). */
int  out_csv_header(FILE *fp, int bom, int with_query);

/* The result through a template: {rank} {score} {file} {paragraph}
 * {page} (empty without pages) {title} {date} {issuer} {docno} {snippet} {text} {query} are replaced,
 * \t and \n become tab and newline, {{ and }} stand for braces; a newline
 * ends every result.  Unknown placeholders are written as they are. */
int  out_format(FILE *fp, const out_result *r, const char *tmpl);

/* Concordance (keyword in context): one line per match in r->matches, with
 * `context` characters of left and right context; the left context is
 * padded to a fixed display width (CJK characters count two columns) so
 * that the matches line up; then the location.  With color the match is
 * bold red. */
int  out_kwic(FILE *fp, const out_result *r, size_t context, int color);

/* One citation (refs --to) on one line: FILE:PARAGRAPH, a tab, the
 * reference as written (ref[0..ref_len), control characters shown as
 * spaces), a tab and r->snip; with color as out_human (path magenta,
 * paragraph number green, highlights bold red). */
int  out_citation(FILE *fp, const out_result *r, const char *ref, size_t ref_len, int color);

/* JSON for every command (search, refs, stats, terms), written member by
 * member into a buffer.  Each writer first puts the comma that separates
 * its member (or element) from the one before, unless b is empty or ends
 * in '{', '[' or a newline (a new JSON line), so callers never count
 * members; key is the member's name, or NULL for an array element or a
 * top-level value.  Each returns 0, or -1 when out of memory. */
/* Open an object (bracket '{') or an array ('['). */
int  json_open(buf *b, const char *key, int bracket);
/* Close it: bracket is '}' or ']'. */
int  json_close(buf *b, int bracket);
/* The string s[0..n) (json_put_string), or null when s is NULL. */
int  json_str(buf *b, const char *key, const char *s, size_t n);
/* The unsigned integer v. */
int  json_uint(buf *b, const char *key, uint64_t v);
/* The literal true when v is nonzero, else false. */
int  json_bool(buf *b, const char *key, int v);
/* The literal null. */
int  json_null(buf *b, const char *key);
/* The number v with `digits` decimals (a similarity: 0.912345), or null
 * when it is not finite (a PMI of pairs never seen). */
int  json_fixed(buf *b, const char *key, double v, int digits);
/* The region *r: {"province","city","county","code"} (code the six GB/T
 * 2260 digits of the deepest level known; null for a level not known), or
 * the string "unknown" when not even the province is known. */
int  out_json_region(buf *b, const char *key, const ps_region *r);

/* Append s[0..n) to b as a JSON string literal, quotes included: control
 * characters, quotes and backslashes escaped, UTF-8 passed through (invalid
 * bytes become \ufffd).  Returns 0, or -1 when out of memory. */
int  json_put_string(buf *b, const char *s, size_t n);

#endif
