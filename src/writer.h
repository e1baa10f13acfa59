/* writer.h — the index writer: files → text → paragraphs → tokens → index.
 *
 * Writes the files a walk found into the shards of an index (store.h):
 *   - one worker per shard (a process each, or inline for one shard without
 *     a progress line), reporting its stats through a pipe and its progress
 *     through shared memory; a worker dies with its parent;
 *   - incremental: a file whose size and mtime match its record is not read
 *     (except a PDF whose pages without text were left unread, its record's
 *     encoding "pdf+scan", when load.ocr is set: OCR reads it now);
 *     one whose bytes did not change (crc32) only has its record refreshed;
 *     one that changed gets a new version whose paragraphs are added while
 *     the old version is made dead by a tombstone; files that are gone from
 *     the walked paths lose their paragraphs;
 *   - a file is known by its canonical path (found_file.canon), however the
 *     walk spelled it, and shown as it was spelled when first indexed;
 *   - in batches, each a Xapian transaction holding whole files and their
 *     records, so a run that dies leaves the index as of its last batch;
 *   - a fresh shard is written without fsync and ends compacted (or synced);
 *     a fresh build, of one shard or several, ends with them merged into
 *     one by writer_merge_shards, which `polsearch compact` uses as well
 *     (cmd_index records the merge as owed until then, so that the next
 *     run merges the shards of a build cut off: store.h,
 *     STORE_MERGE_OWED_NAME).
 * Under load.ocr each worker opens one OCR engine, at its first scan, and
 * closes it at its end.
 * SIGINT and SIGTERM (writer_catch_stop_signals) stop the workers after
 * their current file.  Nothing here prints: messages go to the caller's
 * callbacks, errors come back as a ps_err (err.h). */
#ifndef POLSEARCH_WRITER_H
#define POLSEARCH_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "decode.h"
#include "err.h"
#include "lexicon.h"

/* One file found by the walk. */
typedef struct found_file {
    char       *path;                /* cleaned path */
    char       *canon;               /* canonical path (walk_canonical_path): its identity, its shard */
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

/* What a run did, summed over the shards. */
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

/* How to write, and where the writer's messages go. */
typedef struct writer_opts {
    const char    *dir;              /* the index directory */
    const lexicon *lx;               /* the policy lexicon (shipped + user's) */
    int            full;             /* re-index every file (--full) */
    int            quiet;            /* no per-file notes */
    int            verbose;          /* call listed for each file indexed */
    int            no_compact;       /* leave a fresh build's shards as written */
    int            fresh;            /* the shards are new: written without fsync, then compacted */
    load_opts      load;             /* how to read the files */
    char *const   *paths;            /* the walked roots: records under them whose file is gone go */
    char *const   *roots;            /* the same, canonical (walk_canonical_path) */
    size_t         npaths;           /* number of roots */
    /* A message for the user (a warning, a skipped file, an error), one
     * line without the "polsearch: " prefix. */
    void         (*note)(void *ctx, const char *msg);
    /* -v: path was indexed into paragraphs paragraphs, decoded from encoding. */
    void         (*listed)(void *ctx, const char *path, unsigned paragraphs, const char *encoding);
    /* Progress so far, a few times a second while workers run, or NULL for
     * none: files and bytes done, and, while OCR reads a file, the page it
     * is at and the file's pages (ocr_done of ocr_total, summed over the
     * workers; both 0 when no OCR runs); called last with finished set once
     * every worker ended. */
    void         (*progress)(void *ctx, uint64_t files, uint64_t bytes, unsigned ocr_done,
                             unsigned ocr_total, int finished);
    void          *ctx;              /* passed to the callbacks */
    const char    *index;            /* the index the advice to rebuild names: dir, unless a --full
                                        build is written aside into dir (NULL: dir) */
} writer_opts;

/* Catch SIGINT and SIGTERM: the workers stop after their current file and
 * commit what they did. */
void writer_catch_stop_signals(void);
/* The signal that asked the run to stop, or 0. */
int  writer_stop_signal(void);

/* Write files (each with its shard set, 0 <= shard < nshards) into the
 * nshards shards of o->dir, and sum what happened into *total (errors are
 * noted through o->note and counted in total->error). */
void writer_run(const writer_opts *o, int nshards, const found_list *files, index_stats *total);

/* Merge the n shards of index dir into one with Xapian's compaction, and
 * their text chunks likewise (in a child process, so both run at once),
 * into the merged pair new-shard0, new-text0, then put it in place with
 * store_swap_in (store.h: Swaps), so that a run cut off at any moment
 * leaves an index that opens, the old one or the merged one.  Readers keep
 * reading the old ones until they reopen.  The caller holds the writers'
 * lock.  Returns 0, or -1 with the error in *err (the index is then as it
 * was, or merged with a swap that the next writer's store_recover ends). */
int writer_merge_shards(const char *dir, int n, ps_err *err);


#endif
