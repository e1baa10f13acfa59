/* test_citations.c — unit tests for citations.h: a small index written by
 * the test (one shard, laid out as store.h says) with three live files and
 * a dead version, read back as `polsearch refs` reads it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "citations.h"
#include "helpers.h"
#include "refs.h"
#include "store.h"
#include "xapian-shim.h"

/* A document of the test index: a file document when text is NULL, else
 * one of the file's paragraphs. */
typedef struct t_doc {
    const char *vid;                 /* the file version id (16 hex digits) */
    const char *path;                /* file document: the path */
    const char *title;               /* file document: the title shown */
    const char *own_title;           /* file document: the title it is identified by, or NULL */
    const char *docno;               /* file document: its number, or "" */
    unsigned    paragraph;           /* paragraph: its number */
    const char *text;                /* paragraph: its text, or NULL for a file document */
} t_doc;

#define VID_A    "00000000000000a1"
#define VID_B    "00000000000000b1"
#define VID_C    "00000000000000c1"
#define VID_OLD  "00000000000000a0"   /* a dead version of a.txt */

/* a.txt is the 实施办法 (by title and number); b.txt borrowed its title
 * (a reply) and is identified by its number only; c.txt cites both and a
 * document that is not indexed; the dead version of a.txt cites c.txt. */
static const t_doc docs[] = {
    { VID_A, "a.txt", "关于支持企业创新的实施办法", "关于支持企业创新的实施办法", "甲发〔2024〕1号", 0, NULL },
    { VID_A, NULL, NULL, NULL, NULL, 1, "依据乙函[2023]2号，制定本办法。" },
    { VID_B, "b.txt", "关于某某建议的答复", NULL, "乙函〔2023〕2号", 0, NULL },
    { VID_B, NULL, NULL, NULL, NULL, 1, "您提出的《关于某某建议的答复》收悉。" },
    { VID_C, "c.txt", "丙市科技创新通知", "丙市科技创新通知", "", 0, NULL },
    { VID_C, NULL, NULL, NULL, NULL, 1, "根据《关于支持企业创新的实施办法》和甲发(2024)1号，" },
    { VID_C, NULL, NULL, NULL, NULL, 2, "参照《关于支持企业创新的实施办法》《丁省人才引进管理办法》执行。" },
    { VID_OLD, "a.txt", "关于支持企业创新的实施办法", "关于支持企业创新的实施办法", "甲发〔2024〕1号", 0, NULL },
    { VID_OLD, NULL, NULL, NULL, NULL, 1, "参照《丙市科技创新通知》执行。" },
};

/* Add the boolean identity term of title or number s (keyed as refs.h
 * keys it) to d. */
static void add_identity(xs_doc *d, enum ref_kind kind, const char *s)
{
    buf key = BUF_INIT, term = BUF_INIT;
    ps_err err = PS_ERR_INIT;
    int r = kind == REF_TITLE ? refs_normalize_title(s, strlen(s), &key, &err)
                              : refs_normalize_docno(s, strlen(s), &key, &err);
    assert_int_equal(r, 0);
    assert_int_equal(refs_term(kind, REF_IDENTITY, key.data, key.len, &term), 0);
    assert_int_equal(xs_doc_add_boolean(d, term.data, term.len, &err), PS_OK);
    buf_free(&key);
    buf_free(&term);
}

/* Add d to the shard w with its record data[0..len), as the writer keeps
 * records (store.h), but each in a chunk of its own: chunk `chunk` of the
 * file version vid, in the text database t. */
static void add_with_record(xs_wdb *w, xs_wdb *t, xs_doc *d, const char *vid, unsigned chunk,
                            const buf *data)
{
    ps_err err = PS_ERR_INIT;
    char key[STORE_KEY_LEN] = { 0 }, term[STORE_CHUNK_TERM_LEN + 1];   /* copy key 0, then the place */
    text_block b = { BUF_INIT, 0 };
    store_loc_make(vid, chunk, 0, key + STORE_COPY_KEY_LEN);
    store_chunk_term(vid, chunk, term);
    assert_int_equal(xs_doc_set_value(d, STORE_SLOT_KEY, key, sizeof key, &err), PS_OK);
    assert_int_equal(xs_wdb_add_doc(w, d, NULL, &err), PS_OK);
    assert_int_equal(store_block_add(&b, data->data, data->len), 0);
    xs_doc *c = xs_doc_new(&err);
    assert_non_null(c);
    assert_int_equal(xs_doc_add_boolean(c, term, strlen(term), &err), PS_OK);
    assert_int_equal(xs_doc_set_data(c, b.bytes.data, b.bytes.len, &err), PS_OK);
    assert_int_equal(xs_wdb_add_doc(t, c, NULL, &err), PS_OK);
    xs_doc_free(c);
    buf_free(&b.bytes);
}

/* Write one document of the test index into w (its record into tx). */
static void write_doc(xs_wdb *w, xs_wdb *tx, xs_doc *d, const t_doc *t)
{
    ps_err err = PS_ERR_INIT;
    char xf[19], xd[19];
    buf data = BUF_INIT;
    ref_list refs = REF_LIST_INIT;
    assert_int_equal(xs_doc_clear(d, NULL), PS_OK);
    store_version_term(t->vid, xf);
    assert_int_equal(xs_doc_add_boolean(d, xf, strlen(xf), &err), PS_OK);
    if (!t->text) {
        para_rec r = { t->vid, t->path, "", t->title, "2024-01-01", "", t->docno, "", 0, 0, 0, 0, NULL, "text", "", 0 };
        store_filedoc_term(t->vid, xd);
        assert_int_equal(xs_doc_add_boolean(d, xd, strlen(xd), &err), PS_OK);
        assert_int_equal(xs_doc_add_boolean(d, STORE_FILE_DOC, strlen(STORE_FILE_DOC), &err), PS_OK);
        if (t->own_title)
            add_identity(d, REF_TITLE, t->own_title);
        if (t->docno[0])
            add_identity(d, REF_DOCNO, t->docno);
        assert_int_equal(store_fileinfo_encode(&data, &r), 0);
    } else {
        para_rec r = { t->vid, NULL, NULL, NULL, NULL, NULL, NULL, NULL, t->paragraph, 0, 0, 0, NULL, NULL,
                       t->text, strlen(t->text) };
        /* The references as the index writer adds them (no own title or number here). */
        assert_int_equal(refs_extract(t->text, strlen(t->text), NULL, NULL, &refs, &err), 0);
        for (size_t i = 0; i < refs.n; i++) {
            buf term = BUF_INIT;
            assert_int_equal(refs_term(refs.items[i].kind, REF_CITES, refs_key(&refs, i),
                                       refs.items[i].key_len, &term), 0);
            assert_int_equal(xs_doc_add_boolean(d, term.data, term.len, &err), PS_OK);
            buf_free(&term);
        }
        assert_int_equal(store_rec_encode(&data, &r), 0);
    }
    add_with_record(w, tx, d, t->vid, t->text ? t->paragraph : 0, &data);
    refs_list_free(&refs);
    buf_free(&data);
}

/* Write the test index into the temporary directory *state. */
static int setup(void **state)
{
    if (tmpdir_setup(state) != 0)
        return -1;
    const char *dir = *state;
    char shard[4200], text[4200], xt[19];
    ps_err err = PS_ERR_INIT;
    store_shard_path(dir, 0, shard, sizeof shard);
    store_text_path(dir, 0, text, sizeof text);
    xs_wdb *w = xs_wdb_open(shard, XS_WDB_CREATE, &err);
    xs_wdb *tx = xs_wdb_open(text, XS_WDB_CREATE | XS_WDB_TERMLIST, &err);
    xs_doc *d = xs_doc_new(&err);
    assert_non_null(w);
    assert_non_null(tx);
    assert_non_null(d);
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
        write_doc(w, tx, d, &docs[i]);
    /* The tombstone of the old version of a.txt. */
    assert_int_equal(xs_doc_clear(d, NULL), PS_OK);
    store_tombstone_term(VID_OLD, xt);
    assert_int_equal(xs_doc_add_boolean(d, STORE_DEAD_TERM, strlen(STORE_DEAD_TERM), &err), PS_OK);
    assert_int_equal(xs_doc_add_boolean(d, xt, strlen(xt), &err), PS_OK);
    assert_int_equal(xs_wdb_add_doc(w, d, NULL, &err), PS_OK);
    assert_int_equal(xs_wdb_set_metadata(w, "polsearch.format", STORE_FORMAT, strlen(STORE_FORMAT), &err), PS_OK);
    assert_int_equal(xs_wdb_set_metadata(w, "polsearch.tokenizer", STORE_TOKENIZER, strlen(STORE_TOKENIZER),
                                         &err), PS_OK);
    xs_doc_free(d);
    assert_int_equal(xs_wdb_close(tx, &err), PS_OK);
    assert_int_equal(xs_wdb_close(w, &err), PS_OK);
    assert_int_equal(store_write_stub(dir, 1, NULL), 0);
    return 0;
}

/* Open the test index into ix (failing the test if it cannot be). */
static void open_index(void **state, cite_index *ix)
{
    int rc = cite_open(ix, *state);
    if (rc != 0)
        fail_msg("cite_open: %s", ix->err.msg);
}

/* The key of title or number s, as refs.h makes it (static buffer). */
static const char *key_of(enum ref_kind kind, const char *s, size_t *len)
{
    static char out[256];
    buf key = BUF_INIT;
    int r = kind == REF_TITLE ? refs_normalize_title(s, strlen(s), &key, NULL)
                              : refs_normalize_docno(s, strlen(s), &key, NULL);
    assert_int_equal(r, 0);
    assert_true(key.len < sizeof out);
    memcpy(out, key.data, key.len + 1);
    *len = key.len;
    buf_free(&key);
    return out;
}

/* The live files, in path order; the dead version of a.txt is not one. */
static void test_files(void **state)
{
    cite_index ix;
    open_index(state, &ix);
    assert_int_equal(ix.nfiles, 3);
    assert_string_equal(ix.files[0].info.file, "a.txt");
    assert_string_equal(ix.files[0].vid, VID_A);
    assert_string_equal(ix.files[1].info.file, "b.txt");
    assert_string_equal(ix.files[2].info.file, "c.txt");
    assert_int_equal(cite_file_by_path(&ix, "b.txt"), 1);
    assert_int_equal(cite_file_by_path(&ix, "./c.txt"), 2);
    assert_int_equal(cite_file_by_path(&ix, "d.txt"), CITE_NONE);
    cite_close(&ix);
}

/* Own titles: a.txt and c.txt are identified by their titles, b.txt (whose
 * title is borrowed from what it answers) by its number only. */
static void test_identities(void **state)
{
    cite_index ix;
    open_index(state, &ix);
    assert_int_equal(ix.files[0].own_title, 1);
    assert_int_equal(ix.files[1].own_title, 0);
    assert_int_equal(ix.files[2].own_title, 1);
    cite_terms t = CITE_TERMS_INIT;
    assert_int_equal(cite_terms_of_file(&ix, 1, &t), 0);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0], "XRN乙函〔2023〕2号");
    cite_terms_free(&t);
    assert_int_equal(cite_terms_of_file(&ix, 0, &t), 0);
    assert_int_equal(t.n, 2);
    assert_true(cite_terms_has(&t, "XRN甲发〔2024〕1号"));
    assert_true(cite_terms_has(&t, "XRT关于支持企业创新的实施办法"));
    assert_false(cite_terms_has(&t, "XRT关于某某建议的答复"));
    cite_terms_free(&t);
    cite_close(&ix);
}

/* A reference resolves to the file with that identity, not to itself,
 * and a borrowed title resolves to nothing. */
static void test_resolve(void **state)
{
    cite_index ix;
    size_t len;
    int is_self;
    open_index(state, &ix);
    const char *k = key_of(REF_TITLE, "《关于支持企业创新的实施办法》", &len);
    assert_int_equal(cite_resolve(&ix, REF_TITLE, k, len, CITE_NONE, &is_self), 0);
    assert_int_equal(is_self, 0);
    assert_int_equal(cite_resolve(&ix, REF_TITLE, k, len, 0, &is_self), CITE_NONE);
    assert_int_equal(is_self, 1);
    k = key_of(REF_DOCNO, "乙函（2023）2号", &len);
    assert_int_equal(cite_resolve(&ix, REF_DOCNO, k, len, 2, &is_self), 1);
    k = key_of(REF_TITLE, "关于某某建议的答复", &len);
    assert_int_equal(cite_resolve(&ix, REF_TITLE, k, len, CITE_NONE, &is_self), CITE_NONE);
    k = key_of(REF_TITLE, "丁省人才引进管理办法", &len);
    assert_int_equal(cite_resolve(&ix, REF_TITLE, k, len, CITE_NONE, &is_self), CITE_NONE);
    assert_int_equal(ix.err.code, PS_OK);
    cite_close(&ix);
}

/* The citing paragraphs of a.txt, by title or number, in path and
 * paragraph order; the paragraphs of a file in order. */
static void test_citing(void **state)
{
    cite_index ix;
    cite_terms t = CITE_TERMS_INIT;
    cite_paras p = CITE_PARAS_INIT;
    open_index(state, &ix);
    assert_int_equal(cite_terms_of_file(&ix, 0, &t), 0);
    assert_int_equal(cite_citing(&ix, &t, &p), 0);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.v[0].file, 2);
    assert_int_equal(p.v[0].rec.paragraph, 1);
    assert_int_equal(p.v[1].file, 2);
    assert_int_equal(p.v[1].rec.paragraph, 2);
    cite_paras_free(&p);
    cite_terms_free(&t);
    assert_int_equal(cite_file_paras(&ix, 2, &p), 0);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.v[1].rec.text, docs[6].text);
    cite_paras_free(&p);
    cite_close(&ix);
}

/* The graph: c -> a (two paragraphs), a -> b (by number); the dead
 * version's citation of c.txt is not an edge, nor the borrowed title. */
static void test_graph(void **state)
{
    cite_index ix;
    cite_edge *e;
    size_t n;
    open_index(state, &ix);
    assert_int_equal(cite_graph(&ix, &e, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(e[0].from, 0);
    assert_int_equal(e[0].to, 1);
    assert_int_equal(e[0].refs, 1);
    assert_int_equal(e[1].from, 2);
    assert_int_equal(e[1].to, 0);
    assert_int_equal(e[1].refs, 2);
    free(e);
    cite_close(&ix);
}

/* An index that is not there: an error, and cite_close frees what was read. */
static void test_missing(void **state)
{
    cite_index ix;
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/nothing", (const char *)*state);
    assert_int_equal(cite_open(&ix, dir), -1);
    assert_int_not_equal(ix.err.code, PS_OK);
    cite_close(&ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_identities),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_citing),
        cmocka_unit_test(test_graph),
        cmocka_unit_test(test_missing),
    };
    return cmocka_run_group_tests(tests, setup, tmpdir_teardown);
}
