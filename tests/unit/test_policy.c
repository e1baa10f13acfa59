/* test_policy.c — the policy lexicon in the index and in queries
 * (policy.c), as policy.h describes it: one K term per mention of a
 * lexicon term (overlapping forms of one term count once), aliases written
 * as synonyms both ways, the forms kept as index metadata, heading
 * detection, and where the shipped lexicon is found.  Indexing is checked
 * in a real Xapian database made in a temporary directory, with a small
 * lexicon of the test's own so that every expected term is known. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <unistd.h>

#include "buf.h"
#include "helpers.h"
#include "lexicon.h"
#include "normalize.h"
#include "policy.h"

/* The test's lexicon: nested forms of one term, a term inside another
 * term, an EXCEPT context, and a Latin key that normalisation changes. */
static const char lexicon_text[] =
    "专精特新小巨人\t2.0\t专精特新小巨人企业,小巨人企业,小巨人\n"
    "专精特新\t1.5\t专精特新企业\n"
    "高新技术企业\t1.2\t高企\t提高企业\n"
    "5G\t1.0\t第五代移动通信\n";

/* ---- helpers ------------------------------------------------------------ */

/* Write text to a fresh temporary file; its path into path (64 bytes). */
static void write_tmp(char path[64], const char *text)
{
    snprintf(path, 64, "/tmp/polsearch-policy-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(close(fd), 0);
}

/* The test's lexicon, built. */
static lexicon *test_lexicon(void)
{
    char path[64];
    ps_err err = PS_ERR_INIT;
    write_tmp(path, lexicon_text);
    lexicon *lx = lex_new();
    assert_non_null(lx);
    if (lex_load_file(lx, path, &err) != PS_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(lex_build(lx, &err), PS_OK);
    unlink(path);
    return lx;
}

/* allterms callback: append "term freq\n". */
static int list_term(void *ctx, const char *term, size_t len, uint64_t freq)
{
    return buf_printf(ctx, "%.*s %llu\n", (int)len, term, (unsigned long long)freq);
}

/* synonyms callback: append "syn\n". */
static int list_syn(void *ctx, const char *syn, size_t len)
{
    return buf_printf(ctx, "%.*s\n", (int)len, syn);
}

/* The synonyms of term in db, one a line, in Xapian's (byte) order. */
static void expect_synonyms(xs_db *db, const char *term, const char *want)
{
    buf b = BUF_INIT;
    ps_err err;
    assert_int_equal(xs_db_synonyms(db, term, strlen(term), list_syn, &b, &err), PS_OK);
    assert_string_equal(b.data ? b.data : "", want);
    buf_free(&b);
}

/* The paragraphs indexed by test_index_terms, docids 1.. in this order. */
static const char *const paras[] = {
    "培育小巨人企业。",              /* 1: 小巨人 inside 小巨人企业: one mention */
    "培育小巨人，再培育小巨人。",    /* 2: two mentions */
    "培育小巨人。",                  /* 3: one mention */
    "支持专精特新小巨人企业发展。",  /* 4: this term once, and 专精特新 once */
    "提高企业效益，支持高企。",      /* 5: 提高企业 is an EXCEPT context; 高企 counts */
    "建设５Ｇ基站和第五代移动通信网络。", /* 6: two forms, apart: two mentions */
    "提高企业效益。",                /* 7: nothing */
    "建设5G基站。",                  /* 8: one mention */
};

#define NPARAS (sizeof paras / sizeof *paras)

/* Index paras into a fresh database under dir with the test's lexicon
 * (its synonyms too) and open it for reading. */
static xs_db *index_paras(const char *dir)
{
    lexicon *lx = test_lexicon();
    ps_err err;
    xs_wdb *w = xs_wdb_open(dir, XS_WDB_CREATE | XS_WDB_NO_SYNC, &err);
    assert_non_null(w);
    norm_text nt = NORM_TEXT_INIT;
    for (size_t i = 0; i < NPARAS; i++) {
        xs_doc *d = xs_doc_new(&err);
        assert_non_null(d);
        assert_int_equal(norm_text_build(&nt, paras[i], strlen(paras[i])), 0);
        assert_int_equal(policy_index_terms(lx, &nt, d, &err), 0);
        unsigned docid = 0;
        assert_int_equal(xs_wdb_add_doc(w, d, &docid, &err), PS_OK);
        assert_int_equal(docid, i + 1);
        xs_doc_free(d);
    }
    assert_int_equal(policy_write_synonyms(lx, w, &err), 0);
    assert_int_equal(xs_wdb_close(w, &err), PS_OK);
    norm_text_free(&nt);
    lex_free(lx);
    const char *paths[] = { dir };
    xs_db *db = xs_db_open(paths, 1, 0, &err);
    assert_non_null(db);
    return db;
}

/* The weight of each paragraph matching term, by docid (0: no match). */
static void weights_of(xs_db *db, const char *term, double w[NPARAS + 1])
{
    ps_err err;
    xs_query *q = xs_query_term(term, strlen(term), 1, &err);
    assert_non_null(q);
    xs_mset *m = xs_enquire(db, q, 0, NPARAS, NPARAS, NULL, &err);
    assert_non_null(m);
    memset(w, 0, (NPARAS + 1) * sizeof *w);
    for (size_t i = 0; i < xs_mset_size(m); i++) {
        unsigned docid;
        double weight;
        xs_mset_item(m, i, &docid, &weight);
        assert_true(docid >= 1 && docid <= NPARAS);
        w[docid] = weight;
    }
    xs_mset_free(m);
    xs_query_free(q);
}

/* ---- indexing ----------------------------------------------------------- */

/* Each paragraph gets the K terms of the lexicon terms it mentions, keyed
 * by the normalised term, one occurrence per mention. */
static void test_index_terms(void **state)
{
    xs_db *db = index_paras(*state);
    ps_err err;

    /* Which K terms, in how many paragraphs each. */
    buf terms = BUF_INIT;
    assert_int_equal(xs_db_allterms(db, POLICY_PREFIX, list_term, &terms, &err), PS_OK);
    assert_string_equal(terms.data,
        "K5g 2\n"
        "K专精特新 1\n"
        "K专精特新小巨人 4\n"
        "K高新技术企业 1\n");
    buf_free(&terms);

    /* One mention is one occurrence however many forms overlap there:
     * paragraph 1 (小巨人企业 ⊃ 小巨人) weighs as paragraph 3 (小巨人),
     * both of length 1, and less than paragraph 2 (two mentions). */
    double w[NPARAS + 1];
    weights_of(db, "K专精特新小巨人", w);
    assert_true(w[1] > 0 && w[2] > 0 && w[3] > 0 && w[4] > 0);
    assert_true(w[1] == w[3]);
    assert_true(w[2] > w[1]);
    assert_true(w[5] == 0 && w[6] == 0 && w[7] == 0 && w[8] == 0);
    /* Two forms apart are two mentions: paragraph 6 (wdf 2, length 2)
     * outweighs paragraph 8 (wdf 1, length 1); counted once it would not. */
    double g[NPARAS + 1];
    weights_of(db, "K5g", g);
    assert_true(g[8] > 0);
    assert_true(g[6] > g[8]);

    /* Aliases are synonyms of the key and the key of each alias. */
    expect_synonyms(db, "专精特新小巨人", "专精特新小巨人企业\n小巨人\n小巨人企业\n");
    expect_synonyms(db, "小巨人", "专精特新小巨人\n");
    expect_synonyms(db, "5g", "第五代移动通信\n");
    expect_synonyms(db, "第五代移动通信", "5g\n");
    expect_synonyms(db, "提高企业", "");
    xs_db_close(db);
}

/* An unbuilt lexicon is an error, reported in err, not an empty result. */
static void test_index_terms_unbuilt(void **state)
{
    (void)state;
    lexicon *lx = test_lexicon();
    static const char *const alias[] = { "科创" };
    ps_err err = PS_ERR_INIT;
    assert_int_equal(lex_add(lx, "科技创新", 1.0, alias, 1, &err), PS_OK);   /* now unbuilt */
    xs_doc *d = xs_doc_new(&err);
    assert_non_null(d);
    norm_text nt = NORM_TEXT_INIT;
    assert_int_equal(norm_text_build(&nt, "小巨人", strlen("小巨人")), 0);
    assert_int_equal(policy_index_terms(lx, &nt, d, &err), -1);
    assert_int_not_equal(err.code, PS_OK);
    assert_string_equal(err.msg, "the policy lexicon is not built");
    norm_text_free(&nt);
    xs_doc_free(d);
    lex_free(lx);
}

/* ---- forms -------------------------------------------------------------- */

/* Every form of every term with its key and weight, normalised; the
 * encoding reads back as the lexicon's own forms. */
static void test_forms(void **state)
{
    (void)state;
    lexicon *lx = test_lexicon();
    buf b = BUF_INIT;
    assert_int_equal(policy_forms_encode(lx, &b), 0);
    assert_string_equal(b.data,
        "专精特新小巨人\t专精特新小巨人\t2\n"
        "专精特新小巨人企业\t专精特新小巨人\t2\n"
        "小巨人企业\t专精特新小巨人\t2\n"
        "小巨人\t专精特新小巨人\t2\n"
        "专精特新\t专精特新\t1.5\n"
        "专精特新企业\t专精特新\t1.5\n"
        "高新技术企业\t高新技术企业\t1.2\n"
        "高企\t高新技术企业\t1.2\n"
        "5g\t5g\t1\n"
        "第五代移动通信\t5g\t1\n");
    policy_forms f = { .v = NULL };
    assert_int_equal(policy_forms_decode(b.data, b.len, &f), 0);
    assert_int_equal(f.n, 10);
    assert_string_equal(f.v[3].form, "小巨人");
    assert_string_equal(f.v[3].key, "专精特新小巨人");
    assert_true(f.v[3].weight == 2.0);
    assert_string_equal(f.v[9].key, "5g");
    policy_forms g = { .v = NULL };
    assert_int_equal(policy_forms_of(lx, &g), 0);
    assert_int_equal(g.n, f.n);
    for (size_t i = 0; i < f.n; i++) {
        assert_string_equal(g.v[i].form, f.v[i].form);
        assert_string_equal(g.v[i].key, f.v[i].key);
        assert_true(g.v[i].weight == f.v[i].weight);
    }
    policy_forms_free(&f);
    assert_null(f.v);
    assert_int_equal(f.n, 0);
    policy_forms_free(&g);
    buf_free(&b);
    lex_free(lx);

    /* Lines without two tabs are skipped; the last needs no newline. */
    static const char s[] = "a\tb\t1.5\nno tabs\none\ttab\nc\td\t0.25";
    assert_int_equal(policy_forms_decode(s, sizeof s - 1, &f), 0);
    assert_int_equal(f.n, 2);
    assert_string_equal(f.v[0].form, "a");
    assert_string_equal(f.v[0].key, "b");
    assert_true(f.v[0].weight == 1.5);
    assert_string_equal(f.v[1].form, "c");
    assert_true(f.v[1].weight == 0.25);
    policy_forms_free(&f);
}

/* Queries' normalisation; "" when the result does not fit. */
static void test_norm_form(void **state)
{
    (void)state;
    char out[64];
    policy_norm_form("ＡＢＣ　“Ｘ”", out, sizeof out);
    assert_string_equal(out, "abc \"x\"");
    policy_norm_form("专精特新“小巨人”", out, sizeof out);
    assert_string_equal(out, "专精特新\"小巨人\"");
    char small[4];
    policy_norm_form("小巨人", small, sizeof small);      /* 9 bytes */
    assert_string_equal(small, "");
    policy_norm_form("abc", small, sizeof small);
    assert_string_equal(small, "abc");
}

/* ---- headings ----------------------------------------------------------- */

static void test_is_heading(void **state)
{
    (void)state;
    static const struct { const char *text; int heading; } cases[] = {
        { "一、工作开展情况", 1 },                          /* a section marker */
        { "（二）加强科技创新，推动产业发展", 1 },          /* a marker beats the comma */
        { "第三条 支持企业建立研发机构。", 1 },
        { "关于加快科技创新的实施意见", 1 },                /* short, no punctuation */
        { "关于加快科技创新的实施意见。", 0 },
        { "加强科技创新，推动产业发展", 0 },
        { "Science, technology", 0 },
        { "", 0 },
        /* 40 code points is short; 41 is not, whatever it begins with. */
        { "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十", 1 },
        { "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", 0 },
        { "一、二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int got = policy_is_heading(cases[i].text, strlen(cases[i].text));
        if (got != cases[i].heading)
            print_error("\"%s\": %d, want %d\n", cases[i].text, got, cases[i].heading);
        assert_int_equal(got, cases[i].heading);
    }
}

/* ---- the shipped lexicon ------------------------------------------------ */

/* $POLSEARCH_LEXICON names the lexicon; a missing one is reported. */
static void test_default_path_and_load(void **state)
{
    (void)state;
    const char *saved = getenv("POLSEARCH_LEXICON");
    char *copy = saved ? strdup(saved) : NULL;
    char path[4200];
    char user[64], tmp[64];
    write_tmp(user, "科技创新\t1.0\t科创\n");
    write_tmp(tmp, lexicon_text);

    assert_int_equal(setenv("POLSEARCH_LEXICON", tmp, 1), 0);
    assert_int_equal(policy_default_path(path, sizeof path), 0);
    assert_string_equal(path, tmp);
    ps_err perr = PS_ERR_INIT;
    lexicon *lx = policy_load(user, &perr);
    if (!lx)
        fail_msg("%s", perr.msg);
    assert_int_equal(lex_count(lx), 5);                 /* four of ours, one of the user's */
    assert_string_equal(lex_key(lx, 4), "科技创新");
    lex_free(lx);

    /* A bad line in the user's file: FILE:LINE: reason. */
    FILE *f = fopen(user, "a");
    assert_non_null(f);
    fputs("no weight here\n", f);
    fclose(f);
    assert_null(policy_load(user, &perr));
    assert_int_equal(perr.code, PS_INPUT);
    char want[128];
    snprintf(want, sizeof want, "%s:2: ", user);
    assert_memory_equal(perr.msg, want, strlen(want));

    unlink(tmp);
    assert_int_equal(policy_default_path(path, sizeof path), -1);
    ps_err_clear(&perr);
    assert_null(policy_load(NULL, &perr));
    assert_non_null(strstr(perr.msg, "the policy lexicon is missing"));
    unlink(user);
    if (copy)
        setenv("POLSEARCH_LEXICON", copy, 1);
    else
        unsetenv("POLSEARCH_LEXICON");
    free(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_index_terms, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test(test_index_terms_unbuilt),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_norm_form),
        cmocka_unit_test(test_is_heading),
        cmocka_unit_test(test_default_path_and_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
