/* See store_fixture.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support/store_fixture.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const struct store_actor store_fixture_admin = { "6b1a0c8e-3d2f-4a51-9c7e-0d4f2b8a1e01",
                                                 "Dana Demo" };
const struct store_actor store_fixture_contrib = { "2f6d9b14-7c3e-4e88-a0b5-91c2d3e4f502",
                                                   "Carl Contributor" };
const struct store_actor store_fixture_viewer = { "9a0e7d25-1b4c-4f6a-8d39-c7e6f5a4b303",
                                                  "Vera Viewer" };
const struct store_actor store_fixture_other = { "0c3b5a47-8e9d-4b2c-b1f0-a9e8d7c6b504",
                                                 "Oscar Outsider" };

int store_fixture_setup(void **state)
{
  struct store_fixture *f = xcalloc(1, sizeof(*f));
  const char *tmp = getenv("TMPDIR");
  f->root = xasprintf("%s/synwiz-store-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(f->root))
    return -1;
  f->dir = paths_join(f->root, "store");
  umask(022);
  *state = f;
  return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  /* Make it removable whatever a test did to its mode. */
  if (flag == FTW_DP || flag == FTW_D)
    chmod(path, 0700);
  return remove(path);
}

int store_fixture_teardown(void **state)
{
  struct store_fixture *f = *state;
  chmod(f->root, 0700);
  chmod(f->dir, 0700);
  nftw(f->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
  free(f->root);
  free(f->dir);
  free(f);
  return 0;
}

struct store *store_fixture_open(const struct store_fixture *f, const struct store_actor *actor)
{
  struct store *s = NULL;
  char *msg = NULL;
  enum app_result rc = store_open(f->dir, actor, &s, &msg);
  if (rc)
    print_error("store_open: %s: %s\n", app_result_name(rc), msg ? msg : "");
  free(msg);
  assert_int_equal(rc, APP_OK);
  assert_non_null(s);
  return s;
}

void store_fixture_members(const struct store_fixture *f)
{
  struct store *s = store_fixture_open(f, &store_fixture_admin);
  assert_int_equal(store_role_add(s, store_fixture_contrib.object_id, "Carl Contributor",
                                  STORE_ROLE_CONTRIBUTOR),
                   APP_OK);
  assert_int_equal(
      store_role_add(s, store_fixture_viewer.object_id, "Vera Viewer", STORE_ROLE_VIEWER), APP_OK);
  store_close(s);
}

void store_fixture_connection(struct store_connection *c, const char *name,
                              enum store_audience audience)
{
  store_connection_init(c);
  c->display_name = xstrdup(name);
  c->audience = audience;
  c->subscription_id = xstrdup("5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a");
  c->subscription_name = xstrdup("Contoso Analytics");
  c->workspace_name = xstrdup("contoso-synapse");
  c->workspace_resource_group = xstrdup("rg-analytics");
  c->workspace_id = xstrdup("/subscriptions/5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a/resourceGroups/"
                            "rg-analytics/providers/Microsoft.Synapse/workspaces/contoso-synapse");
  c->workspace_dev_endpoint = xstrdup("https://contoso-synapse.dev.azuresynapse.net");
  c->workspace_principal_id = xstrdup("7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928");
  c->storage_account = xstrdup("contosolake");
  c->storage_resource_group = xstrdup("rg-analytics");
  c->storage_account_id = xstrdup("/subscriptions/5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a/"
                                  "resourceGroups/rg-analytics/providers/Microsoft.Storage/"
                                  "storageAccounts/contosolake");
  c->container = xstrdup("customerinsights");
  c->private_link = false;
  c->agreed_at = xstrdup("2026-01-31T12:00:00Z");
}

void store_fixture_export(struct store_export *e, const char *name, const char *connection_id)
{
  store_export_init(e);
  e->display_name = xstrdup(name);
  e->connection_id = connection_id ? xstrdup(connection_id) : NULL;
  e->database_name = xstrdup("CustomerLake");
  store_strings_add(&e->tables, "Customer");
  store_strings_add(&e->tables, "Orders");
}

void store_fixture_model(struct store_model *m, const char *name, const char *connection_id)
{
  store_model_init(m);
  m->name = xstrdup(name);
  m->connection_id = connection_id ? xstrdup(connection_id) : NULL;
  m->pipeline = xstrdup("ScoreCustomerChurn");
  m->output_table = xstrdup("ChurnScores");
  m->primary_key = xstrdup("CustomerId");
  m->customer_id_column = xstrdup("CustomerId");
  store_model_add_mapping(m, "customers", "CustomerId", "Customer", "CustomerId");
}

void store_fixture_linked_service(struct store_linked_service *ls, const char *workspace,
                                  const char *name)
{
  store_linked_service_init(ls);
  ls->workspace_name = xstrdup(workspace);
  ls->name = xstrdup(name);
  ls->ml_subscription_id = xstrdup("5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a");
  ls->ml_resource_group = xstrdup("rg-ml");
  ls->ml_workspace_name = xstrdup("contoso-ml");
  ls->authentication = STORE_LS_AUTH_MSI;
}

size_t store_fixture_count(const char *dir, const char *part)
{
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (!part || strstr(e->d_name, part))
      n++;
  }
  closedir(d);
  return n;
}

char *store_fixture_slurp(const char *path)
{
  char *data = NULL;
  if (fs_read_all(path, &data, NULL, 0) != 0)
    return NULL;
  return data;
}

void store_fixture_plant(const char *path, const char *text)
{
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
}

char *store_fixture_only_record(const struct store_fixture *f, const char *kind_dir)
{
  char *dir = paths_join(f->dir, kind_dir);
  DIR *d = opendir(dir);
  assert_non_null(d);
  char *found = NULL;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strstr(e->d_name, ".json") && !strstr(e->d_name, ".tmp.")) {
      assert_null(found);
      found = paths_join(dir, e->d_name);
    }
  }
  closedir(d);
  free(dir);
  assert_non_null(found);
  return found;
}

mode_t store_fixture_mode(const char *path)
{
  struct stat st;
  assert_int_equal(lstat(path, &st), 0);
  return st.st_mode & 07777;
}
