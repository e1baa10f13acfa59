/* fuzz_pdf.c — libFuzzer harness for reader_pdf: reader_pdf.c on
 * poppler-glib (not instrumented: a crash inside poppler is poppler's, but
 * it still shows here) and the layout stage (layout.c) behind it.
 *
 * The input is taken as the bytes of a PDF file, read with an 8 MB limit;
 * the result is checked as fuzz_reader.h says (text shape, page starts,
 * metadata; on failure a reason and nothing allocated).  The seed corpus
 * holds a small LibreOffice PDF of Chinese text, the encrypted and the
 * image-only fixtures and a hand-written one-page text PDF. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader_opts o = { .max_size = 8u << 20 };
    reader_out out = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    int rc = reader_pdf(data, size, &o, &out, &err);
    fuzz_check_reader(rc, &out, &err);
    reader_out_free(&out);
    return 0;
}
