/* test_graph.c — the graph writer (graph.c): hostile labels and values
 * escaped or cleaned in GraphML, GEXF and Pajek, dates on GEXF's timeline,
 * Pajek's quotes and repeated labels, weights, order, bad input.
 * (tests/cli/cooc.sh validates real outputs against the schemas.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "graph.h"

static const graph_attr nattrs[] = { { "issuer", GRAPH_STRING }, { "count", GRAPH_INT } };
static const graph_attr eattrs[] = { { "pmi_log2", GRAPH_DOUBLE } };

/* A graph of three nodes, one with a hostile label, two edges. */
static graph *sample(int directed)
{
    ps_err err = PS_ERR_INIT;
    graph *g = graph_new(directed, nattrs, 2, eattrs, 1, &err);
    assert_non_null(g);
    const char *v1[] = { "市<科>&\"局\"", "3" };
    const char *v2[] = { NULL, "5" };
    assert_int_equal(graph_add_node(g, "a<b>&c\"d'e\x01\x7f\tf\\g", "2024-07-16", v1, &err), 1);
    assert_int_equal(graph_add_node(g, "专精特新", NULL, v2, &err), 2);
    assert_int_equal(graph_add_node(g, "专精特新", "2024-7", NULL, &err), 3);
    const char *e1[] = { "1.500000" };
    assert_int_equal(graph_add_edge(g, 1, 2, 3, e1, &err), 0);
    assert_int_equal(graph_add_edge(g, 2, 3, 0.25, NULL, &err), 0);
    assert_int_equal(err.code, PS_OK);
    return g;
}

/* g written as fmt, as a malloc'd string. */
static char *written(graph *g, enum graph_format fmt, const char *title)
{
    buf b = BUF_INIT;
    ps_err err = PS_ERR_INIT;
    assert_int_equal(graph_write(g, fmt, title, &b, &err), 0);
    return buf_detach(&b);
}

static void test_graphml(void **state)
{
    (void)state;
    graph *g = sample(0);
    char *s = written(g, GRAPH_GRAPHML, "t<&>");
    assert_non_null(strstr(s, "<desc>t&lt;&amp;&gt;</desc>"));
    assert_non_null(strstr(s, "edgedefault=\"undirected\""));
    assert_non_null(strstr(s, "<data key=\"label\">a&lt;b&gt;&amp;c&quot;d&apos;e f\\g</data>"));
    assert_non_null(strstr(s, "<data key=\"n_issuer\">市&lt;科&gt;&amp;&quot;局&quot;</data>"));
    assert_non_null(strstr(s, "attr.name=\"count\" attr.type=\"long\""));
    assert_non_null(strstr(s, "<data key=\"date\">2024-07-16</data>"));
    assert_null(strstr(s, "2024-7<"));         /* not a date: left out */
    assert_null(strstr(s, "\x01"));
    assert_null(strstr(s, "\x7f"));
    assert_non_null(strstr(s, "<edge id=\"e1\" source=\"n1\" target=\"n2\">\n      <data key=\"weight\">3</data>"));
    assert_non_null(strstr(s, "<data key=\"weight\">0.25</data>"));
    assert_true(strstr(s, "id=\"n1\"") < strstr(s, "id=\"n2\"") && strstr(s, "id=\"n2\"") < strstr(s, "id=\"n3\""));
    char *again = written(g, GRAPH_GRAPHML, "t<&>");
    assert_string_equal(s, again);              /* deterministic */
    free(again);
    free(s);
    graph_free(g);
}

static void test_gexf(void **state)
{
    (void)state;
    graph *g = sample(1);
    char *s = written(g, GRAPH_GEXF, NULL);
    assert_non_null(strstr(s, "version=\"1.3\""));
    assert_non_null(strstr(s, "defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\""));
    assert_non_null(strstr(s, "<node id=\"n1\" label=\"a&lt;b&gt;&amp;c&quot;d&apos;e f\\g\" start=\"2024-07-16\">"));
    assert_non_null(strstr(s, "<attvalue for=\"issuer\" value=\"市&lt;科&gt;&amp;&quot;局&quot;\"/>"));
    assert_non_null(strstr(s, "<attribute id=\"date\" title=\"date\" type=\"string\"/>"));
    assert_non_null(strstr(s, "<node id=\"n3\" label=\"专精特新\">"));
    assert_non_null(strstr(s, "<edge id=\"e2\" source=\"n2\" target=\"n3\" weight=\"0.25\">"));
    assert_null(strstr(s, "<description>"));
    free(s);
    graph_free(g);
    /* Without dates the graph is static. */
    ps_err err = PS_ERR_INIT;
    g = graph_new(0, NULL, 0, NULL, 0, &err);
    assert_int_equal(graph_add_node(g, "x", NULL, NULL, &err), 1);
    s = written(g, GRAPH_GEXF, NULL);
    assert_non_null(strstr(s, "mode=\"static\""));
    assert_null(strstr(s, "timeformat"));
    free(s);
    graph_free(g);
}

static void test_pajek(void **state)
{
    (void)state;
    graph *g = sample(0);
    char *s = written(g, GRAPH_PAJEK, "net\nname");
    assert_string_equal(s, "*Network net name\n"
                           "*Vertices 3\n"
                           "1 \"a<b>&c'd'e f/g\"\n"
                           "2 \"专精特新\"\n"
                           "3 \"专精特新 [3]\"\n"
                           "*Edges\n"
                           "1 2 3\n"
                           "2 3 0.25\n");
    free(s);
    graph_free(g);
    g = sample(1);
    s = written(g, GRAPH_PAJEK, NULL);
    assert_non_null(strstr(s, "*Arcs\n1 2 3\n"));
    assert_int_equal(strncmp(s, "*Vertices 3\n", 12), 0);
    free(s);
    graph_free(g);
    /* An empty label gets its number. */
    ps_err err = PS_ERR_INIT;
    g = graph_new(0, NULL, 0, NULL, 0, &err);
    assert_int_equal(graph_add_node(g, "", NULL, NULL, &err), 1);
    s = written(g, GRAPH_PAJEK, NULL);
    assert_string_equal(s, "*Vertices 1\n1 \"[1]\"\n*Edges\n");
    free(s);
    graph_free(g);
}

static void test_bad_input(void **state)
{
    (void)state;
    ps_err err = PS_ERR_INIT;
    static const graph_attr bad[] = { { "has space", GRAPH_STRING } };
    assert_null(graph_new(0, bad, 1, NULL, 0, &err));
    assert_int_equal(err.code, PS_USAGE);
    static const graph_attr taken[] = { { "weight", GRAPH_DOUBLE } };
    err = (ps_err)PS_ERR_INIT;
    assert_null(graph_new(0, NULL, 0, taken, 1, &err));
    err = (ps_err)PS_ERR_INIT;
    graph *g = graph_new(0, NULL, 0, NULL, 0, &err);
    assert_int_equal(graph_add_node(g, "a", NULL, NULL, &err), 1);
    assert_int_equal(graph_add_edge(g, 1, 2, 1, NULL, &err), -1);
    assert_int_equal(err.code, PS_USAGE);
    assert_int_equal(graph_add_node(g, "b", NULL, NULL, &err), 0);   /* nothing once err holds an error */
    graph_free(g);
    graph_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graphml),
        cmocka_unit_test(test_gexf),
        cmocka_unit_test(test_pajek),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
