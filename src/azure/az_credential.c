#include "azure/az_credential.h"
#include "azure/az_jwt.h"
#include "azure/az_url.h"
#include "util/strbuf.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void az_token_done(struct az_token *t)
{
  xfree_secret(t->access_token);
  xfree_secret(t->refresh_token);
  memset(t, 0, sizeof(*t));
}

void az_token_request_done(struct az_token_request *tr)
{
  free(tr->method);
  free(tr->url);
  az_headers_done(&tr->headers);
  xfree_secret(tr->body);
  memset(tr, 0, sizeof(*tr));
}

static char *dup(const char *s)
{
  return s && *s ? xstrdup(s) : NULL;
}

static struct az_credential *cred_new(enum az_credential_kind kind, const char *tenant,
                                      const char *client_id)
{
  struct az_credential *c = xcalloc(1, sizeof(*c));
  c->kind = kind;
  c->tenant = dup(tenant);
  c->client_id = dup(client_id);
  return c;
}

struct az_credential *az_credential_client_secret(const char *tenant, const char *client_id,
                                                  const char *secret)
{
  struct az_credential *c = cred_new(AZ_CRED_CLIENT_SECRET, tenant, client_id);
  c->secret = dup(secret);
  return c;
}

struct az_credential *az_credential_certificate(const char *tenant, const char *client_id,
                                                struct az_certificate *cert)
{
  struct az_credential *c = cred_new(AZ_CRED_CERTIFICATE, tenant, client_id);
  c->cert = cert;
  return c;
}

struct az_credential *az_credential_refresh_token(const char *tenant, const char *client_id,
                                                  const char *refresh_token)
{
  struct az_credential *c = cred_new(AZ_CRED_REFRESH_TOKEN, tenant, client_id);
  c->refresh_token = dup(refresh_token);
  return c;
}

struct az_credential *az_credential_managed_identity(const char *client_id, const char *endpoint,
                                                     const char *header)
{
  struct az_credential *c = cred_new(AZ_CRED_MANAGED_IDENTITY, NULL, client_id);
  c->identity_endpoint = dup(endpoint);
  c->identity_header = dup(header);
  return c;
}

void az_credential_delete(struct az_credential *c)
{
  if (!c)
    return;
  free(c->tenant);
  free(c->client_id);
  xfree_secret(c->secret);
  az_certificate_delete(c->cert);
  xfree_secret(c->refresh_token);
  free(c->identity_endpoint);
  xfree_secret(c->identity_header);
  free(c);
}

void az_credential_set_prompt(struct az_credential *c, az_secret_prompt_fn fn, void *ud)
{
  c->prompt = fn;
  c->prompt_ud = ud;
}

enum az_identity_kind az_credential_identity_kind(const struct az_credential *c)
{
  switch (c->kind) {
  case AZ_CRED_REFRESH_TOKEN:
    return AZ_IDENTITY_USER;
  case AZ_CRED_MANAGED_IDENTITY:
    return AZ_IDENTITY_MANAGED_IDENTITY;
  default:
    return AZ_IDENTITY_SERVICE_PRINCIPAL;
  }
}

static void form(struct strbuf *sb, const char *name, const char *value)
{
  if (sb->len)
    strbuf_putc(sb, '&');
  strbuf_put_urlencoded(sb, name);
  strbuf_putc(sb, '=');
  strbuf_put_urlencoded(sb, value);
}

/* The secret of a signed-in service principal in a later process: never from the cache. */
static enum az_result find_secret(struct az_credential *c, struct az_error *err)
{
  if (c->secret)
    return AZ_OK;
  const char *env_id = getenv("AZURE_CLIENT_ID");
  const char *env_secret = getenv("AZURE_CLIENT_SECRET");
  if (env_secret && *env_secret && (!env_id || !*env_id || strcmp(env_id, c->client_id) == 0)) {
    c->secret = xstrdup(env_secret);
    return AZ_OK;
  }
  if (c->prompt) {
    char *s = c->prompt(c->client_id, c->prompt_ud);
    if (s && *s) {
      c->secret = s;
      return AZ_OK;
    }
    xfree_secret(s);
  }
  az_error_set(err, AZ_E_NOT_SIGNED_IN,
               "the secret of service principal %s is not kept on disk and none is at hand: set "
               "AZURE_CLIENT_SECRET, or run synwiz login --service-principal again",
               c->client_id);
  return AZ_E_NOT_SIGNED_IN;
}

static enum az_result prepare_token_endpoint(struct az_credential *c, const struct az_cloud *cloud,
                                             const char *scope, const char *claims, int64_t now_s,
                                             struct az_token_request *out, struct az_error *err)
{
  if (!c->tenant || !c->client_id) {
    az_error_set(err, AZ_E_CONFIG, "the credential lacks a tenant or client id");
    return AZ_E_CONFIG;
  }
  struct strbuf sb;
  strbuf_init(&sb, 0);
  form(&sb, "client_id", c->client_id);
  enum az_result r = AZ_OK;
  switch (c->kind) {
  case AZ_CRED_CLIENT_SECRET:
    r = find_secret(c, err);
    if (r == AZ_OK) {
      form(&sb, "grant_type", "client_credentials");
      form(&sb, "scope", scope);
      form(&sb, "client_secret", c->secret);
    }
    break;
  case AZ_CRED_CERTIFICATE: {
    char *aud = az_cloud_token_url(cloud, c->tenant);
    char jti[UUID_STR_LEN];
    uuid_v4(jti);
    char *assertion = az_jwt_client_assertion(c->cert, c->client_id, aud, now_s, jti);
    free(aud);
    if (!assertion) {
      az_error_set(err, AZ_E_CONFIG, "could not sign a client assertion with %s", c->cert->path);
      r = AZ_E_CONFIG;
      break;
    }
    form(&sb, "grant_type", "client_credentials");
    form(&sb, "scope", scope);
    form(&sb, "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form(&sb, "client_assertion", assertion);
    xfree_secret(assertion);
    break;
  }
  case AZ_CRED_REFRESH_TOKEN: {
    if (!c->refresh_token) {
      az_error_set(err, AZ_E_NOT_SIGNED_IN, "the saved sign-in has no refresh token");
      r = AZ_E_NOT_SIGNED_IN;
      break;
    }
    char *scopes = xasprintf("%s offline_access", scope);
    form(&sb, "grant_type", "refresh_token");
    form(&sb, "scope", scopes);
    form(&sb, "refresh_token", c->refresh_token);
    if (claims)
      form(&sb, "claims", claims);
    free(scopes);
    break;
  }
  default:
    r = AZ_E_CONFIG;
    break;
  }
  if (r != AZ_OK) {
    strbuf_done_secret(&sb);
    return r;
  }
  out->method = xstrdup("POST");
  out->url = az_cloud_token_url(cloud, c->tenant);
  az_headers_init(&out->headers);
  az_headers_set(&out->headers, "Content-Type", "application/x-www-form-urlencoded");
  az_headers_set(&out->headers, "Accept", "application/json");
  out->body = strbuf_detach(&sb, NULL);
  strbuf_done(&sb);
  return AZ_OK;
}

static enum az_result prepare_managed_identity(struct az_credential *c,
                                               const struct az_cloud *cloud, const char *scope,
                                               struct az_token_request *out, struct az_error *err)
{
  char *resource = az_cloud_resource_for_scope(scope);
  bool app_service = c->identity_endpoint != NULL;
  struct az_url u;
  az_url_init(&u, app_service ? c->identity_endpoint : cloud->imds_endpoint);
  az_url_query(&u, "api-version", app_service ? "2019-08-01" : "2018-02-01");
  az_url_query(&u, "resource", resource);
  if (c->client_id)
    az_url_query(&u, "client_id", c->client_id);
  free(resource);
  out->method = xstrdup("GET");
  out->url = az_url_finish(&u);
  az_url_done(&u);
  az_headers_init(&out->headers);
  if (app_service) {
    if (!c->identity_header) {
      az_error_set(err, AZ_E_CONFIG, "IDENTITY_ENDPOINT is set but IDENTITY_HEADER is not");
      az_token_request_done(out);
      return AZ_E_CONFIG;
    }
    az_headers_set(&out->headers, "X-IDENTITY-HEADER", c->identity_header);
  } else {
    az_headers_set(&out->headers, "Metadata", "true");
  }
  out->body = NULL;
  return AZ_OK;
}

enum az_result az_credential_prepare(struct az_credential *c, const struct az_cloud *cloud,
                                     const char *scope, const char *claims, int64_t now_s,
                                     struct az_token_request *out, struct az_error *err)
{
  memset(out, 0, sizeof(*out));
  if (c->kind == AZ_CRED_MANAGED_IDENTITY)
    return prepare_managed_identity(c, cloud, scope, out, err);
  return prepare_token_endpoint(c, cloud, scope, claims, now_s, out, err);
}

/* expires_in / expires_on come as numbers (Entra) or strings (IMDS). */
static bool int_field(json_t *root, const char *key, int64_t *out)
{
  json_t *v = json_object_get(root, key);
  if (json_is_integer(v)) {
    *out = (int64_t)json_integer_value(v);
    return true;
  }
  if (json_is_real(v)) {
    *out = (int64_t)json_real_value(v);
    return true;
  }
  const char *s = json_string_value(v);
  if (!s)
    return false;
  char *end = NULL;
  errno = 0;
  long long n = strtoll(s, &end, 10);
  if (end == s || *end || errno)
    return false;
  *out = n;
  return true;
}

enum az_result az_credential_parse(struct az_credential *c, int status,
                                   const struct az_headers *headers, const char *body, size_t len,
                                   int64_t now_s, struct az_token *out, struct az_error *err)
{
  memset(out, 0, sizeof(*out));
  if (status != 200) {
    az_error_from_answer(err, status, headers, body, len);
    /* A refused sign-in is an authentication failure whatever the status. */
    if (az_result_class(err->result) == AZ_CLASS_REFUSED && err->result != AZ_E_NOT_FOUND)
      err->result = AZ_E_AUTH;
    return err->result;
  }
  json_t *root = json_loadb(body, len, 0, NULL);
  const char *at = json_string_value(json_object_get(root, "access_token"));
  if (!at || !*at) {
    json_decref(root);
    az_error_set(err, AZ_E_BAD_RESPONSE, "the token endpoint answered without an access token");
    return AZ_E_BAD_RESPONSE;
  }
  int64_t v = 0;
  if (int_field(root, "expires_on", &v) && v > now_s)
    out->expires_on = v;
  else if (int_field(root, "expires_in", &v) && v > 0)
    out->expires_on = now_s + v;
  else
    out->expires_on = now_s + 300; /* unknown: assume short and refresh early */
  out->obtained_on = now_s;
  out->access_token = xstrdup(at);
  const char *rt = json_string_value(json_object_get(root, "refresh_token"));
  if (rt && *rt) {
    out->refresh_token = xstrdup(rt);
    if (c->kind == AZ_CRED_REFRESH_TOKEN) {
      xfree_secret(c->refresh_token);
      c->refresh_token = xstrdup(rt);
    }
  }
  json_decref(root);
  return AZ_OK;
}
