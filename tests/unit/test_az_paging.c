/* Paging state machines: nextLink followed verbatim (ARM, Synapse), x-ms-continuation
 * (Synapse RBAC), continuationToken in the body (run queries), a bare array (Synapse role
 * definitions), the blob list's NextMarker, and the guards against endless paging. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "support/az_fake.h"
#include "azure/az_arm.h"
#include "azure/az_blob.h"
#include "azure/az_client.h"
#include "azure/az_synapse.h"
#include "util/xalloc.h"

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

static const char *item_name(json_t *result, size_t i)
{
  json_t *v = json_object_get(result, "value");
  return json_string_value(json_object_get(json_array_get(v, i), "name"));
}

static void next_link_is_followed_verbatim(void **state)
{
  struct fixture *fx = *state;
  azfake_push(
      fx->fake, 200, NULL,
      "{\"value\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"nextLink\":\"https://management.azure"
      ".com/subscriptions/s/providers/Microsoft.Synapse/workspaces?api-version=2021-06-01&"
      "%24skiptoken=AbC%3D%3D\"}");
  azfake_push(fx->fake, 200, NULL,
              "{\"value\":[{\"name\":\"c\"}],\"nextLink\":\"https://management.azure.com/next2\"}");
  azfake_push(fx->fake, 200, NULL, "{\"value\":[{\"name\":\"d\"}],\"nextLink\":null}");
  struct az_call *call = az_arm_list_workspaces(fx->client, "s");
  assert_int_equal(az_call_wait(call), AZ_OK);
  json_t *r = az_call_json(call);
  assert_int_equal(json_array_size(json_object_get(r, "value")), 4);
  assert_string_equal(item_name(r, 0), "a");
  assert_string_equal(item_name(r, 3), "d");
  assert_string_equal(azfake_request(fx->fake, 1)->url,
                      "https://management.azure.com/subscriptions/s/providers/Microsoft.Synapse/"
                      "workspaces?api-version=2021-06-01");
  assert_string_equal(azfake_request(fx->fake, 2)->url,
                      "https://management.azure.com/subscriptions/s/providers/Microsoft.Synapse/"
                      "workspaces?api-version=2021-06-01&%24skiptoken=AbC%3D%3D");
  assert_string_equal(azfake_request(fx->fake, 3)->url, "https://management.azure.com/next2");
  az_call_delete(call);
}

static void repeated_next_link_stops(void **state)
{
  struct fixture *fx = *state;
  for (int i = 0; i < 4; i++)
    azfake_push(
        fx->fake, 200, NULL,
        "{\"value\":[{\"name\":\"x\"}],\"nextLink\":\"https://management.azure.com/again\"}");
  struct az_call *call = az_arm_list_subscriptions(fx->client);
  assert_int_equal(az_call_wait(call), AZ_E_BAD_RESPONSE);
  assert_int_equal(azfake_count(fx->fake), 3); /* token, page 1, page 2, then stop */
  az_call_delete(call);
}

static void a_failing_page_fails_the_list(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 200, NULL,
              "{\"value\":[{\"name\":\"x\"}],\"nextLink\":\"https://management.azure.com/p2\"}");
  azfake_push(fx->fake, 403, NULL,
              "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"m\"}}");
  struct az_call *call = az_arm_list_subscriptions(fx->client);
  assert_int_equal(az_call_wait(call), AZ_E_FORBIDDEN);
  assert_string_equal(az_call_error(call)->code, "AuthorizationFailed");
  az_call_delete(call);
}

static void rbac_continuation_header(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 200, "x-ms-continuation: cont-1",
              "{\"count\":1,\"value\":[{\"id\":\"r1\"}]}");
  azfake_push(fx->fake, 200, NULL, "{\"count\":1,\"value\":[{\"id\":\"r2\"}]}");
  struct az_call *call = az_synapse_list_role_assignments(fx->client, "ws1", NULL, "p-1", NULL);
  assert_int_equal(az_call_wait(call), AZ_OK);
  json_t *v = json_object_get(az_call_json(call), "value");
  assert_int_equal(json_array_size(v), 2);
  const struct azfake_record *p1 = azfake_request(fx->fake, 1);
  const struct azfake_record *p2 = azfake_request(fx->fake, 2);
  assert_string_equal(p1->url, "https://ws1.dev.azuresynapse.net/roleAssignments?api-version="
                               "2020-12-01&principalId=p-1");
  assert_null(az_headers_get(&p1->headers, "x-ms-continuation"));
  assert_string_equal(p2->url, p1->url);
  assert_string_equal(az_headers_get(&p2->headers, "x-ms-continuation"), "cont-1");
  assert_non_null(strstr(azfake_request(fx->fake, 0)->body, "dev.azuresynapse.net"));
  az_call_delete(call);
}

static void body_continuation_token(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 200, NULL,
              "{\"value\":[{\"activityName\":\"a1\"}],\"continuationToken\":\"ct-9\"}");
  azfake_push(fx->fake, 200, NULL, "{\"value\":[{\"activityName\":\"a2\"}]}");
  struct az_call *call = az_synapse_query_activity_runs(
      fx->client, "ws1", "Score", "run-1", "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z");
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_int_equal(json_array_size(json_object_get(az_call_json(call), "value")), 2);
  const struct azfake_record *p1 = azfake_request(fx->fake, 1);
  const struct azfake_record *p2 = azfake_request(fx->fake, 2);
  assert_string_equal(p1->method, "POST");
  assert_string_equal(p1->url, "https://ws1.dev.azuresynapse.net/pipelines/Score/pipelineruns/"
                               "run-1/queryActivityruns?api-version=2020-12-01");
  json_t *b1 = json_loads(p1->body, 0, NULL);
  json_t *b2 = json_loads(p2->body, 0, NULL);
  assert_string_equal(json_string_value(json_object_get(b1, "lastUpdatedAfter")),
                      "2025-01-01T00:00:00Z");
  assert_null(json_object_get(b1, "continuationToken"));
  assert_string_equal(json_string_value(json_object_get(b2, "continuationToken")), "ct-9");
  json_decref(b1);
  json_decref(b2);
  az_call_delete(call);
}

static void bare_array_is_wrapped(void **state)
{
  struct fixture *fx = *state;
  azfake_push(
      fx->fake, 200, NULL,
      "[{\"id\":\"6e4bf58a-b8e1-4cc3-bbf9-d73143322b78\",\"name\":\"Synapse Administrator\"}]");
  struct az_call *call = az_synapse_list_role_definitions(fx->client, "ws1");
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_string_equal(item_name(az_call_json(call), 0), "Synapse Administrator");
  az_call_delete(call);
}

static void blob_list_follows_next_marker(void **state)
{
  struct fixture *fx = *state;
  struct az_storage_account *acct = NULL;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(
      az_storage_account_new("acct", NULL, NULL, az_client_cloud(fx->client), &acct, &err), AZ_OK);
  azfake_push(fx->fake, 200, NULL,
              "<?xml version=\"1.0\"?><EnumerationResults><Blobs><Blob><Name>in/a&amp;b.csv</Name>"
              "<Properties><Content-Length>12</Content-Length><Content-Type>text/csv</Content-Type>"
              "</Properties></Blob></Blobs><NextMarker>m2</NextMarker></EnumerationResults>");
  azfake_push(fx->fake, 200, NULL,
              "<?xml version=\"1.0\"?><EnumerationResults><Blobs><Blob><Name>in/c.csv</Name>"
              "<Properties><Content-Length>3</Content-Length></Properties></Blob></Blobs>"
              "<NextMarker /></EnumerationResults>");
  struct az_call *call = az_blob_list(fx->client, acct, "raw", "in/");
  assert_int_equal(az_call_wait(call), AZ_OK);
  json_t *r = az_call_json(call);
  assert_string_equal(item_name(r, 0), "in/a&b.csv");
  assert_int_equal(
      json_integer_value(json_object_get(json_array_get(json_object_get(r, "value"), 0), "size")),
      12);
  assert_string_equal(item_name(r, 1), "in/c.csv");
  assert_string_equal(
      azfake_request(fx->fake, 1)->url,
      "https://acct.blob.core.windows.net/raw?restype=container&comp=list&prefix=in%2F");
  assert_string_equal(
      azfake_request(fx->fake, 2)->url,
      "https://acct.blob.core.windows.net/raw?restype=container&comp=list&prefix=in%2F"
      "&marker=m2");
  assert_string_equal(az_headers_get(&azfake_request(fx->fake, 1)->headers, "x-ms-version"),
                      "2021-12-02");
  az_call_delete(call);
  az_storage_account_delete(acct);
  az_error_done(&err);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(next_link_is_followed_verbatim, setup, teardown),
    cmocka_unit_test_setup_teardown(repeated_next_link_stops, setup, teardown),
    cmocka_unit_test_setup_teardown(a_failing_page_fails_the_list, setup, teardown),
    cmocka_unit_test_setup_teardown(rbac_continuation_header, setup, teardown),
    cmocka_unit_test_setup_teardown(body_continuation_token, setup, teardown),
    cmocka_unit_test_setup_teardown(bare_array_is_wrapped, setup, teardown),
    cmocka_unit_test_setup_teardown(blob_list_follows_next_marker, setup, teardown),
  };
  return cmocka_run_group_tests_name("az_paging", tests, NULL, NULL);
}
