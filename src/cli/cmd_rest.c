/*
 * synwiz rest: one REST call through the Azure client's pipeline, like `az rest`.
 *
 *   --method get|put|post|patch|delete|head (default get)   --url URL (absolute, or a path
 *   that goes to the cloud's resource manager)   --body JSON|@FILE   --scope S (default: from
 *   the URL's host)   --all (GET only: follow nextLink, print one {"value": [...]})
 *   --header 'Name: value' (repeatable)   --dry-run (print the call, send no write)
 *   --wait (a long-running write: follow Azure-AsyncOperation / Location / provisioningState
 *   to the end, then read the resource back; a final {"status":"Failed"} is a failure)
 *
 * For blob URLs, two streaming transfers (memory stays bounded whatever the size):
 *   --upload FILE    block blob upload in parallel blocks (Put Block + Put Block List)
 *   --download FILE  ranged parallel download into FILE
 *   --shared-key     sign with the account key of AZURE_STORAGE_CONNECTION_STRING instead
 *                    of an Entra token (the key never appears on the command line)
 *
 * The answer's body goes to stdout (JSON pretty-printed); errors go to stderr with Azure's
 * code and message, a hint and the request id; the exit code says refused (3) or failed (4).
 */
#include "cli/cli.h"

#include "azure/az_blob.h"
#include "azure/az_client.h"
#include "util/fsutil.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void rest_usage(FILE *out)
{
  fputs("usage: synwiz rest [--method get|put|post|patch|delete|head] --url URL\n"
        "                   [--body JSON|@FILE] [--scope SCOPE] [--all]\n"
        "                   [--header 'Name: value']... [--dry-run] [--wait]\n"
        "       synwiz rest --url BLOB_URL (--upload FILE | --download FILE) [--shared-key]\n",
        out);
}

static void print_answer(const char *body, size_t len, json_t *json)
{
  if (json) {
    cli_print_json(json);
    return;
  }
  if (body && len) {
    fwrite(body, 1, len, stdout);
    if (body[len - 1] != '\n')
      putchar('\n');
  }
}

static bool add_header(struct az_headers *h, const char *spec)
{
  const char *colon = strchr(spec, ':');
  if (!colon || colon == spec)
    return false;
  char *name = xstrndup(spec, (size_t)(colon - spec));
  const char *v = colon + 1;
  while (isspace((unsigned char)*v))
    v++;
  az_headers_add(h, name, v);
  free(name);
  return true;
}

/* --upload / --download: a streaming blob transfer through src/azure/az_blob. */
static int blob_transfer(struct cli_ctx *ctx, const char *url, const char *upload,
                         const char *download, bool shared_key, bool dry_run)
{
  char *name = NULL, *endpoint = NULL, *container = NULL, *blob = NULL;
  if (!az_blob_parse_url(url, &name, &endpoint, &container, &blob) || !blob) {
    cli_error("%s is not a blob URL (https://ACCOUNT.blob.SUFFIX/CONTAINER/BLOB)", url);
    return CLI_EXIT_USAGE;
  }
  struct az_client *client = NULL;
  int rc = cli_azure_open(ctx, dry_run ? stderr : NULL, &client);
  struct az_storage_account *account = NULL;
  struct az_error err;
  az_error_init(&err);
  if (rc == CLI_EXIT_DONE) {
    enum az_result r;
    if (shared_key) {
      const char *cs = getenv("AZURE_STORAGE_CONNECTION_STRING");
      if (!cs || !*cs) {
        az_error_set(&err, AZ_E_CONFIG, "--shared-key needs AZURE_STORAGE_CONNECTION_STRING");
        r = AZ_E_CONFIG;
      } else {
        r = az_storage_account_from_connection_string(cs, az_client_cloud(client), &account, &err);
        if (r == AZ_OK && strcmp(account->name, name) != 0) {
          az_error_set(&err, AZ_E_CONFIG,
                       "AZURE_STORAGE_CONNECTION_STRING is for account %s, not %s", account->name,
                       name);
          r = AZ_E_CONFIG;
        }
        if (r == AZ_OK) {
          /* Keep the URL's own endpoint: the connection string may name another form. */
          free(account->blob_endpoint);
          account->blob_endpoint = xstrdup(endpoint);
        }
      }
    } else {
      r = az_storage_account_new(name, endpoint, NULL, az_client_cloud(client), &account, &err);
    }
    if (r != AZ_OK)
      rc = cli_azure_fail(&err);
  }
  if (rc == CLI_EXIT_DONE) {
    struct az_call *call =
        upload ? az_blob_upload_file(client, account, container, blob, upload, NULL)
               : az_blob_download_file(client, account, container, blob, download, NULL);
    if (az_call_wait(call) == AZ_OK) {
      json_t *j = az_call_json(call);
      if (download)
        print_answer(NULL, 0, j);
      else {
        const char *etag = az_headers_get(az_call_headers(call), "ETag");
        json_t *o = json_pack("{s:s, s:s?}", "uploaded", url, "etag", etag);
        print_answer(NULL, 0, o);
        json_decref(o);
      }
    } else {
      rc = cli_azure_fail(az_call_error(call));
    }
    az_call_delete(call);
  }
  az_storage_account_delete(account);
  az_client_delete(client);
  az_error_done(&err);
  free(name);
  free(endpoint);
  free(container);
  free(blob);
  return rc;
}

int cmd_rest(struct cli_ctx *ctx, int argc, char **argv)
{
  static const struct option opts[] = {
    { "method", required_argument, NULL, 'm' },  { "url", required_argument, NULL, 'u' },
    { "uri", required_argument, NULL, 'u' },     { "body", required_argument, NULL, 'b' },
    { "scope", required_argument, NULL, 's' },   { "resource", required_argument, NULL, 's' },
    { "all", no_argument, NULL, 'a' },           { "header", required_argument, NULL, 'H' },
    { "headers", required_argument, NULL, 'H' }, { "dry-run", no_argument, NULL, 'n' },
    { "upload", required_argument, NULL, 'U' },  { "download", required_argument, NULL, 'D' },
    { "shared-key", no_argument, NULL, 'k' },    { "wait", no_argument, NULL, 'w' },
    { "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 },
  };
  const char *upload = NULL, *download = NULL;
  bool shared_key = false, wait_lro = false;
  const char *method_arg = "get", *url_arg = NULL, *body_arg = NULL, *scope = NULL;
  bool all = false, dry_run = false;
  struct az_headers headers;
  az_headers_init(&headers);
  int rc = CLI_EXIT_DONE;
  int ch;
  while ((ch = getopt_long(argc, argv, "+m:u:b:s:H:h", opts, NULL)) != -1) {
    switch (ch) {
    case 'm':
      method_arg = optarg;
      break;
    case 'u':
      url_arg = optarg;
      break;
    case 'b':
      body_arg = optarg;
      break;
    case 's':
      scope = optarg;
      break;
    case 'a':
      all = true;
      break;
    case 'n':
      dry_run = true;
      break;
    case 'U':
      upload = optarg;
      break;
    case 'D':
      download = optarg;
      break;
    case 'k':
      shared_key = true;
      break;
    case 'w':
      wait_lro = true;
      break;
    case 'H':
      if (!add_header(&headers, optarg)) {
        cli_error("--header takes 'Name: value', not '%s'", optarg);
        rc = CLI_EXIT_USAGE;
      }
      break;
    case 'h':
      rest_usage(stdout);
      az_headers_done(&headers);
      return CLI_EXIT_DONE;
    default:
      rc = CLI_EXIT_USAGE;
      break;
    }
  }
  static const char *const methods[] = { "GET", "PUT", "POST", "PATCH", "DELETE", "HEAD" };
  const char *method = NULL;
  for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
    if (strcasecmp(method_arg, methods[i]) == 0)
      method = methods[i];
  }
  if (rc == CLI_EXIT_DONE && (!url_arg || !*url_arg || optind < argc)) {
    rest_usage(stderr);
    rc = CLI_EXIT_USAGE;
  } else if (rc == CLI_EXIT_DONE && !method) {
    cli_error("unknown method '%s'", method_arg);
    rc = CLI_EXIT_USAGE;
  } else if (rc == CLI_EXIT_DONE && all && strcmp(method, "GET") != 0) {
    cli_error("--all follows nextLink and works with --method get only");
    rc = CLI_EXIT_USAGE;
  } else if (rc == CLI_EXIT_DONE && wait_lro && (all || strcmp(method, "GET") == 0)) {
    cli_error("--wait follows a long-running write (put, patch, post, delete)");
    rc = CLI_EXIT_USAGE;
  }
  if (rc == CLI_EXIT_DONE && (upload || download)) {
    if ((upload && download) || body_arg || all) {
      cli_error("--upload and --download go alone (no --body, --all or each other)");
      az_headers_done(&headers);
      return CLI_EXIT_USAGE;
    }
    int brc = blob_transfer(ctx, url_arg, upload, download, shared_key, dry_run);
    az_headers_done(&headers);
    return brc;
  }
  char *body = NULL;
  if (rc == CLI_EXIT_DONE && body_arg) {
    if (body_arg[0] == '@') {
      size_t len = 0;
      if (fs_read_all(body_arg + 1, &body, &len, 0) != 0) {
        cli_error("cannot read %s: %s", body_arg + 1, strerror(errno));
        rc = CLI_EXIT_USAGE;
      }
    } else {
      body = xstrdup(body_arg);
    }
    if (body && !az_headers_get(&headers, "Content-Type")) {
      json_error_t jerr;
      json_t *probe = json_loads(body, JSON_DECODE_ANY, &jerr);
      if (!probe) {
        cli_error("the body is not JSON (line %d: %s); give --header 'Content-Type: ...' to "
                  "send something else",
                  jerr.line, jerr.text);
        rc = CLI_EXIT_USAGE;
      }
      json_decref(probe);
    }
  }
  struct az_client *client = NULL;
  if (rc == CLI_EXIT_DONE)
    rc = cli_azure_open(ctx, dry_run ? stderr : NULL, &client);
  if (rc != CLI_EXIT_DONE) {
    xfree_secret(body);
    az_headers_done(&headers);
    return rc;
  }
  char *url = url_arg[0] == '/'
                  ? xasprintf("%s%s", az_client_cloud(client)->resource_manager, url_arg)
                  : xstrdup(url_arg);
  struct az_request_options ro = { 0 };
  ro.scope = scope;
  ro.headers = &headers;
  const char *ct = az_headers_get(&headers, "Content-Type");
  ro.content_type = ct ? ct : "application/json";
  bool writes_resource = strcmp(method, "PUT") == 0 || strcmp(method, "PATCH") == 0;
  struct az_call *call;
  if (all)
    call = az_call_list(client, url, &ro);
  else if (wait_lro)
    call = az_call_long_running(client, method, url, body, &ro, writes_resource ? url : NULL);
  else
    call = az_call_request(client, method, url, body, &ro);
  if (az_call_wait(call) == AZ_OK) {
    size_t len = 0;
    const char *answer = az_call_body(call, &len);
    print_answer(answer, len, az_call_json(call));
  } else {
    rc = cli_azure_fail(az_call_error(call));
  }
  az_call_delete(call);
  az_client_delete(client);
  free(url);
  xfree_secret(body);
  az_headers_done(&headers);
  return rc;
}
