/* fuzz_ofd.c — libFuzzer harness for reader_ofd: reader_ofd.c (zip parts
 * through zipread.c, XML through libxml2) and the layout stage (layout.c)
 * behind it.
 *
 * An input starting with 'P' (a zip's "PK") is taken as the bytes of an
 * OFD file.  Any other input is taken as the Content.xml of page 1 and
 * wrapped, stored, in a fixed one-page OFD (OFD.xml, Doc_0/Document.xml)
 * built in memory with libzip, so that mutations reach the XML and layout
 * code instead of dying at the zip's CRC check.  Read with an 8 MB limit,
 * the result is checked as fuzz_reader.h says (text shape, page starts,
 * metadata; on failure a reason and nothing allocated).  The seed corpus
 * holds OFDs made by tests/fixtures/make-ofd.py (a seed's pages with
 * objects out of order and per-character objects, the DocRoot escape, the
 * entity bomb), a minimal one, and page Content.xml parts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <zip.h>

#include "fuzz_reader.h"

static const char ofd_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\" Version=\"1.1\" DocType=\"OFD\"><ofd:DocBody>"
    "<ofd:DocInfo><ofd:Title>fuzz</ofd:Title><ofd:CreationDate>2024-05-22</ofd:CreationDate></ofd:DocInfo>"
    "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>\n";
static const char document_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:CommonData>"
    "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
    "<ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:Pages></ofd:Document>\n";

/* Add name = data[0..len) (stored) to za; abort on failure (not a finding). */
static void add(zip_t *za, const char *name, const void *data, size_t len)
{
    zip_source_t *s = zip_source_buffer(za, data, len, 0);
    FUZZ_CHECK(s != NULL, "zip_source_buffer failed");
    zip_int64_t i = zip_file_add(za, name, s, ZIP_FL_OVERWRITE);
    FUZZ_CHECK(i >= 0, "zip_file_add %s failed", name);
    zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0);
}

/* The one-page OFD around content, in *out (malloc'd), its size in *len. */
static void wrap(const uint8_t *content, size_t size, uint8_t **out, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    FUZZ_CHECK(src != NULL, "zip_source_buffer_create failed");
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    FUZZ_CHECK(za != NULL, "zip_open_from_source failed");
    zip_source_keep(src);
    add(za, "OFD.xml", ofd_xml, sizeof ofd_xml - 1);
    add(za, "Doc_0/Document.xml", document_xml, sizeof document_xml - 1);
    add(za, "Doc_0/Pages/Page_0/Content.xml", content, size);
    FUZZ_CHECK(zip_close(za) == 0, "zip_close failed");
    zip_stat_t st;
    FUZZ_CHECK(zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0, "reading the zip back failed");
    *len = (size_t)st.size;
    *out = malloc(*len ? *len : 1);
    FUZZ_CHECK(*out != NULL, "out of memory");
    FUZZ_CHECK(zip_source_read(src, *out, st.size) == (zip_int64_t)st.size, "short read of the zip");
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *zipped = NULL;
    size_t zlen = size;
    const uint8_t *in = data;
    if (size == 0 || data[0] != 'P') {
        wrap(data, size, &zipped, &zlen);
        in = zipped;
    }
    reader_opts o = { .max_size = 8u << 20 };
    reader_out out = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    int rc = reader_ofd(in, zlen, &o, &out, &err);
    fuzz_check_reader(rc, &out, &err);
    reader_out_free(&out);
    free(zipped);
    return 0;
}
