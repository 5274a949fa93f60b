/* Kind "checkbox": true or false; a box that must be ticked uses the rule must_agree. */
#include "wizard/wiz_kind.h"
#include "util/xalloc.h"

static const char *const keys[] = { "text", "default", NULL };

static void parse(struct wiz_loader *L, json_t *obj, struct wiz_field *f, size_t self)
{
  (void)self;
  f->text = wiz_loader_str(L, obj, "text", true);
  json_t *d = json_object_get(obj, "default");
  if (d && !wiz_loader_failed(L)) {
    size_t m = wiz_loader_push(L, "default");
    if (!json_is_boolean(d))
      wiz_loader_fail(L, "must be true or false");
    else
      f->default_bool = json_is_true(d);
    wiz_loader_pop(L, m);
  }
  if (f->required) {
    size_t m = wiz_loader_push(L, "required");
    wiz_loader_fail(
        L, "a checkbox that must be ticked uses the rule \"must_agree\", not \"required\"");
    wiz_loader_pop(L, m);
  }
}

static void init(struct wizard *w, size_t field)
{
  struct wiz_value *v = wiz_value_edit(w, field);
  v->type = WIZ_V_BOOL;
  v->b = wiz_form(w)->fields[field].default_bool == 1;
}

static json_t *answer_out(struct wizard *w, size_t field, enum wiz_json_mode mode)
{
  (void)mode;
  const struct wiz_value *v = wiz_value(w, field);
  return v->type == WIZ_V_BOOL ? json_boolean(v->b) : NULL;
}

static void answer_in(struct wizard *w, size_t field, json_t *v, bool draft)
{
  (void)draft;
  if (!json_is_boolean(v))
    wiz_set_answer_error(w, field, "expected true or false");
  else
    wiz_set_bool(w, field, json_is_true(v));
}

const struct wiz_kind_ops wiz_kind_checkbox = {
  .name = "checkbox",
  .keys = keys,
  .flags = WIZ_KF_NO_REQUIRED,
  .parse = parse,
  .init = init,
  .answer_out = answer_out,
  .answer_in = answer_in,
};
