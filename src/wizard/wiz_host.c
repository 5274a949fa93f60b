/* Helpers of the host interface: declarations, reports, home data, a plain poll() wait. */
#include "wizard/wiz_host.h"
#include "util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

bool wiz_decl_has(const char *const *names, const char *name)
{
  for (size_t i = 0; names && names[i]; i++) {
    if (strcmp(names[i], name) == 0)
      return true;
  }
  return false;
}

static char *dup_or_null(const char *s)
{
  return s ? xstrdup(s) : NULL;
}

struct wiz_report *wiz_report_new(const char *title, enum wiz_outcome outcome)
{
  struct wiz_report *r = xcalloc(1, sizeof(*r));
  r->title = xstrdup(title ? title : "");
  r->outcome = outcome;
  return r;
}

void wiz_report_delete(struct wiz_report *r)
{
  if (!r)
    return;
  free(r->title);
  free(r->summary);
  for (size_t i = 0; i < r->n_findings; i++) {
    free(r->findings[i].title);
    free(r->findings[i].detail);
    free(r->findings[i].scope);
    free(r->findings[i].why);
  }
  free(r->findings);
  for (size_t i = 0; i < r->n_followups; i++) {
    free(r->followups[i].action);
    free(r->followups[i].label);
  }
  free(r->followups);
  for (size_t i = 0; i < r->n_plan; i++)
    free(r->plan[i]);
  free(r->plan);
  free(r);
}

void wiz_report_set_summary(struct wiz_report *r, const char *summary)
{
  free(r->summary);
  r->summary = dup_or_null(summary);
}

struct wiz_finding *wiz_report_add(struct wiz_report *r, enum wiz_finding_status status,
                                   const char *title, const char *detail, const char *scope,
                                   const char *why)
{
  r->findings = xgrow(r->findings, &r->cap_findings, r->n_findings + 1, sizeof(*r->findings));
  struct wiz_finding *f = &r->findings[r->n_findings++];
  f->status = status;
  f->title = xstrdup(title ? title : "");
  f->detail = dup_or_null(detail);
  f->scope = dup_or_null(scope);
  f->why = dup_or_null(why);
  return f;
}

void wiz_report_add_followup(struct wiz_report *r, const char *action, const char *label)
{
  r->followups = xgrow(r->followups, &r->cap_followups, r->n_followups + 1, sizeof(*r->followups));
  r->followups[r->n_followups].action = xstrdup(action);
  r->followups[r->n_followups].label = xstrdup(label ? label : action);
  r->n_followups++;
}

void wiz_report_add_plan(struct wiz_report *r, const char *call)
{
  r->plan = xgrow(r->plan, &r->cap_plan, r->n_plan + 1, sizeof(*r->plan));
  r->plan[r->n_plan++] = xstrdup(call);
}

const char *wiz_finding_status_name(enum wiz_finding_status s)
{
  switch (s) {
  case WIZ_FINDING_PASS:
    return "pass";
  case WIZ_FINDING_FAIL:
    return "fail";
  case WIZ_FINDING_WARN:
    return "warn";
  case WIZ_FINDING_INFO:
    return "info";
  }
  return "?";
}

const char *wiz_outcome_name(enum wiz_outcome o)
{
  switch (o) {
  case WIZ_OUTCOME_DONE:
    return "done";
  case WIZ_OUTCOME_CANCELLED:
    return "cancelled";
  case WIZ_OUTCOME_INVALID:
    return "invalid";
  case WIZ_OUTCOME_REFUSED:
    return "refused";
  case WIZ_OUTCOME_FAILED:
    return "failed";
  }
  return "?";
}

struct wiz_home *wiz_home_new(const char *identity, const char *cloud)
{
  struct wiz_home *h = xcalloc(1, sizeof(*h));
  h->identity = dup_or_null(identity);
  h->cloud = dup_or_null(cloud);
  return h;
}

static void section_done(struct wiz_home_section *s)
{
  for (size_t j = 0; j < s->n_entries; j++) {
    struct wiz_home_entry *e = &s->entries[j];
    free(e->name);
    free(e->detail);
    free(e->form);
    free(e->ref);
    for (size_t k = 0; e->cells && k < s->n_columns; k++)
      free(e->cells[k]);
    free(e->cells);
    for (size_t k = 0; k < e->n_actions; k++) {
      free(e->action[k]);
      free(e->label[k]);
    }
    free(e->action);
    free(e->label);
  }
  free(s->entries);
  for (size_t k = 0; k < s->n_columns; k++)
    free(s->columns[k]);
  free(s->columns);
  for (size_t k = 0; k < s->n_actions; k++) {
    free(s->action[k]);
    free(s->label[k]);
  }
  free(s->action);
  free(s->label);
  free(s->form);
  free(s->title);
  free(s->empty);
  free(s->why_empty);
}

void wiz_home_delete(struct wiz_home *h)
{
  if (!h)
    return;
  for (size_t i = 0; i < h->n_sections; i++)
    section_done(&h->sections[i]);
  free(h->sections);
  free(h->identity);
  free(h->cloud);
  free(h->notice);
  free(h->sign_in);
  for (size_t i = 0; i < h->n_watch; i++)
    free(h->watch[i]);
  free(h->watch);
  free(h);
}

void wiz_home_drop_last_section(struct wiz_home *h)
{
  if (h->n_sections)
    section_done(&h->sections[--h->n_sections]);
}

struct wiz_home_section *wiz_home_add_section(struct wiz_home *h, const char *title,
                                              const char *empty)
{
  h->sections = xgrow(h->sections, &h->cap, h->n_sections + 1, sizeof(*h->sections));
  struct wiz_home_section *s = &h->sections[h->n_sections++];
  memset(s, 0, sizeof(*s));
  s->title = xstrdup(title);
  s->empty = dup_or_null(empty);
  return s;
}

struct wiz_home_entry *wiz_home_add_entry(struct wiz_home_section *s, const char *name,
                                          const char *detail, const char *form)
{
  s->entries = xgrow(s->entries, &s->cap, s->n_entries + 1, sizeof(*s->entries));
  struct wiz_home_entry *e = &s->entries[s->n_entries++];
  memset(e, 0, sizeof(*e));
  e->name = xstrdup(name);
  e->detail = dup_or_null(detail);
  e->form = dup_or_null(form);
  e->ref = xstrdup(name);
  return e;
}

void wiz_home_section_set_columns(struct wiz_home_section *s, const char *const *columns)
{
  size_t n = 0;
  while (columns && columns[n])
    n++;
  s->columns = xcalloc(n + 1, sizeof(*s->columns));
  for (size_t i = 0; i < n; i++)
    s->columns[i] = xstrdup(columns[i]);
  s->n_columns = n;
}

void wiz_home_section_add_action(struct wiz_home_section *s, const char *form, const char *action,
                                 const char *label)
{
  if (!s->form)
    s->form = xstrdup(form);
  s->action = xrealloc(s->action, (s->n_actions + 1) * sizeof(*s->action));
  s->label = xrealloc(s->label, (s->n_actions + 1) * sizeof(*s->label));
  s->action[s->n_actions] = xstrdup(action);
  s->label[s->n_actions] = xstrdup(label ? label : action);
  s->n_actions++;
}

void wiz_home_entry_set_cell(const struct wiz_home_section *s, struct wiz_home_entry *e, size_t col,
                             const char *text)
{
  if (col >= s->n_columns)
    return;
  if (!e->cells)
    e->cells = xcalloc(s->n_columns, sizeof(*e->cells));
  free(e->cells[col]);
  e->cells[col] = dup_or_null(text);
}

void wiz_home_watch(struct wiz_home *h, const char *path)
{
  h->watch = xrealloc(h->watch, (h->n_watch + 1) * sizeof(*h->watch));
  h->watch[h->n_watch++] = xstrdup(path);
}

void wiz_home_entry_set_ref(struct wiz_home_entry *e, const char *ref)
{
  free(e->ref);
  e->ref = xstrdup(ref);
}

void wiz_home_entry_add_action(struct wiz_home_entry *e, const char *action, const char *label)
{
  e->action = xrealloc(e->action, (e->n_actions + 1) * sizeof(*e->action));
  e->label = xrealloc(e->label, (e->n_actions + 1) * sizeof(*e->label));
  e->action[e->n_actions] = xstrdup(action);
  e->label[e->n_actions] = xstrdup(label ? label : action);
  e->n_actions++;
}

int wiz_host_poll_wait(const int *fds, size_t n_fds, int timeout_ms)
{
  struct pollfd p[8];
  size_t n = n_fds < 8 ? n_fds : 8;
  for (size_t i = 0; i < n; i++) {
    p[i].fd = fds[i];
    p[i].events = POLLIN;
    p[i].revents = 0;
  }
  int rc = poll(p, (nfds_t)n, timeout_ms);
  if (rc < 0)
    return errno == EINTR ? 0 : -1;
  int ready = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i].revents & (POLLIN | POLLHUP | POLLERR))
      ready++;
  }
  return ready;
}
