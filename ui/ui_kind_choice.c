/* Kind "choice" on screen: one row per option, "(*)" on the chosen one. */
#include "ui/ui_kind.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static int rows(struct ui *u, size_t f)
{
  return (int)ui_field(u, f)->n_options;
}

static void draw(struct ui *u, size_t f, int y, bool focus)
{
  const struct wiz_field *fd = ui_field(u, f);
  const struct wiz_value *v = wiz_value(u->w, f);
  for (size_t i = 0; i < fd->n_options; i++) {
    bool on = v->text && strcmp(v->text, fd->options[i].id) == 0;
    char *line = xasprintf("(%s) %s", on ? "*" : " ", fd->options[i].label);
    ui_put(u->t, y + (int)i, ui_value_x(), ui_value_w(), line,
           on && focus ? UI_FIELD_FOCUS : UI_LABEL);
    free(line);
  }
}

static bool key(struct ui *u, size_t f, enum ui_req req, int ch)
{
  if (req == REQ_CHAR && ch == ' ')
    req = REQ_RIGHT;
  if (req != REQ_LEFT && req != REQ_RIGHT)
    return req == REQ_CHAR;
  const struct wiz_field *fd = ui_field(u, f);
  const char *cur = wiz_value(u->w, f)->text;
  size_t k = 0;
  while (k < fd->n_options && cur && strcmp(fd->options[k].id, cur) != 0)
    k++;
  k = req == REQ_RIGHT ? (k + 1) % fd->n_options : (k + fd->n_options - 1) % fd->n_options;
  wiz_set_choice(u->w, f, fd->options[k].id);
  return true;
}

const struct ui_kind_ops ui_kind_choice = {
  .rows = rows,
  .draw = draw,
  .key = key,
};
