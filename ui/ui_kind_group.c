/* Kind "group" on screen: under the group's label, one heading per entry (its item) and
 * one row per member, drawn and edited by the member's own kind. Up/Down and Tab move
 * through the members of every entry before leaving the group. */
#include "ui/ui_kind.h"
#include "util/xalloc.h"

#include <curses.h>
#include <stdlib.h>

#define MEMBER_X 6

static int member_rows(struct ui *u, size_t m)
{
  const struct ui_kind_ops *ops = ui_kind_ops(ui_field(u, m));
  return ops->rows ? ops->rows(u, m) : 1;
}

static int rows(struct ui *u, size_t f)
{
  const struct wiz_field *fd = ui_field(u, f);
  size_t n = wiz_group_count(u->w, f);
  if (n == 0)
    return 1;
  int r = 0;
  for (size_t i = 0; i < n; i++) {
    r++; /* the entry's heading */
    for (size_t k = 0; k < fd->n_members; k++)
      r += member_rows(u, fd->members[k]);
  }
  return r;
}

static int focus_row(struct ui *u, size_t f)
{
  const struct wiz_field *fd = ui_field(u, f);
  size_t fm = 0;
  size_t fe = wiz_group_focus(u->w, f, &fm);
  int r = 0;
  for (size_t i = 0; i <= fe && i < wiz_group_count(u->w, f); i++) {
    r++; /* the heading */
    for (size_t k = 0; k < fd->n_members && !(i == fe && k == fm); k++)
      r += member_rows(u, fd->members[k]);
  }
  return r;
}

static bool in_body(int y)
{
  return y >= 3 && y <= LINES - 4;
}

/* No entry yet: why (loading, not loaded, a field to fill in first). */
static void draw_empty(struct ui *u, size_t f, int y)
{
  if (!in_body(y))
    return;
  enum wiz_load_state ls = wiz_load_state(u->w, f, WIZ_SRC_ITEMS);
  const char *why = wiz_disabled_reason(u->w, f);
  char *line = ls == WIZ_LOAD_LOADING  ? xasprintf("%s Loading...", ui_spinner(u))
               : ls == WIZ_LOAD_FAILED ? xstrdup("! not loaded (F5 or Ctrl-R: try again)")
               : why                   ? xstrdup(why)
                                       : xstrdup("Nothing to fill in.");
  ui_put(u->t, y, ui_value_x(), ui_value_w(), line,
         ls == WIZ_LOAD_FAILED ? UI_ERROR : UI_PLACEHOLDER);
  free(line);
}

static void draw(struct ui *u, size_t f, int y, bool focus)
{
  const struct wiz_field *fd = ui_field(u, f);
  size_t n = wiz_group_count(u->w, f);
  if (n == 0) {
    draw_empty(u, f, y);
    return;
  }
  size_t fm = 0;
  size_t fe = wiz_group_focus(u->w, f, &fm);
  for (size_t i = 0; i < n; i++) {
    const struct wiz_item *it = wiz_group_item(u->w, f, i);
    if (in_body(y)) {
      char *head = it->detail ? xasprintf("%s  (%s)", it->label, it->detail) : xstrdup(it->label);
      ui_put(u->t, y, ui_value_x(), ui_value_w(), head, UI_LABEL_FOCUS);
      free(head);
    }
    y++;
    wiz_group_select(u->w, f, i);
    for (size_t k = 0; k < fd->n_members; k++) {
      size_t m = fd->members[k];
      const struct wiz_field *md = ui_field(u, m);
      bool here = focus && i == fe && k == fm;
      if (wiz_focus(u->w) == f && i == fe && k == fm)
        u->anchor_y = y; /* its list opens under it, on the step and while open */
      if (in_body(y)) {
        char *lab = xasprintf("%s%s", md->label ? md->label : md->id, md->required ? " *" : "");
        if (here) /* which member, without colours too */
          ui_put(u->t, y, MEMBER_X - 2, 1, ui_glyph(u->t, UI_G_FOCUS), UI_LABEL_FOCUS);
        ui_put(u->t, y, MEMBER_X, UI_LABEL_W + 2 - MEMBER_X, lab, here ? UI_LABEL_FOCUS : UI_LABEL);
        free(lab);
        const struct ui_kind_ops *ops = ui_kind_ops(md);
        if (ops->draw)
          ops->draw(u, m, y, here);
      }
      y += member_rows(u, m);
    }
  }
  wiz_group_select(u->w, f, fe);
}

static bool key(struct ui *u, size_t f, enum ui_req req, int ch)
{
  size_t fm = 0;
  size_t fe = wiz_group_focus(u->w, f, &fm);
  const struct wiz_field *fd = ui_field(u, f);
  if (wiz_group_count(u->w, f) == 0 || fm >= fd->n_members)
    return false;
  wiz_group_select(u->w, f, fe);
  size_t m = fd->members[fm];
  if (req == REQ_RETRY) {
    bool failed = wiz_load_state(u->w, m, WIZ_SRC_ITEMS) == WIZ_LOAD_FAILED ||
                  wiz_load_state(u->w, m, WIZ_SRC_COLUMNS) == WIZ_LOAD_FAILED;
    wiz_retry(u->w, failed ? m : f);
    return true;
  }
  const struct ui_kind_ops *ops = ui_kind_ops(ui_field(u, m));
  if (ops->key && ops->key(u, m, req, ch)) {
    wiz_touch(u->w, f);
    return true;
  }
  return false;
}

const struct ui_kind_ops ui_kind_group = {
  .rows = rows,
  .draw = draw,
  .focus_row = focus_row,
  .key = key,
};
