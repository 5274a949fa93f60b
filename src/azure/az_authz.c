#include "azure/az_authz.h"
#include "azure/az_arm.h"
#include "azure/az_ops.h"
#include "azure/az_url.h"
#include "util/strbuf.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *arm(struct az_client *c)
{
  return az_client_cloud(c)->resource_manager;
}

static char *with_query(char *url, const char *name, const char *value)
{
  if (!url || !value)
    return url;
  struct az_url u;
  az_url_init(&u, url);
  az_url_query(&u, name, value);
  free(url);
  char *res = az_url_finish(&u);
  az_url_done(&u);
  return res;
}

char *az_authz_filter_principal(const char *principal_id)
{
  return xasprintf("principalId eq '%s'", principal_id);
}

struct az_call *az_authz_list_role_assignments(struct az_client *c, const char *scope,
                                               const char *filter)
{
  char *url = az_url_build(arm(c), "/{/}/providers/Microsoft.Authorization/roleAssignments", scope);
  url = with_query(url, "$filter", filter);
  return az_op_list(c, az_url_with_version(url, AZ_AUTHZ_VERSION), "scope");
}

struct az_call *az_authz_delete_role_assignment(struct az_client *c, const char *assignment_id)
{
  char *url = az_url_build(arm(c), "/{/}", assignment_id);
  return az_op_send(c, "DELETE", az_url_with_version(url, AZ_AUTHZ_VERSION), NULL, NULL,
                    "role assignment");
}

struct az_call *az_authz_find_role_definition(struct az_client *c, const char *scope,
                                              const char *role_name)
{
  char *url = az_url_build(arm(c), "/{/}/providers/Microsoft.Authorization/roleDefinitions", scope);
  if (!role_name || !*role_name) {
    free(url);
    url = NULL;
  } else {
    char *filter = xasprintf("roleName eq '%s'", role_name);
    url = with_query(url, "$filter", filter);
    free(filter);
  }
  return az_op_list(c, az_url_with_version(url, AZ_AUTHZ_VERSION), "role name");
}

struct az_call *az_authz_get_role_definition(struct az_client *c, const char *role_definition_id)
{
  if (!role_definition_id || role_definition_id[0] != '/')
    return az_call_failed(c, AZ_E_INVALID_ARG, "a role definition id starts with '/'");
  char *url = az_url_build(arm(c), "/{/}", role_definition_id);
  return az_op_get(c, az_url_with_version(url, AZ_AUTHZ_VERSION), "role definition");
}

struct az_call *az_authz_list_permissions(struct az_client *c, const char *scope)
{
  char *url = az_url_build(arm(c), "/{/}/providers/Microsoft.Authorization/permissions", scope);
  return az_op_list(c, az_url_with_version(url, AZ_AUTHZ_VERSION), "scope");
}

/* ---- create, riding out replication delay ---------------------------------------- */

struct ra_create {
  char *url;
  char *body;
  int wait_ms;
  int tries_left;
  struct az_request *req;
  struct az_timer timer;
};

static void ra_send(struct az_call *call);

static void ra_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct ra_create *s = call->state;
  struct az_client *c = call->client;
  s->req = NULL;
  const char *code = r->error.code;
  if (r->result == AZ_OK) {
    az_call_finish_from_request(call, r);
  } else if (r->x.status == 409 && code && strcmp(code, "RoleAssignmentExists") == 0) {
    az_call_take_answer(call, r);
    json_decref(call->json);
    call->json = json_pack("{s:b}", "alreadyExists", 1);
    az_call_finish(call, AZ_OK);
  } else if (r->x.status == 400 && code && strcmp(code, "PrincipalNotFound") == 0 &&
             s->tries_left > 0) {
    s->tries_left--;
    az_log_write(&c->log, AZ_LOG_BASIC, "WARN",
                 "role assignment: principal not found yet (replication delay); trying again "
                 "in %d ms (%d tries left)",
                 s->wait_ms, s->tries_left);
    az_timer_arm(c, &s->timer, az_now_ms(c) + s->wait_ms);
    /* Back off: replication takes seconds to minutes. */
    s->wait_ms = s->wait_ms < AZ_AUTHZ_PRINCIPAL_WAIT_MAX_MS / 2 ? s->wait_ms * 2
                                                                 : AZ_AUTHZ_PRINCIPAL_WAIT_MAX_MS;
  } else {
    az_call_finish_from_request(call, r);
  }
  az_request_delete(r);
}

static void ra_timer(struct az_timer *t)
{
  ra_send(t->ud);
}

static void ra_send(struct az_call *call)
{
  struct ra_create *s = call->state;
  struct az_request *r = az_request_new(call->client, "PUT", s->url, ra_done, call);
  az_request_set_body(r, s->body, strlen(s->body), "application/json");
  s->req = r;
  az_request_start(r);
}

static void ra_cancel(struct az_call *call)
{
  struct ra_create *s = call->state;
  if (!s)
    return;
  az_timer_disarm(call->client, &s->timer);
  if (s->req) {
    az_request_delete(s->req);
    s->req = NULL;
  }
}

static void ra_destroy(struct az_call *call)
{
  struct ra_create *s = call->state;
  if (!s)
    return;
  ra_cancel(call);
  free(s->url);
  free(s->body);
  free(s);
  call->state = NULL;
}

static const struct az_call_driver ra_driver = { "role assignment", ra_cancel, ra_destroy };

struct az_call *az_authz_create_role_assignment(struct az_client *c,
                                                const struct az_role_assignment_spec *spec)
{
  if (!spec->scope || !spec->role_definition || !spec->principal_id || !spec->principal_type)
    return az_call_failed(c, AZ_E_INVALID_ARG,
                          "a role assignment needs a scope, a role, a principal and its type");
  char *role_id;
  if (spec->role_definition[0] == '/') {
    role_id = xstrdup(spec->role_definition);
  } else {
    char *sub = az_arm_id_part(spec->scope, "subscriptions");
    if (!sub)
      return az_call_failed(c, AZ_E_INVALID_ARG, "the scope %s names no subscription", spec->scope);
    role_id = xasprintf("/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s",
                        sub, spec->role_definition);
    free(sub);
  }
  char name[UUID_STR_LEN];
  uuid_v4(name);
  char *url = az_url_build(arm(c), "/{/}/providers/Microsoft.Authorization/roleAssignments/{}",
                           spec->scope, name);
  if (!url) {
    free(role_id);
    return az_call_failed(c, AZ_E_INVALID_ARG, "the scope is empty");
  }
  json_t *props = json_pack("{s:s, s:s, s:s}", "roleDefinitionId", role_id, "principalId",
                            spec->principal_id, "principalType", spec->principal_type);
  if (spec->description)
    json_object_set_new(props, "description", json_string(spec->description));
  json_t *body = json_pack("{s:o}", "properties", props);
  free(role_id);
  struct ra_create *s = xcalloc(1, sizeof(*s));
  s->url = az_url_with_version(url, AZ_AUTHZ_VERSION);
  s->body = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(body);
  s->wait_ms = spec->principal_wait_ms > 0 ? spec->principal_wait_ms : 10000;
  s->tries_left = spec->principal_tries > 0 ? spec->principal_tries : 9;
  struct az_call *call = az_call_new(c, &ra_driver, s);
  az_timer_init(&s->timer, ra_timer, call);
  ra_send(call);
  return call;
}

/* ---- permissions ----------------------------------------------------------------- */

bool az_authz_action_matches(const char *pattern, const char *action)
{
  /* Iterative glob: '*' matches any run (slashes included), everything else one char. */
  const char *p = pattern, *a = action, *star = NULL, *resume = NULL;
  while (*a) {
    if (*p == '*') {
      star = p++;
      resume = a;
    } else if (*p && tolower((unsigned char)*p) == tolower((unsigned char)*a)) {
      p++;
      a++;
    } else if (star) {
      p = star + 1;
      a = ++resume;
    } else {
      return false;
    }
  }
  while (*p == '*')
    p++;
  return *p == '\0';
}

static bool any_matches(json_t *patterns, const char *action)
{
  size_t i;
  json_t *v;
  json_array_foreach(patterns, i, v)
  {
    const char *s = json_string_value(v);
    if (s && az_authz_action_matches(s, action))
      return true;
  }
  return false;
}

bool az_authz_allows(json_t *permissions, const char *action, bool data_action)
{
  json_t *blocks = json_is_array(permissions) ? permissions : json_object_get(permissions, "value");
  size_t i;
  json_t *b;
  json_array_foreach(blocks, i, b)
  {
    json_t *allow = json_object_get(b, data_action ? "dataActions" : "actions");
    json_t *deny = json_object_get(b, data_action ? "notDataActions" : "notActions");
    if (any_matches(allow, action) && !any_matches(deny, action))
      return true;
  }
  return false;
}
