/* cmd_serve.c — `polsearch serve`: an index over the network, read-only,
 * by Xapian's own remote server (xapian-tcpsrv).  The remote protocol has
 * no authentication and no encryption, so polsearch listens on loopback
 * unless --listen names an address. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"
#include "xapian-shim.h"

static void serve_usage(FILE *fp)
{
    fprintf(fp, "usage: polsearch serve [-d INDEX] [--port P] [--listen ADDR]\n\n"
                "Serve an index read-only with Xapian's remote TCP server (xapian-tcpsrv),\n"
                "for 'polsearch search -d tcp://HOST:PORT'.  The protocol has no\n"
                "authentication or encryption: keep it on loopback or a private network.\n\n"
                "  -d, --index DIR   index to serve (default: $POLSEARCH_INDEX or ./index)\n"
                "  -p, --port P      TCP port (default 7878)\n"
                "      --listen ADDR address to listen on (default 127.0.0.1)\n"
                "      --timeout MS  idle timeout per connection (default 60000)\n\n"
                "Example: polsearch serve -d index --port 7878 &\n"
                "         polsearch search -d tcp://127.0.0.1:7878 专精特新\n");
}

int cmd_serve(int argc, char **argv)
{
    static const struct option longs[] = {
        { "index", required_argument, NULL, 'd' },
        { "port", required_argument, NULL, 'p' },
        { "listen", required_argument, NULL, 'L' },
        { "timeout", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *dir = NULL, *listen = "127.0.0.1";
    long long port = 7878, timeout = 60000;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":d:p:h", longs, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'p':
            if ((port = ps_parse_count(optarg, 65535)) < 1) {
                ps_msg("--port: '%s' is not a port number", optarg);
                return EXIT_TROUBLE;
            }
            break;
        case 'L': listen = optarg; break;
        case 't':
            if ((timeout = ps_parse_count(optarg, 86400000)) < 1) {
                ps_msg("--timeout: '%s' is not a number of milliseconds", optarg);
                return EXIT_TROUBLE;
            }
            break;
        case 'h': serve_usage(stdout); return EXIT_MATCH;
        case ':': ps_msg("option '%s' needs a value", argv[optind - 1]); return EXIT_TROUBLE;
        default: ps_msg("unknown option '%s'; see 'polsearch serve --help'", argv[optind - 1]); return EXIT_TROUBLE;
        }
    }
    if (optind < argc) {
        ps_msg("serve takes no arguments ('%s')", argv[optind]);
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
    if (!store_servable(dir)) {
        ps_msg("%s: built without termlists, which Xapian's remote protocol needs to return "
               "documents; rebuild it with 'polsearch index --full --servable -d %s'", dir, dir);
        return EXIT_TROUBLE;
    }
    char port_s[24], idle_s[24];
    snprintf(port_s, sizeof port_s, "%lld", port);
    snprintf(idle_s, sizeof idle_s, "%lld", timeout);
    int loopback = !strcmp(listen, "127.0.0.1") || !strcmp(listen, "localhost") || !strcmp(listen, "::1");
    fprintf(stderr, "polsearch: serving %s read-only on tcp://%s:%s with xapian-tcpsrv%s\n",
            dir, listen, port_s,
            loopback ? "" : " (WARNING: not loopback; the protocol has no authentication or encryption)");
    fflush(stderr);
    execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", listen, "--port", port_s,
           "--timeout", idle_s, dir, (char *)NULL);
    ps_msg("xapian-tcpsrv: %s%s", strerror(errno),
           errno == ENOENT ? " (install the Debian package xapian-tools)" : "");
    return EXIT_TROUBLE;
}
