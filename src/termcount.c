/* termcount.c — policy-term counts and their report and tables (termcount.h). */
#include "termcount.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "output.h"
#include "policy.h"
#include "store.h"
#include "xapian-shim.h"

/* See termcount.h. */
int termcount_want(const lexicon *lx, const char *term, unsigned char *wanted, ps_err *err)
{
    char norm[512];
    size_t alias;
    policy_norm_form(term, norm, sizeof norm);
    long id = lex_find(lx, norm, strlen(norm), &alias);
    if (id < 0)
        return ps_err_set(err, PS_USAGE, "'%s' is not a policy term (see data/policy-terms.tsv, or add it with --terms)",
                          term), -1;
    wanted[id] = 1;
    return 0;
}

/* What mark_hit marks into. */
typedef struct mark_ctx {
    unsigned char *wanted;           /* the terms met */
    long           n;                /* how many were new */
} mark_ctx;

/* lex_scan's callback: mark the term met. */
static int mark_hit(void *ctx, size_t term_id, size_t alias, size_t start, size_t len)
{
    mark_ctx *m = ctx;
    (void)alias; (void)start; (void)len;
    if (!m->wanted[term_id])
        m->wanted[term_id] = 1, m->n++;
    return 0;
}

/* See termcount.h. */
long termcount_in_text(const lexicon *lx, const char *text, size_t len, unsigned char *wanted, ps_err *err)
{
    norm_text nt = NORM_TEXT_INIT;
    mark_ctx m = { wanted, 0 };
    if (norm_text_build(&nt, text, len) != 0)
        return ps_err_nomem(err), -1;
    lex_scan(lx, nt.cp, nt.len, mark_hit, &m);
    norm_text_free(&nt);
    return m.n;
}

/* --- occurrences ------------------------------------------------------------ */

/* What a scan holds while it runs. */
typedef struct scan_ctx {
    const lexicon        *lx;        /* the lexicon */
    const unsigned char  *wanted;    /* wanted[id]: the term is counted */
    term_groups          *g;         /* the groups met so far */
    term_group           *cur;       /* the group being counted into */
    search_engine        *e;         /* the engine (its deadline) */
    xs_db                *db;        /* the index */
    const enum tally_dim *dims;      /* how paragraphs are grouped: dims[0..ndims) */
    size_t                ndims;     /* 0: one group, "all" */
    file_cache            files;     /* file documents read so far */
    norm_text             nt;        /* reused normalised paragraph */
    ps_err                err;       /* what went wrong */
} scan_ctx;

/* The group called name, created on first use; NULL when out of memory. */
static term_group *group_of(scan_ctx *c, const char *name)
{
    term_groups *g = c->g;
    for (size_t i = 0; i < g->n; i++)
        if (!strcmp(g->v[i].name, name))
            return &g->v[i];
    if (buf_grow_array((void **)&g->v, &g->cap, g->n + 1, sizeof *g->v) != 0)
        return NULL;
    term_group *t = &g->v[g->n];
    t->name = strdup(name);
    t->counts = calloc(lex_count(c->lx) + 1, sizeof *t->counts);
    t->total = 0;
    if (!t->name || !t->counts) {
        free(t->name);
        free(t->counts);
        return NULL;
    }
    g->n++;
    return t;
}

/* lex_scan's callback: count one occurrence of a wanted term. */
static int count_hit(void *ctx, size_t term_id, size_t alias, size_t start, size_t len)
{
    scan_ctx *c = ctx;
    (void)alias; (void)start; (void)len;
    if (c->wanted[term_id]) {
        c->cur->counts[term_id]++;
        c->cur->total++;
    }
    return 0;
}

/* The candidate query: any of the wanted terms' K terms (every paragraph when none). */
static xs_query *wanted_query(const lexicon *lx, const unsigned char *wanted, ps_err *err)
{
    size_t n = lex_count(lx), k = 0;
    xs_query **parts = calloc(n + 1, sizeof *parts);
    if (!parts)
        return ps_err_nomem(err), NULL;
    xs_query *q = NULL;
    for (size_t id = 0; id < n; id++) {
        if (!wanted[id])
            continue;
        char term[512];
        int len = snprintf(term, sizeof term, POLICY_PREFIX "%s", lex_key(lx, id));
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

/* store_each_data's callback: count one candidate paragraph (its document
 * data, taken over) into its group.  Returns 0, or -1 with c->err set. */
static int count_one(void *ctx, char *data, size_t len)
{
    scan_ctx *c = ctx;
    para_rec rec;
    int rc = 0;
    if (search_expired(c->e, &c->err) != 0) {
        rc = -1;
    } else if (store_rec_decode(data, len, &rec) == 0) {
        if (store_file_lookup(&c->files, c->db, &rec, NULL, 0, &c->err) != 0) {
            rc = -1;
        } else {
            char name[1024] = "all", v[256];
            for (size_t i = 0; i < c->ndims; i++) {
                size_t used = i ? strlen(name) : 0;
                snprintf(name + used, sizeof name - used, "%s%s", i ? " / " : "",
                         tally_dim_value(c->dims[i], &rec, v, sizeof v));
            }
            if (!(c->cur = group_of(c, name)) || norm_text_build(&c->nt, rec.text, rec.text_len) != 0)
                rc = (ps_err_nomem(&c->err), -1);
            else
                lex_scan(c->lx, c->nt.cp, c->nt.len, count_hit, c);
        }
    }
    free(data);
    return rc;
}

/* qsort orders of the groups: by total, most first, then by name; by name. */
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

/* See termcount.h. */
int termcount_scan(search_engine *e, const lexicon *lx, const unsigned char *wanted,
                   const enum tally_dim *dims, size_t ndims, term_groups *out, ps_err *err)
{
    if (err->code)
        return -1;
    scan_ctx c = { .lx = lx, .wanted = wanted, .g = out, .e = e, .db = search_db(e), .dims = dims, .ndims = ndims,
                   .files = { NULL, 0, 0 }, .nt = NORM_TEXT_INIT, .err = PS_ERR_INIT };
    xs_query *q = store_live(c.db, wanted_query(lx, wanted, &c.err), &c.err);
    if (!q) {
        if (c.err.code)
            *err = c.err;
        else
            ps_err_nomem(err);
        return -1;
    }
    int rc = search_arm(e, &c.err) != 0 ? -1 : store_each_data(c.db, q, 5000, count_one, &c, &c.err);
    if (rc == 0 && search_expired(e, &c.err) != 0)
        rc = -1;                             /* a page Xapian cut short */
    if (rc != 0 && (c.err.code == PS_NOMEM || c.err.code == PS_TIMEOUT))
        *err = c.err;
    else if (rc != 0)
        ps_err_damaged(err, PS_DAMAGED_IF, NULL, NULL, c.err.msg);
    else if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, ndims && dims[0] == TD_YEAR ? cmp_groups_by_name : cmp_groups);
    xs_query_free(q);
    norm_text_free(&c.nt);
    file_cache_free(&c.files);
    return rc ? -1 : 0;
}

/* See termcount.h. */
void term_groups_free(term_groups *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->v[i].name);
        free(g->v[i].counts);
    }
    free(g->v);
    memset(g, 0, sizeof *g);
}

/* --- tables ------------------------------------------------------------------ */

/* What table_hit needs. */
typedef struct table_ctx {
    tally                *t;         /* the cells */
    const enum tally_dim *dims;      /* the dimensions: dims[0..ndims) */
    size_t                ndims;     /* 0, 1 or 2 */
    size_t                term;      /* the term being searched (its lexicon id) */
    int                   nomem;     /* memory ran out */
} table_ctx;

/* search_hit_fn: add one hit of the current term to its cell.  Returns
 * 0, or 1 (stop) when out of memory. */
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

/* See termcount.h. */
tally *termcount_table(search_engine *e, const lexicon *lx, const unsigned char *wanted,
                       const enum tally_dim *dims, size_t ndims, ps_err *err)
{
    table_ctx c = { .dims = dims, .ndims = ndims };
    if (err->code)
        return NULL;
    if (!(c.t = tally_new(ndims)))
        return ps_err_nomem(err), NULL;
    for (size_t id = 0; id < lex_count(lx); id++) {
        if (!wanted[id])
            continue;
        search_request req = { .query = lex_term(lx, id), .mode = SEARCH_RANKED, .limit = SEARCH_ALL,
                               .no_collapse = 1 };
        search_summary sum;
        ps_err serr = PS_ERR_INIT;
        c.term = id;
        if (search_run(e, &req, table_hit, &c, &sum, &serr) != 0)
            ps_err_set(err, serr.code, "%s: %s", lex_term(lx, id), serr.msg);
        else if (c.nomem)
            ps_err_nomem(err);
        if (err->code) {
            tally_free(c.t);
            return NULL;
        }
    }
    return c.t;
}

/* --- writing ----------------------------------------------------------------- */

/* See termcount.h. */
int termcount_write_groups(buf *b, const lexicon *lx, const term_groups *g, enum termcount_style style,
                           size_t top, int bars)
{
    size_t nterms = lex_count(lx);
    size_t *order = malloc((nterms + 1) * sizeof *order);
    if (!order)
        return -1;
    uint64_t widest = 1;
    for (size_t k = 0; k < g->n; k++)
        for (size_t id = 0; id < nterms; id++)
            if (g->v[k].counts[id] > widest)
                widest = g->v[k].counts[id];
    int rc = 0;
    for (size_t k = 0; k < g->n && rc == 0; k++) {
        const term_group *grp = &g->v[k];
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
        if (style == TC_TEXT && g->n > 1)
            rc |= buf_printf(b, "%s%s (%" PRIu64 ")\n", k ? "\n" : "", grp->name, grp->total);
        for (size_t i = 0; i < n; i++) {
            const char *term = lex_term(lx, order[i]);
            uint64_t c = grp->counts[order[i]];
            if (style == TC_JSON) {
                rc |= json_open(b, NULL, '{');
                rc |= json_str(b, "group", grp->name, strlen(grp->name));
                rc |= json_str(b, "term", term, strlen(term));
                rc |= json_uint(b, "count", c);
                rc |= buf_puts(b, "}\n");
                continue;
            }
            /* Pad by display width: CJK characters take two columns. */
            size_t cols = 0;
            for (const unsigned char *p = (const unsigned char *)term; *p; p++)
                cols += (*p & 0xC0) != 0x80 ? (*p >= 0xE0 ? 2 : 1) : 0;
            rc |= buf_printf(b, "  %s%*s %8" PRIu64, term, (int)(cols < 24 ? 24 - cols : 0), "", c);
            if (bars) {
                /* Eighth blocks scaled to the widest row (40 cells). */
                static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
                uint64_t units = c * 40 * 8 / widest;
                rc |= buf_putc(b, ' ');
                for (uint64_t u = 0; u < units / 8; u++)
                    rc |= buf_puts(b, "█");
                rc |= buf_puts(b, eighths[units % 8]);
            }
            rc |= buf_putc(b, '\n');
        }
    }
    free(order);
    return rc ? -1 : 0;
}

/* Append one field and its separator (none before the first of a line). */
static int put_field(buf *b, int first, const char *s, int csv)
{
    return (!first && buf_putc(b, csv ? ',' : '\t') != 0) || out_field(b, s, strlen(s), csv) != 0 ? -1 : 0;
}

/* The long table: a header, then one line per cell. */
static int table_long(buf *b, const lexicon *lx, const enum tally_dim *dims, size_t ndims,
                      const tally_cell *cells, size_t n, int csv)
{
    const char *eol = csv ? "\r\n" : "\n";
    char sep = csv ? ',' : '\t';
    int rc = 0;
    for (size_t i = 0; i < ndims; i++)
        rc |= put_field(b, i == 0, tally_dim_name(dims[i]), csv);
    rc |= buf_printf(b, "%sterm%cparagraphs%cdocuments%coccurrences%s", ndims ? (csv ? "," : "\t") : "",
                     sep, sep, sep, eol);
    for (size_t k = 0; k < n && rc == 0; k++) {
        for (size_t i = 0; i < ndims; i++)
            rc |= put_field(b, i == 0, cells[k].v[i], csv);
        rc |= put_field(b, ndims == 0, lex_term(lx, cells[k].term), csv);
        rc |= buf_printf(b, "%c%" PRIu64 "%c%" PRIu64 "%c%" PRIu64 "%s", sep, cells[k].paragraphs,
                         sep, cells[k].documents, sep, cells[k].occurrences, eol);
    }
    return rc ? -1 : 0;
}

/* The wide table: one line per combination of dimension values, one
 * column per wanted term, each cell its paragraphs (0 where none). */
static int table_wide(buf *b, const lexicon *lx, const unsigned char *wanted, const enum tally_dim *dims,
                      size_t ndims, const tally_cell *cells, size_t n, int csv)
{
    const char *eol = csv ? "\r\n" : "\n";
    size_t nterms = lex_count(lx);
    uint64_t *row = calloc(nterms + 1, sizeof *row);
    if (!row)
        return -1;
    int rc = 0, first = 1;
    for (size_t i = 0; i < ndims; i++, first = 0)
        rc |= put_field(b, first, tally_dim_name(dims[i]), csv);
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
            for (size_t i = 0; i < ndims && same; i++)
                same = !strcmp(cells[end].v[i], cells[k].v[i]);
            if (!same)
                break;
            row[cells[end].term] = cells[end].paragraphs;
        }
        first = 1;
        for (size_t i = 0; i < ndims; i++, first = 0)
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

/* See termcount.h. */
int termcount_write_table(buf *b, const lexicon *lx, const unsigned char *wanted, const enum tally_dim *dims,
                          size_t ndims, const tally_cell *cells, size_t n, enum termcount_style style,
                          int wide)
{
    int csv = style == TC_CSV;
    return wide ? table_wide(b, lx, wanted, dims, ndims, cells, n, csv)
                : table_long(b, lx, dims, ndims, cells, n, csv);
}
