/*
 * app_linked_service: what the Azure Machine Learning linked-service wizard (behavior.md W4,
 * issue 6; app_host_linked_service.c) and the `synwiz linked-service` commands share, as
 * plain functions without I/O (so the unit tests pin them down):
 *
 *   the documented limitations     the exact reasons a workspace with data exfiltration
 *                                  protection and a self-hosted integration runtime are
 *                                  refused (seeds 003/004), and the filter that refuses them
 *   the definition                 the AzureMLService "properties" of API.md D.3, exactly:
 *                                  typeProperties subscriptionId, resourceGroupName,
 *                                  mlWorkspaceName, then either authentication "MSI" or
 *                                  servicePrincipalId + servicePrincipalKey + tenant;
 *                                  connectVia only for a runtime other than
 *                                  AutoResolveIntegrationRuntime (Synapse's default)
 *   the read-back comparison       what Synapse stored against what was sent
 *   Test connection's reading      of a service principal's failed sign-in or ARM read
 *                                  (AADSTS7000215 wrong secret, AADSTS700016 unknown
 *                                  application, AADSTS90002 unknown tenant, 403 no role,
 *                                  404 wrong names) and of role definitions (Contributor or
 *                                  a role that covers the Azure ML workspace)
 *   the grant commands             for someone who may assign the role
 *   a saved one, to edit           what Synapse holds read back into the wizard's terms
 *                                  and answers (edit mode; a typed secret is never
 *                                  given back: it must be typed again)
 *   the edit reference             "WS/NAME": linked services are unique per workspace
 *
 * Strings returned are fresh heap strings; JSON returned is a new reference.
 */
#ifndef SYNWIZ_APP_APP_LINKED_SERVICE_H
#define SYNWIZ_APP_APP_LINKED_SERVICE_H

#include <jansson.h>
#include <stdbool.h>

#include "app/app_action.h"
#include "app/app_result.h"
#include "wizard/wiz_host.h"

struct app_ctx;
struct app_host_base;
struct az_error;
struct strbuf;
struct wiz_list;

/** The wizard's host (app_host_linked_service.c), its actions and its rules, for the
 * registry (app_action.c). */
struct app_host_base *app_host_linked_service_open(struct app_ctx *app, struct strbuf *why,
                                                   enum app_result *out_rc);
extern const struct app_action app_ls_actions[];
extern const char *const app_ls_rules[];

/* The limitations, in the words of the quickstart (seeds 003 and 004). */
#define APP_LS_DEP_REASON                                                                    \
  "The Azure Machine Learning integration is not currently supported in Synapse Workspaces " \
  "with Data Exfiltration Protection. This workspace has data exfiltration protection on."
#define APP_LS_SHIR_REASON                                                          \
  "AzureML linked service is not supported with self hosted integration runtimes. " \
  "This applies to Synapse workspaces with and without Data Exfiltration Protection."
#define APP_LS_SPARK_NOTE                                                                \
  "The Azure Synapse Spark 3.3 and 3.4 runtimes do not support using the Azure Machine " \
  "Learning linked service to authenticate to the Azure Machine Learning MLflow tracking URI."

#define APP_LS_TYPE         "AzureMLService"
#define APP_LS_AUTO_RUNTIME "AutoResolveIntegrationRuntime"

enum app_ls_auth {
  APP_LS_AUTH_MSI,               /* the Synapse workspace's managed identity */
  APP_LS_AUTH_SERVICE_PRINCIPAL, /* an application's service principal and its key */
};

enum app_ls_key {
  APP_LS_KEY_SECURE_STRING, /* the secret, sent once as a SecureString */
  APP_LS_KEY_KEY_VAULT,     /* an AzureKeyVaultSecret reference */
};

/* What the linked service says; every string is borrowed. */
struct app_ls_spec {
  const char *ml_subscription;
  const char *ml_resource_group;
  const char *ml_workspace;
  enum app_ls_auth auth;
  const char *client_id; /* service principal: the application (client) id */
  const char *tenant;
  enum app_ls_key key;
  const char *secret;                   /* APP_LS_KEY_SECURE_STRING (a secret) */
  const char *key_vault_linked_service; /* APP_LS_KEY_KEY_VAULT */
  const char *secret_name;
  const char *secret_version;      /* or NULL */
  const char *integration_runtime; /* NULL or AutoResolveIntegrationRuntime: no connectVia */
};

/** The linked service's "properties" (the body is {"name": NAME, "properties": this}). */
json_t *app_ls_properties(const struct app_ls_spec *spec);

/**
 * Compare what Synapse read back (the linked service resource, or its "properties") with
 * the "properties" that were sent: type, every typeProperty (the SecureString's value is
 * masked on read: only its type is compared), connectVia. False with one line per
 * difference appended to `why` ("typeProperties.authentication: sent \"MSI\", read back
 * nothing").
 */
bool app_ls_read_back_matches(json_t *sent, json_t *read_back, struct strbuf *why);

/** The picker filter of the wizard (app_source_filter_fn): refuses workspaces with data
 * exfiltration protection and self-hosted integration runtimes, with the reasons above. */
void app_ls_filter(const char *source, struct wiz_list *items, void *ud);

/** True when a role lets an identity use the Azure ML workspace as the linked service
 * needs (what Contributor gives): the built-in Contributor or Owner, or a role whose
 * permissions (`definition`, a role definition resource; may be NULL) allow both
 * Microsoft.MachineLearningServices/workspaces/read and .../workspaces/write. */
bool app_ls_role_covers(const char *role_guid, json_t *definition);

/* Test connection's reading of a failed service-principal check. */
struct app_ls_diagnosis {
  char *title;  /* "The client secret is wrong" */
  char *detail; /* Azure's code and words */
  char *todo;   /* what to do */
  enum wiz_outcome outcome;
  bool no_role; /* signed in, but no role on the Azure ML workspace (a grant may help) */
};

/** `e` is the failed call's error: the sign-in (AZ_E_AUTH with an AADSTS code) or the read
 * of the Azure ML workspace (403, 404). `ml_workspace` names it in the messages. */
void app_ls_diagnose(const struct az_error *e, const char *client_id, const char *tenant,
                     const char *ml_workspace, struct app_ls_diagnosis *out);
void app_ls_diagnosis_done(struct app_ls_diagnosis *d);

/** `az role assignment create --assignee-object-id ... --role Contributor --scope ...`. */
char *app_ls_grant_az_command(const char *principal_id, const char *scope);
/** `synwiz rest --method put --url '<scope>/providers/Microsoft.Authorization/roleAssignments/
 * <guid>?api-version=2022-04-01' --body '{...}'` (a fresh GUID each time). */
char *app_ls_grant_rest_command(const char *principal_id, const char *scope);

/* A saved linked service as Synapse holds it, in the wizard's terms (all strings owned;
 * app_ls_saved_done() frees them). No secret: Synapse masks a SecureString on read, so a
 * typed secret (key APP_LS_KEY_SECURE_STRING) is not here and must be given again. */
struct app_ls_saved {
  char *name;
  char *ml_subscription, *ml_resource_group, *ml_workspace;
  enum app_ls_auth auth;
  char *client_id, *tenant;
  enum app_ls_key key;
  char *key_vault_linked_service, *secret_name, *secret_version;
  char *integration_runtime; /* AutoResolveIntegrationRuntime when there is no connectVia */
};

/** Read a linked service resource (GET linkedservices/NAME). False with the reason in `why`
 * when it is not an AzureMLService one, or holds what synwiz cannot edit (an expression
 * instead of a plain value, no Azure ML workspace). */
bool app_ls_saved_read(json_t *ls, struct app_ls_saved *out, struct strbuf *why);
void app_ls_saved_done(struct app_ls_saved *s);
/** The answers of a saved linked service in the workspace `workspace` of subscription
 * `subscription` (a JSON object, as an answers file gives them): subscription, workspace,
 * name, ml_subscription, ml_workspace, authentication, client_id, tenant, secret_source
 * and the Key Vault reference, integration_runtime. Never `secret`. */
json_t *app_ls_saved_answers(const struct app_ls_saved *s, const char *subscription,
                             const char *workspace);

/* Edit mode names a linked service "WS/NAME": WS as --workspace takes it (a connection's
 * name, a workspace's name, or its dev endpoint URL), then the name (which cannot hold a
 * '/'). */
/** "WS/NAME" (fresh). */
char *app_ls_edit_ref(const char *workspace, const char *name);
/** Split at the last '/': false when either part is empty. *out_ws and *out_name are fresh. */
bool app_ls_edit_ref_parse(const char *ref, char **out_ws, char **out_name);

/** From a Spark pools list ({"value": [...]}): "sparkpool33 (3.3), sparkpool34 (3.4)", or
 * NULL when no pool runs Spark 3.3 or 3.4. */
char *app_ls_spark_pools_affected(json_t *pools);

#endif
