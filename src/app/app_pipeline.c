#include "app/app_pipeline.h"

#include "util/jsonpath.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const types[] = { "String",  "Guid",     "Int64", "Double",
                                     "Boolean", "DateTime", NULL };

static bool type_known(const char *t)
{
  for (size_t i = 0; t && types[i]; i++)
    if (strcmp(types[i], t) == 0)
      return true;
  return false;
}

const char *app_pipeline_type_of_cdm(const char *cdm)
{
  static const struct {
    const char *cdm, *type;
  } map[] = {
    { "guid", "Guid" },         { "int64", "Int64" },    { "int32", "Int64" },
    { "double", "Double" },     { "decimal", "Double" }, { "boolean", "Boolean" },
    { "dateTime", "DateTime" }, { "date", "DateTime" },  { "string", "String" },
  };
  for (size_t i = 0; cdm && i < sizeof(map) / sizeof(map[0]); i++)
    if (strcasecmp(map[i].cdm, cdm) == 0)
      return map[i].type;
  return "String";
}

/* Read [{"name","type"}...]; false (and the reason) when an entry is not one. */
static bool read_attrs(json_t *arr, struct app_pipeline_attr **out, size_t *out_n)
{
  if (!json_is_array(arr))
    return false;
  *out = xcalloc(json_array_size(arr) + 1, sizeof(**out));
  size_t i;
  json_t *a;
  json_array_foreach(arr, i, a)
  {
    const char *name = json_path_str(a, "name");
    const char *type = json_path_str(a, "type");
    if (!name || !*name || !type_known(type))
      return false;
    (*out)[*out_n].name = xstrdup(name);
    (*out)[*out_n].type = xstrdup(type);
    (*out_n)++;
  }
  return true;
}

static void set_reason(struct app_pipeline *p, char *why)
{
  if (!p->invalid_reason)
    p->invalid_reason = why;
  else
    free(why);
}

/* The annotation {"synwiz": {...}} of the pipeline's annotations, or NULL. */
static json_t *annotation(json_t *props)
{
  size_t i;
  json_t *a;
  json_array_foreach(json_object_get(props, "annotations"), i, a)
  {
    json_t *s = json_object_get(a, "synwiz");
    if (json_is_object(s))
      return s;
  }
  return NULL;
}

static void read_contract(struct app_pipeline *p, json_t *c, json_t *params)
{
  const char *key;
  json_t *v;
  json_object_foreach(json_object_get(c, "inputs"), key, v)
  {
    p->inputs = xrealloc(p->inputs, (p->n_inputs + 1) * sizeof(*p->inputs));
    struct app_pipeline_input *in = &p->inputs[p->n_inputs++];
    memset(in, 0, sizeof(*in));
    in->name = xstrdup(key);
    if (!read_attrs(v, &in->attrs, &in->n_attrs) || in->n_attrs == 0)
      set_reason(p, xasprintf("The input \"%s\" declares no attributes (each needs a name and "
                              "one of the types String, Guid, Int64, Double, Boolean, DateTime).",
                              key));
    json_t *param = params ? json_object_get(params, key) : NULL;
    if (params && !json_is_object(param))
      set_reason(p, xasprintf("The input \"%s\" is not a parameter of the pipeline.", key));
  }
  if (!read_attrs(json_object_get(c, "output"), &p->output, &p->n_output) || p->n_output == 0)
    set_reason(p, xstrdup("No output schema: the pipeline's synwiz annotation declares no "
                          "output attributes."));
}

struct app_pipeline *app_pipeline_from_json(json_t *resource)
{
  struct app_pipeline *p = xcalloc(1, sizeof(*p));
  const char *name = json_path_str(resource, "name");
  p->name = xstrdup(name ? name : "");
  json_t *props = json_object_get(resource, "properties");
  json_t *params = json_object_get(props, "parameters");
  bool has_path = json_object_get(params, "output_path") != NULL;
  bool has_store = json_object_get(params, "output_datastore") != NULL;
  if (!has_path || !has_store)
    set_reason(p, xasprintf("No %s parameter: Customer Insights tells the pipeline where to "
                            "write its results through output_path and output_datastore.",
                            !has_path && !has_store ? "output_path or output_datastore"
                            : !has_path             ? "output_path"
                                                    : "output_datastore"));
  json_t *c = annotation(props);
  if (!c)
    set_reason(p, xstrdup("No output schema: the pipeline has no synwiz annotation declaring "
                          "its inputs and output."));
  else
    read_contract(p, c, json_is_object(params) ? params : json_object());
  if (c && p->n_inputs == 0)
    set_reason(p, xstrdup("The pipeline declares no input table."));
  return p;
}

static json_t *attrs_json(const struct app_pipeline_attr *a, size_t n)
{
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, json_pack("{s:s, s:s}", "name", a[i].name, "type", a[i].type));
  return arr;
}

char *app_pipeline_contract_json(const struct app_pipeline *p)
{
  json_t *inputs = json_object();
  for (size_t i = 0; i < p->n_inputs; i++)
    json_object_set_new(inputs, p->inputs[i].name,
                        attrs_json(p->inputs[i].attrs, p->inputs[i].n_attrs));
  json_t *j =
      json_pack("{s:o, s:o}", "inputs", inputs, "output", attrs_json(p->output, p->n_output));
  char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(j);
  char *out = xstrdup(s ? s : "{}");
  free(s);
  return out;
}

struct app_pipeline *app_pipeline_from_contract(const char *name, const char *contract)
{
  json_t *c = contract ? json_loads(contract, 0, NULL) : NULL;
  if (!json_is_object(c)) {
    json_decref(c);
    return NULL;
  }
  struct app_pipeline *p = xcalloc(1, sizeof(*p));
  p->name = xstrdup(name ? name : "");
  read_contract(p, c, NULL);
  json_decref(c);
  return p;
}

const struct app_pipeline_input *app_pipeline_input(const struct app_pipeline *p, const char *name)
{
  for (size_t i = 0; p && name && i < p->n_inputs; i++)
    if (strcasecmp(p->inputs[i].name, name) == 0)
      return &p->inputs[i];
  return NULL;
}

const struct app_pipeline_attr *app_pipeline_output(const struct app_pipeline *p, const char *name)
{
  for (size_t i = 0; p && name && i < p->n_output; i++)
    if (strcasecmp(p->output[i].name, name) == 0)
      return &p->output[i];
  return NULL;
}

static void attrs_free(struct app_pipeline_attr *a, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    free(a[i].name);
    free(a[i].type);
  }
  free(a);
}

void app_pipeline_delete(struct app_pipeline *p)
{
  if (!p)
    return;
  for (size_t i = 0; i < p->n_inputs; i++) {
    free(p->inputs[i].name);
    attrs_free(p->inputs[i].attrs, p->inputs[i].n_attrs);
  }
  free(p->inputs);
  attrs_free(p->output, p->n_output);
  free(p->name);
  free(p->invalid_reason);
  free(p);
}
