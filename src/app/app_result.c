#include "app/app_result.h"

#include <stddef.h>

#define APP_RESULT_ROW_(code, class, message) [code] = { #code, message, APP_CLASS_##class },
static const struct {
  const char *name;
  const char *message;
  enum app_result_class cls;
} rows[] = { APP_RESULT_TABLE(APP_RESULT_ROW_) };
#undef APP_RESULT_ROW_

static int in_table(enum app_result rc)
{
  return (int)rc >= 0 && (size_t)rc < sizeof(rows) / sizeof(rows[0]);
}

const char *app_result_message(enum app_result rc)
{
  return in_table(rc) ? rows[rc].message : "unknown result";
}

const char *app_result_name(enum app_result rc)
{
  return in_table(rc) ? rows[rc].name : "APP_UNKNOWN";
}

enum app_result_class app_result_class(enum app_result rc)
{
  return in_table(rc) ? rows[rc].cls : APP_CLASS_FAILURE;
}

enum app_result app_result_of_az(enum az_result r)
{
  switch (az_result_class(r)) {
  case AZ_CLASS_OK:
    return APP_OK;
  case AZ_CLASS_LOCAL:
    return APP_INVALID;
  case AZ_CLASS_REFUSED:
    return APP_DENIED;
  case AZ_CLASS_CANCELED:
  case AZ_CLASS_FAILURE:
    break;
  }
  return APP_IO;
}
