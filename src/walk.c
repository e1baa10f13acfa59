/* walk.c — directory walking; see walk.h. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

/* The directories on the current descent, to detect symlink loops. */
typedef struct ancestor {
    dev_t            dev;            /* device of the directory */
    ino_t            ino;            /* inode of the directory */
    const struct ancestor *up;       /* the directory above, NULL at the root */
} ancestor;

typedef struct walker {
    const walk_opts *opts;           /* the caller's options */
    walk_file_fn     on_file;        /* per file */
    walk_err_fn      on_err;         /* per problem */
    void            *ctx;            /* passed to both */
} walker;

void walk_clean_path(const char *path, char *out, size_t outlen)
{
    size_t o = 0;
    const char *p = path;
    while (p[0] == '.' && p[1] == '/') {
        p += 2;
        while (*p == '/')
            p++;
    }
    if (!*p)
        p = path[0] == '/' ? "/" : ".";
    for (; *p && o + 1 < outlen; p++) {
        if (*p == '/' && o > 0 && out[o - 1] == '/')
            continue;
        out[o++] = *p;
    }
    while (o > 1 && out[o - 1] == '/')
        o--;
    out[o] = '\0';
}

/* Append component name[0..len) to the absolute path out (length *o, of
 * outlen bytes): "." is nothing, ".." drops the last component.  Returns
 * 0, or -1 when it does not fit. */
static int push_component(char *out, size_t *o, size_t outlen, const char *name, size_t len)
{
    if (len == 0 || (len == 1 && name[0] == '.'))
        return 0;
    if (len == 2 && name[0] == '.' && name[1] == '.') {
        while (*o > 1 && out[*o - 1] != '/')
            (*o)--;
        if (*o > 1)
            (*o)--;                 /* the slash before it, unless it is the root's */
        out[*o] = '\0';
        return 0;
    }
    size_t slash = *o > 1;          /* "/" itself ends in its slash */
    if (*o + slash + len + 1 > outlen)
        return -1;
    if (slash)
        out[(*o)++] = '/';
    memcpy(out + *o, name, len);
    *o += len;
    out[*o] = '\0';
    return 0;
}

int walk_canonical_path(const char *path, char *out, size_t outlen)
{
    walk_clean_path(path, out, outlen);
    char *real = realpath(out, NULL);
    if (real) {
        int fits = strlen(real) < outlen;
        if (fits)
            memcpy(out, real, strlen(real) + 1);
        free(real);
        return fits ? 0 : -1;
    }
    /* Gone: resolve the deepest folder that exists, then append the rest. */
    char abs[8192], head[8192];
    if (out[0] == '/')
        snprintf(abs, sizeof abs, "%s", out);
    else {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd) ||
            snprintf(abs, sizeof abs, "%s/%s", cwd, out) >= (int)sizeof abs)
            return -1;
    }
    size_t cut = strlen(abs);
    while (cut > 0) {
        while (cut > 0 && abs[cut - 1] != '/')
            cut--;                  /* abs[0..cut) ends with the slash before a name */
        size_t hl = cut > 1 ? cut - 1 : cut;
        memcpy(head, abs, hl);
        head[hl] = '\0';
        if ((real = realpath(head, NULL)) != NULL)
            break;
        cut = hl > 1 ? hl : 0;
    }
    char res[8192];
    size_t o = 0;
    if (real) {
        o = strlen(real);
        int fits = o < sizeof res;
        if (fits)
            memcpy(res, real, o + 1);
        free(real);
        if (!fits)
            return -1;
    } else {
        res[o++] = '/';             /* not even the root resolves: take the names as they are */
        res[o] = '\0';
    }
    for (const char *p = abs + cut; *p; ) {
        size_t len = strcspn(p, "/");
        if (push_component(res, &o, sizeof res, p, len) != 0)
            return -1;
        p += len;
        p += *p == '/';
    }
    if (o + 1 > outlen)
        return -1;
    memcpy(out, res, o + 1);
    return 0;
}

int walk_canonical_glob(const char *glob, char *out, size_t outlen)
{
    size_t wild = strcspn(glob, "*?[\\");
    size_t cut = wild;              /* glob[0..cut): the folders before the wildcard's name */
    while (cut > 0 && glob[cut - 1] != '/')
        cut--;
    if (!glob[wild])
        cut = strlen(glob);         /* no wildcard: a path */
    char head[4096];
    if (cut >= sizeof head) {
        out[0] = '\0';
        return -1;
    }
    memcpy(head, glob, cut);
    head[cut] = '\0';
    if (cut == 0)
        memcpy(head, ".", 2);
    if (walk_canonical_path(head, out, outlen) != 0) {
        out[0] = '\0';
        return -1;
    }
    const char *rest = glob + cut;
    size_t o = strlen(out);
    int slash = *rest && out[o - 1] != '/';
    if (o + (size_t)slash + strlen(rest) + 1 > outlen) {
        out[0] = '\0';
        return -1;
    }
    snprintf(out + o, outlen - o, "%s%s", slash ? "/" : "", rest);
    return 0;
}

/* 1 if name or path matches any of globs[0..n). */
static int any_glob(const char *const *globs, size_t n, const char *name, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (fnmatch(globs[i], name, 0) == 0 || fnmatch(globs[i], path, FNM_PATHNAME) == 0)
            return 1;
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_one(walker *w, const char *path, const char *name, int named,
                    const ancestor *up);

/* Visit the entries of directory `path` (already stat'ed as *st), sorted. */
static int walk_dir(walker *w, const char *path, const struct stat *st, const ancestor *up)
{
    for (const ancestor *a = up; a; a = a->up)
        if (a->dev == st->st_dev && a->ino == st->st_ino) {
            w->on_err(w->ctx, path, "symbolic link loop (directory already being walked)");
            return 0;
        }
    ancestor self = { st->st_dev, st->st_ino, up };
    DIR *d = opendir(path);
    if (!d) {
        w->on_err(w->ctx, path, strerror(errno));
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (ARRAY_GROW(names, cap, n + 1) != 0) { rc = -1; break; }
        if (!(names[n] = strdup(e->d_name))) { rc = -1; break; }
        n++;
    }
    closedir(d);
    if (rc == 0)
        qsort(names, n, sizeof *names, cmp_names);
    buf child = BUF_INIT;
    for (size_t i = 0; i < n && rc == 0; i++) {
        buf_clear(&child);
        int slash = path[strlen(path) - 1] == '/';
        if (buf_printf(&child, "%s%s%s", path, slash ? "" : "/", names[i]) != 0) {
            rc = -1;
            break;
        }
        rc = walk_one(w, child.data, names[i], 0, &self);
    }
    buf_free(&child);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Visit one path: a file is reported, a directory walked. */
static int walk_one(walker *w, const char *path, const char *name, int named,
                    const ancestor *up)
{
    const walk_opts *o = w->opts;
    struct stat st;
    if (!named) {
        if (name[0] == '.' && (!o->hidden || !strcmp(name, ".git")))
            return 0;
        if (o->nexclude && any_glob(o->exclude, o->nexclude, name, path))
            return 0;
        if (lstat(path, &st) != 0) {
            w->on_err(w->ctx, path, strerror(errno));
            return 0;
        }
        if (S_ISLNK(st.st_mode)) {
            if (!o->follow)
                return 0;
            if (stat(path, &st) != 0) {
                w->on_err(w->ctx, path, errno == ELOOP ? "symbolic link loop" : strerror(errno));
                return 0;
            }
        }
    } else if (stat(path, &st) != 0) {
        w->on_err(w->ctx, path, errno == ELOOP ? "symbolic link loop" : strerror(errno));
        return 0;
    }
    if (S_ISDIR(st.st_mode))
        return walk_dir(w, path, &st, up);
    if (!S_ISREG(st.st_mode)) {
        if (named)
            w->on_err(w->ctx, path, "not a regular file or directory");
        return 0;
    }
    if (!named && o->ninclude && !any_glob(o->include, o->ninclude, name, path))
        return 0;
    return w->on_file(w->ctx, path, &st);
}

int walk_paths(const char *const *roots, size_t n, const walk_opts *opts,
               walk_file_fn on_file, walk_err_fn on_err, void *ctx)
{
    walker w = { opts, on_file, on_err, ctx };
    char clean[4096];
    for (size_t i = 0; i < n; i++) {
        walk_clean_path(roots[i], clean, sizeof clean);
        int rc = walk_one(&w, clean, clean, 1, NULL);
        if (rc)
            return rc;
    }
    return 0;
}
