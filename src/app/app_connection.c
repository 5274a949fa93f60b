/* app_connection: answers <-> records, and removal with dependents. See app_connection.h. */
#include "app/app_connection.h"

#include "app/store_export.h"
#include "app/store_model.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/answers.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void set(char **dst, const char *value)
{
  free(*dst);
  *dst = value && *value ? xstrdup(value) : NULL;
}

static const char *attr(const struct wiz_item *it, const char *key)
{
  return it ? wiz_item_attr(it, key) : NULL;
}

void app_connection_fill(struct store_connection *c, const struct wiz_answers *a)
{
  set(&c->display_name, wiz_answers_text(a, "display_name"));
  enum store_audience audience = STORE_AUDIENCE_ADMINS;
  store_audience_parse(wiz_answers_text(a, "audience"), &audience);
  c->audience = audience;
  const struct wiz_item *sub = wiz_answers_item(a, "subscription");
  set(&c->subscription_id, wiz_answers_text(a, "subscription"));
  set(&c->subscription_name, sub ? sub->label : NULL);
  const struct wiz_item *ws = wiz_answers_item(a, "workspace");
  set(&c->workspace_name, wiz_answers_text(a, "workspace"));
  set(&c->workspace_resource_group, attr(ws, "resource_group"));
  set(&c->workspace_id, attr(ws, "id"));
  set(&c->workspace_dev_endpoint, attr(ws, "dev_endpoint"));
  set(&c->workspace_principal_id, attr(ws, "principal_id"));
  const struct wiz_item *sa = wiz_answers_item(a, "storage_account");
  set(&c->storage_account, wiz_answers_text(a, "storage_account"));
  set(&c->storage_resource_group, attr(sa, "resource_group"));
  set(&c->storage_account_id, attr(sa, "id"));
  set(&c->container, wiz_answers_text(a, "container"));
  c->private_link = wiz_answers_bool(a, "private_link", false);
}

json_t *app_connection_answers(const struct store_connection *c)
{
  json_t *o = json_object();
  if (c->display_name)
    json_object_set_new(o, "display_name", json_string(c->display_name));
  json_object_set_new(o, "audience", json_string(store_audience_name(c->audience)));
  if (c->subscription_id)
    json_object_set_new(o, "subscription", json_string(c->subscription_id));
  if (c->workspace_name)
    json_object_set_new(o, "workspace", json_string(c->workspace_name));
  if (c->storage_account)
    json_object_set_new(o, "storage_account", json_string(c->storage_account));
  if (c->container)
    json_object_set_new(o, "container", json_string(c->container));
  json_object_set_new(o, "private_link", json_boolean(c->private_link));
  json_object_set_new(o, "agree", json_boolean(c->agreed_at != NULL));
  return o;
}

char *app_connection_now(void)
{
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  char buf[32];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return xstrdup(buf);
}

static enum app_result handle_dependent(struct store *s, const struct store_dependent *d,
                                        enum app_remove_mode mode, struct strbuf *log)
{
  bool detach = mode == APP_REMOVE_DETACH;
  enum app_result rc;
  if (d->kind == STORE_KIND_EXPORT)
    rc = detach ? store_export_detach(s, d->id, d->revision)
                : store_export_remove(s, d->id, d->revision);
  else
    rc = detach ? store_model_detach(s, d->id, d->revision)
                : store_model_remove(s, d->id, d->revision);
  if (rc == APP_OK && log)
    strbuf_printf(log, "%s %s '%s'%s\n", detach ? "detached" : "removed", store_kind_noun(d->kind),
                  d->name, detach ? " (kept, inactive: \"No connection\")" : "");
  return rc;
}

enum app_result app_connection_remove(struct store *s, const char *id, long revision,
                                      enum app_remove_mode mode,
                                      struct store_dependent_list *out_dependents,
                                      struct strbuf *log)
{
  struct store_dependent_list deps = { 0 };
  enum app_result rc = store_connection_remove(s, id, revision, &deps);
  if (rc == APP_HAS_DEPENDENTS && mode != APP_REMOVE_REFUSE) {
    for (size_t i = 0; i < deps.n && rc == APP_HAS_DEPENDENTS; i++) {
      enum app_result r = handle_dependent(s, &deps.items[i], mode, log);
      if (r != APP_OK)
        rc = r;
    }
    if (rc == APP_HAS_DEPENDENTS) {
      store_dependent_list_done(&deps);
      rc = store_connection_remove(s, id, revision, &deps);
    }
  }
  if (rc == APP_OK && log)
    strbuf_puts(log, "removed the connection\n");
  if (out_dependents) {
    *out_dependents = deps;
  } else {
    store_dependent_list_done(&deps);
  }
  return rc;
}
