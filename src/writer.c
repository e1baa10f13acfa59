/* writer.c — the index writer (writer.h): batches, shards, workers, compaction. */
#include "ocr.h"
#include "writer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
#include "meta.h"
#include "normalize.h"
#include "paragraph.h"
#include "policy.h"
#include "hash.h"
#include "refs.h"
#include "store.h"
#include "termbag.h"
#include "tokenize.h"
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
    text_block  chunk;               /* the current file's chunk being filled */
    char        key[STORE_KEY_LEN];  /* the paragraph's STORE_SLOT_KEY value: copy key, then place */
    buf         file_info;           /* the current file's record: entry 0 of each of its chunks */
    size_t      info_uncounted;      /* bytes of entry 0 the chunk budget leaves out: the canonical path's */
    unsigned    chunk_no;            /* its number within the file */
    xs_doc     *tdoc;                /* reused chunk document */
    file_rec   *recs;                /* file records found in the shard, sorted by canonical path */
    size_t      nrecs;               /* number of records */
    unsigned char *seen;             /* seen[i]: recs[i] was met in this walk */
    xs_doc     *doc;                 /* reused document */
    norm_text   nt;                  /* reused normalised paragraph */
    termbag     bag;                 /* reused: the paragraph's terms, counted */
    buf         data;                /* reused record encoding */
    ref_list    refs;                /* reused: the references of a paragraph */
    buf         rterm;               /* reused: one reference's term */
    buf         title;               /* the current file's title (refs_doc_title) */
    buf         breaks;              /* reused: a paragraph's page breaks (para_rec.page_breaks) */
    buf         heading;             /* reused: a short paragraph's normalised text, UTF-8 */
    uint64_t    batch_paras;         /* paragraphs since the last commit */
    uint64_t    batch_bytes;         /* bytes since the last commit */
    index_stats stats;               /* what happened */
    const char *cur_path;            /* file being indexed, as results show it */
    const char *cur_canon;           /* its canonical path */
    const doc_meta *cur_meta;        /* its metadata */
    const doc_text *cur_doc;         /* its text (format, page starts) */
    const char *cur_file_term;       /* its XF term */
    int64_t     now_ns;              /* start of the run: part of new version ids */
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
 * records (a damaged one is skipped).  Returns -1 when out of memory. */
static int collect_rec(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    shard_job *j = ctx;
    (void)key; (void)klen;
    file_rec f;
    if (store_filerec_decode(val, vlen, &f) != 0)
        return 0;                   /* a damaged record: the file will be re-indexed */
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
    file_rec *v = realloc(j->recs, (j->nrecs + 1) * sizeof *v);
    if (!v) {
        file_rec_free(&f);
        return -1;
    }
    j->recs = v;
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

/* --- paragraphs -------------------------------------------------------------- */

/* tok_terms callback: count the term in the paragraph's term bag.
 * Returns -1 (with j->err set) when out of memory. */
static int add_term_cb(void *ctx, const char *term, size_t len, enum tok_kind kind, size_t pos)
{
    shard_job *j = ctx;
    (void)kind; (void)pos;
    if (termbag_add(&j->bag, term, len) == 0)
        return 0;
    ps_err_nomem(&j->err);
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

/* Add the boolean terms of the references paragraph text[0..len) makes
 * (refs.h), the document's own title and number excepted. */
static int add_para_refs(shard_job *j, const char *text, size_t len)
{
    const doc_meta *m = j->cur_meta;
    /* Every reference has a title bracket (《 〈 <<) or ends in 号/號: most
     * paragraphs have neither, and the scan is then skipped. */
    if (!memmem(text, len, "\xE3\x80\x8A", 3) && !memmem(text, len, "\xE3\x80\x88", 3) &&
        !memmem(text, len, "<<", 2) && !memmem(text, len, "\xE5\x8F\xB7", 3) &&
        !memmem(text, len, "\xE8\x99\x9F", 3))
        return 0;
    if (refs_extract(text, len, m->title, m->docno, &j->refs, &j->err) != 0)
        return -1;
    for (size_t i = 0; i < j->refs.n; i++) {
        const ref_item *it = &j->refs.items[i];
        if (refs_term(it->kind, REF_CITES, refs_key(&j->refs, i), it->key_len, &j->rterm) != 0)
            return ps_err_nomem(&j->err), -1;
        if (xs_doc_add_boolean(j->doc, j->rterm.data, j->rterm.len, &j->err) != PS_OK)
            return -1;
    }
    return 0;
}

/* Set the copy key of the paragraph whose normalised text is j->nt, the
 * start of j->key: the 64-bit FNV-1a hash of its code points (8 bytes,
 * big-endian), so that copies that differ only in width, case or white
 * space share it; its hex digits make the boolean terms of its two copy
 * buckets, through which the copies are found (store_copy_terms). */
static int set_copy_key(shard_job *j)
{
    uint64_t h = HASH_FNV64_INIT;
    for (size_t i = 0; i < j->nt.len; i++) {
        unsigned char b[4] = { (unsigned char)j->nt.cp[i], (unsigned char)(j->nt.cp[i] >> 8),
                               (unsigned char)(j->nt.cp[i] >> 16), (unsigned char)(j->nt.cp[i] >> 24) };
        h = hash_fnv64(h, b, sizeof b);
    }
    char terms[2][STORE_COPY_TERM_SIZE];
    for (int i = 0; i < STORE_COPY_KEY_LEN; i++)
        j->key[i] = (char)(h >> (56 - 8 * i));
    store_copy_terms(j->key, terms);
    for (int k = 0; k < 2; k++)
        if (xs_doc_add_boolean(j->doc, terms[k], strlen(terms[k]), &j->err) != PS_OK)
            return -1;
    return 0;
}

/* Add the identity terms of the current document: its own title (from
 * its metadata only: a title borrowed from what it answers is not its
 * name) and its document number, each as refs.h keys them. */
static int add_identity(shard_job *j, const doc_meta *m)
{
    buf key = BUF_INIT;
    int rc = 0;
    const char *own[2] = { m->title, m->docno };
    enum ref_kind kind[2] = { REF_TITLE, REF_DOCNO };
    for (int k = 0; k < 2 && rc == 0; k++) {
        if (!own[k] || !own[k][0])
            continue;
        int r = kind[k] == REF_TITLE ? refs_normalize_title(own[k], strlen(own[k]), &key, &j->err)
                                     : refs_normalize_docno(own[k], strlen(own[k]), &key, &j->err);
        if (r < 0 || (r == 0 && refs_term(kind[k], REF_IDENTITY, key.data, key.len, &j->rterm) != 0))
            rc = ps_err_nomem(&j->err);
        else if (r == 0 && xs_doc_add_boolean(j->doc, j->rterm.data, j->rterm.len, &j->err) != PS_OK)
            rc = -1;
    }
    buf_free(&key);
    return rc ? -1 : 0;
}

/* Add the current file's chunk j->chunk (when it has entries) to the
 * text database, under its term, and start the next. */
static int write_chunk(shard_job *j)
{
    if (j->chunk.n == 0)
        return 0;
    char term[STORE_CHUNK_TERM_LEN + 1];
    store_chunk_term(j->cur_file_term + 2, j->chunk_no, term);
    xs_doc_clear(j->tdoc);
    if (xs_doc_add_boolean(j->tdoc, term, STORE_CHUNK_TERM_LEN, &j->err) != PS_OK ||
        xs_doc_set_data(j->tdoc, j->chunk.bytes.data, j->chunk.bytes.len, &j->err) != PS_OK ||
        xs_wdb_add_doc(j->tdb, j->tdoc, NULL, &j->err) != PS_OK)
        return -1;
    j->chunk_no++;
    buf_clear(&j->chunk.bytes);
    j->chunk.n = 0;
    return 0;
}

/* Append the paragraph record data[0..len) to the current file's chunks
 * as the next entry, its place in *loc (the end of STORE_SLOT_KEY's value).  Every
 * chunk starts with the file record, so that a result's file fields come
 * with its chunk (store_file_lookup). */
static int add_entry(shard_job *j, const char *data, size_t len, char loc[STORE_LOC_LEN])
{
    if ((j->chunk.n == STORE_CHUNK_ENTRIES || j->chunk.bytes.len >= STORE_CHUNK_BYTES + j->info_uncounted) &&
        write_chunk(j) != 0)
        return -1;
    if (j->chunk.n == 0 && store_block_add(&j->chunk, j->file_info.data, j->file_info.len) != 0)
        return ps_err_nomem(&j->err), -1;
    store_loc_make(j->cur_file_term + 2, j->chunk_no, j->chunk.n, loc);
    if (store_block_add(&j->chunk, data, len) != 0)
        return ps_err_nomem(&j->err), -1;
    return 0;
}

/* 1 if the paragraph whose normalised text is j->nt reads as a heading
 * (policy_is_heading of that text), 0 if not, -1 when out of memory. */
static int nt_is_heading(shard_job *j)
{
    if (j->nt.len == 0 || j->nt.len > POLICY_HEADING_MAX_CHARS)
        return 0;
    buf_clear(&j->heading);
    for (size_t i = 0; i < j->nt.len; i++)
        if (buf_put_utf8(&j->heading, j->nt.cp[i]) != 0)
            return ps_err_nomem(&j->err), -1;
    return policy_is_heading(j->heading.data, j->heading.len);
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
        xs_doc_add_terms(j->doc, j->bag.bytes.data, termbag_terms(&j->bag), termbag_count(&j->bag), &j->err) != PS_OK ||
        policy_index_terms(j->opts->lx, &j->nt, j->doc, &j->err) != 0)
        return -1;
    if (xs_doc_add_boolean(j->doc, j->cur_file_term, strlen(j->cur_file_term), &j->err) != PS_OK)
        return -1;
    char dv[9];
    size_t dlen = date_value(m->date, dv);
    if (dlen && xs_doc_set_value(j->doc, STORE_SLOT_DATE, dv, dlen, &j->err) != PS_OK)
        return -1;
    const doc_text *d = j->cur_doc;
    unsigned page = reader_page_of(d->page_start, d->npages, byte_off);
    unsigned flags = 0;
    for (unsigned k = page; d->page_ocr && k && k <= d->npages; k++) {
        if (k > page && d->page_start[k - 1] >= byte_off + len)
            break;                   /* past the paragraph's last page */
        if (d->page_ocr[k - 1])
            flags |= PARA_F_OCR;     /* some of its text came from OCR */
    }
    if (m->title[0] && len == strlen(m->title) && memcmp(text, m->title, len) == 0)
        flags |= PARA_F_TITLE;
    int heading = nt_is_heading(j);
    if (heading < 0)
        return -1;
    if (heading)
        flags |= PARA_F_HEADING;
    /* The boost follows the normalised text alone (not the title or OCR
     * flags), so that copies weigh the same (cmd_search finds a result's
     * copies right after it in the ranking). */
    if (heading && xs_doc_add_term(j->doc, POLICY_HEADING, strlen(POLICY_HEADING), 1, &j->err) != PS_OK)
        return -1;
    if (add_para_refs(j, text, len) != 0 || set_copy_key(j) != 0)
        return -1;
    /* Plain text, most paragraphs of most indexes, has no format term:
     * --type text is "none of the others" (plan.h). */
    char fterm[16];
    snprintf(fterm, sizeof fterm, "%s%s", STORE_FORMAT_PREFIX, reader_format_name(d->format));
    if (d->format != FMT_TEXT && xs_doc_add_boolean(j->doc, fterm, strlen(fterm), &j->err) != PS_OK)
        return -1;
    buf_clear(&j->breaks);
    for (unsigned k = page; page && k < d->npages && d->page_start[k] < byte_off + len; k++)
        if (buf_printf(&j->breaks, "%s%zu", j->breaks.len ? "," : "", d->page_start[k] - byte_off) != 0)
            return ps_err_nomem(&j->err), -1;
    para_rec r = { j->cur_file_term + 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   number, byte_off, flags, page, j->breaks.data, NULL, text, len };
    buf_clear(&j->data);
    if (store_rec_encode(&j->data, &r) != 0)
        return -1;
    if (add_entry(j, j->data.data, j->data.len, j->key + STORE_COPY_KEY_LEN) != 0 ||
        xs_doc_set_value(j->doc, STORE_SLOT_KEY, j->key, STORE_KEY_LEN, &j->err) != PS_OK ||
        xs_wdb_add_doc(j->db, j->doc, NULL, &j->err) != PS_OK)
        return -1;
    j->stats.paragraphs++;
    j->batch_paras++;
    j->batch_bytes += len;
    return 0;
}

/* Start the current file's text chunks: its file record, what all of its
 * paragraphs share, becomes entry 0 of each (store.h). */
static int add_file_info(shard_job *j, const doc_meta *m)
{
    para_rec r = { j->cur_file_term + 2, j->cur_path, j->cur_canon, j->title.data ? j->title.data : "", m->date,
                   m->issuer, m->docno, m->proposal, 0, 0, 0, 0, NULL, reader_format_name(j->cur_doc->format),
                   "", 0 };
    j->chunk_no = 0;
    buf_clear(&j->file_info);
    if (store_fileinfo_encode(&j->file_info, &r) != 0)
        return ps_err_nomem(&j->err), -1;
    /* Where the folder lies on disk must not change how a file is cut into
     * chunks (the chunks count in the statistics that rank results). */
    size_t canon = r.canon && r.canon[0] ? strlen(r.canon) + 1 : 0;
    j->info_uncounted = store_block_entry_size(j->file_info.len) -
                        store_block_entry_size(j->file_info.len - canon);
    /* A file without paragraphs still has its record, for its file document. */
    if (store_block_add(&j->chunk, j->file_info.data, j->file_info.len) != 0)
        return ps_err_nomem(&j->err), -1;
    return 0;
}

/* Add the file document (its terms: the version, its lookup key, its
 * identity; its place: the file record) and write the file's last text
 * chunk. */
static int add_file_doc(shard_job *j, const doc_meta *m)
{
    char dterm[19], key[STORE_KEY_LEN] = { 0 };   /* no copy key: a file has no copies */
    store_filedoc_term(j->cur_file_term + 2, dterm);
    store_loc_make(j->cur_file_term + 2, 0, 0, key + STORE_COPY_KEY_LEN);
    xs_doc_clear(j->doc);
    if (add_identity(j, m) != 0 ||
        xs_doc_set_value(j->doc, STORE_SLOT_KEY, key, sizeof key, &j->err) != PS_OK)
        return -1;
    if (xs_doc_add_boolean(j->doc, j->cur_file_term, strlen(j->cur_file_term), &j->err) != PS_OK ||
        xs_doc_add_boolean(j->doc, dterm, strlen(dterm), &j->err) != PS_OK ||
        xs_doc_add_boolean(j->doc, STORE_FILE_DOC, strlen(STORE_FILE_DOC), &j->err) != PS_OK ||
        xs_wdb_add_doc(j->db, j->doc, NULL, &j->err) != PS_OK)
        return -1;
    return write_chunk(j);
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
        return -1;
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
        xs_doc_clear(j->doc);
        if (xs_doc_add_boolean(j->doc, STORE_DEAD_TERM, strlen(STORE_DEAD_TERM), &j->err) != PS_OK ||
            xs_doc_add_boolean(j->doc, tterm, strlen(tterm), &j->err) != PS_OK ||
            xs_wdb_add_doc(j->db, j->doc, NULL, &j->err) != PS_OK)
            return -1;
    }
    char count[32];
    int clen = snprintf(count, sizeof count, "%" PRIu64, j->dead_paras);
    if (xs_wdb_set_metadata(j->db, "polsearch.dead", count, (size_t)clen, &j->err) != PS_OK)
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
    size_t n = strlen(old->encoding);
    return o->load.ocr && n > 5 && strcmp(old->encoding + n - 5, "+scan") == 0;
}

/* 1 when old's text came from OCR (a PDF with OCR'd pages, an image). */
static int was_ocred(const file_rec *old)
{
    size_t n = strlen(old->encoding);
    return (n > 4 && strcmp(old->encoding + n - 4, "+ocr") == 0) || strcmp(old->format, "image") == 0;
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
    file_rec rec = { old ? old->path : f->path, f->canon, "", (uint64_t)f->st.st_size, mtime_ns(&f->st),
                     d.crc, 0, "", "", "" };
    snprintf(rec.format, sizeof rec.format, "%s", reader_format_name(d.format));
    snprintf(rec.encoding, sizeof rec.encoding, "%s", d.encoding);
    if (old && !redo && old->crc == d.crc) {
        rec.paragraphs = old->paragraphs;  /* touched, not changed */
        memcpy(rec.vid, old->vid, sizeof rec.vid);
        memcpy(rec.encoding, old->encoding, sizeof rec.encoding);  /* as its text was read */
        doc_text_free(&d);
        j->stats.unchanged++;
        return put_filerec(j, &rec, old);
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
    j->cur_path = rec.path;
    j->cur_canon = rec.canon;
    j->cur_meta = &meta;
    j->cur_doc = &d;
    j->cur_file_term = term;
    if (refs_doc_title(d.text, d.len, &meta, &j->title, NULL, &j->err) != 0) {
        doc_meta_free(&meta);
        doc_text_free(&d);
        return -1;
    }
    uint64_t before = j->stats.paragraphs;
    int rc = add_file_info(j, &meta) == 0 ? 0 : -1;
    if (rc == 0)
        rc = para_split_min(d.text, d.len, PARA_MIN_CHARS, PARA_MAX_CHARS, add_paragraph, j);
    rec.paragraphs = (unsigned)(j->stats.paragraphs - before);
    if (rc == 0)
        rc = add_file_doc(j, &meta);
    if (rc == 0)
        rc = put_filerec(j, &rec, old);
    if (rc == 0) {
        if (old)
            j->stats.changed++;
        else
            j->stats.added++;
        j->stats.bytes += d.len;
        if (o->verbose)
            o->listed(o->ctx, f->path, rec.paragraphs, rec.encoding);
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
    if (xs_wdb_get_metadata(j->db, "polsearch.format", &fmt, &flen, &j->err) != PS_OK ||
        xs_wdb_get_metadata(j->db, "polsearch.tokenizer", &tok, &tlen, &j->err) != PS_OK) {
        free(fmt);
        return -1;
    }
    int rc = 0;
    if (flen == 0) {
        if (xs_wdb_set_metadata(j->db, "polsearch.format", STORE_FORMAT, strlen(STORE_FORMAT), &j->err) != PS_OK ||
            xs_wdb_set_metadata(j->db, "polsearch.tokenizer", STORE_TOKENIZER, strlen(STORE_TOKENIZER), &j->err) != PS_OK)
            rc = -1;
    } else if (strcmp(fmt, STORE_FORMAT) != 0 || strcmp(tok, STORE_TOKENIZER) != 0) {
        note(j->opts, "%s: built by an incompatible polsearch (format %s, tokenizer '%s'); "
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
    if (xs_wdb_get_metadata(j->db, "polsearch.lexicon", &have, &hlen, &j->err) != PS_OK)
        return -1;
    if (strcmp(have, want) != 0) {
        j->force = 1;
        buf forms = BUF_INIT;
        if (policy_write_synonyms(j->opts->lx, j->db, &j->err) != 0 ||
            policy_forms_encode(j->opts->lx, &forms) != 0 ||
            xs_wdb_set_metadata(j->db, POLICY_FORMS_KEY, forms.data ? forms.data : "", forms.len,
                                &j->err) != PS_OK ||
            xs_wdb_set_metadata(j->db, "polsearch.lexicon", want, (size_t)wlen, &j->err) != PS_OK)
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

/* End a new shard (at path, its text chunks at tpath) of one that was
 * written without fsync: merge it (writer_merge_shards on one shard:
 * Xapian's compaction packs the B-trees, about halving a shard and taking
 * 7 % off its text chunks, and syncs its output; the swap is crash-safe)
 * unless --no-compact, else sync it as it is.  Returns 0, or -1 after a
 * note (writer_opts.note). */
static int finish_fresh(const writer_opts *o, const char *path, const char *tpath, const index_stats *st)
{
    if (st->interrupted || stop_signal || o->no_compact || st->paragraphs == 0) {
        const char *bad = sync_tree(path) != 0 ? path : sync_tree(tpath) != 0 ? tpath : NULL;
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
    if (!(j->doc = xs_doc_new(&j->err)) || !(j->tdoc = xs_doc_new(&j->err)) ||
        xs_wdb_lastdocid(j->tdb, &tlast, &j->err) != PS_OK ||
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

/* Compact srcs[0..n) into dest in a child process.  Returns its pid, or
 * -1 when it cannot be started. */
static pid_t compact_in_child(const char *const *srcs, size_t n, const char *dest)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        ps_err err = PS_ERR_INIT;
        _exit(xs_compact(srcs, n, dest, &err) == PS_OK ? 0 : 1);
    }
    return pid;
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
    pid_t child = compact_in_child(tsrcs, (size_t)n, ttmp);
    ps_err xerr = PS_ERR_INIT;
    int rc = xs_compact(srcs, (size_t)n, tmp, &xerr) == PS_OK ? 0 : -1;
    int status = 1;
    if (child > 0)
        while (waitpid(child, &status, 0) < 0 && errno == EINTR)
            ;
    if (rc != 0)
        ps_err_set(err, xerr.code, "%s: compaction failed: %s", dir, xerr.msg);
    else if (child < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        rc = (ps_err_set(err, PS_XAPIAN, "%s: compaction of the text chunks failed", dir), -1);
    if (rc == 0 && record_textlast(tmp, ttmp, err) == 0) {
        store_kill_point("merge-compacted");
        return store_swap_in(dir, err);
    }
    store_remove_tree(tmp);
    store_remove_tree(ttmp);
    return -1;
}

/* Write one shard: every file of `files` that belongs to it.  Fills
 * *stats; returns 0, or -1 after a note of the error. */
static int run_shard(const writer_opts *o, int shard, int merge_later, const found_list *files,
                     index_stats *stats, progress_slot *progress)
{
    char path[4200], tpath[4200];
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
    j.db = xs_wdb_open(path, XS_WDB_CREATE | (o->fresh ? XS_WDB_NO_SYNC : 0u), &j.err);
    if (!j.db)
        goto fail;
    int prep = prepare_shard(&j, path);
    if (prep > 0) {
        xs_wdb_abandon(j.db);
        *stats = j.stats;
        return -1;
    }
    store_text_path(o->dir, shard, tpath, sizeof tpath);
    j.tdb = xs_wdb_open(tpath, XS_WDB_CREATE | XS_WDB_TERMLIST | (o->fresh ? XS_WDB_NO_SYNC : 0u), &j.err);
    if (!j.tdb || open_chunks(&j) != 0)
        goto fail;
    if (prep < 0 || xs_wdb_metadata_each(j.db, "F", collect_rec, &j, &j.err) != PS_OK)
        goto fail;
    char *dead = NULL;
    size_t dlen = 0;
    if (xs_wdb_get_metadata(j.db, "polsearch.dead", &dead, &dlen, &j.err) != PS_OK)
        goto fail;
    j.dead_paras = dead ? strtoull(dead, NULL, 10) : 0;
    free(dead);
    if (j.nrecs)
        qsort(j.recs, j.nrecs, sizeof *j.recs, cmp_recs);
    j.seen = calloc(j.nrecs + 1, 1);
    if (!j.seen || xs_wdb_begin(j.tdb, &j.err) != PS_OK || xs_wdb_begin(j.db, &j.err) != PS_OK)
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
            if (!j.seen[i] && (o->full || under_roots(o, &j.recs[i]))) {
                if (drop_file(&j, &j.recs[i], 0) != 0)
                    goto fail;
                j.stats.removed++;
            }
        char now[32];
        int nlen = snprintf(now, sizeof now, "%lld", (long long)time(NULL));
        if (xs_wdb_set_metadata(j.db, "polsearch.updated", now, (size_t)nlen, &j.err) != PS_OK)
            goto fail;
    } else {
        j.stats.interrupted = 1;
    }
    if (commit_texts_then_shard(&j) != 0)
        goto fail;
    rc = xs_wdb_close(j.tdb, &j.err) == PS_OK ? 0 : -1;
    j.tdb = NULL;
    if (rc == 0)
        rc = xs_wdb_close(j.db, &j.err) == PS_OK ? 0 : -1;
    j.db = NULL;
    if (rc != 0)
        goto fail;
    /* A shard that the parent merges with the others is compacted then. */
    if (o->fresh && !merge_later && finish_fresh(o, path, tpath, &j.stats) != 0) {
        j.stats.error = 1;
        rc = -1;
    }
    goto done;
fail:
    ps_err e = PS_ERR_INIT;
    if (j.err.code == PS_INDEX || j.err.code == PS_VERSION || j.err.code == PS_XAPIAN ||
        j.err.code == PS_OPENING)
        ps_err_damaged(&e, PS_DAMAGED, path, o->dir, j.err.msg);
    else if (j.err.code != PS_OK)
        ps_err_set(&e, j.err.code, "%s: %s", path, j.err.msg);
    else
        ps_err_set(&e, PS_IO, "%s: %s", path, strerror(errno ? errno : ENOMEM));
    note(o, "%s", e.msg);
    j.stats.error = 1;
    if (j.tdb)
        xs_wdb_abandon(j.tdb);
    if (j.db)
        xs_wdb_abandon(j.db);
done:
    for (size_t i = 0; i < j.nrecs; i++)
        file_rec_free(&j.recs[i]);
    free(j.recs);
    free(j.seen);
    free(j.dead);
    xs_doc_free(j.doc);
    xs_doc_free(j.tdoc);
    buf_free(&j.chunk.bytes);
    buf_free(&j.file_info);
    norm_text_free(&j.nt);
    termbag_free(&j.bag);
    buf_free(&j.data);
    refs_list_free(&j.refs);
    buf_free(&j.rterm);
    buf_free(&j.title);
    buf_free(&j.breaks);
    buf_free(&j.heading);
    if (j.engine)                   /* opened by a reader: the table is loaded */
        reader_table_get(NULL)->ocr_close(j.engine);
    *stats = j.stats;
    return rc;
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
            if (access(path, F_OK) == 0 && sync_tree(path) != 0) {
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
