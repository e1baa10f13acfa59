/* reader_dl.c — the program's way to the readers (reader.h): the shared
 * module polsearch-readers.so, loaded on the first document that needs it,
 * so that searching never pays for the readers' libraries. */
#include "reader.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READER_MODULE "polsearch-readers.so"

/* Open the module: $POLSEARCH_READERS if set, else beside the running
 * program (a build tree), else the installed one in POLSEARCH_PKGLIBDIR.
 * Returns its table, or NULL with why[] holding dlerror's reason. */
static const reader_table *load_module(char *why, size_t whylen)
{
    char path[PATH_MAX + sizeof READER_MODULE];
    const char *env = getenv("POLSEARCH_READERS");
    void *h = NULL;
    if (env && *env) {
        h = dlopen(env, RTLD_NOW | RTLD_LOCAL);
    } else {
        ssize_t n = readlink("/proc/self/exe", path, PATH_MAX);
        char *slash = n > 0 ? (path[n] = '\0', strrchr(path, '/')) : NULL;
        if (slash) {
            strcpy(slash + 1, READER_MODULE);
            if (access(path, R_OK) == 0)
                h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        }
        if (!h)
            h = dlopen(POLSEARCH_PKGLIBDIR "/" READER_MODULE, RTLD_NOW | RTLD_LOCAL);
    }
    if (!h) {
        snprintf(why, whylen, "%s", dlerror());
        return NULL;
    }
    const reader_table *(*get)(void);
    *(void **)&get = dlsym(h, "polsearch_reader_table");
    if (!get) {
        snprintf(why, whylen, "%s", dlerror());
        dlclose(h);
        return NULL;
    }
    return get();
}

/* The module is loaded once per process and never unloaded: the table is
 * written once, then only read (each indexing worker loads its own after
 * the fork only if it meets a document). */
const reader_table *reader_table_get(ps_err *err)
{
    static const reader_table *table;
    static char why[512];
    if (!table && !why[0])
        table = load_module(why, sizeof why);
    if (!table)
        ps_err_set(err, PS_INPUT, "the document readers cannot be loaded: %s", why);
    return table;
}
