/* docbuild.c — what the documents of a file version hold (docbuild.h). */
#include "docbuild.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copies.h"
#include "paragraph.h"
#include "policy.h"
#include "reader.h"
#include "tokenize.h"

int docbuild_init(docbuild *b, const lexicon *lx, ps_err *err)
{
    *b = (docbuild){ .lx = lx, .nt = NORM_TEXT_INIT, .bag = TERMBAG_INIT, .refs = REF_LIST_INIT };
    if (!(b->doc = xs_doc_new(err)) || !(b->chunk_doc = xs_doc_new(err)))
        return -1;
    return 0;
}

void docbuild_free(docbuild *b)
{
    xs_doc_free(b->doc);
    xs_doc_free(b->chunk_doc);
    buf_free(&b->chunk.bytes);
    buf_free(&b->file_info);
    norm_text_free(&b->nt);
    termbag_free(&b->bag);
    refs_list_free(&b->refs);
    buf_free(&b->rterm);
    buf_free(&b->breaks);
    buf_free(&b->heading);
    buf_free(&b->rec);
    memset(b, 0, sizeof *b);
}

/* --- text chunks ------------------------------------------------------------- */

int docbuild_file_start(docbuild *b, const docbuild_file *f, ps_err *err)
{
    const doc_meta *m = f->meta;
    para_rec r = { .file_key = f->vid, .file = f->path, .canon = f->canon, .title = f->title ? f->title : "",
                   .date = m->date, .issuer = m->issuer, .docno = m->docno, .proposal = m->proposal,
                   .format = reader_format_name(f->doc->format), .text = "" };
    b->chunk_no = 0;
    buf_clear(&b->file_info);
    if (store_fileinfo_encode(&b->file_info, &r) != 0)
        return ps_err_nomem(err), -1;
    /* Where the folder lies on disk must not change how a file is cut into
     * chunks (the chunks count in the statistics that rank results). */
    size_t canon = f->canon && f->canon[0] ? strlen(f->canon) + 1 : 0;
    b->info_uncounted = store_block_entry_size(b->file_info.len) -
                        store_block_entry_size(b->file_info.len - canon);
    /* A file without paragraphs still has its record, for its file document. */
    if (store_block_add(&b->chunk, b->file_info.data, b->file_info.len) != 0)
        return ps_err_nomem(err), -1;
    return 0;
}

int docbuild_chunk_full(const docbuild *b)
{
    return b->chunk.n == STORE_CHUNK_ENTRIES || b->chunk.bytes.len >= STORE_CHUNK_BYTES + b->info_uncounted;
}

int docbuild_chunk_pending(const docbuild *b)
{
    return b->chunk.n > 0;
}

int docbuild_chunk_doc(docbuild *b, const char *vid, ps_err *err)
{
    char term[STORE_CHUNK_TERM_LEN + 1];
    store_chunk_term(vid, b->chunk_no, term);
    if (xs_doc_clear(b->chunk_doc, err) != PS_OK ||
        xs_doc_add_boolean(b->chunk_doc, term, STORE_CHUNK_TERM_LEN, err) != PS_OK ||
        xs_doc_set_data(b->chunk_doc, b->chunk.bytes.data, b->chunk.bytes.len, err) != PS_OK)
        return -1;
    b->chunk_no++;
    buf_clear(&b->chunk.bytes);
    b->chunk.n = 0;
    return 0;
}

/* Append the record b->rec to the current chunk as its next entry (after
 * the file record when the chunk is new) and put its place at the end of
 * b->key. */
static int add_entry(docbuild *b, const char *vid, ps_err *err)
{
    if (b->chunk.n == 0 && store_block_add(&b->chunk, b->file_info.data, b->file_info.len) != 0)
        return ps_err_nomem(err), -1;
    store_loc_make(vid, b->chunk_no, b->chunk.n, b->key + STORE_COPY_KEY_LEN);
    if (store_block_add(&b->chunk, b->rec.data, b->rec.len) != 0)
        return ps_err_nomem(err), -1;
    return 0;
}

/* --- paragraphs -------------------------------------------------------------- */

/* Where tok_terms' callback counts terms, and its error. */
typedef struct term_sink {
    termbag *bag;                    /* the paragraph's terms */
    ps_err  *err;                    /* set when memory runs out */
} term_sink;

/* tok_terms callback: count the term in the sink's bag.  Returns -1 (with
 * the sink's error set) when out of memory. */
static int add_term_cb(void *ctx, const char *term, size_t len, enum tok_kind kind, size_t pos)
{
    term_sink *s = ctx;
    (void)kind; (void)pos;
    if (termbag_add(s->bag, term, len) == 0)
        return 0;
    ps_err_nomem(s->err);
    return -1;
}

/* Turn "2024-07-16" into the sortable value "20240716" (8 bytes), or "". */
static size_t date_value(const char *date, char out[9])
{
    if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-')
        return 0;
    memcpy(out, date, 4);
    memcpy(out + 4, date + 5, 2);
    memcpy(out + 6, date + 8, 2);
    out[8] = '\0';
    return 8;
}

/* Add the boolean terms of the references paragraph text[0..len) makes
 * (refs.h), the document's own title and number (m) excepted. */
static int add_para_refs(docbuild *b, const doc_meta *m, const char *text, size_t len, ps_err *err)
{
    /* Every reference has a title bracket (《 〈 <<) or ends in 号/號: most
     * paragraphs have neither, and the scan is then skipped. */
    if (!memmem(text, len, "\xE3\x80\x8A", 3) && !memmem(text, len, "\xE3\x80\x88", 3) &&
        !memmem(text, len, "<<", 2) && !memmem(text, len, "\xE5\x8F\xB7", 3) &&
        !memmem(text, len, "\xE8\x99\x9F", 3))
        return 0;
    if (refs_extract(text, len, m->title, m->docno, &b->refs, err) != 0)
        return -1;
    for (size_t i = 0; i < b->refs.n; i++) {
        const ref_item *it = &b->refs.items[i];
        if (refs_term(it->kind, REF_CITES, refs_key(&b->refs, i), it->key_len, &b->rterm) != 0)
            return ps_err_nomem(err), -1;
        if (xs_doc_add_boolean(b->doc, b->rterm.data, b->rterm.len, err) != PS_OK)
            return -1;
    }
    return 0;
}

/* Set the copy key of the paragraph whose normalised text is b->nt, the
 * start of b->key: copies_text_key (8 bytes, big-endian), equal for copies
 * that differ only in width, case or white space; its hex digits make the
 * boolean terms of its two copy buckets, through which the copies are
 * found (store_copy_terms). */
static int set_copy_key(docbuild *b, ps_err *err)
{
    uint64_t h = copies_text_key(&b->nt);
    char terms[2][STORE_COPY_TERM_SIZE];
    for (int i = 0; i < STORE_COPY_KEY_LEN; i++)
        b->key[i] = (char)(h >> (56 - 8 * i));
    store_copy_terms(b->key, terms);
    for (int k = 0; k < 2; k++)
        if (xs_doc_add_boolean(b->doc, terms[k], strlen(terms[k]), err) != PS_OK)
            return -1;
    return 0;
}

/* 1 if the paragraph whose normalised text is b->nt reads as a heading
 * (policy_is_heading of that text), 0 if not, -1 when out of memory. */
static int nt_is_heading(docbuild *b, ps_err *err)
{
    if (b->nt.len == 0 || b->nt.len > POLICY_HEADING_MAX_CHARS)
        return 0;
    buf_clear(&b->heading);
    for (size_t i = 0; i < b->nt.len; i++)
        if (buf_eput_utf8(err, &b->heading, b->nt.cp[i]) != 0)
            return -1;
    return policy_is_heading(b->heading.data, b->heading.len);
}

/* The content terms of b->nt (counted, handed over in one call) and its
 * policy terms, into b->doc. */
static int add_content_terms(docbuild *b, ps_err *err)
{
    term_sink sink = { &b->bag, err };
    termbag_clear(&b->bag);
    if (tok_terms(&b->nt, 0, b->nt.len, add_term_cb, &sink) != 0 ||
        xs_doc_add_terms(b->doc, b->bag.bytes.data, termbag_terms(&b->bag), termbag_count(&b->bag),
                         err) != PS_OK ||
        policy_index_terms(b->lx, &b->nt, b->doc, err) != 0)
        return -1;
    /* The bag holds each content term's whole wdf (policy terms are K
     * terms of their own), so a tier term marks exactly the paragraphs
     * whose wdf reaches the tier, and the bag's wdf sum is a length the
     * document's is at least (its other terms add to it). */
    const xs_term *t = termbag_terms(&b->bag);
    unsigned content_len = 0;
    for (size_t i = 0; i < termbag_count(&b->bag); i++)
        content_len = t[i].wdf < UINT_MAX - content_len ? content_len + t[i].wdf : UINT_MAX;
    for (size_t i = 0; i < termbag_count(&b->bag); i++) {
        if (t[i].wdf < STORE_TIER_MIN_WDF)
            continue;               /* below the tiers: nearly every posting */
        buf_clear(&b->rterm);
        if (store_tier_term(&b->rterm, b->bag.bytes.data + t[i].off, t[i].len, t[i].wdf, content_len) != 0)
            return ps_err_nomem(err), -1;
        if (xs_doc_add_boolean(b->doc, b->rterm.data, b->rterm.len, err) != PS_OK)
            return -1;
    }
    return 0;
}

/* PARA_F_OCR when some of the text of paragraph p (starting on page
 * `page` of d) came from OCR, 0 if none did. */
static unsigned ocr_flag(const doc_text *d, const docbuild_para *p, unsigned page)
{
    for (unsigned k = page; d->page_ocr && k && k <= d->npages; k++) {
        if (k > page && d->page_start[k - 1] >= p->byte_off + p->len)
            break;                   /* past the paragraph's last page */
        if (d->page_ocr[k - 1])
            return PARA_F_OCR;
    }
    return 0;
}

/* Encode the record of paragraph p (its flags and first page given) into
 * b->rec: the page breaks within it come from f's page starts. */
static int encode_record(docbuild *b, const docbuild_file *f, const docbuild_para *p,
                         unsigned flags, unsigned page, ps_err *err)
{
    const doc_text *d = f->doc;
    buf_clear(&b->breaks);
    for (unsigned k = page; page && k < d->npages && d->page_start[k] < p->byte_off + p->len; k++)
        if (buf_eprintf(err, &b->breaks, "%s%zu", b->breaks.len ? "," : "", d->page_start[k] - p->byte_off) != 0)
            return -1;
    para_rec r = { .file_key = f->vid, .paragraph = p->number, .byte_off = p->byte_off,
                   .flags = flags, .page = page, .page_breaks = b->breaks.data,
                   .text = p->text, .text_len = p->len };
    buf_clear(&b->rec);
    if (store_rec_encode(&b->rec, &r) != 0)
        return ps_err_nomem(err), -1;
    return 0;
}

int docbuild_paragraph(docbuild *b, const docbuild_file *f, const docbuild_para *p, ps_err *err)
{
    const doc_meta *m = f->meta;
    const doc_text *d = f->doc;
    char fterm[19];
    store_version_term(f->vid, fterm);
    if (xs_doc_clear(b->doc, err) != PS_OK)
        return -1;
    if (norm_text_build(&b->nt, p->text, p->len) != 0)
        return ps_err_nomem(err), -1;
    if (add_content_terms(b, err) != 0 ||
        xs_doc_add_boolean(b->doc, fterm, strlen(fterm), err) != PS_OK)
        return -1;
    char dv[9];
    size_t dlen = date_value(m->date, dv);
    if (dlen && xs_doc_set_value(b->doc, STORE_SLOT_DATE, dv, dlen, err) != PS_OK)
        return -1;
    unsigned page = reader_page_of(d->page_start, d->npages, p->byte_off);
    unsigned flags = ocr_flag(d, p, page);
    if (m->title && m->title[0] && p->len == strlen(m->title) && memcmp(p->text, m->title, p->len) == 0)
        flags |= PARA_F_TITLE;
    int heading = nt_is_heading(b, err);
    if (heading < 0)
        return -1;
    if (heading)
        flags |= PARA_F_HEADING;
    /* The boost follows the normalised text alone (not the title or OCR
     * flags), so that copies weigh the same (a search finds a result's
     * copies right after it in the ranking). */
    if (heading && xs_doc_add_term(b->doc, POLICY_HEADING, strlen(POLICY_HEADING), 1, err) != PS_OK)
        return -1;
    if (add_para_refs(b, m, p->text, p->len, err) != 0 || set_copy_key(b, err) != 0)
        return -1;
    /* Plain text, most paragraphs of most indexes, has no format term:
     * --type text is "none of the others" (plan.h). */
    char fmt[16];
    snprintf(fmt, sizeof fmt, "%s%s", STORE_FORMAT_PREFIX, reader_format_name(d->format));
    if (d->format != FMT_TEXT && xs_doc_add_boolean(b->doc, fmt, strlen(fmt), err) != PS_OK)
        return -1;
    if (encode_record(b, f, p, flags, page, err) != 0 || add_entry(b, f->vid, err) != 0)
        return -1;
    store_key_set_paragraph(b->key, p->number);
    if (xs_doc_set_value(b->doc, STORE_SLOT_KEY, b->key, STORE_KEY_LEN, err) != PS_OK)
        return -1;
    return 0;
}

/* --- the file document ------------------------------------------------------- */

/* Add the identity terms of file f's document: its own title (from its
 * metadata only: a title borrowed from what it answers is not its name)
 * and its document number, each as refs.h keys them. */
static int add_identity(docbuild *b, const doc_meta *m, ps_err *err)
{
    buf key = BUF_INIT;
    int rc = 0;
    const char *own[2] = { m->title, m->docno };
    enum ref_kind kind[2] = { REF_TITLE, REF_DOCNO };
    for (int k = 0; k < 2 && rc == 0; k++) {
        if (!own[k] || !own[k][0])
            continue;
        int r = kind[k] == REF_TITLE ? refs_normalize_title(own[k], strlen(own[k]), &key, err)
                                     : refs_normalize_docno(own[k], strlen(own[k]), &key, err);
        if (r < 0 || (r == 0 && refs_term(kind[k], REF_IDENTITY, key.data, key.len, &b->rterm) != 0))
            rc = ps_err_nomem(err);
        else if (r == 0 && xs_doc_add_boolean(b->doc, b->rterm.data, b->rterm.len, err) != PS_OK)
            rc = -1;
    }
    buf_free(&key);
    return rc ? -1 : 0;
}

int docbuild_file_doc(docbuild *b, const docbuild_file *f, ps_err *err)
{
    char fterm[19], dterm[19], key[STORE_KEY_LEN] = { 0 };   /* no copy key: a file has no copies */
    store_version_term(f->vid, fterm);
    store_filedoc_term(f->vid, dterm);
    store_loc_make(f->vid, 0, 0, key + STORE_COPY_KEY_LEN);
    if (xs_doc_clear(b->doc, err) != PS_OK ||
        add_identity(b, f->meta, err) != 0 ||
        xs_doc_set_value(b->doc, STORE_SLOT_KEY, key, sizeof key, err) != PS_OK ||
        xs_doc_add_boolean(b->doc, fterm, strlen(fterm), err) != PS_OK ||
        xs_doc_add_boolean(b->doc, dterm, strlen(dterm), err) != PS_OK ||
        xs_doc_add_boolean(b->doc, STORE_FILE_DOC, strlen(STORE_FILE_DOC), err) != PS_OK ||
        xs_doc_set_data(b->doc, b->file_info.data, b->file_info.len, err) != PS_OK)
        return -1;
    return 0;
}
