/* reader_pdf.c — PDF to text with poppler-glib (reader.h).
 *
 * The document is opened from the caller's bytes (no copy, no file).  Each
 * page's text comes from poppler in its reading order, one line per '\n',
 * with a rectangle per character (poppler_page_get_text_layout); each line
 * goes to the layout stage (layout.h) with the box of its characters, and
 * layout makes the paragraphs.  poppler reports its own parse errors
 * through GLib at the INFO level, which GLib does not print unless asked
 * (G_MESSAGES_DEBUG), so nothing reaches the terminal from here.
 *
 * Scans (issue 17): a page without usable text (READER_SCAN_MAX_CHARS)
 * is, under opts->ocr, rendered at READER_OCR_DPI and read by OCR into the
 * same layout, on its own page; it is marked in out->page_ocr.  Without
 * opts->ocr it is counted in out->scan_pages (and a document with no text
 * at all is skipped: "no text layer (scanned?)").  A page whose OCR fails
 * (timed out, cannot be rendered) stays empty and the others are read.
 *
 * Bounds: at most PDF_MAX_PAGES pages are read, and the text gathered may
 * not pass opts->max_size; a document past either is refused (PS_INPUT)
 * rather than read in part.
 *
 * Fonts that cannot be mapped (issue 21): a CIDFont that is not embedded
 * needs its collection's CMaps (Adobe-GB1, -CNS1, -Japan1, -Korea1: Debian's
 * poppler-data); without them poppler shows none of its glyphs and says
 * "Missing language pack for 'Adobe-GB1' mapping" through GLib.  That
 * message is caught while the document is read, and a document left with
 * no text by it is skipped with that reason instead of "no text layer". */
#include "reader.h"

#include <math.h>
#include <poppler.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "layout.h"
#include "ocr.h"
#include "seal.h"

/* The collection named by poppler's last "Missing language pack for 'X'
 * mapping" while this thread reads a PDF (pdf_log), "" when none. */
static _Thread_local char missing_pack[32];
/* 1 while this thread reads a PDF, so that pdf_log records what it hears. */
static _Thread_local int reading_pdf;

/* GLib log handler for the "Poppler" domain: poppler's messages are
 * dropped, as GLib's default does at the INFO level, except that a missing
 * CMap collection is noted in missing_pack while this thread reads a PDF;
 * messages of other levels go to GLib's default handler. */
static void pdf_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    (void)data;
    static const char key[] = "Missing language pack for '";
    const char *p = msg && reading_pdf ? strstr(msg, key) : NULL;
    if (p) {
        p += sizeof key - 1;
        size_t n = strcspn(p, "'");
        if (n >= sizeof missing_pack)
            n = sizeof missing_pack - 1;
        memcpy(missing_pack, p, n);
        missing_pack[n] = '\0';
    }
    if ((level & G_LOG_LEVEL_MASK) & ~(G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
        g_log_default_handler(domain, level, msg, data);
}

/* Install pdf_log once per process. */
static void pdf_log_install(void)
{
    static gsize once = 0;
    if (g_once_init_enter(&once)) {
        g_log_set_handler("Poppler", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION, pdf_log, NULL);
        g_once_init_leave(&once, 1);
    }
}

/* Pages read at most: a page tree claiming more is hostile or absurd. */
#define PDF_MAX_PAGES 100000

/* The fragments of one page, in poppler's order, before they go to the
 * layout stage. */
typedef struct page_frags {
    layout_line *v;                  /* the fragments (text points into poppler's page text) */
    size_t      *first;              /* index of each fragment's first character in the boxes */
    size_t       n;                  /* fragments in v */
    size_t       cap;                /* fragments allocated in v */
    size_t       cap_first;          /* entries allocated in first */
} page_frags;

/* Append *ll, whose first character has box number ci, to pf.  Returns 0,
 * or -1 with err set. */
static int frags_push(page_frags *pf, const layout_line *ll, size_t ci, ps_err *err)
{
    if (ll->len == 0)
        return 0;
    if (ARRAY_EGROW(err, pf->v, pf->cap, pf->n + 1) != 0 ||
        ARRAY_EGROW(err, pf->first, pf->cap_first, pf->n + 1) != 0)
        return -1;
    pf->v[pf->n] = *ll;
    pf->first[pf->n++] = ci;
    return 0;
}

/* Gather the lines of one page into pf: text is poppler's page text, rects
 * its character boxes (n of them; a mismatch in count leaves the lines
 * past the last box without position, placed after the others).  A line
 * goes as one fragment per stretch of characters that stand less than
 * 0.3 character heights apart (wider than a word space): poppler sometimes
 * runs a line of one column on into the next column's line beside it
 * (when punctuation hangs into the gutter), and the layout stage orders
 * columns by the white between fragments.  Sets *chars to the number of
 * non-blank characters seen.  Returns 0, or -1 with err set. */
static int gather_page(page_frags *pf, const char *text, const PopplerRectangle *rects, guint n,
                     double page_h, size_t *chars, ps_err *err)
{
    size_t ci = 0;                   /* character index into rects */
    size_t line_ci = 0;              /* the index of line's first character */
    const char *line = text;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    int have_box = 0;
    for (const char *p = text;;) {
        if (*p == '\n' || *p == '\0') {
            if (p > line) {
                if (!have_box) {     /* no box: below the page, in text order */
                    x0 = 0, x1 = 1;
                    y0 = page_h + (double)ci, y1 = y0 + 1;
                }
                layout_line ll = { line, (size_t)(p - line), x0, y0, x1, y1 };
                if (frags_push(pf, &ll, line_ci, err) != 0)
                    return -1;
            }
            if (*p == '\0')
                return 0;
            line = ++p;
            line_ci = ++ci;
            have_box = 0;
            continue;
        }
        gunichar c = g_utf8_get_char_validated(p, -1);
        int valid = c != (gunichar)-1 && c != (gunichar)-2;
        if (valid && !g_unichar_isspace(c)) {
            (*chars)++;
            if (ci < n) {
                const PopplerRectangle *r = &rects[ci];
                double a = fmin(r->x1, r->x2), b = fmax(r->x1, r->x2);
                double t = fmin(r->y1, r->y2), u = fmax(r->y1, r->y2);
                if (have_box && a - x1 > 0.3 * fmax(u - t, y1 - y0)) {
                    /* white wider than a word space: the line so far is a fragment */
                    layout_line ll = { line, (size_t)(p - line), x0, y0, x1, y1 };
                    if (frags_push(pf, &ll, line_ci, err) != 0)
                        return -1;
                    line = p;
                    line_ci = ci;
                    have_box = 0;
                }
                if (!have_box) {
                    x0 = a, x1 = b, y0 = t, y1 = u;
                    have_box = 1;
                } else {
                    x0 = fmin(x0, a), x1 = fmax(x1, b);
                    y0 = fmin(y0, t), y1 = fmax(y1, u);
                }
            }
        }
        p = valid ? g_utf8_next_char(p) : p + 1;   /* an invalid byte: layout cleans it */
        ci++;
    }
}

/* Fragments of at most this many bytes may be pieces of a slanted line. */
#define SLANT_MAX_BYTES 24
/* Pages with more short fragments than this are not searched for them. */
#define SLANT_MAX_CANDIDATES 4000
/* Fewest pieces a slanted line has before it is taken for one. */
#define SLANT_MIN_PIECES 3

/* Non-horizontal text (issue 21: 文字横向, a text box turned by a CTM,
 * the arc of a seal).  poppler cuts a line whose baseline is not
 * horizontal into short pieces, each level, one after the other along the
 * slant: piece j starts where piece i ends (within 0.35 heights) but a
 * fraction of a line higher or lower (0.15 to 1.2 heights), which level
 * text never does (the next line of a paragraph starts back at the margin;
 * a column beside starts on the same baseline, across a gutter).  next[i]
 * is the piece after piece i (or SIZE_MAX): the nearest such start. */
static void slant_links(const page_frags *pf, const size_t *cand, size_t m, size_t *next)
{
    for (size_t a = 0; a < m; a++) {
        const layout_line *i = &pf->v[cand[a]];
        double best = 0;
        next[a] = SIZE_MAX;
        for (size_t b = 0; b < m; b++) {
            const layout_line *j = &pf->v[cand[b]];
            double h = fmax(i->y1 - i->y0, j->y1 - j->y0);
            double gap = fabs(j->x0 - i->x1);
            double dy = fabs((j->y0 + j->y1) / 2 - (i->y0 + i->y1) / 2);
            if (b == a || h <= 0 || gap > 0.35 * h || dy < 0.15 * h || dy > 1.2 * h)
                continue;
            if (next[a] == SIZE_MAX || gap < best) {
                next[a] = b;
                best = gap;
            }
        }
    }
}

/* The chain of slanted pieces that starts at candidate a (slant_links)
 * into chain (fragment indexes), walked through next; seen (m entries,
 * all 0 on entry and on return) stops a cycle.  Returns its length when
 * it has at least SLANT_MIN_PIECES pieces going one way (all up or all
 * down), else 0. */
static size_t slant_chain(const page_frags *pf, const size_t *cand, const size_t *next, size_t a,
                          unsigned char *seen, size_t *chain, size_t *walked)
{
    size_t len = 0, nw = 0;
    int dir = 0, same = 1;
    for (size_t b = a; b != SIZE_MAX && !seen[b]; b = next[b]) {
        seen[b] = 1;
        walked[nw++] = b;
        const layout_line *p = &pf->v[cand[b]];
        if (len > 0) {
            const layout_line *q = &pf->v[chain[len - 1]];
            int d = (p->y0 + p->y1) < (q->y0 + q->y1) ? -1 : 1;
            if (dir && d != dir)
                same = 0;
            dir = d;
        }
        chain[len++] = cand[b];
    }
    for (size_t w = 0; w < nw; w++)
        seen[walked[w]] = 0;
    return len >= SLANT_MIN_PIECES && same ? len : 0;
}

/* Runs of at most this many characters may be glyphs of a seal. */
#define SEAL_RUN_MAX 3

/* Circular seals (seal.h) on one page: set drop[i] (pf->n entries, 0 on
 * entry) for each short fragment (SEAL_RUN_MAX characters at most) whose
 * glyphs lie, at least half of them, on a seal's arc; rects are poppler's
 * n character boxes, numbered as pf->first counts.  Returns 0, or -1 with
 * err set. */
static int seal_frags(const page_frags *pf, const PopplerRectangle *rects, guint n,
                      unsigned char *drop, ps_err *err)
{
    seal_glyph *g = NULL;
    size_t *owner = NULL, ng = 0, cap_g = 0, cap_o = 0;
    unsigned char *on = NULL;
    int rc = -1;
    for (size_t f = 0; f < pf->n; f++) {
        const layout_line *ll = &pf->v[f];
        size_t ci = pf->first[f], start = ng, chars = 0;
        for (const char *p = ll->text, *e = ll->text + ll->len; p < e && chars <= SEAL_RUN_MAX; ci++) {
            gunichar c = g_utf8_get_char_validated(p, e - p);
            int valid = c != (gunichar)-1 && c != (gunichar)-2;
            if (valid && !g_unichar_isspace(c)) {
                chars++;
                if (ci >= n)
                    break;
                if (buf_grow_array((void **)&g, &cap_g, ng + 1, sizeof *g) != 0 ||
                    buf_grow_array((void **)&owner, &cap_o, ng + 1, sizeof *owner) != 0) {
                    ps_err_nomem(err);
                    goto out;
                }
                const PopplerRectangle *r = &rects[ci];
                double w = fabs(r->x2 - r->x1), h = fabs(r->y2 - r->y1);
                g[ng] = (seal_glyph){ (r->x1 + r->x2) / 2, (r->y1 + r->y2) / 2, fmax(w, h) };
                owner[ng++] = f;
            }
            p = valid ? g_utf8_next_char(p) : p + 1;
        }
        if (chars > SEAL_RUN_MAX || ng - start < chars)
            ng = start;              /* a longer run, or glyphs without a box: not a seal's */
        for (size_t k = start; k < ng; k++)
            if (!(g[k].size > 0))
                ng = start;
    }
    if (ng >= SEAL_MIN_GLYPHS) {
        if (!(on = calloc(ng, 1))) {
            ps_err_nomem(err);
            goto out;
        }
        if (seal_mark(g, ng, on, err) < 0)
            goto out;
        for (size_t k = 0; k < ng;) {
            size_t f = owner[k], all = 0, marked = 0;
            for (; k < ng && owner[k] == f; k++)
                all++, marked += on[k];
            drop[f] = 2 * marked >= all;
        }
    }
    rc = 0;
out:
    free(g);
    free(owner);
    free(on);
    return rc;
}

/* Send the page's fragments to lay but those drop marks (NULL: none),
 * the level ones in poppler's order; then each chain of slanted pieces (slant_chain) joined along its own
 * baseline into one line, placed below the page's text (past page_h), so
 * it reads as printed and stays out of the body's paragraphs.  Returns 0,
 * or -1 with err set. */
static int emit_page(layout *lay, const page_frags *pf, const unsigned char *drop, double page_h,
                     ps_err *err)
{
    size_t m = 0, *cand = NULL, *next = NULL, *chain = NULL, *walked = NULL;
    unsigned char *in_chain = NULL, *has_prev = NULL, *seen = NULL;
    buf joined = BUF_INIT;
    int rc = -1;
    for (size_t i = 0; i < pf->n; i++)
        m += pf->v[i].len <= SLANT_MAX_BYTES && !(drop && drop[i]);
    if (m > SLANT_MAX_CANDIDATES)
        m = 0;                       /* not searched: every fragment goes as it is */
    if (m > 0 && (!(cand = malloc(m * sizeof *cand)) || !(next = malloc(m * sizeof *next)) ||
                  !(chain = malloc(m * sizeof *chain)) || !(walked = malloc(m * sizeof *walked)) ||
                  !(in_chain = calloc(pf->n, 1)) || !(has_prev = calloc(m, 1)) || !(seen = calloc(m, 1)))) {
        ps_err_nomem(err);
        goto out;
    }
    if (m > 0) {
        size_t k = 0;
        for (size_t i = 0; i < pf->n; i++)
            if (pf->v[i].len <= SLANT_MAX_BYTES && !(drop && drop[i]))
                cand[k++] = i;
        slant_links(pf, cand, m, next);
        for (size_t a = 0; a < m; a++)
            if (next[a] != SIZE_MAX)
                has_prev[next[a]] = 1;
        for (size_t a = 0; a < m; a++) {
            size_t len = has_prev[a] ? 0 : slant_chain(pf, cand, next, a, seen, chain, walked);
            for (size_t c = 0; c < len; c++)
                in_chain[chain[c]] = 1;
        }
    }
    for (size_t i = 0; i < pf->n; i++)
        if (!(in_chain && in_chain[i]) && !(drop && drop[i]) && layout_add(lay, &pf->v[i], err) != 0)
            goto out;
    double below = page_h + (double)pf->n + 1;
    for (size_t a = 0; a < m; a++) {
        size_t len = has_prev[a] ? 0 : slant_chain(pf, cand, next, a, seen, chain, walked);
        if (len == 0)
            continue;
        buf_clear(&joined);
        for (size_t c = 0; c < len; c++)
            if (buf_append(&joined, pf->v[chain[c]].text, pf->v[chain[c]].len) != 0) {
                ps_err_nomem(err);
                goto out;
            }
        layout_line ll = { joined.data, joined.len, 0, below, 1, below + 1 };
        below += 2;
        if (layout_add(lay, &ll, err) != 0)
            goto out;
    }
    rc = 0;
out:
    free(cand);
    free(next);
    free(chain);
    free(walked);
    free(in_chain);
    free(has_prev);
    free(seen);
    buf_free(&joined);
    return rc;
}

/* Feed the lines of one page to lay (gather_page; the glyphs of a seal
 * dropped, seal_frags; then emit_page).  Sets *chars to the number of
 * non-blank characters seen.  Returns 0, or -1 with err set. */
static int feed_page(layout *lay, const char *text, const PopplerRectangle *rects, guint n,
                     double page_h, size_t *chars, ps_err *err)
{
    page_frags pf = { NULL, NULL, 0, 0, 0 };
    unsigned char *drop = NULL;
    int rc = gather_page(&pf, text, rects, n, page_h, chars, err);
    if (rc == 0 && pf.n > 0 && !(drop = calloc(pf.n, 1))) {
        ps_err_nomem(err);
        rc = -1;
    }
    if (rc == 0 && pf.n > 0)
        rc = seal_frags(&pf, rects, n, drop, err);
    if (rc == 0)
        rc = emit_page(lay, &pf, drop, page_h, err);
    free(drop);
    free(pf.v);
    free(pf.first);
    return rc;
}

/* Non-blank characters in poppler's page text. */
static size_t count_chars(const char *text)
{
    size_t n = 0;
    for (const char *p = text; p && *p;) {
        gunichar c = g_utf8_get_char_validated(p, -1);
        int valid = c != (gunichar)-1 && c != (gunichar)-2;
        n += valid && !g_unichar_isspace(c);
        p = valid ? g_utf8_next_char(p) : p + 1;
    }
    return n;
}

/* 1 when the page shows at least one image, else 0. */
static int has_image(PopplerPage *page)
{
    GList *m = poppler_page_get_image_mapping(page);
    int any = m != NULL;
    poppler_page_free_image_mapping(m);
    return any;
}

/* ocr_sink.page for a PDF page: the layout page was started already, at
 * the PDF's own page size. */
static int ocr_sink_page(void *ctx, double width, double height, ps_err *err)
{
    (void)ctx, (void)width, (void)height, (void)err;
    return 0;
}

/* ocr_sink.line: the recognised line goes to the layout. */
static int ocr_sink_line(void *ctx, const layout_line *line, ps_err *err)
{
    return layout_add(ctx, line, err);
}

/* Render page number pno (1-based) of npages and read it by OCR into lay,
 * whose current page it is.  Returns 1 when the page was read, 0 when its
 * OCR failed on this page alone (timed out, unrenderable: the page stays
 * empty), -1 with err set on an error that stops the document (no OCR in
 * this build, a model missing, out of memory). */
static int ocr_one_page(const reader_opts *o, PopplerPage *page, unsigned pno, unsigned npages,
                        layout *lay, ps_err *err)
{
    ocr_engine *e = reader_ocr_engine(o, err);
    if (!e)
        return -1;
    if (o->ocr_page)
        o->ocr_page(o->ctx, pno - 1, npages);
    ps_err perr = PS_ERR_INIT;
    ocr_bitmap bm = OCR_BITMAP_INIT;
    ocr_sink sink = { ocr_sink_page, ocr_sink_line, lay };
    int rc = ocr_render_pdf_page(page, READER_OCR_DPI, &bm, &perr) == 0
          && ocr_pixels(e, bm.pixels, bm.width, bm.height, 1, bm.bytes_per_line, bm.dpi, &sink, &perr) == 0;
    ocr_bitmap_free(&bm);
    if (o->ocr_page)
        o->ocr_page(o->ctx, pno, npages);
    if (!rc && perr.code != PS_SKIP && perr.code != PS_INPUT) {
        ps_err_set(err, perr.code, "%s", perr.msg);
        return -1;
    }
    return rc;
}

/* The document's Info Title and CreationDate into out->title / out->date
 * (YYYY-MM-DD), when present.  Returns 0, or -1 (out of memory). */
static int read_info(PopplerDocument *doc, reader_out *out)
{
    gchar *title = poppler_document_get_title(doc);
    if (title) {
        g_strstrip(title);
        if (*title && g_utf8_validate(title, -1, NULL)) {
            out->title = strdup(title);
            if (!out->title) {
                g_free(title);
                return -1;
            }
        }
        g_free(title);
    }
    GDateTime *dt = poppler_document_get_creation_date_time(doc);
    if (dt) {
        int y = g_date_time_get_year(dt);
        if (y >= 1900 && y <= 2199) {
            char d[16];
            snprintf(d, sizeof d, "%04d-%02d-%02d", y, g_date_time_get_month(dt),
                     g_date_time_get_day_of_month(dt));
            out->date = strdup(d);
            if (!out->date) {
                g_date_time_unref(dt);
                return -1;
            }
        }
        g_date_time_unref(dt);
    }
    return 0;
}

/* What reader_pdf's walk over the pages carries from one page to the next. */
typedef struct pdf_walk {
    const reader_opts *o;            /* the reader's options (may be NULL) */
    layout        *lay;              /* the layout the pages go into */
    unsigned char *page_ocr;         /* under o->ocr: which pages OCR read; else NULL */
    unsigned       npages;           /* pages in the document */
    unsigned       ocr_pages;        /* pages OCR read */
    unsigned       scan_pages;       /* pages with an image and (almost) no text */
    size_t         chars;            /* characters fed to the layout so far */
    size_t         bytes_seen;       /* bytes of text poppler gave so far */
} pdf_walk;

/* Read page i of doc into pw->lay: its text with its boxes, or under
 * o->ocr the rendering of a scan.  Returns 0, or -1 with the reason in *err. */
static int read_page(pdf_walk *pw, PopplerDocument *doc, int i, ps_err *err)
{
    uint64_t max = pw->o ? pw->o->max_size : 0;
    PopplerPage *page = poppler_document_get_page(doc, i);
    double w = 0, h = 0;
    if (page)
        poppler_page_get_size(page, &w, &h);
    if (layout_page(pw->lay, w, h, err) != 0) {
        if (page)
            g_object_unref(page);
        return -1;
    }
    if (!page)
        return 0;
    char *text = poppler_page_get_text(page);
    int frc = 0;
    if (count_chars(text) < READER_SCAN_MAX_CHARS && has_image(page)) {
        if (pw->page_ocr) {          /* a scan: its stray characters are read off the rendering */
            frc = ocr_one_page(pw->o, page, (unsigned)i + 1, pw->npages, pw->lay, err);
            if (frc > 0) {
                pw->page_ocr[i] = 1;
                pw->ocr_pages++;
            }
            frc = frc < 0 ? -1 : 0;
            g_free(text);
            text = NULL;
        }
        pw->scan_pages++;
    }
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    if (text && *text && !poppler_page_get_text_layout(page, &rects, &nrects))
        nrects = 0;
    if (text) {
        pw->bytes_seen += strlen(text);
        if (max && pw->bytes_seen > max)
            frc = ps_err_set(err, PS_INPUT, "PDF text is larger than the limit of %llu MB (--max-file-size)",
                             (unsigned long long)(max >> 20)) ? -1 : 0;
        else
            frc = feed_page(pw->lay, text, rects, nrects, h, &pw->chars, err);
    }
    g_free(rects);
    g_free(text);
    g_object_unref(page);
    return frc != 0 ? -1 : 0;
}

/* Open, walk the pages into a layout, finish it into out. */
int reader_pdf(const unsigned char *data, size_t len, const reader_opts *o, reader_out *out, ps_err *err)
{
    pdf_log_install();
    missing_pack[0] = '\0';
    reading_pdf = 1;
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *gerr = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    if (!doc) {
        if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
            ps_err_set(err, PS_SKIP, "encrypted PDF: a password is needed");
        else
            ps_err_set(err, PS_INPUT, "damaged PDF (%s)", gerr && gerr->message ? gerr->message : "unreadable");
        if (gerr)
            g_error_free(gerr);
        g_bytes_unref(bytes);
        reading_pdf = 0;
        return -1;
    }
    int rc = -1;
    layout *lay = layout_new();
    int npages = poppler_document_get_n_pages(doc);
    unsigned char *page_ocr = NULL;  /* under opts->ocr: which pages OCR read */
    if (!lay) {
        ps_err_nomem(err);
        goto out;
    }
    if (npages <= 0) {
        ps_err_set(err, PS_INPUT, "damaged PDF (no pages)");
        goto out;
    }
    if (npages > PDF_MAX_PAGES) {
        ps_err_set(err, PS_INPUT, "PDF claims %d pages, more than the %d read", npages, PDF_MAX_PAGES);
        goto out;
    }
    if (o && o->ocr && !(page_ocr = calloc((size_t)npages, 1))) {
        ps_err_nomem(err);
        goto out;
    }
    pdf_walk pw = { .o = o, .lay = lay, .page_ocr = page_ocr, .npages = (unsigned)npages };
    for (int i = 0; i < npages; i++)
        if (read_page(&pw, doc, i, err) != 0)
            goto out;
    size_t chars = pw.chars;
    unsigned ocr_pages = pw.ocr_pages, scan_pages = pw.scan_pages;
    if (chars == 0 && ocr_pages == 0 && missing_pack[0]) {
        ps_err_set(err, PS_SKIP, "its text is in CJK fonts that are not embedded (%s), and the CMaps "
                   "to read them are missing (Debian: install poppler-data)", missing_pack);
        goto out;
    }
    if (chars == 0 && ocr_pages == 0) {
        ps_err_set(err, PS_SKIP, page_ocr && scan_pages > 0 ? "no text layer, and OCR found no text"
                                                            : "no text layer (scanned?)");
        goto out;
    }
    if (layout_finish(lay, out, err) != 0)
        goto out;
    if (read_info(doc, out) != 0) {
        ps_err_nomem(err);
        goto out;
    }
    if (out->text.len == 0) {
        ps_err_set(err, PS_SKIP, "no text layer, and OCR found no text");
        goto out;
    }
    out->scan_pages = page_ocr ? 0 : scan_pages;
    if (ocr_pages > 0) {
        out->page_ocr = page_ocr;
        page_ocr = NULL;
    }
    rc = 0;
out:
    reading_pdf = 0;
    if (rc != 0)
        reader_out_free(out);
    free(page_ocr);
    layout_free(lay);
    g_object_unref(doc);
    g_bytes_unref(bytes);
    return rc;
}
