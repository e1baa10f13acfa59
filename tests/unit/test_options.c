/* test_options.c — unit tests for the option tables (options.h): the usage
 * they generate, the one wording of option errors, -d and $POLSEARCH_INDEX. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "options.h"

/* ---- a command with one option of each kind ------------------------------- */

enum { STYLE_PLAIN, STYLE_JSON, STYLE_TSV };

/* Where the test command's options go. */
typedef struct test_opts {
    const char   *dir;               /* -d (one index) */
    ps_index_list indexes;           /* -d (several indexes) */
    int           quiet;             /* -q */
    int           style;             /* --json / --tsv */
    const char   *name;              /* --name */
    long long     count;             /* -n */
    int           by;                /* --by */
    int           color;             /* --color */
    int           calls;             /* times --call ran */
    const char   *call_arg;          /* its last value (NULL: none given) */
} test_opts;

static const char *const by_names[] = { "file", "issuer", "year", NULL };

/* --call[=X]: count the calls and keep the value. */
static int on_call(const ps_option *opt, const char *name, const char *arg, ps_err *err)
{
    test_opts *t = opt->value;
    (void)name;
    (void)err;
    t->calls++;
    t->call_arg = arg;
    return 0;
}

/* The table: one index (multi = 0) or several (multi = 1).  opts has room
 * for 12 entries. */
static void fill_table(ps_option *opts, test_opts *t, int multi)
{
    const ps_option table[] = {
        PS_INDEX("index (default: $POLSEARCH_INDEX or ./index)", &t->dir),
        PS_FLAG('q', "quiet", "say less", &t->quiet),
        PS_SET_INT(0, "json", "one JSON object per line", &t->style, STYLE_JSON),
        PS_SET_INT(0, "tsv", "tab-separated\nacross two lines", &t->style, STYLE_TSV),
        PS_STRING(0, "name", "TEXT", "a name", &t->name),
        PS_COUNT('n', NULL, "N", "at most N", &t->count, 1, 100, "a number from 1 to 100"),
        PS_CHOICE(0, "by", "WHAT", "file, issuer or year", &t->by, by_names, 1),
        PS_COLOR("color", "auto, always or never", &t->color),
        PS_COLOR("colour", NULL, &t->color),
        { .kind = PS_OPT_CALLBACK, .long_name = "call", .argh = "X", .flags = PS_OPT_OPTARG,
          .help = "run the callback", .value = t, .fn = on_call },
        PS_END
    };
    memcpy(opts, table, sizeof table);
    if (multi)
        opts[0] = (ps_option)PS_INDEXES("indexes (repeatable)", &t->indexes);
}

/* Parse the NULL-terminated words after "t" with the test command.
 * Returns the ps_parse_result; *first and err as ps_parse_options sets them. */
static int parse(test_opts *t, int multi, int flags, ps_err *err, int *first, ...)
{
    ps_option opts[12];
    memset(t, 0, sizeof *t);
    fill_table(opts, t, multi);
    const ps_command cmd = { "t", "[OPTIONS]", "A test command.\n", "Example: t -q\n", flags, opts };
    char *argv[32] = { (char *)"t" };
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *w; argc < 31 && (w = va_arg(ap, const char *)); )
        argv[argc++] = (char *)w;
    va_end(ap);
    ps_err_clear(err);
    return ps_parse_options(&cmd, argc, argv, first, err);
}

/* ---- usage --------------------------------------------------------------- */

static void test_usage_lists_every_option(void **state)
{
    (void)state;
    test_opts t;
    ps_option opts[12];
    memset(&t, 0, sizeof t);
    fill_table(opts, &t, 0);
    const ps_command cmd = { "t", "[OPTIONS]", "A test command.\n", "Example: t -q\n", 0, opts };
    buf out = BUF_INIT;
    assert_int_equal(ps_usage_text(&cmd, &out), 0);
    assert_non_null(out.data);
    assert_non_null(strstr(out.data, "usage: polsearch t [OPTIONS]\n\nA test command.\n\n"));
    size_t visible = 0;
    for (const ps_option *o = opts; o->kind != PS_OPT_END; o++) {
        char want[128];
        if (!o->help) {                       /* a hidden alias is not listed */
            snprintf(want, sizeof want, "--%s ", o->long_name);
            assert_null(strstr(out.data, want));
            continue;
        }
        visible++;
        if (o->long_name) {
            snprintf(want, sizeof want, "--%s", o->long_name);
            assert_non_null(strstr(out.data, want));
        }
        if (o->short_name) {
            snprintf(want, sizeof want, "  -%c", o->short_name);
            assert_non_null(strstr(out.data, want));
        }
        const char *nl = strchr(o->help, '\n');
        snprintf(want, sizeof want, "%.*s", (int)(nl ? (size_t)(nl - o->help) : strlen(o->help)), o->help);
        assert_non_null(strstr(out.data, want));
    }
    assert_int_equal(visible, 9);
    /* The forms of the left column, the help at one column, continuation lines under it. */
    assert_non_null(strstr(out.data, "\n  -d, --index DIR   index (default"));
    assert_non_null(strstr(out.data, "\n  -n N              at most N\n"));
    assert_non_null(strstr(out.data, "\n      --call[=X]    run the callback\n"));
    assert_non_null(strstr(out.data, "\n      --tsv         tab-separated\n"
                                     "                    across two lines\n"));
    size_t n = strlen(out.data);
    assert_true(n > 15 && !strcmp(out.data + n - 15, "\nExample: t -q\n"));
    buf_free(&out);
}

/* ---- values ----------------------------------------------------------------- */

static void test_values_go_where_declared(void **state)
{
    (void)state;
    test_opts t;
    ps_err err;
    int first = -1;
    assert_int_equal(parse(&t, 0, 0, &err, &first, "-q", "--tsv", "--name", "x", "-n", "7", "--by=year",
                           "--color=always", "--call", "a", "--call=z", "b", (char *)NULL), PS_PARSE_OK);
    assert_int_equal(t.quiet, 1);
    assert_int_equal(t.style, STYLE_TSV);
    assert_string_equal(t.name, "x");
    assert_int_equal(t.count, 7);
    assert_int_equal(t.by, 3);                /* first (1) + position of "year" */
    assert_int_equal(t.color, 1);
    assert_int_equal(t.calls, 2);
    assert_string_equal(t.call_arg, "z");
    assert_int_equal(first, 11);              /* operands permuted to the end: a b */
    assert_int_equal(parse(&t, 0, 0, &err, &first, "--colour=never", (char *)NULL), PS_PARSE_OK);
    assert_int_equal(t.color, 0);
    assert_int_equal(parse(&t, 0, 0, &err, &first, "-h", (char *)NULL), PS_PARSE_HELP);
    assert_int_equal(parse(&t, 0, 0, &err, &first, "--help", (char *)NULL), PS_PARSE_HELP);
}

/* ---- one wording for option errors ------------------------------------------ */

static void test_error_wording(void **state)
{
    (void)state;
    test_opts t;
    ps_err err;
    int first;
    assert_int_equal(parse(&t, 0, 0, &err, &first, "--name", (char *)NULL), PS_PARSE_ERROR);
    assert_int_equal(err.code, PS_USAGE);
    assert_string_equal(err.msg, "option '--name' needs a value; see 'polsearch t --help'");
    assert_int_equal(parse(&t, 0, 0, &err, &first, "-q", "-n", (char *)NULL), PS_PARSE_ERROR);
    assert_string_equal(err.msg, "option '-n' needs a value; see 'polsearch t --help'");
    assert_int_equal(parse(&t, 0, 0, &err, &first, "--bogus", (char *)NULL), PS_PARSE_ERROR);
    assert_int_equal(err.code, PS_USAGE);
    assert_string_equal(err.msg, "unknown option '--bogus'; see 'polsearch t --help'");
    assert_int_equal(parse(&t, 0, 0, &err, &first, "-x", (char *)NULL), PS_PARSE_ERROR);
    assert_string_equal(err.msg, "unknown option '-x'; see 'polsearch t --help'");
    assert_int_equal(parse(&t, 0, 0, &err, &first, "-n", "0", (char *)NULL), PS_PARSE_ERROR);
    assert_string_equal(err.msg, "-n: '0' is not a number from 1 to 100");
    assert_int_equal(parse(&t, 0, 0, &err, &first, "-n", "12x", (char *)NULL), PS_PARSE_ERROR);
    assert_string_equal(err.msg, "-n: '12x' is not a number from 1 to 100");
    assert_int_equal(parse(&t, 0, 0, &err, &first, "--by", "day", (char *)NULL), PS_PARSE_ERROR);
    assert_string_equal(err.msg, "--by: 'day' is not file, issuer or year");
    assert_int_equal(parse(&t, 0, 0, &err, &first, "--colour", "pink", (char *)NULL), PS_PARSE_ERROR);
    assert_string_equal(err.msg, "--colour: 'pink' is not auto, always or never");
    assert_int_equal(parse(&t, 0, PS_CMD_NO_OPERANDS, &err, &first, "-q", "extra", (char *)NULL), PS_PARSE_ERROR);
    assert_string_equal(err.msg, "t takes no arguments ('extra'); see 'polsearch t --help'");
    assert_int_equal(parse(&t, 0, PS_CMD_NO_OPERANDS, &err, &first, "-q", (char *)NULL), PS_PARSE_OK);
}

/* ---- -d and $POLSEARCH_INDEX -------------------------------------------------- */

/* The indexes t's parse left, joined by '|' (a static buffer); frees the list. */
static const char *joined_indexes(test_opts *t)
{
    static char out[256];
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < t->indexes.n && len < sizeof out; i++)
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", i ? "|" : "", t->indexes.dirs[i]);
    ps_index_list_free(&t->indexes);
    assert_null(t->indexes.dirs);
    assert_int_equal(t->indexes.n, 0);
    return out;
}

static void test_several_indexes(void **state)
{
    (void)state;
    test_opts t;
    ps_err err;
    int first;
    unsetenv("POLSEARCH_INDEX");
    assert_int_equal(parse(&t, 1, 0, &err, &first, (char *)NULL), PS_PARSE_OK);
    assert_string_equal(joined_indexes(&t), "index");
    /* Split on ':', a tcp:// address keeps its colon, empty pieces are left out. */
    setenv("POLSEARCH_INDEX", "a::tcp://h:7878:b:", 1);
    assert_int_equal(parse(&t, 1, 0, &err, &first, (char *)NULL), PS_PARSE_OK);
    assert_string_equal(joined_indexes(&t), "a|tcp://h:7878|b");
    /* -d, repeated, replaces the variable. */
    assert_int_equal(parse(&t, 1, 0, &err, &first, "-d", "x", "--index=y", (char *)NULL), PS_PARSE_OK);
    assert_string_equal(joined_indexes(&t), "x|y");
    setenv("POLSEARCH_INDEX", "", 1);
    assert_int_equal(parse(&t, 1, 0, &err, &first, (char *)NULL), PS_PARSE_OK);
    assert_string_equal(joined_indexes(&t), "index");
    setenv("POLSEARCH_INDEX", ":", 1);
    assert_int_equal(parse(&t, 1, 0, &err, &first, (char *)NULL), PS_PARSE_OK);
    assert_string_equal(joined_indexes(&t), "index");
    unsetenv("POLSEARCH_INDEX");
}

static void test_one_index(void **state)
{
    (void)state;
    test_opts t;
    ps_err err;
    int first;
    unsetenv("POLSEARCH_INDEX");
    assert_int_equal(parse(&t, 0, 0, &err, &first, (char *)NULL), PS_PARSE_OK);
    assert_string_equal(t.dir, "index");

    setenv("POLSEARCH_INDEX", "/srv/policy-index", 1);
    assert_int_equal(parse(&t, 0, 0, &err, &first, (char *)NULL), PS_PARSE_OK);
    assert_string_equal(t.dir, "/srv/policy-index");
    assert_int_equal(parse(&t, 0, 0, &err, &first, "-d", "mine", (char *)NULL), PS_PARSE_OK);
    assert_string_equal(t.dir, "mine");
    assert_int_equal(parse(&t, 0, 0, &err, &first, "-d", "", (char *)NULL), PS_PARSE_OK);
    assert_string_equal(t.dir, "/srv/policy-index");   /* an empty -d counts as none */

    /* A list is refused, with the one message... */
    setenv("POLSEARCH_INDEX", "/no/such/a:/no/such/b", 1);
    assert_int_equal(parse(&t, 0, 0, &err, &first, (char *)NULL), PS_PARSE_ERROR);
    assert_int_equal(err.code, PS_USAGE);
    assert_string_equal(err.msg, "$POLSEARCH_INDEX names several indexes ('/no/such/a:/no/such/b'); "
                                 "'polsearch t' works on one: choose it with -d INDEX");
    /* ... unless -d names the index ... */
    assert_int_equal(parse(&t, 0, 0, &err, &first, "-d", "a:b", (char *)NULL), PS_PARSE_OK);
    assert_string_equal(t.dir, "a:b");
    /* ... or the value is a directory whose name holds ':'. */
    char dir[] = "/tmp/test_options.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char colon[64];
    snprintf(colon, sizeof colon, "%s/x:y", dir);
    assert_int_equal(mkdir(colon, 0700), 0);
    setenv("POLSEARCH_INDEX", colon, 1);
    assert_int_equal(parse(&t, 0, 0, &err, &first, (char *)NULL), PS_PARSE_OK);
    assert_string_equal(t.dir, colon);
    rmdir(colon);
    rmdir(dir);
    unsetenv("POLSEARCH_INDEX");
}

static void test_parse_count(void **state)
{
    (void)state;
    assert_int_equal(ps_parse_count("0", 10), 0);
    assert_int_equal(ps_parse_count("10", 10), 10);
    assert_int_equal(ps_parse_count("11", 10), -1);
    assert_int_equal(ps_parse_count("-1", 10), -1);
    assert_int_equal(ps_parse_count("+1", 10), -1);
    assert_int_equal(ps_parse_count("", 10), -1);
    assert_int_equal(ps_parse_count(NULL, 10), -1);
    assert_int_equal(ps_parse_count("99999999999999999999", 10), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage_lists_every_option),
        cmocka_unit_test(test_values_go_where_declared),
        cmocka_unit_test(test_error_wording),
        cmocka_unit_test(test_several_indexes),
        cmocka_unit_test(test_one_index),
        cmocka_unit_test(test_parse_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
