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
 * Actions, one job at a time (struct conn_job):
 *   connection_save        refuse early what the store would refuse (role, name taken), create
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

#include "app/app_ctx.h"
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

static const char *const actions[] = {
  "connection_save",
  "connection_doctor",
  "connection_doctor_fix",
  "connection_remove",
  "connection_remove_confirm",
  "connection_remove_dependents",
  "connection_detach_dependents",
  NULL,
};
static const char *const rules[] = { "connection_name_unique", NULL };
static const char *const values[] = { "current_tenant", NULL };

enum job_kind { J_SAVE, J_DOCTOR, J_FIX, J_REMOVE_ASK, J_REMOVE, J_REMOVE_DEPS, J_DETACH_DEPS };

struct conn_host;

struct conn_job {
  struct conn_host *h;
  struct wiz_job *job;
  enum job_kind kind;
  bool dry_run;
  struct store_connection rec; /* what is saved (J_SAVE) or checked */
  bool container_new, container_created, saved;
  struct az_call *call;
  struct doctor *doctor;
  struct wiz_report *report;
};

struct conn_host {
  struct app_host_base base;
  struct wiz_decl decl;
  bool editing; /* bound to a saved connection (edit, or the home screen's actions) */
  char *edit_id;
  long edit_revision;
  char *edit_agreed_at;
  struct conn_job *job;
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

/* ---- jobs ------------------------------------------------------------------------------ */

static void job_free(struct conn_job *j)
{
  doctor_delete(j->doctor);
  az_call_delete(j->call);
  wiz_report_delete(j->report);
  store_connection_done(&j->rec);
  free(j);
}

/* End the job: the report goes to the engine. */
static void job_end(struct conn_job *j)
{
  struct wiz_job *job = j->job;
  struct wiz_report *r = j->report;
  j->report = NULL;
  j->h->job = NULL;
  job_free(j);
  wiz_job_done(job, r);
}

static void progress_line(struct conn_job *j, const char *status)
{
  struct wiz_progress p = { -1, -1, -1, -1, status };
  wiz_job_progress(j->job, &p);
}

static enum wiz_outcome outcome_of(enum app_result rc)
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

static enum wiz_outcome az_outcome(enum az_result r)
{
  switch (az_result_class(r)) {
  case AZ_CLASS_OK:
    return WIZ_OUTCOME_DONE;
  case AZ_CLASS_CANCELED:
    return WIZ_OUTCOME_CANCELLED;
  case AZ_CLASS_LOCAL:
    return WIZ_OUTCOME_INVALID;
  case AZ_CLASS_REFUSED:
    return WIZ_OUTCOME_REFUSED;
  case AZ_CLASS_FAILURE:
    break;
  }
  return WIZ_OUTCOME_FAILED;
}

static void on_doctor_progress(void *ud, const struct wiz_progress *p)
{
  struct conn_job *j = ud;
  wiz_job_progress(j->job, p);
}

static void add_followups(struct wiz_report *r, const struct doctor *d)
{
  if (doctor_fixable(d))
    wiz_report_add_followup(r, "connection_doctor_fix", "Grant what is missing");
  wiz_report_add_followup(r, "connection_doctor", "Check again");
}

static void on_doctor_done(void *ud, struct doctor *d)
{
  struct conn_job *j = ud;
  /* A save is done once the record is written: the check's findings are the rest. */
  doctor_report(d, j->report, j->kind == J_SAVE);
  if (j->kind == J_SAVE && doctor_missing(d)) {
    char *s = xasprintf("%s Something is missing: press 1 to grant it, or see the commands for "
                        "an administrator.",
                        j->report->summary ? j->report->summary : "");
    wiz_report_set_summary(j->report, s);
    free(s);
  }
  add_followups(j->report, d);
  job_end(j);
}

static void start_doctor(struct conn_job *j, bool fix)
{
  struct doctor_target t;
  doctor_target_from_connection(&t, &j->rec);
  struct doctor_options o = { 0 };
  o.fix = fix;
  o.dry_run = j->dry_run;
  o.progress = on_doctor_progress;
  o.done = on_doctor_done;
  o.ud = j;
  j->doctor = doctor_start(j->h->base.app, &t, &o);
  doctor_target_done(&t);
}

/* ---- connection_save ---------------------------------------------------------------------- */

static void save_record(struct conn_job *j)
{
  struct conn_host *h = j->h;
  const char *msg = NULL;
  struct store *s = store_of(h, &msg);
  struct store_connection *c = &j->rec;
  if (j->dry_run) {
    char *p = xasprintf("store: %s the connection record '%s' in %s (not written: dry run)",
                        h->editing ? "update" : "create", c->display_name,
                        s ? store_dir(s) : "the store");
    wiz_report_add_plan(j->report, p);
    free(p);
    wiz_report_add(j->report, WIZ_FINDING_INFO, "Dry run: the connection was not saved",
                   "No container, no record and no role assignment was created; the calls "
                   "that would be made are listed below.",
                   NULL, NULL);
    start_doctor(j, false);
    return;
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
    j->report->outcome = outcome_of(rc);
    free(j->report->title);
    j->report->title =
        xstrdup(h->editing ? "The connection was not updated" : "The connection was not saved");
    wiz_report_add(j->report, WIZ_FINDING_FAIL,
                   rc == APP_CONFLICT_CHANGED || rc == APP_CONFLICT_REMOVED
                       ? "Someone else changed it meanwhile: nothing was overwritten"
                       : app_result_message(rc),
                   msg, NULL, NULL);
    if (j->container_created)
      wiz_report_add(j->report, WIZ_FINDING_INFO, "The new container is kept",
                     "It was created before the record could be saved; it is empty.", NULL, NULL);
    job_end(j);
    return;
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
  wiz_report_add(j->report, WIZ_FINDING_PASS, title, detail, NULL, NULL);
  free(title);
  free(detail);
  start_doctor(j, false);
}

static void on_container(struct az_call *call, void *ud)
{
  struct conn_job *j = ud;
  j->call = NULL;
  enum az_result r = az_call_result(call);
  if (r != AZ_OK) {
    char *summary = az_error_summary(az_call_error(call));
    const char *hint = az_call_error(call)->hint;
    char *detail = xasprintf("%s%s%s", summary, hint ? " " : "", hint ? hint : "");
    j->report->outcome = az_outcome(r);
    free(j->report->title);
    j->report->title = xstrdup("The connection was not saved");
    char *t = xasprintf("Creating the container %s failed", j->rec.container);
    wiz_report_add(j->report, WIZ_FINDING_FAIL, t, detail, j->rec.storage_account_id, NULL);
    free(t);
    free(detail);
    free(summary);
    az_call_delete(call);
    job_end(j);
    return;
  }
  az_call_delete(call);
  j->container_created = !j->dry_run;
  char *t =
      xasprintf("%s the container %s in storage account %s",
                j->dry_run ? "Would create" : "Created", j->rec.container, j->rec.storage_account);
  wiz_report_add(j->report, j->dry_run ? WIZ_FINDING_INFO : WIZ_FINDING_PASS, t,
                 "Public access: none.", NULL, NULL);
  free(t);
  save_record(j);
}

static void start_save(struct conn_job *j, const struct wiz_answers *a)
{
  struct conn_host *h = j->h;
  app_connection_fill(&j->rec, a);
  const struct wiz_item *ci = wiz_answers_item(a, "container");
  j->container_new = ci && ci->is_new;
  j->report = wiz_report_new(j->dry_run   ? "Dry run: nothing was saved"
                             : h->editing ? "Connection updated"
                                          : "Connection saved",
                             WIZ_OUTCOME_DONE);
  /* What the store would refuse, refused before Azure is touched. */
  const char *msg = NULL;
  struct store *s = store_of(h, &msg);
  enum app_result rc =
      s ? store_connection_require_admin(s, h->editing ? "edit" : "create") : APP_NOT_SIGNED_IN;
  if (s && rc != APP_OK)
    msg = store_message(s);
  if (rc == APP_OK && s) {
    struct strbuf m;
    strbuf_init(&m, 0);
    if (check(h, "connection_name_unique", "display_name", a, &m) == WIZ_CHECK_ERROR) {
      rc = APP_NAME_TAKEN;
      wiz_report_add(j->report, WIZ_FINDING_FAIL, "The name is taken", m.buf, NULL, NULL);
    }
    strbuf_done(&m);
  }
  if (rc != APP_OK) {
    j->report->outcome = outcome_of(rc);
    free(j->report->title);
    j->report->title = xstrdup("The connection was not saved");
    if (rc != APP_NAME_TAKEN)
      wiz_report_add(j->report, WIZ_FINDING_FAIL, app_result_message(rc), msg, NULL, NULL);
    job_end(j);
    return;
  }
  if (j->container_new) {
    char *status =
        xasprintf("Creating the container %s in %s...", j->rec.container, j->rec.storage_account);
    progress_line(j, status);
    free(status);
    j->call = az_arm_create_container(app_ctx_client(h->base.app), j->rec.subscription_id,
                                      j->rec.storage_resource_group, j->rec.storage_account,
                                      j->rec.container);
    az_call_on_done(j->call, on_container, j);
    return;
  }
  save_record(j);
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

static void start_doctor_job(struct conn_job *j, const struct wiz_answers *a, bool fix)
{
  const char *msg = NULL;
  enum app_result rc = find_record(j, a, &msg);
  const char *name = wiz_answers_text(a, "display_name");
  if (rc == APP_NOT_FOUND && j->dry_run) {
    /* A dry run saved nothing: check what the answers name. */
    store_connection_done(&j->rec);
    app_connection_fill(&j->rec, a);
    rc = APP_OK;
  }
  char *title = xasprintf("Prerequisites of %s%s",
                          j->rec.display_name ? j->rec.display_name
                          : name              ? name
                                              : "?",
                          fix ? ": granted and checked again" : "");
  j->report = wiz_report_new(title, WIZ_OUTCOME_DONE);
  free(title);
  if (rc != APP_OK) {
    j->report->outcome = outcome_of(rc);
    wiz_report_add(j->report, WIZ_FINDING_FAIL, "No saved connection to check", msg, NULL, NULL);
    job_end(j);
    return;
  }
  start_doctor(j, fix);
}

/* Exports and models that use the connection. */
static void dependents(struct store *s, const char *id, struct wiz_report *r, size_t *out_n)
{
  *out_n = 0;
  struct store_export_list el = { 0 };
  if (store_export_list(s, &el) == APP_OK) {
    for (size_t i = 0; i < el.n; i++) {
      if (el.items[i].connection_id && strcmp(el.items[i].connection_id, id) == 0) {
        char *t = xasprintf("export '%s'", el.items[i].display_name);
        wiz_report_add(r, WIZ_FINDING_INFO, t, "uses this connection", NULL, NULL);
        free(t);
        (*out_n)++;
      }
    }
    store_export_list_done(&el);
  }
  struct store_model_list ml = { 0 };
  if (store_model_list(s, &ml) == APP_OK) {
    for (size_t i = 0; i < ml.n; i++) {
      if (ml.items[i].connection_id && strcmp(ml.items[i].connection_id, id) == 0) {
        char *t = xasprintf("model '%s'", ml.items[i].name);
        wiz_report_add(r, WIZ_FINDING_INFO, t, "uses this connection", NULL, NULL);
        free(t);
        (*out_n)++;
      }
    }
    store_model_list_done(&ml);
  }
}

static void start_remove(struct conn_job *j, const struct wiz_answers *a)
{
  const char *msg = NULL;
  enum app_result rc = find_record(j, a, &msg);
  struct store *s = store_of(j->h, NULL);
  if (rc == APP_OK)
    rc = store_connection_require_admin(s, "remove");
  if (rc != APP_OK) {
    j->report = wiz_report_new("Nothing was removed", outcome_of(rc));
    wiz_report_add(j->report, WIZ_FINDING_FAIL, app_result_message(rc), s ? store_message(s) : msg,
                   NULL, NULL);
    job_end(j);
    return;
  }
  const char *name = j->rec.display_name;
  if (j->kind == J_REMOVE_ASK) {
    char *title = xasprintf("%s is not removed yet", name);
    j->report = wiz_report_new(title, WIZ_OUTCOME_CANCELLED);
    free(title);
    size_t n = 0;
    dependents(s, j->rec.meta.id, j->report, &n);
    if (n) {
      char *sum = xasprintf("%zu export%s or model%s still use %s: remove them, or detach them "
                            "(kept, inactive, shown as \"No connection\"), then the connection.",
                            n, n == 1 ? "" : "s", n == 1 ? "" : "s", name);
      wiz_report_set_summary(j->report, sum);
      free(sum);
      wiz_report_add_followup(j->report, "connection_remove_dependents",
                              "Remove them, then the connection");
      wiz_report_add_followup(j->report, "connection_detach_dependents",
                              "Detach them (kept, inactive), then remove the connection");
    } else {
      wiz_report_set_summary(j->report, "Press 1 to remove it for good; Enter keeps it. The "
                                        "workspace, storage and container stay in Azure.");
      char *l = xasprintf("Yes, remove %s", name);
      wiz_report_add_followup(j->report, "connection_remove_confirm", l);
      free(l);
    }
    job_end(j);
    return;
  }
  enum app_remove_mode mode = j->kind == J_REMOVE_DEPS   ? APP_REMOVE_DEPENDENTS
                              : j->kind == J_DETACH_DEPS ? APP_REMOVE_DETACH
                                                         : APP_REMOVE_REFUSE;
  struct strbuf log;
  strbuf_init(&log, 0);
  struct store_dependent_list deps = { 0 };
  rc = app_connection_remove(s, j->rec.meta.id, j->rec.meta.revision, mode, &deps, &log);
  char *title = xasprintf(rc == APP_OK ? "Removed the connection %s" : "%s was not removed", name);
  j->report = wiz_report_new(title, outcome_of(rc));
  free(title);
  for (char *line = log.buf; *line;) {
    size_t n = strcspn(line, "\n");
    char *l = xstrndup(line, n);
    wiz_report_add(j->report, WIZ_FINDING_PASS, l, NULL, NULL, NULL);
    free(l);
    line += n + (line[n] == '\n');
  }
  if (rc != APP_OK)
    wiz_report_add(j->report, WIZ_FINDING_FAIL, app_result_message(rc), store_message(s), NULL,
                   NULL);
  if (rc == APP_OK && j->h->editing) {
    j->h->editing = false; /* nothing left to edit */
  }
  store_dependent_list_done(&deps);
  strbuf_done(&log);
  job_end(j);
}

static int start_action(void *ctx, const char *action, const struct wiz_answers *answers,
                        bool dry_run, struct wiz_job *job)
{
  struct conn_host *h = ctx;
  if (h->job)
    return -1;
  struct conn_job *j = xcalloc(1, sizeof(*j));
  j->h = h;
  j->job = job;
  j->dry_run = dry_run;
  store_connection_init(&j->rec);
  h->job = j;
  wiz_job_set_data(job, j);
  if (strcmp(action, "connection_save") == 0) {
    j->kind = J_SAVE;
    start_save(j, answers);
  } else if (strcmp(action, "connection_doctor") == 0 ||
             strcmp(action, "connection_doctor_fix") == 0) {
    j->kind = strcmp(action, "connection_doctor") == 0 ? J_DOCTOR : J_FIX;
    start_doctor_job(j, answers, j->kind == J_FIX);
  } else if (strcmp(action, "connection_remove") == 0) {
    j->kind = J_REMOVE_ASK;
    start_remove(j, answers);
  } else if (strcmp(action, "connection_remove_confirm") == 0) {
    j->kind = J_REMOVE;
    start_remove(j, answers);
  } else if (strcmp(action, "connection_remove_dependents") == 0) {
    j->kind = J_REMOVE_DEPS;
    start_remove(j, answers);
  } else if (strcmp(action, "connection_detach_dependents") == 0) {
    j->kind = J_DETACH_DEPS;
    start_remove(j, answers);
  } else {
    h->job = NULL;
    job_free(j);
    return -1;
  }
  return 0;
}

static void cancel_action(void *ctx, struct wiz_job *job)
{
  struct conn_host *h = ctx;
  struct conn_job *j = h->job;
  if (!j || j->job != job)
    return;
  if (j->doctor) {
    doctor_cancel(j->doctor);
    doctor_report(j->doctor, j->report, true);
  }
  az_call_delete(j->call);
  j->call = NULL;
  if (!j->report)
    j->report = wiz_report_new("Cancelled", WIZ_OUTCOME_CANCELLED);
  /* Once saved, the save is done: only the check was cut short. */
  if (!(j->kind == J_SAVE && j->saved))
    j->report->outcome = WIZ_OUTCOME_CANCELLED;
  if (!j->doctor) /* (the check's report says it was cancelled) */
    wiz_report_add(j->report, WIZ_FINDING_INFO, "Cancelled",
                   j->kind == J_SAVE && j->saved ? "The connection is saved; the check was stopped."
                   : j->kind == J_SAVE && j->container_created
                       ? "The container was created; the connection was not saved."
                       : "Stopped; what was done is kept.",
                   NULL, NULL);
  job_end(j);
}

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
  if (h->job)
    job_free(h->job); /* the wizard is gone: its job with it, no callback */
  free(h->edit_id);
  free(h->edit_agreed_at);
  free(h);
}

static const struct wiz_host_ops ops = {
  app_host_start_load, app_host_cancel_load, check,          start_action,
  cancel_action,       app_host_wait,        app_host_value, NULL,
};

struct app_host_base *app_host_connection_open(struct app_ctx *app, struct strbuf *why)
{
  struct store *s = NULL;
  const char *msg = NULL;
  enum app_result rc = app_ctx_store(app, &s, &msg);
  if (rc == APP_OK)
    rc = store_connection_require_admin(s, "create or edit");
  if (rc != APP_OK) {
    strbuf_puts(why, s && rc != APP_NOT_SIGNED_IN ? store_message(s) : msg);
    app_host_set_open_result(rc);
    return NULL;
  }
  struct conn_host *h = xcalloc(1, sizeof(*h));
  h->decl.sources = app_sources_names();
  h->decl.actions = actions;
  h->decl.rules = rules;
  h->decl.values = values;
  h->base.host.ops = &ops;
  h->base.host.ctx = h;
  h->base.host.decl = &h->decl;
  h->base.app = app;
  h->base.destroy = destroy;
  h->base.edit = edit;
  return &h->base;
}
