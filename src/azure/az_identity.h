/*
 * az_identity: who a client acts as. The app keys roles by object id and the home screen
 * shows the rest. Fields are NULL until known: a token's claims fill tenant_id, object_id,
 * username and display_name (az_client_identity() returns the live view).
 *
 * Embeddable: az_identity_init()/az_identity_done(). All strings owned.
 */
#ifndef SYNWIZ_AZURE_AZ_IDENTITY_H
#define SYNWIZ_AZURE_AZ_IDENTITY_H

#include <jansson.h>
#include <stdbool.h>

enum az_identity_kind {
  AZ_IDENTITY_NONE,
  AZ_IDENTITY_USER,
  AZ_IDENTITY_SERVICE_PRINCIPAL,
  AZ_IDENTITY_MANAGED_IDENTITY,
};

struct az_identity {
  enum az_identity_kind kind;
  char *cloud; /* the profile name */
  char *tenant_id;
  char *object_id;        /* the token's oid */
  char *client_id;        /* application (client) id of a service principal / managed identity */
  char *username;         /* upn / preferred_username (users) */
  char *display_name;     /* name (users), app_displayname (apps) when the token says */
  char *certificate_path; /* service principal signed in with a certificate */
  bool app_service_style; /* managed identity through IDENTITY_ENDPOINT */
  char *source;           /* "token cache" or "environment" */
};

void az_identity_init(struct az_identity *id);
void az_identity_done(struct az_identity *id);
void az_identity_copy(struct az_identity *dst, const struct az_identity *src);
/** "user", "servicePrincipal", "managedIdentity" or "none". */
const char *az_identity_kind_name(enum az_identity_kind kind);
enum az_identity_kind az_identity_kind_from_name(const char *name);
/** Fill unknown fields from an access token's claims; true when something changed. */
bool az_identity_learn(struct az_identity *id, const char *access_token);
/** {"cloud","tenantId","objectId","type","clientId","displayName","userPrincipalName",..}. */
json_t *az_identity_to_json(const struct az_identity *id);

#endif
