/* options.c — option tables to getopt_long, usage text and shared handling (options.h). */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VAL_BASE 256                 /* getopt_long's val for table entry i is VAL_BASE + i */
#define MIN_COLUMN 20                /* help texts start at this column at least */

/* The one wording of each option error (options.h lists them): NAME, CMD. */
#define MSG_NEEDS_VALUE "option '%s' needs a value; see 'polsearch %s --help'"
#define MSG_UNKNOWN     "unknown option '%s'; see 'polsearch %s --help'"

static const char *const color_choices[] = { "auto", "always", "never", NULL };

long long ps_parse_count(const char *s, long long max)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    return v;
}

int ps_opt_bad_value(ps_err *err, const char *name, const char *arg, const char *what)
{
    ps_err_set(err, PS_USAGE, "%s: '%s' is not %s", name, arg, what);
    return -1;
}

int ps_opt_fraction(const char *name, const char *arg, double *out, ps_err *err)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno || !(v >= 0.0 && v <= 1.0))
        return ps_opt_bad_value(err, name, arg, "a similarity from 0 to 1");
    *out = v;
    return 0;
}

int ps_opt_count(const ps_option *opt, const char *name, const char *arg, long long *out, ps_err *err)
{
    long long v = ps_parse_count(arg, opt->max);
    if (v < 0 || v < opt->min)
        return ps_opt_bad_value(err, name, arg, opt->what);
    *out = v;
    return 0;
}

/* --- indexes --------------------------------------------------------------- */

/* Append dir to list.  Returns 0, or -1 when out of memory. */
static int push_index(ps_index_list *list, const char *dir)
{
    if (ARRAY_GROW(list->dirs, list->cap, list->n + 1) != 0)
        return -1;
    list->dirs[list->n++] = dir;
    return 0;
}

/* Split s into list as $POLSEARCH_INDEX is split (options.h), appending
 * to what list holds; ./index if the list stays empty.  The list keeps the
 * split copy, so it takes one split only.  Returns 0, or -1 when out of
 * memory or list already holds a split. */
static int ps_index_list_split(ps_index_list *list, const char *s)
{
    char *copy = list->owned ? NULL : strdup(s);
    if (!copy)
        return -1;
    list->owned = copy;
    char *p = copy;
    while (*p) {
        char *end;
        if (!strncmp(p, "tcp://", 6)) {      /* tcp://HOST:PORT keeps its colon */
            char *colon = strchr(p + 6, ':');
            end = colon ? strchr(colon + 1, ':') : NULL;
        } else {
            end = strchr(p, ':');
        }
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (end)
            *end = '\0';
        if (len && push_index(list, p) != 0)
            return -1;
        p += len + (end ? 1 : 0);
    }
    if (list->n == 0)
        return push_index(list, "index");
    return 0;
}

void ps_index_list_free(ps_index_list *list)
{
    free(list->dirs);
    free(list->owned);
    memset(list, 0, sizeof *list);
}

/* The one index of a one-index command when -d gave none: $POLSEARCH_INDEX
 * whole, or ./index.  Returns 0 with *dir set, or -1 with err set. */
static int default_index(const ps_command *cmd, const char **dir, ps_err *err)
{
    const char *env = getenv("POLSEARCH_INDEX");
    if (!env || !*env) {
        *dir = "index";
        return 0;
    }
    ps_index_list list = { .dirs = NULL };
    if (ps_index_list_split(&list, env) != 0) {
        ps_index_list_free(&list);
        ps_err_nomem(err);
        return -1;
    }
    size_t n = list.n;
    ps_index_list_free(&list);
    struct stat st;
    if (n > 1 && !(stat(env, &st) == 0 && S_ISDIR(st.st_mode))) {
        ps_err_set(err, PS_USAGE, "$POLSEARCH_INDEX names several indexes ('%s'); "
                   "'polsearch %s' works on one: choose it with -d INDEX", env, cmd->name);
        return -1;
    }
    *dir = env;
    return 0;
}

/* --- parsing ---------------------------------------------------------------- */

/* Number of entries in a table before its PS_END. */
static size_t table_size(const ps_option *opts)
{
    size_t n = 0;
    while (opts[n].kind != PS_OPT_END)
        n++;
    return n;
}

/* getopt_long's has_arg for opt. */
static int has_arg(const ps_option *opt)
{
    if (!opt->argh)
        return no_argument;
    return opt->flags & PS_OPT_OPTARG ? optional_argument : required_argument;
}

/* getopt_long's arguments for a table of n options, plus -h/--help (val
 * VAL_BASE + n).  Returns 0 with *shorts and *longs malloc'd, or -1. */
static int build_getopt(const ps_option *opts, size_t n, char **shorts, struct option **longs)
{
    *shorts = malloc(3 * n + 3);
    *longs = calloc(n + 2, sizeof **longs);
    if (!*shorts || !*longs) {
        free(*shorts);
        free(*longs);
        return -1;
    }
    char *s = *shorts;
    size_t nl = 0;
    *s++ = ':';                      /* report a missing value as ':' */
    for (size_t i = 0; i < n; i++) {
        int ha = has_arg(&opts[i]);
        if (opts[i].short_name) {
            *s++ = (char)opts[i].short_name;
            if (ha != no_argument)
                *s++ = ':';
            if (ha == optional_argument)
                *s++ = ':';
        }
        if (opts[i].long_name)
            (*longs)[nl++] = (struct option){ opts[i].long_name, ha, NULL, VAL_BASE + (int)i };
    }
    *s++ = 'h';
    *s = '\0';
    (*longs)[nl] = (struct option){ "help", no_argument, NULL, VAL_BASE + (int)n };
    return 0;
}

/* Whether colour suits standard output: a terminal, $NO_COLOR unset or
 * empty, $TERM not "dumb". */
static int color_auto(void)
{
    const char *term = getenv("TERM");
    const char *no_color = getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && !strcmp(term, "dumb"));
}

/* CHOICE and COLOR: find arg among the choices and store what it means, or
 * set err to the bad-value message listing them ("a, b or c").  Returns 0,
 * or -1 with err set. */
static int take_choice(const ps_option *opt, const char *name, const char *arg, ps_err *err)
{
    int color = opt->kind == PS_OPT_COLOR;
    const char *const *choices = color ? color_choices : opt->choices;
    for (int i = 0; choices[i]; i++)
        if (!strcmp(arg, choices[i])) {
            *(int *)opt->value = color ? (i == 0 ? color_auto() : i == 1) : opt->ival + i;
            return 0;
        }
    buf list = BUF_INIT;
    int rc = 0;
    for (int i = 0; choices[i] && rc == 0; i++)
        rc = buf_printf(&list, "%s%s", i == 0 ? "" : choices[i + 1] ? ", " : " or ", choices[i]);
    if (rc != 0)
        ps_err_nomem(err);
    else
        ps_opt_bad_value(err, name, arg, list.data);
    buf_free(&list);
    return -1;
}

/* Take one occurrence of opt, written name, with value arg.  Returns 0,
 * or -1 with err set. */
static int take_option(const ps_option *opt, const char *name, const char *arg, ps_err *err)
{
    switch (opt->kind) {
    case PS_OPT_FLAG:
        *(int *)opt->value = opt->ival;
        return 0;
    case PS_OPT_STRING:
    case PS_OPT_INDEX:
        *(const char **)opt->value = arg;
        return 0;
    case PS_OPT_COUNT:
        return ps_opt_count(opt, name, arg, opt->value, err);
    case PS_OPT_CHOICE:
    case PS_OPT_COLOR:
        return take_choice(opt, name, arg, err);
    case PS_OPT_INDEXES:
        if (push_index(opt->value, arg) != 0)
            return ps_err_nomem(err), -1;
        return 0;
    case PS_OPT_CALLBACK:
        return opt->fn(opt, name, arg, err);
    case PS_OPT_END:
        break;
    }
    return 0;
}

/* Before parsing: what an option not given means (colour: auto). */
static void set_defaults(const ps_option *opts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (opts[i].kind == PS_OPT_COLOR)
            *(int *)opts[i].value = color_auto();
}

/* After parsing: the index when -d gave none.  Returns 0, or -1 with err set. */
static int resolve_indexes(const ps_command *cmd, size_t n, ps_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const ps_option *opt = &cmd->opts[i];
        if (opt->kind == PS_OPT_INDEX) {
            const char **dir = opt->value;
            if ((!*dir || !**dir) && default_index(cmd, dir, err) != 0)
                return -1;
        } else if (opt->kind == PS_OPT_INDEXES) {
            ps_index_list *list = opt->value;
            const char *env = getenv("POLSEARCH_INDEX");
            if (list->n == 0 && ps_index_list_split(list, env ? env : "") != 0)
                return ps_err_nomem(err), -1;
        }
    }
    return 0;
}

/* Run getopt_long over argv with the built arguments.  Returns a
 * ps_parse_result; on PS_PARSE_OK *first is set. */
static int parse_loop(const ps_command *cmd, size_t n, const char *shorts, const struct option *longs,
                      int argc, char **argv, int *first, ps_err *err)
{
    int c, li;
    opterr = 0;
    optind = 1;
    while ((li = -1, c = getopt_long(argc, argv, shorts, longs, &li)) != -1) {
        if (c == 'h' || c == VAL_BASE + (int)n)
            return PS_PARSE_HELP;
        if (c == ':' || c == '?') {
            ps_err_set(err, PS_USAGE, c == ':' ? MSG_NEEDS_VALUE : MSG_UNKNOWN, argv[optind - 1], cmd->name);
            return PS_PARSE_ERROR;
        }
        size_t i = 0;
        if (c >= VAL_BASE)
            i = (size_t)(c - VAL_BASE);
        else
            while (i < n && cmd->opts[i].short_name != c)
                i++;
        char name[128];
        if (li >= 0)
            snprintf(name, sizeof name, "--%s", longs[li].name);
        else
            snprintf(name, sizeof name, "-%c", c);
        if (i >= n)                  /* getopt_long returns only what the table declares */
            return ps_err_set(err, PS_USAGE, MSG_UNKNOWN, name, cmd->name), PS_PARSE_ERROR;
        if (take_option(&cmd->opts[i], name, optarg, err) != 0)
            return PS_PARSE_ERROR;
    }
    if ((cmd->flags & PS_CMD_NO_OPERANDS) && optind < argc) {
        ps_err_set(err, PS_USAGE, "%s takes no arguments ('%s'); see 'polsearch %s --help'",
                   cmd->name, argv[optind], cmd->name);
        return PS_PARSE_ERROR;
    }
    *first = optind;
    return PS_PARSE_OK;
}

int ps_parse_options(const ps_command *cmd, int argc, char **argv, int *first, ps_err *err)
{
    size_t n = table_size(cmd->opts);
    char *shorts;
    struct option *longs;
    if (build_getopt(cmd->opts, n, &shorts, &longs) != 0) {
        ps_err_nomem(err);
        return PS_PARSE_ERROR;
    }
    set_defaults(cmd->opts, n);
    int rc = parse_loop(cmd, n, shorts, longs, argc, argv, first, err);
    if (rc == PS_PARSE_OK && resolve_indexes(cmd, n, err) != 0)
        rc = PS_PARSE_ERROR;
    free(shorts);
    free(longs);
    return rc;
}

/* --- usage -------------------------------------------------------------------- */

/* The left part of opt's usage line ("  -d, --index DIR") into out. */
static int option_left(const ps_option *opt, buf *out)
{
    int rc = buf_puts(out, "  ");
    if (opt->short_name)
        rc |= buf_printf(out, "-%c%s", opt->short_name, opt->long_name ? ", " : "");
    else
        rc |= buf_puts(out, "    ");
    if (opt->long_name)
        rc |= buf_printf(out, "--%s", opt->long_name);
    if (opt->argh)
        rc |= buf_printf(out, opt->flags & PS_OPT_OPTARG ? "[=%s]" : " %s", opt->argh);
    return rc ? -1 : 0;
}

int ps_usage_text(const ps_command *cmd, buf *out)
{
    size_t col = MIN_COLUMN;
    buf left = BUF_INIT;
    int rc = 0;
    for (const ps_option *o = cmd->opts; o->kind != PS_OPT_END && rc == 0; o++) {
        buf_clear(&left);
        rc = option_left(o, &left);
        if (o->help && left.len + 2 > col)
            col = left.len + 2;
    }
    rc |= buf_printf(out, "usage: polsearch %s %s\n\n%s\n", cmd->name, cmd->synopsis, cmd->about);
    for (const ps_option *o = cmd->opts; o->kind != PS_OPT_END && rc == 0; o++) {
        if (!o->help)
            continue;                /* a hidden alias */
        buf_clear(&left);
        rc |= option_left(o, &left);
        rc |= buf_printf(out, "%-*s", (int)col, left.data ? left.data : "");
        for (const char *h = o->help; *h && rc == 0; h++)
            rc = *h == '\n' ? buf_printf(out, "\n%*s", (int)col, "") : buf_putc(out, *h);
        rc |= buf_putc(out, '\n');
    }
    rc |= buf_printf(out, "\n%s", cmd->footer);
    buf_free(&left);
    return rc ? -1 : 0;
}

/* sscanf takes YYYY-M-D too; the ranges are checked, not the month's length. */
int ps_parse_date(const char *s, char out[9])
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    snprintf(out, 9, "%04d%02d%02d", y, m, d);
    return 0;
}

