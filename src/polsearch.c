/* polsearch.c — the command dispatcher: `polsearch COMMAND [ARGS]`. */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "buf.h"
#include "cli.h"
#include "store.h"
#include "xapian-shim.h"

void ps_msg(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    /* Clear a progress line being drawn on a terminal before speaking. */
    const char *lead = isatty(STDERR_FILENO) ? "\r\033[Kpolsearch: " : "polsearch: ";
    /* The whole line in one write: an index's workers are processes that
     * speak at once, and stderr is unbuffered, so a line written in parts
     * interleaves with theirs. */
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t ll = strlen(lead);
    char *line = n >= 0 ? malloc(ll + (size_t)n + 2) : NULL;
    if (line) {
        memcpy(line, lead, ll);
        va_start(ap, fmt);
        vsnprintf(line + ll, (size_t)n + 1, fmt, ap);
        va_end(ap);
        line[ll + (size_t)n] = '\n';
        fwrite(line, 1, ll + (size_t)n + 1, stderr);
        free(line);
        return;
    }
    fputs(lead, stderr);             /* out of memory: in parts, as best we can */
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
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

static const struct command {
    const char *name;                /* what the user types */
    int (*fn)(int, char **);         /* the entry point */
    const char *summary;             /* one line for the usage text */
} commands[] = {
    { "index",  cmd_index,  "index files and folders (only what changed)" },
    { "search", cmd_search, "search the index; ranked paragraphs with snippets" },
    { "query",  cmd_search, "the same as search" },
    { "stats",  cmd_stats,  "what the index holds" },
    { "terms",  cmd_terms,  "how often the documents speak of each policy term" },
    { "refs",   cmd_refs,   "what a document cites, who cites it, the citation graph" },
    { "code",   cmd_code,   "code paragraphs with a codebook (policy instruments), rows or tallies" },
    { "cooc",   cmd_cooc,   "term co-occurrence: pair counts, Jaccard, PMI; GraphML, GEXF, Pajek" },
    { "similar", cmd_similar, "paragraphs of other documents that say nearly the same; --pairs: all near-copies" },
    { "export", cmd_export, "every paragraph (or a query's matches) as CSV or JSON Lines, with stable ids" },
    { "compact", cmd_compact, "merge the shards into one database" },
    { "serve",  cmd_serve,  "serve an index read-only over TCP (Xapian remote)" },
    { "web",    cmd_web,    "a local web site: search, documents, citations" },
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: polsearch COMMAND [OPTIONS] [ARGS]\n\n"
                "A search engine for Chinese policy documents.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(fp, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "  %-8s %s\n", "help", "help COMMAND: a command's options, with an example");
    fprintf(fp, "\nRun 'polsearch COMMAND --help' for a command's options; 'man polsearch' for all.\n"
                "Example: polsearch index seeds/ && polsearch search 专精特新\n");
}

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "");
    if (argc < 2) {
        usage(stderr);
        return EXIT_TROUBLE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        if (argc > 2 && strcmp(cmd, "help") == 0 && strcmp(argv[2], "help") != 0) {
            for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
                if (!strcmp(commands[i].name, argv[2])) {
                    char *help_argv[] = { argv[2], (char *)"--help", NULL };
                    return commands[i].fn(2, help_argv);
                }
            ps_msg("unknown command '%s'; see 'polsearch --help'", argv[2]);
            return EXIT_TROUBLE;
        }
        usage(stdout);
        return EXIT_MATCH;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("polsearch %s (Xapian %s)\n", PACKAGE_VERSION, xs_version());
        return EXIT_MATCH;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(commands[i].name, cmd))
            return commands[i].fn(argc - 1, argv + 1);
    ps_msg("unknown command '%s'; see 'polsearch --help'", cmd);
    return EXIT_TROUBLE;
}
