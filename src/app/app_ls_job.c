#include "app/app_ls_job.h"

#include "app/app_ctx.h"
#include "app/app_host.h"
#include "app/app_ls_checks.h"
#include "azure/az_arm.h"
#include "azure/az_authz.h"
#include "azure/az_client.h"
#include "azure/az_graph.h"
#include "azure/az_guest.h"
#include "azure/az_identity.h"
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

struct app_ls_job *app_ls_of(struct app_job *job)
{
  return (struct app_ls_job *)job;
}

static struct az_client *jclient(struct app_ls_job *j)
{
  return app_ctx_client(j->base.host->app);
}

/* The workspace as the Synapse data plane is addressed. */
const char *app_ls_ws_dev(const struct app_ls_job *j)
{
  return j->ws.dev_endpoint ? j->ws.dev_endpoint : j->ws.name;
}

static const char *ml_label(const struct app_ls_job *j)
{
  return j->ml_ws ? j->ml_ws : "the Azure ML workspace";
}

/* Test connection signs in as the service principal: it has its secret. Without one (a Key
 * Vault reference, or a saved linked service whose typed secret synwiz never kept) the
 * principal is found through Graph and its role checked. */
static bool signs_in(const struct app_ls_job *j)
{
  return j->auth == APP_LS_AUTH_SERVICE_PRINCIPAL && j->key == APP_LS_KEY_SECURE_STRING &&
         j->secret;
}

/* The test passed: Test and Grant end, Save goes on to its writes. */
static int test_passed(struct app_ls_job *j)
{
  if (j->mode == ACT_SAVE)
    return S_SAVE_NAME;
  /* (A saved one tested as Synapse holds it has nothing new to save.) */
  if (!j->from_saved)
    wiz_report_add_followup(j->base.r, "linked_service_save", "Save");
  return APP_STEP_END;
}

/* ---------- the Synapse workspace ---------- */

struct az_call *app_ls_workspace_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  app_job_say(job, "Reading the Synapse workspace %s...", j->ws.name);
  return az_arm_get_workspace(jclient(j), j->ws.subscription, j->ws.resource_group, j->ws.name);
}

int app_ls_workspace_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
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

struct az_call *app_ls_pools_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  app_job_say(job, "Listing the Spark pools of %s...", j->ws.name);
  return az_arm_list_spark_pools(jclient(j), j->ws.subscription, j->ws.resource_group, j->ws.name);
}

int app_ls_pools_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
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

struct az_call *app_ls_roles_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  char *filter = xasprintf("atScope() and assignedTo('%s')", j->principal);
  app_job_say(job, "Checking the roles of %s on %s...", j->principal_label, ml_label(j));
  struct az_call *call = az_authz_list_role_assignments(jclient(j), j->ml_id, filter);
  free(filter);
  return call;
}

int app_ls_roles_read(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
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
struct az_call *app_ls_role_eval_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
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

int app_ls_role_eval_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
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
static int need_role(struct app_ls_job *j, const char *title, const char *detail)
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

int app_ls_roles_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
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

struct az_call *app_ls_may_grant_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  app_job_say(job, "Checking whether you may grant roles on %s...", ml_label(j));
  return az_authz_list_permissions(jclient(j), j->ml_id);
}

static void grant_commands(struct app_ls_job *j, const char *az_title)
{
  char *az = app_ls_grant_az_command(j->principal, j->ml_id);
  char *rest = app_ls_grant_rest_command(j->principal, j->ml_id);
  wiz_report_add(j->base.r, WIZ_FINDING_INFO, az_title, az, NULL, NULL);
  wiz_report_add(j->base.r, WIZ_FINDING_INFO, "... or with synwiz", rest, NULL, NULL);
  free(az);
  free(rest);
}

int app_ls_may_grant_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
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

struct az_call *app_ls_grant_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
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

int app_ls_grant_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
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

struct az_call *app_ls_tick_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
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

int app_ls_tick_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
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

static char *ml_url(struct app_ls_job *j, const char *tail)
{
  char *url = az_url_build(az_client_cloud(jclient(j))->resource_manager, "/{/}", j->ml_id);
  char *full = xasprintf("%s%s?api-version=%s", url ? url : "", tail ? tail : "",
                         tail ? AZ_AUTHZ_VERSION : AZ_ARM_ML_VERSION);
  free(url);
  return full;
}

struct az_call *app_ls_sp_read_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
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

int app_ls_sp_read_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
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
  const char *objid = app_ls_checks_object_id_message(j->checks, j->client_id);
  if (objid)
    strbuf_printf(&why, " %s", objid);
  wiz_report_add(job->r, WIZ_FINDING_FAIL, d.title, d.detail, NULL, why.buf);
  strbuf_done(&why);
  enum wiz_outcome o = d.outcome;
  app_ls_diagnosis_done(&d);
  /* The sign-in with the typed secret failed: the secret is the likeliest thing to fix. */
  wiz_report_add_followup(job->r, WIZ_FOLLOWUP_FIELD "secret", "Change the secret");
  wiz_report_add_followup(job->r, "linked_service_test", "Test again");
  return app_job_fail(job, o);
}

struct az_call *app_ls_sp_perms_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  app_job_say(job, "Reading the permissions of %s on %s...", j->principal_label, ml_label(j));
  char *url = ml_url(j, "/providers/Microsoft.Authorization/permissions");
  struct az_call *call = az_guest_request(j->guest, "GET", url, NULL);
  free(url);
  return call;
}

int app_ls_sp_perms_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
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

struct az_call *app_ls_kv_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  app_job_say(job, "Reading the Key Vault linked service %s...", j->kv_ls);
  return az_synapse_get_linked_service(jclient(j), app_ls_ws_dev(j), j->kv_ls);
}

int app_ls_kv_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
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

struct az_call *app_ls_sp_lookup_start(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  app_job_say(job, "Looking up the service principal of application %s...", j->client_id);
  return az_graph_find_service_principal(jclient(j), j->client_id);
}

int app_ls_sp_lookup_done(struct app_job *job, struct az_call *call)
{
  struct app_ls_job *j = app_ls_of(job);
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
  const struct az_identity *me = app_ctx_identity(j->base.host->app);
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

/* The saved linked service the host is bound to, as Synapse held it: what the home screen's
 * actions work on (their wizard shows no screen, so its pickers are never looked up). No
 * secret: a typed one is not kept, so Test connection checks the principal's role only and
 * Save cannot send it. */
bool app_ls_job_read_saved(struct app_ls_job *j, const struct app_workspace_ref *ws,
                           const struct app_ls_saved *s, bool gone)
{
  struct wiz_report *r = j->base.r;
  j->from_saved = true;
  app_workspace_ref_copy(&j->ws, ws);
  if (gone) {
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
bool app_ls_job_read_answers(struct app_ls_job *j, const struct wiz_answers *a)
{
  char *why = NULL;
  if (!app_workspace_from_answers(j->base.host->app, a, &j->ws, &why)) {
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
  return true;
}

void app_ls_job_done(struct app_job *job)
{
  struct app_ls_job *j = app_ls_of(job);
  az_guest_delete(j->guest);
  app_workspace_ref_done(&j->ws);
  char *strs[] = { j->name,      j->runtime,         j->runtime_type, j->ml_sub,
                   j->ml_rg,     j->ml_ws,           j->ml_id,        j->client_id,
                   j->tenant,    j->kv_ls,           j->secret_name,  j->secret_version,
                   j->principal, j->principal_label, j->spark_pools,  j->title,
                   j->role_name, j->put_error };
  for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
    free(strs[i]);
  xfree_secret(j->secret);
  json_decref(j->assignments);
  json_decref(j->sent);
}
