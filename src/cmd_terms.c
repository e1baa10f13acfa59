/* cmd_terms.c — `polsearch terms`: how often the documents speak of each
 * policy term, overall or per file, issuer or year.
 *
 * Counts are occurrences in the paragraphs (every form of a term counts
 * for the term), found with the same lexicon scan the indexer uses, over
 * the paragraphs that carry any of the terms asked about. */
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
#include "store.h"
#include "xapian-shim.h"

enum by_what { BY_ALL, BY_FILE, BY_ISSUER, BY_YEAR };
enum terms_style { TS_TABLE, TS_JSON, TS_TSV };

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
    enum by_what  by;                /* how paragraphs are grouped */
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
        char year[5] = "";
        if (store_file_lookup(&c->files, c->db, &rec, NULL, 0, &c->err) != 0) {
            rc = -1;
        } else {
            memcpy(year, rec.date, rec.date[0] ? 4 : 0);
            year[rec.date[0] ? 4 : 0] = '\0';
            const char *name = c->by == BY_FILE ? rec.file : c->by == BY_ISSUER ? rec.issuer
                             : c->by == BY_YEAR ? year : "all";
            if (!*name)
                name = "(unknown)";
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
static int count_all(terms_run *t, xs_db *db, const xs_query *q, enum by_what by)
{
    count_ctx c = { t, db, by, { NULL, 0, 0 }, NORM_TEXT_INIT, PS_ERR_INIT };
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
            } else if (style == TS_TSV) {
                rc |= buf_printf(&b, "%s\t%s\t%" PRIu64 "\n", grp->name, term, c);
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

int cmd_terms(int argc, char **argv)
{
    static const char *const by_names[] = { "file", "issuer", "year", NULL };
    const char *dir = NULL, *terms_file = NULL;
    enum by_what by = BY_ALL;
    enum terms_style style = TS_TABLE;
    long long top = 10;
    int first;
    const ps_option opts[] = {
        PS_INDEX("index (default: $POLSEARCH_INDEX or ./index)", &dir),
        PS_CHOICE(0, "by", "WHAT", "file, issuer or year", &by, by_names, BY_FILE),
        PS_COUNT('n', NULL, "N", "at most N terms per group (default 10; 0: all)", &top, 0, 1000000, "a number"),
        PS_SET_INT(0, "json", "one JSON object per row", &style, TS_JSON),
        PS_SET_INT(0, "tsv", "group, term, count separated by tabs", &style, TS_TSV),
        PS_STRING(0, "terms", "FILE", "also count the policy terms in FILE", &terms_file),
        PS_END
    };
    const ps_command cmd = {
        .name = "terms", .synopsis = "[-d INDEX] [--by file|issuer|year] [--json|--tsv] [-n N] [TERM...]",
        .about = "How often the documents speak of each policy term (every form counts for\n"
                 "the term), overall or per file, issuing body or year; TERMs restrict the report.\n",
        .footer = "Example: polsearch terms --by issuer 专精特新 科技型中小企业\n",
        .opts = opts
    };
    int status;
    if ((status = ps_options(&cmd, argc, argv, &first)) >= 0)
        return status;
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
    if (first == argc)
        memset(t.wanted, 1, lex_count(lx));
    ps_err err = PS_ERR_INIT;
    if (!(db = store_open_read(&dir, 1, 0, &err))) {
        ps_msg("%s", err.msg);
        goto out;
    }
    if (!(q = store_live(db, wanted_query(&t, &err), &err))) {
        ps_msg("%s", err.msg[0] ? err.msg : "out of memory");
        goto out;
    }
    if (count_all(&t, db, q, by) != 0)
        goto out;
    if (t.ngroups > 1)
        qsort(t.groups, t.ngroups, sizeof *t.groups, by == BY_YEAR ? cmp_groups_by_name : cmp_groups);
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
