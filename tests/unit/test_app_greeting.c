/* The worked example of docs/ARCHITECTURE.md "Adding a wizard" (support/greeting_host.c):
 * registered at run time, its test-only form loads against the app's contract, and it runs
 * headless from an answers file: its step table reads the subscription through ARM and the
 * report says hello; a refused call ends it with the step's failure title. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_action.h"
#include "app/app_ctx.h"
#include "app/app_host.h"
#include "support/az_fake.h"
#include "support/greeting_host.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/form.h"
#include "wizard/headless.h"
#include "wizard/wiz_io.h"
#include "wizard/wizard.h"

#define SUB "6512a654-3dc7-492e-ba9c-c141f77be76a"

static bool refuse_action; /* the second list of subscriptions (the action's) answers 403 */
static int lists;

static bool answer(struct azfake *f, const struct azfake_record *req, struct azfake_reply *out,
                   void *ud)
{
  (void)f;
  (void)ud;
  out->status = 200;
  out->headers = xstrdup("Content-Type: application/json");
  if (strstr(req->url, "/oauth2/v2.0/token")) {
    char *t = azfake_jwt("{\"oid\":\"o1\",\"tid\":\"t1\",\"appid\":\"c1\"}");
    out->body = azfake_token_body(t, 3600);
    free(t);
  } else if (strstr(req->url, "/subscriptions?") && refuse_action && lists++ > 0) {
    out->status = 403;
    out->body = xstrdup("{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"No.\"}}");
  } else if (strstr(req->url, "/subscriptions?")) {
    out->body = xstrdup("{\"value\":[{\"subscriptionId\":\"" SUB "\",\"displayName\":\"Contoso "
                        "Analytics\",\"state\":\"Enabled\",\"tenantId\":\"t1\"}]}");
  } else {
    out->status = 404;
    out->body = xstrdup("{\"error\":{\"code\":\"NotFound\",\"message\":\"?\"}}");
  }
  return true;
}

/* Run the greeting wizard from an answers file; returns the outcome, the report in `title`
 * and `first` (its first finding). */
static enum wiz_outcome run(char **title, char **first)
{
  greeting_host_register(); /* once per process; again is a no-op */
  char *dir = azfake_tempdir();
  struct azfake *fake = azfake_new();
  azfake_set_handler(fake, answer, NULL);
  char *store = xasprintf("%s/store", dir);
  struct app_ctx_options o = { azfake_client(fake, "AzureCloud", azfake_secret_credential()),
                               store };
  struct app_ctx *app = app_ctx_new(&o);
  struct strbuf why;
  strbuf_init(&why, 0);
  enum app_result rc = APP_OK;
  struct wiz_host *host = app_host_open(app, "greeting", &why, &rc);
  assert_non_null(host);
  const char *src = getenv("SYNWIZ_SOURCE_DIR");
  char *path = xasprintf("%s/tests/fixtures/forms/greeting.json", src ? src : ".");
  struct wiz_form *form = NULL;
  struct wiz_form_error err;
  assert_int_equal(wiz_form_load(path, app_action_contract(), &form, &err), WIZ_OK);
  struct wizard *w = wiz_new(form, host);
  char *answers = xasprintf("%s/answers.json", dir);
  const char *text = "{\"name\": \"Dana\", \"subscription\": \"Contoso Analytics\"}";
  assert_int_equal(fs_write_atomic(answers, text, strlen(text), 0600), 0);
  assert_int_equal(wiz_load_answers_file(w, answers, &why), WIZ_OK);
  struct wiz_problems p = { 0 };
  wiz_headless_check(w, &p, 10000);
  assert_int_equal(p.n, 0);
  enum wiz_outcome outcome = wiz_headless_action(w, NULL, NULL, NULL, 10000);
  const struct wiz_report *r = wiz_job_report(w);
  *title = xstrdup(r->title);
  *first = xstrdup(r->n_findings ? r->findings[0].title : "");
  wiz_problems_done(&p);
  wiz_delete(w);
  wiz_form_delete(form);
  app_host_close(host);
  app_ctx_delete(app);
  azfake_delete(fake);
  azfake_rmtree(dir);
  strbuf_done(&why);
  free(answers);
  free(path);
  free(store);
  free(dir);
  return outcome;
}

static void says_hello(void **state)
{
  (void)state;
  char *title = NULL, *first = NULL;
  assert_int_equal(run(&title, &first), WIZ_OUTCOME_DONE);
  assert_string_equal(title, "Greeting sent");
  assert_string_equal(first, "Hello, Dana, from Contoso Analytics");
  free(title);
  free(first);
  /* The registry made it one of the names every form may use. */
  const struct wiz_decl *d = app_action_contract();
  assert_true(wiz_decl_has(d->actions, "greeting_send"));
}

static void a_refused_call_ends_it(void **state)
{
  (void)state;
  refuse_action = true;
  lists = 0;
  char *title = NULL, *first = NULL;
  assert_int_equal(run(&title, &first), WIZ_OUTCOME_REFUSED);
  assert_string_equal(title, "Greeting not sent");
  assert_string_equal(first, "Could not read the subscriptions");
  free(title);
  free(first);
  refuse_action = false;
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(says_hello),
    cmocka_unit_test(a_refused_call_ends_it),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
