/*
 * app_table: reading tables into the catalog. See app_table.h.
 */
#include "app/app_table.h"
#include "app/store.h"
#include "azure/az_cloud.h"
#include "util/csv_reader.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void now_utc(char out[32])
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The reader's findings into t (attributes, rows, bytes, read_at). */
static void describe(const struct csv_reader *r, struct store_table *t)
{
  for (size_t i = 0; i < csv_reader_n_columns(r); i++)
    store_table_add_attribute(t, csv_reader_column_name(r, i),
                              csv_type_name(csv_reader_column_type(r, i)));
  t->rows = csv_reader_rows(r);
  t->bytes = csv_reader_bytes(r);
  char now[32];
  now_utc(now);
  free(t->read_at);
  t->read_at = xstrdup(now);
}

enum app_result app_table_read_file(const char *path, struct store_table *t, char **out_message)
{
  char *abs = realpath(path, NULL);
  struct csv_reader *r = csv_reader_new(NULL);
  enum app_result rc = APP_OK;
  if (!abs) {
    csv_reader_read_file(r, path); /* for its message naming the file and errno */
    *out_message = xasprintf("%s.", csv_reader_message(r));
    rc = APP_INVALID;
  } else if (!csv_reader_read_file(r, abs)) {
    *out_message = csv_reader_error_line(r)
                       ? xasprintf("%s is not a valid CSV file (RFC 4180 with a header row): %s.",
                                   path, csv_reader_message(r))
                       : xasprintf("%s.", csv_reader_message(r));
    rc = APP_INVALID;
  } else {
    t->source = STORE_TABLE_FILE;
    free(t->location);
    t->location = xstrdup(abs);
    store_strings_done(&t->parts);
    store_strings_add(&t->parts, abs);
    describe(r, t);
  }
  free(abs);
  csv_reader_delete(r);
  return rc;
}

/* ---- the sandbox's demo tables ---- */

static const struct {
  const char *name;
  const char *customer_id;
} demo[] = { { "Customer", "CustomerId" }, { "Orders", NULL }, { "WebActivity", NULL } };

/* The Azurite port of the running sandbox, from its runtime.json; 0 when unknown. */
static long azurite_port(const char *sandbox_dir)
{
  char *path = paths_join(sandbox_dir, "runtime.json");
  json_t *j = json_load_file(path, 0, NULL);
  free(path);
  json_t *p = json_object_get(json_object_get(j, "ports"), "azurite");
  long port = json_is_integer(p) ? (long)json_integer_value(p) : 0;
  json_decref(j);
  return port;
}

enum app_result app_table_seed_demo(struct store *s, const struct az_cloud *cloud,
                                    char **out_message)
{
  /* The demo data is the sandbox's own: no other cloud has it. */
  if (!cloud || !cloud->name || strcmp(cloud->name, "sandbox") != 0)
    return APP_OK;
  char *dir = az_cloud_sandbox_dir(NULL);
  long port = azurite_port(dir);
  enum app_result rc = APP_OK;
  for (size_t i = 0; rc == APP_OK && i < sizeof(demo) / sizeof(demo[0]); i++) {
    struct store_table t;
    store_table_init(&t);
    if (store_table_find(s, demo[i].name, &t) == APP_OK) {
      store_table_done(&t);
      continue;
    }
    char *file = xasprintf("%s/data/%s.csv", dir, demo[i].name);
    rc = app_table_read_file(file, &t, out_message);
    free(file);
    if (rc == APP_OK) {
      t.name = xstrdup(demo[i].name);
      t.source = STORE_TABLE_STORAGE;
      free(t.location);
      t.location = port ? xasprintf("https://contosolake.blob.%s:%ld/customerinsights/source/%s/"
                                    "%s.csv",
                                    cloud->storage_suffix, port, demo[i].name, demo[i].name)
                        : xasprintf("https://contosolake.blob.%s/customerinsights/source/%s/%s.csv",
                                    cloud->storage_suffix, demo[i].name, demo[i].name);
      store_strings_done(&t.parts);
      store_strings_add(&t.parts, t.location);
      t.customer_id = demo[i].customer_id ? xstrdup(demo[i].customer_id) : NULL;
      rc = store_table_create(s, &t);
      if (rc != APP_OK)
        *out_message = xstrdup(store_message(s));
    }
    store_table_done(&t);
  }
  free(dir);
  return rc;
}

char *app_table_format_bytes(int64_t bytes)
{
  static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
  if (bytes < 1024)
    return xasprintf("%lld B", (long long)bytes);
  double v = (double)bytes;
  int u = -1;
  while (v >= 1024 && u < 3) {
    v /= 1024;
    u++;
  }
  return xasprintf("%.1f %s", v, units[u]);
}
