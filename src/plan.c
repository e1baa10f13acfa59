/* plan.c — the query planner (plan.h): parsed query → Xapian query. */
#include "plan.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "tokenize.h"
#include "utf8.h"

/* BM25 parameters for paragraphs.  A paragraph is short (a few hundred
 * characters) and repeats the terms it is about, so term frequency
 * saturates slowly (k1 5, Xapian's default 1) and length normalisation is
 * weak (b 0.2, default 0.5): a long numbered item about a topic should not
 * lose to a one-line mention of it.  Tuned on half of the judged queries in
 * tests/relevance/ and checked on the other half. */
static const xs_bm25 plan_bm25 = { 5.0, 0.2 };

/* The index-time signals a plan adds as boosts (AND_MAYBE), in the order
 * --explain shows them, after the BM25 of the literal query and what
 * expansion adds.  A new signal is an index term (docbuild.c), an entry
 * here and its query in build_boosts; output writes any part it is given. */
enum { BOOST_POLICY, BOOST_HEADING, PLAN_BOOSTS };
static const struct {
    const char *key;                 /* the part's JSON key (out_explain_part) */
    const char *label;               /* its words in the human line */
} boost_parts[PLAN_BOOSTS] = {
    [BOOST_POLICY]  = { "policy", "policy terms" },
    [BOOST_HEADING] = { "heading", "heading" },
};
_Static_assert(PLAN_BOOSTS + 2 <= OUT_EXPLAIN_MAX, "every part of a score fits out_explain");

struct plan {
    xs_db    *db;                    /* the open indexes (borrowed) */
    xs_query *xq;                    /* the candidate query, boosts and filters included */
    xs_query *xq_main;               /* the matching part: literal forms, expansions, negations */
    xs_query *xq_literal;            /* the matching part without expansions (explain only) */
    xs_query *boost[PLAN_BOOSTS];    /* each boost's query (boost_parts), or NULL */
    int       needs_check;           /* candidates must be checked against the text */
};

/* A phrase's distinct index terms with their counts (as query wqf). */
typedef struct term_set {
    char     terms[64][TOK_MAX_TERM + 1]; /* distinct terms (the first 64) */
    unsigned count[64];              /* occurrences of each */
    unsigned char prefix[64];        /* 1: a lone CJK character, matched as a prefix */
    size_t   n;                      /* distinct terms kept */
    long     last_bigram;            /* position of the last bigram emitted, -10 if none */
} term_set;

/* Count term t[0..len) in ts (prefix: ask for it as a prefix), keeping the
 * first 64 distinct terms. */
static void ts_add(term_set *ts, const char *t, size_t len, int prefix)
{
    for (size_t i = 0; i < ts->n; i++)
        if (strlen(ts->terms[i]) == len && memcmp(ts->terms[i], t, len) == 0) {
            ts->count[i]++;
            return;
        }
    if (ts->n == 64 || len > TOK_MAX_TERM)
        return;                     /* more terms add nothing to a candidate set this narrow */
    memcpy(ts->terms[ts->n], t, len);
    ts->terms[ts->n][len] = '\0';
    ts->prefix[ts->n] = (unsigned char)prefix;
    ts->count[ts->n++] = 1;
}

/* Bigrams stand for the characters they cover, so a unigram is kept only
 * for a CJK character with no CJK neighbour (a one-character run): the
 * tokenizer emits a unigram only for the last character of a run, right
 * after the bigram that ends there if the run is longer.  The index has a
 * character as a unigram only where it ends a run, and as the first half
 * of a bigram everywhere else (tokenize.h), so the lone character is asked
 * for as a prefix: itself or any bigram it begins.  A common character is
 * a unigram at every occurrence, so it is asked for as itself. */
static int collect_term(void *ctx, const char *term, size_t len, enum tok_kind kind, size_t pos)
{
    term_set *ts = ctx;
    if (kind == TOK_COMMON)
        return 0;                   /* the bigrams already require it */
    if (kind == TOK_BIGRAM)
        ts->last_bigram = (long)pos;
    if (kind == TOK_UNIGRAM && ts->last_bigram == (long)pos - 1)
        return 0;                   /* a run's end: the bigram before it covers it */
    uint32_t cp = 0;
    int as_prefix = kind == TOK_UNIGRAM &&
                    !(utf8_decode((const unsigned char *)term, len, &cp) > 0 && tok_is_common(cp));
    ts_add(ts, term, len, as_prefix);
    return 0;
}

/* The candidate query of one phrase: AND of its terms, or every document
 * when it has none (punctuation only); *checked is set when the text must
 * confirm it. */
static xs_query *phrase_query(xs_db *db, const pq_phrase *p, int *checked, ps_err *err)
{
    term_set *ts = calloc(1, sizeof *ts);
    if (!ts) {
        ps_err_nomem(err);
        return NULL;
    }
    ts->last_bigram = -10;
    pq_phrase_terms(p, collect_term, ts);
    if (!pq_phrase_term_exact(p))
        *checked = 1;
    xs_query *q;
    if (ts->n == 0) {
        q = xs_query_match_all(err);
    } else {
        xs_query *subs[64];
        size_t n = 0;
        for (size_t i = 0; i < ts->n; i++) {
            size_t tlen = strlen(ts->terms[i]);
            subs[n] = ts->prefix[i] ? xs_query_prefix(db, ts->terms[i], tlen, err)
                                    : xs_query_term(ts->terms[i], tlen, ts->count[i], err);
            if (!subs[n])
                break;
            n++;
        }
        q = n < ts->n ? NULL : n == 1 ? subs[0] : xs_query_combine(XS_OP_AND, subs, n, err);
        for (size_t i = 0; i < n; i++)
            if (!(n == 1 && q == subs[0]))
                xs_query_free(subs[i]);
    }
    free(ts);
    return q;
}

/* Combine qs[0..n) with op, taking ownership of them. */
static xs_query *combine_owned(enum xs_op op, xs_query **qs, size_t n, ps_err *err)
{
    if (n == 1)
        return qs[0];
    xs_query *q = xs_query_combine(op, qs, n, err);
    for (size_t i = 0; i < n; i++)
        xs_query_free(qs[i]);
    return q;
}

/* The matching part of the query (without boosts and date filters): the
 * typed forms only when literal_only is set.  Sets p->needs_check. */
static xs_query *build_query(const plan_in *in, plan *p, int literal_only, ps_err *err)
{
    const pq_query *pq = in->pq;
    xs_query **pos = calloc(pq->nclauses + 1, sizeof *pos);
    xs_query **neg = calloc(pq->nclauses * 4 + 1, sizeof *neg);
    size_t npos = 0, nneg = 0, capneg = 0;
    xs_query *q = NULL;
    if (!pos || !neg)
        goto out;
    for (size_t c = 0; c < pq->nclauses; c++) {
        const pq_clause *cl = &pq->clauses[c];
        if (cl->negated) {
            for (size_t a = 0; a < cl->nalts; a++) {
                /* Only a phrase its term decides may exclude in Xapian; the
                 * others are excluded by the text check. */
                if (!pq_phrase_term_exact(&cl->alts[a])) {
                    p->needs_check = 1;
                    continue;
                }
                int dummy = 0;
                if (ARRAY_GROW(neg, capneg, nneg + 1) != 0)
                    goto out;
                if (!(neg[nneg] = phrase_query(in->db, &cl->alts[a], &dummy, err)))
                    goto out;
                nneg++;
            }
            continue;
        }
        xs_query **alts = calloc(cl->nalts, sizeof *alts);
        if (!alts)
            goto out;
        size_t na = 0;
        for (size_t a = 0; a < cl->nalts; a++) {
            const pq_phrase *ph = &cl->alts[a];
            if ((ph->flags & PQ_EXPANDED) && literal_only)
                continue;
            if (!(alts[na] = phrase_query(in->db, ph, &p->needs_check, err)))
                break;
            if (ph->flags & PQ_EXPANDED) {
                /* Expanded forms rank below what the user typed. */
                xs_query *scaled = xs_query_scale(alts[na], POLICY_EXPANSION, err);
                xs_query_free(alts[na]);
                if (!(alts[na] = scaled))
                    break;
            }
            na++;
        }
        size_t want_alts = 0;
        for (size_t a = 0; a < cl->nalts; a++)
            want_alts += !((cl->alts[a].flags & PQ_EXPANDED) && literal_only);
        if (na < want_alts) {
            for (size_t i = 0; i < na; i++)
                xs_query_free(alts[i]);
            free(alts);
            goto out;
        }
        /* The alternatives are OR'd, expanded forms scaled down
         * (POLICY_EXPANSION).  Not OP_MAX, which would score a paragraph's
         * best form once: Xapian 1.4.22's MAX reads freed memory on a
         * sharded index of some 20,000 paragraphs (search -n 10 小巨人
         * crashed); OR costs 0.003 of nDCG@10 (0.797 -> 0.794). */
        pos[npos] = combine_owned(XS_OP_OR, alts, na, err);
        free(alts);
        if (!pos[npos])
            goto out;
        npos++;
    }
    xs_query *main_q = combine_owned(XS_OP_AND, pos, npos, err);
    npos = 0;
    if (!main_q)
        goto out;
    if (nneg) {
        xs_query *notq = combine_owned(XS_OP_OR, neg, nneg, err);
        nneg = 0;
        if (!notq) {
            xs_query_free(main_q);
            goto out;
        }
        xs_query *pair[2] = { main_q, notq };
        q = combine_owned(XS_OP_AND_NOT, pair, 2, err);
    } else {
        q = main_q;
    }
    if (in->post_filter)
        p->needs_check = 1;
out:
    for (size_t i = 0; i < npos; i++)
        xs_query_free(pos[i]);
    for (size_t i = 0; i < nneg; i++)
        xs_query_free(neg[i]);
    free(pos);
    free(neg);
    if (!q)
        ps_err_nomem(err);          /* kept only when no other error was set */
    return q;
}

/* Add form s (UTF-8) to clause c as an expanded alternative, unless the
 * clause has it already. */
static int add_form(pq_query *q, size_t c, const char *s)
{
    char norm[512];
    policy_norm_form(s, norm, sizeof norm);
    if (!norm[0])
        return 0;
    for (size_t a = 0; a < q->clauses[c].nalts; a++)
        if (!strcmp(q->clauses[c].alts[a].utf8, norm))
            return 0;
    return pq_add_alt(q, c, norm, strlen(norm), PQ_EXPANDED);
}

/* Where synonyms found in the index go. */
typedef struct syn_ctx {
    pq_query *q;                     /* the query */
    size_t    clause;                /* the clause being expanded */
    int       failed;                /* out of memory */
} syn_ctx;

/* xs_db_synonyms callback: add syn to the clause being expanded.  Returns
 * non-zero (stop) once memory ran out. */
static int add_synonym_cb(void *ctx, const char *syn, size_t len)
{
    syn_ctx *sc = ctx;
    char tmp[512];
    if (len >= sizeof tmp)
        return 0;
    memcpy(tmp, syn, len);
    tmp[len] = '\0';
    if (add_form(sc->q, sc->clause, tmp) != 0)
        sc->failed = 1;
    return sc->failed;
}

/* Expand every typed phrase that is a lexicon term or alias to the other
 * forms: from the index's Xapian synonyms, from the forms the index keeps
 * as metadata (a remote index serves those), and from the lexicon loaded
 * here when --terms adds to it. */
static int expand_query(const plan_in *in, ps_err *err)
{
    pq_query *q = in->pq;
    for (size_t c = 0; c < q->nclauses; c++) {
        if (q->clauses[c].negated)
            continue;
        size_t typed = q->clauses[c].nalts;
        for (size_t a = 0; a < typed; a++) {
            char form[512];
            snprintf(form, sizeof form, "%s", q->clauses[c].alts[a].utf8);
            syn_ctx sc = { q, c, 0 };
            if (xs_db_synonyms(in->db, form, strlen(form), add_synonym_cb, &sc, err) != PS_OK)
                return -1;
            /* The lexicon's forms (from the index metadata, which a remote
             * server hands over, unlike Xapian 1.4's synonyms). */
            const policy_forms *f = in->forms;
            for (size_t k = 0; k < f->n && !sc.failed; k++) {
                if (strcmp(f->v[k].form, form) != 0)
                    continue;
                for (size_t o = 0; o < f->n && !sc.failed; o++)
                    if (!strcmp(f->v[o].key, f->v[k].key) && add_form(q, c, f->v[o].form) != 0)
                        sc.failed = 1;
            }
            size_t alias;
            long id = in->lx ? lex_find(in->lx, form, strlen(form), &alias) : -1;
            if (id >= 0) {
                if (add_form(q, c, lex_key(in->lx, (size_t)id)) != 0)
                    sc.failed = 1;
                for (size_t i = 0; i < lex_alias_count(in->lx, (size_t)id); i++)
                    if (add_form(q, c, lex_alias(in->lx, (size_t)id, i)) != 0)
                        sc.failed = 1;
            }
            if (sc.failed)
                return ps_err_nomem(err), -1;
        }
    }
    return 0;
}

/* Build p->boost[BOOST_POLICY] (the K terms of the lexicon forms the
 * typed and expanded phrases contain, each scaled by its term's weight,
 * or NULL when there is none) and p->boost[BOOST_HEADING].  A query is a handful of characters, so a plain substring
 * test over the forms is cheaper than compiling the lexicon. */
static int build_boosts(const plan_in *in, plan *p, ps_err *err)
{
    const policy_forms *f = in->forms;
    xs_query **parts = calloc(f->n + 1, sizeof *parts);
    unsigned char *used = calloc(f->n + 1, 1);
    size_t n = 0;
    int rc = parts && used ? 0 : -1;
    for (size_t c = 0; c < in->pq->nclauses && rc == 0; c++) {
        const pq_clause *cl = &in->pq->clauses[c];
        for (size_t a = 0; a < cl->nalts && !cl->negated && rc == 0; a++) {
            for (size_t k = 0; k < f->n && rc == 0; k++) {
                if (used[k] || !strstr(cl->alts[a].utf8, f->v[k].form))
                    continue;
                /* One boost per term, whichever of its forms was met. */
                for (size_t o = 0; o < f->n; o++)
                    if (!strcmp(f->v[o].key, f->v[k].key))
                        used[o] = 1;
                char term[512];
                int tl = snprintf(term, sizeof term, POLICY_PREFIX "%s", f->v[k].key);
                if (tl <= 0 || (size_t)tl >= sizeof term)
                    continue;
                xs_query *t = xs_query_term(term, (size_t)tl, 1, err);
                parts[n] = t ? xs_query_scale(t, f->v[k].weight * POLICY_BOOST_SCALE, err) : NULL;
                xs_query_free(t);
                if (!parts[n])
                    rc = -1;
                else
                    n++;
            }
        }
    }
    if (rc == 0 && n)
        rc = (p->boost[BOOST_POLICY] = combine_owned(XS_OP_OR, parts, n, err)) ? 0 : -1;
    else
        for (size_t i = 0; i < n; i++)
            xs_query_free(parts[i]);
    free(parts);
    free(used);
    if (rc != 0)
        return ps_err_nomem(err), -1;   /* kept only when no other error was set */
    xs_query *h = xs_query_term(POLICY_HEADING, strlen(POLICY_HEADING), 1, err);
    p->boost[BOOST_HEADING] = h ? xs_query_scale(h, POLICY_HEADING_BOOST, err) : NULL;
    xs_query_free(h);
    return p->boost[BOOST_HEADING] ? 0 : -1;
}

/* The query for one format term: the term itself, or for plain text
 * (which the writer gives no term) every document with none of the other
 * formats' terms.  NULL with err set on failure. */
static xs_query *format_query(const char *term, ps_err *err)
{
    char text_term[20];
    snprintf(text_term, sizeof text_term, "%s%s", READER_FORMAT_TERM, reader_format_name(FMT_TEXT));
    if (strcmp(term, text_term) != 0)
        return xs_query_term(term, strlen(term), 1, err);
    xs_query *others[FMT_COUNT];
    size_t n = 0;
    for (int f = 0; f < FMT_COUNT; f++) {
        char t[20];
        if (f == FMT_TEXT)
            continue;
        snprintf(t, sizeof t, "%s%s", READER_FORMAT_TERM, reader_format_name((enum doc_format)f));
        if (!(others[n] = xs_query_term(t, strlen(t), 1, err)))
            break;
        n++;
    }
    xs_query *any = n == FMT_COUNT - 1 ? xs_query_combine(XS_OP_OR, others, n, err) : NULL;
    for (size_t i = 0; i < n; i++)
        xs_query_free(others[i]);
    xs_query *all = any ? xs_query_match_all(err) : NULL;
    xs_query *pair[2] = { all, any };
    xs_query *q = all ? xs_query_combine(XS_OP_AND_NOT, pair, 2, err) : NULL;
    xs_query_free(all);
    xs_query_free(any);
    return q;
}

/* q filtered to documents with at least one of terms[0..n) (q taken over;
 * n == 0: q itself; format terms through format_query).  NULL with err set
 * on failure (q freed). */
static xs_query *filter_terms(xs_query *q, const char *const *terms, size_t n, ps_err *err)
{
    if (!q || n == 0)
        return q;
    xs_query **ts = calloc(n, sizeof *ts);
    if (!ts) {
        xs_query_free(q);
        return ps_err_nomem(err), NULL;
    }
    size_t k = 0;
    while (k < n && (ts[k] = strncmp(terms[k], READER_FORMAT_TERM, strlen(READER_FORMAT_TERM)) == 0
                                 ? format_query(terms[k], err)
                                 : xs_query_term(terms[k], strlen(terms[k]), 1, err)) != NULL)
        k++;
    xs_query *any = k == n ? xs_query_combine(XS_OP_OR, ts, n, err) : NULL;
    for (size_t i = 0; i < k; i++)
        xs_query_free(ts[i]);
    free(ts);
    if (!any) {
        xs_query_free(q);
        return NULL;
    }
    xs_query *pair[2] = { q, any };
    return combine_owned(XS_OP_FILTER, pair, 2, err);
}

/* Put the whole query together: match, boosts, date and term filters. */
static xs_query *assemble_query(const plan_in *in, plan *p, ps_err *err)
{
    if (!(p->xq_main = build_query(in, p, 0, err)))
        return NULL;
    if (in->explain && !(p->xq_literal = build_query(in, p, 1, err)))
        return NULL;
    xs_query *q = xs_query_combine(XS_OP_AND, &p->xq_main, 1, err);
    if (!q)
        return NULL;
    if (in->boost) {
        if (build_boosts(in, p, err) != 0) {
            xs_query_free(q);
            return NULL;
        }
        /* The boosts there are, the last first: the OR the ranking was
         * tuned with lists the heading before the policy terms. */
        xs_query *opt[PLAN_BOOSTS];
        size_t nopt = 0;
        for (size_t i = PLAN_BOOSTS; i-- > 0; )
            if (p->boost[i])
                opt[nopt++] = p->boost[i];
        xs_query *boost = xs_query_combine(XS_OP_OR, opt, nopt, err);
        xs_query *pair[2] = { q, boost };
        q = boost ? combine_owned(XS_OP_AND_MAYBE, pair, 2, err) : (xs_query_free(q), NULL);
    }
    return plan_filter(in, q, err);
}

/* See plan.h. */
xs_query *plan_filter(const plan_in *in, xs_query *q, ps_err *err)
{
    const char *lo = in->date_lo && in->date_lo[0] ? in->date_lo : NULL;
    const char *hi = in->date_hi && in->date_hi[0] ? in->date_hi : NULL;
    if (q && (lo || hi)) {
        xs_query *range = xs_query_value_range(STORE_SLOT_DATE, lo, hi, err);
        if (!range) {
            xs_query_free(q);
            return NULL;
        }
        xs_query *pair[2] = { q, range };
        q = combine_owned(XS_OP_FILTER, pair, 2, err);
    }
    q = filter_terms(q, in->filter_any, in->nfilter_any, err);
    q = filter_terms(q, in->filter_any2, in->nfilter_any2, err);
    return q ? store_live(in->db, q, err) : NULL;
}

/* The weight the query part gives document docid, a paragraph of the
 * file version whose XF term is fterm: part is run on that file's
 * paragraphs only (a paragraph has no term of its own). */
static double weight_in(const plan *p, const xs_query *part, const char *fterm, unsigned docid)
{
    if (!part)
        return 0;
    xs_query *t = xs_query_term(fterm, strlen(fterm), 1, NULL);
    xs_query *pair[2] = { (xs_query *)part, t };
    xs_query *q = t ? xs_query_combine(XS_OP_FILTER, pair, 2, NULL) : NULL;
    xs_mset *m = q ? xs_enquire(p->db, q, 0, UINT_MAX, 0, &plan_bm25, NULL) : NULL;
    double w = 0;
    for (size_t i = 0; m && i < xs_mset_size(m); i++) {
        unsigned id;
        double iw;
        xs_mset_item(m, i, &id, &iw);
        if (id == docid) {
            w = iw;
            break;
        }
    }
    xs_mset_free(m);
    xs_query_free(q);
    xs_query_free(t);
    return w;
}

void plan_explain(const plan *p, const char *file_key, unsigned docid, out_explain *e)
{
    char fterm[19];
    store_version_term(file_key, fterm);
    double main_w = weight_in(p, p->xq_main, fterm, docid);
    double literal = weight_in(p, p->xq_literal, fterm, docid);
    e->n = 0;
    out_explain_add(e, "bm25", "bm25", literal);
    out_explain_add(e, "expansion", "expansion", main_w - literal);
    for (size_t i = 0; i < PLAN_BOOSTS; i++)
        out_explain_add(e, boost_parts[i].key, boost_parts[i].label,
                        weight_in(p, p->boost[i], fterm, docid));
}

int plan_load_forms(xs_db *db, const char *terms_file, lexicon **lx, policy_forms *forms, ps_err *err)
{
    char *val = NULL;
    size_t len = 0;
    *lx = NULL;
    if (!terms_file && xs_db_get_metadata(db, POLICY_FORMS_KEY, &val, &len, NULL) == PS_OK && len > 0) {
        int rc = policy_forms_decode(val, len, forms);
        free(val);
        return rc != 0 ? ps_err_nomem(err), -1 : 0;
    }
    free(val);
    if (!(*lx = policy_load(terms_file, err)))
        return -1;
    if (policy_forms_of(*lx, forms) != 0)
        return ps_err_nomem(err), -1;
    return 0;
}

plan *plan_build(const plan_in *in, ps_err *err)
{
    plan *p = calloc(1, sizeof *p);
    if (!p) {
        ps_err_nomem(err);
        return NULL;
    }
    p->db = in->db;
    if ((in->expand && expand_query(in, err) != 0) || !(p->xq = assemble_query(in, p, err))) {
        plan_free(p);
        return NULL;
    }
    return p;
}

int plan_needs_check(const plan *p)
{
    return p->needs_check;
}

int plan_count(const plan *p, uint64_t doccount, uint64_t *count, ps_err *err)
{
    xs_mset *m = xs_enquire(p->db, p->xq, 0, 0, (unsigned)(doccount > UINT_MAX ? UINT_MAX : doccount),
                            NULL, err);
    if (!m)
        return -1;
    xs_mset_counts(m, NULL, count, NULL);
    xs_mset_free(m);
    return 0;
}

xs_mset *plan_run(const plan *p, unsigned first, unsigned max, ps_err *err)
{
    return xs_enquire(p->db, p->xq, first, max, 0, &plan_bm25, err);
}

/* doccount as a Xapian count (an index this large is clamped). */
static unsigned count_arg(uint64_t doccount)
{
    return (unsigned)(doccount > UINT_MAX ? UINT_MAX : doccount);
}

/* The candidates that filter (taken over) lets through, all of them in
 * rank order (each with its STORE_SLOT_KEY value), or NULL with the error
 * in *err. */
static xs_mset *run_filtered(const plan *p, xs_query *filter, uint64_t doccount, ps_err *err)
{
    if (!filter)
        return NULL;
    xs_query *pair[2] = { p->xq, filter };
    xs_query *q = xs_query_combine(XS_OP_FILTER, pair, 2, err);
    xs_query_free(filter);
    if (!q)
        return NULL;
    unsigned n = count_arg(doccount);
    xs_mset *m = xs_enquire(p->db, q, 0, n ? n : 1, 0, &plan_bm25, err);
    xs_query_free(q);
    return m;
}

xs_mset *plan_run_copies(const plan *p, const char *key, size_t len, uint64_t doccount,
                         ps_err *err)
{
    /* The buckets' posting lists drive the query, so its cost is their
     * intersection's size; a value range on the slot would be estimated at
     * no document by Xapian 1.4 and read the whole value stream. */
    return run_filtered(p, store_copy_query(key, len, err), doccount, err);
}

char *plan_describe(const plan *p)
{
    return xs_query_describe(p->xq);
}

void plan_free(plan *p)
{
    if (!p)
        return;
    xs_query_free(p->xq);
    xs_query_free(p->xq_main);
    xs_query_free(p->xq_literal);
    for (size_t i = 0; i < PLAN_BOOSTS; i++)
        xs_query_free(p->boost[i]);
    free(p);
}
