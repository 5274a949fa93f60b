/* Kind "multi": a checklist of a host source's items. */
#include "wizard/wiz_kind.h"

static const char *const keys[] = { "source", "source_args", NULL };

static void parse(struct wiz_loader *L, json_t *obj, struct wiz_field *f, size_t self)
{
  (void)self;
  f->source = wiz_loader_source(L, obj, "source", true);
}

static void refresh(struct wizard *w, size_t field)
{
  wiz_start_load(w, field, WIZ_SRC_ITEMS);
}

static json_t *answer_out(struct wizard *w, size_t field, enum wiz_json_mode mode)
{
  const struct wiz_value *v = wiz_value(w, field);
  if (v->type != WIZ_V_LIST)
    return NULL;
  json_t *j = json_array();
  for (size_t k = 0; k < v->n_list; k++)
    json_array_append_new(j, wiz_item_json(&v->list[k], mode));
  return j;
}

static void answer_in(struct wizard *w, size_t field, json_t *v, bool draft)
{
  (void)draft;
  if (!json_is_array(v)) {
    wiz_set_answer_error(w, field, "expected an array of ids or names");
    return;
  }
  /* An answer is the whole list: it replaces one given before (an edit's saved answers). */
  wiz_clear_pending_multi(w, field);
  for (size_t k = 0; k < json_array_size(v); k++) {
    json_t *e = json_array_get(v, k);
    const char *s =
        json_is_string(e) ? json_string_value(e) : json_string_value(json_object_get(e, "id"));
    if (s)
      wiz_add_pending_multi(w, field, s);
  }
}

const struct wiz_kind_ops wiz_kind_multi = {
  .name = "multi",
  .keys = keys,
  .parse = parse,
  .refresh = refresh,
  .answer_out = answer_out,
  .answer_in = answer_in,
};
