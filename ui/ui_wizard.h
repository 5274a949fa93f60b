/*
 * ui_wizard: the screens of a wizard: one frame for every step (title, step rail, fields
 * with labels and inline messages, status line, key bar), the picker lists, help, the
 * review, the progress of an action and its report. Immediate-mode drawing (ncdu): each
 * frame is drawn from the engine's state, so a resize keeps every answer and the cursor.
 *
 * ui_wizard_run() owns the event loop while the wizard is on screen: it waits on the
 * keyboard, the signal pipe and the host's I/O together (ui_term_next), with no timer
 * unless something animates (a list loading, a spinner).
 *
 * Drafts are saved through the save_draft callback (the caller speaks JSON; ui/ does not).
 */
#ifndef SYNWIZ_UI_UI_WIZARD_H
#define SYNWIZ_UI_UI_WIZARD_H

#include "ui/ui_term.h"
#include "wizard/wizard.h"

enum ui_end {
  UI_END_FINISHED,  /* the finish action ended with WIZ_OUTCOME_DONE */
  UI_END_CANCELLED, /* the user cancelled */
  UI_END_HANGUP,    /* SIGHUP: a draft was saved (ui_wizard_opts.draft_name says which) */
  UI_END_QUIT,      /* SIGINT, SIGTERM, or the test script ended */
};

struct ui_wizard_opts {
  /* Save a draft under `name` (NULL: a new name); *out_name gets the name used. 0 = ok. */
  int (*save_draft)(void *ctx, struct wizard *w, const char *name, char **out_name);
  void *ctx;
  char *draft_name; /* the draft this run saves to (owned; updated when saved) */
  /* Answers file with gaps: once every step is valid, run the finish action at once. */
  bool unattended;
  const char *cloud; /* said in the title bar when not NULL, e.g. "Sandbox" */
  /* Action mode: run this host action at once (its progress, then its report, whose
   * follow-ups work as usual); closing the report ends the screens with UI_END_FINISHED
   * whatever the outcome (wiz_last_outcome says it). The home screen's actions on saved
   * things. */
  const char *action;
  const char *action_label;
};

enum ui_end ui_wizard_run(struct ui_term *t, struct wizard *w, struct ui_wizard_opts *opts);

#endif
