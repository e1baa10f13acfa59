/* web_terms.c — term trends, /api/terms and /api/stats (web_terms.h). */
#include "web_terms.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "stats.h"
#include "tally.h"
#include "termcount.h"
#include "utf8.h"
#include "web_html.h"

/* A terms request, parsed. */
typedef struct terms_req {
    unsigned char  *wanted;          /* wanted[id]: the term is counted (malloc'd) */
    size_t          nwanted;         /* terms given (0: the whole lexicon) */
    enum tally_dim  dims[TALLY_DIMS_MAX]; /* the dimensions */
    size_t          ndims;           /* how many */
    const char     *by;              /* the by parameter as given */
} terms_req;

/* The dimensions the page offers, and their labels. */
static const struct { const char *name, *label; } dim_labels[] = {
    { "year", "年份" }, { "issuer", "发布机构" }, { "region", "地区" }, { "file", "文件" }, { "format", "格式" },
};

/* The label of dimension d. */
static const char *dim_label(enum tally_dim d)
{
    for (size_t i = 0; i < sizeof dim_labels / sizeof *dim_labels; i++)
        if (!strcmp(dim_labels[i].name, tally_dim_name(d)))
            return dim_labels[i].label;
    return tally_dim_name(d);
}

/* Parse r's t and by (default def_by; "" for none) into *tr.  Returns
 * 0, or -1 with err set (PS_USAGE naming the parameter, or PS_NOMEM). */
static int parse_terms(const web_request *r, const lexicon *lx, const char *def_by, terms_req *tr, ps_err *err)
{
    memset(tr, 0, sizeof *tr);
    if (!(tr->wanted = calloc(lex_count(lx) + 1, 1)))
        return ps_err_nomem(err), -1;
    for (size_t i = 0; i < r->nparams; i++) {
        if (strcmp(r->params[i].name, "t") != 0 || !*r->params[i].value)
            continue;
        ps_err terr = PS_ERR_INIT;
        if (termcount_want(lx, r->params[i].value, tr->wanted, &terr) != 0)
            return ps_err_set(err, PS_USAGE, "t: %s", terr.msg), -1;
        tr->nwanted++;
    }
    const char *by = web_param_get(r, "by");
    tr->by = by && *by ? by : def_by;
    ps_err derr = PS_ERR_INIT;
    if (*tr->by && tally_dims_parse(tr->by, tr->dims, &tr->ndims, &derr) != 0)
        return ps_err_set(err, PS_USAGE, "by: %s", derr.msg + (strncmp(derr.msg, "--by: ", 6) ? 0 : 6)), -1;
    return 0;
}

/* Fill rep with err: 400 for the user's mistakes, 503 for the index's
 * (a time limit's too).  Returns 0, or -1 when out of memory. */
static int terms_failed(web_reply *rep, const ps_err *err, int json)
{
    if (err->code == PS_NOMEM)
        return -1;
    return web_reply_error(rep, err->code == PS_USAGE ? 400 : 503, json, err->msg);
}

/* See web_terms.h. */
int web_terms_api(search_engine *e, const lexicon *lx, const web_request *r, web_reply *rep)
{
    terms_req tr;
    ps_err err = PS_ERR_INIT;
    const char *fmt = web_param_get(r, "format"), *v;
    long long top = 10;
    if (parse_terms(r, lx, "", &tr, &err) != 0)
        goto fail;
    if (!tr.nwanted)
        memset(tr.wanted, 1, lex_count(lx));
    enum termcount_style style = !fmt || !*fmt || !strcmp(fmt, "json") ? TC_JSON
                               : !strcmp(fmt, "csv") ? TC_CSV : !strcmp(fmt, "tsv") ? TC_TSV : TC_TEXT;
    if (style == TC_TEXT) {
        ps_err_set(&err, PS_USAGE, "format: '%s' is not json, csv or tsv", fmt);
        goto fail;
    }
    if ((v = web_param_get(r, "n")) && *v && (top = ps_parse_count(v, 1000000)) < 0) {
        ps_err_set(&err, PS_USAGE, "n: '%s' is not a number from 0 to 1000000", v);
        goto fail;
    }
    v = web_param_get(r, "wide");
    int wide = v && strcmp(v, "0") != 0;
    if (wide && style == TC_JSON)
        style = TC_CSV;                  /* as --wide alone is CSV */
    if (style == TC_JSON) {
        term_groups g = TERM_GROUPS_INIT;
        if (termcount_scan(e, lx, tr.wanted, tr.dims, tr.ndims, &g, &err) == 0 &&
            termcount_write_groups(&rep->body, lx, &g, TC_JSON, (size_t)top, 0) != 0)
            ps_err_nomem(&err);
        term_groups_free(&g);
        rep->type = "application/x-ndjson; charset=utf-8";
    } else {
        size_t n = 0;
        int nomem = 0;
        tally *t = termcount_table(e, lx, tr.wanted, tr.dims, tr.ndims, &err);
        const tally_cell *cells = t ? tally_cells(t, &n, &nomem) : NULL;
        if (t && (nomem || termcount_write_table(&rep->body, lx, tr.wanted, tr.dims, tr.ndims, cells, n, style,
                                                 wide) != 0))
            ps_err_nomem(&err);
        tally_free(t);
        rep->type = style == TC_CSV ? "text/csv; charset=utf-8" : "text/tab-separated-values; charset=utf-8";
    }
    if (err.code)
        goto fail;
    free(tr.wanted);
    rep->status = 200;
    return 0;
fail:
    free(tr.wanted);
    buf_clear(&rep->body);
    return terms_failed(rep, &err, 1);
}

/* --- the chart ------------------------------------------------------------- */

/* The chart's frame (SVG user units). */
enum { CW = 760, CH = 360, ML = 64, MR = 16, MT = 44, MB = 86 };

/* What the chart draws: cats categories × ns series. */
typedef struct chart {
    const char **cat;                /* the categories' names (the cells' values) */
    size_t       ncat;               /* categories drawn */
    size_t       series[WEB_TERMS_MAX]; /* the series' lexicon ids */
    size_t       ns;                 /* series */
    uint64_t    *val;                /* val[c * ns + s]: paragraphs */
    uint64_t     max;                /* the largest value */
    int          line;               /* a line chart (years), else bars */
} chart;

/* A round step for an axis up to max (1, 2 or 5 times a power of ten, about 5 ticks). */
static uint64_t nice_step(uint64_t max)
{
    uint64_t step = 1;
    while (step * 5 < max) {
        if (step * 2 * 5 >= max)
            return step * 2;
        if (step * 5 * 5 >= max)
            return step * 5;
        step *= 10;
    }
    return step;
}

/* Append at most maxcp code points of s (escaped), "…" when cut. */
static int put_cut(buf *b, const char *s, size_t maxcp)
{
    size_t i = 0, n = strlen(s), cps = 0;
    while (i < n && cps < maxcp) {
        uint32_t cp;
        int len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        i += len > 0 ? (size_t)len : 1;
        cps++;
    }
    return html_text(b, s, i) | (i < n ? buf_puts(b, "…") : 0);
}

/* Append the SVG of c, its axes labelled with dimension d. */
static int put_chart(buf *b, const lexicon *lx, const chart *c, enum tally_dim d)
{
    const int pw = CW - ML - MR, ph = CH - MT - MB;
    uint64_t step = nice_step(c->max ? c->max : 1);
    uint64_t top = (c->max + step - 1) / step * step;
    if (!top)
        top = step;
    int rc = buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
                           "aria-labelledby=\"chart-title\"><title id=\"chart-title\">按%s的段落数</title>\n",
                        CW, CH, CW, CH, dim_label(d));
    /* The legend: a swatch and the term per series. */
    double lx0 = ML;
    for (size_t s = 0; s < c->ns; s++) {
        const char *term = lex_term(lx, c->series[s]);
        rc |= buf_printf(b, "<rect class=\"key s%zu\" x=\"%.0f\" y=\"12\" width=\"14\" height=\"14\"/>"
                            "<text class=\"legend\" x=\"%.0f\" y=\"24\">", s, lx0, lx0 + 19) |
              put_cut(b, term, 12) | buf_puts(b, "</text>\n");
        size_t cps = utf8_count(term, strlen(term));
        lx0 += 19 + 15.0 * (double)(cps > 12 ? 13 : cps) + 18;
    }
    /* The grid and the y axis's ticks. */
    for (uint64_t y = 0; y <= top; y += step) {
        double py = MT + ph - (double)ph * (double)y / (double)top;
        rc |= buf_printf(b, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                            "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%" PRIu64 "</text>\n",
                         ML, py, ML + pw, py, ML - 6, py + 4, y);
    }
    rc |= buf_printf(b, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                        "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
                     ML, MT, ML, MT + ph, ML, MT + ph, ML + pw, MT + ph);
    rc |= buf_printf(b, "<text class=\"label\" transform=\"rotate(-90 14 %d)\" x=\"14\" y=\"%d\" "
                        "text-anchor=\"middle\">段落数</text>"
                        "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                     MT + ph / 2, MT + ph / 2, ML + pw / 2, c->line ? MT + ph + 44 : CH - 6, dim_label(d));
    /* x positions: points spread over the width, or the middle of each bar group. */
    double slot = c->ncat ? (double)pw / (double)c->ncat : pw;
    size_t every = c->ncat > 16 ? (c->ncat + 15) / 16 : 1;
    for (size_t k = 0; k < c->ncat; k++) {
        double x = ML + slot * ((double)k + 0.5);
        if (k % every)
            continue;
        if (c->line)
            rc |= buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, MT + ph + 18);
        else
            rc |= buf_printf(b, "<text class=\"tick\" transform=\"rotate(-35 %.1f %d)\" x=\"%.1f\" y=\"%d\" "
                                "text-anchor=\"end\">", x, MT + ph + 14, x, MT + ph + 14);
        rc |= put_cut(b, c->cat[k], 10) | buf_puts(b, "</text>\n");
    }
    for (size_t s = 0; s < c->ns; s++) {
        const char *term = lex_term(lx, c->series[s]);
        if (c->line) {
            rc |= buf_printf(b, "<polyline class=\"line s%zu\" points=\"", s);
            for (size_t k = 0; k < c->ncat; k++)
                rc |= buf_printf(b, "%s%.1f,%.1f", k ? " " : "", ML + slot * ((double)k + 0.5),
                                 MT + ph - (double)ph * (double)c->val[k * c->ns + s] / (double)top);
            rc |= buf_puts(b, "\"/>\n");
        }
        for (size_t k = 0; k < c->ncat; k++) {
            uint64_t v = c->val[k * c->ns + s];
            double h = (double)ph * (double)v / (double)top;
            if (c->line) {
                rc |= buf_printf(b, "<circle class=\"dot s%zu\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\">",
                                 s, ML + slot * ((double)k + 0.5), MT + ph - h);
            } else {
                double bw = slot * 0.8 / (double)c->ns;
                rc |= buf_printf(b, "<rect class=\"bar s%zu\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">",
                                 s, ML + slot * ((double)k + 0.1) + bw * (double)s, MT + ph - h, bw, h);
            }
            rc |= buf_puts(b, "<title>") | html_str(b, term) | buf_puts(b, " · ") | html_str(b, c->cat[k]) |
                  buf_printf(b, ": %" PRIu64 "</title>", v) | buf_puts(b, c->line ? "</circle>\n" : "</rect>\n");
        }
    }
    return rc | buf_puts(b, "</svg>\n");
}

/* Fill *c from cells[0..n) (sorted by value, then term) of the terms
 * wanted: every year but "unknown" for a line, else the WEB_CHART_BARS
 * categories with the most paragraphs, most first.  Returns 0, or -1
 * when out of memory. */
static int chart_build(chart *c, const unsigned char *wanted, size_t nterms, enum tally_dim d,
                       const tally_cell *cells, size_t n)
{
    memset(c, 0, sizeof *c);
    for (size_t id = 0; id < nterms && c->ns < WEB_TERMS_MAX; id++)
        if (wanted[id])
            c->series[c->ns++] = id;
    c->line = d == TD_YEAR;
    size_t ncat = 0;
    for (size_t k = 0; k < n; k++)
        ncat += k == 0 || strcmp(cells[k].v[0], cells[k - 1].v[0]) != 0;
    const char **cat = calloc(ncat + 1, sizeof *cat);
    uint64_t *val = calloc((ncat + 1) * (c->ns + 1), sizeof *val), *tot = calloc(ncat + 1, sizeof *tot);
    if (!cat || !val || !tot) {
        free(cat), free(val), free(tot);
        return -1;
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        if (k == 0 || strcmp(cells[k].v[0], cells[k - 1].v[0]) != 0)
            cat[m++] = cells[k].v[0];
        for (size_t s = 0; s < c->ns; s++)
            if (cells[k].term == c->series[s]) {
                val[(m - 1) * c->ns + s] = cells[k].paragraphs;
                tot[m - 1] += cells[k].paragraphs;
            }
    }
    if (c->line && m && !strcmp(cat[m - 1], "unknown"))
        m--;                                 /* no place on a time axis */
    if (!c->line) {
        /* The biggest categories, most paragraphs first (selection: m is small enough). */
        for (size_t i = 0; i < m; i++) {
            size_t best = i;
            for (size_t j = i + 1; j < m; j++)
                if (tot[j] > tot[best])
                    best = j;
            if (best != i) {
                const char *tc = cat[i];
                cat[i] = cat[best], cat[best] = tc;
                uint64_t tt = tot[i];
                tot[i] = tot[best], tot[best] = tt;
                for (size_t s = 0; s < c->ns; s++) {
                    uint64_t tv = val[i * c->ns + s];
                    val[i * c->ns + s] = val[best * c->ns + s], val[best * c->ns + s] = tv;
                }
            }
        }
        if (m > WEB_CHART_BARS)
            m = WEB_CHART_BARS;
    }
    for (size_t i = 0; i < m * c->ns; i++)
        if (val[i] > c->max)
            c->max = val[i];
    free(tot);
    c->cat = cat;
    c->val = val;
    c->ncat = m;
    return 0;
}

/* Append the parameters t=… (each wanted term) and by=… of a trend URL, escaped for an attribute. */
static int put_terms_params(buf *b, const lexicon *lx, const unsigned char *wanted, const char *by)
{
    buf enc = BUF_INIT;
    int rc = 0, first = 1;
    for (size_t id = 0; id < lex_count(lx); id++)
        if (wanted[id]) {
            rc |= url_param(&enc, first, "t", lex_term(lx, id));
            first = 0;
        }
    rc |= url_param(&enc, first, "by", by) | html_str(b, enc.data ? enc.data : "");
    buf_free(&enc);
    return rc;
}

/* Append the form: a box per term (those given and one more), the dimension. */
static int put_form(buf *b, const lexicon *lx, const terms_req *tr, enum tally_dim d)
{
    int rc = buf_puts(b, "<form class=\"terms-form\" action=\"/terms\" method=\"get\">");
    size_t boxes = 0;
    for (size_t id = 0; id < lex_count(lx); id++)
        if (tr->wanted[id] && boxes < WEB_TERMS_MAX) {
            rc |= buf_puts(b, "<input name=\"t\" aria-label=\"term\" value=\"") | html_str(b, lex_term(lx, id)) |
                  buf_puts(b, "\">");
            boxes++;
        }
    if (boxes < WEB_TERMS_MAX)
        rc |= buf_puts(b, "<input name=\"t\" aria-label=\"term\" placeholder=\"政策术语，如 专精特新\">");
    rc |= buf_puts(b, "<select name=\"by\" aria-label=\"dimension\">");
    for (size_t i = 0; i < sizeof dim_labels / sizeof *dim_labels; i++)
        rc |= buf_printf(b, "<option value=\"%s\"%s>%s</option>", dim_labels[i].name,
                         !strcmp(dim_labels[i].name, tally_dim_name(d)) ? " selected" : "", dim_labels[i].label);
    return rc | buf_puts(b, "</select><button type=\"submit\">画图</button></form>\n");
}

/* Append the table of cells[0..n). */
static int put_table(buf *b, const lexicon *lx, enum tally_dim d, const tally_cell *cells, size_t n)
{
    int rc = buf_printf(b, "<table class=\"terms-table\"><thead><tr><th>%s</th><th>术语</th><th>段落</th>"
                           "<th>文件</th><th>次数</th></tr></thead><tbody>\n", dim_label(d));
    for (size_t k = 0; k < n && rc == 0; k++)
        rc |= buf_puts(b, "<tr><td>") | html_str(b, cells[k].v[0]) | buf_puts(b, "</td><td>") |
              html_str(b, lex_term(lx, cells[k].term)) |
              buf_printf(b, "</td><td class=\"n\">%" PRIu64 "</td><td class=\"n\">%" PRIu64 "</td><td class=\"n\">%"
                            PRIu64 "</td></tr>\n", cells[k].paragraphs, cells[k].documents, cells[k].occurrences);
    return rc | buf_puts(b, "</tbody></table>\n");
}

/* See web_terms.h. */
int web_terms_page(search_engine *e, const lexicon *lx, const web_request *r, web_reply *rep)
{
    terms_req tr;
    ps_err err = PS_ERR_INIT;
    buf *b = &rep->body;
    tally *t = NULL;
    chart c;
    memset(&c, 0, sizeof c);
    int rc = 0;
    if (parse_terms(r, lx, "year", &tr, &err) != 0)
        goto fail;
    if (tr.ndims != 1) {
        ps_err_set(&err, PS_USAGE, "by: '%s': the chart takes one dimension (year, issuer, region, file or format)",
                   tr.by);
        goto fail;
    }
    if (tr.nwanted > WEB_TERMS_MAX) {
        ps_err_set(&err, PS_USAGE, "t: at most %d terms in one chart", WEB_TERMS_MAX);
        goto fail;
    }
    enum tally_dim d = tr.dims[0];
    rc = html_page_begin(b, "词频趋势", NULL) | buf_puts(b, "<article class=\"results trend\"><h1>词频趋势</h1>\n") |
         put_form(b, lx, &tr, d);
    if (!tr.nwanted) {
        rc |= buf_puts(b, "<p>输入一个或几个政策术语（<code>polsearch terms</code> 的词表），例如 "
                          "<a href=\"/terms?t=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0&amp;by=year\">专精特新</a>。</p>");
    } else {
        size_t n = 0;
        int nomem = 0;
        const tally_cell *cells = NULL;
        if (!(t = termcount_table(e, lx, tr.wanted, tr.dims, 1, &err)))
            goto fail;
        if (!(cells = tally_cells(t, &n, &nomem)) && nomem)
            goto oom;
        if (chart_build(&c, tr.wanted, lex_count(lx), d, cells, n) != 0)
            goto oom;
        rc |= buf_puts(b, "<p class=\"downloads\">下载：<a href=\"/api/terms?") |
              put_terms_params(b, lx, tr.wanted, tally_dim_name(d)) |
              buf_puts(b, "&amp;format=csv\">CSV</a>（段落、文件、次数，同 <code>terms --csv</code>） · "
                          "<a href=\"/api/terms?") |
              put_terms_params(b, lx, tr.wanted, tally_dim_name(d)) |
              buf_puts(b, "\">JSON</a>（出现次数，同 <code>terms --json</code>）</p>\n");
        if (n) {
            rc |= buf_puts(b, "<figure class=\"chart-box\">") | put_chart(b, lx, &c, d) |
                  buf_printf(b, "<figcaption>每个术语的匹配段落数（副本计入，同 <code>search -c</code>）%s</figcaption>"
                                "</figure>\n",
                             !c.line && c.ncat == WEB_CHART_BARS ? "，图中为段落最多的类别，表中为全部" : "");
            rc |= put_table(b, lx, d, cells, n);
        } else {
            rc |= buf_puts(b, "<p class=\"count\">没有段落含这些术语。</p>");
        }
    }
    rc |= buf_puts(b, "</article>") | html_page_end(b);
    if (rc)
        goto oom;
    rep->status = 200;
    rep->type = "text/html; charset=utf-8";
    free(c.cat), free(c.val);
    tally_free(t);
    free(tr.wanted);
    return 0;
fail:
    free(c.cat), free(c.val);
    tally_free(t);
    free(tr.wanted);
    buf_clear(b);
    return terms_failed(rep, &err, 0);
oom:
    free(c.cat), free(c.val);
    tally_free(t);
    free(tr.wanted);
    return -1;
}

/* See web_terms.h. */
int web_terms_link(buf *b, const lexicon *lx, const char *q)
{
    unsigned char *wanted = calloc(lex_count(lx) + 1, 1);
    ps_err err = PS_ERR_INIT;
    if (!wanted)
        return -1;
    long n = termcount_in_text(lx, q, strlen(q), wanted, &err);
    int rc = n < 0 ? -1 : 0;
    if (n > 0)
        rc = buf_puts(b, "<p class=\"trend-link\"><a id=\"trend\" href=\"/terms?") |
             put_terms_params(b, lx, wanted, "year") | buf_puts(b, "\">这些术语的逐年趋势</a></p>");
    free(wanted);
    return rc;
}

/* See web_terms.h. */
int web_stats_api(const char *const *dirs, size_t n, web_reply *rep)
{
    for (size_t i = 0; i < n; i++) {
        index_stats s;
        ps_err err = PS_ERR_INIT;
        int rc = stats_read(dirs[i], &s, &err);
        if (rc == 0 && stats_write(&rep->body, dirs[i], &s, 1) != 0)
            ps_err_nomem(&err);
        stats_free(&s);
        if (err.code) {
            buf_clear(&rep->body);
            return err.code == PS_NOMEM ? -1 : web_reply_error(rep, 503, 1, err.msg);
        }
    }
    rep->status = 200;
    rep->type = "application/json";
    return 0;
}
