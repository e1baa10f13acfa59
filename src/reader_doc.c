/* reader_doc.c — placeholder until the doc reader lands (reader.h). */
#include "reader.h"

int reader_doc(const unsigned char *data, size_t len, const reader_opts *o, reader_out *out, ps_err *err)
{
    (void)data; (void)len; (void)o; (void)out;
    return ps_err_set(err, PS_SKIP, "doc files are not read yet"), -1;
}
