/*
 * The CLI's stdout and stderr pass every byte through safetext (util/safetext.h) before it
 * reaches the terminal.
 *
 * Why one filter instead of a call at each print site: the names, messages and values that
 * did not come from synwiz (Azure's names and errors, answers files, store records) reach
 * about two hundred print sites in cli/, app/ and wizard/, and a name holding ESC or BEL
 * retitles or clears the user's terminal through any one that is missed. synwiz's own text
 * holds no control character but '\n' and '\t', so filtering the whole stream changes
 * nothing it writes itself and covers every site, including the ones added later.
 *
 * What must stay byte-exact (JSON for scripts, `synwiz rest` bodies) goes through
 * cli_print_data() to the unfiltered stdout; it is JSON with every non-ASCII character escaped,
 * so it holds no raw control either. curses gets its own descriptor (ui/ui_term.c).
 */
#define _GNU_SOURCE
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "util/safetext.h"
#include "util/strbuf.h"

struct safeout {
  int fd;
  unsigned char carry[4]; /* the start of a UTF-8 character cut by the stream's buffer */
  size_t n_carry;
};

static struct safeout out_state = { .fd = STDOUT_FILENO };
static struct safeout err_state = { .fd = STDERR_FILENO };
static FILE *raw_stdout;

static bool write_all(int fd, const char *p, size_t n)
{
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    p += w;
    n -= (size_t)w;
  }
  return true;
}

/* How many bytes at the end of `p` begin a UTF-8 character that is not complete yet. */
static size_t incomplete_tail(const unsigned char *p, size_t n)
{
  for (size_t back = 1; back <= 3 && back <= n; back++) {
    unsigned char c = p[n - back];
    if ((c & 0xc0) == 0x80)
      continue; /* a continuation byte: look further back for its lead */
    size_t need = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

static bool emit(struct safeout *so, const unsigned char *p, size_t n)
{
  struct strbuf sb;
  strbuf_init(&sb, 0);
  safetext_append(&sb, (const char *)p, n, 0, SAFETEXT_NEWLINES | SAFETEXT_TABS);
  bool ok = write_all(so->fd, sb.buf, sb.len);
  strbuf_done(&sb);
  return ok;
}

static ssize_t safeout_write(void *cookie, const char *buf, size_t size)
{
  struct safeout *so = cookie;
  struct strbuf in;
  strbuf_init(&in, 0);
  strbuf_append(&in, so->carry, so->n_carry);
  strbuf_append(&in, buf, size);
  const unsigned char *p = (const unsigned char *)in.buf;
  size_t keep = incomplete_tail(p, in.len);
  bool ok = emit(so, p, in.len - keep);
  memcpy(so->carry, p + in.len - keep, keep);
  so->n_carry = keep;
  strbuf_done(&in);
  return ok ? (ssize_t)size : -1;
}

static int safeout_close(void *cookie)
{
  struct safeout *so = cookie;
  /* An incomplete character at the very end is shown as its bytes. */
  if (so->n_carry && !emit(so, so->carry, so->n_carry))
    return -1;
  so->n_carry = 0;
  return 0;
}

void cli_safe_streams(void)
{
  static bool done;
  if (done)
    return;
  done = true;
  cookie_io_functions_t io = { .write = safeout_write, .close = safeout_close };
  FILE *out = fopencookie(&out_state, "w", io);
  FILE *err = fopencookie(&err_state, "w", io);
  if (!out || !err) {
    if (out)
      fclose(out);
    if (err)
      fclose(err);
    return; /* out of memory at start-up: print unfiltered rather than nothing */
  }
  setvbuf(out, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
  setvbuf(err, NULL, _IONBF, 0);
  raw_stdout = stdout;
  stdout = out;
  stderr = err;
}

void cli_print_data(const char *text)
{
  /* Flushing both sides keeps what was printed through the filter and this in order. */
  fflush(stdout);
  FILE *out = raw_stdout ? raw_stdout : stdout;
  fputs(text, out);
  fflush(out);
}

int cli_cell_width(const char *text)
{
  char *safe = safetext_dup(text, SAFETEXT_NAME_MAX, 0);
  int chars = 0;
  for (const unsigned char *p = (const unsigned char *)safe; *p; p++)
    chars += (*p & 0xc0) != 0x80;
  free(safe);
  return chars;
}

void cli_put_cell(const char *text, int width)
{
  /* Padded by characters, not bytes: a name shown with its escapes (or holding non-ASCII
   * letters) keeps the columns after it in line. */
  char *safe = safetext_dup(text, SAFETEXT_NAME_MAX, 0);
  int chars = cli_cell_width(text);
  fputs(safe, stdout);
  for (int i = chars; i < width; i++)
    putchar(' ');
  free(safe);
}

void cli_print_json(const struct json_t *j)
{
  /* JSON_ENSURE_ASCII: every character beyond ASCII as \uXXXX, and Jansson escapes the
   * controls, so the bytes are both valid JSON and harmless on a terminal. */
  char *text =
      json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
  struct strbuf sb;
  strbuf_init(&sb, 0);
  strbuf_puts(&sb, text ? text : "null");
  strbuf_putc(&sb, '\n');
  cli_print_data(sb.buf);
  strbuf_done(&sb);
  free(text);
}
