/* Kind "text": one line of text, with a placeholder, a length limit and a default. */
#include "wizard/wiz_kind.h"
#include "util/xalloc.h"

static const char *const keys[] = { "placeholder", "max_length", "default", "default_value", NULL };

static void parse(struct wiz_loader *L, json_t *obj, struct wiz_field *f, size_t self)
{
  (void)self;
  f->placeholder = wiz_loader_str(L, obj, "placeholder", false);
  json_t *ml = json_object_get(obj, "max_length");
  if (ml && (!json_is_integer(ml) || json_integer_value(ml) < 1)) {
    size_t m = wiz_loader_push(L, "max_length");
    wiz_loader_fail(L, "must be a positive integer");
    wiz_loader_pop(L, m);
  } else if (ml) {
    f->max_length = (size_t)json_integer_value(ml);
  }
  if (!wiz_loader_failed(L))
    wiz_loader_default_text(L, obj, f);
}

static void init(struct wizard *w, size_t field)
{
  const struct wiz_field *f = &wiz_form(w)->fields[field];
  struct wiz_value *v = wiz_value_edit(w, field);
  if (f->default_text) {
    v->type = WIZ_V_TEXT;
    v->text = xstrdup(f->default_text);
  } else if (f->default_value) {
    char *s = wiz_host_value(w, f->default_value);
    if (s) {
      v->type = WIZ_V_TEXT;
      v->text = s;
    }
  }
}

static json_t *answer_out(struct wizard *w, size_t field, enum wiz_json_mode mode)
{
  (void)mode;
  const struct wiz_value *v = wiz_value(w, field);
  return v->type == WIZ_V_TEXT ? json_string(v->text ? v->text : "") : NULL;
}

static void answer_in(struct wizard *w, size_t field, json_t *v, bool draft)
{
  (void)draft;
  if (!json_is_string(v))
    wiz_set_answer_error(w, field, "expected a string");
  else
    wiz_set_text(w, field, json_string_value(v));
  wiz_touch(w, field);
}

const struct wiz_kind_ops wiz_kind_text = {
  .name = "text",
  .keys = keys,
  .flags = WIZ_KF_TEXT,
  .parse = parse,
  .init = init,
  .answer_out = answer_out,
  .answer_in = answer_in,
};
