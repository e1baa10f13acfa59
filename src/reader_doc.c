/* reader_doc.c — Word 97-2003 binary (.doc) and WPS Writer (.wps) → text (reader.h).
 *
 * Both are OLE2 compound files holding a WordDocument stream.  libgsf opens
 * the compound file; the text is found through the FIB (File Information
 * Block, at the start of WordDocument) and the piece table (the Pcdt in the
 * CLX, stored in the 0Table or 1Table stream as the FIB's fWhichTblStm
 * says).  Each piece maps a run of character positions (CPs) to bytes of
 * WordDocument: 8-bit characters (cp1252, "compressed", at fc/2) or UTF-16LE
 * (at fc).  [MS-DOC] 2.5.1 (FibBase), 2.5.6 (FibRgLw97), 2.8.35 (PlcPcd),
 * 2.9.177 (Pcd), 2.4.1 (retrieving text).
 *
 * Read: the main document (CPs 0..ccpText), then its footnotes and
 * endnotes, each story set off by a blank line.  Word's control characters
 * become the shape reader.h asks for: 0x0D paragraph end → blank line;
 * 0x07 cell end → line end, and a 0x07 right after a cell end (the row-end
 * mark) → blank line, so a cell is a line and a row a block (an empty cell
 * looks like a row end to this rule and splits its row: harmless for
 * search); 0x0B line break and 0x0E column break → line end; 0x0C page or
 * section break → blank line; fields 0x13 instructions 0x14 result 0x15
 * keep only the result; 0x01, 0x08 (objects), 0x02 (note marks), 0x05 and
 * other controls are dropped; a tab becomes a space, 0x1E
 * (no-break hyphen) '-', 0x1F (soft hyphen) nothing.
 *
 * Bounds: a stream is read only when its size fits in the file (an OLE2
 * stream is made of the file's sectors) and in opts->max_size; every FIB,
 * CLX and piece offset is checked against the stream it points into; the
 * pieces together read at most the stream's bytes, so the text is at most
 * one character per byte of WordDocument. */
#include "reader.h"

#include <stdlib.h>
#include <string.h>

#include <gsf/gsf-infile.h>
#include <gsf/gsf-infile-impl.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input.h>
#include <gsf/gsf-input-memory.h>

#define MAX_FIELDS 64                /* nested fields tracked; deeper ones count as instructions */

/* cp1252's 0x80..0x9F, as [MS-DOC] 2.4.1 maps "compressed" characters
 * (0 where cp1252 has no character: those stay as the byte value). */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

/* The text being produced, with the state of Word's control characters. */
typedef struct doc_walk {
    buf      *text;                  /* the output (reader_out.text) */
    int       pending;               /* break owed before the next character: 0, 1 line, 2 blank line */
    int       space;                 /* a space owed before the next character on this line */
    int       after_cell;            /* the previous control seen was a cell end (0x07) */
    unsigned  fld_depth;             /* open fields (0x13 without its 0x15) */
    uint64_t  fld_instr;             /* bit i: field i is still in its instruction part */
    unsigned  fld_hidden;            /* open fields in their instruction part (incl. past MAX_FIELDS) */
    uint32_t  high;                  /* a pending UTF-16 high surrogate, 0 if none */
} doc_walk;

/* Little-endian reads from p (the caller checked the bounds). */
static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
/* See le16. */
static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Owe a break of the given level (1 line, 2 blank line) before the next character. */
static void dw_break(doc_walk *w, int level)
{
    if (level > w->pending)
        w->pending = level;
    w->space = 0;
}

/* Write code point cp (visible, not white space) after what is owed.
 * Returns 0, or -1 when out of memory. */
static int dw_put(doc_walk *w, uint32_t cp)
{
    buf *b = w->text;
    if (b->len > 0 && w->pending) {
        if (buf_append(b, "\n\n", (size_t)w->pending) != 0)
            return -1;
    } else if (b->len > 0 && w->space && b->data[b->len - 1] != '\n') {
        if (buf_putc(b, ' ') != 0)
            return -1;
    }
    w->pending = 0;
    w->space = 0;
    return buf_put_utf8(b, cp);
}

/* Field characters: 0x13 opens a field in its instruction part, 0x14 moves
 * the innermost to its result, 0x15 closes it. */
static void dw_field(doc_walk *w, uint32_t c)
{
    if (c == 0x13) {
        if (w->fld_depth < MAX_FIELDS)
            w->fld_instr |= (uint64_t)1 << w->fld_depth;
        w->fld_depth++;
        w->fld_hidden++;
        return;
    }
    if (w->fld_depth == 0)
        return;                      /* a stray separator or end */
    unsigned top = w->fld_depth - 1;
    int instr = top >= MAX_FIELDS || (w->fld_instr >> top & 1);
    if (c == 0x14) {
        if (instr && top < MAX_FIELDS) {
            w->fld_instr &= ~((uint64_t)1 << top);
            w->fld_hidden--;
        }
    } else {
        if (instr)
            w->fld_hidden--;
        if (top < MAX_FIELDS)
            w->fld_instr &= ~((uint64_t)1 << top);
        w->fld_depth--;
    }
}

/* Take one UTF-16 code unit (or 8-bit character already mapped) of the
 * text.  Returns 0, or -1 when out of memory. */
static int dw_unit(doc_walk *w, uint32_t u)
{
    /* Surrogate pairs; a lone half becomes U+FFFD. */
    if (w->high) {
        uint32_t hi = w->high;
        w->high = 0;
        if (u >= 0xDC00 && u <= 0xDFFF)
            return w->fld_hidden ? 0 : dw_put(w, 0x10000 + ((hi - 0xD800) << 10) + (u - 0xDC00));
        if (!w->fld_hidden && dw_put(w, 0xFFFD) != 0)
            return -1;
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
        w->high = u;
        return 0;
    }
    if (u >= 0xDC00 && u <= 0xDFFF)
        u = 0xFFFD;
    if (u == 0x13 || u == 0x14 || u == 0x15) {
        dw_field(w, u);
        return 0;
    }
    if (w->fld_hidden)
        return 0;
    int cell = 0;
    switch (u) {
    case 0x0D:
    case 0x0C:
        dw_break(w, 2);
        break;
    case 0x07:
        dw_break(w, w->after_cell ? 2 : 1);
        cell = !w->after_cell;
        break;
    case 0x0B:
    case 0x0E:
        dw_break(w, 1);
        break;
    case 0x09:
    case 0x20:
        w->space = 1;
        return 0;
    case 0x1E:
        w->after_cell = 0;
        return dw_put(w, '-');
    default:
        if (u < 0x20 || u == 0x7F || u == 0xFEFF || (u >= 0x80 && u < 0xA0))
            return 0;
        w->after_cell = 0;
        return dw_put(w, u);
    }
    w->after_cell = cell;
    return 0;
}

/* Open the stream named child of ole: NULL when there is none, or NULL
 * with *gerr set when it cannot be opened.  (gsf_infile_child_by_name
 * would print a g_warning with no log domain for a damaged one: the class
 * method reports it in *gerr instead.) */
static GsfInput *open_child(GsfInfile *ole, const char *child, GError **gerr)
{
    GsfInfileClass *k = GSF_INFILE_CLASS(G_OBJECT_GET_CLASS(ole));
    int n = gsf_infile_num_children(ole);
    for (int i = 0; i < n && k->child_by_index; i++) {
        const char *name = gsf_infile_name_by_index(ole, i);
        if (name && strcmp(name, child) == 0)
            return k->child_by_index(ole, i, gerr);
    }
    return NULL;
}

/* Read the whole stream child of ole into *out (malloc'd, *n bytes); the
 * stream must fit in limit bytes.  Returns 0; 1 when there is no such
 * stream; -1 with err set. */
static int read_stream(GsfInfile *ole, const char *child, uint64_t limit, unsigned char **out,
                       size_t *n, ps_err *err)
{
    GError *gerr = NULL;
    GsfInput *in = open_child(ole, child, &gerr);
    if (!in && gerr) {
        ps_err_set(err, PS_INPUT, "damaged Word document: %s stream cannot be read (%s)", child,
                   gerr->message ? gerr->message : "?");
        g_error_free(gerr);
        return -1;
    }
    if (!in)
        return 1;
    gsf_off_t size = gsf_input_size(in);
    if (size < 0 || (uint64_t)size > limit) {
        g_object_unref(in);
        return ps_err_set(err, PS_INPUT, "damaged Word document: %s stream larger than the file", child), -1;
    }
    unsigned char *p = malloc((size_t)size + 1);
    if (!p) {
        g_object_unref(in);
        return ps_err_nomem(err), -1;
    }
    if (size > 0 && !gsf_input_read(in, (size_t)size, p)) {
        free(p);
        g_object_unref(in);
        return ps_err_set(err, PS_INPUT, "damaged Word document: %s stream cannot be read", child), -1;
    }
    g_object_unref(in);
    *out = p;
    *n = (size_t)size;
    return 0;
}

/* The piece table of a Word document. */
typedef struct pieces {
    const unsigned char *cps;        /* n+1 CPs (4 bytes each), ascending */
    const unsigned char *pcds;       /* n PCDs (8 bytes each) */
    uint32_t             n;          /* pieces */
} pieces;

/* Find the Pcdt in the CLX clx[0..len): skip Prc entries (0x01, size,
 * grpprl), then 0x02, lcb, PlcPcd.  Returns 0, or -1 with err set. */
static int find_pieces(const unsigned char *clx, size_t len, pieces *pt, ps_err *err)
{
    size_t i = 0;
    while (i < len && clx[i] == 0x01) {
        if (len - i < 3)
            break;
        uint16_t cb = le16(clx + i + 1);
        if (cb > len - i - 3)
            break;
        i += 3 + (size_t)cb;
    }
    if (i >= len || clx[i] != 0x02 || len - i < 5)
        return ps_err_set(err, PS_INPUT, "damaged Word document: no piece table"), -1;
    uint32_t lcb = le32(clx + i + 1);
    if (lcb > len - i - 5 || lcb < 16 || (lcb - 4) % 12 != 0)
        return ps_err_set(err, PS_INPUT, "damaged Word document: bad piece table"), -1;
    pt->n = (lcb - 4) / 12;
    pt->cps = clx + i + 5;
    pt->pcds = pt->cps + 4 * ((size_t)pt->n + 1);
    return 0;
}

/* Feed the characters of CPs [from, to) to w, piece by piece, from the
 * WordDocument bytes wd[0..wdn).  *budget is how many bytes of text may
 * still be read: pieces of a sound file never share bytes, so all the text
 * fits in the stream once, and pieces that point at the same bytes again
 * and again cannot multiply it.  Returns 0, or -1 with err set. */
static int read_cps(const pieces *pt, const unsigned char *wd, size_t wdn, uint32_t from, uint32_t to,
                    uint64_t *budget, doc_walk *w, ps_err *err)
{
    for (uint32_t k = 0; k < pt->n && from < to; k++) {
        uint32_t a = le32(pt->cps + 4 * (size_t)k), b = le32(pt->cps + 4 * ((size_t)k + 1));
        if (b <= a || b <= from)
            continue;
        if (a >= to)
            break;
        uint32_t s = a > from ? a : from, e = b < to ? b : to;
        uint32_t fcraw = le32(pt->pcds + 8 * (size_t)k + 2);
        int compressed = (fcraw >> 30) & 1;
        uint64_t fc = fcraw & 0x3FFFFFFFu;
        uint64_t start = compressed ? fc / 2 + (s - a) : fc + 2 * (uint64_t)(s - a);
        uint64_t bytes = (uint64_t)(e - s) * (compressed ? 1 : 2);
        if (start > wdn || bytes > wdn - start)
            return ps_err_set(err, PS_INPUT, "damaged Word document: a piece lies outside the text stream"), -1;
        if (bytes > *budget)
            return ps_err_set(err, PS_INPUT, "damaged Word document: the pieces hold more text than the stream"), -1;
        *budget -= bytes;
        const unsigned char *p = wd + start;
        for (uint32_t c = 0; c < e - s; c++) {
            uint32_t u;
            if (compressed) {
                u = p[c];
                if (u >= 0x80 && u < 0xA0 && cp1252_hi[u - 0x80])
                    u = cp1252_hi[u - 0x80];
            } else {
                u = le16(p + 2 * (size_t)c);
            }
            if (dw_unit(w, u) != 0)
                return ps_err_nomem(err), -1;
        }
        from = e;
    }
    return 0;
}

/* FIB fields this reader uses. */
typedef struct fib {
    uint16_t nfib;                   /* version of the file format */
    uint16_t flags;                  /* FibBase flags: fEncrypted 0x0100, fWhichTblStm 0x0200, fObfuscated 0x8000 */
    uint32_t ccp[9];                 /* FibRgLw97 ccpText .. ccpHdrTxbx (index 3.. of rgLw: text, ftn, hdd, mcr, atn, edn, txbx, hdrtxbx) */
    uint32_t fc_clx;                 /* offset of the CLX in the table stream */
    uint32_t lcb_clx;                /* its size */
} fib;

/* Parse the FIB at the start of wd[0..n).  Returns 0; -1 with err set
 * (PS_SKIP for encrypted or pre-97 documents, PS_INPUT when damaged). */
static int parse_fib(const unsigned char *wd, size_t n, fib *f, ps_err *err)
{
    if (n < 34 || le16(wd) != 0xA5EC)
        return ps_err_set(err, PS_INPUT, "damaged Word document: no Word header in WordDocument"), -1;
    f->nfib = le16(wd + 2);
    f->flags = le16(wd + 10);
    if (f->flags & 0x0100 || f->flags & 0x8000)
        return ps_err_set(err, PS_SKIP, "encrypted Word document: a password is needed"), -1;
    if (f->nfib < 0x00C0)
        return ps_err_set(err, PS_SKIP, "Word 95 or older document (format %u): not read", f->nfib), -1;
    size_t off = 32;
    uint16_t csw = le16(wd + off);
    off += 2 + 2 * (size_t)csw;
    if (off + 2 > n)
        goto short_fib;
    uint16_t cslw = le16(wd + off);
    off += 2;
    if (cslw < 11 || off + 4 * (size_t)cslw + 2 > n)
        goto short_fib;
    for (int i = 0; i < 8; i++)
        f->ccp[i] = le32(wd + off + 4 * (size_t)(3 + i));
    off += 4 * (size_t)cslw;
    uint16_t cb = le16(wd + off);
    off += 2;
    if (cb < 34 || off + 8 * (size_t)cb > n)
        goto short_fib;
    f->fc_clx = le32(wd + off + 8 * 33);
    f->lcb_clx = le32(wd + off + 8 * 33 + 4);
    return 0;
short_fib:
    return ps_err_set(err, PS_INPUT, "damaged Word document: FIB too short"), -1;
}

/* Read the stories of the document through its piece table. */
static int read_text(const unsigned char *wd, size_t wdn, const unsigned char *tbl, size_t tbln,
                     const fib *f, reader_out *out, ps_err *err)
{
    if (f->lcb_clx == 0 || f->fc_clx > tbln || f->lcb_clx > tbln - f->fc_clx)
        return ps_err_set(err, PS_INPUT, "damaged Word document: no piece table"), -1;
    pieces pt;
    if (find_pieces(tbl + f->fc_clx, f->lcb_clx, &pt, err) != 0)
        return -1;
    /* Stories in CP order: text, footnotes, headers, macro, annotations, endnotes. */
    uint64_t ftn = f->ccp[0], hdd = ftn + f->ccp[1];
    uint64_t edn = hdd + f->ccp[2] + f->ccp[3] + f->ccp[4], end = edn + f->ccp[5];
    if (end > UINT32_MAX)
        return ps_err_set(err, PS_INPUT, "damaged Word document: bad text lengths"), -1;
    const uint32_t range[3][2] = { { 0, (uint32_t)ftn }, { (uint32_t)ftn, (uint32_t)hdd },
                                   { (uint32_t)edn, (uint32_t)end } };
    doc_walk w;
    memset(&w, 0, sizeof w);
    w.text = &out->text;
    uint64_t budget = wdn;
    for (int i = 0; i < 3; i++) {
        if (read_cps(&pt, wd, wdn, range[i][0], range[i][1], &budget, &w, err) != 0)
            return -1;
        w.fld_depth = w.fld_hidden = 0;
        w.fld_instr = 0;
        w.high = 0;
        w.after_cell = 0;
        dw_break(&w, 2);
    }
    return 0;
}

/* Drop a message libgsf logs through GLib. */
static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    (void)domain; (void)level; (void)msg; (void)data;
}

/* libgsf reports damage it meets in a compound file through GLib's log
 * (g_return_if_fail criticals such as "ole_seek_block: assertion ...",
 * warnings), which would print to stderr; reader_doc reports the damage
 * itself, in one line, so libgsf's own domains are silenced.  Run once per
 * process (g_once); it touches only libgsf's log domains. */
static gpointer quiet_gsf(gpointer unused)
{
    (void)unused;
    const GLogLevelFlags all = G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION;
    g_log_set_handler("libgsf", all, drop_log, NULL);
    g_log_set_handler("libgsf:msole", all, drop_log, NULL);
    return NULL;
}

/* Open the compound file, find the Word streams, read the text. */
int reader_doc(const unsigned char *data, size_t len, const reader_opts *o, reader_out *out, ps_err *err)
{
    uint64_t limit = len;
    if (o && o->max_size && o->max_size < limit)
        limit = o->max_size;
    static GOnce quiet_once = G_ONCE_INIT;
    g_once(&quiet_once, quiet_gsf, NULL);
    GError *gerr = NULL;
    GsfInput *mem = gsf_input_memory_new(data, (gsf_off_t)len, FALSE);
    if (!mem)
        return ps_err_nomem(err), -1;
    GsfInfile *ole = gsf_infile_msole_new(mem, &gerr);
    g_object_unref(mem);
    if (!ole) {
        ps_err_set(err, PS_INPUT, "damaged OLE2 compound file%s%s", gerr ? ": " : "",
                   gerr && gerr->message ? gerr->message : "");
        if (gerr)
            g_error_free(gerr);
        return -1;
    }
    unsigned char *wd = NULL, *tbl = NULL;
    size_t wdn = 0, tbln = 0;
    fib f;
    memset(&f, 0, sizeof f);
    int rc = read_stream(ole, "WordDocument", limit, &wd, &wdn, err);
    if (rc == 1) {
        ps_err_set(err, PS_SKIP, "OLE2 file that is not a Word document (Excel? PowerPoint?)");
        rc = -1;
    }
    if (rc == 0)
        rc = parse_fib(wd, wdn, &f, err);
    if (rc == 0) {
        const char *tname = f.flags & 0x0200 ? "1Table" : "0Table";
        rc = read_stream(ole, tname, limit, &tbl, &tbln, err);
        if (rc == 1) {
            ps_err_set(err, PS_INPUT, "damaged Word document: no %s stream", tname);
            rc = -1;
        }
    }
    if (rc == 0)
        rc = read_text(wd, wdn, tbl, tbln, &f, out, err);
    free(wd);
    free(tbl);
    g_object_unref(ole);
    if (rc != 0)
        reader_out_free(out);
    return rc;
}
