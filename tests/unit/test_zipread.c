/* test_zipread.c — zip members read bounded (zipread.c), on archives
 * built in memory (tests/zipwrite.h): a member is read whole, appended and
 * NUL-terminated; names are looked up exactly; what is not a zip, a
 * missing member, one over the limit, one that inflates past its declared
 * size and damaged bytes each give their documented PS_INPUT message; a
 * reference resolves inside the archive or is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "zipread.h"
#include "../zipwrite.h"

/* The archive of the n members into z (deflated when deflated is set). */
static void zip_of(buf *z, const zw_member *m, size_t n, int deflated)
{
    assert_int_equal(zw_build(z, m, n, deflated), 0);
}

/* Open z, fail the test when it does not open. */
static zipread *open_ok(const buf *z)
{
    ps_err err = PS_ERR_INIT;
    zipread *r = zipread_open((const unsigned char *)z->data, z->len, &err);
    if (!r)
        fail_msg("zipread_open: %s", err.msg);
    return r;
}

/* Reading member name of r with limit max must fail with a PS_INPUT
 * message that contains want. */
static void expect_get_fails(zipread *r, const char *name, uint64_t max, const char *want)
{
    buf out = BUF_INIT;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(zipread_get(r, name, max, &out, &err), -1);
    assert_int_equal(err.code, PS_INPUT);
    if (!strstr(err.msg, want))
        fail_msg("message [%s], want [%s]", err.msg, want);
    buf_free(&out);
}

/* Members read whole, stored or deflated, appended to what out holds and
 * NUL-terminated; a name is looked up exactly (no case folding, no "./"). */
static void test_read_members(void **state)
{
    (void)state;
    zw_member m[] = { { "word/document.xml", "<w:document/>", 13, 0 },
                      { "Doc_0/内容.xml", "正文", strlen("正文"), 0 } };
    for (int deflated = 0; deflated < 2; deflated++) {
        buf z = BUF_INIT, out = BUF_INIT;
        ps_err err = PS_ERR_INIT;
        zip_of(&z, m, 2, deflated);
        zipread *r = open_ok(&z);
        assert_int_equal(zipread_has(r, "word/document.xml"), 1);
        assert_int_equal(zipread_has(r, "Word/document.xml"), 0);
        assert_int_equal(zipread_has(r, "./word/document.xml"), 0);
        assert_int_equal(buf_puts(&out, ">"), 0);
        assert_int_equal(zipread_get(r, "word/document.xml", 0, &out, &err), 0);
        assert_string_equal(out.data, "><w:document/>");
        buf_clear(&out);
        assert_int_equal(zipread_get(r, "Doc_0/内容.xml", 1 << 20, &out, &err), 0);
        assert_string_equal(out.data, "正文");
        zipread_close(r);
        buf_free(&z);
        buf_free(&out);
    }
}

/* What zipread refuses: not a zip; a missing member; one whose declared
 * size is over the limit; one whose bytes inflate past the size its
 * headers declare; a damaged member. */
static void test_refusals(void **state)
{
    (void)state;
    ps_err err = PS_ERR_INIT;
    static const unsigned char text[] = "just some text, not an archive";
    assert_null(zipread_open(text, sizeof text, &err));
    assert_int_equal(err.code, PS_INPUT);
    assert_string_equal(err.msg, "not a zip archive");

    /* 3 MB of spaces (made chunk by chunk): over a 2 MB limit. */
    zw_member big[] = { { "big.xml", NULL, 3u << 20, 0 } };
    buf z = BUF_INIT;
    zip_of(&z, big, 1, 1);
    zipread *r = open_ok(&z);
    expect_get_fails(r, "nothere.xml", 0, "nothere.xml: no such part");
    expect_get_fails(r, "big.xml", 2u << 20, "big.xml: larger than the limit of 2 MB");
    zipread_close(r);
    buf_free(&z);

    /* The same bytes declared as 1000: read stops soon past 1000. */
    zw_member liar[] = { { "liar.xml", NULL, 3u << 20, 1000 } };
    zip_of(&z, liar, 1, 1);
    r = open_ok(&z);
    expect_get_fails(r, "liar.xml", 0, "damaged");
    zipread_close(r);
    buf_free(&z);

    /* A deflated member whose compressed bytes are overwritten (letters
     * of a pseudo-random sequence: they deflate to some 2.5 KB, so the
     * damage lies inside them, before the central directory). */
    char payload[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof payload; i++) {
        x = x * 1103515245u + 12345u;
        payload[i] = (char)('a' + (x >> 16) % 26);
    }
    zw_member one[] = { { "p.xml", payload, sizeof payload, 0 } };
    zip_of(&z, one, 1, 1);
    assert_true(z.len > 2048);
    memset(z.data + 30 + strlen("p.xml") + 100, 0xff, 64);   /* past the local header */
    r = open_ok(&z);
    expect_get_fails(r, "p.xml", 0, "p.xml: damaged");
    zipread_close(r);
    buf_free(&z);
}

/* References resolve against the base's folder, or from the root with a
 * leading '/'; "." and ".." are resolved and backslashes count as '/';
 * climbing out of the archive, or a result that does not fit, is refused. */
static void test_resolve(void **state)
{
    (void)state;
    char out[64];
    struct { const char *base, *ref, *want; } ok[] = {
        { "Doc_0/Document.xml", "Pages/Page_0/Content.xml", "Doc_0/Pages/Page_0/Content.xml" },
        { "Doc_0/Document.xml", "/Doc_0/Res.xml", "Doc_0/Res.xml" },
        { "Doc_0/Pages/P.xml", "../Res/./a.png", "Doc_0/Res/a.png" },
        { "Doc_0\\Document.xml", "Tpls\\T.xml", "Doc_0/Tpls/T.xml" },
        { "OFD.xml", "Doc_0//Document.xml", "Doc_0/Document.xml" },
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        assert_int_equal(zipread_resolve(ok[i].base, ok[i].ref, out, sizeof out), 0);
        assert_string_equal(out, ok[i].want);
    }
    assert_int_equal(zipread_resolve("Doc_0/Document.xml", "../../etc/passwd", out, sizeof out), -1);
    assert_int_equal(zipread_resolve("a.xml", "/..", out, sizeof out), -1);
    assert_int_equal(zipread_resolve("a.xml", ".", out, sizeof out), -1);    /* names nothing */
    assert_int_equal(zipread_resolve("a.xml", "abcdefghij", out, 8), -1);    /* does not fit */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_members),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_resolve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
