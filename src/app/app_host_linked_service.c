/*
 * The host of the Azure Machine Learning linked-service wizard (forms/linked_service.json,
 * behavior.md W4, issue 6): Synapse Studio's "Create an Azure Machine Learning linked
 * service", Test connection, Save.
 *
 * Picker sources: the shared ones (app_sources.h) through app_ls_filter, which refuses a
 * workspace with data exfiltration protection and a self-hosted integration runtime with
 * the quickstart's reasons. `connections` is loaded here: the store's connections, each
 * one's workspace read through ARM so that a connection to a workspace with data
 * exfiltration protection is refused before any other field too.
 *
 * Host rules:
 *   linked_service_name_unique    the workspace's linked services are listed once per
 *                                 workspace (PENDING until they are); names compare
 *                                 without case
 *   application_id_not_object_id  Microsoft Graph: is the GUID the object id of a service
 *                                 principal or of an app registration? Then the message
 *                                 names its application (client) id. When Graph cannot be
 *                                 asked (no endpoint in the profile) the rule passes; when it
 *                                 refuses, a warning says the check was not made.
 *
 * Actions, one job at a time, each a chain of asynchronous calls (struct ls_job):
 *   linked_service_test   read the Synapse workspace (data exfiltration protection, its
 *                         identity, its Spark pools); then
 *                         managed identity: the role assignments of the workspace's identity
 *                           at the Azure ML workspace and above (atScope() and
 *                           assignedTo(...)); Contributor, Owner or a role whose actions
 *                           cover the workspace passes;
 *                         service principal (secret): a one-off token as the principal
 *                           (az_guest.h: never cached, never logged), GET the Azure ML
 *                           workspace and its permissions as it;
 *                         service principal (Key Vault reference): the Key Vault linked
 *                           service exists; the principal (found by application id through
 *                           Graph) holds the role (synwiz cannot read the secret to sign in);
 *                         a missing role: the caller's permissions at the Azure ML workspace
 *                         say whether it may grant (roleAssignments/write): then the report
 *                         offers linked_service_grant, else it prints the commands for
 *                         someone who may. grant_role=true grants at once (as the offer).
 *   linked_service_grant  the same test, granting Contributor (principalType
 *                         ServicePrincipal) when it is missing; then a visible countdown
 *                         while the role propagates (SYNWIZ_ROLE_WAIT_SECONDS, default 60;
 *                         a service principal is probed every few seconds and the wait ends
 *                         as soon as it can read), and the test again
 *   linked_service_save   the test (a failed test saves nothing); then GET the name (taken:
 *                         refused), PUT the linked service (API.md D.3, app_ls_properties),
 *                         follow the operation, read it back and compare; only then the store
 *                         record (no secret). A dry run sends no write and lists the calls.
 *   linked_service_remove (home screen, bound) says what removing does and asks; its
 *                         follow-up linked_service_remove_confirm GETs it (an Azure ML one
 *                         only), DELETEs it (followed to its end), then removes its record
 *
 * Edit mode (ls_edit, app_host.h; `synwiz linked-service edit` and the home screen's
 * entries): the ref "WS/NAME" (app_ls_edit_ref) binds the host to that linked service as
 * Synapse holds it (app_ls_saved_read), in the workspace of the store's record of that name,
 * else in WS as --workspace takes it (app_workspace_lookup). Blocking calls: edit() runs
 * before the wizard exists. Bound:
 *   linked_service_name_unique  accepts the bound name in the bound workspace and refuses any
 *                         other (no rename: Synapse has none; no move: a PUT elsewhere would
 *                         make a second one)
 *   linked_service_save   GETs the name expecting it there (removed meanwhile: refused), then
 *                         PUTs over it (createOrUpdate) and updates its store record
 *   the home screen's actions run without screens, so their answers were never looked up
 *                         (no ml_workspace item): they work on the bound linked service as
 *                         Synapse held it (read_saved). Its typed secret is not there (Synapse
 *                         masks it, synwiz never keeps it): Test connection then finds the
 *                         principal through Graph and checks its role, and says the secret was
 *                         not tested.
 * A linked service recorded in the store that Synapse no longer has binds "gone": the name
 * rule and Test connection say so, and Remove removes its record.
 */
#include "app/app_host.h"
#include "app/app_linked_service.h"

#include "app/app_ctx.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_linked_service.h"
#include "azure/az_arm.h"
#include "azure/az_authz.h"
#include "azure/az_client.h"
#include "azure/az_graph.h"
#include "azure/az_guest.h"
#include "azure/az_identity.h"
#include "azure/az_redact.h"
#include "azure/az_synapse.h"
#include "azure/az_url.h"
#include "util/jsonpath.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/answers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_ROLE_WAIT_S 60
#define MAX_ROLE_WAIT_S     900
#define SP_PROBE_EVERY_S    3

static const char *const actions[] = { "linked_service_test",           "linked_service_grant",
                                       "linked_service_save",           "linked_service_remove",
                                       "linked_service_remove_confirm", NULL };
static const char *const rules[] = { "linked_service_name_unique", "application_id_not_object_id",
                                     NULL };
static const char *const values[] = { "current_tenant", NULL };

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

/* A `connections` load: the store's connections, each workspace read through ARM. */
struct conn_load {
  struct ls_host *h;
  struct wiz_load *load;
  struct wiz_list *items;
  struct az_call **calls;
  size_t n, pending;
  struct conn_load *next;
};

struct ls_job;

struct ls_host {
  struct app_host_base base; /* first: app_host_close() and the shared ops find it */
  struct wiz_decl decl;
  struct ls_names *names;
  size_t n_names;
  struct ls_objid *ids;
  size_t n_ids;
  struct conn_load *conn_loads;
  char *memo_connection; /* the last connection resolved to a workspace, and that workspace */
  char *memo_workspace;
  struct ls_job *job;
  /* Edit mode (and the home screen's actions): the saved linked service the host is bound
   * to, as Synapse held it when edit() read it, and its workspace. */
  bool bound;
  bool gone; /* recorded in the store, but no longer in Synapse (removed outside synwiz) */
  struct app_workspace_ref bound_ws;
  struct app_ls_saved saved;
};

static struct az_client *client_of(struct ls_host *h)
{
  return app_ctx_client(h->base.app);
}

static char *dup_or_null(const char *s)
{
  return s && *s ? xstrdup(s) : NULL;
}

/* A title that starts with a label ("the managed identity of ..."): capitalised. */
static char *cap(char *s)
{
  if (s && s[0] >= 'a' && s[0] <= 'z')
    s[0] = (char)(s[0] - 'a' + 'A');
  return s;
}

/* ====================================================================================
 * connections, with the workspace's data exfiltration protection
 * ==================================================================================== */

static void conn_load_free(struct conn_load *cl)
{
  for (size_t i = 0; i < cl->n; i++)
    az_call_delete(cl->calls[i]);
  free(cl->calls);
  if (cl->items) {
    wiz_list_done(cl->items);
    free(cl->items);
  }
  free(cl);
}

static void conn_load_unlink(struct ls_host *h, struct conn_load *cl)
{
  for (struct conn_load **pp = &h->conn_loads; *pp; pp = &(*pp)->next) {
    if (*pp == cl) {
      *pp = cl->next;
      return;
    }
  }
}

static void conn_load_deliver(struct conn_load *cl)
{
  struct wiz_list *items = cl->items;
  struct wiz_load *load = cl->load;
  cl->items = NULL;
  conn_load_unlink(cl->h, cl);
  wiz_load_set_data(load, NULL);
  conn_load_free(cl);
  wiz_load_deliver(load, items);
  free(items); /* the engine took the items, not the list's own allocation */
}

static void conn_workspace_read(struct az_call *call, void *ud)
{
  struct conn_load *cl = ud;
  for (size_t i = 0; i < cl->n; i++) {
    if (cl->calls[i] != call)
      continue;
    /* A workspace that cannot be read stays choosable: the test reads it again and says why. */
    if (az_call_result(call) == AZ_OK &&
        json_path_bool(az_call_json(call),
                       "properties.managedVirtualNetworkSettings.preventDataExfiltration", false)) {
      struct wiz_item *it = &cl->items->items[i];
      if (!it->invalid_reason)
        it->invalid_reason = xstrdup(APP_LS_DEP_REASON);
      wiz_item_set_attr(it, "prevent_data_exfiltration", "true");
    }
  }
  if (--cl->pending == 0)
    conn_load_deliver(cl);
}

static int load_connections(struct ls_host *h, struct wiz_load *load)
{
  struct store *s = NULL;
  const char *msg = NULL;
  if (app_ctx_store(h->base.app, &s, &msg) != APP_OK) {
    wiz_load_fail(load, msg, NULL);
    return 0;
  }
  struct store_connection_list list = { 0 };
  if (store_connection_list(s, &list) != APP_OK) {
    wiz_load_fail(load, store_message(s), NULL);
    return 0;
  }
  struct conn_load *cl = xcalloc(1, sizeof(*cl));
  cl->h = h;
  cl->load = load;
  cl->items = xmalloc(sizeof(*cl->items));
  wiz_list_init(cl->items);
  cl->calls = xcalloc(list.n + 1, sizeof(*cl->calls));
  for (size_t i = 0; i < list.n; i++) {
    const struct store_connection *c = &list.items[i];
    char *detail = c->redacted ? xstrdup("Azure Synapse Analytics")
                               : xasprintf("%s / %s / %s", c->workspace_name, c->storage_account,
                                           c->container);
    struct wiz_item *it = wiz_list_add(cl->items, c->display_name, c->display_name, detail, NULL);
    free(detail);
    wiz_item_set_attr(it, "audience", store_audience_name(c->audience));
    if (!c->redacted) {
      const char *attrs[][2] = { { "subscription", c->subscription_id },
                                 { "workspace", c->workspace_name },
                                 { "resource_group", c->workspace_resource_group },
                                 { "dev_endpoint", c->workspace_dev_endpoint },
                                 { "principal_id", c->workspace_principal_id },
                                 { "storage_account", c->storage_account },
                                 { "container", c->container } };
      for (size_t k = 0; k < sizeof(attrs) / sizeof(attrs[0]); k++) {
        if (attrs[k][1] && *attrs[k][1])
          wiz_item_set_attr(it, attrs[k][0], attrs[k][1]);
      }
    }
  }
  /* calls[i] reads the workspace of items[i] (NULL when the record does not name it). */
  cl->n = list.n;
  for (size_t i = 0; i < list.n; i++) {
    const struct store_connection *c = &list.items[i];
    if (c->redacted || !c->subscription_id || !c->workspace_resource_group || !c->workspace_name)
      continue;
    cl->calls[i] = az_arm_get_workspace(client_of(h), c->subscription_id,
                                        c->workspace_resource_group, c->workspace_name);
    cl->pending++;
  }
  store_connection_list_done(&list);
  wiz_load_set_data(load, cl);
  cl->next = h->conn_loads;
  h->conn_loads = cl;
  if (cl->pending == 0) {
    conn_load_deliver(cl);
    return 0;
  }
  for (size_t i = 0; i < cl->n; i++) {
    if (cl->calls[i])
      az_call_on_done(cl->calls[i], conn_workspace_read, cl);
  }
  return 0;
}

static bool is_conn_load(struct ls_host *h, struct conn_load *cl)
{
  for (struct conn_load *p = h->conn_loads; p; p = p->next) {
    if (p == cl)
      return true;
  }
  return false;
}

static int ls_start_load(void *ctx, const char *source, const struct wiz_answers *answers,
                         struct wiz_load *load)
{
  struct ls_host *h = ctx;
  if (strcmp(source, "connections") == 0)
    return load_connections(h, load);
  return app_host_start_load(ctx, source, answers, load);
}

static void ls_cancel_load(void *ctx, struct wiz_load *load)
{
  struct ls_host *h = ctx;
  struct conn_load *cl = wiz_load_data(load);
  if (cl && is_conn_load(h, cl)) {
    conn_load_unlink(h, cl);
    wiz_load_set_data(load, NULL);
    conn_load_free(cl);
    return;
  }
  app_host_cancel_load(ctx, load);
}

/* ====================================================================================
 * the workspace of the answers (memoised for the rules, which run on every redraw)
 * ==================================================================================== */

/* The workspace name or dev endpoint the answers name, or NULL. Borrowed from the host. */
static const char *answers_workspace(struct ls_host *h, const struct wiz_answers *a)
{
  const char *conn = wiz_answers_text(a, "connection");
  if (!conn) {
    const struct wiz_item *ws = wiz_answers_item(a, "workspace");
    const char *dev = ws ? wiz_item_attr(ws, "dev_endpoint") : NULL;
    return dev ? dev : ws ? ws->id : NULL;
  }
  if (h->memo_connection && strcmp(h->memo_connection, conn) == 0)
    return h->memo_workspace;
  struct app_workspace_ref ref;
  char *why = NULL;
  if (!app_workspace_from_answers(h->base.app, a, &ref, &why)) {
    free(why);
    return NULL;
  }
  free(h->memo_connection);
  free(h->memo_workspace);
  h->memo_connection = xstrdup(conn);
  h->memo_workspace = xstrdup(ref.dev_endpoint ? ref.dev_endpoint : ref.name);
  app_workspace_ref_done(&ref);
  return h->memo_workspace;
}

/* ====================================================================================
 * rule: linked_service_name_unique
 * ==================================================================================== */

static void names_loaded(struct az_call *call, void *ud)
{
  struct ls_host *h = ud;
  for (size_t i = 0; i < h->n_names; i++) {
    struct ls_names *n = &h->names[i];
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

static struct ls_names *names_of(struct ls_host *h, const char *workspace)
{
  for (size_t i = 0; i < h->n_names; i++) {
    if (strcasecmp(h->names[i].workspace, workspace) == 0)
      return &h->names[i];
  }
  h->names = xrealloc(h->names, (h->n_names + 1) * sizeof(h->names[0]));
  struct ls_names *n = &h->names[h->n_names++];
  memset(n, 0, sizeof(*n));
  n->workspace = xstrdup(workspace);
  n->call = az_synapse_list_linked_services(client_of(h), workspace);
  az_call_on_done(n->call, names_loaded, h);
  return n;
}

/* "https://ws1.dev.azuresynapse.net" -> "ws1" (what people call the workspace). */
static char *ws_label(const char *ws)
{
  if (strncasecmp(ws, "https://", 8) != 0)
    return xstrdup(ws);
  const char *host = ws + 8;
  return xstrndup(host, strcspn(host, ".:/"));
}

/* Edit mode: the linked service stays where it is, under its name (Synapse has no rename,
 * and a PUT elsewhere would make a second one); the name it holds is its own. */
static enum wiz_check check_name_bound(struct ls_host *h, const char *name, const char *key,
                                       struct strbuf *msg)
{
  char *ws = ws_label(key);
  enum wiz_check verdict = WIZ_CHECK_OK;
  if (h->gone) {
    strbuf_printf(msg,
                  "%s is no longer in the Synapse workspace %s (removed outside synwiz): there "
                  "is nothing to edit. Remove its record (the home screen's Remove), or create "
                  "it again with synwiz linked-service new.",
                  h->saved.name, h->bound_ws.name);
    verdict = WIZ_CHECK_ERROR;
  } else if (strcasecmp(ws, h->bound_ws.name) != 0) {
    strbuf_printf(msg,
                  "This edits %s of the workspace %s: a linked service cannot move to another "
                  "workspace. Choose %s again, or create one in %s with synwiz linked-service "
                  "new.",
                  h->saved.name, h->bound_ws.name, h->bound_ws.name, ws);
    verdict = WIZ_CHECK_ERROR;
  } else if (strcmp(name, h->saved.name) != 0) {
    strbuf_printf(msg,
                  "Renaming is not supported: this edits %s (Synapse cannot rename a linked "
                  "service). Keep the name %s, or create a new linked service and remove this "
                  "one.",
                  h->saved.name, h->saved.name);
    verdict = WIZ_CHECK_ERROR;
  }
  free(ws);
  return verdict;
}

static enum wiz_check check_name_unique(struct ls_host *h, const char *field,
                                        const struct wiz_answers *a, struct strbuf *msg)
{
  const char *name = wiz_answers_text(a, field);
  const char *key = answers_workspace(h, a);
  if (!name || !*name || !key)
    return WIZ_CHECK_OK;
  if (h->bound)
    return check_name_bound(h, name, key, msg);
  struct ls_names *n = names_of(h, key);
  char *ws = ws_label(key);
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
        strbuf_printf(msg,
                      "The workspace %s already has a linked service named %s (names are "
                      "compared without regard to case).",
                      ws, n->names[i]);
        verdict = WIZ_CHECK_ERROR;
      }
    }
  }
  free(ws);
  return verdict;
}

/* ====================================================================================
 * rule: application_id_not_object_id
 * ==================================================================================== */

static void objid_answered(struct az_call *call, void *ud);

static void objid_ask(struct ls_host *h, struct ls_objid *o)
{
  o->call = o->stage == 0 ? az_graph_get_service_principal(client_of(h), o->guid)
                          : az_graph_get_application(client_of(h), o->guid);
  az_call_on_done(o->call, objid_answered, h);
}

static void objid_answered(struct az_call *call, void *ud)
{
  struct ls_host *h = ud;
  struct ls_objid *o = NULL;
  for (size_t i = 0; i < h->n_ids && !o; i++) {
    if (h->ids[i].call == call)
      o = &h->ids[i];
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
    objid_ask(h, o);
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

static struct ls_objid *objid_of(struct ls_host *h, const char *guid)
{
  for (size_t i = 0; i < h->n_ids; i++) {
    if (strcasecmp(h->ids[i].guid, guid) == 0)
      return &h->ids[i];
  }
  h->ids = xrealloc(h->ids, (h->n_ids + 1) * sizeof(h->ids[0]));
  struct ls_objid *o = &h->ids[h->n_ids++];
  memset(o, 0, sizeof(*o));
  o->guid = xstrdup(guid);
  objid_ask(h, o);
  return o;
}

static enum wiz_check check_not_object_id(struct ls_host *h, const char *field,
                                          const struct wiz_answers *a, struct strbuf *msg)
{
  const char *id = wiz_answers_text(a, field);
  if (!az_graph_is_guid(id))
    return WIZ_CHECK_OK; /* the application_id rule says what is wrong */
  struct ls_objid *o = objid_of(h, id);
  if (o->stage < 2) {
    strbuf_puts(msg, "Checking with Microsoft Graph that this is an application id...");
    return WIZ_CHECK_PENDING;
  }
  if (o->message)
    strbuf_puts(msg, o->message);
  return o->verdict;
}

static enum wiz_check ls_check(void *ctx, const char *rule, const char *field_id,
                               const struct wiz_answers *answers, struct strbuf *msg)
{
  struct ls_host *h = ctx;
  if (strcmp(rule, "linked_service_name_unique") == 0)
    return check_name_unique(h, field_id, answers, msg);
  if (strcmp(rule, "application_id_not_object_id") == 0)
    return check_not_object_id(h, field_id, answers, msg);
  return WIZ_CHECK_OK;
}

/* ====================================================================================
 * actions
 * ==================================================================================== */

enum ls_action { ACT_TEST, ACT_GRANT, ACT_SAVE, ACT_REMOVE_ASK, ACT_REMOVE };

struct ls_job {
  struct ls_host *h;
  struct wiz_job *job;
  enum ls_action action;
  bool dry_run;
  bool grant;      /* grant a missing role when allowed (the grant action, or grant_role) */
  bool editing;    /* the host is bound to a saved linked service: Save updates it */
  bool from_saved; /* the saved linked service is tested as Synapse holds it (home screen) */
  char *title;     /* the report's title, when title_for() does not give it */
  /* the answers */
  struct app_workspace_ref ws;
  char *name;
  char *runtime;
  char *runtime_type;
  char *ml_sub, *ml_rg, *ml_ws, *ml_id;
  enum app_ls_auth auth;
  enum app_ls_key key;
  char *client_id, *tenant, *secret; /* secret: wiped when the job ends */
  char *kv_ls, *secret_name, *secret_version;
  /* progress */
  struct az_call *call;
  struct az_guest *guest;
  struct wiz_report *r;
  bool failed;
  enum wiz_outcome outcome;
  char *principal;       /* whose role is checked and granted (object id) */
  char *principal_label; /* "the identity of workspace contoso-synapse" */
  json_t *assignments;
  size_t next;
  bool covered;
  bool may_grant;
  bool granted;
  size_t missing_finding; /* the FAIL saying the role is missing (+1; 0 = none) */
  bool waiting;
  int wait_total, wait_left;
  json_t *sent;      /* the properties PUT (holds the secret) */
  bool put_sent;     /* the PUT went out (a cancel cannot call it back) */
  bool delete_sent;  /* the DELETE went out */
  char *spark_pools; /* "sparkpool33 (3.3), ..." of the workspace, or NULL */
};

static void step(struct ls_job *j, struct az_call *call, az_call_done_fn fn, const char *status)
{
  j->call = call;
  if (status) {
    struct wiz_progress p = { -1, -1, -1, -1, status };
    wiz_job_progress(j->job, &p);
  }
  az_call_on_done(call, fn, j);
}

/* Take the finished call (the caller deletes it). */
static struct az_call *took(struct ls_job *j)
{
  struct az_call *c = j->call;
  j->call = NULL;
  return c;
}

static void job_free(struct ls_job *j)
{
  az_call_delete(j->call);
  az_guest_delete(j->guest);
  wiz_report_delete(j->r);
  app_workspace_ref_done(&j->ws);
  char *strs[] = { j->name,        j->runtime,        j->runtime_type, j->ml_sub,         j->ml_rg,
                   j->ml_ws,       j->ml_id,          j->client_id,    j->tenant,         j->kv_ls,
                   j->secret_name, j->secret_version, j->principal,    j->principal_label };
  for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
    free(strs[i]);
  xfree_secret(j->secret);
  free(j->spark_pools);
  free(j->title);
  json_decref(j->assignments);
  json_decref(j->sent);
  free(j);
}

static const char *title_for(const struct ls_job *j)
{
  if (j->dry_run && j->action == ACT_SAVE && !j->failed)
    return "Dry run: the linked service was not saved (nothing was changed)";
  switch (j->action) {
  case ACT_TEST:
    return j->failed ? "Test connection failed" : "Test connection passed";
  case ACT_GRANT:
    return j->failed ? (j->granted ? "Contributor granted; Test connection failed"
                                   : "Contributor not granted")
                     : (j->granted ? "Contributor granted; Test connection passed"
                                   : "Test connection passed");
  case ACT_SAVE:
    if (j->editing)
      return j->failed ? "Linked service not updated" : "Linked service updated";
    return j->failed ? "Linked service not saved" : "Linked service saved";
  case ACT_REMOVE_ASK:
  case ACT_REMOVE:
    break; /* j->title */
  }
  return "";
}

static void finish(struct ls_job *j)
{
  if (j->spark_pools) {
    char *detail =
        xasprintf("Spark pools of %s on these runtimes: %s.", j->ws.name, j->spark_pools);
    wiz_report_add(j->r, WIZ_FINDING_INFO,
                   "Spark 3.3 and 3.4 cannot use this linked service for MLflow", detail, NULL,
                   APP_LS_SPARK_NOTE);
    free(detail);
  }
  struct wiz_report *r = j->r;
  j->r = NULL;
  free(r->title);
  r->title = xstrdup(j->title ? j->title : title_for(j));
  r->outcome = j->failed ? j->outcome : WIZ_OUTCOME_DONE;
  struct wiz_job *job = j->job;
  if (j->h->job == j)
    j->h->job = NULL;
  job_free(j);
  wiz_job_done(job, r);
}

static void fail(struct ls_job *j, enum wiz_outcome outcome)
{
  j->failed = true;
  j->outcome = outcome;
  finish(j);
}

static enum wiz_outcome outcome_of(const struct az_error *e)
{
  switch (az_result_class(e->result)) {
  case AZ_CLASS_CANCELED:
    return WIZ_OUTCOME_CANCELLED;
  case AZ_CLASS_LOCAL:
    return WIZ_OUTCOME_INVALID;
  case AZ_CLASS_REFUSED:
    return WIZ_OUTCOME_REFUSED;
  default:
    return WIZ_OUTCOME_FAILED;
  }
}

/* A call failed: one FAIL finding with Azure's words and the hint, then the end. */
static void fail_call(struct ls_job *j, struct az_call *call, const char *title, const char *scope)
{
  const struct az_error *e = az_call_error(call);
  char *summary = az_error_summary(e);
  wiz_report_add(j->r, WIZ_FINDING_FAIL, title, summary, scope, e->hint);
  free(summary);
  enum wiz_outcome o = outcome_of(e);
  az_call_delete(call);
  fail(j, o);
}

static void test_passed(struct ls_job *j);
static void check_roles(struct ls_job *j);
static void sp_read(struct ls_job *j);
static void sp_lookup(struct ls_job *j);
static void kv_check(struct ls_job *j);
static void need_role(struct ls_job *j, const char *title, const char *detail);

/* Test connection signs in as the service principal: it has its secret. Without one (a Key
 * Vault reference, or a saved linked service whose typed secret synwiz never kept) the
 * principal is found through Graph and its role checked. */
static bool signs_in(const struct ls_job *j)
{
  return j->auth == APP_LS_AUTH_SERVICE_PRINCIPAL && j->key == APP_LS_KEY_SECURE_STRING &&
         j->secret;
}

/* ---------- the Synapse workspace ---------- */

static void after_pools(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  char *pools =
      az_call_result(call) == AZ_OK ? app_ls_spark_pools_affected(az_call_json(call)) : NULL;
  az_call_delete(call);
  if (pools) {
    /* Said last (finish()): the findings that decide come first. */
    j->spark_pools = pools;
  }
  if (j->auth == APP_LS_AUTH_MSI) {
    free(j->principal_label);
    j->principal_label = xasprintf("the managed identity of workspace %s", j->ws.name);
    if (!j->principal) {
      wiz_report_add(j->r, WIZ_FINDING_FAIL, "The workspace has no managed identity",
                     "ARM reports no identity.principalId for this workspace.", j->ws.name,
                     "Managed-identity authentication uses the workspace's system-assigned "
                     "identity.");
      fail(j, WIZ_OUTCOME_REFUSED);
      return;
    }
    check_roles(j);
  } else if (j->key == APP_LS_KEY_KEY_VAULT) {
    kv_check(j);
  } else if (!signs_in(j)) {
    sp_lookup(j);
  } else {
    sp_read(j);
  }
}

static void after_workspace(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  if (az_call_result(call) != AZ_OK) {
    fail_call(j, call, "Could not read the Synapse workspace", j->ws.name);
    return;
  }
  json_t *w = az_call_json(call);
  if (json_path_bool(w, "properties.managedVirtualNetworkSettings.preventDataExfiltration",
                     false)) {
    wiz_report_add(j->r, WIZ_FINDING_FAIL, "Data exfiltration protection is on", APP_LS_DEP_REASON,
                   j->ws.name, NULL);
    az_call_delete(call);
    fail(j, WIZ_OUTCOME_REFUSED);
    return;
  }
  const char *pid = json_path_str(w, "identity.principalId");
  if (pid) {
    free(j->ws.principal_id);
    j->ws.principal_id = xstrdup(pid);
  }
  const char *dev = json_path_str(w, "properties.connectivityEndpoints.dev");
  if (dev && !j->ws.dev_endpoint)
    j->ws.dev_endpoint = xstrdup(dev);
  if (j->auth == APP_LS_AUTH_MSI && j->ws.principal_id)
    j->principal = xstrdup(j->ws.principal_id);
  az_call_delete(call);
  if (j->runtime_type && strcasecmp(j->runtime_type, "SelfHosted") == 0) {
    wiz_report_add(j->r, WIZ_FINDING_FAIL, "A self-hosted integration runtime is chosen",
                   APP_LS_SHIR_REASON, j->runtime, NULL);
    fail(j, WIZ_OUTCOME_REFUSED);
    return;
  }
  char *status = xasprintf("Listing the Spark pools of %s...", j->ws.name);
  step(j,
       az_arm_list_spark_pools(client_of(j->h), j->ws.subscription, j->ws.resource_group,
                               j->ws.name),
       after_pools, status);
  free(status);
}

/* ---------- roles: managed identity, or a service principal found through Graph ---------- */

static const char *ml_label(const struct ls_job *j)
{
  return j->ml_ws ? j->ml_ws : "the Azure ML workspace";
}

static void roles_done(struct ls_job *j, const char *role_name);

static void eval_assignments(struct ls_job *j);

static void after_roledef(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  json_t *a = json_array_get(j->assignments, j->next);
  const char *rid = json_path_str(a, "properties.roleDefinitionId");
  const char *guid = rid ? strrchr(rid, '/') : NULL;
  guid = guid ? guid + 1 : rid;
  if (az_call_result(call) == AZ_OK && app_ls_role_covers(guid, az_call_json(call))) {
    char *name = dup_or_null(json_path_str(az_call_json(call), "properties.roleName"));
    az_call_delete(call);
    roles_done(j, name ? name : guid);
    free(name);
    return;
  }
  az_call_delete(call);
  j->next++;
  eval_assignments(j);
}

static void eval_assignments(struct ls_job *j)
{
  for (; j->next < json_array_size(j->assignments); j->next++) {
    json_t *a = json_array_get(j->assignments, j->next);
    const char *rid = json_path_str(a, "properties.roleDefinitionId");
    if (!rid)
      continue;
    const char *guid = strrchr(rid, '/');
    guid = guid ? guid + 1 : rid;
    if (strcasecmp(guid, AZ_ROLE_CONTRIBUTOR) == 0) {
      roles_done(j, "Contributor");
      return;
    }
    if (strcasecmp(guid, AZ_ROLE_OWNER) == 0) {
      roles_done(j, "Owner");
      return;
    }
    if (strcasecmp(guid, AZ_ROLE_READER) == 0)
      continue; /* known not to cover it */
    step(j, az_authz_get_role_definition(client_of(j->h), rid), after_roledef, NULL);
    return;
  }
  roles_done(j, NULL);
}

static void after_assignments(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  if (az_call_result(call) != AZ_OK) {
    char *title = xasprintf("Could not read the role assignments on %s", ml_label(j));
    fail_call(j, call, title, j->ml_id);
    free(title);
    return;
  }
  json_decref(j->assignments);
  j->assignments = json_incref(json_object_get(az_call_json(call), "value"));
  az_call_delete(call);
  j->next = 0;
  eval_assignments(j);
}

static void check_roles(struct ls_job *j)
{
  char *filter = xasprintf("atScope() and assignedTo('%s')", j->principal);
  char *status = xasprintf("Checking the roles of %s on %s...", j->principal_label, ml_label(j));
  step(j, az_authz_list_role_assignments(client_of(j->h), j->ml_id, filter), after_assignments,
       status);
  free(status);
  free(filter);
}

static int role_wait_seconds(void)
{
  const char *v = getenv("SYNWIZ_ROLE_WAIT_SECONDS");
  if (!v || !*v)
    return DEFAULT_ROLE_WAIT_S;
  char *end = NULL;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (end == v || *end || errno || n < 0)
    return DEFAULT_ROLE_WAIT_S;
  return n > MAX_ROLE_WAIT_S ? MAX_ROLE_WAIT_S : (int)n;
}

static void tick(struct ls_job *j);

static void after_tick(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  az_call_delete(call);
  if (j->wait_left > 0)
    j->wait_left--;
  bool probe =
      signs_in(j) && ((j->wait_total - j->wait_left) % SP_PROBE_EVERY_S == 0 || j->wait_left == 0);
  if (j->wait_left == 0 || probe) {
    /* Test again: the role assignments (the identity's propagation cannot be observed from
     * outside), or the service principal's own read, which shows when it took effect. */
    if (signs_in(j))
      sp_read(j);
    else
      check_roles(j);
    return;
  }
  tick(j);
}

static void tick(struct ls_job *j)
{
  char *status = xasprintf("Waiting for the new role to take effect: %d s left (Azure applies "
                           "role changes within minutes)",
                           j->wait_left);
  struct wiz_progress p = { j->wait_total ? (double)(j->wait_total - j->wait_left) / j->wait_total
                                          : 1.0,
                            -1, -1, j->wait_left, status };
  wiz_job_progress(j->job, &p);
  free(status);
  j->call = az_call_delay(client_of(j->h), 1000);
  az_call_on_done(j->call, after_tick, j);
}

static void after_grant(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  if (az_call_result(call) != AZ_OK) {
    char *title = xasprintf("Could not grant Contributor to %s", j->principal_label);
    char *az = app_ls_grant_az_command(j->principal, j->ml_id);
    char *rest = app_ls_grant_rest_command(j->principal, j->ml_id);
    wiz_report_add(j->r, WIZ_FINDING_INFO, "For someone who may grant it (Azure CLI)", az, NULL,
                   NULL);
    wiz_report_add(j->r, WIZ_FINDING_INFO, "... or with synwiz", rest, NULL, NULL);
    free(az);
    free(rest);
    fail_call(j, call, title, j->ml_id);
    free(title);
    return;
  }
  bool existed = json_path_bool(az_call_json(call), "alreadyExists", false);
  az_call_delete(call);
  char *title = xasprintf("%s Contributor to %s", existed ? "Already granted:" : "Granted",
                          j->principal_label);
  char *detail = xasprintf("Role assignment at the Azure ML workspace %s (principal type "
                           "ServicePrincipal).",
                           ml_label(j));
  wiz_report_add(j->r, WIZ_FINDING_PASS, title, detail, j->ml_id, NULL);
  free(title);
  free(detail);
  j->granted = true;
  if (j->missing_finding) {
    /* Missing, and now granted: no longer a failure of this report. */
    struct wiz_finding *f = &j->r->findings[j->missing_finding - 1];
    f->status = WIZ_FINDING_INFO;
    char *t = xasprintf("Was missing: %s", f->title);
    free(f->title);
    f->title = t;
  }
  j->waiting = true;
  j->wait_total = j->wait_left = role_wait_seconds();
  if (j->wait_total == 0) {
    j->wait_left = 0;
    if (signs_in(j))
      sp_read(j);
    else
      check_roles(j);
    return;
  }
  tick(j);
}

static void plan_call(struct ls_job *j, const char *method, const char *url, json_t *body)
{
  char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  char *clean = text ? az_redact_body("application/json", text, strlen(text)) : NULL;
  xfree_secret(text);
  char *line = clean ? xasprintf("%s %s %s", method, url, clean) : xasprintf("%s %s", method, url);
  wiz_report_add_plan(j->r, line);
  free(line);
  free(clean);
}

static void do_grant(struct ls_job *j)
{
  if (j->dry_run) {
    char *url =
        xasprintf("%s%s/providers/Microsoft.Authorization/roleAssignments/"
                  "<new GUID>?api-version=%s",
                  az_client_cloud(client_of(j->h))->resource_manager, j->ml_id, AZ_AUTHZ_VERSION);
    char *sub = az_arm_id_part(j->ml_id, "subscriptions");
    char *role = xasprintf("/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s",
                           sub ? sub : "?", AZ_ROLE_CONTRIBUTOR);
    json_t *body = json_pack("{s:{s:s, s:s, s:s}}", "properties", "roleDefinitionId", role,
                             "principalId", j->principal, "principalType", "ServicePrincipal");
    plan_call(j, "PUT", url, body);
    json_decref(body);
    free(role);
    free(sub);
    free(url);
    char *title = xasprintf("Dry run: Contributor would be granted to %s", j->principal_label);
    wiz_report_add(j->r, WIZ_FINDING_INFO, title, NULL, j->ml_id, NULL);
    free(title);
    test_passed(j);
    return;
  }
  struct az_role_assignment_spec spec = { 0 };
  spec.scope = j->ml_id;
  spec.role_definition = AZ_ROLE_CONTRIBUTOR;
  spec.principal_id = j->principal;
  spec.principal_type = "ServicePrincipal";
  spec.description = "Azure ML linked service (synwiz)";
  char *status = xasprintf("Granting Contributor on %s to %s...", ml_label(j), j->principal_label);
  step(j, az_authz_create_role_assignment(client_of(j->h), &spec), after_grant, status);
  free(status);
}

/* The role is missing: may the signed-in identity grant it? */
static void after_caller_permissions(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  j->may_grant =
      az_call_result(call) == AZ_OK &&
      az_authz_allows(az_call_json(call), "Microsoft.Authorization/roleAssignments/write", false);
  az_call_delete(call);
  if (j->grant && j->may_grant && !j->granted) {
    do_grant(j);
    return;
  }
  if (j->may_grant) {
    wiz_report_add(j->r, WIZ_FINDING_INFO, "You may grant it",
                   j->auth == APP_LS_AUTH_MSI
                       ? "You hold Microsoft.Authorization/roleAssignments/write on the Azure ML "
                         "workspace (Owner or User Access Administrator): choose the follow-up "
                         "below, or set \"grant_role\": true in the answers file."
                       : "You hold Microsoft.Authorization/roleAssignments/write on the Azure ML "
                         "workspace (Owner or User Access Administrator): choose the follow-up "
                         "below.",
                   NULL, NULL);
    char *label = xasprintf("Grant Contributor to %s and test again", j->principal_label);
    wiz_report_add_followup(j->r, "linked_service_grant", label);
    free(label);
  } else {
    wiz_report_add(j->r, j->grant ? WIZ_FINDING_FAIL : WIZ_FINDING_INFO, "You may not grant it",
                   "Granting a role needs Microsoft.Authorization/roleAssignments/write on the "
                   "Azure ML workspace: Owner or User Access Administrator there (or on its "
                   "resource group or subscription). Give someone who has it one of these "
                   "commands.",
                   j->ml_id, NULL);
    char *az = app_ls_grant_az_command(j->principal, j->ml_id);
    char *rest = app_ls_grant_rest_command(j->principal, j->ml_id);
    wiz_report_add(j->r, WIZ_FINDING_INFO, "Command for someone who may grant it (Azure CLI)", az,
                   NULL, NULL);
    wiz_report_add(j->r, WIZ_FINDING_INFO, "... or with synwiz", rest, NULL, NULL);
    free(az);
    free(rest);
  }
  wiz_report_add_followup(j->r, "linked_service_test", "Test again");
  fail(j, WIZ_OUTCOME_REFUSED);
}

/* `principal` lacks the role: say so (once), then find out whether the caller may grant. */
static void need_role(struct ls_job *j, const char *title, const char *detail)
{
  if (j->granted) {
    /* Granted, waited, and still not there. */
    wiz_report_add(j->r, WIZ_FINDING_FAIL, title,
                   "The role was granted but has not taken effect yet: Azure can take several "
                   "minutes. Test again in a few minutes.",
                   j->ml_id, NULL);
    wiz_report_add_followup(j->r, "linked_service_test", "Test again");
    fail(j, WIZ_OUTCOME_REFUSED);
    return;
  }
  wiz_report_add(j->r, WIZ_FINDING_FAIL, title, detail, j->ml_id,
                 "The linked service acts as this identity: the quickstart requires Contributor "
                 "on the Azure ML workspace.");
  j->missing_finding = j->r->n_findings;
  char *status = xasprintf("Checking whether you may grant roles on %s...", ml_label(j));
  step(j, az_authz_list_permissions(client_of(j->h), j->ml_id), after_caller_permissions, status);
  free(status);
}

static void roles_done(struct ls_job *j, const char *role_name)
{
  if (role_name) {
    char *title = cap(xasprintf("%s holds %s on %s", j->principal_label, role_name, ml_label(j)));
    wiz_report_add(j->r, WIZ_FINDING_PASS, title, NULL, j->ml_id, NULL);
    free(title);
    if (j->granted)
      wiz_report_add(j->r, WIZ_FINDING_INFO, "A new role assignment",
                     "Azure can take a few minutes to apply a new role everywhere: if the "
                     "linked service's first use is refused, wait and try again.",
                     NULL, NULL);
    if (j->auth == APP_LS_AUTH_SERVICE_PRINCIPAL)
      wiz_report_add(j->r, WIZ_FINDING_INFO, "The secret itself was not tested",
                     j->key == APP_LS_KEY_KEY_VAULT
                         ? "It is an Azure Key Vault reference: synwiz does not read Key Vault, "
                           "so it could not sign in as the service principal. Synapse reads the "
                           "secret when the linked service is used."
                         : "synwiz never keeps the client secret and Synapse does not give it "
                           "back, so it could not sign in as the service principal. Edit the "
                           "linked service and give the secret to test the sign-in too.",
                     NULL, NULL);
    test_passed(j);
    return;
  }
  char *title =
      cap(xasprintf("%s does not hold Contributor on %s", j->principal_label, ml_label(j)));
  char *detail = xasprintf("No role assignment at the workspace, its resource group or its "
                           "subscription gives object id %s Contributor (or a role covering "
                           "Microsoft.MachineLearningServices/workspaces).",
                           j->principal);
  need_role(j, title, detail);
  free(title);
  free(detail);
}

/* ---------- service principal with a secret: sign in as it ---------- */

static char *ml_url(struct ls_job *j, const char *tail)
{
  char *url = az_url_build(az_client_cloud(client_of(j->h))->resource_manager, "/{/}", j->ml_id);
  char *full = xasprintf("%s%s?api-version=%s", url ? url : "", tail ? tail : "",
                         tail ? AZ_AUTHZ_VERSION : AZ_ARM_ML_VERSION);
  free(url);
  return full;
}

static void after_sp_permissions(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  if (az_call_result(call) != AZ_OK) {
    char *s = az_error_summary(az_call_error(call));
    wiz_report_add(j->r, WIZ_FINDING_WARN,
                   "Could not read the service principal's permissions on the workspace", s,
                   j->ml_id, NULL);
    free(s);
    az_call_delete(call);
    test_passed(j);
    return;
  }
  bool writes = az_authz_allows(az_call_json(call),
                                "Microsoft.MachineLearningServices/workspaces/write", false);
  az_call_delete(call);
  if (writes) {
    char *title =
        cap(xasprintf("%s has Contributor access to %s", j->principal_label, ml_label(j)));
    wiz_report_add(j->r, WIZ_FINDING_PASS, title, NULL, j->ml_id, NULL);
    free(title);
    test_passed(j);
    return;
  }
  char *title = cap(
      xasprintf("%s may read %s but not use it as Contributor", j->principal_label, ml_label(j)));
  need_role(j, title,
            "Its permissions there do not include "
            "Microsoft.MachineLearningServices/workspaces/write: Reader is not enough.");
  free(title);
}

static void after_sp_read(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  const struct az_identity *gid = az_guest_identity(j->guest);
  if (gid->object_id && !j->principal) {
    j->principal = xstrdup(gid->object_id);
    free(j->principal_label);
    j->principal_label = xasprintf("service principal %s", j->client_id);
  }
  if (az_call_result(call) == AZ_OK) {
    az_call_delete(call);
    char *title = cap(xasprintf("%s signs in and reads %s", j->principal_label, ml_label(j)));
    char *detail = xasprintf("Signed in to tenant %s with client credentials (a one-off token, not "
                             "kept) and read the Azure ML workspace as the principal.",
                             j->tenant);
    wiz_report_add(j->r, WIZ_FINDING_PASS, title, detail, j->ml_id, NULL);
    free(detail);
    free(title);
    j->waiting = false;
    char *status =
        xasprintf("Reading the permissions of %s on %s...", j->principal_label, ml_label(j));
    char *url = ml_url(j, "/providers/Microsoft.Authorization/permissions");
    step(j, az_guest_request(j->guest, "GET", url, NULL), after_sp_permissions, status);
    free(url);
    free(status);
    return;
  }
  const struct az_error *e = az_call_error(call);
  if (j->waiting && j->wait_left > 0 && (e->status == 403 || e->status == 404)) {
    az_call_delete(call);
    tick(j); /* not yet: keep waiting */
    return;
  }
  struct app_ls_diagnosis d;
  app_ls_diagnose(e, j->client_id, j->tenant, ml_label(j), &d);
  az_call_delete(call);
  if (d.no_role && j->principal) {
    need_role(j, d.title, d.detail);
    app_ls_diagnosis_done(&d);
    return;
  }
  struct strbuf why;
  strbuf_init(&why, 0);
  strbuf_puts(&why, d.todo);
  /* An object id given as the application id: the rule may know which. */
  for (size_t i = 0; i < j->h->n_ids; i++) {
    struct ls_objid *o = &j->h->ids[i];
    if (strcasecmp(o->guid, j->client_id) == 0 && o->verdict == WIZ_CHECK_ERROR && o->message)
      strbuf_printf(&why, " %s", o->message);
  }
  wiz_report_add(j->r, WIZ_FINDING_FAIL, d.title, d.detail, NULL, why.buf);
  strbuf_done(&why);
  enum wiz_outcome o = d.outcome;
  app_ls_diagnosis_done(&d);
  wiz_report_add_followup(j->r, "linked_service_test", "Test again");
  fail(j, o);
}

static void sp_read(struct ls_job *j)
{
  if (!j->guest) {
    /* The secret goes to the guest's credential, in memory only. */
    j->guest = az_guest_new(client_of(j->h),
                            az_credential_client_secret(j->tenant, j->client_id, j->secret));
  }
  char *url = ml_url(j, NULL);
  char *status = j->waiting
                     ? NULL
                     : xasprintf("Signing in as %s and reading %s...", j->client_id, ml_label(j));
  step(j, az_guest_request(j->guest, "GET", url, NULL), after_sp_read, status);
  free(status);
  free(url);
}

/* ---------- service principal with a Key Vault reference ---------- */

static void after_sp_lookup(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  json_t *first = json_array_get(json_object_get(az_call_json(call), "value"), 0);
  const char *oid = json_path_str(first, "id");
  if (az_call_result(call) != AZ_OK || !oid) {
    char *s = az_call_result(call) != AZ_OK
                  ? az_error_summary(az_call_error(call))
                  : xasprintf("No service principal has the application id %s in this "
                              "directory.",
                              j->client_id);
    const struct az_identity *me = app_ctx_identity(j->h->base.app);
    bool home = me && me->tenant_id && strcasecmp(me->tenant_id, j->tenant) == 0;
    if (az_call_result(call) == AZ_OK && home) {
      wiz_report_add(j->r, WIZ_FINDING_FAIL, "Unknown application id", s, NULL,
                     "Give the application (client) id from the app registration's overview "
                     "page.");
      free(s);
      az_call_delete(call);
      fail(j, WIZ_OUTCOME_REFUSED);
      return;
    }
    wiz_report_add(j->r, WIZ_FINDING_WARN, "Could not find the service principal to check its role",
                   s, NULL,
                   "synwiz looks it up in Microsoft Graph by application id; its role on the "
                   "Azure ML workspace was not checked.");
    free(s);
    az_call_delete(call);
    test_passed(j);
    return;
  }
  j->principal = xstrdup(oid);
  free(j->principal_label);
  j->principal_label = xasprintf("service principal %s", j->client_id);
  az_call_delete(call);
  check_roles(j);
}

static void after_kv(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  if (az_call_result(call) != AZ_OK) {
    char *title = xasprintf("The Key Vault linked service %s cannot be read", j->kv_ls);
    fail_call(j, call, title, j->ws.name);
    free(title);
    return;
  }
  const char *type = json_path_str(az_call_json(call), "properties.type");
  if (!type || strcmp(type, "AzureKeyVault") != 0) {
    char *title = xasprintf("%s is not an Azure Key Vault linked service", j->kv_ls);
    char *detail = xasprintf("Its type is %s.", type ? type : "unknown");
    wiz_report_add(j->r, WIZ_FINDING_FAIL, title, detail, j->ws.name,
                   "The service principal key must reference a linked service of type "
                   "AzureKeyVault in the same workspace.");
    free(title);
    free(detail);
    az_call_delete(call);
    fail(j, WIZ_OUTCOME_REFUSED);
    return;
  }
  char *title = xasprintf("The Key Vault linked service %s exists", j->kv_ls);
  wiz_report_add(j->r, WIZ_FINDING_PASS, title, NULL, j->ws.name, NULL);
  free(title);
  az_call_delete(call);
  sp_lookup(j);
}

static void sp_lookup(struct ls_job *j)
{
  char *status = xasprintf("Looking up the service principal of application %s...", j->client_id);
  step(j, az_graph_find_service_principal(client_of(j->h), j->client_id), after_sp_lookup, status);
  free(status);
}

static void kv_check(struct ls_job *j)
{
  char *status = xasprintf("Reading the Key Vault linked service %s...", j->kv_ls);
  const char *ws = j->ws.dev_endpoint ? j->ws.dev_endpoint : j->ws.name;
  step(j, az_synapse_get_linked_service(client_of(j->h), ws, j->kv_ls), after_kv, status);
  free(status);
}

/* ---------- save ---------- */

static void record(struct ls_job *j)
{
  struct store *s = NULL;
  const char *msg = NULL;
  enum app_result rc = app_ctx_store(j->h->base.app, &s, &msg);
  if (rc == APP_OK) {
    struct store_linked_service rec;
    store_linked_service_init(&rec);
    rec.workspace_name = xstrdup(j->ws.name);
    rec.name = xstrdup(j->name);
    rec.ml_subscription_id = xstrdup(j->ml_sub);
    rec.ml_resource_group = xstrdup(j->ml_rg);
    rec.ml_workspace_name = xstrdup(j->ml_ws);
    rec.authentication =
        j->auth == APP_LS_AUTH_MSI ? STORE_LS_AUTH_MSI : STORE_LS_AUTH_SERVICE_PRINCIPAL;
    rc = store_linked_service_create(s, &rec);
    if (rc == APP_NAME_TAKEN) {
      /* A record left from a linked service removed outside synwiz: this one replaces it. */
      struct store_linked_service old;
      if (store_linked_service_find(s, j->ws.name, j->name, &old) == APP_OK) {
        rec.meta = old.meta;
        memset(&old.meta, 0, sizeof(old.meta));
        rc = store_linked_service_update(s, &rec);
        store_linked_service_done(&old);
      }
    }
    msg = rc == APP_OK ? NULL : store_message(s);
    store_linked_service_done(&rec);
  }
  if (rc == APP_OK)
    wiz_report_add(j->r, WIZ_FINDING_PASS, "Recorded in the synwiz store",
                   "Workspace, name, Azure ML workspace and kind of authentication (no secret).",
                   NULL, NULL);
  else
    wiz_report_add(j->r, WIZ_FINDING_WARN, "Saved in Synapse, but not recorded in the store", msg,
                   NULL, "synwiz linked-service list --workspace still shows it (from Synapse).");
}

static void after_put(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  if (j->dry_run) {
    az_call_delete(call);
    finish(j);
    return;
  }
  if (az_call_result(call) == AZ_E_OPERATION_FAILED) {
    wiz_report_add(j->r, WIZ_FINDING_INFO, "Nothing was recorded",
                   "The linked service is not in the synwiz store.", NULL, NULL);
    fail_call(j, call, "Synapse reported that creating the linked service failed", j->ws.name);
    return;
  }
  if (az_call_result(call) != AZ_OK) {
    fail_call(j, call, "Could not create the linked service", j->ws.name);
    return;
  }
  struct strbuf why;
  strbuf_init(&why, 0);
  bool same = app_ls_read_back_matches(j->sent, az_call_json(call), &why);
  az_call_delete(call);
  if (!same) {
    wiz_report_add(j->r, WIZ_FINDING_FAIL,
                   "Synapse stored a different linked service than the one sent", why.buf,
                   j->ws.name,
                   "Nothing was recorded in the store. Remove it (synwiz linked-service remove) "
                   "and try again.");
    strbuf_done(&why);
    fail(j, WIZ_OUTCOME_FAILED);
    return;
  }
  strbuf_done(&why);
  char *title = xasprintf("Linked service %s %s in %s and read back", j->name,
                          j->editing ? "updated" : "created", j->ws.name);
  wiz_report_add(j->r, WIZ_FINDING_PASS, title,
                 j->auth == APP_LS_AUTH_MSI
                     ? "Type AzureMLService, authentication MSI: the properties read back are the "
                       "ones sent."
                     : "Type AzureMLService, service principal: the properties read back are the "
                       "ones sent (the key is kept by Synapse only).",
                 j->ws.name, NULL);
  free(title);
  /* The name is taken now (for a wizard that goes on; an edited one held it already). */
  for (size_t i = 0; i < j->h->n_names && !j->editing; i++) {
    struct ls_names *n = &j->h->names[i];
    if (n->done && n->ok &&
        (strcasecmp(n->workspace, j->ws.name) == 0 ||
         (j->ws.dev_endpoint && strcasecmp(n->workspace, j->ws.dev_endpoint) == 0))) {
      n->names = xrealloc(n->names, (n->n + 2) * sizeof(char *));
      n->names[n->n++] = xstrdup(j->name);
    }
  }
  record(j);
  finish(j);
}

static void put(struct ls_job *j)
{
  struct app_ls_spec spec = { 0 };
  spec.ml_subscription = j->ml_sub;
  spec.ml_resource_group = j->ml_rg;
  spec.ml_workspace = j->ml_ws;
  spec.auth = j->auth;
  spec.client_id = j->client_id;
  spec.tenant = j->tenant;
  spec.key = j->key;
  spec.secret = j->secret;
  spec.key_vault_linked_service = j->kv_ls;
  spec.secret_name = j->secret_name;
  spec.secret_version = j->secret_version;
  spec.integration_runtime = j->runtime;
  json_t *props = app_ls_properties(&spec);
  j->sent = json_deep_copy(props);
  const char *ws = j->ws.dev_endpoint ? j->ws.dev_endpoint : j->ws.name;
  if (j->dry_run) {
    char *base = az_synapse_endpoint(client_of(j->h), ws);
    char *url = az_url_build(base ? base : "", "/linkedservices/{}", j->name);
    char *full = xasprintf("%s?api-version=%s", url ? url : "", AZ_SYNAPSE_VERSION);
    json_t *body = json_pack("{s:s, s:O}", "name", j->name, "properties", props);
    plan_call(j, "PUT", full, body);
    json_decref(body);
    free(full);
    free(url);
    free(base);
  }
  j->put_sent = true;
  char *status = xasprintf("%s the linked service %s in %s...",
                           j->editing ? "Updating" : "Creating", j->name, j->ws.name);
  step(j, az_synapse_put_linked_service(client_of(j->h), ws, j->name, props), after_put, status);
  free(status);
}

/* Edit mode: the linked service must still be there, an Azure ML one, to be updated. */
static void after_still_there(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  if (az_call_result(call) == AZ_E_NOT_FOUND) {
    char *title = xasprintf("%s is no longer in %s", j->name, j->ws.name);
    wiz_report_add(j->r, WIZ_FINDING_FAIL, title,
                   "Someone removed it since it was read: nothing was saved.", j->ws.name,
                   "Create it again with synwiz linked-service new.");
    free(title);
    az_call_delete(call);
    fail(j, WIZ_OUTCOME_REFUSED);
    return;
  }
  if (az_call_result(call) != AZ_OK) {
    fail_call(j, call, "Could not read the linked service to update", j->ws.name);
    return;
  }
  const char *type = json_path_str(az_call_json(call), "properties.type");
  if (!type || strcmp(type, APP_LS_TYPE) != 0) {
    char *title = xasprintf("%s in %s is no longer an Azure Machine Learning linked service",
                            j->name, j->ws.name);
    char *detail = xasprintf("Its type is now %s: nothing was saved.", type ? type : "unknown");
    wiz_report_add(j->r, WIZ_FINDING_FAIL, title, detail, j->ws.name, NULL);
    free(title);
    free(detail);
    az_call_delete(call);
    fail(j, WIZ_OUTCOME_REFUSED);
    return;
  }
  az_call_delete(call);
  put(j);
}

static void after_exists(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  if (az_call_result(call) == AZ_OK) {
    char *title = xasprintf("The workspace %s already has a linked service named %s", j->ws.name,
                            json_path_str(az_call_json(call), "name")
                                ? json_path_str(az_call_json(call), "name")
                                : j->name);
    wiz_report_add(j->r, WIZ_FINDING_FAIL, title, "Saving would replace it: choose another name.",
                   j->ws.name, NULL);
    free(title);
    az_call_delete(call);
    fail(j, WIZ_OUTCOME_REFUSED);
    return;
  }
  if (az_call_result(call) != AZ_E_NOT_FOUND) {
    fail_call(j, call, "Could not check that the name is free", j->ws.name);
    return;
  }
  az_call_delete(call);
  put(j);
}

static void test_passed(struct ls_job *j)
{
  if (j->action != ACT_SAVE) {
    /* (A saved one tested as Synapse holds it has nothing new to save.) */
    if (!j->from_saved)
      wiz_report_add_followup(j->r, "linked_service_save", "Save");
    finish(j);
    return;
  }
  char *status = j->editing ? xasprintf("Checking that %s is still in %s...", j->name, j->ws.name)
                            : xasprintf("Checking that %s is free in %s...", j->name, j->ws.name);
  const char *ws = j->ws.dev_endpoint ? j->ws.dev_endpoint : j->ws.name;
  step(j, az_synapse_get_linked_service(client_of(j->h), ws, j->name),
       j->editing ? after_still_there : after_exists, status);
  free(status);
}

/* ---------- starting and cancelling ---------- */

/* The saved linked service the host is bound to, as Synapse held it: what the home screen's
 * actions work on (their wizard shows no screen, so its pickers are never looked up). No
 * secret: a typed one is not kept, so Test connection checks the principal's role only and
 * Save cannot send it. */
static bool read_saved(struct ls_job *j)
{
  const struct ls_host *h = j->h;
  const struct app_ls_saved *s = &h->saved;
  j->from_saved = true;
  app_workspace_ref_copy(&j->ws, &h->bound_ws);
  if (h->gone) {
    char *title = xasprintf("%s is no longer in %s", s->name, j->ws.name);
    wiz_report_add(j->r, WIZ_FINDING_FAIL, title,
                   "Someone removed it outside synwiz; its record is still in the synwiz store.",
                   j->ws.name,
                   "Remove its record, or create it again with synwiz linked-service new.");
    free(title);
    wiz_report_add_followup(j->r, "linked_service_remove_confirm", "Remove its record");
    j->outcome = WIZ_OUTCOME_REFUSED;
    return false;
  }
  if (j->ws.prevent_data_exfiltration) {
    wiz_report_add(j->r, WIZ_FINDING_FAIL, "Data exfiltration protection is on", APP_LS_DEP_REASON,
                   j->ws.name, NULL);
    return false;
  }
  j->name = dup_or_null(s->name);
  j->runtime = dup_or_null(s->integration_runtime);
  j->ml_sub = dup_or_null(s->ml_subscription);
  j->ml_rg = dup_or_null(s->ml_resource_group);
  j->ml_ws = dup_or_null(s->ml_workspace);
  j->ml_id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                       "Microsoft.MachineLearningServices/workspaces/%s",
                       j->ml_sub, j->ml_rg, j->ml_ws);
  j->auth = s->auth;
  j->key = s->key;
  if (j->auth == APP_LS_AUTH_SERVICE_PRINCIPAL) {
    j->client_id = dup_or_null(s->client_id);
    j->tenant = dup_or_null(s->tenant);
    j->kv_ls = dup_or_null(s->key_vault_linked_service);
    j->secret_name = dup_or_null(s->secret_name);
    j->secret_version = dup_or_null(s->secret_version);
    j->principal_label = xasprintf("service principal %s", j->client_id ? j->client_id : "?");
    if (!j->client_id || !j->tenant) {
      wiz_report_add(j->r, WIZ_FINDING_FAIL, "The service principal is not fully given",
                     "The saved linked service names no application (client) id or tenant.",
                     j->ws.name, NULL);
      return false;
    }
    if (j->action == ACT_SAVE && j->key == APP_LS_KEY_SECURE_STRING) {
      wiz_report_add(j->r, WIZ_FINDING_FAIL, "The client secret is needed",
                     "synwiz never keeps it and Synapse does not give it back: edit the linked "
                     "service and give the secret again.",
                     NULL, NULL);
      return false;
    }
  }
  return true;
}

/* Copy what the job needs from the answers; false (with a finding) when something is off. */
static bool read_answers(struct ls_job *j, const struct wiz_answers *a)
{
  /* The home screen's actions: the answers were never looked up (no Azure ML workspace
   * item), so the bound linked service is what they mean. */
  if (j->h->bound && !wiz_answers_item(a, "ml_workspace"))
    return read_saved(j);
  char *why = NULL;
  if (!app_workspace_from_answers(j->h->base.app, a, &j->ws, &why)) {
    wiz_report_add(j->r, WIZ_FINDING_FAIL, "No Synapse workspace", why, NULL, NULL);
    free(why);
    return false;
  }
  if (j->ws.prevent_data_exfiltration) {
    wiz_report_add(j->r, WIZ_FINDING_FAIL, "Data exfiltration protection is on", APP_LS_DEP_REASON,
                   j->ws.name, NULL);
    return false;
  }
  j->name = dup_or_null(wiz_answers_text(a, "name"));
  const struct wiz_item *ir = wiz_answers_item(a, "integration_runtime");
  j->runtime = dup_or_null(ir ? ir->id : wiz_answers_text(a, "integration_runtime"));
  j->runtime_type = dup_or_null(ir ? wiz_item_attr(ir, "type") : NULL);
  j->ml_sub = dup_or_null(wiz_answers_text(a, "ml_subscription"));
  const struct wiz_item *ml = wiz_answers_item(a, "ml_workspace");
  j->ml_ws = dup_or_null(ml ? ml->id : NULL);
  j->ml_rg = dup_or_null(ml ? wiz_item_attr(ml, "resource_group") : NULL);
  j->ml_id = dup_or_null(ml ? wiz_item_attr(ml, "id") : NULL);
  if (!j->ml_id && j->ml_sub && j->ml_rg && j->ml_ws)
    j->ml_id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                         "Microsoft.MachineLearningServices/workspaces/%s",
                         j->ml_sub, j->ml_rg, j->ml_ws);
  if (!j->ml_sub || !j->ml_ws || !j->ml_rg || !j->ml_id) {
    wiz_report_add(j->r, WIZ_FINDING_FAIL, "No Azure ML workspace",
                   "Choose the Azure ML subscription and workspace.", NULL, NULL);
    return false;
  }
  const char *auth = wiz_answers_text(a, "authentication");
  j->auth = auth && strcmp(auth, "service_principal") == 0 ? APP_LS_AUTH_SERVICE_PRINCIPAL
                                                           : APP_LS_AUTH_MSI;
  j->grant = j->grant || wiz_answers_bool(a, "grant_role", false);
  if (j->auth == APP_LS_AUTH_SERVICE_PRINCIPAL) {
    j->client_id = dup_or_null(wiz_answers_text(a, "client_id"));
    j->tenant = dup_or_null(wiz_answers_text(a, "tenant"));
    const char *src = wiz_answers_text(a, "secret_source");
    j->key = src && strcmp(src, "key_vault") == 0 ? APP_LS_KEY_KEY_VAULT : APP_LS_KEY_SECURE_STRING;
    if (j->key == APP_LS_KEY_SECURE_STRING) {
      const char *secret = wiz_answers_secret(a, "secret");
      j->secret = secret ? xstrdup(secret) : NULL;
    } else {
      j->kv_ls = dup_or_null(wiz_answers_text(a, "key_vault_linked_service"));
      j->secret_name = dup_or_null(wiz_answers_text(a, "secret_name"));
      j->secret_version = dup_or_null(wiz_answers_text(a, "secret_version"));
    }
    if (!j->client_id || !j->tenant ||
        (j->key == APP_LS_KEY_SECURE_STRING ? !j->secret : !j->kv_ls || !j->secret_name)) {
      wiz_report_add(j->r, WIZ_FINDING_FAIL, "The service principal is not fully given",
                     "It needs the application (client) id, the tenant, and the secret or its "
                     "Key Vault reference.",
                     NULL, NULL);
      return false;
    }
    if (j->secret_name) {
      for (const char *p = j->secret_name; *p; p++) {
        if (!(*p == '-' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z'))) {
          wiz_report_add(j->r, WIZ_FINDING_FAIL, "Invalid Key Vault secret name", j->secret_name,
                         NULL, "Key Vault secret names hold letters, digits and '-' only.");
          return false;
        }
      }
    }
    j->principal_label = xasprintf("service principal %s", j->client_id);
  }
  if (j->action == ACT_SAVE && !j->name) {
    wiz_report_add(j->r, WIZ_FINDING_FAIL, "No name", "Give the linked service a name.", NULL,
                   NULL);
    return false;
  }
  if (j->action == ACT_SAVE && j->editing) {
    /* What the name rule says, again: a pending check does not stop a headless Save. */
    struct strbuf m;
    strbuf_init(&m, 0);
    bool same =
        check_name_bound(j->h, j->name, j->ws.dev_endpoint ? j->ws.dev_endpoint : j->ws.name, &m) ==
        WIZ_CHECK_OK;
    if (!same)
      wiz_report_add(j->r, WIZ_FINDING_FAIL, "Not the linked service being edited", m.buf,
                     j->ws.name, NULL);
    strbuf_done(&m);
    return same;
  }
  return true;
}

/* ---------- removing the saved one (home screen) ---------- */

static void forget_record(struct ls_job *j)
{
  struct store *s = NULL;
  const char *msg = NULL;
  enum app_result rc = app_ctx_store(j->h->base.app, &s, &msg);
  struct store_linked_service rec;
  store_linked_service_init(&rec);
  if (rc == APP_OK) {
    rc = store_linked_service_find(s, j->ws.name, j->name, &rec);
    if (rc == APP_OK)
      rc = store_linked_service_remove(s, rec.meta.id, rec.meta.revision);
    msg = store_message(s);
  }
  store_linked_service_done(&rec);
  if (rc == APP_OK)
    wiz_report_add(j->r, WIZ_FINDING_PASS, "Its record was removed from the synwiz store", NULL,
                   NULL, NULL);
  else if (rc != APP_NOT_FOUND)
    wiz_report_add(j->r, WIZ_FINDING_WARN, "Its record stays in the synwiz store", msg, NULL, NULL);
}

static void removed(struct ls_job *j)
{
  if (!j->dry_run) {
    forget_record(j);
    j->h->bound = false; /* nothing left to edit */
  }
  free(j->title);
  j->title = xasprintf(j->dry_run ? "Dry run: %s was not removed (nothing was changed)"
                                  : "Removed the linked service %s",
                       j->name);
  finish(j);
}

static void after_delete(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  if (az_call_result(call) != AZ_OK) {
    fail_call(j, call, "Could not remove the linked service", j->ws.name);
    return;
  }
  az_call_delete(call);
  char *title = xasprintf("%s %s from the Synapse workspace %s",
                          j->dry_run ? "Would remove" : "Removed", j->name, j->ws.name);
  wiz_report_add(j->r, j->dry_run ? WIZ_FINDING_INFO : WIZ_FINDING_PASS, title,
                 "The Azure ML workspace and its role assignments stay.", j->ws.name, NULL);
  free(title);
  removed(j);
}

static void after_remove_read(struct az_call *call, void *ud)
{
  struct ls_job *j = ud;
  took(j);
  if (az_call_result(call) == AZ_E_NOT_FOUND) {
    /* Removed outside synwiz: only the record is left to remove. */
    char *title = xasprintf("%s was no longer in %s", j->name, j->ws.name);
    wiz_report_add(j->r, WIZ_FINDING_INFO, title, "Someone removed it outside synwiz.", j->ws.name,
                   NULL);
    free(title);
    az_call_delete(call);
    removed(j);
    return;
  }
  if (az_call_result(call) != AZ_OK) {
    fail_call(j, call, "Could not read the linked service", j->ws.name);
    return;
  }
  const char *type = json_path_str(az_call_json(call), "properties.type");
  if (!type || strcmp(type, APP_LS_TYPE) != 0) {
    char *title =
        xasprintf("%s in %s is not an Azure Machine Learning linked service", j->name, j->ws.name);
    char *detail = xasprintf("Its type is %s: synwiz removes AzureMLService ones only.",
                             type ? type : "unknown");
    wiz_report_add(j->r, WIZ_FINDING_FAIL, title, detail, j->ws.name, NULL);
    free(title);
    free(detail);
    az_call_delete(call);
    fail(j, WIZ_OUTCOME_INVALID);
    return;
  }
  az_call_delete(call);
  j->delete_sent = true;
  char *status = xasprintf("Removing the linked service %s from %s...", j->name, j->ws.name);
  step(j,
       az_synapse_delete_linked_service(
           client_of(j->h), j->ws.dev_endpoint ? j->ws.dev_endpoint : j->ws.name, j->name),
       after_delete, status);
  free(status);
}

/* linked_service_remove says what removing does and asks (its follow-up confirms);
 * linked_service_remove_confirm removes it from Synapse, then its store record. */
static void start_remove(struct ls_job *j)
{
  struct ls_host *h = j->h;
  if (!h->bound) {
    j->title = xstrdup("Nothing was removed");
    wiz_report_add(j->r, WIZ_FINDING_FAIL, "No saved linked service to remove",
                   "Removing works on a saved linked service (the home screen's Remove, or "
                   "synwiz linked-service remove NAME --workspace WS).",
                   NULL, NULL);
    fail(j, WIZ_OUTCOME_INVALID);
    return;
  }
  app_workspace_ref_copy(&j->ws, &h->bound_ws);
  j->name = xstrdup(h->saved.name);
  if (j->action == ACT_REMOVE_ASK) {
    j->title = xasprintf("%s is not removed yet", j->name);
    char *sum =
        h->gone ? xasprintf("It is no longer in the Synapse workspace %s (removed outside "
                            "synwiz). Press 1 to remove its record from the synwiz store; Enter "
                            "keeps it.",
                            j->ws.name)
                : xasprintf("Press 1 to remove it for good; Enter keeps it. It is deleted from "
                            "the Synapse workspace %s and its record from the synwiz store; the "
                            "Azure ML workspace and its role assignments stay.",
                            j->ws.name);
    wiz_report_set_summary(j->r, sum);
    free(sum);
    char *l = xasprintf("Yes, remove %s", j->name);
    wiz_report_add_followup(j->r, "linked_service_remove_confirm", l);
    free(l);
    fail(j, WIZ_OUTCOME_CANCELLED);
    return;
  }
  j->title = xasprintf("%s was not removed", j->name);
  char *status = xasprintf("Reading the linked service %s in %s...", j->name, j->ws.name);
  step(j,
       az_synapse_get_linked_service(client_of(h),
                                     j->ws.dev_endpoint ? j->ws.dev_endpoint : j->ws.name, j->name),
       after_remove_read, status);
  free(status);
}

static int ls_start_action(void *ctx, const char *action, const struct wiz_answers *answers,
                           bool dry_run, struct wiz_job *job)
{
  struct ls_host *h = ctx;
  if (h->job)
    return -1;
  struct ls_job *j = xcalloc(1, sizeof(*j));
  j->h = h;
  j->job = job;
  j->dry_run = dry_run;
  if (strcmp(action, "linked_service_test") == 0)
    j->action = ACT_TEST;
  else if (strcmp(action, "linked_service_grant") == 0)
    j->action = ACT_GRANT;
  else if (strcmp(action, "linked_service_save") == 0)
    j->action = ACT_SAVE;
  else if (strcmp(action, "linked_service_remove") == 0)
    j->action = ACT_REMOVE_ASK;
  else if (strcmp(action, "linked_service_remove_confirm") == 0)
    j->action = ACT_REMOVE;
  else {
    free(j);
    return -1;
  }
  j->grant = j->action == ACT_GRANT;
  j->editing = h->bound;
  j->r = wiz_report_new(action, WIZ_OUTCOME_DONE);
  h->job = j;
  wiz_job_set_data(job, j);
  if (j->action == ACT_REMOVE_ASK || j->action == ACT_REMOVE) {
    start_remove(j);
    return 0;
  }
  if (!read_answers(j, answers)) {
    fail(j, j->outcome != WIZ_OUTCOME_DONE ? j->outcome : WIZ_OUTCOME_INVALID);
    return 0;
  }
  if (!app_ctx_identity(h->base.app)) {
    wiz_report_add(j->r, WIZ_FINDING_FAIL, "Nobody is signed in",
                   app_ctx_signin_problem(h->base.app), NULL, NULL);
    fail(j, WIZ_OUTCOME_REFUSED);
    return 0;
  }
  char *status = xasprintf("Reading the Synapse workspace %s...", j->ws.name);
  step(j, az_arm_get_workspace(client_of(h), j->ws.subscription, j->ws.resource_group, j->ws.name),
       after_workspace, status);
  free(status);
  return 0;
}

static void ls_cancel_action(void *ctx, struct wiz_job *job)
{
  struct ls_host *h = ctx;
  struct ls_job *j = h->job;
  if (!j || j->job != job)
    return;
  az_call_delete(j->call);
  j->call = NULL;
  const char *what = j->delete_sent && !j->dry_run
                         ? "The removal had been sent: Synapse may still finish it. Check with "
                           "synwiz linked-service list; its store record stays."
                     : j->put_sent && !j->dry_run && j->editing
                         ? "The update had been sent: Synapse may still finish it. Check with "
                           "synwiz linked-service show; the store record was not updated."
                     : j->put_sent && !j->dry_run
                         ? "The create had been sent: Synapse may still finish it. Check with "
                           "synwiz linked-service list; nothing was recorded in the store."
                     : j->granted
                         ? "The role granted before stays granted; nothing else was changed."
                         : "Nothing was changed.";
  wiz_report_add(j->r, WIZ_FINDING_INFO, "Cancelled", what, NULL, NULL);
  if (j->action != ACT_REMOVE && j->action != ACT_REMOVE_ASK)
    wiz_report_add_followup(j->r, "linked_service_test", "Test again");
  fail(j, WIZ_OUTCOME_CANCELLED);
}

/* ====================================================================================
 * edit mode
 * ==================================================================================== */

/* Azure's refusal or failure, in the app layer's classes (the CLI's exit codes). */
static enum app_result app_of_az(enum az_result r)
{
  switch (az_result_class(r)) {
  case AZ_CLASS_OK:
    return APP_OK;
  case AZ_CLASS_LOCAL:
    return APP_INVALID;
  case AZ_CLASS_REFUSED:
    return APP_DENIED;
  case AZ_CLASS_CANCELED:
  case AZ_CLASS_FAILURE:
    break;
  }
  return APP_IO;
}

/* Who may change linked services (store_linked_service.h): administrators and contributors.
 * The store says it on the first write; edit mode says it before the first screen. */
static enum app_result may_change(struct store *s, const char *ws, const char *name,
                                  struct store_linked_service *rec, struct strbuf *why)
{
  enum app_result rc = store_linked_service_find(s, ws, name, rec);
  if (rc != APP_OK && rc != APP_NOT_FOUND) {
    strbuf_puts(why, store_message(s));
    return rc;
  }
  if (store_actor_role(s) < STORE_ROLE_CONTRIBUTOR) {
    strbuf_puts(why, "You are a viewer of this store and cannot change linked services; "
                     "administrators and contributors can.");
    return APP_DENIED;
  }
  return APP_OK;
}

/* Bound: the rules, Save and the home screen's actions work on this one from now on. Takes
 * `ws` and `saved` (they are left empty). */
static void bind(struct ls_host *h, struct app_workspace_ref *ws, struct app_ls_saved *saved,
                 bool gone)
{
  app_workspace_ref_done(&h->bound_ws);
  app_ls_saved_done(&h->saved);
  h->bound_ws = *ws;
  memset(ws, 0, sizeof(*ws));
  h->saved = *saved;
  memset(saved, 0, sizeof(*saved));
  h->bound = true;
  h->gone = gone;
}

/* What the store's record says of a linked service Synapse no longer has. */
static void saved_from_record(struct app_ls_saved *saved, const struct store_linked_service *rec)
{
  memset(saved, 0, sizeof(*saved));
  saved->name = xstrdup(rec->name);
  saved->ml_subscription = dup_or_null(rec->ml_subscription_id);
  saved->ml_resource_group = dup_or_null(rec->ml_resource_group);
  saved->ml_workspace = dup_or_null(rec->ml_workspace_name);
  saved->auth =
      rec->authentication == STORE_LS_AUTH_MSI ? APP_LS_AUTH_MSI : APP_LS_AUTH_SERVICE_PRINCIPAL;
  saved->integration_runtime = xstrdup(APP_LS_AUTO_RUNTIME);
}

/* `ref` is "WS/NAME" (app_ls_edit_ref). A workspace the store has a record for is that
 * workspace (the home screen's entries name it so); else WS is taken as --workspace takes
 * it. Then Synapse says what the linked service is now. */
static json_t *ls_edit(struct app_host_base *base, const char *ref, struct strbuf *why,
                       enum app_result *out_rc)
{
  struct ls_host *h = (struct ls_host *)base;
  char *ws_arg = NULL, *name = NULL;
  if (!app_ls_edit_ref_parse(ref, &ws_arg, &name)) {
    strbuf_printf(why,
                  "'%s' does not name a linked service as WORKSPACE/NAME (a linked service's "
                  "name is unique only in its Synapse workspace)",
                  ref);
    *out_rc = APP_INVALID;
    return NULL;
  }
  json_t *answers = NULL;
  struct store *s = NULL;
  const char *msg = NULL;
  struct store_linked_service rec;
  store_linked_service_init(&rec);
  struct app_workspace_ref ws = { 0 };
  struct az_error err;
  az_error_init(&err);
  struct az_call *call = NULL;
  struct app_ls_saved saved;
  enum az_result r;
  enum app_result rc = app_ctx_store(h->base.app, &s, &msg);
  if (rc != APP_OK) {
    strbuf_puts(why, msg ? msg : app_result_message(rc));
    goto out;
  }
  rc = may_change(s, ws_arg, name, &rec, why);
  if (rc != APP_OK)
    goto out;
  r = rec.workspace_name ? app_workspace_find(h->base.app, rec.workspace_name, &ws, &err)
                         : app_workspace_lookup(h->base.app, ws_arg, true, &ws, NULL, &err);
  if (r != AZ_OK) {
    char *summary = az_error_summary(&err);
    strbuf_puts(why, summary);
    free(summary);
    rc = r == AZ_E_INVALID_ARG ? APP_NOT_FOUND : app_of_az(r);
    goto out;
  }
  call = az_synapse_get_linked_service(client_of(h), ws.dev_endpoint, name);
  r = az_call_wait(call);
  if (r == AZ_E_NOT_FOUND && rec.workspace_name) {
    /* Removed outside synwiz: bound all the same, so that its record can be removed (the
     * home screen's Remove); the rules and Test connection say it is gone. */
    saved_from_record(&saved, &rec);
    bind(h, &ws, &saved, true);
    answers = app_ls_saved_answers(&h->saved, h->bound_ws.subscription, h->bound_ws.name);
    rc = APP_OK;
    goto out;
  }
  if (r == AZ_E_NOT_FOUND) {
    strbuf_printf(why,
                  "the Synapse workspace %s has no linked service named '%s' (synwiz "
                  "linked-service list --workspace %s lists them)",
                  ws.name, name, ws.name);
    rc = APP_NOT_FOUND;
    goto out;
  }
  if (r != AZ_OK) {
    char *summary = az_error_summary(az_call_error(call));
    strbuf_printf(why, "cannot read the linked service %s in %s: %s", name, ws.name, summary);
    free(summary);
    rc = app_of_az(r);
    goto out;
  }
  if (!app_ls_saved_read(az_call_json(call), &saved, why)) {
    rc = APP_INVALID;
    goto out;
  }
  bind(h, &ws, &saved, false);
  answers = app_ls_saved_answers(&h->saved, h->bound_ws.subscription, h->bound_ws.name);
out:
  az_call_delete(call);
  az_error_done(&err);
  app_workspace_ref_done(&ws);
  store_linked_service_done(&rec);
  free(ws_arg);
  free(name);
  *out_rc = rc;
  return answers;
}

/* ====================================================================================
 * the host
 * ==================================================================================== */

static void ls_destroy(struct app_host_base *base)
{
  struct ls_host *h = (struct ls_host *)base;
  if (h->job) {
    /* The engine cancels a running job before the host goes (wiz_delete): this is a leftover
     * whose wiz_job may be gone already, so only our side is freed. */
    struct ls_job *j = h->job;
    h->job = NULL;
    job_free(j);
  }
  while (h->conn_loads) {
    struct conn_load *cl = h->conn_loads;
    h->conn_loads = cl->next;
    conn_load_free(cl);
  }
  for (size_t i = 0; i < h->n_names; i++) {
    az_call_delete(h->names[i].call);
    free(h->names[i].workspace);
    for (size_t k = 0; k < h->names[i].n; k++)
      free(h->names[i].names[k]);
    free(h->names[i].names);
    free(h->names[i].error);
  }
  free(h->names);
  for (size_t i = 0; i < h->n_ids; i++) {
    az_call_delete(h->ids[i].call);
    free(h->ids[i].guid);
    free(h->ids[i].message);
  }
  free(h->ids);
  free(h->memo_connection);
  free(h->memo_workspace);
  app_workspace_ref_done(&h->bound_ws);
  app_ls_saved_done(&h->saved);
  free(h);
}

static const struct wiz_host_ops ls_ops = {
  ls_start_load,    ls_cancel_load, ls_check,       ls_start_action,
  ls_cancel_action, app_host_wait,  app_host_value, NULL,
};

struct app_host_base *app_host_linked_service_open(struct app_ctx *app, struct strbuf *why)
{
  (void)why;
  struct ls_host *h = xcalloc(1, sizeof(*h));
  h->base.app = app;
  h->base.destroy = ls_destroy;
  h->base.edit = ls_edit;
  h->base.filter = app_ls_filter;
  h->decl.sources = app_sources_names();
  h->decl.actions = actions;
  h->decl.rules = rules;
  h->decl.values = values;
  h->base.host.ops = &ls_ops;
  h->base.host.ctx = h;
  h->base.host.decl = &h->decl;
  return &h->base;
}
