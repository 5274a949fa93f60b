#include "wizard/answers.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dup_or_null(const char *s)
{
  return s ? xstrdup(s) : NULL;
}

void wiz_item_set(struct wiz_item *item, const char *id, const char *label, const char *detail,
                  const char *invalid_reason)
{
  wiz_item_done(item);
  item->id = xstrdup(id);
  item->label = xstrdup(label ? label : id);
  item->detail = dup_or_null(detail);
  item->invalid_reason = dup_or_null(invalid_reason);
}

void wiz_item_set_attr(struct wiz_item *item, const char *key, const char *value)
{
  for (size_t i = 0; i < item->n_attrs; i++) {
    if (strcmp(item->attrs[i].key, key) == 0) {
      free(item->attrs[i].value);
      item->attrs[i].value = xstrdup(value ? value : "");
      return;
    }
  }
  item->attrs = xrealloc(item->attrs, (item->n_attrs + 1) * sizeof(*item->attrs));
  item->attrs[item->n_attrs].key = xstrdup(key);
  item->attrs[item->n_attrs].value = xstrdup(value ? value : "");
  item->n_attrs++;
}

const char *wiz_item_attr(const struct wiz_item *item, const char *key)
{
  for (size_t i = 0; i < item->n_attrs; i++) {
    if (strcmp(item->attrs[i].key, key) == 0)
      return item->attrs[i].value;
  }
  return NULL;
}

void wiz_item_copy(struct wiz_item *dst, const struct wiz_item *src)
{
  wiz_item_done(dst);
  if (!src->id)
    return;
  wiz_item_set(dst, src->id, src->label, src->detail, src->invalid_reason);
  for (size_t i = 0; i < src->n_attrs; i++)
    wiz_item_set_attr(dst, src->attrs[i].key, src->attrs[i].value);
  dst->is_new = src->is_new;
}

void wiz_item_done(struct wiz_item *item)
{
  free(item->id);
  free(item->label);
  free(item->detail);
  free(item->invalid_reason);
  for (size_t i = 0; i < item->n_attrs; i++) {
    free(item->attrs[i].key);
    free(item->attrs[i].value);
  }
  free(item->attrs);
  memset(item, 0, sizeof(*item));
}

void wiz_list_init(struct wiz_list *list)
{
  memset(list, 0, sizeof(*list));
}

void wiz_list_done(struct wiz_list *list)
{
  for (size_t i = 0; i < list->n; i++)
    wiz_item_done(&list->items[i]);
  free(list->items);
  memset(list, 0, sizeof(*list));
}

struct wiz_item *wiz_list_add(struct wiz_list *list, const char *id, const char *label,
                              const char *detail, const char *invalid_reason)
{
  list->items = xgrow(list->items, &list->cap, list->n + 1, sizeof(*list->items));
  struct wiz_item *it = &list->items[list->n++];
  memset(it, 0, sizeof(*it));
  wiz_item_set(it, id, label, detail, invalid_reason);
  return it;
}

long wiz_list_find(const struct wiz_list *list, const char *s)
{
  for (size_t i = 0; i < list->n; i++) {
    if (strcmp(list->items[i].id, s) == 0)
      return (long)i;
  }
  for (size_t i = 0; i < list->n; i++) {
    if (strcasecmp(list->items[i].label, s) == 0)
      return (long)i;
  }
  return -1;
}

void wiz_value_clear(struct wiz_value *v)
{
  if (v->type == WIZ_V_SECRET)
    xfree_secret(v->text);
  else
    free(v->text);
  free(v->env);
  wiz_item_done(&v->item);
  for (size_t i = 0; i < v->n_list; i++) {
    wiz_item_done(&v->list[i]);
    if (v->entries)
      wiz_answers_delete(v->entries[i]);
  }
  free(v->list);
  free(v->entries);
  for (size_t i = 0; i < v->n_pairs; i++) {
    free(v->pairs[i].key);
    free(v->pairs[i].value);
  }
  free(v->pairs);
  memset(v, 0, sizeof(*v));
}

void wiz_value_copy(struct wiz_value *dst, const struct wiz_value *src)
{
  wiz_value_clear(dst);
  dst->type = src->type;
  dst->text = dup_or_null(src->text);
  dst->env = dup_or_null(src->env);
  dst->b = src->b;
  wiz_item_copy(&dst->item, &src->item);
  if (src->n_list) {
    dst->list = xcalloc(src->n_list, sizeof(*dst->list));
    for (size_t i = 0; i < src->n_list; i++)
      wiz_item_copy(&dst->list[i], &src->list[i]);
    dst->n_list = src->n_list;
    if (src->entries) {
      dst->entries = xcalloc(src->n_list, sizeof(*dst->entries));
      for (size_t i = 0; i < src->n_list; i++) {
        dst->entries[i] = wiz_answers_new();
        for (size_t k = 0; src->entries[i] && k < src->entries[i]->n; k++)
          wiz_answers_put(dst->entries[i], src->entries[i]->e[k].id, &src->entries[i]->e[k].v);
      }
    }
  }
  if (src->n_pairs) {
    dst->pairs = xcalloc(src->n_pairs, sizeof(*dst->pairs));
    for (size_t i = 0; i < src->n_pairs; i++) {
      dst->pairs[i].key = xstrdup(src->pairs[i].key);
      dst->pairs[i].value = xstrdup(src->pairs[i].value);
    }
    dst->n_pairs = src->n_pairs;
  }
}

bool wiz_value_is_set(const struct wiz_value *v)
{
  switch (v->type) {
  case WIZ_V_NONE:
    return false;
  case WIZ_V_TEXT:
  case WIZ_V_SECRET:
    return v->text && *v->text;
  case WIZ_V_BOOL:
    return true;
  case WIZ_V_ITEM:
    return v->item.id != NULL;
  case WIZ_V_LIST:
  case WIZ_V_GROUP:
    return v->n_list > 0;
  case WIZ_V_MAP:
    return v->n_pairs > 0;
  }
  return false;
}

struct wiz_answers *wiz_answers_new(void)
{
  return xcalloc(1, sizeof(struct wiz_answers));
}

void wiz_answers_delete(struct wiz_answers *a)
{
  if (!a)
    return;
  for (size_t i = 0; i < a->n; i++) {
    free(a->e[i].id);
    wiz_value_clear(&a->e[i].v);
  }
  free(a->e);
  free(a);
}

void wiz_answers_put(struct wiz_answers *a, const char *id, const struct wiz_value *v)
{
  for (size_t i = 0; i < a->n; i++) {
    if (strcmp(a->e[i].id, id) == 0) {
      wiz_value_copy(&a->e[i].v, v);
      return;
    }
  }
  a->e = xgrow(a->e, &a->cap, a->n + 1, sizeof(*a->e));
  memset(&a->e[a->n], 0, sizeof(a->e[a->n]));
  a->e[a->n].id = xstrdup(id);
  wiz_value_copy(&a->e[a->n].v, v);
  a->n++;
}

const struct wiz_value *wiz_answers_get(const struct wiz_answers *a, const char *id)
{
  for (size_t i = 0; i < a->n; i++) {
    if (strcmp(a->e[i].id, id) == 0)
      return &a->e[i].v;
  }
  return NULL;
}

const char *wiz_answers_text(const struct wiz_answers *a, const char *id)
{
  const struct wiz_value *v = wiz_answers_get(a, id);
  if (!v)
    return NULL;
  if (v->type == WIZ_V_TEXT)
    return v->text;
  if (v->type == WIZ_V_ITEM)
    return v->item.id;
  return NULL;
}

const struct wiz_item *wiz_answers_item(const struct wiz_answers *a, const char *id)
{
  const struct wiz_value *v = wiz_answers_get(a, id);
  return v && v->type == WIZ_V_ITEM && v->item.id ? &v->item : NULL;
}

bool wiz_answers_bool(const struct wiz_answers *a, const char *id, bool dflt)
{
  const struct wiz_value *v = wiz_answers_get(a, id);
  return v && v->type == WIZ_V_BOOL ? v->b : dflt;
}

const char *wiz_answers_secret(const struct wiz_answers *a, const char *id)
{
  const struct wiz_value *v = wiz_answers_get(a, id);
  return v && v->type == WIZ_V_SECRET ? v->text : NULL;
}

size_t wiz_answers_group(const struct wiz_answers *a, const char *id,
                         const struct wiz_item **out_items, struct wiz_answers *const **out_entries)
{
  const struct wiz_value *v = wiz_answers_get(a, id);
  if (!v || v->type != WIZ_V_GROUP || !v->entries)
    return 0;
  *out_items = v->list;
  *out_entries = v->entries;
  return v->n_list;
}
