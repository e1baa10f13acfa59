/* search.c — the search engine: plan, page through candidates, check the
 * text, filter, group copies, de-duplicate files, assemble each result and
 * hand it to the caller (search.h).
 *
 * Xapian finds and ranks candidates with BM25; a candidate is a result only
 * when its stored text really contains the phrases (query.c decides), so
 * results are exact while Xapian does the ranking.  When the plan needs no
 * check, a count is Xapian's exact count without reading a document. */
#include "search.h"

#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "copies.h"
#include "docbuild.h"
#include "normalize.h"
#include "plan.h"
#include "policy.h"
#include "query.h"
#include "reader.h"
#include "refs.h"
#include "region.h"
#include "shingle.h"
#include "snippet.h"
#include "tokenize.h"
#include "utf8.h"
#include "walk.h"
#include "xapian-shim.h"

/* What one opening of the indexes holds; a refresh builds a new one and
 * drops the old. */
typedef struct search_index {
    const char **dirs;               /* the indexes open (allow_partial may leave some out) */
    size_t       ndirs;              /* number of them */
    xs_db       *db;                 /* the open indexes, as one */
    lexicon     *lx;                 /* the policy lexicon, loaded only for terms_file */
    policy_forms forms;              /* every lexicon form with its term and weight */
    file_cache   files;              /* file documents met so far */
    size_t      *shards_of;          /* shards_of[i]: sub-databases index i contributes */
} search_index;

struct search_engine {
    char       **dirs;               /* the indexes asked for (owned copies) */
    size_t       ndirs;              /* number of them */
    unsigned     timeout_ms;         /* remote timeout */
    int          allow_partial;      /* open those that open */
    char        *terms_file;         /* --terms, owned, or NULL */
    search_index ix;                 /* what is open now */
    norm_text    nt;                 /* reused normalised paragraph */
    span_list    spans;              /* reused match spans */
    copy_list    copies;             /* the assembled result's matching copies (reused) */
    shingle_set  seed;               /* similar_to: the paragraph's shingles (reused) */
    shingle_set  cand;               /* similar_to: a candidate's shingles (reused) */
    double       limit;              /* the deadline's time limit in seconds, 0: none */
    double       deadline;           /* when it passes (CLOCK_MONOTONIC seconds) */
};

/* One search while it runs. */
typedef struct search_state {
    search_engine        *e;         /* the engine */
    const search_request *req;       /* the request */
    search_hit_fn         fn;        /* the caller's callback */
    void                 *ctx;       /* its context */
    search_summary       *sum;       /* what is reported back */
    ps_err               *err;       /* where an error goes */
    pq_query             *pq;        /* the parsed query */
    plan                 *plan;      /* its plan (plan.h) */
    uint64_t              want;      /* results to rank: passed over, passed on, and the one `more` looks for */
    uint64_t              results;   /* results ranked so far */
    uint64_t              doccount;  /* documents in the open indexes */
    char                **files_seen;/* SEARCH_FILES: files ranked so far */
    size_t                nfiles_seen;/* number of them */
    size_t                capfiles_seen;/* files_seen allocated */
    copy_seen             seen;      /* copy keys whose group was decided */
    char                  file_canon[4096]; /* req->file_glob for canonical paths (walk_canonical_glob), or "" */
} search_state;

/* What the ranking loop's steps return: go on, stop (the callback said so,
 * or every wanted result was found), or an error in the state's err. */
enum { GO_ON = 0, STOP = 1, FAILED = -1 };

/* --- opening ------------------------------------------------------------------ */

/* Free what ix holds and zero it. */
static void index_free(search_index *ix)
{
    lex_free(ix->lx);
    policy_forms_free(&ix->forms);
    file_cache_free(&ix->files);
    xs_db_close(ix->db);
    free(ix->shards_of);
    free(ix->dirs);
    memset(ix, 0, sizeof *ix);
}

/* Open e's indexes into *ix (zeroed first), with their shard counts and
 * lexicon forms.  Returns 0, or -1 with err set (*ix then holds nothing). */
static int index_open(const search_engine *e, buf *left_out, search_index *ix, ps_err *err)
{
    memset(ix, 0, sizeof *ix);
    buf scratch = BUF_INIT;
    if (!(ix->dirs = malloc(e->ndirs * sizeof *ix->dirs)) || !(ix->shards_of = calloc(e->ndirs, sizeof *ix->shards_of))) {
        index_free(ix);
        return ps_err_nomem(err), -1;
    }
    for (size_t i = 0; i < e->ndirs; i++)
        ix->dirs[i] = e->dirs[i];
    ix->ndirs = e->ndirs;
    ix->db = store_open_some(ix->dirs, &ix->ndirs, e->timeout_ms, e->allow_partial,
                             left_out ? left_out : &scratch, err);
    buf_free(&scratch);
    if (!ix->db) {
        index_free(ix);
        return -1;
    }
    for (size_t i = 0; i < ix->ndirs; i++) {
        /* A local index adds its shards and their text chunks (store.h). */
        int n = strncmp(ix->dirs[i], "tcp://", 6) ? 2 * store_shard_count(ix->dirs[i]) : 1;
        ix->shards_of[i] = n > 0 ? (size_t)n : 1;
    }
    if (plan_load_forms(ix->db, e->terms_file, &ix->lx, &ix->forms, err) != 0) {
        index_free(ix);
        return -1;
    }
    return 0;
}

/* See search.h. */
search_engine *search_open(const search_open_in *in, ps_err *err)
{
    search_engine *e = calloc(1, sizeof *e);
    if (!e || !(e->dirs = calloc(in->ndirs ? in->ndirs : 1, sizeof *e->dirs)))
        goto nomem;
    norm_text nt0 = NORM_TEXT_INIT;
    e->nt = nt0;
    for (; e->ndirs < in->ndirs; e->ndirs++)
        if (!(e->dirs[e->ndirs] = strdup(in->dirs[e->ndirs])))
            goto nomem;
    if (in->terms_file && !(e->terms_file = strdup(in->terms_file)))
        goto nomem;
    e->timeout_ms = in->timeout_ms;
    e->allow_partial = in->allow_partial;
    if (index_open(e, in->left_out, &e->ix, err) == 0)
        return e;
    search_close(e);
    return NULL;
nomem:
    search_close(e);
    return ps_err_nomem(err), NULL;
}

/* 1 if the local indexes of ix list other shards now than when they were
 * opened (a rebuild, a compaction), else 0. */
static int layout_changed(const search_index *ix)
{
    for (size_t i = 0; i < ix->ndirs; i++) {
        if (!strncmp(ix->dirs[i], "tcp://", 6))
            continue;
        int n = store_shard_count(ix->dirs[i]);
        if ((n > 0 ? 2 * (size_t)n : 1) != ix->shards_of[i])
            return 1;
    }
    return 0;
}

/* See search.h.  Xapian's reopen alone would keep the file records read
 * and the lexicon forms of the old revision: a change opens afresh. */
int search_refresh(search_engine *e, ps_err *err)
{
    int changed = 1;
    ps_err ignored = PS_ERR_INIT;
    if (!layout_changed(&e->ix) && xs_db_reopen(e->ix.db, &changed, &ignored) != PS_OK)
        changed = 1;                /* a shard gone: try the indexes afresh */
    if (!changed)
        return 0;
    search_index fresh;
    if (index_open(e, NULL, &fresh, err) != 0)
        return -1;
    index_free(&e->ix);
    e->ix = fresh;
    return 1;
}

/* See search.h. */
/* CLOCK_MONOTONIC in seconds. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* See search.h. */
void search_set_deadline(search_engine *e, double seconds)
{
    e->limit = seconds > 0 ? seconds : 0;
    e->deadline = e->limit ? now_s() + e->limit : 0;
    if (!e->limit && e->ix.db)
        xs_db_set_time_limit(e->ix.db, 0);
}

/* See search.h. */
int search_expired(const search_engine *e, ps_err *err)
{
    if (!e->limit || now_s() < e->deadline)
        return 0;
    ps_err_set(err, PS_TIMEOUT, "the request ran past its time limit of %g s: "
               "narrow the query or the filters", e->limit);
    return -1;
}

/* See search.h. */
int search_arm(search_engine *e, ps_err *err)
{
    if (!e->limit)
        return 0;
    double left = e->deadline - now_s();
    if (left <= 0)
        return search_expired(e, err);
    /* A little past the deadline, so that a match Xapian cut short is
     * always seen as late by search_expired. */
    xs_db_set_time_limit(e->ix.db, left + 0.002);
    return 0;
}

/* See search.h. */
xs_db *search_db(search_engine *e)
{
    return e->ix.db;
}

/* See search.h. */
void search_close(search_engine *e)
{
    if (!e)
        return;
    index_free(&e->ix);
    for (size_t i = 0; i < e->ndirs; i++)
        free(e->dirs[i]);
    free(e->dirs);
    free(e->terms_file);
    norm_text_free(&e->nt);
    span_list_free(&e->spans);
    copies_free(&e->copies);
    shingle_free(&e->seed);
    shingle_free(&e->cand);
    free(e);
}

/* --- checking ------------------------------------------------------------------ */

/* Set s->err for a Xapian error met while searching: a damaged index gets
 * the fix.  Returns FAILED. */
static int search_error(const search_state *s, const ps_err *xerr)
{
    const search_index *ix = &s->e->ix;
    store_read_error(s->err, ix->ndirs == 1 ? ix->dirs[0] : "the indexes", xerr);
    return FAILED;
}

/* 1 if the record's file passes the filters Xapian could not apply
 * (--issuer, --file, --region), else 0. */
static int file_ok(const search_state *s, const para_rec *rec)
{
    const search_request *q = s->req;
    if (q->issuer && !strstr(rec->issuer, q->issuer))
        return 0;
    if (q->region) {
        ps_region r;
        region_of(&(region_src){ .issuer = rec->issuer, .title = rec->title, .docno = rec->docno }, &r);
        if (!region_matches(&r, q->region))
            return 0;
    }
    /* The path as indexed, or the file however the glob spells it. */
    return !q->file_glob || fnmatch(q->file_glob, rec->file, 0) == 0 ||
           (s->file_canon[0] && rec->canon[0] && fnmatch(s->file_canon, rec->canon, 0) == 0);
}

/* 1 if the record's text passes the text check (or none is needed), 0 if
 * not, -1 when out of memory.  *nt_ready says whether the engine's nt was
 * built for rec's text. */
static int text_ok(search_state *s, const para_rec *rec, int *nt_ready)
{
    *nt_ready = 0;
    if (!plan_needs_check(s->plan))
        return 1;
    if (norm_text_build_opt(&s->e->nt, rec->text, rec->text_len, pq_norm_flags(s->pq)) != 0)
        return -1;
    *nt_ready = 1;
    return pq_eval(s->pq, &s->e->nt);
}

/* 1 if the record passes the filters Xapian could not apply and, when
 * needed, the text check (-1 when out of memory).  Leaves the engine's nt
 * built for rec's text when it was checked (*nt_ready). */
static int accept_rec(search_state *s, const para_rec *rec, int *nt_ready)
{
    *nt_ready = 0;
    return file_ok(s, rec) ? text_ok(s, rec, nt_ready) : 0;
}

/* --- assembling ---------------------------------------------------------------- */

/* The index (of several searched) document docid comes from, or NULL. */
static const char *source_of(const search_index *ix, unsigned docid)
{
    if (ix->ndirs < 2)
        return NULL;
    /* Xapian numbers the sub-databases of all indexes in a row. */
    size_t sub = xs_db_sub_of(ix->db, docid);
    for (size_t i = 0; i < ix->ndirs; i++) {
        if (sub < ix->shards_of[i])
            return ix->dirs[i];
        sub -= ix->shards_of[i];
    }
    return NULL;
}

/* Count a result (of rank s->results + 1): one of those passed over
 * (req->start), the one past the limit that `more` looks for, or one that
 * is passed on.  Returns 1 if it is to be passed on, else 0. */
static int rank_result(search_state *s)
{
    s->results++;
    if (s->results <= s->req->start)
        return 0;
    if (s->results - s->req->start > s->req->limit) {
        s->sum->more = 1;
        return 0;
    }
    return 1;
}

/* Hand hit to the callback.  Returns GO_ON, or STOP when it said so. */
static int pass_on(search_state *s, const search_hit *hit)
{
    s->sum->passed++;
    if (s->fn(s->ctx, hit) == 0)
        return GO_ON;
    s->sum->stopped = 1;
    return STOP;
}

/* The merged match spans of pq in text[0..len) (code points) into *out
 * (cleared first); nt holds the text's normalised form already when
 * nt_ready, else it is built here.  Returns 0, or -1 when out of memory. */
static int text_spans(const pq_query *pq, norm_text *nt, int nt_ready, const char *text, size_t len,
                      span_list *out)
{
    if (!nt_ready && norm_text_build_opt(nt, text, len, pq_norm_flags(pq)) != 0)
        return -1;
    span_clear(out);
    if (pq_spans(pq, nt, out) != 0)
        return -1;
    span_merge(out);
    return 0;
}

/* Rank one accepted paragraph and, when it is passed on, assemble it
 * (spans, snippet, page, source, explain; for a bare request none of the
 * first two) and call back; dups[0..ndups) are its matching copies (when
 * collapsed).  nt_ready: the engine's nt holds rec's text already.
 * Returns GO_ON, STOP or FAILED. */
static int deliver(search_state *s, const para_rec *rec, double weight, unsigned docid, int nt_ready,
                   const copy_where *dups, size_t ndups)
{
    search_engine *e = s->e;
    const search_request *q = s->req;
    if (!rank_result(s))
        return s->results >= s->want ? STOP : GO_ON;
    snippet snip = SNIPPET_INIT;
    span_clear(&e->spans);
    /* similar_to has no query to mark: its snippet opens the paragraph. */
    if (!q->bare && ((s->pq && text_spans(s->pq, &e->nt, nt_ready, rec->text, rec->text_len, &e->spans) != 0)
                     || snip_build(rec->text, rec->text_len, &e->spans, SNIPPET_WIDTH, &snip) != 0))
        return ps_err_nomem(s->err), FAILED;
    out_explain ex;
    if (q->explain && s->plan)
        plan_explain(s->plan, rec->file_key, docid, &ex);
    /* The page of the first match (where the text starts when none is placed). */
    size_t off = e->spans.n ? utf8_offset(rec->text, rec->text_len, e->spans.v[0].start) : 0;
    ps_region reg;
    region_of(&(region_src){ .issuer = rec->issuer, .title = rec->title, .docno = rec->docno }, &reg);
    search_hit hit = {
        .out = {
            .rank = (unsigned)s->results, .score = weight, .file = rec->file,
            .paragraph = rec->paragraph, .page = store_page_at(rec, off),
            .ocr = (rec->flags & PARA_F_OCR) != 0, .title = rec->title,
            .text = rec->text, .text_len = rec->text_len, .matches = q->bare ? NULL : &e->spans,
            .snip = q->bare ? NULL : &snip,
            .date = rec->date[0] ? rec->date : NULL, .issuer = rec->issuer[0] ? rec->issuer : NULL,
            .docno = rec->docno[0] ? rec->docno : NULL, .source = source_of(&e->ix, docid),
            .region = &reg, .explain = q->explain && s->plan ? &ex : NULL,
            .collapsed = q->mode == SEARCH_RANKED && !q->no_collapse,
            .dups = dups, .ndups = ndups
        },
        .rec = rec, .docid = docid
    };
    int rc = pass_on(s, &hit);
    snippet_free(&snip);
    return rc == GO_ON && s->results >= s->want ? STOP : rc;
}

/* SEARCH_FILES: rank rec's file unless it was ranked already.  Returns
 * GO_ON, STOP or FAILED. */
static int deliver_file(search_state *s, const para_rec *rec, unsigned docid)
{
    for (size_t i = 0; i < s->nfiles_seen; i++)
        if (!strcmp(s->files_seen[i], rec->file))
            return GO_ON;
    if (ARRAY_EGROW(s->err, s->files_seen, s->capfiles_seen, s->nfiles_seen + 1) != 0)
        return FAILED;
    if (!(s->files_seen[s->nfiles_seen] = strdup(rec->file)))
        return ps_err_nomem(s->err), FAILED;
    s->nfiles_seen++;
    if (!rank_result(s))
        return s->results >= s->want ? STOP : GO_ON;
    search_hit hit = { .out = { .rank = (unsigned)s->results, .file = rec->file }, .rec = rec, .docid = docid };
    int rc = pass_on(s, &hit);
    return rc == GO_ON && s->results >= s->want ? STOP : rc;
}

/* --- ranking ------------------------------------------------------------------- */

/* Read candidate i of m (store_read_match).  Returns 1, 0 for data that is
 * not a paragraph record, or FAILED. */
static int read_candidate(search_state *s, xs_mset *m, size_t i, char **data, para_rec *rec, char *key)
{
    ps_err xerr = PS_ERR_INIT;
    int rc = store_read_match(m, i, &s->e->ix.files, s->e->ix.db, data, rec, key, &xerr);
    return rc < 0 ? search_error(s, &xerr) : rc;
}

/* Where item j of m lies and its weight, if it has copy key key[0..klen):
 * its file (its file fields into *rec, from the file cache or the file's
 * document: no text chunk read) and paragraph number, both from its sort
 * key.  Returns 1, 0 for another key, or FAILED. */
static int group_member(search_state *s, xs_mset *m, size_t j, const char *key, size_t klen, para_rec *rec,
                        unsigned *docid, double *w)
{
    ps_err xerr = PS_ERR_INIT;
    char ikey[STORE_KEY_LEN], vid[17];
    if (store_item_key(m, j, ikey, &xerr) != 0)
        return search_error(s, &xerr);
    if (klen != STORE_COPY_KEY_LEN || memcmp(ikey, key, klen) != 0)
        return 0;
    store_key_vid(ikey, vid);
    memset(rec, 0, sizeof *rec);
    if (store_file_info(&s->e->ix.files, s->e->ix.db, vid, rec, &xerr) != 0) {
        xerr.code = PS_INDEX;       /* whatever Xapian said, the index lacks what it must hold */
        return search_error(s, &xerr);
    }
    rec->paragraph = store_key_paragraph(ikey);
    xs_mset_item(m, j, docid, w);
    return 1;
}

/* The group's best copy among items lo..hi-1 of m (copy key key[0..klen))
 * that pass the filters Xapian could not apply, delivered with the others
 * as its copies; its record is the group's one record read.  The copies
 * share the text check's answer (their normalised text is the same: the
 * first was checked), so a copy is known by its sort key and its file's
 * record alone.  Returns GO_ON, STOP or FAILED. */
static int deliver_group_keys(search_state *s, xs_mset *m, size_t lo, size_t hi, const char *key, size_t klen)
{
    copy_list *copies = &s->e->copies;
    para_rec best_rec;
    size_t best = SIZE_MAX;         /* the best passing copy's item */
    double best_w = 0;
    int rc = GO_ON;
    copies_clear(copies);
    memset(&best_rec, 0, sizeof best_rec);
    for (size_t j = lo; j < hi && rc == GO_ON; j++) {
        para_rec rec;
        unsigned docid;
        double w;
        int member = group_member(s, m, j, key, klen, &rec, &docid, &w);
        if (member <= 0) {
            rc = member < 0 ? FAILED : GO_ON;
            continue;
        }
        if (!file_ok(s, &rec))
            continue;
        int nomem = 0;
        copy_where a = { rec.file, rec.paragraph }, b = { best_rec.file, best_rec.paragraph };
        if (best == SIZE_MAX) {
            best = j, best_rec = rec, best_w = w;
        } else if (copies_cmp(w, &a, best_w, &b) < 0) {
            nomem = copies_add(copies, best_w, best_rec.file, best_rec.paragraph) != 0;
            best = j, best_rec = rec, best_w = w;
        } else {
            nomem = copies_add(copies, w, rec.file, rec.paragraph) != 0;
        }
        if (nomem)
            rc = (ps_err_nomem(s->err), FAILED);
    }
    if (rc != GO_ON || best == SIZE_MAX)
        return rc;
    char *data;
    unsigned docid;
    xs_mset_item(m, best, &docid, &best_w);
    int got = read_candidate(s, m, best, &data, &best_rec, NULL);
    if (got <= 0)
        return got;                 /* 0: not one of our records */
    rc = deliver(s, &best_rec, best_w, docid, 0, copies_ranked(copies), copies->n);
    free(data);
    return rc;
}

/* The best-ranked candidate of a group with copies, its copy key
 * key[0..klen): read every candidate of the group, keep those that pass
 * the check and the filters Xapian could not apply, and deliver the best
 * of them (ties by file and paragraph) with the others as its copies;
 * nothing when none passes.  The group's candidates are items i..end-1 of
 * the page m when store_copies_next placed them all there (end > 0), else
 * those plan_run_copies finds.  Xapian's own collapsing is not used: it
 * reads every candidate's key while matching (1-2 ms of a 4 ms search),
 * and its collapse count is a lower bound that cannot tell which copies
 * pass the check and the filters.  A group is found by the posting lists
 * of its copy buckets (the candidates in both, of which those with its
 * key are kept), so the cost is about the group's size, for ranked
 * results only (the limit bounds it).  With --issuer or --file the best
 * copy may be filtered out; the best one that passes then takes the
 * group's place in the ranking.  Under --no-fold copies (alike once
 * folded) may differ in script, so each copy's record is read and checked
 * on its own; else deliver_group_keys reads the best copy's record only.
 * Returns GO_ON, STOP or FAILED. */
static int deliver_group(search_state *s, xs_mset *page, size_t i, size_t end, const char *key, size_t klen)
{
    int literal = s->pq->literal != 0;
    if (end > 0 && !literal)
        return deliver_group_keys(s, page, i, end, key, klen);
    ps_err xerr = PS_ERR_INIT;
    if (search_arm(s->e, s->err) != 0)
        return FAILED;
    xs_mset *m = plan_run_copies(s->plan, key, klen, s->doccount, &xerr);
    if (!m)
        return search_error(s, &xerr);
    if (search_expired(s->e, s->err) != 0) {
        xs_mset_free(m);
        return FAILED;
    }
    if (!literal) {
        int rc = deliver_group_keys(s, m, 0, xs_mset_size(m), key, klen);
        xs_mset_free(m);
        return rc;
    }
    copy_list *copies = &s->e->copies;
    char *best = NULL;              /* the best passing copy's data, its record in best_rec */
    para_rec best_rec;
    double best_w = 0;
    unsigned best_id = 0;
    int rc = GO_ON;
    copies_clear(copies);
    memset(&best_rec, 0, sizeof best_rec);
    for (size_t j = 0; j < xs_mset_size(m) && rc == GO_ON; j++) {
        unsigned docid;
        double w;
        char *data;
        para_rec rec;
        int member = store_copy_member(m, j, key, klen, &xerr);
        if (member < 0)
            rc = search_error(s, &xerr);
        if (member <= 0)
            continue;               /* 0: another key in the same buckets */
        xs_mset_item(m, j, &docid, &w);
        int got = read_candidate(s, m, j, &data, &rec, NULL);
        if (got <= 0) {
            rc = got;               /* 0: not one of our records */
            continue;
        }
        int nt_ready;
        int ok = accept_rec(s, &rec, &nt_ready);
        int nomem = ok < 0;
        if (ok > 0 && !best) {
            best = data, data = NULL;
            best_rec = rec, best_w = w, best_id = docid;
        } else if (ok > 0) {
            copy_where a = { rec.file, rec.paragraph }, b = { best_rec.file, best_rec.paragraph };
            if (copies_cmp(w, &a, best_w, &b) < 0) {
                nomem = copies_add(copies, best_w, best_rec.file, best_rec.paragraph) != 0;
                free(best);
                best = data, data = NULL;
                best_rec = rec, best_w = w, best_id = docid;
            } else {
                nomem = copies_add(copies, w, rec.file, rec.paragraph) != 0;
            }
        }
        free(data);
        if (nomem)
            rc = (ps_err_nomem(s->err), FAILED);
    }
    xs_mset_free(m);
    if (rc == GO_ON && best)
        rc = deliver(s, &best_rec, best_w, best_id, 0, copies_ranked(copies), copies->n);
    free(best);
    return rc;
}

/* The 64-bit copy key that begins key (STORE_COPY_KEY_LEN bytes, big-endian). */
static uint64_t copy_key_of(const char *key)
{
    uint64_t ck = 0;
    for (int b = 0; b < STORE_COPY_KEY_LEN; b++)
        ck = ck << 8 | (unsigned char)key[b];
    return ck;
}

/* Decide candidate i of m (n items of a page of `page`), its record rec and
 * key: when copies collapse, a group is decided at its best-ranked member
 * (later ones are passed over); copies share the text check's answer, and
 * the group decides the rest, file filters included.  Returns GO_ON, STOP
 * or FAILED. */
static int decide(search_state *s, xs_mset *m, size_t n, size_t i, unsigned page,
                  const para_rec *rec, const char *key, unsigned docid, double weight)
{
    int nt_ready = 0, ok;
    enum search_mode mode = s->req->mode;
    /* Only ranked results collapse: count and files count every match. */
    if (mode == SEARCH_RANKED && !s->req->no_collapse) {
        int fresh = copies_seen_add(&s->seen, copy_key_of(key));
        /* Under no_fold copies (alike once folded) may differ in script:
         * each is checked on its own in deliver_group. */
        int literal = s->pq->literal != 0;
        ok = fresh > 0 ? (literal ? 1 : text_ok(s, rec, &nt_ready)) : fresh;
        size_t end = 0;
        if (ok > 0 && store_copies_next(s->e->ix.db, m, n, i, page, key, &end))
            return deliver_group(s, m, i, end, key, STORE_COPY_KEY_LEN);
        if (ok > 0)                 /* a group of one */
            ok = literal ? accept_rec(s, rec, &nt_ready) : file_ok(s, rec);
    } else {
        ok = accept_rec(s, rec, &nt_ready);
    }
    if (ok < 0)
        return ps_err_nomem(s->err), FAILED;
    if (ok == 0)
        return GO_ON;
    if (mode == SEARCH_COUNT) {
        s->results++;
        return s->results >= s->want ? STOP : GO_ON;
    }
    if (mode == SEARCH_FILES)
        return deliver_file(s, rec, docid);
    return deliver(s, rec, weight, docid, nt_ready, NULL, 0);
}

/* The file version id of item i of m into hit->version, from the place
 * that ends its sort key (store.h: the version id's 8 bytes open it).
 * Returns 0, or -1 with s->err set. */
static int hit_version(search_state *s, xs_mset *m, size_t i, search_hit *hit)
{
    char key[STORE_KEY_LEN];
    if (store_item_key(m, i, key, s->err) != 0)
        return -1;
    uint64_t v = 0;
    for (int b = 0; b < 8; b++)
        v = v << 8 | (unsigned char)key[STORE_COPY_KEY_LEN + b];
    hit->version = v;
    return 0;
}

/* Walk the candidates in rank order, page by page, until s->want results
 * were ranked, the callback stopped, or the candidates ran out.  Returns
 * GO_ON, STOP or FAILED. */
static int walk(search_state *s)
{
    int collapse = s->req->mode == SEARCH_RANKED && !s->req->no_collapse;
    unsigned first = 0;
    /* A page holds a group's copies too, and a later page is a new match:
     * ten candidates per result spare it even where copies abound. */
    uint64_t room = collapse && s->want < 200 ? 10 * s->want : s->want;
    unsigned page = room < 50 ? 50 : room > 2000 ? 2000 : (unsigned)room;
    /* Unless a plan's top costs what it holds (plan_top_cheap): then a page
     * twice the results, a later one when copies took its room. */
    if (plan_top_cheap(s->plan) && s->want < 1000)
        page = s->want < 10 ? 20 : 2 * (unsigned)s->want;
    if (plan_needs_check(s->plan) && page < 200)
        page = 200;
    const search_request *q = s->req;
    int ids_only = q->ids && q->bare && q->no_collapse && q->mode == SEARCH_RANKED && !plan_needs_check(s->plan) &&
                   !q->issuer && !q->file_glob && !q->region;
    /* Ids in one page: each later page would match and rank from the start again. */
    if (ids_only && s->want == SEARCH_ALL)
        page = s->doccount > 0 && s->doccount < UINT_MAX ? (unsigned)s->doccount : UINT_MAX;
    for (;;) {
        ps_err xerr = PS_ERR_INIT;
        if (search_arm(s->e, s->err) != 0)
            return FAILED;
        xs_mset *m = plan_run(s->plan, first, page, &xerr);
        if (!m)
            return search_error(s, &xerr);
        size_t n = xs_mset_size(m);
        int rc = search_expired(s->e, s->err) != 0 ? FAILED : GO_ON;
        for (size_t i = 0; i < n && rc == GO_ON; i++) {
            /* The text checks are bounded too: a clock read per 64 candidates. */
            if ((i & 63) == 63 && search_expired(s->e, s->err) != 0) {
                rc = FAILED;
                break;
            }
            unsigned docid;
            double weight;
            xs_mset_item(m, i, &docid, &weight);
            if (ids_only) {         /* what plan_count counts, without a record read */
                search_hit hit = { .out = { .rank = (unsigned)(s->results + 1), .score = weight }, .docid = docid };
                rc = !rank_result(s) ? GO_ON : hit_version(s, m, i, &hit) != 0 ? FAILED : pass_on(s, &hit);
                if (rc == GO_ON && s->results >= s->want)
                    rc = STOP;
                continue;
            }
            char *data, key[STORE_KEY_LEN];
            para_rec rec;
            int got = read_candidate(s, m, i, &data, &rec, key);
            if (got <= 0) {
                rc = got;           /* 0: not one of our records */
                continue;
            }
            rc = decide(s, m, n, i, page, &rec, key, docid, weight);
            free(data);
        }
        xs_mset_free(m);
        if (rc != GO_ON || n < page)
            return rc;
        first += page;
        if (page < 20000)
            page *= 2;
    }
}

/* Parse q's query into *pq and build its plan on e's indexes into *pl,
 * with the filters of the request.  Returns 0, or -1 with err set (*pq
 * and *pl may then be set: free them). */
static int prepare(const search_engine *e, const search_request *q, pq_query **pq, plan **pl, ps_err *err)
{
    const search_index *ix = &e->ix;
    size_t len = q->query_len ? q->query_len : strlen(q->query);
    char type_terms[FMT_COUNT][20];
    const char *type_ptrs[FMT_COUNT];
    size_t ntypes = 0;
    *pq = NULL;
    *pl = NULL;
    if (q->type && reader_type_terms(q->type, type_terms, type_ptrs, &ntypes) != 0)
        return ps_err_set(err, PS_USAGE, "type: '%s' is not a list of pdf, docx, doc, ofd, html, text, image",
                          q->type), -1;
    if (q->region && !region_is_place(q->region))
        return ps_err_set(err, PS_USAGE, "region: no such place: %s", q->region), -1;
    buf cites_term = BUF_INIT;
    const char *cites_ptr = NULL;
    if (q->cites) {
        int r = refs_cite_term(q->cites, &cites_term, err);
        if (r > 0)
            ps_err_set(err, PS_USAGE, "cites: '%s' is not a document title or number", q->cites);
        if (r != 0)
            return buf_free(&cites_term), -1;
        cites_ptr = cites_term.data;
    }
    int rc = -1;
    if (pq_parse_opt(q->query, len, q->no_fold ? PQ_LITERAL : 0, pq, err) == 0) {
        /* The plan copies the filter terms into its Xapian query. */
        plan_in in = {
            .db = ix->db, .pq = *pq, .forms = &ix->forms, .lx = ix->lx,
            .expand = !q->no_expand, .boost = !q->no_boost, .explain = q->explain,
            .post_filter = q->issuer || q->file_glob || q->region, .date_lo = q->date_lo, .date_hi = q->date_hi,
            .filter_any = type_ptrs, .nfilter_any = ntypes,
            .filter_any2 = &cites_ptr, .nfilter_any2 = cites_ptr ? 1 : 0
        };
        rc = (*pl = plan_build(&in, err)) ? 0 : -1;
    }
    buf_free(&cites_term);
    return rc;
}

/* See search.h. */
int search_type_ok(const char *list)
{
    char terms[FMT_COUNT][20];
    const char *ptrs[FMT_COUNT];
    size_t n = 0;
    return reader_type_terms(list, terms, ptrs, &n) == 0;
}

/* See search.h. */
int search_cites_ok(const char *s, ps_err *err)
{
    buf term = BUF_INIT;
    int r = refs_cite_term(s, &term, err);
    buf_free(&term);
    return r < 0 ? -1 : r == 0;
}

/* --- similar paragraphs (similar_to) -------------------------------------------- */

/* See search.h. */
/* Split "FILE:PARAGRAPH" (the last colon, then a paragraph number >= 1)
 * into *file (appended) and *paragraph.  Returns 0, or -1 with PS_USAGE
 * (or PS_NOMEM) in *err. */
static int search_para_ref(const char *arg, buf *file, unsigned *paragraph, ps_err *err)
{
    const char *colon = strrchr(arg, ':');
    char *end;
    if (!colon || colon == arg || colon[1] < '1' || colon[1] > '9')
        goto bad;
    errno = 0;
    unsigned long n = strtoul(colon + 1, &end, 10);
    if (*end || errno || n > 10000000)
        goto bad;
    if (buf_eappend(err, file, arg, (size_t)(colon - arg)) != 0)
        return -1;
    *paragraph = (unsigned)n;
    return 0;
bad:
    return ps_err_set(err, PS_USAGE, "%s: not FILE:PARAGRAPH (a file, a colon, a paragraph number from 1)",
                      arg), -1;
}

/* One candidate kept with its similarity. */
typedef struct sim_cand {
    double    sim;                   /* its similarity to the paragraph */
    char     *data;                  /* its record's data (malloc'd); rec points into it */
    para_rec  rec;                   /* its record, file fields resolved */
    unsigned  docid;                 /* its document id */
    uint64_t  copy;                  /* its copy key */
} sim_cand;

/* The distinct index terms of a paragraph, as an OR query. */
typedef struct sim_terms {
    buf        bytes;                /* the terms, each NUL-terminated */
    size_t    *offs;                 /* where each term begins in bytes */
    size_t     n;                    /* terms */
    size_t     cap;                  /* offsets allocated */
    int        singles;              /* single characters are kept too */
} sim_terms;

/* tok_terms' callback: keep each bigram and word (duplicates are removed
 * later); single characters too when t->singles is set. */
static int keep_term(void *ctx, const char *term, size_t len, enum tok_kind kind, size_t pos)
{
    sim_terms *t = ctx;
    (void)pos;
    if (!t->singles && kind != TOK_BIGRAM && kind != TOK_WORD)
        return 0;
    if (buf_grow_array((void **)&t->offs, &t->cap, t->n + 1, sizeof *t->offs) != 0)
        return -1;
    t->offs[t->n++] = t->bytes.len;
    return buf_append(&t->bytes, term, len) != 0 || buf_putc(&t->bytes, '\0') != 0 ? -1 : 0;
}

/* A term of sim_terms, for sorting. */
typedef struct term_ref {
    const char *s;                   /* the term (NUL-terminated, in sim_terms.bytes) */
    uint64_t    freq;                /* paragraphs that have it */
} term_ref;

/* qsort order of term_ref: by string. */
static int cmp_term_ref(const void *a, const void *b)
{
    return strcmp(((const term_ref *)a)->s, ((const term_ref *)b)->s);
}

/* qsort order of term_ref: rarest first, then by string. */
static int cmp_term_freq(const void *a, const void *b)
{
    const term_ref *x = a, *y = b;
    return x->freq != y->freq ? (x->freq > y->freq) - (x->freq < y->freq) : strcmp(x->s, y->s);
}

/* qsort order of candidates: most similar first, then by file and paragraph. */
static int cmp_cand(const void *a, const void *b)
{
    const sim_cand *x = a, *y = b;
    if (x->sim != y->sim)
        return x->sim > y->sim ? -1 : 1;
    int c = strcmp(x->rec.file, y->rec.file);
    return c ? c : (x->rec.paragraph > y->rec.paragraph) - (x->rec.paragraph < y->rec.paragraph);
}

/* The filters of the request that Xapian applies (dates, formats, cites)
 * around q (taken over), and the live documents only, as a plan applies
 * them (plan_filter).  Returns the query, or NULL with err set (q freed). */
static store_query *similar_filter(search_state *s, xs_query *q)
{
    const search_request *r = s->req;
    char type_terms[FMT_COUNT][20];
    const char *type_ptrs[FMT_COUNT];
    size_t ntypes = 0;
    buf cites_term = BUF_INIT;
    const char *cites_ptr = NULL;
    if (r->type && reader_type_terms(r->type, type_terms, type_ptrs, &ntypes) != 0) {
        ps_err_set(s->err, PS_USAGE, "type: '%s' is not a list of pdf, docx, doc, ofd, html, text, image", r->type);
        xs_query_free(q);
        return NULL;
    }
    if (r->cites) {
        int c = refs_cite_term(r->cites, &cites_term, s->err);
        if (c > 0)
            ps_err_set(s->err, PS_USAGE, "cites: '%s' is not a document title or number", r->cites);
        if (c != 0) {
            buf_free(&cites_term);
            xs_query_free(q);
            return NULL;
        }
        cites_ptr = cites_term.data;
    }
    plan_in in = {
        .db = s->e->ix.db, .date_lo = r->date_lo, .date_hi = r->date_hi,
        .filter_any = type_ptrs, .nfilter_any = ntypes,
        .filter_any2 = &cites_ptr, .nfilter_any2 = cites_ptr ? 1 : 0
    };
    store_query *live = plan_filter(&in, q, s->err);
    buf_free(&cites_term);
    return live;
}

/* The OR query of the distinct index terms of the normalised text nt,
 * with the request's filters; NULL with err set. */
static store_query *similar_query(search_state *s, const norm_text *nt)
{
    sim_terms t = { BUF_INIT, NULL, 0, 0, 0 };
    term_ref *refs = NULL;
    xs_query **subs = NULL, *q = NULL;
    store_query *live = NULL;
    size_t nsubs = 0;
    int rc = tok_terms(nt, 0, nt->len, keep_term, &t);
    if (rc == 0 && t.n == 0) {      /* no bigram nor word: its characters */
        t.singles = 1;
        rc = tok_terms(nt, 0, nt->len, keep_term, &t);
    }
    if (rc != 0 || !(refs = calloc(t.n + 1, sizeof *refs)) ||
        !(subs = calloc(t.n + 1, sizeof *subs))) {
        ps_err_nomem(s->err);
        goto out;
    }
    for (size_t i = 0; i < t.n; i++)
        refs[i].s = t.bytes.data + t.offs[i];
    if (t.n > 1)
        qsort(refs, t.n, sizeof *refs, cmp_term_ref);
    /* The distinct terms with their frequencies; those only the paragraph
     * and its copies have (frequency 1) find nothing else. */
    size_t nd = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (i && !strcmp(refs[i].s, refs[i - 1].s))
            continue;
        ps_err xerr = PS_ERR_INIT;
        uint64_t f = 0;
        if (xs_db_termfreq(s->e->ix.db, refs[i].s, strlen(refs[i].s), &f, &xerr) != PS_OK) {
            search_error(s, &xerr);
            goto out;
        }
        if (f > 1)
            refs[nd++] = (term_ref){ refs[i].s, f };
    }
    if (nd > 1)
        qsort(refs, nd, sizeof *refs, cmp_term_freq);
    uint64_t postings = 0;
    for (size_t i = 0; i < nd && i < SEARCH_SIMILAR_TERMS; i++) {
        if (nsubs >= SEARCH_SIMILAR_TERMS / 4 && postings + refs[i].freq > SEARCH_SIMILAR_POSTINGS)
            break;
        if (!(subs[nsubs] = xs_query_term(refs[i].s, strlen(refs[i].s), 1, s->err)))
            goto out;
        nsubs++;
        postings += refs[i].freq;
    }
    if (nsubs == 0) {
        ps_err_set(s->err, PS_USAGE, "%s: the paragraph has no text to compare", s->req->similar_to);
        goto out;
    }
    q = nsubs == 1 ? subs[0] : xs_query_combine(XS_OP_OR, subs, nsubs, s->err);
    if (q == subs[0])
        subs[0] = NULL;
    if (q)
        live = similar_filter(s, q);
out:
    for (size_t i = 0; i < nsubs; i++)
        xs_query_free(subs[i]);
    free(subs);
    free(refs);
    free(t.offs);
    buf_free(&t.bytes);
    return live;
}

/* The paragraph the request's similar_to names, read from the index:
 * its record into *rec (pointing into *data, malloc'd) and its copy key
 * into *copy.  Returns 0, or -1 with err set. */
static int similar_seed(search_state *s, char **data, para_rec *rec, uint64_t *copy)
{
    const search_index *ix = &s->e->ix;
    buf file = BUF_INIT;
    unsigned para = 0;
    int rc = -1, found = 0, local = 0;
    file_rec fr;
    *data = NULL;
    if (search_para_ref(s->req->similar_to, &file, &para, s->err) != 0)
        goto out;
    for (size_t i = 0; i < ix->ndirs && !found; i++) {
        if (!strncmp(ix->dirs[i], "tcp://", 6))
            continue;
        local = 1;
        if ((found = store_find_file(ix->dirs[i], file.data, &fr, s->err)) < 0)
            goto out;
    }
    if (!local) {
        ps_err_set(s->err, PS_USAGE, "%s: a paragraph is looked up in a local index, not a remote one",
                   s->req->similar_to);
        goto out;
    }
    if (!found)
        goto missing;
    size_t len;
    int got = store_para_data(ix->db, fr.vid, para, data, &len, s->err);
    file_rec_free(&fr);
    if (got < 0 || (got > 0 && store_rec_decode(*data, len, rec) != 0)) {
        if (got > 0)
            ps_err_set(s->err, PS_INDEX, "%s: a paragraph record that does not decode", s->req->similar_to);
        goto out;
    }
    if (got > 0) {
        /* Its copy key, as the index made it (docbuild.h). */
        if (norm_text_build(&s->e->nt, rec->text, rec->text_len) != 0) {
            ps_err_nomem(s->err);
            goto out;
        }
        *copy = copies_text_key(&s->e->nt);
        rc = 0;
        goto out;
    }
missing:
    ps_err_set(s->err, PS_USAGE, "%s: not in the index", s->req->similar_to);
out:
    buf_free(&file);
    return rc;
}

/* The results of similar_to, as search_run's walk gives a query's.
 * Returns GO_ON, STOP or FAILED. */
static int walk_similar(search_state *s)
{
    search_engine *e = s->e;
    const search_request *r = s->req;
    char *seed_data = NULL;
    para_rec seed;
    memset(&seed, 0, sizeof seed);
    uint64_t seed_copy = 0;
    sim_cand *c = NULL;
    size_t nc = 0, capc = 0;
    xs_mset *m = NULL;
    store_query *q = NULL;
    int rc = FAILED;
    if (similar_seed(s, &seed_data, &seed, &seed_copy) != 0)
        goto out;
    if (norm_text_build(&e->nt, seed.text, seed.text_len) != 0 || shingle_build(&e->seed, &e->nt) != 0) {
        ps_err_nomem(s->err);
        goto out;
    }
    if (!(q = similar_query(s, &e->nt)))
        goto out;
    uint64_t want = s->want > SEARCH_SIMILAR_CANDIDATES / 5 ? SEARCH_SIMILAR_CANDIDATES : 5 * s->want;
    ps_err xerr = PS_ERR_INIT;
    if (want < 50)
        want = 50;
    if (!(m = store_enquire(e->ix.db, q, 0, (unsigned)want, 0, NULL, &xerr))) {
        search_error(s, &xerr);
        goto out;
    }
    rc = GO_ON;
    for (size_t i = 0; i < xs_mset_size(m) && rc == GO_ON; i++) {
        sim_cand x;
        char key[STORE_KEY_LEN];
        memset(&x, 0, sizeof x);
        int got = read_candidate(s, m, i, &x.data, &x.rec, key);
        if (got <= 0) {
            rc = got;
            continue;
        }
        double w;
        xs_mset_item(m, i, &x.docid, &w);
        x.copy = copy_key_of(key);
        int keep = strncmp(x.rec.file_key, seed.file_key, 16) != 0 &&
                   (r->with_copies || x.copy != seed_copy) && file_ok(s, &x.rec);
        if (keep && shingle_text(&e->cand, &e->nt, x.rec.text, x.rec.text_len) != 0)
            rc = (ps_err_nomem(s->err), FAILED);
        if (keep && rc == GO_ON) {
            x.sim = shingle_jaccard(&e->seed, &e->cand);
            keep = x.sim > 0 && x.sim >= r->similar_min;
        }
        if (keep && rc == GO_ON && ARRAY_EGROW(s->err, c, capc, nc + 1) != 0)
            rc = FAILED;
        if (keep && rc == GO_ON)
            c[nc++] = x;
        else
            free(x.data);
    }
    if (nc > 1)
        qsort(c, nc, sizeof *c, cmp_cand);
    int collapse = r->mode == SEARCH_RANKED && !r->no_collapse;
    for (size_t i = 0; i < nc && rc == GO_ON; i++) {
        if (!c[i].data)
            continue;               /* a copy, shown with its leader */
        if (r->mode == SEARCH_COUNT) {
            rc = ++s->results >= s->want ? STOP : GO_ON;
            continue;
        }
        if (r->mode == SEARCH_FILES) {
            rc = deliver_file(s, &c[i].rec, c[i].docid);
            continue;
        }
        copies_clear(&e->copies);
        /* Copies have the same text, so the same similarity: they follow. */
        for (size_t j = i + 1; collapse && j < nc && c[j].sim == c[i].sim && rc == GO_ON; j++)
            if (c[j].data && c[j].copy == c[i].copy) {
                if (copies_add(&e->copies, c[j].sim, c[j].rec.file, c[j].rec.paragraph) != 0)
                    rc = (ps_err_nomem(s->err), FAILED);
                free(c[j].data);
                c[j].data = NULL;
            }
        if (rc == GO_ON)
            rc = deliver(s, &c[i].rec, c[i].sim, c[i].docid, 0, copies_ranked(&e->copies), e->copies.n);
    }
out:
    for (size_t i = 0; i < nc; i++)
        free(c[i].data);
    free(c);
    xs_mset_free(m);
    store_query_free(q);
    free(seed_data);
    return rc;
}

/* start + limit (+ 1 for more), saturated: the results a ranked search
 * must find. */
static uint64_t wanted(const search_request *q)
{
    uint64_t w = q->start + q->limit;
    if (w < q->start)
        return UINT64_MAX;
    return q->more && w < UINT64_MAX ? w + 1 : w;
}

/* See search.h. */
int search_run(search_engine *e, const search_request *req, search_hit_fn fn, void *ctx,
               search_summary *sum, ps_err *err)
{
    search_state s = { .e = e, .req = req, .fn = fn, .ctx = ctx, .sum = sum, .err = err };
    copy_seen seen0 = COPY_SEEN_INIT;
    s.seen = seen0;
    if (req->file_glob)
        (void)walk_canonical_glob(req->file_glob, s.file_canon, sizeof s.file_canon);  /* "" if too long */
    memset(sum, 0, sizeof *sum);
    if (req->similar_to) {
        s.want = req->mode == SEARCH_COUNT ? UINT64_MAX : req->limit ? wanted(req) : 0;
        int rc = 0;
        if (req->region && !region_is_place(req->region))
            rc = (ps_err_set(err, PS_USAGE, "region: no such place: %s", req->region), -1);
        else if (s.want > 0)
            rc = walk_similar(&s) == FAILED ? -1 : 0;
        sum->count = s.results;
        if (sum->more)
            sum->count--;
        for (size_t i = 0; i < s.nfiles_seen; i++)
            free(s.files_seen[i]);
        free(s.files_seen);
        return rc;
    }
    int rc = prepare(e, req, &s.pq, &s.plan, err);
    s.want = req->mode == SEARCH_COUNT ? UINT64_MAX : req->limit ? wanted(req) : 0;
    ps_err xerr = PS_ERR_INIT;
    if (rc == 0 && s.want > 0 && xs_db_doccount(e->ix.db, &s.doccount, &xerr) != PS_OK)
        rc = search_error(&s, &xerr);
    if (rc == 0 && s.want > 0 && req->mode == SEARCH_COUNT && !plan_needs_check(s.plan)) {
        if (search_arm(e, err) != 0)
            rc = -1;
        else if (plan_count(s.plan, s.doccount, &s.results, &xerr) != 0)
            rc = search_error(&s, &xerr);
        else if (search_expired(e, err) != 0)
            rc = -1;
    } else if (rc == 0 && s.want > 0) {
        rc = walk(&s) == FAILED ? -1 : 0;
    }
    sum->count = s.results;
    if (sum->more)
        sum->count--;               /* the one past the limit is not reported */
    plan_free(s.plan);
    pq_free(s.pq);
    for (size_t i = 0; i < s.nfiles_seen; i++)
        free(s.files_seen[i]);
    free(s.files_seen);
    copies_seen_free(&s.seen);
    return rc;
}

/* What search_count_files passes each file version through. */
typedef struct count_files_ctx {
    search_state *s;                 /* the search (its engine, request and error) */
    int         (*fn)(void *ctx, const para_rec *file, uint64_t n); /* the caller's callback */
    void         *ctx;               /* its context */
    int           failed;            /* a file record could not be read (s->err says why) */
} count_files_ctx;

/* plan_count_versions' callback: the file of version vid[0..len), through
 * the engine's file cache and the filters Xapian could not apply, to the
 * caller.  Returns 0, or 1 to stop (the caller's wish, or an error). */
static int count_version(void *ctx, const char *vid, size_t len, uint64_t n)
{
    count_files_ctx *c = ctx;
    uint64_t v = 0;
    for (size_t i = 0; i < len && i < 8; i++)
        v = v << 8 | (unsigned char)vid[i];
    char key[17];
    snprintf(key, sizeof key, "%016" PRIx64, v);
    para_rec rec = { .file_key = key, .text = "", .page_breaks = "" };
    ps_err xerr = PS_ERR_INIT;
    if (store_file_lookup(&c->s->e->ix.files, c->s->e->ix.db, &rec, NULL, 0, &xerr) != 0) {
        xerr.code = xerr.code == PS_NOMEM ? PS_NOMEM : PS_INDEX;   /* the index lacks what it must hold */
        search_error(c->s, &xerr);
        return c->failed = 1;
    }
    return file_ok(c->s, &rec) && c->fn(c->ctx, &rec, n) != 0;
}

/* See search.h. */
int search_count_files(search_engine *e, const search_request *req,
                       int (*fn)(void *ctx, const para_rec *file, uint64_t n), void *ctx, ps_err *err)
{
    search_summary sum;
    search_state s = { .e = e, .req = req, .sum = &sum, .err = err };
    for (size_t i = 0; i < e->ix.ndirs; i++)
        if (!strncmp(e->ix.dirs[i], "tcp://", 6))
            return 1;               /* Xapian's remote protocol cannot run the shim's match spy */
    if (req->similar_to)
        return 1;
    if (req->file_glob)
        (void)walk_canonical_glob(req->file_glob, s.file_canon, sizeof s.file_canon);
    int rc = prepare(e, req, &s.pq, &s.plan, err);
    ps_err xerr = PS_ERR_INIT;
    if (rc == 0 && plan_needs_check(s.plan))
        rc = 1;
    if (rc == 0 && xs_db_doccount(e->ix.db, &s.doccount, &xerr) != PS_OK)
        rc = search_error(&s, &xerr);
    if (rc == 0) {
        count_files_ctx c = { .s = &s, .fn = fn, .ctx = ctx };
        if (search_arm(e, err) != 0)
            rc = -1;
        else if (plan_count_versions(s.plan, s.doccount, count_version, &c, &xerr) != 0)
            rc = search_error(&s, &xerr);
        else if (c.failed || search_expired(e, err) != 0)
            rc = -1;
    }
    plan_free(s.plan);
    pq_free(s.pq);
    return rc;
}

/* The OR of the copy bucket queries of the sorted, distinct keys[0..n)
 * (n > 0).  NULL with err set on failure. */
static xs_query *copies_any_query(const uint64_t *keys, size_t n, ps_err *err)
{
    xs_query **parts = calloc(n, sizeof *parts), *q = NULL;
    size_t k = 0;
    if (!parts)
        return ps_err_nomem(err), NULL;
    for (; k < n; k++) {
        char key[STORE_COPY_KEY_LEN];
        for (int b = 0; b < STORE_COPY_KEY_LEN; b++)
            key[b] = (char)(keys[k] >> (56 - 8 * b));
        if (!(parts[k] = store_copy_query(key, sizeof key, err)))
            break;
    }
    if (k == n)
        q = n == 1 ? parts[0] : xs_query_combine(XS_OP_OR, parts, n, err);
    for (size_t i = 0; i < k; i++)
        if (parts[i] != q)
            xs_query_free(parts[i]);
    free(parts);
    return q;
}

/* See search.h. */
int search_copies_of(search_engine *e, const uint64_t *keys, size_t n, unsigned max_read,
                     int (*fn)(void *ctx, uint64_t key, const para_rec *rec), void *ctx, ps_err *err)
{
    if (!n)
        return 0;
    uint64_t *sorted = malloc(n * sizeof *sorted);
    unsigned *read = NULL;
    if (!sorted)
        return ps_err_nomem(err), -1;
    memcpy(sorted, keys, n * sizeof *sorted);
    size_t nk = buf_sort_unique_u64(sorted, n);
    uint64_t doccount = 0;
    ps_err xerr = PS_ERR_INIT;
    xs_mset *m = NULL;
    int rc = -1;
    if (!(read = calloc(nk, sizeof *read))) {
        ps_err_nomem(err);
        goto out;
    }
    if (xs_db_doccount(e->ix.db, &doccount, &xerr) != PS_OK)
        goto xfail;
    store_query *q = store_query_live(e->ix.db, copies_any_query(sorted, nk, &xerr), &xerr);
    if (!q)
        goto xfail;
    unsigned max = doccount > 0 && doccount < UINT_MAX ? (unsigned)doccount : UINT_MAX;
    if (search_arm(e, err) != 0) {
        store_query_free(q);
        goto out;
    }
    m = store_enquire(e->ix.db, q, 0, max, 0, NULL, &xerr);
    store_query_free(q);
    if (!m)
        goto xfail;
    if (search_expired(e, err) != 0)
        goto out;
    rc = 0;
    for (size_t i = 0; i < xs_mset_size(m) && rc == 0; i++) {
        char key[STORE_KEY_LEN];
        if (store_item_key(m, i, key, &xerr) != 0)
            goto xfail;
        uint64_t ck = copy_key_of(key);
        const uint64_t *hit = bsearch(&ck, sorted, nk, sizeof *sorted, buf_cmp_u64);
        if (!hit)
            continue;                /* another key in the same buckets */
        size_t k = (size_t)(hit - sorted);
        if (read[k] >= max_read) {
            rc = fn(ctx, ck, NULL) ? 1 : 0;
            continue;
        }
        char *data;
        para_rec rec;
        int got = store_read_match(m, i, &e->ix.files, e->ix.db, &data, &rec, NULL, &xerr);
        if (got < 0)
            goto xfail;
        if (got == 0)
            continue;                /* not a paragraph record */
        read[k]++;
        rc = fn(ctx, ck, &rec) ? 1 : 0;
        free(data);
    }
    rc = 0;
    goto out;
xfail:
    rc = -1;
    store_read_error(err, e->ix.ndirs == 1 ? e->ix.dirs[0] : "the indexes", &xerr);
out:
    xs_mset_free(m);
    free(read);
    free(sorted);
    return rc;
}

/* --- marking ------------------------------------------------------------------- */

struct search_marker {
    pq_query  *pq;                   /* the parsed query, expanded as a search expands it */
    plan      *plan;                 /* its plan (kept: the expansion was made for it) */
    norm_text  nt;                   /* reused normalised text */
};

/* See search.h. */
search_marker *search_marker_new(search_engine *e, const search_request *req, ps_err *err)
{
    search_marker *m = calloc(1, sizeof *m);
    if (!m)
        return ps_err_nomem(err), NULL;
    norm_text nt0 = NORM_TEXT_INIT;
    m->nt = nt0;
    if (prepare(e, req, &m->pq, &m->plan, err) == 0)
        return m;
    search_marker_free(m);
    return NULL;
}

/* See search.h. */
int search_marker_spans(search_marker *m, const char *text, size_t len, span_list *out, ps_err *err)
{
    if (text_spans(m->pq, &m->nt, 0, text, len, out) != 0)
        return ps_err_nomem(err), -1;
    return 0;
}

/* See search.h. */
void search_marker_free(search_marker *m)
{
    if (!m)
        return;
    plan_free(m->plan);
    pq_free(m->pq);
    norm_text_free(&m->nt);
    free(m);
}

/* --- exporting ----------------------------------------------------------------- */

/* One indexed file of an export. */
typedef struct export_file {
    char     *path;                  /* its path as indexed (malloc'd) */
    char      vid[17];               /* its live version's id */
    uint64_t  v;                     /* the same as a number */
} export_file;

/* One match of an export's query: its file version and paragraph. */
typedef struct export_match {
    uint64_t  v;                     /* the file version id */
    unsigned  paragraph;             /* the paragraph number */
} export_match;

/* An export while it runs. */
typedef struct export_state {
    search_state   s;                /* the request, the engine, the caller's callback (file_ok) */
    export_file   *files;            /* the indexed files, sorted by path */
    size_t         nfiles;           /* number of them */
    size_t         capfiles;         /* allocated */
    export_match  *matches;          /* with a query: its matches, sorted */
    size_t         nmatches;         /* number of them */
    size_t         capmatches;       /* allocated */
    int            query;            /* a query selects the paragraphs */
    int            file_state;       /* this file: -1 not decided, 0 left out, 1 exported */
    uint64_t       rows;             /* rows passed on */
    int            failed;           /* out of memory in a callback */
} export_state;

/* qsort order of files: path, then version. */
static int export_file_cmp(const void *a, const void *b)
{
    const export_file *x = a, *y = b;
    int d = strcmp(x->path, y->path);
    return d ? d : x->v < y->v ? -1 : x->v > y->v;
}

/* qsort and bsearch order of matches: version, then paragraph. */
static int export_match_cmp(const void *a, const void *b)
{
    const export_match *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->paragraph < y->paragraph ? -1 : x->paragraph > y->paragraph;
}

/* store_each_filerec's callback: keep the file's path and version. */
static int export_add_file(void *ctx, file_rec *f)
{
    export_state *x = ctx;
    int rc = buf_grow_array((void **)&x->files, &x->capfiles, x->nfiles + 1, sizeof *x->files);
    if (rc == 0) {
        export_file *ef = &x->files[x->nfiles++];
        ef->path = f->path;
        f->path = NULL;
        memcpy(ef->vid, f->vid, sizeof ef->vid);
        ef->v = strtoull(f->vid, NULL, 16);
    }
    file_rec_free(f);
    return rc;
}

/* search_run's callback for the query's matches. */
static int export_add_match(void *ctx, const search_hit *hit)
{
    export_state *x = ctx;
    if (buf_grow_array((void **)&x->matches, &x->capmatches, x->nmatches + 1, sizeof *x->matches) != 0)
        return x->failed = 1;
    x->matches[x->nmatches++] = (export_match){ strtoull(hit->rec->file_key, NULL, 16), hit->rec->paragraph };
    return 0;
}

/* 1 if the file of rec passes the document filters of a query-less
 * export: its date in the range, its format among the types, and file_ok's. */
static int export_file_ok(const search_state *s, const para_rec *rec)
{
    const search_request *q = s->req;
    char dv[9] = "";
    if (strlen(rec->date) == 10)
        snprintf(dv, sizeof dv, "%.4s%.2s%.2s", rec->date, rec->date + 5, rec->date + 8);
    if (((q->date_lo && *q->date_lo) || (q->date_hi && *q->date_hi)) && !dv[0])
        return 0;                   /* as the index's date range: no date, no match */
    if ((q->date_lo && *q->date_lo && strcmp(dv, q->date_lo) < 0) ||
        (q->date_hi && *q->date_hi && strcmp(dv, q->date_hi) > 0))
        return 0;
    if (q->type) {
        char terms[FMT_COUNT][20];
        const char *ptrs[FMT_COUNT];
        size_t n = 0, k;
        (void)reader_type_terms(q->type, terms, ptrs, &n);
        for (k = 0; k < n && strcmp(terms[k] + 2, rec->format) != 0; k++)
            ;
        if (k == n)
            return 0;
    }
    return file_ok(s, rec);
}

/* store_each_para's callback: pass on the paragraph when it is selected.
 * Returns 0, or 1 to stop (the caller said so, or out of memory). */
static int export_para(void *ctx, const para_rec *rec)
{
    export_state *x = ctx;
    search_engine *e = x->s.e;
    if (x->query) {
        export_match key = { strtoull(rec->file_key, NULL, 16), rec->paragraph };
        if (!bsearch(&key, x->matches, x->nmatches, sizeof key, export_match_cmp))
            return 0;
    } else {
        if (x->file_state < 0)
            x->file_state = export_file_ok(&x->s, rec);
        if (!x->file_state)
            return 1;               /* the file is left out: none of its paragraphs */
    }
    if (norm_text_build(&e->nt, rec->text, rec->text_len) != 0)
        return x->failed = 1;
    ps_region reg;
    region_of(&(region_src){ .issuer = rec->issuer, .title = rec->title, .docno = rec->docno }, &reg);
    search_hit hit = {
        .out = {
            .rank = (unsigned)(x->rows + 1), .file = rec->file, .paragraph = rec->paragraph,
            .page = rec->page, .ocr = (rec->flags & PARA_F_OCR) != 0, .title = rec->title,
            .text = rec->text, .text_len = rec->text_len,
            .date = rec->date[0] ? rec->date : NULL, .issuer = rec->issuer[0] ? rec->issuer : NULL,
            .docno = rec->docno[0] ? rec->docno : NULL, .region = &reg
        },
        .rec = rec, .copy_key = copies_text_key(&e->nt)
    };
    x->rows++;
    x->s.sum->passed++;
    if (x->s.fn(x->s.ctx, &hit) != 0) {
        x->s.sum->stopped = 1;
        return 1;
    }
    return 0;
}

/* See search.h. */
int search_export(search_engine *e, const search_request *req, search_hit_fn fn, void *ctx,
                  search_summary *sum, ps_err *err)
{
    export_state x;
    memset(&x, 0, sizeof x);
    memset(sum, 0, sizeof *sum);
    x.s = (search_state){ .e = e, .req = req, .fn = fn, .ctx = ctx, .sum = sum, .err = err };
    x.query = req->query && (req->query_len ? req->query_len : strlen(req->query)) > 0;
    search_index *ix = &e->ix;
    int rc = 0;
    for (size_t i = 0; i < ix->ndirs && rc == 0; i++)
        if (!strncmp(ix->dirs[i], "tcp://", 6))
            rc = (ps_err_set(err, PS_USAGE, "%s: export reads a local index, not a remote one", ix->dirs[i]), -1);
    if (rc == 0 && !x.query && req->cites)
        rc = (ps_err_set(err, PS_USAGE, "cites: a paragraph's citations need a query (export QUERY --cites DOC)"), -1);
    if (rc == 0 && !x.query && req->type && !search_type_ok(req->type))
        rc = (ps_err_set(err, PS_USAGE, "type: '%s' is not a list of pdf, docx, doc, ofd, html, text, image",
                        req->type), -1);
    if (rc == 0 && !x.query && req->region && !region_is_place(req->region))
        rc = (ps_err_set(err, PS_USAGE, "region: no such place: %s", req->region), -1);
    if (rc == 0 && req->file_glob)
        (void)walk_canonical_glob(req->file_glob, x.s.file_canon, sizeof x.s.file_canon);
    for (size_t i = 0; i < ix->ndirs && rc == 0; i++) {
        ps_err xerr = PS_ERR_INIT;
        if (store_each_filerec(ix->dirs[i], export_add_file, &x, &xerr) != 0)
            rc = xerr.code == PS_OK ? (ps_err_nomem(err), -1) : (store_read_error(err, ix->dirs[i], &xerr), -1);
    }
    if (rc == 0 && x.query) {
        search_request all = *req;
        all.mode = SEARCH_RANKED;
        all.limit = SEARCH_ALL;
        all.start = 0;
        all.more = all.explain = 0;
        all.no_collapse = all.bare = all.no_boost = 1;
        search_summary found;
        rc = search_run(e, &all, export_add_match, &x, &found, err);
        if (rc == 0 && x.failed)
            rc = (ps_err_nomem(err), -1);
        if (rc == 0 && x.nmatches)
            qsort(x.matches, x.nmatches, sizeof *x.matches, export_match_cmp);
    }
    if (rc == 0 && x.nfiles)
        qsort(x.files, x.nfiles, sizeof *x.files, export_file_cmp);
    for (size_t i = 0; i < x.nfiles && rc == 0 && !sum->stopped; i++) {
        if (x.query) {              /* a file without a match is not read */
            export_match key = { x.files[i].v, 0 };
            size_t lo = 0, hi = x.nmatches;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (export_match_cmp(&x.matches[mid], &key) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo == x.nmatches || x.matches[lo].v != key.v)
                continue;
        }
        x.file_state = -1;
        ps_err xerr = PS_ERR_INIT;
        int r = store_each_para(ix->db, x.files[i].vid, export_para, &x, &xerr);
        if (x.failed)
            rc = (ps_err_nomem(err), -1);
        else if (r < 0)
            rc = search_error(&x.s, &xerr);
    }
    sum->count = x.rows;
    for (size_t i = 0; i < x.nfiles; i++)
        free(x.files[i].path);
    free(x.files);
    free(x.matches);
    return rc;
}
