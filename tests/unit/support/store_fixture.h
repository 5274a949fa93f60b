/*
 * store_fixture: what the store's unit tests (tests/unit/test_store_*.c) share: a fresh
 * temporary directory per test, four identities, valid records to start from, and small
 * file helpers. Linked into every unit test; only the store's tests call it.
 */
#ifndef SYNWIZ_TESTS_STORE_FIXTURE_H
#define SYNWIZ_TESTS_STORE_FIXTURE_H

#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_export.h"
#include "app/store_linked_service.h"
#include "app/store_model.h"
#include "app/store_role.h"

#include <stddef.h>

struct store_fixture {
  char *root; /* mkdtemp'd, removed by teardown */
  char *dir;  /* root/store, not created */
};

extern const struct store_actor store_fixture_admin;   /* Dana Demo */
extern const struct store_actor store_fixture_contrib; /* Carl Contributor */
extern const struct store_actor store_fixture_viewer;  /* Vera Viewer */
extern const struct store_actor store_fixture_other;   /* Oscar Outsider, never a member */

/* cmocka group setup/teardown: *state becomes a struct store_fixture. */
int store_fixture_setup(void **state);
int store_fixture_teardown(void **state);

/* Open f->dir as `actor`, failing the test unless it works. */
struct store *store_fixture_open(const struct store_fixture *f, const struct store_actor *actor);
/* Open as the admin (making the store) and give contrib and viewer their roles. */
void store_fixture_members(const struct store_fixture *f);

void store_fixture_connection(struct store_connection *c, const char *name,
                              enum store_audience audience);
void store_fixture_export(struct store_export *e, const char *name, const char *connection_id);
void store_fixture_model(struct store_model *m, const char *name, const char *connection_id);
void store_fixture_linked_service(struct store_linked_service *ls, const char *workspace,
                                  const char *name);

/* Files in `dir` whose name contains `part` (NULL: every file but . and ..). */
size_t store_fixture_count(const char *dir, const char *part);
/* The whole file, or NULL. */
char *store_fixture_slurp(const char *path);
/* Write `text` to path (not atomically: tests use it to plant files). */
void store_fixture_plant(const char *path, const char *text);
/* The path of the only record file of `kind_dir` (e.g. "connections"); fails otherwise. */
char *store_fixture_only_record(const struct store_fixture *f, const char *kind_dir);
mode_t store_fixture_mode(const char *path);

#endif
