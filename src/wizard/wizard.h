/*
 * wizard: the engine that runs a form (form.h) against a host (wiz_host.h). No curses, no
 * network: the screens (ui/) and the headless twin (headless.h) both drive this API.
 *
 * Model. Steps 0..n-1 are the form's steps; step n is the review. Each field has a value
 * in the wizard's working copy of the answers; the host and the review see a snapshot of
 * the visible fields (wiz_snapshot()). A field is visible when its visible_when conditions
 * hold, and enabled when its enabled_when conditions hold and every field its source reads
 * is set. Changing a field clears, transitively, every field that depends on it
 * (depends_on and source_args), and drops the items its picker had loaded.
 *
 * Validity. wiz_check() gives a field's state: OK, WARN (valid, with a message), ERROR (a
 * message and the rule that failed), PENDING (a picker answer or a host rule still being
 * looked up). A step is valid when each of its visible fields is OK or WARN. Messages are
 * shown once a field was touched (edited, left, or Next was tried) or holds a value.
 *
 * Navigation. wiz_next() stays on an invalid step, puts the focus on the first invalid
 * field and sets the status line to "<label>: <message>". In unattended mode (answers file
 * with gaps) Next skips the steps that are already valid.
 *
 * Async. wiz_refresh() starts the picker loads the current step needs; the host delivers
 * them later (wiz_load_deliver), the caller's loop keeps calling host->ops->wait() while
 * wiz_pending() > 0. Actions (the form's finish action, its other actions, a report's
 * follow-ups) run one at a time: wiz_start_action(), then wiz_job_*() to follow them.
 *
 * Ownership: the wizard borrows the form and the host; both must outlive it.
 */
#ifndef SYNWIZ_WIZARD_WIZARD_H
#define SYNWIZ_WIZARD_WIZARD_H

#include <stdbool.h>
#include <stddef.h>

#include "wizard/answers.h"
#include "wizard/form.h"
#include "wizard/rules.h"
#include "wizard/wiz_host.h"
#include "wizard/wiz_result.h"

struct wizard;

enum wiz_load_state { WIZ_LOAD_IDLE, WIZ_LOAD_LOADING, WIZ_LOAD_DONE, WIZ_LOAD_FAILED };
enum wiz_job_state { WIZ_JOB_NONE, WIZ_JOB_RUNNING, WIZ_JOB_DONE };
/* Which of a field's sources: the items (every picker kind) or a mapping's columns. */
enum wiz_src { WIZ_SRC_ITEMS = 0, WIZ_SRC_COLUMNS = 1 };

struct wizard *wiz_new(const struct wiz_form *form, struct wiz_host *host);
void wiz_delete(struct wizard *w);
const struct wiz_form *wiz_form(const struct wizard *w);
struct wiz_host *wiz_get_host(const struct wizard *w);

/* --- steps and fields --- */
size_t wiz_step(const struct wizard *w);
/** The form's steps plus the review. */
size_t wiz_step_count(const struct wizard *w);
bool wiz_on_review(const struct wizard *w);
const char *wiz_step_title(const struct wizard *w, size_t step);
bool wiz_visible(const struct wizard *w, size_t field);
bool wiz_enabled(const struct wizard *w, size_t field);
/** Visible, not a banner or read-only value: the cursor can stop there. */
bool wiz_focusable(const struct wizard *w, size_t field);
const struct wiz_value *wiz_value(const struct wizard *w, size_t field);
/** What the screens show for a value (secrets masked; "" when unset). Fresh string. */
char *wiz_display(const struct wizard *w, size_t field);
/** Why a field is disabled ("Choose a Subscription first."), or NULL when enabled. */
const char *wiz_disabled_reason(struct wizard *w, size_t field);

/* --- edits (each clears the fields that depend on the one changed) --- */
enum wiz_result wiz_set_text(struct wizard *w, size_t field, const char *text);
/** A secret and, when it came from one, the environment variable that held it. */
enum wiz_result wiz_set_secret(struct wizard *w, size_t field, const char *secret, const char *env);
enum wiz_result wiz_set_bool(struct wizard *w, size_t field, bool b);
enum wiz_result wiz_set_choice(struct wizard *w, size_t field, const char *option_id);
/** Choose loaded item `index`; a refused item leaves the value and gives its reason. */
enum wiz_result wiz_pick(struct wizard *w, size_t field, size_t index, const char **out_reason);
/** "Create new": the name must pass the form's create_new rule. */
enum wiz_result wiz_pick_new(struct wizard *w, size_t field, const char *name,
                             const char **out_msg);
enum wiz_result wiz_multi_toggle(struct wizard *w, size_t field, size_t index);
enum wiz_result wiz_multi_all(struct wizard *w, size_t field, bool on);
bool wiz_multi_has(const struct wizard *w, size_t field, const char *item_id);
/** Map attribute `attr` to column `column` (NULL unmaps). */
enum wiz_result wiz_map_set(struct wizard *w, size_t field, const char *attr, const char *column);
const char *wiz_map_get(const struct wizard *w, size_t field, const char *attr);
/** Propose a column for every unmapped attribute: same name ignoring case, compatible type. */
size_t wiz_map_propose(struct wizard *w, size_t field);
/** Whether a column of type `col` can feed an attribute of type `attr`. */
bool wiz_types_compatible(const char *attr, const char *col);
void wiz_clear(struct wizard *w, size_t field);
/** Mark a field as touched (its message shows from now on). */
void wiz_touch(struct wizard *w, size_t field);
/** An answers-file problem for a field (cleared by the next edit of that field). */
void wiz_set_answer_error(struct wizard *w, size_t field, const char *message);
/** A picker answer to resolve when its items arrive (id or label; is_new = create it). */
void wiz_set_pending_pick(struct wizard *w, size_t field, const char *answer);
/** The form's preselection of a picker (its "default", or "" with "preselect": "first"):
 * resolved as wiz_set_pending_pick, but a miss leaves the field empty instead of an error. */
void wiz_set_pending_default(struct wizard *w, size_t field, const char *answer);
/** A new answer replaces the list (an answers file over an edit's saved answers). */
void wiz_clear_pending_multi(struct wizard *w, size_t field);
void wiz_add_pending_multi(struct wizard *w, size_t field, const char *answer);
/** Set an item directly (resuming a draft: no lookup). */
void wiz_set_item(struct wizard *w, size_t field, const struct wiz_item *item);

/* --- repeated groups (kind "group": its member fields once per item of its source) ---
 * The members' state is kept per entry; the entry in focus is the one every API on a
 * member field (wiz_value, wiz_items, wiz_pick, wiz_map_set...) speaks of. */
/** How many entries (the group's source's items, once loaded). */
size_t wiz_group_count(const struct wizard *w, size_t group);
const struct wiz_item *wiz_group_item(const struct wizard *w, size_t group, size_t entry);
/** Bring an entry's members in (drawing each entry); put the focus entry back after. */
void wiz_group_select(struct wizard *w, size_t group, size_t entry);
/** Put the focus on a member of an entry (the one the member APIs then speak of). */
void wiz_group_set_focus(struct wizard *w, size_t group, size_t entry, size_t member);
/** The entry in focus, and in *out_member the member's index in the group's `members`. */
size_t wiz_group_focus(const struct wizard *w, size_t group, size_t *out_member);

/* --- validity --- */
/** The field's state; *out_msg and *out_rule (may be NULL) stay valid until the next call. */
enum wiz_check wiz_check(struct wizard *w, size_t field, const char **out_msg,
                         const char **out_rule);
bool wiz_message_shown(const struct wizard *w, size_t field);
bool wiz_step_valid(struct wizard *w, size_t step, size_t *out_first_invalid);

/* --- navigation --- */
enum wiz_result wiz_next(struct wizard *w);
enum wiz_result wiz_back(struct wizard *w);
/** Go to a step: backwards always, forwards when every step before it is valid. */
enum wiz_result wiz_goto(struct wizard *w, size_t step);
/** Go to a step unconditionally (resuming a draft). */
void wiz_set_step(struct wizard *w, size_t step);
size_t wiz_focus(const struct wizard *w);
void wiz_set_focus(struct wizard *w, size_t field);
/** Move the focus to the next (+1) or previous (-1) focusable field of the step. */
bool wiz_move_focus(struct wizard *w, int dir);
const char *wiz_status(const struct wizard *w);
void wiz_set_status(struct wizard *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wiz_set_unattended(struct wizard *w, bool on);
bool wiz_unattended(const struct wizard *w);
/** The saved thing this wizard edits (NULL: it makes a new one). A draft keeps it, so that
 * resuming the draft edits the same thing instead of making a second one. */
void wiz_set_editing(struct wizard *w, const char *name);
const char *wiz_editing(const struct wizard *w);

/* --- picker loads --- */
/** Start the loads the current step's visible, enabled pickers need. */
void wiz_refresh(struct wizard *w);
/** Start the loads of every step (the headless twin resolving answers). */
void wiz_refresh_step(struct wizard *w, size_t step);
enum wiz_load_state wiz_load_state(const struct wizard *w, size_t field, enum wiz_src which);
const struct wiz_list *wiz_items(const struct wizard *w, size_t field, enum wiz_src which);
const char *wiz_load_error(const struct wizard *w, size_t field, enum wiz_src which,
                           const char **out_hint);
/** How a failed load failed (wiz_load_fail_as); WIZ_OUTCOME_DONE when it did not fail. */
enum wiz_outcome wiz_load_outcome(const struct wizard *w, size_t field, enum wiz_src which);
void wiz_retry(struct wizard *w, size_t field);
/** Loads and actions in flight. */
size_t wiz_pending(const struct wizard *w);

/* --- actions --- */
/* A follow-up WIZ_FOLLOWUP_FIELD "id" goes to that field (wiz_host.h). */
enum wiz_result wiz_start_action(struct wizard *w, const char *action, const char *label);
/** Every step valid: start the form's finish action; else go to the first invalid step. */
enum wiz_result wiz_finish(struct wizard *w);
void wiz_cancel_action(struct wizard *w);
enum wiz_job_state wiz_job_state(const struct wizard *w);
const char *wiz_job_label(const struct wizard *w);
const struct wiz_progress *wiz_job_progress_now(const struct wizard *w);
/** The last finished job's report (owned by the wizard), or NULL. */
const struct wiz_report *wiz_job_report(const struct wizard *w);
/** Forget the finished job and its report. */
void wiz_job_clear(struct wizard *w);
/** True once the finish action ended with WIZ_OUTCOME_DONE. */
bool wiz_finished(const struct wizard *w);
/** The outcome of the last finished job (WIZ_OUTCOME_CANCELLED when none ran). */
enum wiz_outcome wiz_last_outcome(const struct wizard *w);

/* --- answers --- */
/** The visible fields with a value, read-only values included. The caller deletes it. */
struct wiz_answers *wiz_snapshot(const struct wizard *w);

#endif
