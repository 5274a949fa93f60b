/*
 * az_redact: removes secrets from anything the Azure client writes down (the log, dry-run
 * output, error messages). Every function returns a fresh heap string (or a static
 * "REDACTED" marker for headers); none of them keeps a copy of what it saw.
 *
 * What counts as a secret:
 *  - headers: Authorization, Proxy-Authorization, x-ms-copy-source-authorization,
 *    X-IDENTITY-HEADER, x-sandbox-control, Cookie, Set-Cookie, x-ms-encryption-key;
 *  - URL query parameters: sig (SAS signatures), client_secret, client_assertion,
 *    refresh_token, access_token, code, password, token;
 *  - form bodies (token requests): client_secret, client_assertion, refresh_token,
 *    access_token, device_code, code, password, assertion;
 *  - JSON bodies: the values of keys such as access_token, refresh_token, id_token,
 *    client_secret, client_assertion, device_code, password, accountKey, primaryKey,
 *    secondaryKey, sasToken, encryptedCredential, control_token; the "value" of a
 *    {"type":"SecureString"} object and of a listKeys entry ({"keyName",..,"value"});
 *  - anywhere in text: JWTs (eyJ….….…), "sig=…", "AccountKey=…", "SharedAccessSignature=…",
 *    "SharedKey account:signature".
 */
#ifndef SYNWIZ_AZURE_AZ_REDACT_H
#define SYNWIZ_AZURE_AZ_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#define AZ_REDACTED "REDACTED"

bool az_redact_is_secret_header(const char *name);
/** `value`, or AZ_REDACTED when the header is a secret. */
const char *az_redact_header(const char *name, const char *value);
char *az_redact_url(const char *url);
/** Free text: JWTs, SAS signatures, account keys and key=value secrets are replaced. */
char *az_redact_text(const char *text);
/** A request or answer body, by its Content-Type (JSON, form or anything else). */
char *az_redact_body(const char *content_type, const char *body, size_t len);

#endif
