/*
 * encode: base64 (RFC 4648 section 4), base64url without padding (section 5, as JWTs use),
 * and lower-case hex. Encoders return fresh heap strings. Decoders return a fresh buffer,
 * NUL-terminated for convenience, or NULL when the input is not valid for that alphabet.
 */
#ifndef SYNWIZ_UTIL_ENCODE_H
#define SYNWIZ_UTIL_ENCODE_H

#include <stddef.h>

char *b64_encode(const void *data, size_t len);
char *b64url_encode(const void *data, size_t len);
unsigned char *b64_decode(const char *s, size_t *out_len);
/** Accepts base64url with or without padding. */
unsigned char *b64url_decode(const char *s, size_t *out_len);
char *hex_encode(const void *data, size_t len);

#endif
