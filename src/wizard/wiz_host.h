/*
 * wiz_host: what the engine needs from the outside world, implemented by the app layer for
 * each wizard (Azure client + store) and by tests with a fake (tests/unit/support/fake_host.c).
 *
 * Names. A host declares, in a struct wiz_decl, the names of its picker sources, actions,
 * host rules and values. Forms refer to those names; a form that names something its host
 * does not declare is refused when it is loaded (form.h). The engine names none itself: the
 * app's registry (src/app/app_action.h) says which names its hosts implement, and
 * forms/README.md lists them.
 *
 * Everything is asynchronous and single-threaded. The engine starts a picker load or an
 * action; the host answers later, from inside its wait() (or at once, inside the start
 * call: the engine copes), by calling wiz_load_deliver()/wiz_load_fail() or
 * wiz_job_progress()/wiz_job_done() on the handle it was given.
 *
 * Picker loads. start_load(ctx, source, answers, load): `answers` is a snapshot of the
 * wizard's visible answers (the source reads the fields it depends on; it must copy what it
 * keeps). The host must later call exactly one of wiz_load_deliver() or wiz_load_fail(),
 * unless the engine calls cancel_load() first: after cancel_load() returns, the handle is
 * gone and the host must not touch it. The engine owns the handle; the host may hang its
 * own data on it with wiz_load_set_data().
 *
 * Actions (save, test connection, doctor, grant...). start_action(ctx, action, answers,
 * dry_run, job): the host reports progress with wiz_job_progress() (fraction, bytes, time
 * left when known; a status line otherwise) and ends with wiz_job_done(job, report), which
 * hands over the report. cancel_action() asks to stop: the host still ends the job with
 * wiz_job_done(), outcome WIZ_OUTCOME_CANCELLED and findings saying what was done. A secret
 * in `answers` is for the request that needs it (e.g. a SecureString) and nothing else. With
 * dry_run, the host changes nothing and lists each call it would make in report->plan
 * (method, URL, body with secrets redacted).
 *
 * Host rules (uniqueness, application id versus object id): check(ctx, rule, field_id,
 * answers, msg) answers from what the host already knows; it returns WIZ_CHECK_PENDING when
 * it must look something up first, and the engine asks again after each wait(). It appends
 * the message to show to `msg`.
 *
 * The event loop. wait(ctx, fds, n, timeout_ms) runs the host's I/O (the app implements it
 * with az_client_poll, ARCHITECTURE.md 4) and returns when one of `fds` is readable, a
 * callback ran, or timeout_ms (-1: no limit) passed. It returns the number of readable fds
 * (0 when none), -1 on error. An idle host must not wake up on its own.
 *
 * Values. value(ctx, name) returns a fresh string for a named default (e.g.
 * "current_tenant"), or NULL when it has none.
 */
#ifndef SYNWIZ_WIZARD_WIZ_HOST_H
#define SYNWIZ_WIZARD_WIZ_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "wizard/answers.h"
#include "wizard/rules.h"

struct strbuf;

/* The names a host implements (NULL-terminated arrays; NULL = none). */
struct wiz_decl {
  const char *const *sources;
  const char *const *actions;
  const char *const *rules;
  const char *const *values;
};

/** True when `name` is in the NULL-terminated array `names`. */
bool wiz_decl_has(const char *const *names, const char *name);

/* --- reports --- */

enum wiz_finding_status { WIZ_FINDING_PASS, WIZ_FINDING_FAIL, WIZ_FINDING_WARN, WIZ_FINDING_INFO };

enum wiz_outcome {
  WIZ_OUTCOME_DONE,      /* exit 0 */
  WIZ_OUTCOME_CANCELLED, /* exit 1: cancelled by the user */
  WIZ_OUTCOME_INVALID,   /* exit 2: invalid input */
  WIZ_OUTCOME_REFUSED,   /* exit 3: Azure refused (authorization, validation) */
  WIZ_OUTCOME_FAILED,    /* exit 4: network or service failure */
};

struct wiz_finding {
  enum wiz_finding_status status;
  char *title;  /* "Storage Blob Data Contributor for you" */
  char *detail; /* what is missing or what was found; or NULL */
  char *scope;  /* "storage account contosolake"; or NULL */
  char *why;    /* why it matters; or NULL */
};

struct wiz_followup {
  char *action; /* a declared action name, started with the same answers */
  char *label;  /* "Grant what is missing", "Test again" */
};

struct wiz_report {
  char *title;   /* "Connection saved", "Test connection failed" */
  char *summary; /* one line, or NULL */
  enum wiz_outcome outcome;
  struct wiz_finding *findings;
  size_t n_findings, cap_findings;
  struct wiz_followup *followups;
  size_t n_followups, cap_followups;
  char **plan; /* dry run: the calls, in order */
  size_t n_plan, cap_plan;
};

struct wiz_report *wiz_report_new(const char *title, enum wiz_outcome outcome);
void wiz_report_delete(struct wiz_report *r);
void wiz_report_set_summary(struct wiz_report *r, const char *summary);
struct wiz_finding *wiz_report_add(struct wiz_report *r, enum wiz_finding_status status,
                                   const char *title, const char *detail, const char *scope,
                                   const char *why);
/* A report's follow-up whose action is WIZ_FOLLOWUP_FIELD then a field id ("field:secret")
 * changes an answer instead of running an action: wiz_start_action() closes the report and
 * goes to that field's step with the focus on it (a failed sign-in offers to change the
 * secret, not only to test again). */
#define WIZ_FOLLOWUP_FIELD "field:"
void wiz_report_add_followup(struct wiz_report *r, const char *action, const char *label);
void wiz_report_add_plan(struct wiz_report *r, const char *call);
const char *wiz_finding_status_name(enum wiz_finding_status s); /* "pass", "fail"... */
const char *wiz_outcome_name(enum wiz_outcome o);

/* --- progress --- */

struct wiz_progress {
  double fraction;       /* 0..1, or < 0 when unknown */
  long long done_bytes;  /* or < 0 */
  long long total_bytes; /* or < 0 */
  long eta_seconds;      /* time left, or < 0 */
  const char *status;    /* a line saying what happens now, or NULL (copied) */
};

/* --- handles the engine gives the host --- */

struct wiz_load;
void wiz_load_deliver(struct wiz_load *load, struct wiz_list *items); /* takes the items */
void wiz_load_fail(struct wiz_load *load, const char *message, const char *hint);
/** wiz_load_fail() saying which kind of failure it was (WIZ_OUTCOME_REFUSED when Azure or
 * the sign-in refused, WIZ_OUTCOME_FAILED for the network or the service): a run without
 * screens exits with it instead of calling the answers invalid. wiz_load_fail() is FAILED. */
void wiz_load_fail_as(struct wiz_load *load, enum wiz_outcome outcome, const char *message,
                      const char *hint);
const char *wiz_load_source(const struct wiz_load *load);
void wiz_load_set_data(struct wiz_load *load, void *data);
void *wiz_load_data(const struct wiz_load *load);

struct wiz_job;
void wiz_job_progress(struct wiz_job *job, const struct wiz_progress *progress);
void wiz_job_done(struct wiz_job *job, struct wiz_report *report); /* takes the report */
const char *wiz_job_action(const struct wiz_job *job);
void wiz_job_set_data(struct wiz_job *job, void *data);
void *wiz_job_data(const struct wiz_job *job);

/* --- the home screen's data --- */

/* A section per kind of saved thing, one entry per thing. An entry's action is "edit" (the
 * form's wizard opens on the saved thing, its host in edit mode), or an action its form's
 * host declares, run on the saved thing (the host bound to it as for "edit"), with its
 * progress and report on screen. The host is bound by the entry's ref: what its edit mode
 * takes to find the saved thing, which the name alone may not be (a linked service's name
 * is unique only in its Synapse workspace). A section's own actions ("Run all") run on the
 * section's form's host unbound (no ref). */
struct wiz_home_entry {
  char *name;    /* "sales_lake" */
  char *detail;  /* "contoso-synapse / contosolake / customerinsights", or NULL */
  char *form;    /* the form whose host runs the actions, e.g. "connection" */
  char *ref;     /* what the host's edit mode is given: set by wiz_home_entry_set_ref, else name */
  char **cells;  /* one per column of its section (wiz_home_entry_set_cell), or NULL */
  char **action; /* action names (declared by that form's host) ... */
  char **label;  /* ... and their labels */
  size_t n_actions;
};

struct wiz_home_section {
  char *title;     /* "Connections" */
  char *empty;     /* what to say when there is none */
  char *why_empty; /* or NULL: why this section cannot be listed (e.g. not signed in) */
  char **columns;  /* the headings after the name ("Workspace", "Status", "Last run"...) */
  size_t n_columns;
  char *form;    /* the form whose host runs the section's actions, or NULL */
  char **action; /* the section's actions ("Run all"), not bound to one thing ... */
  char **label;  /* ... and their labels */
  size_t n_actions;
  struct wiz_home_entry *entries;
  size_t n_entries, cap;
};

struct wiz_home {
  char *identity; /* "dana@contoso.onmicrosoft.com", or NULL when not signed in */
  char *cloud;    /* "Sandbox (local stand-in for Azure)", "AzureCloud" */
  char *notice;   /* a line to show, or NULL */
  char *sign_in;  /* signed out: how to sign in (the home offers it as an action), or NULL */
  char **watch;   /* files and directories whose change makes this data stale */
  size_t n_watch;
  struct wiz_home_section *sections;
  size_t n_sections, cap;
};

struct wiz_home *wiz_home_new(const char *identity, const char *cloud);
void wiz_home_delete(struct wiz_home *h);
struct wiz_home_section *wiz_home_add_section(struct wiz_home *h, const char *title,
                                              const char *empty);
/** Remove the section added last. */
void wiz_home_drop_last_section(struct wiz_home *h);
/** The section's column headings (NULL-terminated; before any entry is added). */
void wiz_home_section_set_columns(struct wiz_home_section *s, const char *const *columns);
/** A section-wide action run by `form`'s host, unbound. */
void wiz_home_section_add_action(struct wiz_home_section *s, const char *form, const char *action,
                                 const char *label);
struct wiz_home_entry *wiz_home_add_entry(struct wiz_home_section *s, const char *name,
                                          const char *detail, const char *form);
/** The entry's cell in column `col` of its section `s` (NULL: blank). */
void wiz_home_entry_set_cell(const struct wiz_home_section *s, struct wiz_home_entry *e, size_t col,
                             const char *text);
void wiz_home_entry_add_action(struct wiz_home_entry *e, const char *action, const char *label);
/** Give the entry a ref other than its name (see struct wiz_home_entry). */
void wiz_home_entry_set_ref(struct wiz_home_entry *e, const char *ref);
/** Watch `path` (a file or directory): its change means the data is stale. */
void wiz_home_watch(struct wiz_home *h, const char *path);

/* --- the host --- */

struct wiz_host_ops {
  int (*start_load)(void *ctx, const char *source, const struct wiz_answers *answers,
                    struct wiz_load *load);
  void (*cancel_load)(void *ctx, struct wiz_load *load);
  enum wiz_check (*check)(void *ctx, const char *rule, const char *field_id,
                          const struct wiz_answers *answers, struct strbuf *msg);
  int (*start_action)(void *ctx, const char *action, const struct wiz_answers *answers,
                      bool dry_run, struct wiz_job *job);
  void (*cancel_action)(void *ctx, struct wiz_job *job);
  int (*wait)(void *ctx, const int *fds, size_t n_fds, int timeout_ms);
  char *(*value)(void *ctx, const char *name);
  /** The home screen's data (fresh; the caller deletes it), or NULL. */
  struct wiz_home *(*home)(void *ctx);
};

struct wiz_host {
  const struct wiz_host_ops *ops;
  void *ctx;
  const struct wiz_decl *decl;
  bool dry_run;
};

/** poll() on the fds: the wait of a host that has no I/O of its own. */
int wiz_host_poll_wait(const int *fds, size_t n_fds, int timeout_ms);

#endif
