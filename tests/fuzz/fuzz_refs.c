/* fuzz_refs.c — libFuzzer harness for refs.c (cited titles and numbers).
 *
 * Input: bytes, used as they are (refs.c counts an invalid byte as one
 * U+FFFD).  refs_extract runs on the whole input as one paragraph.  Checked:
 *   - references lie inside the text, in strictly increasing order of start,
 *     start and end on character boundaries; a title's span opens with 《,
 *     〈 or << (＜＜) and closes with the matching bracket, a number's span
 *     ends with 号 or 號;
 *   - every key is key_len bytes of valid UTF-8 with no white space, control
 *     or zero-width character; a title's key has no quote or title bracket
 *     and 4..80 characters; a number's key is ISSUER〔YYYY〕N号;
 *   - re-keying agrees: refs_normalize_title of a title's span and of its key,
 *     refs_normalize_docno of a number's span and of its key, give the key
 *     (so user input typed as found resolves), and refs_normalize_any finds
 *     the same kind;
 *   - refs_term: the right prefix, at most REFS_TERM_MAX bytes, repeatable;
 *   - self-exclusion: run again with the first title's key (or number's
 *     key) as the document's own, the references are those of the first run
 *     without the ones of that key;
 *   - refs_doc_title: valid UTF-8, empty exactly when the input has nothing
 *     but white space, zero-width characters and controls, at most 60
 *     characters when it is the first line, the trimmed metadata title when
 *     there is one. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "fuzz_common.h"
#include "meta.h"
#include "refs.h"
#include "utf8.h"

/* A white-space, zero-width or control code point (what refs.c drops from keys). */
static int naive_gap(uint32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c < 0x20 || (c >= 0x7F && c <= 0xA0)
        || c == 0xAD || c == 0x1680 || (c >= 0x2000 && c <= 0x200D) || c == 0x2028 || c == 0x2029
        || c == 0x202F || c == 0x205F || c == 0x2060 || c == 0x3000 || c == 0xFEFF;
}

/* First code point of s[0..n) (U+FFFD for an invalid byte). */
static uint32_t first_cp(const char *s, size_t n)
{
    uint32_t c = 0;
    if (n)
        fuzz_step(s, n, 0, &c);
    return c;
}

/* Last code point of s[0..n) (U+FFFD for an invalid byte; 0 when empty). */
static uint32_t last_cp(const char *s, size_t n)
{
    uint32_t c = 0;
    for (size_t i = 0; i < n;)
        i += fuzz_step(s, n, i, &c);
    return c;
}

/* 1 when byte offset p of s[0..n) starts a code point in fuzz_step's reading. */
static int on_boundary(const char *s, size_t n, size_t p)
{
    size_t i = 0;
    uint32_t c;
    while (i < p)
        i += fuzz_step(s, n, i, &c);
    return i == p;
}

/* Check the shape of key k (bytes kn) of a reference of kind. */
static void check_key(enum ref_kind kind, const char *k, size_t kn)
{
    FUZZ_CHECK(strlen(k) == kn, "key_len %zu but strlen %zu", kn, strlen(k));
    FUZZ_CHECK(kn > 0, "empty key");
    FUZZ_CHECK(utf8_validate(k, kn) == kn, "key \"%s\" is not valid UTF-8", k);
    size_t chars = 0;
    for (size_t i = 0; i < kn; chars++) {
        uint32_t c;
        i += fuzz_step(k, kn, i, &c);
        FUZZ_CHECK(!naive_gap(c), "key \"%s\" holds gap U+%04X", k, (unsigned)c);
        if (kind == REF_TITLE)
            FUZZ_CHECK(c != '"' && c != '\'' && c != '<' && c != '>' && c != 0x300A && c != 0x300B
                       && c != 0x3008 && c != 0x3009 && !(c >= 0x300C && c <= 0x300F),
                       "title key \"%s\" holds mark U+%04X", k, (unsigned)c);
    }
    if (kind == REF_TITLE) {
        FUZZ_CHECK(chars >= 4 && chars <= 80, "title key \"%s\" has %zu characters", k, chars);
        return;
    }
    const char *open = strstr(k, "\u3014");
    FUZZ_CHECK(open && open > k, "number key \"%s\" has no issuer before 〔", k);
    open += strlen("\u3014");
    for (int d = 0; d < 4; d++)
        FUZZ_CHECK(open[d] >= '0' && open[d] <= '9', "number key \"%s\": year not 4 digits", k);
    FUZZ_CHECK(strncmp(open + 4, "\u3015", strlen("\u3015")) == 0, "number key \"%s\": no 〕", k);
    const char *num = open + 4 + strlen("\u3015");
    size_t digits = strspn(num, "0123456789");
    FUZZ_CHECK(digits >= 1 && digits <= 6 && (digits == 1 || num[0] != '0'),
               "number key \"%s\": number part", k);
    FUZZ_CHECK(strcmp(num + digits, "号") == 0, "number key \"%s\" does not end in its number and 号", k);
}

/* Re-key s[0..n) as kind (normalize_title / _docno) and expect key. */
static void check_rekey(enum ref_kind kind, const char *s, size_t n, const char *key, const char *what)
{
    buf k = BUF_INIT;
    ps_err err = PS_ERR_INIT;
    int rc = kind == REF_TITLE ? refs_normalize_title(s, n, &k, &err)
                               : refs_normalize_docno(s, n, &k, &err);
    if (FUZZ_OOM_OK(rc)) {
        buf_free(&k);
        return;
    }
    FUZZ_CHECK(rc == 0 && k.len == strlen(key) && memcmp(k.data, key, k.len) == 0,
               "%s: re-keying \"%.*s\" gives rc %d \"%s\", the key is \"%s\"", what, (int)n, s, rc,
               k.data ? k.data : "", key);
    enum ref_kind got;
    rc = refs_normalize_any(s, n, &got, &k, &err);
    if (!FUZZ_OOM_OK(rc))
        FUZZ_CHECK(rc == 0 && got == kind && strcmp(k.data, key) == 0,
                   "%s: refs_normalize_any(\"%.*s\") gives kind %d \"%s\", expected %d \"%s\"", what,
                   (int)n, s, (int)got, k.data ? k.data : "", (int)kind, key);
    buf_free(&k);
}

/* refs_term of key: prefix, length, determinism. */
static void check_term(enum ref_kind kind, const char *key)
{
    buf t = BUF_INIT, t2 = BUF_INIT;
    if (refs_term(kind, REF_CITES, key, strlen(key), &t) == 0
        && refs_term(kind, REF_CITES, key, strlen(key), &t2) == 0) {
        const char *prefix = kind == REF_TITLE ? REFS_PREFIX_CITES_TITLE : REFS_PREFIX_CITES_DOCNO;
        FUZZ_CHECK(t.len <= REFS_TERM_MAX, "term of \"%s\" has %zu bytes", key, t.len);
        FUZZ_CHECK(strncmp(t.data, prefix, strlen(prefix)) == 0, "term of \"%s\" lacks %s", key, prefix);
        FUZZ_CHECK(utf8_validate(t.data, t.len) == t.len, "term of \"%s\" is not valid UTF-8", key);
        FUZZ_CHECK(t.len == t2.len && memcmp(t.data, t2.data, t.len) == 0, "term of \"%s\" varies", key);
    }
    buf_free(&t);
    buf_free(&t2);
}

/* Check every reference of l against the text s[0..n). */
static void check_list(const char *s, size_t n, const ref_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const ref_item *r = &l->items[i];
        const char *k = refs_key(l, i);
        FUZZ_CHECK(r->kind == REF_TITLE || r->kind == REF_DOCNO, "kind %d", (int)r->kind);
        FUZZ_CHECK(r->start < n && r->len > 0 && r->len <= n - r->start,
                   "reference %zu [%zu,+%zu) outside the text (%zu bytes)", i, r->start, r->len, n);
        FUZZ_CHECK(i == 0 || l->items[i - 1].start < r->start, "reference %zu out of order", i);
        FUZZ_CHECK(on_boundary(s, n, r->start) && on_boundary(s, n, r->start + r->len),
                   "reference %zu [%zu,+%zu) cuts a character", i, r->start, r->len);
        check_key(r->kind, k, r->key_len);
        const char *span = s + r->start;
        uint32_t a = first_cp(span, r->len), z = last_cp(span, r->len);
        if (r->kind == REF_TITLE)
            FUZZ_CHECK((a == 0x300A && z == 0x300B) || (a == 0x3008 && z == 0x3009)
                       || ((a == '<' || a == 0xFF1C) && (z == '>' || z == 0xFF1E)),
                       "title span \"%.*s\" is not bracketed", (int)r->len, span);
        else
            FUZZ_CHECK(z == 0x53F7 || z == 0x865F, "number span \"%.*s\" does not end in 号", (int)r->len, span);
        check_rekey(r->kind, span, r->len, k, "span");
        check_rekey(r->kind, k, r->key_len, k, "key");
        check_term(r->kind, k);
    }
}

/* Extract again with key (of kind) as the document's own: the result must
 * be `all` without the references of that key. */
static void check_self(const char *s, size_t n, const ref_list *all, enum ref_kind kind, const char *key)
{
    ref_list l = REF_LIST_INIT;
    ps_err err = PS_ERR_INIT;
    int rc = refs_extract(s, n, kind == REF_TITLE ? key : NULL, kind == REF_DOCNO ? key : NULL, &l, &err);
    if (!FUZZ_OOM_OK(rc)) {
        size_t j = 0;
        for (size_t i = 0; i < all->n; i++) {
            if (all->items[i].kind == kind && strcmp(refs_key(all, i), key) == 0)
                continue;
            FUZZ_CHECK(j < l.n && l.items[j].start == all->items[i].start
                       && l.items[j].kind == all->items[i].kind
                       && strcmp(refs_key(&l, j), refs_key(all, i)) == 0,
                       "own %s \"%s\" hid or changed reference %zu", kind == REF_TITLE ? "title" : "number",
                       key, i);
            j++;
        }
        FUZZ_CHECK(j == l.n, "own \"%s\": %zu references, %zu expected", key, l.n, j);
    }
    refs_list_free(&l);
}

/* refs_doc_title on the input, without metadata and with a title. */
static void check_title(const char *s, size_t n)
{
    buf t = BUF_INIT;
    ps_err err = PS_ERR_INIT;
    enum ref_title_from from;
    if (refs_doc_title(s, n, NULL, &t, &from, &err) == 0) {
        const char *v = t.data ? t.data : "";
        int text = 0;
        for (size_t i = 0; i < n && !text;) {
            uint32_t c;
            i += fuzz_step(s, n, i, &c);
            text = !naive_gap(c);
        }
        FUZZ_CHECK(utf8_validate(v, t.len) == t.len && strlen(v) == t.len, "title is not valid UTF-8");
        FUZZ_CHECK((t.len > 0) == text, "title \"%s\" (from %d) for a text %s", v, (int)from,
                   text ? "with text" : "without text");
        FUZZ_CHECK((from == REF_TITLE_NONE) == !text, "from %d", (int)from);
        FUZZ_CHECK(from == REF_TITLE_NONE || from == REF_TITLE_CITED || from == REF_TITLE_TEXT,
                   "from %d without metadata", (int)from);
        if (from == REF_TITLE_TEXT)
            FUZZ_CHECK(utf8_count(v, t.len) <= 60, "first-line title of %zu characters", utf8_count(v, t.len));
    }
    doc_meta m = { " 关于某事的通知 ", NULL, NULL, NULL, NULL };
    if (refs_doc_title(s, n, &m, &t, &from, &err) == 0)
        FUZZ_CHECK(from == REF_TITLE_META && strcmp(t.data, "关于某事的通知") == 0,
                   "metadata title not used: from %d", (int)from);
    buf_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    ref_list l = REF_LIST_INIT;
    ps_err err = PS_ERR_INIT;
    if (refs_extract(s, size, NULL, NULL, &l, &err) == 0) {
        check_list(s, size, &l);
        for (int kind = REF_TITLE; kind <= REF_DOCNO; kind++)
            for (size_t i = 0; i < l.n; i++)
                if (l.items[i].kind == (enum ref_kind)kind) {
                    check_self(s, size, &l, (enum ref_kind)kind, refs_key(&l, i));
                    break;
                }
    } else {
        FUZZ_CHECK(err.code == PS_NOMEM && l.n == 0, "refs_extract failed with code %d", err.code);
    }
    refs_list_free(&l);
    check_title(s, size);
    return 0;
}
