/* test_copies.c — the copies of a result (copies.c): rank order is by
 * weight, best first, and equal weights (within rounding) go by file,
 * then paragraph, whatever order they were added in; a list is cleared
 * and reused; the set of decided copy keys tells a new key from one seen,
 * the key 0 included, across its growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "copies.h"

/* copies_cmp: weight first, then file, then paragraph; weights within
 * rounding (1e-9 relative) count as equal. */
static void test_cmp(void **state)
{
    (void)state;
    copy_where a = { "a.txt", 2 }, b = { "b.txt", 1 }, a1 = { "a.txt", 1 };
    assert_true(copies_cmp(2.0, &b, 1.0, &a) < 0);          /* heavier first */
    assert_true(copies_cmp(1.0, &a, 2.0, &b) > 0);
    assert_true(copies_cmp(1.0, &b, 1.0 + 1e-12, &a) > 0);  /* equal weight: by file */
    assert_true(copies_cmp(1.0, &a, 1.0, &a1) > 0);         /* then by paragraph */
    assert_int_equal(copies_cmp(1.0, &a, 1.0, &a), 0);
}

/* Copies added in any order come out ranked, and a cleared list starts
 * again from nothing. */
static void test_ranked(void **state)
{
    (void)state;
    copy_list l = COPY_LIST_INIT;
    assert_int_equal(copies_add(&l, 1.0, "c.txt", 3), 0);
    assert_int_equal(copies_add(&l, 5.0, "z.txt", 9), 0);
    assert_int_equal(copies_add(&l, 1.0, "a.txt", 7), 0);
    assert_int_equal(copies_add(&l, 1.0, "a.txt", 2), 0);
    const copy_where *d = copies_ranked(&l);
    const char *files[] = { "z.txt", "a.txt", "a.txt", "c.txt" };
    unsigned paras[] = { 9, 2, 7, 3 };
    assert_int_equal(l.n, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(d[i].file, files[i]);
        assert_int_equal(d[i].paragraph, paras[i]);
    }
    copies_clear(&l);
    assert_int_equal(l.n, 0);
    for (unsigned i = 0; i < 40; i++)                       /* past the first allocation */
        assert_int_equal(copies_add(&l, (double)i, "f.txt", i + 1), 0);
    d = copies_ranked(&l);
    assert_int_equal(d[0].paragraph, 40);
    assert_int_equal(d[39].paragraph, 1);
    copies_free(&l);
    assert_null(l.v);
    assert_int_equal(l.cap, 0);
}

/* The seen set: 1 for a new key, 0 for one seen; the key 0 too; every key
 * is still known after the table grew. */
static void test_seen(void **state)
{
    (void)state;
    copy_seen s = COPY_SEEN_INIT;
    assert_int_equal(copies_seen_add(&s, 0), 1);
    assert_int_equal(copies_seen_add(&s, 0), 0);
    for (uint64_t k = 1; k <= 1000; k++)
        assert_int_equal(copies_seen_add(&s, k * 0x9E3779B97F4A7C15ull), 1);
    for (uint64_t k = 1; k <= 1000; k++)
        assert_int_equal(copies_seen_add(&s, k * 0x9E3779B97F4A7C15ull), 0);
    assert_int_equal(s.n, 1000);
    assert_true(s.cap >= 2000);
    copies_seen_free(&s);
    assert_int_equal(copies_seen_add(&s, 0), 1);            /* freed: nothing seen */
    copies_seen_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmp),
        cmocka_unit_test(test_ranked),
        cmocka_unit_test(test_seen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
