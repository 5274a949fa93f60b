/*
 * store_linked_service: the Azure Machine Learning linked services synwiz created in a
 * Synapse workspace (behavior.md W4), so that the store can list and remove them.
 *
 * A record names the Synapse workspace, the linked service, the Azure ML workspace it
 * points at and the kind of authentication. It holds no secret and has no field for one:
 * a service principal's key lives only in Synapse (and in memory while the wizard runs).
 * Names are unique per Synapse workspace, case-insensitively, as Synapse compares them.
 *
 * Roles: every member sees them; administrators and contributors create, update and
 * remove them; viewers change nothing. Use, ownership and return conventions: as
 * store_connection.h and store.h.
 */
#ifndef SYNWIZ_APP_STORE_LINKED_SERVICE_H
#define SYNWIZ_APP_STORE_LINKED_SERVICE_H

#include "app/app_result.h"
#include "app/store.h"

#include <jansson.h>
#include <stddef.h>

enum store_ls_auth {
  STORE_LS_AUTH_MSI,               /* "MSI": the workspace's managed identity */
  STORE_LS_AUTH_SERVICE_PRINCIPAL, /* "ServicePrincipal": id and key kept in Synapse */
};

struct store_linked_service {
  struct store_meta meta;
  char *workspace_name; /* the Synapse workspace holding it */
  char *name;           /* ^[A-Za-z][^-<>*#.%&:\\+?/]{0,259}$ */
  char *ml_subscription_id;
  char *ml_resource_group;
  char *ml_workspace_name;
  enum store_ls_auth authentication;
};

struct store_linked_service_list {
  size_t n;
  struct store_linked_service *items;
};

void store_linked_service_init(struct store_linked_service *ls);
void store_linked_service_done(struct store_linked_service *ls);
void store_linked_service_list_done(struct store_linked_service_list *list);
const char *store_ls_auth_name(enum store_ls_auth auth);
bool store_ls_auth_parse(const char *s, enum store_ls_auth *out);

enum app_result store_linked_service_list(struct store *s, struct store_linked_service_list *out);
enum app_result store_linked_service_get(struct store *s, const char *id,
                                         struct store_linked_service *out);
/** By workspace and name (both case-insensitive). */
enum app_result store_linked_service_find(struct store *s, const char *workspace_name,
                                          const char *name, struct store_linked_service *out);
/** APP_OK when the user may `verb` ("change", "remove") linked services: administrators and
 * contributors; else APP_DENIED (or the store's refusal) with store_message() saying who
 * may. Asked before anything is changed in Azure, so that what is done can be recorded. */
enum app_result store_linked_service_require_writer(struct store *s, const char *verb);
enum app_result store_linked_service_create(struct store *s, struct store_linked_service *ls);
enum app_result store_linked_service_update(struct store *s, struct store_linked_service *ls);
enum app_result store_linked_service_remove(struct store *s, const char *id, long revision);

json_t *store_linked_service_to_json(const struct store_linked_service *ls);

#endif
