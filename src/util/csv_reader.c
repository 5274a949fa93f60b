/*
 * csv_reader: streaming CSV reading and type inference on libcsv. See csv_reader.h.
 *
 * libcsv says how far it got when strict mode refuses a byte, but not where a field or a
 * row ended. So the input goes to csv_parse() one physical line (up to and including its
 * LF) at a time: every callback then belongs to the line being parsed, and a refused byte's
 * column is the characters before it on that line. Lines cost one memchr() each.
 */
#include "util/csv_reader.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const type_names[CSV_TYPE_COUNT_] = { "string",  "int64",    "double", "decimal",
                                                         "boolean", "dateTime", "guid" };

/* The order in which a column's surviving candidates are preferred. */
static const enum csv_type preference[] = { CSV_TYPE_BOOLEAN, CSV_TYPE_INT64,    CSV_TYPE_DECIMAL,
                                            CSV_TYPE_DOUBLE,  CSV_TYPE_DATETIME, CSV_TYPE_GUID };
#define N_PREF    (sizeof(preference) / sizeof(preference[0]))
#define ALL_TYPES ((1u << CSV_TYPE_COUNT_) - 1)

const char *csv_type_name(enum csv_type type)
{
  return (unsigned)type < CSV_TYPE_COUNT_ ? type_names[type] : "string";
}

bool csv_type_parse(const char *name, enum csv_type *out)
{
  for (int i = 0; name && i < CSV_TYPE_COUNT_; i++) {
    if (strcmp(name, type_names[i]) == 0) {
      *out = (enum csv_type)i;
      return true;
    }
  }
  return false;
}

/* ---- values ---- */

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_int64(const char *s, size_t len)
{
  size_t i = 0;
  bool neg = false;
  if (i < len && (s[i] == '+' || s[i] == '-'))
    neg = s[i++] == '-';
  if (i == len)
    return false;
  /* Accumulate as a negative number, which has the larger range. */
  int64_t v = 0;
  for (; i < len; i++) {
    if (!is_digit(s[i]))
      return false;
    int d = s[i] - '0';
    if (v < (INT64_MIN + d) / 10)
      return false;
    v = v * 10 - d;
  }
  return neg || v != INT64_MIN;
}

/* [+-]? digits [. digits]: *out_digits the number of digits. */
static size_t fixed_point(const char *s, size_t len, size_t *out_digits)
{
  size_t i = 0, digits = 0;
  if (i < len && (s[i] == '+' || s[i] == '-'))
    i++;
  while (i < len && is_digit(s[i])) {
    i++;
    digits++;
  }
  if (i < len && s[i] == '.') {
    i++;
    while (i < len && is_digit(s[i])) {
      i++;
      digits++;
    }
  }
  *out_digits = digits;
  return i;
}

static bool is_decimal(const char *s, size_t len)
{
  size_t digits;
  size_t end = fixed_point(s, len, &digits);
  return end == len && digits > 0 && digits <= 28;
}

static bool is_double(const char *s, size_t len)
{
  static const char *const specials[] = {
    "NaN", "Infinity", "-Infinity", "+Infinity", "INF", "-INF"
  };
  for (size_t k = 0; k < sizeof(specials) / sizeof(specials[0]); k++) {
    if (len == strlen(specials[k]) && memcmp(s, specials[k], len) == 0)
      return true;
  }
  size_t digits;
  size_t i = fixed_point(s, len, &digits);
  if (!digits)
    return false;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
      i++;
    size_t exp_start = i;
    while (i < len && is_digit(s[i]))
      i++;
    if (i == exp_start)
      return false;
  }
  return i == len;
}

static bool is_boolean(const char *s, size_t len)
{
  return (len == 4 && strncasecmp(s, "true", 4) == 0) ||
         (len == 5 && strncasecmp(s, "false", 5) == 0);
}

static int num2(const char *s)
{
  return (s[0] - '0') * 10 + (s[1] - '0');
}

static bool digits_at(const char *s, size_t len, size_t from, size_t n)
{
  if (from + n > len)
    return false;
  for (size_t i = from; i < from + n; i++) {
    if (!is_digit(s[i]))
      return false;
  }
  return true;
}

/* YYYY-MM-DD[(T| )HH:MM[:SS[.f+]][Z|(+|-)HH[:]MM]] */
static bool is_datetime(const char *s, size_t len)
{
  if (len < 10 || !digits_at(s, len, 0, 4) || s[4] != '-' || !digits_at(s, len, 5, 2) ||
      s[7] != '-' || !digits_at(s, len, 8, 2))
    return false;
  int month = num2(s + 5), day = num2(s + 8);
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return false;
  if (len == 10)
    return true;
  size_t i = 10;
  if ((s[i] != 'T' && s[i] != ' ') || !digits_at(s, len, i + 1, 2) || i + 3 >= len ||
      s[i + 3] != ':' || !digits_at(s, len, i + 4, 2))
    return false;
  if (num2(s + i + 1) > 23 || num2(s + i + 4) > 59)
    return false;
  i += 6;
  if (i < len && s[i] == ':') {
    if (!digits_at(s, len, i + 1, 2) || num2(s + i + 1) > 60)
      return false;
    i += 3;
    if (i < len && s[i] == '.') {
      size_t start = ++i;
      while (i < len && is_digit(s[i]))
        i++;
      if (i == start)
        return false;
    }
  }
  if (i == len)
    return true;
  if (s[i] == 'Z')
    return i + 1 == len;
  if (s[i] != '+' && s[i] != '-')
    return false;
  i++;
  if (!digits_at(s, len, i, 2))
    return false;
  i += 2;
  if (i < len && s[i] == ':')
    i++;
  return digits_at(s, len, i, 2) && i + 2 == len;
}

static bool is_guid(const char *s, size_t len)
{
  if (len != 36)
    return false;
  for (size_t i = 0; i < 36; i++) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i]))
      return false;
  }
  return true;
}

bool csv_value_is(enum csv_type type, const char *value, size_t len)
{
  switch (type) {
  case CSV_TYPE_STRING:
    return true;
  case CSV_TYPE_INT64:
    return is_int64(value, len);
  case CSV_TYPE_DOUBLE:
    return is_double(value, len);
  case CSV_TYPE_DECIMAL:
    return is_decimal(value, len);
  case CSV_TYPE_BOOLEAN:
    return is_boolean(value, len);
  case CSV_TYPE_DATETIME:
    return is_datetime(value, len);
  case CSV_TYPE_GUID:
    return is_guid(value, len);
  default:
    return false;
  }
}

/* ---- the reader ---- */

struct column {
  char *name;
  unsigned candidates; /* bit per enum csv_type */
  int64_t values;
};

struct csv_reader {
  struct csv_parser parser;
  struct csv_reader_options opts;
  bool failed;
  bool finished;
  char *message;
  size_t err_line, err_col;
  char *cb_message; /* set by a callback; placed by the caller */

  /* Where we are: the line being parsed and the characters before this segment on it. */
  size_t line;
  size_t line_chars;
  unsigned utf8_need; /* continuation bytes still expected */
  size_t bom_seen;    /* bytes of a possible byte order mark seen so far */
  bool bom_done;
  int64_t bytes;

  bool header_done;
  bool part_header; /* reading a later part's header (csv_reader_next_part) */
  size_t n_columns;
  struct column *columns;
  size_t field; /* index of the next field in the row */
  int64_t rows;

  /* The row's fields for on_row: NUL-separated in `row`, offsets and NULL marks. */
  struct strbuf row;
  size_t *offsets;
  size_t *lens;
  bool *nulls;
  const char **fields;
};

/* libcsv grows its field buffer through this; refusing past the cap is what bounds one
 * field's memory (libcsv then reports CSV_ENOMEM, which we name as a field too long). */
static void *capped_realloc(void *p, size_t size)
{
  if (size > CSV_READER_MAX_FIELD + 1)
    return NULL;
  return realloc(p, size);
}

static int no_space(unsigned char c)
{
  (void)c;
  return 0; /* RFC 4180: spaces are part of a field */
}

struct csv_reader *csv_reader_new(const struct csv_reader_options *o)
{
  struct csv_reader *r = xcalloc(1, sizeof(*r));
  if (o)
    r->opts = *o;
  if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) !=
      0) {
    /* csv_init fails only on allocation, which xalloc's policy treats as fatal. */
    fputs("synwiz: out of memory\n", stderr);
    abort();
  }
  csv_set_realloc_func(&r->parser, capped_realloc);
  csv_set_space_func(&r->parser, no_space);
  csv_set_blk_size(&r->parser, 64 * 1024);
  r->line = 1;
  strbuf_init(&r->row, 0);
  return r;
}

void csv_reader_delete(struct csv_reader *r)
{
  if (!r)
    return;
  csv_free(&r->parser);
  for (size_t i = 0; i < r->n_columns; i++)
    free(r->columns[i].name);
  free(r->columns);
  free(r->message);
  free(r->cb_message);
  strbuf_done(&r->row);
  free(r->offsets);
  free(r->lens);
  free(r->nulls);
  free(r->fields);
  free(r);
}

static bool fail_at(struct csv_reader *r, size_t line, size_t col, const char *what)
{
  r->failed = true;
  r->err_line = line;
  r->err_col = col;
  free(r->message);
  if (line)
    r->message = xasprintf("line %zu, column %zu: %s", line, col, what);
  else
    r->message = xstrdup(what);
  return false;
}

/* A callback's complaint, placed by parse_segment once csv_parse returns. */
static void cb_fail(struct csv_reader *r, char *message)
{
  if (r->cb_message) {
    free(message);
    return;
  }
  r->cb_message = message;
}

static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };

static void on_field(void *data, size_t len, void *ud)
{
  struct csv_reader *r = ud;
  if (r->cb_message)
    return;
  const char *s = data;
  if (r->part_header) {
    if (r->field >= r->n_columns)
      cb_fail(r, xasprintf("this part's header has more columns than the first part's %zu",
                           r->n_columns));
    else if (strcasecmp(s ? s : "", r->columns[r->field].name) != 0)
      cb_fail(r, xasprintf("this part's header names '%s' as column %zu where the first part "
                           "names '%s'",
                           s ? s : "", r->field + 1, r->columns[r->field].name));
    r->field++;
    return;
  }
  if (!r->header_done) {
    if (r->n_columns >= CSV_READER_MAX_COLUMNS) {
      cb_fail(r, xasprintf("the header has more than %u columns", CSV_READER_MAX_COLUMNS));
      return;
    }
    /* A byte order mark after blank lines still begins the header, not a column name:
     * kept, it would be written at the start of a partition, where a reader drops it
     * (found by tests/fuzz/fuzz_csv.c). */
    if (r->n_columns == 0 && s && len >= 3 && memcmp(s, bom, 3) == 0)
      s += 3;
    r->columns = xrealloc(r->columns, (r->n_columns + 1) * sizeof(r->columns[0]));
    struct column *c = &r->columns[r->n_columns++];
    c->name = xstrdup(s ? s : "");
    c->candidates = ALL_TYPES;
    c->values = 0;
    return;
  }
  if (r->field >= r->n_columns) {
    cb_fail(r, xasprintf("this row has more fields than the header's %zu", r->n_columns));
    return;
  }
  struct column *c = &r->columns[r->field];
  if (s && len) {
    c->values++;
    if (c->candidates != 1u << CSV_TYPE_STRING) {
      for (int t = 0; t < CSV_TYPE_COUNT_; t++) {
        if (t != CSV_TYPE_STRING && (c->candidates & (1u << t)) &&
            !csv_value_is((enum csv_type)t, s, len))
          c->candidates &= ~(1u << t);
      }
    }
  }
  if (r->opts.on_row) {
    r->offsets[r->field] = r->row.len;
    r->lens[r->field] = s ? len : 0;
    r->nulls[r->field] = s == NULL;
    strbuf_append(&r->row, s ? s : "", s ? len : 0);
    strbuf_putc(&r->row, '\0');
  }
  r->field++;
}

static void finish_header(struct csv_reader *r)
{
  for (size_t i = 0; i < r->n_columns; i++) {
    const char *name = r->columns[i].name;
    if (!*name) {
      cb_fail(r, xasprintf("column %zu of the header has no name", i + 1));
      return;
    }
    for (const char *p = name; *p; p++) {
      if ((unsigned char)*p < 0x20 || *p == 0x7f) {
        cb_fail(r, xasprintf("the column name of column %zu holds a control character", i + 1));
        return;
      }
    }
    /* Invisible, and dropped by readers at the start of a file: a name holding one could
     * not be written back as it was read. */
    if (strstr(name, "\xef\xbb\xbf")) {
      cb_fail(r,
              xasprintf("the column name of column %zu holds a byte order mark (U+FEFF)", i + 1));
      return;
    }
    for (size_t k = 0; k < i; k++) {
      if (strcasecmp(r->columns[k].name, name) == 0) {
        cb_fail(r, xasprintf("the header names '%s' twice (columns %zu and %zu; names are "
                             "compared ignoring case)",
                             name, k + 1, i + 1));
        return;
      }
    }
  }
  r->header_done = true;
  if (r->opts.on_row) {
    r->offsets = xcalloc(r->n_columns, sizeof(r->offsets[0]));
    r->lens = xcalloc(r->n_columns, sizeof(r->lens[0]));
    r->nulls = xcalloc(r->n_columns, sizeof(r->nulls[0]));
    r->fields = xcalloc(r->n_columns, sizeof(r->fields[0]));
  }
}

static void on_row_end(int term, void *ud)
{
  (void)term;
  struct csv_reader *r = ud;
  if (r->cb_message)
    return;
  if (!r->header_done) {
    finish_header(r);
    return;
  }
  if (r->part_header) {
    if (r->field != r->n_columns)
      cb_fail(r, xasprintf("this part's header has %zu columns where the first part's has %zu",
                           r->field, r->n_columns));
    r->part_header = false;
    r->field = 0;
    return;
  }
  if (r->field != r->n_columns) {
    cb_fail(r, xasprintf("this row has %zu field%s where the header has %zu", r->field,
                         r->field == 1 ? "" : "s", r->n_columns));
    return;
  }
  r->rows++;
  if (r->opts.on_row) {
    for (size_t i = 0; i < r->n_columns; i++)
      r->fields[i] = r->nulls[i] ? NULL : r->row.buf + r->offsets[i];
    const char *why = NULL;
    if (!r->opts.on_row(r->opts.ud, r->fields, r->lens, r->n_columns, &why))
      cb_fail(r, xstrdup(why ? why : "stopped"));
    strbuf_reset(&r->row);
  }
  r->field = 0;
}

/* Check the UTF-8 of `n` bytes (a sequence may continue from the last call) and count
 * their characters; on a bad byte set *bad to its index. */
static size_t scan_utf8(struct csv_reader *r, const unsigned char *s, size_t n, size_t *bad)
{
  size_t chars = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = s[i];
    if (r->utf8_need) {
      if ((c & 0xc0) != 0x80) {
        *bad = i;
        return chars;
      }
      r->utf8_need--;
      continue;
    }
    if (c >= 0x80 && c < 0xc2) {
      *bad = i;
      return chars;
    }
    if (c > 0xf4) {
      *bad = i;
      return chars;
    }
    chars++;
    r->utf8_need = c < 0x80 ? 0 : c <= 0xdf ? 1 : c <= 0xef ? 2 : 3;
  }
  *bad = n;
  return chars;
}

static size_t count_chars(const unsigned char *s, size_t n)
{
  size_t chars = 0;
  for (size_t i = 0; i < n; i++)
    chars += (s[i] & 0xc0) != 0x80;
  return chars;
}

static const char *parse_error_text(int status)
{
  switch (status) {
  case CSV_EPARSE:
    return "a quote where RFC 4180 allows none (a field with a quote must be quoted whole and "
           "its quotes doubled, and nothing may follow a closing quote but a comma or a line "
           "break)";
  case CSV_ENOMEM:
  case CSV_ETOOBIG:
    return "a field longer than 16 MiB";
  default:
    return "the CSV parser failed";
  }
}

/* Where a row ends on the segment's line: the column of its line break (a row error is
 * known only once the row is whole). */
static size_t end_of_row_column(struct csv_reader *r, const unsigned char *s, size_t n)
{
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
    n--;
  return r->line_chars + count_chars(s, n) + 1;
}

/* One physical line, or the part of one this chunk holds. */
static bool parse_segment(struct csv_reader *r, const unsigned char *s, size_t n)
{
  size_t bad;
  size_t chars = scan_utf8(r, s, n, &bad);
  if (bad < n)
    return fail_at(r, r->line, r->line_chars + chars + (r->utf8_need ? 0 : 1),
                   "bytes that are not UTF-8");
  size_t done = csv_parse(&r->parser, s, n, on_field, on_row_end, r);
  if (r->cb_message) {
    char *m = r->cb_message;
    r->cb_message = NULL;
    fail_at(r, r->line, end_of_row_column(r, s, n), m);
    free(m);
    return false;
  }
  if (done < n)
    return fail_at(r, r->line, r->line_chars + count_chars(s, done) + 1,
                   parse_error_text(csv_error(&r->parser)));
  if (s[n - 1] == '\n') {
    r->line++;
    r->line_chars = 0;
  } else {
    r->line_chars += chars;
  }
  return true;
}

static bool parse_bytes(struct csv_reader *r, const unsigned char *s, size_t n)
{
  while (n) {
    const unsigned char *nl = memchr(s, '\n', n);
    size_t seg = nl ? (size_t)(nl - s) + 1 : n;
    if (!parse_segment(r, s, seg))
      return false;
    s += seg;
    n -= seg;
  }
  return true;
}

bool csv_reader_feed(struct csv_reader *r, const void *data, size_t len)
{
  if (r->failed || r->finished)
    return !r->failed;
  const unsigned char *s = data;
  r->bytes += (int64_t)len;
  while (!r->bom_done && len) {
    if (*s == bom[r->bom_seen]) {
      s++;
      len--;
      if (++r->bom_seen == 3)
        r->bom_done = true;
      continue;
    }
    /* Not a byte order mark after all: what looked like one is data. */
    r->bom_done = true;
    if (r->bom_seen && !parse_bytes(r, bom, r->bom_seen))
      return false;
  }
  return parse_bytes(r, s, len);
}

/* The end of the current input: a pending byte order mark, the last row. */
static bool end_input(struct csv_reader *r)
{
  if (!r->bom_done && r->bom_seen) {
    r->bom_done = true;
    if (!parse_bytes(r, bom, r->bom_seen))
      return false;
  }
  if (r->utf8_need)
    return fail_at(r, r->line, r->line_chars + 1, "the file ends inside a UTF-8 character");
  int rc = csv_fini(&r->parser, on_field, on_row_end, r);
  if (r->cb_message) {
    char *m = r->cb_message;
    r->cb_message = NULL;
    fail_at(r, r->line, r->line_chars + 1, m);
    free(m);
    return false;
  }
  if (rc != 0 || csv_error(&r->parser) == CSV_EPARSE)
    return fail_at(r, r->line, r->line_chars + 1,
                   "the file ends inside a quoted field (a quote is never closed)");
  if (!r->header_done)
    return fail_at(r, 1, 1, "the file is empty: the first row must name the columns");
  if (r->part_header)
    return fail_at(r, 1, 1, "the part is empty: every part starts with the header row");
  return true;
}

bool csv_reader_finish(struct csv_reader *r)
{
  if (r->failed || r->finished)
    return !r->failed;
  if (!end_input(r))
    return false;
  r->finished = true;
  return true;
}

bool csv_reader_next_part(struct csv_reader *r)
{
  if (r->failed || r->finished)
    return false;
  if (!end_input(r))
    return false;
  r->line = 1;
  r->line_chars = 0;
  r->utf8_need = 0;
  r->bom_seen = 0;
  r->bom_done = false;
  r->part_header = true;
  r->field = 0;
  return true;
}

bool csv_reader_read_file(struct csv_reader *r, const char *path)
{
  return csv_reader_feed_file(r, path) && csv_reader_finish(r);
}

bool csv_reader_feed_file(struct csv_reader *r, const char *path)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    char *m = xasprintf("cannot read %s: %s", path, strerror(errno));
    fail_at(r, 0, 0, m);
    free(m);
    return false;
  }
  enum { CHUNK = 64 * 1024 };
  unsigned char *buf = xmalloc(CHUNK);
  bool ok = true;
  for (;;) {
    ssize_t got = read(fd, buf, CHUNK);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      char *m = xasprintf("cannot read %s: %s", path, strerror(errno));
      ok = fail_at(r, 0, 0, m);
      free(m);
      break;
    }
    if (got == 0)
      break;
    if (!csv_reader_feed(r, buf, (size_t)got)) {
      ok = false;
      break;
    }
  }
  free(buf);
  close(fd);
  return ok;
}

const char *csv_reader_message(const struct csv_reader *r)
{
  return r->message ? r->message : "";
}

size_t csv_reader_error_line(const struct csv_reader *r)
{
  return r->failed ? r->err_line : 0;
}

size_t csv_reader_error_column(const struct csv_reader *r)
{
  return r->failed ? r->err_col : 0;
}

size_t csv_reader_n_columns(const struct csv_reader *r)
{
  return r->header_done ? r->n_columns : 0;
}

const char *csv_reader_column_name(const struct csv_reader *r, size_t i)
{
  return i < r->n_columns ? r->columns[i].name : NULL;
}

enum csv_type csv_reader_column_type(const struct csv_reader *r, size_t i)
{
  if (i >= r->n_columns || !r->columns[i].values)
    return CSV_TYPE_STRING;
  for (size_t k = 0; k < N_PREF; k++) {
    if (r->columns[i].candidates & (1u << preference[k]))
      return preference[k];
  }
  return CSV_TYPE_STRING;
}

int64_t csv_reader_column_values(const struct csv_reader *r, size_t i)
{
  return i < r->n_columns ? r->columns[i].values : 0;
}

int64_t csv_reader_rows(const struct csv_reader *r)
{
  return r->rows;
}

int64_t csv_reader_bytes(const struct csv_reader *r)
{
  return r->bytes;
}
