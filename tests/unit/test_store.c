/* test_store.c — records, keys and the index layout (store.c), as store.h
 * describes them: paragraph, file-document and file records survive an
 * encode/decode round trip and refuse what is not theirs; keys and terms
 * have their documented shapes; the path hash keeps the values indexes on
 * disk were built with; the stub database, the writers' lock and the index
 * directory are written, read and refused as documented.
 * Directories are made in a temporary directory per test, removed after it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "helpers.h"
#include "store.h"

#define KEY "0123456789abcdef"
#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* ---- helpers ------------------------------------------------------------ */

/* dir/name into out (4096 bytes). */
static void join(char *out, const char *dir, const char *name)
{
    snprintf(out, 4096, "%s/%s", dir, name);
}

/* Write text to dir/name. */
static void write_file(const char *dir, const char *name, const char *text)
{
    char path[4096];
    join(path, dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* The whole of dir/name as a string (malloc'd). */
static char *read_file(const char *dir, const char *name)
{
    char path[4096];
    size_t n;
    join(path, dir, name);
    char *s = read_whole(path, &n);
    assert_non_null(s);
    return s;
}

/* 1 if path exists. */
static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* store_open_read on the one index dir must fail with a message that
 * names it and contains `about`. */
static void expect_refused(const char *dir, const char *about)
{
    ps_err e = PS_ERR_INIT;
    const char *why = e.msg;
    const char *dirs[] = { dir };
    assert_null(store_open_read(dirs, 1, 0, &e));
    assert_int_not_equal(e.code, PS_OK);
    if (!strstr(why, about) || !strstr(why, dir))
        print_error("message for %s: [%s], want [%s]\n", dir, why, about);
    assert_non_null(strstr(why, about));
    assert_non_null(strstr(why, dir));
    assert_null(strchr(why, '\n'));                 /* one line */
}

/* ---- records ------------------------------------------------------------ */

/* A paragraph record comes back field for field, pointing into the data;
 * the file fields are left alone. */
static void test_rec_round_trip(void **state)
{
    (void)state;
    static const char text[] = "第一条　为了加快科技创新，制定本办法。\tTabs and 'quotes' stay.";
    para_rec in = {
        .file_key = KEY, .paragraph = 4294967295u, .byte_off = (UINT64_C(1) << 40) + 3,
        .flags = PARA_F_TITLE | PARA_F_HEADING | PARA_F_OCR, .page = 12, .text = text,
        .text_len = sizeof text - 1,
    };
    buf b = BUF_INIT;
    assert_int_equal(store_rec_encode(&b, &in), 0);
    para_rec out = { .file = "untouched", .title = "untouched" };
    assert_int_equal(store_rec_decode(b.data, b.len, &out), 0);
    assert_string_equal(out.file_key, KEY);
    assert_int_equal(out.paragraph, 4294967295u);
    assert_true(out.byte_off == (UINT64_C(1) << 40) + 3);
    assert_int_equal(out.flags, PARA_F_TITLE | PARA_F_HEADING | PARA_F_OCR);
    assert_int_equal(out.page, 12);
    assert_int_equal(out.text_len, sizeof text - 1);
    assert_memory_equal(out.text, text, sizeof text - 1);
    assert_ptr_equal(out.text + out.text_len, b.data + b.len);   /* into the data */
    assert_string_equal(out.file, "untouched");
    assert_string_equal(out.title, "untouched");
    buf_free(&b);

    /* An empty paragraph text and zero numbers survive too. */
    para_rec empty = { .file_key = KEY, .text = "", .text_len = 0 };
    assert_int_equal(store_rec_encode(&b, &empty), 0);
    assert_int_equal(store_rec_decode(b.data, b.len, &out), 0);
    assert_int_equal(out.text_len, 0);
    assert_int_equal(out.paragraph, 0);
    assert_true(out.byte_off == 0);
    assert_int_equal(out.flags, 0);
    assert_int_equal(out.page, 0);
    buf_free(&b);
}

/* The file part comes back; NULL fields are stored as "". */
static void test_fileinfo_round_trip(void **state)
{
    (void)state;
    para_rec in = {
        .file = "docs/关于 科技.txt", .title = "关于加快科技创新的通知", .date = "2024-07-16",
        .issuer = "市科技局", .docno = NULL, .proposal = "第7号提案", .format = "docx",
    };
    buf b = BUF_INIT;
    assert_int_equal(store_fileinfo_encode(&b, &in), 0);
    para_rec out = { .file_key = KEY, .paragraph = 9 };
    assert_int_equal(store_fileinfo_decode(b.data, b.len, &out), 0);
    assert_string_equal(out.file, in.file);
    assert_string_equal(out.title, in.title);
    assert_string_equal(out.date, in.date);
    assert_string_equal(out.issuer, in.issuer);
    assert_string_equal(out.docno, "");
    assert_string_equal(out.proposal, in.proposal);
    assert_string_equal(out.format, "docx");
    assert_true(out.file >= b.data && out.file < b.data + b.len);
    assert_string_equal(out.file_key, KEY);         /* paragraph fields left alone */
    assert_int_equal(out.paragraph, 9);
    buf_free(&b);
}

/* The canonical path rides along as the ninth field; a file part of
 * before it was kept (eight fields) decodes with canon "", one whose
 * canonical path is cut short is refused. */
static void test_fileinfo_canon(void **state)
{
    (void)state;
    para_rec in = { .file = "docs/x.txt", .canon = "/srv/政策/docs/x.txt", .title = "t", .format = "text" };
    buf b = BUF_INIT;
    assert_int_equal(store_fileinfo_encode(&b, &in), 0);
    para_rec out = { 0 };
    assert_int_equal(store_fileinfo_decode(b.data, b.len, &out), 0);
    assert_string_equal(out.file, "docs/x.txt");
    assert_string_equal(out.canon, "/srv/政策/docs/x.txt");
    assert_string_equal(out.format, "text");
    assert_int_equal(store_fileinfo_decode(b.data, b.len - 1, &out), -1);
    buf old = BUF_INIT;                              /* no canon: written as before */
    in.canon = NULL;
    assert_int_equal(store_fileinfo_encode(&old, &in), 0);
    assert_int_equal(old.len, b.len - strlen("/srv/政策/docs/x.txt") - 1);
    assert_memory_equal(old.data, b.data, old.len);
    out.canon = "untouched";
    assert_int_equal(store_fileinfo_decode(old.data, old.len, &out), 0);
    assert_string_equal(out.canon, "");
    assert_string_equal(out.format, "text");
    buf_free(&b);
    buf_free(&old);
}

/* However long its fields, a file part (which opens every text chunk of
 * its file) is bounded: each field but the path is cut to STORE_FIELD_MAX
 * bytes on a code point boundary. */
static void test_fileinfo_bounded(void **state)
{
    (void)state;
    size_t n = 3 * 100000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i += 3)
        memcpy(big + i, "\xe5\xb1\x80", 3);                  /* 局 */
    big[n] = '\0';
    para_rec in = { .file = "a.txt", .title = big, .date = "", .issuer = big, .docno = big,
                    .proposal = "", .format = "text" };
    buf b = BUF_INIT;
    assert_int_equal(store_fileinfo_encode(&b, &in), 0);
    assert_true(b.len < 4 * STORE_FIELD_MAX);
    para_rec out = { 0 };
    assert_int_equal(store_fileinfo_decode(b.data, b.len, &out), 0);
    assert_string_equal(out.file, "a.txt");
    assert_int_equal(strlen(out.title), STORE_FIELD_MAX / 3 * 3);
    assert_int_equal(memcmp(out.title, big, strlen(out.title)), 0);
    assert_string_equal(out.issuer, out.title);
    assert_string_equal(out.format, "text");
    buf_free(&b);
    free(big);
}

/* Neither decoder takes the other's record, a truncated one or nothing. */
static void test_records_refused(void **state)
{
    (void)state;
    para_rec p = { .file_key = KEY, .paragraph = 1, .text = "x", .text_len = 1 };
    para_rec f = { .file = "a.txt", .title = "", .date = "", .issuer = "", .docno = "", .proposal = "" };
    buf pb = BUF_INIT, fb = BUF_INIT;
    assert_int_equal(store_rec_encode(&pb, &p), 0);
    assert_int_equal(store_fileinfo_encode(&fb, &f), 0);
    para_rec r;
    assert_int_equal(store_rec_decode(fb.data, fb.len, &r), -1);
    assert_int_equal(store_fileinfo_decode(pb.data, pb.len, &r), -1);
    /* Cut anywhere inside the six fixed fields (magic, key, paragraph,
     * offset, flags, page): refused; just after them: an empty text. */
    size_t fixed = 0;
    for (int nuls = 0; nuls < 6; fixed++)
        nuls += pb.data[fixed] == '\0';
    for (size_t len = 0; len < fixed; len++)
        assert_int_equal(store_rec_decode(pb.data, len, &r), -1);
    assert_int_equal(store_rec_decode(pb.data, fixed, &r), 0);
    assert_int_equal(r.text_len, 0);
    assert_int_equal(store_fileinfo_decode(fb.data, fb.len - 1, &r), -1);
    char empty[] = "";
    assert_int_equal(store_rec_decode(empty, 0, &r), -1);
    assert_int_equal(store_fileinfo_decode(empty, 0, &r), -1);
    buf_free(&pb);
    buf_free(&fb);
}

/* A file record comes back whole, extreme numbers included. */
static void test_filerec_round_trip(void **state)
{
    (void)state;
    file_rec in = {
        .path = "政策/2024/通知.html.gz", .size = UINT64_MAX, .mtime_ns = -1234567890123LL,
        .crc = UINT32_MAX, .paragraphs = 321, .encoding = "GB18030", .vid = KEY, .format = "pdf",
    };
    buf b = BUF_INIT;
    assert_int_equal(store_filerec_encode(&b, &in), 0);
    file_rec out;
    memset(&out, 0, sizeof out);
    assert_int_equal(store_filerec_decode(b.data, b.len, &out, NULL), 0);
    assert_string_equal(out.path, in.path);
    assert_ptr_not_equal(out.path, in.path);         /* a copy of its own */
    assert_true(out.size == UINT64_MAX);
    assert_true(out.mtime_ns == -1234567890123LL);
    assert_true(out.crc == UINT32_MAX);
    assert_int_equal(out.paragraphs, 321);
    assert_string_equal(out.encoding, "GB18030");
    assert_string_equal(out.vid, KEY);
    assert_string_equal(out.format, "pdf");
    file_rec_free(&out);
    assert_null(out.path);

    /* Any shorter value lacks a field. */
    assert_int_equal(store_filerec_decode(b.data, b.len - 1, &out, NULL), -1);
    assert_int_equal(store_filerec_decode("a.txt\0" "12", 8, &out, NULL), -1);
    /* Damaged, which a caller may skip: PS_INPUT, not PS_NOMEM (the
     * writer fails its run on the latter: issue 22's reindex sweep). */
    ps_err err = PS_ERR_INIT;
    assert_int_equal(store_filerec_decode(b.data, b.len - 1, &out, &err), -1);
    assert_int_equal(err.code, PS_INPUT);
    buf_free(&b);
}

/* Encode *in into b (emptied first) and decode it into *out: both succeed. */
static void filerec_through(const file_rec *in, buf *b, file_rec *out)
{
    buf_clear(b);
    assert_int_equal(store_filerec_encode(b, in), 0);
    memset(out, 0, sizeof *out);
    assert_int_equal(store_filerec_decode(b->data, b->len, out, NULL), 0);
}

/* How a document's text was read is a field of its own (the eleventh,
 * after canon and sha256, written only when set), read back as a flag;
 * the encoding shown spells it as before ("pdf+ocr", "pdf+scan"), and a
 * record without it reads as 0. */
static void test_filerec_reading(void **state)
{
    (void)state;
    file_rec in = { .path = "scan.pdf", .canon = "/srv/scan.pdf", .encoding = "pdf", .vid = KEY,
                    .format = "pdf", .reading = STORE_READ_OCR };
    buf b = BUF_INIT, plain = BUF_INIT;
    file_rec out;
    filerec_through(&in, &b, &out);
    assert_int_equal(out.reading, STORE_READ_OCR);
    assert_string_equal(out.encoding, "pdf");
    assert_string_equal(out.sha256, "");           /* written empty so that reading follows it */
    char shown[STORE_ENCODING_SHOWN];
    assert_string_equal(store_filerec_encoding(&out, shown), "pdf+ocr");
    file_rec_free(&out);
    assert_int_equal(store_filerec_decode(b.data, b.len - 1, &out, NULL), -1);   /* cut short */

    in.reading = STORE_READ_SCAN;
    memcpy(in.sha256, SHA, sizeof in.sha256);
    filerec_through(&in, &b, &out);
    assert_int_equal(out.reading, STORE_READ_SCAN);
    assert_string_equal(out.sha256, SHA);
    assert_string_equal(store_filerec_encoding(&out, shown), "pdf+scan");
    file_rec_free(&out);

    /* Without it the record is as before: ten fields, reading 0. */
    in.reading = 0;
    filerec_through(&in, &plain, &out);
    assert_int_equal(plain.len, b.len - 2);
    assert_int_equal(out.reading, 0);
    assert_string_equal(store_filerec_encoding(&out, shown), "pdf");
    file_rec_free(&out);
    buf_free(&b);
    buf_free(&plain);
}

/* The canonical path is the ninth field and the record's key; a record of
 * eight fields (written before it was kept) decodes with canon NULL and
 * the key of its path, as it was stored; a ninth field cut short is
 * refused. */
static void test_filerec_canon(void **state)
{
    (void)state;
    file_rec in = { .path = "docs/x.pdf", .canon = "/srv/docs/x.pdf", .size = 7, .vid = KEY,
                    .format = "pdf" };
    buf b = BUF_INIT, old = BUF_INIT;
    assert_int_equal(store_filerec_encode(&b, &in), 0);
    file_rec out;
    memset(&out, 0, sizeof out);
    assert_int_equal(store_filerec_decode(b.data, b.len, &out, NULL), 0);
    assert_string_equal(out.path, "docs/x.pdf");
    assert_string_equal(out.canon, "/srv/docs/x.pdf");
    char key[18];
    store_file_key("/srv/docs/x.pdf", key);
    assert_string_equal(out.key, key);
    assert_true(out.size == 7);
    assert_string_equal(out.format, "pdf");
    file_rec_free(&out);
    assert_null(out.canon);
    assert_int_equal(store_filerec_decode(b.data, b.len - 1, &out, NULL), -1);

    in.canon = NULL;
    assert_int_equal(store_filerec_encode(&old, &in), 0);
    assert_int_equal(old.len, b.len - strlen("/srv/docs/x.pdf") - 1);
    assert_int_equal(store_filerec_decode(old.data, old.len, &out, NULL), 0);
    assert_null(out.canon);
    store_file_key("docs/x.pdf", key);
    assert_string_equal(out.key, key);
    assert_string_equal(out.vid, KEY);
    file_rec_free(&out);
    buf_free(&b);
    buf_free(&old);
}

/* The SHA-256 of the bytes indexed is the tenth field: it round-trips; a
 * record of nine fields (before it was kept) decodes with sha256 "" (not
 * recorded); a reader of nine fields sees the tenth record as one of nine
 * (the canonical path ends at its NUL); a record without canon keeps none;
 * a tenth field cut short is refused. */
static void test_filerec_sha256(void **state)
{
    (void)state;
    const char *sha = "a208569cda4a253bf045f9883a007ac1296ed7114cb759bb1063f33fffb9fd27";
    file_rec in = { .path = "docs/x.txt", .canon = "/srv/docs/x.txt", .size = 11388, .vid = KEY,
                    .format = "text" };
    snprintf(in.sha256, sizeof in.sha256, "%s", sha);
    buf b = BUF_INIT, nine = BUF_INIT, none = BUF_INIT;
    file_rec out;
    filerec_through(&in, &b, &out);
    assert_string_equal(out.sha256, sha);
    assert_string_equal(out.canon, "/srv/docs/x.txt");
    file_rec_free(&out);
    assert_int_equal(store_filerec_decode(b.data, b.len - 1, &out, NULL), -1);
    /* What a binary of nine fields reads of it: the canonical path up to its NUL. */
    const char *canon = b.data + b.len - strlen(sha) - 1 - strlen("/srv/docs/x.txt") - 1;
    assert_string_equal(canon, "/srv/docs/x.txt");

    in.sha256[0] = '\0';
    assert_int_equal(store_filerec_encode(&nine, &in), 0);
    assert_int_equal(nine.len, b.len - strlen(sha) - 1);
    assert_int_equal(store_filerec_decode(nine.data, nine.len, &out, NULL), 0);
    assert_string_equal(out.sha256, "");
    assert_string_equal(out.canon, "/srv/docs/x.txt");
    file_rec_free(&out);

    snprintf(in.sha256, sizeof in.sha256, "%s", sha);
    in.canon = NULL;                /* no canon: no place for the checksum either */
    assert_int_equal(store_filerec_encode(&none, &in), 0);
    assert_int_equal(store_filerec_decode(none.data, none.len, &out, NULL), 0);
    assert_null(out.canon);
    assert_string_equal(out.sha256, "");
    file_rec_free(&out);
    buf_free(&b);
    buf_free(&nine);
    buf_free(&none);
}

/* ---- keys and terms ----------------------------------------------------- */

/* The path hash decides file keys and shards, so an index written by one
 * build is only readable by the next if it never changes: these are the
 * values indexes on disk have.  (It is FNV-1a's loop and prime, but from
 * the offset basis 1469598103934665603, not the published
 * 14695981039346656037 = 0xcbf29ce484222325: a digit short.  Fixing that
 * would re-key every index, so the values are pinned as they are.) */
static void test_path_hash_stable(void **state)
{
    (void)state;
    assert_true(store_path_hash("") == UINT64_C(0x14650fb0739d0383));
    assert_true(store_path_hash("a") == UINT64_C(0x44bd8ad473cd9906));
    assert_true(store_path_hash("foobar") == UINT64_C(0x88fad7c0a8ff07f2));
    assert_true(store_path_hash("docs/关于.txt") == UINT64_C(0x81d5c7fab3205e92));
    assert_true(store_path_hash("docs/a.txt") != store_path_hash("docs/b.txt"));
    char key[18];
    memset(key, 'x', sizeof key);
    store_file_key("a", key);
    assert_string_equal(key, "F44bd8ad473cd9906");
    store_file_key("", key);
    assert_string_equal(key, "F14650fb0739d0383");
    assert_int_equal(strlen(key), 17);
}

/* XD, XF and XT terms: the prefix and the 16 hex digits of the version. */
static void test_version_terms(void **state)
{
    (void)state;
    char term[19];
    store_filedoc_term(KEY, term);
    assert_string_equal(term, "XD" KEY);
    store_version_term(KEY, term);
    assert_string_equal(term, "XF" KEY);
    store_tombstone_term(KEY, term);
    assert_string_equal(term, "XT" KEY);
    assert_int_equal(strlen(term), 18);
    assert_string_not_equal(STORE_FILE_DOC, STORE_DEAD_TERM);
}

/* A version id is 16 lower-case hex digits, the same for the same inputs
 * (so two builds agree), different when any of them changes, and taken
 * from the canonical path when there is one, however the path was spelled. */
static void test_version_id(void **state)
{
    (void)state;
    file_rec f = { .path = "a.txt", .size = 10, .mtime_ns = 20, .crc = 30 };
    char a[17], b[17];
    store_version_id(&f, 0, a);
    assert_int_equal(strlen(a), 16);
    assert_int_equal(strspn(a, "0123456789abcdef"), 16);
    store_version_id(&f, 0, b);
    assert_string_equal(a, b);
    store_version_id(&f, 1, b);
    assert_string_not_equal(a, b);
    /* Each input changed in turn. */
    const file_rec changed[] = {
        { .path = "b.txt", .size = 10, .mtime_ns = 20, .crc = 30 },
        { .path = "a.txt", .size = 11, .mtime_ns = 20, .crc = 30 },
        { .path = "a.txt", .size = 10, .mtime_ns = 21, .crc = 30 },
        { .path = "a.txt", .size = 10, .mtime_ns = 20, .crc = 31 },
        { .path = "a.txt", .canon = "/x/a.txt", .size = 10, .mtime_ns = 20, .crc = 30 },
    };
    for (size_t i = 0; i < sizeof changed / sizeof *changed; i++) {
        store_version_id(&changed[i], 0, b);
        assert_string_not_equal(a, b);
    }
    /* Two spellings of one file. */
    file_rec g = { .path = "./x/a.txt", .canon = "/x/a.txt", .size = 10, .mtime_ns = 20, .crc = 30 };
    store_version_id(&changed[4], 0, a);
    store_version_id(&g, 0, b);
    assert_string_equal(a, b);
}

/* ---- the index directory ------------------------------------------------ */

/* The stub lists shard0..shard(n-1) and is read back; anything else in it,
 * none, or too many shards is refused. */
static void test_stub_and_shard_count(void **state)
{
    const char *dir = *state;
    char path[4096];
    assert_int_equal(store_shard_count(dir), 0);        /* no XAPIANDB */
    assert_int_equal(store_write_stub(dir, 3, NULL), 0);
    char *stub = read_file(dir, "XAPIANDB");
    assert_string_equal(stub, "auto shard0\nauto shard1\nauto shard2\nauto text0\nauto text1\nauto text2\n");
    free(stub);
    join(path, dir, "XAPIANDB.tmp");
    assert_false(exists(path));                         /* renamed into place */
    assert_int_equal(store_shard_count(dir), 3);
    assert_int_equal(store_write_stub(dir, 1, NULL), 0);      /* rewritten, not appended */
    assert_int_equal(store_shard_count(dir), 1);
    assert_int_equal(store_write_stub(dir, STORE_MAX_SHARDS, NULL), 0);
    assert_int_equal(store_shard_count(dir), STORE_MAX_SHARDS);
    assert_int_equal(store_write_stub(dir, STORE_MAX_SHARDS + 1, NULL), -1); /* not written ... */
    {
        char many[4096] = "";
        for (int i = 0; i <= STORE_MAX_SHARDS; i++)
            snprintf(many + strlen(many), sizeof many - strlen(many), "auto shard%d\n", i);
        for (int i = 0; i <= STORE_MAX_SHARDS; i++)
            snprintf(many + strlen(many), sizeof many - strlen(many), "auto text%d\n", i);
        write_file(dir, "XAPIANDB", many);
    }
    assert_int_equal(store_shard_count(dir), -1);       /* ... nor read: more than a polsearch index has */

    static const char *const bad[] = {
        "",                                     /* no shard */
        "auto shard1\nauto text0\n",            /* not numbered from 0 */
        "auto shard0\nauto shard2\nauto text0\nauto text1\n", /* a gap */
        "auto shard0\nauto text0",              /* no newline */
        "glass shard0\nauto text0\n",           /* another backend */
        "auto shard0\n\nauto text0\n",          /* a blank line */
        "auto /elsewhere/shard0\nauto text0\n", /* outside the index */
        "auto shard0\n",                        /* no text chunks (format 5 and before) */
        "auto shard0\nauto shard1\nauto text0\n", /* fewer text databases than shards */
        "auto shard0\nauto text0\nauto shard1\nauto text1\n", /* not shards first */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_file(dir, "XAPIANDB", bad[i]);
        if (store_shard_count(dir) != -1)
            print_error("stub [%s] accepted\n", bad[i]);
        assert_int_equal(store_shard_count(dir), -1);
    }
    store_shard_path(dir, 12, path, sizeof path);
    char want[4096];
    join(want, dir, "shard12");
    assert_string_equal(path, want);

    join(path, dir, "no-such-dir");
    assert_int_equal(store_write_stub(path, 1, NULL), -1);
    assert_int_equal(store_shard_count(path), 0);
}

/* Why a stub cannot be read or written is said through ps_err: the
 * file and the reason, the advice to rebuild for one that is not ours. */
static void test_stub_errors(void **state)
{
    const char *dir = *state;
    char path[4096];
    ps_err err = PS_ERR_INIT;
    write_file(dir, "XAPIANDB", "glass shard0\n");
    assert_int_equal(store_stub_shards(dir, &err), -1);
    assert_int_equal(err.code, PS_INDEX);
    assert_non_null(strstr(err.msg, "XAPIANDB: not a polsearch shard list; rebuild it with "
                                    "'polsearch index --full -d "));
    ps_err_clear(&err);
    assert_int_equal(store_write_stub(dir, 0, &err), -1);
    assert_int_equal(err.code, PS_USAGE);
    ps_err_clear(&err);
    join(path, dir, "no-such-dir");
    assert_int_equal(store_write_stub(path, 1, &err), -1);
    assert_int_equal(err.code, PS_IO);
    assert_non_null(strstr(err.msg, "No such file or directory"));
    assert_non_null(strstr(err.msg, "no-such-dir/XAPIANDB"));
    ps_err_clear(&err);
    assert_int_equal(store_stub_shards(path, &err), 0);  /* no stub: no error */
    assert_int_equal(err.code, PS_OK);
}

/* Make dir/name a directory holding one file, mark, that says what it is. */
static void make_part(const char *dir, const char *name, const char *mark)
{
    char path[4096], rel[256];
    join(path, dir, name);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(rel, sizeof rel, "%.200s/mark", name);
    write_file(dir, rel, mark);
}

/* What dir/name/mark says, or "" when there is no such part. */
static void part_mark(const char *dir, const char *name, char *out, size_t outlen)
{
    char path[4096], rel[256];
    snprintf(path, sizeof path, "%s/%s/mark", dir, name);
    out[0] = '\0';
    if (exists(path)) {
        snprintf(rel, sizeof rel, "%.200s/mark", name);
        char *m = read_file(dir, rel);
        snprintf(out, outlen, "%s", m);
        free(m);
    }
}

/* An older polsearch's swap, cut off: while the stub's parts are not all
 * there, what it moved aside comes back (replacing the merge it put in);
 * once they are, what is aside goes. */
static void test_recover_aside(void **state)
{
    const char *dir = *state;
    char m[64], path[4096];
    ps_err err = PS_ERR_INIT;
    /* A two-shard merge cut off after shard0, text0 and shard1 went aside
     * and the merged shard took shard0's name. */
    assert_int_equal(store_write_stub(dir, 2, &err), 0);
    make_part(dir, "old-shard0", "s0");
    make_part(dir, "old-text0", "t0");
    make_part(dir, "old-shard1", "s1");
    make_part(dir, "text1", "t1");
    make_part(dir, "shard0", "merged");
    assert_int_equal(store_recover(dir, &err), 0);
    const char *const want[][2] = { { "shard0", "s0" }, { "text0", "t0" }, { "shard1", "s1" },
                                    { "text1", "t1" }, { "old-shard0", "" }, { "old-text0", "" },
                                    { "old-shard1", "" } };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        part_mark(dir, want[i][0], m, sizeof m);
        assert_string_equal(m, want[i][1]);
    }
    /* A fresh shard's compaction cut off between its two renames. */
    join(path, dir, "shard1");
    assert_int_equal(rename(path, strcat(strcpy(m, path), ".old")), 0);
    assert_int_equal(store_recover(dir, &err), 0);
    part_mark(dir, "shard1", m, sizeof m);
    assert_string_equal(m, "s1");
    /* The merge got in (the stub lists its one pair): the leftovers go. */
    assert_int_equal(store_write_stub(dir, 1, &err), 0);
    make_part(dir, "old-shard3", "x");
    make_part(dir, "text2.old", "x");
    assert_int_equal(store_recover(dir, &err), 0);
    part_mark(dir, "old-shard3", m, sizeof m);
    assert_string_equal(m, "");
    part_mark(dir, "text2.old", m, sizeof m);
    assert_string_equal(m, "");
    part_mark(dir, "shard0", m, sizeof m);
    assert_string_equal(m, "s0");
    assert_int_equal(err.code, PS_OK);
}

/* A directory is foreign when it holds anything but an index's own
 * entries; a missing or empty one is not. */
static void test_foreign_dir(void **state)
{
    const char *dir = *state;
    char path[4096];
    ps_err err = PS_ERR_INIT;
    join(path, dir, "missing");
    assert_int_equal(store_foreign_dir(path, &err), 0);
    assert_int_equal(store_foreign_dir(dir, &err), 0);
    write_file(dir, "XAPIANDB", "auto shard0\nauto text0\n");
    write_file(dir, "polsearch.lock", "1\n");
    write_file(dir, ".gitkeep", "");
    make_part(dir, "shard0", "x");
    assert_int_equal(store_foreign_dir(dir, &err), 1);   /* shard0 is no glass database */
    write_file(dir, "shard0/iamglass", "");
    assert_int_equal(store_foreign_dir(dir, &err), 0);
    write_file(dir, "notes.txt", "mine");
    assert_int_equal(store_foreign_dir(dir, &err), 1);
    assert_int_equal(err.code, PS_OK);
    /* store_remove_shards removes the listed parts that exist, nothing else. */
    make_part(dir, "text1", "x");
    assert_int_equal(store_remove_shards(dir, 2, &err), 0);
    join(path, dir, "shard0");
    assert_false(exists(path));
    join(path, dir, "text1");
    assert_false(exists(path));
    join(path, dir, "notes.txt");
    assert_true(exists(path));
}

/* store_sync_tree syncs a database directory's files; a missing one is
 * an error with errno set. */
static void test_sync_tree(void **state)
{
    const char *dir = *state;
    char path[4096];
    make_part(dir, "shard0", "x");
    write_file(dir, "shard0/postlist.glass", "y");
    join(path, dir, "shard0");
    assert_int_equal(store_sync_tree(path), 0);
    join(path, dir, "shard9");
    errno = 0;
    assert_int_equal(store_sync_tree(path), -1);
    assert_int_equal(errno, ENOENT);
}

/* store_remove_tree removes a whole tree; what is already gone is no
 * error (rm -rf). */
static void test_remove_tree(void **state)
{
    const char *dir = *state;
    char path[4096];
    join(path, dir, "shard0");
    assert_int_equal(mkdir(path, 0777), 0);
    join(path, dir, "shard0/sub");
    assert_int_equal(mkdir(path, 0777), 0);
    write_file(dir, "shard0/sub/postlist.glass", "x");
    write_file(dir, "XAPIANDB", "auto shard0\n");
    assert_int_equal(store_remove_tree(dir), 0);
    assert_false(exists(dir));
    assert_int_equal(store_remove_tree(dir), 0);        /* already gone */
}

/* What is not an index is refused with a message naming it and what to do;
 * so is an index of another format. */
static void test_open_read_refuses(void **state)
{
    const char *dir = *state;
    char path[4096];
    expect_refused(dir, "not a polsearch index (no XAPIANDB)");
    expect_refused(dir, "polsearch index -d");

    join(path, dir, "missing");
    expect_refused(path, "no index here");

    write_file(dir, "plain.txt", "not an index\n");
    join(path, dir, "plain.txt");
    expect_refused(path, "not a polsearch index (not a directory)");

    /* A stub naming a shard that is not there. */
    assert_int_equal(store_write_stub(dir, 1, NULL), 0);
    expect_refused(dir, "polsearch index --full -d");

    /* A real database without polsearch's format record... */
    char shard[4096], text[4096];
    store_shard_path(dir, 0, shard, sizeof shard);
    store_text_path(dir, 0, text, sizeof text);
    ps_err err;
    xs_wdb *w = xs_wdb_open(text, XS_WDB_CREATE | XS_WDB_TERMLIST | XS_WDB_NO_SYNC, &err);
    assert_non_null(w);
    assert_int_equal(xs_wdb_close(w, &err), PS_OK);
    w = xs_wdb_open(shard, XS_WDB_CREATE | XS_WDB_NO_SYNC, &err);
    assert_non_null(w);
    assert_int_equal(xs_wdb_close(w, &err), PS_OK);
    expect_refused(dir, "not a polsearch index, or a damaged one (no format record)");

    /* ... or with another format ... */
    w = xs_wdb_open(shard, XS_WDB_CREATE | XS_WDB_NO_SYNC, &err);
    assert_non_null(w);
    assert_int_equal(xs_wdb_set_metadata(w, "polsearch.format", "0", 1, &err), PS_OK);
    assert_int_equal(xs_wdb_set_metadata(w, "polsearch.tokenizer", STORE_TOKENIZER,
                                         strlen(STORE_TOKENIZER), &err), PS_OK);
    assert_int_equal(xs_wdb_close(w, &err), PS_OK);
    expect_refused(dir, "index format 0, but this polsearch reads format " STORE_FORMAT);

    /* ... or another tokenizer. */
    w = xs_wdb_open(shard, XS_WDB_CREATE | XS_WDB_NO_SYNC, &err);
    assert_non_null(w);
    assert_int_equal(xs_wdb_set_metadata(w, "polsearch.format", STORE_FORMAT,
                                         strlen(STORE_FORMAT), &err), PS_OK);
    assert_int_equal(xs_wdb_set_metadata(w, "polsearch.tokenizer", "old", 3, &err), PS_OK);
    assert_int_equal(xs_wdb_close(w, &err), PS_OK);
    expect_refused(dir, "built with tokenizer settings 'old'");

    /* With both right it opens. */
    w = xs_wdb_open(shard, XS_WDB_CREATE | XS_WDB_NO_SYNC, &err);
    assert_non_null(w);
    assert_int_equal(xs_wdb_set_metadata(w, "polsearch.tokenizer", STORE_TOKENIZER,
                                         strlen(STORE_TOKENIZER), &err), PS_OK);
    assert_int_equal(xs_wdb_close(w, &err), PS_OK);
    ps_err e = PS_ERR_INIT;
    const char *why = e.msg;
    const char *dirs[] = { dir };
    xs_db *db = store_open_read(dirs, 1, 0, &e);
    if (!db)
        print_error("%s\n", why);
    assert_non_null(db);
    xs_db_close(db);
    /* Several indexes: the first that is not one is named. */
    join(path, dir, "missing");
    const char *two[] = { dir, path };
    assert_null(store_open_read(two, 2, 0, &e));
    assert_non_null(strstr(why, "no index here"));
    assert_non_null(strstr(why, path));
}

/* The varints that frame a chunk's entries read back as written; one cut
 * short, or longer than 64 bits, is refused. */
static void test_varint_round_trip(void **state)
{
    (void)state;
    static const uint64_t v[] = { 0, 1, 127, 128, 300, 16383, 16384, UINT32_MAX, UINT64_MAX };
    buf b = BUF_INIT;
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        assert_int_equal(buf_put_varint(&b, v[i]), 0);
    const unsigned char *p = (const unsigned char *)b.data, *end = p + b.len;
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        uint64_t got = 1;
        assert_int_equal(buf_get_varint(&p, end, &got), 0);
        assert_true(got == v[i]);
    }
    assert_ptr_equal(p, end);
    uint64_t got;
    p = (const unsigned char *)b.data;
    assert_int_equal(buf_get_varint(&p, p + 1, &got), 0);               /* 0: one byte */
    const unsigned char cut[] = { 0x80, 0x80 };                         /* continues past the end */
    p = cut;
    assert_int_equal(buf_get_varint(&p, cut + sizeof cut, &got), -1);
    unsigned char over[11];                                             /* 77 bits */
    memset(over, 0xff, sizeof over);
    over[10] = 0x01;
    p = over;
    assert_int_equal(buf_get_varint(&p, over + sizeof over, &got), -1);
    buf_free(&b);
}

/* Chunks: entries come back in order, empty ones too; a short chunk, or
 * one with fewer entries, has no such entry. */
static void test_block_entries(void **state)
{
    (void)state;
    text_block b = { BUF_INIT, 0 };
    char big[300];
    memset(big, 'x', sizeof big);
    assert_int_equal(store_block_add(&b, "one", 3), 0);
    assert_int_equal(store_block_add(&b, NULL, 0), 0);
    assert_int_equal(store_block_add(&b, big, sizeof big), 0);   /* a two-byte length */
    assert_int_equal(store_block_add(&b, "four", 4), 0);
    assert_int_equal(b.n, 4);
    /* store_block_entry_size says what each took. */
    assert_int_equal(b.bytes.len, store_block_entry_size(3) + store_block_entry_size(0) +
                                  store_block_entry_size(sizeof big) + store_block_entry_size(4));
    assert_int_equal(store_block_entry_size(127), 128);
    assert_int_equal(store_block_entry_size(128), 130);
    assert_int_equal(store_block_entry_size(16383), 16385);
    assert_int_equal(store_block_entry_size(16384), 16387);
    const char *e;
    size_t n;
    assert_int_equal(store_block_entry(b.bytes.data, b.bytes.len, 0, &e, &n), 0);
    assert_int_equal(n, 3);
    assert_memory_equal(e, "one", 3);
    assert_int_equal(store_block_entry(b.bytes.data, b.bytes.len, 1, &e, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_block_entry(b.bytes.data, b.bytes.len, 2, &e, &n), 0);
    assert_int_equal(n, sizeof big);
    assert_int_equal(store_block_entry(b.bytes.data, b.bytes.len, 3, &e, &n), 0);
    assert_memory_equal(e, "four", 4);
    assert_int_equal(store_block_entry(b.bytes.data, b.bytes.len, 4, &e, &n), -1);
    assert_int_equal(store_block_entry(b.bytes.data, b.bytes.len - 1, 3, &e, &n), -1);
    assert_int_equal(store_block_entry(b.bytes.data, 2, 1, &e, &n), -1);
    buf_free(&b.bytes);
}

/* Write index dir with nshards shards of ndocs[i] paragraph documents
 * each, as the writer lays them out (store.h): file versions of up to
 * 150 paragraphs (so files span chunks), each with its file record
 * "TAG:file:i:f" as entry 0 of chunk 0 and paragraph k's record "TAG:i:k";
 * paragraph k of shard i has the term "QTAG:i:k". */
static void write_chunked_index(const char *dir, const char *tag, int nshards, const unsigned *ndocs)
{
    ps_err err = PS_ERR_INIT;
    assert_int_equal(mkdir(dir, 0777) == 0 || errno == EEXIST, 1);
    assert_int_equal(store_write_stub(dir, nshards, NULL), 0);
    for (int i = 0; i < nshards; i++) {
        char shard[4096], text[4096];
        store_shard_path(dir, i, shard, sizeof shard);
        store_text_path(dir, i, text, sizeof text);
        xs_wdb *w = xs_wdb_open(shard, XS_WDB_CREATE | XS_WDB_NO_SYNC, &err);
        xs_wdb *t = xs_wdb_open(text, XS_WDB_CREATE | XS_WDB_TERMLIST | XS_WDB_NO_SYNC, &err);
        assert_non_null(w);
        assert_non_null(t);
        assert_int_equal(xs_wdb_set_metadata(w, "polsearch.format", STORE_FORMAT, strlen(STORE_FORMAT), &err), PS_OK);
        assert_int_equal(xs_wdb_set_metadata(w, "polsearch.tokenizer", STORE_TOKENIZER,
                                             strlen(STORE_TOKENIZER), &err), PS_OK);
        xs_doc *d = xs_doc_new(&err), *cd = xs_doc_new(&err);
        text_block b = { BUF_INIT, 0 };
        char vid[17] = "", data[64];
        unsigned chunk = 0, file = 0;
        for (unsigned k = 1; k <= ndocs[i]; k++) {
            if (k % 150 == 1) {          /* a new file version */
                snprintf(vid, sizeof vid, "%08x%04x%04x", (unsigned)tag[0], (unsigned)i, ++file);
                chunk = 0;
                snprintf(data, sizeof data, "%s:file:%d:%u", tag, i, file);
                assert_int_equal(store_block_add(&b, data, strlen(data)), 0);
            }
            char key[STORE_KEY_LEN] = { 0 }, term[80];   /* copy key 0, then the place */
            store_loc_make(vid, chunk, b.n, key + STORE_COPY_KEY_LEN);
            snprintf(data, sizeof data, "%s:%d:%u", tag, i, k);
            assert_int_equal(store_block_add(&b, data, strlen(data)), 0);
            snprintf(term, sizeof term, "Q%s", data);
            assert_int_equal(xs_doc_clear(d, NULL), PS_OK);
            assert_int_equal(xs_doc_add_boolean(d, term, strlen(term), &err), PS_OK);
            assert_int_equal(xs_doc_set_value(d, STORE_SLOT_KEY, key, sizeof key, &err), PS_OK);
            assert_int_equal(xs_wdb_add_doc(w, d, NULL, &err), PS_OK);
            if (b.n == STORE_CHUNK_ENTRIES || k % 150 == 0 || k == ndocs[i]) {
                char ct[STORE_CHUNK_TERM_LEN + 1];
                store_chunk_term(vid, chunk++, ct);
                assert_int_equal(xs_doc_clear(cd, NULL), PS_OK);
                assert_int_equal(xs_doc_add_boolean(cd, ct, strlen(ct), &err), PS_OK);
                assert_int_equal(xs_doc_set_data(cd, b.bytes.data, b.bytes.len, &err), PS_OK);
                assert_int_equal(xs_wdb_add_doc(t, cd, NULL, &err), PS_OK);
                buf_clear(&b.bytes);
                b.n = 0;
            }
        }
        buf_free(&b.bytes);
        xs_doc_free(d);
        xs_doc_free(cd);
        assert_int_equal(xs_wdb_close(t, &err), PS_OK);
        assert_int_equal(xs_wdb_close(w, &err), PS_OK);
    }
}

/* Every paragraph's record is found through the place its result
 * carries (after its copy key), in one index and in two searched together; so is every file's
 * record. */
static void test_records_through_chunks(void **state)
{
    const char *dir = *state;
    char one[4096], two[4096];
    join(one, dir, "one");
    join(two, dir, "two");
    const unsigned docs1[3] = { 400, 5, 64 }, docs2[1] = { 151 };
    write_chunked_index(one, "a", 3, docs1);
    write_chunked_index(two, "b", 1, docs2);
    const char *dirs[2] = { one, two };
    for (size_t n = 1; n <= 2; n++) {
        ps_err err = PS_ERR_INIT;
        xs_db *db = store_open_read(dirs, n, 0, &err);
        if (!db)
            print_error("%s\n", err.msg);
        assert_non_null(db);
        unsigned seen = 0;
        for (size_t ix = 0; ix < n; ix++) {
            int nshards = ix == 0 ? 3 : 1;
            const char *tag = ix == 0 ? "a" : "b";
            for (int i = 0; i < nshards; i++)
                for (unsigned k = 1; k <= (ix == 0 ? docs1 : docs2)[i]; k++) {
                    char term[80], want[64], *data = NULL, key[STORE_KEY_LEN];
                    size_t len;
                    snprintf(want, sizeof want, "%s:%d:%u", tag, i, k);
                    snprintf(term, sizeof term, "Q%s", want);
                    xs_query *q = xs_query_term(term, strlen(term), 1, &err);
                    xs_mset *m = xs_enquire(db, q, 0, 10, 0, NULL, &err);
                    assert_non_null(m);
                    assert_int_equal(xs_mset_size(m), 1);
                    assert_int_equal(store_item_key(m, 0, key, &err), 0);
                    assert_int_equal(store_loc_data(db, key + STORE_COPY_KEY_LEN, STORE_LOC_LEN, &data, &len,
                                                    &err), PS_OK);
                    assert_string_equal(data, want);
                    free(data);
                    xs_mset_free(m);
                    xs_query_free(q);
                    seen++;
                }
            char vid[17], *data = NULL;
            size_t len;
            snprintf(vid, sizeof vid, "%08x%04x%04x", (unsigned)tag[0], 0u, ix == 0 ? 3u : 2u);
            assert_int_equal(store_file_data(db, vid, &data, &len, &err), PS_OK);
            assert_string_equal(data, ix == 0 ? "a:file:0:3" : "b:file:0:2");
            free(data);
        }
        assert_int_equal(seen, n == 1 ? 469 : 620);
        /* A place that names no chunk, or no entry of one, is an index error. */
        char loc[STORE_LOC_LEN], *data = NULL;
        size_t len;
        ps_err e2 = PS_ERR_INIT;
        store_loc_make("00000061ffff0001", 0, 1, loc);
        assert_int_equal(store_loc_data(db, loc, sizeof loc, &data, &len, &e2), PS_INDEX);
        store_loc_make("0000006100000001", 0, 200, loc);
        assert_int_equal(store_loc_data(db, loc, sizeof loc, &data, &len, &e2), PS_INDEX);
        assert_int_equal(store_loc_data(db, loc, 3, &data, &len, &e2), PS_INDEX);
        assert_null(data);
        xs_db_close(db);
    }
}

/* The writers' lock holds the writer's pid, and a second process is told
 * who has it. */
static void test_lock(void **state)
{
    const char *dir = *state;
    char path[4096];
    ps_err e = PS_ERR_INIT;
    int fd = store_lock(dir, 0, &e);
    assert_true(fd >= 0);
    /* Read through fd: closing another descriptor of the file would
     * release this process's lock (POSIX fcntl locks). */
    char pid[32] = "", want[32];
    assert_true(pread(fd, pid, sizeof pid - 1, 0) > 0);
    snprintf(want, sizeof want, "%ld\n", (long)getpid());
    assert_string_equal(pid, want);

    /* fcntl locks are per process: try from a child, its message in a file. */
    join(path, dir, "child.err");
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        ps_err ce = PS_ERR_INIT;
        int refused = store_lock(dir, 0, &ce) == -1;
        FILE *ef = fopen(path, "w");
        if (!ef || fputs(ce.msg, ef) < 0 || fclose(ef) != 0)
            _exit(3);
        _exit(refused ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char *msg = read_file(dir, "child.err");
    char expect[256];
    snprintf(expect, sizeof expect, "%s is being updated by another process (pid %ld)", dir,
             (long)getpid());
    if (!strstr(msg, expect))
        print_error("child said [%s]\n", msg);
    assert_non_null(strstr(msg, expect));
    free(msg);

    /* Released by closing: taken again at once. */
    assert_int_equal(close(fd), 0);
    fd = store_lock(dir, 0, &e);
    assert_true(fd >= 0);
    close(fd);
    join(path, dir, "no-such-dir");
    assert_int_equal(store_lock(path, 0, &e), -1);
    assert_int_not_equal(e.code, PS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rec_round_trip),
        cmocka_unit_test(test_fileinfo_round_trip),
        cmocka_unit_test(test_fileinfo_bounded),
        cmocka_unit_test(test_records_refused),
        cmocka_unit_test(test_filerec_round_trip),
        cmocka_unit_test(test_filerec_reading),
        cmocka_unit_test(test_filerec_canon),
        cmocka_unit_test(test_filerec_sha256),
        cmocka_unit_test(test_fileinfo_canon),
        cmocka_unit_test(test_path_hash_stable),
        cmocka_unit_test(test_version_terms),
        cmocka_unit_test(test_version_id),
        cmocka_unit_test_setup_teardown(test_stub_and_shard_count, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_remove_tree, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_stub_errors, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_recover_aside, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_foreign_dir, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_sync_tree, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_open_read_refuses, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test(test_varint_round_trip),
        cmocka_unit_test(test_block_entries),
        cmocka_unit_test_setup_teardown(test_records_through_chunks, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_lock, tmpdir_setup, tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
