/*
 * app_export: the export wizard's rules and answers, and an export's schedule (issue 11),
 * shared by the wizard's host (app_host_export.c), the CLI (cmd_export.c) and the refresh.
 *
 * Schedules are kept in the store as store_schedule (store_export.h): Off, or custom with
 * recurrence "daily" and a time HH:MM (UTC), or recurrence "every N hours" (time "00:00",
 * the hours counted from the last run's start, or due at once when it never ran).
 *
 * The answers file's `schedule` may be "off", {"daily": "HH:MM"} or {"every_hours": N}
 * (README), or the form's own fields (schedule, schedule_time, schedule_hours):
 * app_export_answers_normalize() turns the first forms into the second.
 */
#ifndef SYNWIZ_APP_APP_EXPORT_H
#define SYNWIZ_APP_APP_EXPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "app/app_action.h"
#include "app/store_export.h"

extern const struct app_action app_export_actions[];
extern const char *const app_export_rules[];
struct app_host_base *app_host_export_open(struct app_ctx *app, struct strbuf *why,
                                           enum app_result *out_rc);

/** Database names: a letter, then letters and digits, at most 24 (the metastore's rule). NULL
 * when valid, else the sentence saying why (static). */
const char *app_export_database_name_problem(const char *name);
/** Display names: 1-100 characters, no control characters. NULL or why (static). */
const char *app_export_display_name_problem(const char *name);

/** Set *out from "off", "daily" + "HH:MM", or "every_hours" + "N"; false with why (static). */
bool app_export_schedule_set(struct store_schedule *out, const char *kind, const char *arg,
                             const char **why);
/** "Off", "Daily at 02:00 UTC", "Every 6 hours" (fresh). */
char *app_export_schedule_text(const struct store_schedule *s);
/** Hours of an "every N hours" schedule, or 0. */
int app_export_schedule_hours(const struct store_schedule *s);
/** Is the export due at `now` given its last run's start (0: never ran)? Off: never. */
bool app_export_due(const struct store_schedule *s, time_t last_start, time_t now);

/** The answers of a saved export (edit mode; new reference). */
json_t *app_export_answers(const struct store_export *e, const char *connection_name);
/** Rewrite `schedule` given as "off", {"daily": "HH:MM"} or {"every_hours": N} into the
 * form's fields; false with why (static) when it is neither. */
bool app_export_answers_normalize(json_t *answers, const char **why);

#endif
