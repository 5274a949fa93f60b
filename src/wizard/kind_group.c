/* Kind "group": its member fields repeated once per item of its source (the model wizard's
 * "Required data": per pipeline input, a table and the mapping of the input's attributes
 * to the table's columns).
 *
 * The members are fields of the form (after the group, parent = the group) whose state in
 * the wizard is the entry in focus's; the other entries' states are kept here as slots and
 * swapped in when needed (a load arriving for them, drawing them, checking them). Every
 * operation that brings another entry in puts the focus entry back before it returns. */
#include "wizard/wiz_kind.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const keys[] = { "source", "source_args", "as", "fields", NULL };

struct entry {
  struct wiz_item item;
  void **slots; /* per member; NULL: in the wizard (the entry is current) or never opened */
};

struct group {
  struct entry *e;
  size_t n;
  size_t cur;      /* the entry whose members' state is in the wizard, or WIZ_NO_FIELD */
  size_t focus;    /* the entry in focus */
  size_t member;   /* the member in focus: its index in the field's members */
  json_t *pending; /* an answer waiting for the entries to be known */
  bool pending_draft;
};

static const struct wiz_field *FLD(const struct wizard *w, size_t i)
{
  return &wiz_form(w)->fields[i];
}

static struct group *G(const struct wizard *w, size_t field)
{
  return wiz_kind_state_get(w, field);
}

static struct group *group_of(struct wizard *w, size_t field)
{
  void **st = wiz_kind_state(w, field);
  if (!*st) {
    struct group *g = xcalloc(1, sizeof(*g));
    g->cur = WIZ_NO_FIELD;
    *st = g;
  }
  return *st;
}

/* ---------- the form ---------- */

static bool member_kind_ok(enum wiz_kind k)
{
  return k == WIZ_KIND_TEXT || k == WIZ_KIND_CHOICE || k == WIZ_KIND_CHECKBOX ||
         k == WIZ_KIND_PICKER || k == WIZ_KIND_MULTI || k == WIZ_KIND_MAPPING;
}

static void parse(struct wiz_loader *L, json_t *obj, struct wiz_field *f, size_t self)
{
  f->source = wiz_loader_source(L, obj, "source", true);
  f->as = wiz_loader_str(L, obj, "as", false);
  if (!f->as)
    f->as = xstrdup("item");
  size_t step = f->step;
  json_t *arr = json_object_get(obj, "fields");
  if (!json_is_array(arr) || json_array_size(arr) == 0) {
    wiz_loader_fail(L, "a group needs \"fields\": a non-empty array of member fields");
    return;
  }
  size_t m = wiz_loader_push(L, "fields");
  size_t *members = xcalloc(json_array_size(arr) + 1, sizeof(size_t));
  size_t n = 0;
  struct wiz_form *form = wiz_loader_form(L);
  for (size_t i = 0; i < json_array_size(arr) && !wiz_loader_failed(L); i++) {
    size_t mi = wiz_loader_push_index(L, i);
    size_t at = form->n_fields;
    wiz_loader_field(L, json_array_get(arr, i), step, self);
    form = wiz_loader_form(L);
    if (at < form->n_fields) {
      members[n++] = at;
      if (!wiz_loader_failed(L) && !member_kind_ok(form->fields[at].kind)) {
        size_t mk = wiz_loader_push(L, "kind");
        wiz_loader_fail(L, "a group's member is text, choice, checkbox, picker, multi or mapping");
        wiz_loader_pop(L, mk);
      }
    }
    wiz_loader_pop(L, mi);
  }
  wiz_loader_pop(L, m);
  /* The members were added to the form's fields: the array may have moved. */
  f = &wiz_loader_form(L)->fields[self];
  f->members = members;
  f->n_members = n;
}

static void field_done(struct wiz_field *f)
{
  free(f->members);
  free(f->as);
}

/* ---------- entries ---------- */

/* Bring entry e's members into the wizard (WIZ_NO_FIELD: none), keeping the current one's. */
static void select_entry(struct wizard *w, size_t field, size_t e)
{
  struct group *g = group_of(w, field);
  if (g->cur == e)
    return;
  const struct wiz_field *f = FLD(w, field);
  for (size_t k = 0; k < f->n_members; k++) {
    void *in = e != WIZ_NO_FIELD ? g->e[e].slots[k] : NULL;
    void *out = wiz_slot_swap(w, f->members[k], in);
    if (g->cur != WIZ_NO_FIELD)
      g->e[g->cur].slots[k] = out;
    else
      wiz_slot_free(w, out);
    if (e != WIZ_NO_FIELD)
      g->e[e].slots[k] = NULL;
  }
  g->cur = e;
}

static void restore(struct wizard *w, size_t field)
{
  struct group *g = G(w, field);
  if (g && g->n)
    select_entry(w, field, g->focus);
}

static void entry_done(struct wizard *w, const struct wiz_field *f, struct entry *e)
{
  for (size_t k = 0; e->slots && k < f->n_members; k++)
    wiz_slot_free(w, e->slots[k]);
  free(e->slots);
  wiz_item_done(&e->item);
}

static void reset(struct wizard *w, size_t field)
{
  struct group *g = G(w, field);
  if (!g)
    return;
  /* The current entry's state is the members' own: changed() clears it with them. */
  for (size_t i = 0; i < g->n; i++)
    entry_done(w, FLD(w, field), &g->e[i]);
  free(g->e);
  json_decref(g->pending);
  free(g);
  *wiz_kind_state(w, field) = NULL;
}

static long find_entry(const struct group *g, const char *key)
{
  for (size_t i = 0; i < g->n; i++) {
    if (strcmp(g->e[i].item.id, key) == 0)
      return (long)i;
  }
  for (size_t i = 0; i < g->n; i++) {
    if (strcasecmp(g->e[i].item.label, key) == 0)
      return (long)i;
  }
  return -1;
}

static void apply_pending(struct wizard *w, size_t field)
{
  struct group *g = group_of(w, field);
  const struct wiz_field *f = FLD(w, field);
  json_t *p = g->pending;
  g->pending = NULL;
  struct strbuf errs;
  strbuf_init(&errs, 0);
  const char *key;
  json_t *val;
  json_object_foreach(p, key, val)
  {
    long e = find_entry(g, key);
    if (e < 0) {
      strbuf_printf(&errs, "%sNo %s \"%s\" (one of:", errs.len ? " " : "", f->label, key);
      for (size_t i = 0; i < g->n; i++)
        strbuf_printf(&errs, "%s %s", i ? "," : "", g->e[i].item.id);
      strbuf_puts(&errs, ").");
      continue;
    }
    if (!json_is_object(val)) {
      strbuf_printf(&errs, "%s\"%s\": expected an object {\"member\": answer}.",
                    errs.len ? " " : "", key);
      continue;
    }
    select_entry(w, field, (size_t)e);
    const char *mkey;
    json_t *mval;
    json_object_foreach(val, mkey, mval)
    {
      bool known = false;
      for (size_t k = 0; k < f->n_members; k++)
        known = known || strcmp(FLD(w, f->members[k])->id, mkey) == 0;
      if (!known)
        strbuf_printf(&errs, "%s\"%s\": \"%s\" is not a field of an entry.", errs.len ? " " : "",
                      key, mkey);
    }
    /* In member order, so that an answer is not cleared by the one it depends on. */
    for (size_t k = 0; k < f->n_members; k++) {
      const struct wiz_field *mf = FLD(w, f->members[k]);
      json_t *v = json_object_get(val, mf->id);
      if (v && !json_is_null(v))
        wiz_field_ops(mf)->answer_in(w, f->members[k], v, g->pending_draft);
    }
  }
  if (errs.len)
    wiz_set_answer_error(w, field, errs.buf);
  strbuf_done(&errs);
  json_decref(p);
  restore(w, field);
}

/* The group's source arrived: one entry per item, keeping the entries that stay. */
static void delivered(struct wizard *w, size_t field, enum wiz_src which)
{
  if (which != WIZ_SRC_ITEMS)
    return;
  struct group *g = group_of(w, field);
  const struct wiz_field *f = FLD(w, field);
  const struct wiz_list *items = wiz_items(w, field, WIZ_SRC_ITEMS);
  select_entry(w, field, WIZ_NO_FIELD);
  struct entry *old = g->e;
  size_t n_old = g->n;
  g->e = xcalloc(items->n + 1, sizeof(*g->e));
  g->n = 0;
  for (size_t i = 0; i < items->n; i++) {
    struct entry *e = &g->e[g->n++];
    wiz_item_copy(&e->item, &items->items[i]);
    for (size_t j = 0; j < n_old; j++) {
      if (old[j].slots && strcmp(old[j].item.id, e->item.id) == 0) {
        e->slots = old[j].slots;
        old[j].slots = NULL;
        break;
      }
    }
    if (!e->slots)
      e->slots = xcalloc(f->n_members + 1, sizeof(void *));
  }
  for (size_t j = 0; j < n_old; j++)
    entry_done(w, f, &old[j]);
  free(old);
  if (g->focus >= g->n)
    g->focus = g->n ? g->n - 1 : 0;
  if (g->member >= f->n_members)
    g->member = 0;
  if (g->pending)
    apply_pending(w, field);
  restore(w, field);
}

static size_t pending(const struct wizard *w, size_t field)
{
  const struct group *g = G(w, field);
  size_t n = 0;
  for (size_t i = 0; g && i < g->n; i++) {
    for (size_t k = 0; i != g->cur && k < FLD(w, field)->n_members; k++)
      n += wiz_slot_loads(g->e[i].slots[k]);
  }
  return n;
}

static void refresh(struct wizard *w, size_t field)
{
  wiz_start_load(w, field, WIZ_SRC_ITEMS);
  struct group *g = G(w, field);
  if (!g || wiz_load_state(w, field, WIZ_SRC_ITEMS) != WIZ_LOAD_DONE)
    return;
  const struct wiz_field *f = FLD(w, field);
  for (size_t i = 0; i < g->n; i++) {
    select_entry(w, field, i);
    for (size_t k = 0; k < f->n_members; k++) {
      size_t m = f->members[k];
      const struct wiz_kind_ops *ops = wiz_field_ops(FLD(w, m));
      if (ops->refresh && wiz_visible(w, m) && wiz_enabled(w, m))
        ops->refresh(w, m);
    }
  }
  restore(w, field);
}

static void context(const struct wizard *w, size_t field, struct wiz_answers *snap)
{
  const struct group *g = G(w, field);
  if (!g || g->cur == WIZ_NO_FIELD)
    return;
  const struct wiz_field *f = FLD(w, field);
  struct wiz_value v = { .type = WIZ_V_ITEM };
  wiz_item_copy(&v.item, &g->e[g->cur].item);
  wiz_answers_put(snap, f->as, &v);
  wiz_value_clear(&v);
  for (size_t k = 0; k < f->n_members; k++) {
    const struct wiz_value *mv = wiz_value(w, f->members[k]);
    if (mv->type != WIZ_V_NONE)
      wiz_answers_put(snap, FLD(w, f->members[k])->id, mv);
  }
}

/* True when it brought another entry in (the caller restores the focused one after). */
static bool claim(struct wizard *w, size_t field, const struct wiz_load *load)
{
  struct group *g = G(w, field);
  for (size_t i = 0; g && i < g->n; i++) {
    for (size_t k = 0; i != g->cur && k < FLD(w, field)->n_members; k++) {
      if (wiz_slot_has_load(g->e[i].slots[k], load)) {
        select_entry(w, field, i);
        return true;
      }
    }
  }
  return false;
}

/* ---------- checks, display, answers ---------- */

static enum wiz_check check(struct wizard *w, size_t field, struct strbuf *msg, const char **rule)
{
  const struct wiz_field *f = FLD(w, field);
  enum wiz_load_state ls = wiz_load_state(w, field, WIZ_SRC_ITEMS);
  if (ls == WIZ_LOAD_FAILED) {
    strbuf_printf(msg, "Could not load the list: %s",
                  wiz_load_error(w, field, WIZ_SRC_ITEMS, NULL));
    *rule = "source";
    return WIZ_CHECK_ERROR;
  }
  struct group *g = G(w, field);
  if (ls == WIZ_LOAD_IDLE && !wiz_enabled(w, field)) {
    /* Its source waits for answers that are missing or refused (a pipeline that is not a
     * custom model): say that, instead of waiting for a list that cannot come. */
    const char *why = wiz_disabled_reason(w, field);
    if (!f->required)
      return WIZ_CHECK_OK;
    strbuf_printf(msg, "Cannot be looked up: %s", why ? why : "an answer it needs is missing");
    *rule = "depends_on";
    return WIZ_CHECK_ERROR;
  }
  if (ls != WIZ_LOAD_DONE) {
    if (ls == WIZ_LOAD_IDLE && !(g && g->pending) && !f->required)
      return WIZ_CHECK_OK;
    strbuf_puts(msg, "Looking up the list...");
    *rule = "source";
    return WIZ_CHECK_PENDING;
  }
  if (!g || g->n == 0) {
    if (!f->required)
      return WIZ_CHECK_OK;
    strbuf_puts(msg, "Required: the list is empty.");
    *rule = "required";
    return WIZ_CHECK_ERROR;
  }
  /* Every problem of every entry, so that one message names all that is missing. */
  enum wiz_check worst = WIZ_CHECK_OK;
  for (size_t i = 0; i < g->n && worst != WIZ_CHECK_PENDING; i++) {
    select_entry(w, field, i);
    for (size_t k = 0; k < f->n_members; k++) {
      size_t m = f->members[k];
      const char *mm = NULL, *mr = NULL;
      enum wiz_check c = wiz_check(w, m, &mm, &mr);
      const struct wiz_field *mf = FLD(w, m);
      if (c != WIZ_CHECK_PENDING && wiz_visible(w, m) && wiz_enabled(w, m) &&
          ((mf->source && wiz_load_state(w, m, WIZ_SRC_ITEMS) < WIZ_LOAD_DONE) ||
           (mf->columns_source && wiz_load_state(w, m, WIZ_SRC_COLUMNS) < WIZ_LOAD_DONE))) {
        /* Its list is on its way (or asked for at the next refresh): no verdict yet. */
        c = WIZ_CHECK_PENDING;
        mm = "Loading the list...";
        mr = "source";
      }
      if (c != WIZ_CHECK_ERROR && c != WIZ_CHECK_PENDING)
        continue;
      if (c == WIZ_CHECK_PENDING) {
        strbuf_reset(msg);
        worst = WIZ_CHECK_PENDING;
      } else {
        worst = WIZ_CHECK_ERROR;
        if (msg->len)
          strbuf_puts(msg, " "); /* each message ends with its full stop */
      }
      strbuf_printf(msg, "%s: %s: %s", g->e[i].item.label, FLD(w, m)->label, mm ? mm : "invalid");
      /* Not "required": the group is answered, an entry of it is incomplete. */
      if (!*rule || c == WIZ_CHECK_PENDING)
        *rule = mr && strcmp(mr, "required") != 0 ? mr : "incomplete";
      if (c == WIZ_CHECK_PENDING)
        break;
    }
  }
  restore(w, field);
  return worst;
}

/* Selection is a cache of which entry is in the wizard, not a change of any answer: the
 * const entry points (display, snapshot) may move it and put it back. */
static char *display(const struct wizard *cw, size_t field)
{
  struct wizard *w = (struct wizard *)cw;
  const struct group *g = G(w, field);
  if (!g || !g->n)
    return xstrdup("");
  const struct wiz_field *f = FLD(w, field);
  size_t done = 0;
  for (size_t i = 0; i < g->n; i++) {
    select_entry(w, field, i);
    bool ok = true;
    for (size_t k = 0; k < f->n_members && ok; k++) {
      enum wiz_check c = wiz_check(w, f->members[k], NULL, NULL);
      ok = c == WIZ_CHECK_OK || c == WIZ_CHECK_WARN;
    }
    done += ok;
  }
  restore(w, field);
  return xasprintf("%zu of %zu complete", done, g->n);
}

static const struct wiz_value *snapshot(const struct wizard *w, size_t field, struct wiz_value *tmp)
{
  const struct group *g = G(w, field);
  if (!g || !g->n)
    return NULL;
  const struct wiz_field *f = FLD(w, field);
  tmp->type = WIZ_V_GROUP;
  tmp->list = xcalloc(g->n, sizeof(*tmp->list));
  tmp->entries = xcalloc(g->n, sizeof(*tmp->entries));
  tmp->n_list = g->n;
  for (size_t i = 0; i < g->n; i++) {
    wiz_item_copy(&tmp->list[i], &g->e[i].item);
    tmp->entries[i] = wiz_answers_new();
    for (size_t k = 0; k < f->n_members; k++) {
      const struct wiz_value *v =
          i == g->cur ? wiz_value(w, f->members[k]) : wiz_slot_value(g->e[i].slots[k]);
      if (v && v->type != WIZ_V_NONE)
        wiz_answers_put(tmp->entries[i], FLD(w, f->members[k])->id, v);
    }
  }
  return tmp;
}

static json_t *answer_out(struct wizard *w, size_t field, enum wiz_json_mode mode)
{
  struct group *g = G(w, field);
  if (!g)
    return NULL;
  if (!g->n)
    return g->pending ? json_incref(g->pending) : NULL; /* not looked up yet: kept as given */
  const struct wiz_field *f = FLD(w, field);
  json_t *o = json_object();
  for (size_t i = 0; i < g->n; i++) {
    select_entry(w, field, i);
    json_t *inner = json_object();
    for (size_t k = 0; k < f->n_members; k++) {
      const struct wiz_kind_ops *ops = wiz_field_ops(FLD(w, f->members[k]));
      json_t *j = ops->answer_out ? ops->answer_out(w, f->members[k], mode) : NULL;
      if (j)
        json_object_set_new(inner, FLD(w, f->members[k])->id, j);
    }
    json_object_set_new(o, g->e[i].item.id, inner);
  }
  restore(w, field);
  return o;
}

static void answer_in(struct wizard *w, size_t field, json_t *v, bool draft)
{
  if (!json_is_object(v)) {
    wiz_set_answer_error(w, field, "expected an object {\"ENTRY\": {\"FIELD\": answer, ...}}");
    return;
  }
  struct group *g = group_of(w, field);
  json_decref(g->pending);
  g->pending = json_incref(v);
  g->pending_draft = draft;
  wiz_touch(w, field);
  if (wiz_load_state(w, field, WIZ_SRC_ITEMS) == WIZ_LOAD_DONE)
    apply_pending(w, field);
}

/* ---------- focus ---------- */

static bool focus_move(struct wizard *w, size_t field, int dir)
{
  struct group *g = G(w, field);
  size_t nm = FLD(w, field)->n_members;
  if (!g || !g->n || !nm)
    return false;
  long pos = (long)(g->focus * nm + g->member) + dir;
  if (pos < 0 || pos >= (long)(g->n * nm))
    return false;
  g->focus = (size_t)pos / nm;
  g->member = (size_t)pos % nm;
  restore(w, field);
  return true;
}

static void focus_enter(struct wizard *w, size_t field, int dir)
{
  struct group *g = G(w, field);
  size_t nm = FLD(w, field)->n_members;
  if (!g || !g->n || !nm)
    return;
  g->focus = dir > 0 ? 0 : g->n - 1;
  g->member = dir > 0 ? 0 : nm - 1;
  restore(w, field);
}

size_t wiz_group_count(const struct wizard *w, size_t group)
{
  const struct group *g = G(w, group);
  return g ? g->n : 0;
}

const struct wiz_item *wiz_group_item(const struct wizard *w, size_t group, size_t entry)
{
  const struct group *g = G(w, group);
  return g && entry < g->n ? &g->e[entry].item : NULL;
}

void wiz_group_select(struct wizard *w, size_t group, size_t entry)
{
  const struct group *g = G(w, group);
  if (g && entry < g->n)
    select_entry(w, group, entry);
}

void wiz_group_set_focus(struct wizard *w, size_t group, size_t entry, size_t member)
{
  struct group *g = G(w, group);
  if (!g || entry >= g->n || member >= FLD(w, group)->n_members)
    return;
  g->focus = entry;
  g->member = member;
  restore(w, group);
}

size_t wiz_group_focus(const struct wizard *w, size_t group, size_t *out_member)
{
  const struct group *g = G(w, group);
  if (out_member)
    *out_member = g ? g->member : 0;
  return g ? g->focus : 0;
}

const struct wiz_kind_ops wiz_kind_group = {
  .name = "group",
  .keys = keys,
  .flags = WIZ_KF_NO_REQUIRED,
  .parse = parse,
  .field_done = field_done,
  .reset = reset,
  .display = display,
  .check = check,
  .refresh = refresh,
  .delivered = delivered,
  .pending = pending,
  .snapshot = snapshot,
  .answer_out = answer_out,
  .answer_in = answer_in,
  .context = context,
  .claim = claim,
  .restore = restore,
  .focus_move = focus_move,
  .focus_enter = focus_enter,
};
