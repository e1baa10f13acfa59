/* test_topk.c — xs_enquire_term_top (xapian-shim.h) gives the mset of the
 * plain match, item for item, weight for weight and sort key for sort key,
 * on databases written by the test: one frequent term with wdf and
 * document lengths of every kind, its tier terms (store_tier_term, as
 * docbuild.c writes them: wdf and length class), a boost term on some
 * documents, copy values that tie, in one database and in two searched
 * together; with the tiers and without them (the pass over every
 * posting). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"
#include "xapian-shim.h"

#define DOCS 12000                   /* documents in each database */

/* The databases every test reads. */
typedef struct fixture {
    char dir[2][64];                 /* two temporary databases */
    size_t tiered[2];                /* documents of each with a tier term of "t" */
} fixture;

/* A small deterministic generator (xorshift). */
static unsigned next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Write database dir with seed: each document has the term "t" with a
 * wdf mostly 1, sometimes up to 30, filler terms for its length, "XH" on
 * about a third, "r" on a few, and a sort value from 40 distinct ones
 * (ties in weight and value both). */
static size_t write_db(const char *dir, uint32_t seed)
{
    size_t tiered = 0;
    ps_err err = PS_ERR_INIT;
    xs_wdb *w = xs_wdb_open(dir, XS_WDB_CREATE, &err);
    xs_doc *d = xs_doc_new(&err);
    assert_non_null(w);
    assert_non_null(d);
    for (int i = 0; i < DOCS; i++) {
        assert_int_equal(xs_doc_clear(d, NULL), PS_OK);
        unsigned r = next_rand(&seed), x = next_rand(&seed);
        unsigned wdf = x % 10 ? 1 : x % 7 ? 2 + x % 5 : 3 + x % 28;
        /* Now and then a wdf past the tiers' cap (a class without an upper
         * wdf) in a long document. */
        if (x % 997 == 3)
            wdf = STORE_TIER_WDF_CAP + x % 40;
        int has = r % 4 == 1;        /* a quarter of the documents have the term */
        if (has)
            assert_int_equal(xs_doc_add_term(d, "t", 1, wdf, &err), PS_OK);
        unsigned len = next_rand(&seed) % 90;
        for (unsigned f = 0; f < len; f++) {
            char t[16];
            int n = snprintf(t, sizeof t, "f%u", next_rand(&seed) % 500);
            assert_int_equal(xs_doc_add_term(d, t, (size_t)n, 1, &err), PS_OK);
        }
        /* The content length the tier class is of leaves out XH and r,
         * as docbuild's leaves out the terms after the content terms. */
        if (has && wdf >= STORE_TIER_MIN_WDF) {
            buf tier = BUF_INIT;
            assert_int_equal(store_tier_term(&tier, "t", 1, wdf, wdf + len), 0);
            assert_int_equal(xs_doc_add_boolean(d, tier.data, tier.len, &err), PS_OK);
            buf_free(&tier);
            tiered++;
        }
        if (next_rand(&seed) % 3 == 0)
            assert_int_equal(xs_doc_add_term(d, "XH", 2, 1 + r % 3, &err), PS_OK);
        if (i % 97 == 0)
            assert_int_equal(xs_doc_add_term(d, "r", 1, 1, &err), PS_OK);
        char key[STORE_KEY_LEN];
        memset(key, 0, sizeof key);
        key[0] = (char)(next_rand(&seed) % 40);
        assert_int_equal(xs_doc_set_value(d, STORE_SLOT_KEY, key, sizeof key, &err), PS_OK);
        assert_int_equal(xs_wdb_add_doc(w, d, NULL, &err), PS_OK);
    }
    xs_doc_free(d);
    assert_int_equal(xs_wdb_close(w, &err), PS_OK);
    return tiered;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    for (int i = 0; i < 2; i++) {
        snprintf(f->dir[i], sizeof f->dir[i], "/tmp/test_topk.XXXXXX");
        assert_non_null(mkdtemp(f->dir[i]));
        f->tiered[i] = write_db(f->dir[i], 2463534242u + 77u * (uint32_t)i);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 2; i++)
        assert_int_equal(store_remove_tree(f->dir[i]), 0);
    free(f);
    return 0;
}

/* Both msets hold the same items in the same order, with equal weights
 * and sort keys; returns their size. */
static size_t assert_same(xs_mset *a, xs_mset *b)
{
    assert_int_equal(xs_mset_size(a), xs_mset_size(b));
    for (size_t i = 0; i < xs_mset_size(a); i++) {
        unsigned da, db;
        double wa, wb;
        xs_mset_item(a, i, &da, &wa);
        xs_mset_item(b, i, &db, &wb);
        assert_int_equal(da, db);
        assert_true(wa == wb);      /* bit for bit: the same arithmetic */
        char *ka, *kb;
        size_t la, lb;
        assert_int_equal(xs_mset_sort_key(a, i, &ka, &la, NULL), PS_OK);
        assert_int_equal(xs_mset_sort_key(b, i, &kb, &lb, NULL), PS_OK);
        assert_int_equal(la, lb);
        assert_memory_equal(ka, kb, la);
        free(ka);
        free(kb);
    }
    return xs_mset_size(a);
}

/* The tier scheme of "t" as store_enquire_top hands it over, its prefix
 * in *prefix (freed by the caller). */
static xs_tier_scheme scheme_of_t(buf *prefix)
{
    xs_tier_scheme s;
    *prefix = (buf)BUF_INIT;
    assert_int_equal(store_tier_scheme(prefix, "t", 1, &s), 0);
    return s;
}

/* Compare the two matches of "t" (with the boost when boost is set) on
 * the first ndb databases, for pages at several places, with the tiers
 * when tiered is set (then the small pages must be ranked within a tier)
 * and without. */
static void compare(fixture *f, size_t ndb, int boost, int tiered)
{
    const char *paths[2] = { f->dir[0], f->dir[1] };
    ps_err err = PS_ERR_INIT;
    xs_db *db = xs_db_open(paths, ndb, 1000, &err);
    assert_non_null(db);
    xs_db_set_sort_slot(db, STORE_SLOT_KEY);
    const xs_bm25 bm25 = { 5.0, 0.2 };
    xs_query *t = xs_query_term("t", 1, 1, &err);
    xs_query *h = xs_query_term("XH", 2, 1, &err);
    xs_query *hs = xs_query_scale(h, 0.5, &err);
    xs_query *r = xs_query_term("r", 1, 1, &err);
    xs_query *rs = xs_query_scale(r, 0.05, &err);
    xs_query *parts[2] = { hs, rs };
    xs_query *extra = xs_query_combine(XS_OP_OR, parts, 2, &err);
    xs_query *pair[2] = { t, extra };
    xs_query *q = boost ? xs_query_combine(XS_OP_AND_MAYBE, pair, 2, &err) : t;
    assert_non_null(q);
    buf prefix;
    xs_tier_scheme scheme = scheme_of_t(&prefix);
    size_t in_tiers = f->tiered[0] + (ndb > 1 ? f->tiered[1] : 0);
    assert_true(in_tiers > 0 && in_tiers < DOCS * ndb / 16);
    static const unsigned pages[][2] = { { 0, 1 }, { 0, 10 }, { 0, 20 }, { 10, 20 }, { 0, 110 },
                                         { 30, 60 }, { 90, 180 }, { 0, 700 }, { 2000, 50 } };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        xs_mset *a = xs_enquire(db, q, pages[i][0], pages[i][1], 0, &bm25, &err);
        xs_mset *b = xs_enquire_term_top(db, q, "t", 1, 1, boost ? extra : NULL, tiered ? &scheme : NULL,
                                         pages[i][0], pages[i][1], &bm25, &err);
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(assert_same(a, b), pages[i][1]);
        /* The small pages are ranked within a fraction of the matches (with
         * the boost's bound added, the smallest only), within a tier when
         * there are tiers. */
        if (pages[i][0] + pages[i][1] <= (boost ? 10u : 200u)) {
            assert_true(xs_mset_kept(b) >= pages[i][0] + pages[i][1]);
            assert_true(xs_mset_kept(b) < DOCS * ndb / 4);
            /* The first pages: within the tier classes whose bound reaches
             * the k-th weight, under half of the tiers' documents (their
             * wdf and length classes prune; the boost's bound, large
             * against this term's weights, keeps more, so not there). */
            if (tiered && !boost && pages[i][0] + pages[i][1] <= 10)
                assert_true(xs_mset_kept(b) < in_tiers / 2);
        }
        xs_mset_free(a);
        xs_mset_free(b);
    }
    buf_free(&prefix);
    if (q != t)
        xs_query_free(q);
    xs_query_free(t);
    xs_query_free(h);
    xs_query_free(hs);
    xs_query_free(r);
    xs_query_free(rs);
    xs_query_free(extra);
    xs_db_close(db);
}

static void test_one_db(void **state)
{
    for (int tiered = 0; tiered < 2; tiered++) {
        compare(*state, 1, 0, tiered);
        compare(*state, 1, 1, tiered);
    }
}

/* Two databases: a posting source is handed each sub-database apart; a
 * tier term is one query term across both. */
static void test_two_dbs(void **state)
{
    for (int tiered = 0; tiered < 2; tiered++) {
        compare(*state, 2, 0, tiered);
        compare(*state, 2, 1, tiered);
    }
}

/* A decode that names no class: the term has no tiers. */
static int no_class(const char *code, unsigned *min_wdf, unsigned *max_wdf, unsigned *min_len)
{
    (void)code, (void)min_wdf, (void)max_wdf, (void)min_len;
    return -1;
}

/* Tiers that cannot give the answer: a scheme that claims every posting
 * of wdf 2 and up has its tier term (true of its classes, whose documents
 * have wdf 3 or more, so the bound of a document outside them is that of
 * wdf 1, which reaches far), and one whose codes name no class (no tier
 * documents at all): the answer stays the plain match's. */
static void test_tier_refused(void **state)
{
    fixture *f = *state;
    const char *paths[1] = { f->dir[0] };
    ps_err err = PS_ERR_INIT;
    xs_db *db = xs_db_open(paths, 1, 1000, &err);
    assert_non_null(db);
    xs_db_set_sort_slot(db, STORE_SLOT_KEY);
    const xs_bm25 bm25 = { 5.0, 0.2 };
    buf prefix;
    xs_tier_scheme low = scheme_of_t(&prefix), none = low;
    low.min_wdf = 2;
    none.decode = no_class;
    xs_query *t = xs_query_term("t", 1, 1, &err);
    static const unsigned pages[][2] = { { 0, 10 }, { 0, 400 }, { 100, 20 } };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        xs_mset *a = xs_enquire(db, t, pages[i][0], pages[i][1], 0, &bm25, &err);
        xs_mset *b = xs_enquire_term_top(db, t, "t", 1, 1, NULL, &low, pages[i][0], pages[i][1], &bm25, &err);
        xs_mset *c = xs_enquire_term_top(db, t, "t", 1, 1, NULL, &none, pages[i][0], pages[i][1], &bm25, &err);
        assert_non_null(a);
        assert_non_null(b);
        assert_non_null(c);
        assert_int_equal(assert_same(a, b), pages[i][1]);
        assert_int_equal(assert_same(a, c), pages[i][1]);
        xs_mset_free(a);
        xs_mset_free(b);
        xs_mset_free(c);
    }
    buf_free(&prefix);
    xs_query_free(t);
    xs_db_close(db);
}

/* A term with few matches, and the same database opened twice (the
 * sub-databases cannot be told apart): the plain match answers. */
static void test_fallbacks(void **state)
{
    fixture *f = *state;
    const char *paths[2] = { f->dir[0], f->dir[0] };
    ps_err err = PS_ERR_INIT;
    xs_db *db = xs_db_open(paths, 2, 1000, &err);
    assert_non_null(db);
    const xs_bm25 bm25 = { 5.0, 0.2 };
    xs_query *t = xs_query_term("t", 1, 1, &err);
    xs_query *r = xs_query_term("r", 1, 1, &err);
    xs_mset *a = xs_enquire(db, t, 0, 10, 0, &bm25, &err);
    xs_mset *b = xs_enquire_term_top(db, t, "t", 1, 1, NULL, NULL, 0, 10, &bm25, &err);
    assert_int_equal(assert_same(a, b), 10);
    xs_mset_free(a);
    xs_mset_free(b);
    a = xs_enquire(db, r, 0, 10, 0, &bm25, &err);
    b = xs_enquire_term_top(db, r, "r", 1, 1, NULL, NULL, 0, 10, &bm25, &err);
    assert_int_equal(assert_same(a, b), 10);
    assert_int_equal(xs_mset_kept(b), 0);
    xs_mset_free(a);
    xs_mset_free(b);
    xs_query_free(t);
    xs_query_free(r);
    xs_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_db),
        cmocka_unit_test(test_two_dbs),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_tier_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
