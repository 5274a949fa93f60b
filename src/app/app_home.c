#include "app/app_home.h"

#include "app/app_action.h"
#include "app/app_ctx.h"
#include "app/app_export.h"
#include "app/app_linked_service.h"
#include "app/export_run.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_export.h"
#include "app/store_linked_service.h"
#include "app/store_model.h"
#include "app/store_table.h"
#include "azure/az_token_cache.h"
#include "util/paths.h"
#include "util/xalloc.h"
#include "wizard/wiz_host.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdlib.h>

/* One row: a saved thing of `kind` (its form's host runs its actions), with the actions the
 * registry offers on that kind when the user's role lets them act on it. Its cells are set
 * by the caller, one per column of the section. */
static struct wiz_home_entry *add_row(struct wiz_home_section *sec, const char *kind,
                                      const char *name, bool acts)
{
  struct wiz_home_entry *e = wiz_home_add_entry(sec, name, NULL, kind);
  if (acts)
    app_action_offer(e, kind);
  return e;
}

static void cell(struct wiz_home_section *sec, struct wiz_home_entry *e, size_t col, const char *s)
{
  wiz_home_entry_set_cell(sec, e, col, s);
}

static enum app_result connection_rows(struct store *s, struct wiz_home_section *sec)
{
  struct store_connection_list l = { 0 };
  enum app_result rc = store_connection_list(s, &l);
  /* Administrators only: the others see a connection's name and type, nothing to change. */
  bool admin = store_actor_role(s) == STORE_ROLE_ADMIN;
  for (size_t i = 0; rc == APP_OK && i < l.n; i++) {
    const struct store_connection *c = &l.items[i];
    struct wiz_home_entry *e = add_row(sec, "connection", c->display_name, !c->redacted && admin);
    if (c->redacted) {
      cell(sec, e, 0, "(shared with contributors)");
      continue;
    }
    cell(sec, e, 0, c->workspace_name);
    cell(sec, e, 1, c->storage_account);
    cell(sec, e, 2, c->container);
    cell(sec, e, 3,
         c->audience == STORE_AUDIENCE_ADMINS ? "administrators" : "administrators, contributors");
  }
  store_connection_list_done(&l);
  return rc;
}

static enum app_result export_rows(struct store *s, struct wiz_home_section *sec)
{
  struct store_export_list l = { 0 };
  enum app_result rc = store_export_list(s, &l);
  for (size_t i = 0; rc == APP_OK && i < l.n; i++) {
    const struct store_export *x = &l.items[i];
    /* Its status is its last run's (export_run.h keeps the runs), else the record's. */
    json_t *runs = export_run_history(s, x->meta.id, 1);
    const char *last = json_string_value(json_object_get(json_array_get(runs, 0), "status"));
    struct wiz_home_entry *e = add_row(sec, "export", x->display_name, true);
    cell(sec, e, 0, last ? last : x->status ? x->status : "Not started");
    json_decref(runs);
    cell(sec, e, 1, x->database_name);
    cell(sec, e, 2, x->connection_name ? x->connection_name : STORE_NO_CONNECTION);
    char *sched = app_export_schedule_text(&x->schedule); /* as export list says it */
    cell(sec, e, 3, sched);
    free(sched);
  }
  store_export_list_done(&l);
  return rc;
}

static enum app_result model_rows(struct store *s, struct wiz_home_section *sec)
{
  struct store_model_list l = { 0 };
  enum app_result rc = store_model_list(s, &l);
  bool manager = store_actor_role(s) >= STORE_ROLE_CONTRIBUTOR;
  for (size_t i = 0; rc == APP_OK && i < l.n; i++) {
    const struct store_model *m = &l.items[i];
    /* Administrators and contributors create and run models (store_role.h); viewers see them. */
    struct wiz_home_entry *e = add_row(sec, "model", m->name, manager);
    const struct store_model_run *last = NULL;
    for (size_t k = m->n_runs; k-- > 0 && !last;) {
      if (m->runs[k].finished_at)
        last = &m->runs[k];
    }
    cell(sec, e, 0, m->status ? m->status : "Not started");
    cell(sec, e, 1, m->output_table);
    cell(sec, e, 2, m->meta.updated_at ? m->meta.updated_at : "");
    cell(sec, e, 3, last ? last->finished_at : "never");
  }
  store_model_list_done(&l);
  return rc;
}

static enum app_result linked_service_rows(struct store *s, struct wiz_home_section *sec)
{
  struct store_linked_service_list l = { 0 };
  enum app_result rc = store_linked_service_list(s, &l);
  /* Administrators and contributors manage linked services (store_role.h); viewers see them. */
  bool manager = store_actor_role(s) >= STORE_ROLE_CONTRIBUTOR;
  for (size_t i = 0; rc == APP_OK && i < l.n; i++) {
    const struct store_linked_service *ls = &l.items[i];
    struct wiz_home_entry *e = add_row(sec, "linked_service", ls->name, manager);
    cell(sec, e, 0, ls->workspace_name);
    cell(sec, e, 1, ls->ml_workspace_name);
    cell(sec, e, 2,
         ls->authentication == STORE_LS_AUTH_MSI ? "managed identity" : "service principal");
    /* The name is unique only in its workspace: the host finds it by both. */
    char *ref = app_ls_edit_ref(ls->workspace_name, ls->name);
    wiz_home_entry_set_ref(e, ref);
    free(ref);
  }
  store_linked_service_list_done(&l);
  return rc;
}

static enum app_result table_rows(struct store *s, struct wiz_home_section *sec)
{
  struct store_table_list l = { 0 };
  enum app_result rc = store_table_list(s, &l);
  for (size_t i = 0; rc == APP_OK && i < l.n; i++) {
    const struct store_table *t = &l.items[i];
    struct wiz_home_entry *e = add_row(sec, "table", t->name, true);
    char *rows = xasprintf("%" PRId64, t->rows);
    cell(sec, e, 0, rows);
    free(rows);
    cell(sec, e, 1, t->source == STORE_TABLE_FILE ? "local file" : "storage");
    cell(sec, e, 2, t->read_at);
  }
  store_table_list_done(&l);
  return rc;
}

/* When a section is shown. */
enum show {
  SHOW_ALWAYS,       /* the kinds synwiz makes from the start */
  SHOW_WHEN_OFFERED, /* once the registry has an action on its kind (its wizard exists) */
  SHOW_WHEN_PRESENT, /* when the store holds one (or the registry acts on the kind) */
};

/* The sections, one per kind of saved thing, in the order shown: a new kind is one line
 * here (its rows function fills the cells in the order of its columns). */
static const struct {
  const char *title;
  const char *kind; /* the saved kind: the registry's actions on it are the rows' */
  const char *empty;
  enum show show;
  const char *columns[6]; /* after the name; NULL-terminated */
  enum app_result (*rows)(struct store *s, struct wiz_home_section *sec);
} sections[] = {
  { "Connections",
    "connection",
    "No connections yet: Set up a Synapse connection.",
    SHOW_ALWAYS,
    { "Workspace", "Storage account", "Container", "Shared with", NULL },
    connection_rows },
  { "Exports",
    "export",
    "No exports yet.",
    SHOW_WHEN_OFFERED,
    { "Status", "Database", "Connection", "Schedule", NULL },
    export_rows },
  { "My predictions (custom models)",
    "model",
    "No custom models yet.",
    SHOW_WHEN_OFFERED,
    { "Status", "Output table", "Last edited", "Last refreshed", NULL },
    model_rows },
  { "Azure ML linked services",
    "linked_service",
    "No linked services yet.",
    SHOW_ALWAYS,
    { "Workspace", "Azure ML workspace", "Authentication", NULL },
    linked_service_rows },
  { "Tables",
    "table",
    "No tables yet.",
    SHOW_WHEN_PRESENT,
    { "Rows", "Source", "Read at", NULL },
    table_rows },
};

/* What makes the home stale: the store's records and roles, and who is signed in. */
static void watch(struct wiz_home *h, struct app_ctx *ctx)
{
  static const char *const subs[] = { "",       "connections",     "exports",   "models",
                                      "tables", "linked_services", "roles.json" };
  const char *dir = app_ctx_store_dir(ctx);
  for (size_t i = 0; dir && i < sizeof(subs) / sizeof(subs[0]); i++) {
    char *p = paths_join(dir, subs[i]);
    wiz_home_watch(h, p);
    free(p);
  }
  /* An export's runs are files in a folder of its own: a run made elsewhere changes the
   * export's status on this screen (a new export's folder comes with a change of exports). */
  char *runs = dir ? paths_join(dir, "export_runs") : NULL;
  DIR *d = runs ? opendir(runs) : NULL;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char *p = paths_join(runs, e->d_name);
    wiz_home_watch(h, p);
    free(p);
  }
  if (d)
    closedir(d);
  if (runs)
    wiz_home_watch(h, runs);
  free(runs);
  char *tokens = az_token_cache_default_path();
  wiz_home_watch(h, tokens);
  free(tokens);
}

struct wiz_home *app_home_build(struct app_ctx *ctx)
{
  struct wiz_home *h = wiz_home_new(app_ctx_identity_label(ctx), app_ctx_cloud_label(ctx));
  struct store *s = NULL;
  const char *msg = NULL;
  bool opened = app_ctx_store(ctx, &s, &msg) == APP_OK;
  for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
    bool offered = app_action_kind_offered(sections[i].kind);
    if (sections[i].show == SHOW_WHEN_OFFERED && !offered)
      continue;
    if (sections[i].show == SHOW_WHEN_PRESENT && !offered && !opened)
      continue;
    struct wiz_home_section *sec = wiz_home_add_section(h, sections[i].title, sections[i].empty);
    wiz_home_section_set_columns(sec, sections[i].columns);
    app_action_offer_section(sec, sections[i].kind);
    if (!opened)
      sec->why_empty = xstrdup(msg);
    else if (sections[i].rows(s, sec) != APP_OK)
      sec->why_empty = xstrdup(store_message(s));
    if (sections[i].show == SHOW_WHEN_PRESENT && !offered && opened && sec->n_entries == 0 &&
        !sec->why_empty)
      wiz_home_drop_last_section(h); /* a table catalog not made yet: nothing to show */
  }
  if (!opened && !app_ctx_identity(ctx)) {
    h->notice = xstrdup(msg);
    h->sign_in = xstrdup("Sign in");
  }
  watch(h, ctx);
  return h;
}
