/*
 * synwiz export new | edit NAME | list | show NAME | run NAME | run --all |
 *               schedule NAME --daily HH:MM | --every Nh | --off | remove NAME
 * synwiz refresh --due
 * synwiz schedule install | remove
 *
 * Exports to Azure Synapse Analytics (issue 11). new and edit run the export wizard
 * (forms/export.json, app_host_export.c) with the wizard options; "Save and run" and `run`
 * run the export here (export_run.h), with its progress on stderr (a line rewritten on a
 * terminal, plain lines otherwise) and Ctrl-C cancelling it. refresh --due runs the exports
 * whose schedule is due, one refresh at a time (a lock in the store).
 */
#include "app/app_ctx.h"
#include "app/app_export.h"
#include "app/app_table.h"
#include "app/export_run.h"
#include "app/store.h"
#include "app/store_export.h"
#include "app/store_model.h"
#include "cli/cli.h"
#include "cli/cli_help.h"
#include "cli/wizard_run.h"
#include "util/fsutil.h"
#include "util/safetext.h"
#include "util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: synwiz export new [--answers FILE] [--non-interactive] [--record FILE] [--dry-run]\n"
    "       synwiz export edit NAME [wizard options]\n"
    "       synwiz export list [--output json]\n"
    "       synwiz export show NAME [--output json]\n"
    "       synwiz export run NAME | --all [--partition-bytes N]\n"
    "       synwiz export schedule NAME --daily HH:MM | --every Nh | --off\n"
    "       synwiz export remove NAME [--yes]\n"
    "\n"
    "Exports tables of the catalog (synwiz table list) to a lake database in the Synapse\n"
    "workspace of a connection: CSV partitions and a CDM model.json under\n"
    "customerinsights/<export>/ in the connection's container. Save does not run an export;\n"
    "run does (Ctrl-C cancels). Removing or editing an export never deletes anything in\n"
    "Synapse: show lists the databases and tables it left behind. run --all runs the exports\n"
    "that have an active schedule. Answers file keys: connection, display_name,\n"
    "database_name, tables, schedule (\"off\", {\"daily\": \"HH:MM\"}, {\"every_hours\": N}).\n";

static int usage(bool ok)
{
  fputs(usage_text, ok ? stdout : stderr);
  return ok ? CLI_EXIT_DONE : CLI_EXIT_USAGE;
}

static void print_json(json_t *j)
{
  char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  printf("%s\n", text);
  free(text);
}

/* ---- Ctrl-C ---- */

static volatile sig_atomic_t cancel_flag;

static void on_sigint(int sig)
{
  if (cancel_flag) {
    /* A second Ctrl-C: stop now (the next command records the run as interrupted). */
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  cancel_flag = 1;
  static const char msg[] = "\nsynwiz: cancelling the run (Ctrl-C again to stop at once)...\n";
  ssize_t w = write(STDERR_FILENO, msg, sizeof(msg) - 1);
  (void)w;
}

/* ---- progress ---- */

struct progress {
  bool tty;
  int last_len;
  char *last_phase_table;
};

static void on_progress(void *ud, const struct export_run_progress *p)
{
  struct progress *pr = ud;
  double rate = p->elapsed_s > 0.05 ? (double)p->bytes / p->elapsed_s : 0;
  char *done = app_table_format_bytes(p->bytes);
  char *total = app_table_format_bytes(p->total);
  char *r = app_table_format_bytes((int64_t)rate);
  char left[32] = "?";
  if (rate > 0 && p->total > p->bytes)
    snprintf(left, sizeof(left), "%.0f s", (double)(p->total - p->bytes) / rate);
  else if (p->total <= p->bytes)
    snprintf(left, sizeof(left), "0 s");
  char *table = NULL;
  char *line;
  if (p->table) {
    char *tb = app_table_format_bytes(p->table_bytes);
    char *tt = app_table_format_bytes(p->table_total);
    /* A terminal's line is short (it is rewritten in place); a log's says it all. */
    table = pr->tty ? xasprintf("%s %d/%d %s/%s | ", p->table, p->table_index, p->n_tables, tb, tt)
                    : xasprintf("%s (%d/%d): %s of %s; ", p->table, p->table_index, p->n_tables, tb,
                                tt);
    free(tb);
    free(tt);
  }
  if (strcmp(p->phase, "upload") != 0)
    line = xasprintf("%s", p->line);
  else if (pr->tty)
    line = xasprintf("%sall %s/%s %s/s %s left", table ? table : "", done, total, r, left);
  else
    line = xasprintf("%s%s of %s overall, %s/s, about %s left", table ? table : "", done, total, r,
                     left);
  if (pr->tty) {
    /* One line rewritten in place: cut to the terminal's width, as a wrapped line cannot be
     * rewritten with \r. */
    struct winsize ws;
    int width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col - 1 : 79;
    int n = (int)strlen(line);
    if (n > width)
      n = width;
    fprintf(stderr, "\r%-*.*s", pr->last_len > n ? pr->last_len : n, n, line);
    pr->last_len = n;
    fflush(stderr);
  } else {
    fprintf(stderr, "%s\n", line);
  }
  free(line);
  free(table);
  free(done);
  free(total);
  free(r);
}

/* ---- opening ---- */

struct session {
  struct az_client *client;
  struct app_ctx *app;
  struct store *s;
};

static int open_session(struct cli_ctx *ctx, struct session *out)
{
  memset(out, 0, sizeof(*out));
  int rc = cli_azure_open(ctx, NULL, &out->client);
  if (rc != CLI_EXIT_DONE)
    return rc;
  struct app_ctx_options o = { out->client, ctx->store };
  out->app = app_ctx_new(&o);
  const char *msg = NULL;
  enum app_result r = app_ctx_store(out->app, &out->s, &msg);
  if (r != APP_OK) {
    cli_error("%s", msg ? msg : app_result_message(r));
    app_ctx_delete(out->app);
    out->app = NULL;
    return cli_exit_of_app(r);
  }
  return CLI_EXIT_DONE;
}

static void close_session(struct session *se)
{
  if (se->app)
    app_ctx_delete(se->app);
}

/* ---- runs ---- */

static int exit_of_status(enum export_run_status st)
{
  switch (st) {
  case EXPORT_RUN_SUCCESSFUL:
    return CLI_EXIT_DONE;
  case EXPORT_RUN_CANCELED:
    return CLI_EXIT_CANCELLED;
  case EXPORT_RUN_SKIPPED:
    return CLI_EXIT_FAILURE;
  default:
    return CLI_EXIT_FAILURE;
  }
}

static enum export_run_status run_one(struct session *se, const struct store_export *e,
                                      int64_t partition_bytes)
{
  struct progress pr = { isatty(STDERR_FILENO) != 0, 0, NULL };
  struct export_run_options o = { 0 };
  o.app = se->app;
  o.e = e;
  o.partition_bytes = partition_bytes;
  o.cancel = &cancel_flag;
  o.on_progress = on_progress;
  o.ud = &pr;
  fprintf(stderr, "Running the export %s (lake database %s, %zu table%s)...\n", e->display_name,
          e->database_name, e->tables.n, e->tables.n == 1 ? "" : "s");
  json_t *rec = NULL;
  enum export_run_status st = export_run(&o, &rec);
  if (pr.tty && pr.last_len)
    fputc('\n', stderr);
  const char *err = json_string_value(json_object_get(rec, "error"));
  printf("%s: %s", e->display_name, export_run_status_name(st));
  if (st == EXPORT_RUN_SUCCESSFUL) {
    char *b = app_table_format_bytes(json_integer_value(json_object_get(rec, "bytes")));
    printf(" (%lld rows, %s in %.1f s; lake database %s %s)",
           (long long)json_integer_value(json_object_get(rec, "rows")), b,
           json_real_value(json_object_get(rec, "seconds")), e->database_name,
           strcmp(json_string_value(json_object_get(rec, "database_operation")), "update") == 0
               ? "updated"
               : "created");
    free(b);
  }
  printf("\n");
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(rec, "tables"), i, t)
  {
    printf("  %-24s %10lld rows %6lld partition%s\n", json_string_value(json_object_get(t, "name")),
           (long long)json_integer_value(json_object_get(t, "rows")),
           (long long)json_integer_value(json_object_get(t, "partitions")),
           json_integer_value(json_object_get(t, "partitions")) == 1 ? "" : "s");
  }
  if (err)
    cli_error("%s", err);
  json_decref(rec);
  return st;
}

static int64_t partition_bytes_of(const char *s)
{
  if (!s)
    return 0;
  char *end = NULL;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || !end || *end || v < 1024)
    return -1;
  return (int64_t)v;
}

static int cmd_run(struct cli_ctx *ctx, const char *name, bool all, int64_t partition_bytes)
{
  struct session se;
  int rc = open_session(ctx, &se);
  if (rc != CLI_EXIT_DONE)
    return rc;
  struct sigaction sa, old;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old);
  if (all) {
    struct store_export_list l = { 0 };
    enum app_result r = store_export_list(se.s, &l);
    if (r != APP_OK) {
      cli_error("%s", store_message(se.s));
      rc = cli_exit_of_app(r);
    }
    size_t ran = 0;
    for (size_t i = 0; r == APP_OK && i < l.n && !cancel_flag; i++) {
      const struct store_export *e = &l.items[i];
      /* "Run all" runs the exports with an active schedule; the others run on their own. */
      if (!store_export_is_active(e) || e->schedule.mode == STORE_SCHEDULE_OFF)
        continue;
      ran++;
      int x = exit_of_status(run_one(&se, e, partition_bytes));
      if (x > rc)
        rc = x;
    }
    if (r == APP_OK && !ran)
      printf("No export has an active schedule: nothing to run (run one with synwiz export run "
             "NAME).\n");
    store_export_list_done(&l);
  } else {
    struct store_export e;
    store_export_init(&e);
    enum app_result r = store_export_find(se.s, name, &e);
    if (r != APP_OK) {
      cli_error("%s", store_message(se.s));
      rc = cli_exit_of_app(r);
    } else if (store_actor_role(se.s) != STORE_ROLE_ADMIN &&
               store_actor_role(se.s) != STORE_ROLE_CONTRIBUTOR) {
      cli_error("Exports are run by administrators and contributors; you are %s in this store.",
                store_role_title(store_actor_role(se.s)));
      rc = CLI_EXIT_REFUSED;
    } else {
      rc = exit_of_status(run_one(&se, &e, partition_bytes));
    }
    store_export_done(&e);
  }
  sigaction(SIGINT, &old, NULL);
  close_session(&se);
  return rc;
}

/* ---- list and show ---- */

static json_t *last_run(struct store *s, const char *id)
{
  json_t *h = export_run_history(s, id, 1);
  json_t *r = json_incref(json_array_get(h, 0));
  json_decref(h);
  return r;
}

/* What the export's past runs wrote that it no longer refreshes: databases it moved away from,
 * and tables no longer exported (from the run records; nothing is deleted in Synapse). */
static json_t *left_behind(const struct store_export *e, json_t *runs)
{
  json_t *dbs = json_array(), *tables = json_array();
  for (size_t i = 0; i < e->previous_database_names.n; i++)
    json_array_append_new(dbs, json_string(e->previous_database_names.items[i]));
  size_t i, k;
  json_t *run, *t;
  json_array_foreach(runs, i, run)
  {
    const char *st = json_string_value(json_object_get(run, "status"));
    const char *db = json_string_value(json_object_get(run, "database"));
    if (!st || strcmp(st, "Successful") != 0 || !db)
      continue;
    bool db_moved = strcasecmp(db, e->database_name) != 0;
    bool known = false;
    json_t *d;
    size_t x;
    json_array_foreach(dbs, x, d) known = known || strcasecmp(json_string_value(d), db) == 0;
    if (db_moved && !known)
      json_array_append_new(dbs, json_string(db));
    json_array_foreach(json_object_get(run, "tables"), k, t)
    {
      const char *name = json_string_value(json_object_get(t, "name"));
      if (!name || (!db_moved && store_strings_contains_nocase(&e->tables, name)))
        continue;
      bool seen = false;
      json_t *y;
      json_array_foreach(tables, x, y) seen =
          seen || (strcasecmp(json_string_value(json_object_get(y, "database")), db) == 0 &&
                   strcasecmp(json_string_value(json_object_get(y, "table")), name) == 0);
      if (!seen)
        json_array_append_new(tables, json_pack("{s:s, s:s}", "database", db, "table", name));
    }
  }
  return json_pack("{s:o, s:o}", "databases", dbs, "tables", tables);
}

static json_t *export_json(struct store *s, const struct store_export *e, size_t max_runs)
{
  json_t *j = store_export_to_json(e);
  json_t *runs = export_run_history(s, e->meta.id, 0);
  json_t *last = json_array_get(runs, 0);
  json_object_set_new(j, "type", json_string("Azure Synapse Analytics"));
  json_object_set_new(j, "connection_used",
                      e->connection_name ? json_string(e->connection_name) : json_null());
  json_object_set_new(
      j, "run_status",
      json_string(last ? json_string_value(json_object_get(last, "status")) : "Not started"));
  json_object_set(j, "refreshed", last ? json_object_get(last, "end") : json_null());
  char *sched = app_export_schedule_text(&e->schedule);
  json_object_set_new(j, "schedule_text", json_string(sched));
  free(sched);
  json_object_set_new(j, "left_behind", left_behind(e, runs));
  json_t *recent = json_array();
  for (size_t i = 0; i < json_array_size(runs) && (!max_runs || i < max_runs); i++)
    json_array_append(recent, json_array_get(runs, i));
  json_object_set_new(j, "runs", recent);
  json_decref(runs);
  return j;
}

static int do_list(struct session *se, bool json)
{
  struct store_export_list l = { 0 };
  enum app_result r = store_export_list(se->s, &l);
  if (r != APP_OK) {
    cli_error("%s", store_message(se->s));
    return cli_exit_of_app(r);
  }
  json_t *arr = json_array();
  for (size_t i = 0; i < l.n; i++)
    json_array_append_new(arr, export_json(se->s, &l.items[i], 1));
  if (json) {
    print_json(arr);
  } else if (!l.n) {
    printf("No exports. Create one with: synwiz export new\n");
  } else {
    /* Contributors and viewers are told what they may do with each export. */
    enum store_role role = store_actor_role(se->s);
    const char *perm = role == STORE_ROLE_ADMIN         ? NULL
                       : role == STORE_ROLE_CONTRIBUTOR ? "Manage"
                                                        : "View";
    printf("%-24s %-24s %-11s %-21s %-22s %-16s%s\n", "DISPLAY NAME", "TYPE", "STATUS", "REFRESHED",
           "SCHEDULE", "CONNECTION USED", perm ? "YOUR PERMISSIONS" : "");
    size_t i;
    json_t *j;
    json_array_foreach(arr, i, j)
    {
      const char *conn = json_string_value(json_object_get(j, "connection_used"));
      const char *ref = json_string_value(json_object_get(j, "refreshed"));
      /* A detached export is changed by administrators only (store_export.h). */
      const char *p = perm && !conn ? "View" : perm;
      printf("%-24s %-24s %-11s %-21s %-22s %-16s%s\n", l.items[i].display_name,
             "Azure Synapse Analytics", json_string_value(json_object_get(j, "run_status")),
             ref ? ref : "-", json_string_value(json_object_get(j, "schedule_text")),
             conn ? conn : "No connection", p ? p : "");
    }
  }
  json_decref(arr);
  store_export_list_done(&l);
  cli_store_damage(se->s);
  return CLI_EXIT_DONE;
}

/* The saved export `name` in `e` (CLI_EXIT_DONE), or the store's words on stderr and the exit
 * code (e is then done): what every command on one export starts with. */
static int find_export(struct session *se, const char *name, struct store_export *e)
{
  store_export_init(e);
  enum app_result r = store_export_find(se->s, name, e);
  if (r == APP_OK)
    return CLI_EXIT_DONE;
  cli_error("%s", store_message(se->s));
  store_export_done(e);
  return cli_exit_of_app(r);
}

static int do_show(struct session *se, const char *name, bool json)
{
  struct store_export e;
  int found = find_export(se, name, &e);
  if (found != CLI_EXIT_DONE)
    return found;
  json_t *j = export_json(se->s, &e, 5);
  if (json) {
    print_json(j);
  } else {
    printf("Display name:    %s\n", e.display_name);
    printf("Type:            Azure Synapse Analytics\n");
    printf("Connection used: %s\n", e.connection_name ? e.connection_name : "No connection");
    printf("Lake database:   %s\n", e.database_name);
    printf("Tables:         ");
    for (size_t i = 0; i < e.tables.n; i++)
      printf(" %s", e.tables.items[i]);
    printf("\nSchedule:        %s\n", json_string_value(json_object_get(j, "schedule_text")));
    printf("Status:          %s\n", json_string_value(json_object_get(j, "run_status")));
    json_t *lb = json_object_get(j, "left_behind");
    json_t *dbs = json_object_get(lb, "databases"), *tbs = json_object_get(lb, "tables");
    if (json_array_size(dbs) || json_array_size(tbs)) {
      printf("Left in Synapse, no longer refreshed (nothing was deleted):\n");
      size_t i;
      json_t *x;
      json_array_foreach(dbs, i, x) printf("  lake database %s\n", json_string_value(x));
      json_array_foreach(tbs, i, x)
      {
        printf("  table %s in lake database %s\n", json_string_value(json_object_get(x, "table")),
               json_string_value(json_object_get(x, "database")));
      }
    }
    json_t *runs = json_object_get(j, "runs");
    if (!json_array_size(runs)) {
      char *word = safetext_shell_word(e.display_name);
      printf("Runs:            none yet (synwiz export run %s)\n", word);
      free(word);
    } else {
      printf("Last runs:\n");
      printf("  %-21s %-21s %-11s %-14s %10s %12s  %s\n", "START", "END", "STATUS", "DATABASE",
             "ROWS", "BYTES", "ERROR");
      size_t i;
      json_t *x;
      json_array_foreach(runs, i, x)
      {
        const char *end = json_string_value(json_object_get(x, "end"));
        const char *err = json_string_value(json_object_get(x, "error"));
        printf("  %-21s %-21s %-11s %-14s %10lld %12lld  %s\n",
               json_string_value(json_object_get(x, "start")), end ? end : "-",
               json_string_value(json_object_get(x, "status")),
               json_string_value(json_object_get(x, "database")),
               (long long)json_integer_value(json_object_get(x, "rows")),
               (long long)json_integer_value(json_object_get(x, "bytes")), err ? err : "");
      }
    }
  }
  json_decref(j);
  store_export_done(&e);
  return CLI_EXIT_DONE;
}

/* ---- schedule and remove ---- */

static int do_schedule(struct session *se, const char *name, const char *daily, const char *every,
                       bool off)
{
  struct store_export e;
  int found = find_export(se, name, &e);
  if (found != CLI_EXIT_DONE)
    return found;
  const char *why = NULL;
  char *hours = NULL;
  if (every) {
    size_t n = strlen(every);
    hours = xstrndup(every, n && (every[n - 1] == 'h' || every[n - 1] == 'H') ? n - 1 : n);
  }
  bool ok = app_export_schedule_set(&e.schedule,
                                    off     ? "off"
                                    : daily ? "daily"
                                            : "every_hours",
                                    daily ? daily : hours, &why);
  free(hours);
  int rc = CLI_EXIT_DONE;
  enum app_result r = APP_OK;
  if (!ok) {
    cli_error("%s", why);
    rc = CLI_EXIT_USAGE;
  } else if ((r = store_export_update(se->s, &e)) != APP_OK) {
    cli_error("%s", store_message(se->s));
    rc = cli_exit_of_app(r);
  } else {
    char *t = app_export_schedule_text(&e.schedule);
    printf("%s: schedule %s.%s\n", e.display_name, t,
           e.schedule.mode == STORE_SCHEDULE_OFF
               ? ""
               : " Scheduled runs need synwiz refresh --due to run regularly (synwiz schedule "
                 "install).");
    free(t);
  }
  store_export_done(&e);
  return rc;
}

static int do_remove(struct session *se, const char *name, bool yes)
{
  struct store_export e;
  int found = find_export(se, name, &e);
  if (found != CLI_EXIT_DONE)
    return found;
  if (!yes) {
    char *q = xasprintf("Remove the export %s? Its files in the container and the lake database "
                        "%s stay in Synapse.",
                        e.display_name, e.database_name);
    enum cli_confirm c = cli_confirm(q);
    free(q);
    if (c != CLI_CONFIRM_YES) {
      store_export_done(&e);
      return c == CLI_CONFIRM_NO ? CLI_EXIT_CANCELLED : CLI_EXIT_USAGE;
    }
  }
  enum app_result r = store_export_remove(se->s, e.meta.id, e.meta.revision);
  if (r != APP_OK)
    cli_error("%s", store_message(se->s));
  else
    printf("Removed the export %s. Its files under customerinsights/%s/ and the lake database "
           "%s stay in Synapse.\n",
           e.display_name, e.display_name, e.database_name);
  store_export_done(&e);
  return cli_exit_of_app(r);
}

/* ---- new and edit ---- */

/* The answers file may say schedule as {"daily": "HH:MM"} or {"every_hours": N}: the form's
 * fields are schedule + schedule_time/schedule_hours, so give the wizard those. */
static char *normalized_answers(const char *path, int *out_rc)
{
  json_error_t jerr;
  json_t *a = json_load_file(path, 0, &jerr);
  if (!a) /* the wizard says what is wrong with it */
    return NULL;
  const char *why = NULL;
  char *out = NULL;
  bool reshaped = json_is_object(json_object_get(a, "schedule"));
  if (!app_export_answers_normalize(a, &why)) {
    cli_error("%s: %s", path, why);
    *out_rc = CLI_EXIT_USAGE;
  } else if (reshaped) {
    const char *tmp = getenv("TMPDIR");
    out = xasprintf("%s/synwiz-export-answers-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(out);
    char *text = json_dumps(a, JSON_INDENT(2));
    if (fd < 0 || !text || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
      cli_error("cannot stage the answers file: %s", strerror(errno));
      *out_rc = CLI_EXIT_FAILURE;
      if (fd >= 0)
        unlink(out);
      free(out);
      out = NULL;
    }
    if (fd >= 0)
      close(fd);
    free(text);
  }
  json_decref(a);
  return out;
}

static int do_wizard(struct cli_ctx *ctx, int argc, char **argv, bool edit)
{
  /* export edit NAME [options]: NAME takes the place getopt keeps for the program name. */
  if (edit && (argc < 3 || argv[2][0] == '-')) {
    cli_error("export edit takes the export's NAME first: synwiz export edit NAME [options]");
    return CLI_EXIT_USAGE;
  }
  struct wizard_opts o;
  int first = wizard_parse_opts(argc - 1 - edit, argv + 1 + edit, &o);
  if (first < 0)
    return CLI_EXIT_USAGE;
  if (first < argc - 1 - edit) {
    cli_error("export %s takes %s ('%s' is one too many)", edit ? "edit" : "new",
              edit ? "one NAME" : "no operand", argv[1 + edit + first]);
    return CLI_EXIT_USAGE;
  }
  if (edit)
    o.edit = argv[2];
  int rc = CLI_EXIT_DONE;
  char *staged = o.answers ? normalized_answers(o.answers, &rc) : NULL;
  if (rc != CLI_EXIT_DONE)
    return rc;
  if (staged)
    o.answers = staged;
  rc = wizard_run(wizard_app_hosts(ctx), "export", &o);
  if (staged) {
    unlink(staged);
    free(staged);
  }
  return rc;
}

int cmd_export(struct cli_ctx *ctx, int argc, char **argv)
{
  if (argc < 2 || cli_wants_help(argc, argv))
    return usage(argc >= 2);
  const char *verb = argv[1];
  if (strcmp(verb, "new") == 0 || strcmp(verb, "edit") == 0)
    return do_wizard(ctx, argc, argv, strcmp(verb, "edit") == 0);
  static const struct option opts[] = {
    { "output", required_argument, NULL, 'o' },
    { "all", no_argument, NULL, 'a' },
    { "partition-bytes", required_argument, NULL, 'p' },
    { "daily", required_argument, NULL, 'd' },
    { "every", required_argument, NULL, 'e' },
    { "off", no_argument, NULL, 'f' },
    { "yes", no_argument, NULL, 'y' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  bool json = false, all = false, off = false, yes = false;
  const char *pb = NULL, *daily = NULL, *every = NULL;
  optind = 0;
  int ch;
  while ((ch = getopt_long(argc - 1, argv + 1, "ho:y", opts, NULL)) != -1) {
    if (ch == 'o' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0))
      json = strcmp(optarg, "json") == 0;
    else if (ch == 'a')
      all = true;
    else if (ch == 'p')
      pb = optarg;
    else if (ch == 'd')
      daily = optarg;
    else if (ch == 'e')
      every = optarg;
    else if (ch == 'f')
      off = true;
    else if (ch == 'y')
      yes = true;
    else if (ch == 'h')
      return usage(true);
    else {
      if (ch == 'o')
        cli_error("--output takes json or table, not '%s'", optarg);
      return CLI_EXIT_USAGE;
    }
  }
  int n = argc - 1 - optind;
  const char *name = n > 0 ? argv[1 + optind] : NULL;
  bool is_list = strcmp(verb, "list") == 0, is_show = strcmp(verb, "show") == 0;
  bool is_run = strcmp(verb, "run") == 0, is_sched = strcmp(verb, "schedule") == 0;
  bool is_remove = strcmp(verb, "remove") == 0;
  if (!is_list && !is_show && !is_run && !is_sched && !is_remove) {
    cli_error("unknown export command '%s'", verb);
    return usage(false);
  }
  if ((is_list && n != 0) || ((is_show || is_sched || is_remove) && n != 1) ||
      (is_run && (all ? n != 0 : n != 1))) {
    cli_error("%s", is_run    ? "export run takes one NAME, or --all"
                    : is_list ? "export list takes no operand"
                              : "give the export's NAME");
    return CLI_EXIT_USAGE;
  }
  if (is_sched && (!!daily + !!every + off) != 1) {
    cli_error("export schedule takes one of --daily HH:MM, --every Nh, --off");
    return CLI_EXIT_USAGE;
  }
  int64_t partition_bytes = partition_bytes_of(pb);
  if (partition_bytes < 0) {
    cli_error("--partition-bytes takes a number of bytes (at least 1024), not '%s'", pb);
    return CLI_EXIT_USAGE;
  }
  if (is_run)
    return cmd_run(ctx, name, all, partition_bytes);
  struct session se;
  int rc = open_session(ctx, &se);
  if (rc != CLI_EXIT_DONE)
    return rc;
  if (is_list)
    rc = do_list(&se, json);
  else if (is_show)
    rc = do_show(&se, name, json);
  else if (is_sched)
    rc = do_schedule(&se, name, daily, every, off);
  else
    rc = do_remove(&se, name, yes);
  close_session(&se);
  return rc;
}

/* ---- refresh --due ---- */

static const char refresh_usage[] =
    "usage: synwiz refresh --due\n"
    "\n"
    "A system refresh: first every custom model (as Customer Insights runs models before\n"
    "exports; one that cannot run says why and the others go on), then every export whose\n"
    "schedule is due (with each system refresh, daily at its time, or every N hours since its\n"
    "last run), one after the other. One refresh at a time: a second one started meanwhile\n"
    "says so and exits. synwiz schedule install runs this regularly.\n";

int cmd_refresh(struct cli_ctx *ctx, int argc, char **argv)
{
  if (cli_wants_help(argc, argv)) {
    fputs(refresh_usage, stdout);
    return CLI_EXIT_DONE;
  }
  if (argc != 2 || strcmp(argv[1], "--due") != 0) {
    fputs(refresh_usage, stderr);
    return CLI_EXIT_USAGE;
  }
  struct session se;
  int rc = open_session(ctx, &se);
  if (rc != CLI_EXIT_DONE)
    return rc;
  char *lock_path = xasprintf("%s/refresh.lock", store_dir(se.s));
  struct fs_lock lock;
  if (fs_lock_acquire(&lock, lock_path, 0) != 0) {
    printf("Another refresh is running: this one does nothing.\n");
    free(lock_path);
    close_session(&se);
    return CLI_EXIT_DONE;
  }
  struct sigaction sa, old;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old);
  /* Models first, as Customer Insights' system refresh runs them before exports: an export
   * may send a model's output table, and should send this refresh's. Each refresh --due is
   * a system refresh, so every model runs; one that fails does not stop the exports. */
  struct store_model_list ml = { 0 };
  if (store_model_list(se.s, &ml) == APP_OK && ml.n > 0) {
    int x = cmd_model_refresh(ctx, NULL);
    if (x > rc)
      rc = x;
  }
  store_model_list_done(&ml);
  struct store_export_list l = { 0 };
  enum app_result r = store_export_list(se.s, &l);
  if (r != APP_OK) {
    cli_error("%s", store_message(se.s));
    rc = cli_exit_of_app(r);
  }
  time_t now = time(NULL);
  size_t ran = 0;
  for (size_t i = 0; r == APP_OK && i < l.n && !cancel_flag; i++) {
    const struct store_export *e = &l.items[i];
    if (!store_export_is_active(e))
      continue;
    json_t *last = last_run(se.s, e->meta.id);
    time_t last_start = 0;
    const char *ls = json_string_value(json_object_get(last, "start"));
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (ls && strptime(ls, "%Y-%m-%dT%H:%M:%SZ", &tm))
      last_start = timegm(&tm);
    json_decref(last);
    if (!app_export_due(&e->schedule, last_start, now))
      continue;
    ran++;
    int x = exit_of_status(run_one(&se, e, 0));
    if (x > rc)
      rc = x;
  }
  if (r == APP_OK && !ran)
    printf("No export is due.\n");
  store_export_list_done(&l);
  sigaction(SIGINT, &old, NULL);
  fs_lock_release(&lock);
  free(lock_path);
  close_session(&se);
  return rc;
}

/* ---- schedule install | remove ---- */

static const char schedule_usage[] =
    "usage: synwiz schedule install | remove\n"
    "\n"
    "install: a systemd user timer (synwiz-refresh.timer, every 15 minutes) that runs\n"
    "synwiz refresh --due; without a systemd user instance, prints the crontab line to add.\n"
    "remove: stops and removes the timer.\n";

static char *unit_dir(void)
{
  const char *xdg = getenv("XDG_CONFIG_HOME");
  const char *home = getenv("HOME");
  if (xdg && *xdg)
    return xasprintf("%s/systemd/user", xdg);
  return home ? xasprintf("%s/.config/systemd/user", home) : NULL;
}

static bool systemd_user(void)
{
  return system("systemctl --user show-environment >/dev/null 2>&1") == 0;
}

static char *self_path(const char *argv0)
{
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n > 0) {
    buf[n] = '\0';
    return xstrdup(buf);
  }
  return xstrdup(argv0);
}

int cmd_schedule(struct cli_ctx *ctx, int argc, char **argv)
{
  if (cli_wants_help(argc, argv)) {
    fputs(schedule_usage, stdout);
    return CLI_EXIT_DONE;
  }
  bool install = argc == 2 && strcmp(argv[1], "install") == 0;
  bool remove = argc == 2 && strcmp(argv[1], "remove") == 0;
  if (!install && !remove) {
    fputs(schedule_usage, stderr);
    return CLI_EXIT_USAGE;
  }
  char *self = self_path(ctx->argv0);
  char *store_arg = ctx->store ? xasprintf(" --store '%s'", ctx->store) : xstrdup("");
  char *cloud_arg = ctx->cloud ? xasprintf(" --cloud %s", ctx->cloud) : xstrdup("");
  char *dir = unit_dir();
  int rc = CLI_EXIT_DONE;
  if (!systemd_user() || !dir) {
    if (install)
      printf("There is no systemd user instance here. Add this line to your crontab "
             "(crontab -e):\n*/15 * * * * '%s'%s%s refresh --due >/dev/null 2>&1\n",
             self, cloud_arg, store_arg);
    else
      printf("There is no systemd user instance here: remove the synwiz refresh --due line "
             "from your crontab (crontab -e).\n");
  } else if (install) {
    fs_mkdir_p(dir, 0700);
    char *svc = xasprintf("%s/synwiz-refresh.service", dir);
    char *tmr = xasprintf("%s/synwiz-refresh.timer", dir);
    char *svc_text = xasprintf("[Unit]\nDescription=synwiz: run the exports that are due\n\n"
                               "[Service]\nType=oneshot\nExecStart='%s'%s%s refresh --due\n",
                               self, cloud_arg, store_arg);
    static const char tmr_text[] = "[Unit]\nDescription=synwiz: run the exports that are due\n\n"
                                   "[Timer]\nOnCalendar=*:0/15\nPersistent=true\n\n"
                                   "[Install]\nWantedBy=timers.target\n";
    if (fs_write_atomic(svc, svc_text, strlen(svc_text), 0644) != 0 ||
        fs_write_atomic(tmr, tmr_text, sizeof(tmr_text) - 1, 0644) != 0 ||
        system("systemctl --user daemon-reload && systemctl --user enable --now "
               "synwiz-refresh.timer") != 0) {
      cli_error("could not install the timer in %s", dir);
      rc = CLI_EXIT_FAILURE;
    } else {
      printf("Installed synwiz-refresh.timer: synwiz refresh --due runs every 15 minutes "
             "(systemctl --user list-timers shows it).\n");
    }
    free(svc);
    free(tmr);
    free(svc_text);
  } else {
    char *svc = xasprintf("%s/synwiz-refresh.service", dir);
    char *tmr = xasprintf("%s/synwiz-refresh.timer", dir);
    int x = system("systemctl --user disable --now synwiz-refresh.timer >/dev/null 2>&1");
    (void)x;
    unlink(tmr);
    unlink(svc);
    x = system("systemctl --user daemon-reload >/dev/null 2>&1");
    (void)x;
    printf("Removed synwiz-refresh.timer.\n");
    free(svc);
    free(tmr);
  }
  free(dir);
  free(self);
  free(store_arg);
  free(cloud_arg);
  return rc;
}
