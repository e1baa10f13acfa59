/* test_plan.c — unit tests for the query planner (plan.h) and the shim it
 * builds on (xapian-shim.h), against a small Xapian database written by the
 * test into a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "plan.h"
#include "policy.h"
#include "query.h"
#include "store.h"
#include "xapian-shim.h"

/* The database every test reads. */
typedef struct fixture {
    char   dir[64];                  /* the temporary database directory */
    xs_db *db;                       /* it, open for reading */
} fixture;

/* Paragraph terms of the test database: the bigrams of 高新技术企业 and
 * 研发补贴, and 税 beginning two bigrams (a lone 税 is asked for as a prefix). */
static const char *const doc_terms[][6] = {
    { "高新", "新技", "技术", "术企", "企业", NULL },
    { "研发", "发补", "补贴", NULL },
    { "税收", "税务", "企业", NULL },
};

/* Write the database and open it. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_plan.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    ps_err err = PS_ERR_INIT;
    xs_wdb *w = xs_wdb_open(f->dir, XS_WDB_CREATE, &err);
    xs_doc *d = xs_doc_new(&err);
    assert_non_null(w);
    assert_non_null(d);
    for (size_t i = 0; i < sizeof doc_terms / sizeof doc_terms[0]; i++) {
        assert_int_equal(xs_doc_clear(d, NULL), PS_OK);
        for (size_t t = 0; doc_terms[i][t]; t++)
            assert_int_equal(xs_doc_add_term(d, doc_terms[i][t], strlen(doc_terms[i][t]), 1, &err), PS_OK);
        assert_int_equal(xs_wdb_add_doc(w, d, NULL, &err), PS_OK);
    }
    xs_doc_free(d);
    assert_int_equal(xs_wdb_close(w, &err), PS_OK);
    const char *path = f->dir;
    f->db = xs_db_open(&path, 1, 1000, &err);
    assert_non_null(f->db);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    xs_db_close(f->db);
    assert_int_equal(store_remove_tree(f->dir), 0);
    free(f);
    return 0;
}

/* One lexicon term, 高新技术企业, with its alias 高企 (as the index keeps them). */
static policy_form lexicon_forms[] = {
    { (char *)"高新技术企业", (char *)"高新技术企业", 1.0 },
    { (char *)"高企", (char *)"高新技术企业", 1.0 },
};

/* Plan query s (expanding when expand is set, no boosts) and return the
 * description of its Xapian query (static); *check gets plan_needs_check. */
static const char *plan_of(void **state, const char *s, int expand, int *check)
{
    static char out[1024];
    fixture *f = *state;
    pq_query *pq = NULL;
    assert_int_equal(pq_parse(s, strlen(s), &pq, NULL), 0);
    policy_forms forms = { .v = lexicon_forms, .n = sizeof lexicon_forms / sizeof lexicon_forms[0] };
    plan_in in = { f->db, pq, &forms, NULL, expand, 0, 0, 0, NULL, NULL, NULL, 0, NULL, 0 };
    ps_err err = PS_ERR_INIT;
    plan *p = plan_build(&in, &err);
    if (!p)
        fail_msg("plan_build(\"%s\"): %s", s, err.msg);
    assert_int_equal(err.code, PS_OK);
    char *d = plan_describe(p);
    assert_non_null(d);
    snprintf(out, sizeof out, "%s", d);
    free(d);
    *check = plan_needs_check(p);
    plan_free(p);
    pq_free(pq);
    return out;
}

/* Queries without expansion: the description of their plan and whether the
 * text must confirm a candidate. */
static const struct {
    const char *query;               /* what the user typed */
    const char *plan;                /* plan_describe of its plan */
    int         check;               /* plan_needs_check */
} plain[] = {
    /* Two CJK characters: their one bigram decides the match. */
    { "企业", "Query(企业)", 0 },
    /* A longer phrase: the AND of its distinct bigrams; the text confirms their order. */
    { "高新技术企业", "Query((高新 AND 新技 AND 技术 AND 术企 AND 企业))", 1 },
    /* A lone character is asked for as itself or any bigram it begins. */
    { "税", "Query((税务 SYNONYM 税收))", 0 },
    /* -term whose bigram decides it is excluded by Xapian (AND_NOT). */
    { "企业 -补贴", "Query((企业 AND_NOT 补贴))", 0 },
    /* An alias stays as typed when expansion is off. */
    { "高企", "Query(高企)", 0 },
};

static void test_plain_plans(void **state)
{
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        int check;
        assert_string_equal(plan_of(state, plain[i].query, 0, &check), plain[i].plan);
        assert_int_equal(check, plain[i].check);
    }
}

/* With expansion on, an alias expands to its term's other forms:
 * the forms are OR'd (not MAX: Xapian 1.4.22's MAX crashed on sharded
 * indexes), the expanded ones scaled down. */
static void test_expansion_only_when_enabled(void **state)
{
    int check;
    const char *d = plan_of(state, "高企", 1, &check);
    /* "Query((高企 OR 0.2999999999999999889 * (高新 AND ... 企业)))": the
     * digits of POLICY_EXPANSION are Xapian's to print. */
    assert_int_equal(strncmp(d, "Query((高企 OR 0.29999", strlen("Query((高企 OR 0.29999")), 0);
    assert_non_null(strstr(d, " * (高新 AND 新技 AND 技术 AND 术企 AND 企业)))"));
    assert_int_equal(check, 1);      /* the expanded five-character form needs the text */
}

/* The shim's constructors return NULL on failure even when the caller
 * passes no ps_err (they test the guard's result, not err). */
static void test_shim_failure_without_err(void **state)
{
    fixture *f = *state;
    char missing[128];
    snprintf(missing, sizeof missing, "%s/no-such-database", f->dir);
    const char *path = missing;
    assert_null(xs_db_open(&path, 1, 1000, NULL));
    ps_err err = PS_ERR_INIT;
    assert_null(xs_db_open(&path, 1, 1000, &err));
    assert_int_equal(err.code, PS_OPENING);
    /* A sticky error: a later failure does not overwrite the first. */
    const char *bad = "tcp://127.0.0.1:notaport";
    assert_null(xs_db_open(&bad, 1, 1000, &err));
    assert_int_equal(err.code, PS_OPENING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_plans),
        cmocka_unit_test(test_expansion_only_when_enabled),
        cmocka_unit_test(test_shim_failure_without_err),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
