/*
 * synwiz-testdrive: the wizard runner of src/cli/wizard_run.c with the fake host
 * (tests/unit/support/fake_host.c) instead of the app layer. Not part of the product: the
 * screen tests (tests/screen/) and the tmux tests (tests/tui/) drive it.
 *
 *   synwiz-testdrive [--script FILE --dump-dir DIR] new FORM [wizard options]
 *   synwiz-testdrive [--script FILE --dump-dir DIR] resume [NAME] [wizard options]
 *   synwiz-testdrive [--script FILE --dump-dir DIR] home
 *
 * With --script, the screens run in test mode (newterm on /dev/null, size from LINES and
 * COLUMNS, keys from the script). Script commands for the fake host: ":release SOURCE",
 * ":fail SOURCE" (a held load of SOURCE arrives or fails; SOURCE "job" advances an action),
 * ":hold on|off". FAKE_* variables: see fake_host.h.
 */
#include "cli/cli.h"
#include "cli/wizard_run.h"
#include "support/fake_host.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct drive {
  struct fake_host *current;
};

static struct wiz_host *open_host(void *ctx, const char *form_id, bool dry_run, struct strbuf *why)
{
  (void)dry_run;
  struct drive *d = ctx;
  d->current = fake_host_new(form_id);
  return fake_host_host(d->current);
}

static void close_host(void *ctx, struct wiz_host *host)
{
  struct drive *d = ctx;
  if (d->current && fake_host_host(d->current) == host) {
    fake_host_delete(d->current);
    d->current = NULL;
  }
}

static struct wiz_home *home(void *ctx, struct strbuf *why)
{
  struct fake_host *h = fake_host_new("home");
  struct wiz_host *host = fake_host_host(h);
  struct wiz_home *data = host->ops->home(host->ctx);
  fake_host_delete(h);
  return data;
}

static void script_cmd(void *ctx, const char *line)
{
  struct drive *d = ctx;
  char what[64];
  if (!d->current)
    return;
  if (sscanf(line, ":release %63s", what) == 1)
    fake_host_release(d->current, what, false);
  else if (sscanf(line, ":fail %63s", what) == 1)
    fake_host_release(d->current, what, true);
  else if (strcmp(line, ":hold on") == 0)
    fake_host_hold(d->current, true);
  else if (strcmp(line, ":hold off") == 0)
    fake_host_hold(d->current, false);
  else
    fprintf(stderr, "synwiz-testdrive: unknown script command %s\n", line);
}

static bool script_idle(void *ctx)
{
  struct drive *d = ctx;
  return !d->current || fake_host_waiting(d->current) == fake_host_held(d->current);
}

int main(int argc, char **argv)
{
  struct drive d = { NULL };
  struct ui_term_opts term = { 0 };
  term.script_cmd = script_cmd;
  term.script_idle = script_idle;
  term.script_ctx = &d;
  int i = 1;
  for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
    if (strcmp(argv[i], "--script") == 0) {
      term.test = true;
      term.script = argv[i + 1];
    } else if (strcmp(argv[i], "--dump-dir") == 0) {
      term.dump_dir = argv[i + 1];
    } else {
      break;
    }
  }
  struct wizard_hosts hosts = { open_host,
                                close_host,
                                home,
                                NULL,
                                &d,
                                term.test ? &term : NULL,
                                getenv("FAKE_CLOUD_LABEL"),
                                NULL,
                                0,
                                fake_host_decl(),
                                NULL,
                                NULL };
  if (i >= argc) {
    fprintf(stderr, "usage: synwiz-testdrive [--script F --dump-dir D] new FORM|resume|home|forms "
                    "check FILE\n");
    return 2;
  }
  if (strcmp(argv[i], "home") == 0)
    return wizard_home(&hosts);
  /* The loader's checks with the fake host's names (test forms name sources the product
   * does not implement yet). */
  if (strcmp(argv[i], "forms") == 0 && i + 1 < argc && strcmp(argv[i + 1], "check") == 0)
    return wizard_forms_check(&hosts, argc - i - 2, argv + i + 2);
  if (strcmp(argv[i], "resume") == 0)
    return wizard_resume(&hosts, argc - i, argv + i);
  if (strcmp(argv[i], "new") == 0 && i + 1 < argc) {
    struct wizard_opts o;
    int first = wizard_parse_opts(argc - i - 1, argv + i + 1, &o);
    if (first < 0)
      return 2;
    return wizard_run(&hosts, argv[i + 1], &o);
  }
  fprintf(stderr, "synwiz-testdrive: unknown command %s\n", argv[i]);
  return 2;
}
