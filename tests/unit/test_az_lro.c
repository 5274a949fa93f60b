/* Long-running operations: Azure-AsyncOperation then a final GET, Location polling,
 * provisioningState, Retry-After between polls, a 200 that says {"status":"Failed"} being a
 * failure, the Synapse read-back, role-assignment replication waits, and dry runs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/az_fake.h"
#include "azure/az_arm.h"
#include "azure/az_authz.h"
#include "azure/az_client.h"
#include "azure/az_internal.h"
#include "azure/az_synapse.h"
#include "util/xalloc.h"

#define LS_URL "https://ws1.dev.azuresynapse.net/linkedservices/Lake1?api-version=2020-12-01"

struct fixture {
  struct azfake *fake;
  struct az_client *client;
};

static int setup(void **state)
{
  struct fixture *fx = xcalloc(1, sizeof(*fx));
  fx->client = azfake_signed_in_client(&fx->fake);
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

static json_t *lake(void)
{
  return json_pack("{s:s, s:{s:s}}", "type", "AzureBlobFS", "typeProperties", "url",
                   "https://lake.dfs.core.windows.net");
}

static void location_polling_then_read_back(void **state)
{
  struct fixture *fx = *state;
  azfake_push(
      fx->fake, 202,
      "Location: https://ws1.dev.azuresynapse.net/operationResults/op1?api-version=2020-12-01\n"
      "Retry-After: 3",
      "");
  azfake_push(fx->fake, 202, "Retry-After: 2", "");
  azfake_push(fx->fake, 200, NULL, "{\"name\":\"Lake1\"}");
  azfake_push(fx->fake, 200, NULL,
              "{\"name\":\"Lake1\",\"properties\":{\"type\":\"AzureBlobFS\"}}");
  struct az_call *call = az_synapse_put_linked_service(fx->client, "ws1", "Lake1", lake());
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_int_equal(azfake_count(fx->fake), 5);
  const struct azfake_record *put = azfake_request(fx->fake, 1);
  assert_string_equal(put->method, "PUT");
  assert_string_equal(put->url, LS_URL);
  assert_non_null(strstr(put->body, "\"name\":\"Lake1\""));
  assert_non_null(strstr(put->body, "AzureBlobFS"));
  assert_string_equal(
      azfake_request(fx->fake, 2)->url,
      "https://ws1.dev.azuresynapse.net/operationResults/op1?api-version=2020-12-01");
  assert_int_equal(azfake_request(fx->fake, 2)->at_ms - put->at_ms, 3000);
  assert_int_equal(azfake_request(fx->fake, 3)->at_ms - azfake_request(fx->fake, 2)->at_ms, 2000);
  assert_string_equal(azfake_request(fx->fake, 4)->method, "GET");
  assert_string_equal(azfake_request(fx->fake, 4)->url, LS_URL);
  assert_string_equal(
      json_string_value(json_object_get(json_object_get(az_call_json(call), "properties"), "type")),
      "AzureBlobFS");
  az_call_delete(call);
}

static void ok_answer_that_says_failed_is_a_failure(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 202, "Location: https://ws1.dev.azuresynapse.net/operationResults/op2", "");
  azfake_push(fx->fake, 200, "x-ms-request-id: req-9",
              "{\"status\":\"Failed\",\"error\":{\"code\":\"LinkedServiceValidationFailed\","
              "\"message\":\"no such account\"}}");
  azfake_push(fx->fake, 200, NULL, "{\"name\":\"Lake1\"}");
  struct az_call *call = az_synapse_put_linked_service(fx->client, "ws1", "Lake1", lake());
  assert_int_equal(az_call_wait(call), AZ_E_OPERATION_FAILED);
  const struct az_error *e = az_call_error(call);
  assert_int_equal(e->status, 200);
  assert_string_equal(e->code, "LinkedServiceValidationFailed");
  assert_string_equal(e->message, "no such account");
  assert_string_equal(e->request_id, "req-9");
  assert_int_equal(az_result_class(az_call_result(call)), AZ_CLASS_REFUSED);
  assert_int_equal(azfake_pending(fx->fake), 1); /* no read-back after a failure */
  az_call_delete(call);
}

/* The first answer already says Failed, with no error object: the message names the state
 * word, read from the answer before it is freed (the fuzzer found it read after). */
static void first_answer_that_says_failed_names_the_state(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 200, NULL, "{\"properties\":{\"provisioningState\":\"Canceled\"}}");
  struct az_call *call = az_synapse_put_linked_service(fx->client, "ws1", "Lake1", lake());
  assert_int_equal(az_call_wait(call), AZ_E_OPERATION_FAILED);
  assert_string_equal(az_call_error(call)->message, "the operation ended Canceled");
  az_call_delete(call);
}

static void read_back_that_finds_nothing_fails(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 200, NULL, "{\"name\":\"Lake1\"}");
  azfake_push(fx->fake, 404, NULL, "{\"code\":\"NotFound\",\"message\":\"gone\"}");
  struct az_call *call = az_synapse_put_linked_service(fx->client, "ws1", "Lake1", lake());
  assert_int_equal(az_call_wait(call), AZ_E_OPERATION_FAILED);
  assert_non_null(strstr(az_call_error(call)->message, "reading the result back"));
  az_call_delete(call);
}

static void async_operation_then_final_get(void **state)
{
  struct fixture *fx = *state;
  struct az_lro_spec spec = { 0 };
  spec.method = "PUT";
  spec.url =
      "https://management.azure.com/subscriptions/s/resourceGroups/g/providers/X/y/z?api-version=1";
  spec.body = "{}";
  spec.final_get = true;
  azfake_push(fx->fake, 201,
              "Azure-AsyncOperation: https://management.azure.com/ops/1?api-version=1\n"
              "Retry-After: 1",
              "{\"properties\":{\"provisioningState\":\"Accepted\"}}");
  azfake_push(fx->fake, 200, NULL, "{\"status\":\"InProgress\"}");
  azfake_push(fx->fake, 200, NULL, "{\"status\":\"Succeeded\"}");
  azfake_push(fx->fake, 200, NULL,
              "{\"name\":\"z\",\"properties\":{\"provisioningState\":\"Succeeded\"}}");
  struct az_call *call = az_lro_start(fx->client, &spec);
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_int_equal(azfake_count(fx->fake), 5);
  assert_string_equal(azfake_request(fx->fake, 2)->url,
                      "https://management.azure.com/ops/1?api-version=1");
  assert_int_equal(azfake_request(fx->fake, 2)->at_ms - azfake_request(fx->fake, 1)->at_ms, 1000);
  /* The second poll had no Retry-After: the default interval (5 s). */
  assert_int_equal(azfake_request(fx->fake, 3)->at_ms - azfake_request(fx->fake, 2)->at_ms, 5000);
  assert_string_equal(azfake_request(fx->fake, 4)->url, spec.url);
  assert_string_equal(json_string_value(json_object_get(az_call_json(call), "name")), "z");
  az_call_delete(call);
}

static void async_operation_failed(void **state)
{
  struct fixture *fx = *state;
  struct az_lro_spec spec = { 0 };
  spec.method = "DELETE";
  spec.url = "https://management.azure.com/x?api-version=1";
  azfake_push(fx->fake, 202, "Azure-AsyncOperation: https://management.azure.com/ops/2", "");
  azfake_push(
      fx->fake, 200, NULL,
      "{\"status\":\"Canceled\",\"error\":{\"code\":\"OperationCanceled\",\"message\":\"stop\"}}");
  struct az_call *call = az_lro_start(fx->client, &spec);
  assert_int_equal(az_call_wait(call), AZ_E_OPERATION_FAILED);
  assert_string_equal(az_call_error(call)->code, "OperationCanceled");
  az_call_delete(call);
}

static void provisioning_state_polling(void **state)
{
  struct fixture *fx = *state;
  struct az_lro_spec spec = { 0 };
  spec.method = "PUT";
  spec.url = "https://management.azure.com/r?api-version=1";
  spec.body = "{}";
  spec.poll_interval_ms = 2000;
  azfake_push(fx->fake, 201, NULL, "{\"properties\":{\"provisioningState\":\"Creating\"}}");
  azfake_push(fx->fake, 200, NULL, "{\"properties\":{\"provisioningState\":\"Updating\"}}");
  azfake_push(fx->fake, 200, NULL,
              "{\"properties\":{\"provisioningState\":\"Failed\"},"
              "\"error\":{\"code\":\"QuotaExceeded\",\"message\":\"q\"}}");
  struct az_call *call = az_lro_start(fx->client, &spec);
  assert_int_equal(az_call_wait(call), AZ_E_OPERATION_FAILED);
  assert_string_equal(az_call_error(call)->code, "QuotaExceeded");
  assert_string_equal(azfake_request(fx->fake, 2)->method, "GET");
  assert_string_equal(azfake_request(fx->fake, 2)->url, spec.url);
  assert_int_equal(azfake_request(fx->fake, 2)->at_ms - azfake_request(fx->fake, 1)->at_ms, 2000);
  az_call_delete(call);
}

static void operation_timeout(void **state)
{
  struct fixture *fx = *state;
  struct az_lro_spec spec = { 0 };
  spec.method = "PUT";
  spec.url = "https://management.azure.com/r?api-version=1";
  spec.body = "{}";
  spec.timeout_ms = 12000;
  azfake_push(fx->fake, 202, "Location: https://management.azure.com/op\nRetry-After: 5", "");
  for (int i = 0; i < 5; i++)
    azfake_push(fx->fake, 202, "Retry-After: 5", "");
  struct az_call *call = az_lro_start(fx->client, &spec);
  assert_int_equal(az_call_wait(call), AZ_E_TIMEOUT);
  assert_int_equal(azfake_count(fx->fake), 4); /* token, PUT, poll at 5 s, poll at 10 s */
  az_call_delete(call);
}

static void delete_linked_service(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 202, "Location: https://ws1.dev.azuresynapse.net/operationResults/d", "");
  azfake_push(fx->fake, 204, NULL, "");
  struct az_call *call = az_synapse_delete_linked_service(fx->client, "ws1", "Lake1");
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_string_equal(azfake_request(fx->fake, 1)->method, "DELETE");
  az_call_delete(call);
}

static void role_assignment_waits_for_replication(void **state)
{
  struct fixture *fx = *state;
  const char *nf = "{\"error\":{\"code\":\"PrincipalNotFound\",\"message\":\"Principal p1 does not "
                   "exist in the directory\"}}";
  azfake_push(fx->fake, 400, NULL, nf);
  azfake_push(fx->fake, 400, NULL, nf);
  azfake_push(fx->fake, 400, NULL, nf);
  azfake_push(fx->fake, 201, NULL, "{\"name\":\"ra\"}");
  struct az_role_assignment_spec spec = { 0 };
  spec.scope = "/subscriptions/s1/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a";
  spec.role_definition = AZ_ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR;
  spec.principal_id = "p1";
  spec.principal_type = "ServicePrincipal";
  spec.principal_wait_ms = 15000;
  struct az_call *call = az_authz_create_role_assignment(fx->client, &spec);
  assert_int_equal(az_call_wait(call), AZ_OK);
  const struct azfake_record *a = azfake_request(fx->fake, 1);
  const struct azfake_record *b = azfake_request(fx->fake, 2);
  const struct azfake_record *c = azfake_request(fx->fake, 3);
  assert_string_equal(a->method, "PUT");
  assert_string_equal(a->url, b->url); /* the same GUID every time */
  assert_string_equal(b->url, c->url);
  assert_int_equal(b->at_ms - a->at_ms, 15000);
  assert_int_equal(c->at_ms - b->at_ms, 30000);                           /* backing off */
  assert_int_equal(azfake_request(fx->fake, 4)->at_ms - c->at_ms, 60000); /* capped */
  assert_non_null(strstr(a->url,
                         "/subscriptions/s1/resourceGroups/g/providers/Microsoft.Storage/"
                         "storageAccounts/a/providers/Microsoft.Authorization/roleAssignments/"));
  json_t *body = json_loads(a->body, 0, NULL);
  json_t *props = json_object_get(body, "properties");
  assert_string_equal(json_string_value(json_object_get(props, "roleDefinitionId")),
                      "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/"
                      "ba92f5b4-2d11-453d-a403-e96b0029c9fe");
  assert_string_equal(json_string_value(json_object_get(props, "principalType")),
                      "ServicePrincipal");
  json_decref(body);
  az_call_delete(call);
}

static void existing_role_assignment_is_success(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 409, NULL,
              "{\"error\":{\"code\":\"RoleAssignmentExists\",\"message\":\"exists\"}}");
  struct az_role_assignment_spec spec = { 0 };
  spec.scope = "/subscriptions/s1";
  spec.role_definition = AZ_ROLE_READER;
  spec.principal_id = "p1";
  spec.principal_type = "User";
  struct az_call *call = az_authz_create_role_assignment(fx->client, &spec);
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_true(json_is_true(json_object_get(az_call_json(call), "alreadyExists")));
  az_call_delete(call);
}

static void dry_run_fakes_writes_and_sends_reads(void **state)
{
  struct azfake *f = azfake_new();
  azfake_set_handler(f, azfake_answer_tokens, NULL);
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  struct az_client *c =
      azfake_client_opts(f, "AzureCloud", azfake_secret_credential(), NULL, 0, out);
  azfake_push(f, 200, NULL, "{\"value\":[{\"name\":\"ws1\"}]}");
  struct az_call *list = az_arm_list_workspaces(c, "s1");
  assert_int_equal(az_call_wait(list), AZ_OK);
  json_t *props = json_pack("{s:s, s:{s:s, s:{s:s, s:s}}}", "type", "AzureMLService",
                            "typeProperties", "servicePrincipalId", "app", "servicePrincipalKey",
                            "type", "SecureString", "value", "DRY-SECRET-1");
  struct az_call *put = az_synapse_put_linked_service(c, "ws1", "ML1", props);
  assert_int_equal(az_call_wait(put), AZ_OK);
  struct az_call *run = az_synapse_create_run(c, "ws1", "Score", NULL);
  assert_int_equal(az_call_wait(run), AZ_OK);
  fflush(out);
  /* Only the list reached Azure (besides sign-in: writes still get their token, so a dry run
   * also proves the identity can sign in to each service). */
  assert_int_equal(azfake_count(f) - azfake_count_url(f, "/oauth2/"), 1);
  assert_non_null(strstr(buf, "GET https://management.azure.com/subscriptions/s1/providers/"
                              "Microsoft.Synapse/workspaces?api-version=2021-06-01\n"));
  assert_non_null(strstr(buf, "PUT https://ws1.dev.azuresynapse.net/linkedservices/ML1?api-"
                              "version=2020-12-01\n    {\"name\":\"ML1\""));
  assert_non_null(strstr(buf, "POST https://ws1.dev.azuresynapse.net/pipelines/Score/createRun"));
  assert_null(strstr(buf, "DRY-SECRET-1"));
  assert_null(strstr(buf, "oauth2")); /* sign-in traffic is not part of the printout */
  assert_string_equal(az_headers_get(az_call_headers(put), "x-synwiz-dry-run"), "true");
  az_call_delete(list);
  az_call_delete(put);
  az_call_delete(run);
  az_client_delete(c);
  azfake_delete(f);
  fclose(out);
  free(buf);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(location_polling_then_read_back, setup, teardown),
    cmocka_unit_test_setup_teardown(ok_answer_that_says_failed_is_a_failure, setup, teardown),
    cmocka_unit_test_setup_teardown(first_answer_that_says_failed_names_the_state, setup, teardown),
    cmocka_unit_test_setup_teardown(read_back_that_finds_nothing_fails, setup, teardown),
    cmocka_unit_test_setup_teardown(async_operation_then_final_get, setup, teardown),
    cmocka_unit_test_setup_teardown(async_operation_failed, setup, teardown),
    cmocka_unit_test_setup_teardown(provisioning_state_polling, setup, teardown),
    cmocka_unit_test_setup_teardown(operation_timeout, setup, teardown),
    cmocka_unit_test_setup_teardown(delete_linked_service, setup, teardown),
    cmocka_unit_test_setup_teardown(role_assignment_waits_for_replication, setup, teardown),
    cmocka_unit_test_setup_teardown(existing_role_assignment_is_success, setup, teardown),
    cmocka_unit_test(dry_run_fakes_writes_and_sends_reads),
  };
  return cmocka_run_group_tests_name("az_lro", tests, NULL, NULL);
}
