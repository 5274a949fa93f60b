/*
 * export_partitioner: rows into staged CSV partitions. See export_partitioner.h.
 */
#include "app/export_partitioner.h"
#include "util/csv_writer.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct export_partitioner {
  struct export_partitioner_options o;
  char *table;
  char *temp_dir;
  const char **header;
  bool failed;
  char *message;

  /* The partition being written. */
  FILE *file;
  char *path;
  struct csv_writer *writer;
  int index; /* of the open partition, from 1 */
  int64_t part_rows;

  int closed;
  int64_t rows;
  int64_t bytes; /* of closed partitions */
};

static bool fail(struct export_partitioner *p, char *message)
{
  p->failed = true;
  free(p->message);
  p->message = message;
  return false;
}

struct export_partitioner *export_partitioner_new(const struct export_partitioner_options *o)
{
  struct export_partitioner *p = xcalloc(1, sizeof(*p));
  p->o = *o;
  p->table = xstrdup(o->table);
  p->temp_dir = xstrdup(o->temp_dir);
  p->header = xcalloc(o->n_columns ? o->n_columns : 1, sizeof(p->header[0]));
  for (size_t i = 0; i < o->n_columns; i++)
    p->header[i] = xstrdup(o->header[i]);
  p->o.table = p->table;
  p->o.temp_dir = p->temp_dir;
  p->o.header = p->header;
  if (p->o.partition_bytes <= 0)
    p->o.partition_bytes = EXPORT_PARTITION_BYTES_DEFAULT;
  return p;
}

static void drop_open(struct export_partitioner *p)
{
  csv_writer_delete(p->writer);
  p->writer = NULL;
  if (p->file) {
    fclose(p->file);
    p->file = NULL;
    unlink(p->path);
  }
  free(p->path);
  p->path = NULL;
}

void export_partitioner_delete(struct export_partitioner *p)
{
  if (!p)
    return;
  drop_open(p);
  for (size_t i = 0; i < p->o.n_columns; i++)
    free((char *)p->header[i]);
  free(p->header);
  free(p->table);
  free(p->temp_dir);
  free(p->message);
  free(p);
}

static bool open_partition(struct export_partitioner *p)
{
  p->index = p->closed + 1;
  p->path = xasprintf("%s/%s_%d.csv", p->temp_dir, p->table, p->index);
  /* A staged partition is the table's data: private, and never a file someone left there. */
  int fd = open(p->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0 || !(p->file = fdopen(fd, "wb"))) {
    int e = errno;
    if (fd >= 0)
      close(fd);
    char *m = xasprintf("Cannot stage a partition at %s: %s.", p->path, strerror(e));
    free(p->path);
    p->path = NULL;
    return fail(p, m);
  }
  p->writer = csv_writer_new(csv_sink_file, p->file);
  p->part_rows = 0;
  if (!csv_writer_row(p->writer, p->header, NULL, p->o.n_columns))
    return fail(p, xasprintf("Cannot write %s: %s.", p->path, strerror(errno)));
  return true;
}

static bool close_partition(struct export_partitioner *p)
{
  bool ok = csv_writer_flush(p->writer);
  int64_t bytes = csv_writer_bytes(p->writer);
  csv_writer_delete(p->writer);
  p->writer = NULL;
  ok = fflush(p->file) == 0 && ok;
  ok = fsync(fileno(p->file)) == 0 && ok;
  ok = fclose(p->file) == 0 && ok;
  p->file = NULL;
  if (!ok) {
    char *m = xasprintf("Cannot write %s: %s.", p->path, strerror(errno));
    unlink(p->path);
    return fail(p, m);
  }
  const char *why = NULL;
  char *path = p->path;
  p->path = NULL;
  p->closed++;
  p->bytes += bytes;
  bool go_on = p->o.on_partition(p->o.ud, path, p->index, p->part_rows, bytes, &why);
  free(path);
  if (!go_on)
    return fail(p, xstrdup(why ? why : "stopped"));
  return true;
}

bool export_partitioner_row(struct export_partitioner *p, const char *const *fields,
                            const size_t *lens, size_t n)
{
  if (p->failed)
    return false;
  if (n != p->o.n_columns)
    return fail(p, xasprintf("A row of %zu fields for a table of %zu columns.", n, p->o.n_columns));
  if (!p->writer && !open_partition(p))
    return false;
  if (!csv_writer_row(p->writer, fields, lens, n))
    return fail(p, xasprintf("Cannot write %s: %s.", p->path, strerror(errno)));
  p->part_rows++;
  p->rows++;
  if (csv_writer_bytes(p->writer) >= p->o.partition_bytes)
    return close_partition(p);
  return true;
}

bool export_partitioner_finish(struct export_partitioner *p)
{
  if (p->failed)
    return false;
  if (!p->writer && p->closed)
    return true;
  if (!p->writer && !open_partition(p))
    return false;
  return close_partition(p);
}

const char *export_partitioner_message(const struct export_partitioner *p)
{
  return p->message ? p->message : "";
}

int64_t export_partitioner_rows(const struct export_partitioner *p)
{
  return p->rows;
}

int64_t export_partitioner_bytes(const struct export_partitioner *p)
{
  return p->bytes + (p->writer ? csv_writer_bytes(p->writer) : 0);
}

int export_partitioner_partitions(const struct export_partitioner *p)
{
  return p->closed;
}

char *export_partition_blob(const char *export_name, const char *table, time_t run_start, int n)
{
  struct tm tm;
  gmtime_r(&run_start, &tm);
  char when[32];
  strftime(when, sizeof(when), "%Y/%m/%d/%H%M", &tm);
  return xasprintf("customerinsights/%s/%s/%s/%s_%d.csv", export_name, table, when, table, n);
}

char *export_model_blob(const char *export_name)
{
  return xasprintf("customerinsights/%s/model.json", export_name);
}
