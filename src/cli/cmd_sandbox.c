/*
 * synwiz sandbox ...: the local stand-in for Azure. The sandbox is a Node.js program
 * (sandbox/bin/sandbox.mjs, shipped in share/synwiz/sandbox); this command finds it and
 * hands over the arguments. SYNWIZ_NODE names another node binary.
 *
 * `start` runs node as a child and, once the sandbox is up, signs the demo user in through
 * the normal device-code path (unless --no-login, which node never sees): a device code is
 * requested for the sandbox profile's public client, its user code is approved through the
 * control endpoint (POST /_sandbox/devicecode/approve with x-sandbox-control), the poll
 * completes, and the tokens land in the token cache like after `synwiz login`.
 */
#include "cli/cli.h"
#include "cli/cli_help.h"

#include "azure/az_client.h"
#include "azure/az_login.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct approver {
  struct az_client *client;
  char *control_token; /* secret */
  struct az_call *approve;
};

static void approve_code(const struct az_device_code *dc, void *ud)
{
  struct approver *a = ud;
  const struct az_cloud *cloud = az_client_cloud(a->client);
  char *url = xasprintf("%s/_sandbox/devicecode/approve", cloud->authority);
  json_t *o = json_pack("{s:s}", "user_code", dc->user_code);
  char *body = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  struct az_headers h;
  az_headers_init(&h);
  az_headers_add(&h, "x-sandbox-control", a->control_token);
  struct az_request_options ro = { 0 };
  ro.no_auth = true;
  ro.headers = &h;
  a->approve = az_call_request(a->client, "POST", url, body, &ro);
  az_headers_done(&h);
  free(body);
  free(url);
}

static int sign_in_demo_user(struct cli_ctx *ctx, const char *dir)
{
  struct az_error err;
  az_error_init(&err);
  struct az_cloud *cloud = NULL;
  if (az_cloud_load_sandbox(dir, &cloud, &err) != AZ_OK) {
    int rc = cli_azure_fail(&err);
    az_error_done(&err);
    return rc;
  }
  char *sdir = az_cloud_sandbox_dir(dir);
  char *runtime = paths_join(sdir, "runtime.json");
  json_t *rt = json_load_file(runtime, 0, NULL);
  free(runtime);
  free(sdir);
  const char *tenant = json_string_value(json_object_get(rt, "tenant"));
  const char *token = json_string_value(json_object_get(rt, "control_token"));
  if (!tenant || !token) {
    cli_error("the sandbox's runtime.json lacks its tenant or control token");
    json_decref(rt);
    az_cloud_delete(cloud);
    return CLI_EXIT_FAILURE;
  }
  struct az_client_options o;
  az_client_options_default(&o);
  o.cloud = cloud;
  o.log_path = ctx->log_file;
  o.verbosity = ctx->verbosity;
  char *cache = paths_state_dir();
  char *cache_path = paths_join(cache, "tokens.json");
  free(cache);
  o.token_cache_path = cache_path;
  struct az_client *client = NULL;
  if (az_client_new(&o, &client, &err) != AZ_OK) {
    int rc = cli_azure_fail(&err);
    az_error_done(&err);
    az_cloud_delete(o.cloud);
    json_decref(rt);
    free(cache_path);
    return rc;
  }
  struct approver a = { client, xstrdup(token), NULL };
  struct az_call *login = az_login_device_code(client, tenant, NULL, approve_code, &a);
  int rc = CLI_EXIT_DONE;
  if (az_call_wait(login) == AZ_OK) {
    const struct az_identity *id = az_client_identity(client);
    printf("Signed in to the sandbox as %s (%s).\n",
           id->display_name ? id->display_name : "the demo user",
           id->username ? id->username : (id->object_id ? id->object_id : "?"));
  } else if (a.approve && az_call_is_done(a.approve) && az_call_result(a.approve) != AZ_OK) {
    cli_error("the sandbox did not approve the sign-in code");
    rc = cli_azure_fail(az_call_error(a.approve));
  } else {
    rc = cli_azure_fail(az_call_error(login));
  }
  az_call_delete(a.approve);
  az_call_delete(login);
  az_client_delete(client);
  xfree_secret(a.control_token);
  json_decref(rt);
  free(cache_path);
  return rc;
}

int cmd_sandbox(struct cli_ctx *ctx, int argc, char **argv)
{
  const char *node = getenv("SYNWIZ_NODE");
  if (!node || !*node)
    node = "node";
  char *script = paths_data_sub("sandbox/bin/sandbox.mjs");
  if (access(script, R_OK) != 0) {
    cli_error("the sandbox is not installed (looked for %s)", script);
    free(script);
    return CLI_EXIT_FAILURE;
  }
  /* --help anywhere (also before the subcommand, where node would take it for one): node's
   * usage, and no sign-in after a `start --help` that started nothing. */
  bool help = cli_wants_help(argc, argv);
  bool start = !help && argc > 1 && strcmp(argv[1], "start") == 0;
  bool login = start;
  const char *dir = NULL;
  /* argv[0] is "sandbox"; node gets: node SCRIPT <subcommand> <args...> minus --no-login */
  char **args = xcalloc((size_t)argc + 3, sizeof(char *));
  int n = 0;
  args[n++] = (char *)node;
  args[n++] = script;
  if (help)
    args[n++] = "help";
  for (int i = 1; i < argc && !help; i++) {
    if (start && strcmp(argv[i], "--no-login") == 0) {
      login = false;
      continue;
    }
    if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
      dir = argv[i + 1];
    args[n++] = argv[i];
  }
  args[n] = NULL;
  if (!start) {
    execvp(node, args);
    cli_error("cannot run %s: %s (install Node.js 20, or set SYNWIZ_NODE)", node, strerror(errno));
    free(args);
    free(script);
    return CLI_EXIT_FAILURE;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    cli_error("cannot start the sandbox: %s", strerror(errno));
    free(args);
    free(script);
    return CLI_EXIT_FAILURE;
  }
  if (pid == 0) {
    execvp(node, args);
    cli_error("cannot run %s: %s (install Node.js 20, or set SYNWIZ_NODE)", node, strerror(errno));
    _exit(CLI_EXIT_FAILURE);
  }
  free(args);
  free(script);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      cli_error("lost the sandbox start process: %s", strerror(errno));
      return CLI_EXIT_FAILURE;
    }
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return WIFEXITED(status) ? WEXITSTATUS(status) : CLI_EXIT_FAILURE;
  return login ? sign_in_demo_user(ctx, dir) : CLI_EXIT_DONE;
}
