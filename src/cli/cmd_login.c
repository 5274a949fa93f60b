#include "cli/cli.h"

int cmd_login(struct cli_ctx *ctx, int argc, char **argv)
{
  cli_error("'%s' is not available in this build yet", argc > 0 ? argv[0] : "synwiz");
  return CLI_EXIT_USAGE;
}

int cmd_logout(struct cli_ctx *ctx, int argc, char **argv)
{
  cli_error("'%s' is not available in this build yet", argc > 0 ? argv[0] : "synwiz");
  return CLI_EXIT_USAGE;
}

int cmd_account(struct cli_ctx *ctx, int argc, char **argv)
{
  cli_error("'%s' is not available in this build yet", argc > 0 ? argv[0] : "synwiz");
  return CLI_EXIT_USAGE;
}
