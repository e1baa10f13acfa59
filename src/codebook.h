/* codebook.h — a codebook for policy-instrument coding (polsearch code).
 *
 * A codebook is UTF-8 text, one rule a line:  CODE<TAB>QUERY
 *   - CODE names a code; codes are hierarchical with '/' (供给型/人才培养:
 *     the code 人才培养 under the parent 供给型); no segment may be empty;
 *   - QUERY is a query in polsearch's syntax (query.h), checked here;
 *   - a code may have several lines: a paragraph carries the code when it
 *     matches any of them;
 *   - blank lines and lines whose first non-blank character is '#' are
 *     comments; a line may end in CRLF.
 * The parser is fuzz-safe: any bytes give a codebook or an error naming
 * FILE:LINE and the reason (PS_USAGE), never a crash.
 *
 * The codes are kept with their ancestors: for each code written in the
 * codebook its parents come first (those not met before), so 供给型 comes
 * before 供给型/人才培养 and the order is otherwise the codebook's. */
#ifndef POLSEARCH_CODEBOOK_H
#define POLSEARCH_CODEBOOK_H

#include <stddef.h>

#include "err.h"

#define CODEBOOK_NONE ((size_t)-1)   /* no parent */
#define CODEBOOK_MAX_CODE 256        /* bytes in a code */
#define CODEBOOK_MAX_DEPTH 16        /* levels in a code */

typedef struct cb_code {
    char   *name;                    /* the whole code, 供给型/人才培养 (malloc'd) */
    size_t  parent;                  /* index of its parent code, or CODEBOOK_NONE */
    size_t  depth;                   /* 0 for a top-level code */
    int     written;                 /* it has lines of its own (not only an ancestor) */
} cb_code;

typedef struct cb_rule {
    size_t  code;                    /* index into codes */
    char   *query;                   /* the query, trimmed (malloc'd) */
    unsigned line;                   /* its 1-based line in the codebook */
} cb_rule;

typedef struct codebook {
    cb_code *codes;                  /* every code, ancestors included, parents first */
    size_t   ncodes;                 /* number of codes */
    cb_rule *rules;                  /* the lines, in order */
    size_t   nrules;                 /* number of rules */
    size_t   capcodes;               /* codes allocated */
    size_t   caprules;               /* rules allocated */
} codebook;

#define CODEBOOK_INIT { NULL, 0, NULL, 0, 0, 0 }

/* Parse data[0..len) into *cb (empty first), naming errors after name.
 * Returns 0, or -1 with *err set: PS_USAGE "NAME:LINE: reason" for a bad
 * line (no tab, empty or malformed code, bad query, invalid UTF-8), or
 * "NAME: no rules" for a codebook without one; PS_NOMEM.  *cb is empty
 * after an error. */
int codebook_parse(const char *name, const char *data, size_t len, codebook *cb, ps_err *err);

/* codebook_parse on the file at path (PS_IO "PATH: reason" when it cannot
 * be read). */
int codebook_load(const char *path, codebook *cb, ps_err *err);

/* 1 when code a is b or one of b's ancestors, else 0. */
int codebook_covers(const codebook *cb, size_t a, size_t b);

/* Free what *cb holds and empty it. */
void codebook_free(codebook *cb);

#endif
