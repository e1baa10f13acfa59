/* meta.h — what a policy document says about itself.
 *
 * Extracted once per document from its decoded text (after boilerplate
 * removal) and stored with each of its paragraphs.  Every field is a
 * malloc'd NUL-terminated string, "" when the document does not say. */
#ifndef POLSEARCH_META_H
#define POLSEARCH_META_H

#include <stddef.h>

typedef struct doc_meta {
    char *title;                     /* 标题/名称/题名 field, <title>, or first title-like line (<= 120 chars) */
    char *date;                      /* publication date as YYYY-MM-DD (发布日期/日期 line, else signature date) */
    char *issuer;                    /* issuing body (发布机构/信息来源, else signature line such as 临沂市科学技术局) */
    char *docno;                     /* document number (临科函字〔2024〕4号), else 索引号 */
    char *proposal;                  /* proposal reference (第7号提案, 第380号建议, 第172号) */
} doc_meta;

#define DOC_META_INIT { NULL, NULL, NULL, NULL, NULL }

/* Fill *out from valid UTF-8 doc[0..n).  html_title, when not NULL, is the
 * <title> of an HTML page (used when no 标题/名称 field is found).
 * Returns 0, or -1 when out of memory (then *out holds nothing to free). */
int  meta_extract(const char *doc, size_t n, const char *html_title, doc_meta *out);

/* Free the strings and reset to DOC_META_INIT. */
void doc_meta_free(doc_meta *m);

#endif
