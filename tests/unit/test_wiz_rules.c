/* Unit tests for src/wizard/rules.c: every naming rule with valid and invalid values,
 * edges included (the length limit and one past it). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "wizard/rules.h"

/* A string of n copies of c after a prefix (static buffer per call site is enough). */
static const char *rep(char *buf, const char *prefix, char c, size_t n)
{
  size_t p = strlen(prefix);
  memcpy(buf, prefix, p);
  memset(buf + p, c, n);
  buf[p + n] = '\0';
  return buf;
}

static void expect(const char *rule, const char *const *valid, const char *const *invalid)
{
  const struct wiz_rule *r = wiz_rule_find(rule);
  assert_non_null(r);
  for (size_t i = 0; valid[i]; i++) {
    const char *msg = NULL;
    enum wiz_check c = wiz_rule_check(r, valid[i], &msg);
    if (c != WIZ_CHECK_OK && c != WIZ_CHECK_WARN)
      fail_msg("%s: \"%s\" should be valid, got: %s", rule, valid[i], msg ? msg : "?");
  }
  for (size_t i = 0; invalid[i]; i++) {
    const char *msg = NULL;
    if (wiz_rule_check(r, invalid[i], &msg) != WIZ_CHECK_ERROR)
      fail_msg("%s: \"%s\" should be invalid", rule, invalid[i]);
    assert_non_null(msg);
  }
}

static void connection_display_name(void **state)
{
  char at[128], past[128];
  const char *valid[] = { "a", "sales_lake", "Z9", "x_1_2", rep(at, "a", 'b', 99), NULL };
  const char *invalid[] = { "9lives",    "_lead", "with space",
                            "dash-name", "naïve", rep(past, "a", 'b', 100),
                            "a.b",       NULL };
  expect("connection_display_name", valid, invalid);
  const char *msg = NULL;
  wiz_rule_check(wiz_rule_find("connection_display_name"), "9lives", &msg);
  assert_string_equal(msg,
                      "Must start with a letter and contain only letters, digits and underscores "
                      "(_).");
  wiz_rule_check(wiz_rule_find("connection_display_name"), past, &msg);
  assert_string_equal(msg, "At most 100 characters.");
}

static void lake_database_name(void **state)
{
  char at[64], past[64];
  const char *valid[] = { "a", "CustomerDb", "db2024", "X1y2Z3", rep(at, "d", 'b', 23), NULL };
  const char *invalid[] = {
    "1db", "_db", "my-db", "my db", "db.name", rep(past, "d", 'b', 24), NULL
  };
  expect("lake_database_name", valid, invalid);
  const char *msg = NULL;
  assert_int_equal(wiz_rule_check(wiz_rule_find("lake_database_name"), "my_db", &msg),
                   WIZ_CHECK_WARN);
  assert_non_null(strstr(msg, "_"));
}

static void output_table_name(void **state)
{
  char at[200], past[200];
  const char *valid[] = { "ChurnScores", "a", "t_1", "Out_Table_2", rep(at, "T", 'x', 127), NULL };
  const char *invalid[] = { "1table",    "_t", "out-table",
                            "out table", "t$", rep(past, "T", 'x', 128),
                            NULL };
  expect("output_table_name", valid, invalid);
  /* The catalog's tables follow the same Customer Insights rule. */
  expect("table_name", valid, invalid);
}

static void linked_service_name(void **state)
{
  char at[300], past[300];
  const char *valid[] = { "AzureMLService1",      "a",         "ml_link", "Ml Link",
                          rep(at, "L", 'x', 259), "MlÜnicode", NULL };
  const char *invalid[] = { "1ml",
                            "_ml",
                            "ml-link",
                            "ml.link",
                            "ml/link",
                            "ml+x",
                            "ml?",
                            "ml\\x",
                            "Ünicode",
                            "ml:x",
                            "ml%x",
                            "ml&x",
                            "ml#x",
                            "ml*x",
                            "ml<x",
                            "ml>x",
                            rep(past, "L", 'x', 260),
                            NULL };
  expect("linked_service_name", valid, invalid);
  const char *msg = NULL;
  assert_int_equal(wiz_rule_check(wiz_rule_find("linked_service_name"), "Ml Link", &msg),
                   WIZ_CHECK_WARN);
}

static void pipeline_name(void **state)
{
  char at[300], past[300];
  const char *valid[] = {
    "ScoreCustomerChurn", "Copy-Raw", "p", "p_1", rep(at, "P", 'x', 259), NULL
  };
  const char *invalid[] = { "1p", "-p", "p.q", "p/q", "p?q", rep(past, "P", 'x', 260), NULL };
  expect("pipeline_name", valid, invalid);
}

static void synapse_workspace_name(void **state)
{
  char at[64], past[64];
  const char *valid[] = { "contoso-synapse", "a", "ws1", "0ws", rep(at, "a", 'b', 49), NULL };
  const char *invalid[] = { "Contoso", "-ws", "ws-", "ws_1", "ws-ondemand", rep(past, "a", 'b', 50),
                            "ws.1",    NULL };
  expect("synapse_workspace_name", valid, invalid);
}

static void storage_account_name(void **state)
{
  char at[64], past[64];
  const char *valid[] = { "contosolake", "abc", "a1b2c3", "123", rep(at, "s", 'a', 23), NULL };
  const char *invalid[] = {
    "ab", "Contosolake", "contoso-lake", "contoso_lake", "lake!", rep(past, "s", 'a', 24), NULL
  };
  expect("storage_account_name", valid, invalid);
}

static void container_name(void **state)
{
  char at[80], past[80];
  const char *valid[] = { "abc", "synapse", "customer-insights", "a-b-c", rep(at, "c", 'x', 62),
                          NULL };
  const char *invalid[] = { "ab", "-abc", "abc-", "a--b", "ABC", "a_b", rep(past, "c", 'x', 63),
                            NULL };
  expect("container_name", valid, invalid);
}

static void guid(void **state)
{
  const char *valid[] = {
    "00000000-0000-0000-0000-000000000000", "0b1f6471-1bf0-4dda-aec3-cb9272f09590",
    "0B1F6471-1BF0-4DDA-AEC3-CB9272F09590", "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "12345678-9abc-def0-1234-56789abcdef0", NULL
  };
  const char *invalid[] = { "81707eac-ab38-406u-8f6c-10ce76a568d5", /* the docs' bad sample */
                            "0b1f6471-1bf0-4dda-aec3-cb9272f0959",
                            "0b1f6471-1bf0-4dda-aec3-cb9272f095900",
                            "{0b1f6471-1bf0-4dda-aec3-cb9272f09590}",
                            "0b1f64711bf04ddaaec3cb9272f09590",
                            NULL };
  expect("guid", valid, invalid);
  expect("application_id", valid, invalid);
}

static void tenant(void **state)
{
  const char *valid[] = { "contoso.onmicrosoft.com",
                          "0b1f6471-1bf0-4dda-aec3-cb9272f09590",
                          "example.com",
                          "a-b.example.org",
                          "x.y.z.io",
                          NULL };
  const char *invalid[] = { "contoso",      "-bad.com", "bad-.com", "contoso.c0m",
                            "con toso.com", "a..com",   NULL };
  expect("tenant", valid, invalid);
}

static void required_and_agree(void **state)
{
  const struct wiz_rule *r = wiz_rule_find("required");
  assert_int_equal(wiz_rule_check(r, "", NULL), WIZ_CHECK_ERROR);
  assert_int_equal(wiz_rule_check(r, NULL, NULL), WIZ_CHECK_ERROR);
  assert_int_equal(wiz_rule_check(r, "x", NULL), WIZ_CHECK_OK);
  const struct wiz_rule *a = wiz_rule_find("must_agree");
  assert_int_equal(wiz_rule_check(a, "false", NULL), WIZ_CHECK_ERROR);
  assert_int_equal(wiz_rule_check(a, "true", NULL), WIZ_CHECK_OK);
  /* Other rules leave emptiness to "required". */
  assert_int_equal(wiz_rule_check(wiz_rule_find("guid"), "", NULL), WIZ_CHECK_OK);
  assert_null(wiz_rule_find("no_such_rule"));
}

static void table_is_complete(void **state)
{
  size_t n = 0;
  const struct wiz_rule *t = wiz_rules(&n);
  assert_true(n >= 13);
  for (size_t i = 0; i < n; i++) {
    assert_non_null(t[i].name);
    assert_non_null(t[i].message);
    assert_non_null(t[i].check);
    if (t[i].max_len && strcmp(t[i].name, "guid") != 0 &&
        strcmp(t[i].name, "application_id") != 0 && strcmp(t[i].name, "tenant") != 0)
      assert_non_null(t[i].length_message);
  }
}

/* A name refused for a non-ASCII letter says that only ASCII letters are allowed: "é" is a
 * letter to whoever typed "Café", so "contain only letters" alone reads as wrong. */
static void non_ascii_letters_are_named(void **state)
{
  (void)state;
  static const struct {
    const char *rule, *value;
  } cases[] = {
    { "connection_display_name", "Café_sales" },
    { "connection_display_name", "Émile" },
    { "output_table_name", "Kundenübersicht" },
    { "lake_database_name", "datenbankü" },
    { "linked_service_name", "Éclair" },
    { "pipeline_name", "Ñandu" },
    { "synapse_workspace_name", "café-ws" },
    { "storage_account_name", "caféstore" },
    { "container_name", "données" },
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *msg = NULL;
    if (wiz_rule_check(wiz_rule_find(cases[i].rule), cases[i].value, &msg) != WIZ_CHECK_ERROR)
      fail_msg("%s: \"%s\" should be invalid", cases[i].rule, cases[i].value);
    if (!msg || !strstr(msg, "ASCII letter"))
      fail_msg("%s: \"%s\" refused without saying ASCII: %s", cases[i].rule, cases[i].value,
               msg ? msg : "(none)");
  }
  /* A linked service name may hold non-ASCII letters after an ASCII first one. */
  assert_int_equal(wiz_rule_check(wiz_rule_find("linked_service_name"), "Modèle1", NULL),
                   WIZ_CHECK_OK);
  /* Other refusals keep their own message. */
  const char *msg = NULL;
  wiz_rule_check(wiz_rule_find("connection_display_name"), "a-b", &msg);
  assert_string_equal(msg,
                      "Must start with a letter and contain only letters, digits and underscores "
                      "(_).");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(connection_display_name),
    cmocka_unit_test(lake_database_name),
    cmocka_unit_test(output_table_name),
    cmocka_unit_test(linked_service_name),
    cmocka_unit_test(pipeline_name),
    cmocka_unit_test(synapse_workspace_name),
    cmocka_unit_test(storage_account_name),
    cmocka_unit_test(container_name),
    cmocka_unit_test(guid),
    cmocka_unit_test(tenant),
    cmocka_unit_test(required_and_agree),
    cmocka_unit_test(table_is_complete),
    cmocka_unit_test(non_ascii_letters_are_named),
  };
  return cmocka_run_group_tests_name("wiz_rules", tests, NULL, NULL);
}
