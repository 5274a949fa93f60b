#include "app/app_model_sources.h"

#include "app/app_ctx.h"
#include "app/app_pipeline.h"
#include "app/app_sources.h"
#include "app/store.h"
#include "app/store_table.h"
#include "azure/az_client.h"
#include "azure/az_synapse.h"
#include "util/jsonpath.h"
#include "util/xalloc.h"
#include "wizard/answers.h"
#include "wizard/wiz_host.h"

#include <stdlib.h>
#include <string.h>

const char *const app_model_source_names[] = {
  "pipelines",
  "pipeline_outputs",
  "pipeline_inputs",
  "pipeline_input_attributes",
  "table_columns", /* ci_tables, the catalog itself, is app_sources.c's (exports pick from it) */
  NULL,
};

bool app_model_sources_has(const char *source)
{
  return wiz_decl_has(app_model_source_names, source);
}

/* The pipelines list in flight. */
struct pipelines_load {
  struct wiz_load *load;
  struct az_call *call;
};

static void deliver(struct wiz_load *load, struct wiz_list *items)
{
  wiz_load_deliver(load, items);
  free(items); /* the engine took the items, not the list's own allocation */
}

static struct wiz_list *list_new(void)
{
  struct wiz_list *l = xmalloc(sizeof(*l));
  wiz_list_init(l);
  return l;
}

static void typed(struct wiz_list *out, const char *name, const char *type)
{
  wiz_item_set_attr(wiz_list_add(out, name, name, type, NULL), "type", type);
}

static void on_pipelines(struct az_call *call, void *ud)
{
  struct pipelines_load *pl = ud;
  struct wiz_load *load = pl->load;
  wiz_load_set_data(load, NULL);
  if (az_call_result(call) != AZ_OK) {
    const struct az_error *e = az_call_error(call);
    char *summary = az_error_summary(e);
    wiz_load_fail(load, summary, e->hint);
    free(summary);
  } else {
    struct wiz_list *items = list_new();
    size_t i;
    json_t *r;
    json_array_foreach(json_path(az_call_json(call), "value"), i, r)
    {
      struct app_pipeline *p = app_pipeline_from_json(r);
      char *detail = p->invalid_reason
                         ? xstrdup("not a custom model")
                         : xasprintf("%zu input%s, %zu output attributes", p->n_inputs,
                                     p->n_inputs == 1 ? "" : "s", p->n_output);
      struct wiz_item *it = wiz_list_add(items, p->name, p->name, detail, p->invalid_reason);
      if (!p->invalid_reason) {
        char *c = app_pipeline_contract_json(p);
        wiz_item_set_attr(it, "contract", c);
        free(c);
      }
      free(detail);
      app_pipeline_delete(p);
    }
    deliver(load, items);
  }
  az_call_delete(pl->call);
  free(pl);
}

static struct app_pipeline *chosen_pipeline(const struct wiz_answers *a)
{
  const struct wiz_item *it = wiz_answers_item(a, "pipeline");
  return it ? app_pipeline_from_contract(it->id, wiz_item_attr(it, "contract")) : NULL;
}

/* The columns of the table chosen (the catalog's record of it), each with its type. */
static void load_columns(struct app_ctx *ctx, const struct wiz_answers *a, struct wiz_load *load)
{
  struct store *s = NULL;
  const char *msg = NULL;
  if (app_ctx_store(ctx, &s, &msg) != APP_OK) {
    wiz_load_fail(load, msg ? msg : "The store cannot be opened.", NULL);
    return;
  }
  struct wiz_list *items = list_new();
  struct store_table t;
  store_table_init(&t);
  const char *name = wiz_answers_text(a, "table");
  if (name && store_table_find(s, name, &t) == APP_OK) {
    for (size_t i = 0; i < t.n_attributes; i++)
      typed(items, t.attributes[i].name, app_pipeline_type_of_cdm(t.attributes[i].data_type));
  }
  store_table_done(&t);
  deliver(load, items);
}

int app_model_sources_start(struct app_ctx *ctx, const char *source,
                            const struct wiz_answers *answers, struct wiz_load *load)
{
  if (!app_model_sources_has(source))
    return -1;
  if (strcmp(source, "table_columns") == 0) {
    load_columns(ctx, answers, load);
    return 0;
  }
  if (strcmp(source, "pipelines") == 0) {
    struct app_workspace_ref ws;
    char *why = NULL;
    if (!app_workspace_from_answers(ctx, answers, &ws, &why)) {
      wiz_load_fail(load, why, NULL);
      free(why);
      return 0;
    }
    struct pipelines_load *pl = xcalloc(1, sizeof(*pl));
    pl->load = load;
    pl->call =
        az_synapse_list_pipelines(app_ctx_client(ctx), ws.dev_endpoint ? ws.dev_endpoint : ws.name);
    app_workspace_ref_done(&ws);
    wiz_load_set_data(load, pl);
    az_call_on_done(pl->call, on_pipelines, pl);
    return 0;
  }
  struct app_pipeline *p = chosen_pipeline(answers);
  struct wiz_list *items = list_new();
  if (p && strcmp(source, "pipeline_inputs") == 0) {
    for (size_t i = 0; i < p->n_inputs; i++) {
      char *detail = xasprintf("%zu attributes", p->inputs[i].n_attrs);
      wiz_list_add(items, p->inputs[i].name, p->inputs[i].name, detail, NULL);
      free(detail);
    }
  } else if (p && strcmp(source, "pipeline_outputs") == 0) {
    for (size_t i = 0; i < p->n_output; i++)
      typed(items, p->output[i].name, p->output[i].type);
  } else if (p) {
    const struct app_pipeline_input *in = app_pipeline_input(p, wiz_answers_text(answers, "input"));
    for (size_t i = 0; in && i < in->n_attrs; i++)
      typed(items, in->attrs[i].name, in->attrs[i].type);
  }
  app_pipeline_delete(p);
  deliver(load, items);
  return 0;
}

void app_model_sources_cancel(struct app_ctx *ctx, struct wiz_load *load)
{
  (void)ctx;
  struct pipelines_load *pl = wiz_load_data(load);
  wiz_load_set_data(load, NULL);
  if (pl) {
    az_call_delete(pl->call);
    free(pl);
  }
}
