/* The prerequisites check's evaluation (src/app/doctor.c) on JSON fixtures: the seeded
 * tenant as gathered (tests/unit/support/doctor_fixtures/seeded.json), then each rule made
 * to pass and to fail by editing the facts: Owner counts for Reader but not for data
 * actions, inherited and narrower assignments, Synapse role alternatives, assignments not in
 * effect yet, network and tenant rules, and the commands for an administrator. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "support/az_fake.h"
#include "app/app_ctx.h"
#include "app/doctor.h"
#include "azure/az_authz.h"
#include "azure/az_synapse.h"
#include "util/jsonpath.h"
#include "util/xalloc.h"

#define SUB  "6512a654-3dc7-492e-ba9c-c141f77be76a"
#define DANA "d2ede023-6254-4361-9878-f37823382d46"
#define MI   "5b1c7c56-2f0e-4a57-9d4b-8f2a6c1e3d90"
#define RG   "/subscriptions/" SUB "/resourceGroups/rg-analytics"
#define SA   RG "/providers/Microsoft.Storage/storageAccounts/contosolake"
#define WS   RG "/providers/Microsoft.Synapse/workspaces/contoso-synapse"

struct fx {
  json_t *doc; /* the fixture; tests edit it */
  struct doctor_target t;
  struct doctor_caller who;
  struct doctor_findings out;
};

static const char *const fact_keys[DOCTOR_FACT_COUNT_] = {
  "workspace", "storage",    "subscriptions", "user_ra_ws",    "user_ra_sa",     "mi_ra_sa",
  "role_defs", "synapse_ra", "synapse_defs",  "user_perms_sa", "synapse_access",
};

static int setup(void **state)
{
  const char *src = getenv("SYNWIZ_SOURCE_DIR");
  char *path =
      xasprintf("%s/tests/unit/support/doctor_fixtures/seeded.json", src ? src : SYNWIZ_SOURCE_DIR);
  json_error_t e;
  struct fx *f = xcalloc(1, sizeof(*f));
  f->doc = json_load_file(path, 0, &e);
  free(path);
  assert_non_null(f->doc);
  json_t *t = json_object_get(f->doc, "target");
  doctor_target_init(&f->t);
  f->t.name = xstrdup(json_path_str(t, "name"));
  f->t.subscription_id = xstrdup(json_path_str(t, "subscription_id"));
  f->t.workspace_name = xstrdup(json_path_str(t, "workspace_name"));
  f->t.workspace_resource_group = xstrdup(json_path_str(t, "workspace_resource_group"));
  f->t.workspace_id = xstrdup(json_path_str(t, "workspace_id"));
  f->t.workspace_principal_id = xstrdup(json_path_str(t, "workspace_principal_id"));
  f->t.storage_account = xstrdup(json_path_str(t, "storage_account"));
  f->t.storage_resource_group = xstrdup(json_path_str(t, "storage_resource_group"));
  f->t.storage_account_id = xstrdup(json_path_str(t, "storage_account_id"));
  f->t.container = xstrdup(json_path_str(t, "container"));
  json_t *c = json_object_get(f->doc, "caller");
  f->who.object_id = json_path_str(c, "object_id");
  f->who.tenant_id = json_path_str(c, "tenant_id");
  f->who.principal_type = json_path_str(c, "principal_type");
  f->who.label = json_path_str(c, "label");
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fx *f = *state;
  doctor_findings_done(&f->out);
  doctor_target_done(&f->t);
  json_decref(f->doc);
  free(f);
  return 0;
}

/* Evaluate the (edited) fixture; `errors` gives facts that failed: key, status, message. */
static void run(struct fx *f)
{
  struct doctor_facts facts;
  memset(&facts, 0, sizeof(facts));
  for (int i = 0; i < DOCTOR_FACT_COUNT_; i++) {
    json_t *v = json_object_get(f->doc, fact_keys[i]);
    if (json_is_string(v)) { /* "403 message": a call that failed */
      facts.status[i] = (int)strtol(json_string_value(v), NULL, 10);
      facts.error[i] = json_string_value(v);
    } else {
      facts.json[i] = v;
    }
  }
  doctor_findings_done(&f->out);
  doctor_evaluate(&f->t, &f->who, &facts, &f->out);
}

static const struct doctor_finding *get(struct fx *f, const char *key)
{
  const struct doctor_finding *x = doctor_findings_get(&f->out, key);
  if (!x)
    fail_msg("no finding %s", key);
  return x;
}

static void expect(struct fx *f, const char *key, enum wiz_finding_status status)
{
  const struct doctor_finding *x = get(f, key);
  if (x->status != status)
    fail_msg("%s: %s, wanted %s (%s)", key, wiz_finding_status_name(x->status),
             wiz_finding_status_name(status), x->detail ? x->detail : "");
}

static bool detail_has(struct fx *f, const char *key, const char *text)
{
  const struct doctor_finding *x = get(f, key);
  return x->detail && strstr(x->detail, text);
}

/* An ARM role assignment as ARM lists it. */
static json_t *arm_ra(const char *scope, const char *role_guid, const char *principal,
                      const char *type)
{
  char *def = xasprintf("/subscriptions/" SUB "/providers/Microsoft.Authorization/"
                        "roleDefinitions/%s",
                        role_guid);
  char *id = xasprintf("%s/providers/Microsoft.Authorization/roleAssignments/x", scope);
  json_t *j = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}}", "id", id, "name", "x", "properties",
                        "roleDefinitionId", def, "principalId", principal, "principalType", type,
                        "scope", scope);
  free(def);
  free(id);
  return j;
}

static void set_list(struct fx *f, const char *key, json_t *items)
{
  json_object_set_new(f->doc, key, json_pack("{s:o}", "value", items));
}

static void set_synapse(struct fx *f, const char *role_id, const char *scope)
{
  json_t *items = json_array();
  if (role_id)
    json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", "s1",
                                           "roleDefinitionId", role_id, "principalId", DANA,
                                           "scope", scope, "principalType", "User"));
  set_list(f, "synapse_ra", items);
}

static void allow_all_synapse(struct fx *f)
{
  json_t *list = json_array();
  for (size_t i = 0; i < doctor_n_synapse_actions; i++)
    json_array_append_new(list, json_pack("{s:s, s:s}", "accessDecision", "Allowed", "actionId",
                                          doctor_synapse_actions[i]));
  json_object_set_new(f->doc, "synapse_access", json_pack("{s:o}", "accessDecisions", list));
}

/* ---- the seeded tenant ---- */

static void seeded_tenant(void **state)
{
  struct fx *f = *state;
  run(f);
  expect(f, "tenant", WIZ_FINDING_PASS);
  expect(f, "reader", WIZ_FINDING_PASS);
  assert_true(detail_has(f, "reader", "Owner (resource group rg-analytics)"));
  /* Owner is no data role: Storage Blob Data Contributor is missing for Dana... */
  expect(f, "blob_user", WIZ_FINDING_FAIL);
  const struct doctor_grant *g = get(f, "blob_user")->grant;
  assert_non_null(g);
  assert_int_equal(g->kind, DOCTOR_GRANT_ARM);
  assert_string_equal(g->role_id, AZ_ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR);
  assert_string_equal(g->scope, SA);
  assert_string_equal(g->principal_id, DANA);
  assert_string_equal(g->principal_type, "User");
  /* ...and for the workspace's identity, as a service principal */
  expect(f, "blob_workspace", WIZ_FINDING_FAIL);
  g = get(f, "blob_workspace")->grant;
  assert_string_equal(g->principal_id, MI);
  assert_string_equal(g->principal_type, "ServicePrincipal");
  assert_string_equal(g->scope, SA);
  /* Synapse Contributor is there, Synapse Credential User is not */
  expect(f, "synapse_artifacts", WIZ_FINDING_PASS);
  assert_true(detail_has(f, "synapse_artifacts", "Synapse Contributor"));
  expect(f, "synapse_credentials", WIZ_FINDING_FAIL);
  g = get(f, "synapse_credentials")->grant;
  assert_int_equal(g->kind, DOCTOR_GRANT_SYNAPSE);
  assert_string_equal(g->role_id, AZ_SYNAPSE_ROLE_CREDENTIAL_USER);
  assert_string_equal(g->scope, "workspaces/contoso-synapse");
  assert_string_equal(g->principal_type, "User");
  expect(f, "hns", WIZ_FINDING_PASS);
  expect(f, "storage_network", WIZ_FINDING_PASS);
  expect(f, "workspace_network", WIZ_FINDING_PASS);
  assert_null(doctor_findings_get(&f->out, "private_link"));
  /* every finding says why it matters and where */
  for (size_t i = 0; i < f->out.n; i++)
    assert_non_null(f->out.items[i].why);
  assert_non_null(get(f, "blob_user")->scope);
  assert_non_null(strstr(get(f, "blob_user")->scope, "contosolake"));
}

/* ---- Reader on the resource group ---- */

static void reader_rules(void **state)
{
  struct fx *f = *state;
  /* A data role at the resource group reads nothing through ARM. */
  json_t *l = json_array();
  json_array_append_new(l, arm_ra(RG, AZ_ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR, DANA, "User"));
  set_list(f, "user_ra_ws", l);
  run(f);
  expect(f, "reader", WIZ_FINDING_FAIL);
  const struct doctor_grant *g = get(f, "reader")->grant;
  assert_string_equal(g->role_id, AZ_ROLE_READER);
  assert_string_equal(g->scope, RG);
  /* An assignment on the workspace alone is below the resource group: not enough. */
  l = json_array();
  json_array_append_new(l, arm_ra(WS, AZ_ROLE_READER, DANA, "User"));
  set_list(f, "user_ra_ws", l);
  run(f);
  expect(f, "reader", WIZ_FINDING_FAIL);
  /* Contributor on the subscription is inherited and includes reading. */
  l = json_array();
  json_array_append_new(l, arm_ra("/subscriptions/" SUB, AZ_ROLE_CONTRIBUTOR, DANA, "User"));
  set_list(f, "user_ra_ws", l);
  run(f);
  expect(f, "reader", WIZ_FINDING_PASS);
  assert_true(detail_has(f, "reader", "Contributor (subscription"));
  /* Reader itself, through a group (assignedTo lists group assignments). */
  l = json_array();
  json_array_append_new(
      l, arm_ra(RG, AZ_ROLE_READER, "9c0d7b3e-0000-4000-8000-000000000001", "Group"));
  set_list(f, "user_ra_ws", l);
  run(f);
  expect(f, "reader", WIZ_FINDING_PASS);
  /* Someone else's Reader does not count. */
  l = json_array();
  json_array_append_new(l, arm_ra(RG, AZ_ROLE_READER, MI, "ServicePrincipal"));
  set_list(f, "user_ra_ws", l);
  run(f);
  expect(f, "reader", WIZ_FINDING_FAIL);
  /* Assignments that could not be read: a warning, not a failure. */
  json_object_set_new(f->doc, "user_ra_ws", json_string("403 AuthorizationFailed: no"));
  run(f);
  expect(f, "reader", WIZ_FINDING_WARN);
  assert_true(detail_has(f, "reader", "Could not be checked"));
}

/* ---- Storage Blob Data Contributor ---- */

static void blob_rules(void **state)
{
  struct fx *f = *state;
  const char *container = SA "/blobServices/default/containers/customerinsights";
  /* On the container itself. */
  json_t *l = json_array();
  json_array_append_new(l, arm_ra(container, AZ_ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR, DANA, "User"));
  set_list(f, "user_ra_sa", l);
  run(f);
  expect(f, "blob_user", WIZ_FINDING_PASS);
  /* On another container: does not cover this one. */
  l = json_array();
  json_array_append_new(l, arm_ra(SA "/blobServices/default/containers/raw",
                                  AZ_ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR, DANA, "User"));
  set_list(f, "user_ra_sa", l);
  run(f);
  expect(f, "blob_user", WIZ_FINDING_FAIL);
  /* Inherited from the subscription; Storage Blob Data Owner counts too. */
  l = json_array();
  json_array_append_new(
      l, arm_ra("/subscriptions/" SUB, AZ_ROLE_STORAGE_BLOB_DATA_OWNER, DANA, "User"));
  set_list(f, "user_ra_sa", l);
  json_object_set_new(f->doc, "user_perms_sa",
                      json_pack("{s:[{s:[], s:[], s:[s], s:[]}]}", "value", "actions", "notActions",
                                "dataActions",
                                "Microsoft.Storage/storageAccounts/blobServices/containers/"
                                "blobs/*",
                                "notDataActions"));
  run(f);
  expect(f, "blob_user", WIZ_FINDING_PASS);
  assert_true(detail_has(f, "blob_user", "Storage Blob Data Owner"));
  /* Owner and Contributor: no data actions, so no. */
  l = json_array();
  json_array_append_new(l, arm_ra(SA, AZ_ROLE_OWNER, DANA, "User"));
  json_array_append_new(l, arm_ra(SA, AZ_ROLE_CONTRIBUTOR, DANA, "User"));
  set_list(f, "user_ra_sa", l);
  run(f);
  expect(f, "blob_user", WIZ_FINDING_FAIL);
  /* The workspace's identity with the role on the account passes. */
  l = json_array();
  json_array_append_new(l,
                        arm_ra(SA, AZ_ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR, MI, "ServicePrincipal"));
  set_list(f, "mi_ra_sa", l);
  run(f);
  expect(f, "blob_workspace", WIZ_FINDING_PASS);
  /* A workspace without identity cannot pass. */
  json_object_del(json_object_get(f->doc, "workspace"), "identity");
  free(f->t.workspace_principal_id);
  f->t.workspace_principal_id = NULL;
  run(f);
  expect(f, "blob_workspace", WIZ_FINDING_FAIL);
  assert_true(detail_has(f, "blob_workspace", "no system-assigned managed identity"));
  assert_null(get(f, "blob_workspace")->grant);
}

/* Assigned, but your effective permissions do not show it yet: pending, not missing. */
static void blob_pending(void **state)
{
  struct fx *f = *state;
  json_t *l = json_array();
  json_array_append_new(l, arm_ra(SA, AZ_ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR, DANA, "User"));
  set_list(f, "user_ra_sa", l);
  run(f); /* the fixture's permissions: Owner's, no data actions */
  expect(f, "blob_user", WIZ_FINDING_WARN);
  assert_true(get(f, "blob_user")->pending);
  assert_non_null(get(f, "blob_user")->grant);
  assert_true(detail_has(f, "blob_user", "not in effect yet"));
  json_object_set_new(
      f->doc, "user_perms_sa",
      json_pack("{s:[{s:[s], s:[], s:[], s:[]}, {s:[], s:[], s:[s,s,s], s:[]}]}", "value",
                "actions", "*", "notActions", "dataActions", "notDataActions", "actions",
                "notActions", "dataActions",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
                "notDataActions"));
  run(f);
  expect(f, "blob_user", WIZ_FINDING_PASS);
  assert_false(get(f, "blob_user")->pending);
}

/* ---- Synapse RBAC ---- */

static void synapse_alternatives(void **state)
{
  struct fx *f = *state;
  allow_all_synapse(f);
  /* Synapse Administrator alone covers both. */
  set_synapse(f, AZ_SYNAPSE_ROLE_ADMINISTRATOR, "workspaces/contoso-synapse");
  run(f);
  expect(f, "synapse_artifacts", WIZ_FINDING_PASS);
  expect(f, "synapse_credentials", WIZ_FINDING_PASS);
  assert_true(detail_has(f, "synapse_credentials", "Synapse Administrator"));
  /* Synapse Artifact Publisher: artifacts yes, credentials no. */
  set_synapse(f, "05930f57-09a3-4c0d-9fa9-6d1eb91c178b", "workspaces/contoso-synapse");
  run(f);
  expect(f, "synapse_artifacts", WIZ_FINDING_PASS);
  expect(f, "synapse_credentials", WIZ_FINDING_FAIL);
  /* Synapse Credential User on the workspace identity's credential item only. */
  set_synapse(f, AZ_SYNAPSE_ROLE_CREDENTIAL_USER,
              "workspaces/contoso-synapse/credentials/WorkspaceSystemIdentity");
  run(f);
  expect(f, "synapse_credentials", WIZ_FINDING_PASS);
  expect(f, "synapse_artifacts", WIZ_FINDING_FAIL);
  assert_string_equal(get(f, "synapse_artifacts")->grant->role_id, AZ_SYNAPSE_ROLE_CONTRIBUTOR);
  /* Synapse User only: neither. */
  set_synapse(f, AZ_SYNAPSE_ROLE_USER, "workspaces/contoso-synapse");
  run(f);
  expect(f, "synapse_artifacts", WIZ_FINDING_FAIL);
  expect(f, "synapse_credentials", WIZ_FINDING_FAIL);
  /* A role on another workspace does not count. */
  set_synapse(f, AZ_SYNAPSE_ROLE_ADMINISTRATOR, "workspaces/contoso-synapse-dep");
  run(f);
  expect(f, "synapse_credentials", WIZ_FINDING_FAIL);
  /* No Synapse role at all: Synapse refuses to list (403): both missing, with grants. */
  json_object_set_new(f->doc, "synapse_ra", json_string("403 Unauthorized: no permission"));
  run(f);
  expect(f, "synapse_artifacts", WIZ_FINDING_FAIL);
  expect(f, "synapse_credentials", WIZ_FINDING_FAIL);
  assert_true(detail_has(f, "synapse_artifacts", "no Synapse role"));
  assert_non_null(get(f, "synapse_credentials")->grant);
  /* Any other failure: could not check. */
  json_object_set_new(f->doc, "synapse_ra", json_string("0 network unreachable"));
  run(f);
  expect(f, "synapse_artifacts", WIZ_FINDING_WARN);
}

static void synapse_pending(void **state)
{
  struct fx *f = *state;
  /* Credential User assigned, checkAccess (effective) still says NotAllowed. */
  json_t *items = json_array();
  json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "id", "a", "roleDefinitionId",
                                         AZ_SYNAPSE_ROLE_CONTRIBUTOR, "principalId", DANA, "scope",
                                         "workspaces/contoso-synapse"));
  json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "id", "b", "roleDefinitionId",
                                         AZ_SYNAPSE_ROLE_CREDENTIAL_USER, "principalId", DANA,
                                         "scope", "workspaces/contoso-synapse"));
  set_list(f, "synapse_ra", items);
  run(f);
  expect(f, "synapse_credentials", WIZ_FINDING_WARN);
  assert_true(get(f, "synapse_credentials")->pending);
  expect(f, "synapse_artifacts", WIZ_FINDING_PASS);
  /* API.md's recordings spell the key with a capital A: read it too. */
  json_t *dec = json_object_get(json_object_get(f->doc, "synapse_access"), "accessDecisions");
  json_object_set_new(f->doc, "synapse_access", json_pack("{s:O}", "AccessDecisions", dec));
  json_object_set_new(json_array_get(dec, 2), "accessDecision", json_string("Allowed"));
  run(f);
  expect(f, "synapse_credentials", WIZ_FINDING_PASS);
}

/* ---- storage, network, tenant ---- */

static void storage_and_network(void **state)
{
  struct fx *f = *state;
  json_t *props = json_path(f->doc, "storage.properties");
  json_object_del(props, "isHnsEnabled"); /* ARM leaves it out when false */
  run(f);
  expect(f, "hns", WIZ_FINDING_FAIL);
  json_object_set_new(props, "isHnsEnabled", json_true());
  /* A firewall without Private Link: not reachable. */
  json_object_set_new(json_object_get(props, "networkAcls"), "defaultAction", json_string("Deny"));
  run(f);
  expect(f, "storage_network", WIZ_FINDING_WARN);
  assert_true(detail_has(f, "storage_network", "will not be reachable"));
  /* Private Link chosen while public access is enabled: only works with it disabled. */
  f->t.private_link = true;
  run(f);
  expect(f, "storage_network", WIZ_FINDING_PASS);
  expect(f, "private_link", WIZ_FINDING_WARN);
  assert_true(detail_has(f, "private_link", "only works with public access disabled"));
  /* Disabled, but no approved endpoint yet. */
  json_object_set_new(props, "publicNetworkAccess", json_string("Disabled"));
  run(f);
  expect(f, "private_link", WIZ_FINDING_WARN);
  assert_true(detail_has(f, "private_link", "no approved private endpoint"));
  json_object_set_new(props, "privateEndpointConnections",
                      json_pack("[{s:{s:{s:s}}}]", "properties",
                                "privateLinkServiceConnectionState", "status", "Approved"));
  run(f);
  expect(f, "private_link", WIZ_FINDING_PASS);
  /* Public access disabled without Private Link: not reachable either. */
  f->t.private_link = false;
  run(f);
  expect(f, "storage_network", WIZ_FINDING_WARN);
  /* The storage account could not be read. */
  json_object_set_new(f->doc, "storage", json_string("404 ResourceNotFound"));
  run(f);
  expect(f, "hns", WIZ_FINDING_WARN);
}

static void workspace_and_tenant(void **state)
{
  struct fx *f = *state;
  json_t *ws = json_object_get(f->doc, "workspace");
  json_object_set_new(json_object_get(ws, "properties"), "managedVirtualNetworkSettings",
                      json_pack("{s:b}", "preventDataExfiltration", 1));
  run(f);
  expect(f, "workspace_network", WIZ_FINDING_WARN);
  assert_true(detail_has(f, "workspace_network", "Data exfiltration protection on"));
  /* Another tenant's workspace identity. */
  json_object_set_new(json_object_get(ws, "identity"), "tenantId",
                      json_string("72f988bf-86f1-41af-91ab-2d7cd011db47"));
  run(f);
  expect(f, "tenant", WIZ_FINDING_FAIL);
  assert_true(detail_has(f, "tenant", "72f988bf"));
  /* The workspace is gone. */
  json_object_set_new(f->doc, "workspace", json_string("404 ResourceNotFound: gone"));
  run(f);
  expect(f, "workspace_network", WIZ_FINDING_FAIL);
}

/* ---- who may grant, and what an administrator runs ---- */

static void may_grant(void **state)
{
  struct fx *f = *state;
  struct doctor_facts facts;
  memset(&facts, 0, sizeof(facts));
  for (int i = 0; i < DOCTOR_FACT_COUNT_; i++)
    facts.json[i] = json_object_get(f->doc, fact_keys[i]);
  /* Owner on the resource group (above the workspace): yes, though Synapse Contributor. */
  assert_true(doctor_may_grant_synapse(&f->t, &f->who, &facts));
  json_t *l = json_array();
  json_array_append_new(l, arm_ra(RG, AZ_ROLE_CONTRIBUTOR, DANA, "User"));
  set_list(f, "user_ra_ws", l);
  facts.json[DOCTOR_USER_RA_WS] = json_object_get(f->doc, "user_ra_ws");
  assert_false(doctor_may_grant_synapse(&f->t, &f->who, &facts));
  set_synapse(f, AZ_SYNAPSE_ROLE_ADMINISTRATOR, "workspaces/contoso-synapse");
  facts.json[DOCTOR_SYNAPSE_RA] = json_object_get(f->doc, "synapse_ra");
  assert_true(doctor_may_grant_synapse(&f->t, &f->who, &facts));
}

static void commands(void **state)
{
  struct fx *f = *state;
  run(f);
  char *c = doctor_grant_commands(get(f, "blob_workspace")->grant, "https://management.azure.com",
                                  "https://contoso-synapse.dev.azuresynapse.net");
  assert_non_null(strstr(c, "az role assignment create --assignee-object-id " MI
                            " --assignee-principal-type ServicePrincipal --role \"Storage Blob "
                            "Data Contributor\" --scope \"" SA "\"\n"));
  assert_non_null(strstr(c, "synwiz rest --method put --url 'https://management.azure.com" SA
                            "/providers/Microsoft.Authorization/roleAssignments/"));
  assert_non_null(strstr(c, "\"roleDefinitionId\":\"/subscriptions/" SUB
                            "/providers/Microsoft.Authorization/roleDefinitions/"
                            "ba92f5b4-2d11-453d-a403-e96b0029c9fe\",\"principalId\":\"" MI
                            "\",\"principalType\":\"ServicePrincipal\""));
  free(c);
  c = doctor_grant_commands(get(f, "synapse_credentials")->grant, NULL,
                            "https://contoso-synapse.dev.azuresynapse.net");
  assert_non_null(strstr(c, "az synapse role assignment create --workspace-name contoso-synapse "
                            "--role \"Synapse Credential User\" --assignee-object-id " DANA
                            " --assignee-principal-type User\n"));
  assert_non_null(strstr(c, "synwiz rest --method put --url "
                            "'https://contoso-synapse.dev.azuresynapse.net/roleAssignments/"));
  assert_non_null(strstr(c, "\"scope\":\"workspaces/contoso-synapse\",\"principalType\":\"User\""));
  free(c);
}

static void scopes(void **state)
{
  (void)state;
  assert_true(doctor_scope_covers(RG, SA));
  assert_true(doctor_scope_covers(RG "/", SA));
  assert_true(doctor_scope_covers("/subscriptions/" SUB "/RESOURCEGROUPS/RG-ANALYTICS", SA));
  assert_true(doctor_scope_covers("/", RG));
  assert_true(doctor_scope_covers(SA, SA));
  assert_false(doctor_scope_covers(SA, RG));
  assert_false(doctor_scope_covers(RG "-2", RG "-2x"));
  assert_false(doctor_scope_covers("/subscriptions/" SUB "/resourceGroups/rg", RG));
  assert_true(doctor_scope_covers("workspaces/w", "workspaces/w/credentials/X"));
  assert_false(doctor_scope_covers("workspaces/w", "workspaces/w2"));
  assert_false(doctor_scope_covers(NULL, RG));
}

/* ---- the run on the fake transport: grant, then wait on simulated time ---- */

struct world {
  bool granted_user, granted_mi;
  int64_t effective_at; /* simulated ms at which the grant takes effect; -1 never */
  int gathers;
  char *statuses; /* every progress line, joined */
};

static struct world W;

#define ARMH      "https://management.azure.com"
#define DEV       "https://contoso-synapse.dev.azuresynapse.net"
#define DEF_ID(g) "/subscriptions/" SUB "/providers/Microsoft.Authorization/roleDefinitions/" g
#define RA(scope, g, who, type)                                                       \
  "{\"properties\":{\"roleDefinitionId\":\"" DEF_ID(g) "\",\"principalId\":\"" who    \
                                                       "\",\"principalType\":\"" type \
                                                       "\",\"scope\":\"" scope "\"}}"

static bool run_answer(struct azfake *f, const struct azfake_record *req, struct azfake_reply *out,
                       void *ud)
{
  (void)ud;
  const char *u = req->url;
  bool get = strcmp(req->method, "GET") == 0;
  bool effective = W.effective_at >= 0 && azfake_now(f) >= W.effective_at;
  out->status = 200;
  out->headers = xstrdup("Content-Type: application/json");
  if (strstr(u, "/oauth2/v2.0/token")) {
    char *t = azfake_jwt("{\"oid\":\"" DANA "\",\"tid\":\"t1\",\"appid\":\"c1\"}");
    out->body = azfake_token_body(t, 3600);
    free(t);
  } else if (strstr(u, "/workspaces/contoso-synapse?")) {
    W.gathers++;
    out->body = xstrdup("{\"name\":\"contoso-synapse\",\"identity\":{\"principalId\":\"" MI
                        "\",\"tenantId\":\"t1\"},\"properties\":{}}");
  } else if (strstr(u, "/storageAccounts/contosolake?")) {
    out->body = xstrdup("{\"name\":\"contosolake\",\"properties\":{\"isHnsEnabled\":true}}");
  } else if (strstr(u, "/subscriptions?")) {
    out->body = xstrdup("{\"value\":[{\"subscriptionId\":\"" SUB "\",\"tenantId\":\"t1\"}]}");
  } else if (strncmp(u, DEV, strlen(DEV)) == 0) {
    if (strstr(u, "/roleAssignments?"))
      out->body = xstrdup("{\"count\":1,\"value\":[{\"id\":\"a\",\"roleDefinitionId\":"
                          "\"" AZ_SYNAPSE_ROLE_ADMINISTRATOR "\",\"principalId\":\"" DANA
                          "\",\"scope\":\"workspaces/contoso-synapse\"}]}");
    else if (strstr(u, "/roleDefinitions?"))
      out->body = xstrdup("[{\"id\":\"" AZ_SYNAPSE_ROLE_ADMINISTRATOR "\",\"name\":\"Synapse "
                          "Administrator\",\"permissions\":[{\"actions\":[],\"notActions\":[],"
                          "\"dataActions\":[\"Microsoft.Synapse/workspaces/*\"],"
                          "\"notDataActions\":[]}]}]");
    else
      out->body = xstrdup("{\"accessDecisions\":[{\"actionId\":\"Microsoft.Synapse/workspaces/"
                          "pipelines/write\",\"accessDecision\":\"Allowed\"},{\"actionId\":"
                          "\"Microsoft.Synapse/workspaces/databases/write\",\"accessDecision\":"
                          "\"Allowed\"},{\"actionId\":\"Microsoft.Synapse/workspaces/credentials/"
                          "useSecret/action\",\"accessDecision\":\"Allowed\"}]}");
  } else if (strstr(u, "roleAssignments?") && strstr(u, MI)) {
    out->body = xstrdup(W.granted_mi ? "{\"value\":[" RA(SA, "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
                                                         MI, "ServicePrincipal") "]}"
                                     : "{\"value\":[]}");
  } else if (strstr(u, "/workspaces/contoso-synapse/providers/Microsoft.Authorization/"
                       "roleAssignments?")) {
    out->body =
        xstrdup("{\"value\":[" RA(RG, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", DANA, "User") "]}");
  } else if (strstr(u, "roleAssignments?")) {
    out->body =
        xstrdup(W.granted_user ? "{\"value\":[" RA(RG, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", DANA,
                                                   "User") "," RA(SA,
                                                                  "ba92f5b4-2d11-453d-a403-"
                                                                  "e96b0029c9fe",
                                                                  DANA, "User") "]}"
                               : "{\"value\":[" RA(RG, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", DANA,
                                                   "User") "]}");
  } else if (strstr(u, "roleAssignments/") && !get) {
    json_t *b = json_loads(req->body, 0, NULL);
    const char *who =
        json_string_value(json_object_get(json_object_get(b, "properties"), "principalId"));
    if (who && strcmp(who, MI) == 0)
      W.granted_mi = true;
    else
      W.granted_user = true;
    json_decref(b);
    out->status = 201;
    out->body = xstrdup("{}");
  } else if (strstr(u, "roleDefinitions/8e3af657")) {
    out->body = xstrdup("{\"name\":\"8e3af657-a8ff-443c-a75c-2fe8c4bcb635\",\"properties\":{"
                        "\"roleName\":\"Owner\",\"permissions\":[{\"actions\":[\"*\"],"
                        "\"notActions\":[],\"dataActions\":[],\"notDataActions\":[]}]}}");
  } else if (strstr(u, "roleDefinitions/ba92f5b4")) {
    out->body = xstrdup("{\"name\":\"ba92f5b4-2d11-453d-a403-e96b0029c9fe\",\"properties\":{"
                        "\"roleName\":\"Storage Blob Data Contributor\",\"permissions\":[{"
                        "\"actions\":[],\"notActions\":[],\"dataActions\":[\"Microsoft.Storage/"
                        "storageAccounts/blobServices/containers/blobs/*\"],"
                        "\"notDataActions\":[]}]}}");
  } else if (strstr(u, "/permissions?")) {
    /* Your effective permissions: the data role only once it took effect. */
    out->body =
        xstrdup(W.granted_user && effective
                    ? "{\"value\":[{\"actions\":[\"*\"],\"notActions\":[],\"dataActions\":[],"
                      "\"notDataActions\":[]},{\"actions\":[],\"notActions\":[],\"dataActions\":["
                      "\"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*\"],"
                      "\"notDataActions\":[]}]}"
                    : "{\"value\":[{\"actions\":[\"*\"],\"notActions\":[],\"dataActions\":[],"
                      "\"notDataActions\":[]}]}");
  } else {
    out->status = 404;
    out->body = xstrdup("{\"error\":{\"code\":\"NotFound\",\"message\":\"not in this test\"}}");
  }
  return true;
}

static void note_status(void *ud, const struct wiz_progress *p)
{
  (void)ud;
  if (!p->status)
    return;
  char *all = xasprintf("%s%s\n", W.statuses ? W.statuses : "", p->status);
  free(W.statuses);
  W.statuses = all;
}

static void on_done(void *ud, struct doctor *d)
{
  (void)d;
  *(bool *)ud = true;
}

/* Run `doctor --fix` for the fixture's target; returns the report (outcome set). */
static struct wiz_report *fix_run(struct fx *f, struct azfake *fake, int timeout_ms,
                                  long *out_waited)
{
  char *dir = azfake_tempdir();
  char *store = xasprintf("%s/store", dir);
  struct az_client *c = azfake_client(fake, "AzureCloud", azfake_secret_credential());
  struct app_ctx_options ao = { c, store };
  struct app_ctx *app = app_ctx_new(&ao);
  f->t.workspace_dev_endpoint = xstrdup(DEV);
  bool done = false;
  struct doctor_options o = { 0 };
  o.fix = true;
  o.propagation_timeout_ms = timeout_ms;
  o.progress = note_status;
  o.done = on_done;
  o.ud = &done;
  struct doctor *d = doctor_start(app, &f->t, &o);
  assert_false(done); /* never from inside doctor_start */
  while (!done)
    app_ctx_wait(app, NULL, 0, -1);
  struct wiz_report *r = wiz_report_new("t", WIZ_OUTCOME_DONE);
  doctor_report(d, r, false);
  *out_waited = doctor_waited_ms(d);
  doctor_delete(d);
  app_ctx_delete(app);
  azfake_rmtree(dir);
  free(dir);
  free(store);
  return r;
}

static bool report_has(const struct wiz_report *r, enum wiz_finding_status st, const char *title)
{
  for (size_t i = 0; i < r->n_findings; i++) {
    if (r->findings[i].status == st && strstr(r->findings[i].title, title))
      return true;
  }
  return false;
}

/* The grant takes effect 10 s after it is made: rechecks at 2 s, 6 s, 14 s; then passes. */
static void fix_waits_for_propagation(void **state)
{
  struct fx *f = *state;
  memset(&W, 0, sizeof(W));
  struct azfake *fake = azfake_new();
  azfake_set_handler(fake, run_answer, NULL);
  W.effective_at = 10000 + azfake_now(fake);
  long waited = 0;
  struct wiz_report *r = fix_run(f, fake, 300000, &waited);
  assert_int_equal(r->outcome, WIZ_OUTCOME_DONE);
  assert_true(report_has(r, WIZ_FINDING_PASS, "Granted Storage Blob Data Contributor to you"));
  assert_true(report_has(r, WIZ_FINDING_PASS,
                         "Granted Storage Blob Data Contributor to the workspace's managed"));
  assert_true(report_has(r, WIZ_FINDING_PASS,
                         "Storage Blob Data Contributor on the storage "
                         "account (you)"));
  assert_true(report_has(r, WIZ_FINDING_INFO, "Waited 0:14"));
  assert_int_equal(waited, 14000);
  assert_int_equal(W.gathers, 5); /* the first check; again at once, at 2, 2+4=6 and 14 s */
  /* The countdown, second by second. */
  assert_non_null(strstr(W.statuses, "checking again in 2 s, giving up in 5:00."));
  assert_non_null(strstr(W.statuses, "checking again in 1 s, giving up in 4:59."));
  assert_non_null(strstr(W.statuses, "checking again in 8 s, giving up in 4:54."));
  /* principalType set on each PUT */
  size_t puts = 0;
  for (size_t i = 0; i < azfake_count(fake); i++) {
    const struct azfake_record *q = azfake_request(fake, i);
    if (strcmp(q->method, "PUT") == 0) {
      puts++;
      assert_non_null(strstr(q->body, "\"principalType\":\""));
    }
  }
  assert_int_equal(puts, 2);
  wiz_report_delete(r);
  free(W.statuses);
  azfake_delete(fake);
}

/* Never in effect: the wait is bounded, and ends with a warning, not a failure. */
static void fix_wait_is_bounded(void **state)
{
  struct fx *f = *state;
  memset(&W, 0, sizeof(W));
  W.effective_at = -1;
  struct azfake *fake = azfake_new();
  azfake_set_handler(fake, run_answer, NULL);
  int64_t t0 = azfake_now(fake);
  long waited = 0;
  struct wiz_report *r = fix_run(f, fake, 60000, &waited);
  assert_int_equal(waited, 60000);
  assert_true(azfake_now(fake) - t0 >= 60000);
  assert_true(report_has(r, WIZ_FINDING_WARN, "Gave up after waiting 1:00"));
  assert_true(report_has(r, WIZ_FINDING_WARN,
                         "Storage Blob Data Contributor on the storage "
                         "account (you)"));
  assert_int_equal(r->outcome, WIZ_OUTCOME_DONE); /* assigned, not missing */
  wiz_report_delete(r);
  free(W.statuses);
  azfake_delete(fake);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(seeded_tenant, setup, teardown),
    cmocka_unit_test_setup_teardown(reader_rules, setup, teardown),
    cmocka_unit_test_setup_teardown(blob_rules, setup, teardown),
    cmocka_unit_test_setup_teardown(blob_pending, setup, teardown),
    cmocka_unit_test_setup_teardown(synapse_alternatives, setup, teardown),
    cmocka_unit_test_setup_teardown(synapse_pending, setup, teardown),
    cmocka_unit_test_setup_teardown(storage_and_network, setup, teardown),
    cmocka_unit_test_setup_teardown(workspace_and_tenant, setup, teardown),
    cmocka_unit_test_setup_teardown(may_grant, setup, teardown),
    cmocka_unit_test_setup_teardown(commands, setup, teardown),
    cmocka_unit_test(scopes),
    cmocka_unit_test_setup_teardown(fix_waits_for_propagation, setup, teardown),
    cmocka_unit_test_setup_teardown(fix_wait_is_bounded, setup, teardown),
  };
  return cmocka_run_group_tests_name("doctor", tests, NULL, NULL);
}
