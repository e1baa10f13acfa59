/* fuzz_snippet.c — libFuzzer harness for snippet.c, span.c and
 * json_put_string (output.c).
 *
 * Input layout:
 *   byte 0       flags: bit 0 = keep the text's invalid bytes (snip_build
 *                copes with them) instead of replacing them by U+FFFD,
 *                bit 1 = span_merge the matches first, bits 2..7 = width
 *                (0 means SNIPPET_WIDTH);
 *   byte 1       number of match spans k (mod 16);
 *   4*k bytes    spans: start (u16 LE), len (u16 LE; 0xFFFF means "huge");
 *   the rest     the paragraph text.
 * Checked:
 *   - the snippet text is valid UTF-8 without control characters, and has
 *     exactly lead + (src_end - src_start) + trail code points, where lead
 *     and trail are the "…" marks, present exactly when text was cut;
 *   - 0 <= src_start <= src_end <= the paragraph's code points; a paragraph
 *     that fits in width is shown whole;
 *   - highlights are merged, sorted, non-empty, inside the snippet's code
 *     point count, never on a "…", and each shows the same code points as the
 *     paragraph at the corresponding place (controls shown as ' ').
 * json_put_string runs on the raw input: the result is a JSON string literal
 * (valid UTF-8, no raw control characters, properly escaped) that decodes
 * back to the input with every invalid byte as U+FFFD. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz_common.h"
#include "output.h"
#include "snippet.h"
#include "span.h"
#include "utf8.h"

#define ELLIPSIS 0x2026u

/* What snip_copy shows for a paragraph code point. */
static uint32_t shown(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029)
        return ' ';
    return cp;
}

/* Decode s[0..n) into a new array of code points (invalid byte = U+FFFD). */
static uint32_t *decode_all(const char *s, size_t n, size_t *count)
{
    uint32_t *v = malloc((n + 1) * sizeof *v);
    size_t k = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < n; k++)
        i += fuzz_step(s, n, i, &v[k]);
    *count = k;
    return v;
}

static void check_snippet(const char *text, size_t n, const span_list *matches, size_t width)
{
    snippet sn = SNIPPET_INIT;
    if (snip_build(text, n, matches, width, &sn) != 0)
        return;
    size_t w = width ? width : SNIPPET_WIDTH;
    size_t ncp, scp;
    uint32_t *src = decode_all(text, n, &ncp);
    FUZZ_CHECK(sn.text != NULL && strlen(sn.text) <= sn.len, "snippet text missing or not terminated");
    FUZZ_CHECK(sn.text[sn.len] == '\0', "snippet text not NUL-terminated at len");
    FUZZ_CHECK(utf8_validate(sn.text, sn.len) == sn.len, "snippet is not valid UTF-8");
    uint32_t *snp = decode_all(sn.text, sn.len, &scp);
    if (!src || !snp)
        goto out;

    FUZZ_CHECK(sn.src_start <= sn.src_end && sn.src_end <= ncp,
               "window [%zu,%zu) outside the paragraph's %zu code points", sn.src_start, sn.src_end, ncp);
    if (ncp <= w)
        FUZZ_CHECK(sn.src_start == 0 && sn.src_end == ncp, "paragraph of %zu <= width %zu not shown whole", ncp, w);
    size_t lead = sn.src_start > 0, trail = sn.src_end < ncp;
    FUZZ_CHECK(scp == lead + (sn.src_end - sn.src_start) + trail,
               "snippet has %zu code points, window %zu + marks %zu", scp, sn.src_end - sn.src_start, lead + trail);
    FUZZ_CHECK(!lead || snp[0] == ELLIPSIS, "cut start without \"…\"");
    FUZZ_CHECK(!trail || snp[scp - 1] == ELLIPSIS, "cut end without \"…\"");
    for (size_t i = 0; i < sn.src_end - sn.src_start; i++)
        FUZZ_CHECK(snp[lead + i] == shown(src[sn.src_start + i]),
                   "snippet code point %zu is U+%04X, paragraph %zu is U+%04X",
                   lead + i, (unsigned)snp[lead + i], sn.src_start + i, (unsigned)src[sn.src_start + i]);
    for (size_t i = 0; i < scp; i++)
        FUZZ_CHECK(snp[i] >= 0x20 && snp[i] != 0x7F && !(snp[i] >= 0x80 && snp[i] < 0xA0),
                   "control U+%04X in the snippet", (unsigned)snp[i]);

    for (size_t k = 0; k < sn.hl.n; k++) {
        const span *h = &sn.hl.v[k];
        FUZZ_CHECK(h->len > 0, "empty highlight %zu", k);
        FUZZ_CHECK(h->start <= scp && h->len <= scp - h->start,
                   "highlight %zu [%zu,+%zu) past the snippet's %zu code points", k, h->start, h->len, scp);
        FUZZ_CHECK(h->start >= lead && h->start + h->len <= scp - trail, "highlight %zu covers a \"…\"", k);
        FUZZ_CHECK(k == 0 || h->start > sn.hl.v[k - 1].start + sn.hl.v[k - 1].len,
                   "highlights %zu and %zu not merged/sorted", k - 1, k);
        for (size_t i = 0; i < h->len; i++) {
            size_t at = h->start + i, from = at - lead + sn.src_start;
            FUZZ_CHECK(from < ncp && snp[at] == shown(src[from]), "highlight %zu shows the wrong text", k);
        }
    }
    /* Every match code point inside the window is highlighted. */
    if (matches) {
        for (size_t k = 0; k < matches->n; k++) {
            size_t st = matches->v[k].start, len = matches->v[k].len;
            for (size_t i = 0; i < len && st + i < sn.src_end && i < 4096; i++) {
                size_t p = st + i;
                if (p < sn.src_start)
                    continue;
                size_t at = p - sn.src_start + lead;
                int lit = 0;
                for (size_t j = 0; j < sn.hl.n && !lit; j++)
                    lit = at >= sn.hl.v[j].start && at < sn.hl.v[j].start + sn.hl.v[j].len;
                FUZZ_CHECK(lit, "match code point %zu in the window is not highlighted", p);
            }
        }
    }
out:
    free(src);
    free(snp);
    snippet_free(&sn);
    FUZZ_CHECK(sn.text == NULL && sn.hl.v == NULL, "snippet_free did not reset");
}

static unsigned hexval(char c)
{
    return c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
         : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 99;
}

static void check_json(const char *s, size_t n)
{
    buf b = BUF_INIT;
    static const char prefix[] = "{\"x\":";
    if (buf_puts(&b, prefix) != 0 || json_put_string(&b, s, n) != 0) {
        buf_free(&b);
        return;
    }
    const size_t plen = sizeof prefix - 1;
    FUZZ_CHECK(b.len >= plen + 2 && memcmp(b.data, prefix, plen) == 0, "json_put_string lost what b held");
    FUZZ_CHECK(strlen(b.data) == b.len, "NUL inside the JSON output");
    const char *j = b.data + plen;
    size_t jn = b.len - plen;
    FUZZ_CHECK(utf8_validate(j, jn) == jn, "JSON string is not valid UTF-8");
    FUZZ_CHECK(j[0] == '"' && j[jn - 1] == '"', "JSON string not quoted");

    /* Decode it and compare with the input, invalid bytes as U+FFFD. */
    size_t pos = 0;                  /* next input byte */
    for (size_t i = 1; i < jn - 1;) {
        uint32_t got, want;
        unsigned char c = (unsigned char)j[i];
        FUZZ_CHECK(c >= 0x20, "raw control 0x%02X in a JSON string", c);
        FUZZ_CHECK(c != '"', "unescaped quote in a JSON string at %zu", i);
        if (c == '\\') {
            FUZZ_CHECK(i + 1 < jn - 1, "backslash at the end of a JSON string");
            char e = j[i + 1];
            i += 2;
            switch (e) {
            case '"': got = '"'; break;
            case '\\': got = '\\'; break;
            case '/': got = '/'; break;
            case 'n': got = '\n'; break;
            case 't': got = '\t'; break;
            case 'r': got = '\r'; break;
            case 'b': got = '\b'; break;
            case 'f': got = '\f'; break;
            case 'u': {
                FUZZ_CHECK(i + 4 <= jn - 1, "short \\u escape");
                got = 0;
                for (int k = 0; k < 4; k++) {
                    unsigned h = hexval(j[i + k]);
                    FUZZ_CHECK(h < 16, "bad hex digit in \\u escape");
                    got = got << 4 | h;
                }
                FUZZ_CHECK(!(got >= 0xD800 && got <= 0xDFFF), "surrogate escape \\u%04X", (unsigned)got);
                i += 4;
                break;
            }
            default:
                FUZZ_CHECK(0, "bad JSON escape \\%c", e);
                got = 0;
            }
        } else {
            i += fuzz_step(j, jn - 1, i, &got);
        }
        FUZZ_CHECK(pos < n, "JSON string decodes to more than the input");
        pos += fuzz_step(s, n, pos, &want);
        FUZZ_CHECK(got == want, "JSON decodes to U+%04X where the input has U+%04X (byte %zu)",
                   (unsigned)got, (unsigned)want, pos);
    }
    FUZZ_CHECK(pos == n, "JSON string decodes to less than the input (%zu of %zu bytes)", pos, n);
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_json((const char *)data, size);
    if (size < 2)
        return 0;

    unsigned flags = data[0];
    size_t width = flags >> 2;
    size_t k = data[1] % 16, i = 2;
    span_list m = SPAN_LIST_INIT;
    buf text = BUF_INIT;
    for (size_t j = 0; j < k && size - i >= 4; j++, i += 4) {
        size_t st = data[i] | (size_t)data[i + 1] << 8;
        size_t len = data[i + 2] | (size_t)data[i + 3] << 8;
        if (len == 0xFFFF)
            len = SIZE_MAX / 2;
        if (span_push(&m, st, len) != 0)
            goto out;
    }
    const char *t = (const char *)data + i;
    size_t tn = size - i;
    if (!(flags & 1)) {
        if (fuzz_sanitize(t, tn, &text) != 0)
            goto out;
        t = text.data ? text.data : "";
        tn = text.len;
    }
    if (flags & 2)
        span_merge(&m);
    check_snippet(t, tn, &m, width);
    check_snippet(t, tn, NULL, width);
out:
    span_list_free(&m);
    buf_free(&text);
    return 0;
}
