/* Kind "banner" on screen: an icon and a wrapped paragraph across the screen. */
#include "ui/ui_kind.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

static int rows(struct ui *u, size_t f)
{
  int n = ui_wrap(ui_field(u, f)->text, COLS - 8, NULL, 0);
  return (n < 16 ? n : 16) + 1;
}

static void draw(struct ui *u, size_t f, int y, bool focus)
{
  (void)focus;
  const struct wiz_field *fd = ui_field(u, f);
  char *lines[16];
  int m = ui_wrap_fit(fd->text, COLS - 8, lines, 16);
  bool warn = fd->style && strcmp(fd->style, "warning") == 0;
  for (int k = 0; k < m && k < 16; k++) {
    if (y + k >= 3 && y + k <= LINES - 4) {
      if (k == 0)
        ui_put(u->t, y, 2, 2, ui_glyph(u->t, warn ? UI_G_WARN : UI_G_INFO),
               warn ? UI_WARNING : UI_INFO);
      ui_put(u->t, y + k, 5, COLS - 8, lines[k], warn ? UI_WARNING : UI_INFO);
    }
    free(lines[k]);
  }
}

const struct ui_kind_ops ui_kind_banner = {
  .flags = UI_KF_BARE,
  .rows = rows,
  .draw = draw,
};
