/*
 * wiz_io: a wizard's answers as JSON: answers files (--answers), records (--record) and
 * drafts (synwiz resume). Not for ui/ (it speaks Jansson).
 *
 * Answers file: one JSON object, one key per field id (forms/README.md lists them).
 *   text, readonly-free kinds: a string            "display_name": "sales_lake"
 *   choice: an option id (or its label)           "audience": "admins"
 *   picker: an item's id or its display name       "subscription": "Contoso Analytics"
 *           a new one (where the form allows it)   "container": {"new": "exports"}
 *   multi: an array of ids or names; checkbox: true/false; mapping: {"attr": "column"}
 *   secret: a reference, never a value             "secret": {"env": "SP_SECRET"}
 * Picker answers are looked up when the picker's list arrives; an unknown key, a value of
 * the wrong type, a secret given as a value or an unset variable is a problem of that field
 * (shown at the field on the screens; listed by --non-interactive).
 *
 * Record: the same format, written from the visible answers; a secret is written as
 * {"env": NAME} (the variable it came from, else the form's env_hint, else SYNWIZ_<ID>).
 * Draft: {"synwiz_draft": 1, "name", "form", "step", "focus", "saved", "answers"} where the
 * answers hold pickers as {"id", "label", "detail", "attrs"} (shown without a reload) and
 * no secret at all (a reference to a variable is kept: it is not a secret); "edit" names
 * the saved thing the wizard was editing (wiz_editing()), absent for a new one; "title"
 * is what the home screen calls it (the thing it edits, else the form's first text answer,
 * its display name).
 */
#ifndef SYNWIZ_WIZARD_WIZ_IO_H
#define SYNWIZ_WIZARD_WIZ_IO_H

#include <jansson.h>
#include <stdbool.h>

#include "wizard/wizard.h"

struct strbuf;

enum wiz_json_mode { WIZ_JSON_RECORD, WIZ_JSON_DRAFT };

/** The visible answers as a JSON object (new reference). */
json_t *wiz_answers_to_json(struct wizard *w, enum wiz_json_mode mode);
/** Apply an answers object. Unknown keys are listed in `errors` ("key: reason" lines) and
 * make the result WIZ_E_INVALID; field problems stay at their fields (wiz_check). */
enum wiz_result wiz_apply_answers(struct wizard *w, json_t *obj, bool draft, struct strbuf *errors);
/** Read and apply an answers file. */
enum wiz_result wiz_load_answers_file(struct wizard *w, const char *path, struct strbuf *errors);
/** Write the record (0600, atomic). */
enum wiz_result wiz_write_record(struct wizard *w, const char *path);

/* --- drafts: $XDG_STATE_HOME/synwiz/drafts/<name>.json, 0600 --- */

struct wiz_draft_info {
  char *name;
  char *form;
  char *step;  /* the step's id */
  char *saved; /* ISO 8601 UTC */
  char *edit;  /* the saved thing the draft edits, or NULL for a new one */
  char *title; /* what it edits or makes, by its display name ("title"), or NULL */
};

char *wiz_drafts_dir(void);
/** Letters, digits, '.', '_' and '-', 1 to 100 characters, not starting with '.'. */
bool wiz_draft_name_valid(const char *name);
/** Save (name NULL: "<form>-<UTC time>"); *out_name gets the name used (fresh). */
enum wiz_result wiz_draft_save(struct wizard *w, const char *name, char **out_name);
/** Every draft, newest first. */
enum wiz_result wiz_draft_list(struct wiz_draft_info **out, size_t *out_n);
void wiz_draft_list_free(struct wiz_draft_info *list, size_t n);
/** Read a draft: the form id and the whole document (new reference). */
enum wiz_result wiz_draft_read(const char *name, char **out_form, json_t **out_doc);
/** Apply a draft document: answers, then the same step and focus. */
enum wiz_result wiz_draft_apply(struct wizard *w, json_t *doc, struct strbuf *errors);
int wiz_draft_remove(const char *name);

#endif
