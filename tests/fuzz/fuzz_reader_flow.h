/* fuzz_reader_flow.h — what every format reader promises (src/reader.h),
 * checked by the reader harnesses (fuzz_docx, fuzz_doc).
 *
 * On success: no error set, the text NUL-terminated, valid UTF-8, without
 * NUL, CR or other control characters but '\n', paragraphs separated by
 * exactly one blank line (no "\n\n\n"), no break or space at either end,
 * no line starting or ending with a space, no two spaces in a row, at most
 * max_len bytes; no pages (Word has none); a title, if any, non-empty
 * valid UTF-8 without line breaks, a date, if any, YYYY-MM-DD.  On
 * failure: PS_SKIP, PS_INPUT or PS_NOMEM with a one-line reason, and
 * nothing left in *out. */
#ifndef POLSEARCH_FUZZ_READER_FLOW_H
#define POLSEARCH_FUZZ_READER_FLOW_H

#include "fuzz_common.h"
#include "reader.h"

/* libxml2's generic error channel prints to stderr; a reader must route
 * its errors elsewhere, so a message reaching it is a finding. */
static inline void fuzz_no_generic_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    FUZZ_CHECK(0, "libxml2 printed through its generic error channel: %s", msg);
}

/* Check reader rc/out/err as above; frees *out. */
static inline void fuzz_check_reader(int rc, reader_out *out, const ps_err *err, size_t max_len)
{
    if (rc != 0) {
        FUZZ_CHECK(rc == -1, "reader returned %d", rc);
        FUZZ_CHECK(err->code == PS_SKIP || err->code == PS_INPUT || err->code == PS_NOMEM,
                   "error code %d (%s)", err->code, err->msg);
        FUZZ_CHECK(err->msg[0] && !strchr(err->msg, '\n') && !strchr(err->msg, '\r'),
                   "no one-line reason: \"%s\"", err->msg);
        FUZZ_CHECK(!out->text.data && !out->title && !out->date && !out->page_start,
                   "failed (%s) but *out holds memory", err->msg);
        return;
    }
    FUZZ_CHECK(err->code == PS_OK, "success with error %d set (%s)", err->code, err->msg);
    const char *t = out->text.data ? out->text.data : "";
    size_t n = out->text.len;
    FUZZ_CHECK(t[n] == '\0', "text not NUL-terminated at %zu", n);
    FUZZ_CHECK(utf8_validate(t, n) == n, "text not valid UTF-8 at byte %zu", utf8_validate(t, n));
    FUZZ_CHECK(n <= max_len, "text of %zu bytes, more than %zu", n, max_len);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        FUZZ_CHECK(c >= 0x20 ? c != 0x7F : c == '\n', "control 0x%02x at byte %zu", c, i);
        if (c == ' ')
            FUZZ_CHECK(i > 0 && i + 1 < n && t[i - 1] != '\n' && t[i + 1] != '\n' && t[i + 1] != ' ',
                       "space at a line's end or doubled at byte %zu", i);
    }
    FUZZ_CHECK(n == 0 || (t[0] != '\n' && t[n - 1] != '\n'), "break at an end of the text");
    FUZZ_CHECK(!strstr(t, "\n\n\n"), "more than one blank line at byte %zu", (size_t)(strstr(t, "\n\n\n") - t));
    FUZZ_CHECK(out->npages == 0, "%u pages from a format without pages", out->npages);
    if (out->title) {
        size_t tl = strlen(out->title);
        FUZZ_CHECK(tl > 0 && utf8_validate(out->title, tl) == tl && !strchr(out->title, '\n'),
                   "bad title \"%s\"", out->title);
    }
    if (out->date) {
        const char *d = out->date;
        int ok = strlen(d) == 10 && d[4] == '-' && d[7] == '-';
        for (int i = 0; ok && i < 10; i++)
            ok = i == 4 || i == 7 || (d[i] >= '0' && d[i] <= '9');
        FUZZ_CHECK(ok, "bad date \"%s\"", d);
    }
    reader_out_free(out);
    FUZZ_CHECK(!out->text.data && !out->title && !out->date, "reader_out_free did not reset");
}

#endif
