/* normalize.c — the normalised view shared by indexing and matching; see
 * normalize.h. */
#include "normalize.h"

#include <stdlib.h>

#include "buf.h"
#include "utf8.h"

/* The folding table (tools/gen-t2s.py): static and read-only. */
#include "t2s-chars.inc"

/* Small letter of a Latin capital outside ASCII, or cp itself.  Covers
 * Latin-1, Extended-A, the regular pairs of Extended-B and Latin Extended
 * Additional: enough for names and terms quoted in policy texts. */
static uint32_t fold_latin(uint32_t cp)
{
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 0x20;
    if (cp == 0x130)
        return 'i';
    if (cp == 0x178)
        return 0xFF;
    /* Extended-A pairs capital/small on even/odd, but shifted by one in
     * 0139..0148 and 0179..017E. */
    if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
        return cp | 1;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return (cp & 1) ? cp + 1 : cp;
    if (cp == 0x1C4 || cp == 0x1C5 || cp == 0x1C7 || cp == 0x1C8
        || cp == 0x1CA || cp == 0x1CB || cp == 0x1F1 || cp == 0x1F2)
        return cp == 0x1C4 || cp == 0x1C7 || cp == 0x1CA || cp == 0x1F1 ? cp + 2 : cp + 1;
    if (cp >= 0x1CD && cp <= 0x1DC)
        return (cp & 1) ? cp + 1 : cp;
    if ((cp >= 0x1DE && cp <= 0x1EF) || cp == 0x1F4 || (cp >= 0x1F8 && cp <= 0x21F)
        || (cp >= 0x222 && cp <= 0x233) || (cp >= 0x246 && cp <= 0x24F))
        return cp | 1;
    if (cp == 0x1E9E)
        return 0xDF;
    if ((cp >= 0x1E00 && cp <= 0x1E95) || (cp >= 0x1EA0 && cp <= 0x1EFF))
        return cp | 1;
    return cp;
}

/* Small letter of a Greek or Cyrillic capital, or cp itself. */
static uint32_t fold_greek_cyrillic(uint32_t cp)
{
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
        return cp + 0x20;
    if (cp == 0x386)
        return 0x3AC;
    if (cp >= 0x388 && cp <= 0x38A)
        return cp + 0x25;
    if (cp == 0x38C)
        return 0x3CC;
    if (cp == 0x38E || cp == 0x38F)
        return cp + 0x3F;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    if ((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF)
        || (cp >= 0x4D0 && cp <= 0x52F))
        return cp | 1;
    if (cp == 0x4C0)
        return 0x4CF;
    if (cp >= 0x4C1 && cp <= 0x4CE)
        return (cp & 1) ? cp + 1 : cp;
    return cp;
}

/* Capitals of Latin Extended-B and Greek whose small letters follow no
 * pattern (each a range of one capital, its small letter the value);
 * sorted by capital for binary search. */
static const utf8_range irregular_case[] = {
    { 0x0181, 0x0181, 0x0253 }, { 0x0182, 0x0182, 0x0183 }, { 0x0184, 0x0184, 0x0185 }, { 0x0186, 0x0186, 0x0254 }, { 0x0187, 0x0187, 0x0188 },
    { 0x0189, 0x0189, 0x0256 }, { 0x018A, 0x018A, 0x0257 }, { 0x018B, 0x018B, 0x018C }, { 0x018E, 0x018E, 0x01DD }, { 0x018F, 0x018F, 0x0259 },
    { 0x0190, 0x0190, 0x025B }, { 0x0191, 0x0191, 0x0192 }, { 0x0193, 0x0193, 0x0260 }, { 0x0194, 0x0194, 0x0263 }, { 0x0196, 0x0196, 0x0269 },
    { 0x0197, 0x0197, 0x0268 }, { 0x0198, 0x0198, 0x0199 }, { 0x019C, 0x019C, 0x026F }, { 0x019D, 0x019D, 0x0272 }, { 0x019F, 0x019F, 0x0275 },
    { 0x01A0, 0x01A0, 0x01A1 }, { 0x01A2, 0x01A2, 0x01A3 }, { 0x01A4, 0x01A4, 0x01A5 }, { 0x01A6, 0x01A6, 0x0280 }, { 0x01A7, 0x01A7, 0x01A8 },
    { 0x01A9, 0x01A9, 0x0283 }, { 0x01AC, 0x01AC, 0x01AD }, { 0x01AE, 0x01AE, 0x0288 }, { 0x01AF, 0x01AF, 0x01B0 }, { 0x01B1, 0x01B1, 0x028A },
    { 0x01B2, 0x01B2, 0x028B }, { 0x01B3, 0x01B3, 0x01B4 }, { 0x01B5, 0x01B5, 0x01B6 }, { 0x01B7, 0x01B7, 0x0292 }, { 0x01B8, 0x01B8, 0x01B9 },
    { 0x01BC, 0x01BC, 0x01BD }, { 0x01F6, 0x01F6, 0x0195 }, { 0x01F7, 0x01F7, 0x01BF }, { 0x0220, 0x0220, 0x019E }, { 0x023A, 0x023A, 0x2C65 },
    { 0x023B, 0x023B, 0x023C }, { 0x023D, 0x023D, 0x019A }, { 0x023E, 0x023E, 0x2C66 }, { 0x0241, 0x0241, 0x0242 }, { 0x0243, 0x0243, 0x0180 },
    { 0x0244, 0x0244, 0x0289 }, { 0x0245, 0x0245, 0x028C }, { 0x0370, 0x0370, 0x0371 }, { 0x0372, 0x0372, 0x0373 }, { 0x0376, 0x0376, 0x0377 },
    { 0x037F, 0x037F, 0x03F3 }, { 0x03CF, 0x03CF, 0x03D7 }, { 0x03D8, 0x03D8, 0x03D9 }, { 0x03DA, 0x03DA, 0x03DB }, { 0x03DC, 0x03DC, 0x03DD },
    { 0x03DE, 0x03DE, 0x03DF }, { 0x03E0, 0x03E0, 0x03E1 }, { 0x03E2, 0x03E2, 0x03E3 }, { 0x03E4, 0x03E4, 0x03E5 }, { 0x03E6, 0x03E6, 0x03E7 },
    { 0x03E8, 0x03E8, 0x03E9 }, { 0x03EA, 0x03EA, 0x03EB }, { 0x03EC, 0x03EC, 0x03ED }, { 0x03EE, 0x03EE, 0x03EF }, { 0x03F4, 0x03F4, 0x03B8 },
    { 0x03F7, 0x03F7, 0x03F8 }, { 0x03F9, 0x03F9, 0x03F2 }, { 0x03FA, 0x03FA, 0x03FB }, { 0x03FD, 0x03FD, 0x037B }, { 0x03FE, 0x03FE, 0x037C },
    { 0x03FF, 0x03FF, 0x037D }
};

/* Small letter of a capital listed in irregular_case, or cp itself. */
static uint32_t fold_irregular(uint32_t cp)
{
    return utf8_range_lookup(irregular_case, sizeof irregular_case / sizeof irregular_case[0], cp, cp);
}

uint32_t norm_fold_script(uint32_t cp)
{
    if (cp >= T2S_LIMIT)
        return cp;
    uint16_t k = t2s_slot[((uint32_t)t2s_page[cp >> T2S_PAGE_BITS] << T2S_PAGE_BITS) | (cp & (T2S_PAGE - 1))];
    return k ? t2s_target[k] : cp;
}

uint32_t norm_char_literal(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? cp + 0x20 : cp;
    if (cp >= 0x4E00 && cp <= 0x9FFF)
        return cp;
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
        cp -= 0xFEE0;
        return cp >= 'A' && cp <= 'Z' ? cp + 0x20 : cp;
    }
    switch (cp) {
    case 0x3000:
        return ' ';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x301D: case 0x301E:
        return '"';
    case 0x2018: case 0x2019:
        return '\'';
    default:
        break;
    }
    if (cp < 0x530 || (cp >= 0x1E00 && cp <= 0x1EFF)) {
        uint32_t small = cp < 0x370 || cp >= 0x1E00 ? fold_latin(cp) : fold_greek_cyrillic(cp);
        return small != cp ? small : fold_irregular(cp);
    }
    return cp;
}

uint32_t norm_char(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? cp + 0x20 : cp;
    if (cp >= 0x3400)
        return norm_fold_script(norm_char_literal(cp));
    return norm_char_literal(cp);
}

/* Characters that carry nothing visible and would split words and phrases
 * if they were kept. */
static int is_zero_width(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0xAD;
}

/* Line breaks decide whether a white-space run can be a hard wrap. */
static int is_line_break(uint32_t cp)
{
    return (cp >= '\n' && cp <= '\r') || cp == 0x2028 || cp == 0x2029;
}

/* 1 for a source character that belongs to running Chinese text: a CJK
 * character or CJK / full-width punctuation.  A hard line break between two
 * of these is an artefact of wrapping, so "发展，\n推进" joins as well as
 * "发\n展" does; a wrap next to Latin text keeps its space. */
static int is_wide(uint32_t src_cp, uint32_t norm_cp)
{
    if (uclass_of(norm_cp) == UC_CJK)
        return 1;
    return (src_cp >= 0x2014 && src_cp <= 0x201F) || src_cp == 0x2026
        || (src_cp >= 0x3001 && src_cp <= 0x303F)
        || (src_cp >= 0xFE10 && src_cp <= 0xFE1F) || (src_cp >= 0xFE30 && src_cp <= 0xFE4F)
        || (src_cp >= 0xFF01 && src_cp <= 0xFF65) || (src_cp >= 0xFFE0 && src_cp <= 0xFFEE);
}

/* Double the arrays (both or, on failure, neither cap changes). */
static int nt_grow(norm_text *nt)
{
    size_t cap = nt->cap;            /* orig keeps cp's capacity: grown second, from the same cap */
    if (ARRAY_GROW(nt->orig, cap, nt->cap + 1) != 0 || ARRAY_GROW(nt->cp, nt->cap, cap) != 0)
        return -1;
    return 0;
}

/* Append one normalised code point that came from source index `src`. */
static inline int nt_push(norm_text *nt, uint32_t cp, size_t src)
{
    if (nt->len == nt->cap && nt_grow(nt) != 0)
        return -1;
    nt->cp[nt->len] = cp;
    nt->orig[nt->len] = (uint32_t)src;
    nt->len++;
    return 0;
}

typedef struct ws_run {
    int    pending;                  /* 1: white space seen since the last character kept */
    int    has_break;                /* 1: the run contains a line break */
    size_t src;                      /* source index of the run's first character */
} ws_run;

/* Settle a pending white-space run now that a character follows it whose
 * wideness is next_wide; prev_wide says the same of the one before it. */
static int ws_flush(norm_text *nt, ws_run *ws, int prev_wide, int next_wide)
{
    int vanish = ws->has_break && nt->len > 0 && prev_wide && next_wide;
    ws->pending = 0;
    return vanish ? 0 : nt_push(nt, ' ', ws->src);
}

/* Decode the code point at p[*i], advance *i past it, and store its
 * normalised form in *ncp.  Returns 0 for a zero-width character (dropped),
 * 1 otherwise.  ASCII is decoded inline: it is most bytes of most files, and
 * its rules need neither the decoder nor the range tables. */
static inline int next_char(const unsigned char *p, size_t n, size_t *i,
                            uint32_t *cp, uint32_t *ncp, int fold)
{
    uint32_t c = p[*i];
    if (c < 0x80) {
        (*i)++;
        *cp = c;
        *ncp = c >= 'A' && c <= 'Z' ? c + 0x20 : c;
        return 1;
    }
    int k = utf8_decode(p + *i, n - *i, cp);
    *i += k > 0 ? (size_t)k : 1;
    if (is_zero_width(*cp))
        return 0;
    *ncp = fold ? norm_char(*cp) : norm_char_literal(*cp);
    return 1;
}

int norm_text_build(norm_text *nt, const char *s, size_t n)
{
    return norm_text_build_opt(nt, s, n, NORM_FOLD_SCRIPT);
}

int norm_text_build_opt(norm_text *nt, const char *s, size_t n, unsigned flags)
{
    int fold = (flags & NORM_FOLD_SCRIPT) != 0;
    const unsigned char *p = (const unsigned char *)s;
    ws_run ws = { 0, 0, 0 };
    int prev_wide = 0;
    size_t i = 0, src = 0;

    nt->len = 0;
    while (i < n) {
        uint32_t cp, ncp;
        size_t at = src++;
        if (!next_char(p, n, &i, &cp, &ncp, fold))
            continue;
        if (uclass_of(ncp) == UC_SPACE) {
            if (!ws.pending) {
                ws.pending = 1;
                ws.has_break = 0;
                ws.src = at;
            }
            ws.has_break |= is_line_break(cp);
            continue;
        }
        int wide = cp >= 0x80 && is_wide(cp, ncp);
        if (ws.pending && ws_flush(nt, &ws, prev_wide, wide) != 0)
            return -1;
        if (nt_push(nt, ncp, at) != 0)
            return -1;
        prev_wide = wide;
    }
    if (ws.pending && nt_push(nt, ' ', ws.src) != 0)
        return -1;
    nt->src_len = src;
    return 0;
}

void norm_text_free(norm_text *nt)
{
    free(nt->cp);
    free(nt->orig);
    nt->cp = NULL;
    nt->orig = NULL;
    nt->len = nt->cap = nt->src_len = 0;
}
