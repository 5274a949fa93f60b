/*
 * synwiz linked-service: the Azure Machine Learning linked services of a Synapse workspace
 * (behavior.md W4, issue 6).
 *
 *   new [--answers FILE] [--non-interactive] [--record FILE] [--dry-run]
 *       the wizard (forms/linked_service.json, host src/app/app_host_linked_service.c)
 *   edit NAME --workspace WS [wizard options]
 *       the same wizard on a saved linked service (the host's edit mode, bound to
 *       "WS/NAME": app_ls_edit_ref), filled from what Synapse holds; Save updates it. The
 *       name and the workspace stay; a typed client secret must be given again
 *   list --workspace WS [--output json|table]
 *       the workspace's linked services of type AzureMLService, read from Synapse, each
 *       marked when the synwiz store holds its record
 *   show NAME --workspace WS [--output json|table]
 *       one of them (the key is never shown: Synapse masks it, synwiz prints its type only)
 *   remove NAME --workspace WS [--dry-run]
 *       delete it in Synapse (a long-running operation followed to its end), then its record
 *
 * --workspace names a saved connection (its workspace is used), or a workspace's dev
 * endpoint URL, or else a Synapse workspace by name, looked up through ARM in every
 * subscription the signed-in identity can see (names are unique in a cloud); its
 * properties.connectivityEndpoints.dev is the endpoint the calls go to.
 * Only AzureMLService linked services are shown or removed; another type's name is refused
 * (exit 2). Azure's refusals go through cli_azure_fail (exit 3 refused, 4 failed).
 */
#include "cli/cli.h"
#include "cli/cli_help.h"
#include "cli/wizard_run.h"

#include "app/app_ctx.h"
#include "app/app_linked_service.h"
#include "app/app_sources.h"
#include "app/store.h"
#include "app/store_linked_service.h"
#include "azure/az_client.h"
#include "azure/az_synapse.h"
#include "util/jsonpath.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void ls_usage(FILE *out)
{
  fputs("usage: synwiz linked-service new [--answers FILE] [--non-interactive] [--record FILE]\n"
        "                                 [--dry-run]\n"
        "       synwiz linked-service edit NAME --workspace WS [--answers FILE]\n"
        "                                 [--non-interactive] [--record FILE] [--dry-run]\n"
        "       synwiz linked-service list --workspace WS [--output json|table]\n"
        "       synwiz linked-service show NAME --workspace WS [--output json|table]\n"
        "       synwiz linked-service remove NAME --workspace WS [--dry-run] [--yes]\n"
        "WS: a saved connection's name, or a Synapse workspace's name.\n"
        "edit: the wizard on a saved linked service; its name and workspace stay, a typed\n"
        "client secret must be given again (synwiz never keeps it).\n"
        "remove: asks first on a terminal, and needs --yes elsewhere.\n",
        out);
}

struct ls_cmd {
  const char *verb;
  const char *name;
  const char *workspace_arg;
  bool json;
  bool dry_run;
  bool yes; /* remove without asking */
  struct app_ctx *app;
  char *workspace;    /* the workspace name */
  char *dev_endpoint; /* its dev endpoint (what the data-plane calls address) */
  char *connection;
};

/* --workspace: a connection's name, a dev endpoint URL, or a workspace's name (in that order;
 * app_workspace_lookup). */
static int resolve_workspace(struct ls_cmd *c)
{
  struct app_workspace_ref ref;
  struct az_error err;
  az_error_init(&err);
  int rc = CLI_EXIT_DONE;
  if (app_workspace_lookup(c->app, c->workspace_arg, false, &ref, &c->connection, &err) != AZ_OK) {
    rc = cli_azure_fail(&err);
  } else {
    c->workspace = xstrdup(ref.name);
    c->dev_endpoint = xstrdup(ref.dev_endpoint);
  }
  az_error_done(&err);
  app_workspace_ref_done(&ref);
  return rc;
}

/* The store's record of workspace/name, or NULL (a JSON object to decref). */
static json_t *record_of(struct ls_cmd *c, const char *name, char **out_id, long *out_rev)
{
  struct store *s = NULL;
  if (app_ctx_store(c->app, &s, NULL) != APP_OK)
    return NULL;
  struct store_linked_service rec;
  if (store_linked_service_find(s, c->workspace, name, &rec) != APP_OK) {
    /* Not recorded, or its record cannot be read: the latter is said, not shown as "no". */
    cli_store_damage(s);
    return NULL;
  }
  json_t *j = store_linked_service_to_json(&rec);
  if (out_id)
    *out_id = xstrdup(rec.meta.id);
  if (out_rev)
    *out_rev = rec.meta.revision;
  store_linked_service_done(&rec);
  return j;
}

static const char *auth_of(json_t *tp)
{
  const char *a = json_path_str(tp, "authentication");
  if (a && strcasecmp(a, "MSI") == 0)
    return "MSI";
  if (json_object_get(tp, "servicePrincipalId"))
    return "ServicePrincipal";
  return a ? a : "none";
}

static const char *text_of(json_t *tp, const char *key)
{
  json_t *v = json_object_get(tp, key);
  if (json_is_string(v))
    return json_string_value(v);
  const char *expr = json_path_str(v, "value"); /* {"value": "@...", "type": "Expression"} */
  return expr ? expr : "";
}

/* The facts of one linked service, the key reduced to its type. */
static json_t *summary_of(struct ls_cmd *c, json_t *ls)
{
  json_t *props = json_object_get(ls, "properties");
  json_t *tp = json_object_get(props, "typeProperties");
  const char *name = json_path_str(ls, "name");
  json_t *o =
      json_pack("{s:s?, s:s, s:s?, s:s, s:s, s:s, s:s}", "name", name, "workspace", c->workspace,
                "type", json_path_str(props, "type"), "mlWorkspace", text_of(tp, "mlWorkspaceName"),
                "resourceGroup", text_of(tp, "resourceGroupName"), "subscription",
                text_of(tp, "subscriptionId"), "authentication", auth_of(tp));
  if (json_object_get(tp, "servicePrincipalId")) {
    json_object_set_new(o, "servicePrincipalId", json_string(text_of(tp, "servicePrincipalId")));
    json_object_set_new(o, "tenant", json_string(text_of(tp, "tenant")));
    const char *kt = json_path_str(tp, "servicePrincipalKey.type");
    json_object_set_new(o, "servicePrincipalKey",
                        kt ? json_pack("{s:s}", "type", kt) : json_null());
  }
  const char *ir = json_path_str(props, "connectVia.referenceName");
  json_object_set_new(o, "integrationRuntime", json_string(ir ? ir : APP_LS_AUTO_RUNTIME));
  json_t *rec = name ? record_of(c, name, NULL, NULL) : NULL;
  json_object_set_new(o, "recorded", rec ? rec : json_null());
  return o;
}

static void print_json(json_t *o)
{
  cli_print_json(o);
}

static bool is_ml(json_t *ls)
{
  const char *t = json_path_str(ls, "properties.type");
  return t && strcmp(t, APP_LS_TYPE) == 0;
}

static int do_list(struct ls_cmd *c, struct az_client *client)
{
  struct az_call *call = az_synapse_list_linked_services(client, c->dev_endpoint);
  int rc = CLI_EXIT_DONE;
  if (az_call_wait(call) != AZ_OK) {
    rc = cli_azure_fail(az_call_error(call));
    az_call_delete(call);
    return rc;
  }
  json_t *out = json_array();
  size_t i;
  json_t *ls;
  json_array_foreach(json_object_get(az_call_json(call), "value"), i, ls)
  {
    if (is_ml(ls))
      json_array_append_new(out, summary_of(c, ls));
  }
  az_call_delete(call);
  if (c->json) {
    json_t *o = json_pack("{s:s, s:s?, s:O}", "workspace", c->workspace, "connection",
                          c->connection, "value", out);
    print_json(o);
    json_decref(o);
  } else if (json_array_size(out) == 0) {
    printf("No Azure Machine Learning linked services in %s.\n", c->workspace);
  } else {
    /* The name column is as wide as the longest name as shown (escapes included). */
    int name_w = 28;
    json_array_foreach(out, i, ls)
    {
      int w = cli_cell_width(json_path_str(ls, "name"));
      name_w = w > name_w ? w : name_w;
    }
    cli_put_cell("NAME", name_w);
    printf(" %-20s %-16s %-30s %s\n", "ML WORKSPACE", "AUTHENTICATION", "INTEGRATION RUNTIME",
           "RECORDED");
    json_array_foreach(out, i, ls)
    {
      cli_put_cell(json_path_str(ls, "name"), name_w);
      printf(" %-20s %-16s %-30s %s\n", json_path_str(ls, "mlWorkspace"),
             json_path_str(ls, "authentication"), json_path_str(ls, "integrationRuntime"),
             json_is_null(json_object_get(ls, "recorded")) ? "no" : "yes");
    }
  }
  json_decref(out);
  return rc;
}

/* GET the linked service; it must be an AzureMLService one. When Synapse has no such
 * linked service and `if_gone` is given, it decides (its exit code), unless it returns -1:
 * then Synapse's error is reported as for any failed call. *out stays NULL unless done. */
static int get_ml(struct ls_cmd *c, struct az_client *client, json_t **out,
                  int (*if_gone)(struct ls_cmd *c))
{
  struct az_call *call = az_synapse_get_linked_service(client, c->dev_endpoint, c->name);
  if (az_call_wait(call) != AZ_OK) {
    int gone = if_gone && az_call_error(call)->status == 404 ? if_gone(c) : -1;
    int rc = gone >= 0 ? gone : cli_azure_fail(az_call_error(call));
    az_call_delete(call);
    return rc;
  }
  json_t *ls = json_incref(az_call_json(call));
  az_call_delete(call);
  if (!is_ml(ls)) {
    const char *t = json_path_str(ls, "properties.type");
    cli_error("%s in %s is not an Azure Machine Learning linked service (its type is %s); "
              "synwiz linked-service works on AzureMLService ones only",
              c->name, c->workspace, t ? t : "unknown");
    json_decref(ls);
    return CLI_EXIT_USAGE;
  }
  *out = ls;
  return CLI_EXIT_DONE;
}

static int do_show(struct ls_cmd *c, struct az_client *client)
{
  json_t *ls = NULL;
  int rc = get_ml(c, client, &ls, NULL);
  if (rc != CLI_EXIT_DONE)
    return rc;
  json_t *o = summary_of(c, ls);
  json_decref(ls);
  if (c->json) {
    print_json(o);
  } else {
    const char *keys[] = { "name",           "workspace",
                           "type",           "mlWorkspace",
                           "resourceGroup",  "subscription",
                           "authentication", "servicePrincipalId",
                           "tenant",         "integrationRuntime" };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
      const char *v = json_path_str(o, keys[i]);
      if (v)
        printf("%-20s %s\n", keys[i], v);
    }
    const char *kt = json_path_str(o, "servicePrincipalKey.type");
    if (kt)
      printf("%-20s (%s, kept by Synapse)\n", "servicePrincipalKey", kt);
    json_t *rec = json_object_get(o, "recorded");
    const char *when = json_path_str(rec, "updated_at");
    if (json_is_null(rec))
      printf("%-20s no (not created by synwiz, or recorded in another store)\n", "recorded");
    else
      printf("%-20s yes, in the synwiz store (updated %s)\n", "recorded", when ? when : "?");
  }
  json_decref(o);
  return CLI_EXIT_DONE;
}

/* The linked service is gone from Synapse (removed in Synapse Studio, say) but synwiz still
 * records it: the record is all there is to remove, and leaving it would keep showing a
 * linked service that does not exist. */
static int remove_stale_record(struct ls_cmd *c)
{
  char *id = NULL;
  long rev = 0;
  json_t *rec = record_of(c, c->name, &id, &rev);
  if (!rec)
    return -1;
  json_decref(rec);
  int rc = CLI_EXIT_DONE;
  if (c->dry_run) {
    printf("Dry run: %s is no longer in %s; its store record would be removed (nothing was "
           "changed).\n",
           c->name, c->workspace);
  } else {
    struct store *s = NULL;
    enum app_result ar = app_ctx_store(c->app, &s, NULL);
    if (ar == APP_OK)
      ar = store_linked_service_remove(s, id, rev);
    if (ar == APP_OK) {
      printf("%s was no longer in %s (removed outside synwiz); removed its record from the "
             "store.\n",
             c->name, c->workspace);
    } else {
      cli_error("%s is no longer in %s, and its store record cannot be removed: %s", c->name,
                c->workspace, s ? store_message(s) : app_result_message(ar));
      rc = cli_exit_of_app(ar);
    }
  }
  free(id);
  return rc;
}

static int do_remove(struct ls_cmd *c, struct az_client *client)
{
  /* The store must be able to record the removal before Synapse is asked (a viewer, or a
   * store synwiz refuses to open, would leave a record of something gone). */
  struct store *s = NULL;
  const char *msg = NULL;
  enum app_result ar = app_ctx_store(c->app, &s, &msg);
  if (ar == APP_OK)
    ar = store_linked_service_require_writer(s, "remove");
  if (ar != APP_OK) {
    cli_error("%s", s ? store_message(s) : msg ? msg : app_result_message(ar));
    return cli_exit_of_app(ar);
  }
  json_t *ls = NULL;
  int rc = get_ml(c, client, &ls, remove_stale_record);
  if (!ls)
    return rc;
  json_decref(ls);
  if (!c->dry_run && !c->yes) {
    char *q = xasprintf("Remove the linked service %s from %s?", c->name, c->workspace);
    enum cli_confirm answer = cli_confirm(q);
    free(q);
    if (answer != CLI_CONFIRM_YES) {
      printf("Not removed.\n");
      return CLI_EXIT_CANCELLED;
    }
  }
  struct az_call *call = az_synapse_delete_linked_service(client, c->dev_endpoint, c->name);
  if (az_call_wait(call) != AZ_OK) {
    rc = cli_azure_fail(az_call_error(call));
    az_call_delete(call);
    return rc;
  }
  az_call_delete(call);
  if (c->dry_run) {
    printf("Dry run: %s would be removed from %s (nothing was changed).\n", c->name, c->workspace);
    return CLI_EXIT_DONE;
  }
  char *id = NULL;
  long rev = 0;
  json_t *rec = record_of(c, c->name, &id, &rev);
  const char *note = "";
  if (rec) {
    if (store_linked_service_remove(s, id, rev) == APP_OK)
      note = " and its record from the store";
    else
      fprintf(stderr, "synwiz: removed in Synapse, but its store record stays: %s\n",
              store_message(s));
  }
  json_decref(rec);
  free(id);
  printf("Removed the linked service %s from %s%s.\n", c->name, c->workspace, note);
  return CLI_EXIT_DONE;
}

static int run_command(struct cli_ctx *ctx, struct ls_cmd *c)
{
  struct az_client *client = NULL;
  FILE *dry = c->dry_run ? stdout : NULL;
  int rc = cli_azure_open(ctx, dry, &client);
  if (rc != CLI_EXIT_DONE)
    return rc;
  struct app_ctx_options o = { client, ctx->store };
  c->app = app_ctx_new(&o);
  if (!app_ctx_identity(c->app)) {
    cli_error("%s", app_ctx_signin_problem(c->app));
    app_ctx_delete(c->app);
    return CLI_EXIT_REFUSED;
  }
  client = app_ctx_client(c->app);
  rc = resolve_workspace(c);
  if (rc != CLI_EXIT_DONE)
    ;
  else if (strcmp(c->verb, "list") == 0)
    rc = do_list(c, client);
  else if (strcmp(c->verb, "show") == 0)
    rc = do_show(c, client);
  else
    rc = do_remove(c, client);
  app_ctx_delete(c->app);
  free(c->workspace);
  free(c->dev_endpoint);
  free(c->connection);
  return rc;
}

/* edit NAME --workspace WS [wizard options]: --workspace and NAME are taken out, the rest
 * goes to the wizard's option parser. */
static int cmd_edit(struct cli_ctx *ctx, int argc, char **argv)
{
  const char *workspace = NULL, *name = NULL;
  char **rest = xcalloc((size_t)argc + 1, sizeof(char *));
  int n = 0, rc = CLI_EXIT_USAGE;
  rest[n++] = argv[1]; /* where getopt expects the program name */
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      ls_usage(stdout);
      free(rest);
      return CLI_EXIT_DONE;
    }
    if (strcmp(a, "--workspace") == 0 || strcmp(a, "-w") == 0) {
      if (i + 1 >= argc)
        goto usage;
      workspace = argv[++i];
    } else if (strncmp(a, "--workspace=", 12) == 0) {
      workspace = a + 12;
    } else if (strcmp(a, "--answers") == 0 || strcmp(a, "--record") == 0) {
      rest[n++] = argv[i];
      if (i + 1 < argc)
        rest[n++] = argv[++i];
    } else if (a[0] != '-' && !name) {
      name = a;
    } else {
      rest[n++] = argv[i];
    }
  }
  if (!name || !*name || !workspace || !*workspace) {
    cli_error("give the linked service's NAME and --workspace WS");
    goto usage;
  }
  if (strchr(name, '/')) {
    cli_error("'%s' is not a linked service name (it cannot hold a '/')", name);
    goto usage;
  }
  struct wizard_opts o;
  int first = wizard_parse_opts(n, rest, &o);
  if (first < 0) {
    free(rest);
    return CLI_EXIT_USAGE;
  }
  if (first < n) {
    cli_error("linked-service edit takes one NAME ('%s' is one too many)", rest[first]);
    goto usage;
  }
  char *ref = app_ls_edit_ref(workspace, name);
  o.edit = ref;
  rc = wizard_run(wizard_app_hosts(ctx), "linked_service", &o);
  free(ref);
  free(rest);
  return rc;
usage:
  ls_usage(stderr);
  free(rest);
  return rc;
}

int cmd_linked_service(struct cli_ctx *ctx, int argc, char **argv)
{
  if (argc < 2 || cli_wants_help(argc, argv)) {
    ls_usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_DONE;
  }
  const char *verb = argv[1];
  if (strcmp(verb, "edit") == 0)
    return cmd_edit(ctx, argc, argv);
  if (strcmp(verb, "new") == 0) {
    struct wizard_opts o;
    int first = wizard_parse_opts(argc - 1, argv + 1, &o);
    if (first < 0)
      return CLI_EXIT_USAGE;
    if (first < argc - 1) {
      cli_error("linked-service new takes no operand ('%s')", argv[1 + first]);
      return CLI_EXIT_USAGE;
    }
    return wizard_run(wizard_app_hosts(ctx), "linked_service", &o);
  }
  if (strcmp(verb, "list") != 0 && strcmp(verb, "show") != 0 && strcmp(verb, "remove") != 0) {
    cli_error("unknown linked-service command '%s'", verb);
    ls_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  static const struct option opts[] = {
    { "workspace", required_argument, NULL, 'w' },
    { "output", required_argument, NULL, 'o' },
    { "dry-run", no_argument, NULL, 'n' },
    { "yes", no_argument, NULL, 'y' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct ls_cmd c = { 0 };
  c.verb = verb;
  /* 0, not 1: glibc then re-reads the option string, so NAME may come before the options
   * (main.c's "+" would otherwise still stop at the first operand). */
  optind = 0;
  int ch;
  /* argv + 1: getopt starts after the verb. */
  while ((ch = getopt_long(argc - 1, argv + 1, "w:o:h", opts, NULL)) != -1) {
    switch (ch) {
    case 'w':
      c.workspace_arg = optarg;
      break;
    case 'o':
      if (strcmp(optarg, "json") == 0)
        c.json = true;
      else if (strcmp(optarg, "table") != 0) {
        cli_error("--output takes json or table, not '%s'", optarg);
        return CLI_EXIT_USAGE;
      }
      break;
    case 'n':
      c.dry_run = true;
      break;
    case 'y':
      c.yes = true;
      break;
    case 'h':
      ls_usage(stdout);
      return CLI_EXIT_DONE;
    default:
      ls_usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }
  int rest = argc - 1 - optind;
  char **rargv = argv + 1 + optind;
  bool wants_name = strcmp(verb, "list") != 0;
  if (rest != (wants_name ? 1 : 0) || !c.workspace_arg || !*c.workspace_arg) {
    cli_error("%s", wants_name ? "give the linked service's NAME and --workspace WS"
                               : "give --workspace WS");
    ls_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if ((c.dry_run || c.yes) && strcmp(verb, "remove") != 0) {
    cli_error("%s goes with remove", c.dry_run ? "--dry-run" : "--yes");
    return CLI_EXIT_USAGE;
  }
  /* Refused before signing in: nothing to ask, nothing to wait for. */
  if (strcmp(verb, "remove") == 0 && !c.dry_run && !c.yes && !cli_can_confirm()) {
    cli_error("linked-service remove asks first: run it on a terminal, or add --yes");
    return CLI_EXIT_USAGE;
  }
  c.name = wants_name ? rargv[0] : NULL;
  return run_command(ctx, &c);
}
