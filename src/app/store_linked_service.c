/*
 * store_linked_service: linked service records (DIR/linked_services/<id>.json).
 * See store_linked_service.h.
 */
#include "app/store_linked_service.h"
#include "app/store_internal.h"

#include <ctype.h>
#include <stddef.h>
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

static enum app_result from_json(struct store *s, json_t *j, void *rec)
{
  struct store_linked_service *ls = rec;
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

static enum app_result validate(struct store *s, const void *rec)
{
  const struct store_linked_service *ls = rec;
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

enum app_result store_linked_service_require_writer(struct store *s, const char *verb)
{
  store_clear_message(s);
  enum app_result rc = store_refresh_roles(s);
  return rc ? rc : require_writer(s, verb);
}

/* ---- what store_record.c needs to know ---- */

static void done(void *rec)
{
  store_linked_service_done(rec);
}

static json_t *to_file(const void *rec)
{
  return store_linked_service_to_json(rec);
}

static int by_name(const void *a, const void *b)
{
  const struct store_linked_service *x = a, *y = b;
  int c = store_name_cmp(x->workspace_name, y->workspace_name);
  return c ? c : store_name_cmp(x->name, y->name);
}

/* Names are unique per Synapse workspace, as Synapse has them. */
static const struct store_rec_ops linked_service_ops = {
  .kind = STORE_KIND_LINKED_SERVICE,
  .size = sizeof(struct store_linked_service),
  .meta_offset = offsetof(struct store_linked_service, meta),
  .name_offset = offsetof(struct store_linked_service, name),
  .name_key = "name",
  .name_label = "name",
  .scope_offset = offsetof(struct store_linked_service, workspace_name),
  .scope_key = "workspace_name",
  .scope_label = "workspace",
  .unseen_hint = "",
  .done = done,
  .from_json = from_json,
  .to_file = to_file,
  .validate = validate,
  .compare = by_name,
  .require = require_writer,
};

/* ---- reading and changing ---- */

void store_linked_service_list_done(struct store_linked_service_list *list)
{
  store_rec_items_free(&linked_service_ops, list->items, list->n);
  memset(list, 0, sizeof(*list));
}

enum app_result store_linked_service_list(struct store *s, struct store_linked_service_list *out)
{
  void *items;
  enum app_result rc = store_rec_list(s, &linked_service_ops, &items, &out->n);
  out->items = items;
  return rc;
}

enum app_result store_linked_service_get(struct store *s, const char *id,
                                         struct store_linked_service *out)
{
  return store_rec_get(s, &linked_service_ops, id, out);
}

enum app_result store_linked_service_find(struct store *s, const char *workspace_name,
                                          const char *name, struct store_linked_service *out)
{
  return store_rec_find(s, &linked_service_ops, workspace_name, name, out);
}

enum app_result store_linked_service_create(struct store *s, struct store_linked_service *ls)
{
  return store_rec_create(s, &linked_service_ops, ls);
}

enum app_result store_linked_service_update(struct store *s, struct store_linked_service *ls)
{
  return store_rec_update(s, &linked_service_ops, ls);
}

enum app_result store_linked_service_remove(struct store *s, const char *id, long revision)
{
  return store_rec_remove(s, &linked_service_ops, id, revision, NULL);
}
