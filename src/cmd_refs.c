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
#include "graph.h"
#include "output.h"
#include "refs.h"
#include "region.h"
#include "snippet.h"
#include "span.h"
#include "tally.h"
#include "utf8.h"

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

/* What list_cites writes with. */
typedef struct cites_out {
    const cite_index *ix;            /* the index */
    const char       *file;          /* the citing file's path */
    int               json;          /* JSON objects, not lines */
    buf               line;          /* one reference's line (reused) */
    size_t            listed;        /* references written */
} cites_out;

/* cite_ref_fn: write one reference.  Returns 0, -2 when out of memory,
 * 1 when stdout is gone (a closed pipe: stop quietly). */
static int put_cite_line(void *ctx, const para_rec *r, const ref_item *it, size_t t)
{
    cites_out *o = ctx;
    buf_clear(&o->line);
    if (put_cite(&o->line, o->file, r, it, t == CITE_NONE ? NULL : o->ix->files[t].info.file, o->json) != 0)
        return -2;
    if (fwrite(o->line.data, 1, o->line.len, stdout) != o->line.len)
        return 1;
    o->listed++;
    return 0;
}

/* Write what file f cites, one line (or JSON object) per reference, in
 * document order; a reference that names f itself is left out.  Returns
 * the exit status; a message was printed for EXIT_TROUBLE. */
static int list_cites(cite_index *ix, size_t f, int json)
{
    cite_paras paras = CITE_PARAS_INIT;
    cites_out o = { .ix = ix, .file = ix->files[f].info.file, .json = json, .line = BUF_INIT };
    int rc = cite_file_paras(ix, f, &paras);
    if (rc == 0)
        rc = cite_each_ref(ix, f, &paras, put_cite_line, &o);
    if (rc == -2)
        ps_err_nomem(&ix->err);
    cite_paras_free(&paras);
    buf_free(&o.line);
    if (rc < 0)
        return report(ix);
    return o.listed ? EXIT_MATCH : EXIT_NOMATCH;
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

/* How --graph writes: DOT and JSON by cite_graph_write, the rest by graph.h. */
enum graph_style { GS_DOT, GS_JSON, GS_GRAPHML, GS_GEXF, GS_NET };

/* Append the citation graph (edges over ix's files) to out in format fmt:
 * a node per indexed file (label its title, or its path without one; its
 * date; file, title, issuer, docno, region and region_code attributes), an
 * arc per cited file weighted by the citing paragraphs.  Returns 0, or -1
 * with *err set. */
static int write_network(const cite_index *ix, const cite_edge *edges, size_t nedges, enum graph_format fmt,
                         buf *out, ps_err *err)
{
    static const graph_attr nattrs[] = { { "file", GRAPH_STRING }, { "title", GRAPH_STRING },
                                         { "issuer", GRAPH_STRING }, { "docno", GRAPH_STRING },
                                         { "region", GRAPH_STRING }, { "region_code", GRAPH_STRING } };
    graph *g = graph_new(1, nattrs, 6, NULL, 0, err);
    for (size_t i = 0; g && i < ix->nfiles; i++) {
        const para_rec *in = &ix->files[i].info;
        char region[256], code[16] = "";
        ps_region reg;
        region_src src = { .issuer = in->issuer, .title = in->title, .docno = in->docno };
        if (region_of(&src, &reg) && reg.code)
            snprintf(code, sizeof code, "%06d", reg.code);
        const char *vals[] = { in->file, in->title[0] ? in->title : NULL, in->issuer[0] ? in->issuer : NULL,
                               in->docno[0] ? in->docno : NULL,
                               tally_dim_value(TD_REGION, in, region, sizeof region), code[0] ? code : NULL };
        graph_add_node(g, in->title[0] ? in->title : in->file, in->date, vals, err);
    }
    for (size_t i = 0; g && i < nedges; i++)
        graph_add_edge(g, edges[i].from + 1, edges[i].to + 1, edges[i].refs, NULL, err);
    int rc = g ? graph_write(g, fmt, "polsearch refs --graph: who cites whom (weight: citing paragraphs)", out, err)
               : -1;
    graph_free(g);
    return rc;
}

/* Write the citation graph in style st.  Returns the exit status (0: it
 * has an edge); a message was printed for EXIT_TROUBLE. */
static int list_graph(cite_index *ix, enum graph_style st)
{
    cite_edge *edges = NULL;
    size_t nedges = 0;
    buf out = BUF_INIT;
    int rc = cite_graph(ix, &edges, &nedges);
    if (rc == 0 && st >= GS_GRAPHML) {
        ps_err gerr = PS_ERR_INIT;
        enum graph_format fmt = st == GS_GRAPHML ? GRAPH_GRAPHML : st == GS_GEXF ? GRAPH_GEXF : GRAPH_PAJEK;
        if (write_network(ix, edges, nedges, fmt, &out, &gerr) != 0) {
            free(edges);
            buf_free(&out);
            ps_msg("%s", gerr.msg);
            return EXIT_TROUBLE;
        }
    } else if (rc == 0 && cite_graph_write(ix, edges, nedges, st == GS_JSON, NULL, NULL, &out) != 0) {
        rc = -1;
    }
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
    int json = 0, dot = 0, want_graph = 0, color = 0, net = GS_DOT, first;
    const ps_option opts[] = {
        PS_INDEX("index (default: $POLSEARCH_INDEX or ./index)", &dir),
        PS_STRING(0, "to", "DOC", "who cites DOC: an indexed file (by its title and its\n"
                  "number), a title (《》 optional) or a document number", &to),
        PS_FLAG(0, "graph", "the citation graph among the indexed documents", &want_graph),
        PS_FLAG(0, "dot", "with --graph: Graphviz DOT (the default)", &dot),
        PS_FLAG(0, "json", "one JSON object per line (--graph: one object)", &json),
        PS_SET_INT(0, "graphml", "with --graph: GraphML 1.0 (directed; date, issuer, region\n"
                   "and docno as node attributes)", &net, GS_GRAPHML),
        PS_SET_INT(0, "gexf", "with --graph: GEXF 1.3 for Gephi (dates on its timeline)", &net, GS_GEXF),
        PS_SET_INT(0, "net", "with --graph: Pajek .net (arcs; for CiteSpace, UCINET)", &net, GS_NET),
        PS_COLOR("color", "highlight citations: auto, always or never (default auto)", &color),
        PS_COLOR("colour", NULL, &color),
        PS_END
    };
    const ps_command cmd = {
        .name = "refs", .synopsis = "[-d INDEX] [--json] FILE | --to DOC | --graph [--dot|--json|--graphml|--gexf|--net]",
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
    if ((to != NULL) + want_graph > 1 || (to || want_graph ? nargs != 0 : nargs != 1)) {
        ps_msg("give one FILE, --to DOC or --graph; see 'polsearch refs --help'");
        return EXIT_TROUBLE;
    }
    if (dot && (!want_graph || json)) {
        ps_msg("--dot goes with --graph and without --json; see 'polsearch refs --help'");
        return EXIT_TROUBLE;
    }
    if (net != GS_DOT && (!want_graph || json || dot)) {
        ps_msg("--graphml, --gexf and --net go with --graph, one of them; see 'polsearch refs --help'");
        return EXIT_TROUBLE;
    }
    cite_index ix;
    if (cite_open(&ix, dir) != 0) {
        status = report(&ix);
        cite_close(&ix);
        return status;
    }
    if (want_graph) {
        status = list_graph(&ix, net != GS_DOT ? (enum graph_style)net : json ? GS_JSON : GS_DOT);
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
