/*
 * Calls: the app's handle on an operation, and the simplest driver, one request.
 */
#include "azure/az_internal.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct az_call *az_call_new(struct az_client *c, const struct az_call_driver *driver, void *state)
{
  struct az_call *call = xcalloc(1, sizeof(*call));
  call->client = c;
  call->driver = driver;
  call->state = state;
  call->result = AZ_E_CANCELED;
  az_error_init(&call->error);
  az_headers_init(&call->headers);
  call->next_live = c->live_calls;
  if (c->live_calls)
    c->live_calls->prev_live = call;
  c->live_calls = call;
  return call;
}

void az_call_finish(struct az_call *call, enum az_result result)
{
  if (call->done)
    return;
  struct az_client *c = call->client;
  call->done = true;
  call->result = result;
  if (result == AZ_OK)
    az_error_reset(&call->error);
  else if (call->error.result == AZ_OK)
    az_error_set(&call->error, result, "%s", az_result_str(result));
  call->error.result = result;
  call->queued = true;
  call->next_completed = NULL;
  if (c->completed_tail)
    c->completed_tail->next_completed = call;
  else
    c->completed_head = call;
  c->completed_tail = call;
}

void az_call_take_answer(struct az_call *call, struct az_request *r)
{
  call->status = r->x.status;
  az_headers_clear(&call->headers);
  az_headers_copy(&call->headers, &r->x.response_headers);
  xfree_secret(call->body);
  size_t len = 0;
  const char *body = az_request_body(r, &len);
  call->body = xmalloc(len + 1);
  memcpy(call->body, body, len);
  call->body[len] = '\0';
  call->body_len = len;
  json_decref(call->json);
  call->json = len ? json_loadb(body, len, JSON_DECODE_ANY, NULL) : NULL;
}

void az_call_finish_from_request(struct az_call *call, struct az_request *r)
{
  az_call_take_answer(call, r);
  az_error_copy(&call->error, &r->error);
  az_call_finish(call, r->result);
}

struct az_call *az_call_failed(struct az_client *c, enum az_result result, const char *fmt, ...)
{
  static const struct az_call_driver failed_driver = { "failed", NULL, NULL };
  struct az_call *call = az_call_new(c, &failed_driver, NULL);
  va_list ap;
  va_start(ap, fmt);
  char msg[512];
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  az_error_set(&call->error, result, "%s", msg);
  az_client_hint(c, &call->error, NULL);
  az_call_finish(call, result);
  return call;
}

void az_call_progress(struct az_call *call, int64_t done, int64_t total)
{
  call->progress_done = done;
  call->progress_total = total;
  call->progress_dirty = true;
}

void az_call_on_done(struct az_call *call, az_call_done_fn fn, void *ud)
{
  call->on_done = fn;
  call->on_done_ud = ud;
}

void az_call_on_progress(struct az_call *call, az_progress_fn fn, void *ud)
{
  call->on_progress = fn;
  call->on_progress_ud = ud;
}

bool az_call_is_done(const struct az_call *call)
{
  return call->done;
}

enum az_result az_call_result(const struct az_call *call)
{
  return call->result;
}

const struct az_error *az_call_error(const struct az_call *call)
{
  return &call->error;
}

int az_call_status(const struct az_call *call)
{
  return call->status;
}

json_t *az_call_json(const struct az_call *call)
{
  return call->json;
}

const char *az_call_body(const struct az_call *call, size_t *out_len)
{
  if (out_len)
    *out_len = call->body_len;
  return call->body;
}

const struct az_headers *az_call_headers(const struct az_call *call)
{
  return &call->headers;
}

void az_call_cancel(struct az_call *call)
{
  if (call->done)
    return;
  if (call->driver->cancel)
    call->driver->cancel(call);
  az_error_set(&call->error, AZ_E_CANCELED, "cancelled");
  az_call_finish(call, AZ_E_CANCELED);
}

static void unqueue(struct az_client *c, struct az_call *call)
{
  struct az_call *prev = NULL;
  for (struct az_call *p = c->completed_head; p; prev = p, p = p->next_completed) {
    if (p != call)
      continue;
    if (prev)
      prev->next_completed = p->next_completed;
    else
      c->completed_head = p->next_completed;
    if (c->completed_tail == p)
      c->completed_tail = prev;
    break;
  }
  call->queued = false;
}

void az_call_delete(struct az_call *call)
{
  if (!call)
    return;
  struct az_client *c = call->client;
  if (!call->done && call->driver->cancel)
    call->driver->cancel(call);
  if (call->queued)
    unqueue(c, call);
  if (call->driver->destroy)
    call->driver->destroy(call);
  if (call->prev_live)
    call->prev_live->next_live = call->next_live;
  else
    c->live_calls = call->next_live;
  if (call->next_live)
    call->next_live->prev_live = call->prev_live;
  az_error_done(&call->error);
  json_decref(call->json);
  az_headers_done(&call->headers);
  xfree_secret(call->body);
  free(call);
}

enum az_result az_call_wait(struct az_call *call)
{
  while (!call->done || call->queued)
    az_client_poll(call->client, NULL, 0, -1);
  return call->result;
}

/* ---- the single-request driver ----------------------------------------------------- */

static void single_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  call->state = NULL;
  az_call_finish_from_request(call, r);
  az_request_delete(r);
}

static void single_cancel(struct az_call *call)
{
  if (call->state) {
    az_request_delete(call->state);
    call->state = NULL;
  }
}

static const struct az_call_driver single_driver = { "request", single_cancel, single_cancel };

struct az_call *az_call_request(struct az_client *c, const char *method, const char *url,
                                const char *body, const struct az_request_options *opts)
{
  if (!method || !url || !*url)
    return az_call_failed(c, AZ_E_INVALID_ARG, "a request needs a method and a URL");
  struct az_call *call = az_call_new(c, &single_driver, NULL);
  struct az_request *r = az_request_new(c, method, url, single_done, call);
  az_request_apply_options(r, opts);
  if (body)
    az_request_set_body(r, body, strlen(body),
                        opts && opts->content_type ? opts->content_type : "application/json");
  call->state = r;
  az_request_start(r);
  return call;
}

/* ---- a pause on the client's clock ------------------------------------------------- */

struct delay_state {
  struct az_timer timer;
};

static void delay_fire(struct az_timer *t)
{
  az_call_finish(t->ud, AZ_OK);
}

static void delay_cancel(struct az_call *call)
{
  struct delay_state *s = call->state;
  if (s)
    az_timer_disarm(call->client, &s->timer);
}

static void delay_destroy(struct az_call *call)
{
  delay_cancel(call);
  free(call->state);
  call->state = NULL;
}

static const struct az_call_driver delay_driver = { "delay", delay_cancel, delay_destroy };

struct az_call *az_call_delay(struct az_client *c, int ms)
{
  struct delay_state *s = xcalloc(1, sizeof(*s));
  struct az_call *call = az_call_new(c, &delay_driver, s);
  az_timer_init(&s->timer, delay_fire, call);
  az_timer_arm(c, &s->timer, az_now_ms(c) + (ms > 0 ? ms : 0));
  return call;
}
