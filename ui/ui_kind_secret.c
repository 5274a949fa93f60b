/* Kind "secret" on screen: a text box showing stars, F3 shows or hides the text. */
#include "ui/ui_kind.h"

static void draw(struct ui *u, size_t f, int y, bool focus)
{
  ui_text_draw(u, f, y, focus, !u->reveal[f]);
}

static bool key(struct ui *u, size_t f, enum ui_req req, int ch)
{
  if (req == REQ_REVEAL) {
    u->reveal[f] = !u->reveal[f];
    return true;
  }
  return ui_kind_text.key(u, f, req, ch);
}

const struct ui_kind_ops ui_kind_secret = {
  .draw = draw,
  .key = key,
};
