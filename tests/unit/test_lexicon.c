/* test_lexicon.c — the shipped lexicon, its loader and the Aho-Corasick matcher.
 *
 * The shipped file comes from $LEXICON (default data/policy-terms.tsv) and
 * the seed documents from $SEEDS (default seeds), both relative to the
 * directory the test runs in. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"
#include "lexicon.h"

/* ---- helpers ---------------------------------------------------------- */

/* Path of the shipped lexicon. */
static const char *lexicon_path(void)
{
    const char *p = getenv("LEXICON");
    return p && *p ? p : "data/policy-terms.tsv";
}

/* Load and build the shipped lexicon, failing the test on any error. */
static lexicon *shipped(void)
{
    ps_err err = PS_ERR_INIT;
    lexicon *lx = lex_new();
    assert_non_null(lx);
    int rc = lex_load_file(lx, lexicon_path(), &err);
    if (rc != PS_OK)
        fail_msg("loading %s: %s", lexicon_path(), err.msg);
    assert_int_equal(lex_build(lx, NULL), PS_OK);
    return lx;
}

/* Normalise UTF-8 into code points by the per-character rules of
 * normalize.h, independently of lexicon.c, so that the tests check that
 * the lexicon's keys line up with text normalised by that contract.
 * Returns the number of code points in the malloc'ed *out. */
static size_t norm(const char *s, uint32_t **out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), k = 0;
    uint32_t *v = malloc((n + 1) * sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < n;) {
        uint32_t c = p[i];
        int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (len > 1)
            c &= 0x3F >> (len - 1);
        for (int j = 1; j < len; j++)
            c = (c << 6) | (p[i + j] & 0x3F);
        i += (size_t)len;
        if (c >= 0xFF01 && c <= 0xFF5E)
            c -= 0xFEE0;
        else if (c == 0x3000)
            c = ' ';
        else if (c == 0x201C || c == 0x201D || c == 0x201E || c == 0x201F || c == 0x301D || c == 0x301E)
            c = '"';
        else if (c == 0x2018 || c == 0x2019)
            c = '\'';
        if (c >= 'A' && c <= 'Z')
            c += 32;
        v[k++] = c;
    }
    *out = v;
    return k;
}

/* UTF-8 of cp[0..n) into a fresh buf (for lex_find on matched text). */
static void to_utf8(const uint32_t *cp, size_t n, buf *b)
{
    buf_clear(b);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(buf_put_utf8(b, cp[i]), 0);
}

/* One reported occurrence. */
typedef struct hit {
    size_t term;                     /* term id */
    size_t alias;                    /* alias index or LEX_NO_ALIAS */
    size_t start;                    /* first code point */
    size_t len;                      /* code points */
} hit;

/* Collected occurrences. */
typedef struct hits {
    hit    v[4096];                  /* the occurrences, in report order */
    size_t n;                        /* how many */
} hits;

/* lex_scan callback: append to a hits. */
static int collect(void *ctx, size_t term, size_t alias, size_t start, size_t len)
{
    hits *h = ctx;
    assert_true(h->n < sizeof h->v / sizeof h->v[0]);
    h->v[h->n].term = term;
    h->v[h->n].alias = alias;
    h->v[h->n].start = start;
    h->v[h->n].len = len;
    h->n++;
    return 0;
}

/* Normalise text and scan it into a fresh hits (caller frees). */
static hits *scan_text(const lexicon *lx, const char *text)
{
    uint32_t *cp;
    size_t n = norm(text, &cp);
    hits *h = calloc(1, sizeof *h);
    assert_non_null(h);
    assert_int_equal(lex_scan(lx, cp, n, collect, h), 0);
    free(cp);
    return h;
}

/* Id of a canonical term, failing if it is missing. */
static size_t id_of(const lexicon *lx, const char *term)
{
    size_t alias = 0;
    long id = lex_find(lx, term, strlen(term), &alias);
    if (id < 0)
        fail_msg("term '%s' is not in the lexicon", term);
    assert_int_equal(alias, LEX_NO_ALIAS);
    return (size_t)id;
}

/* Index of `alias` among the aliases of term id, failing if absent. */
static size_t alias_index(const lexicon *lx, size_t id, const char *alias)
{
    for (size_t i = 0; i < lex_alias_count(lx, id); i++)
        if (strcmp(lex_alias(lx, id, i), alias) == 0)
            return i;
    fail_msg("'%s' is not an alias of '%s'", alias, lex_term(lx, id));
    return 0;
}

/* Was (term, alias, start, len) reported? */
static int has_hit(const hits *h, size_t term, size_t alias, size_t start, size_t len)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->v[i].term == term && h->v[i].alias == alias && h->v[i].start == start
            && h->v[i].len == len)
            return 1;
    return 0;
}

/* Was any occurrence of term reported? */
static int has_term(const hits *h, size_t term)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->v[i].term == term)
            return 1;
    return 0;
}

/* Write text to a fresh temporary file; the caller unlinks path. */
static void write_tmp(char *path, size_t size, const char *text)
{
    snprintf(path, size, "/tmp/test_lexicon_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
}

/* Load text as a lexicon file into lx; returns the code, message in err
 * with the temporary path replaced by "F". */
static int load_text(lexicon *lx, const char *text, char *err, size_t errlen)
{
    char path[64];
    ps_err e = PS_ERR_INIT;
    write_tmp(path, sizeof path, text);
    int rc = lex_load_file(lx, path, &e);
    assert_int_equal(rc, e.code);
    const char *raw = e.msg;
    unlink(path);
    size_t pl = strlen(path);
    if (strncmp(raw, path, pl) == 0)
        snprintf(err, errlen, "F%s", raw + pl);
    else
        snprintf(err, errlen, "%s", raw);
    return rc;
}

/* ---- the shipped lexicon --------------------------------------------- */

/* The required terms with the aliases the brief demands. */
static const struct {
    const char *term;
    const char *aliases[4];
} required[] = {
    { "专精特新",         { "专精特新中小企业" } },
    { "专精特新小巨人",   { "小巨人企业", "专精特新\"小巨人\"" } },
    { "单项冠军",         { "制造业单项冠军" } },
    { "瞪羚企业",         { NULL } },
    { "独角兽企业",       { NULL } },
    { "高新技术企业",     { "高企", "国家高新技术企业" } },
    { "科技型中小企业",   { "科小", "科技型中小微企业" } },
    { "规模以上工业企业", { "规上企业", "规上工业企业" } },
    { "研发投入",         { "研发经费投入", "R&D投入" } },
    { "研发费用加计扣除", { "加计扣除" } },
    { "产学研",           { "产学研合作", "产学研协同" } },
    { "揭榜挂帅",         { NULL } },
    { "科技成果转化",     { "成果转化" } },
    { "知识产权质押",     { "知识产权质押融资" } },
    { "创新券",           { "科技创新券" } },
    { "孵化器",           { "科技企业孵化器" } },
    { "众创空间",         { NULL } },
    { "新型研发机构",     { NULL } },
    { "科技特派员",       { NULL } },
    { "新质生产力",       { NULL } },
    { "梯度培育",         { NULL } },
    { "双倍增",           { NULL } },
    { "育苗造林",         { NULL } },
    { "国家创新型县（市）", { NULL } },
    { "首台套",           { NULL } },
    { "链长制",           { NULL } },
    { "R&D经费",          { NULL } },
};

/* At least 200 terms, every weight in (0, 10], every key unique. */
static void test_shipped_size(void **state)
{
    (void)state;
    lexicon *lx = shipped();
    size_t n = lex_count(lx), naliases = 0;
    assert_true(n >= 200);
    for (size_t i = 0; i < n; i++) {
        double w = lex_weight(lx, i);
        assert_true(w > 0.0 && w <= 10.0);
        assert_non_null(lex_term(lx, i));
        assert_true(strlen(lex_key(lx, i)) > 0);
        naliases += lex_alias_count(lx, i);
        /* Every alias leads back to its own term. */
        for (size_t j = 0; j < lex_alias_count(lx, i); j++) {
            size_t a = 99;
            const char *s = lex_alias(lx, i, j);
            assert_int_equal(lex_find(lx, s, strlen(s), &a), (long)i);
            assert_int_equal(a, j);
        }
    }
    assert_true(naliases >= 150);
    assert_null(lex_term(lx, n));
    assert_null(lex_alias(lx, 0, 1000));
    lex_free(lx);
}

/* Every required term is present, canonical, with its aliases. */
static void test_required_terms(void **state)
{
    (void)state;
    lexicon *lx = shipped();
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        size_t id = id_of(lx, required[i].term);
        assert_string_equal(lex_term(lx, id), required[i].term);
        for (size_t j = 0; j < 4 && required[i].aliases[j]; j++) {
            const char *a = required[i].aliases[j];
            size_t ai = alias_index(lx, id, a), got = 99;
            assert_int_equal(lex_find(lx, a, strlen(a), &got), (long)id);
            assert_int_equal(got, ai);
        }
    }
    assert_true(lex_weight(lx, id_of(lx, "专精特新")) == 2.0);
    lex_free(lx);
}

/* Keys are the normalised forms; terms stay as written. */
static void test_keys(void **state)
{
    (void)state;
    lexicon *lx = shipped();
    size_t id = id_of(lx, "R&D经费");
    assert_string_equal(lex_term(lx, id), "R&D经费");
    assert_string_equal(lex_key(lx, id), "r&d经费");
    id = id_of(lx, "国家创新型县(市)");        /* ASCII brackets find the full-width term */
    assert_string_equal(lex_term(lx, id), "国家创新型县（市）");
    assert_string_equal(lex_key(lx, id), "国家创新型县(市)");
    assert_int_equal(lex_find(lx, "  专精特新 ", 15, NULL), (long)id_of(lx, "专精特新"));
    assert_int_equal(lex_find(lx, "不存在的词", strlen("不存在的词"), NULL), -1);
    assert_int_equal(lex_find(lx, "\xff\xfe", 2, NULL), -1);
    assert_int_equal(lex_find(lx, "", 0, NULL), -1);
    lex_free(lx);
}

/* ---- scanning --------------------------------------------------------- */

/* A sentence from seeds/000: four programme names at known places. */
static void test_scan_seed_sentence(void **state)
{
    (void)state;
    lexicon *lx = shipped();
    hits *h = scan_text(lx, "实施科技企业“双倍增”、高新技术企业“育苗造林”、专精特新专项培育行动");
    size_t kj = id_of(lx, "科技型企业");
    assert_true(has_hit(h, kj, alias_index(lx, kj, "科技企业"), 2, 4));
    assert_true(has_hit(h, id_of(lx, "双倍增"), LEX_NO_ALIAS, 7, 3));
    assert_true(has_hit(h, id_of(lx, "高新技术企业"), LEX_NO_ALIAS, 12, 6));
    assert_true(has_hit(h, id_of(lx, "育苗造林"), LEX_NO_ALIAS, 19, 4));
    assert_true(has_hit(h, id_of(lx, "专精特新"), LEX_NO_ALIAS, 25, 4));
    /* Ordered by end position. */
    for (size_t i = 1; i < h->n; i++)
        assert_true(h->v[i - 1].start + h->v[i - 1].len <= h->v[i].start + h->v[i].len);
    free(h);
    lex_free(lx);
}

/* Nested keys are all reported, longest first at one end position. */
static void test_overlap(void **state)
{
    (void)state;
    lexicon *lx = shipped();
    size_t zj = id_of(lx, "专精特新"), xj = id_of(lx, "专精特新小巨人");
    hits *h = scan_text(lx, "专精特新小巨人");
    assert_int_equal(h->n, 3);
    assert_true(h->v[0].term == zj && h->v[0].start == 0 && h->v[0].len == 4);
    assert_true(h->v[1].term == xj && h->v[1].alias == LEX_NO_ALIAS
                && h->v[1].start == 0 && h->v[1].len == 7);
    assert_true(h->v[2].term == xj && h->v[2].alias == alias_index(lx, xj, "小巨人")
                && h->v[2].start == 4 && h->v[2].len == 3);
    free(h);
    lex_free(lx);
}

/* Alias hits name the alias and the canonical term. */
static void test_alias_hits(void **state)
{
    (void)state;
    lexicon *lx = shipped();
    size_t gs = id_of(lx, "规模以上工业企业"), yf = id_of(lx, "研发投入");
    hits *h = scan_text(lx, "1119家规上工业企业研发投入达96.9亿元");
    assert_true(has_hit(h, gs, alias_index(lx, gs, "规上工业企业"), 5, 6));
    assert_true(has_hit(h, yf, LEX_NO_ALIAS, 11, 4));
    free(h);

    size_t jk = id_of(lx, "研发费用加计扣除");
    h = scan_text(lx, "落实加计扣除政策");
    assert_int_equal(h->n, 1);
    assert_true(has_hit(h, jk, alias_index(lx, jk, "加计扣除"), 2, 4));
    free(h);
    lex_free(lx);
}

/* Full-width, capital and curly-quote variants match once normalised. */
static void test_normalised_variants(void **state)
{
    (void)state;
    lexicon *lx = shipped();
    size_t yf = id_of(lx, "研发投入"), xj = id_of(lx, "专精特新小巨人");
    hits *h = scan_text(lx, "加大Ｒ＆Ｄ投入");
    assert_true(has_hit(h, yf, alias_index(lx, yf, "R&D投入"), 2, 5));
    free(h);
    h = scan_text(lx, "加大r&d投入");
    assert_true(has_hit(h, yf, alias_index(lx, yf, "R&D投入"), 2, 5));
    free(h);
    size_t a = 99;
    assert_int_equal(lex_find(lx, "Ｒ＆Ｄ投入", strlen("Ｒ＆Ｄ投入"), &a), (long)yf);
    assert_int_equal(a, alias_index(lx, yf, "R&D投入"));

    h = scan_text(lx, "国家级专精特新“小巨人”企业36家");
    assert_true(has_hit(h, xj, alias_index(lx, xj, "专精特新\"小巨人\"企业"), 3, 11));
    assert_true(has_hit(h, xj, alias_index(lx, xj, "专精特新\"小巨人\""), 3, 9));
    assert_true(has_hit(h, id_of(lx, "专精特新"), LEX_NO_ALIAS, 3, 4));
    free(h);
    assert_int_equal(lex_find(lx, "专精特新“小巨人”", strlen("专精特新“小巨人”"), &a), (long)xj);

    h = scan_text(lx, "加快国家创新型县（市）建设");
    assert_true(has_hit(h, id_of(lx, "国家创新型县(市)"), LEX_NO_ALIAS, 2, 9));
    free(h);
    lex_free(lx);
}

/* Latin-letter keys match whole words only. */
static void test_word_boundaries(void **state)
{
    (void)state;
    lexicon *lx = shipped();
    size_t ai = id_of(lx, "人工智能"), g5 = id_of(lx, "5G");
    hits *h = scan_text(lx, "发展AI产业，建设5G基站");
    assert_true(has_hit(h, ai, alias_index(lx, ai, "AI"), 2, 2));
    assert_true(has_hit(h, g5, LEX_NO_ALIAS, 9, 2));
    free(h);
    h = scan_text(lx, "send MAIL to 15G or 5GHz");
    assert_false(has_term(h, ai));
    assert_false(has_term(h, g5));
    free(h);
    h = scan_text(lx, "(AI)");
    assert_true(has_hit(h, ai, alias_index(lx, ai, "AI"), 1, 2));
    free(h);
    lex_free(lx);
}

/* EXCEPT contexts hide false friends without hiding the real thing. */
static void test_except_contexts(void **state)
{
    (void)state;
    lexicon *lx = shipped();
    size_t gq = id_of(lx, "高新技术企业"), xj = id_of(lx, "专精特新小巨人");
    size_t kx = id_of(lx, "科技小巨人"), kj = id_of(lx, "科技型企业");
    hits *h = scan_text(lx, "提高企业家创新意识");
    assert_false(has_term(h, gq));
    free(h);
    h = scan_text(lx, "完成高企申报工作");
    assert_true(has_hit(h, gq, alias_index(lx, gq, "高企"), 2, 2));
    free(h);
    h = scan_text(lx, "新认定省科技小巨人企业1家");
    assert_true(has_hit(h, kx, LEX_NO_ALIAS, 4, 5));
    assert_true(has_hit(h, kx, alias_index(lx, kx, "科技小巨人企业"), 4, 7));
    assert_false(has_term(h, xj));
    free(h);
    h = scan_text(lx, "嘉兴市级以上科技企业孵化器7家");
    assert_true(has_term(h, id_of(lx, "孵化器")));
    assert_false(has_term(h, kj));
    free(h);
    /* Just before an EXCEPT context, at the very start and end of text. */
    h = scan_text(lx, "高企");
    assert_int_equal(h->n, 1);
    free(h);
    h = scan_text(lx, "提高企");
    assert_true(has_term(h, gq));             /* 提高企业 is not complete */
    free(h);
    lex_free(lx);
}

/* Every hit in the seed documents is exactly its key, and all have some. */
static void test_seed_documents(void **state)
{
    (void)state;
    const char *dir = getenv("SEEDS");
    if (!dir || !*dir)
        dir = "seeds";
    DIR *d = opendir(dir);
    if (!d)
        skip();
    lexicon *lx = shipped();
    buf b = BUF_INIT, text = BUF_INIT;
    size_t files = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (nl < 5 || strcmp(de->d_name + nl - 4, ".txt") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        char chunk[4096];
        size_t got;
        buf_clear(&text);
        while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
            assert_int_equal(buf_append(&text, chunk, got), 0);
        fclose(fp);
        uint32_t *cp;
        size_t n = norm(text.data, &cp);
        hits *h = calloc(1, sizeof *h);
        assert_non_null(h);
        assert_int_equal(lex_scan(lx, cp, n, collect, h), 0);
        assert_true(h->n >= 10);
        for (size_t i = 0; i < h->n; i++) {
            size_t a = 99;
            to_utf8(cp + h->v[i].start, h->v[i].len, &b);
            assert_int_equal(lex_find(lx, b.data, b.len, &a), (long)h->v[i].term);
            assert_int_equal(a, h->v[i].alias);
        }
        free(h);
        free(cp);
        files++;
    }
    closedir(d);
    assert_true(files >= 1);
    buf_free(&b);
    buf_free(&text);
    lex_free(lx);
}

/* The automaton agrees with brute force on random text over a tiny
 * alphabet, where keys overlap and nest in every possible way. */
static void test_against_brute_force(void **state)
{
    (void)state;
    static const char *const alpha[] = { "甲", "乙", "丙", "丁" };
    unsigned seed = 12345;
    for (int round = 0; round < 20; round++) {
        lexicon *lx = lex_new();
        assert_non_null(lx);
        char keys[40][16];
        size_t nk = 0;
        for (int tries = 0; tries < 200 && nk < 40; tries++) {
            char k[16] = "";
            seed = seed * 1103515245u + 12345u;
            int len = 1 + (int)((seed >> 16) % 4);
            for (int i = 0; i < len; i++) {
                seed = seed * 1103515245u + 12345u;
                strcat(k, alpha[(seed >> 16) % 4]);
            }
            if (lex_find(lx, k, strlen(k), NULL) >= 0)
                continue;
            /* Odd keys become aliases of the previous term. */
            if (nk % 2 == 1) {
                const char *al[1] = { k };
                assert_int_equal(lex_add(lx, keys[nk - 1], 1.0, al, 1, NULL), PS_OK);
            } else {
                assert_int_equal(lex_add(lx, k, 1.0, NULL, 0, NULL), PS_OK);
            }
            memcpy(keys[nk++], k, sizeof k);
        }
        assert_int_equal(lex_build(lx, NULL), PS_OK);
        char text[3 * 300 + 1] = "";
        for (int i = 0; i < 300; i++) {
            seed = seed * 1103515245u + 12345u;
            strcat(text, alpha[(seed >> 16) % 4]);
        }
        hits *h = scan_text(lx, text);
        uint32_t *cp;
        size_t n = norm(text, &cp);
        size_t expect = 0;
        buf b = BUF_INIT;
        for (size_t end = 1; end <= n; end++)
            for (size_t len = end < 4 ? end : 4; len >= 1; len--) {
                size_t a;
                to_utf8(cp + end - len, len, &b);
                long id = lex_find(lx, b.data, b.len, &a);
                if (id < 0)
                    continue;
                /* Same order too: by end, then longest first. */
                assert_true(expect < h->n);
                assert_int_equal(h->v[expect].term, (size_t)id);
                assert_int_equal(h->v[expect].alias, a);
                assert_int_equal(h->v[expect].start, end - len);
                assert_int_equal(h->v[expect].len, len);
                expect++;
            }
        assert_int_equal(h->n, expect);
        buf_free(&b);
        free(cp);
        free(h);
        lex_free(lx);
    }
}

/* Stops when the callback says so and passes its value back. */
static int stop_at_second(void *ctx, size_t term, size_t alias, size_t start, size_t len)
{
    (void)term; (void)alias; (void)start; (void)len;
    int *count = ctx;
    return ++*count == 2 ? 42 : 0;
}

static void test_scan_stops(void **state)
{
    (void)state;
    lexicon *lx = shipped();
    uint32_t *cp;
    size_t n = norm("专精特新小巨人企业研发投入", &cp);
    int count = 0;
    assert_int_equal(lex_scan(lx, cp, n, stop_at_second, &count), 42);
    assert_int_equal(count, 2);
    free(cp);
    lex_free(lx);
}

/* An empty lexicon scans nothing, built or not; a changed one must be rebuilt. */
static void test_empty_and_unbuilt(void **state)
{
    (void)state;
    lexicon *lx = lex_new();
    assert_non_null(lx);
    assert_int_equal(lex_count(lx), 0);
    hits *h = scan_text(lx, "专精特新小巨人");
    assert_int_equal(h->n, 0);
    free(h);
    assert_int_equal(lex_build(lx, NULL), PS_OK);
    h = scan_text(lx, "专精特新小巨人");
    assert_int_equal(h->n, 0);
    free(h);
    assert_int_equal(lex_find(lx, "专精特新", strlen("专精特新"), NULL), -1);
    uint32_t one = 0x4E00;
    assert_int_equal(lex_scan(lx, &one, 0, collect, NULL), 0);

    assert_int_equal(lex_add(lx, "专精特新", 2.0, NULL, 0, NULL), PS_OK);
    assert_int_equal(lex_scan(lx, &one, 1, collect, NULL), LEX_UNBUILT);
    assert_int_equal(lex_build(lx, NULL), PS_OK);
    h = scan_text(lx, "专精特新");
    assert_int_equal(h->n, 1);
    free(h);
    lex_free(lx);
    lex_free(NULL);
}

/* ---- the file format --------------------------------------------------- */

/* One bad line and the exact message it gives. */
static const struct {
    const char *text;
    int         rc;
    const char *msg;
} bad_files[] = {
    { "专精特新\n", PS_INPUT, "F:1: missing weight" },
    { "专精特新\t\t专精特新企业\n", PS_INPUT, "F:1: missing weight" },
    { "# comment\n\n\t2.0\n", PS_INPUT, "F:3: empty term" },
    { "\xe2\x80\x8b\t2.0\n", PS_INPUT, "F:1: empty term" },
    { "揭榜挂帅\t2.0\n\n# x\n赛马制\tabc\n", PS_INPUT,
      "F:4: bad weight 'abc' (expected a number in (0, 10])" },
    { "赛马制\t0\n", PS_INPUT, "F:1: bad weight '0' (expected a number in (0, 10])" },
    { "赛马制\t10.5\n", PS_INPUT, "F:1: bad weight '10.5' (expected a number in (0, 10])" },
    { "赛马制\t-1\n", PS_INPUT, "F:1: bad weight '-1' (expected a number in (0, 10])" },
    { "赛马制\t1e1\n", PS_INPUT, "F:1: bad weight '1e1' (expected a number in (0, 10])" },
    { "赛马制\t1.2.3\n", PS_INPUT, "F:1: bad weight '1.2.3' (expected a number in (0, 10])" },
    { "赛马制\tnan\n", PS_INPUT, "F:1: bad weight 'nan' (expected a number in (0, 10])" },
    { "赛马制\t.\n", PS_INPUT, "F:1: bad weight '.' (expected a number in (0, 10])" },
    { "高新技术企业\t2.0\t高企\n高新区\t1.5\t国家高新区,高企\n", PS_INPUT,
      "F:2: alias '高企' is already an alias of '高新技术企业'" },
    { "高新技术企业\t2.0\t高企\n高企\t1.5\n", PS_INPUT,
      "F:2: term '高企' is already an alias of '高新技术企业'" },
    { "创新券\t2.0\n科技创新券\t1.0\t创新券\n", PS_INPUT,
      "F:2: alias '创新券' is already the term '创新券'" },
    { "创新券\t2.0\t\t\t\n", PS_INPUT,
      "F:1: too many fields (expected TERM, WEIGHT, ALIASES, EXCEPT)" },
    { "高新技术企业\t2.0\t高企\t提升企业\n", PS_INPUT,
      "F:1: context '提升企业' contains neither '高新技术企业' nor one of its aliases" },
    { "ok\t1\nbad\xff\t1\n", PS_INPUT, "F:2: invalid UTF-8" },
};

static void test_malformed_lines(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
        char err[512] = "";
        lexicon *lx = lex_new();
        assert_non_null(lx);
        int rc = load_text(lx, bad_files[i].text, err, sizeof err);
        assert_int_equal(rc, bad_files[i].rc);
        assert_string_equal(err, bad_files[i].msg);
        lex_free(lx);
    }
    /* A file that cannot be opened names the file only. */
    ps_err err = PS_ERR_INIT;
    lexicon *lx = lex_new();
    assert_non_null(lx);
    assert_int_equal(lex_load_file(lx, "/nonexistent/terms.tsv", &err), PS_IO);
    assert_string_equal(err.msg, "/nonexistent/terms.tsv: No such file or directory");
    lex_free(lx);
}

/* What a well-formed file may contain. */
static void test_good_file(void **state)
{
    (void)state;
    char err[512] = "";
    lexicon *lx = lex_new();
    assert_non_null(lx);
    int rc = load_text(lx,
        "\xEF\xBB\xBF# byte-order mark, comments, CRLF, blanks\r\n"
        "   # indented comment\n"
        "\n"
        "  专精特新 \t 2 \t 专精特新中小企业 , 专精特新企业,,\r\n"
        "揭榜挂帅\t10\t揭榜制，揭榜挂帅\n"     /* full-width comma; the term itself is dropped */
        "赛马制\t0.5\t\n"
        "高新技术企业\t1.25\t高企\t提高企业\n",
        err, sizeof err);
    assert_int_equal(rc, PS_OK);
    assert_int_equal(lex_count(lx), 4);
    size_t zj = id_of(lx, "专精特新");
    assert_string_equal(lex_term(lx, zj), "专精特新");
    assert_true(lex_weight(lx, zj) == 2.0);
    assert_int_equal(lex_alias_count(lx, zj), 2);
    assert_string_equal(lex_alias(lx, zj, 0), "专精特新中小企业");
    assert_string_equal(lex_alias(lx, zj, 1), "专精特新企业");
    size_t jb = id_of(lx, "揭榜挂帅");
    assert_true(lex_weight(lx, jb) == 10.0);
    assert_int_equal(lex_alias_count(lx, jb), 1);
    assert_true(lex_weight(lx, id_of(lx, "赛马制")) == 0.5);
    assert_true(lex_weight(lx, id_of(lx, "高新技术企业")) == 1.25);
    assert_int_equal(lex_build(lx, NULL), PS_OK);
    hits *h = scan_text(lx, "提高企业实行揭榜制");
    assert_int_equal(h->n, 1);
    assert_true(has_hit(h, jb, 0, 6, 3));
    free(h);
    lex_free(lx);
}

/* A term given again takes the new weight and gains aliases and contexts. */
static void test_redefinition(void **state)
{
    (void)state;
    char err[512] = "";
    lexicon *lx = shipped();
    size_t n = lex_count(lx), zj = id_of(lx, "专精特新");
    size_t na = lex_alias_count(lx, zj);
    int rc = load_text(lx, "# user terms\n专精特新\t3.5\t专精特新中小企业,专精特新型企业\n"
                           "我的新词\t1\t新词别名\n", err, sizeof err);
    assert_int_equal(rc, PS_OK);
    assert_int_equal(lex_count(lx), n + 1);
    assert_int_equal(id_of(lx, "专精特新"), zj);
    assert_true(lex_weight(lx, zj) == 3.5);
    assert_int_equal(lex_alias_count(lx, zj), na + 1);
    assert_string_equal(lex_alias(lx, zj, na), "专精特新型企业");
    alias_index(lx, zj, "专精特新中小企业");
    assert_int_equal(lex_build(lx, NULL), PS_OK);
    hits *h = scan_text(lx, "培育新词别名和专精特新型企业");
    assert_true(has_hit(h, id_of(lx, "我的新词"), 0, 2, 4));
    assert_true(has_hit(h, zj, na, 7, 7));
    free(h);

    /* lex_add merges the same way, and lex_add_except adds a context. */
    const char *al[] = { "专精特新型企业", "专精特新\"企业\"" };
    assert_int_equal(lex_add(lx, "专精特新", 2.0, al, 2, NULL), PS_OK);
    assert_int_equal(lex_alias_count(lx, zj), na + 2);
    assert_true(lex_weight(lx, zj) == 2.0);
    const char *ctx[] = { "非专精特新" };
    assert_int_equal(lex_add_except(lx, "专精特新", ctx, 1, NULL), PS_OK);
    assert_int_equal(lex_add_except(lx, "不存在", ctx, 1, NULL), PS_INPUT);
    assert_int_equal(lex_add_except(lx, "专精特新", (const char *const[]){ "无关" }, 1, NULL), PS_INPUT);
    assert_int_equal(lex_build(lx, NULL), PS_OK);
    h = scan_text(lx, "非专精特新产品");
    assert_false(has_term(h, zj));
    free(h);
    lex_free(lx);
}

/* lex_add is all or nothing and checks its arguments. */
static void test_lex_add(void **state)
{
    (void)state;
    lexicon *lx = shipped();
    size_t n = lex_count(lx);
    uint32_t fp = lex_fingerprint(lx);
    const char *clash[] = { "新别名", "高企" };
    ps_err err = PS_ERR_INIT;
    assert_int_equal(lex_add(lx, "新词", 1.0, clash, 2, &err), PS_INPUT);
    assert_string_equal(err.msg, "alias '高企' is already an alias of '高新技术企业'");
    assert_int_equal(lex_add(lx, "高企", 1.0, NULL, 0, &err), PS_INPUT);   /* sticky: does nothing */
    ps_err_clear(&err);
    assert_int_equal(lex_add(lx, "高企", 1.0, NULL, 0, &err), PS_INPUT);
    assert_string_equal(err.msg, "term '高企' is already an alias of '高新技术企业'");
    assert_int_equal(lex_add(lx, "新词", 0.0, NULL, 0, NULL), PS_INPUT);
    assert_int_equal(lex_add(lx, "新词", 10.01, NULL, 0, NULL), PS_INPUT);
    assert_int_equal(lex_add(lx, " \t", 1.0, NULL, 0, NULL), PS_INPUT);
    assert_int_equal(lex_add(lx, "bad\xc0\xaf", 1.0, NULL, 0, NULL), PS_INPUT);
    assert_int_equal(lex_count(lx), n);
    assert_int_equal(lex_find(lx, "新别名", strlen("新别名"), NULL), -1);
    assert_int_equal(lex_fingerprint(lx), fp);
    /* Still built: failed adds changed nothing. */
    hits *h = scan_text(lx, "专精特新");
    assert_true(h->n >= 1);
    free(h);
    lex_free(lx);
}

/* ---- fingerprint ------------------------------------------------------ */

static void test_fingerprint(void **state)
{
    (void)state;
    char err[512];
    lexicon *a = lex_new(), *b = lex_new();
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(lex_fingerprint(a), lex_fingerprint(b));
    assert_int_equal(load_text(a, "甲\t1\t子,丑\n乙\t2\n", err, sizeof err), PS_OK);
    assert_int_equal(load_text(b, "乙\t2\n甲\t1\t丑\n甲\t1\t子\n", err, sizeof err), PS_OK);
    assert_int_equal(lex_fingerprint(a), lex_fingerprint(b));   /* order does not matter */
    uint32_t fp = lex_fingerprint(a);
    assert_int_equal(lex_add(b, "甲", 1.5, NULL, 0, NULL), PS_OK);    /* a weight changes */
    assert_int_not_equal(lex_fingerprint(b), fp);
    assert_int_equal(lex_add(b, "甲", 1.0, NULL, 0, NULL), PS_OK);
    assert_int_equal(lex_fingerprint(b), fp);
    const char *al[] = { "寅" };
    assert_int_equal(lex_add(b, "乙", 2.0, al, 1, NULL), PS_OK);      /* an alias is added */
    assert_int_not_equal(lex_fingerprint(b), fp);
    lex_free(a);
    lex_free(b);

    lexicon *s1 = shipped(), *s2 = shipped();
    assert_int_equal(lex_fingerprint(s1), lex_fingerprint(s2));
    assert_int_equal(lex_add(s2, "专精特新", 1.9, NULL, 0, NULL), PS_OK);
    assert_int_not_equal(lex_fingerprint(s1), lex_fingerprint(s2));
    lex_free(s1);
    lex_free(s2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_size),
        cmocka_unit_test(test_required_terms),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_scan_seed_sentence),
        cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_alias_hits),
        cmocka_unit_test(test_normalised_variants),
        cmocka_unit_test(test_word_boundaries),
        cmocka_unit_test(test_except_contexts),
        cmocka_unit_test(test_seed_documents),
        cmocka_unit_test(test_against_brute_force),
        cmocka_unit_test(test_scan_stops),
        cmocka_unit_test(test_empty_and_unbuilt),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_redefinition),
        cmocka_unit_test(test_lex_add),
        cmocka_unit_test(test_fingerprint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
