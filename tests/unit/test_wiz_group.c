/* Unit tests for the repeated group kind (src/wizard/kind_group.c) on its test form,
 * tests/fixtures/forms/required_data.json, with the fake host: the loader's checks, the
 * entries and their members, proposals, the checks naming every unmapped attribute, and
 * the answers file, record and draft round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/fake_host.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/form.h"
#include "wizard/headless.h"
#include "wizard/wiz_io.h"
#include "wizard/wizard.h"

struct fixture {
  struct wiz_form *form;
  struct fake_host *fh;
  struct wizard *w;
};

static char *form_path(void)
{
  const char *src = getenv("SYNWIZ_SOURCE_DIR");
  return xasprintf("%s/tests/fixtures/forms/required_data.json", src ? src : SYNWIZ_SOURCE_DIR);
}

static struct fixture *open_fx(void)
{
  struct fixture *fx = xcalloc(1, sizeof(*fx));
  char *path = form_path();
  struct wiz_form_error err;
  if (wiz_form_load(path, fake_host_decl(), &fx->form, &err) != WIZ_OK)
    fail_msg("%s: %s", err.path, err.reason);
  free(path);
  fx->fh = fake_host_new("required_data");
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

static void settle(struct fixture *fx)
{
  for (int i = 0; i < 50; i++) {
    wiz_refresh(fx->w);
    if (wiz_pending(fx->w) == 0)
      return;
    struct wiz_host *h = fake_host_host(fx->fh);
    h->ops->wait(h->ctx, NULL, 0, 100);
  }
}

static void pick(struct fixture *fx, size_t f, const char *id)
{
  settle(fx);
  long i = wiz_list_find(wiz_items(fx->w, f, WIZ_SRC_ITEMS), id);
  if (i < 0)
    fail_msg("no item %s", id);
  assert_int_equal(wiz_pick(fx->w, f, (size_t)i, NULL), WIZ_OK);
  settle(fx);
}

static void apply(struct fixture *fx, const char *json)
{
  json_t *o = json_loads(json, 0, NULL);
  assert_non_null(o);
  struct strbuf errs;
  strbuf_init(&errs, 0);
  assert_int_equal(wiz_apply_answers(fx->w, o, false, &errs), WIZ_OK);
  strbuf_done(&errs);
  json_decref(o);
  wiz_refresh_step(fx->w, 1);
  settle(fx);
}

static void expect_refused(const char *json, const char *path, const char *reason)
{
  struct wiz_form *form = NULL;
  struct wiz_form_error err;
  assert_int_equal(wiz_form_parse("g.json", json, fake_host_decl(), &form, &err), WIZ_E_SCHEMA);
  if (strcmp(err.path, path) != 0 || !strstr(err.reason, reason))
    fail_msg("got %s: %s", err.path, err.reason);
  wiz_form_error_done(&err);
}

#define HEAD                                                                                     \
  "{\"id\":\"g\",\"title\":\"G\",\"finish\":{\"action\":\"connection_doctor\",\"label\":\"C\"}," \
  "\"steps\":[{\"id\":\"s\",\"title\":\"S\",\"fields\":["

static void loader_checks(void **state)
{
  (void)state;
  struct fixture *fx = open_fx();
  size_t g = fid(fx, "inputs"), table = fid(fx, "table"), map = fid(fx, "map");
  assert_int_equal(fx->form->fields[g].kind, WIZ_KIND_GROUP);
  assert_string_equal(wiz_kind_name(WIZ_KIND_GROUP), "group");
  assert_int_equal(fx->form->fields[g].n_members, 2);
  assert_int_equal(fx->form->fields[table].parent, g);
  assert_int_equal(fx->form->fields[map].parent, g);
  /* The step lists the group, not its members. */
  assert_int_equal(fx->form->steps[1].n_fields, 1);
  close_fx(fx);
  expect_refused(
      HEAD "{\"id\":\"g\",\"kind\":\"group\",\"label\":\"G\",\"source\":\"pipeline_inputs\"}]}]}",
      "steps[0].fields[0]", "\"fields\"");
  expect_refused(HEAD
                 "{\"id\":\"g\",\"kind\":\"group\",\"label\":\"G\",\"source\":\"pipeline_inputs\","
                 "\"fields\":[{\"id\":\"b\",\"kind\":\"banner\",\"text\":\"x\"}]}]}]}",
                 "steps[0].fields[0].fields[0].kind", "a group's member is");
  expect_refused(HEAD
                 "{\"id\":\"g\",\"kind\":\"group\",\"label\":\"G\",\"source\":\"pipeline_inputs\","
                 "\"fields\":[{\"id\":\"t\",\"kind\":\"picker\",\"label\":\"T\","
                 "\"source\":\"ci_tables\"}]},"
                 "{\"id\":\"x\",\"kind\":\"multi\",\"label\":\"X\",\"source\":\"ci_tables\","
                 "\"source_args\":[\"t\"]}]}]}",
                 "steps[0].fields[1].source_args[0]", "belongs to the group");
}

static void entries_members_and_checks(void **state)
{
  (void)state;
  struct fixture *fx = open_fx();
  struct wizard *w = fx->w;
  size_t g = fid(fx, "inputs"), table = fid(fx, "table"), map = fid(fx, "map");
  pick(fx, fid(fx, "pipeline"), "ScoreCustomerChurn");
  assert_int_equal(wiz_next(w), WIZ_OK);
  settle(fx);
  assert_int_equal(wiz_group_count(w, g), 2);
  assert_string_equal(wiz_group_item(w, g, 0)->id, "Customer");
  assert_string_equal(wiz_group_item(w, g, 1)->id, "Orders");
  /* Each entry has its own state: Customer's table, then Orders'. */
  wiz_group_set_focus(w, g, 0, 0);
  pick(fx, table, "Customer");
  wiz_group_set_focus(w, g, 0, 0);
  assert_string_equal(wiz_map_get(w, map, "CustomerId"), "CustomerId");
  assert_string_equal(wiz_map_get(w, map, "TotalSpend"), "TotalSpend");
  wiz_group_set_focus(w, g, 1, 0);
  assert_int_equal(wiz_value(w, table)->type, WIZ_V_NONE);
  pick(fx, table, "WebActivity");
  wiz_group_set_focus(w, g, 1, 0);
  assert_string_equal(wiz_map_get(w, map, "CustomerId"), "CustomerId");
  assert_null(wiz_map_get(w, map, "OrderId"));
  wiz_group_set_focus(w, g, 0, 0);
  assert_string_equal(wiz_value(w, table)->item.id, "Customer");
  /* The step's check names every unmapped attribute. */
  const char *msg = NULL;
  assert_int_equal(wiz_check(w, g, &msg, NULL), WIZ_CHECK_ERROR);
  assert_non_null(strstr(msg, "Orders: Attributes: Map every attribute: \"OrderId\", \"Amount\" "
                              "have no column."));
  assert_null(strstr(msg, "Customer:"));
  assert_int_equal(wiz_next(w), WIZ_E_INVALID);
  /* Mapping them (Int64 into Double fits; a String column into an Int64 does not). */
  wiz_group_set_focus(w, g, 1, 0);
  assert_int_equal(wiz_map_set(w, map, "Amount", "Visits"), WIZ_OK);
  assert_int_equal(wiz_map_set(w, map, "OrderId", "Url"), WIZ_OK);
  assert_int_equal(wiz_check(w, g, &msg, NULL), WIZ_CHECK_ERROR);
  assert_non_null(strstr(msg, "\"OrderId\" (Int64) cannot take the column \"Url\" (String)."));
  wiz_group_set_focus(w, g, 1, 0);
  assert_int_equal(wiz_map_set(w, map, "OrderId", "Visits"), WIZ_OK);
  assert_int_equal(wiz_check(w, g, &msg, NULL), WIZ_CHECK_OK);
  char *d = wiz_display(w, g);
  assert_string_equal(d, "2 of 2 complete");
  free(d);
  /* The host is handed every entry with its members' answers. */
  struct wiz_answers *snap = wiz_snapshot(w);
  const struct wiz_item *items = NULL;
  struct wiz_answers *const *entries = NULL;
  assert_int_equal(wiz_answers_group(snap, "inputs", &items, &entries), 2);
  assert_string_equal(items[1].id, "Orders");
  assert_string_equal(wiz_answers_text(entries[1], "table"), "WebActivity");
  assert_null(wiz_answers_get(snap, "table"));
  wiz_answers_delete(snap);
  /* Another pipeline clears the entries. */
  wiz_set_step(w, 0);
  pick(fx, fid(fx, "pipeline"), "ScoreCustomerChurn");
  wiz_clear(w, fid(fx, "pipeline"));
  assert_int_equal(wiz_group_count(w, g), 0);
  close_fx(fx);
}

static const char *complete =
    "{\"pipeline\":\"ScoreCustomerChurn\",\"inputs\":{\"Customer\":{\"table\":\"Customer\"},"
    "\"orders\":{\"table\":\"Orders\",\"map\":{\"OrderId\":\"OrderId\"}}}}";

static void answers_round_trip(void **state)
{
  (void)state;
  struct fixture *fx = open_fx();
  apply(fx, complete);
  struct wiz_problems probs = { 0 };
  assert_int_equal(wiz_headless_check(fx->w, &probs, 5000), fx->form->n_steps);
  assert_int_equal(probs.n, 0);
  wiz_problems_done(&probs);
  json_t *rec = wiz_answers_to_json(fx->w, WIZ_JSON_RECORD);
  json_t *in = json_object_get(rec, "inputs");
  /* The entry given by its label is recorded by its id, with the proposed columns. */
  assert_string_equal(json_string_value(json_object_get(json_object_get(in, "Orders"), "table")),
                      "Orders");
  json_t *cmap = json_object_get(json_object_get(in, "Customer"), "map");
  assert_string_equal(json_string_value(json_object_get(cmap, "Email")), "Email");
  assert_int_equal(json_object_size(cmap), 3);
  char *first = json_dumps(rec, JSON_SORT_KEYS);
  /* The record read back gives the same record. */
  struct fixture *fx2 = open_fx();
  struct strbuf errs;
  strbuf_init(&errs, 0);
  assert_int_equal(wiz_apply_answers(fx2->w, rec, false, &errs), WIZ_OK);
  strbuf_done(&errs);
  assert_int_equal(wiz_headless_check(fx2->w, NULL, 5000), fx2->form->n_steps);
  json_t *rec2 = wiz_answers_to_json(fx2->w, WIZ_JSON_RECORD);
  char *second = json_dumps(rec2, JSON_SORT_KEYS);
  assert_string_equal(first, second);
  free(first);
  free(second);
  json_decref(rec);
  json_decref(rec2);
  close_fx(fx2);
  close_fx(fx);
}

static void incomplete_draft_and_problems(void **state)
{
  (void)state;
  char *dir = xasprintf("%s/test_wiz_group.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  assert_non_null(mkdtemp(dir));
  setenv("XDG_STATE_HOME", dir, 1);
  struct fixture *fx = open_fx();
  apply(fx,
        "{\"pipeline\":\"ScoreCustomerChurn\",\"inputs\":{\"Customer\":{\"table\":\"Customer\"},"
        "\"Orders\":{\"table\":\"WebActivity\"},\"Returns\":{}}}");
  struct wiz_problems probs = { 0 };
  assert_int_equal(wiz_headless_check(fx->w, &probs, 5000), 1);
  assert_int_equal(probs.n, 1);
  assert_string_equal(probs.v[0].field, "inputs");
  assert_non_null(strstr(probs.v[0].message, "No Inputs \"Returns\" (one of: Customer, Orders)"));
  wiz_problems_done(&probs);
  close_fx(fx);
  /* An incomplete mapping is a problem naming the unmapped attributes... */
  fx = open_fx();
  apply(fx,
        "{\"pipeline\":\"ScoreCustomerChurn\",\"inputs\":{\"Customer\":{\"table\":\"Customer\"},"
        "\"Orders\":{\"table\":\"WebActivity\"}}}");
  assert_int_equal(wiz_headless_check(fx->w, &probs, 5000), 1);
  assert_int_equal(probs.n, 1);
  assert_false(probs.v[0].missing);
  assert_string_equal(probs.v[0].rule, "incomplete");
  assert_non_null(strstr(probs.v[0].message, "Orders: Attributes: Map every attribute: "
                                             "\"OrderId\", \"Amount\" have no column."));
  wiz_problems_done(&probs);
  /* ... and saves as a draft, which resumes as it was. */
  char *name = NULL;
  assert_int_equal(wiz_draft_save(fx->w, "group-draft", &name), WIZ_OK);
  char *form_id = NULL;
  json_t *doc = NULL;
  assert_int_equal(wiz_draft_read(name, &form_id, &doc), WIZ_OK);
  assert_string_equal(form_id, "required_data");
  struct fixture *fx2 = open_fx();
  struct strbuf errs;
  strbuf_init(&errs, 0);
  assert_int_equal(wiz_draft_apply(fx2->w, doc, &errs), WIZ_OK);
  strbuf_done(&errs);
  settle(fx2);
  size_t g = fid(fx2, "inputs");
  const char *msg = NULL;
  assert_int_equal(wiz_check(fx2->w, g, &msg, NULL), WIZ_CHECK_ERROR);
  assert_non_null(strstr(msg, "\"OrderId\", \"Amount\" have no column."));
  wiz_group_set_focus(fx2->w, g, 0, 0);
  assert_string_equal(wiz_value(fx2->w, fid(fx2, "table"))->item.id, "Customer");
  assert_int_equal(wiz_draft_remove(name), 0);
  json_decref(doc);
  free(form_id);
  free(name);
  close_fx(fx2);
  close_fx(fx);
  char *ddir = xasprintf("%s/synwiz/drafts", dir);
  rmdir(ddir);
  free(ddir);
  ddir = xasprintf("%s/synwiz", dir);
  rmdir(ddir);
  free(ddir);
  rmdir(dir);
  free(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(loader_checks),
    cmocka_unit_test(entries_members_and_checks),
    cmocka_unit_test(answers_round_trip),
    cmocka_unit_test(incomplete_draft_and_problems),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
