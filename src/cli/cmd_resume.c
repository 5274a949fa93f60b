/* synwiz resume [NAME]: list the drafts, or reopen one at the step it was saved at. */
#include "cli/cli.h"
#include "cli/cli_help.h"
#include "cli/wizard_run.h"

#include <stdio.h>

int cmd_resume(struct cli_ctx *ctx, int argc, char **argv)
{
  if (cli_wants_help(argc, argv)) {
    fputs("usage: synwiz resume [NAME] [wizard options]\n"
          "\n"
          "Without NAME, lists the drafts (F2 in a wizard saves one). With NAME, reopens that\n"
          "draft at the step it was saved at. Wizard options: --answers FILE,\n"
          "--non-interactive, --record FILE, --dry-run.\n",
          stdout);
    return CLI_EXIT_DONE;
  }
  return wizard_resume(wizard_app_hosts(ctx), argc, argv);
}
