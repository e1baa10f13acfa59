/* boiler.h — removal of web-site furniture lines.
 *
 * Policy texts copied or saved from government web sites carry the site
 * around them: breadcrumbs ("当前位置: 首页 > ..."), accessibility bars
 * ("无障碍 | 长者版"), font-size switches ("字体:[ 大 中 小 ]"), print and
 * close buttons ("【打印本页】【关闭窗口】"), QR-code hints, share bars,
 * previous/next links.  They are not content, and left in they become
 * paragraphs that match every query about 打印 or 首页.
 *
 * The rules live in one const table in boiler.c.  A rule only ever removes
 * a whole line that consists of furniture and nothing else; a line that
 * also carries content (say "发布日期: 2024-07-16 浏览次数: 字体:[ ]") is
 * kept.  Lines are compared with their white space (ASCII, U+00A0, U+3000)
 * removed, so "打印本页 | 关闭窗口" and "打印本页|关闭窗口" are the same. */
#ifndef POLSEARCH_BOILER_H
#define POLSEARCH_BOILER_H

#include <stddef.h>

#include "buf.h"

/* Lines longer than this (in bytes) are never furniture. */
#define BOILER_MAX_LINE 1024

/* Append s[0..n) (UTF-8, lines ended by '\n') to *out without its
 * furniture lines.  *dropped (when not NULL) receives how many lines went.
 * Returns 0, or -1 when out of memory. */
int boiler_strip(const char *s, size_t n, buf *out, unsigned *dropped);

/* The same in place: compacts s[0..n) and returns the new length (the
 * caller re-terminates).  Cannot fail. */
size_t boiler_strip_inplace(char *s, size_t n, unsigned *dropped);

/* Index of the rule that makes line[0..len) (no '\n') furniture, or -1 when
 * the line is content. */
int boiler_line_rule(const char *line, size_t len);

/* Number of rules in the table. */
size_t boiler_rule_count(void);

/* Short name of rule i ("breadcrumb", "print-close", ...), or NULL when i is
 * out of range. */
const char *boiler_rule_name(size_t i);

#endif
