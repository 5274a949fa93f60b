/*
 * az_internal: what the files of src/azure/ share and nobody else may touch. Not for the
 * app layer: use az_client.h and the operation headers.
 *
 * The pieces:
 *   struct az_timer    a one-shot deadline in the client's timer list (retry waits, LRO
 *                      and device-code polling, block-upload pacing)
 *   struct az_request  ONE HTTP request travelling through the pipeline, with its
 *                      retries; owned by a call driver, which learns the outcome through
 *                      `done` (always from az_client_poll, never from az_request_start)
 *   struct az_call     what the app holds: the outcome of an operation made of one or
 *                      more requests (single request, pager, LRO, upload, download,
 *                      sign-in...). A driver (struct az_call_driver) moves it along and
 *                      reports with az_call_finish().
 *   struct az_client   the loop: transport, timers, the queue of requests whose transfer
 *                      ended or that finished, the queue of calls whose callback is due,
 *                      and the token slots (one per scope) of the auth policy.
 *
 * Pipeline (az_pipeline.c): a fixed array of policies, each with `before` (runs in order
 * before an attempt goes out) and `after` (runs in reverse order on the answer). A hook
 * returns AZ_STEP_NEXT (go on), AZ_STEP_WAIT (suspended: a timer or a token will resume
 * the request at this same policy), AZ_STEP_DONE (finish with r->result) or
 * AZ_STEP_RESEND (an `after` hook: start again from this policy's `before`).
 */
#ifndef SYNWIZ_AZURE_AZ_INTERNAL_H
#define SYNWIZ_AZURE_AZ_INTERNAL_H

#include "azure/az_client.h"
#include "azure/az_credential.h"
#include "azure/az_log.h"
#include "azure/az_token_cache.h"
#include "util/uuid.h"

struct az_timer;
typedef void (*az_timer_fn)(struct az_timer *t);

struct az_timer {
  int64_t due_ms; /* monotonic */
  az_timer_fn fire;
  void *ud;
  bool armed;
  struct az_timer *prev, *next;
};

void az_timer_init(struct az_timer *t, az_timer_fn fire, void *ud);
void az_timer_arm(struct az_client *c, struct az_timer *t, int64_t due_ms);
void az_timer_disarm(struct az_client *c, struct az_timer *t);

enum az_auth_kind {
  AZ_AUTH_AUTO,       /* bearer token, scope from the URL's host */
  AZ_AUTH_SCOPE,      /* bearer token for r->scope */
  AZ_AUTH_NONE,       /* no Authorization header */
  AZ_AUTH_SHARED_KEY, /* sign with r->storage's key */
  AZ_AUTH_BEARER,     /* the bearer token in r->bearer (a guest's one-off token, az_guest.c) */
};

enum az_step {
  AZ_STEP_NEXT,
  AZ_STEP_WAIT,
  AZ_STEP_DONE,
  AZ_STEP_RESEND,
};

enum az_request_state {
  AZ_REQ_NEW,
  AZ_REQ_RUNNING,  /* running policies, or waiting for a timer, a token or a transfer */
  AZ_REQ_QUEUED,   /* transfer ended or finished; waiting in the client's ready queue */
  AZ_REQ_FINISHED, /* done callback delivered (or about to be) */
};

struct az_request;
typedef void (*az_request_done_fn)(struct az_request *r);

struct az_request {
  struct az_client *client;
  char *method;
  char *url;
  struct az_headers headers;
  struct az_body body;
  struct az_sink sink;
  enum az_auth_kind auth;
  char *scope; /* AZ_AUTH_SCOPE, or the scope AZ_AUTH_AUTO resolved */
  const struct az_storage_account *storage;
  char *bearer;    /* AZ_AUTH_BEARER: the token (secret, wiped when the request is freed) */
  bool idempotent; /* safe to retry whatever the method */
  bool read_only;  /* a POST that reads: a dry run sends it */
  bool internal;   /* sign-in traffic: never printed in dry runs, never faked */
  bool token_only; /* send nothing: finish once the auth policy holds a token */
  int64_t deadline_ms;
  char client_request_id[UUID_STR_LEN];

  /* pipeline state */
  enum az_request_state state;
  int policy;  /* index of the policy to run next */
  int attempt; /* 1 for the first attempt */
  int64_t retry_at_ms;
  struct az_timer timer;
  bool auth_refreshed; /* the one refresh after a 401 was spent */
  unsigned token_generation;
  char *claims; /* from a 401 challenge, for the refresh */
  bool dry_printed;
  bool answered; /* the queued event is an answer to run `after` hooks on */
  struct az_exchange x;
  int64_t sent_ms;
  struct az_request *next_waiter; /* in a token slot's waiting list */
  struct az_request *next_ready;  /* in the client's ready queue */

  /* outcome */
  enum az_result result;
  struct az_error error;
  az_request_done_fn done;
  void *ud;
  int64_t driver_data; /* free for the owning driver (a download range's length) */
};

/** A request in state NEW; the caller sets body/headers/auth, then az_request_start(). */
struct az_request *az_request_new(struct az_client *c, const char *method, const char *url,
                                  az_request_done_fn done, void *ud);
/** Apply az_request_options (scope, storage key, headers, timeout...). */
void az_request_apply_options(struct az_request *r, const struct az_request_options *o);
void az_request_set_body(struct az_request *r, const char *data, size_t len,
                         const char *content_type);
void az_request_start(struct az_request *r);
/** Stop it; its done callback will report AZ_E_CANCELED (from poll). */
void az_request_cancel(struct az_request *r);
/** Free it; if still running it is stopped first and `done` never runs. */
void az_request_delete(struct az_request *r);
/** The answer body (memory sink), NUL-terminated. */
const char *az_request_body(const struct az_request *r, size_t *out_len);

/* pipeline internals shared between az_pipeline.c and az_auth.c */
void az_pipeline_run(struct az_request *r);      /* run `before` hooks from r->policy */
void az_pipeline_answered(struct az_request *r); /* run `after` hooks, then finish */
void az_pipeline_finish(struct az_request *r);   /* queue r's done callback */
enum az_step az_auth_before(struct az_request *r);
enum az_step az_auth_after(struct az_request *r);
int64_t az_retry_delay_ms(const struct az_retry_options *o, int attempt,
                          const struct az_headers *answer, int64_t wall_ms, uint32_t random);
void az_client_ready(struct az_client *c, struct az_request *r);

/* ---- calls -------------------------------------------------------------------- */

struct az_call_driver {
  const char *name;
  void (*cancel)(struct az_call *call);  /* stop requests and timers (may be NULL) */
  void (*destroy)(struct az_call *call); /* free the driver's state (may be NULL) */
};

struct az_call {
  struct az_client *client;
  const struct az_call_driver *driver;
  void *state;
  bool done;
  bool queued; /* in the client's completed queue */
  enum az_result result;
  struct az_error error;
  json_t *json;
  int status;
  struct az_headers headers;
  char *body;
  size_t body_len;
  az_call_done_fn on_done;
  void *on_done_ud;
  az_progress_fn on_progress;
  void *on_progress_ud;
  int64_t progress_done, progress_total;
  bool progress_dirty;
  struct az_call *next_completed;
  struct az_call *prev_live, *next_live;
};

struct az_call *az_call_new(struct az_client *c, const struct az_call_driver *driver, void *state);
/** The driver is done: record the result and queue the app's callback. */
void az_call_finish(struct az_call *call, enum az_result result);
/** Finish with the outcome (error, status, headers) of request `r`. */
void az_call_finish_from_request(struct az_call *call, struct az_request *r);
/** A call that fails at once (bad arguments): the callback still runs from poll. */
struct az_call *az_call_failed(struct az_client *c, enum az_result result, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void az_call_progress(struct az_call *call, int64_t done, int64_t total);
/** Keep the answer of `r` (status, headers, raw body, parsed JSON) as the call's own. */
void az_call_take_answer(struct az_call *call, struct az_request *r);

/* ---- the client ------------------------------------------------------------------- */

struct az_token_slot {
  char *scope;
  char *token; /* secret */
  int64_t expires_on;
  int64_t obtained_on;
  unsigned generation;
  struct az_request *fetch;
  struct az_request *waiters;
  char *claims;
};

struct az_client {
  struct az_cloud *cloud;
  struct az_credential *credential;
  struct az_transport *transport;
  const struct az_clock *clock;
  struct az_log log;
  FILE *dry_run;
  struct az_retry_options retry;
  int call_timeout_ms;
  char *user_agent;
  char *correlation_id;
  struct az_identity identity;

  struct az_token_cache *cache; /* NULL = tokens live in memory only */
  char *cloud_key;
  char *account_key;

  struct az_timer *timers;
  struct az_request *ready_head, *ready_tail;
  struct az_call *completed_head, *completed_tail;
  struct az_call *live_calls;
  size_t transfers; /* exchanges started and not yet complete */
  size_t requests;  /* requests alive */

  struct az_token_slot *slots;
  size_t n_slots;
};

int64_t az_now_ms(const struct az_client *c);
int64_t az_wall_ms(const struct az_client *c);
/** Seed a token slot (from the token cache). */
void az_tokens_seed(struct az_client *c, const char *scope, const char *token, int64_t expires_on,
                    int64_t obtained_on);
/** Drop every token slot (logout, or a new identity). */
void az_tokens_clear(struct az_client *c);
void az_client_hint(struct az_client *c, struct az_error *e, const char *url);
/** Replace the credential (taken) and forget tokens, identity and the cache binding. */
void az_client_set_credential(struct az_client *c, struct az_credential *cred);
/** Persist under the token cache as `id`'s account (identity copied; current if asked). */
enum az_result az_client_bind_account(struct az_client *c, const struct az_identity *id,
                                      const char *refresh_token, bool make_current);
/** The token slot of `scope`, or NULL. */
struct az_token_slot *az_tokens_find(struct az_client *c, const char *scope);

#endif

/* ---- compound drivers (az_pager.c, az_lro.c) ------------------------------------------ */

enum az_paging {
  AZ_PAGING_NONE,                /* one answer: {"value":[..]} or a bare array */
  AZ_PAGING_NEXT_LINK,           /* ARM and Synapse: "nextLink", followed verbatim */
  AZ_PAGING_CONTINUATION_HEADER, /* Synapse RBAC: x-ms-continuation answer -> request header */
  AZ_PAGING_BODY_TOKEN,          /* Synapse run queries: "continuationToken" back in the body */
};

struct az_list_spec {
  const char *method; /* GET, or POST for the query APIs */
  const char *url;
  json_t *body; /* borrowed; sent as JSON (POST) */
  enum az_paging paging;
  const struct az_request_options *opts;
};

/** Collect every page; the result is {"value": [items...]}. */
struct az_call *az_list_start(struct az_client *c, const struct az_list_spec *spec);

struct az_lro_spec {
  const char *method;
  const char *url;
  const char *body;
  const struct az_request_options *opts;
  const char *read_back_url; /* GET after success: Synapse artifacts (a 200 can hide a failure) */
  bool final_get;            /* ARM PUT/PATCH: GET the resource after Azure-AsyncOperation */
  int poll_interval_ms;      /* when no Retry-After is given (default 5000) */
  int timeout_ms;            /* the whole operation (default 30 minutes) */
};

/** Start a long-running operation and follow it to its end. */
struct az_call *az_lro_start(struct az_client *c, const struct az_lro_spec *spec);
/** "Succeeded", "Failed", "Canceled"/"Cancelled" (any case) end an operation. */
bool az_lro_status_terminal(const char *status);
bool az_lro_status_failed(const char *status);
