/*
 * synwiz login | logout | account show: signing in to Azure from a terminal (also over SSH),
 * and the helpers every Azure-facing command shares (cli_azure_open, cli_azure_fail).
 *
 * Secrets never come from argv: a service principal's secret is read from
 * AZURE_CLIENT_SECRET or, on a terminal, from a masked prompt on /dev/tty. The device code
 * goes to stderr (the terminal), never to the log.
 */
#include "cli/cli.h"
#include "cli/cli_help.h"

#include "azure/az_client.h"
#include "azure/az_login.h"
#include "azure/az_session.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int cli_azure_fail(const struct az_error *e)
{
  char *summary = az_error_summary(e);
  cli_error("%s", summary);
  free(summary);
  if (e->details)
    fprintf(stderr, "  details: %s\n", e->details);
  if (e->hint)
    fprintf(stderr, "  hint: %s\n", e->hint);
  if (e->status || e->request_id) {
    fputs(" ", stderr);
    if (e->status)
      fprintf(stderr, " HTTP %d", e->status);
    if (e->request_id)
      fprintf(stderr, "%s request id %s", e->status ? "," : "", e->request_id);
    fputc('\n', stderr);
  }
  switch (az_result_class(e->result)) {
  case AZ_CLASS_OK:
    return CLI_EXIT_DONE;
  case AZ_CLASS_CANCELED:
    return CLI_EXIT_CANCELLED;
  case AZ_CLASS_LOCAL:
    return CLI_EXIT_USAGE;
  case AZ_CLASS_REFUSED:
    return CLI_EXIT_REFUSED;
  case AZ_CLASS_FAILURE:
  default:
    return CLI_EXIT_FAILURE;
  }
}

/* A masked prompt on the controlling terminal: one '*' per character typed. */
static char *prompt_secret(const char *client_id, void *ud)
{
  (void)ud;
  int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return NULL;
  struct termios old, raw;
  if (tcgetattr(fd, &old) != 0) {
    close(fd);
    return NULL;
  }
  raw = old;
  raw.c_lflag &= ~(tcflag_t)(ECHO | ICANON);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  tcsetattr(fd, TCSAFLUSH, &raw);
  struct strbuf prompt;
  strbuf_init(&prompt, 0);
  strbuf_printf(&prompt, "Client secret of %s: ", client_id ? client_id : "the service principal");
  ssize_t w = write(fd, prompt.buf, prompt.len);
  strbuf_done(&prompt);
  struct strbuf secret;
  strbuf_init(&secret, 4096);
  bool ok = false;
  for (;;) {
    unsigned char ch;
    ssize_t n = read(fd, &ch, 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0 || ch == 3 || ch == 4) /* end of input, Ctrl-C, Ctrl-D */
      break;
    if (ch == '\n' || ch == '\r') {
      ok = secret.len > 0;
      break;
    }
    if (ch == 127 || ch == 8) {
      if (secret.len) {
        secret.buf[--secret.len] = '\0';
        w = write(fd, "\b \b", 3);
      }
      continue;
    }
    if (ch < 0x20 || !strbuf_putc(&secret, (char)ch))
      continue;
    w = write(fd, "*", 1);
  }
  w = write(fd, "\n", 1);
  (void)w;
  tcsetattr(fd, TCSAFLUSH, &old);
  close(fd);
  char *res = ok ? xstrdup(secret.buf) : NULL;
  strbuf_done_secret(&secret);
  return res;
}

int cli_azure_open(const struct cli_ctx *ctx, FILE *dry_run, struct az_client **out)
{
  struct az_session_options o = { 0 };
  o.cloud = ctx->cloud;
  o.log_path = ctx->log_file;
  o.verbosity = ctx->verbosity;
  o.dry_run = dry_run;
  if (isatty(STDIN_FILENO))
    o.prompt = prompt_secret;
  struct az_error err;
  az_error_init(&err);
  enum az_result r = az_session_open(&o, out, &err);
  int rc = CLI_EXIT_DONE;
  if (r != AZ_OK)
    rc = cli_azure_fail(&err);
  az_error_done(&err);
  return rc;
}

/* ud: the client, whose cloud says whether this is the sandbox. */
static void show_code(const struct az_device_code *dc, void *ud)
{
  const struct az_cloud *cloud = ud ? az_client_cloud(ud) : NULL;
  if (dc->message)
    fprintf(stderr, "%s\n", dc->message);
  else
    fprintf(stderr, "To sign in, open %s and enter the code %s\n", dc->verification_uri,
            dc->user_code);
  /* The sandbox has no web page to open (and an SSH session has no browser): its sign-in
   * is approved from another terminal, which nothing else would tell a newcomer. */
  if (cloud && cloud->name && strcmp(cloud->name, "sandbox") == 0)
    fprintf(stderr,
            "On the sandbox there is no page to open: approve the code from another terminal "
            "with\n  synwiz sandbox approve %s\n",
            dc->user_code);
  fprintf(stderr, "(waiting up to %d minutes; Ctrl-C to give up)\n", (dc->expires_in + 59) / 60);
  fflush(stderr);
}

static void print_signed_in(const struct az_client *c)
{
  const struct az_identity *id = az_client_identity(c);
  const char *who =
      id->username ? id->username : (id->display_name ? id->display_name : id->client_id);
  printf("Signed in to %s as %s (%s, object id %s).\n", az_cloud_description(az_client_cloud(c)),
         who ? who : "?", az_identity_kind_name(id->kind), id->object_id ? id->object_id : "?");
}

static void login_usage(FILE *out)
{
  fputs(
      "usage: synwiz login [--tenant T] [--client-id ID]                 (device code)\n"
      "       synwiz login --service-principal --tenant T --client-id ID [--certificate FILE.pem]\n"
      "       synwiz login --managed-identity [--client-id ID]\n"
      "A service principal's secret is read from AZURE_CLIENT_SECRET or asked for on the\n"
      "terminal; it is never taken from the command line and never written to disk.\n",
      out);
}

int cmd_login(struct cli_ctx *ctx, int argc, char **argv)
{
  static const struct option opts[] = {
    { "tenant", required_argument, NULL, 't' },
    { "client-id", required_argument, NULL, 'c' },
    { "service-principal", no_argument, NULL, 's' },
    { "certificate", required_argument, NULL, 'C' },
    { "managed-identity", no_argument, NULL, 'm' },
    { "use-device-code", no_argument, NULL, 'd' },
    { "secret", required_argument, NULL, 'S' },
    { "password", required_argument, NULL, 'S' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *tenant = NULL, *client_id = NULL, *cert = NULL;
  bool sp = false, mi = false;
  int ch;
  while ((ch = getopt_long(argc, argv, "+p:h", opts, NULL)) != -1) {
    switch (ch) {
    case 't':
      tenant = optarg;
      break;
    case 'c':
      client_id = optarg;
      break;
    case 's':
      sp = true;
      break;
    case 'C':
      cert = optarg;
      sp = true;
      break;
    case 'm':
      mi = true;
      break;
    case 'd':
      break;
    case 'S':
    case 'p':
      /* Wipe it from our argv at least; it is already visible in /proc and shell history. */
      secure_wipe(optarg, strlen(optarg));
      cli_error("secrets are never taken from the command line: set AZURE_CLIENT_SECRET or "
                "answer the prompt");
      return CLI_EXIT_USAGE;
    case 'h':
      login_usage(stdout);
      return CLI_EXIT_DONE;
    default:
      login_usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }
  if (optind < argc || (sp && mi)) {
    login_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  if (sp && (!tenant || !client_id)) {
    cli_error("--service-principal needs --tenant and --client-id");
    return CLI_EXIT_USAGE;
  }
  struct az_session_options o = { 0 };
  o.cloud = ctx->cloud;
  o.log_path = ctx->log_file;
  o.verbosity = ctx->verbosity;
  o.ignore_signed_in = true;
  struct az_client *client = NULL;
  struct az_error err;
  az_error_init(&err);
  if (az_session_open(&o, &client, &err) != AZ_OK) {
    int rc = cli_azure_fail(&err);
    az_error_done(&err);
    return rc;
  }
  az_error_done(&err);
  struct az_call *call;
  char *secret = NULL;
  if (sp && !cert) {
    const char *env = getenv("AZURE_CLIENT_SECRET");
    if (env && *env)
      secret = xstrdup(env);
    else if (isatty(STDIN_FILENO))
      secret = prompt_secret(client_id, NULL);
    if (!secret) {
      cli_error("no client secret: set AZURE_CLIENT_SECRET, use --certificate, or run this on "
                "a terminal to be asked for it");
      az_client_delete(client);
      return CLI_EXIT_USAGE;
    }
    call = az_login_service_principal(client, tenant, client_id, secret, NULL);
  } else if (sp) {
    call = az_login_service_principal(client, tenant, client_id, NULL, cert);
  } else if (mi) {
    call = az_login_managed_identity(client, client_id);
  } else {
    call = az_login_device_code(client, tenant, client_id, show_code, client);
  }
  xfree_secret(secret);
  int rc = CLI_EXIT_DONE;
  if (az_call_wait(call) == AZ_OK)
    print_signed_in(client);
  else
    rc = cli_azure_fail(az_call_error(call));
  az_call_delete(call);
  az_client_delete(client);
  return rc;
}

int cmd_logout(struct cli_ctx *ctx, int argc, char **argv)
{
  (void)ctx;
  if (cli_wants_help(argc, argv)) {
    fputs("usage: synwiz logout\n"
          "\n"
          "Erases the token cache: the next command that talks to Azure asks you to sign in\n"
          "again (synwiz login).\n",
          stdout);
    return CLI_EXIT_DONE;
  }
  if (argc > 1) {
    cli_error("logout takes no argument ('%s')", argv[1]);
    fputs("usage: synwiz logout\n", stderr);
    return CLI_EXIT_USAGE;
  }
  if (az_logout(NULL) != AZ_OK) {
    cli_error("could not erase the token cache: %s", strerror(errno));
    return CLI_EXIT_FAILURE;
  }
  printf("Signed out: the token cache is erased.\n");
  return CLI_EXIT_DONE;
}

static void print_row(const char *label, const char *value)
{
  if (value)
    printf("%-14s %s\n", label, value);
}

int cmd_account(struct cli_ctx *ctx, int argc, char **argv)
{
  static const struct option opts[] = {
    { "output", required_argument, NULL, 'o' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  bool json = false;
  int ch;
  optind = 0; /* glibc: re-initialise, so that options may follow "show" (argv is permuted) */
  while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
    if (ch == 'o' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0)) {
      json = strcmp(optarg, "json") == 0;
    } else {
      /* --help: the usage on stdout; a bad option: getopt named it, the usage follows */
      fputs("usage: synwiz account show [--output json|table]\n", ch == 'h' ? stdout : stderr);
      return ch == 'h' ? CLI_EXIT_DONE : CLI_EXIT_USAGE;
    }
  }
  if (optind >= argc || strcmp(argv[optind], "show") != 0 || optind + 1 != argc) {
    cli_error("usage: synwiz account show [--output json|table]");
    return CLI_EXIT_USAGE;
  }
  struct az_client *client = NULL;
  int rc = cli_azure_open(ctx, NULL, &client);
  if (rc != CLI_EXIT_DONE)
    return rc;
  struct az_call *call = az_client_resolve_identity(client);
  if (az_call_wait(call) != AZ_OK) {
    rc = cli_azure_fail(az_call_error(call));
  } else {
    const struct az_identity *id = az_client_identity(client);
    const struct az_cloud *cloud = az_client_cloud(client);
    if (json) {
      json_t *o = az_identity_to_json(id);
      json_object_set_new(o, "cloudDescription", json_string(az_cloud_description(cloud)));
      cli_print_json(o);
      json_decref(o);
    } else {
      char *cloud_line = xasprintf("%s (%s)", cloud->name, az_cloud_description(cloud));
      print_row("Cloud:", cloud_line);
      free(cloud_line);
      print_row("Type:", az_identity_kind_name(id->kind));
      print_row("Name:", id->display_name);
      print_row("User:", id->username);
      print_row("Tenant:", id->tenant_id);
      print_row("Object id:", id->object_id);
      if (id->kind != AZ_IDENTITY_USER)
        print_row("Client id:", id->client_id);
      print_row("Certificate:", id->certificate_path);
      print_row("Source:", id->source);
    }
  }
  az_call_delete(call);
  az_client_delete(client);
  return rc;
}
