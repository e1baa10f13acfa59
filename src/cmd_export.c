/* cmd_export.c — `polsearch export`: every paragraph of the index, or a
 * query's matches, one row each with its id (file + paragraph), metadata,
 * region, copy key and whole text, for NVivo, Excel or pandas: options, a
 * loop over the engine's rows (search_export), output. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "cli_filters.h"
#include "output.h"
#include "search.h"
#include "tally.h"

enum export_style { EX_CSV, EX_JSONL };

typedef struct export_opts {
    ps_index_list indexes;           /* -d or $POLSEARCH_INDEX: owns dirs */
    enum export_style style;         /* --csv (default) or --jsonl */
    int          no_bom;             /* --no-bom: CSV without the UTF-8 byte-order mark */
    cli_filters  filters;            /* the search filters */
    const char  *terms_file;         /* --terms: the user's lexicon additions, or NULL */
    int          no_expand;          /* --no-expand */
    int          no_fold;            /* --no-fold */
    buf          query;              /* the query words joined by spaces ("" : every paragraph) */
} export_opts;

/* What the row callback needs. */
typedef struct export_out {
    const export_opts *o;            /* options */
    buf          line;               /* the row being written */
    int          headed;             /* the CSV header was written */
    int          failed;             /* stdout failed (or out of memory) */
} export_out;

#define EXPORT_COLUMNS 17            /* fields of a CSV row */

static const char *const export_head[EXPORT_COLUMNS] = {
    "id", "file", "paragraph", "page", "title", "date", "issuer", "docno", "region", "province", "city",
    "county", "region_code", "format", "ocr", "copy_key", "text"
};

/* Parse options into *o.  Returns -1 to go on, or an exit status. */
static int parse_export_opts(int argc, char **argv, export_opts *o)
{
    int first, status;
    const ps_option opts[] = {
        PS_INDEXES("index to export (repeatable; default $POLSEARCH_INDEX or ./index)", &o->indexes),
        PS_SET_INT(0, "csv", "RFC 4180 CSV with a header, UTF-8 with a byte-order mark (the default:\n"
                   "Excel reads Chinese text right only with it)", &o->style, EX_CSV),
        PS_FLAG(0, "no-bom", "CSV without the byte-order mark", &o->no_bom),
        PS_SET_INT(0, "jsonl", "one JSON object per line (JSON Lines)", &o->style, EX_JSONL),
        CLI_FILTER_OPTIONS(&o->filters),
        PS_STRING(0, "terms", "FILE", "also use the policy terms in FILE", &o->terms_file),
        PS_FLAG(0, "no-expand", "do not expand abbreviations and aliases in the query", &o->no_expand),
        PS_FLAG(0, "no-fold", "traditional and simplified characters do not match each other", &o->no_fold),
        PS_END
    };
    const ps_command cmd = {
        .name = "export", .synopsis = "[-d INDEX] [--csv [--no-bom]|--jsonl] [FILTERS] [QUERY...]",
        .about = "Every paragraph of the index (or, with a QUERY, every match, copies included),\n"
                 "one row each, in file then paragraph order: id (FILE:PARAGRAPH, stable across\n"
                 "re-indexing for unchanged files), file, paragraph, page, title, date, issuer,\n"
                 "docno, region (and its province, city, county, code), format, ocr, copy_key\n"
                 "(equal for copied paragraphs) and the whole text.  Streams: memory does not\n"
                 "grow with the texts.\n",
        .footer = "Exit status: 0 a row written, 1 none, 2 error.\n"
                  "Examples: polsearch export > paragraphs.csv\n"
                  "          polsearch export --jsonl --region 浙江 专精特新 > zj.jsonl\n",
        .opts = opts
    };
    if ((status = ps_options(&cmd, argc, argv, &first)) >= 0)
        return status;
    if (o->no_bom && o->style != EX_CSV)
        return ps_usage_error(&cmd, "--no-bom goes with --csv");
    for (int i = first; i < argc; i++) {
        const char *word = argv[i][0] == '\001' ? argv[i] + 1 : argv[i];
        if ((i > first && buf_putc(&o->query, ' ') != 0) || buf_puts(&o->query, word) != 0) {
            ps_msg("out of memory");
            return EXIT_TROUBLE;
        }
    }
    return -1;
}

/* Write x->line to stdout and empty it.  Returns 0, or 1 (stop) when stdout failed. */
static int flush_row(export_out *x)
{
    if (x->line.len && fwrite(x->line.data, 1, x->line.len, stdout) != x->line.len)
        x->failed = 1;
    buf_clear(&x->line);
    return x->failed;
}

/* With CSV, the byte-order mark (unless --no-bom) and the header, once:
 * at the first row, or at the end for none (so a request the engine
 * refuses writes nothing).  Returns 0, or 1 when stdout failed. */
static int put_head(export_out *x)
{
    if (x->o->style != EX_CSV || x->headed)
        return 0;
    x->headed = 1;
    if ((!x->o->no_bom && buf_puts(&x->line, "\xEF\xBB\xBF") != 0) ||
        out_line(&x->line, export_head, EXPORT_COLUMNS, 1) != 0) {
        errno = ENOMEM;
        return x->failed = 1;
    }
    return flush_row(x);
}

/* The engine's callback: one row.  Returns 0, or 1 to stop. */
static int put_row(void *ctx, const search_hit *hit)
{
    export_out *x = ctx;
    if (put_head(x) != 0)
        return 1;
    const out_result *r = &hit->out;
    const ps_region *g = r->region;
    char id[4200], para[24], page[24] = "", code[16] = "", key[17], region[256];
    snprintf(id, sizeof id, "%s:%u", r->file, r->paragraph);
    snprintf(para, sizeof para, "%u", r->paragraph);
    if (r->page)
        snprintf(page, sizeof page, "%u", r->page);
    if (g->code)
        snprintf(code, sizeof code, "%06d", g->code);
    snprintf(key, sizeof key, "%016" PRIx64, hit->copy_key);
    tally_dim_value(TD_REGION, hit->rec, region, sizeof region);
    const char *fmt = hit->rec->format;
    int rc;
    if (x->o->style == EX_CSV) {
        const char *f[EXPORT_COLUMNS] = {
            id, r->file, para, page, r->title, r->date, r->issuer, r->docno, region, g->province, g->city,
            g->county, code, fmt, r->ocr ? "true" : "false", key, NULL
        };
        /* The text goes in whole (out_field keeps its line breaks inside the quotes). */
        rc = out_line(&x->line, f, EXPORT_COLUMNS - 1, 1);
        if (rc == 0) {
            x->line.len -= 2;       /* the line end, put back after the text */
            rc = buf_putc(&x->line, ',') | out_field(&x->line, r->text, r->text_len, 1) |
                 buf_puts(&x->line, "\r\n");
        }
    } else {
        buf *b = &x->line;
        rc = json_open(b, NULL, '{') | json_str(b, "id", id, strlen(id)) |
             json_str(b, "file", r->file, strlen(r->file)) | json_uint(b, "paragraph", r->paragraph);
        rc |= r->page ? json_uint(b, "page", r->page) : json_null(b, "page");
        rc |= json_str(b, "title", r->title[0] ? r->title : NULL, strlen(r->title)) |
              json_str(b, "date", r->date, r->date ? strlen(r->date) : 0) |
              json_str(b, "issuer", r->issuer, r->issuer ? strlen(r->issuer) : 0) |
              json_str(b, "docno", r->docno, r->docno ? strlen(r->docno) : 0) |
              out_json_region(b, "region", g) | json_str(b, "format", fmt, strlen(fmt)) |
              json_bool(b, "ocr", r->ocr) |
              json_str(b, "copy_key", key, strlen(key)) | json_str(b, "text", r->text, r->text_len) |
              json_close(b, '}') | buf_putc(b, '\n');
    }
    if (rc != 0) {
        errno = ENOMEM;
        return x->failed = 1;
    }
    return flush_row(x);
}

int cmd_export(int argc, char **argv)
{
    export_opts o;
    memset(&o, 0, sizeof o);
    export_out x = { .o = &o, .line = BUF_INIT };
    search_engine *e = NULL;
    ps_err err = PS_ERR_INIT;
    int status = parse_export_opts(argc, argv, &o);
    if (status >= 0)
        goto out;
    status = EXIT_TROUBLE;
    search_open_in in = { .dirs = o.indexes.dirs, .ndirs = o.indexes.n, .terms_file = o.terms_file };
    if (!(e = search_open(&in, &err))) {
        ps_msg("%s", err.msg);
        goto out;
    }
    search_request req = { .query = o.query.data ? o.query.data : "", .no_expand = o.no_expand,
                           .no_fold = o.no_fold };
    cli_filters_apply(&o.filters, &req);
    search_summary sum;
    if (search_export(e, &req, put_row, &x, &sum, &err) != 0) {
        ps_msg("%s", err.msg);
        goto out;
    }
    status = sum.count ? EXIT_MATCH : EXIT_NOMATCH;
    (void)put_head(&x);
    if (x.failed && errno != EPIPE) {
        ps_msg("writing the export: %s", strerror(errno));
        status = EXIT_TROUBLE;
    } else if (x.failed) {
        status = EXIT_MATCH;
    }
out:
    status = ps_flush_status(status);
    buf_free(&x.line);
    search_close(e);
    cli_filters_free(&o.filters);
    ps_index_list_free(&o.indexes);
    buf_free(&o.query);
    return status;
}
