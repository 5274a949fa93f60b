/* The terminal: start and end, colours, glyphs, signals, the event wait, the test mode. */
#include "ui/ui_term.h"
#include "ui/ui_keys.h"
#include "util/xalloc.h"
#include "wizard/wiz_host.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

struct ui_term {
  SCREEN *screen;
  FILE *out, *in;
  bool test, mono, utf8;
  int attrs[UI_ELEM_COUNT];
  int saved_stderr;
  FILE *err_file;
  /* test mode */
  FILE *script;
  char *dump_dir;
  int queue[512]; /* pending characters of a "text:" line */
  size_t q_head, q_len;
  const struct ui_term_opts *opts;
};

static int sig_pipe[2] = { -1, -1 };
static struct ui_term *active;

static const char *const glyphs_utf8[UI_G_COUNT] = { "─", "│", "┌", "┐", "└", "┘", "►",
                                                     ">", "█", "░", "v", "!", "!", "i" };
static const char *const glyphs_ascii[UI_G_COUNT] = { "-", "|", "+", "+", "+", "+", ">",
                                                      ">", "#", ".", "v", "!", "!", "i" };

static void on_signal(int sig)
{
  int saved = errno;
  unsigned char b = (unsigned char)sig;
  if (sig_pipe[1] >= 0 && write(sig_pipe[1], &b, 1) < 0) {
    /* Nothing to do: the pipe is full, the loop wakes anyway. */
  }
  errno = saved;
}

static void install_signals(void)
{
  if (sig_pipe[0] < 0) {
    if (pipe(sig_pipe) != 0)
      return;
    for (int i = 0; i < 2; i++) {
      fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
      fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
    }
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  /* Installed before newterm(): ncurses then leaves SIGWINCH to us. */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  sigaction(SIGWINCH, &sa, NULL);
}

static void reset_signals(void)
{
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  signal(SIGWINCH, SIG_DFL);
}

bool ui_term_available(void)
{
  return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static void setup_colors(struct ui_term *t)
{
  const char *nc = getenv("NO_COLOR");
  t->mono = (nc && *nc) || !has_colors();
  static const int mono[] = {
#define UI_ELEM_MONO(name, m, a, fg, bg) m,
    UI_ELEMENTS(UI_ELEM_MONO)
#undef UI_ELEM_MONO
  };
  static const int color_attr[] = {
#define UI_ELEM_ATTR(name, m, a, fg, bg) a,
    UI_ELEMENTS(UI_ELEM_ATTR)
#undef UI_ELEM_ATTR
  };
  static const short fgs[] = {
#define UI_ELEM_FG(name, m, a, fg, bg) fg,
    UI_ELEMENTS(UI_ELEM_FG)
#undef UI_ELEM_FG
  };
  static const short bgs[] = {
#define UI_ELEM_BG(name, m, a, fg, bg) bg,
    UI_ELEMENTS(UI_ELEM_BG)
#undef UI_ELEM_BG
  };
  if (t->mono) {
    /* No start_color(): the terminal gets no colour sequence at all. */
    for (int i = 0; i < UI_ELEM_COUNT; i++)
      t->attrs[i] = mono[i];
    return;
  }
  start_color();
  use_default_colors();
  for (int i = 0; i < UI_ELEM_COUNT; i++) {
    if (fgs[i] == -1 && bgs[i] == -1) {
      t->attrs[i] = color_attr[i];
      continue;
    }
    init_pair((short)(i + 1), fgs[i], bgs[i]);
    t->attrs[i] = color_attr[i] | (int)COLOR_PAIR(i + 1);
  }
}

static void redirect_stderr(struct ui_term *t)
{
  t->saved_stderr = -1;
  t->err_file = tmpfile();
  if (!t->err_file)
    return;
  fflush(stderr);
  t->saved_stderr = dup(STDERR_FILENO);
  if (t->saved_stderr < 0 || dup2(fileno(t->err_file), STDERR_FILENO) < 0) {
    fclose(t->err_file);
    t->err_file = NULL;
  }
}

static void replay_stderr(struct ui_term *t)
{
  if (t->saved_stderr < 0 || !t->err_file)
    return;
  fflush(stderr);
  dup2(t->saved_stderr, STDERR_FILENO);
  close(t->saved_stderr);
  t->saved_stderr = -1;
  rewind(t->err_file);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), t->err_file)) > 0) {
    if (fwrite(buf, 1, n, stderr) != n)
      break;
  }
  fclose(t->err_file);
  t->err_file = NULL;
}

struct ui_term *ui_term_open(const struct ui_term_opts *opts, char **err)
{
  *err = NULL;
  setlocale(LC_ALL, "");
  struct ui_term *t = xcalloc(1, sizeof(*t));
  t->opts = opts;
  t->test = opts && opts->test;
  t->saved_stderr = -1;
  const char *cs = nl_langinfo(CODESET);
  t->utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
  if (!t->test && !ui_term_available()) {
    *err = xstrdup("no terminal: the interactive wizard needs one. Run it with --answers FILE "
                   "(and --non-interactive) to go without screens.");
    free(t);
    return NULL;
  }
  if (t->test) {
    t->out = fopen("/dev/null", "w");
    t->in = fopen("/dev/null", "r");
    if (opts->script && !(t->script = fopen(opts->script, "r"))) {
      *err = xasprintf("cannot read the key script %s", opts->script);
      if (t->out)
        fclose(t->out);
      if (t->in)
        fclose(t->in);
      free(t);
      return NULL;
    }
    t->dump_dir = xstrdup(opts->dump_dir ? opts->dump_dir : ".");
  } else {
    /* The CLI's stdout escapes control characters (src/cli/cli_safeout.c), and curses
     * writes its own: it gets a stream of its own on the same terminal. */
    fflush(stdout);
    int fd = dup(STDOUT_FILENO);
    t->out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!t->out) {
      if (fd >= 0)
        close(fd);
      t->out = stdout;
    }
    t->in = stdin;
  }
  install_signals();
  const char *env_term = getenv("TERM");
  const char *tries[] = { env_term, "xterm-256color", "xterm", "vt100" };
  const char *used = NULL;
  for (size_t i = 0; i < 4 && !t->screen; i++) {
    if (tries[i] && *tries[i])
      t->screen = newterm(used = tries[i], t->out, t->in);
  }
  if (!t->screen) {
    *err = xasprintf("cannot use the terminal (TERM=%s, nor xterm-256color, xterm, vt100)",
                     env_term ? env_term : "");
    reset_signals();
    if (t->test) {
      fclose(t->out);
      fclose(t->in);
    } else if (t->out != stdout) {
      fclose(t->out);
    }
    free(t->dump_dir);
    free(t);
    return NULL;
  }
  set_term(t->screen);
  /* A terminal that cannot move the cursor (TERM=dumb, an editor's shell buffer) would get
   * every screen as a stream of garbage: say so instead, before anything is drawn. */
  const char *cup = tigetstr("cup");
  if (!t->test && (!cup || cup == (char *)-1)) {
    *err = xasprintf("this terminal (TERM=%s) cannot move the cursor, so synwiz cannot show "
                     "its screens here",
                     used);
    /* The tty modes back, but not endwin: it would move the cursor to the last line (on
     * such a terminal, by printing a newline per line). */
    reset_shell_mode();
    delscreen(t->screen);
    reset_signals();
    free(t);
    return NULL;
  }
  if (!t->test)
    redirect_stderr(t);
  raw(); /* Ctrl-C, Ctrl-S and friends arrive as keys; signals still work through kill */
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  nodelay(stdscr, TRUE);
  if (!getenv("ESCDELAY"))
    set_escdelay(100);
  curs_set(0);
  setup_colors(t);
  active = t;
  xalloc_set_fatal_hook(ui_term_restore);
  return t;
}

void ui_term_restore(void)
{
  if (!active)
    return;
  struct ui_term *t = active;
  active = NULL;
  if (!t->test) {
    curs_set(1);
    endwin();
    fflush(stdout);
  }
  replay_stderr(t);
}

void ui_term_close(struct ui_term *t)
{
  if (!t)
    return;
  if (active == t)
    ui_term_restore();
  else if (!t->test)
    endwin();
  if (t->test)
    endwin();
  delscreen(t->screen);
  reset_signals();
  xalloc_set_fatal_hook(NULL);
  if (t->test) {
    fclose(t->out);
    fclose(t->in);
  } else if (t->out != stdout) {
    fclose(t->out);
  }
  if (t->script)
    fclose(t->script);
  free(t->dump_dir);
  free(t);
}

bool ui_term_mono(const struct ui_term *t)
{
  return t->mono;
}

bool ui_term_utf8(const struct ui_term *t)
{
  return t->utf8;
}

bool ui_term_test_mode(const struct ui_term *t)
{
  return t->test;
}

const char *ui_glyph(const struct ui_term *t, enum ui_glyph g)
{
  return t->utf8 ? glyphs_utf8[g] : glyphs_ascii[g];
}

int ui_attr(const struct ui_term *t, enum ui_elem e)
{
  return t->attrs[e];
}

/* ---------- drawing ---------- */

int ui_width(const char *s)
{
  mbstate_t st;
  memset(&st, 0, sizeof(st));
  int w = 0;
  const char *p = s;
  size_t left = strlen(s);
  while (left > 0) {
    wchar_t wc;
    size_t n = mbrtowc(&wc, p, left, &st);
    if (n == (size_t)-1 || n == (size_t)-2) {
      memset(&st, 0, sizeof(st));
      n = 1;
      wc = L'?';
    }
    int cw = wcwidth(wc);
    w += cw > 0 ? cw : 0;
    p += n;
    left -= n;
  }
  return w;
}

int ui_put(struct ui_term *t, int y, int x, int width, const char *s, enum ui_elem e)
{
  if (!s || width <= 0 || y < 0 || y >= LINES)
    return 0;
  /* Text that does not fit ends with an ellipsis, so a cut name is never mistaken for a
   * whole one (one-column calls draw glyphs: nothing to mark there). */
  bool cut = width > 1 && ui_width(s) > width;
  int mark = !cut ? 0 : t->utf8 || width < 6 ? 1 : 3; /* "…", or "..." in ASCII */
  width -= mark;
  attrset(t->attrs[e]);
  move(y, x);
  mbstate_t st;
  memset(&st, 0, sizeof(st));
  int used = 0;
  size_t left = strlen(s);
  const char *p = s;
  while (left > 0) {
    wchar_t wc;
    size_t n = mbrtowc(&wc, p, left, &st);
    if (n == (size_t)-1 || n == (size_t)-2) {
      memset(&st, 0, sizeof(st));
      n = 1;
      wc = L'?';
    }
    if (wc == L'\n' || wc == L'\t')
      wc = L' ';
    int cw = wcwidth(wc);
    if (cw < 0)
      cw = 1, wc = L'?';
    if (used + cw > width)
      break;
    if (!t->utf8 && wc > 0x7e) {
      addch('?');
    } else {
      addnwstr(&wc, 1);
    }
    used += cw;
    p += n;
    left -= n;
  }
  if (cut && t->utf8)
    addnwstr(L"\u2026", 1);
  for (int k = 0; cut && !t->utf8 && k < mark; k++)
    addch('.');
  used += mark;
  attrset(A_NORMAL);
  return used;
}

void ui_fill(struct ui_term *t, int y, int x, int width, enum ui_elem e)
{
  if (y < 0 || y >= LINES || width <= 0)
    return;
  attrset(t->attrs[e]);
  mvhline(y, x, ' ', width);
  attrset(A_NORMAL);
}

void ui_hline(struct ui_term *t, int y, int x, int width, enum ui_elem e)
{
  for (int i = 0; i < width; i++)
    ui_put(t, y, x + i, 1, ui_glyph(t, UI_G_HLINE), e);
}

void ui_box(struct ui_term *t, int y, int x, int h, int w, enum ui_elem e)
{
  for (int r = 0; r < h; r++)
    ui_fill(t, y + r, x, w, e);
  ui_put(t, y, x, 1, ui_glyph(t, UI_G_TL), e);
  ui_put(t, y, x + w - 1, 1, ui_glyph(t, UI_G_TR), e);
  ui_put(t, y + h - 1, x, 1, ui_glyph(t, UI_G_BL), e);
  ui_put(t, y + h - 1, x + w - 1, 1, ui_glyph(t, UI_G_BR), e);
  ui_hline(t, y, x + 1, w - 2, e);
  ui_hline(t, y + h - 1, x + 1, w - 2, e);
  for (int r = 1; r < h - 1; r++) {
    ui_put(t, y + r, x, 1, ui_glyph(t, UI_G_VLINE), e);
    ui_put(t, y + r, x + w - 1, 1, ui_glyph(t, UI_G_VLINE), e);
  }
}

/* The bytes of `s` (at most `len`) that fit in `width` columns, whole characters only; a cut
 * after a '/' in the second half is preferred, so an Azure resource id breaks between its
 * segments. At least one character, so wrapping always moves on. */
static size_t fit_bytes(const char *s, size_t len, int width)
{
  mbstate_t st;
  memset(&st, 0, sizeof(st));
  size_t at = 0, slash = 0;
  int used = 0;
  while (at < len) {
    wchar_t wc;
    size_t n = mbrtowc(&wc, s + at, len - at, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
      memset(&st, 0, sizeof(st));
      n = 1;
      wc = L'?';
    }
    int cw = wcwidth(wc);
    if (cw < 0)
      cw = 1;
    if (used + cw > width && at > 0)
      break;
    used += cw;
    at += n;
    if (wc == L'/' && used > width / 2)
      slash = at;
  }
  return at < len && slash ? slash : at;
}

/* Whether `w` (n bytes) is a word of ASCII symbols only: no letter and no digit. */
static bool symbols_only(const char *w, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)w[i];
    if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
      return false;
  }
  return n > 0;
}

/* A line of several words from `p` ends at `stop`. When all that is left after it is one
 * word of symbols (the "/" ending "must not contain - < > ... ? /"), a line of its own
 * would read as a stray mark: the line's last word goes down with it. */
static const char *keep_with_last(const char *p, const char *stop)
{
  const char *rest = stop;
  while (*rest == ' ')
    rest++;
  size_t n = strcspn(rest, " ");
  const char *after = rest + n;
  while (*after == ' ')
    after++;
  if (!*rest || *after || n > 3 || !symbols_only(rest, n))
    return stop;
  const char *last = stop;
  while (last > p && last[-1] != ' ')
    last--;
  while (last > p && last[-1] == ' ')
    last--;
  return last > p ? last : stop;
}

int ui_wrap_fit(const char *s, int width, char **out, int max)
{
  if (max <= 0)
    return 0;
  int n = ui_wrap(s, width, out, max);
  if (n <= max)
    return n;
  /* The rest from where the last line starts, found by skipping the lines before it. */
  const char *p = s;
  for (int i = 0; i < max - 1; i++) {
    while (*p == ' ')
      p++;
    p += strlen(out[i]);
  }
  while (*p == ' ')
    p++;
  free(out[max - 1]);
  out[max - 1] = xstrdup(p);
  return max;
}

int ui_wrap(const char *s, int width, char **out, int max)
{
  int lines = 0;
  const char *p = s;
  if (width < 8)
    width = 8;
  while (*p) {
    while (*p == ' ')
      p++;
    if (!*p)
      break;
    /* Take words while they fit. */
    const char *end = p, *last_fit = NULL;
    while (*end) {
      const char *w_end = end;
      while (*w_end && *w_end != ' ')
        w_end++;
      char *cand = xstrndup(p, (size_t)(w_end - p));
      int cw = ui_width(cand);
      free(cand);
      if (cw > width && last_fit)
        break;
      last_fit = w_end;
      end = w_end;
      if (cw > width)
        break; /* one word longer than the line: cut it below */
      while (*end == ' ')
        end++;
      if (!*end)
        break;
    }
    const char *stop = last_fit ? last_fit : end;
    size_t first = strcspn(p, " ");
    if (stop == p + first) { /* the line is one word: cut an overlong one at the width */
      char *word = xstrndup(p, first);
      if (ui_width(word) > width)
        stop = p + fit_bytes(p, first, width);
      free(word);
    } else {
      stop = keep_with_last(p, stop);
    }
    if (out && lines < max) {
      char *line = xstrndup(p, (size_t)(stop - p));
      out[lines] = line;
    }
    lines++;
    p = stop;
  }
  return lines;
}

/* ---------- test mode: the script ---------- */

struct key_name {
  const char *name;
  int key;
  bool code;
};

static const struct key_name key_names[] = {
  { "Tab", '\t', false },
  { "BTab", KEY_BTAB, true },
  { "Enter", '\r', false },
  { "Esc", 27, false },
  { "Up", KEY_UP, true },
  { "Down", KEY_DOWN, true },
  { "Left", KEY_LEFT, true },
  { "Right", KEY_RIGHT, true },
  { "Home", KEY_HOME, true },
  { "End", KEY_END, true },
  { "PgUp", KEY_PPAGE, true },
  { "PgDn", KEY_NPAGE, true },
  { "BSpace", KEY_BACKSPACE, true },
  { "Del", KEY_DC, true },
  { "Space", ' ', false },
  { "F1", KEY_F(1), true },
  { "F2", KEY_F(2), true },
  { "F3", KEY_F(3), true },
  { "F4", KEY_F(4), true },
  { "F5", KEY_F(5), true },
  { "F6", KEY_F(6), true },
  { "F7", KEY_F(7), true },
  { "F8", KEY_F(8), true },
  { "F9", KEY_F(9), true },
  { "F10", KEY_F(10), true },
};

static bool parse_key(const char *name, struct ui_event *ev)
{
  ev->kind = UI_EV_KEY;
  if (strncmp(name, "C-", 2) == 0 && name[2] && !name[3]) {
    ev->key = (name[2] | 0x20) - 'a' + 1;
    ev->is_code = false;
    return ev->key >= 1 && ev->key <= 26;
  }
  for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++) {
    if (strcmp(key_names[i].name, name) == 0) {
      ev->key = key_names[i].key;
      ev->is_code = key_names[i].code;
      return true;
    }
  }
  return false;
}

static void queue_text(struct ui_term *t, const char *s)
{
  mbstate_t st;
  memset(&st, 0, sizeof(st));
  size_t left = strlen(s);
  while (left > 0 && t->q_len < sizeof(t->queue) / sizeof(t->queue[0])) {
    wchar_t wc;
    size_t n = mbrtowc(&wc, s, left, &st);
    if (n == (size_t)-1 || n == (size_t)-2)
      break;
    t->queue[(t->q_head + t->q_len++) % 512] = (int)wc;
    s += n;
    left -= n;
  }
}

int ui_term_dump(struct ui_term *t, const char *path)
{
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  for (int y = 0; y < LINES; y++) {
    wchar_t row[1024];
    int n = mvinnwstr(y, 0, row, COLS < 1023 ? COLS : 1023);
    if (n < 0)
      n = 0;
    row[n] = L'\0';
    while (n > 0 && row[n - 1] == L' ')
      row[--n] = L'\0';
    char buf[4096];
    size_t m = wcstombs(buf, row, sizeof(buf) - 1);
    if (m == (size_t)-1)
      m = 0;
    buf[m] = '\0';
    fprintf(f, "%s\n", buf);
  }
  /* In monochrome no cell may carry a colour pair: say how many do. */
  int colored = 0;
  for (int y = 0; y < LINES; y++) {
    for (int x = 0; x < COLS; x++) {
      cchar_t cc;
      wchar_t wch[CCHARW_MAX + 1];
      attr_t a;
      short pair = 0;
      if (mvin_wch(y, x, &cc) != ERR && getcchar(&cc, wch, &a, &pair, NULL) != ERR && pair != 0)
        colored++;
    }
  }
  if (t->mono)
    fprintf(f, "-- monochrome, %d coloured cells\n", colored);
  return fclose(f);
}

static struct ui_event script_next(struct ui_term *t, struct wiz_host *host)
{
  struct ui_event ev = { UI_EV_NONE, 0, false };
  if (t->q_len) {
    ev.kind = UI_EV_KEY;
    ev.key = t->queue[t->q_head];
    t->q_head = (t->q_head + 1) % 512;
    t->q_len--;
    return ev;
  }
  /* tig's gating: wait until the loads settle before taking the next line. */
  if (t->opts->script_idle && !t->opts->script_idle(t->opts->script_ctx)) {
    if (host && host->ops && host->ops->wait)
      host->ops->wait(host->ctx, NULL, 0, 1000);
    return ev;
  }
  char line[1024];
  while (t->script && fgets(line, sizeof(line), t->script)) {
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    if (n == 0 || line[0] == '#')
      continue;
    if (strncmp(line, "text:", 5) == 0) {
      queue_text(t, line + 5);
      return script_next(t, host);
    }
    if (strncmp(line, ":dump ", 6) == 0) {
      char *path = xasprintf("%s/%s.txt", t->dump_dir, line + 6);
      ui_term_dump(t, path);
      free(path);
      continue;
    }
    int w, h;
    if (sscanf(line, ":resize %dx%d", &w, &h) == 2) {
      resizeterm(h, w);
      ev.kind = UI_EV_RESIZE;
      return ev;
    }
    if (strcmp(line, ":hup") == 0) {
      ev.kind = UI_EV_HUP;
      return ev;
    }
    if (line[0] == ':') {
      if (t->opts->script_cmd)
        t->opts->script_cmd(t->opts->script_ctx, line);
      return ev;
    }
    if (line[0] == '<' && line[n - 1] == '>') {
      line[n - 1] = '\0';
      if (parse_key(line + 1, &ev))
        return ev;
    }
    fprintf(stderr, "synwiz test: unknown script line: %s\n", line);
  }
  ev.kind = UI_EV_QUIT;
  return ev;
}

/* ---------- the wait ---------- */

static struct ui_event from_signal(int sig)
{
  struct ui_event ev = { UI_EV_NONE, 0, false };
  if (sig == SIGWINCH) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
      resizeterm(ws.ws_row, ws.ws_col);
    ev.kind = UI_EV_RESIZE;
  } else if (sig == SIGHUP) {
    ev.kind = UI_EV_HUP;
  } else if (sig == SIGINT || sig == SIGTERM) {
    ev.kind = UI_EV_QUIT;
    ev.key = sig; /* a signal, not the end of a test script: the wizard keeps a draft */
  }
  return ev;
}

static bool read_signal(struct ui_event *ev)
{
  unsigned char b;
  bool got = false;
  struct ui_event best = { UI_EV_NONE, 0, false };
  while (sig_pipe[0] >= 0 && read(sig_pipe[0], &b, 1) == 1) {
    struct ui_event e = from_signal(b);
    /* A HUP or QUIT wins over a resize read in the same batch. */
    if (!got || e.kind == UI_EV_HUP || (e.kind == UI_EV_QUIT && best.kind != UI_EV_HUP))
      best = e;
    got = true;
  }
  if (got)
    *ev = best;
  return got;
}

/* The terminal went away without a SIGHUP reaching us: the pty was closed under us (a tmux
 * server killed; an SSH session torn down while the signal was not delivered to us).
 * poll() then reports a hang-up or an error on the terminal and get_wch() finds nothing to
 * read, for ever: without this check the loop spun at full CPU with nobody to see it. */
static bool terminal_gone(void)
{
  struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
  if (poll(&p, 1, 0) != 1)
    return false;
  return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

/* An Esc that curses did not make a key of. Alone it is the Esc key. Followed at once by
 * more characters it starts a sequence the terminal description does not know: its
 * characters must not reach a field as typing (F10 under TERM=vt100 in tmux typed "[21~"
 * into the name), so a common one becomes its key and any other is read to its end and
 * dropped. Only ESC [ and ESC O start one; any other key right after an Esc is its own. The rest of
 * a sequence comes in the same write as its Esc; the short wait only covers one split by the
 * network. */
static struct ui_event after_escape(void)
{
  struct ui_event ev = { UI_EV_KEY, 27, false };
  int seq[16];
  size_t n = 0;
  wint_t wc;
  int rc = get_wch(&wc);
  if (rc == ERR)
    return ev;
  if (rc == KEY_CODE_YES) { /* a key of its own, typed right after: the next event */
    ungetch((int)wc);
    return ev;
  }
  int key = 0;
  seq[n++] = (int)wc;
  enum ui_seq what = ui_key_sequence(seq, n, &key);
  if (what == UI_SEQ_NONE) {
    unget_wch((wchar_t)wc); /* Esc, then another key typed quickly (Ctrl-X): both count */
    return ev;
  }
  int delay = get_escdelay();
  timeout(delay >= 10 && delay <= 1000 ? delay : 100);
  while (what == UI_SEQ_MORE && n < 16) {
    rc = get_wch(&wc);
    if (rc == KEY_CODE_YES)
      ungetch((int)wc); /* a key of its own: the sequence before it is cut short */
    if (rc != OK)
      break; /* cut short: what came is dropped all the same */
    seq[n++] = (int)wc;
    what = ui_key_sequence(seq, n, &key);
  }
  nodelay(stdscr, TRUE);
  if (what == UI_SEQ_KEY) {
    ev.key = key;
    ev.is_code = true;
  } else {
    ev.kind = UI_EV_NONE;
  }
  return ev;
}

static struct ui_event key_event(int rc, wint_t wc)
{
  struct ui_event ev = { UI_EV_KEY, (int)wc, rc == KEY_CODE_YES };
  if (rc == KEY_CODE_YES && wc == KEY_RESIZE)
    ev.kind = UI_EV_RESIZE;
  else if (rc != KEY_CODE_YES && wc == 27)
    ev = after_escape();
  return ev;
}

struct ui_event ui_term_next(struct ui_term *t, struct wiz_host *host, int timeout_ms)
{
  struct ui_event ev = { UI_EV_NONE, 0, false };
  if (read_signal(&ev))
    return ev;
  if (t->test) {
    /* Let the host deliver what is due without blocking. */
    if (host && host->ops && host->ops->wait)
      host->ops->wait(host->ctx, NULL, 0, 0);
    return script_next(t, host);
  }
  wint_t wc;
  int rc = get_wch(&wc);
  if (rc != ERR)
    return key_event(rc, wc);
  int fds[2] = { STDIN_FILENO, sig_pipe[0] };
  if (host && host->ops && host->ops->wait)
    host->ops->wait(host->ctx, fds, 2, timeout_ms);
  else
    wiz_host_poll_wait(fds, 2, timeout_ms);
  if (read_signal(&ev))
    return ev;
  rc = get_wch(&wc);
  if (rc != ERR) {
    ev = key_event(rc, wc);
  } else if (terminal_gone()) {
    ev.kind = UI_EV_HUP; /* as SIGHUP: the answers are saved as a draft, then synwiz ends */
  }
  return ev;
}
