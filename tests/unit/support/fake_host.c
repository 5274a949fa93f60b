/* The fake host: see fake_host.h. */
#include "fake_host.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum ev_kind { EV_LOAD, EV_JOB };

struct event {
  enum ev_kind kind;
  long long due; /* ms; -1 = held */
  struct wiz_load *load;
  char *source;
  struct wiz_answers *args;
  struct wiz_job *job;
  char *action;
  int phase;
  bool cancelled;
  bool dry_run;
};

struct fake_host {
  struct wiz_host host;
  char *form;
  int delay;
  bool hold;
  char *fail_source;
  int fail_count;
  enum wiz_outcome outcome;
  bool check_released; /* the name "slow_name" is being checked until ":release check" */
  struct event *ev;
  size_t n_ev, cap_ev;
  struct strbuf calls;
};

static long long now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---------- the static tenant ---------- */

#define SUB_ANALYTICS "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
#define SUB_RESEARCH  "9c5e3a2d-7b41-4f0e-a8d6-2e4f1c3b5a70"
#define SUB_LEGACY    "5d2c8e1f-3a4b-4c6d-9e8f-7a1b2c3d4e5f"

static void typed(struct wiz_list *out, const char *name, const char *type)
{
  wiz_item_set_attr(wiz_list_add(out, name, name, type, NULL), "type", type);
}

/* The test form of the group kind (tests/fixtures/forms/required_data.json): a pipeline
 * with two inputs (as ScoreCustomerChurn in the sandbox) and the demo tables. */
static bool required_data_items(const char *source, const struct wiz_answers *a,
                                struct wiz_list *out)
{
  const char *input = wiz_answers_text(a, "input");
  const char *table = wiz_answers_text(a, "table");
  if (strcmp(source, "pipelines") == 0) {
    wiz_list_add(out, "ScoreCustomerChurn", "ScoreCustomerChurn", "2 inputs", NULL);
    wiz_list_add(out, "CopyRawToLake", "CopyRawToLake", NULL,
                 "No output_path or output_datastore parameter.");
  } else if (strcmp(source, "pipeline_inputs") == 0) {
    wiz_list_add(out, "Customer", "Customer", "3 attributes", NULL);
    wiz_list_add(out, "Orders", "Orders", "3 attributes", NULL);
  } else if (strcmp(source, "pipeline_input_attributes") == 0 && input) {
    bool customer = strcmp(input, "Customer") == 0;
    typed(out, customer ? "CustomerId" : "OrderId", customer ? "Guid" : "Int64");
    typed(out, customer ? "Email" : "CustomerId", customer ? "String" : "Guid");
    typed(out, customer ? "TotalSpend" : "Amount", "Double");
  } else if (strcmp(source, "ci_tables") == 0) {
    wiz_list_add(out, "Customer", "Customer", "4 columns", NULL);
    wiz_list_add(out, "Orders", "Orders", "4 columns", NULL);
    wiz_list_add(out, "WebActivity", "WebActivity", "3 columns", NULL);
  } else if (strcmp(source, "table_columns") == 0 && table) {
    if (strcmp(table, "Customer") == 0) {
      typed(out, "CustomerId", "Guid");
      typed(out, "Email", "String");
      typed(out, "TotalSpend", "Double");
      typed(out, "Country", "String");
    } else if (strcmp(table, "Orders") == 0) {
      typed(out, "OrderId", "Int64");
      typed(out, "CustomerId", "Guid");
      typed(out, "Amount", "Double");
      typed(out, "OrderDate", "DateTime");
    } else {
      typed(out, "CustomerId", "Guid");
      typed(out, "Url", "String");
      typed(out, "Visits", "Int64");
    }
  } else {
    return false;
  }
  return true;
}

static void items_for(struct fake_host *h, const char *source, const struct wiz_answers *a,
                      struct wiz_list *out)
{
  const char *sub = wiz_answers_text(a, "subscription");
  const char *ws = wiz_answers_text(a, "workspace");
  bool ls = strcmp(h->form, "linked_service") == 0;
  bool rd = strcmp(h->form, "required_data") == 0;
  if (strcmp(source, "subscriptions") == 0) {
    wiz_list_add(out, SUB_ANALYTICS, "Contoso Analytics", SUB_ANALYTICS, NULL);
    wiz_list_add(out, SUB_RESEARCH, "Contoso Research", SUB_RESEARCH, NULL);
    wiz_list_add(out, SUB_LEGACY, "Contoso Legacy", SUB_LEGACY, "This subscription is disabled.");
  } else if (strcmp(source, "synapse_workspaces") == 0) {
    if (sub && strcmp(sub, SUB_RESEARCH) == 0) {
      wiz_item_set_attr(wiz_list_add(out, "research-synapse", "research-synapse",
                                     "rg-research, westeurope", NULL),
                        "resource_group", "rg-research");
      return;
    }
    wiz_item_set_attr(
        wiz_list_add(out, "contoso-synapse", "contoso-synapse", "rg-analytics, westeurope", NULL),
        "resource_group", "rg-analytics");
    wiz_item_set_attr(
        wiz_list_add(out, "contoso-synapse-dep", "contoso-synapse-dep", "rg-analytics, westeurope",
                     ls ? "Data exfiltration protection is on: the Azure ML linked service is not "
                          "supported in such a workspace."
                        : NULL),
        "resource_group", "rg-analytics");
    wiz_item_set_attr(wiz_list_add(out, "contoso-synapse-shir", "contoso-synapse-shir",
                                   "rg-analytics, westeurope", NULL),
                      "resource_group", "rg-analytics");
  } else if (strcmp(source, "storage_accounts") == 0) {
    if (sub && strcmp(sub, SUB_RESEARCH) == 0) {
      wiz_list_add(out, "researchlake", "researchlake", "ADLS Gen2, default of research-synapse",
                   NULL);
      return;
    }
    wiz_list_add(out, "contosolake", "contosolake",
                 ws && strcmp(ws, "contoso-synapse") == 0 ? "ADLS Gen2, the workspace's default"
                                                          : "ADLS Gen2",
                 NULL);
    wiz_list_add(out, "contosolakefw", "contosolakefw", "ADLS Gen2, firewall on", NULL);
    wiz_list_add(out, "contosoblob", "contosoblob", "Blob storage",
                 "No hierarchical namespace: Synapse needs an ADLS Gen2 account.");
  } else if (strcmp(source, "containers") == 0) {
    const char *acct = wiz_answers_text(a, "storage_account");
    if (acct && strcmp(acct, "contosolakefw") == 0) {
      wiz_list_add(out, "secure", "secure", NULL, NULL);
    } else if (acct && strcmp(acct, "researchlake") == 0) {
      wiz_list_add(out, "lake", "lake", NULL, NULL);
    } else {
      wiz_list_add(out, "synapse", "synapse", "the workspace's file system", NULL);
      wiz_list_add(out, "customerinsights", "customerinsights", NULL, NULL);
      wiz_list_add(out, "raw", "raw", NULL, NULL);
    }
  } else if (strcmp(source, "connections") == 0) {
    wiz_list_add(out, "sales_lake", "sales_lake", "contoso-synapse / contosolake", NULL);
  } else if (strcmp(source, "ml_workspaces") == 0) {
    wiz_item_set_attr(wiz_list_add(out, "contoso-ml", "contoso-ml", "rg-ml, westeurope", NULL),
                      "resource_group", "rg-ml");
  } else if (strcmp(source, "integration_runtimes") == 0) {
    wiz_list_add(out, "AutoResolveIntegrationRuntime", "AutoResolveIntegrationRuntime", "Azure",
                 NULL);
    if (ws && strcmp(ws, "contoso-synapse-shir") == 0)
      wiz_list_add(out, "OnPremisesIR", "OnPremisesIR", "SelfHosted",
                   "Self-hosted integration runtimes are not supported by the Azure ML linked "
                   "service.");
  } else if (rd && required_data_items(source, a, out)) {
    return;
  } else if (strcmp(source, "pipeline_inputs") == 0) {
    wiz_item_set_attr(wiz_list_add(out, "CustomerId", "CustomerId", "Guid", NULL), "type", "Guid");
    wiz_item_set_attr(wiz_list_add(out, "TotalSpend", "TotalSpend", "Double", NULL), "type",
                      "Double");
    wiz_item_set_attr(wiz_list_add(out, "Segment", "Segment", "String", NULL), "type", "String");
  } else if (strcmp(source, "table_columns") == 0) {
    wiz_item_set_attr(wiz_list_add(out, "customerid", "customerid", "Guid", NULL), "type", "Guid");
    wiz_item_set_attr(wiz_list_add(out, "totalspend", "totalspend", "Int64", NULL), "type",
                      "Int64");
    wiz_item_set_attr(wiz_list_add(out, "Country", "Country", "String", NULL), "type", "String");
  } else {
    for (int i = 1; i <= 3; i++) {
      char id[32];
      snprintf(id, sizeof(id), "%s_%d", source, i);
      wiz_list_add(out, id, id, NULL, NULL);
    }
  }
}

/* ---------- events ---------- */

static struct event *add_event(struct fake_host *h, enum ev_kind kind)
{
  h->ev = xgrow(h->ev, &h->cap_ev, h->n_ev + 1, sizeof(*h->ev));
  struct event *e = &h->ev[h->n_ev++];
  memset(e, 0, sizeof(*e));
  e->kind = kind;
  e->due = h->hold ? -1 : now_ms() + h->delay;
  return e;
}

static void remove_event(struct fake_host *h, size_t i)
{
  free(h->ev[i].source);
  free(h->ev[i].action);
  wiz_answers_delete(h->ev[i].args);
  memmove(&h->ev[i], &h->ev[i + 1], (h->n_ev - i - 1) * sizeof(*h->ev));
  h->n_ev--;
}

static void record_answers(struct strbuf *sb, const struct wiz_answers *a)
{
  for (size_t i = 0; i < a->n; i++) {
    const struct wiz_value *v = &a->e[i].v;
    if (v->type == WIZ_V_SECRET)
      strbuf_printf(sb, " %s=<secret>", a->e[i].id);
    else if (v->type == WIZ_V_BOOL)
      strbuf_printf(sb, " %s=%s", a->e[i].id, v->b ? "true" : "false");
    else if (v->type == WIZ_V_ITEM)
      strbuf_printf(sb, " %s=%s%s", a->e[i].id, v->item.id, v->item.is_new ? "(new)" : "");
    else if (v->type == WIZ_V_TEXT)
      strbuf_printf(sb, " %s=%s", a->e[i].id, v->text);
  }
}

static int fh_start_load(void *ctx, const char *source, const struct wiz_answers *answers,
                         struct wiz_load *load)
{
  struct fake_host *h = ctx;
  strbuf_printf(&h->calls, "load %s\n", source);
  struct event *e = add_event(h, EV_LOAD);
  e->load = load;
  e->source = xstrdup(source);
  e->args = wiz_answers_new();
  for (size_t i = 0; i < answers->n; i++)
    wiz_answers_put(e->args, answers->e[i].id, &answers->e[i].v);
  return 0;
}

static void fh_cancel_load(void *ctx, struct wiz_load *load)
{
  struct fake_host *h = ctx;
  for (size_t i = 0; i < h->n_ev; i++) {
    if (h->ev[i].kind == EV_LOAD && h->ev[i].load == load) {
      strbuf_printf(&h->calls, "cancel %s\n", h->ev[i].source);
      remove_event(h, i);
      return;
    }
  }
}

static void fire_load(struct fake_host *h, size_t i, bool force_fail)
{
  struct event e = h->ev[i];
  h->ev[i].source = NULL;
  h->ev[i].args = NULL;
  remove_event(h, i);
  bool fail = force_fail;
  if (h->fail_source && h->fail_count > 0 && strcmp(h->fail_source, e.source) == 0) {
    fail = true;
    h->fail_count--;
  }
  if (fail) {
    wiz_load_fail(e.load, "The service answered 503 Service Unavailable.",
                  "Azure may be busy: press F5 to try again.");
  } else {
    struct wiz_list items;
    wiz_list_init(&items);
    items_for(h, e.source, e.args, &items);
    wiz_load_deliver(e.load, &items);
  }
  free(e.source);
  wiz_answers_delete(e.args);
}

/* ---------- actions ---------- */

static int phases_of(const char *action)
{
  return strcmp(action, "connection_save") == 0 ? 3 : 2;
}

static void job_progress(struct event *e)
{
  struct wiz_progress p = { -1, -1, -1, -1, NULL };
  if (strcmp(e->action, "connection_save") == 0) {
    static const char *const st[] = { "Saving the connection...", "Creating the container...",
                                      "Checking role assignments..." };
    p.status = st[e->phase < 3 ? e->phase : 2];
    if (e->phase == 1) {
      p.fraction = 0.45;
      p.done_bytes = 12300000;
      p.total_bytes = 27300000;
      p.eta_seconds = 14;
    }
  } else {
    p.status = e->phase == 0 ? "Getting a token..." : "Reading the Azure ML workspace...";
  }
  wiz_job_progress(e->job, &p);
}

static struct wiz_report *job_report(struct fake_host *h, struct event *e)
{
  if (e->cancelled) {
    struct wiz_report *r = wiz_report_new("Cancelled", WIZ_OUTCOME_CANCELLED);
    char *s = xasprintf("Stopped after %d of %d steps; what was done is kept.", e->phase,
                        phases_of(e->action));
    wiz_report_set_summary(r, s);
    free(s);
    wiz_report_add(r, WIZ_FINDING_INFO, "Connection saved", NULL, NULL, NULL);
    return r;
  }
  if (strcmp(e->action, "connection_save") == 0 || strcmp(e->action, "connection_doctor") == 0) {
    struct wiz_report *r = wiz_report_new("Connection saved: prerequisites check", h->outcome);
    wiz_report_set_summary(r, "2 of 4 checks pass. 2 role assignments are missing.");
    wiz_report_add(r, WIZ_FINDING_PASS, "Reader for you", "Owner (inherits Reader)",
                   "resource group rg-analytics", "Lets synwiz list the workspace's resources.");
    wiz_report_add(r, WIZ_FINDING_FAIL, "Storage Blob Data Contributor for you",
                   "No assignment found", "storage account contosolake",
                   "Needed to write exported data to the container.");
    wiz_report_add(r, WIZ_FINDING_FAIL, "Storage Blob Data Contributor for the workspace",
                   "No assignment found for contoso-synapse's managed identity",
                   "storage account contosolake", "Pipelines read and write the lake as it.");
    wiz_report_add(r, WIZ_FINDING_WARN, "Synapse Credential User for you", "Missing",
                   "workspace contoso-synapse", "Needed to run pipelines that use credentials.");
    wiz_report_add_followup(r, "connection_doctor_fix", "Grant what is missing");
    wiz_report_add_followup(r, "connection_doctor", "Test again");
    if (e->dry_run) {
      wiz_report_add_plan(r, "PUT store/connections/<display_name>.json");
      wiz_report_add_plan(r, "GET https://management.azure.com/subscriptions/" SUB_ANALYTICS
                             "/providers/Microsoft.Authorization/roleAssignments");
    }
    return r;
  }
  struct wiz_report *r = wiz_report_new(h->outcome == WIZ_OUTCOME_DONE ? "Test connection passed"
                                                                       : "Test connection failed",
                                        h->outcome);
  wiz_report_add(r, h->outcome == WIZ_OUTCOME_DONE ? WIZ_FINDING_PASS : WIZ_FINDING_FAIL,
                 "Contributor on contoso-ml", NULL, "Azure ML workspace contoso-ml",
                 "The linked service acts as this identity.");
  if (h->outcome != WIZ_OUTCOME_DONE)
    wiz_report_add_followup(r, "linked_service_grant", "Grant Contributor");
  wiz_report_add_followup(r, "linked_service_test", "Test again");
  return r;
}

static int fh_start_action(void *ctx, const char *action, const struct wiz_answers *answers,
                           bool dry_run, struct wiz_job *job)
{
  struct fake_host *h = ctx;
  strbuf_printf(&h->calls, "action %s%s", action, dry_run ? " (dry run)" : "");
  record_answers(&h->calls, answers);
  strbuf_putc(&h->calls, '\n');
  struct event *e = add_event(h, EV_JOB);
  e->job = job;
  e->action = xstrdup(action);
  e->dry_run = dry_run;
  job_progress(e);
  return 0;
}

static void fh_cancel_action(void *ctx, struct wiz_job *job)
{
  struct fake_host *h = ctx;
  for (size_t i = 0; i < h->n_ev; i++) {
    if (h->ev[i].kind == EV_JOB && h->ev[i].job == job) {
      strbuf_printf(&h->calls, "cancel action %s\n", h->ev[i].action);
      h->ev[i].cancelled = true;
      if (!h->hold)
        h->ev[i].due = now_ms(); /* held: ends when the test releases it */
    }
  }
}

static void fire_job(struct fake_host *h, size_t i)
{
  struct event *e = &h->ev[i];
  e->phase++;
  if (e->cancelled || e->phase >= phases_of(e->action)) {
    struct wiz_job *job = e->job;
    struct wiz_report *r = job_report(h, e);
    remove_event(h, i);
    wiz_job_done(job, r);
    return;
  }
  job_progress(e);
  e->due = h->hold ? -1 : now_ms() + h->delay;
}

/* ---------- rules, values, wait ---------- */

static enum wiz_check fh_check(void *ctx, const char *rule, const char *field_id,
                               const struct wiz_answers *answers, struct strbuf *msg)
{
  const char *v = wiz_answers_text(answers, field_id);
  if (!v)
    return WIZ_CHECK_OK;
  struct fake_host *h = ctx;
  if (strcmp(rule, "connection_name_unique") == 0 && strcasecmp(v, "slow_name") == 0 &&
      !h->check_released) {
    strbuf_puts(msg, "Checking that the name is free...");
    return WIZ_CHECK_PENDING;
  }
  if (strcmp(rule, "connection_name_unique") == 0 && strcasecmp(v, "sales_lake") == 0) {
    strbuf_printf(msg, "A connection named \"%s\" already exists.", v);
    return WIZ_CHECK_ERROR;
  }
  if (strcmp(rule, "linked_service_name_unique") == 0 && strcasecmp(v, "AzureMLService1") == 0) {
    strbuf_printf(msg, "The workspace already has a linked service named \"AzureMLService1\".");
    return WIZ_CHECK_ERROR;
  }
  if (strcmp(rule, "application_id_not_object_id") == 0 &&
      strcasecmp(v, "8f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9") == 0) {
    strbuf_puts(msg, "This is the object ID of the service principal synwiz-automation; use its "
                     "application (client) ID 3c9d2f41-7e8a-4b6c-9d0e-1f2a3b4c5d6e.");
    return WIZ_CHECK_ERROR;
  }
  return WIZ_CHECK_OK;
}

static char *fh_value(void *ctx, const char *name)
{
  return strcmp(name, "current_tenant") == 0 ? xstrdup("contoso.onmicrosoft.com") : NULL;
}

static int fh_wait(void *ctx, const int *fds, size_t n_fds, int timeout_ms)
{
  struct fake_host *h = ctx;
  long long next = -1;
  for (size_t i = 0; i < h->n_ev; i++) {
    if (h->ev[i].due >= 0 && (next < 0 || h->ev[i].due < next))
      next = h->ev[i].due;
  }
  int t = timeout_ms;
  if (next >= 0) {
    long long d = next - now_ms();
    if (d < 0)
      d = 0;
    if (t < 0 || d < t)
      t = (int)d;
  }
  int ready = wiz_host_poll_wait(fds, n_fds, t);
  /* Fire what is due (one pass over a snapshot: firing may add events). */
  long long now = now_ms();
  for (size_t i = 0; i < h->n_ev;) {
    if (h->ev[i].due >= 0 && h->ev[i].due <= now) {
      if (h->ev[i].kind == EV_LOAD)
        fire_load(h, i, false);
      else
        fire_job(h, i);
      i = 0;
      now = now_ms();
      continue;
    }
    i++;
  }
  return ready;
}

static struct wiz_home *fh_home(void *ctx)
{
  struct wiz_home *home = wiz_home_new("dana@contoso.onmicrosoft.com", "Sandbox (fake host)");
  struct wiz_home_section *s = wiz_home_add_section(home, "Connections", "No connection yet.");
  struct wiz_home_entry *e = wiz_home_add_entry(
      s, "sales_lake", "contoso-synapse / contosolake / customerinsights", "connection");
  wiz_home_entry_add_action(e, "connection_doctor", "Check prerequisites");
  wiz_home_entry_add_action(e, "edit", "Edit");
  /* A section-wide action ("Run all"), as an export wizard's would be. */
  wiz_home_section_add_action(s, "connection", "connection_doctor", "Check all");
  wiz_home_add_section(home, "Linked services", "No linked service yet.");
  return home;
}

static const char *const fake_sources[] = {
  "subscriptions",
  "synapse_workspaces",
  "storage_accounts",
  "containers",
  "connections",
  "ml_workspaces",
  "integration_runtimes",
  "pipelines",
  "pipeline_outputs",
  "pipeline_inputs",
  "pipeline_input_attributes",
  "ci_tables",
  "table_columns",
  NULL,
};
static const char *const fake_actions[] = {
  "connection_save",
  "connection_doctor",
  "connection_doctor_fix",
  "linked_service_test",
  "linked_service_grant",
  "linked_service_save",
  NULL,
};
static const char *const fake_rules[] = { "connection_name_unique", "linked_service_name_unique",
                                          "application_id_not_object_id", NULL };
static const char *const fake_values[] = { "current_tenant", NULL };
static const struct wiz_decl fake_decl = { fake_sources, fake_actions, fake_rules, fake_values };

const struct wiz_decl *fake_host_decl(void)
{
  return &fake_decl;
}

static const struct wiz_host_ops fake_ops = {
  fh_start_load,    fh_cancel_load, fh_check, fh_start_action,
  fh_cancel_action, fh_wait,        fh_value, fh_home,
};

struct fake_host *fake_host_new(const char *form_id)
{
  struct fake_host *h = xcalloc(1, sizeof(*h));
  h->form = xstrdup(form_id ? form_id : "");
  h->host.ops = &fake_ops;
  h->host.ctx = h;
  h->host.decl = &fake_decl;
  h->outcome = WIZ_OUTCOME_DONE;
  strbuf_init(&h->calls, 0);
  const char *d = getenv("FAKE_DELAY_MS");
  if (d) {
    char *end;
    long v = strtol(d, &end, 10);
    if (end != d && *end == '\0' && v >= 0 && v < 600000)
      h->delay = (int)v;
  }
  const char *f = getenv("FAKE_FAIL");
  if (f && *f)
    fake_host_fail(h, f, 1);
  const char *hold = getenv("FAKE_HOLD");
  h->hold = hold && strcmp(hold, "1") == 0;
  const char *o = getenv("FAKE_OUTCOME");
  if (o && strcmp(o, "refused") == 0)
    h->outcome = WIZ_OUTCOME_REFUSED;
  else if (o && strcmp(o, "failed") == 0)
    h->outcome = WIZ_OUTCOME_FAILED;
  return h;
}

void fake_host_delete(struct fake_host *h)
{
  if (!h)
    return;
  while (h->n_ev)
    remove_event(h, h->n_ev - 1);
  free(h->ev);
  free(h->form);
  free(h->fail_source);
  strbuf_done(&h->calls);
  free(h);
}

struct wiz_host *fake_host_host(struct fake_host *h)
{
  return &h->host;
}

void fake_host_set_delay(struct fake_host *h, int ms)
{
  h->delay = ms;
}

void fake_host_fail(struct fake_host *h, const char *source, int count)
{
  free(h->fail_source);
  h->fail_source = xstrdup(source);
  h->fail_count = count;
}

void fake_host_hold(struct fake_host *h, bool on)
{
  h->hold = on;
}

int fake_host_release(struct fake_host *h, const char *source, bool fail)
{
  int n = 0;
  if (strcmp(source, "check") == 0) {
    h->check_released = true;
    return 1;
  }
  for (size_t i = 0; i < h->n_ev;) {
    struct event *e = &h->ev[i];
    bool match = (e->kind == EV_JOB && strcmp(source, "job") == 0) ||
                 (e->kind == EV_LOAD && strcmp(source, e->source) == 0);
    if (match && e->due < 0) {
      n++;
      if (e->kind == EV_LOAD) {
        fire_load(h, i, fail);
        i = 0;
      } else {
        fire_job(h, i);
        break; /* one phase per release */
      }
      continue;
    }
    i++;
  }
  return n;
}

const char *fake_host_calls(const struct fake_host *h)
{
  return h->calls.buf;
}

int fake_host_waiting(const struct fake_host *h)
{
  return (int)h->n_ev;
}

int fake_host_held(const struct fake_host *h)
{
  int n = 0;
  for (size_t i = 0; i < h->n_ev; i++)
    n += h->ev[i].due < 0;
  return n;
}
