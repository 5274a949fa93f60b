#include "azure/az_session.h"
#include "azure/az_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static bool env_set(const char *name)
{
  const char *v = getenv(name);
  return v && *v;
}

/* The credential of a cached account; secrets come from the environment or the prompt. */
static enum az_result credential_for(const struct az_identity *id, const char *refresh_token,
                                     struct az_credential **out, struct az_error *err)
{
  switch (id->kind) {
  case AZ_IDENTITY_USER:
    *out = az_credential_refresh_token(id->tenant_id, id->client_id, refresh_token);
    return AZ_OK;
  case AZ_IDENTITY_SERVICE_PRINCIPAL:
    if (id->certificate_path) {
      struct az_certificate *cert = NULL;
      enum az_result r = az_certificate_load(id->certificate_path, &cert, err);
      if (r != AZ_OK)
        return r;
      *out = az_credential_certificate(id->tenant_id, id->client_id, cert);
    } else {
      *out = az_credential_client_secret(id->tenant_id, id->client_id, NULL);
    }
    return AZ_OK;
  case AZ_IDENTITY_MANAGED_IDENTITY:
    if (id->app_service_style) {
      if (!env_set("IDENTITY_ENDPOINT") || !env_set("IDENTITY_HEADER")) {
        az_error_set(err, AZ_E_NOT_SIGNED_IN,
                     "signed in with a managed identity through IDENTITY_ENDPOINT, but "
                     "IDENTITY_ENDPOINT and IDENTITY_HEADER are not set here");
        return AZ_E_NOT_SIGNED_IN;
      }
      *out = az_credential_managed_identity(id->client_id, getenv("IDENTITY_ENDPOINT"),
                                            getenv("IDENTITY_HEADER"));
    } else {
      *out = az_credential_managed_identity(id->client_id, NULL, NULL);
    }
    return AZ_OK;
  default:
    az_error_set(err, AZ_E_NOT_SIGNED_IN, "not signed in");
    return AZ_E_NOT_SIGNED_IN;
  }
}

static void seed_tokens(struct az_client *c, json_t *tokens)
{
  const char *scope;
  json_t *t;
  json_object_foreach(tokens, scope, t)
  {
    const char *at = json_string_value(json_object_get(t, "access_token"));
    if (at)
      az_tokens_seed(c, scope, at, json_integer_value(json_object_get(t, "expires_on")),
                     json_integer_value(json_object_get(t, "obtained_on")));
  }
}

static struct az_credential *environment_credential(struct az_identity *id, struct az_error *err,
                                                    enum az_result *res)
{
  *res = AZ_OK;
  if (!env_set("AZURE_TENANT_ID") || !env_set("AZURE_CLIENT_ID"))
    return NULL;
  const char *tenant = getenv("AZURE_TENANT_ID");
  const char *client = getenv("AZURE_CLIENT_ID");
  struct az_credential *cred = NULL;
  if (env_set("AZURE_CLIENT_SECRET")) {
    cred = az_credential_client_secret(tenant, client, getenv("AZURE_CLIENT_SECRET"));
  } else if (env_set("AZURE_CLIENT_CERTIFICATE_PATH")) {
    struct az_certificate *cert = NULL;
    *res = az_certificate_load(getenv("AZURE_CLIENT_CERTIFICATE_PATH"), &cert, err);
    if (*res != AZ_OK)
      return NULL;
    cred = az_credential_certificate(tenant, client, cert);
    id->certificate_path = xstrdup(getenv("AZURE_CLIENT_CERTIFICATE_PATH"));
  } else {
    return NULL;
  }
  id->kind = AZ_IDENTITY_SERVICE_PRINCIPAL;
  id->tenant_id = xstrdup(tenant);
  id->client_id = xstrdup(client);
  id->source = xstrdup("environment");
  return cred;
}

/* The options' transport is taken even when opening fails. */
static enum az_result drop_transport(const struct az_session_options *o, enum az_result r)
{
  if (o->transport)
    o->transport->ops->destroy(o->transport);
  return r;
}

enum az_result az_session_open(const struct az_session_options *o, struct az_client **out,
                               struct az_error *err)
{
  struct az_cloud *cloud = NULL;
  enum az_result r = az_cloud_select(o->cloud, &cloud, err);
  if (r != AZ_OK)
    return drop_transport(o, r);
  struct az_token_cache *cache = az_token_cache_new(o->token_cache_path);
  char *cloud_key = az_token_cache_cloud_key(cloud);
  struct az_identity id;
  az_identity_init(&id);
  char *refresh = NULL;
  json_t *tokens = NULL;
  struct az_credential *cred = NULL;
  bool cached = false;
  if (!o->ignore_signed_in &&
      az_token_cache_current(cache, cloud_key, &id, &refresh, &tokens) == AZ_OK) {
    r = credential_for(&id, refresh, &cred, err);
    cached = r == AZ_OK;
    if (r != AZ_OK) {
      az_identity_done(&id);
      xfree_secret(refresh);
      json_decref(tokens);
      az_token_cache_delete(cache);
      free(cloud_key);
      az_cloud_delete(cloud);
      return drop_transport(o, r);
    }
  } else if (!o->ignore_signed_in) {
    az_identity_done(&id);
    cred = environment_credential(&id, err, &r);
    if (r != AZ_OK) {
      az_identity_done(&id);
      az_token_cache_delete(cache);
      free(cloud_key);
      az_cloud_delete(cloud);
      return drop_transport(o, r);
    }
  }
  if (cred && o->prompt)
    az_credential_set_prompt(cred, o->prompt, o->prompt_ud);
  struct az_client_options co;
  az_client_options_default(&co);
  co.cloud = cloud;
  co.credential = cred;
  co.log_path = o->log_path;
  co.verbosity = o->verbosity;
  co.dry_run = o->dry_run;
  co.token_cache_path = cache->path;
  co.transport = o->transport;
  co.clock = o->clock;
  struct az_client *c = NULL;
  r = az_client_new(&co, &c, err);
  if (r != AZ_OK) {
    az_cloud_delete(co.cloud);
    az_credential_delete(co.credential);
    if (co.transport)
      co.transport->ops->destroy(co.transport);
  } else if (cred) {
    if (cached) {
      /* Bind without rewriting: the account is already in the cache as it is. */
      az_identity_copy(&c->identity, &id);
      free(c->identity.cloud);
      c->identity.cloud = xstrdup(c->cloud->name);
      c->cloud_key = xstrdup(cloud_key);
      c->account_key = az_token_cache_account_key(&id);
      seed_tokens(c, tokens);
    } else {
      az_identity_copy(&c->identity, &id);
      free(c->identity.cloud);
      c->identity.cloud = xstrdup(c->cloud->name);
    }
  }
  az_identity_done(&id);
  xfree_secret(refresh);
  json_decref(tokens);
  az_token_cache_delete(cache);
  free(cloud_key);
  *out = c;
  return r;
}
