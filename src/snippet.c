/* snippet.c — choosing and cutting the window shown with a result; see snippet.h.
 *
 * The approach follows FTS5's snippet() (fts5_aux.c): score every candidate
 * window by the matches it covers, keep the best, then nudge its edges to
 * places where a reader expects text to start and stop.  Three passes:
 *
 *   1. Count the paragraph's code points.  A paragraph that fits (with a
 *      quarter of slack, so that a window is not cut just to save a few
 *      characters) is shown whole.
 *   2. Otherwise pick the window start.  The number of match code points a
 *      window [s, s+W) covers is a piecewise-linear function of s whose slope
 *      only drops at a match start or at a match end minus W, so those
 *      points (plus both extremes) are the only candidates for the earliest
 *      maximum.  Each is scored in O(log m) from prefix sums over the
 *      matches.  The covered cluster is then centred in the window.
 *   3. Widen each edge by at most W/3 to the nearest sentence boundary
 *      (。！？；!?;), failing that a clause boundary (，,、：:), and copy the
 *      window out, marking cut ends with "…".
 *
 * Time is O(n + m log m) for n bytes and m matches; memory is one byte
 * offset per code point, allocated only when the paragraph is cut.
 *
 * The snippet is printed on one line of a terminal, so control characters
 * (newlines, tabs, escapes, C1 controls) and U+2028/U+2029 become a single
 * space each and invalid bytes become U+FFFD.  Both substitutions replace
 * one code point with one code point, so highlight offsets stay exact. */
#include "snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

/* Closing quotes and brackets that may trail a sentence mark; at most this
 * many are looked through, since a longer run is not a sentence ending. */
#define SNIP_MAX_CLOSERS 3

/* Boundary strengths: a cut after a sentence mark beats one after a clause
 * mark, which beats cutting mid-clause. */
#define SNIP_NONE   0
#define SNIP_CLAUSE 1
#define SNIP_SENTENCE 2

typedef struct snip_ctx {
    const unsigned char *s;          /* the paragraph's bytes */
    size_t               n;          /* bytes in s */
    size_t               ncp;        /* code points in s */
    size_t              *off;        /* byte offset of each code point, ncp+1 entries */
} snip_ctx;

/* Return the code point at index i (< ncp) of the paragraph. */
static uint32_t snip_cp_at(const snip_ctx *c, size_t i)
{
    uint32_t cp;
    utf8_step(c->s + c->off[i], c->n - c->off[i], &cp);
    return cp;
}

/* Return how strongly a sentence may end after cp: SNIP_SENTENCE for
 * 。！？；!?;, SNIP_CLAUSE for ，,、：:, else SNIP_NONE.  The ASCII full stop
 * is left out on purpose: in policy text it is mostly a decimal point or a
 * list number ("3.5亿元", "1.").  */
static int snip_mark(uint32_t cp)
{
    switch (cp) {
    case 0x3002: case 0xFF01: case 0xFF1F: case 0xFF1B:
    case '!': case '?': case ';':
        return SNIP_SENTENCE;
    case 0xFF0C: case ',': case 0x3001: case 0xFF1A: case ':':
        return SNIP_CLAUSE;
    default:
        return SNIP_NONE;
    }
}

/* Return nonzero for a closing quote or bracket (”’」』）】》), which belongs
 * with the sentence mark before it: “……。” ends after the ”, not the 。. */
static int snip_is_closer(uint32_t cp)
{
    switch (cp) {
    case 0x201D: case 0x2019: case 0x300D: case 0x300F:
    case 0xFF09: case 0x3011: case 0x300B: case ')':
        return 1;
    default:
        return 0;
    }
}

/* Return nonzero for white space that should not open or close a cut
 * snippet (ASCII blanks, controls and the ideographic space U+3000). */
static int snip_is_space(uint32_t cp)
{
    return cp <= 0x20 || cp == 0x3000;
}

/* Return the strength of a cut between code points i-1 and i.  The ends of
 * the paragraph are the strongest boundaries there are.  A cut never
 * separates closing punctuation from the mark it closes. */
static int snip_boundary(const snip_ctx *c, size_t i)
{
    if (i == 0 || i >= c->ncp)
        return SNIP_SENTENCE;
    if (snip_is_closer(snip_cp_at(c, i)))
        return SNIP_NONE;
    size_t j = i - 1;
    for (int k = 0; k < SNIP_MAX_CLOSERS && j > 0 && snip_is_closer(snip_cp_at(c, j)); k++)
        j--;
    return snip_mark(snip_cp_at(c, j));
}

/* The first sentence boundary met walking from code point `from` to `to`
 * (both included, either direction), else the first clause boundary met,
 * else from. */
static size_t snip_nearest_boundary(const snip_ctx *c, size_t from, size_t to)
{
    size_t clause = from;
    int have_clause = 0;
    for (size_t i = from;; i = from <= to ? i + 1 : i - 1) {
        int b = snip_boundary(c, i);
        if (b == SNIP_SENTENCE)
            return i;
        if (b == SNIP_CLAUSE && !have_clause) {
            clause = i;
            have_clause = 1;
        }
        if (i == to)
            return clause;
    }
}

/* Move the window start s back by at most reach code points to the nearest
 * sentence boundary, else the nearest clause boundary, else leave it.
 * Moving only outwards means no match inside the window is ever lost. */
static size_t snip_adjust_start(const snip_ctx *c, size_t s, size_t reach)
{
    return snip_nearest_boundary(c, s, s > reach ? s - reach : 0);
}

/* Move the window end e forward by at most reach code points; the mirror of
 * snip_adjust_start. */
static size_t snip_adjust_end(const snip_ctx *c, size_t e, size_t reach)
{
    return snip_nearest_boundary(c, e, c->ncp - e > reach ? e + reach : c->ncp);
}

/* Return the number of match code points before code point x, given the
 * matches m[0..nm) (sorted, disjoint) and pre[k] = total length of m[0..k).
 * Binary search finds the last match starting before x; every earlier one
 * lies wholly before x because the matches are disjoint. */
static size_t snip_covered_before(const span *m, const size_t *pre, size_t nm, size_t x)
{
    size_t lo = 0, hi = nm;          /* count of matches with start < x lies in [lo, hi] */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m[mid].start < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    const span *last = &m[lo - 1];
    size_t part = x - last->start;
    return pre[lo - 1] + (part < last->len ? part : last->len);
}

/* Score the window start s (clamped to last) by the match code points its
 * w-wide window covers, and make it *best when it covers more than *best_cov
 * or as much but earlier. */
static void snip_consider(const span *m, const size_t *pre, size_t nm, size_t w,
                          size_t last, size_t s, size_t *best, size_t *best_cov)
{
    if (s > last)
        s = last;
    size_t cov = snip_covered_before(m, pre, nm, s + w) - snip_covered_before(m, pre, nm, s);
    if (cov > *best_cov || (cov == *best_cov && s < *best)) {
        *best = s;
        *best_cov = cov;
    }
}

/* Choose the start of a w-code-point window in a paragraph of ncp > w code
 * points that covers the most match code points (earliest on ties), then
 * slide it so that the covered cluster sits in the middle.  Returns 0, or -1
 * when out of memory. */
static int snip_best_start(const span *m, size_t nm, size_t ncp, size_t w, size_t *out)
{
    size_t last = ncp - w;           /* the largest possible start */
    size_t best = 0, best_cov = 0;

    *out = 0;
    if (nm == 0)
        return 0;
    size_t *pre = malloc(nm * sizeof *pre);
    if (!pre)
        return -1;
    size_t sum = 0;
    for (size_t k = 0; k < nm; k++) {
        pre[k] = sum;
        sum += m[k].len;
    }
    /* Candidates: 0 (the initial best), the last start, each match start
     * and each match end minus w. */
    snip_consider(m, pre, nm, w, last, last, &best, &best_cov);
    for (size_t k = 0; k < nm; k++) {
        size_t end = m[k].start + m[k].len;
        snip_consider(m, pre, nm, w, last, m[k].start, &best, &best_cov);
        snip_consider(m, pre, nm, w, last, end > w ? end - w : 0, &best, &best_cov);
    }
    free(pre);
    if (best_cov == 0)
        return 0;

    /* Centre the cluster [a, b) of covered match code points.  The new
     * window still contains all of [a, b), so it covers at least as much. */
    size_t a = SIZE_MAX, b = 0;
    for (size_t k = 0; k < nm; k++) {
        size_t st = m[k].start, en = m[k].start + m[k].len;
        if (en <= best || st >= best + w)
            continue;
        if (a == SIZE_MAX)
            a = st > best ? st : best;
        b = en < best + w ? en : best + w;
    }
    size_t slack = w - (b - a);
    size_t s = a > slack / 2 ? a - slack / 2 : 0;
    *out = s < last ? s : last;
    return 0;
}

/* Append the paragraph's code points [from, to) (starting at byte `pos`)
 * to b, made safe for a single terminal line: controls, C1 controls and
 * line/paragraph separators become a space, invalid bytes U+FFFD.  One code
 * point in, one out.  Returns 0, or -1 when out of memory. */
static int snip_copy(buf *b, const unsigned char *s, size_t n, size_t pos, size_t from, size_t to)
{
    for (size_t i = from; i < to && pos < n; i++) {
        uint32_t cp;
        size_t len = utf8_step(s + pos, n - pos, &cp);
        int rc;
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029)
            rc = buf_putc(b, ' ');
        else if (cp == 0xFFFD && len == 1)
            rc = buf_put_utf8(b, 0xFFFD);
        else
            rc = buf_append(b, s + pos, len);
        if (rc != 0)
            return -1;
        pos += len;
    }
    return 0;
}

/* See snippet.h.  A width of 0 means SNIPPET_WIDTH.  *out is overwritten,
 * not freed: pass a snippet that is SNIPPET_INIT or was snippet_free'd.
 * Matches need not be merged after all: a private merged copy is taken, so
 * a careless caller costs time, not correctness. */
int snip_build(const char *text, size_t n, const span_list *matches, size_t width,
               snippet *out)
{
    const unsigned char *s = (const unsigned char *)(n ? text : "");
    snip_ctx c = { s, n, 0, NULL };
    span_list m = SPAN_LIST_INIT;
    buf b = BUF_INIT;
    size_t w = width ? width : SNIPPET_WIDTH;
    size_t start = 0, end;
    snippet sn = SNIPPET_INIT;

    *out = sn;
    for (size_t i = 0; i < n; c.ncp++) {
        uint32_t cp;
        i += utf8_step(s + i, n - i, &cp);
    }

    /* Private copy of the matches, merged and clipped to the paragraph. */
    if (matches) {
        for (size_t k = 0; k < matches->n; k++) {
            size_t st = matches->v[k].start, len = matches->v[k].len;
            if (st >= c.ncp)
                continue;
            if (len > c.ncp - st)
                len = c.ncp - st;
            if (span_push(&m, st, len) != 0)
                goto oom;
        }
        span_merge(&m);
    }

    end = c.ncp;
    if (c.ncp > w && c.ncp - w > w / 4) {
        c.off = malloc((c.ncp + 1) * sizeof *c.off);
        if (!c.off)
            goto oom;
        size_t pos = 0;
        for (size_t i = 0; i < c.ncp; i++) {
            uint32_t cp;
            c.off[i] = pos;
            pos += utf8_step(s + pos, n - pos, &cp);
        }
        c.off[c.ncp] = n;

        if (snip_best_start(m.v, m.n, c.ncp, w, &start) != 0)
            goto oom;
        end = snip_adjust_end(&c, start + w, w / 3);
        start = snip_adjust_start(&c, start, w / 3);
        /* A cut edge should not show the white space it was cut at. */
        if (start > 0)
            while (start < end && snip_is_space(snip_cp_at(&c, start)))
                start++;
        if (end < c.ncp)
            while (end > start && snip_is_space(snip_cp_at(&c, end - 1)))
                end--;
    }

    size_t lead = start > 0;         /* 1 when a "…" opens the snippet */
    if (lead && buf_puts(&b, "\xE2\x80\xA6") != 0)
        goto oom;
    if (snip_copy(&b, s, n, c.off ? c.off[start] : 0, start, end) != 0)
        goto oom;
    if (end < c.ncp && buf_puts(&b, "\xE2\x80\xA6") != 0)
        goto oom;

    for (size_t k = 0; k < m.n; k++) {
        size_t st = m.v[k].start, en = m.v[k].start + m.v[k].len;
        if (st < start)
            st = start;
        if (en > end)
            en = end;
        if (st < en && span_push(&sn.hl, st - start + lead, en - st) != 0)
            goto oom;
    }
    span_merge(&sn.hl);

    sn.len = b.len;
    sn.text = buf_detach(&b);
    if (!sn.text)
        goto oom;
    sn.src_start = start;
    sn.src_end = end;
    *out = sn;
    free(c.off);
    span_list_free(&m);
    return 0;

oom:
    free(c.off);
    span_list_free(&m);
    span_list_free(&sn.hl);
    buf_free(&b);
    return -1;
}

/* See snippet.h. */
void snippet_free(snippet *s)
{
    snippet empty = SNIPPET_INIT;
    free(s->text);
    span_list_free(&s->hl);
    *s = empty;
}
