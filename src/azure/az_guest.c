/*
 * A guest identity: one-off tokens from its own credential, sent by the client's pipeline
 * with AZ_AUTH_BEARER. See az_guest.h.
 */
#include "azure/az_guest.h"
#include "azure/az_internal.h"
#include "azure/az_url.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define MARGIN_S 300

struct guest_token {
  char *scope;
  char *token; /* secret */
  int64_t expires_on;
};

struct az_guest {
  struct az_client *client;
  struct az_credential *cred;
  struct guest_token *tokens;
  size_t n_tokens;
  struct az_identity identity;
};

struct az_guest *az_guest_new(struct az_client *c, struct az_credential *cred)
{
  struct az_guest *g = xcalloc(1, sizeof(*g));
  g->client = c;
  g->cred = cred;
  az_identity_init(&g->identity);
  g->identity.kind = cred ? az_credential_identity_kind(cred) : AZ_IDENTITY_NONE;
  return g;
}

void az_guest_delete(struct az_guest *g)
{
  if (!g)
    return;
  for (size_t i = 0; i < g->n_tokens; i++) {
    free(g->tokens[i].scope);
    xfree_secret(g->tokens[i].token);
  }
  free(g->tokens);
  az_credential_delete(g->cred);
  az_identity_done(&g->identity);
  free(g);
}

const struct az_identity *az_guest_identity(const struct az_guest *g)
{
  return &g->identity;
}

static int64_t now_s(const struct az_guest *g)
{
  return az_wall_ms(g->client) / 1000;
}

static const char *fresh_token(struct az_guest *g, const char *scope)
{
  for (size_t i = 0; i < g->n_tokens; i++) {
    if (strcmp(g->tokens[i].scope, scope) == 0)
      return now_s(g) < g->tokens[i].expires_on - MARGIN_S ? g->tokens[i].token : NULL;
  }
  return NULL;
}

static void keep_token(struct az_guest *g, const char *scope, const struct az_token *tok)
{
  struct guest_token *t = NULL;
  for (size_t i = 0; i < g->n_tokens && !t; i++) {
    if (strcmp(g->tokens[i].scope, scope) == 0)
      t = &g->tokens[i];
  }
  if (!t) {
    g->tokens = xrealloc(g->tokens, (g->n_tokens + 1) * sizeof(g->tokens[0]));
    t = &g->tokens[g->n_tokens++];
    memset(t, 0, sizeof(*t));
    t->scope = xstrdup(scope);
  }
  xfree_secret(t->token);
  t->token = xstrdup(tok->access_token);
  /* A token that lives less than the margin is still good for the call at hand. */
  t->expires_on =
      tok->expires_on > now_s(g) + 2 * MARGIN_S ? tok->expires_on : now_s(g) + 2 * MARGIN_S;
  az_identity_learn(&g->identity, tok->access_token);
}

/* ---- the call: token (when needed), then the request -------------------------------- */

struct guest_call {
  struct az_guest *guest;
  char *method;
  char *url;
  char *body;
  char *scope;
  struct az_request *req;
};

static void send_request(struct az_call *call, const char *token);

static void request_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct guest_call *gc = call->state;
  gc->req = NULL;
  az_call_finish_from_request(call, r);
  az_request_delete(r);
}

static void token_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct guest_call *gc = call->state;
  struct az_client *c = call->client;
  gc->req = NULL;
  struct az_error err;
  az_error_init(&err);
  enum az_result res;
  struct az_token tok = { 0 };
  if (r->result == AZ_E_CANCELED || r->x.transport_result != AZ_OK || r->x.status == 0) {
    res = r->result != AZ_OK ? r->result : AZ_E_NETWORK;
    az_error_copy(&err, &r->error);
    err.result = res;
  } else {
    size_t len = 0;
    const char *body = az_request_body(r, &len);
    res = az_credential_parse(gc->guest->cred, r->x.status, &r->x.response_headers, body, len,
                              now_s(gc->guest), &tok, &err);
    if (res != AZ_OK) {
      err.status = r->x.status;
      az_client_hint(c, &err, r->url);
    }
  }
  az_request_delete(r);
  if (res != AZ_OK) {
    char *summary = az_error_summary(&err);
    az_log_write(&c->log, AZ_LOG_BASIC, "WARN", "no one-off token for %s: %s", gc->scope, summary);
    free(summary);
    az_error_copy(&call->error, &err);
    az_error_done(&err);
    az_call_finish(call, res);
    return;
  }
  az_error_done(&err);
  keep_token(gc->guest, gc->scope, &tok);
  az_log_write(&c->log, AZ_LOG_BASIC, "INFO",
               "got a one-off token for %s as %s (kept in memory only)", gc->scope,
               gc->guest->identity.client_id ? gc->guest->identity.client_id : "the guest");
  az_token_done(&tok);
  send_request(call, fresh_token(gc->guest, gc->scope));
}

static void send_request(struct az_call *call, const char *token)
{
  struct guest_call *gc = call->state;
  struct az_request *r = az_request_new(call->client, gc->method, gc->url, request_done, call);
  r->auth = AZ_AUTH_BEARER;
  r->bearer = xstrdup(token);
  if (gc->body)
    az_request_set_body(r, gc->body, strlen(gc->body), "application/json");
  gc->req = r;
  az_request_start(r);
}

static void fetch_token(struct az_call *call)
{
  struct guest_call *gc = call->state;
  struct az_guest *g = gc->guest;
  struct az_client *c = call->client;
  struct az_token_request tr;
  enum az_result res =
      az_credential_prepare(g->cred, c->cloud, gc->scope, NULL, now_s(g), &tr, &call->error);
  if (res != AZ_OK) {
    az_client_hint(c, &call->error, NULL);
    az_call_finish(call, res);
    return;
  }
  struct az_request *r = az_request_new(c, tr.method, tr.url, token_done, call);
  r->auth = AZ_AUTH_NONE;
  r->internal = true;
  r->idempotent = true; /* asking twice for a token changes nothing */
  az_headers_copy(&r->headers, &tr.headers);
  if (tr.body)
    az_request_set_body(r, tr.body, strlen(tr.body), NULL);
  az_token_request_done(&tr);
  az_log_write(&c->log, AZ_LOG_BASIC, "INFO", "requesting a one-off token for %s as %s", gc->scope,
               g->cred->client_id ? g->cred->client_id : "a guest identity");
  gc->req = r;
  az_request_start(r);
}

static void guest_cancel(struct az_call *call)
{
  struct guest_call *gc = call->state;
  if (gc && gc->req) {
    az_request_delete(gc->req);
    gc->req = NULL;
  }
}

static void guest_destroy(struct az_call *call)
{
  struct guest_call *gc = call->state;
  if (!gc)
    return;
  guest_cancel(call);
  free(gc->method);
  free(gc->url);
  xfree_secret(gc->body);
  free(gc->scope);
  free(gc);
  call->state = NULL;
}

static const struct az_call_driver guest_driver = { "guest", guest_cancel, guest_destroy };

struct az_call *az_guest_request(struct az_guest *g, const char *method, const char *url,
                                 const char *body)
{
  struct az_client *c = g->client;
  if (!method || !url || !*url)
    return az_call_failed(c, AZ_E_INVALID_ARG, "a request needs a method and a URL");
  if (!g->cred)
    return az_call_failed(c, AZ_E_NOT_SIGNED_IN, "the guest identity has no credential");
  const char *scope = az_cloud_scope_for_url(c->cloud, url);
  if (!scope)
    return az_call_failed(c, AZ_E_INVALID_ARG, "%s is not an endpoint of cloud %s", url,
                          c->cloud->name);
  struct guest_call *gc = xcalloc(1, sizeof(*gc));
  gc->guest = g;
  gc->method = xstrdup(method);
  gc->url = xstrdup(url);
  gc->body = body ? xstrdup(body) : NULL;
  gc->scope = xstrdup(scope);
  struct az_call *call = az_call_new(c, &guest_driver, gc);
  const char *token = fresh_token(g, scope);
  if (token)
    send_request(call, token);
  else
    fetch_token(call);
  return call;
}
