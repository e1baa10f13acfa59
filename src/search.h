/* search.h — the search engine as a library (after git's grep.h: the
 * engine finds, the caller's callback writes).
 *
 * An engine holds the open indexes, the lexicon's forms and what searches
 * reuse (file records read, scratch buffers); it is opened once and runs
 * any number of searches, one at a time (a server with threads keeps one
 * engine per thread, or a lock).  A search runs one request:
 *   query → plan (plan.h) → Xapian candidates, page by page → the exact
 *   text check (query.h) and the filters Xapian cannot apply (--issuer,
 *   --file) → copies grouped into their best-ranked member (copies.h) →
 *   for -l each file once → the result assembled (match spans, snippet,
 *   page, source index, --explain parts) → the callback.
 * Xapian ranks; a candidate is a result only when its stored text really
 * contains the phrases, so results are exact.  When the plan needs no
 * check, a count is Xapian's exact count, no document read.
 *
 * Nothing here prints: errors come back in a ps_err (err.h) whose message
 * the caller prints. */
#ifndef POLSEARCH_SEARCH_H
#define POLSEARCH_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "output.h"
#include "store.h"

typedef struct search_engine search_engine;  /* open indexes and what searches reuse (opaque) */

/* What an engine opens. */
typedef struct search_open_in {
    const char *const *dirs;         /* the indexes (local directories or tcp://HOST:PORT) */
    size_t       ndirs;              /* number of indexes (>= 1) */
    unsigned     timeout_ms;         /* remote timeout; 0: STORE_REMOTE_TIMEOUT_MS */
    int          allow_partial;      /* with several indexes: open those that open, leave out the rest */
    const char  *terms_file;         /* the user's lexicon additions (--terms), or NULL */
    buf         *left_out;           /* with allow_partial: one line per index left out, or NULL */
} search_open_in;

/* Open the indexes of *in as one (store_open_some) and load the lexicon's
 * forms (plan_load_forms).  The engine copies what it keeps of *in.
 * Returns the engine, or NULL with the error in *err (its message names
 * the index and what to do). */
search_engine *search_open(const search_open_in *in, ps_err *err);

/* Follow the indexes after a writer committed: when any of them changed
 * (Xapian's reopen says so, or a local index's stub names other shards),
 * open them again, with their lexicon forms, and forget the file records
 * read.  A search never sees a torn index (Xapian's MVCC).  Returns 1
 * when the engine now reads a newer state, 0 when nothing changed, or -1
 * with the error in *err (an index gone or unreadable); the engine then
 * keeps what it had open, and a later call may succeed. */
int search_refresh(search_engine *e, ps_err *err);


/* The open indexes as one database, for the engine floor's other modules
 * (termcount.c): valid until the next search_refresh or search_close. */
xs_db *search_db(search_engine *e);

/* Give every search on e from now on a deadline: seconds from now (0: none
 * again).  A search, or termcount's count, that is still running then
 * stops and fails with PS_TIMEOUT ("... ran past its time limit of N s"):
 * its results would be incomplete.  Xapian's matcher is bounded by the
 * same deadline (xs_db_set_time_limit), the candidate loop checks it. */
void search_set_deadline(search_engine *e, double seconds);
/* Before a Xapian call under e's deadline: give the match what time is
 * left.  Returns 0, or -1 with PS_TIMEOUT in *err when none is. */
int  search_arm(search_engine *e, ps_err *err);
/* After it: 0 while the deadline has not passed (or there is none), else
 * -1 with PS_TIMEOUT in *err. */
int  search_expired(const search_engine *e, ps_err *err);

/* Close the engine (NULL is fine). */
void search_close(search_engine *e);

/* 1 if list is a comma-separated list of formats a request's type may
 * name (pdf docx doc ofd html text image), else 0. */
int search_type_ok(const char *list);
/* 1 if s names a document a request's cites may name (a title, 《》
 * optional, or a document number), 0 if it names none, -1 with PS_NOMEM
 * in *err. */
int search_cites_ok(const char *s, ps_err *err);

/* What a search gives. */
enum search_mode {
    SEARCH_RANKED,                   /* ranked paragraphs, copies collapsed unless no_collapse */
    SEARCH_FILES,                    /* each matching file once, in rank order of its best paragraph (-l) */
    SEARCH_COUNT                     /* the exact number of matching paragraphs (-c), no callback */
};

/* limit for every result. */
#define SEARCH_ALL UINT64_MAX

/* One search; write it with designated initialisers, what is left out is
 * off (limit 0 gives no result: set it). */
typedef struct search_request {
    const char  *query;              /* the query (query.h syntax), UTF-8 */
    size_t       query_len;          /* bytes in query; 0: strlen(query) */
    enum search_mode mode;           /* ranked, files or count */
    uint64_t     limit;              /* at most this many results passed on (SEARCH_ALL: every one) */
    uint64_t     start;              /* results to pass over first (a web page's offset); not for count */
    int          more;               /* find out whether a result follows the last passed on (summary.more) */
    const char  *date_lo;            /* first date YYYYMMDD (--since, --year), or NULL */
    const char  *date_hi;            /* last date YYYYMMDD (--until, --year), or NULL */
    const char  *issuer;             /* only documents whose issuer contains this, or NULL */
    const char  *file_glob;          /* only files whose path (as indexed, or canonical: walk.h) matches this fnmatch glob, or NULL */
    const char  *type;               /* only these source formats: "pdf,docx" (reader_type_terms), or NULL */
    const char  *cites;              /* only paragraphs citing this title or document number, or NULL */
    const char  *region;             /* (added) only documents whose region (region.h) this place names:
                                      * any level, short form or code (region_matches), or NULL */
    int          no_expand;          /* no expansion of abbreviations and aliases */
    int          no_fold;            /* traditional and simplified do not match each other */
    int          no_boost;           /* plain BM25: no policy-term or heading boost */
    int          no_collapse;        /* copies of a paragraph are results of their own */
    int          explain;            /* weigh each result's score parts (hit->out.explain) */
    int          bare;               /* (added) hits without match spans and snippet (out.matches, out.snip
                                      * NULL; page: where the paragraph starts): tallies, exports */
    int          ids;                /* (added) with bare and no_collapse, when the plan needs no text check
                                      * and no filter needs the record (issuer, file_glob, region): hits
                                      * carry only rank, score, docid and version (out.file and rec NULL),
                                      * and no record is read: the ids of what `search -c` counts, fast */
    const char  *similar_to;         /* (added) "FILE:PARAGRAPH": instead of a query, the paragraphs of
                                      * other documents ranked by their similarity to that one (below) */
    double       similar_min;        /* with similar_to: only similarities >= this (in [0, 1]) */
    int          with_copies;        /* with similar_to: exact copies of it (its copy key) too */
} search_request;

/* Similar paragraphs (similar_to).  The paragraph FILE:PARAGRAPH is read
 * from the index (FILE as indexed, or any spelling of it: store_find_file;
 * local indexes only); its candidates are Xapian's best 5 per result
 * wanted (start + limit; at least 50, at most SEARCH_SIMILAR_CANDIDATES) by BM25 for the OR of its distinct index terms
 * (its rarest character bigrams and words, below),
 * with the request's filters;
 * each candidate from another document gets its exact similarity
 * (shingle.h: the Jaccard similarity of character 3-shingles), and those
 * of similar_min or more are the results, most similar first (ties by
 * file, then paragraph), with score = the similarity.  Exact copies of it
 * (its copy key) are left out unless with_copies; copies among the
 * results collapse as a search's do.  Count and files count the results
 * among the candidates.  A FILE:PARAGRAPH that is not one is PS_USAGE
 * "ARG: not FILE:PARAGRAPH ...", one not indexed "ARG: not in the index". */
#define SEARCH_SIMILAR_CANDIDATES 2000
/* The paragraph's terms in its query: its rarest bigrams and words (its
 * single characters when it has none), fewest paragraphs first, leaving
 * out those no other paragraph has; at most SEARCH_SIMILAR_TERMS, and
 * past a quarter of them no more once their paragraphs sum to
 * SEARCH_SIMILAR_POSTINGS (the posting lists Xapian reads). */
#define SEARCH_SIMILAR_TERMS 32
#define SEARCH_SIMILAR_POSTINGS 50000


/* One accepted result, as the callback sees it: valid during the call only. */
typedef struct search_hit {
    out_result       out;            /* what output.h writes: rank, score, file, paragraph, page, ocr,
                                      * title, text, matches, snippet, date, issuer, docno, source,
                                      * region, explain, copies (out.dups); in SEARCH_FILES only rank and file */
    const para_rec  *rec;            /* the whole record (format, file_key, proposal, page_breaks); in
                                      * SEARCH_FILES the file's best-ranked paragraph */
    unsigned         docid;          /* its Xapian document id in the engine's handle (changes with a refresh) */
    uint64_t         copy_key;       /* (search_export only) its copy key: equal for copies (copies_text_key) */
    uint64_t         version;        /* (ids hits only, where rec is NULL) its file version id (rec->file_key)
                                      * as a number, from the place in its sort key: no record read */
} search_hit;

/* Called with each result in rank order; a non-zero return stops the
 * search (the rest is not looked for: `| head -1`, a page of 10). */
typedef int (*search_hit_fn)(void *ctx, const search_hit *hit);

/* What a search found. */
typedef struct search_summary {
    uint64_t count;                  /* SEARCH_COUNT: the exact number of matches; else results ranked
                                      * (passed over, then passed on) */
    uint64_t passed;                 /* results handed to the callback */
    int      more;                   /* with request.more: 1 if another result follows the last one */
    int      stopped;                /* the callback stopped the search */
} search_summary;

/* Run *req on e, calling fn(ctx, hit) for each result (not in
 * SEARCH_COUNT), and fill *sum.  Returns 0 (also when the callback
 * stopped it), or -1 with the error in *err: PS_USAGE for a query that
 * cannot be run or a bad type, cites or region value (the reason in the
 * message), PS_NOMEM, or an index error (store_read_error's wording). */
int search_run(search_engine *e, const search_request *req, search_hit_fn fn, void *ctx,
               search_summary *sum, ps_err *err);

/* The files with paragraphs that req's query matches, each with how many
 * (copies included: the paragraphs `search -c` counts, every filter of req
 * applied), without reading a paragraph: fn(ctx, file, n) once per file
 * in no set order, file holding the file's fields only (file, canon,
 * title, date, issuer, docno, proposal, format, file_key; no text).  Only
 * when Xapian's match decides alone (no text check) and every index is
 * local; else returns 1 and calls nothing (search_run's bare hits count
 * them then).  req's mode, limit, start, more, explain and no_collapse
 * are not used.  fn returns 0, or non-zero to stop.  Returns 0, 1, or -1
 * with the error in *err as search_run's. */
int search_count_files(search_engine *e, const search_request *req,
                       int (*fn)(void *ctx, const para_rec *file, uint64_t n), void *ctx, ps_err *err);

/* Where the paragraphs with the copy keys keys[0..n) (copies_text_key of
 * their normalised text, as the index keeps them; repeats allowed) are:
 * one query over the OR of their copy buckets (store_copy_query), live
 * paragraphs only, so a document's copies elsewhere cost one match, not a
 * lookup per paragraph.  fn(ctx, key, rec) is called for every live
 * paragraph that has one of the keys, in no set order: for the first
 * max_read of each key with its record read (rec's file fields set), for
 * the rest with rec NULL (counted, not read).  fn returns 0, or non-zero
 * to stop.  Returns 0, or -1 with the error in *err as search_run's. */
int search_copies_of(search_engine *e, const uint64_t *keys, size_t n, unsigned max_read,
                     int (*fn)(void *ctx, uint64_t key, const para_rec *rec), void *ctx, ps_err *err);

/* Every paragraph req selects, as search_export gives them: with a
 * query (req->query not NULL and not empty), every match, copies included
 * (the set of a ranked search with SEARCH_ALL and no_collapse), else every
 * paragraph of the files that pass the document filters (date, type,
 * issuer, file, region; cites is a paragraph's and needs a query:
 * PS_USAGE).  fn(ctx, hit) is called in a stable order, the paragraph's
 * id: path as indexed (byte order), then paragraph number.  Hits are
 * bare (no matches, no snippet; out.page where the paragraph starts,
 * out.rank the row's number from 1, out.score 0, out.region set, copy_key
 * set, docid 0).  Each file's paragraphs are read from its text chunks one
 * chunk at a time, so memory is the files' records and, with a query,
 * 12 bytes per match, never the texts.  req's mode, limit, start, more,
 * explain and no_collapse are not used.  Local indexes only (PS_USAGE for
 * tcp://).  Returns 0 (sum->count: the rows), or -1 with the error in *err
 * as search_run's. */
int search_export(search_engine *e, const search_request *req, search_hit_fn fn, void *ctx,
                  search_summary *sum, ps_err *err);

/* Marking a query's matches in any text (a document view marks every
 * paragraph of a document, matching or not): a query parsed and expanded
 * as search_run would for the same request. */
typedef struct search_marker search_marker;  /* a prepared query (opaque) */

/* Prepare req's query (its filters are checked, not applied) on e.
 * Returns the marker, or NULL with the error in *err (as search_run's). */
search_marker *search_marker_new(search_engine *e, const search_request *req, ps_err *err);
/* The merged matches of the marker's phrases (expansions included, negated
 * ones not) in UTF-8 text[0..len), as code point spans, into *out (cleared
 * first; no match leaves it empty).  Returns 0, or -1 with PS_NOMEM. */
int search_marker_spans(search_marker *m, const char *text, size_t len, span_list *out, ps_err *err);
/* Free the marker (NULL is fine). */
void search_marker_free(search_marker *m);

#endif
