/* Errors in one shape for every service (fixtures in tests/unit/support/az_fixtures/), the
 * hint table, result classes, and the redaction of every kind of secret. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "support/az_fake.h"
#include "azure/az_error.h"
#include "azure/az_hint.h"
#include "azure/az_redact.h"
#include "azure/az_result.h"
#include "util/xalloc.h"

static char *fixture(const char *name)
{
  const char *src = getenv("SYNWIZ_SOURCE_DIR");
  char *path =
      xasprintf("%s/tests/unit/support/az_fixtures/%s", src ? src : SYNWIZ_SOURCE_DIR, name);
  char *data = azfake_read_file(path);
  assert_non_null(data);
  free(path);
  return data;
}

/* Parse a fixture as the answer of `status` with the given header lines. */
static void parse(struct az_error *e, int status, const char *header_lines, const char *name)
{
  struct az_headers h;
  az_headers_init(&h);
  for (const char *p = header_lines; p && *p;) {
    size_t n = strcspn(p, "\n");
    az_headers_add_line(&h, p, n);
    p += n + (p[n] == '\n');
  }
  char *body = fixture(name);
  az_error_from_answer(e, status, &h, body, strlen(body));
  struct az_hint_context ctx = { "/etc/sandbox/ca.pem", "management.azure.com" };
  az_hint_apply(e, &ctx);
  free(body);
  az_headers_done(&h);
}

static void arm_error_with_hint(void **state)
{
  struct az_error e;
  az_error_init(&e);
  parse(&e, 403, "x-ms-request-id: rid-1\nx-ms-correlation-request-id: corr-1",
        "arm_authorization_failed.json");
  assert_int_equal(e.result, AZ_E_FORBIDDEN);
  assert_int_equal(e.status, 403);
  assert_string_equal(e.code, "AuthorizationFailed");
  assert_non_null(strstr(e.message, "does not have authorization"));
  assert_string_equal(e.request_id, "rid-1");
  assert_non_null(e.hint);
  assert_non_null(strstr(e.hint, "Microsoft.Authorization/roleAssignments/write"));
  assert_non_null(strstr(e.hint, "/resourceGroups/rg-research/"));
  assert_non_null(strstr(e.hint, "User Access Administrator"));
  assert_non_null(strstr(e.hint, "d2ede023-6254-4361-9878-f37823382d46"));
  assert_int_equal(az_result_class(e.result), AZ_CLASS_REFUSED);
  az_error_done(&e);
}

static void arm_nested_details(void **state)
{
  struct az_error e;
  az_error_init(&e);
  parse(&e, 400, NULL, "arm_nested_details.json");
  assert_string_equal(e.code, "InvalidTemplateDeployment");
  assert_string_equal(e.details, "PrincipalNotFound: Principal 4f2d not found in the directory.; "
                                 "Inner: deepest");
  az_error_done(&e);
  az_error_init(&e);
  struct az_headers h;
  az_headers_init(&h);
  const char *body =
      "{\"error\":{\"code\":\"PrincipalNotFound\",\"message\":\"Principal x does not exist\"}}";
  az_error_from_answer(&e, 400, &h, body, strlen(body));
  az_hint_apply(&e, NULL);
  assert_non_null(strstr(e.hint, "replication"));
  assert_non_null(strstr(e.hint, "minute"));
  az_headers_done(&h);
  az_error_done(&e);
}

static void synapse_shapes(void **state)
{
  struct az_error e;
  az_error_init(&e);
  parse(&e, 400, NULL, "synapse_top_level.json");
  assert_int_equal(e.result, AZ_E_BAD_REQUEST);
  assert_string_equal(e.code, "BadRequest");
  assert_non_null(strstr(e.message, "NoSuchRuntime"));
  parse(&e, 404, NULL, "synapse_capitalised.json");
  assert_int_equal(e.result, AZ_E_NOT_FOUND);
  assert_string_equal(e.code, "LinkedServiceNotFound");
  assert_string_equal(e.message, "The linked service 'Lake9' was not found.");
  parse(&e, 403, NULL, "synapse_rbac_unauthorized.json");
  assert_string_equal(e.code, "Unauthorized");
  assert_non_null(strstr(e.hint, "Synapse RBAC"));
  assert_non_null(strstr(e.hint, "Microsoft.Synapse/workspaces/credentials/useSecret/action"));
  assert_non_null(strstr(e.hint, "workspaces/contoso-synapse/credentials/WorkspaceSystemIdentity"));
  az_error_done(&e);
}

static void storage_header_and_xml(void **state)
{
  struct az_error e;
  az_error_init(&e);
  parse(&e, 403, "x-ms-error-code: AuthorizationPermissionMismatch\nx-ms-request-id: srid",
        "storage_error.xml");
  assert_string_equal(e.code, "AuthorizationPermissionMismatch");
  assert_string_equal(e.message,
                      "This request is not authorized to perform this operation using this "
                      "permission.");
  assert_string_equal(e.request_id, "srid");
  assert_non_null(strstr(e.hint, "Storage Blob Data Contributor"));
  /* Without the header (a HEAD answer has no body either way), the XML alone suffices. */
  parse(&e, 403, NULL, "storage_error.xml");
  assert_string_equal(e.code, "AuthorizationPermissionMismatch");
  az_error_done(&e);
}

static void entra_and_imds(void **state)
{
  struct az_error e;
  az_error_init(&e);
  parse(&e, 400, NULL, "entra_aadsts.json");
  assert_int_equal(e.result, AZ_E_AUTH);
  assert_string_equal(e.code, "AADSTS700016");
  assert_string_equal(e.oauth_error, "unauthorized_client");
  assert_null(strstr(e.message, "Trace ID")); /* only the first line */
  assert_string_equal(e.request_id, "0c5b3f7a-aaaa-bbbb-cccc-000000000000");
  assert_non_null(strstr(e.hint, "application (client) id, not the object id"));
  parse(&e, 400, NULL, "imds_error.json");
  assert_string_equal(e.code, "invalid_request");
  assert_string_equal(e.message, "Identity not found");
  az_error_done(&e);
}

static void operation_failure_body(void **state)
{
  struct az_error e;
  az_error_init(&e);
  char *body = fixture("lro_failed.json");
  az_error_from_json_text(&e, body, strlen(body));
  assert_string_equal(e.code, "LinkedServiceValidationFailed");
  assert_non_null(strstr(e.message, "nolake"));
  free(body);
  az_error_done(&e);
}

static void unstructured_answers(void **state)
{
  struct az_error e;
  az_error_init(&e);
  parse(&e, 502, NULL, "gateway_502.html");
  assert_int_equal(e.result, AZ_E_SERVICE);
  assert_null(e.code);
  assert_non_null(strstr(e.message, "HTTP 502"));
  assert_int_equal(az_result_class(e.result), AZ_CLASS_FAILURE);
  az_error_done(&e);
}

static void hint_table(void **state)
{
  static const struct {
    const char *code;
    int status;
    enum az_result result;
    const char *message;
    const char *expect;
  } cases[] = {
    { "AADSTS7000215", 401, AZ_E_AUTH, "Invalid client secret", "Value (not its Secret ID)" },
    { "AADSTS90002", 400, AZ_E_AUTH, "Tenant not found", "tenant id" },
    { "AADSTS700024", 401, AZ_E_AUTH, "not within its valid time range", "clock" },
    { "AADSTS53003", 400, AZ_E_AUTH, "blocked", "--service-principal" },
    { "AADSTS50199", 400, AZ_E_AUTH, "confirmation", "managed identity" },
    { "authorization_declined", 400, AZ_E_DECLINED, "denied", "declined" },
    { "expired_token", 400, AZ_E_CODE_EXPIRED, "expired", "within the time" },
    { "InvalidAuthenticationTokenAudience", 401, AZ_E_UNAUTHORIZED, "aud", "--scope" },
    { "ExpiredAuthenticationToken", 401, AZ_E_UNAUTHORIZED, "expired", "synwiz login" },
    { "AuthorizationFailure", 403, AZ_E_FORBIDDEN, "not authorized", "firewall" },
    { "KeyBasedAuthenticationNotPermitted", 403, AZ_E_FORBIDDEN, "keys", "allowSharedKeyAccess" },
    { "invalid_grant", 400, AZ_E_AUTH, "bad", "synwiz login again" },
    { NULL, 429, AZ_E_THROTTLED, "slow down", "throttling" },
    { NULL, 0, AZ_E_CONNECT, "refused", "proxy" },
    { NULL, 0, AZ_E_TIMEOUT, "slow", "in time" },
    { NULL, 0, AZ_E_NOT_SIGNED_IN, "no", "AZURE_CLIENT_SECRET" },
    { "SomethingElse", 400, AZ_E_AUTH, "Access has been blocked by Conditional Access policies",
      "Conditional Access" },
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct az_error e;
    az_error_init(&e);
    e.code = cases[i].code ? xstrdup(cases[i].code) : NULL;
    e.status = cases[i].status;
    e.result = cases[i].result;
    e.message = xstrdup(cases[i].message);
    az_hint_apply(&e, NULL);
    if (!e.hint || !strstr(e.hint, cases[i].expect))
      fail_msg("case %zu (%s): hint [%s] lacks [%s]", i, cases[i].code ? cases[i].code : "-",
               e.hint ? e.hint : "(none)", cases[i].expect);
    az_error_done(&e);
  }
  /* TLS: names the host and the CA file trusted. */
  struct az_error e;
  az_error_init(&e);
  e.result = AZ_E_TLS;
  struct az_hint_context ctx = { "/tmp/sb/ca.pem", "management.sandbox.localhost" };
  az_hint_apply(&e, &ctx);
  assert_non_null(strstr(e.hint, "management.sandbox.localhost"));
  assert_non_null(strstr(e.hint, "/tmp/sb/ca.pem"));
  az_error_done(&e);
  /* No advice for success or for unknown codes. */
  az_error_init(&e);
  e.code = xstrdup("ResourceGroupNotFound");
  e.status = 404;
  e.result = AZ_E_NOT_FOUND;
  az_hint_apply(&e, NULL);
  assert_null(e.hint);
  az_error_done(&e);
}

static void roles_for_actions(void **state)
{
  assert_non_null(
      strstr(az_hint_role_for_action("Microsoft.Storage/storageAccounts/read"), "Reader"));
  assert_non_null(
      strstr(az_hint_role_for_action(
                 "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"),
             "Storage Blob Data Contributor"));
  assert_non_null(
      strstr(az_hint_role_for_action("Microsoft.Authorization/roleAssignments/write"), "Owner"));
}

static void results_and_classes(void **state)
{
  assert_string_equal(az_result_name(AZ_E_FORBIDDEN), "AZ_E_FORBIDDEN");
  assert_string_equal(az_result_str(AZ_E_FORBIDDEN), "access denied");
  assert_int_equal(az_result_from_status(200), AZ_OK);
  assert_int_equal(az_result_from_status(400), AZ_E_BAD_REQUEST);
  assert_int_equal(az_result_from_status(401), AZ_E_UNAUTHORIZED);
  assert_int_equal(az_result_from_status(404), AZ_E_NOT_FOUND);
  assert_int_equal(az_result_from_status(409), AZ_E_CONFLICT);
  assert_int_equal(az_result_from_status(429), AZ_E_THROTTLED);
  assert_int_equal(az_result_from_status(503), AZ_E_SERVICE);
  static const enum az_result refused[] = { AZ_E_BAD_REQUEST,   AZ_E_UNAUTHORIZED,
                                            AZ_E_FORBIDDEN,     AZ_E_NOT_FOUND,
                                            AZ_E_CONFLICT,      AZ_E_AUTH,
                                            AZ_E_NOT_SIGNED_IN, AZ_E_OPERATION_FAILED };
  static const enum az_result failed[] = { AZ_E_SERVICE,     AZ_E_TIMEOUT, AZ_E_CONNECT,
                                           AZ_E_NETWORK,     AZ_E_TLS,     AZ_E_THROTTLED,
                                           AZ_E_BAD_RESPONSE };
  for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
    assert_int_equal(az_result_class(refused[i]), AZ_CLASS_REFUSED);
  for (size_t i = 0; i < sizeof(failed) / sizeof(failed[0]); i++)
    assert_int_equal(az_result_class(failed[i]), AZ_CLASS_FAILURE);
  assert_int_equal(az_result_class(AZ_E_CANCELED), AZ_CLASS_CANCELED);
  assert_int_equal(az_result_class(AZ_E_INVALID_ARG), AZ_CLASS_LOCAL);
}

/* ---- redaction ----------------------------------------------------------------------- */

static void assert_gone(const char *text, const char *secret)
{
  if (strstr(text, secret))
    fail_msg("[%s] still holds [%s]", text, secret);
}

static void redacts_headers(void **state)
{
  static const char *const secret[] = {
    "Authorization",      "authorization",     "x-ms-copy-source-authorization",
    "X-IDENTITY-HEADER",  "x-sandbox-control", "Cookie",
    "Proxy-Authorization"
  };
  for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
    assert_string_equal(az_redact_header(secret[i], "Bearer abc"), AZ_REDACTED);
  assert_string_equal(az_redact_header("x-ms-version", "2021-12-02"), "2021-12-02");
}

static void redacts_urls(void **state)
{
  char *u =
      az_redact_url("https://a.blob.core.windows.net/c/b?sv=2021-12-02&sig=abc%2Bdef%3D&se=x");
  assert_string_equal(u, "https://a.blob.core.windows.net/c/b?sv=2021-12-02&sig=REDACTED&se=x");
  free(u);
  u = az_redact_url("https://x/?client_secret=s1&code=c1&refresh_token=r1&access_token=a1");
  assert_gone(u, "s1");
  assert_gone(u, "c1");
  assert_gone(u, "r1");
  assert_gone(u, "a1");
  free(u);
}

static void redacts_form_bodies(void **state)
{
  const char *form = "client_id=c&grant_type=client_credentials&client_secret=SEKRIT1&"
                     "client_assertion=eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln&refresh_token="
                     "RTOKEN1&device_code=DCODE1&scope=x";
  char *r = az_redact_body("application/x-www-form-urlencoded", form, strlen(form));
  assert_gone(r, "SEKRIT1");
  assert_gone(r, "eyJhbGci");
  assert_gone(r, "RTOKEN1");
  assert_gone(r, "DCODE1");
  assert_non_null(strstr(r, "client_id=c"));
  free(r);
}

static void redacts_json_bodies(void **state)
{
  const char *json =
      "{\"access_token\":\"AT1\",\"refresh_token\":\"RT1\",\"id_token\":\"IT1\","
      "\"properties\":{\"typeProperties\":{\"servicePrincipalKey\":{\"type\":\"SecureString\","
      "\"value\":\"SPKEY1\"},\"accountKey\":\"AK1\",\"connectionString\":\"DefaultEndpointsProtocol"
      "=https;AccountName=a;AccountKey=CSKEY1;EndpointSuffix=core.windows.net\",\"sasUri\":"
      "\"https://a.blob.core.windows.net/?sv=1&sig=SASSIG1\"}},"
      "\"keys\":[{\"keyName\":\"key1\",\"value\":\"LISTKEY1\",\"permissions\":\"FULL\"}],"
      "\"note\":\"token eyJ0eXAiOiJKV1QifQ.eyJvaWQiOiIxIn0.c2lnbmF0dXJl inside text\"}";
  char *r = az_redact_body("application/json", json, strlen(json));
  static const char *const gone[] = { "AT1",    "RT1",     "IT1",      "SPKEY1",  "AK1",
                                      "CSKEY1", "SASSIG1", "LISTKEY1", "eyJ0eXAi" };
  for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
    assert_gone(r, gone[i]);
  assert_non_null(strstr(r, "\"keyName\":\"key1\""));
  assert_non_null(strstr(r, "AccountName=a"));
  free(r);
}

static void redacts_free_text(void **state)
{
  char *r = az_redact_text("Authorization: Bearer abc.def.ghi and SharedKey acct:SIGSIG= end");
  assert_gone(r, "abc.def.ghi");
  assert_gone(r, "SIGSIG=");
  assert_non_null(strstr(r, "SharedKey acct:REDACTED"));
  free(r);
  r = az_redact_text("x-ms-copy-source: https://a/b?sv=1&sig=QQQ&se=1");
  assert_gone(r, "QQQ");
  free(r);
  r = az_redact_text("no secrets here: eyJ alone, sig, signature=1");
  assert_string_equal(r, "no secrets here: eyJ alone, sig, signature=1");
  free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(arm_error_with_hint),  cmocka_unit_test(arm_nested_details),
    cmocka_unit_test(synapse_shapes),       cmocka_unit_test(storage_header_and_xml),
    cmocka_unit_test(entra_and_imds),       cmocka_unit_test(operation_failure_body),
    cmocka_unit_test(unstructured_answers), cmocka_unit_test(hint_table),
    cmocka_unit_test(roles_for_actions),    cmocka_unit_test(results_and_classes),
    cmocka_unit_test(redacts_headers),      cmocka_unit_test(redacts_urls),
    cmocka_unit_test(redacts_form_bodies),  cmocka_unit_test(redacts_json_bodies),
    cmocka_unit_test(redacts_free_text),
  };
  return cmocka_run_group_tests_name("az_error", tests, NULL, NULL);
}
