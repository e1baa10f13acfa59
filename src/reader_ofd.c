/* reader_ofd.c — OFD (GB/T 33190-2016) to text (reader.h).
 *
 * An OFD file is a zip archive of XML parts:
 *   OFD.xml            ofd:OFD/ofd:DocBody: ofd:DocInfo (Title, CreationDate)
 *                      and ofd:DocRoot, the path of the document's root part
 *                      (or of its folder, holding Document.xml: libofd);
 *   Doc_0/Document.xml ofd:Document: ofd:CommonData/ofd:PageArea/ofd:PhysicalBox
 *                      (the default page size) and ofd:Pages/ofd:Page@BaseLoc,
 *                      each page's content part, in page order;
 *   .../Content.xml    ofd:Page: an optional ofd:Area/ofd:PhysicalBox, and
 *                      ofd:Content/ofd:Layer (ofd:PageBlock nests) holding
 *                      ofd:TextObject elements: Boundary "x y w h" places the
 *                      object on the page (mm), an optional CTM "a b c d e f"
 *                      maps its own space into the boundary, Size is the font
 *                      size; each ofd:TextCode child has X, Y (the baseline of
 *                      its first character, in the object's space), DeltaX
 *                      (advances between characters, "g N v" for N times v)
 *                      and the characters.
 * Every TextCode becomes one or more positioned fragments (a new one where
 * an advance is much wider than a character) for the layout stage, which
 * orders them by position: producers do not always write objects in
 * reading order.  Templates and annotations are not read.
 *
 * Safety: every part name is resolved with zipread_resolve (a reference
 * that climbs out of the archive is refused, never looked up); parts are
 * read bounded, and all parts together may not inflate past
 * opts->max_size; libxml2 parses without network access, without entity
 * substitution and without loading DTDs, and a part that declares a DTD
 * (no OFD part needs one; entity bombs need one) is refused before it is
 * parsed.  Text and attribute values are read from their text nodes only,
 * so an entity reference is never expanded. */
#include "reader.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "layout.h"
#include "utf8.h"
#include "zipread.h"

/* Pages read at most. */
#define OFD_MAX_PAGES 100000
/* Longest part name handled. */
#define OFD_PATH_MAX 1024
/* Advances read per TextCode at most (the rest take the font's width). */
#define OFD_MAX_DELTAS 65536

/* What one reading needs: the archive, the budget, the scratch buffers. */
typedef struct ofd_ctx {
    zipread    *z;                   /* the archive */
    uint64_t    max;                 /* bytes all parts together may inflate to; 0 = no limit */
    uint64_t    used;                /* bytes inflated so far */
    buf         part;                /* the bytes of the part being parsed */
    buf         tmp;                 /* scratch for text and attribute values */
    double     *deltas;              /* advances of the TextCode being read (DeltaX) */
    size_t      cap_deltas;          /* entries allocated in deltas */
    double     *deltas_y;            /* its vertical advances (DeltaY) */
    size_t      cap_deltas_y;        /* entries allocated in deltas_y */
    layout     *lay;                 /* the lines gathered */
    ps_err     *err;                 /* where errors go */
} ofd_ctx;

/* ------------------------------------------------------------------------ */
/* XML helpers                                                               */
/* ------------------------------------------------------------------------ */

/* Is n an element with local name `name` (any namespace or prefix)? */
static int is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The first element child of n named name, or NULL. */
static xmlNode *child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_el(c, name))
            return c;
    return NULL;
}

/* Collect the text-node children of list into ctx->tmp (replacing what it
 * held): entity references are skipped, never expanded.  Returns the
 * NUL-terminated text, or NULL when out of memory (err set). */
static const char *text_of(ofd_ctx *c, const xmlNode *list)
{
    buf_clear(&c->tmp);
    if (buf_reserve(&c->tmp, 1) != 0)
        return ps_err_nomem(c->err), NULL;
    c->tmp.data[0] = '\0';
    for (const xmlNode *t = list; t; t = t->next)
        if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content
            && buf_puts(&c->tmp, (const char *)t->content) != 0)
            return ps_err_nomem(c->err), NULL;
    return c->tmp.data;
}

/* The value of attribute name of element n (text nodes only) in ctx->tmp,
 * or NULL when n has no such attribute or memory ran out (then err set). */
static const char *attr(ofd_ctx *c, const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0)
            return text_of(c, a->children);
    return NULL;
}

/* Parse up to want numbers from s into v (separated by blanks or commas);
 * returns how many were read.  Non-finite values count as 0. */
static size_t numbers(const char *s, double *v, size_t want)
{
    size_t k = 0;
    while (s && *s && k < want) {
        char *end;
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == ',')
            s++;
        if (!*s)
            break;
        double x = strtod(s, &end);
        if (end == s)
            break;
        v[k++] = isfinite(x) ? x : 0;
        s = end;
    }
    return k;
}

/* Read part name (already resolved) and parse it.  Refuses a part over the
 * remaining budget, one that declares a DTD, and one that is not
 * well-formed XML.  Returns the document (xmlFreeDoc it), or NULL with
 * err set. */
static xmlDoc *read_part(ofd_ctx *c, const char *name)
{
    uint64_t left = 0;
    if (c->max) {
        if (c->used >= c->max)
            return ps_err_set(c->err, PS_INPUT, "OFD parts inflate past the limit of %llu MB (--max-file-size)",
                              (unsigned long long)(c->max >> 20)), NULL;
        left = c->max - c->used;
    }
    buf_clear(&c->part);
    if (zipread_get(c->z, name, left, &c->part, c->err) != 0)
        return NULL;
    c->used += c->part.len;
    if (c->part.len > INT32_MAX)
        return ps_err_set(c->err, PS_INPUT, "%s: too large", name), NULL;
    if (c->part.len && memmem(c->part.data, c->part.len, "<!DOCTYPE", 9))
        return ps_err_set(c->err, PS_INPUT, "%s: declares a DTD (refused: no OFD part needs one)", name), NULL;
    xmlDoc *d = xmlReadMemory(c->part.data ? c->part.data : "", (int)c->part.len, NULL, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    if (!d)
        return ps_err_set(c->err, PS_INPUT, "%s: not well-formed XML", name), NULL;
    if (d->intSubset || d->extSubset) {
        xmlFreeDoc(d);
        return ps_err_set(c->err, PS_INPUT, "%s: declares a DTD (refused: no OFD part needs one)", name), NULL;
    }
    if (!xmlDocGetRootElement(d)) {
        xmlFreeDoc(d);
        return ps_err_set(c->err, PS_INPUT, "%s: empty XML part", name), NULL;
    }
    return d;
}

/* Resolve reference ref made in part base into out (OFD_PATH_MAX bytes).
 * A reference out of the archive is refused (PS_INPUT naming what
 * referred to it, the reference printed with its odd bytes as '?').
 * Returns 0 or -1. */
static int resolve(ofd_ctx *c, const char *base, const char *what, const char *ref, char *out)
{
    while (*ref == ' ' || *ref == '\t' || *ref == '\n' || *ref == '\r')
        ref++;
    if (*ref && zipread_resolve(base, ref, out, OFD_PATH_MAX) == 0) {
        size_t n = strlen(out);
        while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == '\t'))
            out[--n] = '\0';
        if (n > 0)
            return 0;
    }
    char shown[80];
    size_t k = 0;
    for (const char *p = ref; *p && k + 1 < sizeof shown; p++)
        shown[k++] = (unsigned char)*p < 0x20 || *p == 0x7F ? '?' : *p;
    shown[k] = '\0';
    return ps_err_set(c->err, PS_INPUT, "%s: %s \"%s\" points outside the archive (refused)", base, what,
                      shown), -1;
}

/* When the part out (OFD_PATH_MAX bytes) is missing but names a folder
 * holding `file` (a DocRoot "Doc_0" for Doc_0/Document.xml, a BaseLoc
 * "Pages/Page_0" for its Content.xml, as libofd's samples write them),
 * make out that file's name. */
static void folder_part(ofd_ctx *c, char *out, const char *file)
{
    if (zipread_has(c->z, out))
        return;
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '/')
        n--;
    size_t fl = strlen(file);
    if (n + 1 + fl + 1 > OFD_PATH_MAX)
        return;
    char alt[OFD_PATH_MAX];
    memcpy(alt, out, n);
    alt[n] = '/';
    memcpy(alt + n + 1, file, fl + 1);
    if (zipread_has(c->z, alt))
        memcpy(out, alt, strlen(alt) + 1);
}

/* ------------------------------------------------------------------------ */
/* Text objects                                                              */
/* ------------------------------------------------------------------------ */

/* Expand DeltaX or DeltaY s ("1.5 3 g 4 3.5 2") into *arr (grown, *cap
 * entries allocated), at most max entries.  Returns how many, or
 * (size_t)-1 when out of memory. */
static size_t read_deltas(double **arr, size_t *cap, const char *s, size_t max)
{
    size_t n = 0;
    if (max > OFD_MAX_DELTAS)
        max = OFD_MAX_DELTAS;
    if (buf_grow_array((void **)arr, cap, max, sizeof **arr) != 0)
        return (size_t)-1;
    double *d = *arr;
    while (s && *s && n < max) {
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == ',')
            s++;
        if (!*s)
            break;
        if (*s == 'g') {
            double cnt, val;
            char *end;
            cnt = strtod(s + 1, &end);
            if (end == s + 1)
                break;
            s = end;
            val = strtod(s, &end);
            if (end == s)
                break;
            s = end;
            if (!isfinite(val))
                val = 0;
            for (double k = 0; k < cnt && n < max; k++)
                d[n++] = val;
            continue;
        }
        char *end;
        double x = strtod(s, &end);
        if (end == s)
            break;
        d[n++] = isfinite(x) ? x : 0;
        s = end;
    }
    return n;
}

/* The affine map of a text object: page = (a x + c y + e + bx, b x + d y + f + by). */
typedef struct ofd_map {
    double   m[6];                   /* a b c d e f of the CTM (identity when none) */
    double   bx, by;                 /* the Boundary's origin on the page */
    double   scale;                  /* sqrt|ad - bc|: how the CTM scales sizes */
} ofd_map;

/* Add characters text[from..to) of one TextCode as a fragment: the first
 * at local x0, the last ending at local x1, baseline y, font size size. */
static int add_fragment(ofd_ctx *c, const ofd_map *mp, const char *text, size_t from, size_t to,
                        double x0, double x1, double y, double size)
{
    if (to <= from)
        return 0;
    const double *m = mp->m;
    double px0 = m[0] * x0 + m[2] * y + m[4] + mp->bx, py0 = m[1] * x0 + m[3] * y + m[5] + mp->by;
    double px1 = m[0] * x1 + m[2] * y + m[4] + mp->bx, py1 = m[1] * x1 + m[3] * y + m[5] + mp->by;
    double h = size * mp->scale;
    double base = (py0 + py1) / 2;
    layout_line ll = { text + from, to - from, fmin(px0, px1), base - h, fmax(px0, px1), base + 0.2 * h };
    return layout_add(c->lay, &ll, c->err);
}

/* The width a character of font size size is taken to have when no
 * advance says: a full em for CJK, half of one otherwise. */
static double glyph_width(uint32_t cp, double size)
{
    return uclass_of(cp) == UC_CJK || cp >= 0x2E80 ? size : 0.5 * size;
}

/* One ofd:TextCode of an object with map mp and font size size; *pen
 * carries the position on from the previous TextCode of the object (X or
 * Y absent). */
static int read_textcode(ofd_ctx *c, const xmlNode *tc, const ofd_map *mp, double size, double pen[2])
{
    double x = pen[0], y = pen[1], v;
    const char *s = attr(c, tc, "X");
    if (s && numbers(s, &v, 1) == 1)
        x = v;
    s = attr(c, tc, "Y");
    if (s && numbers(s, &v, 1) == 1)
        y = v;
    if (c->err->code)
        return -1;
    /* Characters first (into part of tmp we keep), then DeltaX. */
    const char *t = text_of(c, tc->children);
    if (!t)
        return -1;
    size_t tlen = c->tmp.len;
    char *text = malloc(tlen + 1);
    if (!text)
        return ps_err_nomem(c->err), -1;
    memcpy(text, t, tlen + 1);
    size_t nchars = utf8_count(text, utf8_validate(text, tlen));
    size_t nd = 0, ndy = 0;
    s = attr(c, tc, "DeltaX");
    if (c->err->code) {
        free(text);
        return -1;
    }
    if (s && nchars > 1 && (nd = read_deltas(&c->deltas, &c->cap_deltas, s, nchars - 1)) == (size_t)-1) {
        free(text);
        return ps_err_nomem(c->err), -1;
    }
    s = attr(c, tc, "DeltaY");
    if (c->err->code) {
        free(text);
        return -1;
    }
    if (s && nchars > 1 && (ndy = read_deltas(&c->deltas_y, &c->cap_deltas_y, s, nchars - 1)) == (size_t)-1) {
        free(text);
        return ps_err_nomem(c->err), -1;
    }
    /* Walk the characters: a new fragment where the advance is far wider
     * than the character (text spread out by the producer), or goes back
     * (a TextCode that wraps: DeltaX returns to the left margin while
     * DeltaY moves down a line, as a producer writes one paragraph in one
     * TextCode); each fragment sits on the baseline of its first
     * character, so a wrapped line comes after the line above it.  Text
     * set vertically (DeltaY alone) stays one fragment. */
    size_t from = 0, k = 0;
    double fx0 = x, cx = x, cy = y, fy = y, last_w = 0;
    int rc = 0;
    for (size_t i = 0; i < tlen && rc == 0;) {
        uint32_t cp;
        int n = utf8_decode((const unsigned char *)text + i, tlen - i, &cp);
        size_t step = n > 0 ? (size_t)n : 1;
        double w = glyph_width(cp, size);
        if (k > 0) {
            double adv = k - 1 < nd ? c->deltas[k - 1] : last_w;
            double dy = k - 1 < ndy ? c->deltas_y[k - 1] : 0;
            double nx = cx + adv, ny = cy + dy;
            if (adv > 1.5 * last_w + 0.5 * size || adv < -0.5 * size) {
                rc = add_fragment(c, mp, text, from, i, fx0, cx + last_w, fy, size);
                from = i;
                fx0 = nx;
                fy = ny;
            }
            cx = nx;
            cy = ny;
        }
        last_w = w;
        k++;
        i += step;
    }
    if (rc == 0)
        rc = add_fragment(c, mp, text, from, tlen, fx0, cx + last_w, fy, size);
    pen[0] = cx + last_w;
    pen[1] = cy;
    free(text);
    return rc;
}

/* One ofd:TextObject: its Boundary, CTM and Size, then each TextCode. */
static int read_textobject(ofd_ctx *c, const xmlNode *obj)
{
    ofd_map mp = { { 1, 0, 0, 1, 0, 0 }, 0, 0, 1 };
    double b[4] = { 0, 0, 0, 0 }, size = 3.5, v;
    const char *s = attr(c, obj, "Boundary");
    if (s)
        numbers(s, b, 4);
    mp.bx = b[0];
    mp.by = b[1];
    s = attr(c, obj, "CTM");
    double m[6];
    if (s && numbers(s, m, 6) == 6) {
        memcpy(mp.m, m, sizeof m);
        double det = fabs(m[0] * m[3] - m[1] * m[2]);
        mp.scale = det > 0 ? sqrt(det) : 1;
    }
    s = attr(c, obj, "Size");
    if (s && numbers(s, &v, 1) == 1 && v > 0)
        size = v;
    if (c->err->code)
        return -1;
    double pen[2] = { 0, size };
    for (const xmlNode *tc = obj->children; tc; tc = tc->next)
        if (is_el(tc, "TextCode") && read_textcode(c, tc, &mp, size, pen) != 0)
            return -1;
    return 0;
}

/* Every TextObject under n (layers and page blocks nest), in document
 * order; the walk is iterative, so depth costs no stack. */
static int read_objects(ofd_ctx *c, xmlNode *top)
{
    xmlNode *n = top->children;
    while (n) {
        if (is_el(n, "TextObject")) {
            if (read_textobject(c, n) != 0)
                return -1;
        } else if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next && n != top)
            n = n->parent;
        if (!n || n == top)
            break;
        n = n->next;
    }
    return 0;
}

/* The page size in box (ofd:PhysicalBox "x y w h") into w, h when valid. */
static void read_box(ofd_ctx *c, const xmlNode *area, double *w, double *h)
{
    const xmlNode *box = child(area, "PhysicalBox");
    const char *s = box ? text_of(c, box->children) : NULL;
    double b[4];
    if (s && numbers(s, b, 4) == 4 && b[2] > 0 && b[3] > 0) {
        *w = b[2];
        *h = b[3];
    }
}

/* ------------------------------------------------------------------------ */
/* Document                                                                  */
/* ------------------------------------------------------------------------ */

/* DocInfo Title and CreationDate (when it is YYYY-MM-DD...) into out. */
static int read_docinfo(ofd_ctx *c, const xmlNode *info, reader_out *out)
{
    const xmlNode *t = child(info, "Title");
    const char *s = t ? text_of(c, t->children) : NULL;
    if (s) {
        while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
            s++;
        size_t n = strlen(s);
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
            n--;
        if (n > 0 && utf8_validate(s, n) == n && !(out->title = strndup(s, n)))
            return ps_err_nomem(c->err), -1;
    }
    t = child(info, "CreationDate");
    s = t ? text_of(c, t->children) : NULL;
    int y, mo, d;
    if (s && sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) == 3 && y >= 1900 && y <= 2199 && mo >= 1 && mo <= 12
        && d >= 1 && d <= 31) {
        char ymd[16];
        snprintf(ymd, sizeof ymd, "%04d-%02d-%02d", y, mo, d);
        if (!(out->date = strdup(ymd)))
            return ps_err_nomem(c->err), -1;
    }
    return c->err->code ? -1 : 0;
}

/* Read one page's content part into the layout. */
static int read_page(ofd_ctx *c, const char *name, double w, double h)
{
    xmlDoc *d = read_part(c, name);
    if (!d)
        return -1;
    xmlNode *root = xmlDocGetRootElement(d);
    read_box(c, child(root, "Area"), &w, &h);
    int rc = c->err->code ? -1 : layout_page(c->lay, w, h, c->err);
    xmlNode *content = child(root, "Content");
    if (rc == 0 && content)
        rc = read_objects(c, content);
    xmlFreeDoc(d);
    return rc;
}

/* OFD.xml → DocRoot → Document.xml → each page, into c->lay. */
static int read_ofd(ofd_ctx *c, reader_out *out)
{
    char docpath[OFD_PATH_MAX], pagepath[OFD_PATH_MAX];
    xmlDoc *top = read_part(c, "OFD.xml");
    if (!top)
        return -1;
    xmlNode *body = child(xmlDocGetRootElement(top), "DocBody");
    xmlNode *rootref = child(body, "DocRoot");
    const char *ref = rootref ? text_of(c, rootref->children) : NULL;
    int rc = -1;
    if (!ref) {
        if (!c->err->code)
            ps_err_set(c->err, PS_INPUT, "OFD.xml: no DocBody/DocRoot");
    } else if (resolve(c, "OFD.xml", "DocRoot", ref, docpath) == 0 && read_docinfo(c, child(body, "DocInfo"), out) == 0) {
        rc = 0;
    }
    xmlFreeDoc(top);
    if (rc != 0)
        return -1;

    folder_part(c, docpath, "Document.xml");
    xmlDoc *doc = read_part(c, docpath);
    if (!doc)
        return -1;
    xmlNode *root = xmlDocGetRootElement(doc);
    double w = 210, h = 297;                         /* A4 unless the document says */
    read_box(c, child(child(root, "CommonData"), "PageArea"), &w, &h);
    xmlNode *pages = child(root, "Pages");
    unsigned npages = 0;
    rc = c->err->code ? -1 : 0;
    for (xmlNode *p = pages ? pages->children : NULL; p && rc == 0; p = p->next) {
        if (!is_el(p, "Page"))
            continue;
        if (++npages > OFD_MAX_PAGES) {
            rc = ps_err_set(c->err, PS_INPUT, "%s: more than %d pages", docpath, OFD_MAX_PAGES) ? -1 : 0;
            break;
        }
        const char *loc = attr(c, p, "BaseLoc");
        if (!loc) {
            rc = ps_err_set(c->err, PS_INPUT, "%s: page %u has no BaseLoc", docpath, npages) ? -1 : 0;
            break;
        }
        rc = resolve(c, docpath, "BaseLoc", loc, pagepath);
        if (rc == 0)
            folder_part(c, pagepath, "Content.xml");
        if (rc == 0)
            rc = read_page(c, pagepath, w, h);
    }
    if (rc == 0 && npages == 0)
        rc = ps_err_set(c->err, PS_INPUT, "%s: no pages", docpath) ? -1 : 0;
    xmlFreeDoc(doc);
    return rc;
}

int reader_ofd(const unsigned char *data, size_t len, const reader_opts *o, reader_out *out, ps_err *err)
{
    ofd_ctx c;
    memset(&c, 0, sizeof c);
    c.max = o ? o->max_size : 0;
    c.err = err;
    c.z = zipread_open(data, len, err);
    if (!c.z)
        return -1;
    c.lay = layout_new();
    int rc = -1;
    if (!c.lay)
        ps_err_nomem(err);
    else if (read_ofd(&c, out) == 0 && layout_finish(c.lay, out, err) == 0)
        rc = 0;
    if (rc == 0 && out->text.len == 0) {
        ps_err_set(err, PS_SKIP, "no text layer (scanned?)");
        rc = -1;
    }
    if (rc != 0)
        reader_out_free(out);
    layout_free(c.lay);
    zipread_close(c.z);
    buf_free(&c.part);
    buf_free(&c.tmp);
    free(c.deltas);
    free(c.deltas_y);
    return rc;
}
