/* err.h — polsearch's one error type (after FTS5's sticky rc).
 *
 * A ps_err is a code plus a one-line message.  Library modules never print:
 * they fill a ps_err; commands print err.msg with ps_msg.
 *
 * The one return convention: a function that can fail returns 0 on success
 * and nonzero on failure, with the reason always in its ps_err (never only
 * in errno), or a pointer that is NULL on failure, the reason again in the
 * ps_err.  The nonzero value is the ps_err's code for the functions that
 * say so (the shim's xs_*, the sticky helpers below) and -1 for the others,
 * so a caller tests `!= 0` (or `!p`) and reads the ps_err, never the value.
 * A predicate that can fail returns 1 / 0, or -1 with the reason in the
 * ps_err.  A helper that takes a ps_err does nothing and returns its code
 * once it holds an error (FTS5's `int *pRc`): a sequence of calls can be
 * written without a check after each and tested once at the end.  The
 * growth helpers in this form are buf.h's buf_e* and ARRAY_EGROW; the
 * first error is kept, because later ones are usually its consequences.
 *
 * The codes say what a caller can do about the error:
 *   PS_SKIP    the input is not something polsearch indexes (binary, empty,
 *              encrypted, no text layer): skip it, say why, go on;
 *   PS_INPUT   the input is damaged or hostile: report it, go on with the rest;
 *   PS_IO      a file could not be read or written (msg holds strerror);
 *   PS_NOMEM   out of memory;
 *   PS_INDEX   the index is missing or damaged (Xapian: DatabaseCorruptError);
 *   PS_USAGE   the user asked for something impossible (bad option value);
 *   PS_XAPIAN  any other error Xapian reported;
 * and, for Xapian errors that callers tell apart (the shim maps Xapian's
 * exception types to these, xapian-shim.h):
 *   PS_OPENING   no database at that path, or it cannot be opened
 *                (DatabaseNotFoundError, DatabaseOpeningError);
 *   PS_VERSION   a database format this Xapian cannot read (DatabaseVersionError);
 *   PS_LOCKED    another writer holds the database (DatabaseLockError);
 *   PS_MODIFIED  the database changed under a reader even after a reopen
 *                (DatabaseModifiedError): a busy writer, or a damaged block;
 *   PS_NETWORK   a remote database: connection failed, timed out or closed
 *                (NetworkError, NetworkTimeoutError). */
#ifndef POLSEARCH_ERR_H
#define POLSEARCH_ERR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {                         /* the Xapian shim (C++) reports through it too */
#endif

enum ps_code {
    PS_OK = 0,                       /* no error */
    PS_SKIP,                         /* not indexable input: skip with the reason */
    PS_INPUT,                        /* damaged or hostile input */
    PS_IO,                           /* reading or writing a file failed */
    PS_NOMEM,                        /* out of memory */
    PS_INDEX,                        /* index missing, damaged or of another format */
    PS_USAGE,                        /* impossible request from the user */
    PS_XAPIAN,                       /* another error reported by Xapian */
    PS_OPENING,                      /* no database there, or it cannot be opened */
    PS_VERSION,                      /* a database format this Xapian cannot read */
    PS_LOCKED,                       /* another writer holds the database */
    PS_MODIFIED,                     /* changed under a reader too often */
    PS_NETWORK,                      /* remote database unreachable, timed out or closed */
    PS_TIMEOUT                       /* a request ran past its time limit (search_set_deadline) */
};

typedef struct ps_err {
    int  code;                       /* an enum ps_code; PS_OK while no error is set */
    char msg[512];                   /* one line, no "polsearch: " prefix, NUL-terminated */
} ps_err;

#define PS_ERR_INIT { PS_OK, "" }

/* Set *e to code and the formatted message, unless e is NULL or already
 * holds an error.  Returns the code now in e (so `return ps_err_set(...)`
 * passes the first error on). */
int ps_err_set(ps_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* ps_err_set(e, PS_NOMEM, "out of memory"). */
int ps_err_nomem(ps_err *e);
/* How sure a message is that an index is damaged, which decides the words
 * before the advice (the advice itself is written once, in err.c). */
enum ps_damage {
    PS_DAMAGED,                      /* "the index is damaged: rebuild it with ..." */
    PS_DAMAGED_IF,                   /* "if the index is damaged, rebuild it with ..." */
    PS_DAMAGED_IF_IT,                /* "if it is damaged, rebuild it with ..." */
    PS_DAMAGED_UNLESS_WRITTEN,       /* "if no indexing run is writing it, the index is damaged: ..." */
    PS_DAMAGED_REBUILD               /* "rebuild it with ..." (WHAT says what is wrong) */
};

/* ps_err_set(e, PS_INDEX, "NAME: WHAT; <how> rebuild it with 'polsearch
 * index --full -d INDEX'"): the one wording of that advice.  NAME is what
 * failed (an index, one of its shards, or "the indexes"); INDEX is the
 * directory to name in the advice, or NULL to leave "-d INDEX" out (where
 * several indexes or a remote one were read); NAME may be NULL for a
 * message that starts with WHAT. */
int ps_err_damaged(ps_err *e, enum ps_damage how, const char *name, const char *index,
                   const char *what);
/* ps_err_damaged for a failure whose cause (a lower layer's ps_err code,
 * such as the shim's) may not be the index's fault: when the memory ran
 * out (PS_NOMEM) just ps_err_nomem, with no rebuild advice. */
int ps_err_damaged_by(ps_err *e, int cause, enum ps_damage how, const char *name, const char *index,
                      const char *what);
/* Reset *e to no error. */
void ps_err_clear(ps_err *e);

#ifdef __cplusplus
}
#endif

#endif
