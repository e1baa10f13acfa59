/* fuzz_codebook.c — libFuzzer harness for codebook.c (polsearch code's
 * CODE<TAB>QUERY parser, with query.c behind it).
 *
 * Input: a codebook's bytes.  codebook_parse must either refuse them
 * (PS_USAGE or PS_NOMEM, a one-line message naming the codebook, and an
 * empty codebook left) or give one in which:
 *   - there is at least one rule, and every rule names a code that exists,
 *     has a non-empty query without a tab or line break, and a line number
 *     within the input's lines;
 *   - every code's name is valid UTF-8 of at most CODEBOOK_MAX_CODE bytes
 *     with no empty segment; its parent comes before it, is named by the
 *     part before its last '/', and is one level shallower; a top-level code
 *     has no '/'; no two codes share a name;
 *   - codebook_covers holds for a code and itself and for a parent and its
 *     child, never for a child and its parent. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codebook.h"
#include "fuzz_common.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    codebook cb = CODEBOOK_INIT;
    ps_err err = PS_ERR_INIT;
    int rc = codebook_parse("cb.tsv", (const char *)data, size, &cb, &err);
    if (rc != 0) {
        FUZZ_CHECK(rc == -1, "rc %d", rc);
        FUZZ_CHECK(err.code == PS_USAGE || err.code == PS_NOMEM, "code %d: %s", err.code, err.msg);
        FUZZ_CHECK(err.msg[0] && !strchr(err.msg, '\n'), "message '%s'", err.msg);
        FUZZ_CHECK(err.code == PS_NOMEM || strncmp(err.msg, "cb.tsv", 6) == 0, "unnamed: %s", err.msg);
        FUZZ_CHECK(cb.ncodes == 0 && cb.nrules == 0, "%zu codes left", cb.ncodes);
        codebook_free(&cb);
        return 0;
    }
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    FUZZ_CHECK(cb.nrules > 0 && cb.ncodes > 0, "%zu rules, %zu codes", cb.nrules, cb.ncodes);
    for (size_t i = 0; i < cb.nrules; i++) {
        const cb_rule *r = &cb.rules[i];
        FUZZ_CHECK(r->code < cb.ncodes, "rule %zu: code %zu", i, r->code);
        FUZZ_CHECK(r->query && r->query[0], "rule %zu: empty query", i);
        FUZZ_CHECK(!strpbrk(r->query, "\t\n"), "rule %zu: query '%s'", i, r->query);
        FUZZ_CHECK(r->line >= 1 && r->line <= lines, "rule %zu: line %u of %zu", i, r->line, lines);
    }
    for (size_t i = 0; i < cb.ncodes; i++) {
        const cb_code *c = &cb.codes[i];
        size_t n = strlen(c->name);
        FUZZ_CHECK(n > 0 && n <= CODEBOOK_MAX_CODE, "code %zu: %zu bytes", i, n);
        FUZZ_CHECK(utf8_validate(c->name, n) == n, "code %zu: not UTF-8", i);
        FUZZ_CHECK(c->name[0] != '/' && c->name[n - 1] != '/' && !strstr(c->name, "//"),
                   "code %zu: empty segment in '%s'", i, c->name);
        const char *slash = strrchr(c->name, '/');
        if (c->parent == CODEBOOK_NONE) {
            FUZZ_CHECK(!slash && c->depth == 0, "code '%s': no parent, depth %zu", c->name, c->depth);
        } else {
            const cb_code *p = &cb.codes[c->parent];
            FUZZ_CHECK(c->parent < i, "code '%s': parent %zu after it", c->name, c->parent);
            FUZZ_CHECK(slash && (size_t)(slash - c->name) == strlen(p->name) &&
                       strncmp(c->name, p->name, strlen(p->name)) == 0,
                       "code '%s': parent '%s'", c->name, p->name);
            FUZZ_CHECK(c->depth == p->depth + 1, "code '%s': depth %zu", c->name, c->depth);
            FUZZ_CHECK(codebook_covers(&cb, c->parent, i) && !codebook_covers(&cb, i, c->parent),
                       "code '%s': covers", c->name);
        }
        FUZZ_CHECK(codebook_covers(&cb, i, i), "code '%s' does not cover itself", c->name);
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(cb.codes[j].name, c->name) != 0, "code '%s' twice", c->name);
    }
    codebook_free(&cb);
    return 0;
}
