/* Unit tests for the store's roles: the first identity becomes admin, role list/add/remove,
 * and what admins, contributors, viewers and strangers may see and do. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support/store_fixture.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void the_first_identity_becomes_admin(void **state)
{
  struct store_fixture *f = *state;
  struct store *a = store_fixture_open(f, &store_fixture_admin);
  assert_true(store_was_created(a));
  assert_int_equal(store_actor_role(a), STORE_ROLE_ADMIN);
  /* The next identity is nobody in it, and is told who can change that. */
  struct store *o = store_fixture_open(f, &store_fixture_other);
  assert_false(store_was_created(o));
  assert_int_equal(store_actor_role(o), STORE_ROLE_NONE);
  struct store_connection_list list;
  assert_int_equal(store_connection_list(o, &list), APP_NO_ROLE);
  assert_non_null(strstr(store_message(o), "no role"));
  assert_non_null(strstr(store_message(o), "Administrators: Dana Demo (6b1a0c8e-"));
  struct store_member_list members;
  assert_int_equal(store_role_list(o, &members), APP_NO_ROLE);
  struct store_export_list exports;
  assert_int_equal(store_export_list(o, &exports), APP_NO_ROLE);
  struct store_linked_service ls;
  store_fixture_linked_service(&ls, "contoso-synapse", "AML");
  assert_int_equal(store_linked_service_create(o, &ls), APP_NO_ROLE);
  store_linked_service_done(&ls);
  store_close(o);
  store_close(a);
  /* Opening again is not creating again. */
  a = store_fixture_open(f, &store_fixture_admin);
  assert_false(store_was_created(a));
  store_close(a);
}

static void admins_manage_roles(void **state)
{
  struct store_fixture *f = *state;
  struct store *a = store_fixture_open(f, &store_fixture_admin);
  assert_int_equal(store_role_add(a, store_fixture_contrib.object_id, NULL, STORE_ROLE_CONTRIBUTOR),
                   APP_OK);
  /* Object ids are compared without regard to case. */
  char *upper = xstrdup(store_fixture_viewer.object_id);
  for (char *p = upper; *p; p++)
    if (*p >= 'a' && *p <= 'f')
      *p = (char)(*p - 'a' + 'A');
  assert_int_equal(store_role_add(a, upper, "Vera Viewer", STORE_ROLE_VIEWER), APP_OK);
  assert_int_equal(store_role_add(a, "Vera", NULL, STORE_ROLE_VIEWER), APP_INVALID);
  assert_int_equal(store_role_add(a, store_fixture_other.object_id, NULL, STORE_ROLE_NONE),
                   APP_INVALID);

  struct store_member_list m;
  assert_int_equal(store_role_list(a, &m), APP_OK);
  assert_int_equal(m.n, 3);
  assert_int_equal(m.items[0].role, STORE_ROLE_ADMIN);
  assert_string_equal(m.items[0].display_name, "Dana Demo");
  assert_int_equal(m.items[1].role, STORE_ROLE_CONTRIBUTOR);
  assert_string_equal(m.items[1].display_name, ""); /* added by object id only */
  assert_int_equal(m.items[2].role, STORE_ROLE_VIEWER);
  assert_string_equal(m.items[2].object_id, store_fixture_viewer.object_id);
  assert_string_equal(m.items[2].added_by, store_fixture_admin.object_id);
  store_member_list_done(&m);

  /* A member's own sign-in fills in their display name. */
  struct store *c = store_fixture_open(f, &store_fixture_contrib);
  assert_int_equal(store_actor_role(c), STORE_ROLE_CONTRIBUTOR);
  /* Only admins list, add or remove, and the refusal says who can. */
  assert_int_equal(store_role_list(c, &m), APP_DENIED);
  assert_int_equal(store_role_add(c, store_fixture_other.object_id, NULL, STORE_ROLE_ADMIN),
                   APP_DENIED);
  assert_non_null(strstr(store_message(c), "Only administrators of this store can"));
  assert_non_null(strstr(store_message(c), "Dana Demo"));
  assert_int_equal(store_role_remove(c, store_fixture_viewer.object_id), APP_DENIED);
  assert_int_equal(store_role_list(a, &m), APP_OK);
  assert_string_equal(m.items[1].display_name, "Carl Contributor");
  store_member_list_done(&m);

  /* The last admin can be neither removed nor demoted... */
  assert_int_equal(store_role_remove(a, store_fixture_admin.object_id), APP_LAST_ADMIN);
  assert_non_null(strstr(store_message(a), "last administrator"));
  assert_int_equal(store_role_add(a, store_fixture_admin.object_id, NULL, STORE_ROLE_VIEWER),
                   APP_LAST_ADMIN);
  /* ...until there is another one. */
  assert_int_equal(store_role_add(a, store_fixture_contrib.object_id, NULL, STORE_ROLE_ADMIN),
                   APP_OK);
  assert_int_equal(store_actor_role(c), STORE_ROLE_ADMIN);
  assert_int_equal(store_role_remove(c, store_fixture_admin.object_id), APP_OK);
  /* Removed: Dana's open handle sees it at once. */
  assert_int_equal(store_actor_role(a), STORE_ROLE_NONE);
  assert_int_equal(store_role_add(a, store_fixture_admin.object_id, NULL, STORE_ROLE_ADMIN),
                   APP_NO_ROLE);
  assert_int_equal(store_role_remove(c, store_fixture_other.object_id), APP_NOT_FOUND);
  free(upper);
  store_close(c);
  store_close(a);
}

/* The store every permission test starts from: shared connection "Shared" and admin-only
 * "Private", an export and a model on each, made by the admin. */
struct world {
  struct store_connection shared, private_;
  struct store_export e_shared, e_private;
  struct store_model m_shared, m_private;
};

static void make_world(const struct store_fixture *f, struct world *w)
{
  store_fixture_members(f);
  struct store *a = store_fixture_open(f, &store_fixture_admin);
  store_fixture_connection(&w->shared, "Shared", STORE_AUDIENCE_ADMINS_AND_CONTRIBUTORS);
  store_fixture_connection(&w->private_, "Private", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(a, &w->shared), APP_OK);
  assert_int_equal(store_connection_create(a, &w->private_), APP_OK);
  store_fixture_export(&w->e_shared, "OnShared", w->shared.meta.id);
  store_fixture_export(&w->e_private, "OnPrivate", w->private_.meta.id);
  assert_int_equal(store_export_create(a, &w->e_shared), APP_OK);
  assert_int_equal(store_export_create(a, &w->e_private), APP_OK);
  store_fixture_model(&w->m_shared, "ModelShared", w->shared.meta.id);
  store_fixture_model(&w->m_private, "ModelPrivate", w->private_.meta.id);
  assert_int_equal(store_model_create(a, &w->m_shared), APP_OK);
  assert_int_equal(store_model_create(a, &w->m_private), APP_OK);
  store_close(a);
}

static void free_world(struct world *w)
{
  store_connection_done(&w->shared);
  store_connection_done(&w->private_);
  store_export_done(&w->e_shared);
  store_export_done(&w->e_private);
  store_model_done(&w->m_shared);
  store_model_done(&w->m_private);
}

static void admins_see_and_change_everything(void **state)
{
  struct store_fixture *f = *state;
  struct world w;
  make_world(f, &w);
  struct store *a = store_fixture_open(f, &store_fixture_admin);
  struct store_connection_list cl;
  assert_int_equal(store_connection_list(a, &cl), APP_OK);
  assert_int_equal(cl.n, 2);
  assert_false(cl.items[0].redacted);
  assert_non_null(cl.items[0].subscription_id);
  store_connection_list_done(&cl);
  struct store_export_list el;
  assert_int_equal(store_export_list(a, &el), APP_OK);
  assert_int_equal(el.n, 2);
  store_export_list_done(&el);
  struct store_model_list ml;
  assert_int_equal(store_model_list(a, &ml), APP_OK);
  assert_int_equal(ml.n, 2);
  store_model_list_done(&ml);
  assert_int_equal(store_export_remove(a, w.e_private.meta.id, 1), APP_OK);
  assert_int_equal(store_model_detach(a, w.m_private.meta.id, 1), APP_OK);
  store_close(a);
  free_world(&w);
}

static void contributors_see_shared_connections_by_name_and_type_only(void **state)
{
  struct store_fixture *f = *state;
  struct world w;
  make_world(f, &w);
  struct store *c = store_fixture_open(f, &store_fixture_contrib);

  struct store_connection_list cl;
  assert_int_equal(store_connection_list(c, &cl), APP_OK);
  assert_int_equal(cl.n, 1); /* "Private" is not even listed */
  assert_string_equal(cl.items[0].display_name, "Shared");
  assert_true(cl.items[0].redacted);
  assert_string_equal(cl.items[0].meta.id, w.shared.meta.id);
  assert_null(cl.items[0].subscription_id);
  assert_null(cl.items[0].storage_account);
  assert_null(cl.items[0].workspace_name);
  json_t *j = store_connection_to_json(&cl.items[0]);
  assert_int_equal(json_object_size(j), 3); /* id, type, display_name */
  assert_string_equal(json_string_value(json_object_get(j, "type")), STORE_CONNECTION_TYPE);
  json_decref(j);
  store_connection_list_done(&cl);

  /* The admin-only connection answers exactly like one that does not exist. */
  struct store_connection got;
  assert_int_equal(store_connection_find(c, "Private", &got), APP_NOT_FOUND);
  char *hidden = xstrdup(store_message(c));
  assert_int_equal(store_connection_find(c, "NoSuchThing", &got), APP_NOT_FOUND);
  char *absent = xstrdup(store_message(c));
  assert_non_null(strstr(hidden, "'Private'"));
  assert_non_null(strstr(absent, "'NoSuchThing'"));
  assert_string_equal(strchr(hidden, '\'') + strlen("'Private'"),
                      strchr(absent, '\'') + strlen("'NoSuchThing'"));
  free(hidden);
  free(absent);
  assert_int_equal(store_connection_get(c, w.private_.meta.id, &got), APP_NOT_FOUND);

  /* Contributors create, edit and remove no connection, and are told who can. */
  struct store_connection mine;
  store_fixture_connection(&mine, "Mine", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(c, &mine), APP_DENIED);
  assert_string_equal(store_message(c),
                      "Only administrators of this store can create connections; you are a "
                      "contributor. Administrators: Dana Demo "
                      "(6b1a0c8e-3d2f-4a51-9c7e-0d4f2b8a1e01).");
  /* Even a name that is taken by a hidden connection gives the same answer. */
  free(mine.display_name);
  mine.display_name = xstrdup("private");
  assert_int_equal(store_connection_create(c, &mine), APP_DENIED);
  assert_int_equal(store_connection_update(c, &w.shared), APP_DENIED);
  assert_non_null(strstr(store_message(c), "can edit connections"));
  assert_int_equal(store_connection_remove(c, w.shared.meta.id, 1, NULL), APP_DENIED);
  assert_int_equal(store_connection_remove(c, w.private_.meta.id, 1, NULL), APP_DENIED);
  store_connection_done(&mine);

  /* Exports and models: those on the shared connection only. */
  struct store_export_list el;
  assert_int_equal(store_export_list(c, &el), APP_OK);
  assert_int_equal(el.n, 1);
  assert_string_equal(el.items[0].display_name, "OnShared");
  assert_string_equal(el.items[0].connection_name, "Shared");
  store_export_list_done(&el);
  struct store_export e;
  assert_int_equal(store_export_get(c, w.e_private.meta.id, &e), APP_NOT_FOUND);
  assert_int_equal(store_export_remove(c, w.e_private.meta.id, 1), APP_NOT_FOUND);
  struct store_model_list ml;
  assert_int_equal(store_model_list(c, &ml), APP_OK);
  assert_int_equal(ml.n, 1);
  assert_string_equal(ml.items[0].name, "ModelShared");
  store_model_list_done(&ml);

  /* ...which they manage: create, edit, detach, remove. */
  struct store_export ne;
  store_fixture_export(&ne, "ContributorsOwn", w.shared.meta.id);
  assert_int_equal(store_export_create(c, &ne), APP_OK);
  assert_int_equal(store_export_find(c, "OnShared", &e), APP_OK);
  store_strings_add(&e.tables, "WebActivity");
  assert_int_equal(store_export_update(c, &e), APP_OK);
  /* Moving an export to a connection they cannot see: as if it did not exist. */
  free(e.connection_id);
  e.connection_id = xstrdup(w.private_.meta.id);
  assert_int_equal(store_export_update(c, &e), APP_NOT_FOUND);
  store_export_done(&e);
  struct store_export onp;
  store_fixture_export(&onp, "OnPrivate2", w.private_.meta.id);
  assert_int_equal(store_export_create(c, &onp), APP_NOT_FOUND);
  store_export_done(&onp);
  assert_int_equal(store_export_detach(c, ne.meta.id, 1), APP_OK);
  /* Detached, it has no connection: admins only from now on. */
  assert_int_equal(store_export_remove(c, ne.meta.id, 2), APP_DENIED);
  assert_non_null(strstr(store_message(c), "has no connection"));
  struct store_model nm;
  store_fixture_model(&nm, "ContributorsModel", w.shared.meta.id);
  assert_int_equal(store_model_create(c, &nm), APP_OK);
  struct store_model_run run = { "r1", "2026-02-01T00:00:00Z", NULL, "Queued" };
  assert_int_equal(store_model_put_run(c, nm.meta.id, &run), APP_OK);
  assert_int_equal(store_model_put_run(c, w.m_private.meta.id, &run), APP_NOT_FOUND);
  assert_int_equal(store_model_remove(c, nm.meta.id, 2), APP_OK);
  store_model_done(&nm);
  store_export_done(&ne);

  /* Linked services: contributors may. */
  struct store_linked_service ls;
  store_fixture_linked_service(&ls, "contoso-synapse", "AML");
  assert_int_equal(store_linked_service_create(c, &ls), APP_OK);
  store_linked_service_done(&ls);
  store_close(c);
  free_world(&w);
}

static void viewers_change_nothing(void **state)
{
  struct store_fixture *f = *state;
  struct world w;
  make_world(f, &w);
  struct store *v = store_fixture_open(f, &store_fixture_viewer);
  struct store_connection_list cl;
  assert_int_equal(store_connection_list(v, &cl), APP_OK);
  assert_int_equal(cl.n, 1);
  assert_true(cl.items[0].redacted);
  store_connection_list_done(&cl);
  struct store_export_list el;
  assert_int_equal(store_export_list(v, &el), APP_OK);
  assert_int_equal(el.n, 1);
  store_export_list_done(&el);

  struct store_connection c;
  store_fixture_connection(&c, "ViewersOwn", STORE_AUDIENCE_ADMINS);
  assert_int_equal(store_connection_create(v, &c), APP_DENIED);
  assert_non_null(strstr(store_message(v), "Administrators: Dana Demo"));
  store_connection_done(&c);
  struct store_export e;
  store_fixture_export(&e, "ViewersOwn", w.shared.meta.id);
  assert_int_equal(store_export_create(v, &e), APP_DENIED);
  assert_non_null(strstr(store_message(v), "viewer"));
  store_export_done(&e);
  assert_int_equal(store_export_find(v, "OnShared", &e), APP_OK);
  assert_int_equal(store_export_update(v, &e), APP_DENIED);
  assert_int_equal(store_export_detach(v, e.meta.id, e.meta.revision), APP_DENIED);
  assert_int_equal(store_export_remove(v, e.meta.id, e.meta.revision), APP_DENIED);
  store_export_done(&e);
  struct store_model m;
  store_fixture_model(&m, "ViewersModel", w.shared.meta.id);
  assert_int_equal(store_model_create(v, &m), APP_DENIED);
  store_model_done(&m);
  assert_int_equal(store_model_remove(v, w.m_shared.meta.id, 1), APP_DENIED);
  struct store_model_run run = { "r1", "2026-02-01T00:00:00Z", NULL, "Queued" };
  assert_int_equal(store_model_put_run(v, w.m_shared.meta.id, &run), APP_DENIED);
  struct store_linked_service ls;
  store_fixture_linked_service(&ls, "contoso-synapse", "AML");
  assert_int_equal(store_linked_service_create(v, &ls), APP_DENIED);
  store_linked_service_done(&ls);
  assert_int_equal(store_role_add(v, store_fixture_viewer.object_id, NULL, STORE_ROLE_ADMIN),
                   APP_DENIED);
  assert_int_equal(store_actor_role(v), STORE_ROLE_VIEWER);
  store_close(v);
  free_world(&w);
}

static void the_audience_changes_without_touching_exports(void **state)
{
  struct store_fixture *f = *state;
  struct world w;
  make_world(f, &w);
  struct store *a = store_fixture_open(f, &store_fixture_admin);
  struct store *c = store_fixture_open(f, &store_fixture_contrib);
  w.shared.audience = STORE_AUDIENCE_ADMINS;
  assert_int_equal(store_connection_update(a, &w.shared), APP_OK);
  /* The contributor loses sight of the connection and of what uses it... */
  struct store_connection_list cl;
  assert_int_equal(store_connection_list(c, &cl), APP_OK);
  assert_int_equal(cl.n, 0);
  store_connection_list_done(&cl);
  struct store_export_list el;
  assert_int_equal(store_export_list(c, &el), APP_OK);
  assert_int_equal(el.n, 0);
  store_export_list_done(&el);
  /* ...and the exports themselves are unchanged. */
  struct store_export e;
  assert_int_equal(store_export_get(a, w.e_shared.meta.id, &e), APP_OK);
  assert_int_equal(e.meta.revision, 1);
  assert_string_equal(e.connection_id, w.shared.meta.id);
  store_export_done(&e);
  w.shared.audience = STORE_AUDIENCE_ADMINS_AND_CONTRIBUTORS;
  assert_int_equal(store_connection_update(a, &w.shared), APP_OK);
  assert_int_equal(store_export_list(c, &el), APP_OK);
  assert_int_equal(el.n, 1);
  store_export_list_done(&el);
  store_close(c);
  store_close(a);
  free_world(&w);
}

static void removal_waits_for_dependents(void **state)
{
  struct store_fixture *f = *state;
  struct world w;
  make_world(f, &w);
  struct store *a = store_fixture_open(f, &store_fixture_admin);
  struct store_export e2;
  store_fixture_export(&e2, "SecondOnShared", w.shared.meta.id);
  assert_int_equal(store_export_create(a, &e2), APP_OK);

  struct store_dependent_list deps;
  assert_int_equal(store_connection_remove(a, w.shared.meta.id, 1, &deps), APP_HAS_DEPENDENTS);
  assert_int_equal(deps.n, 3);
  int exports = 0, models = 0;
  for (size_t i = 0; i < deps.n; i++) {
    exports += deps.items[i].kind == STORE_KIND_EXPORT;
    models += deps.items[i].kind == STORE_KIND_MODEL;
  }
  assert_int_equal(exports, 2);
  assert_int_equal(models, 1);
  const char *msg = store_message(a);
  assert_non_null(strstr(msg, "export 'OnShared'"));
  assert_non_null(strstr(msg, "export 'SecondOnShared'"));
  assert_non_null(strstr(msg, "model 'ModelShared'"));
  assert_non_null(strstr(msg, "detach"));
  assert_non_null(strstr(msg, "No connection"));

  /* Remove one dependent, detach the others, then the connection goes. */
  for (size_t i = 0; i < deps.n; i++) {
    const struct store_dependent *d = &deps.items[i];
    if (d->kind == STORE_KIND_MODEL)
      assert_int_equal(store_model_remove(a, d->id, d->revision), APP_OK);
    else if (strcmp(d->name, "OnShared") == 0)
      assert_int_equal(store_export_detach(a, d->id, d->revision), APP_OK);
    else
      assert_int_equal(store_export_remove(a, d->id, d->revision), APP_OK);
    if (i + 1 < deps.n)
      assert_int_equal(store_connection_remove(a, w.shared.meta.id, 1, NULL), APP_HAS_DEPENDENTS);
  }
  store_dependent_list_done(&deps);
  assert_int_equal(store_connection_remove(a, w.shared.meta.id, 1, &deps), APP_OK);
  assert_int_equal(deps.n, 0);
  struct store_export kept;
  assert_int_equal(store_export_find(a, "OnShared", &kept), APP_OK);
  assert_false(store_export_is_active(&kept));
  assert_int_equal(kept.meta.revision, 2);
  store_export_done(&kept);
  /* The other connection's dependents are not its business. */
  assert_int_equal(store_connection_remove(a, w.private_.meta.id, 1, NULL), APP_HAS_DEPENDENTS);
  store_export_done(&e2);
  store_close(a);
  free_world(&w);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, store_fixture_setup, store_fixture_teardown)
int main(void)
{
  const struct CMUnitTest tests[] = {
    T(the_first_identity_becomes_admin),
    T(admins_manage_roles),
    T(admins_see_and_change_everything),
    T(contributors_see_shared_connections_by_name_and_type_only),
    T(viewers_change_nothing),
    T(the_audience_changes_without_touching_exports),
    T(removal_waits_for_dependents),
  };
  return cmocka_run_group_tests_name("store roles", tests, NULL, NULL);
}
