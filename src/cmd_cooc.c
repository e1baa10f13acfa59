/* cmd_cooc.c — `polsearch cooc`: how often two terms occur in the same
 * paragraph (or document), with Jaccard's coefficient and PMI, as a table
 * (CSV, TSV, JSON Lines) or as a network (GraphML, GEXF, Pajek).
 * Options, the counting (cooc.h), then the output (output.h, graph.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "cooc.h"
#include "graph.h"
#include "lexicon.h"
#include "output.h"
#include "policy.h"
#include "region.h"
#include "search.h"

enum cooc_style { CO_CSV, CO_TSV, CO_JSON, CO_GRAPHML, CO_GEXF, CO_NET };

typedef struct cooc_opts {
    ps_index_list indexes;           /* -d or $POLSEARCH_INDEX: owns dirs */
    int           by_document;       /* --by-document (else --by-paragraph) */
    long long     min;               /* --min N: pairs seen fewer times are left out */
    int           style;             /* enum cooc_style */
    int           lexicon;           /* --lexicon: every term of the lexicon */
    const char   *terms_file;        /* --terms FILE: lexicon additions, or NULL */
    long long     year;              /* --year, or 0 */
    const char   *since;             /* --since DATE, or NULL */
    const char   *until;             /* --until DATE, or NULL */
    char          date_lo[9];        /* the first date, YYYYMMDD, or "" */
    char          date_hi[9];        /* the last date, or "" */
    const char   *issuer;            /* --issuer TEXT, or NULL */
    const char   *region;            /* --region PLACE, or NULL */
    const char   *type;              /* --type LIST, or NULL */
    const char   *file_glob;         /* --file GLOB, or NULL */
    int           no_expand;         /* --no-expand: terms match only as written */
} cooc_opts;

/* Check the filter values and turn the dates into the request's form.
 * Returns 0, or -1 after a message. */
static int check_filters(cooc_opts *o)
{
    if (o->year) {
        snprintf(o->date_lo, sizeof o->date_lo, "%04lld0101", o->year);
        snprintf(o->date_hi, sizeof o->date_hi, "%04lld1231", o->year);
    }
    if (o->since && ps_parse_date(o->since, o->date_lo) != 0)
        return ps_msg("--since: '%s' is not a date (YYYY-MM-DD)", o->since), -1;
    if (o->until && ps_parse_date(o->until, o->date_hi) != 0)
        return ps_msg("--until: '%s' is not a date (YYYY-MM-DD)", o->until), -1;
    if (o->type && !search_type_ok(o->type))
        return ps_msg("--type: '%s' is not a list of pdf, docx, doc, ofd, html, text, image", o->type), -1;
    if (o->region && !region_is_place(o->region))
        return ps_msg("--region: no such place: %s", o->region), -1;
    return 0;
}

/* Parse options into *o.  Returns -1 to go on (*first: the first TERM), or an exit status. */
static int parse_cooc_opts(int argc, char **argv, cooc_opts *o, int *first)
{
    const ps_option opts[] = {
        PS_INDEXES("index (repeatable; default $POLSEARCH_INDEX or ./index)", &o->indexes),
        PS_SET_INT(0, "by-paragraph", "count paragraphs that contain both terms (the default)", &o->by_document, 0),
        PS_SET_INT(0, "by-document", "count documents (files) that contain both, anywhere", &o->by_document, 1),
        PS_COUNT(0, "min", "N", "leave out pairs seen in fewer than N paragraphs (documents)", &o->min, 0,
                 1000000000, "a number"),
        PS_SET_INT(0, "csv", "a CSV table with a header (the default)", &o->style, CO_CSV),
        PS_SET_INT(0, "tsv", "the same table separated by tabs", &o->style, CO_TSV),
        PS_SET_INT(0, "json", "one JSON object per pair", &o->style, CO_JSON),
        PS_SET_INT(0, "graphml", "the network as GraphML 1.0 (yEd, Cytoscape, networkx)", &o->style, CO_GRAPHML),
        PS_SET_INT(0, "gexf", "the network as GEXF 1.3 (Gephi)", &o->style, CO_GEXF),
        PS_SET_INT(0, "net", "the network as Pajek .net (Pajek, CiteSpace, UCINET, VOSviewer)", &o->style, CO_NET),
        PS_FLAG(0, "lexicon", "every term of the lexicon (and --terms FILE); the default\n"
                "without TERMs", &o->lexicon),
        PS_STRING(0, "terms", "FILE", "also use the policy terms in FILE", &o->terms_file),
        PS_COUNT(0, "year", "YYYY", "only documents dated in that year", &o->year, 1000, 9999, "a year"),
        PS_STRING(0, "since", "DATE", "only documents dated on or after DATE (YYYY-MM-DD)", &o->since),
        PS_STRING(0, "until", "DATE", "only documents dated on or before DATE", &o->until),
        PS_STRING(0, "issuer", "TEXT", "only documents whose issuing body contains TEXT", &o->issuer),
        PS_STRING(0, "region", "PLACE", "only documents from PLACE (province, city, county, code)", &o->region),
        PS_STRING(0, "type", "LIST", "only files of these formats (pdf,docx,doc,ofd,html,text,image)", &o->type),
        PS_STRING(0, "file", "GLOB", "only files whose path matches GLOB", &o->file_glob),
        PS_FLAG(0, "no-expand", "no expansion of abbreviations and aliases (as search)", &o->no_expand),
        PS_END
    };
    const ps_command cmd = {
        .name = "cooc",
        .synopsis = "[-d INDEX] [TERM... | --lexicon] [--by-paragraph|--by-document] [--min N]\n"
                    "       [--csv|--tsv|--json|--graphml|--gexf|--net] [search filters]",
        .about = "Co-occurrence of terms: for each pair, the paragraphs (or documents) that\n"
                 "contain both, each term's own count, and two association scores:\n"
                 "  jaccard  = both / (a + b - both), in [0, 1];\n"
                 "  pmi_log2 = log2(both * n / (a * b)), n = the paragraphs (documents)\n"
                 "             that contain at least one of the terms asked about.\n"
                 "Each TERM is a query; counts are exact and equal to search -c 'A B' (every\n"
                 "copy of a paragraph counts) with the same filters.\n",
        .footer = "Exit status: 0 a pair found, 1 none, 2 error.\n"
                  "Examples: polsearch cooc 专精特新 高新技术企业 科技型中小企业\n"
                  "          polsearch cooc --lexicon --min 2 --gexf > cooc.gexf\n",
        .opts = opts
    };
    int status = ps_options(&cmd, argc, argv, first);
    if (status >= 0)
        return status;
    return check_filters(o) != 0 ? EXIT_TROUBLE : -1;
}

/* The terms to count: the operands (each once), or every lexicon term.
 * *terms (malloc'd array of pointers into argv or lx) and *n.  Returns 0, or -1 out of memory. */
static int gather_terms(int argc, char **argv, int first, int all_terms, const lexicon *lx, const char ***terms,
                        size_t *n)
{
    size_t cap = (size_t)(argc - first) + (all_terms || first == argc ? lex_count(lx) : 0) + 1;
    const char **v = malloc(cap * sizeof *v);
    if (!v)
        return -1;
    size_t k = 0;
    for (int i = first; i < argc; i++) {
        int seen = 0;
        for (size_t j = 0; j < k && !seen; j++)
            seen = !strcmp(v[j], argv[i]);
        if (!seen && argv[i][0])
            v[k++] = argv[i];
    }
    if (all_terms || first == argc)
        for (size_t id = 0; id < lex_count(lx); id++)
            v[k++] = lex_term(lx, id);
    *terms = v;
    *n = k;
    return 0;
}

/* Append one table line: fields f[0..n) in the style, then the line end. */
static int put_line(buf *b, int csv, const char *const *f, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = (i && buf_putc(b, csv ? ',' : '\t') != 0) || out_field(b, f[i], strlen(f[i]), csv) != 0;
    return rc || buf_puts(b, csv ? "\r\n" : "\n") != 0 ? -1 : 0;
}

/* Write b to stdout and empty it.  Returns 0, or -1 when stdout failed. */
static int flush_out(buf *b)
{
    int rc = b->len && fwrite(b->data, 1, b->len, stdout) != b->len ? -1 : 0;
    buf_clear(b);
    return rc;
}

/* The table (CSV, TSV) or JSON Lines: one row per pair.  Returns 0, or -1. */
static int write_table(const cooc_result *r, const char *const *terms, int style, const char *unit)
{
    buf b = BUF_INIT;
    char h[5][40];
    snprintf(h[0], sizeof h[0], "%s_a", unit);
    snprintf(h[1], sizeof h[1], "%s_b", unit);
    snprintf(h[2], sizeof h[2], "%s_both", unit);
    snprintf(h[3], sizeof h[3], "%s_any_term", unit);
    int csv = style == CO_CSV, rc = 0;
    if (style != CO_JSON) {
        const char *head[] = { "term_a", "term_b", h[0], h[1], h[2], h[3], "jaccard", "pmi_log2" };
        rc |= put_line(&b, csv, head, 8) | flush_out(&b);
    }
    for (size_t i = 0; i < r->npairs && rc == 0; i++) {
        const cooc_pair *p = &r->pairs[i];
        uint64_t na = r->count[p->a], nb = r->count[p->b];
        double jac = cooc_jaccard(na, nb, p->both), pmi = cooc_pmi(na, nb, p->both, r->universe);
        if (style == CO_JSON) {
            rc |= json_open(&b, NULL, '{') | json_str(&b, "term_a", terms[p->a], strlen(terms[p->a])) |
                  json_str(&b, "term_b", terms[p->b], strlen(terms[p->b])) | json_uint(&b, h[0], na) |
                  json_uint(&b, h[1], nb) | json_uint(&b, h[2], p->both) | json_uint(&b, h[3], r->universe) |
                  json_double(&b, "jaccard", jac) | json_double(&b, "pmi_log2", pmi) | json_close(&b, '}') |
                  buf_putc(&b, '\n');
        } else {
            char v[6][32];
            snprintf(v[0], sizeof v[0], "%" PRIu64, na);
            snprintf(v[1], sizeof v[1], "%" PRIu64, nb);
            snprintf(v[2], sizeof v[2], "%" PRIu64, p->both);
            snprintf(v[3], sizeof v[3], "%" PRIu64, r->universe);
            snprintf(v[4], sizeof v[4], "%.6f", jac);
            snprintf(v[5], sizeof v[5], "%.6f", pmi);
            const char *f[] = { terms[p->a], terms[p->b], v[0], v[1], v[2], v[3], v[4], v[5] };
            rc |= put_line(&b, csv, f, 8);
        }
        rc |= flush_out(&b);
    }
    buf_free(&b);
    return rc ? -1 : 0;
}

/* The network: a node per term found (label the term, its count), an
 * undirected edge per pair (weight: both; jaccard, pmi_log2).  Returns 0,
 * or -1 with *err set (PS_NOMEM) or stdout failed (err untouched). */
static int write_network(const cooc_result *r, const char *const *terms, int style, const char *unit, ps_err *err)
{
    const graph_attr nattrs[] = { { unit, GRAPH_INT } };
    const graph_attr eattrs[] = { { "jaccard", GRAPH_DOUBLE }, { "pmi_log2", GRAPH_DOUBLE } };
    graph *g = graph_new(0, nattrs, 1, eattrs, 2, err);
    size_t *node = calloc(r->nterms + 1, sizeof *node);
    buf b = BUF_INIT;
    int rc = -1;
    if (!g || !node) {
        ps_err_nomem(err);
        goto out;
    }
    for (size_t i = 0; i < r->nterms; i++) {
        if (!r->count[i])
            continue;
        char c[32];
        snprintf(c, sizeof c, "%" PRIu64, r->count[i]);
        const char *vals[] = { c };
        node[i] = graph_add_node(g, terms[i], NULL, vals, err);
    }
    for (size_t i = 0; i < r->npairs; i++) {
        const cooc_pair *p = &r->pairs[i];
        uint64_t na = r->count[p->a], nb = r->count[p->b];
        char j[32], m[32];
        snprintf(j, sizeof j, "%.6f", cooc_jaccard(na, nb, p->both));
        snprintf(m, sizeof m, "%.6f", cooc_pmi(na, nb, p->both, r->universe));
        const char *vals[] = { j, m };
        graph_add_edge(g, node[p->a], node[p->b], (double)p->both, vals, err);
    }
    enum graph_format fmt = style == CO_GRAPHML ? GRAPH_GRAPHML : style == CO_GEXF ? GRAPH_GEXF : GRAPH_PAJEK;
    char title[80];
    snprintf(title, sizeof title, "polsearch cooc: terms in the same %s", !strcmp(unit, "documents") ? "document" : "paragraph");
    if (graph_write(g, fmt, title, &b, err) != 0)
        goto out;
    rc = flush_out(&b);
out:
    buf_free(&b);
    free(node);
    graph_free(g);
    return rc;
}

int cmd_cooc(int argc, char **argv)
{
    cooc_opts o;
    memset(&o, 0, sizeof o);
    int first = 0;
    int status = parse_cooc_opts(argc, argv, &o, &first);
    if (status >= 0) {
        ps_index_list_free(&o.indexes);
        return status;
    }
    status = EXIT_TROUBLE;
    ps_err err = PS_ERR_INIT;
    const char **terms = NULL;
    size_t nterms = 0;
    cooc_result r = COOC_RESULT_INIT;
    search_engine *e = NULL;
    lexicon *lx = policy_load(o.terms_file, &err);
    if (!lx)
        goto fail;
    if (gather_terms(argc, argv, first, o.lexicon, lx, &terms, &nterms) != 0) {
        ps_err_nomem(&err);
        goto fail;
    }
    search_open_in in = { .dirs = o.indexes.dirs, .ndirs = o.indexes.n, .terms_file = o.terms_file };
    search_request filter = { .date_lo = o.date_lo[0] ? o.date_lo : NULL, .date_hi = o.date_hi[0] ? o.date_hi : NULL,
                              .issuer = o.issuer, .file_glob = o.file_glob, .type = o.type, .region = o.region,
                              .no_expand = o.no_expand };
    if (!(e = search_open(&in, &err)) ||
        cooc_run(e, terms, nterms, &filter, o.by_document, (uint64_t)o.min, &r, &err) != 0)
        goto fail;
    const char *unit = o.by_document ? "documents" : "paragraphs";
    int wrote = o.style == CO_CSV || o.style == CO_TSV || o.style == CO_JSON
                    ? write_table(&r, terms, o.style, unit)
                    : write_network(&r, terms, o.style, unit, &err);
    if (wrote != 0 && err.code != PS_OK)
        goto fail;
    status = wrote != 0 && errno != EPIPE ? EXIT_TROUBLE : r.npairs ? EXIT_MATCH : EXIT_NOMATCH;
    if (wrote != 0 && status == EXIT_TROUBLE)
        ps_msg("writing the output: %s", strerror(errno));
    goto out;
fail:
    ps_msg("%s", err.msg);
out:
    if (fflush(stdout) != 0 && status != EXIT_TROUBLE && errno != EPIPE)
        status = EXIT_TROUBLE;
    cooc_free(&r);
    search_close(e);
    free(terms);
    lex_free(lx);
    ps_index_list_free(&o.indexes);
    return status;
}
