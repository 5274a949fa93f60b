/*
 * export_model: the model.json an export run writes at customerinsights/<export>/model.json
 * (CDM model.json 1.0, issue 11): every exported table as a LocalEntity with its attributes
 * and CDM data types, and this run's partitions (CSV with a header row, RFC 4180 quoting).
 * It is what the Synapse metastore reads to create or update the lake database.
 *
 * Use: export_model_new(export name, run time), export_model_add_entity() for each table
 * (from the catalog), export_model_add_partition() for each uploaded partition (in order),
 * then export_model_to_json() or export_model_text(); export_model_delete().
 * Partitions are named <Table>_<n> as their files are. Locations are the partitions' URLs
 * as Synapse reads them (https://ACCOUNT.dfs.SUFFIX/CONTAINER/customerinsights/...).
 */
#ifndef SYNWIZ_APP_EXPORT_MODEL_H
#define SYNWIZ_APP_EXPORT_MODEL_H

#include "app/store_table.h"

#include <jansson.h>
#include <stdbool.h>

struct export_model;

/** `name`: the export's display name; `modified_time`: the run's start (UTC, ISO 8601). */
struct export_model *export_model_new(const char *name, const char *modified_time);
void export_model_delete(struct export_model *m);

/** Add the table (its name and attributes) as an entity; false if it is there already. */
bool export_model_add_entity(struct export_model *m, const struct store_table *t);
/** Add a partition to the entity `table`; false when there is no such entity. */
bool export_model_add_partition(struct export_model *m, const char *table, const char *location,
                                int64_t rows);
/** The document (a new reference). */
json_t *export_model_to_json(const struct export_model *m);
/** The document as indented text (fresh heap string). */
char *export_model_text(const struct export_model *m);

#endif
