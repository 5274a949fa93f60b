/* The shared picker sources (src/app/app_sources.c) on the fake transport, through the real
 * engine: ARM answers turned into items (ids, labels, details, attributes, refusals, order,
 * paging), errors delivered with Azure's message and hint, the requests each source sends,
 * and the store's connections as each role may see them. */
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
#include "app/app_host.h"
#include "app/app_sources.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_role.h"
#include "util/xalloc.h"
#include "wizard/form.h"
#include "wizard/headless.h"
#include "wizard/wizard.h"

#define SUB     "6512a654-3dc7-492e-ba9c-c141f77be76a"
#define ADMIN   "d2ede023-6254-4361-9878-f37823382d46"
#define CONTRIB "d5905432-f481-42f6-99a3-4be1338cd719"
#define MI      "5b1c7c56-2f0e-4a57-9d4b-8f2a6c1e3d90"
#define ARM     "https://management.azure.com"
#define RG      "/subscriptions/" SUB "/resourceGroups/rg-a"

static const char form_json[] =
    "{\"id\":\"probe\",\"title\":\"Probe\",\"finish\":{\"action\":\"noop\",\"label\":\"Go\"},"
    "\"steps\":[{\"id\":\"s\",\"title\":\"S\",\"fields\":["
    "{\"id\":\"subscription\",\"kind\":\"picker\",\"label\":\"Sub\",\"source\":\"subscriptions\"},"
    "{\"id\":\"workspace\",\"kind\":\"picker\",\"label\":\"WS\",\"source\":\"synapse_workspaces\","
    "\"source_args\":[\"subscription\"]},"
    "{\"id\":\"storage_account\",\"kind\":\"picker\",\"label\":\"SA\",\"source\":"
    "\"storage_accounts\",\"source_args\":[\"subscription\",\"workspace\"]},"
    "{\"id\":\"container\",\"kind\":\"picker\",\"label\":\"C\",\"source\":\"containers\","
    "\"source_args\":[\"storage_account\"]},"
    "{\"id\":\"runtime\",\"kind\":\"picker\",\"label\":\"IR\",\"source\":"
    "\"integration_runtimes\",\"source_args\":[\"workspace\"]},"
    "{\"id\":\"connection\",\"kind\":\"picker\",\"label\":\"Conn\",\"source\":\"connections\"}"
    "]}]}";

struct world {
  const char *oid; /* who the tokens say is signed in */
  bool refuse_sa;  /* storage accounts answer 403 */
  char *last_containers_url;
};

static struct world world;

static bool answer(struct azfake *f, const struct azfake_record *req, struct azfake_reply *out,
                   void *ud)
{
  (void)f;
  (void)ud;
  const char *u = req->url;
  out->status = 200;
  out->headers = xstrdup("Content-Type: application/json");
  if (strstr(u, "/oauth2/v2.0/token")) {
    char *claims = xasprintf("{\"oid\":\"%s\",\"tid\":\"t1\",\"appid\":\"c1\"}", world.oid);
    char *t = azfake_jwt(claims);
    out->body = azfake_token_body(t, 3600);
    free(t);
    free(claims);
  } else if (strstr(u, "/subscriptions?")) {
    out->body = xstrdup(
        "{\"value\":["
        "{\"subscriptionId\":\"" SUB "\",\"displayName\":\"Contoso Analytics\",\"state\":"
        "\"Enabled\",\"tenantId\":\"t1\"},"
        "{\"subscriptionId\":\"aeb1ad02-a740-4305-84fb-84a3ef01fd30\",\"displayName\":\"Contoso "
        "Legacy\",\"state\":\"Disabled\"},"
        "{\"subscriptionId\":\"8780a34a-91a5-4884-afe9-af3a8d05218c\",\"state\":\"Warned\"},"
        "{\"displayName\":\"no id, skipped\"}]}");
  } else if (strstr(u, "/providers/Microsoft.Synapse/workspaces?")) {
    out->body = xstrdup(
        "{\"value\":["
        "{\"name\":\"ws1\",\"id\":\"" RG "/providers/Microsoft.Synapse/workspaces/ws1\","
        "\"location\":\"westeurope\",\"identity\":{\"principalId\":\"" MI "\",\"tenantId\":"
        "\"t1\"},\"properties\":{\"defaultDataLakeStorage\":{\"accountUrl\":"
        "\"https://lake1.dfs.core.windows.net\",\"filesystem\":\"synapse\"},"
        "\"connectivityEndpoints\":{\"dev\":\"https://ws1.dev.azuresynapse.net\"},"
        "\"publicNetworkAccess\":\"Enabled\"}},"
        "{\"name\":\"wsdep\",\"id\":\"" RG "/providers/Microsoft.Synapse/workspaces/wsdep\","
        "\"properties\":{\"managedVirtualNetwork\":\"default\",\"managedVirtualNetworkSettings\":"
        "{\"preventDataExfiltration\":true}}}]}");
  } else if (strstr(u, "/providers/Microsoft.Storage/storageAccounts?") && world.refuse_sa) {
    out->status = 403;
    out->body = xstrdup("{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client "
                        "does not have authorization to perform action 'Microsoft.Storage/"
                        "storageAccounts/read'.\"}}");
  } else if (strstr(u, "/providers/Microsoft.Storage/storageAccounts?") &&
             !strstr(u, "skiptoken")) {
    /* Page 1 of 2: the pager follows nextLink. */
    out->body = xstrdup(
        "{\"value\":["
        "{\"name\":\"blob1\",\"id\":\"" RG "/providers/Microsoft.Storage/storageAccounts/blob1\","
        "\"properties\":{}},"
        "{\"name\":\"lake1\",\"id\":\"/subscriptions/" SUB "/resourceGroups/rg-data/providers/"
        "Microsoft.Storage/storageAccounts/lake1\",\"properties\":{\"isHnsEnabled\":true,"
        "\"primaryEndpoints\":{\"blob\":\"https://lake1.blob.core.windows.net/\",\"dfs\":"
        "\"https://lake1.dfs.core.windows.net/\"}}}],"
        "\"nextLink\":\"" ARM "/subscriptions/" SUB "/providers/Microsoft.Storage/storageAccounts?"
        "api-version=2023-05-01&%24skiptoken=2\"}");
  } else if (strstr(u, "/providers/Microsoft.Storage/storageAccounts?")) {
    out->body = xstrdup(
        "{\"value\":[{\"name\":\"fw1\",\"id\":\"" RG "/providers/Microsoft.Storage/"
        "storageAccounts/fw1\",\"properties\":{\"isHnsEnabled\":true,\"publicNetworkAccess\":"
        "\"Disabled\",\"networkAcls\":{\"defaultAction\":\"Deny\"}}}]}");
  } else if (strstr(u, "/blobServices/default/containers?")) {
    free(world.last_containers_url);
    world.last_containers_url = xstrdup(u);
    out->body = xstrdup("{\"value\":[{\"name\":\"c1\"},{\"name\":\"c2\"},{\"nope\":1}]}");
  } else if (strstr(u, "/integrationRuntimes?")) {
    out->body = xstrdup("{\"value\":[{\"name\":\"OnPremisesIR\",\"properties\":{\"type\":"
                        "\"SelfHosted\"}},{\"name\":\"Managed1\",\"properties\":{\"type\":"
                        "\"Managed\"}}]}");
  } else {
    out->status = 404;
    out->body = xstrdup("{\"error\":{\"code\":\"NotFound\",\"message\":\"not in this test\"}}");
  }
  return true;
}

struct fx {
  struct azfake *fake;
  char *dir;
  char *form_path;
  struct app_ctx *app;
  struct app_host_base base;
  struct wiz_form *form;
  struct wizard *w;
};

static const char *const actions[] = { "noop", NULL };

static int start_action(void *ctx, const char *action, const struct wiz_answers *a, bool dry,
                        struct wiz_job *job)
{
  (void)ctx;
  (void)action;
  (void)a;
  (void)dry;
  (void)job;
  return -1;
}

static const struct wiz_host_ops ops = {
  app_host_start_load, app_host_cancel_load, NULL, start_action, NULL,
  app_host_wait,       app_host_value,       NULL,
};

static struct wiz_decl decl;

static void open_world(struct fx *f, const char *oid)
{
  world.oid = oid;
  f->fake = azfake_new();
  azfake_set_handler(f->fake, answer, NULL);
  struct az_client *c = azfake_client(f->fake, "AzureCloud", azfake_secret_credential());
  char *store = xasprintf("%s/store", f->dir);
  struct app_ctx_options o = { c, store };
  f->app = app_ctx_new(&o);
  free(store);
  assert_non_null(app_ctx_identity(f->app));
  memset(&f->base, 0, sizeof(f->base));
  f->base.host.ops = &ops;
  f->base.host.ctx = &f->base;
  decl.sources = app_sources_names();
  decl.actions = actions;
  f->base.host.decl = &decl;
  f->base.app = f->app;
  struct wiz_form_error err;
  if (wiz_form_load(f->form_path, &decl, &f->form, &err) != WIZ_OK)
    fail_msg("form: %s", wiz_form_error_text(&err));
  f->w = wiz_new(f->form, &f->base.host);
}

static void close_world(struct fx *f)
{
  wiz_delete(f->w);
  wiz_form_delete(f->form);
  app_ctx_delete(f->app);
  azfake_delete(f->fake);
  f->w = NULL;
  f->form = NULL;
  f->app = NULL;
  f->fake = NULL;
}

static int setup(void **state)
{
  struct fx *f = xcalloc(1, sizeof(*f));
  f->dir = azfake_tempdir();
  f->form_path = xasprintf("%s/probe.json", f->dir);
  FILE *fp = fopen(f->form_path, "w");
  assert_non_null(fp);
  fputs(form_json, fp);
  fclose(fp);
  memset(&world, 0, sizeof(world));
  open_world(f, ADMIN);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fx *f = *state;
  close_world(f);
  azfake_rmtree(f->dir);
  free(f->dir);
  free(f->form_path);
  free(world.last_containers_url);
  world.last_containers_url = NULL;
  free(f);
  return 0;
}

static size_t field(struct fx *f, const char *id)
{
  long i = wiz_form_field_index(f->form, id);
  assert_true(i >= 0);
  return (size_t)i;
}

/* Load what the step needs and return the items of `id`. */
static const struct wiz_list *items(struct fx *f, const char *id)
{
  wiz_refresh(f->w);
  assert_true(wiz_wait_idle(f->w, 10000));
  size_t i = field(f, id);
  if (wiz_load_state(f->w, i, WIZ_SRC_ITEMS) != WIZ_LOAD_DONE) {
    const char *hint = NULL;
    const char *e = wiz_load_error(f->w, i, WIZ_SRC_ITEMS, &hint);
    fail_msg("%s did not load: %s", id, e ? e : "?");
  }
  return wiz_items(f->w, i, WIZ_SRC_ITEMS);
}

static void pick(struct fx *f, const char *id, const char *item_id)
{
  const struct wiz_list *l = items(f, id);
  long k = wiz_list_find(l, item_id);
  assert_true(k >= 0);
  const char *reason = NULL;
  assert_int_equal(wiz_pick(f->w, field(f, id), (size_t)k, &reason), WIZ_OK);
}

static void subscriptions(void **state)
{
  struct fx *f = *state;
  const struct wiz_list *l = items(f, "subscription");
  assert_int_equal(l->n, 3); /* the one without an id is left out */
  assert_string_equal(l->items[0].id, SUB);
  assert_string_equal(l->items[0].label, "Contoso Analytics");
  assert_null(l->items[0].invalid_reason);
  assert_string_equal(wiz_item_attr(&l->items[0], "tenant_id"), "t1");
  assert_non_null(strstr(l->items[0].detail, "Enabled"));
  /* A disabled subscription is listed, but refused with its state. */
  assert_string_equal(l->items[1].label, "Contoso Legacy");
  assert_non_null(l->items[1].invalid_reason);
  assert_non_null(strstr(l->items[1].invalid_reason, "Disabled"));
  /* Warned is usable; without a display name the label is the id. */
  assert_null(l->items[2].invalid_reason);
  assert_string_equal(l->items[2].label, "8780a34a-91a5-4884-afe9-af3a8d05218c");
  const char *reason = NULL;
  assert_int_not_equal(wiz_pick(f->w, field(f, "subscription"), 1, &reason), WIZ_OK);
  assert_non_null(reason);
}

static void workspaces(void **state)
{
  struct fx *f = *state;
  pick(f, "subscription", SUB);
  const struct wiz_list *l = items(f, "workspace");
  assert_int_equal(l->n, 2);
  const struct wiz_item *w = &l->items[0];
  assert_string_equal(w->id, "ws1");
  assert_string_equal(wiz_item_attr(w, "resource_group"), "rg-a");
  assert_string_equal(wiz_item_attr(w, "id"), RG "/providers/Microsoft.Synapse/workspaces/ws1");
  assert_string_equal(wiz_item_attr(w, "dev_endpoint"), "https://ws1.dev.azuresynapse.net");
  assert_string_equal(wiz_item_attr(w, "principal_id"), MI);
  assert_string_equal(wiz_item_attr(w, "tenant_id"), "t1");
  assert_string_equal(wiz_item_attr(w, "default_storage_account"), "lake1");
  assert_string_equal(wiz_item_attr(w, "default_filesystem"), "synapse");
  assert_string_equal(wiz_item_attr(w, "prevent_data_exfiltration"), "false");
  assert_string_equal(wiz_item_attr(w, "managed_vnet"), "false");
  assert_string_equal(w->detail, "resource group rg-a, westeurope");
  const struct wiz_item *d = &l->items[1];
  assert_string_equal(wiz_item_attr(d, "prevent_data_exfiltration"), "true");
  assert_string_equal(wiz_item_attr(d, "managed_vnet"), "true");
  assert_null(wiz_item_attr(d, "principal_id"));
  assert_non_null(strstr(d->detail, "data exfiltration protection on"));
}

static void storage_accounts(void **state)
{
  struct fx *f = *state;
  pick(f, "subscription", SUB);
  pick(f, "workspace", "ws1");
  const struct wiz_list *l = items(f, "storage_account");
  /* Both pages; the workspace's default first, then ARM's order. */
  assert_int_equal(l->n, 3);
  assert_string_equal(l->items[0].id, "lake1");
  assert_string_equal(wiz_item_attr(&l->items[0], "is_default"), "true");
  assert_string_equal(wiz_item_attr(&l->items[0], "resource_group"), "rg-data");
  assert_string_equal(wiz_item_attr(&l->items[0], "dfs_endpoint"),
                      "https://lake1.dfs.core.windows.net/");
  assert_string_equal(wiz_item_attr(&l->items[0], "public_network_access"), "Enabled");
  assert_string_equal(wiz_item_attr(&l->items[0], "firewall"), "false");
  assert_non_null(strstr(l->items[0].detail, "the workspace's default storage"));
  assert_null(l->items[0].invalid_reason);
  /* No hierarchical namespace (ARM leaves the flag out): listed, refused with the reason. */
  assert_string_equal(l->items[1].id, "blob1");
  assert_non_null(l->items[1].invalid_reason);
  assert_non_null(strstr(l->items[1].invalid_reason, "Hierarchical namespace is off"));
  assert_string_equal(l->items[2].id, "fw1");
  assert_string_equal(wiz_item_attr(&l->items[2], "firewall"), "true");
  assert_string_equal(wiz_item_attr(&l->items[2], "public_network_access"), "Disabled");
  assert_non_null(strstr(l->items[2].detail, "behind a firewall"));
  assert_non_null(strstr(l->items[2].detail, "public network access disabled"));
  assert_int_equal(azfake_count_url(f->fake, "skiptoken=2"), 1);
}

static void containers(void **state)
{
  struct fx *f = *state;
  pick(f, "subscription", SUB);
  pick(f, "workspace", "ws1");
  pick(f, "storage_account", "lake1");
  const struct wiz_list *l = items(f, "container");
  assert_int_equal(l->n, 2);
  assert_string_equal(l->items[0].id, "c1");
  assert_string_equal(l->items[1].label, "c2");
  /* The account's own resource group, not the workspace's. */
  assert_non_null(strstr(world.last_containers_url,
                         "/subscriptions/" SUB "/resourceGroups/rg-data/providers/"
                         "Microsoft.Storage/storageAccounts/lake1/blobServices/default/"
                         "containers?api-version="));
}

static void runtimes(void **state)
{
  struct fx *f = *state;
  pick(f, "subscription", SUB);
  pick(f, "workspace", "ws1");
  const struct wiz_list *l = items(f, "runtime");
  assert_int_equal(l->n, 3);
  assert_string_equal(l->items[0].id, "AutoResolveIntegrationRuntime"); /* always, first */
  assert_string_equal(wiz_item_attr(&l->items[0], "type"), "Managed");
  assert_string_equal(l->items[1].id, "OnPremisesIR");
  assert_string_equal(wiz_item_attr(&l->items[1], "type"), "SelfHosted");
  assert_string_equal(l->items[1].detail, "self-hosted");
}

static void errors_carry_message_and_hint(void **state)
{
  struct fx *f = *state;
  world.refuse_sa = true;
  pick(f, "subscription", SUB);
  pick(f, "workspace", "ws1");
  wiz_refresh(f->w);
  assert_true(wiz_wait_idle(f->w, 10000));
  size_t i = field(f, "storage_account");
  assert_int_equal(wiz_load_state(f->w, i, WIZ_SRC_ITEMS), WIZ_LOAD_FAILED);
  const char *hint = NULL;
  const char *e = wiz_load_error(f->w, i, WIZ_SRC_ITEMS, &hint);
  assert_non_null(strstr(e, "AuthorizationFailed"));
  assert_non_null(strstr(e, "Microsoft.Storage/storageAccounts/read"));
  assert_non_null(hint);
}

static void connection_record(struct store_connection *c, const char *name,
                              enum store_audience audience)
{
  store_connection_init(c);
  c->display_name = xstrdup(name);
  c->audience = audience;
  c->subscription_id = xstrdup(SUB);
  c->workspace_name = xstrdup("ws1");
  c->workspace_resource_group = xstrdup("rg-a");
  c->workspace_dev_endpoint = xstrdup("https://ws1.dev.azuresynapse.net");
  c->workspace_principal_id = xstrdup(MI);
  c->storage_account = xstrdup("lake1");
  c->container = xstrdup("exports");
  c->agreed_at = xstrdup("2026-01-31T12:00:00Z");
}

static void connections_by_role(void **state)
{
  struct fx *f = *state;
  struct store *s = NULL;
  assert_int_equal(app_ctx_store(f->app, &s, NULL), APP_OK);
  struct store_connection a, b;
  connection_record(&a, "shared_lake", STORE_AUDIENCE_ADMINS_AND_CONTRIBUTORS);
  connection_record(&b, "admin_lake", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s, &a), APP_OK);
  assert_int_equal(store_connection_create(s, &b), APP_OK);
  assert_int_equal(store_role_add(s, CONTRIB, "automation", STORE_ROLE_CONTRIBUTOR), APP_OK);
  store_connection_done(&a);
  store_connection_done(&b);
  /* The administrator sees both, with what the wizards need (loaded again: the wizard read
   * the empty store when it started). */
  wiz_retry(f->w, field(f, "connection"));
  const struct wiz_list *l = items(f, "connection");
  assert_int_equal(l->n, 2);
  assert_string_equal(l->items[0].id, "admin_lake"); /* by name */
  assert_string_equal(wiz_item_attr(&l->items[0], "workspace"), "ws1");
  assert_string_equal(wiz_item_attr(&l->items[0], "principal_id"), MI);
  assert_string_equal(wiz_item_attr(&l->items[1], "audience"), "admins_and_contributors");
  assert_string_equal(l->items[1].detail, "ws1 / lake1 / exports");
  /* The contributor: only the shared one, by name and type. */
  close_world(f);
  open_world(f, CONTRIB);
  l = items(f, "connection");
  assert_int_equal(l->n, 1);
  assert_string_equal(l->items[0].id, "shared_lake");
  assert_string_equal(l->items[0].detail, "Azure Synapse Analytics");
  assert_null(wiz_item_attr(&l->items[0], "workspace"));
  assert_null(wiz_item_attr(&l->items[0], "principal_id"));
  /* ... which names no workspace to work on. */
  const char *reason = NULL;
  assert_int_equal(wiz_pick(f->w, field(f, "connection"), 0, &reason), WIZ_OK);
  struct wiz_answers *snap = wiz_snapshot(f->w);
  struct app_workspace_ref ref;
  char *why = NULL;
  assert_false(app_workspace_from_answers(f->app, snap, &ref, &why));
  assert_non_null(strstr(why, "shared with you by name only"));
  free(why);
  wiz_answers_delete(snap);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(subscriptions, setup, teardown),
    cmocka_unit_test_setup_teardown(workspaces, setup, teardown),
    cmocka_unit_test_setup_teardown(storage_accounts, setup, teardown),
    cmocka_unit_test_setup_teardown(containers, setup, teardown),
    cmocka_unit_test_setup_teardown(runtimes, setup, teardown),
    cmocka_unit_test_setup_teardown(errors_carry_message_and_hint, setup, teardown),
    cmocka_unit_test_setup_teardown(connections_by_role, setup, teardown),
  };
  return cmocka_run_group_tests_name("app_sources", tests, NULL, NULL);
}
