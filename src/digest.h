/* digest.h — the one cryptographic hash: SHA-256 (nettle's), as lower-case
 * hex, for what must name the exact bytes it came from: a file as it was
 * indexed (its file record, store.h), the lexicon of a manifest
 * (`polsearch stats --manifest`).  hash.h keeps the fast non-cryptographic
 * hash for keys.  Nothing here prints. */
#ifndef POLSEARCH_DIGEST_H
#define POLSEARCH_DIGEST_H

#include <stddef.h>

#include "err.h"

#define DIGEST_HEX_SIZE 65           /* 64 hex digits of a SHA-256 and the NUL */

/* The SHA-256 of data[0..len) as 64 lower-case hex digits into hex.
 * Returns 0, or -1 with PS_IO in *err when nettle cannot be opened (it is
 * loaded on the first digest, digest.c); does nothing but empty hex when
 * *err already holds an error. */
int  digest_sha256_hex(const void *data, size_t len, char hex[DIGEST_HEX_SIZE], ps_err *err);
/* The SHA-256 of the bytes of the file at path (read in blocks, so any
 * size), as digest_sha256_hex gives it.  Returns 0, or -1 with PS_IO
 * ("PATH: reason", or nettle's) in *err. */
int  digest_sha256_file(const char *path, char hex[DIGEST_HEX_SIZE], ps_err *err);

#endif
