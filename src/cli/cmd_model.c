/*
 * synwiz model: custom models run from a Synapse pipeline, "My predictions" (behavior.md W3,
 * issue 12).
 *
 *   new [--run] [wizard options]   the wizard (forms/model.json, src/app/app_host_model.c);
 *                                  headless, Save draft unless --run (Save and run)
 *   edit NAME [wizard options]     the same wizard on a saved model
 *   refresh NAME | --all           run the saved model(s) now (the host's model_run, bound)
 *   list | show NAME [--output json]
 *   cancel NAME                    cancel its run in progress in Synapse
 *   remove NAME [--yes]            its record, asked first (the output table and files are kept)
 *
 * A run left "Processing" by a synwiz that died (kill -9, a closed terminal) is picked up by
 * list and show: its state in Synapse is recorded (a run that ended there without synwiz
 * checking its output is recorded Failed, saying so: refresh runs it again).
 */
#include "cli/cli.h"
#include "cli/cli_help.h"
#include "cli/wizard_run.h"

#include "app/app_ctx.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_model.h"
#include "azure/az_client.h"
#include "azure/az_synapse.h"
#include "util/jsonpath.h"
#include "util/safetext.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static int usage(bool ok)
{
  fputs("usage: synwiz model new [--run] [--answers FILE] [--non-interactive] [--record FILE]\n"
        "                        [--dry-run]\n"
        "       synwiz model edit NAME [wizard options]\n"
        "       synwiz model refresh NAME | --all\n"
        "       synwiz model list [--output json|table]\n"
        "       synwiz model show NAME [--output json|table]\n"
        "       synwiz model cancel NAME\n"
        "       synwiz model remove NAME [--yes]\n"
        "new: without --run, headless answers save the model as a draft (Save draft);\n"
        "--run saves it and runs the pipeline (Save and run).\n"
        "remove: asks first on a terminal (--yes otherwise); the output table and its files are\n"
        "kept.\n",
        ok ? stdout : stderr);
  return ok ? CLI_EXIT_DONE : CLI_EXIT_USAGE;
}

static int wizard(struct cli_ctx *ctx, int argc, char **argv, const char *name, bool run)
{
  struct wizard_opts o;
  /* --run is ours: take it out before the wizard options are read. */
  char **args = xcalloc((size_t)argc + 1, sizeof(*args));
  int n = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--run") == 0)
      run = true;
    else
      args[n++] = argv[i];
  }
  int first = wizard_parse_opts(n, args, &o);
  free(args);
  if (first < 0)
    return CLI_EXIT_USAGE;
  if (first != n)
    return usage(false);
  o.edit = name;
  o.headless_action = run ? NULL : "model_save";
  return wizard_run(wizard_app_hosts(ctx), "model", &o);
}

struct open_store {
  struct app_ctx *app;
  struct az_client *client;
  struct store *s;
};

static int open_store(struct cli_ctx *ctx, struct open_store *os)
{
  memset(os, 0, sizeof(*os));
  int rc = cli_azure_open(ctx, NULL, &os->client);
  if (rc != CLI_EXIT_DONE)
    return rc;
  struct app_ctx_options o = { os->client, ctx->store };
  os->app = app_ctx_new(&o);
  const char *msg = NULL;
  enum app_result r = app_ctx_store(os->app, &os->s, &msg);
  if (r != APP_OK) {
    cli_error("%s", msg ? msg : app_result_message(r));
    app_ctx_delete(os->app);
    os->app = NULL;
    return cli_exit_of_app(r);
  }
  return CLI_EXIT_DONE;
}

static const char *last_refreshed(const struct store_model *m)
{
  for (size_t i = m->n_runs; i > 0; i--)
    if (m->runs[i - 1].finished_at)
      return m->runs[i - 1].finished_at;
  return NULL;
}

/* Runs left "Processing" by a synwiz that is gone: ask Synapse, record what it says. */
static void pick_up(struct open_store *os, struct store_model *m)
{
  if (!m->n_runs || strcmp(m->runs[m->n_runs - 1].status, "Processing") != 0 || !m->connection_id)
    return;
  struct store_model_run *run = &m->runs[m->n_runs - 1];
  struct store_connection c;
  memset(&c, 0, sizeof(c));
  if (store_connection_get(os->s, m->connection_id, &c) != APP_OK) {
    store_connection_done(&c);
    return;
  }
  struct az_call *call = az_synapse_get_run(
      os->client, c.workspace_dev_endpoint ? c.workspace_dev_endpoint : c.workspace_name,
      run->run_id);
  const char *st = az_call_wait(call) == AZ_OK ? json_path_str(az_call_json(call), "status") : NULL;
  bool going = st && (strcmp(st, "Queued") == 0 || strcmp(st, "InProgress") == 0 ||
                      strcmp(st, "Canceling") == 0);
  if (st && !going) {
    time_t t = time(NULL);
    struct tm tm;
    char now[32];
    gmtime_r(&t, &tm);
    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
    bool cancelled = strcmp(st, "Cancelled") == 0;
    struct store_model_run r = { run->run_id, run->started_at, now,
                                 cancelled ? "Canceled" : "Failed" };
    if (store_model_put_run(os->s, m->meta.id, &r) == APP_OK) {
      struct store_model fresh;
      store_model_init(&fresh);
      if (store_model_get(os->s, m->meta.id, &fresh) == APP_OK) {
        free(fresh.message);
        fresh.message = xasprintf(
            "synwiz stopped while following the run %s (%s in Synapse): its output was not "
            "checked or registered. synwiz model refresh %s runs it again.",
            run->run_id, st, m->name);
        store_model_update(os->s, &fresh);
        store_model_done(m);
        *m = fresh;
      } else {
        store_model_done(&fresh);
      }
    }
  }
  az_call_delete(call);
  store_connection_done(&c);
}

static void print_json(json_t *j)
{
  char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  printf("%s\n", text);
  free(text);
}

static void print_show(const struct store_model *m)
{
  printf("Name:            %s\n", m->name);
  printf("Prediction type: Custom model (Synapse pipeline)\n");
  printf("Connection:      %s\n", m->connection_name ? m->connection_name : "(detached)");
  printf("Pipeline:        %s\n", m->pipeline);
  printf("Output table:    %s\n", m->output_table);
  printf("Primary key:     %s\n", m->primary_key);
  printf("Customer ID:     %s\n", m->customer_id_column);
  printf("Status:          %s\n", m->status);
  printf("Last edited:     %s\n", m->meta.updated_at ? m->meta.updated_at : "");
  printf("Last refreshed:  %s\n", last_refreshed(m) ? last_refreshed(m) : "never");
  if (m->message)
    printf("Message:         %s\n", m->message);
  printf("Mapping:\n");
  for (size_t i = 0; i < m->n_mapping; i++)
    printf("  %s.%s <- %s.%s\n", m->mapping[i].input, m->mapping[i].column, m->mapping[i].table,
           m->mapping[i].attribute);
  printf("Runs:\n");
  for (size_t i = 0; i < m->n_runs; i++)
    printf("  %s  %-11s %s%s%s\n", m->runs[i].started_at, m->runs[i].status, m->runs[i].run_id,
           m->runs[i].finished_at ? "  ended " : "",
           m->runs[i].finished_at ? m->runs[i].finished_at : "");
}

static json_t *model_json(const struct store_model *m)
{
  json_t *j = store_model_to_json(m);
  json_object_set_new(j, "prediction_type", json_string("Custom model"));
  const char *lr = last_refreshed(m);
  json_object_set_new(j, "last_refreshed", lr ? json_string(lr) : json_null());
  if (m->connection_name)
    json_object_set_new(j, "connection", json_string(m->connection_name));
  return j;
}

static int cancel_run(struct open_store *os, struct store_model *m)
{
  if (!m->n_runs || strcmp(m->runs[m->n_runs - 1].status, "Processing") != 0) {
    cli_error("the model %s has no run in progress", m->name);
    return CLI_EXIT_USAGE;
  }
  struct store_connection c;
  memset(&c, 0, sizeof(c));
  enum app_result r = store_connection_get(os->s, m->connection_id, &c);
  if (r != APP_OK) {
    cli_error("%s", store_message(os->s));
    store_connection_done(&c);
    return cli_exit_of_app(r);
  }
  struct az_call *call = az_synapse_cancel_run(
      os->client, c.workspace_dev_endpoint ? c.workspace_dev_endpoint : c.workspace_name,
      m->runs[m->n_runs - 1].run_id);
  int rc = CLI_EXIT_DONE;
  if (az_call_wait(call) != AZ_OK)
    rc = cli_azure_fail(az_call_error(call));
  else
    printf("Asked Synapse to cancel the run %s of %s.\n", m->runs[m->n_runs - 1].run_id, m->name);
  az_call_delete(call);
  store_connection_done(&c);
  return rc;
}

/* Run the saved model `name` (NULL: every model) through the wizard's host, bound to it
 * (edit mode) and headless: the same staging, run, check and registration as Save and run.
 * Every model is tried; the worst exit code. */
int cmd_model_refresh(struct cli_ctx *ctx, const char *name)
{
  struct open_store os;
  int rc = open_store(ctx, &os);
  if (rc != CLI_EXIT_DONE)
    return rc;
  struct store_model_list l = { 0 };
  enum app_result r = store_model_list(os.s, &l);
  if (r != APP_OK)
    cli_error("%s", store_message(os.s));
  app_ctx_delete(os.app);
  if (r != APP_OK)
    return cli_exit_of_app(r);
  bool found = !name;
  /* Every model is tried, even after one fails (a draft not mapped yet, a pipeline that
   * failed): the worst exit code is the answer, and each said its own reason. */
  for (size_t i = 0; i < l.n; i++) {
    if (name && strcasecmp(l.items[i].name, name) != 0)
      continue;
    if (!name && !l.items[i].connection_id) {
      char *word = safetext_shell_word(l.items[i].name);
      printf("Model %s: skipped, it has no connection (synwiz model edit %s).\n", l.items[i].name,
             word);
      free(word);
      continue;
    }
    found = true;
    struct wizard_opts o;
    memset(&o, 0, sizeof(o));
    o.non_interactive = true;
    o.edit = l.items[i].name;
    int x = wizard_run(wizard_app_hosts(ctx), "model", &o);
    if (x > rc)
      rc = x;
    if (name)
      break;
  }
  store_model_list_done(&l);
  if (!found) {
    cli_error("no model named '%s'", name);
    return CLI_EXIT_USAGE;
  }
  return rc;
}

int cmd_model(struct cli_ctx *ctx, int argc, char **argv)
{
  if (argc < 2)
    return usage(false);
  const char *verb = argv[1];
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
      return usage(true);
  if (strcmp(verb, "help") == 0)
    return usage(true);
  if (strcmp(verb, "new") == 0)
    return wizard(ctx, argc - 1, argv + 1, NULL, false);
  if (strcmp(verb, "edit") == 0) {
    if (argc < 3 || argv[2][0] == '-')
      return usage(false);
    return wizard(ctx, argc - 2, argv + 2, argv[2], false);
  }
  bool json = false, all = false, yes = false;
  const char *name = NULL;
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--output") == 0 && i + 1 < argc &&
        (strcmp(argv[i + 1], "json") == 0 || strcmp(argv[i + 1], "table") == 0))
      json = strcmp(argv[++i], "json") == 0;
    else if (strcmp(argv[i], "--all") == 0)
      all = true;
    else if (strcmp(argv[i], "--yes") == 0 || strcmp(argv[i], "-y") == 0)
      yes = true;
    else if (argv[i][0] != '-' && !name)
      name = argv[i];
    else {
      cli_error("unknown option or operand '%s'", argv[i]);
      return usage(false);
    }
  }
  bool is_list = strcmp(verb, "list") == 0 && !name && !all;
  bool needs_name =
      strcmp(verb, "show") == 0 || strcmp(verb, "cancel") == 0 || strcmp(verb, "remove") == 0;
  bool is_refresh = strcmp(verb, "refresh") == 0 && (!!name != all);
  if (!is_list && !is_refresh && !(needs_name && name && !all)) {
    if (!is_list && !is_refresh && !needs_name)
      cli_error("unknown model command '%s'", verb);
    return usage(false);
  }
  struct open_store os;
  int rc = open_store(ctx, &os);
  if (rc != CLI_EXIT_DONE)
    return rc;
  if (is_refresh) {
    app_ctx_delete(os.app);
    return cmd_model_refresh(ctx, name);
  }
  enum app_result r;
  if (is_list) {
    struct store_model_list l = { 0 };
    r = store_model_list(os.s, &l);
    for (size_t i = 0; r == APP_OK && i < l.n; i++)
      pick_up(&os, &l.items[i]);
    if (r == APP_OK && json) {
      json_t *arr = json_array();
      for (size_t i = 0; i < l.n; i++)
        json_array_append_new(arr, model_json(&l.items[i]));
      print_json(arr);
      json_decref(arr);
    } else if (r == APP_OK) {
      printf("%-24s %-14s %-20s %-12s %-21s %s\n", "NAME", "TYPE", "OUTPUT TABLE", "STATUS",
             "LAST EDITED", "LAST REFRESHED");
      for (size_t i = 0; i < l.n; i++) {
        const struct store_model *m = &l.items[i];
        printf("%-24s %-14s %-20s %-12s %-21s %s\n", m->name, "Custom model", m->output_table,
               m->status, m->meta.updated_at ? m->meta.updated_at : "",
               last_refreshed(m) ? last_refreshed(m) : "never");
      }
    }
    store_model_list_done(&l);
  } else {
    struct store_model m;
    store_model_init(&m);
    r = store_model_find(os.s, name, &m);
    if (r == APP_OK)
      pick_up(&os, &m);
    if (r == APP_OK && strcmp(verb, "show") == 0) {
      if (json) {
        json_t *j = model_json(&m);
        print_json(j);
        json_decref(j);
      } else {
        print_show(&m);
      }
    } else if (r == APP_OK && strcmp(verb, "cancel") == 0) {
      rc = cancel_run(&os, &m);
      store_model_done(&m);
      app_ctx_delete(os.app);
      return rc;
    } else if (r == APP_OK) {
      /* Asks first on a terminal, takes --yes otherwise (cli_help.h), as every removal. */
      if (!yes) {
        char *q = xasprintf("Remove the model %s? Its output table %s and its files stay.", m.name,
                            m.output_table);
        enum cli_confirm c = cli_confirm(q);
        free(q);
        if (c != CLI_CONFIRM_YES) {
          if (c == CLI_CONFIRM_NO_TERMINAL)
            cli_error("model remove asks first: run it on a terminal, or add --yes");
          store_model_done(&m);
          app_ctx_delete(os.app);
          return c == CLI_CONFIRM_NO ? CLI_EXIT_CANCELLED : CLI_EXIT_USAGE;
        }
      }
      r = store_model_remove(os.s, m.meta.id, m.meta.revision);
      if (r == APP_OK)
        printf("Removed the model '%s'; its output table %s and its files are kept.\n", m.name,
               m.output_table);
    }
    store_model_done(&m);
  }
  if (r != APP_OK)
    cli_error("%s", store_message(os.s));
  app_ctx_delete(os.app);
  return cli_exit_of_app(r);
}
