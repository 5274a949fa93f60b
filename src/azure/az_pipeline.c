/*
 * The request pipeline: one fixed chain of policies around an asynchronous request.
 *
 *   request id  x-ms-client-request-id (one per request, kept across retries) and the
 *               client's x-ms-correlation-request-id
 *   retry       408/429/500/502/503/504 and connection failures; idempotent methods
 *               only, except that a request that never left this machine (connect
 *               failure) may always be repeated; Retry-After (seconds or HTTP date),
 *               retry-after-ms and x-ms-retry-after-ms, else exponential back-off with
 *               jitter and a cap; never past the call's deadline; every wait is logged
 *   auth        bearer token for the scope (az_auth.c), or Shared Key, or nothing
 *   log         one line per attempt and answer; headers and bodies by verbosity
 *   transport   hands the exchange to the transport (or, in a dry run, fakes writes)
 *
 * See az_internal.h for how hooks suspend and resume a request.
 */
#include "azure/az_internal.h"
#include "azure/az_redact.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct az_policy {
  const char *name;
  enum az_step (*before)(struct az_request *r);
  enum az_step (*after)(struct az_request *r);
};

static enum az_step request_id_before(struct az_request *r);
static enum az_step retry_before(struct az_request *r);
static enum az_step retry_after(struct az_request *r);
static enum az_step log_before(struct az_request *r);
static enum az_step log_after(struct az_request *r);
static enum az_step transport_before(struct az_request *r);

static const struct az_policy pipeline[] = {
  { "request-id", request_id_before, NULL }, { "retry", retry_before, retry_after },
  { "auth", az_auth_before, az_auth_after }, { "log", log_before, log_after },
  { "transport", transport_before, NULL },
};

#define N_POLICIES ((int)(sizeof(pipeline) / sizeof(pipeline[0])))

void az_pipeline_run(struct az_request *r)
{
  while (r->policy < N_POLICIES) {
    switch (pipeline[r->policy].before(r)) {
    case AZ_STEP_NEXT:
      r->policy++;
      break;
    case AZ_STEP_WAIT:
      return;
    case AZ_STEP_DONE:
    case AZ_STEP_RESEND:
      az_pipeline_finish(r);
      return;
    }
  }
}

/* The result of the final answer (or transport failure), with Azure's error and a hint. */
static void settle(struct az_request *r)
{
  if (r->result != AZ_OK || r->token_only)
    return; /* a hook already decided */
  if (r->x.transport_result != AZ_OK) {
    r->result = r->x.transport_result;
    az_error_set(&r->error, r->result, "%s %s: %s", r->method, r->url,
                 r->x.transport_message[0] ? r->x.transport_message : az_result_str(r->result));
  } else if (r->x.status >= 200 && r->x.status < 400) {
    r->result = AZ_OK;
    az_error_reset(&r->error);
    return;
  } else {
    size_t len = 0;
    const char *body = az_request_body(r, &len);
    az_error_from_answer(&r->error, r->x.status, &r->x.response_headers, body, len);
    r->result = r->error.result;
  }
  az_client_hint(r->client, &r->error, r->url);
}

void az_pipeline_answered(struct az_request *r)
{
  for (int i = N_POLICIES - 1; i >= 0; i--) {
    if (!pipeline[i].after)
      continue;
    switch (pipeline[i].after(r)) {
    case AZ_STEP_NEXT:
      break;
    case AZ_STEP_RESEND:
      az_exchange_reset_answer(&r->x);
      r->policy = i;
      az_pipeline_run(r);
      return;
    case AZ_STEP_WAIT:
      return;
    case AZ_STEP_DONE:
      az_pipeline_finish(r);
      return;
    }
  }
  az_pipeline_finish(r);
}

void az_pipeline_finish(struct az_request *r)
{
  settle(r);
  r->answered = false;
  az_client_ready(r->client, r);
}

/* ---- request id ----------------------------------------------------------------- */

static enum az_step request_id_before(struct az_request *r)
{
  az_headers_set(&r->headers, "x-ms-client-request-id", r->client_request_id);
  if (r->client->correlation_id && !r->internal)
    az_headers_set(&r->headers, "x-ms-correlation-request-id", r->client->correlation_id);
  if (!az_headers_get(&r->headers, "Accept"))
    az_headers_set(&r->headers, "Accept", "application/json");
  return AZ_STEP_NEXT;
}

/* ---- retry ------------------------------------------------------------------------ */

static void retry_timer_fired(struct az_timer *t)
{
  struct az_request *r = t->ud;
  az_pipeline_run(r);
}

static enum az_step retry_before(struct az_request *r)
{
  struct az_client *c = r->client;
  int64_t now = az_now_ms(c);
  if (r->retry_at_ms && now < r->retry_at_ms) {
    r->timer.fire = retry_timer_fired;
    az_timer_arm(c, &r->timer, r->retry_at_ms);
    return AZ_STEP_WAIT;
  }
  r->retry_at_ms = 0;
  if (now >= r->deadline_ms) {
    r->result = AZ_E_TIMEOUT;
    az_error_set(&r->error, AZ_E_TIMEOUT, "%s %s: no answer before the deadline", r->method,
                 r->url);
    return AZ_STEP_DONE;
  }
  r->attempt++;
  return AZ_STEP_NEXT;
}

static bool retryable_status(int status)
{
  switch (status) {
  case 408:
  case 429:
  case 500:
  case 502:
  case 503:
  case 504:
    return true;
  default:
    return false;
  }
}

static bool retryable_transport(enum az_result r)
{
  return r == AZ_E_CONNECT || r == AZ_E_NETWORK || r == AZ_E_TIMEOUT;
}

/* A non-negative integer header (seconds or milliseconds), or -1. */
static int64_t int_header(const struct az_headers *h, const char *name)
{
  const char *v = az_headers_get(h, name);
  if (!v)
    return -1;
  while (isspace((unsigned char)*v))
    v++;
  char *end = NULL;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  if (end == v || errno || n < 0)
    return -1;
  while (isspace((unsigned char)*end))
    end++;
  if (*end == '.') { /* "1.5" seconds: round up to whole milliseconds below */
    return -1;
  }
  return *end ? -1 : n;
}

/* RFC 1123 date ("Wed, 21 Oct 2015 07:28:00 GMT") -> Unix ms, or -1. Locale-free. */
static int64_t parse_http_date(const char *s)
{
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const char *comma = strchr(s, ',');
  if (!comma)
    return -1;
  int day, year, hh, mm, ss;
  char mon[4] = { 0 };
  if (sscanf(comma + 1, " %d %3s %d %d:%d:%d", &day, mon, &year, &hh, &mm, &ss) != 6)
    return -1;
  const char *m = strstr(months, mon);
  if (!m || strlen(mon) != 3 || (m - months) % 3)
    return -1;
  struct tm tm = { 0 };
  tm.tm_mday = day;
  tm.tm_mon = (int)((m - months) / 3);
  tm.tm_year = year - 1900;
  tm.tm_hour = hh;
  tm.tm_min = mm;
  tm.tm_sec = ss;
  time_t t = timegm(&tm);
  return t == (time_t)-1 ? -1 : (int64_t)t * 1000;
}

int64_t az_retry_delay_ms(const struct az_retry_options *o, int attempt,
                          const struct az_headers *answer, int64_t wall_ms, uint32_t random)
{
  if (answer) {
    int64_t ms = int_header(answer, "retry-after-ms");
    if (ms < 0)
      ms = int_header(answer, "x-ms-retry-after-ms");
    if (ms >= 0)
      return ms;
    int64_t s = int_header(answer, "Retry-After");
    if (s >= 0)
      return s * 1000;
    const char *date = az_headers_get(answer, "Retry-After");
    int64_t at = date ? parse_http_date(date) : -1;
    if (at >= 0)
      return at > wall_ms ? at - wall_ms : 0;
  }
  /* base * 2^(attempt-1), capped, then spread over [0.8, 1.2) of itself and capped again */
  int64_t d = o->base_delay_ms;
  for (int i = 1; i < attempt && d < o->max_delay_ms; i++)
    d *= 2;
  if (d > o->max_delay_ms)
    d = o->max_delay_ms;
  d = d * (800 + (int64_t)(random % 400)) / 1000;
  if (d > o->max_delay_ms)
    d = o->max_delay_ms;
  return d;
}

/* Why the delay is what it is, for the log line. */
static void delay_source(const struct az_headers *h, char *out, size_t n)
{
  const char *names[] = { "retry-after-ms", "x-ms-retry-after-ms", "Retry-After" };
  for (size_t i = 0; i < 3; i++) {
    const char *v = az_headers_get(h, names[i]);
    if (v) {
      snprintf(out, n, "%s: %s", names[i], v);
      return;
    }
  }
  snprintf(out, n, "exponential back-off");
}

static enum az_step retry_after(struct az_request *r)
{
  struct az_client *c = r->client;
  bool failed_transport = r->x.transport_result != AZ_OK;
  if (!failed_transport && !retryable_status(r->x.status))
    return AZ_STEP_NEXT;
  if (failed_transport && !retryable_transport(r->x.transport_result))
    return AZ_STEP_NEXT;
  char *url = az_redact_url(r->url);
  char reason[320];
  if (failed_transport)
    snprintf(reason, sizeof(reason), "%s (%s)", az_result_str(r->x.transport_result),
             r->x.transport_message);
  else
    snprintf(reason, sizeof(reason), "HTTP %d", r->x.status);
  bool safe = r->idempotent || az_method_is_idempotent(r->method) ||
              (failed_transport && !r->x.request_sent);
  enum az_step step = AZ_STEP_NEXT;
  if (!safe) {
    az_log_write(&c->log, AZ_LOG_BASIC, "WARN",
                 "not retrying %s %s after %s: the request was sent and repeating it could "
                 "act twice",
                 r->method, url, reason);
  } else if (r->attempt > c->retry.max_retries) {
    az_log_write(&c->log, AZ_LOG_BASIC, "WARN", "giving up on %s %s after %d attempts: %s",
                 r->method, url, r->attempt, reason);
  } else {
    const struct az_headers *h = failed_transport ? NULL : &r->x.response_headers;
    int64_t delay = az_retry_delay_ms(&c->retry, r->attempt, h, az_wall_ms(c),
                                      c->clock->random_u32(c->clock->ud));
    int64_t now = az_now_ms(c);
    char source[128];
    if (h)
      delay_source(h, source, sizeof(source));
    else
      snprintf(source, sizeof(source), "exponential back-off");
    if (now + delay >= r->deadline_ms) {
      az_log_write(&c->log, AZ_LOG_BASIC, "WARN",
                   "not retrying %s %s after %s: waiting %lld ms (%s) would pass the call's "
                   "deadline",
                   r->method, url, reason, (long long)delay, source);
    } else {
      az_log_write(&c->log, AZ_LOG_BASIC, "WARN", "retry %d/%d of %s %s in %lld ms (%s) after %s",
                   r->attempt, c->retry.max_retries, r->method, url, (long long)delay, source,
                   reason);
      r->retry_at_ms = now + delay;
      step = AZ_STEP_RESEND;
    }
  }
  free(url);
  return step;
}

/* ---- log -------------------------------------------------------------------------- */

static void log_headers(struct az_log *log, const char *arrow, const struct az_headers *h)
{
  for (size_t i = 0; i < h->count; i++)
    az_log_write(log, AZ_LOG_HEADERS, "DEBUG", "  %s %s: %s", arrow, h->items[i].name,
                 az_redact_header(h->items[i].name, h->items[i].value));
}

static void log_body(struct az_log *log, const char *arrow, const char *content_type,
                     const char *body, size_t len)
{
  if (!az_log_enabled(log, AZ_LOG_BODIES) || !body || !len)
    return;
  char *clean = az_redact_body(content_type, body, len);
  size_t n = strlen(clean);
  az_log_write(log, AZ_LOG_BODIES, "TRACE", "  %s body (%zu bytes): %.*s%s", arrow, len,
               (int)(n > 8192 ? 8192 : n), clean, n > 8192 ? "..." : "");
  free(clean);
}

static enum az_step log_before(struct az_request *r)
{
  struct az_log *log = &r->client->log;
  if (r->token_only || !az_log_enabled(log, AZ_LOG_BASIC))
    return AZ_STEP_NEXT;
  char *url = az_redact_url(r->url);
  az_log_write(log, AZ_LOG_BASIC, "INFO", "%s %s (attempt %d, x-ms-client-request-id %s)",
               r->method, url, r->attempt, r->client_request_id);
  free(url);
  log_headers(log, ">", &r->headers);
  if (r->body.kind == AZ_BODY_MEMORY)
    log_body(log, ">", az_headers_get(&r->headers, "Content-Type"), r->body.data, r->body.len);
  return AZ_STEP_NEXT;
}

static enum az_step log_after(struct az_request *r)
{
  struct az_client *c = r->client;
  struct az_log *log = &c->log;
  if (!az_log_enabled(log, AZ_LOG_BASIC))
    return AZ_STEP_NEXT;
  char *url = az_redact_url(r->url);
  long long ms = (long long)(az_now_ms(c) - r->sent_ms);
  if (r->x.transport_result != AZ_OK) {
    char *msg = az_redact_text(r->x.transport_message);
    az_log_write(log, AZ_LOG_BASIC, "WARN", "%s %s failed after %lld ms: %s (%s)", r->method, url,
                 ms, az_result_str(r->x.transport_result), msg);
    free(msg);
  } else {
    const char *rid = az_headers_get(&r->x.response_headers, "x-ms-request-id");
    az_log_write(log, AZ_LOG_BASIC, r->x.status >= 400 ? "WARN" : "INFO", "%d %s %s in %lld ms%s%s",
                 r->x.status, r->method, url, ms, rid ? ", x-ms-request-id " : "", rid ? rid : "");
    log_headers(log, "<", &r->x.response_headers);
    log_body(log, "<", az_headers_get(&r->x.response_headers, "Content-Type"), r->sink.buf.buf,
             r->sink.buf.len);
  }
  free(url);
  return AZ_STEP_NEXT;
}

/* ---- transport ---------------------------------------------------------------------- */

static void print_dry_run(struct az_request *r)
{
  FILE *out = r->client->dry_run;
  char *url = az_redact_url(r->url);
  fprintf(out, "%s %s\n", r->method, url);
  free(url);
  if (r->body.kind == AZ_BODY_MEMORY && r->body.len) {
    char *clean =
        az_redact_body(az_headers_get(&r->headers, "Content-Type"), r->body.data, r->body.len);
    fprintf(out, "    %s\n", clean);
    free(clean);
  } else if (r->body.kind == AZ_BODY_FILE) {
    fprintf(out, "    (%lld bytes of file data)\n", (long long)r->body.length);
  }
  fflush(out);
}

/* A dry run answers writes itself: 200 and an echo, so that what follows can proceed. */
static void fake_write_answer(struct az_request *r)
{
  struct az_exchange *x = &r->x;
  az_exchange_reset_answer(x);
  x->status = 200;
  az_headers_add(&x->response_headers, "x-synwiz-dry-run", "true");
  az_headers_add(&x->response_headers, "Content-Type", "application/json");
  const char *ct = az_headers_get(&r->headers, "Content-Type");
  bool json_body = r->body.kind == AZ_BODY_MEMORY && ct && strstr(ct, "json");
  if (strcasecmp(r->method, "DELETE") == 0)
    return;
  if (json_body && strcasecmp(r->method, "POST") != 0)
    az_sink_write(&r->sink, r->body.data, r->body.len);
  else if (r->body.kind != AZ_BODY_FILE)
    az_sink_write(&r->sink, "{}", 2);
}

static enum az_step transport_before(struct az_request *r)
{
  struct az_client *c = r->client;
  if (r->token_only) {
    r->result = AZ_OK;
    return AZ_STEP_DONE;
  }
  if (c->dry_run && !r->internal) {
    if (!r->dry_printed) {
      print_dry_run(r);
      r->dry_printed = true;
    }
    if (az_method_is_write(r->method) && !r->read_only) {
      r->sent_ms = az_now_ms(c);
      fake_write_answer(r);
      r->answered = true;
      az_client_ready(c, r);
      return AZ_STEP_WAIT;
    }
  }
  int64_t now = az_now_ms(c);
  int64_t left = r->deadline_ms - now;
  if (left <= 0) {
    r->result = AZ_E_TIMEOUT;
    az_error_set(&r->error, AZ_E_TIMEOUT, "%s %s: no answer before the deadline", r->method,
                 r->url);
    return AZ_STEP_DONE;
  }
  struct az_exchange *x = &r->x;
  az_exchange_reset_answer(x);
  x->method = r->method;
  x->url = r->url;
  x->headers = &r->headers;
  x->body = &r->body;
  x->sink = &r->sink;
  x->timeout_ms = left > INT32_MAX ? INT32_MAX : (int)left;
  x->accept_encoding = r->sink.kind == AZ_SINK_MEMORY;
  r->sent_ms = now;
  enum az_result sr = c->transport->ops->start(c->transport, x);
  if (sr != AZ_OK) {
    x->transport_result = sr;
    snprintf(x->transport_message, sizeof(x->transport_message), "the transfer could not start");
    r->answered = true;
    az_client_ready(c, r);
    return AZ_STEP_WAIT;
  }
  c->transfers++;
  return AZ_STEP_WAIT;
}
