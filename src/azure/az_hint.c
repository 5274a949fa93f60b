#include "azure/az_hint.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef char *(*hint_fn)(const struct az_error *e, const struct az_hint_context *ctx);

struct hint {
  const char *code;   /* Azure's code; "X*" matches a prefix; NULL = any */
  const char *phrase; /* a phrase the message must contain (any case); NULL = any */
  int status;         /* 0 = any */
  int result;         /* -1 = any */
  const char *text;   /* fixed advice, or NULL when `fn` builds it */
  hint_fn fn;
};

/* Which built-in role grants an action: the first pattern that matches. */
static const struct {
  const char *pattern;
  const char *role;
} action_roles[] = {
  { "microsoft.authorization/roleassignments/*",
    "Owner, User Access Administrator or Role Based Access Control Administrator" },
  { "microsoft.storage/storageaccounts/blobservices/containers/blobs/*",
    "Storage Blob Data Contributor (Storage Blob Data Reader to read only)" },
  { "microsoft.storage/storageaccounts/listkeys/action",
    "Storage Account Contributor (or Contributor)" },
  { "microsoft.storage/storageaccounts/blobservices/containers/write",
    "Storage Account Contributor (or Contributor)" },
  { "*/read", "Reader" },
  { "microsoft.synapse/*", "Contributor on the workspace" },
  { "microsoft.machinelearningservices/*", "Contributor (or AzureML Data Scientist)" },
  { "*", "Contributor (or a custom role that includes this action)" },
};

const char *az_hint_role_for_action(const char *action)
{
  char *lower = xstrdup(action);
  for (char *p = lower; *p; p++)
    *p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
  const char *role = NULL;
  for (size_t i = 0; !role && i < sizeof(action_roles) / sizeof(action_roles[0]); i++) {
    if (fnmatch(action_roles[i].pattern, lower, 0) == 0)
      role = action_roles[i].role;
  }
  free(lower);
  return role;
}

/* The text between `after` and the next quote: "action 'X'" -> X. */
static char *quoted_after(const char *msg, const char *after)
{
  const char *p = msg ? strstr(msg, after) : NULL;
  if (!p)
    return NULL;
  p += strlen(after);
  const char *q = strchr(p, '\'');
  return q ? xstrndup(p, (size_t)(q - p)) : NULL;
}

static char *hint_authorization_failed(const struct az_error *e, const struct az_hint_context *c)
{
  char *action = quoted_after(e->message, "perform action '");
  char *scope = quoted_after(e->message, "over scope '");
  char *oid = quoted_after(e->message, "object id '");
  char *res;
  if (action) {
    res = xasprintf("%s%s%s may not perform %s%s%s. A role that grants it: %s. Ask an Owner or "
                    "User Access Administrator of that scope to assign it; new roles take a "
                    "few minutes to apply.",
                    oid ? "The signed-in identity (object id " : "The signed-in identity",
                    oid ? oid : "", oid ? ")" : "", action, scope ? " at " : "", scope ? scope : "",
                    az_hint_role_for_action(action));
  } else {
    res = xstrdup("The signed-in identity lacks an Azure role at this scope. Ask an Owner or "
                  "User Access Administrator to assign one; new roles take a few minutes.");
  }
  free(action);
  free(scope);
  free(oid);
  return res;
}

static char *hint_synapse_rbac(const struct az_error *e, const struct az_hint_context *c)
{
  const char *m = e->message ? strstr(e->message, "Action: ") : NULL;
  char *act = NULL, *scope = NULL;
  if (m) {
    m += 8;
    const char *end = strpbrk(m, ", ");
    act = end ? xstrndup(m, (size_t)(end - m)) : xstrdup(m);
    const char *s = strstr(m, "Scope: ");
    if (s) {
      s += 7;
      const char *send = strpbrk(s, " ,.\"");
      scope = send ? xstrndup(s, (size_t)(send - s)) : xstrdup(s);
    }
  }
  char *res =
      xasprintf("This needs a Synapse RBAC role in the workspace (Azure roles are not "
                "enough)%s%s%s%s. Synapse Contributor creates artifacts; running "
                "pipelines that use a linked service's credential also needs Synapse "
                "Credential User. A Synapse Administrator can grant them in Synapse "
                "Studio > Manage > Access control.",
                act ? ": missing " : "", act ? act : "", scope ? " at " : "", scope ? scope : "");
  free(act);
  free(scope);
  return res;
}

static char *hint_tls(const struct az_error *e, const struct az_hint_context *c)
{
  return xasprintf("synwiz could not verify %s's certificate. It trusts the system's CA "
                   "certificates%s%s. Behind a TLS-inspecting proxy, add its CA to a custom cloud "
                   "profile's ca_bundle (--cloud FILE); TLS verification is never turned off.",
                   c && c->host ? c->host : "the server", c && c->ca_bundle ? " plus " : "",
                   c && c->ca_bundle ? c->ca_bundle : " (no extra CA file is configured)");
}

static char *hint_connect(const struct az_error *e, const struct az_hint_context *c)
{
  return xasprintf("Could not reach %s. Check the network, DNS and any proxy "
                   "(HTTPS_PROXY / NO_PROXY); if it is a private endpoint, run synwiz from a "
                   "machine inside that network.",
                   c && c->host ? c->host : "the server");
}

static const char conditional_access[] =
    "A Conditional Access policy of your tenant blocked this sign-in (device-code sign-in is "
    "often blocked). Sign in with a service principal (synwiz login --service-principal) or a "
    "managed identity (synwiz login --managed-identity) instead, or ask your administrator.";

static const struct hint hints[] = {
  { "AuthorizationFailed", NULL, 0, -1, NULL, hint_authorization_failed },
  { NULL, "Synapse RBAC", 403, -1, NULL, hint_synapse_rbac },
  { "PrincipalNotFound", NULL, 0, -1,
    "The principal was created moments ago and has not yet reached every Azure region "
    "(replication delay). Retry in a minute.",
    NULL },
  { "AADSTS7000215", NULL, 0, -1,
    "The client secret is wrong. Use the secret's Value (not its Secret ID) and check that it "
    "has not expired (Entra ID > App registrations > Certificates & secrets).",
    NULL },
  { "AADSTS7000222", NULL, 0, -1,
    "The client secret has expired. Create a new one in Entra ID > App registrations > "
    "Certificates & secrets.",
    NULL },
  { "AADSTS700016", NULL, 0, -1,
    "Entra ID does not know this application in this tenant. Check that you gave the "
    "application (client) id, not the object id, and that the tenant is the right one.",
    NULL },
  { "AADSTS90002", NULL, 0, -1,
    "Entra ID does not know this tenant. Check the tenant id (a GUID) or domain name.", NULL },
  { "AADSTS700024", NULL, 0, -1,
    "The client assertion is outside its valid time range: this machine's clock is probably "
    "wrong. Synchronise it (timedatectl, NTP) and try again.",
    NULL },
  { "AADSTS700027", NULL, 0, -1,
    "Entra ID could not verify the certificate's signature: upload this certificate's public "
    "part to the application (Certificates & secrets), or use the matching certificate file.",
    NULL },
  { "AADSTS53003", NULL, 0, -1, conditional_access, NULL },
  { "AADSTS50199", NULL, 0, -1, conditional_access, NULL },
  { "AADSTS530*", NULL, 0, -1, conditional_access, NULL },
  { NULL, "Conditional Access", 0, -1, conditional_access, NULL },
  { "AADSTS7000218", NULL, 0, -1,
    "This application does not allow public client flows (device code). Enable \"Allow "
    "public client flows\" on its registration, or sign in another way.",
    NULL },
  { "invalid_grant", NULL, 0, -1,
    "The saved sign-in is no longer valid (expired, revoked or the password changed). Run "
    "synwiz login again.",
    NULL },
  { "AADSTS50173", NULL, 0, -1,
    "The saved sign-in is no longer valid (expired, revoked or the password changed). Run "
    "synwiz login again.",
    NULL },
  { "InvalidAuthenticationTokenAudience", NULL, 0, -1,
    "The token was issued for another service than the one called. synwiz picks the token "
    "from the URL's host; for an unusual host give the right scope (synwiz rest --scope).",
    NULL },
  { "ExpiredAuthenticationToken", NULL, 0, -1,
    "The access token expired and could not be renewed. Run synwiz login again; if this "
    "repeats, check this machine's clock.",
    NULL },
  { "InvalidAuthenticationToken*", NULL, 0, -1,
    "Azure did not accept the token. Run synwiz login again, and check that the cloud "
    "(--cloud) matches the tenant.",
    NULL },
  { "AuthorizationPermissionMismatch", NULL, 0, -1,
    "You are signed in, but you hold no data role on this storage account. Assign Storage "
    "Blob Data Contributor (or Storage Blob Data Reader to read) on the account or the "
    "container; Owner and Contributor alone do not give access to data. Roles take a few "
    "minutes to apply.",
    NULL },
  { "AuthorizationFailure", NULL, 403, -1,
    "The storage account's network rules refused this request (firewall, or public network "
    "access disabled). Add this machine's IP address to the account's firewall, or work from "
    "a network with a private endpoint to it.",
    NULL },
  { "KeyBasedAuthenticationNotPermitted", NULL, 0, -1,
    "This storage account does not allow account keys (allowSharedKeyAccess is false). Sign "
    "in with Entra ID (synwiz login) instead of using a connection string or key.",
    NULL },
  { "AuthenticationFailed", NULL, 403, -1,
    "The storage account did not accept the signature: check the account key or connection "
    "string, and this machine's clock (requests older than 15 minutes are refused).",
    NULL },
  { "authorization_declined", NULL, 0, -1,
    "The sign-in was declined in the browser. Run synwiz login again.", NULL },
  { "expired_token", NULL, 0, -1,
    "The code was not entered in time. Run synwiz login again and enter the code within "
    "the time shown.",
    NULL },
  { "bad_verification_code", NULL, 0, -1,
    "Entra ID did not recognise the device code. Run synwiz login again.", NULL },
  { NULL, NULL, 429, -1,
    "Azure is throttling requests from this identity. synwiz already waited and retried; wait "
    "a minute and try again, or make fewer calls at once.",
    NULL },
  { NULL, NULL, 0, AZ_E_TLS, NULL, hint_tls },
  { NULL, NULL, 0, AZ_E_CONNECT, NULL, hint_connect },
  { NULL, NULL, 0, AZ_E_TIMEOUT,
    "The call did not finish in time. The network may be slow or the service busy; try "
    "again.",
    NULL },
  { NULL, NULL, 0, AZ_E_NOT_SIGNED_IN,
    "Run synwiz login (or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or "
    "AZURE_CLIENT_CERTIFICATE_PATH).",
    NULL },
  /* Last, so that every 401 with a known code keeps its own advice: a rejected token with
   * a code of its own still means the sign-in is no longer good. */
  { NULL, NULL, 401, -1,
    "Azure did not accept the sign-in. Run synwiz login again, and check that the cloud "
    "(--cloud) matches the tenant.",
    NULL },
};

static bool code_matches(const char *pattern, const char *code)
{
  if (!code)
    return false;
  size_t n = strlen(pattern);
  if (n && pattern[n - 1] == '*')
    return strncasecmp(pattern, code, n - 1) == 0;
  return strcasecmp(pattern, code) == 0;
}

static bool phrase_in(const char *phrase, const char *msg)
{
  if (!msg)
    return false;
  size_t n = strlen(phrase);
  for (const char *p = msg; *p; p++) {
    if (strncasecmp(p, phrase, n) == 0)
      return true;
  }
  return false;
}

static bool row_matches(const struct hint *h, const struct az_error *e)
{
  if (h->code && !code_matches(h->code, e->code) &&
      !(e->oauth_error && code_matches(h->code, e->oauth_error)))
    return false;
  if (h->phrase && !phrase_in(h->phrase, e->message) && !phrase_in(h->phrase, e->details))
    return false;
  if (h->status && h->status != e->status)
    return false;
  if (h->result >= 0 && h->result != (int)e->result)
    return false;
  return true;
}

void az_hint_apply(struct az_error *e, const struct az_hint_context *ctx)
{
  if (e->result == AZ_OK)
    return;
  for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
    if (!row_matches(&hints[i], e))
      continue;
    free(e->hint);
    e->hint = hints[i].fn ? hints[i].fn(e, ctx) : xstrdup(hints[i].text);
    return;
  }
}
