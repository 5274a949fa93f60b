/*
 * az_synapse: the Synapse workspace data plane (API.md D): pipelines and their runs,
 * linked services, Synapse RBAC, and the metastore (lake database) preview API.
 *
 * `workspace` is the workspace name (the dev endpoint is then
 * https://{name}.{cloud's synapse_dev_suffix}) or its dev endpoint URL as ARM reports it
 * (properties.connectivityEndpoints.dev). Tokens use the cloud's synapse_scope.
 *
 * Lists answer {"value": [...]} over every page (nextLink; x-ms-continuation for RBAC
 * assignments; continuationToken for activity runs); role definitions, a bare array in the
 * API, are wrapped the same way. Linked-service writes are long-running: the call follows
 * the operation and then reads the linked service back, failing when the final answer says
 * {"status":"Failed"} or the read-back finds nothing.
 */
#ifndef SYNWIZ_AZURE_AZ_SYNAPSE_H
#define SYNWIZ_AZURE_AZ_SYNAPSE_H

#include "azure/az_client.h"

#define AZ_SYNAPSE_VERSION           "2020-12-01"
#define AZ_SYNAPSE_METASTORE_VERSION "2021-07-01-preview"

/* Built-in Synapse RBAC role ids (prefer resolving names with az_synapse_list_role_definitions). */
#define AZ_SYNAPSE_ROLE_ADMINISTRATOR   "6e4bf58a-b8e1-4cc3-bbf9-d73143322b78"
#define AZ_SYNAPSE_ROLE_CONTRIBUTOR     "7572bffe-f453-4b66-912a-46cc5ef38fda"
#define AZ_SYNAPSE_ROLE_CREDENTIAL_USER "5eb298b4-692c-4241-9cf0-f58a3b42bb25"
#define AZ_SYNAPSE_ROLE_USER            "2a385764-43e8-416c-9825-7b18d05a2c4b"

/** The dev endpoint URL for `workspace` (fresh heap string), or NULL if the name is invalid. */
char *az_synapse_endpoint(const struct az_client *c, const char *workspace);

struct az_call *az_synapse_list_pipelines(struct az_client *c, const char *workspace);
struct az_call *az_synapse_get_pipeline(struct az_client *c, const char *workspace,
                                        const char *pipeline);
/** POST createRun with `parameters` (taken; NULL = {}). Result {"runId": ...}. Never retried
 * once sent: a second run would be a second run. */
struct az_call *az_synapse_create_run(struct az_client *c, const char *workspace,
                                      const char *pipeline, json_t *parameters);
struct az_call *az_synapse_get_run(struct az_client *c, const char *workspace, const char *run_id);
/** Activity runs of a run updated between `after` and `before` (ISO 8601; NULL = the last
 * 30 days up to tomorrow). */
struct az_call *az_synapse_query_activity_runs(struct az_client *c, const char *workspace,
                                               const char *pipeline, const char *run_id,
                                               const char *after, const char *before);
struct az_call *az_synapse_cancel_run(struct az_client *c, const char *workspace,
                                      const char *run_id);

struct az_call *az_synapse_list_linked_services(struct az_client *c, const char *workspace);
struct az_call *az_synapse_get_linked_service(struct az_client *c, const char *workspace,
                                              const char *name);
/** Create or update (long-running, then read back). `properties` is taken. */
struct az_call *az_synapse_put_linked_service(struct az_client *c, const char *workspace,
                                              const char *name, json_t *properties);
struct az_call *az_synapse_delete_linked_service(struct az_client *c, const char *workspace,
                                                 const char *name);

/** Filters may be NULL. */
struct az_call *az_synapse_list_role_assignments(struct az_client *c, const char *workspace,
                                                 const char *role_id, const char *principal_id,
                                                 const char *scope);
/** `scope` NULL = "workspaces/{workspace name}". */
struct az_call *az_synapse_create_role_assignment(struct az_client *c, const char *workspace,
                                                  const char *role_id, const char *principal_id,
                                                  const char *principal_type, const char *scope);
struct az_call *az_synapse_delete_role_assignment(struct az_client *c, const char *workspace,
                                                  const char *assignment_id);
struct az_call *az_synapse_list_role_definitions(struct az_client *c, const char *workspace);

/**
 * POST checkAccessSynapseRbac (a read): may `principal_id` perform each of `actions` (data
 * actions) at `scope` (NULL = "workspaces/{workspace name}")? Synapse answers
 * {"accessDecisions": [{"actionId", "accessDecision": "Allowed"|"NotAllowed"...}]} (API.md's
 * recordings spell it "AccessDecisions": read both).
 */
struct az_call *az_synapse_check_access(struct az_client *c, const char *workspace,
                                        const char *principal_id, const char *const *actions,
                                        size_t n_actions, const char *scope);

/** Metastore (preview): register a lake database from a CDM folder URL. */
struct az_call *az_synapse_create_database(struct az_client *c, const char *workspace,
                                           const char *database, const char *input_folder);
/** ... and update it from the folder again (the tables model.json no longer lists stay). */
struct az_call *az_synapse_update_database(struct az_client *c, const char *workspace,
                                           const char *database, const char *input_folder);
struct az_call *az_synapse_get_database_status(struct az_client *c, const char *workspace,
                                               const char *database);
struct az_call *az_synapse_delete_database(struct az_client *c, const char *workspace,
                                           const char *database);

#endif
