/*
 * store_linked_service: linked service records (DIR/linked_services/<id>.json).
 * See store_linked_service.h.
 */
#include "app/store_linked_service.h"
#include "app/store_internal.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(name)                                          \
  {                                                          \
#name, offsetof(struct store_linked_service, name), true \
  }
static const struct store_field fields[] = {
  FIELD(workspace_name),    FIELD(name), FIELD(ml_subscription_id), FIELD(ml_resource_group),
  FIELD(ml_workspace_name),
};
#undef FIELD
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

void store_linked_service_init(struct store_linked_service *ls)
{
  memset(ls, 0, sizeof(*ls));
}

void store_linked_service_done(struct store_linked_service *ls)
{
  store_meta_done(&ls->meta);
  store_fields_free(fields, N_FIELDS, ls);
  store_linked_service_init(ls);
}

void store_linked_service_list_done(struct store_linked_service_list *list)
{
  for (size_t i = 0; i < list->n; i++)
    store_linked_service_done(&list->items[i]);
  free(list->items);
  list->items = NULL;
  list->n = 0;
}

const char *store_ls_auth_name(enum store_ls_auth auth)
{
  return auth == STORE_LS_AUTH_SERVICE_PRINCIPAL ? "ServicePrincipal" : "MSI";
}

bool store_ls_auth_parse(const char *s, enum store_ls_auth *out)
{
  if (s && strcmp(s, "MSI") == 0) {
    *out = STORE_LS_AUTH_MSI;
    return true;
  }
  if (s && strcmp(s, "ServicePrincipal") == 0) {
    *out = STORE_LS_AUTH_SERVICE_PRINCIPAL;
    return true;
  }
  return false;
}

json_t *store_linked_service_to_json(const struct store_linked_service *ls)
{
  json_t *obj = json_object();
  json_object_set_new(obj, "id", store_json_str(ls->meta.id));
  store_fields_to_json(fields, N_FIELDS, ls, obj);
  json_object_set_new(obj, "authentication", json_string(store_ls_auth_name(ls->authentication)));
  store_meta_to_json(&ls->meta, obj);
  return obj;
}

static enum app_result from_json(struct store *s, json_t *j, struct store_linked_service *ls)
{
  store_linked_service_init(ls);
  const char *bad = NULL;
  if (!store_meta_from_json(j, &ls->meta, &bad) ||
      !store_fields_from_json(fields, N_FIELDS, j, ls, &bad))
    ;
  else if ((bad = store_fields_missing(fields, N_FIELDS, ls)) != NULL)
    ;
  else if (!store_ls_auth_parse(store_json_get_str(j, "authentication"), &ls->authentication))
    bad = "authentication";
  if (!bad)
    return APP_OK;
  const char *id = store_json_get_str(j, "id");
  store_linked_service_done(ls);
  return store_fail(s, APP_STORE_CORRUPT,
                    "The linked service record %s in %s has a missing or invalid '%s'.",
                    id ? id : "(no id)", store_dir(s), bad);
}

/* behavior.md 2: ^[A-Za-z][^-<>*#.%&:\\+?/]{0,259}$ */
static bool name_ok(const char *s)
{
  if (!s || !isalpha((unsigned char)s[0]) || strlen(s) > 260)
    return false;
  return strpbrk(s, "-<>*#.%&:\\+?/") == NULL;
}

static enum app_result validate(struct store *s, const struct store_linked_service *ls)
{
  const char *missing = store_fields_missing(fields, N_FIELDS, ls);
  if (missing)
    return store_fail(s, APP_INVALID, "The linked service's %s is required.", missing);
  if (!name_ok(ls->name))
    return store_fail(s, APP_INVALID,
                      "'%s' is not a linked service name: it must start with a letter and hold "
                      "none of - < > * # . %% & : \\ + ? / (at most 260).",
                      ls->name);
  if (!store_is_guid(ls->ml_subscription_id))
    return store_fail(s, APP_INVALID, "The Azure ML subscription id '%s' is not a GUID.",
                      ls->ml_subscription_id);
  if (strlen(ls->workspace_name) > 50 || strlen(ls->ml_resource_group) > 90 ||
      strlen(ls->ml_workspace_name) > 260)
    return store_fail(s, APP_INVALID, "A workspace or resource group name is too long.");
  if ((unsigned)ls->authentication > STORE_LS_AUTH_SERVICE_PRINCIPAL)
    return store_fail(s, APP_INVALID, "The authentication must be MSI or ServicePrincipal.");
  return APP_OK;
}

static enum app_result require_writer(struct store *s, const char *verb)
{
  enum app_result rc = store_require_member(s);
  if (rc)
    return rc;
  if (store_current_role(s) == STORE_ROLE_VIEWER)
    return store_deny(s,
                      "You are a viewer of this store and cannot %s linked services; "
                      "administrators and contributors can.",
                      verb);
  return APP_OK;
}

static int by_name(const void *a, const void *b)
{
  const struct store_linked_service *x = a, *y = b;
  int c = store_name_cmp(x->workspace_name, y->workspace_name);
  return c ? c : store_name_cmp(x->name, y->name);
}

enum app_result store_linked_service_list(struct store *s, struct store_linked_service_list *out)
{
  memset(out, 0, sizeof(*out));
  store_clear_message(s);
  enum app_result rc = store_refresh_roles(s);
  if (rc == APP_OK)
    rc = store_require_member(s);
  struct store_rec_set set = { 0 };
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_LINKED_SERVICE, &set);
  if (rc)
    return rc;
  out->items = xcalloc(set.n ? set.n : 1, sizeof(out->items[0]));
  for (size_t i = 0; i < set.n && rc == APP_OK; i++) {
    rc = from_json(s, set.items[i].json, &out->items[out->n]);
    if (rc == APP_OK)
      out->n++;
  }
  store_rec_set_done(&set);
  if (rc) {
    store_linked_service_list_done(out);
    return rc;
  }
  if (out->n > 1)
    qsort(out->items, out->n, sizeof(out->items[0]), by_name);
  return APP_OK;
}

static enum app_result pick(struct store *s, const char *id, const char *workspace,
                            const char *name, struct store_linked_service *out)
{
  store_linked_service_init(out);
  struct store_linked_service_list list;
  enum app_result rc = store_linked_service_list(s, &list);
  if (rc)
    return rc;
  if (id)
    rc = store_fail(s, APP_NOT_FOUND, "There is no linked service '%s' in this store.", id);
  else
    rc = store_fail(s, APP_NOT_FOUND,
                    "There is no linked service '%s' of workspace '%s' in this store.",
                    name ? name : "", workspace ? workspace : "");
  for (size_t i = 0; i < list.n; i++) {
    const struct store_linked_service *x = &list.items[i];
    if (id ? store_name_equal(x->meta.id, id)
           : store_name_equal(x->workspace_name, workspace) && store_name_equal(x->name, name)) {
      *out = list.items[i];
      store_linked_service_init(&list.items[i]);
      store_clear_message(s);
      rc = APP_OK;
      break;
    }
  }
  store_linked_service_list_done(&list);
  return rc;
}

enum app_result store_linked_service_get(struct store *s, const char *id,
                                         struct store_linked_service *out)
{
  return pick(s, id ? id : "", NULL, NULL, out);
}

enum app_result store_linked_service_find(struct store *s, const char *workspace_name,
                                          const char *name, struct store_linked_service *out)
{
  return pick(s, NULL, workspace_name, name, out);
}

static enum app_result check_unique(struct store *s, const struct store_rec_set *set,
                                    const struct store_linked_service *ls, const char *self_id)
{
  for (size_t i = 0; i < set->n; i++) {
    json_t *j = set->items[i].json;
    if (store_name_equal(store_json_get_str(j, "workspace_name"), ls->workspace_name) &&
        store_name_equal(store_json_get_str(j, "name"), ls->name) &&
        (!self_id || strcmp(set->items[i].id, self_id) != 0))
      return store_fail(s, APP_NAME_TAKEN,
                        "The workspace '%s' already has a linked service named '%s' (names are "
                        "compared without regard to case).",
                        ls->workspace_name, store_json_get_str(j, "name"));
  }
  return APP_OK;
}

static enum app_result save(struct store *s, const struct store_linked_service *ls)
{
  json_t *obj = store_linked_service_to_json(ls);
  enum app_result rc = store_rec_write(s, STORE_KIND_LINKED_SERVICE, ls->meta.id, obj);
  json_decref(obj);
  return rc;
}

enum app_result store_linked_service_create(struct store *s, struct store_linked_service *ls)
{
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  rc = require_writer(s, "create");
  if (rc == APP_OK)
    rc = validate(s, ls);
  struct store_rec_set set = { 0 };
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_LINKED_SERVICE, &set);
  if (rc == APP_OK)
    rc = check_unique(s, &set, ls, NULL);
  if (rc == APP_OK) {
    store_meta_new(s, &ls->meta);
    rc = save(s, ls);
  }
  store_rec_set_done(&set);
  store_unlock(s);
  return rc;
}

static enum app_result load_current(struct store *s, const char *id, long revision,
                                    struct store_linked_service *current)
{
  store_linked_service_init(current);
  json_t *j = NULL;
  enum app_result rc = store_rec_load(s, STORE_KIND_LINKED_SERVICE, id, &j);
  if (rc == APP_NOT_FOUND)
    return store_check_revision(s, STORE_KIND_LINKED_SERVICE, id ? id : "", NULL, revision);
  if (rc == APP_OK)
    rc = from_json(s, j, current);
  json_decref(j);
  if (rc == APP_OK)
    rc =
        store_check_revision(s, STORE_KIND_LINKED_SERVICE, current->name, &current->meta, revision);
  return rc;
}

enum app_result store_linked_service_update(struct store *s, struct store_linked_service *ls)
{
  if (!ls->meta.id || ls->meta.revision < 1)
    return store_fail(s, APP_INVALID,
                      "Only a record read from the store can be updated (it has no id or "
                      "revision).");
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  struct store_linked_service current;
  store_linked_service_init(&current);
  struct store_rec_set set = { 0 };
  rc = require_writer(s, "change");
  if (rc == APP_OK)
    rc = load_current(s, ls->meta.id, ls->meta.revision, &current);
  if (rc == APP_OK)
    rc = validate(s, ls);
  if (rc == APP_OK)
    rc = store_rec_load_all(s, STORE_KIND_LINKED_SERVICE, &set);
  if (rc == APP_OK)
    rc = check_unique(s, &set, ls, current.meta.id);
  if (rc == APP_OK) {
    struct store_meta meta = { 0 };
    store_meta_next(s, &meta, &current.meta);
    struct store_meta before = ls->meta;
    ls->meta = meta;
    rc = save(s, ls);
    if (rc) {
      ls->meta = before;
      store_meta_done(&meta);
    } else {
      store_meta_done(&before);
    }
  }
  store_rec_set_done(&set);
  store_linked_service_done(&current);
  store_unlock(s);
  return rc;
}

enum app_result store_linked_service_remove(struct store *s, const char *id, long revision)
{
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  struct store_linked_service current;
  store_linked_service_init(&current);
  rc = require_writer(s, "remove");
  if (rc == APP_OK)
    rc = load_current(s, id, revision, &current);
  if (rc == APP_OK)
    rc = store_rec_unlink(s, STORE_KIND_LINKED_SERVICE, current.meta.id);
  store_linked_service_done(&current);
  store_unlock(s);
  return rc;
}
