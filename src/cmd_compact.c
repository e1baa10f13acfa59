/* cmd_compact.c — `polsearch compact`: merge the shards into one database
 * with Xapian's compaction.  Readers keep working on the old shards until
 * the stub is switched; the writers' lock keeps indexing runs out. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"
#include "writer.h"
#include "xapian-shim.h"

static void compact_usage(FILE *fp)
{
    fprintf(fp, "usage: polsearch compact [-d INDEX] [--wait]\n\n"
                "Merge the index's shards into one compact database (Xapian compaction).\n"
                "Later incremental runs keep working; searches see the same results.\n\n"
                "  -d, --index DIR   index (default: $POLSEARCH_INDEX or ./index)\n"
                "      --wait        wait for a running index job instead of failing\n\n"
                "Example: polsearch index -j 2 docs/ && polsearch compact\n");
}

/* writer_swap.installed: the stub now lists the compacted shard alone. */
static int write_one_shard_stub(void *dir)
{
    return store_write_stub(dir, 1);
}

/* Merge the shards of index dir into one compact database (the caller
 * holds the writers' lock).  Returns the number of shards merged, or -1
 * after a message. */
static int compact_index(const char *dir)
{
    int n = store_shard_count(dir);
    int status = -1;
    char (*paths)[4200] = calloc((size_t)(n > 0 ? n : 1), sizeof *paths);
    char (*olds)[4300] = calloc((size_t)(n > 0 ? n : 1), sizeof *olds);
    const char **srcs = calloc((size_t)(n > 0 ? n : 1), 2 * sizeof *srcs);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s/compacting", dir);
    if (!paths || !olds || !srcs || n < 1) {
        ps_msg("%s: %s", dir, n < 1 ? "no shards to compact" : "out of memory");
        goto out;
    }
    for (int i = 0; i < n; i++) {
        store_shard_path(dir, i, paths[i], sizeof paths[i]);
        snprintf(olds[i], sizeof olds[i], "%s/old-shard%d", dir, i);
        srcs[i] = paths[i];
        srcs[n + i] = olds[i];
    }
    writer_swap s = { dir, "database", srcs, srcs + n, (size_t)n, tmp, write_one_shard_stub, (void *)dir };
    ps_err err = PS_ERR_INIT;
    if (writer_compact_swap(&s, &err) != 0)
        ps_msg("%s", err.msg);
    else
        status = n;
out:
    free(paths);
    free(olds);
    free(srcs);
    return status;
}

int cmd_compact(int argc, char **argv)
{
    static const struct option longs[] = {
        { "index", required_argument, NULL, 'd' },
        { "wait", no_argument, NULL, 'w' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *dir = NULL;
    int wait = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":d:h", longs, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'w': wait = 1; break;
        case 'h': compact_usage(stdout); return EXIT_MATCH;
        case ':': ps_msg("option '%s' needs a value", argv[optind - 1]); return EXIT_TROUBLE;
        default: ps_msg("unknown option '%s'; see 'polsearch compact --help'", argv[optind - 1]); return EXIT_TROUBLE;
        }
    }
    if (optind < argc) {
        ps_msg("compact takes no arguments ('%s')", argv[optind]);
        return EXIT_TROUBLE;
    }
    dir = store_default_dir(dir);
    ps_err err = PS_ERR_INIT;
    xs_db *check = store_open_read(&dir, 1, 0, &err);
    if (!check) {
        ps_msg("%s", err.msg);
        return EXIT_TROUBLE;
    }
    xs_db_close(check);
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
