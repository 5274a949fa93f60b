/*
 * app_host: the app layer's wizard hosts (wizard/wiz_host.h), one per form, and what they
 * share.
 *
 * Each wizard's host lives in its own file (app_host_<form>.c) with its actions and their
 * step tables, and is listed in the registry of app_action.c; app_host_open() finds it by
 * form id and gives it its declarations (the names of app_action.h). A host's ctx starts
 * with a struct app_host_base, so app_host_close() can end any of them, and so the
 * operations every host has in common are implemented once:
 *   app_host_start_load / app_host_cancel_load  the shared picker sources (app_sources.h),
 *                                               through the host's filter when it has one
 *   app_host_wait                               the event loop (az_client_poll)
 *   app_host_value                              "current_tenant": the signed-in tenant
 *   app_job_start_action / app_job_cancel_action  the action runner (app_job.h)
 * app_host_open() gives every host these operations (app_host_ops); a host adds its rules
 * (`check`), its job class (`jobs`) and, when it can, its edit mode (`edit`).
 *
 * Ownership: the app_ctx is borrowed (the CLI owns it and outlives the host).
 */
#ifndef SYNWIZ_APP_APP_HOST_H
#define SYNWIZ_APP_APP_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "app/app_result.h"
#include "app/app_sources.h"
#include "wizard/wiz_host.h"

struct app_ctx;
struct app_job;
struct app_job_class;
struct strbuf;

struct app_host_base {
  struct wiz_host host; /* what the engine gets; host.ctx points at this struct */
  struct wiz_decl decl; /* host.decl: set by app_host_open() from the registry */
  const char *form;     /* its form id (static) */
  struct app_ctx *app;
  const struct app_job_class *jobs; /* how its actions run (app_job.h) */
  struct app_job *job;              /* the action running, or NULL */
  void (*destroy)(struct app_host_base *base);
  app_source_filter_fn filter; /* or NULL */
  /* The host's rules (wiz_host_ops.check; ctx is this struct), or NULL: none. */
  enum wiz_check (*check)(void *ctx, const char *rule, const char *field_id,
                          const struct wiz_answers *answers, struct strbuf *msg);
  /* Edit a saved thing (or NULL: this wizard cannot): bind the host to the saved thing
   * `name` and return its answers (a JSON object, new reference); NULL with the reason in
   * `why` and *out_rc set. See app_host_edit(). */
  json_t *(*edit)(struct app_host_base *base, const char *name, struct strbuf *why,
                  enum app_result *out_rc);
};

/** A host file's open function (listed in app_action.c): the host, or NULL with the reason
 * in `why` and *out_rc (left APP_OK: APP_IO). */
typedef struct app_host_base *(*app_host_open_fn)(struct app_ctx *app, struct strbuf *why,
                                                  enum app_result *out_rc);

/** The host of `form_id`'s wizard, or NULL with the reason appended to `why` and *out_rc,
 * whose class gives the exit code (a role in the store that does not allow the wizard is
 * APP_DENIED). */
struct wiz_host *app_host_open(struct app_ctx *app, const char *form_id, struct strbuf *why,
                               enum app_result *out_rc);
/** Edit mode: the host edits the saved thing `name` (its save updates that record, based on
 * the revision read now) and the answers to start from are returned (new reference). NULL
 * with the reason in `why` and *out_rc when it cannot. */
json_t *app_host_edit(struct wiz_host *host, const char *name, struct strbuf *why,
                      enum app_result *out_rc);
/** End a host app_host_open() gave. NULL is a no-op. */
void app_host_close(struct wiz_host *host);

/** The operations of every app host (host.ctx is its app_host_base). */
extern const struct wiz_host_ops app_host_ops;

int app_host_start_load(void *ctx, const char *source, const struct wiz_answers *answers,
                        struct wiz_load *load);
void app_host_cancel_load(void *ctx, struct wiz_load *load);
int app_host_wait(void *ctx, const int *fds, size_t n_fds, int timeout_ms);
char *app_host_value(void *ctx, const char *name);

#endif
