/* graph.h — one writer for a weighted, attributed graph, in the formats
 * network tools read: GraphML 1.0 (yEd, Cytoscape, networkx, igraph),
 * GEXF 1.3 (Gephi) and Pajek .net (Pajek, CiteSpace, UCINET, VOSviewer).
 *
 * A graph is built once (nodes, then edges between them) and written in
 * any of the formats; the output follows the order of insertion, so the
 * caller decides it and the bytes are deterministic.  Nodes are numbered
 * from 1 in insertion order: "n1", "n2", … in GraphML and GEXF, 1, 2, …
 * in Pajek; edges "e1", "e2", ….
 *
 * Attributes are declared once per graph with a name (an XML NMTOKEN:
 * letters, digits, '_', '-', '.') and a type; a node or edge gives each a
 * value as text (NULL: none, the attribute is left out of that element).
 * A node may have a date (YYYY-MM-DD): in GEXF the graph is then
 * "dynamic" with timeformat "date" and the node starts at that date, so
 * Gephi's timeline can slice by it.
 *
 * All text is made safe for the format: invalid UTF-8 bytes and control
 * characters (C0 but tab, CR and LF, which become spaces; DEL; C1) are
 * removed, and XML's five special characters escaped.  Pajek has no
 * escape: a label is written in double quotes, a '"' in it becomes '\'' and
 * a '\\' becomes '/' (networkx reads labels with shlex), and a label that
 * is empty or repeats an earlier one gets " [ID]" (ID its node number)
 * after it, because Pajek readers key nodes by label.
 *
 * Library code: nothing here prints; errors come back in a ps_err. */
#ifndef POLSEARCH_GRAPH_H
#define POLSEARCH_GRAPH_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

enum graph_type {
    GRAPH_STRING,                    /* text */
    GRAPH_INT,                       /* a decimal integer (GraphML long, GEXF long) */
    GRAPH_DOUBLE                     /* a decimal number (GraphML and GEXF double) */
};

enum graph_format {
    GRAPH_GRAPHML,                   /* GraphML 1.0 */
    GRAPH_GEXF,                      /* GEXF 1.3 */
    GRAPH_PAJEK                      /* Pajek .net: *Vertices, then *Edges or *Arcs */
};

/* One attribute declaration. */
typedef struct graph_attr {
    const char     *name;            /* its name, an NMTOKEN ("issuer") */
    enum graph_type type;            /* its values' type */
} graph_attr;

typedef struct graph graph;          /* a graph being built (opaque) */

/* A new empty graph, directed or not, with nattrs node attributes and
 * eattrs edge attributes (the arrays must outlive the graph).  Returns it,
 * or NULL with PS_NOMEM, or PS_USAGE for a name that is not an NMTOKEN. */
graph *graph_new(int directed, const graph_attr *nattrs, size_t nn, const graph_attr *eattrs, size_t ne,
                 ps_err *err);

/* Add a node labelled label, with date (YYYY-MM-DD, or NULL / "" for none;
 * anything else is not used as a date) and values[0..nn) (NULL values
 * for none; values itself may be NULL when nn is 0), copied.  Returns its
 * number (1-based), or 0 with PS_NOMEM in *err; nothing once *err holds
 * an error. */
size_t graph_add_node(graph *g, const char *label, const char *date, const char *const *values, ps_err *err);

/* Add an edge from node from to node to (numbers graph_add_node gave)
 * with weight and values[0..ne), copied.  Returns 0, or -1 with PS_NOMEM,
 * or PS_USAGE for a node number not in the graph. */
int graph_add_edge(graph *g, size_t from, size_t to, double weight, const char *const *values, ps_err *err);

/* Append the graph in format fmt to out; title (or NULL) goes into the
 * GraphML <desc> and the GEXF <description>, and a Pajek "*Network"
 * line.  Returns 0, or -1 with PS_NOMEM. */
int graph_write(const graph *g, enum graph_format fmt, const char *title, buf *out, ps_err *err);

/* Free the graph (NULL is fine). */
void graph_free(graph *g);

#endif
