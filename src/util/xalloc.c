#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static xalloc_fatal_hook fatal_hook;

void xalloc_set_fatal_hook(xalloc_fatal_hook hook)
{
  fatal_hook = hook;
}

static void out_of_memory(size_t size)
{
  if (fatal_hook)
    fatal_hook();
  fprintf(stderr, "synwiz: out of memory (asked for %zu bytes)\n", size);
  exit(4);
}

void *xmalloc(size_t size)
{
  void *p = malloc(size ? size : 1);
  if (!p)
    out_of_memory(size);
  return p;
}

void *xcalloc(size_t count, size_t size)
{
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p)
    out_of_memory(count * size);
  return p;
}

void *xrealloc(void *ptr, size_t size)
{
  void *p = realloc(ptr, size ? size : 1);
  if (!p)
    out_of_memory(size);
  return p;
}

void *xgrow(void *ptr, size_t *ref_cap, size_t need, size_t item)
{
  if (need <= *ref_cap)
    return ptr;
  size_t cap = *ref_cap ? *ref_cap : 4;
  while (cap < need)
    cap *= 2;
  if (item && cap > (size_t)-1 / item)
    out_of_memory((size_t)-1);
  ptr = xrealloc(ptr, cap * item);
  *ref_cap = cap;
  return ptr;
}

char *xstrdup(const char *s)
{
  return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
  size_t len = strnlen(s, n);
  char *p = xmalloc(len + 1);
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

char *xasprintf(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    out_of_memory(0);
  char *p = xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void secure_wipe(void *ptr, size_t len)
{
  if (ptr && len)
    OPENSSL_cleanse(ptr, len);
}

void xfree_secret(char *s)
{
  if (!s)
    return;
  secure_wipe(s, strlen(s));
  free(s);
}
