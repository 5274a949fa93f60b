/*
 * synwiz role list | add OBJECT_ID ROLE | remove OBJECT_ID: who may use the store, and as
 * what (src/app/store_role.h). Administrators only; the first identity to use a new store
 * is its administrator, and the last administrator can be neither removed nor demoted.
 */
#include "cli/cli.h"

#include "app/app_ctx.h"
#include "app/store.h"
#include "app/store_role.h"
#include "util/uuid.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: synwiz role list [--output json]\n"
    "       synwiz role add OBJECT_ID admin|contributor|viewer [--name DISPLAY_NAME]\n"
    "       synwiz role remove OBJECT_ID\n"
    "\n"
    "Who may use the store (--store DIR or SYNWIZ_STORE), by Microsoft Entra object id (the\n"
    "user's or the service principal's object id, not an application id):\n"
    "  admin        everything: connections, exports, models, linked services, roles\n"
    "  contributor  sees the name and type of connections shared with contributors; manages\n"
    "               the exports and models that use them, and linked services\n"
    "  viewer       sees what a contributor sees; changes nothing\n"
    "Adding a member who already has a role changes it. Only administrators run these.\n"
    "\n"
    "Exit status: 0 done, 2 usage, 3 refused (your role, the last administrator),\n"
    "4 the store cannot be read or written.\n";

static int usage(bool ok)
{
  fputs(usage_text, ok ? stdout : stderr);
  return ok ? CLI_EXIT_DONE : CLI_EXIT_USAGE;
}

int cmd_role(struct cli_ctx *ctx, int argc, char **argv)
{
  static const struct option opts[] = {
    { "output", required_argument, NULL, 'o' },
    { "name", required_argument, NULL, 'n' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  bool json = false;
  const char *display = NULL;
  optind = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    if (ch == 'o' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0))
      json = strcmp(optarg, "json") == 0;
    else if (ch == 'n')
      display = optarg;
    else
      return usage(ch == 'h');
  }
  int n = argc - optind;
  const char *verb = n > 0 ? argv[optind] : NULL;
  if (!verb)
    return usage(false);
  if (strcmp(verb, "help") == 0)
    return usage(true);
  bool list = strcmp(verb, "list") == 0 && n == 1;
  bool add = strcmp(verb, "add") == 0 && n == 3;
  bool remove = strcmp(verb, "remove") == 0 && n == 2;
  if (!list && !add && !remove)
    return usage(false);
  const char *oid = n > 1 ? argv[optind + 1] : NULL;
  enum store_role role = STORE_ROLE_NONE;
  if (oid && !uuid_is_valid(oid)) {
    cli_error("'%s' is not an object id: it must be a GUID (8-4-4-4-12 hexadecimal digits), "
              "the object id of a user or service principal",
              oid);
    return CLI_EXIT_USAGE;
  }
  if (add) {
    role = store_role_parse(argv[optind + 2]);
    if (role == STORE_ROLE_NONE) {
      cli_error("'%s' is not a role: admin, contributor or viewer", argv[optind + 2]);
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
  if (list) {
    struct store_member_list l = { 0 };
    r = store_role_list(s, &l);
    if (r == APP_OK && json) {
      json_t *arr = json_array();
      for (size_t i = 0; i < l.n; i++) {
        const struct store_member *m = &l.items[i];
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "object_id", m->object_id, "display_name",
                           m->display_name ? m->display_name : "", "role", store_role_name(m->role),
                           "added_at", m->added_at, "added_by", m->added_by));
      }
      cli_print_json(arr);
      json_decref(arr);
    } else if (r == APP_OK) {
      printf("%-36s  %-12s  %s\n", "OBJECT ID", "ROLE", "NAME");
      for (size_t i = 0; i < l.n; i++)
        printf("%-36s  %-12s  %s\n", l.items[i].object_id, store_role_name(l.items[i].role),
               l.items[i].display_name && *l.items[i].display_name ? l.items[i].display_name
                                                                   : "(known by object id)");
    }
    store_member_list_done(&l);
  } else if (add) {
    r = store_role_add(s, oid, display, role);
    if (r == APP_OK)
      printf("%s is now %s of the store %s.\n", oid,
             role == STORE_ROLE_ADMIN         ? "an administrator"
             : role == STORE_ROLE_CONTRIBUTOR ? "a contributor"
                                              : "a viewer",
             store_dir(s));
  } else {
    r = store_role_remove(s, oid);
    if (r == APP_OK)
      printf("%s has no role in the store %s any more.\n", oid, store_dir(s));
  }
  if (r != APP_OK)
    cli_error("%s", store_message(s));
  app_ctx_delete(app);
  return cli_exit_of_app(r);
}
