/*
 * store_table: table records (DIR/tables/<id>.json). See store_table.h.
 */
#include "app/store_table.h"
#include "app/store_internal.h"
#include "util/csv_reader.h"
#include "util/xalloc.h"
#include "wizard/rules.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(name, required)                           \
  {                                                     \
#name, offsetof(struct store_table, name), required \
  }
static const struct store_field fields[] = {
  FIELD(name, true),
  FIELD(location, true),
  FIELD(customer_id, false),
  FIELD(read_at, false),
};
#undef FIELD
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static const char *const source_names[] = { "file", "storage" };

void store_table_init(struct store_table *t)
{
  memset(t, 0, sizeof(*t));
}

static void free_attributes(struct store_table *t)
{
  for (size_t i = 0; i < t->n_attributes; i++) {
    free(t->attributes[i].name);
    free(t->attributes[i].data_type);
  }
  free(t->attributes);
  t->attributes = NULL;
  t->n_attributes = 0;
}

void store_table_done(struct store_table *t)
{
  store_meta_done(&t->meta);
  store_fields_free(fields, N_FIELDS, t);
  store_strings_done(&t->parts);
  free_attributes(t);
  store_table_init(t);
}

void store_table_add_attribute(struct store_table *t, const char *name, const char *data_type)
{
  t->attributes = xrealloc(t->attributes, (t->n_attributes + 1) * sizeof(t->attributes[0]));
  struct store_table_attribute *a = &t->attributes[t->n_attributes++];
  a->name = xstrdup(name);
  a->data_type = xstrdup(data_type);
}

const char *store_table_source_name(enum store_table_source source)
{
  return source == STORE_TABLE_STORAGE ? source_names[1] : source_names[0];
}

static bool source_parse(const char *s, enum store_table_source *out)
{
  for (int i = 0; s && i < 2; i++) {
    if (strcmp(s, source_names[i]) == 0) {
      *out = (enum store_table_source)i;
      return true;
    }
  }
  return false;
}

const struct store_table_attribute *store_table_attribute(const struct store_table *t,
                                                          const char *name)
{
  for (size_t i = 0; name && i < t->n_attributes; i++) {
    if (store_name_equal(t->attributes[i].name, name))
      return &t->attributes[i];
  }
  return NULL;
}

/* ---- JSON ---- */

json_t *store_table_to_json(const struct store_table *t)
{
  json_t *obj = json_object();
  json_object_set_new(obj, "id", store_json_str(t->meta.id));
  store_fields_to_json(fields, N_FIELDS, t, obj);
  json_object_set_new(obj, "source", json_string(store_table_source_name(t->source)));
  json_object_set_new(obj, "parts", store_strings_to_json(&t->parts));
  json_t *attrs = json_array();
  for (size_t i = 0; i < t->n_attributes; i++)
    json_array_append_new(attrs, json_pack("{s:s, s:s}", "name", t->attributes[i].name, "dataType",
                                           t->attributes[i].data_type));
  json_object_set_new(obj, "attributes", attrs);
  json_object_set_new(obj, "rows", json_integer(t->rows));
  json_object_set_new(obj, "bytes", json_integer(t->bytes));
  store_meta_to_json(&t->meta, obj);
  return obj;
}

static bool attributes_from_json(json_t *arr, struct store_table *t)
{
  if (!json_is_array(arr))
    return false;
  size_t i;
  json_t *a;
  json_array_foreach(arr, i, a)
  {
    const char *name = store_json_get_str(a, "name");
    const char *type = store_json_get_str(a, "dataType");
    if (!name || !type)
      return false;
    store_table_add_attribute(t, name, type);
  }
  return true;
}

static enum app_result from_json(struct store *s, json_t *j, void *rec)
{
  struct store_table *t = rec;
  store_table_init(t);
  const char *bad = NULL;
  json_t *rows = json_object_get(j, "rows"), *bytes = json_object_get(j, "bytes");
  if (!store_meta_from_json(j, &t->meta, &bad) ||
      !store_fields_from_json(fields, N_FIELDS, j, t, &bad))
    ;
  else if ((bad = store_fields_missing(fields, N_FIELDS, t)) != NULL)
    ;
  else if (!source_parse(store_json_get_str(j, "source"), &t->source))
    bad = "source";
  else if (!store_strings_from_json(json_object_get(j, "parts"), &t->parts))
    bad = "parts";
  else if (!attributes_from_json(json_object_get(j, "attributes"), t))
    bad = "attributes";
  else if (!json_is_integer(rows) || !json_is_integer(bytes))
    bad = json_is_integer(rows) ? "bytes" : "rows";
  if (!bad) {
    t->rows = json_integer_value(rows);
    t->bytes = json_integer_value(bytes);
    return APP_OK;
  }
  const char *id = store_json_get_str(j, "id");
  store_table_done(t);
  return store_fail(s, APP_STORE_CORRUPT,
                    "The table record %s in %s has a missing or invalid '%s'.", id ? id : "(no id)",
                    store_dir(s), bad);
}

/* ---- rules ---- */

static enum app_result validate(struct store *s, const void *rec)
{
  const struct store_table *t = rec;
  const struct wiz_rule *rule = wiz_rule_find("table_name");
  const char *why = NULL;
  if (!t->name || !*t->name || wiz_rule_check(rule, t->name, &why) == WIZ_CHECK_ERROR)
    return store_fail(s, APP_INVALID, "'%s' is not a table name: %s (rule: table_name)",
                      t->name ? t->name : "", why ? why : "Required.");
  if (!t->location || !*t->location || strlen(t->location) > 4096)
    return store_fail(s, APP_INVALID, "The table '%s' needs a location.", t->name);
  if ((unsigned)t->source > STORE_TABLE_STORAGE)
    return store_fail(s, APP_INVALID, "The table's source must be file or storage.");
  if (!t->parts.n)
    return store_fail(s, APP_INVALID, "The table '%s' has no file or blob.", t->name);
  if (!t->n_attributes)
    return store_fail(s, APP_INVALID, "The table '%s' has no attributes.", t->name);
  for (size_t i = 0; i < t->n_attributes; i++) {
    const struct store_table_attribute *a = &t->attributes[i];
    enum csv_type type;
    if (!a->name || !*a->name)
      return store_fail(s, APP_INVALID, "Attribute %zu of '%s' has no name.", i + 1, t->name);
    if (!csv_type_parse(a->data_type, &type))
      return store_fail(s, APP_INVALID,
                        "The attribute '%s' has the data type '%s', which is not "
                        "a CDM data type.",
                        a->name, a->data_type ? a->data_type : "");
    for (size_t k = 0; k < i; k++) {
      if (store_name_equal(t->attributes[k].name, a->name))
        return store_fail(s, APP_INVALID, "The table '%s' has the attribute '%s' twice.", t->name,
                          a->name);
    }
  }
  if (t->customer_id && !store_table_attribute(t, t->customer_id))
    return store_fail(s, APP_INVALID,
                      "The customer id '%s' is not an attribute of '%s' (its attributes are the "
                      "header's columns).",
                      t->customer_id, t->name);
  if (t->rows < 0 || t->bytes < 0)
    return store_fail(s, APP_INVALID, "The rows and bytes of a table cannot be negative.");
  return APP_OK;
}

static enum app_result require_writer(struct store *s, const char *verb)
{
  enum app_result rc = store_require_member(s);
  if (rc)
    return rc;
  if (store_current_role(s) == STORE_ROLE_VIEWER)
    return store_deny(s,
                      "You are a viewer of this store and cannot %s tables; administrators and "
                      "contributors can.",
                      verb);
  return APP_OK;
}

/* ---- what store_record.c needs to know ---- */

static void done(void *rec)
{
  store_table_done(rec);
}

static json_t *to_file(const void *rec)
{
  return store_table_to_json(rec);
}

static int by_name(const void *a, const void *b)
{
  const struct store_table *x = a, *y = b;
  return store_name_cmp(x->name, y->name);
}

static const struct store_rec_ops table_ops = {
  .kind = STORE_KIND_TABLE,
  .size = sizeof(struct store_table),
  .meta_offset = offsetof(struct store_table, meta),
  .name_offset = offsetof(struct store_table, name),
  .name_key = "name",
  .name_label = "name",
  .unseen_hint = "",
  .done = done,
  .from_json = from_json,
  .to_file = to_file,
  .validate = validate,
  .compare = by_name,
  .require = require_writer,
};

/* ---- reading and changing ---- */

void store_table_list_done(struct store_table_list *list)
{
  store_rec_items_free(&table_ops, list->items, list->n);
  memset(list, 0, sizeof(*list));
}

enum app_result store_table_list(struct store *s, struct store_table_list *out)
{
  void *items;
  enum app_result rc = store_rec_list(s, &table_ops, &items, &out->n);
  out->items = items;
  return rc;
}

enum app_result store_table_get(struct store *s, const char *id, struct store_table *out)
{
  return store_rec_get(s, &table_ops, id, out);
}

enum app_result store_table_find(struct store *s, const char *name, struct store_table *out)
{
  return store_rec_find(s, &table_ops, NULL, name, out);
}

/* The customer profile table is one per store. Checked from the records as read just
 * before the write: two adds racing could both pass, which costs a second marked table,
 * never a lost record. */
static enum app_result check_one_profile(struct store *s, const struct store_table *t)
{
  if (!t->customer_id)
    return APP_OK;
  struct store_table_list all = { 0 };
  enum app_result rc = store_table_list(s, &all);
  for (size_t i = 0; rc == APP_OK && i < all.n; i++) {
    const struct store_table *o = &all.items[i];
    if (o->customer_id && !(t->meta.id && o->meta.id && store_name_equal(t->meta.id, o->meta.id)))
      rc = store_fail(s, APP_INVALID,
                      "'%s' is already the customer profile table (customer id '%s'); a store "
                      "has one. Add '%s' without --customer-id, or remove '%s' first.",
                      o->name, o->customer_id, t->name, o->name);
  }
  store_table_list_done(&all);
  return rc;
}

enum app_result store_table_create(struct store *s, struct store_table *t)
{
  enum app_result rc = check_one_profile(s, t);
  return rc ? rc : store_rec_create(s, &table_ops, t);
}

enum app_result store_table_update(struct store *s, struct store_table *t)
{
  enum app_result rc = check_one_profile(s, t);
  return rc ? rc : store_rec_update(s, &table_ops, t);
}

enum app_result store_table_remove(struct store *s, const char *id, long revision)
{
  return store_rec_remove(s, &table_ops, id, revision, NULL);
}
