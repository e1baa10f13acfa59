/* docbuild.h — what the Xapian documents of a file version hold: the code
 * twin of the schema in store.h's top comment.
 *
 * For each paragraph, docbuild_paragraph builds one document:
 *   - its content terms (tokenize.h: bigrams, unigrams, words), each once
 *     with its count (termbag.h), and the policy terms of the lexicon
 *     (policy_index_terms: K terms), and the tier terms of the content
 *     terms whose count reaches the tiers (store_tier_term: the term, its
 *     wdf and the paragraph's length class);
 *   - POLICY_HEADING (wdf 1) when its normalised text reads as a heading;
 *   - the boolean terms XF<version id>, its two copy buckets
 *     (store_copy_terms), the references it makes (refs.h: XRT, XRN; the
 *     document's own title and number excepted) and its source format
 *     (STORE_FORMAT_PREFIX + name; plain text has none);
 *   - the value STORE_SLOT_DATE (YYYYMMDD) when the file has a date, and
 *     STORE_SLOT_KEY: its copy key (a hash of the normalised text), then
 *     the place of its paragraph record in the text chunks, then its
 *     paragraph number;
 * and appends that record to the file's current text chunk.  A file
 * version's chunks each begin with its file record (docbuild_file_start);
 * docbuild_chunk_doc turns the current one into its chunk document;
 * docbuild_file_doc builds the file document.  Everything a document
 * depends on is an argument: the builder keeps only reused memory and the
 * chunk being filled.  Nothing here writes to a database (writer.c does);
 * errors come back as a ps_err (err.h): functions return 0, or -1 with
 * *err set. */
#ifndef POLSEARCH_DOCBUILD_H
#define POLSEARCH_DOCBUILD_H

#include <stddef.h>

#include "buf.h"
#include "decode.h"
#include "err.h"
#include "lexicon.h"
#include "meta.h"
#include "normalize.h"
#include "refs.h"
#include "store.h"
#include "termbag.h"
#include "xapian-shim.h"

/* The file version whose documents are built: what its paragraphs share. */
typedef struct docbuild_file {
    const char     *vid;             /* its version id: 16 hex digits (store_version_id) */
    const char     *path;            /* the path as indexed (as first indexed: what results show) */
    const char     *canon;           /* its canonical path (walk.h), its identity; NULL or "" for none */
    const char     *title;           /* the title its record keeps (refs_doc_title), "" if none */
    const doc_meta *meta;            /* its metadata: own title and number, date, issuer, ... */
    const doc_text *doc;             /* its text: format, page starts, pages read by OCR */
} docbuild_file;

/* One paragraph, as the paragraph splitter hands it over. */
typedef struct docbuild_para {
    const char *text;                /* its text, UTF-8, inside the file's text */
    size_t      len;                 /* bytes of text */
    size_t      byte_off;            /* where it starts in the file's text */
    unsigned    number;              /* its 1-based number in the file */
} docbuild_para;

/* The builder: the documents it built last and its reused memory. */
typedef struct docbuild {
    const lexicon *lx;               /* the policy lexicon (K terms) */
    xs_doc     *doc;                 /* the paragraph or file document built last */
    xs_doc     *chunk_doc;           /* the text chunk document built last */
    char        key[STORE_KEY_LEN];  /* doc's STORE_SLOT_KEY value: copy key, then place */
    text_block  chunk;               /* the file's text chunk being filled */
    unsigned    chunk_no;            /* its number within the file */
    buf         file_info;           /* the file's record: entry 0 of each of its chunks */
    size_t      info_uncounted;      /* bytes of entry 0 the chunk budget leaves out: the canonical path's */
    norm_text   nt;                  /* reused: the paragraph's normalised text */
    termbag     bag;                 /* reused: its content terms, counted */
    ref_list    refs;                /* reused: the references it makes */
    buf         rterm;               /* reused: one reference's term, or a tier term */
    buf         breaks;              /* reused: its page breaks (para_rec.page_breaks) */
    buf         heading;             /* reused: a short paragraph's normalised text, UTF-8 */
    buf         rec;                 /* reused: its record's encoding */
} docbuild;

/* Set up *b for the lexicon lx (borrowed: it must outlive b). */
int  docbuild_init(docbuild *b, const lexicon *lx, ps_err *err);
/* Free what b holds (a zeroed or initialised b). */
void docbuild_free(docbuild *b);

/* Start the text chunks of file f: its file record becomes entry 0 of
 * its first chunk (chunk 0), and of each one after. */
int  docbuild_file_start(docbuild *b, const docbuild_file *f, ps_err *err);
/* 1 when the current chunk is full: the caller must take it out with
 * docbuild_chunk_doc before the next paragraph. */
int  docbuild_chunk_full(const docbuild *b);
/* 1 when the current chunk holds entries (docbuild_chunk_doc has one to build). */
int  docbuild_chunk_pending(const docbuild *b);
/* Build the current chunk of file version vid into b->chunk_doc (its
 * term XB<vid><chunk number>, its entries as data) and start the next. */
int  docbuild_chunk_doc(docbuild *b, const char *vid, ps_err *err);
/* Build paragraph p of file f into b->doc (the terms and values above)
 * and append its record to the current chunk; its STORE_SLOT_KEY value
 * is in b->key.  The chunk must not be full (docbuild_chunk_full). */
int  docbuild_paragraph(docbuild *b, const docbuild_file *f, const docbuild_para *p, ps_err *err);
/* Build the file document of f into b->doc: the boolean terms XF<vid>,
 * XD<vid> and STORE_FILE_DOC, the identity terms of its own title and
 * number (refs.h), as STORE_SLOT_KEY no copy key (zeros), the place of
 * its file record (chunk 0, entry 0) and paragraph 0, and as its data the
 * file record (docbuild_file_start). */
int  docbuild_file_doc(docbuild *b, const docbuild_file *f, ps_err *err);

#endif
