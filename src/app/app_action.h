/*
 * app_action: the one registry of the app's actions. An action is written once, here or in
 * its host's file, as {name, label, the form whose host runs it, the saved kind it is offered
 * on, its first step}; from the registry come:
 *   - the names the hosts declare to the engine (app_action_names(), app_action_contract():
 *     what a form may name, checked when it is loaded; forms/README.md lists them),
 *   - the actions the home screen offers on a saved thing (app_action_offer()) and on a whole
 *     section ("Run all", APP_ACTION_SECTION: app_action_offer_section()), and whether a
 *     kind has any (app_action_kind_offered(): its home section shows then),
 *   - the action a host's start_action() runs (app_action_find(), app_job.h).
 *
 * Each host file defines its actions (NULL-name terminated, beside its step table) and adds
 * one line to the forms table of app_action.c. "edit" is the engine's own action (the wizard
 * opens on the saved thing): it is listed with APP_ACTION_EDIT so that the home screen offers
 * it in its place, and is never run by a host.
 */
#ifndef SYNWIZ_APP_APP_ACTION_H
#define SYNWIZ_APP_APP_ACTION_H

#include <stdbool.h>

#include "app/app_host.h"
#include "app/app_result.h"
#include "wizard/wiz_host.h"

enum app_action_flag {
  /* changes the store or Azure (a role granted): the store's role and health are checked
   * first, so that no one writes to Azure through synwiz whom the store would refuse */
  APP_ACTION_WRITES = 1u << 0,
  APP_ACTION_EDIT = 1u << 1,    /* the engine's edit, offered on the home screen */
  APP_ACTION_SECTION = 1u << 2, /* offered on the kind's whole home section ("Run all"), run
                                   by its host unbound to one saved thing */
};

struct app_action {
  const char *name;  /* "linked_service_test" */
  const char *label; /* "Test connection": the home screen's label, or NULL (not offered) */
  const char *kind;  /* the saved kind it is offered on ("linked_service"), or NULL */
  int first;         /* its first step in its host's step table (app_job.h) */
  int mode;          /* what its host's begin() tells apart (the host's own enum) */
  unsigned flags;    /* enum app_action_flag */
};

/** Add a wizard the build does not list (a test's; docs/ARCHITECTURE.md "Adding a wizard"):
 * its form id, host, actions (NULL-name terminated) and rules (NULL-terminated, or NULL).
 * False when the form is known already or the registry is full. */
bool app_action_register(const char *form, app_host_open_fn open, const struct app_action *actions,
                         const char *const *rules);
/** The action `name` of the form `form`'s host, or NULL. */
const struct app_action *app_action_find(const char *form, const char *name);
/** The action names (NULL-terminated) and host rules of `form`'s host. */
const char *const *app_action_names(const char *form);
const char *const *app_action_rules(const char *form);
/** The names every form may use: the shared picker sources, every host's actions and rules,
 * the values (the app layer's contract with the forms). */
const struct wiz_decl *app_action_contract(void);
/** Offer the actions on a saved thing of `kind` on its home entry, in the registry's order. */
void app_action_offer(struct wiz_home_entry *e, const char *kind);
/** Offer the section-wide actions of `kind` (APP_ACTION_SECTION) on its home section. */
void app_action_offer_section(struct wiz_home_section *s, const char *kind);
/** Whether the registry offers any action on `kind` (a home section appears once it does). */
bool app_action_kind_offered(const char *kind);

/** The host of `form` with its declarations (app_host_open() of app_host.h), or NULL with
 * the reason in `why` and *out_rc (APP_NOT_FOUND: no such wizard in this build). */
struct app_host_base *app_action_open_host(struct app_ctx *app, const char *form,
                                           struct strbuf *why, enum app_result *out_rc);

#endif
