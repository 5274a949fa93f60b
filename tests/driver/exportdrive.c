/*
 * synwiz-exportdrive: the export run's building blocks (src/app/export_table.h,
 * export_model.h) against a real endpoint, before a wizard runs them. Not part of the
 * product: tests/integration/export_blocks.sh drives it on the sandbox.
 *
 *   synwiz-exportdrive BLOB_ENDPOINT CONTAINER EXPORT WORKSPACE DATABASE FILE=TABLE...
 *
 * WORKSPACE is a name or the workspace's dev endpoint URL (https://..., as ARM reports it).
 *
 * Signs in as az_session does (the tests use the EnvironmentCredential variables), reads
 * each FILE (a local path, or a blob URL: a table in storage) into a catalog record named
 * TABLE, uploads it as partitions of
 * $SYNWIZ_PARTITION_BYTES (default: the product's), uploads model.json, asks the metastore
 * to create DATABASE from the export's folder, follows it to its end and prints one JSON
 * object: {"status", "error", "tables": [{"name","rows","bytes","partitions"}],
 * "model_blob", "input_folder"}. Exit 0 when the database is Created, 3 when Azure refused
 * (the error printed), 4 otherwise.
 */
#include "app/app_table.h"
#include "app/export_model.h"
#include "app/export_partitioner.h"
#include "app/export_table.h"
#include "azure/az_blob.h"
#include "azure/az_client.h"
#include "azure/az_error.h"
#include "azure/az_session.h"
#include "azure/az_storage.h"
#include "azure/az_synapse.h"
#include "util/fsutil.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int fail_az(const char *what, const struct az_error *e)
{
  char *s = az_error_summary(e);
  fprintf(stderr, "exportdrive: %s: %s\n", what, s);
  free(s);
  enum az_result_class c = az_result_class(e->result);
  return c == AZ_CLASS_REFUSED ? 3 : 4;
}

int main(int argc, char **argv)
{
  if (argc < 7) {
    fputs("usage: synwiz-exportdrive BLOB_ENDPOINT CONTAINER EXPORT WORKSPACE DATABASE "
          "FILE=TABLE...\n",
          stderr);
    return 2;
  }
  const char *endpoint = argv[1], *container = argv[2], *export_name = argv[3];
  const char *workspace = argv[4], *database = argv[5];
  const char *pb = getenv("SYNWIZ_PARTITION_BYTES");
  int64_t partition_bytes = pb ? strtoll(pb, NULL, 10) : 0;

  struct az_session_options so = { 0 };
  struct az_client *c = NULL;
  struct az_error err;
  az_error_init(&err);
  if (az_session_open(&so, &c, &err) != AZ_OK)
    return fail_az("sign-in", &err);
  /* The account's name is the endpoint's first host label (product-style URLs). */
  const char *host = strstr(endpoint, "://");
  host = host ? host + 3 : endpoint;
  char *account_name = xstrndup(host, strcspn(host, "."));
  struct az_storage_account *account = NULL;
  if (az_storage_account_new(account_name, endpoint, NULL, az_client_cloud(c), &account, &err) !=
      AZ_OK)
    return fail_az("storage account", &err);

  time_t start = time(NULL);
  char when[32];
  strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&start));
  struct export_model *model = export_model_new(export_name, when);
  char stage[] = "/tmp/synwiz-exportdrive-XXXXXX";
  if (!mkdtemp(stage)) {
    perror("mkdtemp");
    return 4;
  }
  json_t *tables = json_array();
  int rc = 0;
  for (int i = 6; rc == 0 && i < argc; i++) {
    char *file = xstrdup(argv[i]);
    char *eq = strrchr(file, '=');
    if (!eq) {
      fprintf(stderr, "exportdrive: '%s' is not FILE=TABLE\n", argv[i]);
      return 2;
    }
    *eq = '\0';
    struct store_table t;
    store_table_init(&t);
    char *why = NULL;
    bool remote = strncmp(file, "https://", 8) == 0 || strncmp(file, "abfss://", 8) == 0;
    enum app_result read =
        remote ? app_table_read_url(c, file, &t, &why, &err) : app_table_read_file(file, &t, &why);
    if (read == APP_AZURE)
      return fail_az(file, &err);
    if (read != APP_OK) {
      fprintf(stderr, "exportdrive: %s\n", why);
      return 2;
    }
    t.name = xstrdup(eq + 1);
    struct export_table_options o = { 0 };
    o.client = c;
    o.account = account;
    o.container = container;
    o.export_name = export_name;
    o.run_start = start;
    o.partition_bytes = partition_bytes;
    o.temp_dir = stage;
    o.model = model;
    struct export_table_result res;
    enum app_result ar = export_table_upload(&o, &t, &res, &why, &err);
    if (ar == APP_AZURE) {
      rc = fail_az(t.name, &err);
    } else if (ar != APP_OK) {
      fprintf(stderr, "exportdrive: %s\n", why);
      rc = 4;
    } else {
      json_array_append_new(tables, json_pack("{s:s, s:I, s:I, s:i}", "name", t.name, "rows",
                                              (json_int_t)res.rows, "bytes", (json_int_t)res.bytes,
                                              "partitions", res.partitions));
    }
    free(why);
    store_table_done(&t);
    free(file);
  }
  char *model_blob = export_model_blob(export_name);
  char *folder_blob = xasprintf("customerinsights/%s", export_name);
  char *input_folder = export_table_dfs_url(account, container, folder_blob);
  json_t *out = json_object();
  if (rc == 0) {
    char *text = export_model_text(model);
    char *path = xasprintf("%s/model.json", stage);
    fs_write_atomic(path, text, strlen(text), 0600);
    struct az_blob_transfer_options bo = { 0 };
    bo.content_type = "application/json";
    struct az_call *call = az_blob_upload_file(c, account, container, model_blob, path, &bo);
    if (az_call_wait(call) != AZ_OK)
      rc = fail_az("model.json", az_call_error(call));
    az_call_delete(call);
    unlink(path);
    free(path);
    free(text);
  }
  if (rc == 0) {
    struct az_call *call = az_synapse_create_database(c, workspace, database, input_folder);
    if (az_call_wait(call) != AZ_OK)
      rc = fail_az("create database", az_call_error(call));
    az_call_delete(call);
  }
  const char *status = "";
  json_t *last = NULL;
  for (int i = 0; rc == 0 && i < 600; i++) {
    struct az_call *call = az_synapse_get_database_status(c, workspace, database);
    if (az_call_wait(call) != AZ_OK) {
      rc = fail_az("database status", az_call_error(call));
      az_call_delete(call);
      break;
    }
    json_decref(last);
    last = json_incref(az_call_json(call));
    az_call_delete(call);
    status = json_string_value(json_object_get(last, "status"));
    if (!status || strcmp(status, "Creating") != 0)
      break;
    struct az_call *pause = az_call_delay(c, 100);
    (void)az_call_wait(pause);
    az_call_delete(pause);
  }
  json_object_set_new(out, "status", json_string(status ? status : ""));
  json_object_set(out, "error", last ? json_object_get(last, "error") : json_null());
  if (!json_object_get(out, "error"))
    json_object_set_new(out, "error", json_null());
  json_object_set_new(out, "tables", tables);
  json_object_set_new(out, "model_blob", json_string(model_blob));
  json_object_set_new(out, "input_folder", json_string(input_folder));
  char *dump = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  printf("%s\n", dump);
  free(dump);
  json_decref(out);
  bool created = rc == 0 && status && strcmp(status, "Created") == 0;
  json_decref(last); /* status pointed into it */
  rmdir(stage);
  free(model_blob);
  free(folder_blob);
  free(input_folder);
  free(account_name);
  export_model_delete(model);
  az_storage_account_delete(account);
  az_error_done(&err);
  az_client_delete(c);
  if (rc == 0 && !created)
    rc = 4;
  return rc;
}
