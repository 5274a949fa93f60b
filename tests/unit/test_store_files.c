/* Unit tests for the store's files: the modes of a private and of a shared store, and the
 * permissions a store refuses to open with. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support/store_fixture.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every directory and file of a store with one record of each kind. */
static void fill(const struct store_fixture *f)
{
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  struct store_connection c;
  store_fixture_connection(&c, "Lake", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(s, &c), APP_OK);
  struct store_export e;
  store_fixture_export(&e, "Daily", c.meta.id);
  assert_int_equal(store_export_create(s, &e), APP_OK);
  struct store_model m;
  store_fixture_model(&m, "Churn", c.meta.id);
  assert_int_equal(store_model_create(s, &m), APP_OK);
  struct store_linked_service ls;
  store_fixture_linked_service(&ls, "contoso-synapse", "AML");
  assert_int_equal(store_linked_service_create(s, &ls), APP_OK);
  store_linked_service_done(&ls);
  store_model_done(&m);
  store_export_done(&e);
  store_connection_done(&c);
  store_close(s);
}

static void check_modes(const struct store_fixture *f, mode_t dir_mode, mode_t file_mode)
{
  assert_int_equal(store_fixture_mode(f->dir), dir_mode);
  static const char *const files[] = { "store.json", "roles.json", "store.lock" };
  for (size_t i = 0; i < 3; i++) {
    char *p = paths_join(f->dir, files[i]);
    assert_int_equal(store_fixture_mode(p), file_mode);
    free(p);
  }
  static const char *const kinds[] = { "connections", "exports", "models", "linked_services" };
  for (size_t i = 0; i < 4; i++) {
    char *p = paths_join(f->dir, kinds[i]);
    assert_int_equal(store_fixture_mode(p), dir_mode);
    free(p);
    char *rec = store_fixture_only_record(f, kinds[i]);
    assert_int_equal(store_fixture_mode(rec), file_mode);
    free(rec);
  }
}

static void a_private_store_is_0700_and_0600(void **state)
{
  struct store_fixture *f = *state;
  /* A permissive umask must not widen anything. */
  mode_t old = umask(0);
  fill(f);
  umask(old);
  check_modes(f, 0700, 0600);
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  assert_false(store_is_shared(s));
  store_close(s);
}

static void a_shared_store_is_2770_and_0660(void **state)
{
  struct store_fixture *f = *state;
  /* What the README tells the person setting up a shared store to do. */
  assert_int_equal(mkdir(f->dir, 0700), 0);
  assert_int_equal(chmod(f->dir, 02770), 0);
  /* A narrow umask must not lock the group out. */
  mode_t old = umask(077);
  fill(f);
  umask(old);
  check_modes(f, 02770, 0660);
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  assert_true(store_is_shared(s));
  store_close(s);
}

static void refuse(const struct store_fixture *f, const char *needle)
{
  struct store *s = NULL;
  char *msg = NULL;
  assert_int_equal(store_open(f->dir, &store_fixture_admin, &s, &msg), APP_STORE_UNSAFE);
  assert_null(s);
  assert_non_null(msg);
  if (!strstr(msg, needle))
    print_error("message: %s\n", msg);
  assert_non_null(strstr(msg, needle));
  free(msg);
}

static void a_store_others_can_write_is_refused(void **state)
{
  struct store_fixture *f = *state;
  fill(f);
  /* World-writable directory. */
  assert_int_equal(chmod(f->dir, 0777), 0);
  refuse(f, "every user");
  /* Group-writable but not setgid: files would get each writer's group. */
  assert_int_equal(chmod(f->dir, 0770), 0);
  refuse(f, "chmod g+s");
  assert_int_equal(chmod(f->dir, 02770), 0);
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  store_close(s);
  assert_int_equal(chmod(f->dir, 0700), 0);

  /* A world-writable kind directory, roles file or lock file. */
  char *kind = paths_join(f->dir, "exports");
  assert_int_equal(chmod(kind, 0707), 0);
  refuse(f, "exports");
  assert_int_equal(chmod(kind, 0700), 0);
  char *roles = paths_join(f->dir, "roles.json");
  assert_int_equal(chmod(roles, 0666), 0);
  refuse(f, "roles.json");
  assert_int_equal(chmod(roles, 0600), 0);
  char *lock = paths_join(f->dir, "store.lock");
  assert_int_equal(chmod(lock, 0622), 0);
  refuse(f, "store.lock");
  assert_int_equal(chmod(lock, 0600), 0);

  /* A world-writable record is refused when read. */
  s = store_fixture_open(f, &store_fixture_admin);
  char *rec = store_fixture_only_record(f, "connections");
  assert_int_equal(chmod(rec, 0602), 0);
  struct store_connection_list list;
  assert_int_equal(store_connection_list(s, &list), APP_STORE_UNSAFE);
  assert_non_null(strstr(store_message(s), "chmod o-w"));
  assert_int_equal(chmod(rec, 0600), 0);
  assert_int_equal(store_connection_list(s, &list), APP_OK);
  store_connection_list_done(&list);
  store_close(s);
  free(rec);
  free(lock);
  free(roles);
  free(kind);
}

static void a_store_that_lost_its_roles_is_not_taken_over(void **state)
{
  struct store_fixture *f = *state;
  fill(f);
  char *roles = paths_join(f->dir, "roles.json");
  assert_int_equal(unlink(roles), 0);
  struct store *s = NULL;
  char *msg = NULL;
  assert_int_equal(store_open(f->dir, &store_fixture_other, &s, &msg), APP_STORE_CORRUPT);
  assert_non_null(strstr(msg, "roles"));
  free(msg);
  assert_false(access(roles, F_OK) == 0);
  free(roles);
}

static void a_store_killed_while_being_made_is_finished_by_the_next(void **state)
{
  struct store_fixture *f = *state;
  /* What a kill -9 between the roles and store.json of a new store leaves. */
  assert_int_equal(mkdir(f->dir, 0700), 0);
  char *roles = paths_join(f->dir, "roles.json");
  store_fixture_plant(roles, "{\"schema\": 1, \"members\": [{\"object_id\": "
                             "\"0c3b5a47-8e9d-4b2c-b1f0-a9e8d7c6b504\", \"role\": \"admin\"}]}");
  chmod(roles, 0600);
  char *tmp = paths_join(f->dir, "store.json.tmp.4242");
  store_fixture_plant(tmp, "{\"sch");
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  assert_true(store_was_created(s));
  assert_int_equal(store_actor_role(s), STORE_ROLE_ADMIN);
  assert_false(access(tmp, F_OK) == 0);
  store_close(s);
  free(tmp);
  free(roles);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, store_fixture_setup, store_fixture_teardown)
int main(void)
{
  const struct CMUnitTest tests[] = {
    T(a_private_store_is_0700_and_0600),
    T(a_shared_store_is_2770_and_0660),
    T(a_store_others_can_write_is_refused),
    T(a_store_that_lost_its_roles_is_not_taken_over),
    T(a_store_killed_while_being_made_is_finished_by_the_next),
  };
  return cmocka_run_group_tests_name("store files", tests, NULL, NULL);
}
