#include "azure/az_url.h"
#include "util/xalloc.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void az_url_init(struct az_url *u, const char *base)
{
  strbuf_init(&u->sb, 0);
  strbuf_puts(&u->sb, base);
  while (u->sb.len && u->sb.buf[u->sb.len - 1] == '/')
    u->sb.buf[--u->sb.len] = '\0';
  u->has_query = strchr(base, '?') != NULL;
}

void az_url_done(struct az_url *u)
{
  strbuf_done(&u->sb);
}

void az_url_path(struct az_url *u, const char *literal)
{
  while (*literal == '/')
    literal++;
  strbuf_putc(&u->sb, '/');
  strbuf_puts(&u->sb, literal);
}

void az_url_segment(struct az_url *u, const char *segment)
{
  strbuf_putc(&u->sb, '/');
  strbuf_put_urlencoded(&u->sb, segment);
}

void az_url_segments(struct az_url *u, const char *path)
{
  while (*path == '/')
    path++;
  char *copy = xstrdup(path);
  char *p = copy;
  for (;;) {
    char *slash = strchr(p, '/');
    if (slash)
      *slash = '\0';
    az_url_segment(u, p);
    if (!slash)
      break;
    p = slash + 1;
  }
  free(copy);
}

void az_url_query(struct az_url *u, const char *name, const char *value)
{
  strbuf_putc(&u->sb, u->has_query ? '&' : '?');
  u->has_query = true;
  strbuf_put_urlencoded(&u->sb, name);
  strbuf_putc(&u->sb, '=');
  strbuf_put_urlencoded(&u->sb, value);
}

char *az_url_finish(struct az_url *u)
{
  u->has_query = false;
  return strbuf_detach(&u->sb, NULL);
}

/* Where the authority starts and ends: "scheme://AUTHORITY/..." */
static const char *authority(const char *url, size_t *out_len)
{
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  size_t n = strcspn(p, "/?#");
  /* drop userinfo */
  const char *at = memchr(p, '@', n);
  if (at) {
    n -= (size_t)(at + 1 - p);
    p = at + 1;
  }
  *out_len = n;
  return p;
}

char *az_url_host(const char *url)
{
  size_t n;
  const char *a = authority(url, &n);
  size_t hl;
  if (n && a[0] == '[') {
    const char *close = memchr(a, ']', n);
    if (!close)
      return NULL;
    a++;
    hl = (size_t)(close - a);
  } else {
    const char *colon = memchr(a, ':', n);
    hl = colon ? (size_t)(colon - a) : n;
  }
  if (!hl)
    return NULL;
  char *h = xstrndup(a, hl);
  for (char *p = h; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  return h;
}

char *az_url_origin(const char *url)
{
  size_t n;
  const char *a = authority(url, &n);
  return xstrndup(url, (size_t)(a - url) + n);
}

char *az_url_path_of(const char *url)
{
  size_t n;
  const char *a = authority(url, &n);
  const char *p = a + n;
  size_t pl = strcspn(p, "?#");
  if (!pl)
    return xstrdup("/");
  return xstrndup(p, pl);
}

char *az_url_query_of(const char *url)
{
  const char *q = strchr(url, '?');
  if (!q)
    return NULL;
  q++;
  return xstrndup(q, strcspn(q, "#"));
}

static int hexval(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

char *az_url_decode(const char *s, size_t len)
{
  char *out = xmalloc(len + 1);
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      out[o++] = s[i];
    }
  }
  out[o] = '\0';
  return out;
}

char *az_url_query_get(const char *url, const char *name)
{
  const char *q = strchr(url, '?');
  if (!q)
    return NULL;
  q++;
  size_t nl = strlen(name);
  while (*q && *q != '#') {
    size_t plen = strcspn(q, "&#");
    const char *eq = memchr(q, '=', plen);
    size_t klen = eq ? (size_t)(eq - q) : plen;
    if (klen == nl && strncmp(q, name, nl) == 0)
      return eq ? az_url_decode(eq + 1, plen - klen - 1) : xstrdup("");
    q += plen;
    if (*q == '&')
      q++;
  }
  return NULL;
}

bool az_url_host_is_path_style(const char *host)
{
  if (!host)
    return false;
  if (strcasecmp(host, "localhost") == 0)
    return true;
  unsigned char buf[16];
  return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

bool az_url_is_https(const char *url)
{
  return strncasecmp(url, "https://", 8) == 0;
}

char *az_url_build(const char *base, const char *pattern, ...)
{
  struct az_url u;
  az_url_init(&u, base);
  va_list ap;
  va_start(ap, pattern);
  bool ok = true;
  const char *p = pattern;
  while (*p) {
    if (strncmp(p, "{}", 2) == 0 || strncmp(p, "{/}", 3) == 0) {
      bool multi = p[1] == '/';
      const char *arg = va_arg(ap, const char *);
      if (!arg || !*arg) {
        ok = false;
        break;
      }
      /* the pattern supplies the slash before a placeholder */
      if (u.sb.len && u.sb.buf[u.sb.len - 1] == '/')
        u.sb.buf[--u.sb.len] = '\0';
      if (multi)
        az_url_segments(&u, arg);
      else
        az_url_segment(&u, arg);
      p += multi ? 3 : 2;
    } else {
      strbuf_putc(&u.sb, *p++);
    }
  }
  va_end(ap);
  char *res = ok ? az_url_finish(&u) : NULL;
  az_url_done(&u);
  return res;
}

char *az_url_with_version(char *url, const char *api_version)
{
  if (!url)
    return NULL;
  char *res = xasprintf("%s%capi-version=%s", url, strchr(url, '?') ? '&' : '?', api_version);
  free(url);
  return res;
}
