/* synwiz with no command: the home screen. */
#include "cli/cli.h"
#include "cli/wizard_run.h"

int cmd_home(struct cli_ctx *ctx, int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return wizard_home(wizard_app_hosts(ctx));
}
