/*
 * app_export: the export wizard's rules and answers, and schedules. See app_export.h.
 */
#include "app/app_export.h"

#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *app_export_database_name_problem(const char *name)
{
  size_t n = name ? strlen(name) : 0;
  if (!n)
    return "Required.";
  if (n > 24)
    return "At most 24 characters: the Synapse metastore API refuses longer database names.";
  if (!isalpha((unsigned char)name[0]))
    return "Must start with a letter.";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c == '_' || c == '-')
      return "Only letters and digits: the Synapse metastore API that creates lake databases "
             "refuses _ and - (Synapse Studio accepts them, the API does not), so the run would "
             "upload everything and then fail.";
    if (!isalnum(c))
      return "Must contain only letters and digits.";
  }
  return NULL;
}

const char *app_export_display_name_problem(const char *name)
{
  size_t n = name ? strlen(name) : 0;
  if (!n)
    return "Required.";
  if (n > 100)
    return "At most 100 characters.";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c < 0x20 || c == 0x7f)
      return "Must not contain control characters.";
    /* It names the export's folder in the container: a path separator would nest it. */
    if (c == '/' || c == '\\')
      return "Must not contain / or \\ (it names the export's folder in the container).";
  }
  if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    return "Must not be . or ..";
  return NULL;
}

static bool time_ok(const char *t)
{
  return t && strlen(t) == 5 && isdigit((unsigned char)t[0]) && isdigit((unsigned char)t[1]) &&
         t[2] == ':' && isdigit((unsigned char)t[3]) && isdigit((unsigned char)t[4]) &&
         (t[0] - '0') * 10 + (t[1] - '0') < 24 && (t[3] - '0') * 10 + (t[4] - '0') < 60;
}

static int hours_of(const char *s)
{
  if (!s || !*s || strlen(s) > 2)
    return 0;
  for (const char *p = s; *p; p++)
    if (!isdigit((unsigned char)*p))
      return 0;
  int h = (int)strtol(s, NULL, 10);
  return h >= 1 && h <= 24 ? h : 0;
}

bool app_export_schedule_set(struct store_schedule *out, const char *kind, const char *arg,
                             const char **why)
{
  *why = NULL;
  if (!kind || strcmp(kind, "off") == 0) {
    free(out->recurrence);
    free(out->time);
    out->recurrence = out->time = NULL;
    out->mode = STORE_SCHEDULE_OFF;
    return true;
  }
  if (strcmp(kind, "daily") == 0) {
    if (!time_ok(arg)) {
      *why = "The time must be HH:MM in UTC (00:00 to 23:59).";
      return false;
    }
    free(out->recurrence);
    free(out->time);
    out->mode = STORE_SCHEDULE_CUSTOM;
    out->recurrence = xstrdup("daily");
    out->time = xstrdup(arg);
    return true;
  }
  if (strcmp(kind, "every_hours") == 0) {
    int h = hours_of(arg);
    if (!h) {
      *why = "The number of hours must be a whole number from 1 to 24.";
      return false;
    }
    free(out->recurrence);
    free(out->time);
    out->mode = STORE_SCHEDULE_CUSTOM;
    out->recurrence = xasprintf("every %d hours", h);
    out->time = xstrdup("00:00");
    return true;
  }
  *why = "The schedule is off, daily at HH:MM UTC, or every N hours.";
  return false;
}

int app_export_schedule_hours(const struct store_schedule *s)
{
  int h = 0;
  if (s->mode == STORE_SCHEDULE_CUSTOM && s->recurrence &&
      sscanf(s->recurrence, "every %d hours", &h) == 1 && h >= 1 && h <= 24)
    return h;
  return 0;
}

char *app_export_schedule_text(const struct store_schedule *s)
{
  if (s->mode == STORE_SCHEDULE_OFF)
    return xstrdup("Off");
  if (s->mode == STORE_SCHEDULE_SYSTEM_REFRESH)
    return xstrdup("With every refresh");
  int h = app_export_schedule_hours(s);
  if (h)
    return h == 1 ? xstrdup("Every hour") : xasprintf("Every %d hours", h);
  if (s->recurrence && strcmp(s->recurrence, "daily") == 0)
    return xasprintf("Daily at %s UTC", s->time ? s->time : "?");
  return xasprintf("%s at %s UTC", s->recurrence ? s->recurrence : "?", s->time ? s->time : "?");
}

bool app_export_due(const struct store_schedule *s, time_t last_start, time_t now)
{
  if (s->mode == STORE_SCHEDULE_OFF)
    return false;
  if (s->mode == STORE_SCHEDULE_SYSTEM_REFRESH)
    return true;
  int h = app_export_schedule_hours(s);
  if (h)
    return !last_start || now - last_start >= (time_t)h * 3600 - 60;
  if (!s->recurrence || strcmp(s->recurrence, "daily") != 0 || !time_ok(s->time))
    return false;
  /* Daily: due once the day's time has passed and no run started since then. */
  struct tm tm;
  gmtime_r(&now, &tm);
  tm.tm_hour = (s->time[0] - '0') * 10 + (s->time[1] - '0');
  tm.tm_min = (s->time[3] - '0') * 10 + (s->time[4] - '0');
  tm.tm_sec = 0;
  time_t slot = timegm(&tm);
  if (slot > now)
    slot -= 24 * 3600;
  return last_start < slot;
}

json_t *app_export_answers(const struct store_export *e, const char *connection_name)
{
  json_t *a = json_object();
  if (connection_name)
    json_object_set_new(a, "connection", json_string(connection_name));
  json_object_set_new(a, "display_name", json_string(e->display_name));
  json_object_set_new(a, "database_name", json_string(e->database_name));
  json_t *t = json_array();
  for (size_t i = 0; i < e->tables.n; i++)
    json_array_append_new(t, json_string(e->tables.items[i]));
  json_object_set_new(a, "tables", t);
  int h = app_export_schedule_hours(&e->schedule);
  if (h) {
    json_object_set_new(a, "schedule", json_string("every_hours"));
    char *n = xasprintf("%d", h);
    json_object_set_new(a, "schedule_hours", json_string(n));
    free(n);
  } else if (e->schedule.mode == STORE_SCHEDULE_CUSTOM && e->schedule.time) {
    json_object_set_new(a, "schedule", json_string("daily"));
    json_object_set_new(a, "schedule_time", json_string(e->schedule.time));
  } else {
    json_object_set_new(a, "schedule", json_string("off"));
  }
  return a;
}

bool app_export_answers_normalize(json_t *answers, const char **why)
{
  *why = NULL;
  json_t *s = json_object_get(answers, "schedule");
  if (!s || json_is_string(s))
    return true;
  if (!json_is_object(s) || json_object_size(s) != 1) {
    *why = "schedule: give \"off\", {\"daily\": \"HH:MM\"} or {\"every_hours\": N}.";
    return false;
  }
  json_t *daily = json_object_get(s, "daily");
  json_t *hours = json_object_get(s, "every_hours");
  if (json_is_string(daily)) {
    json_object_set(answers, "schedule_time", daily);
    json_object_set_new(answers, "schedule", json_string("daily"));
    return true;
  }
  if (json_is_integer(hours) || json_is_string(hours)) {
    char *n = json_is_integer(hours) ? xasprintf("%lld", (long long)json_integer_value(hours))
                                     : xstrdup(json_string_value(hours));
    json_object_set_new(answers, "schedule_hours", json_string(n));
    free(n);
    json_object_set_new(answers, "schedule", json_string("every_hours"));
    return true;
  }
  *why = "schedule: give \"off\", {\"daily\": \"HH:MM\"} or {\"every_hours\": N}.";
  return false;
}
