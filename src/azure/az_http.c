#include "azure/az_http.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void az_headers_init(struct az_headers *h)
{
  h->items = NULL;
  h->count = h->cap = 0;
}

static void free_header(struct az_header *hd)
{
  free(hd->name);
  xfree_secret(hd->value);
}

void az_headers_clear(struct az_headers *h)
{
  for (size_t i = 0; i < h->count; i++)
    free_header(&h->items[i]);
  h->count = 0;
}

void az_headers_done(struct az_headers *h)
{
  az_headers_clear(h);
  free(h->items);
  az_headers_init(h);
}

void az_headers_add(struct az_headers *h, const char *name, const char *value)
{
  h->items = xgrow(h->items, &h->cap, h->count + 1, sizeof(h->items[0]));
  h->items[h->count].name = xstrdup(name);
  h->items[h->count].value = xstrdup(value);
  h->count++;
}

void az_headers_remove(struct az_headers *h, const char *name)
{
  size_t o = 0;
  for (size_t i = 0; i < h->count; i++) {
    if (strcasecmp(h->items[i].name, name) == 0)
      free_header(&h->items[i]);
    else
      h->items[o++] = h->items[i];
  }
  h->count = o;
}

void az_headers_set(struct az_headers *h, const char *name, const char *value)
{
  az_headers_remove(h, name);
  az_headers_add(h, name, value);
}

const char *az_headers_get(const struct az_headers *h, const char *name)
{
  for (size_t i = 0; i < h->count; i++) {
    if (strcasecmp(h->items[i].name, name) == 0)
      return h->items[i].value;
  }
  return NULL;
}

void az_headers_copy(struct az_headers *dst, const struct az_headers *src)
{
  for (size_t i = 0; i < src->count; i++)
    az_headers_add(dst, src->items[i].name, src->items[i].value);
}

void az_headers_add_line(struct az_headers *h, const char *line, size_t len)
{
  while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    len--;
  const char *colon = memchr(line, ':', len);
  if (!colon || colon == line)
    return; /* the status line, or the blank line that ends the headers */
  size_t nlen = (size_t)(colon - line);
  const char *v = colon + 1;
  const char *end = line + len;
  while (v < end && (*v == ' ' || *v == '\t'))
    v++;
  while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  char *name = xstrndup(line, nlen);
  char *value = xstrndup(v, (size_t)(end - v));
  az_headers_add(h, name, value);
  free(name);
  xfree_secret(value);
}

void az_body_init(struct az_body *b)
{
  memset(b, 0, sizeof(*b));
  b->kind = AZ_BODY_NONE;
  b->fd = -1;
}

void az_body_done(struct az_body *b)
{
  if (b->kind == AZ_BODY_MEMORY && b->data) {
    secure_wipe(b->data, b->len);
    free(b->data);
  }
  az_body_init(b);
}

void az_body_set_memory(struct az_body *b, char *data, size_t len)
{
  az_body_done(b);
  b->kind = AZ_BODY_MEMORY;
  b->data = data;
  b->len = len;
}

void az_body_set_file(struct az_body *b, int fd, int64_t offset, int64_t length)
{
  az_body_done(b);
  b->kind = AZ_BODY_FILE;
  b->fd = fd;
  b->offset = offset;
  b->length = length;
}

int64_t az_body_size(const struct az_body *b)
{
  switch (b->kind) {
  case AZ_BODY_MEMORY:
    return (int64_t)b->len;
  case AZ_BODY_FILE:
    return b->length;
  default:
    return 0;
  }
}

ssize_t az_body_read(struct az_body *b, void *buf, size_t max)
{
  int64_t left = az_body_size(b) - b->pos;
  if (left <= 0)
    return 0;
  size_t n = (uint64_t)left < max ? (size_t)left : max;
  if (b->kind == AZ_BODY_MEMORY) {
    memcpy(buf, b->data + b->pos, n);
    b->pos += (int64_t)n;
    return (ssize_t)n;
  }
  for (;;) {
    ssize_t r = pread(b->fd, buf, n, (off_t)(b->offset + b->pos));
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (r == 0)
      return -1; /* the file shrank under us */
    b->pos += r;
    return r;
  }
}

void az_body_rewind(struct az_body *b)
{
  b->pos = 0;
}

void az_sink_init_memory(struct az_sink *s, size_t limit)
{
  memset(s, 0, sizeof(*s));
  s->kind = AZ_SINK_MEMORY;
  strbuf_init(&s->buf, limit);
  s->fd = -1;
}

void az_sink_init_file(struct az_sink *s, int fd, int64_t offset)
{
  memset(s, 0, sizeof(*s));
  s->kind = AZ_SINK_FILE;
  /* An error answer to a download is small JSON or XML: keep it for the error report. */
  strbuf_init(&s->buf, 64 * 1024);
  s->fd = fd;
  s->offset = offset;
}

void az_sink_done(struct az_sink *s)
{
  /* Answers can hold tokens (token endpoint) or keys (listKeys): wipe. */
  strbuf_done_secret(&s->buf);
}

bool az_sink_write(struct az_sink *s, const void *data, size_t len)
{
  if (s->kind == AZ_SINK_MEMORY || s->error_answer) {
    if (!strbuf_append(&s->buf, data, len)) {
      s->overflow = true;
      return false;
    }
    return true;
  }
  const char *p = data;
  size_t left = len;
  while (left) {
    ssize_t w = pwrite(s->fd, p, left, (off_t)(s->offset + s->written));
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      s->io_error = true;
      return false;
    }
    p += w;
    left -= (size_t)w;
    s->written += w;
  }
  return true;
}

void az_sink_reset(struct az_sink *s)
{
  strbuf_reset(&s->buf);
  s->written = 0;
  s->overflow = false;
  s->io_error = false;
  s->error_answer = false;
}

void az_exchange_reset_answer(struct az_exchange *x)
{
  x->status = 0;
  az_headers_clear(&x->response_headers);
  x->transport_result = AZ_OK;
  x->transport_message[0] = '\0';
  x->request_sent = false;
  if (x->sink)
    az_sink_reset(x->sink);
  if (x->body)
    az_body_rewind(x->body);
}

bool az_method_is_idempotent(const char *method)
{
  static const char *const safe[] = { "GET", "HEAD", "PUT", "DELETE", "OPTIONS" };
  for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++) {
    if (strcasecmp(method, safe[i]) == 0)
      return true;
  }
  return false;
}

bool az_method_is_write(const char *method)
{
  return strcasecmp(method, "GET") != 0 && strcasecmp(method, "HEAD") != 0 &&
         strcasecmp(method, "OPTIONS") != 0;
}
