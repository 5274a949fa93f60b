/*
 * app_model_sources: the picker sources of the custom-model wizard (forms/model.json), beside
 * the shared ones of app_sources.h (which hands these names over to this file):
 *
 *   pipelines                  reads `connection`: the pipelines of its workspace (one list
 *                              call); each read against the contract (app_pipeline.h): one
 *                              that does not satisfy it is listed but refused with the
 *                              reason. attr "contract" carries the reading to the sources
 *                              below (app_pipeline_contract_json)
 *   pipeline_inputs            reads `pipeline`: its inputs, id = the parameter name
 *   pipeline_input_attributes  reads `pipeline` and the group entry's `input`: that input's
 *                              attributes, attr "type"
 *   pipeline_outputs           reads `pipeline`: its output attributes, attr "type"
 *   ci_tables                  the table catalog (store_table.h): id = name
 *   table_columns              reads `table`: its attributes, attr "type" in the contract's
 *                              words (app_pipeline_type_of_cdm)
 *
 * All but `pipelines` are answered at once from the store or the chosen item.
 */
#ifndef SYNWIZ_APP_APP_MODEL_SOURCES_H
#define SYNWIZ_APP_APP_MODEL_SOURCES_H

#include <stdbool.h>

struct app_ctx;
struct wiz_answers;
struct wiz_load;

extern const char *const app_model_source_names[];

bool app_model_sources_has(const char *source);
/** Start loading; 0, or -1 when the source is not one of these. */
int app_model_sources_start(struct app_ctx *ctx, const char *source,
                            const struct wiz_answers *answers, struct wiz_load *load);
void app_model_sources_cancel(struct app_ctx *ctx, struct wiz_load *load);

#endif
