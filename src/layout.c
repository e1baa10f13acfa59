/* layout.c — positioned lines of fixed-layout pages to paragraphs (layout.h).
 *
 * layout_add keeps every fragment (text in one arena).  layout_finish then
 *   1. cuts each page into blocks (columns, and the lines between column
 *      sections: the XY-cut below), sorts each block's fragments top to
 *      bottom and merges those on one baseline into rows, left to right (a
 *      space where they stand apart);
 *   2. marks running headers/footers and page numbers among the first and
 *      last rows of each page;
 *   3. measures the body (line height, line pitch, left and right margin
 *      of each page and of each column) and walks the kept rows in order,
 *      starting a paragraph at a gap, an indent or after a short line,
 *      joining the others (also across a page break or a column turn);
 *   4. writes each paragraph with the autospacing removed, marking page
 *      starts as it goes. */
#include "layout.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

typedef struct lfrag {
    size_t   off;                    /* start of the text in the layout's arena */
    size_t   len;                    /* bytes of text */
    double   x0, y0;                 /* top-left corner (y grows downwards) */
    double   x1, y1;                 /* bottom-right corner */
    size_t   seq;                    /* order of addition: sorting ties keep it */
    unsigned block;                  /* its block in reading order (step 1: xy_cut) */
} lfrag;

typedef struct lpage {
    double   width;                  /* page width in page units; 0 when unknown */
    double   height;                 /* page height; 0 when unknown */
    size_t   first;                  /* its first fragment (then its first row) */
    size_t   count;                  /* its fragments (then its rows) */
    double   left;                   /* left edge of its body text (step 3) */
    double   right;                  /* right edge of its body text (step 3) */
} lpage;

struct layout {
    buf      arena;                  /* the text of every fragment, back to back */
    lfrag   *frags;                  /* fragments, page by page */
    size_t   nfrags;                 /* fragments in use */
    size_t   cap_frags;              /* fragments allocated */
    lpage   *pages;                  /* pages in order */
    unsigned npages;                 /* pages started */
    size_t   cap_pages;              /* pages allocated */
};

typedef struct lrow {
    size_t   off;                    /* start of the text in the rows' arena */
    size_t   len;                    /* bytes of text, trimmed */
    double   x0, y0, x1, y1;         /* union of its fragments' boxes */
    double   text_x0;                /* left edge of its text after a list mark standing apart */
    unsigned page;                   /* 0-based page */
    unsigned block;                  /* its block (rows.blocks) */
    int      drop;                   /* 1: header, footer or page number */
} lrow;

/* A part of a page read as a unit (step 1): a column, or the lines between
 * column sections (the whole page when it has no columns). */
typedef struct lblock {
    unsigned page;                   /* 0-based page */
    int      column;                 /* 1: a side of a column cut (xy_cut) */
    size_t   first;                  /* its first row */
    size_t   count;                  /* its rows */
    double   left;                   /* left edge of its body text (step 3) */
    double   right;                  /* right edge of its body text (step 3) */
} lblock;

/* ------------------------------------------------------------------------ */
/* Character classes                                                         */
/* ------------------------------------------------------------------------ */

/* Han ideographs (all blocks), 〇 and kana: scripts written without spaces. */
static int is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3007 || c == 0x3005 || (c >= 0x3040 && c <= 0x30FF);
}

/* CJK punctuation: the CJK symbols block, full-width forms that are not
 * letters or digits, and the quotes, dashes and dots Chinese text uses. */
static int is_cjk_punct(uint32_t c)
{
    if (c >= 0x3000 && c <= 0x303F)
        return c != 0x3007 && c != 0x3005;
    if (c >= 0xFF01 && c <= 0xFF65)
        return !((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A));
    return (c >= 0x2018 && c <= 0x201F) || c == 0x2014 || c == 0x2026 || c == 0x00B7 || c == 0x2022
        || (c >= 0xFE30 && c <= 0xFE4F);
}

/* ASCII and full-width digits. */
static int is_digit(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

/* The spaces layout collapses and may remove (not U+3000, which is text). */
static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F;
}

/* A character after which, or before which, a line break is no space. */
static int joins_tight(uint32_t c)
{
    return is_han(c) || is_cjk_punct(c) || uclass_of(c) == UC_CJK;
}

/* The code point at s[i] (U+FFFD for an invalid byte); *n gets its length. */
static uint32_t cp_at(const char *s, size_t len, size_t i, size_t *n)
{
    uint32_t c;
    int k = utf8_decode((const unsigned char *)s + i, len - i, &c);
    *n = k > 0 ? (size_t)k : 1;
    return k > 0 ? c : UTF8_REPLACEMENT;
}

/* The last code point of s[0..len) (0 when empty). */
static uint32_t last_cp(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    size_t i = utf8_prev(s, 0, len), n;
    return cp_at(s, len, i, &n);
}

/* ------------------------------------------------------------------------ */
/* Gathering                                                                 */
/* ------------------------------------------------------------------------ */

layout *layout_new(void)
{
    return calloc(1, sizeof(layout));
}

void layout_free(layout *l)
{
    if (!l)
        return;
    buf_free(&l->arena);
    free(l->frags);
    free(l->pages);
    free(l);
}

/* A coordinate that is a number (NaN and infinities from hostile input
 * become 0, magnitudes are capped so that arithmetic on them stays finite). */
static double coord(double v)
{
    if (!isfinite(v))
        return 0;
    return v > 1e9 ? 1e9 : v < -1e9 ? -1e9 : v;
}

int layout_page(layout *l, double width, double height, ps_err *err)
{
    if (ARRAY_EGROW(err, l->pages, l->cap_pages, (size_t)l->npages + 1) != 0)
        return -1;
    lpage *p = &l->pages[l->npages++];
    memset(p, 0, sizeof *p);
    p->width = fabs(coord(width));
    p->height = fabs(coord(height));
    p->first = l->nfrags;
    return 0;
}

/* Append text to b as valid UTF-8 without controls: an invalid byte becomes
 * U+FFFD, a control (C0, DEL, C1) a space, a soft hyphen nothing. */
static int put_clean(buf *b, const char *s, size_t len)
{
    if (buf_reserve(b, len) != 0)
        return -1;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        int k = utf8_decode((const unsigned char *)s + i, len - i, &c);
        if (k <= 0) {
            if (buf_put_utf8(b, UTF8_REPLACEMENT) != 0)
                return -1;
            i++;
            continue;
        }
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
            if (buf_putc(b, ' ') != 0)
                return -1;
        } else if (c != 0xAD && c != 0xFEFF) {
            if (buf_append(b, s + i, (size_t)k) != 0)
                return -1;
        }
        i += (size_t)k;
    }
    return 0;
}

int layout_add(layout *l, const layout_line *line, ps_err *err)
{
    if (line->len == 0)
        return 0;
    if (l->npages == 0 && layout_page(l, 0, 0, err) != 0)
        return -1;
    if (ARRAY_EGROW(err, l->frags, l->cap_frags, l->nfrags + 1) != 0)
        return -1;
    size_t off = l->arena.len;
    if (put_clean(&l->arena, line->text, line->len) != 0) {
        l->arena.len = off;
        return ps_err_nomem(err), -1;
    }
    lfrag *f = &l->frags[l->nfrags];
    f->off = off;
    f->len = l->arena.len - off;
    double x0 = coord(line->x0), x1 = coord(line->x1), y0 = coord(line->y0), y1 = coord(line->y1);
    f->x0 = x0 < x1 ? x0 : x1;
    f->x1 = x0 < x1 ? x1 : x0;
    f->y0 = y0 < y1 ? y0 : y1;
    f->y1 = y0 < y1 ? y1 : y0;
    f->seq = l->nfrags;
    l->nfrags++;
    l->pages[l->npages - 1].count++;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Step 1: rows                                                              */
/* ------------------------------------------------------------------------ */

/* qsort order of doubles. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of v[0..n) (sorts v); dflt when n is 0. */
static double median(double *v, size_t n, double dflt)
{
    if (n == 0)
        return dflt;
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* qsort order of fragments: by block, then vertical centre, then left
 * edge, then the order they came in. */
static int cmp_frag_y(const void *a, const void *b)
{
    const lfrag *p = a, *q = b;
    if (p->block != q->block)
        return p->block < q->block ? -1 : 1;
    double cp = p->y0 + p->y1, cq = q->y0 + q->y1;
    if (cp != cq)
        return cp < cq ? -1 : 1;
    if (p->x0 != q->x0)
        return p->x0 < q->x0 ? -1 : 1;
    return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* qsort order of the fragments of one row: left to right. */
static int cmp_frag_x(const void *a, const void *b)
{
    const lfrag *p = a, *q = b;
    if (p->x0 != q->x0)
        return p->x0 < q->x0 ? -1 : 1;
    return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* qsort order of fragments for the XY-cut: by block (there: the side of a
 * cut, 0 or 1), then top edge, then left edge, then the order they came in. */
static int cmp_frag_top(const void *a, const void *b)
{
    const lfrag *p = a, *q = b;
    if (p->block != q->block)
        return p->block < q->block ? -1 : 1;
    if (p->y0 != q->y0)
        return p->y0 < q->y0 ? -1 : 1;
    if (p->x0 != q->x0)
        return p->x0 < q->x0 ? -1 : 1;
    return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* Growable row list with its text arena and the blocks the rows fall in. */
typedef struct rows {
    lrow    *v;                      /* rows, page by page, block by block */
    size_t   n;                      /* rows in use */
    size_t   cap;                    /* rows allocated */
    buf      text;                   /* their text, back to back */
    lblock  *blocks;                 /* blocks in reading order, page by page */
    size_t   nblocks;                /* blocks in use */
    size_t   cap_blocks;             /* blocks allocated */
} rows;

/* Open a new block of page `page` at the end of r's blocks.  Returns 0 or
 * -1 (out of memory). */
static int block_open(rows *r, unsigned page, int column)
{
    if (buf_grow_array((void **)&r->blocks, &r->cap_blocks, r->nblocks + 1, sizeof *r->blocks) != 0)
        return -1;
    r->blocks[r->nblocks++] = (lblock){ page, column, 0, 0, NAN, NAN };
    return 0;
}

/* ---- Columns: the XY-cut -------------------------------------------------
 * A page's fragments are cut into horizontal strips where no fragment
 * spans the white between them (lines, mostly).  Each strip has its white
 * gaps across the page's width (the margins beside a short line count).  A
 * run of consecutive strips that share a gap is a column section when, cut
 * at that gap, both sides read as text columns (xy_side_ok: wide enough,
 * with enough rows, most of them full).  That test keeps a table (short cells), a form's labels, an indented quote or a
 * right-aligned signature (one side empty) from being cut, and lets a
 * full-width title or footer end the section (it spans the gutter).  The
 * two sides are then cut again the same way (a column may hold a sidebar of
 * its own), at most XY_MAX_DEPTH deep; every other strip is read in order.
 * Each level sorts its fragments once: O(n log n) per level. */
#define XY_MAX_DEPTH 4
#define XY_GUTTER 1.0                /* least width of a gutter where a run starts, in line heights */
#define XY_NARROW 0.3                /* least width it keeps (punctuation hangs into it), in line heights */
#define XY_COL_ROWS 3                /* least rows of a column */
#define XY_COL_WIDTH 8.0             /* least width of a column, in line heights */
#define XY_FULL 0.8                  /* a full row of a column spans this share of its width */
#define XY_HOLE 1.2                  /* white between a column's rows that is a hole, in line heights */
#define XY_MAX_GAPS 4                /* widest shared gaps of a run tried as its gutter */
#define XY_LEAD 2                    /* one-sided strips just above a run that may join it */

/* A white interval across a strip. */
typedef struct xy_gap {
    double   lo;                     /* its left edge */
    double   hi;                     /* its right edge */
} xy_gap;

/* Growable list of gaps. */
typedef struct xy_gaps {
    xy_gap  *v;                      /* gaps, left to right */
    size_t   n;                      /* gaps in use */
    size_t   cap;                    /* gaps allocated */
} xy_gaps;

/* The cut of one page: where blocks go, and scratch space. */
typedef struct xy_ctx {
    rows    *r;                      /* the blocks are opened in r */
    unsigned page;                   /* the page being cut */
    double   h;                      /* the page's median fragment height */
    int      plain;                  /* 1: the last block opened takes the next plain strip */
    xy_gaps  strip;                  /* gaps of the strip at hand */
    xy_gaps  common;                 /* gaps shared by the strips of the current run */
    xy_gaps  tmp;                    /* scratch for an intersection */
    double  *w;                      /* row widths of one side (xy_side_ok) */
    size_t   cap_w;                  /* widths allocated */
} xy_ctx;

/* Append gap [lo, hi) to g.  Returns 0 or -1 (out of memory). */
static int gap_put(xy_gaps *g, double lo, double hi)
{
    if (buf_grow_array((void **)&g->v, &g->cap, g->n + 1, sizeof *g->v) != 0)
        return -1;
    g->v[g->n++] = (xy_gap){ lo, hi };
    return 0;
}

/* The end of the strip that starts at f[i] (f sorted by top): the first
 * fragment that starts below every fragment before it (less than a tenth
 * of a line of overlap is no overlap), or n. */
static size_t strip_end(const lfrag *f, size_t n, size_t i, double h)
{
    double bottom = f[i].y1;
    size_t j = i + 1;
    for (; j < n && f[j].y0 < bottom - 0.1 * h; j++)
        bottom = fmax(bottom, f[j].y1);
    return j;
}

/* The white gaps of strip f[0..n) (sorts it left to right) within
 * [x0, x1], at least XY_NARROW lines wide, into x->strip.  0 or -1 (memory). */
static int strip_gaps(xy_ctx *x, lfrag *f, size_t n, double x0, double x1)
{
    qsort(f, n, sizeof *f, cmp_frag_x);
    double cover = x0, min = XY_NARROW * x->h;
    x->strip.n = 0;
    for (size_t i = 0; i < n; i++) {
        if (f[i].x0 - cover >= min && gap_put(&x->strip, cover, f[i].x0) != 0)
            return -1;
        cover = fmax(cover, f[i].x1);
    }
    if (x1 - cover >= min && gap_put(&x->strip, cover, x1) != 0)
        return -1;
    return 0;
}

/* x->common becomes its intersection with x->strip (gaps narrower than
 * XY_NARROW lines dropped) unless that is empty (then x->common stays: the run it
 * describes ends).  Returns 1 (not empty), 0 (empty) or -1 (out of memory). */
static int gaps_intersect(xy_ctx *x)
{
    const xy_gaps *a = &x->common, *b = &x->strip;
    double min = XY_NARROW * x->h;
    x->tmp.n = 0;
    for (size_t i = 0, j = 0; i < a->n && j < b->n;) {
        double lo = fmax(a->v[i].lo, b->v[j].lo), hi = fmin(a->v[i].hi, b->v[j].hi);
        if (hi - lo >= min && gap_put(&x->tmp, lo, hi) != 0)
            return -1;
        if (a->v[i].hi < b->v[j].hi)
            i++;
        else
            j++;
    }
    if (x->tmp.n == 0)
        return 0;
    xy_gaps t = x->common;
    x->common = x->tmp;
    x->tmp = t;
    return 1;
}

/* Put fragments f[0..n) into the plain block that is open, or a new one.
 * Returns 0 or -1 (out of memory). */
static int xy_plain(xy_ctx *x, lfrag *f, size_t n, int column)
{
    if (n == 0)
        return 0;
    if (!x->plain) {
        if (block_open(x->r, x->page, column) != 0)
            return -1;
        x->plain = 1;
    }
    for (size_t i = 0; i < n; i++)
        f[i].block = (unsigned)(x->r->nblocks - 1);
    return 0;
}

/* Does one side of a cut at gap g (right: 1) of f[0..n) (sorted by top)
 * read as a text column: at least XY_COL_WIDTH line heights wide, with
 * XY_COL_ROWS rows or more (fragments whose centre falls within the first
 * fragment of a row join it), most of them (half, and XY_COL_ROWS) full:
 * spanning XY_FULL of the side's width, as the lines of a justified column
 * do and the cells of a table or a form seldom do; and the rows close
 * together: white over XY_HOLE lines between rows at most once in four
 * rows (a table's short cells beside cells of several lines leave such
 * holes, a column's paragraphs do not).  1 yes, 0 no, -1 out of memory. */
static int xy_side_ok(xy_ctx *x, const lfrag *f, size_t n, xy_gap g, int right)
{
    if (ARRAY_GROW(x->w, x->cap_w, n) != 0)
        return -1;
    size_t nrow = 0, holes = 0;
    double top = 0, bottom = 0, left = 0, rgt = 0, side0 = INFINITY, side1 = -INFINITY, low = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (right ? f[i].x0 < g.hi : f[i].x1 > g.lo)
            continue;
        side0 = fmin(side0, f[i].x0);
        side1 = fmax(side1, f[i].x1);
        double c = (f[i].y0 + f[i].y1) / 2;
        if (nrow > 0 && c >= top && c <= bottom) {
            left = fmin(left, f[i].x0);
            rgt = fmax(rgt, f[i].x1);
            low = fmax(low, f[i].y1);
            x->w[nrow - 1] = rgt - left;
            continue;
        }
        if (nrow > 0 && f[i].y0 - low > XY_HOLE * x->h)
            holes++;
        top = f[i].y0, bottom = f[i].y1, left = f[i].x0, rgt = f[i].x1;
        x->w[nrow++] = rgt - left;
        low = fmax(low, bottom);
    }
    if (nrow < XY_COL_ROWS || side1 - side0 < XY_COL_WIDTH * x->h || 4 * holes > nrow)
        return 0;
    size_t full = 0;
    for (size_t i = 0; i < nrow; i++)
        full += x->w[i] >= XY_FULL * (side1 - side0);
    return full >= XY_COL_ROWS && 2 * full >= nrow;
}

/* The widest gap of g (n > 0). */
static xy_gap widest(const xy_gaps *g)
{
    xy_gap w = g->v[0];
    for (size_t i = 1; i < g->n; i++)
        if (g->v[i].hi - g->v[i].lo > w.hi - w.lo)
            w = g->v[i];
    return w;
}

/* Where a run of strips that starts at f[i] with gutter g really starts:
 * the plain strips just above it (lead[0..n), their starts, the last just
 * above f[i]) join it while they stay clear of the gutter and stand less
 * than half a line above the next: one column's first line may sit a
 * little higher than the other's. */
static size_t lead_strips(const lfrag *f, const size_t *lead, size_t n, size_t i, xy_gap g, double h)
{
    size_t start = i;
    while (n > 0) {
        size_t a = lead[--n];
        double bottom = f[a].y1;
        for (size_t k = a; k < start; k++) {
            if (f[k].x1 > g.lo && f[k].x0 < g.hi)
                return start;
            bottom = fmax(bottom, f[k].y1);
        }
        if (f[start].y0 - bottom >= 0.5 * h)   /* f is sorted by top */
            return start;
        start = a;
    }
    return start;
}

static int xy_cut(xy_ctx *x, lfrag *f, size_t n, unsigned depth, int column);

/* The run of strips f[a..b) (sorted by top; their shared gaps in
 * x->common, within [x0, x1]) is cut into columns at the widest of its
 * shared inner gaps whose two sides read as text columns; each side is cut
 * again (xy_cut).  When no gap does, the run is plain.  Returns 0 or -1
 * (out of memory). */
static int xy_run(xy_ctx *x, lfrag *f, size_t a, size_t b, double x0, double x1, unsigned depth, int column)
{
    xy_gap best = { 0, 0 };
    for (size_t tries = 0; tries < XY_MAX_GAPS; tries++) {
        size_t k = x->common.n;
        for (size_t i = 0; i < x->common.n; i++) {
            xy_gap g = x->common.v[i];
            if (g.lo > x0 && g.hi < x1 && g.hi > g.lo
                && (k == x->common.n || g.hi - g.lo > x->common.v[k].hi - x->common.v[k].lo))
                k = i;
        }
        if (k == x->common.n)
            break;
        xy_gap g = x->common.v[k];
        x->common.v[k].hi = x->common.v[k].lo;   /* tried */
        int l = xy_side_ok(x, f + a, b - a, g, 0), r = l == 1 ? xy_side_ok(x, f + a, b - a, g, 1) : 0;
        if (l < 0 || r < 0)
            return -1;
        if (l && r) {
            best = g;
            break;
        }
    }
    if (!(best.hi > best.lo))
        return xy_plain(x, f + a, b - a, column);
    size_t nl = 0;
    for (size_t i = a; i < b; i++) {
        f[i].block = f[i].x0 >= best.hi;   /* the side, for cmp_frag_top */
        nl += f[i].block == 0;
    }
    qsort(f + a, b - a, sizeof *f, cmp_frag_top);
    if (xy_cut(x, f + a, nl, depth + 1, 1) != 0 || xy_cut(x, f + a + nl, b - a - nl, depth + 1, 1) != 0)
        return -1;
    x->plain = 0;
    return 0;
}

/* Cut f[0..n) (one page, or one side of a cut at depth `depth`) into
 * blocks in reading order (see above), setting each fragment's block;
 * `column`: the fragments are a column.  Returns 0 or -1 (out of memory). */
static int xy_cut(xy_ctx *x, lfrag *f, size_t n, unsigned depth, int column)
{
    x->plain = 0;
    if (n == 0)
        return 0;
    if (depth >= XY_MAX_DEPTH || n < 2 * XY_COL_ROWS)
        return xy_plain(x, f, n, column);
    for (size_t i = 0; i < n; i++)
        f[i].block = 0;
    qsort(f, n, sizeof *f, cmp_frag_top);
    double x0 = f[0].x0, x1 = f[0].x1;
    for (size_t i = 1; i < n; i++) {
        x0 = fmin(x0, f[i].x0);
        x1 = fmax(x1, f[i].x1);
    }
    size_t run = 0, run_strips = 0, lead[XY_LEAD], nlead = 0;
    for (size_t i = 0; i < n;) {
        size_t j = strip_end(f, n, i, x->h);
        if (strip_gaps(x, f + i, j - i, x0, x1) != 0)
            return -1;
        if (run_strips > 0) {
            int shared = gaps_intersect(x);
            if (shared < 0)
                return -1;
            if (shared) {
                run_strips++;
                i = j;
                continue;
            }
            /* The run ends before this strip; cutting it reuses the
             * scratch gaps, so this strip's are measured again. */
            if (xy_run(x, f, run, i, x0, x1, depth, column) != 0 || strip_gaps(x, f + i, j - i, x0, x1) != 0)
                return -1;
            run_strips = 0;
            nlead = 0;
        }
        /* A run starts at a strip with text on both sides of a gap a
         * gutter wide (a line indented, or short of the right margin,
         * starts none). */
        size_t inner = 0;
        for (size_t k = 0; k < x->strip.n; k++)
            if (x->strip.v[k].lo > x0 && x->strip.v[k].hi < x1
                && x->strip.v[k].hi - x->strip.v[k].lo >= XY_GUTTER * x->h)
                x->strip.v[inner++] = x->strip.v[k];
        x->strip.n = inner;
        if (x->strip.n > 0) {
            xy_gaps t = x->common;
            x->common = x->strip;
            x->strip = t;
            run = lead_strips(f, lead, nlead, i, widest(&x->common), x->h);
            run_strips = 1;
            nlead = 0;
        } else {
            if (xy_plain(x, f + i, j - i, column) != 0)
                return -1;
            if (nlead == XY_LEAD)
                memmove(lead, lead + 1, (XY_LEAD - 1) * sizeof *lead);
            lead[nlead < XY_LEAD ? nlead++ : XY_LEAD - 1] = i;
        }
        i = j;
    }
    if (run_strips > 0 && xy_run(x, f, run, n, x0, x1, depth, column) != 0)
        return -1;
    return 0;
}

/* The blocks of page p's fragments f[0..n) (xy_cut), fragments sorted by
 * block and then as rows go.  Returns 0 or -1 (out of memory). */
static int page_blocks(xy_ctx *x, lfrag *f, size_t n, unsigned p)
{
    double *hv = malloc(n * sizeof *hv);
    if (!hv)
        return -1;
    for (size_t i = 0; i < n; i++)
        hv[i] = f[i].y1 - f[i].y0;
    x->h = median(hv, n, 10);
    free(hv);
    if (!(x->h > 0))
        x->h = 1;
    x->page = p;
    if (xy_cut(x, f, n, 0, 0) != 0)
        return -1;
    qsort(f, n, sizeof *f, cmp_frag_y);
    return 0;
}

/* Is fragment text s[0..n) (spaces aside) one list mark: a bullet, a
 * dash, an asterisk?  The lines of a list item then hang at the item's
 * text, not at the mark. */
static int is_list_mark(const char *s, size_t n)
{
    uint32_t mark = 0;
    for (size_t i = 0; i < n;) {
        size_t k;
        uint32_t c = cp_at(s, n, i, &k);
        i += k;
        if (is_space(c))
            continue;
        if (mark)
            return 0;
        mark = c;
    }
    return mark == 0x2022 || mark == 0x00B7 || mark == 0x25CF || mark == 0x25CB || mark == 0x25A0 || mark == 0x25AA
        || mark == 0x25C6 || mark == 0x2013 || mark == 0x2014 || mark == '-' || mark == '*' || mark == 0x2027
        || mark == 0x30FB || mark == 0x2219;
}

/* Append the fragments f[0..n) (one row, sorted left to right) as a row of
 * page `page`: a space goes between two fragments that stand apart by more
 * than a fifth of the row's height; runs of spaces collapse; the row is
 * trimmed.  An empty row is not kept.  Returns 0 or -1 (out of memory). */
static int put_row(rows *r, const layout *l, const lfrag *f, size_t n, unsigned page)
{
    if (ARRAY_GROW(r->v, r->cap, r->n + 1) != 0)
        return -1;
    lrow *row = &r->v[r->n];
    row->off = r->text.len;
    row->x0 = f[0].x0;
    row->x1 = f[0].x1;
    row->y0 = f[0].y0;
    row->y1 = f[0].y1;
    for (size_t i = 1; i < n; i++) {
        row->x0 = fmin(row->x0, f[i].x0);
        row->x1 = fmax(row->x1, f[i].x1);
        row->y0 = fmin(row->y0, f[i].y0);
        row->y1 = fmax(row->y1, f[i].y1);
    }
    double h = row->y1 - row->y0;
    int pending_space = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && f[i].x0 - f[i - 1].x1 > 0.2 * h)
            pending_space = 1;
        const char *s = l->arena.data + f[i].off;
        for (size_t j = 0; j < f[i].len;) {
            size_t k;
            uint32_t c = cp_at(s, f[i].len, j, &k);
            if (is_space(c)) {
                pending_space = 1;
            } else {
                if (pending_space && r->text.len > row->off && buf_putc(&r->text, ' ') != 0)
                    return -1;
                pending_space = 0;
                if (buf_append(&r->text, s + j, k) != 0)
                    return -1;
            }
            j += k;
        }
    }
    row->len = r->text.len - row->off;
    row->text_x0 = n > 1 && is_list_mark(l->arena.data + f[0].off, f[0].len) ? f[1].x0 : row->x0;
    row->page = page;
    row->block = f[0].block;
    row->drop = 0;
    if (row->len > 0)
        r->n++;
    return 0;
}

/* Cut each page into blocks (page_blocks), sort each block's fragments and
 * merge those sharing a baseline into rows: a fragment joins the row when
 * its vertical centre lies within the row's first fragment, or that one's
 * centre within it.  Pages' first/count then describe rows, and so do the
 * blocks'.  Returns 0 or -1 (out of memory). */
static int build_rows(layout *l, rows *r)
{
    xy_ctx x = { r, 0, 1, 0, { NULL, 0, 0 }, { NULL, 0, 0 }, { NULL, 0, 0 }, NULL, 0 };
    int rc = -1;
    for (unsigned p = 0; p < l->npages; p++) {
        lpage *pg = &l->pages[p];
        size_t n = pg->count, first_row = r->n;
        if (n == 0) {                /* an empty page (and frags may be NULL) */
            pg->first = first_row;
            continue;
        }
        lfrag *f = l->frags + pg->first;
        if (page_blocks(&x, f, n, p) != 0)
            goto out;
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            double c0 = (f[i].y0 + f[i].y1) / 2;
            while (j < n && f[j].block == f[i].block) {
                double c = (f[j].y0 + f[j].y1) / 2;
                if ((c >= f[i].y0 && c <= f[i].y1) || (c0 >= f[j].y0 && c0 <= f[j].y1))
                    j++;
                else
                    break;
            }
            qsort(f + i, j - i, sizeof *f, cmp_frag_x);
            if (put_row(r, l, f + i, j - i, p) != 0)
                goto out;
            i = j;
        }
        pg->first = first_row;
        pg->count = r->n - first_row;
    }
    for (size_t i = r->n; i-- > 0;) {    /* rows of a block are consecutive */
        lblock *b = &r->blocks[r->v[i].block];
        b->first = i;
        b->count++;
    }
    rc = 0;
out:
    free(x.strip.v);
    free(x.common.v);
    free(x.tmp.v);
    free(x.w);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Step 2: running headers, footers, page numbers                            */
/* ------------------------------------------------------------------------ */

/* Rows at each end of a page that may be furniture. */
#define EDGE_ROWS 2

/* Does the page-number matcher see literal `lit` (ASCII, lower case) at
 * c[*i]?  Advances *i past it if so. */
static int m_lit(const uint32_t *c, size_t n, size_t *i, const char *lit)
{
    size_t k = *i;
    for (const char *p = lit; *p; p++, k++) {
        uint32_t x = k < n ? c[k] : 0;
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (x != (uint32_t)(unsigned char)*p)
            return 0;
    }
    *i = k;
    return 1;
}

/* One code point literal. */
static int m_cp(const uint32_t *c, size_t n, size_t *i, uint32_t want)
{
    if (*i < n && c[*i] == want) {
        (*i)++;
        return 1;
    }
    return 0;
}

/* 1 to 5 digits. */
static int m_num(const uint32_t *c, size_t n, size_t *i)
{
    size_t k = *i;
    while (k < n && k - *i < 6 && is_digit(c[k]))
        k++;
    if (k == *i || k - *i > 5)
        return 0;
    *i = k;
    return 1;
}

/* lead N 页: "第3页" (lead 第) or "共10页" (lead 共). */
static int m_ye(const uint32_t *c, size_t n, size_t *i, uint32_t lead)
{
    size_t k = *i;
    if (m_cp(c, n, &k, lead) && m_num(c, n, &k) && m_cp(c, n, &k, 0x9875)) {
        *i = k;
        return 1;
    }
    return 0;
}

/* An optional separator between the two halves of "第3页，共10页". */
static void m_sep(const uint32_t *c, size_t n, size_t *i)
{
    if (*i < n && (c[*i] == ',' || c[*i] == 0xFF0C || c[*i] == 0x3001 || c[*i] == ';' || c[*i] == 0xFF1B
                   || c[*i] == '/' || c[*i] == '|'))
        (*i)++;
}

/* Decoration around a page number: dashes, dots, brackets. */
static int is_deco(uint32_t c)
{
    return c == '-' || c == 0x2013 || c == 0x2014 || c == 0xFF0D || c == 0x2212 || c == 0x00B7
        || c == 0x2022 || c == '|' || c == '[' || c == ']' || c == '(' || c == ')' || c == 0xFF08
        || c == 0xFF09 || c == 0x3014 || c == 0x3015 || c == '<' || c == '>' || c == 0x300A
        || c == 0x300B || c == '{' || c == '}' || c == '*' || c == '_' || c == '~' || c == '.';
}

/* Is text[0..len) a page number: "3", "- 3 -", "第 3 页", "第3页 共10页",
 * "共10页 第3页", "3/10", "3 页", "Page 3", "Page 3 of 10", a small roman
 * numeral?  White space is ignored. */
static int is_page_number(const char *text, size_t len)
{
    uint32_t c[48];
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t k;
        uint32_t x = cp_at(text, len, i, &k);
        i += k;
        if (is_space(x) || x == 0x3000)
            continue;
        if (n == sizeof c / sizeof *c)
            return 0;
        c[n++] = x;
    }
    size_t a = 0, b = n;
    while (a < b && is_deco(c[a]))
        a++;
    while (b > a && is_deco(c[b - 1]))
        b--;
    if (a == b)
        return 0;
    const uint32_t *s = c + a;
    size_t m = b - a, i = 0;
    if (m_num(s, m, &i)) {                               /* 3, 3/10, 3 页 */
        if (i == m)
            return 1;
        if (m_cp(s, m, &i, '/') && m_num(s, m, &i) && i == m)
            return 1;
        i = 0;
        m_num(s, m, &i);
        return m_cp(s, m, &i, 0x9875) && i == m;
    }
    if (m_ye(s, m, &i, 0x7B2C)) {                        /* 第3页[，共10页] */
        m_sep(s, m, &i);
        return i == m || (m_ye(s, m, &i, 0x5171) && i == m);
    }
    if (m_ye(s, m, &i, 0x5171)) {                        /* 共10页 第3页 */
        m_sep(s, m, &i);
        return m_ye(s, m, &i, 0x7B2C) && i == m;
    }
    if (m_lit(s, m, &i, "page") || m_lit(s, m, &i, "p.")) {
        if (!m_num(s, m, &i))
            return 0;
        if (i == m)
            return 1;
        return m_lit(s, m, &i, "of") && m_num(s, m, &i) && i == m;
    }
    if (m <= 6) {                                        /* iv, XII */
        for (i = 0; i < m; i++)
            if (s[i] >= 128 || !memchr("ivxlIVXL", (int)s[i], 8))
                return 0;
        return 1;
    }
    return 0;
}

/* A row that may be furniture, with its key: the text without digits and
 * white space (a running header keeps its words, the page number in it
 * changes). */
typedef struct edge {
    size_t   key;                    /* start of the key in the keys' arena */
    size_t   len;                    /* bytes of key */
    size_t   row;                    /* index of the row */
    unsigned page;                   /* its page */
} edge;

/* qsort_r order of edges: by key (in the arena ctx), then page. */
static int cmp_edge(const void *a, const void *b, void *ctx)
{
    const edge *p = a, *q = b;
    const char *k = ctx;
    size_t n = p->len < q->len ? p->len : q->len;
    int c = memcmp(k + p->key, k + q->key, n);
    if (c)
        return c;
    if (p->len != q->len)
        return p->len < q->len ? -1 : 1;
    return p->page < q->page ? -1 : p->page > q->page;
}

/* Is row r within the top or bottom fifth of its page (always, when the
 * page size is unknown)? */
static int in_margin_zone(const lrow *r, const lpage *pg)
{
    if (pg->height <= 0)
        return 1;
    return r->y1 <= 0.2 * pg->height || r->y0 >= 0.8 * pg->height;
}

/* The median height of r's rows (0 when there are none), or -1 when out
 * of memory. */
static double rows_median_height(const rows *r)
{
    if (r->n == 0)
        return 0;
    double *hv = malloc(r->n * sizeof *hv);
    if (!hv)
        return -1;
    for (size_t i = 0; i < r->n; i++)
        hv[i] = r->v[i].y1 - r->v[i].y0;
    double h = median(hv, r->n, 0);
    free(hv);
    return h;
}

/* A row repeated on only two pages is a header when set at most this
 * fraction of the document's median row height on both. */
#define HEADER_HEIGHT_RATIO 0.9

/* Mark page numbers and running headers/footers among the first and last
 * EDGE_ROWS rows of each page.  A header/footer is a row whose key is not
 * empty and which appears on at least two pages and on more than half of
 * them.  But a repeat on only two pages (in a file of two or three pages)
 * cannot tell a header from the lines that open each part of a form set
 * (a form and its stub: the issuing body, the title), so such a row is a
 * header only where it is also set smaller than the body text
 * (HEADER_HEIGHT_RATIO of the median row, on both pages), as headers are
 * set.  Returns 0 or -1 (out of memory). */
static int mark_furniture(layout *l, rows *r)
{
    edge *e = NULL;
    size_t ne = 0, cap = 0;
    buf keys = BUF_INIT;
    int rc = -1;
    double body_h = rows_median_height(r);
    if (body_h < 0)
        return -1;
    for (unsigned p = 0; p < l->npages; p++) {
        const lpage *pg = &l->pages[p];
        for (size_t k = 0; k < pg->count; k++) {
            if (k >= EDGE_ROWS && k + EDGE_ROWS < pg->count)
                continue;
            lrow *row = &r->v[pg->first + k];
            const char *s = r->text.data + row->off;
            if (is_page_number(s, row->len)) {
                row->drop = 1;
                continue;
            }
            if (!in_margin_zone(row, pg) || l->npages < 2)
                continue;
            if (ARRAY_GROW(e, cap, ne + 1) != 0)
                goto out;
            size_t start = keys.len;
            for (size_t i = 0; i < row->len;) {
                size_t n;
                uint32_t c = cp_at(s, row->len, i, &n);
                if (!is_digit(c) && !is_space(c) && buf_append(&keys, s + i, n) != 0)
                    goto out;
                i += n;
            }
            if (keys.len == start)
                continue;
            e[ne].key = start;
            e[ne].len = keys.len - start;
            e[ne].row = pg->first + k;
            e[ne].page = p;
            ne++;
        }
    }
    if (ne > 0)
        qsort_r(e, ne, sizeof *e, cmp_edge, keys.data);
    for (size_t i = 0; i < ne;) {
        size_t j = i + 1;
        unsigned pages = 1;
        while (j < ne && e[j].len == e[i].len && memcmp(keys.data + e[j].key, keys.data + e[i].key, e[i].len) == 0) {
            if (e[j].page != e[j - 1].page)
                pages++;
            j++;
        }
        int header = 1;
        for (size_t k = i; k < j && pages == 2 && header; k++)
            header = r->v[e[k].row].y1 - r->v[e[k].row].y0 <= HEADER_HEIGHT_RATIO * body_h;
        if (pages >= 2 && 2 * pages > l->npages && header)
            for (size_t k = i; k < j; k++)
                r->v[e[k].row].drop = 1;
        i = j;
    }
    rc = 0;
out:
    free(e);
    buf_free(&keys);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Step 3: paragraphs                                                        */
/* ------------------------------------------------------------------------ */

/* Row heights are grouped into bins 15 % wide (MEAS_BINS of them, from
 * MEAS_BIN_MIN units up), so that the pitch of a document's 16 pt body is
 * not judged by the median pitch of its 9 pt tables. */
#define MEAS_BINS 80
#define MEAS_BIN_MIN 0.25

/* The body's measures, from the kept rows. */
typedef struct measures {
    double   h;                      /* median row height */
    double   pitch;                  /* median distance between the tops of consecutive rows */
    double   bin_pitch[MEAS_BINS];   /* median pitch between rows of about one height (bin); 0: too few */
} measures;

/* The height bin of rows of height h (clamped into 0..MEAS_BINS-1). */
static int height_bin(double h)
{
    if (!(h > MEAS_BIN_MIN))
        return 0;
    double b = floor(log(h / MEAS_BIN_MIN) / log(1.15));
    return b >= MEAS_BINS - 1 ? MEAS_BINS - 1 : (int)b;
}

/* The usual pitch between rows a and b of one page: the median pitch of
 * rows of their height when they are of about one height and at least
 * three pairs of that height were measured, the document's otherwise. */
static double pitch_for(const measures *m, const lrow *a, const lrow *b)
{
    double ha = a->y1 - a->y0, hb = b->y1 - b->y0;
    if (fabs(ha - hb) > 0.15 * fmax(ha, hb))
        return m->pitch;
    double bp = m->bin_pitch[height_bin((ha + hb) / 2)];
    return bp > 0 ? bp : m->pitch;
}

/* A pitch measured between two rows of one height bin. */
typedef struct bin_pitch {
    int      bin;                    /* height_bin of the two rows */
    double   pitch;                  /* distance between their tops */
} bin_pitch;

/* qsort order of bin_pitch: by bin, then by pitch. */
static int cmp_bin_pitch(const void *a, const void *b)
{
    const bin_pitch *x = a, *y = b;
    if (x->bin != y->bin)
        return x->bin < y->bin ? -1 : 1;
    return (x->pitch > y->pitch) - (x->pitch < y->pitch);
}

/* The body's edge among v[0..n) (n > 0; sorts v): the rightmost value (dir 1) or
 * the leftmost (dir -1) that at least max(2, n/10) values lie within h of,
 * so that a line sticking out of the margin does not move the edge; the
 * extreme itself when no value has that company. */
static double body_edge(double *v, size_t n, double h, int dir)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t need = n / 10 > 2 ? n / 10 : 2;
    /* v is sorted: the values within h of v[i] on its inner side are a
     * run ending (dir 1) or starting (dir -1) at i; j walks with i. */
    if (dir > 0) {
        size_t j = n;
        for (size_t i = n; i-- > 0;) {
            if (j > i + 1)
                j = i + 1;
            while (j > 0 && v[i] - v[j - 1] <= h)
                j--;
            if (i + 1 - j >= need)
                return v[i];
        }
        return v[n - 1];
    }
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (j < i)
            j = i;
        while (j < n && v[j] - v[i] <= h)
            j++;
        if (j - i >= need)
            return v[i];
    }
    return v[0];
}

/* Measure line height and pitch over the kept rows, and each page's left
 * and right body edge (edge(); pages with fewer than three rows take the
 * median edges of the others).  Returns 0 or -1 (out of memory). */
static int measure(layout *l, const rows *r, measures *m)
{
    size_t n = r->n ? r->n : 1;
    double *hv = malloc(n * sizeof *hv), *pv = malloc(n * sizeof *pv), *ev = malloc(n * sizeof *ev);
    double *lv = malloc((l->npages + 1) * sizeof *lv), *rv = malloc((l->npages + 1) * sizeof *rv);
    bin_pitch *bv = malloc(n * sizeof *bv);
    if (!hv || !pv || !ev || !lv || !rv || !bv) {
        free(hv), free(pv), free(ev), free(lv), free(rv), free(bv);
        return -1;
    }
    size_t nh = 0, np = 0, nl = 0, nb = 0;
    for (unsigned p = 0; p < l->npages; p++) {
        const lpage *pg = &l->pages[p];
        const lrow *prev = NULL;
        for (size_t k = 0; k < pg->count; k++) {
            const lrow *row = &r->v[pg->first + k];
            if (row->drop)
                continue;
            hv[nh++] = row->y1 - row->y0;
            if (prev && row->y0 > prev->y0) {
                pv[np++] = row->y0 - prev->y0;
                double ha = prev->y1 - prev->y0, hb = row->y1 - row->y0;
                if (fabs(ha - hb) <= 0.15 * fmax(ha, hb) && row->y0 - prev->y0 >= 0.5 * fmax(ha, hb))
                    bv[nb++] = (bin_pitch){ height_bin((ha + hb) / 2), row->y0 - prev->y0 };
            }
            prev = row;
        }
    }
    m->h = median(hv, nh, 10);
    if (m->h <= 0)
        m->h = 1;
    /* Pitches below half a line are fragments of one line or overprint. */
    size_t k = 0;
    for (size_t i = 0; i < np; i++)
        if (pv[i] >= 0.5 * m->h)
            pv[k++] = pv[i];
    m->pitch = median(pv, k, 1.2 * m->h);
    for (int b = 0; b < MEAS_BINS; b++)
        m->bin_pitch[b] = 0;
    qsort(bv, nb, sizeof *bv, cmp_bin_pitch);
    for (size_t i = 0, j; i < nb; i = j) {
        for (j = i; j < nb && bv[j].bin == bv[i].bin; j++)
            ;
        if (j - i >= 3)
            m->bin_pitch[bv[i].bin] = bv[i + (j - i) / 2].pitch;
    }
    free(bv);
    for (unsigned p = 0; p < l->npages; p++) {
        lpage *pg = &l->pages[p];
        size_t kept = 0;
        for (size_t i = 0; i < pg->count; i++)
            if (!r->v[pg->first + i].drop)
                ev[kept++] = r->v[pg->first + i].x0;
        pg->left = kept ? body_edge(ev, kept, m->h, -1) : NAN;
        kept = 0;
        for (size_t i = 0; i < pg->count; i++)
            if (!r->v[pg->first + i].drop)
                ev[kept++] = r->v[pg->first + i].x1;
        pg->right = kept ? body_edge(ev, kept, m->h, 1) : NAN;
        if (kept >= 3) {
            lv[nl] = pg->left;
            rv[nl++] = pg->right;
        }
    }
    double dl = median(lv, nl, NAN), dr = median(rv, nl, NAN);
    for (unsigned p = 0; p < l->npages; p++) {
        lpage *pg = &l->pages[p];
        size_t kept = 0;
        for (size_t i = 0; i < pg->count; i++)
            kept += !r->v[pg->first + i].drop;
        if (kept < 3 && !isnan(dl)) {
            pg->left = isnan(pg->left) ? dl : fmin(dl, pg->left);
            pg->right = isnan(pg->right) ? dr : fmax(dr, pg->right);
        }
    }
    /* A column has its own edges (from three rows up); any other block,
     * or a column too short to tell, has its page's. */
    for (size_t b = 0; b < r->nblocks; b++) {
        lblock *bl = &r->blocks[b];
        const lpage *pg = &l->pages[bl->page];
        bl->left = pg->left;
        bl->right = pg->right;
        if (!bl->column)
            continue;
        size_t kept = 0;
        for (size_t i = 0; i < bl->count; i++)
            if (!r->v[bl->first + i].drop)
                ev[kept++] = r->v[bl->first + i].x0;
        if (kept < 3)
            continue;
        bl->left = body_edge(ev, kept, m->h, -1);
        kept = 0;
        for (size_t i = 0; i < bl->count; i++)
            if (!r->v[bl->first + i].drop)
                ev[kept++] = r->v[bl->first + i].x1;
        bl->right = body_edge(ev, kept, m->h, 1);
    }
    free(hv), free(pv), free(ev), free(lv), free(rv);
    return 0;
}

/* Does row ending a line stop well short of its block's right edge, so that
 * it ends its paragraph?  A line ending in a CJK character or punctuation,
 * or in ". ! ? : ;", does when it stops two characters short; a Latin line
 * ending in a word only when it fills less than three quarters of the
 * width (ragged right margins). */
static int ends_short(const lrow *row, const lblock *pg, const char *text, double h)
{
    double width = pg->right - pg->left;
    if (row->x1 >= pg->right - 2 * h)
        return 0;
    uint32_t c = last_cp(text, row->len);
    if (joins_tight(c) || c == '.' || c == '!' || c == '?' || c == ':' || c == ';')
        return 1;
    return row->x1 - pg->left < 0.75 * width;
}

/* Does text[0..len) end a sentence (。！？ . ! ?, maybe followed by a
 * closing quote or bracket)? */
static int ends_sentence(const char *text, size_t len)
{
    while (len > 0) {
        size_t i = utf8_prev(text, 0, len), n;
        uint32_t c = cp_at(text, len, i, &n);
        if (c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F || c == ')' || c == 0xFF09 || c == '"') {
            len = i;
            continue;
        }
        return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '.' || c == '!' || c == '?';
    }
    return 0;
}

/* Append row text s[0..n) to the paragraph in p: no space where either
 * side of the break is a CJK character or punctuation, or the line ends in
 * a hyphen after a letter; a space otherwise. */
static int join_row(buf *p, const char *s, size_t n)
{
    if (p->len > 0) {
        size_t k;
        uint32_t a = last_cp(p->data, p->len), b = cp_at(s, n, 0, &k);
        int tight = joins_tight(a) || joins_tight(b);
        if (!tight && a == '-' && p->len >= 2) {
            uint32_t before = last_cp(p->data, p->len - 1);
            tight = uclass_of(before) == UC_WORD;
        }
        if (!tight && buf_putc(p, ' ') != 0)
            return -1;
    }
    return buf_append(p, s, n);
}

/* Where a paragraph being gathered goes on to a new page: off[i] is the
 * offset in the paragraph's text where page page[i] (0-based) begins. */
typedef struct page_turns {
    size_t   *off;                   /* offsets in the paragraph, ascending */
    unsigned *page;                  /* the page beginning there */
    size_t    n;                     /* turns recorded */
    size_t    cap;                   /* turns allocated */
} page_turns;

/* Record that page begins at offset off of the paragraph.  0 or -1 (memory). */
static int turn_add(page_turns *t, size_t off, unsigned page)
{
    if (t->n == t->cap) {            /* page keeps off's capacity: grown second, from the same cap */
        size_t cap = t->cap;
        if (ARRAY_GROW(t->page, cap, t->n + 1) != 0 || ARRAY_GROW(t->off, t->cap, cap) != 0)
            return -1;
    }
    t->off[t->n] = off;
    t->page[t->n++] = page;
    return 0;
}

/* Write paragraph p[0..n) to out: "\n\n" before it unless it is the first,
 * then the page starts up to its page (*marked counts the pages marked so
 * far), then its text (with the page starts of t where it goes over a page
 * break) with the autospacing removed (a space between a Han
 * character or CJK punctuation on one side and a Han character or a digit
 * on the other goes; other space runs become one space).  Returns 0 or -1
 * with err set. */
static int emit(reader_out *out, const char *p, size_t n, unsigned page, const page_turns *t,
                unsigned *marked, ps_err *err)
{
    if (n == 0)
        return 0;
    if (out->text.len > 0 && buf_eappend(err, &out->text, "\n\n", 2) != 0)
        return -1;
    while (*marked <= page) {
        if (reader_page_begin(out, err) != 0)
            return -1;
        (*marked)++;
    }
    uint32_t prev = 0;
    size_t next_turn = 0;
    for (size_t i = 0; i < n;) {
        /* The paragraph goes on over a page break here: the next page
         * begins at this point of the text, not at the next paragraph. */
        for (; next_turn < t->n && t->off[next_turn] <= i; next_turn++)
            while (*marked <= t->page[next_turn]) {
                if (reader_page_begin(out, err) != 0)
                    return -1;
                (*marked)++;
            }
        size_t k;
        uint32_t c = cp_at(p, n, i, &k);
        if (!is_space(c)) {
            if (buf_eappend(err, &out->text, p + i, k) != 0)
                return -1;
            prev = c;
            i += k;
            continue;
        }
        size_t j = i;
        while (j < n) {
            uint32_t d = cp_at(p, n, j, &k);
            if (!is_space(d))
                break;
            j += k;
        }
        uint32_t next = j < n ? cp_at(p, n, j, &k) : 0;
        int hp_a = is_han(prev) || is_cjk_punct(prev), hd_a = is_han(prev) || is_digit(prev);
        int hp_b = is_han(next) || is_cjk_punct(next), hd_b = is_han(next) || is_digit(next);
        int drop = (hp_a && hd_b) || (hd_a && hp_b);
        if (!drop && prev != 0 && next != 0 && buf_eputc(err, &out->text, ' ') != 0)
            return -1;
        i = j;
    }
    return 0;
}

/* Walk the kept rows in order and decide, between each row and the next,
 * whether the paragraph goes on: it ends at a vertical gap over 1.5 times
 * the usual pitch of rows of their height (pitch_for; same page), when the
 * next row is indented by more than a line height relative to this one's
 * text (measured from each block's left edge; a list item's lines hang at
 * the text after its mark), after a short line (ends_short),
 * and at a page break or a column turn (the next column of the page starts
 * above) after a line that ends a sentence, or at a page break when pages
 * in between have no text.  Otherwise the rows are joined (join_row),
 * across a page break or a column turn too. */
static int paragraphs(layout *l, const rows *r, const measures *m, reader_out *out, ps_err *err)
{
    buf para = BUF_INIT;
    page_turns turns = { NULL, NULL, 0, 0 };
    unsigned para_page = 0, marked = 0;
    const lrow *prev = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const lrow *row = &r->v[i];
        if (row->drop)
            continue;
        const char *s = r->text.data + row->off;
        int brk = 1;
        if (prev) {
            const lblock *pb = &r->blocks[prev->block], *cb = &r->blocks[row->block];
            double ind_prev = prev->text_x0 - pb->left, ind_cur = row->x0 - cb->left;
            int turn = row->page != prev->page
                || (row->block != prev->block && pb->column && cb->column && row->y0 < prev->y0 - 0.5 * m->h);
            brk = 0;
            if (!turn) {
                double pitch = row->y0 - prev->y0;
                if (pitch > 1.5 * pitch_for(m, prev, row) || pitch < -0.5 * m->h)
                    brk = 1;
            } else if (row->page > prev->page + 1 || ends_sentence(r->text.data + prev->off, prev->len)) {
                brk = 1;
            }
            if (ind_cur > ind_prev + m->h)
                brk = 1;
            if (ends_short(prev, pb, r->text.data + prev->off, m->h))
                brk = 1;
        }
        if (brk) {
            if (emit(out, para.data, para.len, para_page, &turns, &marked, err) != 0)
                goto fail;
            buf_clear(&para);
            turns.n = 0;
            para_page = row->page;
        } else if (row->page != prev->page && turn_add(&turns, para.len, row->page) != 0) {
            ps_err_nomem(err);
            goto fail;
        }
        if (join_row(&para, s, row->len) != 0) {
            ps_err_nomem(err);
            goto fail;
        }
        prev = row;
    }
    if (emit(out, para.data, para.len, para_page, &turns, &marked, err) != 0)
        goto fail;
    while (marked < l->npages) {
        if (reader_page_begin(out, err) != 0)
            goto fail;
        marked++;
    }
    buf_free(&para);
    free(turns.off);
    free(turns.page);
    return 0;
fail:
    buf_free(&para);
    free(turns.off);
    free(turns.page);
    return -1;
}

int layout_finish(layout *l, reader_out *out, ps_err *err)
{
    rows r = { NULL, 0, 0, BUF_INIT, NULL, 0, 0 };
    measures m;
    int rc = -1;
    if (build_rows(l, &r) != 0 || mark_furniture(l, &r) != 0 || measure(l, &r, &m) != 0) {
        ps_err_nomem(err);
        goto out;
    }
    if (buf_reserve(&out->text, r.text.len + r.n) != 0) {
        ps_err_nomem(err);
        goto out;
    }
    rc = paragraphs(l, &r, &m, out, err);
out:
    free(r.v);
    free(r.blocks);
    buf_free(&r.text);
    return rc;
}
