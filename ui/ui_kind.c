/* The table of the kinds' screen ops, indexed by enum wiz_kind (ui_kind_<name>.c each). */
#include "ui/ui_kind.h"

static const struct ui_kind_ops *const kinds[WIZ_KIND_COUNT] = {
  [WIZ_KIND_TEXT] = &ui_kind_text,         [WIZ_KIND_SECRET] = &ui_kind_secret,
  [WIZ_KIND_CHOICE] = &ui_kind_choice,     [WIZ_KIND_PICKER] = &ui_kind_picker,
  [WIZ_KIND_MULTI] = &ui_kind_multi,       [WIZ_KIND_CHECKBOX] = &ui_kind_checkbox,
  [WIZ_KIND_MAPPING] = &ui_kind_mapping,   [WIZ_KIND_BANNER] = &ui_kind_banner,
  [WIZ_KIND_READONLY] = &ui_kind_readonly, [WIZ_KIND_GROUP] = &ui_kind_group,
};

const struct ui_kind_ops *ui_kind_ops(const struct wiz_field *f)
{
  static const struct ui_kind_ops none = { 0 };
  const struct ui_kind_ops *ops = (size_t)f->kind < WIZ_KIND_COUNT ? kinds[f->kind] : NULL;
  return ops ? ops : &none;
}
