/*
 * store_export: exports to an Azure Synapse lake database (behavior.md W2).
 *
 * An export uses one connection (by id). Who sees and changes it follows its connection:
 * administrators everything; contributors the exports whose connection is shared with
 * contributors (they may create, edit, detach and remove those); viewers see what
 * contributors see and change nothing. An export with no connection (detached: kept,
 * inactive, shown as "No connection") is visible to every member and changed by
 * administrators only. Exports on a connection a non-administrator may not see are
 * invisible to them (APP_NOT_FOUND).
 *
 * Use like store_connection.h: init, fill, create; get/find/list, change, update with the
 * revision read (conflicts are reported). On update, a changed database_name moves the old
 * name to previous_database_names (the old lake database stays in Synapse, no longer
 * refreshed); previous_database_names is kept by the store and ignored in the caller's
 * struct. store_export_detach() drops the connection, which is what lets an administrator
 * remove the connection afterwards.
 *
 * Ownership and return conventions: see store.h. connection_name is filled on reading
 * (the display name of the connection, NULL when detached or not visible) and never saved.
 */
#ifndef SYNWIZ_APP_STORE_EXPORT_H
#define SYNWIZ_APP_STORE_EXPORT_H

#include "app/app_result.h"
#include "app/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum store_schedule_mode {
  STORE_SCHEDULE_SYSTEM_REFRESH, /* "system_refresh": with every system refresh (default) */
  STORE_SCHEDULE_CUSTOM,         /* "custom": its own recurrence and time */
  STORE_SCHEDULE_OFF,            /* "off": only when run on demand */
};

struct store_schedule {
  enum store_schedule_mode mode;
  char *recurrence; /* custom: e.g. "daily", "weekly" */
  char *time;       /* custom: "HH:MM" (UTC) */
};

struct store_export {
  struct store_meta meta;
  char *display_name;    /* unique among exports, case-insensitively */
  char *connection_id;   /* NULL: detached, inactive */
  char *connection_name; /* filled on reading, not saved */
  char *database_name;   /* ^[A-Za-z][A-Za-z0-9_]{0,23}$ */
  struct store_strings previous_database_names;
  struct store_strings tables; /* at least one */
  struct store_schedule schedule;
  char *status; /* CI status vocabulary; "Not started" when created without one */
};

struct store_export_list {
  size_t n;
  struct store_export *items;
};

void store_export_init(struct store_export *e);
void store_export_done(struct store_export *e);
void store_export_list_done(struct store_export_list *list);
/** Active = it has a connection. */
bool store_export_is_active(const struct store_export *e);
const char *store_schedule_mode_name(enum store_schedule_mode mode);
bool store_schedule_mode_parse(const char *s, enum store_schedule_mode *out);

enum app_result store_export_list(struct store *s, struct store_export_list *out);
enum app_result store_export_get(struct store *s, const char *id, struct store_export *out);
enum app_result store_export_find(struct store *s, const char *name, struct store_export *out);
enum app_result store_export_create(struct store *s, struct store_export *e);
enum app_result store_export_update(struct store *s, struct store_export *e);
enum app_result store_export_detach(struct store *s, const char *id, long revision);
enum app_result store_export_remove(struct store *s, const char *id, long revision);

json_t *store_export_to_json(const struct store_export *e);

#endif
