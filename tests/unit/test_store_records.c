/* Unit tests for the store's records: create, list, show, edit, remove; unique names;
 * revisions and conflicts; validation; the schema version; what a reader ignores. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support/store_fixture.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void connection_create_list_show_edit_remove(void **state)
{
  struct store_fixture *f = *state;
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  assert_true(store_was_created(s));

  struct store_connection c;
  store_fixture_connection(&c, "SalesLake", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s, &c), APP_OK);
  assert_non_null(c.meta.id);
  assert_int_equal(c.meta.revision, 1);
  assert_string_equal(c.meta.created_by, store_fixture_admin.object_id);

  struct store_connection_list list;
  assert_int_equal(store_connection_list(s, &list), APP_OK);
  assert_int_equal(list.n, 1);
  assert_string_equal(list.items[0].display_name, "SalesLake");
  assert_false(list.items[0].redacted);
  assert_string_equal(list.items[0].container, "customerinsights");
  assert_string_equal(list.items[0].workspace_principal_id, "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928");
  store_connection_list_done(&list);

  /* Found by name whatever its case; the JSON holds every answer. */
  struct store_connection shown;
  assert_int_equal(store_connection_find(s, "saleslake", &shown), APP_OK);
  assert_string_equal(shown.meta.id, c.meta.id);
  json_t *j = store_connection_to_json(&shown);
  assert_string_equal(json_string_value(json_object_get(j, "audience")), "admins");
  assert_string_equal(json_string_value(json_object_get(j, "storage_account")), "contosolake");
  assert_string_equal(json_string_value(json_object_get(j, "type")), STORE_CONNECTION_TYPE);
  assert_true(json_is_false(json_object_get(j, "private_link")));
  assert_string_equal(json_string_value(json_object_get(j, "agreed_at")), "2026-01-31T12:00:00Z");
  json_decref(j);

  /* Edit: the audience and the name change, the revision moves on. */
  shown.audience = STORE_AUDIENCE_ADMINS_AND_CONTRIBUTORS;
  free(shown.display_name);
  shown.display_name = xstrdup("SalesLake_EU");
  assert_int_equal(store_connection_update(s, &shown), APP_OK);
  assert_int_equal(shown.meta.revision, 2);
  struct store_connection again;
  assert_int_equal(store_connection_get(s, c.meta.id, &again), APP_OK);
  assert_string_equal(again.display_name, "SalesLake_EU");
  assert_int_equal(again.audience, STORE_AUDIENCE_ADMINS_AND_CONTRIBUTORS);
  assert_int_equal(again.meta.revision, 2);
  assert_string_equal(again.meta.created_at, c.meta.created_at);
  store_connection_done(&again);

  /* The file on disk says what it is. */
  char *path = store_fixture_only_record(f, "connections");
  char *text = store_fixture_slurp(path);
  assert_non_null(strstr(text, "\"schema\": 1"));
  assert_non_null(strstr(text, "\"kind\": \"connection\""));
  assert_non_null(strstr(text, "\"revision\": 2"));
  free(text);

  assert_int_equal(store_connection_remove(s, c.meta.id, 2, NULL), APP_OK);
  assert_false(access(path, F_OK) == 0);
  assert_int_equal(store_connection_find(s, "SalesLake_EU", &again), APP_NOT_FOUND);
  free(path);
  store_connection_done(&shown);
  store_connection_done(&c);
  store_close(s);
}

static void names_are_unique_without_regard_to_case(void **state)
{
  struct store_fixture *f = *state;
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  struct store_connection a, b, c;
  store_fixture_connection(&a, "Sales", STORE_AUDIENCE_ADMINS);
  store_fixture_connection(&b, "SALES", STORE_AUDIENCE_ADMINS);
  store_fixture_connection(&c, "Marketing", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s, &a), APP_OK);
  assert_int_equal(store_connection_create(s, &b), APP_NAME_TAKEN);
  assert_non_null(strstr(store_message(s), "'Sales' already exists"));
  assert_int_equal(store_connection_create(s, &c), APP_OK);
  /* Renaming onto a taken name is refused too; keeping one's own name is not a clash. */
  free(c.display_name);
  c.display_name = xstrdup("sALEs");
  assert_int_equal(store_connection_update(s, &c), APP_NAME_TAKEN);
  free(c.display_name);
  c.display_name = xstrdup("MARKETING");
  assert_int_equal(store_connection_update(s, &c), APP_OK);

  /* Exports and models: unique among their kind. */
  struct store_export e1, e2;
  store_fixture_export(&e1, "Nightly customers", a.meta.id);
  store_fixture_export(&e2, "NIGHTLY CUSTOMERS", a.meta.id);
  assert_int_equal(store_export_create(s, &e1), APP_OK);
  assert_int_equal(store_export_create(s, &e2), APP_NAME_TAKEN);
  /* The messages come from one place for every kind: each must still read as its own. */
  assert_string_equal(store_message(s),
                      "An export named 'Nightly customers' already exists in this store (names "
                      "are compared without regard to case); choose another display name.");
  struct store_model m1, m2;
  store_fixture_model(&m1, "Churn", a.meta.id);
  store_fixture_model(&m2, "churn", a.meta.id);
  assert_int_equal(store_model_create(s, &m1), APP_OK);
  assert_int_equal(store_model_create(s, &m2), APP_NAME_TAKEN);
  assert_string_equal(store_message(s),
                      "A model named 'Churn' already exists in this store (names are compared "
                      "without regard to case); choose another name.");
  /* Linked services: unique per workspace. */
  struct store_linked_service l1, l2, l3;
  store_fixture_linked_service(&l1, "contoso-synapse", "AzureML1");
  store_fixture_linked_service(&l2, "contoso-synapse", "azureml1");
  store_fixture_linked_service(&l3, "contoso-synapse-dep", "AzureML1");
  assert_int_equal(store_linked_service_create(s, &l1), APP_OK);
  assert_int_equal(store_linked_service_create(s, &l2), APP_NAME_TAKEN);
  assert_string_equal(store_message(s),
                      "The workspace 'contoso-synapse' already has a linked service named "
                      "'AzureML1' (names are compared without regard to case).");
  assert_int_equal(store_linked_service_create(s, &l3), APP_OK);

  store_linked_service_done(&l1);
  store_linked_service_done(&l2);
  store_linked_service_done(&l3);
  store_model_done(&m1);
  store_model_done(&m2);
  store_export_done(&e1);
  store_export_done(&e2);
  store_connection_done(&a);
  store_connection_done(&b);
  store_connection_done(&c);
  store_close(s);
}

static void a_lookup_that_misses_says_what_was_asked(void **state)
{
  struct store_fixture *f = *state;
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  struct store_connection c;
  struct store_export e;
  struct store_model m;
  struct store_linked_service ls;
  assert_int_equal(store_connection_find(s, "Nowhere", &c), APP_NOT_FOUND);
  assert_string_equal(store_message(s), "There is no connection 'Nowhere' in this store.");
  assert_int_equal(store_export_get(s, "1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b", &e), APP_NOT_FOUND);
  assert_string_equal(store_message(s),
                      "There is no export '1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b' in this store.");
  assert_int_equal(store_model_find(s, "Churn", &m), APP_NOT_FOUND);
  assert_string_equal(store_message(s), "There is no model 'Churn' in this store.");
  assert_int_equal(store_linked_service_find(s, "contoso-synapse", "AzureML1", &ls), APP_NOT_FOUND);
  assert_string_equal(store_message(s), "There is no linked service 'AzureML1' of workspace "
                                        "'contoso-synapse' in this store.");
  store_close(s);
}

static void a_stale_edit_is_a_conflict_not_an_overwrite(void **state)
{
  struct store_fixture *f = *state;
  struct store *s1 = store_fixture_open(f, &store_fixture_admin);
  struct store *s2 = store_fixture_open(f, &store_fixture_admin);
  struct store_connection c;
  store_fixture_connection(&c, "Shared", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s1, &c), APP_OK);

  /* Two editors read revision 1. */
  struct store_connection one, two;
  assert_int_equal(store_connection_find(s1, "Shared", &one), APP_OK);
  assert_int_equal(store_connection_find(s2, "Shared", &two), APP_OK);
  free(one.container);
  one.container = xstrdup("raw");
  free(two.container);
  two.container = xstrdup("synapse");
  assert_int_equal(store_connection_update(s1, &one), APP_OK);
  assert_int_equal(store_connection_update(s2, &two), APP_CONFLICT_CHANGED);
  assert_non_null(strstr(store_message(s2), "Dana Demo"));
  assert_non_null(strstr(store_message(s2), "revision 1"));
  assert_non_null(strstr(store_message(s2), "revision 2"));
  assert_int_equal(two.meta.revision, 1); /* untouched: the caller may reload and redo */

  struct store_connection now;
  assert_int_equal(store_connection_get(s2, c.meta.id, &now), APP_OK);
  assert_string_equal(now.container, "raw"); /* the first edit survived */
  store_connection_done(&now);

  /* A removal based on the old revision is a conflict too. */
  assert_int_equal(store_connection_remove(s2, c.meta.id, 1, NULL), APP_CONFLICT_CHANGED);
  assert_int_equal(store_connection_remove(s1, c.meta.id, 2, NULL), APP_OK);
  /* And an edit of a record removed meanwhile. */
  assert_int_equal(store_connection_update(s2, &two), APP_CONFLICT_REMOVED);
  assert_non_null(strstr(store_message(s2), "removed by someone else"));
  assert_int_equal(store_connection_remove(s2, c.meta.id, 2, NULL), APP_CONFLICT_REMOVED);

  /* The same for exports. */
  store_connection_done(&c);
  store_fixture_connection(&c, "Again", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s1, &c), APP_OK);
  struct store_export e, e1, e2;
  store_fixture_export(&e, "Daily", c.meta.id);
  assert_int_equal(store_export_create(s1, &e), APP_OK);
  assert_int_equal(store_export_get(s1, e.meta.id, &e1), APP_OK);
  assert_int_equal(store_export_get(s2, e.meta.id, &e2), APP_OK);
  store_strings_add(&e1.tables, "WebActivity");
  assert_int_equal(store_export_update(s1, &e1), APP_OK);
  assert_int_equal(store_export_update(s2, &e2), APP_CONFLICT_CHANGED);
  assert_int_equal(store_export_detach(s2, e.meta.id, 1), APP_CONFLICT_CHANGED);
  assert_int_equal(store_export_remove(s2, e.meta.id, 1), APP_CONFLICT_CHANGED);

  store_export_done(&e);
  store_export_done(&e1);
  store_export_done(&e2);
  store_connection_done(&one);
  store_connection_done(&two);
  store_connection_done(&c);
  store_close(s1);
  store_close(s2);
}

static void invalid_records_are_refused(void **state)
{
  struct store_fixture *f = *state;
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  struct store_connection c;
  store_fixture_connection(&c, "1Sales", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s, &c), APP_INVALID);
  assert_non_null(strstr(store_message(s), "must start with a letter"));
  free(c.display_name);
  c.display_name = xstrdup("Sales-EU");
  assert_int_equal(store_connection_create(s, &c), APP_INVALID);
  free(c.display_name);
  c.display_name = xstrdup("Sales");
  free(c.agreed_at);
  c.agreed_at = NULL;
  assert_int_equal(store_connection_create(s, &c), APP_INVALID);
  assert_non_null(strstr(store_message(s), "privacy"));
  c.agreed_at = xstrdup("2026-01-31T12:00:00Z");
  free(c.subscription_id);
  c.subscription_id = xstrdup("81707eac-ab38-406u-8f6c-10ce76a568d5");
  assert_int_equal(store_connection_create(s, &c), APP_INVALID);
  free(c.subscription_id);
  c.subscription_id = xstrdup("5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a");
  free(c.container);
  c.container = xstrdup("Bad--Name");
  assert_int_equal(store_connection_create(s, &c), APP_INVALID);
  free(c.container);
  c.container = xstrdup("raw");
  assert_int_equal(store_connection_create(s, &c), APP_OK);

  struct store_export e;
  store_fixture_export(&e, "Daily", c.meta.id);
  free(e.database_name);
  e.database_name = xstrdup("2024db");
  assert_int_equal(store_export_create(s, &e), APP_INVALID);
  free(e.database_name);
  e.database_name = xstrdup("Lake");
  e.schedule.mode = STORE_SCHEDULE_CUSTOM;
  e.schedule.recurrence = xstrdup("daily");
  e.schedule.time = xstrdup("25:00");
  assert_int_equal(store_export_create(s, &e), APP_INVALID);
  free(e.schedule.time);
  e.schedule.time = xstrdup("06:30");
  /* An export on a connection that does not exist. */
  free(e.connection_id);
  e.connection_id = xstrdup("00000000-0000-4000-8000-000000000000");
  assert_int_equal(store_export_create(s, &e), APP_NOT_FOUND);
  free(e.connection_id);
  e.connection_id = xstrdup(c.meta.id);
  assert_int_equal(store_export_create(s, &e), APP_OK);
  assert_string_equal(e.status, "Not started");

  store_export_done(&e);
  store_connection_done(&c);
  store_close(s);
}

static void export_history_detach_and_model_runs(void **state)
{
  struct store_fixture *f = *state;
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  struct store_connection c;
  store_fixture_connection(&c, "Lake", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s, &c), APP_OK);

  struct store_export e;
  store_fixture_export(&e, "Daily", c.meta.id);
  assert_int_equal(store_export_create(s, &e), APP_OK);
  assert_true(store_export_is_active(&e));
  assert_string_equal(e.connection_name, "Lake");
  /* A new database name keeps the old one in the history (the old database stays). */
  free(e.database_name);
  e.database_name = xstrdup("CustomerLake2");
  assert_int_equal(store_export_update(s, &e), APP_OK);
  assert_int_equal(e.previous_database_names.n, 1);
  assert_string_equal(e.previous_database_names.items[0], "CustomerLake");
  free(e.database_name);
  e.database_name = xstrdup("CustomerLake");
  assert_int_equal(store_export_update(s, &e), APP_OK);
  assert_int_equal(e.previous_database_names.n, 1);
  assert_string_equal(e.previous_database_names.items[0], "CustomerLake2");

  assert_int_equal(store_export_detach(s, e.meta.id, e.meta.revision), APP_OK);
  struct store_export d;
  assert_int_equal(store_export_find(s, "daily", &d), APP_OK);
  assert_false(store_export_is_active(&d));
  assert_null(d.connection_id);
  json_t *j = store_export_to_json(&d);
  assert_string_equal(json_string_value(json_object_get(j, "connection")), STORE_NO_CONNECTION);
  assert_true(json_is_false(json_object_get(j, "active")));
  json_decref(j);
  store_export_done(&d);

  struct store_model m;
  store_fixture_model(&m, "Churn", c.meta.id);
  assert_int_equal(store_model_create(s, &m), APP_OK);
  struct store_model_run run = { "run-1", "2026-02-01T10:00:00Z", NULL, "Processing" };
  assert_int_equal(store_model_put_run(s, m.meta.id, &run), APP_OK);
  run.finished_at = "2026-02-01T10:05:00Z";
  run.status = "Successful";
  assert_int_equal(store_model_put_run(s, m.meta.id, &run), APP_OK);
  struct store_model got;
  assert_int_equal(store_model_find(s, "CHURN", &got), APP_OK);
  assert_int_equal(got.n_runs, 1);
  assert_string_equal(got.runs[0].status, "Successful");
  assert_string_equal(got.status, "Successful");
  assert_int_equal(got.meta.revision, 3);
  assert_int_equal(got.n_mapping, 1);
  assert_string_equal(got.mapping[0].attribute, "CustomerId");
  /* An update keeps the runs the store has, whatever the caller's copy says. */
  free(got.output_table);
  got.output_table = xstrdup("ChurnScores2");
  for (size_t i = 0; i < got.n_runs; i++) {
    free(got.runs[i].run_id);
    free(got.runs[i].started_at);
    free(got.runs[i].finished_at);
    free(got.runs[i].status);
  }
  free(got.runs);
  got.runs = NULL;
  got.n_runs = 0;
  assert_int_equal(store_model_update(s, &got), APP_OK);
  assert_int_equal(got.n_runs, 1);
  for (int i = 2; i < 60; i++) {
    char id[16];
    snprintf(id, sizeof(id), "run-%d", i);
    struct store_model_run r = { id, "2026-02-02T10:00:00Z", NULL, "Queued" };
    assert_int_equal(store_model_put_run(s, m.meta.id, &r), APP_OK);
  }
  store_model_done(&got);
  assert_int_equal(store_model_get(s, m.meta.id, &got), APP_OK);
  assert_int_equal(got.n_runs, STORE_MODEL_RUNS_KEPT);
  assert_string_equal(got.runs[STORE_MODEL_RUNS_KEPT - 1].run_id, "run-59");
  store_model_done(&got);

  store_model_done(&m);
  store_export_done(&e);
  store_connection_done(&c);
  store_close(s);
}

static void linked_services_hold_no_secret(void **state)
{
  struct store_fixture *f = *state;
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  struct store_linked_service ls;
  store_fixture_linked_service(&ls, "contoso-synapse", "AzureMLService1");
  ls.authentication = STORE_LS_AUTH_SERVICE_PRINCIPAL;
  assert_int_equal(store_linked_service_create(s, &ls), APP_OK);
  char *path = store_fixture_only_record(f, "linked_services");
  char *text = store_fixture_slurp(path);
  assert_non_null(strstr(text, "\"authentication\": \"ServicePrincipal\""));
  assert_null(strstr(text, "Key"));
  assert_null(strstr(text, "secret"));
  free(text);
  free(path);
  struct store_linked_service got;
  assert_int_equal(store_linked_service_find(s, "CONTOSO-synapse", "azuremlservice1", &got),
                   APP_OK);
  assert_int_equal(got.authentication, STORE_LS_AUTH_SERVICE_PRINCIPAL);
  free(ls.name);
  ls.name = xstrdup("Bad-Name");
  assert_int_equal(store_linked_service_update(s, &ls), APP_INVALID);
  assert_int_equal(store_linked_service_remove(s, got.meta.id, got.meta.revision), APP_OK);
  store_linked_service_done(&got);
  store_linked_service_done(&ls);
  store_close(s);
}

static void a_newer_schema_is_refused(void **state)
{
  struct store_fixture *f = *state;
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  struct store_connection c;
  store_fixture_connection(&c, "Lake", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s, &c), APP_OK);
  store_close(s);

  /* A record written by a newer synwiz: the list leaves it out and says why, the rest of
   * the store keeps working, only that record is refused, and it is never rewritten. */
  char *path = store_fixture_only_record(f, "connections");
  char *text = store_fixture_slurp(path);
  char *at = strstr(text, "\"schema\": 1");
  assert_non_null(at);
  at[10] = '7';
  store_fixture_plant(path, text);
  s = store_fixture_open(f, &store_fixture_admin);
  struct store_connection_list list;
  assert_int_equal(store_connection_list(s, &list), APP_OK);
  assert_int_equal(list.n, 0);
  store_connection_list_done(&list);
  const struct store_damage *dmg = NULL;
  assert_int_equal(store_damaged(s, &dmg), 1);
  assert_string_equal(dmg[0].path, path);
  assert_non_null(strstr(dmg[0].message, "newer synwiz"));
  assert_non_null(strstr(dmg[0].message, "schema 7"));
  struct store_connection again;
  store_fixture_connection(&again, "Other", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s, &again), APP_OK);
  struct store_connection newer;
  assert_int_equal(store_connection_get(s, c.meta.id, &newer), APP_STORE_TOO_NEW);
  assert_int_equal(store_connection_find(s, "Lake", &newer), APP_NOT_FOUND);
  assert_non_null(strstr(store_message(s), "could not be read and may be it"));
  store_close(s);
  char *after = store_fixture_slurp(path);
  assert_string_equal(after, text);
  free(after);

  /* The whole store written by a newer synwiz: refused at open. */
  char *head = paths_join(f->dir, "store.json");
  store_fixture_plant(head, "{\"schema\": 2, \"created_at\": \"2030-01-01T00:00:00Z\"}\n");
  struct store *t = NULL;
  char *msg = NULL;
  assert_int_equal(store_open(f->dir, &store_fixture_admin, &t, &msg), APP_STORE_TOO_NEW);
  assert_null(t);
  assert_non_null(strstr(msg, "newer synwiz"));
  free(msg);
  free(head);
  free(text);
  free(path);
  store_connection_done(&again);
  store_connection_done(&c);
}

static void temporary_and_foreign_files_are_never_records(void **state)
{
  struct store_fixture *f = *state;
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  struct store_connection c;
  store_fixture_connection(&c, "Lake", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s, &c), APP_OK);
  /* What a writer killed between creating its temporary file and renaming it leaves. */
  char *dir = paths_join(f->dir, "connections");
  char *tmp = xasprintf("%s/%s.json.tmp.99999", dir, c.meta.id);
  store_fixture_plant(tmp, "{\"schema\": 1, \"kind\": \"conn");
  char *top = paths_join(f->dir, "roles.json.tmp.99998");
  store_fixture_plant(top, "{");
  char *note = paths_join(dir, "README");
  store_fixture_plant(note, "not a record");
  struct store_connection_list list;
  assert_int_equal(store_connection_list(s, &list), APP_OK);
  assert_int_equal(list.n, 1);
  store_connection_list_done(&list);
  /* The next writer removes the leftovers (a lock holder is the only writer). */
  struct store_connection d;
  store_fixture_connection(&d, "Lake2", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s, &d), APP_OK);
  assert_int_equal(store_fixture_count(dir, ".tmp."), 0);
  assert_int_equal(store_fixture_count(f->dir, ".tmp."), 0);

  /* A record file that is not valid JSON is reported by name, never half-read. */
  char *path = xasprintf("%s/%s.json", dir, c.meta.id);
  store_fixture_plant(path, "{\"schema\": 1, \"kind\": \"connection\", \"id\": ");
  assert_int_equal(store_connection_list(s, &list), APP_OK);
  assert_int_equal(list.n, 1); /* Lake2 still works */
  store_connection_list_done(&list);
  const struct store_damage *dmg = NULL;
  assert_int_equal(store_damaged(s, &dmg), 1);
  assert_non_null(strstr(dmg[0].message, c.meta.id));
  assert_non_null(strstr(dmg[0].message, "not valid JSON"));
  struct store_connection bad;
  assert_int_equal(store_connection_get(s, c.meta.id, &bad), APP_STORE_CORRUPT);
  /* Valid JSON without a required field: left out the same way. */
  store_fixture_plant(path, "{\"schema\": 1, \"kind\": \"connection\"}");
  assert_int_equal(store_connection_list(s, &list), APP_OK);
  assert_int_equal(list.n, 1);
  store_connection_list_done(&list);
  assert_int_equal(store_damaged(s, &dmg), 1);
  free(path);

  store_connection_done(&c);
  store_connection_done(&d);
  free(note);
  free(top);
  free(tmp);
  free(dir);
  store_close(s);
}

static void a_directory_that_is_not_a_store_is_refused(void **state)
{
  struct store_fixture *f = *state;
  mkdir(f->dir, 0700);
  char *other = paths_join(f->dir, "thesis.tex");
  store_fixture_plant(other, "\\documentclass{article}");
  struct store *s = NULL;
  char *msg = NULL;
  assert_int_equal(store_open(f->dir, &store_fixture_admin, &s, &msg), APP_STORE_NOT_STORE);
  assert_non_null(strstr(msg, "thesis.tex"));
  char *roles = paths_join(f->dir, "roles.json");
  assert_false(access(roles, F_OK) == 0);
  free(roles);
  free(msg);
  free(other);
  /* And an identity that is not a GUID is refused before anything is made. */
  struct store_actor bad = { "dana@contoso.onmicrosoft.com", "Dana" };
  assert_int_equal(store_open(f->root, &bad, &s, NULL), APP_INVALID);
}

static void the_default_location_follows_the_options(void **state)
{
  char *d = store_default_dir("/srv/team-store");
  assert_string_equal(d, "/srv/team-store");
  free(d);
  setenv("SYNWIZ_STORE", "/srv/env-store", 1);
  d = store_default_dir(NULL);
  assert_string_equal(d, "/srv/env-store");
  free(d);
  unsetenv("SYNWIZ_STORE");
  setenv("XDG_CONFIG_HOME", "/home/u/.cfg", 1);
  d = store_default_dir(NULL);
  assert_string_equal(d, "/home/u/.cfg/synwiz/store");
  free(d);
}

static void the_result_table_has_a_message_for_every_code(void **state)
{
  for (int rc = 0; rc < APP_RESULT_COUNT_; rc++) {
    assert_true(strlen(app_result_message((enum app_result)rc)) > 3);
    assert_true(strncmp(app_result_name((enum app_result)rc), "APP_", 4) == 0);
  }
  assert_string_equal(app_result_name(APP_CONFLICT_CHANGED), "APP_CONFLICT_CHANGED");
  assert_int_equal(app_result_class(APP_OK), APP_CLASS_OK);
  assert_int_equal(app_result_class(APP_DENIED), APP_CLASS_REFUSED);
  assert_int_equal(app_result_class(APP_IO), APP_CLASS_FAILURE);
  assert_string_equal(app_result_message((enum app_result)999), "unknown result");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, store_fixture_setup, store_fixture_teardown)
int main(void)
{
  const struct CMUnitTest tests[] = {
    T(connection_create_list_show_edit_remove),
    T(names_are_unique_without_regard_to_case),
    T(a_lookup_that_misses_says_what_was_asked),
    T(a_stale_edit_is_a_conflict_not_an_overwrite),
    T(invalid_records_are_refused),
    T(export_history_detach_and_model_runs),
    T(linked_services_hold_no_secret),
    T(a_newer_schema_is_refused),
    T(temporary_and_foreign_files_are_never_records),
    T(a_directory_that_is_not_a_store_is_refused),
    cmocka_unit_test(the_default_location_follows_the_options),
    cmocka_unit_test(the_result_table_has_a_message_for_every_code),
  };
  return cmocka_run_group_tests_name("store records", tests, NULL, NULL);
}
