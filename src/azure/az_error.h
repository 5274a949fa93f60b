/*
 * az_error: what went wrong with a call, in one shape for every Azure service.
 *
 *   result      the az_result (its class decides the CLI's exit code)
 *   status      the HTTP status of the final answer (0 when none came)
 *   code        Azure's error code: "AuthorizationFailed" (ARM, Synapse), "AADSTS7000215"
 *               (Entra; the OAuth error, e.g. "invalid_client", is in oauth_error),
 *               "ContainerAlreadyExists" (storage), or NULL
 *   message     Azure's message (secrets redacted), or synwiz's own description
 *   details     the nested details' "code: message" lines, joined with "; ", or NULL
 *   request_id  x-ms-request-id (or the correlation / Entra trace id), or NULL
 *   hint        plain-words advice from the hint table (az_hint.c), or NULL
 * az_error_from_answer() understands: ARM/Synapse {"error":{code,message,details}},
 * Synapse's top-level {code,message} (either case), Entra/IMDS {error,error_description},
 * a long-running operation's {"status":"Failed","error":{...}}, and storage's
 * x-ms-error-code header and <Error><Code/><Message/></Error> XML.
 *
 * Embeddable: az_error_init()/az_error_done(). All strings are owned.
 */
#ifndef SYNWIZ_AZURE_AZ_ERROR_H
#define SYNWIZ_AZURE_AZ_ERROR_H

#include <stddef.h>

#include "azure/az_http.h"
#include "azure/az_result.h"

struct az_error {
  enum az_result result;
  int status;
  char *code;
  char *oauth_error;
  char *message;
  char *details;
  char *request_id;
  char *hint;
};

void az_error_init(struct az_error *e);
void az_error_done(struct az_error *e);
/** Back to AZ_OK with no text. */
void az_error_reset(struct az_error *e);
/** Set result and a synwiz-written message (the rest is cleared). */
void az_error_set(struct az_error *e, enum az_result result, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void az_error_copy(struct az_error *dst, const struct az_error *src);
/** Fill from an HTTP answer. `result` is from the status unless the body says more. */
void az_error_from_answer(struct az_error *e, int status, const struct az_headers *headers,
                          const char *body, size_t len);
/** Fill from a JSON error object or body (the parts of az_error_from_answer for JSON). */
void az_error_from_json_text(struct az_error *e, const char *body, size_t len);
/** "CODE: message" (or just the message); fresh heap string. */
char *az_error_summary(const struct az_error *e);

#endif
