/* fuzz_reader.h — the checks shared by the document-reader harnesses
 * (fuzz_ofd, fuzz_pdf): what reader.h promises of a reader's result.
 *
 * On success: text NUL-terminated at len, valid UTF-8, no NUL and no CR;
 * paragraphs separated by exactly one blank line (every '\n' is half of a
 * "\n\n", never three in a row, none at either end); page starts in order
 * and inside the text, at least one page for a paged format; title valid
 * UTF-8 and not empty, date YYYY-MM-DD (1900-2199).  On failure: a code a
 * caller knows (PS_SKIP, PS_INPUT, PS_NOMEM), a one-line message, and
 * nothing left in *out. */
#ifndef POLSEARCH_FUZZ_READER_H
#define POLSEARCH_FUZZ_READER_H

#include <string.h>

#include "fuzz_common.h"
#include "reader.h"

/* Check the result rc/out/err of a reader of a paged format. */
static inline void fuzz_check_reader(int rc, const reader_out *out, const ps_err *err)
{
    if (rc != 0) {
        FUZZ_CHECK(rc == -1, "reader returned %d", rc);
        FUZZ_CHECK(err->code == PS_SKIP || err->code == PS_INPUT || err->code == PS_NOMEM,
                   "error code %d (%s)", err->code, err->msg);
        FUZZ_CHECK(err->msg[0] != '\0' && !strchr(err->msg, '\n'), "no one-line reason (code %d)", err->code);
        FUZZ_CHECK(out->text.data == NULL && out->page_start == NULL && out->title == NULL && out->date == NULL,
                   "failure (%s) but *out holds memory", err->msg);
        return;
    }
    FUZZ_CHECK(err->code == PS_OK, "success with an error set (%s)", err->msg);
    const char *t = out->text.data ? out->text.data : "";
    size_t n = out->text.len;
    FUZZ_CHECK(t[n] == '\0', "text not NUL-terminated at len %zu", n);
    FUZZ_CHECK(memchr(t, '\0', n) == NULL, "NUL inside the text");
    FUZZ_CHECK(memchr(t, '\r', n) == NULL, "CR inside the text");
    size_t bad = utf8_validate(t, n);
    FUZZ_CHECK(bad == n, "text is not valid UTF-8 at byte %zu of %zu", bad, n);
    FUZZ_CHECK(n == 0 || (t[0] != '\n' && t[n - 1] != '\n'), "text starts or ends with a line break");
    for (size_t i = 0; i < n; i++)
        if (t[i] == '\n') {
            FUZZ_CHECK(i + 1 < n && t[i + 1] == '\n', "a lone line break at byte %zu", i);
            FUZZ_CHECK(i + 2 < n && t[i + 2] != '\n', "three line breaks at byte %zu", i);
            i++;
        }
    FUZZ_CHECK(out->npages >= 1 && out->npages <= out->cap_pages, "npages %u (cap %u)", out->npages, out->cap_pages);
    for (unsigned i = 0; i < out->npages; i++) {
        FUZZ_CHECK(out->page_start[i] <= n, "page %u starts at %zu, past the text (%zu)", i + 1, out->page_start[i], n);
        FUZZ_CHECK(i == 0 || out->page_start[i - 1] <= out->page_start[i], "page %u starts before page %u", i + 1, i);
    }
    FUZZ_CHECK(out->page_start[0] == 0, "page 1 starts at %zu", out->page_start[0]);
    if (out->title) {
        size_t tl = strlen(out->title);
        FUZZ_CHECK(tl > 0 && utf8_validate(out->title, tl) == tl, "title empty or not valid UTF-8");
    }
    if (out->date) {
        const char *d = out->date;
        FUZZ_CHECK(strlen(d) == 10 && d[4] == '-' && d[7] == '-' && (d[0] == '1' || d[0] == '2'),
                   "date \"%s\" is not YYYY-MM-DD", d);
    }
}

#endif
