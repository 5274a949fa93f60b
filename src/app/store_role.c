/*
 * store_role: the members of a store and their roles (DIR/roles.json). See store_role.h.
 */
#include "app/store_role.h"
#include "app/store_internal.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void store_member_list_put(struct store_member_list *list, const char *object_id,
                           const char *display_name, enum store_role role, const char *added_at,
                           const char *added_by)
{
  list->items = xrealloc(list->items, (list->n + 1) * sizeof(list->items[0]));
  struct store_member *m = &list->items[list->n++];
  m->object_id = xstrdup(object_id);
  for (char *p = m->object_id; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  m->display_name = xstrdup(display_name ? display_name : "");
  m->role = role;
  m->added_at = xstrdup(added_at ? added_at : "");
  m->added_by = xstrdup(added_by ? added_by : "");
}

static void member_done(struct store_member *m)
{
  free(m->object_id);
  free(m->display_name);
  free(m->added_at);
  free(m->added_by);
}

void store_member_list_done(struct store_member_list *list)
{
  for (size_t i = 0; i < list->n; i++)
    member_done(&list->items[i]);
  free(list->items);
  list->items = NULL;
  list->n = 0;
}

static struct store_member *find_member(struct store_member_list *list, const char *object_id)
{
  for (size_t i = 0; i < list->n; i++) {
    if (store_name_equal(list->items[i].object_id, object_id))
      return &list->items[i];
  }
  return NULL;
}

static size_t count_admins(const struct store_member_list *list)
{
  size_t n = 0;
  for (size_t i = 0; i < list->n; i++)
    n += list->items[i].role == STORE_ROLE_ADMIN;
  return n;
}

/* ---- roles.json ---- */

enum app_result store_roles_read(struct store *s, struct store_member_list *out)
{
  memset(out, 0, sizeof(*out));
  char *path = store_path(s, "roles.json");
  json_t *j = NULL;
  enum app_result rc = store_read_json(s, path, NULL, &j);
  if (rc == APP_NOT_FOUND)
    rc = store_fail(s, APP_STORE_CORRUPT,
                    "%s is missing: the store has lost its roles. Restore it from a backup; "
                    "synwiz will not guess who may use the store.",
                    path);
  json_t *members = rc ? NULL : json_object_get(j, "members");
  if (rc == APP_OK && !json_is_array(members))
    rc = store_fail(s, APP_STORE_CORRUPT, "%s has no list of members.", path);
  size_t i;
  json_t *m;
  if (rc == APP_OK) {
    json_array_foreach(members, i, m)
    {
      const char *oid = store_json_get_str(m, "object_id");
      const char *role_text = store_json_get_str(m, "role");
      enum store_role role = store_role_parse(role_text);
      if (!store_is_guid(oid) || role == STORE_ROLE_NONE) {
        rc = store_fail(s, APP_STORE_CORRUPT, "%s: member %zu has no valid object id or role.",
                        path, i + 1);
        break;
      }
      if (find_member(out, oid)) {
        rc = store_fail(s, APP_STORE_CORRUPT, "%s lists %s twice.", path, oid);
        break;
      }
      store_member_list_put(out, oid, store_json_get_str(m, "display_name"), role,
                            store_json_get_str(m, "added_at"), store_json_get_str(m, "added_by"));
    }
  }
  json_decref(j);
  free(path);
  if (rc)
    store_member_list_done(out);
  return rc;
}

enum app_result store_roles_write(struct store *s, const struct store_member_list *list)
{
  json_t *obj = json_object();
  json_object_set_new(obj, "schema", json_integer(STORE_SCHEMA));
  json_t *arr = json_array();
  for (size_t i = 0; i < list->n; i++) {
    const struct store_member *m = &list->items[i];
    json_t *o = json_object();
    json_object_set_new(o, "object_id", json_string(m->object_id));
    json_object_set_new(o, "display_name", json_string(m->display_name));
    json_object_set_new(o, "role", json_string(store_role_name(m->role)));
    json_object_set_new(o, "added_at", json_string(m->added_at));
    json_object_set_new(o, "added_by", json_string(m->added_by));
    json_array_append_new(arr, o);
  }
  json_object_set_new(obj, "members", arr);
  char *path = store_path(s, "roles.json");
  enum app_result rc = store_write_json(s, path, obj);
  free(path);
  json_decref(obj);
  return rc;
}

/* ---- commands ---- */

static enum app_result require_admin(struct store *s, const char *what)
{
  enum app_result rc = store_require_member(s);
  if (rc)
    return rc;
  if (store_current_role(s) != STORE_ROLE_ADMIN)
    return store_deny(s, "Only administrators of this store can %s; you are a %s.", what,
                      store_role_name(store_current_role(s)));
  return APP_OK;
}

static int member_cmp(const void *a, const void *b)
{
  const struct store_member *x = a, *y = b;
  if (x->role != y->role)
    return (int)y->role - (int)x->role;
  int c = store_name_cmp(x->display_name, y->display_name);
  return c ? c : strcmp(x->object_id, y->object_id);
}

enum app_result store_role_list(struct store *s, struct store_member_list *out)
{
  memset(out, 0, sizeof(*out));
  store_clear_message(s);
  enum app_result rc = store_refresh_roles(s);
  if (rc == APP_OK)
    rc = require_admin(s, "see who may use it");
  if (rc)
    return rc;
  for (size_t i = 0; i < s->members.n; i++) {
    const struct store_member *m = &s->members.items[i];
    store_member_list_put(out, m->object_id, m->display_name, m->role, m->added_at, m->added_by);
  }
  if (out->n > 1)
    qsort(out->items, out->n, sizeof(out->items[0]), member_cmp);
  return APP_OK;
}

static const char *label(const struct store_member *m)
{
  return *m->display_name ? m->display_name : m->object_id;
}

enum app_result store_role_add(struct store *s, const char *object_id, const char *display_name,
                               enum store_role role)
{
  store_clear_message(s);
  if (!store_is_guid(object_id))
    return store_fail(s, APP_INVALID,
                      "'%s' is not an object id: give the identity's Entra object id (a GUID, "
                      "not its application id or name).",
                      object_id ? object_id : "");
  if (role == STORE_ROLE_NONE)
    return store_fail(s, APP_INVALID, "The role must be admin, contributor or viewer.");
  if (display_name && strlen(display_name) > 256)
    return store_fail(s, APP_INVALID, "The display name is longer than 256 characters.");
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  rc = require_admin(s, "add members or change their roles");
  struct store_member *m = rc ? NULL : find_member(&s->members, object_id);
  if (rc == APP_OK && m) {
    bool rename = display_name && *display_name && strcmp(display_name, m->display_name) != 0;
    if (m->role == role && !rename)
      goto done; /* already so: nothing to write */
    if (m->role == STORE_ROLE_ADMIN && role != STORE_ROLE_ADMIN && count_admins(&s->members) == 1)
      rc = store_fail(s, APP_LAST_ADMIN,
                      "%s is the last administrator of this store and cannot become a %s; make "
                      "someone else an administrator first.",
                      label(m), store_role_name(role));
    if (rc == APP_OK) {
      m->role = role;
      if (rename) {
        free(m->display_name);
        m->display_name = xstrdup(display_name);
      }
    }
  } else if (rc == APP_OK) {
    char now[32];
    store_now(now);
    store_member_list_put(&s->members, object_id, display_name, role, now, s->actor_id);
  }
  if (rc == APP_OK)
    rc = store_roles_write(s, &s->members);
done:
  store_unlock(s);
  if (rc)
    store_refresh_roles(s); /* drop the unsaved change from our copy */
  return rc;
}

enum app_result store_role_remove(struct store *s, const char *object_id)
{
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  rc = require_admin(s, "remove members");
  struct store_member *m = rc ? NULL : find_member(&s->members, object_id ? object_id : "");
  if (rc == APP_OK && !m)
    rc = store_fail(s, APP_NOT_FOUND, "%s is not a member of this store.",
                    object_id ? object_id : "");
  if (rc == APP_OK && m->role == STORE_ROLE_ADMIN && count_admins(&s->members) == 1)
    rc = store_fail(s, APP_LAST_ADMIN,
                    "%s is the last administrator of this store and cannot be removed; make "
                    "someone else an administrator first.",
                    label(m));
  if (rc == APP_OK) {
    size_t at = (size_t)(m - s->members.items);
    member_done(m);
    memmove(m, m + 1, (s->members.n - at - 1) * sizeof(*m));
    s->members.n--;
    rc = store_roles_write(s, &s->members);
  }
  store_unlock(s);
  if (rc)
    store_refresh_roles(s);
  return rc;
}
