/* digest.c — SHA-256 through nettle (digest.h).
 *
 * nettle is opened with dlopen (NETTLE_SONAME, found by configure) on the
 * first digest, not linked: only indexing and `stats --manifest` hash, and
 * a linked nettle cost every search a library to map and relocate (about
 * 0.45 M instructions of the 2.9 M a start takes, bench/README.md). */
#include "digest.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

#include "config.h"

/* The three functions of nettle a digest calls. */
typedef struct sha256_api {
    void (*init)(struct sha256_ctx *);                           /* nettle_sha256_init */
    void (*update)(struct sha256_ctx *, size_t, const uint8_t *); /* nettle_sha256_update */
    void (*digest)(struct sha256_ctx *, size_t, uint8_t *);      /* nettle_sha256_digest */
} sha256_api;

/* Open nettle into *api.  Returns 0, or -1 with why[] holding the reason. */
static int load_api(sha256_api *api, char *why, size_t whylen)
{
    void *h = dlopen(NETTLE_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(why, whylen, "%s", dlerror());
        return -1;
    }
    if (!(*(void **)&api->init = dlsym(h, "nettle_sha256_init")) ||
        !(*(void **)&api->update = dlsym(h, "nettle_sha256_update")) ||
        !(*(void **)&api->digest = dlsym(h, "nettle_sha256_digest"))) {
        snprintf(why, whylen, "%s", dlerror());
        dlclose(h);
        return -1;
    }
    return 0;
}

/* nettle's functions, loaded once per process and never unloaded (as the
 * readers' module is, reader_dl.c): written once, then only read; each
 * indexing worker loads its own after the fork.  Returns the table, or
 * NULL with PS_IO in *err (err may be NULL; nothing is loaded when *err
 * already holds an error). */
static const sha256_api *api_get(ps_err *err)
{
    static sha256_api api;
    static int loaded;
    static char why[512];
    if (err && err->code != PS_OK)
        return NULL;
    if (!loaded && !why[0] && load_api(&api, why, sizeof why) == 0)
        loaded = 1;
    if (!loaded)
        ps_err_set(err, PS_IO, "the SHA-256 library cannot be loaded: %s", why[0] ? why : NETTLE_SONAME);
    return loaded ? &api : NULL;
}

/* The digest of ctx as hex into hex. */
static void finish_hex(const sha256_api *api, struct sha256_ctx *ctx, char hex[DIGEST_HEX_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t d[SHA256_DIGEST_SIZE];
    api->digest(ctx, sizeof d, d);
    for (size_t i = 0; i < sizeof d; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * SHA256_DIGEST_SIZE] = '\0';
}

int digest_sha256_hex(const void *data, size_t len, char hex[DIGEST_HEX_SIZE], ps_err *err)
{
    hex[0] = '\0';
    const sha256_api *api = api_get(err);
    if (!api)
        return -1;
    struct sha256_ctx ctx;
    api->init(&ctx);
    api->update(&ctx, len, data);
    finish_hex(api, &ctx, hex);
    return 0;
}

int digest_sha256_file(const char *path, char hex[DIGEST_HEX_SIZE], ps_err *err)
{
    hex[0] = '\0';
    const sha256_api *api = api_get(err);
    if (!api)
        return -1;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ps_err_set(err, PS_IO, "%s: %s", path, strerror(errno)), -1;
    struct sha256_ctx ctx;
    api->init(&ctx);
    unsigned char block[65536];
    size_t n;
    while ((n = fread(block, 1, sizeof block, fp)) > 0)
        api->update(&ctx, n, block);
    int bad = ferror(fp);
    int saved = errno;
    fclose(fp);
    if (bad)
        return ps_err_set(err, PS_IO, "%s: %s", path, strerror(saved)), -1;
    finish_hex(api, &ctx, hex);
    return 0;
}
