/* policy.h — the policy lexicon in the index and in queries.
 *
 * At index time every lexicon term found in a paragraph (in any of its
 * forms: the term or an alias) is indexed as the term "K" + its key, and
 * the lexicon's aliases are written to the index as Xapian synonyms, so a
 * remote or multi-shard search expands exactly as a local one.  Headings
 * and title paragraphs carry the term "XH" (wdf 1, so it has a weight).
 * At query time a phrase that contains lexicon terms gets their K terms as
 * an optional, weighted part (boosting reorders, it never adds or drops a
 * literal match), and a phrase that is a term or alias is expanded to the
 * other forms (ranked below literal matches). */
#ifndef POLSEARCH_POLICY_H
#define POLSEARCH_POLICY_H

#include <stddef.h>

#include "buf.h"
#include "lexicon.h"
#include "normalize.h"
#include "xapian-shim.h"

#define POLICY_PREFIX      "K"
#define POLICY_HEADING     "XH"
#define POLICY_BOOST_SCALE 1.2       /* a lexicon weight of 1 adds 1.2 x the K term's BM25 weight */
#define POLICY_HEADING_BOOST 0.5     /* scale of the heading term's BM25 weight */
#define POLICY_EXPANSION   0.3       /* expanded forms weigh this much of what they would as typed */

/* Load the shipped lexicon (policy_default_path) and, if user_file is not
 * NULL, the user's terms on top, and build it.  Returns the lexicon, or
 * NULL with err set ("FILE:LINE: reason"; PS_IO for a missing lexicon). */
lexicon *policy_load(const char *user_file, ps_err *err);

/* The shipped lexicon's path: $POLSEARCH_LEXICON, else data/policy-terms.tsv
 * beside the program's build tree, else the installed copy.  Writes into
 * out; returns 0, or -1 when none exists (out then holds the installed path). */
int policy_default_path(char *out, size_t outlen);

/* Add the K terms of the lexicon terms found in nt to doc, one occurrence
 * (wdf 1) per mention: forms of one term that overlap inside a longer form
 * of the same term (小巨人 in 专精特新小巨人企业) count once.  Returns 0, or
 * -1 with *err set. */
int policy_index_terms(const lexicon *lx, const norm_text *nt, xs_doc *doc, ps_err *err);

/* Write the lexicon's aliases as synonyms (both ways) to w. */
int policy_write_synonyms(const lexicon *lx, xs_wdb *w, ps_err *err);

/* Normalise s as queries are normalised, into out (UTF-8; "" when it does
 * not fit in outlen bytes or memory runs out). */
void policy_norm_form(const char *s, char *out, size_t outlen);

/* A form of a lexicon term (the term itself or an alias, normalised) with
 * its term's key and weight: what a search needs to boost a query. */
typedef struct policy_form {
    char   *form;                    /* the normalised form (in the forms' text) */
    char   *key;                     /* its term's key (the K term is "K" + key) */
    double  weight;                  /* its term's weight */
} policy_form;

typedef struct policy_forms {
    policy_form *v;                  /* the forms */
    size_t       n;                  /* forms in use */
    size_t       cap;                /* forms allocated */
    char        *text;               /* the decoded lines, cut into the forms' strings (owned) */
} policy_forms;

#define POLICY_FORMS_KEY "polsearch.lexicon.forms"

/* Every form of every term of lx, appended to out as lines
 * "form<TAB>key<TAB>weight" (the index keeps them as metadata, so a search
 * need not load and compile the lexicon).  Returns 0, or -1 out of memory. */
int  policy_forms_encode(const lexicon *lx, buf *out);
/* Parse what policy_forms_encode wrote into out, which holds no forms
 * yet ({ .v = NULL }): one copy of s, its lines cut into the forms'
 * strings.  Returns 0, or -1 out of memory (or out was not empty; what
 * was decoded is then freed by policy_forms_free). */
int  policy_forms_decode(const char *s, size_t n, policy_forms *out);
/* The forms of lx itself.  Returns 0, or -1 out of memory. */
int  policy_forms_of(const lexicon *lx, policy_forms *out);
void policy_forms_free(policy_forms *f);

#define POLICY_HEADING_MAX_CHARS 40 /* a heading is at most this many characters */
/* 1 if a paragraph reads as a heading: short, begins with a section
 * marker or has no sentence punctuation. */
int policy_is_heading(const char *text, size_t len);

#endif
