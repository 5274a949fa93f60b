#include "azure/az_log.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *az_log_default_path(void)
{
  char *dir = paths_state_dir();
  char *p = paths_join(dir, "synwiz.log");
  free(dir);
  return p;
}

void az_log_init(struct az_log *log, const char *path, int verbosity)
{
  log->fd = -1;
  log->failed = false;
  log->verbosity = verbosity;
  if (path && !*path)
    log->path = NULL;
  else
    log->path = path ? xstrdup(path) : az_log_default_path();
}

void az_log_done(struct az_log *log)
{
  if (log->fd >= 0)
    close(log->fd);
  log->fd = -1;
  free(log->path);
  log->path = NULL;
}

bool az_log_enabled(const struct az_log *log, enum az_log_level level)
{
  return log->path && !log->failed && (int)level <= log->verbosity;
}

bool az_log_failed(const struct az_log *log)
{
  return log->failed;
}

static bool open_log(struct az_log *log)
{
  if (log->fd >= 0)
    return true;
  char *copy = xstrdup(log->path);
  fs_mkdir_p(dirname(copy), 0700);
  free(copy);
  log->fd = open(log->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (log->fd < 0) {
    log->failed = true;
    return false;
  }
  /* A log may hold names and ids: keep it private even when it pre-existed wider. */
  fchmod(log->fd, 0600);
  return true;
}

void az_log_write(struct az_log *log, enum az_log_level level, const char *tag, const char *fmt,
                  ...)
{
  if (!az_log_enabled(log, level) || !open_log(log))
    return;
  struct strbuf line;
  strbuf_init(&line, 0);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char stamp[40];
  strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
  strbuf_printf(&line, "%s.%03ldZ [%ld] %-5s ", stamp, ts.tv_nsec / 1000000, (long)getpid(), tag);
  va_list ap;
  va_start(ap, fmt);
  char *msg = NULL;
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n >= 0) {
    msg = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    strbuf_puts(&line, msg);
    free(msg);
  }
  if (line.len == 0 || line.buf[line.len - 1] != '\n')
    strbuf_putc(&line, '\n');
  /* One write() per line: O_APPEND keeps lines of concurrent processes whole. */
  ssize_t w = write(log->fd, line.buf, line.len);
  (void)w;
  strbuf_done(&line);
}
