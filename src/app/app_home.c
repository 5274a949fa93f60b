#include "app/app_home.h"

#include "app/app_action.h"
#include "app/app_ctx.h"
#include "app/app_linked_service.h"
#include "app/export_run.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_export.h"
#include "app/store_linked_service.h"
#include "app/store_model.h"
#include "util/xalloc.h"
#include "wizard/wiz_host.h"

#include <stdlib.h>

/* One row: a saved thing of `kind` (its form's host runs its actions), with the actions the
 * registry offers on that kind when the user's role lets them act on it. */
static struct wiz_home_entry *add_row(struct wiz_home_section *sec, const char *kind,
                                      const char *name, char *detail, bool acts)
{
  struct wiz_home_entry *e = wiz_home_add_entry(sec, name, detail, kind);
  free(detail);
  if (acts)
    app_action_offer(e, kind);
  return e;
}

static enum app_result connection_rows(struct store *s, struct wiz_home_section *sec)
{
  struct store_connection_list l = { 0 };
  enum app_result rc = store_connection_list(s, &l);
  /* Administrators only: the others see a connection's name and type, nothing to change. */
  bool admin = store_actor_role(s) == STORE_ROLE_ADMIN;
  for (size_t i = 0; rc == APP_OK && i < l.n; i++) {
    const struct store_connection *c = &l.items[i];
    add_row(sec, "connection", c->display_name,
            c->redacted
                ? xasprintf("Azure Synapse Analytics, shared with contributors")
                : xasprintf("%s / %s / %s, %s", c->workspace_name, c->storage_account, c->container,
                            c->audience == STORE_AUDIENCE_ADMINS
                                ? "administrators"
                                : "administrators and contributors"),
            !c->redacted && admin);
  }
  store_connection_list_done(&l);
  return rc;
}

static enum app_result export_rows(struct store *s, struct wiz_home_section *sec)
{
  struct store_export_list l = { 0 };
  enum app_result rc = store_export_list(s, &l);
  for (size_t i = 0; rc == APP_OK && i < l.n; i++) {
    const struct store_export *e = &l.items[i];
    /* Its status is its last run's (export_run.h keeps the runs). */
    json_t *runs = export_run_history(s, e->meta.id, 1);
    const char *last = json_string_value(json_object_get(json_array_get(runs, 0), "status"));
    add_row(sec, "export", e->display_name,
            xasprintf("database %s on %s, %s", e->database_name,
                      e->connection_name ? e->connection_name : STORE_NO_CONNECTION,
                      last ? last : "Not started"),
            true);
    json_decref(runs);
  }
  store_export_list_done(&l);
  return rc;
}

static enum app_result model_rows(struct store *s, struct wiz_home_section *sec)
{
  struct store_model_list l = { 0 };
  enum app_result rc = store_model_list(s, &l);
  for (size_t i = 0; rc == APP_OK && i < l.n; i++) {
    const struct store_model *m = &l.items[i];
    add_row(sec, "custom_model", m->name,
            xasprintf("pipeline %s -> %s, %s", m->pipeline, m->output_table,
                      m->status ? m->status : "Not started"),
            true);
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
    struct wiz_home_entry *e =
        add_row(sec, "linked_service", ls->name,
                xasprintf("%s -> Azure ML %s, %s", ls->workspace_name, ls->ml_workspace_name,
                          ls->authentication == STORE_LS_AUTH_MSI ? "managed identity"
                                                                  : "service principal"),
                manager);
    /* The name is unique only in its workspace: the host finds it by both. */
    char *ref = app_ls_edit_ref(ls->workspace_name, ls->name);
    wiz_home_entry_set_ref(e, ref);
    free(ref);
  }
  store_linked_service_list_done(&l);
  return rc;
}

/* The sections, one per kind of saved thing, in the order shown. */
static const struct {
  const char *title;
  const char *empty;
  enum app_result (*rows)(struct store *s, struct wiz_home_section *sec);
} sections[] = {
  { "Connections", "No connections yet: Set up a Synapse connection.", connection_rows },
  { "Exports", "No exports yet.", export_rows },
  { "Custom models", "No custom models yet.", model_rows },
  { "Azure ML linked services", "No linked services yet.", linked_service_rows },
};

struct wiz_home *app_home_build(struct app_ctx *ctx)
{
  struct wiz_home *h = wiz_home_new(app_ctx_identity_label(ctx), app_ctx_cloud_label(ctx));
  struct store *s = NULL;
  const char *msg = NULL;
  bool opened = app_ctx_store(ctx, &s, &msg) == APP_OK;
  for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
    struct wiz_home_section *sec = wiz_home_add_section(h, sections[i].title, sections[i].empty);
    if (!opened)
      sec->why_empty = xstrdup(msg);
    else if (sections[i].rows(s, sec) != APP_OK)
      sec->why_empty = xstrdup(store_message(s));
  }
  if (!opened && !app_ctx_identity(ctx))
    h->notice = xstrdup(msg);
  return h;
}
