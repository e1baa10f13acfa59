/* cmd_compact.c — `polsearch compact`: merge the shards into one database
 * with Xapian's compaction.  Readers keep working on the old shards until
 * the stub is switched; the writers' lock keeps indexing runs out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"
#include "writer.h"
#include "xapian-shim.h"

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
