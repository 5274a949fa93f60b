/*
 * az_client: the one door to Azure. A client holds a cloud profile, a credential, a token
 * cache binding, the log, and the transfers in flight; every call of the program goes
 * through its fixed pipeline (az_pipeline.c):
 *
 *     request id  ->  retry  ->  authentication  ->  logging  ->  transport
 *
 * Asynchronous by design. Operations (az_arm.h, az_authz.h, az_synapse.h, az_blob.h, or
 * az_call_request() for any URL) return a struct az_call at once and never block; the
 * owner of the event loop calls az_client_poll(), which runs transfers, timers and
 * completion callbacks. Independent calls run in parallel. A blocking helper,
 * az_call_wait(), runs the same loop until one call is done (for the CLI).
 *
 * Ownership: the caller owns every az_call it gets and frees it with az_call_delete()
 * (which cancels it if it is still running; its callback then never runs). A done
 * callback runs once, from az_client_poll(), never from inside the function that created
 * the call; it may delete the call. az_call_json() results are borrowed from the call.
 * Delete every call before the client.
 *
 * Example, two pickers filled in parallel from the UI loop:
 *     struct az_call *ws = az_arm_list_workspaces(client, sub);
 *     struct az_call *sa = az_arm_list_storage_accounts(client, sub);
 *     az_call_on_done(ws, fill_workspaces, picker1);
 *     az_call_on_done(sa, fill_accounts, picker2);
 *     ... loop: az_client_poll(client, &tty_fd, 1, -1); ...
 * and a blocking read:
 *     struct az_call *c = az_arm_get_workspace(client, sub, rg, name);
 *     if (az_call_wait(c) == AZ_OK) use(az_call_json(c)); else report(az_call_error(c));
 *     az_call_delete(c);
 */
#ifndef SYNWIZ_AZURE_AZ_CLIENT_H
#define SYNWIZ_AZURE_AZ_CLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "azure/az_clock.h"
#include "azure/az_cloud.h"
#include "azure/az_error.h"
#include "azure/az_http.h"
#include "azure/az_identity.h"
#include "azure/az_result.h"
#include "azure/az_storage.h"
#include "azure/az_transport.h"

struct az_client;
struct az_call;
struct az_credential;

typedef void (*az_call_done_fn)(struct az_call *call, void *ud);
/** Bytes moved so far and in all (uploads, downloads). */
typedef void (*az_progress_fn)(struct az_call *call, int64_t done, int64_t total, void *ud);

struct az_retry_options {
  int max_retries;   /* retries after the first attempt (default 4) */
  int base_delay_ms; /* first back-off (default 800; doubles each time) */
  int max_delay_ms;  /* cap of the computed back-off (default 60000) */
};

struct az_client_options {
  struct az_cloud *cloud;           /* required; the client takes ownership */
  struct az_credential *credential; /* taken; NULL = calls that need a token fail */
  struct az_transport *transport;   /* taken; NULL = libcurl */
  const struct az_clock *clock;     /* borrowed; NULL = the system clock */
  const char *log_path;             /* NULL = default path; "" = no log */
  int verbosity;                    /* 0..2, see az_log.h */
  FILE *dry_run;                    /* borrowed; non-NULL = dry-run mode (see below) */
  const char *token_cache_path;     /* NULL = no persistence (az_session sets it) */
  struct az_retry_options retry;
  int call_timeout_ms;    /* deadline of one call including its retries (default 120 s) */
  const char *user_agent; /* default "synwiz/VERSION" */
};

/*
 * Dry run: every call is printed to `dry_run` in order ("METHOD URL" then the body with
 * secrets redacted, indented). Reads (GET/HEAD, and POSTs marked read-only) are still
 * sent, because pickers need them; writes (PUT/POST/PATCH/DELETE) are not sent and
 * answer a synthetic success: 200 with the request body echoed for PUT/PATCH, {} for
 * POST, an empty body for DELETE, and the header x-synwiz-dry-run: true.
 * Sign-in calls are neither printed nor faked.
 */

void az_client_options_default(struct az_client_options *o);
AZ_NODISCARD enum az_result az_client_new(struct az_client_options *o, struct az_client **out,
                                          struct az_error *err);
/** Cancels whatever is still running. Calls must already have been deleted. */
void az_client_delete(struct az_client *client);

/* Run ready transfers, due timers and completion callbacks; then wait until one of
 * `extra_fds` is readable, a transfer or timer needs attention, or `timeout_ms` passes
 * (-1 = no limit; the client shortens it to its own next deadline). Never blocks when a
 * callback ran. Returns the number of extra fds that are readable (0 on timeout). */
int az_client_poll(struct az_client *client, const int *extra_fds, size_t n_extra, int timeout_ms);

const struct az_cloud *az_client_cloud(const struct az_client *client);
/** Who is signed in (kind AZ_IDENTITY_NONE when nobody). Fields fill in as tokens arrive. */
const struct az_identity *az_client_identity(const struct az_client *client);
/** Ties the following calls together in Azure's logs (one wizard step); NULL clears. */
void az_client_set_correlation_id(struct az_client *client, const char *id);
/** True when no transfer, timer or callback is pending. */
bool az_client_idle(const struct az_client *client);

/* ---- calls ---------------------------------------------------------------------- */

struct az_request_options {
  const char *scope;                        /* token scope; NULL = from the URL's host */
  bool no_auth;                             /* send no Authorization at all */
  const struct az_storage_account *storage; /* sign with its key (Shared Key) when it has one */
  bool idempotent;                          /* safe to repeat even though it is a POST */
  bool read_only;                           /* a POST that only reads (sent in dry runs) */
  int timeout_ms;                           /* 0 = the client's default deadline */
  const struct az_headers *headers;         /* extra request headers */
  const char *content_type;                 /* of `body`; default application/json */
};

/** Any REST call: `body` (may be NULL) is sent as is. Result: the answer, parsed when JSON. */
struct az_call *az_call_request(struct az_client *client, const char *method, const char *url,
                                const char *body, const struct az_request_options *opts);
/**
 * A long-running write: send it, follow Azure-AsyncOperation, Location or
 * provisioningState to the end (waiting Retry-After between polls), then GET
 * `read_back_url` if given. An answer saying {"status":"Failed"} ends it with
 * AZ_E_OPERATION_FAILED and Azure's code and message.
 */
struct az_call *az_call_long_running(struct az_client *client, const char *method, const char *url,
                                     const char *body, const struct az_request_options *opts,
                                     const char *read_back_url);
/** GET `url` and follow nextLink; the result is {"value": [every page's items]}. */
struct az_call *az_call_list(struct az_client *client, const char *url,
                             const struct az_request_options *opts);

/** A call that sends nothing and ends (AZ_OK) after `ms` milliseconds of the client's
 * clock: a timer for the layers above (countdowns, waits between checks). Cancel or delete
 * it to stop it. */
struct az_call *az_call_delay(struct az_client *client, int ms);

void az_call_on_done(struct az_call *call, az_call_done_fn fn, void *ud);
void az_call_on_progress(struct az_call *call, az_progress_fn fn, void *ud);
bool az_call_is_done(const struct az_call *call);
/** The outcome (AZ_E_CANCELED... until done: check az_call_is_done first). */
enum az_result az_call_result(const struct az_call *call);
const struct az_error *az_call_error(const struct az_call *call);
/** HTTP status of the last answer (0 before one came). */
int az_call_status(const struct az_call *call);
/** The parsed answer (borrowed; NULL when none or not JSON). */
json_t *az_call_json(const struct az_call *call);
/** The raw answer body of a single request (borrowed), or NULL. */
const char *az_call_body(const struct az_call *call, size_t *out_len);
/** Answer headers of the last request (borrowed). */
const struct az_headers *az_call_headers(const struct az_call *call);
/** Stop the call: it completes with AZ_E_CANCELED and its callback runs (from poll). */
void az_call_cancel(struct az_call *call);
void az_call_delete(struct az_call *call);
/** Run the client's loop until `call` is done and its callback ran; returns its result.
 * (A call waited on this way must not be deleted by its own callback.) */
enum az_result az_call_wait(struct az_call *call);

#endif
