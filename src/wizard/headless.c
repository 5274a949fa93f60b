/* The headless twin: the same form and rules, answers from a file, no screen. */
#include "wizard/headless.h"
#include "util/safetext.h"
#include "util/xalloc.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Set from a signal handler (Ctrl-C, SIGTERM): the loops below see it when the wait wakes. */
static volatile sig_atomic_t interrupted;

void wiz_headless_interrupt(void)
{
  interrupted = 1;
}

bool wiz_headless_interrupted(void)
{
  return interrupted != 0;
}

/* One line of a report: its text holds names and messages from Azure and the answers,
 * made safe (controls and overrides visible) and cut, whatever stream it goes to. */
static void report_line(FILE *out, const char *before, const char *text)
{
  char *safe = safetext_dup(text, SAFETEXT_MESSAGE_MAX, SAFETEXT_NEWLINES);
  fprintf(out, "%s%s\n", before, safe);
  free(safe);
}

static int host_wait(struct wizard *w, int timeout_ms)
{
  struct wiz_host *h = wiz_get_host(w);
  if (h && h->ops && h->ops->wait)
    return h->ops->wait(h->ctx, NULL, 0, timeout_ms);
  return wiz_host_poll_wait(NULL, 0, timeout_ms);
}

void wiz_problems_done(struct wiz_problems *p)
{
  for (size_t i = 0; i < p->n; i++) {
    free(p->v[i].field);
    free(p->v[i].label);
    free(p->v[i].rule);
    free(p->v[i].message);
  }
  free(p->v);
  memset(p, 0, sizeof(*p));
}

static size_t step_loads(const struct wizard *w, size_t step)
{
  const struct wiz_step *s = &wiz_form(w)->steps[step];
  size_t n = 0;
  for (size_t i = 0; i < s->n_fields; i++) {
    n += wiz_load_state(w, s->fields[i], WIZ_SRC_ITEMS) == WIZ_LOAD_LOADING;
    n += wiz_load_state(w, s->fields[i], WIZ_SRC_COLUMNS) == WIZ_LOAD_LOADING;
  }
  return n;
}

/* The label of a field of `step` whose list is still loading, or NULL. */
static const char *step_loading_label(const struct wizard *w, size_t step)
{
  const struct wiz_form *form = wiz_form(w);
  const struct wiz_step *s = &form->steps[step];
  for (size_t i = 0; i < s->n_fields; i++) {
    if (wiz_load_state(w, s->fields[i], WIZ_SRC_ITEMS) == WIZ_LOAD_LOADING ||
        wiz_load_state(w, s->fields[i], WIZ_SRC_COLUMNS) == WIZ_LOAD_LOADING) {
      const struct wiz_field *f = &form->fields[s->fields[i]];
      return f->label ? f->label : f->id;
    }
  }
  return NULL;
}

/* Without screens a slow list would leave the user before a silent terminal: after this
 * long, and again every WAIT_SAY_AGAIN_MS, say what is being waited for. */
#define WAIT_SAY_FIRST_MS 3000
#define WAIT_SAY_AGAIN_MS 30000

static bool step_pending(struct wizard *w, size_t step)
{
  const struct wiz_step *s = &wiz_form(w)->steps[step];
  for (size_t i = 0; i < s->n_fields; i++) {
    if (wiz_check(w, s->fields[i], NULL, NULL) == WIZ_CHECK_PENDING)
      return true;
  }
  return false;
}

bool wiz_wait_idle(struct wizard *w, int timeout_ms)
{
  long long deadline = now_ms() + timeout_ms;
  while (wiz_pending(w) > 0) {
    long long left = deadline - now_ms();
    if (left <= 0)
      return false;
    host_wait(w, (int)left);
  }
  return true;
}

size_t wiz_headless_check(struct wizard *w, struct wiz_problems *out, int timeout_ms)
{
  return wiz_headless_check_to(w, out, timeout_ms, NULL);
}

size_t wiz_headless_check_to(struct wizard *w, struct wiz_problems *out, int timeout_ms, FILE *err)
{
  const struct wiz_form *form = wiz_form(w);
  long long start = now_ms();
  long long deadline = start + timeout_ms;
  long long say_at = start + WAIT_SAY_FIRST_MS;
  size_t first_bad = form->n_steps;
  for (size_t s = 0; s < form->n_steps; s++) {
    wiz_set_step(w, s);
    for (;;) {
      wiz_refresh(w); /* an answer resolved may enable the next picker */
      bool loads = step_loads(w, s) > 0;
      bool pending = step_pending(w, s);
      if (!loads && !pending)
        break;
      long long now = now_ms();
      long long left = deadline - now;
      if (left <= 0 || interrupted)
        break;
      const char *label = err && loads && now >= say_at ? step_loading_label(w, s) : NULL;
      if (label) {
        fprintf(err, "synwiz: waiting for the list of %s (%lld s so far, at most %d s)...\n", label,
                (now - start) / 1000, timeout_ms / 1000);
        say_at = now + WAIT_SAY_AGAIN_MS;
      }
      if (err && loads && left > say_at - now)
        left = say_at - now > 0 ? say_at - now : 1;
      /* A host rule that is pending asks again after a while even if no I/O woke us. */
      host_wait(w, loads ? (int)left : (int)(left < 200 ? left : 200));
    }
    const struct wiz_step *st = &form->steps[s];
    for (size_t i = 0; i < st->n_fields; i++) {
      size_t f = st->fields[i];
      const char *msg = NULL, *rule = NULL;
      enum wiz_check c = wiz_check(w, f, &msg, &rule);
      if (c != WIZ_CHECK_ERROR && c != WIZ_CHECK_PENDING)
        continue;
      if (first_bad == form->n_steps)
        first_bad = s;
      if (!out)
        continue;
      out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
      struct wiz_problem *p = &out->v[out->n++];
      const struct wiz_field *fd = &form->fields[f];
      p->field = xstrdup(fd->id);
      p->label = xstrdup(fd->label ? fd->label : fd->id);
      p->rule = xstrdup(rule ? rule : "?");
      p->missing = !wiz_value_is_set(wiz_value(w, f)) && strcmp(p->rule, "required") == 0;
      if (c == WIZ_CHECK_PENDING)
        p->message = xasprintf("timed out: %s", msg ? msg : "still loading");
      else
        p->message = xstrdup(msg ? msg : "invalid");
    }
  }
  wiz_set_step(w, first_bad);
  return first_bad;
}

enum wiz_outcome wiz_headless_action(struct wizard *w, const char *action, const char *label,
                                     FILE *err, int timeout_ms)
{
  enum wiz_result rc = action ? wiz_start_action(w, action, label) : wiz_finish(w);
  if (rc != WIZ_OK && wiz_job_state(w) != WIZ_JOB_DONE)
    return rc == WIZ_E_INVALID || rc == WIZ_E_BUSY ? WIZ_OUTCOME_INVALID : WIZ_OUTCOME_FAILED;
  long long deadline = now_ms() + timeout_ms;
  char *last = NULL;
  bool stopped = false;
  while (wiz_job_state(w) == WIZ_JOB_RUNNING) {
    if (interrupted && !stopped) {
      /* Cancelled as from the screen's Esc: the job's report then says what it had done
       * already (a role granted stays granted) and what it had not. */
      stopped = true;
      if (err)
        fprintf(err, "synwiz: interrupted; stopping...\n");
      wiz_cancel_action(w);
      continue;
    }
    const struct wiz_progress *p = wiz_job_progress_now(w);
    if (err && p->status && (!last || strcmp(last, p->status) != 0)) {
      report_line(err, "synwiz: ", p->status); /* names from Azure and the answers */
      free(last);
      last = xstrdup(p->status);
    }
    long long left = deadline - now_ms();
    if (left <= 0) {
      wiz_cancel_action(w);
      deadline = now_ms() + 10000; /* give the host time to end the job */
      timeout_ms = -1;
      continue;
    }
    host_wait(w, (int)left);
  }
  free(last);
  return wiz_last_outcome(w);
}

void wiz_report_print(const struct wiz_report *r, FILE *out)
{
  if (!r)
    return;
  report_line(out, "", r->title);
  if (r->summary)
    report_line(out, "", r->summary);
  for (size_t i = 0; i < r->n_findings; i++) {
    const struct wiz_finding *f = &r->findings[i];
    const char *tag = f->status == WIZ_FINDING_PASS   ? "PASS"
                      : f->status == WIZ_FINDING_FAIL ? "FAIL"
                      : f->status == WIZ_FINDING_WARN ? "WARN"
                                                      : "INFO";
    fprintf(out, "  [%s] ", tag);
    report_line(out, "", f->title);
    if (f->scope)
      report_line(out, "         scope: ", f->scope);
    if (f->detail)
      report_line(out, "         ", f->detail);
    if (f->why)
      report_line(out, "         why: ", f->why);
  }
  for (size_t i = 0; i < r->n_followups; i++)
    report_line(out, "  next: ", r->followups[i].label); /* the action id is ours */
  if (r->n_plan) {
    fprintf(out, "Dry run: the calls that would be made, in order:\n");
    for (size_t i = 0; i < r->n_plan; i++) {
      /* Not cut: the plan is the calls a dry run shows in full. */
      char *safe = safetext_dup(r->plan[i], 0, SAFETEXT_NEWLINES);
      fprintf(out, "  %zu. %s\n", i + 1, safe);
      free(safe);
    }
  }
}

int wiz_outcome_exit(enum wiz_outcome o)
{
  switch (o) {
  case WIZ_OUTCOME_DONE:
    return 0;
  case WIZ_OUTCOME_CANCELLED:
    return 1;
  case WIZ_OUTCOME_INVALID:
    return 2;
  case WIZ_OUTCOME_REFUSED:
    return 3;
  case WIZ_OUTCOME_FAILED:
    return 4;
  }
  return 4;
}
