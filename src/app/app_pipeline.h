/*
 * app_pipeline: a Synapse pipeline read against the custom-model contract
 * (docs/ARCHITECTURE.md section 8): its inputs (each a String parameter with the attributes
 * the synwiz annotation declares for it), its output attributes, and, when it does not
 * satisfy the contract, the reason the model wizard lists it but refuses it.
 *
 * app_pipeline_from_json() reads a pipeline resource as Synapse answers it (GET or one item
 * of the list); app_pipeline_contract_json() / app_pipeline_from_contract() carry the
 * reading through a picker item's attribute "contract" and the store, so that the sources
 * of the later steps need no second call. Types are the contract's (String, Guid, Int64,
 * Double, Boolean, DateTime); app_pipeline_type_of_cdm() turns a catalog attribute's CDM
 * data type into one of them, so that the mapping kind compares like with like.
 *
 * Ownership: every string is owned; app_pipeline_delete(NULL) is a no-op.
 */
#ifndef SYNWIZ_APP_APP_PIPELINE_H
#define SYNWIZ_APP_APP_PIPELINE_H

#include <jansson.h>
#include <stddef.h>

struct app_pipeline_attr {
  char *name;
  char *type;
};

struct app_pipeline_input {
  char *name; /* the pipeline parameter (and the input's name in the wizard) */
  size_t n_attrs;
  struct app_pipeline_attr *attrs;
};

struct app_pipeline {
  char *name;
  char *invalid_reason; /* NULL: the pipeline satisfies the contract */
  size_t n_inputs;
  struct app_pipeline_input *inputs;
  size_t n_output;
  struct app_pipeline_attr *output;
};

/** Read a pipeline resource ({"name", "properties": {...}}); never NULL. */
struct app_pipeline *app_pipeline_from_json(json_t *resource);
/** From app_pipeline_contract_json()'s text; NULL when it does not parse. */
struct app_pipeline *app_pipeline_from_contract(const char *name, const char *contract);
/** {"inputs": {NAME: [{"name","type"}...]}, "output": [...]} (fresh heap string). */
char *app_pipeline_contract_json(const struct app_pipeline *p);
const struct app_pipeline_input *app_pipeline_input(const struct app_pipeline *p, const char *name);
/** The output attribute `name` (ignoring case), or NULL. */
const struct app_pipeline_attr *app_pipeline_output(const struct app_pipeline *p, const char *name);
void app_pipeline_delete(struct app_pipeline *p);

/** "guid" -> "Guid", "decimal" -> "Double"...; unknown names are "String". */
const char *app_pipeline_type_of_cdm(const char *cdm);

#endif
