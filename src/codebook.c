/* codebook.c — parsing a policy-instrument codebook (codebook.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codebook.h"
#include "query.h"
#include "utf8.h"

/* 1 for the ASCII blanks trimmed around a code or a query (trim also
 * takes U+3000, the ideographic space). */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* s[*lo..*hi) without ASCII blanks and ideographic spaces at either end. */
static void trim(const char *s, size_t *lo, size_t *hi)
{
    for (;;) {
        if (*lo < *hi && is_space(s[*lo]))
            (*lo)++;
        else if (*hi - *lo >= 3 && !memcmp(s + *lo, "\xE3\x80\x80", 3))
            *lo += 3;
        else
            break;
    }
    for (;;) {
        if (*hi > *lo && is_space(s[*hi - 1]))
            (*hi)--;
        else if (*hi - *lo >= 3 && !memcmp(s + *hi - 3, "\xE3\x80\x80", 3))
            *hi -= 3;
        else
            break;
    }
}

/* The index of the code called s[0..n), added (with its ancestors first)
 * when new.  Returns the index, or CODEBOOK_NONE out of memory. */
static size_t code_index(codebook *cb, const char *s, size_t n)
{
    for (size_t i = 0; i < cb->ncodes; i++)
        if (strlen(cb->codes[i].name) == n && !memcmp(cb->codes[i].name, s, n))
            return i;
    size_t parent = CODEBOOK_NONE, depth = 0;
    const char *slash = NULL;
    for (size_t i = n; i > 0; i--)
        if (s[i - 1] == '/') {
            slash = s + i - 1;
            break;
        }
    if (slash) {
        parent = code_index(cb, s, (size_t)(slash - s));
        if (parent == CODEBOOK_NONE)
            return CODEBOOK_NONE;
        depth = cb->codes[parent].depth + 1;
    }
    if (ARRAY_GROW(cb->codes, cb->capcodes, cb->ncodes + 1) != 0)
        return CODEBOOK_NONE;
    char *name = strndup(s, n);
    if (!name)
        return CODEBOOK_NONE;
    cb->codes[cb->ncodes] = (cb_code){ .name = name, .parent = parent, .depth = depth, .written = 0 };
    return cb->ncodes++;
}

/* What is wrong with the code s[0..n), or NULL when it is well formed. */
static const char *code_problem(const char *s, size_t n)
{
    if (n == 0)
        return "empty code before the tab";
    if (n > CODEBOOK_MAX_CODE)
        return "code longer than 256 bytes";
    size_t depth = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F)
            return "control character in the code";
        if (c == '/') {
            if (i == 0 || i + 1 == n || s[i - 1] == '/')
                return "empty level in the code (CODE/SUB, no '/' at either end or twice)";
            if (++depth >= CODEBOOK_MAX_DEPTH)
                return "code nested deeper than 16 levels";
        }
    }
    return NULL;
}

/* Add the line s[0..n), line number line, to *cb.  Returns 0, or -1 with
 * *err set. */
static int parse_line(const char *name, unsigned line, const char *s, size_t n, codebook *cb, ps_err *err)
{
    size_t lo = 0, hi = n;
    trim(s, &lo, &hi);
    if (lo == hi || s[lo] == '#')
        return 0;
    if (utf8_validate(s, n) != n)
        return ps_err_set(err, PS_USAGE, "%s:%u: not UTF-8", name, line), -1;
    for (size_t i = 0; i < n; i++)   /* a NUL would end the query early; the rest are no text */
        if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\r')
            return ps_err_set(err, PS_USAGE, "%s:%u: a control character (byte 0x%02x)", name, line,
                              (unsigned char)s[i]), -1;
    const char *tab = memchr(s, '\t', n);
    if (!tab)
        return ps_err_set(err, PS_USAGE, "%s:%u: no tab between the code and the query (CODE<TAB>QUERY)",
                          name, line), -1;
    size_t clo = 0, chi = (size_t)(tab - s), qlo = chi + 1, qhi = n;
    trim(s, &clo, &chi);
    trim(s, &qlo, &qhi);
    const char *why = code_problem(s + clo, chi - clo);
    if (why)
        return ps_err_set(err, PS_USAGE, "%s:%u: %s", name, line, why), -1;
    if (qlo == qhi)
        return ps_err_set(err, PS_USAGE, "%s:%u: empty query after the tab", name, line), -1;
    /* A third column (a note, a weight) would silently join the query's words. */
    if (memchr(s + qlo, '\t', qhi - qlo))
        return ps_err_set(err, PS_USAGE, "%s:%u: more than two columns (a line is CODE<TAB>QUERY)",
                          name, line), -1;
    pq_query *q = NULL;
    ps_err qerr = PS_ERR_INIT;
    int rc = pq_parse(s + qlo, qhi - qlo, &q, &qerr);
    pq_free(q);
    if (rc < 0)
        return ps_err_nomem(err), -1;
    if (rc > 0)
        return ps_err_set(err, PS_USAGE, "%s:%u: %s", name, line, qerr.msg), -1;
    size_t code = code_index(cb, s + clo, chi - clo);
    int grown = code != CODEBOOK_NONE && ARRAY_GROW(cb->rules, cb->caprules, cb->nrules + 1) == 0;
    char *query = grown ? strndup(s + qlo, qhi - qlo) : NULL;
    if (!query)
        return ps_err_nomem(err), -1;
    cb->codes[code].written = 1;
    cb->rules[cb->nrules++] = (cb_rule){ .code = code, .query = query, .line = line };
    return 0;
}

int codebook_parse(const char *name, const char *data, size_t len, codebook *cb, ps_err *err)
{
    *cb = (codebook)CODEBOOK_INIT;
    unsigned line = 0;
    size_t at = 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        at = 3;                      /* a byte-order mark (Excel's UTF-8 export) */
    while (at < len) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - data) : len;
        if (line == UINT32_MAX || parse_line(name, ++line, data + at, end - at, cb, err) != 0) {
            ps_err_set(err, PS_USAGE, "%s: too many lines", name);
            codebook_free(cb);
            return -1;
        }
        at = end + 1;
    }
    if (cb->nrules == 0) {
        codebook_free(cb);
        return ps_err_set(err, PS_USAGE, "%s: no rules (CODE<TAB>QUERY lines)", name), -1;
    }
    return 0;
}

int codebook_load(const char *path, codebook *cb, ps_err *err)
{
    *cb = (codebook)CODEBOOK_INIT;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ps_err_set(err, PS_IO, "%s: %s", path, strerror(errno)), -1;
    buf b = BUF_INIT;
    char chunk[8192];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        rc = buf_append(&b, chunk, n);
    int bad = ferror(fp);
    fclose(fp);
    if (rc != 0)
        ps_err_nomem(err);
    else if (bad)
        ps_err_set(err, PS_IO, "%s: read error", path);
    else
        rc = codebook_parse(path, b.data ? b.data : "", b.len, cb, err);
    buf_free(&b);
    return rc != 0 || bad ? -1 : 0;
}

int codebook_covers(const codebook *cb, size_t a, size_t b)
{
    for (size_t i = b; i != CODEBOOK_NONE; i = cb->codes[i].parent)
        if (i == a)
            return 1;
    return 0;
}

void codebook_free(codebook *cb)
{
    for (size_t i = 0; i < cb->ncodes; i++)
        free(cb->codes[i].name);
    for (size_t i = 0; i < cb->nrules; i++)
        free(cb->rules[i].query);
    free(cb->codes);
    free(cb->rules);
    *cb = (codebook)CODEBOOK_INIT;
}
