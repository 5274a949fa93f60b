#include "wizard/wiz_result.h"

#include <stddef.h>

static const char *const messages[] = {
#define WIZ_RESULT_MSG(name, msg) msg,
  WIZ_RESULT_TABLE(WIZ_RESULT_MSG)
#undef WIZ_RESULT_MSG
};

static const char *const names[] = {
#define WIZ_RESULT_NAME(name, msg) #name,
  WIZ_RESULT_TABLE(WIZ_RESULT_NAME)
#undef WIZ_RESULT_NAME
};

const char *wiz_strerror(enum wiz_result r)
{
  if ((size_t)r >= sizeof(messages) / sizeof(messages[0]))
    return "unknown result";
  return messages[r];
}

const char *wiz_result_name(enum wiz_result r)
{
  if ((size_t)r >= sizeof(names) / sizeof(names[0]))
    return "WIZ_E_UNKNOWN";
  return names[r];
}
