/*
 * az_graph: the Microsoft Graph reads synwiz makes (API v1.0): service principals and
 * application registrations, to tell an application (client) id from an object id
 * (behavior.md 6, "app ID vs object ID confusion").
 *
 * The base URL is the cloud profile's microsoft_graph and the token scope its graph_scope
 * (docs/ARCHITECTURE.md 6); with a profile that names no Graph endpoint every call fails
 * with AZ_E_CONFIG before anything is sent. Ids are GUIDs; anything else fails the call
 * with AZ_E_INVALID_ARG (so no text reaches an OData filter unchecked).
 *
 *   az_graph_get_service_principal   GET {graph}/v1.0/servicePrincipals/{id}
 *   az_graph_find_service_principal  GET {graph}/v1.0/servicePrincipals?$filter=appId eq '{appId}'
 *   az_graph_get_application         GET {graph}/v1.0/applications/{id}
 *   az_graph_find_application        GET {graph}/v1.0/applications?$filter=appId eq '{appId}'
 * Gets answer the object ({"id", "appId", "displayName", ...}); an unknown id is 404
 * Request_ResourceNotFound (AZ_E_NOT_FOUND). Finds answer {"value": [...]}, empty when no
 * object has that application id. Reading needs a user's token (members may read the
 * directory) or an application with Application.Read.All; otherwise 403
 * Authorization_RequestDenied.
 */
#ifndef SYNWIZ_AZURE_AZ_GRAPH_H
#define SYNWIZ_AZURE_AZ_GRAPH_H

#include "azure/az_client.h"

#define AZ_GRAPH_VERSION "v1.0"

struct az_call *az_graph_get_service_principal(struct az_client *c, const char *object_id);
struct az_call *az_graph_find_service_principal(struct az_client *c, const char *app_id);
struct az_call *az_graph_get_application(struct az_client *c, const char *object_id);
struct az_call *az_graph_find_application(struct az_client *c, const char *app_id);

/** True for the 8-4-4-4-12 hexadecimal form. */
bool az_graph_is_guid(const char *s);

#endif
