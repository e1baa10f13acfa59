/* cli.h — what the subcommands share: exit statuses, messages, entry points.
 *
 * One file per subcommand (git's builtin/ layout); each entry point takes
 * the arguments after the subcommand name and returns the exit status. */
#ifndef POLSEARCH_CLI_H
#define POLSEARCH_CLI_H

#include "options.h"

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
int cmd_refs(int argc, char **argv);
int cmd_web(int argc, char **argv);
int cmd_code(int argc, char **argv);
int cmd_cooc(int argc, char **argv);
int cmd_similar(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* Parse a command's options with its table (options.h), printing what the
 * user must see: the usage on stdout for --help, the message on stderr for
 * an error.  Returns -1 to go on (*first: argv's first operand), or the
 * exit status to return (EXIT_MATCH after --help, EXIT_TROUBLE on error). */
int ps_options(const ps_command *cmd, int argc, char **argv, int *first);

/* ps_options for a command that works on the one local index *dir: then
 * check that the index opens (store_check_index), printing why not.
 * Returns -1 to go on, or the exit status to return. */
int ps_options_index(const ps_command *cmd, int argc, char **argv, const char *const *dir);

#endif
