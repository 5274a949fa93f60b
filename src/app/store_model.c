/*
 * store_model: model records (DIR/models/<id>.json). See store_model.h.
 */
#include "app/store_model.h"
#include "app/store_internal.h"
#include "util/xalloc.h"

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
  FIELD(status, true),       FIELD(contract, false),      FIELD(message, false),
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

static enum app_result from_json(struct store *s, json_t *j, void *rec)
{
  struct store_model *m = rec;
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

static enum app_result validate(struct store *s, const void *rec)
{
  const struct store_model *m = rec;
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

/* ---- what store_record.c needs to know ---- */

static void done(void *rec)
{
  store_model_done(rec);
}

static json_t *to_file(const void *rec)
{
  return to_json(rec, true);
}

static int by_name(const void *a, const void *b)
{
  const struct store_model *x = a, *y = b;
  return store_name_cmp(x->name, y->name);
}

/* Runs are the store's: a new model has none, and a change keeps the stored ones. */
static void fill_new(void *rec)
{
  struct store_model *m = rec;
  if (!m->status)
    m->status = xstrdup("Not started");
  free_runs(m);
}

static void fill_next(void *rec, const void *stored)
{
  struct store_model *m = rec;
  const struct store_model *current = stored;
  free_runs(m);
  for (size_t i = 0; i < current->n_runs; i++)
    add_run(m, &current->runs[i]);
  if (!m->status)
    m->status = xstrdup(current->status);
}

static const struct store_rec_ops model_ops = {
  .kind = STORE_KIND_MODEL,
  .size = sizeof(struct store_model),
  .meta_offset = offsetof(struct store_model, meta),
  .name_offset = offsetof(struct store_model, name),
  .name_key = "name",
  .name_label = "name",
  .unseen_hint = " that you can see",
  .bound = true,
  .connection_id_offset = offsetof(struct store_model, connection_id),
  .connection_name_offset = offsetof(struct store_model, connection_name),
  .done = done,
  .from_json = from_json,
  .to_file = to_file,
  .validate = validate,
  .compare = by_name,
  .fill_new = fill_new,
  .fill_next = fill_next,
};

/* ---- reading and changing ---- */

void store_model_list_done(struct store_model_list *list)
{
  store_rec_items_free(&model_ops, list->items, list->n);
  memset(list, 0, sizeof(*list));
}

enum app_result store_model_list(struct store *s, struct store_model_list *out)
{
  void *items;
  enum app_result rc = store_rec_list(s, &model_ops, &items, &out->n);
  out->items = items;
  return rc;
}

enum app_result store_model_get(struct store *s, const char *id, struct store_model *out)
{
  return store_rec_get(s, &model_ops, id, out);
}

enum app_result store_model_find(struct store *s, const char *name, struct store_model *out)
{
  return store_rec_find(s, &model_ops, NULL, name, out);
}

enum app_result store_model_create(struct store *s, struct store_model *m)
{
  return store_rec_create(s, &model_ops, m);
}

enum app_result store_model_update(struct store *s, struct store_model *m)
{
  return store_rec_update(s, &model_ops, m);
}

enum app_result store_model_detach(struct store *s, const char *id, long revision)
{
  return store_rec_detach(s, &model_ops, id, revision);
}

enum app_result store_model_remove(struct store *s, const char *id, long revision)
{
  return store_rec_remove(s, &model_ops, id, revision, NULL);
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
  /* Appending a run commutes with any other change: no revision to check. */
  rc = store_rec_load_for_change(s, &model_ops, id, 0, false, &conns, &current);
  if (rc == APP_OK)
    rc = store_rec_copy(s, &model_ops, &current, &next);
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
    rc = store_rec_save_next(s, &model_ops, &next, &current.meta);
  }
  store_model_done(&next);
  store_model_done(&current);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}
