#include "azure/az_graph.h"
#include "azure/az_ops.h"
#include "azure/az_url.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

bool az_graph_is_guid(const char *s)
{
  static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  if (!s || strlen(s) != sizeof(shape) - 1)
    return false;
  for (size_t i = 0; shape[i]; i++) {
    if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
      return false;
  }
  return true;
}

/* NULL (with the call failing) when the profile has no Graph or the id is not a GUID. */
static struct az_call *refuse(struct az_client *c, const char *id)
{
  const struct az_cloud *cloud = az_client_cloud(c);
  if (!cloud->microsoft_graph || !cloud->graph_scope)
    return az_call_failed(c, AZ_E_CONFIG,
                          "the cloud profile %s names no Microsoft Graph endpoint "
                          "(microsoft_graph)",
                          cloud->name);
  if (!az_graph_is_guid(id))
    return az_call_failed(c, AZ_E_INVALID_ARG, "'%s' is not a GUID", id ? id : "");
  return NULL;
}

static struct az_call *get(struct az_client *c, const char *collection, const char *id,
                           const char *what)
{
  struct az_call *bad = refuse(c, id);
  if (bad)
    return bad;
  char *url = az_url_build(az_client_cloud(c)->microsoft_graph, "/{}/{}/{}", AZ_GRAPH_VERSION,
                           collection, id);
  return az_op_get(c, url, what);
}

static struct az_call *find(struct az_client *c, const char *collection, const char *app_id,
                            const char *what)
{
  struct az_call *bad = refuse(c, app_id);
  if (bad)
    return bad;
  char *base =
      az_url_build(az_client_cloud(c)->microsoft_graph, "/{}/{}", AZ_GRAPH_VERSION, collection);
  struct az_url u;
  az_url_init(&u, base);
  free(base);
  char *filter = xasprintf("appId eq '%s'", app_id);
  az_url_query(&u, "$filter", filter);
  free(filter);
  char *url = az_url_finish(&u);
  az_url_done(&u);
  return az_op_get(c, url, what);
}

struct az_call *az_graph_get_service_principal(struct az_client *c, const char *object_id)
{
  return get(c, "servicePrincipals", object_id, "service principal");
}

struct az_call *az_graph_find_service_principal(struct az_client *c, const char *app_id)
{
  return find(c, "servicePrincipals", app_id, "application id");
}

struct az_call *az_graph_get_application(struct az_client *c, const char *object_id)
{
  return get(c, "applications", object_id, "application");
}

struct az_call *az_graph_find_application(struct az_client *c, const char *app_id)
{
  return find(c, "applications", app_id, "application id");
}
