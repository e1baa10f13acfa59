/* zipread.h — the parts of a zip archive held in memory (libzip), safely.
 *
 * For DOCX and OFD: open the archive from bytes already read, then read a
 * member by name.  A member is never inflated past the caller's limit (the
 * declared size is not trusted: reading stops at the limit), names are
 * looked up exactly as given (a reader resolves "../" itself with
 * zipread_resolve, and a name that would climb out of the archive is
 * refused there, never looked up). */
#ifndef POLSEARCH_ZIPREAD_H
#define POLSEARCH_ZIPREAD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

typedef struct zipread zipread;      /* an open archive (opaque) */

/* Open the zip archive data[0..len) (the bytes stay the caller's and must
 * outlive the handle).  NULL with err set (PS_INPUT "not a zip archive" /
 * "damaged zip archive: WHY", PS_NOMEM) on failure. */
zipread *zipread_open(const unsigned char *data, size_t len, ps_err *err);
/* 1 if the archive has a member of exactly this name, 0 if not. */
int zipread_has(zipread *z, const char *name);
/* Read member name into out (appended, NUL-terminated), at most max bytes
 * (0: no limit).  Returns 0; -1 with err set: PS_INPUT "NAME: no such part",
 * "NAME: larger than the limit of N MB (--max-file-size)", "NAME: damaged
 * (WHY)"; PS_NOMEM. */
int zipread_get(zipread *z, const char *name, uint64_t max, buf *out, ps_err *err);
/* Close the archive. */
void zipread_close(zipread *z);

/* Resolve a reference ref made inside member base (e.g. base "Doc_0/Document.xml",
 * ref "Pages/Page_0/Content.xml" or "/Doc_0/Res.xml") into an archive
 * member name in out (outlen bytes): a leading '/' means the archive root,
 * otherwise ref is relative to base's folder; "." and ".." segments are
 * resolved, backslashes count as '/'.  Returns 0, or -1 when the result
 * would lie outside the archive or does not fit. */
int zipread_resolve(const char *base, const char *ref, char *out, size_t outlen);

#endif
