/*
 * synwiz table add | list | show | remove: the table catalog (src/app/store_table.h) that
 * exports and custom models pick from.
 *
 *   add NAME (--file PATH.csv | --url URL) [--customer-id COLUMN]   read it once, add it
 *   list [--output json|table]
 *   show NAME [--output json|table]                   attributes and types, rows, bytes, where
 *   remove NAME                                       the record only; the data stays
 */
#include "cli/cli.h"

#include "app/app_ctx.h"
#include "app/app_table.h"
#include "app/store.h"
#include "app/store_table.h"
#include "azure/az_error.h"
#include "util/xalloc.h"
#include "wizard/rules.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: synwiz table add NAME (--file PATH.csv | --url URL) [--customer-id COLUMN]\n"
    "       synwiz table list [--output json|table]\n"
    "       synwiz table show NAME [--output json|table]\n"
    "       synwiz table remove NAME\n"
    "\n"
    "The tables exports and custom models work on. `add` reads the CSV once (RFC 4180, a\n"
    "header row, UTF-8), in bounded memory whatever its size, and records its attributes\n"
    "with the CDM data type each column holds (string, int64, double, decimal, boolean,\n"
    "dateTime, guid), its rows and its bytes; a malformed file is refused with its line and\n"
    "column. --url reads a CSV blob, or every .csv blob under a folder (the parts of one\n"
    "table, each with the header), with the signed-in identity, which needs a Storage Blob\n"
    "Data role (Reader is enough) on the container or the account. --customer-id names\n"
    "the column holding the customer id and makes the table the customer profile table\n"
    "(one per store). Names: a letter, then letters, digits and _, unique ignoring case.\n"
    "`remove` forgets the table; its data is not touched. On the sandbox a new store lists\n"
    "the demo tables Customer, Orders and WebActivity.\n"
    "Administrators and contributors add and remove tables; every member lists them.\n"
    "\n"
    "Exit status: 0 done, 2 usage or an invalid file, 3 refused (your role, or Azure: a\n"
    "missing data role), 4 the store or Azure cannot be read.\n";

static int usage(bool ok)
{
  fputs(usage_text, ok ? stdout : stderr);
  return ok ? CLI_EXIT_DONE : CLI_EXIT_USAGE;
}

static void print_json(json_t *j)
{
  cli_print_json(j);
}

static void print_list(const struct store_table_list *l)
{
  if (!l->n) {
    printf("No tables. Add one with: synwiz table add NAME --file PATH.csv\n");
    return;
  }
  printf("%-24s %10s %11s %6s  %s\n", "NAME", "ROWS", "SIZE", "ATTRS", "LOCATION");
  for (size_t i = 0; i < l->n; i++) {
    const struct store_table *t = &l->items[i];
    char *size = app_table_format_bytes(t->bytes);
    printf("%-24s %10lld %11s %6zu  %s%s\n", t->name, (long long)t->rows, size, t->n_attributes,
           t->location, t->customer_id ? "  (customer profile)" : "");
    free(size);
  }
}

static void print_show(const struct store_table *t)
{
  char *size = app_table_format_bytes(t->bytes);
  printf("Table:        %s\n", t->name);
  printf("Location:     %s (%s)\n", t->location,
         t->source == STORE_TABLE_FILE ? "a local file" : "a storage account");
  for (size_t i = 0; t->parts.n > 1 && i < t->parts.n; i++)
    printf("  part %zu:    %s\n", i + 1, t->parts.items[i]);
  printf("Rows:         %lld\n", (long long)t->rows);
  printf("Size:         %s (%lld bytes)\n", size, (long long)t->bytes);
  if (t->customer_id)
    printf("Customer id:  %s (the customer profile table)\n", t->customer_id);
  printf("Read:         %s\n", t->read_at ? t->read_at : "-");
  printf("Attributes:   %zu\n", t->n_attributes);
  for (size_t i = 0; i < t->n_attributes; i++)
    printf("  %-30s %s\n", t->attributes[i].name, t->attributes[i].data_type);
  free(size);
}

static int add(struct app_ctx *app, struct store *s, const char *name, const char *file,
               const char *url, const char *customer_id)
{
  struct store_table t;
  store_table_init(&t);
  /* Before reading what may be a big file: is the name free? */
  if (store_table_find(s, name, &t) == APP_OK) {
    cli_error("There is already a table '%s' (names are compared ignoring case).", t.name);
    store_table_done(&t);
    return CLI_EXIT_USAGE;
  }
  char *why = NULL;
  struct az_error azerr;
  az_error_init(&azerr);
  enum app_result rc = url ? app_table_read_url(app_ctx_client(app), url, &t, &why, &azerr)
                           : app_table_read_file(file, &t, &why);
  if (rc != APP_OK) {
    int exit_code = rc == APP_AZURE ? cli_azure_fail(&azerr) : cli_exit_of_app(rc);
    if (rc != APP_AZURE)
      cli_error("%s", why);
    free(why);
    az_error_done(&azerr);
    store_table_done(&t);
    return exit_code;
  }
  az_error_done(&azerr);
  t.name = xstrdup(name);
  if (customer_id) {
    const struct store_table_attribute *a = store_table_attribute(&t, customer_id);
    if (!a) {
      cli_error("--customer-id: '%s' is not a column of %s (its header names %zu columns).",
                customer_id, url ? url : file, t.n_attributes);
      store_table_done(&t);
      return CLI_EXIT_USAGE;
    }
    t.customer_id = xstrdup(a->name);
  }
  rc = store_table_create(s, &t);
  if (rc != APP_OK)
    cli_error("%s", store_message(s));
  else
    printf("Added table '%s': %zu attributes, %lld rows, %lld bytes, from %s.\n", t.name,
           t.n_attributes, (long long)t.rows, (long long)t.bytes, t.location);
  store_table_done(&t);
  return cli_exit_of_app(rc);
}

int cmd_table(struct cli_ctx *ctx, int argc, char **argv)
{
  static const struct option opts[] = {
    { "output", required_argument, NULL, 'o' }, { "file", required_argument, NULL, 'f' },
    { "url", required_argument, NULL, 'u' },    { "customer-id", required_argument, NULL, 'c' },
    { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
  };
  bool json = false;
  const char *file = NULL, *url = NULL, *customer_id = NULL;
  optind = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    if (ch == 'o' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0))
      json = strcmp(optarg, "json") == 0;
    else if (ch == 'f')
      file = optarg;
    else if (ch == 'u')
      url = optarg;
    else if (ch == 'c')
      customer_id = optarg;
    else
      return usage(ch == 'h');
  }
  int n = argc - optind;
  const char *verb = n > 0 ? argv[optind] : NULL;
  if (!verb)
    return usage(false);
  if (strcmp(verb, "help") == 0)
    return usage(true);
  bool is_add = strcmp(verb, "add") == 0 && n == 2;
  bool is_list = strcmp(verb, "list") == 0 && n == 1;
  bool is_show = strcmp(verb, "show") == 0 && n == 2;
  bool is_remove = strcmp(verb, "remove") == 0 && n == 2;
  if (!is_add && !is_list && !is_show && !is_remove)
    return usage(false);
  if ((file || url || customer_id) && !is_add)
    return usage(false);
  const char *name = n > 1 ? argv[optind + 1] : NULL;
  if (is_add) {
    if (!!file == !!url) {
      cli_error("table add needs --file PATH.csv or --url URL (one of them)");
      return CLI_EXIT_USAGE;
    }
    const char *why = NULL;
    if (wiz_rule_check(wiz_rule_find("table_name"), name, &why) == WIZ_CHECK_ERROR) {
      cli_error("'%s' is not a table name: %s (rule: table_name)", name, why);
      return CLI_EXIT_USAGE;
    }
  }

  struct az_client *client = NULL;
  int rc = cli_azure_open(ctx, NULL, &client);
  if (rc != CLI_EXIT_DONE)
    return rc;
  struct app_ctx_options o = { client, ctx->store };
  struct app_ctx *app = app_ctx_new(&o);
  struct store *s = NULL;
  const char *msg = NULL;
  enum app_result r = app_ctx_store(app, &s, &msg);
  if (r != APP_OK) {
    cli_error("%s", msg ? msg : app_result_message(r));
    app_ctx_delete(app);
    return cli_exit_of_app(r);
  }
  if (is_add) {
    rc = add(app, s, name, file, url, customer_id);
  } else if (is_list) {
    struct store_table_list l = { 0 };
    r = store_table_list(s, &l);
    if (r == APP_OK && json) {
      json_t *arr = json_array();
      for (size_t i = 0; i < l.n; i++)
        json_array_append_new(arr, store_table_to_json(&l.items[i]));
      print_json(arr);
      json_decref(arr);
    } else if (r == APP_OK) {
      print_list(&l);
    }
    store_table_list_done(&l);
    if (r != APP_OK)
      cli_error("%s", store_message(s));
    rc = cli_exit_of_app(r);
  } else {
    struct store_table t;
    store_table_init(&t);
    r = store_table_find(s, name, &t);
    if (r == APP_OK && is_show && json) {
      json_t *j = store_table_to_json(&t);
      print_json(j);
      json_decref(j);
    } else if (r == APP_OK && is_show) {
      print_show(&t);
    } else if (r == APP_OK) {
      r = store_table_remove(s, t.meta.id, t.meta.revision);
      if (r == APP_OK)
        printf("Removed table '%s' from the catalog; %s was not touched.\n", t.name, t.location);
    }
    if (r != APP_OK)
      cli_error("%s", store_message(s));
    store_table_done(&t);
    rc = cli_exit_of_app(r);
  }
  app_ctx_delete(app);
  return rc;
}
