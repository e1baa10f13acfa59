/* html.c — the text of an HTML page; see html.h.
 *
 * One forward scan.  Text runs go through an output state that collapses
 * white space and turns block boundaries into pending line breaks, written
 * only when more text follows (so the output never ends in, or starts with,
 * breaks and never holds more than one blank line in a row).  Every search
 * that could fail and be repeated later (a '>' that never comes, a quote
 * that never closes, an end tag that never comes) remembers the failure,
 * which keeps the whole scan linear on hostile input. */
#include "html.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Output state of the text being produced. */
typedef struct hout {
    buf      *b;                     /* where the text goes */
    size_t    nl;                    /* newlines at the end of b (0 mid-line) */
    int       brk;                   /* pending break: 0 none, 1 newline, 2 blank line */
    int       space;                 /* pending space: 0 none, 1 from a line break only, 2 real */
    uint32_t  last;                  /* last code point written on this line, 0 at a line start */
    int       pre;                   /* inside <pre>: keep white space as it is */
    int       oom;                   /* an allocation failed: stop */
} hout;

/* Named references: sorted by strcmp for bsearch. */
typedef struct entity {
    const char *name;                /* the name between '&' and ';' */
    unsigned    cp;                  /* the code point it stands for */
} entity;

static const entity entities[] = {
    { "Dagger", 0x2021 }, { "Prime", 0x2033 }, { "acute", 0xB4 },
    { "alefsym", 0x2135 }, { "alpha", 0x3B1 }, { "amp", 0x26 },
    { "and", 0x2227 }, { "ang", 0x2220 }, { "apos", 0x27 },
    { "asymp", 0x2248 }, { "bdquo", 0x201E }, { "beta", 0x3B2 },
    { "brvbar", 0xA6 }, { "bull", 0x2022 }, { "cap", 0x2229 },
    { "cedil", 0xB8 }, { "cent", 0xA2 }, { "circ", 0x2C6 },
    { "clubs", 0x2663 }, { "cong", 0x2245 }, { "copy", 0xA9 },
    { "crarr", 0x21B5 }, { "cup", 0x222A }, { "curren", 0xA4 },
    { "dagger", 0x2020 }, { "darr", 0x2193 }, { "deg", 0xB0 },
    { "diams", 0x2666 }, { "divide", 0xF7 }, { "empty", 0x2205 },
    { "emsp", 0x2003 }, { "ensp", 0x2002 }, { "equiv", 0x2261 },
    { "euro", 0x20AC }, { "exist", 0x2203 }, { "forall", 0x2200 },
    { "frac12", 0xBD }, { "frac14", 0xBC }, { "frac34", 0xBE },
    { "frasl", 0x2044 }, { "ge", 0x2265 }, { "gt", 0x3E }, { "harr", 0x2194 },
    { "hearts", 0x2665 }, { "hellip", 0x2026 }, { "iexcl", 0xA1 },
    { "image", 0x2111 }, { "infin", 0x221E }, { "int", 0x222B },
    { "iquest", 0xBF }, { "isin", 0x2208 }, { "lArr", 0x21D0 },
    { "lang", 0x27E8 }, { "laquo", 0xAB }, { "larr", 0x2190 },
    { "lceil", 0x2308 }, { "ldquo", 0x201C }, { "le", 0x2264 },
    { "lfloor", 0x230A }, { "lowast", 0x2217 }, { "loz", 0x25CA },
    { "lrm", 0x200E }, { "lsaquo", 0x2039 }, { "lsquo", 0x2018 },
    { "lt", 0x3C }, { "macr", 0xAF }, { "mdash", 0x2014 }, { "micro", 0xB5 },
    { "middot", 0xB7 }, { "minus", 0x2212 }, { "mu", 0x3BC },
    { "nabla", 0x2207 }, { "nbsp", 0xA0 }, { "ndash", 0x2013 },
    { "ne", 0x2260 }, { "ni", 0x220B }, { "not", 0xAC }, { "notin", 0x2209 },
    { "nsub", 0x2284 }, { "oline", 0x203E }, { "oplus", 0x2295 },
    { "or", 0x2228 }, { "ordf", 0xAA }, { "ordm", 0xBA }, { "oslash", 0xF8 },
    { "otimes", 0x2297 }, { "para", 0xB6 }, { "part", 0x2202 },
    { "permil", 0x2030 }, { "perp", 0x22A5 }, { "pi", 0x3C0 },
    { "plusmn", 0xB1 }, { "pound", 0xA3 }, { "prime", 0x2032 },
    { "prod", 0x220F }, { "prop", 0x221D }, { "quot", 0x22 },
    { "rArr", 0x21D2 }, { "radic", 0x221A }, { "rang", 0x27E9 },
    { "raquo", 0xBB }, { "rarr", 0x2192 }, { "rceil", 0x2309 },
    { "rdquo", 0x201D }, { "real", 0x211C }, { "reg", 0xAE },
    { "rfloor", 0x230B }, { "rlm", 0x200F }, { "rsaquo", 0x203A },
    { "rsquo", 0x2019 }, { "sbquo", 0x201A }, { "sdot", 0x22C5 },
    { "sect", 0xA7 }, { "shy", 0xAD }, { "sim", 0x223C },
    { "spades", 0x2660 }, { "sub", 0x2282 }, { "sube", 0x2286 },
    { "sum", 0x2211 }, { "sup", 0x2283 }, { "sup1", 0xB9 }, { "sup2", 0xB2 },
    { "sup3", 0xB3 }, { "supe", 0x2287 }, { "there4", 0x2234 },
    { "thinsp", 0x2009 }, { "tilde", 0x2DC }, { "times", 0xD7 },
    { "trade", 0x2122 }, { "uarr", 0x2191 }, { "uml", 0xA8 },
    { "weierp", 0x2118 }, { "yen", 0xA5 }, { "zwj", 0x200D },
    { "zwnj", 0x200C },
};

/* Names that pages in the wild write without the ';' and browsers accept. */
static const char *const legacy_entities[] = {
    "amp", "lt", "gt", "quot", "nbsp", "copy", "reg"
};

/* &#128; .. &#159; mean windows-1252 characters to every browser. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
    0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178
};

/* What a tag does to the text. */
enum tag_kind {
    TK_INLINE = 0,                   /* nothing: <a>, <span>, unknown tags */
    TK_BLOCK,                        /* paragraph break ("\n\n") */
    TK_LINE,                         /* line break ("\n") at both ends */
    TK_BR,                           /* one more line break, now */
    TK_CELL,                         /* a table cell: a space between cells */
    TK_PRE,                          /* paragraph break, white space kept inside */
    TK_SKIP_RAW,                     /* raw text element whose content is dropped (to EOF if unclosed) */
    TK_SKIP,                         /* element whose content is dropped (just the tag if unclosed) */
    TK_TITLE,                        /* the page title */
    TK_HEAD,                         /* <head>: its text is not page text */
    TK_BODY,                         /* <body>: ends the head */
    TK_HEADISH                       /* may appear in <head> without ending it */
};

/* Tags that matter; all others are inline.  Linear search: the table is
 * small and only consulted once per tag. */
typedef struct tag_info {
    const char    *name;             /* lower-case tag name */
    enum tag_kind  kind;             /* what it does */
} tag_info;

static const tag_info tags[] = {
    /* p, div, li and tr end a line, not a paragraph: the paragraph rules of
     * plain text decide, so a page with a <p> per line splits as its text. */
    { "p", TK_LINE }, { "div", TK_LINE }, { "br", TK_BR }, { "li", TK_LINE },
    { "td", TK_CELL }, { "th", TK_CELL }, { "tr", TK_LINE }, { "table", TK_BLOCK },
    { "h1", TK_BLOCK }, { "h2", TK_BLOCK }, { "h3", TK_BLOCK }, { "h4", TK_BLOCK },
    { "h5", TK_BLOCK }, { "h6", TK_BLOCK }, { "section", TK_BLOCK },
    { "article", TK_BLOCK }, { "ul", TK_LINE }, { "ol", TK_LINE },
    { "dl", TK_LINE }, { "dd", TK_LINE }, { "dt", TK_LINE },
    { "header", TK_LINE }, { "footer", TK_LINE }, { "nav", TK_LINE },
    { "blockquote", TK_BLOCK }, { "pre", TK_PRE }, { "hr", TK_BLOCK },
    { "main", TK_LINE }, { "aside", TK_LINE }, { "form", TK_LINE },
    { "address", TK_LINE }, { "center", TK_LINE }, { "figure", TK_LINE },
    { "figcaption", TK_LINE }, { "caption", TK_LINE }, { "fieldset", TK_LINE },
    { "legend", TK_LINE }, { "details", TK_LINE }, { "summary", TK_LINE },
    { "tbody", TK_LINE }, { "thead", TK_LINE }, { "tfoot", TK_LINE },
    { "script", TK_SKIP_RAW }, { "style", TK_SKIP_RAW },
    { "noscript", TK_SKIP_RAW }, { "iframe", TK_SKIP_RAW },
    { "xmp", TK_SKIP_RAW }, { "noembed", TK_SKIP_RAW },
    { "noframes", TK_SKIP_RAW }, { "textarea", TK_SKIP_RAW },
    { "select", TK_SKIP }, { "template", TK_SKIP }, { "svg", TK_SKIP },
    { "math", TK_SKIP }, { "object", TK_SKIP },
    { "title", TK_TITLE }, { "head", TK_HEAD }, { "body", TK_BODY },
    { "meta", TK_HEADISH }, { "link", TK_HEADISH }, { "base", TK_HEADISH },
    { "html", TK_HEADISH },
};

#define NTAGS (sizeof tags / sizeof tags[0])

/* Scanner state of one html_to_text call. */
typedef struct scan {
    const char *s;                   /* the page */
    size_t      n;                   /* its length */
    size_t      no_gt;               /* no '>' at or after this offset (n+1: unknown) */
    size_t      no_quote[2];         /* no '"' / '\'' after this offset (n+1: unknown) */
    size_t      no_close[NTAGS];     /* no end tag for tags[i] after this offset (n+1: unknown) */
    size_t      no_quoted_end;       /* a quote-aware tag scan failed from here: later ones ignore quotes */
    size_t      no_comment_end;      /* no "-->" after this offset (n+1: unknown) */
    size_t      no_cdata_end;        /* no "]]>" after this offset (n+1: unknown) */
    int         in_head;             /* inside <head>: text is not page text */
    int         have_title;          /* the first <title> has been seen */
} scan;

/* Locale-independent ASCII classes: markup is ASCII whatever the text. */
static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
    return is_alpha(c) || is_digit(c);
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* bsearch comparison of a name with an entities[] entry. */
static int entity_cmp(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const entity *)elem)->name);
}

/* Decode the character reference that starts at s[0] == '&' in s[0..n).
 * On success store the code point in *cp and return the number of bytes
 * it used; return 0 when s does not start a reference (the '&' is literal). */
static size_t html_entity(const char *s, size_t n, unsigned *cp)
{
    if (n < 2 || s[0] != '&')
        return 0;
    if (s[1] == '#') {
        size_t i = 2;
        int hex = 0;
        if (i < n && (s[i] == 'x' || s[i] == 'X')) {
            hex = 1;
            i++;
        }
        size_t start = i;
        uint32_t v = 0;
        for (; i < n; i++) {
            int c = (unsigned char)s[i], d;
            if (is_digit(c)) d = c - '0';
            else if (hex && lower(c) >= 'a' && lower(c) <= 'f') d = lower(c) - 'a' + 10;
            else break;
            /* Saturate: any value past U+10FFFF is invalid anyway. */
            if (v <= 0x10FFFF)
                v = v * (hex ? 16u : 10u) + (uint32_t)d;
        }
        if (i == start)
            return 0;
        if (i < n && s[i] == ';')
            i++;
        if (v >= 0x80 && v <= 0x9F)
            v = cp1252_c1[v - 0x80];
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            v = 0xFFFD;
        *cp = v;
        return i;
    }
    char name[12];
    size_t i = 1;
    while (i < n && is_alnum((unsigned char)s[i]) && i - 1 < sizeof name - 1) {
        name[i - 1] = s[i];
        i++;
    }
    if (i == 1)
        return 0;
    name[i - 1] = '\0';
    if (i < n && s[i] == ';') {
        const entity *e = bsearch(name, entities, sizeof entities / sizeof entities[0],
                                  sizeof entities[0], entity_cmp);
        if (!e)
            return 0;
        *cp = e->cp;
        return i + 1;
    }
    /* Without ';' only the legacy names, and only as a whole prefix:
     * "&nbsp" and "&copy2024" yes (as browsers do), "&amplifier" no. */
    for (size_t k = 0; k < sizeof legacy_entities / sizeof legacy_entities[0]; k++) {
        size_t len = strlen(legacy_entities[k]);
        if (i - 1 >= len && memcmp(name, legacy_entities[k], len) == 0
            && (i - 1 == len || !is_alpha((unsigned char)name[len]))) {
            const entity *e = bsearch(legacy_entities[k], entities,
                                      sizeof entities / sizeof entities[0],
                                      sizeof entities[0], entity_cmp);
            if (!e)
                return 0;
            *cp = e->cp;
            return 1 + len;
        }
    }
    return 0;
}

/* Write the pending break or space before a visible character. */
static void flush_pending(hout *o, uint32_t next)
{
    if (o->brk) {
        if (o->b->len > 0) {
            /* Trailing spaces before a line break carry nothing. */
            while (o->nl == 0 && o->b->len > 0 && o->b->data[o->b->len - 1] == ' ')
                o->b->data[--o->b->len] = '\0';
            while (o->nl < (size_t)o->brk) {
                if (buf_putc(o->b, '\n') != 0) { o->oom = 1; return; }
                o->nl++;
            }
        }
        o->brk = 0;
        o->space = 0;
        o->last = 0;
        return;
    }
    if (o->space) {
        int skip = o->last == 0
                || (o->space == 1 && utf8_is_wide(o->last) && utf8_is_wide(next));
        if (!skip && buf_putc(o->b, ' ') != 0) { o->oom = 1; return; }
        o->space = 0;
    }
}

/* Write one visible character (its UTF-8 bytes p[0..len)). */
static void put_char(hout *o, const char *p, size_t len, uint32_t cp)
{
    flush_pending(o, cp);
    if (o->oom)
        return;
    if (buf_append(o->b, p, len) != 0) { o->oom = 1; return; }
    o->nl = 0;
    o->last = cp;
}

/* Note white space in the text (cp is the white-space character). */
static void put_space(hout *o, uint32_t cp)
{
    if (o->pre) {
        if (cp == '\n') {
            flush_pending(o, '\n');
            if (o->oom || buf_putc(o->b, '\n') != 0) { o->oom = 1; return; }
            o->nl++;
            o->last = 0;
        } else if (cp != '\r') {
            put_char(o, " ", 1, ' ');
        }
        return;
    }
    int kind = (cp == '\n' || cp == '\r') ? 1 : 2;
    if (o->space < kind)
        o->space = kind;
}

/* Request a break of `level` (1 newline, 2 blank line) before more text. */
static void put_break(hout *o, int level)
{
    if (o->brk < level)
        o->brk = level;
}

/* White space of HTML text, plus U+00A0 (&nbsp; is how pages indent). */
static int is_ws_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f'
        || cp == 0xA0;
}

/* Append the text s[0..n) (entities decoded) to *o. */
static void put_text(hout *o, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !o->oom) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        size_t len;
        if (c == '&' && (len = html_entity(s + i, n - i, &cp)) > 0) {
            i += len;
            if (cp == 0xAD)
                continue;            /* soft hyphen: invisible */
            if (is_ws_cp(cp)) {
                /* &nbsp; is a real space, not a segment break. */
                put_space(o, cp == '\n' ? '\n' : ' ');
                continue;
            }
            /* Encoded here because put_char wants the bytes. */
            char u[4];
            size_t k;
            if (cp < 0x80) { u[0] = (char)cp; k = 1; }
            else if (cp < 0x800) {
                u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); k = 2;
            } else if (cp < 0x10000) {
                u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                u[2] = (char)(0x80 | (cp & 0x3F)); k = 3;
            } else {
                u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
                u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); k = 4;
            }
            put_char(o, u, k, cp);
            continue;
        }
        if (c < 0x80) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                put_space(o, c);
                i++;
                continue;
            }
            /* Fast path: a run of visible ASCII. */
            size_t j = i + 1;
            while (j < n && (unsigned char)s[j] > ' ' && (unsigned char)s[j] < 0x80
                   && s[j] != '&')
                j++;
            flush_pending(o, c);
            if (o->oom || buf_append(o->b, s + i, j - i) != 0) { o->oom = 1; return; }
            o->nl = 0;
            o->last = (unsigned char)s[j - 1];
            i = j;
            continue;
        }
        len = utf8_step((const unsigned char *)s + i, n - i, &cp);
        if (cp == 0xA0) {
            put_space(o, ' ');
        } else if (cp == 0xFFFD && len == 1) {
            put_char(o, "\xEF\xBF\xBD", 3, cp);
        } else {
            put_char(o, s + i, len, cp);
        }
        i += len;
    }
}

/* Offset of the first '>' at or after i, or n.  Remembers a failure. */
static size_t find_gt(scan *sc, size_t i)
{
    if (i >= sc->no_gt)
        return sc->n;
    const char *p = memchr(sc->s + i, '>', sc->n - i);
    if (!p) {
        sc->no_gt = i;
        return sc->n;
    }
    return (size_t)(p - sc->s);
}

/* Offset of the '>' that ends the tag whose name ends at i, honouring
 * quoted attribute values; n when there is none.  A quote that never
 * closes is taken literally.  Once a quote-aware scan has run off the end
 * (quotes pairing up across tags), later tags ignore quotes: a second
 * such scan could cost as much again, and then again. */
static size_t tag_end(scan *sc, size_t i)
{
    const char *s = sc->s;
    size_t n = sc->n, start = i;
    if (i >= sc->no_quoted_end)
        return find_gt(sc, i);
    while (i < n) {
        if (i >= sc->no_gt)
            return n;
        /* Jump to the next interesting byte. */
        size_t j = i;
        while (j < n && s[j] != '>' && s[j] != '=')
            j++;
        if (j >= n)
            break;
        if (s[j] == '>')
            return j;
        j++;                         /* past '=' */
        while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
            j++;
        if (j < n && (s[j] == '"' || s[j] == '\'')) {
            int q = s[j] == '"' ? 0 : 1;
            if (j < sc->no_quote[q]) {
                const char *close = memchr(s + j + 1, s[j], n - j - 1);
                if (close) {
                    i = (size_t)(close - s) + 1;
                    continue;
                }
                sc->no_quote[q] = j;
            }
            j++;                     /* a literal quote */
        }
        i = j;
    }
    sc->no_quoted_end = start;
    return find_gt(sc, start);
}

/* Offset of the '<' of the first "</name" (case ignored) at or after i,
 * or n when there is none.  Remembers a failure per tag. */
static size_t find_end_tag(scan *sc, size_t i, size_t ti)
{
    const char *s = sc->s;
    size_t n = sc->n, len = strlen(tags[ti].name);
    if (i >= sc->no_close[ti])
        return n;
    size_t from = i;
    while (i < n) {
        const char *p = memchr(s + i, '<', n - i);
        if (!p)
            break;
        size_t k = (size_t)(p - s);
        if (k + 2 + len <= n && s[k + 1] == '/') {
            size_t m = 0;
            while (m < len && lower((unsigned char)s[k + 2 + m]) == tags[ti].name[m])
                m++;
            if (m == len && (k + 2 + len == n || !is_alnum((unsigned char)s[k + 2 + len])))
                return k;
        }
        i = k + 1;
    }
    sc->no_close[ti] = from;
    return n;
}

/* Offset just past the first occurrence of pat at or after i, or 0. */
static size_t find_after(const char *s, size_t n, size_t i, const char *pat)
{
    size_t m = strlen(pat);
    if (i >= n || n - i < m)
        return 0;
    const char *p = memmem(s + i, n - i, pat, m);
    return p ? (size_t)(p - s) + m : 0;
}

/* Trim and collapse the title text into a malloc'd string (NULL if blank). */
static int make_title(const char *s, size_t n, char **title)
{
    buf b = BUF_INIT;
    hout o = { &b, 0, 0, 0, 0, 0, 0 };
    put_text(&o, s, n);
    if (o.oom) {
        buf_free(&b);
        return -1;
    }
    if (b.len == 0) {
        buf_free(&b);
        *title = NULL;
        return 0;
    }
    *title = buf_detach(&b);
    return *title ? 0 : -1;
}

/* Look up a lower-case tag name; returns its index in tags[] or -1. */
static int tag_lookup(const char *name)
{
    for (size_t i = 0; i < NTAGS; i++)
        if (strcmp(tags[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Text s[i..t) before the next '<': page text, unless it is white space
 * inside <head> (visible text ends an unclosed head, as in browsers). */
static void take_text(scan *sc, hout *o, size_t i, size_t t)
{
    const char *s = sc->s;
    if (!sc->in_head) {
        put_text(o, s + i, t - i);
        return;
    }
    size_t k = i;
    while (k < t && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r'))
        k++;
    if (k < t) {
        sc->in_head = 0;
        put_text(o, s + k, t - k);
    }
}

/* Skip the comment, CDATA section (whose text is page text), declaration
 * or processing instruction starting at s[i] == '<' (s[i+1] is '!' or '?').
 * Returns where scanning goes on; a '<' that starts nothing is text. */
static size_t skip_declaration(scan *sc, hout *o, size_t i)
{
    const char *s = sc->s;
    size_t n = sc->n;
    if (s[i + 1] == '!') {
        if (i + 4 <= n && memcmp(s + i, "<!--", 4) == 0) {
            size_t e = i + 2 < sc->no_comment_end ? find_after(s, n, i + 2, "-->") : 0;
            if (e)
                return e;
            if (i + 2 < sc->no_comment_end)
                sc->no_comment_end = i + 2;
        } else if (i + 9 <= n && memcmp(s + i, "<![CDATA[", 9) == 0) {
            size_t e = i + 9 < sc->no_cdata_end ? find_after(s, n, i + 9, "]]>") : 0;
            if (!e && i + 9 < sc->no_cdata_end)
                sc->no_cdata_end = i + 9;
            if (e) {
                if (!sc->in_head)
                    put_text(o, s + i + 9, e - 3 - (i + 9));
                return e;
            }
        }
    }
    /* Bogus comment, declaration or processing instruction: up to the next '>'. */
    size_t g = find_gt(sc, i + 1);
    if (g >= n) {
        put_text(o, "<", 1);
        return i + 1;
    }
    return g + 1;
}

/* Skip the element whose start tag ended just before s[i] (tags[ti], of a
 * kind whose content is not page text), taking the first <title>'s text.
 * Returns where scanning goes on. */
static size_t skip_element(scan *sc, hout *o, size_t i, int ti, char **title)
{
    size_t n = sc->n;
    enum tag_kind kind = tags[ti].kind;
    size_t e = find_end_tag(sc, i, (size_t)ti);
    if (e >= n && kind != TK_SKIP_RAW)
        return i;                    /* unclosed: drop only the tag */
    if (kind == TK_TITLE && !sc->have_title) {
        sc->have_title = 1;
        if (title && make_title(sc->s + i, e - i, title) != 0) {
            o->oom = 1;
            return i;
        }
    }
    if (e >= n)
        return n;
    size_t ge = find_gt(sc, e + 2);
    if (kind == TK_SKIP && o->space < 2)
        o->space = 2;                /* <select> between words still separates them */
    return ge < n ? ge + 1 : n;
}

/* Do what a tag of tags[ti] (an unknown one when ti < 0) does to the text:
 * breaks, spaces, <pre>, <head>, skipped content.  i is just after its '>';
 * returns where scanning goes on. */
static size_t apply_tag(scan *sc, hout *o, size_t i, int ti, int closing, int self_closing,
                        char **title)
{
    enum tag_kind kind = ti < 0 ? TK_INLINE : tags[ti].kind;
    if (sc->in_head && kind != TK_HEADISH && kind != TK_TITLE
        && kind != TK_SKIP_RAW && !(kind == TK_HEAD && !closing))
        sc->in_head = 0;             /* </head>, <body> or body content */
    switch (kind) {
    case TK_INLINE:
    case TK_HEADISH:
    case TK_BODY:
        break;
    case TK_HEAD:
        if (!closing)
            sc->in_head = 1;
        break;
    case TK_BLOCK:
        put_break(o, 2);
        break;
    case TK_LINE:
        put_break(o, 1);
        break;
    case TK_BR:
        if (o->brk < 2)
            o->brk++;
        o->space = 0;
        break;
    case TK_CELL:
        if (closing)
            put_space(o, ' ');
        break;
    case TK_PRE:
        put_break(o, 2);
        if (closing) {
            if (o->pre > 0)
                o->pre--;
        } else {
            o->pre++;
        }
        break;
    case TK_SKIP_RAW:
    case TK_SKIP:
    case TK_TITLE:
        if (!closing && !self_closing)
            return skip_element(sc, o, i, ti, title);
        break;
    }
    return i;
}

/* Read the tag starting at s[i] == '<' (s[i+1] is neither '!' nor '?') and
 * act on it; what only looks like a tag is text.  Returns where scanning
 * goes on. */
static size_t take_tag(scan *sc, hout *o, size_t i, char **title)
{
    const char *s = sc->s;
    size_t n = sc->n;
    int closing = i + 1 < n && s[i + 1] == '/';
    size_t name_at = i + 1 + (size_t)closing;
    if (name_at >= n || !is_alpha((unsigned char)s[name_at])) {
        if (closing) {
            /* "</>" or "</ junk>": ignored, as browsers do. */
            size_t g = find_gt(sc, i + 1);
            if (g < n)
                return g + 1;
        }
        if (!sc->in_head)
            put_text(o, "<", 1);
        return i + 1;
    }
    char name[16];
    size_t k = name_at, m = 0;
    while (k < n && (is_alnum((unsigned char)s[k]) || s[k] == '-' || s[k] == ':')) {
        if (m < sizeof name - 1)
            name[m] = (char)lower((unsigned char)s[k]);
        m++;
        k++;
    }
    if (m >= sizeof name)
        m = 0;                       /* too long for any tag we know: inline */
    name[m] = '\0';
    size_t g = tag_end(sc, k);
    if (g >= n) {
        /* No '>' ever: not a tag after all. */
        if (!sc->in_head)
            put_text(o, s + i, k - i);
        return k;
    }
    int self_closing = g > k && s[g - 1] == '/';
    return apply_tag(sc, o, g + 1, tag_lookup(name), closing, self_closing, title);
}

int html_to_text(const char *s, size_t n, buf *out, char **title)
{
    scan sc;
    hout o = { out, 0, 0, 0, 0, 0, 0 };
    sc.s = s;
    sc.n = n;
    sc.no_gt = n + 1;
    sc.no_quote[0] = sc.no_quote[1] = n + 1;
    sc.no_quoted_end = sc.no_comment_end = sc.no_cdata_end = n + 1;
    for (size_t k = 0; k < NTAGS; k++)
        sc.no_close[k] = n + 1;
    sc.in_head = 0;
    sc.have_title = 0;
    if (title)
        *title = NULL;
    /* Text written before this call is not ours to collapse against. */
    o.nl = out->len > 0 && out->data[out->len - 1] == '\n' ? 1 : 0;

    size_t i = 0;
    while (i < n && !o.oom) {
        const char *lt = memchr(s + i, '<', n - i);
        size_t t = lt ? (size_t)(lt - s) : n;
        if (t > i) {
            take_text(&sc, &o, i, t);
            i = t;
        } else if (i + 1 < n && (s[i + 1] == '!' || s[i + 1] == '?')) {
            i = skip_declaration(&sc, &o, i);
        } else {
            i = take_tag(&sc, &o, i, title);
        }
    }
    if (o.oom) {
        if (title) {
            free(*title);
            *title = NULL;
        }
        return -1;
    }
    return 0;
}

int html_sniff(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f'))
        i++;
    static const char *const starts[] = { "<!doctype html", "<html" };
    for (size_t k = 0; k < 2; k++) {
        size_t len = strlen(starts[k]), m = 0;
        if (n - i < len)
            continue;
        while (m < len && lower((unsigned char)s[i + m]) == starts[k][m])
            m++;
        if (m == len && (i + len == n || !is_alnum((unsigned char)s[i + len])))
            return 1;
    }
    return 0;
}
