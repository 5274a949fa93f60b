/*
 * store_model: custom machine-learning models run from a Synapse pipeline, and their runs
 * ("My predictions", behavior.md W3).
 *
 * A model uses one connection (by id) and one pipeline of the connection's workspace; who
 * sees and changes it follows its connection exactly as for exports (store_export.h):
 * administrators everything, contributors the models on connections shared with them,
 * viewers see what contributors see and change nothing, a detached model (no connection)
 * is seen by every member and changed by administrators only.
 *
 * Use like store_export.h. The mapping (pipeline input column -> Customer Insights table
 * attribute) may be incomplete: a model may be saved as a draft before it can run.
 * Runs are the store's: store_model_put_run() records a run or its new state (appending
 * commutes, so it needs no revision; the store keeps the STORE_MODEL_RUNS_KEPT latest),
 * and store_model_update() keeps the stored runs whatever the caller's struct holds.
 * Removing a model does not remove its output table in Customer Insights (behavior.md 6).
 *
 * Ownership and return conventions: see store.h.
 */
#ifndef SYNWIZ_APP_STORE_MODEL_H
#define SYNWIZ_APP_STORE_MODEL_H

#include "app/app_result.h"
#include "app/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define STORE_MODEL_RUNS_KEPT 50

/* One pipeline input column, mapped to the attribute of a Customer Insights table. */
struct store_model_mapping {
  char *input;     /* the pipeline parameter naming the input table */
  char *column;    /* a column of that input (the pipeline's annotation) */
  char *table;     /* the CI table */
  char *attribute; /* the CI table's attribute */
};

struct store_model_run {
  char *run_id; /* the Synapse pipeline run id */
  char *started_at;
  char *finished_at; /* NULL while it runs */
  char *status;      /* CI status vocabulary */
};

struct store_model {
  struct store_meta meta;
  char *name;            /* unique among models, case-insensitively */
  char *connection_id;   /* NULL: detached, inactive */
  char *connection_name; /* filled on reading, not saved */
  char *pipeline;
  char *output_table; /* ^[A-Za-z][A-Za-z0-9_]*$ */
  char *primary_key;
  char *customer_id_column;
  size_t n_mapping;
  struct store_model_mapping *mapping;
  char *status; /* "Not started" when created without one */
  /* The pipeline's inputs and output as the model was saved against them
   * (app_pipeline_contract_json), or NULL: Edit and Refresh compare it with Synapse's. */
  char *contract;
  char *message; /* why the last run failed (Synapse's words, the activity's error), or NULL */
  size_t n_runs;
  struct store_model_run *runs; /* oldest first */
};

struct store_model_list {
  size_t n;
  struct store_model *items;
};

void store_model_init(struct store_model *m);
void store_model_done(struct store_model *m);
void store_model_list_done(struct store_model_list *list);
void store_model_add_mapping(struct store_model *m, const char *input, const char *column,
                             const char *table, const char *attribute);

enum app_result store_model_list(struct store *s, struct store_model_list *out);
enum app_result store_model_get(struct store *s, const char *id, struct store_model *out);
enum app_result store_model_find(struct store *s, const char *name, struct store_model *out);
enum app_result store_model_create(struct store *s, struct store_model *m);
enum app_result store_model_update(struct store *s, struct store_model *m);
enum app_result store_model_detach(struct store *s, const char *id, long revision);
enum app_result store_model_remove(struct store *s, const char *id, long revision);
/** Record a run, or the new state of a run already recorded (same run_id); the model's
 * status becomes the run's. */
enum app_result store_model_put_run(struct store *s, const char *id,
                                    const struct store_model_run *run);

json_t *store_model_to_json(const struct store_model *m);

#endif
