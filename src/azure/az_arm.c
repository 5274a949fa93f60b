#include "azure/az_arm.h"
#include "azure/az_ops.h"
#include "azure/az_url.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *arm(struct az_client *c)
{
  return az_client_cloud(c)->resource_manager;
}

struct az_call *az_arm_list_subscriptions(struct az_client *c)
{
  char *url = az_url_build(arm(c), "/subscriptions");
  return az_op_list(c, az_url_with_version(url, AZ_ARM_SUBSCRIPTIONS_VERSION), "subscription");
}

struct az_call *az_arm_list_resource_groups(struct az_client *c, const char *sub)
{
  char *url = az_url_build(arm(c), "/subscriptions/{}/resourcegroups", sub);
  return az_op_list(c, az_url_with_version(url, AZ_ARM_RESOURCES_VERSION), "subscription");
}

struct az_call *az_arm_list_workspaces(struct az_client *c, const char *sub)
{
  char *url = az_url_build(arm(c), "/subscriptions/{}/providers/Microsoft.Synapse/workspaces", sub);
  return az_op_list(c, az_url_with_version(url, AZ_ARM_SYNAPSE_VERSION), "subscription");
}

struct az_call *az_arm_list_workspaces_in_group(struct az_client *c, const char *sub,
                                                const char *rg)
{
  char *url = az_url_build(
      arm(c), "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Synapse/workspaces", sub,
      rg);
  return az_op_list(c, az_url_with_version(url, AZ_ARM_SYNAPSE_VERSION), "resource group");
}

static char *workspace_url(struct az_client *c, const char *sub, const char *rg, const char *ws,
                           const char *tail)
{
  char *url = az_url_build(
      arm(c), "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Synapse/workspaces/{}", sub,
      rg, ws);
  if (url && tail) {
    char *full = xasprintf("%s%s", url, tail);
    free(url);
    url = full;
  }
  return az_url_with_version(url, AZ_ARM_SYNAPSE_VERSION);
}

struct az_call *az_arm_get_workspace(struct az_client *c, const char *sub, const char *rg,
                                     const char *ws)
{
  return az_op_get(c, workspace_url(c, sub, rg, ws, NULL), "workspace");
}

struct az_call *az_arm_list_spark_pools(struct az_client *c, const char *sub, const char *rg,
                                        const char *ws)
{
  return az_op_list(c, workspace_url(c, sub, rg, ws, "/bigDataPools"), "workspace");
}

struct az_call *az_arm_list_integration_runtimes(struct az_client *c, const char *sub,
                                                 const char *rg, const char *ws)
{
  return az_op_list(c, workspace_url(c, sub, rg, ws, "/integrationRuntimes"), "workspace");
}

struct az_call *az_arm_get_integration_runtime_status(struct az_client *c, const char *sub,
                                                      const char *rg, const char *ws,
                                                      const char *ir)
{
  char *base = az_url_build(arm(c),
                            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Synapse/"
                            "workspaces/{}/integrationRuntimes/{}/getStatus",
                            sub, rg, ws, ir);
  struct az_request_options opts = { 0 };
  opts.read_only = true;
  opts.idempotent = true;
  return az_op_send(c, "POST", az_url_with_version(base, AZ_ARM_SYNAPSE_VERSION), NULL, &opts,
                    "integration runtime");
}

struct az_call *az_arm_list_storage_accounts(struct az_client *c, const char *sub)
{
  char *url =
      az_url_build(arm(c), "/subscriptions/{}/providers/Microsoft.Storage/storageAccounts", sub);
  return az_op_list(c, az_url_with_version(url, AZ_ARM_STORAGE_VERSION), "subscription");
}

static char *account_url(struct az_client *c, const char *sub, const char *rg, const char *acct,
                         const char *tail, const char *name)
{
  char *url = az_url_build(
      arm(c), "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Storage/storageAccounts/{}",
      sub, rg, acct);
  if (url && tail) {
    char *full = xasprintf("%s%s", url, tail);
    free(url);
    url = full;
  }
  if (url && name) {
    char *full = az_url_build(url, "/{}", name);
    free(url);
    url = full;
  }
  return az_url_with_version(url, AZ_ARM_STORAGE_VERSION);
}

struct az_call *az_arm_get_storage_account(struct az_client *c, const char *sub, const char *rg,
                                           const char *acct)
{
  return az_op_get(c, account_url(c, sub, rg, acct, NULL, NULL), "storage account");
}

struct az_call *az_arm_list_containers(struct az_client *c, const char *sub, const char *rg,
                                       const char *acct)
{
  return az_op_list(c, account_url(c, sub, rg, acct, "/blobServices/default/containers", NULL),
                    "storage account");
}

struct az_call *az_arm_create_container(struct az_client *c, const char *sub, const char *rg,
                                        const char *acct, const char *container)
{
  char *url = account_url(c, sub, rg, acct, "/blobServices/default/containers", container);
  json_t *body = json_pack("{s:{s:s}}", "properties", "publicAccess", "None");
  return az_op_send(c, "PUT", url, body, NULL, "container");
}

struct az_call *az_arm_list_ml_workspaces(struct az_client *c, const char *sub)
{
  char *url = az_url_build(
      arm(c), "/subscriptions/{}/providers/Microsoft.MachineLearningServices/workspaces", sub);
  return az_op_list(c, az_url_with_version(url, AZ_ARM_ML_VERSION), "subscription");
}

struct az_call *az_arm_get_ml_workspace(struct az_client *c, const char *sub, const char *rg,
                                        const char *ws)
{
  char *url = az_url_build(arm(c),
                           "/subscriptions/{}/resourceGroups/{}/providers/"
                           "Microsoft.MachineLearningServices/workspaces/{}",
                           sub, rg, ws);
  return az_op_get(c, az_url_with_version(url, AZ_ARM_ML_VERSION), "Azure ML workspace");
}

char *az_arm_id_part(const char *id, const char *key)
{
  if (!id)
    return NULL;
  size_t kl = strlen(key);
  const char *p = id;
  while ((p = strchr(p, '/'))) {
    p++;
    if (strncasecmp(p, key, kl) == 0 && p[kl] == '/') {
      const char *v = p + kl + 1;
      size_t n = strcspn(v, "/");
      return n ? xstrndup(v, n) : NULL;
    }
  }
  return NULL;
}
