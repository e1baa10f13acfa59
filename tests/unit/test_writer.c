/* test_writer.c — the index writer (writer.c) through its API: a small
 * index of text files in a temporary directory, written by writer_run,
 * then read back as a search reads it (store_open_read, store_query_live):
 * files are added; an unchanged run changes nothing; a changed file
 * gets a new version whose paragraphs are found while the old ones are
 * dead by a tombstone; a file gone from the walked path loses its
 * paragraphs and its record; every run reopens what the last committed;
 * one shard or two, and a fresh build's merge, give the same results. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "helpers.h"
#include "lexicon.h"
#include "store.h"
#include "walk.h"
#include "writer.h"

/* A paragraph long enough to stay one (PARA_MIN_CHARS). */
#define FILLER "为加快推进科技创新体系建设，推动产业转型升级和经济高质量发展，现就有关事项通知如下。" \
               "各地要结合实际，认真组织实施，确保各项政策措施落到实处，取得实效。"

/* A test's index: its directory, files and what the writer said. */
typedef struct fixture {
    char         root[4096];         /* the temporary directory */
    char         dir[4200];          /* root/index */
    char         docs[4200];         /* root/docs: the walked path */
    lexicon     *lx;                 /* an empty lexicon, built */
    buf          notes;              /* the writer's notes, one line each */
} fixture;

/* writer_opts.note: keep the message. */
static void keep_note(void *ctx, const char *msg)
{
    fixture *x = ctx;
    buf_printf(&x->notes, "%s\n", msg);
}

/* Write text to x's docs/name. */
static void put_file(const fixture *x, const char *name, const char *text)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", x->docs, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

/* Set up x in the temporary directory root. */
static void fixture_init(fixture *x, const char *root)
{
    ps_err err = PS_ERR_INIT;
    memset(x, 0, sizeof *x);
    snprintf(x->root, sizeof x->root, "%s", root);
    snprintf(x->dir, sizeof x->dir, "%s/index", root);
    snprintf(x->docs, sizeof x->docs, "%s/docs", root);
    assert_int_equal(mkdir(x->dir, 0755), 0);
    assert_int_equal(mkdir(x->docs, 0755), 0);
    x->lx = lex_new();
    assert_non_null(x->lx);
    assert_int_equal(lex_build(x->lx, &err), PS_OK);
}

/* Free x (its directory goes with the test's teardown). */
static void fixture_free(fixture *x)
{
    lex_free(x->lx);
    buf_free(&x->notes);
}

/* Index x's docs/ into nshards shards (the stub written as cmd_index
 * does), a fresh build when fresh is set; what happened into *st.  Fails
 * the test on a note or an error. */
static void run(fixture *x, int nshards, int fresh, index_stats *st)
{
    static const char *const names[] = { "a.txt", "b.txt", "c.txt" };
    found_list files = { 0 };
    found_file v[3];
    for (size_t i = 0; i < 3; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", x->docs, names[i]);
        char canon[4096];
        assert_int_equal(walk_canonical_path(path, canon, sizeof canon), 0);
        v[files.n].path = strdup(path);
        v[files.n].canon = strdup(canon);
        assert_non_null(v[files.n].path);
        assert_non_null(v[files.n].canon);
        if (stat(path, &v[files.n].st) != 0) {
            free(v[files.n].path);
            free(v[files.n].canon);
            continue;                                     /* a file the test removed */
        }
        v[files.n].shard = (int)(store_path_hash(canon) % (uint64_t)nshards);  /* as cmd_index does */
        files.n++;
    }
    files.v = v;
    char canon_docs[4096];
    assert_int_equal(walk_canonical_path(x->docs, canon_docs, sizeof canon_docs), 0);
    char *paths[] = { x->docs }, *roots[] = { canon_docs };
    writer_opts o = { .dir = x->dir, .lx = x->lx, .fresh = fresh, .paths = paths, .roots = roots, .npaths = 1,
                      .note = keep_note, .ctx = x };
    assert_int_equal(store_write_stub(x->dir, nshards, NULL), 0);
    memset(st, 0, sizeof *st);
    writer_run(&o, nshards, &files, st);
    for (size_t i = 0; i < files.n; i++) {
        free(v[i].path);
        free(v[i].canon);
    }
    if (x->notes.len)
        fail_msg("writer notes:\n%s", x->notes.data);
    assert_int_equal(st->error, 0);
}

/* The files whose paragraphs contain the bigram term t, as
 * "name:paragraph" lines sorted by the search's rank (then key): the live
 * ones through the store's query entry (store_query_live, store_enquire),
 * or with all set every one still on disk (xs_enquire, dead versions too). */
static char *find_in(const fixture *x, const char *t, int all)
{
    ps_err err = PS_ERR_INIT;
    const char *dirs[] = { x->dir };
    xs_db *db = store_open_read(dirs, 1, 0, &err);
    if (!db)
        fail_msg("store_open_read: %s", err.msg);
    xs_query *raw = xs_query_term(t, strlen(t), 1, &err);
    assert_non_null(raw);
    store_query *q = all ? NULL : store_query_live(db, raw, &err);
    assert_true(all || q);
    xs_mset *m = all ? xs_enquire(db, raw, 0, 100, 0, NULL, &err) : store_enquire(db, q, 0, 100, 0, NULL, &err);
    assert_non_null(m);
    buf out = BUF_INIT;
    file_cache fc = { 0 };
    for (size_t i = 0; i < xs_mset_size(m); i++) {
        char *data = NULL;
        para_rec rec;
        assert_int_equal(store_read_match(m, i, &fc, db, &data, &rec, NULL, &err), 1);
        const char *name = strrchr(rec.file, '/');
        assert_int_equal(buf_printf(&out, "%s:%u\n", name ? name + 1 : rec.file, rec.paragraph), 0);
        free(data);
    }
    file_cache_free(&fc);
    xs_mset_free(m);
    if (all)
        xs_query_free(raw);
    store_query_free(q);
    xs_db_close(db);
    char *s = buf_detach(&out);
    assert_non_null(s);
    return s;
}

/* Fail unless the live paragraphs with term t are exactly want. */
static void expect_found(const fixture *x, const char *t, const char *want)
{
    char *got = find_in(x, t, 0);
    if (strcmp(got, want) != 0)
        fail_msg("%s found in\n%s\nwant\n%s", t, got, want);
    free(got);
}

/* Fail unless the paragraphs on disk with term t, dead ones too, are
 * exactly want: what expect_found misses is there, only dead. */
static void expect_on_disk(const fixture *x, const char *t, const char *want)
{
    char *got = find_in(x, t, 1);
    if (strcmp(got, want) != 0)
        fail_msg("%s on disk in\n%s\nwant\n%s", t, got, want);
    free(got);
}

/* The metadata value key of shard i of x's index (malloc'd). */
static char *shard_meta(const fixture *x, int i, const char *key)
{
    char path[4400];
    ps_err err = PS_ERR_INIT;
    store_shard_path(x->dir, i, path, sizeof path);
    const char *paths[] = { path };
    xs_db *db = xs_db_open(paths, 1, 0, &err);
    assert_non_null(db);
    char *v = NULL;
    assert_int_equal(xs_db_get_metadata(db, key, &v, NULL, &err), PS_OK);
    xs_db_close(db);
    return v;
}

/* xs_db_allterms callback: add the term's frequency to *ctx. */
static int sum_freq(void *ctx, const char *term, size_t len, uint64_t freq)
{
    (void)term; (void)len;
    *(uint64_t *)ctx += freq;
    return 0;
}

/* Fail unless the documents of x's index that have terms starting with
 * prefix number want (summed over the terms). */
static void expect_terms(const fixture *x, const char *prefix, uint64_t want)
{
    ps_err err = PS_ERR_INIT;
    const char *dirs[] = { x->dir };
    xs_db *db = store_open_read(dirs, 1, 0, &err);
    uint64_t n = 0;
    assert_non_null(db);
    assert_int_equal(xs_db_allterms(db, prefix, sum_freq, &n, &err), PS_OK);
    assert_int_equal(n, want);
    xs_db_close(db);
}

/* Add, leave unchanged, change, remove: the counts of each run and what
 * a search finds after it, on one shard or two. */
static void add_change_remove(const char *root, int nshards)
{
    fixture x;
    index_stats st;
    fixture_init(&x, root);
    put_file(&x, "a.txt", "旧版本" FILLER "\n");
    put_file(&x, "b.txt", "乙文件" FILLER "\n");
    run(&x, nshards, 0, &st);
    assert_int_equal(st.added, 2);
    assert_int_equal(st.paragraphs, 2);
    expect_found(&x, "版本", "a.txt:1\n");
    expect_found(&x, "文件", "b.txt:1\n");

    run(&x, nshards, 0, &st);                               /* nothing changed */
    assert_int_equal(st.unchanged, 2);
    assert_int_equal(st.added + st.changed + st.removed + st.paragraphs, 0);

    put_file(&x, "a.txt", "新修订" FILLER "\n\n第二段。" FILLER "\n");
    run(&x, nshards, 0, &st);
    assert_int_equal(st.changed, 1);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.paragraphs, 2);
    expect_found(&x, "版本", "");                            /* the old version is dead */
    expect_on_disk(&x, "版本", "a.txt:1\n");                /* though its paragraph is still there */
    expect_found(&x, "修订", "a.txt:1\n");
    expect_found(&x, "二段", "a.txt:2\n");

    char path[4400];
    snprintf(path, sizeof path, "%s/b.txt", x.docs);
    assert_int_equal(unlink(path), 0);
    run(&x, nshards, 0, &st);
    assert_int_equal(st.removed, 1);
    expect_found(&x, "文件", "");
    expect_found(&x, "修订", "a.txt:1\n");                  /* the rest stays */
    /* The dead paragraphs are counted: a.txt's old one and b.txt's. */
    uint64_t dead_total = 0;
    for (int i = 0; i < nshards; i++) {
        char *v = shard_meta(&x, i, "polsearch.dead");
        dead_total += strtoull(v, NULL, 10);
        free(v);
    }
    assert_int_equal(dead_total, 2);
    expect_terms(&x, STORE_DEAD_TERM, 2);                   /* a tombstone per dead version */
    expect_terms(&x, "XT", 2);
    fixture_free(&x);
}

static void test_one_shard(void **state)
{
    add_change_remove(*state, 1);
}

static void test_two_shards(void **state)
{
    add_change_remove(*state, 2);
}

/* A fresh build of two shards ends merged into one (writer_merge_shards):
 * the stub lists one shard, which holds every paragraph. */
static void test_fresh_build_merges(void **state)
{
    fixture x;
    index_stats st;
    fixture_init(&x, *state);
    put_file(&x, "a.txt", "甲文件" FILLER "\n");
    put_file(&x, "b.txt", "乙文件" FILLER "\n");
    put_file(&x, "c.txt", "丙文件" FILLER "\n");
    run(&x, 2, 1, &st);
    assert_int_equal(st.added, 3);
    assert_int_equal(store_shard_count(x.dir), 1);
    char *all = find_in(&x, "文件", 0);
    assert_non_null(strstr(all, "a.txt:1\n"));
    assert_non_null(strstr(all, "b.txt:1\n"));
    assert_non_null(strstr(all, "c.txt:1\n"));
    free(all);
    fixture_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_shard, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_two_shards, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_fresh_build_merges, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
