/* Every typed operation sends the method, URL, api-version and body API.md gives, names are
 * percent-encoded, and missing names fail before anything is sent; plus the permission
 * wildcard matcher and resource-id parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "support/az_fake.h"
#include "azure/az_arm.h"
#include "azure/az_authz.h"
#include "azure/az_client.h"
#include "azure/az_synapse.h"
#include "util/xalloc.h"

#define ARM "https://management.azure.com"
#define DEV "https://ws1.dev.azuresynapse.net"
#define RG  ARM "/subscriptions/s1/resourceGroups/rg1"

struct fixture {
  struct azfake *fake;
  struct az_client *client;
};

static bool answer_all(struct azfake *f, const struct azfake_record *req, struct azfake_reply *out,
                       void *ud)
{
  out->status = 200;
  if (strstr(req->url, "/oauth2/v2.0/token"))
    out->body = azfake_token_body("tok", 3600);
  else if (strstr(req->url, "roleDefinitions") && strstr(req->url, "dev.azuresynapse"))
    out->body = xstrdup("[]");
  else
    out->body = xstrdup("{\"value\":[]}");
  return true;
}

static int setup(void **state)
{
  struct fixture *fx = xcalloc(1, sizeof(*fx));
  fx->fake = azfake_new();
  azfake_set_handler(fx->fake, answer_all, NULL);
  fx->client = azfake_client(fx->fake, "AzureCloud", azfake_secret_credential());
  *state = fx;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *fx = *state;
  az_client_delete(fx->client);
  azfake_delete(fx->fake);
  free(fx);
  return 0;
}

/* Run `call`, then check the last non-token request. */
static const struct azfake_record *sent(struct fixture *fx, struct az_call *call)
{
  assert_int_equal(az_call_wait(call), AZ_OK);
  az_call_delete(call);
  const struct azfake_record *r = azfake_request(fx->fake, azfake_count(fx->fake) - 1);
  assert_null(strstr(r->url, "/oauth2/"));
  return r;
}

static void expect(struct fixture *fx, struct az_call *call, const char *method, const char *url)
{
  const struct azfake_record *r = sent(fx, call);
  if (strcmp(r->method, method) != 0 || strcmp(r->url, url) != 0)
    fail_msg("sent %s %s\nwanted %s %s", r->method, r->url, method, url);
}

static void arm_reads(void **state)
{
  struct fixture *fx = *state;
  struct az_client *c = fx->client;
  expect(fx, az_arm_list_subscriptions(c), "GET", ARM "/subscriptions?api-version=2022-12-01");
  expect(fx, az_arm_list_resource_groups(c, "s1"), "GET",
         ARM "/subscriptions/s1/resourcegroups?api-version=2021-04-01");
  expect(fx, az_arm_list_workspaces(c, "s1"), "GET",
         ARM "/subscriptions/s1/providers/Microsoft.Synapse/workspaces?api-version=2021-06-01");
  expect(fx, az_arm_list_workspaces_in_group(c, "s1", "rg1"), "GET",
         RG "/providers/Microsoft.Synapse/workspaces?api-version=2021-06-01");
  expect(fx, az_arm_get_workspace(c, "s1", "rg1", "ws1"), "GET",
         RG "/providers/Microsoft.Synapse/workspaces/ws1?api-version=2021-06-01");
  expect(fx, az_arm_list_spark_pools(c, "s1", "rg1", "ws1"), "GET",
         RG "/providers/Microsoft.Synapse/workspaces/ws1/bigDataPools?api-version=2021-06-01");
  expect(fx, az_arm_list_integration_runtimes(c, "s1", "rg1", "ws1"), "GET",
         RG
         "/providers/Microsoft.Synapse/workspaces/ws1/integrationRuntimes?api-version=2021-06-01");
  expect(fx, az_arm_get_integration_runtime_status(c, "s1", "rg1", "ws1", "OnPremisesIR"), "POST",
         RG "/providers/Microsoft.Synapse/workspaces/ws1/integrationRuntimes/OnPremisesIR/"
            "getStatus?api-version=2021-06-01");
  expect(fx, az_arm_list_storage_accounts(c, "s1"), "GET",
         ARM
         "/subscriptions/s1/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01");
  expect(fx, az_arm_get_storage_account(c, "s1", "rg1", "lake"), "GET",
         RG "/providers/Microsoft.Storage/storageAccounts/lake?api-version=2023-05-01");
  expect(fx, az_arm_list_containers(c, "s1", "rg1", "lake"), "GET",
         RG "/providers/Microsoft.Storage/storageAccounts/lake/blobServices/default/containers"
            "?api-version=2023-05-01");
  expect(fx, az_arm_list_ml_workspaces(c, "s1"), "GET",
         ARM "/subscriptions/s1/providers/Microsoft.MachineLearningServices/workspaces?api-version="
             "2024-04-01");
  expect(fx, az_arm_get_ml_workspace(c, "s1", "rg 1", "ml"), "GET",
         ARM "/subscriptions/s1/resourceGroups/rg%201/providers/Microsoft.MachineLearningServices/"
             "workspaces/ml?api-version=2024-04-01");
  const struct azfake_record *r = sent(fx, az_arm_create_container(c, "s1", "rg1", "lake", "out"));
  assert_string_equal(r->method, "PUT");
  assert_string_equal(r->url, RG "/providers/Microsoft.Storage/storageAccounts/lake/blobServices/"
                                 "default/containers/out?api-version=2023-05-01");
  assert_string_equal(r->body, "{\"properties\":{\"publicAccess\":\"None\"}}");
}

static void rbac_calls(void **state)
{
  struct fixture *fx = *state;
  struct az_client *c = fx->client;
  char *filter = az_authz_filter_principal("p1");
  expect(fx, az_authz_list_role_assignments(c, "/subscriptions/s1/resourceGroups/rg1", filter),
         "GET",
         RG "/providers/Microsoft.Authorization/roleAssignments?%24filter=principalId%20eq%20%27p1"
            "%27&api-version=2022-04-01");
  free(filter);
  expect(fx, az_authz_find_role_definition(c, "/subscriptions/s1", "Storage Blob Data Contributor"),
         "GET",
         ARM "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions?%24filter="
             "roleName%20eq%20%27Storage%20Blob%20Data%20Contributor%27&api-version=2022-04-01");
  expect(fx, az_authz_list_permissions(c, "/subscriptions/s1/resourceGroups/rg1"), "GET",
         RG "/providers/Microsoft.Authorization/permissions?api-version=2022-04-01");
  expect(fx,
         az_authz_get_role_definition(c, "/subscriptions/s1/providers/Microsoft.Authorization/"
                                         "roleDefinitions/" AZ_ROLE_READER),
         "GET",
         ARM "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/" AZ_ROLE_READER
             "?api-version=2022-04-01");
  struct az_call *bad = az_authz_get_role_definition(c, "acdd72a7");
  assert_int_equal(az_call_wait(bad), AZ_E_INVALID_ARG);
  az_call_delete(bad);
  expect(fx,
         az_authz_delete_role_assignment(
             c, "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/g1"),
         "DELETE",
         ARM "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/g1?api-version="
             "2022-04-01");
}

static void synapse_calls(void **state)
{
  struct fixture *fx = *state;
  struct az_client *c = fx->client;
  expect(fx, az_synapse_list_pipelines(c, "ws1"), "GET", DEV "/pipelines?api-version=2020-12-01");
  expect(fx, az_synapse_get_pipeline(c, "https://ws1.dev.azuresynapse.net/", "Score Churn"), "GET",
         DEV "/pipelines/Score%20Churn?api-version=2020-12-01");
  const struct azfake_record *r =
      sent(fx, az_synapse_create_run(c, "ws1", "Score", json_pack("{s:s}", "inputPath", "raw/x")));
  assert_string_equal(r->method, "POST");
  assert_string_equal(r->url, DEV "/pipelines/Score/createRun?api-version=2020-12-01");
  assert_string_equal(r->body, "{\"inputPath\":\"raw/x\"}");
  expect(fx, az_synapse_get_run(c, "ws1", "run-1"), "GET",
         DEV "/pipelineruns/run-1?api-version=2020-12-01");
  expect(fx, az_synapse_cancel_run(c, "ws1", "run-1"), "POST",
         DEV "/pipelineruns/run-1/cancel?api-version=2020-12-01");
  expect(fx, az_synapse_list_linked_services(c, "ws1"), "GET",
         DEV "/linkedservices?api-version=2020-12-01");
  expect(fx, az_synapse_get_linked_service(c, "ws1", "Lake1"), "GET",
         DEV "/linkedservices/Lake1?api-version=2020-12-01");
  expect(fx, az_synapse_list_role_definitions(c, "ws1"), "GET",
         DEV "/roleDefinitions?api-version=2020-12-01");
  r = sent(fx, az_synapse_create_role_assignment(c, "ws1", AZ_SYNAPSE_ROLE_CREDENTIAL_USER, "p1",
                                                 "User", NULL));
  assert_string_equal(r->method, "PUT");
  assert_memory_equal(r->url, DEV "/roleAssignments/", strlen(DEV "/roleAssignments/"));
  json_t *b = json_loads(r->body, 0, NULL);
  assert_string_equal(json_string_value(json_object_get(b, "roleId")),
                      AZ_SYNAPSE_ROLE_CREDENTIAL_USER);
  assert_string_equal(json_string_value(json_object_get(b, "scope")), "workspaces/ws1");
  assert_string_equal(json_string_value(json_object_get(b, "principalType")), "User");
  json_decref(b);
  static const char *const acts[] = { "Microsoft.Synapse/workspaces/read",
                                      "Microsoft.Synapse/workspaces/credentials/useSecret/action" };
  r = sent(fx, az_synapse_check_access(c, "ws1", "p1", acts, 2, NULL));
  assert_string_equal(r->method, "POST");
  assert_string_equal(r->url, DEV "/checkAccessSynapseRbac?api-version=2020-12-01");
  assert_string_equal(
      r->body, "{\"subject\":{\"principalId\":\"p1\",\"groupIds\":[]},\"actions\":[{\"id\":"
               "\"Microsoft.Synapse/workspaces/read\",\"isDataAction\":true},{\"id\":"
               "\"Microsoft.Synapse/workspaces/credentials/useSecret/action\",\"isDataAction\""
               ":true}],\"scope\":\"workspaces/ws1\"}");
  expect(fx, az_synapse_delete_role_assignment(c, "ws1", "ra-1"), "DELETE",
         DEV "/roleAssignments/ra-1?api-version=2020-12-01");
  r = sent(fx, az_synapse_create_database(c, "ws1", "lake1",
                                          "https://lake.dfs.core.windows.net/c/CDM/"));
  assert_string_equal(r->url, DEV
                      "/metastore/create-database-operations/lake1?api-version=2021-07-01-preview");
  assert_string_equal(r->body, "{\"inputFolder\":\"https://lake.dfs.core.windows.net/c/CDM/\"}");
  expect(fx, az_synapse_get_database_status(c, "ws1", "lake1"), "GET",
         DEV "/metastore/create-database-operations/lake1?api-version=2021-07-01-preview");
  expect(fx, az_synapse_delete_database(c, "ws1", "lake1"), "DELETE",
         DEV "/metastore/databases/lake1?api-version=2021-07-01-preview");
}

static void create_run_is_never_repeated(void **state)
{
  struct azfake *f = azfake_new();
  struct az_client *c = azfake_client(f, "AzureCloud", azfake_secret_credential());
  azfake_push(f, 200, NULL, "{\"access_token\":\"t\",\"expires_in\":3600}");
  azfake_push(f, 503, NULL, "");
  azfake_push(f, 202, NULL, "{\"runId\":\"r2\"}");
  struct az_call *call = az_synapse_create_run(c, "ws1", "Score", NULL);
  assert_int_equal(az_call_wait(call), AZ_E_SERVICE);
  assert_int_equal(azfake_count(f), 2);
  az_call_delete(call);
  az_client_delete(c);
  azfake_delete(f);
}

static void missing_names_fail_before_sending(void **state)
{
  struct fixture *fx = *state;
  struct az_call *calls[] = {
    az_arm_get_workspace(fx->client, "s1", NULL, "ws"),
    az_arm_list_workspaces(fx->client, ""),
    az_synapse_get_pipeline(fx->client, "ws1", ""),
    az_synapse_list_pipelines(fx->client, "Not A Workspace"),
    az_synapse_put_linked_service(fx->client, "ws1", NULL, NULL),
  };
  for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
    assert_int_equal(az_call_wait(calls[i]), AZ_E_INVALID_ARG);
    az_call_delete(calls[i]);
  }
  assert_int_equal(azfake_count(fx->fake), 0);
}

static void permission_matching(void **state)
{
  assert_true(az_authz_action_matches("*", "Microsoft.Storage/storageAccounts/read"));
  assert_true(
      az_authz_action_matches("Microsoft.Storage/*", "microsoft.storage/storageAccounts/read"));
  assert_true(az_authz_action_matches("*/read", "Microsoft.Synapse/workspaces/read"));
  assert_false(az_authz_action_matches("*/read", "Microsoft.Synapse/workspaces/write"));
  assert_true(
      az_authz_action_matches("Microsoft.Storage/storageAccounts/blobServices/containers/*",
                              "Microsoft.Storage/storageAccounts/blobServices/containers/write"));
  assert_false(
      az_authz_action_matches("Microsoft.Storage/storageAccounts/blobServices/containers/*",
                              "Microsoft.Storage/storageAccounts/listKeys/action"));
  assert_true(
      az_authz_action_matches("Microsoft.*/workspaces/*", "Microsoft.Synapse/workspaces/x/y"));
  json_t *perms = json_loads(
      "{\"value\":[{\"actions\":[\"*\"],\"notActions\":[\"Microsoft.Authorization/*/Write\","
      "\"Microsoft.Authorization/*/Delete\"],\"dataActions\":[],\"notDataActions\":[]},"
      "{\"actions\":[\"*/read\"],\"notActions\":[],\"dataActions\":[\"Microsoft.Storage/"
      "storageAccounts/blobServices/containers/blobs/*\"],\"notDataActions\":[\"Microsoft.Storage"
      "/storageAccounts/blobServices/containers/blobs/delete\"]}]}",
      0, NULL);
  assert_true(az_authz_allows(
      perms, "Microsoft.Storage/storageAccounts/blobServices/containers/write", false));
  assert_false(az_authz_allows(perms, "Microsoft.Authorization/roleAssignments/write", false));
  assert_true(az_authz_allows(perms, "Microsoft.Authorization/roleAssignments/read", false));
  assert_true(az_authz_allows(perms,
                              "Microsoft.Storage/storageAccounts/blobServices/containers/"
                              "blobs/write",
                              true));
  assert_false(az_authz_allows(perms,
                               "Microsoft.Storage/storageAccounts/blobServices/containers/"
                               "blobs/delete",
                               true));
  assert_false(az_authz_allows(json_object_get(perms, "value"), "Microsoft.Storage/x/y/z", true));
  json_decref(perms);
}

/* A delay sends nothing and ends on the client's clock; cancelled, it never ends. */
static void delay_calls_end_on_the_clock(void **state)
{
  struct fixture *fx = *state;
  int64_t t0 = azfake_now(fx->fake);
  struct az_call *d = az_call_delay(fx->client, 2500);
  assert_int_equal(az_call_wait(d), AZ_OK);
  assert_int_equal(azfake_now(fx->fake) - t0, 2500);
  assert_int_equal(azfake_count(fx->fake), 0);
  az_call_delete(d);
  struct az_call *e = az_call_delay(fx->client, 1000);
  az_call_cancel(e);
  assert_int_equal(az_call_wait(e), AZ_E_CANCELED);
  az_call_delete(e);
  az_call_delete(az_call_delay(fx->client, 1000)); /* deleted while armed */
  assert_true(az_client_idle(fx->client));
}

static void resource_ids(void **state)
{
  const char *id = "/subscriptions/s1/resourceGroups/rg-analytics/providers/Microsoft.Synapse/"
                   "workspaces/contoso-synapse";
  char *s = az_arm_id_part(id, "subscriptions");
  char *g = az_arm_id_part(id, "resourcegroups");
  char *w = az_arm_id_part(id, "workspaces");
  assert_string_equal(s, "s1");
  assert_string_equal(g, "rg-analytics");
  assert_string_equal(w, "contoso-synapse");
  assert_null(az_arm_id_part(id, "storageAccounts"));
  free(s);
  free(g);
  free(w);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(arm_reads, setup, teardown),
    cmocka_unit_test_setup_teardown(rbac_calls, setup, teardown),
    cmocka_unit_test_setup_teardown(synapse_calls, setup, teardown),
    cmocka_unit_test(create_run_is_never_repeated),
    cmocka_unit_test_setup_teardown(missing_names_fail_before_sending, setup, teardown),
    cmocka_unit_test(permission_matching),
    cmocka_unit_test(resource_ids),
    cmocka_unit_test_setup_teardown(delay_calls_end_on_the_clock, setup, teardown),
  };
  return cmocka_run_group_tests_name("az_ops", tests, NULL, NULL);
}
