/* cmd_code.c — `polsearch code CODEBOOK`: policy-instrument coding.
 * Options, the codebook applied through the engine (coding.h), then one
 * row per coded paragraph and code, or tallies by file, year, issuer or
 * region. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "codebook.h"
#include "coding.h"
#include "output.h"
#include "search.h"

enum code_style { CS_TSV, CS_CSV, CS_JSON };

typedef struct code_opts {
    ps_index_list indexes;           /* -d or $POLSEARCH_INDEX: owns dirs */
    int          by;                 /* 0: rows; else 1 + enum coding_by */
    enum code_style style;           /* --tsv (default), --csv, --json */
    const char  *terms_file;         /* --terms: the user's lexicon additions, or NULL */
    const char  *codebook;           /* the CODEBOOK operand */
} code_opts;

static const char *const by_names[] = { "file", "year", "issuer", "region", NULL };

/* Parse options into *o.  Returns -1 to go on, or an exit status. */
static int parse_code_opts(int argc, char **argv, code_opts *o)
{
    int first, status;
    const ps_option opts[] = {
        PS_INDEXES("index to code (repeatable; default $POLSEARCH_INDEX or ./index)", &o->indexes),
        PS_CHOICE(0, "by", "DIM", "tallies per code by file, year, issuer or region\n"
                  "(paragraphs and documents; a parent counts each paragraph once)", &o->by, by_names, 1),
        PS_SET_INT(0, "tsv", "tab-separated with a header (the default)", &o->style, CS_TSV),
        PS_SET_INT(0, "csv", "RFC 4180 CSV with a header", &o->style, CS_CSV),
        PS_SET_INT(0, "json", "one JSON object per line", &o->style, CS_JSON),
        PS_STRING(0, "terms", "FILE", "also use the policy terms in FILE", &o->terms_file),
        PS_END
    };
    const ps_command cmd = {
        .name = "code", .synopsis = "[-d INDEX] [--by DIM] [--csv|--tsv|--json] CODEBOOK",
        .about = "Code every paragraph with a codebook: CODE<TAB>QUERY lines (polsearch query\n"
                 "syntax; a code may have several lines; PARENT/CHILD codes; # comments).\n"
                 "Default: one row per coded paragraph and code: file, paragraph, page, date,\n"
                 "issuer, region, code, the matched words.\n",
        .footer = "Shipped: " POLSEARCH_DATADIR "/codebook-rothwell-zegveld.tsv (Rothwell & Zegveld).\n"
                  "Exit status: 0 a paragraph coded, 1 none, 2 error.\n"
                  "Example: polsearch code --by region --csv codebook-rothwell-zegveld.tsv\n",
        .opts = opts
    };
    if ((status = ps_options(&cmd, argc, argv, &first)) >= 0)
        return status;
    if (argc - first != 1) {
        ps_msg(argc == first ? "no codebook given; see 'polsearch code --help'"
                             : "code takes one codebook; see 'polsearch code --help'");
        return EXIT_TROUBLE;
    }
    o->codebook = argv[first];
    return -1;
}

/* Append the fields of one table line (n of them) to b in the style, and the line end. */
static int put_fields(buf *b, enum code_style st, const char *const *f, size_t n)
{
    return out_line(b, f, n, st == CS_CSV);
}

/* Write b to stdout and empty it.  Returns 0, or -1 when stdout failed. */
static int flush_line(buf *b)
{
    int rc = b->len && fwrite(b->data, 1, b->len, stdout) != b->len ? -1 : 0;
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    return rc;
}

/* One row per coded paragraph and code (words joined by ';').  Returns 0, or -1. */
static int write_rows(const coding *c, const codebook *cb, enum code_style st)
{
    static const char *const head[] = { "file", "paragraph", "page", "date", "issuer", "region", "code", "words" };
    buf b = BUF_INIT, words = BUF_INIT;
    int rc = st == CS_JSON ? 0 : put_fields(&b, st, head, 8) | flush_line(&b);
    for (size_t i = 0; i < c->nmarks && rc == 0;) {
        const coding_mark *m = &c->marks[i];
        const coded_para *p = &c->paras[m->para];
        size_t j = i;
        words.len = 0;
        if (st == CS_JSON)
            rc |= json_open(&b, NULL, '{') | json_str(&b, "file", p->file, strlen(p->file)) |
                  json_uint(&b, "paragraph", p->paragraph) | json_uint(&b, "page", p->page) |
                  json_str(&b, "date", p->date, p->date ? strlen(p->date) : 0) |
                  json_str(&b, "issuer", p->issuer, p->issuer ? strlen(p->issuer) : 0) |
                  json_str(&b, "region", p->region, strlen(p->region)) |
                  json_str(&b, "code", cb->codes[m->code].name, strlen(cb->codes[m->code].name)) |
                  json_open(&b, "words", '[');
        for (; j < c->nmarks && c->marks[j].para == m->para && c->marks[j].code == m->code; j++) {
            const char *w = c->marks[j].word;
            if (!*w)
                continue;
            if (st == CS_JSON)
                rc |= json_str(&b, NULL, w, strlen(w));
            else
                rc |= (words.len && buf_putc(&words, ';') != 0) || buf_puts(&words, w) != 0;
        }
        if (st == CS_JSON) {
            rc |= json_close(&b, ']') | json_close(&b, '}') | buf_putc(&b, '\n');
        } else {
            char para[24], page[24];
            snprintf(para, sizeof para, "%u", p->paragraph);
            snprintf(page, sizeof page, "%u", p->page);
            const char *f[] = { p->file, para, p->page ? page : "", p->date, p->issuer, p->region,
                                cb->codes[m->code].name, words.data ? words.data : "" };
            rc |= put_fields(&b, st, f, 8);
        }
        rc |= flush_line(&b);
        i = j;
    }
    buf_free(&b);
    buf_free(&words);
    return rc ? -1 : 0;
}

/* The tallies: DIM, code, paragraphs, documents.  Returns 0, or -1. */
static int write_tally(const coding_cell *cells, size_t n, const codebook *cb, const char *dim,
                       enum code_style st)
{
    const char *head[] = { dim, "code", "paragraphs", "documents" };
    buf b = BUF_INIT;
    int rc = st == CS_JSON ? 0 : put_fields(&b, st, head, 4) | flush_line(&b);
    for (size_t i = 0; i < n && rc == 0; i++) {
        const coding_cell *x = &cells[i];
        const char *code = cb->codes[x->code].name;
        if (st == CS_JSON) {
            rc |= json_open(&b, NULL, '{') | json_str(&b, dim, x->value, strlen(x->value)) |
                  json_str(&b, "code", code, strlen(code)) | json_uint(&b, "paragraphs", x->paragraphs) |
                  json_uint(&b, "documents", x->documents) | json_close(&b, '}') | buf_putc(&b, '\n');
        } else {
            char np[24], nd[24];
            snprintf(np, sizeof np, "%" PRIu64, x->paragraphs);
            snprintf(nd, sizeof nd, "%" PRIu64, x->documents);
            const char *f[] = { x->value, code, np, nd };
            rc |= put_fields(&b, st, f, 4);
        }
        rc |= flush_line(&b);
    }
    buf_free(&b);
    return rc ? -1 : 0;
}

int cmd_code(int argc, char **argv)
{
    code_opts o;
    memset(&o, 0, sizeof o);
    codebook cb = CODEBOOK_INIT;
    coding c = CODING_INIT;
    coding_cell *cells = NULL;
    size_t ncells = 0;
    search_engine *e = NULL;
    ps_err err = PS_ERR_INIT;
    int status = parse_code_opts(argc, argv, &o);
    if (status >= 0)
        goto out;
    status = EXIT_TROUBLE;
    if (codebook_load(o.codebook, &cb, &err) != 0)
        goto fail;
    search_open_in in = { .dirs = o.indexes.dirs, .ndirs = o.indexes.n, .terms_file = o.terms_file };
    if (!(e = search_open(&in, &err)) || coding_run(e, &cb, o.codebook, &c, &err) != 0)
        goto fail;
    int wrote;
    if (o.by) {
        if (coding_tally(&c, &cb, (enum coding_by)(o.by - 1), &cells, &ncells, &err) != 0)
            goto fail;
        wrote = write_tally(cells, ncells, &cb, by_names[o.by - 1], o.style);
    } else {
        wrote = write_rows(&c, &cb, o.style);
    }
    status = wrote != 0 && errno != EPIPE ? EXIT_TROUBLE : c.nmarks ? EXIT_MATCH : EXIT_NOMATCH;
    if (wrote != 0 && status == EXIT_TROUBLE)
        ps_msg("writing the output: %s", strerror(errno));
    goto out;
fail:
    ps_msg("%s", err.msg);
out:
    if (fflush(stdout) != 0 && status != EXIT_TROUBLE && errno != EPIPE)
        status = EXIT_TROUBLE;
    free(cells);
    coding_free(&c);
    codebook_free(&cb);
    search_close(e);
    ps_index_list_free(&o.indexes);
    return status;
}
