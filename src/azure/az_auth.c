/*
 * The authentication policy and the token slots behind it.
 *
 * Bearer: one slot per scope holds the current access token. A token is used while it has
 * more than min(5 minutes, half its lifetime) left; otherwise the first request that needs
 * it starts ONE token request (through the pipeline, without auth) and every request that
 * needs the same scope meanwhile waits in the slot's list and resumes when it answers.
 * A 401 answer gets exactly one refresh and one more attempt (a claims challenge in
 * WWW-Authenticate is passed on to the token request); a second 401 is final.
 * Tokens are only ever sent over HTTPS.
 *
 * Shared Key: x-ms-date is set for each attempt and the request is signed (az_storage.c).
 */
#include "azure/az_internal.h"
#include "azure/az_redact.h"
#include "azure/az_url.h"
#include "util/encode.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define REFRESH_MARGIN_S 300

static int64_t now_s(struct az_client *c)
{
  return az_wall_ms(c) / 1000;
}

struct az_token_slot *az_tokens_find(struct az_client *c, const char *scope)
{
  for (size_t i = 0; i < c->n_slots; i++) {
    if (strcmp(c->slots[i].scope, scope) == 0)
      return &c->slots[i];
  }
  return NULL;
}

static struct az_token_slot *slot_for(struct az_client *c, const char *scope)
{
  for (size_t i = 0; i < c->n_slots; i++) {
    if (strcmp(c->slots[i].scope, scope) == 0)
      return &c->slots[i];
  }
  return NULL;
}

static size_t slot_index(struct az_client *c, const char *scope)
{
  struct az_token_slot *s = slot_for(c, scope);
  if (s)
    return (size_t)(s - c->slots);
  c->slots = xrealloc(c->slots, (c->n_slots + 1) * sizeof(c->slots[0]));
  memset(&c->slots[c->n_slots], 0, sizeof(c->slots[0]));
  c->slots[c->n_slots].scope = xstrdup(scope);
  return c->n_slots++;
}

static bool fresh(struct az_client *c, const struct az_token_slot *s)
{
  if (!s->token)
    return false;
  int64_t lifetime = s->obtained_on ? s->expires_on - s->obtained_on : 2 * REFRESH_MARGIN_S;
  int64_t margin = lifetime / 2 < REFRESH_MARGIN_S ? lifetime / 2 : REFRESH_MARGIN_S;
  if (margin < 0)
    margin = 0;
  return now_s(c) < s->expires_on - margin;
}

void az_tokens_seed(struct az_client *c, const char *scope, const char *token, int64_t expires_on,
                    int64_t obtained_on)
{
  size_t idx = slot_index(c, scope);
  struct az_token_slot *s = &c->slots[idx];
  xfree_secret(s->token);
  s->token = xstrdup(token);
  s->expires_on = expires_on;
  s->obtained_on = obtained_on;
  s->generation++;
}

static void fail_request(struct az_request *r, const struct az_error *e)
{
  az_error_copy(&r->error, e);
  r->result = e->result != AZ_OK ? e->result : AZ_E_AUTH;
  r->error.result = r->result;
}

/* Remember what the new token says about us, in memory and in the cache. */
static void learn_and_store(struct az_client *c, const char *scope, const struct az_token *tok)
{
  if (az_identity_learn(&c->identity, tok->access_token) && c->cache && c->cloud_key) {
    if (az_token_cache_save_account(c->cache, c->cloud_key, &c->identity, NULL, false) != AZ_OK)
      az_log_write(&c->log, AZ_LOG_BASIC, "WARN", "could not update the token cache %s",
                   c->cache->path);
  }
  if (c->cache && c->cloud_key && c->account_key) {
    enum az_result r =
        az_token_cache_save_token(c->cache, c->cloud_key, c->account_key, scope, tok);
    if (r != AZ_OK && r != AZ_E_NOT_SIGNED_IN)
      az_log_write(&c->log, AZ_LOG_BASIC, "WARN", "could not write the token cache %s",
                   c->cache->path);
  }
}

/* The token request answered: fill the slot and resume (or fail) its waiters. */
static void token_fetched(struct az_request *fetch)
{
  struct az_client *c = fetch->client;
  size_t idx = (size_t)(uintptr_t)fetch->ud;
  struct az_token_slot *s = &c->slots[idx];
  s->fetch = NULL;
  struct az_error err;
  az_error_init(&err);
  enum az_result res;
  struct az_token tok = { 0 };
  if (fetch->result == AZ_E_CANCELED || fetch->x.transport_result != AZ_OK ||
      fetch->x.status == 0) {
    res = fetch->result != AZ_OK ? fetch->result : AZ_E_NETWORK;
    az_error_copy(&err, &fetch->error);
    err.result = res;
  } else {
    size_t len = 0;
    const char *body = az_request_body(fetch, &len);
    res = az_credential_parse(c->credential, fetch->x.status, &fetch->x.response_headers, body, len,
                              now_s(c), &tok, &err);
    if (res != AZ_OK)
      az_client_hint(c, &err, fetch->url);
  }
  if (res == AZ_OK) {
    xfree_secret(s->token);
    s->token = xstrdup(tok.access_token);
    s->expires_on = tok.expires_on;
    s->obtained_on = tok.obtained_on;
    s->generation++;
    free(s->claims);
    s->claims = NULL;
    az_log_write(&c->log, AZ_LOG_BASIC, "INFO", "got a token for %s (valid %lld s)", s->scope,
                 (long long)(tok.expires_on - tok.obtained_on));
    learn_and_store(c, s->scope, &tok);
  } else {
    char *summary = az_error_summary(&err);
    az_log_write(&c->log, AZ_LOG_BASIC, "WARN", "no token for %s: %s", s->scope, summary);
    free(summary);
  }
  az_token_done(&tok);
  struct az_request *w = s->waiters;
  s->waiters = NULL;
  az_request_delete(fetch);
  while (w) {
    struct az_request *next = w->next_waiter;
    w->next_waiter = NULL;
    if (res == AZ_OK) {
      az_pipeline_run(w);
    } else {
      fail_request(w, &err);
      az_pipeline_finish(w);
    }
    w = next;
  }
  az_error_done(&err);
}

static enum az_result start_fetch(struct az_client *c, size_t idx, struct az_error *err)
{
  struct az_token_slot *s = &c->slots[idx];
  struct az_token_request tr;
  enum az_result r =
      az_credential_prepare(c->credential, c->cloud, s->scope, s->claims, now_s(c), &tr, err);
  if (r != AZ_OK)
    return r;
  struct az_request *f =
      az_request_new(c, tr.method, tr.url, token_fetched, (void *)(uintptr_t)idx);
  f->auth = AZ_AUTH_NONE;
  f->internal = true;
  f->idempotent = true; /* asking twice for a token changes nothing */
  az_headers_copy(&f->headers, &tr.headers);
  if (tr.body)
    az_request_set_body(f, tr.body, strlen(tr.body), NULL);
  az_token_request_done(&tr);
  s->fetch = f;
  az_log_write(&c->log, AZ_LOG_BASIC, "INFO", "requesting a token for %s", s->scope);
  az_request_start(f);
  return AZ_OK;
}

static void set_bearer(struct az_request *r, const struct az_token_slot *s)
{
  char *v = xasprintf("Bearer %s", s->token);
  az_headers_set(&r->headers, "Authorization", v);
  xfree_secret(v);
  r->token_generation = s->generation;
}

enum az_step az_auth_before(struct az_request *r)
{
  struct az_client *c = r->client;
  if (az_headers_get(&r->headers, "x-ms-version")) {
    /* Storage wants the request's time, fresh for each attempt (and signed with Shared Key). */
    char date[64];
    az_http_date(az_wall_ms(c), date);
    az_headers_set(&r->headers, "x-ms-date", date);
  }
  switch (r->auth) {
  case AZ_AUTH_NONE:
    az_headers_remove(&r->headers, "Authorization");
    return AZ_STEP_NEXT;
  case AZ_AUTH_SHARED_KEY:
    if (!az_headers_get(&r->headers, "x-ms-date")) {
      char date[64];
      az_http_date(az_wall_ms(c), date);
      az_headers_set(&r->headers, "x-ms-date", date);
    }
    az_shared_key_sign(r->storage, r->method, r->url, &r->headers, az_body_size(&r->body));
    return AZ_STEP_NEXT;
  case AZ_AUTH_BEARER:
    if (!az_url_is_https(r->url) || !r->bearer) {
      r->result = AZ_E_INVALID_ARG;
      az_error_set(&r->error, AZ_E_INVALID_ARG, "refusing to send a token over plain HTTP (%s)",
                   r->url);
      return AZ_STEP_DONE;
    }
    {
      char *v = xasprintf("Bearer %s", r->bearer);
      az_headers_set(&r->headers, "Authorization", v);
      xfree_secret(v);
    }
    return AZ_STEP_NEXT;
  case AZ_AUTH_AUTO:
  case AZ_AUTH_SCOPE:
    break;
  }
  if (!r->scope) {
    const char *scope = az_cloud_scope_for_url(c->cloud, r->url);
    if (!scope) {
      if (az_cloud_is_authority_url(c->cloud, r->url)) {
        r->auth = AZ_AUTH_NONE;
        return AZ_STEP_NEXT;
      }
      char *host = az_url_host(r->url);
      r->result = AZ_E_INVALID_ARG;
      az_error_set(&r->error, AZ_E_INVALID_ARG,
                   "%s is not an endpoint of cloud %s, so synwiz cannot tell which token it "
                   "needs; give the scope explicitly",
                   host ? host : r->url, c->cloud->name);
      free(host);
      return AZ_STEP_DONE;
    }
    r->scope = xstrdup(scope);
  }
  if (!az_url_is_https(r->url)) {
    r->result = AZ_E_INVALID_ARG;
    az_error_set(&r->error, AZ_E_INVALID_ARG, "refusing to send a token over plain HTTP (%s)",
                 r->url);
    return AZ_STEP_DONE;
  }
  if (!c->credential) {
    r->result = AZ_E_NOT_SIGNED_IN;
    az_error_set(&r->error, AZ_E_NOT_SIGNED_IN, "not signed in to %s", c->cloud->name);
    az_client_hint(c, &r->error, r->url);
    return AZ_STEP_DONE;
  }
  size_t idx = slot_index(c, r->scope);
  struct az_token_slot *s = &c->slots[idx];
  if (fresh(c, s)) {
    set_bearer(r, s);
    return AZ_STEP_NEXT;
  }
  r->next_waiter = s->waiters;
  s->waiters = r;
  if (!s->fetch) {
    struct az_error err;
    az_error_init(&err);
    enum az_result fr = start_fetch(c, idx, &err);
    if (fr != AZ_OK) {
      /* Nobody else can be waiting: a fetch would have been running. */
      s = &c->slots[idx];
      s->waiters = r->next_waiter;
      r->next_waiter = NULL;
      az_client_hint(c, &err, r->url);
      fail_request(r, &err);
      az_error_done(&err);
      return AZ_STEP_DONE;
    }
  }
  return AZ_STEP_WAIT;
}

/* claims="<base64 JSON>" from a WWW-Authenticate challenge, decoded; or NULL. */
static char *challenge_claims(const char *www)
{
  const char *p = www ? strstr(www, "claims=\"") : NULL;
  if (!p)
    return NULL;
  p += 8;
  const char *end = strchr(p, '"');
  if (!end)
    return NULL;
  char *b64 = xstrndup(p, (size_t)(end - p));
  size_t len = 0;
  unsigned char *raw = b64_decode(b64, &len);
  if (!raw)
    raw = b64url_decode(b64, &len);
  free(b64);
  return (char *)raw;
}

enum az_step az_auth_after(struct az_request *r)
{
  struct az_client *c = r->client;
  if (r->x.status != 401 || !r->scope || (r->auth != AZ_AUTH_AUTO && r->auth != AZ_AUTH_SCOPE) ||
      r->auth_refreshed || !c->credential)
    return AZ_STEP_NEXT;
  r->auth_refreshed = true;
  size_t idx = slot_index(c, r->scope);
  struct az_token_slot *s = &c->slots[idx];
  if (s->generation == r->token_generation) {
    /* Still the token that was refused: drop it so that the next attempt fetches anew. */
    xfree_secret(s->token);
    s->token = NULL;
  }
  char *claims = challenge_claims(az_headers_get(&r->x.response_headers, "WWW-Authenticate"));
  if (claims) {
    free(s->claims);
    s->claims = claims;
  }
  char *url = az_redact_url(r->url);
  az_log_write(&c->log, AZ_LOG_BASIC, "WARN",
               "401 from %s %s: getting a new token for %s and trying once more%s", r->method, url,
               r->scope, claims ? " (claims challenge)" : "");
  free(url);
  return AZ_STEP_RESEND;
}
