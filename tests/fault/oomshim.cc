/* oomshim.cc — an LD_PRELOAD allocator shim for out-of-memory fault
 * injection (issue 22, part 5; SQLite FTS5's fts5fault*.test).  Built only
 * for the tests (tests/cli/oom.sh, tests/fault/sweep.sh), never installed.
 *
 * It counts the allocations the program makes once its main() has begun
 * (the dynamic loader's and the C++ libraries' static initialisers run
 * before and are not counted): malloc, calloc, realloc (also the growth of
 * an existing block), posix_memalign, aligned_alloc, memalign, strdup,
 * strndup and the C++ operator new forms (plain, array, nothrow, aligned), so
 * that Xapian's std::bad_alloc path through src/xapian-shim.cc runs.  An
 * operator new that the next library implements with malloc counts once.
 *
 * Environment (read once, at main):
 *   POLSEARCH_FAULT_NTH=N     fail the Nth counted allocation (1-based);
 *                             unset or 0: fail none (count only)
 *   POLSEARCH_FAULT_PERSIST=1 fail every allocation from the Nth on (as when
 *                             memory is really gone), not the Nth alone
 *   POLSEARCH_FAULT_COUNT=F   at exit, write "COUNT FAILED\n" to file F
 *                             (the counted allocations and how many were
 *                             failed), appending: a forked child writes its
 *                             own line
 * LD_PRELOAD is taken out of the environment at main, so the programs that
 * polsearch runs (rm -rf for an old index) are not under test.
 * A failed allocation returns NULL (errno ENOMEM), and a failed operator
 * new throws std::bad_alloc (the nothrow forms return NULL).
 *
 * Each call forwards to the next definition (dlsym RTLD_NEXT): glibc's
 * allocator, or AddressSanitizer's in a sanitizer build (run with
 * ASAN_OPTIONS=verify_asan_link_order=0).  dlsym itself may allocate
 * before the pointers are known: those few come from a static arena, which
 * free() recognises.  Not thread-safe in the count (polsearch's threads,
 * OpenMP in Tesseract, do not run in the seeds' index and search). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <new>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

namespace {

typedef void *(*malloc_fn)(size_t);
typedef void *(*calloc_fn)(size_t, size_t);
typedef void *(*realloc_fn)(void *, size_t);
typedef void (*free_fn)(void *);
typedef int (*memalign2_fn)(void **, size_t, size_t);
typedef void *(*aligned_fn)(size_t, size_t);
typedef void *(*new_fn)(size_t);
typedef void *(*new_nt_fn)(size_t, const std::nothrow_t &);
typedef void *(*new_al_fn)(size_t, std::align_val_t);
typedef int (*main_fn)(int, char **, char **);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *);

/* The next definitions, found on the first call. */
struct next_fns {
    malloc_fn    malloc_;            /* malloc */
    calloc_fn    calloc_;            /* calloc */
    realloc_fn   realloc_;           /* realloc */
    free_fn      free_;              /* free */
    memalign2_fn posix_memalign_;    /* posix_memalign */
    aligned_fn   aligned_alloc_;     /* aligned_alloc */
    aligned_fn   memalign_;          /* memalign */
    new_fn       new_, new_arr;      /* operator new, new[] */
    new_nt_fn    new_nt, new_arr_nt; /* their nothrow forms */
    new_al_fn    new_al, new_arr_al; /* their aligned forms */
};
next_fns nx;
int resolving;                       /* inside resolve(): dlsym's allocations use the arena */
int resolved;                        /* nx is filled in */

/* The arena for what dlsym allocates before malloc is known. */
alignas(16) char arena[65536];
size_t arena_used;

/* The fault state, set at main. */
int armed;                           /* main has begun: allocations count */
uint64_t count;                      /* allocations counted so far */
uint64_t fail_nth;                   /* the allocation to fail (0: none) */
int persist;                         /* fail every one from fail_nth on */
uint64_t failed;                     /* allocations failed */
char count_file[4096];               /* POLSEARCH_FAULT_COUNT, or "" */
__thread int depth;                  /* inside a counted operator new (its malloc does not count again) */

void *arena_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n > sizeof arena - arena_used)
        return NULL;
    void *p = arena + arena_used;
    arena_used += n;
    return p;
}

int in_arena(const void *p)
{
    return (const char *)p >= arena && (const char *)p < arena + sizeof arena;
}

template <typename T> void find(T &slot, const char *name)
{
    slot = reinterpret_cast<T>(dlsym(RTLD_NEXT, name));
}

void resolve()
{
    if (resolved)
        return;
    resolving = 1;
    find(nx.malloc_, "malloc");
    find(nx.calloc_, "calloc");
    find(nx.realloc_, "realloc");
    find(nx.free_, "free");
    find(nx.posix_memalign_, "posix_memalign");
    find(nx.aligned_alloc_, "aligned_alloc");
    find(nx.memalign_, "memalign");
    find(nx.new_, "_Znwm");
    find(nx.new_arr, "_Znam");
    find(nx.new_nt, "_ZnwmRKSt9nothrow_t");
    find(nx.new_arr_nt, "_ZnamRKSt9nothrow_t");
    find(nx.new_al, "_ZnwmSt11align_val_t");
    find(nx.new_arr_al, "_ZnamSt11align_val_t");
    resolving = 0;
    resolved = 1;
}

/* 1 if this allocation is to fail (counting it). */
int should_fail()
{
    if (!armed || depth > 0)
        return 0;
    count++;
    if (fail_nth && (count == fail_nth || (persist && count > fail_nth))) {
        failed++;
        return 1;
    }
    return 0;
}

/* Write "count failed" to count_file at exit (no allocation). */
void write_count()
{
    if (!count_file[0])
        return;
    int fd = open(count_file, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0)
        return;
    char line[64];
    int n = snprintf(line, sizeof line, "%llu %llu\n", (unsigned long long)count,
                     (unsigned long long)failed);
    if (n > 0)
        (void)!write(fd, line, (size_t)n);
    close(fd);
}

/* Read the environment: from here on allocations count. */
void arm()
{
    const char *n = getenv("POLSEARCH_FAULT_NTH");
    const char *p = getenv("POLSEARCH_FAULT_PERSIST");
    const char *f = getenv("POLSEARCH_FAULT_COUNT");
    fail_nth = n ? strtoull(n, NULL, 10) : 0;
    persist = p && p[0] == '1';
    if (f && strlen(f) < sizeof count_file) {
        memcpy(count_file, f, strlen(f) + 1);
        atexit(write_count);        /* before arming: its own allocation is not counted */
    }
    unsetenv("LD_PRELOAD");         /* the programs polsearch runs (rm) are not under test */
    armed = 1;
}

main_fn real_main;

int counted_main(int argc, char **argv, char **envp)
{
    arm();
    return real_main(argc, argv, envp);
}

/* A counted operator new: the next one, or bad_alloc. */
template <typename F, typename... A> void *counted_new(F fn, bool nothrow, A... a)
{
    resolve();
    if (should_fail()) {
        if (nothrow)
            return NULL;
        throw std::bad_alloc();
    }
    depth++;
    void *p = NULL;
    try {
        p = fn(a...);
    } catch (...) {
        depth--;
        throw;
    }
    depth--;
    return p;
}

} // namespace

extern "C" {

/* glibc's entry to main: wrapped so that counting starts at main. */
int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end)
{
    start_fn next;
    *reinterpret_cast<void **>(&next) = dlsym(RTLD_NEXT, "__libc_start_main");
    real_main = main;
    return next(counted_main, argc, argv, init, fini, rtld_fini, stack_end);
}

void *malloc(size_t n)
{
    if (resolving)
        return arena_alloc(n);
    resolve();
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return nx.malloc_(n);
}

void *calloc(size_t n, size_t size)
{
    if (resolving) {
        void *p = n && size > sizeof arena / n ? NULL : arena_alloc(n * size);
        if (p)
            memset(p, 0, n * size);
        return p;
    }
    resolve();
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return nx.calloc_(n, size);
}

void *realloc(void *p, size_t n)
{
    if (resolving || in_arena(p)) {
        void *q = resolving ? arena_alloc(n) : malloc(n);
        size_t have = p ? (size_t)(arena + sizeof arena - (const char *)p) : 0;
        if (q && p)
            memcpy(q, p, n < have ? n : have);  /* at most what the arena holds after p */
        return q;
    }
    resolve();
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return nx.realloc_(p, n);
}

void free(void *p)
{
    if (!p || in_arena(p))
        return;
    resolve();
    nx.free_(p);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    resolve();
    if (should_fail())
        return ENOMEM;
    return nx.posix_memalign_(out, align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    resolve();
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return nx.aligned_alloc_(align, n);
}

void *memalign(size_t align, size_t n)
{
    resolve();
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return nx.memalign_(align, n);
}

char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = static_cast<char *>(malloc(n));
    if (p)
        memcpy(p, s, n);
    return p;
}

char *strndup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    char *p = static_cast<char *>(malloc(n + 1));
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

} // extern "C"

void *operator new(size_t n)
{
    return counted_new(nx.new_ ? nx.new_ : (resolve(), nx.new_), false, n);
}

void *operator new[](size_t n)
{
    return counted_new(nx.new_arr ? nx.new_arr : (resolve(), nx.new_arr), false, n);
}

void *operator new(size_t n, const std::nothrow_t &t) noexcept
{
    try {
        return counted_new(nx.new_nt ? nx.new_nt : (resolve(), nx.new_nt), true, n, t);
    } catch (...) {
        return NULL;
    }
}

void *operator new[](size_t n, const std::nothrow_t &t) noexcept
{
    try {
        return counted_new(nx.new_arr_nt ? nx.new_arr_nt : (resolve(), nx.new_arr_nt), true, n, t);
    } catch (...) {
        return NULL;
    }
}

void *operator new(size_t n, std::align_val_t a)
{
    return counted_new(nx.new_al ? nx.new_al : (resolve(), nx.new_al), false, n, a);
}

void *operator new[](size_t n, std::align_val_t a)
{
    return counted_new(nx.new_arr_al ? nx.new_arr_al : (resolve(), nx.new_arr_al), false, n, a);
}
