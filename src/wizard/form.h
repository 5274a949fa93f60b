/*
 * form: a wizard described as data (forms/<id>.json, schema in forms/README.md), loaded into
 * these structs. The JSON tree is freed by the loader and goes no further.
 *
 * wiz_form_load() checks everything a form names: unknown keys, field kinds, rules (the
 * table of rules.h, or the host rules `decl` declares), sources, actions and values `decl`
 * declares, and references to other fields (depends_on, source_args, visible_when,
 * enabled_when, from: each must name a field defined earlier in the file, which also rules
 * out cycles). The first problem is returned in a struct wiz_form_error: the file, the
 * JSON path inside it ("steps[1].fields[0].rules[2]") and the reason.
 *
 * Ownership: a form is immutable once loaded; wizards borrow it (wiz_form_delete() only
 * after every wizard built on it is deleted).
 */
#ifndef SYNWIZ_WIZARD_FORM_H
#define SYNWIZ_WIZARD_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "wizard/rules.h"
#include "wizard/wiz_result.h"

struct wiz_decl;

enum wiz_kind {
  WIZ_KIND_TEXT,
  WIZ_KIND_SECRET,
  WIZ_KIND_CHOICE,
  WIZ_KIND_PICKER,
  WIZ_KIND_MULTI,
  WIZ_KIND_CHECKBOX,
  WIZ_KIND_MAPPING,
  WIZ_KIND_BANNER,
  WIZ_KIND_READONLY,
  WIZ_KIND_GROUP,
  WIZ_KIND_COUNT
};
/* No field (a top-level field's parent, an unset reference). */
#define WIZ_NO_FIELD ((size_t)-1)
const char *wiz_kind_name(enum wiz_kind k);

enum wiz_cond_op { WIZ_COND_SET, WIZ_COND_UNSET, WIZ_COND_EQUALS, WIZ_COND_NOT_EQUALS };

struct wiz_cond {
  size_t field; /* index in form->fields */
  enum wiz_cond_op op;
  char *value; /* for EQUALS / NOT_EQUALS: an option id, item id, text, "true"/"false" */
};

struct wiz_option {
  char *id;
  char *label;
  char *help;
};

struct wiz_rule_ref {
  const struct wiz_rule *rule; /* a rule of the table, or NULL ... */
  char *host_rule;             /* ... for a host rule */
};

/* One field; the kind-specific members are read by the kind's parse op (wiz_kind.h). */
struct wiz_field {
  char *id;
  enum wiz_kind kind;
  char *label;
  char *help;
  char *placeholder;
  char *text;  /* banner text, checkbox text ("I agree") */
  char *style; /* banner: "info" or "warning" */
  bool required;
  size_t max_length; /* text: 0 = none */
  char *env_hint;    /* secret: the variable --record names */
  struct wiz_option *options;
  size_t n_options;
  char *source;         /* picker, multi, mapping (the attributes) */
  char *columns_source; /* mapping: the columns */
  size_t *source_args;  /* fields the source reads */
  size_t n_source_args;
  bool create_new;
  char *create_label;
  const struct wiz_rule *create_rule;
  size_t *depends_on; /* changing one of these clears this field (source_args included) */
  size_t n_depends_on;
  struct wiz_cond *visible_when; /* all must hold */
  size_t n_visible_when;
  struct wiz_cond *enabled_when;
  size_t n_enabled_when;
  struct wiz_rule_ref *rules;
  size_t n_rules;
  char *default_text;   /* text, choice (option id), picker (item id) */
  bool preselect_first; /* picker: with no default in the list, its first usable item */
  int default_bool;     /* checkbox: -1 none, 0, 1 */
  char *default_value;  /* a host value name */
  size_t from_field;    /* readonly: the picker ... */
  char *from_attr;      /* ... and the attribute of its item ("label", "id" or an attr key) */
  size_t step;
  size_t parent;   /* a group's member: the group's index; else WIZ_NO_FIELD */
  size_t *members; /* group: its member fields (they follow it in `fields`) */
  size_t n_members;
  char *as; /* group: the name of an entry's item in its members' source answers */
};

struct wiz_step {
  char *id;
  char *title;
  char *help;
  size_t *fields; /* its top-level fields (a group's members are reached through the group) */
  size_t n_fields;
};

struct wiz_form_action {
  char *action;
  char *label;
  bool finishes; /* "finishes": true: done, it ends the wizard as the finish action does */
};

struct wiz_form {
  char *path;
  char *id;
  char *title;
  char *summary;
  char *review_title;
  char *review_help;
  char *finish_action;
  char *finish_label;
  struct wiz_form_action *actions; /* offered on the review screen */
  size_t n_actions;
  struct wiz_step *steps;
  size_t n_steps;
  struct wiz_field *fields; /* every field, in file order (a group's members after it) */
  size_t n_fields;
};

struct wiz_form_error {
  char *file;
  char *path;
  char *reason;
};

/** Load and check a form file. On failure *out_form is NULL and err is filled. */
enum wiz_result wiz_form_load(const char *file, const struct wiz_decl *decl,
                              struct wiz_form **out_form, struct wiz_form_error *err);
/** The same from a string (tests); `file` names it in errors. */
enum wiz_result wiz_form_parse(const char *file, const char *text, const struct wiz_decl *decl,
                               struct wiz_form **out_form, struct wiz_form_error *err);
void wiz_form_delete(struct wiz_form *form);
void wiz_form_error_done(struct wiz_form_error *err);
/** "file: path: reason" in a fresh string. */
char *wiz_form_error_text(const struct wiz_form_error *err);

/** Index of the field called id, or -1. */
long wiz_form_field_index(const struct wiz_form *form, const char *id);

#endif
