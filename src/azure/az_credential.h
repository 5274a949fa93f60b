/*
 * az_credential: how a client obtains access tokens. A credential never sends anything
 * itself: it describes the one HTTP request that yields a token for a scope (prepare) and
 * reads the answer (parse); the client sends that request through its own pipeline
 * (without authentication, retried like any idempotent call) and caches the result.
 *
 * Kinds (API.md A.3-A.7):
 *   client secret    POST {authority}/{tenant}/oauth2/v2.0/token grant_type=client_credentials
 *                    The secret lives in memory only. When a signed-in service principal has
 *                    none (a later process), prepare() takes AZURE_CLIENT_SECRET (when
 *                    AZURE_CLIENT_ID is unset or the same id), else asks the prompt
 *                    callback, else fails with AZ_E_NOT_SIGNED_IN.
 *   certificate      the same with a fresh JWT client assertion per request (az_jwt.h)
 *   refresh token    grant_type=refresh_token for a user signed in by device code; scope
 *                    gets " offline_access"; the newest refresh token replaces the old one
 *   managed identity GET {imds_endpoint}?api-version=2018-02-01&resource=.. with
 *                    "Metadata: true", or, when an IDENTITY_ENDPOINT is given,
 *                    GET {endpoint}?api-version=2019-08-01&resource=.. with X-IDENTITY-HEADER;
 *                    client_id= selects a user-assigned identity
 *
 * Heap object: az_credential_delete() wipes every secret it holds.
 */
#ifndef SYNWIZ_AZURE_AZ_CREDENTIAL_H
#define SYNWIZ_AZURE_AZ_CREDENTIAL_H

#include <stdint.h>

#include "azure/az_certificate.h"
#include "azure/az_cloud.h"
#include "azure/az_error.h"
#include "azure/az_http.h"
#include "azure/az_identity.h"

/** Asks the user for a service principal's secret; returns a heap string or NULL. */
typedef char *(*az_secret_prompt_fn)(const char *client_id, void *ud);

struct az_token {
  char *access_token;  /* secret */
  char *refresh_token; /* secret; user flows only */
  int64_t expires_on;  /* Unix seconds */
  int64_t obtained_on; /* Unix seconds */
};

void az_token_done(struct az_token *t);

/* What the client must send to get a token. */
struct az_token_request {
  char *method;
  char *url;
  struct az_headers headers;
  char *body; /* form-encoded, secret; NULL for GET */
};

void az_token_request_done(struct az_token_request *tr);

enum az_credential_kind {
  AZ_CRED_CLIENT_SECRET,
  AZ_CRED_CERTIFICATE,
  AZ_CRED_REFRESH_TOKEN,
  AZ_CRED_MANAGED_IDENTITY,
};

struct az_credential {
  enum az_credential_kind kind;
  char *tenant;
  char *client_id; /* may be NULL for a system-assigned managed identity */
  char *secret;
  struct az_certificate *cert;
  char *refresh_token;
  char *identity_endpoint; /* managed identity, App Service style */
  char *identity_header;   /* secret */
  az_secret_prompt_fn prompt;
  void *prompt_ud;
};

struct az_credential *az_credential_client_secret(const char *tenant, const char *client_id,
                                                  const char *secret);
/** Takes ownership of `cert`. */
struct az_credential *az_credential_certificate(const char *tenant, const char *client_id,
                                                struct az_certificate *cert);
struct az_credential *az_credential_refresh_token(const char *tenant, const char *client_id,
                                                  const char *refresh_token);
/** `endpoint`/`header` NULL = IMDS (the cloud's imds_endpoint). */
struct az_credential *az_credential_managed_identity(const char *client_id, const char *endpoint,
                                                     const char *header);
void az_credential_delete(struct az_credential *cred);
void az_credential_set_prompt(struct az_credential *cred, az_secret_prompt_fn fn, void *ud);
enum az_identity_kind az_credential_identity_kind(const struct az_credential *cred);

AZ_NODISCARD enum az_result az_credential_prepare(struct az_credential *cred,
                                                  const struct az_cloud *cloud, const char *scope,
                                                  const char *claims, int64_t now_s,
                                                  struct az_token_request *out,
                                                  struct az_error *err);
/** Read a token answer; a rotated refresh token also replaces the credential's own. */
AZ_NODISCARD enum az_result az_credential_parse(struct az_credential *cred, int status,
                                                const struct az_headers *headers, const char *body,
                                                size_t len, int64_t now_s, struct az_token *out,
                                                struct az_error *err);

#endif
