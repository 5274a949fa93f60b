/* The form loader: JSON -> struct wiz_form, refusing anything the schema does not allow. */
#include "wizard/form.h"
#include "wizard/wiz_host.h"
#include "wizard/wiz_kind.h"
#include "util/fsutil.h"
#include "util/safetext.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *wiz_kind_name(enum wiz_kind k)
{
  const struct wiz_kind_ops *ops = wiz_kind_ops(k);
  return ops ? ops->name : "?";
}

static const char *const common_keys[] = { "id",           "kind",    "label",      "help",
                                           "required",     "rules",   "depends_on", "visible_when",
                                           "enabled_when", "comment", NULL };

struct wiz_loader {
  const char *file;
  const struct wiz_decl *decl;
  struct strbuf path;
  struct wiz_form_error *err;
  bool failed;
  struct wiz_form *form;
  size_t cap_fields;
  json_t *all_ids; /* every field id of the file (a pre-pass), to tell "later" from "missing" */
};

static void failf(struct wiz_loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void failf(struct wiz_loader *L, const char *fmt, ...)
{
  if (L->failed)
    return;
  L->failed = true;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if (n < 0)
    buf[0] = '\0';
  L->err->file = xstrdup(L->file);
  L->err->path = xstrdup(L->path.len ? L->path.buf : "(top level)");
  L->err->reason = xstrdup(buf);
}

/* Path handling: push appends ".key" or "[i]", pop restores the length. */
static size_t push_key(struct wiz_loader *L, const char *key)
{
  size_t len = L->path.len;
  if (len)
    strbuf_putc(&L->path, '.');
  strbuf_puts(&L->path, key);
  return len;
}

static size_t push_index(struct wiz_loader *L, size_t i)
{
  size_t len = L->path.len;
  strbuf_printf(&L->path, "[%zu]", i);
  return len;
}

static void pop(struct wiz_loader *L, size_t len)
{
  L->path.len = len;
  L->path.buf[len] = '\0';
}

static bool in_list(const char *const *list, const char *key)
{
  for (size_t i = 0; list && list[i]; i++) {
    if (strcmp(list[i], key) == 0)
      return true;
  }
  return false;
}

/* Refuse any key of `obj` not in one of the lists. */
static void check_keys(struct wiz_loader *L, json_t *obj, const char *const *a,
                       const char *const *b)
{
  const char *key;
  json_t *val;
  json_object_foreach(obj, key, val)
  {
    (void)val;
    if (!in_list(a, key) && !in_list(b, key)) {
      size_t m = push_key(L, key);
      failf(L, "unknown key \"%s\"", key);
      pop(L, m);
      return;
    }
  }
}

/* A string member: required or optional; NULL when absent (or on failure). */
static char *get_str(struct wiz_loader *L, json_t *obj, const char *key, bool required)
{
  json_t *v = json_object_get(obj, key);
  if (!v) {
    if (required)
      failf(L, "missing key \"%s\"", key);
    return NULL;
  }
  if (!json_is_string(v) || (required && json_string_length(v) == 0)) {
    size_t m = push_key(L, key);
    failf(L, "must be a non-empty string");
    pop(L, m);
    return NULL;
  }
  /* Titles, labels and help are drawn on the user's terminal: a control character or a
   * bidirectional override there would drive it or reorder the text. Help may break lines. */
  if (!safetext_is_plain(json_string_value(v), 0, SAFETEXT_NEWLINES)) {
    size_t m = push_key(L, key);
    failf(L, "holds a control character or an invisible formatting character");
    pop(L, m);
    return NULL;
  }
  return xstrdup(json_string_value(v));
}

static bool get_bool(struct wiz_loader *L, json_t *obj, const char *key, bool dflt)
{
  json_t *v = json_object_get(obj, key);
  if (!v)
    return dflt;
  if (!json_is_boolean(v)) {
    size_t m = push_key(L, key);
    failf(L, "must be true or false");
    pop(L, m);
    return dflt;
  }
  return json_is_true(v);
}

static bool valid_id(const char *s)
{
  if (!s || !(*s >= 'a' && *s <= 'z'))
    return false;
  for (; *s; s++) {
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
      return false;
  }
  return true;
}

/* A reference to a field defined earlier; returns its index or (size_t)-1. */
static size_t field_ref(struct wiz_loader *L, const char *id, size_t self)
{
  long i = wiz_form_field_index(L->form, id);
  if (i >= 0 && (size_t)i < self && L->form->fields[i].parent != WIZ_NO_FIELD &&
      L->form->fields[i].parent != L->form->fields[self].parent) {
    failf(L, "\"%s\" belongs to the group \"%s\": only its fellow members may refer to it", id,
          L->form->fields[L->form->fields[i].parent].id);
    return (size_t)-1;
  }
  if (i < 0 || (size_t)i >= self) {
    if (i >= 0 || json_object_get(L->all_ids, id))
      failf(L, "\"%s\" must be defined before the field that refers to it", id);
    else
      failf(L, "no field \"%s\" in this form", id);
    return (size_t)-1;
  }
  return (size_t)i;
}

static size_t *field_refs(struct wiz_loader *L, json_t *arr, const char *key, size_t self,
                          size_t *n)
{
  *n = 0;
  if (!arr)
    return NULL;
  size_t m = push_key(L, key);
  if (!json_is_array(arr)) {
    failf(L, "must be an array of field ids");
    pop(L, m);
    return NULL;
  }
  size_t *out = xcalloc(json_array_size(arr) + 1, sizeof(size_t));
  for (size_t i = 0; i < json_array_size(arr) && !L->failed; i++) {
    size_t mi = push_index(L, i);
    json_t *v = json_array_get(arr, i);
    if (!json_is_string(v))
      failf(L, "must be a field id");
    else
      out[(*n)++] = field_ref(L, json_string_value(v), self);
    pop(L, mi);
  }
  pop(L, m);
  return out;
}

static void parse_cond(struct wiz_loader *L, json_t *c, size_t self, struct wiz_cond *out)
{
  static const char *const keys[] = { "field", "set", "equals", "not_equals", NULL };
  if (!json_is_object(c)) {
    failf(L, "a condition is an object {\"field\": ..., \"set\"|\"equals\"|\"not_equals\": ...}");
    return;
  }
  check_keys(L, c, keys, NULL);
  char *field = get_str(L, c, "field", true);
  if (L->failed) {
    free(field);
    return;
  }
  size_t m = push_key(L, "field");
  out->field = field_ref(L, field, self);
  pop(L, m);
  free(field);
  json_t *set = json_object_get(c, "set"), *eq = json_object_get(c, "equals"),
         *ne = json_object_get(c, "not_equals");
  int count = (set != NULL) + (eq != NULL) + (ne != NULL);
  if (count != 1) {
    failf(L, "a condition needs exactly one of \"set\", \"equals\", \"not_equals\"");
    return;
  }
  if (set) {
    if (!json_is_boolean(set))
      failf(L, "\"set\" must be true or false");
    out->op = json_is_true(set) ? WIZ_COND_SET : WIZ_COND_UNSET;
    return;
  }
  json_t *v = eq ? eq : ne;
  out->op = eq ? WIZ_COND_EQUALS : WIZ_COND_NOT_EQUALS;
  if (json_is_string(v))
    out->value = xstrdup(json_string_value(v));
  else if (json_is_boolean(v))
    out->value = xstrdup(json_is_true(v) ? "true" : "false");
  else
    failf(L, "the value compared must be a string or a boolean");
}

static struct wiz_cond *parse_conds(struct wiz_loader *L, json_t *obj, const char *key, size_t self,
                                    size_t *n)
{
  *n = 0;
  json_t *v = json_object_get(obj, key);
  if (!v)
    return NULL;
  size_t m = push_key(L, key);
  size_t count = json_is_array(v) ? json_array_size(v) : 1;
  struct wiz_cond *out = xcalloc(count + 1, sizeof(*out));
  if (json_is_array(v)) {
    for (size_t i = 0; i < count && !L->failed; i++) {
      size_t mi = push_index(L, i);
      parse_cond(L, json_array_get(v, i), self, &out[(*n)++]);
      pop(L, mi);
    }
  } else {
    parse_cond(L, v, self, &out[(*n)++]);
  }
  pop(L, m);
  return out;
}

static void parse_rules(struct wiz_loader *L, json_t *obj, struct wiz_field *f)
{
  json_t *arr = json_object_get(obj, "rules");
  if (!arr)
    return;
  size_t m = push_key(L, "rules");
  if (!json_is_array(arr)) {
    failf(L, "must be an array of rule names");
    pop(L, m);
    return;
  }
  f->rules = xcalloc(json_array_size(arr) + 1, sizeof(*f->rules));
  for (size_t i = 0; i < json_array_size(arr) && !L->failed; i++) {
    size_t mi = push_index(L, i);
    json_t *v = json_array_get(arr, i);
    const char *name = json_string_value(v);
    if (!name) {
      failf(L, "must be a rule name");
    } else if (wiz_rule_find(name)) {
      f->rules[f->n_rules++].rule = wiz_rule_find(name);
    } else if (L->decl && wiz_decl_has(L->decl->rules, name)) {
      f->rules[f->n_rules++].host_rule = xstrdup(name);
    } else {
      failf(L, "unknown rule \"%s\" (neither in rules.c nor declared by the host)", name);
    }
    pop(L, mi);
  }
  pop(L, m);
}

static char *declared(struct wiz_loader *L, json_t *obj, const char *key, const char *const *names,
                      const char *what, bool required)
{
  char *s = get_str(L, obj, key, required);
  if (s && L->decl && !wiz_decl_has(names, s)) {
    size_t m = push_key(L, key);
    failf(L, "unknown %s \"%s\" (the host does not declare it)", what, s);
    pop(L, m);
  }
  return s;
}

/* ---------- the loader's helpers for the kinds' parse ops (wiz_kind.h) ---------- */

void wiz_loader_fail(struct wiz_loader *L, const char *fmt, ...)
{
  if (L->failed)
    return;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  failf(L, "%s", n >= 0 ? buf : "");
}

bool wiz_loader_failed(const struct wiz_loader *L)
{
  return L->failed;
}

size_t wiz_loader_push(struct wiz_loader *L, const char *key)
{
  return push_key(L, key);
}

size_t wiz_loader_push_index(struct wiz_loader *L, size_t i)
{
  return push_index(L, i);
}

void wiz_loader_pop(struct wiz_loader *L, size_t len)
{
  pop(L, len);
}

void wiz_loader_check_keys(struct wiz_loader *L, json_t *obj, const char *const *keys)
{
  check_keys(L, obj, keys, NULL);
}

char *wiz_loader_str(struct wiz_loader *L, json_t *obj, const char *key, bool required)
{
  return get_str(L, obj, key, required);
}

char *wiz_loader_source(struct wiz_loader *L, json_t *obj, const char *key, bool required)
{
  return declared(L, obj, key, L->decl ? L->decl->sources : NULL, "source", required);
}

size_t wiz_loader_ref(struct wiz_loader *L, const char *id, size_t self)
{
  return field_ref(L, id, self);
}

struct wiz_form *wiz_loader_form(struct wiz_loader *L)
{
  return L->form;
}

void wiz_loader_default_text(struct wiz_loader *L, json_t *obj, struct wiz_field *f)
{
  json_t *d = json_object_get(obj, "default");
  if (!d)
    return;
  size_t m = push_key(L, "default");
  if (!json_is_string(d))
    failf(L, "must be a string");
  else
    f->default_text = xstrdup(json_string_value(d));
  pop(L, m);
}

static void parse_field(struct wiz_loader *L, json_t *obj, size_t step, size_t parent)
{
  if (!json_is_object(obj)) {
    failf(L, "a field is an object");
    return;
  }
  struct wiz_form *F = L->form;
  size_t self = F->n_fields;
  F->fields = xgrow(F->fields, &L->cap_fields, F->n_fields + 1, sizeof(*F->fields));
  struct wiz_field *f = &F->fields[F->n_fields++];
  memset(f, 0, sizeof(*f));
  f->default_bool = -1;
  f->step = step;
  f->parent = parent;
  f->from_field = WIZ_NO_FIELD;
  f->id = get_str(L, obj, "id", true);
  if (L->failed)
    return;
  if (!valid_id(f->id)) {
    size_t m = push_key(L, "id");
    failf(L, "\"%s\": a field id is lower-case letters, digits and _, starting with a letter",
          f->id);
    pop(L, m);
    return;
  }
  for (size_t i = 0; i < self; i++) {
    if (strcmp(F->fields[i].id, f->id) == 0) {
      size_t m = push_key(L, "id");
      failf(L, "duplicate field id \"%s\"", f->id);
      pop(L, m);
      return;
    }
  }
  char *kind = get_str(L, obj, "kind", true);
  if (L->failed) {
    free(kind);
    return;
  }
  int k = wiz_kind_find(kind);
  if (k < 0) {
    size_t m = push_key(L, "kind");
    failf(L, "unknown field kind \"%s\"", kind);
    pop(L, m);
    free(kind);
    return;
  }
  free(kind);
  f->kind = (enum wiz_kind)k;
  const struct wiz_kind_ops *ops = wiz_kind_ops(f->kind);
  check_keys(L, obj, common_keys, ops->keys);
  f->label = get_str(L, obj, "label", !(ops->flags & WIZ_KF_NO_LABEL));
  f->help = get_str(L, obj, "help", false);
  f->required = get_bool(L, obj, "required", false);
  parse_rules(L, obj, f);
  f->visible_when = parse_conds(L, obj, "visible_when", self, &f->n_visible_when);
  f->enabled_when = parse_conds(L, obj, "enabled_when", self, &f->n_enabled_when);
  size_t n_dep = 0, n_args = 0;
  size_t *dep = field_refs(L, json_object_get(obj, "depends_on"), "depends_on", self, &n_dep);
  f->source_args = field_refs(L, json_object_get(obj, "source_args"), "source_args", self, &n_args);
  f->n_source_args = n_args;
  /* A source's arguments are dependencies too: another subscription clears the workspace.
   * A group's member depends on its group: the group's entries come and go with it. */
  bool member = parent != WIZ_NO_FIELD;
  f->depends_on = xcalloc(n_dep + n_args + 2, sizeof(size_t));
  for (size_t i = 0; i < n_dep; i++)
    f->depends_on[f->n_depends_on++] = dep[i];
  for (size_t i = 0; i < n_args; i++)
    f->depends_on[f->n_depends_on++] = f->source_args[i];
  if (member)
    f->depends_on[f->n_depends_on++] = parent;
  free(dep);
  if (L->failed)
    return;
  if (ops->parse)
    ops->parse(L, obj, f, self);
  json_t *dv = json_object_get(obj, "default_value");
  if (dv && !L->failed)
    f->default_value =
        declared(L, obj, "default_value", L->decl ? L->decl->values : NULL, "value", false);
}

void wiz_loader_field(struct wiz_loader *L, json_t *obj, size_t step, size_t parent)
{
  parse_field(L, obj, step, parent);
}

static void parse_step(struct wiz_loader *L, json_t *obj, size_t index)
{
  static const char *const keys[] = { "id", "title", "help", "fields", "comment", NULL };
  if (!json_is_object(obj)) {
    failf(L, "a step is an object");
    return;
  }
  check_keys(L, obj, keys, NULL);
  struct wiz_step *s = &L->form->steps[index];
  s->id = get_str(L, obj, "id", true);
  s->title = get_str(L, obj, "title", true);
  s->help = get_str(L, obj, "help", false);
  if (L->failed)
    return;
  if (!valid_id(s->id)) {
    failf(L, "\"%s\": a step id is lower-case letters, digits and _", s->id);
    return;
  }
  for (size_t i = 0; i < index; i++) {
    if (strcmp(L->form->steps[i].id, s->id) == 0) {
      failf(L, "duplicate step id \"%s\"", s->id);
      return;
    }
  }
  json_t *fields = json_object_get(obj, "fields");
  if (!json_is_array(fields) || json_array_size(fields) == 0) {
    failf(L, "a step needs \"fields\": a non-empty array");
    return;
  }
  size_t m = push_key(L, "fields");
  s->fields = xcalloc(json_array_size(fields), sizeof(size_t));
  for (size_t i = 0; i < json_array_size(fields) && !L->failed; i++) {
    size_t mi = push_index(L, i);
    size_t at = L->form->n_fields; /* a group adds its members after itself */
    parse_field(L, json_array_get(fields, i), index, WIZ_NO_FIELD);
    s->fields[s->n_fields++] = at;
    pop(L, mi);
  }
  pop(L, m);
}

static void parse_action_obj(struct wiz_loader *L, json_t *obj, char **action, char **label,
                             bool *finishes)
{
  static const char *const keys[] = { "action", "label", "finishes", "comment", NULL };
  if (!json_is_object(obj)) {
    failf(L, "must be an object {\"action\", \"label\"}");
    return;
  }
  check_keys(L, obj, keys, NULL);
  *action = declared(L, obj, "action", L->decl ? L->decl->actions : NULL, "action", true);
  *label = get_str(L, obj, "label", true);
  json_t *f = json_object_get(obj, "finishes");
  if (f && (!finishes || !json_is_boolean(f)))
    failf(L, finishes ? "\"finishes\" is true or false" : "\"finishes\" is for \"actions\"");
  else if (finishes)
    *finishes = json_is_true(f);
}

static void parse_form(struct wiz_loader *L, json_t *root)
{
  static const char *const keys[] = { "id",      "title", "summary", "review", "finish",
                                      "actions", "steps", "comment", NULL };
  if (!json_is_object(root)) {
    failf(L, "a form is a JSON object");
    return;
  }
  check_keys(L, root, keys, NULL);
  struct wiz_form *F = L->form;
  F->id = get_str(L, root, "id", true);
  F->title = get_str(L, root, "title", true);
  F->summary = get_str(L, root, "summary", false);
  if (F->id && !valid_id(F->id))
    failf(L, "\"%s\": a form id is lower-case letters, digits and _", F->id);
  json_t *review = json_object_get(root, "review");
  if (review) {
    static const char *const rkeys[] = { "title", "help", "comment", NULL };
    size_t m = push_key(L, "review");
    if (!json_is_object(review)) {
      failf(L, "must be an object {\"title\", \"help\"}");
    } else {
      check_keys(L, review, rkeys, NULL);
      F->review_title = get_str(L, review, "title", false);
      F->review_help = get_str(L, review, "help", false);
    }
    pop(L, m);
  }
  if (!F->review_title)
    F->review_title = xstrdup("Review");
  json_t *finish = json_object_get(root, "finish");
  if (!finish) {
    failf(L, "missing key \"finish\"");
  } else {
    size_t m = push_key(L, "finish");
    parse_action_obj(L, finish, &F->finish_action, &F->finish_label, NULL);
    pop(L, m);
  }
  json_t *actions = json_object_get(root, "actions");
  if (actions && !L->failed) {
    size_t m = push_key(L, "actions");
    if (!json_is_array(actions)) {
      failf(L, "must be an array");
    } else {
      F->actions = xcalloc(json_array_size(actions) + 1, sizeof(*F->actions));
      for (size_t i = 0; i < json_array_size(actions) && !L->failed; i++) {
        size_t mi = push_index(L, i);
        struct wiz_form_action *a = &F->actions[F->n_actions++];
        parse_action_obj(L, json_array_get(actions, i), &a->action, &a->label, &a->finishes);
        pop(L, mi);
      }
    }
    pop(L, m);
  }
  json_t *steps = json_object_get(root, "steps");
  if (L->failed)
    return;
  for (size_t i = 0; i < json_array_size(steps); i++) {
    json_t *fields = json_object_get(json_array_get(steps, i), "fields");
    for (size_t j = 0; j < json_array_size(fields); j++) {
      const char *id = json_string_value(json_object_get(json_array_get(fields, j), "id"));
      if (id)
        json_object_set_new(L->all_ids, id, json_true());
    }
  }
  if (!json_is_array(steps) || json_array_size(steps) == 0) {
    failf(L, "a form needs \"steps\": a non-empty array");
    return;
  }
  size_t m = push_key(L, "steps");
  F->steps = xcalloc(json_array_size(steps), sizeof(*F->steps));
  for (size_t i = 0; i < json_array_size(steps) && !L->failed; i++) {
    size_t mi = push_index(L, i);
    F->n_steps++;
    parse_step(L, json_array_get(steps, i), i);
    pop(L, mi);
  }
  pop(L, m);
}

static enum wiz_result finish_load(struct wiz_loader *L, json_t *root, struct wiz_form **out_form)
{
  L->form = xcalloc(1, sizeof(struct wiz_form));
  L->form->path = xstrdup(L->file);
  L->all_ids = json_object();
  parse_form(L, root);
  json_decref(L->all_ids);
  json_decref(root);
  strbuf_done(&L->path);
  if (L->failed) {
    wiz_form_delete(L->form);
    return WIZ_E_SCHEMA;
  }
  *out_form = L->form;
  return WIZ_OK;
}

static enum wiz_result json_failed(const char *file, const json_error_t *je,
                                   struct wiz_form_error *err)
{
  err->file = xstrdup(file);
  err->path = xasprintf("line %d, column %d", je->line, je->column);
  err->reason = xstrdup(je->text);
  return WIZ_E_JSON;
}

enum wiz_result wiz_form_parse(const char *file, const char *text, const struct wiz_decl *decl,
                               struct wiz_form **out_form, struct wiz_form_error *err)
{
  memset(err, 0, sizeof(*err));
  *out_form = NULL;
  json_error_t je;
  json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
  if (!root)
    return json_failed(file, &je, err);
  struct wiz_loader L = { .file = file, .decl = decl, .err = err };
  strbuf_init(&L.path, 0);
  return finish_load(&L, root, out_form);
}

enum wiz_result wiz_form_load(const char *file, const struct wiz_decl *decl,
                              struct wiz_form **out_form, struct wiz_form_error *err)
{
  memset(err, 0, sizeof(*err));
  *out_form = NULL;
  char *text = NULL;
  if (fs_read_all(file, &text, NULL, 4u << 20) != 0) {
    err->file = xstrdup(file);
    err->path = xstrdup("(file)");
    err->reason = xstrdup(strerror(errno));
    return WIZ_E_IO;
  }
  enum wiz_result rc = wiz_form_parse(file, text, decl, out_form, err);
  free(text);
  return rc;
}

static void field_done(struct wiz_field *f)
{
  const struct wiz_kind_ops *ops = f->id ? wiz_kind_ops(f->kind) : NULL;
  if (ops && ops->field_done)
    ops->field_done(f);
  free(f->id);
  free(f->label);
  free(f->help);
  free(f->placeholder);
  free(f->text);
  free(f->style);
  free(f->env_hint);
  for (size_t i = 0; i < f->n_options; i++) {
    free(f->options[i].id);
    free(f->options[i].label);
    free(f->options[i].help);
  }
  free(f->options);
  free(f->source);
  free(f->columns_source);
  free(f->source_args);
  free(f->create_label);
  free(f->depends_on);
  for (size_t i = 0; i < f->n_visible_when; i++)
    free(f->visible_when[i].value);
  free(f->visible_when);
  for (size_t i = 0; i < f->n_enabled_when; i++)
    free(f->enabled_when[i].value);
  free(f->enabled_when);
  for (size_t i = 0; i < f->n_rules; i++)
    free(f->rules[i].host_rule);
  free(f->rules);
  free(f->default_text);
  free(f->default_value);
  free(f->from_attr);
}

void wiz_form_delete(struct wiz_form *form)
{
  if (!form)
    return;
  for (size_t i = 0; i < form->n_fields; i++)
    field_done(&form->fields[i]);
  free(form->fields);
  for (size_t i = 0; i < form->n_steps; i++) {
    free(form->steps[i].id);
    free(form->steps[i].title);
    free(form->steps[i].help);
    free(form->steps[i].fields);
  }
  free(form->steps);
  for (size_t i = 0; i < form->n_actions; i++) {
    free(form->actions[i].action);
    free(form->actions[i].label);
  }
  free(form->actions);
  free(form->path);
  free(form->id);
  free(form->title);
  free(form->summary);
  free(form->review_title);
  free(form->review_help);
  free(form->finish_action);
  free(form->finish_label);
  free(form);
}

void wiz_form_error_done(struct wiz_form_error *err)
{
  free(err->file);
  free(err->path);
  free(err->reason);
  memset(err, 0, sizeof(*err));
}

char *wiz_form_error_text(const struct wiz_form_error *err)
{
  return xasprintf("%s: %s: %s", err->file ? err->file : "?", err->path ? err->path : "?",
                   err->reason ? err->reason : "?");
}

long wiz_form_field_index(const struct wiz_form *form, const char *id)
{
  for (size_t i = 0; i < form->n_fields; i++) {
    if (form->fields[i].id && strcmp(form->fields[i].id, id) == 0)
      return (long)i;
  }
  return -1;
}
