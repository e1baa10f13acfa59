/* web_search.c — the search page and /api/search (web_search.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "output.h"
#include "region.h"
#include "web_doc.h"
#include "web_html.h"
#include "web_search.h"
#include "web_terms.h"

/* The parameters that are the search's state in a URL, in the order links write them. */
static const char *const state_params[] = {
    "q", "n", "year", "since", "until", "issuer", "region", "file", "type", "cites", "no-expand", "no-collapse",
    NULL
};
/* The filters among them, as chips show them. */
static const char *const filter_params[] = {
    "year", "since", "until", "issuer", "region", "file", "type", "cites", "no-expand", "no-collapse", NULL
};

/* A request's search, parsed. */
typedef struct web_query {
    search_request req;              /* what search_run gets */
    char           date_lo[9];       /* since / year, YYYYMMDD or "" */
    char           date_hi[9];       /* until / year, YYYYMMDD or "" */
} web_query;

/* 1 when flag parameter name is on: present and not "0". */
static int flag_on(const web_request *r, const char *name)
{
    const char *v = web_param_get(r, name);
    return v && strcmp(v, "0") != 0;
}

/* A parameter's value, NULL when absent or empty. */
static const char *param(const web_request *r, const char *name)
{
    const char *v = web_param_get(r, name);
    return v && *v ? v : NULL;
}

/* Parse r's parameters into *wq (ranked, n results from start).
 * Returns 0, or -1 with PS_USAGE in err ("NAME: 'VALUE' is not WHAT"). */
static int parse_query(const web_request *r, web_query *wq, ps_err *err)
{
    memset(wq, 0, sizeof *wq);
    search_request *q = &wq->req;
    q->query = param(r, "q");
    if (!q->query)
        return ps_err_set(err, PS_USAGE, "no query given: add q=… to the URL"), -1;
    const char *v;
    long long n = 10, start = 0, year;
    if ((v = param(r, "n")) && (n = ps_parse_count(v, WEB_MAX_N)) < 1)
        return ps_err_set(err, PS_USAGE, "n: '%s' is not a number from 1 to %d", v, WEB_MAX_N), -1;
    if ((v = param(r, "start")) && (start = ps_parse_count(v, 1000000)) < 0)
        return ps_err_set(err, PS_USAGE, "start: '%s' is not a number from 0 to 1000000", v), -1;
    if ((v = param(r, "year"))) {
        if ((year = ps_parse_count(v, 9999)) < 1000)
            return ps_err_set(err, PS_USAGE, "year: '%s' is not a year", v), -1;
        snprintf(wq->date_lo, sizeof wq->date_lo, "%04d0101", (int)year);
        snprintf(wq->date_hi, sizeof wq->date_hi, "%04d1231", (int)year);
    }
    if ((v = param(r, "since")) && ps_parse_date(v, wq->date_lo) != 0)
        return ps_err_set(err, PS_USAGE, "since: '%s' is not a date (YYYY-MM-DD)", v), -1;
    if ((v = param(r, "until")) && ps_parse_date(v, wq->date_hi) != 0)
        return ps_err_set(err, PS_USAGE, "until: '%s' is not a date (YYYY-MM-DD)", v), -1;
    q->mode = SEARCH_RANKED;
    q->limit = (uint64_t)n;
    q->start = (uint64_t)start;
    q->date_lo = wq->date_lo[0] ? wq->date_lo : NULL;
    q->date_hi = wq->date_hi[0] ? wq->date_hi : NULL;
    q->issuer = param(r, "issuer");
    q->region = param(r, "region");
    q->file_glob = param(r, "file");
    q->type = param(r, "type");
    q->cites = param(r, "cites");
    q->no_expand = flag_on(r, "no-expand");
    q->no_collapse = flag_on(r, "no-collapse");
    return 0;
}

/* Fill rep with err from parsing or running a search: 400 for the user's
 * mistakes, 503 for the index's.  Returns 0, or -1 when out of memory. */
static int search_failed(web_reply *rep, const ps_err *err, int json)
{
    if (err->code == PS_NOMEM)
        return -1;
    return web_reply_error(rep, err->code == PS_USAGE ? 400 : 503, json, err->msg);
}

/* --- /api/search ------------------------------------------------------------------- */

/* search_hit_fn: one result as search --json writes it.  Returns 0, or 1
 * when the stream failed (out of memory). */
static int json_hit(void *ctx, const search_hit *hit)
{
    return out_json(ctx, &hit->out) != 0;
}

int web_search_api(search_engine *e, const web_request *r, web_reply *rep)
{
    web_query wq;
    ps_err err = PS_ERR_INIT;
    if (parse_query(r, &wq, &err) != 0)
        return search_failed(rep, &err, 1);
    char *data = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&data, &len);
    if (!fp)
        return -1;
    search_summary sum;
    int rc = search_run(e, &wq.req, json_hit, fp, &sum, &err);
    int failed = fclose(fp) != 0 || (rc == 0 && sum.stopped);
    if (rc == 0 && !failed) {
        rep->status = 200;
        rep->type = "application/x-ndjson; charset=utf-8";
        failed = buf_append(&rep->body, data, len) != 0;
    }
    free(data);
    if (failed)
        return -1;
    return rc == 0 ? 0 : search_failed(rep, &err, 1);
}

/* --- links ---------------------------------------------------------------------------- */

/* Append to b the URL path?… of the search state of r, with parameter
 * drop left out (NULL: none) and add=value added (add NULL: nothing), and
 * start=start when start > 0. */
static int state_url(buf *b, const char *path, const web_request *r, const char *drop, const char *add,
                     const char *value, uint64_t start)
{
    int first = 1, rc = buf_puts(b, path) | buf_putc(b, '?');
    for (size_t i = 0; state_params[i]; i++) {
        const char *name = state_params[i], *v = web_param_get(r, name);
        if (add && !strcmp(name, add))
            v = value;
        else if (drop && !strcmp(name, drop))
            v = NULL;
        if (!v)
            continue;
        buf enc = BUF_INIT;
        rc |= url_param(&enc, first, name, v) | html_str(b, enc.data);
        buf_free(&enc);
        first = 0;
    }
    if (start)
        rc |= buf_printf(b, "&amp;start=%" PRIu64, start);
    return rc;
}

/* --- facets --------------------------------------------------------------------------- */

/* One value of a facet and the matching paragraphs that have it. */
typedef struct facet_value {
    char    *value;                  /* the value (malloc'd) */
    uint64_t count;                  /* matching paragraphs with it */
} facet_value;

/* The values of one facet. */
typedef struct facet {
    facet_value *v;                  /* the values */
    size_t       n;                  /* values in use */
    size_t       cap;                /* values allocated */
} facet;

/* One region (region_of) and the matching paragraphs of documents from it. */
typedef struct region_count {
    ps_region region;                /* the region (names in the gazetteer's table) */
    uint64_t  count;                 /* matching paragraphs from it */
} region_count;

/* What the facet pass tallies. */
typedef struct facets {
    facet    format;                 /* source formats */
    facet    year;                   /* years of the documents' dates */
    facet    issuer;                 /* issuing bodies */
    region_count *regions;           /* the known regions of the matching documents */
    size_t   nregions;               /* regions in use */
    size_t   capregions;             /* regions allocated */
    uint64_t seen;                   /* matching paragraphs tallied */
    int      oom;                    /* memory ran out */
} facets;

/* Count n paragraphs with value v[0..len) in f.  Returns 0, or -1 when out of memory. */
static int facet_add(facet *f, const char *v, size_t len, uint64_t n)
{
    for (size_t i = 0; i < f->n; i++)
        if (strlen(f->v[i].value) == len && !memcmp(f->v[i].value, v, len))
            return f->v[i].count += n, 0;
    if (buf_grow_array((void **)&f->v, &f->cap, f->n + 1, sizeof *f->v) != 0)
        return -1;
    if (!(f->v[f->n].value = strndup(v, len)))
        return -1;
    f->v[f->n++].count = n;
    return 0;
}

/* Free a facet's values. */
static void facet_free(facet *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].value);
    free(f->v);
}

/* Free the values of every facet of fs. */
static void facets_free(facets *fs)
{
    facet_free(&fs->format);
    facet_free(&fs->year);
    facet_free(&fs->issuer);
    free(fs->regions);
}

/* 1 when the names a and b (either may be NULL) are the same. */
static int same_name(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Count n paragraphs from region r (unknown ones are not tallied).
 * Returns 0, or -1 when out of memory. */
static int region_add(facets *fs, const ps_region *r, uint64_t n)
{
    if (!r->province)
        return 0;
    for (size_t i = 0; i < fs->nregions; i++) {
        const ps_region *x = &fs->regions[i].region;
        if (x->code == r->code && same_name(x->province, r->province) && same_name(x->city, r->city) &&
            same_name(x->county, r->county))
            return fs->regions[i].count += n, 0;
    }
    if (buf_grow_array((void **)&fs->regions, &fs->capregions, fs->nregions + 1, sizeof *fs->regions) != 0)
        return -1;
    fs->regions[fs->nregions++] = (region_count){ *r, n };
    return 0;
}

/* The region facet of the regions tallied in fs into *f: each province
 * and city they name, counted as the region filter selects (region_matches
 * of every tallied region), so a link's count is its page's.  Returns 0,
 * or -1 when out of memory. */
static int region_facet(const facets *fs, facet *f)
{
    for (size_t i = 0; i < fs->nregions; i++) {
        const char *names[2] = { fs->regions[i].region.province, fs->regions[i].region.city };
        for (int k = 0; k < 2; k++) {
            if (!names[k])
                continue;
            size_t j = 0;
            while (j < f->n && strcmp(f->v[j].value, names[k]) != 0)
                j++;
            if (j < f->n)
                continue;            /* counted already */
            if (facet_add(f, names[k], strlen(names[k]), 0) != 0)
                return -1;
            for (size_t r = 0; r < fs->nregions; r++)
                if (region_matches(&fs->regions[r].region, names[k]))
                    f->v[j].count += fs->regions[r].count;
        }
    }
    return 0;
}

/* Tally n matching paragraphs of the file whose record is rec.  Returns
 * 0, or 1 to stop when memory ran out. */
static int facet_file(void *ctx, const para_rec *rec, uint64_t n)
{
    facets *fs = ctx;
    const char *fmt = rec->format && *rec->format ? rec->format : "text";
    if (facet_add(&fs->format, fmt, strlen(fmt), n) != 0 ||
        (strlen(rec->date) >= 4 && facet_add(&fs->year, rec->date, 4, n) != 0) ||
        (*rec->issuer && facet_add(&fs->issuer, rec->issuer, strlen(rec->issuer), n) != 0))
        fs->oom = 1;
    ps_region reg;
    region_of(&(region_src){ .issuer = rec->issuer, .title = rec->title, .docno = rec->docno }, &reg);
    if (!fs->oom && region_add(fs, &reg, n) != 0)
        fs->oom = 1;
    fs->seen += n;
    return fs->oom;
}

/* search_hit_fn: tally one matching paragraph (its file's fields).
 * Returns 0, or 1 to stop when memory ran out. */
static int facet_hit(void *ctx, const search_hit *hit)
{
    return facet_file(ctx, hit->rec, 1);
}

/* The issuer filter keeps documents whose issuer contains the value, so
 * each issuer's count becomes that of every issuer containing it: the
 * count the link's page has. */
static void issuer_counts(facet *f)
{
    uint64_t *sum = calloc(f->n ? f->n : 1, sizeof *sum);
    if (!sum)
        return;
    for (size_t i = 0; i < f->n; i++)
        for (size_t j = 0; j < f->n; j++)
            if (strstr(f->v[j].value, f->v[i].value))
                sum[i] += f->v[j].count;
    for (size_t i = 0; i < f->n; i++)
        f->v[i].count = sum[i];
    free(sum);
}

/* qsort orders: by count, most first, then by value; years newest first. */
static int by_count(const void *a, const void *b)
{
    const facet_value *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}
static int by_value_desc(const void *a, const void *b)
{
    return strcmp(((const facet_value *)b)->value, ((const facet_value *)a)->value);
}

/* Append facet f under heading label, each value a link adding filter
 * name=value to r's state, at most 12 values. */
static int put_facet(buf *b, const web_request *r, const char *label, const char *name, facet *f,
                     int (*order)(const void *, const void *))
{
    if (!f->n)
        return 0;
    qsort(f->v, f->n, sizeof *f->v, order);
    int rc = buf_printf(b, "<h3>%s</h3><ul class=\"facet\" data-facet=\"%s\">", label, name);
    for (size_t i = 0; i < f->n && i < 12; i++) {
        rc |= buf_puts(b, "<li><a href=\"") | state_url(b, "/search", r, NULL, name, f->v[i].value, 0) |
              buf_puts(b, "\">") | html_str(b, f->v[i].value) |
              buf_printf(b, "</a> <span class=\"count\">%" PRIu64 "</span></li>", f->v[i].count);
    }
    return rc | buf_puts(b, "</ul>");
}

/* Count the facets of wq's search on e into *fs, exactly: per file
 * without reading a paragraph (search_count_files), or, for a query whose
 * text is checked, over every matching paragraph, read as `search -c`
 * reads them.  fs->seen is then the page's count.  Returns 0, or -1 with
 * the error in *err (fs->oom when memory ran out in a tally). */
static int count_facets(search_engine *e, const web_query *wq, facets *fs, ps_err *err)
{
    search_request fq = wq->req;
    fq.limit = SEARCH_ALL;
    fq.start = 0;
    fq.more = 0;
    fq.no_collapse = 1;                  /* every paragraph, as search -c counts them */
    fq.bare = 1;                         /* no spans or snippets: only the fields tallied */
    memset(fs, 0, sizeof *fs);
    search_summary sum;
    int got = search_count_files(e, &fq, facet_file, fs, err);
    if (got == 1)
        got = search_run(e, &fq, facet_hit, fs, &sum, err);
    if (got == 0 && fs->oom)
        got = (ps_err_nomem(err), -1);
    return got;
}

/* Append the facets of fs to b, each value a link adding its filter to
 * r's state, and free them.  Returns 0, or -1 when out of memory. */
static int put_facets(buf *b, const web_request *r, facets *fs)
{
    issuer_counts(&fs->issuer);
    facet region = { 0 };
    int rc = region_facet(fs, &region) |
             buf_puts(b, "<aside class=\"facets\">") |
             put_facet(b, r, "格式", "type", &fs->format, by_count) |
             put_facet(b, r, "年份", "year", &fs->year, by_value_desc) |
             put_facet(b, r, "发布机构", "issuer", &fs->issuer, by_count) |
             put_facet(b, r, "地区", "region", &region, by_count) | buf_puts(b, "</aside>");
    facet_free(&region);
    facets_free(fs);
    return rc;
}

/* --- the page ------------------------------------------------------------------------- */

/* What html_hit writes with. */
typedef struct page_out {
    buf              *b;             /* the page */
    const web_request *r;            /* the request (for q in links) */
    int               oom;           /* memory ran out */
} page_out;

/* Append the opening <a> of a link to paragraph para of file's document
 * view, the query's matches marked there. */
static int put_doc_href(buf *b, const web_request *r, const char *file, unsigned para)
{
    char id[17];
    web_id_of(file, id);
    const char *q = web_param_get(r, "q");
    buf enc = BUF_INIT;
    int rc = buf_printf(b, "<a href=\"/doc/%s?", id) | url_param(&enc, 1, "q", q ? q : "") |
             html_str(b, enc.data) | buf_printf(b, "#p%u\">", para);
    buf_free(&enc);
    return rc;
}

/* Append a link to paragraph para of file's document view, text file:para. */
static int put_para_link(buf *b, const web_request *r, const char *file, unsigned para)
{
    return put_doc_href(b, r, file, para) | html_str(b, file) | buf_printf(b, ":%u</a>", para);
}

/* search_hit_fn: one result as an HTML list item.  Returns 0, or 1 to
 * stop when memory ran out. */
static int html_hit(void *ctx, const search_hit *hit)
{
    page_out *po = ctx;
    buf *b = po->b;
    const out_result *o = &hit->out;
    int rc = buf_puts(b, "<li class=\"hit\"><h2>") | put_doc_href(b, po->r, o->file, o->paragraph) |
             html_str(b, o->title && *o->title ? o->title : o->file) |
          buf_puts(b, "</a></h2><div class=\"meta\">") | put_para_link(b, po->r, o->file, o->paragraph);
    if (o->page)
        rc |= buf_printf(b, " · p. %u", o->page);
    if (o->ocr)
        rc |= buf_puts(b, " · OCR");
    if (o->date)
        rc |= buf_puts(b, " · ") | html_str(b, o->date);
    if (o->issuer)
        rc |= buf_puts(b, " · ") | html_str(b, o->issuer);
    rc |= buf_printf(b, " · <span class=\"score\">%.2f</span></div><p class=\"snippet\">", o->score) |
          html_marked(b, o->snip->text, o->snip->len, &o->snip->hl) | buf_puts(b, "</p>");
    if (o->collapsed && o->ndups) {
        rc |= buf_printf(b, "<details><summary>另见 %zu 处</summary><ul>", o->ndups);
        for (size_t i = 0; i < o->ndups; i++)
            rc |= buf_puts(b, "<li>") | put_para_link(b, po->r, o->dups[i].file, o->dups[i].paragraph) |
                  buf_puts(b, "</li>");
        rc |= buf_puts(b, "</ul></details>");
    }
    rc |= buf_puts(b, "</li>\n");
    po->oom = rc != 0;
    return po->oom;
}

/* Append the active filters of r as chips, each a link to the search without it. */
static int put_chips(buf *b, const web_request *r)
{
    int rc = 0, any = 0;
    for (size_t i = 0; filter_params[i]; i++) {
        const char *v = web_param_get(r, filter_params[i]);
        if (!v)
            continue;
        rc |= buf_puts(b, any ? "" : "<p class=\"chips\">") | buf_puts(b, "<a class=\"chip\" href=\"") |
              state_url(b, "/search", r, filter_params[i], NULL, NULL, 0) |
              buf_printf(b, "\" title=\"去掉\">%s: ", filter_params[i]) | html_str(b, v) | buf_puts(b, " ×</a>");
        any = 1;
    }
    return rc | buf_puts(b, any ? "</p>" : "");
}

int web_search_page(search_engine *e, const lexicon *lx, const web_request *r, web_reply *rep)
{
    web_query wq;
    ps_err err = PS_ERR_INIT;
    if (parse_query(r, &wq, &err) != 0)
        return search_failed(rep, &err, 0);
    /* The facets first: their tally is the count, the paragraphs search -c counts. */
    facets fs;
    if (count_facets(e, &wq, &fs, &err) != 0) {
        facets_free(&fs);
        return search_failed(rep, &err, 0);
    }
    search_summary sum;
    buf *b = &rep->body;
    wq.req.more = 1;
    page_out po = { .b = b, .r = r };
    int rc = html_page_begin(b, wq.req.query, wq.req.query) | buf_puts(b, "<section class=\"results\">") |
             buf_printf(b, "<p class=\"summary\"><span id=\"count\">%" PRIu64 "</span> 个段落匹配</p>",
                        fs.seen) |
             put_chips(b, r) | (lx ? web_terms_link(b, lx, wq.req.query) : 0) |
             buf_printf(b, "<ol class=\"hits\" start=\"%" PRIu64 "\">\n", wq.req.start + 1);
    if (rc != 0 || search_run(e, &wq.req, html_hit, &po, &sum, &err) != 0 || po.oom) {
        facets_free(&fs);
        buf_clear(b);
        return rc || po.oom ? -1 : search_failed(rep, &err, 0);
    }
    rc |= buf_puts(b, "</ol><nav class=\"pager\">");
    if (wq.req.start > 0) {
        uint64_t prev = wq.req.start > wq.req.limit ? wq.req.start - wq.req.limit : 0;
        rc |= buf_puts(b, "<a rel=\"prev\" href=\"") | state_url(b, "/search", r, NULL, NULL, NULL, prev) |
              buf_puts(b, "\">上一页</a>");
    }
    if (sum.more)
        rc |= buf_puts(b, "<a rel=\"next\" href=\"") |
              state_url(b, "/search", r, NULL, NULL, NULL, wq.req.start + wq.req.limit) |
              buf_puts(b, "\">下一页</a>");
    rc |= buf_puts(b, "</nav></section>") | put_facets(b, r, &fs) | html_page_end(b);
    rep->status = 200;
    rep->type = "text/html; charset=utf-8";
    return rc ? -1 : 0;
}
