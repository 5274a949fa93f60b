/*
 * The host of the Azure Machine Learning linked-service wizard (forms/linked_service.json,
 * behavior.md W4, issue 6): Synapse Studio's "Create an Azure Machine Learning linked
 * service", Test connection, Save.
 *
 * Picker sources: the shared ones (app_sources.h) through app_ls_filter, which refuses a
 * workspace with data exfiltration protection (also a connection to one) and a self-hosted
 * integration runtime with the quickstart's reasons. Host rules: app_ls_checks.h
 * (linked_service_name_unique, application_id_not_object_id).
 *
 * Actions (app_ls_actions, one step table, app_job.h), one job at a time:
 *   linked_service_test   the test (app_ls_job.h: the workspace, then the role of the
 *                         identity the linked service acts as, by kind of authentication)
 *   linked_service_grant  the same test, granting Contributor when it is missing, waiting
 *                         for it to take effect, and testing again
 *   linked_service_save   the test (a failed test saves nothing); then GET the name (taken:
 *                         refused), PUT the linked service (API.md D.3, app_ls_properties),
 *                         follow the operation, read it back and compare; only then the store
 *                         record (no secret). The runner checks first that the store may be
 *                         written (a viewer is refused before anything is sent). A dry run
 *                         sends no write and lists the calls.
 *   linked_service_remove (home screen, bound) says what removing does and asks; its
 *                         follow-up linked_service_remove_confirm GETs it (an Azure ML one
 *                         only), DELETEs it (followed to its end), then removes its record
 *
 * Edit mode (ls_edit, app_host.h; `synwiz linked-service edit` and the home screen's
 * entries): the ref "WS/NAME" (app_ls_edit_ref) binds the host to that linked service as
 * Synapse holds it (app_ls_saved_read), in the workspace of the store's record of that name,
 * else in WS as --workspace takes it (app_workspace_lookup). Blocking calls: edit() runs
 * before the wizard exists. Bound, the name rule accepts the bound name in the bound
 * workspace only (Synapse has no rename; a PUT elsewhere would make a second one); Save
 * GETs the name expecting it there, then PUTs over it and updates its record; the home
 * screen's actions (no screens, so no ml_workspace item was looked up) work on the bound
 * linked service as Synapse held it, without its secret (never kept): Test connection then
 * finds the principal through Graph and says the secret was not tested. A linked service
 * recorded in the store that Synapse no longer has binds "gone": the name rule and Test
 * connection say so, and Remove removes its record.
 */
#include "app/app_host.h"
#include "app/app_linked_service.h"

#include "app/app_action.h"
#include "app/app_ctx.h"
#include "app/app_job.h"
#include "app/app_ls_checks.h"
#include "app/app_ls_job.h"
#include "app/store.h"
#include "app/store_linked_service.h"
#include "azure/az_client.h"
#include "azure/az_synapse.h"
#include "azure/az_url.h"
#include "util/jsonpath.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/answers.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const app_ls_rules[] = { "linked_service_name_unique", "application_id_not_object_id",
                                     NULL };

struct ls_host {
  struct app_host_base base;    /* first: app_host_close() and the shared ops find it */
  struct app_ls_checks *checks; /* what the rules looked up */
  /* Edit mode (and the home screen's actions): the saved linked service the host is bound
   * to, as Synapse held it when edit() read it, and its workspace. */
  bool bound;
  bool gone; /* recorded in the store, but no longer in Synapse (removed outside synwiz) */
  struct app_workspace_ref bound_ws;
  struct app_ls_saved saved;
};

static struct az_client *client_of(struct ls_host *h)
{
  return app_ctx_client(h->base.app);
}

static struct ls_host *host_of(struct app_ls_job *j)
{
  return (struct ls_host *)j->base.host;
}

static char *dup_or_null(const char *s)
{
  return s && *s ? xstrdup(s) : NULL;
}

/* ====================================================================================
 * rule: linked_service_name_unique
 * ==================================================================================== */

/* Edit mode: the linked service stays where it is, under its name (Synapse has no rename,
 * and a PUT elsewhere would make a second one); the name it holds is its own. */
static enum wiz_check check_name_bound(struct ls_host *h, const char *name, const char *key,
                                       struct strbuf *msg)
{
  char *ws = app_ls_workspace_label(key);
  enum wiz_check verdict = WIZ_CHECK_OK;
  if (h->gone) {
    strbuf_printf(msg,
                  "%s is no longer in the Synapse workspace %s (removed outside synwiz): there "
                  "is nothing to edit. Remove its record (the home screen's Remove), or create "
                  "it again with synwiz linked-service new.",
                  h->saved.name, h->bound_ws.name);
    verdict = WIZ_CHECK_ERROR;
  } else if (strcasecmp(ws, h->bound_ws.name) != 0) {
    strbuf_printf(msg,
                  "This edits %s of the workspace %s: a linked service cannot move to another "
                  "workspace. Choose %s again, or create one in %s with synwiz linked-service "
                  "new.",
                  h->saved.name, h->bound_ws.name, h->bound_ws.name, ws);
    verdict = WIZ_CHECK_ERROR;
  } else if (strcmp(name, h->saved.name) != 0) {
    strbuf_printf(msg,
                  "Renaming is not supported: this edits %s (Synapse cannot rename a linked "
                  "service). Keep the name %s, or create a new linked service and remove this "
                  "one.",
                  h->saved.name, h->saved.name);
    verdict = WIZ_CHECK_ERROR;
  }
  free(ws);
  return verdict;
}

static enum wiz_check check_name_unique(struct ls_host *h, const char *field,
                                        const struct wiz_answers *a, struct strbuf *msg)
{
  const char *name = wiz_answers_text(a, field);
  const char *key = app_ls_checks_workspace(h->checks, a);
  if (!name || !*name || !key)
    return WIZ_CHECK_OK;
  if (h->bound)
    return check_name_bound(h, name, key, msg);
  return app_ls_checks_name_free(h->checks, key, name, msg);
}

static enum wiz_check ls_check(void *ctx, const char *rule, const char *field_id,
                               const struct wiz_answers *answers, struct strbuf *msg)
{
  struct ls_host *h = ctx;
  if (strcmp(rule, "linked_service_name_unique") == 0)
    return check_name_unique(h, field_id, answers, msg);
  if (strcmp(rule, "application_id_not_object_id") == 0)
    return app_ls_checks_not_object_id(h->checks, wiz_answers_text(answers, field_id), msg);
  return WIZ_CHECK_OK;
}

/* ====================================================================================
 * actions: the registry's entries, then one step table (app_job.h) for all of them
 * ==================================================================================== */

const struct app_action app_ls_actions[] = {
  { "linked_service_test", "Test connection", "linked_service", S_WORKSPACE, ACT_TEST, 0 },
  { "edit", "Edit", "linked_service", 0, 0, APP_ACTION_EDIT },
  { "linked_service_grant", NULL, NULL, S_WORKSPACE, ACT_GRANT, APP_ACTION_WRITES },
  { "linked_service_save", NULL, NULL, S_WORKSPACE, ACT_SAVE, APP_ACTION_WRITES },
  { "linked_service_remove", "Remove", "linked_service", 0, ACT_REMOVE_ASK, 0 },
  { "linked_service_remove_confirm", NULL, NULL, S_REMOVE_READ, ACT_REMOVE, APP_ACTION_WRITES },
  { NULL, NULL, NULL, 0, 0, 0 },
};

static const char *title_for(const struct app_ls_job *j)
{
  bool failed = j->base.failed;
  if (j->base.dry_run && j->mode == ACT_SAVE && !failed)
    return "Dry run: the linked service was not saved (nothing was changed)";
  switch (j->mode) {
  case ACT_TEST:
    return failed ? "Test connection failed" : "Test connection passed";
  case ACT_GRANT:
    return failed ? (j->granted ? "Contributor granted; Test connection failed"
                                : "Contributor not granted")
                  : (j->granted ? "Contributor granted; Test connection passed"
                                : "Test connection passed");
  case ACT_SAVE:
    if (j->editing)
      return failed ? "Linked service not updated" : "Linked service updated";
    return failed ? "Linked service not saved" : "Linked service saved";
  case ACT_REMOVE_ASK:
  case ACT_REMOVE:
    break; /* j->title */
  }
  return "";
}

/* ---------- save ---------- */

static struct az_call *save_name_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  app_job_say(
      job, j->editing ? "Checking that %s is still in %s..." : "Checking that %s is free in %s...",
      j->name, j->ws.name);
  return az_synapse_get_linked_service(client_of(host_of(j)), app_ls_ws_dev(j), j->name);
}

/* New: the name must be free. Edited: the linked service must still be there, an Azure ML
 * one, to be updated. */
static int save_name_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
  enum az_result r = az_call_result(call);
  const char *found = json_path_str(az_call_json(call), "name");
  const char *type = json_path_str(az_call_json(call), "properties.type");
  if (!j->editing && r == AZ_OK) {
    /* Say what is there, not only that the name is taken: an earlier run whose create was
     * applied though following it failed has recorded it, and the user must know it. */
    struct store *s = NULL;
    struct store_linked_service rec;
    bool recorded = app_ctx_store(host_of(j)->base.app, &s, NULL) == APP_OK &&
                    store_linked_service_find(s, j->ws.name, j->name, &rec) == APP_OK;
    if (recorded)
      store_linked_service_done(&rec);
    char *title = xasprintf("The workspace %s already has a linked service named %s", j->ws.name,
                            found ? found : j->name);
    wiz_report_add(job->r, WIZ_FINDING_FAIL, title,
                   recorded ? "It exists and is recorded in the synwiz store (see synwiz "
                              "linked-service show): saving would replace it. Edit it, or choose "
                              "another name."
                            : "It exists, not recorded in the synwiz store: saving would replace "
                              "it. Choose another name.",
                   j->ws.name, NULL);
    free(title);
    return app_job_fail(job, WIZ_OUTCOME_REFUSED);
  }
  if (!j->editing && r == AZ_E_NOT_FOUND)
    return S_PUT;
  if (!j->editing)
    return app_job_fail_call(job, call, "Could not check that the name is free", j->ws.name);
  if (r == AZ_E_NOT_FOUND) {
    char *title = xasprintf("%s is no longer in %s", j->name, j->ws.name);
    wiz_report_add(job->r, WIZ_FINDING_FAIL, title,
                   "Someone removed it since it was read: nothing was saved.", j->ws.name,
                   "Create it again with synwiz linked-service new.");
    free(title);
    return app_job_fail(job, WIZ_OUTCOME_REFUSED);
  }
  if (r != AZ_OK)
    return app_job_fail_call(job, call, "Could not read the linked service to update", j->ws.name);
  if (!type || strcmp(type, APP_LS_TYPE) != 0) {
    char *title = xasprintf("%s in %s is no longer an Azure Machine Learning linked service",
                            j->name, j->ws.name);
    char *detail = xasprintf("Its type is now %s: nothing was saved.", type ? type : "unknown");
    wiz_report_add(job->r, WIZ_FINDING_FAIL, title, detail, j->ws.name, NULL);
    free(title);
    free(detail);
    return app_job_fail(job, WIZ_OUTCOME_REFUSED);
  }
  return S_PUT;
}

static struct az_call *put_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  struct app_ls_spec spec = { 0 };
  spec.ml_subscription = j->ml_sub;
  spec.ml_resource_group = j->ml_rg;
  spec.ml_workspace = j->ml_ws;
  spec.auth = j->auth;
  spec.client_id = j->client_id;
  spec.tenant = j->tenant;
  spec.key = j->key;
  spec.secret = j->secret;
  spec.key_vault_linked_service = j->kv_ls;
  spec.secret_name = j->secret_name;
  spec.secret_version = j->secret_version;
  spec.integration_runtime = j->runtime;
  json_t *props = app_ls_properties(&spec);
  j->sent = json_deep_copy(props);
  if (job->dry_run) {
    char *base = az_synapse_endpoint(client_of(host_of(j)), app_ls_ws_dev(j));
    char *url = az_url_build(base ? base : "", "/linkedservices/{}", j->name);
    char *full = xasprintf("%s?api-version=%s", url ? url : "", AZ_SYNAPSE_VERSION);
    json_t *body = json_pack("{s:s, s:O}", "name", j->name, "properties", props);
    app_job_plan(job, "PUT", full, body);
    json_decref(body);
    free(full);
    free(url);
    free(base);
  }
  j->put_sent = true;
  app_job_say(job, "%s the linked service %s in %s...", j->editing ? "Updating" : "Creating",
              j->name, j->ws.name);
  return az_synapse_put_linked_service(client_of(host_of(j)), app_ls_ws_dev(j), j->name, props);
}

static void record(struct app_ls_job *j)
{
  struct store *s = NULL;
  const char *msg = NULL;
  enum app_result rc = app_ctx_store(host_of(j)->base.app, &s, &msg);
  if (rc == APP_OK) {
    struct store_linked_service rec;
    store_linked_service_init(&rec);
    rec.workspace_name = xstrdup(j->ws.name);
    rec.name = xstrdup(j->name);
    rec.ml_subscription_id = xstrdup(j->ml_sub);
    rec.ml_resource_group = xstrdup(j->ml_rg);
    rec.ml_workspace_name = xstrdup(j->ml_ws);
    rec.authentication =
        j->auth == APP_LS_AUTH_MSI ? STORE_LS_AUTH_MSI : STORE_LS_AUTH_SERVICE_PRINCIPAL;
    rc = store_linked_service_create(s, &rec);
    if (rc == APP_NAME_TAKEN) {
      /* A record left from a linked service removed outside synwiz: this one replaces it. */
      struct store_linked_service old;
      if (store_linked_service_find(s, j->ws.name, j->name, &old) == APP_OK) {
        rec.meta = old.meta;
        memset(&old.meta, 0, sizeof(old.meta));
        rc = store_linked_service_update(s, &rec);
        store_linked_service_done(&old);
      }
    }
    msg = rc == APP_OK ? NULL : store_message(s);
    store_linked_service_done(&rec);
  }
  if (rc == APP_OK)
    wiz_report_add(j->base.r, WIZ_FINDING_PASS, "Recorded in the synwiz store",
                   "Workspace, name, Azure ML workspace and kind of authentication (no secret).",
                   NULL, NULL);
  else
    wiz_report_add(j->base.r, WIZ_FINDING_WARN, "Saved in Synapse, but not recorded in the store",
                   msg, NULL,
                   "synwiz linked-service list --workspace still shows it (from Synapse).");
}

static int saved_and_read_back(struct app_ls_job *j, json_t *got, const char *put_error);

static int put_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
  if (job->dry_run)
    return APP_STEP_END;
  if (az_call_result(call) == AZ_E_OPERATION_FAILED) {
    wiz_report_add(job->r, WIZ_FINDING_INFO, "Nothing was recorded",
                   "The linked service is not in the synwiz store.", NULL, NULL);
    return app_job_fail_call(job, call, "Synapse reported that creating the linked service failed",
                             j->ws.name);
  }
  if (az_call_result(call) != AZ_OK) {
    /* The PUT may have been applied though following its operation or reading it back
     * failed (a 500, a reset): what Azure holds is unknown until it is read again. */
    free(j->put_error);
    j->put_error = az_error_summary(az_call_error(call));
    j->put_result = az_call_result(call);
    return S_LOOK_AGAIN;
  }
  return saved_and_read_back(j, az_call_json(call), NULL);
}

static struct az_call *look_again_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  app_job_say(job, "Reading %s in %s again to see whether it was %s...", j->name, j->ws.name,
              j->editing ? "updated" : "created");
  return az_synapse_get_linked_service(client_of(host_of(j)), app_ls_ws_dev(j), j->name);
}

static int look_again_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
  enum az_result r = az_call_result(call);
  char *detail = NULL;
  if (r == AZ_OK)
    return saved_and_read_back(j, az_call_json(call), j->put_error);
  if (r == AZ_E_NOT_FOUND && !j->editing) {
    detail = xasprintf("%s Read again: %s is not in %s, so nothing was created and nothing "
                       "was recorded.",
                       j->put_error ? j->put_error : "", j->name, j->ws.name);
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "Could not create the linked service", detail,
                   j->ws.name, NULL);
  } else {
    char *again = az_error_summary(az_call_error(call));
    detail = xasprintf("%s Reading it again failed too (%s): whether Synapse %s it is not known, "
                       "and nothing was recorded.",
                       j->put_error ? j->put_error : "", again, j->editing ? "updated" : "created");
    free(again);
    wiz_report_add(job->r, WIZ_FINDING_FAIL,
                   j->editing ? "The update may or may not have been applied"
                              : "The linked service may or may not have been created",
                   detail, j->ws.name,
                   "Check with synwiz linked-service show NAME --workspace WS; run the wizard "
                   "again to record it.");
  }
  free(detail);
  return app_job_fail(job, app_job_az_outcome(j->put_result));
}

/* The linked service Synapse holds after the PUT (`got`): the one sent, then recorded; or
 * another. `put_error` is the failure seen before it was read again, or NULL. */
static int saved_and_read_back(struct app_ls_job *j, json_t *got, const char *put_error)
{
  struct app_job *job = &j->base;
  struct strbuf why;
  strbuf_init(&why, 0);
  bool same = app_ls_read_back_matches(j->sent, got, &why);
  if (!same) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL,
                   "Synapse stored a different linked service than the one sent", why.buf,
                   j->ws.name,
                   "Nothing was recorded in the store. Remove it (synwiz linked-service remove) "
                   "and try again.");
    strbuf_done(&why);
    return app_job_fail(job, WIZ_OUTCOME_FAILED);
  }
  strbuf_done(&why);
  char *title = xasprintf("Linked service %s %s in %s and read back", j->name,
                          j->editing ? "updated" : "created", j->ws.name);
  if (put_error) {
    char *d = xasprintf("%s Read again, it is there with the properties sent: it is recorded "
                        "below.",
                        put_error);
    wiz_report_add(job->r, WIZ_FINDING_WARN,
                   j->editing ? "Following the update failed, but the update was applied"
                              : "Following the create failed, but the linked service was created",
                   d, j->ws.name, NULL);
    free(d);
  }
  wiz_report_add(job->r, WIZ_FINDING_PASS, title,
                 j->auth == APP_LS_AUTH_MSI
                     ? "Type AzureMLService, authentication MSI: the properties read back are the "
                       "ones sent."
                     : "Type AzureMLService, service principal: the properties read back are the "
                       "ones sent (the key is kept by Synapse only).",
                 j->ws.name, NULL);
  free(title);
  /* The name is taken now (for a wizard that goes on; an edited one held it already). */
  if (!j->editing)
    app_ls_checks_name_taken(host_of(j)->checks, j->ws.name, j->ws.dev_endpoint, j->name);
  record(j);
  return APP_STEP_END;
}

/* ---------- removing the saved one (home screen) ---------- */

static struct az_call *remove_read_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  app_job_say(job, "Reading the linked service %s in %s...", j->name, j->ws.name);
  return az_synapse_get_linked_service(client_of(host_of(j)), app_ls_ws_dev(j), j->name);
}

static int remove_read_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
  if (az_call_result(call) == AZ_E_NOT_FOUND) {
    /* Removed outside synwiz: only the record is left to remove. */
    char *title = xasprintf("%s was no longer in %s", j->name, j->ws.name);
    wiz_report_add(job->r, WIZ_FINDING_INFO, title, "Someone removed it outside synwiz.",
                   j->ws.name, NULL);
    free(title);
    return S_REMOVED;
  }
  if (az_call_result(call) != AZ_OK)
    return APP_STEP_FAIL;
  const char *type = json_path_str(az_call_json(call), "properties.type");
  if (!type || strcmp(type, APP_LS_TYPE) != 0) {
    char *title =
        xasprintf("%s in %s is not an Azure Machine Learning linked service", j->name, j->ws.name);
    char *detail = xasprintf("Its type is %s: synwiz removes AzureMLService ones only.",
                             type ? type : "unknown");
    wiz_report_add(job->r, WIZ_FINDING_FAIL, title, detail, j->ws.name, NULL);
    free(title);
    free(detail);
    return app_job_fail(job, WIZ_OUTCOME_INVALID);
  }
  return S_DELETE;
}

static struct az_call *delete_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  j->delete_sent = true;
  app_job_say(job, "Removing the linked service %s from %s...", j->name, j->ws.name);
  return az_synapse_delete_linked_service(client_of(host_of(j)), app_ls_ws_dev(j), j->name);
}

static int delete_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
  if (az_call_result(call) != AZ_OK)
    return APP_STEP_FAIL;
  char *title = xasprintf("%s %s from the Synapse workspace %s",
                          job->dry_run ? "Would remove" : "Removed", j->name, j->ws.name);
  wiz_report_add(job->r, job->dry_run ? WIZ_FINDING_INFO : WIZ_FINDING_PASS, title,
                 "The Azure ML workspace and its role assignments stay.", j->ws.name, NULL);
  free(title);
  return S_REMOVED;
}

static int removed_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
  (void)call;
  if (!job->dry_run) {
    struct store *s = NULL;
    const char *msg = NULL;
    enum app_result rc = app_ctx_store(host_of(j)->base.app, &s, &msg);
    struct store_linked_service rec;
    store_linked_service_init(&rec);
    if (rc == APP_OK) {
      rc = store_linked_service_find(s, j->ws.name, j->name, &rec);
      if (rc == APP_OK)
        rc = store_linked_service_remove(s, rec.meta.id, rec.meta.revision);
      msg = store_message(s);
    }
    store_linked_service_done(&rec);
    if (rc == APP_OK)
      wiz_report_add(job->r, WIZ_FINDING_PASS, "Its record was removed from the synwiz store", NULL,
                     NULL, NULL);
    else if (rc != APP_NOT_FOUND)
      wiz_report_add(job->r, WIZ_FINDING_WARN, "Its record stays in the synwiz store", msg, NULL,
                     NULL);
    host_of(j)->bound = false; /* nothing left to edit */
  }
  free(j->title);
  j->title = xasprintf(job->dry_run ? "Dry run: %s was not removed (nothing was changed)"
                                    : "Removed the linked service %s",
                       j->name);
  return APP_STEP_END;
}

static const struct app_step ls_steps[] = {
  [S_WORKSPACE] = { "workspace", NULL, app_ls_workspace_start, app_ls_workspace_done,
                    "Could not read the Synapse workspace" },
  [S_POOLS] = { "spark_pools", NULL, app_ls_pools_start, app_ls_pools_done, NULL },
  [S_ROLES] = { "role_assignments", NULL, app_ls_roles_start, app_ls_roles_read, NULL },
  [S_ROLE_EVAL] = { "role_definition", NULL, app_ls_role_eval_start, app_ls_role_eval_done, NULL },
  [S_ROLES_DONE] = { "role_verdict", NULL, NULL, app_ls_roles_done, NULL },
  [S_MAY_GRANT] = { "may_grant", NULL, app_ls_may_grant_start, app_ls_may_grant_done, NULL },
  [S_GRANT] = { "grant", NULL, app_ls_grant_start, app_ls_grant_done, NULL },
  [S_TICK] = { "propagation_wait", NULL, app_ls_tick_start, app_ls_tick_done, NULL },
  [S_SP_READ] = { "sp_sign_in", NULL, app_ls_sp_read_start, app_ls_sp_read_done, NULL },
  [S_SP_PERMS] = { "sp_permissions", NULL, app_ls_sp_perms_start, app_ls_sp_perms_done, NULL },
  [S_KV] = { "key_vault_linked_service", NULL, app_ls_kv_start, app_ls_kv_done, NULL },
  [S_SP_LOOKUP] = { "sp_lookup", NULL, app_ls_sp_lookup_start, app_ls_sp_lookup_done, NULL },
  [S_SAVE_NAME] = { "name_check", NULL, save_name_start, save_name_done, NULL },
  [S_PUT] = { "put", NULL, put_start, put_done, "Could not create the linked service" },
  [S_LOOK_AGAIN] = { "look_again", NULL, look_again_start, look_again_done, NULL },
  [S_REMOVE_READ] = { "remove_read", NULL, remove_read_start, remove_read_done,
                      "Could not read the linked service" },
  [S_DELETE] = { "delete", NULL, delete_start, delete_done, "Could not remove the linked service" },
  [S_REMOVED] = { "forget_record", NULL, NULL, removed_done, NULL },
};

/* ---------- the job: what it reads first, its last words, cancel ---------- */
/* linked_service_remove says what removing does and asks (its follow-up confirms);
 * linked_service_remove_confirm removes it from Synapse, then its store record. */
static bool begin_remove(struct app_ls_job *j)
{
  struct ls_host *h = host_of(j);
  if (!h->bound) {
    j->title = xstrdup("Nothing was removed");
    wiz_report_add(j->base.r, WIZ_FINDING_FAIL, "No saved linked service to remove",
                   "Removing works on a saved linked service (the home screen's Remove, or "
                   "synwiz linked-service remove NAME --workspace WS).",
                   NULL, NULL);
    app_job_fail(&j->base, WIZ_OUTCOME_INVALID);
    return false;
  }
  app_workspace_ref_copy(&j->ws, &h->bound_ws);
  j->name = xstrdup(h->saved.name);
  j->base.scope = j->ws.name;
  if (j->mode == ACT_REMOVE) {
    j->title = xasprintf("%s was not removed", j->name);
    return true;
  }
  j->title = xasprintf("%s is not removed yet", j->name);
  char *sum = h->gone ? xasprintf("It is no longer in the Synapse workspace %s (removed outside "
                                  "synwiz). Press 1 to remove its record from the synwiz store; "
                                  "Enter keeps it.",
                                  j->ws.name)
                      : xasprintf("Press 1 to remove it for good; Enter keeps it. It is deleted "
                                  "from the Synapse workspace %s and its record from the synwiz "
                                  "store; the Azure ML workspace and its role assignments stay.",
                                  j->ws.name);
  wiz_report_set_summary(j->base.r, sum);
  free(sum);
  char *l = xasprintf("Yes, remove %s", j->name);
  wiz_report_add_followup(j->base.r, "linked_service_remove_confirm", l);
  free(l);
  app_job_fail(&j->base, WIZ_OUTCOME_CANCELLED);
  return false;
}

/* Saving in edit mode: what the name rule says, again (a pending check does not stop a
 * headless Save). */
static bool same_as_bound(struct app_ls_job *j)
{
  struct strbuf m;
  strbuf_init(&m, 0);
  bool same = check_name_bound(host_of(j), j->name, app_ls_ws_dev(j), &m) == WIZ_CHECK_OK;
  if (!same)
    wiz_report_add(j->base.r, WIZ_FINDING_FAIL, "Not the linked service being edited", m.buf,
                   j->ws.name, NULL);
  strbuf_done(&m);
  return same;
}

static bool ls_begin(struct app_job *job, const struct wiz_answers *answers)
{
  struct app_ls_job *j = app_ls_of(job);
  struct ls_host *h = host_of(j);
  j->checks = h->checks;
  j->mode = (enum ls_mode)job->action->mode;
  j->grant = j->mode == ACT_GRANT;
  j->editing = h->bound;
  if (j->mode == ACT_REMOVE_ASK || j->mode == ACT_REMOVE)
    return begin_remove(j);
  /* The home screen's actions: the answers were never looked up (no Azure ML workspace
   * item), so the bound linked service is what they mean. */
  bool ok = h->bound && !wiz_answers_item(answers, "ml_workspace")
                ? app_ls_job_read_saved(j, &h->bound_ws, &h->saved, h->gone)
                : app_ls_job_read_answers(j, answers) &&
                      !(j->mode == ACT_SAVE && j->editing && !same_as_bound(j));
  if (!ok) {
    if (!job->failed)
      app_job_fail(job, WIZ_OUTCOME_INVALID);
    return false;
  }
  /* Answers looked up that say just what is saved (a home action after its lists came):
   * the saved one, with nothing new to save. */
  if (h->bound && j->mode != ACT_SAVE && !j->from_saved && same_as_bound(j))
    j->from_saved = true;
  if (!app_ctx_identity(h->base.app)) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "Nobody is signed in",
                   app_ctx_signin_problem(h->base.app), NULL, NULL);
    app_job_fail(job, WIZ_OUTCOME_REFUSED);
    return false;
  }
  job->scope = j->ws.name;
  return true;
}

/* Who may change linked services (store_linked_service.h): administrators and contributors. */
static enum app_result ls_may_write(struct app_job *job, struct store *s, struct strbuf *why)
{
  (void)job;
  enum app_result rc = store_linked_service_require_writer(s, "change");
  if (rc != APP_OK)
    strbuf_puts(why, store_message(s));
  return rc;
}

static void ls_finish(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  if (j->spark_pools) {
    char *detail =
        xasprintf("Spark pools of %s on these runtimes: %s.", j->ws.name, j->spark_pools);
    wiz_report_add(job->r, WIZ_FINDING_INFO,
                   "Spark 3.3 and 3.4 cannot use this linked service for MLflow", detail, NULL,
                   APP_LS_SPARK_NOTE);
    free(detail);
  }
  app_job_set_title(job, j->title ? j->title : title_for(j));
}

static void ls_cancelled(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  bool sent = !job->dry_run;
  const char *what =
      j->delete_sent && sent ? "The removal had been sent: Synapse may still finish it. Check with "
                               "synwiz linked-service list; its store record stays."
      : j->put_sent && sent && j->editing
          ? "The update had been sent: Synapse may still finish it. Check with "
            "synwiz linked-service show; the store record was not updated."
      : j->put_sent && sent ? "The create had been sent: Synapse may still finish it. Check with "
                              "synwiz linked-service list; nothing was recorded in the store."
      : j->granted && j->editing ? "The role granted before stays granted; the linked service "
                                   "was not updated and nothing else was changed."
      : j->granted ? "The role granted before stays granted; the linked service was not created "
                     "and nothing else was changed."
                   : "Nothing was changed.";
  wiz_report_add(job->r, WIZ_FINDING_INFO, "Cancelled", what, NULL, NULL);
  if (j->mode != ACT_REMOVE && j->mode != ACT_REMOVE_ASK)
    wiz_report_add_followup(job->r, "linked_service_test", "Test again");
}

static const struct app_job_class ls_jobs = {
  sizeof(struct app_ls_job), ls_steps, ls_begin, ls_may_write, ls_finish, ls_cancelled,
  app_ls_job_done,
};

/* ====================================================================================
 * edit mode
 * ==================================================================================== */

/* Who may change linked services (store_linked_service.h): administrators and contributors.
 * The runner says it before the first write; edit mode before the first screen. */
static enum app_result may_change(struct store *s, const char *ws, const char *name,
                                  struct store_linked_service *rec, struct strbuf *why)
{
  enum app_result rc = store_linked_service_find(s, ws, name, rec);
  if (rc != APP_OK && rc != APP_NOT_FOUND) {
    strbuf_puts(why, store_message(s));
    return rc;
  }
  if (store_actor_role(s) < STORE_ROLE_CONTRIBUTOR) {
    strbuf_puts(why, "You are a viewer of this store and cannot change linked services; "
                     "administrators and contributors can.");
    return APP_DENIED;
  }
  return APP_OK;
}

/* Bound: the rules, Save and the home screen's actions work on this one from now on. Takes
 * `ws` and `saved` (they are left empty). */
static void bind(struct ls_host *h, struct app_workspace_ref *ws, struct app_ls_saved *saved,
                 bool gone)
{
  app_workspace_ref_done(&h->bound_ws);
  app_ls_saved_done(&h->saved);
  h->bound_ws = *ws;
  memset(ws, 0, sizeof(*ws));
  h->saved = *saved;
  memset(saved, 0, sizeof(*saved));
  h->bound = true;
  h->gone = gone;
}

/* What the store's record says of a linked service Synapse no longer has. */
static void saved_from_record(struct app_ls_saved *saved, const struct store_linked_service *rec)
{
  memset(saved, 0, sizeof(*saved));
  saved->name = xstrdup(rec->name);
  saved->ml_subscription = dup_or_null(rec->ml_subscription_id);
  saved->ml_resource_group = dup_or_null(rec->ml_resource_group);
  saved->ml_workspace = dup_or_null(rec->ml_workspace_name);
  saved->auth =
      rec->authentication == STORE_LS_AUTH_MSI ? APP_LS_AUTH_MSI : APP_LS_AUTH_SERVICE_PRINCIPAL;
  saved->integration_runtime = xstrdup(APP_LS_AUTO_RUNTIME);
}

/* `ref` is "WS/NAME" (app_ls_edit_ref). A workspace the store has a record for is that
 * workspace (the home screen's entries name it so); else WS is taken as --workspace takes
 * it. Then Synapse says what the linked service is now. */
static json_t *ls_edit(struct app_host_base *base, const char *ref, struct strbuf *why,
                       enum app_result *out_rc)
{
  struct ls_host *h = (struct ls_host *)base;
  char *ws_arg = NULL, *name = NULL;
  if (!app_ls_edit_ref_parse(ref, &ws_arg, &name)) {
    strbuf_printf(why,
                  "'%s' does not name a linked service as WORKSPACE/NAME (a linked service's "
                  "name is unique only in its Synapse workspace)",
                  ref);
    *out_rc = APP_INVALID;
    return NULL;
  }
  json_t *answers = NULL;
  struct store *s = NULL;
  const char *msg = NULL;
  struct store_linked_service rec;
  store_linked_service_init(&rec);
  struct app_workspace_ref ws = { 0 };
  struct az_error err;
  az_error_init(&err);
  struct az_call *call = NULL;
  struct app_ls_saved saved;
  enum az_result r;
  enum app_result rc = app_ctx_store(h->base.app, &s, &msg);
  if (rc != APP_OK) {
    strbuf_puts(why, msg ? msg : app_result_message(rc));
    goto out;
  }
  rc = may_change(s, ws_arg, name, &rec, why);
  if (rc != APP_OK)
    goto out;
  r = rec.workspace_name ? app_workspace_find(h->base.app, rec.workspace_name, &ws, &err)
                         : app_workspace_lookup(h->base.app, ws_arg, true, &ws, NULL, &err);
  if (r != AZ_OK) {
    char *summary = az_error_summary(&err);
    strbuf_puts(why, summary);
    free(summary);
    rc = r == AZ_E_INVALID_ARG ? APP_NOT_FOUND : app_result_of_az(r);
    goto out;
  }
  call = az_synapse_get_linked_service(client_of(h), ws.dev_endpoint, name);
  r = az_call_wait(call);
  if (r == AZ_E_NOT_FOUND && rec.workspace_name) {
    /* Removed outside synwiz: bound all the same, so that its record can be removed (the
     * home screen's Remove); the rules and Test connection say it is gone. */
    saved_from_record(&saved, &rec);
    bind(h, &ws, &saved, true);
    answers = app_ls_saved_answers(&h->saved, h->bound_ws.subscription, h->bound_ws.name);
    rc = APP_OK;
    goto out;
  }
  if (r == AZ_E_NOT_FOUND) {
    strbuf_printf(why,
                  "the Synapse workspace %s has no linked service named '%s' (synwiz "
                  "linked-service list --workspace %s lists them)",
                  ws.name, name, ws.name);
    rc = APP_NOT_FOUND;
    goto out;
  }
  if (r != AZ_OK) {
    char *summary = az_error_summary(az_call_error(call));
    strbuf_printf(why, "cannot read the linked service %s in %s: %s", name, ws.name, summary);
    free(summary);
    rc = app_result_of_az(r);
    goto out;
  }
  if (!app_ls_saved_read(az_call_json(call), &saved, why)) {
    rc = APP_INVALID;
    goto out;
  }
  bind(h, &ws, &saved, false);
  answers = app_ls_saved_answers(&h->saved, h->bound_ws.subscription, h->bound_ws.name);
out:
  az_call_delete(call);
  az_error_done(&err);
  app_workspace_ref_done(&ws);
  store_linked_service_done(&rec);
  free(ws_arg);
  free(name);
  *out_rc = rc;
  return answers;
}

/* ====================================================================================
 * the host
 * ==================================================================================== */

static void ls_destroy(struct app_host_base *base)
{
  struct ls_host *h = (struct ls_host *)base;
  app_ls_checks_delete(h->checks);
  app_workspace_ref_done(&h->bound_ws);
  app_ls_saved_done(&h->saved);
  free(h);
}

struct app_host_base *app_host_linked_service_open(struct app_ctx *app, struct strbuf *why,
                                                   enum app_result *out_rc)
{
  (void)why;
  (void)out_rc;
  struct ls_host *h = xcalloc(1, sizeof(*h));
  h->base.app = app;
  h->checks = app_ls_checks_new(app);
  h->base.destroy = ls_destroy;
  h->base.edit = ls_edit;
  h->base.filter = app_ls_filter;
  h->base.jobs = &ls_jobs;
  h->base.check = ls_check;
  return &h->base;
}
