#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(struct strbuf *sb, size_t limit)
{
  sb->cap = 64;
  sb->buf = xmalloc(sb->cap);
  sb->buf[0] = '\0';
  sb->len = 0;
  sb->limit = limit;
}

void strbuf_done(struct strbuf *sb)
{
  free(sb->buf);
  sb->buf = NULL;
  sb->len = sb->cap = 0;
}

void strbuf_done_secret(struct strbuf *sb)
{
  if (sb->buf)
    secure_wipe(sb->buf, sb->cap);
  strbuf_done(sb);
}

void strbuf_reset(struct strbuf *sb)
{
  sb->len = 0;
  sb->buf[0] = '\0';
}

static bool reserve(struct strbuf *sb, size_t extra)
{
  if (extra > (size_t)-1 - sb->len - 1)
    return false;
  size_t need = sb->len + extra + 1;
  if (sb->limit && need - 1 > sb->limit)
    return false;
  if (need > sb->cap) {
    size_t cap = sb->cap;
    while (cap < need)
      cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    sb->buf = xrealloc(sb->buf, cap);
    sb->cap = cap;
  }
  return true;
}

bool strbuf_append(struct strbuf *sb, const void *data, size_t len)
{
  if (!reserve(sb, len))
    return false;
  if (len)
    memcpy(sb->buf + sb->len, data, len);
  sb->len += len;
  sb->buf[sb->len] = '\0';
  return true;
}

bool strbuf_puts(struct strbuf *sb, const char *s)
{
  return strbuf_append(sb, s, strlen(s));
}

bool strbuf_putc(struct strbuf *sb, char c)
{
  return strbuf_append(sb, &c, 1);
}

bool strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  if (n < 0 || !reserve(sb, (size_t)n)) {
    va_end(again);
    return false;
  }
  vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, again);
  va_end(again);
  sb->len += (size_t)n;
  return true;
}

bool strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  bool ok = strbuf_vprintf(sb, fmt, ap);
  va_end(ap);
  return ok;
}

bool strbuf_put_urlencoded(struct strbuf *sb, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned char c = *p;
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.' || c == '~';
    if (keep) {
      if (!strbuf_putc(sb, (char)c))
        return false;
    } else {
      char enc[3] = { '%', hex[c >> 4], hex[c & 15] };
      if (!strbuf_append(sb, enc, 3))
        return false;
    }
  }
  return true;
}

char *strbuf_detach(struct strbuf *sb, size_t *out_len)
{
  char *s = sb->buf;
  if (out_len)
    *out_len = sb->len;
  size_t limit = sb->limit;
  strbuf_init(sb, limit);
  return s;
}
