/*
 * wizard_run: runs a wizard for the CLI: `synwiz connection new`, `synwiz linked-service
 * new`, `synwiz resume`, and the home screen. It parses the wizard options, loads the form
 * from the data dir, and runs it interactively (ui/) or headless (wizard/headless.h):
 *
 *  --answers FILE      answers by field id; a complete, valid file runs without screens;
 *                      gaps and invalid answers are asked for on the screens and the rest
 *                      goes on unattended
 *  --non-interactive   never open screens: list each missing or invalid answer with its
 *                      field id and rule, exit 2
 *  --record FILE       write the answers of the run (secrets as {"env": NAME} references)
 *  --dry-run           the host prints each call instead of changing anything
 *
 * Edit mode (wizard_opts.edit, `synwiz connection edit NAME`, `synwiz linked-service edit
 * NAME --workspace WS` as "WS/NAME"): the hosts' edit() binds the host to the saved thing and
 * gives its answers, applied before any answers file; edit() runs before the wizard is made
 * (it may wait on Azure, and the wizard's first loads must not finish before the saved
 * answers are in); the screens start at the first step. Action mode (wizard_opts.action, the
 * home screen's actions on a saved thing, bound by the entry's ref): the host is bound the
 * same way and the action runs at once; the command ends when its report is closed. On the
 * home screen, an edit() that refuses says why in the home's notice line.
 *
 * Exit codes: enum cli_exit (0 done, 1 cancelled, 2 invalid input or usage, 3 Azure refused,
 * 4 network or service failure).
 *
 * Hosts come from a struct wizard_hosts: the product's (wizard_app_hosts() of app_hosts.c:
 * the app layer's host of each form, and the names they declare, from the app's registry
 * src/app/app_action.h) or a test driver's (fake hosts, test-mode terminal).
 */
#ifndef SYNWIZ_CLI_WIZARD_RUN_H
#define SYNWIZ_CLI_WIZARD_RUN_H

#include <jansson.h>
#include <stdbool.h>

#include "cli/cli.h"
#include "ui/ui_term.h"
#include "wizard/wiz_host.h"

struct strbuf;

struct wizard_hosts {
  /** The host of a form's wizard, or NULL with the reason appended to `why`. */
  struct wiz_host *(*open)(void *ctx, const char *form_id, bool dry_run, struct strbuf *why);
  void (*close)(void *ctx, struct wiz_host *host);
  /** The home screen's data (fresh), or NULL with the reason appended to `why`. */
  struct wiz_home *(*home)(void *ctx, struct strbuf *why);
  /** Called once when the command ends (may be NULL). */
  void (*release)(void *ctx);
  void *ctx;
  const struct ui_term_opts *term; /* NULL: the real terminal */
  const char *cloud_label;         /* said in the title bar, e.g. "Sandbox", or NULL */
  /** Edit mode: bind `host` to the saved thing `name` and give its answers (a JSON object,
   * new reference); NULL with the reason in `why` and *out_exit (may be NULL: not
   * supported). */
  json_t *(*edit)(void *ctx, struct wiz_host *host, const char *form_id, const char *name,
                  struct strbuf *why, int *out_exit);
  /** The exit code of the last failed open() (set by open; 0 = CLI_EXIT_FAILURE). */
  int open_exit;
  /** The names the forms may use (forms check, the home screen's list of wizards): the
   * app's registry (app_action_contract()) or a test driver's fake. */
  const struct wiz_decl *decl;
  /** The home screen's data may have changed elsewhere (a sign-in in another terminal):
   * forget what was learned, read it again at the next home() (may be NULL). */
  void (*refresh)(void *ctx);
  /** Sign in on the terminal (the screens are closed meanwhile): a CLI exit code (may be
   * NULL: the home screen then says how to sign in). */
  int (*sign_in)(void *ctx);
};

struct wizard_opts {
  const char *answers;
  const char *record;
  bool non_interactive;
  bool dry_run;
  const char *edit;         /* edit the saved thing of this name (NULL: a new one) */
  const char *action;       /* action mode: run this host action on `edit`'s saved thing */
  const char *action_label; /* ... shown as this */
  /* Headless: run this action of the form's host instead of its finish (e.g. the model
   * wizard's "model_save" for `synwiz model new` without --run), or NULL. */
  const char *headless_action;
};

/** The product's hosts (the app layer's, as they are implemented). */
const struct wizard_hosts *wizard_app_hosts(struct cli_ctx *ctx);
/** Parse the wizard options from argv[1..]; returns the index of the first operand, or -1
 * after printing a usage error. */
int wizard_parse_opts(int argc, char **argv, struct wizard_opts *out);
/** Run the wizard of `form_id`. */
int wizard_run(const struct wizard_hosts *hosts, const char *form_id,
               const struct wizard_opts *opts);
/** synwiz resume [NAME] [wizard options]: list the drafts, or reopen one. */
int wizard_resume(const struct wizard_hosts *hosts, int argc, char **argv);
/** The home screen. */
int wizard_home(const struct wizard_hosts *hosts);
/** synwiz forms check [FILE...], against the hosts' declarations. */
int wizard_forms_check(const struct wizard_hosts *hosts, int argc, char **argv);

#endif
