#include "util/jsonpath.h"

#include <string.h>

json_t *json_path(json_t *root, const char *path)
{
  json_t *cur = root;
  const char *p = path;
  while (cur && *p) {
    const char *dot = strchr(p, '.');
    size_t len = dot ? (size_t)(dot - p) : strlen(p);
    if (!json_is_object(cur))
      return NULL;
    cur = json_object_getn(cur, p, len);
    p += len;
    if (*p == '.')
      p++;
  }
  return cur;
}

const char *json_path_str(json_t *root, const char *path)
{
  return json_string_value(json_path(root, path));
}

bool json_path_bool(json_t *root, const char *path, bool dflt)
{
  json_t *v = json_path(root, path);
  if (json_is_boolean(v))
    return json_is_true(v);
  /* ARM answers some flags as strings ("true"/"Enabled"); callers compare those. */
  return dflt;
}
