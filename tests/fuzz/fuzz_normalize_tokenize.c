/* fuzz_normalize_tokenize.c — libFuzzer harness for normalize.c + tokenize.c.
 *
 * Input: arbitrary bytes, taken as a document text (invalid UTF-8 included:
 * norm_text_build must cope with it).  Checked:
 *   - src_len is the source's code point count (an invalid byte counts one);
 *   - orig[i] < src_len and strictly increasing (each source code point gives
 *     at most one normalised one, in order), len <= src_len;
 *   - cp[i] is what the header's rules make of source code point orig[i]
 *     (norm_char of it, or ' ' for a white-space run); no capitals ASCII,
 *     full-width ASCII or zero-width characters survive, no white space but
 *     single ' ';
 *   - normalisation is idempotent: norm(utf8(norm(x))) == norm(x);
 *   - tok_terms over the whole text and over a sub-range: every term is
 *     non-empty, <= TOK_MAX_TERM bytes, valid UTF-8, spells the normalised
 *     code points at pos, pos lies in the range and never goes backwards,
 *     kinds are right (unigram = the last CJK of a run, common = a common CJK
 *     character that does not end its run, bigram = 2 adjacent CJK, word =
 *     maximal run of UC_WORD), nothing starts with an ASCII capital, and the
 *     number of terms of each kind is exactly what the rules predict;
 *   - a non-zero return from emit stops tokenising and is passed back. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "normalize.h"
#include "tokenize.h"
#include "utf8.h"

typedef struct tok_check {
    const norm_text *nt;
    size_t from, to;                 /* the range asked for, to clamped to nt->len */
    size_t calls;                    /* emit calls so far */
    size_t stop_after;               /* return 7 on this call (0: never) */
    size_t last_pos;
    size_t n_uni, n_bi, n_word, n_common;
} tok_check;

static int check_term(void *ctx, const char *term, size_t len, enum tok_kind kind, size_t pos)
{
    tok_check *tc = ctx;
    const norm_text *nt = tc->nt;
    tc->calls++;
    FUZZ_CHECK(tc->stop_after == 0 || tc->calls <= tc->stop_after,
               "emit called again after returning non-zero (call %zu)", tc->calls);
    FUZZ_CHECK(len > 0, "empty term at pos %zu", pos);
    FUZZ_CHECK(len <= TOK_MAX_TERM, "term of %zu bytes > TOK_MAX_TERM", len);
    FUZZ_CHECK(pos < nt->len, "pos %zu >= nt.len %zu", pos, nt->len);
    FUZZ_CHECK(pos >= tc->from && pos < tc->to, "pos %zu outside [%zu,%zu)", pos, tc->from, tc->to);
    FUZZ_CHECK(tc->calls == 1 || pos >= tc->last_pos, "pos went back: %zu after %zu", pos, tc->last_pos);
    tc->last_pos = pos;
    FUZZ_CHECK(utf8_validate(term, len) == len, "term at pos %zu is not valid UTF-8", pos);
    FUZZ_CHECK(!(term[0] >= 'A' && term[0] <= 'Z'), "term starts with capital '%c'", term[0]);

    /* The term spells nt->cp[pos .. pos+k). */
    size_t k = 0;
    for (size_t i = 0; i < len; k++) {
        uint32_t cp;
        i += fuzz_step(term, len, i, &cp);
        FUZZ_CHECK(pos + k < tc->to, "term at %zu runs past the range end %zu", pos, tc->to);
        FUZZ_CHECK(cp == nt->cp[pos + k], "term char %zu is U+%04X, text has U+%04X",
                   k, (unsigned)cp, (unsigned)nt->cp[pos + k]);
    }
    switch (kind) {
    case TOK_UNIGRAM:
        FUZZ_CHECK(k == 1 && uclass_of(nt->cp[pos]) == UC_CJK, "bad unigram at %zu (k=%zu)", pos, k);
        FUZZ_CHECK(pos + 1 == tc->to || uclass_of(nt->cp[pos + 1]) != UC_CJK,
                   "unigram at %zu does not end its run", pos);
        tc->n_uni++;
        break;
    case TOK_COMMON:
        FUZZ_CHECK(k == 1 && uclass_of(nt->cp[pos]) == UC_CJK && tok_is_common(nt->cp[pos]),
                   "bad common unigram at %zu (k=%zu)", pos, k);
        FUZZ_CHECK(pos + 1 < tc->to && uclass_of(nt->cp[pos + 1]) == UC_CJK,
                   "common unigram at %zu ends its run (that is a TOK_UNIGRAM)", pos);
        tc->n_common++;
        break;
    case TOK_BIGRAM:
        FUZZ_CHECK(k == 2 && uclass_of(nt->cp[pos]) == UC_CJK && uclass_of(nt->cp[pos + 1]) == UC_CJK,
                   "bad bigram at %zu (k=%zu)", pos, k);
        tc->n_bi++;
        break;
    case TOK_WORD:
        for (size_t j = 0; j < k; j++)
            FUZZ_CHECK(uclass_of(nt->cp[pos + j]) == UC_WORD, "word at %zu has non-word char %zu", pos, j);
        FUZZ_CHECK(pos == tc->from || uclass_of(nt->cp[pos - 1]) != UC_WORD, "word at %zu not maximal (left)", pos);
        FUZZ_CHECK(pos + k == tc->to || uclass_of(nt->cp[pos + k]) != UC_WORD, "word at %zu not maximal (right)", pos);
        tc->n_word++;
        break;
    default:
        FUZZ_CHECK(0, "unknown term kind %d", (int)kind);
    }
    return tc->stop_after && tc->calls == tc->stop_after ? 7 : 0;
}

/* Run tok_terms over [from, to) and compare the counts with the rules. */
static void check_tokens(const norm_text *nt, size_t from, size_t to, size_t stop_after)
{
    tok_check tc = { nt, from, to > nt->len ? nt->len : to, 0, stop_after, 0, 0, 0, 0, 0 };
    int rc = tok_terms(nt, from, to, check_term, &tc);
    if (stop_after && tc.calls == stop_after) {
        FUZZ_CHECK(rc == 7, "tok_terms returned %d, emit said 7", rc);
        return;
    }
    FUZZ_CHECK(rc == 0, "tok_terms returned %d with emit always 0", rc);

    size_t uni = 0, bi = 0, word = 0, common = 0;
    for (size_t i = from; i < tc.to;) {
        enum uclass c = uclass_of(nt->cp[i]);
        if (c == UC_CJK) {
            if (i + 1 < tc.to && uclass_of(nt->cp[i + 1]) == UC_CJK) {
                bi++;
                common += (size_t)tok_is_common(nt->cp[i]);
            } else
                uni++;              /* the last character of a run */
            i++;
        } else if (c == UC_WORD) {
            size_t bytes = 0;
            char tmp[4];
            for (; i < tc.to && uclass_of(nt->cp[i]) == UC_WORD; i++)
                bytes += fuzz_put_utf8(tmp, nt->cp[i]);
            if (bytes <= TOK_MAX_TERM)
                word++;
        } else {
            i++;
        }
    }
    FUZZ_CHECK(tc.n_uni == uni && tc.n_bi == bi && tc.n_word == word && tc.n_common == common,
               "[%zu,%zu): terms uni/bi/word/common %zu/%zu/%zu/%zu, expected %zu/%zu/%zu/%zu",
               from, tc.to, tc.n_uni, tc.n_bi, tc.n_word, tc.n_common, uni, bi, word, common);
}

static int is_zero_width(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0xAD;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    static norm_text nt = NORM_TEXT_INIT, again = NORM_TEXT_INIT;   /* reused, as the indexer does */

    if (norm_text_build(&nt, s, size) != 0)
        return 0;

    /* Source code points, invalid bytes as U+FFFD. */
    size_t nsrc = fuzz_cp_count(s, size);
    uint32_t *src = malloc((nsrc + 1) * sizeof *src);
    if (!src)
        return 0;
    for (size_t i = 0, k = 0; i < size; k++)
        i += fuzz_step(s, size, i, &src[k]);

    FUZZ_CHECK(nt.src_len == nsrc, "src_len %zu, source has %zu code points", nt.src_len, nsrc);
    FUZZ_CHECK(nt.len <= nt.src_len, "len %zu > src_len %zu", nt.len, nt.src_len);
    FUZZ_CHECK(nt.len <= nt.cap, "len %zu > cap %zu", nt.len, nt.cap);
    for (size_t i = 0; i < nt.len; i++) {
        uint32_t c = nt.cp[i], o = nt.orig[i];
        FUZZ_CHECK(o < nt.src_len, "orig[%zu] = %u >= src_len %zu", i, (unsigned)o, nt.src_len);
        FUZZ_CHECK(i == 0 || o > nt.orig[i - 1], "orig[%zu] = %u not after orig[%zu] = %u",
                   i, (unsigned)o, i - 1, (unsigned)nt.orig[i - 1]);
        FUZZ_CHECK(fuzz_cp_valid(c), "cp[%zu] = U+%X is not a code point", i, (unsigned)c);
        FUZZ_CHECK(!(c >= 'A' && c <= 'Z'), "capital '%c' survived at %zu", (char)c, i);
        FUZZ_CHECK(!(c >= 0xFF01 && c <= 0xFF5E), "full-width U+%04X survived at %zu", (unsigned)c, i);
        FUZZ_CHECK(!is_zero_width(c), "zero-width U+%04X survived at %zu", (unsigned)c, i);
        FUZZ_CHECK(c == ' ' || uclass_of(c) != UC_SPACE, "white space U+%04X kept at %zu", (unsigned)c, i);
        FUZZ_CHECK(!(c == ' ' && i > 0 && nt.cp[i - 1] == ' '), "two spaces at %zu", i);
        if (c == ' ')
            FUZZ_CHECK(src[o] == ' ' || uclass_of(norm_char(src[o])) == UC_SPACE,
                       "space at %zu comes from U+%04X", i, (unsigned)src[o]);
        else
            FUZZ_CHECK(c == norm_char(src[o]), "cp[%zu] = U+%04X but source U+%04X normalises to U+%04X",
                       i, (unsigned)c, (unsigned)src[o], (unsigned)norm_char(src[o]));
        FUZZ_CHECK(c == ' ' || norm_char(c) == c, "norm_char not idempotent: U+%04X -> U+%04X",
                   (unsigned)c, (unsigned)norm_char(c));
    }
    free(src);

    /* Idempotence of the whole view. */
    buf u = BUF_INIT;
    int oom = 0;
    for (size_t i = 0; i < nt.len && !oom; i++)
        oom = buf_put_utf8(&u, nt.cp[i]) != 0;
    if (!oom && norm_text_build(&again, u.data ? u.data : "", u.len) == 0) {
        FUZZ_CHECK(again.len == nt.len, "re-normalising changes the length: %zu -> %zu", nt.len, again.len);
        for (size_t i = 0; i < nt.len; i++) {
            FUZZ_CHECK(again.cp[i] == nt.cp[i], "re-normalising changes cp[%zu]: U+%04X -> U+%04X",
                       i, (unsigned)nt.cp[i], (unsigned)again.cp[i]);
            FUZZ_CHECK(again.orig[i] == i, "re-normalised orig[%zu] = %u", i, (unsigned)again.orig[i]);
        }
    }
    buf_free(&u);

    /* Terms: whole text, a sub-range chosen by the input, an early stop. */
    check_tokens(&nt, 0, nt.len, 0);
    if (size >= 2) {
        size_t a = data[0] % (nt.len + 1), b = a + data[size - 1] % (nt.len + 8);
        check_tokens(&nt, a, b, 0);
        check_tokens(&nt, 0, nt.len, 1 + data[1] % 16);
    }
    check_tokens(&nt, nt.len, nt.len + 3, 0);
    return 0;
}
