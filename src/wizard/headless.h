/*
 * headless: the twin of the screens. It walks a wizard whose answers came from a file:
 * starts the loads each step needs, waits for them through the host's wait(), checks every
 * visible field, and runs actions to their end. The CLI uses it for --answers (with or
 * without --non-interactive) and to find the first step the screens must ask about.
 */
#ifndef SYNWIZ_WIZARD_HEADLESS_H
#define SYNWIZ_WIZARD_HEADLESS_H

#include <stdio.h>

#include "wizard/wizard.h"

struct wiz_problem {
  char *field; /* field id */
  char *label;
  char *rule; /* the rule that failed: a rule name, "answer", "source", "required"... */
  char *message;
  bool missing; /* no answer at all (as opposed to an invalid one) */
};

struct wiz_problems {
  struct wiz_problem *v;
  size_t n, cap;
};

void wiz_problems_done(struct wiz_problems *p);

/** Check every step (loads included, at most timeout_ms in all). Leaves the wizard on the
 * first step with a problem (or on the review) and returns that step's index. */
size_t wiz_headless_check(struct wizard *w, struct wiz_problems *out, int timeout_ms);
/** wiz_headless_check() that says on `err` (when not NULL) which list it is waiting for
 * when a load takes more than a few seconds. */
size_t wiz_headless_check_to(struct wizard *w, struct wiz_problems *out, int timeout_ms, FILE *err);
/** Run an action to its end (progress lines to `err`, when not NULL); the report stays in
 * the wizard (wiz_job_report). Returns its outcome. */
enum wiz_outcome wiz_headless_action(struct wizard *w, const char *action, const char *label,
                                     FILE *err, int timeout_ms);
/** Print a report as text: title, summary, findings, follow-ups, and the plan (dry run). */
void wiz_report_print(const struct wiz_report *r, FILE *out);
/** The exit code of an outcome (enum cli_exit's numbers). */
int wiz_outcome_exit(enum wiz_outcome o);
/** Async-signal-safe: ask the running check or action to stop (Ctrl-C, SIGTERM). An action
 * is cancelled (its report says what was done already) and ends as WIZ_OUTCOME_CANCELLED. */
void wiz_headless_interrupt(void);
/** True once wiz_headless_interrupt() was called. */
bool wiz_headless_interrupted(void);
/** Wait through the host until no load is in flight, or timeout_ms. */
bool wiz_wait_idle(struct wizard *w, int timeout_ms);

#endif
