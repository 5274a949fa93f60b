/* The authentication stage: bearer tokens per scope, shared by concurrent calls, refreshed
 * before they expire, one refresh and one retry after a 401 (with a claims challenge
 * passed on), token errors reported with their hint, no token over plain HTTP, Shared Key
 * signing on each attempt, and no secret or token in the log even at full verbosity. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/az_fake.h"
#include "azure/az_arm.h"
#include "azure/az_client.h"
#include "azure/az_internal.h"
#include "azure/az_storage.h"
#include "util/encode.h"
#include "util/paths.h"
#include "util/xalloc.h"

#define ARM_URL     "https://management.azure.com/subscriptions?api-version=2022-12-01"
#define STORAGE_URL "https://acct.blob.core.windows.net/c?restype=container&comp=list"

struct fixture {
  struct azfake *fake;
  struct az_client *client;
  int tokens_issued;
  int expires_in;
  char *token_error; /* when set, token requests fail with this body (400) */
  char *dir;
  char *log;
};

static bool token_endpoint(struct azfake *f, const struct azfake_record *req,
                           struct azfake_reply *out, void *ud)
{
  struct fixture *fx = ud;
  if (!strstr(req->url, "/oauth2/v2.0/token"))
    return false;
  if (fx->token_error) {
    out->status = 400;
    out->headers = xstrdup("Content-Type: application/json");
    out->body = xstrdup(fx->token_error);
    return true;
  }
  char token[64];
  snprintf(token, sizeof(token), "token-number-%d", ++fx->tokens_issued);
  out->status = 200;
  out->headers = xstrdup("Content-Type: application/json");
  out->body = azfake_token_body(token, fx->expires_in);
  return true;
}

static int setup_with(void **state, struct az_credential *cred, int verbosity)
{
  struct fixture *fx = xcalloc(1, sizeof(*fx));
  fx->fake = azfake_new();
  fx->expires_in = 3600;
  fx->dir = azfake_tempdir();
  fx->log = paths_join(fx->dir, "synwiz.log");
  azfake_set_handler(fx->fake, token_endpoint, fx);
  fx->client = azfake_client_opts(fx->fake, "AzureCloud", cred, fx->log, verbosity, NULL);
  *state = fx;
  return 0;
}

static int setup(void **state)
{
  return setup_with(state, azfake_secret_credential(), 0);
}

static int setup_verbose(void **state)
{
  return setup_with(state, azfake_secret_credential(), 2);
}

static int setup_user(void **state)
{
  return setup_with(state,
                    az_credential_refresh_token("t1", "public-app", "refresh-token-AAAA1111"), 0);
}

static int teardown(void **state)
{
  struct fixture *fx = *state;
  az_client_delete(fx->client);
  azfake_delete(fx->fake);
  unlink(fx->log);
  rmdir(fx->dir);
  free(fx->log);
  free(fx->dir);
  free(fx->token_error);
  free(fx);
  return 0;
}

static enum az_result get(struct fixture *fx, const char *url)
{
  struct az_call *call = az_call_request(fx->client, "GET", url, NULL, NULL);
  enum az_result r = az_call_wait(call);
  az_call_delete(call);
  return r;
}

static const char *auth_of(struct fixture *fx, size_t i)
{
  return az_headers_get(&azfake_request(fx->fake, i)->headers, "Authorization");
}

static void token_is_fetched_once_and_reused(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 200, NULL, "{}");
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(get(fx, ARM_URL), AZ_OK);
  assert_int_equal(get(fx, ARM_URL), AZ_OK);
  assert_int_equal(fx->tokens_issued, 1);
  assert_string_equal(auth_of(fx, 1), "Bearer token-number-1");
  assert_string_equal(auth_of(fx, 2), "Bearer token-number-1");
  const struct azfake_record *t = azfake_request(fx->fake, 0);
  assert_string_equal(t->url, "https://login.microsoftonline.com/t1/oauth2/v2.0/token");
  assert_non_null(strstr(t->body, "grant_type=client_credentials"));
  assert_non_null(strstr(t->body, "scope=https%3A%2F%2Fmanagement.azure.com%2F.default"));
  assert_null(auth_of(fx, 0));
}

static void concurrent_calls_share_one_token_request(void **state)
{
  struct fixture *fx = *state;
  for (int i = 0; i < 3; i++)
    azfake_push(fx->fake, 200, NULL, "{\"value\":[]}");
  struct az_call *a = az_arm_list_subscriptions(fx->client);
  struct az_call *b = az_arm_list_workspaces(fx->client, "sub1");
  struct az_call *c = az_arm_list_storage_accounts(fx->client, "sub1");
  assert_int_equal(az_call_wait(a), AZ_OK);
  assert_int_equal(az_call_wait(b), AZ_OK);
  assert_int_equal(az_call_wait(c), AZ_OK);
  assert_int_equal(fx->tokens_issued, 1);
  assert_int_equal(azfake_count_url(fx->fake, "/oauth2/"), 1);
  assert_int_equal(azfake_count(fx->fake), 4);
  az_call_delete(a);
  az_call_delete(b);
  az_call_delete(c);
}

static void scopes_come_from_the_host(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 200, NULL, "{}");
  azfake_push(fx->fake, 200, NULL, "<EnumerationResults/>");
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(get(fx, ARM_URL), AZ_OK);
  assert_int_equal(get(fx, STORAGE_URL), AZ_OK);
  assert_int_equal(get(fx, "https://ws1.dev.azuresynapse.net/pipelines?api-version=2020-12-01"),
                   AZ_OK);
  assert_int_equal(fx->tokens_issued, 3);
  assert_non_null(strstr(azfake_request(fx->fake, 2)->body, "storage.azure.com"));
  assert_non_null(strstr(azfake_request(fx->fake, 4)->body, "dev.azuresynapse.net"));
}

static void token_is_refreshed_five_minutes_before_expiry(void **state)
{
  struct fixture *fx = *state;
  for (int i = 0; i < 3; i++)
    azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(get(fx, ARM_URL), AZ_OK);
  azfake_advance(fx->fake, (3600 - 301) * 1000LL); /* 5 min 1 s left: still good */
  assert_int_equal(get(fx, ARM_URL), AZ_OK);
  assert_int_equal(fx->tokens_issued, 1);
  azfake_advance(fx->fake, 2000); /* 4 min 59 s left: renew first */
  assert_int_equal(get(fx, ARM_URL), AZ_OK);
  assert_int_equal(fx->tokens_issued, 2);
  assert_string_equal(auth_of(fx, azfake_count(fx->fake) - 1), "Bearer token-number-2");
}

static void short_tokens_are_refreshed_at_half_life(void **state)
{
  struct fixture *fx = *state;
  fx->expires_in = 120;
  for (int i = 0; i < 3; i++)
    azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(get(fx, ARM_URL), AZ_OK);
  azfake_advance(fx->fake, 59 * 1000);
  assert_int_equal(get(fx, ARM_URL), AZ_OK);
  assert_int_equal(fx->tokens_issued, 1);
  azfake_advance(fx->fake, 2 * 1000);
  assert_int_equal(get(fx, ARM_URL), AZ_OK);
  assert_int_equal(fx->tokens_issued, 2);
}

static void a_401_gets_one_refresh_and_one_retry(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 401, "WWW-Authenticate: Bearer error=\"invalid_token\"",
              "{\"error\":{\"code\":\"ExpiredAuthenticationToken\",\"message\":\"expired\"}}");
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(get(fx, ARM_URL), AZ_OK);
  assert_int_equal(fx->tokens_issued, 2);
  assert_string_equal(auth_of(fx, 1), "Bearer token-number-1");
  assert_string_equal(auth_of(fx, 3), "Bearer token-number-2");
}

static void a_second_401_is_final(void **state)
{
  struct fixture *fx = *state;
  const char *body = "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"no\"}}";
  azfake_push(fx->fake, 401, NULL, body);
  azfake_push(fx->fake, 401, NULL, body);
  azfake_push(fx->fake, 200, NULL, "{}");
  struct az_call *call = az_call_request(fx->client, "GET", ARM_URL, NULL, NULL);
  assert_int_equal(az_call_wait(call), AZ_E_UNAUTHORIZED);
  assert_string_equal(az_call_error(call)->code, "InvalidAuthenticationToken");
  assert_non_null(az_call_error(call)->hint);
  assert_int_equal(fx->tokens_issued, 2);
  assert_int_equal(azfake_count(fx->fake), 4); /* token, call, token, call */
  az_call_delete(call);
}

static void claims_challenge_reaches_the_refresh(void **state)
{
  struct fixture *fx = *state;
  /* base64 of {"access_token":{"nbf":{"essential":true}}} */
  char *claims = b64_encode("{\"access_token\":{\"nbf\":{\"essential\":true}}}", 43);
  char *hdr =
      xasprintf("WWW-Authenticate: Bearer error=\"insufficient_claims\", claims=\"%s\"", claims);
  azfake_push(fx->fake, 401, hdr, "");
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(get(fx, ARM_URL), AZ_OK);
  const struct azfake_record *refresh = azfake_request(fx->fake, 2);
  assert_non_null(strstr(refresh->url, "/oauth2/v2.0/token"));
  assert_non_null(strstr(refresh->body, "grant_type=refresh_token"));
  assert_non_null(strstr(refresh->body, "claims=%7B%22access_token%22"));
  free(claims);
  free(hdr);
}

static void token_errors_carry_code_and_hint(void **state)
{
  struct fixture *fx = *state;
  fx->token_error = xstrdup(
      "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client "
      "secret provided.\\r\\nTrace ID: x\",\"error_codes\":[7000215],\"trace_id\":\"tr-1\"}");
  azfake_push(fx->fake, 200, NULL, "{}");
  azfake_push(fx->fake, 200, NULL, "{}");
  struct az_call *a = az_call_request(fx->client, "GET", ARM_URL, NULL, NULL);
  struct az_call *b = az_call_request(fx->client, "GET", ARM_URL, NULL, NULL);
  assert_int_equal(az_call_wait(a), AZ_E_AUTH);
  assert_int_equal(az_call_wait(b), AZ_E_AUTH);
  const struct az_error *e = az_call_error(a);
  assert_string_equal(e->code, "AADSTS7000215");
  assert_string_equal(e->oauth_error, "invalid_client");
  assert_string_equal(e->message, "AADSTS7000215: Invalid client secret provided.");
  assert_string_equal(e->request_id, "tr-1");
  assert_non_null(strstr(e->hint, "secret"));
  assert_string_equal(az_call_error(b)->code, "AADSTS7000215");
  assert_int_equal(azfake_count(fx->fake), 1); /* one token request, no resource request */
  az_call_delete(a);
  az_call_delete(b);
}

static void no_token_over_plain_http(void **state)
{
  struct fixture *fx = *state;
  struct az_request_options o = { 0 };
  o.scope = "https://management.azure.com/.default";
  struct az_call *call = az_call_request(fx->client, "GET", "http://example.com/x", NULL, &o);
  assert_int_equal(az_call_wait(call), AZ_E_INVALID_ARG);
  assert_int_equal(azfake_count(fx->fake), 0);
  az_call_delete(call);
}

static void unknown_host_needs_a_scope(void **state)
{
  struct fixture *fx = *state;
  struct az_call *call = az_call_request(fx->client, "GET", "https://example.com/x", NULL, NULL);
  assert_int_equal(az_call_wait(call), AZ_E_INVALID_ARG);
  assert_non_null(strstr(az_call_error(call)->message, "example.com"));
  az_call_delete(call);
}

static void not_signed_in_says_how(void **state)
{
  struct azfake *f = azfake_new();
  struct az_client *c = azfake_client(f, "AzureCloud", NULL);
  struct az_call *call = az_call_request(c, "GET", ARM_URL, NULL, NULL);
  assert_int_equal(az_call_wait(call), AZ_E_NOT_SIGNED_IN);
  assert_non_null(strstr(az_call_error(call)->hint, "synwiz login"));
  az_call_delete(call);
  az_client_delete(c);
  azfake_delete(f);
}

static void shared_key_signs_each_attempt(void **state)
{
  struct fixture *fx = *state;
  struct az_storage_account *acct = NULL;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_storage_account_new("acct", NULL, "a2V5LWJ5dGVzLWZvci10ZXN0aW5n",
                                          fx->client->cloud, &acct, &err),
                   AZ_OK);
  struct az_request_options o = { 0 };
  o.storage = acct;
  azfake_push(fx->fake, 503, "Retry-After: 2", "");
  azfake_push(fx->fake, 200, NULL, "");
  struct az_headers h;
  az_headers_init(&h);
  az_headers_add(&h, "x-ms-version", AZ_STORAGE_VERSION);
  o.headers = &h;
  struct az_call *call = az_call_request(fx->client, "GET", STORAGE_URL, NULL, &o);
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_int_equal(fx->tokens_issued, 0);
  for (size_t i = 0; i < 2; i++) {
    const struct azfake_record *r = azfake_request(fx->fake, i);
    const char *auth = az_headers_get(&r->headers, "Authorization");
    assert_non_null(auth);
    assert_memory_equal(auth, "SharedKey acct:", 15);
    assert_non_null(az_headers_get(&r->headers, "x-ms-date"));
    /* Re-sign what was sent: the same signature comes out. */
    struct az_headers copy;
    az_headers_init(&copy);
    az_headers_copy(&copy, &r->headers);
    az_shared_key_sign(acct, r->method, r->url, &copy, 0);
    assert_string_equal(az_headers_get(&copy, "Authorization"), auth);
    az_headers_done(&copy);
  }
  /* Retried 2 s later: x-ms-date moved on and was signed anew. */
  assert_string_not_equal(az_headers_get(&azfake_request(fx->fake, 0)->headers, "x-ms-date"),
                          az_headers_get(&azfake_request(fx->fake, 1)->headers, "x-ms-date"));
  az_call_delete(call);
  az_headers_done(&h);
  az_storage_account_delete(acct);
  az_error_done(&err);
}

static void log_holds_no_secret_even_when_verbose(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 401, NULL, "{\"error\":{\"code\":\"ExpiredAuthenticationToken\"}}");
  azfake_push(fx->fake, 200, "Content-Type: application/json",
              "{\"keys\":[{\"keyName\":\"key1\",\"value\":\"account-key-value-ZZZ\"}]}");
  assert_int_equal(get(fx, ARM_URL), AZ_OK);
  char *log = azfake_read_file(fx->log);
  assert_non_null(log);
  assert_non_null(strstr(log, "Authorization: REDACTED"));
  assert_null(strstr(log, "token-number-"));
  assert_null(strstr(log, "s3cr3t-value-123"));
  assert_null(strstr(log, "account-key-value-ZZZ"));
  assert_non_null(strstr(log, "client_secret=REDACTED"));
  free(log);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(token_is_fetched_once_and_reused, setup, teardown),
    cmocka_unit_test_setup_teardown(concurrent_calls_share_one_token_request, setup, teardown),
    cmocka_unit_test_setup_teardown(scopes_come_from_the_host, setup, teardown),
    cmocka_unit_test_setup_teardown(token_is_refreshed_five_minutes_before_expiry, setup, teardown),
    cmocka_unit_test_setup_teardown(short_tokens_are_refreshed_at_half_life, setup, teardown),
    cmocka_unit_test_setup_teardown(a_401_gets_one_refresh_and_one_retry, setup, teardown),
    cmocka_unit_test_setup_teardown(a_second_401_is_final, setup, teardown),
    cmocka_unit_test_setup_teardown(claims_challenge_reaches_the_refresh, setup_user, teardown),
    cmocka_unit_test_setup_teardown(token_errors_carry_code_and_hint, setup, teardown),
    cmocka_unit_test_setup_teardown(no_token_over_plain_http, setup, teardown),
    cmocka_unit_test_setup_teardown(unknown_host_needs_a_scope, setup, teardown),
    cmocka_unit_test(not_signed_in_says_how),
    cmocka_unit_test_setup_teardown(shared_key_signs_each_attempt, setup, teardown),
    cmocka_unit_test_setup_teardown(log_holds_no_secret_even_when_verbose, setup_verbose, teardown),
  };
  return cmocka_run_group_tests_name("az_auth", tests, NULL, NULL);
}
