/* reader.c — what the format readers share: detection, names, pages (reader.h). */
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* What the program itself knows of a format: its row in READER_FORMATS
 * without the reader, which lives in the readers' module. */
typedef struct format_row {
    const char *name;                /* NAME: --type, stats, the XK term */
    const char *type;                /* TYPE: its Content-Type, or NULL */
    int         indexed;             /* INDEXED: a file can be indexed as it */
} format_row;

#define FORMAT_ROW(value, name, reader, type, indexed) [value] = { name, type, indexed },
static const format_row formats[FMT_COUNT] = { READER_FORMATS(FORMAT_ROW) };

/* Only the magic numbers decide, so that no reader library loads for a
 * text file. */
enum doc_format reader_detect(const unsigned char *data, size_t len)
{
    if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
        return FMT_PDF;
    if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return FMT_DOC;
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
        return FMT_ZIP_OTHER;
    if (reader_is_image(data, len))
        return FMT_IMAGE;
    return FMT_TEXT;
}

int reader_is_image(const unsigned char *data, size_t len)
{
    static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    if (!data)
        return 0;
    if (len >= sizeof png && memcmp(data, png, sizeof png) == 0)
        return 1;
    if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
        return 1;
    return len >= 4 && ((memcmp(data, "II*", 3) == 0 && data[3] == 0) ||
                        (memcmp(data, "MM", 2) == 0 && data[2] == 0 && data[3] == '*'));
}

const char *reader_format_name(enum doc_format f)
{
    return (unsigned)f < FMT_COUNT ? formats[f].name : "?";
}

int reader_format_by_name(const char *name)
{
    for (int i = 0; i < FMT_COUNT; i++)
        if (strcmp(name, formats[i].name) == 0)
            return i;
    return -1;
}

const char *reader_format_type(enum doc_format f)
{
    return (unsigned)f < FMT_COUNT ? formats[f].type : NULL;
}

int reader_type_terms(const char *list, char terms[][20], const char *ptrs[], size_t *n)
{
    const char *p = list;
    do {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char one[16];
        int f = len < sizeof one ? (memcpy(one, p, len), one[len] = '\0', reader_format_by_name(one)) : -1;
        if (f < 0 || !formats[f].indexed)
            return -1;
        size_t k;
        for (k = 0; k < *n && strcmp(terms[k] + 2, one) != 0; k++)
            ;
        if (k == *n && k < FMT_COUNT) {
            snprintf(terms[k], 20, "%s%s", READER_FORMAT_TERM, one);
            ptrs[k] = terms[k];
            (*n)++;
        }
        p = comma ? comma + 1 : NULL;
    } while (p);
    return 0;
}

int reader_page_begin(reader_out *out, ps_err *err)
{
    if (ARRAY_EGROW(err, out->page_start, out->cap_pages, (size_t)out->npages + 1) != 0)
        return -1;
    out->page_start[out->npages++] = out->text.len;
    return 0;
}

/* Binary search for the last page starting at or before off. */
unsigned reader_page_of(const size_t *page_start, unsigned npages, size_t off)
{
    if (npages == 0)
        return 0;
    unsigned lo = 0, hi = npages;
    while (hi - lo > 1) {
        unsigned mid = lo + (hi - lo) / 2;
        if (page_start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 1;
}

void reader_out_free(reader_out *out)
{
    buf_free(&out->text);
    free(out->page_start);
    free(out->page_ocr);
    free(out->title);
    free(out->date);
    reader_out init = READER_OUT_INIT;
    *out = init;
}

