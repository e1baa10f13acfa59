/* boiler.c — removal of web-site furniture lines; see boiler.h.
 *
 * Every rule is data in rules[] below.  Patterns are lists of words
 * separated by single spaces (lines are compared with their white space
 * removed, so a pattern never needs a space); the word "#" stands for a run
 * of ASCII digits and a word ending in '#' must be followed by one.
 *
 * Rules err on the side of keeping: a line is furniture only when all of
 * it is.  Prefix and contains rules also refuse any line with sentence
 * punctuation (。；！？), since site furniture never forms sentences. */
#include "boiler.h"

#include <string.h>

/* How a rule matches the white-space-free line. */
enum bkind {
    BK_EQUALS,                       /* the line is one of a */
    BK_PREFIX,                       /* the line starts with one of a (and contains one of b) */
    BK_CONTAINS,                     /* the line contains one of a (and one of b) */
    BK_TOKENS,                       /* the line is made only of the words in a (and contains one of b) */
    BK_CRUMB                         /* breadcrumb: prefix a, then short segments split by > » › → / */
};

/* One furniture rule. */
typedef struct boiler_rule {
    const char *name;                /* short name, for tests and diagnostics */
    enum bkind  kind;                /* how a and b are used */
    const char *a;                   /* the words of the rule (see enum bkind); NULL: none */
    const char *b;                   /* one of these must also occur, or NULL */
    unsigned    max;                 /* longest line (bytes, white space removed) it applies to */
    const char *why;                 /* what the rule is for */
} boiler_rule;

static const boiler_rule rules[] = {
    { "breadcrumb", BK_CRUMB,
      "当前位置 您当前的位置 您现在的位置 您当前位置 您的位置 当前的位置 所在位置 现在位置 位置",
      "首页 > ＞ » › →", 600,
      "当前位置: 首页 > 政务公开 > ... (also the bare '当前位置: 首页')" },
    { "breadcrumb-home", BK_CRUMB, "首页 网站首页", "> ＞ » › → /", 600,
      "首页 > 政务公开 > 通知公告, without a 当前位置 label" },
    { "breadcrumb-tail", BK_CRUMB, NULL, NULL, 600,
      "'> 政府信息公开 > 重点公开领域 > 2024': a breadcrumb wrapped onto its own line" },
    { "accessibility-bar", BK_TOKENS,
      "无障碍 无障碍浏览 长者版 关怀版 适老版 适老化 老年版 长者模式 关怀模式 "
      "English ENGLISH EN 繁体 简体 繁體 简体中文 繁體中文 繁 简 "
      "登录 注册 个人登录 法人登录 用户登录 网站支持IPv6 IPv6 | ｜ 丨 / 、 · •",
      "无障碍 长者 关怀 适老 老年 English ENGLISH 繁 简 登录 IPv6", 200,
      "无障碍 | 长者版 | English | 繁体: the top bar of a government site" },
    { "font-size", BK_TOKENS,
      "字体 字号 【 】 [ ] ( ) （ ） : ： 大 中 小 默认 标准 A A+ A- | ｜ 丨 / 、",
      "字体 字号", 120,
      "字体:[ 大 中 小 ], 【字体:大 中 小】 and the empty 字体:[ ]" },
    { "page-tools", BK_TOKENS,
      "浏览次数 浏览量 访问次数 访问量 点击数 点击量 阅读次数 阅读量 次 # "
      "字体 字号 : ： [ ] 【 】 ( ) （ ） 大 中 小 打印本页 打印 关闭窗口 关闭 收藏 分享 | ｜ 丨",
      "浏览 访问 点击 阅读", 200,
      "浏览次数: 123 字体:[大 中 小] 打印: counters and tools with no metadata" },
    { "print-close", BK_TOKENS,
      "【 】 [ ] ( ) （ ） | ｜ 丨 / 、 打印本页 打印此页 打印页面 打印文章 打印 "
      "关闭窗口 关闭本页 关闭页面 关闭 收藏本页 加入收藏 收藏 保存本页 保存 返回顶部 返回 顶部 "
      "我要纠错 纠错",
      "打印 关闭", 200,
      "【打印本页】【关闭窗口】 and 打印本页 | 关闭窗口" },
    { "back-to-top", BK_TOKENS,
      "【 】 [ ] 返回顶部 返回首页 返回上一页 返回列表 返回 顶部 TOP Top top ↑ ▲",
      "返回 顶部 TOP Top top", 60,
      "返回顶部 / 【返回】 links" },
    { "qr-code", BK_PREFIX,
      "扫一扫在手机 手机扫一扫 微信扫一扫 扫一扫 扫描二维码 用手机扫描 手机扫描二维码",
      NULL, 90,
      "扫一扫在手机打开当前页: the QR-code hint under the article" },
    { "share-bar", BK_PREFIX, "分享到 分享至 分享: 分享：", NULL, 200,
      "分享到: 微信 微博 QQ空间" },
    { "prev-next", BK_PREFIX, "上一篇 下一篇 上一条 下一条 上一页 下一页", NULL, 400,
      "上一篇: <another article's title>, 下一篇: ..." },
    { "related-links", BK_TOKENS,
      "相关链接 相关文章 相关阅读 相关新闻 相关稿件 友情链接 【 】 [ ] : ：",
      "相关 友情", 60,
      "the 相关链接 heading over a list of links" },
    { "separator-only", BK_TOKENS, "| ｜ 丨 ¦ ‖", NULL, 60,
      "a lone '|' left over from a menu" },
    { "footer-ids", BK_CONTAINS, "网站标识码 网站识别码 公网安备 ICP备# ICP证#", NULL, 800,
      "网站标识码 / 浙ICP备05001394号 / 公网安备: the site footer" },
    { "copyright", BK_PREFIX, "版权所有 Copyright COPYRIGHT copyright ©", NULL, 600,
      "版权所有: 余姚市人民政府 / Copyright © 2024" },
    { "site-links", BK_TOKENS,
      "网站地图 联系我们 设为首页 加入收藏 网站声明 关于我们 隐私声明 隐私政策 使用帮助 "
      "网站纠错 我要纠错 纠错 RSS订阅 RSS | ｜ 丨 、 · /",
      "网站地图 联系我们 设为首页 加入收藏 网站声明 关于我们 隐私 帮助 纠错 RSS", 200,
      "网站地图 | 联系我们 | 设为首页: footer links" },
};

#define NRULES (sizeof rules / sizeof rules[0])

/* Breadcrumb separators. */
static const char crumb_seps[] = "> ＞ » › → / \\";

/* Characters that end or split sentences: their presence means content. */
static const char sentence_punct[] = "。 ； ！ ？ ; ! ?";
static const char crumb_punct[] = "。 ， ； ！ ？ , ;";

size_t boiler_rule_count(void)
{
    return NRULES;
}

const char *boiler_rule_name(size_t i)
{
    return i < NRULES ? rules[i].name : NULL;
}

/* Length of the white-space character at s[i] (ASCII blank, U+00A0, U+3000,
 * U+200B, U+FEFF), or 0. */
static size_t space_at(const unsigned char *s, size_t n, size_t i)
{
    unsigned c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xA0)
        return 2;
    if (i + 2 < n) {
        if (c == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80)
            return 3;
        if (c == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0x8B)
            return 3;
        if (c == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF)
            return 3;
    }
    return 0;
}

/* Iterate over a space-separated word list: stores the next word in *word,
 * advances *p past it and returns its length; 0 at the end. */
static size_t next_word(const char **p, const char **word)
{
    const char *s = *p;
    while (*s == ' ')
        s++;
    if (!*s)
        return 0;
    const char *e = strchr(s, ' ');
    if (!e)
        e = s + strlen(s);
    *word = s;
    *p = e;
    return (size_t)(e - s);
}

/* Length of the run of ASCII digits at s[i..n). */
static size_t digits_at(const char *s, size_t n, size_t i)
{
    size_t k = i;
    while (k < n && s[k] >= '0' && s[k] <= '9')
        k++;
    return k - i;
}

/* Length of the word of `list` that s[i..n) starts with (the longest), or 0.
 * Compares in place while walking the list: this runs for every short
 * line of every document, and most words fail on their first byte. */
static size_t word_at(const char *s, size_t n, size_t i, const char *list)
{
    const char *w = list;
    size_t best = 0;
    while (*w) {
        if (*w == ' ') {
            w++;
            continue;
        }
        size_t k = 0, m;
        if (w[0] == '#' && (w[1] == ' ' || w[1] == '\0')) {
            m = digits_at(s, n, i);
            k = 1;
        } else {
            while (w[k] && w[k] != ' ' && i + k < n && s[i + k] == w[k])
                k++;
            m = (w[k] == ' ' || w[k] == '\0') ? k : 0;
            while (w[k] && w[k] != ' ')
                k++;
        }
        if (m > best)
            best = m;
        w += k;
    }
    return best;
}

/* 1 when some word of `list` occurs in s[0..n). */
static int contains_any(const char *s, size_t n, const char *list)
{
    const char *p = list, *w;
    size_t len;
    while ((len = next_word(&p, &w)) > 0) {
        int need_digits = len > 1 && w[len - 1] == '#';
        size_t wl = need_digits ? len - 1 : len;
        size_t from = 0;
        while (from < n) {
            const char *hit = memmem(s + from, n - from, w, wl);
            if (!hit)
                break;
            size_t at = (size_t)(hit - s) + wl;
            if (!need_digits || digits_at(s, n, at) > 0)
                return 1;
            from = (size_t)(hit - s) + 1;
        }
    }
    return 0;
}

/* 1 when s[0..n) consists only of words of `list`. */
static int tokens_only(const char *s, size_t n, const char *list)
{
    size_t i = 0;
    while (i < n) {
        size_t m = word_at(s, n, i, list);
        if (m == 0)
            return 0;
        i += m;
    }
    return n > 0;
}

/* Breadcrumb: [prefix [:]] then segments of at most 60 bytes, split by
 * separators, none holding sentence punctuation. */
static int is_crumb(const char *s, size_t n, const boiler_rule *r)
{
    size_t i = 0, seps = 0, seg = 0;
    if (r->a) {
        i = word_at(s, n, 0, r->a);
        if (i == 0)
            return 0;
        int colon = 1;
        if (i < n && s[i] == ':')
            i++;
        else if (n - i >= 3 && memcmp(s + i, "：", 3) == 0)
            i += 3;
        else
            colon = 0;
        if (i == n)
            return colon;            /* "当前位置:" alone is a label; "位置" may be a heading */
        if (r->b && !contains_any(s + i, n - i, r->b))
            return 0;
    } else if (word_at(s, n, 0, crumb_seps) == 0 || s[0] == '/' || s[0] == '\\') {
        /* A wrapped breadcrumb starts with an arrow; a line starting with
         * '/' is a file path (/usr/bin/env: ...), not furniture. */
        return 0;
    }
    while (i < n) {
        size_t m = word_at(s, n, i, crumb_seps);
        if (m) {
            seps++;
            seg = 0;
            i += m;
            continue;
        }
        if (word_at(s, n, i, crumb_punct))
            return 0;
        if (++seg > 60)
            return 0;
        i++;
    }
    return r->a ? 1 : seps >= 2;
}

/* Does rule r match the white-space-free line s[0..n)? */
static int rule_matches(const boiler_rule *r, const char *s, size_t n)
{
    if (n > r->max)
        return 0;
    switch (r->kind) {
    case BK_EQUALS: {
        const char *p = r->a, *w;
        size_t len;
        while ((len = next_word(&p, &w)) > 0)
            if (len == n && memcmp(s, w, n) == 0)
                return 1;
        return 0;
    }
    case BK_PREFIX:
        if (word_at(s, n, 0, r->a) == 0 || contains_any(s, n, sentence_punct))
            return 0;
        return r->b == NULL || contains_any(s, n, r->b);
    case BK_CONTAINS:
        if (!contains_any(s, n, r->a) || contains_any(s, n, sentence_punct))
            return 0;
        return r->b == NULL || contains_any(s, n, r->b);
    case BK_TOKENS:
        if (!tokens_only(s, n, r->a))
            return 0;
        return r->b == NULL || contains_any(s, n, r->b);
    case BK_CRUMB:
        return is_crumb(s, n, r);
    }
    return 0;
}

int boiler_line_rule(const char *line, size_t len)
{
    char sq[BOILER_MAX_LINE];
    size_t n = 0;
    const unsigned char *u = (const unsigned char *)line;
    if (len > BOILER_MAX_LINE)
        return -1;
    /* A full stop means a sentence, and no rule takes one: this settles
     * most content lines without looking further. */
    if (memmem(line, len, "。", 3))
        return -1;
    for (size_t i = 0; i < len;) {
        size_t sp = space_at(u, len, i);
        if (sp) {
            i += sp;
            continue;
        }
        sq[n++] = line[i++];
    }
    if (n == 0)
        return -1;
    for (size_t r = 0; r < NRULES; r++)
        if (rule_matches(&rules[r], sq, n))
            return (int)r;
    return -1;
}

/* 1 when line[0..len) holds nothing but white space. */
static int is_blank(const char *line, size_t len)
{
    const unsigned char *u = (const unsigned char *)line;
    for (size_t i = 0; i < len;) {
        size_t sp = space_at(u, len, i);
        if (!sp)
            return 0;
        i += sp;
    }
    return 1;
}

size_t boiler_strip_inplace(char *s, size_t n, unsigned *dropped)
{
    unsigned d = 0;
    size_t i = 0, w = 0;
    /* After a removal that follows a blank line (or the start), further
     * blank lines would only stack up: skip them until content comes. */
    int prev_blank = 1, collapse = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n;
        size_t next = nl ? end + 1 : n;
        int blank = is_blank(s + i, end - i);
        if (!blank && boiler_line_rule(s + i, end - i) >= 0) {
            d++;
            if (prev_blank)
                collapse = 1;
        } else if (blank && collapse) {
            /* dropped with the furniture above it */
        } else {
            if (w != i)
                memmove(s + w, s + i, next - i);
            w += next - i;
            prev_blank = blank;
            collapse = 0;
        }
        i = next;
    }
    /* Furniture at the very end: no blank lines after the last content. */
    if (collapse)
        while (w >= 2 && s[w - 1] == '\n' && s[w - 2] == '\n')
            w--;
    if (dropped)
        *dropped = d;
    return w;
}

int boiler_strip(const char *s, size_t n, buf *out, unsigned *dropped)
{
    size_t at = out->len;
    if (buf_append(out, s, n) != 0)
        return -1;
    out->len = at + boiler_strip_inplace(out->data + at, n, dropped);
    out->data[out->len] = '\0';
    return 0;
}
