/*
 * The Azure ML linked service's definition, read-back comparison, limitations and Test
 * connection messages. See app_linked_service.h.
 */
#include "app/app_linked_service.h"

#include "azure/az_arm.h"
#include "azure/az_authz.h"
#include "azure/az_error.h"
#include "util/jsonpath.h"
#include "util/strbuf.h"
#include "util/uuid.h"
#include "util/xalloc.h"
#include "wizard/answers.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------- the definition (API.md D.3) ---------- */

static void put_str(json_t *o, const char *key, const char *v)
{
  if (v && *v)
    json_object_set_new(o, key, json_string(v));
}

json_t *app_ls_properties(const struct app_ls_spec *s)
{
  json_t *tp = json_object();
  put_str(tp, "subscriptionId", s->ml_subscription);
  put_str(tp, "resourceGroupName", s->ml_resource_group);
  put_str(tp, "mlWorkspaceName", s->ml_workspace);
  if (s->auth == APP_LS_AUTH_MSI) {
    /* Without it Synapse uses no identity at all: Test connection then fails (error 9512,
     * Azure/azure-powershell#21930). */
    json_object_set_new(tp, "authentication", json_string("MSI"));
  } else {
    put_str(tp, "servicePrincipalId", s->client_id);
    json_t *key;
    if (s->key == APP_LS_KEY_KEY_VAULT) {
      key = json_pack("{s:s, s:{s:s?, s:s}, s:s?}", "type", "AzureKeyVaultSecret", "store",
                      "referenceName", s->key_vault_linked_service, "type",
                      "LinkedServiceReference", "secretName", s->secret_name);
      put_str(key, "secretVersion", s->secret_version);
    } else {
      key = json_pack("{s:s, s:s?}", "type", "SecureString", "value", s->secret);
    }
    json_object_set_new(tp, "servicePrincipalKey", key);
    put_str(tp, "tenant", s->tenant);
  }
  json_t *props = json_pack("{s:s}", "type", APP_LS_TYPE);
  if (s->integration_runtime && *s->integration_runtime &&
      strcasecmp(s->integration_runtime, APP_LS_AUTO_RUNTIME) != 0)
    json_object_set_new(props, "connectVia",
                        json_pack("{s:s, s:s}", "referenceName", s->integration_runtime, "type",
                                  "IntegrationRuntimeReference"));
  json_object_set_new(props, "typeProperties", tp);
  return props;
}

/* ---------- a saved one, to edit ---------- */

void app_ls_saved_done(struct app_ls_saved *s)
{
  char *strs[] = { s->name,
                   s->ml_subscription,
                   s->ml_resource_group,
                   s->ml_workspace,
                   s->client_id,
                   s->tenant,
                   s->key_vault_linked_service,
                   s->secret_name,
                   s->secret_version,
                   s->integration_runtime };
  for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
    free(strs[i]);
  memset(s, 0, sizeof(*s));
}

/* A plain string property (NULL when absent); an expression or other object sets *odd. */
static char *plain(json_t *o, const char *key, const char **odd)
{
  json_t *v = json_object_get(o, key);
  if (!v || json_is_null(v))
    return NULL;
  if (!json_is_string(v)) {
    if (!*odd)
      *odd = key;
    return NULL;
  }
  return *json_string_value(v) ? xstrdup(json_string_value(v)) : NULL;
}

bool app_ls_saved_read(json_t *ls, struct app_ls_saved *out, struct strbuf *why)
{
  memset(out, 0, sizeof(*out));
  json_t *props = json_object_get(ls, "properties");
  const char *type = json_path_str(props, "type");
  const char *name = json_path_str(ls, "name");
  if (!type || strcmp(type, APP_LS_TYPE) != 0) {
    strbuf_printf(why,
                  "%s is not an Azure Machine Learning linked service (its type is %s); synwiz "
                  "edits AzureMLService ones only",
                  name ? name : "it", type ? type : "unknown");
    return false;
  }
  json_t *tp = json_object_get(props, "typeProperties");
  const char *odd = NULL;
  out->name = name ? xstrdup(name) : NULL;
  out->ml_subscription = plain(tp, "subscriptionId", &odd);
  out->ml_resource_group = plain(tp, "resourceGroupName", &odd);
  out->ml_workspace = plain(tp, "mlWorkspaceName", &odd);
  out->auth =
      json_object_get(tp, "servicePrincipalId") ? APP_LS_AUTH_SERVICE_PRINCIPAL : APP_LS_AUTH_MSI;
  if (out->auth == APP_LS_AUTH_SERVICE_PRINCIPAL) {
    out->client_id = plain(tp, "servicePrincipalId", &odd);
    out->tenant = plain(tp, "tenant", &odd);
    json_t *key = json_object_get(tp, "servicePrincipalKey");
    const char *kt = json_path_str(key, "type");
    if (kt && strcmp(kt, "AzureKeyVaultSecret") == 0) {
      out->key = APP_LS_KEY_KEY_VAULT;
      out->key_vault_linked_service = plain(json_object_get(key, "store"), "referenceName", &odd);
      out->secret_name = plain(key, "secretName", &odd);
      out->secret_version = plain(key, "secretVersion", &odd);
    } else {
      out->key = APP_LS_KEY_SECURE_STRING; /* masked, or kept encrypted: typed again */
    }
  }
  const char *ir = json_path_str(props, "connectVia.referenceName");
  out->integration_runtime = xstrdup(ir ? ir : APP_LS_AUTO_RUNTIME);
  if (odd) {
    strbuf_printf(why,
                  "%s's %s is not a plain value (an expression or a parameter?): synwiz cannot "
                  "edit it; change it in Synapse Studio",
                  out->name ? out->name : "the linked service", odd);
  } else if (!out->name || !out->ml_subscription || !out->ml_resource_group || !out->ml_workspace) {
    strbuf_printf(why,
                  "%s does not name its Azure ML workspace (subscriptionId, "
                  "resourceGroupName, mlWorkspaceName): synwiz cannot edit it",
                  out->name ? out->name : "the linked service");
  } else {
    return true;
  }
  app_ls_saved_done(out);
  return false;
}

json_t *app_ls_saved_answers(const struct app_ls_saved *s, const char *subscription,
                             const char *workspace)
{
  json_t *a = json_object();
  put_str(a, "subscription", subscription);
  put_str(a, "workspace", workspace);
  put_str(a, "name", s->name);
  put_str(a, "ml_subscription", s->ml_subscription);
  put_str(a, "ml_workspace", s->ml_workspace);
  json_object_set_new(
      a, "authentication",
      json_string(s->auth == APP_LS_AUTH_MSI ? "managed_identity" : "service_principal"));
  if (s->auth == APP_LS_AUTH_SERVICE_PRINCIPAL) {
    put_str(a, "client_id", s->client_id);
    json_object_set_new(
        a, "secret_source",
        json_string(s->key == APP_LS_KEY_KEY_VAULT ? "key_vault" : "secure_string"));
    put_str(a, "key_vault_linked_service", s->key_vault_linked_service);
    put_str(a, "secret_name", s->secret_name);
    put_str(a, "secret_version", s->secret_version);
    put_str(a, "tenant", s->tenant);
  }
  put_str(a, "integration_runtime", s->integration_runtime);
  return a;
}

char *app_ls_edit_ref(const char *workspace, const char *name)
{
  return xasprintf("%s/%s", workspace, name);
}

bool app_ls_edit_ref_parse(const char *ref, char **out_ws, char **out_name)
{
  *out_ws = *out_name = NULL;
  const char *slash = strrchr(ref, '/');
  if (!slash || slash == ref || !slash[1])
    return false;
  *out_ws = xstrndup(ref, (size_t)(slash - ref));
  *out_name = xstrdup(slash + 1);
  return true;
}

/* ---------- read-back ---------- */

static char *show(json_t *v)
{
  if (!v)
    return xstrdup("nothing");
  char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
  return s ? s : xstrdup("?");
}

static void differ(struct strbuf *why, const char *what, json_t *sent, json_t *got)
{
  char *a = show(sent), *b = show(got);
  strbuf_printf(why, "%s%s: sent %s, read back %s", why->len ? "\n" : "", what, a, b);
  free(a);
  free(b);
}

static bool same_text(json_t *a, json_t *b)
{
  const char *x = json_string_value(a), *y = json_string_value(b);
  if (x && y)
    return strcmp(x, y) == 0;
  return json_equal(a, b);
}

/* A secret as Synapse shows it: a masked SecureString, or the Key Vault reference. */
static bool same_key(json_t *sent, json_t *got, json_t *got_tp)
{
  const char *type = json_path_str(sent, "type");
  if (type && strcmp(type, "SecureString") == 0) {
    if (!got) /* stored encrypted instead of masked */
      return json_object_get(got_tp, "encryptedCredential") != NULL;
    const char *t = json_path_str(got, "type");
    return t && strcmp(t, "SecureString") == 0;
  }
  return json_equal(sent, got);
}

bool app_ls_read_back_matches(json_t *sent, json_t *read_back, struct strbuf *why)
{
  json_t *got = json_object_get(read_back, "properties");
  if (!got)
    got = read_back;
  size_t before = why->len;
  json_t *st = json_object_get(sent, "type"), *gt = json_object_get(got, "type");
  if (!same_text(st, gt))
    differ(why, "type", st, gt);
  json_t *stp = json_object_get(sent, "typeProperties");
  json_t *gtp = json_object_get(got, "typeProperties");
  static const char *const keys[] = { "subscriptionId", "resourceGroupName",  "mlWorkspaceName",
                                      "authentication", "servicePrincipalId", "servicePrincipalKey",
                                      "tenant" };
  for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
    json_t *a = json_object_get(stp, keys[i]), *b = json_object_get(gtp, keys[i]);
    if (!a && !b)
      continue;
    char *what = xasprintf("typeProperties.%s", keys[i]);
    if (strcmp(keys[i], "servicePrincipalKey") == 0) {
      if (!a || !same_key(a, b, gtp)) {
        /* Never print a secret: name the types only. */
        json_t *ta = a ? json_object_get(a, "type") : NULL;
        json_t *tb = b ? json_object_get(b, "type") : NULL;
        differ(why, what, ta, tb);
      }
    } else if (!a || !b || !same_text(a, b)) {
      differ(why, what, a, b);
    }
    free(what);
  }
  json_t *sv = json_object_get(sent, "connectVia"), *gv = json_object_get(got, "connectVia");
  const char *sref = json_path_str(sv, "referenceName"), *gref = json_path_str(gv, "referenceName");
  bool via_ok = sv ? gref && sref && strcasecmp(sref, gref) == 0
                   : !gv || (gref && strcasecmp(gref, APP_LS_AUTO_RUNTIME) == 0);
  if (!via_ok)
    differ(why, "connectVia", sv, gv);
  return why->len == before;
}

/* ---------- the limitations ---------- */

void app_ls_filter(const char *source, struct wiz_list *items, void *ud)
{
  (void)ud;
  for (size_t i = 0; i < items->n; i++) {
    struct wiz_item *it = &items->items[i];
    const char *reason = NULL;
    if (strcmp(source, "synapse_workspaces") == 0 || strcmp(source, "connections") == 0) {
      const char *dep = wiz_item_attr(it, "prevent_data_exfiltration");
      if (dep && strcmp(dep, "true") == 0)
        reason = APP_LS_DEP_REASON;
    } else if (strcmp(source, "integration_runtimes") == 0) {
      const char *type = wiz_item_attr(it, "type");
      if (type && strcasecmp(type, "SelfHosted") == 0)
        reason = APP_LS_SHIR_REASON;
    }
    if (reason && !it->invalid_reason)
      it->invalid_reason = xstrdup(reason);
  }
}

/* ---------- roles ---------- */

bool app_ls_role_covers(const char *role_guid, json_t *definition)
{
  if (role_guid && (strcasecmp(role_guid, AZ_ROLE_CONTRIBUTOR) == 0 ||
                    strcasecmp(role_guid, AZ_ROLE_OWNER) == 0))
    return true;
  json_t *perms = json_path(definition, "properties.permissions");
  if (!json_is_array(perms))
    return false;
  return az_authz_allows(perms, "Microsoft.MachineLearningServices/workspaces/read", false) &&
         az_authz_allows(perms, "Microsoft.MachineLearningServices/workspaces/write", false);
}

/* ---------- Test connection's messages ---------- */

static bool code_is(const struct az_error *e, const char *code)
{
  return e->code && strcasecmp(e->code, code) == 0;
}

void app_ls_diagnose(const struct az_error *e, const char *client_id, const char *tenant,
                     const char *ml_workspace, struct app_ls_diagnosis *out)
{
  memset(out, 0, sizeof(*out));
  out->detail = az_error_summary(e);
  out->outcome = WIZ_OUTCOME_REFUSED;
  const char *id = client_id ? client_id : "?";
  const char *tn = tenant ? tenant : "?";
  const char *ws = ml_workspace ? ml_workspace : "the Azure ML workspace";
  if (code_is(e, "AADSTS7000215")) {
    out->title = xstrdup("The client secret is wrong");
    out->todo = xasprintf(
        "Give the secret's Value (not its Secret ID) of application %s: Entra ID > App "
        "registrations > the application > Certificates & secrets. If it is lost or expired, "
        "add a new client secret there.",
        id);
  } else if (code_is(e, "AADSTS7000222")) {
    out->title = xstrdup("The client secret has expired");
    out->todo = xasprintf("Add a new client secret to application %s (Entra ID > App "
                          "registrations > Certificates & secrets) and give its Value.",
                          id);
  } else if (code_is(e, "AADSTS700016")) {
    out->title = xasprintf("Entra ID knows no application %s in tenant %s", id, tn);
    out->todo = xstrdup("Give the application (client) id from the app registration's "
                        "overview page: not its name, not an object id. Check the tenant too.");
  } else if (code_is(e, "AADSTS90002") ||
             (e->oauth_error && strcasecmp(e->oauth_error, "invalid_tenant") == 0)) {
    out->title = xasprintf("Entra ID knows no tenant %s", tn);
    out->todo = xstrdup("Give the tenant of the service principal: its tenant id (a GUID) or a "
                        "domain name such as contoso.onmicrosoft.com.");
  } else if (e->result == AZ_E_AUTH) {
    out->title = xstrdup("The service principal could not sign in");
    out->todo = e->hint ? xstrdup(e->hint)
                        : xstrdup("Check the application (client) id, the secret and the tenant.");
  } else if (e->status == 403) {
    out->title = xasprintf("The service principal signs in but has no role on %s", ws);
    out->todo = xasprintf("It needs Contributor on the Azure ML workspace %s: an Owner or User "
                          "Access Administrator there can assign it. New roles take a few "
                          "minutes to apply; then test again.",
                          ws);
    out->no_role = true;
  } else if (e->status == 404 && code_is(e, "SubscriptionNotFound")) {
    out->title = xstrdup("The service principal cannot see the Azure ML workspace's subscription");
    out->todo = xasprintf("Check the subscription. If it is right, the service principal has no "
                          "role in it at all: it needs Contributor on %s.",
                          ws);
    out->no_role = true;
  } else if (e->status == 404) {
    out->title = xasprintf("The Azure ML workspace %s was not found", ws);
    out->todo = xstrdup("Check the subscription, the resource group and the workspace's name.");
  } else if (e->status == 401) {
    out->title = xstrdup("Azure did not accept the service principal's token");
    out->todo = xasprintf("Check that tenant %s is the tenant of the Azure ML workspace's "
                          "subscription.",
                          tn);
  } else if (az_result_class(e->result) == AZ_CLASS_FAILURE) {
    out->title = xstrdup("The test could not be completed");
    out->todo = e->hint ? xstrdup(e->hint) : xstrdup("Try again in a moment.");
    out->outcome = WIZ_OUTCOME_FAILED;
  } else {
    out->title = xstrdup("The service principal cannot use the Azure ML workspace");
    out->todo = e->hint ? xstrdup(e->hint) : xstrdup("Check the answers and test again.");
  }
}

void app_ls_diagnosis_done(struct app_ls_diagnosis *d)
{
  free(d->title);
  free(d->detail);
  free(d->todo);
  memset(d, 0, sizeof(*d));
}

/* ---------- commands for someone who may grant ---------- */

char *app_ls_grant_az_command(const char *principal_id, const char *scope)
{
  return xasprintf("az role assignment create --assignee-object-id %s "
                   "--assignee-principal-type ServicePrincipal --role Contributor --scope %s",
                   principal_id, scope);
}

char *app_ls_grant_rest_command(const char *principal_id, const char *scope)
{
  char *sub = az_arm_id_part(scope, "subscriptions");
  char id[UUID_STR_LEN];
  uuid_v4(id);
  char *cmd = xasprintf(
      "synwiz rest --method put --url '%s/providers/Microsoft.Authorization/roleAssignments/"
      "%s?api-version=%s' --body '{\"properties\":{\"roleDefinitionId\":\"/subscriptions/%s/"
      "providers/Microsoft.Authorization/roleDefinitions/%s\",\"principalId\":\"%s\","
      "\"principalType\":\"ServicePrincipal\"}}'",
      scope, id, AZ_AUTHZ_VERSION, sub ? sub : "SUBSCRIPTION", AZ_ROLE_CONTRIBUTOR, principal_id);
  free(sub);
  return cmd;
}

/* ---------- Spark 3.3 and 3.4 ---------- */

char *app_ls_spark_pools_affected(json_t *pools)
{
  json_t *value = json_is_array(pools) ? pools : json_object_get(pools, "value");
  struct strbuf sb;
  strbuf_init(&sb, 0);
  size_t i;
  json_t *p;
  json_array_foreach(value, i, p)
  {
    const char *name = json_path_str(p, "name");
    const char *v = json_path_str(p, "properties.sparkVersion");
    if (name && v && (strncmp(v, "3.3", 3) == 0 || strncmp(v, "3.4", 3) == 0))
      strbuf_printf(&sb, "%s%s (%s)", sb.len ? ", " : "", name, v);
  }
  if (!sb.len) {
    strbuf_done(&sb);
    return NULL;
  }
  char *res = strbuf_detach(&sb, NULL);
  strbuf_done(&sb);
  return res;
}
