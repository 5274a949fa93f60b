/* Unit tests for src/app/app_export.c: the export wizard's name rules (the metastore's
 * database name, with the reason `_` and `-` are refused), schedules (parsing, text, when a
 * run is due) and the answers file's schedule shapes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app_export.h"

static void test_database_name(void **state)
{
  (void)state;
  assert_null(app_export_database_name_problem("saleslake"));
  assert_null(app_export_database_name_problem("S1234567890123456789012x")); /* 24 */
  assert_non_null(app_export_database_name_problem("S1234567890123456789012xy"));
  assert_non_null(app_export_database_name_problem(""));
  assert_non_null(app_export_database_name_problem("1sales"));
  const char *why = app_export_database_name_problem("sales_lake");
  assert_non_null(why);
  assert_non_null(strstr(why, "metastore"));
  assert_non_null(app_export_database_name_problem("sales-lake"));
  assert_non_null(app_export_database_name_problem("sales lake"));
}

static void test_display_name(void **state)
{
  (void)state;
  char long_name[102];
  memset(long_name, 'a', 101);
  long_name[101] = '\0';
  assert_null(app_export_display_name_problem("Sales lake"));
  assert_non_null(app_export_display_name_problem(long_name));
  long_name[100] = '\0';
  assert_null(app_export_display_name_problem(long_name));
  assert_non_null(app_export_display_name_problem("tab\there"));
  assert_non_null(app_export_display_name_problem("a/b"));
  assert_non_null(app_export_display_name_problem(".."));
}

static time_t at(const char *iso)
{
  struct tm tm;
  memset(&tm, 0, sizeof(tm));
  strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return timegm(&tm);
}

static void test_schedule(void **state)
{
  (void)state;
  struct store_schedule s = { STORE_SCHEDULE_OFF, NULL, NULL };
  const char *why = NULL;
  assert_false(app_export_schedule_set(&s, "daily", "24:00", &why));
  assert_non_null(why);
  assert_false(app_export_schedule_set(&s, "every_hours", "0", &why));
  assert_false(app_export_schedule_set(&s, "every_hours", "25", &why));
  assert_true(app_export_schedule_set(&s, "daily", "02:30", &why));
  char *t = app_export_schedule_text(&s);
  assert_string_equal(t, "Daily at 02:30 UTC");
  free(t);
  /* Daily: due once the time passed today and nothing ran since. */
  assert_false(app_export_due(&s, at("2026-12-04T02:31:00Z"), at("2026-12-04T10:00:00Z")));
  assert_true(app_export_due(&s, at("2026-12-03T02:31:00Z"), at("2026-12-04T10:00:00Z")));
  assert_false(app_export_due(&s, at("2026-12-03T02:31:00Z"), at("2026-12-04T02:00:00Z")));
  assert_true(app_export_due(&s, 0, at("2026-12-04T02:00:00Z")));
  assert_true(app_export_schedule_set(&s, "every_hours", "6", &why));
  assert_int_equal(app_export_schedule_hours(&s), 6);
  t = app_export_schedule_text(&s);
  assert_string_equal(t, "Every 6 hours");
  free(t);
  assert_true(app_export_due(&s, 0, at("2026-12-04T10:00:00Z")));
  assert_false(app_export_due(&s, at("2026-12-04T05:00:00Z"), at("2026-12-04T10:00:00Z")));
  assert_true(app_export_due(&s, at("2026-12-04T04:00:00Z"), at("2026-12-04T10:00:00Z")));
  assert_true(app_export_schedule_set(&s, "off", NULL, &why));
  assert_false(app_export_due(&s, 0, at("2026-12-04T10:00:00Z")));
  free(s.recurrence);
  free(s.time);
}

static void test_answers_normalize(void **state)
{
  (void)state;
  const char *why = NULL;
  json_t *a = json_pack("{s:{s:s}}", "schedule", "daily", "03:15");
  assert_true(app_export_answers_normalize(a, &why));
  assert_string_equal(json_string_value(json_object_get(a, "schedule")), "daily");
  assert_string_equal(json_string_value(json_object_get(a, "schedule_time")), "03:15");
  json_decref(a);
  a = json_pack("{s:{s:i}}", "schedule", "every_hours", 4);
  assert_true(app_export_answers_normalize(a, &why));
  assert_string_equal(json_string_value(json_object_get(a, "schedule")), "every_hours");
  assert_string_equal(json_string_value(json_object_get(a, "schedule_hours")), "4");
  json_decref(a);
  a = json_pack("{s:{s:i}}", "schedule", "weekly", 1);
  assert_false(app_export_answers_normalize(a, &why));
  assert_non_null(why);
  json_decref(a);
  a = json_pack("{s:s}", "schedule", "off");
  assert_true(app_export_answers_normalize(a, &why));
  json_decref(a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_database_name),
    cmocka_unit_test(test_display_name),
    cmocka_unit_test(test_schedule),
    cmocka_unit_test(test_answers_normalize),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
