#include "app/app_host.h"

#include "app/app_ctx.h"
#include "azure/az_identity.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <string.h>

/* The hosts of the forms, by form id. A wizard's host file adds its line. */
struct host_entry {
  const char *form;
  struct app_host_base *(*open)(struct app_ctx *app, struct strbuf *why);
};
static const struct host_entry hosts[] = {
  { NULL, NULL },
};

struct wiz_host *app_host_open(struct app_ctx *app, const char *form_id, struct strbuf *why)
{
  for (size_t i = 0; hosts[i].form; i++) {
    if (strcmp(hosts[i].form, form_id) == 0) {
      struct app_host_base *base = hosts[i].open(app, why);
      return base ? &base->host : NULL;
    }
  }
  strbuf_printf(why, "there is no wizard named '%s' in this build", form_id);
  return NULL;
}

void app_host_close(struct wiz_host *host)
{
  if (!host)
    return;
  struct app_host_base *base = host->ctx;
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
