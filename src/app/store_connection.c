/*
 * store_connection: connection records (DIR/connections/<id>.json). See store_connection.h.
 */
#include "app/store_connection.h"
#include "app/store_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#define FIELD(name, required)                                \
  {                                                          \
#name, offsetof(struct store_connection, name), required \
  }
static const struct store_field fields[] = {
  FIELD(display_name, true),
  FIELD(subscription_id, true),
  FIELD(subscription_name, false),
  FIELD(workspace_name, true),
  FIELD(workspace_resource_group, true),
  FIELD(workspace_id, false),
  FIELD(workspace_dev_endpoint, false),
  FIELD(workspace_principal_id, false),
  FIELD(storage_account, true),
  FIELD(storage_resource_group, false),
  FIELD(storage_account_id, false),
  FIELD(container, true),
  FIELD(agreed_at, true),
};
#undef FIELD
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

void store_connection_init(struct store_connection *c)
{
  memset(c, 0, sizeof(*c));
}

void store_connection_done(struct store_connection *c)
{
  store_meta_done(&c->meta);
  store_fields_free(fields, N_FIELDS, c);
  store_connection_init(c);
}

static void done(void *rec)
{
  store_connection_done(rec);
}

const char *store_audience_name(enum store_audience audience)
{
  return audience == STORE_AUDIENCE_ADMINS_AND_CONTRIBUTORS ? "admins_and_contributors" : "admins";
}

bool store_audience_parse(const char *s, enum store_audience *out)
{
  if (s && strcmp(s, "admins") == 0) {
    *out = STORE_AUDIENCE_ADMINS;
    return true;
  }
  if (s && strcmp(s, "admins_and_contributors") == 0) {
    *out = STORE_AUDIENCE_ADMINS_AND_CONTRIBUTORS;
    return true;
  }
  return false;
}

/* ---- JSON ---- */

json_t *store_connection_to_json(const struct store_connection *c)
{
  json_t *obj = json_object();
  json_object_set_new(obj, "id", store_json_str(c->meta.id));
  json_object_set_new(obj, "type", json_string(STORE_CONNECTION_TYPE));
  json_object_set_new(obj, "display_name", store_json_str(c->display_name));
  if (c->redacted)
    return obj;
  json_object_set_new(obj, "audience", json_string(store_audience_name(c->audience)));
  store_fields_to_json(fields + 1, N_FIELDS - 1, c, obj);
  json_object_set_new(obj, "private_link", json_boolean(c->private_link));
  store_meta_to_json(&c->meta, obj);
  return obj;
}

static enum app_result from_json(struct store *s, json_t *j, void *rec)
{
  struct store_connection *c = rec;
  store_connection_init(c);
  const char *bad = NULL;
  json_t *pl = json_object_get(j, "private_link");
  if (!store_meta_from_json(j, &c->meta, &bad) ||
      !store_fields_from_json(fields, N_FIELDS, j, c, &bad))
    ;
  else if ((bad = store_fields_missing(fields, N_FIELDS, c)) != NULL)
    ;
  else if (!store_audience_parse(store_json_get_str(j, "audience"), &c->audience))
    bad = "audience";
  else if (pl && !json_is_boolean(pl))
    bad = "private_link";
  else
    c->private_link = json_is_true(pl);
  if (!bad)
    return APP_OK;
  const char *id = store_json_get_str(j, "id");
  store_connection_done(c);
  return store_fail(s, APP_STORE_CORRUPT,
                    "The connection record %s in %s has a missing or invalid '%s'.",
                    id ? id : "(no id)", store_dir(s), bad);
}

/* ---- rules ---- */

static bool visible(const struct store *s, enum store_audience audience)
{
  enum store_role role = store_current_role(s);
  if (role == STORE_ROLE_ADMIN)
    return true;
  return role != STORE_ROLE_NONE && audience == STORE_AUDIENCE_ADMINS_AND_CONTRIBUTORS;
}

/* What a contributor or viewer may know of a shared connection: its name and type. */
static void redact(struct store_connection *c)
{
  char *id = c->meta.id, *name = c->display_name;
  c->meta.id = NULL;
  c->display_name = NULL;
  enum store_audience audience = c->audience;
  store_connection_done(c);
  c->meta.id = id;
  c->display_name = name;
  c->audience = audience;
  c->redacted = true;
}

static bool is_lower_alnum(char ch)
{
  return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

/* Synapse workspace: ^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$ without "-ondemand". */
static bool workspace_name_ok(const char *s)
{
  size_t n = strlen(s);
  if (n < 1 || n > 50 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
    return false;
  for (size_t i = 0; i < n; i++) {
    if (!is_lower_alnum(s[i]) && s[i] != '-')
      return false;
  }
  return strstr(s, "-ondemand") == NULL;
}

static bool storage_account_ok(const char *s)
{
  size_t n = strlen(s);
  for (size_t i = 0; i < n; i++) {
    if (!is_lower_alnum(s[i]))
      return false;
  }
  return n >= 3 && n <= 24;
}

/* Container: 3-63 of [a-z0-9-], starting and ending alphanumeric, no "--". */
static bool container_ok(const char *s)
{
  size_t n = strlen(s);
  if (n < 3 || n > 63 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
    return false;
  for (size_t i = 0; i < n; i++) {
    if (!is_lower_alnum(s[i]) && !(s[i] == '-' && s[i + 1] != '-'))
      return false;
  }
  return true;
}

static enum app_result validate(struct store *s, const void *rec)
{
  const struct store_connection *c = rec;
  const char *missing = store_fields_missing(fields, N_FIELDS, c);
  if (missing && strcmp(missing, "agreed_at") == 0)
    return store_fail(s, APP_INVALID,
                      "The data privacy and compliance terms must be agreed to (agreed_at).");
  if (missing)
    return store_fail(s, APP_INVALID, "The connection's %s is required.", missing);
  for (size_t i = 0; i < N_FIELDS; i++) {
    const char *v = *(char *const *)((const char *)c + fields[i].offset);
    if (v && strlen(v) > 1024)
      return store_fail(s, APP_INVALID, "The connection's %s is too long.", fields[i].key);
  }
  if (!store_is_identifier(c->display_name, 128))
    return store_fail(s, APP_INVALID,
                      "The display name '%s' must start with a letter and hold only letters, "
                      "digits and underscores (at most 128).",
                      c->display_name);
  if (c->audience != STORE_AUDIENCE_ADMINS && c->audience != STORE_AUDIENCE_ADMINS_AND_CONTRIBUTORS)
    return store_fail(s, APP_INVALID, "The audience must be admins or admins_and_contributors.");
  if (!store_is_guid(c->subscription_id))
    return store_fail(s, APP_INVALID, "The subscription id '%s' is not a GUID.",
                      c->subscription_id);
  if (c->workspace_principal_id && *c->workspace_principal_id &&
      !store_is_guid(c->workspace_principal_id))
    return store_fail(s, APP_INVALID,
                      "The workspace's managed identity principal id '%s' is not a GUID.",
                      c->workspace_principal_id);
  if (!workspace_name_ok(c->workspace_name))
    return store_fail(s, APP_INVALID, "'%s' is not a Synapse workspace name.", c->workspace_name);
  if (!storage_account_ok(c->storage_account))
    return store_fail(s, APP_INVALID,
                      "'%s' is not a storage account name (3 to 24 lower-case letters and "
                      "digits).",
                      c->storage_account);
  if (!container_ok(c->container))
    return store_fail(s, APP_INVALID,
                      "'%s' is not a container name (3 to 63 lower-case letters, digits and "
                      "single hyphens, starting and ending with a letter or digit).",
                      c->container);
  return APP_OK;
}

static enum app_result require_admin(struct store *s, const char *verb)
{
  enum app_result rc = store_require_member(s);
  if (rc)
    return rc;
  if (store_current_role(s) != STORE_ROLE_ADMIN)
    return store_deny(s, "Only administrators of this store can %s connections; you are a %s.",
                      verb, store_role_name(store_current_role(s)));
  return APP_OK;
}

enum app_result store_connection_require_admin(struct store *s, const char *verb)
{
  store_clear_message(s);
  enum app_result rc = store_refresh_roles(s);
  return rc ? rc : require_admin(s, verb);
}

/* ---- removing ---- */

/* Exports and models whose connection is `id`. */
static enum app_result find_dependents(struct store *s, const char *id,
                                       struct store_dependent_list *out)
{
  static const struct {
    enum store_kind kind;
    const char *name_key;
  } users[] = { { STORE_KIND_EXPORT, "display_name" }, { STORE_KIND_MODEL, "name" } };
  memset(out, 0, sizeof(*out));
  for (size_t u = 0; u < 2; u++) {
    struct store_rec_set set;
    enum app_result rc = store_rec_load_all(s, users[u].kind, &set);
    if (rc) {
      store_dependent_list_done(out);
      return rc;
    }
    for (size_t i = 0; i < set.n; i++) {
      json_t *j = set.items[i].json;
      if (!store_name_equal(store_json_get_str(j, "connection_id"), id))
        continue;
      out->items = xrealloc(out->items, (out->n + 1) * sizeof(out->items[0]));
      struct store_dependent *d = &out->items[out->n++];
      const char *name = store_json_get_str(j, users[u].name_key);
      d->kind = users[u].kind;
      d->id = xstrdup(set.items[i].id);
      d->name = xstrdup(name ? name : set.items[i].id);
      d->revision = (long)json_integer_value(json_object_get(j, "revision"));
    }
    store_rec_set_done(&set);
  }
  return APP_OK;
}

static enum app_result refuse_dependents(struct store *s, const char *name,
                                         const struct store_dependent_list *deps)
{
  struct strbuf sb;
  strbuf_init(&sb, 0);
  for (size_t i = 0; i < deps->n; i++)
    strbuf_printf(&sb, "%s%s '%s'", i ? ", " : "", store_kind_noun(deps->items[i].kind),
                  deps->items[i].name);
  enum app_result rc = store_fail(
      s, APP_HAS_DEPENDENTS,
      "The connection '%s' is still used by %zu export%s or model%s: %s. Remove each of them, "
      "or detach it from the connection (it is kept but inactive, shown as \"No connection\"), "
      "then remove the connection.",
      name, deps->n, deps->n == 1 ? "" : "s", deps->n == 1 ? "" : "s", sb.buf);
  strbuf_done(&sb);
  return rc;
}

/* A connection goes only when no export or model uses it; ctx: the caller's list. */
static enum app_result check_remove(struct store *s, const void *rec, void *ctx)
{
  const struct store_connection *c = rec;
  struct store_dependent_list *out_dependents = ctx, deps;
  enum app_result rc = find_dependents(s, c->meta.id, &deps);
  if (rc == APP_OK && deps.n) {
    rc = refuse_dependents(s, c->display_name, &deps);
    if (out_dependents) {
      *out_dependents = deps;
      memset(&deps, 0, sizeof(deps));
    }
  }
  store_dependent_list_done(&deps);
  return rc;
}

/* ---- what store_record.c needs to know ---- */

static int by_name(const void *a, const void *b)
{
  const struct store_connection *x = a, *y = b;
  return store_name_cmp(x->display_name, y->display_name);
}

/* A non-administrator sees the shared connections only, and of those only the name. */
static bool shown(const struct store *s, void *rec)
{
  struct store_connection *c = rec;
  if (!visible(s, c->audience))
    return false;
  if (store_current_role(s) != STORE_ROLE_ADMIN)
    redact(c);
  return true;
}

static void fill_new(void *rec)
{
  ((struct store_connection *)rec)->redacted = false;
}

static json_t *to_file(const void *rec)
{
  return store_connection_to_json(rec);
}

static const struct store_rec_ops connection_ops = {
  .kind = STORE_KIND_CONNECTION,
  .size = sizeof(struct store_connection),
  .meta_offset = offsetof(struct store_connection, meta),
  .name_offset = offsetof(struct store_connection, display_name),
  .name_key = "display_name",
  .name_label = "display name",
  .unseen_hint = " that is shared with you",
  .done = done,
  .from_json = from_json,
  .to_file = to_file,
  .validate = validate,
  .compare = by_name,
  .require = require_admin,
  .shown = shown,
  .fill_new = fill_new,
  .check_remove = check_remove,
};

/* ---- reading ---- */

void store_connection_list_done(struct store_connection_list *list)
{
  store_rec_items_free(&connection_ops, list->items, list->n);
  memset(list, 0, sizeof(*list));
}

enum app_result store_connection_list(struct store *s, struct store_connection_list *out)
{
  void *items;
  enum app_result rc = store_rec_list(s, &connection_ops, &items, &out->n);
  out->items = items;
  return rc;
}

/* One record read by id (one file rather than the list: a damaged record elsewhere does not
 * hide this one); who may see it is the callers' to check. */
static enum app_result load_one(struct store *s, const char *id, struct store_connection *out)
{
  store_connection_init(out);
  enum app_result rc = store_rec_begin_read(s);
  json_t *j = NULL;
  if (rc == APP_OK)
    rc = store_rec_load(s, STORE_KIND_CONNECTION, id, &j);
  if (rc == APP_NOT_FOUND)
    return store_rec_not_found(s, &connection_ops, id ? id : "");
  if (rc == APP_OK)
    rc = from_json(s, j, out);
  json_decref(j);
  return rc;
}

enum app_result store_connection_get(struct store *s, const char *id, struct store_connection *out)
{
  enum app_result rc = load_one(s, id, out);
  if (rc)
    return rc;
  if (!shown(s, out)) {
    store_connection_done(out);
    return store_rec_not_found(s, &connection_ops, id);
  }
  return APP_OK;
}

/* An export's run needs the workspace, account and container of a connection shared with
 * contributors; its record stays redacted everywhere else. */
enum app_result store_connection_get_for_use(struct store *s, const char *id,
                                             struct store_connection *out)
{
  enum app_result rc = load_one(s, id, out);
  if (rc)
    return rc;
  if (!visible(s, out->audience)) {
    store_connection_done(out);
    return store_rec_not_found(s, &connection_ops, id);
  }
  return APP_OK;
}

enum app_result store_connection_find(struct store *s, const char *name,
                                      struct store_connection *out)
{
  return store_rec_find(s, &connection_ops, NULL, name, out);
}

/* ---- changing ---- */

enum app_result store_connection_create(struct store *s, struct store_connection *c)
{
  return store_rec_create(s, &connection_ops, c);
}

/* Not store_rec_update(): the role comes with its own verb and the record must not be a
 * redacted one, both before anything is read; and a conflict names the connection as the
 * caller knows it. */
enum app_result store_connection_update(struct store *s, struct store_connection *c)
{
  enum app_result rc = store_rec_lock_for_update(s, &c->meta);
  if (rc)
    return rc;
  rc = require_admin(s, "edit");
  if (rc == APP_OK && c->redacted)
    rc = store_fail(s, APP_INVALID, "A connection read without its details cannot be saved.");
  if (rc == APP_OK)
    rc = validate(s, c);
  struct store_rec_set set = { 0 };
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_CONNECTION, &set);
  struct store_connection current;
  store_connection_init(&current);
  json_t *j = rc ? NULL : store_rec_set_find(&set, c->meta.id);
  if (rc == APP_OK && j)
    rc = from_json(s, j, &current);
  if (rc == APP_OK)
    rc = store_check_revision(s, STORE_KIND_CONNECTION, c->display_name, j ? &current.meta : NULL,
                              c->meta.revision);
  if (rc == APP_OK)
    rc = store_rec_check_unique(s, &connection_ops, &set, c, current.meta.id);
  if (rc == APP_OK)
    rc = store_rec_save_next(s, &connection_ops, c, &current.meta);
  store_connection_done(&current);
  store_rec_set_done(&set);
  store_unlock(s);
  return rc;
}

enum app_result store_connection_remove(struct store *s, const char *id, long revision,
                                        struct store_dependent_list *out_dependents)
{
  if (out_dependents)
    memset(out_dependents, 0, sizeof(*out_dependents));
  return store_rec_remove(s, &connection_ops, id, revision, out_dependents);
}

/* ---- the rules for records that use a connection (exports, models) ---- */

static bool conn_shared(json_t *conn)
{
  const char *audience = store_json_get_str(conn, "audience");
  return audience && strcmp(audience, "admins_and_contributors") == 0;
}

const char *store_conn_name(json_t *conn)
{
  return store_json_get_str(conn, "display_name");
}

bool store_bound_visible(const struct store *s, const char *conn_id, json_t *conn)
{
  enum store_role role = store_current_role(s);
  if (role == STORE_ROLE_ADMIN)
    return true;
  if (role == STORE_ROLE_NONE)
    return false;
  /* A detached record refers to no connection, so it reveals none. */
  return !conn_id || (conn && conn_shared(conn));
}

enum app_result store_bound_require_manage(struct store *s, enum store_kind kind, const char *name,
                                           const char *conn_id, json_t *conn)
{
  enum app_result rc = store_require_member(s);
  if (rc)
    return rc;
  enum store_role role = store_current_role(s);
  const char *noun = store_kind_noun(kind);
  if (role == STORE_ROLE_ADMIN)
    return APP_OK;
  if (role == STORE_ROLE_VIEWER)
    return store_deny(s,
                      "You are a viewer of this store and cannot change the %s '%s'. "
                      "Administrators can, and so can contributors when its connection is "
                      "shared with contributors.",
                      noun, name);
  if (!conn_id)
    return store_deny(s,
                      "The %s '%s' has no connection, so only administrators of this store can "
                      "change it; you are a contributor.",
                      noun, name);
  if (conn && conn_shared(conn))
    return APP_OK;
  return store_deny(s, "Only administrators of this store can change the %s '%s'.", noun, name);
}

enum app_result store_bound_require_usable(struct store *s, enum store_kind kind,
                                           const char *conn_id, json_t *conn)
{
  enum store_role role = store_current_role(s);
  if (conn && (role == STORE_ROLE_ADMIN || conn_shared(conn)))
    return APP_OK;
  return store_fail(
      s, APP_NOT_FOUND, "There is no connection '%s' in this store%s to use for the %s.",
      conn_id ? conn_id : "", role == STORE_ROLE_ADMIN ? "" : " that is shared with you",
      store_kind_noun(kind));
}

enum app_result store_bound_require_create(struct store *s, enum store_kind kind)
{
  enum app_result rc = store_require_member(s);
  if (rc)
    return rc;
  if (store_current_role(s) == STORE_ROLE_VIEWER)
    return store_deny(s,
                      "You are a viewer of this store and cannot create %ss. Administrators "
                      "can, and so can contributors with a connection shared with them.",
                      store_kind_noun(kind));
  return APP_OK;
}
