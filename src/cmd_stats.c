/* cmd_stats.c — `polsearch stats`: what an index holds (stats.h). */
#include <stdio.h>

#include "buf.h"
#include "cli.h"
#include "stats.h"

int cmd_stats(int argc, char **argv)
{
    const char *dir = NULL;
    int json = 0, first;
    const ps_option opts[] = {
        PS_INDEX("index (default: $POLSEARCH_INDEX or ./index)", &dir),
        PS_FLAG(0, "json", "one JSON object", &json),
        PS_END
    };
    const ps_command cmd = {
        .name = "stats", .synopsis = "[-d INDEX] [--json]",
        .about = "What the index holds: files, paragraphs, distinct terms, size on disk,\n"
                 "last update, encodings seen and the largest files.\n",
        .footer = "Example: polsearch stats -d index --json\n",
        .flags = PS_CMD_NO_OPERANDS, .opts = opts
    };
    int status;
    if ((status = ps_options(&cmd, argc, argv, &first)) >= 0)
        return status;
    index_stats s;
    ps_err err = PS_ERR_INIT;
    int rc = stats_read(dir, &s, &err);
    buf out = BUF_INIT;
    if (rc != 0) {
        ps_msg("%s", err.msg);
    } else if (stats_write(&out, dir, &s, json) != 0) {
        ps_msg("out of memory");
        rc = -1;
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len) {
        rc = -1;
    }
    buf_free(&out);
    stats_free(&s);
    return rc == 0 ? EXIT_MATCH : EXIT_TROUBLE;
}
