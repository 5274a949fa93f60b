/* Kind "readonly" on screen: the value as plain text ("-" when there is none). */
#include "ui/ui_kind.h"

#include <stdlib.h>

static void draw(struct ui *u, size_t f, int y, bool focus)
{
  (void)focus;
  char *disp = wiz_display(u->w, f);
  ui_put(u->t, y, ui_value_x(), ui_value_w(), *disp ? disp : "-", UI_LABEL);
  free(disp);
}

const struct ui_kind_ops ui_kind_readonly = {
  .draw = draw,
};
