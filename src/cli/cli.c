/* The helpers every command shares (cli.h): the error line and the exit code of an app
 * result. Kept out of main.c so that no cmd_*.c depends on the file that dispatches to it. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/safetext.h"
#include "util/strbuf.h"

void cli_error(const char *fmt, ...)
{
  /* An error line often echoes a value from outside (an answer, a name, Azure's message):
   * made safe here once, and cut, since a 1 MB answer was once echoed whole. The stream
   * filter (cli_safeout.c) would escape it too; the test driver has no filter. */
  struct strbuf sb;
  strbuf_init(&sb, 0);
  va_list ap;
  va_start(ap, fmt);
  strbuf_vprintf(&sb, fmt, ap);
  va_end(ap);
  char *safe = safetext_dup(sb.buf, SAFETEXT_MESSAGE_MAX, SAFETEXT_NEWLINES | SAFETEXT_TABS);
  fprintf(stderr, "synwiz: %s\n", safe);
  free(safe);
  strbuf_done(&sb);
}

int cli_exit_of_app(enum app_result rc)
{
  switch (app_result_class(rc)) {
  case APP_CLASS_OK:
    return CLI_EXIT_DONE;
  case APP_CLASS_USAGE:
    return CLI_EXIT_USAGE;
  case APP_CLASS_REFUSED:
    return CLI_EXIT_REFUSED;
  case APP_CLASS_FAILURE:
    break;
  }
  return CLI_EXIT_FAILURE;
}
