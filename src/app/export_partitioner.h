/*
 * export_partitioner: cuts a table's rows into the CSV partitions an export run uploads
 * (issue 11), and says where they go.
 *
 * Layout (behavior.md section 4, the Blob export's documented layout, which the Synapse
 * export follows): in the connection's container,
 *   customerinsights/<export>/<Table>/<yyyy>/<MM>/<dd>/<HHmm>/<Table>_<n>.csv   (n from 1)
 *   customerinsights/<export>/model.json
 * with the run's start time in UTC. export_partition_blob() and export_model_blob() build
 * these names.
 *
 * The partitioner takes rows (export_partitioner_row(), e.g. from a csv_reader's row
 * callback) and writes them with csv_writer (RFC 4180, CRLF, the header row first in every
 * partition) to a staged file in `temp_dir` (0600). A partition closes once it holds
 * `partition_bytes` or more (a row is never split, so a partition may pass the size by one
 * row); on_partition then gets the staged file, which it owns from then on (it uploads it
 * and unlinks it). Memory: one csv_writer block; disk: one partition.
 *
 * Call order: new, row* , finish (which closes the last partition; a table without rows
 * still gets one partition holding the header), delete (which unlinks a partition left
 * open by a failure). row and finish return false once anything failed, with
 * export_partitioner_message() saying what.
 */
#ifndef SYNWIZ_APP_EXPORT_PARTITIONER_H
#define SYNWIZ_APP_EXPORT_PARTITIONER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define EXPORT_PARTITION_BYTES_DEFAULT (256LL * 1024 * 1024)

/* A partition is complete. Return false to stop (the partitioner then fails with `*why`). */
typedef bool (*export_partition_fn)(void *ud, const char *path, int index, int64_t rows,
                                    int64_t bytes, const char **why);

struct export_partitioner_options {
  const char *table; /* its name: staged files are <temp_dir>/<Table>_<n>.csv */
  const char *const *header;
  size_t n_columns;
  int64_t partition_bytes; /* 0 = EXPORT_PARTITION_BYTES_DEFAULT */
  const char *temp_dir;
  export_partition_fn on_partition;
  void *ud;
};

struct export_partitioner;

struct export_partitioner *export_partitioner_new(const struct export_partitioner_options *o);
void export_partitioner_delete(struct export_partitioner *p);
/** One row of n_columns fields (NULL = empty); lens may be NULL for NUL-terminated fields. */
bool export_partitioner_row(struct export_partitioner *p, const char *const *fields,
                            const size_t *lens, size_t n);
bool export_partitioner_finish(struct export_partitioner *p);
const char *export_partitioner_message(const struct export_partitioner *p);
/** Rows and bytes written so far (all partitions); partitions closed. */
int64_t export_partitioner_rows(const struct export_partitioner *p);
int64_t export_partitioner_bytes(const struct export_partitioner *p);
int export_partitioner_partitions(const struct export_partitioner *p);

/** "customerinsights/<export>/<Table>/<yyyy>/<MM>/<dd>/<HHmm>/<Table>_<n>.csv" (fresh). */
char *export_partition_blob(const char *export_name, const char *table, time_t run_start, int n);
/** "customerinsights/<export>/model.json" (fresh). */
char *export_model_blob(const char *export_name);

#endif
