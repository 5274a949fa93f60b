/* Cloud profiles: the built-in clouds' endpoints and scope-from-host, profile files, the
 * sandbox's runtime.json, and the selection order of docs/ARCHITECTURE.md section 6. */
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
#include "azure/az_cloud.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/xalloc.h"

struct scope_case {
  const char *url;
  const char *scope; /* NULL: no token scope */
};

static void check_scopes(const char *cloud, const struct scope_case *cases, size_t n)
{
  struct az_cloud *c = az_cloud_builtin(cloud);
  assert_non_null(c);
  for (size_t i = 0; i < n; i++) {
    const char *got = az_cloud_scope_for_url(c, cases[i].url);
    if ((got == NULL) != (cases[i].scope == NULL) || (got && strcmp(got, cases[i].scope) != 0))
      fail_msg("%s: %s -> %s, expected %s", cloud, cases[i].url, got ? got : "(none)",
               cases[i].scope ? cases[i].scope : "(none)");
  }
  az_cloud_delete(c);
}

static void azure_cloud_scopes(void **state)
{
  static const struct scope_case cases[] = {
    { "https://management.azure.com/subscriptions?api-version=1",
      "https://management.azure.com/.default" },
    { "https://MANAGEMENT.azure.com:443/x", "https://management.azure.com/.default" },
    { "https://contoso.dev.azuresynapse.net/pipelines", "https://dev.azuresynapse.net/.default" },
    { "https://lake.blob.core.windows.net/c/b", "https://storage.azure.com/.default" },
    { "https://lake.dfs.core.windows.net/fs", "https://storage.azure.com/.default" },
    { "https://westeurope.api.azureml.ms/pipelines/v1.0/x",
      "https://management.azure.com/.default" },
    { "https://dev.azuresynapse.net/x", NULL },
    { "https://blob.core.windows.net/x", NULL },
    { "https://lake.queue.core.windows.net/q", NULL },
    { "https://evil.example/management.azure.com", NULL },
    { "https://management.azure.com.evil.example/", NULL },
    { "https://login.microsoftonline.com/t/oauth2/v2.0/token", NULL },
  };
  check_scopes("AzureCloud", cases, sizeof(cases) / sizeof(cases[0]));
}

static void china_cloud_scopes(void **state)
{
  static const struct scope_case cases[] = {
    { "https://management.chinacloudapi.cn/subscriptions",
      "https://management.core.chinacloudapi.cn/.default" },
    { "https://ws.dev.azuresynapse.azure.cn/pipelines",
      "https://dev.azuresynapse.azure.cn/.default" },
    { "https://lake.blob.core.chinacloudapi.cn/c", "https://storage.azure.com/.default" },
    { "https://lake.dfs.core.chinacloudapi.cn/c", "https://storage.azure.com/.default" },
    { "https://management.azure.com/subscriptions", NULL },
  };
  check_scopes("AzureChinaCloud", cases, sizeof(cases) / sizeof(cases[0]));
  struct az_cloud *c = az_cloud_builtin("azurechinacloud");
  assert_string_equal(c->authority, "https://login.chinacloudapi.cn");
  az_cloud_delete(c);
}

static void us_government_scopes(void **state)
{
  static const struct scope_case cases[] = {
    { "https://management.usgovcloudapi.net/subscriptions",
      "https://management.core.usgovcloudapi.net/.default" },
    { "https://ws.dev.azuresynapse.usgovcloudapi.net/x",
      "https://dev.azuresynapse.usgovcloudapi.net/.default" },
    { "https://lake.blob.core.usgovcloudapi.net/c", "https://storage.azure.com/.default" },
    { "https://ws.dev.azuresynapse.net/x", NULL },
  };
  check_scopes("AzureUSGovernment", cases, sizeof(cases) / sizeof(cases[0]));
  struct az_cloud *c = az_cloud_builtin("AzureUSGovernment");
  assert_string_equal(c->authority, "https://login.microsoftonline.us");
  char *t = az_cloud_token_url(c, "contoso.onmicrosoft.com");
  assert_string_equal(t,
                      "https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token");
  free(t);
  az_cloud_delete(c);
  assert_null(az_cloud_builtin("AzureGermanCloud"));
}

static void resources_for_managed_identity(void **state)
{
  char *r = az_cloud_resource_for_scope("https://management.azure.com/.default");
  assert_string_equal(r, "https://management.azure.com/");
  free(r);
  r = az_cloud_resource_for_scope("https://dev.azuresynapse.net/.default");
  assert_string_equal(r, "https://dev.azuresynapse.net/");
  free(r);
}

static const char sandbox_runtime[] =
    "{ \"pid\": 1, \"ports\": {\"sandbox\": 44300, \"azurite\": 44310}, \"tenant\": \"t\","
    " \"ca\": \"/x/ca.pem\", \"control_token\": \"ctl\","
    " \"profile\": { \"name\": \"sandbox\", \"authority\": "
    "\"https://login.sandbox.localhost:44300/\","
    " \"resource_manager\": \"https://management.sandbox.localhost:44300\","
    " \"arm_scope\": \"https://management.azure.com/.default\","
    " \"synapse_dev_suffix\": \"dev.sandbox.localhost\","
    " \"synapse_scope\": \"https://dev.azuresynapse.net/.default\","
    " \"storage_suffix\": \"sandbox.localhost\", \"storage_scope\": "
    "\"https://storage.azure.com/.default\","
    " \"imds_endpoint\": \"https://login.sandbox.localhost:44300/metadata/identity/oauth2/token\","
    " \"ca_bundle\": \"/x/ca.pem\", \"public_client_id\": \"pub-1\" } }";

static void sandbox_profile_from_runtime(void **state)
{
  char *dir = azfake_tempdir();
  char *rt = paths_join(dir, "runtime.json");
  assert_int_equal(fs_write_atomic(rt, sandbox_runtime, strlen(sandbox_runtime), 0600), 0);
  struct az_cloud *c = NULL;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_cloud_load_sandbox(dir, &c, &err), AZ_OK);
  assert_string_equal(c->name, "sandbox");
  assert_string_equal(c->authority, "https://login.sandbox.localhost:44300");
  assert_string_equal(c->ca_bundle, "/x/ca.pem");
  assert_string_equal(c->public_client_id, "pub-1");
  static const struct {
    const char *url, *scope;
  } cases[] = {
    { "https://management.sandbox.localhost:44300/subscriptions",
      "https://management.azure.com/.default" },
    { "https://contoso-synapse.dev.sandbox.localhost:44300/pipelines",
      "https://dev.azuresynapse.net/.default" },
    { "https://contosolake.blob.sandbox.localhost:44310/raw",
      "https://storage.azure.com/.default" },
    { "https://contosolake.dfs.sandbox.localhost:44310/raw", "https://storage.azure.com/.default" },
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    assert_string_equal(az_cloud_scope_for_url(c, cases[i].url), cases[i].scope);
  assert_null(
      az_cloud_scope_for_url(c, "https://login.sandbox.localhost:44300/t/oauth2/v2.0/token"));
  assert_true(az_cloud_is_authority_url(c, "https://login.sandbox.localhost:44300/_sandbox/x"));
  assert_string_equal(az_cloud_description(c), "Sandbox (local stand-in for Azure)");
  az_cloud_delete(c);
  unlink(rt);
  assert_int_equal(az_cloud_load_sandbox(dir, &c, &err), AZ_E_CONFIG);
  assert_non_null(strstr(err.message, "synwiz sandbox start"));
  rmdir(dir);
  free(rt);
  free(dir);
  az_error_done(&err);
}

static void profile_files(void **state)
{
  char *dir = azfake_tempdir();
  char *p = paths_join(dir, "corp.json");
  const char *good =
      "{\"name\":\"Corp\",\"authority\":\"https://login.corp\",\"resource_manager\":"
      "\"https://arm.corp/\",\"arm_scope\":\"https://arm.corp/.default\","
      "\"synapse_dev_suffix\":\"dev.syn.corp\",\"synapse_scope\":\"s\","
      "\"storage_suffix\":\"st.corp\",\"storage_scope\":\"st\",\"ca_bundle\":\"/corp/ca.pem\"}";
  fs_write_atomic(p, good, strlen(good), 0600);
  struct az_cloud *c = NULL;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_cloud_select(p, &c, &err), AZ_OK);
  assert_string_equal(c->name, "Corp");
  assert_string_equal(c->resource_manager, "https://arm.corp");
  assert_string_equal(c->ca_bundle, "/corp/ca.pem");
  assert_string_equal(c->imds_endpoint, "http://169.254.169.254/metadata/identity/oauth2/token");
  assert_string_equal(az_cloud_scope_for_url(c, "https://arm.corp/x"), "https://arm.corp/.default");
  assert_string_equal(az_cloud_scope_for_url(c, "https://a.blob.st.corp/x"), "st");
  az_cloud_delete(c);
  const char *bad = "{\"name\":\"Corp\",\"authority\":\"https://login.corp\"}";
  fs_write_atomic(p, bad, strlen(bad), 0600);
  assert_int_equal(az_cloud_load_file(p, &c, &err), AZ_E_CONFIG);
  assert_non_null(strstr(err.message, "resource_manager"));
  fs_write_atomic(p, "{oops", 5, 0600);
  assert_int_equal(az_cloud_load_file(p, &c, &err), AZ_E_CONFIG);
  assert_int_equal(az_cloud_select("NoSuchCloud", &c, &err), AZ_E_CONFIG);
  unlink(p);
  rmdir(dir);
  free(p);
  free(dir);
  az_error_done(&err);
}

static void selection_order(void **state)
{
  char *home = azfake_tempdir();
  char *config = paths_join(home, "config");
  char *st = paths_join(home, "state");
  setenv("XDG_CONFIG_HOME", config, 1);
  setenv("XDG_STATE_HOME", st, 1);
  unsetenv("SYNWIZ_CLOUD");
  unsetenv("SYNWIZ_SANDBOX_DIR");
  unsetenv("AZURE_TENANT_ID");
  unsetenv("AZURE_CLIENT_ID");
  unsetenv("AZURE_CLIENT_SECRET");
  unsetenv("AZURE_CLIENT_CERTIFICATE_PATH");
  struct az_cloud *c = NULL;
  struct az_error err;
  az_error_init(&err);
  /* Nothing set and no sandbox running: the sandbox is chosen and reported missing. */
  assert_int_equal(az_cloud_select(NULL, &c, &err), AZ_E_CONFIG);
  assert_non_null(strstr(err.message, "sandbox"));
  /* A running sandbox (its runtime.json in the default place) is the default. */
  char *sb = paths_join(st, "synwiz/sandbox");
  fs_mkdir_p(sb, 0700);
  char *rt = paths_join(sb, "runtime.json");
  fs_write_atomic(rt, sandbox_runtime, strlen(sandbox_runtime), 0600);
  assert_int_equal(az_cloud_select(NULL, &c, &err), AZ_OK);
  assert_string_equal(c->name, "sandbox");
  az_cloud_delete(c);
  /* The EnvironmentCredential variables mean the public cloud. */
  setenv("AZURE_TENANT_ID", "t", 1);
  setenv("AZURE_CLIENT_ID", "c", 1);
  setenv("AZURE_CLIENT_SECRET", "s", 1);
  assert_int_equal(az_cloud_select(NULL, &c, &err), AZ_OK);
  assert_string_equal(c->name, "AzureCloud");
  az_cloud_delete(c);
  /* The last login's cloud beats the environment... */
  assert_int_equal(az_cloud_remember("AzureUSGovernment"), AZ_OK);
  assert_int_equal(az_cloud_select(NULL, &c, &err), AZ_OK);
  assert_string_equal(c->name, "AzureUSGovernment");
  az_cloud_delete(c);
  char *cfg = paths_join(config, "synwiz/config.json");
  struct stat stt;
  assert_int_equal(stat(cfg, &stt), 0);
  assert_int_equal(stt.st_mode & 0777, 0600);
  /* ... SYNWIZ_CLOUD beats the last login, and --cloud beats everything. */
  setenv("SYNWIZ_CLOUD", "AzureChinaCloud", 1);
  assert_int_equal(az_cloud_select(NULL, &c, &err), AZ_OK);
  assert_string_equal(c->name, "AzureChinaCloud");
  az_cloud_delete(c);
  assert_int_equal(az_cloud_select("sandbox", &c, &err), AZ_OK);
  assert_string_equal(c->name, "sandbox");
  az_cloud_delete(c);
  unsetenv("SYNWIZ_CLOUD");
  unsetenv("AZURE_TENANT_ID");
  unsetenv("AZURE_CLIENT_ID");
  unsetenv("AZURE_CLIENT_SECRET");
  az_error_done(&err);
  free(cfg);
  free(rt);
  free(sb);
  free(st);
  free(config);
  azfake_rmtree(home);
  free(home);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(azure_cloud_scopes),
    cmocka_unit_test(china_cloud_scopes),
    cmocka_unit_test(us_government_scopes),
    cmocka_unit_test(resources_for_managed_identity),
    cmocka_unit_test(sandbox_profile_from_runtime),
    cmocka_unit_test(profile_files),
    cmocka_unit_test(selection_order),
  };
  return cmocka_run_group_tests_name("az_cloud", tests, NULL, NULL);
}
