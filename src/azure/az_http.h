/*
 * az_http: the plain data of one HTTP exchange, shared by the pipeline and the transports.
 *
 *   struct az_headers   an ordered list of (name, value) pairs; names compare without case.
 *                       Values are wiped when freed, because some (Authorization) are secrets.
 *   struct az_body      what a request sends: nothing, a heap buffer (owned, wiped when
 *                       freed: token requests carry secrets) or a byte range of an open file
 *                       (read with pread, so a retry re-reads it and memory stays bounded).
 *   struct az_sink      where an answer goes: a size-limited memory buffer, or an open file
 *                       at an offset (downloads). az_sink_reset() forgets a partial answer
 *                       before a retry.
 *   struct az_exchange  one attempt: the request as it goes on the wire, the answer, and the
 *                       transport's verdict. The transport fills the answer fields and calls
 *                       `on_complete` exactly once per started exchange (never from inside
 *                       its start function).
 */
#ifndef SYNWIZ_AZURE_AZ_HTTP_H
#define SYNWIZ_AZURE_AZ_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "azure/az_result.h"
#include "util/strbuf.h"

struct az_header {
  char *name;
  char *value;
};

struct az_headers {
  struct az_header *items;
  size_t count;
  size_t cap;
};

void az_headers_init(struct az_headers *h);
void az_headers_done(struct az_headers *h);
void az_headers_clear(struct az_headers *h);
/** Append (a header may repeat). */
void az_headers_add(struct az_headers *h, const char *name, const char *value);
/** Replace every header of that name by one with `value`. */
void az_headers_set(struct az_headers *h, const char *name, const char *value);
void az_headers_remove(struct az_headers *h, const char *name);
/** The first value of `name`, or NULL. */
const char *az_headers_get(const struct az_headers *h, const char *name);
void az_headers_copy(struct az_headers *dst, const struct az_headers *src);
/** Parse one raw "Name: value\r\n" line (as a transport receives it) and append it. */
void az_headers_add_line(struct az_headers *h, const char *line, size_t len);

enum az_body_kind {
  AZ_BODY_NONE,
  AZ_BODY_MEMORY,
  AZ_BODY_FILE,
};

struct az_body {
  enum az_body_kind kind;
  char *data; /* AZ_BODY_MEMORY: owned */
  size_t len;
  int fd; /* AZ_BODY_FILE: borrowed, open for reading */
  int64_t offset;
  int64_t length;
  int64_t pos; /* the transport's read position, 0..size */
};

void az_body_init(struct az_body *b);
void az_body_done(struct az_body *b);
/** Take ownership of `data` (a heap buffer of `len` bytes). */
void az_body_set_memory(struct az_body *b, char *data, size_t len);
void az_body_set_file(struct az_body *b, int fd, int64_t offset, int64_t length);
int64_t az_body_size(const struct az_body *b);
/** Copy up to `max` bytes from the current position; returns the count, or -1 on I/O error. */
ssize_t az_body_read(struct az_body *b, void *buf, size_t max);
void az_body_rewind(struct az_body *b);

enum az_sink_kind {
  AZ_SINK_MEMORY,
  AZ_SINK_FILE,
};

struct az_sink {
  enum az_sink_kind kind;
  struct strbuf buf; /* AZ_SINK_MEMORY, with its limit */
  int fd;            /* AZ_SINK_FILE: borrowed, written with pwrite */
  int64_t offset;
  int64_t written;
  bool overflow; /* the answer passed the memory limit */
  bool io_error;
  /* Set by the transport when the status is not 2xx: a file sink then keeps the (small)
   * error body in `buf` instead of writing it into the user's file. */
  bool error_answer;
};

void az_sink_init_memory(struct az_sink *s, size_t limit);
void az_sink_init_file(struct az_sink *s, int fd, int64_t offset);
void az_sink_done(struct az_sink *s);
/** Append bytes; false when the limit is passed or the file write failed. */
bool az_sink_write(struct az_sink *s, const void *data, size_t len);
void az_sink_reset(struct az_sink *s);

struct az_exchange;
typedef void (*az_exchange_done_fn)(struct az_exchange *x);

struct az_exchange {
  /* Request, set by the pipeline before the transport starts it. */
  const char *method;
  const char *url;
  const struct az_headers *headers;
  struct az_body *body;
  struct az_sink *sink;
  int timeout_ms;       /* this attempt's limit (the call's deadline minus now) */
  bool accept_encoding; /* let the transport ask for and decode gzip (not for blob bytes) */

  /* Answer, set by the transport. */
  int status; /* 0 when no answer came */
  struct az_headers response_headers;
  enum az_result transport_result; /* AZ_OK when an answer (of any status) came */
  char transport_message[256];
  bool request_sent; /* false only when nothing of the request left this machine */

  az_exchange_done_fn on_complete;
  void *owner;          /* the pipeline's request */
  void *transport_data; /* the transport's handle while started */
};

void az_exchange_reset_answer(struct az_exchange *x);

/* Methods that may be repeated without changing the outcome (RFC 9110 9.2.2). */
bool az_method_is_idempotent(const char *method);
/* Methods that change something (what a dry run does not send). */
bool az_method_is_write(const char *method);

#endif
