#include "azure/az_login.h"
#include "azure/az_internal.h"
#include "azure/az_url.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEVICE_CODE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

/* Remember the signed-in account and its first token, and the cloud for the next run. */
static void persist_login(struct az_client *c, const char *refresh_token)
{
  if (az_client_bind_account(c, &c->identity, refresh_token, true) != AZ_OK)
    az_log_write(&c->log, AZ_LOG_BASIC, "WARN", "could not write the token cache");
  struct az_token_slot *s = az_tokens_find(c, c->cloud->arm_scope);
  if (c->cache && s && s->token) {
    struct az_token tok = { s->token, NULL, s->expires_on, s->obtained_on };
    if (az_token_cache_save_token(c->cache, c->cloud_key, c->account_key, s->scope, &tok) != AZ_OK)
      az_log_write(&c->log, AZ_LOG_BASIC, "WARN", "could not write the token cache");
  }
  const char *name = strcmp(c->cloud->source ? c->cloud->source : "built-in", "built-in") == 0 ||
                             strcmp(c->cloud->name, "sandbox") == 0
                         ? c->cloud->name
                         : c->cloud->source;
  if (az_cloud_remember(name) != AZ_OK)
    az_log_write(&c->log, AZ_LOG_BASIC, "WARN", "could not remember the cloud in config.json");
  az_log_write(&c->log, AZ_LOG_BASIC, "INFO", "signed in to %s as %s %s (tenant %s)",
               c->cloud->name, az_identity_kind_name(c->identity.kind),
               c->identity.object_id ? c->identity.object_id : "?",
               c->identity.tenant_id ? c->identity.tenant_id : "?");
}

static void finish_with_identity(struct az_call *call)
{
  json_decref(call->json);
  call->json = az_identity_to_json(&call->client->identity);
  az_call_finish(call, AZ_OK);
}

/* ---- token-based sign-in (service principal, managed identity) and resolve ------- */

struct token_login {
  struct az_request *req;
  bool persist;
};

static void token_login_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct token_login *tl = call->state;
  tl->req = NULL;
  if (r->result != AZ_OK) {
    az_error_copy(&call->error, &r->error);
    enum az_result res = r->result;
    az_request_delete(r);
    if (tl->persist)
      az_client_set_credential(call->client, NULL);
    az_call_finish(call, res);
    return;
  }
  az_request_delete(r);
  if (tl->persist)
    persist_login(call->client, NULL);
  finish_with_identity(call);
}

static void token_login_cancel(struct az_call *call)
{
  struct token_login *tl = call->state;
  if (tl && tl->req) {
    az_request_delete(tl->req);
    tl->req = NULL;
  }
}

static void token_login_destroy(struct az_call *call)
{
  token_login_cancel(call);
  free(call->state);
  call->state = NULL;
}

static const struct az_call_driver token_login_driver = { "sign-in", token_login_cancel,
                                                          token_login_destroy };

static struct az_call *token_call(struct az_client *c, bool persist)
{
  struct token_login *tl = xcalloc(1, sizeof(*tl));
  tl->persist = persist;
  struct az_call *call = az_call_new(c, &token_login_driver, tl);
  struct az_request *r =
      az_request_new(c, "TOKEN", c->cloud->resource_manager, token_login_done, call);
  r->token_only = true;
  r->auth = AZ_AUTH_SCOPE;
  r->scope = xstrdup(c->cloud->arm_scope);
  tl->req = r;
  az_request_start(r);
  return call;
}

struct az_call *az_login_service_principal(struct az_client *c, const char *tenant,
                                           const char *client_id, const char *secret,
                                           const char *certificate_path)
{
  if (!tenant || !*tenant || !client_id || !*client_id)
    return az_call_failed(c, AZ_E_INVALID_ARG,
                          "a service principal needs --tenant and --client-id");
  if (!secret == !certificate_path)
    return az_call_failed(c, AZ_E_INVALID_ARG,
                          "give a service principal either a secret or a certificate");
  struct az_credential *cred;
  if (certificate_path) {
    struct az_certificate *cert = NULL;
    struct az_error err;
    az_error_init(&err);
    enum az_result r = az_certificate_load(certificate_path, &cert, &err);
    if (r != AZ_OK) {
      struct az_call *call = az_call_failed(c, r, "%s", err.message ? err.message : "");
      az_error_done(&err);
      return call;
    }
    cred = az_credential_certificate(tenant, client_id, cert);
  } else {
    cred = az_credential_client_secret(tenant, client_id, secret);
  }
  az_client_set_credential(c, cred);
  if (certificate_path)
    c->identity.certificate_path = xstrdup(certificate_path);
  return token_call(c, true);
}

struct az_call *az_login_managed_identity(struct az_client *c, const char *client_id)
{
  const char *endpoint = getenv("IDENTITY_ENDPOINT");
  const char *header = getenv("IDENTITY_HEADER");
  bool app_service = endpoint && *endpoint;
  az_client_set_credential(c,
                           az_credential_managed_identity(client_id, app_service ? endpoint : NULL,
                                                          app_service ? header : NULL));
  c->identity.app_service_style = app_service;
  return token_call(c, true);
}

struct az_call *az_client_resolve_identity(struct az_client *c)
{
  if (c->identity.object_id || c->identity.kind == AZ_IDENTITY_NONE) {
    static const struct az_call_driver now_driver = { "identity", NULL, NULL };
    struct az_call *call = az_call_new(c, &now_driver, NULL);
    if (c->identity.kind == AZ_IDENTITY_NONE) {
      az_error_set(&call->error, AZ_E_NOT_SIGNED_IN, "not signed in to %s", c->cloud->name);
      az_client_hint(c, &call->error, NULL);
      az_call_finish(call, AZ_E_NOT_SIGNED_IN);
    } else {
      finish_with_identity(call);
    }
    return call;
  }
  return token_call(c, false);
}

enum az_result az_logout(const char *cache_path)
{
  struct az_token_cache *cache = az_token_cache_new(cache_path);
  enum az_result r = az_token_cache_erase(cache);
  az_token_cache_delete(cache);
  return r;
}

/* ---- device code ------------------------------------------------------------------- */

struct device_flow {
  char *tenant;
  char *client_id;
  char *device_code; /* secret until redeemed */
  int interval_s;
  int64_t expires_at_ms;
  az_device_code_fn on_code;
  void *ud;
  struct az_request *req;
  struct az_timer timer;
};

static void device_poll(struct az_timer *t);

static struct az_request *form_request(struct az_call *call, const char *path, struct strbuf *form,
                                       az_request_done_fn done)
{
  struct device_flow *f = call->state;
  struct az_client *c = call->client;
  struct az_url u;
  az_url_init(&u, c->cloud->authority);
  az_url_segment(&u, f->tenant);
  az_url_path(&u, path);
  char *url = az_url_finish(&u);
  az_url_done(&u);
  struct az_request *r = az_request_new(c, "POST", url, done, call);
  free(url);
  r->auth = AZ_AUTH_NONE;
  r->internal = true;
  r->idempotent = true;
  az_request_set_body(r, form->buf, form->len, "application/x-www-form-urlencoded");
  strbuf_done_secret(form);
  f->req = r;
  return r;
}

static void form_add(struct strbuf *sb, const char *name, const char *value)
{
  if (sb->len)
    strbuf_putc(sb, '&');
  strbuf_puts(sb, name);
  strbuf_putc(sb, '=');
  strbuf_put_urlencoded(sb, value);
}

static void device_fail(struct az_call *call, struct az_request *r, enum az_result res)
{
  if (r && r->x.status) {
    size_t len = 0;
    const char *body = az_request_body(r, &len);
    az_error_from_answer(&call->error, r->x.status, &r->x.response_headers, body, len);
  } else if (r) {
    az_error_copy(&call->error, &r->error);
  }
  call->error.result = res;
  az_client_hint(call->client, &call->error, r ? r->url : NULL);
  az_call_finish(call, res);
}

static int json_int(json_t *o, const char *key, int fallback)
{
  json_t *v = json_object_get(o, key);
  if (json_is_integer(v))
    return (int)json_integer_value(v);
  const char *s = json_string_value(v);
  if (s) {
    char *end = NULL;
    long n = strtol(s, &end, 10);
    if (end != s && !*end && n > 0 && n < 86400)
      return (int)n;
  }
  return fallback;
}

static void signed_in(struct az_call *call, json_t *answer)
{
  struct device_flow *f = call->state;
  struct az_client *c = call->client;
  const char *at = json_string_value(json_object_get(answer, "access_token"));
  const char *rt = json_string_value(json_object_get(answer, "refresh_token"));
  int expires_in = json_int(answer, "expires_in", 300);
  struct az_identity probe;
  az_identity_init(&probe);
  probe.kind = AZ_IDENTITY_USER;
  az_identity_learn(&probe, at);
  const char *tenant = probe.tenant_id ? probe.tenant_id : f->tenant;
  az_client_set_credential(c, az_credential_refresh_token(tenant, f->client_id, rt));
  az_identity_copy(&c->identity, &probe);
  az_identity_done(&probe);
  free(c->identity.client_id);
  c->identity.client_id = xstrdup(f->client_id);
  free(c->identity.cloud);
  c->identity.cloud = xstrdup(c->cloud->name);
  int64_t now = az_wall_ms(c) / 1000;
  az_tokens_seed(c, c->cloud->arm_scope, at, now + (expires_in > 0 ? expires_in : 300), now);
  persist_login(c, rt);
  finish_with_identity(call);
}

static void token_answer(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct device_flow *f = call->state;
  struct az_client *c = call->client;
  f->req = NULL;
  size_t len = 0;
  const char *body = az_request_body(r, &len);
  json_t *answer = r->x.status ? json_loadb(body, len, 0, NULL) : NULL;
  const char *error = json_string_value(json_object_get(answer, "error"));
  if (r->x.status == 200 && json_string_value(json_object_get(answer, "access_token"))) {
    xfree_secret(f->device_code);
    f->device_code = NULL;
    signed_in(call, answer);
  } else if (error && strcmp(error, "authorization_pending") == 0) {
    az_timer_arm(c, &f->timer, az_now_ms(c) + f->interval_s * 1000);
  } else if (error && strcmp(error, "slow_down") == 0) {
    f->interval_s += 5;
    az_log_write(&c->log, AZ_LOG_BASIC, "INFO",
                 "the sign-in service asked to poll less often: every %d s now", f->interval_s);
    az_timer_arm(c, &f->timer, az_now_ms(c) + f->interval_s * 1000);
  } else if (error && strcmp(error, "expired_token") == 0) {
    device_fail(call, r, AZ_E_CODE_EXPIRED);
  } else if (error && (strcmp(error, "authorization_declined") == 0 ||
                       strcmp(error, "access_denied") == 0)) {
    device_fail(call, r, AZ_E_DECLINED);
  } else if (error) {
    device_fail(call, r, AZ_E_AUTH);
  } else {
    device_fail(call, r, r->result != AZ_OK ? r->result : AZ_E_BAD_RESPONSE);
  }
  json_decref(answer);
  az_request_delete(r);
}

static void device_poll(struct az_timer *t)
{
  struct az_call *call = t->ud;
  struct device_flow *f = call->state;
  struct az_client *c = call->client;
  if (az_now_ms(c) >= f->expires_at_ms) {
    az_error_set(&call->error, AZ_E_CODE_EXPIRED, "the sign-in code expired before it was used");
    az_client_hint(c, &call->error, NULL);
    az_call_finish(call, AZ_E_CODE_EXPIRED);
    return;
  }
  struct strbuf form;
  strbuf_init(&form, 0);
  form_add(&form, "grant_type", DEVICE_CODE_GRANT);
  form_add(&form, "client_id", f->client_id);
  form_add(&form, "device_code", f->device_code);
  az_request_start(form_request(call, "oauth2/v2.0/token", &form, token_answer));
}

static void code_answer(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct device_flow *f = call->state;
  struct az_client *c = call->client;
  f->req = NULL;
  if (r->result != AZ_OK) {
    device_fail(call, r, az_result_class(r->result) == AZ_CLASS_REFUSED ? AZ_E_AUTH : r->result);
    az_request_delete(r);
    return;
  }
  size_t len = 0;
  const char *body = az_request_body(r, &len);
  json_t *answer = json_loadb(body, len, 0, NULL);
  const char *device_code = json_string_value(json_object_get(answer, "device_code"));
  const char *user_code = json_string_value(json_object_get(answer, "user_code"));
  const char *uri = json_string_value(json_object_get(answer, "verification_uri"));
  if (!uri)
    uri = json_string_value(json_object_get(answer, "verification_url"));
  if (!device_code || !user_code || !uri) {
    json_decref(answer);
    az_request_delete(r);
    az_error_set(&call->error, AZ_E_BAD_RESPONSE, "the device-code answer lacks its codes");
    az_call_finish(call, AZ_E_BAD_RESPONSE);
    return;
  }
  f->device_code = xstrdup(device_code);
  f->interval_s = json_int(answer, "interval", 5);
  if (f->interval_s < 1)
    f->interval_s = 1;
  int expires_in = json_int(answer, "expires_in", 900);
  f->expires_at_ms = az_now_ms(c) + (int64_t)expires_in * 1000;
  struct az_device_code dc = { user_code, uri,
                               json_string_value(json_object_get(answer, "message")), expires_in,
                               f->interval_s };
  az_log_write(&c->log, AZ_LOG_BASIC, "INFO",
               "device-code sign-in started; polling every %d s for %d s", f->interval_s,
               expires_in);
  if (f->on_code)
    f->on_code(&dc, f->ud);
  json_decref(answer);
  az_request_delete(r);
  az_timer_arm(c, &f->timer, az_now_ms(c) + f->interval_s * 1000);
}

static void device_cancel(struct az_call *call)
{
  struct device_flow *f = call->state;
  if (!f)
    return;
  az_timer_disarm(call->client, &f->timer);
  if (f->req) {
    az_request_delete(f->req);
    f->req = NULL;
  }
}

static void device_destroy(struct az_call *call)
{
  struct device_flow *f = call->state;
  if (!f)
    return;
  device_cancel(call);
  free(f->tenant);
  free(f->client_id);
  xfree_secret(f->device_code);
  free(f);
  call->state = NULL;
}

static const struct az_call_driver device_driver = { "device-code", device_cancel, device_destroy };

struct az_call *az_login_device_code(struct az_client *c, const char *tenant, const char *client_id,
                                     az_device_code_fn on_code, void *ud)
{
  if (!client_id)
    client_id = c->cloud->public_client_id;
  if (!client_id || !*client_id)
    return az_call_failed(c, AZ_E_CONFIG, "the cloud profile names no public client id");
  struct device_flow *f = xcalloc(1, sizeof(*f));
  f->tenant = xstrdup(tenant && *tenant ? tenant : "organizations");
  f->client_id = xstrdup(client_id);
  f->on_code = on_code;
  f->ud = ud;
  struct az_call *call = az_call_new(c, &device_driver, f);
  az_timer_init(&f->timer, device_poll, call);
  char *scope = xasprintf("%s offline_access openid profile", c->cloud->arm_scope);
  struct strbuf form;
  strbuf_init(&form, 0);
  form_add(&form, "client_id", f->client_id);
  form_add(&form, "scope", scope);
  free(scope);
  az_request_start(form_request(call, "oauth2/v2.0/devicecode", &form, code_answer));
  return call;
}
