/*
 * export_table: one table of an export run, written to the connection's storage (issue 11):
 * read once, streaming (csv_reader), cut into partitions (export_partitioner.h), each
 * uploaded with block upload (az_blob_upload_file: parallel Put Block, retried per block by
 * the client's pipeline, one Put Block List) under
 * customerinsights/<export>/<Table>/<yyyy>/<MM>/<dd>/<HHmm>/<Table>_<n>.csv, and added to
 * the run's model.json (export_model.h) with its dfs URL, as Synapse reads it.
 *
 * Blocking (az_call_wait), for the CLI and for the action runner's worker; memory is one
 * csv_writer block plus the upload's in-flight ranges (read from the staged file), whatever
 * the table's size. A partition whose upload failed is never committed (its blocks are
 * left uncommitted, which Azure discards) and its staged file is removed.
 *
 * A table in a storage account is read the same way, each of its parts downloaded to the
 * stage first (bounded memory; disk: one part and one partition), with the signed-in
 * identity (it needs a Storage Blob Data role on the source too). Not yet a server-side
 * copy: the bytes pass through this machine. The data must still have the columns the
 * catalog recorded (else APP_INVALID: add the table again).
 */
#ifndef SYNWIZ_APP_EXPORT_TABLE_H
#define SYNWIZ_APP_EXPORT_TABLE_H

#include "app/app_result.h"
#include "app/export_model.h"
#include "app/store_table.h"

#include <stdint.h>
#include <time.h>

struct az_client;
struct az_error;
struct az_storage_account;

struct export_table_options {
  struct az_client *client;
  const struct az_storage_account *account; /* the connection's account */
  const char *container;                    /* the connection's container */
  const char *export_name;
  time_t run_start;
  int64_t partition_bytes; /* 0 = EXPORT_PARTITION_BYTES_DEFAULT */
  const char *temp_dir;    /* where partitions are staged (private) */
  struct export_model *model;
  /* Optional: after each partition's upload, the table's totals so far. */
  void (*on_progress)(void *ud, const char *table, int64_t rows, int64_t bytes);
  void *ud;
};

struct export_table_result {
  int64_t rows;
  int64_t bytes;
  int partitions;
};

/**
 * Write table `t`. An Azure failure is APP_AZURE with *out_az filled; anything else sets
 * *out_message (fresh heap sentence).
 */
enum app_result export_table_upload(const struct export_table_options *o,
                                    const struct store_table *t, struct export_table_result *out,
                                    char **out_message, struct az_error *out_az);

/** The dfs URL Synapse reads a blob of `account` at: its blob endpoint with .blob. -> .dfs.
 * (fresh heap string). */
char *export_table_dfs_url(const struct az_storage_account *account, const char *container,
                           const char *blob);

#endif
