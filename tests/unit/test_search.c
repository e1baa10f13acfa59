/* test_search.c — unit tests for the search engine (search.h) on a small
 * index built by the test: the seeds plus two files that share a copied
 * paragraph, indexed by the polsearch binary ($POLSEARCH; the tests skip
 * without it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "search.h"

/* The index every test reads, and the engine open on it. */
typedef struct fixture {
    char          *tmp;              /* the temporary directory (tmpdir_setup) */
    char           index[512];       /* tmp/index */
    char           docs[512];        /* tmp/docs: the test's own files */
    char           cmd[2048];        /* the command that (re-)indexes seeds and docs */
    search_engine *e;                /* open on index, or NULL when $POLSEARCH is not set */
} fixture;

/* One hit as a test keeps it. */
typedef struct kept {
    unsigned rank;                   /* its rank */
    double   score;                  /* its score */
    char     file[256];              /* its file */
    unsigned paragraph;              /* its paragraph */
    size_t   ndups;                  /* its copies */
    char     issuer[128];            /* its issuer, "" if none */
    char     date[16];               /* its date, "" if none */
    size_t   nmatches;               /* its match spans */
} kept;

/* What the collecting callback gathers. */
typedef struct hits {
    kept     v[512];                 /* the hits, in the order they came */
    size_t   n;                      /* hits kept */
    size_t   stop_after;             /* return 1 once this many came (0: never) */
} hits;

/* The test's callback: keep the hit; stop after h->stop_after. */
static int collect(void *ctx, const search_hit *hit)
{
    hits *h = ctx;
    assert_true(h->n < sizeof h->v / sizeof h->v[0]);
    kept *k = &h->v[h->n++];
    k->rank = hit->out.rank;
    k->score = hit->out.score;
    snprintf(k->file, sizeof k->file, "%s", hit->out.file);
    k->paragraph = hit->out.paragraph;
    k->ndups = hit->out.ndups;
    snprintf(k->issuer, sizeof k->issuer, "%s", hit->out.issuer ? hit->out.issuer : "");
    snprintf(k->date, sizeof k->date, "%s", hit->out.date ? hit->out.date : "");
    k->nmatches = hit->out.matches ? hit->out.matches->n : 0;
    return h->stop_after && h->n >= h->stop_after;
}

/* Write s into dir/name.  Fails the test when it cannot. */
static void write_file(const char *dir, const char *name, const char *s)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(s, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

/* The paragraph the two copy files share, and what each has of its own. */
#define COPIED "专精特新企业的梯度培育试验田是本市推动中小企业高质量发展的重点工作，今年新认定一批企业。\n\n"

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || tmpdir_setup((void **)&f->tmp) != 0)
        return -1;
    *state = f;
    const char *bin = getenv("POLSEARCH"), *seeds = getenv("SEEDS");
    if (!bin || !*bin)
        return 0;                   /* each test skips */
    snprintf(f->index, sizeof f->index, "%s/index", f->tmp);
    snprintf(f->docs, sizeof f->docs, "%s/docs", f->tmp);
    snprintf(f->cmd, sizeof f->cmd, "mkdir -p '%s'", f->docs);
    if (system(f->cmd) != 0)
        return -1;
    write_file(f->docs, "copy1.txt", "第一份文件\n\n" COPIED "第一份文件自己的段落，讲专精特新。\n");
    write_file(f->docs, "copy2.txt", "第二份文件\n\n" COPIED "第二份文件自己的一段话。\n");
    snprintf(f->cmd, sizeof f->cmd, "'%s' index -q -d '%s' '%s' '%s' >/dev/null 2>&1", bin, f->index,
             seeds ? seeds : "seeds", f->docs);
    if (system(f->cmd) != 0)
        return -1;
    ps_err err = PS_ERR_INIT;
    const char *dirs[] = { f->index };
    search_open_in in = { .dirs = dirs, .ndirs = 1 };
    f->e = search_open(&in, &err);
    return f->e ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    search_close(f->e);
    tmpdir_teardown((void **)&f->tmp);
    free(f);
    return 0;
}

/* The fixture's engine; skips the test when there is none. */
static search_engine *engine(void **state)
{
    fixture *f = *state;
    if (!f->e)
        skip();                     /* $POLSEARCH is not set: no binary to index with */
    return f->e;
}

/* Run req on e into *h (emptied first), expecting success; the summary in *sum. */
static void run(search_engine *e, const search_request *req, hits *h, search_summary *sum)
{
    ps_err err = PS_ERR_INIT;
    h->n = 0;
    assert_int_equal(search_run(e, req, collect, h, sum, &err), 0);
    assert_int_equal(err.code, PS_OK);
}

/* Hits come in rank order: ranks 1, 2, ... and scores that never rise;
 * every hit has a match to show. */
static void test_rank_order(void **state)
{
    search_engine *e = engine(state);
    static hits h;
    search_summary sum;
    run(e, &(search_request){ .query = "企业", .limit = SEARCH_ALL }, &h, &sum);
    assert_true(h.n > 20);
    assert_int_equal(sum.passed, h.n);
    assert_int_equal(sum.count, h.n);
    assert_int_equal(sum.stopped, 0);
    for (size_t i = 0; i < h.n; i++) {
        assert_int_equal(h.v[i].rank, i + 1);
        assert_true(h.v[i].nmatches > 0);
        if (i)
            assert_true(h.v[i].score <= h.v[i - 1].score + 1e-9);
    }
}

/* A callback that returns non-zero after k hits stops the search there. */
static void test_stop_after_k(void **state)
{
    search_engine *e = engine(state);
    static hits h;
    search_summary sum;
    h.stop_after = 3;
    run(e, &(search_request){ .query = "企业", .limit = SEARCH_ALL }, &h, &sum);
    h.stop_after = 0;
    assert_int_equal(h.n, 3);
    assert_int_equal(sum.passed, 3);
    assert_int_equal(sum.stopped, 1);
}

/* start passes over the first results: start 4, limit 5 gives what ranks
 * 5..9 of the whole list are, with those ranks; more says what follows. */
static void test_start_offset(void **state)
{
    search_engine *e = engine(state);
    static hits all, page;
    search_summary sum;
    run(e, &(search_request){ .query = "企业", .limit = SEARCH_ALL }, &all, &sum);
    size_t total = all.n;
    assert_true(total > 10);
    run(e, &(search_request){ .query = "企业", .limit = 5, .start = 4, .more = 1 }, &page, &sum);
    assert_int_equal(page.n, 5);
    assert_int_equal(sum.more, 1);
    assert_int_equal(sum.count, 9);
    for (size_t i = 0; i < page.n; i++) {
        assert_int_equal(page.v[i].rank, all.v[4 + i].rank);
        assert_string_equal(page.v[i].file, all.v[4 + i].file);
        assert_int_equal(page.v[i].paragraph, all.v[4 + i].paragraph);
    }
    /* The last page: nothing follows it. */
    run(e, &(search_request){ .query = "企业", .limit = 5, .start = total - 2, .more = 1 }, &page, &sum);
    assert_int_equal(page.n, 2);
    assert_int_equal(sum.more, 0);
    run(e, &(search_request){ .query = "企业", .limit = 0 }, &page, &sum);
    assert_int_equal(page.n, 0);
}

/* SEARCH_COUNT is the number of hits of the same query with every result
 * and no collapsing, for a query Xapian counts alone (企业) and one whose
 * text must be checked (科技型企业), with no callback. */
static void test_count_equals_hits(void **state)
{
    search_engine *e = engine(state);
    static hits h;
    search_summary sum, csum;
    const char *queries[] = { "企业", "科技型企业", "专精特新 -小巨人" };
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        run(e, &(search_request){ .query = queries[q], .limit = SEARCH_ALL, .no_collapse = 1 }, &h, &sum);
        run(e, &(search_request){ .query = queries[q], .mode = SEARCH_COUNT }, &h, &csum);
        assert_int_equal(h.n, 0);
        assert_true(csum.count > 0);
        assert_int_equal(csum.count, sum.count);
    }
}

/* The copied paragraph collapses into one hit with the other as its copy;
 * with no_collapse each is a hit of its own. */
static void test_copies(void **state)
{
    search_engine *e = engine(state);
    static hits h;
    search_summary sum;
    run(e, &(search_request){ .query = "梯度培育试验田", .limit = SEARCH_ALL }, &h, &sum);
    assert_int_equal(h.n, 1);
    assert_int_equal(h.v[0].ndups, 1);
    run(e, &(search_request){ .query = "梯度培育试验田", .limit = SEARCH_ALL, .no_collapse = 1 }, &h, &sum);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.v[0].ndups, 0);
}

/* SEARCH_FILES gives each file once, in rank order of its best paragraph. */
static void test_files(void **state)
{
    search_engine *e = engine(state);
    static hits h, files;
    search_summary sum;
    run(e, &(search_request){ .query = "专精特新", .limit = SEARCH_ALL, .no_collapse = 1 }, &h, &sum);
    run(e, &(search_request){ .query = "专精特新", .mode = SEARCH_FILES, .limit = SEARCH_ALL }, &files, &sum);
    size_t k = 0;
    for (size_t i = 0; i < h.n; i++) {
        size_t j;
        for (j = 0; j < i && strcmp(h.v[j].file, h.v[i].file); j++)
            ;
        if (j < i)
            continue;               /* its file came already */
        assert_true(k < files.n);
        assert_string_equal(files.v[k].file, h.v[i].file);
        assert_int_equal(files.v[k].rank, k + 1);
        k++;
    }
    assert_int_equal(k, files.n);
    assert_true(files.n >= 3);      /* two seeds at least, and copy1.txt */
}

/* The filters: every hit passes them, and they leave out something. */
static void test_filters(void **state)
{
    search_engine *e = engine(state);
    static hits all, h;
    search_summary sum;
    run(e, &(search_request){ .query = "企业", .limit = SEARCH_ALL }, &all, &sum);
    run(e, &(search_request){ .query = "企业", .limit = SEARCH_ALL, .issuer = "银川" }, &h, &sum);
    assert_true(h.n > 0 && h.n < all.n);
    for (size_t i = 0; i < h.n; i++)
        assert_non_null(strstr(h.v[i].issuer, "银川"));
    run(e, &(search_request){ .query = "企业", .limit = SEARCH_ALL, .date_lo = "20240601",
                              .date_hi = "20241231" }, &h, &sum);
    assert_true(h.n > 0 && h.n < all.n);
    for (size_t i = 0; i < h.n; i++)
        assert_true(strcmp(h.v[i].date, "2024-06-01") >= 0 && strcmp(h.v[i].date, "2024-12-31") <= 0);
    run(e, &(search_request){ .query = "企业", .limit = SEARCH_ALL, .file_glob = "*/docs/*" }, &h, &sum);
    assert_int_equal(h.n, 1);       /* the copied paragraph, once; their own ones do not say 企业 */
    assert_non_null(strstr(h.v[0].file, "/docs/copy"));
    assert_int_equal(h.v[0].ndups, 1);
    run(e, &(search_request){ .query = "企业", .limit = SEARCH_ALL, .type = "pdf" }, &h, &sum);
    assert_int_equal(h.n, 0);
    run(e, &(search_request){ .query = "企业", .limit = SEARCH_ALL, .type = "text" }, &h, &sum);
    assert_int_equal(h.n, all.n);
    /* region: 银川 is the seed 银川市科学技术局 answered; 宁夏 and its code name it too. */
    static const char *const yinchuan[] = { "银川", "宁夏回族自治区", "6401" };
    for (size_t k = 0; k < 3; k++) {
        run(e, &(search_request){ .query = "企业", .limit = SEARCH_ALL, .region = yinchuan[k] }, &h, &sum);
        assert_true(h.n > 0 && h.n < all.n);
        for (size_t i = 0; i < h.n; i++)
            assert_non_null(strstr(h.v[i].issuer, "银川"));
    }
    run(e, &(search_request){ .query = "企业", .limit = SEARCH_ALL, .region = "西藏" }, &h, &sum);
    assert_int_equal(h.n, 0);
}

/* A bare request passes the same hits, without spans or snippet. */
static void test_bare(void **state)
{
    search_engine *e = engine(state);
    static hits full, bare;
    search_summary sum;
    run(e, &(search_request){ .query = "专精特新", .limit = SEARCH_ALL }, &full, &sum);
    run(e, &(search_request){ .query = "专精特新", .limit = SEARCH_ALL, .bare = 1 }, &bare, &sum);
    assert_int_equal(bare.n, full.n);
    for (size_t i = 0; i < bare.n; i++) {
        assert_string_equal(bare.v[i].file, full.v[i].file);
        assert_int_equal(bare.v[i].paragraph, full.v[i].paragraph);
        assert_int_equal(bare.v[i].nmatches, 0);
        assert_true(full.v[i].nmatches > 0);
    }
}

/* A marker finds the query's phrases in any text, its expansions too
 * (高企 is an alias of 高新技术企业), and nothing in text without them. */
static void test_marker(void **state)
{
    search_engine *e = engine(state);
    ps_err err = PS_ERR_INIT;
    search_marker *m = search_marker_new(e, &(search_request){ .query = "高企 -小巨人" }, &err);
    assert_non_null(m);
    span_list sp = SPAN_LIST_INIT;
    const char *text = "认定高新技术企业和高企，不谈小巨人。";
    assert_int_equal(search_marker_spans(m, text, strlen(text), &sp, &err), 0);
    assert_int_equal(sp.n, 2);
    assert_int_equal(sp.v[0].start, 2);
    assert_int_equal(sp.v[0].len, 6);
    assert_int_equal(sp.v[1].start, 9);
    assert_int_equal(sp.v[1].len, 2);
    assert_int_equal(search_marker_spans(m, "别的话", strlen("别的话"), &sp, &err), 0);
    assert_int_equal(sp.n, 0);
    span_list_free(&sp);
    search_marker_free(m);
    assert_null(search_marker_new(e, &(search_request){ .query = "OR" }, &err));
    assert_int_equal(err.code, PS_USAGE);
}

/* A query that cannot run and a bad type are PS_USAGE errors. */
static void test_errors(void **state)
{
    search_engine *e = engine(state);
    static hits h;
    search_summary sum;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(search_run(e, &(search_request){ .query = "-企业", .limit = 10 }, collect, &h, &sum, &err), -1);
    assert_int_equal(err.code, PS_USAGE);
    ps_err_clear(&err);
    assert_int_equal(search_run(e, &(search_request){ .query = "企业", .limit = 10, .type = "pdf,nope" },
                                collect, &h, &sum, &err), -1);
    assert_int_equal(err.code, PS_USAGE);
    ps_err_clear(&err);
    assert_int_equal(search_run(e, &(search_request){ .query = "企业", .limit = 10, .region = "火星" },
                                collect, &h, &sum, &err), -1);
    assert_int_equal(err.code, PS_USAGE);
    assert_non_null(strstr(err.msg, "no such place: 火星"));
}

/* search_refresh: nothing changed gives 0; after a re-index that adds a
 * file, 1, and the engine finds what the new file says. */
static void test_refresh(void **state)
{
    search_engine *e = engine(state);
    fixture *f = *state;
    static hits h;
    search_summary sum;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(search_refresh(e, &err), 0);
    const search_request req = { .query = "独一无二的测试短语", .mode = SEARCH_COUNT };
    run(e, &req, &h, &sum);
    assert_int_equal(sum.count, 0);
    write_file(f->docs, "new.txt", "这里有独一无二的测试短语。\n");
    assert_int_equal(system(f->cmd), 0);
    assert_int_equal(search_refresh(e, &err), 1);
    run(e, &req, &h, &sum);
    assert_int_equal(sum.count, 1);
    assert_int_equal(search_refresh(e, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank_order),
        cmocka_unit_test(test_stop_after_k),
        cmocka_unit_test(test_start_offset),
        cmocka_unit_test(test_count_equals_hits),
        cmocka_unit_test(test_copies),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_bare),
        cmocka_unit_test(test_marker),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_refresh),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
