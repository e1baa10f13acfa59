/* cmd_search.c — `polsearch search`: options, then for each query a search
 * (search.h) whose results are written as the options say (output.h). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "cli_filters.h"
#include "output.h"
#include "query.h"
#include "search.h"

enum out_style { STYLE_HUMAN, STYLE_JSON, STYLE_TSV, STYLE_CSV, STYLE_FORMAT, STYLE_KWIC };

typedef struct search_opts {
    unsigned     limit;              /* at most this many results (-n) */
    int          limit_given;        /* -n was given */
    int          all;                /* --all: every result */
    enum out_style style;            /* how ranked results are written */
    int          excel;              /* --excel: CSV with a byte-order mark */
    const char  *format;             /* --format template */
    unsigned     kwic_context;       /* --kwic: characters of context */
    int          null_sep;           /* -0: NUL after each -l file name */
    int          allow_partial;      /* --allow-partial: search the indexes that answer */
    int          from_stdin;         /* queries come one per line from stdin */
    ps_index_list indexes;           /* -d or $POLSEARCH_INDEX: owns dirs */
    enum search_mode mode;           /* ranked results, -l or -c */
    int          color;              /* colour the output */
    unsigned     timeout_ms;         /* remote timeout */
    cli_filters  filters;            /* --year, --since, --until, --issuer, --file, --type, --cites, --region */
    const char  *terms_file;         /* --terms: the user's lexicon additions, or NULL */
    int          no_expand;          /* --no-expand: no synonym expansion */
    int          no_fold;            /* --no-fold: traditional and simplified do not match each other */
    int          no_boost;           /* --no-boost: plain BM25, no policy or heading boost */
    int          explain;            /* --explain: show the parts of each score */
    int          no_collapse;        /* --no-collapse: copies of a paragraph are results of their own */
    const char  *similar_to;         /* --similar-to FILE:PARAGRAPH instead of a query, or NULL */
    double       similar_min;        /* --similar-min: the least similarity (default 0.2) */
    buf          query;              /* the query words joined by spaces */
} search_opts;

/* What the output callback needs. */
typedef struct search_out {
    const search_opts *o;            /* options */
    const char  *query;              /* the query being run */
    int          out_failed;         /* stdout is gone */
    int          out_nomem;          /* a result could not be written: out of memory */
} search_out;

/* --- options ------------------------------------------------------------------- */

/* What a search_value callback sets: the option's ival. */
enum { SV_LIMIT, SV_FORMAT, SV_KWIC, SV_TIMEOUT, SV_SIMILAR_MIN };

/* The options of search that set more than one field, or a field that is
 * not a plain int or string: opt->ival says which (SV_*), opt->value is
 * the search_opts.  Returns 0, or -1 with err set. */
static int search_value(const ps_option *opt, const char *name, const char *arg, ps_err *err)
{
    search_opts *o = opt->value;
    long long v = 0;
    if (opt->what && arg && ps_opt_count(opt, name, arg, &v, err) != 0)
        return -1;
    switch (opt->ival) {
    case SV_LIMIT: o->limit = (unsigned)v; o->limit_given = 1; break;
    case SV_FORMAT: o->style = STYLE_FORMAT; o->format = arg; break;
    case SV_KWIC: o->style = STYLE_KWIC; o->kwic_context = arg ? (unsigned)v : 20; break;
    case SV_TIMEOUT: o->timeout_ms = (unsigned)v; break;
    case SV_SIMILAR_MIN:
        return ps_opt_fraction(name, arg, &o->similar_min, err);
    }
    return 0;
}

/* An option of search handled by search_value: code is its SV_*; a
 * numeric one gives its range and what a value must be (else NULL). */
#define SEARCH_VALUE(s, l, a, h, code, lo, hi, w) \
    { .kind = PS_OPT_CALLBACK, .short_name = (s), .long_name = (l), .argh = (a), .help = (h), \
      .value = o, .fn = search_value, .ival = (code), .min = (lo), .max = (hi), .what = (w) }

/* The query from the operands argv[first..argc-1] (a protected negation
 * loses its mark), or from stdin: '-', or none with a pipe on stdin.
 * Returns -1 to go on, or an exit status after a message. */
static int gather_query(int argc, char **argv, int first, search_opts *o)
{
    if (o->similar_to && argc > first) {
        ps_msg("--similar-to takes the place of a query; see 'polsearch search --help'");
        return EXIT_TROUBLE;
    }
    if (o->similar_to)
        return -1;
    for (int i = first; i < argc; i++) {
        const char *word = argv[i][0] == '\001' ? argv[i] + 1 : argv[i];
        if ((i > first && buf_putc(&o->query, ' ') != 0) || buf_puts(&o->query, word) != 0)
            return EXIT_TROUBLE;
    }
    struct stat in;
    int piped = fstat(STDIN_FILENO, &in) == 0 && (S_ISFIFO(in.st_mode) || S_ISREG(in.st_mode));
    if ((o->query.len == 1 && o->query.data[0] == '-') || (o->query.len == 0 && piped))
        o->from_stdin = 1;
    else if (o->query.len == 0) {
        ps_msg("no query given; see 'polsearch search --help'");
        return EXIT_TROUBLE;
    }
    return -1;
}

/* Parse options into *o.  Returns -1 to go on, or an exit status. */
static int parse_search_opts(int argc, char **argv, search_opts *o)
{
    int first;
    const ps_option opts[] = {
        PS_INDEXES("index to search (repeatable; default $POLSEARCH_INDEX or ./index)", &o->indexes),
        SEARCH_VALUE('n', "max-count", "N", "at most N results (default 10)", SV_LIMIT, 0, UINT_MAX, "a number"),
        PS_FLAG(0, "all", "every result", &o->all),
        PS_SET_INT(0, "json", "one JSON object per line (JSON Lines)", &o->style, STYLE_JSON),
        PS_SET_INT(0, "tsv", "one tab-separated line per result: rank score file paragraph\n"
                   "title date issuer snippet page", &o->style, STYLE_TSV),
        PS_SET_INT(0, "csv", "the same columns as RFC 4180 CSV with a header (--excel: with BOM)",
                   &o->style, STYLE_CSV),
        PS_FLAG(0, "excel", NULL, &o->excel),
        SEARCH_VALUE(0, "format", "TMPL", "each result through TMPL: {rank} {score} {file} {paragraph}\n"
                     "{page} {title} {date} {issuer} {docno} {snippet} {text} {query}, \\t \\n",
                     SV_FORMAT, 0, 0, NULL),
        { .kind = PS_OPT_CALLBACK, .long_name = "kwic", .argh = "N", .flags = PS_OPT_OPTARG,
          .help = "concordance: each match with N characters of context (20)", .value = o,
          .fn = search_value, .ival = SV_KWIC, .min = 1, .max = 1000, .what = "a number of characters" },
        PS_FLAG('0', "null", "with -l: end file names with NUL (for xargs -0)", &o->null_sep),
        PS_SET_INT('l', "files", "each matching file once, in rank order", &o->mode, SEARCH_FILES),
        PS_SET_INT(0, "files-with-matches", NULL, &o->mode, SEARCH_FILES),
        PS_SET_INT('c', "count", "the exact number of matching paragraphs", &o->mode, SEARCH_COUNT),
        PS_COLOR("color", "auto (default), always or never", &o->color),
        PS_COLOR("colour", NULL, &o->color),
        CLI_FILTER_OPTIONS(&o->filters),
        SEARCH_VALUE(0, "timeout", "MS", "remote index timeout (default 10000)", SV_TIMEOUT,
                     1, 3600000, "a number of milliseconds"),
        PS_FLAG(0, "allow-partial", "with several indexes: search those that answer, warn about the rest",
                &o->allow_partial),
        PS_STRING(0, "terms", "FILE", "also use the policy terms in FILE", &o->terms_file),
        PS_FLAG(0, "no-expand", "do not expand abbreviations and aliases (高企 -> 高新技术企业)", &o->no_expand),
        PS_FLAG(0, "no-fold", "traditional and simplified characters do not match each other\n"
                "(價值 finds 價值 only; by default it finds 价值 too)", &o->no_fold),
        PS_FLAG(0, "no-boost", "plain BM25: no policy-term or heading boost", &o->no_boost),
        PS_FLAG(0, "explain", "show the parts of each score", &o->explain),
        PS_FLAG(0, "no-collapse", "list copies of a paragraph (the same text after normalisation)\n"
                "one by one instead of once with where else they occur", &o->no_collapse),
        PS_STRING(0, "similar-to", "FILE:PARAGRAPH", "instead of a query: paragraphs of other documents\n"
                  "similar to that one (polsearch similar), the similarity as score", &o->similar_to),
        SEARCH_VALUE(0, "similar-min", "S", "with --similar-to: similarities of S or more (default 0.2)",
                     SV_SIMILAR_MIN, 0, 0, NULL),
        PS_END
    };
    const ps_command cmd = {
        .name = "search", .synopsis = "[-d INDEX] [OPTIONS] QUERY...",
        .about = "Ranked paragraphs that contain the query, with highlighted snippets.\n"
                 "A run of Chinese characters is an exact phrase; parts separated by spaces must\n"
                 "all match; A OR B; -word or NOT word excludes; \"quoted phrase\" keeps spaces.\n",
        .footer = "QUERY '-' (or none, with a pipe on stdin): one query per line from stdin.\n"
                  "Exit status: 0 results, 1 none, 2 error.\n"
                  "Example: polsearch search 专精特新 研发投入\n",
        .opts = opts
    };
    int status;
    if ((status = ps_options(&cmd, argc, argv, &first)) >= 0)
        return status;
    return gather_query(argc, argv, first, o);
}

/* --- running ------------------------------------------------------------------ */

/* The search callback: write one result as the options say (-l: its
 * file).  Returns 0, or 1 when stdout failed (the search stops). */
static int print_hit(void *ctx, const search_hit *hit)
{
    search_out *so = ctx;
    const search_opts *o = so->o;
    out_result res = hit->out;
    res.query = o->from_stdin ? so->query : NULL;
    int rc;
    if (o->mode == SEARCH_FILES)
        rc = printf("%s%c", res.file, o->null_sep ? '\0' : '\n') < 0 ? -1 : 0;
    else switch (o->style) {
    case STYLE_JSON: rc = out_json(stdout, &res); break;
    case STYLE_TSV: rc = out_tsv(stdout, &res); break;
    case STYLE_CSV: rc = out_csv(stdout, &res); break;
    case STYLE_FORMAT: rc = out_format(stdout, &res, o->format); break;
    case STYLE_KWIC: rc = out_kwic(stdout, &res, o->kwic_context, o->color); break;
    default: rc = out_human(stdout, &res, o->color); break;
    }
    if (rc == 0 && fflush(stdout) != 0)
        rc = -1;
    /* The writers fail for a stdout that fails (its error flag set) or
     * for memory: the first ends the output quietly, the second is a
     * failure (results would be missing with a clean exit). */
    if (rc != 0 && ferror(stdout))
        so->out_failed = 1;
    else if (rc != 0 && !so->out_nomem) {
        ps_msg("out of memory");
        so->out_nomem = 1;
    }
    return rc != 0;
}

/* -c --json --similar-to: {"count":N,"lower_bound":true}: the results among the candidates
 * (search.h, similar_to); a paragraph similar enough that shares none of their query terms,
 * or ranks past the candidates Xapian hands back, is not counted, so the whole index may hold
 * more.  Returns 0, or -1 after a message. */
static int put_similar_count(uint64_t count)
{
    buf b = BUF_INIT;
    int rc = json_open(&b, NULL, '{') | json_uint(&b, "count", count) |
             json_bool(&b, "lower_bound", 1) | json_close(&b, '}') | buf_putc(&b, '\n');
    if (rc != 0)
        ps_msg("out of memory");
    else if (fwrite(b.data, 1, b.len, stdout) != b.len)
        rc = 0;                     /* as for printf: the exit tail's fflush reports a failed stdout */
    buf_free(&b);
    return rc ? -1 : 0;
}

/* Run one query on e and write its results (-c: its count).  Returns 0
 * (*found: results there were), or -1 after a message. */
static int run_query(search_engine *e, search_out *so, const char *query, size_t len, uint64_t *found)
{
    const search_opts *o = so->o;
    uint64_t want = o->all ? SEARCH_ALL : o->limit;
    if (o->mode == SEARCH_COUNT || (o->mode == SEARCH_FILES && !o->limit_given))
        want = SEARCH_ALL;
    search_request req = {
        .query = query, .query_len = len, .mode = o->mode, .limit = want,
        .no_expand = o->no_expand, .no_fold = o->no_fold, .no_boost = o->no_boost,
        .no_collapse = o->no_collapse, .explain = o->explain,
        .similar_to = o->similar_to, .similar_min = o->similar_min
    };
    cli_filters_apply(&o->filters, &req);
    search_summary sum;
    ps_err err = PS_ERR_INIT;
    so->query = query;
    int rc = search_run(e, &req, print_hit, so, &sum, &err);
    *found = sum.count;
    if (rc != 0) {
        ps_msg("%s", err.msg);
        return -1;
    }
    if (o->mode == SEARCH_COUNT && o->similar_to && o->style == STYLE_JSON)
        return put_similar_count(sum.count);
    if (o->mode == SEARCH_COUNT) {
        if (o->from_stdin)
            printf("%s\t%" PRIu64 "\n", query, sum.count);
        else
            printf("%" PRIu64 "\n", sum.count);
    }
    return 0;
}

/* Open the indexes; with --allow-partial, those that do not open are
 * left out with a warning.  Returns NULL after a message. */
static search_engine *open_engine(const search_opts *o)
{
    ps_err err = PS_ERR_INIT;
    buf left = BUF_INIT;
    search_open_in in = { .dirs = o->indexes.dirs, .ndirs = o->indexes.n, .timeout_ms = o->timeout_ms,
                          .allow_partial = o->allow_partial, .terms_file = o->terms_file,
                          .left_out = &left };
    search_engine *e = search_open(&in, &err);
    for (char *line = left.data, *nl; line && *line; line = nl + 1) {
        nl = strchr(line, '\n');
        *nl = '\0';
        ps_msg("warning: %s (left out: --allow-partial)", line);
    }
    if (!e)
        ps_msg("%s", err.msg);
    buf_free(&left);
    return e;
}

/* Run the queries of stdin, one a line, until it ends or stdout fails.
 * Returns 0, or -1 when one failed (after its message); *any: whether one
 * had a result. */
static int run_stdin(search_engine *e, search_out *so, int *any)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int failed = 0;
    while (!so->out_failed && !so->out_nomem && (n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        if (so->o->style == STYLE_HUMAN && so->o->mode == SEARCH_RANKED)
            printf("# %s\n\n", line);
        uint64_t found;
        failed |= run_query(e, so, line, (size_t)n, &found) != 0;
        *any |= found > 0;
    }
    free(line);
    return failed ? -1 : 0;
}

int cmd_search(int argc, char **argv)
{
    search_opts o;
    memset(&o, 0, sizeof o);
    o.limit = 10;
    o.similar_min = 0.2;
    search_out so = { .o = &o };
    search_engine *e = NULL;
    char **args = pq_protect_negations(argc, argv);
    int status = args ? parse_search_opts(argc, args, &o) : (ps_msg("out of memory"), EXIT_TROUBLE);
    if (status >= 0)
        goto out;
    status = EXIT_TROUBLE;
    if (!(e = open_engine(&o)))
        goto out;
    if (o.style == STYLE_CSV && o.mode == SEARCH_RANKED && out_csv_header(stdout, o.excel, o.from_stdin) != 0)
        goto out;
    int any = 0, failed;
    if (!o.from_stdin) {
        uint64_t found;
        failed = run_query(e, &so, o.query.data, o.query.len, &found) != 0;
        any = found > 0;
    } else {
        failed = run_stdin(e, &so, &any) != 0;
    }
    if (so.out_nomem)
        status = EXIT_TROUBLE;
    else if (so.out_failed)
        status = any ? EXIT_MATCH : EXIT_NOMATCH;
    else
        status = failed ? EXIT_TROUBLE : any ? EXIT_MATCH : EXIT_NOMATCH;
out:
    status = ps_flush_status(status);
    search_close(e);
    ps_index_list_free(&o.indexes);
    buf_free(&o.query);
    cli_filters_free(&o.filters);
    for (int i = 0; args && i < argc; i++)
        if (args[i][0] == '\001')
            free(args[i]);
    free(args);
    return status;
}
