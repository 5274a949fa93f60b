#include "azure/az_blob.h"
#include "azure/az_internal.h"
#include "azure/az_url.h"
#include "util/encode.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_BLOCK            (8 << 20)
#define MAX_BLOCKS               50000
#define DEFAULT_PARALLEL         4
#define MAX_PARALLEL             16
#define DEFAULT_BLOCK_TIMEOUT_MS (10 * 60 * 1000)

char *az_blob_url(const struct az_storage_account *a, const char *container, const char *blob)
{
  if (!container || !*container)
    return NULL;
  struct az_url u;
  az_url_init(&u, a->blob_endpoint);
  az_url_segment(&u, container);
  if (blob) {
    if (!*blob) {
      az_url_done(&u);
      return NULL;
    }
    az_url_segments(&u, blob);
  }
  char *s = az_url_finish(&u);
  az_url_done(&u);
  return s;
}

bool az_blob_parse_url(const char *url, char **out_account, char **out_endpoint,
                       char **out_container, char **out_blob)
{
  char *host = az_url_host(url);
  char *origin = az_url_origin(url);
  char *path = az_url_path_of(url);
  bool ok = false;
  *out_account = *out_endpoint = *out_container = *out_blob = NULL;
  const char *p = path + 1;
  char *account = NULL, *endpoint = NULL;
  if (host && az_url_host_is_path_style(host)) {
    size_t n = strcspn(p, "/");
    if (n) {
      account = xstrndup(p, n);
      endpoint = xasprintf("%s/%s", origin, account);
      p += n + (p[n] == '/');
    }
  } else if (host) {
    account = xstrndup(host, strcspn(host, "."));
    endpoint = xstrdup(origin);
  }
  size_t cl = strcspn(p, "/");
  if (account && cl) {
    *out_account = account;
    *out_endpoint = endpoint;
    *out_container = az_url_decode(p, cl);
    if (p[cl] == '/' && p[cl + 1])
      *out_blob = az_url_decode(p + cl + 1, strlen(p + cl + 1));
    ok = true;
  } else {
    free(account);
    free(endpoint);
  }
  free(host);
  free(origin);
  free(path);
  return ok;
}

static void storage_request(struct az_request *r, const struct az_storage_account *a)
{
  az_headers_set(&r->headers, "x-ms-version", AZ_STORAGE_VERSION);
  struct az_request_options o = { 0 };
  o.storage = a;
  az_request_apply_options(r, &o);
}

/* ---- upload ---------------------------------------------------------------------------- */

struct upload {
  const struct az_storage_account *account;
  char *url;
  char *content_type;
  int fd;
  int64_t size;
  int64_t block_size;
  int n_blocks;
  int next_block;
  int parallel;
  int timeout_ms;
  int64_t acked;
  struct az_request **inflight; /* one slot per parallel request */
  bool committing;
  struct az_request *single; /* Put Blob or Put Block List */
};

/* Equal-length block ids (the service requires it): base64 of "synwiz-block-NNNNNNNN". */
static char *block_id(int i)
{
  char raw[32];
  snprintf(raw, sizeof(raw), "synwiz-block-%08d", i);
  return b64_encode(raw, strlen(raw));
}

static void upload_fail(struct az_call *call, struct az_request *r)
{
  struct upload *u = call->state;
  for (int i = 0; i < u->parallel; i++) {
    if (u->inflight[i] && u->inflight[i] != r) {
      az_request_delete(u->inflight[i]);
      u->inflight[i] = NULL;
    }
  }
  az_call_finish_from_request(call, r);
}

static void single_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct upload *u = call->state;
  u->single = NULL;
  if (r->result == AZ_OK) {
    az_call_progress(call, u->size, u->size);
    az_call_finish_from_request(call, r);
  } else {
    upload_fail(call, r);
  }
  az_request_delete(r);
}

static void commit(struct az_call *call)
{
  struct upload *u = call->state;
  struct strbuf xml;
  strbuf_init(&xml, 0);
  strbuf_puts(&xml, "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
  for (int i = 0; i < u->n_blocks; i++) {
    char *id = block_id(i);
    strbuf_printf(&xml, "<Latest>%s</Latest>", id);
    free(id);
  }
  strbuf_puts(&xml, "</BlockList>");
  char *url = xasprintf("%s?comp=blocklist", u->url);
  struct az_request *r = az_request_new(call->client, "PUT", url, single_done, call);
  free(url);
  storage_request(r, u->account);
  az_headers_set(&r->headers, "x-ms-blob-content-type", u->content_type);
  az_request_set_body(r, xml.buf, xml.len, "application/xml");
  strbuf_done(&xml);
  u->committing = true;
  u->single = r;
  az_request_start(r);
}

static void start_block(struct az_call *call, int slot);

static void block_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct upload *u = call->state;
  int slot = -1;
  for (int i = 0; i < u->parallel; i++) {
    if (u->inflight[i] == r)
      slot = i;
  }
  if (slot >= 0)
    u->inflight[slot] = NULL;
  if (r->result != AZ_OK) {
    upload_fail(call, r);
    az_request_delete(r);
    return;
  }
  u->acked += az_body_size(&r->body);
  az_request_delete(r);
  az_call_progress(call, u->acked, u->size);
  if (u->next_block < u->n_blocks) {
    start_block(call, slot);
    return;
  }
  for (int i = 0; i < u->parallel; i++) {
    if (u->inflight[i])
      return; /* others still running */
  }
  commit(call);
}

static void start_block(struct az_call *call, int slot)
{
  struct upload *u = call->state;
  int i = u->next_block++;
  char *id = block_id(i);
  struct az_url b;
  az_url_init(&b, u->url);
  az_url_query(&b, "comp", "block");
  az_url_query(&b, "blockid", id);
  char *url = az_url_finish(&b);
  az_url_done(&b);
  free(id);
  struct az_request *r = az_request_new(call->client, "PUT", url, block_done, call);
  free(url);
  storage_request(r, u->account);
  int64_t offset = (int64_t)i * u->block_size;
  int64_t len = u->size - offset < u->block_size ? u->size - offset : u->block_size;
  az_body_set_file(&r->body, u->fd, offset, len);
  az_headers_set(&r->headers, "Content-Type", "application/octet-stream");
  r->deadline_ms = az_now_ms(call->client) + u->timeout_ms;
  u->inflight[slot] = r;
  az_request_start(r);
}

static void upload_cancel(struct az_call *call)
{
  struct upload *u = call->state;
  if (!u)
    return;
  for (int i = 0; i < u->parallel; i++) {
    az_request_delete(u->inflight[i]);
    u->inflight[i] = NULL;
  }
  az_request_delete(u->single);
  u->single = NULL;
}

static void upload_destroy(struct az_call *call)
{
  struct upload *u = call->state;
  if (!u)
    return;
  upload_cancel(call);
  if (u->fd >= 0)
    close(u->fd);
  free(u->url);
  free(u->content_type);
  free(u->inflight);
  free(u);
  call->state = NULL;
}

static const struct az_call_driver upload_driver = { "upload", upload_cancel, upload_destroy };

struct az_call *az_blob_upload_file(struct az_client *c, const struct az_storage_account *a,
                                    const char *container, const char *blob, const char *path,
                                    const struct az_blob_transfer_options *opts)
{
  char *url = az_blob_url(a, container, blob);
  if (!url)
    return az_call_failed(c, AZ_E_INVALID_ARG, "a blob upload needs a container and a blob name");
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    int e = errno;
    if (fd >= 0)
      close(fd);
    free(url);
    return az_call_failed(c, AZ_E_IO, "cannot read %s: %s", path,
                          fd >= 0 ? "not a regular file" : strerror(e));
  }
  struct upload *u = xcalloc(1, sizeof(*u));
  u->account = a;
  u->url = url;
  u->fd = fd;
  u->size = st.st_size;
  u->content_type =
      xstrdup(opts && opts->content_type ? opts->content_type : "application/octet-stream");
  u->block_size = opts && opts->block_size > 0 ? opts->block_size : DEFAULT_BLOCK;
  while (u->size / u->block_size >= MAX_BLOCKS)
    u->block_size *= 2;
  u->n_blocks = (int)((u->size + u->block_size - 1) / u->block_size);
  u->parallel = opts && opts->parallel > 0 ? opts->parallel : DEFAULT_PARALLEL;
  if (u->parallel > MAX_PARALLEL)
    u->parallel = MAX_PARALLEL;
  u->timeout_ms =
      opts && opts->block_timeout_ms > 0 ? opts->block_timeout_ms : DEFAULT_BLOCK_TIMEOUT_MS;
  u->inflight = xcalloc((size_t)u->parallel, sizeof(u->inflight[0]));
  struct az_call *call = az_call_new(c, &upload_driver, u);
  az_call_progress(call, 0, u->size);
  if (u->size <= u->block_size) {
    /* One Put Blob: fewer round trips, and the only way to write an empty blob. */
    struct az_request *r = az_request_new(c, "PUT", u->url, single_done, call);
    storage_request(r, a);
    az_headers_set(&r->headers, "x-ms-blob-type", "BlockBlob");
    az_headers_set(&r->headers, "Content-Type", u->content_type);
    if (u->size)
      az_body_set_file(&r->body, u->fd, 0, u->size);
    r->deadline_ms = az_now_ms(c) + u->timeout_ms;
    u->single = r;
    az_request_start(r);
    return call;
  }
  for (int i = 0; i < u->parallel && u->next_block < u->n_blocks; i++)
    start_block(call, i);
  return call;
}

/* ---- download --------------------------------------------------------------------------- */

struct download {
  const struct az_storage_account *account;
  char *url;
  char *path;
  char *part;
  int fd;
  int64_t size;
  int64_t chunk;
  int64_t next_offset;
  int64_t received;
  int parallel;
  int timeout_ms;
  struct az_request **inflight;
  struct az_request *head;
};

static void download_abort(struct download *d)
{
  for (int i = 0; i < d->parallel; i++) {
    az_request_delete(d->inflight[i]);
    d->inflight[i] = NULL;
  }
  az_request_delete(d->head);
  d->head = NULL;
  if (d->fd >= 0) {
    close(d->fd);
    d->fd = -1;
    unlink(d->part);
  }
}

static void download_complete(struct az_call *call)
{
  struct download *d = call->state;
  if (ftruncate(d->fd, d->size) != 0 || fsync(d->fd) != 0 || close(d->fd) != 0 ||
      rename(d->part, d->path) != 0) {
    int e = errno;
    d->fd = -1;
    unlink(d->part);
    az_error_set(&call->error, AZ_E_IO, "cannot write %s: %s", d->path, strerror(e));
    az_call_finish(call, AZ_E_IO);
    return;
  }
  d->fd = -1;
  az_call_progress(call, d->size, d->size);
  json_decref(call->json);
  call->json = json_pack("{s:s, s:I}", "path", d->path, "size", (json_int_t)d->size);
  az_call_finish(call, AZ_OK);
}

static void start_range(struct az_call *call, int slot);

static void range_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct download *d = call->state;
  for (int i = 0; i < d->parallel; i++) {
    if (d->inflight[i] == r)
      d->inflight[i] = NULL;
  }
  int64_t expected = r->driver_data;
  if (r->result == AZ_OK && r->sink.written != expected) {
    r->result = AZ_E_BAD_RESPONSE;
    az_error_set(&r->error, AZ_E_BAD_RESPONSE, "a range of %s came back short (%lld of %lld bytes)",
                 d->url, (long long)r->sink.written, (long long)expected);
  }
  if (r->result != AZ_OK) {
    az_call_finish_from_request(call, r);
    az_request_delete(r);
    download_abort(d);
    return;
  }
  d->received += r->sink.written;
  az_request_delete(r);
  az_call_progress(call, d->received, d->size);
  int slot = 0;
  while (slot < d->parallel && d->inflight[slot])
    slot++;
  if (d->next_offset < d->size) {
    start_range(call, slot);
    return;
  }
  for (int i = 0; i < d->parallel; i++) {
    if (d->inflight[i])
      return;
  }
  download_complete(call);
}

static void start_range(struct az_call *call, int slot)
{
  struct download *d = call->state;
  int64_t from = d->next_offset;
  int64_t len = d->size - from < d->chunk ? d->size - from : d->chunk;
  d->next_offset += len;
  struct az_request *r = az_request_new(call->client, "GET", d->url, range_done, call);
  storage_request(r, d->account);
  char range[64];
  snprintf(range, sizeof(range), "bytes=%lld-%lld", (long long)from, (long long)(from + len - 1));
  az_headers_set(&r->headers, "x-ms-range", range);
  az_sink_done(&r->sink);
  az_sink_init_file(&r->sink, d->fd, from);
  r->driver_data = len;
  r->deadline_ms = az_now_ms(call->client) + d->timeout_ms;
  d->inflight[slot] = r;
  az_request_start(r);
}

static void head_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct download *d = call->state;
  d->head = NULL;
  if (r->result != AZ_OK) {
    az_call_finish_from_request(call, r);
    az_request_delete(r);
    download_abort(d);
    return;
  }
  const char *len = az_headers_get(&r->x.response_headers, "Content-Length");
  char *end = NULL;
  long long size = len ? strtoll(len, &end, 10) : -1;
  bool valid = len && end != len && !*end && size >= 0;
  az_request_delete(r);
  if (!valid) {
    az_error_set(&call->error, AZ_E_BAD_RESPONSE, "the blob's size is unknown");
    az_call_finish(call, AZ_E_BAD_RESPONSE);
    download_abort(d);
    return;
  }
  d->size = size;
  az_call_progress(call, 0, d->size);
  if (d->size == 0) {
    download_complete(call);
    return;
  }
  for (int i = 0; i < d->parallel && d->next_offset < d->size; i++)
    start_range(call, i);
}

static void download_cancel(struct az_call *call)
{
  struct download *d = call->state;
  if (d)
    download_abort(d);
}

static void download_destroy(struct az_call *call)
{
  struct download *d = call->state;
  if (!d)
    return;
  download_abort(d);
  free(d->url);
  free(d->path);
  free(d->part);
  free(d->inflight);
  free(d);
  call->state = NULL;
}

static const struct az_call_driver download_driver = { "download", download_cancel,
                                                       download_destroy };

struct az_call *az_blob_download_file(struct az_client *c, const struct az_storage_account *a,
                                      const char *container, const char *blob, const char *path,
                                      const struct az_blob_transfer_options *opts)
{
  char *url = az_blob_url(a, container, blob);
  if (!url)
    return az_call_failed(c, AZ_E_INVALID_ARG, "a blob download needs a container and a blob name");
  struct download *d = xcalloc(1, sizeof(*d));
  d->account = a;
  d->url = url;
  d->path = xstrdup(path);
  d->part = xasprintf("%s.part", path);
  d->fd = open(d->part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  d->chunk = opts && opts->block_size > 0 ? opts->block_size : DEFAULT_BLOCK;
  d->parallel = opts && opts->parallel > 0 ? opts->parallel : DEFAULT_PARALLEL;
  if (d->parallel > MAX_PARALLEL)
    d->parallel = MAX_PARALLEL;
  d->timeout_ms =
      opts && opts->block_timeout_ms > 0 ? opts->block_timeout_ms : DEFAULT_BLOCK_TIMEOUT_MS;
  d->inflight = xcalloc((size_t)d->parallel, sizeof(d->inflight[0]));
  struct az_call *call = az_call_new(c, &download_driver, d);
  if (d->fd < 0) {
    az_error_set(&call->error, AZ_E_IO, "cannot create %s: %s", d->part, strerror(errno));
    az_call_finish(call, AZ_E_IO);
    return call;
  }
  struct az_request *r = az_request_new(c, "HEAD", d->url, head_done, call);
  storage_request(r, a);
  d->head = r;
  az_request_start(r);
  return call;
}

/* ---- read (streamed to a callback) ------------------------------------------------------- */

#define DEFAULT_READ_CHUNK    (1 << 20)
#define DEFAULT_READ_PARALLEL 4

/* Ranges in flight, in the blob's order: a ring of `parallel` slots from `head`. A range
 * that arrives early waits in its slot until those before it were delivered, so the
 * callback sees the blob in order while the next ranges are already on their way. */
struct read_slot {
  struct az_request *req;
  bool done;
};

struct reader {
  const struct az_storage_account *account;
  char *url;
  int64_t size;
  int64_t chunk;
  int64_t next_offset;
  int64_t delivered;
  int parallel;
  int timeout_ms;
  az_blob_chunk_fn fn;
  void *ud;
  struct az_request *head_req; /* the HEAD */
  struct read_slot *slots;
  int head, count;
};

static void read_abort(struct reader *rd)
{
  az_request_delete(rd->head_req);
  rd->head_req = NULL;
  for (int i = 0; rd->slots && i < rd->parallel; i++) {
    az_request_delete(rd->slots[i].req);
    rd->slots[i].req = NULL;
    rd->slots[i].done = false;
  }
  rd->count = 0;
}

static void read_finish(struct az_call *call)
{
  struct reader *rd = call->state;
  az_call_progress(call, rd->size, rd->size);
  json_decref(call->json);
  call->json = json_pack("{s:I}", "size", (json_int_t)rd->size);
  az_call_finish(call, AZ_OK);
}

static void read_range_done(struct az_request *r);

static void read_start_range(struct az_call *call)
{
  struct reader *rd = call->state;
  int64_t from = rd->next_offset;
  int64_t len = rd->size - from < rd->chunk ? rd->size - from : rd->chunk;
  rd->next_offset += len;
  struct az_request *r = az_request_new(call->client, "GET", rd->url, read_range_done, call);
  storage_request(r, rd->account);
  char range[64];
  snprintf(range, sizeof(range), "bytes=%lld-%lld", (long long)from, (long long)(from + len - 1));
  az_headers_set(&r->headers, "x-ms-range", range);
  az_sink_done(&r->sink);
  az_sink_init_memory(&r->sink, (size_t)len + 1);
  r->driver_data = len;
  r->deadline_ms = az_now_ms(call->client) + rd->timeout_ms;
  struct read_slot *slot = &rd->slots[(rd->head + rd->count) % rd->parallel];
  slot->req = r;
  slot->done = false;
  rd->count++;
  az_request_start(r);
}

static void read_fill(struct az_call *call)
{
  struct reader *rd = call->state;
  while (rd->count < rd->parallel && rd->next_offset < rd->size)
    read_start_range(call);
}

static void read_range_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct reader *rd = call->state;
  size_t len = 0;
  if (r->result == AZ_OK)
    az_request_body(r, &len);
  if (r->result == AZ_OK && (int64_t)len != r->driver_data) {
    r->result = AZ_E_BAD_RESPONSE;
    az_error_set(&r->error, AZ_E_BAD_RESPONSE, "a range of %s came back short (%zu of %lld bytes)",
                 rd->url, len, (long long)r->driver_data);
  }
  if (r->result != AZ_OK) {
    az_call_finish_from_request(call, r);
    read_abort(rd); /* deletes r too */
    return;
  }
  for (int i = 0; i < rd->parallel; i++) {
    if (rd->slots[i].req == r)
      rd->slots[i].done = true;
  }
  /* Deliver every range that is next in order. */
  while (rd->count && rd->slots[rd->head].done) {
    struct read_slot *slot = &rd->slots[rd->head];
    size_t n = 0;
    const char *body = az_request_body(slot->req, &n);
    bool go_on = rd->fn(rd->ud, body, n);
    rd->delivered += (int64_t)n;
    az_request_delete(slot->req);
    slot->req = NULL;
    slot->done = false;
    rd->head = (rd->head + 1) % rd->parallel;
    rd->count--;
    if (!go_on) {
      read_abort(rd);
      az_error_set(&call->error, AZ_E_CANCELED, "reading %s was stopped by its reader", rd->url);
      az_call_finish(call, AZ_E_CANCELED);
      return;
    }
    az_call_progress(call, rd->delivered, rd->size);
  }
  read_fill(call);
  if (!rd->count)
    read_finish(call);
}

static void read_head_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct reader *rd = call->state;
  rd->head_req = NULL;
  if (r->result != AZ_OK) {
    az_call_finish_from_request(call, r);
    az_request_delete(r);
    return;
  }
  const char *len = az_headers_get(&r->x.response_headers, "Content-Length");
  char *end = NULL;
  long long size = len ? strtoll(len, &end, 10) : -1;
  bool valid = len && end != len && !*end && size >= 0;
  az_request_delete(r);
  if (!valid) {
    az_error_set(&call->error, AZ_E_BAD_RESPONSE, "the blob's size is unknown");
    az_call_finish(call, AZ_E_BAD_RESPONSE);
    return;
  }
  rd->size = size;
  az_call_progress(call, 0, rd->size);
  if (rd->size == 0)
    read_finish(call);
  else
    read_fill(call);
}

static void read_cancel(struct az_call *call)
{
  struct reader *rd = call->state;
  if (rd)
    read_abort(rd);
}

static void read_destroy(struct az_call *call)
{
  struct reader *rd = call->state;
  if (!rd)
    return;
  read_abort(rd);
  free(rd->slots);
  free(rd->url);
  free(rd);
  call->state = NULL;
}

static const struct az_call_driver read_driver = { "blob read", read_cancel, read_destroy };

struct az_call *az_blob_read(struct az_client *c, const struct az_storage_account *a,
                             const char *container, const char *blob,
                             const struct az_blob_transfer_options *opts, az_blob_chunk_fn fn,
                             void *ud)
{
  char *url = az_blob_url(a, container, blob);
  if (!url)
    return az_call_failed(c, AZ_E_INVALID_ARG, "a blob read needs a container and a blob name");
  struct reader *rd = xcalloc(1, sizeof(*rd));
  rd->account = a;
  rd->url = url;
  rd->chunk = opts && opts->block_size > 0 ? opts->block_size : DEFAULT_READ_CHUNK;
  rd->parallel = opts && opts->parallel > 0 ? opts->parallel : DEFAULT_READ_PARALLEL;
  if (rd->parallel > MAX_PARALLEL)
    rd->parallel = MAX_PARALLEL;
  rd->slots = xcalloc((size_t)rd->parallel, sizeof(rd->slots[0]));
  rd->timeout_ms =
      opts && opts->block_timeout_ms > 0 ? opts->block_timeout_ms : DEFAULT_BLOCK_TIMEOUT_MS;
  rd->fn = fn;
  rd->ud = ud;
  struct az_call *call = az_call_new(c, &read_driver, rd);
  struct az_request *r = az_request_new(c, "HEAD", rd->url, read_head_done, call);
  storage_request(r, a);
  rd->head_req = r;
  az_request_start(r);
  return call;
}

/* ---- list ------------------------------------------------------------------------------ */

/* The text of <tag>…</tag> inside [s, end), entities decoded; NULL if absent. */
static char *xml_field(const char *s, const char *end, const char *tag)
{
  char open[64], close[64];
  snprintf(open, sizeof(open), "<%s>", tag);
  snprintf(close, sizeof(close), "</%s>", tag);
  const char *a = strstr(s, open);
  if (!a || a >= end)
    return NULL;
  a += strlen(open);
  const char *b = strstr(a, close);
  if (!b || b > end)
    return NULL;
  struct strbuf sb;
  strbuf_init(&sb, 0);
  static const struct {
    const char *ent;
    char c;
  } ents[] = {
    { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' }
  };
  for (const char *p = a; p < b;) {
    bool done = false;
    for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
      size_t n = strlen(ents[i].ent);
      if ((size_t)(b - p) >= n && strncmp(p, ents[i].ent, n) == 0) {
        strbuf_putc(&sb, ents[i].c);
        p += n;
        done = true;
        break;
      }
    }
    if (!done)
      strbuf_putc(&sb, *p++);
  }
  char *res = strbuf_detach(&sb, NULL);
  strbuf_done(&sb);
  return res;
}

struct lister {
  const struct az_storage_account *account;
  char *base_url;
  json_t *items;
  char *last_marker;
  struct az_request *req;
};

static void list_page(struct az_call *call, const char *marker);

static void list_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct lister *l = call->state;
  l->req = NULL;
  if (r->result != AZ_OK) {
    az_call_finish_from_request(call, r);
    az_request_delete(r);
    return;
  }
  size_t len = 0;
  const char *xml = az_request_body(r, &len);
  const char *end = xml + len;
  for (const char *p = strstr(xml, "<Blob>"); p; p = strstr(p + 6, "<Blob>")) {
    const char *q = strstr(p, "</Blob>");
    if (!q)
      break;
    char *name = xml_field(p, q, "Name");
    char *size = xml_field(p, q, "Content-Length");
    char *modified = xml_field(p, q, "Last-Modified");
    char *ctype = xml_field(p, q, "Content-Type");
    char *etag = xml_field(p, q, "Etag");
    if (name) {
      json_t *item = json_pack("{s:s}", "name", name);
      if (size)
        json_object_set_new(item, "size", json_integer(strtoll(size, NULL, 10)));
      if (modified)
        json_object_set_new(item, "lastModified", json_string(modified));
      if (ctype)
        json_object_set_new(item, "contentType", json_string(ctype));
      if (etag)
        json_object_set_new(item, "etag", json_string(etag));
      json_array_append_new(l->items, item);
    }
    free(name);
    free(size);
    free(modified);
    free(ctype);
    free(etag);
  }
  char *next = xml_field(xml, end, "NextMarker");
  az_request_delete(r);
  if (next && *next) {
    if (l->last_marker && strcmp(l->last_marker, next) == 0) {
      free(next);
      az_error_set(&call->error, AZ_E_BAD_RESPONSE, "the blob list repeated its next marker");
      az_call_finish(call, AZ_E_BAD_RESPONSE);
      return;
    }
    free(l->last_marker);
    l->last_marker = next;
    list_page(call, next);
    return;
  }
  free(next);
  json_decref(call->json);
  call->json = json_pack("{s:O}", "value", l->items);
  az_call_finish(call, AZ_OK);
}

static void list_page(struct az_call *call, const char *marker)
{
  struct lister *l = call->state;
  struct az_url u;
  az_url_init(&u, l->base_url);
  if (marker)
    az_url_query(&u, "marker", marker);
  char *url = az_url_finish(&u);
  az_url_done(&u);
  struct az_request *r = az_request_new(call->client, "GET", url, list_done, call);
  free(url);
  storage_request(r, l->account);
  az_headers_set(&r->headers, "Accept", "application/xml");
  l->req = r;
  az_request_start(r);
}

static void list_cancel(struct az_call *call)
{
  struct lister *l = call->state;
  if (l && l->req) {
    az_request_delete(l->req);
    l->req = NULL;
  }
}

static void list_destroy(struct az_call *call)
{
  struct lister *l = call->state;
  if (!l)
    return;
  list_cancel(call);
  free(l->base_url);
  json_decref(l->items);
  free(l->last_marker);
  free(l);
  call->state = NULL;
}

static const struct az_call_driver list_driver = { "blob list", list_cancel, list_destroy };

struct az_call *az_blob_list(struct az_client *c, const struct az_storage_account *a,
                             const char *container, const char *prefix)
{
  char *url = az_blob_url(a, container, NULL);
  if (!url)
    return az_call_failed(c, AZ_E_INVALID_ARG, "listing blobs needs a container");
  struct az_url u;
  az_url_init(&u, url);
  free(url);
  az_url_query(&u, "restype", "container");
  az_url_query(&u, "comp", "list");
  if (prefix && *prefix)
    az_url_query(&u, "prefix", prefix);
  struct lister *l = xcalloc(1, sizeof(*l));
  l->account = a;
  l->base_url = az_url_finish(&u);
  az_url_done(&u);
  l->items = json_array();
  struct az_call *call = az_call_new(c, &list_driver, l);
  list_page(call, NULL);
  return call;
}

/* ---- container --------------------------------------------------------------------------- */

static void container_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  call->state = NULL;
  if (r->x.status == 409 && r->error.code && strcmp(r->error.code, "ContainerAlreadyExists") == 0) {
    az_call_take_answer(call, r);
    json_decref(call->json);
    call->json = json_pack("{s:b}", "created", 0);
    az_call_finish(call, AZ_OK);
  } else {
    az_call_finish_from_request(call, r);
    if (r->result == AZ_OK) {
      json_decref(call->json);
      call->json = json_pack("{s:b}", "created", 1);
    }
  }
  az_request_delete(r);
}

static void container_cancel(struct az_call *call)
{
  if (call->state) {
    az_request_delete(call->state);
    call->state = NULL;
  }
}

static const struct az_call_driver container_driver = { "container", container_cancel,
                                                        container_cancel };

struct az_call *az_blob_create_container(struct az_client *c, const struct az_storage_account *a,
                                         const char *container)
{
  char *base = az_blob_url(a, container, NULL);
  if (!base)
    return az_call_failed(c, AZ_E_INVALID_ARG, "a container needs a name");
  char *url = xasprintf("%s?restype=container", base);
  free(base);
  struct az_call *call = az_call_new(c, &container_driver, NULL);
  struct az_request *r = az_request_new(c, "PUT", url, container_done, call);
  free(url);
  storage_request(r, a);
  call->state = r;
  az_request_start(r);
  return call;
}
