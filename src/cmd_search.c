/* cmd_search.c — `polsearch search`: options, then for each query: query →
 * plan (plan.h) → Xapian → results → check → snippet → output.
 *
 * Xapian finds and ranks candidates with BM25; a candidate is a result only
 * when its stored text really contains the phrases (query.c decides), so
 * results are exact while Xapian does the ranking.  When the plan needs no
 * check, -c asks Xapian for an exact count without reading a document. */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "copies.h"
#include "cli.h"
#include "normalize.h"
#include "output.h"
#include "plan.h"
#include "reader.h"
#include "refs.h"
#include "policy.h"
#include "query.h"
#include "snippet.h"
#include "store.h"
#include "walk.h"
#include "utf8.h"
#include "xapian-shim.h"

enum out_mode { MODE_RANKED, MODE_FILES, MODE_COUNT };
enum out_style { STYLE_HUMAN, STYLE_JSON, STYLE_TSV, STYLE_CSV, STYLE_FORMAT, STYLE_KWIC };

typedef struct search_opts {
    const char **dirs;               /* indexes to search (-d, repeatable) */
    size_t       ndirs;              /* number of indexes */
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
    enum out_mode mode;              /* ranked results, -l or -c */
    int          color;              /* colour the output */
    unsigned     timeout_ms;         /* remote timeout */
    char         date_lo[9];         /* --since / --year, YYYYMMDD or "" */
    char         date_hi[9];         /* --until / --year, YYYYMMDD or "" */
    const char  *issuer;            /* --issuer substring, or NULL */
    const char  *file_glob;          /* --file glob, or NULL */
    char         file_canon[4096];   /* the same for canonical paths (walk_canonical_glob), or "" */
    char         type_terms[FMT_COUNT][20]; /* --type: the XK terms of the formats kept */
    const char  *type_ptrs[FMT_COUNT]; /* pointers to them, for the planner */
    size_t       ntypes;             /* formats kept; 0: every format */
    buf          cites_term;         /* --cites: the reference term a result must have */
    const char  *cites_ptr;          /* cites_term.data once set, for the planner */
    const char  *terms_file;         /* --terms: the user's lexicon additions, or NULL */
    int          no_expand;          /* --no-expand: no synonym expansion */
    int          no_fold;            /* --no-fold: traditional and simplified do not match each other */
    int          no_boost;           /* --no-boost: plain BM25, no policy or heading boost */
    int          explain;            /* --explain: show the parts of each score */
    int          no_collapse;        /* --no-collapse: copies of a paragraph are results of their own */
    buf          query;              /* the query words joined by spaces */
} search_opts;

/* What the search loop needs while it runs. */
typedef struct search_run {
    const search_opts *o;            /* options */
    pq_query    *pq;                 /* the parsed query */
    xs_db       *db;                 /* the open indexes */
    plan        *plan;               /* the query's plan (plan.h) */
    lexicon     *lx;                 /* the policy lexicon, loaded only for --terms */
    policy_forms forms;              /* every lexicon form with its term and weight */
    file_cache   files;              /* file documents met so far */
    norm_text    nt;                 /* reused normalised paragraph */
    span_list    spans;              /* reused match spans */
    uint64_t     results;            /* results accepted so far */
    char       **files_seen;         /* -l: files printed so far */
    size_t       nfiles_seen;        /* number of files printed */
    int          out_failed;         /* stdout is gone */
    const char  *query;              /* the query being run */
    size_t      *shards_of;          /* shards_of[i]: sub-databases index i contributes */
    uint64_t     doccount;           /* documents in the open indexes */
    copy_list    copies;             /* the shown result's matching copies (reused) */
    copy_seen    seen;               /* copy keys whose group was decided */
} search_run;

/* --- running ------------------------------------------------------------------ */

/* Report a Xapian error met while searching: a damaged index gets the fix. */
static void search_error(const search_run *r, const ps_err *err)
{
    ps_err e = PS_ERR_INIT;
    store_read_error(&e, r->o->ndirs == 1 ? r->o->dirs[0] : "the indexes", err);
    ps_msg("%s", e.msg);
}

/* --- checking and printing ----------------------------------------------------- */

/* 1 if the record's file passes the filters Xapian could not apply
 * (--issuer, --file), else 0. */
static int file_ok(const search_opts *o, const para_rec *rec)
{
    if (o->issuer && !strstr(rec->issuer, o->issuer))
        return 0;
    /* The path as indexed, or the file however the glob spells it. */
    return !o->file_glob || fnmatch(o->file_glob, rec->file, 0) == 0 ||
           (o->file_canon[0] && rec->canon[0] && fnmatch(o->file_canon, rec->canon, 0) == 0);
}

/* 1 if the record's text passes the text check (or none is needed), 0 if
 * not, -1 when out of memory.  *nt_ready says whether r->nt was built for
 * rec's text. */
static int text_ok(search_run *r, const para_rec *rec, int *nt_ready)
{
    *nt_ready = 0;
    if (!plan_needs_check(r->plan))
        return 1;
    if (norm_text_build_opt(&r->nt, rec->text, rec->text_len, pq_norm_flags(r->pq)) != 0)
        return -1;
    *nt_ready = 1;
    return pq_eval(r->pq, &r->nt);
}

/* The page of rec's first match (the page its text starts on when it has
 * no match to place, or 0 for formats without pages). */
static unsigned match_page(const search_run *r, const para_rec *rec)
{
    size_t off = r->spans.n ? utf8_offset(rec->text, rec->text_len, r->spans.v[0].start) : 0;
    return store_page_at(rec, off);
}

/* 1 if the record passes the filters Xapian could not apply and, when
 * needed, the text check.  Leaves r->nt built for rec's text when it was
 * checked (*nt_ready). */
static int accept_rec(search_run *r, const para_rec *rec, int *nt_ready)
{
    *nt_ready = 0;
    return file_ok(r->o, rec) ? text_ok(r, rec, nt_ready) : 0;
}

/* Print one ranked result; unless --no-collapse, dups[0..ndups) are the
 * other paragraphs with its normalised text that match too.  Returns 0, or
 * -1 when stdout failed or memory ran out. */
static int print_result(search_run *r, const para_rec *rec, double weight, unsigned docid, int nt_ready,
                        const out_dup *dups, size_t ndups)
{
    if (!nt_ready && norm_text_build_opt(&r->nt, rec->text, rec->text_len, pq_norm_flags(r->pq)) != 0)
        return -1;
    span_clear(&r->spans);
    if (pq_spans(r->pq, &r->nt, &r->spans) != 0)
        return -1;
    span_merge(&r->spans);
    snippet snip = SNIPPET_INIT;
    if (snip_build(rec->text, rec->text_len, &r->spans, SNIPPET_WIDTH, &snip) != 0)
        return -1;
    const char *source = NULL;
    if (r->o->ndirs > 1 && r->shards_of) {
        /* Xapian numbers the sub-databases of all indexes in a row. */
        size_t sub = xs_db_sub_of(r->db, docid);
        for (size_t i = 0; i < r->o->ndirs && !source; i++) {
            if (sub < r->shards_of[i])
                source = r->o->dirs[i];
            else
                sub -= r->shards_of[i];
        }
    }
    out_explain ex;
    if (r->o->explain)
        plan_explain(r->plan, rec->file_key, docid, &ex);
    out_result res = {
        (unsigned)r->results, weight, rec->file, rec->paragraph, match_page(r, rec),
        (rec->flags & PARA_F_OCR) != 0, rec->title,
        rec->text, rec->text_len, &r->spans, &snip,
        rec->date[0] ? rec->date : NULL, rec->issuer[0] ? rec->issuer : NULL,
        rec->docno[0] ? rec->docno : NULL, source, r->o->explain ? &ex : NULL, NULL,
        !r->o->no_collapse, dups, ndups
    };
    res.query = r->o->from_stdin ? r->query : NULL;
    int rc;
    switch (r->o->style) {
    case STYLE_JSON: rc = out_json(stdout, &res); break;
    case STYLE_TSV: rc = out_tsv(stdout, &res); break;
    case STYLE_CSV: rc = out_csv(stdout, &res); break;
    case STYLE_FORMAT: rc = out_format(stdout, &res, r->o->format); break;
    case STYLE_KWIC: rc = out_kwic(stdout, &res, r->o->kwic_context, r->o->color); break;
    default: rc = out_human(stdout, &res, r->o->color); break;
    }
    snippet_free(&snip);
    if (rc == 0 && fflush(stdout) != 0)
        rc = -1;
    if (rc != 0)
        r->out_failed = 1;
    return rc;
}

/* -l: print rec's file unless it was printed already. */
static int print_file(search_run *r, const char *file)
{
    for (size_t i = 0; i < r->nfiles_seen; i++)
        if (!strcmp(r->files_seen[i], file))
            return 0;
    char **v = realloc(r->files_seen, (r->nfiles_seen + 1) * sizeof *v);
    if (!v)
        return -1;
    r->files_seen = v;
    if (!(v[r->nfiles_seen] = strdup(file)))
        return -1;
    r->nfiles_seen++;
    r->results++;
    if (printf("%s%c", file, r->o->null_sep ? '\0' : '\n') < 0 || fflush(stdout) != 0) {
        r->out_failed = 1;
        return -1;
    }
    return 0;
}

/* Read candidate i of m (store_read_match).  Returns 1, 0 for data that is
 * not a paragraph record, or -1 after a message. */
static int read_candidate(search_run *r, xs_mset *m, size_t i, char **data, para_rec *rec, char *key)
{
    ps_err err = PS_ERR_INIT;
    int rc = store_read_match(m, i, &r->files, r->db, data, rec, key, &err);
    if (rc < 0)
        search_error(r, &err);
    return rc;
}

/* The best-ranked candidate of a group with copies, its copy key
 * key[0..klen): read every candidate of the group (plan_run_copies), keep
 * those that pass the check and the filters Xapian could not apply, and
 * print the best of them (ties by file and paragraph) with the others as
 * its copies; nothing when none passes.  Xapian's own collapsing is not
 * used: it reads every candidate's key while matching (1-2 ms of a 4 ms
 * search), and its collapse count is a lower bound that cannot tell which
 * copies pass the check and the filters.  A group is found by the posting
 * lists of its copy buckets (the candidates in both, of which those with
 * its key are kept), so the cost is about the group's size, for shown
 * results only (-n bounds it).  With
 * --issuer or --file the best copy may be filtered out; the best one that
 * passes then takes the group's place in the ranking.  Returns 0, or -1
 * after a message (or when stdout failed). */
static int print_group(search_run *r, const char *key, size_t klen)
{
    ps_err err = PS_ERR_INIT;
    xs_mset *m = plan_run_copies(r->plan, key, klen, r->doccount, &err);
    if (!m) {
        search_error(r, &err);
        return -1;
    }
    char *best = NULL;              /* the best passing copy's data, its record in best_rec */
    para_rec best_rec;
    double best_w = 0;
    unsigned best_id = 0;
    int rc = 0, nomem = 0;
    copies_clear(&r->copies);
    memset(&best_rec, 0, sizeof best_rec);
    for (size_t i = 0; i < xs_mset_size(m) && rc == 0; i++) {
        unsigned docid;
        double w;
        char *data;
        para_rec rec;
        int member = store_copy_member(m, i, key, klen, &err);
        if (member < 0) {
            search_error(r, &err);
            rc = -1;
        }
        if (member <= 0)
            continue;               /* 0: another key in the same buckets */
        xs_mset_item(m, i, &docid, &w);
        int got = read_candidate(r, m, i, &data, &rec, NULL);
        if (got <= 0) {
            rc = got;               /* 0: not one of our records */
            continue;
        }
        int nt_ready;
        int ok = accept_rec(r, &rec, &nt_ready);
        if (ok < 0) {
            nomem = 1;
        } else if (ok > 0 && !best) {
            best = data, data = NULL;
            best_rec = rec, best_w = w, best_id = docid;
        } else if (ok > 0) {
            out_dup a = { rec.file, rec.paragraph }, b = { best_rec.file, best_rec.paragraph };
            if (copies_cmp(w, &a, best_w, &b) < 0) {
                nomem = copies_add(&r->copies, best_w, best_rec.file, best_rec.paragraph) != 0;
                free(best);
                best = data, data = NULL;
                best_rec = rec, best_w = w, best_id = docid;
            } else {
                nomem = copies_add(&r->copies, w, rec.file, rec.paragraph) != 0;
            }
        }
        free(data);
        if (nomem)
            rc = -1;
    }
    xs_mset_free(m);
    if (rc == 0 && best) {
        r->results++;
        rc = print_result(r, &best_rec, best_w, best_id, 0, copies_ranked(&r->copies), r->copies.n);
        nomem = rc != 0 && !r->out_failed;
    }
    free(best);
    if (nomem)
        ps_msg("out of memory");
    return rc;
}

/* Walk the candidates in rank order, page by page, until `want` results
 * were produced or the candidates ran out.  Returns 0, or -1 after a message. */
static int run_search(search_run *r, uint64_t want)
{
    const search_opts *o = r->o;
    ps_err err = PS_ERR_INIT;
    uint64_t doccount = 0;
    if (xs_db_doccount(r->db, &doccount, &err) != PS_OK)
        return search_error(r, &err), -1;
    r->doccount = doccount;
    /* Only ranked results collapse: -c and -l count every match. */
    int collapse = o->mode == MODE_RANKED && !o->no_collapse;
    if (o->mode == MODE_COUNT && !plan_needs_check(r->plan)) {
        if (plan_count(r->plan, doccount, &r->results, &err) == 0)
            return 0;
        return search_error(r, &err), -1;
    }
    unsigned first = 0;
    /* A page holds a group's copies too, and a later page is a new match:
     * ten candidates per result spare it even where copies abound. */
    uint64_t room = collapse && want < 200 ? 10 * want : want;
    unsigned page = room < 50 ? 50 : room > 2000 ? 2000 : (unsigned)room;
    if (plan_needs_check(r->plan) && page < 200)
        page = 200;
    for (;;) {
        xs_mset *m = plan_run(r->plan, first, page, &err);
        if (!m) {
            search_error(r, &err);
            return -1;
        }
        size_t n = xs_mset_size(m);
        for (size_t i = 0; i < n && r->results < want; i++) {
            unsigned docid;
            double weight;
            xs_mset_item(m, i, &docid, &weight);
            char *data, key[STORE_KEY_LEN];
            para_rec rec;
            int got = read_candidate(r, m, i, &data, &rec, key);
            if (got < 0) {
                xs_mset_free(m);
                return -1;
            }
            if (got == 0)
                continue;           /* not one of our records */
            int nt_ready;
            int ok, rc = 0;
            if (collapse) {
                /* A group is decided at its best-ranked member (later ones
                 * are passed over); copies share the text check's answer,
                 * and the group decides the rest, file filters included. */
                uint64_t ck = 0;
                for (int b = 0; b < STORE_COPY_KEY_LEN; b++)
                    ck = ck << 8 | (unsigned char)key[b];
                int fresh = copies_seen_add(&r->seen, ck);
                /* Under --no-fold copies (alike once folded) may differ in
                 * script: each is checked on its own in print_group. */
                int literal = r->pq->literal != 0;
                ok = fresh > 0 ? (literal ? 1 : text_ok(r, &rec, &nt_ready)) : fresh;
                if (ok > 0 && store_copies_next(r->db, m, n, i, page, key)) {
                    rc = print_group(r, key, STORE_COPY_KEY_LEN);
                    ok = 0;         /* printed, or nothing to print */
                } else if (ok > 0) {
                    /* a group of one */
                    ok = literal ? accept_rec(r, &rec, &nt_ready) : file_ok(o, &rec);
                }
                if (rc != 0) {
                    free(data);
                    xs_mset_free(m);
                    return -1;
                }
            } else {
                ok = accept_rec(r, &rec, &nt_ready);
            }
            if (ok > 0) {
                if (o->mode == MODE_COUNT) {
                    r->results++;
                } else if (o->mode == MODE_FILES) {
                    rc = print_file(r, rec.file);
                } else {
                    r->results++;
                    rc = print_result(r, &rec, weight, docid, nt_ready, NULL, 0);
                }
            }
            free(data);
            if (ok < 0 || rc != 0) {
                xs_mset_free(m);
                if (!r->out_failed)
                    ps_msg("out of memory");
                return -1;
            }
        }
        xs_mset_free(m);
        if (n < page || r->results >= want)
            return 0;
        first += page;
        if (page < 20000)
            page *= 2;
    }
}

/* --- options ------------------------------------------------------------------- */

/* What a search_value callback sets: the option's ival. */
enum { SV_LIMIT, SV_FORMAT, SV_KWIC, SV_YEAR, SV_SINCE, SV_UNTIL, SV_TIMEOUT, SV_TYPE, SV_CITES };

/* --cites TITLE|DOCNO: the term of the paragraphs that cite it.
 * Returns 0, or -1 with err set. */
static int parse_cites(search_opts *o, const char *name, const char *arg, ps_err *err)
{
    int r = refs_cite_term(arg, &o->cites_term, err);
    if (r > 0)
        return ps_opt_bad_value(err, name, arg, "a document title or number");
    o->cites_ptr = o->cites_term.data;
    return r;
}

/* --type LIST: the XK terms of the formats named join o's filter.
 * Returns 0, or -1 with err set. */
static int parse_types(search_opts *o, const char *name, const char *arg, ps_err *err)
{
    if (reader_type_terms(arg, o->type_terms, o->type_ptrs, &o->ntypes) == 0)
        return 0;
    return ps_opt_bad_value(err, name, arg, "a list of pdf, docx, doc, ofd, html, text, image");
}

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
    case SV_YEAR:
        snprintf(o->date_lo, sizeof o->date_lo, "%04d0101", (int)v);
        snprintf(o->date_hi, sizeof o->date_hi, "%04d1231", (int)v);
        break;
    case SV_SINCE:
    case SV_UNTIL:
        if (ps_parse_date(arg, opt->ival == SV_SINCE ? o->date_lo : o->date_hi) != 0)
            return ps_opt_bad_value(err, name, arg, "a date (YYYY-MM-DD)");
        break;
    case SV_TIMEOUT: o->timeout_ms = (unsigned)v; break;
    case SV_TYPE: return parse_types(o, name, arg, err);
    case SV_CITES: return parse_cites(o, name, arg, err);
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
        PS_SET_INT('l', "files", "each matching file once, in rank order", &o->mode, MODE_FILES),
        PS_SET_INT(0, "files-with-matches", NULL, &o->mode, MODE_FILES),
        PS_SET_INT('c', "count", "the exact number of matching paragraphs", &o->mode, MODE_COUNT),
        PS_COLOR("color", "auto (default), always or never", &o->color),
        PS_COLOR("colour", NULL, &o->color),
        SEARCH_VALUE(0, "year", "YYYY", "only documents dated in that year", SV_YEAR, 1000, 9999, "a year"),
        SEARCH_VALUE(0, "since", "DATE", "only documents dated on or after DATE (YYYY-MM-DD)", SV_SINCE, 0, 0, NULL),
        SEARCH_VALUE(0, "until", "DATE", "only documents dated on or before DATE", SV_UNTIL, 0, 0, NULL),
        PS_STRING(0, "issuer", "TEXT", "only documents whose issuing body contains TEXT", &o->issuer),
        PS_STRING(0, "file", "GLOB", "only files whose path matches GLOB", &o->file_glob),
        SEARCH_VALUE(0, "type", "LIST", "only paragraphs from files of these formats: pdf docx doc\n"
                     "ofd html text image, comma-separated (doc includes WPS)", SV_TYPE, 0, 0, NULL),
        SEARCH_VALUE(0, "cites", "DOC", "only paragraphs that cite DOC: a title (《》 optional)\n"
                     "or a document number (国办发〔2017〕47号)", SV_CITES, 0, 0, NULL),
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
    o->dirs = o->indexes.dirs;
    o->ndirs = o->indexes.n;
    if (o->file_glob)
        (void)walk_canonical_glob(o->file_glob, o->file_canon, sizeof o->file_canon);  /* "" if too long */
    return gather_query(argc, argv, first, o);
}

/* Free what one query built, so the next can run on the same handles. */
static void end_query(search_run *r)
{
    plan_free(r->plan);
    r->plan = NULL;
    pq_free(r->pq);
    r->pq = NULL;
    for (size_t i = 0; i < r->nfiles_seen; i++)
        free(r->files_seen[i]);
    free(r->files_seen);
    r->files_seen = NULL;
    r->nfiles_seen = 0;
    r->results = 0;
}

/* Parse, expand, build and run one query, printing its results.  Returns
 * 0 (r->results says how many), or -1 after a message. */
static int run_query(search_run *r, const char *query, size_t len)
{
    const search_opts *o = r->o;
    ps_err err = PS_ERR_INIT;
    r->query = query;
    if (pq_parse_opt(query, len, o->no_fold ? PQ_LITERAL : 0, &r->pq, &err) != 0) {
        ps_msg("%s", err.msg);
        return -1;
    }
    plan_in in = { r->db, r->pq, &r->forms, r->lx, !o->no_expand, !o->no_boost, o->explain,
                   o->issuer || o->file_glob, o->date_lo, o->date_hi,
                   o->type_ptrs, o->ntypes, &o->cites_ptr, o->cites_ptr ? 1 : 0 };
    if (!(r->plan = plan_build(&in, &err))) {
        ps_msg("%s", err.msg);
        return -1;
    }
    uint64_t want = o->all ? UINT64_MAX : o->limit;
    if (o->mode == MODE_COUNT || (o->mode == MODE_FILES && !o->limit_given))
        want = UINT64_MAX;
    if (want == 0)
        return 0;
    if (run_search(r, want) != 0)
        return -1;
    if (o->mode == MODE_COUNT) {
        if (o->from_stdin)
            printf("%s\t%" PRIu64 "\n", query, r->results);
        else
            printf("%" PRIu64 "\n", r->results);
    }
    return 0;
}

/* Open the indexes; with --allow-partial, those that do not open are
 * left out with a warning.  Returns NULL after a message. */
static xs_db *open_indexes(search_opts *o)
{
    ps_err err = PS_ERR_INIT;
    buf left = BUF_INIT;
    xs_db *db = store_open_some(o->dirs, &o->ndirs, o->timeout_ms, o->allow_partial, &left, &err);
    for (char *line = left.data, *nl; line && *line; line = nl + 1) {
        nl = strchr(line, '\n');
        *nl = '\0';
        ps_msg("warning: %s (left out: --allow-partial)", line);
    }
    if (!db)
        ps_msg("%s", err.msg);
    buf_free(&left);
    return db;
}

int cmd_search(int argc, char **argv)
{
    search_opts o;
    memset(&o, 0, sizeof o);
    o.limit = 10;
    search_run r;
    memset(&r, 0, sizeof r);
    norm_text nt0 = NORM_TEXT_INIT;
    r.nt = nt0;
    r.o = &o;
    char **args = pq_protect_negations(argc, argv);
    int status = args ? parse_search_opts(argc, args, &o) : EXIT_TROUBLE;
    if (status >= 0)
        goto out;
    status = EXIT_TROUBLE;
    if (!(r.db = open_indexes(&o)))
        goto out;
    if (!(r.shards_of = calloc(o.ndirs, sizeof *r.shards_of)))
        goto out;
    for (size_t i = 0; i < o.ndirs; i++) {
        /* A local index adds its shards and their text chunks (store.h). */
        int n = strncmp(o.dirs[i], "tcp://", 6) ? 2 * store_shard_count(o.dirs[i]) : 1;
        r.shards_of[i] = n > 0 ? (size_t)n : 1;
    }
    ps_err err = PS_ERR_INIT;
    if (plan_load_forms(r.db, o.terms_file, &r.lx, &r.forms, &err) != 0) {
        ps_msg("%s", err.msg);
        goto out;
    }
    if (o.style == STYLE_CSV && o.mode == MODE_RANKED && out_csv_header(stdout, o.excel, o.from_stdin) != 0)
        goto out;
    int any = 0, failed = 0;
    if (!o.from_stdin) {
        failed = run_query(&r, o.query.data, o.query.len) != 0;
        any = r.results > 0;
        end_query(&r);
    } else {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while (!r.out_failed && (n = getline(&line, &cap, stdin)) >= 0) {
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                line[--n] = '\0';
            if (n == 0)
                continue;
            if (o.style == STYLE_HUMAN && o.mode == MODE_RANKED)
                printf("# %s\n\n", line);
            failed |= run_query(&r, line, (size_t)n) != 0;
            any |= r.results > 0;
            end_query(&r);
        }
        free(line);
    }
    if (r.out_failed)
        status = any ? EXIT_MATCH : EXIT_NOMATCH;
    else
        status = failed ? EXIT_TROUBLE : any ? EXIT_MATCH : EXIT_NOMATCH;
out:
    if (fflush(stdout) != 0 && status != EXIT_TROUBLE && errno != EPIPE)
        status = EXIT_TROUBLE;
    end_query(&r);
    free(r.shards_of);
    copies_free(&r.copies);
    copies_seen_free(&r.seen);
    lex_free(r.lx);
    policy_forms_free(&r.forms);
    file_cache_free(&r.files);
    xs_db_close(r.db);
    norm_text_free(&r.nt);
    span_list_free(&r.spans);
    ps_index_list_free(&o.indexes);
    buf_free(&o.query);
    buf_free(&o.cites_term);
    for (int i = 0; args && i < argc; i++)
        if (args[i][0] == '\001')
            free(args[i]);
    free(args);
    return status;
}
