/*
 * export_table: one table of an export run. See export_table.h.
 */
#include "app/export_table.h"
#include "app/export_partitioner.h"
#include "azure/az_blob.h"
#include "azure/az_client.h"
#include "azure/az_error.h"
#include "azure/az_storage.h"
#include "util/csv_reader.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct run {
  const struct export_table_options *o;
  const struct store_table *t;
  struct export_partitioner *parts;
  struct az_error *az;
  bool az_failed;
  bool header_checked;
  char *why; /* our own refusal, for the reader's message */
  /* The partition being uploaded while the next one is written: one at a time, so disk
   * holds at most two partitions and the model lists them in order. */
  struct az_call *pending;
  char *pending_path;
  char *pending_blob;
  int64_t pending_rows;
  unsigned rows_since_poll;
};

/* Wait for the partition in flight, then record it (or the failure). */
static bool finish_pending(struct run *r)
{
  if (!r->pending)
    return true;
  const struct export_table_options *o = r->o;
  bool ok = az_call_wait(r->pending) == AZ_OK;
  if (!ok) {
    az_error_copy(r->az, az_call_error(r->pending));
    r->az_failed = true;
  }
  az_call_delete(r->pending);
  r->pending = NULL;
  unlink(r->pending_path);
  if (ok) {
    char *location = export_table_dfs_url(o->account, o->container, r->pending_blob);
    export_model_add_partition(o->model, r->t->name, location, r->pending_rows);
    free(location);
    if (o->on_progress)
      o->on_progress(o->ud, r->t->name, export_partitioner_rows(r->parts),
                     export_partitioner_bytes(r->parts));
  }
  free(r->pending_path);
  free(r->pending_blob);
  r->pending_path = r->pending_blob = NULL;
  return ok;
}

/* A failed run: the upload in flight is cancelled, so its blocks are never committed. */
static void drop_pending(struct run *r)
{
  if (!r->pending)
    return;
  az_call_delete(r->pending);
  r->pending = NULL;
  unlink(r->pending_path);
  free(r->pending_path);
  free(r->pending_blob);
  r->pending_path = r->pending_blob = NULL;
}

char *export_table_dfs_url(const struct az_storage_account *account, const char *container,
                           const char *blob)
{
  char *url = az_blob_url(account, container, blob);
  const char *scheme = url ? strstr(url, "://") : NULL;
  char *b = scheme ? strstr(scheme, ".blob.") : NULL;
  char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
  if (b && (!slash || b < slash)) {
    char *dfs = xasprintf("%.*s.dfs.%s", (int)(b - url), url, b + 6);
    free(url);
    url = dfs;
  }
  return url;
}

/* Upload one staged partition and record it in the model. */
/* A partition is staged: start its upload once the one before it is done, and go on
 * writing the next while it goes up (on_row keeps the client's transfers moving). */
static bool on_partition(void *ud, const char *path, int index, int64_t rows, int64_t bytes,
                         const char **why)
{
  struct run *r = ud;
  const struct export_table_options *o = r->o;
  (void)bytes;
  if (!finish_pending(r)) {
    unlink(path);
    *why = "the upload failed";
    return false;
  }
  r->pending_blob = export_partition_blob(o->export_name, r->t->name, o->run_start, index);
  r->pending_path = xstrdup(path);
  r->pending_rows = rows;
  struct az_blob_transfer_options bo = { 0 };
  bo.content_type = "text/csv";
  r->pending = az_blob_upload_file(o->client, o->account, o->container, r->pending_blob, path, &bo);
  return true;
}

/* The file must still be the table the catalog describes. */
static bool header_matches(struct run *r, const struct csv_reader *reader)
{
  size_t n = csv_reader_n_columns(reader);
  bool same = n == r->t->n_attributes;
  for (size_t i = 0; same && i < n; i++)
    same = strcasecmp(csv_reader_column_name(reader, i), r->t->attributes[i].name) == 0;
  if (!same && !r->why)
    r->why = xasprintf("%s no longer has the columns the catalog recorded for '%s' (%zu then, "
                       "%zu now); add the table again (synwiz table remove, synwiz table add).",
                       r->t->location, r->t->name, r->t->n_attributes, n);
  return same;
}

/* A table in storage: each part downloaded to the stage (az_blob_download_file: ranged,
 * bounded memory), read as the next part of the table, and removed. Reading a part from a
 * file rather than from the network keeps the partition uploads, which wait on the client,
 * out of the client's own callbacks. */
static bool read_blobs(struct run *r, struct csv_reader *reader)
{
  const struct export_table_options *o = r->o;
  char *path = xasprintf("%s/%s.source.csv", o->temp_dir, r->t->name);
  bool ok = true;
  for (size_t i = 0; ok && i < r->t->parts.n; i++) {
    char *account = NULL, *endpoint = NULL, *container = NULL, *blob = NULL;
    struct az_storage_account *a = NULL;
    struct az_error err;
    az_error_init(&err);
    if (!az_blob_parse_url(r->t->parts.items[i], &account, &endpoint, &container, &blob)) {
      r->why = xasprintf("The table '%s' names '%s' as a part, which is not a blob URL.",
                         r->t->name, r->t->parts.items[i]);
      ok = false;
    } else if (az_storage_account_new(account, endpoint, NULL, az_client_cloud(o->client), &a,
                                      &err) != AZ_OK) {
      az_error_copy(r->az, &err);
      r->az_failed = true;
      ok = false;
    } else {
      struct az_call *call = az_blob_download_file(o->client, a, container, blob, path, NULL);
      if (az_call_wait(call) != AZ_OK) {
        az_error_copy(r->az, az_call_error(call));
        r->az_failed = true;
        ok = false;
      }
      az_call_delete(call);
      if (ok && i)
        ok = csv_reader_next_part(reader);
      if (ok)
        ok = csv_reader_feed_file(reader, path);
      unlink(path);
    }
    az_storage_account_delete(a);
    az_error_done(&err);
    free(account);
    free(endpoint);
    free(container);
    free(blob);
  }
  free(path);
  return ok && csv_reader_finish(reader);
}

struct row_ctx {
  struct run *run;
  struct csv_reader *reader;
};

static bool on_row(void *ud, const char *const *fields, const size_t *lens, size_t n,
                   const char **message)
{
  struct row_ctx *c = ud;
  struct run *r = c->run;
  if (!r->header_checked) {
    r->header_checked = true;
    if (!header_matches(r, c->reader)) {
      *message = r->why;
      return false;
    }
  }
  if (!export_partitioner_row(r->parts, fields, lens, n)) {
    *message = export_partitioner_message(r->parts);
    return false;
  }
  /* Keep an upload in flight moving while rows are written (a poll that never waits). */
  if (r->pending && ++r->rows_since_poll >= 1024) {
    r->rows_since_poll = 0;
    az_client_poll(r->o->client, NULL, 0, 0);
  }
  return true;
}

enum app_result export_table_upload(const struct export_table_options *o,
                                    const struct store_table *t, struct export_table_result *out,
                                    char **out_message, struct az_error *out_az)
{
  memset(out, 0, sizeof(*out));
  struct run r = { 0 };
  r.o = o;
  r.t = t;
  r.az = out_az;
  const char **header = xcalloc(t->n_attributes ? t->n_attributes : 1, sizeof(header[0]));
  for (size_t i = 0; i < t->n_attributes; i++)
    header[i] = t->attributes[i].name;
  struct export_partitioner_options po = { 0 };
  po.table = t->name;
  po.header = header;
  po.n_columns = t->n_attributes;
  po.partition_bytes = o->partition_bytes;
  po.temp_dir = o->temp_dir;
  po.on_partition = on_partition;
  po.ud = &r;
  r.parts = export_partitioner_new(&po);
  free(header);
  export_model_add_entity(o->model, t);

  struct row_ctx ctx = { &r, NULL };
  struct csv_reader_options ro = { on_row, &ctx };
  struct csv_reader *reader = csv_reader_new(&ro);
  ctx.reader = reader;
  bool ok = t->source == STORE_TABLE_FILE ? csv_reader_read_file(reader, t->location)
                                          : read_blobs(&r, reader);
  if (ok && !r.header_checked)
    ok = header_matches(&r, reader); /* a table without rows */
  if (ok)
    ok = export_partitioner_finish(r.parts);
  if (ok)
    ok = finish_pending(&r);
  else
    drop_pending(&r);
  enum app_result rc = APP_OK;
  if (r.az_failed) {
    rc = APP_AZURE;
  } else if (!ok) {
    const char *m = r.why                                  ? r.why
                    : *export_partitioner_message(r.parts) ? export_partitioner_message(r.parts)
                                                           : csv_reader_message(reader);
    *out_message = r.why || *export_partitioner_message(r.parts)
                       ? xstrdup(m)
                       : xasprintf("%s cannot be exported: %s.", t->location, m);
    rc = APP_INVALID;
  } else {
    out->rows = export_partitioner_rows(r.parts);
    out->bytes = export_partitioner_bytes(r.parts);
    out->partitions = export_partitioner_partitions(r.parts);
  }
  csv_reader_delete(reader);
  export_partitioner_delete(r.parts);
  free(r.why);
  return rc;
}
