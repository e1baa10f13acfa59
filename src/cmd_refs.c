/* cmd_refs.c — `polsearch refs`: what a document cites, who cites it, and
 * the citation graph among the indexed documents (citations.h reads them
 * from the index, so a remote index answers the same). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "citations.h"
#include "cli.h"
#include "output.h"
#include "refs.h"
#include "snippet.h"
#include "span.h"
#include "utf8.h"

/* Characters of a title in a graph node's label. */
#define REFS_LABEL_CHARS 20

/* Print what went wrong reading ix (out of memory when it holds no error)
 * and return EXIT_TROUBLE. */
static int report(const cite_index *ix)
{
    ps_msg("%s", ix->err.code ? ix->err.msg : "out of memory");
    return EXIT_TROUBLE;
}

/* Append reference it of paragraph r as JSON members: "paragraph", "kind"
 * and "ref" (after "file", which the caller wrote).  Returns 0, or -1 when
 * out of memory. */
static int put_ref_json(buf *out, const para_rec *r, const ref_item *it)
{
    const char *kind = it->kind == REF_TITLE ? "title" : "docno";
    int rc = json_uint(out, "paragraph", r->paragraph);
    rc |= json_str(out, "kind", kind, strlen(kind));
    return rc | json_str(out, "ref", r->text + it->start, it->len);
}

/* ------------------------------------------------------------------------ */
/* refs FILE                                                                */
/* ------------------------------------------------------------------------ */

/* Append reference it of paragraph r, resolved to target (NULL: not
 * indexed), to out as one line or one JSON object.  Returns 0, or -1 when
 * out of memory. */
static int put_cite(buf *out, const char *file, const para_rec *r, const ref_item *it,
                    const char *target, int json)
{
    int rc = 0;
    if (json) {
        rc |= json_open(out, NULL, '{');
        rc |= json_str(out, "file", file, strlen(file));
        rc |= put_ref_json(out, r, it);
        rc |= json_str(out, "target", target, target ? strlen(target) : 0);
        return rc | buf_puts(out, "}\n");
    }
    rc |= buf_printf(out, "%u\t", r->paragraph);
    for (size_t b = it->start; b < it->start + it->len; b++) {
        unsigned char c = (unsigned char)r->text[b];
        rc |= buf_putc(out, c < 0x20 || c == 0x7F ? ' ' : c);
    }
    return rc | buf_printf(out, "\t%s\n", target ? target : "-");
}

/* Write what file f cites, one line (or JSON object) per reference, in
 * document order; a reference that names f itself is left out.  Returns
 * the exit status; a message was printed for EXIT_TROUBLE. */
static int list_cites(cite_index *ix, size_t f, int json)
{
    const cite_file *self = &ix->files[f];
    cite_paras paras = CITE_PARAS_INIT;
    ref_list refs = REF_LIST_INIT;
    buf out = BUF_INIT;
    size_t listed = 0;
    int rc = cite_file_paras(ix, f, &paras);
    for (size_t p = 0; p < paras.n && rc == 0; p++) {
        const para_rec *r = &paras.v[p].rec;
        /* Its own title and number as the indexer left them out. */
        rc = refs_extract(r->text, r->text_len, self->own_title ? self->info.title : NULL,
                          self->info.docno, &refs, NULL);
        for (size_t i = 0; i < refs.n && rc == 0; i++) {
            const ref_item *it = &refs.items[i];
            int is_self;
            size_t t = cite_resolve(ix, it->kind, refs_key(&refs, i), it->key_len, f, &is_self);
            if (ix->err.code)
                rc = -1;
            else if (t == CITE_NONE && is_self)
                continue;
            buf_clear(&out);
            if (rc == 0 && put_cite(&out, self->info.file, r, it,
                                    t == CITE_NONE ? NULL : ix->files[t].info.file, json) != 0)
                rc = -1;
            if (rc == 0 && fwrite(out.data, 1, out.len, stdout) != out.len)
                rc = 1;              /* a closed pipe: stop quietly */
            listed += rc == 0;
        }
    }
    refs_list_free(&refs);
    cite_paras_free(&paras);
    buf_free(&out);
    if (rc < 0)
        return report(ix);
    return listed ? EXIT_MATCH : EXIT_NOMATCH;
}

/* ------------------------------------------------------------------------ */
/* refs --to                                                                */
/* ------------------------------------------------------------------------ */

/* The XRT/XRN terms of what arg names, sorted, into wanted: an indexed
 * file's own title and number (*self: that file), or arg keyed as a title
 * or number (*self = CITE_NONE).  Returns 0, 1 (a message printed: a file
 * not indexed, or not a title or number) or -1 (out of memory, or ix->err). */
static int wanted_terms(cite_index *ix, const char *arg, cite_terms *wanted, size_t *self)
{
    if ((*self = cite_file_by_path(ix, arg)) != CITE_NONE)
        return cite_terms_of_file(ix, *self, wanted);
    if (access(arg, F_OK) == 0 && strpbrk(arg, "/."))
        return ps_msg("%s: not in the index", arg), 1;
    buf key = BUF_INIT, term = BUF_INIT;
    enum ref_kind kind;
    int r = refs_normalize_any(arg, strlen(arg), &kind, &key, NULL);
    if (r == 0 && (refs_term(kind, REF_CITES, key.data, key.len, &term) != 0
                   || cite_terms_push(wanted, term.data, term.len) != 0))
        r = -1;
    buf_free(&key);
    buf_free(&term);
    if (r > 0)
        ps_msg("'%s' is neither an indexed file nor a document title or number", arg);
    return r;
}

/* Write the citation of paragraph p: the references in it whose term is
 * in wanted highlighted in its snippet.  Returns 0, 1 when nothing in it
 * matches (not listed), -1 when out of memory, -2 when stdout failed.
 * Its own title and number are not needed to pick its references out:
 * those that are its own were not indexed, so the paragraph was not
 * found for them. */
static int put_citation(const cite_index *ix, const cite_para *p, const cite_terms *wanted, int json,
                        int color, ref_list *refs, buf *term)
{
    const para_rec *r = &p->rec;
    span_list hl = SPAN_LIST_INIT;
    snippet sn = SNIPPET_INIT;
    size_t first = CITE_NONE;
    int rc = refs_extract(r->text, r->text_len, NULL, NULL, refs, NULL);
    for (size_t i = 0; i < refs->n && rc == 0; i++) {
        const ref_item *it = &refs->items[i];
        if (refs_term(it->kind, REF_CITES, refs_key(refs, i), it->key_len, term) != 0) {
            rc = -1;
            break;
        }
        if (!cite_terms_has(wanted, term->data))
            continue;
        if (first == CITE_NONE)
            first = i;
        size_t cs = utf8_count(r->text, it->start);
        rc = span_push(&hl, cs, utf8_count(r->text + it->start, it->len));
    }
    if (rc == 0 && first == CITE_NONE)
        rc = 1;
    if (rc == 0) {
        span_merge(&hl);
        rc = snip_build(r->text, r->text_len, &hl, SNIPPET_WIDTH, &sn);
    }
    if (rc == 0) {
        const ref_item *it = &refs->items[first];
        const char *file = ix->files[p->file].info.file;
        if (json) {
            buf out = BUF_INIT;
            rc |= json_open(&out, NULL, '{');
            rc |= json_str(&out, "file", file, strlen(file));
            rc |= put_ref_json(&out, r, it);
            rc |= json_str(&out, "snippet", sn.text, sn.len);
            rc |= buf_puts(&out, "}\n");
            if (rc == 0 && fwrite(out.data, 1, out.len, stdout) != out.len)
                rc = -2;
            buf_free(&out);
        } else {
            out_result res;
            memset(&res, 0, sizeof res);
            res.file = file;
            res.paragraph = r->paragraph;
            res.snip = &sn;
            if (out_citation(stdout, &res, r->text + it->start, it->len, color) != 0)
                rc = -2;
        }
    }
    snippet_free(&sn);
    span_list_free(&hl);
    return rc;
}

/* Write who cites arg, one line (or JSON object) per citing paragraph, in
 * path then paragraph order.  Returns the exit status; a message was
 * printed for EXIT_TROUBLE. */
static int list_citing(cite_index *ix, const char *arg, int json, int color)
{
    cite_terms wanted = CITE_TERMS_INIT;
    cite_paras paras = CITE_PARAS_INIT;
    ref_list refs = REF_LIST_INIT;
    buf term = BUF_INIT;
    size_t self, listed = 0;
    int rc = wanted_terms(ix, arg, &wanted, &self);
    if (rc == 0 && wanted.n)
        rc = cite_citing(ix, &wanted, &paras);
    for (size_t p = 0; p < paras.n && rc == 0; p++) {
        int r = paras.v[p].file == self ? 1
              : put_citation(ix, &paras.v[p], &wanted, json, color, &refs, &term);
        if (r == -2)
            break;                   /* a closed pipe: stop quietly */
        listed += r == 0;
        rc = r == -1 ? -1 : 0;
    }
    refs_list_free(&refs);
    buf_free(&term);
    cite_paras_free(&paras);
    cite_terms_free(&wanted);
    if (rc > 0)
        return EXIT_TROUBLE;
    if (rc < 0)
        return report(ix);
    return listed ? EXIT_MATCH : EXIT_NOMATCH;
}

/* ------------------------------------------------------------------------ */
/* refs --graph                                                             */
/* ------------------------------------------------------------------------ */

/* Append s to b as the inside of a DOT string: quotes and backslashes
 * escaped, control characters as spaces; at most max characters, then "…". */
static int dot_put(buf *b, const char *s, size_t max)
{
    size_t n = strlen(s), chars = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; chars++) {
        uint32_t cp;
        int w = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        size_t step = w > 0 ? (size_t)w : 1;
        if (chars == max)
            return buf_puts(b, "…");
        if (w <= 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            rc = buf_putc(b, w <= 0 ? '?' : ' ');
        else if (cp == '"' || cp == '\\')
            rc = buf_putc(b, '\\') | buf_putc(b, (int)cp);
        else
            rc = buf_append(b, s + i, step);
        i += step;
    }
    return rc;
}

/* The graph as DOT or JSON into out.  Returns 0, or -1 when out of memory. */
static int put_graph(const cite_index *ix, const cite_edge *edges, size_t nedges, int json, buf *out)
{
    int rc = 0;
    if (json) {
        rc |= json_open(out, NULL, '{');
        rc |= json_open(out, "nodes", '[');
        for (size_t i = 0; i < ix->nfiles; i++) {
            const para_rec *in = &ix->files[i].info;
            rc |= json_open(out, NULL, '{');
            rc |= json_uint(out, "id", i + 1);
            rc |= json_str(out, "file", in->file, strlen(in->file));
            rc |= json_str(out, "title", in->title, strlen(in->title));
            rc |= json_str(out, "date", in->date, strlen(in->date));
            rc |= json_close(out, '}');
        }
        rc |= json_close(out, ']');
        rc |= json_open(out, "edges", '[');
        for (size_t i = 0; i < nedges; i++) {
            rc |= json_open(out, NULL, '{');
            rc |= json_uint(out, "from", edges[i].from + 1);
            rc |= json_uint(out, "to", edges[i].to + 1);
            rc |= json_uint(out, "refs", edges[i].refs);
            rc |= json_close(out, '}');
        }
        return rc | buf_puts(out, "]}\n");
    }
    rc |= buf_puts(out, "digraph citations {\n  rankdir=LR;\n  node [shape=box];\n");
    for (size_t i = 0; i < ix->nfiles; i++) {
        const para_rec *in = &ix->files[i].info;
        rc |= buf_printf(out, "  n%zu [label=\"", i + 1);
        rc |= dot_put(out, in->title, REFS_LABEL_CHARS);
        if (in->date[0]) {
            rc |= buf_puts(out, "\\n");
            rc |= dot_put(out, in->date, CITE_NONE);
        }
        rc |= buf_puts(out, "\", tooltip=\"");
        rc |= dot_put(out, in->file, CITE_NONE);
        rc |= buf_puts(out, "\"];\n");
    }
    for (size_t i = 0; i < nedges; i++)
        rc |= buf_printf(out, "  n%zu -> n%zu [label=\"%u\"];\n", edges[i].from + 1, edges[i].to + 1,
                         edges[i].refs);
    return rc | buf_puts(out, "}\n");
}

/* Write the citation graph.  Returns the exit status (0: it has an edge);
 * a message was printed for EXIT_TROUBLE. */
static int list_graph(cite_index *ix, int json)
{
    cite_edge *edges = NULL;
    size_t nedges = 0;
    buf out = BUF_INIT;
    int rc = cite_graph(ix, &edges, &nedges);
    if (rc == 0 && put_graph(ix, edges, nedges, json, &out) != 0)
        rc = -1;
    if (rc == 0)
        fwrite(out.data, 1, out.len, stdout);   /* a closed pipe: the status stands (fflush) */
    free(edges);
    buf_free(&out);
    if (rc < 0)
        return report(ix);
    return nedges ? EXIT_MATCH : EXIT_NOMATCH;
}

/* ------------------------------------------------------------------------ */
/* The command                                                              */
/* ------------------------------------------------------------------------ */

int cmd_refs(int argc, char **argv)
{
    const char *dir = NULL, *to = NULL;
    int json = 0, dot = 0, graph = 0, color = 0, first;
    const ps_option opts[] = {
        PS_INDEX("index (default: $POLSEARCH_INDEX or ./index)", &dir),
        PS_STRING(0, "to", "DOC", "who cites DOC: an indexed file (by its title and its\n"
                  "number), a title (《》 optional) or a document number", &to),
        PS_FLAG(0, "graph", "the citation graph among the indexed documents", &graph),
        PS_FLAG(0, "dot", "with --graph: Graphviz DOT (the default)", &dot),
        PS_FLAG(0, "json", "one JSON object per line (--graph: one object)", &json),
        PS_COLOR("color", "highlight citations: auto, always or never (default auto)", &color),
        PS_COLOR("colour", NULL, &color),
        PS_END
    };
    const ps_command cmd = {
        .name = "refs", .synopsis = "[-d INDEX] [--json] FILE | --to DOC | --graph [--dot|--json]",
        .about = "Relations between documents.  FILE: what it cites, in order, one line\n"
                 "PARAGRAPH<TAB>REFERENCE<TAB>TARGET (the indexed file cited, or -).\n"
                 "--to DOC: who cites it, FILE:PARAGRAPH<TAB>REFERENCE<TAB>SNIPPET per paragraph.\n"
                 "--graph: files as nodes, citing paragraphs counted on the edges.\n",
        .footer = "Exit status: 0 something listed (--graph: an edge), 1 nothing, 2 an error.\n"
                  "Example: polsearch refs --graph | dot -Tsvg > refs.svg\n",
        .opts = opts
    };
    int status;
    if ((status = ps_options(&cmd, argc, argv, &first)) >= 0)
        return status;
    int nargs = argc - first;
    if ((to != NULL) + graph > 1 || (to || graph ? nargs != 0 : nargs != 1)) {
        ps_msg("give one FILE, --to DOC or --graph; see 'polsearch refs --help'");
        return EXIT_TROUBLE;
    }
    if (dot && (!graph || json)) {
        ps_msg("--dot goes with --graph and without --json; see 'polsearch refs --help'");
        return EXIT_TROUBLE;
    }
    cite_index ix;
    if (cite_open(&ix, dir) != 0) {
        status = report(&ix);
        cite_close(&ix);
        return status;
    }
    if (graph) {
        status = list_graph(&ix, json);
    } else if (to) {
        status = list_citing(&ix, to, json, color);
    } else {
        const char *path = argv[first];
        size_t f = cite_file_by_path(&ix, path);
        if (f == CITE_NONE) {
            ps_msg("%s: not in the index", path);
            status = EXIT_TROUBLE;
        } else {
            status = list_cites(&ix, f, json);
        }
    }
    cite_close(&ix);
    if (fflush(stdout) != 0 && status != EXIT_TROUBLE && errno != EPIPE)
        status = EXIT_TROUBLE;
    return status;
}
