/*
 * uuid: random (version 4) GUIDs from OpenSSL's CSPRNG, and the GUID syntax check that
 * naming rules, role assignment names and request ids share.
 */
#ifndef SYNWIZ_UTIL_UUID_H
#define SYNWIZ_UTIL_UUID_H

#include <stdbool.h>

#define UUID_STR_LEN 37 /* 36 characters and the NUL */

/** Write a lower-case v4 GUID into out (UUID_STR_LEN bytes). */
void uuid_v4(char out[UUID_STR_LEN]);
/** 8-4-4-4-12 hexadecimal digits, either case, nothing else. */
bool uuid_is_valid(const char *s);

#endif
