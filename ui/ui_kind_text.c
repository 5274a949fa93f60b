/* Kind "text" on screen: a one-line text box. */
#include "ui/ui_kind.h"

static void draw(struct ui *u, size_t f, int y, bool focus)
{
  ui_text_draw(u, f, y, focus, false);
}

static bool key(struct ui *u, size_t f, enum ui_req req, int ch)
{
  switch (req) {
  case REQ_CHAR:
  case REQ_LEFT:
  case REQ_RIGHT:
  case REQ_HOME:
  case REQ_END:
  case REQ_BACKSPACE:
  case REQ_DELETE:
  case REQ_KILL:
    ui_text_edit(u, f, req, ch);
    return true;
  default:
    return false;
  }
}

const struct ui_kind_ops ui_kind_text = {
  .draw = draw,
  .key = key,
};
