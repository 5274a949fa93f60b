/* Kind "choice" on screen: one row per option, "(*)" on the chosen one. As in dialog's
 * radiolist, Up and Down move a cursor over the options (past the first or the last they
 * leave the field, so that Down still walks the form), Space chooses the option under it and
 * Enter chooses it and moves on; Left and Right choose the previous or next option. */
#include "ui/ui_kind.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static int rows(struct ui *u, size_t f)
{
  return (int)ui_field(u, f)->n_options;
}

static size_t chosen_row(struct ui *u, size_t f)
{
  const struct wiz_field *fd = ui_field(u, f);
  const char *cur = wiz_value(u->w, f)->text;
  for (size_t k = 0; cur && k < fd->n_options; k++) {
    if (strcmp(fd->options[k].id, cur) == 0)
      return k;
  }
  return 0;
}

/* The group entry in focus when the focus is a group, so that the cursor of one entry's
 * choice is not taken for another's. */
static size_t focus_entry(struct ui *u)
{
  size_t fo = wiz_focus(u->w), member = 0;
  if (fo < u->form->n_fields && ui_field(u, fo)->kind == WIZ_KIND_GROUP)
    return wiz_group_focus(u->w, fo, &member);
  return 0;
}

/* Where the cursor is: where Up or Down put it while the focus stayed here, else on the
 * chosen option. */
static size_t cursor_row(struct ui *u, size_t f)
{
  if (u->opt.set && u->opt.field == f && u->opt.step == wiz_step(u->w) &&
      u->opt.focus == wiz_focus(u->w) && u->opt.entry == focus_entry(u) &&
      u->opt.row < ui_field(u, f)->n_options)
    return u->opt.row;
  return chosen_row(u, f);
}

static void set_cursor(struct ui *u, size_t f, size_t row)
{
  u->opt.set = true;
  u->opt.field = f;
  u->opt.step = wiz_step(u->w);
  u->opt.focus = wiz_focus(u->w);
  u->opt.entry = focus_entry(u);
  u->opt.row = row;
}

static void choose(struct ui *u, size_t f, size_t row)
{
  const struct wiz_field *fd = ui_field(u, f);
  const char *cur = wiz_value(u->w, f)->text;
  if (!cur || strcmp(cur, fd->options[row].id) != 0)
    wiz_set_choice(u->w, f, fd->options[row].id);
  set_cursor(u, f, row);
}

static void draw(struct ui *u, size_t f, int y, bool focus)
{
  const struct wiz_field *fd = ui_field(u, f);
  const struct wiz_value *v = wiz_value(u->w, f);
  size_t at = focus ? cursor_row(u, f) : fd->n_options;
  for (size_t i = 0; i < fd->n_options; i++) {
    bool on = v->text && strcmp(v->text, fd->options[i].id) == 0;
    char *line = xasprintf("(%s) %s", on ? "*" : " ", fd->options[i].label);
    ui_put(u->t, y + (int)i, ui_value_x(), ui_value_w(), line, i == at ? UI_FIELD_FOCUS : UI_LABEL);
    free(line);
  }
  if (at < fd->n_options) { /* the terminal's cursor too: seen without colours */
    u->cursor_y = y + (int)at;
    u->cursor_x = ui_value_x() + 1;
  }
}

static bool key(struct ui *u, size_t f, enum ui_req req, int ch)
{
  const struct wiz_field *fd = ui_field(u, f);
  size_t n = fd->n_options;
  if (n == 0)
    return req == REQ_CHAR;
  size_t at = cursor_row(u, f);
  switch (req) {
  case REQ_NEXT_FIELD: /* Down (Tab never comes here) */
    if (at + 1 >= n)
      return false;
    set_cursor(u, f, at + 1);
    return true;
  case REQ_PREV_FIELD: /* Up */
    if (at == 0)
      return false;
    set_cursor(u, f, at - 1);
    return true;
  case REQ_CHAR:
    if (ch == ' ')
      choose(u, f, at);
    return true;
  case REQ_ENTER:
    choose(u, f, at);
    return false; /* then Enter moves on, as on every field */
  case REQ_LEFT:
  case REQ_RIGHT: {
    size_t k = chosen_row(u, f);
    choose(u, f, req == REQ_RIGHT ? (k + 1) % n : (k + n - 1) % n);
    return true;
  }
  default:
    return false;
  }
}

const struct ui_kind_ops ui_kind_choice = {
  .rows = rows,
  .draw = draw,
  .key = key,
};
