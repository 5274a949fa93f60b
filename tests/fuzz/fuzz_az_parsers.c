/* Fuzz target: what the Azure client parses from text it did not write: an error body
 * (az_error_from_json_text), a token's claims (az_jwt_claims), and the redaction of logged
 * bodies and URLs (az_redact_*). ASan and UBSan judge: no read past the input, no leak, no
 * undefined behaviour, whatever the bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "azure/az_error.h"
#include "azure/az_jwt.h"
#include "azure/az_redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';

  struct az_error e;
  az_error_init(&e);
  az_error_from_json_text(&e, (const char *)data, size);
  char *summary = az_error_summary(&e);
  free(summary);
  az_error_done(&e);

  json_t *claims = az_jwt_claims(text);
  json_decref(claims);

  static const char *const types[] = { "application/json", "application/x-www-form-urlencoded",
                                       "text/plain", NULL };
  for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
    char *r = az_redact_body(types[i], (const char *)data, size);
    free(r);
  }
  char *u = az_redact_url(text);
  free(u);
  char *t = az_redact_text(text);
  free(t);
  free(text);
  return 0;
}
