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

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "utf8.h"

#define SGR_PATH   "\033[35m"        /* magenta, grep's fn= */
#define SGR_LINE   "\033[32m"        /* green, grep's ln= */
#define SGR_TITLE  "\033[1m"         /* bold */
#define SGR_MATCH  "\033[1;31m"      /* bold red, grep's ms= */
#define SGR_RESET  "\033[0m"

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

void out_explain_add(out_explain *e, const char *key, const char *label, double value)
{
    if (e->n < OUT_EXPLAIN_MAX)
        e->part[e->n++] = (out_explain_part){ key, label, value };
}

/* Append the parts of e: for people " = LABEL 1.23 + LABEL 0.00 ..."
 * (2 decimals), for JSON "\"KEY\":1.2345,\"KEY\":0,..." (4 decimals,
 * trimmed).  Returns 0, or -1 when out of memory. */
static int out_put_parts(buf *b, const out_explain *e, int json)
{
    for (size_t i = 0; i < e->n; i++) {
        const out_explain_part *p = &e->part[i];
        int rc = json ? buf_puts(b, i ? "," : "") != 0 || json_put_string(b, p->key, strlen(p->key)) != 0
                            || buf_putc(b, ':') != 0
                      : buf_printf(b, "%s%s ", i ? " + " : " = ", p->label) != 0;
        if (rc || out_put_number(b, p->value, json ? 4 : 2, json) != 0)
            return -1;
    }
    return 0;
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
        size_t len = utf8_step(p + i, n - i, &cp);
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
        size_t len = utf8_step(p + i, n - i, &cp);
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
    if (r->page && buf_printf(b, "  p. %u%s", r->page, r->ocr ? ", OCR" : "") != 0)
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
    if (r->ndups && buf_printf(b, "  (also in %zu other place%s)", r->ndups, r->ndups == 1 ? "" : "s") != 0)
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
    if (r->explain && (buf_puts(b, "\n  score ") != 0 || out_put_number(b, r->score, 2, 0) != 0
                       || out_put_parts(b, r->explain, 0) != 0))
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

/* --- JSON ----------------------------------------------------------------- */

/* Append the comma before a member or element unless it is the first one
 * (output.h), then `"key":` when key is set.  Returns 0, or -1 when out of
 * memory. */
static int json_key(buf *b, const char *key)
{
    char last = b->len ? b->data[b->len - 1] : '\n';
    if (last != '{' && last != '[' && last != '\n' && buf_putc(b, ',') != 0)
        return -1;
    if (!key)
        return 0;
    if (json_put_string(b, key, strlen(key)) != 0)
        return -1;
    return buf_putc(b, ':');
}

int json_open(buf *b, const char *key, int bracket)
{
    return json_key(b, key) == 0 ? buf_putc(b, (char)bracket) : -1;
}

int json_close(buf *b, int bracket)
{
    return buf_putc(b, (char)bracket);
}

int json_str(buf *b, const char *key, const char *s, size_t n)
{
    if (json_key(b, key) != 0)
        return -1;
    return s ? json_put_string(b, s, n) : buf_puts(b, "null");
}

int json_uint(buf *b, const char *key, uint64_t v)
{
    return json_key(b, key) == 0 ? buf_printf(b, "%" PRIu64, v) : -1;
}

int json_bool(buf *b, const char *key, int v)
{
    return json_key(b, key) == 0 ? buf_puts(b, v ? "true" : "false") : -1;
}

int json_null(buf *b, const char *key)
{
    return json_key(b, key) == 0 ? buf_puts(b, "null") : -1;
}

int json_fixed(buf *b, const char *key, double v, int digits)
{
    if (json_key(b, key) != 0)
        return -1;
    return isfinite(v) ? buf_printf(b, "%.*f", digits, v) : buf_puts(b, "null");
}

/* Append `,"key":` then the JSON string s[0..n) ("" when s is NULL): a
 * member of a result's line.  Returns 0, or -1 when out of memory. */
static int out_json_field(buf *b, const char *key, const char *s, size_t n)
{
    return json_str(b, key, s ? s : "", s ? n : 0);
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

/* The region *r under key: {"province","city","county","code"} (code the
 * six GB/T 2260 digits of the deepest level known; null for a level not
 * known), or the string "unknown" when not even the province is known. */
int out_json_region(buf *b, const char *key, const ps_region *r)
{
    if (!r->province)
        return json_str(b, key, "unknown", 7);
    char code[16];
    snprintf(code, sizeof code, "%06d", r->code);
    return json_open(b, key, '{') != 0
        || json_str(b, "province", r->province, strlen(r->province)) != 0
        || json_str(b, "city", r->city, r->city ? strlen(r->city) : 0) != 0
        || json_str(b, "county", r->county, r->county ? strlen(r->county) : 0) != 0
        || json_str(b, "code", r->code ? code : NULL, r->code ? strlen(code) : 0) != 0
        || json_close(b, '}') != 0 ? -1 : 0;
}

/* Build the JSON line of r into b.  Returns 0, or -1 when out of memory. */
static int out_build_json(buf *b, const out_result *r)
{
    const char *file = r->file ? r->file : "";
    const char *title = r->title ? r->title : "";
    const char *opt_key[] = { "date", "issuer", "docno", "source" };
    const char *opt_val[] = { r->date, r->issuer, r->docno, r->source };

    if (buf_putc(b, '{') != 0
        || (r->query && (json_put_string(b, "query", 5) != 0 || buf_putc(b, ':') != 0
                         || json_put_string(b, r->query, strlen(r->query)) != 0 || buf_putc(b, ',') != 0))
        || buf_printf(b, "\"rank\":%u,\"score\":", r->rank) != 0
        || out_put_number(b, r->score, 4, 1) != 0
        || out_json_field(b, "file", file, strlen(file)) != 0
        || buf_printf(b, ",\"paragraph\":%u", r->paragraph) != 0
        || (r->page && buf_printf(b, ",\"page\":%u", r->page) != 0)
        || (r->ocr && buf_puts(b, ",\"ocr\":true") != 0)
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
    if (r->region && out_json_region(b, "region", r->region) != 0)
        return -1;
    if (r->explain && (buf_puts(b, ",\"explain\":{") != 0 || out_put_parts(b, r->explain, 1) != 0
                       || buf_putc(b, '}') != 0))
        return -1;
    if (r->collapsed && buf_puts(b, ",\"duplicates\":[") != 0)
        return -1;
    for (size_t k = 0; r->collapsed && k < r->ndups; k++) {
        const char *f = r->dups[k].file ? r->dups[k].file : "";
        if (buf_puts(b, k ? ",{\"file\":" : "{\"file\":") != 0 || json_put_string(b, f, strlen(f)) != 0
            || buf_printf(b, ",\"paragraph\":%u}", r->dups[k].paragraph) != 0)
            return -1;
    }
    if (r->collapsed && buf_putc(b, ']') != 0)
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

/* See output.h. */
int out_json_append(buf *b, const out_result *r)
{
    size_t saved = b->len;
    if (out_build_json(b, r) == 0)
        return 0;
    if (b->data) {
        b->len = saved;
        b->data[saved] = '\0';
    }
    return -1;
}

/* The characters JSON escapes with a backslash and a letter, and those
 * escapes, in the same order. */
static const char json_short[] = "\"\\\n\t\r\b\f";
static const char *const json_short_esc[] = { "\\\"", "\\\\", "\\n", "\\t", "\\r", "\\b", "\\f" };

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
        size_t len = utf8_step(p + i, n - i, &cp);
        const char *rep = NULL;
        const char *hit = cp != 0 && cp < 0x80 ? strchr(json_short, (int)cp) : NULL;

        if (hit)
            rep = json_short_esc[hit - json_short];
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

/* --- scripts: TSV, CSV, templates; corpus linguists: KWIC ------------------ */

/* The value of column `name` of r as a string (numbers formatted into tmp). */
static const char *out_column(const out_result *r, const char *name, buf *tmp, size_t *len)
{
    const char *v = NULL;
    buf_clear(tmp);
    if (!strcmp(name, "rank")) {
        buf_printf(tmp, "%u", r->rank);
    } else if (!strcmp(name, "score")) {
        out_put_number(tmp, r->score, 4, 1);
    } else if (!strcmp(name, "paragraph")) {
        buf_printf(tmp, "%u", r->paragraph);
    } else if (!strcmp(name, "page")) {
        if (r->page)
            buf_printf(tmp, "%u", r->page);
    } else if (!strcmp(name, "snippet")) {
        *len = r->snip && r->snip->text ? r->snip->len : 0;
        return r->snip && r->snip->text ? r->snip->text : "";
    } else if (!strcmp(name, "text")) {
        *len = r->text_len;
        return r->text;
    } else {
        if (!strcmp(name, "file")) v = r->file;
        else if (!strcmp(name, "title")) v = r->title;
        else if (!strcmp(name, "date")) v = r->date;
        else if (!strcmp(name, "issuer")) v = r->issuer;
        else if (!strcmp(name, "docno")) v = r->docno;
        else if (!strcmp(name, "query")) v = r->query;
        else return NULL;
        v = v ? v : "";
        *len = strlen(v);
        return v;
    }
    *len = tmp->len;
    return tmp->data ? tmp->data : "";
}

/* Append s[0..n) with tabs, line breaks and other controls as spaces. */
static int out_put_field_flat(buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (buf_putc(b, c < 0x20 || c == 0x7F ? ' ' : c) != 0)
            return -1;
    }
    return 0;
}

/* Append s[0..n) as an RFC 4180 field. */
static int out_put_field_csv(buf *b, const char *s, size_t n)
{
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n))
        return buf_append(b, s, n);
    if (buf_putc(b, '"') != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((s[i] == '"' && buf_putc(b, '"') != 0) || buf_putc(b, s[i]) != 0)
            return -1;
    return buf_putc(b, '"');
}

/* See output.h. */
int out_field(buf *b, const char *s, size_t n, int csv)
{
    return csv ? out_put_field_csv(b, s, n) : out_put_field_flat(b, s, n);
}

/* Finish a line built in b: when rc is 0 append eol and write b to fp.
 * Frees b and tmp either way.  Returns 0, or -1 when rc was not 0 or the
 * line could not be appended or written. */
static int out_end_line(FILE *fp, buf *b, buf *tmp, int rc, const char *eol)
{
    if (rc == 0 && buf_puts(b, eol) == 0)
        rc = out_flush(fp, b);
    else
        rc = -1;
    buf_free(b);
    buf_free(tmp);
    return rc;
}
/* Write r's columns separated by sep, each through put, then eol. */
static int out_columns(FILE *fp, const out_result *r, char sep, const char *eol,
                       int (*put)(buf *, const char *, size_t))
{
    static const char *const cols[] = { "query", OUT_COLUMNS };
    buf b = BUF_INIT, tmp = BUF_INIT;
    int rc = 0;
    for (size_t i = r->query ? 0 : 1; i < sizeof cols / sizeof *cols && rc == 0; i++) {
        size_t len = 0;
        const char *v = out_column(r, cols[i], &tmp, &len);
        if ((i > (r->query ? 0u : 1u) && buf_putc(&b, sep) != 0) || put(&b, v, len) != 0)
            rc = -1;
    }
    return out_end_line(fp, &b, &tmp, rc, eol);
}

int out_tsv(FILE *fp, const out_result *r)
{
    return out_columns(fp, r, '\t', "\n", out_put_field_flat);
}

int out_csv(FILE *fp, const out_result *r)
{
    return out_columns(fp, r, ',', "\r\n", out_put_field_csv);
}

int out_line(buf *b, const char *const *f, size_t n, int csv)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = (i && buf_putc(b, csv ? ',' : '\t') != 0) || out_field(b, f[i] ? f[i] : "", f[i] ? strlen(f[i]) : 0, csv) != 0;
    return rc || buf_puts(b, csv ? "\r\n" : "\n") != 0 ? -1 : 0;
}

int out_csv_header(FILE *fp, int bom, int with_query)
{
    static const char *const cols[] = { OUT_COLUMNS };
    buf b = BUF_INIT;
    int rc = 0;
    if (bom)
        rc |= buf_puts(&b, "\xEF\xBB\xBF");
    if (with_query)
        rc |= buf_puts(&b, "query,");
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
        rc |= buf_printf(&b, "%s%s", i ? "," : "", cols[i]);
    rc |= buf_puts(&b, "\r\n");
    rc = rc == 0 ? out_flush(fp, &b) : -1;
    buf_free(&b);
    return rc;
}

int out_format(FILE *fp, const out_result *r, const char *tmpl)
{
    buf b = BUF_INIT, tmp = BUF_INIT;
    int rc = 0;
    for (const char *p = tmpl; *p && rc == 0; p++) {
        if (p[0] == '\\' && (p[1] == 't' || p[1] == 'n' || p[1] == '\\')) {
            rc = buf_putc(&b, p[1] == 't' ? '\t' : p[1] == 'n' ? '\n' : '\\');
            p++;
        } else if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            rc = buf_putc(&b, p[0]);
            p++;
        } else if (p[0] == '{' && strchr(p, '}')) {
            const char *end = strchr(p, '}');
            char name[32];
            size_t n = (size_t)(end - p - 1), len = 0;
            const char *v = NULL;
            if (n < sizeof name) {
                memcpy(name, p + 1, n);
                name[n] = '\0';
                v = out_column(r, name, &tmp, &len);
            }
            rc = v ? buf_append(&b, v, len) : buf_append(&b, p, (size_t)(end - p + 1));
            p = end;
        } else {
            rc = buf_putc(&b, *p);
        }
    }
    return out_end_line(fp, &b, &tmp, rc, "\n");
}

/* Display columns of a code point on a terminal: East Asian wide forms two. */
static int out_cp_width(uint32_t cp)
{
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

int out_kwic(FILE *fp, const out_result *r, size_t context, int color)
{
    const unsigned char *t = (const unsigned char *)r->text;
    size_t n = r->text_len;
    /* Byte offset of every code point, so spans can be cut in bytes. */
    size_t ncp = 0;
    for (size_t i = 0; i < n; ncp++) {
        uint32_t cp;
        i += utf8_step(t + i, n - i, &cp);
    }
    size_t *off = malloc((ncp + 1) * sizeof *off);
    uint32_t *cps = malloc((ncp + 1) * sizeof *cps);
    if (!off || !cps) {
        free(off);
        free(cps);
        return -1;
    }
    for (size_t i = 0, k = 0; i < n; k++) {
        off[k] = i;
        i += utf8_step(t + i, n - i, &cps[k]);
    }
    off[ncp] = n;
    buf b = BUF_INIT;
    int rc = 0;
    for (size_t m = 0; r->matches && m < r->matches->n && rc == 0; m++) {
        size_t ms = r->matches->v[m].start, me = ms + r->matches->v[m].len;
        if (me > ncp)
            continue;
        size_t ls = ms > context ? ms - context : 0;
        size_t re = me + context < ncp ? me + context : ncp;
        int width = 0;
        for (size_t k = ls; k < ms; k++)
            width += out_cp_width(cps[k]);
        for (int pad = (int)(2 * context) - width; pad > 0 && rc == 0; pad--)
            rc = buf_putc(&b, ' ');
        for (size_t k = ls; k < re && rc == 0; k++) {
            if (k == ms && color)
                rc |= buf_puts(&b, "\033[1;31m");
            uint32_t c = cps[k];
            rc |= (c < 0x20 || c == 0x7F) ? buf_putc(&b, ' ') : buf_append(&b, t + off[k], off[k + 1] - off[k]);
            if (k + 1 == me && color)
                rc |= buf_puts(&b, "\033[0m");
        }
        for (size_t k = re; k < me + context && rc == 0; k++)
            rc = buf_puts(&b, "  ");
        rc |= buf_puts(&b, "  ");
        rc |= out_put_styled(&b, "\033[35m", r->file ? r->file : "", color);
        rc |= buf_printf(&b, ":%u\n", r->paragraph);
    }
    if (rc == 0)
        rc = out_flush(fp, &b);
    buf_free(&b);
    free(off);
    free(cps);
    return rc;
}

/* See output.h.  Returns -1 also when out of memory. */
int out_citation(FILE *fp, const out_result *r, const char *ref, size_t ref_len, int color)
{
    buf b = BUF_INIT;
    char *flat = malloc(ref_len + 1);
    int rc = flat ? 0 : -1;
    if (flat) {
        memcpy(flat, ref, ref_len);
        flat[ref_len] = '\0';
        for (size_t i = 0; i < ref_len; i++)
            if (flat[i] == '\0')
                flat[i] = ' ';
    }
    rc |= out_put_styled(&b, SGR_PATH, r->file ? r->file : "", color);
    rc |= buf_putc(&b, ':');
    rc |= color ? buf_puts(&b, SGR_LINE) : 0;
    rc |= buf_printf(&b, "%u", r->paragraph);
    rc |= color ? buf_puts(&b, SGR_RESET) : 0;
    rc |= buf_putc(&b, '\t');
    rc |= flat ? out_put_plain(&b, flat) : -1;
    rc |= buf_putc(&b, '\t');
    if (r->snip && r->snip->text)
        rc |= color ? out_put_highlighted(&b, r->snip->text, r->snip->len, &r->snip->hl)
                    : buf_append(&b, r->snip->text, r->snip->len);
    rc |= buf_putc(&b, '\n');
    if (rc == 0)
        rc = out_flush(fp, &b);
    buf_free(&b);
    free(flat);
    return rc ? -1 : 0;
}
