/* layout.c — placeholder until the layout module lands (layout.h). */
#include "layout.h"

#include <stdlib.h>

struct layout { int unused; };

layout *layout_new(void) { return calloc(1, sizeof(layout)); }
int layout_page(layout *l, double w, double h, ps_err *err) { (void)l; (void)w; (void)h; (void)err; return 0; }
int layout_add(layout *l, const layout_line *line, ps_err *err) { (void)l; (void)line; (void)err; return 0; }
int layout_finish(layout *l, reader_out *out, ps_err *err) { (void)l; (void)out; (void)err; return 0; }
void layout_free(layout *l) { free(l); }
