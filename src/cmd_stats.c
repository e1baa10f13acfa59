/* cmd_stats.c — `polsearch stats`: what an index holds. */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "cli.h"
#include "output.h"
#include "store.h"
#include "xapian-shim.h"

#define STATS_BIGGEST 5

/* A name (an encoding, a format) and how many files had it. */
typedef struct enc_count {
    char     name[24];               /* encoding or format name */
    uint64_t files;                  /* files with it */
} enc_count;

typedef struct index_summary {
    uint64_t  files;                 /* file records */
    uint64_t  paragraphs;            /* paragraphs of the indexed files (live ones) */
    uint64_t  superseded;            /* paragraphs of dead file versions, still on disk */
    uint64_t  terms;                 /* distinct index terms (content terms only) */
    uint64_t  bytes;                 /* bytes on disk */
    uint64_t  source_bytes;          /* bytes of the indexed files */
    long long updated;               /* last completed run, seconds since the epoch */
    int       shards;                /* number of shards */
    enc_count encs[16];              /* encodings seen (text and HTML files) */
    size_t    nencs;                 /* entries in encs */
    enc_count fmts[16];              /* source formats seen (reader_format_name) */
    size_t    nfmts;                 /* entries in fmts */
    file_rec  biggest[STATS_BIGGEST];/* largest files, largest first */
    size_t    nbiggest;              /* entries in biggest */
} index_summary;

/* Bytes used by the files below path. */
static uint64_t du(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return (uint64_t)st.st_size;
    uint64_t total = 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char child[4200];
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        total += du(child);
    }
    closedir(d);
    return total;
}

/* Count one more file under name in counts[0..*n) (at most 16 names). */
static void tally(enc_count *counts, size_t *n, const char *name)
{
    size_t i;
    for (i = 0; i < *n; i++)
        if (!strcmp(counts[i].name, name))
            break;
    if (i == *n && *n < 16)
        snprintf(counts[(*n)++].name, sizeof counts[0].name, "%s", name);
    if (i < *n)
        counts[i].files++;
}

/* Write counts[0..n) as JSON object members "name":files into out. */
static int put_counts_json(buf *out, const enc_count *counts, size_t n)
{
    int ok = 0;
    for (size_t i = 0; i < n; i++)
        ok |= json_uint(out, counts[i].name, counts[i].files);
    return ok;
}

static int count_rec(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    index_summary *s = ctx;
    (void)key; (void)klen;
    file_rec f;
    if (store_filerec_decode(val, vlen, &f) != 0)
        return 0;
    s->files++;
    s->paragraphs += f.paragraphs;
    s->source_bytes += f.size;
    if (!strcmp(f.format, "text") || !strcmp(f.format, "html"))
        tally(s->encs, &s->nencs, f.encoding);
    tally(s->fmts, &s->nfmts, f.format);
    /* Keep the largest few, largest first. */
    size_t pos = s->nbiggest;
    while (pos > 0 && s->biggest[pos - 1].size < f.size)
        pos--;
    if (pos >= STATS_BIGGEST) {
        file_rec_free(&f);
        return 0;
    }
    if (s->nbiggest == STATS_BIGGEST)
        file_rec_free(&s->biggest[--s->nbiggest]);
    memmove(&s->biggest[pos + 1], &s->biggest[pos], (s->nbiggest - pos) * sizeof f);
    s->biggest[pos] = f;
    s->nbiggest++;
    return 0;
}

static int count_term(void *ctx, const char *term, size_t len, uint64_t freq)
{
    index_summary *s = ctx;
    (void)freq;
    /* Prefixed terms (Q.., XF.., K..) start with a capital; content terms never do. */
    if (len && !(term[0] >= 'A' && term[0] <= 'Z'))
        s->terms++;
    return 0;
}

/* Print Xapian's error xerr, met reading name of index dir, with the advice
 * to rebuild if it is damaged. */
static void damaged(const ps_err *xerr, const char *name, const char *dir)
{
    ps_err e = PS_ERR_INIT;
    ps_err_damaged(&e, PS_DAMAGED_IF, name, dir, xerr->msg);
    ps_msg("%s", e.msg);
}

/* Fill *s from the index in dir.  Returns 0, or -1 after a message. */
static int summarise(const char *dir, index_summary *s)
{
    ps_err err = PS_ERR_INIT;
    xs_db *db = store_open_read(&dir, 1, 0, &err);
    if (!db) {
        ps_msg("%s", err.msg);
        return -1;
    }
    int rc = 0;
    char *upd = NULL;
    size_t ulen = 0;
    if (xs_db_allterms(db, NULL, count_term, s, &err) != PS_OK ||
        xs_db_get_metadata(db, "polsearch.updated", &upd, &ulen, &err) != PS_OK) {
        rc = -1;
        damaged(&err, dir, dir);
    }
    s->updated = upd ? atoll(upd) : 0;
    free(upd);
    xs_db_close(db);
    s->shards = store_shard_count(dir);
    for (int i = 0; rc == 0 && i < s->shards; i++) {
        char path[4200];
        store_listed_path(dir, i, 0, path, sizeof path);
        const char *p = path;
        xs_db *shard = xs_db_open(&p, 1, 0, &err);
        if (!shard || xs_db_metadata_each(shard, "F", count_rec, s, &err) != PS_OK) {
            rc = -1;
            damaged(&err, path, dir);
        }
        if (shard) {
            char *u = NULL;
            size_t ul;
            if (xs_db_get_metadata(shard, "polsearch.updated", &u, &ul, NULL) == PS_OK && u &&
                atoll(u) > s->updated)
                s->updated = atoll(u);
            free(u);
            u = NULL;
            if (xs_db_get_metadata(shard, "polsearch.dead", &u, &ul, NULL) == PS_OK && u)
                s->superseded += strtoull(u, NULL, 10);
            free(u);
        }
        xs_db_close(shard);
    }
    s->bytes = du(dir);
    return rc;
}

int cmd_stats(int argc, char **argv)
{
    const char *dir = NULL;
    int json = 0, first;
    const ps_option opts[] = {
        PS_INDEX("index (default: $POLSEARCH_INDEX or ./index)", &dir),
        PS_FLAG(0, "json", "one JSON object", &json),
        PS_END
    };
    const ps_command cmd = {
        .name = "stats", .synopsis = "[-d INDEX] [--json]",
        .about = "What the index holds: files, paragraphs, distinct terms, size on disk,\n"
                 "last update, encodings seen and the largest files.\n",
        .footer = "Example: polsearch stats -d index --json\n",
        .flags = PS_CMD_NO_OPERANDS, .opts = opts
    };
    int status;
    if ((status = ps_options(&cmd, argc, argv, &first)) >= 0)
        return status;
    index_summary s;
    memset(&s, 0, sizeof s);
    int rc = summarise(dir, &s);
    char when[64] = "never";
    if (s.updated) {
        time_t t = (time_t)s.updated;
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    }
    buf out = BUF_INIT;
    int ok = 0;
    if (rc == 0 && json) {
        const char *const key[] = { "files", "paragraphs", "superseded", "terms", "bytes", "source_bytes" };
        const uint64_t val[] = { s.files, s.paragraphs, s.superseded, s.terms, s.bytes, s.source_bytes };
        ok |= json_open(&out, NULL, '{');
        ok |= json_str(&out, "index", dir, strlen(dir));
        ok |= json_uint(&out, "shards", (uint64_t)s.shards);
        for (size_t i = 0; i < sizeof key / sizeof *key; i++)
            ok |= json_uint(&out, key[i], val[i]);
        ok |= json_str(&out, "updated", when, strlen(when));
        ok |= json_open(&out, "formats", '{');
        ok |= put_counts_json(&out, s.fmts, s.nfmts);
        ok |= json_close(&out, '}');
        ok |= json_open(&out, "encodings", '{');
        ok |= put_counts_json(&out, s.encs, s.nencs);
        ok |= json_close(&out, '}');
        ok |= json_open(&out, "largest", '[');
        for (size_t i = 0; i < s.nbiggest; i++) {
            ok |= json_open(&out, NULL, '{');
            ok |= json_str(&out, "file", s.biggest[i].path, strlen(s.biggest[i].path));
            ok |= json_uint(&out, "bytes", s.biggest[i].size);
            ok |= json_uint(&out, "paragraphs", s.biggest[i].paragraphs);
            ok |= json_close(&out, '}');
        }
        ok |= buf_puts(&out, "]}\n");
    } else if (rc == 0) {
        ok |= buf_printf(&out, "index:       %s (%d shard%s)\nfiles:       %" PRIu64
                         " (%.1f MB)\nparagraphs:  %" PRIu64 "\n",
                         dir, s.shards, s.shards == 1 ? "" : "s", s.files,
                         (double)s.source_bytes / 1e6, s.paragraphs);
        if (s.superseded)
            ok |= buf_printf(&out, "superseded:  %" PRIu64 " paragraphs of older file versions "
                             "(reclaim the space with 'polsearch index --full')\n", s.superseded);
        ok |= buf_printf(&out, "terms:       %" PRIu64 "\nsize:        %.1f MB on disk\n"
                         "updated:     %s\nformats:    ", s.terms, (double)s.bytes / 1e6, when);
        for (size_t i = 0; i < s.nfmts; i++)
            ok |= buf_printf(&out, " %s (%" PRIu64 ")", s.fmts[i].name, s.fmts[i].files);
        ok |= buf_puts(&out, s.nfmts ? "\nencodings:  " : " none\nencodings:  ");
        for (size_t i = 0; i < s.nencs; i++)
            ok |= buf_printf(&out, " %s (%" PRIu64 ")", s.encs[i].name, s.encs[i].files);
        ok |= buf_puts(&out, s.nencs ? "\n" : " none\n");
        ok |= buf_puts(&out, s.nbiggest ? "largest:\n" : "");
        for (size_t i = 0; i < s.nbiggest; i++)
            ok |= buf_printf(&out, "  %10" PRIu64 " bytes %6u paragraphs  %s\n",
                             s.biggest[i].size, s.biggest[i].paragraphs, s.biggest[i].path);
    }
    if (ok != 0) {
        ps_msg("out of memory");
        rc = -1;
    } else if (rc == 0 && fwrite(out.data, 1, out.len, stdout) != out.len) {
        rc = -1;
    }
    buf_free(&out);
    for (size_t i = 0; i < s.nbiggest; i++)
        file_rec_free(&s.biggest[i]);
    return rc == 0 ? EXIT_MATCH : EXIT_TROUBLE;
}
