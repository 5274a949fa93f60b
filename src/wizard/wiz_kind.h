/*
 * wiz_kind: a field kind as a table of operations, as tig's view_ops and newt's component
 * ops are. A kind is one file src/wizard/kind_<name>.c defining its `struct wiz_kind_ops`
 * (how the loader reads it, its default, how it is shown, checked, loaded, and read from and
 * written to an answers file) and one file ui/ui_kind_<name>.c (how it is drawn and edited).
 * `enum wiz_kind` (form.h) stays as the index of the two tables, so that a field's kind is a
 * small value to compare, print and switch on in tests.
 *
 * Contract for an ops table: every pointer may be NULL (then the engine does nothing for
 * it, or the generic thing said below). The ops run inside the engine: they may use
 * wizard.h's API and the engine's internal helpers below, never the host directly.
 *
 * Engine-internal: not for ui/ (it speaks Jansson).
 */
#ifndef SYNWIZ_WIZARD_WIZ_KIND_H
#define SYNWIZ_WIZARD_WIZ_KIND_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "wizard/form.h"
#include "wizard/wiz_io.h"
#include "wizard/wizard.h"

struct strbuf;
struct wiz_loader;

enum wiz_kind_flags {
  WIZ_KF_NO_LABEL = 1 << 0,    /* the label is optional (a banner) */
  WIZ_KF_INERT = 1 << 1,       /* no value of its own: not focused, checked nor answered */
  WIZ_KF_NO_REQUIRED = 1 << 2, /* "required" does not apply (a checkbox uses must_agree) */
  WIZ_KF_TEXT = 1 << 3,        /* edited as text (wiz_set_text) */
  WIZ_KF_SECRET = 1 << 4,      /* its text is a secret (wiped when freed, never written) */
};

struct wiz_kind_ops {
  const char *name;        /* the form's "kind" */
  const char *const *keys; /* keys it allows besides the common ones, NULL-terminated */
  unsigned flags;          /* enum wiz_kind_flags */
  /* Read the kind's own keys into f (the common keys are read already). */
  void (*parse)(struct wiz_loader *L, json_t *obj, struct wiz_field *f, size_t self);
  void (*field_done)(struct wiz_field *f); /* free what parse added beyond struct wiz_field */
  /* Put the default value in place (a new wizard, a field cleared by a dependency). */
  void (*init)(struct wizard *w, size_t field);
  /* Free the per-field state the kind keeps beside the value (a field cleared or deleted). */
  void (*reset)(struct wizard *w, size_t field);
  /* What the screens and the review show; NULL: the generic display of the value. */
  char *(*display)(const struct wizard *w, size_t field);
  /* The kind's own checks, after "required" and before the rules: WIZ_CHECK_OK, or a state
   * with its message in msg and the rule's name in *rule. */
  enum wiz_check (*check)(struct wizard *w, size_t field, struct strbuf *msg, const char **rule);
  /* Start the loads the field needs (it is visible and enabled). */
  void (*refresh)(struct wizard *w, size_t field);
  /* A load of the field's source arrived. */
  void (*delivered)(struct wizard *w, size_t field, enum wiz_src which);
  /* Loads in flight beyond the field's own two sources. */
  size_t (*pending)(const struct wizard *w, size_t field);
  /* The value handed to the host and the review (NULL: none). `tmp` may be used as storage
   * (the caller clears it). NULL op: the field's value when it has one. */
  const struct wiz_value *(*snapshot)(const struct wizard *w, size_t field, struct wiz_value *tmp);
  /* The answer as JSON (new reference), or NULL for none. */
  json_t *(*answer_out)(struct wizard *w, size_t field, enum wiz_json_mode mode);
  /* Apply an answer; problems go to wiz_set_answer_error. NULL: read-only, not an answer. */
  void (*answer_in)(struct wizard *w, size_t field, json_t *v, bool draft);
  /* --- a group: what it does for its members --- */
  /* Add what a member's source reads besides the form's answers (the entry's item, the
   * entry's other members). */
  void (*context)(const struct wizard *w, size_t field, struct wiz_answers *snap);
  /* A load of a member arrived: bring in the entry it belongs to and say so (true: the
   * engine calls restore() after the delivery); false when that entry is already in. */
  bool (*claim)(struct wizard *w, size_t field, const struct wiz_load *load);
  void (*restore)(struct wizard *w, size_t field);
  /* Move the focus inside the field (true), or say it leaves it (false); enter it from
   * before (dir +1) or after (dir -1). */
  bool (*focus_move)(struct wizard *w, size_t field, int dir);
  void (*focus_enter)(struct wizard *w, size_t field, int dir);
};

extern const struct wiz_kind_ops wiz_kind_text, wiz_kind_secret, wiz_kind_choice, wiz_kind_picker,
    wiz_kind_multi, wiz_kind_checkbox, wiz_kind_mapping, wiz_kind_banner, wiz_kind_readonly,
    wiz_kind_group;

/** The ops of a kind (never NULL for a kind of the enum). */
const struct wiz_kind_ops *wiz_kind_ops(enum wiz_kind k);
/** The kind called `name`, or -1. */
int wiz_kind_find(const char *name);
/** The ops of a field's kind. */
const struct wiz_kind_ops *wiz_field_ops(const struct wiz_field *f);

/* --- the loader, for parse ops (form.c) --- */

void wiz_loader_fail(struct wiz_loader *L, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool wiz_loader_failed(const struct wiz_loader *L);
/** Append ".key" to the JSON path; returns the length to give back to wiz_loader_pop. */
size_t wiz_loader_push(struct wiz_loader *L, const char *key);
size_t wiz_loader_push_index(struct wiz_loader *L, size_t i);
void wiz_loader_pop(struct wiz_loader *L, size_t len);
/** Refuse any key of obj not in `keys`. */
void wiz_loader_check_keys(struct wiz_loader *L, json_t *obj, const char *const *keys);
/** A string member (fresh), NULL when absent; a required one must be non-empty. */
char *wiz_loader_str(struct wiz_loader *L, json_t *obj, const char *key, bool required);
/** A source name the host declares (fresh), or NULL. */
char *wiz_loader_source(struct wiz_loader *L, json_t *obj, const char *key, bool required);
/** A reference to a field defined before `self`: its index, or (size_t)-1. */
size_t wiz_loader_ref(struct wiz_loader *L, const char *id, size_t self);
/** "default" as a string into f->default_text. */
void wiz_loader_default_text(struct wiz_loader *L, json_t *obj, struct wiz_field *f);
struct wiz_form *wiz_loader_form(struct wiz_loader *L);
/** Parse one field object into the form (a group's member fields: parent is the group). */
void wiz_loader_field(struct wiz_loader *L, json_t *obj, size_t step, size_t parent);

/* --- the engine, for the ops (wizard.c) --- */

/** The field's working value, to change in place (no dependency is cleared). */
struct wiz_value *wiz_value_edit(struct wizard *w, size_t field);
/** The picker answer waiting for its list, or NULL. */
const char *wiz_pending_pick(const struct wizard *w, size_t field);
bool wiz_pending_multi(const struct wizard *w, size_t field);
/** Whether the field counts as given (a checkbox: ticked). */
bool wiz_is_set(const struct wizard *w, size_t field);
/** Ask the host for a field's source (no-op when loaded or loading). */
void wiz_start_load(struct wizard *w, size_t field, enum wiz_src which);
/** The host's named value (a default), fresh, or NULL. */
char *wiz_host_value(struct wizard *w, const char *name);
/** The generic display of a value (no kind specifics). Fresh. */
char *wiz_value_display(const struct wiz_value *v);
/** Store a mapping pair without an enabled check or clearing dependents (answers waiting
 * for their lists). */
void wiz_map_put(struct wizard *w, size_t field, const char *attr, const char *column);
/* A field's whole state (value, loads, messages) as a movable slot: a group keeps one per
 * entry and member, and swaps the entry in focus into the wizard, so that every API on a
 * member field speaks of that entry. */
/** Move the field's state out (returned) and put `slot` in (NULL: a fresh default state). */
void *wiz_slot_swap(struct wizard *w, size_t field, void *slot);
void wiz_slot_free(struct wizard *w, void *slot);
bool wiz_slot_has_load(const void *slot, const struct wiz_load *load);
size_t wiz_slot_loads(const void *slot);
const struct wiz_value *wiz_slot_value(const void *slot);
/** The per-field slot a kind may keep state in (freed by its reset op). */
void **wiz_kind_state(struct wizard *w, size_t field);
void *wiz_kind_state_get(const struct wizard *w, size_t field);
/** Mark/unmark as touched without other effects. */
bool wiz_touched(const struct wizard *w, size_t field);
void wiz_set_touched(struct wizard *w, size_t field, bool on);

/* --- shared by the kinds' answers (wiz_io.c) --- */

/** An item as JSON: the id (record), {"new": NAME}, or the whole item (draft). */
json_t *wiz_item_json(const struct wiz_item *it, enum wiz_json_mode mode);
/** A picker's answer given as an object: {"new": NAME} or a draft's item. */
void wiz_apply_item_object(struct wizard *w, size_t field, json_t *v, bool draft);
/** True when the answer object `v` holds no key but those of `allowed` (NULL-ended); else
 * sets the field's answer error naming the first other key, as an unknown top-level key is
 * refused, and returns false. `expected` says what the object should look like. */
bool wiz_answer_keys_only(struct wizard *w, size_t field, json_t *v, const char *const *allowed,
                          const char *expected);

#endif
