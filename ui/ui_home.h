/*
 * ui_home: the home screen: the wizards, drafts to resume, and one section per kind of
 * saved thing (wiz_home: connections, exports, models, linked services, tables), one row per
 * thing under its columns, its actions in a menu (Enter) or on the digit keys, the section's
 * own actions ("Run all") as rows after its things; who is signed in to which cloud (the
 * sandbox said plainly), and, signed out, a Sign in row with the reason wrapped to the
 * screen. '/' filters the rows as typed (htop's filter, tig's search); F5 (Ctrl-R) refreshes.
 *
 * ui_home_run() returns what the user chose; the caller runs it and shows home again with
 * `at` set to the row chosen, so the cursor stays where it was. With `stale` set, the screen
 * asks it every UI_HOME_CHECK_MS while idle (a few stat() calls: no busy loop) and returns
 * UI_HOME_REFRESH when it says the data changed (a CLI change made elsewhere).
 * F9, Ctrl-X and q quit (UI_HOME_QUIT); Ctrl-C and SIGINT quit with `interrupted` set (the
 * caller exits 1, as the wizards do when cancelled).
 */
#ifndef SYNWIZ_UI_UI_HOME_H
#define SYNWIZ_UI_UI_HOME_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/ui_term.h"
#include "wizard/wiz_host.h"

#define UI_HOME_CHECK_MS   2000
#define UI_HOME_FILTER_MAX 64

struct ui_home_form {
  const char *id;
  const char *title;
  const char *summary;
};

struct ui_home_draft {
  const char *name;  /* what synwiz resume takes */
  const char *title; /* what it edits or makes (its display name), or NULL */
  const char *form;
  const char *step;
  const char *saved;
  const char *edit; /* the saved thing the draft edits, or NULL */
};

enum ui_home_kind {
  UI_HOME_QUIT,
  UI_HOME_WIZARD,  /* index: the form */
  UI_HOME_DRAFT,   /* index: the draft */
  UI_HOME_ENTRY,   /* index: the section, entry, action */
  UI_HOME_SECTION, /* index: the section, action: its section action */
  UI_HOME_SIGN_IN,
  UI_HOME_REFRESH, /* F5, or `stale` said so */
};

/* Where the cursor starts: the row of this kind and index (an entry by its ref, else by its
 * position in the section), else row `row`. */
struct ui_home_at {
  enum ui_home_kind kind;
  size_t index, entry;
  const char *ref;
  size_t row;
};

struct ui_home_model {
  const struct ui_home_form *forms;
  size_t n_forms;
  const struct ui_home_draft *drafts;
  size_t n_drafts;
  const struct wiz_home *home; /* NULL: the app's data is not available ... */
  const char *home_missing;    /* ... and this says why */
  const char *notice;          /* a line for the status bar, or NULL */
  struct ui_home_at at;
  const char *filter; /* the filter to start with, or NULL */
  bool (*stale)(void *ctx);
  void *stale_ctx;
};

struct ui_home_choice {
  enum ui_home_kind kind;
  size_t index;                    /* form or draft index; section for an entry */
  size_t entry;                    /* entry index in the section */
  size_t action;                   /* action index of the entry (or of the section) */
  size_t row;                      /* the row the cursor was on */
  int hangup;                      /* 1 when SIGHUP ended the screen */
  bool interrupted;                /* Ctrl-C or SIGINT */
  bool by_key;                     /* UI_HOME_REFRESH: asked for (F5), not found stale */
  char filter[UI_HOME_FILTER_MAX]; /* the filter in force */
};

struct ui_home_choice ui_home_run(struct ui_term *t, const struct ui_home_model *m);

#endif
