/* cmd_compact.c — `polsearch compact`: merge the shards into one database
 * with Xapian's compaction, and their text blocks into one.  Readers keep
 * working on the old shards until the stub is switched; the writers' lock
 * keeps indexing runs out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"
#include "writer.h"
#include "xapian-shim.h"

/* What the installation of a merged index needs. */
typedef struct merge_ctx {
    const char *dir;                 /* the index */
    int         n;                   /* shards merged */
    const char *texts;               /* where the merged text chunks were written */
} merge_ctx;

/* Record in the merged shard 0 of dir the last document id of the merged
 * text chunks (store.h: the next run deletes chunks past it).  Returns 0,
 * or -1 (errno set). */
static int record_textlast(const char *dir)
{
    char shard[4200], text[4200], v[16];
    store_shard_path(dir, 0, shard, sizeof shard);
    store_text_path(dir, 0, text, sizeof text);
    ps_err err = PS_ERR_INIT;
    const char *tp = text;
    unsigned last = 0;
    xs_db *t = xs_db_open(&tp, 1, 0, &err);
    int rc = t && xs_db_lastdocid(t, &last, &err) == PS_OK ? 0 : -1;
    xs_db_close(t);
    xs_wdb *w = rc == 0 ? xs_wdb_open(shard, 0, &err) : NULL;
    int vlen = snprintf(v, sizeof v, "%u", last);
    if (!w || xs_wdb_set_metadata(w, "polsearch.textlast", v, (size_t)vlen, &err) != PS_OK) {
        if (w)
            xs_wdb_abandon(w);
        errno = EIO;
        return -1;
    }
    if (xs_wdb_close(w, &err) != PS_OK) {
        errno = EIO;
        return -1;
    }
    return 0;
}

/* writer_swap.installed: the merged text chunks replace the shards' and
 * the stub lists the one merged shard. */
static int install_merged(void *p)
{
    const merge_ctx *m = p;
    char path[4200], old[4300];
    for (int i = 0; i < m->n; i++) {
        store_text_path(m->dir, i, path, sizeof path);
        snprintf(old, sizeof old, "%s/old-text%d", m->dir, i);
        store_remove_tree(old);
        if (rename(path, old) != 0)
            return -1;
    }
    store_text_path(m->dir, 0, path, sizeof path);
    if (rename(m->texts, path) != 0 || record_textlast(m->dir) != 0)
        return -1;
    if (store_write_stub(m->dir, 1) != 0)
        return -1;
    for (int i = 0; i < m->n; i++) {
        snprintf(old, sizeof old, "%s/old-text%d", m->dir, i);
        store_remove_tree(old);
    }
    return 0;
}

/* Merge the shards of index dir into one compact database, and their text
 * chunks likewise (the caller holds the writers' lock).  Returns the
 * number of shards merged, or -1 after a message. */
static int compact_index(const char *dir)
{
    int n = store_shard_count(dir);
    int status = -1;
    char (*paths)[4200] = calloc((size_t)(n > 0 ? n : 1), sizeof *paths);
    char (*olds)[4300] = calloc((size_t)(n > 0 ? n : 1), sizeof *olds);
    const char **srcs = calloc((size_t)(n > 0 ? n : 1), 3 * sizeof *srcs);
    char (*tpaths)[4200] = calloc((size_t)(n > 0 ? n : 1), sizeof *tpaths);
    char tmp[4200], texts[4200];
    snprintf(tmp, sizeof tmp, "%s/compacting", dir);
    snprintf(texts, sizeof texts, "%s/compacting-text", dir);
    if (!paths || !olds || !srcs || !tpaths || n < 1) {
        ps_msg("%s: %s", dir, n < 1 ? "no shards to compact" : "out of memory");
        goto out;
    }
    for (int i = 0; i < n; i++) {
        store_shard_path(dir, i, paths[i], sizeof paths[i]);
        snprintf(olds[i], sizeof olds[i], "%s/old-shard%d", dir, i);
        srcs[i] = paths[i];
        srcs[n + i] = olds[i];
        store_text_path(dir, i, tpaths[i], sizeof tpaths[i]);
        srcs[2 * n + i] = tpaths[i];
    }
    ps_err err = PS_ERR_INIT;
    merge_ctx m = { dir, n, texts };
    writer_swap s = { dir, "database", srcs, srcs + n, (size_t)n, tmp, install_merged, &m };
    ps_err xerr = PS_ERR_INIT;
    store_remove_tree(texts);
    if (xs_compact(srcs + 2 * n, (size_t)n, texts, &xerr) != PS_OK) {
        store_remove_tree(texts);
        ps_msg("%s: compaction of the text chunks failed: %s", dir, xerr.msg);
    } else if (writer_compact_swap(&s, &err) != 0)
        ps_msg("%s", err.msg);
    else
        status = n;
out:
    free(paths);
    free(olds);
    free(srcs);
    free(tpaths);
    return status;
}

int cmd_compact(int argc, char **argv)
{
    const char *dir = NULL;
    int wait = 0;
    const ps_option opts[] = {
        PS_INDEX("index (default: $POLSEARCH_INDEX or ./index)", &dir),
        PS_FLAG(0, "wait", "wait for a running index job instead of failing", &wait),
        PS_END
    };
    const ps_command cmd = {
        .name = "compact", .synopsis = "[-d INDEX] [--wait]",
        .about = "Merge the index's shards into one compact database (Xapian compaction).\n"
                 "Later incremental runs keep working; searches see the same results.\n",
        .footer = "Example: polsearch index -j 2 docs/ && polsearch compact\n",
        .flags = PS_CMD_NO_OPERANDS, .opts = opts
    };
    int status;
    if ((status = ps_options_index(&cmd, argc, argv, &dir)) >= 0)
        return status;
    ps_err err = PS_ERR_INIT;
    int lock_fd = store_lock(dir, wait, &err);
    if (lock_fd < 0) {
        ps_msg("%s", err.msg);
        return EXIT_TROUBLE;
    }
    int n = compact_index(dir);
    close(lock_fd);
    if (n < 0)
        return EXIT_TROUBLE;
    fprintf(stderr, "polsearch: %s: %d shard%s compacted into one\n", dir, n, n == 1 ? "" : "s");
    return EXIT_MATCH;
}
