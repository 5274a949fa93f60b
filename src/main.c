/*
 * synwiz: the Azure Synapse wizards of Customer Insights and Synapse Studio, in a terminal.
 * This file only parses the global options and dispatches to src/cli/cmd_*.c.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct command {
  const char *name;
  cli_command_fn fn;
  const char *summary;
};

static const struct command commands[] = {
  { "connection", cmd_connection, "new | list | show NAME | edit NAME | remove NAME" },
  { "linked-service", cmd_linked_service,
    "new | list | show NAME | edit NAME | remove NAME --workspace WS (Azure ML)" },
  { "resume", cmd_resume, "[NAME]  reopen a saved draft" },
  { "doctor", cmd_doctor, "CONNECTION [--fix]  check (and grant) the roles a connection needs" },
  { "role", cmd_role, "list | add OBJECT_ID ROLE | remove OBJECT_ID  (who may use the store)" },
  { "login", cmd_login, "[--service-principal ... | --managed-identity]  sign in to Azure" },
  { "logout", cmd_logout, "erase the token cache" },
  { "account", cmd_account, "show [--output json]  who is signed in, to which cloud" },
  { "rest", cmd_rest, "--method M --url URL [--body JSON|@FILE] [--scope S] [--all]" },
  { "sandbox", cmd_sandbox,
    "start | stop | status | reset | env | secrets | fault | approve | state" },
  { "table", cmd_table, "add NAME --file F | --url U | list | show NAME | remove NAME" },
  { "export", cmd_export,
    "new | edit NAME | list | show NAME | run NAME | --all | schedule | remove" },
  { "refresh", cmd_refresh, "--due  a system refresh: every model, then the exports due" },
  { "schedule", cmd_schedule, "install | remove  run synwiz refresh --due regularly" },
  { "model", cmd_model,
    "new [--run] | list | show NAME | edit NAME | refresh NAME|--all | cancel NAME | remove NAME" },
  { "forms", cmd_forms, "check [FILE...]  validate form definitions" },
};

static void usage(FILE *out)
{
  fputs("usage: synwiz [global options] [command] [arguments]\n"
        "\n"
        "With no command, synwiz opens the home screen.\n"
        "\n"
        "Commands:\n",
        out);
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    fprintf(out, "  %-15s %s\n", commands[i].name, commands[i].summary);
  fputs("\n"
        "Global options:\n"
        "  --cloud NAME     AzureCloud, AzureChinaCloud, AzureUSGovernment, sandbox, or a\n"
        "                   profile file (also SYNWIZ_CLOUD)\n"
        "  --store DIR      the connection store (also SYNWIZ_STORE)\n"
        "  --log-file FILE  where the log goes (also SYNWIZ_LOG_FILE)\n"
        "  -v, --verbose    more detail in the log (repeat; also SYNWIZ_LOG_LEVEL)\n"
        "  -h, --help       this text;  --version  the version\n"
        "\n"
        "Wizard options (connection, linked-service, export, model: new|edit; resume):\n"
        "  --answers FILE   fill the wizard from a JSON answers file\n"
        "  --non-interactive  never open screens; list missing or invalid answers instead\n"
        "  --record FILE    write the answers of this run (secrets as references)\n"
        "  --dry-run        go through every step, print each call, change nothing\n"
        "\n"
        "Exit status: 0 done, 1 cancelled by the user, 2 invalid input or usage,\n"
        "3 Azure refused (authorization, validation), 4 network or service failure.\n",
        out);
}

static int parse_verbosity(const char *s)
{
  char *end = NULL;
  long v = strtol(s, &end, 10);
  if (end == s || *end != '\0' || v < 0 || v > 9)
    return 0;
  return (int)v;
}

int main(int argc, char **argv)
{
  /* Before anything is printed: names and messages from outside must not drive the
   * terminal (cli_safeout.c). */
  cli_safe_streams();
  struct cli_ctx ctx = { 0 };
  ctx.argv0 = argv[0];
  ctx.cloud = getenv("SYNWIZ_CLOUD");
  ctx.store = getenv("SYNWIZ_STORE");
  ctx.log_file = getenv("SYNWIZ_LOG_FILE");
  if (getenv("SYNWIZ_LOG_LEVEL"))
    ctx.verbosity = parse_verbosity(getenv("SYNWIZ_LOG_LEVEL"));

  static const struct option opts[] = {
    { "cloud", required_argument, NULL, 'c' },
    { "store", required_argument, NULL, 's' },
    { "log-file", required_argument, NULL, 'l' },
    { "verbose", no_argument, NULL, 'v' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
  };
  /* '+' stops at the first non-option: the command parses the rest itself. */
  int c;
  while ((c = getopt_long(argc, argv, "+vh", opts, NULL)) != -1) {
    switch (c) {
    case 'c':
      ctx.cloud = optarg;
      break;
    case 's':
      ctx.store = optarg;
      break;
    case 'l':
      ctx.log_file = optarg;
      break;
    case 'v':
      ctx.verbosity++;
      break;
    case 'h':
      usage(stdout);
      return CLI_EXIT_DONE;
    case 'V':
      printf("synwiz %s\n", SYNWIZ_VERSION);
      return CLI_EXIT_DONE;
    default:
      usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }
  int rest = argc - optind;
  char **rargv = argv + optind;
  optind = 1; /* commands run getopt again on their own argv */
  if (rest == 0)
    return cmd_home(&ctx, rest, rargv);
  if (strcmp(rargv[0], "help") == 0) {
    usage(stdout);
    return CLI_EXIT_DONE;
  }
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
    if (strcmp(rargv[0], commands[i].name) == 0)
      return commands[i].fn(&ctx, rest, rargv);
  }
  cli_error("unknown command '%s' (see synwiz --help)", rargv[0]);
  return CLI_EXIT_USAGE;
}
