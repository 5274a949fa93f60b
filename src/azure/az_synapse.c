#include "azure/az_synapse.h"
#include "azure/az_ops.h"
#include "azure/az_url.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static bool valid_workspace_name(const char *s)
{
  size_t n = strlen(s);
  if (n == 0 || n > 50)
    return false;
  for (size_t i = 0; i < n; i++) {
    if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
      return false;
  }
  return true;
}

char *az_synapse_endpoint(const struct az_client *c, const char *ws)
{
  if (!ws || !*ws)
    return NULL;
  if (strncasecmp(ws, "https://", 8) == 0) {
    char *e = xstrdup(ws);
    size_t n = strlen(e);
    while (n && e[n - 1] == '/')
      e[--n] = '\0';
    return e;
  }
  if (!valid_workspace_name(ws))
    return NULL;
  return xasprintf("https://%s.%s", ws, az_client_cloud(c)->synapse_dev_suffix);
}

/* {dev} + pattern, with api-version; NULL when the workspace or a name is missing. */
static char *dev_url(struct az_client *c, const char *ws, const char *version, const char *pattern,
                     const char *a, const char *b)
{
  char *dev = az_synapse_endpoint(c, ws);
  if (!dev)
    return NULL;
  char *url = az_url_build(dev, pattern, a, b);
  free(dev);
  return az_url_with_version(url, version);
}

struct az_call *az_synapse_list_pipelines(struct az_client *c, const char *ws)
{
  return az_op_list(c, dev_url(c, ws, AZ_SYNAPSE_VERSION, "/pipelines", NULL, NULL), "workspace");
}

struct az_call *az_synapse_get_pipeline(struct az_client *c, const char *ws, const char *name)
{
  return az_op_get(c, dev_url(c, ws, AZ_SYNAPSE_VERSION, "/pipelines/{}", name, NULL), "pipeline");
}

struct az_call *az_synapse_create_run(struct az_client *c, const char *ws, const char *name,
                                      json_t *parameters)
{
  char *url = dev_url(c, ws, AZ_SYNAPSE_VERSION, "/pipelines/{}/createRun", name, NULL);
  return az_op_send(c, "POST", url, parameters ? parameters : json_object(), NULL, "pipeline");
}

struct az_call *az_synapse_get_run(struct az_client *c, const char *ws, const char *run_id)
{
  return az_op_get(c, dev_url(c, ws, AZ_SYNAPSE_VERSION, "/pipelineruns/{}", run_id, NULL),
                   "pipeline run");
}

static void iso_time(time_t t, char out[32])
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

struct az_call *az_synapse_query_activity_runs(struct az_client *c, const char *ws,
                                               const char *pipeline, const char *run_id,
                                               const char *after, const char *before)
{
  char *url = dev_url(c, ws, AZ_SYNAPSE_VERSION, "/pipelines/{}/pipelineruns/{}/queryActivityruns",
                      pipeline, run_id);
  if (!url)
    return az_call_failed(c, AZ_E_INVALID_ARG, "the pipeline run is not fully named");
  char a[32], b[32];
  time_t now = time(NULL);
  iso_time(now - 30 * 86400, a);
  iso_time(now + 86400, b);
  json_t *body = json_pack("{s:s, s:s}", "lastUpdatedAfter", after ? after : a, "lastUpdatedBefore",
                           before ? before : b);
  struct az_request_options opts = { 0 };
  opts.read_only = true;
  opts.idempotent = true;
  struct az_list_spec spec = { "POST", url, body, AZ_PAGING_BODY_TOKEN, &opts };
  struct az_call *call = az_list_start(c, &spec);
  json_decref(body);
  free(url);
  return call;
}

struct az_call *az_synapse_cancel_run(struct az_client *c, const char *ws, const char *run_id)
{
  char *url = dev_url(c, ws, AZ_SYNAPSE_VERSION, "/pipelineruns/{}/cancel", run_id, NULL);
  struct az_request_options opts = { 0 };
  opts.idempotent = true; /* cancelling a cancelled run changes nothing */
  return az_op_send(c, "POST", url, NULL, &opts, "pipeline run");
}

struct az_call *az_synapse_list_linked_services(struct az_client *c, const char *ws)
{
  return az_op_list(c, dev_url(c, ws, AZ_SYNAPSE_VERSION, "/linkedservices", NULL, NULL),
                    "workspace");
}

struct az_call *az_synapse_get_linked_service(struct az_client *c, const char *ws, const char *name)
{
  return az_op_get(c, dev_url(c, ws, AZ_SYNAPSE_VERSION, "/linkedservices/{}", name, NULL),
                   "linked service");
}

struct az_call *az_synapse_put_linked_service(struct az_client *c, const char *ws, const char *name,
                                              json_t *properties)
{
  char *url = dev_url(c, ws, AZ_SYNAPSE_VERSION, "/linkedservices/{}", name, NULL);
  char *read_back = url ? xstrdup(url) : NULL;
  json_t *body =
      json_pack("{s:s?, s:o}", "name", name, "properties", properties ? properties : json_object());
  return az_op_lro(c, "PUT", url, body, read_back, false, "linked service");
}

struct az_call *az_synapse_delete_linked_service(struct az_client *c, const char *ws,
                                                 const char *name)
{
  char *url = dev_url(c, ws, AZ_SYNAPSE_VERSION, "/linkedservices/{}", name, NULL);
  return az_op_lro(c, "DELETE", url, NULL, NULL, false, "linked service");
}

struct az_call *az_synapse_list_role_assignments(struct az_client *c, const char *ws,
                                                 const char *role_id, const char *principal_id,
                                                 const char *scope)
{
  char *url = dev_url(c, ws, AZ_SYNAPSE_VERSION, "/roleAssignments", NULL, NULL);
  if (!url)
    return az_call_failed(c, AZ_E_INVALID_ARG, "the workspace is not named");
  struct az_url u;
  az_url_init(&u, url);
  free(url);
  if (role_id)
    az_url_query(&u, "roleId", role_id);
  if (principal_id)
    az_url_query(&u, "principalId", principal_id);
  if (scope)
    az_url_query(&u, "scope", scope);
  url = az_url_finish(&u);
  az_url_done(&u);
  struct az_list_spec spec = { "GET", url, NULL, AZ_PAGING_CONTINUATION_HEADER, NULL };
  struct az_call *call = az_list_start(c, &spec);
  free(url);
  return call;
}

/* The workspace name, from a name or a dev endpoint URL. */
static char *workspace_name(const char *ws)
{
  if (strncasecmp(ws, "https://", 8) != 0)
    return xstrdup(ws);
  const char *h = ws + 8;
  return xstrndup(h, strcspn(h, "."));
}

struct az_call *az_synapse_create_role_assignment(struct az_client *c, const char *ws,
                                                  const char *role_id, const char *principal_id,
                                                  const char *principal_type, const char *scope)
{
  if (!ws || !role_id || !principal_id)
    return az_call_failed(c, AZ_E_INVALID_ARG,
                          "a Synapse role assignment needs a workspace, a "
                          "role and a principal");
  char id[UUID_STR_LEN];
  uuid_v4(id);
  char *url = dev_url(c, ws, AZ_SYNAPSE_VERSION, "/roleAssignments/{}", id, NULL);
  char *name = workspace_name(ws);
  char *default_scope = xasprintf("workspaces/%s", name);
  free(name);
  json_t *body = json_pack("{s:s, s:s, s:s}", "roleId", role_id, "principalId", principal_id,
                           "scope", scope ? scope : default_scope);
  if (principal_type)
    json_object_set_new(body, "principalType", json_string(principal_type));
  free(default_scope);
  return az_op_send(c, "PUT", url, body, NULL, "Synapse role assignment");
}

struct az_call *az_synapse_delete_role_assignment(struct az_client *c, const char *ws,
                                                  const char *assignment_id)
{
  return az_op_send(c, "DELETE",
                    dev_url(c, ws, AZ_SYNAPSE_VERSION, "/roleAssignments/{}", assignment_id, NULL),
                    NULL, NULL, "Synapse role assignment");
}

struct az_call *az_synapse_list_role_definitions(struct az_client *c, const char *ws)
{
  char *url = dev_url(c, ws, AZ_SYNAPSE_VERSION, "/roleDefinitions", NULL, NULL);
  if (!url)
    return az_call_failed(c, AZ_E_INVALID_ARG, "the workspace is not named");
  struct az_list_spec spec = { "GET", url, NULL, AZ_PAGING_NONE, NULL };
  struct az_call *call = az_list_start(c, &spec);
  free(url);
  return call;
}

struct az_call *az_synapse_check_access(struct az_client *c, const char *ws,
                                        const char *principal_id, const char *const *actions,
                                        size_t n_actions, const char *scope)
{
  char *url = dev_url(c, ws, AZ_SYNAPSE_VERSION, "/checkAccessSynapseRbac", NULL, NULL);
  if (!url || !principal_id || !*principal_id || n_actions == 0) {
    free(url);
    return az_call_failed(c, AZ_E_INVALID_ARG,
                          "a Synapse access check needs a workspace, a principal and actions");
  }
  json_t *list = json_array();
  for (size_t i = 0; i < n_actions; i++)
    json_array_append_new(list, json_pack("{s:s, s:b}", "id", actions[i], "isDataAction", 1));
  char *name = workspace_name(ws);
  char *default_scope = xasprintf("workspaces/%s", name);
  free(name);
  json_t *body = json_pack("{s:{s:s, s:[]}, s:o, s:s}", "subject", "principalId", principal_id,
                           "groupIds", "actions", list, "scope", scope ? scope : default_scope);
  free(default_scope);
  struct az_request_options opts = { 0 };
  opts.read_only = true;
  opts.idempotent = true;
  return az_op_send(c, "POST", url, body, &opts, "workspace");
}

struct az_call *az_synapse_create_database(struct az_client *c, const char *ws,
                                           const char *database, const char *input_folder)
{
  char *url = dev_url(c, ws, AZ_SYNAPSE_METASTORE_VERSION,
                      "/metastore/create-database-operations/{}", database, NULL);
  json_t *body = json_pack("{s:s?}", "inputFolder", input_folder);
  return az_op_send(c, "PUT", url, body, NULL, "database");
}

struct az_call *az_synapse_update_database(struct az_client *c, const char *ws,
                                           const char *database, const char *input_folder)
{
  char *url = dev_url(c, ws, AZ_SYNAPSE_METASTORE_VERSION,
                      "/metastore/update-database-operations/{}", database, NULL);
  json_t *body = json_pack("{s:s?}", "inputFolder", input_folder);
  return az_op_send(c, "PUT", url, body, NULL, "database");
}

struct az_call *az_synapse_get_database_status(struct az_client *c, const char *ws,
                                               const char *database)
{
  return az_op_get(c,
                   dev_url(c, ws, AZ_SYNAPSE_METASTORE_VERSION,
                           "/metastore/create-database-operations/{}", database, NULL),
                   "database");
}

struct az_call *az_synapse_delete_database(struct az_client *c, const char *ws,
                                           const char *database)
{
  return az_op_send(
      c, "DELETE",
      dev_url(c, ws, AZ_SYNAPSE_METASTORE_VERSION, "/metastore/databases/{}", database, NULL), NULL,
      NULL, "database");
}
