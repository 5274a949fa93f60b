/*
 * app_model: the custom-model wizard's host (forms/model.json, behavior.md W3, issue 12),
 * its actions and rules for the registry (app_action.c), in app_host_model.c.
 *
 * Actions (one step table on the runner, app_job.h):
 *   model_save  Save draft: the model's record (store_model.h), complete or not
 *   model_run   Save and run: the record, then, when every attribute of every input is
 *               mapped (else INVALID naming what is missing), a run: each input staged as one
 *               CSV (mapped columns renamed to the pipeline's attribute names, streamed) in
 *               the connection's container under models/NAME/RUN/, createRun with the
 *               inputs' abfss:// URLs, output_datastore and output_path, followed with
 *               backoff (status, current activity, elapsed), the output checked (declared
 *               attributes, types, a unique primary key, the Customer ID and its match rate
 *               against the customer profile table) and registered in the table catalog.
 *               A failure keeps the last good output table and records Synapse's words.
 * Rules: model_name_unique, model_output_table_unique (the catalog's tables, except the
 * bound model's own output table).
 * Edit mode binds the host to a saved model by name (Edit, Refresh: `synwiz model refresh`
 * runs model_run on the bound model).
 */
#ifndef SYNWIZ_APP_APP_MODEL_H
#define SYNWIZ_APP_APP_MODEL_H

#include "app/app_action.h"
#include "app/app_host.h"

struct app_host_base *app_host_model_open(struct app_ctx *app, struct strbuf *why,
                                          enum app_result *out_rc);
extern const struct app_action app_model_actions[];
extern const char *const app_model_rules[];

#endif
