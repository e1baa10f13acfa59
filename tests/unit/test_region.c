/* test_region.c — a document's region from its metadata (region.c): the
 * seeds, each source in its turn, names shared by several divisions,
 * issuers that name two places, state bodies, and what stays unknown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "region.h"

/* "province/city/county/code" with "-" for a level not known, or "unknown". */
static void region_text(const ps_region *r, char *out, size_t cap)
{
    if (!r->province) {
        snprintf(out, cap, "unknown");
        return;
    }
    snprintf(out, cap, "%s/%s/%s/%d", r->province, r->city ? r->city : "-",
             r->county ? r->county : "-", r->code);
}

static void test_region_of(void **state)
{
    (void)state;
    static const struct { const char *issuer, *title, *docno, *want; } cases[] = {
        /* The seeds, as their metadata reads (polsearch search --json). */
        { "银川市科学技术局", "银川市科技局关于对市政协十四届一次会议第029号提案的答复",
          "11640100010085853R/2022-00089", "宁夏回族自治区/银川市/-/640100" },
        { "市科技局", "关于市政协十四届三次会议第7号提案的回复", NULL, "unknown" },
        { "临沂市科学技术局", "关于引育“专精特新”,加力提速工业经济高质量发展的建议",
          "临科函字〔2024〕4号", "山东省/临沂市/-/371300" },
        { "市科学技术局", "关于加大小微企业科技发展与创新力度的建议", "005452102/2024-00001", "unknown" },
        { "海宁市科学技术局", "海宁市科学技术局关于对 市第十六届人民代表大会第三次会议第380号建议的答复意见",
          NULL, "浙江省/嘉兴市/海宁市/330481" },
        { "余姚市科学技术局", NULL, NULL, "浙江省/宁波市/余姚市/330281" },
        /* The title counts only when it opens with the place. */
        { NULL, "银川市科技局关于对提案的答复", NULL, "宁夏回族自治区/银川市/-/640100" },
        { NULL, "中共临沂市委关于加强科技工作的意见", NULL, "山东省/临沂市/-/371300" },
        { NULL, "关于学习借鉴深圳市经验的通知", NULL, "unknown" },
        { "市科技局", "西湖区域经济发展报告", NULL, "unknown" },
        /* Two places: one line of descent gives the deeper; else what they share. */
        { "浙江省科学技术厅、宁波市科学技术局", NULL, NULL, "浙江省/宁波市/-/330200" },
        { "杭州市科学技术局 宁波市科学技术局", NULL, NULL, "浙江省/-/-/330000" },
        { "上海市科学技术委员会、江苏省科学技术厅", "上海市关于…", NULL, "unknown" },
        /* A name four cities share gives nothing; the city before it decides. */
        { "鼓楼区科学技术局", NULL, NULL, "unknown" },
        { "南京市鼓楼区科学技术局", NULL, NULL, "江苏省/南京市/鼓楼区/320106" },
        { "北京市东城区科学技术委员会", NULL, NULL, "北京市/北京市/东城区/110101" },
        /* Two-character names only where a body's name starts. */
        { "沛县人民政府", NULL, NULL, "江苏省/徐州市/沛县/320322" },
        { "各市和县人民政府", NULL, NULL, "unknown" },
        { "海宁市场监督管理局", NULL, NULL, "unknown" },
        /* The division inside a credit code, with its check character. */
        { "市科技局", NULL, "11330281002700010G/2024-00001", "浙江省/宁波市/余姚市/330281" },
        { "市科技局", NULL, "11330281002700010X/2024-00001", "unknown" },
        { "宁波市科学技术局", NULL, "11330281002700010G", "浙江省/宁波市/余姚市/330281" },
        { "银川市科学技术局", NULL, "11330281002700010G", "宁夏回族自治区/银川市/-/640100" },
        /* State bodies and number series. */
        { "科学技术部", NULL, NULL, "全国/-/-/0" },
        { "国务院办公厅", NULL, NULL, "全国/-/-/0" },
        { "科技部 财政部 国家税务总局", NULL, NULL, "全国/-/-/0" },
        { "市委组织部", NULL, NULL, "unknown" },
        { NULL, NULL, "国办发〔2017〕47号", "全国/-/-/0" },
        { NULL, NULL, "11100000000013127D", "全国/-/-/0" },
        { NULL, NULL, "浙政发〔2020〕1号", "浙江省/-/-/330000" },
        { NULL, NULL, "川府发[2020]1号", "四川省/-/-/510000" },
        { NULL, NULL, "宁政发〔2020〕1号", "unknown" },
        { NULL, NULL, "苏府〔2020〕1号", "unknown" },
        { NULL, NULL, NULL, "unknown" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        region_src src = { .issuer = cases[i].issuer, .title = cases[i].title, .docno = cases[i].docno };
        ps_region r;
        char got[256];
        int known = region_of(&src, &r);
        region_text(&r, got, sizeof got);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu (%s | %s | %s): got %s, want %s", i, cases[i].issuer ? cases[i].issuer : "-",
                     cases[i].title ? cases[i].title : "-", cases[i].docno ? cases[i].docno : "-", got,
                     cases[i].want);
        assert_int_equal(known, strcmp(cases[i].want, "unknown") != 0);
    }
}

static void test_region_matches(void **state)
{
    (void)state;
    region_src src = { .issuer = "余姚市科学技术局" };
    ps_region r;
    assert_int_equal(region_of(&src, &r), 1);
    static const char *yes[] = { "浙江", "浙江省", "宁波", "宁波市", "余姚", "余姚市", "33", "3302", "330281" };
    static const char *no[] = { "江苏", "杭州", "3301", "330282", "unknown", "全国", "余" };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!region_matches(&r, yes[i]))
            fail_msg("%s should match 余姚", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (region_matches(&r, no[i]))
            fail_msg("%s should not match 余姚", no[i]);
    ps_region none = PS_REGION_UNKNOWN;
    assert_true(region_matches(&none, "unknown"));
    assert_false(region_matches(&none, "浙江"));
    src.issuer = "科学技术部";
    assert_int_equal(region_of(&src, &r), 1);
    assert_true(region_matches(&r, "全国"));
    assert_false(region_matches(&r, "10"));
}

static void test_region_places(void **state)
{
    (void)state;
    static const char *yes[] = { "浙江", "广西", "内蒙古", "余姚", "沛县", "330281", "33", "全国", "unknown" };
    static const char *no[] = { "火星", "999999", "3399", "浙", "", "12345" };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!region_is_place(yes[i]))
            fail_msg("%s should be a place", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (region_is_place(no[i]))
            fail_msg("%s should not be a place", no[i]);
    char s[64];
    assert_string_equal(region_short("广西壮族自治区", s, sizeof s), "广西");
    assert_string_equal(region_short("内蒙古自治区", s, sizeof s), "内蒙古");
    assert_string_equal(region_short("余姚市", s, sizeof s), "余姚");
    assert_string_equal(region_short("沛县", s, sizeof s), "沛县");
    assert_string_equal(region_short("香港特别行政区", s, sizeof s), "香港");
    assert_string_equal(region_short("浙江省", s, 4), "浙");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_region_of),
        cmocka_unit_test(test_region_matches),
        cmocka_unit_test(test_region_places),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
