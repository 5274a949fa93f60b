/*
 * cli_help: --help for commands that hand their arguments on (to the wizard's option
 * parser, to node) and so never see --help themselves. Every command answers --help (or
 * -h) anywhere before "--" with its usage on stdout and exit 0, as git and az do.
 */
#ifndef SYNWIZ_CLI_CLI_HELP_H
#define SYNWIZ_CLI_CLI_HELP_H

#include <stdbool.h>

/** Whether argv[1..argc-1] holds --help or -h before a "--". */
bool cli_wants_help(int argc, char **argv);

#endif
