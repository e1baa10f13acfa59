/* test_boiler.c — page furniture removal (boiler.c): every rule has a
 * line it drops, content lines that look like furniture are kept, and
 * boiler_strip collapses the blank lines around what it removes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boiler.h"
#include "buf.h"

/* Each rule drops its lines and no content line. */
static void test_boiler_rules(void **state)
{
    (void)state;
    static const struct { const char *line, *rule; } drop[] = {
        { "当前位置: 首页", "breadcrumb" },
        { "当前位置:首页>政府信息公开>政府部门信息公开>银川市科学技术局>法定主动公开内容", "breadcrumb" },
        { "您当前的位置：首页 > 政务公开 > 通知公告", "breadcrumb" },
        { "您现在的位置: 首页 » 新闻中心", "breadcrumb" },
        { "当前位置:", "breadcrumb" },
        { "首页 > 政务公开 > 通知公告", "breadcrumb-home" },
        { "> 政府信息公开 > 重点公开领域 > 政协提案 > 2024", "breadcrumb-tail" },
        { "无障碍 | 长者版", "accessibility-bar" },
        { "无障碍  关怀版  English  繁体", "accessibility-bar" },
        { "字体:[ 大 中 小 ]", "font-size" },
        { "【字体:大 中 小】", "font-size" },
        { "字体:[ ]", "font-size" },
        { "浏览次数: 1234 字体:[ 大 中 小 ] 【打印】【关闭】", "page-tools" },
        { "【打印本页】【关闭窗口】", "print-close" },
        { "打印本页 | 关闭窗口", "print-close" },
        { "[打印] [关闭]", "print-close" },
        { "【返回顶部】", "back-to-top" },
        { "扫一扫在手机打开当前页", "qr-code" },
        { "分享到: 微信 微博 QQ空间", "share-bar" },
        { "上一篇: 关于2023年度科技项目验收的通知", "prev-next" },
        { "下一篇：无", "prev-next" },
        { "相关链接", "related-links" },
        { "相关链接：", "related-links" },
        { "|", "separator-only" },
        { " ｜ ", "separator-only" },
        { "网站标识码: 3302810001 浙ICP备05001394号 浙公网安备 33028102000331号", "footer-ids" },
        { "版权所有: 余姚市人民政府", "copyright" },
        { "Copyright © 2024 余姚市科学技术局", "copyright" },
        { "网站地图 | 联系我们 | 设为首页", "site-links" },
    };
    static const char *const keep[] = {
        /* Found by the side-by-side benchmark: a manual page's licence
         * sentence and an error message with a path are content. */
        "版权所有 © 1999 自由软件基金会这一程序是自由软件; 拷贝条件见源文件. 没有任何担保;",
        "/usr/bin/env: 'perl -w -T': 没有那个文件或目录",
        "发布日期: 2024- 07- 16 15: 19 浏览次数: 字体:[ ] 信息来源: 市科技局",
        "发布日期:2024-09-19 浏览次数: 浏览",
        "在市政府网站首页开设专栏,方便企业查询政策。",
        "首页",
        "请申报单位打印申请表并加盖公章后报送。",
        "打印申请表",
        "关于市政协十四届三次会议第7号提案的回复",
        "关于开展ICP备案核查工作的通知",
        "经营性网站应当办理ICP备案,具体见浙ICP备05001394号文。",
        "位置",
        "位置优越,交通便利",
        "下一步,我们将继续加强科技创新。",
        "相关企业应当按时申报。",
        "字体设计产业发展情况",
        "大中小企业融通发展",
        "扫一扫二维码即可了解详情。本措施自发布之日起施行。",
        "版权所有人依法享有著作权。",
        "一、工作开展情况",
        "| 项目 | 金额 |",
        "> 本条规定的情形,按照第三条处理。",
        "",
        "   ",
    };
    size_t nrules = boiler_rule_count();
    int *seen = calloc(nrules, sizeof *seen);
    assert_non_null(seen);
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++) {
        int r = boiler_line_rule(drop[i].line, strlen(drop[i].line));
        if (r < 0 || strcmp(boiler_rule_name((size_t)r), drop[i].rule) != 0)
            print_error("line \"%s\": got rule %s, want %s\n", drop[i].line,
                        r < 0 ? "(none)" : boiler_rule_name((size_t)r), drop[i].rule);
        assert_true(r >= 0);
        assert_string_equal(boiler_rule_name((size_t)r), drop[i].rule);
        seen[r] = 1;
    }
    for (size_t r = 0; r < nrules; r++) {
        if (!seen[r])
            print_error("rule %s has no test case\n", boiler_rule_name(r));
        assert_true(seen[r]);
    }
    free(seen);
    assert_null(boiler_rule_name(nrules));
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        int r = boiler_line_rule(keep[i], strlen(keep[i]));
        if (r >= 0)
            print_error("content line \"%s\" matched rule %s\n", keep[i], boiler_rule_name((size_t)r));
        assert_int_equal(r, -1);
    }

    /* Whole-text stripping, blank lines around removed furniture collapse. */
    const char *in = "无障碍 | 长者版\n\n当前位置: 首页>政务公开\n\n标题\n正文一。\n\n"
                     "字体:[ 大 中 小 ]\n\n正文二。\n\n【打印本页】【关闭窗口】\n\n扫一扫在手机打开当前页\n";
    buf out = BUF_INIT;
    unsigned dropped = 0;
    assert_int_equal(boiler_strip(in, strlen(in), &out, &dropped), 0);
    assert_string_equal(out.data, "标题\n正文一。\n\n正文二。\n");
    assert_int_equal(dropped, 5);
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boiler_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
