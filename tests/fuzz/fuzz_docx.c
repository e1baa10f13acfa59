/* fuzz_docx.c — libFuzzer harness for reader_docx (reader_docx.c, zipread.c,
 * libzip, libxml2's xmlTextReader).
 *
 * An input starting "PK" is read as a whole DOCX file.  Any other input is
 * split at its NUL bytes into the XML parts word/document.xml,
 * word/footnotes.xml, word/endnotes.xml and docProps/core.xml (in that
 * order; missing ones absent, an empty one empty), stored in a zip made
 * here (tests/zipwrite.h), so that the fuzzer works on the XML rather than
 * on zip checksums.  max_size is 1 MB.  Checked: fuzz_reader_flow.h's contract,
 * that the text is no longer than the XML it came from allows (a few
 * bytes a part: no entity expansion), and that libxml2 prints nothing
 * (its generic error channel aborts). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/xmlerror.h>

#include "fuzz_reader_flow.h"
#include "../zipwrite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {
        "word/document.xml", "word/footnotes.xml", "word/endnotes.xml", "docProps/core.xml"
    };
    reader_opts o = { .max_size = 1u << 20 };
    reader_out out = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    int rc;
    /* Nothing may print: the reader swaps its own handlers in and out. */
    xmlSetGenericErrorFunc(NULL, fuzz_no_generic_error);
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        rc = reader_docx(data, size, &o, &out, &err);
        fuzz_check_reader(rc, &out, &err, 9 * (size_t)o.max_size + 64);
        return 0;
    }
    zw_member m[4];
    size_t nm = 0, start = 0;
    for (size_t i = 0; i <= size && nm < 4; i++)
        if (i == size || data[i] == 0) {
            m[nm].name = names[nm];
            m[nm].data = (const char *)data + start;
            m[nm].len = i - start;
            m[nm].declared = 0;
            nm++;
            start = i + 1;
        }
    buf z = BUF_INIT;
    if (zw_build(&z, m, nm, 0) != 0) {
        buf_free(&z);
        return 0;
    }
    rc = reader_docx((const unsigned char *)z.data, z.len, &o, &out, &err);
    /* Every output byte comes from a character of the XML text or is one
     * of at most two break bytes written before it. */
    fuzz_check_reader(rc, &out, &err, 3 * size + 64);
    buf_free(&z);
    return 0;
}
