/*
 * store_export: export records (DIR/exports/<id>.json). See store_export.h.
 */
#include "app/store_export.h"
#include "app/store_internal.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(name, required)                            \
  {                                                      \
#name, offsetof(struct store_export, name), required \
  }
static const struct store_field fields[] = {
  FIELD(display_name, true),
  FIELD(connection_id, false),
  FIELD(database_name, true),
  FIELD(status, true),
};
#undef FIELD
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

void store_export_init(struct store_export *e)
{
  memset(e, 0, sizeof(*e));
}

void store_export_done(struct store_export *e)
{
  store_meta_done(&e->meta);
  store_fields_free(fields, N_FIELDS, e);
  free(e->connection_name);
  store_strings_done(&e->previous_database_names);
  store_strings_done(&e->tables);
  free(e->schedule.recurrence);
  free(e->schedule.time);
  store_export_init(e);
}

void store_export_list_done(struct store_export_list *list)
{
  for (size_t i = 0; i < list->n; i++)
    store_export_done(&list->items[i]);
  free(list->items);
  list->items = NULL;
  list->n = 0;
}

bool store_export_is_active(const struct store_export *e)
{
  return e->connection_id != NULL;
}

static const char *const mode_names[] = { "system_refresh", "custom", "off" };

const char *store_schedule_mode_name(enum store_schedule_mode mode)
{
  return (unsigned)mode <= STORE_SCHEDULE_OFF ? mode_names[mode] : "system_refresh";
}

bool store_schedule_mode_parse(const char *s, enum store_schedule_mode *out)
{
  for (int i = 0; s && i <= STORE_SCHEDULE_OFF; i++) {
    if (strcmp(s, mode_names[i]) == 0) {
      *out = (enum store_schedule_mode)i;
      return true;
    }
  }
  return false;
}

/* ---- JSON ---- */

static json_t *to_json(const struct store_export *e, bool for_file)
{
  json_t *obj = json_object();
  json_object_set_new(obj, "id", store_json_str(e->meta.id));
  store_fields_to_json(fields, N_FIELDS, e, obj);
  json_object_set_new(obj, "active", json_boolean(store_export_is_active(e)));
  if (!for_file)
    json_object_set_new(
        obj, "connection",
        json_string(e->connection_id ? (e->connection_name ? e->connection_name : e->connection_id)
                                     : STORE_NO_CONNECTION));
  json_object_set_new(obj, "previous_database_names",
                      store_strings_to_json(&e->previous_database_names));
  json_object_set_new(obj, "tables", store_strings_to_json(&e->tables));
  json_t *sched = json_object();
  json_object_set_new(sched, "mode", json_string(store_schedule_mode_name(e->schedule.mode)));
  json_object_set_new(sched, "recurrence", store_json_str(e->schedule.recurrence));
  json_object_set_new(sched, "time", store_json_str(e->schedule.time));
  json_object_set_new(obj, "schedule", sched);
  store_meta_to_json(&e->meta, obj);
  return obj;
}

json_t *store_export_to_json(const struct store_export *e)
{
  return to_json(e, false);
}

static enum app_result from_json(struct store *s, json_t *j, struct store_export *e)
{
  store_export_init(e);
  const char *bad = NULL;
  json_t *sched = json_object_get(j, "schedule");
  if (!store_meta_from_json(j, &e->meta, &bad) ||
      !store_fields_from_json(fields, N_FIELDS, j, e, &bad))
    ;
  else if ((bad = store_fields_missing(fields, N_FIELDS, e)) != NULL)
    ;
  else if (!store_strings_from_json(json_object_get(j, "tables"), &e->tables))
    bad = "tables";
  else if (!store_strings_from_json(json_object_get(j, "previous_database_names"),
                                    &e->previous_database_names))
    bad = "previous_database_names";
  else if (!json_is_object(sched) ||
           !store_schedule_mode_parse(store_json_get_str(sched, "mode"), &e->schedule.mode))
    bad = "schedule";
  if (!bad) {
    e->schedule.recurrence = store_xstrdup_or_null(store_json_get_str(sched, "recurrence"));
    e->schedule.time = store_xstrdup_or_null(store_json_get_str(sched, "time"));
    return APP_OK;
  }
  const char *id = store_json_get_str(j, "id");
  store_export_done(e);
  return store_fail(s, APP_STORE_CORRUPT,
                    "The export record %s in %s has a missing or invalid '%s'.",
                    id ? id : "(no id)", store_dir(s), bad);
}

/* ---- rules ---- */

/* Lake database: ^[A-Za-z][A-Za-z0-9_]{0,23}$ (behavior.md 2; the wizard warns on '_'). */
static bool database_name_ok(const char *s)
{
  return store_is_identifier(s, 24);
}

static bool time_ok(const char *t)
{
  return t && strlen(t) == 5 && isdigit((unsigned char)t[0]) && isdigit((unsigned char)t[1]) &&
         t[2] == ':' && isdigit((unsigned char)t[3]) && isdigit((unsigned char)t[4]) &&
         (t[0] - '0') * 10 + (t[1] - '0') < 24 && t[3] < '6';
}

static enum app_result validate(struct store *s, const struct store_export *e)
{
  if (!e->display_name || !*e->display_name || strlen(e->display_name) > 256)
    return store_fail(s, APP_INVALID, "The export needs a display name (at most 256 bytes).");
  if (!e->database_name || !database_name_ok(e->database_name))
    return store_fail(s, APP_INVALID,
                      "The database name '%s' must start with a letter and hold only letters, "
                      "digits and underscores (at most 24).",
                      e->database_name ? e->database_name : "");
  if (e->connection_id && !store_is_guid(e->connection_id))
    return store_fail(s, APP_INVALID, "The export's connection id '%s' is not a GUID.",
                      e->connection_id);
  if (!e->tables.n)
    return store_fail(s, APP_INVALID, "An export needs at least one table.");
  for (size_t i = 0; i < e->tables.n; i++) {
    if (!*e->tables.items[i] || strlen(e->tables.items[i]) > 256)
      return store_fail(s, APP_INVALID, "Table %zu of the export has no valid name.", i + 1);
    for (size_t k = 0; k < i; k++) {
      if (store_name_equal(e->tables.items[k], e->tables.items[i]))
        return store_fail(s, APP_INVALID, "The table '%s' is listed twice.", e->tables.items[i]);
    }
  }
  if ((unsigned)e->schedule.mode > STORE_SCHEDULE_OFF)
    return store_fail(s, APP_INVALID, "The schedule must be system_refresh, custom or off.");
  if (e->schedule.mode == STORE_SCHEDULE_CUSTOM &&
      (!e->schedule.recurrence || !*e->schedule.recurrence || strlen(e->schedule.recurrence) > 64 ||
       !time_ok(e->schedule.time)))
    return store_fail(s, APP_INVALID,
                      "A custom schedule needs a recurrence and a time of day (HH:MM).");
  if (e->status && !store_is_status(e->status))
    return store_fail(s, APP_INVALID, "'%s' is not an export status.", e->status);
  return APP_OK;
}

static void fill_connection_name(const struct store *s, struct store_export *e, json_t *conn)
{
  free(e->connection_name);
  e->connection_name = NULL;
  if (e->connection_id && conn && store_conn_name(conn))
    e->connection_name = xstrdup(store_conn_name(conn));
}

/* ---- reading ---- */

static int by_name(const void *a, const void *b)
{
  const struct store_export *x = a, *y = b;
  return store_name_cmp(x->display_name, y->display_name);
}

enum app_result store_export_list(struct store *s, struct store_export_list *out)
{
  memset(out, 0, sizeof(*out));
  store_clear_message(s);
  enum app_result rc = store_refresh_roles(s);
  if (rc == APP_OK)
    rc = store_require_member(s);
  struct store_rec_set conns = { 0 }, set = { 0 };
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_CONNECTION, &conns);
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_EXPORT, &set);
  if (rc == APP_OK)
    out->items = xcalloc(set.n ? set.n : 1, sizeof(out->items[0]));
  for (size_t i = 0; i < set.n && rc == APP_OK; i++) {
    struct store_export e;
    rc = from_json(s, set.items[i].json, &e);
    if (rc)
      break;
    json_t *conn = store_conn_find(&conns, e.connection_id);
    if (!store_bound_visible(s, e.connection_id, conn)) {
      store_export_done(&e);
      continue;
    }
    fill_connection_name(s, &e, conn);
    out->items[out->n++] = e;
  }
  store_rec_set_done(&set);
  store_rec_set_done(&conns);
  if (rc) {
    store_export_list_done(out);
    return rc;
  }
  if (out->n > 1)
    qsort(out->items, out->n, sizeof(out->items[0]), by_name);
  return APP_OK;
}

static enum app_result not_found(struct store *s, const char *what)
{
  return store_fail(s, APP_NOT_FOUND, "There is no export '%s' in this store%s.", what,
                    store_current_role(s) == STORE_ROLE_ADMIN ? "" : " that you can see");
}

enum app_result store_export_get(struct store *s, const char *id, struct store_export *out)
{
  store_export_init(out);
  struct store_export_list list;
  enum app_result rc = store_export_list(s, &list);
  if (rc)
    return rc;
  rc = not_found(s, id ? id : "");
  for (size_t i = 0; i < list.n; i++) {
    if (store_name_equal(list.items[i].meta.id, id)) {
      *out = list.items[i];
      store_export_init(&list.items[i]);
      store_clear_message(s);
      rc = APP_OK;
      break;
    }
  }
  store_export_list_done(&list);
  return rc;
}

enum app_result store_export_find(struct store *s, const char *name, struct store_export *out)
{
  store_export_init(out);
  struct store_export_list list;
  enum app_result rc = store_export_list(s, &list);
  if (rc)
    return rc;
  rc = not_found(s, name ? name : "");
  for (size_t i = 0; i < list.n; i++) {
    if (store_name_equal(list.items[i].display_name, name)) {
      *out = list.items[i];
      store_export_init(&list.items[i]);
      store_clear_message(s);
      rc = APP_OK;
      break;
    }
  }
  store_export_list_done(&list);
  return rc;
}

/* ---- changing ---- */

static enum app_result check_unique(struct store *s, const struct store_rec_set *set,
                                    const char *name, const char *self_id)
{
  for (size_t i = 0; i < set->n; i++) {
    const char *other = store_json_get_str(set->items[i].json, "display_name");
    if (store_name_equal(other, name) && (!self_id || strcmp(set->items[i].id, self_id) != 0))
      return store_fail(s, APP_NAME_TAKEN,
                        "An export named '%s' already exists in this store (names are compared "
                        "without regard to case); choose another display name.",
                        other);
  }
  return APP_OK;
}

static enum app_result save(struct store *s, const struct store_export *e)
{
  json_t *obj = to_json(e, true);
  enum app_result rc = store_rec_write(s, STORE_KIND_EXPORT, e->meta.id, obj);
  json_decref(obj);
  return rc;
}

enum app_result store_export_create(struct store *s, struct store_export *e)
{
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  rc = store_bound_require_create(s, STORE_KIND_EXPORT);
  if (rc == APP_OK && !e->connection_id)
    rc = store_fail(s, APP_INVALID, "A new export needs a connection.");
  if (rc == APP_OK)
    rc = validate(s, e);
  struct store_rec_set conns = { 0 }, set = { 0 };
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_CONNECTION, &conns);
  json_t *conn = rc ? NULL : store_conn_find(&conns, e->connection_id);
  if (rc == APP_OK)
    rc = store_bound_require_usable(s, STORE_KIND_EXPORT, e->connection_id, conn);
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_EXPORT, &set);
  if (rc == APP_OK)
    rc = check_unique(s, &set, e->display_name, NULL);
  if (rc == APP_OK) {
    store_meta_new(s, &e->meta);
    for (char *p = e->connection_id; *p; p++)
      *p = (char)tolower((unsigned char)*p);
    if (!e->status)
      e->status = xstrdup("Not started");
    store_strings_done(&e->previous_database_names);
    fill_connection_name(s, e, conn);
    rc = save(s, e);
  }
  store_rec_set_done(&set);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}

/* Under the lock: the stored export `id` as of now, checked against the revision the change
 * is based on and the actor's right to change it. */
static enum app_result load_for_change(struct store *s, const char *id, long revision,
                                       struct store_rec_set *conns, struct store_export *current)
{
  store_export_init(current);
  enum app_result rc = store_rec_load_all(s, STORE_KIND_CONNECTION, conns);
  json_t *j = NULL;
  if (rc == APP_OK) {
    rc = store_rec_load(s, STORE_KIND_EXPORT, id, &j);
    if (rc == APP_NOT_FOUND)
      return store_check_revision(s, STORE_KIND_EXPORT, id ? id : "", NULL, revision);
  }
  if (rc == APP_OK)
    rc = from_json(s, j, current);
  json_decref(j);
  if (rc)
    return rc;
  json_t *conn = store_conn_find(conns, current->connection_id);
  if (!store_bound_visible(s, current->connection_id, conn))
    return not_found(s, id);
  rc = store_check_revision(s, STORE_KIND_EXPORT, current->display_name, &current->meta, revision);
  if (rc == APP_OK)
    rc = store_bound_require_manage(s, STORE_KIND_EXPORT, current->display_name,
                                    current->connection_id, conn);
  return rc;
}

static enum app_result commit(struct store *s, struct store_export *e,
                              const struct store_export *current)
{
  struct store_meta meta = { 0 };
  store_meta_next(s, &meta, &current->meta);
  struct store_meta before = e->meta;
  e->meta = meta;
  enum app_result rc = save(s, e);
  if (rc) {
    e->meta = before;
    store_meta_done(&meta);
  } else {
    store_meta_done(&before);
  }
  return rc;
}

enum app_result store_export_update(struct store *s, struct store_export *e)
{
  if (!e->meta.id || e->meta.revision < 1)
    return store_fail(s, APP_INVALID,
                      "Only a record read from the store can be updated (it has no id or "
                      "revision).");
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  struct store_rec_set conns = { 0 }, set = { 0 };
  struct store_export current;
  rc = store_require_member(s);
  if (rc == APP_OK)
    rc = load_for_change(s, e->meta.id, e->meta.revision, &conns, &current);
  else
    store_export_init(&current);
  if (rc == APP_OK)
    rc = validate(s, e);
  json_t *conn = rc ? NULL : store_conn_find(&conns, e->connection_id);
  if (rc == APP_OK && e->connection_id &&
      !store_name_equal(e->connection_id, current.connection_id))
    rc = store_bound_require_usable(s, STORE_KIND_EXPORT, e->connection_id, conn);
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_EXPORT, &set);
  if (rc == APP_OK)
    rc = check_unique(s, &set, e->display_name, current.meta.id);
  if (rc == APP_OK) {
    /* The history of database names is the store's: a new name leaves the old database
     * in Synapse, no longer refreshed (behavior.md W2), and going back to an old name
     * makes it current again. */
    struct store_strings previous = { 0 };
    for (size_t i = 0; i < current.previous_database_names.n; i++) {
      if (!store_name_equal(current.previous_database_names.items[i], e->database_name))
        store_strings_add(&previous, current.previous_database_names.items[i]);
    }
    if (!store_name_equal(current.database_name, e->database_name) &&
        !store_strings_contains_nocase(&previous, current.database_name))
      store_strings_add(&previous, current.database_name);
    store_strings_done(&e->previous_database_names);
    e->previous_database_names = previous;
    if (e->connection_id)
      for (char *p = e->connection_id; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!e->status)
      e->status = xstrdup(current.status);
    fill_connection_name(s, e, conn);
    rc = commit(s, e, &current);
  }
  store_export_done(&current);
  store_rec_set_done(&set);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}

enum app_result store_export_detach(struct store *s, const char *id, long revision)
{
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  struct store_rec_set conns = { 0 };
  struct store_export current, next;
  store_export_init(&next);
  rc = store_require_member(s);
  if (rc == APP_OK)
    rc = load_for_change(s, id, revision, &conns, &current);
  else
    store_export_init(&current);
  if (rc == APP_OK && current.connection_id) {
    json_t *obj = to_json(&current, true);
    rc = from_json(s, obj, &next);
    json_decref(obj);
    if (rc == APP_OK) {
      free(next.connection_id);
      next.connection_id = NULL;
      rc = commit(s, &next, &current);
    }
  }
  store_export_done(&next);
  store_export_done(&current);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}

enum app_result store_export_remove(struct store *s, const char *id, long revision)
{
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  struct store_rec_set conns = { 0 };
  struct store_export current;
  rc = store_require_member(s);
  if (rc == APP_OK)
    rc = load_for_change(s, id, revision, &conns, &current);
  else
    store_export_init(&current);
  if (rc == APP_OK)
    rc = store_rec_unlink(s, STORE_KIND_EXPORT, current.meta.id);
  store_export_done(&current);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}
