/*
 * The host of the Azure Machine Learning linked-service wizard (forms/linked_service.json,
 * behavior.md W4, issue 6): Synapse Studio's "Create an Azure Machine Learning linked
 * service", Test connection, Save.
 *
 * Picker sources: the shared ones (app_sources.h) through app_ls_filter, which refuses a
 * workspace with data exfiltration protection and a self-hosted integration runtime with
 * the quickstart's reasons. `connections` is loaded here: the store's connections, each
 * one's workspace read through ARM so that a connection to a workspace with data
 * exfiltration protection is refused before any other field too.
 *
 * Host rules:
 *   linked_service_name_unique    the workspace's linked services are listed once per
 *                                 workspace (PENDING until they are); names compare
 *                                 without case
 *   application_id_not_object_id  Microsoft Graph: is the GUID the object id of a service
 *                                 principal or of an app registration? Then the message
 *                                 names its application (client) id. When Graph cannot be
 *                                 asked (no endpoint in the profile) the rule passes; when it
 *                                 refuses, a warning says the check was not made.
 *
 * Actions, one job at a time, each a chain of asynchronous calls (struct ls_job):
 *   linked_service_test   read the Synapse workspace (data exfiltration protection, its
 *                         identity, its Spark pools); then
 *                         managed identity: the role assignments of the workspace's identity
 *                           at the Azure ML workspace and above (atScope() and
 *                           assignedTo(...)); Contributor, Owner or a role whose actions
 *                           cover the workspace passes;
 *                         service principal (secret): a one-off token as the principal
 *                           (az_guest.h: never cached, never logged), GET the Azure ML
 *                           workspace and its permissions as it;
 *                         service principal (Key Vault reference): the Key Vault linked
 *                           service exists; the principal (found by application id through
 *                           Graph) holds the role (synwiz cannot read the secret to sign in);
 *                         a missing role: the caller's permissions at the Azure ML workspace
 *                         say whether it may grant (roleAssignments/write): then the report
 *                         offers linked_service_grant, else it prints the commands for
 *                         someone who may. grant_role=true grants at once (as the offer).
 *   linked_service_grant  the same test, granting Contributor (principalType
 *                         ServicePrincipal) when it is missing; then a visible countdown
 *                         while the role propagates (SYNWIZ_ROLE_WAIT_SECONDS, default 60;
 *                         a service principal is probed every few seconds and the wait ends
 *                         as soon as it can read), and the test again
 *   linked_service_save   the test (a failed test saves nothing); then GET the name (taken:
 *                         refused), PUT the linked service (API.md D.3, app_ls_properties),
 *                         follow the operation, read it back and compare; only then the store
 *                         record (no secret). A dry run sends no write and lists the calls.
 *   linked_service_remove (home screen, bound) says what removing does and asks; its
 *                         follow-up linked_service_remove_confirm GETs it (an Azure ML one
 *                         only), DELETEs it (followed to its end), then removes its record
 *
 * Edit mode (ls_edit, app_host.h; `synwiz linked-service edit` and the home screen's
 * entries): the ref "WS/NAME" (app_ls_edit_ref) binds the host to that linked service as
 * Synapse holds it (app_ls_saved_read), in the workspace of the store's record of that name,
 * else in WS as --workspace takes it (app_workspace_lookup). Blocking calls: edit() runs
 * before the wizard exists. Bound:
 *   linked_service_name_unique  accepts the bound name in the bound workspace and refuses any
 *                         other (no rename: Synapse has none; no move: a PUT elsewhere would
 *                         make a second one)
 *   linked_service_save   GETs the name expecting it there (removed meanwhile: refused), then
 *                         PUTs over it (createOrUpdate) and updates its store record
 *   the home screen's actions run without screens, so their answers were never looked up
 *                         (no ml_workspace item): they work on the bound linked service as
 *                         Synapse held it (read_saved). Its typed secret is not there (Synapse
 *                         masks it, synwiz never keeps it): Test connection then finds the
 *                         principal through Graph and checks its role, and says the secret was
 *                         not tested.
 * A linked service recorded in the store that Synapse no longer has binds "gone": the name
 * rule and Test connection say so, and Remove removes its record.
 */
#include "app/app_host.h"
#include "app/app_linked_service.h"

#include "app/app_action.h"
#include "app/app_ctx.h"
#include "app/app_job.h"
#include "app/app_ls_checks.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_linked_service.h"
#include "azure/az_arm.h"
#include "azure/az_authz.h"
#include "azure/az_client.h"
#include "azure/az_graph.h"
#include "azure/az_guest.h"
#include "azure/az_identity.h"
#include "azure/az_redact.h"
#include "azure/az_synapse.h"
#include "azure/az_url.h"
#include "util/jsonpath.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/answers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_ROLE_WAIT_S 60
#define MAX_ROLE_WAIT_S     900
#define SP_PROBE_EVERY_S    3

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

static char *dup_or_null(const char *s)
{
  return s && *s ? xstrdup(s) : NULL;
}

/* A title that starts with a label ("the managed identity of ..."): capitalised. */
static char *cap(char *s)
{
  if (s && s[0] >= 'a' && s[0] <= 'z')
    s[0] = (char)(s[0] - 'a' + 'A');
  return s;
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

enum ls_mode { ACT_TEST, ACT_GRANT, ACT_SAVE, ACT_REMOVE_ASK, ACT_REMOVE };

enum ls_step {
  S_WORKSPACE, /* read the Synapse workspace: protection, identity, dev endpoint */
  S_POOLS,     /* its Spark pools (the MLflow note); then by kind of authentication: */
  S_ROLES,     /* managed identity or principal found: its role assignments */
  S_ROLE_EVAL, /* ... each one's role definition until one covers the workspace */
  S_ROLES_DONE,
  S_MAY_GRANT, /* missing: may the caller grant it? */
  S_GRANT,
  S_TICK,      /* the propagation countdown, one second a step */
  S_SP_READ,   /* service principal with a secret: sign in as it, read the workspace */
  S_SP_PERMS,  /* ... and its permissions there */
  S_KV,        /* Key Vault reference: the Key Vault linked service exists */
  S_SP_LOOKUP, /* ... the principal found by application id through Graph */
  S_SAVE_NAME, /* save: the name is free (or, edited, still there) */
  S_PUT,       /* ... PUT, follow, read back; then the store record */
  S_REMOVE_READ,
  S_DELETE,
  S_REMOVED,
};

const struct app_action app_ls_actions[] = {
  { "linked_service_test", "Test connection", "linked_service", S_WORKSPACE, ACT_TEST, 0 },
  { "edit", "Edit", "linked_service", 0, 0, APP_ACTION_EDIT },
  { "linked_service_grant", NULL, NULL, S_WORKSPACE, ACT_GRANT, 0 },
  { "linked_service_save", NULL, NULL, S_WORKSPACE, ACT_SAVE, APP_ACTION_WRITES },
  { "linked_service_remove", "Remove", "linked_service", 0, ACT_REMOVE_ASK, 0 },
  { "linked_service_remove_confirm", NULL, NULL, S_REMOVE_READ, ACT_REMOVE, APP_ACTION_WRITES },
  { NULL, NULL, NULL, 0, 0, 0 },
};

struct ls_job {
  struct app_job base; /* first: the runner's */
  struct ls_host *h;
  enum ls_mode mode;
  bool grant;      /* grant a missing role when allowed (the grant action, or grant_role) */
  bool editing;    /* the host is bound to a saved linked service: Save updates it */
  bool from_saved; /* the saved linked service is tested as Synapse holds it (home screen) */
  char *title;     /* the report's title, when title_for() does not give it */
  /* the answers */
  struct app_workspace_ref ws;
  char *name;
  char *runtime;
  char *runtime_type;
  char *ml_sub, *ml_rg, *ml_ws, *ml_id;
  enum app_ls_auth auth;
  enum app_ls_key key;
  char *client_id, *tenant, *secret; /* secret: wiped when the job ends */
  char *kv_ls, *secret_name, *secret_version;
  /* progress */
  struct az_guest *guest;
  char *principal;       /* whose role is checked and granted (object id) */
  char *principal_label; /* "the identity of workspace contoso-synapse" */
  json_t *assignments;
  size_t next;
  char *role_name; /* the role found to cover the workspace, or NULL */
  bool may_grant;
  bool granted;
  size_t missing_finding; /* the FAIL saying the role is missing (+1; 0 = none) */
  bool waiting;
  int wait_total, wait_left;
  json_t *sent;      /* the properties PUT (holds the secret) */
  bool put_sent;     /* the PUT went out (a cancel cannot call it back) */
  bool delete_sent;  /* the DELETE went out */
  char *spark_pools; /* "sparkpool33 (3.3), ..." of the workspace, or NULL */
};

static struct ls_job *ls_of(struct app_job *job)
{
  return (struct ls_job *)job;
}

static struct az_client *jclient(struct ls_job *j)
{
  return client_of(j->h);
}

/* The workspace as the Synapse data plane is addressed. */
static const char *ws_dev(const struct ls_job *j)
{
  return j->ws.dev_endpoint ? j->ws.dev_endpoint : j->ws.name;
}

static const char *ml_label(const struct ls_job *j)
{
  return j->ml_ws ? j->ml_ws : "the Azure ML workspace";
}

/* Test connection signs in as the service principal: it has its secret. Without one (a Key
 * Vault reference, or a saved linked service whose typed secret synwiz never kept) the
 * principal is found through Graph and its role checked. */
static bool signs_in(const struct ls_job *j)
{
  return j->auth == APP_LS_AUTH_SERVICE_PRINCIPAL && j->key == APP_LS_KEY_SECURE_STRING &&
         j->secret;
}

static const char *title_for(const struct ls_job *j)
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

/* The test passed: Test and Grant end, Save goes on to its writes. */
static int test_passed(struct ls_job *j)
{
  if (j->mode == ACT_SAVE)
    return S_SAVE_NAME;
  /* (A saved one tested as Synapse holds it has nothing new to save.) */
  if (!j->from_saved)
    wiz_report_add_followup(j->base.r, "linked_service_save", "Save");
  return APP_STEP_END;
}

/* ---------- the Synapse workspace ---------- */

static struct az_call *workspace_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  app_job_say(job, "Reading the Synapse workspace %s...", j->ws.name);
  return az_arm_get_workspace(jclient(j), j->ws.subscription, j->ws.resource_group, j->ws.name);
}

static int workspace_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  if (az_call_result(call) != AZ_OK)
    return APP_STEP_FAIL;
  json_t *w = az_call_json(call);
  if (json_path_bool(w, "properties.managedVirtualNetworkSettings.preventDataExfiltration",
                     false)) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "Data exfiltration protection is on",
                   APP_LS_DEP_REASON, j->ws.name, NULL);
    return app_job_fail(job, WIZ_OUTCOME_REFUSED);
  }
  const char *pid = json_path_str(w, "identity.principalId");
  if (pid) {
    free(j->ws.principal_id);
    j->ws.principal_id = xstrdup(pid);
  }
  const char *dev = json_path_str(w, "properties.connectivityEndpoints.dev");
  if (dev && !j->ws.dev_endpoint)
    j->ws.dev_endpoint = xstrdup(dev);
  if (j->auth == APP_LS_AUTH_MSI && j->ws.principal_id)
    j->principal = xstrdup(j->ws.principal_id);
  if (j->runtime_type && strcasecmp(j->runtime_type, "SelfHosted") == 0) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "A self-hosted integration runtime is chosen",
                   APP_LS_SHIR_REASON, j->runtime, NULL);
    return app_job_fail(job, WIZ_OUTCOME_REFUSED);
  }
  return S_POOLS;
}

static struct az_call *pools_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  app_job_say(job, "Listing the Spark pools of %s...", j->ws.name);
  return az_arm_list_spark_pools(jclient(j), j->ws.subscription, j->ws.resource_group, j->ws.name);
}

static int pools_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  /* Said last (ls_finish): the findings that decide come first. */
  if (az_call_result(call) == AZ_OK)
    j->spark_pools = app_ls_spark_pools_affected(az_call_json(call));
  if (j->auth == APP_LS_AUTH_MSI) {
    free(j->principal_label);
    j->principal_label = xasprintf("the managed identity of workspace %s", j->ws.name);
    if (!j->principal) {
      wiz_report_add(job->r, WIZ_FINDING_FAIL, "The workspace has no managed identity",
                     "ARM reports no identity.principalId for this workspace.", j->ws.name,
                     "Managed-identity authentication uses the workspace's system-assigned "
                     "identity.");
      return app_job_fail(job, WIZ_OUTCOME_REFUSED);
    }
    return S_ROLES;
  }
  if (j->key == APP_LS_KEY_KEY_VAULT)
    return S_KV;
  return signs_in(j) ? S_SP_READ : S_SP_LOOKUP;
}

/* ---------- roles: managed identity, or a service principal found through Graph ---------- */

static struct az_call *roles_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  char *filter = xasprintf("atScope() and assignedTo('%s')", j->principal);
  app_job_say(job, "Checking the roles of %s on %s...", j->principal_label, ml_label(j));
  struct az_call *call = az_authz_list_role_assignments(jclient(j), j->ml_id, filter);
  free(filter);
  return call;
}

static int roles_read(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  if (az_call_result(call) != AZ_OK) {
    char *title = xasprintf("Could not read the role assignments on %s", ml_label(j));
    app_job_fail_call(job, call, title, j->ml_id);
    free(title);
    return APP_STEP_END;
  }
  json_decref(j->assignments);
  j->assignments = json_incref(json_object_get(az_call_json(call), "value"));
  j->next = 0;
  return S_ROLE_EVAL;
}

static const char *role_guid(json_t *assignment)
{
  const char *rid = json_path_str(assignment, "properties.roleDefinitionId");
  const char *guid = rid ? strrchr(rid, '/') : NULL;
  return guid ? guid + 1 : rid;
}

/* The assignments known to cover the workspace decide at once; another role's definition is
 * read (NULL: decided, j->role_name says by which role, or none). */
static struct az_call *role_eval_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  for (; j->next < json_array_size(j->assignments); j->next++) {
    json_t *a = json_array_get(j->assignments, j->next);
    const char *guid = role_guid(a);
    if (!guid)
      continue;
    if (strcasecmp(guid, AZ_ROLE_CONTRIBUTOR) == 0 || strcasecmp(guid, AZ_ROLE_OWNER) == 0) {
      j->role_name = xstrdup(strcasecmp(guid, AZ_ROLE_OWNER) == 0 ? "Owner" : "Contributor");
      return NULL;
    }
    if (strcasecmp(guid, AZ_ROLE_READER) == 0)
      continue; /* known not to cover it */
    return az_authz_get_role_definition(jclient(j),
                                        json_path_str(a, "properties.roleDefinitionId"));
  }
  return NULL;
}

static int role_eval_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  if (!call)
    return S_ROLES_DONE;
  const char *guid = role_guid(json_array_get(j->assignments, j->next));
  if (az_call_result(call) == AZ_OK && app_ls_role_covers(guid, az_call_json(call))) {
    const char *name = json_path_str(az_call_json(call), "properties.roleName");
    j->role_name = xstrdup(name && *name ? name : guid);
    return S_ROLES_DONE;
  }
  j->next++;
  return S_ROLE_EVAL;
}

/* `principal` lacks the role: say so (once), then find out whether the caller may grant. */
static int need_role(struct ls_job *j, const char *title, const char *detail)
{
  if (j->granted) {
    /* Granted, waited, and still not there. */
    wiz_report_add(j->base.r, WIZ_FINDING_FAIL, title,
                   "The role was granted but has not taken effect yet: Azure can take several "
                   "minutes. Test again in a few minutes.",
                   j->ml_id, NULL);
    wiz_report_add_followup(j->base.r, "linked_service_test", "Test again");
    return app_job_fail(&j->base, WIZ_OUTCOME_REFUSED);
  }
  wiz_report_add(j->base.r, WIZ_FINDING_FAIL, title, detail, j->ml_id,
                 "The linked service acts as this identity: the quickstart requires Contributor "
                 "on the Azure ML workspace.");
  j->missing_finding = j->base.r->n_findings;
  return S_MAY_GRANT;
}

static int roles_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  (void)call;
  if (j->role_name) {
    char *title =
        cap(xasprintf("%s holds %s on %s", j->principal_label, j->role_name, ml_label(j)));
    wiz_report_add(job->r, WIZ_FINDING_PASS, title, NULL, j->ml_id, NULL);
    free(title);
    if (j->granted)
      wiz_report_add(job->r, WIZ_FINDING_INFO, "A new role assignment",
                     "Azure can take a few minutes to apply a new role everywhere: if the "
                     "linked service's first use is refused, wait and try again.",
                     NULL, NULL);
    if (j->auth == APP_LS_AUTH_SERVICE_PRINCIPAL)
      wiz_report_add(job->r, WIZ_FINDING_INFO, "The secret itself was not tested",
                     j->key == APP_LS_KEY_KEY_VAULT
                         ? "It is an Azure Key Vault reference: synwiz does not read Key Vault, "
                           "so it could not sign in as the service principal. Synapse reads the "
                           "secret when the linked service is used."
                         : "synwiz never keeps the client secret and Synapse does not give it "
                           "back, so it could not sign in as the service principal. Edit the "
                           "linked service and give the secret to test the sign-in too.",
                     NULL, NULL);
    return test_passed(j);
  }
  char *title =
      cap(xasprintf("%s does not hold Contributor on %s", j->principal_label, ml_label(j)));
  char *detail = xasprintf("No role assignment at the workspace, its resource group or its "
                           "subscription gives object id %s Contributor (or a role covering "
                           "Microsoft.MachineLearningServices/workspaces).",
                           j->principal);
  int next = need_role(j, title, detail);
  free(title);
  free(detail);
  return next;
}

/* ---------- granting the missing role, and waiting for it ---------- */

static struct az_call *may_grant_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  app_job_say(job, "Checking whether you may grant roles on %s...", ml_label(j));
  return az_authz_list_permissions(jclient(j), j->ml_id);
}

static void grant_commands(struct ls_job *j, const char *az_title)
{
  char *az = app_ls_grant_az_command(j->principal, j->ml_id);
  char *rest = app_ls_grant_rest_command(j->principal, j->ml_id);
  wiz_report_add(j->base.r, WIZ_FINDING_INFO, az_title, az, NULL, NULL);
  wiz_report_add(j->base.r, WIZ_FINDING_INFO, "... or with synwiz", rest, NULL, NULL);
  free(az);
  free(rest);
}

static int may_grant_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  j->may_grant =
      az_call_result(call) == AZ_OK &&
      az_authz_allows(az_call_json(call), "Microsoft.Authorization/roleAssignments/write", false);
  if (j->grant && j->may_grant && !j->granted)
    return S_GRANT;
  if (j->may_grant) {
    wiz_report_add(job->r, WIZ_FINDING_INFO, "You may grant it",
                   j->auth == APP_LS_AUTH_MSI
                       ? "You hold Microsoft.Authorization/roleAssignments/write on the Azure ML "
                         "workspace (Owner or User Access Administrator): choose the follow-up "
                         "below, or set \"grant_role\": true in the answers file."
                       : "You hold Microsoft.Authorization/roleAssignments/write on the Azure ML "
                         "workspace (Owner or User Access Administrator): choose the follow-up "
                         "below.",
                   NULL, NULL);
    char *label = xasprintf("Grant Contributor to %s and test again", j->principal_label);
    wiz_report_add_followup(job->r, "linked_service_grant", label);
    free(label);
  } else {
    wiz_report_add(job->r, j->grant ? WIZ_FINDING_FAIL : WIZ_FINDING_INFO, "You may not grant it",
                   "Granting a role needs Microsoft.Authorization/roleAssignments/write on the "
                   "Azure ML workspace: Owner or User Access Administrator there (or on its "
                   "resource group or subscription). Give someone who has it one of these "
                   "commands.",
                   j->ml_id, NULL);
    grant_commands(j, "Command for someone who may grant it (Azure CLI)");
  }
  wiz_report_add_followup(job->r, "linked_service_test", "Test again");
  return app_job_fail(job, WIZ_OUTCOME_REFUSED);
}

static struct az_call *grant_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  if (job->dry_run) {
    char *url =
        xasprintf("%s%s/providers/Microsoft.Authorization/roleAssignments/"
                  "<new GUID>?api-version=%s",
                  az_client_cloud(jclient(j))->resource_manager, j->ml_id, AZ_AUTHZ_VERSION);
    char *sub = az_arm_id_part(j->ml_id, "subscriptions");
    char *role = xasprintf("/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s",
                           sub ? sub : "?", AZ_ROLE_CONTRIBUTOR);
    json_t *body = json_pack("{s:{s:s, s:s, s:s}}", "properties", "roleDefinitionId", role,
                             "principalId", j->principal, "principalType", "ServicePrincipal");
    app_job_plan(job, "PUT", url, body);
    json_decref(body);
    free(role);
    free(sub);
    free(url);
    char *title = xasprintf("Dry run: Contributor would be granted to %s", j->principal_label);
    wiz_report_add(job->r, WIZ_FINDING_INFO, title, NULL, j->ml_id, NULL);
    free(title);
    return NULL;
  }
  struct az_role_assignment_spec spec = { 0 };
  spec.scope = j->ml_id;
  spec.role_definition = AZ_ROLE_CONTRIBUTOR;
  spec.principal_id = j->principal;
  spec.principal_type = "ServicePrincipal";
  spec.description = "Azure ML linked service (synwiz)";
  app_job_say(job, "Granting Contributor on %s to %s...", ml_label(j), j->principal_label);
  return az_authz_create_role_assignment(jclient(j), &spec);
}

static int role_wait_seconds(void)
{
  const char *v = getenv("SYNWIZ_ROLE_WAIT_SECONDS");
  if (!v || !*v)
    return DEFAULT_ROLE_WAIT_S;
  char *end = NULL;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (end == v || *end || errno || n < 0)
    return DEFAULT_ROLE_WAIT_S;
  return n > MAX_ROLE_WAIT_S ? MAX_ROLE_WAIT_S : (int)n;
}

static int grant_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  if (!call)
    return test_passed(j); /* dry run */
  if (az_call_result(call) != AZ_OK) {
    char *title = xasprintf("Could not grant Contributor to %s", j->principal_label);
    grant_commands(j, "For someone who may grant it (Azure CLI)");
    app_job_fail_call(job, call, title, j->ml_id);
    free(title);
    return APP_STEP_END;
  }
  bool existed = json_path_bool(az_call_json(call), "alreadyExists", false);
  char *title = xasprintf("%s Contributor to %s", existed ? "Already granted:" : "Granted",
                          j->principal_label);
  char *detail = xasprintf("Role assignment at the Azure ML workspace %s (principal type "
                           "ServicePrincipal).",
                           ml_label(j));
  wiz_report_add(job->r, WIZ_FINDING_PASS, title, detail, j->ml_id, NULL);
  free(title);
  free(detail);
  j->granted = true;
  if (j->missing_finding) {
    /* Missing, and now granted: no longer a failure of this report. */
    struct wiz_finding *f = &job->r->findings[j->missing_finding - 1];
    f->status = WIZ_FINDING_INFO;
    char *t = xasprintf("Was missing: %s", f->title);
    free(f->title);
    f->title = t;
  }
  j->waiting = true;
  j->wait_total = j->wait_left = role_wait_seconds();
  if (j->wait_total == 0)
    return signs_in(j) ? S_SP_READ : S_ROLES;
  return S_TICK;
}

static struct az_call *tick_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  char *status = xasprintf("Waiting for the new role to take effect: %d s left (Azure applies "
                           "role changes within minutes)",
                           j->wait_left);
  struct wiz_progress p = { j->wait_total ? (double)(j->wait_total - j->wait_left) / j->wait_total
                                          : 1.0,
                            -1, -1, j->wait_left, status };
  app_job_progress(job, &p);
  free(status);
  return az_call_delay(jclient(j), 1000);
}

static int tick_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  (void)call;
  if (j->wait_left > 0)
    j->wait_left--;
  bool probe =
      signs_in(j) && ((j->wait_total - j->wait_left) % SP_PROBE_EVERY_S == 0 || j->wait_left == 0);
  /* Test again: the role assignments (the identity's propagation cannot be observed from
   * outside), or the service principal's own read, which shows when it took effect. */
  if (j->wait_left == 0 || probe)
    return signs_in(j) ? S_SP_READ : S_ROLES;
  return S_TICK;
}

/* ---------- service principal with a secret: sign in as it ---------- */

static char *ml_url(struct ls_job *j, const char *tail)
{
  char *url = az_url_build(az_client_cloud(jclient(j))->resource_manager, "/{/}", j->ml_id);
  char *full = xasprintf("%s%s?api-version=%s", url ? url : "", tail ? tail : "",
                         tail ? AZ_AUTHZ_VERSION : AZ_ARM_ML_VERSION);
  free(url);
  return full;
}

static struct az_call *sp_read_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  if (!j->guest) {
    /* The secret goes to the guest's credential, in memory only. */
    j->guest =
        az_guest_new(jclient(j), az_credential_client_secret(j->tenant, j->client_id, j->secret));
  }
  if (!j->waiting)
    app_job_say(job, "Signing in as %s and reading %s...", j->client_id, ml_label(j));
  char *url = ml_url(j, NULL);
  struct az_call *call = az_guest_request(j->guest, "GET", url, NULL);
  free(url);
  return call;
}

static int sp_read_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  const struct az_identity *gid = az_guest_identity(j->guest);
  if (gid->object_id && !j->principal) {
    j->principal = xstrdup(gid->object_id);
    free(j->principal_label);
    j->principal_label = xasprintf("service principal %s", j->client_id);
  }
  if (az_call_result(call) == AZ_OK) {
    char *title = cap(xasprintf("%s signs in and reads %s", j->principal_label, ml_label(j)));
    char *detail = xasprintf("Signed in to tenant %s with client credentials (a one-off token, not "
                             "kept) and read the Azure ML workspace as the principal.",
                             j->tenant);
    wiz_report_add(job->r, WIZ_FINDING_PASS, title, detail, j->ml_id, NULL);
    free(detail);
    free(title);
    j->waiting = false;
    return S_SP_PERMS;
  }
  const struct az_error *e = az_call_error(call);
  if (j->waiting && j->wait_left > 0 && (e->status == 403 || e->status == 404))
    return S_TICK; /* not yet: keep waiting */
  struct app_ls_diagnosis d;
  app_ls_diagnose(e, j->client_id, j->tenant, ml_label(j), &d);
  if (d.no_role && j->principal) {
    int next = need_role(j, d.title, d.detail);
    app_ls_diagnosis_done(&d);
    return next;
  }
  struct strbuf why;
  strbuf_init(&why, 0);
  strbuf_puts(&why, d.todo);
  /* An object id given as the application id: the rule may know which. */
  const char *objid = app_ls_checks_object_id_message(j->h->checks, j->client_id);
  if (objid)
    strbuf_printf(&why, " %s", objid);
  wiz_report_add(job->r, WIZ_FINDING_FAIL, d.title, d.detail, NULL, why.buf);
  strbuf_done(&why);
  enum wiz_outcome o = d.outcome;
  app_ls_diagnosis_done(&d);
  wiz_report_add_followup(job->r, "linked_service_test", "Test again");
  return app_job_fail(job, o);
}

static struct az_call *sp_perms_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  app_job_say(job, "Reading the permissions of %s on %s...", j->principal_label, ml_label(j));
  char *url = ml_url(j, "/providers/Microsoft.Authorization/permissions");
  struct az_call *call = az_guest_request(j->guest, "GET", url, NULL);
  free(url);
  return call;
}

static int sp_perms_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  if (az_call_result(call) != AZ_OK) {
    char *s = az_error_summary(az_call_error(call));
    wiz_report_add(job->r, WIZ_FINDING_WARN,
                   "Could not read the service principal's permissions on the workspace", s,
                   j->ml_id, NULL);
    free(s);
    return test_passed(j);
  }
  if (az_authz_allows(az_call_json(call), "Microsoft.MachineLearningServices/workspaces/write",
                      false)) {
    char *title =
        cap(xasprintf("%s has Contributor access to %s", j->principal_label, ml_label(j)));
    wiz_report_add(job->r, WIZ_FINDING_PASS, title, NULL, j->ml_id, NULL);
    free(title);
    return test_passed(j);
  }
  char *title = cap(
      xasprintf("%s may read %s but not use it as Contributor", j->principal_label, ml_label(j)));
  int next = need_role(j, title,
                       "Its permissions there do not include "
                       "Microsoft.MachineLearningServices/workspaces/write: Reader is not enough.");
  free(title);
  return next;
}

/* ---------- service principal with a Key Vault reference ---------- */

static struct az_call *kv_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  app_job_say(job, "Reading the Key Vault linked service %s...", j->kv_ls);
  return az_synapse_get_linked_service(jclient(j), ws_dev(j), j->kv_ls);
}

static int kv_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  if (az_call_result(call) != AZ_OK) {
    char *title = xasprintf("The Key Vault linked service %s cannot be read", j->kv_ls);
    app_job_fail_call(job, call, title, j->ws.name);
    free(title);
    return APP_STEP_END;
  }
  const char *type = json_path_str(az_call_json(call), "properties.type");
  if (!type || strcmp(type, "AzureKeyVault") != 0) {
    char *title = xasprintf("%s is not an Azure Key Vault linked service", j->kv_ls);
    char *detail = xasprintf("Its type is %s.", type ? type : "unknown");
    wiz_report_add(job->r, WIZ_FINDING_FAIL, title, detail, j->ws.name,
                   "The service principal key must reference a linked service of type "
                   "AzureKeyVault in the same workspace.");
    free(title);
    free(detail);
    return app_job_fail(job, WIZ_OUTCOME_REFUSED);
  }
  char *title = xasprintf("The Key Vault linked service %s exists", j->kv_ls);
  wiz_report_add(job->r, WIZ_FINDING_PASS, title, NULL, j->ws.name, NULL);
  free(title);
  return S_SP_LOOKUP;
}

static struct az_call *sp_lookup_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  app_job_say(job, "Looking up the service principal of application %s...", j->client_id);
  return az_graph_find_service_principal(jclient(j), j->client_id);
}

static int sp_lookup_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  json_t *first = json_array_get(json_object_get(az_call_json(call), "value"), 0);
  const char *oid = json_path_str(first, "id");
  if (az_call_result(call) == AZ_OK && oid) {
    j->principal = xstrdup(oid);
    free(j->principal_label);
    j->principal_label = xasprintf("service principal %s", j->client_id);
    return S_ROLES;
  }
  char *s = az_call_result(call) != AZ_OK
                ? az_error_summary(az_call_error(call))
                : xasprintf("No service principal has the application id %s in this "
                            "directory.",
                            j->client_id);
  const struct az_identity *me = app_ctx_identity(j->h->base.app);
  bool home = me && me->tenant_id && strcasecmp(me->tenant_id, j->tenant) == 0;
  int next;
  if (az_call_result(call) == AZ_OK && home) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "Unknown application id", s, NULL,
                   "Give the application (client) id from the app registration's overview "
                   "page.");
    next = app_job_fail(job, WIZ_OUTCOME_REFUSED);
  } else {
    wiz_report_add(job->r, WIZ_FINDING_WARN,
                   "Could not find the service principal to check its role", s, NULL,
                   "synwiz looks it up in Microsoft Graph by application id; its role on the "
                   "Azure ML workspace was not checked.");
    next = test_passed(j);
  }
  free(s);
  return next;
}

/* ---------- save ---------- */

static struct az_call *save_name_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  app_job_say(
      job, j->editing ? "Checking that %s is still in %s..." : "Checking that %s is free in %s...",
      j->name, j->ws.name);
  return az_synapse_get_linked_service(jclient(j), ws_dev(j), j->name);
}

/* New: the name must be free. Edited: the linked service must still be there, an Azure ML
 * one, to be updated. */
static int save_name_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  enum az_result r = az_call_result(call);
  const char *found = json_path_str(az_call_json(call), "name");
  const char *type = json_path_str(az_call_json(call), "properties.type");
  if (!j->editing && r == AZ_OK) {
    char *title = xasprintf("The workspace %s already has a linked service named %s", j->ws.name,
                            found ? found : j->name);
    wiz_report_add(job->r, WIZ_FINDING_FAIL, title, "Saving would replace it: choose another name.",
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
  struct ls_job *j = ls_of(job);
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
    char *base = az_synapse_endpoint(jclient(j), ws_dev(j));
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
  return az_synapse_put_linked_service(jclient(j), ws_dev(j), j->name, props);
}

static void record(struct ls_job *j)
{
  struct store *s = NULL;
  const char *msg = NULL;
  enum app_result rc = app_ctx_store(j->h->base.app, &s, &msg);
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

static int put_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  if (job->dry_run)
    return APP_STEP_END;
  if (az_call_result(call) == AZ_E_OPERATION_FAILED) {
    wiz_report_add(job->r, WIZ_FINDING_INFO, "Nothing was recorded",
                   "The linked service is not in the synwiz store.", NULL, NULL);
    return app_job_fail_call(job, call, "Synapse reported that creating the linked service failed",
                             j->ws.name);
  }
  if (az_call_result(call) != AZ_OK)
    return APP_STEP_FAIL;
  struct strbuf why;
  strbuf_init(&why, 0);
  bool same = app_ls_read_back_matches(j->sent, az_call_json(call), &why);
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
    app_ls_checks_name_taken(j->h->checks, j->ws.name, j->ws.dev_endpoint, j->name);
  record(j);
  return APP_STEP_END;
}

/* ---------- removing the saved one (home screen) ---------- */

static struct az_call *remove_read_start(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  app_job_say(job, "Reading the linked service %s in %s...", j->name, j->ws.name);
  return az_synapse_get_linked_service(jclient(j), ws_dev(j), j->name);
}

static int remove_read_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
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
  struct ls_job *j = ls_of(job);
  j->delete_sent = true;
  app_job_say(job, "Removing the linked service %s from %s...", j->name, j->ws.name);
  return az_synapse_delete_linked_service(jclient(j), ws_dev(j), j->name);
}

static int delete_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  if (az_call_result(call) != AZ_OK)
    return APP_STEP_FAIL;
  char *title = xasprintf("%s %s from the Synapse workspace %s",
                          job->dry_run ? "Would remove" : "Removed", j->name, j->ws.name);
  wiz_report_add(job->r, job->dry_run ? WIZ_FINDING_INFO : WIZ_FINDING_PASS, title,
                 "The Azure ML workspace and its role assignments stay.", j->ws.name, NULL);
  free(title);
  return S_REMOVED;
}

static struct az_call *no_call(struct app_job *job)
{
  (void)job;
  return NULL;
}

static int removed_done(struct app_job *job, struct az_call *call)
{
  struct ls_job *j = ls_of(job);
  (void)call;
  if (!job->dry_run) {
    struct store *s = NULL;
    const char *msg = NULL;
    enum app_result rc = app_ctx_store(j->h->base.app, &s, &msg);
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
    j->h->bound = false; /* nothing left to edit */
  }
  free(j->title);
  j->title = xasprintf(job->dry_run ? "Dry run: %s was not removed (nothing was changed)"
                                    : "Removed the linked service %s",
                       j->name);
  return APP_STEP_END;
}

static const struct app_step ls_steps[] = {
  [S_WORKSPACE] = { "workspace", NULL, workspace_start, workspace_done,
                    "Could not read the Synapse workspace" },
  [S_POOLS] = { "spark_pools", NULL, pools_start, pools_done, NULL },
  [S_ROLES] = { "role_assignments", NULL, roles_start, roles_read, NULL },
  [S_ROLE_EVAL] = { "role_definition", NULL, role_eval_start, role_eval_done, NULL },
  [S_ROLES_DONE] = { "role_verdict", NULL, no_call, roles_done, NULL },
  [S_MAY_GRANT] = { "may_grant", NULL, may_grant_start, may_grant_done, NULL },
  [S_GRANT] = { "grant", NULL, grant_start, grant_done, NULL },
  [S_TICK] = { "propagation_wait", NULL, tick_start, tick_done, NULL },
  [S_SP_READ] = { "sp_sign_in", NULL, sp_read_start, sp_read_done, NULL },
  [S_SP_PERMS] = { "sp_permissions", NULL, sp_perms_start, sp_perms_done, NULL },
  [S_KV] = { "key_vault_linked_service", NULL, kv_start, kv_done, NULL },
  [S_SP_LOOKUP] = { "sp_lookup", NULL, sp_lookup_start, sp_lookup_done, NULL },
  [S_SAVE_NAME] = { "name_check", NULL, save_name_start, save_name_done, NULL },
  [S_PUT] = { "put", NULL, put_start, put_done, "Could not create the linked service" },
  [S_REMOVE_READ] = { "remove_read", NULL, remove_read_start, remove_read_done,
                      "Could not read the linked service" },
  [S_DELETE] = { "delete", NULL, delete_start, delete_done, "Could not remove the linked service" },
  [S_REMOVED] = { "forget_record", NULL, no_call, removed_done, NULL },
};

/* ---------- the job: what it reads first, its last words, cancel ---------- */

/* The saved linked service the host is bound to, as Synapse held it: what the home screen's
 * actions work on (their wizard shows no screen, so its pickers are never looked up). No
 * secret: a typed one is not kept, so Test connection checks the principal's role only and
 * Save cannot send it. */
static bool read_saved(struct ls_job *j)
{
  const struct ls_host *h = j->h;
  const struct app_ls_saved *s = &h->saved;
  struct wiz_report *r = j->base.r;
  j->from_saved = true;
  app_workspace_ref_copy(&j->ws, &h->bound_ws);
  if (h->gone) {
    char *title = xasprintf("%s is no longer in %s", s->name, j->ws.name);
    wiz_report_add(r, WIZ_FINDING_FAIL, title,
                   "Someone removed it outside synwiz; its record is still in the synwiz store.",
                   j->ws.name,
                   "Remove its record, or create it again with synwiz linked-service new.");
    free(title);
    wiz_report_add_followup(r, "linked_service_remove_confirm", "Remove its record");
    app_job_fail(&j->base, WIZ_OUTCOME_REFUSED);
    return false;
  }
  if (j->ws.prevent_data_exfiltration) {
    wiz_report_add(r, WIZ_FINDING_FAIL, "Data exfiltration protection is on", APP_LS_DEP_REASON,
                   j->ws.name, NULL);
    return false;
  }
  j->name = dup_or_null(s->name);
  j->runtime = dup_or_null(s->integration_runtime);
  j->ml_sub = dup_or_null(s->ml_subscription);
  j->ml_rg = dup_or_null(s->ml_resource_group);
  j->ml_ws = dup_or_null(s->ml_workspace);
  j->ml_id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                       "Microsoft.MachineLearningServices/workspaces/%s",
                       j->ml_sub, j->ml_rg, j->ml_ws);
  j->auth = s->auth;
  j->key = s->key;
  if (j->auth == APP_LS_AUTH_SERVICE_PRINCIPAL) {
    j->client_id = dup_or_null(s->client_id);
    j->tenant = dup_or_null(s->tenant);
    j->kv_ls = dup_or_null(s->key_vault_linked_service);
    j->secret_name = dup_or_null(s->secret_name);
    j->secret_version = dup_or_null(s->secret_version);
    j->principal_label = xasprintf("service principal %s", j->client_id ? j->client_id : "?");
    if (!j->client_id || !j->tenant) {
      wiz_report_add(r, WIZ_FINDING_FAIL, "The service principal is not fully given",
                     "The saved linked service names no application (client) id or tenant.",
                     j->ws.name, NULL);
      return false;
    }
    if (j->mode == ACT_SAVE && j->key == APP_LS_KEY_SECURE_STRING) {
      wiz_report_add(r, WIZ_FINDING_FAIL, "The client secret is needed",
                     "synwiz never keeps it and Synapse does not give it back: edit the linked "
                     "service and give the secret again.",
                     NULL, NULL);
      return false;
    }
  }
  return true;
}
/* Copy what the job needs from the answers; false (with a finding) when something is off. */
static bool read_answers(struct ls_job *j, const struct wiz_answers *a)
{
  /* The home screen's actions: the answers were never looked up (no Azure ML workspace
   * item), so the bound linked service is what they mean. */
  if (j->h->bound && !wiz_answers_item(a, "ml_workspace"))
    return read_saved(j);
  char *why = NULL;
  if (!app_workspace_from_answers(j->h->base.app, a, &j->ws, &why)) {
    wiz_report_add(j->base.r, WIZ_FINDING_FAIL, "No Synapse workspace", why, NULL, NULL);
    free(why);
    return false;
  }
  if (j->ws.prevent_data_exfiltration) {
    wiz_report_add(j->base.r, WIZ_FINDING_FAIL, "Data exfiltration protection is on",
                   APP_LS_DEP_REASON, j->ws.name, NULL);
    return false;
  }
  j->name = dup_or_null(wiz_answers_text(a, "name"));
  const struct wiz_item *ir = wiz_answers_item(a, "integration_runtime");
  j->runtime = dup_or_null(ir ? ir->id : wiz_answers_text(a, "integration_runtime"));
  j->runtime_type = dup_or_null(ir ? wiz_item_attr(ir, "type") : NULL);
  j->ml_sub = dup_or_null(wiz_answers_text(a, "ml_subscription"));
  const struct wiz_item *ml = wiz_answers_item(a, "ml_workspace");
  j->ml_ws = dup_or_null(ml ? ml->id : NULL);
  j->ml_rg = dup_or_null(ml ? wiz_item_attr(ml, "resource_group") : NULL);
  j->ml_id = dup_or_null(ml ? wiz_item_attr(ml, "id") : NULL);
  if (!j->ml_id && j->ml_sub && j->ml_rg && j->ml_ws)
    j->ml_id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                         "Microsoft.MachineLearningServices/workspaces/%s",
                         j->ml_sub, j->ml_rg, j->ml_ws);
  if (!j->ml_sub || !j->ml_ws || !j->ml_rg || !j->ml_id) {
    wiz_report_add(j->base.r, WIZ_FINDING_FAIL, "No Azure ML workspace",
                   "Choose the Azure ML subscription and workspace.", NULL, NULL);
    return false;
  }
  const char *auth = wiz_answers_text(a, "authentication");
  j->auth = auth && strcmp(auth, "service_principal") == 0 ? APP_LS_AUTH_SERVICE_PRINCIPAL
                                                           : APP_LS_AUTH_MSI;
  j->grant = j->grant || wiz_answers_bool(a, "grant_role", false);
  if (j->auth == APP_LS_AUTH_SERVICE_PRINCIPAL) {
    j->client_id = dup_or_null(wiz_answers_text(a, "client_id"));
    j->tenant = dup_or_null(wiz_answers_text(a, "tenant"));
    const char *src = wiz_answers_text(a, "secret_source");
    j->key = src && strcmp(src, "key_vault") == 0 ? APP_LS_KEY_KEY_VAULT : APP_LS_KEY_SECURE_STRING;
    if (j->key == APP_LS_KEY_SECURE_STRING) {
      const char *secret = wiz_answers_secret(a, "secret");
      j->secret = secret ? xstrdup(secret) : NULL;
    } else {
      j->kv_ls = dup_or_null(wiz_answers_text(a, "key_vault_linked_service"));
      j->secret_name = dup_or_null(wiz_answers_text(a, "secret_name"));
      j->secret_version = dup_or_null(wiz_answers_text(a, "secret_version"));
    }
    if (!j->client_id || !j->tenant ||
        (j->key == APP_LS_KEY_SECURE_STRING ? !j->secret : !j->kv_ls || !j->secret_name)) {
      wiz_report_add(j->base.r, WIZ_FINDING_FAIL, "The service principal is not fully given",
                     "It needs the application (client) id, the tenant, and the secret or its "
                     "Key Vault reference.",
                     NULL, NULL);
      return false;
    }
    if (j->secret_name) {
      for (const char *p = j->secret_name; *p; p++) {
        if (!(*p == '-' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z'))) {
          wiz_report_add(j->base.r, WIZ_FINDING_FAIL, "Invalid Key Vault secret name",
                         j->secret_name, NULL,
                         "Key Vault secret names hold letters, digits and '-' only.");
          return false;
        }
      }
    }
    j->principal_label = xasprintf("service principal %s", j->client_id);
  }
  if (j->mode == ACT_SAVE && !j->name) {
    wiz_report_add(j->base.r, WIZ_FINDING_FAIL, "No name", "Give the linked service a name.", NULL,
                   NULL);
    return false;
  }
  if (j->mode == ACT_SAVE && j->editing) {
    /* What the name rule says, again: a pending check does not stop a headless Save. */
    struct strbuf m;
    strbuf_init(&m, 0);
    bool same =
        check_name_bound(j->h, j->name, j->ws.dev_endpoint ? j->ws.dev_endpoint : j->ws.name, &m) ==
        WIZ_CHECK_OK;
    if (!same)
      wiz_report_add(j->base.r, WIZ_FINDING_FAIL, "Not the linked service being edited", m.buf,
                     j->ws.name, NULL);
    strbuf_done(&m);
    return same;
  }
  return true;
}

/* linked_service_remove says what removing does and asks (its follow-up confirms);
 * linked_service_remove_confirm removes it from Synapse, then its store record. */
static bool begin_remove(struct ls_job *j)
{
  struct ls_host *h = j->h;
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

static bool ls_begin(struct app_job *job, const struct wiz_answers *answers)
{
  struct ls_job *j = ls_of(job);
  j->h = (struct ls_host *)job->host;
  j->mode = (enum ls_mode)job->action->mode;
  j->grant = j->mode == ACT_GRANT;
  j->editing = j->h->bound;
  if (j->mode == ACT_REMOVE_ASK || j->mode == ACT_REMOVE)
    return begin_remove(j);
  if (!read_answers(j, answers)) {
    if (!job->failed)
      app_job_fail(job, WIZ_OUTCOME_INVALID);
    return false;
  }
  if (!app_ctx_identity(j->h->base.app)) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "Nobody is signed in",
                   app_ctx_signin_problem(j->h->base.app), NULL, NULL);
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
  if (store_actor_role(s) >= STORE_ROLE_CONTRIBUTOR)
    return APP_OK;
  strbuf_puts(why, "You are a viewer of this store and cannot change linked services; "
                   "administrators and contributors can.");
  return APP_DENIED;
}

static void ls_finish(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
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
  struct ls_job *j = ls_of(job);
  bool sent = !job->dry_run;
  const char *what =
      j->delete_sent && sent ? "The removal had been sent: Synapse may still finish it. Check with "
                               "synwiz linked-service list; its store record stays."
      : j->put_sent && sent && j->editing
          ? "The update had been sent: Synapse may still finish it. Check with "
            "synwiz linked-service show; the store record was not updated."
      : j->put_sent && sent ? "The create had been sent: Synapse may still finish it. Check with "
                              "synwiz linked-service list; nothing was recorded in the store."
      : j->granted          ? "The role granted before stays granted; nothing else was changed."
                            : "Nothing was changed.";
  wiz_report_add(job->r, WIZ_FINDING_INFO, "Cancelled", what, NULL, NULL);
  if (j->mode != ACT_REMOVE && j->mode != ACT_REMOVE_ASK)
    wiz_report_add_followup(job->r, "linked_service_test", "Test again");
}

static void ls_job_done(struct app_job *job)
{
  struct ls_job *j = ls_of(job);
  az_guest_delete(j->guest);
  app_workspace_ref_done(&j->ws);
  char *strs[] = { j->name,      j->runtime,         j->runtime_type, j->ml_sub,
                   j->ml_rg,     j->ml_ws,           j->ml_id,        j->client_id,
                   j->tenant,    j->kv_ls,           j->secret_name,  j->secret_version,
                   j->principal, j->principal_label, j->spark_pools,  j->title,
                   j->role_name };
  for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
    free(strs[i]);
  xfree_secret(j->secret);
  json_decref(j->assignments);
  json_decref(j->sent);
}

static const struct app_job_class ls_jobs = {
  sizeof(struct ls_job), ls_steps, ls_begin, ls_may_write, ls_finish, ls_cancelled, ls_job_done,
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

static const struct wiz_host_ops ls_ops = {
  app_host_start_load,   app_host_cancel_load, ls_check,       app_job_start_action,
  app_job_cancel_action, app_host_wait,        app_host_value, NULL,
};

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
  h->base.host.ops = &ls_ops;
  h->base.host.ctx = h;
  return &h->base;
}
