/*
 * doctor: the prerequisites check of a connection. See doctor.h. This file holds the pure
 * evaluation (facts -> findings) and the commands an administrator can run; doctor_run.c
 * holds the run on the Azure client (gathering, granting, waiting for propagation).
 */
#include "app/doctor.h"

#include "app/store_connection.h"
#include "azure/az_arm.h"
#include "azure/az_authz.h"
#include "azure/az_synapse.h"
#include "util/jsonpath.h"
#include "util/strbuf.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SYN_PIPELINES   "Microsoft.Synapse/workspaces/pipelines/write"
#define SYN_DATABASES   "Microsoft.Synapse/workspaces/databases/write"
#define SYN_CREDENTIALS "Microsoft.Synapse/workspaces/credentials/useSecret/action"
#define SYN_RBAC_WRITE  "Microsoft.Synapse/workspaces/roleAssignments/write"

const char *const doctor_synapse_actions[] = { SYN_PIPELINES, SYN_DATABASES, SYN_CREDENTIALS };
const size_t doctor_n_synapse_actions = 3;

static const char *const reader_actions[] = {
  "Microsoft.Resources/subscriptions/resourceGroups/read",
  "Microsoft.Synapse/workspaces/read",
};
static const char *const blob_actions[] = {
  "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
  "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
  "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
};
static const char *const artifact_actions[] = { SYN_PIPELINES, SYN_DATABASES };
static const char *const credential_actions[] = { SYN_CREDENTIALS };

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the target ---------------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
  return s && *s ? xstrdup(s) : NULL;
}

void doctor_target_init(struct doctor_target *t)
{
  memset(t, 0, sizeof(*t));
}

void doctor_target_done(struct doctor_target *t)
{
  free(t->name);
  free(t->subscription_id);
  free(t->workspace_name);
  free(t->workspace_resource_group);
  free(t->workspace_id);
  free(t->workspace_dev_endpoint);
  free(t->workspace_principal_id);
  free(t->storage_account);
  free(t->storage_resource_group);
  free(t->storage_account_id);
  free(t->container);
  doctor_target_init(t);
}

void doctor_target_from_connection(struct doctor_target *t, const struct store_connection *c)
{
  doctor_target_init(t);
  t->name = dup_or_null(c->display_name);
  t->subscription_id = dup_or_null(c->subscription_id);
  t->workspace_name = dup_or_null(c->workspace_name);
  t->workspace_resource_group = dup_or_null(c->workspace_resource_group);
  t->workspace_id = dup_or_null(c->workspace_id);
  t->workspace_dev_endpoint = dup_or_null(c->workspace_dev_endpoint);
  t->workspace_principal_id = dup_or_null(c->workspace_principal_id);
  t->storage_account = dup_or_null(c->storage_account);
  t->storage_resource_group = dup_or_null(c->storage_resource_group);
  t->storage_account_id = dup_or_null(c->storage_account_id);
  t->container = dup_or_null(c->container);
  t->private_link = c->private_link;
  doctor_target_complete(t);
}

void doctor_target_complete(struct doctor_target *t)
{
  if (!t->storage_resource_group && t->storage_account_id)
    t->storage_resource_group = az_arm_id_part(t->storage_account_id, "resourceGroups");
  if (!t->workspace_id && t->subscription_id && t->workspace_resource_group && t->workspace_name)
    t->workspace_id =
        xasprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Synapse/workspaces/%s",
                  t->subscription_id, t->workspace_resource_group, t->workspace_name);
  if (!t->storage_account_id && t->subscription_id && t->storage_resource_group &&
      t->storage_account)
    t->storage_account_id = xasprintf(
        "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Storage/storageAccounts/%s",
        t->subscription_id, t->storage_resource_group, t->storage_account);
}

/* ---- scopes ------------------------------------------------------------------------- */

static size_t trimmed_len(const char *s)
{
  size_t n = strlen(s);
  while (n && s[n - 1] == '/')
    n--;
  return n;
}

bool doctor_scope_covers(const char *a, const char *target)
{
  if (!a || !target)
    return false;
  size_t na = trimmed_len(a), nt = trimmed_len(target);
  if (na == 0)
    return true; /* the root scope "/" */
  if (na > nt || strncasecmp(a, target, na) != 0)
    return false;
  return na == nt || target[na] == '/';
}

/* "resource group rg-analytics", "storage account contosolake", "subscription S"... */
static char *scope_label(const char *scope)
{
  if (!scope || trimmed_len(scope) == 0)
    return xstrdup("the whole tenant (root scope)");
  const char *prov = NULL;
  for (const char *p = scope; (p = strstr(p, "/providers/")) != NULL; p++)
    prov = p;
  if (prov) {
    /* .../providers/Namespace/type/name[/type/name...]: the last type and name */
    const char *end = scope + trimmed_len(scope);
    const char *name = end;
    while (name > prov && name[-1] != '/')
      name--;
    const char *type_end = name > prov ? name - 1 : name;
    const char *type = type_end;
    while (type > prov && type[-1] != '/')
      type--;
    struct strbuf sb;
    strbuf_init(&sb, 0);
    size_t tl = (size_t)(type_end - type);
    if (tl == strlen("storageAccounts") && strncasecmp(type, "storageAccounts", tl) == 0)
      strbuf_puts(&sb, "storage account ");
    else if (tl == strlen("containers") && strncasecmp(type, "containers", tl) == 0)
      strbuf_puts(&sb, "container ");
    else if (tl == strlen("workspaces") && strncasecmp(type, "workspaces", tl) == 0)
      strbuf_puts(&sb, "workspace ");
    else {
      strbuf_append(&sb, type, tl);
      strbuf_putc(&sb, ' ');
    }
    strbuf_append(&sb, name, (size_t)(end - name));
    char *label = strbuf_detach(&sb, NULL);
    strbuf_done(&sb);
    return label;
  }
  char *rg = az_arm_id_part(scope, "resourceGroups");
  if (rg) {
    char *l = xasprintf("resource group %s", rg);
    free(rg);
    return l;
  }
  char *sub = az_arm_id_part(scope, "subscriptions");
  if (sub) {
    char *l = xasprintf("subscription %s", sub);
    free(sub);
    return l;
  }
  return xstrdup(scope);
}

static char *rg_scope(const struct doctor_target *t)
{
  if (!t->subscription_id || !t->workspace_resource_group)
    return NULL;
  return xasprintf("/subscriptions/%s/resourceGroups/%s", t->subscription_id,
                   t->workspace_resource_group);
}

static char *container_scope(const struct doctor_target *t)
{
  if (!t->storage_account_id)
    return NULL;
  if (!t->container)
    return xstrdup(t->storage_account_id);
  return xasprintf("%s/blobServices/default/containers/%s", t->storage_account_id, t->container);
}

static char *synapse_scope(const struct doctor_target *t)
{
  return xasprintf("workspaces/%s", t->workspace_name ? t->workspace_name : "?");
}

/* ---- JSON helpers ---------------------------------------------------------------------- */

static json_t *items_of(json_t *j)
{
  if (json_is_array(j))
    return j;
  json_t *v = json_object_get(j, "value");
  return json_is_array(v) ? v : NULL;
}

/* The GUID at the end of a role definition id. */
static const char *last_segment(const char *id)
{
  if (!id)
    return NULL;
  const char *s = strrchr(id, '/');
  return s ? s + 1 : id;
}

static json_t *find_arm_def(json_t *defs, const char *role_definition_id)
{
  const char *guid = last_segment(role_definition_id);
  size_t i;
  json_t *d;
  json_array_foreach(items_of(defs), i, d)
  {
    const char *name = json_path_str(d, "name");
    if (guid && name && strcasecmp(name, guid) == 0)
      return d;
    const char *id = last_segment(json_path_str(d, "id"));
    if (guid && id && strcasecmp(id, guid) == 0)
      return d;
  }
  return NULL;
}

static json_t *find_synapse_def(json_t *defs, const char *role_id)
{
  size_t i;
  json_t *d;
  json_array_foreach(items_of(defs), i, d)
  {
    const char *id = json_path_str(d, "id");
    if (role_id && id && strcasecmp(id, role_id) == 0)
      return d;
  }
  return NULL;
}

static bool same_id(const char *a, const char *b)
{
  return a && b && strcasecmp(a, b) == 0;
}

/* ---- coverage: do a principal's assignments allow these actions at this scope? ---------- */

struct coverage {
  bool all;            /* every action is allowed */
  bool any_assignment; /* the principal has some assignment covering the scope */
  struct strbuf via;   /* "Owner (resource group rg-analytics)" for the roles that allow */
};

static void coverage_init(struct coverage *c)
{
  c->all = false;
  c->any_assignment = false;
  strbuf_init(&c->via, 0);
}

static void note_via(struct coverage *c, const char *role, const char *scope)
{
  char *label = scope_label(scope);
  char *entry = xasprintf("%s (%s)", role ? role : "a role", label);
  free(label);
  if (!strstr(c->via.buf, entry))
    strbuf_printf(&c->via, "%s%s", c->via.len ? ", " : "", entry);
  free(entry);
}

/* ARM: `assignments` ({"value": [...]}) of `principal` (group assignments listed by
 * assignedTo() count too), `defs` the role definitions they name. */
static void arm_coverage(json_t *assignments, json_t *defs, const char *principal,
                         const char *target, const char *const *actions, size_t n, bool data,
                         struct coverage *out)
{
  coverage_init(out);
  size_t allowed = 0;
  for (size_t a = 0; a < n; a++) {
    bool ok = false;
    size_t i;
    json_t *ra;
    json_array_foreach(items_of(assignments), i, ra)
    {
      const char *pid = json_path_str(ra, "properties.principalId");
      const char *ptype = json_path_str(ra, "properties.principalType");
      const char *scope = json_path_str(ra, "properties.scope");
      if (!same_id(pid, principal) && !(ptype && strcmp(ptype, "Group") == 0))
        continue;
      if (!doctor_scope_covers(scope, target))
        continue;
      out->any_assignment = true;
      json_t *def = find_arm_def(defs, json_path_str(ra, "properties.roleDefinitionId"));
      if (!def)
        continue;
      if (az_authz_allows(json_path(def, "properties.permissions"), actions[a], data)) {
        note_via(out, json_path_str(def, "properties.roleName"), scope);
        ok = true;
      }
    }
    allowed += ok;
  }
  out->all = allowed == n;
}

static void synapse_coverage(json_t *assignments, json_t *defs, const char *principal,
                             const char *target, const char *const *actions, size_t n,
                             struct coverage *out)
{
  coverage_init(out);
  size_t allowed = 0;
  for (size_t a = 0; a < n; a++) {
    bool ok = false;
    size_t i;
    json_t *ra;
    json_array_foreach(items_of(assignments), i, ra)
    {
      if (!same_id(json_path_str(ra, "principalId"), principal))
        continue;
      const char *scope = json_path_str(ra, "scope");
      if (!doctor_scope_covers(scope, target))
        continue;
      out->any_assignment = true;
      json_t *def = find_synapse_def(defs, json_path_str(ra, "roleDefinitionId"));
      if (def && az_authz_allows(json_path(def, "permissions"), actions[a], true)) {
        const char *name = json_path_str(def, "name");
        if (!strstr(out->via.buf, name ? name : "?"))
          strbuf_printf(&out->via, "%s%s", out->via.len ? ", " : "", name ? name : "?");
        ok = true;
      }
    }
    allowed += ok;
  }
  out->all = allowed == n;
}

/* checkAccessSynapseRbac: is every action Allowed? (both spellings of the key) */
static bool synapse_access_allows(json_t *answer, const char *const *actions, size_t n)
{
  json_t *list = json_object_get(answer, "accessDecisions");
  if (!list)
    list = json_object_get(answer, "AccessDecisions");
  for (size_t a = 0; a < n; a++) {
    bool ok = false;
    size_t i;
    json_t *d;
    json_array_foreach(list, i, d)
    {
      const char *id = json_path_str(d, "actionId");
      const char *dec = json_path_str(d, "accessDecision");
      if (id && strcasecmp(id, actions[a]) == 0 && dec && strcmp(dec, "Allowed") == 0)
        ok = true;
    }
    if (!ok)
      return false;
  }
  return true;
}

/* ---- findings ------------------------------------------------------------------------- */

static void grant_free(struct doctor_grant *g)
{
  if (!g)
    return;
  free(g->role_name);
  free(g->role_id);
  free(g->scope);
  free(g->scope_label);
  free(g->principal_id);
  free(g->principal_type);
  free(g->principal_label);
  free(g);
}

void doctor_findings_done(struct doctor_findings *f)
{
  for (size_t i = 0; i < f->n; i++) {
    struct doctor_finding *x = &f->items[i];
    free(x->key);
    free(x->title);
    free(x->detail);
    free(x->scope);
    free(x->why);
    grant_free(x->grant);
  }
  free(f->items);
  memset(f, 0, sizeof(*f));
}

const struct doctor_finding *doctor_findings_get(const struct doctor_findings *f, const char *key)
{
  for (size_t i = 0; i < f->n; i++) {
    if (strcmp(f->items[i].key, key) == 0)
      return &f->items[i];
  }
  return NULL;
}

static struct doctor_finding *add(struct doctor_findings *out, const char *key,
                                  enum wiz_finding_status status, const char *title,
                                  const char *detail, const char *scope, const char *why)
{
  out->items = xgrow(out->items, &out->cap, out->n + 1, sizeof(*out->items));
  struct doctor_finding *f = &out->items[out->n++];
  memset(f, 0, sizeof(*f));
  f->key = xstrdup(key);
  f->status = status;
  f->title = xstrdup(title);
  f->detail = dup_or_null(detail);
  f->scope = dup_or_null(scope);
  f->why = dup_or_null(why);
  return f;
}

static struct doctor_grant *grant_new(enum doctor_grant_kind kind, const char *role_name,
                                      const char *role_id, const char *scope,
                                      const char *principal_id, const char *principal_type,
                                      const char *principal_label)
{
  struct doctor_grant *g = xcalloc(1, sizeof(*g));
  g->kind = kind;
  g->role_name = xstrdup(role_name);
  g->role_id = xstrdup(role_id);
  g->scope = xstrdup(scope);
  g->scope_label =
      kind == DOCTOR_GRANT_ARM ? scope_label(scope) : xasprintf("Synapse scope %s", scope);
  g->principal_id = xstrdup(principal_id);
  g->principal_type = xstrdup(principal_type);
  g->principal_label = xstrdup(principal_label);
  return g;
}

/* "could not be checked": a fact is missing. */
static void unknown(struct doctor_findings *out, const char *key, const char *title,
                    const char *scope, const char *why, const char *error)
{
  char *d = xasprintf("Could not be checked: %s", error ? error : "the answer was not read.");
  add(out, key, WIZ_FINDING_WARN, title, d, scope, why)->unchecked = true;
  free(d);
}

static char *you_label(const struct doctor_caller *who)
{
  return xasprintf("you (%s)", who->label ? who->label : who->object_id);
}

static const char *workspace_principal(const struct doctor_target *t, const struct doctor_facts *f)
{
  const char *p = json_path_str(f->json[DOCTOR_WORKSPACE], "identity.principalId");
  return p ? p : t->workspace_principal_id;
}

/* tenant: the subscription and the workspace's identity are in the signed-in tenant. */
static void check_tenant(const struct doctor_target *t, const struct doctor_caller *who,
                         const struct doctor_facts *f, struct doctor_findings *out)
{
  static const char title[] = "Same tenant";
  static const char why[] =
      "Customer Insights, the workspace and its storage must be in one Microsoft Entra tenant: "
      "a token of one tenant is not accepted by the resources of another.";
  const char *sub_tenant = NULL;
  size_t i;
  json_t *s;
  json_array_foreach(items_of(f->json[DOCTOR_SUBSCRIPTIONS]), i, s)
  {
    if (same_id(json_path_str(s, "subscriptionId"), t->subscription_id))
      sub_tenant = json_path_str(s, "tenantId");
  }
  const char *ws_tenant = json_path_str(f->json[DOCTOR_WORKSPACE], "identity.tenantId");
  if (!who->tenant_id || (!sub_tenant && !ws_tenant)) {
    unknown(out, "tenant", title, NULL, why,
            f->error[DOCTOR_WORKSPACE] ? f->error[DOCTOR_WORKSPACE]
                                       : f->error[DOCTOR_SUBSCRIPTIONS]);
    return;
  }
  struct strbuf d;
  strbuf_init(&d, 0);
  bool bad = false;
  if (sub_tenant && !same_id(sub_tenant, who->tenant_id)) {
    strbuf_printf(&d, "The subscription %s is in tenant %s. ", t->subscription_id, sub_tenant);
    bad = true;
  }
  if (ws_tenant && !same_id(ws_tenant, who->tenant_id)) {
    strbuf_printf(&d, "The workspace's identity is in tenant %s. ", ws_tenant);
    bad = true;
  }
  if (bad)
    strbuf_printf(&d, "You are signed in to tenant %s.", who->tenant_id);
  else
    strbuf_printf(&d, "The subscription and the workspace's identity are in your tenant %s.",
                  who->tenant_id);
  add(out, "tenant", bad ? WIZ_FINDING_FAIL : WIZ_FINDING_PASS, title, d.buf, NULL, why);
  strbuf_done(&d);
}

static void check_reader(const struct doctor_target *t, const struct doctor_caller *who,
                         const struct doctor_facts *f, struct doctor_findings *out)
{
  static const char title[] = "Reader on the workspace's resource group (you)";
  static const char why[] =
      "The connection's pickers and checks, and Customer Insights, read the workspace and its "
      "storage through Azure Resource Manager: at least Reader on the workspace's resource "
      "group (Owner and Contributor include it).";
  char *scope = rg_scope(t);
  char *label = scope ? scope_label(scope) : xstrdup("the workspace's resource group");
  if (!f->json[DOCTOR_USER_RA_WS] || !scope) {
    unknown(out, "reader", title, label, why, f->error[DOCTOR_USER_RA_WS]);
  } else {
    struct coverage c;
    arm_coverage(f->json[DOCTOR_USER_RA_WS], f->json[DOCTOR_ROLE_DEFS], who->object_id, scope,
                 reader_actions, N_OF(reader_actions), false, &c);
    if (c.all) {
      char *d = xasprintf("You have it through %s.", c.via.buf);
      add(out, "reader", WIZ_FINDING_PASS, title, d, label, why);
      free(d);
    } else {
      char *d = xasprintf("Missing: Reader (or a role that includes reading) for you on %s, or "
                          "on its subscription.",
                          label);
      char *you = you_label(who);
      struct doctor_finding *x = add(out, "reader", WIZ_FINDING_FAIL, title, d, label, why);
      x->grant = grant_new(DOCTOR_GRANT_ARM, DOCTOR_ROLE_READER, AZ_ROLE_READER, scope,
                           who->object_id, who->principal_type, you);
      free(you);
      free(d);
    }
    strbuf_done(&c.via);
  }
  free(label);
  free(scope);
}

static void check_blob(const struct doctor_target *t, const struct doctor_caller *who,
                       const struct doctor_facts *f, bool for_workspace,
                       struct doctor_findings *out)
{
  const char *key = for_workspace ? "blob_workspace" : "blob_user";
  const char *title = for_workspace
                          ? "Storage Blob Data Contributor on the storage account (the workspace's "
                            "managed identity)"
                          : "Storage Blob Data Contributor on the storage account (you)";
  const char *why =
      for_workspace
          ? "Synapse pipelines and the lake database read and write the container as the "
            "workspace's managed identity. Only a Storage Blob Data role gives access to the "
            "data: Owner and Contributor do not (they have no data actions)."
          : "Exports write their CSV files and metadata into the container as you, and the "
            "custom-model wizard stages its input there. Only a Storage Blob Data role gives "
            "access to the data: Owner and Contributor do not (they have no data actions).";
  enum doctor_fact fact = for_workspace ? DOCTOR_MI_RA_SA : DOCTOR_USER_RA_SA;
  char *target = container_scope(t);
  char *label = target ? scope_label(target) : xstrdup("the container");
  if (t->container && t->storage_account) {
    free(label);
    label = xasprintf("container %s of storage account %s", t->container, t->storage_account);
  }
  const char *principal = for_workspace ? workspace_principal(t, f) : who->object_id;
  if (for_workspace && !principal && f->json[DOCTOR_WORKSPACE]) {
    add(out, key, WIZ_FINDING_FAIL, title,
        "The workspace has no system-assigned managed identity: Synapse cannot reach the "
        "storage account as itself.",
        label, why);
  } else if (!f->json[fact] || !target || !principal) {
    unknown(out, key, title, label, why,
            f->error[fact] ? f->error[fact] : f->error[DOCTOR_WORKSPACE]);
  } else {
    struct coverage c, at_account;
    arm_coverage(f->json[fact], f->json[DOCTOR_ROLE_DEFS], principal, target, blob_actions,
                 N_OF(blob_actions), true, &c);
    arm_coverage(f->json[fact], f->json[DOCTOR_ROLE_DEFS], principal, t->storage_account_id,
                 blob_actions, N_OF(blob_actions), true, &at_account);
    char *whom = for_workspace ? xasprintf("the workspace's managed identity (%s)", principal)
                               : you_label(who);
    struct doctor_grant *g =
        grant_new(DOCTOR_GRANT_ARM, DOCTOR_ROLE_BLOB_DATA_CONTRIBUTOR,
                  AZ_ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR, t->storage_account_id, principal,
                  for_workspace ? "ServicePrincipal" : who->principal_type, whom);
    /* In effect yet? Only your own permissions can be read (the permissions API). */
    bool pending = !for_workspace && c.all && at_account.all && f->json[DOCTOR_USER_PERMS_SA] &&
                   !az_authz_allows(f->json[DOCTOR_USER_PERMS_SA], blob_actions[1], true);
    if (c.all && !pending) {
      char *d =
          xasprintf("%s %s it through %s.", for_workspace ? "The workspace's identity" : "You",
                    for_workspace ? "has" : "have", c.via.buf);
      add(out, key, WIZ_FINDING_PASS, title, d, label, why);
      free(d);
      grant_free(g);
    } else if (pending) {
      char *d = xasprintf("Assigned (%s) but not in effect yet: Azure takes up to 15 minutes to "
                          "propagate a new role assignment.",
                          c.via.buf);
      struct doctor_finding *x = add(out, key, WIZ_FINDING_WARN, title, d, label, why);
      x->pending = true;
      x->grant = g;
      free(d);
    } else {
      char *d = xasprintf("Missing: Storage Blob Data Contributor for %s on storage account %s "
                          "(or on the container).",
                          whom, t->storage_account ? t->storage_account : "?");
      struct doctor_finding *x = add(out, key, WIZ_FINDING_FAIL, title, d, label, why);
      x->grant = g;
      free(d);
    }
    free(whom);
    strbuf_done(&c.via);
    strbuf_done(&at_account.via);
  }
  free(label);
  free(target);
}

static void check_synapse(const struct doctor_target *t, const struct doctor_caller *who,
                          const struct doctor_facts *f, bool credentials,
                          struct doctor_findings *out)
{
  const char *key = credentials ? "synapse_credentials" : "synapse_artifacts";
  const char *title = credentials ? "Synapse Credential User on the workspace (you)"
                                  : "Synapse Contributor on the workspace (you)";
  const char *why =
      credentials
          ? "Running a pipeline that uses the workspace's managed identity (the connection's "
            "storage, an Azure ML linked service) needs Synapse Credential User on the "
            "workspace: Synapse Contributor does not include using credentials. "
            "Synapse Administrator includes both."
          : "Exports create the lake database and its tables, and custom models publish and run "
            "pipelines: that needs Synapse Contributor (or Synapse Administrator, or Synapse "
            "Artifact Publisher) on the workspace, besides the Azure roles.";
  const char *role =
      credentials ? DOCTOR_ROLE_SYNAPSE_CREDENTIAL_USER : DOCTOR_ROLE_SYNAPSE_CONTRIBUTOR;
  const char *role_id = credentials ? AZ_SYNAPSE_ROLE_CREDENTIAL_USER : AZ_SYNAPSE_ROLE_CONTRIBUTOR;
  const char *const *actions = credentials ? credential_actions : artifact_actions;
  size_t n = credentials ? N_OF(credential_actions) : N_OF(artifact_actions);
  char *scope = synapse_scope(t);
  char *target =
      credentials ? xasprintf("%s/credentials/WorkspaceSystemIdentity", scope) : xstrdup(scope);
  char *label = xasprintf("workspace %s", t->workspace_name ? t->workspace_name : "?");
  char *you = you_label(who);
  struct doctor_grant *g = grant_new(DOCTOR_GRANT_SYNAPSE, role, role_id, scope, who->object_id,
                                     who->principal_type, you);
  bool refused = !f->json[DOCTOR_SYNAPSE_RA] && f->status[DOCTOR_SYNAPSE_RA] == 403;
  if (refused) {
    char *d = xasprintf("Missing: you have no Synapse role on %s at all (Synapse refused to list "
                        "its role assignments). Needed: %s%s.",
                        label, role, credentials ? " (or Synapse Administrator)" : "");
    struct doctor_finding *x = add(out, key, WIZ_FINDING_FAIL, title, d, label, why);
    x->grant = g;
    g = NULL;
    free(d);
  } else if (!f->json[DOCTOR_SYNAPSE_RA] || !f->json[DOCTOR_SYNAPSE_DEFS]) {
    unknown(out, key, title, label, why,
            f->error[DOCTOR_SYNAPSE_RA] ? f->error[DOCTOR_SYNAPSE_RA]
                                        : f->error[DOCTOR_SYNAPSE_DEFS]);
  } else {
    struct coverage c;
    synapse_coverage(f->json[DOCTOR_SYNAPSE_RA], f->json[DOCTOR_SYNAPSE_DEFS], who->object_id,
                     target, actions, n, &c);
    bool pending = c.all && f->json[DOCTOR_SYNAPSE_ACCESS] &&
                   !synapse_access_allows(f->json[DOCTOR_SYNAPSE_ACCESS], actions, n);
    if (c.all && !pending) {
      char *d = xasprintf("You have it through %s.", c.via.buf);
      add(out, key, WIZ_FINDING_PASS, title, d, label, why);
      free(d);
    } else if (pending) {
      char *d = xasprintf("Assigned (%s) but not in effect yet: Synapse takes a few minutes to "
                          "apply a new role assignment.",
                          c.via.buf);
      struct doctor_finding *x = add(out, key, WIZ_FINDING_WARN, title, d, label, why);
      x->pending = true;
      x->grant = g;
      g = NULL;
      free(d);
    } else {
      char *d = xasprintf("Missing: %s for you on %s%s.", role, label,
                          credentials ? " (or Synapse Administrator, which includes it)"
                                      : " (or Synapse Administrator)");
      struct doctor_finding *x = add(out, key, WIZ_FINDING_FAIL, title, d, label, why);
      x->grant = g;
      g = NULL;
      free(d);
    }
    strbuf_done(&c.via);
  }
  grant_free(g);
  free(you);
  free(label);
  free(target);
  free(scope);
}

static bool is_disabled(const char *s)
{
  return s && strcasecmp(s, "Disabled") == 0;
}

static bool has_approved_endpoint(json_t *resource)
{
  size_t i;
  json_t *pe;
  json_array_foreach(json_path(resource, "properties.privateEndpointConnections"), i, pe)
  {
    const char *st = json_path_str(pe, "properties.privateLinkServiceConnectionState.status");
    if (st && strcasecmp(st, "Approved") == 0)
      return true;
  }
  return false;
}

static void check_storage(const struct doctor_target *t, const struct doctor_facts *f,
                          struct doctor_findings *out)
{
  json_t *sa = f->json[DOCTOR_STORAGE];
  char *label = xasprintf("storage account %s", t->storage_account ? t->storage_account : "?");
  static const char hns_title[] = "Hierarchical namespace";
  static const char hns_why[] =
      "Synapse lake databases need an Azure Data Lake Storage Gen2 account: a storage account "
      "with hierarchical namespace enabled.";
  static const char net_title[] = "Storage network access (firewall, public access)";
  static const char net_why[] =
      "Customer Insights and synwiz reach the account over its public endpoint unless the "
      "connection uses Private Link: a firewalled account without Private Link will not be "
      "reachable.";
  static const char pl_title[] = "Private Link";
  static const char pl_why[] =
      "Private Link is only supported when public access to the storage account is disabled; "
      "enabling public access after Private Link is set up won't work: remove the Private Link "
      "setup to re-enable public access.";
  if (!sa) {
    unknown(out, "hns", hns_title, label, hns_why, f->error[DOCTOR_STORAGE]);
    unknown(out, "storage_network", net_title, label, net_why, f->error[DOCTOR_STORAGE]);
    if (t->private_link)
      unknown(out, "private_link", pl_title, label, pl_why, f->error[DOCTOR_STORAGE]);
    free(label);
    return;
  }
  /* ARM leaves isHnsEnabled out when it is false. */
  if (json_path_bool(sa, "properties.isHnsEnabled", false))
    add(out, "hns", WIZ_FINDING_PASS, hns_title, "Enabled: the account is Data Lake Storage Gen2.",
        label, hns_why);
  else
    add(out, "hns", WIZ_FINDING_FAIL, hns_title,
        "Off: this account cannot hold the connection's lake. Choose an account with "
        "hierarchical namespace (it cannot be switched on in place by synwiz).",
        label, hns_why);
  const char *pna = json_path_str(sa, "properties.publicNetworkAccess");
  const char *deny = json_path_str(sa, "properties.networkAcls.defaultAction");
  bool firewall = deny && strcasecmp(deny, "Deny") == 0;
  bool closed = is_disabled(pna) || firewall;
  char *state = xasprintf(
      "Public network access %s; the firewall %s.", is_disabled(pna) ? "disabled" : "enabled",
      firewall ? "denies by default (only listed networks pass)" : "allows all networks");
  if (closed && !t->private_link) {
    char *d = xasprintf("%s The connection does not use Private Link, so the account will not be "
                        "reachable: enable Private Link, or allow access in the account's "
                        "networking settings.",
                        state);
    add(out, "storage_network", WIZ_FINDING_WARN, net_title, d, label, net_why);
    free(d);
  } else {
    char *d = xasprintf("%s%s", state, closed ? " Reached through Private Link." : "");
    add(out, "storage_network", WIZ_FINDING_PASS, net_title, d, label, net_why);
    free(d);
  }
  free(state);
  if (t->private_link) {
    if (!is_disabled(pna))
      add(out, "private_link", WIZ_FINDING_WARN, pl_title,
          "Private Link is chosen but public network access to the account is enabled: Private "
          "Link only works with public access disabled.",
          label, pl_why);
    else if (!has_approved_endpoint(sa))
      add(out, "private_link", WIZ_FINDING_WARN, pl_title,
          "Public access is disabled, but the account has no approved private endpoint yet: "
          "approve the Private Link request on the account (Networking, Private endpoint "
          "connections).",
          label, pl_why);
    else
      add(out, "private_link", WIZ_FINDING_PASS, pl_title,
          "Public access is disabled and a private endpoint is approved.", label, pl_why);
  }
  free(label);
}

static void check_workspace(const struct doctor_target *t, const struct doctor_facts *f,
                            struct doctor_findings *out)
{
  static const char title[] = "Workspace network (data exfiltration protection, public access)";
  static const char why[] =
      "With data exfiltration protection, the workspace reaches only approved targets (an Azure "
      "ML linked service is not supported there); with public network access disabled, its "
      "endpoints are reachable only through private endpoints, and Customer Insights does not "
      "support workspaces behind an IP firewall.";
  char *label = xasprintf("workspace %s", t->workspace_name ? t->workspace_name : "?");
  json_t *ws = f->json[DOCTOR_WORKSPACE];
  if (!ws) {
    const char *e = f->error[DOCTOR_WORKSPACE];
    if (f->status[DOCTOR_WORKSPACE] == 404) {
      char *d = xasprintf("The workspace cannot be found: %s", e ? e : "404");
      add(out, "workspace_network", WIZ_FINDING_FAIL, title, d, label, why);
      free(d);
    } else {
      unknown(out, "workspace_network", title, label, why, e);
    }
    free(label);
    return;
  }
  bool dep =
      json_path_bool(ws, "properties.managedVirtualNetworkSettings.preventDataExfiltration", false);
  const char *pna = json_path_str(ws, "properties.publicNetworkAccess");
  struct strbuf d;
  strbuf_init(&d, 0);
  strbuf_printf(&d, "Data exfiltration protection %s; public network access %s.",
                dep ? "on" : "off", is_disabled(pna) ? "disabled" : "enabled");
  if (dep)
    strbuf_puts(&d, " Outbound traffic goes only to approved targets: an Azure ML linked "
                    "service cannot be created in this workspace.");
  if (is_disabled(pna))
    strbuf_puts(&d, " The workspace's endpoints are reachable only through private endpoints.");
  add(out, "workspace_network", dep || is_disabled(pna) ? WIZ_FINDING_WARN : WIZ_FINDING_PASS,
      title, d.buf, label, why);
  strbuf_done(&d);
  free(label);
}

void doctor_evaluate(const struct doctor_target *t, const struct doctor_caller *who,
                     const struct doctor_facts *facts, struct doctor_findings *out)
{
  check_tenant(t, who, facts, out);
  check_reader(t, who, facts, out);
  check_blob(t, who, facts, false, out);
  check_blob(t, who, facts, true, out);
  check_synapse(t, who, facts, false, out);
  check_synapse(t, who, facts, true, out);
  check_storage(t, facts, out);
  check_workspace(t, facts, out);
}

bool doctor_may_grant_synapse(const struct doctor_target *t, const struct doctor_caller *who,
                              const struct doctor_facts *f)
{
  /* Synapse Administrator (the data action that writes role assignments)... */
  char *scope = synapse_scope(t);
  static const char *const rbac[] = { SYN_RBAC_WRITE };
  struct coverage c;
  synapse_coverage(f->json[DOCTOR_SYNAPSE_RA], f->json[DOCTOR_SYNAPSE_DEFS], who->object_id, scope,
                   rbac, 1, &c);
  strbuf_done(&c.via);
  free(scope);
  if (c.all)
    return true;
  /* ...or Azure Owner on the workspace (behavior.md 5, API.md D.6). */
  size_t i;
  json_t *ra;
  json_array_foreach(items_of(f->json[DOCTOR_USER_RA_WS]), i, ra)
  {
    const char *guid = last_segment(json_path_str(ra, "properties.roleDefinitionId"));
    const char *pid = json_path_str(ra, "properties.principalId");
    const char *ptype = json_path_str(ra, "properties.principalType");
    if ((same_id(pid, who->object_id) || (ptype && strcmp(ptype, "Group") == 0)) &&
        same_id(guid, AZ_ROLE_OWNER) &&
        doctor_scope_covers(json_path_str(ra, "properties.scope"), t->workspace_id))
      return true;
  }
  return false;
}

/* ---- commands for an administrator --------------------------------------------------- */

char *doctor_grant_commands(const struct doctor_grant *g, const char *arm, const char *dev)
{
  char name[UUID_STR_LEN];
  uuid_v4(name);
  struct strbuf sb;
  strbuf_init(&sb, 0);
  if (g->kind == DOCTOR_GRANT_ARM) {
    char *sub = az_arm_id_part(g->scope, "subscriptions");
    strbuf_printf(&sb,
                  "az role assignment create --assignee-object-id %s --assignee-principal-type %s "
                  "--role \"%s\" --scope \"%s\"\n",
                  g->principal_id, g->principal_type, g->role_name, g->scope);
    strbuf_printf(&sb,
                  "synwiz rest --method put --url '%s%s/providers/Microsoft.Authorization/"
                  "roleAssignments/%s?api-version=%s' --body '{\"properties\":{"
                  "\"roleDefinitionId\":\"/subscriptions/%s/providers/Microsoft.Authorization/"
                  "roleDefinitions/%s\",\"principalId\":\"%s\",\"principalType\":\"%s\"}}'",
                  arm ? arm : "https://management.azure.com", g->scope, name, AZ_AUTHZ_VERSION,
                  sub ? sub : "SUBSCRIPTION", g->role_id, g->principal_id, g->principal_type);
    free(sub);
  } else {
    const char *ws = g->scope + strlen("workspaces/");
    strbuf_printf(&sb,
                  "az synapse role assignment create --workspace-name %s --role \"%s\" "
                  "--assignee-object-id %s --assignee-principal-type %s\n",
                  ws, g->role_name, g->principal_id, g->principal_type);
    strbuf_printf(&sb,
                  "synwiz rest --method put --url '%s/roleAssignments/%s?api-version=%s' --body "
                  "'{\"roleId\":\"%s\",\"principalId\":\"%s\",\"scope\":\"%s\","
                  "\"principalType\":\"%s\"}'",
                  dev ? dev : "https://WORKSPACE.dev.azuresynapse.net", name, AZ_SYNAPSE_VERSION,
                  g->role_id, g->principal_id, g->scope, g->principal_type);
  }
  char *text = strbuf_detach(&sb, NULL);
  strbuf_done(&sb);
  return text;
}
