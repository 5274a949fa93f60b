/* The wizard engine: values, dependencies, validity, navigation, loads and actions. */
#include "wizard/wizard.h"
#include "wizard/wiz_kind.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct wiz_load {
  struct wizard *w;
  size_t field;
  enum wiz_src which;
  char *source;
  void *data;
};

struct wiz_job {
  struct wizard *w;
  char *action;
  void *data;
};

struct source {
  enum wiz_load_state state;
  struct wiz_list items;
  char *error;
  char *hint;
  enum wiz_outcome outcome; /* of a failed load */
  struct wiz_load *load;    /* in flight, or NULL */
};

struct fstate {
  struct wiz_value v;
  bool touched;
  char *answer_error;
  char *pending_pick;
  bool pending_default; /* the pick is the form's default, not an answer: see resolve_pending */
  char **pending_multi;
  size_t n_pending_multi;
  struct source src[2];
  struct strbuf msg; /* the last check's message */
  void *kind_state;  /* what the kind keeps beside the value (a group's entries) */
};

struct wizard {
  const struct wiz_form *form;
  struct wiz_host *host;
  struct fstate *fs;
  size_t step;
  size_t focus;
  char *status;
  bool unattended;
  char *editing; /* the saved thing's name in edit mode, or NULL */
  struct wiz_job *job;
  enum wiz_job_state job_state;
  char *job_label;
  bool job_is_finish;
  struct wiz_progress progress;
  char *progress_status;
  struct wiz_report *report;
  bool finished;
};

static void changed(struct wizard *w, size_t field);

/* ---------- small helpers ---------- */

static const struct wiz_field *F(const struct wizard *w, size_t i)
{
  return &w->form->fields[i];
}

const struct wiz_form *wiz_form(const struct wizard *w)
{
  return w->form;
}

struct wiz_host *wiz_get_host(const struct wizard *w)
{
  return w->host;
}

static bool has_host(const struct wizard *w)
{
  return w->host && w->host->ops;
}

/* The text a condition compares: option id, text, item id, "true"/"false". */
static const char *cond_text(const struct wizard *w, size_t field)
{
  const struct wiz_value *v = &w->fs[field].v;
  switch (v->type) {
  case WIZ_V_TEXT:
  case WIZ_V_SECRET:
    return v->text;
  case WIZ_V_BOOL:
    return v->b ? "true" : "false";
  case WIZ_V_ITEM:
    return v->item.id;
  default:
    return NULL;
  }
}

bool wiz_is_set(const struct wizard *w, size_t field)
{
  const struct wiz_value *v = &w->fs[field].v;
  if (v->type == WIZ_V_BOOL)
    return v->b; /* a checkbox is "set" when ticked */
  return wiz_value_is_set(v);
}

static bool conds_hold(const struct wizard *w, const struct wiz_cond *c, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    const char *t = cond_text(w, c[i].field);
    bool ok = true;
    switch (c[i].op) {
    case WIZ_COND_SET:
      ok = wiz_is_set(w, c[i].field);
      break;
    case WIZ_COND_UNSET:
      ok = !wiz_is_set(w, c[i].field);
      break;
    case WIZ_COND_EQUALS:
      ok = t && strcmp(t, c[i].value) == 0;
      break;
    case WIZ_COND_NOT_EQUALS:
      ok = !t || strcmp(t, c[i].value) != 0;
      break;
    }
    if (!ok)
      return false;
  }
  return true;
}

bool wiz_visible(const struct wizard *w, size_t field)
{
  const struct wiz_field *f = F(w, field);
  if (!conds_hold(w, f->visible_when, f->n_visible_when))
    return false;
  /* A field whose condition names a hidden field is hidden too. */
  for (size_t i = 0; i < f->n_visible_when; i++) {
    if (!wiz_visible(w, f->visible_when[i].field))
      return false;
  }
  return true;
}

bool wiz_enabled(const struct wizard *w, size_t field)
{
  const struct wiz_field *f = F(w, field);
  if (!conds_hold(w, f->enabled_when, f->n_enabled_when))
    return false;
  for (size_t i = 0; i < f->n_source_args; i++) {
    if (!wiz_is_set(w, f->source_args[i]) && wiz_visible(w, f->source_args[i]))
      return false;
  }
  return true;
}

const char *wiz_disabled_reason(struct wizard *w, size_t field)
{
  const struct wiz_field *f = F(w, field);
  struct strbuf *m = &w->fs[field].msg;
  for (size_t i = 0; i < f->n_source_args; i++) {
    size_t a = f->source_args[i];
    if (!wiz_is_set(w, a) && wiz_visible(w, a)) {
      strbuf_reset(m);
      const char *name = F(w, a)->label ? F(w, a)->label : F(w, a)->id;
      /* "an Azure ML subscription", "a Subscription": the labels' first letters decide. */
      bool vowel = name[0] && strchr("AEIOUaeiou", name[0]) != NULL;
      strbuf_printf(m, "Choose %s %s first.", vowel ? "an" : "a", name);
      return m->buf;
    }
  }
  if (!conds_hold(w, f->enabled_when, f->n_enabled_when)) {
    strbuf_reset(m);
    const struct wiz_field *g = F(w, f->enabled_when[0].field);
    strbuf_printf(m, "Depends on %s.", g->label ? g->label : g->id);
    return m->buf;
  }
  return NULL;
}

bool wiz_focusable(const struct wizard *w, size_t field)
{
  return !(wiz_field_ops(F(w, field))->flags & WIZ_KF_INERT) && wiz_visible(w, field);
}

const struct wiz_value *wiz_value(const struct wizard *w, size_t field)
{
  return &w->fs[field].v;
}

char *wiz_value_display(const struct wiz_value *v)
{
  switch (v->type) {
  case WIZ_V_NONE:
    return xstrdup("");
  case WIZ_V_TEXT:
    return xstrdup(v->text ? v->text : "");
  case WIZ_V_SECRET:
    if (v->env)
      return xasprintf("******** (from $%s)", v->env);
    return xstrdup(v->text && *v->text ? "********" : "");
  case WIZ_V_BOOL:
    return xstrdup(v->b ? "Yes" : "No");
  case WIZ_V_ITEM:
    return v->item.is_new ? xasprintf("%s (new)", v->item.label) : xstrdup(v->item.label);
  case WIZ_V_LIST: {
    struct strbuf sb;
    strbuf_init(&sb, 0);
    for (size_t i = 0; i < v->n_list; i++)
      strbuf_printf(&sb, "%s%s", i ? ", " : "", v->list[i].label);
    char *out = strbuf_detach(&sb, NULL);
    strbuf_done(&sb); /* detach leaves a fresh buffer behind */
    return out;
  }
  case WIZ_V_MAP:
    return xasprintf("%zu attributes mapped", v->n_pairs);
  case WIZ_V_GROUP:
    return xasprintf("%zu entries", v->n_list);
  }
  return xstrdup("");
}

char *wiz_display(const struct wizard *w, size_t field)
{
  const struct wiz_kind_ops *ops = wiz_field_ops(F(w, field));
  if (ops->display)
    return ops->display(w, field);
  return wiz_value_display(&w->fs[field].v);
}

/* ---------- lifecycle ---------- */

static void source_reset(struct wizard *w, struct source *s)
{
  if (s->load) {
    struct wiz_load *l = s->load;
    s->load = NULL;
    if (has_host(w) && w->host->ops->cancel_load)
      w->host->ops->cancel_load(w->host->ctx, l);
    free(l->source);
    free(l);
  }
  wiz_list_done(&s->items);
  free(s->error);
  free(s->hint);
  s->error = s->hint = NULL;
  s->state = WIZ_LOAD_IDLE;
}

static void pending_done(struct fstate *fs)
{
  free(fs->pending_pick);
  fs->pending_pick = NULL;
  for (size_t i = 0; i < fs->n_pending_multi; i++)
    free(fs->pending_multi[i]);
  free(fs->pending_multi);
  fs->pending_multi = NULL;
  fs->n_pending_multi = 0;
}

static void apply_default(struct wizard *w, size_t i)
{
  const struct wiz_kind_ops *ops = wiz_field_ops(F(w, i));
  if (ops->init)
    ops->init(w, i);
}

static void kind_reset(struct wizard *w, size_t i)
{
  const struct wiz_kind_ops *ops = wiz_field_ops(F(w, i));
  if (ops->reset)
    ops->reset(w, i);
}

struct wizard *wiz_new(const struct wiz_form *form, struct wiz_host *host)
{
  struct wizard *w = xcalloc(1, sizeof(*w));
  w->form = form;
  w->host = host;
  w->fs = xcalloc(form->n_fields ? form->n_fields : 1, sizeof(*w->fs));
  for (size_t i = 0; i < form->n_fields; i++) {
    strbuf_init(&w->fs[i].msg, 0);
    apply_default(w, i);
  }
  w->focus = (size_t)-1;
  wiz_set_step(w, 0);
  return w;
}

void wiz_delete(struct wizard *w)
{
  if (!w)
    return;
  if (w->job) {
    /* The host must forget the job: ask it to stop, then drop our side. */
    if (has_host(w) && w->host->ops->cancel_action)
      w->host->ops->cancel_action(w->host->ctx, w->job);
    if (w->job) {
      free(w->job->action);
      free(w->job);
    }
  }
  for (size_t i = 0; i < w->form->n_fields; i++)
    kind_reset(w, i); /* a group's entries first: they hold loads of its members */
  for (size_t i = 0; i < w->form->n_fields; i++) {
    struct fstate *fs = &w->fs[i];
    source_reset(w, &fs->src[0]);
    source_reset(w, &fs->src[1]);
    wiz_value_clear(&fs->v);
    free(fs->answer_error);
    pending_done(fs);
    strbuf_done(&fs->msg);
  }
  free(w->fs);
  free(w->status);
  free(w->editing);
  free(w->job_label);
  free(w->progress_status);
  wiz_report_delete(w->report);
  free(w);
}

/* ---------- edits ---------- */

/* Clear every field that depends (transitively) on `field`; dependencies point backwards. */
static void changed(struct wizard *w, size_t field)
{
  size_t n = w->form->n_fields;
  bool *dirty = xcalloc(n, sizeof(bool));
  dirty[field] = true;
  for (size_t i = field + 1; i < n; i++) {
    const struct wiz_field *f = F(w, i);
    for (size_t d = 0; d < f->n_depends_on && !dirty[i]; d++)
      dirty[i] = dirty[f->depends_on[d]];
    if (!dirty[i])
      continue;
    struct fstate *fs = &w->fs[i];
    kind_reset(w, i);
    wiz_value_clear(&fs->v);
    pending_done(fs);
    free(fs->answer_error);
    fs->answer_error = NULL;
    fs->touched = false;
    source_reset(w, &fs->src[0]);
    source_reset(w, &fs->src[1]);
    apply_default(w, i);
  }
  free(dirty);
  free(w->fs[field].answer_error);
  w->fs[field].answer_error = NULL;
}

static enum wiz_result begin_edit(struct wizard *w, size_t field)
{
  if (field >= w->form->n_fields)
    return WIZ_E_NOT_FOUND;
  if (!wiz_enabled(w, field))
    return WIZ_E_STATE;
  return WIZ_OK;
}

enum wiz_result wiz_set_text(struct wizard *w, size_t field, const char *text)
{
  enum wiz_result rc = begin_edit(w, field);
  if (rc != WIZ_OK)
    return rc;
  const struct wiz_field *f = F(w, field);
  if (!(wiz_field_ops(f)->flags & WIZ_KF_TEXT))
    return WIZ_E_STATE;
  struct wiz_value *v = &w->fs[field].v;
  const char *old = v->text ? v->text : "";
  bool same = strcmp(old, text ? text : "") == 0 && !v->env;
  wiz_value_clear(v);
  v->type = wiz_field_ops(f)->flags & WIZ_KF_SECRET ? WIZ_V_SECRET : WIZ_V_TEXT;
  v->text = xstrdup(text ? text : "");
  if (!same)
    changed(w, field);
  return WIZ_OK;
}

enum wiz_result wiz_set_secret(struct wizard *w, size_t field, const char *secret, const char *env)
{
  if (!(wiz_field_ops(F(w, field))->flags & WIZ_KF_SECRET))
    return WIZ_E_STATE;
  enum wiz_result rc = wiz_set_text(w, field, secret);
  if (rc == WIZ_OK && env)
    w->fs[field].v.env = xstrdup(env);
  return rc;
}

void wiz_set_answer_error(struct wizard *w, size_t field, const char *message)
{
  free(w->fs[field].answer_error);
  w->fs[field].answer_error = message ? xstrdup(message) : NULL;
  w->fs[field].touched = true;
}

enum wiz_result wiz_set_bool(struct wizard *w, size_t field, bool b)
{
  enum wiz_result rc = begin_edit(w, field);
  if (rc != WIZ_OK)
    return rc;
  struct wiz_value *v = &w->fs[field].v;
  bool same = v->type == WIZ_V_BOOL && v->b == b;
  wiz_value_clear(v);
  v->type = WIZ_V_BOOL;
  v->b = b;
  w->fs[field].touched = true;
  if (!same)
    changed(w, field);
  return WIZ_OK;
}

enum wiz_result wiz_set_choice(struct wizard *w, size_t field, const char *option_id)
{
  enum wiz_result rc = begin_edit(w, field);
  if (rc != WIZ_OK)
    return rc;
  const struct wiz_field *f = F(w, field);
  for (size_t i = 0; i < f->n_options; i++) {
    if (strcmp(f->options[i].id, option_id) == 0) {
      struct wiz_value *v = &w->fs[field].v;
      bool same = v->text && strcmp(v->text, option_id) == 0;
      wiz_value_clear(v);
      v->type = WIZ_V_TEXT;
      v->text = xstrdup(option_id);
      if (!same)
        changed(w, field);
      return WIZ_OK;
    }
  }
  return WIZ_E_NOT_FOUND;
}

void wiz_set_item(struct wizard *w, size_t field, const struct wiz_item *item)
{
  struct wiz_value *v = &w->fs[field].v;
  bool same = v->type == WIZ_V_ITEM && v->item.id && strcmp(v->item.id, item->id) == 0 &&
              v->item.is_new == item->is_new;
  wiz_value_clear(v);
  v->type = WIZ_V_ITEM;
  wiz_item_copy(&v->item, item);
  free(w->fs[field].pending_pick);
  w->fs[field].pending_pick = NULL;
  w->fs[field].touched = true;
  if (!same)
    changed(w, field);
  else {
    free(w->fs[field].answer_error);
    w->fs[field].answer_error = NULL;
  }
}

enum wiz_result wiz_pick(struct wizard *w, size_t field, size_t index, const char **out_reason)
{
  enum wiz_result rc = begin_edit(w, field);
  if (rc != WIZ_OK)
    return rc;
  const struct wiz_list *items = &w->fs[field].src[WIZ_SRC_ITEMS].items;
  if (index >= items->n)
    return WIZ_E_NOT_FOUND;
  const struct wiz_item *it = &items->items[index];
  if (it->invalid_reason) {
    if (out_reason)
      *out_reason = it->invalid_reason;
    return WIZ_E_INVALID;
  }
  wiz_set_item(w, field, it);
  return WIZ_OK;
}

enum wiz_result wiz_pick_new(struct wizard *w, size_t field, const char *name, const char **out_msg)
{
  enum wiz_result rc = begin_edit(w, field);
  if (rc != WIZ_OK)
    return rc;
  const struct wiz_field *f = F(w, field);
  if (!f->create_new)
    return WIZ_E_STATE;
  const char *msg = NULL;
  if (!name || !*name) {
    if (out_msg)
      *out_msg = "Type the new name.";
    return WIZ_E_INVALID;
  }
  if (f->create_rule && wiz_rule_check(f->create_rule, name, &msg) == WIZ_CHECK_ERROR) {
    if (out_msg)
      *out_msg = msg;
    return WIZ_E_INVALID;
  }
  struct wiz_item it = { 0 };
  wiz_item_set(&it, name, name, NULL, NULL);
  it.is_new = true;
  wiz_set_item(w, field, &it);
  wiz_item_done(&it);
  return WIZ_OK;
}

bool wiz_multi_has(const struct wizard *w, size_t field, const char *item_id)
{
  const struct wiz_value *v = &w->fs[field].v;
  for (size_t i = 0; v->type == WIZ_V_LIST && i < v->n_list; i++) {
    if (strcmp(v->list[i].id, item_id) == 0)
      return true;
  }
  return false;
}

static void multi_add(struct wiz_value *v, const struct wiz_item *it)
{
  v->type = WIZ_V_LIST;
  v->list = xrealloc(v->list, (v->n_list + 1) * sizeof(*v->list));
  memset(&v->list[v->n_list], 0, sizeof(v->list[0]));
  wiz_item_copy(&v->list[v->n_list], it);
  v->n_list++;
}

static void multi_remove(struct wiz_value *v, const char *id)
{
  for (size_t i = 0; i < v->n_list; i++) {
    if (strcmp(v->list[i].id, id) == 0) {
      wiz_item_done(&v->list[i]);
      memmove(&v->list[i], &v->list[i + 1], (v->n_list - i - 1) * sizeof(v->list[0]));
      v->n_list--;
      return;
    }
  }
}

enum wiz_result wiz_multi_toggle(struct wizard *w, size_t field, size_t index)
{
  enum wiz_result rc = begin_edit(w, field);
  if (rc != WIZ_OK)
    return rc;
  const struct wiz_list *items = &w->fs[field].src[WIZ_SRC_ITEMS].items;
  if (index >= items->n)
    return WIZ_E_NOT_FOUND;
  const struct wiz_item *it = &items->items[index];
  struct wiz_value *v = &w->fs[field].v;
  if (wiz_multi_has(w, field, it->id)) {
    multi_remove(v, it->id);
  } else {
    if (it->invalid_reason)
      return WIZ_E_INVALID;
    multi_add(v, it);
  }
  w->fs[field].touched = true;
  changed(w, field);
  return WIZ_OK;
}

enum wiz_result wiz_multi_all(struct wizard *w, size_t field, bool on)
{
  enum wiz_result rc = begin_edit(w, field);
  if (rc != WIZ_OK)
    return rc;
  const struct wiz_list *items = &w->fs[field].src[WIZ_SRC_ITEMS].items;
  struct wiz_value *v = &w->fs[field].v;
  wiz_value_clear(v);
  v->type = WIZ_V_LIST;
  for (size_t i = 0; on && i < items->n; i++) {
    if (!items->items[i].invalid_reason)
      multi_add(v, &items->items[i]);
  }
  w->fs[field].touched = true;
  changed(w, field);
  return WIZ_OK;
}

const char *wiz_map_get(const struct wizard *w, size_t field, const char *attr)
{
  const struct wiz_value *v = &w->fs[field].v;
  for (size_t i = 0; v->type == WIZ_V_MAP && i < v->n_pairs; i++) {
    if (strcmp(v->pairs[i].key, attr) == 0)
      return v->pairs[i].value;
  }
  return NULL;
}

enum wiz_result wiz_map_set(struct wizard *w, size_t field, const char *attr, const char *column)
{
  enum wiz_result rc = begin_edit(w, field);
  if (rc != WIZ_OK)
    return rc;
  struct wiz_value *v = &w->fs[field].v;
  if (v->type != WIZ_V_MAP) {
    wiz_value_clear(v);
    v->type = WIZ_V_MAP;
  }
  for (size_t i = 0; i < v->n_pairs; i++) {
    if (strcmp(v->pairs[i].key, attr) == 0) {
      free(v->pairs[i].value);
      if (column) {
        v->pairs[i].value = xstrdup(column);
      } else {
        free(v->pairs[i].key);
        memmove(&v->pairs[i], &v->pairs[i + 1], (v->n_pairs - i - 1) * sizeof(v->pairs[0]));
        v->n_pairs--;
      }
      w->fs[field].touched = true;
      changed(w, field);
      return WIZ_OK;
    }
  }
  if (column) {
    v->pairs = xrealloc(v->pairs, (v->n_pairs + 1) * sizeof(*v->pairs));
    v->pairs[v->n_pairs].key = xstrdup(attr);
    v->pairs[v->n_pairs].value = xstrdup(column);
    v->n_pairs++;
  }
  w->fs[field].touched = true;
  changed(w, field);
  return WIZ_OK;
}

bool wiz_types_compatible(const char *attr, const char *col)
{
  if (!attr || !col || strcasecmp(attr, col) == 0)
    return true;
  if (strcasecmp(attr, "String") == 0)
    return true; /* anything can be read as text */
  if (strcasecmp(attr, "Double") == 0 && strcasecmp(col, "Int64") == 0)
    return true;
  return false;
}

size_t wiz_map_propose(struct wizard *w, size_t field)
{
  const struct wiz_list *attrs = &w->fs[field].src[WIZ_SRC_ITEMS].items;
  const struct wiz_list *cols = &w->fs[field].src[WIZ_SRC_COLUMNS].items;
  size_t n = 0;
  for (size_t i = 0; i < attrs->n; i++) {
    const struct wiz_item *a = &attrs->items[i];
    if (wiz_map_get(w, field, a->id))
      continue;
    for (size_t j = 0; j < cols->n; j++) {
      const struct wiz_item *c = &cols->items[j];
      if (strcasecmp(a->id, c->id) == 0 &&
          wiz_types_compatible(wiz_item_attr(a, "type"), wiz_item_attr(c, "type"))) {
        bool touched = w->fs[field].touched;
        if (wiz_map_set(w, field, a->id, c->id) == WIZ_OK)
          n++;
        w->fs[field].touched = touched; /* a proposal is not an edit */
        break;
      }
    }
  }
  return n;
}

void wiz_clear(struct wizard *w, size_t field)
{
  wiz_value_clear(&w->fs[field].v);
  pending_done(&w->fs[field]);
  changed(w, field);
}

void wiz_touch(struct wizard *w, size_t field)
{
  if (field < w->form->n_fields)
    w->fs[field].touched = true;
}

static void resolve_pending(struct wizard *w, size_t field);

void wiz_set_pending_pick(struct wizard *w, size_t field, const char *answer)
{
  free(w->fs[field].pending_pick);
  w->fs[field].pending_pick = xstrdup(answer);
  w->fs[field].pending_default = false;
  wiz_value_clear(&w->fs[field].v);
  w->fs[field].touched = true;
  /* A list that is already here (loaded before the answer came, or delivered at once by
   * the host) will not be delivered again: look the answer up now. */
  if (w->fs[field].src[WIZ_SRC_ITEMS].state == WIZ_LOAD_DONE)
    resolve_pending(w, field);
}

void wiz_set_pending_default(struct wizard *w, size_t field, const char *answer)
{
  struct fstate *fs = &w->fs[field];
  free(fs->pending_pick);
  fs->pending_pick = xstrdup(answer ? answer : "");
  fs->pending_default = true;
  wiz_value_clear(&fs->v);
  if (fs->src[WIZ_SRC_ITEMS].state == WIZ_LOAD_DONE)
    resolve_pending(w, field);
}

void wiz_clear_pending_multi(struct wizard *w, size_t field)
{
  struct fstate *fs = &w->fs[field];
  for (size_t k = 0; k < fs->n_pending_multi; k++)
    free(fs->pending_multi[k]);
  free(fs->pending_multi);
  fs->pending_multi = NULL;
  fs->n_pending_multi = 0;
  wiz_value_clear(&fs->v);
}

void wiz_add_pending_multi(struct wizard *w, size_t field, const char *answer)
{
  struct fstate *fs = &w->fs[field];
  fs->pending_multi = xrealloc(fs->pending_multi, (fs->n_pending_multi + 1) * sizeof(char *));
  fs->pending_multi[fs->n_pending_multi++] = xstrdup(answer);
  fs->touched = true;
  if (fs->src[WIZ_SRC_ITEMS].state == WIZ_LOAD_DONE)
    resolve_pending(w, field);
}

/* ---------- validity ---------- */

static enum wiz_check set_msg(struct wizard *w, size_t field, enum wiz_check c, const char *msg,
                              const char *rule, const char **out_msg, const char **out_rule)
{
  strbuf_reset(&w->fs[field].msg);
  if (msg)
    strbuf_puts(&w->fs[field].msg, msg);
  if (out_msg)
    *out_msg = msg ? w->fs[field].msg.buf : NULL;
  if (out_rule)
    *out_rule = rule;
  return c;
}

/* The string a rule checks: text, or the new item's name, or "true"/"false". */
static const char *rule_input(const struct wizard *w, size_t field)
{
  const struct wiz_value *v = &w->fs[field].v;
  if (v->type == WIZ_V_ITEM)
    return v->item.id;
  return cond_text(w, field);
}

enum wiz_check wiz_check(struct wizard *w, size_t field, const char **out_msg,
                         const char **out_rule)
{
  const struct wiz_field *f = F(w, field);
  struct fstate *fs = &w->fs[field];
  const struct wiz_kind_ops *ops = wiz_field_ops(f);
  if (!wiz_visible(w, field) || (ops->flags & WIZ_KF_INERT))
    return set_msg(w, field, WIZ_CHECK_OK, NULL, NULL, out_msg, out_rule);
  if (fs->answer_error)
    return set_msg(w, field, WIZ_CHECK_ERROR, fs->answer_error, "answer", out_msg, out_rule);
  if (fs->pending_pick && !fs->v.item.id) {
    if (!wiz_enabled(w, field)) {
      char *m = xasprintf("Cannot be looked up: %s", wiz_disabled_reason(w, field));
      set_msg(w, field, WIZ_CHECK_ERROR, m, "depends_on", out_msg, out_rule);
      free(m);
      return WIZ_CHECK_ERROR;
    }
    if (fs->src[0].state == WIZ_LOAD_FAILED) {
      char *m = xasprintf("Could not load the list: %s", fs->src[0].error);
      set_msg(w, field, WIZ_CHECK_ERROR, m, "source", out_msg, out_rule);
      free(m);
      return WIZ_CHECK_ERROR;
    }
    char *m = *fs->pending_pick ? xasprintf("Looking up \"%s\"...", fs->pending_pick)
                                : xstrdup("Looking up the list...");
    set_msg(w, field, WIZ_CHECK_PENDING, m, "source", out_msg, out_rule);
    free(m);
    return WIZ_CHECK_PENDING;
  }
  if (fs->n_pending_multi)
    return set_msg(w, field, WIZ_CHECK_PENDING, "Looking up the answers...", "source", out_msg,
                   out_rule);
  bool set = wiz_is_set(w, field);
  const struct wiz_rule *req = wiz_rule_find("required");
  if (!set && f->required && !(ops->flags & WIZ_KF_NO_REQUIRED))
    return set_msg(w, field, WIZ_CHECK_ERROR, req->message, req->name, out_msg, out_rule);
  if (ops->check) {
    struct strbuf km;
    strbuf_init(&km, 0);
    const char *krule = NULL;
    enum wiz_check c = ops->check(w, field, &km, &krule);
    if (c != WIZ_CHECK_OK) {
      set_msg(w, field, c, km.len ? km.buf : "Invalid.", krule, out_msg, out_rule);
      strbuf_done(&km);
      return c;
    }
    strbuf_done(&km);
  }
  enum wiz_check worst = WIZ_CHECK_OK;
  const char *wmsg = NULL, *wrule = NULL;
  struct strbuf host_msg;
  strbuf_init(&host_msg, 0);
  for (size_t i = 0; i < f->n_rules; i++) {
    const struct wiz_rule_ref *r = &f->rules[i];
    enum wiz_check c;
    const char *m = NULL;
    if (r->rule) {
      c = wiz_rule_check(r->rule, rule_input(w, field), &m);
    } else {
      if (!set || !has_host(w) || !w->host->ops->check)
        continue;
      struct wiz_answers *snap = wiz_snapshot(w);
      strbuf_reset(&host_msg);
      c = w->host->ops->check(w->host->ctx, r->host_rule, f->id, snap, &host_msg);
      wiz_answers_delete(snap);
      m = host_msg.len ? host_msg.buf : NULL;
    }
    const char *rname = r->rule ? r->rule->name : r->host_rule;
    if (c == WIZ_CHECK_ERROR || c == WIZ_CHECK_PENDING) {
      enum wiz_check out =
          set_msg(w, field, c, m ? m : (c == WIZ_CHECK_PENDING ? "Checking..." : "Invalid."), rname,
                  out_msg, out_rule);
      strbuf_done(&host_msg);
      return out;
    }
    if (c == WIZ_CHECK_WARN && worst == WIZ_CHECK_OK) {
      worst = WIZ_CHECK_WARN;
      set_msg(w, field, c, m, rname, NULL, NULL);
      wmsg = w->fs[field].msg.buf;
      wrule = rname;
    }
  }
  strbuf_done(&host_msg);
  if (worst == WIZ_CHECK_WARN) {
    if (out_msg)
      *out_msg = wmsg;
    if (out_rule)
      *out_rule = wrule;
    return worst;
  }
  return set_msg(w, field, WIZ_CHECK_OK, NULL, NULL, out_msg, out_rule);
}

bool wiz_message_shown(const struct wizard *w, size_t field)
{
  const struct fstate *fs = &w->fs[field];
  return fs->touched || wiz_value_is_set(&fs->v) || fs->answer_error;
}

bool wiz_step_valid(struct wizard *w, size_t step, size_t *out_first_invalid)
{
  if (step >= w->form->n_steps)
    return true;
  const struct wiz_step *s = &w->form->steps[step];
  for (size_t i = 0; i < s->n_fields; i++) {
    enum wiz_check c = wiz_check(w, s->fields[i], NULL, NULL);
    if (c == WIZ_CHECK_ERROR || c == WIZ_CHECK_PENDING) {
      if (out_first_invalid)
        *out_first_invalid = s->fields[i];
      return false;
    }
  }
  return true;
}

/* ---------- navigation ---------- */

size_t wiz_step(const struct wizard *w)
{
  return w->step;
}

size_t wiz_step_count(const struct wizard *w)
{
  return w->form->n_steps + 1;
}

bool wiz_on_review(const struct wizard *w)
{
  return w->step == w->form->n_steps;
}

const char *wiz_step_title(const struct wizard *w, size_t step)
{
  if (step < w->form->n_steps)
    return w->form->steps[step].title;
  return w->form->review_title;
}

static bool step_has_visible(const struct wizard *w, size_t step)
{
  if (step >= w->form->n_steps)
    return true;
  const struct wiz_step *s = &w->form->steps[step];
  for (size_t i = 0; i < s->n_fields; i++) {
    if (wiz_visible(w, s->fields[i]))
      return true;
  }
  return false;
}

static void focus_first(struct wizard *w)
{
  w->focus = (size_t)-1;
  if (w->step >= w->form->n_steps)
    return;
  const struct wiz_step *s = &w->form->steps[w->step];
  for (size_t i = 0; i < s->n_fields; i++) {
    if (wiz_focusable(w, s->fields[i])) {
      w->focus = s->fields[i];
      const struct wiz_kind_ops *ops = wiz_field_ops(F(w, w->focus));
      if (ops->focus_enter)
        ops->focus_enter(w, w->focus, +1);
      return;
    }
  }
}

void wiz_set_step(struct wizard *w, size_t step)
{
  if (step > w->form->n_steps)
    step = w->form->n_steps;
  w->step = step;
  focus_first(w);
  wiz_refresh(w);
}

size_t wiz_focus(const struct wizard *w)
{
  return w->focus;
}

void wiz_set_focus(struct wizard *w, size_t field)
{
  if (field < w->form->n_fields && F(w, field)->step == w->step)
    w->focus = field;
}

bool wiz_move_focus(struct wizard *w, int dir)
{
  if (w->step >= w->form->n_steps)
    return false;
  const struct wiz_step *s = &w->form->steps[w->step];
  size_t pos = 0;
  while (pos < s->n_fields && s->fields[pos] != w->focus)
    pos++;
  if (pos == s->n_fields) {
    focus_first(w);
    return w->focus != (size_t)-1;
  }
  const struct wiz_kind_ops *ops = wiz_field_ops(F(w, w->focus));
  if (ops->focus_move && ops->focus_move(w, w->focus, dir))
    return true;
  for (long i = (long)pos + dir; i >= 0 && i < (long)s->n_fields; i += dir) {
    if (wiz_focusable(w, s->fields[i])) {
      if (w->focus != (size_t)-1)
        w->fs[w->focus].touched = true; /* leaving a field shows its message */
      w->focus = s->fields[i];
      ops = wiz_field_ops(F(w, w->focus));
      if (ops->focus_enter)
        ops->focus_enter(w, w->focus, dir);
      return true;
    }
  }
  return false;
}

const char *wiz_status(const struct wizard *w)
{
  return w->status ? w->status : "";
}

void wiz_set_status(struct wizard *w, const char *fmt, ...)
{
  free(w->status);
  w->status = NULL;
  if (!fmt)
    return;
  struct strbuf sb;
  strbuf_init(&sb, 0);
  va_list ap;
  va_start(ap, fmt);
  char buf[1024];
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  strbuf_puts(&sb, n >= 0 ? buf : "");
  w->status = strbuf_detach(&sb, NULL);
  strbuf_done(&sb);
}

void wiz_set_unattended(struct wizard *w, bool on)
{
  w->unattended = on;
}

void wiz_set_editing(struct wizard *w, const char *name)
{
  free(w->editing);
  w->editing = name ? xstrdup(name) : NULL;
}

const char *wiz_editing(const struct wizard *w)
{
  return w->editing;
}

bool wiz_unattended(const struct wizard *w)
{
  return w->unattended;
}

/* Stay on an invalid step: focus its first invalid field and say why in the status line. */
static enum wiz_result refuse_step(struct wizard *w, size_t step)
{
  const struct wiz_step *s = &w->form->steps[step];
  for (size_t i = 0; i < s->n_fields; i++)
    w->fs[s->fields[i]].touched = true;
  size_t bad = 0;
  wiz_step_valid(w, step, &bad);
  const char *msg = NULL;
  enum wiz_check c = wiz_check(w, bad, &msg, NULL);
  if (w->step == step && wiz_focusable(w, bad))
    w->focus = bad;
  const char *label = F(w, bad)->label ? F(w, bad)->label : F(w, bad)->id;
  wiz_set_status(w, "%s: %s", label, msg ? msg : "invalid");
  return c == WIZ_CHECK_PENDING ? WIZ_E_BUSY : WIZ_E_INVALID;
}

enum wiz_result wiz_next(struct wizard *w)
{
  if (wiz_on_review(w))
    return WIZ_E_STATE;
  if (!wiz_step_valid(w, w->step, NULL))
    return refuse_step(w, w->step);
  size_t next = w->step + 1;
  while (next < w->form->n_steps &&
         (!step_has_visible(w, next) || (w->unattended && wiz_step_valid(w, next, NULL))))
    next++;
  wiz_set_status(w, NULL);
  wiz_set_step(w, next);
  return WIZ_OK;
}

enum wiz_result wiz_back(struct wizard *w)
{
  if (w->step == 0)
    return WIZ_E_STATE;
  size_t prev = w->step - 1;
  while (prev > 0 && !step_has_visible(w, prev))
    prev--;
  wiz_set_status(w, NULL);
  wiz_set_step(w, prev);
  return WIZ_OK;
}

enum wiz_result wiz_goto(struct wizard *w, size_t step)
{
  if (step > w->form->n_steps)
    return WIZ_E_NOT_FOUND;
  for (size_t s = 0; s < step; s++) {
    if (s >= w->step)
      wiz_refresh_step(w, s);
    if (!wiz_step_valid(w, s, NULL)) {
      wiz_set_step(w, s);
      return refuse_step(w, s);
    }
  }
  wiz_set_status(w, NULL);
  wiz_set_step(w, step);
  return WIZ_OK;
}

/* ---------- loads ---------- */

static const char *source_name(const struct wiz_field *f, enum wiz_src which)
{
  return which == WIZ_SRC_COLUMNS ? f->columns_source : f->source;
}

static void resolve_pending(struct wizard *w, size_t field)
{
  struct fstate *fs = &w->fs[field];
  const struct wiz_field *f = F(w, field);
  const struct wiz_list *items = &fs->src[WIZ_SRC_ITEMS].items;
  if (fs->pending_pick && fs->pending_default) {
    /* A preselection nobody typed: the item it names when the list has it and it may be
     * used, else the first usable item when the form says so, else nothing (an error here
     * would blame the user for the form's guess). */
    char *answer = fs->pending_pick;
    fs->pending_pick = NULL;
    fs->pending_default = false;
    long i = *answer ? wiz_list_find(items, answer) : -1;
    if (i >= 0 && items->items[i].invalid_reason)
      i = -1;
    for (size_t k = 0; i < 0 && f->preselect_first && k < items->n; k++) {
      if (!items->items[k].invalid_reason)
        i = (long)k;
    }
    wiz_value_clear(&fs->v);
    if (i >= 0) {
      fs->v.type = WIZ_V_ITEM;
      wiz_item_copy(&fs->v.item, &items->items[i]);
    }
    free(answer);
  } else if (fs->pending_pick) {
    char *answer = fs->pending_pick;
    fs->pending_pick = NULL;
    long i = wiz_list_find(items, answer);
    if (i < 0) {
      char *m = f->create_new
                    ? xasprintf("No %s \"%s\" in the list; to create it, answer {\"new\": \"%s\"}.",
                                f->label, answer, answer)
                    : xasprintf("No %s \"%s\" in the list (an id or a name is expected).", f->label,
                                answer);
      wiz_set_answer_error(w, field, m);
      free(m);
    } else if (items->items[i].invalid_reason) {
      char *m = xasprintf("\"%s\" cannot be used: %s", answer, items->items[i].invalid_reason);
      wiz_set_answer_error(w, field, m);
      free(m);
    } else {
      /* The answer now stands for the item it named: not a change, so nothing is cleared
       * (the answers of the fields that depend on it were given together with it). */
      wiz_value_clear(&fs->v);
      fs->v.type = WIZ_V_ITEM;
      wiz_item_copy(&fs->v.item, &items->items[i]);
    }
    free(answer);
  }
  if (fs->n_pending_multi) {
    char **answers = fs->pending_multi;
    size_t n = fs->n_pending_multi;
    fs->pending_multi = NULL;
    fs->n_pending_multi = 0;
    struct wiz_value *v = &fs->v;
    wiz_value_clear(v);
    v->type = WIZ_V_LIST;
    for (size_t k = 0; k < n; k++) {
      long i = wiz_list_find(items, answers[k]);
      if (i < 0 || items->items[i].invalid_reason) {
        char *m = i < 0 ? xasprintf("No %s \"%s\" in the list.", f->label, answers[k])
                        : xasprintf("\"%s\" cannot be used: %s", answers[k],
                                    items->items[i].invalid_reason);
        wiz_set_answer_error(w, field, m);
        free(m);
      } else if (!wiz_multi_has(w, field, items->items[i].id)) {
        multi_add(v, &items->items[i]);
      }
      free(answers[k]);
    }
    free(answers);
  }
}

/* A member's load may belong to an entry of its group not in focus: bring that one in, and
 * return the group's ops so that unclaim() puts the focused one back. NULL when nothing was
 * switched: a list delivered at once, inside the group's own refresh of that entry, must not
 * restore the focused entry under the refresh's feet (the entry's other list would then be
 * started on the wrong entry, and the second input's attributes stayed "Loading"). */
static const struct wiz_kind_ops *claim(struct wizard *w, const struct wiz_load *load)
{
  size_t group = F(w, load->field)->parent;
  const struct wiz_kind_ops *ops = group != WIZ_NO_FIELD ? wiz_field_ops(F(w, group)) : NULL;
  if (ops && ops->claim && ops->claim(w, group, load))
    return ops;
  return NULL;
}

static void unclaim(struct wizard *w, const struct wiz_kind_ops *ops, size_t field)
{
  if (ops && ops->restore)
    ops->restore(w, F(w, field)->parent);
}

void wiz_load_deliver(struct wiz_load *load, struct wiz_list *items)
{
  struct wizard *w = load->w;
  const struct wiz_kind_ops *gops = claim(w, load);
  size_t field = load->field;
  struct source *s = &w->fs[load->field].src[load->which];
  if (s->load == load) {
    s->load = NULL;
    wiz_list_done(&s->items);
    s->items = *items;
    memset(items, 0, sizeof(*items));
    s->state = WIZ_LOAD_DONE;
    const struct wiz_kind_ops *ops = wiz_field_ops(F(w, load->field));
    if (load->which == WIZ_SRC_ITEMS)
      resolve_pending(w, load->field);
    if (ops->delivered)
      ops->delivered(w, load->field, load->which);
    /* A chosen item's details (attributes, refusal) come from the fresh list. */
    struct wiz_value *v = &w->fs[load->field].v;
    if (load->which == WIZ_SRC_ITEMS && v->type == WIZ_V_ITEM && v->item.id && !v->item.is_new) {
      long i = wiz_list_find(&s->items, v->item.id);
      if (i >= 0 && strcmp(s->items.items[i].id, v->item.id) == 0)
        wiz_item_copy(&v->item, &s->items.items[i]);
    }
  } else {
    wiz_list_done(items);
  }
  free(load->source);
  free(load);
  unclaim(w, gops, field);
}

void wiz_load_fail(struct wiz_load *load, const char *message, const char *hint)
{
  wiz_load_fail_as(load, WIZ_OUTCOME_FAILED, message, hint);
}

void wiz_load_fail_as(struct wiz_load *load, enum wiz_outcome outcome, const char *message,
                      const char *hint)
{
  struct wizard *w = load->w;
  const struct wiz_kind_ops *gops = claim(w, load);
  size_t field = load->field;
  struct source *s = &w->fs[load->field].src[load->which];
  if (s->load == load) {
    s->load = NULL;
    s->state = WIZ_LOAD_FAILED;
    free(s->error);
    free(s->hint);
    s->error = xstrdup(message ? message : "the list could not be loaded");
    s->hint = hint ? xstrdup(hint) : NULL;
    s->outcome = outcome;
  }
  free(load->source);
  free(load);
  unclaim(w, gops, field);
}

const char *wiz_load_source(const struct wiz_load *load)
{
  return load->source;
}

void wiz_load_set_data(struct wiz_load *load, void *data)
{
  load->data = data;
}

void *wiz_load_data(const struct wiz_load *load)
{
  return load->data;
}

void wiz_start_load(struct wizard *w, size_t field, enum wiz_src which)
{
  struct source *s = &w->fs[field].src[which];
  const char *name = source_name(F(w, field), which);
  if (!name || s->state != WIZ_LOAD_IDLE)
    return;
  if (!has_host(w) || !w->host->ops->start_load) {
    s->state = WIZ_LOAD_FAILED;
    s->error = xstrdup("This list is not available in this build.");
    return;
  }
  struct wiz_load *l = xcalloc(1, sizeof(*l));
  l->w = w;
  l->field = field;
  l->which = which;
  l->source = xstrdup(name);
  s->state = WIZ_LOAD_LOADING;
  s->load = l;
  struct wiz_answers *snap = wiz_snapshot(w);
  size_t group = F(w, field)->parent;
  if (group != WIZ_NO_FIELD && wiz_field_ops(F(w, group))->context)
    wiz_field_ops(F(w, group))->context(w, group, snap);
  int rc = w->host->ops->start_load(w->host->ctx, name, snap, l);
  wiz_answers_delete(snap);
  if (rc != 0 && s->load == l) {
    s->load = NULL;
    s->state = WIZ_LOAD_FAILED;
    s->error = xstrdup("The list could not be requested.");
    free(l->source);
    free(l);
  }
}

void wiz_refresh_step(struct wizard *w, size_t step)
{
  if (step >= w->form->n_steps)
    return;
  const struct wiz_step *st = &w->form->steps[step];
  for (size_t i = 0; i < st->n_fields; i++) {
    size_t f = st->fields[i];
    const struct wiz_kind_ops *ops = wiz_field_ops(F(w, f));
    if (ops->refresh && wiz_visible(w, f) && wiz_enabled(w, f))
      ops->refresh(w, f);
  }
}

void wiz_refresh(struct wizard *w)
{
  wiz_refresh_step(w, w->step);
}

enum wiz_load_state wiz_load_state(const struct wizard *w, size_t field, enum wiz_src which)
{
  return w->fs[field].src[which].state;
}

const struct wiz_list *wiz_items(const struct wizard *w, size_t field, enum wiz_src which)
{
  return &w->fs[field].src[which].items;
}

const char *wiz_load_error(const struct wizard *w, size_t field, enum wiz_src which,
                           const char **out_hint)
{
  if (out_hint)
    *out_hint = w->fs[field].src[which].hint;
  return w->fs[field].src[which].error;
}

enum wiz_outcome wiz_load_outcome(const struct wizard *w, size_t field, enum wiz_src which)
{
  const struct source *s = &w->fs[field].src[which];
  return s->state == WIZ_LOAD_FAILED ? s->outcome : WIZ_OUTCOME_DONE;
}

void wiz_retry(struct wizard *w, size_t field)
{
  for (int which = 0; which < 2; which++) {
    struct source *s = &w->fs[field].src[which];
    if (s->state == WIZ_LOAD_FAILED || s->state == WIZ_LOAD_DONE)
      source_reset(w, s);
  }
  const struct wiz_kind_ops *ops = wiz_field_ops(F(w, field));
  if (ops->refresh && wiz_visible(w, field) && wiz_enabled(w, field))
    ops->refresh(w, field);
}

size_t wiz_pending(const struct wizard *w)
{
  size_t n = w->job ? 1 : 0;
  for (size_t i = 0; i < w->form->n_fields; i++) {
    const struct wiz_kind_ops *ops = wiz_field_ops(F(w, i));
    n += (w->fs[i].src[0].load != NULL) + (w->fs[i].src[1].load != NULL);
    if (ops->pending)
      n += ops->pending(w, i);
  }
  return n;
}

/* ---------- actions ---------- */

enum wiz_result wiz_start_action(struct wizard *w, const char *action, const char *label)
{
  if (w->job)
    return WIZ_E_BUSY;
  size_t prefix = strlen(WIZ_FOLLOWUP_FIELD);
  if (strncmp(action, WIZ_FOLLOWUP_FIELD, prefix) == 0) {
    long f = wiz_form_field_index(w->form, action + prefix);
    if (f < 0)
      return WIZ_E_NOT_FOUND;
    wiz_job_clear(w);
    wiz_set_step(w, F(w, (size_t)f)->step);
    wiz_set_focus(w, (size_t)f);
    return WIZ_OK;
  }
  if (!has_host(w) || !w->host->ops->start_action)
    return WIZ_E_HOST;
  wiz_job_clear(w);
  struct wiz_job *job = xcalloc(1, sizeof(*job));
  job->w = w;
  job->action = xstrdup(action);
  w->job = job;
  w->job_state = WIZ_JOB_RUNNING;
  w->job_label = xstrdup(label ? label : action);
  w->job_is_finish = w->form->finish_action && strcmp(action, w->form->finish_action) == 0;
  for (size_t i = 0; i < w->form->n_actions; i++)
    if (w->form->actions[i].finishes && strcmp(w->form->actions[i].action, action) == 0)
      w->job_is_finish = true;
  w->progress = (struct wiz_progress){ -1, -1, -1, -1, NULL };
  struct wiz_answers *snap = wiz_snapshot(w);
  int rc = w->host->ops->start_action(w->host->ctx, action, snap, w->host->dry_run, job);
  wiz_answers_delete(snap);
  if (rc != 0 && w->job == job) {
    w->job = NULL;
    free(job->action);
    free(job);
    w->job_state = WIZ_JOB_DONE;
    w->report = wiz_report_new(w->job_label, WIZ_OUTCOME_FAILED);
    wiz_report_set_summary(w->report, "The action could not be started.");
    return WIZ_E_HOST;
  }
  return WIZ_OK;
}

enum wiz_result wiz_finish(struct wizard *w)
{
  for (size_t s = 0; s < w->form->n_steps; s++) {
    if (!wiz_step_valid(w, s, NULL)) {
      wiz_set_step(w, s);
      return refuse_step(w, s);
    }
  }
  return wiz_start_action(w, w->form->finish_action, w->form->finish_label);
}

void wiz_cancel_action(struct wizard *w)
{
  if (w->job && has_host(w) && w->host->ops->cancel_action) {
    free(w->progress_status);
    w->progress_status = xstrdup("Cancelling...");
    w->progress.status = w->progress_status;
    w->host->ops->cancel_action(w->host->ctx, w->job);
  }
}

void wiz_job_progress(struct wiz_job *job, const struct wiz_progress *p)
{
  struct wizard *w = job->w;
  if (w->job != job)
    return;
  free(w->progress_status);
  w->progress = *p;
  w->progress_status = p->status ? xstrdup(p->status) : NULL;
  w->progress.status = w->progress_status;
}

void wiz_job_done(struct wiz_job *job, struct wiz_report *report)
{
  struct wizard *w = job->w;
  if (w->job == job) {
    w->job = NULL;
    w->job_state = WIZ_JOB_DONE;
    wiz_report_delete(w->report);
    w->report = report ? report : wiz_report_new(w->job_label, WIZ_OUTCOME_FAILED);
    if (w->job_is_finish && w->report->outcome == WIZ_OUTCOME_DONE)
      w->finished = true;
  } else {
    wiz_report_delete(report);
  }
  free(job->action);
  free(job);
}

const char *wiz_job_action(const struct wiz_job *job)
{
  return job->action;
}

void wiz_job_set_data(struct wiz_job *job, void *data)
{
  job->data = data;
}

void *wiz_job_data(const struct wiz_job *job)
{
  return job->data;
}

enum wiz_job_state wiz_job_state(const struct wizard *w)
{
  return w->job_state;
}

const char *wiz_job_label(const struct wizard *w)
{
  return w->job_label ? w->job_label : "";
}

const struct wiz_progress *wiz_job_progress_now(const struct wizard *w)
{
  return &w->progress;
}

const struct wiz_report *wiz_job_report(const struct wizard *w)
{
  return w->report;
}

void wiz_job_clear(struct wizard *w)
{
  if (w->job)
    return;
  wiz_report_delete(w->report);
  w->report = NULL;
  w->job_state = WIZ_JOB_NONE;
  free(w->job_label);
  w->job_label = NULL;
  free(w->progress_status);
  w->progress_status = NULL;
  w->progress.status = NULL;
}

bool wiz_finished(const struct wizard *w)
{
  return w->finished;
}

enum wiz_outcome wiz_last_outcome(const struct wizard *w)
{
  return w->report ? w->report->outcome : WIZ_OUTCOME_CANCELLED;
}

/* ---------- answers ---------- */

struct wiz_answers *wiz_snapshot(const struct wizard *w)
{
  struct wiz_answers *a = wiz_answers_new();
  for (size_t i = 0; i < w->form->n_fields; i++) {
    const struct wiz_field *f = F(w, i);
    const struct wiz_kind_ops *ops = wiz_field_ops(f);
    if (f->parent != WIZ_NO_FIELD || !wiz_visible(w, i))
      continue; /* a group's members are answered inside the group's value */
    if (ops->snapshot) {
      struct wiz_value tmp = { 0 };
      const struct wiz_value *v = ops->snapshot(w, i, &tmp);
      if (v && v->type != WIZ_V_NONE)
        wiz_answers_put(a, f->id, v);
      wiz_value_clear(&tmp);
      continue;
    }
    if (!(ops->flags & WIZ_KF_INERT) && w->fs[i].v.type != WIZ_V_NONE)
      wiz_answers_put(a, f->id, &w->fs[i].v);
  }
  return a;
}

/* ---------- for the kinds (wiz_kind.h) ---------- */

struct wiz_value *wiz_value_edit(struct wizard *w, size_t field)
{
  return &w->fs[field].v;
}

const char *wiz_pending_pick(const struct wizard *w, size_t field)
{
  return w->fs[field].pending_pick;
}

bool wiz_pending_multi(const struct wizard *w, size_t field)
{
  return w->fs[field].n_pending_multi > 0;
}

char *wiz_host_value(struct wizard *w, const char *name)
{
  if (!has_host(w) || !w->host->ops->value)
    return NULL;
  return w->host->ops->value(w->host->ctx, name);
}

void **wiz_kind_state(struct wizard *w, size_t field)
{
  return &w->fs[field].kind_state;
}

void *wiz_kind_state_get(const struct wizard *w, size_t field)
{
  return w->fs[field].kind_state;
}

bool wiz_touched(const struct wizard *w, size_t field)
{
  return w->fs[field].touched;
}

void wiz_set_touched(struct wizard *w, size_t field, bool on)
{
  w->fs[field].touched = on;
}

void wiz_map_put(struct wizard *w, size_t field, const char *attr, const char *column)
{
  struct wiz_value *v = &w->fs[field].v;
  if (v->type != WIZ_V_MAP) {
    wiz_value_clear(v);
    v->type = WIZ_V_MAP;
  }
  for (size_t i = 0; i < v->n_pairs; i++) {
    if (strcmp(v->pairs[i].key, attr) == 0) {
      free(v->pairs[i].value);
      v->pairs[i].value = xstrdup(column);
      return;
    }
  }
  v->pairs = xrealloc(v->pairs, (v->n_pairs + 1) * sizeof(*v->pairs));
  v->pairs[v->n_pairs].key = xstrdup(attr);
  v->pairs[v->n_pairs].value = xstrdup(column);
  v->n_pairs++;
}

/* ---------- slots (a group's entries) ---------- */

static void fstate_done(struct wizard *w, struct fstate *fs)
{
  source_reset(w, &fs->src[0]);
  source_reset(w, &fs->src[1]);
  wiz_value_clear(&fs->v);
  free(fs->answer_error);
  pending_done(fs);
  strbuf_done(&fs->msg);
}

void *wiz_slot_swap(struct wizard *w, size_t field, void *slot)
{
  struct fstate *out = xmalloc(sizeof(*out));
  *out = w->fs[field];
  if (slot) {
    w->fs[field] = *(struct fstate *)slot;
    free(slot);
  } else {
    memset(&w->fs[field], 0, sizeof(w->fs[field]));
    strbuf_init(&w->fs[field].msg, 0);
    apply_default(w, field);
  }
  return out;
}

void wiz_slot_free(struct wizard *w, void *slot)
{
  if (!slot)
    return;
  fstate_done(w, slot);
  free(slot);
}

bool wiz_slot_has_load(const void *slot, const struct wiz_load *load)
{
  const struct fstate *fs = slot;
  return fs && (fs->src[0].load == load || fs->src[1].load == load);
}

size_t wiz_slot_loads(const void *slot)
{
  const struct fstate *fs = slot;
  return fs ? (fs->src[0].load != NULL) + (fs->src[1].load != NULL) : 0;
}

const struct wiz_value *wiz_slot_value(const void *slot)
{
  return slot ? &((const struct fstate *)slot)->v : NULL;
}
