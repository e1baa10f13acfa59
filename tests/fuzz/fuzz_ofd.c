/* fuzz_ofd.c — libFuzzer harness for reader_ofd: reader_ofd.c (zip parts
 * through zipread.c, XML through libxml2) and the layout stage (layout.c)
 * behind it.
 *
 * The input is taken as the bytes of an OFD file, read with an 8 MB limit;
 * the result is checked as fuzz_reader.h says (text shape, page starts,
 * metadata; on failure a reason and nothing allocated).  The seed corpus
 * holds OFDs made by tests/fixtures/make-ofd.py (a seed's pages with
 * objects out of order and per-character objects, the DocRoot escape, the
 * entity bomb) and a minimal hand-made one. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader_opts o = { 8u << 20, 0 };
    reader_out out = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    int rc = reader_ofd(data, size, &o, &out, &err);
    fuzz_check_reader(rc, &out, &err);
    reader_out_free(&out);
    return 0;
}
