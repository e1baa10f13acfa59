/* cmd_similar.c — `polsearch similar`: the paragraphs of other documents
 * that say nearly the same as FILE:PARAGRAPH (search.h's similar_to), or
 * with --pairs every near-copy pair across documents (similar.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "output.h"
#include "search.h"
#include "similar.h"

/* The definition every output names. */
#define SIM_MEASURE "jaccard-3-shingles"

enum sim_style { SS_HUMAN, SS_TSV, SS_CSV, SS_JSON };

typedef struct similar_opts {
    ps_index_list indexes;           /* -d or $POLSEARCH_INDEX: owns dirs */
    long long    limit;              /* -n: at most this many paragraphs */
    double       min;                /* --min: the least similarity */
    int          min_given;          /* --min was given */
    int          pairs;              /* --pairs */
    int          with_copies;        /* --with-copies: exact copies too */
    enum sim_style style;            /* human (TSV for --pairs), --tsv, --csv, --json */
    int          color;              /* --color */
    const char  *ref;                /* the FILE:PARAGRAPH operand */
} similar_opts;

/* --min: a similarity in [0, 1].  Returns 0, or -1 with err set. */
static int parse_min(const ps_option *opt, const char *name, const char *arg, ps_err *err)
{
    similar_opts *o = opt->value;
    o->min_given = 1;
    return ps_opt_fraction(name, arg, &o->min, err);
}

/* Parse options into *o.  Returns -1 to go on, or an exit status. */
static int parse_similar_opts(int argc, char **argv, similar_opts *o)
{
    int first, status;
    const ps_option opts[] = {
        PS_INDEXES("index (repeatable; default $POLSEARCH_INDEX or ./index)", &o->indexes),
        PS_COUNT('n', "max-count", "N", "at most N paragraphs (default 10)", &o->limit, 1, 1000, "a number from 1 to 1000"),
        PS_CALLBACK(0, "min", "S", "only similarities of S or more (default 0.2; --pairs: 0.6, at least 0.5)",
                    o, parse_min),
        PS_FLAG(0, "pairs", "every near-copy pair across documents, the earlier document first", &o->pairs),
        PS_FLAG(0, "with-copies", "exact copies too (the same text after normalisation; left out by default)",
                &o->with_copies),
        PS_SET_INT(0, "json", "one JSON object per line", &o->style, SS_JSON),
        PS_SET_INT(0, "tsv", "tab-separated with a header (--pairs' default)", &o->style, SS_TSV),
        PS_SET_INT(0, "csv", "RFC 4180 CSV with a header", &o->style, SS_CSV),
        PS_COLOR("color", "auto (default), always or never", &o->color),
        PS_COLOR("colour", NULL, &o->color),
        PS_END
    };
    const ps_command cmd = {
        .name = "similar",
        .synopsis = "[-d INDEX] [-n N] [--min S] [--json] [--with-copies] FILE:PARAGRAPH\n"
                    "       polsearch similar [-d INDEX] --pairs [--min S] [--with-copies] [--tsv|--csv|--json]",
        .about = "Paragraphs of other documents that say nearly the same as FILE:PARAGRAPH\n"
                 "(FILE as search prints it), most similar first; --pairs: every such pair\n"
                 "across documents, with dates and issuers, the earlier document first.\n"
                 "Similarity: the Jaccard similarity of the two paragraphs' sets of character\n"
                 "3-shingles (3 consecutive characters of the normalised text, white space left\n"
                 "out), in [0, 1].  Exact copies are left out unless --with-copies.\n",
        .footer = "Exit status: 0 something listed, 1 nothing, 2 error.\n"
                  "Example: polsearch similar seeds/003_1f11e292ab1845fd.txt:5\n"
                  "         polsearch similar --pairs --min 0.6 --csv > pairs.csv\n",
        .opts = opts
    };
    if ((status = ps_options(&cmd, argc, argv, &first)) >= 0)
        return status;
    if (o->pairs ? argc != first : argc - first != 1) {
        ps_msg(o->pairs ? "--pairs takes no FILE:PARAGRAPH; see 'polsearch similar --help'"
               : argc == first ? "no FILE:PARAGRAPH given; see 'polsearch similar --help'"
                               : "similar takes one FILE:PARAGRAPH; see 'polsearch similar --help'");
        return EXIT_TROUBLE;
    }
    if (!o->pairs)
        o->ref = argv[first];
    if (!o->min_given)
        o->min = o->pairs ? 0.6 : 0.2;
    return -1;
}

/* Write b to stdout and empty it.  Returns 0, or -1 when stdout failed. */
static int flush_buf(buf *b)
{
    int rc = b->len && fwrite(b->data, 1, b->len, stdout) != b->len ? -1 : 0;
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    return rc || fflush(stdout) != 0 ? -1 : 0;
}

/* What the paragraph callback needs. */
typedef struct sim_out {
    const similar_opts *o;           /* options */
    buf   b;                         /* the line being written */
    int   failed;                    /* stdout failed */
} sim_out;

/* One similar paragraph.  Returns 0, or 1 to stop (stdout failed). */
static int put_similar(void *ctx, const search_hit *hit)
{
    sim_out *so = ctx;
    const out_result *r = &hit->out;
    int rc;
    if (so->o->style != SS_JSON) {
        rc = out_human(stdout, r, so->o->color);
    } else {
        buf *b = &so->b;
        rc = json_open(b, NULL, '{') | json_uint(b, "rank", r->rank) | json_fixed(b, "similarity", r->score, 6) |
             json_str(b, "measure", SIM_MEASURE, strlen(SIM_MEASURE)) |
             json_str(b, "file", r->file, strlen(r->file)) | json_uint(b, "paragraph", r->paragraph);
        if (r->page)
            rc |= json_uint(b, "page", r->page);
        rc |= json_str(b, "title", r->title, strlen(r->title)) |
              json_str(b, "date", r->date, r->date ? strlen(r->date) : 0) |
              json_str(b, "issuer", r->issuer, r->issuer ? strlen(r->issuer) : 0) |
              json_str(b, "text", r->text, r->text_len) | json_open(b, "duplicates", '[');
        for (size_t i = 0; i < r->ndups; i++)
            rc |= json_open(b, NULL, '{') | json_str(b, "file", r->dups[i].file, strlen(r->dups[i].file)) |
                  json_uint(b, "paragraph", r->dups[i].paragraph) | json_close(b, '}');
        rc |= json_close(b, ']') | json_close(b, '}') | buf_putc(b, '\n') | flush_buf(b);
    }
    if (rc == 0 && fflush(stdout) != 0)
        rc = -1;
    if (rc != 0)
        so->failed = 1;
    return rc != 0;
}

/* One side of a pair: file, paragraph, date, issuer as fields (JSON: an
 * object under key, with the title). */
static int put_side(buf *b, enum sim_style st, const similar_pairs *p, uint32_t i, const char *key)
{
    const similar_para *pa = &p->paras[i];
    const similar_doc *d = &p->docs[pa->doc];
    if (st == SS_JSON)
        return json_open(b, key, '{') | json_str(b, "file", d->file, strlen(d->file)) |
               json_uint(b, "paragraph", pa->paragraph) |
               json_str(b, "date", d->date[0] ? d->date : NULL, strlen(d->date)) |
               json_str(b, "issuer", d->issuer[0] ? d->issuer : NULL, strlen(d->issuer)) |
               json_str(b, "title", d->title, strlen(d->title)) | json_close(b, '}');
    char num[16];
    snprintf(num, sizeof num, "%u", pa->paragraph);
    const char *f[] = { d->file, num, d->date, d->issuer };
    int rc = 0;
    for (size_t k = 0; k < 4; k++)
        rc |= buf_putc(b, st == SS_CSV ? ',' : '\t') | out_field(b, f[k], strlen(f[k]), st == SS_CSV);
    return rc;
}

/* The pairs, a line each.  Returns 0, or -1 when stdout failed. */
static int write_pairs(const similar_pairs *p, enum sim_style st)
{
    buf b = BUF_INIT;
    const char *eol = st == SS_CSV ? "\r\n" : "\n";
    int rc = 0;
    if (st != SS_JSON) {
        const char *head = "similarity,first_file,first_paragraph,first_date,first_issuer,"
                           "second_file,second_paragraph,second_date,second_issuer";
        rc |= buf_puts(&b, head) | buf_puts(&b, eol);
        if (st != SS_CSV)
            for (size_t i = 0; i < b.len; i++)
                if (b.data[i] == ',')
                    b.data[i] = '\t';
        rc |= flush_buf(&b);
    }
    for (size_t i = 0; i < p->npairs && rc == 0; i++) {
        const similar_pair *x = &p->pairs[i];
        if (st == SS_JSON)
            rc |= json_open(&b, NULL, '{') | json_fixed(&b, "similarity", x->sim, 6) |
                  json_str(&b, "measure", SIM_MEASURE, strlen(SIM_MEASURE)) | put_side(&b, st, p, x->first, "first") | put_side(&b, st, p, x->second, "second") |
                  json_close(&b, '}') | buf_putc(&b, '\n');
        else
            rc |= buf_printf(&b, "%.6f", x->sim) | put_side(&b, st, p, x->first, NULL) |
                  put_side(&b, st, p, x->second, NULL) | buf_puts(&b, eol);
        rc |= flush_buf(&b);
    }
    buf_free(&b);
    return rc ? -1 : 0;
}

/* --pairs.  Returns the exit status. */
static int run_pairs(const similar_opts *o)
{
    similar_pairs p = SIMILAR_PAIRS_INIT;
    ps_err err = PS_ERR_INIT;
    similar_pairs_in in = { .dirs = (const char *const *)o->indexes.dirs, .ndirs = o->indexes.n,
                            .min = o->min, .with_copies = o->with_copies };
    int status;
    if (similar_find_pairs(&in, &p, &err) != 0) {
        ps_msg("%s", err.msg);
        status = EXIT_TROUBLE;
    } else if (write_pairs(&p, o->style == SS_HUMAN ? SS_TSV : o->style) != 0 && errno != EPIPE) {
        ps_msg("writing the output: %s", strerror(errno));
        status = EXIT_TROUBLE;
    } else {
        status = p.npairs ? EXIT_MATCH : EXIT_NOMATCH;
    }
    similar_pairs_free(&p);
    return status;
}

/* FILE:PARAGRAPH.  Returns the exit status. */
static int run_one(const similar_opts *o)
{
    ps_err err = PS_ERR_INIT;
    search_open_in in = { .dirs = (const char *const *)o->indexes.dirs, .ndirs = o->indexes.n };
    search_engine *e = search_open(&in, &err);
    sim_out so = { .o = o, .b = BUF_INIT };
    int status = EXIT_TROUBLE;
    if (e) {
        search_request req = { .similar_to = o->ref, .similar_min = o->min, .with_copies = o->with_copies,
                               .mode = SEARCH_RANKED, .limit = (uint64_t)o->limit };
        search_summary sum;
        if (search_run(e, &req, put_similar, &so, &sum, &err) == 0)
            status = so.failed && errno != EPIPE ? EXIT_TROUBLE : sum.passed ? EXIT_MATCH : EXIT_NOMATCH;
    }
    if (status == EXIT_TROUBLE && !so.failed)
        ps_msg("%s", err.msg);
    buf_free(&so.b);
    search_close(e);
    return status;
}

int cmd_similar(int argc, char **argv)
{
    similar_opts o;
    memset(&o, 0, sizeof o);
    o.limit = 10;
    int status = parse_similar_opts(argc, argv, &o);
    if (status < 0)
        status = o.pairs ? run_pairs(&o) : run_one(&o);
    if (fflush(stdout) != 0 && status != EXIT_TROUBLE && errno != EPIPE)
        status = EXIT_TROUBLE;
    ps_index_list_free(&o.indexes);
    return status;
}
