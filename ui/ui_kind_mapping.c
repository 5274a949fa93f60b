/* Kind "mapping" on screen: "N of M attributes mapped"; its list shows every attribute with
 * its column, Enter on one lists the columns of a compatible type. */
#include "ui/ui_kind.h"
#include "util/strbuf.h"
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
  (void)ch;
  if (req == REQ_ENTER) {
    ui_list_enter(u, f);
    return true;
  }
  return req == REQ_CHAR || req == REQ_KILL;
}

/* The attributes' level lists them all, without a filter. */
static bool list_plain(struct ui *u, size_t f)
{
  (void)f;
  return u->list_src == WIZ_SRC_ITEMS;
}

/* The columns' level lists the columns an attribute of that type can take. */
static bool list_accepts(struct ui *u, size_t f, const struct wiz_item *it)
{
  if (!u->map_attr)
    return true;
  const struct wiz_list *attrs = wiz_items(u->w, f, WIZ_SRC_ITEMS);
  long a = wiz_list_find(attrs, u->map_attr);
  const char *want = a >= 0 ? wiz_item_attr(&attrs->items[a], "type") : NULL;
  return wiz_types_compatible(want, wiz_item_attr(it, "type"));
}

static void to_attributes(struct ui *u)
{
  free(u->map_attr);
  u->map_attr = NULL;
  u->list_src = WIZ_SRC_ITEMS;
  u->sel = u->top = 0;
}

static bool list_key(struct ui *u, size_t f, enum ui_req req, int ch)
{
  (void)f;
  (void)ch;
  if (req == REQ_CLOSE && u->map_attr) {
    to_attributes(u);
    return true;
  }
  return false;
}

static void list_choose(struct ui *u, size_t f, size_t index)
{
  const struct wiz_item *it = &wiz_items(u->w, f, u->list_src)->items[index];
  if (!u->map_attr) {
    u->map_attr = xstrdup(it->id);
    u->list_src = WIZ_SRC_COLUMNS;
    u->sel = u->top = 0;
    u->filter_len = 0;
    u->filter[0] = L'\0';
    return;
  }
  wiz_map_set(u->w, f, u->map_attr, it->id);
  to_attributes(u);
}

static void list_line(struct ui *u, size_t f, const struct wiz_item *it, struct strbuf *sb)
{
  if (u->map_attr) {
    ui_item_text(it, sb);
    return;
  }
  const char *col = wiz_map_get(u->w, f, it->id);
  const char *type = wiz_item_attr(it, "type");
  strbuf_printf(sb, "%-20s %-8s -> %s", it->label, type ? type : "", col ? col : "(not mapped)");
}

static char *list_title(struct ui *u, size_t f)
{
  (void)f;
  return u->map_attr ? xasprintf("Column for %s", u->map_attr) : NULL;
}

const struct ui_kind_ops ui_kind_mapping = {
  .draw = draw,
  .key = key,
  .list_key = list_key,
  .list_plain = list_plain,
  .list_accepts = list_accepts,
  .list_choose = list_choose,
  .list_line = list_line,
  .list_title = list_title,
};
