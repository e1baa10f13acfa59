/* cmd_stats.c — `polsearch stats`: what an index holds; with --manifest,
 * every indexed file with its checksum and metadata, and what the index
 * was built with (the record a methods section cites). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "cli.h"
#include "digest.h"
#include "lexicon.h"
#include "output.h"
#include "policy.h"
#include "store.h"
#include "stats.h"
#include "tally.h"

enum manifest_style { MF_TEXT, MF_JSON, MF_CSV };

/* The file records of an index, as store_summarise hands them over. */
typedef struct rec_list {
    file_rec *v;                     /* the records */
    size_t    n;                     /* records held */
    size_t    cap;                   /* allocated */
} rec_list;

/* store_summarise's callback: keep f. */
static int keep_rec(void *ctx, file_rec *f)
{
    rec_list *l = ctx;
    if (buf_grow_array((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != 0) {
        file_rec_free(f);
        return -1;
    }
    l->v[l->n++] = *f;
    return 0;
}

/* qsort order of records: path as indexed. */
static int rec_cmp(const void *a, const void *b)
{
    return strcmp(((const file_rec *)a)->path, ((const file_rec *)b)->path);
}

/* Whether f's file on disk is still what was indexed: "unchanged" (its
 * size and modification time are), "changed" or "missing". */
static const char *on_disk(const file_rec *f)
{
    struct stat st;
    if (stat(f->canon ? f->canon : f->path, &st) != 0)
        return "missing";
    int64_t ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    return (uint64_t)st.st_size == f->size && ns == f->mtime_ns ? "unchanged" : "changed";
}

/* What the manifest says of the lexicon used: the file polsearch reads
 * now and the user's terms on top of it (--terms), their SHA-256s, and
 * whether the fingerprint of the two together is the one the index
 * records (the index was built with `index --terms` the same file). */
typedef struct lexicon_facts {
    char        path[4200];          /* the shipped lexicon's path ($POLSEARCH_LEXICON, beside the program, installed) */
    char        sha256[DIGEST_HEX_SIZE]; /* its SHA-256, or "" when it cannot be read */
    const char *terms;               /* the user's terms file (--terms), or NULL */
    char        terms_sha256[DIGEST_HEX_SIZE]; /* its SHA-256 ("" without terms) */
    char        fingerprint[17];     /* the fingerprint of the lexicon with the terms (lex_fingerprint), or "" */
    int         as_indexed;          /* 1 when that is the index's (STORE_LEXICON_KEY) */
} lexicon_facts;

/* Fill *lf for an index whose lexicon fingerprint is indexed ("" if
 * none), with the user's terms file terms (NULL: none).  A shipped
 * lexicon that cannot be read leaves its fields "" (the manifest says
 * so); a terms file that cannot be read or built is an error.  Returns 0,
 * or -1 with err set ("FILE: reason", "FILE:LINE: reason"). */
static int lexicon_facts_of(const char *indexed, const char *terms, lexicon_facts *lf, ps_err *err)
{
    ps_err ignored = PS_ERR_INIT;
    memset(lf, 0, sizeof *lf);
    lf->terms = terms;
    if (terms && digest_sha256_file(terms, lf->terms_sha256, err) != 0)
        return -1;
    if (policy_default_path(lf->path, sizeof lf->path) != 0 || digest_sha256_file(lf->path, lf->sha256, &ignored) != 0)
        return terms ? (ps_err_set(err, PS_IO, "%s: the policy lexicon is missing (set POLSEARCH_LEXICON or "
                                   "reinstall)", lf->path), -1) : 0;
    lexicon *lx = policy_load(terms, terms ? err : &ignored);
    if (!lx && terms)
        return -1;
    if (lx)
        snprintf(lf->fingerprint, sizeof lf->fingerprint, "%08x", (unsigned)lex_fingerprint(lx));
    lex_free(lx);
    lf->as_indexed = lf->fingerprint[0] && !strcmp(lf->fingerprint, indexed);
    return 0;
}

/* One file of the manifest: its record and its file document's fields. */
typedef struct manifest_row {
    const file_rec *f;               /* its record */
    para_rec        info;            /* title, date, issuer, docno (pointing into data) */
    char           *data;            /* the file document (malloc'd), or NULL */
    char            region[256];     /* 省/市/县 or "unknown" (tally_dim_value) */
    ps_region       reg;             /* the same, by level */
} manifest_row;

/* The file document of f from db into *r ("" fields when it cannot be read). */
static void manifest_row_of(xs_db *db, const file_rec *f, manifest_row *r)
{
    ps_err err = PS_ERR_INIT;
    size_t len = 0;
    memset(r, 0, sizeof *r);
    r->f = f;
    if (store_file_data(db, f->vid, &r->data, &len, &err) != PS_OK ||
        store_fileinfo_decode(r->data, len, &r->info) != 0) {
        free(r->data);
        r->data = NULL;
        r->info.file = r->info.title = r->info.date = r->info.issuer = r->info.docno = "";
        r->info.proposal = r->info.format = r->info.canon = "";
    }
    tally_dim_value(TD_REGION, &r->info, r->region, sizeof r->region);
    region_of(&(region_src){ .issuer = r->info.issuer, .title = r->info.title, .docno = r->info.docno }, &r->reg);
}

#define MANIFEST_COLUMNS 21          /* fields of a CSV manifest line */

/* Append row r of the manifest to b in style st (not MF_JSON). */
static int put_row_fields(buf *b, const manifest_row *r, enum manifest_style st, const lexicon_facts *lf)
{
    char size[24], paras[24], code[16] = "";
    const file_rec *f = r->f;
    snprintf(size, sizeof size, "%" PRIu64, f->size);
    snprintf(paras, sizeof paras, "%u", f->paragraphs);
    if (r->reg.code)
        snprintf(code, sizeof code, "%06d", r->reg.code);
    const char *sha = f->sha256[0] ? f->sha256 : st == MF_CSV ? "" : "not recorded";
    char enc[STORE_ENCODING_SHOWN];
    const char *fields[MANIFEST_COLUMNS] = {
        f->path, size, sha, f->sha256[0] ? "yes" : "no", on_disk(f), f->format, store_filerec_encoding(f, enc), paras,
        r->info.title, r->info.date, r->info.issuer, r->info.docno, r->region,
        r->reg.province ? r->reg.province : "", r->reg.city ? r->reg.city : "",
        r->reg.county ? r->reg.county : "", code, STORE_FORMAT, PACKAGE_VERSION, lf->sha256, lf->terms_sha256
    };
    return out_line(b, fields, st == MF_CSV ? MANIFEST_COLUMNS : 13, st == MF_CSV);
}

/* Append row r of the manifest to b as an element of the JSON files array
 * (its opening brace put as it is: b was flushed, the caller puts the comma). */
static int put_row_json(buf *b, const manifest_row *r)
{
    const file_rec *f = r->f;
    const char *const keys[] = { "title", "date", "issuer", "docno" };
    const char *const vals[] = { r->info.title, r->info.date, r->info.issuer, r->info.docno };
    int rc = buf_putc(b, '{') | json_str(b, "file", f->path, strlen(f->path)) |
             json_uint(b, "bytes", f->size) |
             json_str(b, "sha256", f->sha256[0] ? f->sha256 : NULL, strlen(f->sha256)) |
             json_str(b, "checksum", f->sha256[0] ? "recorded" : "not recorded",
                      strlen(f->sha256[0] ? "recorded" : "not recorded"));
    const char *disk = on_disk(f);
    char shown[STORE_ENCODING_SHOWN];
    const char *enc = store_filerec_encoding(f, shown);
    rc |= json_str(b, "on_disk", disk, strlen(disk)) | json_str(b, "format", f->format, strlen(f->format)) |
          json_str(b, "encoding", enc, strlen(enc)) | json_uint(b, "paragraphs", f->paragraphs);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        rc |= json_str(b, keys[i], vals[i][0] ? vals[i] : NULL, strlen(vals[i]));
    return rc | out_json_region(b, "region", &r->reg) | json_close(b, '}');
}

/* Write b to stdout and empty it.  Returns 0, or -1 when stdout failed. */
static int flush_out(buf *b)
{
    int rc = b->len && fwrite(b->data, 1, b->len, stdout) != b->len ? -1 : 0;
    buf_clear(b);
    return rc;
}

/* `stats --manifest`: every file of dir's index, sorted by path, in style
 * st (a CSV with a byte-order mark unless no_bom), the lexicon with the
 * user's terms file terms (NULL: none).  Returns an exit status. */
static int manifest(const char *dir, enum manifest_style st, int no_bom, const char *terms)
{
    ps_err err = PS_ERR_INIT;
    store_summary sum;
    rec_list recs = { NULL, 0, 0 };
    memset(&sum, 0, sizeof sum);
    xs_db *db = NULL;
    if (store_summarise(dir, &sum, keep_rec, &recs, &err) != 0 || !(db = store_open_read(&dir, 1, 0, &err))) {
        ps_msg("%s", err.msg[0] ? err.msg : "out of memory");
        for (size_t i = 0; i < recs.n; i++)
            file_rec_free(&recs.v[i]);
        free(recs.v);
        return EXIT_TROUBLE;
    }
    if (recs.n)
        qsort(recs.v, recs.n, sizeof *recs.v, rec_cmp);
    lexicon_facts lf;
    if (lexicon_facts_of(sum.lexicon, terms, &lf, &err) != 0) {
        ps_msg("%s", err.msg);
        store_close(db);
        for (size_t i = 0; i < recs.n; i++)
            file_rec_free(&recs.v[i]);
        free(recs.v);
        return EXIT_TROUBLE;
    }
    buf b = BUF_INIT;
    int rc = 0;
    size_t unrecorded = 0;
    for (size_t i = 0; i < recs.n; i++)
        unrecorded += !recs.v[i].sha256[0];
    if (st == MF_JSON) {
        rc |= json_open(&b, NULL, '{') | json_str(&b, "index", dir, strlen(dir)) |
              json_str(&b, "index_format", STORE_FORMAT, strlen(STORE_FORMAT)) |
              json_str(&b, "tokenizer", STORE_TOKENIZER, strlen(STORE_TOKENIZER)) |
              json_str(&b, "polsearch", PACKAGE_VERSION, strlen(PACKAGE_VERSION)) |
              json_open(&b, "lexicon", '{') | json_str(&b, "path", lf.path, strlen(lf.path)) |
              json_str(&b, "sha256", lf.sha256[0] ? lf.sha256 : NULL, strlen(lf.sha256)) |
              json_str(&b, "terms_file", terms, terms ? strlen(terms) : 0) |
              json_str(&b, "terms_sha256", terms ? lf.terms_sha256 : NULL, strlen(lf.terms_sha256)) |
              json_str(&b, "fingerprint", lf.fingerprint[0] ? lf.fingerprint : NULL, strlen(lf.fingerprint)) |
              json_str(&b, "index_fingerprint", sum.lexicon[0] ? sum.lexicon : NULL, strlen(sum.lexicon)) |
              json_bool(&b, "as_indexed", lf.as_indexed) | json_close(&b, '}') |
              json_uint(&b, "file_count", recs.n) | json_uint(&b, "checksums_not_recorded", unrecorded) |
              json_open(&b, "files", '[');
    } else if (st == MF_CSV) {
        static const char *const head[MANIFEST_COLUMNS] = {
            "file", "bytes", "sha256", "sha256_recorded", "on_disk", "format", "encoding", "paragraphs",
            "title", "date", "issuer", "docno", "region", "province", "city", "county", "region_code",
            "index_format", "polsearch_version", "lexicon_sha256", "terms_sha256"
        };
        rc |= (no_bom ? 0 : buf_puts(&b, "\xEF\xBB\xBF")) | out_line(&b, head, MANIFEST_COLUMNS, 1);
    } else {
        rc |= buf_printf(&b, "index:       %s (format %s, tokenizer %s)\npolsearch:   %s\n", dir, STORE_FORMAT,
                         STORE_TOKENIZER, PACKAGE_VERSION);
        rc |= buf_printf(&b, "lexicon:     %s sha256 %s (%s)\nfiles:       %zu (checksum not recorded: %zu%s)\n",
                         lf.path, lf.sha256[0] ? lf.sha256 : "unreadable",
                         lf.as_indexed ? "the one the index was built with"
                                       : "NOT the one the index was built with: re-index to use it",
                         recs.n, unrecorded,
                         unrecorded ? ", indexed by an older polsearch: 'polsearch index --full' records them" : "");
        if (terms)
            rc |= buf_printf(&b, "terms:       %s sha256 %s (on top of the lexicon)\n", terms, lf.terms_sha256);
        static const char *const head[] = { "file", "bytes", "sha256", "recorded", "on_disk", "format",
                                            "encoding", "paragraphs", "title", "date", "issuer", "docno",
                                            "region" };
        rc |= out_line(&b, head, sizeof head / sizeof *head, 0);
    }
    rc |= flush_out(&b);
    for (size_t i = 0; i < recs.n && rc == 0; i++) {
        manifest_row r;
        manifest_row_of(db, &recs.v[i], &r);
        if (st == MF_JSON && i > 0)
            rc |= buf_putc(&b, ',');  /* (b was flushed: json_open could not see the element before) */
        rc |= st == MF_JSON ? put_row_json(&b, &r) : put_row_fields(&b, &r, st, &lf);
        rc |= flush_out(&b);
        free(r.data);
    }
    if (st == MF_JSON)
        rc |= buf_puts(&b, "]}\n") | flush_out(&b);
    buf_free(&b);
    store_close(db);
    for (size_t i = 0; i < recs.n; i++)
        file_rec_free(&recs.v[i]);
    free(recs.v);
    if (rc != 0 && errno != EPIPE) {
        ps_msg("writing the manifest: %s", strerror(errno));
        return EXIT_TROUBLE;
    }
    return EXIT_MATCH;
}

int cmd_stats(int argc, char **argv)
{
    const char *dir = NULL;
    const char *terms = NULL;
    int json = 0, csv = 0, man = 0, no_bom = 0, first;
    const ps_option opts[] = {
        PS_INDEX("index (default: $POLSEARCH_INDEX or ./index)", &dir),
        PS_FLAG(0, "json", "one JSON object", &json),
        PS_FLAG(0, "manifest", "every indexed file: path, bytes, SHA-256 of the bytes indexed,\n"
                "format, encoding, paragraphs, metadata, region; and the index\n"
                "format, polsearch version and lexicon SHA-256", &man),
        PS_FLAG(0, "csv", "with --manifest: RFC 4180 CSV, a row per file (UTF-8 BOM first)", &csv),
        PS_FLAG(0, "no-bom", "with --csv: no byte-order mark", &no_bom),
        PS_STRING(0, "terms", "FILE", "with --manifest: the lexicon is the shipped one plus the policy\n"
                  "terms in FILE (as 'index --terms FILE'): its SHA-256 too", &terms),
        PS_END
    };
    const ps_command cmd = {
        .name = "stats", .synopsis = "[-d INDEX] [--json] | --manifest [--terms FILE] [--json|--csv [--no-bom]]",
        .about = "What the index holds: files, paragraphs, distinct terms, size on disk,\n"
                 "last update, encodings seen and the largest files.  --manifest: the record\n"
                 "of what was indexed, for a paper's methods section.  A file indexed by an\n"
                 "older polsearch has its checksum \"not recorded\" (a full re-index records\n"
                 "it); on_disk says whether its size and mtime are still those indexed.\n",
        .footer = "Example: polsearch stats -d index --manifest --csv > manifest.csv\n",
        .flags = PS_CMD_NO_OPERANDS, .opts = opts
    };
    int status;
    if ((status = ps_options(&cmd, argc, argv, &first)) >= 0)
        return status;
    if ((csv || no_bom || terms) && !man)
        return ps_usage_error(&cmd, "%s goes with --manifest", csv ? "--csv" : no_bom ? "--no-bom" : "--terms");
    if (csv && json) {
        ps_msg("--csv and --json: choose one");
        return EXIT_TROUBLE;
    }
    if (man)
        return manifest(dir, json ? MF_JSON : csv ? MF_CSV : MF_TEXT, no_bom, terms);
    index_stats s;
    ps_err err = PS_ERR_INIT;
    int rc = stats_read(dir, &s, &err);
    buf out = BUF_INIT;
    if (rc != 0) {
        ps_msg("%s", err.msg);
    } else if (stats_write(&out, dir, &s, json) != 0) {
        ps_msg("out of memory");
        rc = -1;
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len) {
        rc = -1;
    }
    buf_free(&out);
    stats_free(&s);
    return rc == 0 ? EXIT_MATCH : EXIT_TROUBLE;
}
