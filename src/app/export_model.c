/*
 * export_model: building model.json. See export_model.h.
 */
#include "app/export_model.h"
#include "app/store.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct entity {
  char *name;
  json_t *attributes; /* array */
  json_t *partitions; /* array */
  int n_partitions;
};

struct export_model {
  char *name;
  char *modified_time;
  size_t n;
  struct entity *entities;
};

struct export_model *export_model_new(const char *name, const char *modified_time)
{
  struct export_model *m = xcalloc(1, sizeof(*m));
  m->name = xstrdup(name);
  m->modified_time = xstrdup(modified_time);
  return m;
}

void export_model_delete(struct export_model *m)
{
  if (!m)
    return;
  for (size_t i = 0; i < m->n; i++) {
    free(m->entities[i].name);
    json_decref(m->entities[i].attributes);
    json_decref(m->entities[i].partitions);
  }
  free(m->entities);
  free(m->name);
  free(m->modified_time);
  free(m);
}

static struct entity *find(const struct export_model *m, const char *name)
{
  for (size_t i = 0; i < m->n; i++) {
    if (strcasecmp(m->entities[i].name, name) == 0)
      return &m->entities[i];
  }
  return NULL;
}

bool export_model_add_entity(struct export_model *m, const struct store_table *t)
{
  if (find(m, t->name))
    return false;
  m->entities = xrealloc(m->entities, (m->n + 1) * sizeof(m->entities[0]));
  struct entity *e = &m->entities[m->n++];
  e->name = xstrdup(t->name);
  e->attributes = json_array();
  for (size_t i = 0; i < t->n_attributes; i++)
    json_array_append_new(e->attributes, json_pack("{s:s, s:s}", "name", t->attributes[i].name,
                                                   "dataType", t->attributes[i].data_type));
  e->partitions = json_array();
  e->n_partitions = 0;
  return true;
}

bool export_model_add_partition(struct export_model *m, const char *table, const char *location,
                                int64_t rows)
{
  struct entity *e = find(m, table);
  if (!e)
    return false;
  char *name = xasprintf("%s_%d", e->name, ++e->n_partitions);
  char rows_text[32];
  snprintf(rows_text, sizeof(rows_text), "%lld", (long long)rows);
  /* What csv_writer writes: a header row, commas, RFC 4180 quoting. The row count is an
   * annotation of ours, for whoever checks the data against the catalog. */
  json_t *p = json_pack(
      "{s:s, s:s, s:s, s:{s:s, s:b, s:s, s:s, s:s}, s:[{s:s, s:s}]}", "name", name, "location",
      location, "refreshTime", m->modified_time, "fileFormatSettings", "$type", "CsvFormatSettings",
      "columnHeaders", 1, "delimiter", ",", "quoteStyle", "QuoteStyle.Csv", "csvStyle",
      "CsvStyle.QuoteAlways", "annotations", "name", "synwiz:rows", "value", rows_text);
  json_array_append_new(e->partitions, p);
  free(name);
  return true;
}

json_t *export_model_to_json(const struct export_model *m)
{
  json_t *entities = json_array();
  for (size_t i = 0; i < m->n; i++) {
    const struct entity *e = &m->entities[i];
    json_array_append_new(entities,
                          json_pack("{s:s, s:s, s:O, s:O}", "$type", "LocalEntity", "name", e->name,
                                    "attributes", e->attributes, "partitions", e->partitions));
  }
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "name", m->name, "description",
                   "Exported by synwiz (Customer Insights export to Azure Synapse Analytics)",
                   "version", "1.0", "application", "synwiz", "modifiedTime", m->modified_time,
                   "entities", entities);
}

char *export_model_text(const struct export_model *m)
{
  json_t *j = export_model_to_json(m);
  char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(j);
  return text;
}
