/* test_support.c — what src/libpolsearch.a needs from src/polsearch.c, so
 * that a unit test can link store.o without the program.
 *
 * Until store.c stops printing (issue 13: library modules never print;
 * commands do), store_lock() reports through ps_msg().  This definition
 * prints as polsearch.c's does; delete this file (and its name in
 * Makefile.am) once store.c no longer calls ps_msg. */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

void ps_msg(const char *fmt, ...)
{
    va_list ap;
    fputs("polsearch: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
