/* Answers files, records and drafts. */
#include "wizard/wiz_io.h"
#include "wizard/wiz_kind.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

json_t *wiz_item_json(const struct wiz_item *it, enum wiz_json_mode mode)
{
  if (it->is_new)
    return json_pack("{s:s}", "new", it->id);
  if (mode == WIZ_JSON_RECORD)
    return json_string(it->id);
  json_t *o = json_pack("{s:s, s:s}", "id", it->id, "label", it->label);
  if (it->detail)
    json_object_set_new(o, "detail", json_string(it->detail));
  if (it->n_attrs) {
    json_t *a = json_object();
    for (size_t i = 0; i < it->n_attrs; i++)
      json_object_set_new(a, it->attrs[i].key, json_string(it->attrs[i].value));
    json_object_set_new(o, "attrs", a);
  }
  return o;
}

json_t *wiz_answers_to_json(struct wizard *w, enum wiz_json_mode mode)
{
  const struct wiz_form *form = wiz_form(w);
  json_t *o = json_object();
  for (size_t i = 0; i < form->n_fields; i++) {
    const struct wiz_field *f = &form->fields[i];
    const struct wiz_kind_ops *ops = wiz_field_ops(f);
    if (f->parent != WIZ_NO_FIELD || !wiz_visible(w, i) || !ops->answer_out)
      continue;
    json_t *j = ops->answer_out(w, i, mode);
    if (j)
      json_object_set_new(o, f->id, j);
  }
  return o;
}

bool wiz_answer_keys_only(struct wizard *w, size_t field, json_t *v, const char *const *allowed,
                          const char *expected)
{
  const char *key;
  json_t *val;
  json_object_foreach(v, key, val)
  {
    size_t k = 0;
    while (allowed[k] && strcmp(allowed[k], key) != 0)
      k++;
    if (!allowed[k]) {
      /* A typo ({"nwe": ...}) or a second way of giving the answer ({"env", "value"})
       * would otherwise be ignored without a word. */
      char *m = xasprintf("unknown key \"%s\" in the answer: expected %s", key, expected);
      wiz_set_answer_error(w, field, m);
      free(m);
      return false;
    }
  }
  return true;
}

/* A picker answer given as an object: {"new": name} or a draft's {"id", "label", ...}. */
void wiz_apply_item_object(struct wizard *w, size_t i, json_t *v, bool draft)
{
  static const char *const new_keys[] = { "new", NULL };
  static const char *const item_keys[] = { "id", "label", "detail", "attrs", NULL };
  const struct wiz_field *f = &wiz_form(w)->fields[i];
  json_t *nw = json_object_get(v, "new");
  if (!wiz_answer_keys_only(w, i, v, nw ? new_keys : item_keys, "{\"new\": NAME} or {\"id\": ID}"))
    return;
  if (nw) {
    const char *msg = NULL;
    if (!json_is_string(nw)) {
      wiz_set_answer_error(w, i, "\"new\" must be a string");
    } else if (!f->create_new) {
      wiz_set_answer_error(w, i, "This field cannot create a new item.");
    } else if (wiz_pick_new(w, i, json_string_value(nw), &msg) != WIZ_OK) {
      struct wiz_item it = { 0 };
      wiz_item_set(&it, json_string_value(nw), json_string_value(nw), NULL, NULL);
      it.is_new = true;
      wiz_set_item(w, i, &it); /* keep the text so the screen shows it next to the message */
      wiz_item_done(&it);
      wiz_touch(w, i);
    }
    return;
  }
  const char *id = json_string_value(json_object_get(v, "id"));
  if (!id) {
    wiz_set_answer_error(w, i, "expected an id or name, or {\"new\": NAME}");
    return;
  }
  if (!draft) {
    wiz_set_pending_pick(w, i, id);
    return;
  }
  struct wiz_item it = { 0 };
  const char *label = json_string_value(json_object_get(v, "label"));
  wiz_item_set(&it, id, label ? label : id, json_string_value(json_object_get(v, "detail")), NULL);
  const char *key;
  json_t *val;
  json_object_foreach(json_object_get(v, "attrs"), key, val)
  {
    if (json_is_string(val))
      wiz_item_set_attr(&it, key, json_string_value(val));
  }
  wiz_set_item(w, i, &it);
  wiz_item_done(&it);
}

enum wiz_result wiz_apply_answers(struct wizard *w, json_t *obj, bool draft, struct strbuf *errors)
{
  const struct wiz_form *form = wiz_form(w);
  enum wiz_result rc = WIZ_OK;
  if (!json_is_object(obj)) {
    strbuf_puts(errors, "answers: must be a JSON object with one key per field id\n");
    return WIZ_E_INVALID;
  }
  const char *key;
  json_t *val;
  json_object_foreach(obj, key, val)
  {
    long i = wiz_form_field_index(form, key);
    if (i < 0) {
      strbuf_printf(errors, "%s: not a field of the %s wizard\n", key, form->id);
      rc = WIZ_E_INVALID;
    } else if (form->fields[i].parent != WIZ_NO_FIELD) {
      strbuf_printf(
          errors, "%s: answered inside the group \"%s\": give it as a key of that group's entry\n",
          key, form->fields[form->fields[i].parent].id);
      rc = WIZ_E_INVALID;
    } else if (!wiz_field_ops(&form->fields[i])->answer_in) {
      strbuf_printf(errors, "%s: read-only, not an answer\n", key);
      rc = WIZ_E_INVALID;
    }
  }
  /* In form order, so that an answer is not cleared by the one it depends on. */
  for (size_t i = 0; i < form->n_fields; i++) {
    const struct wiz_field *f = &form->fields[i];
    json_t *v = json_object_get(obj, f->id);
    if (!v || json_is_null(v) || f->parent != WIZ_NO_FIELD || !wiz_field_ops(f)->answer_in)
      continue;
    /* Applied whatever the field's state: a field enabled by a later answer included. */
    wiz_field_ops(f)->answer_in(w, i, v, draft);
  }
  return rc;
}

enum wiz_result wiz_load_answers_file(struct wizard *w, const char *path, struct strbuf *errors)
{
  json_error_t je;
  errno = 0;
  json_t *obj = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
  if (!obj && je.line < 0) {
    /* Jansson says "unable to open" at line -1: say what the system said instead. */
    int err = errno;
    strbuf_printf(errors, "%s: cannot read the answers file: %s\n", path,
                  err ? strerror(err) : je.text);
    return WIZ_E_IO;
  }
  if (!obj) {
    strbuf_printf(errors, "%s:%d:%d: %s\n", path, je.line, je.column, je.text);
    return WIZ_E_JSON;
  }
  enum wiz_result rc = wiz_apply_answers(w, obj, false, errors);
  json_decref(obj);
  return rc;
}

static enum wiz_result write_json(const char *path, json_t *doc)
{
  char *text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
  if (!text)
    return WIZ_E_IO;
  struct strbuf sb;
  strbuf_init(&sb, 0);
  strbuf_puts(&sb, text);
  strbuf_putc(&sb, '\n');
  free(text);
  int rc = fs_write_atomic(path, sb.buf, sb.len, 0600);
  strbuf_done(&sb);
  return rc == 0 ? WIZ_OK : WIZ_E_IO;
}

enum wiz_result wiz_write_record(struct wizard *w, const char *path)
{
  json_t *o = wiz_answers_to_json(w, WIZ_JSON_RECORD);
  enum wiz_result rc = write_json(path, o);
  json_decref(o);
  return rc;
}

/* ---------- drafts ---------- */

char *wiz_drafts_dir(void)
{
  char *state = paths_state_dir();
  char *dir = paths_join(state, "drafts");
  free(state);
  return dir;
}

bool wiz_draft_name_valid(const char *name)
{
  size_t n = name ? strlen(name) : 0;
  if (n == 0 || n > 100 || name[0] == '.')
    return false;
  for (const char *p = name; *p; p++) {
    if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
      return false;
  }
  return true;
}

static char *draft_path(const char *name)
{
  char *dir = wiz_drafts_dir();
  char *file = xasprintf("%s.json", name);
  char *path = paths_join(dir, file);
  free(dir);
  free(file);
  return path;
}

/* The current UTC time; compact ("20250101-120000") or ISO 8601. */
static void utc_now(char *buf, size_t n, bool compact)
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  size_t r = compact ? strftime(buf, n, "%Y%m%d-%H%M%S", &tm)
                     : strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (r == 0)
    buf[0] = '\0';
}

/* What a draft is called on the home screen: the saved thing it edits, else what it makes,
 * by its display name (the form's first text answer: the name is asked first), else NULL. */
static char *draft_title(struct wizard *w)
{
  if (wiz_editing(w))
    return xstrdup(wiz_editing(w));
  const struct wiz_form *form = wiz_form(w);
  for (size_t i = 0; i < form->n_fields; i++) {
    if (form->fields[i].kind != WIZ_KIND_TEXT)
      continue;
    const struct wiz_value *v = wiz_value(w, i);
    return v && v->text && *v->text ? xstrdup(v->text) : NULL;
  }
  return NULL;
}

enum wiz_result wiz_draft_save(struct wizard *w, const char *name, char **out_name)
{
  const struct wiz_form *form = wiz_form(w);
  char stamp[32];
  char *auto_name = NULL;
  if (!name) {
    utc_now(stamp, sizeof(stamp), true);
    auto_name = xasprintf("%s-%s", form->id, stamp);
    name = auto_name;
  }
  if (!wiz_draft_name_valid(name)) {
    free(auto_name);
    return WIZ_E_INVALID;
  }
  char *dir = wiz_drafts_dir();
  if (fs_mkdir_p(dir, 0700) != 0) {
    free(dir);
    free(auto_name);
    return WIZ_E_IO;
  }
  free(dir);
  utc_now(stamp, sizeof(stamp), false);
  size_t step = wiz_step(w);
  const char *step_id = step < form->n_steps ? form->steps[step].id : "review";
  size_t focus = wiz_focus(w);
  json_t *doc =
      json_pack("{s:i, s:s, s:s, s:s, s:s, s:o}", "synwiz_draft", 1, "name", name, "form", form->id,
                "step", step_id, "saved", stamp, "answers", wiz_answers_to_json(w, WIZ_JSON_DRAFT));
  if (focus < form->n_fields)
    json_object_set_new(doc, "focus", json_string(form->fields[focus].id));
  if (wiz_editing(w))
    json_object_set_new(doc, "edit", json_string(wiz_editing(w)));
  char *title = draft_title(w);
  if (title)
    json_object_set_new(doc, "title", json_string(title));
  free(title);
  char *path = draft_path(name);
  enum wiz_result rc = write_json(path, doc);
  free(path);
  json_decref(doc);
  if (rc == WIZ_OK && out_name)
    *out_name = xstrdup(name);
  free(auto_name);
  return rc;
}

static int cmp_saved(const void *a, const void *b)
{
  const struct wiz_draft_info *x = a, *y = b;
  int c = strcmp(y->saved, x->saved);
  return c ? c : strcmp(x->name, y->name);
}

enum wiz_result wiz_draft_list(struct wiz_draft_info **out, size_t *out_n)
{
  *out = NULL;
  *out_n = 0;
  char *dir = wiz_drafts_dir();
  DIR *d = opendir(dir);
  if (!d) {
    free(dir);
    return errno == ENOENT ? WIZ_OK : WIZ_E_IO;
  }
  size_t cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 || e->d_name[0] == '.')
      continue;
    char *path = paths_join(dir, e->d_name);
    json_t *doc = json_load_file(path, 0, NULL);
    free(path);
    const char *form = json_string_value(json_object_get(doc, "form"));
    if (form) {
      *out = xgrow(*out, &cap, *out_n + 1, sizeof(**out));
      struct wiz_draft_info *di = &(*out)[(*out_n)++];
      di->name = xstrndup(e->d_name, len - 5);
      di->form = xstrdup(form);
      const char *step = json_string_value(json_object_get(doc, "step"));
      const char *saved = json_string_value(json_object_get(doc, "saved"));
      di->step = xstrdup(step ? step : "");
      di->saved = xstrdup(saved ? saved : "");
      const char *edits = json_string_value(json_object_get(doc, "edit"));
      di->edit = edits ? xstrdup(edits) : NULL;
      const char *title = json_string_value(json_object_get(doc, "title"));
      di->title = title ? xstrdup(title) : NULL;
    }
    json_decref(doc);
  }
  closedir(d);
  free(dir);
  if (*out_n > 1)
    qsort(*out, *out_n, sizeof(**out), cmp_saved);
  return WIZ_OK;
}

void wiz_draft_list_free(struct wiz_draft_info *list, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    free(list[i].name);
    free(list[i].form);
    free(list[i].step);
    free(list[i].saved);
    free(list[i].edit);
    free(list[i].title);
  }
  free(list);
}

enum wiz_result wiz_draft_read(const char *name, char **out_form, json_t **out_doc)
{
  *out_form = NULL;
  *out_doc = NULL;
  if (!wiz_draft_name_valid(name))
    return WIZ_E_NOT_FOUND;
  char *path = draft_path(name);
  if (!fs_exists(path)) {
    free(path);
    return WIZ_E_NOT_FOUND;
  }
  json_t *doc = json_load_file(path, 0, NULL);
  free(path);
  const char *form = json_string_value(json_object_get(doc, "form"));
  if (!form || !json_is_object(json_object_get(doc, "answers"))) {
    json_decref(doc);
    return WIZ_E_JSON;
  }
  *out_form = xstrdup(form);
  *out_doc = doc;
  return WIZ_OK;
}

enum wiz_result wiz_draft_apply(struct wizard *w, json_t *doc, struct strbuf *errors)
{
  const struct wiz_form *form = wiz_form(w);
  enum wiz_result rc = wiz_apply_answers(w, json_object_get(doc, "answers"), true, errors);
  const char *step = json_string_value(json_object_get(doc, "step"));
  size_t s = form->n_steps;
  for (size_t i = 0; step && i < form->n_steps; i++) {
    if (strcmp(form->steps[i].id, step) == 0)
      s = i;
  }
  if (!step)
    s = 0;
  wiz_set_step(w, s);
  const char *focus = json_string_value(json_object_get(doc, "focus"));
  long f = focus ? wiz_form_field_index(form, focus) : -1;
  if (f >= 0 && wiz_focusable(w, (size_t)f))
    wiz_set_focus(w, (size_t)f);
  return rc;
}

int wiz_draft_remove(const char *name)
{
  if (!wiz_draft_name_valid(name))
    return -1;
  char *path = draft_path(name);
  int rc = unlink(path);
  free(path);
  return rc;
}
