/* helpers.h — what more than one unit test needs: the sample documents, a
 * code point count that does not depend on src/, the speed tests' sizes
 * and clock, and temporary directories.  Linked into every unit test (tests/unit/libunit.a). */
#ifndef POLSEARCH_TEST_HELPERS_H
#define POLSEARCH_TEST_HELPERS_H

#include <stddef.h>

/* The whole file at path (malloc'd, NUL-terminated) and its length in *n,
 * or NULL when it cannot be opened. */
char *read_whole(const char *path, size_t *n);

/* Read the seed file whose name starts with prefix ("001_") from $SEEDS
 * (default "seeds").  Returns its bytes (malloc'd, NUL-terminated) and
 * their number in *n; fails the running test when there is no such file. */
char *read_seed(const char *prefix, size_t *n);

/* Code points in UTF-8 s[0..n): the bytes that are not continuation bytes. */
size_t t_chars(const char *s, size_t n);

/* The single-line documents of the linear-time tests (20 MB), and the CPU
 * time allowed for one pass over one: a linear scan takes well under a
 * second (a few under the sanitizers or valgrind), a quadratic one hours;
 * the bound sits far from both so that it tests the algorithm, not the
 * machine. */
#define HUGE_BYTES (20u << 20)
#define HUGE_SECONDS 30.0

/* CPU seconds of this process, for the linear-time tests: other processes
 * on a loaded machine do not count. */
double now(void);

/* Remove the tree at path, as rm -rf does (symbolic links are removed, not
 * followed; a path that does not exist is no error).  Returns 0, or -1. */
int remove_tree(const char *path);
/* A cmocka setup: a fresh directory /tmp/polsearch-test-XXXXXX, its path
 * (malloc'd) as *state.  Returns 0, or -1 when it cannot be made. */
int tmpdir_setup(void **state);
/* The matching teardown: remove_tree(*state) and free it. */
int tmpdir_teardown(void **state);

#endif
