/* cli.h — what the subcommands share: exit statuses, messages, entry points.
 *
 * One file per subcommand (git's builtin/ layout); each entry point takes
 * the arguments after the subcommand name and returns the exit status. */
#ifndef POLSEARCH_CLI_H
#define POLSEARCH_CLI_H

enum {
    EXIT_MATCH   = 0,                /* at least one result / success */
    EXIT_NOMATCH = 1,                /* no result */
    EXIT_TROUBLE = 2                 /* an error; a message went to stderr */
};

/* Print "polsearch: " and the formatted message and a newline on stderr. */
void ps_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_compact(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_terms(int argc, char **argv);


/* Parse a non-negative decimal number no larger than max; -1 if it is not one. */
long long ps_parse_count(const char *s, long long max);

#endif
