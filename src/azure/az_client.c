/*
 * The client: its life cycle, the event loop (az_client_poll), timers, the ready queue of
 * requests and the completed queue of calls. The pipeline itself is in az_pipeline.c.
 */
#include "azure/az_internal.h"
#include "azure/az_hint.h"
#include "azure/az_url.h"
#include "util/xalloc.h"

#include <malloc.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CALL_TIMEOUT_MS (120 * 1000)
#define MEMORY_ANSWER_LIMIT     (64u << 20)

/* Jansson frees strings that held tokens and secrets: wipe them on the way out. */
static void wiping_free(void *p)
{
  if (p) {
    secure_wipe(p, malloc_usable_size(p));
    free(p);
  }
}

static void install_wiping_free(void)
{
  static bool done;
  if (!done) {
    json_set_alloc_funcs(malloc, wiping_free);
    done = true;
  }
}

int64_t az_now_ms(const struct az_client *c)
{
  return c->clock->monotonic_ms(c->clock->ud);
}

int64_t az_wall_ms(const struct az_client *c)
{
  return c->clock->wall_ms(c->clock->ud);
}

void az_client_options_default(struct az_client_options *o)
{
  memset(o, 0, sizeof(*o));
  o->retry.max_retries = 4;
  o->retry.base_delay_ms = 800;
  o->retry.max_delay_ms = 60 * 1000;
  o->call_timeout_ms = DEFAULT_CALL_TIMEOUT_MS;
}

enum az_result az_client_new(struct az_client_options *o, struct az_client **out,
                             struct az_error *err)
{
  install_wiping_free();
  if (!o->cloud) {
    az_error_set(err, AZ_E_INVALID_ARG, "no cloud profile given");
    return AZ_E_INVALID_ARG;
  }
  struct az_client *c = xcalloc(1, sizeof(*c));
  c->clock = o->clock ? o->clock : az_clock_system();
  c->user_agent = xstrdup(o->user_agent ? o->user_agent : "synwiz/" SYNWIZ_VERSION);
  c->transport = o->transport;
  if (!c->transport) {
    struct az_curl_options co = { o->cloud->ca_bundle, c->user_agent, 8 };
    enum az_result r = az_curl_transport_new(&co, &c->transport);
    if (r != AZ_OK) {
      if (o->cloud->ca_bundle)
        az_error_set(err, r, "cannot start the HTTP transport: is %s a readable PEM CA file?",
                     o->cloud->ca_bundle);
      else
        az_error_set(err, r, "cannot start the HTTP transport");
      free(c->user_agent);
      free(c);
      return r;
    }
  }
  c->cloud = o->cloud;
  c->credential = o->credential;
  o->cloud = NULL;
  o->credential = NULL;
  o->transport = NULL;
  az_log_init(&c->log, o->log_path, o->verbosity);
  c->dry_run = o->dry_run;
  c->retry = o->retry;
  if (c->retry.base_delay_ms <= 0)
    c->retry.base_delay_ms = 800;
  if (c->retry.max_delay_ms <= 0)
    c->retry.max_delay_ms = 60 * 1000;
  c->call_timeout_ms = o->call_timeout_ms > 0 ? o->call_timeout_ms : DEFAULT_CALL_TIMEOUT_MS;
  az_identity_init(&c->identity);
  c->identity.cloud = xstrdup(c->cloud->name);
  if (c->credential) {
    c->identity.kind = az_credential_identity_kind(c->credential);
    if (c->credential->tenant)
      c->identity.tenant_id = xstrdup(c->credential->tenant);
    if (c->credential->client_id && c->identity.kind != AZ_IDENTITY_USER)
      c->identity.client_id = xstrdup(c->credential->client_id);
  }
  if (o->token_cache_path)
    c->cache = az_token_cache_new(o->token_cache_path);
  *out = c;
  return AZ_OK;
}

void az_tokens_clear(struct az_client *c)
{
  for (size_t i = 0; i < c->n_slots; i++) {
    struct az_token_slot *s = &c->slots[i];
    if (s->fetch)
      az_request_delete(s->fetch);
    free(s->scope);
    xfree_secret(s->token);
    free(s->claims);
  }
  free(c->slots);
  c->slots = NULL;
  c->n_slots = 0;
}

void az_client_delete(struct az_client *c)
{
  if (!c)
    return;
  /* Calls left behind (a caller bug) are cancelled so that nothing points at the client. */
  while (c->live_calls)
    az_call_delete(c->live_calls);
  az_tokens_clear(c);
  c->transport->ops->destroy(c->transport);
  az_log_done(&c->log);
  az_cloud_delete(c->cloud);
  az_credential_delete(c->credential);
  az_token_cache_delete(c->cache);
  az_identity_done(&c->identity);
  free(c->cloud_key);
  free(c->account_key);
  free(c->user_agent);
  free(c->correlation_id);
  free(c);
}

void az_client_set_credential(struct az_client *c, struct az_credential *cred)
{
  az_tokens_clear(c);
  az_credential_delete(c->credential);
  c->credential = cred;
  az_identity_done(&c->identity);
  c->identity.cloud = xstrdup(c->cloud->name);
  if (cred) {
    c->identity.kind = az_credential_identity_kind(cred);
    if (cred->tenant)
      c->identity.tenant_id = xstrdup(cred->tenant);
    if (cred->client_id && c->identity.kind != AZ_IDENTITY_USER)
      c->identity.client_id = xstrdup(cred->client_id);
  }
  free(c->cloud_key);
  free(c->account_key);
  c->cloud_key = c->account_key = NULL;
}

enum az_result az_client_bind_account(struct az_client *c, const struct az_identity *id,
                                      const char *refresh_token, bool make_current)
{
  if (&c->identity != id)
    az_identity_copy(&c->identity, id);
  free(c->identity.cloud);
  c->identity.cloud = xstrdup(c->cloud->name);
  if (!c->cache)
    return AZ_OK;
  free(c->cloud_key);
  free(c->account_key);
  c->cloud_key = az_token_cache_cloud_key(c->cloud);
  c->account_key = az_token_cache_account_key(&c->identity);
  return az_token_cache_save_account(c->cache, c->cloud_key, &c->identity, refresh_token,
                                     make_current);
}

const struct az_cloud *az_client_cloud(const struct az_client *c)
{
  return c->cloud;
}

const struct az_identity *az_client_identity(const struct az_client *c)
{
  return &c->identity;
}

void az_client_set_correlation_id(struct az_client *c, const char *id)
{
  free(c->correlation_id);
  c->correlation_id = id ? xstrdup(id) : NULL;
}

bool az_client_idle(const struct az_client *c)
{
  return c->requests == 0 && !c->timers && !c->ready_head && !c->completed_head;
}

void az_client_hint(struct az_client *c, struct az_error *e, const char *url)
{
  char *host = url ? az_url_host(url) : NULL;
  struct az_hint_context ctx = { c->cloud->ca_bundle, host };
  az_hint_apply(e, &ctx);
  free(host);
}

/* ---- timers ---------------------------------------------------------------------- */

void az_timer_init(struct az_timer *t, az_timer_fn fire, void *ud)
{
  memset(t, 0, sizeof(*t));
  t->fire = fire;
  t->ud = ud;
}

void az_timer_disarm(struct az_client *c, struct az_timer *t)
{
  if (!t->armed)
    return;
  if (t->prev)
    t->prev->next = t->next;
  else
    c->timers = t->next;
  if (t->next)
    t->next->prev = t->prev;
  t->prev = t->next = NULL;
  t->armed = false;
}

void az_timer_arm(struct az_client *c, struct az_timer *t, int64_t due_ms)
{
  az_timer_disarm(c, t);
  t->due_ms = due_ms;
  t->armed = true;
  t->prev = NULL;
  t->next = c->timers;
  if (c->timers)
    c->timers->prev = t;
  c->timers = t;
}

/* Fire the earliest due timer; false when none is due. */
static bool fire_one_timer(struct az_client *c, int64_t now)
{
  struct az_timer *due = NULL;
  for (struct az_timer *t = c->timers; t; t = t->next) {
    if (t->due_ms <= now && (!due || t->due_ms < due->due_ms))
      due = t;
  }
  if (!due)
    return false;
  az_timer_disarm(c, due);
  due->fire(due);
  return true;
}

/* ---- requests --------------------------------------------------------------------- */

static void exchange_complete(struct az_exchange *x)
{
  struct az_request *r = x->owner;
  struct az_client *c = r->client;
  x->transport_data = NULL;
  if (c->transfers)
    c->transfers--;
  r->answered = true;
  az_client_ready(c, r);
}

struct az_request *az_request_new(struct az_client *c, const char *method, const char *url,
                                  az_request_done_fn done, void *ud)
{
  struct az_request *r = xcalloc(1, sizeof(*r));
  r->client = c;
  r->method = xstrdup(method);
  r->url = xstrdup(url);
  az_headers_init(&r->headers);
  az_body_init(&r->body);
  az_sink_init_memory(&r->sink, MEMORY_ANSWER_LIMIT);
  r->auth = AZ_AUTH_AUTO;
  r->state = AZ_REQ_NEW;
  az_timer_init(&r->timer, NULL, r);
  az_headers_init(&r->x.response_headers);
  r->x.owner = r;
  r->x.on_complete = exchange_complete;
  az_error_init(&r->error);
  uuid_v4(r->client_request_id);
  r->done = done;
  r->ud = ud;
  c->requests++;
  return r;
}

void az_request_set_body(struct az_request *r, const char *data, size_t len,
                         const char *content_type)
{
  char *copy = xmalloc(len + 1);
  memcpy(copy, data, len);
  copy[len] = '\0';
  az_body_set_memory(&r->body, copy, len);
  if (content_type)
    az_headers_set(&r->headers, "Content-Type", content_type);
}

void az_request_apply_options(struct az_request *r, const struct az_request_options *o)
{
  if (!o)
    return;
  if (o->headers) {
    for (size_t i = 0; i < o->headers->count; i++)
      az_headers_set(&r->headers, o->headers->items[i].name, o->headers->items[i].value);
  }
  if (o->no_auth) {
    r->auth = AZ_AUTH_NONE;
  } else if (o->storage && o->storage->key) {
    r->auth = AZ_AUTH_SHARED_KEY;
    r->storage = o->storage;
  } else if (o->scope) {
    r->auth = AZ_AUTH_SCOPE;
    free(r->scope);
    r->scope = xstrdup(o->scope);
  }
  r->idempotent = o->idempotent;
  r->read_only = o->read_only;
  if (o->timeout_ms > 0)
    r->deadline_ms = az_now_ms(r->client) + o->timeout_ms;
}

void az_request_start(struct az_request *r)
{
  if (r->state != AZ_REQ_NEW)
    return;
  if (!r->deadline_ms)
    r->deadline_ms = az_now_ms(r->client) + r->client->call_timeout_ms;
  r->state = AZ_REQ_RUNNING;
  r->policy = 0;
  az_pipeline_run(r);
}

const char *az_request_body(const struct az_request *r, size_t *out_len)
{
  if (out_len)
    *out_len = r->sink.buf.len;
  return r->sink.buf.buf;
}

static void remove_from_ready(struct az_client *c, struct az_request *r)
{
  struct az_request **pp = &c->ready_head;
  struct az_request *prev = NULL;
  while (*pp) {
    if (*pp == r) {
      *pp = r->next_ready;
      if (c->ready_tail == r)
        c->ready_tail = prev;
      r->next_ready = NULL;
      return;
    }
    prev = *pp;
    pp = &(*pp)->next_ready;
  }
}

static void remove_from_waiters(struct az_client *c, struct az_request *r)
{
  for (size_t i = 0; i < c->n_slots; i++) {
    for (struct az_request **pp = &c->slots[i].waiters; *pp; pp = &(*pp)->next_waiter) {
      if (*pp == r) {
        *pp = r->next_waiter;
        r->next_waiter = NULL;
        return;
      }
    }
    if (c->slots[i].fetch == r)
      c->slots[i].fetch = NULL;
  }
}

/* Take r out of every place the client may hold it: transport, timers, queues. */
static void detach(struct az_request *r)
{
  struct az_client *c = r->client;
  if (r->x.transport_data) {
    c->transport->ops->abort(c->transport, &r->x);
    r->x.transport_data = NULL;
    if (c->transfers)
      c->transfers--;
  }
  az_timer_disarm(c, &r->timer);
  remove_from_waiters(c, r);
  if (r->state == AZ_REQ_QUEUED)
    remove_from_ready(c, r);
}

void az_request_cancel(struct az_request *r)
{
  if (r->state == AZ_REQ_NEW || r->state == AZ_REQ_FINISHED)
    return;
  if (r->state == AZ_REQ_QUEUED && !r->answered)
    return; /* already finishing */
  detach(r);
  r->state = AZ_REQ_RUNNING;
  r->answered = false;
  r->result = AZ_E_CANCELED;
  az_error_set(&r->error, AZ_E_CANCELED, "cancelled");
  az_pipeline_finish(r);
}

void az_request_delete(struct az_request *r)
{
  if (!r)
    return;
  detach(r);
  r->client->requests--;
  free(r->method);
  free(r->url);
  az_headers_done(&r->headers);
  az_body_done(&r->body);
  az_sink_done(&r->sink);
  free(r->scope);
  free(r->claims);
  xfree_secret(r->bearer);
  az_headers_done(&r->x.response_headers);
  az_error_done(&r->error);
  free(r);
}

void az_client_ready(struct az_client *c, struct az_request *r)
{
  if (r->state == AZ_REQ_QUEUED)
    return;
  r->state = AZ_REQ_QUEUED;
  r->next_ready = NULL;
  if (c->ready_tail)
    c->ready_tail->next_ready = r;
  else
    c->ready_head = r;
  c->ready_tail = r;
}

static bool run_ready(struct az_client *c)
{
  struct az_request *r = c->ready_head;
  if (!r)
    return false;
  c->ready_head = r->next_ready;
  if (!c->ready_head)
    c->ready_tail = NULL;
  r->next_ready = NULL;
  if (r->answered) {
    r->answered = false;
    r->state = AZ_REQ_RUNNING;
    az_pipeline_answered(r);
  } else {
    r->state = AZ_REQ_FINISHED;
    /* Last touch: the callback may delete the request. */
    r->done(r);
  }
  return true;
}

/* ---- the loop ------------------------------------------------------------------- */

static bool deliver_progress(struct az_client *c)
{
  bool ran = false;
  for (struct az_call *call = c->live_calls; call;) {
    struct az_call *next = call->next_live;
    if (call->progress_dirty && call->on_progress) {
      call->progress_dirty = false;
      call->on_progress(call, call->progress_done, call->progress_total, call->on_progress_ud);
      ran = true;
    }
    call = next;
  }
  return ran;
}

static bool deliver_completed(struct az_client *c)
{
  struct az_call *call = c->completed_head;
  if (!call)
    return false;
  c->completed_head = call->next_completed;
  if (!c->completed_head)
    c->completed_tail = NULL;
  call->next_completed = NULL;
  call->queued = false;
  if (call->on_done) {
    /* Last touch: the callback may delete the call. */
    call->on_done(call, call->on_done_ud);
    return true;
  }
  return false;
}

/* Run everything that is ready, until nothing moves. True when an app callback ran. */
static bool run_work(struct az_client *c)
{
  bool callbacks = false;
  for (int round = 0; round < 10000; round++) {
    bool moved = false;
    c->transport->ops->perform(c->transport);
    while (run_ready(c))
      moved = true;
    if (fire_one_timer(c, az_now_ms(c)))
      moved = true;
    if (deliver_progress(c))
      callbacks = moved = true;
    while (c->completed_head) {
      /* A finished call counts as a callback even without one: whoever waits on it must
       * get control back at once. */
      deliver_completed(c);
      callbacks = moved = true;
    }
    if (!moved)
      break;
  }
  return callbacks;
}

int az_client_poll(struct az_client *c, const int *extra_fds, size_t n_extra, int timeout_ms)
{
  bool callbacks = run_work(c);
  int wait_ms = timeout_ms;
  if (callbacks || c->ready_head || c->completed_head) {
    wait_ms = 0;
  } else if (c->timers) {
    int64_t next = INT64_MAX;
    for (struct az_timer *t = c->timers; t; t = t->next)
      next = t->due_ms < next ? t->due_ms : next;
    int64_t left = next - az_now_ms(c);
    if (left < 0)
      left = 0;
    if (wait_ms < 0 || left < wait_ms)
      wait_ms = left > INT32_MAX ? INT32_MAX : (int)left;
  }
  int readable = 0;
  if (c->transport->ops->wait(c->transport, extra_fds, n_extra, wait_ms, &readable) != 0)
    readable = 0;
  return readable;
}
