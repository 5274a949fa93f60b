/*
 * csv_writer: RFC 4180 rows into blocks for a sink. See csv_writer.h.
 */
#include "util/csv_writer.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

struct csv_writer {
  csv_sink_fn sink;
  void *ud;
  struct strbuf buf;
  bool failed;
  int64_t sent;
  int64_t rows;
};

struct csv_writer *csv_writer_new(csv_sink_fn sink, void *ud)
{
  struct csv_writer *w = xcalloc(1, sizeof(*w));
  w->sink = sink;
  w->ud = ud;
  strbuf_init(&w->buf, 0);
  return w;
}

void csv_writer_delete(struct csv_writer *w)
{
  if (!w)
    return;
  strbuf_done(&w->buf);
  free(w);
}

static bool needs_quotes(const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == ',' || c == '"' || c == '\r' || c == '\n')
      return true;
  }
  return len == 0;
}

static void put_field(struct strbuf *b, const char *s, size_t len)
{
  if (!needs_quotes(s, len)) {
    strbuf_append(b, s, len);
    return;
  }
  /* csv_write tells the size it needs when given none: the field, its doubled quotes and
   * the two around it. */
  size_t need = csv_write(NULL, 0, s, len);
  char *tmp = xmalloc(need);
  csv_write(tmp, need, s, len);
  strbuf_append(b, tmp, need);
  free(tmp);
}

bool csv_writer_flush(struct csv_writer *w)
{
  if (w->failed)
    return false;
  if (w->buf.len && !w->sink(w->ud, w->buf.buf, w->buf.len)) {
    w->failed = true;
    return false;
  }
  w->sent += (int64_t)w->buf.len;
  strbuf_reset(&w->buf);
  return true;
}

bool csv_writer_row(struct csv_writer *w, const char *const *fields, const size_t *lens, size_t n)
{
  if (w->failed)
    return false;
  for (size_t i = 0; i < n; i++) {
    if (i)
      strbuf_putc(&w->buf, ',');
    if (fields[i])
      put_field(&w->buf, fields[i], lens ? lens[i] : strlen(fields[i]));
  }
  strbuf_append(&w->buf, "\r\n", 2);
  w->rows++;
  if (w->buf.len >= CSV_WRITER_BLOCK)
    return csv_writer_flush(w);
  return true;
}

int64_t csv_writer_bytes(const struct csv_writer *w)
{
  return w->sent + (int64_t)w->buf.len;
}

int64_t csv_writer_rows(const struct csv_writer *w)
{
  return w->rows;
}

bool csv_sink_file(void *ud, const void *data, size_t len)
{
  return fwrite(data, 1, len, (FILE *)ud) == len;
}
