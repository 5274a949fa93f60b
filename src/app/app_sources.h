/*
 * app_sources: the picker sources the wizards share (forms/README.md, "The contract for the
 * app layer"), loaded asynchronously through the Azure client or read from the store.
 *
 *   subscriptions         id = subscription id; a subscription that is not Enabled (or
 *                         Warned) is listed but refused with its state. attr tenant_id.
 *   synapse_workspaces    reads `subscription`. id = name. attrs resource_group, id,
 *                         location, dev_endpoint, principal_id, tenant_id,
 *                         default_storage_account, default_filesystem,
 *                         prevent_data_exfiltration ("true"/"false"), public_network_access,
 *                         managed_vnet ("true"/"false")
 *   storage_accounts      reads `subscription`, `workspace`. id = name, the workspace's
 *                         default storage first; without hierarchical namespace: refused
 *                         with the reason. attrs resource_group, id, blob_endpoint,
 *                         dfs_endpoint, public_network_access, firewall ("true" when the
 *                         network rules deny by default), is_default
 *   containers            reads `subscription`, `storage_account`. id = name
 *   ml_workspaces         reads `ml_subscription`. id = name. attrs resource_group, id,
 *                         location, subscription
 *   integration_runtimes  reads the workspace (see app_workspace_from_answers). id = name,
 *                         AutoResolveIntegrationRuntime first. attrs type ("Managed" or
 *                         "SelfHosted")
 *   connections           the store's connections the signed-in identity may see
 *                         (id = display name). attrs audience; for administrators also
 *                         subscription, workspace, resource_group, dev_endpoint,
 *                         principal_id, storage_account, container, and
 *                         prevent_data_exfiltration ("true") once each workspace has been
 *                         read through ARM (one that cannot be read stays choosable)
 *
 *   ci_tables             the table catalog (store_table.h): id = the table's name, detail
 *                         its rows and size; attrs rows, bytes
 *
 * A host may pass a filter that sees (and may change) the items before they are delivered:
 * the linked-service host refuses workspaces with data exfiltration protection and
 * self-hosted runtimes that way. Items are delivered sorted as above; errors are delivered
 * as wiz_load_fail() with Azure's message and the client's hint.
 *
 * Call order: app_sources_start() from the host's start_load; app_sources_cancel() from its
 * cancel_load (the load must be one app_sources_start() accepted).
 */
#ifndef SYNWIZ_APP_APP_SOURCES_H
#define SYNWIZ_APP_APP_SOURCES_H

#include <stdbool.h>

#include "azure/az_result.h"

struct app_ctx;
struct az_error;
struct wiz_answers;
struct wiz_list;
struct wiz_load;

typedef void (*app_source_filter_fn)(const char *source, struct wiz_list *items, void *ud);

/** True for the names listed above. */
bool app_sources_has(const char *source);
/** The NULL-terminated list of the names above (for a host's wiz_decl). */
const char *const *app_sources_names(void);

/** Start loading `source` for `load`; 0, or -1 when the source is not one of these. */
int app_sources_start(struct app_ctx *ctx, const char *source, const struct wiz_answers *answers,
                      struct wiz_load *load, app_source_filter_fn filter, void *filter_ud);
void app_sources_cancel(struct app_ctx *ctx, struct wiz_load *load);

/* The Synapse workspace a wizard works on: from a chosen `connection` (the store's record),
 * else from `subscription` + `workspace` (the picker item's attributes). All fields are
 * owned; app_workspace_ref_done() frees them. */
struct app_workspace_ref {
  char *subscription;
  char *resource_group;
  char *name;
  char *id;
  char *dev_endpoint;
  char *principal_id;
  char *tenant_id;
  bool prevent_data_exfiltration;
};

/** Fill `ref` from the answers; false with a sentence in *out_why (fresh) when it can't. */
bool app_workspace_from_answers(struct app_ctx *ctx, const struct wiz_answers *answers,
                                struct app_workspace_ref *ref, char **out_why);
/**
 * Find the Synapse workspace a person names (`synwiz linked-service ... --workspace WS`):
 * a saved connection's display name (its workspace; *out_connection, when non-NULL, gets
 * the connection's name), else a dev endpoint URL, else a workspace's name looked up through
 * ARM in every subscription the signed-in identity can see (names are unique in a cloud).
 * `full`: a dev endpoint URL is also looked up through ARM (by its first label), so that
 * subscription, resource group and identity are known; without it only name and
 * dev_endpoint are. Blocks (az_call_wait): for commands and edit mode, not for screens'
 * own loops. AZ_OK; else `err` says why: a name nobody can see is AZ_E_INVALID_ARG with
 * "no saved connection and no Synapse workspace you can see is named 'WS'", else ARM's
 * error.
 */
enum az_result app_workspace_lookup(struct app_ctx *ctx, const char *arg, bool full,
                                    struct app_workspace_ref *ref, char **out_connection,
                                    struct az_error *err);
/** The Synapse workspace of that name only (the ARM search of app_workspace_lookup): for a
 * name known to be a workspace's, such as a linked-service record's. */
enum az_result app_workspace_find(struct app_ctx *ctx, const char *name,
                                  struct app_workspace_ref *ref, struct az_error *err);
/** A deep copy of `src` into `dst` (dst is overwritten, not freed). */
void app_workspace_ref_copy(struct app_workspace_ref *dst, const struct app_workspace_ref *src);
void app_workspace_ref_done(struct app_workspace_ref *ref);

#endif
