/* stats.h — what an index holds (`polsearch stats` and the web's
 * /api/stats): files, paragraphs, terms, size, last update, formats,
 * encodings and the largest files, read through store.h and written as
 * the command prints them (into a buf).  Nothing here prints. */
#ifndef POLSEARCH_STATS_H
#define POLSEARCH_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "store.h"

#define STATS_BIGGEST 5              /* largest files kept */
#define STATS_NAMES   16             /* encodings or formats kept */

/* A name (an encoding, a format) and how many files had it. */
typedef struct stats_count {
    char     name[24];               /* encoding or format name */
    uint64_t files;                  /* files with it */
} stats_count;

/* What one index holds. */
typedef struct index_stats {
    uint64_t    files;               /* file records */
    uint64_t    paragraphs;          /* paragraphs of the indexed files (live ones) */
    uint64_t    superseded;          /* paragraphs of dead file versions, still on disk */
    uint64_t    terms;               /* distinct index terms (content terms only) */
    uint64_t    bytes;               /* bytes on disk */
    uint64_t    source_bytes;        /* bytes of the indexed files */
    long long   updated;             /* last completed run, seconds since the epoch */
    int         shards;              /* number of shards */
    stats_count encs[STATS_NAMES];   /* encodings seen (text and HTML files) */
    size_t      nencs;               /* entries in encs */
    stats_count fmts[STATS_NAMES];   /* source formats seen (reader_format_name) */
    size_t      nfmts;               /* entries in fmts */
    file_rec    biggest[STATS_BIGGEST]; /* largest files, largest first */
    size_t      nbiggest;            /* entries in biggest */
} index_stats;

/* Fill *s (zeroed first) from the index in dir.  Returns 0, or -1 with
 * *err set (store_summarise's message); free *s with stats_free either way. */
int  stats_read(const char *dir, index_stats *s, ps_err *err);
/* Free what s holds. */
void stats_free(index_stats *s);
/* Append s of the index dir to b as `stats --json` writes it (one JSON
 * object and a newline) when json is set, else as the report for people.
 * Returns 0, or -1 when out of memory. */
int  stats_write(buf *b, const char *dir, const index_stats *s, int json);

#endif
