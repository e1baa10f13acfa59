/* reader_table.c — the readers as one table (reader.h): what the shared
 * module polsearch-readers.so exports, and what tests and fuzzers link in.
 * Also what the readers share that needs their libraries: the zip
 * dispatch (libzip) and OCR's engine and images (Tesseract). */
#include "reader.h"

#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "ocr.h"
#include "zipread.h"

/* Tell DOCX from OFD by the archive's members; a damaged archive goes by
 * the member names its local headers still show. */
static int reader_zip(const unsigned char *data, size_t len, const reader_opts *o, reader_out *out, ps_err *err)
{
    ps_err zerr = PS_ERR_INIT;
    zipread *z = zipread_open(data, len, &zerr);
    enum doc_format f;
    if (!z) {
        if (zerr.code == PS_NOMEM)
            return ps_err_nomem(err), -1;
        f = memmem(data, len, "word/document.xml", 17) ? FMT_DOCX
          : memmem(data, len, "OFD.xml", 7)            ? FMT_OFD : FMT_ZIP_OTHER;
    } else {
        f = zipread_has(z, "word/document.xml") ? FMT_DOCX
          : zipread_has(z, "OFD.xml")           ? FMT_OFD : FMT_ZIP_OTHER;
        zipread_close(z);
    }
    out->format = f;
    if (f == FMT_DOCX)
        return reader_docx(data, len, o, out, err);
    if (f == FMT_OFD)
        return reader_ofd(data, len, o, out, err);
    return ps_err_set(err, PS_SKIP, "zip archive that is neither DOCX nor OFD"), -1;
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

/* ocr_close with the table's signature. */
static void close_engine(ocr_engine *e)
{
    ocr_close(e);
}

const reader_table *polsearch_reader_table(void)
{
#define READER_SLOT(value, name, reader, type, indexed) [value] = reader,
    static const reader_table table = {
        .read = { READER_FORMATS(READER_SLOT) },
        .ocr_available = ocr_available,
        .ocr_close = close_engine,
    };
    return &table;
}

#ifndef POLSEARCH_READER_MODULE
/* Linked in (tests, fuzzers): the table is right here. */
const reader_table *reader_table_get(ps_err *err)
{
    (void)err;
    return polsearch_reader_table();
}
#endif
