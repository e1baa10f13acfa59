/* web_site.c — routing a request to its page (web_site.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "policy.h"
#include "web_doc.h"
#include "web_html.h"
#include "web_refs.h"
#include "web_search.h"
#include "web_site.h"
#include "web_terms.h"

/* What one server thread owns: its own open indexes, lexicon and
 * documents.  Xapian's handles are not thread-safe, so no two threads
 * share one: a thread takes a worker on its first request and keeps it
 * (the lock is then never contended; it guards the case of more threads
 * than workers). */
typedef struct web_worker {
    pthread_mutex_t    lock;         /* held while a request runs on this worker */
    int                lock_ok;      /* lock was initialised */
    search_engine     *engine;       /* the open indexes, or NULL until they open */
    lexicon           *lx;           /* the policy lexicon (terms pages), or NULL until first used */
    web_docs           docs;         /* the indexes read back for /doc and /file, kept open */
    double             time_limit;   /* seconds a request's searches may take, 0: no limit (the site's) */
    const char *const *dirs;         /* the indexes served (the site's) */
    size_t             ndirs;        /* number of indexes */
} web_worker;

/* Shared between the server's threads: only what web_site_new set, read
 * only, and the counter that hands each thread its worker. */
struct web_site {
    const char *const *dirs;         /* the indexes served (the caller's) */
    size_t             ndirs;        /* number of indexes */
    double             time_limit;   /* seconds a request's searches may take, 0: no limit */
    web_worker        *workers;      /* one per server thread */
    size_t             nworkers;     /* number of them (>= 1) */
    pthread_key_t      key;          /* the calling thread's worker, once it has one */
    int                key_ok;       /* key was created */
    atomic_size_t      next;         /* workers handed out so far */
};

int web_site_new(const char *const *dirs, size_t n, double time_limit, size_t nworkers, web_site **out,
                 ps_err *err)
{
    web_site *s = calloc(1, sizeof *s);
    if (!s)
        return ps_err_nomem(err), -1;
    s->dirs = dirs;
    s->ndirs = n;
    s->time_limit = time_limit;
    s->nworkers = nworkers ? nworkers : 1;
    atomic_init(&s->next, 0);
    if (!(s->workers = calloc(s->nworkers, sizeof *s->workers)))
        goto nomem;
    if (pthread_key_create(&s->key, NULL) != 0)
        goto nomem;
    s->key_ok = 1;
    for (size_t i = 0; i < s->nworkers; i++) {
        web_worker *w = &s->workers[i];
        w->dirs = dirs;
        w->ndirs = n;
        w->time_limit = time_limit;
        if (pthread_mutex_init(&w->lock, NULL) != 0)
            goto nomem;
        w->lock_ok = 1;
        if (web_docs_init(&w->docs, dirs, n, err) != 0) {
            web_site_free(s);
            return -1;
        }
    }
    *out = s;
    return 0;
nomem:
    web_site_free(s);
    return ps_err_nomem(err), -1;
}

void web_site_free(web_site *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->workers && i < s->nworkers; i++) {
        web_worker *w = &s->workers[i];
        search_close(w->engine);
        lex_free(w->lx);
        web_docs_free(&w->docs);
        if (w->lock_ok)
            pthread_mutex_destroy(&w->lock);
    }
    if (s->key_ok)
        pthread_key_delete(s->key);
    free(s->workers);
    free(s);
}

/* The engine on the indexes as they are now: opened on first use, then
 * refreshed before each request so that a re-index shows at once (Xapian's
 * MVCC: never a torn state).  NULL with rep filled (503) when an index
 * cannot be read; it is tried again on the next request.  *oom is set
 * when memory ran out instead. */
static search_engine *site_engine(web_worker *s, web_reply *rep, int json, int *oom)
{
    ps_err err = PS_ERR_INIT;
    int changed = 0;
    *oom = 0;
    if (s->engine && (changed = search_refresh(s->engine, &err)) < 0) {
        search_close(s->engine);     /* gone or damaged: open anew when it is back */
        s->engine = NULL;
    } else if (!s->engine) {
        search_open_in in = { .dirs = s->dirs, .ndirs = s->ndirs };
        s->engine = search_open(&in, &err);
        changed = 1;
    }
    if (changed)
        web_docs_forget(&s->docs);   /* the documents are read again from the new state */
    if (!s->engine)
        *oom = err.code == PS_NOMEM || web_reply_error(rep, 503, json, err.msg) != 0;
    else
        search_set_deadline(s->engine, s->time_limit);   /* this request's searches, from now */
    return s->engine;
}

/* The policy lexicon, loaded on first use.  NULL with rep filled (503)
 * when it cannot be loaded; *oom set when memory ran out instead. */
static lexicon *site_lexicon(web_worker *s, web_reply *rep, int json, int *oom)
{
    ps_err err = PS_ERR_INIT;
    *oom = 0;
    if (!s->lx && !(s->lx = policy_load(NULL, &err)))
        *oom = err.code == PS_NOMEM || web_reply_error(rep, 503, json, err.msg) != 0;
    return s->lx;
}

void web_reply_free(web_reply *rep)
{
    buf_free(&rep->body);
    free(rep->file);
    rep->file = NULL;
}

const char *web_param_get(const web_request *req, const char *name)
{
    for (size_t i = 0; i < req->nparams; i++)
        if (strcmp(req->params[i].name, name) == 0)
            return req->params[i].value;
    return NULL;
}

int web_reply_error(web_reply *rep, int status, int json, const char *msg)
{
    buf_clear(&rep->body);
    rep->status = status;
    int rc;
    if (json) {
        rep->type = "application/json";
        rc = json_open(&rep->body, NULL, '{') | json_str(&rep->body, "error", msg, strlen(msg)) |
             json_uint(&rep->body, "status", (uint64_t)status) | json_close(&rep->body, '}') |
             buf_putc(&rep->body, '\n');
    } else {
        rep->type = "text/html; charset=utf-8";
        rc = html_page_begin(&rep->body, "错误", NULL) | buf_puts(&rep->body, "<p class=\"error\">") |
             html_str(&rep->body, msg) | buf_puts(&rep->body, "</p>") | html_page_end(&rep->body);
    }
    return rc ? -1 : 0;
}

/* The query syntax, as README's "Query syntax" says it. */
static int help_page(web_reply *rep)
{
    buf *b = &rep->body;
    rep->status = 200;
    rep->type = "text/html; charset=utf-8";
    return html_page_begin(b, "查询语法", NULL) |
           buf_puts(b, "<article class=\"results\"><h1>查询语法</h1><ul>"
                       "<li>连续的汉字是<strong>精确短语</strong>：研发投入 只匹配连续出现“研发投入”的段落。</li>"
                       "<li>空格分隔的各部分必须<strong>都</strong>出现：专精特新 金融</li>"
                       "<li><code>A OR B</code>（或 <code>A|B</code>）任一出现；<code>-小巨人</code> 或 <code>NOT 小巨人</code> 排除。</li>"
                       "<li><code>\"带 空格 的短语\"</code> 保留空格。</li>"
                       "<li>拉丁字母和数字不区分大小写、按整词匹配；全角等于半角；繁体与简体互相匹配。</li>"
                       "</ul><p>筛选参数：year, since, until, issuer, region, file, type, cites, no-expand, no-collapse；"
                       "分页：n, start。</p></article>") |
           html_page_end(b) ? -1 : 0;
}

/* The stylesheet. */
static int style_reply(web_reply *rep)
{
    rep->status = 200;
    rep->type = "text/css; charset=utf-8";
    return buf_puts(&rep->body, web_stylesheet);
}

/* The search form with no query yet. */
static int home_page(web_reply *rep)
{
    rep->status = 200;
    rep->type = "text/html; charset=utf-8";
    return html_page_begin(&rep->body, "搜索", NULL) |
           buf_puts(&rep->body, "<article class=\"results\"><p>输入查询，例如 "
                                "<a href=\"/search?q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0\">专精特新</a>。"
                                "</p></article>") |
           html_page_end(&rep->body) ? -1 : 0;
}

/* /doc/ID and /file/ID: the id after prefix in path, or 404. */
static int by_id(web_worker *s, const web_request *req, const char *rest, int file, web_reply *rep)
{
    uint64_t id;
    if (web_id_parse(rest, &id) != 0)
        return web_reply_error(rep, 404, 0, "no indexed document has this id");
    int oom = 0;
    /* The engine follows the indexes (the documents kept open are read
     * again when they changed) and marks the query. */
    search_engine *e = site_engine(s, rep, 0, &oom);
    if (!e)
        return oom ? -1 : 0;             /* 503 already in rep */
    if (file)
        return web_file_reply(&s->docs, id, rep);
    return web_doc_page(e, &s->docs, id, web_param_get(req, "q"), rep);
}

/* Answer req into rep on worker s (web_route's work). */
static int route(web_worker *s, const web_request *req, web_reply *rep)
{
    const char *p = req->path;
    if (!strcmp(p, "/style.css"))
        return style_reply(rep);
    if (!strcmp(p, "/help"))
        return help_page(rep);
    if (!strcmp(p, "/") || !strcmp(p, "/search")) {
        const char *q = web_param_get(req, "q");
        if (!q || !*q)
            return home_page(rep);
    }
    int api = !strcmp(p, "/api/search");
    if (api || !strcmp(p, "/") || !strcmp(p, "/search")) {
        int oom;
        search_engine *e = site_engine(s, rep, api, &oom);
        if (!e)
            return oom ? -1 : 0;
        lexicon *lx = api ? NULL : site_lexicon(s, rep, 0, &oom);
        if (oom)
            return -1;
        return api ? web_search_api(e, req, rep) : web_search_page(e, lx, req, rep);
    }
    if (!strcmp(p, "/api/stats"))
        return web_stats_api(s->dirs, s->ndirs, rep);
    api = !strcmp(p, "/api/terms");
    if (api || !strcmp(p, "/terms")) {
        int oom;
        search_engine *e = site_engine(s, rep, api, &oom);
        lexicon *lx = e ? site_lexicon(s, rep, api, &oom) : NULL;
        if (!lx)
            return oom ? -1 : 0;
        return api ? web_terms_api(e, lx, req, rep) : web_terms_page(e, lx, req, rep);
    }
    if (!strcmp(p, "/refs") || !strcmp(p, "/api/refs"))
        return web_refs(s->dirs, s->ndirs, p[1] == 'a', rep);
    if (!strncmp(p, "/doc/", 5))
        return by_id(s, req, p + 5, 0, rep);
    if (!strncmp(p, "/file/", 6))
        return by_id(s, req, p + 6, 1, rep);
    return web_reply_error(rep, 404, !strncmp(p, "/api/", 5), "no such page");
}

/* The calling thread's worker: the one it took on its first request, or
 * the next one free of the site's. */
static web_worker *thread_worker(web_site *s)
{
    web_worker *w = pthread_getspecific(s->key);
    if (!w) {
        w = &s->workers[atomic_fetch_add(&s->next, 1) % s->nworkers];
        (void)pthread_setspecific(s->key, w);   /* on failure: taken again next time, still locked */
    }
    return w;
}

int web_route(web_site *s, const web_request *req, web_reply *rep)
{
    web_worker *w = thread_worker(s);
    pthread_mutex_lock(&w->lock);
    int rc = route(w, req, rep);
    pthread_mutex_unlock(&w->lock);
    return rc;
}
