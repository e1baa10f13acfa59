/* test_decode.c — unit tests for decode.c: encodings, gzip, HTML pages as
 * files (html.c itself is tested in test_html.c, boiler.c in test_boiler.c).
 *
 * Fixtures are made at run time from the seed documents (env SEEDS, default
 * "seeds") in a mkdtemp directory under /tmp that is removed at the end:
 * the seeds converted to GB18030, UTF-16 and UTF-8 with BOM, gzipped,
 * wrapped in an HTML page, and damaged in the ways real files are. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "decode.h"
#include "reader.h"

#define NSEEDS 5

/* Shared fixture state of the group. */
typedef struct fixture {
    char    dir[64];                 /* the mkdtemp directory */
    char   *seed[NSEEDS];            /* seed texts (UTF-8, malloc'd) */
    size_t  seed_len[NSEEDS];        /* their lengths */
    int     nseeds;                  /* how many were found */
} fixture;

/* Read a whole file; returns malloc'd bytes (NUL-terminated) or NULL. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    buf b = BUF_INIT;
    char tmp[65536];
    size_t r;
    while ((r = fread(tmp, 1, sizeof tmp, f)) > 0)
        if (buf_append(&b, tmp, r) != 0) {
            buf_free(&b);
            fclose(f);
            return NULL;
        }
    fclose(f);
    *len = b.len;
    return buf_detach(&b);
}

static int group_setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/polsearch-decode-XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    const char *seeds = getenv("SEEDS");
    if (!seeds || !*seeds)
        seeds = "seeds";
    DIR *d = opendir(seeds);
    if (!d) {
        fprintf(stderr, "test_decode: cannot open SEEDS directory %s\n", seeds);
        rmdir(fx->dir);
        free(fx);
        return -1;
    }
    for (int i = 0; i < NSEEDS; i++) {
        char prefix[16];
        snprintf(prefix, sizeof prefix, "%03d_", i);
        struct dirent *e;
        rewinddir(d);
        while ((e = readdir(d)) != NULL) {
            if (strncmp(e->d_name, prefix, 4) != 0)
                continue;
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s", seeds, e->d_name);
            fx->seed[i] = slurp(path, &fx->seed_len[i]);
            break;
        }
        if (fx->seed[i])
            fx->nseeds++;
    }
    closedir(d);
    if (fx->nseeds != NSEEDS) {
        fprintf(stderr, "test_decode: expected %d seeds 000_..004_ in %s\n", NSEEDS, seeds);
        for (int i = 0; i < NSEEDS; i++)
            free(fx->seed[i]);
        rmdir(fx->dir);
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int group_teardown(void **state)
{
    fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s", fx->dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(fx->dir);
    for (int i = 0; i < NSEEDS; i++)
        free(fx->seed[i]);
    free(fx);
    return 0;
}

/* Write a fixture file; returns its path in a static buffer per slot. */
static const char *put_file(const fixture *fx, const char *name, const void *data, size_t len)
{
    static char paths[4][PATH_MAX];
    static int slot;
    char *path = paths[slot++ & 3];
    snprintf(path, PATH_MAX, "%s/%s", fx->dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (len)
        assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Convert UTF-8 to charset cs, strictly (a fixture must be exact). */
static char *convert(const char *s, size_t n, const char *cs, size_t *outlen)
{
    iconv_t cd = iconv_open(cs, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t cap = n * 4 + 16;
    char *out = malloc(cap);
    assert_non_null(out);
    char *ip = (char *)(uintptr_t)s, *op = out;
    size_t il = n, ol = cap;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    assert_true(r != (size_t)-1);
    assert_int_equal(il, 0);
    iconv_close(cd);
    *outlen = cap - ol;
    return out;
}

/* gzip-compress data (one member) with zlib. */
static unsigned char *gzip_bytes(const void *data, size_t n, size_t *outlen)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    zs.next_in = (unsigned char *)(uintptr_t)data;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *outlen = zs.total_out;
    deflateEnd(&zs);
    return out;
}

/* doc_load with a limit and an optional forced encoding; the reason of a
 * code other than PS_OK is copied to why[0..whylen). */
static int load(const char *path, uint64_t max, const char *enc, doc_text *d,
                char *why, size_t whylen)
{
    load_opts o = { .max_size = max, .encoding = enc };
    ps_err err = PS_ERR_INIT;
    int rc = doc_load(path, &o, d, &err);
    assert_int_equal(rc, err.code);
    snprintf(why, whylen, "%s", err.msg);
    return rc;
}

/* The text of a seed as doc_load gives it for the UTF-8 file. */
static char *reference_text(const fixture *fx, int i, size_t *len)
{
    char name[32], why[256];
    doc_text d;
    snprintf(name, sizeof name, "ref%d.txt", i);
    const char *p = put_file(fx, name, fx->seed[i], fx->seed_len[i]);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_string_equal(d.encoding, "UTF-8");
    char *t = d.text;
    *len = d.len;
    d.text = NULL;
    doc_text_free(&d);
    return t;
}

/* ------------------------------------------------------------------ */

static void test_utf8_seed(void **state)
{
    fixture *fx = *state;
    char why[256];
    doc_text d;
    const char *p = put_file(fx, "seed000.txt", fx->seed[0], fx->seed_len[0]);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_string_equal(d.encoding, "UTF-8");
    assert_int_equal(d.bad_bytes, 0);
    assert_int_equal(d.raw_size, fx->seed_len[0]);
    assert_int_equal(d.crc, (uint32_t)crc32(0L, (const Bytef *)fx->seed[0], (uInt)fx->seed_len[0]));
    assert_int_equal(strlen(d.text), d.len);
    assert_null(d.html_title);
    /* Furniture gone: breadcrumb (both lines) and print/close buttons. */
    assert_null(strstr(d.text, "当前位置"));
    assert_null(strstr(d.text, "> 政府信息公开"));
    assert_null(strstr(d.text, "【打印本页】"));
    assert_true(d.boiler_lines >= 3);
    /* The metadata line that mentions 浏览次数 and 字体 is content. */
    assert_non_null(strstr(d.text, "发布日期: 2024- 07- 16 15: 19 浏览次数: 字体:[ ] 信息来源: 市科技局"));
    assert_true(strncmp(d.text, "关于市政协十四届三次会议第7号提案的回复\n", 20) == 0);
    assert_non_null(strstr(d.text, "创新金融服务,破解融资难题。"));
    doc_text_free(&d);
}

static void test_gb18030_seeds(void **state)
{
    fixture *fx = *state;
    for (int i = 0; i < NSEEDS; i++) {
        size_t rlen, glen;
        char *ref = reference_text(fx, i, &rlen);
        char *gb = convert(fx->seed[i], fx->seed_len[i], "GB18030", &glen);
        char name[32], why[256];
        snprintf(name, sizeof name, "gb%d.txt", i);
        const char *p = put_file(fx, name, gb, glen);
        doc_text d;
        assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
        assert_string_equal(d.encoding, "GB18030");
        assert_int_equal(d.bad_bytes, 0);
        assert_int_equal(d.len, rlen);
        assert_memory_equal(d.text, ref, rlen);
        assert_int_equal(d.crc, (uint32_t)crc32(0L, (const Bytef *)gb, (uInt)glen));
        doc_text_free(&d);
        free(gb);
        free(ref);
    }
}

static void test_gbk_short_titles(void **state)
{
    fixture *fx = *state;
    static const char *const titles[] = {
        "关于加大研发投入的通知",
        "市科技局2024年工作总结",
        "关于印发科技创新政策的通知",
        "高新技术企业认定办法",
        "关于做好人才引进工作的意见",
        "台,为小",                   /* these GBK bytes are valid UTF-8 too */
        "页 >",
    };
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
        size_t glen;
        char *gb = convert(titles[i], strlen(titles[i]), "GBK", &glen);
        char why[256];
        doc_text d;
        const char *p = put_file(fx, "title.txt", gb, glen);
        assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
        assert_string_equal(d.encoding, "GB18030");
        assert_string_equal(d.text, titles[i]);
        assert_int_equal(d.bad_bytes, 0);
        doc_text_free(&d);
        free(gb);
    }
}

/* Short UTF-8 must stay UTF-8 although its bytes also decode as GBK. */
static void test_short_utf8(void **state)
{
    fixture *fx = *state;
    static const char *const texts[] = {
        "中", "香港", "实际", "科技创新", "關於", "第7号提案", "2024年5月22日", "「通知」",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char why[256];
        doc_text d;
        const char *p = put_file(fx, "short.txt", texts[i], strlen(texts[i]));
        assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
        if (strcmp(d.encoding, "UTF-8") != 0)
            print_error("\"%s\" taken as %s\n", texts[i], d.encoding);
        assert_string_equal(d.encoding, "UTF-8");
        assert_string_equal(d.text, texts[i]);
        doc_text_free(&d);
    }
}

static void test_big5_lines(void **state)
{
    fixture *fx = *state;
    static const char *const lines[] = {
        "關於加強中小企業科技創新能力建設的若干意見與實施辦法說明",
        "臺灣地區產業發展與經濟轉型的觀察報告",
        "本會為推動科技發展,特訂定本辦法。",
        "香港特別行政區政府創新科技署資助計劃申請須知",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        size_t blen;
        char *b5 = convert(lines[i], strlen(lines[i]), "BIG5", &blen);
        char why[256];
        doc_text d;
        const char *p = put_file(fx, "big5.txt", b5, blen);
        assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
        assert_string_equal(d.encoding, "BIG5");
        assert_string_equal(d.text, lines[i]);
        doc_text_free(&d);
        free(b5);
    }
}

static void test_utf16_bom(void **state)
{
    fixture *fx = *state;
    static const char *const cs[] = { "UTF-16LE", "UTF-16BE" };
    size_t rlen;
    char *ref = reference_text(fx, 1, &rlen);
    for (int k = 0; k < 2; k++) {
        size_t ulen;
        char *u = convert(fx->seed[1], fx->seed_len[1], cs[k], &ulen);
        char *withbom = malloc(ulen + 2);
        assert_non_null(withbom);
        memcpy(withbom, k == 0 ? "\xFF\xFE" : "\xFE\xFF", 2);
        memcpy(withbom + 2, u, ulen);
        char why[256];
        doc_text d;
        const char *p = put_file(fx, "u16.txt", withbom, ulen + 2);
        assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
        assert_string_equal(d.encoding, cs[k]);
        assert_int_equal(d.bad_bytes, 0);
        assert_int_equal(d.len, rlen);
        assert_memory_equal(d.text, ref, rlen);
        doc_text_free(&d);
        free(u);
        free(withbom);
    }
    free(ref);
}

static void test_utf8_bom_crlf(void **state)
{
    fixture *fx = *state;
    size_t rlen;
    char *ref = reference_text(fx, 3, &rlen);
    buf b = BUF_INIT;
    assert_int_equal(buf_append(&b, "\xEF\xBB\xBF", 3), 0);
    for (size_t i = 0; i < fx->seed_len[3]; i++) {
        if (fx->seed[3][i] == '\n')
            assert_int_equal(buf_putc(&b, '\r'), 0);
        assert_int_equal(buf_putc(&b, fx->seed[3][i]), 0);
    }
    char why[256];
    doc_text d;
    const char *p = put_file(fx, "bom.txt", b.data, b.len);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_string_equal(d.encoding, "UTF-8");
    assert_null(strchr(d.text, '\r'));
    assert_int_equal(d.len, rlen);
    assert_memory_equal(d.text, ref, rlen);
    doc_text_free(&d);
    buf_free(&b);
    free(ref);
}

static void test_gzip(void **state)
{
    fixture *fx = *state;
    size_t rlen, zlen;
    char *ref = reference_text(fx, 2, &rlen);
    unsigned char *z = gzip_bytes(fx->seed[2], fx->seed_len[2], &zlen);
    char why[256];
    doc_text d;
    const char *p = put_file(fx, "seed2.txt.gz", z, zlen);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_int_equal(d.gzipped, 1);
    assert_int_equal(d.raw_size, zlen);
    assert_int_equal(d.crc, (uint32_t)crc32(0L, z, (uInt)zlen));
    assert_int_equal(d.len, rlen);
    assert_memory_equal(d.text, ref, rlen);
    doc_text_free(&d);
    /* Magic bytes are enough, whatever the name. */
    p = put_file(fx, "seed2.dat", z, zlen);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_int_equal(d.gzipped, 1);
    assert_memory_equal(d.text, ref, rlen);
    doc_text_free(&d);
    free(z);
    free(ref);
}

static void test_gzip_concatenated(void **state)
{
    fixture *fx = *state;
    size_t rlen;
    char *ref = reference_text(fx, 4, &rlen);
    /* Split at a line boundary near the middle. */
    const char *mid = memchr(fx->seed[4] + fx->seed_len[4] / 2, '\n', fx->seed_len[4] / 2);
    assert_non_null(mid);
    size_t cut = (size_t)(mid - fx->seed[4]) + 1, l1, l2;
    unsigned char *z1 = gzip_bytes(fx->seed[4], cut, &l1);
    unsigned char *z2 = gzip_bytes(fx->seed[4] + cut, fx->seed_len[4] - cut, &l2);
    unsigned char *both = malloc(l1 + l2);
    assert_non_null(both);
    memcpy(both, z1, l1);
    memcpy(both + l1, z2, l2);
    char why[256];
    doc_text d;
    const char *p = put_file(fx, "two members.txt.gz", both, l1 + l2);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_int_equal(d.len, rlen);
    assert_memory_equal(d.text, ref, rlen);
    doc_text_free(&d);
    free(z1);
    free(z2);
    free(both);
    free(ref);
}

static void test_gzip_truncated_corrupt(void **state)
{
    fixture *fx = *state;
    size_t zlen;
    unsigned char *z = gzip_bytes(fx->seed[0], fx->seed_len[0], &zlen);
    char why[256];
    doc_text d;
    const char *p = put_file(fx, "cut.txt.gz", z, zlen / 2);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_INPUT);
    assert_string_equal(why, "truncated gzip data");
    assert_null(d.text);
    /* Damage in the middle of the deflate data. */
    for (size_t i = 20; i < 60; i++)
        z[i] ^= 0x5A;
    p = put_file(fx, "bad.txt.gz", z, zlen);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_INPUT);
    assert_true(strncmp(why, "corrupt gzip data: ", 19) == 0);
    /* A .gz name on data that is not gzip at all. */
    p = put_file(fx, "plain.txt.gz", "hello", 5);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_INPUT);
    assert_true(strncmp(why, "corrupt gzip data: ", 19) == 0);
    free(z);
}

static void test_gzip_bomb(void **state)
{
    fixture *fx = *state;
    /* 300 MB of zeros in a few hundred KB. */
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t chunk = 1u << 20;
    unsigned char *zeros = calloc(1, chunk);
    buf out = BUF_INIT;
    unsigned char tmp[65536];
    assert_non_null(zeros);
    for (int i = 0; i < 300; i++) {
        zs.next_in = zeros;
        zs.avail_in = (uInt)chunk;
        int flush = i == 299 ? Z_FINISH : Z_NO_FLUSH, r;
        do {
            zs.next_out = tmp;
            zs.avail_out = sizeof tmp;
            r = deflate(&zs, flush);
            assert_true(r == Z_OK || r == Z_STREAM_END || r == Z_BUF_ERROR);
            assert_int_equal(buf_append(&out, tmp, sizeof tmp - zs.avail_out), 0);
        } while (zs.avail_out == 0 || (flush == Z_FINISH && r != Z_STREAM_END));
    }
    deflateEnd(&zs);
    free(zeros);
    assert_true(out.len < 1u << 20);
    const char *p = put_file(fx, "bomb.txt.gz", out.data, out.len);
    buf_free(&out);
    char why[256];
    doc_text d;
    clock_t t0 = clock();
    assert_int_equal(load(p, 10u << 20, NULL, &d, why, sizeof why), PS_INPUT);
    assert_string_equal(why, "decompressed size exceeds the limit of 10 MB (--max-file-size)");
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
}

static void test_html_page(void **state)
{
    fixture *fx = *state;
    /* Two paragraphs of seed 000: lines 6 and 8 (1-based), without '\n'. */
    const char *s = fx->seed[0], *para[2];
    size_t plen[2];
    int line = 1, got = 0;
    for (const char *q = s; q < s + fx->seed_len[0] && got < 2; line++) {
        const char *e = memchr(q, '\n', (size_t)(s + fx->seed_len[0] - q));
        if (!e)
            e = s + fx->seed_len[0];
        if (line == 6 || line == 8) {
            para[got] = q;
            plen[got++] = (size_t)(e - q);
        }
        q = e + 1;
    }
    assert_int_equal(got, 2);
    buf page = BUF_INIT, page_gbk = BUF_INIT, want = BUF_INIT;
    static const char page_fmt[] =
        "<!DOCTYPE html>\n<html><head><meta charset=\"%s\">\n"
        "<title>关于市政协十四届三次会议第7号提案的回复_余姚市人民政府</title>\n"
        "<style>body { font-size: 14px } p > a { color: red }</style>\n"
        "<script>var a = \"<p>不应出现</p>\"; if (a < b) { x = '</div>'; }</script>\n"
        "</head>\n<body>\n<div class=\"top\">无障碍 | 长者版</div>\n"
        "<div class=\"crumb\">当前位置: <a href=\"/\">首页</a> &gt; <a href='/zw'>政府信息公开</a>"
        " &gt; 重点公开领域</div>\n<!-- 注释内容不应出现 <p>x</p> -->\n"
        "<h1>关于市政协十四届三次会议第7号提案的回复</h1>\n"
        "<div class=info>发布日期: 2024-07-16 浏览次数: 字体:[ <a>大</a> <a>中</a> <a>小</a> ]"
        " 信息来源: 市科技局</div>\n"
        "<div class=\"font\">字体:[ <a>大</a> <a>中</a> <a>小</a> ]</div>\n"
        "<div class=\"content\"><p>&nbsp;&nbsp;%.*s</p>\n<P\nstyle=\"text-indent:2em\">%.*s</P></div>\n"
        "<p>&ldquo;科技支撑\n产业发展&rdquo;&mdash;R&amp;D &lt;投入&gt; &#x4E2D;&#25991;<br>第二行</p>\n"
        "<div>【打印本页】【关闭窗口】</div>\n<div>扫一扫在手机打开当前页</div>\n"
        "<noscript>请启用脚本</noscript>\n</body></html>\n";
    assert_int_equal(buf_printf(&page, page_fmt, "utf-8", (int)plen[0], para[0],
                                (int)plen[1], para[1]), 0);
    assert_int_equal(buf_printf(&page_gbk, page_fmt, "gb2312", (int)plen[0], para[0],
                                (int)plen[1], para[1]), 0);
    assert_int_equal(buf_printf(&want,
        "关于市政协十四届三次会议第7号提案的回复\n\n"
        "发布日期: 2024-07-16 浏览次数: 字体:[ 大 中 小 ] 信息来源: 市科技局\n"
        "%.*s\n%.*s\n“科技支撑产业发展”—R&D <投入> 中文\n第二行\n",
        (int)plen[0], para[0], (int)plen[1], para[1]), 0);

    char why[256];
    doc_text d;
    const char *p = put_file(fx, "page.html", page.data, page.len);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_int_equal(d.is_html, 1);
    assert_string_equal(d.encoding, "UTF-8");
    assert_non_null(d.html_title);
    assert_string_equal(d.html_title, "关于市政协十四届三次会议第7号提案的回复_余姚市人民政府");
    assert_string_equal(d.text, want.data);
    doc_text_free(&d);

    /* The same page in GBK, declared gb2312, gzipped, named .html.gz. */
    size_t glen, zlen;
    char *gb = convert(page_gbk.data, page_gbk.len, "GBK", &glen);
    unsigned char *z = gzip_bytes(gb, glen, &zlen);
    p = put_file(fx, "page.html.gz", z, zlen);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_int_equal(d.is_html, 1);
    assert_string_equal(d.encoding, "GB18030");
    assert_string_equal(d.text, want.data);
    doc_text_free(&d);

    /* Sniffed from content even with a .txt name. */
    p = put_file(fx, "page-as-text.txt", page.data, page.len);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_int_equal(d.is_html, 1);
    assert_string_equal(d.text, want.data);
    doc_text_free(&d);

    free(gb);
    free(z);
    buf_free(&page);
    buf_free(&page_gbk);
    buf_free(&want);
}

static void test_bad_inputs(void **state)
{
    fixture *fx = *state;
    char why[256];
    doc_text d;
    const char *p;

    p = put_file(fx, "empty.txt", "", 0);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_SKIP);
    assert_string_equal(why, "empty file");
    assert_null(d.text);

    size_t zlen;
    unsigned char *z = gzip_bytes("", 0, &zlen);
    p = put_file(fx, "empty.txt.gz", z, zlen);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_SKIP);
    assert_string_equal(why, "empty file");
    free(z);

    p = put_file(fx, "bomonly.txt", "\xEF\xBB\xBF", 3);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_SKIP);

    char nf[PATH_MAX];
    snprintf(nf, sizeof nf, "%s/no such file.txt", fx->dir);
    assert_int_equal(load(nf, 0, NULL, &d, why, sizeof why), PS_IO);
    assert_string_equal(why, strerror(ENOENT));
    assert_null(d.text);

    /* Random bytes: skipped (or, if ever accepted, valid UTF-8). */
    unsigned char *rnd = malloc(65536);
    assert_non_null(rnd);
    uint32_t x = 12345;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < 65536; i++) {
            x = x * 1103515245u + 12345u;
            rnd[i] = (unsigned char)(x >> 16);
            if (pass == 1 && rnd[i] == 0)
                rnd[i] = 1;          /* second pass: no NULs at all */
        }
        p = put_file(fx, "random.bin", rnd, 65536);
        int st = load(p, 0, NULL, &d, why, sizeof why);
        assert_int_equal(st, PS_SKIP);
        assert_string_equal(why, pass == 0 ? "binary file (NUL bytes)"
                                           : "binary file (no plausible text encoding)");
    }
    free(rnd);

    /* A binary with a text-like start but NULs throughout. */
    buf bin = BUF_INIT;
    for (int i = 0; i < 4000; i++)
        assert_int_equal(buf_append(&bin, "ab\0\1", 4), 0);
    p = put_file(fx, "x.bin", bin.data, bin.len);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_SKIP);
    buf_free(&bin);
}

static void test_nul_in_text(void **state)
{
    fixture *fx = *state;
    size_t rlen;
    char *ref = reference_text(fx, 0, &rlen);
    buf b = BUF_INIT;
    /* Three NULs at line starts, where they cut no character. */
    size_t at[3], k = 0;
    for (size_t i = 0; i < fx->seed_len[0]; i++) {
        if (i > 1000 && k < 3 && fx->seed[0][i - 1] == '\n' && (k == 0 || i > at[k - 1] + 500)) {
            at[k++] = b.len;
            assert_int_equal(buf_putc(&b, 0), 0);
        }
        assert_int_equal(buf_putc(&b, fx->seed[0][i]), 0);
    }
    assert_int_equal(k, 3);
    char why[256];
    doc_text d;
    const char *p = put_file(fx, "nul.txt", b.data, b.len);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_string_equal(d.encoding, "UTF-8");
    assert_int_equal(d.bad_bytes, 3);
    assert_int_equal(d.first_bad_offset, at[0]);
    assert_int_equal(d.len, rlen);
    assert_memory_equal(d.text, ref, rlen);
    doc_text_free(&d);

    /* The same in GB18030. */
    size_t glen;
    char *gb = convert(b.data, b.len, "GB18030", &glen);
    p = put_file(fx, "nul-gb.txt", gb, glen);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_string_equal(d.encoding, "GB18030");
    assert_int_equal(d.bad_bytes, 3);
    assert_memory_equal(d.text, ref, rlen);
    doc_text_free(&d);
    free(gb);
    buf_free(&b);
    free(ref);
}

static void test_invalid_utf8(void **state)
{
    fixture *fx = *state;
    buf b = BUF_INIT;
    /* Seed 001 with a stray 0xFF and a character cut to two bytes. */
    size_t first = 300;
    while (((unsigned char)fx->seed[1][first] & 0xC0) == 0x80)
        first++;
    assert_int_equal(buf_append(&b, fx->seed[1], first), 0);
    assert_int_equal(buf_putc(&b, 0xFF), 0);
    size_t second = first + 900;
    while (((unsigned char)fx->seed[1][second] & 0xC0) == 0x80)
        second++;
    assert_int_equal(buf_append(&b, fx->seed[1] + first, second - first), 0);
    assert_int_equal(buf_append(&b, "\xE4\xB8", 2), 0);      /* 中 without its last byte */
    assert_int_equal(buf_append(&b, fx->seed[1] + second, fx->seed_len[1] - second), 0);
    char why[256];
    doc_text d;
    const char *p = put_file(fx, "damaged.txt", b.data, b.len);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_string_equal(d.encoding, "UTF-8");
    assert_int_equal(d.bad_bytes, 3);
    assert_int_equal(d.first_bad_offset, first);
    const char *r1 = strstr(d.text, "\xEF\xBF\xBD");
    assert_non_null(r1);
    assert_non_null(strstr(r1 + 3, "\xEF\xBF\xBD"));
    assert_non_null(strstr(d.text, "首先感谢您对我市科技工作的关心与支持"));
    doc_text_free(&d);
    buf_free(&b);
}

static void test_names_limits_forced(void **state)
{
    fixture *fx = *state;
    char why[256];
    doc_text d;
    const char *p = put_file(fx, "关于 科技 政策 2024 (终稿).txt", fx->seed[3], fx->seed_len[3]);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_non_null(strstr(d.text, "临沂市科学技术局"));
    doc_text_free(&d);

    /* Over the size limit. */
    buf big = BUF_INIT;
    while (big.len < 1536u * 1024u)
        assert_int_equal(buf_append(&big, fx->seed[0], fx->seed_len[0]), 0);
    p = put_file(fx, "big.txt", big.data, big.len);
    assert_int_equal(load(p, 1u << 20, NULL, &d, why, sizeof why), PS_INPUT);
    assert_string_equal(why, "file is larger than the limit of 1 MB (--max-file-size)");
    assert_int_equal(load(p, 2u << 20, NULL, &d, why, sizeof why), PS_OK);
    doc_text_free(&d);
    buf_free(&big);

    /* Forced encodings. */
    size_t glen;
    char *gb = convert(fx->seed[3], fx->seed_len[3], "GBK", &glen);
    p = put_file(fx, "forced.txt", gb, glen);
    assert_int_equal(load(p, 0, "gbk", &d, why, sizeof why), PS_OK);
    assert_string_equal(d.encoding, "gbk");
    assert_int_equal(d.bad_bytes, 0);
    assert_non_null(strstr(d.text, "临沂市科学技术局"));
    doc_text_free(&d);
    assert_int_equal(load(p, 0, "NO-SUCH-CHARSET", &d, why, sizeof why), PS_USAGE);
    assert_string_equal(why, "unknown encoding NO-SUCH-CHARSET");
    /* Forcing UTF-8 on GBK bytes: decoded with replacement, not refused. */
    assert_int_equal(load(p, 0, "UTF-8", &d, why, sizeof why), PS_OK);
    assert_true(d.bad_bytes > 0);
    doc_text_free(&d);
    free(gb);
}

static void test_meta_charset(void **state)
{
    fixture *fx = *state;
    const char *body = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">"
                       "</head><body><p>關於加強科技創新的實施辦法</p></body></html>";
    size_t blen;
    char *b5 = convert(body, strlen(body), "BIG5", &blen);
    char why[256];
    doc_text d;
    const char *p = put_file(fx, "tw.htm", b5, blen);
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_string_equal(d.encoding, "BIG5");
    assert_string_equal(d.text, "關於加強科技創新的實施辦法");
    doc_text_free(&d);
    free(b5);

    /* A page that says gb2312 but was saved as UTF-8: the bytes win. */
    const char *u = "<html><head><meta charset=gb2312><title>通知</title></head><body>科技创新</body></html>";
    p = put_file(fx, "saved.html", u, strlen(u));
    assert_int_equal(load(p, 0, NULL, &d, why, sizeof why), PS_OK);
    assert_string_equal(d.encoding, "UTF-8");
    assert_string_equal(d.text, "科技创新");
    assert_string_equal(d.html_title, "通知");
    doc_text_free(&d);
}

/* The format rows: names round-trip, the readers' table has a reader
 * exactly where a row names one, Content-Types come from the rows, and
 * --type accepts only the formats a file can be indexed as. */
static void test_format_rows(void **state)
{
    (void)state;
    static const char *const names[FMT_COUNT] = {
        "text", "html", "pdf", "docx", "doc", "ofd", "ole", "zip", "image"
    };
    const reader_table *t = polsearch_reader_table();
    for (int f = 0; f < FMT_COUNT; f++) {
        assert_string_equal(reader_format_name((enum doc_format)f), names[f]);
        assert_int_equal(reader_format_by_name(names[f]), f);
        int has_reader = f != FMT_TEXT && f != FMT_HTML && f != FMT_OLE_OTHER;
        assert_int_equal(t->read[f] != NULL, has_reader);
    }
    assert_ptr_equal(t->read[FMT_PDF], reader_pdf);
    assert_ptr_equal(t->read[FMT_IMAGE], reader_image);
    assert_string_equal(reader_format_type(FMT_PDF), "application/pdf");
    assert_string_equal(reader_format_type(FMT_TEXT), "text/plain");
    assert_null(reader_format_type(FMT_IMAGE));
    assert_null(reader_format_type(FMT_COUNT));
    assert_string_equal(reader_format_name(FMT_COUNT), "?");
    char terms[FMT_COUNT][20];
    const char *ptrs[FMT_COUNT];
    size_t n = 0;
    assert_int_equal(reader_type_terms("pdf,image,pdf", terms, ptrs, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(ptrs[1], "XKimage");
    assert_int_equal(reader_type_terms("zip", terms, ptrs, &n), -1);
    assert_int_equal(reader_type_terms("ole", terms, ptrs, &n), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_rows),
        cmocka_unit_test(test_utf8_seed),
        cmocka_unit_test(test_gb18030_seeds),
        cmocka_unit_test(test_gbk_short_titles),
        cmocka_unit_test(test_short_utf8),
        cmocka_unit_test(test_big5_lines),
        cmocka_unit_test(test_utf16_bom),
        cmocka_unit_test(test_utf8_bom_crlf),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_gzip_concatenated),
        cmocka_unit_test(test_gzip_truncated_corrupt),
        cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_html_page),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_nul_in_text),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_names_limits_forced),
        cmocka_unit_test(test_meta_charset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
