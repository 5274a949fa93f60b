/*
 * az_result: the one result code of the Azure client (src/azure/).
 *
 * Every function of src/azure/ that can fail returns an enum az_result (or records one in
 * the call it drives). Each code belongs to one class, which is what callers branch on:
 *   AZ_CLASS_OK        success
 *   AZ_CLASS_CANCELED  the user (or the program) cancelled the call
 *   AZ_CLASS_LOCAL     bad input, configuration or a local file: nothing reached Azure
 *   AZ_CLASS_REFUSED   Azure answered and refused (400/401/403/404/409, sign-in refusals,
 *                      a long-running operation that ended Failed)
 *   AZ_CLASS_FAILURE   the network or the service failed (5xx, throttling after every
 *                      retry, timeouts, connection and TLS errors, unreadable answers)
 * The CLI maps the classes to exit codes 0, 1, 2, 3 and 4 (src/cli/cli.h).
 *
 * Codes, messages and classes come from one X-macro table, so they cannot drift apart.
 */
#ifndef SYNWIZ_AZURE_AZ_RESULT_H
#define SYNWIZ_AZURE_AZ_RESULT_H

#define AZ_NODISCARD __attribute__((warn_unused_result))

enum az_result_class {
  AZ_CLASS_OK,
  AZ_CLASS_CANCELED,
  AZ_CLASS_LOCAL,
  AZ_CLASS_REFUSED,
  AZ_CLASS_FAILURE,
};

/* X(code, class, message) */
#define AZ_RESULT_TABLE(X)                                                        \
  X(AZ_OK, AZ_CLASS_OK, "done")                                                   \
  X(AZ_E_CANCELED, AZ_CLASS_CANCELED, "cancelled")                                \
  X(AZ_E_INVALID_ARG, AZ_CLASS_LOCAL, "invalid argument")                         \
  X(AZ_E_CONFIG, AZ_CLASS_LOCAL, "the configuration is missing or invalid")       \
  X(AZ_E_IO, AZ_CLASS_LOCAL, "a local file could not be read or written")         \
  X(AZ_E_NOT_SIGNED_IN, AZ_CLASS_REFUSED, "not signed in")                        \
  X(AZ_E_AUTH, AZ_CLASS_REFUSED, "sign-in was refused")                           \
  X(AZ_E_DECLINED, AZ_CLASS_REFUSED, "the sign-in was declined")                  \
  X(AZ_E_CODE_EXPIRED, AZ_CLASS_REFUSED, "the sign-in code expired")              \
  X(AZ_E_BAD_REQUEST, AZ_CLASS_REFUSED, "Azure rejected the request")             \
  X(AZ_E_UNAUTHORIZED, AZ_CLASS_REFUSED, "Azure did not accept the credentials")  \
  X(AZ_E_FORBIDDEN, AZ_CLASS_REFUSED, "access denied")                            \
  X(AZ_E_NOT_FOUND, AZ_CLASS_REFUSED, "not found")                                \
  X(AZ_E_CONFLICT, AZ_CLASS_REFUSED, "conflict with the current state")           \
  X(AZ_E_OPERATION_FAILED, AZ_CLASS_REFUSED, "the operation failed")              \
  X(AZ_E_THROTTLED, AZ_CLASS_FAILURE, "too many requests (throttled)")            \
  X(AZ_E_SERVICE, AZ_CLASS_FAILURE, "the service failed")                         \
  X(AZ_E_BAD_RESPONSE, AZ_CLASS_FAILURE, "unexpected answer from the service")    \
  X(AZ_E_CONNECT, AZ_CLASS_FAILURE, "could not connect")                          \
  X(AZ_E_TLS, AZ_CLASS_FAILURE, "the server's certificate could not be verified") \
  X(AZ_E_NETWORK, AZ_CLASS_FAILURE, "network error")                              \
  X(AZ_E_TIMEOUT, AZ_CLASS_FAILURE, "timed out")

enum az_result {
#define AZ_RESULT_ENUM(code, cls, msg) code,
  AZ_RESULT_TABLE(AZ_RESULT_ENUM)
#undef AZ_RESULT_ENUM
};

/** A short lower-case sentence for `r` ("access denied"). Never NULL. */
const char *az_result_str(enum az_result r);
/** The symbolic name ("AZ_E_FORBIDDEN"), for logs and tests. */
const char *az_result_name(enum az_result r);
enum az_result_class az_result_class(enum az_result r);
/** The result an HTTP status stands for (2xx/3xx = AZ_OK). */
enum az_result az_result_from_status(int status);

static inline int az_failed(enum az_result r)
{
  return r != AZ_OK;
}

#endif
