/*
 * ui_home: the home screen: the wizards, drafts to resume, the saved things (connections,
 * exports, models, linked services) with their actions, and who is signed in to which
 * cloud (the sandbox said plainly). What the caller cannot know yet is said as such.
 * ui_home_run() returns what the user chose; the caller runs it and may show home again.
 */
#ifndef SYNWIZ_UI_UI_HOME_H
#define SYNWIZ_UI_UI_HOME_H

#include <stddef.h>

#include "ui/ui_term.h"
#include "wizard/wiz_host.h"

struct ui_home_form {
  const char *id;
  const char *title;
  const char *summary;
};

struct ui_home_draft {
  const char *name;
  const char *form;
  const char *step;
  const char *saved;
  const char *edit; /* the saved thing the draft edits, or NULL */
};

struct ui_home_model {
  const struct ui_home_form *forms;
  size_t n_forms;
  const struct ui_home_draft *drafts;
  size_t n_drafts;
  const struct wiz_home *home; /* NULL: the app's data is not available ... */
  const char *home_missing;    /* ... and this says why */
  const char *notice;          /* a line for the status bar, or NULL */
};

enum ui_home_kind { UI_HOME_QUIT, UI_HOME_WIZARD, UI_HOME_DRAFT, UI_HOME_ENTRY };

struct ui_home_choice {
  enum ui_home_kind kind;
  size_t index;  /* form or draft index; section for an entry */
  size_t entry;  /* entry index in the section */
  size_t action; /* action index of the entry */
  int hangup;    /* 1 when SIGHUP ended the screen */
};

struct ui_home_choice ui_home_run(struct ui_term *t, const struct ui_home_model *m);

#endif
