/*
 * store_model: model records (DIR/models/<id>.json). See store_model.h.
 */
#include "app/store_model.h"
#include "app/store_internal.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(name, required)                           \
  {                                                     \
#name, offsetof(struct store_model, name), required \
  }
static const struct store_field fields[] = {
  FIELD(name, true),         FIELD(connection_id, false), FIELD(pipeline, true),
  FIELD(output_table, true), FIELD(primary_key, true),    FIELD(customer_id_column, true),
  FIELD(status, true),
};
#undef FIELD
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

#define MFIELD(name)                                        \
  {                                                         \
#name, offsetof(struct store_model_mapping, name), true \
  }
static const struct store_field mapping_fields[] = { MFIELD(input), MFIELD(column), MFIELD(table),
                                                     MFIELD(attribute) };
#undef MFIELD
#define RFIELD(name, required)                              \
  {                                                         \
#name, offsetof(struct store_model_run, name), required \
  }
static const struct store_field run_fields[] = { RFIELD(run_id, true), RFIELD(started_at, true),
                                                 RFIELD(finished_at, false), RFIELD(status, true) };
#undef RFIELD

void store_model_init(struct store_model *m)
{
  memset(m, 0, sizeof(*m));
}

static void free_mapping(struct store_model *m)
{
  for (size_t i = 0; i < m->n_mapping; i++)
    store_fields_free(mapping_fields, 4, &m->mapping[i]);
  free(m->mapping);
  m->mapping = NULL;
  m->n_mapping = 0;
}

static void free_runs(struct store_model *m)
{
  for (size_t i = 0; i < m->n_runs; i++)
    store_fields_free(run_fields, 4, &m->runs[i]);
  free(m->runs);
  m->runs = NULL;
  m->n_runs = 0;
}

void store_model_done(struct store_model *m)
{
  store_meta_done(&m->meta);
  store_fields_free(fields, N_FIELDS, m);
  free(m->connection_name);
  free_mapping(m);
  free_runs(m);
  store_model_init(m);
}

void store_model_list_done(struct store_model_list *list)
{
  for (size_t i = 0; i < list->n; i++)
    store_model_done(&list->items[i]);
  free(list->items);
  list->items = NULL;
  list->n = 0;
}

void store_model_add_mapping(struct store_model *m, const char *input, const char *column,
                             const char *table, const char *attribute)
{
  m->mapping = xrealloc(m->mapping, (m->n_mapping + 1) * sizeof(m->mapping[0]));
  struct store_model_mapping *x = &m->mapping[m->n_mapping++];
  x->input = store_xstrdup_or_null(input);
  x->column = store_xstrdup_or_null(column);
  x->table = store_xstrdup_or_null(table);
  x->attribute = store_xstrdup_or_null(attribute);
}

static void add_run(struct store_model *m, const struct store_model_run *run)
{
  m->runs = xrealloc(m->runs, (m->n_runs + 1) * sizeof(m->runs[0]));
  struct store_model_run *r = &m->runs[m->n_runs++];
  r->run_id = store_xstrdup_or_null(run->run_id);
  r->started_at = store_xstrdup_or_null(run->started_at);
  r->finished_at = store_xstrdup_or_null(run->finished_at);
  r->status = store_xstrdup_or_null(run->status);
}

/* ---- JSON ---- */

static json_t *to_json(const struct store_model *m, bool for_file)
{
  json_t *obj = json_object();
  json_object_set_new(obj, "id", store_json_str(m->meta.id));
  store_fields_to_json(fields, N_FIELDS, m, obj);
  json_object_set_new(obj, "active", json_boolean(m->connection_id != NULL));
  if (!for_file)
    json_object_set_new(
        obj, "connection",
        json_string(m->connection_id ? (m->connection_name ? m->connection_name : m->connection_id)
                                     : STORE_NO_CONNECTION));
  json_t *arr = json_array();
  for (size_t i = 0; i < m->n_mapping; i++) {
    json_t *o = json_object();
    store_fields_to_json(mapping_fields, 4, &m->mapping[i], o);
    json_array_append_new(arr, o);
  }
  json_object_set_new(obj, "mapping", arr);
  arr = json_array();
  for (size_t i = 0; i < m->n_runs; i++) {
    json_t *o = json_object();
    store_fields_to_json(run_fields, 4, &m->runs[i], o);
    json_array_append_new(arr, o);
  }
  json_object_set_new(obj, "runs", arr);
  store_meta_to_json(&m->meta, obj);
  return obj;
}

json_t *store_model_to_json(const struct store_model *m)
{
  return to_json(m, false);
}

static const char *entries_from_json(json_t *arr, const struct store_field *f, size_t nf,
                                     void **items, size_t *n, size_t item_size, const char *key)
{
  if (!json_is_array(arr))
    return key;
  size_t i;
  json_t *o;
  json_array_foreach(arr, i, o)
  {
    *items = xrealloc(*items, (*n + 1) * item_size);
    void *slot = (char *)*items + *n * item_size;
    memset(slot, 0, item_size);
    (*n)++;
    const char *bad = NULL;
    if (!json_is_object(o) || !store_fields_from_json(f, nf, o, slot, &bad) ||
        store_fields_missing(f, nf, slot))
      return key;
  }
  return NULL;
}

static enum app_result from_json(struct store *s, json_t *j, struct store_model *m)
{
  store_model_init(m);
  const char *bad = NULL;
  if (!store_meta_from_json(j, &m->meta, &bad) ||
      !store_fields_from_json(fields, N_FIELDS, j, m, &bad))
    ;
  else if ((bad = store_fields_missing(fields, N_FIELDS, m)) != NULL)
    ;
  else if ((bad = entries_from_json(json_object_get(j, "mapping"), mapping_fields, 4,
                                    (void **)&m->mapping, &m->n_mapping, sizeof(m->mapping[0]),
                                    "mapping")) != NULL)
    ;
  else
    bad = entries_from_json(json_object_get(j, "runs"), run_fields, 4, (void **)&m->runs,
                            &m->n_runs, sizeof(m->runs[0]), "runs");
  if (!bad)
    return APP_OK;
  const char *id = store_json_get_str(j, "id");
  store_model_done(m);
  return store_fail(s, APP_STORE_CORRUPT,
                    "The model record %s in %s has a missing or invalid '%s'.", id ? id : "(no id)",
                    store_dir(s), bad);
}

/* ---- rules ---- */

static bool text_ok(const char *s, size_t max)
{
  return s && *s && strlen(s) <= max;
}

static enum app_result validate(struct store *s, const struct store_model *m)
{
  if (!text_ok(m->name, 256))
    return store_fail(s, APP_INVALID, "The model needs a name (at most 256 bytes).");
  if (!text_ok(m->pipeline, 260))
    return store_fail(s, APP_INVALID, "The model needs a pipeline.");
  if (!store_is_identifier(m->output_table, 128))
    return store_fail(s, APP_INVALID,
                      "The output table name '%s' must start with a letter and hold only "
                      "letters, digits and underscores.",
                      m->output_table ? m->output_table : "");
  if (!text_ok(m->primary_key, 256) || !text_ok(m->customer_id_column, 256))
    return store_fail(s, APP_INVALID, "The model needs a primary key and a Customer ID column.");
  if (m->connection_id && !store_is_guid(m->connection_id))
    return store_fail(s, APP_INVALID, "The model's connection id '%s' is not a GUID.",
                      m->connection_id);
  for (size_t i = 0; i < m->n_mapping; i++) {
    const struct store_model_mapping *x = &m->mapping[i];
    if (!text_ok(x->input, 256) || !text_ok(x->column, 256) || !text_ok(x->table, 256) ||
        !text_ok(x->attribute, 256))
      return store_fail(s, APP_INVALID,
                        "Mapping %zu of the model needs an input, a column, a table and an "
                        "attribute.",
                        i + 1);
  }
  if (m->status && !store_is_status(m->status))
    return store_fail(s, APP_INVALID, "'%s' is not a model status.", m->status);
  return APP_OK;
}

static void fill_connection_name(struct store_model *m, json_t *conn)
{
  free(m->connection_name);
  m->connection_name = NULL;
  if (m->connection_id && conn && store_conn_name(conn))
    m->connection_name = xstrdup(store_conn_name(conn));
}

static void lower(char *p)
{
  for (; p && *p; p++)
    *p = (char)tolower((unsigned char)*p);
}

/* ---- reading ---- */

static int by_name(const void *a, const void *b)
{
  const struct store_model *x = a, *y = b;
  return store_name_cmp(x->name, y->name);
}

enum app_result store_model_list(struct store *s, struct store_model_list *out)
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
    rc = store_rec_load_all(s, STORE_KIND_MODEL, &set);
  if (rc == APP_OK)
    out->items = xcalloc(set.n ? set.n : 1, sizeof(out->items[0]));
  for (size_t i = 0; i < set.n && rc == APP_OK; i++) {
    struct store_model m;
    rc = from_json(s, set.items[i].json, &m);
    if (rc)
      break;
    json_t *conn = store_conn_find(&conns, m.connection_id);
    if (!store_bound_visible(s, m.connection_id, conn)) {
      store_model_done(&m);
      continue;
    }
    fill_connection_name(&m, conn);
    out->items[out->n++] = m;
  }
  store_rec_set_done(&set);
  store_rec_set_done(&conns);
  if (rc) {
    store_model_list_done(out);
    return rc;
  }
  if (out->n > 1)
    qsort(out->items, out->n, sizeof(out->items[0]), by_name);
  return APP_OK;
}

static enum app_result not_found(struct store *s, const char *what)
{
  return store_fail(s, APP_NOT_FOUND, "There is no model '%s' in this store%s.", what,
                    store_current_role(s) == STORE_ROLE_ADMIN ? "" : " that you can see");
}

static enum app_result pick(struct store *s, const char *key, bool by_id, struct store_model *out)
{
  store_model_init(out);
  struct store_model_list list;
  enum app_result rc = store_model_list(s, &list);
  if (rc)
    return rc;
  rc = not_found(s, key ? key : "");
  for (size_t i = 0; i < list.n; i++) {
    if (store_name_equal(by_id ? list.items[i].meta.id : list.items[i].name, key)) {
      *out = list.items[i];
      store_model_init(&list.items[i]);
      store_clear_message(s);
      rc = APP_OK;
      break;
    }
  }
  store_model_list_done(&list);
  return rc;
}

enum app_result store_model_get(struct store *s, const char *id, struct store_model *out)
{
  return pick(s, id, true, out);
}

enum app_result store_model_find(struct store *s, const char *name, struct store_model *out)
{
  return pick(s, name, false, out);
}

/* ---- changing ---- */

static enum app_result check_unique(struct store *s, const struct store_rec_set *set,
                                    const char *name, const char *self_id)
{
  for (size_t i = 0; i < set->n; i++) {
    const char *other = store_json_get_str(set->items[i].json, "name");
    if (store_name_equal(other, name) && (!self_id || strcmp(set->items[i].id, self_id) != 0))
      return store_fail(s, APP_NAME_TAKEN,
                        "A model named '%s' already exists in this store (names are compared "
                        "without regard to case); choose another name.",
                        other);
  }
  return APP_OK;
}

static enum app_result save(struct store *s, const struct store_model *m)
{
  json_t *obj = to_json(m, true);
  enum app_result rc = store_rec_write(s, STORE_KIND_MODEL, m->meta.id, obj);
  json_decref(obj);
  return rc;
}

enum app_result store_model_create(struct store *s, struct store_model *m)
{
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  rc = store_bound_require_create(s, STORE_KIND_MODEL);
  if (rc == APP_OK && !m->connection_id)
    rc = store_fail(s, APP_INVALID, "A new model needs a connection.");
  if (rc == APP_OK)
    rc = validate(s, m);
  struct store_rec_set conns = { 0 }, set = { 0 };
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_CONNECTION, &conns);
  json_t *conn = rc ? NULL : store_conn_find(&conns, m->connection_id);
  if (rc == APP_OK)
    rc = store_bound_require_usable(s, STORE_KIND_MODEL, m->connection_id, conn);
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_MODEL, &set);
  if (rc == APP_OK)
    rc = check_unique(s, &set, m->name, NULL);
  if (rc == APP_OK) {
    store_meta_new(s, &m->meta);
    lower(m->connection_id);
    if (!m->status)
      m->status = xstrdup("Not started");
    free_runs(m);
    fill_connection_name(m, conn);
    rc = save(s, m);
  }
  store_rec_set_done(&set);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}

static enum app_result load_for_change(struct store *s, const char *id, long revision,
                                       bool check_revision, struct store_rec_set *conns,
                                       struct store_model *current)
{
  store_model_init(current);
  enum app_result rc = store_require_member(s);
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_CONNECTION, conns);
  json_t *j = NULL;
  if (rc == APP_OK) {
    rc = store_rec_load(s, STORE_KIND_MODEL, id, &j);
    if (rc == APP_NOT_FOUND)
      return check_revision
                 ? store_check_revision(s, STORE_KIND_MODEL, id ? id : "", NULL, revision)
                 : not_found(s, id ? id : "");
  }
  if (rc == APP_OK)
    rc = from_json(s, j, current);
  json_decref(j);
  if (rc)
    return rc;
  json_t *conn = store_conn_find(conns, current->connection_id);
  if (!store_bound_visible(s, current->connection_id, conn))
    return not_found(s, id);
  if (check_revision)
    rc = store_check_revision(s, STORE_KIND_MODEL, current->name, &current->meta, revision);
  if (rc == APP_OK)
    rc = store_bound_require_manage(s, STORE_KIND_MODEL, current->name, current->connection_id,
                                    conn);
  return rc;
}

static enum app_result commit(struct store *s, struct store_model *m,
                              const struct store_model *current)
{
  struct store_meta meta = { 0 };
  store_meta_next(s, &meta, &current->meta);
  struct store_meta before = m->meta;
  m->meta = meta;
  enum app_result rc = save(s, m);
  if (rc) {
    m->meta = before;
    store_meta_done(&meta);
  } else {
    store_meta_done(&before);
  }
  return rc;
}

/* A full copy of `from` (through its JSON, which is what the store trusts anyway). */
static enum app_result copy(struct store *s, const struct store_model *from, struct store_model *to)
{
  json_t *obj = to_json(from, true);
  enum app_result rc = from_json(s, obj, to);
  json_decref(obj);
  return rc;
}

enum app_result store_model_update(struct store *s, struct store_model *m)
{
  if (!m->meta.id || m->meta.revision < 1)
    return store_fail(s, APP_INVALID,
                      "Only a record read from the store can be updated (it has no id or "
                      "revision).");
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  struct store_rec_set conns = { 0 }, set = { 0 };
  struct store_model current;
  rc = load_for_change(s, m->meta.id, m->meta.revision, true, &conns, &current);
  if (rc == APP_OK)
    rc = validate(s, m);
  json_t *conn = rc ? NULL : store_conn_find(&conns, m->connection_id);
  if (rc == APP_OK && m->connection_id &&
      !store_name_equal(m->connection_id, current.connection_id))
    rc = store_bound_require_usable(s, STORE_KIND_MODEL, m->connection_id, conn);
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_MODEL, &set);
  if (rc == APP_OK)
    rc = check_unique(s, &set, m->name, current.meta.id);
  if (rc == APP_OK) {
    lower(m->connection_id);
    free_runs(m);
    for (size_t i = 0; i < current.n_runs; i++)
      add_run(m, &current.runs[i]);
    if (!m->status)
      m->status = xstrdup(current.status);
    fill_connection_name(m, conn);
    rc = commit(s, m, &current);
  }
  store_model_done(&current);
  store_rec_set_done(&set);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}

enum app_result store_model_detach(struct store *s, const char *id, long revision)
{
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  struct store_rec_set conns = { 0 };
  struct store_model current, next;
  store_model_init(&next);
  rc = load_for_change(s, id, revision, true, &conns, &current);
  if (rc == APP_OK && current.connection_id) {
    rc = copy(s, &current, &next);
    if (rc == APP_OK) {
      free(next.connection_id);
      next.connection_id = NULL;
      rc = commit(s, &next, &current);
    }
  }
  store_model_done(&next);
  store_model_done(&current);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}

enum app_result store_model_remove(struct store *s, const char *id, long revision)
{
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  struct store_rec_set conns = { 0 };
  struct store_model current;
  rc = load_for_change(s, id, revision, true, &conns, &current);
  if (rc == APP_OK)
    rc = store_rec_unlink(s, STORE_KIND_MODEL, current.meta.id);
  store_model_done(&current);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}

enum app_result store_model_put_run(struct store *s, const char *id,
                                    const struct store_model_run *run)
{
  store_clear_message(s);
  if (!run || !text_ok(run->run_id, 128) || !text_ok(run->started_at, 64) ||
      !store_is_status(run->status) || (run->finished_at && strlen(run->finished_at) > 64))
    return store_fail(s, APP_INVALID,
                      "A model run needs a run id, a start time and a status from the status "
                      "list.");
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  struct store_rec_set conns = { 0 };
  struct store_model current, next;
  store_model_init(&next);
  rc = load_for_change(s, id, 0, false, &conns, &current);
  if (rc == APP_OK)
    rc = copy(s, &current, &next);
  if (rc == APP_OK) {
    size_t at = next.n_runs;
    for (size_t i = 0; i < next.n_runs; i++) {
      if (strcmp(next.runs[i].run_id, run->run_id) == 0)
        at = i;
    }
    if (at == next.n_runs) {
      add_run(&next, run);
    } else {
      store_fields_free(run_fields, 4, &next.runs[at]);
      next.runs[at].run_id = xstrdup(run->run_id);
      next.runs[at].started_at = xstrdup(run->started_at);
      next.runs[at].finished_at = store_xstrdup_or_null(run->finished_at);
      next.runs[at].status = xstrdup(run->status);
    }
    if (next.n_runs > STORE_MODEL_RUNS_KEPT) {
      size_t drop = next.n_runs - STORE_MODEL_RUNS_KEPT;
      for (size_t i = 0; i < drop; i++)
        store_fields_free(run_fields, 4, &next.runs[i]);
      memmove(next.runs, next.runs + drop, STORE_MODEL_RUNS_KEPT * sizeof(next.runs[0]));
      next.n_runs = STORE_MODEL_RUNS_KEPT;
    }
    free(next.status);
    next.status = xstrdup(run->status);
    rc = commit(s, &next, &current);
  }
  store_model_done(&next);
  store_model_done(&current);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}
