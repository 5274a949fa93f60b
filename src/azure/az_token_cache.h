/*
 * az_token_cache: the token cache file, $XDG_STATE_HOME/synwiz/tokens.json (mode 0600, its
 * directory 0700). It is the only file that ever holds a token.
 *
 * Per cloud (keyed by profile name and authority, so a sandbox on other ports is another
 * cloud) it keeps the signed-in accounts and which one is current. Per account: what it is
 * (az_identity fields), a user's refresh token, and access tokens per scope with their
 * expiry. A service principal's secret is never written; a certificate is referred to by
 * its path. Every change is one locked read-modify-write (fs_lock_acquire on
 * tokens.json.lock) finished by fs_write_atomic(), so concurrent synwiz processes never
 * lose each other's tokens and a crash never leaves half a file.
 *
 * Heap object: az_token_cache_new(path or NULL for the default) / az_token_cache_delete().
 * Functions return AZ_OK or AZ_E_IO (AZ_E_NOT_SIGNED_IN when there is no current account).
 */
#ifndef SYNWIZ_AZURE_AZ_TOKEN_CACHE_H
#define SYNWIZ_AZURE_AZ_TOKEN_CACHE_H

#include <jansson.h>

#include "azure/az_credential.h"
#include "azure/az_identity.h"
#include "azure/az_result.h"

struct az_token_cache {
  char *path;
  char *lock_path;
};

struct az_token_cache *az_token_cache_new(const char *path);
void az_token_cache_delete(struct az_token_cache *cache);
char *az_token_cache_default_path(void);
/** "name|authority" */
char *az_token_cache_cloud_key(const struct az_cloud *cloud);
/** "user:tid:oid", "sp:tenant:client", "mi:client|system" */
char *az_token_cache_account_key(const struct az_identity *id);

/**
 * The current account of a cloud: its identity, refresh token (NULL unless a user; free
 * with xfree_secret) and access tokens ({scope: {access_token, expires_on, obtained_on}},
 * a new reference).
 */
AZ_NODISCARD enum az_result az_token_cache_current(struct az_token_cache *cache,
                                                   const char *cloud_key,
                                                   struct az_identity *out_id,
                                                   char **out_refresh_token, json_t **out_tokens);
/** Add or update an account (identity fields, refresh token when given); optionally current. */
AZ_NODISCARD enum az_result az_token_cache_save_account(struct az_token_cache *cache,
                                                        const char *cloud_key,
                                                        const struct az_identity *id,
                                                        const char *refresh_token,
                                                        bool make_current);
/** Store an access token (and a rotated refresh token) of an existing account. */
AZ_NODISCARD enum az_result az_token_cache_save_token(struct az_token_cache *cache,
                                                      const char *cloud_key,
                                                      const char *account_key, const char *scope,
                                                      const struct az_token *token);
/** Remove the whole file. */
AZ_NODISCARD enum az_result az_token_cache_erase(struct az_token_cache *cache);

#endif
