/* The Azure ML linked-service wizard's app layer (issue 6): the exact AzureMLService body of
 * API.md D.3 (authentication "MSI" included), the read-back comparison, the filter's
 * refusals, the reading of token-endpoint and ARM errors, the role check, the grant
 * commands; and the wizard's host end to end on the fake transport: the PUT sent for a
 * managed identity and for a service principal, the one-off token, the 200-then-Failed
 * trap and a read-back that differs (neither recorded), a wrong secret, the refusals; edit
 * mode: a saved one read back into answers (never a typed secret, a Key Vault reference
 * kept), Save updating the same one, a rename or another workspace refused, the home
 * screen's entry and its actions (Test connection on the saved one, Remove). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/az_fake.h"
#include "app/app_ctx.h"
#include "app/app_home.h"
#include "app/app_host.h"
#include "app/app_linked_service.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_linked_service.h"
#include "app/store_role.h"
#include "azure/az_identity.h"
#include "support/store_fixture.h"
#include "azure/az_error.h"
#include "util/fsutil.h"
#include "util/jsonpath.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/answers.h"
#include "wizard/headless.h"
#include "wizard/wiz_io.h"
#include "wizard/wizard.h"

#define SUB "6512a654-3dc7-492e-ba9c-c141f77be76a"
#define ML_ID           \
  "/subscriptions/" SUB \
  "/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ml1"
#define MI     "6bf3f643-48c8-4f57-aa36-29dc0f1efe3d"
#define SP_APP "e7e75694-8d04-4783-ab69-b76b328a2756"
#define SP_OID "d5905432-f481-42f6-99a3-4be1338cd719"
#define SECRET "Zq8~good-secret-value-42"

static json_t *parse(const char *text)
{
  json_error_t e;
  json_t *j = json_loads(text, 0, &e);
  if (!j)
    fail_msg("bad JSON in the test (%d): %s", e.line, e.text);
  return j;
}

static void assert_json(json_t *got, const char *want_text)
{
  json_t *want = parse(want_text);
  if (!json_equal(got, want)) {
    char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
    fail_msg("got %s\nwanted %s", g, want_text);
  }
  json_decref(want);
}

/* ---------- the definition ---------- */

static void body_msi(void **state)
{
  (void)state;
  struct app_ls_spec s = { 0 };
  s.ml_subscription = SUB;
  s.ml_resource_group = "rg-ml";
  s.ml_workspace = "ml1";
  s.auth = APP_LS_AUTH_MSI;
  s.integration_runtime = "AutoResolveIntegrationRuntime";
  json_t *p = app_ls_properties(&s);
  /* Exactly API.md D.3's MSI example: authentication "MSI", no connectVia for AutoResolve. */
  assert_json(p, "{\"type\":\"AzureMLService\",\"typeProperties\":{\"subscriptionId\":\"" SUB
                 "\",\"resourceGroupName\":\"rg-ml\",\"mlWorkspaceName\":\"ml1\","
                 "\"authentication\":\"MSI\"}}");
  assert_string_equal(json_path_str(p, "typeProperties.authentication"), "MSI");
  json_decref(p);
  s.integration_runtime = "ManagedIR";
  p = app_ls_properties(&s);
  assert_json(json_object_get(p, "connectVia"),
              "{\"referenceName\":\"ManagedIR\",\"type\":\"IntegrationRuntimeReference\"}");
  json_decref(p);
}

static void body_service_principal(void **state)
{
  (void)state;
  struct app_ls_spec s = { 0 };
  s.ml_subscription = SUB;
  s.ml_resource_group = "rg-ml";
  s.ml_workspace = "ml1";
  s.auth = APP_LS_AUTH_SERVICE_PRINCIPAL;
  s.client_id = SP_APP;
  s.tenant = "contoso.onmicrosoft.com";
  s.key = APP_LS_KEY_SECURE_STRING;
  s.secret = SECRET;
  json_t *p = app_ls_properties(&s);
  assert_json(p, "{\"type\":\"AzureMLService\",\"typeProperties\":{\"subscriptionId\":\"" SUB
                 "\",\"resourceGroupName\":\"rg-ml\",\"mlWorkspaceName\":\"ml1\","
                 "\"servicePrincipalId\":\"" SP_APP "\",\"servicePrincipalKey\":{\"type\":"
                 "\"SecureString\",\"value\":\"" SECRET "\"},\"tenant\":"
                 "\"contoso.onmicrosoft.com\"}}");
  assert_null(json_path(p, "typeProperties.authentication"));
  json_decref(p);
  s.key = APP_LS_KEY_KEY_VAULT;
  s.secret = NULL;
  s.key_vault_linked_service = "Vault1";
  s.secret_name = "ml-sp";
  p = app_ls_properties(&s);
  assert_json(json_path(p, "typeProperties.servicePrincipalKey"),
              "{\"type\":\"AzureKeyVaultSecret\",\"store\":{\"referenceName\":\"Vault1\","
              "\"type\":\"LinkedServiceReference\"},\"secretName\":\"ml-sp\"}");
  json_decref(p);
}

/* ---------- read-back ---------- */

/* A saved linked service, read back into the wizard's answers (edit mode). */
static void saved_answers(void **state)
{
  (void)state;
  struct strbuf why;
  strbuf_init(&why, 0);
  struct app_ls_saved sv;
  json_t *msi = parse("{\"name\":\"LS1\",\"properties\":{\"type\":\"AzureMLService\","
                      "\"connectVia\":{\"referenceName\":\"ManagedIR\",\"type\":"
                      "\"IntegrationRuntimeReference\"},\"typeProperties\":{\"subscriptionId\":"
                      "\"" SUB "\",\"resourceGroupName\":\"rg-ml\",\"mlWorkspaceName\":\"ml1\","
                      "\"authentication\":\"MSI\"}}}");
  assert_true(app_ls_saved_read(msi, &sv, &why));
  json_t *a = app_ls_saved_answers(&sv, SUB, "ws1");
  assert_json(a, "{\"subscription\":\"" SUB "\",\"workspace\":\"ws1\",\"name\":\"LS1\","
                 "\"ml_subscription\":\"" SUB "\",\"ml_workspace\":\"ml1\",\"authentication\":"
                 "\"managed_identity\",\"integration_runtime\":\"ManagedIR\"}");
  json_decref(a);
  app_ls_saved_done(&sv);
  json_decref(msi);
  /* A typed secret comes back masked: never an answer, it must be given again. */
  json_t *sp = parse("{\"name\":\"LS1\",\"properties\":{\"type\":\"AzureMLService\","
                     "\"typeProperties\":{\"subscriptionId\":\"" SUB "\",\"resourceGroupName\":"
                     "\"rg-ml\",\"mlWorkspaceName\":\"ml1\",\"servicePrincipalId\":\"" SP_APP
                     "\",\"servicePrincipalKey\":{\"type\":\"SecureString\",\"value\":"
                     "\"**********\"},\"tenant\":\"contoso.onmicrosoft.com\"}}}");
  assert_true(app_ls_saved_read(sp, &sv, &why));
  a = app_ls_saved_answers(&sv, SUB, "ws1");
  assert_json(a, "{\"subscription\":\"" SUB "\",\"workspace\":\"ws1\",\"name\":\"LS1\","
                 "\"ml_subscription\":\"" SUB "\",\"ml_workspace\":\"ml1\",\"authentication\":"
                 "\"service_principal\",\"client_id\":\"" SP_APP "\",\"secret_source\":"
                 "\"secure_string\",\"tenant\":\"contoso.onmicrosoft.com\","
                 "\"integration_runtime\":\"AutoResolveIntegrationRuntime\"}");
  json_decref(a);
  app_ls_saved_done(&sv);
  json_decref(sp);
  /* A Key Vault reference is kept. */
  json_t *kv = parse("{\"name\":\"LS1\",\"properties\":{\"type\":\"AzureMLService\","
                     "\"typeProperties\":{\"subscriptionId\":\"" SUB "\",\"resourceGroupName\":"
                     "\"rg-ml\",\"mlWorkspaceName\":\"ml1\",\"servicePrincipalId\":\"" SP_APP
                     "\",\"servicePrincipalKey\":{\"type\":\"AzureKeyVaultSecret\",\"store\":"
                     "{\"referenceName\":\"Vault1\",\"type\":\"LinkedServiceReference\"},"
                     "\"secretName\":\"ml-sp\",\"secretVersion\":\"v2\"},\"tenant\":\"t1\"}}}");
  assert_true(app_ls_saved_read(kv, &sv, &why));
  a = app_ls_saved_answers(&sv, SUB, "ws1");
  assert_string_equal(json_path_str(a, "secret_source"), "key_vault");
  assert_string_equal(json_path_str(a, "key_vault_linked_service"), "Vault1");
  assert_string_equal(json_path_str(a, "secret_name"), "ml-sp");
  assert_string_equal(json_path_str(a, "secret_version"), "v2");
  assert_null(json_object_get(a, "secret"));
  json_decref(a);
  app_ls_saved_done(&sv);
  json_decref(kv);
  /* Another type, or an expression where a name is expected: not editable, said why. */
  json_t *blob = parse("{\"name\":\"Lake\",\"properties\":{\"type\":\"AzureBlobFS\"}}");
  assert_false(app_ls_saved_read(blob, &sv, &why));
  assert_non_null(strstr(why.buf, "Lake is not an Azure Machine Learning linked service (its type "
                                  "is AzureBlobFS)"));
  json_decref(blob);
  strbuf_reset(&why);
  json_t *expr = parse("{\"name\":\"LS1\",\"properties\":{\"type\":\"AzureMLService\","
                       "\"typeProperties\":{\"subscriptionId\":\"" SUB "\",\"resourceGroupName\":"
                       "\"rg-ml\",\"mlWorkspaceName\":{\"value\":\"@pipeline().ws\",\"type\":"
                       "\"Expression\"},\"authentication\":\"MSI\"}}}");
  assert_false(app_ls_saved_read(expr, &sv, &why));
  assert_non_null(strstr(why.buf, "mlWorkspaceName is not a plain value"));
  json_decref(expr);
  strbuf_done(&why);
  /* The edit reference: WS/NAME, split at the last '/'. */
  char *ref = app_ls_edit_ref("ws1", "LS1");
  assert_string_equal(ref, "ws1/LS1");
  char *ws = NULL, *name = NULL;
  assert_true(app_ls_edit_ref_parse(ref, &ws, &name));
  assert_string_equal(ws, "ws1");
  assert_string_equal(name, "LS1");
  free(ws);
  free(name);
  free(ref);
  assert_true(app_ls_edit_ref_parse("https://ws1.dev.azuresynapse.net/LS1", &ws, &name));
  assert_string_equal(ws, "https://ws1.dev.azuresynapse.net");
  assert_string_equal(name, "LS1");
  free(ws);
  free(name);
  assert_false(app_ls_edit_ref_parse("LS1", &ws, &name));
  assert_false(app_ls_edit_ref_parse("ws1/", &ws, &name));
}

static void read_back(void **state)
{
  (void)state;
  json_t *sent = parse("{\"type\":\"AzureMLService\",\"typeProperties\":{\"subscriptionId\":\"s\","
                       "\"resourceGroupName\":\"rg\",\"mlWorkspaceName\":\"ml1\","
                       "\"authentication\":\"MSI\"}}");
  struct strbuf why;
  strbuf_init(&why, 0);
  json_t *same = parse("{\"id\":\"x\",\"name\":\"LS1\",\"etag\":\"e\",\"properties\":{\"type\":"
                       "\"AzureMLService\",\"typeProperties\":{\"subscriptionId\":\"s\","
                       "\"resourceGroupName\":\"rg\",\"mlWorkspaceName\":\"ml1\","
                       "\"authentication\":\"MSI\"}}}");
  assert_true(app_ls_read_back_matches(sent, same, &why));
  assert_int_equal(why.len, 0);
  /* What a typed SDK client produces: authentication dropped (azure-powershell#21930). */
  json_t *dropped = parse("{\"properties\":{\"type\":\"AzureMLService\",\"typeProperties\":{"
                          "\"subscriptionId\":\"s\",\"resourceGroupName\":\"rg\","
                          "\"mlWorkspaceName\":\"ml1\"}}}");
  assert_false(app_ls_read_back_matches(sent, dropped, &why));
  assert_non_null(
      strstr(why.buf, "typeProperties.authentication: sent \"MSI\", read back nothing"));
  strbuf_reset(&why);
  json_t *other = parse("{\"properties\":{\"type\":\"AzureMLService\",\"connectVia\":{"
                        "\"referenceName\":\"OnPremisesIR\",\"type\":"
                        "\"IntegrationRuntimeReference\"},\"typeProperties\":{\"subscriptionId\":"
                        "\"s\",\"resourceGroupName\":\"rg\",\"mlWorkspaceName\":\"ml2\","
                        "\"authentication\":\"MSI\"}}}");
  assert_false(app_ls_read_back_matches(sent, other, &why));
  assert_non_null(strstr(why.buf, "mlWorkspaceName"));
  assert_non_null(strstr(why.buf, "connectVia"));
  strbuf_reset(&why);
  /* A SecureString comes back masked: only its type is compared, and no value is printed. */
  json_t *sp = parse("{\"type\":\"AzureMLService\",\"typeProperties\":{\"subscriptionId\":\"s\","
                     "\"resourceGroupName\":\"rg\",\"mlWorkspaceName\":\"ml1\","
                     "\"servicePrincipalId\":\"a\",\"servicePrincipalKey\":{\"type\":"
                     "\"SecureString\",\"value\":\"" SECRET "\"},\"tenant\":\"t\"}}");
  json_t *masked = parse("{\"properties\":{\"type\":\"AzureMLService\",\"typeProperties\":{"
                         "\"subscriptionId\":\"s\",\"resourceGroupName\":\"rg\","
                         "\"mlWorkspaceName\":\"ml1\",\"servicePrincipalId\":\"a\","
                         "\"servicePrincipalKey\":{\"type\":\"SecureString\",\"value\":"
                         "\"**********\"},\"tenant\":\"t\"}}}");
  assert_true(app_ls_read_back_matches(sp, masked, &why));
  json_t *nokey = parse("{\"properties\":{\"type\":\"AzureMLService\",\"typeProperties\":{"
                        "\"subscriptionId\":\"s\",\"resourceGroupName\":\"rg\","
                        "\"mlWorkspaceName\":\"ml1\",\"servicePrincipalId\":\"a\",\"tenant\":"
                        "\"t\"}}}");
  assert_false(app_ls_read_back_matches(sp, nokey, &why));
  assert_null(strstr(why.buf, SECRET));
  strbuf_done(&why);
  json_t *all[] = { sent, same, dropped, other, sp, masked, nokey };
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
    json_decref(all[i]);
}

/* ---------- the filter ---------- */

static void filter_refusals(void **state)
{
  (void)state;
  struct wiz_list ws;
  wiz_list_init(&ws);
  wiz_item_set_attr(wiz_list_add(&ws, "contoso-synapse", NULL, NULL, NULL),
                    "prevent_data_exfiltration", "false");
  wiz_item_set_attr(wiz_list_add(&ws, "contoso-synapse-dep", NULL, NULL, NULL),
                    "prevent_data_exfiltration", "true");
  app_ls_filter("synapse_workspaces", &ws, NULL);
  assert_null(ws.items[0].invalid_reason);
  assert_string_equal(ws.items[1].invalid_reason, APP_LS_DEP_REASON);
  assert_non_null(strstr(ws.items[1].invalid_reason,
                         "not currently supported in Synapse Workspaces with Data Exfiltration "
                         "Protection"));
  wiz_list_done(&ws);
  struct wiz_list irs;
  wiz_list_init(&irs);
  wiz_item_set_attr(wiz_list_add(&irs, "AutoResolveIntegrationRuntime", NULL, NULL, NULL), "type",
                    "Managed");
  wiz_item_set_attr(wiz_list_add(&irs, "OnPremisesIR", NULL, NULL, NULL), "type", "SelfHosted");
  app_ls_filter("integration_runtimes", &irs, NULL);
  assert_null(irs.items[0].invalid_reason);
  assert_string_equal(irs.items[1].invalid_reason,
                      "AzureML linked service is not supported with self hosted integration "
                      "runtimes. This applies to Synapse workspaces with and without Data "
                      "Exfiltration Protection.");
  wiz_list_done(&irs);
}

/* ---------- Test connection's reading of errors ---------- */

static void diagnose_body(int status, const char *body, const char *title_part,
                          enum wiz_outcome outcome, bool no_role)
{
  struct az_error e;
  az_error_init(&e);
  az_error_from_answer(&e, status, NULL, body, strlen(body));
  if (status == 400 || status == 401) {
    if (e.code && strncmp(e.code, "AADSTS", 6) == 0)
      e.result = AZ_E_AUTH; /* as az_credential_parse reports a refused sign-in */
  }
  struct app_ls_diagnosis d;
  app_ls_diagnose(&e, SP_APP, "contoso.onmicrosoft.com", "ml1", &d);
  if (!strstr(d.title, title_part))
    fail_msg("title '%s' lacks '%s'", d.title, title_part);
  assert_int_equal(d.outcome, outcome);
  assert_int_equal(d.no_role, no_role);
  assert_non_null(d.todo);
  app_ls_diagnosis_done(&d);
  az_error_done(&e);
}

static void diagnose_errors(void **state)
{
  (void)state;
  diagnose_body(
      401,
      "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client "
      "secret provided.\",\"error_codes\":[7000215]}",
      "client secret is wrong", WIZ_OUTCOME_REFUSED, false);
  diagnose_body(400,
                "{\"error\":\"unauthorized_client\",\"error_description\":\"AADSTS700016: "
                "Application with identifier 'x' was not found\",\"error_codes\":[700016]}",
                "knows no application " SP_APP, WIZ_OUTCOME_REFUSED, false);
  diagnose_body(400,
                "{\"error\":\"invalid_request\",\"error_description\":\"AADSTS90002: Tenant "
                "'nope' not found.\",\"error_codes\":[90002]}",
                "knows no tenant contoso.onmicrosoft.com", WIZ_OUTCOME_REFUSED, false);
  diagnose_body(403,
                "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client 'x' with "
                "object id 'y' does not have authorization to perform action "
                "'Microsoft.MachineLearningServices/workspaces/read' over scope 'z'\"}}",
                "has no role on ml1", WIZ_OUTCOME_REFUSED, true);
  diagnose_body(404,
                "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource "
                "'Microsoft.MachineLearningServices/workspaces/ml1' under resource group 'rg' "
                "was not found.\"}}",
                "ml1 was not found", WIZ_OUTCOME_REFUSED, false);
  diagnose_body(404,
                "{\"error\":{\"code\":\"SubscriptionNotFound\",\"message\":\"The subscription "
                "'s' could not be found.\"}}",
                "cannot see the Azure ML workspace's subscription", WIZ_OUTCOME_REFUSED, true);
  diagnose_body(503, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}}",
                "could not be completed", WIZ_OUTCOME_FAILED, false);
}

/* ---------- roles, commands, Spark ---------- */

static void roles_and_commands(void **state)
{
  (void)state;
  assert_true(app_ls_role_covers("b24988ac-6180-42a0-ab88-20f7382dd24c", NULL));
  assert_true(app_ls_role_covers("8E3AF657-A8FF-443C-A75C-2FE8C4BCB635", NULL));
  assert_false(app_ls_role_covers("acdd72a7-3385-48ef-bd42-f606fba81ae7", NULL));
  json_t *custom = parse("{\"properties\":{\"roleName\":\"ML Operator\",\"permissions\":[{"
                         "\"actions\":[\"Microsoft.MachineLearningServices/*\"],\"notActions\":[]}"
                         "]}}");
  assert_true(app_ls_role_covers("11111111-1111-1111-1111-111111111111", custom));
  json_t *scientist = parse("{\"properties\":{\"permissions\":[{\"actions\":["
                            "\"Microsoft.MachineLearningServices/workspaces/*/read\"],"
                            "\"notActions\":[\"Microsoft.MachineLearningServices/workspaces/"
                            "write\"]}]}}");
  assert_false(app_ls_role_covers("f6c7c914-8db3-469d-8ca1-694a8f32e121", scientist));
  json_decref(custom);
  json_decref(scientist);
  char *az = app_ls_grant_az_command(MI, ML_ID);
  assert_string_equal(az, "az role assignment create --assignee-object-id " MI
                          " --assignee-principal-type ServicePrincipal --role Contributor "
                          "--scope " ML_ID);
  free(az);
  char *rest = app_ls_grant_rest_command(MI, ML_ID);
  assert_non_null(strstr(rest, "synwiz rest --method put --url '" ML_ID
                               "/providers/Microsoft.Authorization/roleAssignments/"));
  assert_non_null(strstr(rest, "\"roleDefinitionId\":\"/subscriptions/" SUB
                               "/providers/Microsoft.Authorization/roleDefinitions/"
                               "b24988ac-6180-42a0-ab88-20f7382dd24c\",\"principalId\":\"" MI
                               "\",\"principalType\":\"ServicePrincipal\""));
  free(rest);
  json_t *pools = parse("{\"value\":[{\"name\":\"p33\",\"properties\":{\"sparkVersion\":\"3.3\"}},"
                        "{\"name\":\"p35\",\"properties\":{\"sparkVersion\":\"3.5\"}},"
                        "{\"name\":\"p34\",\"properties\":{\"sparkVersion\":\"3.4\"}}]}");
  char *affected = app_ls_spark_pools_affected(pools);
  assert_string_equal(affected, "p33 (3.3), p34 (3.4)");
  free(affected);
  json_decref(pools);
}

/* ====================================================================================
 * The host on the fake transport, through the engine's headless twin
 * ==================================================================================== */

struct world {
  bool ms_has_role;         /* the workspace identity holds Contributor on ml1 */
  bool fail_operation;      /* the PUT's operation ends {"status":"Failed"} after a 200 */
  bool drop_authentication; /* Synapse "forgets" authentication on read-back */
  char *stored;             /* the linked service PUT, as Synapse keeps it */
  int puts, grants, guest_tokens, deletes;
};

static char *user_token(void)
{
  return azfake_jwt("{\"oid\":\"d2ede023-6254-4361-9878-f37823382d46\",\"tid\":\"t1\","
                    "\"appid\":\"c1\",\"exp\":4102444800}");
}

static bool world_answer(struct azfake *f, const struct azfake_record *req,
                         struct azfake_reply *out, void *ud)
{
  (void)f;
  struct world *w = ud;
  const char *u = req->url;
  out->status = 200;
  out->headers = xstrdup("Content-Type: application/json");
  if (strstr(u, "/oauth2/v2.0/token")) {
    if (strstr(req->body, "client_id=" SP_APP)) {
      w->guest_tokens++;
      if (!strstr(req->body, "client_secret=" SECRET)) {
        out->status = 401;
        out->body = xstrdup("{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: "
                            "Invalid client secret provided.\",\"error_codes\":[7000215]}");
        return true;
      }
      char *t = azfake_jwt("{\"oid\":\"" SP_OID "\",\"tid\":\"t1\",\"appid\":\"" SP_APP "\"}");
      out->body = azfake_token_body(t, 3600);
      free(t);
      return true;
    }
    char *t = user_token();
    out->body = azfake_token_body(t, 3600);
    free(t);
    return true;
  }
  bool is_get = strcmp(req->method, "GET") == 0;
  if (strstr(u, "graph.microsoft.com") && strstr(u, "servicePrincipals?") && strstr(u, SP_APP)) {
    out->body = xstrdup("{\"value\":[{\"id\":\"" SP_OID "\",\"appId\":\"" SP_APP "\"}]}");
  } else if (strstr(u, "graph.microsoft.com")) {
    out->status = 404;
    out->body = xstrdup("{\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"no\"}}");
  } else if (strstr(u, "/providers/Microsoft.Authorization/roleAssignments?")) {
    out->body = xstrdup(
        w->ms_has_role ? "{\"value\":[{\"properties\":{\"roleDefinitionId\":\"/subscriptions/" SUB
                         "/providers/Microsoft.Authorization/roleDefinitions/"
                         "b24988ac-6180-42a0-ab88-20f7382dd24c\",\"principalId\":\"" MI
                         "\",\"scope\":\"" ML_ID "\"}}]}"
                       : "{\"value\":[]}");
  } else if (strstr(u, "/providers/Microsoft.Authorization/roleAssignments/")) {
    w->grants++;
    w->ms_has_role = true;
    out->status = 201;
    out->body = xstrdup("{}");
  } else if (strstr(u, "/providers/Microsoft.Authorization/permissions")) {
    out->body = xstrdup("{\"value\":[{\"actions\":[\"*\"],\"notActions\":[]}]}");
  } else if (strstr(u, "/subscriptions?")) {
    out->body = xstrdup("{\"value\":[{\"subscriptionId\":\"" SUB "\",\"displayName\":\"Contoso "
                        "Analytics\",\"state\":\"Enabled\"}]}");
  } else if (strstr(u, "/bigDataPools")) {
    out->body = xstrdup("{\"value\":[{\"name\":\"sparkpool34\",\"properties\":{\"sparkVersion\":"
                        "\"3.4\"}}]}");
  } else if (strstr(u, "/integrationRuntimes")) {
    out->body = xstrdup("{\"value\":[{\"name\":\"AutoResolveIntegrationRuntime\",\"properties\":"
                        "{\"type\":\"Managed\"}},{\"name\":\"OnPremisesIR\",\"properties\":{"
                        "\"type\":\"SelfHosted\"}}]}");
  } else if (strstr(u, "/providers/Microsoft.Synapse/workspaces?")) {
    out->body = xstrdup(
        "{\"value\":[{\"name\":\"ws1\",\"id\":\"/subscriptions/" SUB "/resourceGroups/rg-a/"
        "providers/Microsoft.Synapse/workspaces/ws1\",\"identity\":{\"principalId\":\"" MI "\"},"
        "\"properties\":{\"connectivityEndpoints\":{\"dev\":\"https://ws1.dev.azuresynapse.net\"}"
        "}},{\"name\":\"wsdep\",\"id\":\"/subscriptions/" SUB "/resourceGroups/rg-a/providers/"
        "Microsoft.Synapse/workspaces/wsdep\",\"properties\":{\"managedVirtualNetwork\":"
        "\"default\",\"managedVirtualNetworkSettings\":{\"preventDataExfiltration\":true}}}]}");
  } else if (strstr(u, "/providers/Microsoft.Synapse/workspaces/contoso-synapse?")) {
    out->body =
        xstrdup("{\"name\":\"contoso-synapse\",\"properties\":{\"managedVirtualNetwork\":"
                "\"default\",\"managedVirtualNetworkSettings\":{\"preventDataExfiltration\":"
                "true}}}");
  } else if (strstr(u, "/providers/Microsoft.Synapse/workspaces/ws1?")) {
    out->body = xstrdup("{\"name\":\"ws1\",\"identity\":{\"principalId\":\"" MI "\"},"
                        "\"properties\":{\"connectivityEndpoints\":{\"dev\":"
                        "\"https://ws1.dev.azuresynapse.net\"}}}");
  } else if (strstr(u, "/providers/Microsoft.MachineLearningServices/workspaces?")) {
    out->body = xstrdup("{\"value\":[{\"name\":\"ml1\",\"id\":\"" ML_ID "\"}]}");
  } else if (strstr(u, "/providers/Microsoft.MachineLearningServices/workspaces/ml1?")) {
    out->body = xstrdup("{\"name\":\"ml1\",\"id\":\"" ML_ID "\"}");
  } else if (strstr(u, "ws1.dev.azuresynapse.net/linkedservices?")) {
    out->body = xstrdup("{\"value\":[]}");
  } else if (strstr(u, "ws1.dev.azuresynapse.net/linkedservices/LS1") && is_get) {
    if (!w->stored) {
      out->status = 404;
      out->body = xstrdup("{\"error\":{\"code\":\"LinkedServiceNotFound\",\"message\":\"no\"}}");
    } else {
      json_t *j = parse(w->stored);
      json_t *key = json_path(j, "properties.typeProperties.servicePrincipalKey");
      if (key)
        json_object_set_new(key, "value", json_string("**********"));
      if (w->drop_authentication)
        json_object_del(json_path(j, "properties.typeProperties"), "authentication");
      out->body = json_dumps(j, JSON_COMPACT);
      json_decref(j);
    }
  } else if (strstr(u, "ws1.dev.azuresynapse.net/linkedservices/LS1") &&
             strcmp(req->method, "DELETE") == 0) {
    w->deletes++;
    free(w->stored);
    w->stored = NULL;
    out->body = xstrdup("");
  } else if (strstr(u, "ws1.dev.azuresynapse.net/linkedservices/LS1")) {
    w->puts++;
    free(out->headers);
    out->status = 202;
    out->headers = xstrdup("Location: https://ws1.dev.azuresynapse.net/operationResults/op1?"
                           "api-version=2020-12-01\nRetry-After: 1");
    out->body = xstrdup("");
    if (!w->fail_operation) {
      free(w->stored);
      w->stored = xstrdup(req->body);
    }
  } else if (strstr(u, "/operationResults/op1")) {
    out->body = xstrdup(w->fail_operation
                            ? "{\"status\":\"Failed\",\"error\":{\"code\":\"OperationFailed\","
                              "\"message\":\"Linked service 'LS1' could not be created.\"}}"
                            : "{}");
  } else {
    out->status = 404;
    out->body = xstrdup("{\"error\":{\"code\":\"NotFound\",\"message\":\"not in the test\"}}");
  }
  return true;
}

struct hostfx {
  struct world w;
  struct azfake *fake;
  struct app_ctx *app;
  struct wiz_host *host;
  struct wiz_form *form;
  struct wizard *wiz;
  char *dir;
};

static int host_setup(void **state)
{
  struct hostfx *fx = xcalloc(1, sizeof(*fx));
  fx->fake = azfake_new();
  azfake_set_handler(fx->fake, world_answer, &fx->w);
  fx->dir = azfake_tempdir();
  char *store = xasprintf("%s/store", fx->dir);
  struct app_ctx_options o = { azfake_client(fx->fake, "AzureCloud", azfake_secret_credential()),
                               store };
  fx->app = app_ctx_new(&o);
  free(store);
  assert_non_null(app_ctx_identity(fx->app));
  struct strbuf why;
  strbuf_init(&why, 0);
  enum app_result open_rc = APP_OK;
  fx->host = app_host_open(fx->app, "linked_service", &why, &open_rc);
  strbuf_done(&why);
  assert_non_null(fx->host);
  const char *src = getenv("SYNWIZ_SOURCE_DIR");
  char *path = xasprintf("%s/forms/linked_service.json", src ? src : SYNWIZ_SOURCE_DIR);
  struct wiz_form_error err;
  assert_int_equal(wiz_form_load(path, fx->host->decl, &fx->form, &err), WIZ_OK);
  free(path);
  fx->wiz = wiz_new(fx->form, fx->host);
  setenv("SYNWIZ_ROLE_WAIT_SECONDS", "5", 1);
  *state = fx;
  return 0;
}

static int host_teardown(void **state)
{
  struct hostfx *fx = *state;
  wiz_delete(fx->wiz);
  wiz_form_delete(fx->form);
  app_host_close(fx->host);
  app_ctx_delete(fx->app);
  azfake_delete(fx->fake);
  azfake_rmtree(fx->dir);
  free(fx->dir);
  free(fx->w.stored);
  free(fx);
  unsetenv("SP_SECRET");
  return 0;
}

/* Check the answers, run the finish action; its outcome, or -1 when an answer was refused
 * (the problems then go in `problems`). */
static int check_and_finish(struct hostfx *fx, struct strbuf *problems)
{
  struct wiz_problems p = { 0 };
  wiz_headless_check(fx->wiz, &p, 10000);
  if (p.n) {
    for (size_t i = 0; i < p.n; i++)
      strbuf_printf(problems, "%s: %s (rule: %s)\n", p.v[i].field, p.v[i].message, p.v[i].rule);
    if (getenv("TEST_VERBOSE"))
      fprintf(stderr, "%s", problems->buf);
    wiz_problems_done(&p);
    return -1;
  }
  wiz_problems_done(&p);
  return (int)wiz_headless_action(fx->wiz, NULL, NULL, NULL, 600000);
}

/* Load `answers` (JSON text), check them, run the finish action; returns its outcome, or
 * -1 when an answer was refused (the problems then go in `problems`). */
static int run(struct hostfx *fx, const char *answers, struct strbuf *problems)
{
  /* A new wizard per run, as the CLI makes one per command (the host and its caches stay). */
  wiz_delete(fx->wiz);
  fx->wiz = wiz_new(fx->form, fx->host);
  char *file = xasprintf("%s/answers.json", fx->dir);
  assert_int_equal(fs_write_atomic(file, answers, strlen(answers), 0600), 0);
  struct strbuf errs;
  strbuf_init(&errs, 0);
  assert_int_equal(wiz_load_answers_file(fx->wiz, file, &errs), WIZ_OK);
  strbuf_done(&errs);
  free(file);
  return check_and_finish(fx, problems);
}

static const struct azfake_record *last_put(struct hostfx *fx)
{
  for (size_t i = azfake_count(fx->fake); i-- > 0;) {
    const struct azfake_record *r = azfake_request(fx->fake, i);
    if (strcmp(r->method, "PUT") == 0 && strstr(r->url, "/linkedservices/"))
      return r;
  }
  return NULL;
}

static size_t records_in_store(struct hostfx *fx)
{
  struct store *s = NULL;
  assert_int_equal(app_ctx_store(fx->app, &s, NULL), APP_OK);
  struct store_linked_service_list l;
  assert_int_equal(store_linked_service_list(s, &l), APP_OK);
  size_t n = l.n;
  store_linked_service_list_done(&l);
  return n;
}

#define MSI_ANSWERS                                                                        \
  "{\"subscription\":\"Contoso Analytics\",\"workspace\":\"ws1\",\"name\":\"LS1\","        \
  "\"ml_subscription\":\"Contoso Analytics\",\"ml_workspace\":\"ml1\",\"authentication\":" \
  "\"managed_identity\""

static void save_msi_exact_body(void **state)
{
  struct hostfx *fx = *state;
  fx->w.ms_has_role = false;
  struct strbuf pb;
  strbuf_init(&pb, 0);
  /* The role is missing and grant_role is not given: refused, nothing sent, offer to grant. */
  assert_int_equal(run(fx, MSI_ANSWERS "}", &pb), WIZ_OUTCOME_REFUSED);
  assert_null(last_put(fx));
  const struct wiz_report *r = wiz_job_report(fx->wiz);
  assert_string_equal(r->title, "Linked service not saved");
  bool offered = false;
  for (size_t i = 0; i < r->n_followups; i++)
    offered |= strcmp(r->followups[i].action, "linked_service_grant") == 0;
  assert_true(offered);
  /* grant_role true does what the offer would: grant, wait (fake clock), test, save. */
  assert_int_equal(run(fx, MSI_ANSWERS ",\"grant_role\":true}", &pb), WIZ_OUTCOME_DONE);
  assert_int_equal(fx->w.grants, 1);
  const struct azfake_record *put = last_put(fx);
  assert_non_null(put);
  assert_string_equal(put->url, "https://ws1.dev.azuresynapse.net/linkedservices/LS1?api-version="
                                "2020-12-01");
  json_t *body = parse(put->body);
  assert_json(body, "{\"name\":\"LS1\",\"properties\":{\"type\":\"AzureMLService\","
                    "\"typeProperties\":{\"subscriptionId\":\"" SUB "\",\"resourceGroupName\":"
                    "\"rg-ml\",\"mlWorkspaceName\":\"ml1\",\"authentication\":\"MSI\"}}}");
  json_decref(body);
  assert_int_equal(records_in_store(fx), 1);
  strbuf_done(&pb);
}

/* Issue 13 item 2: the report's "Grant" follow-up writes to Azure (a role assignment), so
 * the store's role is checked before it as before a save: a viewer grants nothing. */
static void grant_refused_for_a_viewer(void **state)
{
  struct hostfx *fx = *state;
  fx->w.ms_has_role = false;
  struct strbuf pb;
  strbuf_init(&pb, 0);
  assert_int_equal(run(fx, MSI_ANSWERS "}", &pb), WIZ_OUTCOME_REFUSED); /* grant offered */
  struct store *s = NULL;
  assert_int_equal(app_ctx_store(fx->app, &s, NULL), APP_OK);
  assert_int_equal(
      store_role_add(s, "00000000-0000-0000-0000-0000000000ad", "other admin", STORE_ROLE_ADMIN),
      APP_OK);
  assert_int_equal(store_role_add(s, app_ctx_identity(fx->app)->object_id, NULL, STORE_ROLE_VIEWER),
                   APP_OK);
  assert_int_equal(wiz_headless_action(fx->wiz, "linked_service_grant", NULL, NULL, 60000),
                   WIZ_OUTCOME_REFUSED);
  assert_int_equal(fx->w.grants, 0);
  strbuf_done(&pb);
}

#define SP_ANSWERS                                                                         \
  "{\"subscription\":\"Contoso Analytics\",\"workspace\":\"ws1\",\"name\":\"LS1\","        \
  "\"ml_subscription\":\"Contoso Analytics\",\"ml_workspace\":\"ml1\",\"authentication\":" \
  "\"service_principal\",\"client_id\":\"" SP_APP "\",\"secret\":{\"env\":\"SP_SECRET\"}," \
  "\"tenant\":\"contoso.onmicrosoft.com\"}"

static void save_service_principal(void **state)
{
  struct hostfx *fx = *state;
  setenv("SP_SECRET", SECRET, 1);
  struct strbuf pb;
  strbuf_init(&pb, 0);
  assert_int_equal(run(fx, SP_ANSWERS, &pb), WIZ_OUTCOME_DONE);
  assert_int_equal(fx->w.guest_tokens, 1);
  /* The guest's calls carry the service principal's token; the user's calls their own. */
  size_t guest_calls = 0;
  for (size_t i = 0; i < azfake_count(fx->fake); i++) {
    const struct azfake_record *r = azfake_request(fx->fake, i);
    const char *auth = az_headers_get(&r->headers, "Authorization");
    if (strstr(r->url, "MachineLearningServices/workspaces/ml1?") ||
        (strstr(r->url, "ml1/providers/Microsoft.Authorization/permissions") && auth)) {
      assert_non_null(auth);
      char *sp = azfake_jwt("{\"oid\":\"" SP_OID "\",\"tid\":\"t1\",\"appid\":\"" SP_APP "\"}");
      if (strstr(auth, sp))
        guest_calls++;
      free(sp);
    }
  }
  assert_int_equal(guest_calls, 2);
  const struct azfake_record *put = last_put(fx);
  json_t *body = parse(put->body);
  assert_json(body, "{\"name\":\"LS1\",\"properties\":{\"type\":\"AzureMLService\","
                    "\"typeProperties\":{\"subscriptionId\":\"" SUB "\",\"resourceGroupName\":"
                    "\"rg-ml\",\"mlWorkspaceName\":\"ml1\",\"servicePrincipalId\":\"" SP_APP "\","
                    "\"servicePrincipalKey\":{\"type\":\"SecureString\",\"value\":\"" SECRET "\"},"
                    "\"tenant\":\"contoso.onmicrosoft.com\"}}}");
  json_decref(body);
  assert_int_equal(records_in_store(fx), 1);
  /* The record (and the whole store) holds no secret. */
  char *cmd = xasprintf("grep -rqF -- '%s' '%s'", SECRET, fx->dir);
  assert_int_not_equal(system(cmd), 0);
  free(cmd);
  strbuf_done(&pb);
}

static void wrong_secret(void **state)
{
  struct hostfx *fx = *state;
  setenv("SP_SECRET", "not-the-secret", 1);
  struct strbuf pb;
  strbuf_init(&pb, 0);
  assert_int_equal(run(fx, SP_ANSWERS, &pb), WIZ_OUTCOME_REFUSED);
  const struct wiz_report *r = wiz_job_report(fx->wiz);
  bool said = false;
  for (size_t i = 0; i < r->n_findings; i++)
    said |= r->findings[i].status == WIZ_FINDING_FAIL &&
            strcmp(r->findings[i].title, "The client secret is wrong") == 0;
  assert_true(said);
  /* It offers to change the secret first (issue 15), not only to test again ... */
  assert_true(r->n_followups >= 2);
  assert_string_equal(r->followups[0].action, WIZ_FOLLOWUP_FIELD "secret");
  assert_string_equal(r->followups[0].label, "Change the secret");
  assert_string_equal(r->followups[1].action, "linked_service_test");
  assert_null(last_put(fx));
  assert_int_equal(records_in_store(fx), 0);
  /* ... and that follow-up goes back to the secret, the report closed, nothing run. */
  assert_int_equal(wiz_start_action(fx->wiz, r->followups[0].action, "Change the secret"), WIZ_OK);
  long secret = wiz_form_field_index(wiz_form(fx->wiz), "secret");
  assert_true(secret >= 0);
  assert_int_equal(wiz_focus(fx->wiz), (size_t)secret);
  assert_int_equal(wiz_step(fx->wiz), wiz_form(fx->wiz)->fields[secret].step);
  assert_int_equal(wiz_job_state(fx->wiz), WIZ_JOB_NONE);
  strbuf_done(&pb);
}

static void failed_operation_not_saved(void **state)
{
  struct hostfx *fx = *state;
  fx->w.ms_has_role = true;
  fx->w.fail_operation = true;
  struct strbuf pb;
  strbuf_init(&pb, 0);
  assert_int_equal(run(fx, MSI_ANSWERS "}", &pb), WIZ_OUTCOME_REFUSED);
  assert_int_equal(fx->w.puts, 1);
  const struct wiz_report *r = wiz_job_report(fx->wiz);
  assert_string_equal(r->title, "Linked service not saved");
  assert_int_equal(records_in_store(fx), 0);
  strbuf_done(&pb);
}

static void read_back_differs_not_saved(void **state)
{
  struct hostfx *fx = *state;
  fx->w.ms_has_role = true;
  fx->w.drop_authentication = true;
  struct strbuf pb;
  strbuf_init(&pb, 0);
  assert_int_equal(run(fx, MSI_ANSWERS "}", &pb), WIZ_OUTCOME_FAILED);
  const struct wiz_report *r = wiz_job_report(fx->wiz);
  bool said = false;
  for (size_t i = 0; i < r->n_findings; i++)
    said |= r->findings[i].detail &&
            strstr(r->findings[i].detail, "typeProperties.authentication") != NULL;
  assert_true(said);
  assert_int_equal(records_in_store(fx), 0);
  strbuf_done(&pb);
}

static void refusals_at_the_fields(void **state)
{
  struct hostfx *fx = *state;
  struct strbuf pb;
  strbuf_init(&pb, 0);
  assert_int_equal(run(fx,
                       "{\"subscription\":\"Contoso Analytics\",\"workspace\":\"wsdep\","
                       "\"name\":\"LS1\",\"ml_subscription\":\"Contoso Analytics\","
                       "\"ml_workspace\":\"ml1\"}",
                       &pb),
                   -1);
  assert_non_null(strstr(pb.buf, "workspace: "));
  assert_non_null(strstr(pb.buf, APP_LS_DEP_REASON));
  strbuf_reset(&pb);
  assert_int_equal(run(fx, MSI_ANSWERS ",\"integration_runtime\":\"OnPremisesIR\"}", &pb), -1);
  assert_non_null(strstr(pb.buf, "integration_runtime: "));
  assert_non_null(strstr(pb.buf, APP_LS_SHIR_REASON));
  strbuf_reset(&pb);
  setenv("SP_SECRET", SECRET, 1);
  assert_int_equal(run(fx,
                       "{\"subscription\":\"Contoso Analytics\",\"workspace\":\"ws1\",\"name\":"
                       "\"LS1\",\"ml_subscription\":\"Contoso Analytics\",\"ml_workspace\":"
                       "\"ml1\",\"authentication\":\"service_principal\",\"client_id\":"
                       "\"synwiz-automation\",\"secret\":{\"env\":\"SP_SECRET\"},\"tenant\":"
                       "\"contoso.onmicrosoft.com\"}",
                       &pb),
                   -1);
  assert_non_null(strstr(pb.buf, "client_id: "));
  assert_non_null(strstr(pb.buf, "(rule: application_id)"));
  strbuf_done(&pb);
}

/* A saved connection gives the workspace; one to a workspace with data exfiltration
 * protection is refused at the connection field, before any other. */
static void connections(void **state)
{
  struct hostfx *fx = *state;
  struct store *s = NULL;
  assert_int_equal(app_ctx_store(fx->app, &s, NULL), APP_OK);
  struct store_connection c;
  store_fixture_connection(&c, "DepLake", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s, &c), APP_OK);
  store_connection_done(&c);
  store_fixture_connection(&c, "Lake1", STORE_AUDIENCE_ADMINS);
  const char *fields[][2] = {
    { "subscription_id", SUB },
    { "workspace_name", "ws1" },
    { "workspace_resource_group", "rg-a" },
    { "workspace_id", "/subscriptions/" SUB "/resourceGroups/rg-a/providers/Microsoft.Synapse/"
                      "workspaces/ws1" },
    { "workspace_dev_endpoint", "https://ws1.dev.azuresynapse.net" },
    { "workspace_principal_id", MI },
  };
  char **slots[] = { &c.subscription_id, &c.workspace_name,         &c.workspace_resource_group,
                     &c.workspace_id,    &c.workspace_dev_endpoint, &c.workspace_principal_id };
  for (size_t i = 0; i < 6; i++) {
    free(*slots[i]);
    *slots[i] = xstrdup(fields[i][1]);
  }
  assert_int_equal(store_connection_create(s, &c), APP_OK);
  store_connection_done(&c);
  struct strbuf pb;
  strbuf_init(&pb, 0);
  assert_int_equal(run(fx,
                       "{\"connection\":\"DepLake\",\"name\":\"LS1\",\"ml_subscription\":"
                       "\"Contoso Analytics\",\"ml_workspace\":\"ml1\"}",
                       &pb),
                   -1);
  assert_non_null(strstr(pb.buf, "connection: \"DepLake\" cannot be used: " APP_LS_DEP_REASON));
  strbuf_reset(&pb);
  fx->w.ms_has_role = true;
  assert_int_equal(run(fx,
                       "{\"connection\":\"Lake1\",\"name\":\"LS1\",\"ml_subscription\":"
                       "\"Contoso Analytics\",\"ml_workspace\":\"ml1\"}",
                       &pb),
                   WIZ_OUTCOME_DONE);
  assert_string_equal(last_put(fx)->url,
                      "https://ws1.dev.azuresynapse.net/linkedservices/LS1?api-version=2020-12-01");
  strbuf_done(&pb);
}

/* A new wizard whose host is bound to `ref` (edit mode), on the saved answers, as the CLI
 * makes it: edit first, then the wizard. */
static void bind_wizard(struct hostfx *fx, const char *ref)
{
  wiz_delete(fx->wiz);
  enum app_result rc = APP_OK;
  struct strbuf why;
  strbuf_init(&why, 0);
  json_t *saved = app_host_edit(fx->host, ref, &why, &rc);
  if (!saved)
    fail_msg("edit %s: %s", ref, why.buf);
  fx->wiz = wiz_new(fx->form, fx->host);
  wiz_set_editing(fx->wiz, ref);
  assert_int_equal(wiz_apply_answers(fx->wiz, saved, false, &why), WIZ_OK);
  json_decref(saved);
  strbuf_done(&why);
}

/* Edit mode: bind to `ref`, then `answers` (JSON text) over the saved ones; as run(). */
static int run_edit(struct hostfx *fx, const char *ref, const char *answers,
                    struct strbuf *problems)
{
  bind_wizard(fx, ref);
  struct strbuf errs;
  strbuf_init(&errs, 0);
  json_t *more = parse(answers);
  assert_int_equal(wiz_apply_answers(fx->wiz, more, false, &errs), WIZ_OK);
  json_decref(more);
  strbuf_done(&errs);
  return check_and_finish(fx, problems);
}

static long record_revision(struct hostfx *fx)
{
  struct store *s = NULL;
  assert_int_equal(app_ctx_store(fx->app, &s, NULL), APP_OK);
  struct store_linked_service rec;
  store_linked_service_init(&rec);
  long rev = store_linked_service_find(s, "ws1", "LS1", &rec) == APP_OK ? rec.meta.revision : 0;
  store_linked_service_done(&rec);
  return rev;
}

static bool has_finding(const struct wiz_report *r, const char *title)
{
  for (size_t i = 0; r && i < r->n_findings; i++) {
    if (strcmp(r->findings[i].title, title) == 0)
      return true;
  }
  return false;
}

static void edit_updates_the_same_one(void **state)
{
  struct hostfx *fx = *state;
  fx->w.ms_has_role = true;
  struct strbuf pb;
  strbuf_init(&pb, 0);
  assert_int_equal(run(fx, MSI_ANSWERS "}", &pb), WIZ_OUTCOME_DONE);
  assert_int_equal(record_revision(fx), 1);
  /* Unchanged: Save updates LS1 in place (a new one of that name would be refused). */
  assert_int_equal(run_edit(fx, "ws1/LS1", "{}", &pb), WIZ_OUTCOME_DONE);
  assert_int_equal(fx->w.puts, 2);
  assert_string_equal(wiz_job_report(fx->wiz)->title, "Linked service updated");
  assert_true(
      has_finding(wiz_job_report(fx->wiz), "Linked service LS1 updated in ws1 and read back"));
  assert_int_equal(records_in_store(fx), 1);
  assert_int_equal(record_revision(fx), 2);
  /* Changed to a service principal: the same one, now with the principal's properties. */
  setenv("SP_SECRET", SECRET, 1);
  assert_int_equal(
      run_edit(fx, "ws1/LS1",
               "{\"authentication\":\"service_principal\",\"client_id\":\"" SP_APP
               "\",\"secret\":{\"env\":\"SP_SECRET\"},\"tenant\":\"contoso.onmicrosoft.com\"}",
               &pb),
      WIZ_OUTCOME_DONE);
  json_t *body = parse(last_put(fx)->body);
  assert_string_equal(json_path_str(body, "properties.typeProperties.servicePrincipalId"), SP_APP);
  json_decref(body);
  assert_int_equal(records_in_store(fx), 1);
  assert_int_equal(record_revision(fx), 3);
  /* Edited again: the typed secret is not given back (Synapse masks it), so it is asked for. */
  unsetenv("SP_SECRET");
  strbuf_reset(&pb);
  assert_int_equal(run_edit(fx, "ws1/LS1", "{}", &pb), -1);
  assert_non_null(strstr(pb.buf, "secret: Required. (rule: required)"));
  assert_int_equal(fx->w.puts, 3);
  strbuf_done(&pb);
}

static void edit_refusals(void **state)
{
  struct hostfx *fx = *state;
  fx->w.ms_has_role = true;
  struct strbuf pb;
  strbuf_init(&pb, 0);
  assert_int_equal(run(fx, MSI_ANSWERS "}", &pb), WIZ_OUTCOME_DONE);
  /* No rename: the name field says why. */
  assert_int_equal(run_edit(fx, "ws1/LS1", "{\"name\":\"LS2\"}", &pb), -1);
  assert_non_null(strstr(pb.buf, "name: Renaming is not supported: this edits LS1"));
  assert_int_equal(fx->w.puts, 1);
  /* Unknown workspace, unknown name, no workspace at all: refused before any screen. */
  const struct {
    const char *ref;
    enum app_result rc;
    const char *why;
  } cases[] = {
    { "nows/LS1", APP_NOT_FOUND, "no Synapse workspace you can see is named 'nows'" },
    { "ws1/Nope", APP_NOT_FOUND, "the Synapse workspace ws1 has no linked service named 'Nope'" },
    { "LS1", APP_INVALID, "does not name a linked service as WORKSPACE/NAME" },
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct strbuf why;
    strbuf_init(&why, 0);
    enum app_result rc = APP_OK;
    assert_null(app_host_edit(fx->host, cases[i].ref, &why, &rc));
    assert_int_equal(rc, cases[i].rc);
    if (!strstr(why.buf, cases[i].why))
      fail_msg("%s: %s", cases[i].ref, why.buf);
    strbuf_done(&why);
  }
  strbuf_done(&pb);
}

/* Run a host action the way the home screen does: bound by edit(), the answers applied but
 * never looked up (no screen), the action at once. */
static const struct wiz_report *home_action(struct hostfx *fx, const char *ref, const char *action)
{
  bind_wizard(fx, ref);
  assert_int_equal(wiz_start_action(fx->wiz, action, NULL), WIZ_OK);
  assert_true(wiz_wait_idle(fx->wiz, 600000));
  return wiz_job_report(fx->wiz);
}

static void home_entry_and_actions(void **state)
{
  struct hostfx *fx = *state;
  fx->w.ms_has_role = true;
  setenv("SP_SECRET", SECRET, 1);
  struct strbuf pb;
  strbuf_init(&pb, 0);
  assert_int_equal(run(fx, SP_ANSWERS, &pb), WIZ_OUTCOME_DONE);
  /* The home screen lists it with its actions, found again by workspace and name. */
  struct wiz_home *home = app_home_build(fx->app);
  const struct wiz_home_section *sec = NULL;
  for (size_t i = 0; i < home->n_sections; i++) {
    if (strcmp(home->sections[i].title, "Azure ML linked services") == 0)
      sec = &home->sections[i];
  }
  assert_non_null(sec);
  /* One row per thing, its columns filled. */
  assert_int_equal(sec->n_columns, 3);
  assert_string_equal(sec->entries[0].cells[0], "ws1");
  assert_int_equal(sec->n_entries, 1);
  assert_string_equal(sec->entries[0].name, "LS1");
  assert_string_equal(sec->entries[0].ref, "ws1/LS1");
  assert_string_equal(sec->entries[0].form, "linked_service");
  assert_int_equal(sec->entries[0].n_actions, 3);
  assert_string_equal(sec->entries[0].action[0], "linked_service_test");
  assert_string_equal(sec->entries[0].action[1], "edit");
  assert_string_equal(sec->entries[0].action[2], "linked_service_remove");
  /* The export wizard acts on each export, not on the whole section: nothing is offered on
   * the Exports section itself. */
  const struct wiz_home_section *ex0 = NULL;
  for (size_t i = 0; i < home->n_sections; i++) {
    if (strcmp(home->sections[i].title, "Exports") == 0)
      ex0 = &home->sections[i];
  }
  assert_non_null(ex0);
  assert_int_equal(ex0->n_actions, 0);
  wiz_home_delete(home);
  /* A wizard with a section-wide action on exports ("Run all"): offered on the section,
   * not on each export. */
  static const struct app_action export_actions[] = {
    { "home_test_run_all", "Run all", "export", 0, 0, APP_ACTION_SECTION },
    { "home_test_run", "Run", "export", 0, 0, 0 },
    { NULL, NULL, NULL, 0, 0, 0 },
  };
  assert_true(
      app_action_register("home_test_export", app_host_linked_service_open, export_actions, NULL));
  home = app_home_build(fx->app);
  const struct wiz_home_section *ex = NULL;
  for (size_t i = 0; i < home->n_sections; i++) {
    if (strcmp(home->sections[i].title, "Exports") == 0)
      ex = &home->sections[i];
  }
  assert_non_null(ex);
  assert_int_equal(ex->n_entries, 0);
  assert_int_equal(ex->n_columns, 4);
  assert_int_equal(ex->n_actions, 1);
  assert_string_equal(ex->action[0], "home_test_run_all");
  assert_string_equal(ex->label[0], "Run all");
  assert_string_equal(ex->form, "home_test_export");
  wiz_home_delete(home);
  /* Test connection on the saved one: no secret to sign in with (synwiz never kept it), so
   * the principal's role is what is checked; nothing new to save. */
  int tokens = fx->w.guest_tokens;
  const struct wiz_report *r = home_action(fx, "ws1/LS1", "linked_service_test");
  assert_non_null(r);
  assert_true(has_finding(r, "The secret itself was not tested"));
  assert_int_equal(fx->w.guest_tokens, tokens);
  for (size_t i = 0; i < r->n_followups; i++)
    assert_string_not_equal(r->followups[i].action, "linked_service_save");
  /* Remove asks first, changing nothing... */
  r = home_action(fx, "ws1/LS1", "linked_service_remove");
  assert_int_equal(r->outcome, WIZ_OUTCOME_CANCELLED);
  assert_string_equal(r->title, "LS1 is not removed yet");
  assert_int_equal(r->n_followups, 1);
  assert_string_equal(r->followups[0].action, "linked_service_remove_confirm");
  assert_int_equal(fx->w.deletes, 0);
  /* ... then removes it from Synapse and its record from the store. */
  r = home_action(fx, "ws1/LS1", "linked_service_remove_confirm");
  assert_int_equal(r->outcome, WIZ_OUTCOME_DONE);
  assert_string_equal(r->title, "Removed the linked service LS1");
  assert_int_equal(fx->w.deletes, 1);
  assert_null(fx->w.stored);
  assert_int_equal(records_in_store(fx), 0);
  strbuf_done(&pb);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(body_msi),
    cmocka_unit_test(body_service_principal),
    cmocka_unit_test(read_back),
    cmocka_unit_test(saved_answers),
    cmocka_unit_test(filter_refusals),
    cmocka_unit_test(diagnose_errors),
    cmocka_unit_test(roles_and_commands),
    cmocka_unit_test_setup_teardown(save_msi_exact_body, host_setup, host_teardown),
    cmocka_unit_test_setup_teardown(save_service_principal, host_setup, host_teardown),
    cmocka_unit_test_setup_teardown(wrong_secret, host_setup, host_teardown),
    cmocka_unit_test_setup_teardown(failed_operation_not_saved, host_setup, host_teardown),
    cmocka_unit_test_setup_teardown(read_back_differs_not_saved, host_setup, host_teardown),
    cmocka_unit_test_setup_teardown(refusals_at_the_fields, host_setup, host_teardown),
    cmocka_unit_test_setup_teardown(connections, host_setup, host_teardown),
    cmocka_unit_test_setup_teardown(grant_refused_for_a_viewer, host_setup, host_teardown),
    cmocka_unit_test_setup_teardown(edit_updates_the_same_one, host_setup, host_teardown),
    cmocka_unit_test_setup_teardown(edit_refusals, host_setup, host_teardown),
    cmocka_unit_test_setup_teardown(home_entry_and_actions, host_setup, host_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
