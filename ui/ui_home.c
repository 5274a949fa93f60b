/* The home screen. */
#include "ui/ui_home.h"
#include "ui/ui_keys.h"
#include "util/xalloc.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

struct row {
  enum ui_home_kind kind;
  size_t index, entry, action;
};

static size_t build_rows(const struct ui_home_model *m, struct row *rows, size_t max)
{
  size_t n = 0;
  for (size_t i = 0; i < m->n_forms && n < max; i++)
    rows[n++] = (struct row){ UI_HOME_WIZARD, i, 0, 0 };
  for (size_t i = 0; i < m->n_drafts && n < max; i++)
    rows[n++] = (struct row){ UI_HOME_DRAFT, i, 0, 0 };
  for (size_t s = 0; m->home && s < m->home->n_sections; s++) {
    const struct wiz_home_section *sec = &m->home->sections[s];
    for (size_t e = 0; e < sec->n_entries; e++)
      for (size_t a = 0; a < sec->entries[e].n_actions && n < max; a++)
        rows[n++] = (struct row){ UI_HOME_ENTRY, s, e, a };
  }
  return n;
}

/* The body being written: its next line `y` (lines 3..bottom are on screen), the
 * selectable row `r` it is at, and the line `sel_y` the selected row `sel` landed on. */
struct body {
  struct ui_term *t;
  int y, bottom, sel_y;
  size_t r, sel;
};

/* A line of text at column x (written when on screen). */
static void out(struct body *b, int x, const char *text, enum ui_elem e)
{
  if (b->y >= 3 && b->y <= b->bottom)
    ui_put(b->t, b->y, x, COLS - x - 1, text, e);
}

/* A message that may hold its fix at the end (a damaged record, a store synwiz refuses):
 * wrapped at spaces over as many lines as it needs, instead of cut at the screen's edge.
 * Leaves b->y on its last line, as out() does. */
static void out_wrapped(struct body *b, int x, const char *text, enum ui_elem e)
{
  size_t width = COLS - x - 1 > 10 ? (size_t)(COLS - x - 1) : 10;
  const char *p = text;
  for (;;) {
    size_t i = 0, cols = 0, cut = 0;
    while (p[i] && p[i] != '\n' && cols < width) {
      if (p[i] == ' ')
        cut = i;
      i++;
      while (((unsigned char)p[i] & 0xc0) == 0x80)
        i++; /* the rest of a UTF-8 character: one column (as the names here are) */
      cols++;
    }
    if (!p[i] || p[i] == '\n' || !cut)
      cut = i; /* it all fits, a line break, or one word longer than the line */
    char *line = xstrndup(p, cut);
    out(b, x, line, e);
    free(line);
    p += cut;
    while (*p == ' ' || *p == '\n')
      p++;
    if (!*p)
      return;
    b->y++;
  }
}

/* A selectable row: highlighted when it is the selected one. */
static void row(struct body *b, const char *text)
{
  bool is_sel = b->r == b->sel;
  if (is_sel)
    b->sel_y = b->y;
  if (b->y >= 3 && b->y <= b->bottom) {
    if (is_sel)
      ui_fill(b->t, b->y, 2, COLS - 4, UI_SELECTION);
    ui_put(b->t, b->y, 3, COLS - 6, text, is_sel ? UI_SELECTION : UI_NORMAL);
  }
  b->y++;
  b->r++;
}

static void draw(struct ui_term *t, const struct ui_home_model *m, const struct row *rows, size_t n,
                 size_t sel, int *top)
{
  erase();
  if (COLS < 80 || LINES < 24) {
    char *l = xasprintf("Terminal too small: %dx%d (synwiz needs at least 80x24).", COLS, LINES);
    ui_put(t, LINES / 2, 1, COLS - 2, l, UI_ERROR);
    free(l);
    wnoutrefresh(stdscr);
    doupdate();
    return;
  }
  ui_fill(t, 0, 0, COLS, UI_TITLE);
  ui_put(t, 0, 1, COLS - 2, "synwiz: Azure Synapse wizards", UI_TITLE);
  const char *who =
      m->home ? (m->home->identity ? m->home->identity : "not signed in") : "not available yet";
  const char *cloud = m->home && m->home->cloud ? m->home->cloud : "not available yet";
  char *id = xasprintf("Signed in: %s    Cloud: %s", who, cloud);
  ui_put(t, 1, 1, COLS - 2, id, UI_INFO);
  free(id);
  ui_hline(t, 2, 0, COLS, UI_LINE);
  /* Lines of the body, as (text, element, selectable row or -1). */
  struct body b = { t, 3 - *top, LINES - 4, -1, 0, sel };
  out(&b, 1, "Wizards", UI_LABEL_FOCUS);
  b.y++;
  for (size_t i = 0; i < m->n_forms; i++) {
    char *l =
        xasprintf("%-48s %s", m->forms[i].title, m->forms[i].summary ? m->forms[i].summary : "");
    row(&b, l);
    free(l);
  }
  b.y++;
  out(&b, 1, "Drafts", UI_LABEL_FOCUS);
  b.y++;
  if (m->n_drafts == 0) {
    out(&b, 3, "No draft. F2 in a wizard saves one (without secrets).", UI_INFO);
    b.y++;
  }
  for (size_t i = 0; i < m->n_drafts; i++) {
    const struct ui_home_draft *d = &m->drafts[i];
    char *l = d->edit
                  ? xasprintf("%-34s %s, editing %s, step %s, saved %s", d->name, d->form, d->edit,
                              d->step, d->saved)
                  : xasprintf("%-34s %s, step %s, saved %s", d->name, d->form, d->step, d->saved);
    row(&b, l);
    free(l);
  }
  b.y++;
  if (!m->home) {
    out(&b, 1, "Connections, exports, models and linked services", UI_LABEL_FOCUS);
    b.y++;
    out_wrapped(&b, 3, m->home_missing ? m->home_missing : "Not available yet.", UI_WARNING);
    b.y++;
  }
  for (size_t s = 0; m->home && s < m->home->n_sections; s++) {
    const struct wiz_home_section *sec = &m->home->sections[s];
    out(&b, 1, sec->title, UI_LABEL_FOCUS);
    b.y++;
    if (sec->why_empty || sec->n_entries == 0) {
      out_wrapped(&b, 3,
                  sec->why_empty ? sec->why_empty
                  : sec->empty   ? sec->empty
                                 : "None.",
                  UI_INFO);
      b.y++;
    }
    for (size_t e = 0; e < sec->n_entries; e++) {
      const struct wiz_home_entry *en = &sec->entries[e];
      for (size_t a = 0; a < en->n_actions; a++) {
        char *l = xasprintf("%-24s %-24s %s", a ? "" : en->name, en->label[a],
                            a == 0 && en->detail ? en->detail : "");
        row(&b, l);
        free(l);
      }
      if (en->n_actions == 0) {
        char *l = xasprintf("%-24s %s", en->name, en->detail ? en->detail : "");
        out(&b, 3, l, UI_NORMAL);
        free(l);
        b.y++;
      }
    }
    b.y++;
  }
  (void)rows;
  (void)n;
  int bottom = b.bottom, sel_y = b.sel_y;
  int body = bottom - 3 + 1;
  if (sel_y >= 0 && (sel_y > bottom || sel_y < 3)) {
    *top += sel_y > bottom ? sel_y - bottom : sel_y - 3;
    draw(t, m, rows, n, sel, top);
    return;
  }
  (void)body;
  ui_hline(t, LINES - 3, 0, COLS, UI_LINE);
  if (m->notice)
    ui_put(t, LINES - 2, 1, COLS - 2, m->notice, UI_INFO);
  ui_fill(t, LINES - 1, 0, COLS, UI_NORMAL);
  int x = 0;
  const char *keys[] = { "Enter", "Open", "Up/Down", "Move", "F9/^X", "Quit" };
  for (size_t i = 0; i < 6; i += 2) {
    x += ui_put(t, LINES - 1, x, COLS - x, keys[i], UI_KEY);
    x += ui_put(t, LINES - 1, x, COLS - x, " ", UI_KEY_LABEL);
    x += ui_put(t, LINES - 1, x, COLS - x, keys[i + 1], UI_KEY_LABEL);
    x += ui_put(t, LINES - 1, x, COLS - x, "  ", UI_KEY_LABEL);
  }
  curs_set(0);
  wnoutrefresh(stdscr);
  doupdate();
}

struct ui_home_choice ui_home_run(struct ui_term *t, const struct ui_home_model *m)
{
  struct row rows[256];
  size_t n = build_rows(m, rows, 256);
  size_t sel = 0;
  int top = 0;
  struct ui_home_choice c = { UI_HOME_QUIT, 0, 0, 0, 0 };
  for (;;) {
    draw(t, m, rows, n, sel, &top);
    struct ui_event ev = ui_term_next(t, NULL, -1);
    if (ev.kind == UI_EV_HUP) {
      c.hangup = 1;
      return c;
    }
    if (ev.kind == UI_EV_QUIT)
      return c;
    if (ev.kind != UI_EV_KEY)
      continue;
    enum ui_req req = ui_key_request(ev.key, ev.is_code);
    if (req == REQ_CANCEL || (req == REQ_CHAR && (ev.key == 'q' || ev.key == 'Q')))
      return c;
    if (req == REQ_NEXT_FIELD && sel + 1 < n)
      sel++;
    else if (req == REQ_PREV_FIELD && sel > 0)
      sel--;
    else if (req == REQ_ENTER && n) {
      if (sel < n) {
        c.kind = rows[sel].kind;
        c.index = rows[sel].index;
        c.entry = rows[sel].entry;
        c.action = rows[sel].action;
      }
      return c;
    }
    if (sel < 3)
      top = 0;
  }
}
