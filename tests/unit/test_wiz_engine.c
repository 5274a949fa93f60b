/* Unit tests for the wizard engine with the fake host: dependencies and clearing,
 * visibility, navigation, pickers (refused items, create new, failures and retry), host
 * rules, answers files, the headless twin, records, drafts, mapping and multi-select. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/fake_host.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/headless.h"
#include "wizard/wiz_io.h"
#include "wizard/wizard.h"

struct fixture {
  struct wiz_form *form;
  struct fake_host *fh;
  struct wizard *w;
};

static struct fixture *open_form(const char *id)
{
  struct fixture *fx = xcalloc(1, sizeof(*fx));
  const char *src = getenv("SYNWIZ_SOURCE_DIR");
  char *path = xasprintf("%s/forms/%s.json", src ? src : SYNWIZ_SOURCE_DIR, id);
  struct wiz_form_error err;
  assert_int_equal(wiz_form_load(path, fake_host_decl(), &fx->form, &err), WIZ_OK);
  free(path);
  fx->fh = fake_host_new(id);
  fx->w = wiz_new(fx->form, fake_host_host(fx->fh));
  return fx;
}

static struct fixture *open_text(const char *json)
{
  struct fixture *fx = xcalloc(1, sizeof(*fx));
  struct wiz_form_error err;
  enum wiz_result rc = wiz_form_parse("inline.json", json, fake_host_decl(), &fx->form, &err);
  if (rc != WIZ_OK)
    fail_msg("%s: %s", err.path, err.reason);
  fx->fh = fake_host_new("inline");
  fx->w = wiz_new(fx->form, fake_host_host(fx->fh));
  return fx;
}

static void close_fx(struct fixture *fx)
{
  wiz_delete(fx->w);
  fake_host_delete(fx->fh);
  wiz_form_delete(fx->form);
  free(fx);
}

static size_t fid(struct fixture *fx, const char *id)
{
  long i = wiz_form_field_index(fx->form, id);
  assert_true(i >= 0);
  return (size_t)i;
}

/* Let the fake host deliver everything started (delay 0), starting what becomes possible. */
static void settle(struct fixture *fx)
{
  for (int i = 0; i < 20; i++) {
    wiz_refresh(fx->w);
    if (wiz_pending(fx->w) == 0)
      return;
    struct wiz_host *h = fake_host_host(fx->fh);
    h->ops->wait(h->ctx, NULL, 0, 100);
  }
}

static void pick(struct fixture *fx, const char *field, const char *id)
{
  settle(fx);
  size_t f = fid(fx, field);
  long i = wiz_list_find(wiz_items(fx->w, f, WIZ_SRC_ITEMS), id);
  if (i < 0)
    fail_msg("%s has no item %s", field, id);
  assert_int_equal(wiz_pick(fx->w, f, (size_t)i, NULL), WIZ_OK);
  settle(fx);
}

static const char *text_of(struct fixture *fx, const char *field)
{
  struct wiz_answers *a = wiz_snapshot(fx->w);
  static char buf[256];
  const char *t = wiz_answers_text(a, field);
  snprintf(buf, sizeof(buf), "%s", t ? t : "(none)");
  wiz_answers_delete(a);
  return buf;
}

static void fill_connection(struct fixture *fx)
{
  assert_int_equal(wiz_set_text(fx->w, fid(fx, "display_name"), "sales_synapse"), WIZ_OK);
  assert_int_equal(wiz_next(fx->w), WIZ_OK);
  pick(fx, "subscription", "Contoso Analytics");
  pick(fx, "workspace", "contoso-synapse");
  pick(fx, "storage_account", "contosolake");
  pick(fx, "container", "customerinsights");
}

static void dependencies_clear_transitively(void **state)
{
  struct fixture *fx = open_form("connection");
  struct wizard *w = fx->w;
  fill_connection(fx);
  assert_string_equal(text_of(fx, "resource_group"), "rg-analytics");
  assert_string_equal(text_of(fx, "container"), "customerinsights");
  assert_true(wiz_enabled(w, fid(fx, "container")));
  /* Another subscription clears workspace, storage account and container. */
  pick(fx, "subscription", "Contoso Research");
  assert_string_equal(text_of(fx, "workspace"), "(none)");
  assert_string_equal(text_of(fx, "storage_account"), "(none)");
  assert_string_equal(text_of(fx, "container"), "(none)");
  assert_string_equal(text_of(fx, "resource_group"), "(none)");
  assert_false(wiz_enabled(w, fid(fx, "storage_account")));
  assert_false(wiz_enabled(w, fid(fx, "container")));
  assert_non_null(strstr(wiz_disabled_reason(w, fid(fx, "storage_account")), "Workspace"));
  /* The workspace list was reloaded for the new subscription. */
  settle(fx);
  const struct wiz_list *ws = wiz_items(w, fid(fx, "workspace"), WIZ_SRC_ITEMS);
  assert_int_equal(ws->n, 1);
  assert_string_equal(ws->items[0].id, "research-synapse");
  /* The display name (not dependent) stays. */
  assert_string_equal(text_of(fx, "display_name"), "sales_synapse");
  close_fx(fx);
}

static void visibility_and_defaults(void **state)
{
  struct fixture *fx = open_form("linked_service");
  struct wizard *w = fx->w;
  size_t client = fid(fx, "client_id"), tenant = fid(fx, "tenant"), sub = fid(fx, "subscription");
  assert_false(wiz_visible(w, client));
  assert_true(wiz_visible(w, fid(fx, "grant_role")));
  assert_int_equal(wiz_set_choice(w, fid(fx, "authentication"), "service_principal"), WIZ_OK);
  assert_true(wiz_visible(w, client));
  assert_true(wiz_visible(w, fid(fx, "secret")));
  assert_false(wiz_visible(w, fid(fx, "grant_role")));
  assert_string_equal(wiz_value(w, tenant)->text, "contoso.onmicrosoft.com");
  /* A saved connection hides the subscription and workspace pickers. */
  assert_true(wiz_visible(w, sub));
  pick(fx, "connection", "sales_lake");
  assert_false(wiz_visible(w, sub));
  assert_false(wiz_visible(w, fid(fx, "workspace")));
  /* The integration runtime defaults to AutoResolve. */
  char *d = wiz_display(w, fid(fx, "integration_runtime"));
  assert_string_equal(d, "AutoResolveIntegrationRuntime");
  free(d);
  close_fx(fx);
}

static void next_stays_on_invalid_step(void **state)
{
  struct fixture *fx = open_form("connection");
  struct wizard *w = fx->w;
  size_t name = fid(fx, "display_name");
  assert_int_equal(wiz_next(w), WIZ_E_INVALID);
  assert_int_equal(wiz_step(w), 0);
  assert_string_equal(wiz_status(w), "Display name: Required.");
  assert_int_equal(wiz_set_text(w, name, "9lives"), WIZ_OK);
  const char *msg = NULL, *rule = NULL;
  assert_int_equal(wiz_check(w, name, &msg, &rule), WIZ_CHECK_ERROR);
  assert_string_equal(rule, "connection_display_name");
  assert_true(wiz_message_shown(w, name));
  wiz_set_focus(w, fid(fx, "audience"));
  assert_int_equal(wiz_next(w), WIZ_E_INVALID);
  assert_int_equal(wiz_focus(w), name); /* the cursor goes to the field at fault */
  assert_non_null(strstr(wiz_status(w), "Must start with a letter"));
  /* Forward jumps need the steps before to be valid. */
  assert_int_equal(wiz_goto(w, 2), WIZ_E_INVALID);
  assert_int_equal(wiz_step(w), 0);
  /* Uniqueness is a host rule, case-insensitive. */
  wiz_set_text(w, name, "Sales_Lake");
  assert_int_equal(wiz_check(w, name, &msg, &rule), WIZ_CHECK_ERROR);
  assert_string_equal(rule, "connection_name_unique");
  assert_non_null(strstr(msg, "already exists"));
  wiz_set_text(w, name, "lake2");
  assert_int_equal(wiz_next(w), WIZ_OK);
  assert_int_equal(wiz_step(w), 1);
  assert_int_equal(wiz_focus(w), fid(fx, "subscription"));
  assert_int_equal(wiz_back(w), WIZ_OK);
  assert_int_equal(wiz_step(w), 0);
  assert_int_equal(wiz_back(w), WIZ_E_STATE);
  /* Agreement is required on the last step. */
  fill_connection(fx); /* sets the name again and goes through step 1 */
  assert_int_equal(wiz_next(w), WIZ_OK);
  assert_int_equal(wiz_next(w), WIZ_E_INVALID);
  assert_non_null(strstr(wiz_status(w), "I agree"));
  wiz_set_bool(w, fid(fx, "agree"), true);
  assert_int_equal(wiz_next(w), WIZ_OK);
  assert_true(wiz_on_review(w));
  assert_int_equal(wiz_goto(w, 0), WIZ_OK);
  assert_int_equal(wiz_goto(w, 3), WIZ_OK);
  close_fx(fx);
}

static void pickers_refuse_create_fail_retry(void **state)
{
  struct fixture *fx = open_form("connection");
  struct wizard *w = fx->w;
  size_t sub = fid(fx, "subscription");
  fake_host_fail(fx->fh, "subscriptions", 1);
  wiz_set_step(w, 1);
  settle(fx);
  assert_int_equal(wiz_load_state(w, sub, WIZ_SRC_ITEMS), WIZ_LOAD_FAILED);
  const char *hint = NULL;
  assert_non_null(strstr(wiz_load_error(w, sub, WIZ_SRC_ITEMS, &hint), "503"));
  assert_non_null(hint);
  wiz_retry(w, sub);
  settle(fx);
  assert_int_equal(wiz_load_state(w, sub, WIZ_SRC_ITEMS), WIZ_LOAD_DONE);
  const struct wiz_list *l = wiz_items(w, sub, WIZ_SRC_ITEMS);
  long legacy = wiz_list_find(l, "Contoso Legacy");
  const char *reason = NULL;
  assert_int_equal(wiz_pick(w, sub, (size_t)legacy, &reason), WIZ_E_INVALID);
  assert_string_equal(reason, "This subscription is disabled.");
  assert_false(wiz_value_is_set(wiz_value(w, sub)));
  pick(fx, "subscription", "Contoso Analytics");
  pick(fx, "workspace", "contoso-synapse");
  size_t acct = fid(fx, "storage_account");
  long blob = wiz_list_find(wiz_items(w, acct, WIZ_SRC_ITEMS), "contosoblob");
  assert_int_equal(wiz_pick(w, acct, (size_t)blob, &reason), WIZ_E_INVALID);
  assert_non_null(strstr(reason, "hierarchical namespace"));
  pick(fx, "storage_account", "contosolake");
  size_t cont = fid(fx, "container");
  const char *msg = NULL;
  assert_int_equal(wiz_pick_new(w, cont, "AB", &msg), WIZ_E_INVALID);
  assert_non_null(strstr(msg, "lower-case"));
  assert_int_equal(wiz_pick_new(w, cont, "ab", &msg), WIZ_E_INVALID);
  assert_string_equal(msg, "Between 3 and 63 characters.");
  assert_int_equal(wiz_pick_new(w, cont, "exports-2024", &msg), WIZ_OK);
  char *d = wiz_display(w, cont);
  assert_string_equal(d, "exports-2024 (new)");
  free(d);
  /* Leaving a picker while it loads: the load is cancelled when its argument changes. */
  fake_host_hold(fx->fh, true);
  pick(fx, "subscription", "Contoso Research");
  wiz_refresh(w);
  assert_int_equal(wiz_load_state(w, fid(fx, "workspace"), WIZ_SRC_ITEMS), WIZ_LOAD_LOADING);
  pick(fx, "subscription", "Contoso Analytics");
  assert_non_null(strstr(fake_host_calls(fx->fh), "cancel synapse_workspaces"));
  close_fx(fx);
}

static void host_rule_object_id(void **state)
{
  struct fixture *fx = open_form("linked_service");
  struct wizard *w = fx->w;
  wiz_set_choice(w, fid(fx, "authentication"), "service_principal");
  size_t c = fid(fx, "client_id");
  const char *msg = NULL, *rule = NULL;
  wiz_set_text(w, c, "synwiz-automation");
  assert_int_equal(wiz_check(w, c, &msg, &rule), WIZ_CHECK_ERROR);
  assert_string_equal(rule, "application_id");
  wiz_set_text(w, c, "8f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
  assert_int_equal(wiz_check(w, c, &msg, &rule), WIZ_CHECK_ERROR);
  assert_string_equal(rule, "application_id_not_object_id");
  assert_non_null(strstr(msg, "3c9d2f41-7e8a-4b6c-9d0e-1f2a3b4c5d6e"));
  wiz_set_text(w, c, "3c9d2f41-7e8a-4b6c-9d0e-1f2a3b4c5d6e");
  assert_int_equal(wiz_check(w, c, &msg, &rule), WIZ_CHECK_OK);
  close_fx(fx);
}

static json_t *parse(const char *s)
{
  json_t *j = json_loads(s, 0, NULL);
  assert_non_null(j);
  return j;
}

static void answers_by_id_or_name_and_env(void **state)
{
  struct fixture *fx = open_form("linked_service");
  struct wizard *w = fx->w;
  setenv("TEST_SP_SECRET", "s3cr3t-value-for-test", 1);
  json_t *a =
      parse("{\"subscription\": \"Contoso Analytics\", \"workspace\": \"contoso-synapse\","
            "\"name\": \"AzureMLService2\","
            "\"ml_subscription\": \"0b1f6471-1bf0-4dda-aec3-cb9272f09590\","
            "\"ml_workspace\": \"contoso-ml\", \"authentication\": \"service_principal\","
            "\"client_id\": \"3c9d2f41-7e8a-4b6c-9d0e-1f2a3b4c5d6e\","
            "\"secret\": {\"env\": \"TEST_SP_SECRET\"}, \"tenant\": \"contoso.onmicrosoft.com\","
            "\"integration_runtime\": \"AutoResolveIntegrationRuntime\"}");
  struct strbuf errs;
  strbuf_init(&errs, 0);
  assert_int_equal(wiz_apply_answers(w, a, false, &errs), WIZ_OK);
  json_decref(a);
  struct wiz_problems probs = { 0 };
  size_t first = wiz_headless_check(w, &probs, 5000);
  for (size_t i = 0; i < probs.n; i++)
    print_message("problem %s: %s\n", probs.v[i].field, probs.v[i].message);
  assert_int_equal(probs.n, 0);
  assert_int_equal(first, fx->form->n_steps);
  assert_true(wiz_on_review(w));
  assert_string_equal(text_of(fx, "ml_resource_group"), "rg-ml");
  struct wiz_answers *snap = wiz_snapshot(w);
  assert_string_equal(wiz_answers_secret(snap, "secret"), "s3cr3t-value-for-test");
  assert_string_equal(wiz_answers_text(snap, "subscription"),
                      "0b1f6471-1bf0-4dda-aec3-cb9272f09590");
  wiz_answers_delete(snap);
  /* The action runs and the secret reached the host only as a value it holds. */
  assert_int_equal(wiz_headless_action(w, NULL, NULL, NULL, 5000), WIZ_OUTCOME_DONE);
  assert_true(wiz_finished(w));
  assert_non_null(strstr(fake_host_calls(fx->fh), "action linked_service_save"));
  assert_null(strstr(fake_host_calls(fx->fh), "s3cr3t"));
  /* The record names the variable, never the value. */
  json_t *rec = wiz_answers_to_json(w, WIZ_JSON_RECORD);
  char *text = json_dumps(rec, JSON_SORT_KEYS);
  assert_null(strstr(text, "s3cr3t"));
  assert_non_null(strstr(text, "\"secret\": {\"env\": \"TEST_SP_SECRET\"}"));
  assert_non_null(strstr(text, "\"workspace\": \"contoso-synapse\""));
  free(text);
  json_decref(rec);
  strbuf_done(&errs);
  wiz_problems_done(&probs);
  close_fx(fx);
}

static void answers_missing_and_invalid_listed(void **state)
{
  struct fixture *fx = open_form("connection");
  struct wizard *w = fx->w;
  json_t *a = parse("{\"display_name\": \"9lives\", \"audience\": \"everyone\","
                    "\"subscription\": \"Contoso Legacy\", \"private_link\": \"yes\","
                    "\"colour\": \"red\", \"secret_sauce\": 1}");
  struct strbuf errs;
  strbuf_init(&errs, 0);
  assert_int_equal(wiz_apply_answers(w, a, false, &errs), WIZ_E_INVALID);
  assert_non_null(strstr(errs.buf, "colour: not a field of the connection wizard"));
  json_decref(a);
  struct wiz_problems p = { 0 };
  size_t first = wiz_headless_check(w, &p, 5000);
  assert_int_equal(first, 0);
  assert_int_equal(wiz_step(w), 0);
  const char *want[][2] = { { "display_name", "connection_display_name" },
                            { "audience", "answer" },
                            { "subscription", "answer" },
                            { "workspace", "required" },
                            { "storage_account", "required" },
                            { "container", "required" },
                            { "private_link", "answer" },
                            { "agree", "must_agree" } };
  assert_int_equal(p.n, 8);
  for (size_t i = 0; i < 8; i++) {
    assert_string_equal(p.v[i].field, want[i][0]);
    assert_string_equal(p.v[i].rule, want[i][1]);
  }
  assert_non_null(strstr(p.v[0].message, "Must start with a letter"));
  assert_non_null(strstr(p.v[2].message, "disabled"));
  assert_true(p.v[3].missing);
  wiz_problems_done(&p);
  strbuf_done(&errs);
  close_fx(fx);
}

static void secret_value_in_answers_refused(void **state)
{
  struct fixture *fx = open_form("linked_service");
  json_t *a = parse("{\"authentication\": \"service_principal\", \"secret\": \"plain\","
                    "\"client_id\": \"x\"}");
  struct strbuf errs;
  strbuf_init(&errs, 0);
  wiz_apply_answers(fx->w, a, false, &errs);
  json_decref(a);
  const char *msg = NULL;
  assert_int_equal(wiz_check(fx->w, fid(fx, "secret"), &msg, NULL), WIZ_CHECK_ERROR);
  assert_non_null(strstr(msg, "never as its value"));
  assert_false(wiz_value_is_set(wiz_value(fx->w, fid(fx, "secret"))));
  unsetenv("NOPE_NOT_SET");
  a = parse("{\"secret\": {\"env\": \"NOPE_NOT_SET\"}}");
  wiz_apply_answers(fx->w, a, false, &errs);
  json_decref(a);
  assert_int_equal(wiz_check(fx->w, fid(fx, "secret"), &msg, NULL), WIZ_CHECK_ERROR);
  assert_string_equal(msg, "The environment variable NOPE_NOT_SET is not set.");
  strbuf_done(&errs);
  close_fx(fx);
}

static char *tmp_state(void)
{
  char templ[] = "/tmp/synwiz-test-XXXXXX";
  char *dir = mkdtemp(templ);
  assert_non_null(dir);
  setenv("XDG_STATE_HOME", dir, 1);
  return xstrdup(dir);
}

static void drafts_resume_same_step_without_secrets(void **state)
{
  char *tmp = tmp_state();
  struct fixture *fx = open_form("linked_service");
  struct wizard *w = fx->w;
  pick(fx, "subscription", "Contoso Analytics");
  pick(fx, "workspace", "contoso-synapse");
  assert_int_equal(wiz_next(w), WIZ_OK);
  wiz_set_text(w, fid(fx, "name"), "MyMl");
  pick(fx, "ml_subscription", "Contoso Analytics");
  pick(fx, "ml_workspace", "contoso-ml");
  assert_int_equal(wiz_next(w), WIZ_OK);
  wiz_set_choice(w, fid(fx, "authentication"), "service_principal");
  wiz_set_text(w, fid(fx, "secret"), "typed-secret-123456");
  wiz_set_text(w, fid(fx, "client_id"), "not-a-guid-yet");
  wiz_set_focus(w, fid(fx, "client_id"));
  char *name = NULL;
  assert_int_equal(wiz_draft_save(w, "my-draft", &name), WIZ_OK);
  assert_string_equal(name, "my-draft");
  free(name);
  char *path = xasprintf("%s/synwiz/drafts/my-draft.json", tmp);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  char *text = NULL;
  assert_int_equal(fs_read_all(path, &text, NULL, 0), 0);
  assert_null(strstr(text, "typed-secret"));
  assert_null(strstr(text, "\"secret\""));
  free(text);
  free(path);
  size_t step = wiz_step(w);
  close_fx(fx);

  struct wiz_draft_info *list = NULL;
  size_t n = 0;
  assert_int_equal(wiz_draft_list(&list, &n), WIZ_OK);
  assert_int_equal(n, 1);
  assert_string_equal(list[0].form, "linked_service");
  assert_string_equal(list[0].step, "auth");
  wiz_draft_list_free(list, n);

  char *form_id = NULL;
  json_t *doc = NULL;
  assert_int_equal(wiz_draft_read("my-draft", &form_id, &doc), WIZ_OK);
  assert_string_equal(form_id, "linked_service");
  fx = open_form(form_id);
  struct strbuf errs;
  strbuf_init(&errs, 0);
  assert_int_equal(wiz_draft_apply(fx->w, doc, &errs), WIZ_OK);
  json_decref(doc);
  free(form_id);
  assert_int_equal(wiz_step(fx->w), step);
  assert_int_equal(wiz_focus(fx->w), fid(fx, "client_id"));
  assert_string_equal(text_of(fx, "client_id"), "not-a-guid-yet");
  assert_string_equal(text_of(fx, "name"), "MyMl");
  assert_string_equal(text_of(fx, "workspace"), "contoso-synapse");
  assert_string_equal(text_of(fx, "ml_resource_group"), "rg-ml"); /* attrs kept, no reload */
  assert_string_equal(text_of(fx, "authentication"), "service_principal");
  assert_false(wiz_value_is_set(wiz_value(fx->w, fid(fx, "secret"))));
  assert_int_equal(wiz_draft_remove("my-draft"), 0);
  assert_int_equal(wiz_draft_read("my-draft", &form_id, &doc), WIZ_E_NOT_FOUND);
  assert_false(wiz_draft_name_valid("../etc"));
  strbuf_done(&errs);
  close_fx(fx);
  free(tmp);
}

static void record_names_secret_env_hint(void **state)
{
  char *tmp = tmp_state();
  struct fixture *fx = open_form("linked_service");
  wiz_set_choice(fx->w, fid(fx, "authentication"), "service_principal");
  wiz_set_text(fx->w, fid(fx, "secret"), "typed-secret-abcdef");
  char *path = xasprintf("%s/rec.json", tmp);
  assert_int_equal(wiz_write_record(fx->w, path), WIZ_OK);
  char *text = NULL;
  assert_int_equal(fs_read_all(path, &text, NULL, 0), 0);
  assert_null(strstr(text, "typed-secret"));
  assert_non_null(strstr(text, "\"env\": \"SYNWIZ_SP_SECRET\""));
  assert_non_null(strstr(text, "\"authentication\": \"service_principal\""));
  free(text);
  free(path);
  close_fx(fx);
  free(tmp);
}

static void action_progress_cancel_and_dry_run(void **state)
{
  struct fixture *fx = open_form("connection");
  struct wizard *w = fx->w;
  fill_connection(fx);
  wiz_set_bool(w, fid(fx, "agree"), true);
  fake_host_hold(fx->fh, true);
  fake_host_host(fx->fh)->dry_run = true;
  assert_int_equal(wiz_finish(w), WIZ_OK);
  assert_int_equal(wiz_job_state(w), WIZ_JOB_RUNNING);
  assert_string_equal(wiz_job_progress_now(w)->status, "Saving the connection...");
  fake_host_release(fx->fh, "job", false);
  const struct wiz_progress *p = wiz_job_progress_now(w);
  assert_true(p->fraction > 0.4 && p->total_bytes == 27300000 && p->eta_seconds == 14);
  wiz_cancel_action(w);
  fake_host_release(fx->fh, "job", false);
  assert_int_equal(wiz_job_state(w), WIZ_JOB_DONE);
  assert_int_equal(wiz_last_outcome(w), WIZ_OUTCOME_CANCELLED);
  assert_false(wiz_finished(w));
  assert_non_null(strstr(wiz_job_report(w)->summary, "what was done is kept"));
  assert_non_null(strstr(fake_host_calls(fx->fh), "action connection_save (dry run)"));
  /* Again to the end: a report with findings, follow-ups and the plan. */
  fake_host_hold(fx->fh, false);
  assert_int_equal(wiz_headless_action(w, NULL, NULL, NULL, 5000), WIZ_OUTCOME_DONE);
  const struct wiz_report *r = wiz_job_report(w);
  assert_true(r->n_findings >= 3);
  assert_int_equal(r->findings[1].status, WIZ_FINDING_FAIL);
  assert_string_equal(r->followups[0].label, "Grant what is missing");
  assert_true(r->n_plan > 0);
  assert_int_equal(wiz_outcome_exit(WIZ_OUTCOME_REFUSED), 3);
  assert_int_equal(wiz_outcome_exit(WIZ_OUTCOME_FAILED), 4);
  close_fx(fx);
}

static const char *mapping_form =
    "{\"id\":\"m\",\"title\":\"M\",\"finish\":{\"action\":\"connection_save\",\"label\":\"Run\"},"
    "\"steps\":[{\"id\":\"data\",\"title\":\"Required data\",\"fields\":["
    "{\"id\":\"tables\",\"kind\":\"multi\",\"label\":\"Tables\",\"source\":\"ci_tables\","
    "\"required\":true},"
    "{\"id\":\"map\",\"kind\":\"mapping\",\"label\":\"Map\",\"required\":true,"
    "\"source\":\"pipeline_inputs\",\"columns_source\":\"table_columns\"}]}]}";

static void mapping_proposals_and_multi(void **state)
{
  struct fixture *fx = open_text(mapping_form);
  struct wizard *w = fx->w;
  settle(fx);
  size_t map = fid(fx, "map"), tables = fid(fx, "tables");
  assert_string_equal(wiz_map_get(w, map, "CustomerId"), "customerid");
  assert_string_equal(wiz_map_get(w, map, "TotalSpend"), "totalspend"); /* Int64 -> Double */
  assert_null(wiz_map_get(w, map, "Segment"));
  const char *msg = NULL;
  assert_int_equal(wiz_check(w, map, &msg, NULL), WIZ_CHECK_ERROR);
  assert_non_null(strstr(msg, "Segment"));
  assert_int_equal(wiz_map_set(w, map, "Segment", "Country"), WIZ_OK);
  assert_int_equal(wiz_check(w, map, &msg, NULL), WIZ_CHECK_OK);
  assert_false(wiz_types_compatible("Int64", "Double"));
  assert_true(wiz_types_compatible("Double", "Int64"));
  assert_true(wiz_types_compatible("String", "Guid"));
  assert_int_equal(wiz_check(w, tables, &msg, NULL), WIZ_CHECK_ERROR);
  assert_int_equal(wiz_multi_all(w, tables, true), WIZ_OK);
  assert_int_equal(wiz_value(w, tables)->n_list, 3);
  assert_int_equal(wiz_multi_toggle(w, tables, 1), WIZ_OK);
  assert_int_equal(wiz_value(w, tables)->n_list, 2);
  assert_false(wiz_multi_has(w, tables, "ci_tables_2"));
  assert_int_equal(wiz_multi_all(w, tables, false), WIZ_OK);
  assert_int_equal(wiz_value(w, tables)->n_list, 0);
  close_fx(fx);
}

/* A picker's preselection is the form's guess, not an answer: the item it names when the
 * list has it; else, with "preselect": "first", the first item; else nothing, and no
 * "not in the list" error for a name the user never typed (issue 12: the primary key is the
 * pipeline's first output attribute, the Customer ID one named like CustomerId). */
static const char *preselect_form =
    "{\"id\":\"p\",\"title\":\"P\",\"finish\":{\"action\":\"connection_save\",\"label\":\"Run\"},"
    "\"steps\":[{\"id\":\"s\",\"title\":\"S\",\"fields\":["
    "{\"id\":\"named\",\"kind\":\"picker\",\"label\":\"A\",\"source\":\"ci_tables\","
    "\"default\":\"ci_tables_2\"},"
    "{\"id\":\"missing\",\"kind\":\"picker\",\"label\":\"B\",\"source\":\"ci_tables\","
    "\"default\":\"Nope\",\"required\":true},"
    "{\"id\":\"first\",\"kind\":\"picker\",\"label\":\"C\",\"source\":\"ci_tables\","
    "\"preselect\":\"first\"},"
    "{\"id\":\"fallback\",\"kind\":\"picker\",\"label\":\"D\",\"source\":\"ci_tables\","
    "\"default\":\"Nope\",\"preselect\":\"first\"}]}]}";

static void picker_preselection_is_a_guess(void **state)
{
  (void)state;
  struct fixture *fx = open_text(preselect_form);
  settle(fx);
  assert_string_equal(text_of(fx, "named"), "ci_tables_2");
  assert_string_equal(text_of(fx, "missing"), "(none)");
  const char *msg = NULL, *rule = NULL;
  assert_int_equal(wiz_check(fx->w, fid(fx, "missing"), &msg, &rule), WIZ_CHECK_ERROR);
  assert_string_equal(rule, "required"); /* not "No B \"Nope\" in the list" */
  assert_string_equal(text_of(fx, "first"), "ci_tables_1");
  assert_string_equal(text_of(fx, "fallback"), "ci_tables_1");
  close_fx(fx);

  struct wiz_form *form = NULL;
  struct wiz_form_error err;
  char *bad = xstrdup(preselect_form);
  char *at = strstr(bad, "\"preselect\":\"first\"");
  memcpy(at, "\"preselect\":\"frst\"", strlen("\"preselect\":\"frst\""));
  at[strlen("\"preselect\":\"frst\"")] = ' ';
  assert_int_not_equal(wiz_form_parse("bad.json", bad, fake_host_decl(), &form, &err), WIZ_OK);
  assert_non_null(strstr(err.reason, "first"));
  wiz_form_error_done(&err);
  free(bad);
}

/* A missing answers file is named with what the system said, not "file:-1:-1: unable to
 * open" (issue 13, item 9). */
static void missing_answers_file_says_why(void **state)
{
  struct fixture *fx = open_form("connection");
  struct strbuf errs;
  strbuf_init(&errs, 0);
  assert_int_equal(wiz_load_answers_file(fx->w, "/nonexistent/answers.json", &errs), WIZ_E_IO);
  assert_non_null(strstr(errs.buf, "/nonexistent/answers.json: cannot read the answers file: No "
                                   "such file or directory"));
  assert_null(strstr(errs.buf, "-1"));
  strbuf_done(&errs);
  close_fx(fx);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(dependencies_clear_transitively),
    cmocka_unit_test(visibility_and_defaults),
    cmocka_unit_test(next_stays_on_invalid_step),
    cmocka_unit_test(pickers_refuse_create_fail_retry),
    cmocka_unit_test(host_rule_object_id),
    cmocka_unit_test(answers_by_id_or_name_and_env),
    cmocka_unit_test(answers_missing_and_invalid_listed),
    cmocka_unit_test(secret_value_in_answers_refused),
    cmocka_unit_test(drafts_resume_same_step_without_secrets),
    cmocka_unit_test(record_names_secret_env_hint),
    cmocka_unit_test(action_progress_cancel_and_dry_run),
    cmocka_unit_test(mapping_proposals_and_multi),
    cmocka_unit_test(missing_answers_file_says_why),
    cmocka_unit_test(picker_preselection_is_a_guess),
  };
  return cmocka_run_group_tests_name("wiz_engine", tests, NULL, NULL);
}
