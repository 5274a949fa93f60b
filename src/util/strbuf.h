/*
 * strbuf: a growable, always NUL-terminated byte buffer with an optional size limit.
 *
 * Embeddable: strbuf_init() / strbuf_done(). A limit of 0 means unlimited; an append that
 * would pass the limit fails (returns false) and leaves the buffer unchanged, so a caller
 * reading from the network cannot be made to allocate without bound. Allocation failures
 * never return (see xalloc.h). The buffer may hold NUL bytes; `len` is authoritative.
 */
#ifndef SYNWIZ_UTIL_STRBUF_H
#define SYNWIZ_UTIL_STRBUF_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>

struct strbuf {
  char *buf; /* never NULL after init; always NUL-terminated */
  size_t len;
  size_t cap;
  size_t limit; /* 0 = unlimited */
};

void strbuf_init(struct strbuf *sb, size_t limit);
void strbuf_done(struct strbuf *sb);
/** Like strbuf_done, but wipes the content first (for buffers that held secrets). */
void strbuf_done_secret(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
bool strbuf_append(struct strbuf *sb, const void *data, size_t len);
bool strbuf_puts(struct strbuf *sb, const char *s);
bool strbuf_putc(struct strbuf *sb, char c);
bool strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/** Percent-encode `s` per RFC 3986 (unreserved characters kept). */
bool strbuf_put_urlencoded(struct strbuf *sb, const char *s);
/** Hand the heap string to the caller and leave `sb` empty (still initialised). */
char *strbuf_detach(struct strbuf *sb, size_t *out_len);

#endif
