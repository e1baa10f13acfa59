/* output.c — writing results for people and for scripts; see output.h.
 *
 * Each result is first built in a buffer and then handed to the stream with
 * a single fwrite, so a result is never half-written by this code and a
 * failed write is noticed at the result that caused it.
 *
 * Numbers are formatted by hand rather than with printf("%f"): printf
 * honours LC_NUMERIC, and a program that calls setlocale() for UTF-8 might
 * then print "12,34", which is neither what people here expect nor JSON.
 *
 * Strings from documents (titles, issuers, paths) reach a terminal in the
 * human form, so their control characters are replaced by spaces there: a
 * stray ESC in a title must not be able to restyle the user's terminal. */
#include "output.h"

#include <stdint.h>
#include <string.h>

#define SGR_PATH   "\033[35m"        /* magenta, grep's fn= */
#define SGR_LINE   "\033[32m"        /* green, grep's ln= */
#define SGR_TITLE  "\033[1m"         /* bold */
#define SGR_MATCH  "\033[1;31m"      /* bold red, grep's ms= */
#define SGR_RESET  "\033[0m"

/* Decode the code point starting at s[i] (i < n) into *cp and return its
 * length in bytes, 1 to 4.  Anything that is not strict UTF-8 counts as a
 * single byte holding U+FFFD, exactly as in snippet.c, so that code-point
 * offsets computed there match the strings written here. */
static size_t out_u8_step(const unsigned char *s, size_t n, size_t i, uint32_t *cp)
{
    unsigned c = s[i];
    size_t need;
    uint32_t v, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xC2) {
        goto bad;
    } else if (c < 0xE0) {
        need = 1; v = c & 0x1F; min = 0x80;
    } else if (c < 0xF0) {
        need = 2; v = c & 0x0F; min = 0x800;
    } else if (c < 0xF5) {
        need = 3; v = c & 0x07; min = 0x10000;
    } else {
        goto bad;
    }
    if (n - i <= need)
        goto bad;
    for (size_t k = 1; k <= need; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            goto bad;
        v = (v << 6) | (s[i + k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        goto bad;
    *cp = v;
    return need + 1;
bad:
    *cp = 0xFFFD;
    return 1;
}

/* Return nonzero when the optional string s has something to show. */
static int out_is_set(const char *s)
{
    return s && *s;
}

/* Append v with exactly `decimals` (0..6) digits after a '.', or, when trim
 * is set, with trailing zeros (and a bare '.') removed.  Values too large
 * for exact integer scaling are written without a fraction; NaN and
 * infinities, which JSON cannot carry, are written as "null".  Returns 0,
 * or -1 when out of memory. */
static int out_put_number(buf *b, double v, int decimals, int trim)
{
    static const double scale_of[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
    char digits[32];
    double scale = scale_of[decimals];

    double mag = v < 0 ? -v : v;

    if (!(v - v == 0))               /* true for NaN and both infinities */
        return buf_puts(b, "null");
    if (mag * scale >= 9e15)         /* beyond exact doubles: the fraction is noise */
        return buf_printf(b, "%.0f", v);

    /* Scaling by hand (not libm's round) keeps the library free of -lm. */
    uint64_t q = (uint64_t)(mag * scale + 0.5);
    uint64_t ip = q / (uint64_t)scale, fp = q % (uint64_t)scale;
    int nd = decimals;
    if (trim)
        while (nd > 0 && fp % 10 == 0) {
            fp /= 10;
            nd--;
        }
    int len = snprintf(digits, sizeof digits, "%s%llu", q != 0 && v < 0 ? "-" : "",
                       (unsigned long long)ip);
    if (nd > 0)
        len += snprintf(digits + len, sizeof digits - (size_t)len, ".%0*llu", nd,
                        (unsigned long long)fp);
    return buf_append(b, digits, (size_t)len);
}

/* Append s to b with every control character (C0, DEL, C1) replaced by a
 * space, for strings from documents shown on a terminal.  Returns 0, or -1
 * when out of memory. */
static int out_put_plain(buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), run = 0;  /* run: start of bytes not yet appended */

    for (size_t i = 0; i < n; ) {
        uint32_t cp;
        size_t len = out_u8_step(p, n, i, &cp);
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            if (buf_append(b, p + run, i - run) != 0 || buf_putc(b, ' ') != 0)
                return -1;
            run = i + len;
        }
        i += len;
    }
    return buf_append(b, p + run, n - run);
}

/* Append a colour-wrapped field: sgr, the plain text of s, reset; or just
 * the plain text without colour.  Returns 0, or -1 when out of memory. */
static int out_put_styled(buf *b, const char *sgr, const char *s, int color)
{
    if (color && buf_puts(b, sgr) != 0)
        return -1;
    if (out_put_plain(b, s) != 0)
        return -1;
    return color ? buf_puts(b, SGR_RESET) : 0;
}

/* Append snippet text t[0..n) with the highlights hl (code points of t,
 * sorted) wrapped in bold red.  Spans that overlap one already written are
 * cut to what is left, so careless input cannot unbalance the escapes.
 * Returns 0, or -1 when out of memory. */
static int out_put_highlighted(buf *b, const char *t, size_t n, const span_list *hl)
{
    const unsigned char *p = (const unsigned char *)t;
    size_t k = 0, idx = 0, stop = 0;  /* next span, code point index, end of open span */
    int on = 0;

    for (size_t i = 0; i < n; idx++) {
        uint32_t cp;
        if (on && idx == stop) {
            if (buf_puts(b, SGR_RESET) != 0)
                return -1;
            on = 0;
        }
        while (!on && k < hl->n && hl->v[k].start + hl->v[k].len <= idx)
            k++;
        if (!on && k < hl->n && hl->v[k].start <= idx) {
            if (buf_puts(b, SGR_MATCH) != 0)
                return -1;
            on = 1;
            stop = hl->v[k].start + hl->v[k].len;
            k++;
        }
        size_t len = out_u8_step(p, n, i, &cp);
        if (buf_append(b, p + i, len) != 0)
            return -1;
        i += len;
    }
    return on ? buf_puts(b, SGR_RESET) : 0;
}

/* Write b to fp in one call.  Returns 0, or -1 when the stream failed (a
 * closed pipe, a full disk).  Later errors of a buffered stream surface at
 * the caller's final fflush, which it must check as well. */
static int out_flush(FILE *fp, const buf *b)
{
    if (b->len && fwrite(b->data, 1, b->len, fp) != b->len)
        return -1;
    return ferror(fp) ? -1 : 0;
}

/* Build the human form of r into b.  Returns 0, or -1 when out of memory. */
static int out_build_human(buf *b, const out_result *r, int color)
{
    if (out_put_styled(b, SGR_PATH, r->file ? r->file : "", color) != 0
        || buf_putc(b, ':') != 0
        || (color && buf_puts(b, SGR_LINE) != 0)
        || buf_printf(b, "%u", r->paragraph) != 0
        || (color && buf_puts(b, SGR_RESET) != 0))
        return -1;
    if (out_is_set(r->title)
        && (buf_puts(b, "  ") != 0 || out_put_styled(b, SGR_TITLE, r->title, color) != 0))
        return -1;
    if (out_is_set(r->date) || out_is_set(r->issuer)) {
        if (buf_puts(b, "  ") != 0)
            return -1;
        if (out_is_set(r->date) && out_put_plain(b, r->date) != 0)
            return -1;
        if (out_is_set(r->date) && out_is_set(r->issuer) && buf_putc(b, ' ') != 0)
            return -1;
        if (out_is_set(r->issuer) && out_put_plain(b, r->issuer) != 0)
            return -1;
    }
    if (buf_puts(b, "  [") != 0 || out_put_number(b, r->score, 2, 0) != 0 || buf_putc(b, ']') != 0)
        return -1;
    if (out_is_set(r->source)
        && (buf_puts(b, "  (") != 0 || out_put_plain(b, r->source) != 0 || buf_putc(b, ')') != 0))
        return -1;
    if (buf_puts(b, "\n  ") != 0)
        return -1;
    if (r->snip && r->snip->text) {
        /* snip_build already made the text safe for one terminal line. */
        int rc = color ? out_put_highlighted(b, r->snip->text, r->snip->len, &r->snip->hl)
                       : buf_append(b, r->snip->text, r->snip->len);
        if (rc != 0)
            return -1;
    }
    const out_explain *e = r->explain;
    if (e && (buf_puts(b, "\n  score ") != 0 || out_put_number(b, r->score, 2, 0) != 0
              || buf_puts(b, " = bm25 ") != 0 || out_put_number(b, e->bm25, 2, 0) != 0
              || buf_puts(b, " + expansion ") != 0 || out_put_number(b, e->expansion, 2, 0) != 0
              || buf_puts(b, " + policy terms ") != 0 || out_put_number(b, e->policy, 2, 0) != 0
              || buf_puts(b, " + heading ") != 0 || out_put_number(b, e->heading, 2, 0) != 0))
        return -1;
    return buf_puts(b, "\n\n");
}

/* See output.h.  Returns -1 also when out of memory, since the result
 * could not be written either way. */
int out_human(FILE *fp, const out_result *r, int color)
{
    buf b = BUF_INIT;
    int rc = out_build_human(&b, r, color) == 0 ? out_flush(fp, &b) : -1;
    buf_free(&b);
    return rc;
}

/* Append `,"key":` then the JSON string s[0..n).  Returns 0, or -1 when out
 * of memory. */
static int out_json_field(buf *b, const char *key, const char *s, size_t n)
{
    if (buf_printf(b, ",\"%s\":", key) != 0)
        return -1;
    return json_put_string(b, s ? s : "", s ? n : 0);
}

/* Append `,"key":` then the spans as [[start,len],...].  Returns 0, or -1
 * when out of memory. */
static int out_json_spans(buf *b, const char *key, const span_list *l)
{
    if (buf_printf(b, ",\"%s\":[", key) != 0)
        return -1;
    for (size_t k = 0; l && k < l->n; k++)
        if (buf_printf(b, "%s[%zu,%zu]", k ? "," : "", l->v[k].start, l->v[k].len) != 0)
            return -1;
    return buf_putc(b, ']');
}

/* Build the JSON line of r into b.  Returns 0, or -1 when out of memory. */
static int out_build_json(buf *b, const out_result *r)
{
    const char *file = r->file ? r->file : "";
    const char *title = r->title ? r->title : "";
    const char *opt_key[] = { "date", "issuer", "docno", "source" };
    const char *opt_val[] = { r->date, r->issuer, r->docno, r->source };

    if (buf_printf(b, "{\"rank\":%u,\"score\":", r->rank) != 0
        || out_put_number(b, r->score, 4, 1) != 0
        || out_json_field(b, "file", file, strlen(file)) != 0
        || buf_printf(b, ",\"paragraph\":%u", r->paragraph) != 0
        || out_json_field(b, "title", title, strlen(title)) != 0
        || out_json_field(b, "text", r->text, r->text_len) != 0
        || out_json_field(b, "snippet", r->snip ? r->snip->text : NULL,
                          r->snip ? r->snip->len : 0) != 0
        || out_json_spans(b, "matches", r->matches) != 0
        || out_json_spans(b, "snippet_matches", r->snip ? &r->snip->hl : NULL) != 0)
        return -1;
    for (size_t k = 0; k < sizeof opt_key / sizeof *opt_key; k++)
        if (out_is_set(opt_val[k])
            && out_json_field(b, opt_key[k], opt_val[k], strlen(opt_val[k])) != 0)
            return -1;
    const out_explain *e = r->explain;
    if (e && (buf_puts(b, ",\"explain\":{\"bm25\":") != 0 || out_put_number(b, e->bm25, 4, 1) != 0
              || buf_puts(b, ",\"expansion\":") != 0 || out_put_number(b, e->expansion, 4, 1) != 0
              || buf_puts(b, ",\"policy\":") != 0 || out_put_number(b, e->policy, 4, 1) != 0
              || buf_puts(b, ",\"heading\":") != 0 || out_put_number(b, e->heading, 4, 1) != 0
              || buf_putc(b, '}') != 0))
        return -1;
    return buf_puts(b, "}\n");
}

/* See output.h.  Returns -1 also when out of memory. */
int out_json(FILE *fp, const out_result *r)
{
    buf b = BUF_INIT;
    int rc = out_build_json(&b, r) == 0 ? out_flush(fp, &b) : -1;
    buf_free(&b);
    return rc;
}

/* See output.h.  Runs of bytes that need no escape are appended in one
 * piece.  U+2028 and U+2029 are escaped too: they are legal in JSON but end
 * a line in JavaScript source and in some line-oriented tools.  On failure
 * b is truncated back to what it held, as the buf functions do. */
int json_put_string(buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t saved = b->len, run = 0;  /* run: start of bytes not yet appended */
    char esc[8];

    if (!s)
        n = 0;

    if (buf_reserve(b, n + 2) != 0 || buf_putc(b, '"') != 0)
        goto fail;
    for (size_t i = 0; i < n; ) {
        uint32_t cp;
        size_t len = out_u8_step(p, n, i, &cp);
        const char *rep = NULL;

        if (cp == '"')
            rep = "\\\"";
        else if (cp == '\\')
            rep = "\\\\";
        else if (cp == '\n')
            rep = "\\n";
        else if (cp == '\t')
            rep = "\\t";
        else if (cp == '\r')
            rep = "\\r";
        else if (cp == '\b')
            rep = "\\b";
        else if (cp == '\f')
            rep = "\\f";
        else if (cp < 0x20 || cp == 0x2028 || cp == 0x2029 || (cp == 0xFFFD && len == 1)) {
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
            rep = esc;
        }
        if (rep) {
            if (buf_append(b, p + run, i - run) != 0 || buf_puts(b, rep) != 0)
                goto fail;
            run = i + len;
        }
        i += len;
    }
    if (buf_append(b, p + run, n - run) != 0 || buf_putc(b, '"') != 0)
        goto fail;
    return 0;

fail:
    if (b->data) {
        b->len = saved;
        b->data[saved] = '\0';
    }
    return -1;
}
