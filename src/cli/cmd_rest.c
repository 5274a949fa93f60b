#include "cli/cli.h"

int cmd_rest(struct cli_ctx *ctx, int argc, char **argv)
{
  cli_error("'%s' is not available in this build yet", argc > 0 ? argv[0] : "synwiz");
  return CLI_EXIT_USAGE;
}
