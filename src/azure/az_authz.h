/*
 * az_authz: Azure RBAC through ARM (API.md C): role assignments at a scope, role
 * definitions by name, the caller's effective permissions, and the wildcard matcher that
 * decides whether those permissions allow an action.
 *
 * A scope is a resource id with its leading slash: "/subscriptions/S",
 * "/subscriptions/S/resourceGroups/G", or a resource's full id.
 *
 * az_authz_create_role_assignment() PUTs a new GUID-named assignment with principalType
 * set. Two answers are not failures: 409 RoleAssignmentExists (the result is then
 * {"alreadyExists": true}) and 400 PrincipalNotFound, which means a principal created
 * moments ago has not replicated yet: the call waits `principal_wait_ms` (default 10 s)
 * and tries again, doubling the wait each time up to AZ_AUTHZ_PRINCIPAL_WAIT_MAX_MS, up to
 * `principal_tries` times (default 9), logging each wait.
 */
#ifndef SYNWIZ_AZURE_AZ_AUTHZ_H
#define SYNWIZ_AZURE_AZ_AUTHZ_H

#include "azure/az_client.h"

#define AZ_AUTHZ_VERSION "2022-04-01"
/* The longest wait between two tries of a role assignment whose principal is not found. */
#define AZ_AUTHZ_PRINCIPAL_WAIT_MAX_MS 60000

/* Built-in role definition GUIDs (identical in every tenant and cloud). */
#define AZ_ROLE_READER                        "acdd72a7-3385-48ef-bd42-f606fba81ae7"
#define AZ_ROLE_CONTRIBUTOR                   "b24988ac-6180-42a0-ab88-20f7382dd24c"
#define AZ_ROLE_OWNER                         "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
#define AZ_ROLE_USER_ACCESS_ADMINISTRATOR     "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
#define AZ_ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
#define AZ_ROLE_STORAGE_BLOB_DATA_READER      "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
#define AZ_ROLE_STORAGE_BLOB_DATA_OWNER       "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"

struct az_role_assignment_spec {
  const char *scope;
  const char *role_definition; /* a role GUID, or a full roleDefinitions id */
  const char *principal_id;    /* object id */
  const char *principal_type;  /* "User", "Group", "ServicePrincipal" (managed identities too) */
  const char *description;     /* optional */
  int principal_wait_ms;       /* 0 = 10000 */
  int principal_tries;         /* 0 = 9 */
};

/** `filter` e.g. "atScope()" or az_authz_filter_principal(); NULL = none. */
struct az_call *az_authz_list_role_assignments(struct az_client *c, const char *scope,
                                               const char *filter);
/** "principalId eq '<id>'" (fresh heap string). */
char *az_authz_filter_principal(const char *principal_id);
struct az_call *az_authz_create_role_assignment(struct az_client *c,
                                                const struct az_role_assignment_spec *spec);
/** `assignment_id`: the assignment's full id ("/.../roleAssignments/<guid>"). */
struct az_call *az_authz_delete_role_assignment(struct az_client *c, const char *assignment_id);
/** Role definitions named `role_name` ("Storage Blob Data Contributor") visible at `scope`. */
struct az_call *az_authz_find_role_definition(struct az_client *c, const char *scope,
                                              const char *role_name);
/** One role definition by its full id: "{scope}/providers/Microsoft.Authorization/
 * roleDefinitions/{GUID}" (a role assignment's roleDefinitionId names it at its subscription;
 * any scope the caller may read works, since a role definition is the same everywhere). */
struct az_call *az_authz_get_role_definition(struct az_client *c, const char *role_definition_id);
/** The caller's effective permissions at a resource group or resource (list). */
struct az_call *az_authz_list_permissions(struct az_client *c, const char *scope);

/** Case-insensitive match of an action against a pattern with '*' wildcards. */
bool az_authz_action_matches(const char *pattern, const char *action);
/**
 * True when some permission block allows `action`: it matches one of the block's
 * actions (dataActions when `data_action`) and none of its notActions (notDataActions).
 * `permissions` is the list call's result ({"value": [...]}) or its array.
 */
bool az_authz_allows(json_t *permissions, const char *action, bool data_action);

#endif
