/* Fuzz target: safetext must turn any bytes into text a terminal shows and does not act
 * on: valid UTF-8, no C0 control but a kept '\n', no DEL, no C1 control, no bidirectional
 * override, and never more characters than asked for (plus the ellipsis). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/safetext.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t check_utf8(const unsigned char *s, size_t len)
{
  size_t chars = 0;
  for (size_t i = 0; i < len; chars++) {
    unsigned char b = s[i];
    size_t n = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    if (b >= 0x80 && (b < 0xc2 || b > 0xf4))
      abort();
    if (i + n > len)
      abort();
    uint32_t cp = n == 1 ? b : (uint32_t)(b & (0x7f >> n));
    for (size_t k = 1; k < n; k++) {
      if ((s[i + k] & 0xc0) != 0x80)
        abort();
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if ((cp < 0x20 && cp != '\n') || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
      abort();
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200f ||
        cp == 0x200e || cp == 0x061c)
      abort();
    i += n;
  }
  return chars;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  unsigned flags = data[0] & 1 ? SAFETEXT_NEWLINES : 0;
  size_t max = data[0] >> 1; /* 0 = no cut */
  struct strbuf sb;
  strbuf_init(&sb, 0);
  safetext_append(&sb, (const char *)data + 1, size - 1, max, flags);
  if (strlen(sb.buf) != sb.len)
    abort(); /* no NUL may pass through */
  if (!(flags & SAFETEXT_NEWLINES) && memchr(sb.buf, '\n', sb.len))
    abort();
  size_t chars = check_utf8((const unsigned char *)sb.buf, sb.len);
  /* Each input character becomes at most one escape of at most 9 characters ("\u{10ffff}"
   * is not produced: only BMP format characters are escaped that way). */
  if (max && chars > max * 9 + 1)
    abort();
  strbuf_done(&sb);
  return 0;
}
