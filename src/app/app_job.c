#include "app/app_job.h"

#include "app/app_action.h"
#include "app/app_ctx.h"
#include "app/app_host.h"
#include "app/store.h"
#include "azure/az_client.h"
#include "azure/az_error.h"
#include "azure/az_redact.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum wiz_outcome app_job_outcome(enum app_result rc)
{
  switch (app_result_class(rc)) {
  case APP_CLASS_OK:
    return WIZ_OUTCOME_DONE;
  case APP_CLASS_USAGE:
    return WIZ_OUTCOME_INVALID;
  case APP_CLASS_REFUSED:
    return WIZ_OUTCOME_REFUSED;
  case APP_CLASS_FAILURE:
    break;
  }
  return WIZ_OUTCOME_FAILED;
}

enum wiz_outcome app_job_az_outcome(enum az_result r)
{
  if (az_result_class(r) == AZ_CLASS_CANCELED)
    return WIZ_OUTCOME_CANCELLED;
  return app_job_outcome(app_result_of_az(r));
}

static void job_free(struct app_job *j)
{
  if (j->cls->done)
    j->cls->done(j);
  az_call_delete(j->call);
  wiz_report_delete(j->r);
  free(j);
}

/* The end: the class's last words, then the report goes to the engine. */
static void finish(struct app_job *j)
{
  if (j->cls->finish)
    j->cls->finish(j);
  struct wiz_report *r = j->r;
  j->r = NULL;
  r->outcome = j->failed ? j->outcome : WIZ_OUTCOME_DONE;
  struct wiz_job *wiz = j->wiz;
  if (j->host->job == j)
    j->host->job = NULL;
  job_free(j);
  wiz_job_done(wiz, r);
}

static void call_done(struct az_call *call, void *ud);

/* Run steps from `step` until one waits on a call (or on something else), or the end. */
static void run(struct app_job *j, int step)
{
  while (step != APP_STEP_END) {
    const struct app_step *s = &j->cls->steps[step];
    j->step = step;
    if (s->status)
      app_job_say(j, "%s", s->status);
    struct az_call *call = s->start ? s->start(j) : NULL;
    if (call) {
      j->call = call;
      az_call_on_done(call, call_done, j);
      return;
    }
    if (j->held)
      return;
    step = s->done ? s->done(j, NULL) : step + 1;
  }
  finish(j);
}

static void call_done(struct az_call *call, void *ud)
{
  struct app_job *j = ud;
  const struct app_step *s = &j->cls->steps[j->step];
  j->call = NULL;
  int next = s->done                         ? s->done(j, call)
             : az_call_result(call) == AZ_OK ? j->step + 1
                                             : APP_STEP_FAIL;
  if (next == APP_STEP_FAIL)
    next = app_job_fail_call(j, call, s->fail_title, j->scope);
  az_call_delete(call);
  run(j, next);
}

void app_job_hold(struct app_job *job)
{
  job->held = true;
}

void app_job_resume(struct app_job *job)
{
  const struct app_step *s = &job->cls->steps[job->step];
  job->held = false;
  run(job, s->done ? s->done(job, NULL) : job->step + 1);
}

/* What the store must allow before the action changes anything: that it opens (its health:
 * not damaged, not too new, not unsafe) and that the user's role there allows the action. */
static bool store_allows(struct app_job *j)
{
  struct store *s = NULL;
  const char *msg = NULL;
  enum app_result rc = app_ctx_store(j->host->app, &s, &msg);
  struct strbuf why;
  strbuf_init(&why, 0);
  if (rc != APP_OK)
    strbuf_puts(&why, msg ? msg : "");
  else if (j->cls->may_write)
    rc = j->cls->may_write(j, s, &why);
  if (rc != APP_OK) {
    wiz_report_add(j->r, WIZ_FINDING_FAIL, app_result_message(rc), why.buf, NULL, NULL);
    app_job_fail_rc(j, rc);
  }
  strbuf_done(&why);
  return rc == APP_OK;
}

int app_job_start_action(void *ctx, const char *action, const struct wiz_answers *answers,
                         bool dry_run, struct wiz_job *job)
{
  struct app_host_base *host = ctx;
  const struct app_action *a = app_action_find(host->form, action);
  if (host->job || !a || !host->jobs)
    return -1;
  struct app_job *j = xcalloc(1, host->jobs->size);
  j->cls = host->jobs;
  j->action = a;
  j->host = host;
  j->wiz = job;
  j->dry_run = dry_run;
  j->r = wiz_report_new(action, WIZ_OUTCOME_DONE);
  host->job = j;
  wiz_job_set_data(job, j);
  if (!j->cls->begin(j, answers) || ((a->flags & APP_ACTION_WRITES) && !store_allows(j))) {
    finish(j);
    return 0;
  }
  run(j, a->first);
  return 0;
}

void app_job_cancel_action(void *ctx, struct wiz_job *job)
{
  struct app_host_base *host = ctx;
  struct app_job *j = host->job;
  if (!j || j->wiz != job)
    return;
  az_call_delete(j->call);
  j->call = NULL;
  j->failed = true;
  j->outcome = WIZ_OUTCOME_CANCELLED;
  if (j->cls->cancelled)
    j->cls->cancelled(j);
  finish(j);
}

void app_job_discard(struct app_host_base *host)
{
  /* The engine cancels a running job before the host goes (wiz_delete): this is a leftover
   * whose wiz_job may be gone already, so only our side is freed. */
  if (host->job) {
    struct app_job *j = host->job;
    host->job = NULL;
    job_free(j);
  }
}

int app_job_fail(struct app_job *job, enum wiz_outcome outcome)
{
  job->failed = true;
  job->outcome = outcome;
  return APP_STEP_END;
}

int app_job_fail_rc(struct app_job *job, enum app_result rc)
{
  return app_job_fail(job, app_job_outcome(rc));
}

int app_job_fail_call(struct app_job *job, struct az_call *call, const char *title,
                      const char *scope)
{
  const struct az_error *e = az_call_error(call);
  char *summary = az_error_summary(e);
  wiz_report_add(job->r, WIZ_FINDING_FAIL, title, summary, scope, e->hint);
  free(summary);
  return app_job_fail(job, app_job_az_outcome(e->result));
}

void app_job_progress(struct app_job *job, const struct wiz_progress *p)
{
  wiz_job_progress(job->wiz, p);
}

void app_job_say(struct app_job *job, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  struct strbuf line;
  strbuf_init(&line, 0);
  strbuf_vprintf(&line, fmt, ap);
  va_end(ap);
  struct wiz_progress p = { -1, -1, -1, -1, line.buf };
  wiz_job_progress(job->wiz, &p);
  strbuf_done(&line);
}

void app_job_set_title(struct app_job *job, const char *title)
{
  free(job->r->title);
  job->r->title = xstrdup(title);
}

void app_job_plan(struct app_job *job, const char *method, const char *url, json_t *body)
{
  char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  char *clean = text ? az_redact_body("application/json", text, strlen(text)) : NULL;
  xfree_secret(text);
  char *line = clean ? xasprintf("%s %s %s", method, url, clean) : xasprintf("%s %s", method, url);
  wiz_report_add_plan(job->r, line);
  free(line);
  free(clean);
}
