/* reader_docx.c — Office Open XML word processing (.docx) → text (reader.h).
 *
 * The parts are read from the zip with zipread (each bounded by
 * opts->max_size) and parsed with libxml2's streaming xmlTextReader: no
 * network (XML_PARSE_NONET), no entity substitution (no XML_PARSE_NOENT),
 * no DTD loaded, errors collected instead of printed.  libxml2 (2.9+)
 * refuses entity amplification on its own, so a billion-laughs part fails
 * quickly as damaged XML; an entity reference that does parse is dropped.
 *
 * What becomes text: w:t (runs' text), w:tab → space, w:br / w:cr → line
 * break, w:noBreakHyphen → '-'; a paragraph (w:p) ends with a blank line;
 * inside a table (w:tbl) a paragraph ends a line and a row (w:tr) ends with
 * a blank line, so a cell is a line and a row a block.  Left out: deleted
 * and moved-away text (w:del, w:moveFrom), field instructions (w:instrText
 * and what lies between a fldChar "begin" and its "separate"), and the
 * fallback copy of mc:AlternateContent (mc:Fallback repeats mc:Choice).
 * The footnotes (word/footnotes.xml) and endnotes (word/endnotes.xml)
 * follow the body, each note a paragraph; separator notes carry no text;
 * a damaged notes part is left out (the body is still read).
 * docProps/core.xml gives dc:title and dcterms:created as fallback title
 * and date. */
#include "reader.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "zipread.h"

#define NS_W        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_W_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define NS_MC       "http://schemas.openxmlformats.org/markup-compatibility/2006"

#define MAX_DEPTH   512              /* element nesting tracked (libxml2 stops at 256 without XML_PARSE_HUGE) */
#define MAX_FIELDS  64               /* nested complex fields tracked; deeper ones count as instructions */
#define TITLE_MAX   400              /* bytes kept of a core-properties title */

/* What an open element means to the text walk. */
enum el_kind {
    EL_OTHER = 0,                    /* anything not listed below */
    EL_P,                            /* w:p, a paragraph */
    EL_TBL,                          /* w:tbl, a table */
    EL_TR,                           /* w:tr, a table row */
    EL_R,                            /* w:r, a run */
    EL_T,                            /* w:t, text of a run */
    EL_HIDE,                         /* w:del, w:moveFrom, w:instrText, w:delText, mc:Fallback: no text inside */
    EL_NOTE_SKIP                     /* a footnote/endnote of a w:type other than "normal" */
};

/* State of one part's walk. */
typedef struct walk {
    reader_out *out;                 /* where the text goes */
    int         pending;             /* break owed before the next text: 0, 1 = line, 2 = blank line */
    int         space;               /* a space owed before the next text on this line */
    unsigned    hide;                /* open elements that hide their text (EL_HIDE, EL_NOTE_SKIP) */
    unsigned    in_t;                /* open w:t elements not hidden */
    unsigned    tables;              /* open w:tbl elements */
    unsigned    fld_depth;           /* open complex fields (fldChar begin without end) */
    uint64_t    fld_instr;           /* bit i: field i is still in its instruction part */
    unsigned    fld_hidden;          /* open fields in their instruction part (incl. past MAX_FIELDS) */
    unsigned char kind[MAX_DEPTH];   /* the el_kind of the open element at each depth */
    char        xmlerr[160];         /* the first error libxml2 reported, "" if none */
} walk;

/* libxml2 2.12 made the error a pointer to const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_ptr;
#else
typedef xmlErrorPtr xml_error_ptr;
#endif

/* Record libxml2's first error in the walk (never printed). */
static void on_xml_error(void *ctx, xml_error_ptr e)
{
    walk *w = ctx;
    if (w->xmlerr[0] || !e)
        return;
    const char *m = e->message ? e->message : "XML error";
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    if (n > 100)
        n = 100;
    if (e->line > 0)
        snprintf(w->xmlerr, sizeof w->xmlerr, "line %d: %.*s", e->line, (int)n, m);
    else
        snprintf(w->xmlerr, sizeof w->xmlerr, "%.*s", (int)n, m);
    for (char *p = w->xmlerr; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

/* Owe a break of the given level (1 line, 2 blank line) before the next text. */
static void owe_break(walk *w, int level)
{
    if (level > w->pending)
        w->pending = level;
    w->space = 0;
}

/* Append UTF-8 text s[0..n) (valid: it comes from libxml2) to the output:
 * white space runs become one owed space, other controls are dropped, an
 * owed break or space is written before the first visible character.
 * Returns 0, or -1 when out of memory. */
static int put_text(walk *w, const char *s, size_t n)
{
    buf *b = &w->out->text;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            w->space = 1;
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            continue;
        if (b->len > 0 && w->pending) {
            if (buf_append(b, "\n\n", (size_t)w->pending) != 0)
                return -1;
            w->space = 0;
        } else if (b->len > 0 && w->space && b->data[b->len - 1] != '\n') {
            if (buf_putc(b, ' ') != 0)
                return -1;
        }
        w->pending = 0;
        w->space = 0;
        /* Copy the rest of this run of ordinary bytes at once. */
        size_t j = i + 1;
        while (j < n && (unsigned char)s[j] >= 0x20 && s[j] != ' ' && s[j] != 0x7f)
            j++;
        if (buf_append(b, s + i, j - i) != 0)
            return -1;
        i = j - 1;
    }
    return 0;
}

/* 1 if the namespace URI is WordprocessingML's (transitional or strict). */
static int is_w(const xmlChar *ns)
{
    return ns && (strcmp((const char *)ns, NS_W) == 0 || strcmp((const char *)ns, NS_W_STRICT) == 0);
}

/* The value of the WordprocessingML attribute name of the current element,
 * as a string to xmlFree, or NULL. */
static xmlChar *w_attr(xmlTextReaderPtr r, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttributeNs(r, BAD_CAST name, BAD_CAST NS_W);
    if (!v)
        v = xmlTextReaderGetAttributeNs(r, BAD_CAST name, BAD_CAST NS_W_STRICT);
    return v;
}

/* A complex field's fldChar: "begin" opens a field in its instruction
 * part, "separate" moves the innermost to its result, "end" closes it. */
static void on_fldchar(walk *w, xmlTextReaderPtr r)
{
    xmlChar *t = w_attr(r, "fldCharType");
    if (!t)
        return;
    if (strcmp((const char *)t, "begin") == 0) {
        if (w->fld_depth < MAX_FIELDS)
            w->fld_instr |= (uint64_t)1 << w->fld_depth;
        w->fld_depth++;
        w->fld_hidden++;
    } else if (w->fld_depth > 0) {
        unsigned top = w->fld_depth - 1;
        int instr = top >= MAX_FIELDS || (w->fld_instr >> top & 1);
        if (strcmp((const char *)t, "separate") == 0) {
            if (instr && top < MAX_FIELDS) {
                w->fld_instr &= ~((uint64_t)1 << top);
                w->fld_hidden--;
            }
        } else if (strcmp((const char *)t, "end") == 0) {
            if (instr)
                w->fld_hidden--;
            if (top < MAX_FIELDS)
                w->fld_instr &= ~((uint64_t)1 << top);
            w->fld_depth--;
        }
    }
    xmlFree(t);
}

/* Handle the start of an element at depth d (empty: it has no end tag).
 * Returns 0, or -1 when out of memory. */
static int on_start(walk *w, xmlTextReaderPtr r, int d, int empty)
{
    const char *ln = (const char *)xmlTextReaderConstLocalName(r);
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(r);
    enum el_kind k = EL_OTHER;
    if (!ln)
        return 0;
    if (is_w(ns)) {
        if (strcmp(ln, "p") == 0)
            k = EL_P;
        else if (strcmp(ln, "t") == 0)
            k = EL_T;
        else if (strcmp(ln, "tbl") == 0)
            k = EL_TBL;
        else if (strcmp(ln, "tr") == 0)
            k = EL_TR;
        else if (strcmp(ln, "del") == 0 || strcmp(ln, "moveFrom") == 0
                 || strcmp(ln, "instrText") == 0 || strcmp(ln, "delText") == 0
                 || strcmp(ln, "delInstrText") == 0)
            k = EL_HIDE;
        else if (strcmp(ln, "footnote") == 0 || strcmp(ln, "endnote") == 0) {
            xmlChar *t = w_attr(r, "type");
            if (t && strcmp((const char *)t, "normal") != 0)
                k = EL_NOTE_SKIP;
            xmlFree(t);
        } else if (strcmp(ln, "r") == 0)
            k = EL_R;
        if (strcmp(ln, "fldChar") == 0 && !w->hide)
            on_fldchar(w, r);
    } else if (ns && strcmp((const char *)ns, NS_MC) == 0 && strcmp(ln, "Fallback") == 0) {
        k = EL_HIDE;
    }
    if (d >= 0 && d < MAX_DEPTH)
        w->kind[d] = (unsigned char)k;
    if (k == EL_HIDE || k == EL_NOTE_SKIP)
        w->hide += !empty;
    else if (k == EL_T)
        w->in_t += !empty && !w->hide;
    else if (k == EL_TBL) {
        owe_break(w, 2);
        w->tables += !empty;
    } else if (k == EL_P && empty)
        owe_break(w, w->tables ? 1 : 2);
    return 0;
}

/* Handle the end of the element at depth d (or of an empty one just seen). */
static void on_end(walk *w, int d)
{
    enum el_kind k = d >= 0 && d < MAX_DEPTH ? (enum el_kind)w->kind[d] : EL_OTHER;
    switch (k) {
    case EL_HIDE:
    case EL_NOTE_SKIP:
        if (w->hide)
            w->hide--;
        break;
    case EL_T:
        if (w->in_t)
            w->in_t--;
        break;
    case EL_P:
        owe_break(w, w->tables ? 1 : 2);
        break;
    case EL_TR:
        owe_break(w, 2);
        break;
    case EL_TBL:
        if (w->tables)
            w->tables--;
        owe_break(w, 2);
        break;
    default:
        break;
    }
    if (d >= 0 && d < MAX_DEPTH)
        w->kind[d] = EL_OTHER;
}

/* The run-level elements that stand for a character: handled at their
 * start, when not hidden.  Returns 0, or -1 when out of memory. */
static int on_char_element(walk *w, xmlTextReaderPtr r, int d)
{
    const char *ln = (const char *)xmlTextReaderConstLocalName(r);
    if (!ln || !is_w(xmlTextReaderConstNamespaceUri(r)) || w->hide || w->fld_hidden)
        return 0;
    /* Only inside a run: w:tab also names a tab stop in w:tabs. */
    if (strcmp(ln, "tab") == 0 || strcmp(ln, "ptab") == 0) {
        if (d > 0 && d - 1 < MAX_DEPTH && w->kind[d - 1] == EL_R)
            w->space = 1;
    } else if (strcmp(ln, "br") == 0 || strcmp(ln, "cr") == 0) {
        owe_break(w, 1);
    } else if (strcmp(ln, "noBreakHyphen") == 0) {
        return put_text(w, "-", 1);
    }
    return 0;
}

/* Drop a message for libxml2's generic error channel. */
static void drop_generic(void *ctx, const char *msg, ...)
{
    (void)ctx; (void)msg;
}

/* libxml2's error handlers of the calling thread (they are thread-local). */
typedef struct xml_handlers {
    xmlGenericErrorFunc    gfunc;    /* the generic (printing) handler */
    void                  *gctx;     /* its context */
    xmlStructuredErrorFunc sfunc;    /* the structured handler */
    void                  *sctx;     /* its context */
} xml_handlers;

/* Route libxml2's errors that bypass the reader's own handler (encoding
 * conversion errors, "I/O error : encoder error") to on_xml_error for w,
 * so that nothing is printed; *saved keeps the handlers to put back. */
static void xml_quiet(walk *w, xml_handlers *saved)
{
    saved->gfunc = xmlGenericError;
    saved->gctx = xmlGenericErrorContext;
    saved->sfunc = xmlStructuredError;
    saved->sctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, drop_generic);
    xmlSetStructuredErrorFunc(w, on_xml_error);
}

/* Put back the handlers xml_quiet saved. */
static void xml_restore(const xml_handlers *saved)
{
    xmlSetGenericErrorFunc(saved->gctx, saved->gfunc);
    xmlSetStructuredErrorFunc(saved->sctx, saved->sfunc);
}

/* Parse one XML part (bytes x[0..n)) and add its text to w->out.  part
 * names it in messages.  Returns 0, or -1 with err set. */
static int walk_part(walk *w, const char *part, const char *x, size_t n, ps_err *err)
{
    if (n > INT_MAX)
        return ps_err_set(err, PS_INPUT, "%s: too large", part), -1;
    if (n == 0)
        return ps_err_set(err, PS_INPUT, "%s: empty", part), -1;
    xml_handlers saved;
    w->xmlerr[0] = '\0';
    xml_quiet(w, &saved);
    xmlTextReaderPtr r = xmlReaderForMemory(x, (int)n, part, NULL,
                                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r) {
        xml_restore(&saved);
        return ps_err_nomem(err), -1;
    }
    xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, w);
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        int d = xmlTextReaderDepth(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(r) == 1;
            if (on_start(w, r, d, empty) != 0 || on_char_element(w, r, d) != 0)
                goto nomem;
            if (empty)
                on_end(w, d);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            on_end(w, d);
        } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA
                    || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
                   && w->in_t && !w->hide && !w->fld_hidden) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            if (v && put_text(w, v, strlen(v)) != 0)
                goto nomem;
        }
    }
    xmlFreeTextReader(r);
    xml_restore(&saved);
    if (rc != 0)
        return ps_err_set(err, PS_INPUT, "%s: damaged XML (%s)", part,
                          w->xmlerr[0] ? w->xmlerr : "parse error"), -1;
    owe_break(w, 2);
    return 0;
nomem:
    xmlFreeTextReader(r);
    xml_restore(&saved);
    return ps_err_nomem(err), -1;
}

/* Collapse white space in s (in place) and trim it; cut it to at most max
 * bytes at a character boundary. */
static void tidy(char *s, size_t max)
{
    size_t o = 0;
    int sp = 0;
    for (size_t i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7f) {
            sp = o > 0;
            continue;
        }
        if (sp)
            s[o++] = ' ';
        sp = 0;
        s[o++] = (char)c;
    }
    if (o > max) {
        o = max;
        while (o > 0 && ((unsigned char)s[o] & 0xC0) == 0x80)
            o--;
    }
    s[o] = '\0';
}

/* Fallback metadata from docProps/core.xml: dc:title and the YYYY-MM-DD of
 * dcterms:created.  Best effort: a missing or damaged part gives nothing.
 * Returns 0, or -1 when out of memory. */
static int read_core(zipread *z, uint64_t max, reader_out *out)
{
    ps_err e = PS_ERR_INIT;
    buf x = BUF_INIT;
    if (!zipread_has(z, "docProps/core.xml"))
        return 0;
    if (zipread_get(z, "docProps/core.xml", max, &x, &e) != 0 || x.len > INT_MAX) {
        buf_free(&x);
        return e.code == PS_NOMEM ? -1 : 0;
    }
    walk w;
    xml_handlers saved;
    memset(&w, 0, sizeof w);
    xml_quiet(&w, &saved);
    xmlTextReaderPtr r = xmlReaderForMemory(x.data, (int)x.len, "docProps/core.xml", NULL,
                                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r) {
        xml_restore(&saved);
        buf_free(&x);
        return -1;
    }
    xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, &w);
    int which = 0, rc = 0;        /* which: 1 inside dc:title, 2 inside dcterms:created */
    buf title = BUF_INIT, date = BUF_INIT;
    while (rc == 0 && xmlTextReaderRead(r) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_ELEMENT && xmlTextReaderDepth(r) == 1) {
            const char *ln = (const char *)xmlTextReaderConstLocalName(r);
            const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
            which = 0;
            if (ln && ns && xmlTextReaderIsEmptyElement(r) != 1) {
                if (strcmp(ln, "title") == 0 && strcmp(ns, "http://purl.org/dc/elements/1.1/") == 0)
                    which = 1;
                else if (strcmp(ln, "created") == 0 && strcmp(ns, "http://purl.org/dc/terms/") == 0)
                    which = 2;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            which = 0;
        } else if (which && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA)) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            buf *b = which == 1 ? &title : &date;
            if (v && b->len < 4096 && buf_puts(b, v) != 0)
                rc = -1;
        }
    }
    xmlFreeTextReader(r);
    xml_restore(&saved);
    buf_free(&x);
    if (rc == 0 && title.len) {
        tidy(title.data, TITLE_MAX);
        if (title.data[0] && !(out->title = strdup(title.data)))
            rc = -1;
    }
    if (rc == 0 && date.len) {
        tidy(date.data, 64);
        const char *s = date.data;
        int ok = strlen(s) >= 10 && s[4] == '-' && s[7] == '-';
        for (int i = 0; ok && i < 10; i++)
            if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
                ok = 0;
        if (ok && !(out->date = strndup(s, 10)))
            rc = -1;
    }
    buf_free(&title);
    buf_free(&date);
    return rc;
}

/* libxml2 wants xmlInitParser called once before any parsing when
 * threads may parse at the same time (it is not reentrant before 2.11). */
static void init_libxml(void)
{
    xmlInitParser();
}

/* Read the body, then the notes, then the core properties. */
int reader_docx(const unsigned char *data, size_t len, const reader_opts *o, reader_out *out, ps_err *err)
{
    static const char *const parts[] = { "word/document.xml", "word/footnotes.xml", "word/endnotes.xml" };
    static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;
    pthread_once(&libxml_once, init_libxml);
    uint64_t max = o ? o->max_size : 0;
    zipread *z = zipread_open(data, len, err);
    if (!z) {
        if (err && err->code == PS_INPUT && strcmp(err->msg, "not a zip archive") == 0) {
            /* It was taken for a DOCX by its local headers: cut short. */
            ps_err_clear(err);
            ps_err_set(err, PS_INPUT, "damaged zip archive: no central directory (truncated?)");
        }
        return -1;
    }
    walk *w = calloc(1, sizeof *w);
    buf x = BUF_INIT;
    if (!w) {
        zipread_close(z);
        return ps_err_nomem(err), -1;
    }
    w->out = out;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (i > 0 && !zipread_has(z, parts[i]))
            continue;
        buf_clear(&x);
        size_t before = out->text.len;
        if (zipread_get(z, parts[i], max, &x, err) != 0
            || walk_part(w, parts[i], x.data ? x.data : "", x.len, err) != 0) {
            if (i == 0 || err->code != PS_INPUT)
                goto fail;
            /* Damaged notes cost the notes, not the body. */
            ps_err_clear(err);
            out->text.len = before;
            if (out->text.data)
                out->text.data[before] = '\0';
        }
        /* Each part starts from a clean state: a damaged one leaves nothing open. */
        reader_out *keep = w->out;
        memset(w, 0, sizeof *w);
        w->out = keep;
        w->pending = 2;
    }
    if (read_core(z, max, out) != 0) {
        ps_err_nomem(err);
        goto fail;
    }
    buf_free(&x);
    free(w);
    zipread_close(z);
    return 0;
fail:
    buf_free(&x);
    free(w);
    zipread_close(z);
    reader_out_free(out);
    return -1;
}
