/* cli_filters.c — the search filters as options (cli_filters.h). */
#include "cli_filters.h"

#include <stdio.h>

#include "region.h"

int cli_filter_value(const ps_option *opt, const char *name, const char *arg, ps_err *err)
{
    cli_filters *f = opt->value;
    long long v = 0;
    if (opt->what && arg && ps_opt_count(opt, name, arg, &v, err) != 0)
        return -1;
    switch (opt->ival) {
    case CF_YEAR:
        snprintf(f->date_lo, sizeof f->date_lo, "%04d0101", (int)v);
        snprintf(f->date_hi, sizeof f->date_hi, "%04d1231", (int)v);
        break;
    case CF_SINCE:
    case CF_UNTIL:
        if (ps_parse_date(arg, opt->ival == CF_SINCE ? f->date_lo : f->date_hi) != 0)
            return ps_opt_bad_value(err, name, arg, "a date (YYYY-MM-DD)");
        break;
    case CF_TYPE:                   /* checked now, joined to the formats of earlier --type */
        if (!search_type_ok(arg))
            return ps_opt_bad_value(err, name, arg, "a list of pdf, docx, doc, ofd, html, text, image");
        if ((f->types.len && buf_eputc(err, &f->types, ',') != 0) || buf_eputs(err, &f->types, arg) != 0)
            return -1;
        break;
    case CF_CITES:                  /* checked now: a bad one is an option error */
        v = search_cites_ok(arg, err);
        if (v <= 0)
            return v < 0 ? -1 : ps_opt_bad_value(err, name, arg, "a document title or number");
        f->cites = arg;
        break;
    case CF_REGION:                 /* a place that does not exist is an error, not an empty result */
        if (!region_is_place(arg))
            return ps_err_set(err, PS_USAGE, "%s: no such place: %s", name, arg), -1;
        f->region = arg;
        break;
    }
    return 0;
}

void cli_filters_apply(const cli_filters *f, search_request *req)
{
    req->date_lo = f->date_lo;
    req->date_hi = f->date_hi;
    req->issuer = f->issuer;
    req->file_glob = f->file_glob;
    req->type = f->types.len ? f->types.data : NULL;
    req->cites = f->cites;
    req->region = f->region;
}

void cli_filters_free(cli_filters *f)
{
    buf_free(&f->types);
}
