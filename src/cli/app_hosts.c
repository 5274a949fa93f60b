/*
 * The product's wizard hosts (wizard_app_hosts() of wizard_run.h): the app layer's host of
 * each form, on one app context per command. Kept apart from wizard_run.c so that the test
 * driver (tests/driver), which runs the same runner on fake hosts, links without the app.
 */
#include "cli/wizard_run.h"
#include "app/app_action.h"
#include "app/app_ctx.h"
#include "app/app_home.h"
#include "app/app_host.h"
#include "app/app_result.h"
#include "app/store.h"
#include "util/safetext.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

/* One app context (the Azure client on the chosen cloud, who is signed in, the store) for
 * the whole command, made on first use. A dry run's calls go to a temporary file and are
 * printed when the command ends: while the screens are up, stdout is the terminal. */
struct product {
  struct cli_ctx *cli;
  struct wizard_hosts *hosts;
  struct app_ctx *app;
  bool tried;
  int open_rc;
  FILE *dry_run;
};

void cli_store_damage(struct store *s)
{
  const struct store_damage *d = NULL;
  size_t n = s ? store_damaged(s, &d) : 0;
  for (size_t i = 0; i < n; i++) {
    char *msg = safetext_dup(d[i].message, SAFETEXT_MESSAGE_MAX, 0);
    fprintf(stderr,
            "synwiz: warning: %s It was left out; the other records work. Repair the file, or "
            "move it out of the store, to use that %s again.\n",
            msg, store_kind_noun(d[i].kind));
    free(msg);
  }
}

static struct app_ctx *product_app(struct product *p, bool dry_run, struct strbuf *why)
{
  if (!p->tried) {
    p->tried = true;
    if (dry_run)
      p->dry_run = tmpfile();
    struct az_client *client = NULL;
    p->open_rc = cli_azure_open(p->cli, p->dry_run, &client);
    if (p->open_rc == CLI_EXIT_DONE) {
      struct app_ctx_options o = { client, p->cli->store };
      p->app = app_ctx_new(&o);
      p->hosts->cloud_label = app_ctx_cloud_label(p->app);
    }
  }
  if (!p->app)
    strbuf_puts(why, "cannot reach Azure (see the message above)");
  return p->app;
}

static struct wiz_host *product_open(void *ctx, const char *form_id, bool dry_run,
                                     struct strbuf *why)
{
  struct product *p = ctx;
  struct app_ctx *app = product_app(p, dry_run, why);
  enum app_result rc = APP_OK;
  struct wiz_host *host = app ? app_host_open(app, form_id, why, &rc) : NULL;
  if (!host)
    p->hosts->open_exit = app ? cli_exit_of_app(rc) : p->open_rc;
  return host;
}

static json_t *product_edit(void *ctx, struct wiz_host *host, const char *form_id, const char *name,
                            struct strbuf *why, int *out_exit)
{
  (void)ctx;
  (void)form_id;
  enum app_result rc = APP_OK;
  json_t *answers = app_host_edit(host, name, why, &rc);
  if (!answers && out_exit)
    *out_exit = cli_exit_of_app(rc);
  return answers;
}

static void product_close(void *ctx, struct wiz_host *host)
{
  (void)ctx;
  app_host_close(host);
}

static struct wiz_home *product_home(void *ctx, struct strbuf *why)
{
  struct product *p = ctx;
  struct app_ctx *app = product_app(p, false, why);
  return app ? app_home_build(app) : NULL;
}

/* Forget the identity and the store learned so far: the next use signs in again from the
 * token cache (someone may have signed in or out in another terminal). */
static void product_refresh(void *ctx)
{
  struct product *p = ctx;
  app_ctx_delete(p->app);
  p->app = NULL;
  p->tried = false;
  p->hosts->cloud_label = NULL; /* it was the context's */
}

static int product_sign_in(void *ctx)
{
  struct product *p = ctx;
  char login[] = "login";
  char *argv[] = { login, NULL };
  optind = 0; /* getopt starts afresh: the command line was parsed with it before */
  int rc = cmd_login(p->cli, 1, argv);
  product_refresh(p);
  return rc;
}

static void product_release(void *ctx)
{
  struct product *p = ctx;
  /* Forgotten whole, so that a command running several wizards in turn (model refresh
   * --all, refresh --due) opens the next one afresh instead of "cannot reach Azure". */
  product_refresh(p);
  if (p->dry_run) {
    rewind(p->dry_run);
    char buf[4096];
    size_t n;
    bool first = true;
    while ((n = fread(buf, 1, sizeof(buf), p->dry_run)) > 0) {
      if (first)
        fputs("Calls of this dry run, in order (nothing was changed):\n", stdout);
      first = false;
      fwrite(buf, 1, n, stdout);
    }
    fclose(p->dry_run);
    p->dry_run = NULL;
  }
}

const struct wizard_hosts *wizard_app_hosts(struct cli_ctx *ctx)
{
  static struct product product;
  static struct wizard_hosts hosts;
  product.cli = ctx;
  product.hosts = &hosts;
  hosts.open = product_open;
  hosts.close = product_close;
  hosts.home = product_home;
  hosts.refresh = product_refresh;
  hosts.sign_in = product_sign_in;
  hosts.release = product_release;
  hosts.edit = product_edit;
  hosts.open_exit = 0;
  hosts.ctx = &product;
  hosts.term = NULL;
  hosts.cloud_label = NULL;
  hosts.decl = app_action_contract();
  return &hosts;
}
