/* web_html.c — HTML escaping, URL encoding and the page frame (web_html.h). */
#include <string.h>

#include "utf8.h"
#include "web_html.h"

/* 1 for code points that must not reach a page as they are: C0/C1
 * controls but tab and newline, and the bidirectional embeddings,
 * overrides and isolates (U+202A-202E, U+2066-2069), which can make text
 * read in another order than it is (a file name disguised as another). */
static int html_unsafe_cp(uint32_t cp)
{
    if (cp < 0x20)
        return cp != '\t' && cp != '\n';
    if (cp >= 0x7f && cp < 0xa0)
        return 1;
    return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Append one code point cp (its bytes s[0..len) as they were) escaped. */
static int html_put_cp(buf *b, uint32_t cp, const char *s, size_t len)
{
    switch (cp) {
    case '&': return buf_puts(b, "&amp;");
    case '<': return buf_puts(b, "&lt;");
    case '>': return buf_puts(b, "&gt;");
    case '"': return buf_puts(b, "&quot;");
    case '\'': return buf_puts(b, "&#39;");
    default:
        if (html_unsafe_cp(cp))
            return buf_puts(b, "\xef\xbf\xbd");
        return buf_append(b, s, len);
    }
}

int html_text(buf *b, const char *s, size_t n)
{
    return html_marked(b, s, n, NULL);
}

int html_str(buf *b, const char *s)
{
    return html_text(b, s ? s : "", s ? strlen(s) : 0);
}

int html_marked(buf *b, const char *text, size_t n, const span_list *marks)
{
    size_t nmarks = marks ? marks->n : 0, k = 0, cp_index = 0, i = 0;
    int open = 0;
    while (i < n) {
        /* Marks count code points: close and open them at their bounds. */
        if (open && cp_index == marks->v[k].start + marks->v[k].len) {
            if (buf_puts(b, "</mark>") != 0)
                return -1;
            open = 0;
            k++;
        }
        if (!open && k < nmarks && cp_index == marks->v[k].start) {
            if (buf_puts(b, "<mark>") != 0)
                return -1;
            open = 1;
        }
        uint32_t cp;
        int len = utf8_decode((const unsigned char *)text + i, n - i, &cp);
        if (len <= 0) {                  /* an invalid byte: one U+FFFD for it */
            if (buf_puts(b, "\xef\xbf\xbd") != 0)
                return -1;
            len = 1;
        } else if (html_put_cp(b, cp, text + i, (size_t)len) != 0) {
            return -1;
        }
        i += (size_t)len;
        cp_index++;
    }
    return open ? buf_puts(b, "</mark>") : 0;
}

/* Append s percent-encoded: every byte but A-Z a-z 0-9 - . _ ~. */
static int url_escape(buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~';
        char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
        if (plain ? buf_putc(b, c) : buf_append(b, esc, 3))
            return -1;
    }
    return 0;
}

int url_param(buf *b, int first, const char *name, const char *value)
{
    if (buf_puts(b, first ? "" : "&") != 0 || url_escape(b, name, strlen(name)) != 0 ||
        buf_putc(b, '=') != 0)
        return -1;
    return url_escape(b, value, strlen(value));
}

int html_page_begin(buf *b, const char *title, const char *q)
{
    if (buf_puts(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<link rel=\"stylesheet\" href=\"/style.css\"><title>") != 0 ||
        html_str(b, title) != 0 ||
        buf_puts(b, " · polsearch</title></head>\n<body><header><a class=\"home\" href=\"/\">polsearch</a>"
                    "<form action=\"/search\" method=\"get\" role=\"search\">"
                    "<input type=\"search\" name=\"q\" aria-label=\"query\" placeholder=\"专精特新 OR 小巨人\" value=\"") != 0 ||
        html_str(b, q) != 0)
        return -1;
    return buf_puts(b, "\"><button type=\"submit\">搜索</button></form>"
                       "<nav><a href=\"/help\">语法</a> <a href=\"/terms\">趋势</a> <a href=\"/refs\">引用</a>"
                       "</nav></header>\n<main>\n");
}

int html_page_end(buf *b)
{
    return buf_puts(b, "</main></body></html>\n");
}

/* Small on purpose: system CJK fonts, a light and a dark scheme, a
 * single column at phone width. */
const char web_stylesheet[] =
    ":root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#666;--line:#ddd;--link:#0b57d0;--mark:#fff0a0;"
    "--c0:#0b57d0;--c1:#d93025;--c2:#188038;--c3:#e37400;--c4:#9334e6;--c5:#00838f;--c6:#c2185b;--c7:#5f6368}\n"
    "@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#16181c;--muted:#a0a0a0;--line:#333;--link:#8ab4f8;--mark:#6b5a00;"
    "--c0:#8ab4f8;--c1:#f28b82;--c2:#81c995;--c3:#fdd663;--c4:#c58af9;--c5:#78d9ec;--c6:#ff8bcb;--c7:#bdc1c6}}\n"
    "body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.75 system-ui,\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif}\n"
    "a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}\n"
    "header{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:center;padding:.6em 1em;border-bottom:1px solid var(--line)}\n"
    "header form{display:flex;flex:1;min-width:14em;gap:.4em}header input{flex:1;min-width:0;font:inherit;padding:.25em .5em}\n"
    ".home{font-weight:700;color:var(--fg)}main{display:flex;flex-wrap:wrap;gap:2em;max-width:72em;margin:0 auto;padding:1em;overflow-wrap:anywhere}\n"
    ".results{flex:1;min-width:0}.facets{width:14em;font-size:.9em}.facets h3{margin:.8em 0 .2em;font-size:1em}\n"
    ".facets ul{list-style:none;margin:0;padding:0}.count{color:var(--muted)}\n"
    ".hit{margin:0 0 1.4em}.hit h2{font-size:1.05em;margin:0}.meta{color:var(--muted);font-size:.85em}\n"
    ".snippet{margin:.2em 0}mark{background:var(--mark);color:inherit;padding:0 .1em}\n"
    ".chip{display:inline-block;border:1px solid var(--line);border-radius:1em;padding:0 .6em;margin:0 .3em .3em 0}\n"
    ".doc dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:0 1em;margin:0}.doc dd{margin:0}\n"
    /* The anchored paragraph: its mark runs a little past the text (a
     * shadow, so the text does not move), and the scroll to it stops
     * short of the top, so the line before it shows. */
    ".doc p{margin:.4em 0}.doc p:target{background:var(--mark);box-shadow:0 0 0 .35em var(--mark);border-radius:.15em;"
    "scroll-margin-top:2.5em}.pno{color:var(--muted);font-size:.8em;margin-right:.5em}\n"
    /* "另见 N 处": a quiet line under its paragraph, opening to a list
     * hung from a rule. */
    "details{margin:.1em 0 .7em;font-size:.85em;color:var(--muted)}summary{cursor:pointer;color:var(--link);width:max-content;max-width:100%}\n"
    "details ul{list-style:none;margin:.3em 0 0 .3em;padding:.1em 0 .1em .8em;border-left:2px solid var(--line)}details li{margin:.1em 0}\n"
    ".page{color:var(--muted);border-top:1px dashed var(--line);font-size:.8em;margin-top:1em}\n"
    ".pager{display:flex;gap:1em}.error{color:#c00}table{border-collapse:collapse}td,th{border-bottom:1px solid var(--line);padding:.1em .6em;text-align:left}\n"
    "svg{max-width:100%;height:auto}\n"
    ".chart text{fill:var(--fg);font-size:13px}.chart .tick{fill:var(--muted);font-size:12px}.chart .grid{stroke:var(--line)}\n"
    ".chart .axis{stroke:var(--muted)}.chart .line{fill:none;stroke-width:2.5;stroke:var(--c)}.chart .bar,.chart .dot,.chart .key{fill:var(--c)}\n"
    ".s0{--c:var(--c0)}.s1{--c:var(--c1)}.s2{--c:var(--c2)}.s3{--c:var(--c3)}.s4{--c:var(--c4)}.s5{--c:var(--c5)}.s6{--c:var(--c6)}.s7{--c:var(--c7)}\n"
    ".chart-box{margin:1em 0;overflow-x:auto}.chart{min-width:560px}th,button{white-space:nowrap}figcaption{color:var(--muted);font-size:.85em}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".terms-form{display:flex;flex-wrap:wrap;gap:.4em}.terms-form input,.terms-form select{font:inherit;padding:.2em .4em}.terms-form input{width:10em}\n"
    ".terms-table{display:block;overflow-x:auto;max-width:100%}.downloads{font-size:.9em}\n"
    "@media (max-width:40em){main{display:block}.facets{width:auto}}\n";
