#include "azure/az_result.h"

#include <stddef.h>

struct result_info {
  const char *name;
  enum az_result_class cls;
  const char *message;
};

static const struct result_info infos[] = {
#define AZ_RESULT_INFO(code, cls, msg) { #code, cls, msg },
  AZ_RESULT_TABLE(AZ_RESULT_INFO)
#undef AZ_RESULT_INFO
};

static const struct result_info *info(enum az_result r)
{
  size_t i = (size_t)r;
  if (i >= sizeof(infos) / sizeof(infos[0]))
    return NULL;
  return &infos[i];
}

const char *az_result_str(enum az_result r)
{
  const struct result_info *in = info(r);
  return in ? in->message : "unknown error";
}

const char *az_result_name(enum az_result r)
{
  const struct result_info *in = info(r);
  return in ? in->name : "AZ_E_UNKNOWN";
}

enum az_result_class az_result_class(enum az_result r)
{
  const struct result_info *in = info(r);
  return in ? in->cls : AZ_CLASS_FAILURE;
}

enum az_result az_result_from_status(int status)
{
  if (status >= 200 && status < 400)
    return AZ_OK;
  switch (status) {
  case 401:
    return AZ_E_UNAUTHORIZED;
  case 403:
    return AZ_E_FORBIDDEN;
  case 404:
  case 410:
    return AZ_E_NOT_FOUND;
  case 409:
  case 412:
    return AZ_E_CONFLICT;
  case 408:
  case 504:
    return AZ_E_TIMEOUT;
  case 429:
    return AZ_E_THROTTLED;
  default:
    break;
  }
  if (status >= 500)
    return AZ_E_SERVICE;
  if (status >= 400)
    return AZ_E_BAD_REQUEST;
  return AZ_E_BAD_RESPONSE; /* 0 or 1xx: no usable answer */
}
