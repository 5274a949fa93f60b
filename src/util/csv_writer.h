/*
 * csv_writer: writes rows as RFC 4180 CSV (what synwiz uploads as partitions and stages for
 * pipelines), through a sink the caller gives.
 *
 * Rows end with CRLF. A field is written bare unless it holds a comma, a quote, a CR or an
 * LF, or is an empty string (not NULL): then it is quoted with '"' and its quotes doubled
 * (libcsv's csv_write). A NULL field is written as nothing, so that an empty unquoted
 * field reads back as a null and "" as an empty string, as csv_reader.h reads them.
 *
 * Output is gathered into blocks of CSV_WRITER_BLOCK bytes (a row longer than that goes out
 * whole) before the sink sees it: call csv_writer_flush() at the end. Memory is one block
 * and one row. The first failed sink call makes every later call fail (false).
 */
#ifndef SYNWIZ_UTIL_CSV_WRITER_H
#define SYNWIZ_UTIL_CSV_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CSV_WRITER_BLOCK (64u * 1024)

/* Take `len` bytes; false to fail the writer. */
typedef bool (*csv_sink_fn)(void *ud, const void *data, size_t len);

struct csv_writer;

struct csv_writer *csv_writer_new(csv_sink_fn sink, void *ud);
/** Flushes nothing: call csv_writer_flush() first to keep what is buffered. */
void csv_writer_delete(struct csv_writer *w);

/** Write one row of `n` fields; lens may be NULL (fields are then NUL-terminated). */
bool csv_writer_row(struct csv_writer *w, const char *const *fields, const size_t *lens, size_t n);
bool csv_writer_flush(struct csv_writer *w);
/** Bytes given to the sink plus those buffered; rows written. */
int64_t csv_writer_bytes(const struct csv_writer *w);
int64_t csv_writer_rows(const struct csv_writer *w);

/** A sink writing to a FILE * (ud). */
bool csv_sink_file(void *ud, const void *data, size_t len);

#endif
