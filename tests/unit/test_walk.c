/* test_walk.c — finding the files to index (walk.c), as walk.h describes
 * it: entries in byte order of their names, hidden entries and .git
 * skipped, symbolic links followed only when asked and loops reported, not
 * walked; include and exclude globs on a file's name or path; named paths
 * always read; walk_clean_path's forms; one canonical path for every
 * spelling of a file (walk_canonical_path, walk_canonical_glob).  The trees are made under a mkdtemp
 * directory, which the walk names relatively (the test changes into it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "helpers.h"
#include "walk.h"

/* ---- helpers ------------------------------------------------------------ */

/* What a walk reported: files as "path\n", problems as "!path: why\n". */
typedef struct seen {
    buf      files;                  /* the files, in the order visited */
    buf      errs;                   /* the problems, in the order met */
    unsigned stop_after;             /* return 5 after this many files (0: never) */
    unsigned nfiles;                 /* files seen */
} seen;

static int on_file(void *ctx, const char *path, const struct stat *st)
{
    seen *s = ctx;
    assert_true(S_ISREG(st->st_mode));
    assert_int_equal(buf_printf(&s->files, "%s\n", path), 0);
    s->nfiles++;
    return s->stop_after && s->nfiles == s->stop_after ? 5 : 0;
}

static void on_err(void *ctx, const char *path, const char *why)
{
    seen *s = ctx;
    assert_int_equal(buf_printf(&s->errs, "!%s: %s\n", path, why), 0);
}

/* Walk roots with opts; the files and problems must be exactly as given
 * ("" for none). */
static void expect_walk(const char *const *roots, size_t n, const walk_opts *opts,
                        const char *files, const char *errs)
{
    seen s = { BUF_INIT, BUF_INIT, 0, 0 };
    assert_int_equal(walk_paths(roots, n, opts, on_file, on_err, &s), 0);
    const char *got = s.files.data ? s.files.data : "";
    const char *gerr = s.errs.data ? s.errs.data : "";
    if (strcmp(got, files) != 0 || strcmp(gerr, errs) != 0)
        print_error("files:\n%s(want)\n%s\nproblems:\n%s(want)\n%s\n", got, files, gerr, errs);
    assert_string_equal(got, files);
    assert_string_equal(gerr, errs);
    buf_free(&s.files);
    buf_free(&s.errs);
}

/* Create the file path with some content. */
static void touch(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs("科技\n", f) >= 0);
    assert_int_equal(fclose(f), 0);
}

/* The fixture: a temporary directory holding the tree t/ below, which is
 * the working directory during each test.
 *   t/B.txt t/a.txt t/b.md t/c/d.txt t/c/e/f.txt
 *   t/.hidden.txt t/.hdir/x.txt t/.git/config.txt
 *   t/ln.txt -> a.txt      t/lndir -> c      t/c/e/up -> ../..   (a loop)
 *   t/dangling -> nowhere */
typedef struct fixture {
    char dir[64];                    /* the mkdtemp directory */
    char cwd[PATH_MAX];              /* the working directory before */
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    assert_non_null(getcwd(fx->cwd, sizeof fx->cwd));
    snprintf(fx->dir, sizeof fx->dir, "/tmp/polsearch-walk-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    assert_int_equal(chdir(fx->dir), 0);
    static const char *const dirs[] = { "t", "t/c", "t/c/e", "t/.hdir", "t/.git" };
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
        assert_int_equal(mkdir(dirs[i], 0777), 0);
    static const char *const files[] = {
        "t/B.txt", "t/a.txt", "t/b.md", "t/c/d.txt", "t/c/e/f.txt",
        "t/.hidden.txt", "t/.hdir/x.txt", "t/.git/config.txt",
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        touch(files[i]);
    assert_int_equal(symlink("a.txt", "t/ln.txt"), 0);
    assert_int_equal(symlink("c", "t/lndir"), 0);
    assert_int_equal(symlink("../..", "t/c/e/up"), 0);
    assert_int_equal(symlink("nowhere", "t/dangling"), 0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    int rc = chdir(fx->cwd) == 0 && remove_tree(fx->dir) == 0 ? 0 : -1;
    free(fx);
    return rc;
}

/* ---- walking ------------------------------------------------------------ */

/* Byte order (capitals first), depth first; hidden entries, .git and
 * symbolic links left out, silently. */
static void test_order_hidden_links(void **state)
{
    (void)state;
    const char *roots[] = { "t" };
    walk_opts o = { 0 };
    expect_walk(roots, 1, &o, "t/B.txt\nt/a.txt\nt/b.md\nt/c/d.txt\nt/c/e/f.txt\n", "");
    /* Roots are walked in the order given, each cleaned first. */
    const char *two[] = { "./t/c/", "t//a.txt" };
    expect_walk(two, 2, &o, "t/c/d.txt\nt/c/e/f.txt\nt/a.txt\n", "");
}

/* hidden: dot entries are visited, .git still is not. */
static void test_hidden(void **state)
{
    (void)state;
    const char *roots[] = { "t" };
    walk_opts o = { .hidden = 1 };
    expect_walk(roots, 1, &o,
                "t/.hdir/x.txt\nt/.hidden.txt\nt/B.txt\nt/a.txt\nt/b.md\nt/c/d.txt\nt/c/e/f.txt\n", "");
}

/* follow: links to files and directories are followed under the link's
 * name; the loop and the dangling link are reported and the walk goes on. */
static void test_follow_and_loops(void **state)
{
    (void)state;
    const char *roots[] = { "t" };
    walk_opts o = { .follow = 1 };
    expect_walk(roots, 1, &o,
                "t/B.txt\nt/a.txt\nt/b.md\nt/c/d.txt\nt/c/e/f.txt\nt/ln.txt\n"
                "t/lndir/d.txt\nt/lndir/e/f.txt\n",
                "!t/c/e/up: symbolic link loop (directory already being walked)\n"
                "!t/dangling: No such file or directory\n"
                "!t/lndir/e/up: symbolic link loop (directory already being walked)\n");
    /* Not following, a loop is not even entered: nothing to report. */
    const char *loop[] = { "t/c" };
    walk_opts plain = { 0 };
    expect_walk(loop, 1, &plain, "t/c/d.txt\nt/c/e/f.txt\n", "");
}

/* Named paths are read whatever they are: hidden, a link, under .git. */
static void test_named_paths(void **state)
{
    (void)state;
    walk_opts o = { 0 };
    const char *roots[] = { "t/.hidden.txt", "t/ln.txt", "t/.git/config.txt", "t/lndir" };
    expect_walk(roots, 4, &o,
                "t/.hidden.txt\nt/ln.txt\nt/.git/config.txt\nt/lndir/d.txt\nt/lndir/e/f.txt\n", "");
    const char *missing[] = { "t/none.txt", "t/a.txt" };
    expect_walk(missing, 2, &o, "t/a.txt\n", "!t/none.txt: No such file or directory\n");
    const char *odd[] = { "/dev/null" };
    expect_walk(odd, 1, &o, "", "!/dev/null: not a regular file or directory\n");
}

/* Include globs pick files by name or path; exclude globs drop files and
 * whole directories; a named file is not filtered. */
static void test_globs(void **state)
{
    (void)state;
    const char *roots[] = { "t" };
    const char *txt[] = { "*.txt" };
    walk_opts o = { .include = txt, .ninclude = 1 };
    expect_walk(roots, 1, &o, "t/B.txt\nt/a.txt\nt/c/d.txt\nt/c/e/f.txt\n", "");

    const char *by_path[] = { "t/c/*" };                /* '*' does not cross '/' */
    walk_opts p = { .include = by_path, .ninclude = 1 };
    expect_walk(roots, 1, &p, "t/c/d.txt\n", "");

    const char *two[] = { "*.md", "f.*" };
    walk_opts q = { .include = two, .ninclude = 2 };
    expect_walk(roots, 1, &q, "t/b.md\nt/c/e/f.txt\n", "");

    const char *no_c[] = { "c" };
    walk_opts x = { .exclude = no_c, .nexclude = 1 };
    expect_walk(roots, 1, &x, "t/B.txt\nt/a.txt\nt/b.md\n", "");

    const char *no_e[] = { "t/c/e" };
    walk_opts y = { .include = txt, .ninclude = 1, .exclude = no_e, .nexclude = 1 };
    expect_walk(roots, 1, &y, "t/B.txt\nt/a.txt\nt/c/d.txt\n", "");

    const char *named[] = { "t/b.md" };
    expect_walk(named, 1, &o, "t/b.md\n", "");
}

/* A non-zero return from the file callback stops the walk and comes back. */
static void test_stop(void **state)
{
    (void)state;
    const char *roots[] = { "t", "t/a.txt" };
    walk_opts o = { 0 };
    seen s = { BUF_INIT, BUF_INIT, 2, 0 };
    assert_int_equal(walk_paths(roots, 2, &o, on_file, on_err, &s), 5);
    assert_string_equal(s.files.data, "t/B.txt\nt/a.txt\n");
    buf_free(&s.files);
    buf_free(&s.errs);
}

/* ---- walk_clean_path ---------------------------------------------------- */

/* fn(in) gave got, which must be want (both shown when not). */
static void expect_result(const char *fn, const char *in, const char *got, const char *want)
{
    if (strcmp(got, want) != 0)
        print_error("%s(\"%s\") = \"%s\", want \"%s\"\n", fn, in, got, want);
    assert_string_equal(got, want);
}

static void expect_clean(const char *in, const char *want)
{
    char out[64];
    walk_clean_path(in, out, sizeof out);
    expect_result("walk_clean_path", in, out, want);
}

/* "./" prefixes and repeated or trailing slashes go; nothing else changes. */
static void test_clean_path(void **state)
{
    (void)state;
    expect_clean("a/b", "a/b");
    expect_clean("./a", "a");
    expect_clean("././a", "a");
    expect_clean(".//./a", "a");
    expect_clean("a//b///c", "a/b/c");
    expect_clean("a/b/", "a/b");
    expect_clean("a/b//", "a/b");
    expect_clean("./", ".");
    expect_clean(".", ".");
    expect_clean("/", "/");
    expect_clean("//", "/");
    expect_clean("/a//b/", "/a/b");
    expect_clean("../a/", "../a");
    expect_clean("a/./b", "a/./b");                     /* only a leading ./ */
    expect_clean(".hidden/x", ".hidden/x");
    expect_clean("政策//文件/", "政策/文件");
    /* Cut to fit, always terminated. */
    char small[4];
    walk_clean_path("./abcdef", small, sizeof small);
    assert_string_equal(small, "abc");
}

/* ---- walk_canonical_path, walk_canonical_glob --------------------------- */

/* walk_canonical_path(in) must be the fixture's real directory + want. */
static void expect_canon(const char *in, const char *want)
{
    char base[PATH_MAX], full[2 * PATH_MAX], out[PATH_MAX];
    assert_non_null(realpath(".", base));
    snprintf(full, sizeof full, "%s%s", base, want);
    assert_int_equal(walk_canonical_path(in, out, sizeof out), 0);
    expect_result("walk_canonical_path", in, out, full);
}

/* Every spelling of a file gives one path: relative, "./", repeated
 * slashes, "..", absolute, through a symbolic link to it or to a folder
 * above it; a file or folder that does not exist keeps its names under
 * its deepest existing folder (".." there taken lexically). */
static void test_canonical_path(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        { "t/c/d.txt", "/t/c/d.txt" }, { "./t/c/d.txt", "/t/c/d.txt" }, { "t//c///d.txt", "/t/c/d.txt" },
        { "t/c/e/../d.txt", "/t/c/d.txt" },
        { "t/lndir/d.txt", "/t/c/d.txt" },             /* a symlinked folder */
        { "t/ln.txt", "/t/a.txt" },                    /* a symlinked file */
        { "t/", "/t" }, { ".", "" },
        { "t/gone.txt", "/t/gone.txt" },               /* gone */
        { "t/lndir/gone.txt", "/t/c/gone.txt" },       /* gone, under a link */
        { "t/no/such/../x.txt", "/t/no/x.txt" },
        { "t/dangling", "/t/dangling" },               /* a dangling link: its own name */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_canon(cases[i][0], cases[i][1]);
    char abs[PATH_MAX + 16];
    assert_non_null(realpath(".", abs));
    strcat(abs, "//t/./c/d.txt");
    expect_canon(abs, "/t/c/d.txt");
    /* Too long for out: -1, out holds the cleaned path. */
    char small[8];
    assert_int_equal(walk_canonical_path("./t/c/d.txt", small, sizeof small), -1);
    assert_string_equal(small, "t/c/d.t");
}

/* A glob's folders up to its first wildcard are made canonical. */
static void test_canonical_glob(void **state)
{
    (void)state;
    char base[PATH_MAX], want[2 * PATH_MAX], out[PATH_MAX];
    assert_non_null(realpath(".", base));
    static const char *const cases[][2] = {
        { "t/c/*.txt", "/t/c/*.txt" }, { "./t//lndir/*", "/t/c/*" }, { "*d.txt", "/*d.txt" },
        { "t/c/e/../d.txt", "/t/c/d.txt" }, { "t/*/d.txt", "/t/*/d.txt" }, { "t/c/[de]*", "/t/c/[de]*" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(want, sizeof want, "%s%s", base, cases[i][1]);
        assert_int_equal(walk_canonical_glob(cases[i][0], out, sizeof out), 0);
        expect_result("walk_canonical_glob", cases[i][0], out, want);
    }
    char small[4];
    assert_int_equal(walk_canonical_glob("t/c/*.txt", small, sizeof small), -1);
    assert_string_equal(small, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_hidden_links),
        cmocka_unit_test(test_hidden),
        cmocka_unit_test(test_follow_and_loops),
        cmocka_unit_test(test_named_paths),
        cmocka_unit_test(test_globs),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_clean_path),
        cmocka_unit_test(test_canonical_path),
        cmocka_unit_test(test_canonical_glob),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
