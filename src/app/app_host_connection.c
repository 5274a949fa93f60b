/*
 * The host of the Synapse connection wizard (forms/connection.json, behavior.md W1, issue 5):
 * Customer Insights' "Set up Azure Synapse Analytics connection", then the prerequisites
 * check (doctor.h), and the actions the home screen offers on a saved connection.
 *
 * Who: only administrators of the store create or edit connections, so app_host_connection_open
 * refuses anyone else before the first screen, with the store's message (who the
 * administrators are).
 *
 * Picker sources: the shared ones (app_sources.h). Host rule connection_name_unique: no other
 * connection of the store has the name, compared ignoring case (in edit mode the record being
 * edited does not count).
 *
 * Actions (app_connection_actions, one step table run by app_job.h), one job at a time:
 *   connection_save        refuse early what the store would refuse (the role, checked by the
 *                          runner before the first step; the name taken), create
 *                          the container through ARM when it is a new one, save the record
 *                          (every answer; the workspace's resource group, id, dev endpoint and
 *                          managed identity; the storage account's resource group and id;
 *                          agreed_at), or update it in edit mode based on the revision read
 *                          (a conflicting edit is reported, not overwritten); then the
 *                          prerequisites check, whose findings end the report. Follow-ups:
 *                          "Grant what is missing" (connection_doctor_fix) when something can
 *                          be granted, "Check again" (connection_doctor). The outcome is
 *                          DONE once saved, whatever the check found (the check says it).
 *   connection_doctor      the check of the saved connection (the record of the display name
 *                          answered, or the one being edited); in a dry run of a wizard that
 *                          saved nothing, of the answers
 *   connection_doctor_fix  the same with the fix (doctor.h): grant, then wait for propagation
 *   connection_remove      (home screen) says what removing would do: the exports and models
 *                          that use it, with the choice to remove or detach them first
 *                          (connection_remove_dependents, connection_detach_dependents), or a
 *                          confirmation (connection_remove_confirm)
 * Dry run: no container, no record, no role is created: the client prints every call and
 * fakes the writes (az_client.h), and the report's plan says what would have been saved.
 */
#include "app/app_connection.h"
#include "app/app_host.h"

#include "app/app_action.h"
#include "app/app_ctx.h"
#include "app/app_job.h"
#include "app/doctor.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_export.h"
#include "app/store_model.h"
#include "azure/az_arm.h"
#include "azure/az_client.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/answers.h"

#include <stdlib.h>
#include <string.h>

const char *const app_connection_rules[] = { "connection_name_unique", NULL };

struct conn_host {
  struct app_host_base base; /* first: app_host_close() and the shared ops find it */
  bool editing;              /* bound to a saved connection (edit, or the home screen's actions) */
  char *edit_id;
  long edit_revision;
  char *edit_agreed_at;
};

static struct store *store_of(struct conn_host *h, const char **out_msg)
{
  struct store *s = NULL;
  const char *msg = NULL;
  if (app_ctx_store(h->base.app, &s, &msg) != APP_OK)
    s = NULL;
  if (out_msg)
    *out_msg = msg;
  return s;
}

/* ---- the host rule ---------------------------------------------------------------------- */

static enum wiz_check check(void *ctx, const char *rule, const char *field_id,
                            const struct wiz_answers *answers, struct strbuf *msg)
{
  struct conn_host *h = ctx;
  if (strcmp(rule, "connection_name_unique") != 0)
    return WIZ_CHECK_OK;
  const char *name = wiz_answers_text(answers, field_id);
  if (!name || !*name)
    return WIZ_CHECK_OK;
  struct store *s = store_of(h, NULL);
  if (!s)
    return WIZ_CHECK_OK; /* the save says why the store cannot be used */
  struct store_connection c;
  store_connection_init(&c);
  enum wiz_check res = WIZ_CHECK_OK;
  if (store_connection_find(s, name, &c) == APP_OK &&
      !(h->editing && c.meta.id && h->edit_id && strcmp(c.meta.id, h->edit_id) == 0)) {
    strbuf_printf(msg,
                  "A connection named '%s' already exists in this store (names are compared "
                  "ignoring case): choose another name.",
                  c.display_name ? c.display_name : name);
    res = WIZ_CHECK_ERROR;
  }
  store_connection_done(&c);
  return res;
}

/* ---- actions: the registry's entries, then their steps (app_job.h) ----------------------- */

enum conn_mode { J_SAVE, J_DOCTOR, J_FIX, J_REMOVE_ASK, J_REMOVE, J_REMOVE_DEPS, J_DETACH_DEPS };

enum conn_step {
  S_NAME,      /* save: the name is free in the store */
  S_CONTAINER, /* ... a new container is created */
  S_RECORD,    /* ... the record is written */
  S_DOCTOR,    /* the prerequisites check (doctor.h), after a save or on its own */
  S_REMOVE,    /* remove: ask, or remove (with its dependents, or detaching them) */
};

const struct app_action app_connection_actions[] = {
  { "connection_doctor", "Check prerequisites", "connection", S_DOCTOR, J_DOCTOR, 0 },
  { "edit", "Edit", "connection", 0, 0, APP_ACTION_EDIT },
  { "connection_remove", "Remove", "connection", S_REMOVE, J_REMOVE_ASK, APP_ACTION_WRITES },
  { "connection_save", NULL, NULL, S_NAME, J_SAVE, APP_ACTION_WRITES },
  { "connection_doctor_fix", NULL, NULL, S_DOCTOR, J_FIX, APP_ACTION_WRITES },
  { "connection_remove_confirm", NULL, NULL, S_REMOVE, J_REMOVE, APP_ACTION_WRITES },
  { "connection_remove_dependents", NULL, NULL, S_REMOVE, J_REMOVE_DEPS, APP_ACTION_WRITES },
  { "connection_detach_dependents", NULL, NULL, S_REMOVE, J_DETACH_DEPS, APP_ACTION_WRITES },
  { NULL, NULL, NULL, 0, 0, 0 },
};

struct conn_job {
  struct app_job base; /* first: the runner's */
  struct conn_host *h;
  enum conn_mode mode;
  const struct wiz_answers *answers; /* during begin and the first step only */
  struct store_connection rec;       /* what is saved (J_SAVE) or checked */
  bool container_new, container_created, saved, record_failed;
  struct doctor *doctor;
};

static struct conn_job *conn_of(struct app_job *job)
{
  return (struct conn_job *)job;
}

/* ---- connection_save -------------------------------------------------------------------- */

static int name_done(struct app_job *job, struct az_call *call)
{
  struct conn_job *j = conn_of(job);
  (void)call;
  struct strbuf m;
  strbuf_init(&m, 0);
  bool taken =
      check(j->h, "connection_name_unique", "display_name", j->answers, &m) == WIZ_CHECK_ERROR;
  if (taken)
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "The name is taken", m.buf, NULL, NULL);
  strbuf_done(&m);
  if (taken)
    return app_job_fail_rc(job, APP_NAME_TAKEN);
  return j->container_new ? S_CONTAINER : S_RECORD;
}

static struct az_call *container_start(struct app_job *job)
{
  struct conn_job *j = conn_of(job);
  app_job_say(job, "Creating the container %s in %s...", j->rec.container, j->rec.storage_account);
  return az_arm_create_container(app_ctx_client(j->h->base.app), j->rec.subscription_id,
                                 j->rec.storage_resource_group, j->rec.storage_account,
                                 j->rec.container);
}

static int container_done(struct app_job *job, struct az_call *call)
{
  struct conn_job *j = conn_of(job);
  if (az_call_result(call) != AZ_OK) {
    char *summary = az_error_summary(az_call_error(call));
    const char *hint = az_call_error(call)->hint;
    char *detail = xasprintf("%s%s%s", summary, hint ? " " : "", hint ? hint : "");
    char *t = xasprintf("Creating the container %s failed", j->rec.container);
    wiz_report_add(job->r, WIZ_FINDING_FAIL, t, detail, j->rec.storage_account_id, NULL);
    free(t);
    free(detail);
    free(summary);
    return app_job_fail(job, app_job_az_outcome(az_call_result(call)));
  }
  /* ARM answers 201 when it created the container and 200 when one of that name (in any
   * case) was there already: the report must not claim a container it did not make, nor
   * say later that it keeps a "new" one. */
  bool existed = !job->dry_run && az_call_status(call) == 200;
  j->container_created = !job->dry_run && !existed;
  char *t = existed ? xasprintf("The container %s already existed in storage account %s: "
                                "used as it is, not created",
                                j->rec.container, j->rec.storage_account)
                    : xasprintf("%s the container %s in storage account %s",
                                job->dry_run ? "Would create" : "Created", j->rec.container,
                                j->rec.storage_account);
  wiz_report_add(job->r, job->dry_run || existed ? WIZ_FINDING_INFO : WIZ_FINDING_PASS, t,
                 existed ? "Its access level and contents were not changed."
                         : "Public access: none.",
                 NULL, NULL);
  free(t);
  return S_RECORD;
}

static int record_done(struct app_job *job, struct az_call *call)
{
  struct conn_job *j = conn_of(job);
  struct conn_host *h = j->h;
  (void)call;
  const char *msg = NULL;
  struct store *s = store_of(h, &msg);
  struct store_connection *c = &j->rec;
  if (job->dry_run) {
    char *p = xasprintf("store: %s the connection record '%s' in %s (not written: dry run)",
                        h->editing ? "update" : "create", c->display_name,
                        s ? store_dir(s) : "the store");
    wiz_report_add_plan(job->r, p);
    free(p);
    wiz_report_add(job->r, WIZ_FINDING_INFO, "Dry run: the connection was not saved",
                   "No container, no record and no role assignment was created; the calls "
                   "that would be made are listed below.",
                   NULL, NULL);
    return S_DOCTOR;
  }
  enum app_result rc = APP_NOT_SIGNED_IN;
  if (s) {
    free(c->agreed_at);
    c->agreed_at =
        h->editing && h->edit_agreed_at ? xstrdup(h->edit_agreed_at) : app_connection_now();
    if (h->editing) {
      free(c->meta.id);
      c->meta.id = xstrdup(h->edit_id);
      c->meta.revision = h->edit_revision;
      rc = store_connection_update(s, c);
    } else {
      rc = store_connection_create(s, c);
    }
    msg = store_message(s);
  }
  if (rc != APP_OK) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL,
                   rc == APP_CONFLICT_CHANGED || rc == APP_CONFLICT_REMOVED
                       ? "Someone else changed it meanwhile: nothing was overwritten"
                       : app_result_message(rc),
                   msg, NULL, NULL);
    if (j->container_created)
      wiz_report_add(job->r, WIZ_FINDING_INFO, "The new container is kept",
                     "It was created before the record could be saved; it is empty.", NULL, NULL);
    j->record_failed = true;
    return app_job_fail_rc(job, rc);
  }
  j->saved = true;
  if (h->editing) {
    h->edit_revision = c->meta.revision;
    free(h->edit_agreed_at);
    h->edit_agreed_at = c->agreed_at ? xstrdup(c->agreed_at) : NULL;
  }
  char *title =
      xasprintf("%s the connection '%s'", h->editing ? "Updated" : "Saved", c->display_name);
  char *detail = xasprintf("%s / %s / %s, usable by %s; revision %ld in the store %s.",
                           c->workspace_name, c->storage_account, c->container,
                           c->audience == STORE_AUDIENCE_ADMINS ? "administrators"
                                                                : "administrators and contributors",
                           c->meta.revision, store_dir(s));
  wiz_report_add(job->r, WIZ_FINDING_PASS, title, detail, NULL, NULL);
  free(title);
  free(detail);
  return S_DOCTOR;
}

/* ---- the prerequisites check -------------------------------------------------------------- */

static void on_doctor_progress(void *ud, const struct wiz_progress *p)
{
  app_job_progress(ud, p);
}

static void on_doctor_done(void *ud, struct doctor *d)
{
  (void)d;
  app_job_resume(ud);
}

static struct az_call *doctor_begin(struct app_job *job)
{
  struct conn_job *j = conn_of(job);
  struct doctor_target t;
  doctor_target_from_connection(&t, &j->rec);
  struct doctor_options o = { 0 };
  o.fix = j->mode == J_FIX;
  o.dry_run = job->dry_run;
  o.progress = on_doctor_progress;
  o.done = on_doctor_done;
  o.ud = job;
  app_job_hold(job);
  j->doctor = doctor_start(j->h->base.app, &t, &o);
  doctor_target_done(&t);
  return NULL;
}

static int doctor_done(struct app_job *job, struct az_call *call)
{
  struct conn_job *j = conn_of(job);
  struct doctor *d = j->doctor;
  (void)call;
  /* A save is done once the record is written: the check's findings are the rest. */
  doctor_report(d, job->r, j->mode == J_SAVE);
  if (job->r->outcome != WIZ_OUTCOME_DONE)
    app_job_fail(job, job->r->outcome);
  if (j->mode == J_SAVE && doctor_missing(d)) {
    char *s = xasprintf("%s Something is missing: press 1 to grant it, or see the commands for "
                        "an administrator.",
                        job->r->summary ? job->r->summary : "");
    wiz_report_set_summary(job->r, s);
    free(s);
  }
  if (doctor_fixable(d))
    wiz_report_add_followup(job->r, "connection_doctor_fix", "Grant what is missing");
  wiz_report_add_followup(job->r, "connection_doctor", "Check again");
  return APP_STEP_END;
}

/* ---- the saved connection the other actions work on --------------------------------- */

/* The record: the one being edited, else the one named by the answers. */
static enum app_result find_record(struct conn_job *j, const struct wiz_answers *a,
                                   const char **out_msg)
{
  struct conn_host *h = j->h;
  struct store *s = store_of(h, out_msg);
  if (!s)
    return APP_NOT_SIGNED_IN;
  store_connection_done(&j->rec);
  enum app_result rc;
  if (h->editing) {
    rc = store_connection_get(s, h->edit_id, &j->rec);
  } else {
    const char *name = wiz_answers_text(a, "display_name");
    rc = name ? store_connection_find(s, name, &j->rec) : APP_NOT_FOUND;
  }
  if (rc == APP_OK && j->rec.redacted)
    rc = store_connection_require_admin(s, "check");
  if (rc != APP_OK)
    *out_msg = store_message(s);
  return rc;
}

static bool begin_doctor(struct conn_job *j, const struct wiz_answers *a)
{
  const char *msg = NULL;
  enum app_result rc = find_record(j, a, &msg);
  const char *name = wiz_answers_text(a, "display_name");
  if (rc == APP_NOT_FOUND && j->base.dry_run) {
    /* A dry run saved nothing: check what the answers name. */
    store_connection_done(&j->rec);
    app_connection_fill(&j->rec, a);
    rc = APP_OK;
  }
  char *title = xasprintf("Prerequisites of %s%s",
                          j->rec.display_name ? j->rec.display_name
                          : name              ? name
                                              : "?",
                          j->mode == J_FIX ? ": granted and checked again" : "");
  app_job_set_title(&j->base, title);
  free(title);
  if (rc != APP_OK) {
    wiz_report_add(j->base.r, WIZ_FINDING_FAIL, "No saved connection to check", msg, NULL, NULL);
    app_job_fail_rc(&j->base, rc);
  }
  return rc == APP_OK;
}

/* Exports and models that use the connection. */
static size_t dependents(struct store *s, const char *id, struct wiz_report *r)
{
  size_t n = 0;
  struct store_export_list el = { 0 };
  struct store_model_list ml = { 0 };
  if (store_export_list(s, &el) != APP_OK)
    el.n = 0;
  if (store_model_list(s, &ml) != APP_OK)
    ml.n = 0;
  for (size_t i = 0; i < el.n + ml.n; i++) {
    const char *conn = i < el.n ? el.items[i].connection_id : ml.items[i - el.n].connection_id;
    if (conn && strcmp(conn, id) == 0) {
      char *t = i < el.n ? xasprintf("export '%s'", el.items[i].display_name)
                         : xasprintf("model '%s'", ml.items[i - el.n].name);
      wiz_report_add(r, WIZ_FINDING_INFO, t, "uses this connection", NULL, NULL);
      free(t);
      n++;
    }
  }
  store_export_list_done(&el);
  store_model_list_done(&ml);
  return n;
}

static void ask_remove(struct conn_job *j, struct store *s)
{
  const char *name = j->rec.display_name;
  struct wiz_report *r = j->base.r;
  char *title = xasprintf("%s is not removed yet", name);
  app_job_set_title(&j->base, title);
  free(title);
  app_job_fail(&j->base, WIZ_OUTCOME_CANCELLED);
  size_t n = dependents(s, j->rec.meta.id, r);
  if (n) {
    char *sum = xasprintf("%zu export%s or model%s still use %s: remove them, or detach them "
                          "(kept, inactive, shown as \"No connection\"), then the connection.",
                          n, n == 1 ? "" : "s", n == 1 ? "" : "s", name);
    wiz_report_set_summary(r, sum);
    free(sum);
    wiz_report_add_followup(r, "connection_remove_dependents", "Remove them, then the connection");
    wiz_report_add_followup(r, "connection_detach_dependents",
                            "Detach them (kept, inactive), then remove the connection");
  } else {
    wiz_report_set_summary(r, "Press 1 to remove it for good; Enter keeps it. The workspace, "
                              "storage and container stay in Azure.");
    char *l = xasprintf("Yes, remove %s", name);
    wiz_report_add_followup(r, "connection_remove_confirm", l);
    free(l);
  }
}

static int remove_done(struct app_job *job, struct az_call *call)
{
  struct conn_job *j = conn_of(job);
  struct store *s = store_of(j->h, NULL);
  (void)call;
  if (j->mode == J_REMOVE_ASK) {
    ask_remove(j, s);
    return APP_STEP_END;
  }
  enum app_remove_mode mode = j->mode == J_REMOVE_DEPS   ? APP_REMOVE_DEPENDENTS
                              : j->mode == J_DETACH_DEPS ? APP_REMOVE_DETACH
                                                         : APP_REMOVE_REFUSE;
  struct strbuf log;
  strbuf_init(&log, 0);
  struct store_dependent_list deps = { 0 };
  enum app_result rc =
      app_connection_remove(s, j->rec.meta.id, j->rec.meta.revision, mode, &deps, &log);
  char *title = xasprintf(rc == APP_OK ? "Removed the connection %s" : "%s was not removed",
                          j->rec.display_name);
  app_job_set_title(job, title);
  free(title);
  for (char *line = log.buf; *line;) {
    size_t n = strcspn(line, "\n");
    char *l = xstrndup(line, n);
    wiz_report_add(job->r, WIZ_FINDING_PASS, l, NULL, NULL, NULL);
    free(l);
    line += n + (line[n] == '\n');
  }
  if (rc != APP_OK) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, app_result_message(rc), store_message(s), NULL, NULL);
    app_job_fail_rc(job, rc);
  } else if (j->h->editing) {
    j->h->editing = false; /* nothing left to edit */
  }
  store_dependent_list_done(&deps);
  strbuf_done(&log);
  return APP_STEP_END;
}

static const struct app_step conn_steps[] = {
  [S_NAME] = { "name_free", NULL, NULL, name_done, NULL },
  [S_CONTAINER] = { "container", NULL, container_start, container_done, NULL },
  [S_RECORD] = { "record", NULL, NULL, record_done, NULL },
  [S_DOCTOR] = { "prerequisites", NULL, doctor_begin, doctor_done, NULL },
  [S_REMOVE] = { "remove", NULL, NULL, remove_done, NULL },
};

/* ---- the job: what it reads first, the store role it needs, cancel ---------------------- */

static bool conn_begin(struct app_job *job, const struct wiz_answers *a)
{
  struct conn_job *j = conn_of(job);
  j->h = (struct conn_host *)job->host;
  j->mode = (enum conn_mode)job->action->mode;
  store_connection_init(&j->rec);
  switch (j->mode) {
  case J_SAVE: {
    app_connection_fill(&j->rec, a);
    const struct wiz_item *ci = wiz_answers_item(a, "container");
    j->container_new = ci && ci->is_new;
    j->answers = a; /* for the name check, the first step, run before start_action returns */
    app_job_set_title(job, job->dry_run    ? "Dry run: nothing was saved"
                           : j->h->editing ? "Connection updated"
                                           : "Connection saved");
    return true;
  }
  case J_DOCTOR:
  case J_FIX:
    return begin_doctor(j, a);
  default: {
    const char *msg = NULL;
    app_job_set_title(job, "Nothing was removed");
    enum app_result rc = find_record(j, a, &msg);
    if (rc != APP_OK) {
      wiz_report_add(job->r, WIZ_FINDING_FAIL, app_result_message(rc), msg, NULL, NULL);
      app_job_fail_rc(job, rc);
    }
    return rc == APP_OK;
  }
  }
}

/* Only administrators create, edit or remove connections. */
static enum app_result conn_may_write(struct app_job *job, struct store *s, struct strbuf *why)
{
  struct conn_job *j = conn_of(job);
  enum app_result rc = store_connection_require_admin(s, j->mode == J_FIX    ? "fix the roles of"
                                                         : j->mode != J_SAVE ? "remove"
                                                         : j->h->editing     ? "edit"
                                                                             : "create");
  if (rc != APP_OK)
    strbuf_puts(why, store_message(s));
  return rc;
}

/* A save that failed says so (a cancelled one keeps its title: the cancel finding says it). */
static void conn_finish(struct app_job *job)
{
  struct conn_job *j = conn_of(job);
  if (j->mode == J_SAVE && job->failed && job->outcome != WIZ_OUTCOME_CANCELLED)
    app_job_set_title(job, j->record_failed && j->h->editing ? "The connection was not updated"
                                                             : "The connection was not saved");
}

static void conn_cancelled(struct app_job *job)
{
  struct conn_job *j = conn_of(job);
  if (j->doctor) {
    doctor_cancel(j->doctor);
    doctor_report(j->doctor, job->r, true);
  }
  /* Once saved, the save is done: only the check was cut short. */
  if (j->mode == J_SAVE && j->saved)
    job->failed = false;
  if (!j->doctor) /* (the check's report says it was cancelled) */
    wiz_report_add(job->r, WIZ_FINDING_INFO, "Cancelled",
                   j->mode == J_SAVE && j->saved ? "The connection is saved; the check was stopped."
                   : j->mode == J_SAVE && j->container_created
                       ? "The container was created; the connection was not saved."
                       : "Stopped; what was done is kept.",
                   NULL, NULL);
}

static void conn_job_done(struct app_job *job)
{
  struct conn_job *j = conn_of(job);
  doctor_delete(j->doctor);
  store_connection_done(&j->rec);
}

static const struct app_job_class conn_jobs = {
  sizeof(struct conn_job), conn_steps,    conn_begin, conn_may_write, conn_finish,
  conn_cancelled,          conn_job_done,
};

/* ---- edit mode ------------------------------------------------------------------------- */

static json_t *edit(struct app_host_base *base, const char *name, struct strbuf *why,
                    enum app_result *out_rc)
{
  struct conn_host *h = (struct conn_host *)base;
  const char *msg = NULL;
  struct store *s = store_of(h, &msg);
  if (!s) {
    strbuf_puts(why, msg ? msg : "the store cannot be opened");
    *out_rc = APP_NOT_SIGNED_IN;
    return NULL;
  }
  struct store_connection c;
  store_connection_init(&c);
  enum app_result rc = store_connection_require_admin(s, "edit");
  if (rc == APP_OK)
    rc = store_connection_find(s, name, &c);
  if (rc != APP_OK) {
    if (rc == APP_NOT_FOUND)
      strbuf_printf(why,
                    "there is no connection named '%s' in this store (synwiz connection "
                    "list shows them)",
                    name);
    else
      strbuf_puts(why, store_message(s));
    *out_rc = rc;
    store_connection_done(&c);
    return NULL;
  }
  h->editing = true;
  free(h->edit_id);
  h->edit_id = xstrdup(c.meta.id);
  h->edit_revision = c.meta.revision;
  free(h->edit_agreed_at);
  h->edit_agreed_at = c.agreed_at ? xstrdup(c.agreed_at) : NULL;
  json_t *answers = app_connection_answers(&c);
  store_connection_done(&c);
  *out_rc = APP_OK;
  return answers;
}

/* ---- the host -------------------------------------------------------------------------- */

static void destroy(struct app_host_base *base)
{
  struct conn_host *h = (struct conn_host *)base;
  free(h->edit_id);
  free(h->edit_agreed_at);
  free(h);
}

struct app_host_base *app_host_connection_open(struct app_ctx *app, struct strbuf *why,
                                               enum app_result *out_rc)
{
  struct store *s = NULL;
  const char *msg = NULL;
  enum app_result rc = app_ctx_store(app, &s, &msg);
  if (rc == APP_OK)
    rc = store_connection_require_admin(s, "create or edit");
  if (rc != APP_OK) {
    strbuf_puts(why, s && rc != APP_NOT_SIGNED_IN ? store_message(s) : msg);
    *out_rc = rc;
    return NULL;
  }
  struct conn_host *h = xcalloc(1, sizeof(*h));
  h->base.jobs = &conn_jobs;
  h->base.check = check;
  h->base.app = app;
  h->base.destroy = destroy;
  h->base.edit = edit;
  return &h->base;
}
