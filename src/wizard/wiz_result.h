/*
 * wiz_result: the result codes of the wizard engine (src/wizard), with their messages from
 * one X-macro table. Every engine function that can fail returns one of these; the message
 * of a code is wiz_strerror(code). Details (which field, which rule) travel separately, as
 * strings the caller shows.
 */
#ifndef SYNWIZ_WIZARD_WIZ_RESULT_H
#define SYNWIZ_WIZARD_WIZ_RESULT_H

#define WIZ_RESULT_TABLE(X)                                   \
  X(WIZ_OK, "done")                                           \
  X(WIZ_E_IO, "the file could not be read or written")        \
  X(WIZ_E_JSON, "the file is not valid JSON")                 \
  X(WIZ_E_SCHEMA, "the form does not follow the form schema") \
  X(WIZ_E_INVALID, "an answer is missing or invalid")         \
  X(WIZ_E_NOT_FOUND, "not found")                             \
  X(WIZ_E_STATE, "not possible at this point of the wizard")  \
  X(WIZ_E_BUSY, "still loading")                              \
  X(WIZ_E_CANCELLED, "cancelled")                             \
  X(WIZ_E_HOST, "the host refused the request")               \
  X(WIZ_E_TIMEOUT, "timed out")

enum wiz_result {
#define WIZ_RESULT_ENUM(name, msg) name,
  WIZ_RESULT_TABLE(WIZ_RESULT_ENUM)
#undef WIZ_RESULT_ENUM
};

/** The message of a result code (a static string). */
const char *wiz_strerror(enum wiz_result r);
/** The name of a result code, e.g. "WIZ_E_JSON" (for logs and tests). */
const char *wiz_result_name(enum wiz_result r);

#endif
