/* test_termbag.c — a paragraph's terms counted (termbag.c): each distinct
 * term once, in first-seen order, with its count; clearing forgets the
 * terms (also when the generation counter wraps) and keeps the memory;
 * the table grows past its first size without losing a count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "termbag.h"

/* Fail unless term i of b is want with count wdf. */
static void expect_term(const termbag *b, size_t i, const char *want, unsigned wdf)
{
    assert_true(i < termbag_count(b));
    const xs_term *t = &termbag_terms(b)[i];
    assert_int_equal(t->len, strlen(want));
    assert_memory_equal(b->bytes.data + t->off, want, t->len);
    assert_int_equal(t->wdf, wdf);
}

/* Add the NUL-terminated term s to b. */
static void add(termbag *b, const char *s)
{
    assert_int_equal(termbag_add(b, s, strlen(s)), 0);
}

/* Repeated terms are counted once each, in the order first seen; a term
 * is its bytes (a prefix of another is another term). */
static void test_counts_in_first_seen_order(void **state)
{
    (void)state;
    termbag b = TERMBAG_INIT;
    const char *in[] = { "科技", "企业", "科技", "科", "企业", "科技" };
    for (size_t i = 0; i < sizeof in / sizeof *in; i++)
        add(&b, in[i]);
    assert_int_equal(termbag_count(&b), 3);
    expect_term(&b, 0, "科技", 3);
    expect_term(&b, 1, "企业", 2);
    expect_term(&b, 2, "科", 1);
    termbag_free(&b);
    assert_null(b.slot_gen);
    assert_int_equal(termbag_count(&b), 0);
}

/* Clearing forgets every term but keeps the table; after the generation
 * counter wraps, no slot of an old paragraph looks current. */
static void test_clear_and_wrap(void **state)
{
    (void)state;
    termbag b = TERMBAG_INIT;
    add(&b, "旧");
    uint32_t *slots = b.slot_gen;
    termbag_clear(&b);
    assert_int_equal(termbag_count(&b), 0);
    assert_ptr_equal(b.slot_gen, slots);            /* the memory is kept */
    add(&b, "新");
    add(&b, "旧");
    expect_term(&b, 0, "新", 1);
    expect_term(&b, 1, "旧", 1);
    /* One clear before the wrap: the slots stamped now would match gen
     * again after 2^32 clears unless the wrap resets them. */
    b.gen = UINT32_MAX;
    add(&b, "旧");                                  /* stamped with UINT32_MAX */
    termbag_clear(&b);                              /* gen wraps to 0: reset to 1 */
    assert_int_equal(b.gen, 1);
    add(&b, "旧");
    assert_int_equal(termbag_count(&b), 1);
    expect_term(&b, 0, "旧", 1);
    termbag_free(&b);
}

/* Thousands of distinct terms (the table doubles from 256 slots): every
 * one keeps its count and its bytes. */
static void test_growth(void **state)
{
    (void)state;
    termbag b = TERMBAG_INIT;
    char t[16];
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 5000; i++) {
            snprintf(t, sizeof t, "t%d", i);
            add(&b, t);
        }
    assert_int_equal(termbag_count(&b), 5000);
    assert_true(b.nslots >= 2 * 5000);
    for (int i = 0; i < 5000; i += 499) {
        snprintf(t, sizeof t, "t%d", i);
        expect_term(&b, (size_t)i, t, 3);
    }
    termbag_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_in_first_seen_order),
        cmocka_unit_test(test_clear_and_wrap),
        cmocka_unit_test(test_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
