/*
 * synwiz doctor CONNECTION [--fix]: the prerequisites check of a saved connection
 * (src/app/doctor.h). Each finding says pass, fail or warn, what is missing, at which
 * scope, and why it matters. --fix grants what is missing where you may (asked first
 * through the permissions API), prints the commands an administrator can run where you may
 * not, then checks again, counting down while Azure propagates the new assignments (Ctrl-C
 * stops the wait; what was granted stays granted).
 */
#include "cli/cli.h"

#include "app/app_ctx.h"
#include "app/doctor.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "azure/az_client.h"
#include "util/xalloc.h"
#include "wizard/headless.h"
#include "wizard/wiz_host.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: synwiz doctor CONNECTION [--fix] [--wait SECONDS] [--dry-run] [--output json]\n"
    "\n"
    "Checks what the connection needs in Azure, for you and for the workspace's managed\n"
    "identity: Reader on the workspace's resource group; Storage Blob Data Contributor on the\n"
    "storage account (you and the workspace identity); Synapse Contributor and Synapse\n"
    "Credential User (or Synapse Administrator) on the workspace; hierarchical namespace;\n"
    "the storage firewall, public network access and Private Link; data exfiltration\n"
    "protection; the same tenant.\n"
    "\n"
    "  --fix            create the missing role assignments you may create (principalType\n"
    "                   set), print the az / synwiz rest commands for the others, then check\n"
    "                   again, waiting for the new assignments to take effect\n"
    "  --wait SECONDS   how long --fix waits for propagation (default 300); Ctrl-C stops it\n"
    "  --dry-run        print each call; create nothing\n"
    "  --output json    the findings as JSON\n"
    "\n"
    "Exit status: 0 every check passes (warnings allowed), 1 cancelled, 2 usage (or no such\n"
    "connection), 3 something is missing or refused, 4 network or service failure.\n";

static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
  (void)sig;
  int saved = errno;
  if (sig_pipe[1] >= 0) {
    ssize_t w = write(sig_pipe[1], "x", 1);
    (void)w;
  }
  errno = saved;
}

struct run {
  bool tty;
  size_t last_len;
  char *last;
};

static void on_progress(void *ud, const struct wiz_progress *p)
{
  struct run *r = ud;
  if (!p->status || (r->last && strcmp(r->last, p->status) == 0))
    return;
  free(r->last);
  r->last = xstrdup(p->status);
  if (r->tty) {
    /* One line, rewritten: the countdown stays in place. */
    size_t n = strlen(p->status);
    fprintf(stderr, "\r%s%*s", p->status, r->last_len > n ? (int)(r->last_len - n) : 0, "");
    r->last_len = n;
  } else {
    fprintf(stderr, "synwiz: %s\n", p->status);
  }
  fflush(stderr);
}

static json_t *report_json(const struct wiz_report *r, const char *name)
{
  json_t *list = json_array();
  for (size_t i = 0; i < r->n_findings; i++) {
    const struct wiz_finding *f = &r->findings[i];
    json_t *o =
        json_pack("{s:s, s:s}", "status", wiz_finding_status_name(f->status), "title", f->title);
    if (f->detail)
      json_object_set_new(o, "detail", json_string(f->detail));
    if (f->scope)
      json_object_set_new(o, "scope", json_string(f->scope));
    if (f->why)
      json_object_set_new(o, "why", json_string(f->why));
    json_array_append_new(list, o);
  }
  return json_pack("{s:s, s:s, s:s?, s:o}", "connection", name, "outcome",
                   wiz_outcome_name(r->outcome), "summary", r->summary, "findings", list);
}

int cmd_doctor(struct cli_ctx *ctx, int argc, char **argv)
{
  static const struct option opts[] = {
    { "fix", no_argument, NULL, 'f' },     { "wait", required_argument, NULL, 'w' },
    { "dry-run", no_argument, NULL, 'd' }, { "output", required_argument, NULL, 'o' },
    { "help", no_argument, NULL, 'h' },    { NULL, 0, NULL, 0 },
  };
  bool fix = false, dry = false, json = false;
  long wait_s = DOCTOR_PROPAGATION_TIMEOUT_MS / 1000;
  optind = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    char *end = NULL;
    switch (ch) {
    case 'f':
      fix = true;
      break;
    case 'd':
      dry = true;
      break;
    case 'w':
      wait_s = strtol(optarg, &end, 10);
      if (end == optarg || *end || wait_s < 1 || wait_s > 3600) {
        cli_error("--wait takes a number of seconds (1 to 3600)");
        return CLI_EXIT_USAGE;
      }
      break;
    case 'o':
      if (strcmp(optarg, "json") != 0 && strcmp(optarg, "table") != 0) {
        fputs(usage_text, stderr);
        return CLI_EXIT_USAGE;
      }
      json = strcmp(optarg, "json") == 0;
      break;
    case 'h':
      fputs(usage_text, stdout);
      return CLI_EXIT_DONE;
    default:
      fputs(usage_text, stderr);
      return CLI_EXIT_USAGE;
    }
  }
  if (optind + 1 != argc) {
    fputs(usage_text, stderr);
    return CLI_EXIT_USAGE;
  }
  const char *name = argv[optind];
  FILE *dry_stream = dry ? tmpfile() : NULL;
  struct az_client *client = NULL;
  int rc = cli_azure_open(ctx, dry_stream, &client);
  if (rc != CLI_EXIT_DONE) {
    if (dry_stream)
      fclose(dry_stream);
    return rc;
  }
  struct app_ctx_options ao = { client, ctx->store };
  struct app_ctx *app = app_ctx_new(&ao);
  struct store *s = NULL;
  const char *msg = NULL;
  enum app_result ar = app_ctx_store(app, &s, &msg);
  struct store_connection c;
  store_connection_init(&c);
  if (ar == APP_OK) {
    ar = store_connection_find(s, name, &c);
    msg = store_message(s);
    if (ar == APP_OK && c.redacted) {
      ar = store_connection_require_admin(s, "check");
      msg = store_message(s);
    }
  }
  if (ar != APP_OK) {
    cli_error("%s", msg ? msg : app_result_message(ar));
    store_connection_done(&c);
    app_ctx_delete(app);
    if (dry_stream)
      fclose(dry_stream);
    return cli_exit_of_app(ar);
  }

  struct run run = { isatty(STDERR_FILENO) != 0, 0, NULL };
  struct doctor_target t;
  doctor_target_from_connection(&t, &c);
  struct doctor_options o = { 0 };
  o.fix = fix;
  o.dry_run = dry;
  o.propagation_timeout_ms = (int)(wait_s * 1000);
  o.progress = on_progress;
  o.ud = &run;
  if (pipe(sig_pipe) == 0) {
    fcntl(sig_pipe[0], F_SETFD, FD_CLOEXEC);
    fcntl(sig_pipe[1], F_SETFD, FD_CLOEXEC);
    fcntl(sig_pipe[1], F_SETFL, O_NONBLOCK);
  }
  struct sigaction sa, old_int, old_term;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  struct doctor *d = doctor_start(app, &t, &o);
  while (!doctor_finished(d)) {
    int n = app_ctx_wait(app, sig_pipe[0] >= 0 ? &sig_pipe[0] : NULL, sig_pipe[0] >= 0 ? 1 : 0, -1);
    if (n > 0) {
      doctor_cancel(d);
      break;
    }
  }
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  if (run.tty && run.last_len)
    fputc('\n', stderr);

  char *title = xasprintf("Prerequisites of %s (%s / %s / %s)", c.display_name, c.workspace_name,
                          c.storage_account, c.container);
  struct wiz_report *r = wiz_report_new(title, WIZ_OUTCOME_DONE);
  free(title);
  doctor_report(d, r, false);
  if (json) {
    json_t *j = report_json(r, c.display_name);
    cli_print_json(j);
    json_decref(j);
  } else {
    wiz_report_print(r, stdout);
  }
  fprintf(stderr, "synwiz: the check took %.1f s%s", doctor_elapsed_ms(d) / 1000.0,
          doctor_waited_ms(d) ? "" : ".\n");
  if (doctor_waited_ms(d))
    fprintf(stderr, ", of which %ld s waiting for propagation.\n", doctor_waited_ms(d) / 1000);
  rc = wiz_outcome_exit(r->outcome);
  wiz_report_delete(r);
  doctor_delete(d);
  doctor_target_done(&t);
  free(run.last);
  store_connection_done(&c);
  app_ctx_delete(app);
  if (sig_pipe[0] >= 0) {
    close(sig_pipe[0]);
    close(sig_pipe[1]);
    sig_pipe[0] = sig_pipe[1] = -1;
  }
  if (dry_stream) {
    rewind(dry_stream);
    char buf[4096];
    size_t n;
    bool first = true;
    while ((n = fread(buf, 1, sizeof(buf), dry_stream)) > 0) {
      if (first)
        fputs("Calls of this dry run, in order (nothing was changed):\n", stdout);
      first = false;
      fwrite(buf, 1, n, stdout);
    }
    fclose(dry_stream);
  }
  return rc;
}
