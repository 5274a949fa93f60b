/*
 * ui_keys: every key goes through one table to a named request (tig's REQ_*, dialog's
 * DLGK_*), so that screens never test raw keys. Function keys have Ctrl alternatives for
 * terminals (and SSH clients) that eat them; Esc is never the only way to do something.
 *
 * Escape sequences the terminal description does not know (F10 sends ESC [ 2 1 ~ in tmux
 * whatever TERM says; TERM=vt100 knows it as ESC O x) reach us as an Esc and plain
 * characters: ui_key_sequence() reads them so that the common ones still work and the
 * others are dropped, never typed into a field.
 */
#ifndef SYNWIZ_UI_UI_KEYS_H
#define SYNWIZ_UI_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* request, the keys (for help), what it does */
#define UI_REQUESTS(X)                                                                   \
  X(REQ_NONE, "", "")                                                                    \
  X(REQ_CHAR, "letters", "Type into a field, or filter a list")                          \
  X(REQ_NEXT_FIELD, "Tab, Down", "Next field (Down: next option of a choice)")           \
  X(REQ_PREV_FIELD, "Shift-Tab, Up", "Previous field (Up: previous option)")             \
  X(REQ_ENTER, "Enter", "Open a list, choose, or go to the next field")                  \
  X(REQ_TOGGLE, "Space", "Tick a box, choose an option, select in a checklist")          \
  X(REQ_LEFT, "Left", "Cursor left, or the previous option")                             \
  X(REQ_RIGHT, "Right", "Cursor right, or the next option")                              \
  X(REQ_HOME, "Home, Ctrl-A in a field", "Start of the field")                           \
  X(REQ_END, "End", "End of the field")                                                  \
  X(REQ_BACKSPACE, "Backspace", "Delete before the cursor")                              \
  X(REQ_DELETE, "Delete", "Delete at the cursor")                                        \
  X(REQ_KILL, "Ctrl-U", "Clear the field, the filter or the new name")                   \
  X(REQ_PAGE_UP, "PgUp", "Scroll up")                                                    \
  X(REQ_PAGE_DOWN, "PgDn", "Scroll down")                                                \
  X(REQ_NEXT_STEP, "F10, Ctrl-N", "Next step; on the review: Save")                      \
  X(REQ_PREV_STEP, "F8, Ctrl-B", "Back to the previous step")                            \
  X(REQ_SAVE_DRAFT, "F2, Ctrl-S", "Save a draft (no secrets); synwiz resume reopens it") \
  X(REQ_CANCEL, "F9, Ctrl-X, Ctrl-C", "Cancel (asks first)")                             \
  X(REQ_HELP, "F1, Ctrl-G", "Help for the field")                                        \
  X(REQ_REVEAL, "F3, Ctrl-V", "Show or hide a secret")                                   \
  X(REQ_RETRY, "F5, Ctrl-R", "Load the list again")                                      \
  X(REQ_ACTION, "F6, Ctrl-T", "Run the step's action (Test connection)")                 \
  X(REQ_ALL, "F7, Ctrl-E", "Select all, or none when all are selected")                  \
  X(REQ_CLOSE, "Esc", "Leave a list or a question; on a step: cancel")

enum ui_req {
#define UI_REQ_ENUM(name, keys, help) name,
  UI_REQUESTS(UI_REQ_ENUM)
#undef UI_REQ_ENUM
      UI_REQ_COUNT
};

/** The request of a key (is_code: a curses KEY_* code). Printable characters are REQ_CHAR,
 * except ' ' which the caller may read as REQ_TOGGLE outside text fields. */
enum ui_req ui_key_request(int key, bool is_code);
const char *ui_req_keys(enum ui_req r);

enum ui_seq {
  UI_SEQ_NONE,    /* no sequence: the Esc was a key, and the character after it another */
  UI_SEQ_MORE,    /* an unfinished CSI (ESC [) or SS3 (ESC O) sequence: read on */
  UI_SEQ_KEY,     /* a whole sequence of a key we know: *key is its KEY_* code */
  UI_SEQ_UNKNOWN, /* a whole sequence we do not take: drop it */
};
/** What the characters that came at once after an Esc (`seq`, `n` of them, the Esc left
 * out) are: xterm's and vt220's arrows, Home, End, PgUp, PgDn, Delete, Shift-Tab and F1 to
 * F12 become their keys; any other sequence, with modifiers or unknown, is dropped. Only
 * ESC [ and ESC O start one: Esc then Ctrl-X typed quickly are two keys. */
enum ui_seq ui_key_sequence(const int *seq, size_t n, int *key);
const char *ui_req_help(enum ui_req r);

#endif
