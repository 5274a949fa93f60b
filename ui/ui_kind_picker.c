/* Kind "picker" on screen: a box with the chosen item; Enter (or typing, which filters)
 * opens the list; Ctrl-K clears. */
#include "ui/ui_kind.h"
#include "util/xalloc.h"

#include <stdlib.h>

static void draw(struct ui *u, size_t f, int y, bool focus)
{
  char *disp = wiz_display(u->w, f);
  ui_list_value(u, f, y, focus, disp);
  free(disp);
}

static bool key(struct ui *u, size_t f, enum ui_req req, int ch)
{
  switch (req) {
  case REQ_ENTER:
    ui_list_enter(u, f);
    return true;
  case REQ_CHAR:
    if (ch != ' ' && wiz_enabled(u->w, f)) {
      ui_list_open(u, f, WIZ_SRC_ITEMS); /* typing on a picker filters its list */
      ui_list_key(u, REQ_CHAR, ch);
    }
    return true;
  case REQ_KILL:
    wiz_clear(u->w, f);
    return true;
  default:
    return false;
  }
}

static void list_choose(struct ui *u, size_t f, size_t index)
{
  const char *reason = NULL;
  const struct wiz_item *it = &wiz_items(u->w, f, WIZ_SRC_ITEMS)->items[index];
  if (wiz_pick(u->w, f, index, &reason) == WIZ_E_INVALID) {
    ui_note(u, true, "%s cannot be chosen: %s", it->label, reason);
    return;
  }
  ui_note(u, false, NULL);
  ui_list_close(u);
  wiz_move_focus(u->w, +1);
  wiz_refresh(u->w);
}

const struct ui_kind_ops ui_kind_picker = {
  .draw = draw,
  .key = key,
  .list_choose = list_choose,
};
