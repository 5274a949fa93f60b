/* Fuzz target: the answers reader (src/wizard/wiz_io.c) applying any JSON to the
 * product's forms, as `--answers FILE` and a resumed draft do, with the fake host's lists
 * loaded; then the answers written back out. The first byte picks the form and the mode. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/app_action.h"
#include "support/fake_host.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/form.h"
#include "wizard/wiz_host.h"
#include "wizard/wiz_io.h"
#include "wizard/wizard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const form_ids[] = { "connection", "linked_service" };
#define N_FORMS (sizeof(form_ids) / sizeof(form_ids[0]))
static struct wiz_form *forms[N_FORMS];

static void load_forms(void)
{
  const char *src = getenv("SYNWIZ_SOURCE_DIR");
  for (size_t i = 0; i < N_FORMS; i++) {
    char *path = xasprintf("%s/forms/%s.json", src ? src : SYNWIZ_SOURCE_DIR, form_ids[i]);
    struct wiz_form_error err;
    if (wiz_form_load(path, app_action_contract(), &forms[i], &err) != WIZ_OK)
      abort();
    free(path);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (!forms[0])
    load_forms();
  if (size < 1)
    return 0;
  size_t which = data[0] % N_FORMS;
  bool draft = data[0] & 0x80;
  json_t *doc = json_loadb((const char *)data + 1, size - 1, JSON_DECODE_ANY, NULL);
  if (!doc)
    return 0;
  struct fake_host *fh = fake_host_new(form_ids[which]);
  struct wizard *w = wiz_new(forms[which], fake_host_host(fh));
  struct strbuf errs;
  strbuf_init(&errs, 0);
  wiz_apply_answers(w, doc, draft, &errs);
  for (int i = 0; i < 8 && wiz_pending(w) > 0; i++) {
    struct wiz_host *h = fake_host_host(fh);
    h->ops->wait(h->ctx, NULL, 0, 0);
    wiz_refresh(w);
  }
  json_t *out = wiz_answers_to_json(w, draft ? WIZ_JSON_DRAFT : WIZ_JSON_RECORD);
  json_decref(out);
  strbuf_done(&errs);
  wiz_delete(w);
  fake_host_delete(fh);
  json_decref(doc);
  return 0;
}
