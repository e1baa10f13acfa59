/* store.h — how polsearch keeps its data in Xapian (after fts5_storage.c).
 *
 * An index is a directory:
 *   INDEX/XAPIANDB        a Xapian stub database listing the shards, then
 *                         their text chunks, so that Xapian (and every
 *                         polsearch command) opens the directory as one
 *                         database;
 *   INDEX/shardN/         one glass database per shard (files are assigned
 *                         to shards by a hash of their canonical path);
 *   INDEX/textN/          the records of shard N, in text chunks (below);
 *   INDEX/polsearch.lock  the writers' lock (fcntl), holding the writer's pid;
 *   INDEX/new-shard0/, INDEX/new-text0/  a merged shard and its text
 *                         chunks on their way in (below).
 *   INDEX/polsearch.merge-owed  while a fresh build's shards owe their
 *                         merge (STORE_MERGE_OWED_NAME, below);
 *   INDEX/new-index/      an `index --full` build over an index that is
 *                         there: an index directory of its own, on its way
 *                         in (below).
 * Swaps.  A merge (a new build's end, `polsearch compact`) writes the
 * merged pair to new-shard0 and new-text0, complete and synced, then puts
 * it in with store_swap_in, whose journal is the stub itself, so the stub
 * names complete databases at every moment: (1) the stub, rewritten
 * atomically (a synced temporary file renamed over it, the directory
 * synced), lists the merged pair (STORE_SWAP_STUB): the commit point;
 * (2) the old shards, which nothing lists now, are removed; (3) shard0 and
 * text0 are made hard links of the merged pair's files (the pair keeps its
 * names, which the stub lists, meanwhile); (4) the stub lists shard0 and
 * text0; (5) the pair's names are removed.  The next writer, under the
 * lock, calls store_recover first: a swap stub means a swap past its
 * commit point, which it finishes from step 2 (each step can be done
 * again); any other stub means the pair (if any) is a merge that never
 * got in, or one already in, and it is removed.  A reader needs no
 * recovery: whatever the stub lists is a whole index, the old one before
 * the commit point and the merged one after it.
 * A --full build is the same swap with more parts: the build, complete
 * (merged inside new-index as any new build is, or its shards synced), is
 * committed by a stub listing new-index/shardN and new-index/textN, and
 * store_swap_in_build goes on from step 2 with each of its parts; any
 * other stub means a build that never got in, which store_recover removes.
 * Each shard carries, as Xapian metadata:
 *   polsearch.format      STORE_FORMAT; a different value is refused;
 *   polsearch.tokenizer   STORE_TOKENIZER; likewise;
 *   polsearch.updated     time of the last completed run (seconds, decimal);
 *   F<16 hex>             one file record per indexed file (key: the hash of
 *                         its canonical path, store_filerec_key),
 *                         committed together with the file's paragraphs.
 * Each indexed version of a file has a version id (16 hex digits, unique:
 * store_version_id).  Each paragraph is one Xapian document with its
 * content terms (tokenize.h), the boolean term XF<version id>, the value
 * STORE_SLOT_DATE (YYYYMMDD) when the document has a date, the value
 * STORE_SLOT_KEY (its copy key: a hash of its normalised text, equal for
 * copies of a paragraph, which collapse into one result; then where its
 * paragraph record, below, lies in the text chunks; then its paragraph
 * number, so that a copy group is assembled from sort keys and file
 * documents, without a record read), the boolean terms
 * XW<term>#<class> of each content term whose wdf reaches a tier
 * (STORE_TIER_MIN_WDF: 3; the class holds its wdf and the paragraph's
 * length class: the high-wdf postings of a frequent term, which rank its
 * top without a pass over all its postings), the boolean terms
 * XC<the copy key's first STORE_COPY_BUCKET_DIGITS hex digits> and XE<the
 * next as many> (its two copy buckets, whose posting lists intersect in
 * the copies of a result and hardly any other paragraph, so that copies
 * are found without a scan of the value slot), and the boolean terms of
 * the references it makes (refs.h: XRT cited title, XRN cited document
 * number).  (docbuild.c builds these documents; docbuild.h lists them.)
 * What is the same for all paragraphs of a file (path, title,
 * date, issuer, ...) is stored once, as its file record, the first entry
 * of each of its text chunks; its file document has the boolean terms
 * XF<version id>, XD<version id> (its lookup key) and XFILE, as
 * STORE_SLOT_KEY no copy key (zeros) and the file record's place, and as
 * its data the file record (the bytes that open each text chunk, so that a
 * copy's file is known without reading its chunk: store_file_info); it has
 * no content terms, so no query matches it.
 *
 * Shards have no termlist table (a third of the index and of the indexing
 * time), so documents are never deleted: Xapian cannot delete without it.
 * A file that changed gets a new version id and its new paragraphs are
 * added; the old version becomes dead by a tombstone document (one per
 * dead version, so the document count does not depend on the shard layout;
 * boolean terms XDEAD and XT<version id>, no data) committed in the same
 * transaction.  Every query runs through store_query (below), which
 * removes the dead versions.  Dead documents still count in Xapian's
 * statistics (like Lucene's deleted documents) and take space until
 * `polsearch index --full` rebuilds.
 *
 * Text chunks.  Shard documents have no data: the records live in a
 * companion database per shard, INDEX/textN, in chunks.  A file version's
 * chunks hold its paragraph records in order, at most STORE_CHUNK_ENTRIES
 * or about STORE_CHUNK_BYTES bytes each, and each begins with the file
 * record (entry 0: a result's file fields come with its chunk).  A chunk
 * is one document whose data is its entries (each a varint length and its
 * bytes) and whose one term is XB<version id><chunk number, 4 hex digits>.
 * A paragraph document's value STORE_SLOT_KEY is its copy key, then its
 * place (store_loc_make: chunk and entry), and every search sorts by
 * relevance, then by that value, so Xapian hands back each result's value
 * with the result: no read of the paragraph document, which needs the
 * termlist table that the shards lack.  So:
 *   - Xapian deflates a chunk once instead of every record apart (about
 *     half the size, a fraction of the time);
 *   - the companion keeps its termlist table (it is small), so Xapian's
 *     remote protocol, which needs that table to return a document,
 *     serves every index as built;
 *   - a chunk is found by its term wherever it lies, so compaction and
 *     several indexes searched together need no bookkeeping, and the
 *     number of chunks depends on the files alone, so statistics (the
 *     chunks count as documents without terms) do not depend on the shard
 *     layout.
 * A commit first commits the companion, then the shard with the
 * companion's last document id as polsearch.textlast; a run cut off
 * between the two leaves chunks past it, which the next run deletes.  The
 * stub lists the shards, then the companions.
 *
 * Nothing here prints: a failure comes back as a ps_err (err.h) whose
 * message the command prints. */
#ifndef POLSEARCH_STORE_H
#define POLSEARCH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "reader.h"
#include "err.h"
#include "xapian-shim.h"

#define STORE_FORMAT      "10"
#define STORE_TOKENIZER   "norm1 t2s1 cjk-bi-runend-uni common512 words<=200 verify refs1"
#define STORE_SLOT_DATE   0
#define STORE_SLOT_KEY    1          /* STORE_KEY_LEN bytes: a paragraph's copy key, then its place */
#define STORE_COPY_KEY_LEN 8         /* copy key: hash of the normalised text, 64 bits big-endian */
#define STORE_MAX_SHARDS  64
#define STORE_LOC_LEN     11         /* place: version id (8 bytes), chunk (2), entry (1), big-endian */
#define STORE_PARA_LEN    4          /* then the paragraph number, 32 bits big-endian (0: a file document) */
#define STORE_KEY_LEN     (STORE_COPY_KEY_LEN + STORE_LOC_LEN + STORE_PARA_LEN)
#define STORE_TIER_PREFIX "XW"       /* + a content term + STORE_TIER_SEP + a class code: a tier term (store_tier_term) */
#define STORE_TIER_SEP    '#'        /* ends the content term in a tier term */
#define STORE_CHUNK_ENTRIES 64       /* records per text chunk at most ... */
#define STORE_CHUNK_BYTES (8u << 10) /* ... and bytes, after which a chunk ends */
#define STORE_CHUNK_PREFIX "XB"      /* + version id + chunk number (hex): a text chunk's term */
#define STORE_CHUNK_TERM_LEN 22      /* length of that term */
#define STORE_TEXTLAST_KEY "polsearch.textlast" /* shard metadata: its text chunks' last document id */
#define STORE_FORMAT_KEY   "polsearch.format"    /* shard metadata: STORE_FORMAT */
#define STORE_TOKENIZER_KEY "polsearch.tokenizer" /* shard metadata: STORE_TOKENIZER */
#define STORE_UPDATED_KEY  "polsearch.updated"   /* shard metadata: time of the last completed run */
#define STORE_DEAD_KEY     "polsearch.dead"      /* shard metadata: paragraphs of its dead versions */
#define STORE_LEXICON_KEY  "polsearch.lexicon"   /* shard metadata: fingerprint of the lexicon used */
#define STORE_FILEREC_PREFIX "F"                 /* shard metadata: + path hash, a file record */
#define STORE_STUB_NAME    "XAPIANDB"            /* the stub in an index directory */
#define STORE_LOCK_NAME    "polsearch.lock"      /* the writers' lock in an index directory */

/* A paragraph record: what a search shows without reading the source file.
 * Decoded records point into the data buffer they were decoded from. */
typedef struct para_rec {
    const char *file_key;            /* 16 hex digits: the file version id */
    const char *file;                /* path as indexed (from the file document) */
    const char *canon;               /* the file's canonical path, its identity (walk_canonical_path); "" in a record of before it was kept */
    const char *title;               /* document title, "" if none */
    const char *date;                /* YYYY-MM-DD or "" */
    const char *issuer;              /* issuing body or "" */
    const char *docno;               /* document number or "" */
    const char *proposal;            /* proposal reference or "" */
    unsigned    paragraph;           /* 1-based paragraph number in the file */
    uint64_t    byte_off;            /* offset of the paragraph in the decoded text */
    unsigned    flags;               /* PARA_F_* */
    unsigned    page;                /* 1-based page it starts on (PDF, OFD), 0 for formats without pages */
    const char *page_breaks;         /* "OFF,OFF": byte offsets in text where each next page begins, or ""/NULL */
    const char *format;              /* source format name (reader_format_name: "pdf", "text", ...) or "" */
    const char *text;                /* the paragraph, UTF-8 */
    size_t      text_len;            /* bytes in text */
} para_rec;

enum {
    PARA_F_TITLE   = 1u << 0,        /* the paragraph is the document's title */
    PARA_F_HEADING = 1u << 1,        /* the paragraph is a heading */
    PARA_F_OCR     = 1u << 2         /* the paragraph's text came from OCR */
};

#define STORE_FILE_DOC   "XFILE"     /* the term every file document has */
#define STORE_DEAD_TERM  "XDEAD"     /* the term every tombstone document has */
#define STORE_FORMAT_PREFIX READER_FORMAT_TERM /* + format name ("XKpdf"): every paragraph's source format */
#define STORE_COPY_PREFIX  "XC"      /* + the first STORE_COPY_BUCKET_DIGITS hex digits of the copy key (boolean) */
#define STORE_COPY_PREFIX2 "XE"      /* + its next STORE_COPY_BUCKET_DIGITS (boolean; both prefixes 2 bytes) */
/* Hex digits of the copy key in each copy bucket term: 4096 buckets
 * of each kind.  A term per key cost a posting-list entry and a dictionary
 * term per paragraph (5 % of the index, 84,000 terms on the 10 MB
 * corpus); the buckets add at most 8192 terms a shard.  A group's lookup
 * stays driven by posting lists: about 250 paragraphs a bucket at a
 * million paragraphs, and in the intersection of a paragraph's two
 * buckets (24 bits of its key) hardly any but its copies, so "has it any
 * copy?" reads two short posting lists (store_has_copies). */
#define STORE_COPY_BUCKET_DIGITS 3
/* Bytes of a copy bucket term with its NUL. */
#define STORE_COPY_TERM_SIZE (sizeof STORE_COPY_PREFIX + STORE_COPY_BUCKET_DIGITS)

/* The wdf tiers: a paragraph has, for each content term whose wdf is at
 * least STORE_TIER_MIN_WDF, one tier term: STORE_TIER_PREFIX, the term,
 * STORE_TIER_SEP and a class code of STORE_TIER_CODE_LEN bytes, its wdf
 * (capped at STORE_TIER_WDF_CAP) and the class of its content length (the
 * sum of its content terms' wdf, which its document length is at least).
 * Few postings reach the tiers (318,000 of 39 million on the 105 MB
 * corpus), and they hold the top of every frequent term's ranking; a
 * class's wdf and least length bound what its documents weigh, so the top
 * of a frequent term is found from its tier lists alone, most of them
 * never read (xs_enquire_term_top).  Lengths are classed in steps of
 * about 1.25x: on 的 coarser steps (2x) bound too loosely (201 candidates
 * for the top 20 against 39), finer ones (1.1x) save a few (30) for a
 * third more class terms (bench/tier-sim.cc). */
#define STORE_TIER_MIN_WDF 3
#define STORE_TIER_WDF_CAP 64        /* a wdf of this or more is one class */
#define STORE_TIER_CODE_LEN 2
/* Append the tier term of content term term[0..len), of wdf wdf (at least
 * STORE_TIER_MIN_WDF) in a paragraph whose content terms' wdf sum to
 * content_len, to out.  Returns 0, or -1 when out of memory. */
int  store_tier_term(buf *out, const char *term, size_t len, unsigned wdf, unsigned content_len);
/* The tier scheme of content term term[0..len) for xs_enquire_term_top,
 * its prefix kept in *prefix (the caller frees it; the scheme borrows
 * it).  Returns 0, or -1 when out of memory. */
int  store_tier_scheme(buf *prefix, const char *term, size_t len, xs_tier_scheme *out);
/* Put paragraph number n into the paragraph part of the sort key key
 * (STORE_KEY_LEN bytes), and read it back. */
void store_key_set_paragraph(char *key, unsigned n);
unsigned store_key_paragraph(const char *key);
/* The file version id in the place of sort key key, as 16 hex digits. */
void store_key_vid(const char *key, char vid[17]);

/* Append the paragraph part of r (file_key, paragraph, byte_off, flags,
 * page, text) to out.  Returns 0, or -1 when out of memory. */
int  store_rec_encode(buf *out, const para_rec *r);
/* The 1-based page on which byte off of r's text lies (r->page plus the
 * page breaks before off); 0 for formats without pages. */
unsigned store_page_at(const para_rec *r, size_t off);
/* Decode a paragraph record data[0..len) (NUL-terminated, as the shim
 * returns it) into *r, pointing into data; the file fields are left alone.
 * Returns 0, or -1 for data that is not a paragraph record. */
int  store_rec_decode(char *data, size_t len, para_rec *r);
/* Bytes at most of each field of a file part but the path: it opens every
 * text chunk of its file, so its size must not grow with the file (meta.h
 * bounds the fields; this bound holds whatever a caller passes). */
#define STORE_FIELD_MAX 512
/* Append the file part of r (file, title, date, issuer, docno, proposal,
 * format, canon), each field but the paths cut to STORE_FIELD_MAX bytes on
 * a code point boundary. */
int  store_fileinfo_encode(buf *out, const para_rec *r);
/* Decode a file document's data into the file fields of *r, pointing into
 * data (canon "" for a record written before it was kept).  Returns 0, or
 * -1 for data that is not a file record. */
int  store_fileinfo_decode(char *data, size_t len, para_rec *r);
/* The file document's lookup term: "XD" + 16 hex digits (term >= 19 bytes). */
void store_filedoc_term(const char *file_key, char term[19]);
/* The boolean term of a file version's documents: "XF" + its 16 hex digits. */
void store_version_term(const char *file_key, char term[19]);

/* The term of the tombstone of a file version: "XT" + its 16 hex digits. */
void store_tombstone_term(const char *file_key, char term[19]);

/* --- the query entry: live documents only ------------------------------------ */

/* A query over the live documents of an index: what a search, a count or
 * a walk over matches runs.  The only way to make one is store_query_live,
 * which leaves out the dead file versions (the documents of the versions
 * the tombstones in the index name), and the only ways to run one are
 * store_enquire and store_each_live: no caller can forget the tombstones
 * and get deleted paragraphs back (tools/check-house.py reports an
 * xs_enquire outside store.c). */
typedef struct store_query store_query;

/* q (taken over) over the live documents of db only.  Returns the query,
 * or NULL with err set (q freed either way; a NULL q gives NULL). */
store_query *store_query_live(xs_db *db, xs_query *q, ps_err *err);
/* The documents of q that filter (taken over; no weight) lets through:
 * still live only.  NULL with err set on failure (filter freed). */
store_query *store_query_filter(const store_query *q, xs_query *filter, ps_err *err);
/* Run q on db: matches first..first+max-1 in rank order (bm25 NULL:
 * Xapian's default weights), counting at least check_atleast (xs_enquire).
 * NULL with err set on failure. */
xs_mset *store_enquire(xs_db *db, const store_query *q, unsigned first, unsigned max,
                       unsigned check_atleast, const xs_bm25 *bm25, ps_err *err);
/* 1 when dead versions were left out of q (the index holds tombstones),
 * 0 when q is the query it was given: then a one-term q matches exactly
 * the documents of its term (plan.c's frequent-term path). */
int store_query_trimmed(const store_query *q);
/* store_enquire for a q of one term plus weight-only extra parts, without
 * weighing every match (xs_enquire_term_top; only when q is not trimmed).
 * NULL with err set on failure. */
xs_mset *store_enquire_top(xs_db *db, const store_query *q, const char *term, size_t len, unsigned wqf,
                           const xs_query *extra, unsigned first, unsigned max, const xs_bm25 *bm25,
                           ps_err *err);
/* The matches of q counted per file version (the 8-byte version id that
 * STORE_SLOT_KEY's place begins with), no document read: fn(ctx, vid, 8,
 * n) once per version, in no set order (xs_tally_value_bytes; local
 * indexes only).  fn returns 0, or non-zero to stop.  Returns 0, or -1
 * with the error in *err. */
int store_tally_versions(xs_db *db, const store_query *q, unsigned check_atleast,
                         int (*fn)(void *ctx, const char *vid, size_t len, uint64_t n), void *ctx, ps_err *err);
/* Xapian's description of q (malloc'd), NULL when out of memory. */
char *store_query_describe(const store_query *q);
/* Free q (NULL is fine). */
void store_query_free(store_query *q);

/* A file record: what the indexer knows of a file it indexed. */
typedef struct file_rec {
    char     *path;                  /* path as first indexed, what results show (malloc'd) */
    char     *canon;                 /* canonical path, its identity (malloc'd); NULL when not kept (older records) */
    char      key[18];               /* its metadata key (store_filerec_key), set by store_filerec_decode */
    uint64_t  size;                  /* size in bytes at indexing time */
    int64_t   mtime_ns;              /* modification time, nanoseconds */
    uint32_t  crc;                   /* crc32 of the raw bytes */
    unsigned  paragraphs;            /* paragraphs indexed from it */
    char      encoding[24];          /* encoding it was decoded from, or its format's name */
    char      vid[17];               /* version id of the indexed version (hex) */
    char      format[8];             /* source format name (reader_format_name) */
    char      sha256[65];            /* SHA-256 of the raw bytes indexed (hex), "" when not recorded (older records) */
    unsigned  reading;               /* how its text was read: STORE_READ_OCR or STORE_READ_SCAN, or 0 */
} file_rec;

/* file_rec.reading: the two ways a document's reading is incomplete or
 * indirect (at most one is set, as decode.c reports them). */
#define STORE_READ_OCR   1u          /* OCR read some of its pages (not an image: that is all OCR) */
#define STORE_READ_SCAN  2u          /* pages without text were left unread: `index --ocr` reads it again */
/* Room for store_filerec_encoding's answer. */
#define STORE_ENCODING_SHOWN 32

/* The 64-bit FNV-1a hash of a path, used for its keys and its shard. */
uint64_t store_path_hash(const char *path);
/* "F" + 16 hex digits: the metadata key of path's file record (key >= 18 bytes). */
void store_file_key(const char *path, char key[18]);
/* The metadata key of f: that of its canonical path, or for a record
 * written before the canonical path was kept, that of its path. */
void store_filerec_key(const file_rec *f, char key[18]);
/* The version id of f salted with salt into vid: a hash of its canonical
 * path (its path when it has none), size, mtime, crc and salt, so the same
 * file read from the same bytes gets the same id in every build (the
 * writer raises salt past the ids its shard holds already, so two versions
 * of a path never share one). */
void store_version_id(const file_rec *f, unsigned salt, char vid[17]);
/* Encode / decode a file record as a metadata value (path, size, mtime,
 * crc, paragraphs, encoding, version id, format, then canon when set, then
 * sha256 when set and canon is, then reading in decimal when it is not 0
 * and canon is set (sha256 then written even when "")): a record of eight
 * fields, written before canon was kept, decodes with canon NULL; one of
 * nine, written before the checksum was, with sha256 ""; one of ten or
 * nine with reading 0.  A binary that knows nine fields reads a record of
 * ten as one of nine (it stops after canon's NUL).  Decoding sets f->key. */
int  store_filerec_encode(buf *out, const file_rec *f);
/* store_filerec_decode returns 0, or -1 with err PS_INPUT (a damaged
 * record: a caller may skip it) or PS_NOMEM (not the record's fault: a
 * caller that skipped it would take a file for a new one). */
int  store_filerec_decode(const char *val, size_t len, file_rec *f, ps_err *err);
void file_rec_free(file_rec *f);
/* The encoding of f as shown (stats, `index -v`): its encoding field, with
 * "+ocr" or "+scan" after a document's format name for its reading.
 * Writes at most STORE_ENCODING_SHOWN bytes to out and returns out. */
const char *store_filerec_encoding(const file_rec *f, char out[STORE_ENCODING_SHOWN]);

/* One file document, decoded (its fields point into data). */
typedef struct file_entry {
    uint64_t  key;                   /* path hash; 0 marks a free slot */
    char     *data;                  /* the file document's data (malloc'd) */
    para_rec  info;                  /* file, title, date, issuer, docno, proposal */
} file_entry;

/* File documents by path hash (open addressing), so each is read once. */
typedef struct file_cache {
    file_entry *slots;               /* the table; its size is a power of two */
    size_t      cap;                 /* slots allocated */
    size_t      n;                   /* slots in use */
} file_cache;

/* Fill rec's file fields (file, title, date, ..., format) from the file record of
 * rec->file_key, reading each file's record once: from the chunk of the
 * place loc[0..loclen) (rec's own, already read) when loc is not NULL,
 * else from the file's first chunk.  Returns 0, or -1 with the error in
 * *err. */
int  store_file_lookup(file_cache *fc, xs_db *db, para_rec *rec, const char *loc, size_t loclen,
                       ps_err *err);
/* Free the cache and reset it to all zeros. */
void file_cache_free(file_cache *fc);
/* Fill rec's file fields, as store_file_lookup does, for the file version
 * vid (16 hex digits) from its file document's data (no text chunk read),
 * or, for a file document without it (a remote index), from the file's
 * first chunk.  Returns 0, or -1 with the error in *err. */
int  store_file_info(file_cache *fc, xs_db *db, const char *vid, para_rec *rec, ps_err *err);


/* The merged pair's names while it is swapped in, and the stub that lists
 * it then (store.h's top comment: Swaps). */
#define STORE_SWAP_SHARD "new-shard0"
#define STORE_SWAP_TEXT  "new-text0"
#define STORE_SWAP_STUB  "auto " STORE_SWAP_SHARD "\nauto " STORE_SWAP_TEXT "\n"
/* Where `index --full` builds the new index (an index directory of its
 * own) while the old one stays listed, until store_swap_in_build. */
#define STORE_BUILD_DIR  "new-index"
/* A fresh build of several shards owes their merge from its start until
 * the merged shard is in: this empty file says so.  A fresh build cut off
 * (out of memory, a signal, a kill) leaves it, and the next writer, after
 * its own run, merges the shards it finds (store_merge_owed), so that the
 * index ends laid out as a clean build: one compacted shard, not the
 * several a fresh build meant to merge (searches answer the same either
 * way).  A deliberate --no-compact build never has it. */
#define STORE_MERGE_OWED_NAME "polsearch.merge-owed"

/* Number of shards listed in INDEX/XAPIANDB (1 for the swap stub), 0 if
 * there is none, -1 if it cannot be read or is malformed (store_stub_shards
 * says why). */
int  store_shard_count(const char *dir);
/* store_shard_count, with the reason of a -1 in *err (PS_IO: it cannot be
 * read; PS_INDEX: not a polsearch shard list, with the advice to rebuild). */
int  store_stub_shards(const char *dir, ps_err *err);
/* Write INDEX/XAPIANDB listing shard0..shard(n-1), atomically (a synced
 * temporary file renamed over it, the directory synced).  Returns 0, or
 * -1 with err set (PS_USAGE for a count out of 1..STORE_MAX_SHARDS, PS_IO
 * naming the file and why). */
int  store_write_stub(const char *dir, int nshards, ps_err *err);
/* Put the merged pair dir/new-shard0, dir/new-text0 (complete and synced)
 * in place of the shards the stub lists, as shard0 and text0 (store.h's
 * top comment: Swaps).  The caller holds the writers' lock.  Returns 0,
 * or -1 with err set; a failure after the commit point leaves a swap that
 * the next writer's store_recover finishes. */
int  store_swap_in(const char *dir, ps_err *err);
/* Put the complete, synced index that a --full run built in
 * dir/STORE_BUILD_DIR in place of the shards the stub lists, through the
 * same journal as store_swap_in: the stub, rewritten to list the build's
 * parts, is the commit point; then the old shards go, the build's parts
 * get the names shardI and textI, the stub lists those and the build
 * directory goes.  Until the commit point searches see the old index,
 * after it the new one.  The caller holds the writers' lock.  Returns 0,
 * or -1 with err set. */
int  store_swap_in_build(const char *dir, ps_err *err);
/* Bring index dir back to a plain layout after a writer that was cut off
 * (finish a swap past its commit point, remove a merge that never got in;
 * nothing to do for a clean index).  The swaps of polsearch before the
 * journal moved the old shards aside (old-shardN, old-textN; shardN.old,
 * textN.old for a fresh shard's compaction) and a run cut off there left
 * them: while the parts the stub lists are not all there (the new index
 * never got complete), they are put back, else removed.  Every writer calls it under the
 * writers' lock before it reads the stub.  Returns 0, or -1 with err set. */
int  store_recover(const char *dir, ps_err *err);
/* Test hook: when $POLSEARCH_TEST_KILL_AT is step, raise SIGKILL here
 * (the crash tests stop a swap at a named step: swap-begin, swap-committed,
 * swap-removing, swap-linking, swap-linked, swap-installed, the same
 * steps of a --full build's swap as full-swap-begin and so on, the
 * writer's merge-compacted, a worker's shardN-ending before its last
 * commit, and index --full's full-begin and full-built).  Does nothing otherwise. */
void store_kill_point(const char *step);
/* Record, synced, that the shards of index dir owe their merge
 * (STORE_MERGE_OWED_NAME).  Returns 0, or -1 with the error in *err. */
int  store_owe_merge(const char *dir, ps_err *err);
/* 1 when index dir's shards owe their merge, else 0. */
int  store_merge_owed(const char *dir);
/* Clear that record (none there is no error).  Returns 0, or -1 with the
 * error in *err. */
int  store_merge_paid(const char *dir, ps_err *err);
/* Path of shard i of dir, into out (size outlen). */
void store_shard_path(const char *dir, int i, char *out, size_t outlen);
/* Path of the text chunks of shard i of dir (its companion), into out. */
void store_text_path(const char *dir, int i, char *out, size_t outlen);
/* Path of shard i of dir (text = 0) or of its text chunks (text = 1). */
void store_part_path(const char *dir, int i, int text, char *out, size_t outlen);

/* A text chunk being written. */
typedef struct text_block {
    buf       bytes;                 /* the entries so far: varint length + data each */
    unsigned  n;                     /* entries in bytes */
} text_block;
/* Append data[0..len) to b as its next entry.  Returns 0, or -1 when out
 * of memory. */
int  store_block_add(text_block *b, const char *data, size_t len);
/* Bytes an entry of len bytes takes in a chunk: its varint length, then it. */
size_t store_block_entry_size(size_t len);
/* Entry e of the chunk data[0..len): its bytes in *entry (pointing into
 * data), its length in *elen.  Returns 0, or -1 when the chunk has no
 * such entry. */
int  store_block_entry(const char *data, size_t len, unsigned e, const char **entry, size_t *elen);
/* The place of entry `entry` of chunk `chunk` of the file version vid (16
 * hex digits), as STORE_SLOT_KEY holds it after the copy key. */
void store_loc_make(const char *vid, unsigned chunk, unsigned entry, char loc[STORE_LOC_LEN]);
/* The term of chunk `chunk` of the file version vid (16 hex digits). */
void store_chunk_term(const char *vid, unsigned chunk, char term[STORE_CHUNK_TERM_LEN + 1]);

/* 1 if dir holds entries polsearch did not make (so an index must not be
 * written there), 0 if it is missing, empty or an index, -1 with err set
 * if it cannot be read. */
int  store_foreign_dir(const char *dir, ps_err *err);
/* Remove shards 0..n-1 of dir and their text chunks, those that exist.
 * Returns 0, or -1 with err set (PS_IO, naming the part). */
int  store_remove_shards(const char *dir, int n, ps_err *err);
/* fsync every file of the database directory dir, and dir itself.
 * Returns 0, or -1 with errno set. */
int  store_sync_tree(const char *dir);
/* Remove the directory tree at path (rm -rf; polsearch only removes what
 * it made: shards and compaction leftovers).  Returns 0, or -1. */
int  store_remove_tree(const char *path);


/* Take the writers' lock of index dir (waiting for it if wait is set).
 * Returns the lock's fd (close it to release), or -1 with the error in
 * *err: PS_LOCKED "INDEX is being updated by another process (pid N); ...",
 * or PS_IO. */
int  store_lock(const char *dir, int wait, ps_err *err);

/* How long to wait for a remote index (tcp://) by default, in ms. */
#define STORE_REMOTE_TIMEOUT_MS 10000

/* Open the indexes dirs[0..n) for searching as one database.  Each local
 * one must be a polsearch index of this format; tcp://HOST:PORT names a
 * remote one, waited for at most timeout_ms (0: STORE_REMOTE_TIMEOUT_MS).
 * On failure returns NULL with the error in *err, whose message names the
 * index and what to do. */
xs_db *store_open_read(const char *const *dirs, size_t n, unsigned timeout_ms, ps_err *err);

/* The record at loc[0..loclen) (a place: the end of a result's
 * sort key gives it) in db (opened by store_open_read), malloc'd in *data
 * (length *len, NUL-added).  Recent chunks are kept with db, so
 * neighbours cost no second read.  Returns PS_OK, or an error code with
 * err set (PS_INDEX: no such chunk or entry). */
int  store_loc_data(xs_db *db, const char *loc, size_t loclen, char **data, size_t *len,
                    ps_err *err);
/* The record of paragraph `paragraph` of the file version vid (16 hex
 * digits), as store_loc_data gives it (file fields not set).  Returns 1,
 * 0 when the version has no such paragraph (nothing to free), or -1 with
 * err set. */
int  store_para_data(xs_db *db, const char *vid, unsigned paragraph, char **data, size_t *len, ps_err *err);
/* The file record of the file version vid (16 hex digits), as
 * store_loc_data gives it. */
int  store_file_data(xs_db *db, const char *vid, char **data, size_t *len, ps_err *err);

/* Run q on db and call fn(ctx, data, len) with the document data of every
 * match, in rank order, a page of page matches at a time (fn takes data
 * over: it frees it).  A non-zero return of fn stops the run and is passed
 * back; a Xapian error gives -1 with err set. */
int  store_each_live(xs_db *db, const store_query *q, unsigned page,
                     int (*fn)(void *ctx, char *data, size_t len), void *ctx, ps_err *err);

/* Open dirs[0..*n) as store_open_read does.  With partial (and more than
 * one index), an index that does not open is left out: dirs is compacted,
 * *n reduced, and its message appended to *left_out as a line; NULL with
 * err set ("none of the indexes could be opened") when none opens. */
xs_db *store_open_some(const char **dirs, size_t *n, unsigned timeout_ms, int partial,
                       buf *left_out, ps_err *err);
/* Read match i of m: its paragraph record into *rec, its file fields
 * resolved through fc, pointing into *data (malloc'd: the caller frees it
 * when 1 is returned), its STORE_SLOT_KEY value into key (if not NULL).  Returns 1, 0 for data that is not a paragraph
 * record (nothing to free), or -1 with err set (PS_INDEX when the file
 * document is missing). */
int    store_read_match(xs_mset *m, size_t i, file_cache *fc, xs_db *db, char **data,
                        para_rec *rec, char *key, ps_err *err);

/* The two copy bucket terms of copy key key (STORE_COPY_KEY_LEN bytes) into
 * terms: STORE_COPY_PREFIX and STORE_COPY_PREFIX2, each with its
 * STORE_COPY_BUCKET_DIGITS hex digits of key. */
void   store_copy_terms(const char *key, char terms[2][STORE_COPY_TERM_SIZE]);
/* The documents in both copy buckets of copy key key[0..klen): every
 * paragraph with that key, and the rare other one whose key shares the
 * buckets' digits (store_copy_member tells them apart).  NULL with err set
 * (PS_INDEX for a key too short to be one). */
xs_query *store_copy_query(const char *key, size_t klen, ps_err *err);
/* Item i's STORE_SLOT_KEY value into key (every search of a handle from
 * store_open_read returns it: it sorts on it after relevance).  Returns 0,
 * or -1 with err set (PS_INDEX: the document has none). */
int    store_item_key(xs_mset *m, size_t i, char key[STORE_KEY_LEN], ps_err *err);
/* 1 if item i of m has copy key key[0..klen), 0 if it has another, -1
 * with err set. */
int    store_copy_member(xs_mset *m, size_t i, const char *key, size_t klen, ps_err *err);
/* 1 if item i of m (n items of a page of `page`, run on db from
 * store_open_read), whose key is key, may have copies among the
 * candidates.  Copies weigh the same, up to rounding (their terms and
 * boosts come from the normalised text they share: docbuild.c), and sort on
 * their key after relevance, so they follow it among the items of its
 * weight: only when those run past the end of a full page are the buckets
 * asked (store_has_copies).  *end: the item past those of its weight when
 * they end inside the page (or the page holds every match), so that the
 * copies of item i that are candidates are all among items i..*end-1;
 * 0 when they may go on past the page. */
int    store_copies_next(xs_db *db, xs_mset *m, size_t n, size_t i, size_t page, const char *key,
                         size_t *end);

/* What an index's shards say about it, summed over them. */
typedef struct store_summary {
    int       shards;                /* shards the stub lists */
    uint64_t  terms;                 /* distinct content terms (prefixed terms not counted) */
    uint64_t  dead;                  /* paragraphs of dead file versions, still on disk */
    long long updated;               /* latest completed run (seconds since the epoch), 0 if none */
    char      lexicon[17];           /* the fingerprint of the lexicon it was built with (lex_fingerprint, hex), or "" */
} store_summary;
/* Fill *s from the local index dir, and call fn(ctx, f) with each file
 * record that decodes (fn takes f over: it frees it with file_rec_free;
 * a non-zero return of fn is an error, out of memory).  Returns 0, or -1
 * with err set (what store_open_read says, or Xapian's error with the
 * advice to rebuild if the index is damaged). */
int  store_summarise(const char *dir, store_summary *s, int (*fn)(void *ctx, file_rec *f), void *ctx,
                     ps_err *err);

/* The record of the file that path names in the local index dir: the
 * file indexed as path ("./" in front ignored), or the one with path's
 * canonical path (walk_canonical_path: any spelling of it), into *out
 * (free it with file_rec_free).  Returns 1, 0 when no indexed file is
 * that one, or -1 with err set (the index cannot be read). */
int  store_find_file(const char *dir, const char *path, file_rec *out, ps_err *err);
/* Close db (store_open_read; NULL is fine). */
void store_close(xs_db *db);

/* Call fn(ctx, f) with each file record of the local index dir that
 * decodes, as store_summarise does, without its statistics (no pass over
 * the terms).  dir is not checked: open it first (store_open_read).
 * Returns 0, or -1 with err set. */
int  store_each_filerec(const char *dir, int (*fn)(void *ctx, file_rec *f), void *ctx, ps_err *err);

/* Call fn(ctx, r) with each paragraph of the file version vid (16 hex
 * digits) in db (store_open_read), in paragraph order, its file fields
 * filled from the file record that opens its chunks: the text chunks are
 * read in order, one at a time, so memory stays one chunk's whatever the
 * file's size.  *r is valid during the call only.  A non-zero return of fn
 * stops the walk and is passed back; an index error gives -1 with err set
 * (PS_INDEX when the version has no text chunk). */
int  store_each_para(xs_db *db, const char *vid, int (*fn)(void *ctx, const para_rec *r), void *ctx,
                     ps_err *err);

/* Check that dir is a polsearch index of this format that opens (then
 * close it again): what a command that works on a local index's files asks
 * before it starts.  Returns 0, or -1 with the message in *err. */
int  store_check_index(const char *dir, ps_err *err);


/* Say in *err what xerr (a Xapian error met reading name: an index, or
 * "the indexes") means for a search: a damaged index (PS_INDEX, PS_XAPIAN)
 * or one still modified after a reopen (PS_MODIFIED) gets the advice to
 * rebuild it; other errors are passed on as "NAME: MESSAGE". */
void store_read_error(ps_err *err, const char *name, const ps_err *xerr);

#endif
