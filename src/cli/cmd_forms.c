/* synwiz forms check [FILE...]: load form files and report what the loader refuses. */
#include "cli/cli.h"
#include "cli/cli_help.h"
#include "cli/wizard_run.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "usage: synwiz forms check [FILE...]\n"
    "\n"
    "Loads each form definition (default: every form synwiz uses) and names what it\n"
    "refuses. Exit status: 0 every form loads, 2 one does not.\n";

int cmd_forms(struct cli_ctx *ctx, int argc, char **argv)
{
  if (cli_wants_help(argc, argv)) {
    fputs(usage_text, stdout);
    return CLI_EXIT_DONE;
  }
  if (argc < 2 || strcmp(argv[1], "check") != 0) {
    if (argc >= 2)
      cli_error("unknown forms command '%s'", argv[1]);
    fputs(usage_text, stderr);
    return CLI_EXIT_USAGE;
  }
  return wizard_forms_check(wizard_app_hosts(ctx), argc - 2, argv + 2);
}
