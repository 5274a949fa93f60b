/*
 * doctor: the prerequisites check of a Synapse connection (`synwiz doctor CONNECTION
 * [--fix]`, and after Save in the connection wizard): which Azure role assignments and
 * settings the connection needs, which are missing, and granting them.
 *
 * Two parts:
 *
 *   doctor_evaluate()   pure: from the JSON gathered from Azure (struct doctor_facts: the
 *                       workspace, the storage account, role assignments and definitions,
 *                       effective permissions) to findings. No I/O; the unit tests feed it
 *                       fixtures (tests/unit/test_doctor.c).
 *   doctor_start()...   the run on the Azure client: gathers the facts (independent calls in
 *                       parallel), evaluates them, and with `fix` grants what is missing where
 *                       the signed-in identity may (checked first through the permissions
 *                       API), prints the exact commands an administrator can run where it may
 *                       not, then checks again, waiting with a countdown for the new
 *                       assignments to take effect (bounded, cancellable) instead of failing.
 *
 * What is checked (behavior.md sections 5 and 6, API.md D.6), for the signed-in identity
 * ("you") and the workspace's managed identity:
 *   tenant              the subscription and the workspace's identity are in the signed-in
 *                       tenant
 *   reader              you: Reader at least on the workspace's resource group (assignments
 *                       at that scope and above; any role whose actions include reading
 *                       counts, so Owner and Contributor do)
 *   blob_user           you: Storage Blob Data Contributor (or a role with the same data
 *                       actions) on the container, its account or above; Owner does not count
 *                       (it has no data actions)
 *   blob_workspace      the same for the workspace's managed identity
 *   synapse_artifacts   you: Synapse Contributor (or Synapse Administrator, or Artifact
 *                       Publisher) on the workspace: lake databases and pipelines
 *   synapse_credentials you: Synapse Credential User (or Synapse Administrator) on the
 *                       workspace: running pipelines with the workspace's identity
 *   hns                 the storage account has hierarchical namespace
 *   storage_network     firewall and public network access of the account, against the
 *                       connection's Private Link choice (behavior.md 6.5)
 *   private_link        the Private Link choice: public access must be disabled and a private
 *                       endpoint approved
 *   workspace_network   data exfiltration protection and public network access of the
 *                       workspace
 * A role assignment that exists but is not in effect yet (Azure takes up to 15 minutes to
 * propagate one) is a warning marked `pending`, never a failure.
 *
 * Call order (the run): doctor_start() -> the client's loop (app_ctx_wait) runs it; progress
 * and the end are reported through the callbacks, always from inside the loop, never from
 * doctor_start(). doctor_cancel() stops it at once (no callback follows). Then
 * doctor_report() adds the findings to a report, and doctor_delete().
 */
#ifndef SYNWIZ_APP_DOCTOR_H
#define SYNWIZ_APP_DOCTOR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "wizard/wiz_host.h"

struct app_ctx;
struct store_connection;

/* The built-in roles the check proposes (the same GUIDs in every tenant and cloud). */
#define DOCTOR_ROLE_READER                  "Reader"
#define DOCTOR_ROLE_BLOB_DATA_CONTRIBUTOR   "Storage Blob Data Contributor"
#define DOCTOR_ROLE_SYNAPSE_CONTRIBUTOR     "Synapse Contributor"
#define DOCTOR_ROLE_SYNAPSE_CREDENTIAL_USER "Synapse Credential User"
/* How long the check waits for new assignments to take effect, by default. */
#define DOCTOR_PROPAGATION_TIMEOUT_MS (5 * 60 * 1000)

/* What the check is about: a connection (all strings owned). */
struct doctor_target {
  char *name; /* the connection's display name */
  char *subscription_id;
  char *workspace_name;
  char *workspace_resource_group;
  char *workspace_id;           /* ARM id; computed when the record has none */
  char *workspace_dev_endpoint; /* or NULL: from the cloud's suffix */
  char *workspace_principal_id; /* or NULL: read from the workspace */
  char *storage_account;
  char *storage_resource_group;
  char *storage_account_id; /* ARM id; computed when the record has none */
  char *container;
  bool private_link;
};

void doctor_target_init(struct doctor_target *t);
void doctor_target_done(struct doctor_target *t);
/** From a stored connection (not a redacted one). */
void doctor_target_from_connection(struct doctor_target *t, const struct store_connection *c);
/** Fill the ids the record left out (workspace and storage account ids). */
void doctor_target_complete(struct doctor_target *t);

/* Who runs the check. */
struct doctor_caller {
  const char *object_id;
  const char *tenant_id;
  const char *principal_type; /* "User" or "ServicePrincipal" */
  const char *label;          /* "dana@contoso.onmicrosoft.com" */
};

/* ---- the pure part ----------------------------------------------------------------- */

enum doctor_fact {
  DOCTOR_WORKSPACE,      /* ARM GET of the workspace */
  DOCTOR_STORAGE,        /* ARM GET of the storage account */
  DOCTOR_SUBSCRIPTIONS,  /* ARM list of subscriptions ({"value": [...]}) */
  DOCTOR_USER_RA_WS,     /* your role assignments at the workspace and above */
  DOCTOR_USER_RA_SA,     /* your role assignments at, above and below the storage account */
  DOCTOR_MI_RA_SA,       /* the workspace identity's, at, above and below the account */
  DOCTOR_ROLE_DEFS,      /* {"value": [role definitions]}: those the assignments name */
  DOCTOR_SYNAPSE_RA,     /* your Synapse role assignments on the workspace */
  DOCTOR_SYNAPSE_DEFS,   /* Synapse role definitions ({"value": [...]}) */
  DOCTOR_USER_PERMS_SA,  /* your effective permissions at the storage account */
  DOCTOR_SYNAPSE_ACCESS, /* checkAccessSynapseRbac for you (the actions below) */
  DOCTOR_FACT_COUNT_
};

/* What was gathered: each fact's JSON (borrowed), or NULL with a sentence in error[] and
 * the HTTP status in status[] (NULL and no error: not gathered, e.g. the workspace has no
 * identity). */
struct doctor_facts {
  json_t *json[DOCTOR_FACT_COUNT_];
  const char *error[DOCTOR_FACT_COUNT_];
  int status[DOCTOR_FACT_COUNT_];
};

/* The Synapse actions checked (the checkAccessSynapseRbac request lists them). */
extern const char *const doctor_synapse_actions[];
extern const size_t doctor_n_synapse_actions;

enum doctor_grant_kind { DOCTOR_GRANT_ARM, DOCTOR_GRANT_SYNAPSE };

/* A role assignment that would fix a finding. */
struct doctor_grant {
  enum doctor_grant_kind kind;
  char *role_name;
  char *role_id;         /* GUID */
  char *scope;           /* ARM: a resource id; Synapse: "workspaces/{name}" */
  char *scope_label;     /* "storage account contosolake" */
  char *principal_id;    /* object id */
  char *principal_type;  /* "User" or "ServicePrincipal" */
  char *principal_label; /* "you (dana@...)", "the workspace's managed identity (...)" */
};

struct doctor_finding {
  char *key; /* "tenant", "reader", "blob_user"... (see above) */
  enum wiz_finding_status status;
  char *title, *detail, *scope, *why;
  bool pending;               /* assigned, not in effect yet */
  bool unchecked;             /* its facts could not be read: neither a pass nor a miss */
  struct doctor_grant *grant; /* what fixes it (FAIL or pending), or NULL */
};

struct doctor_findings {
  struct doctor_finding *items;
  size_t n, cap;
};

void doctor_findings_done(struct doctor_findings *f);
const struct doctor_finding *doctor_findings_get(const struct doctor_findings *f, const char *key);
/** The check: appends one finding per rule, in the order above. */
void doctor_evaluate(const struct doctor_target *t, const struct doctor_caller *who,
                     const struct doctor_facts *facts, struct doctor_findings *out);
/** May the caller create Synapse role assignments on the workspace (Synapse Administrator,
 * or Azure Owner on the workspace)? From the facts. */
bool doctor_may_grant_synapse(const struct doctor_target *t, const struct doctor_caller *who,
                              const struct doctor_facts *facts);
/** The commands an administrator can run to make `g` (fresh, one command per line: Azure
 * CLI, then synwiz rest). `arm` is the cloud's resource manager URL, `dev` the workspace's
 * dev endpoint. */
char *doctor_grant_commands(const struct doctor_grant *g, const char *arm, const char *dev);
/** Does scope `a` cover `target` (equal or an ancestor; case-insensitive)? */
bool doctor_scope_covers(const char *a, const char *target);

/* ---- the run ----------------------------------------------------------------------- */

struct doctor;
typedef void (*doctor_progress_fn)(void *ud, const struct wiz_progress *p);
typedef void (*doctor_done_fn)(void *ud, struct doctor *d);

struct doctor_options {
  bool fix;                   /* grant what is missing, then check again */
  int propagation_timeout_ms; /* 0 = DOCTOR_PROPAGATION_TIMEOUT_MS */
  int first_recheck_ms;       /* 0 = 2000; the wait doubles up to 15 s */
  bool dry_run;               /* the client sends no writes: do not wait for their effect */
  doctor_progress_fn progress;
  doctor_done_fn done;
  void *ud;
};

struct doctor *doctor_start(struct app_ctx *app, const struct doctor_target *t,
                            const struct doctor_options *o);
/** Stop now (what was granted stays granted; the report says so). No callback follows. */
void doctor_cancel(struct doctor *d);
/** True once done (or cancelled). */
bool doctor_finished(const struct doctor *d);
/** The findings so far (an export's run reads blob_user and synapse_artifacts). */
const struct doctor_findings *doctor_findings_of(const struct doctor *d);
/** Why the check could not run at all, or NULL. */
const char *doctor_fatal(const struct doctor *d);
/** Something required is missing (a FAIL). */
bool doctor_missing(const struct doctor *d);
/** Something can be granted by the fix (a FAIL with a grant). */
bool doctor_fixable(const struct doctor *d);
/** Add what was done and found to `r`: the grants made or refused (with the commands for an
 * administrator), then the findings; sets r's summary line and, unless `keep_outcome`, its
 * outcome (DONE when nothing is missing, REFUSED when something is, CANCELLED). */
void doctor_report(const struct doctor *d, struct wiz_report *r, bool keep_outcome);
/** How long the run took, and how long it waited for propagation (ms). */
long doctor_elapsed_ms(const struct doctor *d);
long doctor_waited_ms(const struct doctor *d);
void doctor_delete(struct doctor *d);

#endif
