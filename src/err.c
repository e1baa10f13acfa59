/* err.c — the one error type (err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

/* Keep the first error: a later one is usually a consequence of it. */
int ps_err_set(ps_err *e, int code, const char *fmt, ...)
{
    if (!e)
        return code;
    if (e->code != PS_OK)
        return e->code;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

/* Out of memory: the message needs no allocation. */
int ps_err_nomem(ps_err *e)
{
    return ps_err_set(e, PS_NOMEM, "out of memory");
}

/* One wording of the damaged-index advice for every command. */
int ps_err_damaged(ps_err *e, enum ps_damage how, const char *name, const char *index,
                   const char *what)
{
    static const char *const lead[] = {
        [PS_DAMAGED] = "the index is damaged: ",
        [PS_DAMAGED_IF] = "if the index is damaged, ",
        [PS_DAMAGED_IF_IT] = "if it is damaged, ",
        [PS_DAMAGED_UNLESS_WRITTEN] = "if no indexing run is writing it, the index is damaged: ",
        [PS_DAMAGED_REBUILD] = ""
    };
    return ps_err_set(e, PS_INDEX, "%s%s%s; %srebuild it with 'polsearch index --full%s%s'",
                      name ? name : "", name ? ": " : "", what, lead[how],
                      index ? " -d " : "", index ? index : "");
}

/* Out of memory is nobody's damage. */
int ps_err_damaged_by(ps_err *e, int cause, enum ps_damage how, const char *name, const char *index,
                      const char *what)
{
    if (cause == PS_NOMEM)
        return ps_err_nomem(e);
    return ps_err_damaged(e, how, name, index, what);
}

void ps_err_clear(ps_err *e)
{
    if (e) {
        e->code = PS_OK;
        e->msg[0] = '\0';
    }
}
