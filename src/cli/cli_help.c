/* cli_help: see cli_help.h. */
#include "cli/cli_help.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool cli_wants_help(int argc, char **argv)
{
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0)
      break;
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
      return true;
  }
  return false;
}

bool cli_can_confirm(void)
{
  return isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
}

enum cli_confirm cli_confirm(const char *question)
{
  if (!cli_can_confirm())
    return CLI_CONFIRM_NO_TERMINAL;
  fprintf(stderr, "%s [y/N] ", question);
  fflush(stderr);
  char line[64];
  if (!fgets(line, sizeof(line), stdin)) {
    fputc('\n', stderr);
    return CLI_CONFIRM_NO;
  }
  const char *p = line + strspn(line, " \t");
  return (*p == 'y' || *p == 'Y') ? CLI_CONFIRM_YES : CLI_CONFIRM_NO;
}
