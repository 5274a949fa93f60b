/* Kind "mapping": each attribute of one source mapped to a column of another, proposed by
 * name (ignoring case) and compatible type. */
#include "wizard/wiz_kind.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const char *const keys[] = { "source", "columns_source", "source_args", NULL };

static void parse(struct wiz_loader *L, json_t *obj, struct wiz_field *f, size_t self)
{
  (void)self;
  f->source = wiz_loader_source(L, obj, "source", true);
  f->columns_source = wiz_loader_source(L, obj, "columns_source", true);
}

static char *display(const struct wizard *w, size_t field)
{
  const struct wiz_value *v = wiz_value(w, field);
  if (v->type != WIZ_V_MAP)
    return wiz_value_display(v);
  const struct wiz_list *attrs = wiz_items(w, field, WIZ_SRC_ITEMS);
  if (attrs->n)
    return xasprintf("%zu of %zu attributes mapped", v->n_pairs, attrs->n);
  return xasprintf("%zu attributes mapped", v->n_pairs);
}

static enum wiz_check check(struct wizard *w, size_t field, struct strbuf *msg, const char **rule)
{
  const struct wiz_field *f = &wiz_form(w)->fields[field];
  const struct wiz_list *attrs = wiz_items(w, field, WIZ_SRC_ITEMS);
  const struct wiz_list *cols = wiz_items(w, field, WIZ_SRC_COLUMNS);
  if (wiz_load_state(w, field, WIZ_SRC_ITEMS) != WIZ_LOAD_DONE)
    return WIZ_CHECK_OK;
  if (f->required) {
    /* Name every unmapped attribute: this is what a run refused for it must say. */
    size_t missing = 0;
    for (size_t i = 0; i < attrs->n; i++) {
      if (!wiz_map_get(w, field, attrs->items[i].id))
        strbuf_printf(msg, "%s\"%s\"",
                      missing++ ? ", " : "Map every attribute: ", attrs->items[i].id);
    }
    if (missing) {
      strbuf_puts(msg, missing == 1 ? " has no column." : " have no column.");
      *rule = "required";
      return WIZ_CHECK_ERROR;
    }
  }
  /* An answers file may name any column: its type must still fit the attribute. */
  if (wiz_load_state(w, field, WIZ_SRC_COLUMNS) != WIZ_LOAD_DONE)
    return WIZ_CHECK_OK;
  const struct wiz_value *v = wiz_value(w, field);
  for (size_t i = 0; v->type == WIZ_V_MAP && i < v->n_pairs; i++) {
    long a = wiz_list_find(attrs, v->pairs[i].key);
    long c = wiz_list_find(cols, v->pairs[i].value);
    const char *at = a >= 0 ? wiz_item_attr(&attrs->items[a], "type") : NULL;
    const char *ct = c >= 0 ? wiz_item_attr(&cols->items[c], "type") : NULL;
    if (a < 0)
      strbuf_printf(msg, "\"%s\" is not an attribute to map.", v->pairs[i].key);
    else if (c < 0)
      strbuf_printf(msg, "\"%s\": no column \"%s\".", v->pairs[i].key, v->pairs[i].value);
    else if (!wiz_types_compatible(at, ct))
      strbuf_printf(msg, "\"%s\" (%s) cannot take the column \"%s\" (%s).", v->pairs[i].key, at,
                    v->pairs[i].value, ct);
    else
      continue;
    *rule = "types";
    return WIZ_CHECK_ERROR;
  }
  return WIZ_CHECK_OK;
}

static void refresh(struct wizard *w, size_t field)
{
  wiz_start_load(w, field, WIZ_SRC_ITEMS);
  wiz_start_load(w, field, WIZ_SRC_COLUMNS);
}

static void delivered(struct wizard *w, size_t field, enum wiz_src which)
{
  (void)which;
  if (wiz_load_state(w, field, WIZ_SRC_ITEMS) == WIZ_LOAD_DONE &&
      wiz_load_state(w, field, WIZ_SRC_COLUMNS) == WIZ_LOAD_DONE)
    wiz_map_propose(w, field);
}

static json_t *answer_out(struct wizard *w, size_t field, enum wiz_json_mode mode)
{
  (void)mode;
  const struct wiz_value *v = wiz_value(w, field);
  if (v->type != WIZ_V_MAP)
    return NULL;
  json_t *j = json_object();
  for (size_t k = 0; k < v->n_pairs; k++)
    json_object_set_new(j, v->pairs[k].key, json_string(v->pairs[k].value));
  return j;
}

static void answer_in(struct wizard *w, size_t field, json_t *v, bool draft)
{
  (void)draft;
  if (!json_is_object(v)) {
    wiz_set_answer_error(w, field, "expected an object {\"attribute\": \"column\"}");
    return;
  }
  const char *key;
  json_t *val;
  json_object_foreach(v, key, val)
  {
    /* Kept even before the lists arrive (or while a source's argument is still being looked
     * up): checked against them once they are here. */
    if (json_is_string(val))
      wiz_map_put(w, field, key, json_string_value(val));
  }
  wiz_touch(w, field);
}

const struct wiz_kind_ops wiz_kind_mapping = {
  .name = "mapping",
  .keys = keys,
  .parse = parse,
  .display = display,
  .check = check,
  .refresh = refresh,
  .delivered = delivered,
  .answer_out = answer_out,
  .answer_in = answer_in,
};
