/* Microsoft Graph in the Azure client (issue 6): the cloud profiles' microsoft_graph and
 * graph_scope keys, the Graph reads (method, URL, filter encoding, refusals before sending),
 * and the guest identity of Test connection: a one-off client-credentials token that is
 * sent only with the guest's calls, reused, never given to the client's own calls, never
 * written to the log, and a wrong secret reported with Entra's code and the hint. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "support/az_fake.h"
#include "azure/az_arm.h"
#include "azure/az_client.h"
#include "azure/az_cloud.h"
#include "azure/az_graph.h"
#include "azure/az_guest.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/xalloc.h"

#define SP_SECRET "Zq8~guest-secret-value-42"
#define SP_ID     "e7e75694-8d04-4783-ab69-b76b328a2756"

static void graph_in_profiles(void **state)
{
  (void)state;
  static const struct {
    const char *cloud, *graph;
  } builtins[] = {
    { "AzureCloud", "https://graph.microsoft.com" },
    { "AzureChinaCloud", "https://microsoftgraph.chinacloudapi.cn" },
    { "AzureUSGovernment", "https://graph.microsoft.us" },
  };
  for (size_t i = 0; i < 3; i++) {
    struct az_cloud *c = az_cloud_builtin(builtins[i].cloud);
    assert_string_equal(c->microsoft_graph, builtins[i].graph);
    char *scope = xasprintf("%s/.default", builtins[i].graph);
    assert_string_equal(c->graph_scope, scope);
    char *url = xasprintf("%s/v1.0/servicePrincipals/x", builtins[i].graph);
    assert_string_equal(az_cloud_scope_for_url(c, url), scope);
    struct az_cloud *copy = az_cloud_copy(c);
    assert_string_equal(copy->graph_scope, scope);
    az_cloud_delete(copy);
    free(url);
    free(scope);
    az_cloud_delete(c);
  }
  /* The sandbox names its own host and the public Graph audience. */
  char *dir = azfake_tempdir();
  char *file = paths_join(dir, "p.json");
  const char *p = "{\"name\":\"sandbox\",\"authority\":\"https://login.sandbox.localhost:1\","
                  "\"resource_manager\":\"https://management.sandbox.localhost:1\","
                  "\"arm_scope\":\"https://management.azure.com/.default\","
                  "\"synapse_dev_suffix\":\"dev.sandbox.localhost\",\"synapse_scope\":\"s\","
                  "\"storage_suffix\":\"sandbox.localhost\",\"storage_scope\":\"t\","
                  "\"microsoft_graph\":\"https://graph.sandbox.localhost:1/\","
                  "\"graph_scope\":\"https://graph.microsoft.com/.default\"}";
  assert_int_equal(fs_write_atomic(file, p, strlen(p), 0600), 0);
  struct az_cloud *c = NULL;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_cloud_load_file(file, &c, &err), AZ_OK);
  assert_string_equal(c->microsoft_graph, "https://graph.sandbox.localhost:1");
  assert_string_equal(
      az_cloud_scope_for_url(c, "https://graph.sandbox.localhost:1/v1.0/applications/x"),
      "https://graph.microsoft.com/.default");
  az_cloud_delete(c);
  /* Without graph_scope, the endpoint's own .default; without either, no Graph. */
  const char *q = "{\"name\":\"x\",\"authority\":\"https://a\",\"resource_manager\":\"https://m\","
                  "\"arm_scope\":\"m\",\"synapse_dev_suffix\":\"d\",\"synapse_scope\":\"s\","
                  "\"storage_suffix\":\"st\",\"storage_scope\":\"t\","
                  "\"microsoft_graph\":\"https://graph.example\"}";
  assert_int_equal(fs_write_atomic(file, q, strlen(q), 0600), 0);
  assert_int_equal(az_cloud_load_file(file, &c, &err), AZ_OK);
  assert_string_equal(c->graph_scope, "https://graph.example/.default");
  az_cloud_delete(c);
  az_error_done(&err);
  free(file);
  azfake_rmtree(dir);
  free(dir);
}

/* ---------- Graph reads ---------- */

static bool answer_graph(struct azfake *f, const struct azfake_record *req,
                         struct azfake_reply *out, void *ud)
{
  (void)f;
  (void)ud;
  out->status = 200;
  if (strstr(req->url, "/oauth2/v2.0/token"))
    out->body = azfake_token_body("user-token-1234567890", 3600);
  else
    out->body = xstrdup("{\"value\":[]}");
  return true;
}

static void graph_calls(void **state)
{
  (void)state;
  struct azfake *f = azfake_new();
  azfake_set_handler(f, answer_graph, NULL);
  struct az_client *c = azfake_client(f, "AzureCloud", azfake_secret_credential());
  typedef struct az_call *(*op)(struct az_client *, const char *);
  static const struct {
    op fn;
    const char *url;
  } cases[] = {
    { az_graph_get_service_principal, "https://graph.microsoft.com/v1.0/servicePrincipals/" SP_ID },
    { az_graph_get_application, "https://graph.microsoft.com/v1.0/applications/" SP_ID },
    { az_graph_find_service_principal,
      "https://graph.microsoft.com/v1.0/servicePrincipals?%24filter=appId%20eq%20%27" SP_ID "%27" },
    { az_graph_find_application,
      "https://graph.microsoft.com/v1.0/applications?%24filter=appId%20eq%20%27" SP_ID "%27" },
  };
  for (size_t i = 0; i < 4; i++) {
    struct az_call *call = cases[i].fn(c, SP_ID);
    assert_int_equal(az_call_wait(call), AZ_OK);
    az_call_delete(call);
    const struct azfake_record *r = azfake_request(f, azfake_count(f) - 1);
    assert_string_equal(r->method, "GET");
    if (strcmp(r->url, cases[i].url) != 0)
      fail_msg("sent %s\nwanted %s", r->url, cases[i].url);
  }
  /* The token was asked for Graph's scope. */
  const struct azfake_record *tok = azfake_request(f, 0);
  assert_non_null(strstr(tok->body, "scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"));
  /* Not a GUID: refused before anything is sent (no OData injection). */
  size_t before = azfake_count(f);
  struct az_call *bad = az_graph_find_application(c, "x' or displayName eq 'y");
  assert_int_equal(az_call_wait(bad), AZ_E_INVALID_ARG);
  az_call_delete(bad);
  assert_int_equal(azfake_count(f), before);
  assert_true(az_graph_is_guid(SP_ID));
  assert_false(az_graph_is_guid("81707eac-ab38-406u-8f6c-10ce76a568d5")); /* the quickstart's */
  az_client_delete(c);
  azfake_delete(f);
}

/* ---------- the guest identity ---------- */

struct guest_world {
  int guest_tokens, user_tokens;
};

static bool answer_guest(struct azfake *f, const struct azfake_record *req,
                         struct azfake_reply *out, void *ud)
{
  (void)f;
  struct guest_world *w = ud;
  out->status = 200;
  out->headers = xstrdup("Content-Type: application/json");
  if (strstr(req->url, "/oauth2/v2.0/token")) {
    if (strstr(req->body, "client_id=" SP_ID)) {
      w->guest_tokens++;
      if (!strstr(req->body, "client_secret=" SP_SECRET)) {
        out->status = 401;
        out->body = xstrdup("{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: "
                            "Invalid client secret provided.\",\"error_codes\":[7000215]}");
        return true;
      }
      char *t = azfake_jwt("{\"oid\":\"sp-object-id\",\"tid\":\"t2\",\"appid\":\"" SP_ID "\"}");
      out->body = azfake_token_body(t, 3600);
      free(t);
    } else {
      w->user_tokens++;
      out->body = azfake_token_body("user-token-1234567890", 3600);
    }
    return true;
  }
  out->body =
      xstrdup(strstr(req->url, "/subscriptions?") ? "{\"value\":[]}" : "{\"name\":\"ml1\"}");
  return true;
}

static void guest_one_off_token(void **state)
{
  (void)state;
  struct azfake *f = azfake_new();
  struct guest_world w = { 0 };
  azfake_set_handler(f, answer_guest, &w);
  char *dir = azfake_tempdir();
  char *log = paths_join(dir, "synwiz.log");
  struct az_client *c =
      azfake_client_opts(f, "AzureCloud", azfake_secret_credential(), log, 2, NULL);
  struct az_guest *g = az_guest_new(c, az_credential_client_secret("t2", SP_ID, SP_SECRET));
  const char *url = "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/"
                    "Microsoft.MachineLearningServices/workspaces/ml1?api-version=2024-04-01";
  for (int i = 0; i < 2; i++) {
    struct az_call *call = az_guest_request(g, "GET", url, NULL);
    if (az_call_wait(call) != AZ_OK)
      fail_msg("%s", az_call_error(call)->message);
    az_call_delete(call);
  }
  assert_int_equal(w.guest_tokens, 1); /* reused */
  const struct azfake_record *tok = azfake_request(f, 0);
  assert_string_equal(tok->url, "https://login.microsoftonline.com/t2/oauth2/v2.0/token");
  assert_non_null(strstr(tok->body, "grant_type=client_credentials"));
  assert_non_null(strstr(tok->body, "scope=https%3A%2F%2Fmanagement.azure.com%2F.default"));
  const struct azfake_record *get = azfake_request(f, 1);
  char *jwt = azfake_jwt("{\"oid\":\"sp-object-id\",\"tid\":\"t2\",\"appid\":\"" SP_ID "\"}");
  char *bearer = xasprintf("Bearer %s", jwt);
  assert_string_equal(az_headers_get(&get->headers, "Authorization"), bearer);
  assert_string_equal(az_guest_identity(g)->object_id, "sp-object-id");
  /* The client's own call gets the client's own token, not the guest's. */
  struct az_call *own = az_arm_list_subscriptions(c);
  assert_int_equal(az_call_wait(own), AZ_OK);
  az_call_delete(own);
  assert_int_equal(w.user_tokens, 1);
  const struct azfake_record *mine = azfake_request(f, azfake_count(f) - 1);
  assert_string_equal(az_headers_get(&mine->headers, "Authorization"),
                      "Bearer user-token-1234567890");
  az_guest_delete(g);
  az_client_delete(c);
  /* The log names the one-off token but holds neither the secret nor the token. */
  char *text = azfake_read_file(log);
  assert_non_null(text);
  assert_non_null(strstr(text, "one-off token"));
  assert_null(strstr(text, SP_SECRET));
  assert_null(strstr(text, jwt));
  free(text);
  free(bearer);
  free(jwt);
  free(log);
  azfake_rmtree(dir);
  free(dir);
  azfake_delete(f);
}

static void guest_wrong_secret(void **state)
{
  (void)state;
  struct azfake *f = azfake_new();
  struct guest_world w = { 0 };
  azfake_set_handler(f, answer_guest, &w);
  struct az_client *c = azfake_client(f, "AzureCloud", azfake_secret_credential());
  struct az_guest *g = az_guest_new(c, az_credential_client_secret("t2", SP_ID, "not-it"));
  struct az_call *call =
      az_guest_request(g, "GET", "https://management.azure.com/subscriptions?api-version=1", NULL);
  assert_int_equal(az_call_wait(call), AZ_E_AUTH);
  const struct az_error *e = az_call_error(call);
  assert_string_equal(e->code, "AADSTS7000215");
  assert_int_equal(e->status, 401);
  assert_non_null(e->hint);
  assert_non_null(strstr(e->hint, "client secret is wrong"));
  az_call_delete(call);
  assert_int_equal(azfake_count(f), 1); /* the ARM call was never sent */
  az_guest_delete(g);
  az_client_delete(c);
  azfake_delete(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(graph_in_profiles),
    cmocka_unit_test(graph_calls),
    cmocka_unit_test(guest_one_off_token),
    cmocka_unit_test(guest_wrong_secret),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
