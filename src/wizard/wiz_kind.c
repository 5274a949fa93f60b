/* The table of field kinds: enum wiz_kind -> its ops (one file kind_<name>.c each). */
#include "wizard/wiz_kind.h"

#include <string.h>

static const struct wiz_kind_ops *const kinds[WIZ_KIND_COUNT] = {
  [WIZ_KIND_TEXT] = &wiz_kind_text,         [WIZ_KIND_SECRET] = &wiz_kind_secret,
  [WIZ_KIND_CHOICE] = &wiz_kind_choice,     [WIZ_KIND_PICKER] = &wiz_kind_picker,
  [WIZ_KIND_MULTI] = &wiz_kind_multi,       [WIZ_KIND_CHECKBOX] = &wiz_kind_checkbox,
  [WIZ_KIND_MAPPING] = &wiz_kind_mapping,   [WIZ_KIND_BANNER] = &wiz_kind_banner,
  [WIZ_KIND_READONLY] = &wiz_kind_readonly, [WIZ_KIND_GROUP] = &wiz_kind_group,
};

const struct wiz_kind_ops *wiz_kind_ops(enum wiz_kind k)
{
  return (size_t)k < WIZ_KIND_COUNT ? kinds[k] : NULL;
}

int wiz_kind_find(const char *name)
{
  for (int k = 0; k < WIZ_KIND_COUNT; k++) {
    if (kinds[k] && strcmp(kinds[k]->name, name) == 0)
      return k;
  }
  return -1;
}

const struct wiz_kind_ops *wiz_field_ops(const struct wiz_field *f)
{
  return kinds[f->kind];
}
