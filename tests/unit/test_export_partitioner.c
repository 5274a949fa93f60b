/* Unit tests for src/app/export_partitioner and export_model: rows cut into staged CSV
 * partitions (header in each, size limit, rows never split, a table without rows, a
 * callback that stops, files 0600 and cleaned up), the blob layout, and model.json. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/export_model.h"
#include "app/export_partitioner.h"
#include "app/store_table.h"
#include "support/az_fake.h"
#include "util/csv_reader.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct parts {
  int n;
  char *text[8];
  int64_t rows[8], bytes[8];
  int stop_at;
};

static bool take(void *ud, const char *path, int index, int64_t rows, int64_t bytes,
                 const char **why)
{
  struct parts *p = ud;
  assert_int_equal(index, p->n + 1);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  assert_int_equal(st.st_size, bytes);
  char *data;
  size_t len;
  assert_int_equal(fs_read_all(path, &data, &len, 0), 0);
  p->text[p->n] = data;
  p->rows[p->n] = rows;
  p->bytes[p->n] = bytes;
  p->n++;
  unlink(path); /* the callback owns the staged file */
  if (p->stop_at && p->n == p->stop_at) {
    *why = "upload failed";
    return false;
  }
  return true;
}

static void free_parts(struct parts *p)
{
  for (int i = 0; i < p->n; i++)
    free(p->text[i]);
}

static const char *const header[] = { "Id", "Note" };

static struct export_partitioner *partitioner(const char *dir, int64_t limit, struct parts *p)
{
  struct export_partitioner_options o = { 0 };
  o.table = "Orders";
  o.header = header;
  o.n_columns = 2;
  o.partition_bytes = limit;
  o.temp_dir = dir;
  o.on_partition = take;
  o.ud = p;
  return export_partitioner_new(&o);
}

static void rows_split_into_partitions(void **state)
{
  char *dir = azfake_tempdir();
  struct parts got = { 0 };
  /* "Id,Note\r\n" is 9 bytes; a partition closes once it holds 19 or more. */
  struct export_partitioner *p = partitioner(dir, 19, &got);
  const char *rows[][2] = {
    { "1", "a" }, { "2", "b" }, { "3", "c,d" }, { "4", NULL }, { "5", "e" }
  };
  for (size_t i = 0; i < 5; i++)
    assert_true(export_partitioner_row(p, rows[i], NULL, 2));
  assert_true(export_partitioner_finish(p));
  assert_int_equal(got.n, 3);
  assert_string_equal(got.text[0], "Id,Note\r\n1,a\r\n2,b\r\n");
  assert_string_equal(got.text[1], "Id,Note\r\n3,\"c,d\"\r\n4,\r\n"); /* 22: one row past */
  assert_string_equal(got.text[2], "Id,Note\r\n5,e\r\n");
  assert_int_equal(got.rows[0] + got.rows[1] + got.rows[2], 5);
  assert_int_equal(export_partitioner_rows(p), 5);
  assert_int_equal(export_partitioner_partitions(p), 3);
  assert_int_equal(export_partitioner_bytes(p), got.bytes[0] + got.bytes[1] + got.bytes[2]);
  export_partitioner_delete(p);
  free_parts(&got);

  /* Each partition reads back as the table: the same header, RFC 4180. */
  struct parts none = { 0 };
  p = partitioner(dir, 0, &none);
  assert_true(export_partitioner_finish(p)); /* no rows: one partition, the header */
  assert_int_equal(none.n, 1);
  assert_string_equal(none.text[0], "Id,Note\r\n");
  assert_int_equal(none.rows[0], 0);
  export_partitioner_delete(p);
  free_parts(&none);
  rmdir(dir);
  free(dir);
}

static void a_stopped_run_leaves_no_file(void **state)
{
  char *dir = azfake_tempdir();
  struct parts got = { 0 };
  got.stop_at = 1;
  struct export_partitioner *p = partitioner(dir, 10, &got);
  const char *row[] = { "1", "a" };
  assert_false(export_partitioner_row(p, row, NULL, 2));
  assert_string_equal(export_partitioner_message(p), "upload failed");
  assert_false(export_partitioner_row(p, row, NULL, 2));
  assert_false(export_partitioner_finish(p));
  export_partitioner_delete(p);
  free_parts(&got);

  /* A partition open when the run is abandoned is removed, never left half-written. */
  struct parts more = { 0 };
  p = partitioner(dir, 0, &more);
  assert_true(export_partitioner_row(p, row, NULL, 2));
  char *staged = xasprintf("%s/Orders_1.csv", dir);
  assert_int_equal(access(staged, F_OK), 0);
  const char *bad[] = { "1" };
  assert_false(export_partitioner_row(p, bad, NULL, 1));
  assert_non_null(strstr(export_partitioner_message(p), "1 fields for a table of 2 columns"));
  export_partitioner_delete(p);
  assert_int_not_equal(access(staged, F_OK), 0);
  free(staged);
  assert_int_equal(rmdir(dir), 0); /* empty */
  free(dir);
}

static void blob_layout(void **state)
{
  time_t t = 1764826380; /* 2025-12-04T05:33:00Z */
  char *b = export_partition_blob("Sales export", "Orders", t, 2);
  assert_string_equal(b, "customerinsights/Sales export/Orders/2025/12/04/0533/Orders_2.csv");
  free(b);
  b = export_model_blob("Sales export");
  assert_string_equal(b, "customerinsights/Sales export/model.json");
  free(b);
}

static void model_json_lists_entities_and_partitions(void **state)
{
  struct store_table t;
  store_table_init(&t);
  t.name = xstrdup("Orders");
  store_table_add_attribute(&t, "OrderId", "int64");
  store_table_add_attribute(&t, "CustomerId", "guid");
  struct export_model *m = export_model_new("Sales", "2025-12-04T05:33:00Z");
  assert_true(export_model_add_entity(m, &t));
  assert_false(export_model_add_entity(m, &t));
  assert_true(export_model_add_partition(m, "orders", "https://a.dfs.x/c/p1.csv", 10));
  assert_true(export_model_add_partition(m, "Orders", "https://a.dfs.x/c/p2.csv", 5));
  assert_false(export_model_add_partition(m, "Nope", "https://a.dfs.x/c/p.csv", 1));
  json_t *j = export_model_to_json(m);
  assert_string_equal(json_string_value(json_object_get(j, "version")), "1.0");
  assert_string_equal(json_string_value(json_object_get(j, "name")), "Sales");
  json_t *e = json_array_get(json_object_get(j, "entities"), 0);
  assert_string_equal(json_string_value(json_object_get(e, "$type")), "LocalEntity");
  json_t *a = json_array_get(json_object_get(e, "attributes"), 1);
  assert_string_equal(json_string_value(json_object_get(a, "name")), "CustomerId");
  assert_string_equal(json_string_value(json_object_get(a, "dataType")), "guid");
  json_t *parts = json_object_get(e, "partitions");
  assert_int_equal(json_array_size(parts), 2);
  json_t *p2 = json_array_get(parts, 1);
  assert_string_equal(json_string_value(json_object_get(p2, "name")), "Orders_2");
  assert_string_equal(json_string_value(json_object_get(p2, "location")),
                      "https://a.dfs.x/c/p2.csv");
  json_t *ff = json_object_get(p2, "fileFormatSettings");
  assert_string_equal(json_string_value(json_object_get(ff, "$type")), "CsvFormatSettings");
  assert_true(json_is_true(json_object_get(ff, "columnHeaders")));
  json_decref(j);
  char *text = export_model_text(m);
  assert_non_null(strstr(text, "\"refreshTime\": \"2025-12-04T05:33:00Z\""));
  /* For checking the document with a JSON Schema validator by hand (the CDM schema). */
  const char *dump = getenv("SYNWIZ_TEST_DUMP_MODEL");
  if (dump)
    assert_int_equal(fs_write_atomic(dump, text, strlen(text), 0600), 0);
  free(text);
  export_model_delete(m);
  store_table_done(&t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(rows_split_into_partitions),
    cmocka_unit_test(a_stopped_run_leaves_no_file),
    cmocka_unit_test(blob_layout),
    cmocka_unit_test(model_json_lists_entities_and_partitions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
