/* test_docx.c — unit tests for the Word readers: reader_docx.c (with
 * zipread.c) and reader_doc.c.
 *
 * DOCX inputs are zips built here, in memory, by a small zip writer (stored
 * or deflated members, and a size the headers may lie about), so each case
 * shows the WordprocessingML it reads.  The .doc/.xls cases read the
 * LibreOffice fixtures in tests/fixtures/word/ (env TESTS_DIR, default
 * "tests") and damage copies of them in memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <zlib.h>

#include "buf.h"
#include "reader.h"
#include "../zipwrite.h"

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define DOC_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document " W_NS "><w:body>"
#define DOC_TAIL "</w:body></w:document>"

/* Build into z the zip of the n members, deflated. */
static void zip_build(buf *z, const zw_member *m, size_t n)
{
    assert_int_equal(zw_build(z, m, n, 1), 0);
}

/* Read a DOCX made of document.xml body (between DOC_HEAD and DOC_TAIL)
 * and the extra members; returns reader_docx's result, *out and *err set. */
static int read_docx(const char *body, const zw_member *extra, size_t nextra, reader_out *out, ps_err *err)
{
    buf doc = BUF_INIT, z = BUF_INIT;
    assert_int_equal(buf_printf(&doc, "%s%s%s", DOC_HEAD, body, DOC_TAIL), 0);
    zw_member m[8] = { { "word/document.xml", doc.data, doc.len, 0 } };
    assert_true(nextra < 8);
    for (size_t i = 0; i < nextra; i++)
        m[i + 1] = extra[i];
    zip_build(&z, m, nextra + 1);
    reader_opts o = { .max_size = 64u << 20 };
    int rc = reader_docx((const unsigned char *)z.data, z.len, &o, out, err);
    buf_free(&doc);
    buf_free(&z);
    return rc;
}

/* Expect body to read as exactly want. */
static void expect_text(const char *body, const char *want)
{
    reader_out out = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    int rc = read_docx(body, NULL, 0, &out, &err);
    if (rc != 0)
        fail_msg("reader_docx failed: %s", err.msg);
    assert_string_equal(out.text.data ? out.text.data : "", want);
    reader_out_free(&out);
}

static void test_paragraphs(void **state)
{
    (void)state;
    expect_text("<w:p><w:r><w:t>科技</w:t></w:r><w:r><w:t>创新</w:t></w:r></w:p>"
                "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
                "<w:r><w:t xml:space=\"preserve\">第一条 </w:t><w:tab/><w:t>专精特新</w:t></w:r></w:p>"
                "<w:p/><w:p><w:r><w:t>上行</w:t><w:br/><w:t>下行</w:t><w:cr/><w:t>末行</w:t></w:r></w:p>"
                "<w:p><w:r><w:t>A&amp;B</w:t><w:noBreakHyphen/><w:t>C</w:t></w:r></w:p>",
                "科技创新\n\n第一条 专精特新\n\n上行\n下行\n末行\n\nA&B-C");
}

static void test_table(void **state)
{
    (void)state;
    expect_text("<w:p><w:r><w:t>表前</w:t></w:r></w:p>"
                "<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>企业名称</w:t></w:r></w:p></w:tc>"
                "<w:tc><w:p><w:r><w:t>类别</w:t></w:r></w:p></w:tc></w:tr>"
                "<w:tr><w:tc><w:p><w:r><w:t>甲公司</w:t></w:r></w:p></w:tc>"
                "<w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>小巨人</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
                "<w:p><w:r><w:t>表后</w:t></w:r></w:p>",
                "表前\n\n企业名称\n类别\n\n甲公司\n小巨人\n\n表后");
}

static void test_hidden_parts(void **state)
{
    (void)state;
    expect_text("<w:p><w:r><w:t>保留</w:t></w:r>"
                "<w:del w:id=\"1\" w:author=\"x\"><w:r><w:delText>删除的字</w:delText></w:r></w:del>"
                "<w:ins w:id=\"2\" w:author=\"x\"><w:r><w:t>插入</w:t></w:r></w:ins>"
                "<w:moveFrom w:id=\"3\"><w:r><w:t>移走</w:t></w:r></w:moveFrom></w:p>"
                "<w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
                "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>3</w:t></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t>页</w:t></w:r>"
                "<w:fldSimple w:instr=\"DATE\"><w:r><w:t>今天</w:t></w:r></w:fldSimple></w:p>"
                "<w:p><mc:AlternateContent xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">"
                "<mc:Choice Requires=\"wps\"><w:r><w:t>文本框</w:t></w:r></mc:Choice>"
                "<mc:Fallback><w:r><w:t>文本框</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>",
                "保留插入\n\n第3页今天\n\n文本框");
}

static void test_notes_and_core(void **state)
{
    (void)state;
    const char *fn = "<?xml version=\"1.0\"?><w:footnotes " W_NS ">"
                     "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
                     "<w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r><w:t>不要</w:t></w:r></w:p></w:footnote>"
                     "<w:footnote w:id=\"1\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:tab/><w:t>脚注一</w:t></w:r></w:p></w:footnote>"
                     "</w:footnotes>";
    const char *en = "<?xml version=\"1.0\"?><w:endnotes " W_NS ">"
                     "<w:endnote w:id=\"1\"><w:p><w:r><w:t>尾注一</w:t></w:r></w:p></w:endnote></w:endnotes>";
    const char *core = "<?xml version=\"1.0\"?><cp:coreProperties "
                       "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
                       "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">"
                       "<dc:title>  关于促进\n专精特新  </dc:title>"
                       "<dcterms:created>2024-07-16T15:19:00Z</dcterms:created></cp:coreProperties>";
    zw_member extra[] = {
        { "word/footnotes.xml", fn, strlen(fn), 0 },
        { "word/endnotes.xml", en, strlen(en), 0 },
        { "docProps/core.xml", core, strlen(core), 0 },
    };
    reader_out out = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    int rc = read_docx("<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>",
                       extra, 3, &out, &err);
    if (rc != 0)
        fail_msg("%s", err.msg);
    assert_string_equal(out.text.data, "正文\n\n脚注一\n\n尾注一");
    assert_string_equal(out.title, "关于促进 专精特新");
    assert_string_equal(out.date, "2024-07-16");
    reader_out_free(&out);

    /* Damaged notes cost the notes only. */
    const char *badfn = "<w:footnotes " W_NS "><w:footnote w:id=\"1\"><w:p><w:r><w:t>半截";
    zw_member e1[] = { { "word/footnotes.xml", badfn, strlen(badfn), 0 }, { "word/endnotes.xml", en, strlen(en), 0 } };
    assert_int_equal(read_docx("<w:p><w:r><w:t>正文</w:t></w:r></w:p>", e1, 2, &out, &err), 0);
    assert_int_equal(err.code, PS_OK);
    assert_string_equal(out.text.data, "正文\n\n尾注一");
    reader_out_free(&out);

    /* A damaged core.xml costs the metadata only. */
    const char *bad = "<cp:coreProperties><dc:title>x";
    zw_member e2[] = { { "docProps/core.xml", bad, strlen(bad), 0 } };
    assert_int_equal(read_docx("<w:p><w:r><w:t>正文</w:t></w:r></w:p>", e2, 1, &out, &err), 0);
    assert_string_equal(out.text.data, "正文");
    assert_null(out.title);
    assert_null(out.date);
    reader_out_free(&out);
}

/* Peak resident size of this process in MB. */
static long peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

/* reader_docx on the zip z with a 256 MB limit, timed: the seconds it took
 * go to *secs and the growth of the peak resident size (MB) to *grew. */
static int timed_docx(const buf *z, reader_out *out, ps_err *err, double *secs, long *grew)
{
    long before = peak_mb();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    reader_opts o = { .max_size = 256u << 20 };
    int rc = reader_docx((const unsigned char *)z->data, z->len, &o, out, err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    *grew = peak_mb() - before;
    return rc;
}

static void test_zip_bomb(void **state)
{
    (void)state;
    const uint64_t size = (uint64_t)400 << 20;
    /* Honest headers (refused on the declared size), then lying ones (the
     * inflated bytes are counted). */
    buf z = BUF_INIT;
    zw_member bomb = { "word/document.xml", NULL, size, 0 };
    zip_build(&z, &bomb, 1);
    assert_true(z.len < (2u << 20));
    for (int i = 0; i < 2; i++) {
        if (i == 1) {
            /* The same bytes, the uncompressed size in the local header
             * (offset 22) and the central directory entry (24) a lie. */
            unsigned char *p = (unsigned char *)z.data;
            const unsigned char *eocd = p + z.len - 22;
            uint32_t cd = (uint32_t)eocd[16] | (uint32_t)eocd[17] << 8 | (uint32_t)eocd[18] << 16 | (uint32_t)eocd[19] << 24;
            const unsigned char lie[4] = { 0xE8, 0x03, 0, 0 };
            memcpy(p + 22, lie, 4);
            memcpy(p + cd + 24, lie, 4);
        }
        reader_out out = READER_OUT_INIT;
        ps_err err = PS_ERR_INIT;
        double secs;
        long grew;
        int rc = timed_docx(&z, &out, &err, &secs, &grew);
        if (i == 0) {
            assert_int_equal(rc, -1);
            assert_int_equal(err.code, PS_INPUT);
            assert_non_null(strstr(err.msg, "larger than the limit of 256 MB"));
        } else {
            assert_int_equal(rc, -1);
            assert_int_equal(err.code, PS_INPUT);
            assert_string_equal(err.msg, "word/document.xml: damaged (inflates past its declared size)");
        }
        assert_null(out.text.data);
        assert_true(secs < 2.0);
        /* Not even the 256 MB of the limit is allocated. */
        assert_true(grew < 32);
    }
    buf_free(&z);
}

static void test_billion_laughs(void **state)
{
    (void)state;
    buf x = BUF_INIT;
    assert_int_equal(buf_puts(&x, "<?xml version=\"1.0\"?><!DOCTYPE w:document [\n"
                                  "<!ENTITY lol \"lollollollollollollollollollol\">\n"), 0);
    for (int i = 1; i <= 9; i++) {
        assert_int_equal(buf_printf(&x, "<!ENTITY lol%d \"", i), 0);
        for (int j = 0; j < 10; j++)
            assert_int_equal(buf_printf(&x, "&lol%s;", i == 1 ? "" : (char[2]){ (char)('0' + i - 1), 0 }), 0);
        assert_int_equal(buf_puts(&x, "\">\n"), 0);
    }
    assert_int_equal(buf_puts(&x, "<!ENTITY ext SYSTEM \"file:///etc/passwd\">\n]>"
                                  "<w:document " W_NS "><w:body><w:p><w:r><w:t>前&lol9;后</w:t></w:r></w:p>"
                                  "<w:p><w:r><w:t>&ext;</w:t></w:r></w:p></w:body></w:document>"), 0);
    buf z = BUF_INIT;
    zw_member m[] = { { "word/document.xml", x.data, x.len, 0 } };
    zip_build(&z, m, 1);
    reader_out out = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    double secs;
    long grew;
    int rc = timed_docx(&z, &out, &err, &secs, &grew);
    printf("# billion laughs: rc %d (%s), %.3f s\n", rc, rc ? err.msg : "read", secs);
    /* Either refused as damaged XML or read without the entities. */
    if (rc == 0) {
        assert_true(out.text.len < 1000);
        assert_null(strstr(out.text.data, "lol"));
        assert_null(strstr(out.text.data, "root:"));
    } else {
        assert_int_equal(err.code, PS_INPUT);
        assert_non_null(strstr(err.msg, "word/document.xml: damaged XML"));
    }
    assert_true(secs < 5.0);
    assert_true(grew < 100);
    reader_out_free(&out);
    buf_free(&z);
    buf_free(&x);
}

static void test_bad_zips(void **state)
{
    (void)state;
    reader_opts o = { .max_size = 64u << 20 };
    reader_out out = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    buf z = BUF_INIT;
    const char *body = DOC_HEAD "<w:p><w:r><w:t>正文内容</w:t></w:r></w:p>" DOC_TAIL;
    zw_member m[] = { { "word/document.xml", body, strlen(body), 0 } };
    zip_build(&z, m, 1);
    /* Cut anywhere: never read, always one reason. */
    for (size_t cut = 0; cut < z.len; cut += 7) {
        ps_err_clear(&err);
        int rc = reader_docx((const unsigned char *)z.data, cut, &o, &out, &err);
        assert_int_equal(rc, -1);
        assert_int_equal(err.code, PS_INPUT);
        assert_true(err.msg[0] != '\0' && !strchr(err.msg, '\n'));
        assert_null(out.text.data);
    }
    /* Malformed XML in a whole zip. */
    const char *broken = DOC_HEAD "<w:p><w:r><w:t>正文</w:t></w:r>";
    m[0].data = broken;
    m[0].len = strlen(broken);
    buf_clear(&z);
    zip_build(&z, m, 1);
    ps_err_clear(&err);
    assert_int_equal(reader_docx((const unsigned char *)z.data, z.len, &o, &out, &err), -1);
    assert_int_equal(err.code, PS_INPUT);
    assert_non_null(strstr(err.msg, "word/document.xml: damaged XML (line"));
    /* A zip without document.xml. */
    m[0].name = "word/other.xml";
    buf_clear(&z);
    zip_build(&z, m, 1);
    ps_err_clear(&err);
    assert_int_equal(reader_docx((const unsigned char *)z.data, z.len, &o, &out, &err), -1);
    assert_string_equal(err.msg, "word/document.xml: no such part");
    buf_free(&z);
}

/* Read fixture tests/fixtures/word/name into *b. */
static void fixture(const char *name, buf *b)
{
    const char *dir = getenv("TESTS_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/fixtures/word/%s", dir && *dir ? dir : "tests", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char tmp[65536];
    size_t r;
    while ((r = fread(tmp, 1, sizeof tmp, f)) > 0)
        assert_int_equal(buf_append(b, tmp, r), 0);
    fclose(f);
}

static void test_doc(void **state)
{
    (void)state;
    reader_opts o = { .max_size = 64u << 20 };
    reader_out out = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    buf d = BUF_INIT;
    fixture("structure.doc", &d);
    assert_int_equal(reader_detect((const unsigned char *)d.data, d.len), FMT_DOC);
    int rc = reader_doc((const unsigned char *)d.data, d.len, &o, &out, &err);
    if (rc != 0)
        fail_msg("%s", err.msg);
    /* Paragraphs; the table's cells as lines, its rows as blocks; the page
     * field's result without its instruction; the footnote after the body. */
    assert_non_null(strstr(out.text.data, "第一段：支持专精特新中小企业开展技术攻关，并给予资金奖励。\n\n"));
    assert_non_null(strstr(out.text.data, "\n\n企业名称\n认定类别\n奖励金额\n\n甲科技有限公司\n国家级小巨人\n五十万元\n\n"));
    assert_non_null(strstr(out.text.data, "施行。第1页\n\n脚注：详见工业和信息化部相关文件。"));
    assert_null(strstr(out.text.data, "PAGE"));
    assert_null(strstr(out.text.data, "HYPERLINK"));
    reader_out_free(&out);

    /* Encrypted: set fEncrypted in the FIB (the WordDocument stream starts
     * at a sector boundary with wIdent A5EC). */
    buf e = BUF_INIT;
    assert_int_equal(buf_append(&e, d.data, d.len), 0);
    size_t at = 0;
    for (size_t s = 512; s + 12 <= e.len && !at; s += 512)
        if ((unsigned char)e.data[s] == 0xEC && (unsigned char)e.data[s + 1] == 0xA5)
            at = s;
    assert_true(at > 0);
    e.data[at + 11] |= 0x01;
    ps_err_clear(&err);
    assert_int_equal(reader_doc((const unsigned char *)e.data, e.len, &o, &out, &err), -1);
    assert_int_equal(err.code, PS_SKIP);
    assert_string_equal(err.msg, "encrypted Word document: a password is needed");
    /* A piece table pointing outside the stream: every byte of the FIB's
     * CLX pointer wrecked in turn never crashes and gives one reason. */
    for (int k = 0; k < 8; k++) {
        memcpy(e.data, d.data, d.len);
        e.data[at + 0x1A2 + k] = (char)0xFF;
        ps_err_clear(&err);
        rc = reader_doc((const unsigned char *)e.data, e.len, &o, &out, &err);
        assert_true(rc == 0 || (err.code == PS_INPUT && err.msg[0]));
        reader_out_free(&out);
    }
    /* Truncated: the compound file is damaged. */
    for (size_t cut = 8; cut < d.len; cut += d.len / 13) {
        ps_err_clear(&err);
        rc = reader_doc((const unsigned char *)d.data, cut, &o, &out, &err);
        assert_int_equal(rc, -1);
        assert_int_equal(err.code, PS_INPUT);
        assert_true(err.msg[0] && !strchr(err.msg, '\n'));
        assert_null(out.text.data);
    }
    /* Random bytes after the OLE2 magic. */
    srand(20261129);
    for (size_t i = 8; i < e.len; i++)
        e.data[i] = (char)(rand() & 0xFF);
    ps_err_clear(&err);
    assert_int_equal(reader_doc((const unsigned char *)e.data, e.len, &o, &out, &err), -1);
    assert_int_equal(err.code, PS_INPUT);
    buf_free(&e);
    buf_free(&d);

    /* An OLE2 file that is not Word. */
    buf x = BUF_INIT;
    fixture("sheet.xls", &x);
    ps_err_clear(&err);
    assert_int_equal(reader_doc((const unsigned char *)x.data, x.len, &o, &out, &err), -1);
    assert_int_equal(err.code, PS_SKIP);
    assert_string_equal(err.msg, "OLE2 file that is not a Word document (Excel? PowerPoint?)");
    buf_free(&x);
}

static void test_same_text(void **state)
{
    (void)state;
    /* The DOCX and DOC that LibreOffice made of one seed read the same. */
    reader_opts o = { .max_size = 64u << 20 };
    buf a = BUF_INIT, b = BUF_INIT;
    fixture("004_135bf9ada3a6babd.docx", &a);
    fixture("004_135bf9ada3a6babd.doc", &b);
    reader_out ra = READER_OUT_INIT, rb = READER_OUT_INIT;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(reader_docx((const unsigned char *)a.data, a.len, &o, &ra, &err), 0);
    assert_int_equal(reader_doc((const unsigned char *)b.data, b.len, &o, &rb, &err), 0);
    assert_true(ra.text.len > 10000);
    assert_string_equal(ra.text.data, rb.text.data);
    reader_out_free(&ra);
    reader_out_free(&rb);
    buf_free(&a);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_hidden_parts),
        cmocka_unit_test(test_notes_and_core),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_bad_zips),
        cmocka_unit_test(test_doc),
        cmocka_unit_test(test_same_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
