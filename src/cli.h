/* cli.h — what the subcommands share: exit statuses, messages, entry points
 * (cli.c; the dispatcher, polsearch.c, only calls them).
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
/* ps_msg of the message and "; see 'polsearch NAME --help'" for a usage
 * mistake in command cmd's arguments.  Returns EXIT_TROUBLE. */
int  ps_usage_error(const ps_command *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The exit status of a command that wrote its output (wrote: 0, or
 * non-zero with the reason in errno) and found something or not (found):
 * EXIT_TROUBLE after a message when writing failed, unless on a closed
 * pipe (a reader such as head that had enough); else EXIT_MATCH or
 * EXIT_NOMATCH. */
int  ps_output_status(int wrote, int found);
/* status after flushing stdout: EXIT_TROUBLE when that fails (a closed
 * pipe aside), else status.  A command's last step. */
int  ps_flush_status(int status);

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
