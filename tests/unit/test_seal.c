/* test_seal.c — circular seals among a page's glyphs (seal.h): an arc of
 * glyphs is found (with a little noise on each centre, as poppler's boxes
 * of turned glyphs give), whole and alone, beside lines of text it
 * overlaps; text in lines, a table grid, a short arc and a huge one are
 * not taken for a seal; past SEAL_MAX_GLYPHS nothing is searched. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "seal.h"

#define MAXG 4096

/* Glyphs of size s on the arc of centre (cx, cy), radius r, from angle a0
 * to a1 (degrees), k of them, each centre moved by up to jit sizes. */
static size_t arc(seal_glyph *g, size_t n, double cx, double cy, double r, double a0, double a1,
                  size_t k, double s, double jit)
{
    for (size_t i = 0; i < k; i++) {
        double a = (a0 + (a1 - a0) * (double)i / (double)(k - 1)) * M_PI / 180;
        double dx = jit * s * sin(7.0 * (double)i), dy = jit * s * cos(5.0 * (double)i);
        g[n++] = (seal_glyph){ cx + r * cos(a) + dx, cy - r * sin(a) + dy, s };
    }
    return n;
}

/* A line of k glyphs of size s from (x, y), one size apart. */
static size_t line(seal_glyph *g, size_t n, double x, double y, size_t k, double s)
{
    for (size_t i = 0; i < k; i++)
        g[n++] = (seal_glyph){ x + s * (double)i, y, s };
    return n;
}

static long mark(const seal_glyph *g, size_t n, unsigned char *on)
{
    ps_err err = PS_ERR_INIT;
    memset(on, 0, n);
    long m = seal_mark(g, n, on, &err);
    assert_int_equal(err.code, PS_OK);
    return m;
}

/* A seal's upper arc (11 glyphs over 220 degrees, radius 4.3 sizes, the
 * fixture's geometry) over a signature and a date: the arc, and only it. */
static void test_seal_over_signature(void **state)
{
    (void)state;
    static seal_glyph g[MAXG];
    static unsigned char on[MAXG];
    size_t n = arc(g, 0, 431, 249, 48, 200, -20, 11, 11, 0.08);
    size_t seal_end = n;
    n = line(g, n, 398, 240, 8, 11);   /* 银川市科学技术局 */
    n = line(g, n, 393, 255, 7, 11);   /* 2023年3月9日 */
    n = line(g, n, 300, 150, 40, 11);  /* a body line above */
    assert_int_equal(mark(g, n, on), (long)seal_end);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(on[i], i < seal_end);
}

/* Text in lines, one above the other: no seal. */
static void test_lines(void **state)
{
    (void)state;
    static seal_glyph g[MAXG];
    static unsigned char on[MAXG];
    size_t n = 0;
    for (int l = 0; l < 30; l++)
        n = line(g, n, 70, 70 + 18.0 * l, 38, 12);
    assert_int_equal(mark(g, n, on), 0);
}

/* Single characters in a table's cells (a 6 by 6 grid, two sizes apart
 * and three): no seal. */
static void test_grid(void **state)
{
    (void)state;
    static seal_glyph g[MAXG];
    static unsigned char on[MAXG];
    size_t n = 0;
    for (int r = 0; r < 6; r++)
        for (int c = 0; c < 6; c++)
            g[n++] = (seal_glyph){ 100 + 30.0 * c, 100 + 24.0 * r, 12 };
    assert_int_equal(mark(g, n, on), 0);
}

/* Too few glyphs, too short an arc, a radius too large for a seal: no seal. */
static void test_not_a_seal(void **state)
{
    (void)state;
    static seal_glyph g[MAXG];
    static unsigned char on[MAXG];
    size_t n = arc(g, 0, 200, 200, 48, 150, 30, 4, 11, 0);
    assert_int_equal(mark(g, n, on), 0);                 /* four glyphs */
    n = arc(g, 0, 200, 200, 48, 110, 30, 6, 11, 0);
    assert_int_equal(mark(g, n, on), 0);                 /* 80 degrees */
    n = arc(g, 0, 200, 2000, 1800, 100, 80, 12, 11, 0);
    assert_int_equal(mark(g, n, on), 0);                 /* a radius of 160 sizes */
}

/* A whole ring (a seal's name all round) and two seals on one page. */
static void test_ring_and_two(void **state)
{
    (void)state;
    static seal_glyph g[MAXG];
    static unsigned char on[MAXG];
    size_t n = arc(g, 0, 200, 200, 50, 0, 330, 12, 10, 0.05);
    n = arc(g, n, 450, 600, 40, 210, -30, 9, 9, 0.05);
    assert_int_equal(mark(g, n, on), (long)n);
}

/* Past SEAL_MAX_GLYPHS candidates nothing is searched (bounded work). */
static void test_bound(void **state)
{
    (void)state;
    static seal_glyph g[MAXG];
    static unsigned char on[MAXG];
    size_t n = arc(g, 0, 200, 200, 48, 200, -20, 11, 11, 0);
    while (n <= SEAL_MAX_GLYPHS)
        n = line(g, n, 0, 900 + 12.0 * (double)n, 1, 11);
    assert_int_equal(mark(g, n, on), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seal_over_signature),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_not_a_seal),
        cmocka_unit_test(test_ring_and_two),
        cmocka_unit_test(test_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
