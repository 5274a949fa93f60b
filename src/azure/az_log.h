/*
 * az_log: the Azure client's log file. Never the terminal: the screen belongs to ui/.
 *
 * The file is opened lazily on the first line (O_APPEND, created 0600, its directory
 * created 0700), so a program that makes no call writes no file. When it cannot be
 * opened the lines are dropped silently (the client must work on a read-only home); the
 * failure is remembered and reported by az_log_failed().
 *
 * Verbosity (--verbose count, or SYNWIZ_LOG_LEVEL):
 *   0 AZ_LOG_BASIC    errors, every retry wait with its reason, one line per request and
 *                     answer, sign-in events
 *   1 AZ_LOG_HEADERS  + request and answer headers (secret ones redacted)
 *   2 AZ_LOG_BODIES   + bodies (redacted, cut at 8 KiB)
 * Callers pass text that is already redacted (see az_redact.h); az_log only formats.
 */
#ifndef SYNWIZ_AZURE_AZ_LOG_H
#define SYNWIZ_AZURE_AZ_LOG_H

#include <stdbool.h>

enum az_log_level {
  AZ_LOG_BASIC = 0,
  AZ_LOG_HEADERS = 1,
  AZ_LOG_BODIES = 2,
};

struct az_log {
  char *path; /* NULL: logging off */
  int fd;
  int verbosity;
  bool failed;
};

/** `path` NULL means the default, $XDG_STATE_HOME/synwiz/synwiz.log; "" turns logging off. */
void az_log_init(struct az_log *log, const char *path, int verbosity);
void az_log_done(struct az_log *log);
bool az_log_enabled(const struct az_log *log, enum az_log_level level);
void az_log_write(struct az_log *log, enum az_log_level level, const char *tag, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));
bool az_log_failed(const struct az_log *log);
/** The default log path (fresh heap string). */
char *az_log_default_path(void);

#endif
