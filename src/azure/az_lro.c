/*
 * Long-running operations (API.md G and D): send the request, then follow whichever
 * signal the service gave until the operation ends.
 *
 *   Azure-AsyncOperation  poll that URL; its body's "status" ends at Succeeded, Failed or
 *                         Canceled (the error is in "error"); after success an ARM PUT/PATCH
 *                         reads the resource back (final_get)
 *   Location              poll it: 202 = still running, 200/201/204 = done (the body, if
 *                         any, is the result)
 *   provisioningState     a 200/201 body whose properties.provisioningState is not terminal:
 *                         poll the resource itself until it is
 * Between polls the client waits Retry-After (or poll_interval_ms). Any answer that says
 * {"status":"Failed"} is a failure even with status 200, and a Synapse artifact is read
 * back after success (read_back_url), because the service can answer 200 and still not
 * have stored it.
 */
#include "azure/az_internal.h"
#include "azure/az_url.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_POLL_MS        5000
#define DEFAULT_LRO_TIMEOUT_MS (30 * 60 * 1000)

enum lro_mode {
  LRO_INITIAL,
  LRO_ASYNC,        /* Azure-AsyncOperation */
  LRO_LOCATION,     /* Location */
  LRO_PROVISIONING, /* GET the resource until provisioningState ends */
  LRO_FINAL_GET,    /* reading the resource after success */
  LRO_READ_BACK,    /* reading a Synapse artifact back */
};

struct lro {
  enum lro_mode mode;
  char *method;
  char *url;
  char *body;
  struct az_request_options opts;
  struct az_headers extra;
  char *scope;
  char *content_type;
  char *poll_url;
  char *read_back_url;
  bool final_get;
  int poll_ms;
  int64_t deadline_ms;
  int64_t next_delay_ms;
  struct az_request *req;
  struct az_timer timer;
};

bool az_lro_status_terminal(const char *s)
{
  return s && (strcasecmp(s, "Succeeded") == 0 || az_lro_status_failed(s));
}

bool az_lro_status_failed(const char *s)
{
  return s && (strcasecmp(s, "Failed") == 0 || strcasecmp(s, "Canceled") == 0 ||
               strcasecmp(s, "Cancelled") == 0);
}

static const char *provisioning_state(json_t *body)
{
  return json_string_value(
      json_object_get(json_object_get(body, "properties"), "provisioningState"));
}

static void lro_send(struct az_call *call, const char *method, const char *url, const char *body);

/* The operation ended badly although HTTP said fine: report Azure's words. */
static void fail_operation(struct az_call *call, struct az_request *r, const char *what)
{
  az_call_take_answer(call, r);
  struct az_error *e = &call->error;
  az_error_done(e);
  az_error_from_json_text(e, call->body, call->body_len);
  e->status = r->x.status;
  e->result = AZ_E_OPERATION_FAILED;
  const char *rid = az_headers_get(&r->x.response_headers, "x-ms-request-id");
  if (rid && !e->request_id)
    e->request_id = xstrdup(rid);
  if (!e->message)
    e->message = xasprintf("the operation ended %s", what);
  az_client_hint(call->client, e, r->url);
  az_call_finish(call, AZ_E_OPERATION_FAILED);
}

static void timer_fired(struct az_timer *t)
{
  struct az_call *call = t->ud;
  struct lro *l = call->state;
  const char *url = l->mode == LRO_PROVISIONING ? l->url : l->poll_url;
  lro_send(call, "GET", url, NULL);
}

static void schedule_poll(struct az_call *call, struct az_request *r)
{
  struct lro *l = call->state;
  struct az_client *c = call->client;
  int64_t delay = az_retry_delay_ms(&(struct az_retry_options){ 0, l->poll_ms, l->poll_ms }, 1,
                                    &r->x.response_headers, az_wall_ms(c), 500);
  /* No Retry-After: the computed back-off is poll_ms (jitter pinned at the middle). */
  if (!az_headers_get(&r->x.response_headers, "Retry-After") &&
      !az_headers_get(&r->x.response_headers, "retry-after-ms") &&
      !az_headers_get(&r->x.response_headers, "x-ms-retry-after-ms"))
    delay = l->poll_ms;
  int64_t now = az_now_ms(c);
  if (now + delay > l->deadline_ms) {
    az_error_set(&call->error, AZ_E_TIMEOUT,
                 "the operation was still running when its time ran out (%s)", l->url);
    az_call_finish(call, AZ_E_TIMEOUT);
    return;
  }
  az_timer_arm(c, &l->timer, now + delay);
}

static void succeed(struct az_call *call, struct az_request *r)
{
  struct lro *l = call->state;
  if (l->read_back_url && l->mode != LRO_READ_BACK) {
    l->mode = LRO_READ_BACK;
    lro_send(call, "GET", l->read_back_url, NULL);
    return;
  }
  az_call_take_answer(call, r);
  az_call_finish(call, AZ_OK);
}

static void after_initial(struct az_call *call, struct az_request *r)
{
  struct lro *l = call->state;
  const struct az_headers *h = &r->x.response_headers;
  size_t len = 0;
  const char *text = az_request_body(r, &len);
  json_t *body = len ? json_loadb(text, len, 0, NULL) : NULL;
  const char *async = az_headers_get(h, "Azure-AsyncOperation");
  const char *location = az_headers_get(h, "Location");
  const char *status = json_string_value(json_object_get(body, "status"));
  const char *ps = provisioning_state(body);
  if (az_headers_get(h, "x-synwiz-dry-run")) {
    /* Nothing was sent: there is nothing to follow or read back. */
    json_decref(body);
    az_call_take_answer(call, r);
    az_call_finish(call, AZ_OK);
    return;
  }
  if (az_lro_status_failed(status) || az_lro_status_failed(ps)) {
    /* `status` and `ps` point into `body`: free it only after they are used. */
    fail_operation(call, r, status ? status : ps);
    json_decref(body);
    return;
  }
  if (async && *async) {
    l->mode = LRO_ASYNC;
    l->poll_url = xstrdup(async);
    schedule_poll(call, r);
  } else if (location && *location && r->x.status == 202) {
    l->mode = LRO_LOCATION;
    l->poll_url = xstrdup(location);
    schedule_poll(call, r);
  } else if (r->x.status == 202) {
    json_decref(body);
    az_error_set(&call->error, AZ_E_BAD_RESPONSE,
                 "the service accepted the operation but gave no way to follow it");
    az_call_finish(call, AZ_E_BAD_RESPONSE);
    return;
  } else if (ps && !az_lro_status_terminal(ps) && strcasecmp(l->method, "DELETE") != 0) {
    l->mode = LRO_PROVISIONING;
    schedule_poll(call, r);
  } else {
    json_decref(body);
    succeed(call, r);
    return;
  }
  json_decref(body);
}

static void after_poll(struct az_call *call, struct az_request *r)
{
  struct lro *l = call->state;
  size_t len = 0;
  const char *text = az_request_body(r, &len);
  json_t *body = len ? json_loadb(text, len, 0, NULL) : NULL;
  const char *status = json_string_value(json_object_get(body, "status"));
  const char *ps = provisioning_state(body);
  switch (l->mode) {
  case LRO_ASYNC:
    if (az_lro_status_failed(status)) {
      fail_operation(call, r, status);
    } else if (status && strcasecmp(status, "Succeeded") == 0) {
      if (l->final_get) {
        l->mode = LRO_FINAL_GET;
        lro_send(call, "GET", l->url, NULL);
      } else {
        succeed(call, r);
      }
    } else {
      schedule_poll(call, r);
    }
    break;
  case LRO_LOCATION:
    if (r->x.status == 202) {
      const char *loc = az_headers_get(&r->x.response_headers, "Location");
      if (loc && *loc) {
        free(l->poll_url);
        l->poll_url = xstrdup(loc);
      }
      schedule_poll(call, r);
    } else if (az_lro_status_failed(status) || az_lro_status_failed(ps)) {
      fail_operation(call, r, status ? status : ps);
    } else {
      succeed(call, r);
    }
    break;
  case LRO_PROVISIONING:
    if (az_lro_status_failed(ps) || az_lro_status_failed(status))
      fail_operation(call, r, ps ? ps : status);
    else if (!ps || az_lro_status_terminal(ps))
      succeed(call, r);
    else
      schedule_poll(call, r);
    break;
  case LRO_FINAL_GET:
  case LRO_READ_BACK:
    if (az_lro_status_failed(ps)) {
      fail_operation(call, r, ps);
    } else {
      az_call_take_answer(call, r);
      az_call_finish(call, AZ_OK);
    }
    break;
  case LRO_INITIAL:
    break;
  }
  json_decref(body);
}

static void lro_answered(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct lro *l = call->state;
  l->req = NULL;
  if (r->result != AZ_OK) {
    if (l->mode == LRO_READ_BACK && r->x.status == 404) {
      az_call_finish_from_request(call, r);
      az_error_set(&call->error, AZ_E_OPERATION_FAILED,
                   "the service reported success, but reading the result back found nothing "
                   "(%s)",
                   l->read_back_url);
      call->error.status = 404;
      call->result = AZ_E_OPERATION_FAILED;
    } else if (strcasecmp(l->method, "DELETE") == 0 && r->x.status == 404 &&
               l->mode == LRO_LOCATION) {
      az_call_take_answer(call, r);
      az_call_finish(call, AZ_OK); /* gone is what a delete wants */
    } else {
      az_call_finish_from_request(call, r);
    }
    az_request_delete(r);
    return;
  }
  if (l->mode == LRO_INITIAL)
    after_initial(call, r);
  else
    after_poll(call, r);
  az_request_delete(r);
}

static void lro_send(struct az_call *call, const char *method, const char *url, const char *body)
{
  struct lro *l = call->state;
  struct az_request *r = az_request_new(call->client, method, url, lro_answered, call);
  az_request_apply_options(r, &l->opts);
  if (body)
    az_request_set_body(r, body, strlen(body), l->content_type);
  l->req = r;
  az_request_start(r);
}

static void lro_cancel(struct az_call *call)
{
  struct lro *l = call->state;
  if (!l)
    return;
  az_timer_disarm(call->client, &l->timer);
  if (l->req) {
    az_request_delete(l->req);
    l->req = NULL;
  }
}

static void lro_destroy(struct az_call *call)
{
  struct lro *l = call->state;
  if (!l)
    return;
  lro_cancel(call);
  free(l->method);
  free(l->url);
  xfree_secret(l->body);
  az_headers_done(&l->extra);
  free(l->scope);
  free(l->content_type);
  free(l->poll_url);
  free(l->read_back_url);
  free(l);
  call->state = NULL;
}

static const struct az_call_driver lro_driver = { "lro", lro_cancel, lro_destroy };

struct az_call *az_lro_start(struct az_client *c, const struct az_lro_spec *spec)
{
  struct lro *l = xcalloc(1, sizeof(*l));
  l->mode = LRO_INITIAL;
  l->method = xstrdup(spec->method);
  l->url = xstrdup(spec->url);
  l->body = spec->body ? xstrdup(spec->body) : NULL;
  az_headers_init(&l->extra);
  if (spec->opts) {
    l->opts = *spec->opts;
    if (spec->opts->headers)
      az_headers_copy(&l->extra, spec->opts->headers);
    l->scope = spec->opts->scope ? xstrdup(spec->opts->scope) : NULL;
  }
  l->content_type = xstrdup(spec->opts && spec->opts->content_type ? spec->opts->content_type
                                                                   : "application/json");
  l->opts.headers = &l->extra;
  l->opts.scope = l->scope;
  l->opts.content_type = NULL;
  l->read_back_url = spec->read_back_url ? xstrdup(spec->read_back_url) : NULL;
  l->final_get = spec->final_get;
  l->poll_ms = spec->poll_interval_ms > 0 ? spec->poll_interval_ms : DEFAULT_POLL_MS;
  l->deadline_ms =
      az_now_ms(c) + (spec->timeout_ms > 0 ? spec->timeout_ms : DEFAULT_LRO_TIMEOUT_MS);
  struct az_call *call = az_call_new(c, &lro_driver, l);
  az_timer_init(&l->timer, timer_fired, call);
  lro_send(call, l->method, l->url, l->body);
  return call;
}

struct az_call *az_call_long_running(struct az_client *c, const char *method, const char *url,
                                     const char *body, const struct az_request_options *opts,
                                     const char *read_back_url)
{
  if (!method || !url || !*url)
    return az_call_failed(c, AZ_E_INVALID_ARG, "a request needs a method and a URL");
  struct az_lro_spec spec = { 0 };
  spec.method = method;
  spec.url = url;
  spec.body = body;
  spec.opts = opts;
  spec.read_back_url = read_back_url;
  return az_lro_start(c, &spec);
}
