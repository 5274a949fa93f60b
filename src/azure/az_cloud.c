#include "azure/az_cloud.h"
#include "azure/az_url.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct builtin {
  const char *name, *authority, *resource_manager, *arm_scope, *synapse_dev_suffix, *synapse_scope,
      *storage_suffix, *storage_scope, *ml_api_suffix, *microsoft_graph;
};

#define IMDS_ENDPOINT       "http://169.254.169.254/metadata/identity/oauth2/token"
#define AZURE_CLI_CLIENT_ID "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

/* The ARM audiences of the national clouds are their "management.core" resource ids, as
 * the Azure SDKs use them; storage uses the one storage.azure.com resource everywhere. */
static const struct builtin builtins[] = {
  { "AzureCloud", "https://login.microsoftonline.com", "https://management.azure.com",
    "https://management.azure.com/.default", "dev.azuresynapse.net",
    "https://dev.azuresynapse.net/.default", "core.windows.net",
    "https://storage.azure.com/.default", "api.azureml.ms", "https://graph.microsoft.com" },
  { "AzureChinaCloud", "https://login.chinacloudapi.cn", "https://management.chinacloudapi.cn",
    "https://management.core.chinacloudapi.cn/.default", "dev.azuresynapse.azure.cn",
    "https://dev.azuresynapse.azure.cn/.default", "core.chinacloudapi.cn",
    "https://storage.azure.com/.default", "api.ml.azure.cn",
    "https://microsoftgraph.chinacloudapi.cn" },
  { "AzureUSGovernment", "https://login.microsoftonline.us", "https://management.usgovcloudapi.net",
    "https://management.core.usgovcloudapi.net/.default", "dev.azuresynapse.usgovcloudapi.net",
    "https://dev.azuresynapse.usgovcloudapi.net/.default", "core.usgovcloudapi.net",
    "https://storage.azure.com/.default", "api.ml.azure.us", "https://graph.microsoft.us" },
};

static char *dup_or_null(const char *s)
{
  return s ? xstrdup(s) : NULL;
}

void az_cloud_delete(struct az_cloud *c)
{
  if (!c)
    return;
  char **fields[] = { &c->name,
                      &c->authority,
                      &c->resource_manager,
                      &c->arm_scope,
                      &c->synapse_dev_suffix,
                      &c->synapse_scope,
                      &c->storage_suffix,
                      &c->storage_scope,
                      &c->imds_endpoint,
                      &c->ca_bundle,
                      &c->public_client_id,
                      &c->ml_api_suffix,
                      &c->microsoft_graph,
                      &c->graph_scope,
                      &c->source };
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
    free(*fields[i]);
  free(c);
}

struct az_cloud *az_cloud_copy(const struct az_cloud *c)
{
  struct az_cloud *n = xcalloc(1, sizeof(*n));
  n->name = dup_or_null(c->name);
  n->authority = dup_or_null(c->authority);
  n->resource_manager = dup_or_null(c->resource_manager);
  n->arm_scope = dup_or_null(c->arm_scope);
  n->synapse_dev_suffix = dup_or_null(c->synapse_dev_suffix);
  n->synapse_scope = dup_or_null(c->synapse_scope);
  n->storage_suffix = dup_or_null(c->storage_suffix);
  n->storage_scope = dup_or_null(c->storage_scope);
  n->imds_endpoint = dup_or_null(c->imds_endpoint);
  n->ca_bundle = dup_or_null(c->ca_bundle);
  n->public_client_id = dup_or_null(c->public_client_id);
  n->ml_api_suffix = dup_or_null(c->ml_api_suffix);
  n->microsoft_graph = dup_or_null(c->microsoft_graph);
  n->graph_scope = dup_or_null(c->graph_scope);
  n->source = dup_or_null(c->source);
  return n;
}

/* URLs are kept without a trailing slash so that joining is uniform. */
static char *trimmed(const char *s)
{
  char *d = xstrdup(s);
  size_t n = strlen(d);
  while (n > 0 && d[n - 1] == '/')
    d[--n] = '\0';
  return d;
}

struct az_cloud *az_cloud_builtin(const char *name)
{
  for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
    const struct builtin *b = &builtins[i];
    if (strcasecmp(name, b->name) != 0)
      continue;
    struct az_cloud *c = xcalloc(1, sizeof(*c));
    c->name = xstrdup(b->name);
    c->authority = xstrdup(b->authority);
    c->resource_manager = xstrdup(b->resource_manager);
    c->arm_scope = xstrdup(b->arm_scope);
    c->synapse_dev_suffix = xstrdup(b->synapse_dev_suffix);
    c->synapse_scope = xstrdup(b->synapse_scope);
    c->storage_suffix = xstrdup(b->storage_suffix);
    c->storage_scope = xstrdup(b->storage_scope);
    c->imds_endpoint = xstrdup(IMDS_ENDPOINT);
    c->public_client_id = xstrdup(AZURE_CLI_CLIENT_ID);
    c->ml_api_suffix = xstrdup(b->ml_api_suffix);
    c->microsoft_graph = xstrdup(b->microsoft_graph);
    c->graph_scope = xasprintf("%s/.default", b->microsoft_graph);
    c->source = xstrdup("built-in");
    return c;
  }
  return NULL;
}

static enum az_result from_json(json_t *obj, const char *source, struct az_cloud **out,
                                struct az_error *err)
{
  static const struct {
    const char *key;
    size_t offset;
    bool required;
    bool url;
  } keys[] = {
    { "name", offsetof(struct az_cloud, name), true, false },
    { "authority", offsetof(struct az_cloud, authority), true, true },
    { "resource_manager", offsetof(struct az_cloud, resource_manager), true, true },
    { "arm_scope", offsetof(struct az_cloud, arm_scope), true, false },
    { "synapse_dev_suffix", offsetof(struct az_cloud, synapse_dev_suffix), true, false },
    { "synapse_scope", offsetof(struct az_cloud, synapse_scope), true, false },
    { "storage_suffix", offsetof(struct az_cloud, storage_suffix), true, false },
    { "storage_scope", offsetof(struct az_cloud, storage_scope), true, false },
    { "imds_endpoint", offsetof(struct az_cloud, imds_endpoint), false, false },
    { "ca_bundle", offsetof(struct az_cloud, ca_bundle), false, false },
    { "public_client_id", offsetof(struct az_cloud, public_client_id), false, false },
    { "ml_api_suffix", offsetof(struct az_cloud, ml_api_suffix), false, false },
    { "microsoft_graph", offsetof(struct az_cloud, microsoft_graph), false, true },
    { "graph_scope", offsetof(struct az_cloud, graph_scope), false, false },
  };
  if (!json_is_object(obj)) {
    az_error_set(err, AZ_E_CONFIG, "%s: a cloud profile must be a JSON object", source);
    return AZ_E_CONFIG;
  }
  struct az_cloud *c = xcalloc(1, sizeof(*c));
  for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
    json_t *v = json_object_get(obj, keys[i].key);
    char **field = (char **)((char *)c + keys[i].offset);
    if (v && !json_is_null(v) && !json_is_string(v)) {
      az_error_set(err, AZ_E_CONFIG, "%s: \"%s\" must be a string", source, keys[i].key);
      az_cloud_delete(c);
      return AZ_E_CONFIG;
    }
    const char *s = json_string_value(v);
    if ((!s || !*s) && keys[i].required) {
      az_error_set(err, AZ_E_CONFIG, "%s: the cloud profile lacks \"%s\"", source, keys[i].key);
      az_cloud_delete(c);
      return AZ_E_CONFIG;
    }
    if (s && *s)
      *field = keys[i].url ? trimmed(s) : xstrdup(s);
  }
  if (!c->imds_endpoint)
    c->imds_endpoint = xstrdup(IMDS_ENDPOINT);
  if (!c->public_client_id)
    c->public_client_id = xstrdup(AZURE_CLI_CLIENT_ID);
  if (c->microsoft_graph && !c->graph_scope)
    c->graph_scope = xasprintf("%s/.default", c->microsoft_graph);
  c->source = xstrdup(source);
  *out = c;
  return AZ_OK;
}

static enum az_result load_json_file(const char *path, json_t **out, struct az_error *err)
{
  json_error_t jerr;
  json_t *root = json_load_file(path, 0, &jerr);
  if (!root) {
    if (!fs_exists(path)) {
      az_error_set(err, AZ_E_CONFIG, "%s does not exist", path);
      return AZ_E_CONFIG;
    }
    az_error_set(err, AZ_E_CONFIG, "%s:%d: %s", path, jerr.line, jerr.text);
    return AZ_E_CONFIG;
  }
  *out = root;
  return AZ_OK;
}

enum az_result az_cloud_load_file(const char *path, struct az_cloud **out, struct az_error *err)
{
  json_t *root;
  enum az_result r = load_json_file(path, &root, err);
  if (r != AZ_OK)
    return r;
  r = from_json(root, path, out, err);
  json_decref(root);
  return r;
}

char *az_cloud_sandbox_dir(const char *dir)
{
  if (dir && *dir)
    return xstrdup(dir);
  const char *env = getenv("SYNWIZ_SANDBOX_DIR");
  if (env && *env)
    return xstrdup(env);
  char *state = paths_state_dir();
  char *d = paths_join(state, "sandbox");
  free(state);
  return d;
}

enum az_result az_cloud_load_sandbox(const char *dir, struct az_cloud **out, struct az_error *err)
{
  char *sdir = az_cloud_sandbox_dir(dir);
  char *runtime = paths_join(sdir, "runtime.json");
  enum az_result r;
  if (!fs_exists(runtime)) {
    az_error_set(err, AZ_E_CONFIG,
                 "the sandbox is not running (no %s); start it with: synwiz sandbox start",
                 runtime);
    r = AZ_E_CONFIG;
  } else {
    json_t *root;
    r = load_json_file(runtime, &root, err);
    if (r == AZ_OK) {
      r = from_json(json_object_get(root, "profile"), runtime, out, err);
      json_decref(root);
    }
  }
  free(runtime);
  free(sdir);
  return r;
}

static bool looks_like_file(const char *s)
{
  size_t n = strlen(s);
  return strchr(s, '/') || (n > 5 && strcmp(s + n - 5, ".json") == 0);
}

static enum az_result by_name_or_file(const char *what, struct az_cloud **out, struct az_error *err)
{
  if (strcasecmp(what, "sandbox") == 0)
    return az_cloud_load_sandbox(NULL, out, err);
  struct az_cloud *c = az_cloud_builtin(what);
  if (c) {
    *out = c;
    return AZ_OK;
  }
  if (looks_like_file(what))
    return az_cloud_load_file(what, out, err);
  az_error_set(err, AZ_E_CONFIG,
               "unknown cloud '%s' (AzureCloud, AzureChinaCloud, AzureUSGovernment, sandbox, "
               "or a profile file)",
               what);
  return AZ_E_CONFIG;
}

static char *config_path(void)
{
  char *dir = paths_config_dir();
  char *p = paths_join(dir, "config.json");
  free(dir);
  return p;
}

static char *remembered_cloud(void)
{
  char *path = config_path();
  json_t *root = json_load_file(path, 0, NULL);
  free(path);
  char *res = NULL;
  const char *s = json_string_value(json_object_get(root, "cloud"));
  if (s && *s)
    res = xstrdup(s);
  json_decref(root);
  return res;
}

static bool env_set(const char *name)
{
  const char *v = getenv(name);
  return v && *v;
}

enum az_result az_cloud_select(const char *requested, struct az_cloud **out, struct az_error *err)
{
  if (requested && *requested)
    return by_name_or_file(requested, out, err);
  if (env_set("SYNWIZ_CLOUD"))
    return by_name_or_file(getenv("SYNWIZ_CLOUD"), out, err);
  char *last = remembered_cloud();
  if (last) {
    enum az_result r = by_name_or_file(last, out, err);
    free(last);
    return r;
  }
  if (env_set("AZURE_TENANT_ID") && env_set("AZURE_CLIENT_ID") &&
      (env_set("AZURE_CLIENT_SECRET") || env_set("AZURE_CLIENT_CERTIFICATE_PATH"))) {
    *out = az_cloud_builtin("AzureCloud");
    return AZ_OK;
  }
  return az_cloud_load_sandbox(NULL, out, err);
}

enum az_result az_cloud_remember(const char *name_or_file)
{
  char *dir = paths_config_dir();
  if (fs_mkdir_p(dir, 0700) != 0) {
    free(dir);
    return AZ_E_IO;
  }
  char *path = paths_join(dir, "config.json");
  char *lock_path = paths_join(dir, "config.json.lock");
  struct fs_lock lock;
  enum az_result r = AZ_E_IO;
  if (fs_lock_acquire(&lock, lock_path, 5000) == 0) {
    /* Keep every other setting: config.json is shared with the rest of synwiz. */
    json_t *root = json_load_file(path, 0, NULL);
    if (!json_is_object(root)) {
      json_decref(root);
      root = json_object();
    }
    json_object_set_new(root, "cloud", json_string(name_or_file));
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text && fs_write_atomic(path, text, strlen(text), 0600) == 0)
      r = AZ_OK;
    free(text);
    json_decref(root);
    fs_lock_release(&lock);
  }
  free(lock_path);
  free(path);
  free(dir);
  return r;
}

static bool host_has_suffix(const char *host, const char *infix, const char *suffix)
{
  if (!suffix || !*suffix)
    return false;
  size_t hl = strlen(host), il = strlen(infix), sl = strlen(suffix);
  /* at least one label before ".{infix}{suffix}" */
  if (hl < il + sl + 2)
    return false;
  const char *tail = host + hl - sl;
  if (strcasecmp(tail, suffix) != 0)
    return false;
  const char *mid = tail - il;
  if (il && strncasecmp(mid, infix, il) != 0)
    return false;
  return mid[-1] == '.';
}

const char *az_cloud_scope_for_url(const struct az_cloud *c, const char *url)
{
  char *host = az_url_host(url);
  if (!host)
    return NULL;
  const char *scope = NULL;
  char *arm = az_url_host(c->resource_manager);
  char *graph = c->microsoft_graph ? az_url_host(c->microsoft_graph) : NULL;
  if (arm && strcmp(host, arm) == 0)
    scope = c->arm_scope;
  else if (graph && c->graph_scope && strcmp(host, graph) == 0)
    scope = c->graph_scope;
  else if (host_has_suffix(host, "", c->synapse_dev_suffix))
    scope = c->synapse_scope;
  else if (host_has_suffix(host, "blob.", c->storage_suffix) ||
           host_has_suffix(host, "dfs.", c->storage_suffix))
    scope = c->storage_scope;
  else if (host_has_suffix(host, "", c->ml_api_suffix))
    scope = c->arm_scope;
  free(arm);
  free(graph);
  free(host);
  return scope;
}

char *az_cloud_resource_for_scope(const char *scope)
{
  size_t n = strlen(scope);
  const char *suffix = "/.default";
  size_t sl = strlen(suffix);
  if (n > sl && strcmp(scope + n - sl, suffix) == 0)
    return xstrndup(scope, n - sl + 1); /* keep the slash: "https://x/" */
  return xstrdup(scope);
}

bool az_cloud_is_authority_url(const struct az_cloud *c, const char *url)
{
  char *a = az_url_host(c->authority);
  char *h = az_url_host(url);
  bool same = a && h && strcmp(a, h) == 0;
  free(a);
  free(h);
  return same;
}

char *az_cloud_token_url(const struct az_cloud *c, const char *tenant)
{
  struct az_url u;
  az_url_init(&u, c->authority);
  az_url_segment(&u, tenant);
  az_url_path(&u, "oauth2/v2.0/token");
  char *s = az_url_finish(&u);
  az_url_done(&u);
  return s;
}

const char *az_cloud_description(const struct az_cloud *c)
{
  if (strcmp(c->name, "sandbox") == 0)
    return "Sandbox (local stand-in for Azure)";
  if (strcmp(c->name, "AzureCloud") == 0)
    return "Azure (public cloud)";
  if (strcmp(c->name, "AzureChinaCloud") == 0)
    return "Azure China (21Vianet)";
  if (strcmp(c->name, "AzureUSGovernment") == 0)
    return "Azure US Government";
  return c->name;
}
