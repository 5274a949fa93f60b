/*
 * store_table: the table catalog, the customer tables exports and custom models work on
 * (issue 11). synwiz has no Customer Insights behind it, so the store keeps, for each table,
 * where its data lives (a local CSV file, or a CSV or folder of CSV parts in a storage
 * account) and what reading it found: its attributes with their CDM data types, its rows and
 * its bytes. A table marked with a customer id column is the customer profile table (at most
 * one in a store: store_table_create() refuses a second).
 *
 * Names follow the Customer Insights table rule (a letter, then letters, digits and '_', the
 * rule table's "table_name") and are unique among tables ignoring case.
 *
 * Roles: every member sees every table; administrators and contributors add, update and
 * remove them; viewers change nothing. Removing a table removes only the catalog's record:
 * its file or blobs are never touched.
 *
 * Use, ownership and return conventions: as store_linked_service.h and store.h. Reading the
 * data (and so filling attributes, rows and bytes) is app_table.h's job.
 */
#ifndef SYNWIZ_APP_STORE_TABLE_H
#define SYNWIZ_APP_STORE_TABLE_H

#include "app/app_result.h"
#include "app/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Where a table's data lives. */
enum store_table_source {
  STORE_TABLE_FILE,    /* "file": a local CSV file (location: its absolute path) */
  STORE_TABLE_STORAGE, /* "storage": blobs (location: the CSV's or the folder's blob URL) */
};

struct store_table_attribute {
  char *name;
  char *data_type; /* a CDM data type name (csv_type_name()) */
};

struct store_table {
  struct store_meta meta;
  char *name;
  enum store_table_source source;
  char *location;
  struct store_strings parts; /* the files or blob URLs, in reading order */
  char *customer_id;          /* the customer id attribute: marks the profile table; or NULL */
  size_t n_attributes;
  struct store_table_attribute *attributes;
  int64_t rows;
  int64_t bytes;
  char *read_at; /* when the data was last read (UTC) */
};

struct store_table_list {
  size_t n;
  struct store_table *items;
};

void store_table_init(struct store_table *t);
void store_table_done(struct store_table *t);
void store_table_list_done(struct store_table_list *list);
void store_table_add_attribute(struct store_table *t, const char *name, const char *data_type);
const char *store_table_source_name(enum store_table_source source);
/** The attribute called `name` (ignoring case), or NULL. */
const struct store_table_attribute *store_table_attribute(const struct store_table *t,
                                                          const char *name);

enum app_result store_table_list(struct store *s, struct store_table_list *out);
enum app_result store_table_get(struct store *s, const char *id, struct store_table *out);
/** By name, ignoring case. */
enum app_result store_table_find(struct store *s, const char *name, struct store_table *out);
enum app_result store_table_create(struct store *s, struct store_table *t);
enum app_result store_table_update(struct store *s, struct store_table *t);
enum app_result store_table_remove(struct store *s, const char *id, long revision);

json_t *store_table_to_json(const struct store_table *t);

#endif
