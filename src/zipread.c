/* zipread.c — members of an in-memory zip archive, bounded (zipread.h). */
#include "zipread.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct zipread {
    zip_t *za;                       /* the open archive (libzip) */
};

/* Open from a buffer source: libzip never writes to it, and never frees it
 * (freep 0), so the caller keeps the bytes. */
zipread *zipread_open(const unsigned char *data, size_t len, ps_err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        ps_err_nomem(err);
        return NULL;
    }
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!za) {
        int code = zip_error_code_zip(&ze);
        if (code == ZIP_ER_MEMORY)
            ps_err_nomem(err);
        else if (code == ZIP_ER_NOZIP)
            ps_err_set(err, PS_INPUT, "not a zip archive");
        else
            ps_err_set(err, PS_INPUT, "damaged zip archive: %s", zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        return NULL;
    }
    zip_error_fini(&ze);
    zipread *z = malloc(sizeof *z);
    if (!z) {
        zip_discard(za);
        ps_err_nomem(err);
        return NULL;
    }
    z->za = za;
    return z;
}

int zipread_has(zipread *z, const char *name)
{
    return zip_name_locate(z->za, name, 0) >= 0;
}

/* Read in chunks and stop at the limit: a member's declared size can lie,
 * so it decides nothing alone; an inflated size past max is refused before
 * it is allocated, and so is one past the declared size (the first 64 KB
 * past it). */
int zipread_get(zipread *z, const char *name, uint64_t max, buf *out, ps_err *err)
{
    zip_int64_t idx = zip_name_locate(z->za, name, 0);
    if (idx < 0)
        return ps_err_set(err, PS_INPUT, "%s: no such part", name), -1;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)
        && max && st.size > max)
        return ps_err_set(err, PS_INPUT, "%s: larger than the limit of %llu MB (--max-file-size)",
                          name, (unsigned long long)(max >> 20)), -1;
    zip_file_t *f = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (!f)
        return ps_err_set(err, PS_INPUT, "%s: damaged (%s)", name, zip_strerror(z->za)), -1;
    uint64_t total = 0;
    for (;;) {
        if (buf_reserve(out, 65536) != 0) {
            zip_fclose(f);
            return ps_err_nomem(err), -1;
        }
        zip_int64_t n = zip_fread(f, out->data + out->len, 65536);
        if (n < 0) {
            ps_err_set(err, PS_INPUT, "%s: damaged (%s)", name, zip_file_strerror(f));
            zip_fclose(f);
            return -1;
        }
        if (n == 0)
            break;
        total += (uint64_t)n;
        if ((st.valid & ZIP_STAT_SIZE) && total > st.size) {
            /* A size that lies: stop here, not at max. */
            zip_fclose(f);
            return ps_err_set(err, PS_INPUT, "%s: damaged (inflates past its declared size)", name), -1;
        }
        if (max && total > max) {
            zip_fclose(f);
            return ps_err_set(err, PS_INPUT, "%s: larger than the limit of %llu MB (--max-file-size)",
                              name, (unsigned long long)(max >> 20)), -1;
        }
        out->len += (size_t)n;
        out->data[out->len] = '\0';
    }
    zip_fclose(f);
    return 0;
}

void zipread_close(zipread *z)
{
    if (!z)
        return;
    zip_discard(z->za);
    free(z);
}

/* Resolve segment by segment into out; ".." past the root is refused, so
 * no reference can name a file outside the archive. */
int zipread_resolve(const char *base, const char *ref, char *out, size_t outlen)
{
    char tmp[1024];
    size_t n = 0;
    if (ref[0] != '/' && ref[0] != '\\') {
        const char *slash = NULL;
        for (const char *p = base; *p; p++)
            if (*p == '/' || *p == '\\')
                slash = p;
        if (slash) {
            size_t bl = (size_t)(slash - base) + 1;
            if (bl >= sizeof tmp)
                return -1;
            memcpy(tmp, base, bl);
            n = bl;
        }
    }
    size_t rl = strlen(ref);
    if (n + rl >= sizeof tmp)
        return -1;
    memcpy(tmp + n, ref, rl + 1);
    /* Walk the segments of tmp, keeping a stack of output lengths. */
    size_t o = 0, marks[256], nm = 0;
    const char *p = tmp;
    while (*p) {
        while (*p == '/' || *p == '\\')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != '/' && *e != '\\')
            e++;
        size_t sl = (size_t)(e - p);
        if (sl == 1 && p[0] == '.') {
            /* nothing */
        } else if (sl == 2 && p[0] == '.' && p[1] == '.') {
            if (nm == 0)
                return -1;
            o = marks[--nm];
        } else {
            if (nm == sizeof marks / sizeof marks[0])
                return -1;
            marks[nm++] = o;
            size_t need = (o ? 1 : 0) + sl;
            if (o + need + 1 > outlen)
                return -1;
            if (o)
                out[o++] = '/';
            memcpy(out + o, p, sl);
            o += sl;
        }
        p = e;
    }
    if (o == 0 || o >= outlen)
        return -1;
    out[o] = '\0';
    return 0;
}
