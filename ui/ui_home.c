/* The home screen (contract in ui_home.h). Drawn immediate-mode from the model each time
 * (ncdu's way): the rows the cursor moves over are worked out again from the model and the
 * filter, in the order they are drawn. */
#include "ui/ui_home.h"
#include "ui/ui_keys.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTRL_C  3
#define COL_MAX 30 /* a column is as wide as its widest cell, up to this */

struct row {
  enum ui_home_kind kind;
  size_t index, entry, action;
};

struct home {
  struct ui_term *t;
  const struct ui_home_model *m;
  struct row *rows;
  size_t n, cap, sel;
  int top;
  char filter[UI_HOME_FILTER_MAX];
  bool filtering; /* typing into the filter */
  bool menu;      /* the action menu of the selected entry is open */
  size_t menu_sel;
};

/* ASCII case-insensitive: names and cells are what the user types to find them. */
static bool contains(const char *hay, const char *needle)
{
  if (!*needle)
    return true;
  for (; hay && *hay; hay++) {
    size_t i = 0;
    while (needle[i] && hay[i] &&
           tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
      i++;
    if (!needle[i])
      return true;
  }
  return false;
}

static bool entry_matches(const struct home *h, const struct wiz_home_section *s,
                          const struct wiz_home_entry *e)
{
  if (contains(e->name, h->filter) || contains(e->detail, h->filter))
    return true;
  for (size_t c = 0; e->cells && c < s->n_columns; c++) {
    if (contains(e->cells[c], h->filter))
      return true;
  }
  return false;
}

static void add(struct home *h, enum ui_home_kind kind, size_t index, size_t entry, size_t action)
{
  h->rows = xgrow(h->rows, &h->cap, h->n + 1, sizeof(*h->rows));
  h->rows[h->n++] = (struct row){ kind, index, entry, action };
}

/* The selectable rows, in the order draw() shows them. */
static void build_rows(struct home *h)
{
  const struct ui_home_model *m = h->m;
  h->n = 0;
  if (m->home && m->home->sign_in)
    add(h, UI_HOME_SIGN_IN, 0, 0, 0);
  for (size_t i = 0; i < m->n_forms; i++) {
    if (contains(m->forms[i].title, h->filter) || contains(m->forms[i].summary, h->filter))
      add(h, UI_HOME_WIZARD, i, 0, 0);
  }
  for (size_t i = 0; i < m->n_drafts; i++) {
    const struct ui_home_draft *d = &m->drafts[i];
    if (contains(d->name, h->filter) || contains(d->title, h->filter) ||
        contains(d->form, h->filter))
      add(h, UI_HOME_DRAFT, i, 0, 0);
  }
  for (size_t s = 0; m->home && s < m->home->n_sections; s++) {
    const struct wiz_home_section *sec = &m->home->sections[s];
    if (sec->why_empty)
      continue;
    for (size_t e = 0; e < sec->n_entries; e++) {
      if (entry_matches(h, sec, &sec->entries[e]))
        add(h, UI_HOME_ENTRY, s, e, 0);
    }
    for (size_t a = 0; a < sec->n_actions; a++)
      add(h, UI_HOME_SECTION, s, 0, a);
  }
  if (h->sel >= h->n)
    h->sel = h->n ? h->n - 1 : 0;
}

/* The body being written: its next line `y` (lines 3..bottom are on screen), the
 * selectable row `r` it is at, and the line `sel_y` the selected row landed on. */
struct body {
  struct ui_term *t;
  int y, bottom, sel_y;
  size_t r, sel;
};

static bool on_screen(const struct body *b)
{
  return b->y >= 3 && b->y <= b->bottom;
}

/* A line of text at column x. */
static void out(struct body *b, int x, const char *text, enum ui_elem e)
{
  if (on_screen(b))
    ui_put(b->t, b->y, x, COLS - x - 1, text, e);
  b->y++;
}

/* A paragraph wrapped to the screen (a message is never cut at its edge). */
static void para(struct body *b, int x, const char *text, enum ui_elem e)
{
  char *lines[16];
  int n = ui_wrap(text, COLS - x - 2, lines, 16);
  for (int i = 0; i < n && i < 16; i++) {
    out(b, x, lines[i], e);
    free(lines[i]);
  }
}

/* Starts a selectable row: highlighted when it is the selected one. */
static enum ui_elem row_start(struct body *b)
{
  bool is_sel = b->r == b->sel;
  if (is_sel)
    b->sel_y = b->y;
  if (is_sel && on_screen(b))
    ui_fill(b->t, b->y, 2, COLS - 4, UI_SELECTION);
  return is_sel ? UI_SELECTION : UI_NORMAL;
}

static void row_end(struct body *b)
{
  b->y++;
  b->r++;
}

static void row(struct body *b, const char *text)
{
  enum ui_elem e = row_start(b);
  if (on_screen(b))
    ui_put(b->t, b->y, 3, COLS - 6, text, e);
  row_end(b);
}

/* Column widths of a section: its name column, then one per heading. */
static void widths(const struct wiz_home_section *s, int *w)
{
  w[0] = 4;
  for (size_t c = 0; c < s->n_columns; c++)
    w[c + 1] = ui_width(s->columns[c]);
  for (size_t e = 0; e < s->n_entries; e++) {
    const struct wiz_home_entry *en = &s->entries[e];
    if (ui_width(en->name) > w[0])
      w[0] = ui_width(en->name);
    for (size_t c = 0; en->cells && c < s->n_columns; c++) {
      int cw = en->cells[c] ? ui_width(en->cells[c]) : 0;
      if (cw > w[c + 1])
        w[c + 1] = cw;
    }
  }
  for (size_t c = 0; c <= s->n_columns; c++)
    w[c] = w[c] > COL_MAX ? COL_MAX : w[c];
}

/* Cells at their columns (clipped to the column and to the screen). */
static void cells(struct body *b, const int *w, size_t n, const char *first,
                  const char *const *rest, enum ui_elem e)
{
  int x = 3;
  for (size_t c = 0; c <= n && x < COLS - 3; c++) {
    const char *text = c == 0 ? first : rest ? rest[c - 1] : NULL;
    int width = w[c] < COLS - 3 - x ? w[c] : COLS - 3 - x;
    if (text && on_screen(b))
      ui_put(b->t, b->y, x, width, text, e);
    x += w[c] + 2;
  }
}

static void draw_section(struct home *h, struct body *b, size_t s)
{
  const struct wiz_home *home = h->m->home;
  const struct wiz_home_section *sec = &home->sections[s];
  out(b, 1, sec->title, UI_LABEL_FOCUS);
  if (sec->why_empty) {
    /* Signed out, every section has the same reason: it is said once, at the top. */
    if (home->sign_in && home->notice && strcmp(sec->why_empty, home->notice) == 0)
      out(b, 3, "Sign in to see them.", UI_INFO);
    else
      para(b, 3, sec->why_empty, UI_WARNING);
    b->y++;
    return;
  }
  if (sec->n_entries == 0) {
    para(b, 3, sec->empty ? sec->empty : "None.", UI_INFO);
  } else {
    int w[8] = { 0 };
    size_t nc = sec->n_columns < 7 ? sec->n_columns : 7;
    widths(sec, w);
    cells(b, w, nc, "Name", (const char *const *)sec->columns, UI_LABEL);
    b->y++;
    size_t shown = 0;
    for (size_t e = 0; e < sec->n_entries; e++) {
      const struct wiz_home_entry *en = &sec->entries[e];
      if (!entry_matches(h, sec, en))
        continue;
      shown++;
      enum ui_elem el = row_start(b);
      if (en->cells || !en->detail) {
        cells(b, w, nc, en->name, (const char *const *)en->cells, el);
      } else if (on_screen(b)) {
        /* A section without columns: its one line of detail takes the rest of the row. */
        ui_put(b->t, b->y, 3, w[0], en->name, el);
        ui_put(b->t, b->y, 5 + w[0], COLS - 8 - w[0], en->detail, el);
      }
      row_end(b);
    }
    if (!shown)
      out(b, 3, "Nothing matches the filter.", UI_INFO);
  }
  for (size_t a = 0; a < sec->n_actions; a++) {
    char *l = xasprintf("> %s", sec->label[a]);
    row(b, l);
    free(l);
  }
  b->y++;
}

static void draw_keys(struct home *h)
{
  ui_fill(h->t, LINES - 1, 0, COLS, UI_NORMAL);
  if (h->filtering) {
    char *l = xasprintf("Filter: %s", h->filter);
    int x = ui_put(h->t, LINES - 1, 1, COLS - 2, l, UI_FIELD_FOCUS);
    free(l);
    ui_put(h->t, LINES - 1, x + 3, COLS - x - 4, "Enter Keep  Esc Clear", UI_KEY_LABEL);
    return;
  }
  static const char *const keys[] = { "Enter",  "Open/actions", "1-9",     "Action", "/",
                                      "Filter", "F5",           "Refresh", "F9/q",   "Quit" };
  int x = 0;
  for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i += 2) {
    x += ui_put(h->t, LINES - 1, x, COLS - x, keys[i], UI_KEY);
    x += ui_put(h->t, LINES - 1, x, COLS - x, " ", UI_KEY_LABEL);
    x += ui_put(h->t, LINES - 1, x, COLS - x, keys[i + 1], UI_KEY_LABEL);
    x += ui_put(h->t, LINES - 1, x, COLS - x, "  ", UI_KEY_LABEL);
  }
  if (*h->filter) {
    char *l = xasprintf("Filter: %s", h->filter);
    ui_put(h->t, LINES - 1, x, COLS - x, l, UI_INFO);
    free(l);
  }
}

/* The action menu of the selected entry: a box over the screen (ncdu's quit dialog). */
static void draw_menu(struct home *h)
{
  const struct row *r = &h->rows[h->sel];
  const struct wiz_home_entry *e = &h->m->home->sections[r->index].entries[r->entry];
  int width = ui_width(e->name) + 8;
  for (size_t a = 0; a < e->n_actions; a++) {
    if (ui_width(e->label[a]) + 10 > width)
      width = ui_width(e->label[a]) + 10;
  }
  if (width < 30)
    width = 30;
  int height = (int)e->n_actions + 4, y = (LINES - height) / 2, x = (COLS - width) / 2;
  for (int i = 0; i < height; i++)
    ui_fill(h->t, y + i, x, width, UI_BOX);
  ui_box(h->t, y, x, height, width, UI_BOX);
  char *title = xasprintf(" %s ", e->name);
  ui_put(h->t, y, x + 2, width - 4, title, UI_LABEL_FOCUS);
  free(title);
  for (size_t a = 0; a < e->n_actions; a++) {
    bool sel = a == h->menu_sel;
    if (sel)
      ui_fill(h->t, y + 2 + (int)a, x + 1, width - 2, UI_SELECTION);
    char *l = xasprintf("%zu  %s", a + 1, e->label[a]);
    ui_put(h->t, y + 2 + (int)a, x + 3, width - 5, l, sel ? UI_SELECTION : UI_BOX);
    free(l);
  }
  ui_fill(h->t, LINES - 1, 0, COLS, UI_NORMAL);
  ui_put(h->t, LINES - 1, 1, COLS - 2, "Enter or 1-9 Run   Up/Down Move   Esc Close", UI_KEY_LABEL);
}

static void draw(struct home *h)
{
  struct ui_term *t = h->t;
  const struct ui_home_model *m = h->m;
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
  char *id = m->home && !m->home->identity ? xasprintf("Not signed in    Cloud: %s", cloud)
                                           : xasprintf("Signed in: %s    Cloud: %s", who, cloud);
  ui_put(t, 1, 1, COLS - 2, id, UI_INFO);
  free(id);
  ui_hline(t, 2, 0, COLS, UI_LINE);
  struct body b = { t, 3 - h->top, LINES - 4, -1, 0, h->sel };
  if (m->home && m->home->sign_in) {
    out(&b, 1, "Not signed in", UI_LABEL_FOCUS);
    if (m->home->notice)
      para(&b, 3, m->home->notice, UI_WARNING);
    row(&b, m->home->sign_in);
    b.y++;
  }
  out(&b, 1, "Wizards", UI_LABEL_FOCUS);
  size_t shown = 0;
  int tw = 0; /* the titles' column: as wide as the widest title */
  for (size_t i = 0; i < m->n_forms; i++) {
    if (ui_width(m->forms[i].title) > tw)
      tw = ui_width(m->forms[i].title);
  }
  /* Each summary beside its title when every one fits there; else the titles alone and the
   * selected one's summary under it, wrapped: a summary is never cut. */
  bool beside = true;
  for (size_t i = 0; i < m->n_forms; i++) {
    const char *sum = m->forms[i].summary;
    if (sum && 3 + tw + 2 + ui_width(sum) > COLS - 3)
      beside = false;
  }
  for (size_t i = 0; i < m->n_forms; i++) {
    if (!contains(m->forms[i].title, h->filter) && !contains(m->forms[i].summary, h->filter))
      continue;
    shown++;
    bool selected = b.r == b.sel;
    const char *sum = beside && m->forms[i].summary ? m->forms[i].summary : "";
    char *l = xasprintf("%-*s  %s", tw, m->forms[i].title, sum);
    row(&b, l);
    free(l);
    if (!beside && selected && m->forms[i].summary)
      para(&b, 5, m->forms[i].summary, UI_INFO);
  }
  if (!shown && m->n_forms)
    out(&b, 3, "Nothing matches the filter.", UI_INFO);
  b.y++;
  out(&b, 1, "Drafts", UI_LABEL_FOCUS);
  if (m->n_drafts == 0)
    out(&b, 3, "No draft. F2 in a wizard saves one (without secrets).", UI_INFO);
  for (size_t i = 0; i < m->n_drafts; i++) {
    const struct ui_home_draft *d = &m->drafts[i];
    if (!contains(d->name, h->filter) && !contains(d->title, h->filter) &&
        !contains(d->form, h->filter))
      continue;
    /* Named by what it makes or edits; the name to resume it by is never cut (the time it
     * was saved is in that name, or it was given by the user). */
    const char *title = d->title && *d->title ? d->title : d->name;
    char *l = xasprintf("%-20s %s %s, step %s  synwiz resume %s", title,
                        d->edit ? "edit of" : "new", d->form, d->step, d->name);
    row(&b, l);
    free(l);
  }
  b.y++;
  if (!m->home) {
    out(&b, 1, "Connections, exports, models and linked services", UI_LABEL_FOCUS);
    para(&b, 3, m->home_missing ? m->home_missing : "Not available yet.", UI_WARNING);
    b.y++;
  }
  for (size_t s = 0; m->home && s < m->home->n_sections; s++)
    draw_section(h, &b, s);
  int bottom = b.bottom, sel_y = b.sel_y;
  if (sel_y >= 0 && (sel_y > bottom || sel_y < 3)) {
    h->top += sel_y > bottom ? sel_y - bottom : sel_y - 3;
    draw(h);
    return;
  }
  ui_hline(t, LINES - 3, 0, COLS, UI_LINE);
  if (m->notice)
    ui_put(t, LINES - 2, 1, COLS - 2, m->notice, UI_INFO);
  if (h->menu)
    draw_menu(h);
  else
    draw_keys(h);
  curs_set(0);
  wnoutrefresh(stdscr);
  doupdate();
}

/* The cursor where the caller left it (ui_home_at). */
static void place(struct home *h)
{
  const struct ui_home_at *at = &h->m->at;
  const struct wiz_home *home = h->m->home;
  size_t same_section = h->n;
  for (size_t i = 0; i < h->n; i++) {
    const struct row *r = &h->rows[i];
    if (r->kind != at->kind || r->index != at->index)
      continue;
    if (r->kind != UI_HOME_ENTRY && r->kind != UI_HOME_SECTION) {
      h->sel = i;
      return;
    }
    if (r->kind == UI_HOME_SECTION) {
      if (r->action == at->entry) {
        h->sel = i;
        return;
      }
      continue;
    }
    const struct wiz_home_entry *e = &home->sections[r->index].entries[r->entry];
    if (at->ref && strcmp(e->ref, at->ref) == 0) {
      h->sel = i;
      return;
    }
    /* Gone (removed): the thing now at its place, or the last one before it. */
    if (r->entry <= at->entry || same_section == h->n)
      same_section = i;
  }
  if (same_section < h->n)
    h->sel = same_section;
  else
    h->sel = at->row < h->n ? at->row : (h->n ? h->n - 1 : 0);
}

static struct ui_home_choice chosen(struct home *h, enum ui_home_kind kind, size_t action)
{
  struct ui_home_choice c;
  memset(&c, 0, sizeof(c));
  c.kind = kind;
  c.row = h->sel;
  if (h->sel < h->n) {
    c.index = h->rows[h->sel].index;
    c.entry = h->rows[h->sel].entry;
    c.action = h->rows[h->sel].kind == UI_HOME_SECTION ? h->rows[h->sel].action : action;
  }
  snprintf(c.filter, sizeof(c.filter), "%s", h->filter);
  return c;
}

static size_t n_actions_of(const struct home *h)
{
  const struct row *r = h->sel < h->n ? &h->rows[h->sel] : NULL;
  if (!r || r->kind != UI_HOME_ENTRY)
    return 0;
  return h->m->home->sections[r->index].entries[r->entry].n_actions;
}

/* A key while the filter is typed: true when it was the filter's. */
static bool key_filter(struct home *h, enum ui_req req, int ch)
{
  size_t len = strlen(h->filter);
  if (req == REQ_CHAR && len + 4 < sizeof(h->filter) && ch < 128) {
    h->filter[len] = (char)ch;
    h->filter[len + 1] = '\0';
  } else if (req == REQ_BACKSPACE && len) {
    h->filter[len - 1] = '\0';
  } else if (req == REQ_KILL) {
    h->filter[0] = '\0';
  } else if (req == REQ_CLOSE) {
    h->filter[0] = '\0';
    h->filtering = false;
  } else if (req == REQ_ENTER || req == REQ_NEXT_FIELD || req == REQ_PREV_FIELD) {
    h->filtering = false;
    return req == REQ_ENTER;
  } else {
    return false;
  }
  h->sel = 0;
  h->top = 0;
  build_rows(h);
  return true;
}

struct ui_home_choice ui_home_run(struct ui_term *t, const struct ui_home_model *m)
{
  struct home h;
  memset(&h, 0, sizeof(h));
  h.t = t;
  h.m = m;
  if (m->filter)
    snprintf(h.filter, sizeof(h.filter), "%s", m->filter);
  build_rows(&h);
  place(&h);
  struct ui_home_choice c;
  for (;;) {
    draw(&h);
    struct ui_event ev = ui_term_next(t, NULL, m->stale ? UI_HOME_CHECK_MS : -1);
    if (ev.kind == UI_EV_HUP) {
      c = chosen(&h, UI_HOME_QUIT, 0);
      c.hangup = 1;
      break;
    }
    if (ev.kind == UI_EV_QUIT) {
      c = chosen(&h, UI_HOME_QUIT, 0);
      c.interrupted = !ui_term_test_mode(t); /* in test mode: the key script ended */
      break;
    }
    if (ev.kind == UI_EV_NONE && m->stale && !h.menu && !h.filtering && m->stale(m->stale_ctx)) {
      c = chosen(&h, UI_HOME_REFRESH, 0);
      break;
    }
    if (ev.kind != UI_EV_KEY)
      continue;
    if (!ev.is_code && ev.key == CTRL_C) {
      c = chosen(&h, UI_HOME_QUIT, 0);
      c.interrupted = true;
      break;
    }
    enum ui_req req = ui_key_request(ev.key, ev.is_code);
    if (h.filtering) {
      key_filter(&h, req, ev.key);
      continue;
    }
    if (h.menu) {
      size_t na = n_actions_of(&h);
      if (req == REQ_NEXT_FIELD && h.menu_sel + 1 < na) {
        h.menu_sel++;
      } else if (req == REQ_PREV_FIELD && h.menu_sel > 0) {
        h.menu_sel--;
      } else if (req == REQ_ENTER && na) {
        c = chosen(&h, UI_HOME_ENTRY, h.menu_sel);
        break;
      } else if (req == REQ_CHAR && ev.key >= '1' && (size_t)(ev.key - '1') < na) {
        c = chosen(&h, UI_HOME_ENTRY, (size_t)(ev.key - '1'));
        break;
      } else if (req == REQ_CLOSE || req == REQ_CANCEL) {
        h.menu = false;
      }
      continue;
    }
    if (req == REQ_CANCEL || (req == REQ_CHAR && (ev.key == 'q' || ev.key == 'Q'))) {
      c = chosen(&h, UI_HOME_QUIT, 0);
      break;
    }
    if (req == REQ_RETRY) {
      c = chosen(&h, UI_HOME_REFRESH, 0);
      c.by_key = true;
      break;
    }
    if ((req == REQ_CHAR && ev.key == '/') || (ev.is_code && ev.key == KEY_F(4))) {
      h.filtering = true;
      continue;
    }
    if (req == REQ_CLOSE && *h.filter) {
      h.filter[0] = '\0';
      build_rows(&h);
      continue;
    }
    if (req == REQ_NEXT_FIELD && h.sel + 1 < h.n)
      h.sel++;
    else if (req == REQ_PREV_FIELD && h.sel > 0)
      h.sel--;
    else if (req == REQ_PAGE_DOWN)
      h.sel = h.sel + 10 < h.n ? h.sel + 10 : (h.n ? h.n - 1 : 0);
    else if (req == REQ_PAGE_UP)
      h.sel = h.sel > 10 ? h.sel - 10 : 0;
    else if (req == REQ_CHAR && ev.key >= '1' && ev.key <= '9' &&
             (size_t)(ev.key - '1') < n_actions_of(&h)) {
      c = chosen(&h, UI_HOME_ENTRY, (size_t)(ev.key - '1'));
      break;
    } else if (req == REQ_ENTER && h.sel < h.n) {
      if (h.rows[h.sel].kind == UI_HOME_ENTRY) {
        if (n_actions_of(&h)) {
          h.menu = true;
          h.menu_sel = 0;
        }
        continue;
      }
      c = chosen(&h, h.rows[h.sel].kind, 0);
      break;
    }
    if (h.sel < 3)
      h.top = 0;
  }
  free(h.rows);
  return c;
}
