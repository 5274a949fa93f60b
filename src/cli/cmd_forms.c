/* synwiz forms check [FILE...]: load form files and report what the loader refuses. */
#include "cli/cli.h"
#include "cli/wizard_run.h"

#include <string.h>

int cmd_forms(struct cli_ctx *ctx, int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "check") != 0) {
    cli_error("usage: synwiz forms check [FILE...]  (default: every form of the data dir)");
    return CLI_EXIT_USAGE;
  }
  return wizard_forms_check(wizard_app_hosts(ctx), argc - 2, argv + 2);
}
