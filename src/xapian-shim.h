/* xapian-shim.h — the C face of Xapian, the only C++ in polsearch.
 *
 * Handles are opaque; every function catches every exception at the
 * boundary and reports it as an error code plus a message in *err.  The
 * functions return PS_OK (0) or an error code; a function that returns an
 * object returns NULL on error.  Nothing here knows about polsearch's terms
 * or records: it is only what the C code needs of Xapian. */
#ifndef POLSEARCH_XAPIAN_SHIM_H
#define POLSEARCH_XAPIAN_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xs_db    xs_db;       /* a database to read: one or more local or remote shards */
typedef struct xs_wdb   xs_wdb;      /* a writable local database */
typedef struct xs_doc   xs_doc;      /* a document being built */
typedef struct xs_query xs_query;    /* a query tree node */
typedef struct xs_mset  xs_mset;     /* one page of ranked results */

/* The Xapian library version, e.g. "1.4.22". */
const char *xs_version(void);

/* --- reading ---------------------------------------------------------- */

/* Open the databases named by paths[0..n) as one (statistics combined).  A
 * path of the form tcp://HOST:PORT opens a remote database, waiting at most
 * timeout_ms (> 0) for it. */
xs_db *xs_db_open(const char *const *paths, size_t n, unsigned timeout_ms, ps_err *err);
/* One handle over dbs[0..n), already open (their connections and files
 * are shared, nothing is opened again).  The inputs stay the caller's. */
xs_db *xs_db_combine(xs_db *const *dbs, size_t n, ps_err *err);
void   xs_db_close(xs_db *db);
/* Bring db up to the latest committed revision of its databases
 * (Xapian's reopen): *changed is 1 if it moved, 0 if it was current. */
int    xs_db_reopen(xs_db *db, int *changed, ps_err *err);
/* Number of documents. */
int    xs_db_doccount(xs_db *db, uint64_t *count, ps_err *err);
/* Which shard (0-based, in the order they were added, stubs expanded) a
 * document id of this handle comes from. */
size_t xs_db_sub_of(const xs_db *db, unsigned docid);
/* 1 if one of db's databases is remote (tcp://), else 0. */
int    xs_db_is_remote(const xs_db *db);
/* Attach p to db, freed by free_fn (if not NULL) when db is closed or
 * another p is attached: state the caller keeps with the handle. */
void   xs_db_attach(xs_db *db, void *p, void (*free_fn)(void *));
/* From now on every search of db sorts by relevance, then by the value
 * in slot (ascending), and each result carries that value (xs_mset_sort_key). */
void   xs_db_set_sort_slot(xs_db *db, unsigned slot);
/* Let each later xs_enquire on db run for at most seconds (Xapian's
 * Enquire::set_time_limit: the match stops early and its results are then
 * incomplete, so a caller that sets it checks its clock after each call);
 * 0: no limit. */
void   xs_db_set_time_limit(xs_db *db, double seconds);
/* What xs_db_attach attached, or NULL. */
void  *xs_db_attached(const xs_db *db);
/* The data of document docid, malloc'd in *data (length *len, NUL-added). */
int    xs_db_doc_data(xs_db *db, unsigned docid, char **data, size_t *len, ps_err *err);
/* The highest document id ever used. */
int    xs_db_lastdocid(xs_db *db, unsigned *docid, ps_err *err);
/* The id of the first document indexed by term, 0 when there is none. */
int    xs_db_term_docid(xs_db *db, const char *term, size_t tlen, unsigned *docid, ps_err *err);
/* The metadata value for key, malloc'd in *val (length *len, NUL-added);
 * an absent key gives "" (length 0). */
int    xs_db_get_metadata(xs_db *db, const char *key, char **val, size_t *len, ps_err *err);
/* Number of documents indexed by term, over every shard (dead versions
 * included: an upper bound of the live ones). */
int    xs_db_termfreq(xs_db *db, const char *term, size_t len, uint64_t *freq, ps_err *err);
/* Call fn for each synonym of term (stops when fn returns non-zero). */
int    xs_db_synonyms(xs_db *db, const char *term, size_t len,
                      int (*fn)(void *ctx, const char *syn, size_t len), void *ctx, ps_err *err);
/* Call fn for every term that starts with prefix, with its document
 * frequency.  fn returns 0 to go on, or non-zero when its memory ran out:
 * the walk stops and returns PS_NOMEM. */
int    xs_db_allterms(xs_db *db, const char *prefix,
                      int (*fn)(void *ctx, const char *term, size_t len, uint64_t freq),
                      void *ctx, ps_err *err);
/* Call fn for every metadata key starting with prefix, with its value
 * (first sub-database only: open a shard alone to read its records).  fn
 * returns 0 to go on, or non-zero when its memory ran out: the walk stops
 * and returns PS_NOMEM (never PS_OK for a walk cut short). */
int    xs_db_metadata_each(xs_db *db, const char *prefix,
                           int (*fn)(void *ctx, const char *key, size_t klen,
                                     const char *val, size_t vlen),
                           void *ctx, ps_err *err);
/* --- queries ---------------------------------------------------------- */

/* The operators the planner combines with.  (Not OP_MAX: Xapian 1.4.22's
 * reads freed memory on sharded indexes; see plan.c.) */
enum xs_op {
    XS_OP_AND, XS_OP_OR, XS_OP_AND_NOT, XS_OP_AND_MAYBE, XS_OP_FILTER
};

/* A term; wqf weights it within the query (1 normally). */
xs_query *xs_query_term(const char *term, size_t len, unsigned wqf, ps_err *err);
/* Every term of db that starts with prefix (the prefix itself included),
 * as one synonym: it matches where any of them occurs, weighted by their
 * summed frequency.  No limit on the expansion. */
xs_query *xs_query_prefix(xs_db *db, const char *prefix, size_t len, ps_err *err);
/* Every document. */
xs_query *xs_query_match_all(ps_err *err);
/* subs[0..n) combined by op.  The subqueries are copied: the caller still
 * frees them. */
xs_query *xs_query_combine(enum xs_op op, xs_query *const *subs, size_t n, ps_err *err);
/* q with its weight multiplied by factor (>= 0; 0 makes it a pure filter). */
xs_query *xs_query_scale(const xs_query *q, double factor, ps_err *err);
/* Documents whose value in slot lies in [lo, hi] (byte order; NULL: open). */
xs_query *xs_query_value_range(unsigned slot, const char *lo, const char *hi, ps_err *err);
/* Documents with a value (any, non-empty) in slot. */
xs_query *xs_query_value_set(unsigned slot, ps_err *err);
/* Xapian's description of the query, malloc'd, or NULL when out of memory
 * (for tests: plan_describe). */
char     *xs_query_describe(const xs_query *q);
void      xs_query_free(xs_query *q);

/* --- ranked search ---------------------------------------------------- */

/* BM25 parameters; k1 < 0 means Xapian's defaults. */
typedef struct xs_bm25 {
    double k1;                       /* term-frequency saturation */
    double b;                        /* length normalisation */
} xs_bm25;

/* Run q on db and return results first..first+max-1 in rank order.
 * check_atleast makes Xapian count at least that many matches exactly
 * (use the document count for an exact total).  Throws away nothing: a
 * DatabaseModifiedError is retried once after reopening, then returned as
 * PS_MODIFIED. */
xs_mset *xs_enquire(xs_db *db, const xs_query *q, unsigned first, unsigned max,
                    unsigned check_atleast, const xs_bm25 *bm25, ps_err *err);
/* The mset xs_enquire(db, q, first, max, 0, bm25, err) returns (bm25 not
 * NULL), items, order and weights alike, found without weighing every
 * match when q is a single term that matches many documents.  The caller
 * vouches that q matches exactly the documents indexed by term[0..len)
 * and weighs each as that term (query wqf `wqf`, weight unscaled) plus
 * what extra adds (extra: the parts q joins with AND_MAYBE, all of them
 * weights >= 0; NULL when there are none); nothing else in q may remove
 * or weigh a document.  Xapian spends most of such a match reading each
 * posting's document length: here the postings' wdf alone bound each
 * document's weight, a few of the highest-wdf documents give a weight the
 * first+max-th result cannot be below, and Xapian then ranks q restricted
 * to the documents whose bound reaches it (a filter: weights are
 * unchanged).  Before that pass, the term's tier classes are tried
 * (tiers: how its tier terms are named and what bounds each; NULL for
 * none): each class holds the documents of a known wdf range and least
 * length, so it bounds what they weigh; the classes are read best bound
 * first, their documents weighed by their lengths, until the first+max-th
 * weight met is above every bound left, and q is ranked within the
 * documents that may reach it.  That is the answer when no document
 * outside the tiers (wdf below min_wdf, the shortest length, extra's
 * most) can reach that weight.  Falls back to xs_enquire (a remote index,
 * few matches, a bound that prunes nothing). */
typedef struct xs_tier_scheme {
    const char *prefix;              /* the term's tier terms are this, then a class code */
    size_t      len;                 /* the prefix's bytes */
    size_t      code_len;            /* a class code's bytes */
    unsigned    min_wdf;             /* every posting of the term of this wdf or more has its tier term */
    /* The bounds of the class code[0..code_len): its documents' wdf of the
     * term lies in [*min_wdf, *max_wdf] (UINT_MAX: no upper bound), their
     * length is at least *min_len.  Returns 0, or -1 for a code that names
     * no class (the term is then not read). */
    int (*decode)(const char *code, unsigned *min_wdf, unsigned *max_wdf, unsigned *min_len);
} xs_tier_scheme;
xs_mset *xs_enquire_term_top(xs_db *db, const xs_query *q, const char *term, size_t len, unsigned wqf,
                             const xs_query *extra, const xs_tier_scheme *tiers, unsigned first, unsigned max,
                             const xs_bm25 *bm25, ps_err *err);
/* The documents xs_enquire_term_top ranked m within, 0 when it ran the
 * plain match (tests and benches: it says whether the bounds pruned). */
size_t    xs_mset_kept(const xs_mset *m);
/* Run q on db over every match, unranked (check_atleast: the document
 * count, for all of them), and call fn(ctx, v, vlen, n) once for each
 * distinct run of bytes [off, off+len) of the value in slot among them (cut
 * short where a value is), n the matches that have it; in no set order.
 * A MatchSpy of the shim's own, so local databases only (a remote one
 * cannot run it: PS_XAPIAN).  fn returns 0, or non-zero to stop (its ctx
 * says why).  Returns PS_OK (also when fn stopped) or the error. */
int xs_tally_value_bytes(xs_db *db, const xs_query *q, unsigned slot, size_t off, size_t len,
                         unsigned check_atleast, int (*fn)(void *ctx, const char *v, size_t vlen, uint64_t n),
                         void *ctx, ps_err *err);
size_t    xs_mset_size(const xs_mset *m);
/* Lower bound, estimate and upper bound of the total number of matches. */
void      xs_mset_counts(const xs_mset *m, uint64_t *lower, uint64_t *est, uint64_t *upper);
/* Item i's document id and weight. */
void      xs_mset_item(const xs_mset *m, size_t i, unsigned *docid, double *weight);
/* Item i's value in the sort slot (xs_db_set_sort_slot), malloc'd in *key
 * (length *len, NUL-added); "" when db sorts by relevance alone. */
int       xs_mset_sort_key(xs_mset *m, size_t i, char **key, size_t *len, ps_err *err);
void      xs_mset_free(xs_mset *m);

/* --- writing ---------------------------------------------------------- */

enum {
    XS_WDB_CREATE   = 1 << 0,        /* create the database if it is absent */
    XS_WDB_TERMLIST = 1 << 1,        /* the database has (or is created with) a termlist table */
    XS_WDB_NO_SYNC  = 1 << 2         /* commits do not wait for the disk (no fsync) */
};
/* Open a local database for writing, as flags (XS_WDB_*) say.  A database
 * created without XS_WDB_TERMLIST is smaller and faster to write, but its
 * documents cannot be deleted and Xapian's remote protocol cannot return
 * them.  Xapian flushes the postings of every 1,000 documents added (unless
 * XAPIAN_FLUSH_THRESHOLD says otherwise), transaction or not, so the memory
 * a writer holds is bounded by the size of that many documents. */
xs_wdb *xs_wdb_open(const char *path, unsigned flags, ps_err *err);
/* Commit and close (the commit's error is returned). */
int     xs_wdb_close(xs_wdb *w, ps_err *err);
/* Close without committing: what was not committed is lost. */
void    xs_wdb_abandon(xs_wdb *w);
int     xs_wdb_begin(xs_wdb *w, ps_err *err);        /* begin a transaction */
int     xs_wdb_commit(xs_wdb *w, ps_err *err);       /* commit the transaction */
int     xs_wdb_set_metadata(xs_wdb *w, const char *key, const char *val, size_t len, ps_err *err);
int     xs_wdb_get_metadata(xs_wdb *w, const char *key, char **val, size_t *len, ps_err *err);
/* Call fn for every metadata key starting with prefix, with its value;
 * fn's non-zero return is as for xs_db_metadata_each (PS_NOMEM). */
int     xs_wdb_metadata_each(xs_wdb *w, const char *prefix,
                             int (*fn)(void *ctx, const char *key, size_t klen,
                                       const char *val, size_t vlen),
                             void *ctx, ps_err *err);
/* Record `syn` as a synonym of `term`. */
int     xs_wdb_add_synonym(xs_wdb *w, const char *term, const char *syn, ps_err *err);
int     xs_wdb_clear_synonyms(xs_wdb *w, const char *term, ps_err *err);

/* A document: terms with their within-document frequencies, optional
 * positions, boolean (filter) terms, values and data. */
xs_doc *xs_doc_new(ps_err *err);
void    xs_doc_free(xs_doc *d);
/* Forget everything added, for reuse.  Returns PS_OK, or PS_NOMEM (in
 * *err) with d as it was: it must not be filled then. */
int     xs_doc_clear(xs_doc *d, ps_err *err);
/* Add wdf_inc to term's within-document frequency. */
int     xs_doc_add_term(xs_doc *d, const char *term, size_t len, unsigned wdf_inc, ps_err *err);
/* Add n terms at once: terms[i] is bytes[off..off+len) with wdf to add.
 * One call per document instead of one per term. */
typedef struct xs_term {
    uint32_t off;                    /* offset of the term's bytes */
    uint32_t len;                    /* their length */
    uint32_t wdf;                    /* within-document frequency to add */
} xs_term;
int     xs_doc_add_terms(xs_doc *d, const char *bytes, const xs_term *terms, size_t n,
                         ps_err *err);
int     xs_doc_add_boolean(xs_doc *d, const char *term, size_t len, ps_err *err);
int     xs_doc_set_value(xs_doc *d, unsigned slot, const char *val, size_t len, ps_err *err);
int     xs_doc_set_data(xs_doc *d, const char *data, size_t len, ps_err *err);
/* Call fn for each term of d, in byte order, with its wdf (0 for a
 * boolean term), until fn returns non-zero: what a document holds before
 * it is added (docbuild's tests read it so). */
int     xs_doc_each_term(const xs_doc *d,
                         int (*fn)(void *ctx, const char *term, size_t len, unsigned wdf),
                         void *ctx, ps_err *err);
/* d's value in slot, malloc'd in *val (length *len, NUL-added); "" when it has none. */
int     xs_doc_get_value(const xs_doc *d, unsigned slot, char **val, size_t *len, ps_err *err);
/* Add the document; its new id in *docid (may be NULL). */
int     xs_wdb_add_doc(xs_wdb *w, const xs_doc *d, unsigned *docid, ps_err *err);

/* Delete document docid if it exists (the database must have a termlist table). */
int     xs_wdb_delete_doc(xs_wdb *w, unsigned docid, ps_err *err);
/* 1 in *exists when some document of the database (committed) holds term, else 0. */
int     xs_wdb_term_exists(xs_wdb *w, const char *term, size_t len, int *exists, ps_err *err);
/* The highest document id ever used (0 for a new database). */
int     xs_wdb_lastdocid(xs_wdb *w, unsigned *docid, ps_err *err);
/* Merge the databases srcs[0..n) into a new database at dest. */
int     xs_compact(const char *const *srcs, size_t n, const char *dest, ps_err *err);

#ifdef __cplusplus
}
#endif

#endif
