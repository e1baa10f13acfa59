/* test_shim.c — the C face of Xapian (xapian-shim.cc): a database written
 * and read back through it holds what was put in; every error Xapian
 * raises comes back as an error code and a one-line message (no
 * exception escapes into C, or this program would abort): a missing
 * database, a bad remote address, a second writer, a damaged database, a
 * document that does not exist, a misuse of transactions; and an error
 * already held is kept, as err.h says.  Databases are made in a
 * temporary directory per test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "helpers.h"
#include "xapian-shim.h"

/* dir/name into out (4096 bytes). */
static void join(char *out, const char *dir, const char *name)
{
    snprintf(out, 4096, "%s/%s", dir, name);
}

/* Fail unless err holds code with a non-empty one-line message that
 * contains about (when not NULL). */
static void expect_error(const ps_err *err, int code, const char *about)
{
    if (err->code != code)
        fail_msg("code %d (%s), want %d", err->code, err->msg, code);
    assert_true(err->msg[0] != '\0');
    assert_null(strchr(err->msg, '\n'));
    if (about && !strstr(err->msg, about))
        fail_msg("message [%s], want [%s]", err->msg, about);
}

/* Write a database at path holding two documents: the first with the
 * terms 科技 (wdf 2) and 企业, the boolean term XFILE, value 0 "20240716"
 * and data "one"; the second with 企业 alone. */
static void write_two(const char *path)
{
    ps_err err = PS_ERR_INIT;
    xs_wdb *w = xs_wdb_open(path, XS_WDB_CREATE | XS_WDB_TERMLIST, &err);
    xs_doc *d = xs_doc_new(&err);
    assert_non_null(w);
    assert_non_null(d);
    unsigned id = 0;
    assert_int_equal(xs_doc_add_term(d, "科技", strlen("科技"), 2, &err), PS_OK);
    assert_int_equal(xs_doc_add_term(d, "企业", strlen("企业"), 1, &err), PS_OK);
    assert_int_equal(xs_doc_add_boolean(d, "XFILE", 5, &err), PS_OK);
    assert_int_equal(xs_doc_set_value(d, 0, "20240716", 8, &err), PS_OK);
    assert_int_equal(xs_doc_set_data(d, "one", 3, &err), PS_OK);
    assert_int_equal(xs_wdb_add_doc(w, d, &id, &err), PS_OK);
    assert_int_equal(id, 1);
    assert_int_equal(xs_doc_clear(d, NULL), PS_OK);
    assert_int_equal(xs_doc_add_term(d, "企业", strlen("企业"), 1, &err), PS_OK);
    assert_int_equal(xs_wdb_add_doc(w, d, &id, &err), PS_OK);
    assert_int_equal(id, 2);
    assert_int_equal(xs_wdb_set_metadata(w, "k", "v", 1, &err), PS_OK);
    assert_int_equal(xs_wdb_close(w, &err), PS_OK);
    xs_doc_free(d);
}

/* Fail unless rc is PS_OK and s (malloc'd by the shim; freed here) is want. */
static void want_string(int rc, char *s, const char *want)
{
    assert_int_equal(rc, PS_OK);
    assert_non_null(s);
    assert_string_equal(s, want);
    free(s);
}

/* xs_doc_each_term callback: append "TERM wdf\n". */
static int list_doc_term(void *ctx, const char *term, size_t len, unsigned wdf)
{
    return buf_printf(ctx, "%.*s %u\n", (int)len, term, wdf);
}

/* xs_db_allterms callback: append "TERM freq\n". */
static int list_term(void *ctx, const char *term, size_t len, uint64_t freq)
{
    return buf_printf(ctx, "%.*s %llu\n", (int)len, term, (unsigned long long)freq);
}

/* xs_db_metadata_each callback: count the call, then stop (as a caller
 * out of memory does). */
static int stop_walk(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    (void)key; (void)klen; (void)val; (void)vlen;
    ++*(int *)ctx;
    return -1;
}

/* xs_db_allterms callback: count the call, then stop. */
static int stop_terms(void *ctx, const char *term, size_t len, uint64_t freq)
{
    (void)term; (void)len; (void)freq;
    ++*(int *)ctx;
    return -1;
}

/* A document holds what was added (terms in byte order, boolean ones with
 * wdf 0; its value), and the database written through the shim reads
 * back: counts, terms with their frequencies, data, metadata, a search. */
static void test_round_trip(void **state)
{
    char path[4096];
    join(path, *state, "db");
    ps_err err = PS_ERR_INIT;
    xs_doc *d = xs_doc_new(&err);
    assert_int_equal(xs_doc_add_term(d, "b", 1, 1, &err), PS_OK);
    assert_int_equal(xs_doc_add_term(d, "b", 1, 2, &err), PS_OK);
    assert_int_equal(xs_doc_add_boolean(d, "a", 1, &err), PS_OK);
    assert_int_equal(xs_doc_set_value(d, 3, "x", 1, &err), PS_OK);
    buf b = BUF_INIT;
    assert_int_equal(xs_doc_each_term(d, list_doc_term, &b, &err), PS_OK);
    assert_string_equal(b.data, "a 0\nb 3\n");
    char *v = NULL;
    size_t vlen = 0;
    int rc = xs_doc_get_value(d, 3, &v, &vlen, &err);
    want_string(rc, v, "x");
    rc = xs_doc_get_value(d, 4, &v, &vlen, &err);
    want_string(rc, v, "");                                /* no value: "" */
    xs_doc_free(d);

    write_two(path);
    const char *paths[] = { path };
    xs_db *db = xs_db_open(paths, 1, 0, &err);
    assert_non_null(db);
    uint64_t n = 0;
    assert_int_equal(xs_db_doccount(db, &n, &err), PS_OK);
    assert_int_equal(n, 2);
    buf_clear(&b);
    assert_int_equal(xs_db_allterms(db, "", list_term, &b, &err), PS_OK);
    assert_string_equal(b.data, "XFILE 1\n企业 2\n科技 1\n");
    char *data = NULL;
    size_t dlen = 0;
    rc = xs_db_doc_data(db, 1, &data, &dlen, &err);
    want_string(rc, data, "one");
    rc = xs_db_get_metadata(db, "k", &data, &dlen, &err);
    want_string(rc, data, "v");
    /* A walk whose callback stops it (out of memory) is no short walk
     * that succeeded: the writer once took the records read so far for
     * all of them, and wrote a second live version of the files left out. */
    int calls = 0;
    ps_err stop = PS_ERR_INIT;
    assert_int_equal(xs_db_metadata_each(db, "", stop_walk, &calls, &stop), PS_NOMEM);
    assert_int_equal(calls, 1);
    expect_error(&stop, PS_NOMEM, "out of memory");
    stop = (ps_err)PS_ERR_INIT;
    calls = 0;
    assert_int_equal(xs_db_allterms(db, "", stop_terms, &calls, &stop), PS_NOMEM);
    assert_int_equal(calls, 1);
    xs_query *q = xs_query_term("科技", strlen("科技"), 1, &err);
    xs_mset *m = xs_enquire(db, q, 0, 10, 0, NULL, &err);
    assert_non_null(m);
    assert_int_equal(xs_mset_size(m), 1);
    unsigned id;
    double w;
    xs_mset_item(m, 0, &id, &w);
    assert_int_equal(id, 1);
    assert_true(w > 0);
    xs_mset_free(m);
    xs_query_free(q);
    xs_db_close(db);
    buf_free(&b);
    assert_int_equal(err.code, PS_OK);
}

/* Opening what is not there, or a remote address that is not one, gives
 * an error code and Xapian's message, and no handle. */
static void test_open_errors(void **state)
{
    char path[4096];
    join(path, *state, "nothing-here");
    ps_err err = PS_ERR_INIT;
    const char *paths[] = { path };
    assert_null(xs_db_open(paths, 1, 0, &err));
    expect_error(&err, PS_OPENING, NULL);
    err = (ps_err)PS_ERR_INIT;
    const char *bad[] = { "tcp://nohost" };
    assert_null(xs_db_open(bad, 1, 100, &err));
    expect_error(&err, PS_XAPIAN, "bad remote address 'tcp://nohost'");
    err = (ps_err)PS_ERR_INIT;
    assert_null(xs_wdb_open(path, 0, &err));                 /* no XS_WDB_CREATE */
    expect_error(&err, PS_OPENING, NULL);
}

/* A second writer of the same database is refused with PS_LOCKED while
 * the first holds it. */
static void test_second_writer(void **state)
{
    char path[4096];
    join(path, *state, "db");
    ps_err err = PS_ERR_INIT;
    xs_wdb *w = xs_wdb_open(path, XS_WDB_CREATE, &err);
    assert_non_null(w);
    ps_err err2 = PS_ERR_INIT;
    assert_null(xs_wdb_open(path, XS_WDB_CREATE, &err2));
    expect_error(&err2, PS_LOCKED, NULL);
    assert_int_equal(xs_wdb_close(w, &err), PS_OK);
}

/* Misuse and missing documents: a transaction begun inside another, a
 * document id that is not there; each an error code and a message. */
static void test_misuse(void **state)
{
    char path[4096];
    join(path, *state, "db");
    write_two(path);
    ps_err err = PS_ERR_INIT;
    xs_wdb *w = xs_wdb_open(path, 0, &err);
    assert_non_null(w);
    assert_int_equal(xs_wdb_begin(w, &err), PS_OK);
    assert_int_equal(xs_wdb_begin(w, &err), PS_XAPIAN);     /* one is in progress */
    expect_error(&err, PS_XAPIAN, "ransaction");
    err = (ps_err)PS_ERR_INIT;
    assert_int_equal(xs_wdb_commit(w, &err), PS_OK);
    assert_int_equal(xs_wdb_close(w, &err), PS_OK);

    err = (ps_err)PS_ERR_INIT;
    const char *paths[] = { path };
    xs_db *db = xs_db_open(paths, 1, 0, &err);
    char *data = NULL;
    assert_non_null(db);
    assert_int_not_equal(xs_db_doc_data(db, 99, &data, NULL, &err), PS_OK);
    expect_error(&err, PS_XAPIAN, "99");
    assert_null(data);
    xs_db_close(db);
}

/* A damaged database (its files overwritten with other bytes) is an
 * error with a code, when it is opened or at the latest when it is read. */
static void test_damaged(void **state)
{
    char path[4096], file[4200];
    join(path, *state, "db");
    write_two(path);
    static const char *const tables[] = { "iamglass", "postlist.glass", "termlist.glass" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s/%s", path, tables[i]);
        FILE *f = fopen(file, "r+");
        assert_non_null(f);
        char junk[8192];
        memset(junk, 0x5a, sizeof junk);
        assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
        assert_int_equal(fclose(f), 0);
    }
    ps_err err = PS_ERR_INIT;
    const char *paths[] = { path };
    xs_db *db = xs_db_open(paths, 1, 0, &err);
    if (db) {
        uint64_t n;
        buf b = BUF_INIT;
        if (xs_db_doccount(db, &n, &err) == PS_OK)
            xs_db_allterms(db, "", list_term, &b, &err);
        buf_free(&b);
        xs_db_close(db);
    }
    assert_int_not_equal(err.code, PS_OK);
    assert_true(err.code == PS_INDEX || err.code == PS_VERSION || err.code == PS_OPENING);
    expect_error(&err, err.code, NULL);
}

/* An error already held is kept (err.h): a later failure returns its own
 * code but leaves the first message. */
static void test_first_error_kept(void **state)
{
    char path[4096];
    join(path, *state, "nothing-here");
    ps_err err = PS_ERR_INIT;
    ps_err_set(&err, PS_INPUT, "the first");
    const char *paths[] = { path };
    assert_null(xs_db_open(paths, 1, 0, &err));
    assert_int_equal(err.code, PS_INPUT);
    assert_string_equal(err.msg, "the first");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_open_errors, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_second_writer, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_misuse, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_damaged, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_first_error_kept, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
