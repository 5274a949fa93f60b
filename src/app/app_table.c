/*
 * app_table: reading tables into the catalog. See app_table.h.
 */
#include "app/app_table.h"
#include "app/store.h"
#include "azure/az_blob.h"
#include "azure/az_client.h"
#include "azure/az_cloud.h"
#include "azure/az_storage.h"
#include "util/csv_reader.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/strbuf.h"
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

/* ---- a table in a storage account ---- */

/* The blob form of `url`: abfss://c@a.dfs.host/p and https://a.dfs.host/c/p are the same
 * blob as https://a.blob.host/c/p (an ADLS Gen2 account answers the Blob API too). */
static char *blob_form(const char *url)
{
  char *out;
  if (strncmp(url, "abfss://", 8) == 0) {
    const char *rest = url + 8;
    const char *at = strchr(rest, '@');
    if (!at || at == rest)
      return NULL;
    const char *slash = strchr(at, '/');
    int host_len = (int)(slash ? (size_t)(slash - at - 1) : strlen(at + 1));
    out = xasprintf("https://%.*s/%.*s%s", host_len, at + 1, (int)(at - rest), rest,
                    slash ? slash : "");
  } else {
    out = xstrdup(url);
  }
  char *host = strstr(out, "://");
  char *host_end = host ? strchr(host + 3, '/') : NULL;
  char *dfs = strstr(out, ".dfs.");
  if (dfs && (!host_end || dfs < host_end)) {
    char *fixed = xasprintf("%.*s.blob.%s", (int)(dfs - out), out, dfs + 5);
    free(out);
    out = fixed;
  }
  return out;
}

static bool ends_with_csv(const char *name)
{
  size_t n = strlen(name);
  return n >= 4 && strcasecmp(name + n - 4, ".csv") == 0;
}

static int by_string(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool feed_reader(void *ud, const void *data, size_t len)
{
  return csv_reader_feed(ud, data, len);
}

/* The .csv blobs under `prefix`, in name order, into parts (blob names). */
static enum app_result list_parts(struct az_client *c, const struct az_storage_account *a,
                                  const char *container, const char *prefix,
                                  struct store_strings *parts, struct az_error *out_az)
{
  struct az_call *call = az_blob_list(c, a, container, prefix);
  enum app_result rc = APP_OK;
  if (az_call_wait(call) != AZ_OK) {
    az_error_copy(out_az, az_call_error(call));
    rc = APP_AZURE;
  } else {
    json_t *items = json_object_get(az_call_json(call), "value");
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
      const char *name = json_string_value(json_object_get(it, "name"));
      if (name && ends_with_csv(name))
        store_strings_add(parts, name);
    }
    if (parts->n > 1)
      qsort(parts->items, parts->n, sizeof(parts->items[0]), by_string);
  }
  az_call_delete(call);
  return rc;
}

enum app_result app_table_read_url(struct az_client *c, const char *url, struct store_table *t,
                                   char **out_message, struct az_error *out_az)
{
  char *blob_url = blob_form(url);
  char *account = NULL, *endpoint = NULL, *container = NULL, *blob = NULL;
  if (!blob_url || !az_blob_parse_url(blob_url, &account, &endpoint, &container, &blob)) {
    *out_message = xasprintf("'%s' is not the URL of a blob or a folder in a storage account "
                             "(https://ACCOUNT.blob.SUFFIX/CONTAINER/PATH).",
                             url);
    free(blob_url);
    return APP_INVALID;
  }
  struct az_storage_account *a = NULL;
  struct az_error err;
  az_error_init(&err);
  enum app_result rc = APP_OK;
  struct store_strings names = { 0 };
  if (az_storage_account_new(account, endpoint, NULL, az_client_cloud(c), &a, &err) != AZ_OK) {
    az_error_copy(out_az, &err);
    rc = APP_AZURE;
  } else if (blob && *blob && ends_with_csv(blob)) {
    store_strings_add(&names, blob);
  } else {
    char *prefix = blob && *blob ? xasprintf("%s%s", blob, blob[strlen(blob) - 1] == '/' ? "" : "/")
                                 : xstrdup("");
    rc = list_parts(c, a, container, prefix, &names, out_az);
    if (rc == APP_OK && !names.n) {
      *out_message = xasprintf("There is no .csv blob under %s.", url);
      rc = APP_NOT_FOUND;
    }
    free(prefix);
  }
  struct csv_reader *r = csv_reader_new(NULL);
  for (size_t i = 0; rc == APP_OK && i < names.n; i++) {
    if (i && !csv_reader_next_part(r))
      break;
    struct az_call *call = az_blob_read(c, a, container, names.items[i], NULL, feed_reader, r);
    enum az_result ar = az_call_wait(call);
    if (ar != AZ_OK && csv_reader_message(r)[0] == '\0') {
      az_error_copy(out_az, az_call_error(call));
      rc = APP_AZURE;
    }
    az_call_delete(call);
    if (rc == APP_OK && csv_reader_message(r)[0] == '\0' && i + 1 == names.n)
      csv_reader_finish(r);
    if (rc == APP_OK && csv_reader_message(r)[0] != '\0') {
      char *where = az_blob_url(a, container, names.items[i]);
      *out_message = xasprintf("%s is not a valid CSV file (RFC 4180 with a header row): %s.",
                               where, csv_reader_message(r));
      free(where);
      rc = APP_INVALID;
    }
  }
  if (rc == APP_OK) {
    t->source = STORE_TABLE_STORAGE;
    free(t->location);
    t->location = xstrdup(url);
    store_strings_done(&t->parts);
    for (size_t i = 0; i < names.n; i++) {
      char *u = az_blob_url(a, container, names.items[i]);
      store_strings_add(&t->parts, u);
      free(u);
    }
    describe(r, t);
  }
  csv_reader_delete(r);
  store_strings_done(&names);
  az_storage_account_delete(a);
  az_error_done(&err);
  free(account);
  free(endpoint);
  free(container);
  free(blob);
  free(blob_url);
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
