/* reader.c — what the format readers share: detection, names, pages (reader.h). */
#include "reader.h"

#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "ocr.h"
#include "zipread.h"

static const char *const format_names[FMT_COUNT] = {
    "text", "html", "pdf", "docx", "doc", "ofd", "ole", "zip", "image"
};

/* Only the magic numbers decide; a zip is opened to look at its members,
 * since DOCX and OFD are both plain zips. */
enum doc_format reader_detect(const unsigned char *data, size_t len)
{
    if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
        return FMT_PDF;
    if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return FMT_DOC;
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
        ps_err err = PS_ERR_INIT;
        zipread *z = zipread_open(data, len, &err);
        if (!z) {
            /* Damaged (often cut short: no central directory).  The local
             * headers still name the members: let the reader say why. */
            if (memmem(data, len, "word/document.xml", 17))
                return FMT_DOCX;
            return memmem(data, len, "OFD.xml", 7) ? FMT_OFD : FMT_ZIP_OTHER;
        }
        enum doc_format f = zipread_has(z, "word/document.xml") ? FMT_DOCX
                          : zipread_has(z, "OFD.xml")           ? FMT_OFD
                                                                 : FMT_ZIP_OTHER;
        zipread_close(z);
        return f;
    }
    if (ocr_is_image(data, len))
        return FMT_IMAGE;
    return FMT_TEXT;
}

const char *reader_format_name(enum doc_format f)
{
    return (unsigned)f < FMT_COUNT ? format_names[f] : "?";
}

int reader_format_by_name(const char *name)
{
    for (int i = 0; i < FMT_COUNT; i++)
        if (strcmp(name, format_names[i]) == 0)
            return i;
    return -1;
}

int reader_page_begin(reader_out *out, ps_err *err)
{
    if (out->npages == out->cap_pages) {
        unsigned cap = out->cap_pages ? out->cap_pages * 2 : 16;
        size_t *p = realloc(out->page_start, cap * sizeof *p);
        if (!p)
            return ps_err_nomem(err), -1;
        out->page_start = p;
        out->cap_pages = cap;
    }
    out->page_start[out->npages++] = out->text.len;
    return 0;
}

/* Binary search for the last page starting at or before off. */
unsigned reader_page_of(const size_t *page_start, unsigned npages, size_t off)
{
    if (npages == 0)
        return 0;
    unsigned lo = 0, hi = npages;
    while (hi - lo > 1) {
        unsigned mid = lo + (hi - lo) / 2;
        if (page_start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 1;
}

void reader_out_free(reader_out *out)
{
    buf_free(&out->text);
    free(out->page_start);
    free(out->page_ocr);
    free(out->title);
    free(out->date);
    reader_out init = READER_OUT_INIT;
    *out = init;
}

/* Open the engine once per caller: the pointer lives in the caller's
 * options, so no state is kept here. */
ocr_engine *reader_ocr_engine(const reader_opts *o, ps_err *err)
{
    if (!o || !o->ocr || !o->engine) {
        ps_err_set(err, PS_USAGE, "OCR was not asked for");
        return NULL;
    }
    if (!*o->engine)
        *o->engine = ocr_open(err);
    return *o->engine;
}

/* Each image page becomes a layout page; every page is marked OCR'd. */
int reader_image(const unsigned char *data, size_t len, const reader_opts *o, reader_out *out, ps_err *err)
{
    if (!o || !o->ocr)
        return ps_err_set(err, PS_SKIP, "image (read it with --ocr)"), -1;
    ocr_engine *e = reader_ocr_engine(o, err);
    if (!e)
        return -1;
    layout *lay = layout_new();
    if (!lay)
        return ps_err_nomem(err), -1;
    if (o->ocr_page)
        o->ocr_page(o->ctx, 0, 1);
    int rc = ocr_image(e, data, len, lay, err) == 0 && layout_finish(lay, out, err) == 0 ? 0 : -1;
    layout_free(lay);
    if (o->ocr_page)
        o->ocr_page(o->ctx, 1, 1);
    if (rc == 0 && out->npages > 0) {
        out->page_ocr = malloc(out->npages);
        if (out->page_ocr) {
            memset(out->page_ocr, 1, out->npages);
        } else {
            ps_err_nomem(err);
            rc = -1;
        }
    }
    if (rc == 0 && out->text.len == 0) {
        ps_err_set(err, PS_SKIP, "image: OCR found no text");
        rc = -1;
    }
    if (rc != 0)
        reader_out_free(out);
    return rc;
}
