/* fuzz_doc.c — libFuzzer harness for reader_doc (reader_doc.c, libgsf's
 * OLE2 reader): Word 97-2003 .doc and WPS .wps.
 *
 * An input starting with the OLE2 magic (D0 CF 11 E0 A1 B1 1A E1) is read
 * as a whole file.  Any other input is the two streams of a Word document:
 * bytes 0-1 (little-endian, modulo what is left + 1) give the length L of
 * the WordDocument stream, the next L bytes are it and the rest is the
 * table stream, written as both 0Table and 1Table into a compound file
 * made here with libgsf's writer, so that the fuzzer works on the FIB,
 * the CLX and the pieces rather than on the compound file's sector
 * chains.  max_size is 1 MB.  Checked: fuzz_reader_flow.h's contract, at
 * most one character (up to 4 UTF-8 bytes, 2 break bytes before it) per
 * byte of the WordDocument stream, and that nothing reaches GLib's default
 * log handler (which would print). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <gsf/gsf-outfile.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-output-memory.h>

#include "fuzz_reader_flow.h"

/* Write a compound file holding WordDocument = wd[0..wdn) and 0Table and
 * 1Table = tbl[0..tbln) into *out (appended).  Returns 0, or -1. */
static int make_ole(const uint8_t *wd, size_t wdn, const uint8_t *tbl, size_t tbln, buf *out)
{
    static const char *const names[] = { "WordDocument", "0Table", "1Table" };
    GsfOutput *mem = gsf_output_memory_new();
    GsfOutfile *ole = gsf_outfile_msole_new(mem);
    int rc = 0;
    for (int i = 0; i < 3 && ole; i++) {
        GsfOutput *s = gsf_outfile_new_child(ole, names[i], FALSE);
        if (!s || !gsf_output_write(s, i == 0 ? wdn : tbln, i == 0 ? wd : tbl))
            rc = -1;
        if (s) {
            gsf_output_close(s);
            g_object_unref(s);
        }
    }
    if (ole) {
        gsf_output_close(GSF_OUTPUT(ole));
        g_object_unref(ole);
    }
    if (!gsf_output_is_closed(mem))
        gsf_output_close(mem);
    const guint8 *b = gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem));
    if (rc == 0 && b && buf_append(out, b, (size_t)gsf_output_size(mem)) != 0)
        rc = -1;
    g_object_unref(mem);
    return rc;
}

/* libgsf 1.14.50 leaks a directory entry (80 bytes and its name) when
 * gsf_infile_msole_new meets some damaged directories: a bug of libgsf, not
 * of reader_doc, costing ~100 bytes per such file.  LeakSanitizer is told
 * to let that one pass; malloc stacks are unwound fully so that the
 * suppression sees libgsf's frames (the fast unwinder stops in GLib). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}

/* See __asan_default_options. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:gsf_infile_msole_new\n";
}

/* GLib's default log handler prints; any message that reaches it (libgsf
 * logs under no domain, or one reader_doc does not silence) is a finding. */
static void no_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    (void)data;
    FUZZ_CHECK(0, "GLib log (domain %s, level %d): %s", domain ? domain : "none", (int)level, msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_log_set_default_handler(no_log, NULL);
    reader_opts o = { .max_size = 1u << 20 };
    reader_out out = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    if (size >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        int rc = reader_doc(data, size, &o, &out, &err);
        fuzz_check_reader(rc, &out, &err, 6 * size + 64);
        return 0;
    }
    if (size < 2)
        return 0;
    size_t left = size - 2, wdn = (size_t)(data[0] | data[1] << 8) % (left + 1);
    buf f = BUF_INIT;
    if (make_ole(data + 2, wdn, data + 2 + wdn, left - wdn, &f) == 0) {
        int rc = reader_doc((const unsigned char *)f.data, f.len, &o, &out, &err);
        fuzz_check_reader(rc, &out, &err, 6 * wdn + 64);
    }
    buf_free(&f);
    return 0;
}
