/* Fuzz target: the CSV reader and writer (src/util/csv_*), which read whatever file a user
 * adds to the catalog and write the partitions an export uploads. Any input is fed in
 * chunks of a size the first byte picks (a field or a CRLF split across feeds must not
 * matter); every row the reader accepts is written back with the writer, and that output,
 * read again, must give the same header, the same rows and the same fields: the writer's
 * quoting round-trips whatever the reader lets through. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv_reader.h"
#include "util/csv_writer.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct copy {
  struct csv_writer *w;
  struct strbuf *rows; /* each row's fields, NUL-separated, for the comparison */
};

static bool sink_mem(void *ud, const void *data, size_t len)
{
  return strbuf_append(ud, data, len);
}

static bool on_row_copy(void *ud, const char *const *fields, const size_t *lens, size_t n,
                        const char **message)
{
  struct copy *c = ud;
  for (size_t i = 0; i < n; i++) {
    if (fields[i])
      strbuf_append(c->rows, fields[i], lens[i]);
    else
      strbuf_puts(c->rows, "(null)"); /* a null and an empty string must stay apart */
    strbuf_putc(c->rows, '\0');
  }
  return c->w ? csv_writer_row(c->w, fields, lens, n) : true;
}

static struct csv_reader *read_chunks(const uint8_t *p, size_t n, size_t chunk, struct copy *c,
                                      bool *ok)
{
  struct csv_reader_options o = { on_row_copy, c };
  struct csv_reader *r = csv_reader_new(&o);
  *ok = true;
  for (size_t at = 0; at < n && *ok; at += chunk)
    *ok = csv_reader_feed(r, p + at, n - at < chunk ? n - at : chunk);
  if (*ok)
    *ok = csv_reader_finish(r);
  return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  size_t chunk = (size_t)data[0] % 17 + 1;
  struct strbuf out, rows1, rows2;
  strbuf_init(&out, 0);
  strbuf_init(&rows1, 0);
  strbuf_init(&rows2, 0);
  struct csv_writer *w = csv_writer_new(sink_mem, &out);
  struct copy c1 = { w, &rows1 };
  bool ok = false;
  struct csv_reader *r1 = read_chunks(data + 1, size - 1, chunk, &c1, &ok);
  if (ok && csv_reader_n_columns(r1) > 0) {
    /* Write the header first: the writer's output is a whole file of its own. */
    struct strbuf head;
    strbuf_init(&head, 0);
    struct csv_writer *hw = csv_writer_new(sink_mem, &head);
    size_t nc = csv_reader_n_columns(r1);
    const char **names = calloc(nc, sizeof(*names));
    size_t *lens = calloc(nc, sizeof(*lens));
    for (size_t i = 0; i < nc; i++) {
      names[i] = csv_reader_column_name(r1, i);
      lens[i] = strlen(names[i]);
    }
    csv_writer_row(hw, names, lens, nc);
    csv_writer_flush(hw);
    csv_writer_flush(w);
    strbuf_append(&head, out.buf, out.len);
    struct copy c2 = { NULL, &rows2 };
    bool ok2 = false;
    struct csv_reader *r2 = read_chunks((const uint8_t *)head.buf, head.len, 4096, &c2, &ok2);
    if (!ok2 || csv_reader_rows(r2) != csv_reader_rows(r1) || csv_reader_n_columns(r2) != nc ||
        rows1.len != rows2.len || memcmp(rows1.buf, rows2.buf, rows1.len) != 0)
      abort();
    for (size_t i = 0; i < nc; i++)
      if (strcmp(csv_reader_column_name(r2, i), names[i]) != 0 ||
          csv_reader_column_type(r2, i) != csv_reader_column_type(r1, i))
        abort();
    csv_reader_delete(r2);
    csv_writer_delete(hw);
    free(names);
    free(lens);
    strbuf_done(&head);
  }
  csv_reader_delete(r1);
  csv_writer_delete(w);
  strbuf_done(&out);
  strbuf_done(&rows1);
  strbuf_done(&rows2);
  return 0;
}
