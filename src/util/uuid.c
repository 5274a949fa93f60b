#include "util/uuid.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

void uuid_v4(char out[UUID_STR_LEN])
{
  unsigned char b[16];
  if (RAND_bytes(b, sizeof(b)) != 1) {
    /* Without randomness no identifier is safe to send; this is not recoverable. */
    fputs("synwiz: the system random generator failed\n", stderr);
    abort();
  }
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
  static const char digits[] = "0123456789abcdef";
  size_t o = 0;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out[o++] = '-';
    out[o++] = digits[b[i] >> 4];
    out[o++] = digits[b[i] & 15];
  }
  out[o] = '\0';
}

bool uuid_is_valid(const char *s)
{
  if (!s || strlen(s) != 36)
    return false;
  for (int i = 0; i < 36; i++) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-')
        return false;
    } else if (!isxdigit((unsigned char)s[i])) {
      return false;
    }
  }
  return true;
}
