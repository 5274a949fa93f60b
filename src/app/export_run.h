/*
 * export_run: one run of a saved export to Azure Synapse Analytics (issue 11, behavior.md
 * W2), and the record every run leaves.
 *
 * A run, in order, stopping at the first failure:
 *   1. the quick check (the doctor's facts, doctor.h): the signed-in identity needs Storage
 *      Blob Data Contributor on the connection's account and a Synapse role that may create
 *      databases; a missing one stops the run before anything is uploaded, naming the role
 *      and `synwiz doctor CONNECTION --fix`. A fact that cannot be read is not a miss: the
 *      upload finds a missing blob role itself (403 AuthorizationPermissionMismatch).
 *   2. each table as CSV partitions (export_table.h; a table kept in a storage account is
 *      first streamed to a private staged file), a failed block retried by the client;
 *   3. model.json at customerinsights/<export>/model.json (export_model.h);
 *   4. the lake database: created when the workspace has none of that name, updated
 *      otherwise (metastore operations, API.md D.5), followed to Created or Failed.
 * Cancel (*cancel set, e.g. by SIGINT) is seen between partitions and steps: the partition
 * in flight either commits whole or never (its blocks stay uncommitted), model.json and the
 * database are not touched, and the run is recorded Canceled.
 *
 * Records: DIR/export_runs/<export id>/<start>-<run id>.json (store.h's DIR), each written
 * atomically: once Processing when the run starts (with the process id and host) and once at
 * its end. A Processing record whose process is gone (killed) is rewritten as Failed
 * ("interrupted") by the next export_run_history() on that host. One run per export at a
 * time: a second one is recorded Skipped. Statuses are Customer Insights' words.
 *
 * Blocking: it runs the app's client loop itself (for the CLI and the refresh command).
 */
#ifndef SYNWIZ_APP_EXPORT_RUN_H
#define SYNWIZ_APP_EXPORT_RUN_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct app_ctx;
struct store;
struct store_export;

enum export_run_status {
  EXPORT_RUN_NOT_STARTED,
  EXPORT_RUN_QUEUED,
  EXPORT_RUN_PROCESSING,
  EXPORT_RUN_SUCCESSFUL,
  EXPORT_RUN_FAILED,
  EXPORT_RUN_CANCELED,
  EXPORT_RUN_SKIPPED,
};

/** "Not started", "Queued", "Processing", "Successful", "Failed", "Canceled", "Skipped". */
const char *export_run_status_name(enum export_run_status s);

/* Where a run is (for a progress line). Bytes are CSV bytes written; totals are the
 * catalog's sizes (an estimate: quoting may change the size a little). */
struct export_run_progress {
  const char *phase; /* "check", "upload", "model", "database" */
  const char *table; /* during "upload" */
  int table_index;   /* from 1 */
  int n_tables;
  int64_t table_bytes, table_total;
  int64_t bytes, total;
  double elapsed_s;
  const char *line; /* what is happening, in words */
};

struct export_run_options {
  struct app_ctx *app;
  const struct store_export *e;
  int64_t partition_bytes; /* 0 = the partitioner's default */
  bool skip_check;         /* no quick check (the upload still finds a missing role) */
  volatile sig_atomic_t *cancel;
  void (*on_progress)(void *ud, const struct export_run_progress *p);
  void *ud;
};

/** Run the export; *out_record (new reference) is what was recorded. */
enum export_run_status export_run(const struct export_run_options *o, json_t **out_record);

/** The export's runs, newest first, at most `max` (0: all), after recording as Failed the
 * runs whose process is gone (new reference, an array; never NULL). */
json_t *export_run_history(struct store *s, const char *export_id, size_t max);

#endif
