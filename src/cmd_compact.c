/* cmd_compact.c — `polsearch compact`: merge the shards into one database
 * with Xapian's compaction, and their text chunks into one.  Readers keep
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

/* Merge the shards of index dir (the caller holds the writers' lock).
 * Returns the number of shards merged, or -1 after a message. */
static int compact_index(const char *dir)
{
    int n = store_shard_count(dir);
    ps_err err = PS_ERR_INIT;
    if (n < 1) {
        ps_msg("%s: no shards to compact", dir);
        return -1;
    }
    if (writer_merge_shards(dir, n, &err) != 0) {
        ps_msg("%s", err.msg);
        return -1;
    }
    return n;
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
    int n = store_recover(dir, &err) == 0 ? compact_index(dir) : (ps_msg("%s", err.msg), -1);
    if (n >= 0 && store_merge_paid(dir, &err) != 0) {   /* a merge a cut-off build owed: paid */
        ps_msg("%s", err.msg);
        n = -1;
    }
    close(lock_fd);
    if (n < 0)
        return EXIT_TROUBLE;
    fprintf(stderr, "polsearch: %s: %d shard%s compacted into one\n", dir, n, n == 1 ? "" : "s");
    return EXIT_MATCH;
}
