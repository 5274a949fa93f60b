#include "az_fake.h"

#include "util/encode.h"
#include "util/fsutil.h"
#include "util/xalloc.h"

#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pending_x {
  struct az_exchange *x;
  struct azfake_reply reply;
  int64_t ready_at;
};

struct azfake {
  struct az_transport base;
  struct az_clock clock;
  int64_t now_ms;
  int64_t wall_base_ms;
  uint32_t random;
  struct azfake_reply *queue;
  size_t queued, queue_cap, queue_head;
  struct azfake_record *records;
  size_t n_records, records_cap;
  struct pending_x *inflight;
  size_t n_inflight, inflight_cap;
  azfake_handler handler;
  void *handler_ud;
  size_t waits;
};

static int64_t fake_mono(void *ud)
{
  return ((struct azfake *)ud)->now_ms;
}

static int64_t fake_wall(void *ud)
{
  struct azfake *f = ud;
  return f->wall_base_ms + f->now_ms;
}

static uint32_t fake_random(void *ud)
{
  return ((struct azfake *)ud)->random;
}

static void record(struct azfake *f, struct az_exchange *x)
{
  f->records = xgrow(f->records, &f->records_cap, f->n_records + 1, sizeof(f->records[0]));
  struct azfake_record *r = &f->records[f->n_records++];
  memset(r, 0, sizeof(*r));
  r->method = xstrdup(x->method);
  r->url = xstrdup(x->url);
  az_headers_init(&r->headers);
  az_headers_copy(&r->headers, x->headers);
  r->at_ms = f->now_ms;
  if (x->body && x->body->kind != AZ_BODY_NONE) {
    int64_t size = az_body_size(x->body);
    r->body = xmalloc((size_t)size + 1);
    az_body_rewind(x->body);
    size_t got = 0;
    while ((int64_t)got < size) {
      ssize_t n = az_body_read(x->body, r->body + got, (size_t)size - got);
      if (n <= 0)
        break;
      got += (size_t)n;
    }
    az_body_rewind(x->body);
    r->body[got] = '\0';
    r->body_len = got;
  }
}

static enum az_result fake_start(struct az_transport *t, struct az_exchange *x)
{
  struct azfake *f = (struct azfake *)t;
  record(f, x);
  struct azfake_reply reply = { 0 };
  bool have = false;
  if (f->handler)
    have = f->handler(f, &f->records[f->n_records - 1], &reply, f->handler_ud);
  if (!have) {
    if (f->queue_head < f->queued) {
      reply = f->queue[f->queue_head++]; /* ownership moves to the exchange */
    } else {
      reply.status = 599;
      reply.body = xstrdup("no scripted answer left");
    }
  }
  f->inflight = xgrow(f->inflight, &f->inflight_cap, f->n_inflight + 1, sizeof(f->inflight[0]));
  struct pending_x *p = &f->inflight[f->n_inflight++];
  p->x = x;
  p->reply = reply;
  p->ready_at = f->now_ms + reply.delay_ms;
  x->transport_data = p->x; /* non-NULL: started */
  return AZ_OK;
}

static void free_reply(struct azfake_reply *r)
{
  free(r->headers);
  free(r->body);
}

static void fake_abort(struct az_transport *t, struct az_exchange *x)
{
  struct azfake *f = (struct azfake *)t;
  for (size_t i = 0; i < f->n_inflight; i++) {
    if (f->inflight[i].x == x) {
      free_reply(&f->inflight[i].reply);
      memmove(&f->inflight[i], &f->inflight[i + 1],
              (f->n_inflight - i - 1) * sizeof(f->inflight[0]));
      f->n_inflight--;
      break;
    }
  }
  x->transport_data = NULL;
}

static void deliver(struct azfake *f, struct pending_x p)
{
  struct az_exchange *x = p.x;
  if (p.reply.fail != AZ_OK) {
    x->transport_result = p.reply.fail;
    x->request_sent = p.reply.sent;
    snprintf(x->transport_message, sizeof(x->transport_message), "scripted failure");
  } else {
    x->transport_result = AZ_OK;
    x->request_sent = true;
    x->status = p.reply.status;
    if (p.reply.headers) {
      const char *line = p.reply.headers;
      while (*line) {
        size_t n = strcspn(line, "\n");
        az_headers_add_line(&x->response_headers, line, n);
        line += n + (line[n] == '\n');
      }
    }
    if (p.reply.body && *p.reply.body) {
      if (x->sink->kind == AZ_SINK_FILE && x->status >= 300)
        x->sink->error_answer = true;
      az_sink_write(x->sink, p.reply.body, strlen(p.reply.body));
    }
  }
  free_reply(&p.reply);
  x->transport_data = NULL;
  x->on_complete(x);
}

static void fake_perform(struct az_transport *t)
{
  struct azfake *f = (struct azfake *)t;
  for (;;) {
    size_t i = 0;
    while (i < f->n_inflight && f->inflight[i].ready_at > f->now_ms)
      i++;
    if (i == f->n_inflight)
      return;
    struct pending_x p = f->inflight[i];
    memmove(&f->inflight[i], &f->inflight[i + 1], (f->n_inflight - i - 1) * sizeof(f->inflight[0]));
    f->n_inflight--;
    deliver(f, p);
  }
}

static int fake_wait(struct az_transport *t, const int *fds, size_t n, int timeout_ms,
                     int *out_readable)
{
  struct azfake *f = (struct azfake *)t;
  *out_readable = 0;
  /* Real fds (a self-pipe, a test's pipe) are looked at without blocking. */
  int readable = 0;
  for (size_t i = 0; i < n; i++) {
    struct pollfd p = { fds[i], POLLIN, 0 };
    if (poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP)))
      readable++;
  }
  if (readable) {
    *out_readable = readable;
    return 0;
  }
  int64_t next = INT64_MAX;
  for (size_t i = 0; i < f->n_inflight; i++)
    next = f->inflight[i].ready_at < next ? f->inflight[i].ready_at : next;
  int64_t target = timeout_ms < 0 ? next : f->now_ms + timeout_ms;
  if (next < target)
    target = next;
  if (target == INT64_MAX)
    return -1; /* nothing would ever wake us: the test is wrong */
  if (target > f->now_ms)
    f->now_ms = target;
  f->waits++;
  return 0;
}

static void fake_destroy(struct az_transport *t)
{
  /* The test owns the fake and frees it after the client (azfake_delete). */
  struct azfake *f = (struct azfake *)t;
  for (size_t i = 0; i < f->n_inflight; i++)
    free_reply(&f->inflight[i].reply);
  f->n_inflight = 0;
}

static const struct az_transport_ops fake_ops = { fake_start, fake_abort, fake_perform, fake_wait,
                                                  fake_destroy };

struct azfake *azfake_new(void)
{
  struct azfake *f = xcalloc(1, sizeof(*f));
  f->base.ops = &fake_ops;
  f->clock.monotonic_ms = fake_mono;
  f->clock.wall_ms = fake_wall;
  f->clock.random_u32 = fake_random;
  f->clock.ud = f;
  f->now_ms = 1000000;
  f->wall_base_ms = (int64_t)1767225600 * 1000; /* 2026-01-01T00:00:00Z */
  f->random = 200;                              /* jitter factor exactly 1.0 */
  return f;
}

void azfake_delete(struct azfake *f)
{
  if (!f)
    return;
  for (size_t i = f->queue_head; i < f->queued; i++)
    free_reply(&f->queue[i]);
  free(f->queue);
  for (size_t i = 0; i < f->n_records; i++) {
    free(f->records[i].method);
    free(f->records[i].url);
    az_headers_done(&f->records[i].headers);
    free(f->records[i].body);
  }
  free(f->records);
  for (size_t i = 0; i < f->n_inflight; i++)
    free_reply(&f->inflight[i].reply);
  free(f->inflight);
  free(f);
}

void azfake_push_delayed(struct azfake *f, int delay_ms, int status, const char *headers,
                         const char *body)
{
  f->queue = xgrow(f->queue, &f->queue_cap, f->queued + 1, sizeof(f->queue[0]));
  struct azfake_reply *r = &f->queue[f->queued++];
  memset(r, 0, sizeof(*r));
  r->status = status;
  r->headers = headers ? xstrdup(headers) : NULL;
  r->body = body ? xstrdup(body) : NULL;
  r->delay_ms = delay_ms;
}

void azfake_push(struct azfake *f, int status, const char *headers, const char *body)
{
  azfake_push_delayed(f, 0, status, headers, body);
}

void azfake_push_failure(struct azfake *f, enum az_result fail, bool sent)
{
  azfake_push(f, 0, NULL, NULL);
  f->queue[f->queued - 1].fail = fail;
  f->queue[f->queued - 1].sent = sent;
}

void azfake_set_handler(struct azfake *f, azfake_handler fn, void *ud)
{
  f->handler = fn;
  f->handler_ud = ud;
}

size_t azfake_count(const struct azfake *f)
{
  return f->n_records;
}

const struct azfake_record *azfake_request(const struct azfake *f, size_t i)
{
  return i < f->n_records ? &f->records[i] : NULL;
}

size_t azfake_pending(const struct azfake *f)
{
  return f->queued - f->queue_head;
}

size_t azfake_count_url(const struct azfake *f, const char *part)
{
  size_t n = 0;
  for (size_t i = 0; i < f->n_records; i++)
    n += strstr(f->records[i].url, part) != NULL;
  return n;
}

int64_t azfake_now(const struct azfake *f)
{
  return f->now_ms;
}

void azfake_advance(struct azfake *f, int64_t ms)
{
  f->now_ms += ms;
}

size_t azfake_waits(const struct azfake *f)
{
  return f->waits;
}

size_t azfake_inflight(const struct azfake *f)
{
  return f->n_inflight;
}

void azfake_set_random(struct azfake *f, uint32_t v)
{
  f->random = v;
}

const struct az_clock *azfake_clock(struct azfake *f)
{
  return &f->clock;
}

struct az_transport *azfake_transport(struct azfake *f)
{
  return &f->base;
}

struct az_client *azfake_client_opts(struct azfake *f, const char *cloud,
                                     struct az_credential *cred, const char *log_path,
                                     int verbosity, FILE *dry_run)
{
  struct az_client_options o;
  az_client_options_default(&o);
  o.cloud = az_cloud_builtin(cloud ? cloud : "AzureCloud");
  o.credential = cred;
  o.transport = &f->base;
  o.clock = &f->clock;
  o.log_path = log_path ? log_path : "";
  o.verbosity = verbosity;
  o.dry_run = dry_run;
  struct az_client *c = NULL;
  struct az_error err;
  az_error_init(&err);
  if (az_client_new(&o, &c, &err) != AZ_OK)
    abort();
  az_error_done(&err);
  return c;
}

struct az_client *azfake_client(struct azfake *f, const char *cloud, struct az_credential *cred)
{
  return azfake_client_opts(f, cloud, cred, NULL, 0, NULL);
}

bool azfake_answer_tokens(struct azfake *f, const struct azfake_record *req,
                          struct azfake_reply *out, void *ud)
{
  (void)f;
  (void)ud;
  if (!strstr(req->url, "/oauth2/v2.0/token"))
    return false;
  out->status = 200;
  out->body = azfake_token_body("tok", 3600);
  return true;
}

struct az_client *azfake_signed_in_client(struct azfake **out_fake)
{
  *out_fake = azfake_new();
  azfake_set_handler(*out_fake, azfake_answer_tokens, NULL);
  return azfake_client(*out_fake, "AzureCloud", azfake_secret_credential());
}

struct az_credential *azfake_secret_credential(void)
{
  return az_credential_client_secret("t1", "c1", "s3cr3t-value-123");
}

char *azfake_token_body(const char *token, int expires_in)
{
  return xasprintf("{\"token_type\":\"Bearer\",\"expires_in\":%d,\"access_token\":\"%s\"}",
                   expires_in, token);
}

char *azfake_jwt(const char *claims_json)
{
  const char *header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
  char *h = b64url_encode(header, strlen(header));
  char *c = b64url_encode(claims_json, strlen(claims_json));
  char *t = xasprintf("%s.%s.c2lnbmF0dXJl", h, c);
  free(h);
  free(c);
  return t;
}

char *azfake_tempdir(void)
{
  const char *base = getenv("TMPDIR");
  char *tmpl = xasprintf("%s/synwiz-az-XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp(tmpl))
    abort();
  return tmpl;
}

char *azfake_read_file(const char *path)
{
  char *data = NULL;
  size_t len = 0;
  if (fs_read_all(path, &data, &len, 0) != 0)
    return NULL;
  return data;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

void azfake_rmtree(const char *path)
{
  nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
