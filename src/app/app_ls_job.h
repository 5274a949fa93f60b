/*
 * app_ls_job: a job of the Azure ML linked-service wizard's host (app_host_linked_service.c):
 * what it reads from the answers or from the saved linked service, and the steps of Test
 * connection that its actions share (app_job.h), in the order they run:
 *   workspace    read the Synapse workspace: data exfiltration protection, its identity,
 *                its dev endpoint; a self-hosted runtime is refused
 *   pools        its Spark pools (the MLflow note, said last); then by authentication:
 *   managed identity: roles -> role_eval -> roles_done: the role assignments of the
 *                workspace's identity at the Azure ML workspace and above (atScope() and
 *                assignedTo(...)); Contributor, Owner or a role whose actions cover the
 *                workspace passes
 *   service principal (secret): sp_read -> sp_perms: a one-off token as the principal
 *                (az_guest.h: never cached, never logged), GET the Azure ML workspace and
 *                its permissions as it
 *   service principal (Key Vault reference): kv -> sp_lookup -> roles...: the Key Vault
 *                linked service exists; the principal (found by application id through
 *                Graph) holds the role (synwiz cannot read the secret to sign in)
 *   a missing role: may_grant: the caller's permissions at the Azure ML workspace say
 *                whether it may grant (roleAssignments/write): then the report offers
 *                linked_service_grant, else it prints the commands for someone who may; with
 *                the grant (the action, or grant_role=true): grant, then tick, a visible
 *                countdown while the role propagates (SYNWIZ_ROLE_WAIT_SECONDS, default 60;
 *                a service principal is probed every few seconds and the wait ends as soon
 *                as it can read), and the test again.
 * A passed test ends Test and Grant, and goes on to S_SAVE_NAME for Save. The step table
 * itself is the host's (it names these functions); the step ids below index it.
 */
#ifndef SYNWIZ_APP_APP_LS_JOB_H
#define SYNWIZ_APP_APP_LS_JOB_H

#include <jansson.h>
#include <stdbool.h>

#include "app/app_job.h"
#include "app/app_linked_service.h"
#include "app/app_sources.h"

struct app_ls_checks;
struct az_guest;

enum ls_mode { ACT_TEST, ACT_GRANT, ACT_SAVE, ACT_REMOVE_ASK, ACT_REMOVE };

enum ls_step {
  S_WORKSPACE, /* read the Synapse workspace: protection, identity, dev endpoint */
  S_POOLS,     /* its Spark pools (the MLflow note); then by kind of authentication: */
  S_ROLES,     /* managed identity or principal found: its role assignments */
  S_ROLE_EVAL, /* ... each one's role definition until one covers the workspace */
  S_ROLES_DONE,
  S_MAY_GRANT, /* missing: may the caller grant it? */
  S_GRANT,
  S_TICK,       /* the propagation countdown, one second a step */
  S_SP_READ,    /* service principal with a secret: sign in as it, read the workspace */
  S_SP_PERMS,   /* ... and its permissions there */
  S_KV,         /* Key Vault reference: the Key Vault linked service exists */
  S_SP_LOOKUP,  /* ... the principal found by application id through Graph */
  S_SAVE_NAME,  /* save: the name is free (or, edited, still there) */
  S_PUT,        /* ... PUT, follow, read back; then the store record */
  S_LOOK_AGAIN, /* ... the PUT's answer or its operation failed: read what Synapse holds */
  S_REMOVE_READ,
  S_DELETE,
  S_REMOVED,
};

struct app_ls_job {
  struct app_job base;          /* first: the runner's */
  struct app_ls_checks *checks; /* what the host's rules looked up (borrowed) */
  enum ls_mode mode;
  bool grant;      /* grant a missing role when allowed (the grant action, or grant_role) */
  bool editing;    /* the host is bound to a saved linked service: Save updates it */
  bool from_saved; /* the saved linked service is tested as Synapse holds it (home screen) */
  char *title;     /* the report's title, when title_for() does not give it */
  /* the answers */
  struct app_workspace_ref ws;
  char *name;
  char *runtime;
  char *runtime_type;
  char *ml_sub, *ml_rg, *ml_ws, *ml_id;
  enum app_ls_auth auth;
  enum app_ls_key key;
  char *client_id, *tenant, *secret; /* secret: wiped when the job ends */
  char *kv_ls, *secret_name, *secret_version;
  /* progress */
  struct az_guest *guest;
  char *principal;       /* whose role is checked and granted (object id) */
  char *principal_label; /* "the identity of workspace contoso-synapse" */
  json_t *assignments;
  size_t next;
  char *role_name; /* the role found to cover the workspace, or NULL */
  bool may_grant;
  bool granted;
  size_t missing_finding; /* the FAIL saying the role is missing (+1; 0 = none) */
  bool waiting;
  int wait_total, wait_left;
  json_t *sent;    /* the properties PUT (holds the secret) */
  bool put_sent;   /* the PUT went out (a cancel cannot call it back) */
  char *put_error; /* how following the PUT failed, before it was read again */
  enum az_result put_result;
  bool delete_sent;  /* the DELETE went out */
  char *spark_pools; /* "sparkpool33 (3.3), ..." of the workspace, or NULL */
};

struct app_ls_job *app_ls_of(struct app_job *job);
/** The workspace as the Synapse data plane is addressed (its dev endpoint, else its name). */
const char *app_ls_ws_dev(const struct app_ls_job *j);
/** Copy what the job needs from the answers; false (with a finding) when something is off. */
bool app_ls_job_read_answers(struct app_ls_job *j, const struct wiz_answers *a);
/** ... or from the saved linked service the host is bound to (`gone`: removed outside). */
bool app_ls_job_read_saved(struct app_ls_job *j, const struct app_workspace_ref *ws,
                           const struct app_ls_saved *saved, bool gone);
/** The job class's done(): frees the job's fields (the secret wiped). */
void app_ls_job_done(struct app_job *job);

/* The steps of Test connection (struct app_step's start and done). */
struct az_call *app_ls_workspace_start(struct app_job *job);
int app_ls_workspace_done(struct app_job *job, struct az_call *call);
struct az_call *app_ls_pools_start(struct app_job *job);
int app_ls_pools_done(struct app_job *job, struct az_call *call);
struct az_call *app_ls_roles_start(struct app_job *job);
int app_ls_roles_read(struct app_job *job, struct az_call *call);
struct az_call *app_ls_role_eval_start(struct app_job *job);
int app_ls_role_eval_done(struct app_job *job, struct az_call *call);
int app_ls_roles_done(struct app_job *job, struct az_call *call);
struct az_call *app_ls_may_grant_start(struct app_job *job);
int app_ls_may_grant_done(struct app_job *job, struct az_call *call);
struct az_call *app_ls_grant_start(struct app_job *job);
int app_ls_grant_done(struct app_job *job, struct az_call *call);
struct az_call *app_ls_tick_start(struct app_job *job);
int app_ls_tick_done(struct app_job *job, struct az_call *call);
struct az_call *app_ls_sp_read_start(struct app_job *job);
int app_ls_sp_read_done(struct app_job *job, struct az_call *call);
struct az_call *app_ls_sp_perms_start(struct app_job *job);
int app_ls_sp_perms_done(struct app_job *job, struct az_call *call);
struct az_call *app_ls_kv_start(struct app_job *job);
int app_ls_kv_done(struct app_job *job, struct az_call *call);
struct az_call *app_ls_sp_lookup_start(struct app_job *job);
int app_ls_sp_lookup_done(struct app_job *job, struct az_call *call);

#endif
