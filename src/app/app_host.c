#include "app/app_host.h"

#include "app/app_action.h"
#include "app/app_ctx.h"
#include "app/app_job.h"
#include "azure/az_identity.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <string.h>

json_t *app_host_edit(struct wiz_host *host, const char *name, struct strbuf *why,
                      enum app_result *out_rc)
{
  struct app_host_base *base = host->ctx;
  if (!base->edit) {
    strbuf_puts(why, "this wizard cannot edit saved things");
    *out_rc = APP_INVALID;
    return NULL;
  }
  return base->edit(base, name, why, out_rc);
}

struct wiz_host *app_host_open(struct app_ctx *app, const char *form_id, struct strbuf *why,
                               enum app_result *out_rc)
{
  struct app_host_base *base = app_action_open_host(app, form_id, why, out_rc);
  return base ? &base->host : NULL;
}

void app_host_close(struct wiz_host *host)
{
  if (!host)
    return;
  struct app_host_base *base = host->ctx;
  app_job_discard(base);
  base->destroy(base);
}

int app_host_start_load(void *ctx, const char *source, const struct wiz_answers *answers,
                        struct wiz_load *load)
{
  struct app_host_base *base = ctx;
  return app_sources_start(base->app, source, answers, load, base->filter, base);
}

void app_host_cancel_load(void *ctx, struct wiz_load *load)
{
  struct app_host_base *base = ctx;
  app_sources_cancel(base->app, load);
}

static enum wiz_check host_check(void *ctx, const char *rule, const char *field_id,
                                 const struct wiz_answers *answers, struct strbuf *msg)
{
  struct app_host_base *base = ctx;
  return base->check ? base->check(ctx, rule, field_id, answers, msg) : WIZ_CHECK_OK;
}

const struct wiz_host_ops app_host_ops = {
  app_host_start_load,   app_host_cancel_load, host_check,     app_job_start_action,
  app_job_cancel_action, app_host_wait,        app_host_value, NULL,
};

int app_host_wait(void *ctx, const int *fds, size_t n_fds, int timeout_ms)
{
  struct app_host_base *base = ctx;
  return app_ctx_wait(base->app, fds, n_fds, timeout_ms);
}

char *app_host_value(void *ctx, const char *name)
{
  struct app_host_base *base = ctx;
  const struct az_identity *id = app_ctx_identity(base->app);
  if (strcmp(name, "current_tenant") == 0 && id && id->tenant_id)
    return xstrdup(id->tenant_id);
  return NULL;
}
