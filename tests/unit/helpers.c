/* helpers.c — what more than one unit test needs; see helpers.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"

/* Code points in UTF-8 s[0..n). */
size_t t_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Grow one buffer by doubling: one allocation for most files. */
char *read_whole(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 65536;
            char *b = realloc(buf, cap);
            assert_non_null(b);
            buf = b;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    buf[len] = '\0';                 /* a read leaves room: cap - len >= 4096 before it */
    *n = len;
    return buf;
}

/* Read a seed file whose name starts with prefix ("001_") from $SEEDS. */
char *read_seed(const char *prefix, size_t *n)
{
    static const char *const names[] = {
        "000_af7ea0c36382d7b8.txt", "001_a364a026ab62a3ac.txt", "002_0a6a893f069894ce.txt",
        "003_1f11e292ab1845fd.txt", "004_135bf9ada3a6babd.txt",
    };
    const char *dir = getenv("SEEDS");
    char path[4096];
    const char *name = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strncmp(names[i], prefix, strlen(prefix)) == 0)
            name = names[i];
    assert_non_null(name);
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "seeds", name);
    char *buf = read_whole(path, n);
    if (!buf)
        fail_msg("cannot open %s (set SEEDS to the seeds directory)", path);
    return buf;
}


/* Process CPU time, not wall time: see helpers.h. */
double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* nftw callback: remove one entry (children come first: FTW_DEPTH). */
static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (type == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

int tmpdir_setup(void **state)
{
    char *dir = malloc(64);
    if (!dir)
        return -1;
    snprintf(dir, 64, "/tmp/polsearch-test-XXXXXX");
    if (!mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

int tmpdir_teardown(void **state)
{
    int rc = remove_tree(*state);
    free(*state);
    return rc;
}
