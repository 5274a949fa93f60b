/*
 * az_session: the ready-to-use client of the CLI and the app. It chooses the cloud
 * (az_cloud_select: --cloud, SYNWIZ_CLOUD, the last login, the environment, the sandbox)
 * and the identity, in this order:
 *   1. the token cache's current account for that cloud (a user's refresh token; a
 *      service principal by secret from AZURE_CLIENT_SECRET or the prompt, or by its
 *      certificate file; a managed identity);
 *   2. the EnvironmentCredential variables: AZURE_TENANT_ID + AZURE_CLIENT_ID +
 *      AZURE_CLIENT_SECRET, or + AZURE_CLIENT_CERTIFICATE_PATH;
 *   3. nobody: the client still works for sign-in and for Shared Key storage calls; calls
 *      that need a token fail with AZ_E_NOT_SIGNED_IN and the hint says how to sign in.
 */
#ifndef SYNWIZ_AZURE_AZ_SESSION_H
#define SYNWIZ_AZURE_AZ_SESSION_H

#include <stdio.h>

#include "azure/az_client.h"
#include "azure/az_credential.h"

struct az_session_options {
  const char *cloud;          /* --cloud NAME|FILE, or NULL */
  const char *log_path;       /* --log-file / SYNWIZ_LOG_FILE, or NULL for the default */
  int verbosity;              /* --verbose / SYNWIZ_LOG_LEVEL */
  FILE *dry_run;              /* --dry-run: print calls here, send no writes */
  az_secret_prompt_fn prompt; /* asks for a service principal's secret, or NULL */
  void *prompt_ud;
  const char *token_cache_path;   /* NULL = $XDG_STATE_HOME/synwiz/tokens.json */
  bool ignore_signed_in;          /* start with nobody signed in (synwiz login) */
  struct az_transport *transport; /* taken; NULL = libcurl (tests pass a fake) */
  const struct az_clock *clock;   /* NULL = the system clock */
};

AZ_NODISCARD enum az_result az_session_open(const struct az_session_options *o,
                                            struct az_client **out, struct az_error *err);

#endif
