/*
 * cli: the command-line surface of synwiz.
 *
 * main.c parses the global options into a struct cli_ctx, finds the command in its table
 * and calls the command's function with the remaining arguments (argv[0] is the command
 * word, e.g. "connection"). Each command group lives in its own src/cli/cmd_<group>.c.
 *
 * Exit codes are part of the interface (documented in --help and the README) and every
 * command returns one of them.
 */
#ifndef SYNWIZ_CLI_CLI_H
#define SYNWIZ_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "app/app_result.h"

enum cli_exit {
  CLI_EXIT_DONE = 0,      /* done */
  CLI_EXIT_CANCELLED = 1, /* cancelled by the user */
  CLI_EXIT_USAGE = 2,     /* invalid input or usage */
  CLI_EXIT_REFUSED = 3,   /* Azure refused (authorization, validation) */
  CLI_EXIT_FAILURE = 4,   /* network or service failure */
};

struct cli_ctx {
  const char *argv0;
  const char *cloud;    /* --cloud or SYNWIZ_CLOUD; NULL = automatic */
  const char *store;    /* --store or SYNWIZ_STORE; NULL = default */
  const char *log_file; /* --log-file or SYNWIZ_LOG_FILE; NULL = default */
  int verbosity;        /* -v count, or SYNWIZ_LOG_LEVEL */
};

typedef int (*cli_command_fn)(struct cli_ctx *ctx, int argc, char **argv);

/* Command groups; each is implemented in src/cli/cmd_<group>.c. */
int cmd_home(struct cli_ctx *ctx, int argc, char **argv);
int cmd_connection(struct cli_ctx *ctx, int argc, char **argv);
int cmd_linked_service(struct cli_ctx *ctx, int argc, char **argv);
int cmd_resume(struct cli_ctx *ctx, int argc, char **argv);
int cmd_doctor(struct cli_ctx *ctx, int argc, char **argv);
int cmd_role(struct cli_ctx *ctx, int argc, char **argv);
int cmd_login(struct cli_ctx *ctx, int argc, char **argv);
int cmd_logout(struct cli_ctx *ctx, int argc, char **argv);
int cmd_account(struct cli_ctx *ctx, int argc, char **argv);
int cmd_rest(struct cli_ctx *ctx, int argc, char **argv);
int cmd_sandbox(struct cli_ctx *ctx, int argc, char **argv);
int cmd_forms(struct cli_ctx *ctx, int argc, char **argv);
int cmd_table(struct cli_ctx *ctx, int argc, char **argv);
int cmd_export(struct cli_ctx *ctx, int argc, char **argv);
int cmd_refresh(struct cli_ctx *ctx, int argc, char **argv);
int cmd_schedule(struct cli_ctx *ctx, int argc, char **argv);
int cmd_model(struct cli_ctx *ctx, int argc, char **argv);
/** Refresh the saved model `name`, or every model (NULL): what `synwiz model refresh` and
 * `synwiz refresh --due` (models before exports) run. An exit code (enum cli_exit). */
int cmd_model_refresh(struct cli_ctx *ctx, const char *name);

/* Shared by the commands that talk to Azure (implemented in src/cli/cmd_login.c). */
struct az_client;
struct az_error;
/** Open the Azure session (cloud, signed-in identity, log) for a command; `dry_run` is the
 * stream a dry run prints to, or NULL. On failure prints why and returns its exit code. */
int cli_azure_open(const struct cli_ctx *ctx, FILE *dry_run, struct az_client **out);
/** Print an Azure error to stderr (code, message, hint, request id); return its exit code. */
int cli_azure_fail(const struct az_error *e);
/* Shared by every command (implemented in src/cli/cli.c; the test driver has its own). */
/** The exit code of an app-layer result, by its class (app_result_class()). */
int cli_exit_of_app(enum app_result rc);

struct store;
/** After a listing: name each record of the store it left out as unreadable, and what is
 * wrong with it, on stderr (the command itself goes on with the others). */
void cli_store_damage(struct store *s);

/** Make stdout and stderr show every control character and bidirectional override visibly
 * (cli_safeout.c says why it is one filter); main() calls it before any command runs. */
void cli_safe_streams(void);
/** Print `text` to stdout byte for byte: JSON and `rest` bodies, which scripts parse; the
 * caller makes sure it holds no raw control (JSON with JSON_ENSURE_ASCII does not). */
void cli_print_data(const char *text);

/** Print `text` made safe and cut as a name, padded with spaces to `width` characters: a
 * table cell that keeps the next column in line whatever the name holds. */
void cli_put_cell(const char *text, int width);
/** How many characters `text` takes as cli_put_cell() prints it (to size a column). */
int cli_cell_width(const char *text);
struct json_t;
/** Print `j` as indented JSON (any JSON value; characters beyond ASCII escaped) to stdout,
 * unfiltered: what scripts parse stays valid JSON. */
void cli_print_json(const struct json_t *j);

/** Print "synwiz: <message>" to stderr, with an echoed value cut to a sane length. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
