/*
 * synwiz connection new | edit NAME | list | show NAME | remove NAME: the Synapse
 * connections of the store (behavior.md W1, issue 5). `new` and `edit` run the connection
 * wizard (wizard_run.h: --answers, --non-interactive, --record, --dry-run); the others read
 * or change the store directly, under its roles (only administrators edit or remove;
 * contributors see the name and type of the connections shared with them, and nothing of
 * the others).
 */
#include "cli/cli.h"
#include "cli/cli_help.h"
#include "cli/wizard_run.h"

#include "app/app_connection.h"
#include "app/app_ctx.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: synwiz connection new [wizard options]\n"
    "       synwiz connection edit NAME [wizard options]\n"
    "       synwiz connection list [--output json|table]\n"
    "       synwiz connection show NAME [--output json|table]\n"
    "       synwiz connection remove NAME [--remove-dependents | --detach-dependents] [--yes]\n"
    "\n"
    "The Azure Synapse Analytics connections of the store (--store DIR or SYNWIZ_STORE).\n"
    "\n"
    "  new      the connection wizard: display name, who can use it, subscription, workspace,\n"
    "           storage account, container (or a new one, created on save), Private Link,\n"
    "           the data privacy agreement; then the prerequisites check (synwiz doctor)\n"
    "  edit     the same wizard on a saved connection; saved as an update of the revision\n"
    "           read (a conflicting change by someone else is reported, not overwritten)\n"
    "  list     the connections you may see (contributors: name and type of the ones\n"
    "           shared with contributors)\n"
    "  show     one connection, every answer (--output json)\n"
    "  remove   refused while exports or models use it; --remove-dependents removes them\n"
    "           first, --detach-dependents keeps them inactive (\"No connection\"); asks\n"
    "           first on a terminal, and needs --yes elsewhere\n"
    "\n"
    "Wizard options: --answers FILE (keys: display_name, audience admins|\n"
    "admins_and_contributors, subscription, workspace, storage_account, container or\n"
    "{\"new\": NAME}, private_link true|false, agree true|false), --non-interactive,\n"
    "--record FILE, --dry-run (prints each call, changes nothing).\n"
    "Only administrators of the store create, edit or remove connections.\n"
    "\n"
    "Exit status: 0 done, 1 cancelled, 2 invalid input or usage, 3 refused (Azure, or\n"
    "your role in the store), 4 network or service failure.\n";

static int usage(bool ok)
{
  fputs(usage_text, ok ? stdout : stderr);
  return ok ? CLI_EXIT_DONE : CLI_EXIT_USAGE;
}

static bool wants_help(int argc, char **argv)
{
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
      return true;
    if (strcmp(argv[i], "--") == 0)
      break;
  }
  return false;
}

/* The store as the signed-in identity; on failure prints why and returns the exit code. */
static int open_store(const struct cli_ctx *ctx, struct app_ctx **out_app, struct store **out)
{
  struct az_client *client = NULL;
  int rc = cli_azure_open(ctx, NULL, &client);
  if (rc != CLI_EXIT_DONE)
    return rc;
  struct app_ctx_options o = { client, ctx->store };
  struct app_ctx *app = app_ctx_new(&o);
  const char *msg = NULL;
  enum app_result r = app_ctx_store(app, out, &msg);
  if (r != APP_OK) {
    cli_error("%s", msg ? msg : app_result_message(r));
    app_ctx_delete(app);
    return cli_exit_of_app(r);
  }
  *out_app = app;
  return CLI_EXIT_DONE;
}

/* --output json|table after the operands. */
static int parse_output(int argc, char **argv, int first, bool *json, const char **name)
{
  *json = false;
  *name = NULL;
  for (int i = first; i < argc; i++) {
    const char *a = argv[i];
    const char *v = NULL;
    if (strcmp(a, "--output") == 0 || strcmp(a, "-o") == 0) {
      if (i + 1 >= argc) {
        cli_error("%s needs a value: json or table", a);
        return -1;
      }
      v = argv[++i];
    } else if (strncmp(a, "--output=", 9) == 0) {
      v = a + 9;
    } else if (a[0] == '-') {
      cli_error("unknown option '%s'", a); /* say what was wrong before the usage */
      return -1;
    } else if (!*name) {
      *name = a;
      continue;
    } else {
      cli_error("one operand too many: '%s'", a);
      return -1;
    }
    if (strcmp(v, "json") == 0)
      *json = true;
    else if (strcmp(v, "table") != 0) {
      cli_error("--output takes json or table, not '%s'", v);
      return -1;
    }
  }
  return 0;
}

static void print_json(json_t *j)
{
  cli_print_json(j);
}

static int cmd_list(struct cli_ctx *ctx, int argc, char **argv)
{
  bool json;
  const char *extra;
  if (parse_output(argc, argv, 2, &json, &extra) != 0)
    return usage(false);
  if (extra) {
    cli_error("connection list takes no NAME ('%s')", extra);
    return usage(false);
  }
  struct app_ctx *app = NULL;
  struct store *s = NULL;
  int rc = open_store(ctx, &app, &s);
  if (rc != CLI_EXIT_DONE)
    return rc;
  struct store_connection_list l = { 0 };
  enum app_result r = store_connection_list(s, &l);
  if (r != APP_OK) {
    cli_error("%s", store_message(s));
    app_ctx_delete(app);
    return cli_exit_of_app(r);
  }
  cli_store_damage(s);
  if (json) {
    json_t *arr = json_array();
    for (size_t i = 0; i < l.n; i++)
      json_array_append_new(arr, store_connection_to_json(&l.items[i]));
    print_json(arr);
    json_decref(arr);
  } else if (l.n == 0) {
    printf("No connections you may see in %s. Administrators set one up with: synwiz "
           "connection new\n",
           store_dir(s));
  } else {
    printf("%-24s %-24s %-32s %s\n", "NAME", "TYPE", "WHO CAN USE IT",
           "WORKSPACE / STORAGE / CONTAINER");
    for (size_t i = 0; i < l.n; i++) {
      const struct store_connection *c = &l.items[i];
      const char *who = c->audience == STORE_AUDIENCE_ADMINS ? "administrators"
                                                             : "administrators and contributors";
      if (c->redacted)
        printf("%-24s %-24s %-32s %s\n", c->display_name, STORE_CONNECTION_TYPE, who,
               "(shared with you: name and type only)");
      else
        printf("%-24s %-24s %-32s %s / %s / %s\n", c->display_name, STORE_CONNECTION_TYPE, who,
               c->workspace_name, c->storage_account, c->container);
    }
  }
  store_connection_list_done(&l);
  app_ctx_delete(app);
  return CLI_EXIT_DONE;
}

static void row(const char *label, const char *value)
{
  if (value)
    printf("%-26s %s\n", label, value);
}

static int cmd_show(struct cli_ctx *ctx, int argc, char **argv)
{
  bool json;
  const char *name;
  if (parse_output(argc, argv, 2, &json, &name) != 0 || !name)
    return usage(false);
  struct app_ctx *app = NULL;
  struct store *s = NULL;
  int rc = open_store(ctx, &app, &s);
  if (rc != CLI_EXIT_DONE)
    return rc;
  struct store_connection c;
  store_connection_init(&c);
  enum app_result r = store_connection_find(s, name, &c);
  if (r != APP_OK) {
    cli_error("%s", store_message(s));
    app_ctx_delete(app);
    return cli_exit_of_app(r);
  }
  if (json) {
    json_t *j = store_connection_to_json(&c);
    print_json(j);
    json_decref(j);
  } else {
    row("Name:", c.display_name);
    row("Type:", STORE_CONNECTION_TYPE);
    if (c.redacted) {
      row("Who can use it:", "administrators and contributors");
      printf("(Shared with you: contributors see only the name and type of a connection.)\n");
    } else {
      row("Who can use it:", c.audience == STORE_AUDIENCE_ADMINS
                                 ? "administrators"
                                 : "administrators and contributors");
      char *sub = c.subscription_name ? xasprintf("%s (%s)", c.subscription_name, c.subscription_id)
                                      : xstrdup(c.subscription_id);
      row("Subscription:", sub);
      free(sub);
      row("Workspace:", c.workspace_name);
      row("Resource group:", c.workspace_resource_group);
      row("Dev endpoint:", c.workspace_dev_endpoint);
      row("Workspace identity:", c.workspace_principal_id);
      row("Storage account:", c.storage_account);
      row("Storage resource group:", c.storage_resource_group);
      row("Container:", c.container);
      row("Private Link:", c.private_link ? "enabled" : "not enabled");
      row("Agreed to data privacy:", c.agreed_at);
      char *rev = xasprintf("%ld (created %s, updated %s)", c.meta.revision, c.meta.created_at,
                            c.meta.updated_at);
      row("Revision:", rev);
      free(rev);
      row("Id:", c.meta.id);
    }
  }
  store_connection_done(&c);
  app_ctx_delete(app);
  return CLI_EXIT_DONE;
}

static int cmd_remove(struct cli_ctx *ctx, int argc, char **argv)
{
  static const struct option opts[] = {
    { "remove-dependents", no_argument, NULL, 'r' },
    { "detach-dependents", no_argument, NULL, 'd' },
    { "yes", no_argument, NULL, 'y' },
    { NULL, 0, NULL, 0 },
  };
  enum app_remove_mode mode = APP_REMOVE_REFUSE;
  bool yes = false;
  optind = 0;
  int ch;
  while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
    if (ch == 'r' && mode == APP_REMOVE_REFUSE)
      mode = APP_REMOVE_DEPENDENTS;
    else if (ch == 'd' && mode == APP_REMOVE_REFUSE)
      mode = APP_REMOVE_DETACH;
    else if (ch == 'y')
      yes = true;
    else
      return usage(false);
  }
  if (optind + 1 != argc - 1)
    return usage(false);
  const char *name = argv[1 + optind];
  /* Refused before signing in: nothing to ask, nothing to wait for. */
  if (!yes && !cli_can_confirm()) {
    cli_error("connection remove asks first: run it on a terminal, or add --yes");
    return CLI_EXIT_USAGE;
  }
  struct app_ctx *app = NULL;
  struct store *s = NULL;
  int rc = open_store(ctx, &app, &s);
  if (rc != CLI_EXIT_DONE)
    return rc;
  struct store_connection c;
  store_connection_init(&c);
  enum app_result r = store_connection_require_admin(s, "remove");
  if (r == APP_OK)
    r = store_connection_find(s, name, &c);
  if (r != APP_OK) {
    cli_error("%s", store_message(s));
    store_connection_done(&c);
    app_ctx_delete(app);
    return cli_exit_of_app(r);
  }
  if (!yes) {
    char *q =
        xasprintf("Remove the connection %s?%s", c.display_name,
                  mode == APP_REMOVE_DEPENDENTS ? " (and the exports and models using it)" : "");
    enum cli_confirm answer = cli_confirm(q);
    free(q);
    if (answer != CLI_CONFIRM_YES) {
      printf("Not removed.\n");
      store_connection_done(&c);
      app_ctx_delete(app);
      return CLI_EXIT_CANCELLED;
    }
  }
  struct strbuf log;
  strbuf_init(&log, 0);
  struct store_dependent_list deps = { 0 };
  r = app_connection_remove(s, c.meta.id, c.meta.revision, mode, &deps, &log);
  for (char *line = log.buf; *line;) {
    size_t n = strcspn(line, "\n");
    printf("%.*s\n", (int)n, line);
    line += n + (line[n] == '\n');
  }
  if (r == APP_HAS_DEPENDENTS) {
    cli_error("%s", store_message(s));
    fprintf(stderr, "It is used by:\n");
    for (size_t i = 0; i < deps.n; i++)
      fprintf(stderr, "  %s '%s'\n", store_kind_noun(deps.items[i].kind), deps.items[i].name);
    fprintf(stderr,
            "Choose, as Customer Insights offers it:\n"
            "  synwiz connection remove %s --remove-dependents   remove them, then the "
            "connection\n"
            "  synwiz connection remove %s --detach-dependents   keep them, inactive (\"No "
            "connection\"), then remove it\n"
            "or remove or detach them one by one, and run this again.\n",
            name, name);
  } else if (r != APP_OK) {
    cli_error("%s", store_message(s));
  } else {
    printf("Removed the connection %s. The workspace, the storage account and the container "
           "stay in Azure.\n",
           c.display_name);
  }
  store_dependent_list_done(&deps);
  strbuf_done(&log);
  store_connection_done(&c);
  app_ctx_delete(app);
  return cli_exit_of_app(r);
}

static int cmd_wizard(struct cli_ctx *ctx, int argc, char **argv, bool edit)
{
  struct wizard_opts o;
  const char *name = NULL;
  int first;
  if (edit && argc > 2 && argv[2][0] != '-') {
    /* connection edit NAME [options]: NAME stands where getopt expects the program name */
    name = argv[2];
    first = wizard_parse_opts(argc - 2, argv + 2, &o);
    if (first < 0)
      return CLI_EXIT_USAGE;
    if (first != argc - 2)
      return usage(false);
  } else {
    first = wizard_parse_opts(argc - 1, argv + 1, &o);
    if (first < 0)
      return CLI_EXIT_USAGE;
    if (edit && first + 1 == argc - 1)
      name = argv[1 + first];
    else if (first != argc - 1)
      return usage(false);
  }
  if (edit && !name)
    return usage(false);
  o.edit = name;
  return wizard_run(wizard_app_hosts(ctx), "connection", &o);
}

int cmd_connection(struct cli_ctx *ctx, int argc, char **argv)
{
  if (argc < 2)
    return usage(false);
  const char *sub = argv[1];
  if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0)
    return usage(true);
  if (wants_help(argc, argv))
    return usage(true);
  if (strcmp(sub, "new") == 0)
    return cmd_wizard(ctx, argc, argv, false);
  if (strcmp(sub, "edit") == 0)
    return cmd_wizard(ctx, argc, argv, true);
  if (strcmp(sub, "list") == 0)
    return cmd_list(ctx, argc, argv);
  if (strcmp(sub, "show") == 0)
    return cmd_show(ctx, argc, argv);
  if (strcmp(sub, "remove") == 0)
    return cmd_remove(ctx, argc, argv);
  cli_error("unknown connection command '%s'", sub);
  return usage(false);
}
