// xapian-shim.cc — the C face of Xapian; see xapian-shim.h.
//
// The only C++ in polsearch.  Each entry point runs its body inside
// guard(), which turns every exception into an ps_err, so no exception
// ever crosses into C.
#include "xapian-shim.h"

#include <unordered_map>
#include <xapian.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <string>
#include <vector>

struct xs_db {
    Xapian::Database db;             // the combined database
    void *attached;                  // the caller's state kept with it (xs_db_attach), or NULL
    void (*free_attached)(void *);   // how to free attached
    bool sorted;                     // searches sort by relevance, then by value sort_slot
    Xapian::valueno sort_slot;       // that slot (xs_db_set_sort_slot)
    double time_limit;               // seconds per match, 0: none (xs_db_set_time_limit)
    bool remote;                     // one of its databases is remote (tcp://)
};

struct xs_wdb {
    Xapian::WritableDatabase db;     // the one writer
    bool in_txn;                     // a transaction is open
};

struct xs_doc {
    Xapian::Document doc;            // the document being built
};

struct xs_query {
    Xapian::Query q;                 // an immutable query tree
};

struct xs_mset {
    Xapian::MSet mset;               // the page of results
    xs_db       *db;                 // the database it came from (for document data)
    size_t       kept;               // documents xs_enquire_term_top's filter kept, 0: a plain match
};

// Record an error code and message (unless err holds one already).
// Returns code, the outcome of this call whatever err held.  Allocates
// nothing, so that it can report an exhausted memory.
static int set_err(ps_err *err, int code, const char *msg) noexcept
{
    ps_err_set(err, code, "%s", msg);
    return code;
}

// Map a Xapian error to our codes; the message keeps Xapian's words.
static int code_of(const Xapian::Error &e)
{
    const char *t = e.get_type();
    if (!strcmp(t, "DatabaseLockError")) return PS_LOCKED;
    if (!strcmp(t, "DatabaseVersionError")) return PS_VERSION;
    if (!strcmp(t, "DatabaseCorruptError")) return PS_INDEX;
    if (!strcmp(t, "DatabaseModifiedError")) return PS_MODIFIED;
    if (!strcmp(t, "DatabaseNotFoundError") || !strcmp(t, "DatabaseOpeningError"))
        return PS_OPENING;
    if (!strcmp(t, "NetworkError") || !strcmp(t, "NetworkTimeoutError"))
        return PS_NETWORK;
    return PS_XAPIAN;
}

// Run fn, converting any exception into *err.  Returns PS_OK or the code
// of fn's failure (err is left alone on success, as err.h wants).  fn is
// called as it is given (a template, not a std::function, whose making
// may allocate outside the try), and the handlers allocate nothing: an
// exhausted memory gives PS_NOMEM, never an exception into C
// (tests/cli/oom.sh).
template <typename F> static int guard(ps_err *err, F &&fn) noexcept
{
    try {
        fn();
        return PS_OK;
    } catch (const Xapian::Error &e) {
        const std::string &msg = e.get_msg();
        return set_err(err, code_of(e), msg.empty() ? e.get_type() : msg.c_str());
    } catch (const std::bad_alloc &) {
        return set_err(err, PS_NOMEM, "out of memory");
    } catch (const std::exception &e) {
        return set_err(err, PS_XAPIAN, e.what());
    } catch (...) {
        return set_err(err, PS_XAPIAN, "unknown C++ exception");
    }
}

// Copy a std::string into a malloc'd, NUL-terminated buffer.
static void to_c(const std::string &s, char **val, size_t *len)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    *val = p;
    if (len)
        *len = s.size();
}

extern "C" const char *xs_version(void)
{
    return Xapian::version_string();
}

// --- reading ---------------------------------------------------------------

// Parse "tcp://HOST:PORT"; false if spec is not of that form.
static bool parse_tcp(const char *spec, std::string &host, unsigned &port)
{
    if (strncmp(spec, "tcp://", 6) != 0)
        return false;
    const char *hp = spec + 6;
    const char *colon = strrchr(hp, ':');
    if (!colon || colon == hp)
        throw Xapian::InvalidArgumentError(std::string("bad remote address '") + spec +
                                           "' (expected tcp://HOST:PORT)");
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (*end || p == 0 || p > 65535)
        throw Xapian::InvalidArgumentError(std::string("bad port in '") + spec + "'");
    host.assign(hp, colon - hp);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    port = static_cast<unsigned>(p);
    return true;
}

extern "C" xs_db *xs_db_open(const char *const *paths, size_t n, unsigned timeout_ms, ps_err *err)
{
    xs_db *h = nullptr;
    int rc = guard(err, [&] {
        h = new xs_db{Xapian::Database(), nullptr, nullptr, false, 0, 0, false};
        for (size_t i = 0; i < n; i++) {
            std::string host;
            unsigned port = 0;
            if (parse_tcp(paths[i], host, port)) {
                h->remote = true;
                // Xapian takes these timeouts in milliseconds despite the type name.
                useconds_t t = useconds_t(timeout_ms);
                h->db.add_database(Xapian::Remote::open(host, port, t, t));
            } else {
                h->db.add_database(Xapian::Database(paths[i]));
            }
        }
    });
    if (rc != PS_OK) {
        delete h;
        return nullptr;
    }
    return h;
}

extern "C" xs_db *xs_db_combine(xs_db *const *dbs, size_t n, ps_err *err)
{
    xs_db *h = nullptr;
    int rc = guard(err, [&] {
        h = new xs_db{Xapian::Database(), nullptr, nullptr, false, 0, 0, false};
        for (size_t i = 0; i < n; i++) {
            h->db.add_database(dbs[i]->db);
            h->remote = h->remote || dbs[i]->remote;
        }
    });
    if (rc != PS_OK) {
        delete h;
        return nullptr;
    }
    return h;
}

extern "C" void xs_db_close(xs_db *db)
{
    // No Database::close(): a combined handle may share this one's
    // internals; they are released when the last handle goes.
    if (!db)
        return;
    if (db->attached && db->free_attached)
        db->free_attached(db->attached);
    try {
        delete db;
    } catch (...) {
    }
}

extern "C" int xs_db_reopen(xs_db *db, int *changed, ps_err *err)
{
    return guard(err, [&] { *changed = db->db.reopen() ? 1 : 0; });
}

extern "C" int xs_db_doccount(xs_db *db, uint64_t *count, ps_err *err)
{
    return guard(err, [&] { *count = db->db.get_doccount(); });
}

extern "C" void xs_db_attach(xs_db *db, void *p, void (*free_fn)(void *))
{
    if (db->attached && db->free_attached)
        db->free_attached(db->attached);
    db->attached = p;
    db->free_attached = free_fn;
}

extern "C" void xs_db_set_time_limit(xs_db *db, double seconds)
{
    db->time_limit = seconds > 0 ? seconds : 0;
}

extern "C" void xs_db_set_sort_slot(xs_db *db, unsigned slot)
{
    db->sorted = true;
    db->sort_slot = slot;
}

extern "C" void *xs_db_attached(const xs_db *db)
{
    return db->attached;
}

extern "C" int xs_db_doc_data(xs_db *db, unsigned docid, char **data, size_t *len, ps_err *err)
{
    return guard(err, [&] { to_c(db->db.get_document(docid).get_data(), data, len); });
}

extern "C" int xs_db_term_docid(xs_db *db, const char *term, size_t tlen, unsigned *docid,
                                ps_err *err)
{
    return guard(err, [&] {
        std::string t(term, tlen);
        Xapian::PostingIterator it = db->db.postlist_begin(t);
        *docid = it == db->db.postlist_end(t) ? 0 : *it;
    });
}

extern "C" size_t xs_db_sub_of(const xs_db *db, unsigned docid)
{
    // Xapian interleaves the document ids of all shards (a stub database
    // contributes each of its shards).
    size_t n = db->db.size();
    return n ? (docid - 1) % n : 0;
}

extern "C" int xs_db_is_remote(const xs_db *db)
{
    return db->remote ? 1 : 0;
}

extern "C" int xs_db_get_metadata(xs_db *db, const char *key, char **val, size_t *len, ps_err *err)
{
    return guard(err, [&] { to_c(db->db.get_metadata(key), val, len); });
}

extern "C" int xs_db_termfreq(xs_db *db, const char *term, size_t len, uint64_t *freq, ps_err *err)
{
    return guard(err, [&] {
        *freq = db->db.get_termfreq(std::string(term, len));
    });
}

extern "C" int xs_db_synonyms(xs_db *db, const char *term, size_t len,
                              int (*fn)(void *, const char *, size_t), void *ctx, ps_err *err)
{
    return guard(err, [&] {
        std::string t(term, len);
        for (auto it = db->db.synonyms_begin(t); it != db->db.synonyms_end(t); ++it) {
            std::string s = *it;
            if (fn(ctx, s.data(), s.size()))
                break;
        }
    });
}

extern "C" int xs_db_allterms(xs_db *db, const char *prefix,
                              int (*fn)(void *, const char *, size_t, uint64_t), void *ctx,
                              ps_err *err)
{
    return guard(err, [&] {
        std::string p(prefix ? prefix : "");
        for (auto it = db->db.allterms_begin(p); it != db->db.allterms_end(p); ++it) {
            std::string s = *it;
            if (fn(ctx, s.data(), s.size(), it.get_termfreq()))
                throw std::bad_alloc();  // the caller's memory ran out: not a short walk
        }
    });
}

extern "C" int xs_db_metadata_each(xs_db *db, const char *prefix,
                                   int (*fn)(void *, const char *, size_t, const char *, size_t),
                                   void *ctx, ps_err *err)
{
    return guard(err, [&] {
        std::string p(prefix ? prefix : "");
        for (auto it = db->db.metadata_keys_begin(p); it != db->db.metadata_keys_end(p); ++it) {
            std::string k = *it;
            std::string v = db->db.get_metadata(k);
            if (fn(ctx, k.data(), k.size(), v.data(), v.size()))
                throw std::bad_alloc();  // the caller's memory ran out: not a short walk
        }
    });
}

// --- queries ---------------------------------------------------------------

// Wrap a Xapian::Query in a new handle.
static xs_query *wrap(const Xapian::Query &q)
{
    xs_query *h = new xs_query;
    h->q = q;
    return h;
}

extern "C" xs_query *xs_query_term(const char *term, size_t len, unsigned wqf, ps_err *err)
{
    xs_query *h = nullptr;
    guard(err, [&] { h = wrap(Xapian::Query(std::string(term, len), wqf ? wqf : 1)); });
    return h;
}

extern "C" xs_query *xs_query_prefix(xs_db *db, const char *prefix, size_t len, ps_err *err)
{
    xs_query *h = nullptr;
    guard(err, [&] {
        // Expanded here over the whole database rather than by OP_WILDCARD,
        // which expands (and estimates the synonym's statistics) in each
        // sub-database apart, so scores would depend on the shard layout.
        std::string p(prefix, len);
        std::vector<std::string> terms;
        for (auto t = db->db.allterms_begin(p); t != db->db.allterms_end(p); ++t)
            terms.push_back(*t);
        if (terms.empty())
            terms.push_back(p);     // matches nothing, as it should
        h = wrap(Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end()));
    });
    return h;
}

extern "C" xs_query *xs_query_match_all(ps_err *err)
{
    xs_query *h = nullptr;
    guard(err, [&] { h = wrap(Xapian::Query::MatchAll); });
    return h;
}

// Our operators, in Xapian's terms.
static Xapian::Query::op op_of(enum xs_op op)
{
    switch (op) {
    case XS_OP_AND: return Xapian::Query::OP_AND;
    case XS_OP_OR: return Xapian::Query::OP_OR;
    case XS_OP_AND_NOT: return Xapian::Query::OP_AND_NOT;
    case XS_OP_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
    case XS_OP_FILTER: return Xapian::Query::OP_FILTER;
    }
    throw Xapian::InvalidArgumentError("unknown query operator");
}

extern "C" xs_query *xs_query_combine(enum xs_op op, xs_query *const *subs, size_t n,
                                      ps_err *err)
{
    xs_query *h = nullptr;
    guard(err, [&] {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            v.push_back(subs[i]->q);
        h = wrap(Xapian::Query(op_of(op), v.begin(), v.end()));
    });
    return h;
}

extern "C" xs_query *xs_query_scale(const xs_query *q, double factor, ps_err *err)
{
    xs_query *h = nullptr;
    guard(err, [&] { h = wrap(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor)); });
    return h;
}

extern "C" xs_query *xs_query_value_range(unsigned slot, const char *lo, const char *hi, ps_err *err)
{
    xs_query *h = nullptr;
    guard(err, [&] {
        if (lo && hi)
            h = wrap(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi));
        else if (lo)
            h = wrap(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo));
        else if (hi)
            h = wrap(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi));
        else
            h = wrap(Xapian::Query::MatchAll);
    });
    return h;
}

extern "C" char *xs_query_describe(const xs_query *q)
{
    char *s = nullptr;
    guard(nullptr, [&] { to_c(q->q.get_description(), &s, nullptr); });
    return s;
}

extern "C" xs_query *xs_query_value_set(unsigned slot, ps_err *err)
{
    xs_query *h = nullptr;
    // "\0" is the least non-empty value; a document without one has "".
    guard(err, [&] { h = wrap(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, std::string(1, '\0'))); });
    return h;
}

extern "C" void xs_query_free(xs_query *q)
{
    delete q;
}

// --- ranked search -----------------------------------------------------------

// The BM25 weighting polsearch ranks with: bm25's k1 and b, k2 0, k3 1, a
// normalised length of at least XS_MIN_NORMLEN (xs_enquire_term_top's
// bounds repeat this formula).
#define XS_K3 1.0
#define XS_MIN_NORMLEN 0.5

// An Enquire of db for q as xs_enquire sets it up.
static void setup_enquire(Xapian::Enquire &enq, const xs_db *db, const Xapian::Query &q, unsigned max,
                          const xs_bm25 *bm25)
{
    enq.set_query(q);
    // A count (max 0) returns no weights, so none are computed: with
    // BoolWeight the matcher drops the optional parts (AND_MAYBE's
    // boosts) and only counts the matching set, which is the same.
    if (max == 0)
        enq.set_weighting_scheme(Xapian::BoolWeight());
    else if (bm25 && bm25->k1 >= 0)
        enq.set_weighting_scheme(Xapian::BM25Weight(bm25->k1, 0, XS_K3, bm25->b, XS_MIN_NORMLEN));
    if (db->sorted && max > 0)
        enq.set_sort_by_relevance_then_value(db->sort_slot, false);
    if (db->time_limit > 0)
        enq.set_time_limit(db->time_limit);
}

// Run a match as guard does; on a DatabaseModifiedError reopen db and run
// it once more.  The first attempt's error is kept apart: a retry that
// succeeds leaves err as it was.  A template, as guard is: a std::function
// may allocate outside the try.
template <typename F> static int guard_reopen(xs_db *db, ps_err *err, F &&run) noexcept
{
    ps_err once = PS_ERR_INIT;
    int rc = guard(&once, run);
    if (rc == PS_MODIFIED)
        rc = guard(err, [&] {
            db->db.reopen();
            run();
        });
    else if (rc != PS_OK)
        set_err(err, rc, once.msg);
    return rc;
}

// Run fn (which sets *h) through guard_reopen.  Returns *h, or NULL (*h
// freed) with the error in err.
template <typename F> static xs_mset *with_retry(xs_db *db, xs_mset **h, F &&fn, ps_err *err) noexcept
{
    int rc = guard_reopen(db, err, fn);
    if (rc != PS_OK) {
        delete *h;
        *h = nullptr;
    }
    return *h;
}

extern "C" xs_mset *xs_enquire(xs_db *db, const xs_query *q, unsigned first, unsigned max,
                               unsigned check_atleast, const xs_bm25 *bm25, ps_err *err)
{
    xs_mset *h = nullptr;
    return with_retry(db, &h, [&] {
        delete h;
        h = nullptr;
        Xapian::Enquire enq(db->db);
        setup_enquire(enq, db, q->q, max, bm25);
        Xapian::MSet m = enq.get_mset(first, max, check_atleast);
        h = new xs_mset;
        h->mset = m;
        h->db = db;
        h->kept = 0;
    }, err);
}

// --- the top of a frequent term (xs_enquire_term_top) -----------------------

// The documents a top-k search keeps, by sub-database, as local ids.
struct top_ids {
    std::vector<std::vector<Xapian::docid>> local;   // per sub-database, ascending
    std::map<std::string, size_t> sub_of;            // a sub-database's UUID -> its index
};

// A boolean posting source over top_ids: in each sub-database (told apart
// by UUID, for Xapian hands a source each sub-database, not the combined
// one) the ids kept there.
class TopIdSource : public Xapian::PostingSource {
    const top_ids *ids;                               // what is kept (borrowed)
    const std::vector<Xapian::docid> *v;             // this sub-database's ids
    size_t i;                                        // the current one
    bool started;                                    // next() was called
  public:
    explicit TopIdSource(const top_ids *x) : ids(x), v(nullptr), i(0), started(false) {}
    Xapian::doccount get_termfreq_min() const override { return Xapian::doccount(v ? v->size() : 0); }
    Xapian::doccount get_termfreq_est() const override { return get_termfreq_min(); }
    Xapian::doccount get_termfreq_max() const override { return get_termfreq_min(); }
    void init(const Xapian::Database &sub) override
    {
        auto it = ids->sub_of.find(sub.get_uuid());
        if (it == ids->sub_of.end())
            throw Xapian::InvalidOperationError("a sub-database of unknown UUID");
        v = &ids->local[it->second];
        i = 0;
        started = false;
    }
    void next(double) override
    {
        if (started)
            ++i;
        started = true;
    }
    void skip_to(Xapian::docid did, double) override
    {
        started = true;
        i = size_t(std::lower_bound(v->begin() + i, v->end(), did) - v->begin());
    }
    bool at_end() const override { return i >= v->size(); }
    Xapian::docid get_docid() const override { return (*v)[i]; }
    TopIdSource *clone() const override { return new TopIdSource(ids); }
};

// BM25 of one term as BM25Weight::get_sumpart computes it: tw the
// term's weight (log of its idf, times (k3+1)wqf/(k3+wqf) and (k1+1)), lf
// one over the average length.
static double bm25_part(const xs_bm25 *p, double tw, double lf, double wdf, double len)
{
    double normlen = std::max(len * lf, XS_MIN_NORMLEN);
    return tw * (wdf / (p->k1 * (normlen * p->b + (1 - p->b)) + wdf));
}

// The sub-databases' UUIDs of db into ids->sub_of; false if one has none
// or two are the same (the same index opened twice).
static bool map_subs(const Xapian::Database &db, top_ids *ids)
{
    std::string u = db.get_uuid();
    size_t n = db.size();
    for (size_t k = 0, p = 0; k < n; k++) {
        size_t c = u.find(':', p);
        std::string one = u.substr(p, c == std::string::npos ? std::string::npos : c - p);
        if (one.empty() || !ids->sub_of.emplace(one, k).second)
            return false;
        if (c == std::string::npos && k + 1 < n)
            return false;
        p = c + 1;
    }
    ids->local.resize(n);
    return ids->sub_of.size() == n;
}

// Relative slack of the bounds: they repeat Xapian's formula, whose sums
// may round otherwise in the last bits.
#define XS_TOP_SLACK 1e-9
// Below this many matches, or this many times the results wanted, the
// plain match is cheap enough.
#define XS_TOP_MIN_MATCHES 2000
#define XS_TOP_MIN_RATIO 8
// wdf values told apart (a larger wdf counts as this one).
#define XS_TOP_WDF_CAP 255

// What bounds a document's weight in xs_enquire_term_top's match.
struct term_bounds {
    const xs_bm25 *bm25;             // the weighting
    double tw;                       // the term's factor, as BM25Weight::init makes it (no relevance set)
    double lf;                       // one over the average document length
    double lb;                       // the shortest document length
    double extra_max;                // the most that extra adds to a weight
    // The most a document of wdf w weighs by the term alone: at the least
    // length it can have (its wdf, the shortest document).
    double ub(Xapian::termcount w) const
    {
        return bm25_part(bm25, tw, lf, w, std::max<double>(w, lb)) * (1 + XS_TOP_SLACK);
    }
    // The most a document of wdf lo..hi (UINT_MAX: unbounded) and length
    // at least len weighs by the term alone: the weight grows with wdf
    // (towards tw) and falls with length, which is at least the wdf.
    double ub_class(unsigned lo, unsigned hi, unsigned len) const
    {
        if (hi == UINT_MAX)
            return tw * (1 + XS_TOP_SLACK);
        return bm25_part(bm25, tw, lf, hi, std::max<double>({ double(lo), double(len), lb })) * (1 + XS_TOP_SLACK);
    }
};

// The bounds of term t (tf documents, query wqf `wqf`) plus extra in db.
static term_bounds bounds_of(const xs_db *db, Xapian::doccount tf, unsigned wqf, const xs_query *extra,
                             const xs_bm25 *bm25)
{
    const Xapian::Database &d = db->db;
    term_bounds b;
    b.bm25 = bm25;
    double n = d.get_doccount();
    double idf = (n - tf + 0.5) / (tf + 0.5);
    if (idf < 2)
        idf = idf * 0.5 + 1;
    b.tw = std::log(idf) * ((XS_K3 + 1) * wqf / (XS_K3 + wqf)) * (bm25->k1 + 1);
    double av = d.get_avlength();
    b.lf = av > 0 ? 1 / av : 0;
    b.lb = d.get_doclength_lower_bound();
    b.extra_max = 0;
    if (extra) {
        Xapian::Enquire e(d);
        setup_enquire(e, db, extra->q, 1, bm25);
        b.extra_max = e.get_mset(0, 0).get_max_possible() * (1 + XS_TOP_SLACK);
    }
    return b;
}

// The filter of the documents any[] (each may reach theta by the term
// alone) and with_extra[] (only with extra's help, so only those that
// have an extra part), combined docids, into *filter; their sources
// borrow ids (ids[0] already mapped by map_subs), which must outlive the
// match.
static void id_filter(const std::vector<Xapian::docid> &any, const std::vector<Xapian::docid> &with_extra,
                      const xs_query *extra, top_ids ids[2], Xapian::Query *filter)
{
    size_t subs = ids[0].local.size();
    ids[1].sub_of = ids[0].sub_of;
    ids[1].local.resize(subs);
    for (int i = 0; i < 2; i++) {
        for (Xapian::docid did : i ? with_extra : any)
            ids[i].local[(did - 1) % subs].push_back((did - 1) / Xapian::docid(subs) + 1);
        for (auto &v : ids[i].local)
            std::sort(v.begin(), v.end());   // a source is read in ascending order
    }
    *filter = Xapian::Query((new TopIdSource(&ids[0]))->release());
    if (!with_extra.empty() && extra) {
        Xapian::Query both(Xapian::Query::OP_FILTER, Xapian::Query((new TopIdSource(&ids[1]))->release()),
                           extra->q);
        *filter = Xapian::Query(Xapian::Query::OP_OR, *filter, both);
    }
}

// One tier class of the term: its tier term, the least wdf of the term in
// its documents, and the most one of them weighs by the term alone.
struct tier_class {
    std::string term;                // the class's tier term
    unsigned min_wdf;                // its documents' least wdf of the term
    double ub;                       // the most one of them weighs by the term alone
};

// The filter to rank q within from the term's tier classes (s), or false
// when they cannot give the top k = first+max.  Every document of wdf
// s->min_wdf or more is in exactly one class, whose wdf range and least
// length bound its weight.  The classes are read best bound first, each
// document weighed by the term at its class's least wdf and its own
// length (a weight it has at least), until the k-th best weight met,
// theta, is above the bound of every class left: the documents read then
// hold q's top k, but for those that reach theta only with extra's help,
// which the classes whose bound plus extra's most reaches theta hold.  A
// document outside the tiers weighs at most ub(min_wdf - 1) plus extra's
// most, which must stay below theta.
static bool tier_filter(const xs_db *db, const term_bounds &b, const xs_query *extra, const xs_tier_scheme *s,
                        unsigned k, top_ids ids[2], Xapian::Query *filter, size_t *kept)
{
    if (!s || s->min_wdf < 2)
        return false;
    const Xapian::Database &d = db->db;
    std::string pre(s->prefix, s->len);
    std::vector<tier_class> cls;
    Xapian::doccount total = 0;
    for (auto it = d.allterms_begin(pre); it != d.allterms_end(pre); ++it) {
        const std::string &t = *it;
        unsigned lo, hi, len;
        // A longer name is another term's (one that begins with this
        // term and the separator); the exact length tells them apart.
        if (t.size() != pre.size() + s->code_len || s->decode(t.data() + pre.size(), &lo, &hi, &len) != 0 ||
            lo < s->min_wdf || hi < lo)
            continue;
        cls.push_back({ t, lo, b.ub_class(lo, hi, len) });
        total += it.get_termfreq();
    }
    if (total < k || !map_subs(d, ids))
        return false;
    std::sort(cls.begin(), cls.end(), [](const tier_class &x, const tier_class &y) { return x.ub > y.ub; });
    std::vector<double> best;        // a min-heap of the k best weights met
    std::vector<Xapian::docid> any, with_extra;
    double theta = 0;
    size_t i = 0;
    for (; i < cls.size() && (best.size() < k || cls[i].ub >= theta); i++) {
        for (auto p = d.postlist_begin(cls[i].term); p != d.postlist_end(cls[i].term); ++p) {
            any.push_back(*p);
            double w = bm25_part(b.bm25, b.tw, b.lf, cls[i].min_wdf, d.get_doclength(*p)) * (1 - XS_TOP_SLACK);
            if (best.size() == k && w <= best.front())
                continue;
            best.push_back(w);
            std::push_heap(best.begin(), best.end(), std::greater<double>());
            if (best.size() > k) {
                std::pop_heap(best.begin(), best.end(), std::greater<double>());
                best.pop_back();
            }
        }
        if (best.size() == k)
            theta = best.front();
    }
    if (best.size() < k || b.ub(s->min_wdf - 1) + b.extra_max >= theta)
        return false;
    for (; i < cls.size(); i++)
        if (extra && cls[i].ub + b.extra_max >= theta)
            for (auto p = d.postlist_begin(cls[i].term); p != d.postlist_end(cls[i].term); ++p)
                with_extra.push_back(*p);
    id_filter(any, with_extra, extra, ids, filter);
    *kept = any.size() + with_extra.size();
    return true;
}

// The filter that xs_enquire_term_top ranks q within, or false when the
// bounds prune too little (then q is ranked as it is).
static bool top_filter(const xs_db *db, const std::string &t, const term_bounds &b, const xs_query *extra,
                       unsigned k, top_ids ids[2], Xapian::Query *filter, size_t *kept)
{
    const Xapian::Database &d = db->db;
    if (!map_subs(d, ids))
        return false;
    // One pass over the postings: each wdf's count, and the documents of
    // wdf 2 or more (a wdf of 1 is the bulk of a frequent term's postings,
    // and a bound that keeps those prunes too little to pay).
    std::vector<Xapian::doccount> hist(XS_TOP_WDF_CAP + 1, 0);
    std::vector<std::pair<Xapian::docid, Xapian::termcount>> post;
    for (auto it = d.postlist_begin(t); it != d.postlist_end(t); ++it) {
        Xapian::termcount w = it.get_wdf();
        hist[std::min<Xapian::termcount>(w, XS_TOP_WDF_CAP)]++;
        if (w >= 2)
            post.emplace_back(*it, w);
    }
    // theta: the k-th best weight among the documents of the highest wdf
    // (at least k of them), each weighed by the term alone (extra adds >= 0):
    // the k-th result weighs at least that much.
    unsigned c0 = XS_TOP_WDF_CAP;
    Xapian::doccount have = hist[c0];
    while (c0 > 2 && have < k)
        have += hist[--c0];
    if (have < k)
        return false;
    std::vector<double> low;
    low.reserve(have);
    for (const auto &p : post)
        if (std::min<Xapian::termcount>(p.second, XS_TOP_WDF_CAP) >= c0)
            low.push_back(bm25_part(b.bm25, b.tw, b.lf, p.second, d.get_doclength(p.first)) * (1 - XS_TOP_SLACK));
    std::nth_element(low.begin(), low.begin() + (k - 1), low.end(), std::greater<double>());
    double theta = low[k - 1];
    // A document's weight is at most ub of its wdf plus extra's most.
    if (b.ub(1) + b.extra_max >= theta)
        return false;
    // w_any: the least wdf that may reach theta by the term alone; w_extra:
    // with extra's help (those must have an extra part: a filter says so).
    Xapian::termcount w_any = 2, w_extra = 2;
    while (w_any < XS_TOP_WDF_CAP && b.ub(w_any) < theta)
        w_any++;
    while (w_extra < w_any && b.ub(w_extra) + b.extra_max < theta)
        w_extra++;
    std::vector<Xapian::docid> any, with_extra;
    for (const auto &p : post)
        if (p.second >= w_any)
            any.push_back(p.first);
        else if (p.second >= w_extra)
            with_extra.push_back(p.first);
    id_filter(any, with_extra, extra, ids, filter);
    *kept = any.size() + with_extra.size();
    return true;
}

extern "C" xs_mset *xs_enquire_term_top(xs_db *db, const xs_query *q, const char *term, size_t len, unsigned wqf,
                                        const xs_query *extra, const xs_tier_scheme *tiers, unsigned first,
                                        unsigned max, const xs_bm25 *bm25, ps_err *err)
{
    unsigned k = first + max;
    if (!bm25 || bm25->k1 < 0 || max == 0 || k < first || db->remote)
        return xs_enquire(db, q, first, max, 0, bm25, err);
    xs_mset *h = nullptr;
    std::string t(term, len);
    return with_retry(db, &h, [&] {
        delete h;
        h = nullptr;
        Xapian::doccount tf = db->db.get_termfreq(t);
        bool worth = tf >= XS_TOP_MIN_MATCHES && tf / XS_TOP_MIN_RATIO >= k;
        term_bounds b{};
        if (worth)
            b = bounds_of(db, tf, wqf ? wqf : 1, extra, bm25);
        // The sources borrow ids: they are read during the match only.
        // A tier's ids are left behind when it fails, so each try has its own.
        top_ids tier_ids[2], pass_ids[2];
        Xapian::Query filter;
        size_t kept = 0;
        bool top = worth && (tier_filter(db, b, extra, tiers, k, tier_ids, &filter, &kept) ||
                             top_filter(db, t, b, extra, k, pass_ids, &filter, &kept));
        Xapian::Enquire enq(db->db);
        setup_enquire(enq, db, top ? Xapian::Query(Xapian::Query::OP_FILTER, q->q, filter) : q->q, max, bm25);
        Xapian::MSet m = enq.get_mset(first, max);
        h = new xs_mset;
        h->mset = m;
        h->db = db;
        h->kept = top ? kept : 0;
    }, err);
}
extern "C" size_t xs_mset_kept(const xs_mset *m)
{
    return m->kept;
}

// Counts the matches per run of bytes [off, off+len) of a value slot: a
// facet over what the value holds (the file version of STORE_SLOT_KEY).
class ValueBytesSpy : public Xapian::MatchSpy {
  public:
    ValueBytesSpy(Xapian::valueno slot, size_t off, size_t len) : slot_(slot), off_(off), len_(len) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        const std::string v = doc.get_value(slot_);
        counts_[v.size() > off_ ? v.substr(off_, len_) : std::string()]++;
    }
    std::unordered_map<std::string, uint64_t> counts_;  // matches per run of bytes
  private:
    Xapian::valueno slot_;           // the slot read
    size_t off_, len_;               // the bytes of its value counted by
};

extern "C" int xs_tally_value_bytes(xs_db *db, const xs_query *q, unsigned slot, size_t off, size_t len,
                                    unsigned check_atleast,
                                    int (*fn)(void *ctx, const char *v, size_t vlen, uint64_t n),
                                    void *ctx, ps_err *err)
{
    ValueBytesSpy spy(slot, off, len);
    auto run = [&] {
        spy.counts_.clear();
        Xapian::Enquire enq(db->db);
        enq.set_query(q->q);
        enq.set_weighting_scheme(Xapian::BoolWeight());   // no ranking: the set alone
        if (db->time_limit > 0)
            enq.set_time_limit(db->time_limit);
        enq.add_matchspy(&spy);
        (void)enq.get_mset(0, 0, check_atleast);
    };
    int rc = guard_reopen(db, err, run);
    if (rc != PS_OK)
        return rc;
    for (const auto &kv : spy.counts_)
        if (fn(ctx, kv.first.data(), kv.first.size(), kv.second) != 0)
            break;
    return PS_OK;
}

extern "C" size_t xs_mset_size(const xs_mset *m)
{
    return m->mset.size();
}

extern "C" void xs_mset_counts(const xs_mset *m, uint64_t *lower, uint64_t *est, uint64_t *upper)
{
    if (lower) *lower = m->mset.get_matches_lower_bound();
    if (est) *est = m->mset.get_matches_estimated();
    if (upper) *upper = m->mset.get_matches_upper_bound();
}

extern "C" void xs_mset_item(const xs_mset *m, size_t i, unsigned *docid, double *weight)
{
    Xapian::MSetIterator it = m->mset[static_cast<Xapian::doccount>(i)];
    if (docid) *docid = *it;
    if (weight) *weight = it.get_weight();
}

extern "C" int xs_mset_sort_key(xs_mset *m, size_t i, char **key, size_t *len, ps_err *err)
{
    return guard(err, [&] {
        to_c(m->mset[static_cast<Xapian::doccount>(i)].get_sort_key(), key, len);
    });
}

extern "C" void xs_mset_free(xs_mset *m)
{
    delete m;
}

// --- writing ----------------------------------------------------------------

// Documents Xapian buffers before it flushes their postings to the tables,
// inside a transaction too (it reads XAPIAN_FLUSH_THRESHOLD when a database
// is opened for writing; its own default is 10,000).  A paragraph holds at
// most PARA_MAX_CHARS characters, so this count bounds the buffered text,
// and with it the writer's memory, whatever a file's size and shape (issue
// 21: at 10,000 a 16 MB one-line file, 600-character paragraphs all
// buffered until its commit, peaked at 235 MB).  A value the user set wins.
#define XS_FLUSH_DOCS "1000"

extern "C" xs_wdb *xs_wdb_open(const char *path, unsigned flags, ps_err *err)
{
    xs_wdb *h = nullptr;
    if (setenv("XAPIAN_FLUSH_THRESHOLD", XS_FLUSH_DOCS, 0) != 0)
        return ps_err_nomem(err), nullptr;
    guard(err, [&] {
        int action = (flags & XS_WDB_CREATE) ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN;
        if (!(flags & XS_WDB_TERMLIST))
            action |= Xapian::DB_NO_TERMLIST;
        if (flags & XS_WDB_NO_SYNC)
            action |= Xapian::DB_NO_SYNC;
        h = new xs_wdb{Xapian::WritableDatabase(path, action | Xapian::DB_BACKEND_GLASS), false};
    });
    return h;
}

extern "C" int xs_wdb_close(xs_wdb *w, ps_err *err)
{
    int rc = guard(err, [&] {
        if (w->in_txn) {
            w->in_txn = false;
            w->db.commit_transaction();
        }
        w->db.commit();
        w->db.close();
    });
    delete w;
    return rc;
}

extern "C" void xs_wdb_abandon(xs_wdb *w)
{
    if (!w)
        return;
    try {
        if (w->in_txn)
            w->db.cancel_transaction();
        w->db.close();
    } catch (...) {
    }
    delete w;
}

extern "C" int xs_wdb_begin(xs_wdb *w, ps_err *err)
{
    return guard(err, [&] {
        w->db.begin_transaction(true);
        w->in_txn = true;
    });
}

extern "C" int xs_wdb_commit(xs_wdb *w, ps_err *err)
{
    return guard(err, [&] {
        if (w->in_txn) {
            w->in_txn = false;
            w->db.commit_transaction();
        } else {
            w->db.commit();
        }
    });
}

extern "C" int xs_wdb_set_metadata(xs_wdb *w, const char *key, const char *val, size_t len,
                                   ps_err *err)
{
    return guard(err, [&] { w->db.set_metadata(key, std::string(val, len)); });
}

extern "C" int xs_wdb_get_metadata(xs_wdb *w, const char *key, char **val, size_t *len, ps_err *err)
{
    return guard(err, [&] { to_c(w->db.get_metadata(key), val, len); });
}

extern "C" int xs_wdb_metadata_each(xs_wdb *w, const char *prefix,
                                    int (*fn)(void *, const char *, size_t, const char *, size_t),
                                    void *ctx, ps_err *err)
{
    return guard(err, [&] {
        std::string p(prefix ? prefix : "");
        for (auto it = w->db.metadata_keys_begin(p); it != w->db.metadata_keys_end(p); ++it) {
            std::string k = *it;
            std::string v = w->db.get_metadata(k);
            if (fn(ctx, k.data(), k.size(), v.data(), v.size()))
                throw std::bad_alloc();  // the caller's memory ran out: not a short walk
        }
    });
}

extern "C" int xs_wdb_add_synonym(xs_wdb *w, const char *term, const char *syn, ps_err *err)
{
    return guard(err, [&] { w->db.add_synonym(term, syn); });
}

extern "C" int xs_wdb_clear_synonyms(xs_wdb *w, const char *term, ps_err *err)
{
    return guard(err, [&] { w->db.clear_synonyms(term); });
}

extern "C" xs_doc *xs_doc_new(ps_err *err)
{
    xs_doc *d = nullptr;
    guard(err, [&] { d = new xs_doc; });
    return d;
}

extern "C" void xs_doc_free(xs_doc *d)
{
    delete d;
}

extern "C" int xs_doc_clear(xs_doc *d, ps_err *err)
{
    // A new Document allocates: out of memory, d keeps what it had, and a
    // caller that went on would index the last document's terms again.
    return guard(err, [&] { d->doc = Xapian::Document(); });
}

extern "C" int xs_doc_add_term(xs_doc *d, const char *term, size_t len, unsigned wdf_inc, ps_err *err)
{
    return guard(err, [&] { d->doc.add_term(std::string(term, len), wdf_inc); });
}

extern "C" int xs_doc_add_terms(xs_doc *d, const char *bytes, const xs_term *terms, size_t n,
                                ps_err *err)
{
    return guard(err, [&] {
        std::string t;
        for (size_t i = 0; i < n; i++) {
            t.assign(bytes + terms[i].off, terms[i].len);
            d->doc.add_term(t, terms[i].wdf);
        }
    });
}

extern "C" int xs_doc_add_boolean(xs_doc *d, const char *term, size_t len, ps_err *err)
{
    return guard(err, [&] { d->doc.add_boolean_term(std::string(term, len)); });
}

extern "C" int xs_doc_set_value(xs_doc *d, unsigned slot, const char *val, size_t len, ps_err *err)
{
    return guard(err, [&] { d->doc.add_value(slot, std::string(val, len)); });
}

extern "C" int xs_doc_set_data(xs_doc *d, const char *data, size_t len, ps_err *err)
{
    return guard(err, [&] { d->doc.set_data(std::string(data, len)); });
}

extern "C" int xs_doc_each_term(const xs_doc *d,
                                int (*fn)(void *, const char *, size_t, unsigned), void *ctx,
                                ps_err *err)
{
    return guard(err, [&] {
        for (auto it = d->doc.termlist_begin(); it != d->doc.termlist_end(); ++it) {
            std::string t = *it;
            if (fn(ctx, t.data(), t.size(), it.get_wdf()))
                break;
        }
    });
}

extern "C" int xs_doc_get_value(const xs_doc *d, unsigned slot, char **val, size_t *len, ps_err *err)
{
    return guard(err, [&] { to_c(d->doc.get_value(slot), val, len); });
}

extern "C" int xs_wdb_add_doc(xs_wdb *w, const xs_doc *d, unsigned *docid, ps_err *err)
{
    return guard(err, [&] {
        Xapian::docid id = w->db.add_document(d->doc);
        if (docid)
            *docid = id;
    });
}

extern "C" int xs_wdb_delete_doc(xs_wdb *w, unsigned docid, ps_err *err)
{
    return guard(err, [&] {
        try {
            w->db.delete_document(docid);
        } catch (const Xapian::DocNotFoundError &) {
        }
    });
}

extern "C" int xs_db_lastdocid(xs_db *db, unsigned *docid, ps_err *err)
{
    return guard(err, [&] { *docid = db->db.get_lastdocid(); });
}

extern "C" int xs_wdb_term_exists(xs_wdb *w, const char *term, size_t len, int *exists, ps_err *err)
{
    return guard(err, [&] { *exists = w->db.term_exists(std::string(term, len)) ? 1 : 0; });
}

extern "C" int xs_wdb_lastdocid(xs_wdb *w, unsigned *docid, ps_err *err)
{
    return guard(err, [&] { *docid = w->db.get_lastdocid(); });
}

extern "C" int xs_compact(const char *const *srcs, size_t n, const char *dest, ps_err *err)
{
    return guard(err, [&] {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++)
            all.add_database(Xapian::Database(srcs[i]));
        all.compact(dest, Xapian::Compactor::FULLER);
    });
}
