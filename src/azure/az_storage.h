/*
 * az_storage: a storage account as the blob operations address it, and Shared Key signing.
 *
 * An account has a name, a blob endpoint (base URL, no trailing slash) and, optionally, a
 * decoded account key. Without a key, requests carry a bearer token for the cloud's
 * storage scope; with one, they are signed with Shared Key (API.md E.2):
 *   signature = Base64(HMAC-SHA256(key, StringToSign))
 *   StringToSign = VERB \n Content-Encoding \n Content-Language \n Content-Length (empty
 *     when 0) \n Content-MD5 \n Content-Type \n Date \n If-Modified-Since \n If-Match \n
 *     If-None-Match \n If-Unmodified-Since \n Range \n CanonicalizedHeaders
 *     CanonicalizedResource
 * CanonicalizedResource is "/" + account + the URI path exactly as sent, so for path-style
 * endpoints (an IP address or "localhost" host, where the path starts with the account, as
 * Azurite's http://127.0.0.1:10000/devstoreaccount1) the account appears twice.
 * The signer signs the headers it is given: the transport must send exactly those (it sends
 * an explicit Content-Type and no Expect: header), and the Content-Length it signs.
 *
 * Heap object: az_storage_account_delete() wipes the key.
 */
#ifndef SYNWIZ_AZURE_AZ_STORAGE_H
#define SYNWIZ_AZURE_AZ_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "azure/az_cloud.h"
#include "azure/az_error.h"
#include "azure/az_http.h"

#define AZ_STORAGE_VERSION "2021-12-02"

struct az_storage_account {
  char *name;
  char *blob_endpoint;
  unsigned char *key; /* decoded account key, or NULL (bearer tokens) */
  size_t key_len;
};

/**
 * `endpoint` NULL means https://{name}.blob.{cloud's storage_suffix}; an endpoint whose
 * host is an IP address or localhost gets "/{name}" appended (path style) unless its path
 * already names the account. `key_b64` NULL means bearer tokens.
 */
AZ_NODISCARD enum az_result az_storage_account_new(const char *name, const char *endpoint,
                                                   const char *key_b64,
                                                   const struct az_cloud *cloud,
                                                   struct az_storage_account **out,
                                                   struct az_error *err);
/** From "DefaultEndpointsProtocol=..;AccountName=..;AccountKey=..;BlobEndpoint=..". */
AZ_NODISCARD enum az_result
az_storage_account_from_connection_string(const char *cs, const struct az_cloud *cloud,
                                          struct az_storage_account **out, struct az_error *err);
void az_storage_account_delete(struct az_storage_account *a);

/** The string to sign (fresh heap string; exposed for tests and diagnostics). */
char *az_shared_key_string_to_sign(const char *account, const char *method, const char *url,
                                   const struct az_headers *headers, int64_t content_length);
/** Add "Authorization: SharedKey account:signature" to `headers`. */
void az_shared_key_sign(const struct az_storage_account *a, const char *method, const char *url,
                        struct az_headers *headers, int64_t content_length);
/** RFC 1123 date for x-ms-date, independent of the locale. */
void az_http_date(int64_t wall_ms, char out[64]);

#endif
