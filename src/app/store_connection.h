/*
 * store_connection: the Azure Synapse Analytics connections of a store (behavior.md W1).
 *
 * A connection names a Synapse workspace, its storage account and a container, and who may
 * use it (its audience). Only administrators create, edit or remove connections.
 * Contributors and viewers see a connection only when its audience is
 * "admins_and_contributors", and then only its id, display name and type (the record comes
 * back with `redacted` set and every other field NULL); of the others they see nothing,
 * not even that they exist (get/find answer APP_NOT_FOUND as for a name nobody used).
 *
 * Use: store_connection_init() a struct, fill it, store_connection_create(); or get one
 * with store_connection_get()/find()/list(), change fields, store_connection_update() (the
 * struct's meta.revision is the revision the change is based on: a conflict is reported,
 * never overwritten). store_connection_remove() is refused (APP_HAS_DEPENDENTS, with the
 * list) while exports or models use the connection: remove those or detach them
 * (store_export_detach(), store_model_detach()) and try again. The audience can change
 * without touching the exports that use the connection.
 *
 * Ownership: every string in the struct is the struct's (heap, freed by
 * store_connection_done()); the store never keeps a pointer into it. Return conventions:
 * store.h.
 */
#ifndef SYNWIZ_APP_STORE_CONNECTION_H
#define SYNWIZ_APP_STORE_CONNECTION_H

#include "app/app_result.h"
#include "app/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The only kind of connection synwiz makes; what "type" shows. */
#define STORE_CONNECTION_TYPE "Azure Synapse Analytics"

enum store_audience {
  STORE_AUDIENCE_ADMINS, /* "admins", the default */
  STORE_AUDIENCE_ADMINS_AND_CONTRIBUTORS,
};

struct store_connection {
  struct store_meta meta;
  bool redacted;      /* read by a non-administrator: only meta.id and display_name are set */
  char *display_name; /* ^[A-Za-z][A-Za-z0-9_]*$, unique case-insensitively */
  enum store_audience audience;
  char *subscription_id; /* GUID */
  char *subscription_name;
  char *workspace_name;
  char *workspace_resource_group;
  char *workspace_id;           /* ARM resource id */
  char *workspace_dev_endpoint; /* https://{workspace}.dev.azuresynapse.net */
  char *workspace_principal_id; /* the workspace's managed identity (GUID) */
  char *storage_account;
  char *storage_resource_group;
  char *storage_account_id; /* ARM resource id */
  char *container;
  bool private_link;
  char *agreed_at; /* when the data privacy and compliance terms were agreed to */
};

struct store_connection_list {
  size_t n;
  struct store_connection *items;
};

void store_connection_init(struct store_connection *c);
void store_connection_done(struct store_connection *c);
void store_connection_list_done(struct store_connection_list *list);

/** "admins" / "admins_and_contributors"; parse returns false for anything else. */
const char *store_audience_name(enum store_audience audience);
bool store_audience_parse(const char *s, enum store_audience *out);

/** APP_OK when the actor is an administrator (who alone may `verb` connections: "create",
 * "edit", "remove"); else the refusal, and store_message() says who the administrators are.
 * For screens and commands that refuse before asking anything. */
enum app_result store_connection_require_admin(struct store *s, const char *verb);

/** The connections the actor may see, by display name. */
enum app_result store_connection_list(struct store *s, struct store_connection_list *out);
/** By id, or by display name (case-insensitive). out is initialised by the call. */
enum app_result store_connection_get(struct store *s, const char *id, struct store_connection *out);
/** The whole record of a connection the caller may use (an administrator any; others one
 * shared with contributors), for running what uses it (an export's run); never shown. */
enum app_result store_connection_get_for_use(struct store *s, const char *id,
                                             struct store_connection *out);
enum app_result store_connection_find(struct store *s, const char *name,
                                      struct store_connection *out);
/** Admins. Fills c->meta (new id, revision 1, created and updated now by the actor). */
enum app_result store_connection_create(struct store *s, struct store_connection *c);
/** Admins. c->meta.id names the record and c->meta.revision the revision the edit is based
 * on; on success c->meta holds the new revision. */
enum app_result store_connection_update(struct store *s, struct store_connection *c);
/** Admins. Refused while exports or models use it: *out_dependents (when non-NULL) then
 * lists them (free with store_dependent_list_done()). */
enum app_result store_connection_remove(struct store *s, const char *id, long revision,
                                        struct store_dependent_list *out_dependents);

/** The connection as shown by `connection show --output json` (a new reference). */
json_t *store_connection_to_json(const struct store_connection *c);

#endif
