/* stats.c — what an index holds (stats.h). */
#include "stats.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "output.h"

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

/* Count one more file under name in counts[0..*n) (at most STATS_NAMES names). */
static void count_name(stats_count *counts, size_t *n, const char *name)
{
    size_t i;
    for (i = 0; i < *n; i++)
        if (!strcmp(counts[i].name, name))
            break;
    if (i == *n && *n < STATS_NAMES)
        snprintf(counts[(*n)++].name, sizeof counts[0].name, "%s", name);
    if (i < *n)
        counts[i].files++;
}

/* Write counts[0..n) as JSON object members "name":files into out. */
static int put_counts_json(buf *out, const stats_count *counts, size_t n)
{
    int ok = 0;
    for (size_t i = 0; i < n; i++)
        ok |= json_uint(out, counts[i].name, counts[i].files);
    return ok;
}

/* store_summarise's callback: count file record f (taken over) into the
 * summary, keeping the largest few, largest first. */
static int count_rec(void *ctx, file_rec *f)
{
    index_stats *s = ctx;
    s->files++;
    s->paragraphs += f->paragraphs;
    s->source_bytes += f->size;
    if (!strcmp(f->format, "text") || !strcmp(f->format, "html"))
        count_name(s->encs, &s->nencs, f->encoding);
    count_name(s->fmts, &s->nfmts, f->format);
    size_t pos = s->nbiggest;
    while (pos > 0 && s->biggest[pos - 1].size < f->size)
        pos--;
    if (pos >= STATS_BIGGEST) {
        file_rec_free(f);
        return 0;
    }
    if (s->nbiggest == STATS_BIGGEST)
        file_rec_free(&s->biggest[--s->nbiggest]);
    memmove(&s->biggest[pos + 1], &s->biggest[pos], (s->nbiggest - pos) * sizeof *f);
    s->biggest[pos] = *f;
    s->nbiggest++;
    return 0;
}

/* See stats.h. */
int stats_read(const char *dir, index_stats *s, ps_err *err)
{
    memset(s, 0, sizeof *s);
    store_summary st;
    memset(&st, 0, sizeof st);
    int rc = store_summarise(dir, &st, count_rec, s, err);
    s->shards = st.shards;
    s->terms = st.terms;
    s->superseded = st.dead;
    s->updated = st.updated;
    s->bytes = du(dir);
    return rc;
}

/* See stats.h. */
void stats_free(index_stats *s)
{
    for (size_t i = 0; i < s->nbiggest; i++)
        file_rec_free(&s->biggest[i]);
    s->nbiggest = 0;
}

/* See stats.h. */
int stats_write(buf *b, const char *dir, const index_stats *s, int json)
{
    char when[64] = "never";
    if (s->updated) {
        time_t t = (time_t)s->updated;
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    }
    int ok = 0;
    if (json) {
        const char *const key[] = { "files", "paragraphs", "superseded", "terms", "bytes", "source_bytes" };
        const uint64_t val[] = { s->files, s->paragraphs, s->superseded, s->terms, s->bytes, s->source_bytes };
        ok |= json_open(b, NULL, '{');
        ok |= json_str(b, "index", dir, strlen(dir));
        ok |= json_uint(b, "shards", (uint64_t)s->shards);
        for (size_t i = 0; i < sizeof key / sizeof *key; i++)
            ok |= json_uint(b, key[i], val[i]);
        ok |= json_str(b, "updated", when, strlen(when));
        ok |= json_open(b, "formats", '{');
        ok |= put_counts_json(b, s->fmts, s->nfmts);
        ok |= json_close(b, '}');
        ok |= json_open(b, "encodings", '{');
        ok |= put_counts_json(b, s->encs, s->nencs);
        ok |= json_close(b, '}');
        ok |= json_open(b, "largest", '[');
        for (size_t i = 0; i < s->nbiggest; i++) {
            ok |= json_open(b, NULL, '{');
            ok |= json_str(b, "file", s->biggest[i].path, strlen(s->biggest[i].path));
            ok |= json_uint(b, "bytes", s->biggest[i].size);
            ok |= json_uint(b, "paragraphs", s->biggest[i].paragraphs);
            ok |= json_close(b, '}');
        }
        ok |= buf_puts(b, "]}\n");
    } else {
        ok |= buf_printf(b, "index:       %s (%d shard%s)\nfiles:       %" PRIu64
                         " (%.1f MB)\nparagraphs:  %" PRIu64 "\n",
                         dir, s->shards, s->shards == 1 ? "" : "s", s->files,
                         (double)s->source_bytes / 1e6, s->paragraphs);
        if (s->superseded)
            ok |= buf_printf(b, "superseded:  %" PRIu64 " paragraphs of older file versions "
                             "(reclaim the space with 'polsearch index --full')\n", s->superseded);
        ok |= buf_printf(b, "terms:       %" PRIu64 "\nsize:        %.1f MB on disk\n"
                         "updated:     %s\nformats:    ", s->terms, (double)s->bytes / 1e6, when);
        for (size_t i = 0; i < s->nfmts; i++)
            ok |= buf_printf(b, " %s (%" PRIu64 ")", s->fmts[i].name, s->fmts[i].files);
        ok |= buf_puts(b, s->nfmts ? "\nencodings:  " : " none\nencodings:  ");
        for (size_t i = 0; i < s->nencs; i++)
            ok |= buf_printf(b, " %s (%" PRIu64 ")", s->encs[i].name, s->encs[i].files);
        ok |= buf_puts(b, s->nencs ? "\n" : " none\n");
        ok |= buf_puts(b, s->nbiggest ? "largest:\n" : "");
        for (size_t i = 0; i < s->nbiggest; i++)
            ok |= buf_printf(b, "  %10" PRIu64 " bytes %6u paragraphs  %s\n",
                             s->biggest[i].size, s->biggest[i].paragraphs, s->biggest[i].path);
    }
    return ok ? -1 : 0;
}
