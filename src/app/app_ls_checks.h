/*
 * app_ls_checks: what the linked-service wizard's host rules look up in Azure, kept for the
 * life of the host: the rules run on every redraw, so each lookup is made once.
 *   app_ls_checks_name_free     linked_service_name_unique: the workspace's linked services
 *                               are listed once per workspace; names compare without case
 *   app_ls_checks_not_object_id application_id_not_object_id: Microsoft Graph says whether
 *                               the GUID is the object id of a service principal or of an
 *                               app registration; then the message names its application
 *                               (client) id. Without Graph (no endpoint in the profile) it
 *                               passes; when Graph refuses, a warning says it was not checked.
 *   app_ls_checks_workspace     the workspace the answers name (a chosen connection is
 *                               resolved once)
 * A check answers WIZ_CHECK_PENDING until its lookup is back (the engine asks again after
 * each wait), and appends the message to show to `msg`. The app_ctx is borrowed.
 */
#ifndef SYNWIZ_APP_APP_LS_CHECKS_H
#define SYNWIZ_APP_APP_LS_CHECKS_H

#include "wizard/answers.h"
#include "wizard/rules.h"

struct app_ctx;
struct app_ls_checks;
struct strbuf;

struct app_ls_checks *app_ls_checks_new(struct app_ctx *app);
void app_ls_checks_delete(struct app_ls_checks *c);

/** The workspace name or dev endpoint the answers name, or NULL (borrowed). */
const char *app_ls_checks_workspace(struct app_ls_checks *c, const struct wiz_answers *a);
/** Is `name` free in the workspace `key` (a name or dev endpoint)? */
enum wiz_check app_ls_checks_name_free(struct app_ls_checks *c, const char *key, const char *name,
                                       struct strbuf *msg);
/** `name` was just created in the workspace (its name or dev endpoint): it is taken now. */
void app_ls_checks_name_taken(struct app_ls_checks *c, const char *ws_name,
                              const char *dev_endpoint, const char *name);
/** Is the GUID `id` an application (client) id rather than an object id? */
enum wiz_check app_ls_checks_not_object_id(struct app_ls_checks *c, const char *id,
                                           struct strbuf *msg);
/** What the lookup found when `guid` is an object id, or NULL. */
const char *app_ls_checks_object_id_message(const struct app_ls_checks *c, const char *guid);
/** "https://ws1.dev.azuresynapse.net" -> "ws1" (what people call the workspace); fresh. */
char *app_ls_workspace_label(const char *ws);

#endif
