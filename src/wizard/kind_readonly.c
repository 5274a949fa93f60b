/* Kind "readonly": follows an attribute of a picker's chosen item (a resource group). */
#include "wizard/wiz_kind.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const keys[] = { "from", NULL };

static void parse(struct wiz_loader *L, json_t *obj, struct wiz_field *f, size_t self)
{
  static const char *const fkeys[] = { "field", "attr", NULL };
  json_t *from = json_object_get(obj, "from");
  if (!json_is_object(from)) {
    wiz_loader_fail(L, "a readonly field needs \"from\": {\"field\", \"attr\"}");
    return;
  }
  size_t m = wiz_loader_push(L, "from");
  wiz_loader_check_keys(L, from, fkeys);
  char *fid = wiz_loader_str(L, from, "field", true);
  f->from_attr = wiz_loader_str(L, from, "attr", true);
  if (fid) {
    size_t mf = wiz_loader_push(L, "field");
    size_t src = wiz_loader_ref(L, fid, self);
    /* Re-read the field: the loader may have moved the array meanwhile. */
    f = &wiz_loader_form(L)->fields[self];
    f->from_field = src;
    if (!wiz_loader_failed(L) && wiz_loader_form(L)->fields[src].kind != WIZ_KIND_PICKER)
      wiz_loader_fail(L, "\"%s\" is not a picker", fid);
    wiz_loader_pop(L, mf);
    /* It follows that picker: a change there clears nothing here, it is recomputed. */
  }
  free(fid);
  wiz_loader_pop(L, m);
}

static const char *readonly_text(const struct wizard *w, size_t field)
{
  const struct wiz_field *f = &wiz_form(w)->fields[field];
  const struct wiz_value *v = wiz_value(w, f->from_field);
  if (v->type != WIZ_V_ITEM || !v->item.id)
    return NULL;
  if (strcmp(f->from_attr, "id") == 0)
    return v->item.id;
  if (strcmp(f->from_attr, "label") == 0)
    return v->item.label;
  if (strcmp(f->from_attr, "detail") == 0)
    return v->item.detail;
  return wiz_item_attr(&v->item, f->from_attr);
}

static char *display(const struct wizard *w, size_t field)
{
  const char *t = readonly_text(w, field);
  return xstrdup(t ? t : "");
}

static const struct wiz_value *snapshot(const struct wizard *w, size_t field, struct wiz_value *tmp)
{
  const char *t = readonly_text(w, field);
  if (!t)
    return NULL;
  tmp->type = WIZ_V_TEXT;
  tmp->text = xstrdup(t);
  return tmp;
}

const struct wiz_kind_ops wiz_kind_readonly = {
  .name = "readonly",
  .keys = keys,
  .flags = WIZ_KF_INERT,
  .parse = parse,
  .display = display,
  .snapshot = snapshot,
};
