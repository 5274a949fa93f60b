/* Kind "picker": one item of a host source, or a new name where the form allows it. */
#include "wizard/wiz_kind.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const keys[] = { "source",    "source_args", "create_new", "default",
                                    "preselect", "placeholder", NULL };

static void parse(struct wiz_loader *L, json_t *obj, struct wiz_field *f, size_t self)
{
  (void)self;
  f->source = wiz_loader_source(L, obj, "source", true);
  f->placeholder = wiz_loader_str(L, obj, "placeholder", false);
  json_t *cn = json_object_get(obj, "create_new");
  if (cn) {
    static const char *const ckeys[] = { "label", "rule", "comment", NULL };
    size_t m = wiz_loader_push(L, "create_new");
    if (!json_is_object(cn)) {
      wiz_loader_fail(L, "must be an object {\"label\", \"rule\"}");
    } else {
      wiz_loader_check_keys(L, cn, ckeys);
      f->create_new = true;
      f->create_label = wiz_loader_str(L, cn, "label", true);
      char *rule = wiz_loader_str(L, cn, "rule", true);
      if (rule && !(f->create_rule = wiz_rule_find(rule))) {
        size_t mr = wiz_loader_push(L, "rule");
        wiz_loader_fail(L, "unknown rule \"%s\"", rule);
        wiz_loader_pop(L, mr);
      }
      free(rule);
    }
    wiz_loader_pop(L, m);
  }
  if (!wiz_loader_failed(L))
    wiz_loader_default_text(L, obj, f);
  char *pre = wiz_loader_str(L, obj, "preselect", false);
  if (pre && strcmp(pre, "first") != 0) {
    size_t m = wiz_loader_push(L, "preselect");
    wiz_loader_fail(L, "must be \"first\" (the first usable item of the list)");
    wiz_loader_pop(L, m);
  }
  f->preselect_first = pre != NULL;
  free(pre);
}

static void init(struct wizard *w, size_t field)
{
  const struct wiz_field *f = &wiz_form(w)->fields[field];
  if (!f->default_text && !f->preselect_first)
    return;
  /* Looked up when the list arrives; a default the list lacks leaves the field empty. */
  wiz_set_pending_default(w, field, f->default_text);
  wiz_set_touched(w, field, false);
}

static char *display(const struct wizard *w, size_t field)
{
  const struct wiz_value *v = wiz_value(w, field);
  if (wiz_pending_pick(w, field) && !v->item.id)
    return xstrdup(wiz_pending_pick(w, field));
  return wiz_value_display(v);
}

static enum wiz_check check(struct wizard *w, size_t field, struct strbuf *msg, const char **rule)
{
  const struct wiz_field *f = &wiz_form(w)->fields[field];
  const struct wiz_value *v = wiz_value(w, field);
  if (v->item.id && v->item.invalid_reason) {
    strbuf_puts(msg, v->item.invalid_reason);
    *rule = "source";
    return WIZ_CHECK_ERROR;
  }
  if (v->item.is_new && wiz_load_state(w, field, WIZ_SRC_ITEMS) == WIZ_LOAD_DONE) {
    /* "+ Create new" with the name of one in the list would not create anything: Azure
     * answers 200 with the existing one (names compare without case there), and the report
     * would claim a creation. Choosing it from the list is what the user means. */
    const struct wiz_list *items = wiz_items(w, field, WIZ_SRC_ITEMS);
    for (size_t i = 0; items && i < items->n; i++) {
      if (strcasecmp(items->items[i].id, v->item.id) == 0 ||
          (items->items[i].label && strcasecmp(items->items[i].label, v->item.id) == 0)) {
        strbuf_printf(msg,
                      "%s \"%s\" already exists: choose it from the list instead of creating it.",
                      f->label ? f->label : f->id,
                      items->items[i].label ? items->items[i].label : items->items[i].id);
        *rule = "exists";
        return WIZ_CHECK_ERROR;
      }
    }
  }
  if (v->item.is_new && f->create_rule) {
    const char *m = NULL;
    enum wiz_check c = wiz_rule_check(f->create_rule, v->item.id, &m);
    if (c != WIZ_CHECK_OK) {
      if (m)
        strbuf_puts(msg, m);
      *rule = f->create_rule->name;
      return c;
    }
  }
  return WIZ_CHECK_OK;
}

static void refresh(struct wizard *w, size_t field)
{
  wiz_start_load(w, field, WIZ_SRC_ITEMS);
}

static json_t *answer_out(struct wizard *w, size_t field, enum wiz_json_mode mode)
{
  const struct wiz_value *v = wiz_value(w, field);
  return v->type == WIZ_V_ITEM && v->item.id ? wiz_item_json(&v->item, mode) : NULL;
}

static void answer_in(struct wizard *w, size_t field, json_t *v, bool draft)
{
  if (json_is_string(v))
    wiz_set_pending_pick(w, field, json_string_value(v));
  else if (json_is_object(v))
    wiz_apply_item_object(w, field, v, draft);
  else
    wiz_set_answer_error(w, field, "expected an id or a name");
}

const struct wiz_kind_ops wiz_kind_picker = {
  .name = "picker",
  .keys = keys,
  .parse = parse,
  .init = init,
  .display = display,
  .check = check,
  .refresh = refresh,
  .answer_out = answer_out,
  .answer_in = answer_in,
};
