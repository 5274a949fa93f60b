/* The wizard screens: step frames, lists, help, review, progress and report. */
#include "ui/ui_wizard.h"
#include "ui/ui_keys.h"
#include "ui/ui_kind.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <wctype.h>

#define MIN_COLS   80
#define MIN_ROWS   24
#define LABEL_W    UI_LABEL_W
#define ROW_CREATE UI_ROW_CREATE

static const struct wiz_field *FLD(struct ui *u, size_t i)
{
  return &u->form->fields[i];
}

const struct wiz_field *ui_field(struct ui *u, size_t f)
{
  return FLD(u, f);
}

static void set_note(struct ui *u, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void vset_note(struct ui *u, bool error, const char *fmt, va_list ap)
{
  free(u->note);
  u->note = NULL;
  if (!fmt)
    return;
  char buf[512];
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  u->note = xstrdup(n >= 0 ? buf : "");
  u->note_error = error;
}

static void set_note(struct ui *u, bool error, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vset_note(u, error, fmt, ap);
  va_end(ap);
}

void ui_note(struct ui *u, bool error, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vset_note(u, error, fmt, ap);
  va_end(ap);
}

/* ---------- text editing on a field's value, by character ---------- */

static size_t to_wide(const char *s, wchar_t *out, size_t max)
{
  size_t n = mbstowcs(out, s ? s : "", max - 1);
  if (n == (size_t)-1)
    n = 0;
  out[n] = L'\0';
  return n;
}

static char *from_wide(const wchar_t *ws)
{
  size_t n = wcstombs(NULL, ws, 0);
  if (n == (size_t)-1)
    return xstrdup("");
  char *s = xmalloc(n + 1);
  wcstombs(s, ws, n + 1);
  return s;
}

void ui_text_edit(struct ui *u, size_t f, enum ui_req req, int ch)
{
  const struct wiz_value *v = wiz_value(u->w, f);
  wchar_t buf[1024];
  size_t n = to_wide(v->text, buf, 1024);
  size_t *c = &u->cursor[f];
  if (*c > n)
    *c = n;
  switch (req) {
  case REQ_CHAR:
    if (n + 1 >= 1024 || (FLD(u, f)->max_length && n >= FLD(u, f)->max_length))
      return;
    memmove(&buf[*c + 1], &buf[*c], (n - *c + 1) * sizeof(wchar_t));
    buf[(*c)++] = (wchar_t)ch;
    break;
  case REQ_BACKSPACE:
    if (*c == 0)
      return;
    memmove(&buf[*c - 1], &buf[*c], (n - *c + 1) * sizeof(wchar_t));
    (*c)--;
    break;
  case REQ_DELETE:
    if (*c >= n)
      return;
    memmove(&buf[*c], &buf[*c + 1], (n - *c) * sizeof(wchar_t));
    break;
  case REQ_KILL:
    buf[0] = L'\0';
    *c = 0;
    break;
  case REQ_LEFT:
    if (*c > 0)
      (*c)--;
    return;
  case REQ_RIGHT:
    if (*c < n)
      (*c)++;
    return;
  case REQ_HOME:
    *c = 0;
    return;
  case REQ_END:
    *c = n;
    return;
  default:
    return;
  }
  char *s = from_wide(buf);
  bool secret = v->type == WIZ_V_SECRET;
  wiz_set_text(u->w, f, s);
  if (secret)
    xfree_secret(s);
  else
    free(s);
  secure_wipe(buf, sizeof(buf));
}

/* ---------- lists ---------- */

/* Case-insensitive substring (ASCII case folding; strcasestr is a GNU extension). */
static bool ci_contains(const char *hay, const char *needle)
{
  size_t n = strlen(needle);
  for (; *hay; hay++) {
    if (strncasecmp(hay, needle, n) == 0)
      return true;
  }
  return n == 0;
}

static bool matches(struct ui *u, const struct wiz_item *it)
{
  if (u->filter_len == 0)
    return true;
  char *f = from_wide(u->filter);
  bool m = ci_contains(it->label, f) || ci_contains(it->id, f) ||
           (it->detail && ci_contains(it->detail, f));
  free(f);
  return m;
}

/* The rows of the open list: indexes into the items; ROW_CREATE = "create new". */
static size_t list_rows(struct ui *u, size_t *rows, size_t max)
{
  size_t n = 0;
  const struct wiz_field *f = FLD(u, u->list_field);
  const struct ui_kind_ops *ops = ui_kind_ops(f);
  const struct wiz_list *l = wiz_items(u->w, u->list_field, u->list_src);
  if (ops->list_plain && ops->list_plain(u, u->list_field)) {
    for (size_t i = 0; i < l->n && n < max; i++)
      rows[n++] = i;
    return n;
  }
  for (size_t i = 0; i < l->n && n < max; i++) {
    if (!matches(u, &l->items[i]))
      continue;
    if (ops->list_accepts && !ops->list_accepts(u, u->list_field, &l->items[i]))
      continue;
    rows[n++] = i;
  }
  if (f->create_new && wiz_load_state(u->w, u->list_field, u->list_src) == WIZ_LOAD_DONE && n < max)
    rows[n++] = ROW_CREATE;
  return n;
}

void ui_list_open(struct ui *u, size_t f, enum wiz_src src)
{
  u->mode = M_LIST;
  u->list_field = f;
  u->list_src = src;
  u->filter_len = 0;
  u->filter[0] = L'\0';
  u->sel = u->top = 0;
  const struct wiz_value *v = wiz_value(u->w, f);
  if (src == WIZ_SRC_ITEMS && v->type == WIZ_V_ITEM) {
    /* Start on the chosen item. */
    size_t rows[512];
    size_t n = list_rows(u, rows, 512);
    for (size_t i = 0; v->item.id && i < n; i++) {
      if (rows[i] != ROW_CREATE &&
          strcmp(wiz_items(u->w, f, src)->items[rows[i]].id, v->item.id) == 0)
        u->sel = i;
    }
  }
  wiz_refresh(u->w);
}

void ui_list_close(struct ui *u)
{
  free(u->map_attr);
  u->map_attr = NULL;
  u->mode = M_STEP;
}

void ui_list_choose(struct ui *u)
{
  size_t rows[512];
  size_t n = list_rows(u, rows, 512);
  if (u->sel >= n)
    return;
  size_t f = u->list_field;
  const struct wiz_field *fd = FLD(u, f);
  if (rows[u->sel] == ROW_CREATE) {
    u->mode = M_NEWNAME;
    u->newname_len = 0;
    u->newname[0] = L'\0';
    u->newname_msg = NULL;
    return;
  }
  const struct ui_kind_ops *ops = ui_kind_ops(fd);
  if (ops->list_choose)
    ops->list_choose(u, f, rows[u->sel]);
}

void ui_list_enter(struct ui *u, size_t f)
{
  if (!wiz_enabled(u->w, f)) {
    set_note(u, true, "%s", wiz_disabled_reason(u->w, f));
    return;
  }
  ui_list_open(u, f, WIZ_SRC_ITEMS);
}

/* ---------- layout of a step ---------- */

struct block {
  size_t field;
  int y, h; /* relative to the body's first row, before scrolling */
  int label_rows;
  char *msg[4];
  int n_msg;
  enum ui_elem msg_elem;
};

static int value_x(void)
{
  return 2 + LABEL_W + 1;
}

static int value_w(void)
{
  return COLS - value_x() - 2;
}

int ui_value_x(void)
{
  return value_x();
}

int ui_value_w(void)
{
  return value_w();
}

static const char *label_of(const struct wiz_field *f)
{
  return f->label ? f->label : f->id;
}

static void block_message(struct ui *u, struct block *b)
{
  size_t f = b->field;
  b->n_msg = 0;
  const char *msg = NULL;
  enum wiz_check c = wiz_check(u->w, f, &msg, NULL);
  const char *text = NULL;
  if (!wiz_enabled(u->w, f) && wiz_focusable(u->w, f)) {
    text = wiz_disabled_reason(u->w, f);
    b->msg_elem = UI_FIELD_DISABLED;
  } else if (msg && c != WIZ_CHECK_OK && wiz_message_shown(u->w, f)) {
    text = msg;
    b->msg_elem = c == WIZ_CHECK_ERROR ? UI_ERROR : c == WIZ_CHECK_WARN ? UI_WARNING : UI_INFO;
  }
  if (!text)
    return;
  char *line =
      xasprintf("%s %s", c == WIZ_CHECK_PENDING ? "..." : ui_glyph(u->t, UI_G_ERROR), text);
  if (b->msg_elem == UI_FIELD_DISABLED) {
    free(line);
    line = xstrdup(text);
  }
  b->n_msg = ui_wrap_fit(line, value_w(), b->msg, 4);
  if (b->n_msg > 4)
    b->n_msg = 4;
  free(line);
}

static size_t layout(struct ui *u, struct block *blocks, size_t max, int *out_top_help,
                     char **help_lines, int *n_help)
{
  size_t step = wiz_step(u->w);
  const struct wiz_step *s = &u->form->steps[step];
  int y = 0;
  *n_help = 0;
  if (s->help) {
    *n_help = ui_wrap_fit(s->help, COLS - 4, help_lines, 4);
    if (*n_help > 4)
      *n_help = 4;
    y += *n_help + 1;
  }
  *out_top_help = y;
  size_t n = 0;
  for (size_t i = 0; i < s->n_fields && n < max; i++) {
    size_t f = s->fields[i];
    if (!wiz_visible(u->w, f))
      continue;
    struct block *b = &blocks[n++];
    memset(b, 0, sizeof(*b));
    b->field = f;
    b->y = y;
    const struct wiz_field *fd = FLD(u, f);
    const struct ui_kind_ops *ops = ui_kind_ops(fd);
    if (ops->flags & UI_KF_BARE) {
      b->h = ops->rows ? ops->rows(u, f) : 1;
      y += b->h;
      continue;
    }
    char *lab = xasprintf("%s%s", label_of(fd), fd->required ? " *" : "");
    b->label_rows = ui_width(lab) > LABEL_W ? 1 : 0;
    free(lab);
    int value_rows = ops->rows ? ops->rows(u, f) : 1;
    block_message(u, b);
    b->h = b->label_rows + value_rows + b->n_msg;
    y += b->h;
  }
  return n;
}

static void free_blocks(struct block *blocks, size_t n)
{
  for (size_t i = 0; i < n; i++)
    for (int k = 0; k < blocks[i].n_msg; k++)
      free(blocks[i].msg[k]);
}

/* ---------- drawing ---------- */

static const char *spinner(struct ui *u)
{
  static const char *const frames[] = { "|", "/", "-", "\\" };
  return frames[u->spin % 4];
}

const char *ui_spinner(struct ui *u)
{
  return spinner(u);
}

/* A step's part of the rail: "[2 Azure ML]" for the current one, "3 Authentication" (its
 * name in at most `k` columns) for the others, only its number when k is 0. */
static char *rail_part(struct ui *u, size_t i, int k, int *width)
{
  const char *title = wiz_step_title(u->w, i);
  char *part = i == wiz_step(u->w) ? xasprintf("[%zu %s]", i + 1, title)
               : k > 0             ? xasprintf("%zu %s", i + 1, title)
                                   : xasprintf("%zu", i + 1);
  *width = ui_width(part);
  if (i != wiz_step(u->w) && k > 0 && ui_width(title) > k)
    *width -= ui_width(title) - k; /* ui_put cuts it there, with an ellipsis */
  return part;
}

/* The step rail: every step's name when they fit; else the current step's whole and the
 * others' cut to the widest that fits (each cut one ending with an ellipsis); else numbers.
 * An action on a saved thing has no steps to show. */
static void draw_rail(struct ui *u)
{
  struct ui_term *t = u->t;
  size_t n = u->o->action ? 0 : wiz_step_count(u->w);
  ui_fill(t, 1, 0, COLS, UI_NORMAL);
  if (n == 0)
    return;
  int sep = 2 + ui_width(ui_glyph(t, UI_G_RAIL_SEP)), longest = 0;
  for (size_t i = 0; i < n; i++) {
    int w = ui_width(wiz_step_title(u->w, i));
    longest = w > longest ? w : longest;
  }
  /* Every name whole, else cut to k columns; below 6 a cut name says nothing: numbers. */
  int k = longest;
  for (; k > 0; k = k > 6 ? k - 1 : 0) {
    int total = 1 + sep * (int)(n - 1), w = 0;
    for (size_t i = 0; i < n; i++) {
      free(rail_part(u, i, k, &w));
      total += w;
    }
    if (total + 1 <= COLS)
      break;
  }
  char *sep_text = xasprintf(" %s ", ui_glyph(t, UI_G_RAIL_SEP));
  int x = 1;
  for (size_t i = 0; i < n && x < COLS; i++) {
    if (i)
      x += ui_put(t, 1, x, COLS - x, sep_text, UI_RAIL);
    int w = 0;
    char *part = rail_part(u, i, k, &w);
    bool cur = i == wiz_step(u->w);
    x += ui_put(t, 1, x, w < COLS - x ? w : COLS - x, part, cur ? UI_RAIL_CURRENT : UI_RAIL);
    free(part);
  }
  free(sep_text);
}

/* The title bar: what is on screen at the left, then the cloud and the step at the right as
 * far as they fit (the title wins: "editing sales_lake" matters more than "Sandbox"). */
static void draw_frame(struct ui *u, const char *cloud, const char *step)
{
  struct ui_term *t = u->t;
  ui_fill(t, 0, 0, COLS, UI_TITLE);
  /* Say what is on screen: a new thing, an edit of a saved one, or an action on one (the
   * home screen's "Test connection" is not the creation wizard it borrows its screens from). */
  const char *editing = wiz_editing(u->w);
  char *title =
      !editing ? xstrdup(u->form->title)
      : u->o->action
          ? xasprintf("%s: %s", u->o->action_label ? u->o->action_label : u->o->action, editing)
          : xasprintf("%s: editing %s", u->form->title, editing);
  char *right = cloud && step ? xasprintf("%s  %s", cloud, step)
                              : xstrdup(cloud  ? cloud
                                        : step ? step
                                               : "");
  int room = COLS - 2 - ui_width(title) - 2;
  if (ui_width(right) > room && cloud && step) {
    free(right);
    right = xstrdup(step);
  }
  int right_w = ui_width(right) <= room ? ui_width(right) : 0;
  ui_put(t, 0, 1, COLS - 2 - (right_w ? right_w + 2 : 0), title, UI_TITLE);
  if (right_w)
    ui_put(t, 0, COLS - right_w - 1, right_w, right, UI_TITLE);
  free(title);
  free(right);
  draw_rail(u);
  ui_hline(t, 2, 0, COLS, UI_LINE);
  ui_hline(t, LINES - 3, 0, COLS, UI_LINE);
}

static void draw_keybar(struct ui *u, const char *const *items, size_t n)
{
  ui_fill(u->t, LINES - 1, 0, COLS, UI_NORMAL);
  int x = 0;
  for (size_t i = 0; i + 1 < n * 2 && i < n * 2; i += 2) {
    const char *k = items[i], *l = items[i + 1];
    int need = ui_width(k) + ui_width(l) + 2;
    if (x + need > COLS)
      break;
    x += ui_put(u->t, LINES - 1, x, COLS - x, k, UI_KEY);
    x += ui_put(u->t, LINES - 1, x, COLS - x, " ", UI_KEY_LABEL);
    x += ui_put(u->t, LINES - 1, x, COLS - x, l, UI_KEY_LABEL);
    x += ui_put(u->t, LINES - 1, x, COLS - x, " ", UI_KEY_LABEL);
  }
}

/* The status line. A note too long for it takes the rule's row above as well, broken
 * first where it has a newline: what a user must type (the `synwiz resume NAME` hint) is
 * never cut. */
static void draw_status(struct ui *u)
{
  ui_fill(u->t, LINES - 2, 0, COLS, UI_NORMAL);
  const char *text = u->note ? u->note : wiz_status(u->w);
  enum ui_elem e = u->note && !u->note_error ? UI_INFO : UI_ERROR;
  if (!*text)
    return;
  int w = COLS - 2;
  char *flat = xstrdup(text);
  for (char *c = flat; *c; c++) {
    if (*c == '\n')
      *c = ' ';
  }
  if (ui_width(flat) <= w) {
    ui_put(u->t, LINES - 2, 1, w, flat, e);
    free(flat);
    return;
  }
  free(flat);
  char *lines[2];
  int n = 0;
  const char *nl = strchr(text, '\n');
  if (nl) {
    char *head = xstrndup(text, (size_t)(nl - text));
    n = ui_wrap_fit(head, w, lines, 1);
    free(head);
    n += ui_wrap_fit(nl + 1, w, lines + n, 2 - n);
  } else {
    n = ui_wrap_fit(text, w, lines, 2);
  }
  for (int k = 0; k < n; k++) {
    int y = LINES - 1 - n + k;
    ui_fill(u->t, y, 0, COLS, UI_NORMAL);
    ui_put(u->t, y, 1, w, lines[k], e);
    free(lines[k]);
  }
}

void ui_text_draw(struct ui *u, size_t f, int y, bool focus, bool masked)
{
  struct ui_term *t = u->t;
  const struct wiz_field *fd = FLD(u, f);
  int x = value_x(), w = value_w();
  /* The box looks the same focused or not: the marker before the label and the cursor
   * show the focus, so moving between fields repaints the two markers, not two whole boxes
   * of blanks and two labels (issue 14: fewer bytes than dialog). */
  enum ui_elem box = !wiz_enabled(u->w, f) ? UI_FIELD_DISABLED : UI_FIELD;
  enum ui_elem text = box;
  ui_fill(t, y, x, w, box);
  const struct wiz_value *v = wiz_value(u->w, f);
  wchar_t buf[1024];
  size_t n = to_wide(v->text, buf, 1024);
  if (masked) {
    for (size_t i = 0; i < n; i++)
      buf[i] = L'*';
    if (v->env)
      n = 0;
  }
  size_t c = u->cursor[f] > n ? n : u->cursor[f];
  size_t start = c >= (size_t)(w - 1) ? c - (size_t)(w - 2) : 0;
  if (n == 0 && !focus && (fd->placeholder || v->env)) {
    char *disp = wiz_display(u->w, f);
    ui_put(t, y, x + 1, w - 2, v->env ? disp : fd->placeholder, UI_PLACEHOLDER);
    free(disp);
  } else {
    char *s = from_wide(buf + start);
    ui_put(t, y, x + 1, w - 2, s, text);
    free(s);
  }
  if (focus) {
    u->cursor_y = y;
    u->cursor_x = x + 1 + (int)(c - start);
  }
  secure_wipe(buf, sizeof(buf));
}

void ui_list_value(struct ui *u, size_t f, int y, bool focus, const char *shown)
{
  struct ui_term *t = u->t;
  const struct wiz_field *fd = FLD(u, f);
  int x = value_x(), w = value_w();
  bool enabled = wiz_enabled(u->w, f);
  enum ui_elem box = !enabled ? UI_FIELD_DISABLED : UI_FIELD; /* as ui_text_draw's */
  ui_fill(t, y, x, w, box);
  enum wiz_load_state ls = wiz_load_state(u->w, f, WIZ_SRC_ITEMS);
  enum ui_elem e = box;
  if (!*shown) {
    shown = fd->placeholder ? fd->placeholder : "Select an option";
    e = enabled ? UI_PLACEHOLDER : UI_FIELD_DISABLED;
  }
  ui_put(t, y, x + 1, w - 14, shown, e);
  if (ls == WIZ_LOAD_LOADING) {
    char *l = xasprintf("%s Loading...", spinner(u));
    ui_put(t, y, x + w - 13, 12, l, box);
    free(l);
  } else if (ls == WIZ_LOAD_FAILED) {
    ui_put(t, y, x + w - 13, 12, "! not loaded", UI_ERROR);
  }
  ui_put(t, y, x + w - 1, 1, ui_glyph(t, UI_G_DOWN), box);
}

static void draw_value(struct ui *u, size_t f, int y, bool focus)
{
  const struct ui_kind_ops *ops = ui_kind_ops(FLD(u, f));
  if (ops->draw)
    ops->draw(u, f, y, focus);
}

void ui_item_text(const struct wiz_item *it, struct strbuf *sb)
{
  strbuf_puts(sb, it->label);
  if (it->invalid_reason)
    strbuf_printf(sb, "  (refused: %s)", it->invalid_reason);
  else if (it->detail && strcmp(it->detail, it->label) != 0)
    strbuf_printf(sb, "  %s", it->detail);
}

/* An item's row in the open list: the kind's, else its label and why it is refused or its
 * detail. */
static void item_line(struct ui *u, const struct wiz_item *it, struct strbuf *sb)
{
  const struct ui_kind_ops *ops = ui_kind_ops(FLD(u, u->list_field));
  if (ops->list_line)
    ops->list_line(u, u->list_field, it, sb);
  else
    ui_item_text(it, sb);
}

static void draw_list(struct ui *u, int anchor_y)
{
  struct ui_term *t = u->t;
  size_t f = u->list_field;
  const struct wiz_field *fd = FLD(u, f);
  int body_top = 3, body_bot = LINES - 4;
  int x = value_x() - 2, w = value_w() + 4;
  if (x + w > COLS)
    w = COLS - x;
  int y = anchor_y + 1;
  int h = body_bot - y + 1;
  if (h < 8) {
    y = body_top;
    h = body_bot - body_top + 1;
  }
  ui_box(t, y, x, h, w, UI_BOX);
  const struct ui_kind_ops *ops = ui_kind_ops(fd);
  char *kt = ops->list_title ? ops->list_title(u, f) : NULL;
  char *title = xasprintf(" %s ", kt ? kt : label_of(fd));
  free(kt);
  ui_put(t, y, x + 2, w - 4, title, UI_BOX);
  free(title);
  int row = y + 1;
  if (!ops->list_plain || !ops->list_plain(u, f)) {
    char *flt = from_wide(u->filter);
    char *line = xasprintf("Filter: %s", flt);
    ui_put(t, row, x + 2, w - 4, line, UI_BOX);
    u->cursor_y = row;
    u->cursor_x = x + 2 + ui_width(line);
    free(line);
    free(flt);
    row++;
  }
  enum wiz_load_state ls = wiz_load_state(u->w, f, u->list_src);
  if (ls == WIZ_LOAD_LOADING || ls == WIZ_LOAD_IDLE) {
    char *l = xasprintf("%s Loading...", spinner(u));
    ui_put(t, row + 1, x + 2, w - 4, l, UI_INFO);
    free(l);
    ui_put(t, row + 2, x + 2, w - 4, "Esc or Tab leaves the list; it goes on loading.", UI_BOX);
    return;
  }
  if (ls == WIZ_LOAD_FAILED) {
    const char *hint = NULL;
    const char *err = wiz_load_error(u->w, f, u->list_src, &hint);
    char *l = xasprintf("%s Could not load the list: %s", ui_glyph(t, UI_G_ERROR), err);
    char *lines[6];
    int n = ui_wrap_fit(l, w - 4, lines, 6);
    for (int i = 0; i < n && i < 6; i++) {
      ui_put(t, row + 1 + i, x + 2, w - 4, lines[i], UI_ERROR);
      free(lines[i]);
    }
    free(l);
    int r = row + 2 + (n < 6 ? n : 6);
    if (hint)
      ui_put(t, r++, x + 2, w - 4, hint, UI_BOX);
    ui_put(t, r + 1, x + 2, w - 4, "F5 or Ctrl-R: try again", UI_KEY_LABEL);
    return;
  }
  size_t rows[512];
  size_t n = list_rows(u, rows, 512);
  int avail = y + h - 1 - row;
  if (n == 0)
    ui_put(t, row, x + 2, w - 4, "Nothing matches the filter.", UI_INFO);
  if (u->sel >= n && n)
    u->sel = n - 1;
  if (u->sel < u->top)
    u->top = u->sel;
  const struct wiz_list *items = wiz_items(u->w, f, u->list_src);
  /* The chosen row in full at the box's foot when it does not fit on its row: why an item
   * is refused, or which storage account it is, must be readable, not cut. */
  if (n && rows[u->sel] != ROW_CREATE && avail > 6) {
    const struct wiz_item *it = &items->items[rows[u->sel]];
    struct strbuf sb;
    strbuf_init(&sb, 0);
    item_line(u, it, &sb);
    if (ui_width(sb.buf) > w - 4) {
      char *lines[3];
      int nl = ui_wrap_fit(sb.buf, w - 4, lines, 3);
      if (nl > 3)
        nl = 3;
      avail -= nl + 1;
      for (int k = 0; k < nl; k++) {
        ui_put(t, y + h - 1 - nl + k, x + 2, w - 4, lines[k],
               it->invalid_reason ? UI_REFUSED : UI_INFO);
        free(lines[k]);
      }
    }
    strbuf_done(&sb);
  }
  if ((int)(u->sel - u->top) >= avail)
    u->top = u->sel - (size_t)avail + 1;
  for (size_t i = u->top; i < n && (int)(i - u->top) < avail; i++) {
    int r = row + (int)(i - u->top);
    bool sel = i == u->sel;
    ui_fill(t, r, x + 1, w - 2, sel ? UI_SELECTION : UI_BOX);
    if (rows[i] == ROW_CREATE) {
      char *l = xasprintf("+ %s", fd->create_label);
      ui_put(t, r, x + 2, w - 4, l, sel ? UI_SELECTION : UI_INFO);
      free(l);
      continue;
    }
    const struct wiz_item *it = &items->items[rows[i]];
    struct strbuf sb;
    strbuf_init(&sb, 0);
    item_line(u, it, &sb);
    ui_put(t, r, x + 2, w - 4, sb.buf,
           sel                  ? UI_SELECTION
           : it->invalid_reason ? UI_REFUSED
                                : UI_BOX);
    strbuf_done(&sb);
  }
}

static void draw_newname(struct ui *u, int anchor_y)
{
  struct ui_term *t = u->t;
  const struct wiz_field *fd = FLD(u, u->list_field);
  int x = value_x() - 2, w = value_w() + 4, y = anchor_y + 1;
  char *name = from_wide(u->newname);
  const char *msg = NULL;
  if (!*name || !fd->create_rule || wiz_rule_check(fd->create_rule, name, &msg) != WIZ_CHECK_ERROR)
    msg = u->newname_msg;
  /* The rule's message wrapped in the box, which grows for it: a cut rule cannot be read. */
  char *lines[4];
  int n = msg ? ui_wrap_fit(msg, w - 4, lines, 4) : 0;
  int h = 6 + (n > 1 ? n - 1 : 0);
  if (y + h > LINES - 3)
    y = LINES - 3 - h;
  ui_box(t, y, x, h, w, UI_BOX);
  char *title = xasprintf(" %s ", fd->create_label);
  ui_put(t, y, x + 2, w - 4, title, UI_BOX);
  free(title);
  ui_put(t, y + 1, x + 2, w - 4, "Name:", UI_BOX);
  ui_fill(t, y + 2, x + 2, w - 4, UI_FIELD_FOCUS);
  ui_put(t, y + 2, x + 3, w - 6, name, UI_FIELD_FOCUS);
  u->cursor_y = y + 2;
  u->cursor_x = x + 3 + ui_width(name);
  for (int k = 0; k < n; k++) {
    ui_put(t, y + 3 + k, x + 2, w - 4, lines[k], UI_ERROR);
    free(lines[k]);
  }
  ui_put(t, y + h - 2, x + 2, w - 4, "Enter: use this name   Esc: back to the list", UI_BOX);
  free(name);
}

static void draw_help(struct ui *u)
{
  struct ui_term *t = u->t;
  int y = 3, h = LINES - 6, x = 2, w = COLS - 4;
  ui_box(t, y, x, h, w, UI_BOX);
  size_t f = wiz_focus(u->w);
  const char *title = " Help ";
  const char *text = NULL;
  if (!wiz_on_review(u->w) && f < u->form->n_fields) {
    title = label_of(FLD(u, f));
    text = FLD(u, f)->help;
  } else if (wiz_on_review(u->w)) {
    title = u->form->review_title;
    text = u->form->review_help;
  }
  char *tt = xasprintf(" %s ", title);
  ui_put(t, y, x + 2, w - 4, tt, UI_BOX);
  free(tt);
  int row = y + 1;
  char *lines[12];
  int n = ui_wrap_fit(text ? text : "No help for this field.", w - 4, lines, 12);
  for (int i = 0; i < n && i < 12; i++) {
    ui_put(t, row++, x + 2, w - 4, lines[i], UI_BOX);
    free(lines[i]);
  }
  row++;
  static const enum ui_req shown[] = { REQ_NEXT_STEP,  REQ_PREV_STEP, REQ_SAVE_DRAFT, REQ_CANCEL,
                                       REQ_NEXT_FIELD, REQ_ENTER,     REQ_REVEAL,     REQ_RETRY,
                                       REQ_ALL,        REQ_KILL,      REQ_CLOSE };
  for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]) && row < y + h - 2; i++) {
    char *l = xasprintf("%-20s %s", ui_req_keys(shown[i]), ui_req_help(shown[i]));
    ui_put(t, row++, x + 2, w - 4, l, UI_BOX);
    free(l);
  }
  ui_put(t, y + h - 2, x + 2, w - 4, "Esc, Enter or F1: close", UI_KEY_LABEL);
}

static void draw_review(struct ui *u)
{
  struct ui_term *t = u->t;
  int row = 3 - u->scroll, bottom = LINES - 4;
  if (u->form->review_help) {
    char *lines[3];
    int n = ui_wrap_fit(u->form->review_help, COLS - 4, lines, 3);
    for (int i = 0; i < n && i < 3; i++) {
      if (row >= 3 && row <= bottom)
        ui_put(t, row, 2, COLS - 4, lines[i], UI_INFO);
      row++;
      free(lines[i]);
    }
    row++;
  }
  for (size_t s = 0; s < u->form->n_steps; s++) {
    char *head = xasprintf("%zu  %s", s + 1, u->form->steps[s].title);
    if (row >= 3 && row <= bottom)
      ui_put(t, row, 1, COLS - 2, head, UI_LABEL_FOCUS);
    free(head);
    row++;
    const struct wiz_step *st = &u->form->steps[s];
    for (size_t i = 0; i < st->n_fields; i++) {
      size_t f = st->fields[i];
      const struct wiz_field *fd = FLD(u, f);
      if (!wiz_visible(u->w, f) || (ui_kind_ops(fd)->flags & UI_KF_BARE))
        continue;
      char *disp = wiz_display(u->w, f);
      const char *msg = NULL;
      enum wiz_check c = wiz_check(u->w, f, &msg, NULL);
      /* A long label wraps in its column (the review is where every answer is read). */
      char *labels[3];
      int nl = ui_wrap_fit(label_of(fd), value_x() - 6, labels, 3);
      if (nl > 3)
        nl = 3;
      if (row >= 3 && row <= bottom) {
        int used = ui_put(t, row, value_x(), value_w(), *disp ? disp : "-", UI_NORMAL);
        if (c == WIZ_CHECK_ERROR || c == WIZ_CHECK_PENDING)
          ui_put(t, row, value_x() + used + 2, value_w() - used - 2, msg ? msg : "invalid",
                 UI_ERROR);
      }
      for (int k = 0; k < nl; k++) {
        if (row >= 3 && row <= bottom)
          ui_put(t, row, 4, value_x() - 6, labels[k], UI_LABEL);
        free(labels[k]);
        row++;
      }
      if (nl == 0)
        row++;
      free(disp);
    }
    row++;
  }
}

static void draw_progress(struct ui *u)
{
  struct ui_term *t = u->t;
  const struct wiz_progress *p = wiz_job_progress_now(u->w);
  int y = 5;
  char *title = xasprintf("%s...", wiz_job_label(u->w));
  ui_put(t, y, 4, COLS - 8, title, UI_LABEL_FOCUS);
  free(title);
  y += 2;
  if (p->fraction >= 0) {
    int bw = COLS - 20;
    int done = (int)(p->fraction * bw + 0.5);
    if (done > bw)
      done = bw;
    ui_put(t, y, 4, 1, "[", UI_NORMAL);
    for (int i = 0; i < bw; i++)
      ui_put(t, y, 5 + i, 1, ui_glyph(t, i < done ? UI_G_BAR_DONE : UI_G_BAR_TODO),
             i < done ? UI_BAR_DONE : UI_BAR_TODO);
    char *pct = xasprintf("] %3d%%", (int)(p->fraction * 100 + 0.5));
    ui_put(t, y, 5 + bw, 8, pct, UI_NORMAL);
    free(pct);
    y += 2;
    struct strbuf sb;
    strbuf_init(&sb, 0);
    if (p->total_bytes > 0)
      strbuf_printf(&sb, "%.1f MB of %.1f MB", p->done_bytes / 1e6, p->total_bytes / 1e6);
    if (p->eta_seconds >= 0)
      strbuf_printf(&sb, "%s%ld:%02ld left", sb.len ? ", " : "", p->eta_seconds / 60,
                    p->eta_seconds % 60);
    ui_put(t, y, 4, COLS - 8, sb.buf, UI_NORMAL);
    strbuf_done(&sb);
    y += 2;
    if (p->status)
      ui_put(t, y, 4, COLS - 8, p->status, UI_INFO);
  } else {
    /* The status may be long (a countdown with its limit): wrapped, never cut. */
    ui_put(t, y, 4, 2, spinner(u), UI_INFO);
    char *lines[4];
    int n = ui_wrap_fit(p->status ? p->status : "Working...", COLS - 11, lines, 4);
    for (int k = 0; k < n && k < 4; k++) {
      ui_put(t, y + k, 7, COLS - 11, lines[k], UI_INFO);
      free(lines[k]);
    }
  }
}

/* One report paragraph, word-wrapped at the screen's width (never cut: a report is where the
 * user reads what Azure said and what to do), from row *row on, shown only between the
 * report's top and bottom rows; *row advances past it either way so scrolling works. */
static void report_text(struct ui *u, int *row, int x, const char *text, enum ui_elem e)
{
  int bottom = u->report_bottom, width = COLS - x - 1;
  if (width < 10)
    width = 10;
  char *lines[24];
  int n = ui_wrap_fit(text, width, lines, 24);
  for (int k = 0; k < n && k < 24; k++) {
    if (*row >= 3 && *row <= bottom)
      ui_put(u->t, *row, x, width, lines[k], e);
    (*row)++;
    free(lines[k]);
  }
  if (n == 0)
    (*row)++;
}

static void draw_report(struct ui *u)
{
  struct ui_term *t = u->t;
  const struct wiz_report *r = wiz_job_report(u->w);
  if (!r)
    return;
  /* The follow-ups (what to do next) stay in view below the findings, which scroll. */
  size_t nf = r->n_followups < 9 ? r->n_followups : 9;
  u->report_bottom = LINES - 4 - (nf ? (int)nf + 1 : 0);
  int row = 3 - u->report_top, bottom = u->report_bottom;
  enum ui_elem te = r->outcome == WIZ_OUTCOME_DONE        ? UI_OK
                    : r->outcome == WIZ_OUTCOME_CANCELLED ? UI_WARNING
                                                          : UI_ERROR;
  char *head = xasprintf("%s (%s)", r->title, wiz_outcome_name(r->outcome));
  report_text(u, &row, 1, head, te);
  free(head);
  if (r->summary)
    report_text(u, &row, 1, r->summary, UI_NORMAL);
  row++;
  for (size_t i = 0; i < r->n_findings; i++) {
    const struct wiz_finding *f = &r->findings[i];
    static const char *const tags[] = { "[PASS]", "[FAIL]", "[WARN]", "[INFO]" };
    static const enum ui_elem el[] = { UI_OK, UI_ERROR, UI_WARNING, UI_INFO };
    if (row >= 3 && row <= bottom)
      ui_put(t, row, 1, 6, tags[f->status], el[f->status]);
    report_text(u, &row, 8, f->title, UI_LABEL_FOCUS);
    if (f->scope) {
      char *s = xasprintf("scope: %s", f->scope);
      report_text(u, &row, 8, s, UI_NORMAL);
      free(s);
    }
    if (f->detail)
      report_text(u, &row, 8, f->detail, UI_NORMAL);
    if (f->why) {
      char *s = xasprintf("why: %s", f->why);
      report_text(u, &row, 8, s, UI_INFO);
      free(s);
    }
  }
  if (r->n_plan) {
    row++;
    report_text(u, &row, 1, "Dry run: the calls that would be made, in order:", UI_LABEL_FOCUS);
    for (size_t i = 0; i < r->n_plan; i++) {
      char *s = xasprintf("%zu. %s", i + 1, r->plan[i]);
      report_text(u, &row, 3, s, UI_NORMAL);
      free(s);
    }
  }
  /* The report's length, for the scroll keys: the last page shows its end, no further. */
  u->report_rows = row + u->report_top - 3;
  if (nf) {
    int y = bottom + 1;
    int below = u->report_rows - u->report_top - (bottom - 3 + 1);
    if (below > 0) {
      char *more = xasprintf("(PgDn: %d more line%s of the report)", below, below == 1 ? "" : "s");
      ui_put(t, y, 1, COLS - 2, more, UI_INFO);
      free(more);
    }
    for (size_t i = 0; i < nf; i++) {
      char *s = xasprintf("%zu  %s", i + 1, r->followups[i].label);
      ui_put(t, y + 1 + (int)i, 3, COLS - 4, s, UI_KEY_LABEL);
      free(s);
    }
  }
}

static void draw_too_small(struct ui *u)
{
  erase();
  char *l1 = xasprintf("Terminal too small: %dx%d", COLS, LINES);
  char *l2 = xasprintf("synwiz needs at least %dx%d.", MIN_COLS, MIN_ROWS);
  int y = LINES / 2 - 2;
  ui_put(u->t, y, 1, COLS - 2, l1, UI_ERROR);
  ui_put(u->t, y + 1, 1, COLS - 2, l2, UI_NORMAL);
  ui_put(u->t, y + 2, 1, COLS - 2, "Enlarge the window: your answers are kept.", UI_NORMAL);
  ui_put(u->t, y + 3, 1, COLS - 2, "F9 or Ctrl-X: cancel", UI_NORMAL);
  free(l1);
  free(l2);
}

static void draw_step(struct ui *u)
{
  struct ui_term *t = u->t;
  struct block blocks[64];
  char *help[4];
  int n_help = 0, top_help = 0;
  size_t n = layout(u, blocks, 64, &top_help, help, &n_help);
  int body = LINES - 6;
  size_t focus = wiz_focus(u->w);
  for (size_t i = 0; i < n; i++) {
    if (blocks[i].field != focus)
      continue;
    /* Keep the focused block (and the list under it) in view; of a block taller than the
     * body (a group of many entries), the part in focus. */
    int need_top = blocks[i].y, need_bot = blocks[i].y + blocks[i].h;
    const struct ui_kind_ops *fops = ui_kind_ops(FLD(u, focus));
    if (blocks[i].h > body && fops->focus_row) {
      need_top = blocks[i].y + blocks[i].label_rows + fops->focus_row(u, focus) - 1;
      need_bot = need_top + 3;
    } else if (i == 0) {
      need_top = 0;
    }
    if (need_bot - u->scroll > body)
      u->scroll = need_bot - body;
    if (need_top < u->scroll)
      u->scroll = need_top;
  }
  for (int i = 0; i < n_help; i++) {
    int y = 3 + i - u->scroll;
    if (y >= 3 && y <= LINES - 4)
      ui_put(t, y, 2, COLS - 4, help[i], UI_INFO);
    free(help[i]);
  }
  int anchor_y = 3;
  u->anchor_y = -1;
  for (size_t i = 0; i < n; i++) {
    struct block *b = &blocks[i];
    const struct wiz_field *fd = FLD(u, b->field);
    int y = 3 + b->y - u->scroll;
    bool focus_here = b->field == focus;
    const struct ui_kind_ops *ops = ui_kind_ops(fd);
    if (ops->flags & UI_KF_BARE) {
      if (ops->draw)
        ops->draw(u, b->field, y, false);
      continue;
    }
    char *lab = xasprintf("%s%s", label_of(fd), fd->required ? " *" : "");
    if (y >= 3 && y <= LINES - 4) {
      if (focus_here)
        ui_put(t, y, 0, 1, ui_glyph(t, UI_G_FOCUS), UI_LABEL_FOCUS);
      /* The label keeps its look: the marker, the bold value and the cursor show the focus,
       * so moving between fields does not send both labels again (issue 14). */
      ui_put(t, y, 2, b->label_rows ? COLS - 4 : LABEL_W, lab, UI_LABEL);
    }
    free(lab);
    int vy = y + b->label_rows;
    if (focus_here)
      anchor_y = vy;
    if ((vy >= 3 && vy <= LINES - 4) || ops->focus_row) /* such a kind clips itself */
      draw_value(u, b->field, vy, focus_here && u->mode == M_STEP);
    int my = vy + (ops->rows ? ops->rows(u, b->field) : 1);
    for (int k = 0; k < b->n_msg; k++) {
      if (my + k >= 3 && my + k <= LINES - 4)
        ui_put(t, my + k, value_x(), value_w(), b->msg[k], b->msg_elem);
    }
  }
  free_blocks(blocks, n);
  if (u->anchor_y >= 0)
    anchor_y = u->anchor_y;
  if (u->mode == M_LIST)
    draw_list(u, anchor_y);
  else if (u->mode == M_NEWNAME)
    draw_newname(u, anchor_y);
}

static bool drafts_offered(const struct ui *u)
{
  return u->o->save_draft != NULL;
}

/* The cancel question: its own keys in the footer (over whatever screen it was asked on),
 * and, after a key it does not take, which keys it takes. */
static void draw_confirm(struct ui *u)
{
  static const char *const with_draft[] = { "y",     "Yes, cancel", "d", "Save draft and quit",
                                            "n/Esc", "No, go on" };
  static const char *const without[] = { "y", "Yes, cancel", "n/Esc", "No, go on" };
  bool drafts = drafts_offered(u);
  draw_keybar(u, drafts ? with_draft : without, drafts ? 3 : 2);
  if (!u->confirm_hint)
    set_note(u, true, "Cancel the wizard? Answers not saved in a draft are lost.");
  else if (drafts)
    set_note(u, true, "Press y to cancel, d to save a draft and quit, n or Esc to go on.");
  else
    set_note(u, true, "Press y to cancel, n or Esc to go on.");
}

static void draw(struct ui *u)
{
  u->cursor_y = u->cursor_x = -1;
  if (COLS < MIN_COLS || LINES < MIN_ROWS) {
    draw_too_small(u);
    curs_set(0);
    wnoutrefresh(stdscr);
    doupdate();
    return;
  }
  erase();
  char *step =
      u->o->action ? NULL : xasprintf("Step %zu of %zu", wiz_step(u->w) + 1, wiz_step_count(u->w));
  draw_frame(u, u->o->cloud, step);
  free(step);
  enum ui_mode m = u->mode == M_HELP ? u->before_help : u->mode;
  static const char *const keys_step[] = { "F10/^N", "Next",  "F8/^B",  "Back",  "F2/^S",
                                           "Draft",  "F9/^X", "Cancel", "F1/^G", "Help" };
  static const char *const keys_list[] = { "Enter", "Choose", "Esc/Tab", "Leave",
                                           "F5/^R", "Retry",  "type",    "to filter" };
  static const char *const keys_progress[] = { "F9/^X", "Cancel" };
  if (m == M_PROGRESS) {
    draw_progress(u);
    draw_keybar(u, keys_progress, 1);
  } else if (m == M_REPORT) {
    draw_report(u);
    const struct wiz_report *r = wiz_job_report(u->w);
    const char *items[] = { "F10/Enter", "Close", "1-9", "Follow-up", "PgUp/PgDn", "Scroll" };
    draw_keybar(u, items, r && r->n_followups ? 3 : 1);
  } else if (wiz_on_review(u->w)) {
    draw_review(u);
    const char *items[] = { "F10/^N", u->form->finish_label,
                            "1-9",    "Change step",
                            "F6/^T",  u->form->n_actions ? u->form->actions[0].label : "",
                            "F8/^B",  "Back",
                            "F2/^S",  "Draft",
                            "F9/^X",  "Cancel" };
    if (u->form->n_actions) {
      draw_keybar(u, items, 6);
    } else {
      const char *items2[] = { "F10/^N", u->form->finish_label,
                               "1-9",    "Change step",
                               "F8/^B",  "Back",
                               "F2/^S",  "Draft",
                               "F9/^X",  "Cancel" };
      draw_keybar(u, items2, 5);
    }
  } else {
    draw_step(u);
    const struct ui_kind_ops *lops = ui_kind_ops(FLD(u, u->list_field));
    if (m == M_LIST && lops->list_keys)
      draw_keybar(u, lops->list_keys, lops->n_list_keys);
    else if (m == M_LIST || m == M_NEWNAME)
      draw_keybar(u, keys_list, 4);
    else
      draw_keybar(u, keys_step, 5);
  }
  if (u->mode == M_HELP)
    draw_help(u);
  if (u->mode == M_CONFIRM)
    draw_confirm(u);
  draw_status(u);
  if (u->cursor_y >= 0 && (u->mode == M_STEP || u->mode == M_LIST || u->mode == M_NEWNAME)) {
    move(u->cursor_y, u->cursor_x);
    curs_set(1);
  } else {
    curs_set(0);
  }
  wnoutrefresh(stdscr);
  doupdate();
}

/* ---------- actions ---------- */

static bool save_draft(struct ui *u)
{
  if (!u->o->save_draft) {
    set_note(u, true, "Drafts are not available here.");
    return false;
  }
  char *name = NULL;
  if (u->o->save_draft(u->o->ctx, u->w, u->o->draft_name, &name) != 0) {
    set_note(u, true, "The draft could not be saved.");
    return false;
  }
  free(u->o->draft_name);
  u->o->draft_name = name;
  /* The command on a line of its own when the note does not fit on one (never cut). */
  set_note(u, false, "Draft saved as %s (no secrets).\nResume with: synwiz resume %s", name, name);
  return true;
}

static void start_action(struct ui *u, const char *action, const char *label)
{
  enum wiz_result rc = action ? wiz_start_action(u->w, action, label) : wiz_finish(u->w);
  if (rc == WIZ_OK || wiz_job_state(u->w) == WIZ_JOB_DONE) {
    u->finish_ran = u->finish_ran || !action;
    /* No job at all: the follow-up went back to a field (WIZ_FOLLOWUP_FIELD). */
    u->mode = wiz_job_state(u->w) == WIZ_JOB_DONE   ? M_REPORT
              : wiz_job_state(u->w) == WIZ_JOB_NONE ? M_STEP
                                                    : M_PROGRESS;
    u->report_top = 0;
    set_note(u, false, NULL);
  } else if (rc == WIZ_E_INVALID || rc == WIZ_E_BUSY) {
    u->mode = M_STEP; /* wiz_finish went to the step at fault */
  } else {
    set_note(u, true, "%s could not start: %s", label ? label : "The action", wiz_strerror(rc));
  }
}

static void try_next(struct ui *u)
{
  enum wiz_result rc = wiz_next(u->w);
  u->next_waiting = rc == WIZ_E_BUSY;
  if (rc == WIZ_OK) {
    u->scroll = 0;
    if (wiz_on_review(u->w) && u->o->unattended)
      start_action(u, NULL, NULL);
  }
}

/* The status line says why Next was refused ("Subscription: Required."). Once that is no
 * longer what is wrong with the step (the field was filled in, the step left), it goes:
 * a refusal left standing over a right answer sends the user looking for a problem. */
static void drop_stale_status(struct ui *u)
{
  const char *status = wiz_status(u->w);
  if (!*status)
    return;
  size_t bad = 0;
  if (wiz_on_review(u->w) || wiz_step_valid(u->w, wiz_step(u->w), &bad)) {
    wiz_set_status(u->w, NULL);
    return;
  }
  const char *msg = NULL;
  wiz_check(u->w, bad, &msg, NULL);
  char *now = xasprintf("%s: %s", label_of(FLD(u, bad)), msg ? msg : "invalid");
  if (strcmp(now, status) != 0)
    wiz_set_status(u->w, NULL);
  free(now);
}

static void next_step(struct ui *u)
{
  if (wiz_on_review(u->w)) {
    start_action(u, NULL, NULL);
    return;
  }
  set_note(u, false, NULL);
  try_next(u);
}

/* ---------- keys ---------- */

void ui_list_key(struct ui *u, enum ui_req req, int ch)
{
  size_t f = u->list_field;
  size_t rows[512];
  size_t n = list_rows(u, rows, 512);
  const struct ui_kind_ops *ops = ui_kind_ops(FLD(u, f));
  if (ops->list_key && ops->list_key(u, f, req, ch))
    return;
  switch (req) {
  case REQ_CLOSE:
    ui_list_close(u);
    break;
  case REQ_NEXT_FIELD:
    if (ch == '\t') {
      ui_list_close(u);
      wiz_move_focus(u->w, +1);
    } else if (u->sel + 1 < n) {
      u->sel++;
    }
    break;
  case REQ_PREV_FIELD:
    if (ch == KEY_BTAB) {
      ui_list_close(u);
      wiz_move_focus(u->w, -1);
    } else if (u->sel > 0) {
      u->sel--;
    }
    break;
  case REQ_PAGE_DOWN:
    u->sel = u->sel + 10 < n ? u->sel + 10 : (n ? n - 1 : 0);
    break;
  case REQ_PAGE_UP:
    u->sel = u->sel > 10 ? u->sel - 10 : 0;
    break;
  case REQ_ENTER:
    ui_list_choose(u);
    break;
  case REQ_CHAR:
    if (u->filter_len + 1 < 128) {
      u->filter[u->filter_len++] = (wchar_t)ch;
      u->filter[u->filter_len] = L'\0';
      u->sel = u->top = 0;
    }
    break;
  case REQ_BACKSPACE:
    if (u->filter_len) {
      u->filter[--u->filter_len] = L'\0';
      u->sel = u->top = 0;
    }
    break;
  case REQ_KILL: /* Ctrl-U clears every text box, the filter too */
    u->filter_len = 0;
    u->filter[0] = L'\0';
    u->sel = u->top = 0;
    break;
  case REQ_RETRY:
    wiz_retry(u->w, f);
    break;
  default:
    break;
  }
}

static void key_newname(struct ui *u, enum ui_req req, int ch)
{
  if (req == REQ_CLOSE) {
    u->mode = M_LIST;
  } else if (req == REQ_CHAR && u->newname_len + 1 < 128) {
    u->newname[u->newname_len++] = (wchar_t)ch;
    u->newname[u->newname_len] = L'\0';
    u->newname_msg = NULL;
  } else if (req == REQ_BACKSPACE && u->newname_len) {
    u->newname[--u->newname_len] = L'\0';
  } else if (req == REQ_KILL) {
    u->newname_len = 0;
    u->newname[0] = L'\0';
    u->newname_msg = NULL;
  } else if (req == REQ_ENTER) {
    char *name = from_wide(u->newname);
    const char *msg = NULL;
    if (wiz_pick_new(u->w, u->list_field, name, &msg) == WIZ_OK) {
      ui_list_close(u);
      wiz_move_focus(u->w, +1);
    } else {
      u->newname_msg = msg;
    }
    free(name);
  }
}

static void key_step(struct ui *u, enum ui_req req, int ch)
{
  size_t f = wiz_focus(u->w);
  const struct wiz_field *fd = f < u->form->n_fields ? FLD(u, f) : NULL;
  set_note(u, false, NULL);
  /* Down and Up are the field's own first (a choice moves over its options), then move the
   * focus; Tab and Shift-Tab always move the focus. */
  bool arrow = (req == REQ_NEXT_FIELD && ch != '\t') || (req == REQ_PREV_FIELD && ch != KEY_BTAB);
  if (arrow && fd && ui_kind_ops(fd)->key && ui_kind_ops(fd)->key(u, f, req, ch))
    return;
  if (req == REQ_NEXT_FIELD) {
    if (!wiz_move_focus(u->w, +1) && ch == '\t')
      wiz_touch(u->w, f);
    return;
  }
  if (req == REQ_PREV_FIELD) {
    wiz_move_focus(u->w, -1);
    return;
  }
  if (!fd)
    return;
  const struct ui_kind_ops *ops = ui_kind_ops(fd);
  if (ops->key && ops->key(u, f, req, ch))
    return;
  if (req == REQ_ENTER) {
    wiz_touch(u->w, f);
    if (!wiz_move_focus(u->w, +1))
      next_step(u);
  } else if (req == REQ_RETRY) {
    wiz_retry(u->w, f);
  }
}

static void key_review(struct ui *u, enum ui_req req, int ch)
{
  if (req == REQ_CHAR && ch >= '1' && ch <= '9') {
    size_t s = (size_t)(ch - '1');
    if (s < u->form->n_steps) {
      wiz_goto(u->w, s);
      u->scroll = 0;
    }
  } else if (req == REQ_ACTION && u->form->n_actions) {
    start_action(u, u->form->actions[0].action, u->form->actions[0].label);
  } else if (req == REQ_PAGE_DOWN || req == REQ_NEXT_FIELD) {
    u->scroll += req == REQ_PAGE_DOWN ? 10 : 1;
  } else if ((req == REQ_PAGE_UP || req == REQ_PREV_FIELD) && u->scroll > 0) {
    u->scroll -= req == REQ_PAGE_UP ? (u->scroll < 10 ? u->scroll : 10) : 1;
  } else if (req == REQ_ENTER) {
    next_step(u);
  }
}

/* What the progress screen says after a key it does not take; it goes with the progress. */
static const char progress_hint[] = "Working: F9 or Ctrl-X cancels (what was done is kept).";

/* A key the report does not take: say which it takes (a report with follow-ups is also the
 * question "remove it?" of the home screen's Remove, so a key there must not vanish). */
static void report_hint(struct ui *u, const struct wiz_report *r)
{
  size_t nf = r ? (r->n_followups < 9 ? r->n_followups : 9) : 0;
  if (nf == 1)
    set_note(u, false, "Press 1 for \"%s\", Enter or Esc to close, PgUp/PgDn to scroll.",
             r->followups[0].label);
  else if (nf)
    set_note(u, false,
             "Press 1 to %zu for what to do next, Enter or Esc to close, PgUp/PgDn "
             "to scroll.",
             nf);
  else
    set_note(u, false, "Press Enter or Esc to close, PgUp/PgDn to scroll.");
}

static void key_report(struct ui *u, enum ui_req req, int ch)
{
  const struct wiz_report *r = wiz_job_report(u->w);
  set_note(u, false, NULL);
  if (req == REQ_CHAR && ch >= '1' && ch <= '9' && r && (size_t)(ch - '1') < r->n_followups) {
    char *action = xstrdup(r->followups[ch - '1'].action);
    char *label = xstrdup(r->followups[ch - '1'].label);
    start_action(u, action, label);
    free(action);
    free(label);
    return;
  }
  if (req == REQ_PAGE_DOWN || req == REQ_NEXT_FIELD) {
    int page = u->report_bottom - 3 + 1, last = u->report_rows - page;
    u->report_top += req == REQ_PAGE_DOWN ? 10 : 1;
    if (u->report_top > last)
      u->report_top = last > 0 ? last : 0;
  } else if ((req == REQ_PAGE_UP || req == REQ_PREV_FIELD) && u->report_top > 0) {
    u->report_top -= req == REQ_PAGE_UP ? (u->report_top < 10 ? u->report_top : 10) : 1;
  } else if (req == REQ_NEXT_STEP || req == REQ_ENTER || req == REQ_CLOSE) {
    if (u->o->action) {
      u->done = true;
      u->end = UI_END_FINISHED; /* the caller reads the outcome (wiz_last_outcome) */
      return;
    }
    if (wiz_finished(u->w)) {
      u->done = true;
      u->end = UI_END_FINISHED;
      return;
    }
    wiz_job_clear(u->w);
    u->mode = M_STEP; /* back on the review: fix, test again, or cancel */
  } else if (req != REQ_PAGE_UP && req != REQ_PREV_FIELD) {
    report_hint(u, r);
  }
}

/* The question before cancelling (F9, Ctrl-X, Ctrl-C, or Esc on a step). */
static void ask_cancel(struct ui *u)
{
  u->mode = M_CONFIRM;
  u->confirm_hint = false;
}

static void key_confirm(struct ui *u, enum ui_req req, int ch)
{
  if (ch == 'y' || ch == 'Y' || req == REQ_CANCEL) {
    u->done = true;
    u->end = UI_END_CANCELLED;
  } else if ((ch == 'd' || ch == 'D') && drafts_offered(u)) {
    if (save_draft(u)) {
      u->done = true;
      u->end = UI_END_CANCELLED;
    } else {
      u->mode = M_STEP;
    }
  } else if (ch == 'n' || ch == 'N' || req == REQ_CLOSE) {
    u->mode = M_STEP;
    set_note(u, false, NULL);
  } else {
    u->confirm_hint = true; /* not silently lost: the prompt says what it takes */
  }
}

static void handle_key(struct ui *u, const struct ui_event *ev)
{
  enum ui_req req = ui_key_request(ev->key, ev->is_code);
  int ch = ev->key;
  u->next_waiting = false; /* any key takes over from a Next that waited for a check */
  if (COLS < MIN_COLS || LINES < MIN_ROWS) {
    /* Too small: only Cancel works, so nothing changes behind the message. */
    if (req == REQ_CANCEL)
      ask_cancel(u);
    return;
  }
  if (u->mode == M_CONFIRM) {
    key_confirm(u, req, ch);
    return;
  }
  if (u->mode == M_HELP) {
    if (req == REQ_CLOSE || req == REQ_ENTER || req == REQ_HELP)
      u->mode = u->before_help;
    return;
  }
  if (u->mode == M_PROGRESS) {
    if (req == REQ_CANCEL) {
      wiz_cancel_action(u->w);
      set_note(u, false, "Cancelling: what was done is kept.");
    } else if (!u->note) { /* not silently lost: say what this screen takes */
      set_note(u, false, "%s", progress_hint);
    }
    return;
  }
  if (u->mode == M_REPORT) {
    key_report(u, req, ch);
    return;
  }
  switch (req) {
  case REQ_HELP:
    u->before_help = u->mode;
    u->mode = M_HELP;
    return;
  case REQ_CANCEL:
    ask_cancel(u);
    return;
  case REQ_CLOSE:
    /* Esc leaves what is open (a list, a prompt: below); on a step or the review there is
     * nothing open but the wizard, so it asks to cancel, as dialog's Esc does. */
    if (u->mode == M_STEP) {
      ask_cancel(u);
      return;
    }
    break;
  case REQ_SAVE_DRAFT:
    save_draft(u);
    return;
  case REQ_NEXT_STEP:
    if (u->mode == M_LIST || u->mode == M_NEWNAME)
      ui_list_close(u);
    next_step(u);
    return;
  case REQ_PREV_STEP:
    if (u->mode == M_LIST || u->mode == M_NEWNAME)
      ui_list_close(u);
    set_note(u, false, NULL);
    if (wiz_back(u->w) == WIZ_OK)
      u->scroll = 0;
    return;
  default:
    break;
  }
  if (u->mode == M_LIST)
    ui_list_key(u, req, ch);
  else if (u->mode == M_NEWNAME)
    key_newname(u, req, ch);
  else if (wiz_on_review(u->w))
    key_review(u, req, ch);
  else
    key_step(u, req, ch);
}

static bool animating(struct ui *u)
{
  if (u->next_waiting)
    return true;
  if (u->mode == M_PROGRESS)
    return wiz_job_progress_now(u->w)->fraction < 0;
  if (wiz_on_review(u->w) || wiz_step(u->w) >= u->form->n_steps)
    return false;
  const struct wiz_step *s = &u->form->steps[wiz_step(u->w)];
  for (size_t i = 0; i < s->n_fields; i++) {
    if (wiz_visible(u->w, s->fields[i]) &&
        (wiz_load_state(u->w, s->fields[i], WIZ_SRC_ITEMS) == WIZ_LOAD_LOADING ||
         wiz_load_state(u->w, s->fields[i], WIZ_SRC_COLUMNS) == WIZ_LOAD_LOADING))
      return true;
  }
  return false;
}

enum ui_end ui_wizard_run(struct ui_term *t, struct wizard *w, struct ui_wizard_opts *opts)
{
  struct ui u;
  memset(&u, 0, sizeof(u));
  u.t = t;
  u.w = w;
  u.o = opts;
  u.form = wiz_form(w);
  u.cursor = xcalloc(u.form->n_fields + 1, sizeof(size_t));
  u.reveal = xcalloc(u.form->n_fields + 1, sizeof(bool));
  for (size_t i = 0; i < u.form->n_fields; i++) {
    const struct wiz_value *v = wiz_value(w, i);
    u.cursor[i] = v->text ? mbstowcs(NULL, v->text, 0) : 0;
    if (u.cursor[i] == (size_t)-1)
      u.cursor[i] = 0;
  }
  wiz_refresh(w);
  if (opts->action) {
    /* An action on a saved thing runs on its saved answers: what they name is looked up
     * first (a model's pipeline and its contract), else the action would see them empty. */
    set_note(&u, false, "Reading the saved answers...");
    for (int i = 0; i < 400 && !u.done; i++) {
      for (size_t st = 0; st < wiz_step_count(w); st++)
        wiz_refresh_step(w, st); /* every step's lists, not only the one shown */
      if (wiz_pending(w) == 0)
        break;
      draw(&u);
      struct ui_event ev = ui_term_next(t, wiz_get_host(w), 150);
      if (ev.kind == UI_EV_HUP || ev.kind == UI_EV_QUIT) {
        u.done = true; /* nothing was changed yet: nothing to keep */
        u.end = ev.kind == UI_EV_HUP ? UI_END_HANGUP : UI_END_QUIT;
      }
      wiz_refresh(w);
    }
    set_note(&u, false, NULL);
    if (!u.done)
      start_action(&u, opts->action, opts->action_label);
  } else if (opts->unattended && wiz_on_review(w))
    start_action(&u, NULL, NULL);
  while (!u.done) {
    if (u.mode == M_PROGRESS && wiz_job_state(w) == WIZ_JOB_DONE) {
      u.mode = M_REPORT;
      if (u.note && strcmp(u.note, progress_hint) == 0)
        set_note(&u, false, NULL);
    }
    if (u.next_waiting && u.mode == M_STEP && !wiz_on_review(w))
      try_next(&u);
    drop_stale_status(&u);
    draw(&u);
    struct ui_event ev = ui_term_next(t, wiz_get_host(w), animating(&u) ? 150 : -1);
    switch (ev.kind) {
    case UI_EV_KEY:
      handle_key(&u, &ev);
      break;
    case UI_EV_RESIZE:
      /* Everything is drawn from the engine's state: nothing to keep but the scroll. */
      clearok(curscr, TRUE);
      break;
    case UI_EV_HUP:
      /* The SSH link dropped: keep the answers as a draft first. */
      save_draft(&u);
      u.done = true;
      u.end = UI_END_HANGUP;
      break;
    case UI_EV_QUIT:
      /* SIGINT or SIGTERM (a closed window, a shutdown) lose the answers as much as a
       * hangup does: keep them as a draft too. */
      if (ev.key)
        save_draft(&u);
      u.done = true;
      u.end = UI_END_QUIT;
      break;
    case UI_EV_NONE:
      u.spin++;
      break;
    }
    wiz_refresh(w);
  }
  if (u.end != UI_END_FINISHED && wiz_job_state(w) == WIZ_JOB_RUNNING)
    wiz_cancel_action(w);
  free(u.cursor);
  free(u.reveal);
  free(u.note);
  free(u.map_attr);
  return u.end;
}
