#include "app/app_action.h"

#include "app/app_connection.h"
#include "app/app_export.h"
#include "app/app_host.h"
#include "app/app_linked_service.h"
#include "app/app_model.h"
#include "app/app_sources.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The forms the app runs, each with its host and the actions and rules the host file
 * defines. A new wizard's host file adds its line here (a test's: app_action_register()). */
struct app_form {
  const char *form;
  app_host_open_fn open;
  const struct app_action *actions;
  const char *const *rules;
};
#define MAX_FORMS 16
static struct app_form forms[MAX_FORMS] = {
  { "connection", app_host_connection_open, app_connection_actions, app_connection_rules },
  { "linked_service", app_host_linked_service_open, app_ls_actions, app_ls_rules },
  { "export", app_host_export_open, app_export_actions, app_export_rules },
  { "model", app_host_model_open, app_model_actions, app_model_rules },
};
static size_t n_forms = 4;

static const char *const values[] = { "current_tenant", NULL };

static const struct app_form *form_of(const char *form)
{
  for (size_t i = 0; i < n_forms; i++) {
    if (strcmp(forms[i].form, form) == 0)
      return &forms[i];
  }
  return NULL;
}

const struct app_action *app_action_find(const char *form, const char *name)
{
  const struct app_form *f = form_of(form);
  for (const struct app_action *a = f ? f->actions : NULL; a && a->name; a++) {
    if (!(a->flags & APP_ACTION_EDIT) && strcmp(a->name, name) == 0)
      return a;
  }
  return NULL;
}

/* The names of the actions the hosts run: per form, then all of them (made once). */
static const char **names[MAX_FORMS + 1];
static struct wiz_decl contract;
static const char *contract_rules[2 * MAX_FORMS + 1];

static const char **collect(const struct app_form *from, size_t count)
{
  size_t n = 0;
  for (size_t i = 0; i < count; i++)
    for (const struct app_action *a = from[i].actions; a->name; a++)
      n++;
  const char **out = xcalloc(n + 1, sizeof(*out));
  n = 0;
  for (size_t i = 0; i < count; i++)
    for (const struct app_action *a = from[i].actions; a->name; a++)
      if (!(a->flags & APP_ACTION_EDIT))
        out[n++] = a->name;
  return out;
}

const char *const *app_action_names(const char *form)
{
  const struct app_form *f = form_of(form);
  if (!f)
    return NULL;
  size_t i = (size_t)(f - forms);
  if (!names[i])
    names[i] = collect(f, 1);
  return names[i];
}

const char *const *app_action_rules(const char *form)
{
  const struct app_form *f = form_of(form);
  return f ? f->rules : NULL;
}

bool app_action_register(const char *form, app_host_open_fn open, const struct app_action *actions,
                         const char *const *rules)
{
  if (form_of(form) || n_forms == MAX_FORMS)
    return false;
  forms[n_forms++] = (struct app_form){ form, open, actions, rules };
  free(names[MAX_FORMS]); /* the contract is made again, with the new names */
  names[MAX_FORMS] = NULL;
  contract.actions = NULL;
  return true;
}

const struct wiz_decl *app_action_contract(void)
{
  if (!contract.actions) {
    if (!names[MAX_FORMS])
      names[MAX_FORMS] = collect(forms, n_forms);
    size_t n = 0;
    for (size_t i = 0; i < n_forms; i++) {
      for (const char *const *r = forms[i].rules; r && *r && n + 1 < 2 * MAX_FORMS + 1; r++)
        contract_rules[n++] = *r;
    }
    contract_rules[n] = NULL;
    contract.sources = app_sources_names();
    contract.actions = names[MAX_FORMS];
    contract.rules = contract_rules;
    contract.values = values;
  }
  return &contract;
}

void app_action_offer(struct wiz_home_entry *e, const char *kind)
{
  for (size_t i = 0; i < n_forms; i++) {
    for (const struct app_action *a = forms[i].actions; a->name; a++) {
      if (a->kind && a->label && !(a->flags & APP_ACTION_SECTION) && strcmp(a->kind, kind) == 0)
        wiz_home_entry_add_action(e, a->name, a->label);
    }
  }
}

void app_action_offer_section(struct wiz_home_section *s, const char *kind)
{
  for (size_t i = 0; i < n_forms; i++) {
    for (const struct app_action *a = forms[i].actions; a->name; a++) {
      if (a->kind && a->label && (a->flags & APP_ACTION_SECTION) && strcmp(a->kind, kind) == 0)
        wiz_home_section_add_action(s, forms[i].form, a->name, a->label);
    }
  }
}

bool app_action_kind_offered(const char *kind)
{
  for (size_t i = 0; i < n_forms; i++) {
    for (const struct app_action *a = forms[i].actions; a->name; a++) {
      if (a->kind && a->label && strcmp(a->kind, kind) == 0)
        return true;
    }
  }
  return false;
}

struct app_host_base *app_action_open_host(struct app_ctx *app, const char *form,
                                           struct strbuf *why, enum app_result *out_rc)
{
  const struct app_form *f = form_of(form);
  *out_rc = APP_OK;
  if (!f) {
    strbuf_printf(why, "there is no wizard named '%s' in this build", form);
    *out_rc = APP_NOT_FOUND;
    return NULL;
  }
  struct app_host_base *base = f->open(app, why, out_rc);
  if (base) {
    base->form = f->form;
    base->host.ops = &app_host_ops;
    base->host.ctx = base;
    base->host.decl = &base->decl;
    base->decl.sources = app_sources_names();
    base->decl.actions = (const char *const *)app_action_names(f->form);
    base->decl.rules = f->rules;
    base->decl.values = values;
  } else if (*out_rc == APP_OK) {
    *out_rc = APP_IO;
  }
  return base;
}
