/* store.c — records, keys and index layout; see store.h. */
#include "store.h"
#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hash.h"
#include "walk.h"

#define REC_MAGIC  "P2"
#define FILE_MAGIC "D1"

/* A record is a magic string and then NUL-terminated fields in a fixed
 * order, the text last; NUL never occurs inside a field (decode.c removes
 * NULs from text). */
int store_rec_encode(buf *out, const para_rec *r)
{
    if (buf_append(out, REC_MAGIC, sizeof REC_MAGIC) != 0 ||
        buf_append(out, r->file_key, strlen(r->file_key) + 1) != 0)
        return -1;
    if (buf_printf(out, "%u", r->paragraph) != 0 || buf_putc(out, '\0') != 0 ||
        buf_printf(out, "%" PRIu64, r->byte_off) != 0 || buf_putc(out, '\0') != 0 ||
        buf_printf(out, "%u", r->flags) != 0 || buf_putc(out, '\0') != 0 ||
        buf_printf(out, "%u", r->page) != 0 ||
        (r->page_breaks && r->page_breaks[0] && buf_printf(out, ":%s", r->page_breaks) != 0) ||
        buf_putc(out, '\0') != 0)
        return -1;
    return buf_append(out, r->text, r->text_len);
}

/* Take the next NUL-terminated field from *p (bounded by end). */
static const char *next_field(char **p, char *end)
{
    char *s = *p;
    char *nul = memchr(s, '\0', (size_t)(end - s));
    if (!nul)
        return NULL;
    *p = nul + 1;
    return s;
}

int store_rec_decode(char *data, size_t len, para_rec *r)
{
    char *end = data + len;
    char *p = data;
    const char *magic = next_field(&p, end);
    if (!magic || strcmp(magic, REC_MAGIC) != 0)
        return -1;
    const char *key = next_field(&p, end);
    const char *num = next_field(&p, end);
    const char *off = next_field(&p, end);
    const char *flags = next_field(&p, end);
    const char *page = next_field(&p, end);
    if (!key || !num || !off || !flags || !page)
        return -1;
    r->file_key = key;
    r->paragraph = (unsigned)strtoul(num, NULL, 10);
    r->byte_off = strtoull(off, NULL, 10);
    r->flags = (unsigned)strtoul(flags, NULL, 10);
    char *pend;
    r->page = (unsigned)strtoul(page, &pend, 10);
    r->page_breaks = *pend == ':' ? pend + 1 : "";
    r->text = p;
    r->text_len = (size_t)(end - p);
    return 0;
}

unsigned store_page_at(const para_rec *r, size_t off)
{
    unsigned page = r->page;
    const char *p = r->page_breaks;
    while (page && p && *p) {
        char *end;
        unsigned long long at = strtoull(p, &end, 10);
        if (end == p || at > off)
            break;
        page++;
        p = *end == ',' ? end + 1 : end;
    }
    return page;
}

int store_fileinfo_encode(buf *out, const para_rec *r)
{
    const char *fields[] = { FILE_MAGIC, r->file, r->title, r->date, r->issuer, r->docno, r->proposal,
                             r->format, r->canon };
    size_t nfields = sizeof fields / sizeof *fields;
    if (!r->canon || !r->canon[0])
        nfields--;                  /* none: the record reads as before it was kept */
    for (size_t i = 0; i < nfields; i++) {
        const char *f = fields[i] ? fields[i] : "";
        size_t n = strlen(f);
        if (i >= 2 && i < 8 && n > STORE_FIELD_MAX)  /* cut on a code point, never within one */
            n = utf8_prev(f, 0, STORE_FIELD_MAX + 1);
        if (buf_append(out, f, n) != 0 || buf_append(out, "", 1) != 0)
            return -1;
    }
    return 0;
}

int store_fileinfo_decode(char *data, size_t len, para_rec *r)
{
    char *end = data + len;
    char *p = data;
    const char *magic = next_field(&p, end);
    if (!magic || strcmp(magic, FILE_MAGIC) != 0)
        return -1;
    const char **dst[] = { &r->file, &r->title, &r->date, &r->issuer, &r->docno, &r->proposal,
                           &r->format };
    for (size_t i = 0; i < sizeof dst / sizeof *dst; i++)
        if (!(*dst[i] = next_field(&p, end)))
            return -1;
    /* The canonical path came later: a record may end before it. */
    r->canon = p < end ? next_field(&p, end) : "";
    return r->canon ? 0 : -1;       /* NULL: a field cut short */
}

void store_filedoc_term(const char *file_key, char term[19])
{
    snprintf(term, 19, "XD%.16s", file_key);
}


void store_file_key(const char *path, char key[18])
{
    snprintf(key, 18, "F%016" PRIx64, store_path_hash(path));
}

void store_filerec_key(const file_rec *f, char key[18])
{
    store_file_key(f->canon ? f->canon : f->path, key);
}

void store_version_term(const char *file_key, char term[19])
{
    snprintf(term, 19, "XF%.16s", file_key);
}

/* The path hash starts from 1469598103934665603, one digit short of
 * FNV-1a's basis: every file key and shard assignment on disk depends on
 * it, so it stays. */
#define PATH_HASH_BASIS 1469598103934665603ULL

uint64_t store_path_hash(const char *path)
{
    return hash_fnv64(PATH_HASH_BASIS, path, strlen(path));
}

void store_version_id(const file_rec *f, unsigned salt, char vid[17])
{
    uint64_t h = hash_fnv64(store_path_hash(f->canon ? f->canon : f->path), "", 1);
    h = hash_fnv64(h, &f->size, sizeof f->size);
    h = hash_fnv64(h, &f->mtime_ns, sizeof f->mtime_ns);
    h = hash_fnv64(h, &f->crc, sizeof f->crc);
    h = hash_fnv64(h, &salt, sizeof salt);
    snprintf(vid, 17, "%016" PRIx64, h);
}

void store_tombstone_term(const char *file_key, char term[19])
{
    snprintf(term, 19, "XT%.16s", file_key);
}

/* The dead versions' XF terms, as term queries. */
typedef struct dead_list {
    xs_query **v;                    /* one term query per dead version */
    size_t     n;                    /* queries in v */
    size_t     cap;                  /* queries allocated */
    ps_err    *err;                  /* where a failure is reported */
} dead_list;

/* allterms callback: add the XF term of tombstone term XT<vid>. */
static int dead_add(void *ctx, const char *term, size_t len, uint64_t freq)
{
    dead_list *d = ctx;
    (void)freq;
    if (len != 18)
        return 0;                   /* not one of ours */
    if (ARRAY_EGROW(d->err, d->v, d->cap, d->n + 1) != 0)
        return -1;
    char fterm[19];
    store_version_term(term + 2, fterm);
    if (!(d->v[d->n] = xs_query_term(fterm, 18, 1, d->err)))
        return -1;
    d->n++;
    return 0;
}

/* q without the documents of dead file versions (those named by the
 * tombstones in db).  Takes q over: returns q itself when nothing is dead,
 * a new query otherwise (q freed), NULL on an error (q freed, err set). */
static xs_query *live_only(xs_db *db, xs_query *q, int *trimmed, ps_err *err)
{
    *trimmed = 0;
    if (!q)
        return NULL;
    dead_list d = { NULL, 0, 0, err };
    xs_query *out = NULL;
    if (xs_db_allterms(db, "XT", dead_add, &d, err) != PS_OK)
        goto done;
    if (d.n == 0) {
        out = q;
        q = NULL;
        goto done;
    }
    xs_query *dead = d.n == 1 ? NULL : xs_query_combine(XS_OP_OR, d.v, d.n, err);
    if (d.n > 1 && !dead)
        goto done;
    xs_query *pair[2] = { q, dead ? dead : d.v[0] };
    out = xs_query_combine(XS_OP_AND_NOT, pair, 2, err);
    *trimmed = 1;
    xs_query_free(dead);
done:
    for (size_t i = 0; i < d.n; i++)
        xs_query_free(d.v[i]);
    free(d.v);
    xs_query_free(q);
    return out;
}

/* A query over the live documents: the Xapian query, tombstoned versions
 * left out (store.h). */
struct store_query {
    xs_query *q;                     /* the query, AND_NOT the dead versions */
    int       trimmed;               /* 1: dead versions were taken out of q */
};

/* Wrap q (taken over; NULL: an error is in err) as a store_query;
 * trimmed says whether q leaves dead versions out. */
static store_query *wrap_query(xs_query *q, int trimmed, ps_err *err)
{
    if (!q)
        return NULL;
    store_query *sq = malloc(sizeof *sq);
    if (!sq) {
        xs_query_free(q);
        ps_err_nomem(err);
        return NULL;
    }
    sq->q = q;
    sq->trimmed = trimmed;
    return sq;
}

store_query *store_query_live(xs_db *db, xs_query *q, ps_err *err)
{
    int trimmed;
    xs_query *live = live_only(db, q, &trimmed, err);
    return wrap_query(live, trimmed, err);
}

store_query *store_query_filter(const store_query *q, xs_query *filter, ps_err *err)
{
    if (!filter)
        return NULL;
    xs_query *pair[2] = { q->q, filter };
    xs_query *f = xs_query_combine(XS_OP_FILTER, pair, 2, err);
    xs_query_free(filter);
    return wrap_query(f, q->trimmed, err);
}

xs_mset *store_enquire(xs_db *db, const store_query *q, unsigned first, unsigned max,
                       unsigned check_atleast, const xs_bm25 *bm25, ps_err *err)
{
    return xs_enquire(db, q->q, first, max, check_atleast, bm25, err);
}

int store_query_trimmed(const store_query *q)
{
    return q->trimmed;
}

/* The term's tier scheme goes with it: the shim ranks its top within the
 * tier classes whose bound no posting outside them can beat. */
xs_mset *store_enquire_top(xs_db *db, const store_query *q, const char *term, size_t len, unsigned wqf,
                           const xs_query *extra, unsigned first, unsigned max, const xs_bm25 *bm25,
                           ps_err *err)
{
    buf prefix = BUF_INIT;
    xs_tier_scheme scheme;
    xs_mset *m = NULL;
    if (store_tier_scheme(&prefix, term, len, &scheme) != 0)
        ps_err_nomem(err);
    else
        m = xs_enquire_term_top(db, q->q, term, len, wqf, extra, &scheme, first, max, bm25, err);
    buf_free(&prefix);
    return m;
}

static void hex_of(const char *bytes, size_t n, char *out);

/* The length classes of the tiers: class c holds the lengths from
 * tier_len_edge(c) up to the next edge.  The edges grow by 5/4 (at least
 * by one), so a class's lengths differ by a quarter at most. */
#define TIER_LEN_CLASSES 64
#define TIER_CODE_BASE '0'           /* class codes are printable: '0' + a number below 80 */
static unsigned tier_len_edge(unsigned c)
{
    unsigned e = 1;
    for (unsigned i = 0; i < c; i++)
        e = e * 5 / 4 > e ? e * 5 / 4 : e + 1;
    return e;
}

int store_tier_term(buf *out, const char *term, size_t len, unsigned wdf, unsigned content_len)
{
    unsigned c = 0;
    while (c + 1 < TIER_LEN_CLASSES && tier_len_edge(c + 1) <= content_len)
        c++;
    unsigned w = wdf < STORE_TIER_WDF_CAP ? wdf : STORE_TIER_WDF_CAP;
    char code[STORE_TIER_CODE_LEN + 1] = { STORE_TIER_SEP, (char)(TIER_CODE_BASE + w), (char)(TIER_CODE_BASE + c) };
    return buf_append(out, STORE_TIER_PREFIX, strlen(STORE_TIER_PREFIX)) != 0 || buf_append(out, term, len) != 0 ||
                   buf_append(out, code, sizeof code) != 0
               ? -1
               : 0;
}

/* xs_tier_scheme's decode for store_tier_term's codes. */
static int tier_decode(const char *code, unsigned *min_wdf, unsigned *max_wdf, unsigned *min_len)
{
    unsigned w = (unsigned char)code[0] - TIER_CODE_BASE, c = (unsigned char)code[1] - TIER_CODE_BASE;
    if (w < STORE_TIER_MIN_WDF || w > STORE_TIER_WDF_CAP || c >= TIER_LEN_CLASSES)
        return -1;                  /* not a code store_tier_term writes (the unsigned wrap included) */
    *min_wdf = w;
    *max_wdf = w < STORE_TIER_WDF_CAP ? w : UINT_MAX;
    *min_len = tier_len_edge(c);
    return 0;
}

int store_tier_scheme(buf *prefix, const char *term, size_t len, xs_tier_scheme *out)
{
    char sep = STORE_TIER_SEP;
    if (buf_append(prefix, STORE_TIER_PREFIX, strlen(STORE_TIER_PREFIX)) != 0 || buf_append(prefix, term, len) != 0 ||
        buf_append(prefix, &sep, 1) != 0)
        return -1;
    *out = (xs_tier_scheme){ .prefix = prefix->data, .len = prefix->len, .code_len = STORE_TIER_CODE_LEN,
                             .min_wdf = STORE_TIER_MIN_WDF, .decode = tier_decode };
    return 0;
}

void store_key_set_paragraph(char *key, unsigned n)
{
    for (int b = 0; b < STORE_PARA_LEN; b++)
        key[STORE_COPY_KEY_LEN + STORE_LOC_LEN + b] = (char)(n >> (8 * (STORE_PARA_LEN - 1 - b)));
}

void store_key_vid(const char *key, char vid[17])
{
    hex_of(key + STORE_COPY_KEY_LEN, 8, vid);
}

unsigned store_key_paragraph(const char *key)
{
    unsigned n = 0;
    for (int b = 0; b < STORE_PARA_LEN; b++)
        n = n << 8 | (unsigned char)key[STORE_COPY_KEY_LEN + STORE_LOC_LEN + b];
    return n;
}

int store_tally_versions(xs_db *db, const store_query *q, unsigned check_atleast,
                         int (*fn)(void *ctx, const char *vid, size_t len, uint64_t n), void *ctx, ps_err *err)
{
    return xs_tally_value_bytes(db, q->q, STORE_SLOT_KEY, STORE_COPY_KEY_LEN, 8, check_atleast, fn, ctx, err) ==
                   PS_OK
               ? 0
               : -1;
}

char *store_query_describe(const store_query *q)
{
    return xs_query_describe(q->q);
}

void store_query_free(store_query *q)
{
    if (!q)
        return;
    xs_query_free(q->q);
    free(q);
}

/* A file record value: path, size, mtime, crc, paragraphs, encoding,
 * version id, format, canonical path (when kept), SHA-256 (when recorded
 * and the canonical path kept), each NUL-terminated;
 * numbers in decimal so the format reads in a hex dump. */
int store_filerec_encode(buf *out, const file_rec *f)
{
    if (buf_append(out, f->path, strlen(f->path) + 1) != 0)
        return -1;
    if (buf_printf(out, "%" PRIu64, f->size) != 0 || buf_putc(out, '\0') != 0 ||
        buf_printf(out, "%" PRId64, f->mtime_ns) != 0 || buf_putc(out, '\0') != 0 ||
        buf_printf(out, "%" PRIu32, f->crc) != 0 || buf_putc(out, '\0') != 0 ||
        buf_printf(out, "%u", f->paragraphs) != 0 || buf_putc(out, '\0') != 0)
        return -1;
    if (buf_append(out, f->encoding, strlen(f->encoding) + 1) != 0 ||
        buf_append(out, f->vid, strlen(f->vid) + 1) != 0)
        return -1;
    if (buf_append(out, f->format, strlen(f->format) + 1) != 0)
        return -1;
    if (!f->canon)
        return 0;
    if (buf_append(out, f->canon, strlen(f->canon) + 1) != 0)
        return -1;
    if (!f->sha256[0] && !f->reading)
        return 0;
    if (buf_append(out, f->sha256, strlen(f->sha256) + 1) != 0)
        return -1;
    return f->reading ? buf_printf(out, "%u%c", f->reading, '\0') : 0;
}

int store_filerec_decode(const char *val, size_t len, file_rec *f, ps_err *err)
{
    const char *fields[8];
    const char *p = val, *end = val + len;
    for (size_t i = 0; i < 8; i++) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        if (!nul)
            return ps_err_set(err, PS_INPUT, "a file record cut short"), -1;
        fields[i] = p;
        p = nul + 1;
    }
    /* The canonical path came later: an older record ends before it. */
    const char *nul = p < end ? memchr(p, '\0', (size_t)(end - p)) : NULL;
    if (p < end && !nul)
        return ps_err_set(err, PS_INPUT, "a file record cut short"), -1;
    /* So did the checksum: a record of nine fields ends before it. */
    const char *sha = nul ? nul + 1 : end;
    const char *shaend = sha < end ? memchr(sha, '\0', (size_t)(end - sha)) : NULL;
    if (sha < end && !shaend)
        return ps_err_set(err, PS_INPUT, "a file record cut short"), -1;
    f->sha256[0] = '\0';
    if (shaend && (size_t)(shaend - sha) == sizeof f->sha256 - 1)
        memcpy(f->sha256, sha, sizeof f->sha256);
    /* And how the text was read: a record of ten fields ends before it. */
    const char *rd = shaend ? shaend + 1 : end;
    const char *rdend = rd < end ? memchr(rd, '\0', (size_t)(end - rd)) : NULL;
    if (rd < end && !rdend)
        return ps_err_set(err, PS_INPUT, "a file record cut short"), -1;
    f->reading = rdend ? (unsigned)strtoul(rd, NULL, 10) & (STORE_READ_OCR | STORE_READ_SCAN) : 0;
    f->path = strdup(fields[0]);
    f->canon = nul ? strdup(p) : NULL;
    if (!f->path || (nul && !f->canon)) {
        free(f->path);
        free(f->canon);
        return ps_err_nomem(err), -1;
    }
    store_filerec_key(f, f->key);
    f->size = strtoull(fields[1], NULL, 10);
    f->mtime_ns = strtoll(fields[2], NULL, 10);
    f->crc = (uint32_t)strtoul(fields[3], NULL, 10);
    f->paragraphs = (unsigned)strtoul(fields[4], NULL, 10);
    snprintf(f->encoding, sizeof f->encoding, "%s", fields[5]);
    snprintf(f->vid, sizeof f->vid, "%s", fields[6]);
    snprintf(f->format, sizeof f->format, "%s", fields[7]);
    return 0;
}

const char *store_filerec_encoding(const file_rec *f, char out[STORE_ENCODING_SHOWN])
{
    snprintf(out, STORE_ENCODING_SHOWN, "%s%s", f->encoding,
             f->reading & STORE_READ_SCAN ? "+scan" : f->reading & STORE_READ_OCR ? "+ocr" : "");
    return out;
}

void file_rec_free(file_rec *f)
{
    free(f->path);
    free(f->canon);
    f->path = NULL;
    f->canon = NULL;
}

void store_shard_path(const char *dir, int i, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/shard%d", dir, i);
}

void store_text_path(const char *dir, int i, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/text%d", dir, i);
}

void store_part_path(const char *dir, int i, int text, char *out, size_t outlen)
{
    if (text)
        store_text_path(dir, i, out, outlen);
    else
        store_shard_path(dir, i, out, outlen);
}

/* What a stub lists while a swap is under way (*swapping of read_stub). */
enum { SWAP_NONE, SWAP_MERGE, SWAP_BUILD };

/* The stub lists shard0..shardN-1, then text0..textN-1 (store.h), or,
 * while a swap is under way, the merged pair (STORE_SWAP_STUB, *swapping
 * SWAP_MERGE) or a --full build's parts (the same names under
 * STORE_BUILD_DIR, SWAP_BUILD).  Returns the shard count (1 for the
 * merged pair), 0 without a stub, -1 with err set for one that cannot be
 * read or is malformed. */
static int read_stub(const char *dir, int *swapping, ps_err *err)
{
    char path[4096];
    *swapping = 0;
    snprintf(path, sizeof path, "%s/" STORE_STUB_NAME, dir);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        if (errno == ENOENT)
            return 0;
        return ps_err_set(err, PS_IO, "%s: %s", path, strerror(errno)), -1;
    }
    char all[STORE_MAX_SHARDS * 2 * 40 + 64];  /* a stub of STORE_MAX_SHARDS pairs fits */
    size_t n = fread(all, 1, sizeof all - 1, fp);
    int bad = ferror(fp) || !feof(fp);
    fclose(fp);
    all[n] = '\0';
    if (!bad && strcmp(all, STORE_SWAP_STUB) == 0) {
        *swapping = SWAP_MERGE;
        return 1;
    }
    const char *build = STORE_BUILD_DIR "/";
    if (strncmp(all, "auto ", 5) == 0 && strncmp(all + 5, build, strlen(build)) == 0)
        *swapping = SWAP_BUILD;
    else
        build = "";
    int shards = 0, texts = 0;
    for (char *line = all; !bad && *line;) {
        char *nl = strchr(line, '\n');
        if (!nl) {
            bad = 1;
            break;
        }
        *nl = '\0';
        char want[64];
        snprintf(want, sizeof want, "auto %sshard%d", build, shards);
        if (texts == 0 && strcmp(line, want) == 0) {
            shards++;
        } else {
            snprintf(want, sizeof want, "auto %stext%d", build, texts);
            if (strcmp(line, want) == 0)
                texts++;
            else
                bad = 1;
        }
        line = nl + 1;
    }
    if (!bad && shards > 0 && shards <= STORE_MAX_SHARDS && texts == shards)
        return shards;
    return ps_err_damaged(err, PS_DAMAGED_REBUILD, path, dir, "not a polsearch shard list"), -1;
}

int store_shard_count(const char *dir)
{
    return store_stub_shards(dir, NULL);
}

int store_stub_shards(const char *dir, ps_err *err)
{
    int swapping;
    return read_stub(dir, &swapping, err);
}

/* Path of shard i of dir (text = 0) or of its text chunks (text = 1) as
 * the stub lists it: the merged pair's while a swap is under way, else as
 * store_part_path says. */
static void store_listed_path(const char *dir, int i, int text, char *out, size_t outlen)
{
    int swapping;
    int n = read_stub(dir, &swapping, NULL);
    if (n == 1 && swapping == SWAP_MERGE)
        snprintf(out, outlen, "%s/%s", dir, text ? STORE_SWAP_TEXT : STORE_SWAP_SHARD);
    else if (n > 0 && swapping == SWAP_BUILD)
        snprintf(out, outlen, "%s/" STORE_BUILD_DIR "/%s%d", dir, text ? "text" : "shard", i);
    else
        store_part_path(dir, i, text, out, outlen);
}

/* fsync the directory dir (its entries: renames, links, removals).
 * Returns 0, or -1 with errno set. */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

/* Replace dir's stub by text (atomically: a synced temporary file renamed
 * over it, then the directory synced).  Returns 0, or -1 with err set
 * (PS_IO: the file and why). */
static int put_stub(const char *dir, const char *text, ps_err *err)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/" STORE_STUB_NAME, dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        return ps_err_set(err, PS_IO, "%s: %s", tmp, strerror(errno)), -1;
    int bad = fputs(text, fp) == EOF || fflush(fp) != 0 || fsync(fileno(fp)) != 0;
    int e = errno;
    if (fclose(fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(tmp, path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        unlink(tmp);
        return ps_err_set(err, PS_IO, "%s: %s", path, strerror(e)), -1;
    }
    if (sync_dir(dir) != 0)
        return ps_err_set(err, PS_IO, "%s: %s", dir, strerror(errno)), -1;
    return 0;
}

/* Write dir's stub listing shards 0..nshards-1 and their text chunks,
 * each name after prefix ("" or STORE_BUILD_DIR "/"); as store_write_stub. */
static int write_stub_under(const char *dir, const char *prefix, int nshards, ps_err *err)
{
    char text[64 * 2 * STORE_MAX_SHARDS + 1];
    size_t o = 0;
    if (nshards < 1 || nshards > STORE_MAX_SHARDS)
        return ps_err_set(err, PS_USAGE, "%s: %d shards: an index has 1 to %d", dir, nshards,
                          STORE_MAX_SHARDS), -1;
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < nshards; i++)
            o += (size_t)snprintf(text + o, sizeof text - o, "auto %s%s%d\n", prefix,
                                  k ? "text" : "shard", i);
    return put_stub(dir, text, err);
}

int store_write_stub(const char *dir, int nshards, ps_err *err)
{
    return write_stub_under(dir, "", nshards, err);
}

void store_kill_point(const char *step)
{
    const char *at = getenv("POLSEARCH_TEST_KILL_AT");
    if (at && strcmp(at, step) == 0)
        raise(SIGKILL);
}

int store_owe_merge(const char *dir, ps_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/" STORE_MERGE_OWED_NAME, dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return ps_err_set(err, PS_IO, "%s: %s", path, strerror(errno)), -1;
    /* Synced with its directory: the record must be there before any
     * shard is, or a crash could leave shards that owe a merge unmarked. */
    int synced = fsync(fd) == 0;
    if (close(fd) != 0 || !synced || sync_dir(dir) != 0)
        return ps_err_set(err, PS_IO, "%s: %s", path, strerror(errno)), -1;
    return 0;
}

int store_merge_owed(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/" STORE_MERGE_OWED_NAME, dir);
    return access(path, F_OK) == 0;
}

int store_merge_paid(const char *dir, ps_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/" STORE_MERGE_OWED_NAME, dir);
    if (unlink(path) != 0 && errno != ENOENT)
        return ps_err_set(err, PS_IO, "%s: %s", path, strerror(errno)), -1;
    return 0;
}

/* store_kill_point of step in a swap of kind swapping: a --full build's
 * swap names its steps "full-" + step, so a test can stop it rather than
 * the merge swap inside the build. */
static void swap_kill_point(int swapping, const char *step)
{
    char name[64];
    snprintf(name, sizeof name, "%s%s", swapping == SWAP_BUILD ? "full-" : "", step);
    store_kill_point(name);
}

/* Call fn(ctx, path, name) for each entry of the flat directory dir (a
 * Xapian database has no subdirectories) but . and .., path being
 * dir/name; a non-zero return of fn stops the walk.  Returns 0, or -1
 * with errno set (fn sets it for its own failures). */
static int each_entry(const char *dir, int (*fn)(void *ctx, const char *path, const char *name),
                      void *ctx)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (errno = 0, e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[4608];
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path) {
            errno = ENAMETOOLONG;
            rc = -1;
        } else {
            rc = fn(ctx, path, e->d_name);
        }
    }
    if (rc == 0 && errno != 0)
        rc = -1;
    int saved = errno;
    closedir(d);
    errno = saved;
    return rc;
}

/* each_entry callback of link_tree: link path into the directory ctx. */
static int link_entry(void *ctx, const char *path, const char *name)
{
    char to[4608];
    if (snprintf(to, sizeof to, "%s/%s", (const char *)ctx, name) >= (int)sizeof to) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return link(path, to);
}

/* Make dst (which must not exist) a directory holding hard links to every
 * file of the database directory src, then sync dst.  Returns 0, or -1
 * with errno set. */
static int link_tree(const char *src, const char *dst)
{
    if (mkdir(dst, 0777) != 0)
        return -1;
    return each_entry(src, link_entry, (void *)dst) == 0 ? sync_dir(dst) : -1;
}

/* each_entry callback of store_sync_tree: fsync path; a failure is
 * remembered in *(int *)ctx and the walk goes on, so every file that can
 * be synced is. */
static int sync_entry(void *ctx, const char *path, const char *name)
{
    (void)name;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0)
        *(int *)ctx = errno ? errno : EIO;
    if (fd >= 0)
        close(fd);
    return 0;
}

int store_sync_tree(const char *dir)
{
    int failed = 0;
    if (each_entry(dir, sync_entry, &failed) != 0)
        return -1;
    if (failed) {
        errno = failed;
        return -1;
    }
    return sync_dir(dir);
}

/* Remove parts from..to-1 of dir (shard and text chunks), those that
 * exist.  Returns 0, or -1 with err set. */
static int remove_parts(const char *dir, int from, int to, ps_err *err)
{
    char path[4200];
    for (int i = from; i < to; i++)
        for (int k = 0; k < 2; k++) {
            store_part_path(dir, i, k, path, sizeof path);
            if (access(path, F_OK) == 0 && store_remove_tree(path) != 0)
                return ps_err_set(err, PS_IO, "%s: cannot remove the old database", path), -1;
        }
    return 0;
}

int store_remove_shards(const char *dir, int n, ps_err *err)
{
    return remove_parts(dir, 0, n, err);
}

/* Roll a swap of kind swapping (SWAP_MERGE: the merged pair; SWAP_BUILD:
 * the n shards of a --full build under STORE_BUILD_DIR) forward from its
 * commit point (the stub lists the new parts, complete): remove the old
 * shards, which nothing lists, give the new parts the names shardI and
 * textI (hard links, so the stub's names stay valid meanwhile; a rename
 * where the file system has no hard links), list them in the stub, remove
 * the new parts' names.  Every step can be done again, so a run cut off
 * anywhere in here is finished by the next writer.  Returns 0, or -1 with
 * err set. */
static int swap_forward(const char *dir, int swapping, int n, ps_err *err)
{
    char path[4200], swap[4300];
    if (store_remove_shards(dir, 1, err) != 0)
        return -1;
    swap_kill_point(swapping, "swap-removing");
    if (remove_parts(dir, 1, STORE_MAX_SHARDS, err) != 0)
        return -1;
    int renamed = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 2; k++) {
            store_part_path(dir, i, k, path, sizeof path);
            store_listed_path(dir, i, k, swap, sizeof swap);
            if (link_tree(swap, path) != 0) {
                int e = errno;
                if (e != EPERM && e != ENOTSUP && e != EXDEV && e != EMLINK)
                    return ps_err_set(err, PS_IO, "%s: %s", path, strerror(e)), -1;
                /* No hard links here: rename, and let the stub name the part at once. */
                if (store_remove_tree(path) != 0 || rename(swap, path) != 0)
                    return ps_err_set(err, PS_IO, "%s: cannot install the new database: %s", path,
                                      strerror(errno)), -1;
                renamed = 1;
            }
            if (i == 0 && k == 0)
                swap_kill_point(swapping, "swap-linking");
        }
    if (sync_dir(dir) != 0)
        return ps_err_set(err, PS_IO, "%s: %s", dir, strerror(errno)), -1;
    swap_kill_point(swapping, "swap-linked");
    if (store_write_stub(dir, n, err) != 0)
        return -1;
    swap_kill_point(swapping, "swap-installed");
    static const char *const merged[] = { STORE_SWAP_SHARD, STORE_SWAP_TEXT };
    static const char *const built[] = { STORE_BUILD_DIR };
    const char *const *names = swapping == SWAP_BUILD ? built : merged;
    for (size_t k = 0; k < (swapping == SWAP_BUILD ? 1u : 2u) && !renamed; k++) {
        snprintf(swap, sizeof swap, "%s/%s", dir, names[k]);
        if (store_remove_tree(swap) != 0)
            return ps_err_set(err, PS_IO, "%s: cannot remove it", swap), -1;
    }
    return 0;
}

int store_swap_in(const char *dir, ps_err *err)
{
    if (sync_dir(dir) != 0)
        return ps_err_set(err, PS_IO, "%s: %s", dir, strerror(errno)), -1;
    store_kill_point("swap-begin");
    if (put_stub(dir, STORE_SWAP_STUB, err) != 0)
        return -1;
    store_kill_point("swap-committed");
    return swap_forward(dir, SWAP_MERGE, 1, err);
}

int store_swap_in_build(const char *dir, ps_err *err)
{
    char build[4200];
    snprintf(build, sizeof build, "%s/" STORE_BUILD_DIR, dir);
    int n = store_stub_shards(build, err);
    if (n == 0)
        ps_err_set(err, PS_INDEX, "%s: the new build lists no shards", build);
    if (n <= 0)
        return -1;
    if (sync_dir(build) != 0 || sync_dir(dir) != 0)
        return ps_err_set(err, PS_IO, "%s: %s", build, strerror(errno)), -1;
    swap_kill_point(SWAP_BUILD, "swap-begin");
    if (write_stub_under(dir, STORE_BUILD_DIR "/", n, err) != 0)
        return -1;
    swap_kill_point(SWAP_BUILD, "swap-committed");
    return swap_forward(dir, SWAP_BUILD, n, err);
}

/* Where the swaps of polsearch before the journal put part (i, text) of
 * dir aside: kind 0 old-shardN (a merge), kind 1 shardN.old (a fresh
 * shard's compaction). */
static void aside_path(const char *dir, int i, int text, int kind, char *out, size_t outlen)
{
    const char *part = text ? "text" : "shard";
    if (kind == 0)
        snprintf(out, outlen, "%s/old-%s%d", dir, part, i);
    else
        snprintf(out, outlen, "%s/%s%d.old", dir, part, i);
}

/* Put back, or remove, the parts that an older polsearch's swap moved
 * aside (store_recover says when which).  n is the stub's shard count.
 * Returns 0, or -1 with err set. */
static int restore_aside(const char *dir, int n, ps_err *err)
{
    char path[4200], aside[4200];
    int complete = 1, any = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 2; k++) {
            store_part_path(dir, i, k, path, sizeof path);
            complete &= access(path, F_OK) == 0;
        }
    for (int i = 0; i < STORE_MAX_SHARDS; i++)
        for (int k = 0; k < 4; k++) {
            aside_path(dir, i, k & 1, k >> 1, aside, sizeof aside);
            if (access(aside, F_OK) != 0)
                continue;
            any = 1;
            store_part_path(dir, i, k & 1, path, sizeof path);
            /* Incomplete: what the swap had put in the part's place (if
             * anything) is a merge that never got in, and goes. */
            if (complete ? store_remove_tree(aside) != 0
                         : (access(path, F_OK) == 0 && store_remove_tree(path) != 0) ||
                               rename(aside, path) != 0)
                return ps_err_set(err, PS_IO, "%s: cannot %s this leftover of an older polsearch's "
                                  "interrupted run: %s", aside, complete ? "remove" : "restore",
                                  strerror(errno)), -1;
        }
    if (any && sync_dir(dir) != 0)
        return ps_err_set(err, PS_IO, "%s: %s", dir, strerror(errno)), -1;
    return 0;
}

int store_recover(const char *dir, ps_err *err)
{
    int swapping;
    int n = read_stub(dir, &swapping, NULL);
    if (n > 0 && swapping)
        return swap_forward(dir, swapping, n, err);
    if (n > 0 && restore_aside(dir, n, err) != 0)
        return -1;
    /* Before the commit point, or after the end: what lies under the swap
     * names (or under those of older polsearch versions' compactions) is
     * a merge that did not get in, or one already installed. */
    static const char *const leftovers[] = { STORE_SWAP_SHARD, STORE_SWAP_TEXT, "compacting",
                                             "compacting-text", "shard0.compacting",
                                             "text0.compacting", STORE_STUB_NAME ".tmp",
                                             STORE_BUILD_DIR };
    char path[4200];
    for (size_t i = 0; i < sizeof leftovers / sizeof *leftovers; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, leftovers[i]);
        if (access(path, F_OK) == 0 && store_remove_tree(path) != 0)
            return ps_err_set(err, PS_IO, "%s: cannot remove this leftover of an interrupted run",
                              path), -1;
    }
    return 0;
}

/* Check that an open shard or database carries our format and tokenizer
 * metadata.  Returns 0, or -1 with the error (PS_INDEX) in *err. */
static int store_check_format(xs_db *db, const char *name, ps_err *err)
{
    ps_err xerr = PS_ERR_INIT;
    char *fmt = NULL, *tok = NULL;
    size_t flen = 0, tlen = 0;
    if (xs_db_get_metadata(db, STORE_FORMAT_KEY, &fmt, &flen, &xerr) != PS_OK ||
        xs_db_get_metadata(db, STORE_TOKENIZER_KEY, &tok, &tlen, &xerr) != PS_OK) {
        char what[600];
        snprintf(what, sizeof what, "cannot read the index: %s", xerr.msg);
        ps_err_damaged_by(err, xerr.code, PS_DAMAGED_IF_IT, name, name, what);
        free(fmt);
        return -1;
    }
    int rc = 0;
    if (flen == 0) {
        rc = ps_err_damaged(err, PS_DAMAGED_REBUILD, name, name,
                            "not a polsearch index, or a damaged one (no format record)");
    } else if (strcmp(fmt, STORE_FORMAT) != 0) {
        char what[300];
        snprintf(what, sizeof what, "index format %.100s, but this polsearch reads format %s", fmt,
                 STORE_FORMAT);
        rc = ps_err_damaged(err, PS_DAMAGED_REBUILD, name, name, what);
    } else if (strcmp(tok, STORE_TOKENIZER) != 0) {
        char what[400];
        snprintf(what, sizeof what, "built with tokenizer settings '%.150s', but this polsearch uses '%s'",
                 tok, STORE_TOKENIZER);
        rc = ps_err_damaged(err, PS_DAMAGED_REBUILD, name, name, what);
    }
    free(fmt);
    free(tok);
    return rc ? -1 : 0;
}

/* --- text chunks ------------------------------------------------------------ */

int store_block_add(text_block *b, const char *data, size_t len)
{
    if (buf_put_varint(&b->bytes, len) != 0 || (len && buf_append(&b->bytes, data, len) != 0))
        return -1;
    b->n++;
    return 0;
}

size_t store_block_entry_size(size_t len)
{
    size_t n = 1;                   /* LEB128: 7 bits a byte (buf_put_varint) */
    for (uint64_t v = len >> 7; v; v >>= 7)
        n++;
    return n + len;
}

int store_block_entry(const char *data, size_t len, unsigned e, const char **entry, size_t *elen)
{
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    for (unsigned k = 0; p < end; k++) {
        uint64_t n;
        if (buf_get_varint(&p, end, &n) != 0 || n > (uint64_t)(end - p))
            return -1;
        if (k == e) {
            *entry = (const char *)p;
            *elen = (size_t)n;
            return 0;
        }
        p += n;
    }
    return -1;
}

/* The n bytes at bytes as 2n lower-case hex digits into out (2n + 1 bytes). */
static void hex_of(const char *bytes, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", (unsigned char)bytes[i]);
}

void store_loc_make(const char *vid, unsigned chunk, unsigned entry, char loc[STORE_LOC_LEN])
{
    uint64_t v = strtoull(vid, NULL, 16);
    for (int i = 0; i < 8; i++)
        loc[i] = (char)(v >> (56 - 8 * i));
    loc[8] = (char)(chunk >> 8);
    loc[9] = (char)chunk;
    loc[10] = (char)entry;
}

void store_chunk_term(const char *vid, unsigned chunk, char term[STORE_CHUNK_TERM_LEN + 1])
{
    snprintf(term, STORE_CHUNK_TERM_LEN + 1, STORE_CHUNK_PREFIX "%.16s%04x", vid, chunk & 0xffffu);
}

#define CHUNK_CACHE 8                /* text chunks kept with a handle */

/* What store_open_read attaches to a handle: the chunks read last. */
typedef struct chunk_cache {
    char      term[CHUNK_CACHE][STORE_CHUNK_TERM_LEN + 1]; /* each chunk's term, "" when free */
    char     *data[CHUNK_CACHE];     /* its data (malloc'd) */
    size_t    len[CHUNK_CACHE];      /* its length */
    unsigned  next;                  /* the slot the next chunk takes */
} chunk_cache;

/* xs_db_attach's free function for a chunk_cache. */
static void chunk_cache_free(void *p)
{
    chunk_cache *c = p;
    if (!c)
        return;
    for (int i = 0; i < CHUNK_CACHE; i++)
        free(c->data[i]);
    free(c);
}

/* Entry `entry` of the chunk named term, from db's cache or read into it;
 * a copy in *data.  Returns PS_OK or an error code with err set. */
static int chunk_entry(xs_db *db, const char *term, unsigned entry, char **data, size_t *len,
                       ps_err *err)
{
    chunk_cache *c = xs_db_attached(db);
    if (!c) {
        if (!(c = calloc(1, sizeof *c)))
            return ps_err_nomem(err);
        xs_db_attach(db, c, chunk_cache_free);
    }
    int slot = -1;
    for (int i = 0; i < CHUNK_CACHE && slot < 0; i++)
        if (strcmp(c->term[i], term) == 0)
            slot = i;
    if (slot < 0) {
        unsigned docid = 0;
        char *cd = NULL;
        size_t cl = 0;
        int rc = xs_db_term_docid(db, term, STORE_CHUNK_TERM_LEN, &docid, err);
        if (rc != PS_OK)
            return rc;
        if (docid == 0)
            return ps_err_set(err, PS_INDEX, "text chunk %s is missing", term);
        if ((rc = xs_db_doc_data(db, docid, &cd, &cl, err)) != PS_OK)
            return rc;
        slot = (int)c->next;
        c->next = (c->next + 1) % CHUNK_CACHE;
        free(c->data[slot]);
        c->data[slot] = cd;
        c->len[slot] = cl;
        memcpy(c->term[slot], term, STORE_CHUNK_TERM_LEN + 1);
    }
    const char *e;
    size_t elen;
    if (store_block_entry(c->data[slot], c->len[slot], entry, &e, &elen) != 0)
        return ps_err_set(err, PS_INDEX, "text chunk %s has no entry %u", term, entry);
    char *copy = malloc(elen + 1);
    if (!copy)
        return ps_err_nomem(err);
    memcpy(copy, e, elen);
    copy[elen] = '\0';
    *data = copy;
    *len = elen;
    return PS_OK;
}

/* Entry `entry` of the chunk that the place loc (STORE_LOC_LEN bytes)
 * names, as chunk_entry gives it. */
static int loc_entry(xs_db *db, const char *loc, unsigned entry, char **data, size_t *len,
                     ps_err *err)
{
    const unsigned char *u = (const unsigned char *)loc;
    char vid[17], term[STORE_CHUNK_TERM_LEN + 1];
    hex_of(loc, 8, vid);
    store_chunk_term(vid, (unsigned)u[8] << 8 | u[9], term);
    return chunk_entry(db, term, entry, data, len, err);
}

int store_loc_data(xs_db *db, const char *loc, size_t loclen, char **data, size_t *len,
                   ps_err *err)
{
    *data = NULL;
    if (loclen != STORE_LOC_LEN)
        return ps_err_set(err, PS_INDEX, "a paragraph without its place in the text chunks");
    return loc_entry(db, loc, (unsigned char)loc[10], data, len, err);
}

/* Entry e of chunk term, decoded: 1 with its data in *data (malloc'd)
 * and its paragraph number in *num, 0 when there is no such paragraph
 * record (nothing to free). */
static int entry_para(xs_db *db, const char *term, unsigned e, char **data, size_t *len, unsigned *num)
{
    para_rec r;
    ps_err ignored = PS_ERR_INIT;
    if (chunk_entry(db, term, e, data, len, &ignored) == PS_OK && store_rec_decode(*data, *len, &r) == 0) {
        *num = r.paragraph;
        return 1;
    }
    free(*data);
    *data = NULL;
    return 0;
}

/* Chunk by chunk: its first record's number says whether the paragraph
 * may lie in it, and where when the numbers run on (records follow in
 * paragraph order); else the chunk is searched entry by entry (its
 * entries are in the chunk cache by then). */
int store_para_data(xs_db *db, const char *vid, unsigned paragraph, char **data, size_t *len, ps_err *err)
{
    *data = NULL;
    for (unsigned chunk = 0; chunk < 0x10000; chunk++) {
        char term[STORE_CHUNK_TERM_LEN + 1];
        unsigned docid = 0, first, num;
        store_chunk_term(vid, chunk, term);
        if (xs_db_term_docid(db, term, STORE_CHUNK_TERM_LEN, &docid, err) != PS_OK)
            return -1;
        if (docid == 0)
            return 0;               /* past the last chunk */
        if (!entry_para(db, term, 1, data, len, &first))
            continue;
        if (first == paragraph)
            return 1;
        free(*data);
        *data = NULL;
        if (first > paragraph)
            return 0;
        if (paragraph - first < STORE_CHUNK_ENTRIES) {
            if (entry_para(db, term, 1 + (paragraph - first), data, len, &num) && num == paragraph)
                return 1;
            free(*data);
            *data = NULL;
        }
        for (unsigned e = 2; e <= STORE_CHUNK_ENTRIES && entry_para(db, term, e, data, len, &num); e++) {
            if (num == paragraph)
                return 1;
            free(*data);
            *data = NULL;
            if (num > paragraph)
                return 0;
        }
    }
    return 0;
}

int store_file_data(xs_db *db, const char *vid, char **data, size_t *len, ps_err *err)
{
    char term[STORE_CHUNK_TERM_LEN + 1];
    *data = NULL;
    store_chunk_term(vid, 0, term);
    return chunk_entry(db, term, 0, data, len, err);
}

/* See store.h.  Each entry is copied out of its chunk into a buffer of its
 * own, NUL-terminated as the decoders want it. */
int store_each_para(xs_db *db, const char *vid, int (*fn)(void *ctx, const para_rec *r), void *ctx,
                    ps_err *err)
{
    buf info = BUF_INIT, entry = BUF_INIT;
    para_rec file;
    int rc = 0;
    memset(&file, 0, sizeof file);
    for (unsigned chunk = 0; rc == 0 && chunk <= 0xffffu; chunk++) {
        char term[STORE_CHUNK_TERM_LEN + 1], *cd = NULL;
        unsigned docid = 0;
        size_t cl = 0;
        store_chunk_term(vid, chunk, term);
        if (xs_db_term_docid(db, term, STORE_CHUNK_TERM_LEN, &docid, err) != PS_OK) {
            rc = -1;
            break;
        }
        if (docid == 0 && chunk == 0)
            rc = (ps_err_set(err, PS_INDEX, "text chunk %s is missing", term), -1);
        if (docid == 0)
            break;
        if (xs_db_doc_data(db, docid, &cd, &cl, err) != PS_OK) {
            rc = -1;
            break;
        }
        const char *e;
        size_t elen;
        for (unsigned k = 0; rc == 0 && store_block_entry(cd, cl, k, &e, &elen) == 0; k++) {
            buf *to = k == 0 ? &info : &entry;
            if (k == 0 && chunk > 0)
                continue;           /* the file record again */
            buf_clear(to);
            if (buf_append(to, e, elen) != 0 || !to->data) {
                rc = (ps_err_nomem(err), -1);
            } else if (k == 0) {
                if (store_fileinfo_decode(info.data, info.len, &file) != 0)
                    rc = (ps_err_set(err, PS_INDEX, "text chunk %s does not begin with its file record", term), -1);
            } else {
                para_rec r = file;
                if (store_rec_decode(entry.data, entry.len, &r) == 0)
                    rc = fn(ctx, &r);
            }
        }
        free(cd);
    }
    buf_free(&info);
    buf_free(&entry);
    return rc;
}

/* Say in *err why a local index directory cannot be opened, in the user's
 * terms (xerr: what Xapian said). */
static void explain_local(const char *dir, const ps_err *xerr, ps_err *err)
{
    struct stat st;
    char stub[4096], what[600];
    snprintf(stub, sizeof stub, "%s/" STORE_STUB_NAME, dir);
    if (stat(dir, &st) != 0) {
        ps_err_set(err, PS_INDEX, "%s: no index here (%s); build one with 'polsearch index -d %s'",
                   dir, strerror(errno), dir);
    } else if (!S_ISDIR(st.st_mode)) {
        ps_err_set(err, PS_INDEX, "%s: not a polsearch index (not a directory)", dir);
    } else if (stat(stub, &st) != 0) {
        ps_err_set(err, PS_INDEX, "%s: not a polsearch index (no XAPIANDB); build one with "
                   "'polsearch index -d %s'", dir, dir);
    } else {
        if (xerr->code == PS_INDEX || xerr->code == PS_VERSION)
            snprintf(what, sizeof what, "the index is damaged or from another version (%s)", xerr->msg);
        else
            snprintf(what, sizeof what, "cannot open the index: %s", xerr->msg);
        ps_err_damaged_by(err, xerr->code, PS_DAMAGED_REBUILD, dir, dir, what);
    }
}

xs_db *store_open_read(const char *const *dirs, size_t n, unsigned timeout_ms, ps_err *err)
{
    ps_err xerr = PS_ERR_INIT;
    if (timeout_ms == 0)
        timeout_ms = STORE_REMOTE_TIMEOUT_MS;
    /* With several indexes each is opened and checked on its own (Xapian
     * reads metadata from the first database only), then the open handles
     * are combined, so no index (no remote server) is connected to twice. */
    if (n > 1) {
        xs_db **each = calloc(n, sizeof *each);
        xs_db *all = NULL;
        size_t opened = 0;
        if (!each) {
            ps_err_nomem(err);
            return NULL;
        }
        for (; opened < n; opened++)
            if (!(each[opened] = store_open_read(&dirs[opened], 1, timeout_ms, err)))
                break;
        if (opened == n && !(all = xs_db_combine(each, n, &xerr)))
            ps_err_set(err, xerr.code, "cannot open the indexes: %s", xerr.msg);
        if (all)
            xs_db_set_sort_slot(all, STORE_SLOT_KEY);
        for (size_t i = 0; i < opened; i++)
            xs_db_close(each[i]);
        free(each);
        return all;
    } else if (strncmp(dirs[0], "tcp://", 6) != 0) {
        struct stat st;
        char stub[4096];
        snprintf(stub, sizeof stub, "%s/" STORE_STUB_NAME, dirs[0]);
        if (stat(stub, &st) != 0) {
            xerr.code = PS_OPENING;
            explain_local(dirs[0], &xerr, err);
            return NULL;
        }
    }
    xs_db *db = xs_db_open(dirs, n, timeout_ms, &xerr);
    if (!db) {
        if (n == 1 && strncmp(dirs[0], "tcp://", 6) != 0)
            explain_local(dirs[0], &xerr, err);
        else if (n == 1)
            ps_err_set(err, xerr.code, "%s: %s", dirs[0], xerr.msg);
        else
            ps_err_set(err, xerr.code, "cannot open the indexes: %s", xerr.msg);
        return NULL;
    }
    if (n == 1 && store_check_format(db, dirs[0], err) != 0) {
        xs_db_close(db);
        return NULL;
    }
    xs_db_set_sort_slot(db, STORE_SLOT_KEY);
    return db;
}

/* The lock is an fcntl lock, so it dies with its process (SIGKILL too). */
int store_lock(const char *dir, int wait, ps_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/" STORE_LOCK_NAME, dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        ps_err_set(err, PS_IO, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    if (fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl) != 0) {
        struct flock who = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
        if (fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK)
            ps_err_set(err, PS_LOCKED, "%s is being updated by another process (pid %ld); use --wait to wait for it",
                       dir, (long)who.l_pid);
        else
            ps_err_set(err, PS_IO, "%s: cannot lock: %s", dir, strerror(errno));
        close(fd);
        return -1;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || write(fd, pid, (size_t)n) != n) {
        /* the pid is a courtesy; the lock itself is what counts */
    }
    return fd;
}


/* The cache key of file version vid (16 hex digits): its value, 1 for 0
 * (0 marks a free slot). */
static uint64_t file_slot_key(const char *vid)
{
    uint64_t key = strtoull(vid, NULL, 16);
    return key ? key : 1;
}

/* The slot of file version vid in fc: its entry, or the free slot where
 * it goes (key 0: the caller fills it, sets key and counts it in fc->n).
 * NULL with err set when out of memory. */
static file_entry *file_slot(file_cache *fc, const char *vid, ps_err *err)
{
    uint64_t key = file_slot_key(vid);
    if (fc->n * 2 >= fc->cap) {
        size_t cap = fc->cap ? fc->cap * 2 : 64; /* house: a hash rehashed into a new table */
        file_entry *slots = calloc(cap, sizeof *slots);
        if (!slots) {
            ps_err_nomem(err);
            return NULL;
        }
        for (size_t i = 0; i < fc->cap; i++)
            if (fc->slots[i].key) {
                size_t k = fc->slots[i].key & (cap - 1);
                while (slots[k].key)
                    k = (k + 1) & (cap - 1);
                slots[k] = fc->slots[i];
            }
        free(fc->slots);
        fc->slots = slots;
        fc->cap = cap;
    }
    size_t k = key & (fc->cap - 1);
    while (fc->slots[k].key && fc->slots[k].key != key)
        k = (k + 1) & (fc->cap - 1);
    return &fc->slots[k];
}

/* A paragraph whose file document is missing: show what we can. */
static void no_info(para_rec *info)
{
    info->file = info->canon = info->title = info->date = "";
    info->issuer = info->docno = info->proposal = info->format = "";
}

/* Copy the file fields of info into rec. */
static void fill_file_fields(para_rec *rec, const para_rec *info)
{
    rec->file = info->file;
    rec->canon = info->canon;
    rec->title = info->title;
    rec->date = info->date;
    rec->issuer = info->issuer;
    rec->docno = info->docno;
    rec->proposal = info->proposal;
    rec->format = info->format;
}

int store_file_lookup(file_cache *fc, xs_db *db, para_rec *rec, const char *loc, size_t loclen,
                      ps_err *err)
{
    file_entry *e = file_slot(fc, rec->file_key, err);
    if (!e)
        return -1;
    if (!e->key) {
        size_t len = 0;
        ps_err own = PS_ERR_INIT;       /* a failure here only sends us to the first chunk */
        int decoded = loc && loclen == STORE_LOC_LEN &&
                      loc_entry(db, loc, 0, &e->data, &len, &own) == PS_OK &&
                      store_fileinfo_decode(e->data, len, &e->info) == 0;
        if (!decoded) {
            /* No place, or a chunk that does not begin with the record. */
            free(e->data);
            e->data = NULL;
            if (store_file_data(db, rec->file_key, &e->data, &len, err) != PS_OK)
                return -1;
        }
        if (!decoded && store_fileinfo_decode(e->data, len, &e->info) != 0)
            no_info(&e->info);
        e->key = file_slot_key(rec->file_key);
        fc->n++;
    }
    fill_file_fields(rec, &e->info);
    return 0;
}

int store_file_info(file_cache *fc, xs_db *db, const char *vid, para_rec *rec, ps_err *err)
{
    file_entry *e = file_slot(fc, vid, err);
    if (!e)
        return -1;
    if (!e->key) {
        char term[19];
        unsigned docid = 0;
        size_t len = 0;
        ps_err own = PS_ERR_INIT;   /* a failure here only sends us to the first chunk */
        store_filedoc_term(vid, term);
        int decoded = !xs_db_is_remote(db) && xs_db_term_docid(db, term, strlen(term), &docid, &own) == PS_OK &&
                      docid && xs_db_doc_data(db, docid, &e->data, &len, &own) == PS_OK &&
                      store_fileinfo_decode(e->data, len, &e->info) == 0;
        if (!decoded) {
            free(e->data);
            e->data = NULL;
            if (store_file_data(db, vid, &e->data, &len, err) != PS_OK)
                return -1;
            if (store_fileinfo_decode(e->data, len, &e->info) != 0)
                no_info(&e->info);
        }
        e->key = file_slot_key(vid);
        fc->n++;
    }
    fill_file_fields(rec, &e->info);
    return 0;
}

void file_cache_free(file_cache *fc)
{
    for (size_t i = 0; i < fc->cap; i++)
        free(fc->slots[i].data);
    free(fc->slots);
    fc->slots = NULL;
    fc->cap = fc->n = 0;
}

/* Ours: the stub (and its temporary file), the lock, a shard (a glass
 * database) and .gitkeep (the repository's empty index/ holds one). */
int store_foreign_dir(const char *dir, ps_err *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        return ps_err_set(err, PS_IO, "%s: %s", dir, strerror(errno)), -1;
    }
    int foreign = 0;
    struct dirent *e;
    while (!foreign && (e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, ".gitkeep") ||
            !strcmp(n, STORE_LOCK_NAME) || !strcmp(n, STORE_STUB_NAME) ||
            !strcmp(n, STORE_STUB_NAME ".tmp"))
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

int store_remove_tree(const char *path)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execlp("rm", "rm", "-rf", "--", path, (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

void store_read_error(ps_err *err, const char *name, const ps_err *xerr)
{
    if (xerr->code == PS_INDEX || xerr->code == PS_XAPIAN)
        ps_err_damaged(err, PS_DAMAGED, name, NULL, xerr->msg);
    else if (xerr->code == PS_MODIFIED)
        /* Still "modified" after a reopen: a writer is very busy, or a
         * damaged block reads as a revision that does not exist. */
        ps_err_damaged(err, PS_DAMAGED_UNLESS_WRITTEN, name, NULL, xerr->msg);
    else
        ps_err_set(err, xerr->code, "%s: %s", name, xerr->msg);
}

/* allterms callback: count a content term (prefixed terms, XF.., K..,
 * start with a capital; content terms never do). */
static int count_content_term(void *ctx, const char *term, size_t len, uint64_t freq)
{
    store_summary *s = ctx;
    (void)freq;
    if (len && !(term[0] >= 'A' && term[0] <= 'Z'))
        s->terms++;
    return 0;
}

/* What store_summarise's metadata_each hands a file record to. */
typedef struct rec_sink {
    int  (*fn)(void *ctx, file_rec *f); /* the caller's callback */
    void  *ctx;                      /* its context */
} rec_sink;

/* metadata_each callback: decode a file record and pass it on (a damaged
 * one is left out).  Non-zero (out of memory: fn's, or the decoding's)
 * stops the walk. */
static int pass_rec(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    rec_sink *sink = ctx;
    file_rec f;
    ps_err derr = PS_ERR_INIT;
    (void)key; (void)klen;
    if (store_filerec_decode(val, vlen, &f, &derr) != 0)
        return derr.code == PS_NOMEM;  /* out of memory stops the walk (PS_NOMEM) */
    return sink->fn(sink->ctx, &f);
}

/* The decimal number under key in db's metadata, 0 when there is none. */
static unsigned long long meta_number(xs_db *db, const char *key)
{
    char *v = NULL;
    size_t vlen;
    unsigned long long n = 0;
    if (xs_db_get_metadata(db, key, &v, &vlen, NULL) == PS_OK && v)
        n = strtoull(v, NULL, 10);
    free(v);
    return n;
}

/* The shards' part of store_summarise: file records (to fn), dead
 * counts, update times, the lexicon's fingerprint, the shard count.
 * Returns 0, or -1 with err set. */
static int summarise_shards(const char *dir, store_summary *s, int (*fn)(void *ctx, file_rec *f), void *ctx,
                            ps_err *err)
{
    ps_err xerr = PS_ERR_INIT;
    int rc = 0;
    s->shards = store_shard_count(dir);
    rec_sink sink = { fn, ctx };
    for (int i = 0; rc == 0 && i < s->shards; i++) {
        char path[4200];
        store_listed_path(dir, i, 0, path, sizeof path);
        const char *p = path;
        xs_db *shard = xs_db_open(&p, 1, 0, &xerr);
        if (!shard || xs_db_metadata_each(shard, STORE_FILEREC_PREFIX, pass_rec, &sink, &xerr) != PS_OK) {
            rc = -1;
            ps_err_damaged_by(err, xerr.code, PS_DAMAGED_IF, path, dir, xerr.msg);
        }
        if (shard) {
            long long u = (long long)meta_number(shard, STORE_UPDATED_KEY);
            if (u > s->updated)
                s->updated = u;
            s->dead += meta_number(shard, STORE_DEAD_KEY);
            char *lex = NULL;
            size_t llen = 0;
            if (i == 0 && xs_db_get_metadata(shard, STORE_LEXICON_KEY, &lex, &llen, NULL) == PS_OK && lex)
                snprintf(s->lexicon, sizeof s->lexicon, "%s", lex);
            free(lex);
        }
        xs_db_close(shard);
    }
    return rc;
}

/* What store_find_file's scan compares: the path asked for, and the
 * record found. */
typedef struct find_sink {
    const char *path;                /* the path as asked ("./" removed) */
    const char *canon;               /* its canonical path, or "" */
    file_rec   *out;                 /* where a match goes */
    int         found;               /* 1 once out holds the match */
} find_sink;

/* store_find_file's scan: keep f when it is the file asked for. */
static int find_rec(void *ctx, file_rec *f)
{
    find_sink *fs = ctx;
    if (!fs->found && (!strcmp(f->path, fs->path) ||
                       (!strncmp(f->path, "./", 2) && !strcmp(f->path + 2, fs->path)) ||
                       (fs->canon[0] && f->canon && !strcmp(f->canon, fs->canon)))) {
        *fs->out = *f;
        fs->found = 1;
        return 0;
    }
    file_rec_free(f);
    return 0;
}

/* The file record is looked up by key in each shard (the hash of the
 * canonical path, then of the path as given), then by a scan of the
 * records, which finds a path as indexed when the file is gone. */
int store_find_file(const char *dir, const char *path, file_rec *out, ps_err *err)
{
    char canon[4096], key[18];
    if (walk_canonical_path(path, canon, sizeof canon) != 0)
        canon[0] = '\0';
    if (!strncmp(path, "./", 2))
        path += 2;
    int n = store_stub_shards(dir, err);
    if (n < 0)
        return -1;
    find_sink fs = { path, canon, out, 0 };
    for (int i = 0; i < n && !fs.found; i++) {
        char spath[4200];
        ps_err xerr = PS_ERR_INIT;
        store_listed_path(dir, i, 0, spath, sizeof spath);
        const char *p = spath;
        xs_db *shard = xs_db_open(&p, 1, 0, &xerr);
        if (!shard) {
            ps_err_damaged_by(err, xerr.code, PS_DAMAGED_IF, spath, dir, xerr.msg);
            return -1;
        }
        for (int k = 0; k < 2 && !fs.found; k++) {
            char *v = NULL;
            size_t vlen = 0;
            if (k == 0 && !canon[0])
                continue;
            store_file_key(k == 0 ? canon : path, key);
            if (xs_db_get_metadata(shard, key, &v, &vlen, &xerr) == PS_OK && v && vlen) {
                file_rec f;
                ps_err derr = PS_ERR_INIT;
                if (store_filerec_decode(v, vlen, &f, &derr) == 0)
                    find_rec(&fs, &f);
                else if (derr.code == PS_NOMEM) {
                    free(v);
                    xs_db_close(shard);
                    return ps_err_nomem(err), -1;
                }
            }
            free(v);
        }
        if (!fs.found && xs_db_metadata_each(shard, STORE_FILEREC_PREFIX, pass_rec,
                                             &(rec_sink){ find_rec, &fs }, &xerr) != PS_OK) {
            ps_err_damaged_by(err, xerr.code, PS_DAMAGED_IF, spath, dir, xerr.msg);
            xs_db_close(shard);
            return -1;
        }
        xs_db_close(shard);
    }
    return fs.found;
}

void store_close(xs_db *db)
{
    xs_db_close(db);
}

/* See store.h: the records live in each shard's metadata (Xapian reads
 * metadata from the first database of a stub only). */
int store_each_filerec(const char *dir, int (*fn)(void *ctx, file_rec *f), void *ctx, ps_err *err)
{
    store_summary s;
    memset(&s, 0, sizeof s);
    return summarise_shards(dir, &s, fn, ctx, err);
}

/* The terms come from the whole index; file records, dead counts and
 * update times live in each shard's metadata. */
int store_summarise(const char *dir, store_summary *s, int (*fn)(void *ctx, file_rec *f), void *ctx,
                    ps_err *err)
{
    ps_err xerr = PS_ERR_INIT;
    xs_db *db = store_open_read(&dir, 1, 0, err);
    if (!db)
        return -1;
    char *upd = NULL;
    size_t ulen = 0;
    int rc = xs_db_allterms(db, NULL, count_content_term, s, &xerr) == PS_OK &&
             xs_db_get_metadata(db, STORE_UPDATED_KEY, &upd, &ulen, &xerr) == PS_OK ? 0 : -1;
    if (rc != 0)
        ps_err_damaged_by(err, xerr.code, PS_DAMAGED_IF, dir, dir, xerr.msg);
    s->updated = upd ? atoll(upd) : 0;
    free(upd);
    xs_db_close(db);
    return rc == 0 ? summarise_shards(dir, s, fn, ctx, err) : -1;
}

/* Open and close: store_open_read says everything that can be wrong. */
int store_check_index(const char *dir, ps_err *err)
{
    xs_db *check = store_open_read(&dir, 1, 0, err);
    if (!check)
        return -1;
    xs_db_close(check);
    return 0;
}

/* Pages of matches keep memory bounded however many documents match. */
int store_each_live(xs_db *db, const store_query *q, unsigned page,
                    int (*fn)(void *ctx, char *data, size_t len), void *ctx, ps_err *err)
{
    int rc = 0;
    for (unsigned first = 0; rc == 0; first += page) {
        xs_mset *m = store_enquire(db, q, first, page, 0, NULL, err);
        if (!m)
            return -1;
        size_t n = xs_mset_size(m);
        for (size_t i = 0; i < n && rc == 0; i++) {
            char *data = NULL;
            size_t len;
            char key[STORE_KEY_LEN];
            int rc2 = store_item_key(m, i, key, err) == 0 ? PS_OK : PS_INDEX;
            if (rc2 == PS_OK)
                rc2 = store_loc_data(db, key + STORE_COPY_KEY_LEN, STORE_LOC_LEN, &data, &len, err);
            if (rc2 != PS_OK) {
                free(data);
                rc = -1;
            } else {
                rc = fn(ctx, data, len);
            }
        }
        xs_mset_free(m);
        if (n < page)
            break;
    }
    return rc;
}

/* Each index is tried alone first, so that one that does not answer is
 * named and the others still searched. */
xs_db *store_open_some(const char **dirs, size_t *n, unsigned timeout_ms, int partial,
                       buf *left_out, ps_err *err)
{
    if (partial && *n > 1) {
        size_t kept = 0;
        for (size_t i = 0; i < *n; i++) {
            ps_err one_err = PS_ERR_INIT;
            xs_db *one = store_open_read(&dirs[i], 1, timeout_ms, &one_err);
            if (!one) {
                if (buf_eprintf(err, left_out, "%s\n", one_err.msg) != 0)
                    return NULL;
                continue;
            }
            xs_db_close(one);
            dirs[kept++] = dirs[i];
        }
        if (kept == 0)
            return ps_err_set(err, PS_INDEX, "none of the indexes could be opened"), NULL;
        *n = kept;
    }
    return store_open_read(dirs, *n, timeout_ms, err);
}

int store_item_key(xs_mset *m, size_t i, char key[STORE_KEY_LEN], ps_err *err)
{
    char *v = NULL;
    size_t vlen = 0;
    int rc = xs_mset_sort_key(m, i, &v, &vlen, err) != PS_OK ? -1 : 0;
    if (rc == 0 && vlen != STORE_KEY_LEN)
        rc = (ps_err_set(err, PS_INDEX, "a document without its copy key and place"), -1);
    if (rc == 0)
        memcpy(key, v, STORE_KEY_LEN);
    free(v);
    return rc;
}

/* A paragraph record's file fields live in its file's record, which
 * begins its chunk. */
int store_read_match(xs_mset *m, size_t i, file_cache *fc, xs_db *db, char **data,
                     para_rec *rec, char *key_out, ps_err *err)
{
    size_t len = 0;
    char key[STORE_KEY_LEN];
    const char *loc = key + STORE_COPY_KEY_LEN;
    *data = NULL;
    if (store_item_key(m, i, key, err) != 0 ||
        store_loc_data(db, loc, STORE_LOC_LEN, data, &len, err) != PS_OK) {
        free(*data);
        *data = NULL;
        return -1;
    }
    if (key_out)
        memcpy(key_out, key, STORE_KEY_LEN);
    int rc = 1;
    if (store_rec_decode(*data, len, rec) != 0) {
        rc = 0;
    } else if (store_file_lookup(fc, db, rec, loc, STORE_LOC_LEN, err) != 0) {
        err->code = PS_INDEX;       /* whatever Xapian said, the index lacks what it must hold */
        rc = -1;
    }
    if (rc <= 0) {
        free(*data);
        *data = NULL;
    }
    return rc;
}

void store_copy_terms(const char *key, char terms[2][STORE_COPY_TERM_SIZE])
{
    char hex[2 * STORE_COPY_KEY_LEN + 1];
    hex_of(key, STORE_COPY_KEY_LEN, hex);
    snprintf(terms[0], STORE_COPY_TERM_SIZE, STORE_COPY_PREFIX "%.*s", STORE_COPY_BUCKET_DIGITS, hex);
    snprintf(terms[1], STORE_COPY_TERM_SIZE, STORE_COPY_PREFIX2 "%.*s", STORE_COPY_BUCKET_DIGITS,
             hex + STORE_COPY_BUCKET_DIGITS);
}

xs_query *store_copy_query(const char *key, size_t klen, ps_err *err)
{
    char terms[2][STORE_COPY_TERM_SIZE];
    if (klen != STORE_COPY_KEY_LEN)
        return ps_err_set(err, PS_INDEX, "bad copy key"), NULL;
    store_copy_terms(key, terms);
    xs_query *t[2] = { xs_query_term(terms[0], strlen(terms[0]), 1, err), NULL };
    if (t[0])
        t[1] = xs_query_term(terms[1], strlen(terms[1]), 1, err);
    xs_query *q = t[1] ? xs_query_combine(XS_OP_AND, t, 2, err) : NULL;
    xs_query_free(t[0]);
    xs_query_free(t[1]);
    return q;
}

int store_copy_member(xs_mset *m, size_t i, const char *key, size_t klen, ps_err *err)
{
    char ikey[STORE_KEY_LEN];
    if (store_item_key(m, i, ikey, err) != 0)
        return -1;
    return klen == STORE_COPY_KEY_LEN && memcmp(ikey, key, klen) == 0;
}

/* Xapian counts the buckets' intersection up to two documents; an error
 * means "look". */
static int store_has_copies(xs_db *db, const char *key, size_t klen)
{
    xs_query *q = store_copy_query(key, klen, NULL);
    xs_mset *m = q ? xs_enquire(db, q, 0, 0, 2, NULL, NULL) : NULL;
    uint64_t n = 2;
    if (m)
        xs_mset_counts(m, &n, NULL, NULL);
    xs_mset_free(m);
    xs_query_free(q);
    return n != 1;
}

int store_copies_next(xs_db *db, xs_mset *m, size_t n, size_t i, size_t page, const char *key, size_t *end)
{
    double w;
    xs_mset_item(m, i, NULL, &w);
    /* Equal weights up to rounding: Xapian adds a query's parts in an
     * order of its own in each database, so copies in two databases may
     * differ in the last bits, and other results may come between them. */
    double band = w - 1e-9 * (w > 0 ? w : -w);
    size_t k = i + 1;
    int found = 0;
    for (; k < n; k++) {
        char next[STORE_KEY_LEN];
        double wk;
        xs_mset_item(m, k, NULL, &wk);
        if (wk < band)
            break;
        if (store_item_key(m, k, next, NULL) != 0) {
            *end = 0;               /* cannot tell: the buckets decide */
            return 1;
        }
        found |= memcmp(next, key, STORE_COPY_KEY_LEN) == 0;
    }
    /* The band ends inside the page, or the page holds every match. */
    *end = k < n || n < page ? k : 0;
    if (found)
        return 1;
    return *end == 0 && store_has_copies(db, key, STORE_COPY_KEY_LEN);
}
