/* test_digest.c — SHA-256 (digest.h) against FIPS 180-2's vectors and a
 * file read in blocks (longer than one block) against the same bytes in
 * memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "digest.h"

/* The published vectors: "", "abc" and the 448-bit message. */
static void test_vectors(void **state)
{
    (void)state;
    char hex[DIGEST_HEX_SIZE];
    ps_err err = PS_ERR_INIT;
    assert_int_equal(digest_sha256_hex("", 0, hex, &err), 0);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(digest_sha256_hex("abc", 3, hex, &err), 0);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_int_equal(digest_sha256_hex(m, strlen(m), hex, &err), 0);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* A file of 200,001 bytes (four blocks and a bit) hashes as its bytes do;
 * a file that is not there is PS_IO naming it. */
static void test_file(void **state)
{
    (void)state;
    char path[] = "/tmp/test_digest.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = 200001;
    unsigned char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)(i * 7 + i / 251);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
    char want[DIGEST_HEX_SIZE], got[DIGEST_HEX_SIZE];
    ps_err err = PS_ERR_INIT;
    assert_int_equal(digest_sha256_hex(data, n, want, &err), 0);
    assert_int_equal(digest_sha256_file(path, got, &err), 0);
    assert_string_equal(got, want);
    unlink(path);
    assert_int_equal(digest_sha256_file(path, got, &err), -1);
    assert_int_equal(err.code, PS_IO);
    assert_non_null(strstr(err.msg, path));
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
