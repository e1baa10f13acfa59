/* test_shingle.c — character 3-shingles, their Jaccard similarity, the
 * LSH banding and MinHash bands (shingle.c), checked against counts made
 * by hand and a brute-force set computation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shingle.h"

/* Jaccard of two UTF-8 texts through shingle.c. */
static double jac(const char *x, const char *y)
{
    shingle_set a = SHINGLE_SET_INIT, b = SHINGLE_SET_INIT;
    norm_text nt = NORM_TEXT_INIT;
    assert_int_equal(shingle_text(&a, &nt, x, strlen(x)), 0);
    assert_int_equal(shingle_text(&b, &nt, y, strlen(y)), 0);
    double j = shingle_jaccard(&a, &b);
    shingle_free(&a);
    shingle_free(&b);
    norm_text_free(&nt);
    return j;
}

/* Number of distinct shingles of x. */
static size_t count(const char *x)
{
    shingle_set a = SHINGLE_SET_INIT;
    norm_text nt = NORM_TEXT_INIT;
    assert_int_equal(shingle_text(&a, &nt, x, strlen(x)), 0);
    size_t n = a.n;
    for (size_t i = 1; i < a.n; i++)
        assert_true(a.v[i - 1] < a.v[i]);   /* ascending, distinct */
    shingle_free(&a);
    norm_text_free(&nt);
    return n;
}

static void test_shingles(void **state)
{
    (void)state;
    assert_int_equal(count(""), 0);
    assert_int_equal(count("   "), 0);
    assert_int_equal(count("企"), 1);
    assert_int_equal(count("企业"), 1);
    assert_int_equal(count("科技企业"), 2);            /* 科技企 技企业 */
    assert_int_equal(count("科 技\n企　业"), 2);       /* white space left out */
    assert_int_equal(count("哈哈哈哈哈"), 1);          /* one distinct shingle */
    assert_int_equal(count("ＡＢＣabc"), 3);           /* abcabc: abc bca cab (width and case fold) */
}

static void test_jaccard(void **state)
{
    (void)state;
    assert_true(jac("", "") == 0.0);
    assert_true(jac("科技企业", "科技企业") == 1.0);
    assert_true(jac("科技企业", "科技 企业") == 1.0);
    assert_true(jac("價值", "价值") == 1.0);           /* traditional folds to simplified */
    assert_true(jac("科技企业", "金融机构") == 0.0);
    /* 科技企业培育 {科技企 技企业 企业培 业培育} vs 科技企业发展 {科技企 技企业 企业发 业发展}: 2 / 6 */
    assert_true(jac("科技企业培育", "科技企业发展") > 0.3333333 && jac("科技企业培育", "科技企业发展") < 0.3333334);
    assert_true(jac("科技企业培育", "科技企业发展") == jac("科技企业发展", "科技企业培育"));
    /* short texts: one shingle each */
    assert_true(jac("企业", "企业") == 1.0);
    assert_true(jac("企业", "企") == 0.0);
}

/* A brute-force Jaccard over random texts of a small alphabet: the sets
 * as arrays of 3-character strings compared pairwise. */
static void test_jaccard_brute(void **state)
{
    (void)state;
    static const char *const alpha[] = { "科", "技", "企", "业", "创", "新" };
    unsigned seed = 12345;
    for (int round = 0; round < 200; round++) {
        char x[64 * 3 + 1] = "", y[64 * 3 + 1] = "";
        int cx[64], cy[64];
        int nx = 3 + (int)(seed % 30), ny;
        for (int i = 0; i < nx; i++) {
            seed = seed * 1103515245u + 12345u;
            cx[i] = (int)(seed >> 16) % 6;
            strcat(x, alpha[cx[i]]);
        }
        seed = seed * 1103515245u + 12345u;
        ny = 3 + (int)(seed >> 16) % 30;
        for (int i = 0; i < ny; i++) {
            seed = seed * 1103515245u + 12345u;
            cy[i] = (int)(seed >> 16) % 6;
            strcat(y, alpha[cy[i]]);
        }
        /* shingle codes 0..215 */
        int inx[216] = { 0 }, iny[216] = { 0 };
        for (int i = 0; i + 2 < nx; i++)
            inx[cx[i] * 36 + cx[i + 1] * 6 + cx[i + 2]] = 1;
        for (int i = 0; i + 2 < ny; i++)
            iny[cy[i] * 36 + cy[i + 1] * 6 + cy[i + 2]] = 1;
        int both = 0, all = 0;
        for (int k = 0; k < 216; k++)
            both += inx[k] && iny[k], all += inx[k] || iny[k];
        double want = all ? (double)both / all : 0.0;
        double got = jac(x, y);
        assert_true(got > want - 1e-12 && got < want + 1e-12);
    }
}

static void test_lsh_params(void **state)
{
    (void)state;
    unsigned b, r;
    assert_int_equal(shingle_lsh_params(0.6, 1e-4, &b, &r), 0);
    assert_true(b >= 1 && b <= SHINGLE_MAX_BANDS && r >= 1 && r <= SHINGLE_MAX_ROWS);
    assert_true(shingle_lsh_miss(0.6, b, r) <= 1e-4);
    /* the most rows that do it: one more row needs more than the most bands */
    if (r < SHINGLE_MAX_ROWS)
        assert_true(shingle_lsh_miss(0.6, SHINGLE_MAX_BANDS, r + 1) > 1e-4);
    /* the least bands for those rows */
    if (b > 1)
        assert_true(shingle_lsh_miss(0.6, b - 1, r) > 1e-4);
    assert_int_equal(shingle_lsh_params(0.9, 1e-4, &b, &r), 0);
    assert_true(shingle_lsh_miss(0.9, b, r) <= 1e-4);
    assert_int_equal(shingle_lsh_params(0.0, 1e-4, &b, &r), -1);
    assert_int_equal(shingle_lsh_params(1.5, 1e-4, &b, &r), -1);
    assert_int_equal(shingle_lsh_params(0.01, 1e-9, &b, &r), -1);   /* no banding reaches it */
    assert_true(shingle_lsh_miss(1.0, 4, 3) == 0.0);
}

/* Bands of the same set agree; of near sets they agree on some band; of
 * unrelated texts hardly on any. */
static void test_bands(void **state)
{
    (void)state;
    const char *seed = "全力打造热带雨林式企业发展生态,实施科技企业双倍增行动计划和专精特新企业培育计划,完善梯次培育机制。";
    const char *near = "全力打造热带雨林式企业发展生态,实施科技企业双倍增行动计划和专精特新企业培育计划,健全梯次培育机制。";
    const char *other = "银川市科技局关于对市政协十四届一次会议第029号提案的答复,现将办理情况答复如下,感谢您对科技工作的关心。";
    shingle_set a = SHINGLE_SET_INIT, b = SHINGLE_SET_INIT, c = SHINGLE_SET_INIT, e = SHINGLE_SET_INIT;
    norm_text nt = NORM_TEXT_INIT;
    assert_int_equal(shingle_text(&a, &nt, seed, strlen(seed)), 0);
    assert_int_equal(shingle_text(&b, &nt, near, strlen(near)), 0);
    assert_int_equal(shingle_text(&c, &nt, other, strlen(other)), 0);
    unsigned bands, rows;
    assert_int_equal(shingle_lsh_params(0.6, 1e-4, &bands, &rows), 0);
    assert_true(shingle_jaccard(&a, &b) > 0.8);
    uint32_t ba[SHINGLE_MAX_BANDS], ba2[SHINGLE_MAX_BANDS], bb[SHINGLE_MAX_BANDS], bc[SHINGLE_MAX_BANDS];
    shingle_bands(&a, bands, rows, ba);
    shingle_bands(&a, bands, rows, ba2);
    shingle_bands(&b, bands, rows, bb);
    shingle_bands(&c, bands, rows, bc);
    int same_ab = 0, same_ac = 0;
    for (unsigned i = 0; i < bands; i++) {
        assert_int_equal(ba[i], ba2[i]);
        same_ab += ba[i] == bb[i];
        same_ac += ba[i] == bc[i];
    }
    assert_true(same_ab > 0);
    assert_int_equal(same_ac, 0);
    shingle_bands(&e, bands, rows, bc);             /* an empty set: bands of 0 */
    for (unsigned i = 0; i < bands; i++)
        assert_int_equal(bc[i], 0);
    shingle_free(&a);
    shingle_free(&b);
    shingle_free(&c);
    norm_text_free(&nt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shingles),
        cmocka_unit_test(test_jaccard),
        cmocka_unit_test(test_jaccard_brute),
        cmocka_unit_test(test_lsh_params),
        cmocka_unit_test(test_bands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
