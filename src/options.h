/* options.h — each command's options declared once (after git's parse-options).
 *
 * A command describes its options in one table of ps_option, ended by
 * PS_END: short name, long name, the value's name, the help text and where
 * the value goes (or a callback).  From that table come getopt_long's short
 * string and `struct option` array, the `--help` text, and the handling
 * every command shares:
 *
 *   -h, --help       added to every table; the usage goes to stdout.
 *   -d, --index DIR  PS_INDEX for commands that work on one index,
 *                    PS_INDEXES for those that take several (search).
 *   --color=WHEN     PS_COLOR: auto (default), always or never; auto
 *                    colours a terminal unless $NO_COLOR is set and not
 *                    empty or $TERM is "dumb".
 *   numbers          PS_COUNT: a decimal count in [min, max].
 *
 * $POLSEARCH_INDEX, used when -d is not given:
 *   - commands that take several indexes (PS_INDEXES) split it on ':' into
 *     a list of indexes; a tcp://HOST:PORT keeps its own colon; empty
 *     pieces are left out; an empty list is ./index.
 *   - commands that work on one index (PS_INDEX) take the value whole.  A
 *     value that splits into several indexes and is not itself an existing
 *     directory is refused ("$POLSEARCH_INDEX names several indexes ...;
 *     'polsearch CMD' works on one: choose it with -d INDEX"), rather than
 *     being taken for a directory whose name contains ':'.
 *   An empty -d (`-d ''`) counts as not given for one-index commands.
 *
 * Every option error has one wording for all commands (NAME is the option
 * as the user wrote it, CMD the command):
 *   option 'NAME' needs a value; see 'polsearch CMD --help'
 *   unknown option 'NAME'; see 'polsearch CMD --help'
 *   CMD takes no arguments ('ARG'); see 'polsearch CMD --help'
 *   NAME: 'VALUE' is not WHAT          (a bad value: a count, a choice, a colour)
 *
 * The parser itself prints nothing: it returns what happened and, for an
 * error, a ps_err (PS_USAGE or PS_NOMEM); the command layer (cli.h's
 * ps_options) prints the usage or the message. */
#ifndef POLSEARCH_OPTIONS_H
#define POLSEARCH_OPTIONS_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

enum ps_opt_kind {
    PS_OPT_END = 0,                  /* ends a table */
    PS_OPT_FLAG,                     /* no value: *(int *)value = ival */
    PS_OPT_STRING,                   /* *(const char **)value = the value */
    PS_OPT_COUNT,                    /* *(long long *)value = a number in [min, max] */
    PS_OPT_CHOICE,                   /* *(int *)value = ival + the value's position in choices */
    PS_OPT_COLOR,                    /* *(int *)value = colour the output (auto, always, never) */
    PS_OPT_INDEX,                    /* -d, one index: *(const char **)value */
    PS_OPT_INDEXES,                  /* -d, repeatable: *(ps_index_list *)value */
    PS_OPT_CALLBACK                  /* fn(opt, name, value, err) */
};

enum {
    PS_OPT_OPTARG = 1                /* the value may be left out (--kwic or --kwic=N) */
};

struct ps_option;

/* A callback: act on one occurrence of opt, written NAME by the user, with
 * value arg (NULL for an option without one, or an optional value left
 * out).  Returns 0, or -1 with err set (use ps_opt_bad_value for a value
 * that is not what it should be). */
typedef int (*ps_opt_fn)(const struct ps_option *opt, const char *name, const char *arg, ps_err *err);

typedef struct ps_option {
    enum ps_opt_kind kind;           /* what the option does with its value */
    int          short_name;         /* 'd', or 0 for a long option only */
    const char  *long_name;          /* "index", or NULL for a short option only */
    const char  *argh;               /* the value's name in the usage ("DIR"); NULL: takes none */
    const char  *help;               /* usage text, '\n' goes on at the column; NULL: hidden alias */
    void        *value;              /* where the value goes (see enum ps_opt_kind) */
    int          flags;              /* PS_OPT_OPTARG */
    int          ival;               /* FLAG: the number stored; CHOICE: added to the position */
    long long    min;                /* COUNT: the smallest value accepted */
    long long    max;                /* COUNT: the largest value accepted */
    const char  *what;               /* COUNT, CALLBACK: what a value must be ("a port number") */
    const char *const *choices;      /* CHOICE: the values accepted, NULL-terminated */
    ps_opt_fn    fn;                 /* CALLBACK: the function */
} ps_option;

/* A compile-time check that p points to an int-sized object (an int or an
 * enum), so that FLAG and CHOICE can store through it. */
#define PS_INTP(p) ((void)sizeof(char[sizeof *(p) == sizeof(int) ? 1 : -1]), (void *)(p))

#define PS_FLAG(s, l, h, p) \
    { .kind = PS_OPT_FLAG, .short_name = (s), .long_name = (l), .help = (h), .value = PS_INTP(p), .ival = 1 }
#define PS_SET_INT(s, l, h, p, v) \
    { .kind = PS_OPT_FLAG, .short_name = (s), .long_name = (l), .help = (h), .value = PS_INTP(p), .ival = (v) }
#define PS_STRING(s, l, a, h, p) \
    { .kind = PS_OPT_STRING, .short_name = (s), .long_name = (l), .argh = (a), .help = (h), .value = (p) }
#define PS_COUNT(s, l, a, h, p, lo, hi, w) \
    { .kind = PS_OPT_COUNT, .short_name = (s), .long_name = (l), .argh = (a), .help = (h), .value = (p), \
      .min = (lo), .max = (hi), .what = (w) }
#define PS_CHOICE(s, l, a, h, p, c, first) \
    { .kind = PS_OPT_CHOICE, .short_name = (s), .long_name = (l), .argh = (a), .help = (h), \
      .value = PS_INTP(p), .choices = (c), .ival = (first) }
#define PS_COLOR(l, h, p) \
    { .kind = PS_OPT_COLOR, .long_name = (l), .argh = "WHEN", .help = (h), .value = PS_INTP(p) }
#define PS_INDEX(h, p) \
    { .kind = PS_OPT_INDEX, .short_name = 'd', .long_name = "index", .argh = "DIR", .help = (h), .value = (p) }
#define PS_INDEXES(h, p) \
    { .kind = PS_OPT_INDEXES, .short_name = 'd', .long_name = "index", .argh = "DIR", .help = (h), .value = (p) }
#define PS_CALLBACK(s, l, a, h, p, f) \
    { .kind = PS_OPT_CALLBACK, .short_name = (s), .long_name = (l), .argh = (a), .help = (h), .value = (p), .fn = (f) }
#define PS_END { .kind = PS_OPT_END }

/* A number macro as a string literal, for a COUNT's what ("a number from 1 to " PS_STRINGIFY(MAX)). */
#define PS_STRINGIFY(x) PS_STRINGIFY_(x)
#define PS_STRINGIFY_(x) #x

/* The indexes a multi-index command works on: its -d values in order,
 * or the pieces of $POLSEARCH_INDEX, or ./index.  Zero it before use. */
typedef struct ps_index_list {
    const char **dirs;               /* the indexes (malloc'd array) */
    size_t       n;                  /* number of indexes */
    char        *owned;              /* the split copy of $POLSEARCH_INDEX dirs point into, or NULL */
    size_t       cap;                /* dirs allocated */
} ps_index_list;

enum {
    PS_CMD_NO_OPERANDS = 1           /* the command takes no arguments after its options */
};

/* A command: its usage text around the option table, and the table. */
typedef struct ps_command {
    const char      *name;           /* "search": the word after polsearch */
    const char      *synopsis;       /* after "usage: polsearch NAME " */
    const char      *about;          /* what it does, between the usage line and the options */
    const char      *footer;         /* after the options: notes and an example */
    int              flags;          /* PS_CMD_NO_OPERANDS */
    const ps_option *opts;           /* the options, ended by PS_END */
} ps_command;

enum ps_parse_result {
    PS_PARSE_ERROR = -1,             /* a bad option or value; err says which */
    PS_PARSE_OK = 0,                 /* options taken; operands start at *first */
    PS_PARSE_HELP = 1                /* -h or --help: show the usage, do nothing else */
};

/* Parse argv[1..argc-1] (argv[0] is the command's name) against cmd's
 * table, storing each value where its option says, then fill in what was
 * not given: the index from $POLSEARCH_INDEX or ./index (see the top of
 * this file), colour from the terminal.  getopt_long's rules apply
 * (permutation, --, unique prefixes of long names).  On PS_PARSE_OK,
 * *first is the index in argv of the first operand.  On PS_PARSE_ERROR,
 * err holds the message (one of the wordings above).  Not reentrant:
 * getopt's state is global. */
int ps_parse_options(const ps_command *cmd, int argc, char **argv, int *first, ps_err *err);

/* Append cmd's usage to out: the usage line, the about text, one line per
 * visible option (help text at a common column) and the footer.
 * Returns 0, or -1 when out of memory. */
int ps_usage_text(const ps_command *cmd, buf *out);

/* Set err to "NAME: 'ARG' is not WHAT" (PS_USAGE), the one wording of a bad
 * value.  Returns -1, for `return ps_opt_bad_value(...)`. */
int ps_opt_bad_value(ps_err *err, const char *name, const char *arg, const char *what);

/* Parse arg as a fraction: a decimal number from 0 to 1 (a similarity).
 * Returns 0 with *out set, or -1 with the bad-value message ("a
 * similarity from 0 to 1") in err. */
int ps_opt_fraction(const char *name, const char *arg, double *out, ps_err *err);

/* Parse arg as a count for opt: a decimal number in [opt->min, opt->max].
 * Returns 0 with *out set, or -1 with the bad-value message (opt->what) in err. */
int ps_opt_count(const ps_option *opt, const char *name, const char *arg, long long *out, ps_err *err);


/* Free what list holds and zero it. */
void ps_index_list_free(ps_index_list *list);

/* Parse a non-negative decimal number no larger than max; -1 if it is not one. */
long long ps_parse_count(const char *s, long long max);

/* Parse YYYY-MM-DD (or YYYY-M-D) into YYYYMMDD (out: 9 bytes); -1 if it is
 * not a date. */
int ps_parse_date(const char *s, char out[9]);

#endif
