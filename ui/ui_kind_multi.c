/* Kind "multi" on screen: "N selected: ..."; its list is a checklist (Space ticks, F7 all
 * or none, Enter or Esc done). */
#include "ui/ui_kind.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>

static void draw(struct ui *u, size_t f, int y, bool focus)
{
  char *disp = wiz_display(u->w, f);
  char *shown =
      *disp ? xasprintf("%zu selected: %s", wiz_value(u->w, f)->n_list, disp) : xstrdup("");
  ui_list_value(u, f, y, focus, shown);
  free(shown);
  free(disp);
}

static bool key(struct ui *u, size_t f, enum ui_req req, int ch)
{
  return ui_kind_picker.key(u, f, req, ch);
}

static bool list_key(struct ui *u, size_t f, enum ui_req req, int ch)
{
  if (req == REQ_ENTER) {
    ui_list_close(u);
    return true;
  }
  if (req == REQ_CHAR && ch == ' ') {
    ui_list_choose(u);
    return true;
  }
  if (req == REQ_ALL) {
    const struct wiz_list *l = wiz_items(u->w, f, WIZ_SRC_ITEMS);
    bool all = wiz_value(u->w, f)->n_list > 0 && wiz_value(u->w, f)->n_list >= l->n;
    wiz_multi_all(u->w, f, !all);
    return true;
  }
  return false;
}

static void list_choose(struct ui *u, size_t f, size_t index)
{
  const struct wiz_item *it = &wiz_items(u->w, f, WIZ_SRC_ITEMS)->items[index];
  if (it->invalid_reason)
    ui_note(u, true, "%s: %s", it->label, it->invalid_reason);
  else
    wiz_multi_toggle(u->w, f, index);
}

static void list_line(struct ui *u, size_t f, const struct wiz_item *it, struct strbuf *sb)
{
  strbuf_printf(sb, "[%s] ", wiz_multi_has(u->w, f, it->id) ? "x" : " ");
  ui_item_text(it, sb);
}

static const char *const list_keys[] = { "Space",   "Select", "F7/^E", "All/none",
                                         "Esc/Tab", "Done",   "F5/^R", "Retry" };

const struct ui_kind_ops ui_kind_multi = {
  .draw = draw,
  .key = key,
  .list_key = list_key,
  .list_choose = list_choose,
  .list_line = list_line,
  .list_keys = list_keys,
  .n_list_keys = 4,
};
