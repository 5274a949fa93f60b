/*
 * az_login: signing in and out, and learning who is signed in.
 *
 * Each sign-in is a call on a client whose cloud is already chosen (az_session_open or
 * az_client_new). On success the client uses the new identity at once, the account and its
 * first token go to the token cache (as the cloud's current account), and the cloud is
 * remembered in config.json for the next run.
 *
 *   az_login_device_code      for people (also over SSH): POST .../devicecode, then
 *                             `on_code` (from az_client_poll) shows the URL and code; the
 *                             token endpoint is polled every `interval` seconds (slow_down
 *                             adds 5 s); authorization_declined -> AZ_E_DECLINED,
 *                             expired_token or the code's lifetime passing ->
 *                             AZ_E_CODE_EXPIRED, bad_verification_code and anything else ->
 *                             AZ_E_AUTH.
 *   az_login_service_principal  a secret (kept in memory only) or a certificate file
 *   az_login_managed_identity   IMDS, or the IDENTITY_ENDPOINT/IDENTITY_HEADER style when
 *                             those variables are set
 *   az_client_resolve_identity  makes sure the object id is known (gets an ARM token if
 *                             needed); result: az_identity_to_json()
 *   az_logout                 erases the token cache file
 */
#ifndef SYNWIZ_AZURE_AZ_LOGIN_H
#define SYNWIZ_AZURE_AZ_LOGIN_H

#include "azure/az_client.h"

struct az_device_code {
  const char *user_code;
  const char *verification_uri;
  const char *message; /* Entra's ready-made sentence; may be NULL */
  int expires_in;      /* seconds */
  int interval;        /* seconds */
};

typedef void (*az_device_code_fn)(const struct az_device_code *dc, void *ud);

/** `tenant` NULL = "organizations"; `client_id` NULL = the cloud's public_client_id. */
struct az_call *az_login_device_code(struct az_client *c, const char *tenant, const char *client_id,
                                     az_device_code_fn on_code, void *ud);
/** Exactly one of `secret` and `certificate_path`. */
struct az_call *az_login_service_principal(struct az_client *c, const char *tenant,
                                           const char *client_id, const char *secret,
                                           const char *certificate_path);
/** `client_id` NULL = the system-assigned identity (or the only one). */
struct az_call *az_login_managed_identity(struct az_client *c, const char *client_id);
struct az_call *az_client_resolve_identity(struct az_client *c);
/** `cache_path` NULL = the default. */
AZ_NODISCARD enum az_result az_logout(const char *cache_path);

#endif
