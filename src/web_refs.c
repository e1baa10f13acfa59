/* web_refs.c — the citation graph page and API (web_refs.h). */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "citations.h"
#include "web_doc.h"
#include "web_html.h"
#include "web_refs.h"

extern char **environ;

/* The most SVG dot may write for one graph. */
#define WEB_SVG_MAX (8u << 20)

/* cite_url_fn: a node links to its document view. */
static void doc_url(void *ctx, const char *path, char url[CITE_URL_MAX])
{
    (void)ctx;
    char id[17];
    web_id_of(path, id);
    snprintf(url, CITE_URL_MAX, "/doc/%s", id);
}

/* Run dot -Tsvg on the DOT in dot_file and append its output to svg.
 * Returns 0, 1 when dot cannot be run or fails, or -1 when out of memory. */
static int run_dot(const char *dot_file, buf *svg)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return 1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    char *argv[] = { (char *)"dot", (char *)"-Tsvg", (char *)dot_file, NULL };
    pid_t pid;
    int spawned = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ) == 0;
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    int rc = spawned ? 0 : 1;
    char chunk[16384];
    ssize_t got;
    while (spawned && (got = read(fds[0], chunk, sizeof chunk)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 || svg->len + (size_t)got > WEB_SVG_MAX) {
            rc = 1;
            break;
        }
        if (rc == 0 && buf_append(svg, chunk, (size_t)got) != 0)
            rc = -1;
    }
    close(fds[0]);
    int status;
    if (spawned && (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) && rc == 0)
        rc = 1;
    return rc;
}

/* Append the SVG of the DOT graph dot[0..len) to b (the <svg> element
 * only, without dot's XML prolog), or a message when dot is missing.
 * Returns 0, or -1 when out of memory. */
static int put_svg(buf *b, const buf *dot)
{
    char tmpl[] = "/tmp/polsearch-web-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0)
        return buf_puts(b, "<p class=\"error\">cannot write a temporary file for dot</p>");
    int ok = write(fd, dot->data, dot->len) == (ssize_t)dot->len;
    close(fd);
    buf svg = BUF_INIT;
    int rc = ok ? run_dot(tmpl, &svg) : 1;
    unlink(tmpl);
    const char *start = svg.data ? strstr(svg.data, "<svg") : NULL;
    if (rc == 0 && start)
        rc = buf_puts(b, start);
    else if (rc >= 0)
        rc = buf_puts(b, "<p class=\"error\">Graphviz's dot is not installed, so the graph is not drawn: "
                         "install the Debian package graphviz.  The graph as data: "
                         "<a href=\"/api/refs\">/api/refs</a>.</p>");
    buf_free(&svg);
    return rc;
}

/* Append the graph of index dir to rep: its JSON (a line) when json is
 * set, else a section with its SVG (titled with dir when titled).
 * Returns 0, 1 when the index cannot be read (rep filled: 503), or -1
 * when out of memory. */
static int put_graph(const char *dir, int json, int titled, web_reply *rep)
{
    cite_index ix;
    cite_edge *edges = NULL;
    size_t nedges = 0;
    buf dot = BUF_INIT, *b = &rep->body;
    int rc;
    if (cite_open(&ix, dir) != 0 || cite_graph(&ix, &edges, &nedges) != 0) {
        rc = ix.err.code == PS_NOMEM ? -1 : 1;
        if (rc > 0) {
            buf_clear(b);
            if (web_reply_error(rep, 503, json, ix.err.msg) != 0)
                rc = -1;
        }
    } else if (json) {
        rc = cite_graph_write(&ix, edges, nedges, 1, NULL, NULL, b) ? -1 : 0;
    } else {
        rc = cite_graph_write(&ix, edges, nedges, 0, doc_url, NULL, &dot) | buf_puts(b, "<section class=\"graph\">");
        if (titled)
            rc |= buf_puts(b, "<h2>") | html_str(b, dir) | buf_puts(b, "</h2>");
        rc |= buf_printf(b, "<p>%zu 个文件，%zu 条引用边</p><figure class=\"graph\">", ix.nfiles, nedges);
        rc = rc ? -1 : put_svg(b, &dot);
        rc = rc | buf_puts(b, "</figure></section>") ? -1 : 0;
    }
    free(edges);
    buf_free(&dot);
    cite_close(&ix);
    return rc;
}

int web_refs(const char *const *dirs, size_t n, int json, web_reply *rep)
{
    buf *b = &rep->body;
    if (!json && (html_page_begin(b, "引用关系", NULL) |
                  buf_puts(b, "<article class=\"results\"><h1>引用关系</h1><p><a href=\"/api/refs\">JSON</a></p>")))
        return -1;
    for (size_t i = 0; i < n; i++) {
        int rc = put_graph(dirs[i], json, n > 1, rep);
        if (rc)
            return rc < 0 ? -1 : 0;      /* 503 in rep */
    }
    if (!json && (buf_puts(b, "</article>") | html_page_end(b)))
        return -1;
    rep->status = 200;
    rep->type = json ? "application/json" : "text/html; charset=utf-8";
    return 0;
}
