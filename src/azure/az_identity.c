#include "azure/az_identity.h"
#include "azure/az_jwt.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void az_identity_init(struct az_identity *id)
{
  memset(id, 0, sizeof(*id));
}

void az_identity_done(struct az_identity *id)
{
  free(id->cloud);
  free(id->tenant_id);
  free(id->object_id);
  free(id->client_id);
  free(id->username);
  free(id->display_name);
  free(id->certificate_path);
  free(id->source);
  az_identity_init(id);
}

static char *dup(const char *s)
{
  return s ? xstrdup(s) : NULL;
}

void az_identity_copy(struct az_identity *dst, const struct az_identity *src)
{
  if (dst == src)
    return;
  az_identity_done(dst);
  dst->kind = src->kind;
  dst->cloud = dup(src->cloud);
  dst->tenant_id = dup(src->tenant_id);
  dst->object_id = dup(src->object_id);
  dst->client_id = dup(src->client_id);
  dst->username = dup(src->username);
  dst->display_name = dup(src->display_name);
  dst->certificate_path = dup(src->certificate_path);
  dst->app_service_style = src->app_service_style;
  dst->source = dup(src->source);
}

static const char *const kind_names[] = { "none", "user", "servicePrincipal", "managedIdentity" };

const char *az_identity_kind_name(enum az_identity_kind kind)
{
  size_t i = (size_t)kind;
  return i < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[i] : "none";
}

enum az_identity_kind az_identity_kind_from_name(const char *name)
{
  for (size_t i = 0; name && i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
    if (strcmp(name, kind_names[i]) == 0)
      return (enum az_identity_kind)i;
  }
  return AZ_IDENTITY_NONE;
}

static bool learn(char **field, json_t *claims, const char *const *keys)
{
  if (*field)
    return false;
  for (size_t i = 0; keys[i]; i++) {
    const char *v = json_string_value(json_object_get(claims, keys[i]));
    if (v && *v) {
      *field = xstrdup(v);
      return true;
    }
  }
  return false;
}

bool az_identity_learn(struct az_identity *id, const char *access_token)
{
  json_t *claims = az_jwt_claims(access_token);
  if (!claims)
    return false;
  static const char *const tid[] = { "tid", NULL };
  static const char *const oid[] = { "oid", NULL };
  static const char *const upn[] = { "upn", "preferred_username", "unique_name", NULL };
  static const char *const name[] = { "name", "app_displayname", NULL };
  static const char *const appid[] = { "appid", "azp", NULL };
  bool changed = learn(&id->tenant_id, claims, tid);
  changed |= learn(&id->object_id, claims, oid);
  if (id->kind == AZ_IDENTITY_USER)
    changed |= learn(&id->username, claims, upn);
  else
    changed |= learn(&id->client_id, claims, appid);
  changed |= learn(&id->display_name, claims, name);
  json_decref(claims);
  return changed;
}

static void put(json_t *o, const char *key, const char *v)
{
  json_object_set_new(o, key, v ? json_string(v) : json_null());
}

json_t *az_identity_to_json(const struct az_identity *id)
{
  json_t *o = json_object();
  put(o, "cloud", id->cloud);
  put(o, "type", az_identity_kind_name(id->kind));
  put(o, "tenantId", id->tenant_id);
  put(o, "objectId", id->object_id);
  put(o, "clientId", id->client_id);
  put(o, "userPrincipalName", id->username);
  put(o, "displayName", id->display_name);
  if (id->certificate_path)
    put(o, "certificate", id->certificate_path);
  if (id->kind == AZ_IDENTITY_MANAGED_IDENTITY)
    put(o, "managedIdentityEndpoint", id->app_service_style ? "IDENTITY_ENDPOINT" : "IMDS");
  put(o, "source", id->source);
  return o;
}
