/*
 * answers: the values of a wizard's fields, and their JSON forms.
 *
 * A struct wiz_value holds one field's value; a struct wiz_answers maps field ids to values.
 * The engine keeps the working copy; the host is handed a snapshot (wiz_answers) that holds
 * only the visible fields with a value. Secrets live only here, in memory, and are wiped
 * when the value is cleared or freed; they are written out only as references
 * ({"env": "NAME"}), never as values.
 *
 * Items (struct wiz_item) are what pickers list and choose: an id (what Azure calls it), a
 * label (what people read), a detail line, an invalid_reason (shown, but refused), and
 * attributes (key/value strings the host adds, e.g. "resource_group").
 */
#ifndef SYNWIZ_WIZARD_ANSWERS_H
#define SYNWIZ_WIZARD_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>

struct wiz_attr {
  char *key;
  char *value;
};

struct wiz_item {
  char *id;             /* never NULL in a delivered item */
  char *label;          /* never NULL (the id when the host gave none) */
  char *detail;         /* or NULL */
  char *invalid_reason; /* or NULL: when set, the item is shown but cannot be chosen */
  struct wiz_attr *attrs;
  size_t n_attrs;
  bool is_new; /* "create new": the name typed by the user, created by the action */
};

void wiz_item_set(struct wiz_item *item, const char *id, const char *label, const char *detail,
                  const char *invalid_reason);
void wiz_item_set_attr(struct wiz_item *item, const char *key, const char *value);
/** The attribute's value, or NULL. */
const char *wiz_item_attr(const struct wiz_item *item, const char *key);
void wiz_item_copy(struct wiz_item *dst, const struct wiz_item *src);
void wiz_item_done(struct wiz_item *item);

/* A list of items, as a picker source delivers it. */
struct wiz_list {
  struct wiz_item *items;
  size_t n, cap;
};
void wiz_list_init(struct wiz_list *list);
void wiz_list_done(struct wiz_list *list);
/** Append an item and return it (for wiz_item_set_attr). */
struct wiz_item *wiz_list_add(struct wiz_list *list, const char *id, const char *label,
                              const char *detail, const char *invalid_reason);
/** The index of the item whose id equals s, else whose label equals s ignoring case; -1. */
long wiz_list_find(const struct wiz_list *list, const char *s);

enum wiz_vtype {
  WIZ_V_NONE,   /* no value */
  WIZ_V_TEXT,   /* text, choice (the option id), read-only */
  WIZ_V_BOOL,   /* checkbox */
  WIZ_V_SECRET, /* secret: text is the secret; env names the variable it came from, if any */
  WIZ_V_ITEM,   /* picker */
  WIZ_V_LIST,   /* multi-select: the chosen items */
  WIZ_V_MAP,    /* mapping: attribute -> column */
  WIZ_V_GROUP,  /* repeated group: one entry per item (list), its members' answers (entries) */
};

struct wiz_answers;

struct wiz_pair {
  char *key;
  char *value;
};

struct wiz_value {
  enum wiz_vtype type;
  char *text;
  char *env;
  bool b;
  struct wiz_item item;
  struct wiz_item *list;
  size_t n_list;
  struct wiz_pair *pairs;
  size_t n_pairs;
  struct wiz_answers **entries; /* group: entries[i] answers for list[i], by member id */
};

void wiz_value_clear(struct wiz_value *v); /* wipes a secret; leaves WIZ_V_NONE */
void wiz_value_copy(struct wiz_value *dst, const struct wiz_value *src);
/** True when the value counts as given (non-empty text, an item, a non-empty list, true...). */
bool wiz_value_is_set(const struct wiz_value *v);

struct wiz_answers {
  struct wiz_answer {
    char *id;
    struct wiz_value v;
  } * e;
  size_t n, cap;
};

struct wiz_answers *wiz_answers_new(void);
void wiz_answers_delete(struct wiz_answers *a);
/** Add or replace (copies the value). */
void wiz_answers_put(struct wiz_answers *a, const char *id, const struct wiz_value *v);
const struct wiz_value *wiz_answers_get(const struct wiz_answers *a, const char *id);
/** Text, choice id, item id (picker), or NULL. */
const char *wiz_answers_text(const struct wiz_answers *a, const char *id);
/** A picker's chosen item, or NULL. */
const struct wiz_item *wiz_answers_item(const struct wiz_answers *a, const char *id);
bool wiz_answers_bool(const struct wiz_answers *a, const char *id, bool dflt);
/** A group's entries: their items in *out_items, their members' answers in *out_entries;
 * returns how many (0 when the field is no group or has no entry). */
size_t wiz_answers_group(const struct wiz_answers *a, const char *id,
                         const struct wiz_item **out_items,
                         struct wiz_answers *const **out_entries);
/** The secret's value, for the host's action only; NULL when none. */
const char *wiz_answers_secret(const struct wiz_answers *a, const char *id);

#endif
