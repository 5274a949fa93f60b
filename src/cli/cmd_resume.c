/* synwiz resume [NAME]: list the drafts, or reopen one at the step it was saved at. */
#include "cli/cli.h"
#include "cli/wizard_run.h"

int cmd_resume(struct cli_ctx *ctx, int argc, char **argv)
{
  return wizard_resume(wizard_app_hosts(ctx), argc, argv);
}
