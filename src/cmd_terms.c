/* cmd_terms.c — `polsearch terms`: how often the documents speak of each
 * policy term, overall or per file, issuer, year, region or format (or a
 * pair of them).
 *
 * The report for people and --json counts occurrences in the paragraphs
 * (every form of a term counts for the term), found with the same lexicon
 * scan the indexer uses, over the paragraphs that carry any of the terms
 * asked about.  The tables (--csv, --tsv, --wide) run each term as a
 * search (search.h) over every paragraph, copies included, and tally its
 * hits per cell (tally.h): paragraphs, documents and matches, so each
 * cell's paragraphs equal `search -c` for the term with that cell's
 * filters. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "normalize.h"
#include "output.h"
#include "policy.h"
#include "search.h"
#include "store.h"
#include "tally.h"
#include "xapian-shim.h"

enum terms_style { TS_TABLE, TS_JSON, TS_TSV, TS_CSV };

/* One group (a file, an issuer, a year) and its counts per lexicon term. */
typedef struct term_group {
    char     *name;                  /* the group's name (malloc'd) */
    uint64_t *counts;                /* counts[term id] */
    uint64_t  total;                 /* sum of counts */
} term_group;

typedef struct terms_run {
    const lexicon *lx;               /* the lexicon */
    unsigned char *wanted;           /* wanted[id]: the term is reported */
    term_group    *groups;           /* groups met so far */
    size_t         ngroups;          /* groups in use */
    term_group    *cur;              /* the group being counted into */
} terms_run;

/* The group called name, created on first use; NULL when out of memory. */
static term_group *group_of(terms_run *t, const char *name)
{
    for (size_t i = 0; i < t->ngroups; i++)
        if (!strcmp(t->groups[i].name, name))
            return &t->groups[i];
    term_group *g = realloc(t->groups, (t->ngroups + 1) * sizeof *g);
    if (!g)
        return NULL;
    t->groups = g;
    g = &t->groups[t->ngroups];
    g->name = strdup(name);
    g->counts = calloc(lex_count(t->lx) + 1, sizeof *g->counts);
    g->total = 0;
    if (!g->name || !g->counts) {
        free(g->name);
        free(g->counts);
        return NULL;
    }
    t->ngroups++;
    return g;
}

static int count_hit(void *ctx, size_t term_id, size_t alias, size_t start, size_t len)
{
    terms_run *t = ctx;
    (void)alias; (void)start; (void)len;
    if (t->wanted[term_id]) {
        t->cur->counts[term_id]++;
        t->cur->total++;
    }
    return 0;
}

/* The candidate query: any of the wanted terms' K terms. */
static xs_query *wanted_query(const terms_run *t, ps_err *err)
{
    size_t n = lex_count(t->lx), k = 0;
    xs_query **parts = calloc(n + 1, sizeof *parts);
    if (!parts)
        return NULL;
    xs_query *q = NULL;
    for (size_t id = 0; id < n; id++) {
        if (!t->wanted[id])
            continue;
        char term[512];
        int len = snprintf(term, sizeof term, POLICY_PREFIX "%s", lex_key(t->lx, id));
        if (len <= 0 || (size_t)len >= sizeof term)
            continue;
        if (!(parts[k] = xs_query_term(term, (size_t)len, 1, err)))
            goto out;
        k++;
    }
    q = k ? xs_query_combine(XS_OP_OR, parts, k, err) : xs_query_match_all(err);
out:
    for (size_t i = 0; i < k; i++)
        xs_query_free(parts[i]);
    free(parts);
    return q;
}

/* Print what went wrong reading the index, with the advice to rebuild it
 * if it is damaged. */
static void report_damaged(const char *what)
{
    ps_err e = PS_ERR_INIT;
    ps_err_damaged(&e, PS_DAMAGED_IF, NULL, NULL, what);
    ps_msg("%s", e.msg);
}

/* What count_one needs while count_all runs. */
typedef struct count_ctx {
    terms_run    *t;                 /* the groups */
    xs_db        *db;                /* the index */
    const enum tally_dim *dims;      /* how paragraphs are grouped: dims[0..ndims) */
    size_t        ndims;             /* 0: one group, "all" */
    file_cache    files;             /* file documents read so far */
    norm_text     nt;                /* reused normalised paragraph */
    ps_err        err;               /* what went wrong */
} count_ctx;

/* Count one candidate paragraph (its document data, taken over) into its
 * group.  Returns 0, or -1 with c->err set. */
static int count_one(void *ctx, char *data, size_t len)
{
    count_ctx *c = ctx;
    para_rec rec;
    int rc = 0;
    if (store_rec_decode(data, len, &rec) == 0) {
        if (store_file_lookup(&c->files, c->db, &rec, NULL, 0, &c->err) != 0) {
            rc = -1;
        } else {
            char name[1024] = "all", v[256];
            for (size_t i = 0; i < c->ndims; i++) {
                size_t used = i ? strlen(name) : 0;
                snprintf(name + used, sizeof name - used, "%s%s", i ? " / " : "",
                         tally_dim_value(c->dims[i], &rec, v, sizeof v));
            }
            if (!(c->t->cur = group_of(c->t, name)) || norm_text_build(&c->nt, rec.text, rec.text_len) != 0)
                rc = (ps_err_nomem(&c->err), -1);
            else
                lex_scan(c->t->lx, c->nt.cp, c->nt.len, count_hit, c->t);
        }
    }
    free(data);
    return rc;
}

/* Count every candidate paragraph into its group.  Returns 0, or -1 after a message. */
static int count_all(terms_run *t, xs_db *db, const xs_query *q, const enum tally_dim *dims, size_t ndims)
{
    count_ctx c = { t, db, dims, ndims, { NULL, 0, 0 }, NORM_TEXT_INIT, PS_ERR_INIT };
    int rc = store_each_data(db, q, 5000, count_one, &c, &c.err);
    if (rc != 0 && c.err.code == PS_NOMEM)
        ps_msg("out of memory");
    else if (rc != 0)
        report_damaged(c.err.msg);
    norm_text_free(&c.nt);
    file_cache_free(&c.files);
    return rc;
}

static int cmp_groups(const void *a, const void *b)
{
    const term_group *x = a, *y = b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int cmp_groups_by_name(const void *a, const void *b)
{
    return strcmp(((const term_group *)a)->name, ((const term_group *)b)->name);
}

/* Print the report.  Returns 0, or -1 when stdout failed. */
static int report(const terms_run *t, enum terms_style style, size_t top, int bars)
{
    size_t nterms = lex_count(t->lx);
    size_t *order = malloc((nterms + 1) * sizeof *order);
    if (!order)
        return -1;
    uint64_t widest = 1;
    for (size_t g = 0; g < t->ngroups; g++)
        for (size_t id = 0; id < nterms; id++)
            if (t->groups[g].counts[id] > widest)
                widest = t->groups[g].counts[id];
    buf b = BUF_INIT;
    int rc = 0;
    for (size_t g = 0; g < t->ngroups && rc == 0; g++) {
        const term_group *grp = &t->groups[g];
        size_t n = 0;
        for (size_t id = 0; id < nterms; id++)
            if (grp->counts[id])
                order[n++] = id;
        /* Largest counts first (insertion sort: the lists are short). */
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && grp->counts[order[j]] > grp->counts[order[j - 1]]; j--) {
                size_t tmp = order[j];
                order[j] = order[j - 1];
                order[j - 1] = tmp;
            }
        if (top && n > top)
            n = top;
        if (style == TS_TABLE && t->ngroups > 1)
            rc |= buf_printf(&b, "%s%s (%" PRIu64 ")\n", g ? "\n" : "", grp->name, grp->total);
        for (size_t i = 0; i < n; i++) {
            const char *term = lex_term(t->lx, order[i]);
            uint64_t c = grp->counts[order[i]];
            if (style == TS_JSON) {
                rc |= json_open(&b, NULL, '{');
                rc |= json_str(&b, "group", grp->name, strlen(grp->name));
                rc |= json_str(&b, "term", term, strlen(term));
                rc |= json_uint(&b, "count", c);
                rc |= buf_puts(&b, "}\n");
            } else {
                /* Pad by display width: CJK characters take two columns. */
                size_t cols = 0;
                for (const unsigned char *p = (const unsigned char *)term; *p; p++)
                    cols += (*p & 0xC0) != 0x80 ? (*p >= 0xE0 ? 2 : 1) : 0;
                rc |= buf_printf(&b, "  %s%*s %8" PRIu64, term, (int)(cols < 24 ? 24 - cols : 0), "", c);
                if (bars) {
                    /* Eighth blocks scaled to the widest row (40 cells). */
                    static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
                    uint64_t units = c * 40 * 8 / widest;
                    rc |= buf_putc(&b, ' ');
                    for (uint64_t k = 0; k < units / 8; k++)
                        rc |= buf_puts(&b, "█");
                    rc |= buf_puts(&b, eighths[units % 8]);
                }
                rc |= buf_putc(&b, '\n');
            }
        }
    }
    if (rc == 0 && b.len && fwrite(b.data, 1, b.len, stdout) != b.len)
        rc = -1;
    buf_free(&b);
    free(order);
    return rc;
}

/* --- tables (--csv, --tsv, --wide) ---------------------------------------- */

/* What table_hit needs. */
typedef struct table_ctx {
    tally                *t;         /* the cells */
    const enum tally_dim *dims;      /* the dimensions: dims[0..ndims) */
    size_t                ndims;     /* 0, 1 or 2 */
    size_t                term;      /* the term being searched (its lexicon id) */
    int                   nomem;     /* memory ran out */
} table_ctx;

/* The search callback: add one hit of the current term to its cell.
 * Returns 0, or 1 (stop) when out of memory. */
static int table_hit(void *ctx, const search_hit *hit)
{
    table_ctx *c = ctx;
    char v[TALLY_DIMS_MAX][512];
    const char *vp[TALLY_DIMS_MAX] = { NULL, NULL };
    for (size_t i = 0; i < c->ndims; i++)
        vp[i] = tally_dim_value(c->dims[i], hit->rec, v[i], sizeof v[i]);
    uint64_t occ = hit->out.matches ? hit->out.matches->n : 0;
    if (tally_add(c->t, c->term, vp, hit->rec->file_key, occ) != 0)
        return c->nomem = 1, 1;
    return 0;
}

/* Search every wanted term of lx on the index dir (with the user's terms
 * file) into c->t: all paragraphs, copies included.  Returns 0, or -1
 * after a message. */
static int table_count(const char *dir, const char *terms_file, const lexicon *lx,
                       const unsigned char *wanted, table_ctx *c)
{
    ps_err err = PS_ERR_INIT;
    const char *dirs[1] = { dir };
    search_engine *e = search_open(&(search_open_in){ .dirs = dirs, .ndirs = 1, .terms_file = terms_file },
                                   &err);
    if (!e)
        return ps_msg("%s", err.msg), -1;
    int rc = 0;
    for (size_t id = 0; id < lex_count(lx) && rc == 0; id++) {
        if (!wanted[id])
            continue;
        search_request req = { .query = lex_term(lx, id), .mode = SEARCH_RANKED, .limit = SEARCH_ALL,
                               .no_collapse = 1 };
        search_summary sum;
        c->term = id;
        if (search_run(e, &req, table_hit, c, &sum, &err) != 0)
            rc = (ps_msg("%s: %s", lex_term(lx, id), err.msg), -1);
        else if (c->nomem)
            rc = (ps_msg("out of memory"), -1);
    }
    search_close(e);
    return rc;
}

/* Append one field and its separator (none before the first of a line). */
static int put_field(buf *b, int first, const char *s, int csv)
{
    return (!first && buf_putc(b, csv ? ',' : '\t') != 0) || out_field(b, s, strlen(s), csv) != 0 ? -1 : 0;
}

/* The long table: a header, then one line per cell (dims, term,
 * paragraphs, documents, occurrences).  Returns 0, or -1 when out of memory. */
static int table_long(buf *b, const lexicon *lx, const table_ctx *c, const tally_cell *cells, size_t n, int csv)
{
    const char *eol = csv ? "\r\n" : "\n";
    int rc = 0;
    for (size_t i = 0; i < c->ndims; i++)
        rc |= put_field(b, i == 0, tally_dim_name(c->dims[i]), csv);
    rc |= buf_printf(b, "%sterm%cparagraphs%cdocuments%coccurrences%s", c->ndims ? (csv ? "," : "\t") : "",
                     csv ? ',' : '\t', csv ? ',' : '\t', csv ? ',' : '\t', eol);
    for (size_t k = 0; k < n && rc == 0; k++) {
        for (size_t i = 0; i < c->ndims; i++)
            rc |= put_field(b, i == 0, cells[k].v[i], csv);
        rc |= put_field(b, c->ndims == 0, lex_term(lx, cells[k].term), csv);
        rc |= buf_printf(b, "%c%" PRIu64 "%c%" PRIu64 "%c%" PRIu64 "%s", csv ? ',' : '\t', cells[k].paragraphs,
                         csv ? ',' : '\t', cells[k].documents, csv ? ',' : '\t', cells[k].occurrences, eol);
    }
    return rc ? -1 : 0;
}

/* The wide table: one line per combination of dimension values, one
 * column per wanted term, each cell its paragraphs (0 where none).
 * Returns 0, or -1 when out of memory. */
static int table_wide(buf *b, const lexicon *lx, const unsigned char *wanted, const table_ctx *c,
                      const tally_cell *cells, size_t n, int csv)
{
    const char *eol = csv ? "\r\n" : "\n";
    size_t nterms = lex_count(lx);
    uint64_t *row = calloc(nterms + 1, sizeof *row);
    if (!row)
        return -1;
    int rc = 0, first = 1;
    for (size_t i = 0; i < c->ndims; i++, first = 0)
        rc |= put_field(b, first, tally_dim_name(c->dims[i]), csv);
    for (size_t id = 0; id < nterms; id++)
        if (wanted[id]) {
            rc |= put_field(b, first, lex_term(lx, id), csv);
            first = 0;
        }
    rc |= buf_puts(b, eol);
    for (size_t k = 0; k < n && rc == 0;) {
        size_t end = k;
        memset(row, 0, nterms * sizeof *row);
        for (; end < n; end++) {
            int same = 1;
            for (size_t i = 0; i < c->ndims && same; i++)
                same = !strcmp(cells[end].v[i], cells[k].v[i]);
            if (!same)
                break;
            row[cells[end].term] = cells[end].paragraphs;
        }
        first = 1;
        for (size_t i = 0; i < c->ndims; i++, first = 0)
            rc |= put_field(b, first, cells[k].v[i], csv);
        for (size_t id = 0; id < nterms; id++)
            if (wanted[id]) {
                rc |= buf_printf(b, "%s%" PRIu64, first ? "" : csv ? "," : "\t", row[id]);
                first = 0;
            }
        rc |= buf_puts(b, eol);
        k = end;
    }
    free(row);
    return rc ? -1 : 0;
}

/* Count and write the table.  Returns an exit status (after a message
 * when it is EXIT_TROUBLE). */
static int run_table(const char *dir, const char *terms_file, const lexicon *lx, const unsigned char *wanted,
                     const enum tally_dim *dims, size_t ndims, int csv, int wide)
{
    table_ctx c = { .dims = dims, .ndims = ndims };
    if (!(c.t = tally_new(ndims)))
        return ps_msg("out of memory"), EXIT_TROUBLE;
    int status = EXIT_TROUBLE;
    size_t n = 0;
    int nomem = 0;
    buf b = BUF_INIT;
    if (table_count(dir, terms_file, lx, wanted, &c) != 0)
        goto out;
    const tally_cell *cells = tally_cells(c.t, &n, &nomem);
    if (nomem || (wide ? table_wide(&b, lx, wanted, &c, cells, n, csv) : table_long(&b, lx, &c, cells, n, csv)) != 0) {
        ps_msg("out of memory");
        goto out;
    }
    if (fwrite(b.data, 1, b.len, stdout) != b.len)
        goto out;
    status = n ? EXIT_MATCH : EXIT_NOMATCH;
out:
    buf_free(&b);
    tally_free(c.t);
    return status;
}

int cmd_terms(int argc, char **argv)
{
    const char *dir = NULL, *terms_file = NULL, *by = NULL;
    enum tally_dim dims[TALLY_DIMS_MAX];
    size_t ndims = 0;
    enum terms_style style = TS_TABLE;
    int wide = 0, all_terms = 0;
    long long top = 10;
    int first;
    const ps_option opts[] = {
        PS_INDEX("index (default: $POLSEARCH_INDEX or ./index)", &dir),
        PS_STRING(0, "by", "DIM[,DIM]", "per file, issuer, year, region or format, or a pair\n"
                  "of them (year,region)", &by),
        PS_COUNT('n', NULL, "N", "at most N terms per group (default 10; 0: all)", &top, 0, 1000000, "a number"),
        PS_SET_INT(0, "json", "one JSON object per row", &style, TS_JSON),
        PS_SET_INT(0, "csv", "a table, one CSV line per cell: the dims, term, paragraphs,\n"
                   "documents, occurrences (paragraphs = search -c with those filters)", &style, TS_CSV),
        PS_SET_INT(0, "tsv", "the same table separated by tabs", &style, TS_TSV),
        PS_FLAG(0, "wide", "the table as a matrix: a line per dims, a column per term\n"
                "(its paragraphs), for Excel and R", &wide),
        PS_FLAG(0, "lexicon", "every term of the lexicon (and --terms FILE); the default\n"
                "without TERMs", &all_terms),
        PS_STRING(0, "terms", "FILE", "also count the policy terms in FILE", &terms_file),
        PS_END
    };
    const ps_command cmd = {
        .name = "terms", .synopsis = "[-d INDEX] [--by DIM[,DIM]] [--json|--csv|--tsv] [--wide] [-n N]\n"
                    "       [--lexicon | TERM...]",
        .about = "How often the documents speak of each policy term (every form counts for\n"
                 "the term), overall or per file, issuing body, year, region or format (or two\n"
                 "of them); TERMs restrict the report.  --csv, --tsv and --wide count each term\n"
                 "as search does: paragraphs (copies included), documents, matches.\n",
        .footer = "Examples: polsearch terms --by issuer 专精特新 科技型中小企业\n"
                  "          polsearch terms --by year,region --lexicon --csv > terms.csv\n",
        .opts = opts
    };
    int status;
    if ((status = ps_options(&cmd, argc, argv, &first)) >= 0)
        return status;
    ps_err derr = PS_ERR_INIT;
    if (by && tally_dims_parse(by, dims, &ndims, &derr) != 0)
        return ps_msg("%s", derr.msg), EXIT_TROUBLE;
    if (wide && style != TS_CSV && style != TS_TSV)
        style = TS_CSV;
    terms_run t;
    memset(&t, 0, sizeof t);
    status = EXIT_TROUBLE;
    xs_db *db = NULL;
    xs_query *q = NULL;
    ps_err lerr = PS_ERR_INIT;
    lexicon *lx = policy_load(terms_file, &lerr);
    if (!lx) {
        ps_msg("%s", lerr.msg);
        return EXIT_TROUBLE;
    }
    t.lx = lx;
    if (!(t.wanted = calloc(lex_count(lx) + 1, 1)))
        goto out;
    for (int i = first; i < argc; i++) {
        char norm[512];
        size_t alias;
        policy_norm_form(argv[i], norm, sizeof norm);
        long id = lex_find(lx, norm, strlen(norm), &alias);
        if (id < 0) {
            ps_msg("'%s' is not a policy term (see data/policy-terms.tsv, or add it with --terms)", argv[i]);
            goto out;
        }
        t.wanted[id] = 1;
    }
    if (first == argc || all_terms)
        memset(t.wanted, 1, lex_count(lx));
    if (style == TS_CSV || style == TS_TSV) {
        status = run_table(dir, terms_file, lx, t.wanted, dims, ndims, style == TS_CSV, wide);
        goto out;
    }
    ps_err err = PS_ERR_INIT;
    if (!(db = store_open_read(&dir, 1, 0, &err))) {
        ps_msg("%s", err.msg);
        goto out;
    }
    if (!(q = store_live(db, wanted_query(&t, &err), &err))) {
        ps_msg("%s", err.msg[0] ? err.msg : "out of memory");
        goto out;
    }
    if (count_all(&t, db, q, dims, ndims) != 0)
        goto out;
    if (t.ngroups > 1)
        qsort(t.groups, t.ngroups, sizeof *t.groups, ndims && dims[0] == TD_YEAR ? cmp_groups_by_name : cmp_groups);
    if (report(&t, style, (size_t)top, style == TS_TABLE && isatty(STDOUT_FILENO)) != 0)
        goto out;
    status = t.ngroups ? EXIT_MATCH : EXIT_NOMATCH;
out:
    xs_query_free(q);
    xs_db_close(db);
    for (size_t i = 0; i < t.ngroups; i++) {
        free(t.groups[i].name);
        free(t.groups[i].counts);
    }
    free(t.groups);
    free(t.wanted);
    lex_free(lx);
    return status;
}
