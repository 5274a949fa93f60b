/*
 * app_ctx: what every wizard host and every app command shares: the Azure client (opened by
 * the CLI on the chosen cloud and handed over), who is signed in, and the store opened as
 * that identity.
 *
 * Call order: app_ctx_new() with an open client (the context takes it), then any number of
 * app_ctx_store() / app_ctx_identity() / app_ctx_wait(), then app_ctx_delete(), which
 * closes the store and deletes the client (every az_call must be deleted before).
 *
 * app_ctx_new() learns the signed-in identity with one blocking call (a token request when
 * none is cached). When nobody is signed in, or the identity cannot be learnt, the context
 * is still made: app_ctx_identity() is then NULL and app_ctx_signin_problem() says why and
 * what to do; everything that needs an identity (the store, Azure calls) fails with that
 * sentence. The store is opened on first use, as the signed-in identity (its object id keys
 * the roles).
 */
#ifndef SYNWIZ_APP_APP_CTX_H
#define SYNWIZ_APP_APP_CTX_H

#include <stdbool.h>
#include <stddef.h>

#include "app/app_result.h"

struct az_client;
struct az_identity;
struct store;

struct app_ctx_options {
  struct az_client *client; /* taken */
  const char *store_dir;    /* --store, or NULL ($SYNWIZ_STORE, else the default) */
};

struct app_ctx;

struct app_ctx *app_ctx_new(const struct app_ctx_options *o);
void app_ctx_delete(struct app_ctx *ctx);

struct az_client *app_ctx_client(const struct app_ctx *ctx);
/** Who is signed in, or NULL (see app_ctx_signin_problem). */
const struct az_identity *app_ctx_identity(const struct app_ctx *ctx);
/** Why nobody is signed in and what to do (a sentence), or NULL when someone is. */
const char *app_ctx_signin_problem(const struct app_ctx *ctx);
/** "dana@contoso.onmicrosoft.com", an application's name or id; NULL when nobody. */
const char *app_ctx_identity_label(const struct app_ctx *ctx);
/** The store's directory (whether or not it is open yet). */
const char *app_ctx_store_dir(const struct app_ctx *ctx);
/** How screens name the cloud ("Sandbox (local stand-in for Azure)", "AzureCloud"). */
const char *app_ctx_cloud_label(const struct app_ctx *ctx);

/**
 * The store, opened as the signed-in identity on first use (a store it creates on the
 * sandbox cloud gets the sandbox's demo tables, app_table_seed_demo()). On failure returns
 * the result and sets *out_message (borrowed from the context, valid until the next call)
 * to a sentence saying why.
 */
enum app_result app_ctx_store(struct app_ctx *ctx, struct store **out, const char **out_message);

/** The wizards' event loop: az_client_poll() (ARCHITECTURE.md section 4). */
int app_ctx_wait(struct app_ctx *ctx, const int *fds, size_t n_fds, int timeout_ms);

#endif
