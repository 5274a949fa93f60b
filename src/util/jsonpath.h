/*
 * jsonpath: reading nested members of Azure's JSON answers without a NULL check per level.
 * `path` is dot-separated object keys ("properties.defaultDataLakeStorage.accountUrl");
 * every result is borrowed from `root` (Jansson's reference rules: do not decref it). A
 * missing member, or one of another type, gives NULL / the default.
 */
#ifndef SYNWIZ_UTIL_JSONPATH_H
#define SYNWIZ_UTIL_JSONPATH_H

#include <jansson.h>
#include <stdbool.h>

json_t *json_path(json_t *root, const char *path);
const char *json_path_str(json_t *root, const char *path);
bool json_path_bool(json_t *root, const char *path, bool dflt);

#endif
