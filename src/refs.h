/* refs.h — what a paragraph cites: document titles and document numbers.
 *
 * Policy documents cite each other by title (《余姚市加大全社会研发投入提升专项
 * 行动(2023-2025)》) and by document number (发文字号, 国办发〔2017〕47号).
 * This module finds both in a paragraph, gives each its byte span (for
 * highlighting) and a normalised key, and turns keys into the Xapian boolean
 * terms the index writer, `refs` and `search --cites` share.  It also picks
 * the title a document is shown and identified by when metadata found none.
 *
 * The KEY of a reference, from which its terms are made (refs_normalize_title
 * and refs_normalize_docno give the same keys for user input):
 *   - every character through norm_char (full-width ASCII to ASCII, U+3000 to
 *     a space, Latin capitals to small letters, curly quotes to " and ');
 *   - dashes ‐ ‑ ‒ – — ― − ﹘ ﹣ (and full-width -) become '-';
 *   - white space (line breaks too), zero-width characters and controls vanish;
 *   - titles: quotes " ' 「 」 『 』 vanish, title brackets 《 》 〈 〉 < > vanish
 *     (the outer pair and any nested one), so 《科技型企业“梯次培育”行动方案》
 *     has the key 科技型企业梯次培育行动方案 and （市） the same key as (市);
 *   - numbers: ISSUER〔YEAR〕NUMBER号 whatever the year brackets were
 *     (〔〕 [] () 【】 〖〗 ﹝﹞ ［］ （）), without 第 and the number's leading
 *     zeros; 號 becomes 号; a 字 after the issuer is kept (临科函字〔2024〕4号).
 *
 * A CITED TITLE is the text inside 《…》 or 〈…〉 (or <<…>>, with no < or >
 * inside) that
 *   - closes within 160 characters, before any 。！？ and before a blank
 *     line (a single line break inside is a wrap and vanishes from the key);
 *   - has a key of 4 to 80 characters of which at least 2 are CJK;
 *   - LOOKS LIKE A POLICY DOCUMENT: its key contains 关于, or — after trailing
 *     bracketed groups such as (2023-2025年) or （试行） and a trailing 试行,
 *     草案, 征求意见稿, 送审稿, 修订稿, 修订 or 修正 are set aside — ends in
 *     one of 办法 方案 意见 通知 规定 条例 规划 计划 措施 政策 决定 决议 纲要
 *     细则 建议 提案 议案 行动 指引 指南 标准 规范 规程 导则 准则 规则 制度
 *     章程 目录 清单 名单 要点 纪要 报告 公报 公告 通告 批复 答复 回复 函
 *     协议 法 (法 but not 方法 说法 看法 想法 做法 用法 手法 写法 算法 书法
 *     语法 兵法 魔法 疗法 技法 画法 笔法 戏法).  So 《平凡的世界》 in a
 *     sentence about reading is not a citation, nor is 《建议》 (too short);
 *   - is not the document's own title (same key).
 * Titles nested in a title (《关于印发〈X办法〉的通知》) are cited too: both
 * the outer and the inner one are reported.
 *
 * A CITED NUMBER is ISSUER [字] YEAR-BRACKETS [第] NUMBER 号, white space
 * allowed between the parts, where YEAR is 19xx or 20xx in any of the year
 * brackets above (an opening and a closing one, not necessarily a pair),
 * NUMBER is 1 to 6 ASCII or full-width digits, and ISSUER is the run of CJK
 * characters just before the bracket, cut after the last of 的 和 及 与 在 对
 * 由 将 以 为 于 是 了 见 等 即 并 把 从 向 被 号 and stripped of leading
 * 根据 按照 依据 依照 参照 对照 遵照 贯彻 落实 执行 结合 关于 印发 转发 通过
 * 参见 详见 出台 制定 下发 发布 文件 (so 根据国办发〔2017〕47号 cites
 * 国办发〔2017〕47号); an issuer that is then empty or longer than 8
 * characters makes no number.  The document's own number is not cited.
 *
 * Library code: nothing here prints; out of memory is reported as PS_NOMEM. */
#ifndef POLSEARCH_REFS_H
#define POLSEARCH_REFS_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "meta.h"

/* Xapian's limit on a term's length in bytes. */
#define REFS_TERM_MAX 245

/* Term prefixes: what a paragraph cites, and what a document is. */
#define REFS_PREFIX_CITES_TITLE "XRT"  /* a paragraph cites this title */
#define REFS_PREFIX_CITES_DOCNO "XRN"  /* a paragraph cites this document number */
#define REFS_PREFIX_OWN_TITLE   "XIT"  /* the document's own title */
#define REFS_PREFIX_OWN_DOCNO   "XIN"  /* the document's own number */

enum ref_kind {
    REF_TITLE = 1,                   /* a title in 《…》, 〈…〉 or <<…>> */
    REF_DOCNO                        /* a document number (发文字号) */
};

enum ref_role {
    REF_CITES = 1,                   /* a paragraph cites the document */
    REF_IDENTITY                     /* the document is the one named */
};

typedef struct ref_item {
    enum ref_kind kind;              /* title or document number */
    size_t        start;             /* byte offset of the reference in the paragraph (its 《 or issuer) */
    size_t        len;               /* bytes, up to and including the closing 》 or 号 */
    size_t        key_off;           /* offset of the NUL-terminated key in ref_list.keys */
    size_t        key_len;           /* bytes of the key, without the NUL */
} ref_item;

typedef struct ref_list {
    ref_item *items;                 /* references, in order of start */
    size_t    n;                     /* references in use */
    size_t    cap;                   /* references allocated */
    buf       keys;                  /* the keys, each followed by a NUL */
} ref_list;

#define REF_LIST_INIT { NULL, 0, 0, BUF_INIT }

/* Where refs_doc_title found the title. */
enum ref_title_from {
    REF_TITLE_NONE = 0,              /* nowhere: the document has no text (title "") */
    REF_TITLE_META,                  /* the metadata's title */
    REF_TITLE_CITED,                 /* the 《title》 the document answers or announces */
    REF_TITLE_DOCNO,                 /* the metadata's document number */
    REF_TITLE_TEXT                   /* the first line of text, cut to 60 characters */
};

/* Find the references in paragraph text[0..n) (UTF-8; an invalid byte counts
 * as one U+FFFD) and put them in *out, replacing what it held (its memory is
 * reused).  own_title and own_docno (NULL or "" for none) are the document's
 * own title and number, compared by key: a reference to either is left out.
 * Returns 0, or -1 with PS_NOMEM in err when memory runs out (then out->n is
 * 0). */
int refs_extract(const char *text, size_t n, const char *own_title, const char *own_docno,
                 ref_list *out, ps_err *err);

/* The key of reference i of l (NUL-terminated, i < l->n). */
const char *refs_key(const ref_list *l, size_t i);

/* Free the list's memory and reset it to REF_LIST_INIT. */
void refs_list_free(ref_list *l);

/* Key of a title given by a user or by metadata, s[0..n): white space around
 * it and one enclosing pair of 《》, 〈〉 or <<>> are dropped, then the key
 * rules apply (no length or policy-document test).  Replaces *key's contents.
 * Returns 0, 1 when nothing is left (key empty), or -1 with PS_NOMEM. */
int refs_normalize_title(const char *s, size_t n, buf *key, ps_err *err);

/* Key of a document number given by a user or by metadata, s[0..n): the
 * whole of it, but for white space around it, must be one document number
 * as above (its 号 may be left off).  Replaces *key's contents.  Returns 0,
 * 1 when s is not a document number (key empty), or -1 with PS_NOMEM. */
int refs_normalize_docno(const char *s, size_t n, buf *key, ps_err *err);

/* Key of what a user names with TITLE|DOCNO: a document number if s is one,
 * else a title.  Sets *kind.  Returns as refs_normalize_title. */
int refs_normalize_any(const char *s, size_t n, enum ref_kind *kind, buf *key, ps_err *err);

/* The Xapian boolean term for key[0..n) (a key made by this module) in
 * *out, replacing its contents: the prefix (REFS_PREFIX_*, by role and kind)
 * and the key, or, when that would be longer than 237 bytes, the prefix, the
 * key's first 200 bytes or less (whole characters), '#' and 16 hex digits of
 * the key's 64-bit FNV-1a hash.  Never longer than REFS_TERM_MAX.  Returns 0,
 * or -1 when out of memory. */
int refs_term(enum ref_kind kind, enum ref_role role, const char *key, size_t n, buf *out);

/* The title to show and identify document doc[0..n) by, into *out
 * (replacing its contents), and where it came from into *from (may be NULL):
 *   1. m->title, trimmed, when not empty;
 *   2. else the first cited title (by the rules above) that the document
 *      answers or announces, within 16 KiB after its first character that
 *      is not white space: a title with, in its sentence, 您 / 你 / 提出的 /
 *      印发 / 转发 / 现将 at most 16 characters before it, or 答复 / 回复 /
 *      复函 / 收悉 / 提案 / 的通知 at most 24 characters after it — as written
 *      between its brackets, a line break and the white space around it
 *      removed, other white space runs made one space;
 *   3. else m->docno, trimmed, when not empty;
 *   4. else the first line with text, trimmed and cut to 60 characters;
 *   5. else "" (from = REF_TITLE_NONE).
 * m may be NULL, and its fields NULL, for "nothing found".  So the result is
 * never empty when the document has any text.  Returns 0, or -1 with PS_NOMEM. */
int refs_doc_title(const char *doc, size_t n, const doc_meta *m, buf *out,
                   enum ref_title_from *from, ps_err *err);

/* The Xapian term of the paragraphs that cite what a user names with
 * TITLE|DOCNO in s (refs_normalize_any, REF_CITES) into *term (replaced).
 * Returns 0, 1 when s names nothing (an empty title), or -1 with PS_NOMEM. */
int refs_cite_term(const char *s, buf *term, ps_err *err);

#endif
