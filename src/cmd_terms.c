/* cmd_terms.c — `polsearch terms`: how often the documents speak of each
 * policy term, overall or per file, issuer, year, region or format (or a
 * pair of them).  Options, then termcount.h counts and writes.
 *
 * The report for people and --json count occurrences in the paragraphs
 * that carry any of the terms asked about (termcount_scan); the tables
 * (--csv, --tsv, --wide) run each term as a search and tally its hits per
 * cell (termcount_table), so each cell's paragraphs equal `search -c` for
 * the term with that cell's filters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "policy.h"
#include "search.h"
#include "termcount.h"

int cmd_terms(int argc, char **argv)
{
    const char *dir = NULL, *terms_file = NULL, *by = NULL;
    enum tally_dim dims[TALLY_DIMS_MAX];
    size_t ndims = 0;
    enum termcount_style style = TC_TEXT;
    int wide = 0, all_terms = 0;
    long long top = 10;
    int first;
    const ps_option opts[] = {
        PS_INDEX("index (default: $POLSEARCH_INDEX or ./index)", &dir),
        PS_STRING(0, "by", "DIM[,DIM]", "per file, issuer, year, region or format, or a pair\n"
                  "of them (year,region)", &by),
        PS_COUNT('n', NULL, "N", "at most N terms per group (default 10; 0: all)", &top, 0, 1000000, "a number"),
        PS_SET_INT(0, "json", "one JSON object per row", &style, TC_JSON),
        PS_SET_INT(0, "csv", "a table, one CSV line per cell: the dims, term, paragraphs,\n"
                   "documents, occurrences (paragraphs = search -c with those filters)", &style, TC_CSV),
        PS_SET_INT(0, "tsv", "the same table separated by tabs", &style, TC_TSV),
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
    if (wide && style != TC_CSV && style != TC_TSV)
        style = TC_CSV;
    ps_err err = PS_ERR_INIT;
    lexicon *lx = policy_load(terms_file, &err);
    if (!lx) {
        ps_msg("%s", err.msg);
        return EXIT_TROUBLE;
    }
    status = EXIT_TROUBLE;
    search_engine *e = NULL;
    term_groups groups = TERM_GROUPS_INIT;
    tally *t = NULL;
    buf b = BUF_INIT;
    unsigned char *wanted = calloc(lex_count(lx) + 1, 1);
    if (!wanted)
        goto out;
    for (int i = first; i < argc; i++)
        if (termcount_want(lx, argv[i], wanted, &err) != 0) {
            ps_msg("%s", err.msg);
            goto out;
        }
    if (first == argc || all_terms)
        memset(wanted, 1, lex_count(lx));
    const char *dirs[1] = { dir };
    if (!(e = search_open(&(search_open_in){ .dirs = dirs, .ndirs = 1, .terms_file = terms_file }, &err))) {
        ps_msg("%s", err.msg);
        goto out;
    }
    size_t n = 0;
    if (style == TC_CSV || style == TC_TSV) {
        int nomem = 0;
        const tally_cell *cells = NULL;
        if ((t = termcount_table(e, lx, wanted, dims, ndims, &err)))
            cells = tally_cells(t, &n, &nomem);
        if (t && (nomem || termcount_write_table(&b, lx, wanted, dims, ndims, cells, n, style, wide) != 0))
            ps_err_nomem(&err);
    } else {
        if (termcount_scan(e, lx, wanted, dims, ndims, &groups, &err) == 0 &&
            termcount_write_groups(&b, lx, &groups, style, (size_t)top, style == TC_TEXT && isatty(STDOUT_FILENO)) != 0)
            ps_err_nomem(&err);
        n = groups.n;
    }
    if (err.code) {
        ps_msg("%s", err.msg);
        goto out;
    }
    if (b.len && fwrite(b.data, 1, b.len, stdout) != b.len)
        goto out;
    status = n ? EXIT_MATCH : EXIT_NOMATCH;
out:
    buf_free(&b);
    tally_free(t);
    term_groups_free(&groups);
    search_close(e);
    free(wanted);
    lex_free(lx);
    return status;
}
