/* Unit tests for src/wizard/form.c: every file in forms/ loads against the contract, and
 * broken forms are refused with the file, the JSON path and the reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_action.h"
#include "util/xalloc.h"
#include "wizard/form.h"
#include "wizard/wiz_host.h"

static char *src_path(const char *rel)
{
  const char *src = getenv("SYNWIZ_SOURCE_DIR");
  return xasprintf("%s/%s", src ? src : SYNWIZ_SOURCE_DIR, rel);
}

static void every_form_loads(void **state)
{
  char *dir = src_path("forms");
  DIR *d = opendir(dir);
  assert_non_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
      continue;
    char *path = xasprintf("%s/%s", dir, e->d_name);
    struct wiz_form *form = NULL;
    struct wiz_form_error err;
    enum wiz_result rc = wiz_form_load(path, app_action_contract(), &form, &err);
    if (rc != WIZ_OK) {
      char *t = wiz_form_error_text(&err);
      fail_msg("%s", t);
    }
    /* The id is the file name. */
    assert_int_equal(strncmp(form->id, e->d_name, len - 5), 0);
    assert_true(form->n_steps > 0);
    wiz_form_delete(form);
    free(path);
    n++;
  }
  closedir(d);
  free(dir);
  assert_true(n >= 2);
}

static void expect_refused(const char *fixture, const char *path, const char *reason_part)
{
  char *rel = xasprintf("tests/fixtures/forms/%s", fixture);
  char *file = src_path(rel);
  struct wiz_form *form = NULL;
  struct wiz_form_error err;
  enum wiz_result rc = wiz_form_load(file, app_action_contract(), &form, &err);
  assert_int_equal(rc, WIZ_E_SCHEMA);
  assert_null(form);
  assert_string_equal(err.file, file);
  assert_string_equal(err.path, path);
  if (!strstr(err.reason, reason_part))
    fail_msg("reason \"%s\" lacks \"%s\"", err.reason, reason_part);
  char *text = wiz_form_error_text(&err);
  assert_non_null(strstr(text, fixture));
  free(text);
  wiz_form_error_done(&err);
  free(file);
  free(rel);
}

static void unknown_key(void **state)
{
  expect_refused("unknown_key.json", "steps[0].fields[0].colour", "unknown key \"colour\"");
}

static void dangling_reference(void **state)
{
  expect_refused("dangling.json", "steps[0].fields[1].depends_on[0]", "no field \"subscriptoin\"");
}

static void unknown_rule(void **state)
{
  expect_refused("unknown_rule.json", "steps[0].fields[0].rules[1]",
                 "unknown rule \"no_such_rule\"");
}

static void unknown_source_and_action(void **state)
{
  expect_refused("unknown_source.json", "steps[0].fields[0].source",
                 "unknown source \"teleporters\"");
  expect_refused("unknown_action.json", "finish.action", "unknown action \"launch_rockets\"");
}

static void parse_errors(void **state)
{
  struct wiz_form *form = NULL;
  struct wiz_form_error err;
  assert_int_equal(wiz_form_parse("x.json", "{ \"id\": ", NULL, &form, &err), WIZ_E_JSON);
  assert_non_null(strstr(err.path, "line 1"));
  wiz_form_error_done(&err);

  const char *later = "{\"id\":\"f\",\"title\":\"T\",\"finish\":{\"action\":\"a\",\"label\":\"A\"},"
                      "\"steps\":[{\"id\":\"s\",\"title\":\"S\",\"fields\":["
                      "{\"id\":\"a\",\"kind\":\"text\",\"label\":\"A\",\"depends_on\":[\"b\"]},"
                      "{\"id\":\"b\",\"kind\":\"text\",\"label\":\"B\"}]}]}";
  assert_int_equal(wiz_form_parse("later.json", later, NULL, &form, &err), WIZ_E_SCHEMA);
  assert_string_equal(err.path, "steps[0].fields[0].depends_on[0]");
  assert_non_null(strstr(err.reason, "defined before"));
  wiz_form_error_done(&err);

  const char *badkind = "{\"id\":\"f\",\"title\":\"T\",\"finish\":{\"action\":\"a\",\"label\":"
                        "\"A\"},\"steps\":[{\"id\":\"s\",\"title\":\"S\",\"fields\":["
                        "{\"id\":\"a\",\"kind\":\"slider\",\"label\":\"A\"}]}]}";
  assert_int_equal(wiz_form_parse("k.json", badkind, NULL, &form, &err), WIZ_E_SCHEMA);
  assert_string_equal(err.path, "steps[0].fields[0].kind");
  wiz_form_error_done(&err);

  const char *dup = "{\"id\":\"f\",\"title\":\"T\",\"finish\":{\"action\":\"a\",\"label\":\"A\"},"
                    "\"steps\":[{\"id\":\"s\",\"title\":\"S\",\"fields\":["
                    "{\"id\":\"a\",\"kind\":\"text\",\"label\":\"A\"},"
                    "{\"id\":\"a\",\"kind\":\"text\",\"label\":\"A\"}]}]}";
  assert_int_equal(wiz_form_parse("d.json", dup, NULL, &form, &err), WIZ_E_SCHEMA);
  assert_non_null(strstr(err.reason, "duplicate field id"));
  wiz_form_error_done(&err);
  /* A key allowed for one kind is refused on another. */
  const char *wrongkind = "{\"id\":\"f\",\"title\":\"T\",\"finish\":{\"action\":\"a\",\"label\":"
                          "\"A\"},\"steps\":[{\"id\":\"s\",\"title\":\"S\",\"fields\":["
                          "{\"id\":\"a\",\"kind\":\"text\",\"label\":\"A\",\"options\":[]}]}]}";
  assert_int_equal(wiz_form_parse("w.json", wrongkind, NULL, &form, &err), WIZ_E_SCHEMA);
  assert_string_equal(err.path, "steps[0].fields[0].options");
  wiz_form_error_done(&err);
}

static void connection_form_shape(void **state)
{
  char *file = src_path("forms/connection.json");
  struct wiz_form *form = NULL;
  struct wiz_form_error err;
  assert_int_equal(wiz_form_load(file, app_action_contract(), &form, &err), WIZ_OK);
  const char *ids[] = { "display_name",    "audience",  "subscription", "workspace",
                        "storage_account", "container", "private_link", "agree" };
  for (size_t i = 0; i < 8; i++)
    assert_true(wiz_form_field_index(form, ids[i]) >= 0);
  long ws = wiz_form_field_index(form, "workspace");
  long sub = wiz_form_field_index(form, "subscription");
  assert_int_equal(form->fields[ws].n_depends_on, 1);
  assert_int_equal(form->fields[ws].depends_on[0], (size_t)sub);
  assert_string_equal(form->finish_action, "connection_save");
  wiz_form_delete(form);
  free(file);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_form_loads),          cmocka_unit_test(unknown_key),
    cmocka_unit_test(dangling_reference),        cmocka_unit_test(unknown_rule),
    cmocka_unit_test(unknown_source_and_action), cmocka_unit_test(parse_errors),
    cmocka_unit_test(connection_form_shape),
  };
  return cmocka_run_group_tests_name("wiz_form", tests, NULL, NULL);
}
