/*
 * csv_reader: reads a CSV file once, streaming, in bounded memory, and describes it: the
 * header's column names, a Common Data Model data type per column, rows and bytes.
 *
 * The format is RFC 4180: fields separated by commas, rows by CRLF or LF, a field with a
 * comma, a quote or a line break quoted with '"' and its quotes doubled; a UTF-8 byte order
 * mark at the start is skipped; the first row is the header. Parsing is libcsv's, in strict
 * mode: a quote inside an unquoted field, text after a closing quote, a quoted field never
 * closed, a row whose number of fields differs from the header's, an empty or duplicated
 * column name (ignoring case), an empty file, invalid UTF-8 or a field longer than
 * CSV_READER_MAX_FIELD bytes make the file malformed, and the reader's message then says
 * where: "line L, column C: what". Lines count LF from 1 (a line break inside a quoted field
 * is a line too); columns count UTF-8 characters from 1. Blank lines are skipped.
 *
 * Memory: a chunk being fed, one field (at most CSV_READER_MAX_FIELD) and one row's fields
 * (the row callback's), whatever the size of the file.
 *
 * Types (csv_type_name() gives the CDM names): each non-empty value narrows the types its
 * column can have; a column ends with the first of boolean, int64, decimal, double,
 * dateTime, guid that every value parses as, else string. Empty fields are nulls and
 * narrow nothing (a column of nulls only is string). boolean: true/false in any case;
 * int64: an optional sign and digits within 64 bits; decimal: fixed point (no exponent), at
 * most 28 digits, as money is written; double: any other number (an exponent, NaN,
 * Infinity); dateTime: ISO 8601 YYYY-MM-DD, optionally with THH:MM[:SS[.fraction]] and Z
 * or an offset; guid: 8-4-4-4-12 hexadecimal digits.
 *
 * Use: csv_reader_new(), csv_reader_feed() any number of times (or csv_reader_read_file()),
 * csv_reader_finish(), then the getters; csv_reader_delete(). feed and finish return false
 * once the input is malformed (later calls do nothing), with csv_reader_message() saying
 * why and where. Strings returned are borrowed from the reader.
 */
#ifndef SYNWIZ_UTIL_CSV_READER_H
#define SYNWIZ_UTIL_CSV_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CSV_READER_MAX_FIELD   (16u * 1024 * 1024)
#define CSV_READER_MAX_COLUMNS 4096

enum csv_type {
  CSV_TYPE_STRING,
  CSV_TYPE_INT64,
  CSV_TYPE_DOUBLE,
  CSV_TYPE_DECIMAL,
  CSV_TYPE_BOOLEAN,
  CSV_TYPE_DATETIME,
  CSV_TYPE_GUID,
  CSV_TYPE_COUNT_
};

/** The CDM data type name: "string", "int64", "double", "decimal", "boolean", "dateTime",
 * "guid". */
const char *csv_type_name(enum csv_type type);
/** Parse a CDM data type name (exact case); false when it is none of them. */
bool csv_type_parse(const char *name, enum csv_type *out);
/** Does `value` parse as `type`? (string: always.) */
bool csv_value_is(enum csv_type type, const char *value, size_t len);

/* Called once per data row (not the header): its fields, NULL for an empty unquoted one,
 * each NUL-terminated (lens[i] bytes; 0 for NULL). Return false to stop reading: feed and
 * finish then fail with `message` (or "stopped" when NULL) as the reader's message. */
typedef bool (*csv_row_fn)(void *ud, const char *const *fields, const size_t *lens, size_t n,
                           const char **message);

struct csv_reader_options {
  csv_row_fn on_row; /* optional */
  void *ud;
};

struct csv_reader;

struct csv_reader *csv_reader_new(const struct csv_reader_options *o);
void csv_reader_delete(struct csv_reader *r);

bool csv_reader_feed(struct csv_reader *r, const void *data, size_t len);
bool csv_reader_finish(struct csv_reader *r);
/** Start the next part of a table stored as several files (a folder of CSV parts): ends the
 * current part (its last row may lack a line break) and reads the next part's first row as
 * a header, which must name the same columns as the first part's (ignoring case); lines
 * count from 1 again. Rows and types run on across parts. */
bool csv_reader_next_part(struct csv_reader *r);
/** Feed the whole file at `path` in 64 KiB reads (no finish: more parts may follow). An
 * unreadable file fails with a message naming it and errno's text (line 0). */
bool csv_reader_feed_file(struct csv_reader *r, const char *path);
/** Feed the whole file at `path` in 64 KiB reads, then finish. An unreadable file fails
 * with a message naming it and errno's text (line 0). */
bool csv_reader_read_file(struct csv_reader *r, const char *path);

/** Why the last feed or finish failed: "line 3, column 7: ..." ("" when none). */
const char *csv_reader_message(const struct csv_reader *r);
/** Where the error is (0 when there is none, or it is not in the text). */
size_t csv_reader_error_line(const struct csv_reader *r);
size_t csv_reader_error_column(const struct csv_reader *r);

size_t csv_reader_n_columns(const struct csv_reader *r);
const char *csv_reader_column_name(const struct csv_reader *r, size_t i);
/** The column's type; valid after csv_reader_finish(). */
enum csv_type csv_reader_column_type(const struct csv_reader *r, size_t i);
/** Non-empty values seen in the column. */
int64_t csv_reader_column_values(const struct csv_reader *r, size_t i);
/** Data rows (the header not counted). */
int64_t csv_reader_rows(const struct csv_reader *r);
/** Bytes fed, the byte order mark included. */
int64_t csv_reader_bytes(const struct csv_reader *r);

#endif
