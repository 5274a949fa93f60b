/*
 * az_guest: act as another identity for a few calls without signing it in. Test connection
 * of an Azure ML linked service (API.md F.2) must sign in as the service principal the
 * user typed (client credentials: tenant, application id, secret) and read the Azure ML
 * workspace as it, while synwiz stays signed in as the user.
 *
 * A guest borrows the client (its cloud, pipeline, log, dry-run mode and event loop) and
 * owns a credential. Its token requests go through the client's pipeline as sign-in
 * traffic (never printed in dry runs, never faked; the form with the secret and the answer
 * with the token are redacted in the log like every sign-in). Its tokens live in the guest
 * only: never in the token cache, never in the client's token slots; the client's own
 * identity and tokens are untouched. az_guest_delete() wipes the tokens and the credential.
 *
 * Call order: az_guest_new() (takes the credential), then az_guest_request() any number of
 * times (the first call for a scope first gets a token for it; the scope comes from the
 * URL's host like every call), then az_guest_delete() after its calls are deleted.
 * A refused sign-in ends the call with the token endpoint's error: AZ_E_AUTH, code
 * "AADSTS7000215" (wrong secret), "AADSTS700016" (unknown application id),
 * "AADSTS90002" (unknown tenant)..., with the hint table's advice. A 401 with the guest's
 * token is final (no refresh).
 */
#ifndef SYNWIZ_AZURE_AZ_GUEST_H
#define SYNWIZ_AZURE_AZ_GUEST_H

#include "azure/az_client.h"
#include "azure/az_credential.h"

struct az_guest;

struct az_guest *az_guest_new(struct az_client *c, struct az_credential *cred);
/** NULL is a no-op. Every call made with the guest must be deleted first. */
void az_guest_delete(struct az_guest *g);
/** Any REST call as the guest; `body` (may be NULL) is JSON. */
struct az_call *az_guest_request(struct az_guest *g, const char *method, const char *url,
                                 const char *body);
/** What the guest's tokens say about it (tenant, object id, client id); fields are NULL
 * until a token came. */
const struct az_identity *az_guest_identity(const struct az_guest *g);

#endif
