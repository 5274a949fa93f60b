#include "app/app_ls_checks.h"

#include "app/app_linked_service.h"
#include "app/app_sources.h"
#include "app/store_linked_service.h"
#include "azure/az_client.h"
#include "azure/az_error.h"
#include "azure/az_graph.h"
#include "azure/az_synapse.h"
#include "util/jsonpath.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "app/app_ctx.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The linked services of one workspace (for linked_service_name_unique). */
struct ls_names {
  char *workspace;
  struct az_call *call;
  bool done, ok;
  char **names;
  size_t n;
  char *error;
};

/* What Microsoft Graph says a GUID is (for application_id_not_object_id). */
struct ls_objid {
  char *guid;
  struct az_call *call;
  int stage; /* 0: asking servicePrincipals/{id}, 1: applications/{id}, 2: known */
  enum wiz_check verdict;
  char *message;
};

struct app_ls_checks {
  struct app_ctx *app;
  struct ls_names *names;
  size_t n_names;
  struct ls_objid *ids;
  size_t n_ids;
  char *memo_connection; /* the last connection resolved to a workspace, and that workspace */
  char *memo_workspace;
};

struct app_ls_checks *app_ls_checks_new(struct app_ctx *app)
{
  struct app_ls_checks *c = xcalloc(1, sizeof(*c));
  c->app = app;
  return c;
}

void app_ls_checks_delete(struct app_ls_checks *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->n_names; i++) {
    az_call_delete(c->names[i].call);
    free(c->names[i].workspace);
    for (size_t k = 0; k < c->names[i].n; k++)
      free(c->names[i].names[k]);
    free(c->names[i].names);
    free(c->names[i].error);
  }
  free(c->names);
  for (size_t i = 0; i < c->n_ids; i++) {
    az_call_delete(c->ids[i].call);
    free(c->ids[i].guid);
    free(c->ids[i].message);
  }
  free(c->ids);
  free(c->memo_connection);
  free(c->memo_workspace);
  free(c);
}

/* The workspace name or dev endpoint the answers name, or NULL. Borrowed. */
const char *app_ls_checks_workspace(struct app_ls_checks *c, const struct wiz_answers *a)
{
  const char *conn = wiz_answers_text(a, "connection");
  if (!conn) {
    const struct wiz_item *ws = wiz_answers_item(a, "workspace");
    const char *dev = ws ? wiz_item_attr(ws, "dev_endpoint") : NULL;
    return dev ? dev : ws ? ws->id : NULL;
  }
  if (c->memo_connection && strcmp(c->memo_connection, conn) == 0)
    return c->memo_workspace;
  struct app_workspace_ref ref;
  char *why = NULL;
  if (!app_workspace_from_answers(c->app, a, &ref, &why)) {
    free(why);
    return NULL;
  }
  free(c->memo_connection);
  free(c->memo_workspace);
  c->memo_connection = xstrdup(conn);
  c->memo_workspace = xstrdup(ref.dev_endpoint ? ref.dev_endpoint : ref.name);
  app_workspace_ref_done(&ref);
  return c->memo_workspace;
}

/* ---------- linked_service_name_unique ---------- */

static void names_loaded(struct az_call *call, void *ud)
{
  struct app_ls_checks *c = ud;
  for (size_t i = 0; i < c->n_names; i++) {
    struct ls_names *n = &c->names[i];
    if (n->call != call)
      continue;
    n->done = true;
    n->ok = az_call_result(call) == AZ_OK;
    if (n->ok) {
      json_t *value = json_object_get(az_call_json(call), "value");
      n->names = xcalloc(json_array_size(value) + 1, sizeof(char *));
      size_t k;
      json_t *ls;
      json_array_foreach(value, k, ls)
      {
        const char *name = json_path_str(ls, "name");
        if (name)
          n->names[n->n++] = xstrdup(name);
      }
    } else {
      n->error = az_error_summary(az_call_error(call));
    }
    n->call = NULL;
    az_call_delete(call);
    return;
  }
}

static struct ls_names *names_of(struct app_ls_checks *c, const char *workspace)
{
  for (size_t i = 0; i < c->n_names; i++) {
    if (strcasecmp(c->names[i].workspace, workspace) == 0)
      return &c->names[i];
  }
  c->names = xrealloc(c->names, (c->n_names + 1) * sizeof(c->names[0]));
  struct ls_names *n = &c->names[c->n_names++];
  memset(n, 0, sizeof(*n));
  n->workspace = xstrdup(workspace);
  n->call = az_synapse_list_linked_services(app_ctx_client(c->app), workspace);
  az_call_on_done(n->call, names_loaded, c);
  return n;
}

/* "https://ws1.dev.azuresynapse.net" -> "ws1" (what people call the workspace). */
char *app_ls_workspace_label(const char *ws)
{
  if (strncasecmp(ws, "https://", 8) != 0)
    return xstrdup(ws);
  const char *host = ws + 8;
  return xstrndup(host, strcspn(host, ".:/"));
}

enum wiz_check app_ls_checks_name_free(struct app_ls_checks *c, const char *key, const char *name,
                                       struct strbuf *msg)
{
  struct ls_names *n = names_of(c, key);
  char *ws = app_ls_workspace_label(key);
  enum wiz_check verdict = WIZ_CHECK_OK;
  if (!n->done) {
    strbuf_printf(msg, "Checking the linked services of %s...", ws);
    verdict = WIZ_CHECK_PENDING;
  } else if (!n->ok) {
    strbuf_printf(msg, "Could not check whether the name is free in %s: %s", ws,
                  n->error ? n->error : "unknown error");
    verdict = WIZ_CHECK_WARN;
  } else {
    for (size_t i = 0; i < n->n && verdict == WIZ_CHECK_OK; i++) {
      if (strcasecmp(n->names[i], name) == 0) {
        /* Say what is there: one recorded by an earlier run (whose create was applied
         * though following it failed) is to be edited, not made again. */
        struct store *s = NULL;
        struct store_linked_service rec;
        bool recorded = app_ctx_store(c->app, &s, NULL) == APP_OK &&
                        store_linked_service_find(s, ws, n->names[i], &rec) == APP_OK;
        if (recorded)
          store_linked_service_done(&rec);
        strbuf_printf(msg,
                      "The workspace %s already has a linked service named %s (names are "
                      "compared without regard to case)%s",
                      ws, n->names[i],
                      recorded ? "; it exists and is recorded in the synwiz store: edit it with "
                                 "synwiz linked-service edit."
                               : ".");
        verdict = WIZ_CHECK_ERROR;
      }
    }
  }
  free(ws);
  return verdict;
}

void app_ls_checks_name_taken(struct app_ls_checks *c, const char *ws_name,
                              const char *dev_endpoint, const char *name)
{
  for (size_t i = 0; i < c->n_names; i++) {
    struct ls_names *n = &c->names[i];
    if (n->done && n->ok &&
        (strcasecmp(n->workspace, ws_name) == 0 ||
         (dev_endpoint && strcasecmp(n->workspace, dev_endpoint) == 0))) {
      n->names = xrealloc(n->names, (n->n + 2) * sizeof(char *));
      n->names[n->n++] = xstrdup(name);
    }
  }
}

/* ---------- application_id_not_object_id ---------- */

static void objid_answered(struct az_call *call, void *ud);

static void objid_ask(struct app_ls_checks *c, struct ls_objid *o)
{
  o->call = o->stage == 0 ? az_graph_get_service_principal(app_ctx_client(c->app), o->guid)
                          : az_graph_get_application(app_ctx_client(c->app), o->guid);
  az_call_on_done(o->call, objid_answered, c);
}

static void objid_answered(struct az_call *call, void *ud)
{
  struct app_ls_checks *c = ud;
  struct ls_objid *o = NULL;
  for (size_t i = 0; i < c->n_ids && !o; i++) {
    if (c->ids[i].call == call)
      o = &c->ids[i];
  }
  if (!o)
    return;
  o->call = NULL;
  enum az_result r = az_call_result(call);
  json_t *j = az_call_json(call);
  if (r == AZ_OK) {
    const char *name = json_path_str(j, "displayName");
    const char *app_id = json_path_str(j, "appId");
    o->verdict = WIZ_CHECK_ERROR;
    if (o->stage == 0)
      o->message = xasprintf(
          "%s is the object id of the service principal '%s', not an application (client) id: "
          "give its application id %s.",
          o->guid, name ? name : "?", app_id ? app_id : "(none)");
    else
      o->message = xasprintf(
          "%s is the object id of the app registration '%s', not its application (client) id: "
          "give its application id %s.",
          o->guid, name ? name : "?", app_id ? app_id : "(none)");
    o->stage = 2;
  } else if (r == AZ_E_NOT_FOUND && o->stage == 0) {
    o->stage = 1;
    az_call_delete(call);
    objid_ask(c, o);
    return;
  } else if (r == AZ_E_NOT_FOUND || r == AZ_E_CONFIG) {
    o->verdict = WIZ_CHECK_OK; /* not an object id this directory knows (or no Graph) */
    o->stage = 2;
  } else {
    char *why = az_error_summary(az_call_error(call));
    o->verdict = WIZ_CHECK_WARN;
    o->message = xasprintf("Could not ask Microsoft Graph whether %s is an object id rather than "
                           "an application id (%s).",
                           o->guid, why);
    free(why);
    o->stage = 2;
  }
  az_call_delete(call);
}

static struct ls_objid *objid_of(struct app_ls_checks *c, const char *guid)
{
  for (size_t i = 0; i < c->n_ids; i++) {
    if (strcasecmp(c->ids[i].guid, guid) == 0)
      return &c->ids[i];
  }
  c->ids = xrealloc(c->ids, (c->n_ids + 1) * sizeof(c->ids[0]));
  struct ls_objid *o = &c->ids[c->n_ids++];
  memset(o, 0, sizeof(*o));
  o->guid = xstrdup(guid);
  objid_ask(c, o);
  return o;
}

enum wiz_check app_ls_checks_not_object_id(struct app_ls_checks *c, const char *id,
                                           struct strbuf *msg)
{
  if (!az_graph_is_guid(id))
    return WIZ_CHECK_OK; /* the application_id rule says what is wrong */
  struct ls_objid *o = objid_of(c, id);
  if (o->stage < 2) {
    strbuf_puts(msg, "Checking with Microsoft Graph that this is an application id...");
    return WIZ_CHECK_PENDING;
  }
  if (o->message)
    strbuf_puts(msg, o->message);
  return o->verdict;
}

const char *app_ls_checks_object_id_message(const struct app_ls_checks *c, const char *guid)
{
  for (size_t i = 0; i < c->n_ids; i++) {
    const struct ls_objid *o = &c->ids[i];
    if (strcasecmp(o->guid, guid) == 0 && o->verdict == WIZ_CHECK_ERROR && o->message)
      return o->message;
  }
  return NULL;
}
