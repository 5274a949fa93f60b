/* Kind "banner": a paragraph of information or warning; no value. */
#include "wizard/wiz_kind.h"
#include "util/xalloc.h"

#include <string.h>

static const char *const keys[] = { "text", "style", NULL };

static void parse(struct wiz_loader *L, json_t *obj, struct wiz_field *f, size_t self)
{
  (void)self;
  f->text = wiz_loader_str(L, obj, "text", true);
  f->style = wiz_loader_str(L, obj, "style", false);
  if (f->style && strcmp(f->style, "info") != 0 && strcmp(f->style, "warning") != 0) {
    size_t m = wiz_loader_push(L, "style");
    wiz_loader_fail(L, "must be \"info\" or \"warning\"");
    wiz_loader_pop(L, m);
  }
  if (!f->style)
    f->style = xstrdup("info");
}

const struct wiz_kind_ops wiz_kind_banner = {
  .name = "banner",
  .keys = keys,
  .flags = WIZ_KF_NO_LABEL | WIZ_KF_INERT,
  .parse = parse,
};
