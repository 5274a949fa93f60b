/*
 * synwiz sandbox ...: the local stand-in for Azure. The sandbox is a Node.js program
 * (sandbox/bin/sandbox.mjs, shipped in share/synwiz/sandbox); this command only finds it
 * and hands over the arguments. SYNWIZ_NODE names another node binary.
 */
#include "cli/cli.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_sandbox(struct cli_ctx *ctx, int argc, char **argv)
{
  const char *node = getenv("SYNWIZ_NODE");
  if (!node || !*node)
    node = "node";
  char *script = paths_data_sub("sandbox/bin/sandbox.mjs");
  if (access(script, R_OK) != 0) {
    cli_error("the sandbox is not installed (looked for %s)", script);
    free(script);
    return CLI_EXIT_FAILURE;
  }
  /* argv[0] is "sandbox"; node gets: node SCRIPT <subcommand> <args...> */
  char **args = xcalloc((size_t)argc + 3, sizeof(char *));
  args[0] = (char *)node;
  args[1] = script;
  for (int i = 1; i < argc; i++)
    args[i + 1] = argv[i];
  args[argc + 1] = NULL;
  execvp(node, args);
  cli_error("cannot run %s: %s (install Node.js 20, or set SYNWIZ_NODE)", node, strerror(errno));
  free(args);
  free(script);
  return CLI_EXIT_FAILURE;
}
