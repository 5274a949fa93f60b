/*
 * ui_term: the terminal, in the spirit of htop's CRT. The only module that starts and ends
 * curses. It owns:
 *  - start-up: setlocale, TERM fallbacks (xterm-256color, xterm, vt100), refusal without a
 *    terminal, stderr redirected to a temporary file while curses is active and replayed
 *    after endwin;
 *  - colours through semantic elements (ui_elem) with a monochrome scheme, chosen when
 *    NO_COLOR is set or the terminal has no colours; ASCII lines when the locale is not
 *    UTF-8;
 *  - signals: SIGINT, SIGTERM, SIGHUP and SIGWINCH become bytes on a self-pipe, read by the
 *    one wait of the event loop (ui_term_next), which also runs the host's I/O;
 *  - the test mode (tig's): newterm() on /dev/null at a pinned size, keys from a script of
 *    symbolic names, the screen saved as text at ":dump NAME".
 *
 * The terminal is restored by ui_term_close() on every exit path, and by ui_term_restore()
 * from fatal paths (the xalloc hook).
 */
#ifndef SYNWIZ_UI_UI_TERM_H
#define SYNWIZ_UI_UI_TERM_H

#include <stdbool.h>
#include <stddef.h>

struct wiz_host;

/* Semantic elements: name, monochrome attributes, colour attributes, fg, bg. */
#define UI_ELEMENTS(X)                                                    \
  X(UI_NORMAL, A_NORMAL, A_NORMAL, -1, -1)                                \
  X(UI_TITLE, A_REVERSE | A_BOLD, A_BOLD, COLOR_WHITE, COLOR_BLUE)        \
  X(UI_RAIL, A_NORMAL, A_NORMAL, COLOR_CYAN, -1)                          \
  X(UI_RAIL_CURRENT, A_REVERSE | A_BOLD, A_BOLD, COLOR_BLACK, COLOR_CYAN) \
  X(UI_LINE, A_NORMAL, A_NORMAL, COLOR_BLUE, -1)                          \
  X(UI_LABEL, A_NORMAL, A_NORMAL, -1, -1)                                 \
  X(UI_LABEL_FOCUS, A_BOLD, A_BOLD, COLOR_WHITE, -1)                      \
  X(UI_FIELD, A_UNDERLINE, A_NORMAL, COLOR_WHITE, COLOR_BLUE)             \
  X(UI_FIELD_FOCUS, A_REVERSE, A_BOLD, COLOR_BLACK, COLOR_CYAN)           \
  X(UI_FIELD_DISABLED, A_DIM, A_NORMAL, COLOR_BLACK, -1)                  \
  X(UI_PLACEHOLDER, A_DIM, A_NORMAL, COLOR_CYAN, COLOR_BLUE)              \
  X(UI_ERROR, A_BOLD, A_BOLD, COLOR_RED, -1)                              \
  X(UI_WARNING, A_BOLD, A_BOLD, COLOR_YELLOW, -1)                         \
  X(UI_INFO, A_NORMAL, A_NORMAL, COLOR_CYAN, -1)                          \
  X(UI_OK, A_BOLD, A_BOLD, COLOR_GREEN, -1)                               \
  X(UI_SELECTION, A_REVERSE, A_NORMAL, COLOR_BLACK, COLOR_CYAN)           \
  X(UI_REFUSED, A_DIM, A_NORMAL, COLOR_RED, -1)                           \
  X(UI_BOX, A_NORMAL, A_NORMAL, COLOR_WHITE, COLOR_BLACK)                 \
  X(UI_KEY, A_REVERSE, A_NORMAL, COLOR_BLACK, COLOR_CYAN)                 \
  X(UI_KEY_LABEL, A_NORMAL, A_NORMAL, -1, -1)                             \
  X(UI_BAR_DONE, A_REVERSE, A_NORMAL, COLOR_GREEN, COLOR_GREEN)           \
  X(UI_BAR_TODO, A_NORMAL, A_NORMAL, COLOR_WHITE, -1)

enum ui_elem {
#define UI_ELEM_ENUM(name, mono, attr, fg, bg) name,
  UI_ELEMENTS(UI_ELEM_ENUM)
#undef UI_ELEM_ENUM
      UI_ELEM_COUNT
};

enum ui_glyph {
  UI_G_HLINE,
  UI_G_VLINE,
  UI_G_TL,
  UI_G_TR,
  UI_G_BL,
  UI_G_BR,
  UI_G_FOCUS,
  UI_G_RAIL_SEP,
  UI_G_BAR_DONE,
  UI_G_BAR_TODO,
  UI_G_DOWN,
  UI_G_ERROR,
  UI_G_WARN,
  UI_G_INFO,
  UI_G_COUNT
};

enum ui_event_kind {
  UI_EV_NONE,   /* the host did something, or a tick: redraw */
  UI_EV_KEY,    /* a key: `key` (a KEY_* code when is_code, else a character) */
  UI_EV_RESIZE, /* the size changed: relayout */
  UI_EV_HUP,    /* SIGHUP: the SSH link dropped */
  UI_EV_QUIT,   /* SIGINT or SIGTERM, or the test script ended */
};

struct ui_event {
  enum ui_event_kind kind;
  int key;      /* wint_t value or KEY_* code; for UI_EV_QUIT the signal (0: script ended) */
  bool is_code; /* a curses key code (function keys, arrows) */
};

struct ui_term_opts {
  bool test;            /* newterm() on /dev/null, keys from `script` */
  const char *script;   /* the key script (test mode) */
  const char *dump_dir; /* where ":dump NAME" writes NAME.txt */
  /* Script commands the UI does not know (":release x") go here; the test driver answers. */
  void (*script_cmd)(void *ctx, const char *line);
  /* Whether the host is idle (only held work left), so the next script line can be read. */
  bool (*script_idle)(void *ctx);
  void *script_ctx;
};

struct ui_term;

/** Start curses; NULL with a message in *err (fresh) when there is no usable terminal. */
struct ui_term *ui_term_open(const struct ui_term_opts *opts, char **err);
/** End curses, restore the terminal, replay what was written to stderr meanwhile. */
void ui_term_close(struct ui_term *t);
/** Restore the terminal from a fatal path (idempotent, async-signal-tolerant enough). */
void ui_term_restore(void);
/** Whether stdin and stdout are terminals (the interactive mode needs them). */
bool ui_term_available(void);

bool ui_term_mono(const struct ui_term *t);
bool ui_term_utf8(const struct ui_term *t);
bool ui_term_test_mode(const struct ui_term *t);
const char *ui_glyph(const struct ui_term *t, enum ui_glyph g);
/** The curses attributes of an element in the active scheme. */
int ui_attr(const struct ui_term *t, enum ui_elem e);

/** The one wait of the event loop: a key, a signal, a resize, or the host's I/O (host may be
 * NULL). timeout_ms -1 waits without limit (an idle synwiz uses no CPU). */
struct ui_event ui_term_next(struct ui_term *t, struct wiz_host *host, int timeout_ms);
/** Write the screen as text (rows, trailing blanks trimmed) to `path`. */
int ui_term_dump(struct ui_term *t, const char *path);

/* Drawing helpers (immediate mode on stdscr). */
/** Print UTF-8 text at (y, x) within `width` columns; returns the columns used. */
int ui_put(struct ui_term *t, int y, int x, int width, const char *s, enum ui_elem e);
/** Fill `width` columns at (y, x) with spaces in element e. */
void ui_fill(struct ui_term *t, int y, int x, int width, enum ui_elem e);
void ui_hline(struct ui_term *t, int y, int x, int width, enum ui_elem e);
void ui_box(struct ui_term *t, int y, int x, int h, int w, enum ui_elem e);
/** Columns `s` takes on screen. */
int ui_width(const char *s);
/** Word-wrap `s` into lines of at most `width` columns: returns the number of lines and, if
 * `out` is not NULL, fresh strings for each (at most max). A word of symbols alone (the "/"
 * ending a list of characters) never ends up alone on the last line: the word before it
 * goes down with it. */
int ui_wrap(const char *s, int width, char **out, int max);
/** As ui_wrap, for a place with room for `max` lines: at most `max` fresh lines in `out`
 * (returns how many); when the text needs more, the last one holds all the rest, so that
 * ui_put ends it with an ellipsis instead of text going missing unmarked. */
int ui_wrap_fit(const char *s, int width, char **out, int max);

#endif
