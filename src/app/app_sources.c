#include "app/app_sources.h"

#include "app/app_ctx.h"
#include "app/app_table.h"
#include "app/app_model_sources.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_table.h"
#include "azure/az_arm.h"
#include "azure/az_client.h"
#include "util/jsonpath.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/answers.h"
#include "wizard/wiz_host.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum source_kind {
  SRC_SUBSCRIPTIONS,
  SRC_WORKSPACES,
  SRC_STORAGE,
  SRC_CONTAINERS,
  SRC_ML_WORKSPACES,
  SRC_RUNTIMES,
  SRC_CONNECTIONS,
  SRC_CI_TABLES,
};

static const char *const names[] = {
  "subscriptions",
  "synapse_workspaces",
  "storage_accounts",
  "containers",
  "ml_workspaces",
  "integration_runtimes",
  "connections",
  "ci_tables",
  /* the custom-model wizard's, answered by app_model_sources.c */
  "pipelines",
  "pipeline_outputs",
  "pipeline_inputs",
  "pipeline_input_attributes",
  "table_columns",
  NULL,
};

/* One load in flight: what its callback needs. */
struct pending {
  struct app_ctx *ctx;
  struct wiz_load *load;
  struct az_call *call;
  enum source_kind kind;
  char *subscription;    /* the subscription the list is in (ml_workspaces) */
  char *default_storage; /* storage_accounts: the workspace's default account, first */
  app_source_filter_fn filter;
  void *filter_ud;
  /* connections: the items, and the read of each one's workspace (NULL: none) */
  struct wiz_list *items;
  struct az_call **reads;
  size_t n_reads, pending;
};

bool app_sources_has(const char *source)
{
  return wiz_decl_has(names, source);
}

const char *const *app_sources_names(void)
{
  return names;
}

static int kind_of(const char *source)
{
  for (int i = 0; names[i]; i++) {
    if (strcmp(names[i], source) == 0)
      return i;
  }
  return -1;
}

static void pending_free(struct pending *p)
{
  if (!p)
    return;
  az_call_delete(p->call);
  for (size_t i = 0; i < p->n_reads; i++)
    az_call_delete(p->reads[i]);
  free(p->reads);
  if (p->items) {
    wiz_list_done(p->items);
    free(p->items);
  }
  free(p->subscription);
  free(p->default_storage);
  free(p);
}

static const char *item_attr(const struct wiz_answers *a, const char *field, const char *attr)
{
  const struct wiz_item *it = wiz_answers_item(a, field);
  return it ? wiz_item_attr(it, attr) : NULL;
}

static void set_attr(struct wiz_item *it, const char *key, const char *value)
{
  if (value && *value)
    wiz_item_set_attr(it, key, value);
}

/* "https://contosolake.dfs.core.windows.net" -> "contosolake" */
static char *account_of_url(const char *url)
{
  if (!url)
    return NULL;
  const char *host = strstr(url, "://");
  host = host ? host + 3 : url;
  size_t n = strcspn(host, ".:/");
  return n ? xstrndup(host, n) : NULL;
}

/* --- turning ARM answers into items --- */

static void add_subscriptions(json_t *value, struct wiz_list *out)
{
  size_t i;
  json_t *s;
  json_array_foreach(value, i, s)
  {
    const char *id = json_path_str(s, "subscriptionId");
    if (!id)
      continue;
    const char *state = json_path_str(s, "state");
    char *why = NULL;
    if (state && strcmp(state, "Enabled") != 0 && strcmp(state, "Warned") != 0)
      why = xasprintf("This subscription is %s: nothing can be created in it until it is "
                      "enabled again.",
                      state);
    char *detail = xasprintf("%s%s%s", id, state ? ", " : "", state ? state : "");
    struct wiz_item *it = wiz_list_add(out, id, json_path_str(s, "displayName"), detail, why);
    set_attr(it, "tenant_id", json_path_str(s, "tenantId"));
    free(detail);
    free(why);
  }
}

static void add_workspaces(json_t *value, struct wiz_list *out)
{
  size_t i;
  json_t *w;
  json_array_foreach(value, i, w)
  {
    const char *name = json_path_str(w, "name");
    const char *id = json_path_str(w, "id");
    if (!name || !id)
      continue;
    char *rg = az_arm_id_part(id, "resourceGroups");
    const char *location = json_path_str(w, "location");
    bool dep = json_path_bool(w, "properties.managedVirtualNetworkSettings.preventDataExfiltration",
                              false);
    const char *vnet = json_path_str(w, "properties.managedVirtualNetwork");
    char *detail =
        xasprintf("resource group %s%s%s%s", rg ? rg : "?", location ? ", " : "",
                  location ? location : "", dep ? ", data exfiltration protection on" : "");
    struct wiz_item *it = wiz_list_add(out, name, name, detail, NULL);
    set_attr(it, "resource_group", rg);
    set_attr(it, "id", id);
    set_attr(it, "location", location);
    set_attr(it, "dev_endpoint", json_path_str(w, "properties.connectivityEndpoints.dev"));
    set_attr(it, "principal_id", json_path_str(w, "identity.principalId"));
    set_attr(it, "tenant_id", json_path_str(w, "identity.tenantId"));
    char *acct = account_of_url(json_path_str(w, "properties.defaultDataLakeStorage.accountUrl"));
    set_attr(it, "default_storage_account", acct);
    set_attr(it, "default_filesystem",
             json_path_str(w, "properties.defaultDataLakeStorage.filesystem"));
    wiz_item_set_attr(it, "prevent_data_exfiltration", dep ? "true" : "false");
    set_attr(it, "public_network_access", json_path_str(w, "properties.publicNetworkAccess"));
    wiz_item_set_attr(it, "managed_vnet", vnet && strcmp(vnet, "default") == 0 ? "true" : "false");
    free(acct);
    free(detail);
    free(rg);
  }
}

static void add_storage_accounts(json_t *value, const char *default_account, struct wiz_list *out)
{
  /* Two passes: the workspace's default storage first, as the connection pane proposes. */
  for (int pass = 0; pass < 2; pass++) {
    size_t i;
    json_t *a;
    json_array_foreach(value, i, a)
    {
      const char *name = json_path_str(a, "name");
      const char *id = json_path_str(a, "id");
      if (!name || !id)
        continue;
      bool is_default = default_account && strcasecmp(name, default_account) == 0;
      if ((pass == 0) != is_default)
        continue;
      char *rg = az_arm_id_part(id, "resourceGroups");
      /* ARM leaves isHnsEnabled out when it is false. */
      bool hns = json_path_bool(a, "properties.isHnsEnabled", false);
      const char *pna = json_path_str(a, "properties.publicNetworkAccess");
      const char *deny = json_path_str(a, "properties.networkAcls.defaultAction");
      bool firewall = deny && strcmp(deny, "Deny") == 0;
      struct strbuf detail;
      strbuf_init(&detail, 0);
      strbuf_printf(&detail, "resource group %s", rg ? rg : "?");
      if (is_default)
        strbuf_puts(&detail, ", the workspace's default storage");
      if (firewall)
        strbuf_puts(&detail, ", behind a firewall");
      if (pna && strcmp(pna, "Disabled") == 0)
        strbuf_puts(&detail, ", public network access disabled");
      const char *why =
          hns ? NULL
              : "Hierarchical namespace is off: Synapse needs an Azure Data Lake Storage Gen2 "
                "account (a storage account with hierarchical namespace enabled).";
      struct wiz_item *it = wiz_list_add(out, name, name, detail.buf, why);
      strbuf_done(&detail);
      set_attr(it, "resource_group", rg);
      set_attr(it, "id", id);
      set_attr(it, "blob_endpoint", json_path_str(a, "properties.primaryEndpoints.blob"));
      set_attr(it, "dfs_endpoint", json_path_str(a, "properties.primaryEndpoints.dfs"));
      set_attr(it, "public_network_access", pna ? pna : "Enabled");
      wiz_item_set_attr(it, "firewall", firewall ? "true" : "false");
      wiz_item_set_attr(it, "is_default", is_default ? "true" : "false");
      free(rg);
    }
  }
}

static void add_named(json_t *value, struct wiz_list *out)
{
  size_t i;
  json_t *c;
  json_array_foreach(value, i, c)
  {
    const char *name = json_path_str(c, "name");
    if (name)
      wiz_list_add(out, name, name, NULL, NULL);
  }
}

static void add_ml_workspaces(json_t *value, const char *subscription, struct wiz_list *out)
{
  size_t i;
  json_t *w;
  json_array_foreach(value, i, w)
  {
    const char *name = json_path_str(w, "name");
    const char *id = json_path_str(w, "id");
    if (!name || !id)
      continue;
    char *rg = az_arm_id_part(id, "resourceGroups");
    const char *location = json_path_str(w, "location");
    char *detail = xasprintf("resource group %s%s%s", rg ? rg : "?", location ? ", " : "",
                             location ? location : "");
    struct wiz_item *it = wiz_list_add(out, name, name, detail, NULL);
    set_attr(it, "resource_group", rg);
    set_attr(it, "id", id);
    set_attr(it, "location", location);
    set_attr(it, "subscription", subscription);
    free(detail);
    free(rg);
  }
}

static void add_runtimes(json_t *value, struct wiz_list *out)
{
  /* Synapse's default runtime is always there, even when ARM does not list it. */
  bool has_auto = false;
  size_t i;
  json_t *r;
  json_array_foreach(value, i, r)
  {
    const char *name = json_path_str(r, "name");
    if (name && strcmp(name, "AutoResolveIntegrationRuntime") == 0)
      has_auto = true;
  }
  if (!has_auto) {
    struct wiz_item *it =
        wiz_list_add(out, "AutoResolveIntegrationRuntime", "AutoResolveIntegrationRuntime",
                     "Azure, auto-resolve", NULL);
    wiz_item_set_attr(it, "type", "Managed");
  }
  for (int pass = 0; pass < 2; pass++) {
    json_array_foreach(value, i, r)
    {
      const char *name = json_path_str(r, "name");
      if (!name)
        continue;
      bool is_auto = strcmp(name, "AutoResolveIntegrationRuntime") == 0;
      if ((pass == 0) != is_auto)
        continue;
      const char *type = json_path_str(r, "properties.type");
      char *detail = xasprintf("%s", type && strcmp(type, "SelfHosted") == 0 ? "self-hosted"
                                                                             : "Azure (managed)");
      struct wiz_item *it = wiz_list_add(out, name, name, detail, NULL);
      set_attr(it, "type", type ? type : "Managed");
      free(detail);
    }
  }
}

/* --- loads --- */

static void deliver(struct pending *p, struct wiz_list *items)
{
  if (p->filter)
    p->filter(names[p->kind], items, p->filter_ud);
  struct wiz_load *load = p->load;
  wiz_load_set_data(load, NULL);
  pending_free(p);
  wiz_load_deliver(load, items);
  free(items); /* the engine took the items, not their list's own allocation */
}

static void fail(struct pending *p, enum wiz_outcome outcome, const char *message, const char *hint)
{
  struct wiz_load *load = p->load;
  wiz_load_set_data(load, NULL);
  pending_free(p);
  wiz_load_fail_as(load, outcome, message, hint);
}

static void on_list_done(struct az_call *call, void *ud)
{
  struct pending *p = ud;
  if (az_call_result(call) != AZ_OK) {
    const struct az_error *e = az_call_error(call);
    char *summary = az_error_summary(e);
    char *hint = e->hint ? xstrdup(e->hint) : NULL;
    /* Refused (a rejected token, a 403) is exit 3 without screens; the rest is 4. */
    enum wiz_outcome outcome = az_result_class(az_call_result(call)) == AZ_CLASS_REFUSED
                                   ? WIZ_OUTCOME_REFUSED
                                   : WIZ_OUTCOME_FAILED;
    fail(p, outcome, summary, hint);
    free(summary);
    free(hint);
    return;
  }
  json_t *value = json_path(az_call_json(call), "value");
  struct wiz_list *items = xmalloc(sizeof(*items));
  wiz_list_init(items);
  switch (p->kind) {
  case SRC_SUBSCRIPTIONS:
    add_subscriptions(value, items);
    break;
  case SRC_WORKSPACES:
    add_workspaces(value, items);
    break;
  case SRC_STORAGE:
    add_storage_accounts(value, p->default_storage, items);
    break;
  case SRC_CONTAINERS:
    add_named(value, items);
    break;
  case SRC_ML_WORKSPACES:
    add_ml_workspaces(value, p->subscription, items);
    break;
  case SRC_RUNTIMES:
    add_runtimes(value, items);
    break;
  case SRC_CONNECTIONS:
  case SRC_CI_TABLES: /* from the store, not a call */
    break;
  }
  deliver(p, items);
}

static void workspace_read(struct az_call *call, void *ud)
{
  struct pending *p = ud;
  for (size_t i = 0; i < p->n_reads; i++) {
    if (p->reads[i] == call && az_call_result(call) == AZ_OK &&
        json_path_bool(az_call_json(call),
                       "properties.managedVirtualNetworkSettings.preventDataExfiltration", false))
      wiz_item_set_attr(&p->items->items[i], "prevent_data_exfiltration", "true");
  }
  if (--p->pending == 0) {
    struct wiz_list *items = p->items;
    p->items = NULL;
    deliver(p, items);
  }
}

static void load_connections(struct pending *p)
{
  struct store *s = NULL;
  const char *msg = NULL;
  if (app_ctx_store(p->ctx, &s, &msg) != APP_OK) {
    fail(p, WIZ_OUTCOME_INVALID, msg, NULL); /* the local store: nothing reached Azure */
    return;
  }
  struct store_connection_list list = { 0 };
  if (store_connection_list(s, &list) != APP_OK) {
    fail(p, WIZ_OUTCOME_INVALID, store_message(s), NULL);
    return;
  }
  struct wiz_list *items = xmalloc(sizeof(*items));
  wiz_list_init(items);
  for (size_t i = 0; i < list.n; i++) {
    const struct store_connection *c = &list.items[i];
    char *detail = c->redacted ? xstrdup("Azure Synapse Analytics")
                               : xasprintf("%s / %s / %s", c->workspace_name, c->storage_account,
                                           c->container);
    struct wiz_item *it = wiz_list_add(items, c->display_name, c->display_name, detail, NULL);
    free(detail);
    set_attr(it, "audience", store_audience_name(c->audience));
    if (!c->redacted) {
      set_attr(it, "subscription", c->subscription_id);
      set_attr(it, "workspace", c->workspace_name);
      set_attr(it, "resource_group", c->workspace_resource_group);
      set_attr(it, "dev_endpoint", c->workspace_dev_endpoint);
      set_attr(it, "principal_id", c->workspace_principal_id);
      set_attr(it, "storage_account", c->storage_account);
      set_attr(it, "container", c->container);
    }
  }
  /* reads[i] reads the workspace of items[i] (NULL when the record does not name it). */
  p->reads = xcalloc(list.n + 1, sizeof(*p->reads));
  p->n_reads = list.n;
  for (size_t i = 0; i < list.n; i++) {
    const struct store_connection *c = &list.items[i];
    if (c->redacted || !c->subscription_id || !c->workspace_resource_group || !c->workspace_name)
      continue;
    p->reads[i] = az_arm_get_workspace(app_ctx_client(p->ctx), c->subscription_id,
                                       c->workspace_resource_group, c->workspace_name);
    p->pending++;
  }
  store_connection_list_done(&list);
  if (p->pending == 0) {
    deliver(p, items);
    return;
  }
  p->items = items;
  for (size_t i = 0; i < p->n_reads; i++) {
    if (p->reads[i])
      az_call_on_done(p->reads[i], workspace_read, p);
  }
}

/* The table catalog (store_table.h): what exports and custom models pick from, with the
 * rows and size beside each. */
static void load_ci_tables(struct pending *p)
{
  struct store *s = NULL;
  const char *msg = NULL;
  if (app_ctx_store(p->ctx, &s, &msg) != APP_OK) {
    fail(p, WIZ_OUTCOME_INVALID, msg, NULL);
    return;
  }
  struct store_table_list list = { 0 };
  if (store_table_list(s, &list) != APP_OK) {
    fail(p, WIZ_OUTCOME_INVALID, store_message(s), NULL);
    return;
  }
  struct wiz_list *items = xmalloc(sizeof(*items));
  wiz_list_init(items);
  for (size_t i = 0; i < list.n; i++) {
    const struct store_table *t = &list.items[i];
    char *size = app_table_format_bytes(t->bytes);
    char *detail = xasprintf("%lld rows, %s%s", (long long)t->rows, size,
                             t->customer_id ? ", customer profile" : "");
    struct wiz_item *it = wiz_list_add(items, t->name, t->name, detail, NULL);
    char *rows = xasprintf("%lld", (long long)t->rows);
    char *bytes = xasprintf("%lld", (long long)t->bytes);
    set_attr(it, "rows", rows);
    set_attr(it, "bytes", bytes);
    free(rows);
    free(bytes);
    free(detail);
    free(size);
  }
  store_table_list_done(&list);
  deliver(p, items);
}

int app_sources_start(struct app_ctx *ctx, const char *source, const struct wiz_answers *answers,
                      struct wiz_load *load, app_source_filter_fn filter, void *filter_ud)
{
  if (app_model_sources_has(source))
    return app_model_sources_start(ctx, source, answers, load);
  int kind = kind_of(source);
  if (kind < 0)
    return -1;
  struct pending *p = xcalloc(1, sizeof(*p));
  p->ctx = ctx;
  p->load = load;
  p->kind = (enum source_kind)kind;
  p->filter = filter;
  p->filter_ud = filter_ud;
  wiz_load_set_data(load, p);
  struct az_client *c = app_ctx_client(ctx);
  const char *sub = wiz_answers_text(answers, "subscription");
  char *why = NULL;
  switch (p->kind) {
  case SRC_SUBSCRIPTIONS:
    p->call = az_arm_list_subscriptions(c);
    break;
  case SRC_WORKSPACES:
    p->call = az_arm_list_workspaces(c, sub);
    break;
  case SRC_STORAGE: {
    const char *dflt = item_attr(answers, "workspace", "default_storage_account");
    p->default_storage = dflt ? xstrdup(dflt) : NULL;
    p->call = az_arm_list_storage_accounts(c, sub);
    break;
  }
  case SRC_CONTAINERS:
    p->call =
        az_arm_list_containers(c, sub, item_attr(answers, "storage_account", "resource_group"),
                               wiz_answers_text(answers, "storage_account"));
    break;
  case SRC_ML_WORKSPACES: {
    const char *ml_sub = wiz_answers_text(answers, "ml_subscription");
    p->subscription = ml_sub ? xstrdup(ml_sub) : NULL;
    p->call = az_arm_list_ml_workspaces(c, ml_sub);
    break;
  }
  case SRC_RUNTIMES: {
    struct app_workspace_ref ws;
    if (!app_workspace_from_answers(ctx, answers, &ws, &why)) {
      fail(p, WIZ_OUTCOME_INVALID, why, NULL); /* from the answers, before any call */
      free(why);
      return 0;
    }
    p->call = az_arm_list_integration_runtimes(c, ws.subscription, ws.resource_group, ws.name);
    app_workspace_ref_done(&ws);
    break;
  }
  case SRC_CONNECTIONS:
    load_connections(p);
    return 0;
  case SRC_CI_TABLES:
    load_ci_tables(p);
    return 0;
  }
  /* A missing name fails the call itself (az_url_build), with a message saying which. */
  az_call_on_done(p->call, on_list_done, p);
  return 0;
}

void app_sources_cancel(struct app_ctx *ctx, struct wiz_load *load)
{
  if (app_model_sources_has(wiz_load_source(load))) {
    app_model_sources_cancel(ctx, load);
    return;
  }
  struct pending *p = wiz_load_data(load);
  wiz_load_set_data(load, NULL);
  pending_free(p);
}

/* --- the workspace of a wizard --- */

static char *dup_or_null(const char *s)
{
  return s ? xstrdup(s) : NULL;
}

void app_workspace_ref_done(struct app_workspace_ref *ref)
{
  free(ref->subscription);
  free(ref->resource_group);
  free(ref->name);
  free(ref->id);
  free(ref->dev_endpoint);
  free(ref->principal_id);
  free(ref->tenant_id);
  memset(ref, 0, sizeof(*ref));
}

/* The workspace a saved connection names. */
static void ref_from_connection(struct app_workspace_ref *ref, const struct store_connection *c)
{
  ref->subscription = dup_or_null(c->subscription_id);
  ref->resource_group = dup_or_null(c->workspace_resource_group);
  ref->name = dup_or_null(c->workspace_name);
  ref->id = dup_or_null(c->workspace_id);
  ref->dev_endpoint = dup_or_null(c->workspace_dev_endpoint);
  ref->principal_id = dup_or_null(c->workspace_principal_id);
}

bool app_workspace_from_answers(struct app_ctx *ctx, const struct wiz_answers *answers,
                                struct app_workspace_ref *ref, char **out_why)
{
  memset(ref, 0, sizeof(*ref));
  const char *conn = wiz_answers_text(answers, "connection");
  if (conn) {
    struct store *s = NULL;
    const char *msg = NULL;
    if (app_ctx_store(ctx, &s, &msg) != APP_OK) {
      *out_why = xstrdup(msg);
      return false;
    }
    struct store_connection c;
    store_connection_init(&c);
    if (store_connection_find(s, conn, &c) != APP_OK) {
      *out_why = xstrdup(store_message(s));
      store_connection_done(&c);
      return false;
    }
    if (c.redacted) {
      *out_why = xasprintf("The connection %s is shared with you by name only: choose the "
                           "subscription and workspace instead.",
                           conn);
      store_connection_done(&c);
      return false;
    }
    ref_from_connection(ref, &c);
    store_connection_done(&c);
    return true;
  }
  const struct wiz_item *ws = wiz_answers_item(answers, "workspace");
  const char *sub = wiz_answers_text(answers, "subscription");
  if (!ws || !sub) {
    *out_why = xstrdup("Choose a connection, or a subscription and a Synapse workspace, first.");
    return false;
  }
  ref->subscription = xstrdup(sub);
  ref->name = xstrdup(ws->id);
  ref->resource_group = dup_or_null(wiz_item_attr(ws, "resource_group"));
  ref->id = dup_or_null(wiz_item_attr(ws, "id"));
  ref->dev_endpoint = dup_or_null(wiz_item_attr(ws, "dev_endpoint"));
  ref->principal_id = dup_or_null(wiz_item_attr(ws, "principal_id"));
  ref->tenant_id = dup_or_null(wiz_item_attr(ws, "tenant_id"));
  const char *dep = wiz_item_attr(ws, "prevent_data_exfiltration");
  ref->prevent_data_exfiltration = dep && strcmp(dep, "true") == 0;
  return true;
}

/* Fill `ref` from one workspace resource of an ARM list or get. */
static void ref_from_arm(struct app_workspace_ref *ref, json_t *w, const char *subscription)
{
  const char *id = json_path_str(w, "id");
  free(ref->subscription);
  free(ref->resource_group);
  free(ref->name);
  free(ref->id);
  free(ref->principal_id);
  free(ref->tenant_id);
  ref->subscription = xstrdup(subscription);
  ref->resource_group = id ? az_arm_id_part(id, "resourceGroups") : NULL;
  ref->name = dup_or_null(json_path_str(w, "name"));
  ref->id = dup_or_null(id);
  ref->principal_id = dup_or_null(json_path_str(w, "identity.principalId"));
  ref->tenant_id = dup_or_null(json_path_str(w, "identity.tenantId"));
  const char *dev = json_path_str(w, "properties.connectivityEndpoints.dev");
  if (dev && !ref->dev_endpoint)
    ref->dev_endpoint = xstrdup(dev);
  ref->prevent_data_exfiltration =
      json_path_bool(w, "properties.managedVirtualNetworkSettings.preventDataExfiltration", false);
}

/* The workspace named `name` in every subscription the identity sees (listed in parallel). */
static enum az_result find_in_subscriptions(struct az_client *client, const char *name,
                                            struct app_workspace_ref *ref, struct az_error *err)
{
  struct az_call *subs = az_arm_list_subscriptions(client);
  enum az_result r = az_call_wait(subs);
  if (r != AZ_OK) {
    az_error_copy(err, az_call_error(subs));
    az_call_delete(subs);
    return r;
  }
  json_t *value = json_object_get(az_call_json(subs), "value");
  size_t n = json_array_size(value);
  struct az_call **lists = xcalloc(n + 1, sizeof(*lists));
  for (size_t i = 0; i < n; i++)
    lists[i] =
        az_arm_list_workspaces(client, json_path_str(json_array_get(value, i), "subscriptionId"));
  bool found = false;
  for (size_t i = 0; i < n; i++) {
    if (az_call_wait(lists[i]) != AZ_OK || found)
      continue;
    size_t k;
    json_t *w;
    json_array_foreach(json_object_get(az_call_json(lists[i]), "value"), k, w)
    {
      const char *wname = json_path_str(w, "name");
      if (!found && wname && strcasecmp(wname, name) == 0 &&
          json_path_str(w, "properties.connectivityEndpoints.dev")) {
        ref_from_arm(ref, w, json_path_str(json_array_get(value, i), "subscriptionId"));
        found = true;
      }
    }
  }
  for (size_t i = 0; i < n; i++)
    az_call_delete(lists[i]);
  free(lists);
  az_call_delete(subs);
  if (!found) {
    az_error_set(err, AZ_E_INVALID_ARG,
                 "no saved connection and no Synapse workspace you can see is named '%s'", name);
    return AZ_E_INVALID_ARG;
  }
  return AZ_OK;
}

enum az_result app_workspace_lookup(struct app_ctx *ctx, const char *arg, bool full,
                                    struct app_workspace_ref *ref, char **out_connection,
                                    struct az_error *err)
{
  memset(ref, 0, sizeof(*ref));
  if (out_connection)
    *out_connection = NULL;
  struct store *s = NULL;
  if (app_ctx_store(ctx, &s, NULL) == APP_OK) {
    struct store_connection c;
    store_connection_init(&c);
    if (store_connection_find(s, arg, &c) == APP_OK && !c.redacted && c.workspace_name &&
        c.workspace_dev_endpoint) {
      ref_from_connection(ref, &c);
      if (out_connection)
        *out_connection = xstrdup(c.display_name);
      store_connection_done(&c);
      return AZ_OK;
    }
    store_connection_done(&c);
  }
  if (strncasecmp(arg, "https://", 8) == 0) {
    /* "https://ws1.dev.azuresynapse.net" -> "ws1" (the first label is the name) */
    const char *host = arg + 8;
    ref->dev_endpoint = xstrdup(arg);
    ref->name = xstrndup(host, strcspn(host, ".:/"));
    if (!full)
      return AZ_OK;
    char *name = xstrdup(ref->name);
    enum az_result r = find_in_subscriptions(app_ctx_client(ctx), name, ref, err);
    free(name);
    return r;
  }
  return find_in_subscriptions(app_ctx_client(ctx), arg, ref, err);
}

enum az_result app_workspace_find(struct app_ctx *ctx, const char *name,
                                  struct app_workspace_ref *ref, struct az_error *err)
{
  memset(ref, 0, sizeof(*ref));
  return find_in_subscriptions(app_ctx_client(ctx), name, ref, err);
}

void app_workspace_ref_copy(struct app_workspace_ref *dst, const struct app_workspace_ref *src)
{
  dst->subscription = dup_or_null(src->subscription);
  dst->resource_group = dup_or_null(src->resource_group);
  dst->name = dup_or_null(src->name);
  dst->id = dup_or_null(src->id);
  dst->dev_endpoint = dup_or_null(src->dev_endpoint);
  dst->principal_id = dup_or_null(src->principal_id);
  dst->tenant_id = dup_or_null(src->tenant_id);
  dst->prevent_data_exfiltration = src->prevent_data_exfiltration;
}
