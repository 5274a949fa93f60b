#include "util/encode.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static char *encode(const void *data, size_t len, const char *alphabet, bool pad)
{
  const unsigned char *in = data;
  char *out = xmalloc(((len + 2) / 3) * 4 + 1);
  size_t o = 0, i = 0;
  for (; i + 2 < len; i += 3) {
    unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
    out[o++] = alphabet[v >> 18 & 63];
    out[o++] = alphabet[v >> 12 & 63];
    out[o++] = alphabet[v >> 6 & 63];
    out[o++] = alphabet[v & 63];
  }
  if (i < len) {
    unsigned v = (unsigned)in[i] << 16 | (i + 1 < len ? (unsigned)in[i + 1] << 8 : 0);
    out[o++] = alphabet[v >> 18 & 63];
    out[o++] = alphabet[v >> 12 & 63];
    if (i + 1 < len)
      out[o++] = alphabet[v >> 6 & 63];
    else if (pad)
      out[o++] = '=';
    if (pad)
      out[o++] = '=';
  }
  out[o] = '\0';
  return out;
}

char *b64_encode(const void *data, size_t len)
{
  return encode(data, len, b64_std, true);
}

char *b64url_encode(const void *data, size_t len)
{
  return encode(data, len, b64_url, false);
}

static int value_of(char c, const char *alphabet)
{
  const char *p = c ? strchr(alphabet, c) : NULL;
  return p ? (int)(p - alphabet) : -1;
}

static unsigned char *decode(const char *s, size_t *out_len, const char *alphabet, bool need_pad)
{
  size_t n = strlen(s);
  while (n && s[n - 1] == '=')
    n--;
  size_t padding = strlen(s) - n;
  if (padding > 2 || (need_pad && (n + padding) % 4 != 0) || n % 4 == 1)
    return NULL;
  unsigned char *out = xmalloc(n * 3 / 4 + 1);
  size_t o = 0;
  unsigned acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; i++) {
    int v = value_of(s[i], alphabet);
    if (v < 0) {
      free(out);
      return NULL;
    }
    acc = acc << 6 | (unsigned)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (unsigned char)(acc >> bits & 0xff);
    }
  }
  out[o] = '\0';
  if (out_len)
    *out_len = o;
  return out;
}

unsigned char *b64_decode(const char *s, size_t *out_len)
{
  return decode(s, out_len, b64_std, true);
}

unsigned char *b64url_decode(const char *s, size_t *out_len)
{
  return decode(s, out_len, b64_url, false);
}

char *hex_encode(const void *data, size_t len)
{
  static const char digits[] = "0123456789abcdef";
  const unsigned char *in = data;
  char *out = xmalloc(len * 2 + 1);
  for (size_t i = 0; i < len; i++) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 15];
  }
  out[len * 2] = '\0';
  return out;
}
