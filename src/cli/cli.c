/* The helpers every command shares (cli.h): the error line and the exit code of an app
 * result. Kept out of main.c so that no cmd_*.c depends on the file that dispatches to it. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>

void cli_error(const char *fmt, ...)
{
  va_list ap;
  fputs("synwiz: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
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
