/* cli.c — what the subcommands share (cli.h): messages, option parsing
 * with its usage and errors, and the exit status of a command's output. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "store.h"

/* Print lead, the message fmt/ap and a newline on stderr in one write: an
 * index's workers are processes that speak at once, and stderr is
 * unbuffered, so a line written in parts interleaves with theirs. */
static void msg_line(const char *lead, const char *tail, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    size_t ll = strlen(lead), tl = strlen(tail);
    char *line = n >= 0 ? malloc(ll + (size_t)n + tl + 2) : NULL;
    if (line) {
        memcpy(line, lead, ll);
        vsnprintf(line + ll, (size_t)n + 1, fmt, ap);
        memcpy(line + ll + (size_t)n, tail, tl);
        line[ll + (size_t)n + tl] = '\n';
        fwrite(line, 1, ll + (size_t)n + tl + 1, stderr);
        free(line);
        return;
    }
    fputs(lead, stderr);             /* out of memory: in parts, as best we can */
    vfprintf(stderr, fmt, ap);
    fputs(tail, stderr);
    fputc('\n', stderr);
}

/* "polsearch: ", after clearing a progress line being drawn on a terminal. */
static const char *msg_lead(void)
{
    fflush(stdout);
    return isatty(STDERR_FILENO) ? "\r\033[Kpolsearch: " : "polsearch: ";
}

void ps_msg(const char *fmt, ...)
{
    const char *lead = msg_lead();
    va_list ap;
    va_start(ap, fmt);
    msg_line(lead, "", fmt, ap);
    va_end(ap);
}

int ps_usage_error(const ps_command *cmd, const char *fmt, ...)
{
    const char *lead = msg_lead();
    char tail[96];
    snprintf(tail, sizeof tail, "; see 'polsearch %s --help'", cmd->name);
    va_list ap;
    va_start(ap, fmt);
    msg_line(lead, tail, fmt, ap);
    va_end(ap);
    return EXIT_TROUBLE;
}

int ps_output_status(int wrote, int found)
{
    if (wrote != 0 && errno != EPIPE) {
        ps_msg("writing the output: %s", strerror(errno));
        return EXIT_TROUBLE;
    }
    return found ? EXIT_MATCH : EXIT_NOMATCH;
}

int ps_flush_status(int status)
{
    if (fflush(stdout) != 0 && status != EXIT_TROUBLE && errno != EPIPE)
        return EXIT_TROUBLE;
    return status;
}

int ps_options_index(const ps_command *cmd, int argc, char **argv, const char *const *dir)
{
    int first, status = ps_options(cmd, argc, argv, &first);
    if (status >= 0)
        return status;
    ps_err err = PS_ERR_INIT;
    if (store_check_index(*dir, &err) != 0) {
        ps_msg("%s", err.msg);
        return EXIT_TROUBLE;
    }
    return -1;
}

int ps_options(const ps_command *cmd, int argc, char **argv, int *first)
{
    ps_err err = PS_ERR_INIT;
    int rc = ps_parse_options(cmd, argc, argv, first, &err);
    if (rc == PS_PARSE_OK)
        return -1;
    if (rc == PS_PARSE_ERROR) {
        ps_msg("%s", err.msg);
        return EXIT_TROUBLE;
    }
    buf usage = BUF_INIT;
    if (ps_usage_text(cmd, &usage) != 0) {
        buf_free(&usage);
        ps_msg("out of memory");
        return EXIT_TROUBLE;
    }
    fputs(usage.data, stdout);
    buf_free(&usage);
    return EXIT_MATCH;
}
