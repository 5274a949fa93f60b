/*
 * The export wizard's host (forms/export.json, issue 11): its rules, its actions on the
 * runner (app_job.h) and its edit mode.
 *
 * Actions: export_save (Save: records the export, does not run it), export_save_run (Save
 * and run: the same, then Run's step), the engine's edit, and the actions on a saved export
 * (Run, Create duplicate, Detach connection, Remove). Saving has no Azure call: nothing exists in
 * Synapse until the first run. An update never deletes anything in Synapse; its report says what it
 * means (tables removed stay in the database, a new database name leaves the old database in
 * place).
 */
#include "app/app_action.h"
#include "app/app_ctx.h"
#include "app/app_export.h"
#include "app/app_host.h"
#include "app/app_job.h"
#include "app/store.h"
#include "azure/az_client.h"
#include "azure/az_cloud.h"
#include "app/store_connection.h"
#include "app/store_export.h"
#include "util/strbuf.h"
#include "util/safetext.h"
#include "util/xalloc.h"
#include "wizard/answers.h"
#include "wizard/rules.h"

#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct export_host {
  struct app_host_base base; /* first */
  bool editing;
  char *edit_id;
  long edit_revision;
  char *edit_database;
  struct store_strings edit_tables;
};

static struct store *store_of(struct export_host *h)
{
  struct store *s = NULL;
  const char *msg = NULL;
  return app_ctx_store(h->base.app, &s, &msg) == APP_OK ? s : NULL;
}

/* ---- rules ---- */

const char *const app_export_rules[] = { "export_display_name",   "export_database_name",
                                         "export_tables_kept",    "export_schedule_time",
                                         "export_schedule_hours", NULL };

static bool list_has(const struct wiz_value *v, const char *name)
{
  for (size_t i = 0; v && i < v->n_list; i++)
    if (v->list[i].id && strcasecmp(v->list[i].id, name) == 0)
      return true;
  return false;
}

static enum wiz_check check(void *ctx, const char *rule, const char *field_id,
                            const struct wiz_answers *answers, struct strbuf *msg)
{
  struct export_host *h = ctx;
  const char *text = wiz_answers_text(answers, field_id);
  if (strcmp(rule, "export_display_name") == 0) {
    const char *why = app_export_display_name_problem(text);
    if (why) {
      strbuf_puts(msg, why);
      return WIZ_CHECK_ERROR;
    }
    struct store *s = store_of(h);
    struct store_export e;
    store_export_init(&e);
    enum wiz_check res = WIZ_CHECK_OK;
    if (s && store_export_find(s, text, &e) == APP_OK &&
        !(h->editing && h->edit_id && strcmp(e.meta.id, h->edit_id) == 0)) {
      strbuf_printf(msg,
                    "An export named '%s' already exists (names are compared ignoring case): "
                    "choose another name.",
                    e.display_name);
      res = WIZ_CHECK_ERROR;
    }
    store_export_done(&e);
    return res;
  }
  if (strcmp(rule, "export_database_name") == 0) {
    const char *why = app_export_database_name_problem(text);
    if (why) {
      strbuf_puts(msg, why);
      return WIZ_CHECK_ERROR;
    }
    if (h->editing && h->edit_database && strcasecmp(text, h->edit_database) != 0) {
      strbuf_printf(msg,
                    "A new database name creates a new lake database, %s, on the next run. The "
                    "database %s stays in Synapse with its tables and stops receiving updates.",
                    text, h->edit_database);
      return WIZ_CHECK_WARN;
    }
    return WIZ_CHECK_OK;
  }
  if (strcmp(rule, "export_tables_kept") == 0) {
    const struct wiz_value *v = wiz_answers_get(answers, field_id);
    if (!h->editing)
      return WIZ_CHECK_OK;
    struct strbuf gone;
    strbuf_init(&gone, 0);
    size_t n = 0;
    for (size_t i = 0; i < h->edit_tables.n; i++) {
      if (list_has(v, h->edit_tables.items[i]))
        continue;
      strbuf_printf(&gone, "%s%s", n++ ? ", " : "", h->edit_tables.items[i]);
    }
    enum wiz_check res = WIZ_CHECK_OK;
    if (n) {
      strbuf_printf(msg,
                    "Removed from the export: %s. %s stay%s in the lake database with the data "
                    "of the last run and %s no longer refreshed; nothing is deleted in Synapse.",
                    gone.buf, n == 1 ? "It" : "They", n == 1 ? "s" : "", n == 1 ? "is" : "are");
      res = WIZ_CHECK_WARN;
    }
    strbuf_done(&gone);
    return res;
  }
  if (strcmp(rule, "export_schedule_time") == 0 || strcmp(rule, "export_schedule_hours") == 0) {
    struct store_schedule sched = { STORE_SCHEDULE_OFF, NULL, NULL };
    const char *why = NULL;
    bool ok = app_export_schedule_set(
        &sched, strcmp(rule, "export_schedule_time") == 0 ? "daily" : "every_hours", text, &why);
    free(sched.recurrence);
    free(sched.time);
    if (!ok) {
      strbuf_puts(msg, why);
      return WIZ_CHECK_ERROR;
    }
  }
  return WIZ_CHECK_OK;
}

/* ---- actions ---- */

enum export_step { S_SAVE, S_MANAGE, S_RUN };
enum export_mode { J_SAVE, J_SAVE_RUN, J_DUPLICATE, J_DETACH, J_REMOVE_ASK, J_REMOVE, J_RUN };

/* On a saved export (the home screen binds the host to it first). Schedule is the CLI's
 * (synwiz export schedule NAME ...). Run runs `synwiz export run NAME` as a child process:
 * a run is long and blocking (export_run.h), and the screen must stay alive meanwhile; its
 * last progress line is the action's, and Cancel sends it SIGINT (a clean Canceled). */
const struct app_action app_export_actions[] = {
  { "edit", "Edit", "export", 0, 0, APP_ACTION_EDIT },
  { "export_run", "Run", "export", S_RUN, J_RUN, 0 },
  { "export_duplicate", "Create duplicate", "export", S_MANAGE, J_DUPLICATE, APP_ACTION_WRITES },
  { "export_detach", "Detach connection", "export", S_MANAGE, J_DETACH, APP_ACTION_WRITES },
  { "export_remove", "Remove", "export", S_MANAGE, J_REMOVE_ASK, 0 },
  { "export_save", NULL, NULL, S_SAVE, J_SAVE, APP_ACTION_WRITES },
  { "export_save_run", NULL, NULL, S_SAVE, J_SAVE_RUN, APP_ACTION_WRITES },
  { "export_remove_confirm", NULL, NULL, S_MANAGE, J_REMOVE, APP_ACTION_WRITES },
  { NULL, NULL, NULL, 0, 0, 0 },
};

struct export_job {
  struct app_job base;
  struct store_export e;
  char *connection; /* its display name */
  /* Run: the child running `synwiz export run`, its output (a pipe) and what it said. */
  pid_t child;
  int out_fd;
  struct strbuf out;
};

static struct export_job *job_of(struct app_job *job)
{
  return (struct export_job *)job;
}

static struct export_host *host_of(struct app_job *job)
{
  return (struct export_host *)job->host;
}

static bool begin(struct app_job *job, const struct wiz_answers *a)
{
  struct export_job *j = job_of(job);
  store_export_init(&j->e);
  strbuf_init(&j->out, 1 << 20);
  j->out_fd = -1;
  if (job->action->mode != J_SAVE && job->action->mode != J_SAVE_RUN) {
    if (host_of(job)->editing)
      return true;
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "No export chosen",
                   "This action works on a saved export.", NULL, NULL);
    app_job_fail(job, WIZ_OUTCOME_INVALID);
    return false;
  }
  const char *conn = wiz_answers_text(a, "connection");
  const char *name = wiz_answers_text(a, "display_name");
  const char *db = wiz_answers_text(a, "database_name");
  const struct wiz_value *tables = wiz_answers_get(a, "tables");
  const char *kind = wiz_answers_text(a, "schedule");
  const char *arg = kind && strcmp(kind, "daily") == 0 ? wiz_answers_text(a, "schedule_time")
                                                       : wiz_answers_text(a, "schedule_hours");
  const char *why = NULL;
  if (!conn || !name || !db || !tables || !tables->n_list) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "Nothing to save",
                   "Give a connection, a display name, a database name and at least one table.",
                   NULL, NULL);
    app_job_fail(job, WIZ_OUTCOME_INVALID);
    return false;
  }
  if (!app_export_schedule_set(&j->e.schedule, kind, arg, &why)) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "The schedule is not valid", why, NULL, NULL);
    app_job_fail(job, WIZ_OUTCOME_INVALID);
    return false;
  }
  j->connection = xstrdup(conn);
  j->e.display_name = xstrdup(name);
  j->e.database_name = xstrdup(db);
  for (size_t i = 0; i < tables->n_list; i++)
    store_strings_add(&j->e.tables, tables->list[i].id);
  job->scope = j->e.display_name;
  return true;
}

static enum app_result may_write(struct app_job *job, struct store *s, struct strbuf *why)
{
  (void)job;
  enum store_role role = store_actor_role(s);
  if (role == STORE_ROLE_ADMIN || role == STORE_ROLE_CONTRIBUTOR)
    return APP_OK;
  strbuf_printf(why,
                "Exports are created and changed by administrators and contributors; you "
                "are %s in this store. Ask an administrator (synwiz role list shows them).",
                store_role_title(role));
  return APP_DENIED;
}

static void say_update(struct app_job *job, const struct store_export *before)
{
  struct export_job *j = job_of(job);
  if (before->database_name && strcasecmp(before->database_name, j->e.database_name) != 0) {
    char *t = xasprintf("A new lake database, %s, is created on the next run", j->e.database_name);
    char *d = xasprintf("The database %s stays in Synapse with its tables and no longer "
                        "receives updates; nothing was deleted.",
                        before->database_name);
    wiz_report_add(job->r, WIZ_FINDING_WARN, t, d, j->e.display_name, NULL);
    free(t);
    free(d);
  }
  for (size_t i = 0; i < before->tables.n; i++) {
    if (store_strings_contains_nocase(&j->e.tables, before->tables.items[i]))
      continue;
    char *t = xasprintf("%s is no longer exported", before->tables.items[i]);
    char *d = xasprintf("It stays in the lake database %s with the data of the last run, and "
                        "its files stay in the container; it is no longer refreshed.",
                        before->database_name);
    wiz_report_add(job->r, WIZ_FINDING_WARN, t, d, j->e.display_name, NULL);
    free(t);
    free(d);
  }
}

static int save_done(struct app_job *job, struct az_call *call)
{
  (void)call;
  struct export_job *j = job_of(job);
  struct export_host *h = host_of(job);
  struct store *s = store_of(h);
  if (!s) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "The store cannot be opened", NULL, NULL, NULL);
    return app_job_fail_rc(job, APP_IO);
  }
  struct store_connection c;
  store_connection_init(&c);
  enum app_result rc = store_connection_find(s, j->connection, &c);
  if (rc != APP_OK) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "The connection cannot be used", store_message(s),
                   j->connection, NULL);
    store_connection_done(&c);
    return app_job_fail_rc(job, rc);
  }
  j->e.connection_id = xstrdup(c.meta.id);
  store_connection_done(&c);
  if (job->dry_run) {
    wiz_report_add(job->r, WIZ_FINDING_INFO, "Dry run: the export would be saved in the store",
                   "Nothing is created in Azure until the export runs.", j->e.display_name, NULL);
    return APP_STEP_END;
  }
  struct store_export before;
  store_export_init(&before);
  if (h->editing) {
    rc = store_export_get(s, h->edit_id, &before);
    if (rc == APP_OK) {
      j->e.meta.id = xstrdup(h->edit_id);
      j->e.meta.revision = h->edit_revision;
      j->e.status = before.status ? xstrdup(before.status) : NULL;
      rc = store_export_update(s, &j->e);
    }
  } else {
    rc = store_export_create(s, &j->e);
  }
  if (rc != APP_OK) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "The export was not saved", store_message(s),
                   j->e.display_name, NULL);
    store_export_done(&before);
    return app_job_fail_rc(job, rc);
  }
  char *sched = app_export_schedule_text(&j->e.schedule);
  char *detail =
      xasprintf("Connection %s, lake database %s, %zu table%s, schedule: %s.", j->connection,
                j->e.database_name, j->e.tables.n, j->e.tables.n == 1 ? "" : "s", sched);
  wiz_report_add(job->r, WIZ_FINDING_PASS, h->editing ? "Export updated" : "Export saved", detail,
                 j->e.display_name, NULL);
  free(detail);
  free(sched);
  if (h->editing)
    say_update(job, &before);
  store_export_done(&before);
  if (job->action->mode == J_SAVE_RUN) {
    /* The run works on the saved record, as Run on the home screen does. */
    free(h->edit_id);
    h->edit_id = xstrdup(j->e.meta.id);
    return S_RUN;
  }
  char *word = safetext_shell_word(j->e.display_name);
  char *d = xasprintf("Save does not run it: run it with synwiz export run %s, or let its "
                      "schedule do so.",
                      word);
  free(word);
  wiz_report_add(job->r, WIZ_FINDING_INFO, "Not run yet", d, j->e.display_name, NULL);
  free(d);
  return APP_STEP_END;
}

/* A copy to change: its own display name and database (two exports refreshing one database
 * would overwrite each other's tables). */
static enum app_result duplicate(struct app_job *job, struct store *s, struct store_export *e)
{
  struct store_export copy;
  store_export_init(&copy);
  enum app_result rc = APP_NAME_TAKEN;
  for (int n = 1; rc == APP_NAME_TAKEN && n < 100; n++) {
    store_export_done(&copy);
    store_export_init(&copy);
    copy.display_name = n == 1 ? xasprintf("Copy of %s", e->display_name)
                               : xasprintf("Copy %d of %s", n, e->display_name);
    char suffix[8];
    snprintf(suffix, sizeof(suffix), "c%d", n);
    size_t keep = strlen(e->database_name);
    if (keep > 24 - strlen(suffix))
      keep = 24 - strlen(suffix);
    copy.database_name = xasprintf("%.*s%s", (int)keep, e->database_name, suffix);
    copy.connection_id = e->connection_id ? xstrdup(e->connection_id) : NULL;
    for (size_t i = 0; i < e->tables.n; i++)
      store_strings_add(&copy.tables, e->tables.items[i]);
    copy.schedule.mode = STORE_SCHEDULE_OFF;
    rc = store_export_create(s, &copy);
  }
  if (rc == APP_OK) {
    char *t = xasprintf("Created %s", copy.display_name);
    char *word = safetext_shell_word(copy.display_name);
    char *d = xasprintf("The same connection and tables, lake database %s, schedule off. Edit it "
                        "before its first run: synwiz export edit %s.",
                        copy.database_name, word);
    free(word);
    wiz_report_add(job->r, WIZ_FINDING_PASS, t, d, e->display_name, NULL);
    free(t);
    free(d);
  }
  store_export_done(&copy);
  return rc;
}

static int manage_done(struct app_job *job, struct az_call *call)
{
  (void)call;
  struct export_host *h = host_of(job);
  struct store *s = store_of(h);
  struct store_export e;
  store_export_init(&e);
  enum app_result rc = s ? store_export_get(s, h->edit_id, &e) : APP_IO;
  if (rc == APP_OK) {
    switch ((enum export_mode)job->action->mode) {
    case J_REMOVE_ASK: {
      char *t = xasprintf("Remove the export %s?", e.display_name);
      wiz_report_add(job->r, WIZ_FINDING_INFO, t,
                     "Its files in the container and its lake database stay in Synapse: "
                     "removing an export deletes nothing there.",
                     e.display_name, NULL);
      free(t);
      wiz_report_set_summary(job->r, "Press 1 to remove it; Enter keeps it.");
      char *l = xasprintf("Yes, remove %s", e.display_name);
      wiz_report_add_followup(job->r, "export_remove_confirm", l);
      free(l);
      break;
    }
    case J_REMOVE:
      rc = store_export_remove(s, e.meta.id, h->edit_revision);
      if (rc == APP_OK) {
        char *d = xasprintf("Its files under customerinsights/%s/ and the lake database %s stay "
                            "in Synapse.",
                            e.display_name, e.database_name);
        wiz_report_add(job->r, WIZ_FINDING_PASS, "Export removed", d, e.display_name, NULL);
        free(d);
      }
      break;
    case J_DETACH:
      rc = store_export_detach(s, e.meta.id, h->edit_revision);
      if (rc == APP_OK)
        wiz_report_add(job->r, WIZ_FINDING_PASS, "Connection detached",
                       "The export is kept, inactive (No connection): edit it to choose a "
                       "connection again. Nothing changed in Synapse.",
                       e.display_name, NULL);
      break;
    case J_DUPLICATE:
      rc = duplicate(job, s, &e);
      break;
    default:
      break;
    }
  }
  if (rc != APP_OK) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "Not done", s ? store_message(s) : NULL,
                   e.display_name, NULL);
    store_export_done(&e);
    return app_job_fail_rc(job, rc);
  }
  store_export_done(&e);
  return APP_STEP_END;
}

/* ---- Run: a child process ---- */

static bool run_spawn(struct app_job *job)
{
  struct export_job *j = job_of(job);
  struct export_host *h = host_of(job);
  struct store *s = store_of(h);
  struct store_export e;
  store_export_init(&e);
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  int fds[2];
  if (!s || store_export_get(s, h->edit_id, &e) != APP_OK || n <= 0 || pipe(fds) != 0) {
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "The run could not start", s ? store_message(s) : NULL,
                   NULL, NULL);
    store_export_done(&e);
    return false;
  }
  self[n] = '\0';
  const struct az_cloud *cloud = az_client_cloud(app_ctx_client(h->base.app));
  char *const argv[] = { "synwiz",
                         "--cloud",
                         cloud && cloud->name ? cloud->name : "public",
                         "--store",
                         (char *)store_dir(s),
                         "export",
                         "run",
                         e.display_name,
                         NULL };
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
      dup2(devnull, STDIN_FILENO);
    execv(self, argv);
    _exit(127);
  }
  close(fds[1]);
  store_export_done(&e);
  if (pid < 0) {
    close(fds[0]);
    wiz_report_add(job->r, WIZ_FINDING_FAIL, "The run could not start", NULL, NULL, NULL);
    return false;
  }
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  j->child = pid;
  j->out_fd = fds[0];
  return true;
}

/* Read what the child said; the last complete line is the progress line. */
static void run_read(struct export_job *j)
{
  char buf[4096];
  ssize_t n;
  while (j->out_fd >= 0 && (n = read(j->out_fd, buf, sizeof(buf))) > 0)
    strbuf_append(&j->out, buf, (size_t)n);
  const char *end = j->out.buf + j->out.len;
  while (end > j->out.buf && (end[-1] == '\n' || end[-1] == '\r'))
    end--;
  const char *start = end;
  while (start > j->out.buf && start[-1] != '\n' && start[-1] != '\r')
    start--;
  if (end > start)
    app_job_say(&j->base, "%.*s", (int)(end - start), start);
}

static struct az_call *run_start(struct app_job *job)
{
  struct export_job *j = job_of(job);
  if (!j->child && !run_spawn(job))
    return NULL;
  return az_call_delay(app_ctx_client(host_of(job)->base.app), 200);
}

static int run_done(struct app_job *job, struct az_call *call)
{
  struct export_job *j = job_of(job);
  if (!j->child) /* it never started */
    return app_job_fail(job, WIZ_OUTCOME_FAILED);
  (void)call;
  run_read(j);
  int status = 0;
  pid_t r = waitpid(j->child, &status, WNOHANG);
  if (r == 0)
    return S_RUN; /* still running: wait again */
  j->child = 0;
  run_read(j);
  int code = r > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : 4;
  /* The verdict, then its words, a finding per line (a paragraph of them wrapped into one
   * text ran the lines together): every line but the progress lines (rewritten in place). */
  wiz_report_add(job->r, code == 0 ? WIZ_FINDING_PASS : WIZ_FINDING_FAIL,
                 code == 0 ? "The export ran" : "The export did not run to its end", NULL, NULL,
                 NULL);
  for (char *line = j->out.buf; line && *line;) {
    char *nl = line + strcspn(line, "\r\n");
    size_t len = (size_t)(nl - line);
    while (len && line[len - 1] == ' ')
      len--;
    bool progress = len >= strlen(" left") &&
                    strncmp(line + len - strlen(" left"), " left", strlen(" left")) == 0;
    if (len && !progress) {
      char *text = xstrndup(line, len);
      wiz_report_add(job->r, WIZ_FINDING_INFO, text, NULL, NULL, NULL);
      free(text);
    }
    line = *nl ? nl + 1 : nl;
  }
  if (code == 0)
    return APP_STEP_END;
  return app_job_fail(job, code == 1   ? WIZ_OUTCOME_CANCELLED
                           : code == 3 ? WIZ_OUTCOME_REFUSED
                                       : WIZ_OUTCOME_FAILED);
}

/* Cancel: the child is asked to stop as Ctrl-C asks it (the run is recorded Canceled); one
 * that does not stop within a few seconds is killed (the next command records it as
 * interrupted). */
static void run_stop(struct export_job *j)
{
  if (!j->child)
    return;
  kill(j->child, SIGINT);
  for (int i = 0; i < 100; i++) {
    if (waitpid(j->child, NULL, WNOHANG) != 0) {
      j->child = 0;
      return;
    }
    struct timespec ts = { 0, 50 * 1000 * 1000 };
    nanosleep(&ts, NULL);
  }
  kill(j->child, SIGKILL);
  waitpid(j->child, NULL, 0);
  j->child = 0;
}

static void cancelled(struct app_job *job)
{
  struct export_job *j = job_of(job);
  if (j->child) {
    run_stop(j);
    wiz_report_add(job->r, WIZ_FINDING_INFO, "The run was canceled",
                   "Partitions uploaded before it stay (each one whole); no other was "
                   "written; model.json and the database were not changed.",
                   NULL, NULL);
  }
}

static const struct app_step steps[] = {
  [S_SAVE] = { "save", "Saving the export...", NULL, save_done, "Could not save the export" },
  [S_MANAGE] = { "manage", NULL, NULL, manage_done, "Could not change the export" },
  [S_RUN] = { "run", NULL, run_start, run_done, "The export did not run" },
};

static void finish(struct app_job *job)
{
  struct export_job *j = job_of(job);
  struct export_host *h = host_of(job);
  if (job->action->mode == J_SAVE_RUN && !job->failed) {
    app_job_set_title(job, "Export saved and run");
    return;
  }
  if (job->action->mode != J_SAVE && job->action->mode != J_SAVE_RUN) {
    app_job_set_title(job, job->failed          ? "The export was not changed"
                           : job->action->label ? job->action->label
                                                : "Export");
    return;
  }
  char *t = job->failed
                ? xasprintf("Export %s not saved", j->e.display_name ? j->e.display_name : "")
                : xasprintf("Export %s %s", j->e.display_name, h->editing ? "updated" : "saved");
  app_job_set_title(job, t);
  free(t);
}

static void job_done(struct app_job *job)
{
  struct export_job *j = job_of(job);
  run_stop(j);
  if (j->out_fd > 0)
    close(j->out_fd);
  strbuf_done(&j->out);
  store_export_done(&j->e);
  free(j->connection);
}

static const struct app_job_class jobs = {
  sizeof(struct export_job), steps, begin, may_write, finish, cancelled, job_done,
};

/* ---- the connection picker ---- */

/* No connection this identity may use: say so in the list, and who can add one. */
static void filter(const char *source, struct wiz_list *items, void *ud)
{
  struct export_host *h = ud;
  if (strcmp(source, "connections") != 0 || items->n)
    return;
  struct store *s = store_of(h);
  struct strbuf why;
  strbuf_init(&why, 0);
  bool admin = s && store_actor_role(s) == STORE_ROLE_ADMIN;
  if (admin) {
    strbuf_puts(&why, "There is no connection yet: add one with Set up Azure Synapse Analytics "
                      "connection on the home screen (synwiz connection new), then press F5 here.");
  } else {
    /* The store's refusal names the administrators. */
    strbuf_puts(&why, "No connection is shared with contributors: ask an administrator to share "
                      "or add one.");
    if (s && store_connection_require_admin(s, "add connections") != APP_OK)
      strbuf_printf(&why, " %s", store_message(s));
  }
  wiz_list_add(items, "", "No connection", NULL, why.buf);
  strbuf_done(&why);
}

/* ---- edit mode ---- */

static json_t *edit(struct app_host_base *base, const char *name, struct strbuf *why,
                    enum app_result *out_rc)
{
  struct export_host *h = (struct export_host *)base;
  struct store *s = store_of(h);
  if (!s) {
    strbuf_puts(why, "the store cannot be opened");
    *out_rc = APP_IO;
    return NULL;
  }
  struct store_export e;
  store_export_init(&e);
  enum app_result rc = store_export_find(s, name, &e);
  if (rc != APP_OK) {
    if (rc == APP_NOT_FOUND)
      strbuf_printf(why, "there is no export named '%s' (synwiz export list shows them)", name);
    else
      strbuf_puts(why, store_message(s));
    *out_rc = rc;
    store_export_done(&e);
    return NULL;
  }
  h->editing = true;
  free(h->edit_id);
  h->edit_id = xstrdup(e.meta.id);
  h->edit_revision = e.meta.revision;
  free(h->edit_database);
  h->edit_database = xstrdup(e.database_name);
  store_strings_done(&h->edit_tables);
  for (size_t i = 0; i < e.tables.n; i++)
    store_strings_add(&h->edit_tables, e.tables.items[i]);
  json_t *answers = app_export_answers(&e, e.connection_name);
  store_export_done(&e);
  *out_rc = APP_OK;
  return answers;
}

static void destroy(struct app_host_base *base)
{
  struct export_host *h = (struct export_host *)base;
  free(h->edit_id);
  free(h->edit_database);
  store_strings_done(&h->edit_tables);
  free(h);
}

struct app_host_base *app_host_export_open(struct app_ctx *app, struct strbuf *why,
                                           enum app_result *out_rc)
{
  struct store *s = NULL;
  const char *msg = NULL;
  enum app_result rc = app_ctx_store(app, &s, &msg);
  if (rc != APP_OK) {
    strbuf_puts(why, msg ? msg : app_result_message(rc));
    *out_rc = rc;
    return NULL;
  }
  enum store_role role = store_actor_role(s);
  if (role != STORE_ROLE_ADMIN && role != STORE_ROLE_CONTRIBUTOR) {
    strbuf_printf(why,
                  "exports are created and changed by administrators and contributors; you are "
                  "%s in this store (synwiz role list shows who the administrators are)",
                  store_role_title(role));
    *out_rc = APP_DENIED;
    return NULL;
  }
  struct export_host *h = xcalloc(1, sizeof(*h));
  h->base.app = app;
  h->base.jobs = &jobs;
  h->base.check = check;
  h->base.edit = edit;
  h->base.filter = filter;
  h->base.destroy = destroy;
  return &h->base;
}
