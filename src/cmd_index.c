/* cmd_index.c — `polsearch index`: files → text → paragraphs → tokens → index.
 *
 * Incremental: a file whose size and mtime match its record is not read; one
 * whose bytes did not change (crc32) only has its record refreshed; one that
 * changed has its paragraphs replaced as a whole.  Files that are gone from
 * the walked paths lose their paragraphs.  Work is committed in batches, each
 * a Xapian transaction holding whole files and their records, so a run that
 * dies leaves the index as of its last batch, and the next run finishes the
 * job.  Each shard is written by its own worker process. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "decode.h"
#include "meta.h"
#include "normalize.h"
#include "paragraph.h"
#include "policy.h"
#include "store.h"
#include "termbag.h"
#include "tokenize.h"
#include "walk.h"
#include "xapian-shim.h"

#define BATCH_PARAS  10000           /* commit after this many paragraphs ... */
#define BATCH_BYTES  (48u << 20)     /* ... or this many bytes of text */
#define MAX_DEFAULT_JOBS 8           /* -j default: the online CPUs, at most this many */

/* Set by SIGINT/SIGTERM; the workers stop after their current batch. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

typedef struct index_opts {
    const char  *dir;                /* the index directory */
    const char  *terms_file;         /* --terms: the user's lexicon additions, or NULL */
    lexicon     *lx;                 /* the policy lexicon (shipped + user's) */
    int          full;               /* rebuild from scratch */
    int          jobs;               /* shards for a new index (-j) */
    int          quiet;              /* no summary, no per-file notes */
    int          verbose;            /* list each file */
    int          wait;               /* wait for another writer instead of failing */
    int          progress;           /* draw a progress line on stderr (a terminal) */
    int          no_compact;         /* --no-compact: leave a fresh build's shards as written */
    int          servable;           /* --servable: shards with termlists, for `polsearch serve` */
    int          fresh;              /* the shards are new: written without fsync, then compacted */
    walk_opts    walk;               /* which files to visit */
    load_opts    load;               /* how to read them */
    char       **paths;              /* PATH arguments (or seeds/) */
    size_t       npaths;             /* number of paths */
    char       **includes;           /* --include globs */
    size_t       nincludes;          /* number of --include globs */
    char       **excludes;           /* --exclude globs */
    size_t       nexcludes;          /* number of --exclude globs */
} index_opts;

typedef struct index_stats {
    uint64_t added;                  /* files indexed for the first time */
    uint64_t changed;                /* files re-indexed because their bytes changed */
    uint64_t removed;                /* files whose paragraphs were removed */
    uint64_t unchanged;              /* files left as they were */
    uint64_t skipped;                /* files that are not text (binary, empty) */
    uint64_t failed;                 /* files that could not be read */
    uint64_t paragraphs;             /* paragraphs written */
    uint64_t bytes;                  /* bytes of text indexed */
    int      error;                  /* a fatal index error happened */
    int      interrupted;            /* stopped by a signal */
} index_stats;

/* One worker's progress, in memory shared with the parent (one writer each). */
typedef struct progress_slot {
    volatile uint64_t files;         /* files done */
    volatile uint64_t bytes;         /* bytes of them */
} progress_slot;

/* One file found by the walk. */
typedef struct found_file {
    char       *path;                /* cleaned path */
    struct stat st;                  /* its stat at walk time */
    int         shard;               /* shard it belongs to */
} found_file;

typedef struct found_list {
    found_file *v;                   /* the files, in walk order */
    size_t      n;                   /* files in use */
    size_t      cap;                 /* files allocated */
    int         quiet;               /* suppress walk warnings */
    uint64_t    walk_errors;         /* problems reported by the walk */
} found_list;

/* One shard's writer state. */
typedef struct shard_job {
    const index_opts *opts;          /* options */
    progress_slot *progress;         /* where this worker counts its files, or NULL */
    int         force;               /* re-index every file (--full, or the lexicon changed) */
    xs_wdb     *db;                  /* the shard, open for writing */
    file_rec   *recs;                /* file records found in the shard, sorted by path */
    size_t      nrecs;               /* number of records */
    unsigned char *seen;             /* seen[i]: recs[i] was met in this walk */
    xs_doc     *doc;                 /* reused document */
    norm_text   nt;                  /* reused normalised paragraph */
    termbag     bag;                 /* reused: the paragraph's terms, counted */
    buf         data;                /* reused record encoding */
    uint64_t    batch_paras;         /* paragraphs since the last commit */
    uint64_t    batch_bytes;         /* bytes since the last commit */
    index_stats stats;               /* what happened */
    const char *cur_path;            /* file being indexed (for messages) */
    const doc_meta *cur_meta;        /* its metadata */
    const char *cur_file_term;       /* its XF term */
    int64_t     now_ns;              /* start of the run: part of new version ids */
    char      (*dead)[19];           /* XF terms of versions made dead in this batch */
    size_t      ndead;               /* terms in dead */
    size_t      capdead;             /* terms allocated */
    uint64_t    dead_paras;          /* paragraphs of dead versions in the shard */
    xs_err      err;                 /* last Xapian error */
} shard_job;

static void index_usage(FILE *fp)
{
    fprintf(fp,
        "usage: polsearch index [-d INDEX] [OPTIONS] [PATH...]\n\n"
        "Index files and folders (default: seeds/).  Re-running only re-indexes files\n"
        "that changed, and removes files that are gone from PATH.\n\n"
        "  -d, --index DIR        index directory (default: $POLSEARCH_INDEX or ./index)\n"
        "      --terms FILE       add the policy terms in FILE (TERM<TAB>WEIGHT<TAB>ALIASES)\n"
        "      --full             rebuild from scratch\n"
        "      --no-compact       keep a new or --full build's shards as written (by\n"
        "                         default each worker ends by compacting its shard)\n"
        "      --servable         build shards that 'polsearch serve' can serve (they keep\n"
        "                         Xapian's termlists: about 1.7 times the size)\n"
        "  -j, --jobs N           shards / worker processes for a new index\n"
        "                         (default: the number of CPUs, at most 8)\n"
        "      --wait             wait for another indexing run instead of failing\n"
        "      --encoding NAME    read every file in this encoding (default: detect)\n"
        "      --max-file-size MB refuse files (or decompressed text) above this (default 256)\n"
        "      --follow           follow symbolic links inside folders\n"
        "      --hidden           index hidden files and folders\n"
        "      --include GLOB     only files matching GLOB (repeatable)\n"
        "      --exclude GLOB     skip files and folders matching GLOB (repeatable)\n"
        "  -q, --quiet            no progress line, no summary, no notes on skipped files\n"
        "  -v, --verbose          list each file with its paragraph count\n\n"
        "Example: polsearch index -d ~/policy-index ~/policy-docs\n");
}

/* --- walking ---------------------------------------------------------------- */

static int on_found(void *ctx, const char *path, const struct stat *st)
{
    found_list *l = ctx;
    for (size_t i = 0; i < l->n; i++)       /* the same file named twice */
        if (l->v[i].st.st_ino == st->st_ino && l->v[i].st.st_dev == st->st_dev &&
            !strcmp(l->v[i].path, path))
            return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        found_file *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n].path = strdup(path)))
        return -1;
    l->v[l->n].st = *st;
    l->n++;
    return 0;
}

static void on_walk_error(void *ctx, const char *path, const char *why)
{
    found_list *l = ctx;
    l->walk_errors++;
    ps_msg("%s: %s", path, why);
}

/* --- file records ------------------------------------------------------------ */

static int cmp_recs(const void *a, const void *b)
{
    return strcmp(((const file_rec *)a)->path, ((const file_rec *)b)->path);
}

static int collect_rec(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    shard_job *j = ctx;
    (void)key; (void)klen;
    file_rec f;
    if (store_filerec_decode(val, vlen, &f) != 0)
        return 0;                   /* a damaged record: the file will be re-indexed */
    file_rec *v = realloc(j->recs, (j->nrecs + 1) * sizeof *v);
    if (!v) {
        file_rec_free(&f);
        return -1;
    }
    j->recs = v;
    j->recs[j->nrecs++] = f;
    return 0;
}

/* Index of path's record, or -1. */
static long find_rec(const shard_job *j, const char *path)
{
    size_t lo = 0, hi = j->nrecs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(path, j->recs[mid].path);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

/* --- paragraphs -------------------------------------------------------------- */

static int add_term_cb(void *ctx, const char *term, size_t len, enum tok_kind kind, size_t pos)
{
    shard_job *j = ctx;
    (void)kind; (void)pos;
    if (termbag_add(&j->bag, term, len) == 0)
        return 0;
    j->err.code = XS_ERR_NOMEM;
    snprintf(j->err.msg, sizeof j->err.msg, "out of memory");
    return -1;
}

/* Turn "2024-07-16" into the sortable value "20240716" (8 bytes), or "". */
static size_t date_value(const char *date, char out[9])
{
    if (strlen(date) != 10 || date[4] != '-' || date[7] != '-')
        return 0;
    memcpy(out, date, 4);
    memcpy(out + 4, date + 5, 2);
    memcpy(out + 6, date + 8, 2);
    out[8] = '\0';
    return 8;
}

/* Build and add the Xapian document of one paragraph. */
static int add_paragraph(void *ctx, const char *text, size_t len, size_t byte_off, unsigned number)
{
    shard_job *j = ctx;
    const doc_meta *m = j->cur_meta;
    xs_doc_clear(j->doc);
    if (norm_text_build(&j->nt, text, len) != 0)
        return -1;
    termbag_clear(&j->bag);
    if (tok_terms(&j->nt, 0, j->nt.len, add_term_cb, j) != 0 ||
        xs_doc_add_terms(j->doc, j->bag.bytes.data, termbag_terms(&j->bag), termbag_count(&j->bag), &j->err) != XS_OK ||
        policy_index_terms(j->opts->lx, &j->nt, j->doc, &j->err) != 0)
        return -1;
    if (xs_doc_add_boolean(j->doc, j->cur_file_term, strlen(j->cur_file_term), &j->err) != XS_OK)
        return -1;
    char dv[9];
    size_t dlen = date_value(m->date, dv);
    if (dlen && xs_doc_set_value(j->doc, STORE_SLOT_DATE, dv, dlen, &j->err) != XS_OK)
        return -1;
    unsigned flags = 0;
    if (m->title[0] && len == strlen(m->title) && memcmp(text, m->title, len) == 0)
        flags |= PARA_F_TITLE;
    if (policy_is_heading(text, len))
        flags |= PARA_F_HEADING;
    if (flags && xs_doc_add_term(j->doc, POLICY_HEADING, strlen(POLICY_HEADING), 1, &j->err) != XS_OK)
        return -1;
    (void)m;
    para_rec r = { j->cur_file_term + 2, NULL, NULL, NULL, NULL, NULL, NULL,
                   number, byte_off, flags, text, len };
    buf_clear(&j->data);
    if (store_rec_encode(&j->data, &r) != 0)
        return -1;
    if (xs_doc_set_data(j->doc, j->data.data, j->data.len, &j->err) != XS_OK ||
        xs_wdb_add_doc(j->db, j->doc, NULL, &j->err) != XS_OK)
        return -1;
    j->stats.paragraphs++;
    j->batch_paras++;
    j->batch_bytes += len;
    return 0;
}

/* Add the file document: what all of the current file's paragraphs share. */
static int add_file_doc(shard_job *j, const doc_meta *m)
{
    char dterm[19];
    store_filedoc_term(j->cur_file_term + 2, dterm);
    para_rec r = { j->cur_file_term + 2, j->cur_path, m->title, m->date, m->issuer, m->docno,
                   m->proposal, 0, 0, 0, "", 0 };
    xs_doc_clear(j->doc);
    buf_clear(&j->data);
    if (store_fileinfo_encode(&j->data, &r) != 0)
        return -1;
    if (xs_doc_add_boolean(j->doc, j->cur_file_term, strlen(j->cur_file_term), &j->err) != XS_OK ||
        xs_doc_add_boolean(j->doc, dterm, strlen(dterm), &j->err) != XS_OK ||
        xs_doc_add_boolean(j->doc, STORE_FILE_DOC, strlen(STORE_FILE_DOC), &j->err) != XS_OK ||
        xs_doc_set_data(j->doc, j->data.data, j->data.len, &j->err) != XS_OK ||
        xs_wdb_add_doc(j->db, j->doc, NULL, &j->err) != XS_OK)
        return -1;
    return 0;
}

/* Store path's file record. */
static int put_filerec(shard_job *j, const file_rec *f)
{
    char key[18];
    buf val = BUF_INIT;
    store_file_key(f->path, key);
    if (store_filerec_encode(&val, f) != 0) {
        buf_free(&val);
        return -1;
    }
    int rc = xs_wdb_set_metadata(j->db, key, val.data, val.len, &j->err) == XS_OK ? 0 : -1;
    buf_free(&val);
    return rc;
}

/* Make the indexed version `old` dead: its XF term joins the batch's
 * tombstone (written by flush_dead) and, unless keep_rec is set because a
 * new version's record replaces it, its file record is removed. */
static int drop_file(shard_job *j, const file_rec *old, int keep_rec)
{
    if (j->ndead == j->capdead) {
        size_t cap = j->capdead ? j->capdead * 2 : 64;
        char (*v)[19] = realloc(j->dead, cap * sizeof *v);
        if (!v)
            return -1;
        j->dead = v;
        j->capdead = cap;
    }
    store_version_term(old->vid, j->dead[j->ndead++]);
    j->dead_paras += old->paragraphs;
    char key[18];
    store_file_key(old->path, key);
    return keep_rec || xs_wdb_set_metadata(j->db, key, "", 0, &j->err) == XS_OK ? 0 : -1;
}

/* Add a tombstone document for each version that died in this batch and
 * the shard's count of dead paragraphs, so they commit with the batch. */
static int flush_dead(shard_job *j)
{
    if (j->ndead == 0)
        return 0;
    for (size_t i = 0; i < j->ndead; i++) {
        char tterm[19];
        store_tombstone_term(j->dead[i] + 2, tterm);
        xs_doc_clear(j->doc);
        if (xs_doc_add_boolean(j->doc, STORE_DEAD_TERM, strlen(STORE_DEAD_TERM), &j->err) != XS_OK ||
            xs_doc_add_boolean(j->doc, tterm, strlen(tterm), &j->err) != XS_OK ||
            xs_wdb_add_doc(j->db, j->doc, NULL, &j->err) != XS_OK)
            return -1;
    }
    char count[32];
    int clen = snprintf(count, sizeof count, "%" PRIu64, j->dead_paras);
    if (xs_wdb_set_metadata(j->db, "polsearch.dead", count, (size_t)clen, &j->err) != XS_OK)
        return -1;
    j->ndead = 0;
    return 0;
}

static int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Bring one file's paragraphs up to date.  Returns 0, or -1 on an index
 * error (a file that cannot be read is counted, not an index error). */
static int index_file(shard_job *j, const found_file *f)
{
    const index_opts *o = j->opts;
    long ri = find_rec(j, f->path);
    file_rec *old = ri >= 0 ? &j->recs[ri] : NULL;
    if (ri >= 0)
        j->seen[ri] = 1;
    if (old && !j->force && old->size == (uint64_t)f->st.st_size && old->mtime_ns == mtime_ns(&f->st)) {
        j->stats.unchanged++;
        return 0;
    }
    doc_text d;
    ps_err err = PS_ERR_INIT;
    int ls = doc_load(f->path, &o->load, &d, &err);
    if (ls == PS_OK && d.bad_bytes && !o->quiet)
        ps_msg("%s: warning: %u bad bytes replaced, the first at byte %zu (%s)", f->path,
               d.bad_bytes, d.first_bad_offset, d.encoding);
    if (ls != PS_OK && ls != PS_SKIP) {
        ps_msg("%s: %s", f->path, err.msg);
        j->stats.failed++;
        return 0;                   /* what was indexed of it before stays */
    }
    if (ls == PS_SKIP) {
        if (!o->quiet)
            ps_msg("%s: skipped: %s", f->path, err.msg);
        j->stats.skipped++;
        return old ? drop_file(j, old, 0) : 0;
    }
    file_rec rec = { f->path, (uint64_t)f->st.st_size, mtime_ns(&f->st), d.crc, 0, "", "" };
    snprintf(rec.encoding, sizeof rec.encoding, "%s", d.encoding);
    if (old && !j->force && old->crc == d.crc) {
        rec.paragraphs = old->paragraphs;  /* touched, not changed */
        memcpy(rec.vid, old->vid, sizeof rec.vid);
        doc_text_free(&d);
        j->stats.unchanged++;
        return put_filerec(j, &rec);
    }
    if (old && drop_file(j, old, 1) != 0) {
        doc_text_free(&d);
        return -1;
    }
    store_version_id(&rec, j->now_ns, rec.vid);
    doc_meta meta = DOC_META_INIT;
    if (meta_extract(d.text, d.len, d.html_title, &meta) != 0) {
        doc_text_free(&d);
        errno = ENOMEM;
        return -1;
    }
    char term[19];
    store_version_term(rec.vid, term);
    j->cur_path = f->path;
    j->cur_meta = &meta;
    j->cur_file_term = term;
    uint64_t before = j->stats.paragraphs;
    int rc = para_split_min(d.text, d.len, PARA_MIN_CHARS, PARA_MAX_CHARS, add_paragraph, j);
    rec.paragraphs = (unsigned)(j->stats.paragraphs - before);
    if (rc == 0)
        rc = add_file_doc(j, &meta);
    if (rc == 0)
        rc = put_filerec(j, &rec);
    if (rc == 0) {
        if (old)
            j->stats.changed++;
        else
            j->stats.added++;
        j->stats.bytes += d.len;
        if (o->verbose)
            fprintf(stderr, "%s: %u paragraphs (%s)\n", f->path, rec.paragraphs, rec.encoding);
    }
    doc_meta_free(&meta);
    doc_text_free(&d);
    return rc;
}

/* 1 if path lies under one of the walked roots. */
static int under_roots(const index_opts *o, const char *path)
{
    char clean[4096];
    for (size_t i = 0; i < o->npaths; i++) {
        walk_clean_path(o->paths[i], clean, sizeof clean);
        size_t n = strlen(clean);
        if (!strcmp(clean, ".") || !strcmp(path, clean) ||
            (strncmp(path, clean, n) == 0 && (path[n] == '/' || clean[n - 1] == '/')))
            return 1;
    }
    return 0;
}

/* Commit the batch so far and open the next one. */
static int commit_batch(shard_job *j)
{
    if (flush_dead(j) != 0 || xs_wdb_commit(j->db, &j->err) != XS_OK ||
        xs_wdb_begin(j->db, &j->err) != XS_OK)
        return -1;
    j->batch_paras = j->batch_bytes = 0;
    return 0;
}

/* Write the metadata a fresh shard needs, or check an old shard's. */
static int prepare_shard(shard_job *j, const char *path)
{
    char *fmt = NULL, *tok = NULL;
    size_t flen = 0, tlen = 0;
    if (xs_wdb_get_metadata(j->db, "polsearch.format", &fmt, &flen, &j->err) != XS_OK ||
        xs_wdb_get_metadata(j->db, "polsearch.tokenizer", &tok, &tlen, &j->err) != XS_OK) {
        free(fmt);
        return -1;
    }
    int rc = 0;
    if (flen == 0) {
        if (xs_wdb_set_metadata(j->db, "polsearch.format", STORE_FORMAT, strlen(STORE_FORMAT), &j->err) != XS_OK ||
            xs_wdb_set_metadata(j->db, "polsearch.tokenizer", STORE_TOKENIZER, strlen(STORE_TOKENIZER), &j->err) != XS_OK)
            rc = -1;
    } else if (strcmp(fmt, STORE_FORMAT) != 0 || strcmp(tok, STORE_TOKENIZER) != 0) {
        ps_msg("%s: built by an incompatible polsearch (format %s, tokenizer '%s'); "
               "rebuild with 'polsearch index --full -d %s'", path, fmt, tok, j->opts->dir);
        j->stats.error = 1;
        rc = 1;
    }
    free(fmt);
    free(tok);
    if (rc != 0)
        return rc;
    /* A different lexicon makes every file's K terms stale: re-index all. */
    char want[16], *have = NULL;
    size_t hlen = 0;
    int wlen = snprintf(want, sizeof want, "%08x", (unsigned)lex_fingerprint(j->opts->lx));
    if (xs_wdb_get_metadata(j->db, "polsearch.lexicon", &have, &hlen, &j->err) != XS_OK)
        return -1;
    if (strcmp(have, want) != 0) {
        j->force = 1;
        buf forms = BUF_INIT;
        if (policy_write_synonyms(j->opts->lx, j->db, &j->err) != 0 ||
            policy_forms_encode(j->opts->lx, &forms) != 0 ||
            xs_wdb_set_metadata(j->db, POLICY_FORMS_KEY, forms.data ? forms.data : "", forms.len,
                                &j->err) != XS_OK ||
            xs_wdb_set_metadata(j->db, "polsearch.lexicon", want, (size_t)wlen, &j->err) != XS_OK)
            rc = -1;
        buf_free(&forms);
    }
    free(have);
    return rc;
}

/* fsync every file of the directory dir, and dir itself.  Returns 0 or -1. */
static int sync_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4608];
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path) {
            rc = -1;
            continue;
        }
        int fd = open(path, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0)
            rc = -1;
        if (fd >= 0)
            close(fd);
    }
    int dfd = dirfd(d);
    if (dfd < 0 || fsync(dfd) != 0)
        rc = -1;
    closedir(d);
    return rc;
}

/* End a new shard at path that was written without fsync: compact it
 * (Xapian's compaction packs the B-trees, about halving them, and syncs
 * its output) unless --no-compact, else sync it as it is.  Each worker
 * compacts its own shard, so the compactions run in parallel.  Returns 0,
 * or -1 after a message. */
static int finish_fresh_shard(const index_opts *o, const char *path, index_stats *st)
{
    if (st->interrupted || stop_signal || o->no_compact || st->paragraphs == 0) {
        if (sync_tree(path) == 0)
            return 0;
        ps_msg("%s: cannot sync to disk: %s", path, strerror(errno));
        return -1;
    }
    char tmp[4300], old[4300];
    snprintf(tmp, sizeof tmp, "%s.compacting", path);
    snprintf(old, sizeof old, "%s.old", path);
    store_remove_tree(tmp);
    store_remove_tree(old);
    xs_err err;
    if (xs_compact(&path, 1, tmp, &err) != XS_OK) {
        ps_msg("%s: compaction failed: %s", path, err.msg);
        store_remove_tree(tmp);
        return -1;
    }
    if (rename(path, old) != 0 || rename(tmp, path) != 0) {
        ps_msg("%s: cannot install the compacted shard: %s", path, strerror(errno));
        return -1;
    }
    store_remove_tree(old);
    return 0;
}

/* The default shard count: the online CPUs, from 1 to MAX_DEFAULT_JOBS. */
static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_DEFAULT_JOBS ? MAX_DEFAULT_JOBS : (int)n;
}

/* Write one shard: every file of `files` that belongs to it.  Fills
 * *stats; returns 0, or -1 after reporting an error. */
static int run_shard(const index_opts *o, int shard, const found_list *files, index_stats *stats,
                     progress_slot *progress)
{
    char path[4200];
    store_shard_path(o->dir, shard, path, sizeof path);
    shard_job j;
    memset(&j, 0, sizeof j);
    j.opts = o;
    j.progress = progress;
    j.force = o->full;
    struct timespec start;
    clock_gettime(CLOCK_REALTIME, &start);
    j.now_ns = (int64_t)start.tv_sec * 1000000000 + start.tv_nsec;
    norm_text nt0 = NORM_TEXT_INIT;
    j.nt = nt0;
    termbag bag0 = TERMBAG_INIT;
    j.bag = bag0;
    int rc = -1;
    /* A new shard is written without waiting for the disk (a crash of the
     * machine mid-build leaves nothing worth keeping anyway) and made
     * durable at its end by the compaction's own sync, or by sync_tree. */
    j.db = xs_wdb_open(path, XS_WDB_CREATE | (o->servable ? XS_WDB_TERMLIST : 0u) |
                       (o->fresh ? XS_WDB_NO_SYNC : 0u), &j.err);
    if (!j.db)
        goto fail;
    int prep = prepare_shard(&j, path);
    if (prep > 0) {
        xs_wdb_abandon(j.db);
        *stats = j.stats;
        return -1;
    }
    if (prep < 0 || xs_wdb_metadata_each(j.db, "F", collect_rec, &j, &j.err) != XS_OK)
        goto fail;
    char *dead = NULL;
    size_t dlen = 0;
    if (xs_wdb_get_metadata(j.db, "polsearch.dead", &dead, &dlen, &j.err) != XS_OK)
        goto fail;
    j.dead_paras = dead ? strtoull(dead, NULL, 10) : 0;
    free(dead);
    if (j.nrecs)
        qsort(j.recs, j.nrecs, sizeof *j.recs, cmp_recs);
    j.seen = calloc(j.nrecs + 1, 1);
    j.doc = xs_doc_new(&j.err);
    if (!j.seen || !j.doc || xs_wdb_begin(j.db, &j.err) != XS_OK)
        goto fail;
    for (size_t i = 0; i < files->n && !stop_signal; i++) {
        if (files->v[i].shard != shard)
            continue;
        if (index_file(&j, &files->v[i]) != 0)
            goto fail;
        if (j.progress) {
            j.progress->files++;
            j.progress->bytes += (uint64_t)files->v[i].st.st_size;
        }
        if ((j.batch_paras >= BATCH_PARAS || j.batch_bytes >= BATCH_BYTES) && commit_batch(&j) != 0)
            goto fail;
    }
    if (!stop_signal) {
        for (size_t i = 0; i < j.nrecs; i++)
            if (!j.seen[i] && (o->full || under_roots(o, j.recs[i].path))) {
                if (drop_file(&j, &j.recs[i], 0) != 0)
                    goto fail;
                j.stats.removed++;
            }
        char now[32];
        int nlen = snprintf(now, sizeof now, "%lld", (long long)time(NULL));
        if (xs_wdb_set_metadata(j.db, "polsearch.updated", now, (size_t)nlen, &j.err) != XS_OK)
            goto fail;
    } else {
        j.stats.interrupted = 1;
    }
    if (flush_dead(&j) != 0)
        goto fail;
    rc = xs_wdb_close(j.db, &j.err) == XS_OK ? 0 : -1;
    j.db = NULL;
    if (rc != 0)
        goto fail;
    if (o->fresh && finish_fresh_shard(o, path, &j.stats) != 0) {
        j.stats.error = 1;
        rc = -1;
    }
    goto done;
fail:
    if (j.err.code == XS_ERR_CORRUPT || j.err.code == XS_ERR_VERSION || j.err.code == XS_ERR_OTHER ||
        j.err.code == XS_ERR_OPENING)
        ps_msg("%s: %s; the index is damaged: rebuild it with 'polsearch index --full -d %s'",
               path, j.err.msg, o->dir);
    else if (j.err.code != XS_OK)
        ps_msg("%s: %s", path, j.err.msg);
    else
        ps_msg("%s: %s", path, strerror(errno ? errno : ENOMEM));
    j.stats.error = 1;
    if (j.db)
        xs_wdb_abandon(j.db);
done:
    for (size_t i = 0; i < j.nrecs; i++)
        file_rec_free(&j.recs[i]);
    free(j.recs);
    free(j.seen);
    free(j.dead);
    xs_doc_free(j.doc);
    norm_text_free(&j.nt);
    termbag_free(&j.bag);
    buf_free(&j.data);
    *stats = j.stats;
    return rc;
}

/* --- the index directory ----------------------------------------------------- */

/* Create dir and its parents. */
static int mkdir_p(const char *dir)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* 1 if dir holds entries polsearch did not make (so it must not write
 * there), 0 if it is empty or ours, -1 if it cannot be read. */
static int foreign_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    int foreign = 0;
    struct dirent *e;
    while (!foreign && (e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, ".gitkeep") ||
            !strcmp(n, "polsearch.lock") || !strcmp(n, "XAPIANDB") || !strcmp(n, "XAPIANDB.tmp"))
            continue;
        if (!strncmp(n, "shard", 5) && strspn(n + 5, "0123456789") == strlen(n + 5) && n[5]) {
            char glass[4300];
            snprintf(glass, sizeof glass, "%s/%s/iamglass", dir, n);
            if (access(glass, F_OK) == 0)
                continue;
        }
        foreign = 1;
    }
    closedir(d);
    return foreign;
}

/* Decide the shard count and prepare the directory.  Returns the count,
 * or -1 after a message. */
static int prepare_dir(const index_opts *o)
{
    int existing = store_shard_count(o->dir);
    if (existing < 0 && o->full) {
        /* A damaged shard list: --full starts over with whatever shards are there. */
        for (int i = 0; i < STORE_MAX_SHARDS; i++) {
            char path[4200];
            store_shard_path(o->dir, i, path, sizeof path);
            if (access(path, F_OK) == 0 && store_remove_tree(path) != 0) {
                ps_msg("%s: cannot remove the old shard", path);
                return -1;
            }
        }
        existing = 0;
    }
    if (existing < 0) {
        ps_msg("%s/XAPIANDB: not a polsearch shard list; rebuild with 'polsearch index --full -d %s'",
               o->dir, o->dir);
        return -1;
    }
    if (existing > 0 && !o->full)
        return existing;
    if (existing > 0 && o->full) {
        char path[4200];
        for (int i = 0; i < existing; i++) {
            store_shard_path(o->dir, i, path, sizeof path);
            if (store_remove_tree(path) != 0) {
                ps_msg("%s: cannot remove the old shard", path);
                return -1;
            }
        }
    }
    if (existing == 0 && foreign_dir(o->dir) != 0) {
        /* A directory that is neither empty nor ours is not overwritten. */
        ps_msg("%s: not a polsearch index and not empty; choose another directory", o->dir);
        return -1;
    }
    if (store_write_stub(o->dir, o->jobs) != 0) {
        ps_msg("%s/XAPIANDB: %s", o->dir, strerror(errno));
        return -1;
    }
    return o->jobs;
}

/* --- the command ---------------------------------------------------------------- */

/* Add s to a growable argv-style list. */
static int push_str(char ***v, size_t *n, char *s)
{
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return -1;
    nv[(*n)++] = s;
    *v = nv;
    return 0;
}

enum { OPT_SERVABLE = 311, OPT_NO_COMPACT = 310, OPT_TERMS = 300, OPT_FULL = 256, OPT_WAIT, OPT_ENCODING, OPT_MAXSIZE, OPT_FOLLOW, OPT_HIDDEN,
       OPT_INCLUDE, OPT_EXCLUDE, OPT_HELP };

/* Parse the options into *o.  Returns -1 to continue, or an exit status. */
static int parse_index_opts(int argc, char **argv, index_opts *o)
{
    static const struct option longs[] = {
        { "index", required_argument, NULL, 'd' },
        { "full", no_argument, NULL, OPT_FULL },
        { "terms", required_argument, NULL, OPT_TERMS },
        { "no-compact", no_argument, NULL, OPT_NO_COMPACT },
        { "servable", no_argument, NULL, OPT_SERVABLE },
        { "jobs", required_argument, NULL, 'j' },
        { "wait", no_argument, NULL, OPT_WAIT },
        { "encoding", required_argument, NULL, OPT_ENCODING },
        { "max-file-size", required_argument, NULL, OPT_MAXSIZE },
        { "follow", no_argument, NULL, OPT_FOLLOW },
        { "hidden", no_argument, NULL, OPT_HIDDEN },
        { "include", required_argument, NULL, OPT_INCLUDE },
        { "exclude", required_argument, NULL, OPT_EXCLUDE },
        { "quiet", no_argument, NULL, 'q' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, OPT_HELP },
        { NULL, 0, NULL, 0 }
    };
    const char *dir = NULL;
    long long v;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":d:j:qvh", longs, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case OPT_FULL: o->full = 1; break;
        case OPT_TERMS: o->terms_file = optarg; break;
        case OPT_NO_COMPACT: o->no_compact = 1; break;
        case OPT_SERVABLE: o->servable = 1; break;
        case 'j':
            if ((v = ps_parse_count(optarg, STORE_MAX_SHARDS)) < 1) {
                ps_msg("-j: '%s' is not a number from 1 to %d", optarg, STORE_MAX_SHARDS);
                return EXIT_TROUBLE;
            }
            o->jobs = (int)v;
            break;
        case OPT_WAIT: o->wait = 1; break;
        case OPT_ENCODING: o->load.encoding = optarg; break;
        case OPT_MAXSIZE:
            if ((v = ps_parse_count(optarg, 1 << 20)) < 1) {
                ps_msg("--max-file-size: '%s' is not a size in MB", optarg);
                return EXIT_TROUBLE;
            }
            o->load.max_size = (uint64_t)v << 20;
            break;
        case OPT_FOLLOW: o->walk.follow = 1; break;
        case OPT_HIDDEN: o->walk.hidden = 1; break;
        case OPT_INCLUDE:
            if (push_str(&o->includes, &o->nincludes, optarg) != 0) return EXIT_TROUBLE;
            break;
        case OPT_EXCLUDE:
            if (push_str(&o->excludes, &o->nexcludes, optarg) != 0) return EXIT_TROUBLE;
            break;
        case 'q': o->quiet = 1; break;
        case 'v': o->verbose = 1; break;
        case 'h':
        case OPT_HELP: index_usage(stdout); return EXIT_MATCH;
        case ':':
            ps_msg("option '%s' needs a value; see 'polsearch index --help'", argv[optind - 1]);
            return EXIT_TROUBLE;
        default:
            ps_msg("unknown option '%s'; see 'polsearch index --help'", argv[optind - 1]);
            return EXIT_TROUBLE;
        }
    }
    o->dir = store_default_dir(dir);
    o->walk.include = (const char *const *)o->includes;
    o->walk.ninclude = o->nincludes;
    o->walk.exclude = (const char *const *)o->excludes;
    o->walk.nexclude = o->nexcludes;
    for (int i = optind; i < argc; i++)
        if (push_str(&o->paths, &o->npaths, argv[i]) != 0)
            return EXIT_TROUBLE;
    if (o->npaths == 0 && push_str(&o->paths, &o->npaths, (char *)"seeds") != 0)
        return EXIT_TROUBLE;
    return -1;
}

static void add_stats(index_stats *to, const index_stats *s)
{
    to->added += s->added;
    to->changed += s->changed;
    to->removed += s->removed;
    to->unchanged += s->unchanged;
    to->skipped += s->skipped;
    to->failed += s->failed;
    to->paragraphs += s->paragraphs;
    to->bytes += s->bytes;
    to->error |= s->error;
    to->interrupted |= s->interrupted;
}

/* Format seconds as M:SS or H:MM:SS. */
static void fmt_time(double secs, char *out, size_t outlen)
{
    long t = secs < 0 ? 0 : (long)(secs + 0.5);
    if (t >= 3600)
        snprintf(out, outlen, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, outlen, "%ld:%02ld", t / 60, t % 60);
}

/* Redraw the progress line: files done / total, MB/s, elapsed, ETA. */
static void draw_progress(const progress_slot *slots, int n, const found_list *files,
                          uint64_t total_bytes, const struct timespec *t0)
{
    uint64_t done = 0, bytes = 0;
    for (int i = 0; i < n; i++) {
        done += slots[i].files;
        bytes += slots[i].bytes;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double secs = (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
    double rate = secs > 0 ? (double)bytes / 1e6 / secs : 0;
    char el[32], eta[32] = "?";
    fmt_time(secs, el, sizeof el);
    if (bytes > 0 && total_bytes >= bytes)
        fmt_time(secs * (double)(total_bytes - bytes) / (double)bytes, eta, sizeof eta);
    fprintf(stderr, "\r\033[Kindexing: %" PRIu64 "/%zu files, %.1f MB/s, %s elapsed, ETA %s",
            done, files->n, rate, el, eta);
    fflush(stderr);
}

/* Run the shard writers: inline for one shard without a progress line,
 * else one process each, reporting their stats through a pipe and their
 * progress through shared memory.  Sums the stats into *total. */
static void run_shards(const index_opts *o, int nshards, const found_list *files, index_stats *total)
{
    if (nshards == 1 && !o->progress) {
        index_stats s;
        run_shard(o, 0, files, &s, NULL);
        add_stats(total, &s);
        return;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t total_bytes = 0;
    for (size_t i = 0; i < files->n; i++)
        total_bytes += (uint64_t)files->v[i].st.st_size;
    size_t map_len = sizeof(progress_slot) * (size_t)nshards;
    progress_slot *slots = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (slots == MAP_FAILED)
        slots = NULL;
    int fds[STORE_MAX_SHARDS];
    pid_t pids[STORE_MAX_SHARDS];
    fflush(NULL);
    for (int i = 0; i < nshards; i++) {
        int p[2];
        pids[i] = -1;
        fds[i] = -1;
        if (pipe(p) != 0) {
            ps_msg("pipe: %s", strerror(errno));
            total->error = 1;
            continue;
        }
        pid_t pid = fork();
        if (pid < 0) {
            ps_msg("fork: %s", strerror(errno));
            close(p[0]);
            close(p[1]);
            total->error = 1;
            continue;
        }
        if (pid == 0) {
            /* A worker must not outlive its parent (kill -9 of the parent
             * would leave it writing, holding the shard's lock): SIGKILL it
             * then, so the shard stays as of its last commit. */
            if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() == 1)
                _exit(3);
            close(p[0]);
            index_stats s;
            run_shard(o, i, files, &s, slots ? &slots[i] : NULL);
            ssize_t w = write(p[1], &s, sizeof s);
            _exit(w == (ssize_t)sizeof s ? 0 : 3);
        }
        close(p[1]);
        pids[i] = pid;
        fds[i] = p[0];
    }
    int status[STORE_MAX_SHARDS];
    int alive = 0;
    for (int i = 0; i < nshards; i++)
        alive += pids[i] > 0;
    /* Reap the workers, redrawing the progress line a few times a second. */
    while (alive > 0) {
        for (int i = 0; i < nshards; i++) {
            if (pids[i] <= 0)
                continue;
            pid_t w = waitpid(pids[i], &status[i], o->progress ? WNOHANG : 0);
            if (w == pids[i] || (w < 0 && errno != EINTR)) {
                pids[i] = -pids[i];
                alive--;
            }
        }
        if (o->progress && slots) {
            draw_progress(slots, nshards, files, total_bytes, &t0);
            if (alive > 0)
                nanosleep(&(struct timespec){ 0, 250000000 }, NULL);
        }
    }
    if (o->progress)
        fputs("\r\033[K", stderr);
    for (int i = 0; i < nshards; i++) {
        if (fds[i] < 0)
            continue;
        index_stats s;
        ssize_t r = read(fds[i], &s, sizeof s);
        close(fds[i]);
        if (r != (ssize_t)sizeof s) {
            ps_msg("shard %d: the worker died", i);
            total->error = 1;
            continue;
        }
        add_stats(total, &s);
    }
    if (slots)
        munmap(slots, map_len);
}

int cmd_index(int argc, char **argv)
{
    index_opts o;
    memset(&o, 0, sizeof o);
    o.jobs = default_jobs();
    o.load.max_size = (uint64_t)256 << 20;
    found_list files = { NULL, 0, 0, 0, 0 };
    int status = parse_index_opts(argc, argv, &o);
    int lock_fd = -1;
    if (status >= 0)
        goto out;
    status = EXIT_TROUBLE;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char lexerr[1024];
    if (!(o.lx = policy_load(o.terms_file, lexerr, sizeof lexerr))) {
        ps_msg("%s", lexerr);
        goto out;
    }
    if (mkdir_p(o.dir) != 0) {
        ps_msg("%s: %s", o.dir, strerror(errno));
        goto out;
    }
    if ((lock_fd = store_lock(o.dir, o.wait)) < 0)
        goto out;
    o.fresh = o.full || store_shard_count(o.dir) == 0;
    if (o.full && store_servable(o.dir) == 1)
        o.servable = 1;             /* a rebuild keeps the index servable */
    int nshards = prepare_dir(&o);
    if (nshards < 0)
        goto out;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    files.quiet = o.quiet;
    o.progress = !o.quiet && !o.verbose && isatty(STDERR_FILENO) && getenv("TERM") && strcmp(getenv("TERM"), "dumb") != 0;
    walk_opts wo = o.walk;
    if (walk_paths((const char *const *)o.paths, o.npaths, &wo, on_found, on_walk_error, &files) != 0) {
        ps_msg("out of memory while listing files");
        goto out;
    }
    for (size_t i = 0; i < files.n; i++)
        files.v[i].shard = (int)(store_path_hash(files.v[i].path) % (uint64_t)nshards);

    index_stats total;
    memset(&total, 0, sizeof total);
    run_shards(&o, nshards, &files, &total);
    if (stop_signal)
        total.interrupted = 1;      /* even when it came during a compaction */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (total.interrupted)
        ps_msg("interrupted by signal %d: the work done so far is committed; run again to finish",
               (int)stop_signal);
    if (!o.quiet || total.error || total.failed)
        fprintf(stderr, "polsearch: %s: %" PRIu64 " files indexed (%" PRIu64 " new, %" PRIu64
                " changed), %" PRIu64 " unchanged, %" PRIu64 " removed, %" PRIu64 " skipped, %"
                PRIu64 " failed; %" PRIu64 " paragraphs, %.1f MB in %.2f s\n",
                o.dir, total.added + total.changed, total.added, total.changed, total.unchanged,
                total.removed, total.skipped, total.failed + files.walk_errors, total.paragraphs,
                (double)total.bytes / 1e6, secs);
    status = (total.error || total.failed || files.walk_errors || total.interrupted)
             ? EXIT_TROUBLE : EXIT_MATCH;
out:
    if (lock_fd >= 0)
        close(lock_fd);
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i].path);
    free(files.v);
    lex_free(o.lx);
    free(o.paths);
    free(o.includes);
    free(o.excludes);
    return status;
}
