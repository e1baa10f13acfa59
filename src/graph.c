/* graph.c — a weighted, attributed graph written as GraphML, GEXF or Pajek (graph.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "utf8.h"

/* One node. */
typedef struct graph_node {
    char  *label;                    /* its label, cleaned (malloc'd) */
    char   date[11];                 /* YYYY-MM-DD, or "" */
    char **values;                   /* values[0..nn), NULL for none (malloc'd each) */
} graph_node;

/* One edge. */
typedef struct graph_edge {
    size_t  from;                    /* source node number (1-based) */
    size_t  to;                      /* target node number */
    double  weight;                  /* its weight */
    char  **values;                  /* values[0..ne) */
} graph_edge;

struct graph {
    int               directed;      /* arcs, not edges */
    const graph_attr *nattrs;        /* node attribute declarations */
    size_t            nn;            /* how many */
    const graph_attr *eattrs;        /* edge attribute declarations */
    size_t            ne;            /* how many */
    graph_node       *nodes;         /* nodes in insertion order */
    size_t            nnodes;        /* nodes in use */
    size_t            capnodes;      /* nodes allocated */
    graph_edge       *edges;         /* edges in insertion order */
    size_t            nedges;        /* edges in use */
    size_t            capedges;      /* edges allocated */
    int               dated;         /* some node has a date */
};

/* 1 when s is a non-empty run of NMTOKEN characters we allow. */
static int is_name(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              *s == '-' || *s == '.'))
            return 0;
    return 1;
}

graph *graph_new(int directed, const graph_attr *nattrs, size_t nn, const graph_attr *eattrs, size_t ne,
                 ps_err *err)
{
    for (size_t i = 0; i < nn + ne; i++) {
        const graph_attr *a = i < nn ? &nattrs[i] : &eattrs[i - nn];
        if (!is_name(a->name) || !strcmp(a->name, "label") || !strcmp(a->name, "weight") || !strcmp(a->name, "date")) {
            ps_err_set(err, PS_USAGE, "graph: '%s' cannot name an attribute", a->name ? a->name : "");
            return NULL;
        }
    }
    graph *g = calloc(1, sizeof *g);
    if (!g) {
        ps_err_nomem(err);
        return NULL;
    }
    *g = (graph){ .directed = directed, .nattrs = nattrs, .nn = nn, .eattrs = eattrs, .ne = ne };
    return g;
}

/* Append s cleaned to b: invalid UTF-8 and control characters dropped,
 * tab, CR and LF as spaces.  Returns 0, or -1 out of memory. */
static int put_clean(buf *b, const char *s)
{
    size_t n = strlen(s), i = 0;
    const unsigned char *u = (const unsigned char *)s;
    int rc = 0;
    while (i < n && rc == 0) {
        uint32_t cp;
        int k = utf8_decode(u + i, n - i, &cp);
        if (k <= 0) {
            i++;
            continue;
        }
        if (cp == '\t' || cp == '\n' || cp == '\r')
            rc = buf_putc(b, ' ');
        else if (!(cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFE || cp == 0xFFFF))
            rc = buf_append(b, s + i, (size_t)k);
        i += (size_t)k;
    }
    return rc;
}

/* A cleaned copy of s ("" for NULL), or NULL out of memory. */
static char *clean_dup(const char *s)
{
    buf b = BUF_INIT;
    if (s && put_clean(&b, s) != 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b);
}

/* Cleaned copies of values[0..n) (NULL stays NULL) into *out.  Returns 0, or -1 out of memory. */
static int copy_values(const char *const *values, size_t n, char ***out)
{
    *out = NULL;
    if (n == 0)
        return 0;
    char **v = calloc(n, sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (values && values[i] && !(v[i] = clean_dup(values[i]))) {
            for (size_t j = 0; j < i; j++)
                free(v[j]);
            free(v);
            return -1;
        }
    *out = v;
    return 0;
}

/* Free values[0..n) and the array. */
static void free_values(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* 1 when s is YYYY-MM-DD with digits where they go. */
static int is_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    return 1;
}

size_t graph_add_node(graph *g, const char *label, const char *date, const char *const *values, ps_err *err)
{
    if (err->code != PS_OK)
        return 0;
    if (ARRAY_EGROW(err, g->nodes, g->capnodes, g->nnodes + 1) != 0)
        return 0;
    graph_node *nd = &g->nodes[g->nnodes];
    memset(nd, 0, sizeof *nd);
    if (!(nd->label = clean_dup(label)) || copy_values(values, g->nn, &nd->values) != 0) {
        free(nd->label);
        return ps_err_nomem(err), 0;
    }
    if (is_date(date)) {
        memcpy(nd->date, date, 11);
        g->dated = 1;
    }
    return ++g->nnodes;
}

int graph_add_edge(graph *g, size_t from, size_t to, double weight, const char *const *values, ps_err *err)
{
    if (err->code != PS_OK)
        return -1;
    if (from == 0 || to == 0 || from > g->nnodes || to > g->nnodes)
        return ps_err_set(err, PS_USAGE, "graph: an edge between nodes %zu and %zu, not in the graph", from, to), -1;
    if (ARRAY_EGROW(err, g->edges, g->capedges, g->nedges + 1) != 0)
        return -1;
    graph_edge *e = &g->edges[g->nedges];
    *e = (graph_edge){ .from = from, .to = to, .weight = weight };
    if (copy_values(values, g->ne, &e->values) != 0)
        return ps_err_nomem(err), -1;
    g->nedges++;
    return 0;
}

/* Append s (already clean) XML-escaped. */
static int put_xml(buf *b, const char *s)
{
    int rc = 0;
    for (; *s && rc == 0; s++) {
        switch (*s) {
        case '&': rc = buf_puts(b, "&amp;"); break;
        case '<': rc = buf_puts(b, "&lt;"); break;
        case '>': rc = buf_puts(b, "&gt;"); break;
        case '"': rc = buf_puts(b, "&quot;"); break;
        case '\'': rc = buf_puts(b, "&apos;"); break;
        default: rc = buf_putc(b, *s); break;
        }
    }
    return rc;
}

/* Append a cleaned, XML-escaped copy of s (raw text from the caller). */
static int put_xml_raw(buf *b, const char *s)
{
    char *c = clean_dup(s);
    int rc = c ? put_xml(b, c) : -1;
    free(c);
    return rc;
}

/* Append weight w: an integer without decimals, else 17 significant digits. */
static int put_weight(buf *b, double w)
{
    if (isfinite(w) && w == floor(w) && fabs(w) < 1e15)
        return buf_printf(b, "%.0f", w);
    return buf_printf(b, "%.17g", isfinite(w) ? w : 0.0);
}

/* GraphML's and GEXF's name of type t. */
static const char *type_name(enum graph_type t, int gexf)
{
    switch (t) {
    case GRAPH_INT: return "long";
    case GRAPH_DOUBLE: return "double";
    case GRAPH_STRING: break;
    }
    (void)gexf;
    return "string";
}

/* What an attribute walk writes of attribute a of class cls ("node" or
 * "edge"): its declaration (value NULL) or its value.  Returns 0, or -1
 * out of memory. */
typedef int (*attr_put)(buf *b, const char *cls, const graph_attr *a, const char *value);

/* put(b, cls, &a[i], v[i]) for each attribute of a[0..n): every one with
 * NULL when v is NULL (the declarations), else those with a value. */
static int attr_walk(buf *b, const char *cls, const graph_attr *a, size_t n, char *const *v, attr_put put)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if (!v || v[i])
            rc |= put(b, cls, &a[i], v ? v[i] : NULL);
    return rc;
}

/* attr_put: a GraphML <key> ("n_" or "e_" before the name, by class). */
static int graphml_key(buf *b, const char *cls, const graph_attr *a, const char *value)
{
    (void)value;
    return buf_printf(b, "  <key id=\"%c_%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n", cls[0], a->name, cls,
                      a->name, type_name(a->type, 0));
}

/* attr_put: a GraphML <data> value. */
static int graphml_data(buf *b, const char *cls, const graph_attr *a, const char *value)
{
    return buf_printf(b, "      <data key=\"%c_%s\">", cls[0], a->name) | put_xml(b, value) | buf_puts(b, "</data>\n");
}

/* attr_put: a GEXF <attribute>. */
static int gexf_attr(buf *b, const char *cls, const graph_attr *a, const char *value)
{
    (void)cls, (void)value;
    return buf_printf(b, "      <attribute id=\"%s\" title=\"%s\" type=\"%s\"/>\n", a->name, a->name,
                      type_name(a->type, 1));
}

/* attr_put: a GEXF <attvalue>. */
static int gexf_value(buf *b, const char *cls, const graph_attr *a, const char *value)
{
    (void)cls;
    return buf_printf(b, "          <attvalue for=\"%s\" value=\"", a->name) | put_xml(b, value) | buf_puts(b, "\"/>\n");
}

/* GraphML 1.0: keys, then the graph. */
static int write_graphml(const graph *g, const char *title, buf *b)
{
    int rc = buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
                         "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
                         "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
                         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    if (title)
        rc |= buf_puts(b, "  <desc>") | put_xml_raw(b, title) | buf_puts(b, "</desc>\n");
    rc |= buf_puts(b, "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n");
    rc |= buf_puts(b, "  <key id=\"date\" for=\"node\" attr.name=\"date\" attr.type=\"string\"/>\n");
    rc |= attr_walk(b, "node", g->nattrs, g->nn, NULL, graphml_key);
    rc |= buf_puts(b, "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n");
    rc |= attr_walk(b, "edge", g->eattrs, g->ne, NULL, graphml_key);
    rc |= buf_printf(b, "  <graph id=\"G\" edgedefault=\"%s\">\n", g->directed ? "directed" : "undirected");
    for (size_t i = 0; i < g->nnodes && rc == 0; i++) {
        const graph_node *nd = &g->nodes[i];
        rc |= buf_printf(b, "    <node id=\"n%zu\">\n      <data key=\"label\">", i + 1) | put_xml(b, nd->label) |
              buf_puts(b, "</data>\n");
        if (nd->date[0])
            rc |= buf_printf(b, "      <data key=\"date\">%s</data>\n", nd->date);
        rc |= attr_walk(b, "node", g->nattrs, g->nn, nd->values, graphml_data) | buf_puts(b, "    </node>\n");
    }
    for (size_t i = 0; i < g->nedges && rc == 0; i++) {
        const graph_edge *e = &g->edges[i];
        rc |= buf_printf(b, "    <edge id=\"e%zu\" source=\"n%zu\" target=\"n%zu\">\n      <data key=\"weight\">", i + 1,
                         e->from, e->to) | put_weight(b, e->weight) | buf_puts(b, "</data>\n");
        rc |= attr_walk(b, "edge", g->eattrs, g->ne, e->values, graphml_data) | buf_puts(b, "    </edge>\n");
    }
    return rc | buf_puts(b, "  </graph>\n</graphml>\n");
}

/* GEXF 1.3's <attributes> of one class. */
static int gexf_attrs(buf *b, const char *cls, const graph_attr *a, size_t n, int with_date)
{
    if (n == 0 && !with_date)
        return 0;
    int rc = buf_printf(b, "    <attributes class=\"%s\" mode=\"static\">\n", cls);
    if (with_date)
        rc |= buf_puts(b, "      <attribute id=\"date\" title=\"date\" type=\"string\"/>\n");
    rc |= attr_walk(b, cls, a, n, NULL, gexf_attr);
    return rc | buf_puts(b, "    </attributes>\n");
}

/* GEXF 1.3's <attvalues> of one element (date first when given). */
static int gexf_values(buf *b, const graph_attr *a, size_t n, char *const *v, const char *date)
{
    int any = date && *date;
    for (size_t i = 0; i < n && !any; i++)
        any = v[i] != NULL;
    if (!any)
        return 0;
    int rc = buf_puts(b, "        <attvalues>\n");
    if (date && *date)
        rc |= buf_printf(b, "          <attvalue for=\"date\" value=\"%s\"/>\n", date);
    rc |= attr_walk(b, NULL, a, n, v, gexf_value);
    return rc | buf_puts(b, "        </attvalues>\n");
}

/* GEXF 1.3: dynamic with timeformat date when a node has a date. */
static int write_gexf(const graph *g, const char *title, buf *b)
{
    int rc = buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<gexf xmlns=\"http://gexf.net/1.3\"\n"
                         "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
                         "    xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\"\n"
                         "    version=\"1.3\">\n"
                         "  <meta>\n    <creator>polsearch</creator>\n");
    if (title)
        rc |= buf_puts(b, "    <description>") | put_xml_raw(b, title) | buf_puts(b, "</description>\n");
    rc |= buf_puts(b, "  </meta>\n");
    rc |= buf_printf(b, "  <graph defaultedgetype=\"%s\"%s>\n", g->directed ? "directed" : "undirected",
                     g->dated ? " mode=\"dynamic\" timeformat=\"date\"" : " mode=\"static\"");
    rc |= gexf_attrs(b, "node", g->nattrs, g->nn, g->dated) | gexf_attrs(b, "edge", g->eattrs, g->ne, 0);
    rc |= buf_puts(b, "    <nodes>\n");
    for (size_t i = 0; i < g->nnodes && rc == 0; i++) {
        const graph_node *nd = &g->nodes[i];
        rc |= buf_printf(b, "      <node id=\"n%zu\" label=\"", i + 1) | put_xml(b, nd->label) | buf_putc(b, '"');
        if (nd->date[0])
            rc |= buf_printf(b, " start=\"%s\"", nd->date);
        rc |= buf_puts(b, ">\n") | gexf_values(b, g->nattrs, g->nn, nd->values, nd->date) |
              buf_puts(b, "      </node>\n");
    }
    rc |= buf_puts(b, "    </nodes>\n    <edges>\n");
    for (size_t i = 0; i < g->nedges && rc == 0; i++) {
        const graph_edge *e = &g->edges[i];
        rc |= buf_printf(b, "      <edge id=\"e%zu\" source=\"n%zu\" target=\"n%zu\" weight=\"", i + 1, e->from, e->to) |
              put_weight(b, e->weight) | buf_puts(b, "\">\n") | gexf_values(b, g->eattrs, g->ne, e->values, NULL) |
              buf_puts(b, "      </edge>\n");
    }
    return rc | buf_puts(b, "    </edges>\n  </graph>\n</gexf>\n");
}

/* Append label s for Pajek: '"' as '\'', '\\' as '/'. */
static int put_pajek_label(buf *b, const char *s)
{
    int rc = 0;
    for (; *s && rc == 0; s++)
        rc = buf_putc(b, *s == '"' ? '\'' : *s == '\\' ? '/' : *s);
    return rc;
}

/* qsort order of node numbers by label, then number. */
static int by_label(const void *a, const void *b, void *ctx)
{
    const graph *g = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int d = strcmp(g->nodes[x].label, g->nodes[y].label);
    return d ? d : (x > y) - (x < y);
}

/* Pajek: *Network, *Vertices N, a line per node, then *Edges or *Arcs. */
static int write_pajek(const graph *g, const char *title, buf *b)
{
    /* dup[i]: node i's label is empty or repeats an earlier node's. */
    unsigned char *dup = calloc(g->nnodes + 1, 1);
    size_t *order = malloc((g->nnodes + 1) * sizeof *order);
    if (!dup || !order) {
        free(dup);
        free(order);
        return -1;
    }
    for (size_t i = 0; i < g->nnodes; i++)
        order[i] = i;
    qsort_r(order, g->nnodes, sizeof *order, by_label, (void *)g);
    for (size_t i = 0; i < g->nnodes; i++)
        dup[order[i]] = !g->nodes[order[i]].label[0] ||
                        (i > 0 && !strcmp(g->nodes[order[i]].label, g->nodes[order[i - 1]].label));
    int rc = 0;
    if (title)
        rc |= buf_puts(b, "*Network ") | put_clean(b, title) | buf_puts(b, "\n");
    rc |= buf_printf(b, "*Vertices %zu\n", g->nnodes);
    for (size_t i = 0; i < g->nnodes && rc == 0; i++) {
        rc |= buf_printf(b, "%zu \"", i + 1) | put_pajek_label(b, g->nodes[i].label);
        if (dup[i])
            rc |= buf_printf(b, "%s[%zu]", g->nodes[i].label[0] ? " " : "", i + 1);
        rc |= buf_puts(b, "\"\n");
    }
    rc |= buf_puts(b, g->directed ? "*Arcs\n" : "*Edges\n");
    for (size_t i = 0; i < g->nedges && rc == 0; i++)
        rc |= buf_printf(b, "%zu %zu ", g->edges[i].from, g->edges[i].to) | put_weight(b, g->edges[i].weight) |
              buf_puts(b, "\n");
    free(dup);
    free(order);
    return rc;
}

int graph_write(const graph *g, enum graph_format fmt, const char *title, buf *out, ps_err *err)
{
    if (err->code != PS_OK)
        return -1;
    int rc = fmt == GRAPH_GRAPHML ? write_graphml(g, title, out)
           : fmt == GRAPH_GEXF    ? write_gexf(g, title, out)
                                  : write_pajek(g, title, out);
    return rc != 0 ? (ps_err_nomem(err), -1) : 0;
}

void graph_free(graph *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nnodes; i++) {
        free(g->nodes[i].label);
        free_values(g->nodes[i].values, g->nn);
    }
    for (size_t i = 0; i < g->nedges; i++)
        free_values(g->edges[i].values, g->ne);
    free(g->nodes);
    free(g->edges);
    free(g);
}
