/* test_docbuild.c — what docbuild.c puts into a file version's documents,
 * as store.h's schema and docbuild.h list it: for a given paragraph and
 * metadata, the exact terms (with their wdf: 0 for a boolean term), the
 * values and the record in the text chunk; a heading, a reference, a copy
 * key shared by copies and a policy term each have a case, and so do the
 * file document and the chunks.  The lists are the index format: a change
 * here is a format change (STORE_FORMAT). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "docbuild.h"
#include "failnew.h"
#include "lexicon.h"
#include "store.h"

#define VID "0123456789abcdef"

/* xs_doc_each_term callback: append "TERM wdf\n" (bytes outside ASCII
 * printed as they are: the terms are UTF-8). */
static int list_term(void *ctx, const char *term, size_t len, unsigned wdf)
{
    return buf_printf(ctx, "%.*s %u\n", (int)len, term, wdf);
}

/* Every term of d, one "TERM wdf" line each in byte order (malloc'd). */
static char *terms_of(const xs_doc *d)
{
    buf b = BUF_INIT;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(xs_doc_each_term(d, list_term, &b, &err), PS_OK);
    char *s = buf_detach(&b);
    assert_non_null(s);
    return s;
}

/* Fail unless d holds exactly the terms want (terms_of's form). */
static void expect_terms(const xs_doc *d, const char *want)
{
    char *got = terms_of(d);
    if (strcmp(got, want) != 0)
        print_error("terms:\n%s\nwant:\n%s\n", got, want);
    assert_string_equal(got, want);
    free(got);
}

/* d's value in slot as hex digits, into out (2 * len + 1 bytes at most 128). */
static void value_hex(const xs_doc *d, unsigned slot, char out[128])
{
    char *v = NULL;
    size_t len = 0;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(xs_doc_get_value(d, slot, &v, &len, &err), PS_OK);
    assert_true(len < 64);
    for (size_t i = 0; i < len; i++)
        snprintf(out + 2 * i, 3, "%02x", (unsigned char)v[i]);
    out[2 * len] = '\0';
    free(v);
}

/* The test's lexicon: 专精特新 (weight 1) and 科技成果转化 with the alias 成果转化. */
static lexicon *test_lexicon(void)
{
    ps_err err = PS_ERR_INIT;
    lexicon *lx = lex_new();
    const char *alias[] = { "成果转化" };
    assert_non_null(lx);
    assert_int_equal(lex_add(lx, "专精特新", 1.0, NULL, 0, &err), PS_OK);
    assert_int_equal(lex_add(lx, "科技成果转化", 2.0, alias, 1, &err), PS_OK);
    assert_int_equal(lex_build(lx, &err), PS_OK);
    return lx;
}

/* What the cases share: the builder, a file of the given format with the
 * metadata below, and its text (one page, or two when paged). */
typedef struct fixture {
    lexicon     *lx;                 /* test_lexicon */
    docbuild     b;                  /* the builder under test */
    doc_meta     meta;               /* title 关于专精特新的通知, date 2024-07-16, docno 临科发〔2024〕9号 */
    doc_text     doc;                /* format and pages */
    size_t       pages[2];           /* page starts when paged */
    docbuild_file f;                 /* the file, VID */
    char        *rec;                /* the record chunk_record decoded last (malloc'd) */
} fixture;

/* Set up *x for a file of format fmt (paged: two pages, the second
 * starting at byte 30). */
static void fixture_init(fixture *x, enum doc_format fmt, int paged)
{
    ps_err err = PS_ERR_INIT;
    memset(x, 0, sizeof *x);
    x->lx = test_lexicon();
    assert_int_equal(docbuild_init(&x->b, x->lx, &err), 0);
    x->meta = (doc_meta){ "关于专精特新的通知", "2024-07-16", "临沂市科学技术局", "临科发〔2024〕9号", "" };
    x->doc.format = (uint8_t)fmt;
    if (paged) {
        x->pages[0] = 0;
        x->pages[1] = 30;
        x->doc.page_start = x->pages;
        x->doc.npages = 2;
    }
    x->f = (docbuild_file){ .vid = VID, .path = "a/b.txt", .title = "关于专精特新的通知",
                            .meta = &x->meta, .doc = &x->doc };
    assert_int_equal(docbuild_file_start(&x->b, &x->f, &err), 0);
}

/* Free *x. */
static void fixture_free(fixture *x)
{
    free(x->rec);
    docbuild_free(&x->b);
    lex_free(x->lx);
}

/* Build paragraph text (at byte_off, number n) of x's file; fails the test
 * on an error. */
static void build(fixture *x, const char *text, size_t byte_off, unsigned n)
{
    ps_err err = PS_ERR_INIT;
    docbuild_para p = { .text = text, .len = strlen(text), .byte_off = byte_off, .number = n };
    if (docbuild_paragraph(&x->b, &x->f, &p, &err) != 0)
        fail_msg("docbuild_paragraph: %s", err.msg);
}

/* Entry e of x's current chunk, decoded as a paragraph record (pointing
 * into x->rec, valid until the next call). */
static para_rec chunk_record(fixture *x, unsigned e)
{
    const char *entry;
    size_t elen;
    para_rec r;
    assert_int_equal(store_block_entry(x->b.chunk.bytes.data, x->b.chunk.bytes.len, e, &entry, &elen), 0);
    free(x->rec);
    x->rec = malloc(elen + 1);
    assert_non_null(x->rec);
    memcpy(x->rec, entry, elen);
    x->rec[elen] = '\0';
    memset(&r, 0, sizeof r);
    assert_int_equal(store_rec_decode(x->rec, elen, &r), 0);
    return r;
}

/* A heading with a policy term, in plain text: content terms (bigrams,
 * the run's last character, the common characters), K专精特新, the
 * heading term XH, XF<vid> and the two copy buckets; no format term; the
 * date value; the copy key then the place (chunk 0, entry 1: entry 0 is
 * the file record); the record flags the heading. */
static void test_heading_with_policy_term(void **state)
{
    (void)state;
    fixture x;
    fixture_init(&x, FMT_TEXT, 0);
    build(&x, "一、专精特新", 0, 1);
    expect_terms(x.b.doc,
                 "K专精特新 1\n"
                 "XC29d 0\n"
                 "XE0dc 0\n"
                 "XF" VID " 0\n"
                 "XH 1\n"
                 "一 1\n"
                 "专 1\n"
                 "专精 1\n"
                 "新 1\n"
                 "特 1\n"
                 "特新 1\n"
                 "精 1\n"
                 "精特 1\n");
    char hex[128];
    value_hex(x.b.doc, STORE_SLOT_DATE, hex);
    assert_string_equal(hex, "3230323430373136");          /* "20240716" */
    value_hex(x.b.doc, STORE_SLOT_KEY, hex);
    assert_string_equal(hex, "29d0dc6de6c2c6e9" VID "0000" "01" "00000001"); /* then paragraph 1 */
    para_rec r = chunk_record(&x, 1);
    assert_int_equal(r.paragraph, 1);
    assert_int_equal(r.flags, PARA_F_HEADING);
    assert_int_equal(r.page, 0);
    assert_int_equal(r.text_len, strlen("一、专精特新"));
    assert_memory_equal(r.text, "一、专精特新", r.text_len);
    fixture_free(&x);
}

/* A sentence in a PDF that cites another document by its title and by a
 * number, and names an alias: the reference terms XRT/XRN, the format
 * term XKpdf, the K term of the alias's term; not a heading.  It starts
 * on page 1 and runs into page 2 (a break 30 bytes in). */
static void test_reference_in_pdf(void **state)
{
    (void)state;
    fixture x;
    fixture_init(&x, FMT_PDF, 1);
    const char *text = "根据《宁波市科技创新条例》和甬科发〔2023〕5号推进成果转化工作。";
    build(&x, text, 0, 2);
    char *got = terms_of(x.b.doc);
    /* The terms that are not content terms, each once. */
    const char *want[] = { "K科技成果转化 1\n", "XF" VID " 0\n", "XKpdf 0\n", "XRN甬科发〔2023〕5号 0\n",
                           "XRT宁波市科技创新条例 0\n" };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(got, want[i]))
            fail_msg("no %s in\n%s", want[i], got);
    assert_null(strstr(got, "XH "));
    assert_null(strstr(got, "XI"));                         /* identity terms are the file document's */
    free(got);
    para_rec r = chunk_record(&x, 1);
    assert_int_equal(r.page, 1);
    assert_string_equal(r.page_breaks, "30");
    assert_int_equal(r.flags, 0);
    fixture_free(&x);
}

/* Copies that differ in width, case and white space share the copy key
 * and its buckets, and weigh the same (the same terms); another text has
 * another key.  The document's own title is flagged as the title. */
static void test_copy_key(void **state)
{
    (void)state;
    fixture x;
    fixture_init(&x, FMT_TEXT, 0);
    char k1[128], k2[128], k3[128];
    build(&x, "支持5G 企业发展", 0, 1);
    value_hex(x.b.doc, STORE_SLOT_KEY, k1);
    char *t1 = terms_of(x.b.doc);
    build(&x, "支持５ｇ  企业发展", 40, 2);
    value_hex(x.b.doc, STORE_SLOT_KEY, k2);
    char *t2 = terms_of(x.b.doc);
    build(&x, "支持5G 企业成长", 80, 3);
    value_hex(x.b.doc, STORE_SLOT_KEY, k3);
    assert_memory_equal(k1, k2, 16);                        /* the copy key: 8 bytes */
    assert_memory_not_equal(k1, k3, 16);
    assert_string_equal(k1 + 16, VID "000001" "00000001");  /* then each one's place and number */
    assert_string_equal(k2 + 16, VID "000002" "00000002");
    assert_string_equal(t1, t2);
    free(t1);
    free(t2);
    build(&x, "关于专精特新的通知", 120, 4);
    assert_int_equal(chunk_record(&x, 4).flags & PARA_F_TITLE, PARA_F_TITLE);
    fixture_free(&x);
}

/* The file document: XF, XD, XFILE and the identity terms of its own
 * title and number; no content term; as key no copy key and the place of
 * its file record. */
static void test_file_doc(void **state)
{
    (void)state;
    fixture x;
    ps_err err = PS_ERR_INIT;
    fixture_init(&x, FMT_TEXT, 0);
    assert_int_equal(docbuild_file_doc(&x.b, &x.f, &err), 0);
    expect_terms(x.b.doc,
                 "XD" VID " 0\n"
                 "XF" VID " 0\n"
                 "XFILE 0\n"
                 "XIN临科发〔2024〕9号 0\n"
                 "XIT关于专精特新的通知 0\n");
    char hex[128];
    value_hex(x.b.doc, STORE_SLOT_KEY, hex);
    assert_string_equal(hex, "0000000000000000" VID "000000" "00000000");
    fixture_free(&x);
}

/* Text chunks: entry 0 of each is the file record; a chunk is full at
 * STORE_CHUNK_ENTRIES entries; its document has the one term
 * XB<vid><chunk> and its entries as data; the next chunk starts with the
 * file record again and its paragraphs' places say chunk 1. */
static void test_chunks(void **state)
{
    (void)state;
    fixture x;
    ps_err err = PS_ERR_INIT;
    fixture_init(&x, FMT_TEXT, 0);
    assert_int_equal(docbuild_chunk_pending(&x.b), 1);      /* the file record alone */
    unsigned n = 0;
    while (!docbuild_chunk_full(&x.b))
        build(&x, "科技企业", 10 * n, n + 1), n++;
    assert_int_equal(n, STORE_CHUNK_ENTRIES - 1);
    size_t bytes = x.b.chunk.bytes.len;
    assert_int_equal(docbuild_chunk_doc(&x.b, VID, &err), 0);
    expect_terms(x.b.chunk_doc, "XB" VID "0000 0\n");
    assert_int_equal(docbuild_chunk_pending(&x.b), 0);
    assert_int_equal(x.b.chunk_no, 1);
    build(&x, "科技企业", 10 * n, n + 1);
    char hex[128];
    value_hex(x.b.doc, STORE_SLOT_KEY, hex);
    assert_string_equal(hex + 16, VID "000101" "00000040"); /* chunk 1, entry 1, paragraph 64 */
    const char *e0;
    size_t e0len;
    assert_int_equal(store_block_entry(x.b.chunk.bytes.data, x.b.chunk.bytes.len, 0, &e0, &e0len), 0);
    assert_int_equal(e0len, x.b.file_info.len);
    assert_memory_equal(e0, x.b.file_info.data, e0len);
    assert_true(bytes > x.b.chunk.bytes.len);
    fixture_free(&x);
}

/* Paragraphs of long (about 400 bytes) that fit in x's first chunk. */
static unsigned fill_first_chunk(fixture *x)
{
    char text[4 * 12 * 33 + 1] = "";
    for (int i = 0; i < 33; i++)
        strcat(text, "科技企业");
    unsigned n = 0;
    while (!docbuild_chunk_full(&x->b))
        build(x, text, 400 * n, n + 1), n++;
    return n;
}

/* The canonical path rides in the file record of every chunk, but the
 * chunk budget leaves it out: a file is cut into chunks at the same
 * paragraphs wherever its folder lies (a 1000-byte path, whose record's
 * length takes a varint byte more, included). */
static void test_chunks_canon(void **state)
{
    (void)state;
    fixture x;
    ps_err err = PS_ERR_INIT;
    fixture_init(&x, FMT_TEXT, 0);
    unsigned plain = fill_first_chunk(&x);
    assert_true(plain > 1 && plain < STORE_CHUNK_ENTRIES - 1);  /* the bytes decide, not the entries */
    fixture_free(&x);

    char canon[1001];
    memset(canon, 'd', sizeof canon - 1);
    canon[0] = '/';
    canon[sizeof canon - 1] = '\0';
    fixture_init(&x, FMT_TEXT, 0);
    x.f.canon = canon;
    x.b.chunk.n = 0;                                         /* started again, with it */
    buf_clear(&x.b.chunk.bytes);
    assert_int_equal(docbuild_file_start(&x.b, &x.f, &err), 0);
    assert_int_equal(fill_first_chunk(&x), plain);
    para_rec r = { 0 };
    char *info = malloc(x.b.file_info.len + 1);
    assert_non_null(info);
    memcpy(info, x.b.file_info.data, x.b.file_info.len);
    assert_int_equal(store_fileinfo_decode(info, x.b.file_info.len, &r), 0);
    assert_string_equal(r.file, "a/b.txt");
    assert_string_equal(r.canon, canon);
    free(info);
    fixture_free(&x);
}

/* Out of memory as the paragraph's document is cleared for reuse (the
 * new Xapian::Document it takes): docbuild_paragraph fails with PS_NOMEM,
 * and does not go on filling the document that still holds the last
 * paragraph's terms (as it did: the oomshim sweep's index N=6371, a shard
 * that reported success with a paragraph indexed under two paragraphs'
 * terms); after it, the paragraph builds as it would have. */
static void test_paragraph_out_of_memory(void **state)
{
    (void)state;
    fixture want, x;
    fixture_init(&want, FMT_TEXT, 0);
    build(&want, "二、科技企业", 10, 2);
    char *want_terms = terms_of(want.b.doc);
    fixture_init(&x, FMT_TEXT, 0);
    build(&x, "一、专精特新", 0, 1);
    ps_err err = PS_ERR_INIT;
    docbuild_para p = { .text = "二、科技企业", .len = strlen("二、科技企业"), .byte_off = 10, .number = 2 };
    unsigned long failed = failnew_failed();
    failnew_arm(1);
    int rc = docbuild_paragraph(&x.b, &x.f, &p, &err);
    failnew_arm(0);
    assert_int_equal(failnew_failed(), failed + 1);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, PS_NOMEM);
    build(&x, "二、科技企业", 10, 2);
    expect_terms(x.b.doc, want_terms);
    free(want_terms);
    fixture_free(&want);
    fixture_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heading_with_policy_term),
        cmocka_unit_test(test_reference_in_pdf),
        cmocka_unit_test(test_copy_key),
        cmocka_unit_test(test_file_doc),
        cmocka_unit_test(test_chunks),
        cmocka_unit_test(test_chunks_canon),
        cmocka_unit_test(test_paragraph_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
