/* Signing in: the device-code flow (pending, slow_down, expiry, decline, bad code) in
 * simulated time; service principal and managed identity sign-ins; the token cache (0600,
 * atomic, survives a restart, never holds a service principal's secret); logout. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/az_fake.h"
#include "azure/az_client.h"
#include "azure/az_login.h"
#include "azure/az_session.h"
#include "azure/az_token_cache.h"
#include "util/paths.h"
#include "util/xalloc.h"

#define USER_CLAIMS                                                                        \
  "{\"oid\":\"11111111-2222-3333-4444-555555555555\",\"tid\":\"tenant-9\",\"upn\":\"dana@" \
  "contoso.onmicrosoft.com\",\"name\":\"Dana Demo\"}"

struct fixture {
  struct azfake *fake;
  struct az_client *client;
  char *home;
  char *cache;
  /* what the device-code token endpoint says, one word per poll */
  const char *const *script;
  size_t polls;
  int code_lifetime;
  char *user_token;
  int codes_shown;
  char shown_code[32];
};

static bool entra(struct azfake *f, const struct azfake_record *req, struct azfake_reply *out,
                  void *ud)
{
  struct fixture *fx = ud;
  out->headers = xstrdup("Content-Type: application/json");
  if (strstr(req->url, "/oauth2/v2.0/devicecode")) {
    out->status = 200;
    out->body =
        xasprintf("{\"device_code\":\"DEVICE-CODE-SECRET-1\",\"user_code\":\"ABCD1234\","
                  "\"verification_uri\":\"https://microsoft.com/devicelogin\",\"expires_in\""
                  ":%d,\"interval\":5,\"message\":\"To sign in, enter ABCD1234.\"}",
                  fx->code_lifetime);
    return true;
  }
  if (strstr(req->url, "/oauth2/v2.0/token") && strstr(req->body, "device_code")) {
    const char *word = fx->script[fx->polls] ? fx->script[fx->polls] : "authorization_pending";
    if (fx->script[fx->polls])
      fx->polls++;
    if (strcmp(word, "ok") == 0) {
      out->status = 200;
      out->body =
          xasprintf("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"%s\","
                    "\"refresh_token\":\"REFRESH-TOKEN-SECRET-1\"}",
                    fx->user_token);
    } else {
      out->status = 400;
      out->body =
          xasprintf("{\"error\":\"%s\",\"error_description\":\"AADSTS70016: %s\"}", word, word);
    }
    return true;
  }
  if (strstr(req->url, "/oauth2/v2.0/token") || strstr(req->url, "/metadata/identity") ||
      strstr(req->url, "/msi/token")) {
    out->status = 200;
    char *tok =
        azfake_jwt("{\"oid\":\"sp-object-1\",\"tid\":\"tenant-9\",\"appid\":\"app-from-token\"}");
    out->body = azfake_token_body(tok, 3600);
    free(tok);
    return true;
  }
  free(out->headers);
  out->headers = NULL;
  return false;
}

static int setup(void **state)
{
  struct fixture *fx = xcalloc(1, sizeof(*fx));
  fx->home = azfake_tempdir();
  char *cfg = paths_join(fx->home, "config");
  char *st = paths_join(fx->home, "state");
  setenv("XDG_CONFIG_HOME", cfg, 1);
  setenv("XDG_STATE_HOME", st, 1);
  free(cfg);
  free(st);
  fx->cache = paths_join(fx->home, "state/synwiz/tokens.json");
  fx->fake = azfake_new();
  fx->code_lifetime = 900;
  fx->user_token = azfake_jwt(USER_CLAIMS);
  azfake_set_handler(fx->fake, entra, fx);
  struct az_client_options o;
  az_client_options_default(&o);
  o.cloud = az_cloud_builtin("AzureCloud");
  o.transport = azfake_transport(fx->fake);
  o.clock = azfake_clock(fx->fake);
  o.log_path = "";
  o.token_cache_path = fx->cache;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_client_new(&o, &fx->client, &err), AZ_OK);
  az_error_done(&err);
  *state = fx;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *fx = *state;
  az_client_delete(fx->client);
  azfake_delete(fx->fake);
  free(fx->user_token);
  free(fx->cache);
  azfake_rmtree(fx->home);
  free(fx->home);
  free(fx);
  unsetenv("IDENTITY_ENDPOINT");
  unsetenv("IDENTITY_HEADER");
  return 0;
}

static void show(const struct az_device_code *dc, void *ud)
{
  struct fixture *fx = ud;
  fx->codes_shown++;
  snprintf(fx->shown_code, sizeof(fx->shown_code), "%s", dc->user_code);
}

static size_t token_poll(struct fixture *fx, size_t n)
{
  /* index of the n-th device-code poll among the recorded requests */
  for (size_t i = 0, seen = 0; i < azfake_count(fx->fake); i++) {
    const struct azfake_record *r = azfake_request(fx->fake, i);
    if (strstr(r->url, "/token") && r->body && strstr(r->body, "device_code") && seen++ == n)
      return i;
  }
  fail_msg("no poll %zu", n);
  return 0;
}

static void device_code_sign_in(void **state)
{
  struct fixture *fx = *state;
  static const char *const script[] = { "authorization_pending", "slow_down",
                                        "authorization_pending", "ok", NULL };
  fx->script = script;
  struct az_call *call = az_login_device_code(fx->client, NULL, "public-app", show, fx);
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_int_equal(fx->codes_shown, 1);
  assert_string_equal(fx->shown_code, "ABCD1234");
  const struct azfake_record *dc = azfake_request(fx->fake, 0);
  assert_string_equal(dc->url,
                      "https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode");
  assert_non_null(strstr(dc->body, "client_id=public-app"));
  assert_non_null(strstr(dc->body, "offline_access"));
  /* Polls at the server's interval; slow_down adds 5 seconds from then on. */
  assert_int_equal(azfake_request(fx->fake, token_poll(fx, 0))->at_ms - dc->at_ms, 5000);
  assert_int_equal(azfake_request(fx->fake, token_poll(fx, 1))->at_ms -
                       azfake_request(fx->fake, token_poll(fx, 0))->at_ms,
                   5000);
  assert_int_equal(azfake_request(fx->fake, token_poll(fx, 2))->at_ms -
                       azfake_request(fx->fake, token_poll(fx, 1))->at_ms,
                   10000);
  assert_int_equal(azfake_request(fx->fake, token_poll(fx, 3))->at_ms -
                       azfake_request(fx->fake, token_poll(fx, 2))->at_ms,
                   10000);
  const struct az_identity *id = az_client_identity(fx->client);
  assert_int_equal(id->kind, AZ_IDENTITY_USER);
  assert_string_equal(id->object_id, "11111111-2222-3333-4444-555555555555");
  assert_string_equal(id->tenant_id, "tenant-9");
  assert_string_equal(id->username, "dana@contoso.onmicrosoft.com");
  assert_string_equal(id->display_name, "Dana Demo");
  json_t *j = az_call_json(call);
  assert_string_equal(json_string_value(json_object_get(j, "type")), "user");
  az_call_delete(call);

  /* The cache: 0600, current account, refresh token, the ARM token. */
  struct stat st;
  assert_int_equal(stat(fx->cache, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  char *text = azfake_read_file(fx->cache);
  assert_non_null(strstr(text, "REFRESH-TOKEN-SECRET-1"));
  assert_non_null(strstr(text, "https://management.azure.com/.default"));
  assert_null(strstr(text, "DEVICE-CODE-SECRET-1"));
  free(text);
  char *cfg = paths_join(getenv("XDG_CONFIG_HOME"), "synwiz/config.json");
  text = azfake_read_file(cfg);
  assert_non_null(strstr(text, "\"cloud\": \"AzureCloud\""));
  free(text);
  free(cfg);

  /* A later run (a new session on the same cache) is signed in and reuses the token. */
  struct azfake *f2 = azfake_new();
  struct az_session_options so = { 0 };
  so.cloud = "AzureCloud";
  so.log_path = "";
  so.token_cache_path = fx->cache;
  so.transport = azfake_transport(f2);
  so.clock = azfake_clock(f2);
  struct az_client *c2 = NULL;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_session_open(&so, &c2, &err), AZ_OK);
  id = az_client_identity(c2);
  assert_int_equal(id->kind, AZ_IDENTITY_USER);
  assert_string_equal(id->object_id, "11111111-2222-3333-4444-555555555555");
  assert_string_equal(id->source, "token cache");
  azfake_push(f2, 200, NULL, "{\"value\":[]}");
  struct az_call *list =
      az_call_request(c2, "GET", "https://management.azure.com/subscriptions", NULL, NULL);
  assert_int_equal(az_call_wait(list), AZ_OK);
  assert_int_equal(azfake_count(f2), 1); /* no token request: the cached one is fresh */
  char *bearer = xasprintf("Bearer %s", fx->user_token);
  assert_string_equal(az_headers_get(&azfake_request(f2, 0)->headers, "Authorization"), bearer);
  free(bearer);
  az_call_delete(list);
  /* A scope never asked for is got with the refresh token. */
  azfake_push(f2, 200, NULL,
              "{\"access_token\":\"syn\",\"expires_in\":3600,\"refresh_token\":"
              "\"REFRESH-TOKEN-SECRET-2\"}");
  azfake_push(f2, 200, NULL, "{\"value\":[]}");
  list = az_call_request(c2, "GET", "https://ws.dev.azuresynapse.net/pipelines", NULL, NULL);
  assert_int_equal(az_call_wait(list), AZ_OK);
  assert_non_null(strstr(azfake_request(f2, 1)->body, "refresh_token=REFRESH-TOKEN-SECRET-1"));
  assert_string_equal(azfake_request(f2, 1)->url,
                      "https://login.microsoftonline.com/tenant-9/oauth2/v2.0/token");
  az_call_delete(list);
  az_client_delete(c2);
  azfake_delete(f2);
  text = azfake_read_file(fx->cache);
  assert_non_null(strstr(text, "REFRESH-TOKEN-SECRET-2")); /* rotated and kept */
  assert_null(strstr(text, "REFRESH-TOKEN-SECRET-1"));
  free(text);

  /* Logout erases it all. */
  assert_int_equal(az_logout(fx->cache), AZ_OK);
  assert_int_not_equal(access(fx->cache, F_OK), 0);
  assert_int_equal(az_logout(fx->cache), AZ_OK);
  az_error_done(&err);
}

static enum az_result device_outcome(struct fixture *fx, const char *const *script,
                                     const char **code)
{
  fx->script = script;
  struct az_call *call = az_login_device_code(fx->client, "tenant-9", NULL, show, fx);
  enum az_result r = az_call_wait(call);
  static char last_code[64];
  snprintf(last_code, sizeof(last_code), "%s",
           az_call_error(call)->hint ? az_call_error(call)->hint : "");
  *code = last_code;
  az_call_delete(call);
  return r;
}

static void device_code_failures(void **state)
{
  struct fixture *fx = *state;
  const char *hint;
  static const char *const expired[] = { "authorization_pending", "expired_token", NULL };
  assert_int_equal(device_outcome(fx, expired, &hint), AZ_E_CODE_EXPIRED);
  assert_non_null(strstr(hint, "in time"));
  fx->polls = 0;
  static const char *const declined[] = { "authorization_declined", NULL };
  assert_int_equal(device_outcome(fx, declined, &hint), AZ_E_DECLINED);
  fx->polls = 0;
  static const char *const bad[] = { "bad_verification_code", NULL };
  assert_int_equal(device_outcome(fx, bad, &hint), AZ_E_AUTH);
  assert_int_equal(az_client_identity(fx->client)->kind, AZ_IDENTITY_NONE);
  assert_int_not_equal(access(fx->cache, F_OK), 0); /* nothing was cached */
  /* The code's own lifetime runs out while the user does nothing. */
  fx->polls = 0;
  fx->code_lifetime = 12;
  static const char *const forever[] = { NULL };
  size_t before = azfake_count(fx->fake);
  assert_int_equal(device_outcome(fx, forever, &hint), AZ_E_CODE_EXPIRED);
  assert_int_equal(azfake_count(fx->fake) - before, 3); /* the code request and polls at 5, 10 s */
  /* The public client id comes from the cloud profile when none is given. */
  assert_non_null(strstr(azfake_request(fx->fake, before)->body,
                         "client_id=04b07795-8ddb-461a-bbee-02f9e1bf7b46"));
}

static void service_principal_secret_is_never_cached(void **state)
{
  struct fixture *fx = *state;
  struct az_call *call =
      az_login_service_principal(fx->client, "tenant-9", "app-1", "SP-SECRET-VALUE-1", NULL);
  assert_int_equal(az_call_wait(call), AZ_OK);
  const struct az_identity *id = az_client_identity(fx->client);
  assert_int_equal(id->kind, AZ_IDENTITY_SERVICE_PRINCIPAL);
  assert_string_equal(id->client_id, "app-1");
  assert_string_equal(id->object_id, "sp-object-1");
  az_call_delete(call);
  char *text = azfake_read_file(fx->cache);
  assert_non_null(text);
  assert_null(strstr(text, "SP-SECRET-VALUE-1"));
  assert_non_null(strstr(text, "\"type\": \"servicePrincipal\""));
  assert_non_null(strstr(text, "sp:tenant-9:app-1"));
  free(text);
  /* A later run has the token but not the secret: once the token is stale, it asks. */
  unsetenv("AZURE_CLIENT_SECRET");
  struct azfake *f2 = azfake_new();
  struct az_session_options so = { 0 };
  so.cloud = "AzureCloud";
  so.log_path = "";
  so.token_cache_path = fx->cache;
  so.transport = azfake_transport(f2);
  so.clock = azfake_clock(f2);
  struct az_client *c2 = NULL;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_session_open(&so, &c2, &err), AZ_OK);
  azfake_advance(f2, 4000LL * 1000); /* the cached token is now stale */
  struct az_call *list =
      az_call_request(c2, "GET", "https://management.azure.com/subscriptions", NULL, NULL);
  assert_int_equal(az_call_wait(list), AZ_E_NOT_SIGNED_IN);
  assert_non_null(strstr(az_call_error(list)->message, "AZURE_CLIENT_SECRET"));
  assert_int_equal(azfake_count(f2), 0);
  az_call_delete(list);
  az_client_delete(c2);
  azfake_delete(f2);
  az_error_done(&err);
}

static void managed_identity_sign_in(void **state)
{
  struct fixture *fx = *state;
  struct az_call *call = az_login_managed_identity(fx->client, "mi-client-1");
  assert_int_equal(az_call_wait(call), AZ_OK);
  const struct azfake_record *r = azfake_request(fx->fake, 0);
  assert_string_equal(r->method, "GET");
  assert_non_null(strstr(r->url,
                         "http://169.254.169.254/metadata/identity/oauth2/token?api-version="
                         "2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F"));
  assert_non_null(strstr(r->url, "client_id=mi-client-1"));
  assert_string_equal(az_headers_get(&r->headers, "Metadata"), "true");
  assert_int_equal(az_client_identity(fx->client)->kind, AZ_IDENTITY_MANAGED_IDENTITY);
  az_call_delete(call);

  setenv("IDENTITY_ENDPOINT", "http://127.0.0.1:40000/msi/token", 1);
  setenv("IDENTITY_HEADER", "IDENTITY-HEADER-SECRET", 1);
  call = az_login_managed_identity(fx->client, NULL);
  assert_int_equal(az_call_wait(call), AZ_OK);
  r = azfake_request(fx->fake, 1);
  assert_string_equal(r->url, "http://127.0.0.1:40000/msi/token?api-version=2019-08-01&resource="
                              "https%3A%2F%2Fmanagement.azure.com%2F");
  assert_string_equal(az_headers_get(&r->headers, "X-IDENTITY-HEADER"), "IDENTITY-HEADER-SECRET");
  assert_true(az_client_identity(fx->client)->app_service_style);
  az_call_delete(call);
  char *text = azfake_read_file(fx->cache);
  assert_null(strstr(text, "IDENTITY-HEADER-SECRET"));
  assert_non_null(strstr(text, "\"managedIdentityEndpoint\": \"IDENTITY_ENDPOINT\""));
  free(text);
}

static void environment_credential(void **state)
{
  struct fixture *fx = *state;
  setenv("AZURE_TENANT_ID", "env-tenant", 1);
  setenv("AZURE_CLIENT_ID", "env-app", 1);
  setenv("AZURE_CLIENT_SECRET", "ENV-SECRET-1", 1);
  struct azfake *f2 = azfake_new();
  azfake_set_handler(f2, entra, fx);
  struct az_session_options so = { 0 };
  so.cloud = "AzureCloud";
  so.log_path = "";
  so.token_cache_path = fx->cache;
  so.transport = azfake_transport(f2);
  so.clock = azfake_clock(f2);
  struct az_client *c2 = NULL;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_session_open(&so, &c2, &err), AZ_OK);
  const struct az_identity *id = az_client_identity(c2);
  assert_int_equal(id->kind, AZ_IDENTITY_SERVICE_PRINCIPAL);
  assert_string_equal(id->source, "environment");
  assert_null(id->object_id);
  struct az_call *who = az_client_resolve_identity(c2);
  assert_int_equal(az_call_wait(who), AZ_OK);
  assert_string_equal(az_client_identity(c2)->object_id, "sp-object-1");
  assert_non_null(strstr(azfake_request(f2, 0)->url, "/env-tenant/oauth2/v2.0/token"));
  assert_non_null(strstr(azfake_request(f2, 0)->body, "client_secret=ENV-SECRET-1"));
  az_call_delete(who);
  az_client_delete(c2);
  azfake_delete(f2);
  unsetenv("AZURE_TENANT_ID");
  unsetenv("AZURE_CLIENT_ID");
  unsetenv("AZURE_CLIENT_SECRET");
  az_error_done(&err);
  /* Not written to the cache: the environment is the source of truth. */
  assert_int_not_equal(access(fx->cache, F_OK), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(device_code_sign_in, setup, teardown),
    cmocka_unit_test_setup_teardown(device_code_failures, setup, teardown),
    cmocka_unit_test_setup_teardown(service_principal_secret_is_never_cached, setup, teardown),
    cmocka_unit_test_setup_teardown(managed_identity_sign_in, setup, teardown),
    cmocka_unit_test_setup_teardown(environment_credential, setup, teardown),
  };
  return cmocka_run_group_tests_name("az_login", tests, NULL, NULL);
}
