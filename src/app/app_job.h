/*
 * app_job: the action runner. An action of a wizard host (save, test, remove...) is a table
 * of steps; the runner runs one action at a time per host and owns what every action has:
 * the progress line, cancel, the dry-run plan, the report, its outcome, and the check that
 * the store may be written before anything is changed in Azure.
 *
 * A step (struct app_step), in a host's table indexed by the host's own step enum:
 *   id          a name for logs and readers ("workspace", "put")
 *   status      the progress line shown when the step starts, or NULL (start() may say a
 *               line of its own with app_job_say())
 *   start(job)  makes the step's Azure call and returns it: the runner waits on it, then
 *               calls done(job, call). NULL (or a NULL start: a decision, or work without
 *               Azure): done(job, NULL) is called at once, unless start() called
 *               app_job_hold() (it waits on something that is not a call, e.g. the doctor,
 *               and calls app_job_resume() when that ends, never from inside start()).
 *   done(job, call)  reads the call, adds findings, and returns the next step's index,
 *               APP_STEP_END (the action is over: its outcome is DONE unless a failure was
 *               said), or APP_STEP_FAIL (the call failed: one FAIL finding titled
 *               fail_title with Azure's words and hint, scoped to job->scope, and the
 *               outcome of the error). The runner deletes the call afterwards. NULL done: a
 *               failed call is APP_STEP_FAIL, else the next step of the table.
 *   fail_title  the FAIL finding's title for APP_STEP_FAIL (or app_job_fail_call's own)
 *
 * A host gives the runner a job class (struct app_job_class): its step table, the size of
 * its job struct (which starts with a struct app_job), and its hooks:
 *   begin(job, answers)  copy what the action needs; false ends the action at once (with
 *                        the findings and the outcome it said, e.g. a confirmation asked)
 *   may_write(job, store, why)  the store role the action needs (APP_OK, or the refusal
 *                        with the store's words in `why`); asked after begin() and before
 *                        the first step of an action flagged APP_ACTION_WRITES, once the
 *                        runner has checked that the store opens at all (its health), so
 *                        that nothing is created in Azure that could not be recorded
 *   finish(job)          the last words: the report's title, closing findings
 *   cancelled(job)       say what was already done (the runner has stopped the call and set
 *                        the outcome CANCELLED; the hook may clear job->failed when the
 *                        action's work is done and only its tail was cut)
 *   done(job)            free the class's own fields (the runner frees the rest)
 * The host's wiz_host_ops use app_job_start_action/app_job_cancel_action; the actions
 * themselves are in the registry (app_action.h).
 *
 * Outcomes: one mapping, app_job_outcome(), from app_result (and app_job_az_outcome() from
 * an Azure result, through app_result_of_az()) to the engine's outcome.
 */
#ifndef SYNWIZ_APP_APP_JOB_H
#define SYNWIZ_APP_APP_JOB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "app/app_result.h"
#include "azure/az_result.h"
#include "wizard/wiz_host.h"

struct app_action;
struct app_host_base;
struct app_job;
struct az_call;
struct store;
struct strbuf;

enum { APP_STEP_END = -1, APP_STEP_FAIL = -2 };

struct app_step {
  const char *id;
  const char *status;
  struct az_call *(*start)(struct app_job *job);
  int (*done)(struct app_job *job, struct az_call *call);
  const char *fail_title;
};

struct app_job_class {
  size_t size; /* of the host's job struct, which starts with a struct app_job */
  const struct app_step *steps;
  bool (*begin)(struct app_job *job, const struct wiz_answers *answers);
  enum app_result (*may_write)(struct app_job *job, struct store *s, struct strbuf *why);
  void (*finish)(struct app_job *job);
  void (*cancelled)(struct app_job *job);
  void (*done)(struct app_job *job);
};

struct app_job {
  const struct app_job_class *cls;
  const struct app_action *action;
  struct app_host_base *host;
  struct wiz_job *wiz;
  struct wiz_report *r; /* the report being written */
  bool dry_run;
  bool failed;              /* a failure was said: the outcome is `outcome` */
  enum wiz_outcome outcome; /* when failed */
  const char *scope;        /* the scope of APP_STEP_FAIL findings (borrowed), or NULL */
  /* the runner's */
  struct az_call *call;
  int step;
  bool held;
};

/** The engine's outcome of an app result (the one mapping of the app layer). */
enum wiz_outcome app_job_outcome(enum app_result rc);
/** ... and of an Azure result (a cancelled call is CANCELLED). */
enum wiz_outcome app_job_az_outcome(enum az_result r);

/** wiz_host_ops.start_action / cancel_action of every app host (ctx: its app_host_base). */
int app_job_start_action(void *ctx, const char *action, const struct wiz_answers *answers,
                         bool dry_run, struct wiz_job *job);
void app_job_cancel_action(void *ctx, struct wiz_job *job);
/** The host goes: a job still there (its wiz_job may be gone) is freed without a report. */
void app_job_discard(struct app_host_base *host);

/** Say a failure: the outcome, and APP_STEP_END to return from done(). */
int app_job_fail(struct app_job *job, enum wiz_outcome outcome);
/** ... with an app result's outcome. */
int app_job_fail_rc(struct app_job *job, enum app_result rc);
/** A call failed: a FAIL finding (`title`, Azure's words, `scope`, the hint), the error's
 * outcome, and APP_STEP_END. */
int app_job_fail_call(struct app_job *job, struct az_call *call, const char *title,
                      const char *scope);
/** The progress line (a printf format). */
void app_job_say(struct app_job *job, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_job_progress(struct app_job *job, const struct wiz_progress *p);
/** The report's title. */
void app_job_set_title(struct app_job *job, const char *title);
/** Dry run: one call of the plan, its body's secrets redacted (body may be NULL). */
void app_job_plan(struct app_job *job, const char *method, const char *url, json_t *body);
/** start() waits on something that is not a call; app_job_resume() goes on with done(). */
void app_job_hold(struct app_job *job);
void app_job_resume(struct app_job *job);

#endif
