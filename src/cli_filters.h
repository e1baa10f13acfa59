/* cli_filters.h — the search filters as command-line options, declared
 * once for every command that takes them (search, export): --year,
 * --since, --until, --issuer, --file, --type, --cites, --region, each
 * value checked while the options are parsed (a bad one is an option
 * error, exit 2), then put into a search request (search.h). */
#ifndef POLSEARCH_CLI_FILTERS_H
#define POLSEARCH_CLI_FILTERS_H

#include "buf.h"
#include "options.h"
#include "search.h"

typedef struct cli_filters {
    char         date_lo[9];         /* --since / --year, YYYYMMDD or "" */
    char         date_hi[9];         /* --until / --year, YYYYMMDD or "" */
    const char  *issuer;             /* --issuer substring, or NULL */
    const char  *file_glob;          /* --file glob, or NULL */
    buf          types;              /* --type lists, joined by commas ("" for every format) */
    const char  *cites;              /* --cites: the document a result must cite, or NULL */
    const char  *region;             /* --region: the place a result's document must come from, or NULL */
} cli_filters;

/* What cli_filter_value sets: the option's ival. */
enum { CF_YEAR, CF_SINCE, CF_UNTIL, CF_TYPE, CF_CITES, CF_REGION };

/* The callback of the filter options (opt->value: the cli_filters, opt->ival
 * a CF_*): checks arg and sets its field.  Returns 0, or -1 with err set. */
int  cli_filter_value(const ps_option *opt, const char *name, const char *arg, ps_err *err);

#define CLI_FILTER_(l, a, h, f, code, lo, hi, w) \
    { .kind = PS_OPT_CALLBACK, .long_name = (l), .argh = (a), .help = (h), .value = (f), \
      .fn = cli_filter_value, .ival = (code), .min = (lo), .max = (hi), .what = (w) }

/* The option table entries of the filters, into the cli_filters *f. */
#define CLI_FILTER_OPTIONS(f) \
    CLI_FILTER_("year", "YYYY", "only documents dated in that year", f, CF_YEAR, 1000, 9999, "a year"), \
    CLI_FILTER_("since", "DATE", "only documents dated on or after DATE (YYYY-MM-DD)", f, CF_SINCE, 0, 0, NULL), \
    CLI_FILTER_("until", "DATE", "only documents dated on or before DATE", f, CF_UNTIL, 0, 0, NULL), \
    PS_STRING(0, "issuer", "TEXT", "only documents whose issuing body contains TEXT", &(f)->issuer), \
    PS_STRING(0, "file", "GLOB", "only files whose path matches GLOB", &(f)->file_glob), \
    CLI_FILTER_("type", "LIST", "only paragraphs from files of these formats: pdf docx doc\n" \
                "ofd html text image, comma-separated (doc includes WPS)", f, CF_TYPE, 0, 0, NULL), \
    CLI_FILTER_("cites", "DOC", "only paragraphs that cite DOC: a title (《》 optional)\n" \
                "or a document number (国办发〔2017〕47号)", f, CF_CITES, 0, 0, NULL), \
    CLI_FILTER_("region", "PLACE", "only documents from PLACE: a province, city or county,\n" \
                "short forms and GB/T 2260 codes too (浙江, 宁波市, 330281), 全国, unknown", \
                f, CF_REGION, 0, 0, NULL)

/* Put the filters of f into req (pointing into f: it must outlive req). */
void cli_filters_apply(const cli_filters *f, search_request *req);
/* Free what f holds (its --type list). */
void cli_filters_free(cli_filters *f);

#endif
