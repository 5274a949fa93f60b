/*
 * doctor_run: the prerequisites check on the Azure client (see doctor.h): gather the facts
 * in parallel, evaluate them, and with `fix` grant what is missing and check again, waiting
 * with a countdown until the new assignments are in effect.
 *
 * Phases, each made of calls in flight (every callback comes from the client's loop):
 *   GATHER  the workspace, the storage account, the subscriptions, role assignments (yours
 *           at the workspace; yours and the workspace identity's at the storage account),
 *           your Synapse role assignments and the Synapse role definitions, your effective
 *           permissions at the account, and checkAccessSynapseRbac for you
 *   DEFS    the ARM role definitions the assignments name (cached across rounds)
 *   PERMS   (fix) may you write role assignments at each scope? (the permissions API)
 *   GRANT   (fix) create the assignments you may, principalType set
 *   WAIT    (fix) a one-second tick counting down to the next GATHER, doubling the pause
 *           (2 s, 4 s, 8 s, then 15 s) until nothing granted is missing or pending, or the
 *           propagation timeout passes
 */
#include "app/doctor.h"

#include "app/app_ctx.h"
#include "azure/az_arm.h"
#include "azure/az_authz.h"
#include "azure/az_client.h"
#include "azure/az_identity.h"
#include "azure/az_synapse.h"
#include "util/jsonpath.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define RECHECK_MAX_MS 15000
#define TICK_MS        1000

enum phase { PH_GATHER, PH_DEFS, PH_PERMS, PH_GRANT, PH_WAIT, PH_DONE };

enum grant_state { G_TODO, G_NOT_ALLOWED, G_CREATED, G_EXISTED, G_FAILED, G_DRY };

struct doctor;

struct slot_ref;

/* One call in flight and what it is for. The call's callback gets a small heap `ref` (the
 * slot's index: the array moves as slots are added); it frees it, or slots_clear() does
 * when the call is deleted before its callback ran. */
struct slot {
  struct doctor *d;
  struct az_call *call;
  struct slot_ref *ref;
  int fact;    /* GATHER: the fact; DEFS/PERMS/GRANT: an index */
  char *label; /* DEFS: the role GUID */
};

struct grant_job {
  struct doctor_grant g; /* strings owned */
  char *finding_key;
  enum grant_state state;
  char *error;
};

struct perm_job {
  char *scope;
  bool allowed;
  char *error;
};

struct doctor {
  struct app_ctx *app;
  struct doctor_target t;
  struct doctor_options o;
  char *who_id, *who_tenant, *who_type, *who_label;
  json_t *json[DOCTOR_FACT_COUNT_];
  char *error[DOCTOR_FACT_COUNT_];
  int status[DOCTOR_FACT_COUNT_];
  enum az_result_class worst; /* the worst class of a failed gathering call */
  char *signin;               /* why sign-in is needed, when a gathering call said so */
  json_t *defs;               /* role GUID (lower case) -> definition, or null when unreadable */
  struct slot *slots;
  size_t n_slots, cap_slots, outstanding;
  struct perm_job *perms;
  size_t n_perms;
  struct grant_job *grants;
  size_t n_grants;
  enum phase phase;
  bool started, fixed, cancelled, timed_out;
  char *fatal;
  struct doctor_findings findings;
  struct az_call *tick;
  long wait_left_ms, recheck_ms, waited_ms, timeout_ms;
  int rounds;
  struct timespec t0;
  long elapsed_ms;
};

static void gather(struct doctor *d);
static void after_gather(struct doctor *d);
static void evaluate(struct doctor *d);

static long since_ms(const struct timespec *t0)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long)((now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000);
}

static void progress(struct doctor *d, const char *status, long eta_seconds)
{
  if (!d->o.progress)
    return;
  struct wiz_progress p = { -1, -1, -1, eta_seconds, status };
  d->o.progress(d->o.ud, &p);
}

static void finish(struct doctor *d)
{
  d->phase = PH_DONE;
  d->elapsed_ms = since_ms(&d->t0);
  if (d->o.done)
    d->o.done(d->o.ud, d);
}

/* ---- slots: the calls of the current phase ------------------------------------------- */

static void slots_clear(struct doctor *d)
{
  for (size_t i = 0; i < d->n_slots; i++) {
    az_call_delete(d->slots[i].call);
    free(d->slots[i].ref);
    free(d->slots[i].label);
  }
  free(d->slots);
  d->slots = NULL;
  d->n_slots = d->cap_slots = 0;
  d->outstanding = 0;
}

/* Slots are addressed by index (the array may move while calls are added). */
struct slot_ref {
  struct doctor *d;
  size_t i;
};

static void add_slot(struct doctor *d, struct az_call *call, int fact, const char *label,
                     az_call_done_fn fn)
{
  d->slots = xgrow(d->slots, &d->cap_slots, d->n_slots + 1, sizeof(*d->slots));
  struct slot *s = &d->slots[d->n_slots];
  s->d = d;
  s->call = call;
  s->fact = fact;
  s->label = label ? xstrdup(label) : NULL;
  d->outstanding++;
  /* The callback gets the index, packed in a small heap struct freed by the callback. */
  struct slot_ref *ref = xmalloc(sizeof(*ref));
  ref->d = d;
  ref->i = d->n_slots++;
  s->ref = ref;
  az_call_on_done(call, fn, ref);
}

/* Take the slot's call out (the callback owns deleting it). */
static struct slot *slot_of(void *ud, struct doctor **out_d)
{
  struct slot_ref *ref = ud;
  struct doctor *d = ref->d;
  struct slot *s = &d->slots[ref->i];
  free(ref);
  s->ref = NULL;
  *out_d = d;
  return s;
}

static void slot_done(struct doctor *d, struct slot *s)
{
  az_call_delete(s->call);
  s->call = NULL;
  d->outstanding--;
}

static char *error_text(const struct az_error *e)
{
  char *summary = az_error_summary(e);
  if (!e->hint)
    return summary;
  char *t = xasprintf("%s (%s)", summary, e->hint);
  free(summary);
  return t;
}

/* ---- GATHER ---------------------------------------------------------------------------- */

static const char *dev_of(const struct doctor *d)
{
  return d->t.workspace_dev_endpoint ? d->t.workspace_dev_endpoint : d->t.workspace_name;
}

static const char *mi_of(const struct doctor *d)
{
  const char *p = json_path_str(d->json[DOCTOR_WORKSPACE], "identity.principalId");
  return p ? p : d->t.workspace_principal_id;
}

/* Results that no retry fixes but a new sign-in does. */
static bool needs_signin(enum az_result r)
{
  return r == AZ_E_NOT_SIGNED_IN || r == AZ_E_AUTH || r == AZ_E_DECLINED ||
         r == AZ_E_CODE_EXPIRED || r == AZ_E_UNAUTHORIZED;
}

static void on_fact(struct az_call *call, void *ud)
{
  struct doctor *d;
  struct slot *s = slot_of(ud, &d);
  int f = s->fact;
  json_decref(d->json[f]);
  d->json[f] = NULL;
  free(d->error[f]);
  d->error[f] = NULL;
  d->status[f] = az_call_status(call);
  if (az_call_result(call) == AZ_OK) {
    d->json[f] = json_incref(az_call_json(call));
    if (!d->json[f])
      d->json[f] = json_object();
  } else {
    const struct az_error *e = az_call_error(call);
    enum az_result_class cls = az_result_class(e->result);
    if (needs_signin(e->result)) {
      /* Every call fails the same way then: say it once, at the top of the report. */
      if (!d->signin)
        d->signin = error_text(e);
      d->error[f] = xstrdup("sign-in is needed (see above).");
    } else {
      d->error[f] = error_text(e);
    }
    if (cls == AZ_CLASS_FAILURE || (cls == AZ_CLASS_REFUSED && d->worst != AZ_CLASS_FAILURE))
      d->worst = cls;
  }
  slot_done(d, s);
  if (d->outstanding == 0)
    after_gather(d);
}

static char *assigned_filter(const char *principal, bool at_scope)
{
  return xasprintf("%sassignedTo('%s')", at_scope ? "atScope() and " : "", principal);
}

static void gather_mi(struct doctor *d)
{
  const char *mi = mi_of(d);
  if (!mi)
    return;
  char *f = assigned_filter(mi, false);
  add_slot(d, az_authz_list_role_assignments(app_ctx_client(d->app), d->t.storage_account_id, f),
           DOCTOR_MI_RA_SA, NULL, on_fact);
  free(f);
}

static void gather(struct doctor *d)
{
  struct az_client *c = app_ctx_client(d->app);
  slots_clear(d);
  d->phase = PH_GATHER;
  d->worst = AZ_CLASS_OK;
  free(d->signin);
  d->signin = NULL;
  for (int i = 0; i < DOCTOR_FACT_COUNT_; i++) {
    json_decref(d->json[i]);
    d->json[i] = NULL;
    free(d->error[i]);
    d->error[i] = NULL;
    d->status[i] = 0;
  }
  const struct doctor_target *t = &d->t;
  char *status =
      xasprintf("%s the prerequisites of %s: the workspace, the storage account and "
                "the role assignments...",
                d->rounds ? "Checking again" : "Checking", t->name ? t->name : "the connection");
  progress(d, status, -1);
  free(status);
  char *fws = assigned_filter(d->who_id, true);
  char *fsa = assigned_filter(d->who_id, false);
  add_slot(
      d,
      az_arm_get_workspace(c, t->subscription_id, t->workspace_resource_group, t->workspace_name),
      DOCTOR_WORKSPACE, NULL, on_fact);
  add_slot(d,
           az_arm_get_storage_account(c, t->subscription_id, t->storage_resource_group,
                                      t->storage_account),
           DOCTOR_STORAGE, NULL, on_fact);
  add_slot(d, az_arm_list_subscriptions(c), DOCTOR_SUBSCRIPTIONS, NULL, on_fact);
  add_slot(d, az_authz_list_role_assignments(c, t->workspace_id, fws), DOCTOR_USER_RA_WS, NULL,
           on_fact);
  add_slot(d, az_authz_list_role_assignments(c, t->storage_account_id, fsa), DOCTOR_USER_RA_SA,
           NULL, on_fact);
  gather_mi(d);
  add_slot(d, az_synapse_list_role_assignments(c, dev_of(d), NULL, d->who_id, NULL),
           DOCTOR_SYNAPSE_RA, NULL, on_fact);
  add_slot(d, az_synapse_list_role_definitions(c, dev_of(d)), DOCTOR_SYNAPSE_DEFS, NULL, on_fact);
  add_slot(d, az_authz_list_permissions(c, t->storage_account_id), DOCTOR_USER_PERMS_SA, NULL,
           on_fact);
  add_slot(d,
           az_synapse_check_access(c, dev_of(d), d->who_id, doctor_synapse_actions,
                                   doctor_n_synapse_actions, NULL),
           DOCTOR_SYNAPSE_ACCESS, NULL, on_fact);
  free(fws);
  free(fsa);
}

/* ---- DEFS -------------------------------------------------------------------------------- */

static void on_def(struct az_call *call, void *ud)
{
  struct doctor *d;
  struct slot *s = slot_of(ud, &d);
  json_t *j = az_call_result(call) == AZ_OK ? az_call_json(call) : NULL;
  json_object_set(d->defs, s->label, j ? j : json_null());
  slot_done(d, s);
  if (d->outstanding == 0)
    after_gather(d);
}

/* Fetch the definitions the assignments of `fact` name that are not known yet, at the scope
 * they were listed at (where you may read). */
static void fetch_defs(struct doctor *d, int fact, const char *scope)
{
  size_t i;
  json_t *ra;
  json_array_foreach(json_object_get(d->json[fact], "value"), i, ra)
  {
    const char *id = json_path_str(ra, "properties.roleDefinitionId");
    const char *slash = id ? strrchr(id, '/') : NULL;
    if (!slash || !slash[1] || !scope)
      continue;
    char *guid = xstrdup(slash + 1);
    for (char *p = guid; *p; p++)
      *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    if (!json_object_get(d->defs, guid)) {
      json_object_set_new(d->defs, guid, json_null()); /* asked once, even if it fails */
      char *def_id =
          xasprintf("%s/providers/Microsoft.Authorization/roleDefinitions/%s", scope, guid);
      add_slot(d, az_authz_get_role_definition(app_ctx_client(d->app), def_id), 0, guid, on_def);
      free(def_id);
    }
    free(guid);
  }
}

static void after_gather(struct doctor *d)
{
  slots_clear(d);
  d->phase = PH_DEFS;
  /* The workspace's identity, when the record did not know it. */
  if (!d->json[DOCTOR_MI_RA_SA] && !d->error[DOCTOR_MI_RA_SA] && mi_of(d) &&
      !d->t.workspace_principal_id) {
    d->t.workspace_principal_id = xstrdup(mi_of(d));
    gather_mi(d);
  }
  fetch_defs(d, DOCTOR_USER_RA_WS, d->t.workspace_id);
  fetch_defs(d, DOCTOR_USER_RA_SA, d->t.storage_account_id);
  fetch_defs(d, DOCTOR_MI_RA_SA, d->t.storage_account_id);
  if (d->outstanding == 0)
    evaluate(d);
}

/* ---- evaluation ---------------------------------------------------------------------- */

static void facts_view(struct doctor *d, struct doctor_facts *f, json_t **defs_out)
{
  memset(f, 0, sizeof(*f));
  for (int i = 0; i < DOCTOR_FACT_COUNT_; i++) {
    f->json[i] = d->json[i];
    f->error[i] = d->error[i];
    f->status[i] = d->status[i];
  }
  json_t *list = json_array();
  const char *k;
  json_t *v;
  json_object_foreach(d->defs, k, v)
  {
    if (json_is_object(v))
      json_array_append(list, v);
  }
  *defs_out = json_pack("{s:o}", "value", list);
  f->json[DOCTOR_ROLE_DEFS] = *defs_out;
}

static struct doctor_caller caller_of(const struct doctor *d)
{
  struct doctor_caller who = { d->who_id, d->who_tenant, d->who_type, d->who_label };
  return who;
}

static void on_perm(struct az_call *call, void *ud);
static void start_grants(struct doctor *d);

static void copy_grant(struct doctor_grant *dst, const struct doctor_grant *src)
{
  dst->kind = src->kind;
  dst->role_name = xstrdup(src->role_name);
  dst->role_id = xstrdup(src->role_id);
  dst->scope = xstrdup(src->scope);
  dst->scope_label = xstrdup(src->scope_label);
  dst->principal_id = xstrdup(src->principal_id);
  dst->principal_type = xstrdup(src->principal_type);
  dst->principal_label = xstrdup(src->principal_label);
}

/* Plan the grants of what is missing, then ask whether you may make them. */
static void start_fix(struct doctor *d)
{
  d->fixed = true;
  struct doctor_facts f;
  json_t *defs;
  facts_view(d, &f, &defs);
  struct doctor_caller who = caller_of(d);
  bool synapse_ok = doctor_may_grant_synapse(&d->t, &who, &f);
  json_decref(defs);
  for (size_t i = 0; i < d->findings.n; i++) {
    const struct doctor_finding *x = &d->findings.items[i];
    if (x->status != WIZ_FINDING_FAIL || !x->grant)
      continue;
    d->grants = xrealloc(d->grants, (d->n_grants + 1) * sizeof(*d->grants));
    struct grant_job *g = &d->grants[d->n_grants++];
    memset(g, 0, sizeof(*g));
    copy_grant(&g->g, x->grant);
    g->finding_key = xstrdup(x->key);
    if (g->g.kind == DOCTOR_GRANT_SYNAPSE) {
      g->state = synapse_ok ? G_TODO : G_NOT_ALLOWED;
      continue;
    }
    bool known = false;
    for (size_t p = 0; p < d->n_perms; p++)
      known = known || strcasecmp(d->perms[p].scope, g->g.scope) == 0;
    if (!known) {
      d->perms = xrealloc(d->perms, (d->n_perms + 1) * sizeof(*d->perms));
      d->perms[d->n_perms].scope = xstrdup(g->g.scope);
      d->perms[d->n_perms].allowed = false;
      d->perms[d->n_perms].error = NULL;
      d->n_perms++;
    }
  }
  if (d->n_grants == 0) {
    finish(d);
    return;
  }
  slots_clear(d);
  d->phase = PH_PERMS;
  progress(d, "Checking which of the missing role assignments you may create...", -1);
  for (size_t p = 0; p < d->n_perms; p++)
    add_slot(d, az_authz_list_permissions(app_ctx_client(d->app), d->perms[p].scope), (int)p, NULL,
             on_perm);
  if (d->outstanding == 0)
    start_grants(d);
}

static bool needs_wait(const struct doctor *d)
{
  for (size_t i = 0; i < d->findings.n; i++) {
    const struct doctor_finding *x = &d->findings.items[i];
    if (x->pending)
      return true;
    if (x->status != WIZ_FINDING_FAIL)
      continue;
    for (size_t g = 0; g < d->n_grants; g++) {
      const struct grant_job *j = &d->grants[g];
      if (strcmp(j->finding_key, x->key) == 0 && (j->state == G_CREATED || j->state == G_EXISTED))
        return true;
    }
  }
  return false;
}

static void start_wait(struct doctor *d);

static void evaluate(struct doctor *d)
{
  slots_clear(d);
  struct doctor_facts f;
  json_t *defs;
  facts_view(d, &f, &defs);
  struct doctor_caller who = caller_of(d);
  doctor_findings_done(&d->findings);
  doctor_evaluate(&d->t, &who, &f, &d->findings);
  json_decref(defs);
  d->rounds++;
  if (d->o.fix && !d->fixed) {
    start_fix(d);
  } else if (d->o.fix && !d->o.dry_run && needs_wait(d)) {
    start_wait(d);
  } else {
    finish(d);
  }
}

/* ---- PERMS and GRANT --------------------------------------------------------------------- */

static void on_perm(struct az_call *call, void *ud)
{
  struct doctor *d;
  struct slot *s = slot_of(ud, &d);
  struct perm_job *p = &d->perms[s->fact];
  if (az_call_result(call) == AZ_OK)
    p->allowed =
        az_authz_allows(az_call_json(call), "Microsoft.Authorization/roleAssignments/write", false);
  else
    p->error = error_text(az_call_error(call));
  slot_done(d, s);
  if (d->outstanding == 0)
    start_grants(d);
}

static void on_grant(struct az_call *call, void *ud)
{
  struct doctor *d;
  struct slot *s = slot_of(ud, &d);
  struct grant_job *g = &d->grants[s->fact];
  const struct az_error *e = az_call_error(call);
  if (az_call_result(call) == AZ_OK) {
    const char *dry = az_headers_get(az_call_headers(call), "x-synwiz-dry-run");
    if (dry)
      g->state = G_DRY;
    else if (json_is_true(json_object_get(az_call_json(call), "alreadyExists")))
      g->state = G_EXISTED;
    else
      g->state = G_CREATED;
  } else if (g->g.kind == DOCTOR_GRANT_SYNAPSE && az_call_status(call) == 409) {
    g->state = G_EXISTED; /* Synapse: the same role, principal and scope already */
  } else {
    g->state = G_FAILED;
    g->error = error_text(e);
  }
  slot_done(d, s);
  if (d->outstanding)
    return;
  bool made = false;
  for (size_t i = 0; i < d->n_grants; i++)
    made = made || d->grants[i].state == G_CREATED || d->grants[i].state == G_EXISTED;
  if (made && !d->o.dry_run)
    gather(d); /* check again */
  else
    finish(d);
}

static void start_grants(struct doctor *d)
{
  slots_clear(d);
  d->phase = PH_GRANT;
  struct az_client *c = app_ctx_client(d->app);
  for (size_t i = 0; i < d->n_grants; i++) {
    struct grant_job *g = &d->grants[i];
    if (g->g.kind == DOCTOR_GRANT_ARM) {
      for (size_t p = 0; p < d->n_perms; p++) {
        if (strcasecmp(d->perms[p].scope, g->g.scope) == 0) {
          g->state = d->perms[p].allowed ? G_TODO : G_NOT_ALLOWED;
          if (d->perms[p].error && !g->error)
            g->error = xstrdup(d->perms[p].error);
        }
      }
    }
    if (g->state != G_TODO)
      continue;
    struct az_call *call;
    if (g->g.kind == DOCTOR_GRANT_ARM) {
      struct az_role_assignment_spec spec = { 0 };
      spec.scope = g->g.scope;
      spec.role_definition = g->g.role_id;
      spec.principal_id = g->g.principal_id;
      spec.principal_type = g->g.principal_type;
      spec.description = "Granted by synwiz doctor --fix";
      call = az_authz_create_role_assignment(c, &spec);
    } else {
      call = az_synapse_create_role_assignment(c, dev_of(d), g->g.role_id, g->g.principal_id,
                                               g->g.principal_type, g->g.scope);
    }
    char *status = xasprintf("Granting %s to %s on %s...", g->g.role_name, g->g.principal_label,
                             g->g.scope_label);
    progress(d, status, -1);
    free(status);
    add_slot(d, call, (int)i, NULL, on_grant);
  }
  if (d->outstanding == 0)
    finish(d); /* nothing you may grant: the report lists the commands */
}

/* ---- WAIT ---------------------------------------------------------------------------------- */

static void on_tick(struct az_call *call, void *ud);

static void tick(struct doctor *d)
{
  long step = d->wait_left_ms < TICK_MS ? d->wait_left_ms : TICK_MS;
  d->tick = az_call_delay(app_ctx_client(d->app), (int)step);
  az_call_on_done(d->tick, on_tick, d);
  long left = d->timeout_ms - d->waited_ms;
  char *status = xasprintf("Waiting for the new role assignments to take effect (Azure can take "
                           "minutes): checking again in %ld s, giving up in %ld:%02ld.",
                           (d->wait_left_ms + 999) / 1000, left / 60000, (left / 1000) % 60);
  progress(d, status, left / 1000);
  free(status);
}

static void on_tick(struct az_call *call, void *ud)
{
  struct doctor *d = ud;
  long step = d->wait_left_ms < TICK_MS ? d->wait_left_ms : TICK_MS;
  az_call_delete(call);
  d->tick = NULL;
  d->waited_ms += step;
  d->wait_left_ms -= step;
  if (d->wait_left_ms <= 0)
    gather(d);
  else
    tick(d);
}

static void start_wait(struct doctor *d)
{
  if (d->waited_ms >= d->timeout_ms) {
    d->timed_out = true;
    finish(d);
    return;
  }
  d->phase = PH_WAIT;
  d->wait_left_ms = d->recheck_ms;
  if (d->wait_left_ms > d->timeout_ms - d->waited_ms)
    d->wait_left_ms = d->timeout_ms - d->waited_ms;
  d->recheck_ms = d->recheck_ms * 2 < RECHECK_MAX_MS ? d->recheck_ms * 2 : RECHECK_MAX_MS;
  tick(d);
}

/* ---- the public side ------------------------------------------------------------------- */

static void on_start(struct az_call *call, void *ud)
{
  struct doctor *d = ud;
  az_call_delete(call);
  d->tick = NULL;
  if (d->fatal)
    finish(d);
  else
    gather(d);
}

struct doctor *doctor_start(struct app_ctx *app, const struct doctor_target *t,
                            const struct doctor_options *o)
{
  struct doctor *d = xcalloc(1, sizeof(*d));
  clock_gettime(CLOCK_MONOTONIC, &d->t0);
  d->app = app;
  d->o = *o;
  d->timeout_ms =
      o->propagation_timeout_ms > 0 ? o->propagation_timeout_ms : DOCTOR_PROPAGATION_TIMEOUT_MS;
  d->recheck_ms = o->first_recheck_ms > 0 ? o->first_recheck_ms : 2000;
  d->defs = json_object();
  doctor_target_init(&d->t);
  d->t.name = t->name ? xstrdup(t->name) : NULL;
  d->t.subscription_id = t->subscription_id ? xstrdup(t->subscription_id) : NULL;
  d->t.workspace_name = t->workspace_name ? xstrdup(t->workspace_name) : NULL;
  d->t.workspace_resource_group =
      t->workspace_resource_group ? xstrdup(t->workspace_resource_group) : NULL;
  d->t.workspace_id = t->workspace_id ? xstrdup(t->workspace_id) : NULL;
  d->t.workspace_dev_endpoint =
      t->workspace_dev_endpoint ? xstrdup(t->workspace_dev_endpoint) : NULL;
  d->t.workspace_principal_id =
      t->workspace_principal_id ? xstrdup(t->workspace_principal_id) : NULL;
  d->t.storage_account = t->storage_account ? xstrdup(t->storage_account) : NULL;
  d->t.storage_resource_group =
      t->storage_resource_group ? xstrdup(t->storage_resource_group) : NULL;
  d->t.storage_account_id = t->storage_account_id ? xstrdup(t->storage_account_id) : NULL;
  d->t.container = t->container ? xstrdup(t->container) : NULL;
  d->t.private_link = t->private_link;
  doctor_target_complete(&d->t);
  const struct az_identity *id = app_ctx_identity(app);
  if (!id || !id->object_id) {
    const char *why = app_ctx_signin_problem(app);
    d->fatal = xstrdup(why ? why : "Nobody is signed in.");
  } else {
    d->who_id = xstrdup(id->object_id);
    d->who_tenant = id->tenant_id ? xstrdup(id->tenant_id) : NULL;
    d->who_type = xstrdup(id->kind == AZ_IDENTITY_USER ? "User" : "ServicePrincipal");
    const char *label = app_ctx_identity_label(app);
    d->who_label = xstrdup(label ? label : id->object_id);
  }
  /* Start from the loop, so that no callback runs inside doctor_start(). */
  d->tick = az_call_delay(app_ctx_client(app), 0);
  az_call_on_done(d->tick, on_start, d);
  return d;
}

void doctor_cancel(struct doctor *d)
{
  if (!d || d->phase == PH_DONE)
    return;
  slots_clear(d);
  az_call_delete(d->tick);
  d->tick = NULL;
  d->cancelled = true;
  d->phase = PH_DONE;
  d->elapsed_ms = since_ms(&d->t0);
}

bool doctor_finished(const struct doctor *d)
{
  return d->phase == PH_DONE;
}

const struct doctor_findings *doctor_findings_of(const struct doctor *d)
{
  return &d->findings;
}

const char *doctor_fatal(const struct doctor *d)
{
  return d->fatal;
}

bool doctor_missing(const struct doctor *d)
{
  if (d->fatal)
    return true;
  for (size_t i = 0; i < d->findings.n; i++) {
    if (d->findings.items[i].status == WIZ_FINDING_FAIL)
      return true;
  }
  return false;
}

bool doctor_fixable(const struct doctor *d)
{
  for (size_t i = 0; i < d->findings.n; i++) {
    if (d->findings.items[i].status == WIZ_FINDING_FAIL && d->findings.items[i].grant)
      return true;
  }
  return false;
}

long doctor_elapsed_ms(const struct doctor *d)
{
  return d->phase == PH_DONE ? d->elapsed_ms : since_ms(&d->t0);
}

long doctor_waited_ms(const struct doctor *d)
{
  return d->waited_ms;
}

static void report_grant(const struct doctor *d, const struct grant_job *g, struct wiz_report *r)
{
  const struct doctor_grant *x = &g->g;
  char *what = xasprintf("%s to %s", x->role_name, x->principal_label);
  char *on = xasprintf("On %s, principalType %s.", x->scope_label, x->principal_type);
  char *title = NULL;
  switch (g->state) {
  case G_CREATED:
    title = xasprintf("Granted %s", what);
    wiz_report_add(r, WIZ_FINDING_PASS, title, on, x->scope, NULL);
    break;
  case G_EXISTED:
    title = xasprintf("Already granted: %s", what);
    wiz_report_add(r, WIZ_FINDING_INFO, title, on, x->scope, NULL);
    break;
  case G_DRY:
    title = xasprintf("Would grant %s (dry run: not sent)", what);
    wiz_report_add(r, WIZ_FINDING_INFO, title, on, x->scope, NULL);
    break;
  case G_FAILED:
    title = xasprintf("Granting %s failed", what);
    wiz_report_add(r, WIZ_FINDING_FAIL, title, g->error, x->scope, NULL);
    break;
  case G_TODO:
  case G_NOT_ALLOWED: {
    title = xasprintf("You may not grant %s", what);
    char *detail =
        x->kind == DOCTOR_GRANT_ARM
            ? xasprintf("Creating it needs Microsoft.Authorization/roleAssignments/write on %s "
                        "(Owner, User Access Administrator or Role Based Access Control "
                        "Administrator)%s%s. An administrator can run one of the two commands "
                        "below.",
                        x->scope_label, g->error ? "; the permissions check said: " : "",
                        g->error ? g->error : "")
            : xasprintf("Creating it needs Synapse Administrator on the workspace, or Azure "
                        "Owner on it. An administrator can run one of the two commands below.");
    wiz_report_add(r, WIZ_FINDING_FAIL, title, detail, x->scope, NULL);
    free(detail);
    char *dev = d->t.workspace_dev_endpoint
                    ? xstrdup(d->t.workspace_dev_endpoint)
                    : az_synapse_endpoint(app_ctx_client(d->app), d->t.workspace_name);
    char *cmds =
        doctor_grant_commands(x, az_client_cloud(app_ctx_client(d->app))->resource_manager, dev);
    char *nl = strchr(cmds, '\n');
    if (nl)
      *nl = '\0';
    wiz_report_add(r, WIZ_FINDING_INFO, "For an administrator (Azure CLI)", cmds, NULL, NULL);
    if (nl)
      wiz_report_add(r, WIZ_FINDING_INFO, "For an administrator (synwiz)", nl + 1, NULL, NULL);
    free(cmds);
    free(dev);
    break;
  }
  }
  free(title);
  free(on);
  free(what);
}

void doctor_report(const struct doctor *d, struct wiz_report *r, bool keep_outcome)
{
  if (d->fatal)
    wiz_report_add(r, WIZ_FINDING_FAIL, "The prerequisites check could not run", d->fatal, NULL,
                   NULL);
  if (d->signin && !d->fatal) {
    size_t n = strlen(d->signin);
    while (n > 0 && (d->signin[n - 1] == '.' || d->signin[n - 1] == ' '))
      n--; /* the sentence below ends it */
    char *why = xasprintf("Azure refused the signed-in identity: %.*s. Run synwiz login again, "
                          "then run the check again.",
                          (int)n, d->signin);
    wiz_report_add(r, WIZ_FINDING_FAIL, "Sign-in is needed", why, NULL, NULL);
    free(why);
  }
  for (size_t i = 0; i < d->n_grants; i++)
    report_grant(d, &d->grants[i], r);
  if (d->waited_ms > 0 || d->timed_out) {
    char *t = xasprintf("%s %ld:%02ld for the new role assignments to take effect",
                        d->timed_out ? "Gave up after waiting" : "Waited", d->waited_ms / 60000,
                        (d->waited_ms / 1000) % 60);
    wiz_report_add(r, d->timed_out ? WIZ_FINDING_WARN : WIZ_FINDING_INFO, t,
                   d->timed_out ? "They exist but are not in effect yet: run the check again "
                                  "later (synwiz doctor NAME)."
                                : NULL,
                   NULL, NULL);
    free(t);
  }
  if (d->cancelled)
    wiz_report_add(r, WIZ_FINDING_INFO, "Cancelled",
                   "The check was stopped; what was granted stays granted.", NULL, NULL);
  /* What is missing first, then warnings, then what passes (whose "why" is left out: it
   * matters where something is wrong). */
  static const enum wiz_finding_status order[] = { WIZ_FINDING_FAIL, WIZ_FINDING_WARN,
                                                   WIZ_FINDING_INFO, WIZ_FINDING_PASS };
  size_t pass = 0, fail = 0, warn = 0, unchecked = 0;
  for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++) {
    for (size_t i = 0; i < d->findings.n; i++) {
      const struct doctor_finding *x = &d->findings.items[i];
      if (x->status != order[o])
        continue;
      wiz_report_add(r, x->status, x->title, x->detail, x->scope,
                     x->status == WIZ_FINDING_PASS ? NULL : x->why);
      pass += x->status == WIZ_FINDING_PASS;
      fail += x->status == WIZ_FINDING_FAIL;
      unchecked += x->unchecked;
      warn += x->status == WIZ_FINDING_WARN && !x->unchecked;
    }
  }
  char *not_checked = unchecked ? xasprintf(", %zu not checked", unchecked) : xstrdup("");
  char *summary = xasprintf("Prerequisites: %zu passed, %zu missing%s, %zu warning%s.", pass, fail,
                            not_checked, warn, warn == 1 ? "" : "s");
  free(not_checked);
  wiz_report_set_summary(r, summary);
  free(summary);
  if (keep_outcome)
    return;
  if (d->cancelled)
    r->outcome = WIZ_OUTCOME_CANCELLED;
  else if (doctor_missing(d))
    r->outcome = WIZ_OUTCOME_REFUSED;
  else if (unchecked || d->signin)
    /* A check that could not be made is not a pass: refused (sign-in, access) or failed
     * (network, service), by the worst reason a fact could not be read. */
    r->outcome =
        d->worst == AZ_CLASS_FAILURE && !d->signin ? WIZ_OUTCOME_FAILED : WIZ_OUTCOME_REFUSED;
  else
    r->outcome = WIZ_OUTCOME_DONE;
}

void doctor_delete(struct doctor *d)
{
  if (!d)
    return;
  doctor_cancel(d);
  slots_clear(d);
  az_call_delete(d->tick);
  for (int i = 0; i < DOCTOR_FACT_COUNT_; i++) {
    json_decref(d->json[i]);
    free(d->error[i]);
  }
  json_decref(d->defs);
  for (size_t i = 0; i < d->n_perms; i++) {
    free(d->perms[i].scope);
    free(d->perms[i].error);
  }
  free(d->perms);
  for (size_t i = 0; i < d->n_grants; i++) {
    struct doctor_grant *g = &d->grants[i].g;
    free(g->role_name);
    free(g->role_id);
    free(g->scope);
    free(g->scope_label);
    free(g->principal_id);
    free(g->principal_type);
    free(g->principal_label);
    free(d->grants[i].finding_key);
    free(d->grants[i].error);
  }
  free(d->grants);
  doctor_findings_done(&d->findings);
  doctor_target_done(&d->t);
  free(d->who_id);
  free(d->who_tenant);
  free(d->who_type);
  free(d->who_label);
  free(d->fatal);
  free(d->signin);
  free(d);
}
