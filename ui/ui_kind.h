/*
 * ui_kind: how a field kind looks and is edited on the wizard screens, as a table of
 * operations (the screen half of src/wizard/wiz_kind.h; tig's view_ops, newt's component
 * ops). A kind is one file ui/ui_kind_<name>.c defining its `struct ui_kind_ops`, indexed
 * by `enum wiz_kind`.
 *
 * The screens (ui_wizard.c) own the frame, the layout of a step (label column, value
 * column, inline messages), the list overlay and the event loop; a kind's ops draw its
 * value, take the keys of its focused field, and tune the list overlay when the kind has
 * one. Every pointer may be NULL: then the screens do the generic thing said below.
 *
 * Internal to ui/: struct ui is the wizard screens' state, shared with the kinds' files.
 */
#ifndef SYNWIZ_UI_UI_KIND_H
#define SYNWIZ_UI_UI_KIND_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "ui/ui_keys.h"
#include "ui/ui_term.h"
#include "ui/ui_wizard.h"

struct strbuf;

#define UI_LABEL_W 24
/* The row of a list that offers "create new". */
#define UI_ROW_CREATE ((size_t)-2)

enum ui_mode { M_STEP, M_LIST, M_NEWNAME, M_HELP, M_CONFIRM, M_PROGRESS, M_REPORT };

struct ui {
  struct ui_term *t;
  struct wizard *w;
  struct ui_wizard_opts *o;
  const struct wiz_form *form;
  enum ui_mode mode;
  enum ui_mode before_help;
  size_t *cursor; /* per field: the edit position, in characters */
  bool *reveal;
  int scroll;
  /* list overlay */
  size_t list_field;
  enum wiz_src list_src;
  char *map_attr; /* a mapping: choosing the column of this attribute */
  wchar_t filter[128];
  size_t filter_len;
  size_t sel, top;
  /* new name */
  wchar_t newname[128];
  size_t newname_len;
  const char *newname_msg;
  /* report */
  int report_top;
  /* Next was pressed while a field's check (a name looked up in Azure) was still running:
   * the step moves on by itself when the check answers, or shows its message. */
  bool next_waiting;
  int report_rows;   /* the report's height when last drawn */
  int report_bottom; /* the last row the report's findings use */
  bool finish_ran;
  char *note; /* a transient line for the status bar */
  bool note_error;
  int spin;
  bool done;
  enum ui_end end;
  /* The confirmation prompt got a key it does not take: it says which keys it takes. */
  bool confirm_hint;
  /* The option under the cursor of the choice in focus (dialog's radiolist: Up and Down move
   * it, Space or Enter choose it), for as long as the focus stays where it was set. */
  struct {
    bool set;
    size_t field, step, focus, entry, row;
  } opt;
  int cursor_y, cursor_x; /* where the terminal cursor goes, or -1 */
  int anchor_y; /* the row a list opens under, when a kind says (a group's member), or -1 */
};

enum ui_kind_flags {
  UI_KF_BARE = 1 << 0, /* no label, no message, not on the review: the kind draws a block */
};

struct ui_kind_ops {
  unsigned flags; /* enum ui_kind_flags */
  /* Rows the value takes (NULL: 1). A bare kind: the rows of its whole block. */
  int (*rows)(struct ui *u, size_t f);
  /* Draw the value at row y in the value column (a bare kind: its block, full width). */
  void (*draw)(struct ui *u, size_t f, int y, bool focus);
  /* The row, among its value rows, of the part in focus (a group's member), for scrolling;
   * a kind that has it draws only the rows in the body (it may be called above it). */
  int (*focus_row)(struct ui *u, size_t f);
  /* A key on the focused field of a step; true when used. Unused: Enter moves on, F5
   * retries a list. */
  bool (*key)(struct ui *u, size_t f, enum ui_req req, int ch);
  /* --- the list overlay (kinds with a source) --- */
  /* A key in the open list before the generic ones; true when used. */
  bool (*list_key)(struct ui *u, size_t f, enum ui_req req, int ch);
  /* Whether the open list shows every item without a filter line (NULL: no). */
  bool (*list_plain)(struct ui *u, size_t f);
  /* Whether an item is listed (NULL: every item the filter matches). */
  bool (*list_accepts)(struct ui *u, size_t f, const struct wiz_item *it);
  /* Enter on item `index` of the list. */
  void (*list_choose)(struct ui *u, size_t f, size_t index);
  /* An item's row (NULL: ui_item_text). */
  void (*list_line)(struct ui *u, size_t f, const struct wiz_item *it, struct strbuf *sb);
  /* The box's title, fresh (NULL: the field's label). */
  char *(*list_title)(struct ui *u, size_t f);
  /* The key bar while the list is open (NULL: the generic one). */
  const char *const *list_keys;
  size_t n_list_keys;
};

extern const struct ui_kind_ops ui_kind_text, ui_kind_secret, ui_kind_choice, ui_kind_picker,
    ui_kind_multi, ui_kind_checkbox, ui_kind_mapping, ui_kind_banner, ui_kind_readonly,
    ui_kind_group;

/** The screen ops of a field's kind (never NULL). */
const struct ui_kind_ops *ui_kind_ops(const struct wiz_field *f);

/* --- what the screens lend the kinds (ui_wizard.c) --- */

const struct wiz_field *ui_field(struct ui *u, size_t f);
int ui_value_x(void);
int ui_value_w(void);
const char *ui_spinner(struct ui *u);
void ui_note(struct ui *u, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** Draw an editable text box (masked: stars, for a secret not revealed). */
void ui_text_draw(struct ui *u, size_t f, int y, bool focus, bool masked);
/** Edit a text value by character (REQ_CHAR, REQ_BACKSPACE... as the text box does). */
void ui_text_edit(struct ui *u, size_t f, enum ui_req req, int ch);
/** Draw a list field's box: `shown` (or the placeholder), the load state, the arrow. */
void ui_list_value(struct ui *u, size_t f, int y, bool focus, const char *shown);
/** Open the list overlay on a field's source; close it. */
void ui_list_open(struct ui *u, size_t f, enum wiz_src src);
void ui_list_close(struct ui *u);
/** Enter on the open list's selected row. */
void ui_list_choose(struct ui *u);
/** The list's keys (filter typing included), as if typed in the open list. */
void ui_list_key(struct ui *u, enum ui_req req, int ch);
/** An item's plain row: its label, then why it is refused or its detail. */
void ui_item_text(const struct wiz_item *it, struct strbuf *sb);
/** Enter on a list field: open its list, or say why it is disabled. */
void ui_list_enter(struct ui *u, size_t f);

#endif
