/* cmd_index.c — `polsearch index`: options, the walk, the index directory
 * (shard count, lock, a fresh or --full build), then the writer (writer.h:
 * files → text → paragraphs → tokens → index), then the summary.
 *
 * Incremental by default: only files that changed are read again, files
 * gone from the walked paths lose their paragraphs, and a run that dies
 * leaves the index as of its last batch; the next run finishes the job. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "decode.h"
#include "reader.h"
#include "policy.h"
#include "store.h"
#include "walk.h"
#include "writer.h"

#define MAX_DEFAULT_JOBS 8           /* -j default: the online CPUs, at most this many */

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
    int          no_compact;         /* --no-compact: leave a fresh build's shards as written, unmerged */
    int          servable;           /* --servable: accepted, no effect (every index can be served) */
    int          fresh;              /* the shards are new: written without fsync, then compacted */
    walk_opts    walk;               /* which files to visit */
    load_opts    load;               /* how to read them */
    char       **paths;              /* PATH arguments (or seeds/) */
    char       **roots;              /* the same, canonical (walk_canonical_path; malloc'd) */
    size_t       npaths;             /* number of paths */
    char       **includes;           /* --include globs */
    size_t       nincludes;          /* number of --include globs */
    char       **excludes;           /* --exclude globs */
    size_t       nexcludes;          /* number of --exclude globs */
    size_t       cappaths;           /* paths allocated */
    size_t       capincludes;        /* includes allocated */
    size_t       capexcludes;        /* excludes allocated */
} index_opts;


/* --- walking ---------------------------------------------------------------- */

/* walk_file_fn: add the file at path to the found_list ctx, once however
 * often (and however spelled) the walk met it.  Returns -1 when out of
 * memory. */
static int on_found(void *ctx, const char *path, const struct stat *st)
{
    found_list *l = ctx;
    char canon[4096];
    (void)walk_canonical_path(path, canon, sizeof canon);   /* on -1 the cleaned path: its own identity */
    for (size_t i = 0; i < l->n; i++)       /* the same file named twice */
        if (l->v[i].st.st_ino == st->st_ino && l->v[i].st.st_dev == st->st_dev &&
            !strcmp(l->v[i].canon, canon))
            return 0;
    if (ARRAY_GROW(l->v, l->cap, l->n + 1) != 0)
        return -1;
    if (!(l->v[l->n].path = strdup(path)))
        return -1;
    if (!(l->v[l->n].canon = strdup(canon))) {
        free(l->v[l->n].path);
        return -1;
    }
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

/* The default shard count: the online CPUs, from 1 to MAX_DEFAULT_JOBS. */
static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_DEFAULT_JOBS ? MAX_DEFAULT_JOBS : (int)n;
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

/* Decide the shard count of index dir and prepare the directory (a new
 * one gets a stub of o->jobs shards).  Returns the count, or -1 after a
 * message. */
static int prepare_dir(const index_opts *o, const char *dir)
{
    ps_err err = PS_ERR_INIT;
    int existing = store_stub_shards(dir, &err);
    if (existing > 0)
        return existing;
    /* A directory that is neither empty nor ours is not overwritten. */
    int foreign = existing == 0 ? store_foreign_dir(dir, &err) : 0;
    if (foreign > 0)
        ps_err_set(&err, PS_USAGE, "%s: not a polsearch index and not empty; choose another directory",
                   dir);
    if (existing < 0 || foreign != 0 || store_write_stub(dir, o->jobs, &err) != 0) {
        ps_msg("%s", err.msg);
        return -1;
    }
    return o->jobs;
}

/* --full over an index that is there (or whose stub is damaged): the new
 * index is built aside in build (dir/STORE_BUILD_DIR), a fresh index
 * directory, and swapped in once complete (store_swap_in_build), so the
 * old one is what searches see until then and a kill at any moment
 * leaves the old index or the new one.  Returns the new build's shard
 * count, or -1 after a message. */
static int prepare_build(const index_opts *o, char *build, size_t buildlen)
{
    snprintf(build, buildlen, "%s/" STORE_BUILD_DIR, o->dir);
    if (mkdir(build, 0777) != 0) {
        ps_msg("%s: %s", build, strerror(errno));
        return -1;
    }
    int n = prepare_dir(o, build);
    store_kill_point("full-begin");
    return n;
}

/* A fresh build of several shards in place (not staged, not --no-compact)
 * records that they owe their merge, so that one cut off does not stay
 * unmerged: the next run merges (store.h: STORE_MERGE_OWED_NAME); any other
 * fresh build clears a stale record.  Returns 0, or -1 after a message. */
static int owe_fresh_merge(const index_opts *o, int staged, int nshards)
{
    ps_err err = PS_ERR_INIT;
    if (staged || !o->fresh)
        return 0;
    if ((nshards > 1 && !o->no_compact ? store_owe_merge(o->dir, &err) : store_merge_paid(o->dir, &err)) != 0) {
        ps_msg("%s", err.msg);
        return -1;
    }
    return 0;
}

/* A completed run over index dir whose shards owe their merge (a fresh
 * build cut off, store.h: STORE_MERGE_OWED_NAME) pays it: an incremental
 * run merges them when there are several, then clears the record; a
 * fresh run (fresh) only clears it, as its writer merged its own shards
 * (or, finding no paragraphs, left them) and a --full build replaced the
 * old ones.  Returns 0, or -1 after a message. */
static int settle_owed_merge(const char *dir, int fresh)
{
    if (!store_merge_owed(dir))
        return 0;
    ps_err err = PS_ERR_INIT;
    int n = store_shard_count(dir);
    if ((!fresh && n > 1 && writer_merge_shards(dir, n, &err) != 0) || store_merge_paid(dir, &err) != 0) {
        ps_msg("%s", err.msg);
        return -1;
    }
    return 0;
}

/* --- the command ---------------------------------------------------------------- */

/* Add s to the growable argv-style list *v of *n strings, *cap allocated. */
static int push_str(char ***v, size_t *n, size_t *cap, char *s)
{
    if (buf_grow_array((void **)v, cap, *n + 1, sizeof **v) != 0)
        return -1;
    (*v)[(*n)++] = s;
    return 0;
}

/* --include / --exclude (opt->ival 0 / 1): add a glob to *(index_opts *)opt->value. */
static int push_glob(const ps_option *opt, const char *name, const char *arg, ps_err *err)
{
    index_opts *o = opt->value;
    (void)name;
    if (opt->ival ? push_str(&o->excludes, &o->nexcludes, &o->capexcludes, (char *)arg)
                  : push_str(&o->includes, &o->nincludes, &o->capincludes, (char *)arg))
        return ps_err_nomem(err), -1;
    return 0;
}

/* Parse the options into *o.  Returns -1 to continue, or an exit status. */
static int parse_index_opts(int argc, char **argv, index_opts *o)
{
    long long jobs = o->jobs, max_mb = (long long)(o->load.max_size >> 20);
    int first;
    const ps_option opts[] = {
        PS_INDEX("index directory (default: $POLSEARCH_INDEX or ./index)", &o->dir),
        PS_STRING(0, "terms", "FILE", "add the policy terms in FILE (TERM<TAB>WEIGHT<TAB>ALIASES)", &o->terms_file),
        PS_FLAG(0, "full", "rebuild from scratch", &o->full),
        PS_FLAG(0, "no-compact", "keep a new or --full build's shards as written (by\n"
                "default they end merged into one, compacted)", &o->no_compact),
        PS_FLAG(0, "servable", "no effect, kept for old scripts: every index can be served", &o->servable),
        PS_COUNT('j', "jobs", "N", "shards / worker processes for a new index\n"
                 "(default: the number of CPUs, at most 8)", &jobs,
                 1, STORE_MAX_SHARDS, "a number from 1 to " PS_STRINGIFY(STORE_MAX_SHARDS)),
        PS_FLAG(0, "wait", "wait for another indexing run instead of failing", &o->wait),
        PS_STRING(0, "encoding", "NAME", "read every file in this encoding (default: detect)", &o->load.encoding),
        PS_COUNT(0, "max-file-size", "MB", "refuse files (or decompressed text) above this (default 256)",
                 &max_mb, 1, 1 << 20, "a size in MB"),
        PS_FLAG(0, "ocr", "read scans with OCR (Tesseract): PDF pages without text,\n"
                "and PNG, JPEG and TIFF images (slow: seconds per page)", &o->load.ocr),
        PS_FLAG(0, "follow", "follow symbolic links inside folders", &o->walk.follow),
        PS_FLAG(0, "hidden", "index hidden files and folders", &o->walk.hidden),
        { .kind = PS_OPT_CALLBACK, .long_name = "include", .argh = "GLOB",
          .help = "only files matching GLOB (repeatable)", .value = o, .fn = push_glob, .ival = 0 },
        { .kind = PS_OPT_CALLBACK, .long_name = "exclude", .argh = "GLOB",
          .help = "skip files and folders matching GLOB (repeatable)", .value = o, .fn = push_glob, .ival = 1 },
        PS_FLAG('q', "quiet", "no progress line, no summary, no notes on skipped files", &o->quiet),
        PS_FLAG('v', "verbose", "list each file with its paragraph count", &o->verbose),
        PS_END
    };
    const ps_command cmd = {
        .name = "index", .synopsis = "[-d INDEX] [OPTIONS] [PATH...]",
        .about = "Index files and folders (default: seeds/).  Re-running only re-indexes files\n"
                 "that changed, and removes files that are gone from PATH.\n",
        .footer = "Example: polsearch index -d ~/policy-index ~/policy-docs\n",
        .opts = opts
    };
    int status;
    if ((status = ps_options(&cmd, argc, argv, &first)) >= 0)
        return status;
    if (o->load.ocr) {
        ps_err e = PS_ERR_INIT;
        const reader_table *t = reader_table_get(&e);
        if (t && !t->ocr_available())
            ps_err_set(&e, PS_USAGE, "this build has no OCR (configure found no tesseract)");
        if (e.code != PS_OK) {
            ps_msg("%s", e.msg);
            return EXIT_TROUBLE;
        }
    }
    o->jobs = (int)jobs;
    o->load.max_size = (uint64_t)max_mb << 20;
    o->walk.include = (const char *const *)o->includes;
    o->walk.ninclude = o->nincludes;
    o->walk.exclude = (const char *const *)o->excludes;
    o->walk.nexclude = o->nexcludes;
    for (int i = first; i < argc; i++)
        if (push_str(&o->paths, &o->npaths, &o->cappaths, argv[i]) != 0)
            return EXIT_TROUBLE;
    if (o->npaths == 0 && push_str(&o->paths, &o->npaths, &o->cappaths, (char *)"seeds") != 0)
        return EXIT_TROUBLE;
    if (!(o->roots = calloc(o->npaths, sizeof *o->roots)))
        return EXIT_TROUBLE;
    for (size_t i = 0; i < o->npaths; i++) {
        char canon[4096];
        (void)walk_canonical_path(o->paths[i], canon, sizeof canon);  /* on -1 the cleaned path */
        if (!(o->roots[i] = strdup(canon)))
            return EXIT_TROUBLE;
    }
    return -1;
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

/* What the progress line shows besides the workers' counts. */
typedef struct progress_line {
    const found_list *files;         /* the files to index */
    uint64_t          total_bytes;   /* their size */
    struct timespec   t0;            /* when the writers started */
} progress_line;

/* writer_opts.progress: redraw the progress line (files done / total,
 * MB/s, elapsed, ETA, and the page OCR is at while it runs), or clear it
 * when the writers finished. */
static void draw_progress(void *ctx, uint64_t done, uint64_t bytes, unsigned ocr_done, unsigned ocr_total,
                          int finished)
{
    const progress_line *pl = ctx;
    if (finished) {
        fputs("\r\033[K", stderr);
        return;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double secs = (double)(now.tv_sec - pl->t0.tv_sec) + (double)(now.tv_nsec - pl->t0.tv_nsec) / 1e9;
    double rate = secs > 0 ? (double)bytes / 1e6 / secs : 0;
    char el[32], eta[32] = "?";
    fmt_time(secs, el, sizeof el);
    if (bytes > 0 && pl->total_bytes >= bytes)
        fmt_time(secs * (double)(pl->total_bytes - bytes) / (double)bytes, eta, sizeof eta);
    fprintf(stderr, "\r\033[Kindexing: %" PRIu64 "/%zu files, %.1f MB/s, %s elapsed, ETA %s",
            done, pl->files->n, rate, el, eta);
    if (ocr_total > 0)
        fprintf(stderr, ", OCR page %u of %u", ocr_done + 1 > ocr_total ? ocr_total : ocr_done + 1, ocr_total);
    fflush(stderr);
}

/* writer_opts.note: a message for the user. */
static void print_note(void *ctx, const char *msg)
{
    (void)ctx;
    ps_msg("%s", msg);
}

/* writer_opts.listed: -v lists each file indexed. */
static void print_listed(void *ctx, const char *path, unsigned paragraphs, const char *encoding)
{
    (void)ctx;
    fprintf(stderr, "%s: %u paragraphs (%s)\n", path, paragraphs, encoding);
}

/* Write the files into the shards of dir (the index, or a --full build
 * aside) as the options say, summing into *total. */
static void write_index(const index_opts *o, const char *dir, int nshards, const found_list *files,
                        index_stats *total)
{
    progress_line pl = { files, 0, { 0, 0 } };
    for (size_t i = 0; i < files->n; i++)
        pl.total_bytes += (uint64_t)files->v[i].st.st_size;
    clock_gettime(CLOCK_MONOTONIC, &pl.t0);
    writer_opts w = {
        .dir = dir, .lx = o->lx, .full = o->full, .quiet = o->quiet, .verbose = o->verbose,
        .no_compact = o->no_compact, .fresh = o->fresh, .load = o->load, .paths = o->paths,
        .roots = o->roots, .npaths = o->npaths, .note = print_note, .listed = print_listed,
        .progress = o->progress ? draw_progress : NULL, .ctx = &pl, .index = o->dir,
    };
    writer_run(&w, nshards, files, total);
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
    ps_err lexerr = PS_ERR_INIT;
    if (!(o.lx = policy_load(o.terms_file, &lexerr))) {
        ps_msg("%s", lexerr.msg);
        goto out;
    }
    if (mkdir_p(o.dir) != 0) {
        ps_msg("%s: %s", o.dir, strerror(errno));
        goto out;
    }
    ps_err lerr = PS_ERR_INIT;
    if ((lock_fd = store_lock(o.dir, o.wait, &lerr)) < 0) {
        ps_msg("%s", lerr.msg);
        goto out;
    }
    /* A writer cut off in a swap left it for us to finish (store.h: Swaps). */
    if (store_recover(o.dir, &lerr) != 0) {
        ps_msg("%s", lerr.msg);
        goto out;
    }
    int existing = store_shard_count(o.dir);
    o.fresh = o.full || existing == 0;
    char build[4200];
    int staged = o.full && existing != 0;
    int nshards = staged ? prepare_build(&o, build, sizeof build) : prepare_dir(&o, o.dir);
    if (nshards < 0 || owe_fresh_merge(&o, staged, nshards) != 0)
        goto out;
    writer_catch_stop_signals();
    signal(SIGPIPE, SIG_IGN);

    files.quiet = o.quiet;
    o.progress = !o.quiet && !o.verbose && isatty(STDERR_FILENO) && getenv("TERM") && strcmp(getenv("TERM"), "dumb") != 0;
    walk_opts wo = o.walk;
    if (walk_paths((const char *const *)o.paths, o.npaths, &wo, on_found, on_walk_error, &files) != 0) {
        ps_msg("out of memory while listing files");
        goto out;
    }
    for (size_t i = 0; i < files.n; i++)
        files.v[i].shard = (int)(store_path_hash(files.v[i].canon) % (uint64_t)nshards);

    index_stats total;
    memset(&total, 0, sizeof total);
    write_index(&o, staged ? build : o.dir, nshards, &files, &total);
    if (writer_stop_signal())
        total.interrupted = 1;      /* even when it came during a compaction */
    if (staged && !total.error && !total.interrupted) {
        store_kill_point("full-built");
        ps_err serr = PS_ERR_INIT;
        if (store_swap_in_build(o.dir, &serr) != 0) {
            ps_msg("%s", serr.msg);
            total.error = 1;
        }
    } else if (staged) {
        store_remove_tree(build);   /* a build that will not get in; store_recover would remove it too */
    }
    total.error |= !total.error && !total.interrupted && settle_owed_merge(o.dir, o.fresh) != 0;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (total.interrupted && staged)
        ps_msg("interrupted by signal %d: the index is as it was before this --full run; run again "
               "to rebuild it", writer_stop_signal());
    else if (total.interrupted)
        ps_msg("interrupted by signal %d: the work done so far is committed; run again to finish",
               writer_stop_signal());
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
    for (size_t i = 0; i < files.n; i++) {
        free(files.v[i].path);
        free(files.v[i].canon);
    }
    free(files.v);
    for (size_t i = 0; o.roots && i < o.npaths; i++)
        free(o.roots[i]);
    free(o.roots);
    lex_free(o.lx);
    free(o.paths);
    free(o.includes);
    free(o.excludes);
    return status;
}
