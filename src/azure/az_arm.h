/*
 * az_arm: Azure Resource Manager reads the wizards make, and blob container creation
 * through ARM (API.md B). Every function returns a call at once (see az_client.h); lists
 * follow nextLink and answer {"value": [...]}, gets answer the resource object.
 * Arguments are names as Azure shows them; they are percent-encoded here.
 */
#ifndef SYNWIZ_AZURE_AZ_ARM_H
#define SYNWIZ_AZURE_AZ_ARM_H

#include "azure/az_client.h"

#define AZ_ARM_SUBSCRIPTIONS_VERSION "2022-12-01"
#define AZ_ARM_RESOURCES_VERSION     "2021-04-01"
#define AZ_ARM_SYNAPSE_VERSION       "2021-06-01"
#define AZ_ARM_STORAGE_VERSION       "2023-05-01"
#define AZ_ARM_ML_VERSION            "2024-04-01"

struct az_call *az_arm_list_subscriptions(struct az_client *c);
struct az_call *az_arm_list_resource_groups(struct az_client *c, const char *subscription);
/** Synapse workspaces of a subscription. */
struct az_call *az_arm_list_workspaces(struct az_client *c, const char *subscription);
struct az_call *az_arm_list_workspaces_in_group(struct az_client *c, const char *subscription,
                                                const char *group);
struct az_call *az_arm_get_workspace(struct az_client *c, const char *subscription,
                                     const char *group, const char *workspace);
struct az_call *az_arm_list_spark_pools(struct az_client *c, const char *subscription,
                                        const char *group, const char *workspace);
struct az_call *az_arm_list_integration_runtimes(struct az_client *c, const char *subscription,
                                                 const char *group, const char *workspace);
/** POST .../integrationRuntimes/{ir}/getStatus (a read). */
struct az_call *az_arm_get_integration_runtime_status(struct az_client *c, const char *subscription,
                                                      const char *group, const char *workspace,
                                                      const char *runtime);
struct az_call *az_arm_list_storage_accounts(struct az_client *c, const char *subscription);
struct az_call *az_arm_get_storage_account(struct az_client *c, const char *subscription,
                                           const char *group, const char *account);
struct az_call *az_arm_list_containers(struct az_client *c, const char *subscription,
                                       const char *group, const char *account);
/** PUT .../blobServices/default/containers/{name} {"properties":{"publicAccess":"None"}}. */
struct az_call *az_arm_create_container(struct az_client *c, const char *subscription,
                                        const char *group, const char *account,
                                        const char *container);
struct az_call *az_arm_list_ml_workspaces(struct az_client *c, const char *subscription);
struct az_call *az_arm_get_ml_workspace(struct az_client *c, const char *subscription,
                                        const char *group, const char *workspace);

/**
 * One part of a resource id: az_arm_id_part("/subscriptions/S/resourceGroups/G/...",
 * "resourceGroups") -> "G" (the segment after `key`, compared without case). Fresh heap
 * string or NULL.
 */
char *az_arm_id_part(const char *id, const char *key);

#endif
