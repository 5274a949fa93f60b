#include "azure/az_ops.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static struct az_call *missing(struct az_client *c, const char *what)
{
  return az_call_failed(c, AZ_E_INVALID_ARG, "the %s is not fully named (an empty name or id)",
                        what);
}

struct az_call *az_op_get(struct az_client *c, char *url, const char *what)
{
  if (!url)
    return missing(c, what);
  struct az_call *call = az_call_request(c, "GET", url, NULL, NULL);
  free(url);
  return call;
}

struct az_call *az_op_list(struct az_client *c, char *url, const char *what)
{
  if (!url)
    return missing(c, what);
  struct az_call *call = az_call_list(c, url, NULL);
  free(url);
  return call;
}

static char *body_text(json_t *body)
{
  return body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
}

struct az_call *az_op_send(struct az_client *c, const char *method, char *url, json_t *body,
                           const struct az_request_options *opts, const char *what)
{
  if (!url) {
    json_decref(body);
    return missing(c, what);
  }
  char *text = body_text(body);
  json_decref(body);
  struct az_call *call = az_call_request(c, method, url, text, opts);
  xfree_secret(text);
  free(url);
  return call;
}

struct az_call *az_op_lro(struct az_client *c, const char *method, char *url, json_t *body,
                          char *read_back_url, bool final_get, const char *what)
{
  if (!url) {
    json_decref(body);
    free(read_back_url);
    return missing(c, what);
  }
  char *text = body_text(body);
  json_decref(body);
  struct az_lro_spec spec = { 0 };
  spec.method = method;
  spec.url = url;
  spec.body = text;
  spec.read_back_url = read_back_url;
  spec.final_get = final_get;
  struct az_call *call = az_lro_start(c, &spec);
  xfree_secret(text);
  free(url);
  free(read_back_url);
  return call;
}
