/* Kind "checkbox" on screen: "[x] text"; Space or Enter ticks it. */
#include "ui/ui_kind.h"
#include "util/xalloc.h"

#include <stdlib.h>

static void draw(struct ui *u, size_t f, int y, bool focus)
{
  char *line = xasprintf("[%s] %s", wiz_value(u->w, f)->b ? "x" : " ", ui_field(u, f)->text);
  ui_put(u->t, y, ui_value_x(), ui_value_w(), line, focus ? UI_FIELD_FOCUS : UI_LABEL);
  free(line);
}

static bool key(struct ui *u, size_t f, enum ui_req req, int ch)
{
  if (req == REQ_ENTER || (req == REQ_CHAR && ch == ' ')) {
    wiz_set_bool(u->w, f, !wiz_value(u->w, f)->b);
    return true;
  }
  return req == REQ_CHAR;
}

const struct ui_kind_ops ui_kind_checkbox = {
  .draw = draw,
  .key = key,
};
