/* Fuzz target: the forms loader (src/wizard/form.c) on any text. A form it accepts must
 * also run: a wizard opens on it, and its answers render back to JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/app_action.h"
#include "support/fake_host.h"
#include "wizard/form.h"
#include "wizard/wiz_host.h"
#include "wizard/wiz_io.h"
#include "wizard/wizard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  struct wiz_form *form = NULL;
  struct wiz_form_error err;
  if (wiz_form_parse("fuzz.json", text, app_action_contract(), &form, &err) == WIZ_OK) {
    struct fake_host *fh = fake_host_new("fuzz");
    struct wizard *w = wiz_new(form, fake_host_host(fh));
    json_t *out = wiz_answers_to_json(w, WIZ_JSON_RECORD);
    json_decref(out);
    wiz_delete(w);
    fake_host_delete(fh);
    wiz_form_delete(form);
  } else {
    char *why = wiz_form_error_text(&err);
    free(why);
    wiz_form_error_done(&err);
  }
  free(text);
  return 0;
}
