/* cmd_web.c — `polsearch web`: options, then serve the site (web.h,
 * web_site.h) until SIGINT or SIGTERM. */
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "web.h"

extern char **environ;

/* Open url in the desktop's browser (xdg-open), without waiting for it.
 * A missing xdg-open is only a warning: the server runs either way. */
static void open_browser(const char *url)
{
    char *argv[] = { (char *)"xdg-open", (char *)url, NULL };
    pid_t pid;
    if (posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ) != 0)
        ps_msg("warning: --open: cannot run xdg-open; open %s yourself", url);
}

int cmd_web(int argc, char **argv)
{
    ps_index_list indexes = { 0 };
    const char *listen = "127.0.0.1";
    long long port = 8080;
    int open_it = 0;
    const char *time_limit = "10";
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long long threads = cores < 1 ? 1 : cores > WEB_MAX_THREADS ? WEB_MAX_THREADS : cores;
    const ps_option opts[] = {
        PS_INDEXES("index to serve (repeatable; default $POLSEARCH_INDEX or ./index)", &indexes),
        PS_STRING(0, "listen", "ADDR", "address to listen on (default 127.0.0.1)", &listen),
        PS_COUNT('p', "port", "N", "TCP port (default 8080)", &port, 1, 65535, "a port number"),
        PS_FLAG(0, "open", "open the site in the desktop's browser", &open_it),
        PS_STRING(0, "time-limit", "SECONDS", "a request's searches stop after SECONDS (default 10;\n"
                  "0: no limit) with HTTP 503", &time_limit),
        PS_COUNT(0, "threads", "N", "answer N requests at once, each thread with its own\n"
                 "open index (default: the number of cores)", &threads, 1, WEB_MAX_THREADS,
                 "a number of threads"),
        PS_END
    };
    const ps_command cmd = {
        .name = "web", .synopsis = "[-d INDEX ...] [--listen ADDR] [--port N] [--open]\n"
                    "       [--time-limit SECONDS] [--threads N]",
        .about = "Serve a local web site over the index: search with facets, each document\n"
                 "in context, term trends (/terms), the citation graph, and the API\n"
                 "(/api/search, /api/terms, /api/refs, /api/stats: the commands' JSON).\n"
                 "Runs until interrupted (SIGINT, SIGTERM).\n"
                 "Anyone who can reach the address can read the indexed documents: it\n"
                 "listens on loopback unless --listen names another address.\n",
        .footer = "Example: polsearch web -d index --port 8080\n"
                  "         then open http://127.0.0.1:8080/search?q=专精特新\n",
        .flags = PS_CMD_NO_OPERANDS, .opts = opts
    };
    int first, status = ps_options(&cmd, argc, argv, &first);
    if (status >= 0) {
        ps_index_list_free(&indexes);
        return status;
    }
    char *end;
    double limit = strtod(time_limit, &end);
    if (end == time_limit || *end || !(limit >= 0 && limit <= 3600)) {
        ps_msg("--time-limit: '%s' is not a number of seconds from 0 to 3600", time_limit);
        ps_index_list_free(&indexes);
        return EXIT_TROUBLE;
    }
    int loopback = !strcmp(listen, "127.0.0.1") || !strcmp(listen, "localhost") || !strcmp(listen, "::1");
    if (!loopback)
        ps_msg("warning: listening on %s: anyone who can reach it can read the indexed documents", listen);
    /* Block the signals before the server's thread starts, so that it
     * inherits the mask and only sigwait below receives them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    ps_err err = PS_ERR_INIT;
    web_site *site = NULL;
    web_server *srv = NULL;
    if (web_site_new(indexes.dirs, indexes.n, limit, (size_t)threads, &site, &err) != 0 ||
        web_start(listen, (unsigned)port, site, (unsigned)threads, &srv, &err) != 0) {
        ps_msg("%s", err.msg);
        web_site_free(site);
        ps_index_list_free(&indexes);
        return EXIT_TROUBLE;
    }
    char url[128];
    int v6 = strchr(listen, ':') != NULL;
    snprintf(url, sizeof url, "http://%s%s%s:%lld/", v6 ? "[" : "", listen, v6 ? "]" : "", port);
    ps_msg("serving %s%s at %s", indexes.dirs[0], indexes.n > 1 ? " and more" : "", url);
    if (open_it)
        open_browser(url);
    int sig;
    sigwait(&stop, &sig);
    web_stop(srv);
    web_site_free(site);
    ps_index_list_free(&indexes);
    return EXIT_MATCH;
}
