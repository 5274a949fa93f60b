/* The greeting wizard's host (greeting_host.h): the registry's entry, the job, the steps. */
#include "support/greeting_host.h"

#include "app/app_action.h"
#include "app/app_ctx.h"
#include "app/app_host.h"
#include "app/app_job.h"
#include "azure/az_arm.h"
#include "azure/az_client.h"
#include "util/jsonpath.h"
#include "util/xalloc.h"
#include "wizard/answers.h"

#include <stdlib.h>
#include <string.h>

/* 1. The steps, in the order they run. */
enum greeting_step { S_SUBSCRIPTION, S_HELLO };

/* 2. The registry's entry: the action the form's finish names, and its first step. */
static const struct app_action greeting_actions[] = {
  { "greeting_send", NULL, NULL, S_SUBSCRIPTION, 0, 0 },
  { NULL, NULL, NULL, 0, 0, 0 },
};

/* 3. What a job of this host knows: the runner's part first, then the answers it read. */
struct greeting_job {
  struct app_job base;
  char *name;
  char *subscription; /* its id (the picker's answer) */
  char *display;      /* its name, as ARM says it */
};

static struct greeting_job *greeting_of(struct app_job *job)
{
  return (struct greeting_job *)job;
}

static bool greeting_begin(struct app_job *job, const struct wiz_answers *a)
{
  struct greeting_job *j = greeting_of(job);
  const char *name = wiz_answers_text(a, "name");
  const char *sub = wiz_answers_text(a, "subscription");
  if (!name || !sub) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "Nothing to send", "Give a name and a subscription.",
                   NULL, NULL);
    app_job_fail(job, WIZ_OUTCOME_INVALID);
    return false;
  }
  j->name = xstrdup(name);
  j->subscription = xstrdup(sub);
  job->scope = j->subscription; /* of a failed call's finding */
  return true;
}

/* 4. The steps: each makes one Azure call (or none) and says where to go next. */
static struct az_call *subscription_start(struct app_job *job)
{
  return az_arm_list_subscriptions(app_ctx_client(job->host->app));
}

static int subscription_done(struct app_job *job, struct az_call *call)
{
  struct greeting_job *j = greeting_of(job);
  if (az_call_result(call) != AZ_OK)
    return APP_STEP_FAIL; /* the runner says why, with the step's failure title */
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(az_call_json(call), "value"), i, s)
  {
    const char *id = json_path_str(s, "subscriptionId");
    if (id && strcmp(id, j->subscription) == 0)
      j->display = xstrdup(json_path_str(s, "displayName") ? json_path_str(s, "displayName") : id);
  }
  if (!j->display) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "The subscription is no longer there", NULL,
                   j->subscription, NULL);
    return app_job_fail(job, WIZ_OUTCOME_REFUSED);
  }
  return S_HELLO;
}

static int hello_done(struct app_job *job, struct az_call *call)
{
  struct greeting_job *j = greeting_of(job);
  (void)call; /* a step without a call */
  char *title = xasprintf("Hello, %s, from %s", j->name, j->display);
  wiz_report_add(job->r, WIZ_FINDING_PASS, title, NULL, NULL, NULL);
  free(title);
  return APP_STEP_END;
}

static const struct app_step greeting_steps[] = {
  [S_SUBSCRIPTION] = { "subscription", "Reading the subscriptions...", subscription_start,
                       subscription_done, "Could not read the subscriptions" },
  [S_HELLO] = { "hello", NULL, NULL, hello_done, NULL },
};

/* 5. The job class: its steps and hooks; the runner does the rest (progress, cancel, the
 * report, the outcome). */
static void greeting_finish(struct app_job *job)
{
  app_job_set_title(job, job->failed ? "Greeting not sent" : "Greeting sent");
}

static void greeting_done(struct app_job *job)
{
  struct greeting_job *j = greeting_of(job);
  free(j->name);
  free(j->subscription);
  free(j->display);
}

static const struct app_job_class greeting_jobs = {
  sizeof(struct greeting_job),
  greeting_steps,
  greeting_begin,
  NULL,
  greeting_finish,
  NULL,
  greeting_done,
};

/* 6. The host: the shared operations come with app_host_open(); it adds its job class. */
static void greeting_destroy(struct app_host_base *base)
{
  free(base);
}

static struct app_host_base *greeting_open(struct app_ctx *app, struct strbuf *why,
                                           enum app_result *out_rc)
{
  (void)why;
  (void)out_rc;
  struct app_host_base *h = xcalloc(1, sizeof(*h));
  h->app = app;
  h->destroy = greeting_destroy;
  h->jobs = &greeting_jobs;
  return h;
}

bool greeting_host_register(void)
{
  return app_action_register("greeting", greeting_open, greeting_actions, NULL);
}
