/*
 * cli_help: conventions every command follows, for the commands that need them.
 *
 * --help: commands that hand their arguments on (to the wizard's option parser, to node)
 * never see --help themselves; cli_wants_help() lets them answer first. Every command
 * answers --help (or -h) anywhere before "--" with its usage on stdout and exit 0, as git
 * and az do.
 *
 * Confirmation: a command that removes something asks first on a terminal and takes --yes
 * otherwise, as az does (`az group delete`): cli_confirm() asks; without a terminal it
 * returns CLI_CONFIRM_NO_TERMINAL and the command refuses, naming --yes.
 */
#ifndef SYNWIZ_CLI_CLI_HELP_H
#define SYNWIZ_CLI_CLI_HELP_H

#include <stdbool.h>

/** Whether argv[1..argc-1] holds --help or -h before a "--". */
bool cli_wants_help(int argc, char **argv);

enum cli_confirm {
  CLI_CONFIRM_YES,
  CLI_CONFIRM_NO,          /* answered no, or end of input: the command is cancelled (exit 1) */
  CLI_CONFIRM_NO_TERMINAL, /* nobody to ask: the command needs --yes (exit 2) */
};

/** Whether there is someone to ask: stdin and stderr are terminals. */
bool cli_can_confirm(void);
/** Ask `question` followed by " [y/N] " on stderr and read the answer from stdin. */
enum cli_confirm cli_confirm(const char *question);

#endif
