#include "azure/az_token_cache.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CACHE_VERSION   1
#define LOCK_TIMEOUT_MS 10000

char *az_token_cache_default_path(void)
{
  char *dir = paths_state_dir();
  char *p = paths_join(dir, "tokens.json");
  free(dir);
  return p;
}

struct az_token_cache *az_token_cache_new(const char *path)
{
  struct az_token_cache *c = xcalloc(1, sizeof(*c));
  c->path = path ? xstrdup(path) : az_token_cache_default_path();
  c->lock_path = xasprintf("%s.lock", c->path);
  return c;
}

void az_token_cache_delete(struct az_token_cache *c)
{
  if (!c)
    return;
  free(c->path);
  free(c->lock_path);
  free(c);
}

char *az_token_cache_cloud_key(const struct az_cloud *cloud)
{
  return xasprintf("%s|%s", cloud->name, cloud->authority);
}

char *az_token_cache_account_key(const struct az_identity *id)
{
  switch (id->kind) {
  case AZ_IDENTITY_USER:
    return xasprintf("user:%s:%s", id->tenant_id ? id->tenant_id : "-",
                     id->object_id ? id->object_id : (id->username ? id->username : "-"));
  case AZ_IDENTITY_SERVICE_PRINCIPAL:
    return xasprintf("sp:%s:%s", id->tenant_id ? id->tenant_id : "-",
                     id->client_id ? id->client_id : "-");
  case AZ_IDENTITY_MANAGED_IDENTITY:
    return xasprintf("mi:%s", id->client_id ? id->client_id : "system");
  default:
    return xstrdup("none");
  }
}

static json_t *read_cache(const char *path)
{
  json_t *root = json_load_file(path, 0, NULL);
  if (!json_is_object(root) ||
      json_integer_value(json_object_get(root, "version")) != CACHE_VERSION) {
    /* Missing, unreadable or from another version: start afresh (tokens can be re-got). */
    json_decref(root);
    root = json_pack("{s:i, s:{}}", "version", CACHE_VERSION, "clouds");
  }
  if (!json_is_object(json_object_get(root, "clouds")))
    json_object_set_new(root, "clouds", json_object());
  return root;
}

static enum az_result write_cache(const char *path, json_t *root)
{
  char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  if (!text)
    return AZ_E_IO;
  int rc = fs_write_atomic(path, text, strlen(text), 0600);
  secure_wipe(text, strlen(text));
  free(text);
  return rc == 0 ? AZ_OK : AZ_E_IO;
}

typedef enum az_result (*update_fn)(json_t *root, void *ud);

/* Lock, read, let `fn` change the tree, write atomically, unlock. */
static enum az_result update(struct az_token_cache *c, update_fn fn, void *ud)
{
  char *copy = xstrdup(c->path);
  int mk = fs_mkdir_p(dirname(copy), 0700);
  free(copy);
  if (mk != 0)
    return AZ_E_IO;
  struct fs_lock lock;
  if (fs_lock_acquire(&lock, c->lock_path, LOCK_TIMEOUT_MS) != 0)
    return AZ_E_IO;
  json_t *root = read_cache(c->path);
  enum az_result r = fn(root, ud);
  if (r == AZ_OK)
    r = write_cache(c->path, root);
  json_decref(root);
  fs_lock_release(&lock);
  return r;
}

static json_t *cloud_node(json_t *root, const char *cloud_key, bool create)
{
  json_t *clouds = json_object_get(root, "clouds");
  json_t *node = json_object_get(clouds, cloud_key);
  if (!json_is_object(node) && create) {
    node = json_pack("{s:n, s:{}}", "current", "accounts");
    json_object_set_new(clouds, cloud_key, node);
  }
  return json_is_object(node) ? node : NULL;
}

static void set_or_keep(json_t *obj, const char *key, const char *value)
{
  if (value)
    json_object_set_new(obj, key, json_string(value));
}

static const char *str(json_t *obj, const char *key)
{
  return json_string_value(json_object_get(obj, key));
}

static char *dup_or_null(const char *s)
{
  return s ? xstrdup(s) : NULL;
}

enum az_result az_token_cache_current(struct az_token_cache *c, const char *cloud_key,
                                      struct az_identity *out_id, char **out_refresh_token,
                                      json_t **out_tokens)
{
  *out_refresh_token = NULL;
  *out_tokens = NULL;
  /* Readers need no lock: the file is only ever replaced whole by rename(). */
  json_t *root = read_cache(c->path);
  json_t *cloud = cloud_node(root, cloud_key, false);
  const char *current = str(cloud, "current");
  json_t *acct = current ? json_object_get(json_object_get(cloud, "accounts"), current) : NULL;
  if (!json_is_object(acct)) {
    json_decref(root);
    return AZ_E_NOT_SIGNED_IN;
  }
  az_identity_done(out_id);
  out_id->kind = az_identity_kind_from_name(str(acct, "type"));
  out_id->tenant_id = dup_or_null(str(acct, "tenantId"));
  out_id->object_id = dup_or_null(str(acct, "objectId"));
  out_id->client_id = dup_or_null(str(acct, "clientId"));
  out_id->username = dup_or_null(str(acct, "userPrincipalName"));
  out_id->display_name = dup_or_null(str(acct, "displayName"));
  out_id->certificate_path = dup_or_null(str(acct, "certificate"));
  const char *mi = str(acct, "managedIdentityEndpoint");
  out_id->app_service_style = mi && strcmp(mi, "IDENTITY_ENDPOINT") == 0;
  out_id->source = xstrdup("token cache");
  const char *rt = str(acct, "refresh_token");
  if (rt)
    *out_refresh_token = xstrdup(rt);
  json_t *tokens = json_object_get(acct, "tokens");
  *out_tokens = json_is_object(tokens) ? json_deep_copy(tokens) : json_object();
  json_decref(root);
  return out_id->kind == AZ_IDENTITY_NONE ? AZ_E_NOT_SIGNED_IN : AZ_OK;
}

struct save_account {
  const char *cloud_key;
  const struct az_identity *id;
  const char *refresh_token;
  bool make_current;
};

static enum az_result do_save_account(json_t *root, void *ud)
{
  struct save_account *sa = ud;
  json_t *cloud = cloud_node(root, sa->cloud_key, true);
  json_t *accounts = json_object_get(cloud, "accounts");
  char *key = az_token_cache_account_key(sa->id);
  json_t *acct = json_object_get(accounts, key);
  if (!json_is_object(acct)) {
    acct = json_object();
    json_object_set_new(accounts, key, acct);
  }
  json_object_set_new(acct, "type", json_string(az_identity_kind_name(sa->id->kind)));
  set_or_keep(acct, "tenantId", sa->id->tenant_id);
  set_or_keep(acct, "objectId", sa->id->object_id);
  set_or_keep(acct, "clientId", sa->id->client_id);
  set_or_keep(acct, "userPrincipalName", sa->id->username);
  set_or_keep(acct, "displayName", sa->id->display_name);
  set_or_keep(acct, "certificate", sa->id->certificate_path);
  if (sa->id->kind == AZ_IDENTITY_MANAGED_IDENTITY)
    json_object_set_new(acct, "managedIdentityEndpoint",
                        json_string(sa->id->app_service_style ? "IDENTITY_ENDPOINT" : "IMDS"));
  set_or_keep(acct, "refresh_token", sa->refresh_token);
  if (!json_is_object(json_object_get(acct, "tokens")))
    json_object_set_new(acct, "tokens", json_object());
  if (sa->make_current)
    json_object_set_new(cloud, "current", json_string(key));
  free(key);
  return AZ_OK;
}

enum az_result az_token_cache_save_account(struct az_token_cache *c, const char *cloud_key,
                                           const struct az_identity *id, const char *refresh_token,
                                           bool make_current)
{
  struct save_account sa = { cloud_key, id, refresh_token, make_current };
  return update(c, do_save_account, &sa);
}

struct save_token {
  const char *cloud_key;
  const char *account_key;
  const char *scope;
  const struct az_token *token;
};

static enum az_result do_save_token(json_t *root, void *ud)
{
  struct save_token *st = ud;
  json_t *cloud = cloud_node(root, st->cloud_key, false);
  json_t *acct = json_object_get(json_object_get(cloud, "accounts"), st->account_key);
  if (!json_is_object(acct))
    return AZ_E_NOT_SIGNED_IN; /* signed out meanwhile (synwiz logout): keep it that way */
  json_t *tokens = json_object_get(acct, "tokens");
  if (!json_is_object(tokens)) {
    tokens = json_object();
    json_object_set_new(acct, "tokens", tokens);
  }
  /* Drop tokens that expired long ago, so the file does not grow without bound. */
  int64_t now = (int64_t)time(NULL);
  const char *k;
  json_t *v;
  void *tmp;
  json_object_foreach_safe(tokens, tmp, k, v)
  {
    if (json_integer_value(json_object_get(v, "expires_on")) < now - 3600)
      json_object_del(tokens, k);
  }
  json_object_set_new(tokens, st->scope,
                      json_pack("{s:s, s:I, s:I}", "access_token", st->token->access_token,
                                "expires_on", (json_int_t)st->token->expires_on, "obtained_on",
                                (json_int_t)st->token->obtained_on));
  if (st->token->refresh_token)
    json_object_set_new(acct, "refresh_token", json_string(st->token->refresh_token));
  return AZ_OK;
}

enum az_result az_token_cache_save_token(struct az_token_cache *c, const char *cloud_key,
                                         const char *account_key, const char *scope,
                                         const struct az_token *token)
{
  struct save_token st = { cloud_key, account_key, scope, token };
  return update(c, do_save_token, &st);
}

enum az_result az_token_cache_erase(struct az_token_cache *c)
{
  struct fs_lock lock;
  bool locked = fs_lock_acquire(&lock, c->lock_path, LOCK_TIMEOUT_MS) == 0;
  int rc = unlink(c->path);
  int saved = errno;
  if (locked)
    fs_lock_release(&lock);
  if (rc != 0 && saved != ENOENT)
    return AZ_E_IO;
  return AZ_OK;
}
