/*
 * app_connection: what the connection wizard's host and the `synwiz connection` commands do
 * with connection records besides storing them: turning the wizard's answers into a record
 * and a record back into answers (to edit it), and removing a connection together with what
 * depends on it, the way the documents offer (behavior.md W1: remove each dependent, or
 * detach it: kept, inactive, "No connection").
 *
 * Ownership: app_connection_fill() writes heap strings into the record (freed by
 * store_connection_done); app_connection_answers() returns a new JSON reference. Return
 * conventions as store.h (store_message() says what failed).
 */
#ifndef SYNWIZ_APP_APP_CONNECTION_H
#define SYNWIZ_APP_APP_CONNECTION_H

#include <jansson.h>

#include "app/app_action.h"
#include "app/app_result.h"
#include "app/store.h"
#include "app/store_connection.h"

struct app_ctx;
struct app_host_base;
struct strbuf;
struct wiz_answers;

/** The host of the connection wizard (forms/connection.json), its actions and rules, for the
 * registry (app_action.c): see app_host_connection.c. Refuses (NULL, *out_rc APP_DENIED)
 * anyone who is not an administrator of the store, with the store's message naming the
 * administrators. */
struct app_host_base *app_host_connection_open(struct app_ctx *app, struct strbuf *why,
                                               enum app_result *out_rc);
extern const struct app_action app_connection_actions[];
extern const char *const app_connection_rules[];

/** Set every field of `c` the wizard answers (display_name, audience, subscription,
 * workspace and its resource group, id, dev endpoint and identity, storage account and its
 * resource group and id, container, private_link); meta and agreed_at are left alone. */
void app_connection_fill(struct store_connection *c, const struct wiz_answers *answers);
/** The wizard's answers of a record (the answers file format: forms/README.md). */
json_t *app_connection_answers(const struct store_connection *c);
/** The current UTC time, ISO 8601 ("2026-01-31T12:00:00Z"), fresh. */
char *app_connection_now(void);

enum app_remove_mode {
  APP_REMOVE_REFUSE,     /* refuse while exports or models use it (lists them) */
  APP_REMOVE_DEPENDENTS, /* remove each export and model that uses it first */
  APP_REMOVE_DETACH,     /* detach each of them first (kept, inactive) */
};

/**
 * Remove the connection `id` (at `revision`). With dependents: APP_REMOVE_REFUSE fails with
 * APP_HAS_DEPENDENTS and fills *out_dependents (when non-NULL); the other modes deal with
 * each dependent, then remove the connection. `log` (may be NULL) gets one line per thing
 * done ("removed export 'weekly'").
 */
enum app_result app_connection_remove(struct store *s, const char *id, long revision,
                                      enum app_remove_mode mode,
                                      struct store_dependent_list *out_dependents,
                                      struct strbuf *log);

#endif
