/* writer.c — the index writer (writer.h): batches, shards, workers, compaction. */
#include "ocr.h"
#include "writer.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "docbuild.h"
#include "meta.h"
#include "paragraph.h"
#include "policy.h"
#include "refs.h"
#include "store.h"
#include "walk.h"
#include "xapian-shim.h"

#define BATCH_PARAS  10000           /* commit after this many paragraphs ... */
#define BATCH_BYTES  (48u << 20)     /* ... or this many bytes of text */

/* Set by SIGINT/SIGTERM; the workers stop after their current file.  The
 * one piece of global state: a signal handler has nowhere else to write. */
static volatile sig_atomic_t stop_signal;

/* SIGINT/SIGTERM handler: remember the signal. */
static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

void writer_catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int writer_stop_signal(void)
{
    return (int)stop_signal;
}

/* Format a message and hand it to the caller's note callback. */
__attribute__((format(printf, 2, 3)))
static void note(const writer_opts *o, const char *fmt, ...)
{
    char msg[8192];                  /* a path can be 4096 bytes */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    o->note(o->ctx, msg);
}

/* The index that the advice to rebuild names (writer_opts.index). */
static const char *advice_index(const writer_opts *o)
{
    return o->index ? o->index : o->dir;
}

/* One worker's progress, in memory shared with the parent (one writer each). */
typedef struct progress_slot {
    volatile uint64_t files;         /* files done */
    volatile uint64_t bytes;         /* bytes of them */
    volatile unsigned ocr_done;      /* pages of the current file read by OCR so far (its page number) */
    volatile unsigned ocr_total;     /* pages of the current file while OCR reads it, else 0 */
} progress_slot;

/* One shard's writer state. */
typedef struct shard_job {
    const writer_opts *opts;          /* options */
    progress_slot *progress;         /* where this worker counts its files, or NULL */
    int         force;               /* re-index every file (--full, or the lexicon changed) */
    xs_wdb     *db;                  /* the shard, open for writing */
    xs_wdb     *tdb;                 /* its text chunks (store.h), open for writing */
    docbuild    build;               /* builds each file's documents and text chunks (docbuild.h) */
    file_rec   *recs;                /* file records found in the shard, sorted by canonical path */
    size_t      nrecs;               /* number of records */
    size_t      caprecs;             /* records allocated */
    unsigned char *seen;             /* seen[i]: recs[i] was met in this walk */
    xs_doc     *tomb;                /* reused tombstone document */
    buf         title;               /* the current file's title (refs_doc_title) */
    uint64_t    batch_paras;         /* paragraphs since the last commit */
    uint64_t    batch_bytes;         /* bytes since the last commit */
    index_stats stats;               /* what happened */
    char      (*dead)[19];           /* XF terms of versions made dead in this batch */
    size_t      ndead;               /* terms in dead */
    size_t      capdead;             /* terms allocated */
    uint64_t    dead_paras;          /* paragraphs of dead versions in the shard */
    ocr_engine *engine;              /* this worker's OCR engine: opened by its first scan, closed at its end */
    ps_err      err;                 /* last Xapian error */
} shard_job;

/* --- file records ------------------------------------------------------------ */

/* qsort order of file records: by canonical path. */
static int cmp_recs(const void *a, const void *b)
{
    return strcmp(((const file_rec *)a)->canon, ((const file_rec *)b)->canon);
}

/* metadata_each callback: add the file record val to the shard job's
 * records (a damaged one is skipped).  Returns -1 when out of memory,
 * which fails the walk: a record left out would make its file look new,
 * and its indexed version would stay live beside the one written. */
static int collect_rec(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    shard_job *j = ctx;
    (void)key; (void)klen;
    file_rec f;
    ps_err derr = PS_ERR_INIT;
    if (store_filerec_decode(val, vlen, &f, &derr) != 0)
        return derr.code == PS_NOMEM ? -1 : 0;  /* damaged: the file will be re-indexed */
    if (!f.canon) {
        /* Written before the canonical path was kept: its path, taken from
         * here as the run that wrote it was, is the best guess. */
        char canon[4096];
        (void)walk_canonical_path(f.path, canon, sizeof canon);  /* on -1 the cleaned path */
        if (!(f.canon = strdup(canon))) {
            file_rec_free(&f);
            return -1;
        }
    }
    if (ARRAY_GROW(j->recs, j->caprecs, j->nrecs + 1) != 0) {
        file_rec_free(&f);
        return -1;
    }
    j->recs[j->nrecs++] = f;
    return 0;
}

/* Index of the record of the file whose canonical path is canon, or -1. */
static long find_rec(const shard_job *j, const char *canon)
{
    size_t lo = 0, hi = j->nrecs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(canon, j->recs[mid].canon);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

/* --- documents --------------------------------------------------------------- */

/* Add the current text chunk of file version vid, when it has entries,
 * to the text database (its document: docbuild_chunk_doc). */
static int write_chunk(shard_job *j, const char *vid)
{
    if (!docbuild_chunk_pending(&j->build))
        return 0;
    if (docbuild_chunk_doc(&j->build, vid, &j->err) != 0 ||
        xs_wdb_add_doc(j->tdb, j->build.chunk_doc, NULL, &j->err) != PS_OK)
        return -1;
    return 0;
}

/* What add_paragraph writes into: the shard and the file being split. */
typedef struct para_sink {
    shard_job           *job;        /* the shard's writer */
    const docbuild_file *file;       /* the file version the paragraphs belong to */
} para_sink;

/* para_split_min callback: build one paragraph's document (docbuild.h)
 * and add it to the shard, its record to the file's text chunks. */
static int add_paragraph(void *ctx, const char *text, size_t len, size_t byte_off, unsigned number)
{
    para_sink *s = ctx;
    shard_job *j = s->job;
    docbuild_para p = { .text = text, .len = len, .byte_off = byte_off, .number = number };
    if ((docbuild_chunk_full(&j->build) && write_chunk(j, s->file->vid) != 0) ||
        docbuild_paragraph(&j->build, s->file, &p, &j->err) != 0 ||
        xs_wdb_add_doc(j->db, j->build.doc, NULL, &j->err) != PS_OK)
        return -1;
    j->stats.paragraphs++;
    j->batch_paras++;
    j->batch_bytes += len;
    return 0;
}

/* Write the documents of the new version rec->vid of the file rec->path
 * (rec->canon), read into *d with metadata *m: its paragraphs, its file
 * document and its text chunks; rec->paragraphs gets their number. */
static int write_version(shard_job *j, const doc_text *d, const doc_meta *m, file_rec *rec)
{
    if (refs_doc_title(d->text, d->len, m, &j->title, NULL, &j->err) != 0)
        return -1;
    docbuild_file f = { .vid = rec->vid, .path = rec->path, .canon = rec->canon, .title = j->title.data ? j->title.data : "",
                        .meta = m, .doc = d };
    para_sink sink = { j, &f };
    uint64_t before = j->stats.paragraphs;
    int rc = docbuild_file_start(&j->build, &f, &j->err) == 0 ? 0 : -1;
    if (rc == 0)
        rc = para_split_min(d->text, d->len, PARA_MIN_CHARS, PARA_MAX_CHARS, add_paragraph, &sink);
    rec->paragraphs = (unsigned)(j->stats.paragraphs - before);
    if (rc == 0 && (docbuild_file_doc(&j->build, &f, &j->err) != 0 ||
                    xs_wdb_add_doc(j->db, j->build.doc, NULL, &j->err) != PS_OK ||
                    write_chunk(j, rec->vid) != 0))
        rc = -1;
    return rc;
}

/* Store f's file record, in place of old's (NULL: none) when old was
 * kept under another key (before the canonical path was). */
static int put_filerec(shard_job *j, const file_rec *f, const file_rec *old)
{
    char key[18];
    buf val = BUF_INIT;
    store_filerec_key(f, key);
    if (store_filerec_encode(&val, f) != 0) {
        buf_free(&val);
        return ps_err_nomem(&j->err), -1;
    }
    int rc = xs_wdb_set_metadata(j->db, key, val.data, val.len, &j->err) == PS_OK ? 0 : -1;
    buf_free(&val);
    if (rc == 0 && old && strcmp(old->key, key) != 0)
        rc = xs_wdb_set_metadata(j->db, old->key, "", 0, &j->err) == PS_OK ? 0 : -1;
    return rc;
}

/* Make the indexed version `old` dead: its XF term joins the batch's
 * tombstone (written by flush_dead) and, unless keep_rec is set because a
 * new version's record replaces it, its file record is removed. */
static int drop_file(shard_job *j, const file_rec *old, int keep_rec)
{
    if (ARRAY_EGROW(&j->err, j->dead, j->capdead, j->ndead + 1) != 0)
        return -1;
    store_version_term(old->vid, j->dead[j->ndead++]);
    j->dead_paras += old->paragraphs;
    return keep_rec || xs_wdb_set_metadata(j->db, old->key, "", 0, &j->err) == PS_OK ? 0 : -1;
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
        if (xs_doc_clear(j->tomb, &j->err) != PS_OK ||
            xs_doc_add_boolean(j->tomb, STORE_DEAD_TERM, strlen(STORE_DEAD_TERM), &j->err) != PS_OK ||
            xs_doc_add_boolean(j->tomb, tterm, strlen(tterm), &j->err) != PS_OK ||
            xs_wdb_add_doc(j->db, j->tomb, NULL, &j->err) != PS_OK)
            return -1;
    }
    char count[32];
    int clen = snprintf(count, sizeof count, "%" PRIu64, j->dead_paras);
    if (xs_wdb_set_metadata(j->db, STORE_DEAD_KEY, count, (size_t)clen, &j->err) != PS_OK)
        return -1;
    j->ndead = 0;
    return 0;
}

/* A file's modification time in nanoseconds. */
static int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* load_opts.ocr_page: OCR of page `done` + 1 of total starts (or the
 * last ended, done == total); the parent's progress line shows it. */
static void ocr_progress(void *ctx, unsigned done, unsigned total)
{
    shard_job *j = ctx;
    if (j->progress) {
        j->progress->ocr_done = done;
        j->progress->ocr_total = total;
    }
}

/* 1 when old was read without OCR while it has pages without text, and
 * this run reads such pages (--ocr): it must be read again even though its
 * bytes did not change. */
static int wants_ocr(const writer_opts *o, const file_rec *old)
{
    return o->load.ocr && (old->reading & STORE_READ_SCAN);
}

/* 1 when old's text came from OCR (a PDF with OCR'd pages, an image). */
static int was_ocred(const file_rec *old)
{
    return (old->reading & STORE_READ_OCR) || strcmp(old->format, "image") == 0;
}

/* Give rec a version id that no document of the shard holds: the first
 * of its salted ids (store_version_id) that is free.  A fresh build finds
 * salt 0 free, so two builds of the same files give the same ids, hence the
 * same documents and the same order of equal scores (search sorts them by
 * the key value, which starts with the version id); a file come back as an
 * earlier, dead version of it was gets the next salt.  Returns 0, or -1 on
 * an index error in j->err. */
static int new_version_id(shard_job *j, file_rec *rec)
{
    for (unsigned salt = 0;; salt++) {
        char term[19];
        int exists;
        store_version_id(rec, salt, rec->vid);
        store_version_term(rec->vid, term);
        if (xs_wdb_term_exists(j->db, term, strlen(term), &exists, &j->err) != PS_OK)
            return -1;
        if (!exists)
            return 0;
    }
}

/* Bring one file's paragraphs up to date.  Returns 0, or -1 on an index
 * error (a file that cannot be read is counted, not an index error). */
static int index_file(shard_job *j, const found_file *f)
{
    const writer_opts *o = j->opts;
    long ri = find_rec(j, f->canon);
    file_rec *old = ri >= 0 ? &j->recs[ri] : NULL;
    if (ri >= 0)
        j->seen[ri] = 1;
    int redo = j->force || (old && wants_ocr(o, old));
    if (old && !redo && old->size == (uint64_t)f->st.st_size && old->mtime_ns == mtime_ns(&f->st)) {
        j->stats.unchanged++;
        return 0;
    }
    uint32_t crc = 0;
    ps_err cerr = PS_ERR_INIT;
    if (old && !redo && was_ocred(old) && doc_crc(f->path, o->load.max_size, &crc, &cerr) == PS_OK &&
        crc == old->crc) {
        /* A scan touched, not changed: its bytes say so without OCR. */
        file_rec rec = *old;
        rec.size = (uint64_t)f->st.st_size;
        rec.mtime_ns = mtime_ns(&f->st);
        j->stats.unchanged++;
        return put_filerec(j, &rec, old);
    }
    doc_text d;
    ps_err lerr = PS_ERR_INIT;
    load_opts lo = o->load;
    lo.engine = &j->engine;
    lo.ocr_page = ocr_progress;
    lo.ctx = j;
    int ls = doc_load(f->path, &lo, &d, &lerr);
    ocr_progress(j, 0, 0);
    if (ls == PS_OK && d.bad_bytes && !o->quiet)
        note(o, "%s: warning: %u bad bytes replaced, the first at byte %zu (%s)", f->path,
             d.bad_bytes, d.first_bad_offset, d.encoding);
    if (ls != PS_OK && ls != PS_SKIP) {
        note(o, "%s: %s", f->path, lerr.msg);
        j->stats.failed++;
        return 0;                   /* what was indexed of it before stays */
    }
    if (ls == PS_SKIP) {
        if (!o->quiet)
            note(o, "%s: skipped: %s", f->path, lerr.msg);
        j->stats.skipped++;
        return old ? drop_file(j, old, 0) : 0;
    }
    /* Shown as first indexed, however this walk spelled it. */
    file_rec rec = { .path = old ? old->path : f->path, .canon = f->canon, .size = (uint64_t)f->st.st_size,
                     .mtime_ns = mtime_ns(&f->st), .crc = d.crc };
    snprintf(rec.format, sizeof rec.format, "%s", reader_format_name(d.format));
    snprintf(rec.encoding, sizeof rec.encoding, "%s", d.encoding);
    rec.reading = d.scan_pages ? STORE_READ_SCAN : d.page_ocr && d.format != FMT_IMAGE ? STORE_READ_OCR : 0;
    /* The checksum of the bytes indexed: a version kept keeps its own
     * (none when an older binary indexed it), a new one gets these. */
    memcpy(rec.sha256, d.sha256, sizeof rec.sha256);
    if (getenv("POLSEARCH_TEST_NO_CHECKSUM"))
        rec.sha256[0] = '\0';      /* test hook: write records as a polsearch before checksums did */
    if (old && !redo && old->crc == d.crc) {
        memcpy(rec.sha256, old->sha256, sizeof rec.sha256);
        rec.paragraphs = old->paragraphs;  /* touched, not changed */
        memcpy(rec.vid, old->vid, sizeof rec.vid);
        memcpy(rec.encoding, old->encoding, sizeof rec.encoding);  /* as its text was read */
        rec.reading = old->reading;
        doc_text_free(&d);
        j->stats.unchanged++;
        return put_filerec(j, &rec, old);
    }
    if (old && drop_file(j, old, 1) != 0) {
        doc_text_free(&d);
        return -1;
    }
    if (new_version_id(j, &rec) != 0) {
        doc_text_free(&d);
        return -1;
    }
    doc_meta meta = DOC_META_INIT;
    if (meta_extract(d.text, d.len, d.html_title, &meta) != 0) {
        doc_text_free(&d);
        return ps_err_nomem(&j->err), -1;
    }
    int rc = write_version(j, &d, &meta, &rec);
    if (rc == 0)
        rc = put_filerec(j, &rec, old);
    if (rc == 0) {
        if (old)
            j->stats.changed++;
        else
            j->stats.added++;
        j->stats.bytes += d.len;
        char shown[STORE_ENCODING_SHOWN];
        if (o->verbose)
            o->listed(o->ctx, f->path, rec.paragraphs, store_filerec_encoding(&rec, shown));
    }
    doc_meta_free(&meta);
    doc_text_free(&d);
    return rc;
}

/* 1 if path lies under root (a file or folder), both spelled alike. */
static int path_under(const char *path, const char *root)
{
    size_t n = strlen(root);
    return !strcmp(root, ".") || (strncmp(path, root, n) == 0 &&
                                  (path[n] == '\0' || path[n] == '/' || root[n - 1] == '/'));
}

/* 1 if the file of record f lies under one of the walked roots: its
 * canonical path under a root's (however either was spelled), or its path
 * as shown under a root as given (a file that a link inside the folder
 * led to, whose canonical path lies elsewhere). */
static int under_roots(const writer_opts *o, const file_rec *f)
{
    char clean[4096];
    for (size_t i = 0; i < o->npaths; i++) {
        walk_clean_path(o->paths[i], clean, sizeof clean);
        if (path_under(f->canon, o->roots[i]) || path_under(f->path, clean))
            return 1;
    }
    return 0;
}

/* Record in shard w that its text chunks end at document last (store.h:
 * the next run deletes chunks past it).  Returns PS_OK or an error code. */
static int set_textlast(xs_wdb *w, unsigned last, ps_err *err)
{
    char v[16];
    int vlen = snprintf(v, sizeof v, "%u", last);
    return xs_wdb_set_metadata(w, STORE_TEXTLAST_KEY, v, (size_t)vlen, err);
}

/* Commit the batch so far: the text chunks, then the shard, which
 * records how far the chunks went (store.h says why). */
static int commit_texts_then_shard(shard_job *j)
{
    unsigned tlast = 0;
    if (flush_dead(j) != 0 || xs_wdb_lastdocid(j->tdb, &tlast, &j->err) != PS_OK)
        return -1;
    return set_textlast(j->db, tlast, &j->err) == PS_OK && xs_wdb_commit(j->tdb, &j->err) == PS_OK &&
           xs_wdb_commit(j->db, &j->err) == PS_OK ? 0 : -1;
}

/* Commit the batch so far and open the next one. */
static int commit_batch(shard_job *j)
{
    if (commit_texts_then_shard(j) != 0 || xs_wdb_begin(j->tdb, &j->err) != PS_OK ||
        xs_wdb_begin(j->db, &j->err) != PS_OK)
        return -1;
    j->batch_paras = j->batch_bytes = 0;
    return 0;
}

/* Write the metadata a fresh shard needs, or check an old shard's. */
static int prepare_shard(shard_job *j, const char *path)
{
    char *fmt = NULL, *tok = NULL;
    size_t flen = 0, tlen = 0;
    if (xs_wdb_get_metadata(j->db, STORE_FORMAT_KEY, &fmt, &flen, &j->err) != PS_OK ||
        xs_wdb_get_metadata(j->db, STORE_TOKENIZER_KEY, &tok, &tlen, &j->err) != PS_OK) {
        free(fmt);
        return -1;
    }
    int rc = 0;
    if (flen == 0) {
        if (xs_wdb_set_metadata(j->db, STORE_FORMAT_KEY, STORE_FORMAT, strlen(STORE_FORMAT), &j->err) != PS_OK ||
            xs_wdb_set_metadata(j->db, STORE_TOKENIZER_KEY, STORE_TOKENIZER, strlen(STORE_TOKENIZER), &j->err) != PS_OK)
            rc = -1;
    } else if (strcmp(fmt, STORE_FORMAT) != 0 || strcmp(tok, STORE_TOKENIZER) != 0) {
        char what[600];
        ps_err e = PS_ERR_INIT;
        snprintf(what, sizeof what, "built by an incompatible polsearch (format %.100s, tokenizer '%.300s')",
                 fmt, tok);
        ps_err_damaged(&e, PS_DAMAGED_REBUILD, path, advice_index(j->opts), what);
        note(j->opts, "%s", e.msg);
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
    if (xs_wdb_get_metadata(j->db, STORE_LEXICON_KEY, &have, &hlen, &j->err) != PS_OK)
        return -1;
    if (strcmp(have, want) != 0) {
        j->force = 1;
        buf forms = BUF_INIT;
        if (policy_write_synonyms(j->opts->lx, j->db, &j->err) != 0 ||
            (policy_forms_encode(j->opts->lx, &forms) != 0 && ps_err_nomem(&j->err)) ||
            xs_wdb_set_metadata(j->db, POLICY_FORMS_KEY, forms.data ? forms.data : "", forms.len,
                                &j->err) != PS_OK ||
            xs_wdb_set_metadata(j->db, STORE_LEXICON_KEY, want, (size_t)wlen, &j->err) != PS_OK)
            rc = -1;
        buf_free(&forms);
    }
    free(have);
    return rc;
}

/* End a new shard (at path, its text chunks at tpath) of one that was
 * written without fsync: merge it (writer_merge_shards on one shard:
 * Xapian's compaction packs the B-trees, about halving a shard and taking
 * 7 % off its text chunks, and syncs its output; the swap is crash-safe)
 * unless --no-compact, else sync it as it is.  Returns 0, or -1 after a
 * note (writer_opts.note). */
static int finish_fresh(const writer_opts *o, const char *path, const char *tpath, const index_stats *st)
{
    if (st->interrupted || stop_signal || o->no_compact || st->paragraphs == 0) {
        const char *bad = store_sync_tree(path) != 0 ? path : store_sync_tree(tpath) != 0 ? tpath : NULL;
        if (!bad)
            return 0;
        note(o, "%s: cannot sync to disk: %s", bad, strerror(errno));
        return -1;
    }
    ps_err err = PS_ERR_INIT;
    if (writer_merge_shards(o->dir, 1, &err) != 0) {
        note(o, "%s", err.msg);
        return -1;
    }
    return 0;
}

/* Set up chunk writing for the shard: chunks past the last that the
 * shard's last commit recorded were written by a run cut off between
 * the two commits, and go.  Returns 0, or -1 with j->err set. */
static int open_chunks(shard_job *j)
{
    unsigned tlast = 0;
    char *v = NULL;
    size_t vlen = 0;
    if (xs_wdb_lastdocid(j->tdb, &tlast, &j->err) != PS_OK ||
        xs_wdb_get_metadata(j->db, STORE_TEXTLAST_KEY, &v, &vlen, &j->err) != PS_OK)
        return -1;
    unsigned kept = v ? (unsigned)strtoul(v, NULL, 10) : 0;
    free(v);
    for (unsigned d = kept + 1; d <= tlast; d++)
        if (xs_wdb_delete_doc(j->tdb, d, &j->err) != PS_OK)
            return -1;
    return 0;
}

/* Record in the shard at shard the last document id of its text chunks
 * at text, as the shard's commits do (store.h: the next run deletes
 * chunks past it).  Returns 0, or -1 with err set. */
static int record_textlast(const char *shard, const char *text, ps_err *err)
{
    const char *tp = text;
    unsigned last = 0;
    xs_db *t = xs_db_open(&tp, 1, 0, err);
    int rc = t && xs_db_lastdocid(t, &last, err) == PS_OK ? 0 : -1;
    xs_db_close(t);
    xs_wdb *w = rc == 0 ? xs_wdb_open(shard, 0, err) : NULL;
    if (!w || set_textlast(w, last, err) != PS_OK) {
        xs_wdb_abandon(w);
        return -1;
    }
    return xs_wdb_close(w, err) == PS_OK ? 0 : -1;
}

/* Compact srcs[0..n) into dest in a child process, which writes its
 * error (a whole ps_err) to the pipe it gets when it fails.  Returns its
 * pid with the pipe's reading end in *fd, or -1 (and *fd -1) when it
 * cannot be started. */
static pid_t compact_in_child(const char *const *srcs, size_t n, const char *dest, int *fd)
{
    int p[2];
    *fd = -1;
    if (pipe(p) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        ps_err err = PS_ERR_INIT;
        close(p[0]);
        if (xs_compact(srcs, n, dest, &err) == PS_OK)
            _exit(0);
        ssize_t w = write(p[1], &err, sizeof err);
        _exit(w == (ssize_t)sizeof err ? 1 : 2);
    }
    close(p[1]);
    if (pid < 0)
        close(p[0]);
    else
        *fd = p[0];
    return pid;
}

/* Wait for the compaction child pid and say in *err why it failed, with
 * its message from fd when it sent one.  Returns 0 when it succeeded,
 * else -1. */
static int reap_compaction(const char *dir, pid_t pid, int fd, ps_err *err)
{
    int status = 1;
    ps_err cerr = PS_ERR_INIT;
    if (pid > 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    ssize_t r = fd >= 0 ? read(fd, &cerr, sizeof cerr) : 0;
    if (fd >= 0)
        close(fd);
    if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    cerr.msg[sizeof cerr.msg - 1] = '\0';
    if (r == (ssize_t)sizeof cerr && cerr.code != PS_OK)
        ps_err_set(err, cerr.code, "%s: compaction of the text chunks failed: %s", dir, cerr.msg);
    else
        ps_err_set(err, PS_XAPIAN, "%s: compaction of the text chunks failed", dir);
    return -1;
}

int writer_merge_shards(const char *dir, int n, ps_err *err)
{
    if (n < 1 || n > STORE_MAX_SHARDS)
        return ps_err_set(err, PS_INDEX, "%s: no shards to merge", dir), -1;
    char paths[STORE_MAX_SHARDS][4200], tpaths[STORE_MAX_SHARDS][4200], tmp[4200], ttmp[4200];
    const char *srcs[STORE_MAX_SHARDS], *tsrcs[STORE_MAX_SHARDS];
    for (int i = 0; i < n; i++) {
        store_shard_path(dir, i, paths[i], sizeof paths[i]);
        store_text_path(dir, i, tpaths[i], sizeof tpaths[i]);
        srcs[i] = paths[i];
        tsrcs[i] = tpaths[i];
    }
    snprintf(tmp, sizeof tmp, "%s/" STORE_SWAP_SHARD, dir);
    snprintf(ttmp, sizeof ttmp, "%s/" STORE_SWAP_TEXT, dir);
    store_remove_tree(tmp);
    store_remove_tree(ttmp);
    /* The text chunks in a child, the shards here: both cores work. */
    int cfd;
    pid_t child = compact_in_child(tsrcs, (size_t)n, ttmp, &cfd);
    ps_err xerr = PS_ERR_INIT;
    int rc = xs_compact(srcs, (size_t)n, tmp, &xerr) == PS_OK ? 0 : -1;
    if (rc != 0)
        ps_err_set(err, xerr.code, "%s: compaction failed: %s", dir, xerr.msg);
    if (reap_compaction(dir, child, cfd, err) != 0)
        rc = -1;
    if (rc == 0 && record_textlast(tmp, ttmp, err) == 0) {
        store_kill_point("merge-compacted");
        return store_swap_in(dir, err);
    }
    store_remove_tree(tmp);
    store_remove_tree(ttmp);
    return -1;
}

/* A job for one shard of o->dir, counting its progress in progress (or
 * NULL), with nothing open yet. */
static void job_init(shard_job *j, const writer_opts *o, progress_slot *progress)
{
    *j = (shard_job){ .opts = o, .progress = progress, .force = o->full, .title = BUF_INIT };
}

/* Open the shard at path and its text chunks at tpath for the run, and
 * read what the run needs of them (format, lexicon, file records, dead
 * paragraphs), the first batch begun.  Returns 0; 1 when the shard is of
 * an incompatible format (noted, j->stats.error set); -1 on an error in
 * j->err (or errno). */
static int open_shard(shard_job *j, const char *path, const char *tpath)
{
    const writer_opts *o = j->opts;
    if (docbuild_init(&j->build, o->lx, &j->err) != 0 || !(j->tomb = xs_doc_new(&j->err)))
        return -1;
    /* A new shard is written without waiting for the disk (a crash of the
     * machine mid-build leaves nothing worth keeping anyway) and made
     * durable at its end by the compaction's own sync, or by store_sync_tree. */
    j->db = xs_wdb_open(path, XS_WDB_CREATE | (o->fresh ? XS_WDB_NO_SYNC : 0u), &j->err);
    if (!j->db)
        return -1;
    int prep = prepare_shard(j, path);
    if (prep > 0) {
        xs_wdb_abandon(j->db);
        j->db = NULL;
        return 1;
    }
    j->tdb = xs_wdb_open(tpath, XS_WDB_CREATE | XS_WDB_TERMLIST | (o->fresh ? XS_WDB_NO_SYNC : 0u), &j->err);
    if (!j->tdb || open_chunks(j) != 0)
        return -1;
    if (prep < 0 || xs_wdb_metadata_each(j->db, STORE_FILEREC_PREFIX, collect_rec, j, &j->err) != PS_OK)
        return -1;
    char *dead = NULL;
    size_t dlen = 0;
    if (xs_wdb_get_metadata(j->db, STORE_DEAD_KEY, &dead, &dlen, &j->err) != PS_OK)
        return -1;
    j->dead_paras = dead ? strtoull(dead, NULL, 10) : 0;
    free(dead);
    if (j->nrecs)
        qsort(j->recs, j->nrecs, sizeof *j->recs, cmp_recs);
    j->seen = calloc(j->nrecs + 1, 1);
    if ((!j->seen && ps_err_nomem(&j->err)) || xs_wdb_begin(j->tdb, &j->err) != PS_OK || xs_wdb_begin(j->db, &j->err) != PS_OK)
        return -1;
    return 0;
}

/* Bring every file of `files` that belongs to shard up to date, a batch
 * committed whenever one is full, until a stop signal.  Returns 0, or -1
 * on an index error. */
static int index_files(shard_job *j, int shard, const found_list *files)
{
    for (size_t i = 0; i < files->n && !stop_signal; i++) {
        if (files->v[i].shard != shard)
            continue;
        if (index_file(j, &files->v[i]) != 0)
            return -1;
        if (j->progress) {
            j->progress->files++;
            j->progress->bytes += (uint64_t)files->v[i].st.st_size;
        }
        if ((j->batch_paras >= BATCH_PARAS || j->batch_bytes >= BATCH_BYTES) && commit_batch(j) != 0)
            return -1;
    }
    return 0;
}

/* End the run on the shard: unless a signal stopped it, the files gone
 * from the walked roots lose their paragraphs and the run's time is
 * recorded; then the last batch commits and both databases close.
 * Returns 0, or -1 on an index error. */
static int end_shard(shard_job *j)
{
    const writer_opts *o = j->opts;
    if (!stop_signal) {
        for (size_t i = 0; i < j->nrecs; i++)
            if (!j->seen[i] && (o->full || under_roots(o, &j->recs[i]))) {
                if (drop_file(j, &j->recs[i], 0) != 0)
                    return -1;
                j->stats.removed++;
            }
        char now[32];
        int nlen = snprintf(now, sizeof now, "%lld", (long long)time(NULL));
        if (xs_wdb_set_metadata(j->db, STORE_UPDATED_KEY, now, (size_t)nlen, &j->err) != PS_OK)
            return -1;
    } else {
        j->stats.interrupted = 1;
    }
    if (commit_texts_then_shard(j) != 0)
        return -1;
    int rc = xs_wdb_close(j->tdb, &j->err) == PS_OK ? 0 : -1;
    j->tdb = NULL;
    if (rc == 0)
        rc = xs_wdb_close(j->db, &j->err) == PS_OK ? 0 : -1;
    j->db = NULL;
    return rc;
}

/* Note the error that stopped the run on the shard at path (a damaged
 * shard gets the rebuild advice) and drop what it did not commit. */
static void fail_shard(shard_job *j, const char *path)
{
    const writer_opts *o = j->opts;
    ps_err e = PS_ERR_INIT;
    if (j->err.code == PS_INDEX || j->err.code == PS_VERSION || j->err.code == PS_XAPIAN ||
        j->err.code == PS_OPENING)
        ps_err_damaged(&e, PS_DAMAGED, path, advice_index(o), j->err.msg);
    else if (j->err.code != PS_OK)
        ps_err_set(&e, j->err.code, "%s: %s", path, j->err.msg);
    else if (!errno || errno == ENOMEM)
        ps_err_set(&e, PS_NOMEM, "%s: out of memory", path);
    else
        ps_err_set(&e, PS_IO, "%s: %s", path, strerror(errno));
    note(o, "%s", e.msg);
    j->stats.error = 1;
    if (j->tdb)
        xs_wdb_abandon(j->tdb);
    if (j->db)
        xs_wdb_abandon(j->db);
    j->tdb = NULL;
    j->db = NULL;
}

/* Free what the job holds (its databases are closed or abandoned). */
static void job_free(shard_job *j)
{
    for (size_t i = 0; i < j->nrecs; i++)
        file_rec_free(&j->recs[i]);
    free(j->recs);
    free(j->seen);
    free(j->dead);
    docbuild_free(&j->build);
    xs_doc_free(j->tomb);
    buf_free(&j->title);
    if (j->engine)                   /* opened by a reader: the table is loaded */
        reader_table_get(NULL)->ocr_close(j->engine);
}

/* Write one shard: every file of `files` that belongs to it.  Fills
 * *stats; returns 0, or -1 after a note of the error. */
static int run_shard(const writer_opts *o, int shard, int merge_later, const found_list *files,
                     index_stats *stats, progress_slot *progress)
{
    char path[4200], tpath[4200];
    store_shard_path(o->dir, shard, path, sizeof path);
    store_text_path(o->dir, shard, tpath, sizeof tpath);
    shard_job j;
    job_init(&j, o, progress);
    int rc = open_shard(&j, path, tpath);
    if (rc == 0)
        rc = index_files(&j, shard, files);
    if (rc == 0) {
        char step[32];               /* a worker killed before its last commit: the crash tests */
        snprintf(step, sizeof step, "shard%d-ending", shard);
        store_kill_point(step);
        rc = end_shard(&j);
    }
    if (rc < 0)
        fail_shard(&j, path);
    /* A shard that the parent merges with the others is compacted then. */
    else if (rc == 0 && o->fresh && !merge_later && finish_fresh(o, path, tpath, &j.stats) != 0) {
        j.stats.error = 1;
        rc = -1;
    }
    job_free(&j);
    *stats = j.stats;
    return rc == 0 ? 0 : -1;
}

/* Add a shard's stats s to *to. */
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

/* End a new build of nshards shards written for merging: merge them, or
 * when that cannot be done (an error, a signal), make them durable as
 * they are. */
static void end_merge(const writer_opts *o, int nshards, index_stats *total)
{
    ps_err err = PS_ERR_INIT;
    if (!total->error && !total->interrupted && !stop_signal && total->paragraphs > 0 &&
        writer_merge_shards(o->dir, nshards, &err) == 0)
        return;
    if (err.code != PS_OK) {
        note(o, "%s", err.msg);
        total->error = 1;
    }
    for (int i = 0; i < nshards; i++) {
        char path[4200];
        for (int k = 0; k < 2; k++) {
            store_part_path(o->dir, i, k, path, sizeof path);
            if (access(path, F_OK) == 0 && store_sync_tree(path) != 0) {
                note(o, "%s: cannot sync to disk: %s", path, strerror(errno));
                total->error = 1;
            }
        }
    }
}

/* Inline for one shard without a progress line, else one process each,
 * reporting their stats through a pipe and their progress through shared
 * memory. */
void writer_run(const writer_opts *o, int nshards, const found_list *files, index_stats *total)
{
    if (nshards == 1 && !o->progress) {
        index_stats s;
        run_shard(o, 0, 0, files, &s, NULL);
        add_stats(total, &s);
        return;
    }
    /* A new build of several shards ends merged into one (fewer databases
     * to open and search), unless --no-compact. */
    int merge = o->fresh && nshards > 1 && !o->no_compact;
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
            note(o, "pipe: %s", strerror(errno));
            total->error = 1;
            continue;
        }
        pid_t pid = fork();
        if (pid < 0) {
            note(o, "fork: %s", strerror(errno));
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
            run_shard(o, i, merge, files, &s, slots ? &slots[i] : NULL);
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
            uint64_t done = 0, bytes = 0;
            unsigned ocr_done = 0, ocr_total = 0;
            for (int i = 0; i < nshards; i++) {
                done += slots[i].files;
                bytes += slots[i].bytes;
                ocr_done += slots[i].ocr_done;
                ocr_total += slots[i].ocr_total;
            }
            o->progress(o->ctx, done, bytes, ocr_done, ocr_total, 0);
            if (alive > 0)
                nanosleep(&(struct timespec){ 0, 250000000 }, NULL);
        }
    }
    if (o->progress)
        o->progress(o->ctx, 0, 0, 0, 0, 1);
    for (int i = 0; i < nshards; i++) {
        if (fds[i] < 0)
            continue;
        index_stats s;
        ssize_t r = read(fds[i], &s, sizeof s);
        close(fds[i]);
        if (r != (ssize_t)sizeof s) {
            note(o, "shard %d: the worker died", i);
            total->error = 1;
            continue;
        }
        add_stats(total, &s);
    }
    if (slots)
        munmap(slots, map_len);
    if (merge)
        end_merge(o, nshards, total);
}
