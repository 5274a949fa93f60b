/* Unit tests for src/app/export_table: a table from a local file goes up as partitions under
 * the export layout (one Put Blob each here), lands in model.json with dfs URLs; a refused
 * upload stops the table with Azure's error and leaves no staged file; a file whose columns
 * changed since it was added is refused; a table in storage is downloaded part by part. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app_table.h"
#include "app/export_model.h"
#include "app/export_table.h"
#include "azure/az_error.h"
#include "azure/az_storage.h"
#include "support/az_fake.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/xalloc.h"

#define KEY \
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

struct fixture {
  struct azfake *fake;
  struct az_client *client;
  struct az_storage_account *acct;
  char *dir;
  char *csv;
  char *stage;
};

static int setup(void **state)
{
  struct fixture *fx = xcalloc(1, sizeof(*fx));
  fx->fake = azfake_new();
  fx->client = azfake_client(fx->fake, "AzureCloud", NULL);
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_storage_account_new("contosolake", NULL, KEY, az_client_cloud(fx->client),
                                          &fx->acct, &err),
                   AZ_OK);
  az_error_done(&err);
  fx->dir = azfake_tempdir();
  fx->csv = paths_join(fx->dir, "orders.csv");
  fx->stage = paths_join(fx->dir, "stage");
  assert_int_equal(fs_mkdir_p(fx->stage, 0700), 0);
  static const char data[] = "OrderId,Note\r\n1,a\r\n2,\"b,c\"\r\n3,d\r\n";
  assert_int_equal(fs_write_atomic(fx->csv, data, sizeof(data) - 1, 0600), 0);
  *state = fx;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *fx = *state;
  az_client_delete(fx->client);
  azfake_delete(fx->fake);
  az_storage_account_delete(fx->acct);
  unlink(fx->csv);
  rmdir(fx->stage);
  rmdir(fx->dir);
  free(fx->csv);
  free(fx->stage);
  free(fx->dir);
  free(fx);
  return 0;
}

static bool stage_is_empty(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  size_t n = 0;
  while ((e = readdir(d)) != NULL)
    n += e->d_name[0] != '.';
  closedir(d);
  return n == 0;
}

static void options(struct fixture *fx, struct export_table_options *o, struct export_model *m)
{
  memset(o, 0, sizeof(*o));
  o->client = fx->client;
  o->account = fx->acct;
  o->container = "exports";
  o->export_name = "Sales";
  o->run_start = 1764826380; /* 2025-12-04T05:33:00Z */
  o->partition_bytes = 20;   /* header 14 bytes: two rows a partition at most */
  o->temp_dir = fx->stage;
  o->model = m;
}

static void a_file_goes_up_in_partitions(void **state)
{
  struct fixture *fx = *state;
  struct store_table t;
  store_table_init(&t);
  char *why = NULL;
  assert_int_equal(app_table_read_file(fx->csv, &t, &why), APP_OK);
  t.name = xstrdup("Orders");
  azfake_push(fx->fake, 201, NULL, "");
  azfake_push(fx->fake, 201, NULL, "");
  struct export_model *m = export_model_new("Sales", "2025-12-04T05:33:00Z");
  struct export_table_options o;
  options(fx, &o, m);
  struct export_table_result res;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(export_table_upload(&o, &t, &res, &why, &err), APP_OK);
  assert_int_equal(res.rows, 3);
  assert_int_equal(res.partitions, 2);
  assert_int_equal(azfake_count(fx->fake), 2);
  const struct azfake_record *r = azfake_request(fx->fake, 1);
  assert_string_equal(r->method, "PUT");
  assert_string_equal(r->url, "https://contosolake.blob.core.windows.net/exports/customerinsights/"
                              "Sales/Orders/2025/12/04/0533/Orders_2.csv");
  assert_string_equal(az_headers_get(&r->headers, "Content-Type"), "text/csv");
  assert_int_equal(r->body_len, strlen("OrderId,Note\r\n3,d\r\n"));
  assert_true(stage_is_empty(fx->stage));
  json_t *j = export_model_to_json(m);
  json_t *parts = json_object_get(json_array_get(json_object_get(j, "entities"), 0), "partitions");
  assert_int_equal(json_array_size(parts), 2);
  assert_string_equal(json_string_value(json_object_get(json_array_get(parts, 0), "location")),
                      "https://contosolake.dfs.core.windows.net/exports/customerinsights/Sales/"
                      "Orders/2025/12/04/0533/Orders_1.csv");
  json_decref(j);
  export_model_delete(m);
  az_error_done(&err);
  store_table_done(&t);
}

static void a_refused_upload_stops_the_table(void **state)
{
  struct fixture *fx = *state;
  struct store_table t;
  store_table_init(&t);
  char *why = NULL;
  assert_int_equal(app_table_read_file(fx->csv, &t, &why), APP_OK);
  t.name = xstrdup("Orders");
  azfake_push(fx->fake, 403, "x-ms-error-code: AuthorizationPermissionMismatch", "");
  struct export_model *m = export_model_new("Sales", "2025-12-04T05:33:00Z");
  struct export_table_options o;
  options(fx, &o, m);
  struct export_table_result res;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(export_table_upload(&o, &t, &res, &why, &err), APP_AZURE);
  assert_string_equal(err.code, "AuthorizationPermissionMismatch");
  assert_int_equal(azfake_count(fx->fake), 1); /* nothing more was sent */
  assert_true(stage_is_empty(fx->stage));
  az_error_done(&err);
  export_model_delete(m);

  /* The file changed since it was added: refused before anything is sent. */
  static const char other[] = "OrderId,Total\r\n1,2\r\n";
  assert_int_equal(fs_write_atomic(fx->csv, other, sizeof(other) - 1, 0600), 0);
  m = export_model_new("Sales", "2025-12-04T05:33:00Z");
  o.model = m;
  az_error_init(&err);
  assert_int_equal(export_table_upload(&o, &t, &res, &why, &err), APP_INVALID);
  assert_non_null(strstr(why, "no longer has the columns"));
  free(why);
  assert_int_equal(azfake_count(fx->fake), 1);
  assert_true(stage_is_empty(fx->stage));

  az_error_done(&err);
  export_model_delete(m);
  store_table_done(&t);
}

/* A table in storage: its part is downloaded (HEAD, ranges), read, and goes up the same way. */
static void a_table_in_storage_goes_up_too(void **state)
{
  struct fixture *fx = *state;
  /* The source is read with the signed-in identity: a client that holds a token. */
  az_client_delete(fx->client);
  azfake_delete(fx->fake);
  fx->client = azfake_signed_in_client(&fx->fake);
  struct store_table t;
  store_table_init(&t);
  char *why = NULL;
  assert_int_equal(app_table_read_file(fx->csv, &t, &why), APP_OK);
  t.name = xstrdup("Orders");
  t.source = STORE_TABLE_STORAGE;
  store_strings_done(&t.parts);
  store_strings_add(&t.parts, "https://contosolake.blob.core.windows.net/source/Orders.csv");
  static const char data[] = "OrderId,Note\r\n1,a\r\n2,\"b,c\"\r\n3,d\r\n";
  char len[64];
  snprintf(len, sizeof(len), "Content-Length: %zu", sizeof(data) - 1);
  azfake_push(fx->fake, 200, len, "");
  azfake_push(fx->fake, 206, NULL, data);
  azfake_push(fx->fake, 201, NULL, "");
  azfake_push(fx->fake, 201, NULL, "");
  struct export_model *m = export_model_new("Sales", "2025-12-04T05:33:00Z");
  struct export_table_options o;
  options(fx, &o, m);
  struct export_table_result res;
  struct az_error err;
  az_error_init(&err);
  enum app_result rc = export_table_upload(&o, &t, &res, &why, &err);
  if (rc != APP_OK)
    fail_msg("%d: %s / %s", rc, err.message ? err.message : "", why ? why : "");
  assert_int_equal(res.rows, 3);
  assert_int_equal(res.partitions, 2);
  assert_int_equal(azfake_count_url(fx->fake, "/source/Orders.csv"), 2); /* HEAD, one range */
  assert_int_equal(azfake_count_url(fx->fake, "/exports/customerinsights/Sales/Orders/"), 2);
  assert_true(stage_is_empty(fx->stage));

  /* The source refused: Azure's error, nothing uploaded, nothing left on disk. */
  azfake_push(fx->fake, 403, "x-ms-error-code: AuthorizationPermissionMismatch", "");
  assert_int_equal(export_table_upload(&o, &t, &res, &why, &err), APP_AZURE);
  assert_string_equal(err.code, "AuthorizationPermissionMismatch");
  assert_int_equal(azfake_count_url(fx->fake, "/exports/customerinsights/Sales/Orders/"), 2);
  assert_true(stage_is_empty(fx->stage));
  az_error_done(&err);
  export_model_delete(m);
  store_table_done(&t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(a_file_goes_up_in_partitions, setup, teardown),
    cmocka_unit_test_setup_teardown(a_refused_upload_stops_the_table, setup, teardown),
    cmocka_unit_test_setup_teardown(a_table_in_storage_goes_up_too, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
