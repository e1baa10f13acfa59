/* test_tally.c — cells of terms by one or two dimensions (tally.c): the
 * --by list, each dimension's value of a record, and hits folded into
 * sorted cells with each file counted once per cell. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tally.h"

static void test_dims_parse(void **state)
{
    (void)state;
    enum tally_dim d[TALLY_DIMS_MAX];
    size_t n;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(tally_dims_parse("year,region", d, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(d[0], TD_YEAR);
    assert_int_equal(d[1], TD_REGION);
    assert_int_equal(tally_dims_parse("format", d, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(tally_dim_name(d[0]), "format");
    static const char *const bad[] = { "", "year,", "colour", "year,year", "file,issuer,year", "yea" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ps_err_clear(&err);
        assert_int_equal(tally_dims_parse(bad[i], d, &n, &err), -1);
        assert_int_equal(err.code, PS_USAGE);
        assert_non_null(strstr(err.msg, "--by: "));
    }
}

static void test_dim_value(void **state)
{
    (void)state;
    char v[256];
    para_rec rec = { .file = "seeds/a.txt", .title = "关于…的答复", .date = "2024-07-16",
                     .issuer = "海宁市科学技术局", .docno = "", .format = "text" };
    assert_string_equal(tally_dim_value(TD_FILE, &rec, v, sizeof v), "seeds/a.txt");
    assert_string_equal(tally_dim_value(TD_ISSUER, &rec, v, sizeof v), "海宁市科学技术局");
    assert_string_equal(tally_dim_value(TD_YEAR, &rec, v, sizeof v), "2024");
    assert_string_equal(tally_dim_value(TD_REGION, &rec, v, sizeof v), "浙江省/嘉兴市/海宁市");
    assert_string_equal(tally_dim_value(TD_FORMAT, &rec, v, sizeof v), "text");
    para_rec none = { .file = "x", .title = "", .date = "", .issuer = "市科技局", .docno = "", .format = NULL };
    assert_string_equal(tally_dim_value(TD_YEAR, &none, v, sizeof v), "unknown");
    assert_string_equal(tally_dim_value(TD_REGION, &none, v, sizeof v), "unknown");
    assert_string_equal(tally_dim_value(TD_FORMAT, &none, v, sizeof v), "unknown");
    para_rec state_body = { .file = "x", .title = "", .date = "", .issuer = "国务院办公厅", .docno = "" };
    assert_string_equal(tally_dim_value(TD_REGION, &state_body, v, sizeof v), "全国");
}

static void test_cells(void **state)
{
    (void)state;
    tally *t = tally_new(2);
    assert_non_null(t);
    size_t n;
    int nomem;
    assert_null(tally_cells(t, &n, &nomem));
    assert_int_equal(n, 0);
    const char *a[] = { "2024", "山东省" }, *b[] = { "2022", "宁夏回族自治区" };
    /* Out of order: term 3 of file f1 twice (two paragraphs), f2 once; term 1 once. */
    assert_int_equal(tally_add(t, 3, a, "00000000000000f1", 2), 0);
    assert_int_equal(tally_add(t, 3, b, "00000000000000f9", 1), 0);
    assert_int_equal(tally_add(t, 3, a, "00000000000000f2", 5), 0);
    assert_int_equal(tally_add(t, 1, a, "00000000000000f1", 1), 0);
    assert_int_equal(tally_add(t, 3, a, "00000000000000f1", 1), 0);
    const tally_cell *c = tally_cells(t, &n, &nomem);
    assert_int_equal(nomem, 0);
    assert_int_equal(n, 3);
    assert_string_equal(c[0].v[0], "2022");
    assert_int_equal(c[0].term, 3);
    assert_int_equal(c[0].paragraphs, 1);
    assert_string_equal(c[1].v[0], "2024");
    assert_int_equal(c[1].term, 1);
    assert_int_equal(c[1].documents, 1);
    assert_string_equal(c[2].v[1], "山东省");
    assert_int_equal(c[2].term, 3);
    assert_int_equal(c[2].paragraphs, 3);
    assert_int_equal(c[2].documents, 2);
    assert_int_equal(c[2].occurrences, 8);
    tally_free(t);
    tally_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dims_parse),
        cmocka_unit_test(test_dim_value),
        cmocka_unit_test(test_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
