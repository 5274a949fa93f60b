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

static enum app_result from_json(struct store *s, json_t *j, void *rec)
{
  struct store_export *e = rec;
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

static enum app_result validate(struct store *s, const void *rec)
{
  const struct store_export *e = rec;
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

/* ---- what store_record.c needs to know ---- */

static void done(void *rec)
{
  store_export_done(rec);
}

static json_t *to_file(const void *rec)
{
  return to_json(rec, true);
}

static int by_name(const void *a, const void *b)
{
  const struct store_export *x = a, *y = b;
  return store_name_cmp(x->display_name, y->display_name);
}

static void fill_new(void *rec)
{
  struct store_export *e = rec;
  if (!e->status)
    e->status = xstrdup("Not started");
  store_strings_done(&e->previous_database_names);
}

static void fill_next(void *rec, const void *stored)
{
  struct store_export *e = rec;
  const struct store_export *current = stored;
  /* The history of database names is the store's: a new name leaves the old database
   * in Synapse, no longer refreshed (behavior.md W2), and going back to an old name
   * makes it current again. */
  struct store_strings previous = { 0 };
  for (size_t i = 0; i < current->previous_database_names.n; i++) {
    if (!store_name_equal(current->previous_database_names.items[i], e->database_name))
      store_strings_add(&previous, current->previous_database_names.items[i]);
  }
  if (!store_name_equal(current->database_name, e->database_name) &&
      !store_strings_contains_nocase(&previous, current->database_name))
    store_strings_add(&previous, current->database_name);
  store_strings_done(&e->previous_database_names);
  e->previous_database_names = previous;
  if (!e->status)
    e->status = xstrdup(current->status);
}

static const struct store_rec_ops export_ops = {
  .kind = STORE_KIND_EXPORT,
  .size = sizeof(struct store_export),
  .meta_offset = offsetof(struct store_export, meta),
  .name_offset = offsetof(struct store_export, display_name),
  .name_key = "display_name",
  .name_label = "display name",
  .unseen_hint = " that you can see",
  .bound = true,
  .connection_id_offset = offsetof(struct store_export, connection_id),
  .connection_name_offset = offsetof(struct store_export, connection_name),
  .done = done,
  .from_json = from_json,
  .to_file = to_file,
  .validate = validate,
  .compare = by_name,
  .fill_new = fill_new,
  .fill_next = fill_next,
};

/* ---- reading and changing ---- */

void store_export_list_done(struct store_export_list *list)
{
  store_rec_items_free(&export_ops, list->items, list->n);
  memset(list, 0, sizeof(*list));
}

enum app_result store_export_list(struct store *s, struct store_export_list *out)
{
  void *items;
  enum app_result rc = store_rec_list(s, &export_ops, &items, &out->n);
  out->items = items;
  return rc;
}

enum app_result store_export_get(struct store *s, const char *id, struct store_export *out)
{
  return store_rec_get(s, &export_ops, id, out);
}

enum app_result store_export_find(struct store *s, const char *name, struct store_export *out)
{
  return store_rec_find(s, &export_ops, NULL, name, out);
}

enum app_result store_export_create(struct store *s, struct store_export *e)
{
  return store_rec_create(s, &export_ops, e);
}

enum app_result store_export_update(struct store *s, struct store_export *e)
{
  return store_rec_update(s, &export_ops, e);
}

enum app_result store_export_detach(struct store *s, const char *id, long revision)
{
  return store_rec_detach(s, &export_ops, id, revision);
}

enum app_result store_export_remove(struct store *s, const char *id, long revision)
{
  return store_rec_remove(s, &export_ops, id, revision, NULL);
}
