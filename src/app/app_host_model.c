/*
 * The host of the custom-model wizard: see app_model.h. The run's steps keep no more than
 * one input in flight: a table is fetched to a temporary file (az_blob_download_file,
 * ranged, bounded memory), rewritten row by row with the pipeline's attribute names
 * (csv_reader -> csv_writer), and uploaded (az_blob_upload_file, blocks read from the file).
 * The temporary directory goes when the job ends.
 */
#include "app/app_model.h"

#include "app/app_ctx.h"
#include "app/doctor.h"
#include "app/app_job.h"
#include "app/app_pipeline.h"
#include "app/app_sources.h"
#include "app/app_table.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_model.h"
#include "app/store_table.h"
#include "azure/az_arm.h"
#include "azure/az_blob.h"
#include "azure/az_client.h"
#include "azure/az_cloud.h"
#include "azure/az_storage.h"
#include "azure/az_synapse.h"
#include "util/csv_reader.h"
#include "util/csv_writer.h"
#include "util/jsonpath.h"
#include "util/safetext.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/answers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

const char *const app_model_rules[] = { "model_name_unique", "model_output_table_unique", NULL };

/* Save draft, Save and run (and Refresh: a run of the saved model); and the home screen's
 * actions on a saved model (My predictions): View runs, Remove (asks first). */
enum model_mode { MODE_SAVE, MODE_RUN, MODE_RUNS, MODE_REMOVE_ASK, MODE_REMOVE, MODE_CANCEL_RUN };

/* 1. The steps, in the order they run. */
enum model_step {
  S_ROLES,
  S_SAVE,
  S_STORAGE,
  S_FETCH,
  S_STAGE,
  S_UPLOAD,
  S_CREATE,
  S_WAIT,
  S_POLL,
  S_ACTIVITIES,
  S_OUTPUT,
  S_PROFILE,
  S_CHECK,
  S_MANAGE,
  S_CANCEL_RUN,
};

/* 2. The actions. */
const struct app_action app_model_actions[] = {
  { "edit", "Edit", "model", 0, 0, APP_ACTION_EDIT },
  { "model_refresh", "Refresh", "model", S_ROLES, MODE_RUN, APP_ACTION_WRITES },
  { "model_runs", "View runs", "model", S_MANAGE, MODE_RUNS, 0 },
  { "model_remove", "Remove", "model", S_MANAGE, MODE_REMOVE_ASK, 0 },
  { "model_save", NULL, NULL, S_ROLES, MODE_SAVE, APP_ACTION_WRITES },
  { "model_run", NULL, NULL, S_ROLES, MODE_RUN, APP_ACTION_WRITES },
  { "model_remove_confirm", NULL, NULL, S_MANAGE, MODE_REMOVE, APP_ACTION_WRITES },
  { "model_cancel_run", NULL, NULL, S_CANCEL_RUN, MODE_CANCEL_RUN, 0 },
  { NULL, NULL, NULL, 0, 0, 0 },
};

struct model_host {
  struct app_host_base base;
  char *bound_id;       /* edit mode: the saved model's id, or NULL */
  char *bound_table;    /* ... and its output table (taken by itself) */
  char *bound_contract; /* ... and the pipeline's contract it was saved against, or NULL */
  /* A run the user cancelled following, left running in Synapse: what the report's
   * follow-up "Cancel the run in Synapse" cancels. */
  char *left_run_id, *left_workspace, *left_name;
};

struct model_pair {
  char *attribute; /* the pipeline's */
  char *column;    /* the table's, or NULL: not mapped */
};

struct model_input {
  char *name;  /* the pipeline input */
  char *table; /* the catalog table, or NULL */
  size_t n;
  struct model_pair *pairs; /* one per declared attribute, in the pipeline's order */
  char *url;                /* abfss:// of the staged CSV */
};

/* 3. The job. */
struct model_job {
  struct app_job base;
  char *connection, *name, *output_table, *primary_key, *customer_id;
  struct app_pipeline *pipeline;
  size_t n_inputs;
  struct model_input *inputs;
  /* the record */
  char *model_id;
  /* the connection's workspace and storage */
  char *dev_endpoint, *subscription, *storage_rg, *account, *container;
  struct az_storage_account *acct; /* the connection's, blob endpoint from ARM */
  /* the run */
  char *tmpdir, *folder, *src_path, *output_blob;
  struct az_storage_account *src_acct; /* of the table being fetched or read */
  size_t cur;
  char *run_id, *started_at, *status, *message, *activity, *failed_activity;
  int delay_ms;
  struct timespec t0;
  char *profile_path, *profile_column;
  struct doctor *doctor; /* the roles check before the save */
};

static struct model_job *model_of(struct app_job *job)
{
  return (struct model_job *)job;
}

static struct model_host *host_of(struct app_job *job)
{
  return (struct model_host *)job->host;
}

static struct app_ctx *app_of(struct app_job *job)
{
  return job->host->app;
}

static struct az_client *client_of(struct app_job *job)
{
  return app_ctx_client(app_of(job));
}

static char *dup_or_null(const char *s)
{
  return s ? xstrdup(s) : NULL;
}

/* UTC now, as the store writes times. */
static void now_utc(char out[32])
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static struct store *store_of(struct app_job *job)
{
  struct store *s = NULL;
  const char *msg = NULL;
  return app_ctx_store(app_of(job), &s, &msg) == APP_OK ? s : NULL;
}

/* The attributes of an input no column is given to, "A", "B" (fresh), or NULL. */
static char *unmapped(const struct model_input *in)
{
  struct strbuf sb;
  strbuf_init(&sb, 0);
  for (size_t i = 0; i < in->n; i++) {
    if (!in->pairs[i].column)
      strbuf_printf(&sb, "%s\"%s\"", sb.len ? ", " : "", in->pairs[i].attribute);
  }
  if (!in->table)
    strbuf_printf(&sb, "%s(no table)", sb.len ? " " : "");
  char *out = sb.len ? strbuf_detach(&sb, NULL) : NULL;
  strbuf_done(&sb); /* detach leaves a fresh buffer behind */
  return out;
}

static bool model_begin(struct app_job *job, const struct wiz_answers *a)
{
  struct model_job *j = model_of(job);
  if (job->action->mode == MODE_CANCEL_RUN)
    return host_of(job)->left_run_id != NULL;
  if (job->action->mode >= MODE_RUNS) {
    if (host_of(job)->bound_id)
      return true;
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "No model chosen",
                   "This action works on a saved model.", NULL, NULL);
    app_job_fail(job, WIZ_OUTCOME_INVALID);
    return false;
  }
  const struct wiz_item *pit = wiz_answers_item(a, "pipeline");
  j->connection = dup_or_null(wiz_answers_text(a, "connection"));
  j->name = dup_or_null(wiz_answers_text(a, "name"));
  j->output_table = dup_or_null(wiz_answers_text(a, "output_table"));
  j->primary_key = dup_or_null(wiz_answers_text(a, "primary_key"));
  j->customer_id = dup_or_null(wiz_answers_text(a, "customer_id"));
  j->pipeline = pit ? app_pipeline_from_contract(pit->id, wiz_item_attr(pit, "contract")) : NULL;
  if (!j->connection || !j->name || !j->output_table || !j->primary_key || !j->customer_id ||
      !j->pipeline) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "Nothing to save",
                   "Give the connection, a pipeline that satisfies the contract, the name, the "
                   "output table, the primary key and the Customer ID.",
                   NULL, NULL);
    app_job_fail(job, WIZ_OUTCOME_INVALID);
    return false;
  }
  const struct wiz_item *items = NULL;
  struct wiz_answers *const *entries = NULL;
  size_t n = wiz_answers_group(a, "inputs", &items, &entries);
  j->n_inputs = j->pipeline->n_inputs;
  j->inputs = xcalloc(j->n_inputs + 1, sizeof(*j->inputs));
  for (size_t i = 0; i < j->n_inputs; i++) {
    const struct app_pipeline_input *pin = &j->pipeline->inputs[i];
    struct model_input *in = &j->inputs[i];
    in->name = xstrdup(pin->name);
    in->n = pin->n_attrs;
    in->pairs = xcalloc(in->n + 1, sizeof(*in->pairs));
    const struct wiz_answers *e = NULL;
    for (size_t k = 0; k < n; k++)
      if (strcasecmp(items[k].id, pin->name) == 0)
        e = entries[k];
    const struct wiz_value *map = e ? wiz_answers_get(e, "map") : NULL;
    in->table = e ? dup_or_null(wiz_answers_text(e, "table")) : NULL;
    for (size_t k = 0; k < in->n; k++) {
      in->pairs[k].attribute = xstrdup(pin->attrs[k].name);
      for (size_t m = 0; map && map->type == WIZ_V_MAP && m < map->n_pairs; m++)
        if (strcasecmp(map->pairs[m].key, pin->attrs[k].name) == 0 && map->pairs[m].value &&
            *map->pairs[m].value)
          in->pairs[k].column = xstrdup(map->pairs[m].value);
    }
  }
  job->scope = j->name;
  return true;
}

static enum app_result model_may_write(struct app_job *job, struct store *s, struct strbuf *why)
{
  (void)job;
  /* Models follow their connection's audience (store_model.h): the store says at save. */
  if (store_actor_role(s) == STORE_ROLE_VIEWER) {
    strbuf_puts(why, "Viewers see models; administrators and contributors create and run them.");
    return APP_DENIED;
  }
  return APP_OK;
}

static int fail_msg(struct app_job *job, enum wiz_outcome o, const char *title, const char *detail)
{
  wiz_report_add(job->r, WIZ_FINDING_FAIL, title, detail, job->scope, NULL);
  return app_job_fail(job, o);
}

/* Record a run's state (and the model's status with it). */
static void put_run(struct app_job *job, const char *status, bool finished)
{
  struct model_job *j = model_of(job);
  struct store *s = store_of(job);
  if (!s || !j->model_id || !j->run_id)
    return;
  char now[32];
  now_utc(now);
  struct store_model_run r = { j->run_id, j->started_at, finished ? now : NULL, (char *)status };
  store_model_put_run(s, j->model_id, &r);
}

/* The model's message (why the last run failed, or NULL) and status. */
static void set_outcome(struct app_job *job, const char *status, const char *message)
{
  struct model_job *j = model_of(job);
  struct store *s = store_of(job);
  struct store_model m;
  store_model_init(&m);
  if (s && store_model_get(s, j->model_id, &m) == APP_OK) {
    free(m.message);
    m.message = dup_or_null(message);
    free(m.status);
    m.status = xstrdup(status);
    store_model_update(s, &m);
  }
  store_model_done(&m);
}

/* "Customer.Email, output.Segment": the attributes of `a` that `b` lacks (fresh), or NULL. */
static char *contract_minus(const struct app_pipeline *a, const struct app_pipeline *b)
{
  struct strbuf sb;
  strbuf_init(&sb, 0);
  for (size_t i = 0; i < a->n_inputs; i++) {
    const struct app_pipeline_input *bi = app_pipeline_input(b, a->inputs[i].name);
    for (size_t k = 0; k < a->inputs[i].n_attrs; k++) {
      bool found = false;
      for (size_t m = 0; bi && m < bi->n_attrs; m++)
        found = found || strcasecmp(bi->attrs[m].name, a->inputs[i].attrs[k].name) == 0;
      if (!found)
        strbuf_printf(&sb, "%s%s.%s", sb.len ? ", " : "", a->inputs[i].name,
                      a->inputs[i].attrs[k].name);
    }
  }
  for (size_t k = 0; k < a->n_output; k++)
    if (!app_pipeline_output(b, a->output[k].name))
      strbuf_printf(&sb, "%soutput.%s", sb.len ? ", " : "", a->output[k].name);
  char *out = sb.len ? strbuf_detach(&sb, NULL) : NULL;
  strbuf_done(&sb); /* detach leaves a fresh buffer behind */
  return out;
}

/* Edit and Refresh: say what changed in Synapse since the model was saved. */
static bool say_pipeline_changed(struct app_job *job)
{
  struct model_job *j = model_of(job);
  struct model_host *h = host_of(job);
  struct app_pipeline *saved =
      h->bound_contract ? app_pipeline_from_contract(j->pipeline->name, h->bound_contract) : NULL;
  if (!saved)
    return false;
  char *added = contract_minus(j->pipeline, saved);
  char *removed = contract_minus(saved, j->pipeline);
  if (added || removed) {
    char *word = safetext_shell_word(j->name);
    char *d = xasprintf("Added: %s. Removed: %s. Update the mapping (synwiz model edit %s): a "
                        "run waits until every attribute has a column.",
                        added ? added : "none", removed ? removed : "none", word);
    free(word);
    wiz_report_add(job->r, WIZ_FINDING_WARN,
                   "The pipeline's inputs or outputs changed in Synapse since the model was saved",
                   d, NULL, NULL);
    free(d);
  }
  bool changed = added || removed;
  free(added);
  free(removed);
  app_pipeline_delete(saved);
  return changed;
}

/* 4. The steps. */

/* Before a model that can run is saved: the roles its runs need, as the prerequisites check
 * knows them (issue 12: "Couldn't save the workflow" names the role, where, and the fix).
 * A draft (a mapping not complete yet) is saved without: it does not run. */
static void on_roles_done(void *ud, struct doctor *d)
{
  (void)d;
  app_job_resume(ud);
}

static bool mapping_complete(const struct model_job *j)
{
  for (size_t i = 0; i < j->n_inputs; i++) {
    if (!j->inputs[i].table)
      return false;
    for (size_t k = 0; k < j->inputs[i].n; k++) {
      if (!j->inputs[i].pairs[k].column)
        return false;
    }
  }
  return true;
}

static struct az_call *roles_start(struct app_job *job)
{
  struct model_job *j = model_of(job);
  struct store *s = store_of(job);
  if (job->dry_run || !s || !mapping_complete(j))
    return NULL;
  struct store_connection c;
  memset(&c, 0, sizeof(c));
  if (store_connection_find(s, j->connection, &c) != APP_OK)
    return NULL; /* the save says why */
  app_job_say(job, "Checking the roles a run needs...");
  struct doctor_target t;
  doctor_target_from_connection(&t, &c);
  struct doctor_options o = { 0 };
  o.done = on_roles_done;
  o.ud = job;
  app_job_hold(job);
  j->doctor = doctor_start(app_of(job), &t, &o);
  doctor_target_done(&t);
  store_connection_done(&c);
  return NULL;
}

static int roles_done(struct app_job *job, struct az_call *call)
{
  (void)call;
  struct model_job *j = model_of(job);
  if (!j->doctor)
    return S_SAVE;
  static const struct {
    const char *key, *role;
  } need[] = {
    { "blob_user", DOCTOR_ROLE_BLOB_DATA_CONTRIBUTOR },
    { "synapse_artifacts", "Synapse Contributor (or Synapse Administrator)" },
    { "synapse_credentials", "Synapse Credential User (or Synapse Administrator)" },
  };
  const struct doctor_findings *f = doctor_findings_of(j->doctor);
  int next = S_SAVE;
  for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
    const struct doctor_finding *x = doctor_findings_get(f, need[i].key);
    /* Only a role known to be missing refuses: one that could not be read is no proof. */
    if (!x || x->status != WIZ_FINDING_FAIL || x->unchecked || x->pending)
      continue;
    char *d = xasprintf("%s A run needs it, so nothing was saved. Grant it with: synwiz doctor "
                        "%s --fix (an administrator of the subscription or the workspace may "
                        "have to).",
                        x->detail ? x->detail : need[i].role, j->connection);
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "Couldn't save the workflow", d, x->scope, NULL);
    free(d);
    next = app_job_fail(job, WIZ_OUTCOME_REFUSED);
  }
  doctor_delete(j->doctor);
  j->doctor = NULL;
  return next;
}

/* The home screen's actions on the saved model the host is bound to. */
static int manage_done(struct app_job *job, struct az_call *call)
{
  (void)call;
  struct model_host *h = host_of(job);
  struct store *s = store_of(job);
  struct store_model m;
  store_model_init(&m);
  enum app_result rc = s ? store_model_get(s, h->bound_id, &m) : APP_IO;
  if (rc != APP_OK) {
    fail_msg(job, app_job_outcome(rc), "The model cannot be read",
             s ? store_message(s) : "The store cannot be opened.");
    store_model_done(&m);
    return APP_STEP_END;
  }
  job->scope = m.name;
  switch ((enum model_mode)job->action->mode) {
  case MODE_RUNS: {
    char *t = xasprintf("Runs of %s", m.name);
    app_job_set_title(job, t);
    free(t);
    if (m.n_runs == 0)
      wiz_report_add(job->r, WIZ_FINDING_INFO, "No run yet",
                     "Refresh runs it now; synwiz refresh --due runs it with every system refresh.",
                     m.name, NULL);
    for (size_t i = m.n_runs; i-- > 0;) { /* the latest first */
      const struct store_model_run *r = &m.runs[i];
      char *title =
          xasprintf("%s  %s", r->started_at ? r->started_at : "?", r->status ? r->status : "?");
      char *d = xasprintf("Pipeline run %s%s%s.", r->run_id ? r->run_id : "?",
                          r->finished_at ? ", ended " : ", still running",
                          r->finished_at ? r->finished_at : "");
      bool ok = r->status && strcmp(r->status, "Successful") == 0;
      bool bad = r->status && strcmp(r->status, "Failed") == 0;
      wiz_report_add(job->r,
                     ok    ? WIZ_FINDING_PASS
                     : bad ? WIZ_FINDING_FAIL
                           : WIZ_FINDING_INFO,
                     title, d, m.name, NULL);
      free(title);
      free(d);
    }
    if (m.message)
      wiz_report_add(job->r, WIZ_FINDING_INFO, "The last failure, in Synapse's words", m.message,
                     m.name, NULL);
    break;
  }
  case MODE_REMOVE_ASK: {
    char *t = xasprintf("Remove the model %s?", m.name);
    app_job_set_title(job, t);
    char *d = xasprintf("Its output table %s and its files stay: removing a model deletes "
                        "nothing in Synapse nor in the catalog.",
                        m.output_table);
    wiz_report_add(job->r, WIZ_FINDING_INFO, t, d, m.name, NULL);
    free(t);
    free(d);
    wiz_report_set_summary(job->r, "Press 1 to remove it; Enter keeps it.");
    char *l = xasprintf("Yes, remove %s", m.name);
    wiz_report_add_followup(job->r, "model_remove_confirm", l);
    free(l);
    break;
  }
  case MODE_REMOVE:
    rc = store_model_remove(s, m.meta.id, m.meta.revision);
    if (rc != APP_OK) {
      fail_msg(job, app_job_outcome(rc), "The model was not removed", store_message(s));
      break;
    }
    {
      char *t = xasprintf("Removed the model %s", m.name);
      app_job_set_title(job, t);
      char *d = xasprintf("Its output table %s and its files are kept.", m.output_table);
      wiz_report_add(job->r, WIZ_FINDING_PASS, t, d, m.name, NULL);
      free(t);
      free(d);
    }
    break;
  default:
    break;
  }
  store_model_done(&m);
  return APP_STEP_END;
}

/* The run left running when its following was cancelled: Synapse is asked to cancel it. */
static struct az_call *cancel_run_start(struct app_job *job)
{
  struct model_host *h = host_of(job);
  job->scope = h->left_name;
  app_job_say(job, "Asking Synapse to cancel the run %s...", h->left_run_id);
  return az_synapse_cancel_run(client_of(job), h->left_workspace, h->left_run_id);
}

static int cancel_run_done(struct app_job *job, struct az_call *call)
{
  struct model_host *h = host_of(job);
  if (az_call_result(call) != AZ_OK)
    return APP_STEP_FAIL;
  char *t = xasprintf("Asked Synapse to cancel the run %s", h->left_run_id);
  app_job_set_title(job, t);
  char *word = safetext_shell_word(h->left_name);
  char *d = xasprintf("synwiz model show %s says when Synapse has cancelled it.", word);
  free(word);
  wiz_report_add(job->r, WIZ_FINDING_PASS, t, d, h->left_name, NULL);
  free(t);
  free(d);
  free(h->left_run_id);
  h->left_run_id = NULL;
  return APP_STEP_END;
}

static int save_done(struct app_job *job, struct az_call *call)
{
  (void)call;
  struct model_job *j = model_of(job);
  struct model_host *h = host_of(job);
  struct store *s = store_of(job);
  if (!s)
    return fail_msg(job, WIZ_OUTCOME_FAILED, "Couldn't save the workflow",
                    "The store cannot be opened.");
  struct store_connection c;
  memset(&c, 0, sizeof(c));
  if (store_connection_find(s, j->connection, &c) != APP_OK) {
    char *d = xasprintf("%s", store_message(s));
    fail_msg(job, WIZ_OUTCOME_INVALID, "Couldn't save the workflow", d);
    free(d);
    return APP_STEP_END;
  }
  j->dev_endpoint =
      dup_or_null(c.workspace_dev_endpoint ? c.workspace_dev_endpoint : c.workspace_name);
  j->subscription = dup_or_null(c.subscription_id);
  j->storage_rg = dup_or_null(c.storage_resource_group);
  j->account = dup_or_null(c.storage_account);
  j->container = dup_or_null(c.container);

  struct store_model m;
  store_model_init(&m);
  bool update = h->bound_id && store_model_get(s, h->bound_id, &m) == APP_OK;
  if (!update)
    store_model_init(&m);
  free(m.name);
  m.name = xstrdup(j->name);
  free(m.connection_id);
  m.connection_id = xstrdup(c.meta.id);
  free(m.pipeline);
  m.pipeline = xstrdup(j->pipeline->name);
  free(m.output_table);
  m.output_table = xstrdup(j->output_table);
  free(m.primary_key);
  m.primary_key = xstrdup(j->primary_key);
  free(m.customer_id_column);
  m.customer_id_column = xstrdup(j->customer_id);
  free(m.contract);
  m.contract = app_pipeline_contract_json(j->pipeline);
  for (size_t i = 0; i < m.n_mapping; i++) {
    free(m.mapping[i].input);
    free(m.mapping[i].column);
    free(m.mapping[i].table);
    free(m.mapping[i].attribute);
  }
  free(m.mapping);
  m.mapping = NULL;
  m.n_mapping = 0;
  if (say_pipeline_changed(job) && job->action->mode == MODE_RUN) {
    /* Refresh runs what was saved: a changed pipeline waits for Edit to save the new
     * mapping (and the contract it was made against). */
    store_model_done(&m);
    store_connection_done(&c);
    return fail_msg(job, WIZ_OUTCOME_INVALID, "The model cannot run until its mapping is updated",
                    "Run waits for the mapping: open synwiz model edit, check the attributes "
                    "and save.");
  }
  bool complete = mapping_complete(j);
  for (size_t i = 0; i < j->n_inputs; i++) {
    const struct model_input *in = &j->inputs[i];
    for (size_t k = 0; in->table && k < in->n; k++) {
      if (in->pairs[k].column)
        store_model_add_mapping(&m, in->name, in->pairs[k].attribute, in->table,
                                in->pairs[k].column);
    }
  }
  if (job->dry_run) {
    app_job_plan(job, update ? "UPDATE" : "CREATE", "store: models", store_model_to_json(&m));
    store_model_done(&m);
    store_connection_done(&c);
    return APP_STEP_END;
  }
  enum app_result rc = update ? store_model_update(s, &m) : store_model_create(s, &m);
  if (rc != APP_OK) {
    fail_msg(job, app_job_outcome(rc), "Couldn't save the workflow", store_message(s));
    store_model_done(&m);
    store_connection_done(&c);
    return APP_STEP_END;
  }
  j->model_id = xstrdup(m.meta.id);
  store_model_done(&m);
  store_connection_done(&c);
  char *what = xasprintf("Model %s saved%s", j->name, complete ? "" : " as a draft");
  wiz_report_add(job->r, WIZ_FINDING_PASS, what,
                 complete ? NULL
                          : "Its mapping is incomplete: it cannot run until every "
                            "attribute of every input has a column.",
                 NULL, NULL);
  free(what);
  if (job->action->mode != MODE_RUN)
    return APP_STEP_END;
  if (!complete) {
    struct strbuf sb;
    strbuf_init(&sb, 0);
    for (size_t i = 0; i < j->n_inputs; i++) {
      char *u = unmapped(&j->inputs[i]);
      if (u)
        strbuf_printf(&sb, "%s%s: %s", sb.len ? "; " : "", j->inputs[i].name, u);
      free(u);
    }
    char *d = xasprintf("Map every attribute of every input first. Unmapped: %s.", sb.buf);
    strbuf_done(&sb);
    fail_msg(job, WIZ_OUTCOME_INVALID, "The model cannot run yet", d);
    free(d);
    return APP_STEP_END;
  }
  return S_STORAGE;
}

static struct az_call *storage_start(struct app_job *job)
{
  struct model_job *j = model_of(job);
  return az_arm_get_storage_account(client_of(job), j->subscription, j->storage_rg, j->account);
}

static int storage_done(struct app_job *job, struct az_call *call)
{
  struct model_job *j = model_of(job);
  if (az_call_result(call) != AZ_OK)
    return APP_STEP_FAIL;
  const char *ep = json_path_str(az_call_json(call), "properties.primaryEndpoints.blob");
  struct az_error err;
  az_error_init(&err);
  if (az_storage_account_new(j->account, ep, NULL, az_client_cloud(client_of(job)), &j->acct,
                             &err) != AZ_OK) {
    char *d = az_error_summary(&err);
    az_error_done(&err);
    fail_msg(job, WIZ_OUTCOME_FAILED, "The connection's storage account cannot be used", d);
    free(d);
    return APP_STEP_END;
  }
  char tmpl[] = "/tmp/synwiz-model-XXXXXX";
  const char *tmp = getenv("TMPDIR");
  char *path = xasprintf("%s/synwiz-model-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(path)) {
    free(path);
    path = mkdtemp(tmpl) ? xstrdup(tmpl) : NULL;
  }
  if (!path)
    return fail_msg(job, WIZ_OUTCOME_FAILED, "No temporary directory for staging", NULL);
  j->tmpdir = path;
  char stamp[32];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
  j->folder = xasprintf("models/%s/%s", j->name, stamp);
  j->cur = 0;
  return S_FETCH;
}

static char *tmp_file(struct model_job *j, const char *name)
{
  return xasprintf("%s/%s", j->tmpdir, name);
}

/* The data of catalog table `name`: a local path (set in *out_local), or a download call. */
static struct az_call *fetch_table(struct app_job *job, const char *name, const char *dest,
                                   char **out_path, char **out_customer_id, bool profile)
{
  struct model_job *j = model_of(job);
  struct store *s = store_of(job);
  struct store_table t;
  store_table_init(&t);
  struct az_call *call = NULL;
  enum app_result rc = APP_NOT_FOUND;
  if (profile) {
    struct store_table_list list = { 0 };
    if (s && store_table_list(s, &list) == APP_OK) {
      for (size_t i = 0; i < list.n; i++)
        if (list.items[i].customer_id)
          rc = store_table_get(s, list.items[i].meta.id, &t);
    }
    store_table_list_done(&list);
  } else if (s) {
    rc = store_table_find(s, name, &t);
  }
  if (rc != APP_OK) {
    store_table_done(&t);
    return NULL;
  }
  if (out_customer_id)
    *out_customer_id = dup_or_null(t.customer_id);
  const char *loc = t.parts.n ? t.parts.items[0] : t.location;
  if (t.source == STORE_TABLE_FILE) {
    *out_path = xstrdup(loc);
  } else {
    char *account = NULL, *endpoint = NULL, *container = NULL, *blob = NULL;
    struct az_error err;
    az_error_init(&err);
    az_storage_account_delete(j->src_acct);
    j->src_acct = NULL;
    if (az_blob_parse_url(loc, &account, &endpoint, &container, &blob) &&
        az_storage_account_new(account, endpoint, NULL, az_client_cloud(client_of(job)),
                               &j->src_acct, &err) == AZ_OK) {
      *out_path = xstrdup(dest);
      call = az_blob_download_file(client_of(job), j->src_acct, container, blob, dest, NULL);
    }
    az_error_done(&err);
    free(account);
    free(endpoint);
    free(container);
    free(blob);
  }
  store_table_done(&t);
  return call;
}

static struct az_call *fetch_start(struct app_job *job)
{
  struct model_job *j = model_of(job);
  struct model_input *in = &j->inputs[j->cur];
  free(j->src_path);
  j->src_path = NULL;
  char *dest = tmp_file(j, "source.csv");
  app_job_say(job, "Staging %s from the table %s...", in->name, in->table);
  struct az_call *call = fetch_table(job, in->table, dest, &j->src_path, NULL, false);
  free(dest);
  return call;
}

static int fetch_done(struct app_job *job, struct az_call *call)
{
  struct model_job *j = model_of(job);
  if (call && az_call_result(call) != AZ_OK)
    return APP_STEP_FAIL;
  if (!j->src_path) {
    char *d = xasprintf("The table %s is not in the catalog, or its location cannot be read.",
                        j->inputs[j->cur].table);
    fail_msg(job, WIZ_OUTCOME_INVALID, "Couldn't stage the input", d);
    free(d);
    return APP_STEP_END;
  }
  return S_STAGE;
}

/* Rewriting one input: the mapped columns, in the pipeline's order, under its names. */
struct stage {
  struct csv_reader *r;
  struct csv_writer *w;
  const struct model_input *in;
  size_t *idx; /* the source column of each attribute */
  bool header_done;
  char *missing; /* a mapped column the table lacks */
};

static bool stage_row(void *ud, const char *const *fields, const size_t *lens, size_t n,
                      const char **message)
{
  struct stage *st = ud;
  if (!st->header_done) {
    size_t nc = csv_reader_n_columns(st->r);
    const char **names = xcalloc(st->in->n + 1, sizeof(*names));
    for (size_t k = 0; k < st->in->n; k++) {
      st->idx[k] = (size_t)-1;
      for (size_t c = 0; c < nc; c++)
        if (strcasecmp(csv_reader_column_name(st->r, c), st->in->pairs[k].column) == 0)
          st->idx[k] = c;
      if (st->idx[k] == (size_t)-1 && !st->missing)
        st->missing = xstrdup(st->in->pairs[k].column);
      names[k] = st->in->pairs[k].attribute;
    }
    bool ok = csv_writer_row(st->w, names, NULL, st->in->n);
    free(names);
    st->header_done = true;
    if (st->missing || !ok) {
      *message = st->missing ? "a mapped column is missing" : "the staged file cannot be written";
      return false;
    }
  }
  const char *out[64];
  size_t outl[64];
  const char **vals = st->in->n <= 64 ? out : xcalloc(st->in->n, sizeof(*vals));
  size_t *lv = st->in->n <= 64 ? outl : xcalloc(st->in->n, sizeof(*lv));
  for (size_t k = 0; k < st->in->n; k++) {
    size_t c = st->idx[k];
    vals[k] = c < n ? fields[c] : NULL;
    lv[k] = c < n ? lens[c] : 0;
  }
  bool ok = csv_writer_row(st->w, vals, lv, st->in->n);
  if (vals != out) {
    free(vals);
    free(lv);
  }
  if (!ok)
    *message = "the staged file cannot be written";
  return ok;
}

static int stage_done(struct app_job *job, struct az_call *call)
{
  (void)call;
  struct model_job *j = model_of(job);
  struct model_input *in = &j->inputs[j->cur];
  char *path = tmp_file(j, "staged.csv");
  FILE *f = fopen(path, "w");
  struct stage st = { 0 };
  st.in = in;
  st.idx = xcalloc(in->n + 1, sizeof(*st.idx));
  struct csv_reader_options o = { stage_row, &st };
  st.r = csv_reader_new(&o);
  st.w = f ? csv_writer_new(csv_sink_file, f) : NULL;
  bool ok = f && csv_reader_read_file(st.r, j->src_path) && csv_writer_flush(st.w);
  if (f && fclose(f) != 0)
    ok = false;
  char *why = NULL;
  if (!ok)
    why = st.missing
              ? xasprintf("The table %s has no column \"%s\" any more.", in->table, st.missing)
              : xasprintf("The table %s cannot be read: %s", in->table, csv_reader_message(st.r));
  csv_writer_delete(st.w);
  csv_reader_delete(st.r);
  free(st.idx);
  free(st.missing);
  free(path);
  if (!ok) {
    fail_msg(job, WIZ_OUTCOME_INVALID, "Couldn't stage the input", why);
    free(why);
    return APP_STEP_END;
  }
  return S_UPLOAD;
}

static char *abfss(struct model_job *j, struct app_job *job, const char *blob)
{
  return xasprintf("abfss://%s@%s.dfs.%s/%s", j->container, j->account,
                   az_client_cloud(client_of(job))->storage_suffix, blob ? blob : "");
}

static struct az_call *upload_start(struct app_job *job)
{
  struct model_job *j = model_of(job);
  struct model_input *in = &j->inputs[j->cur];
  char *blob = xasprintf("%s/input/%s.csv", j->folder, in->name);
  char *path = tmp_file(j, "staged.csv");
  in->url = abfss(j, job, blob);
  struct az_blob_transfer_options o = { 0, 0, "text/csv", 0 };
  struct az_call *call = az_blob_upload_file(client_of(job), j->acct, j->container, blob, path, &o);
  free(blob);
  free(path);
  return call;
}

static int upload_done(struct app_job *job, struct az_call *call)
{
  struct model_job *j = model_of(job);
  if (az_call_result(call) != AZ_OK)
    return APP_STEP_FAIL;
  char *what =
      xasprintf("Input %s staged from %s", j->inputs[j->cur].name, j->inputs[j->cur].table);
  wiz_report_add(job->r, WIZ_FINDING_PASS, what, j->inputs[j->cur].url, NULL, NULL);
  free(what);
  j->cur++;
  return j->cur < j->n_inputs ? S_FETCH : S_CREATE;
}

static struct az_call *create_start(struct app_job *job)
{
  struct model_job *j = model_of(job);
  json_t *params = json_object();
  for (size_t i = 0; i < j->n_inputs; i++)
    json_object_set_new(params, j->inputs[i].name, json_string(j->inputs[i].url));
  char *ds = abfss(j, job, NULL);
  j->output_blob = xasprintf("%s/output/%s.csv", j->folder, j->output_table);
  json_object_set_new(params, "output_datastore", json_string(ds));
  json_object_set_new(params, "output_path", json_string(j->output_blob));
  free(ds);
  app_job_say(job, "Starting the pipeline %s...", j->pipeline->name);
  return az_synapse_create_run(client_of(job), j->dev_endpoint, j->pipeline->name, params);
}

static int create_done(struct app_job *job, struct az_call *call)
{
  struct model_job *j = model_of(job);
  if (az_call_result(call) != AZ_OK)
    return APP_STEP_FAIL;
  const char *id = json_path_str(az_call_json(call), "runId");
  if (!id)
    return fail_msg(job, WIZ_OUTCOME_FAILED, "Synapse started no run", NULL);
  j->run_id = xstrdup(id);
  char now[32];
  now_utc(now);
  j->started_at = xstrdup(now);
  clock_gettime(CLOCK_MONOTONIC, &j->t0);
  j->delay_ms = 250;
  put_run(job, "Processing", false);
  char *what = xasprintf("Pipeline run %s started", j->run_id);
  wiz_report_add(job->r, WIZ_FINDING_INFO, what, NULL, NULL, NULL);
  free(what);
  return S_WAIT;
}

static struct az_call *wait_start(struct app_job *job)
{
  struct model_job *j = model_of(job);
  return az_call_delay(client_of(job), j->delay_ms);
}

static int wait_done(struct app_job *job, struct az_call *call)
{
  (void)job;
  (void)call;
  return S_POLL;
}

static struct az_call *poll_start(struct app_job *job)
{
  struct model_job *j = model_of(job);
  return az_synapse_get_run(client_of(job), j->dev_endpoint, j->run_id);
}

static int poll_done(struct app_job *job, struct az_call *call)
{
  struct model_job *j = model_of(job);
  if (az_call_result(call) != AZ_OK)
    return APP_STEP_FAIL;
  json_t *r = az_call_json(call);
  free(j->status);
  j->status = dup_or_null(json_path_str(r, "status"));
  free(j->message);
  j->message = dup_or_null(json_path_str(r, "message"));
  return S_ACTIVITIES;
}

static struct az_call *activities_start(struct app_job *job)
{
  struct model_job *j = model_of(job);
  return az_synapse_query_activity_runs(client_of(job), j->dev_endpoint, j->pipeline->name,
                                        j->run_id, NULL, NULL);
}

static long elapsed_s(const struct model_job *j)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long)(now.tv_sec - j->t0.tv_sec);
}

static int activities_done(struct app_job *job, struct az_call *call)
{
  struct model_job *j = model_of(job);
  const char *err_msg = NULL;
  if (az_call_result(call) == AZ_OK) {
    size_t i;
    json_t *a;
    json_array_foreach(json_path(az_call_json(call), "value"), i, a)
    {
      const char *st = json_path_str(a, "status");
      const char *name = json_path_str(a, "activityName");
      if (st && strcmp(st, "InProgress") == 0) {
        free(j->activity);
        j->activity = dup_or_null(name);
      }
      if (st && strcmp(st, "Failed") == 0) {
        free(j->failed_activity);
        j->failed_activity = dup_or_null(name);
        err_msg = json_path_str(a, "error.message");
        free(j->activity);
        j->activity = dup_or_null(err_msg);
      }
    }
  }
  const char *st = j->status ? j->status : "Queued";
  if (strcmp(st, "Queued") == 0 || strcmp(st, "InProgress") == 0 || strcmp(st, "Canceling") == 0) {
    app_job_say(job, "Run %s: %s%s%s, %lds elapsed", j->run_id, st,
                j->activity ? ", activity " : "", j->activity ? j->activity : "", elapsed_s(j));
    if (j->delay_ms < 4000)
      j->delay_ms *= 2;
    return S_WAIT;
  }
  if (strcmp(st, "Succeeded") == 0) {
    char *what = xasprintf("Pipeline run succeeded in %lds", elapsed_s(j));
    wiz_report_add(job->r, WIZ_FINDING_PASS, what, NULL, NULL, NULL);
    free(what);
    return S_OUTPUT;
  }
  bool cancelled = strcmp(st, "Cancelled") == 0;
  char *msg = cancelled ? xstrdup("The run was cancelled in Synapse.")
                        : xasprintf("%s%s%s%s%s",
                                    j->message && *j->message ? j->message : "The run failed.",
                                    j->failed_activity ? " Failed activity: " : "",
                                    j->failed_activity ? j->failed_activity : "",
                                    err_msg ? ": " : "", err_msg ? err_msg : "");
  put_run(job, cancelled ? "Canceled" : "Failed", true);
  set_outcome(job, cancelled ? "Canceled" : "Failed", msg);
  fail_msg(job, cancelled ? WIZ_OUTCOME_CANCELLED : WIZ_OUTCOME_FAILED,
           "The pipeline run did not succeed", msg);
  free(msg);
  return APP_STEP_END;
}

static struct az_call *output_start(struct app_job *job)
{
  struct model_job *j = model_of(job);
  char *dest = tmp_file(j, "output.csv");
  struct az_call *call =
      az_blob_download_file(client_of(job), j->acct, j->container, j->output_blob, dest, NULL);
  free(dest);
  app_job_say(job, "Checking the output...");
  return call;
}

static int output_done(struct app_job *job, struct az_call *call)
{
  if (az_call_result(call) != AZ_OK) {
    const struct az_error *e = az_call_error(call);
    char *d = az_error_summary(e);
    put_run(job, "Failed", true);
    char *msg = xasprintf("The pipeline wrote no output where output_path says: %s", d);
    set_outcome(job, "Failed", msg);
    fail_msg(job, WIZ_OUTCOME_FAILED, "The output breaks the contract", msg);
    free(msg);
    free(d);
    return APP_STEP_END;
  }
  return S_PROFILE;
}

static struct az_call *profile_start(struct app_job *job)
{
  struct model_job *j = model_of(job);
  char *dest = tmp_file(j, "profile.csv");
  struct az_call *call = fetch_table(job, NULL, dest, &j->profile_path, &j->profile_column, true);
  free(dest);
  return call;
}

static int profile_done(struct app_job *job, struct az_call *call)
{
  struct model_job *j = model_of(job);
  if (call && az_call_result(call) != AZ_OK) {
    free(j->profile_path); /* no match rate, said below */
    j->profile_path = NULL;
  }
  return S_CHECK;
}

/* A set of strings (keys and customer ids): open addressing, grows by doubling. */
struct key_set {
  char **slots;
  size_t cap, n;
};

static size_t key_hash(const char *s)
{
  size_t h = 1469598103934665603u;
  for (; *s; s++)
    h = (h ^ (unsigned char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s)) * 1099511628211u;
  return h;
}

/* Add `s`; false when it was there already (ignoring case: GUIDs are compared so). */
static bool key_add(struct key_set *ks, const char *s, bool add)
{
  if (ks->n * 2 >= ks->cap && add) {
    struct key_set bigger = { xcalloc(ks->cap ? ks->cap * 2 : 1024, sizeof(char *)),
                              ks->cap ? ks->cap * 2 : 1024, 0 };
    for (size_t i = 0; i < ks->cap; i++)
      if (ks->slots[i]) {
        size_t at = key_hash(ks->slots[i]) & (bigger.cap - 1);
        while (bigger.slots[at])
          at = (at + 1) & (bigger.cap - 1);
        bigger.slots[at] = ks->slots[i];
        bigger.n++;
      }
    free(ks->slots);
    *ks = bigger;
  }
  if (!ks->cap)
    return true;
  size_t at = key_hash(s) & (ks->cap - 1);
  while (ks->slots[at]) {
    if (strcasecmp(ks->slots[at], s) == 0)
      return false;
    at = (at + 1) & (ks->cap - 1);
  }
  if (add) {
    ks->slots[at] = xstrdup(s);
    ks->n++;
  }
  return true;
}

static void key_set_done(struct key_set *ks)
{
  for (size_t i = 0; i < ks->cap; i++)
    free(ks->slots[i]);
  free(ks->slots);
}

struct out_check {
  struct csv_reader *r;
  const struct app_pipeline *p;
  const char *primary_key, *customer_id, *profile_column;
  size_t *idx; /* of each declared output attribute */
  size_t pk, cid, profile_idx;
  bool header_done;
  struct strbuf problems;
  struct key_set keys, customers;
  int64_t rows, matched, dups, bad_values, empty_cid;
  char *first_dup;
};

static bool profile_row(void *ud, const char *const *fields, const size_t *lens, size_t n,
                        const char **message)
{
  (void)lens;
  (void)message;
  struct out_check *c = ud;
  if (!c->header_done) {
    c->profile_idx = (size_t)-1;
    for (size_t i = 0; i < csv_reader_n_columns(c->r); i++)
      if (strcasecmp(csv_reader_column_name(c->r, i), c->profile_column) == 0)
        c->profile_idx = i;
    c->header_done = true;
  }
  if (c->profile_idx < n && fields[c->profile_idx])
    key_add(&c->customers, fields[c->profile_idx], true);
  return true;
}

static enum csv_type csv_type_of(const char *t)
{
  if (strcmp(t, "Guid") == 0)
    return CSV_TYPE_GUID;
  if (strcmp(t, "Int64") == 0)
    return CSV_TYPE_INT64;
  if (strcmp(t, "Double") == 0)
    return CSV_TYPE_DOUBLE;
  if (strcmp(t, "Boolean") == 0)
    return CSV_TYPE_BOOLEAN;
  if (strcmp(t, "DateTime") == 0)
    return CSV_TYPE_DATETIME;
  return CSV_TYPE_STRING;
}

static bool output_row(void *ud, const char *const *fields, const size_t *lens, size_t n,
                       const char **message)
{
  (void)message;
  struct out_check *c = ud;
  if (!c->header_done) {
    c->header_done = true;
    c->pk = c->cid = (size_t)-1;
    for (size_t k = 0; k < c->p->n_output; k++) {
      c->idx[k] = (size_t)-1;
      for (size_t i = 0; i < csv_reader_n_columns(c->r); i++)
        if (strcasecmp(csv_reader_column_name(c->r, i), c->p->output[k].name) == 0)
          c->idx[k] = i;
      if (c->idx[k] == (size_t)-1)
        strbuf_printf(&c->problems, "%sthe declared attribute \"%s\" is not in the header",
                      c->problems.len ? "; " : "", c->p->output[k].name);
      if (strcasecmp(c->p->output[k].name, c->primary_key) == 0)
        c->pk = c->idx[k];
      if (strcasecmp(c->p->output[k].name, c->customer_id) == 0)
        c->cid = c->idx[k];
    }
  }
  c->rows++;
  for (size_t k = 0; k < c->p->n_output; k++) {
    size_t i = c->idx[k];
    if (i < n && fields[i] && !csv_value_is(csv_type_of(c->p->output[k].type), fields[i], lens[i]))
      if (c->bad_values++ == 0)
        strbuf_printf(&c->problems, "%s\"%s\" on row %lld is not a %s (\"%s\")",
                      c->problems.len ? "; " : "", c->p->output[k].name, (long long)c->rows,
                      c->p->output[k].type, fields[i]);
  }
  if (c->pk < n) {
    const char *k = fields[c->pk] ? fields[c->pk] : "";
    if (!key_add(&c->keys, k, true) && c->dups++ == 0)
      c->first_dup = xstrdup(k);
  }
  if (c->cid < n) {
    if (!fields[c->cid])
      c->empty_cid++;
    else if (c->customers.n && !key_add(&c->customers, fields[c->cid], false))
      c->matched++;
  }
  return true;
}

static int check_done(struct app_job *job, struct az_call *call)
{
  (void)call;
  struct model_job *j = model_of(job);
  struct out_check c;
  memset(&c, 0, sizeof(c));
  strbuf_init(&c.problems, 0);
  c.p = j->pipeline;
  c.primary_key = j->primary_key;
  c.customer_id = j->customer_id;
  c.profile_column = j->profile_column;
  c.idx = xcalloc(j->pipeline->n_output + 1, sizeof(*c.idx));
  bool have_profile = j->profile_path && j->profile_column;
  if (have_profile) {
    struct csv_reader_options po = { profile_row, &c };
    c.r = csv_reader_new(&po);
    if (!csv_reader_read_file(c.r, j->profile_path))
      have_profile = false;
    csv_reader_delete(c.r);
    c.header_done = false;
  }
  char *out_path = tmp_file(j, "output.csv");
  struct csv_reader_options o = { output_row, &c };
  c.r = csv_reader_new(&o);
  bool ok = csv_reader_read_file(c.r, out_path);
  if (!ok)
    strbuf_printf(&c.problems, "%sthe output is not a valid CSV file: %s",
                  c.problems.len ? "; " : "", csv_reader_message(c.r));
  csv_reader_delete(c.r);
  if (c.dups)
    strbuf_printf(&c.problems,
                  "%sthe primary key \"%s\" is not unique: \"%s\" appears more than once (%lld "
                  "duplicate%s)",
                  c.problems.len ? "; " : "", j->primary_key, c.first_dup, (long long)c.dups,
                  c.dups == 1 ? "" : "s");
  if (c.empty_cid)
    strbuf_printf(&c.problems, "%sthe Customer ID \"%s\" is empty on %lld row%s",
                  c.problems.len ? "; " : "", j->customer_id, (long long)c.empty_cid,
                  c.empty_cid == 1 ? "" : "s");
  int next = APP_STEP_END;
  if (c.problems.len) {
    char *msg = xasprintf("The output %s breaks the contract: %s.", j->output_blob, c.problems.buf);
    put_run(job, "Failed", true);
    set_outcome(job, "Failed", msg);
    fail_msg(job, WIZ_OUTCOME_FAILED, "The output breaks the contract", msg);
    free(msg);
  } else {
    char *what = xasprintf("Output checked: %lld rows, primary key %s unique", (long long)c.rows,
                           j->primary_key);
    wiz_report_add(job->r, WIZ_FINDING_PASS, what, NULL, NULL, NULL);
    free(what);
    if (have_profile && c.customers.n) {
      double rate = c.rows ? 100.0 * (double)c.matched / (double)c.rows : 0;
      char *m = xasprintf("Customer ID match rate: %.1f%% (%lld of %lld rows match a customer)",
                          rate, (long long)c.matched, (long long)c.rows);
      wiz_report_add(job->r, c.matched == c.rows ? WIZ_FINDING_PASS : WIZ_FINDING_WARN, m,
                     c.matched == c.rows ? NULL
                                         : "Rows whose Customer ID matches no customer profile "
                                           "relate to nobody.",
                     NULL, NULL);
      free(m);
    }
    /* Register the output table: the catalog reads it as any table. */
    struct store *s = store_of(job);
    struct store_table t, old;
    store_table_init(&t);
    store_table_init(&old);
    char *msg = NULL;
    enum app_result rc = app_table_read_file(out_path, &t, &msg);
    if (rc == APP_OK && s) {
      t.name = xstrdup(j->output_table);
      t.source = STORE_TABLE_STORAGE;
      free(t.location);
      t.location = az_blob_url(j->acct, j->container, j->output_blob);
      for (size_t i = 0; i < t.parts.n; i++)
        free(t.parts.items[i]);
      free(t.parts.items);
      t.parts.items = xcalloc(2, sizeof(*t.parts.items));
      t.parts.items[0] = xstrdup(t.location);
      t.parts.n = 1;
      if (store_table_find(s, j->output_table, &old) == APP_OK) {
        free(t.meta.id);
        t.meta.id = xstrdup(old.meta.id);
        t.meta.revision = old.meta.revision;
        rc = store_table_update(s, &t);
      } else {
        rc = store_table_create(s, &t);
      }
      if (rc != APP_OK)
        msg = xstrdup(store_message(s));
    }
    if (rc != APP_OK) {
      put_run(job, "Failed", true);
      set_outcome(job, "Failed", msg);
      fail_msg(job, app_job_outcome(rc), "The output table could not be registered", msg);
    } else {
      put_run(job, "Successful", true);
      set_outcome(job, "Successful", NULL);
      char *reg =
          xasprintf("Output table %s registered (%lld rows)", j->output_table, (long long)t.rows);
      wiz_report_add(job->r, WIZ_FINDING_PASS, reg, t.location, NULL, NULL);
      free(reg);
    }
    free(msg);
    store_table_done(&t);
    store_table_done(&old);
  }
  free(out_path);
  free(c.idx);
  free(c.first_dup);
  strbuf_done(&c.problems);
  key_set_done(&c.keys);
  key_set_done(&c.customers);
  return next;
}

static const struct app_step model_steps[] = {
  [S_ROLES] = { "roles", NULL, roles_start, roles_done, NULL },
  [S_SAVE] = { "save", "Saving the model...", NULL, save_done, "Couldn't save the workflow" },
  [S_STORAGE] = { "storage", "Reading the connection's storage account...", storage_start,
                  storage_done, "Couldn't read the connection's storage account" },
  [S_FETCH] = { "fetch", NULL, fetch_start, fetch_done, "Couldn't read the input table" },
  [S_STAGE] = { "stage", NULL, NULL, stage_done, NULL },
  [S_UPLOAD] = { "upload", NULL, upload_start, upload_done, "Couldn't stage the input" },
  [S_CREATE] = { "create_run", NULL, create_start, create_done, "Couldn't start the pipeline run" },
  [S_WAIT] = { "wait", NULL, wait_start, wait_done, NULL },
  [S_POLL] = { "poll", NULL, poll_start, poll_done, "Couldn't read the pipeline run" },
  [S_ACTIVITIES] = { "activities", NULL, activities_start, activities_done, NULL },
  [S_OUTPUT] = { "output", NULL, output_start, output_done, NULL },
  [S_PROFILE] = { "profile", NULL, profile_start, profile_done, NULL },
  [S_CHECK] = { "check", NULL, NULL, check_done, NULL },
  [S_MANAGE] = { "manage", NULL, NULL, manage_done, NULL },
  [S_CANCEL_RUN] = { "cancel_run", NULL, cancel_run_start, cancel_run_done,
                     "Couldn't cancel the run in Synapse" },
};

/* 5. The job class. */
static void model_finish(struct app_job *job)
{
  struct model_job *j = model_of(job);
  if (job->action->mode >= MODE_RUNS)
    return; /* manage_done and cancel_run_done titled it */
  if (job->action->mode == MODE_SAVE)
    app_job_set_title(job, job->failed ? "Couldn't save the workflow" : "Model saved");
  else if (job->failed && job->outcome == WIZ_OUTCOME_CANCELLED && j->run_id)
    app_job_set_title(job, "Stopped following the run: it goes on in Synapse");
  else
    app_job_set_title(job, job->failed ? (j->run_id ? "Model run failed" : "Model not run")
                                       : "Model run successful");
}

static void model_cancelled(struct app_job *job)
{
  struct model_job *j = model_of(job);
  if (j->run_id && job->action->mode == MODE_RUN) {
    char *word = safetext_shell_word(j->name);
    char *d = xasprintf("The pipeline run %s goes on in Synapse: synwiz model show %s picks up "
                        "its end, synwiz model cancel %s cancels it.",
                        j->run_id, word, word);
    free(word);
    wiz_report_add(job->r, WIZ_FINDING_INFO, "Left running", d, NULL, NULL);
    free(d);
    /* The question issue 12 asks after Ctrl-C: leave it (close the report) or cancel it. */
    struct model_host *h = host_of(job);
    free(h->left_run_id);
    free(h->left_workspace);
    free(h->left_name);
    h->left_run_id = xstrdup(j->run_id);
    h->left_workspace = xstrdup(j->dev_endpoint);
    h->left_name = xstrdup(j->name);
    wiz_report_set_summary(job->r,
                           "Press 1 to cancel the run in Synapse; Enter leaves it running.");
    wiz_report_add_followup(job->r, "model_cancel_run", "Cancel the run in Synapse");
  }
}

static void remove_tree(const char *dir)
{
  DIR *d = dir ? opendir(dir) : NULL;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    char *p = xasprintf("%s/%s", dir, e->d_name);
    unlink(p);
    free(p);
  }
  if (d) {
    closedir(d);
    rmdir(dir);
  }
}

static void model_done(struct app_job *job)
{
  struct model_job *j = model_of(job);
  doctor_delete(j->doctor);
  free(j->connection);
  free(j->name);
  free(j->output_table);
  free(j->primary_key);
  free(j->customer_id);
  for (size_t i = 0; i < j->n_inputs; i++) {
    free(j->inputs[i].name);
    free(j->inputs[i].table);
    free(j->inputs[i].url);
    for (size_t k = 0; k < j->inputs[i].n; k++) {
      free(j->inputs[i].pairs[k].attribute);
      free(j->inputs[i].pairs[k].column);
    }
    free(j->inputs[i].pairs);
  }
  free(j->inputs);
  app_pipeline_delete(j->pipeline);
  free(j->model_id);
  free(j->dev_endpoint);
  free(j->subscription);
  free(j->storage_rg);
  free(j->account);
  free(j->container);
  az_storage_account_delete(j->acct);
  az_storage_account_delete(j->src_acct);
  remove_tree(j->tmpdir);
  free(j->tmpdir);
  free(j->folder);
  free(j->src_path);
  free(j->output_blob);
  free(j->run_id);
  free(j->started_at);
  free(j->status);
  free(j->message);
  free(j->activity);
  free(j->failed_activity);
  free(j->profile_path);
  free(j->profile_column);
}

static const struct app_job_class model_jobs = {
  sizeof(struct model_job), model_steps, model_begin, model_may_write, model_finish,
  model_cancelled,          model_done,
};

/* 6. The host: rules and edit mode. */
static enum wiz_check model_check(void *ctx, const char *rule, const char *field_id,
                                  const struct wiz_answers *answers, struct strbuf *msg)
{
  struct model_host *h = ctx;
  const char *v = wiz_answers_text(answers, field_id);
  struct store *s = NULL;
  const char *why = NULL;
  if (!v || app_ctx_store(h->base.app, &s, &why) != APP_OK)
    return WIZ_CHECK_OK;
  if (strcmp(rule, "model_name_unique") == 0) {
    struct store_model m;
    store_model_init(&m);
    bool taken = store_model_find(s, v, &m) == APP_OK &&
                 !(h->bound_id && strcmp(h->bound_id, m.meta.id) == 0);
    store_model_done(&m);
    if (taken) {
      strbuf_printf(msg, "A model named \"%s\" exists already (names are unique ignoring case).",
                    v);
      return WIZ_CHECK_ERROR;
    }
  } else if (strcmp(rule, "model_output_table_unique") == 0) {
    struct store_table t;
    store_table_init(&t);
    bool taken = store_table_find(s, v, &t) == APP_OK &&
                 !(h->bound_table && strcasecmp(h->bound_table, t.name) == 0);
    store_table_done(&t);
    if (taken) {
      strbuf_printf(msg, "The catalog has a table named \"%s\" already: choose another name.", v);
      return WIZ_CHECK_ERROR;
    }
  }
  return WIZ_CHECK_OK;
}

static json_t *model_edit(struct app_host_base *base, const char *name, struct strbuf *why,
                          enum app_result *out_rc)
{
  struct model_host *h = (struct model_host *)base;
  struct store *s = NULL;
  const char *msg = NULL;
  enum app_result rc = app_ctx_store(base->app, &s, &msg);
  if (rc != APP_OK) {
    strbuf_puts(why, msg ? msg : "the store cannot be opened");
    *out_rc = rc;
    return NULL;
  }
  struct store_model m;
  store_model_init(&m);
  rc = store_model_find(s, name, &m);
  if (rc != APP_OK) {
    strbuf_puts(why, store_message(s));
    *out_rc = rc;
    store_model_done(&m);
    return NULL;
  }
  free(h->bound_id);
  h->bound_id = xstrdup(m.meta.id);
  free(h->bound_table);
  h->bound_table = xstrdup(m.output_table);
  free(h->bound_contract);
  h->bound_contract = m.contract ? xstrdup(m.contract) : NULL;
  json_t *inputs = json_object();
  for (size_t i = 0; i < m.n_mapping; i++) {
    const struct store_model_mapping *x = &m.mapping[i];
    json_t *e = json_object_get(inputs, x->input);
    if (!e) {
      e = json_pack("{s:s, s:{}}", "table", x->table, "map");
      json_object_set_new(inputs, x->input, e);
    }
    /* The answers' {ATTRIBUTE: COLUMN} is the pipeline's attribute (the record's "column")
     * to the table's column (the record's "attribute"), in Customer Insights' words. */
    json_object_set_new(json_object_get(e, "map"), x->column, json_string(x->attribute));
  }
  json_t *j =
      json_pack("{s:s?, s:s, s:s, s:s, s:s, s:s, s:o}", "connection", m.connection_name, "pipeline",
                m.pipeline, "name", m.name, "output_table", m.output_table, "primary_key",
                m.primary_key, "customer_id", m.customer_id_column, "inputs", inputs);
  store_model_done(&m);
  return j;
}

static void model_destroy(struct app_host_base *base)
{
  struct model_host *h = (struct model_host *)base;
  free(h->bound_id);
  free(h->bound_table);
  free(h->bound_contract);
  free(h->left_run_id);
  free(h->left_workspace);
  free(h->left_name);
  free(h);
}

struct app_host_base *app_host_model_open(struct app_ctx *app, struct strbuf *why,
                                          enum app_result *out_rc)
{
  (void)why;
  (void)out_rc;
  struct model_host *h = xcalloc(1, sizeof(*h));
  h->base.app = app;
  h->base.destroy = model_destroy;
  h->base.jobs = &model_jobs;
  h->base.check = model_check;
  h->base.edit = model_edit;
  return &h->base;
}
