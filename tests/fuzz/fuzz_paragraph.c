/* fuzz_paragraph.c — libFuzzer harness for paragraph.c and meta.c.
 *
 * Input: bytes; invalid UTF-8 is replaced by U+FFFD first (para_split and
 * meta_extract are specified for valid UTF-8 only: decode.c guarantees it).
 * para_split runs twice, with PARA_MAX_CHARS and with a small max_chars
 * chosen by the input (to exercise the cut rules).  Checked per paragraph:
 *   - text == doc + byte_off, the range lies inside the document, ranges
 *     come in order and do not overlap, numbers count 1, 2, 3, ...;
 *   - the paragraph is non-empty, valid UTF-8 (no cut inside a character),
 *     at most max_chars code points, trimmed (no white space at either
 *     end), and has something besides white space, ASCII punctuation and
 *     U+FFFD (paragraph.c's own letter/digit rule is deliberately coarse);
 *   - a non-zero return from the callback stops splitting and is returned.
 * meta_extract then runs on the same text, with and without an HTML title:
 * every field is a valid UTF-8 string, the date is "" or a plausible
 * YYYY-MM-DD, the title at most 120 code points. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz_common.h"
#include "meta.h"
#include "paragraph.h"
#include "utf8.h"

typedef struct para_check {
    const char *doc;
    size_t      n;
    size_t      max_chars;
    size_t      prev_end;
    unsigned    count;
    unsigned    stop_at;             /* return 5 from this call (0: never) */
} para_check;

static int is_ws(uint32_t cp)
{
    return uclass_of(cp) == UC_SPACE;
}

static int on_para(void *ctx, const char *text, size_t len, size_t byte_off, unsigned number)
{
    para_check *pc = ctx;
    pc->count++;
    FUZZ_CHECK(pc->stop_at == 0 || pc->count <= pc->stop_at, "callback called after it returned non-zero");
    FUZZ_CHECK(number == pc->count, "paragraph number %u, expected %u", number, pc->count);
    FUZZ_CHECK(byte_off <= pc->n && len <= pc->n - byte_off,
               "paragraph %u [%zu,+%zu) outside the document (%zu bytes)", number, byte_off, len, pc->n);
    FUZZ_CHECK(text == pc->doc + byte_off, "paragraph %u: text != doc + byte_off", number);
    FUZZ_CHECK(byte_off >= pc->prev_end, "paragraph %u starts at %zu, before the end %zu of the previous one",
               number, byte_off, pc->prev_end);
    pc->prev_end = byte_off + len;
    FUZZ_CHECK(len > 0, "empty paragraph %u", number);
    FUZZ_CHECK(utf8_validate(text, len) == len, "paragraph %u [%zu,+%zu) cuts a character", number, byte_off, len);
    size_t chars = utf8_count(text, len);
    FUZZ_CHECK(chars <= pc->max_chars, "paragraph %u has %zu code points > max_chars %zu",
               number, chars, pc->max_chars);

    uint32_t first, last = 0;
    int content = 0;
    fuzz_step(text, len, 0, &first);
    for (size_t i = 0; i < len;) {
        i += fuzz_step(text, len, i, &last);
        /* paragraph.c judges "letter or digit" with its own coarse rule
         * (outside ASCII nearly everything but space and punctuation
         * blocks counts, ① included), so only the clear cases are checked:
         * a paragraph of nothing but white space, ASCII punctuation and
         * U+FFFD must have been dropped. */
        enum uclass c = uclass_of(last);
        content |= c == UC_CJK || c == UC_WORD || (last >= 0x80 && c != UC_SPACE && last != 0xFFFD);
    }
    FUZZ_CHECK(!is_ws(first) && !is_ws(last), "paragraph %u [%zu,+%zu) not trimmed (U+%04X ... U+%04X)",
               number, byte_off, len, (unsigned)first, (unsigned)last);
    FUZZ_CHECK(content, "paragraph %u [%zu,+%zu) has no letter, digit or CJK character: \"%.*s\"",
               number, byte_off, len, (int)(len > 80 ? 80 : len), text);
    return pc->stop_at && pc->count == pc->stop_at ? 5 : 0;
}

static void split(const char *doc, size_t n, size_t max_chars, unsigned stop_at)
{
    para_check pc = { doc, n, max_chars ? max_chars : PARA_MAX_CHARS, 0, 0, stop_at };
    int rc = para_split(doc, n, max_chars, on_para, &pc);
    if (rc == -1)
        return;
    if (stop_at && pc.count == stop_at)
        FUZZ_CHECK(rc == 5, "para_split returned %d, the callback said 5", rc);
    else
        FUZZ_CHECK(rc == 0, "para_split returned %d", rc);
}

static void check_field(const char *name, const char *v)
{
    FUZZ_CHECK(v != NULL, "meta field %s is NULL", name);
    size_t n = strlen(v);
    FUZZ_CHECK(utf8_validate(v, n) == n, "meta field %s is not valid UTF-8", name);
}

static void check_meta(const char *doc, size_t n, const char *title)
{
    doc_meta m = DOC_META_INIT;
    if (meta_extract(doc, n, title, &m) != 0)
        return;
    check_field("title", m.title);
    check_field("date", m.date);
    check_field("issuer", m.issuer);
    check_field("docno", m.docno);
    check_field("proposal", m.proposal);
    size_t tl = utf8_count(m.title, strlen(m.title));
    FUZZ_CHECK(tl <= 120, "title has %zu code points (> 120)", tl);
    if (m.date[0]) {
        const char *d = m.date;
        int ok = strlen(d) == 10 && d[4] == '-' && d[7] == '-';
        for (int i = 0; ok && i < 10; i++)
            if (i != 4 && i != 7)
                ok = d[i] >= '0' && d[i] <= '9';
        int y = ok ? atoi(d) : 0, mo = ok ? atoi(d + 5) : 0, dd = ok ? atoi(d + 8) : 0;
        FUZZ_CHECK(ok && y >= 1900 && y <= 2199 && mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31,
                   "date \"%s\" is not YYYY-MM-DD", d);
    }
    doc_meta_free(&m);
    FUZZ_CHECK(!m.title && !m.date && !m.issuer && !m.docno && !m.proposal, "doc_meta_free did not reset");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    buf doc = BUF_INIT;
    if (fuzz_sanitize((const char *)data, size, &doc) != 0)
        goto out;
    const char *d = doc.data ? doc.data : "";
    size_t n = doc.len;

    split(d, n, 0, 0);                                   /* PARA_MAX_CHARS */
    if (size > 0) {
        split(d, n, 1 + data[size - 1] % 48, 0);         /* small: the cut rules work hard */
        split(d, n, 1 + data[0] % 200, 1 + data[0] % 4);  /* and an early stop */
    }

    check_meta(d, n, NULL);
    if (size > 0) {
        /* An HTML title made of the first line. */
        const char *nl = memchr(d, '\n', n);
        size_t tl = nl ? (size_t)(nl - d) : n;
        char *title = strndup(d, tl > 400 ? 0 : tl);
        if (title) {
            check_meta(d, n, title);
            free(title);
        }
    }
out:
    buf_free(&doc);
    return 0;
}
