/*
 * az_jwt: the two things synwiz does with JSON Web Tokens.
 *
 * az_jwt_claims() decodes the claims of an access token WITHOUT verifying it: synwiz only
 * reads its own tokens to learn who is signed in (oid, tid, upn, name, appid) and when they
 * expire. Never use it to decide trust.
 *
 * az_jwt_client_assertion() builds the client assertion of API.md A.4: header
 * {"alg":"RS256","typ":"JWT","x5t":..,"x5t#S256":..}, claims aud (the token endpoint),
 * iss = sub = client id, jti (fresh GUID), nbf = iat = now, exp = now + 10 minutes;
 * signed RSASSA-PKCS1-v1_5 with SHA-256 through OpenSSL EVP. The result is a secret.
 */
#ifndef SYNWIZ_AZURE_AZ_JWT_H
#define SYNWIZ_AZURE_AZ_JWT_H

#include <jansson.h>
#include <stdint.h>

#include "azure/az_certificate.h"

#define AZ_JWT_ASSERTION_LIFETIME_S 600

/** The claims object (new reference), or NULL when `token` is not a JWT. */
json_t *az_jwt_claims(const char *token);
/** A signed assertion (heap string to free with xfree_secret), or NULL if signing failed. */
char *az_jwt_client_assertion(const struct az_certificate *cert, const char *client_id,
                              const char *audience, int64_t now_s, const char *jti);

#endif
