/* Kind "choice": one of a fixed list of options (radio buttons). */
#include "wizard/wiz_kind.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const keys[] = { "options", "default", NULL };

static void parse(struct wiz_loader *L, json_t *obj, struct wiz_field *f, size_t self)
{
  (void)self;
  static const char *const okeys[] = { "id", "label", "help", "comment", NULL };
  json_t *arr = json_object_get(obj, "options");
  if (!arr || !json_is_array(arr) || json_array_size(arr) == 0) {
    wiz_loader_fail(L, "a choice needs \"options\": a non-empty array");
    return;
  }
  size_t m = wiz_loader_push(L, "options");
  f->options = xcalloc(json_array_size(arr), sizeof(*f->options));
  for (size_t i = 0; i < json_array_size(arr) && !wiz_loader_failed(L); i++) {
    size_t mi = wiz_loader_push_index(L, i);
    json_t *o = json_array_get(arr, i);
    if (!json_is_object(o)) {
      wiz_loader_fail(L, "an option is an object {\"id\", \"label\"}");
    } else {
      wiz_loader_check_keys(L, o, okeys);
      struct wiz_option *opt = &f->options[f->n_options++];
      opt->id = wiz_loader_str(L, o, "id", true);
      opt->label = wiz_loader_str(L, o, "label", true);
      opt->help = wiz_loader_str(L, o, "help", false);
    }
    wiz_loader_pop(L, mi);
  }
  wiz_loader_pop(L, m);
  if (wiz_loader_failed(L))
    return;
  wiz_loader_default_text(L, obj, f);
  if (f->default_text) {
    bool found = false;
    for (size_t i = 0; i < f->n_options; i++)
      found = found || strcmp(f->options[i].id, f->default_text) == 0;
    if (!found) {
      size_t md = wiz_loader_push(L, "default");
      wiz_loader_fail(L, "\"%s\" is not one of the options", f->default_text);
      wiz_loader_pop(L, md);
    }
  }
}

static void init(struct wizard *w, size_t field)
{
  const struct wiz_field *f = &wiz_form(w)->fields[field];
  struct wiz_value *v = wiz_value_edit(w, field);
  v->type = WIZ_V_TEXT;
  v->text = xstrdup(f->default_text ? f->default_text : f->options[0].id);
}

static char *display(const struct wizard *w, size_t field)
{
  const struct wiz_field *f = &wiz_form(w)->fields[field];
  const struct wiz_value *v = wiz_value(w, field);
  for (size_t i = 0; v->text && i < f->n_options; i++) {
    if (strcmp(f->options[i].id, v->text) == 0)
      return xstrdup(f->options[i].label);
  }
  return wiz_value_display(v);
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
  const struct wiz_field *f = &wiz_form(w)->fields[field];
  const char *s = json_string_value(v);
  bool ok = false;
  for (size_t k = 0; s && k < f->n_options && !ok; k++) {
    if (strcmp(f->options[k].id, s) == 0 || strcasecmp(f->options[k].label, s) == 0)
      ok = wiz_set_choice(w, field, f->options[k].id) == WIZ_OK;
  }
  if (!ok) {
    struct strbuf sb;
    strbuf_init(&sb, 0);
    strbuf_puts(&sb, "Must be one of:");
    for (size_t k = 0; k < f->n_options; k++)
      strbuf_printf(&sb, " %s", f->options[k].id);
    wiz_set_answer_error(w, field, sb.buf);
    strbuf_done(&sb);
  }
}

const struct wiz_kind_ops wiz_kind_choice = {
  .name = "choice",
  .keys = keys,
  .parse = parse,
  .init = init,
  .display = display,
  .answer_out = answer_out,
  .answer_in = answer_in,
};
