#include "app/app_ctx.h"

#include "app/app_table.h"
#include "app/store.h"
#include "azure/az_client.h"
#include "azure/az_login.h"
#include "util/xalloc.h"

#include <stdlib.h>

struct app_ctx {
  struct az_client *client;
  char *store_dir;
  struct store *store;
  char *store_message;
  enum app_result store_result;
  bool store_tried;
  struct az_identity identity;
  bool signed_in;
  char *signin_problem;
};

static void learn_identity(struct app_ctx *ctx)
{
  struct az_call *call = az_client_resolve_identity(ctx->client);
  enum az_result r = az_call_wait(call);
  const struct az_identity *id = az_client_identity(ctx->client);
  if (r == AZ_OK && id && id->object_id) {
    az_identity_copy(&ctx->identity, id);
    ctx->signed_in = true;
  } else {
    const struct az_error *e = az_call_error(call);
    char *summary = e ? az_error_summary(e) : xstrdup(az_result_str(r));
    if (e && e->hint)
      ctx->signin_problem = xasprintf("%s. %s", summary, e->hint);
    else
      ctx->signin_problem =
          xasprintf("%s. Sign in with synwiz login (on the sandbox, synwiz sandbox start signs "
                    "the demo user in).",
                    summary);
    free(summary);
  }
  az_call_delete(call);
}

struct app_ctx *app_ctx_new(const struct app_ctx_options *o)
{
  struct app_ctx *ctx = xcalloc(1, sizeof(*ctx));
  ctx->client = o->client;
  ctx->store_dir = store_default_dir(o->store_dir);
  az_identity_init(&ctx->identity);
  learn_identity(ctx);
  return ctx;
}

const char *app_ctx_store_dir(const struct app_ctx *ctx)
{
  return ctx->store_dir;
}

void app_ctx_delete(struct app_ctx *ctx)
{
  if (!ctx)
    return;
  store_close(ctx->store);
  free(ctx->store_message);
  free(ctx->store_dir);
  az_identity_done(&ctx->identity);
  free(ctx->signin_problem);
  az_client_delete(ctx->client);
  free(ctx);
}

struct az_client *app_ctx_client(const struct app_ctx *ctx)
{
  return ctx->client;
}

const struct az_identity *app_ctx_identity(const struct app_ctx *ctx)
{
  return ctx->signed_in ? &ctx->identity : NULL;
}

const char *app_ctx_signin_problem(const struct app_ctx *ctx)
{
  return ctx->signed_in ? NULL : ctx->signin_problem;
}

const char *app_ctx_identity_label(const struct app_ctx *ctx)
{
  if (!ctx->signed_in)
    return NULL;
  const struct az_identity *id = &ctx->identity;
  if (id->username)
    return id->username;
  if (id->display_name)
    return id->display_name;
  if (id->client_id)
    return id->client_id;
  return id->object_id;
}

const char *app_ctx_cloud_label(const struct app_ctx *ctx)
{
  return az_cloud_description(az_client_cloud(ctx->client));
}

enum app_result app_ctx_store(struct app_ctx *ctx, struct store **out, const char **out_message)
{
  if (!ctx->store_tried) {
    ctx->store_tried = true;
    if (!ctx->signed_in) {
      ctx->store_result = APP_NOT_SIGNED_IN;
      ctx->store_message = xstrdup(ctx->signin_problem);
    } else {
      const struct az_identity *id = &ctx->identity;
      struct store_actor actor = { id->object_id, app_ctx_identity_label(ctx) };
      ctx->store_result = store_open(ctx->store_dir, &actor, &ctx->store, &ctx->store_message);
      if (ctx->store_result == APP_OK && store_was_created(ctx->store)) {
        /* A new store on the sandbox lists its demo tables, so that an export can be made
         * at once. A failure here costs only the demo tables (`synwiz table add` adds them
         * by hand), not the store. */
        char *why = NULL;
        app_table_seed_demo(ctx->store, az_client_cloud(ctx->client), &why);
        free(why);
      }
    }
  }
  *out = ctx->store;
  if (out_message)
    *out_message = ctx->store_message;
  return ctx->store_result;
}

int app_ctx_wait(struct app_ctx *ctx, const int *fds, size_t n_fds, int timeout_ms)
{
  return az_client_poll(ctx->client, fds, n_fds, timeout_ms);
}
