/* digest.c — SHA-256 through nettle (digest.h). */
#include "digest.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

/* The digest of ctx as hex into hex. */
static void finish_hex(struct sha256_ctx *ctx, char hex[DIGEST_HEX_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_digest(ctx, sizeof d, d);
    for (size_t i = 0; i < sizeof d; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * SHA256_DIGEST_SIZE] = '\0';
}

void digest_sha256_hex(const void *data, size_t len, char hex[DIGEST_HEX_SIZE])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    finish_hex(&ctx, hex);
}

int digest_sha256_file(const char *path, char hex[DIGEST_HEX_SIZE], ps_err *err)
{
    hex[0] = '\0';
    if (err->code != PS_OK)
        return -1;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ps_err_set(err, PS_IO, "%s: %s", path, strerror(errno)), -1;
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    unsigned char block[65536];
    size_t n;
    while ((n = fread(block, 1, sizeof block, fp)) > 0)
        sha256_update(&ctx, n, block);
    int bad = ferror(fp);
    int saved = errno;
    fclose(fp);
    if (bad)
        return ps_err_set(err, PS_IO, "%s: %s", path, strerror(saved)), -1;
    finish_hex(&ctx, hex);
    return 0;
}
