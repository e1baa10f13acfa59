/* cmd_serve.c — `polsearch serve`: an index over the network, read-only,
 * by Xapian's own remote server (xapian-tcpsrv).  The remote protocol has
 * no authentication and no encryption, so polsearch listens on loopback
 * unless --listen names an address. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"
#include "xapian-shim.h"

int cmd_serve(int argc, char **argv)
{
    const char *dir = NULL, *listen = "127.0.0.1";
    long long port = 7878, timeout = 60000;
    const ps_option opts[] = {
        PS_INDEX("index to serve (default: $POLSEARCH_INDEX or ./index)", &dir),
        PS_COUNT('p', "port", "P", "TCP port (default 7878)", &port, 1, 65535, "a port number"),
        PS_STRING(0, "listen", "ADDR", "address to listen on (default 127.0.0.1)", &listen),
        PS_COUNT(0, "timeout", "MS", "idle timeout per connection (default 60000)", &timeout,
                 1, 86400000, "a number of milliseconds"),
        PS_END
    };
    const ps_command cmd = {
        .name = "serve", .synopsis = "[-d INDEX] [--port P] [--listen ADDR]",
        .about = "Serve an index read-only with Xapian's remote TCP server (xapian-tcpsrv),\n"
                 "for 'polsearch search -d tcp://HOST:PORT'.  The protocol has no\n"
                 "authentication or encryption: keep it on loopback or a private network.\n",
        .footer = "Example: polsearch serve -d index --port 7878 &\n"
                  "         polsearch search -d tcp://127.0.0.1:7878 专精特新\n",
        .flags = PS_CMD_NO_OPERANDS, .opts = opts
    };
    int status;
    if ((status = ps_options_index(&cmd, argc, argv, &dir)) >= 0)
        return status;
    ps_err err = PS_ERR_INIT;
    if (store_check_index(dir, &err) != 0) {
        ps_msg("%s", err.msg);
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
