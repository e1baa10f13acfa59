/* walk.h — finding the files to index, with ripgrep's manners.
 *
 * Paths named by the user are always read (a named symlink is followed).
 * Inside a walked directory: entries are visited in byte order of their
 * names; symbolic links are not followed unless follow is set (loops are
 * detected either way); hidden files and directories (name starting with
 * '.') are skipped unless hidden is set, and .git always is; include globs
 * (if any) must match a file's name or path, exclude globs must not. */
#ifndef POLSEARCH_WALK_H
#define POLSEARCH_WALK_H

#include <stddef.h>
#include <sys/stat.h>

typedef struct walk_opts {
    int                follow;       /* follow symbolic links inside walked directories */
    int                hidden;       /* visit hidden files and directories */
    const char *const *include;      /* globs a file must match (name or path); NULL/0: all */
    size_t             ninclude;     /* number of include globs */
    const char *const *exclude;      /* globs a file or directory must not match */
    size_t             nexclude;     /* number of exclude globs */
} walk_opts;

/* Called for each regular file, with its path (root + names below it) and
 * its stat.  A non-zero return stops the walk and is passed back. */
typedef int (*walk_file_fn)(void *ctx, const char *path, const struct stat *st);
/* Called for each problem (unreadable directory, symlink loop, ...) with a
 * one-line reason; the walk goes on. */
typedef void (*walk_err_fn)(void *ctx, const char *path, const char *why);

/* Walk roots[0..n).  Returns 0, the first non-zero value of on_file, or -1
 * when out of memory. */
int walk_paths(const char *const *roots, size_t n, const walk_opts *opts,
               walk_file_fn on_file, walk_err_fn on_err, void *ctx);

/* The path as the index keeps it: "./" prefixes and repeated or trailing
 * slashes removed.  Writes into out (outlen bytes). */
void walk_clean_path(const char *path, char *out, size_t outlen);

/* The path that names the file at path however it is spelled: absolute,
 * with symbolic links, ".", ".." and repeated slashes resolved (realpath),
 * the index's identity of a file.  A path that does not exist (a file gone
 * since it was indexed, a root that vanished) gets its deepest existing
 * folder resolved and the rest of its names appended as they are (".."
 * taken lexically there), so a gone file keeps the identity it had.
 * Writes into out (outlen bytes).  Returns 0, or -1 when the result does
 * not fit or the current folder cannot be read; out then holds the path
 * as walk_clean_path gives it. */
int  walk_canonical_path(const char *path, char *out, size_t outlen);
/* The glob that matches, among canonical paths, what glob names by the
 * spelling it was given in: its folders up to the first one with a
 * wildcard (* ? [ or \\) made canonical (walk_canonical_path, "." when
 * it starts with one), the rest kept.  Returns 0, or -1 (out "") when the
 * result does not fit. */
int  walk_canonical_glob(const char *glob, char *out, size_t outlen);

#endif
