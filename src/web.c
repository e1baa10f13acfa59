/* web.c — the HTTP server: socket, limits, routing to web_site, headers (web.h). */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "utf8.h"
#include "web.h"

#define WEB_CSP      "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
/* An original file may be HTML with scripts of its own: it gets nothing. */
#define WEB_CSP_FILE "default-src 'none'; sandbox"

/* The libmicrohttpd functions the server calls.  The library (and the
 * GnuTLS it pulls in, nine libraries in all) is opened by web_start, not
 * linked into the program: loading it cost every command about 6 ms of
 * CPU at start-up (bench/README.md, "Start-up"). */
#define MHD_API(X)                                                        \
    X(MHD_start_daemon) X(MHD_stop_daemon) X(MHD_create_response_from_buffer) \
    X(MHD_create_response_from_fd) X(MHD_add_response_header)             \
    X(MHD_queue_response) X(MHD_destroy_response) X(MHD_get_connection_values_n)
typedef struct mhd_api {
#define MHD_API_FIELD(f) __typeof__(f) *f;   /* libmicrohttpd's f */
    MHD_API(MHD_API_FIELD)
#undef MHD_API_FIELD
} mhd_api;

struct web_server {
    mhd_api            mhd;          /* libmicrohttpd, opened by web_start */
    struct MHD_Daemon *daemon;       /* libmicrohttpd's server */
    web_site          *site;         /* what the pages hold (the caller's) */
    int                fd;           /* the listening socket */
};

/* The query parameters of a request, collected before routing. */
typedef struct param_set {
    web_param v[WEB_MAX_PARAMS];     /* the parameters, in order (pointing into libmicrohttpd's) */
    size_t    n;                     /* parameters kept */
    int       bad;                   /* 1: too many, or one with NUL or invalid UTF-8 */
} param_set;

/* libmicrohttpd's iterator: keep one parameter, or mark the set bad.
 * Always goes on, so a bad set is decided once. */
static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                     const char *value, size_t value_size)
{
    (void)kind;
    param_set *ps = cls;
    if (!value) {
        value = "";
        value_size = 0;
    }
    if (ps->n == WEB_MAX_PARAMS || strlen(key) != key_size || strlen(value) != value_size ||
        utf8_validate(key, key_size) != key_size || utf8_validate(value, value_size) != value_size) {
        ps->bad = 1;
        return MHD_YES;
    }
    ps->v[ps->n].name = key;
    ps->v[ps->n].value = value;
    ps->n++;
    return MHD_YES;
}

/* The value of hex digit c, or -1. */
static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* libmicrohttpd's unescaper for the path and the parameters: %XX
 * decoded in place, except that a NUL (%00) becomes the byte 0xFF, which
 * is never valid UTF-8, so the request is refused (400) rather than cut
 * short at the NUL (/file/ID%00.. must not read as /file/ID).  Returns
 * the decoded length. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    char *w = s;
    for (const char *r = s; *r; r++) {
        int hi, lo;
        if (r[0] == '%' && (hi = hex_value(r[1])) >= 0 && (lo = hex_value(r[2])) >= 0) {
            int v = hi << 4 | lo;
            *w++ = (char)(v ? v : 0xff);
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

/* Add the headers every response carries; csp is its policy. */
static int add_common_headers(const mhd_api *mhd, struct MHD_Response *resp, const char *csp)
{
    return mhd->MHD_add_response_header(resp, "Content-Security-Policy", csp) == MHD_YES &&
           mhd->MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES &&
           mhd->MHD_add_response_header(resp, "Referrer-Policy", "no-referrer") == MHD_YES &&
           mhd->MHD_add_response_header(resp, "X-Frame-Options", "DENY") == MHD_YES
           ? 0 : -1;
}

/* Queue a plain-text answer of status with body text (a literal). */
static enum MHD_Result queue_text(const mhd_api *mhd, struct MHD_Connection *c, unsigned status,
                                  const char *text, const char *allow)
{
    struct MHD_Response *resp =
        mhd->MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    enum MHD_Result r = MHD_NO;
    if (add_common_headers(mhd, resp, WEB_CSP) == 0 &&
        mhd->MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8") == MHD_YES &&
        (!allow || mhd->MHD_add_response_header(resp, "Allow", allow) == MHD_YES))
        r = mhd->MHD_queue_response(c, status, resp);
    mhd->MHD_destroy_response(resp);
    return r;
}

/* The response for rep: its body, or the bytes of its file (a regular
 * file only; 404 when it is gone from disk).  NULL when out of memory. */
static struct MHD_Response *make_response(const mhd_api *mhd, web_reply *rep, unsigned *status)
{
    *status = (unsigned)rep->status;
    if (rep->file) {
        int fd = open(rep->file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
            /* The response owns fd from here, and closes it when freed. */
            struct MHD_Response *resp = mhd->MHD_create_response_from_fd((uint64_t)st.st_size, fd);
            if (!resp)
                close(fd);
            return resp;
        }
        if (fd >= 0)
            close(fd);
        /* Indexed, but no longer on disk (or no longer a file). */
        static const char gone[] = "this file is in the index but no longer on disk\n";
        *status = MHD_HTTP_NOT_FOUND;
        rep->type = "text/plain; charset=utf-8";
        return mhd->MHD_create_response_from_buffer(sizeof gone - 1, (void *)gone, MHD_RESPMEM_PERSISTENT);
    }
    size_t len = rep->body.len;
    char *data = buf_detach(&rep->body);
    struct MHD_Response *resp = mhd->MHD_create_response_from_buffer(len, data ? data : (char *)"",
                                                                data ? MHD_RESPMEM_MUST_FREE
                                                                     : MHD_RESPMEM_PERSISTENT);
    if (!resp)
        free(data);
    return resp;
}

/* libmicrohttpd's request handler: check the method and parameters, route,
 * answer with the common headers. */
static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_data_size,
                              void **con_cls)
{
    (void)version;
    (void)upload_data;
    (void)upload_data_size;
    web_server *srv = cls;
    const mhd_api *mhd = &srv->mhd;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return queue_text(mhd, c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD are served\n", "GET, HEAD");
    /* The first call comes with the headers: an answer queued then makes
     * libmicrohttpd close the connection after it (it reads no more of
     * the request), so a GET is answered on the second call, once the
     * request is whole, and the connection is kept alive (HTTP/1.1). */
    if (!*con_cls) {
        *con_cls = srv;
        return MHD_YES;
    }
    param_set ps = { .n = 0 };
    mhd->MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_param, &ps);
    if (ps.bad || utf8_validate(url, strlen(url)) != strlen(url))
        return queue_text(mhd, c, MHD_HTTP_BAD_REQUEST, "bad request: too many parameters, or not UTF-8\n", NULL);
    web_request req = { .path = url, .params = ps.v, .nparams = ps.n };
    web_reply rep = WEB_REPLY_INIT;
    if (web_route(srv->site, &req, &rep) != 0) {
        web_reply_free(&rep);
        return queue_text(mhd, c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n", NULL);
    }
    unsigned status;
    struct MHD_Response *resp = make_response(mhd, &rep, &status);
    enum MHD_Result r = MHD_NO;
    if (resp && add_common_headers(mhd, resp, rep.sandbox || rep.file ? WEB_CSP_FILE : WEB_CSP) == 0 &&
        mhd->MHD_add_response_header(resp, "Content-Type", rep.type) == MHD_YES &&
        mhd->MHD_add_response_header(resp, "Cache-Control", "no-store") == MHD_YES)
        r = mhd->MHD_queue_response(c, status, resp);
    if (resp)
        mhd->MHD_destroy_response(resp);
    web_reply_free(&rep);
    return r;
}

/* Open, bind and listen on addr:port.  Returns the socket, or -1 with err set. */
static int listen_on(const char *addr, unsigned port, ps_err *err)
{
    char port_s[16];
    snprintf(port_s, sizeof port_s, "%u", port);
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_NUMERICSERV | AI_PASSIVE }, *res = NULL;
    int rc = getaddrinfo(addr, port_s, &hints, &res);
    if (rc != 0)
        return ps_err_set(err, PS_USAGE, "cannot listen on %s: %s", addr, gai_strerror(rc)), -1;
    int fd = -1, saved = 0;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        int one = 1;
        if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
                        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0)) {
            saved = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        ps_err_set(err, PS_IO, "cannot listen on %s port %u: %s", addr, port, strerror(saved ? saved : errno));
    return fd;
}

/* Open libmicrohttpd (MHD_SONAME, found by configure) and fill *api with
 * its functions.  The library stays loaded for the process's life, as
 * the readers' module does.  Returns 0, or -1 with err set. */
static int mhd_open(mhd_api *api, ps_err *err)
{
    void *h = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return ps_err_set(err, PS_IO, "the web server's library cannot be loaded: %s", dlerror()), -1;
#define MHD_API_LOAD(f)                                                                 \
    if (!(*(void **)&api->f = dlsym(h, #f)))                                            \
        return ps_err_set(err, PS_IO, "the web server's library lacks %s: %s", #f, dlerror()), -1;
    MHD_API(MHD_API_LOAD)
#undef MHD_API_LOAD
    return 0;
}

int web_start(const char *addr, unsigned port, web_site *site, unsigned threads, web_server **out,
              ps_err *err)
{
    web_server *s = calloc(1, sizeof *s);
    if (!s)
        return ps_err_nomem(err), -1;
    s->site = site;
    if (mhd_open(&s->mhd, err) != 0 || (s->fd = listen_on(addr, port, err)) < 0) {
        free(s);
        return -1;
    }
    /* A pool of threads, each accepting and answering its own connections
     * (web_route gives each its own worker: nothing of Xapian's is shared). */
    s->daemon = s->mhd.MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL,
                                        answer, s,
                                        MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0u,
                                        MHD_OPTION_LISTEN_SOCKET, s->fd,
                                        MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_MAX_CONNECTIONS,
                                        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)WEB_TIMEOUT_S,
                                        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)WEB_MEMORY_LIMIT,
                                        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
                                        MHD_OPTION_END);
    if (!s->daemon) {
        ps_err_set(err, PS_IO, "cannot start the web server on %s port %u", addr, port);
        close(s->fd);
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

void web_stop(web_server *s)
{
    if (!s)
        return;
    s->mhd.MHD_stop_daemon(s->daemon);
    close(s->fd);
    free(s);
}
