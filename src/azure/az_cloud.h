/*
 * az_cloud: a cloud profile names every endpoint the client talks to (docs/ARCHITECTURE.md
 * section 6). The client never asks "is this the sandbox?": only the endpoints differ.
 *
 * Sources: the built-in AzureCloud, AzureChinaCloud and AzureUSGovernment; `sandbox`, read
 * from the "profile" object of <sandbox dir>/runtime.json; or a JSON profile file with the
 * same keys. az_cloud_select() applies the documented order: the requested name or file
 * (--cloud), else SYNWIZ_CLOUD, else the cloud of the last `synwiz login` (config.json),
 * else AzureCloud when the EnvironmentCredential variables are set, else sandbox.
 *
 * az_cloud_scope_for_url() derives the token scope of a request from its host: the host of
 * resource_manager gives arm_scope, *.{synapse_dev_suffix} gives synapse_scope,
 * *.blob.{storage_suffix} and *.dfs.{storage_suffix} give storage_scope, and
 * *.{ml_api_suffix} (Azure ML's regional API, optional key) gives arm_scope, and the host
 * of microsoft_graph (optional key) gives graph_scope (by default microsoft_graph +
 * "/.default"; the sandbox names its own host but the public Graph audience).
 *
 * Heap object: az_cloud_delete(). Every string field is owned; ca_bundle, ml_api_suffix,
 * microsoft_graph, graph_scope and source may be NULL (a profile without microsoft_graph
 * cannot call Microsoft Graph: az_graph.h calls then fail with AZ_E_CONFIG).
 */
#ifndef SYNWIZ_AZURE_AZ_CLOUD_H
#define SYNWIZ_AZURE_AZ_CLOUD_H

#include <stdbool.h>

#include "azure/az_error.h"

struct az_cloud {
  char *name;
  char *authority;
  char *resource_manager;
  char *arm_scope;
  char *synapse_dev_suffix;
  char *synapse_scope;
  char *storage_suffix;
  char *storage_scope;
  char *imds_endpoint;
  char *ca_bundle;
  char *public_client_id;
  char *ml_api_suffix;
  char *microsoft_graph; /* "https://graph.microsoft.com" (no trailing slash), or NULL */
  char *graph_scope;     /* "https://graph.microsoft.com/.default", or NULL */
  char *source;          /* "built-in", or the file it was read from */
};

void az_cloud_delete(struct az_cloud *c);
struct az_cloud *az_cloud_copy(const struct az_cloud *c);
/** One of the built-in public clouds by `az cloud list` name (any case); NULL if unknown. */
struct az_cloud *az_cloud_builtin(const char *name);
/** A profile file (JSON object with the profile keys). */
AZ_NODISCARD enum az_result az_cloud_load_file(const char *path, struct az_cloud **out,
                                               struct az_error *err);
/** The sandbox's profile: `dir`, else $SYNWIZ_SANDBOX_DIR, else $XDG_STATE_HOME/synwiz/sandbox. */
AZ_NODISCARD enum az_result az_cloud_load_sandbox(const char *dir, struct az_cloud **out,
                                                  struct az_error *err);
/** The sandbox directory the rules above give (fresh heap string). */
char *az_cloud_sandbox_dir(const char *dir);
/** Apply the selection order; `requested` is --cloud (NULL when not given). */
AZ_NODISCARD enum az_result az_cloud_select(const char *requested, struct az_cloud **out,
                                            struct az_error *err);
/** Remember `name_or_file` as the cloud of the last sign-in (config.json, 0600). */
AZ_NODISCARD enum az_result az_cloud_remember(const char *name_or_file);
/** The scope a request to `url` needs, or NULL when the host is none of the profile's. */
const char *az_cloud_scope_for_url(const struct az_cloud *c, const char *url);
/** A v1 "resource" from a scope: "https://x/.default" -> "https://x/" (IMDS, App Service). */
char *az_cloud_resource_for_scope(const char *scope);
/** True when `url` is this cloud's Entra ID host (token requests carry no token). */
bool az_cloud_is_authority_url(const struct az_cloud *c, const char *url);
/** The token endpoint URL for `tenant`. */
char *az_cloud_token_url(const struct az_cloud *c, const char *tenant);
/** How screens name the cloud ("Sandbox (local stand-in for Azure)" for the sandbox). */
const char *az_cloud_description(const struct az_cloud *c);

#endif
