/* tokenize.c — index terms of a normalised text; see tokenize.h. */
#include "tokenize.h"

#include "utf8.h"

#include "common-chars.inc"

int tok_is_common(uint32_t cp)
{
    if (cp < COMMON_CHARS_FIRST || cp > COMMON_CHARS_LAST)
        return 0;
    uint32_t k = cp - COMMON_CHARS_FIRST;
    return (common_chars_bits[k >> 3] >> (k & 7)) & 1;
}

/* Encode a valid code point as UTF-8 at d; return the bytes written. */
static size_t put_utf8(char *d, uint32_t cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12));
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18));
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Emit the unigram at i when it ends a run, else the common-character
 * unigram (if it is one) and the bigram starting at i. */
static int emit_cjk(const norm_text *nt, size_t i, size_t to, tok_emit_fn emit, void *ctx)
{
    char term[8];
    size_t len = put_utf8(term, nt->cp[i]);
    if (i + 1 >= to || uclass_of(nt->cp[i + 1]) != UC_CJK)
        return emit(ctx, term, len, TOK_UNIGRAM, i);
    if (tok_is_common(nt->cp[i])) {
        int rc = emit(ctx, term, len, TOK_COMMON, i);
        if (rc != 0)
            return rc;
    }
    len += put_utf8(term + len, nt->cp[i + 1]);
    return emit(ctx, term, len, TOK_BIGRAM, i);
}

/* Emit the word that starts at i (unless it is too long for a term) and
 * store in *end the index just past it. */
static int emit_word(const norm_text *nt, size_t i, size_t to, tok_emit_fn emit, void *ctx,
                     size_t *end)
{
    char term[TOK_MAX_TERM + 4];
    size_t len = 0, j = i;
    for (; j < to && uclass_of(nt->cp[j]) == UC_WORD; j++) {
        if (len <= TOK_MAX_TERM)
            len += put_utf8(term + len, nt->cp[j]);
    }
    *end = j;
    return len <= TOK_MAX_TERM ? emit(ctx, term, len, TOK_WORD, i) : 0;
}

int tok_terms(const norm_text *nt, size_t from, size_t to, tok_emit_fn emit, void *ctx)
{
    if (to > nt->len)
        to = nt->len;
    size_t i = from;
    while (i < to) {
        int rc = 0;
        enum uclass cls = uclass_of(nt->cp[i]);
        if (cls == UC_CJK) {
            rc = emit_cjk(nt, i, to, emit, ctx);
            i++;
        } else if (cls == UC_WORD) {
            rc = emit_word(nt, i, to, emit, ctx, &i);
        } else {
            i++;
        }
        if (rc != 0)
            return rc;
    }
    return 0;
}
