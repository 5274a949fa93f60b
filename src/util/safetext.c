#include "util/safetext.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decode one UTF-8 sequence at s[0..len). Returns its length and sets *cp, or 0 when the
 * bytes are not a valid, shortest-form encoding of a scalar value (overlong forms and
 * surrogates are refused: a terminal may act on what a lax decoder lets through). */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
  unsigned char b = s[0];
  size_t n;
  uint32_t v;
  uint32_t min;
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  if (b >= 0xc2 && b <= 0xdf) {
    n = 2;
    v = b & 0x1f;
    min = 0x80;
  } else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    v = b & 0x0f;
    min = 0x800;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    v = b & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (len < n) {
    return 0;
  }
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xc0) != 0x80) {
      return 0;
    }
    v = (v << 6) | (s[i] & 0x3f);
  }
  if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
    return 0;
  }
  *cp = v;
  return n;
}

/* Code points a terminal or a text layout acts on without showing them. */
static bool invisible_format(uint32_t cp)
{
  return (cp >= 0x80 && cp <= 0x9f)        /* C1 controls (CSI, OSC, ...) */
         || cp == 0xad                     /* soft hyphen */
         || cp == 0x061c                   /* Arabic letter mark */
         || (cp >= 0x200b && cp <= 0x200f) /* zero-width spaces and joiners, LRM, RLM */
         || (cp >= 0x2028 && cp <= 0x202e) /* line/paragraph separators, embeddings, overrides */
         || (cp >= 0x2060 && cp <= 0x206f) /* word joiner, isolates, deprecated format chars */
         || cp == 0xfeff;                  /* zero-width no-break space (BOM) */
}

bool safetext_append(struct strbuf *sb, const char *s, size_t len, size_t max_chars, unsigned flags)
{
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  size_t chars = 0;
  size_t i = 0;
  while (i < len) {
    if (max_chars && chars == max_chars) {
      return strbuf_puts(sb, "\xe2\x80\xa6"); /* U+2026, one cell */
    }
    uint32_t cp = 0;
    size_t n = utf8_decode(p + i, len - i, &cp);
    char esc[16];
    bool ok;
    if (n == 0) {
      snprintf(esc, sizeof esc, "\\x%02x", p[i]);
      ok = strbuf_puts(sb, esc);
      n = 1;
    } else if ((cp == '\n' && (flags & SAFETEXT_NEWLINES)) ||
               (cp == '\t' && (flags & SAFETEXT_TABS))) {
      ok = strbuf_putc(sb, (char)cp);
    } else if (cp < 0x20 || cp == 0x7f) {
      snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
      ok = strbuf_puts(sb, esc);
    } else if (invisible_format(cp)) {
      snprintf(esc, sizeof esc, "\\u{%04x}", (unsigned)cp);
      ok = strbuf_puts(sb, esc);
    } else {
      ok = strbuf_append(sb, p + i, n);
    }
    if (!ok) {
      return false;
    }
    i += n;
    chars++;
  }
  return true;
}

char *safetext_dup(const char *s, size_t max_chars, unsigned flags)
{
  struct strbuf sb;
  strbuf_init(&sb, 0);
  if (s) {
    safetext_append(&sb, s, strlen(s), max_chars, flags);
  }
  char *out = strbuf_detach(&sb, NULL);
  strbuf_done(&sb); /* detach leaves a fresh empty buffer behind */
  return out;
}

bool safetext_is_plain(const char *s, size_t max_chars, unsigned flags)
{
  if (!s) {
    return true;
  }
  char *safe = safetext_dup(s, max_chars, flags);
  bool same = strcmp(safe, s) == 0;
  free(safe);
  return same;
}

char *safetext_shell_word(const char *s)
{
  static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                              "_.,/:@%+=-";
  if (*s && strspn(s, plain) == strlen(s))
    return xstrdup(s);
  struct strbuf sb;
  strbuf_init(&sb, 0);
  strbuf_putc(&sb, '\'');
  for (const char *p = s; *p; p++) {
    if (*p == '\'')
      strbuf_puts(&sb, "'\\''");
    else
      strbuf_putc(&sb, *p);
  }
  strbuf_putc(&sb, '\'');
  char *out = strbuf_detach(&sb, NULL);
  strbuf_done(&sb); /* detach leaves a fresh buffer behind */
  return out;
}
