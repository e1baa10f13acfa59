/* region.h — where a document comes from: its province, city and county,
 * read off its metadata against China's administrative divisions (GB/T 2260,
 * src/regions.inc, made by tools/gen-regions.py).
 *
 * The sources, in order: the issuer (余姚市科学技术局 → 浙江省/宁波市/余姚市;
 * every place it names must lie on one line of descent, or the region is
 * unknown), a place at the very start of the title (银川市科技局关于…), the
 * division code inside a 统一社会信用代码 that opens the document or index
 * number (11640100010085853R/2022-00089 → 银川市; its check character must
 * be right), a provincial government's own number series (浙政发, 鲁政办发)
 * or the State Council's (国发, 国办发) and a state body as issuer (国务院,
 * 科学技术部, 国家知识产权局) → 全国.  A name that several divisions share
 * (鼓楼区) gives only the level they have in common.  What none of them
 * tells is unknown: never a guess from the body text.
 *
 * No allocation: the names point into the gazetteer's constant table. */
#ifndef POLSEARCH_REGION_H
#define POLSEARCH_REGION_H

typedef struct ps_region {
    const char *province;            /* 浙江省; "全国" for a state body; NULL: unknown */
    const char *city;                /* prefecture-level city (宁波市), or NULL */
    const char *county;              /* county-level division (余姚市), or NULL */
    int         code;                /* GB/T 2260 code of the deepest level known; 0: none */
} ps_region;

#define PS_REGION_UNKNOWN { NULL, NULL, NULL, 0 }
#define REGION_NATION "全国"         /* the province of a state body's document */

typedef struct region_src {
    const char *issuer;              /* doc_meta.issuer, or NULL */
    const char *title;               /* doc_meta.title, or NULL */
    const char *docno;               /* doc_meta.docno (文号 or 索引号), or NULL */
} region_src;

/* Fill *r with the region the metadata in *src tells (see above).  Returns 1
 * when a region is known (全国 included), 0 when it is unknown (*r is then
 * PS_REGION_UNKNOWN). */
int region_of(const region_src *src, ps_region *r);

/* 1 when PLACE names one of r's levels: a full name (浙江省, 宁波市), its
 * short form (浙江, 宁波, 内蒙古), 全国, or the leading digits of a GB/T
 * 2260 code (33, 3302, 330281); else 0.  An unknown region matches "unknown". */
int region_matches(const ps_region *r, const char *place);

/* 1 when PLACE is a name, short form or code that region_matches can ever
 * match (so a filter for a place that does not exist is an error, not an
 * empty result); else 0. */
int region_is_place(const char *place);

/* The short form of a division's full name: 浙江省 → 浙江, 广西壮族自治区 → 广西,
 * 余姚市 → 余姚; a name the suffix rule would cut below two characters stays
 * whole (沛县).  Writes at most cap bytes with a NUL into out; returns out. */
char *region_short(const char *name, char *out, unsigned cap);

#endif
