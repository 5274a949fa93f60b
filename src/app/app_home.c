#include "app/app_home.h"

#include "app/app_action.h"
#include "app/app_ctx.h"
#include "app/app_linked_service.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_export.h"
#include "app/store_linked_service.h"
#include "app/store_model.h"
#include "util/xalloc.h"
#include "wizard/wiz_host.h"

#include <stdlib.h>

static void add_connections(struct store *s, struct wiz_home_section *sec)
{
  struct store_connection_list l = { 0 };
  if (store_connection_list(s, &l) != APP_OK) {
    sec->why_empty = xstrdup(store_message(s));
    return;
  }
  bool admin = store_actor_role(s) == STORE_ROLE_ADMIN;
  for (size_t i = 0; i < l.n; i++) {
    const struct store_connection *c = &l.items[i];
    char *detail =
        c->redacted
            ? xasprintf("Azure Synapse Analytics, shared with contributors")
            : xasprintf("%s / %s / %s, %s", c->workspace_name, c->storage_account, c->container,
                        c->audience == STORE_AUDIENCE_ADMINS ? "administrators"
                                                             : "administrators and contributors");
    struct wiz_home_entry *e = wiz_home_add_entry(sec, c->display_name, detail, "connection");
    free(detail);
    /* The connection host's actions on a saved connection (administrators only: the others
     * see its name and type, nothing to check or change). */
    if (!c->redacted && admin)
      app_action_offer(e, "connection");
  }
  store_connection_list_done(&l);
}

static void add_exports(struct store *s, struct wiz_home_section *sec)
{
  struct store_export_list l = { 0 };
  if (store_export_list(s, &l) != APP_OK) {
    sec->why_empty = xstrdup(store_message(s));
    return;
  }
  for (size_t i = 0; i < l.n; i++) {
    const struct store_export *e = &l.items[i];
    char *detail = xasprintf("database %s on %s, %s", e->database_name,
                             e->connection_name ? e->connection_name : STORE_NO_CONNECTION,
                             e->status ? e->status : "Not started");
    wiz_home_add_entry(sec, e->display_name, detail, "export");
    free(detail);
  }
  store_export_list_done(&l);
}

static void add_models(struct store *s, struct wiz_home_section *sec)
{
  struct store_model_list l = { 0 };
  if (store_model_list(s, &l) != APP_OK) {
    sec->why_empty = xstrdup(store_message(s));
    return;
  }
  for (size_t i = 0; i < l.n; i++) {
    const struct store_model *m = &l.items[i];
    char *detail = xasprintf("pipeline %s -> %s, %s", m->pipeline, m->output_table,
                             m->status ? m->status : "Not started");
    wiz_home_add_entry(sec, m->name, detail, "custom_model");
    free(detail);
  }
  store_model_list_done(&l);
}

static void add_linked_services(struct store *s, struct wiz_home_section *sec)
{
  struct store_linked_service_list l = { 0 };
  if (store_linked_service_list(s, &l) != APP_OK) {
    sec->why_empty = xstrdup(store_message(s));
    return;
  }
  /* Administrators and contributors manage linked services (store_role.h); viewers see them. */
  bool manager = store_actor_role(s) >= STORE_ROLE_CONTRIBUTOR;
  for (size_t i = 0; i < l.n; i++) {
    const struct store_linked_service *ls = &l.items[i];
    char *detail = xasprintf("%s -> Azure ML %s, %s", ls->workspace_name, ls->ml_workspace_name,
                             ls->authentication == STORE_LS_AUTH_MSI ? "managed identity"
                                                                     : "service principal");
    struct wiz_home_entry *e = wiz_home_add_entry(sec, ls->name, detail, "linked_service");
    free(detail);
    /* The name is unique only in its workspace: the host finds it by both. */
    char *ref = app_ls_edit_ref(ls->workspace_name, ls->name);
    wiz_home_entry_set_ref(e, ref);
    free(ref);
    if (manager)
      app_action_offer(e, "linked_service");
  }
  store_linked_service_list_done(&l);
}

struct wiz_home *app_home_build(struct app_ctx *ctx)
{
  struct wiz_home *h = wiz_home_new(app_ctx_identity_label(ctx), app_ctx_cloud_label(ctx));
  struct wiz_home_section *sections[4] = {
    wiz_home_add_section(h, "Connections", "No connections yet: Set up a Synapse connection."),
    wiz_home_add_section(h, "Exports", "No exports yet."),
    wiz_home_add_section(h, "Custom models", "No custom models yet."),
    wiz_home_add_section(h, "Azure ML linked services", "No linked services yet."),
  };
  struct store *s = NULL;
  const char *msg = NULL;
  if (app_ctx_store(ctx, &s, &msg) != APP_OK) {
    for (int i = 0; i < 4; i++)
      sections[i]->why_empty = xstrdup(msg);
    if (!app_ctx_identity(ctx))
      h->notice = xstrdup(msg);
    return h;
  }
  add_connections(s, sections[0]);
  add_exports(s, sections[1]);
  add_models(s, sections[2]);
  add_linked_services(s, sections[3]);
  return h;
}
