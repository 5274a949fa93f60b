// Microsoft Graph (graph.sandbox.localhost), a small part of v1.0: the tenant's service
// principals (applications, managed identities, workspace identities) and application
// registrations, by object id, by appId (alternate key) and with $filter=appId eq '...'
// (or displayName eq '...'). What synwiz needs to tell an application (client) id from
// an object id. Bearer tokens must carry the Graph audience; members of the tenant (users)
// may read, applications without directory permissions get Graph's 403.
import { send, lc, eqi, isGuid, guid } from "./util.mjs";
import { HttpError } from "./util.mjs";
import { GRAPH_AUDIENCES } from "./tokens.mjs";

const V = "/v1.0";
// Microsoft's first-party applications (Azure CLI, ...) are registered in this tenant of Microsoft's.
const MICROSOFT_SERVICES_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

export class Graph {
  constructor(state, tokens) {
    this.state = state;
    this.tokens = tokens;
  }

  /** Graph's error body: {"error":{"code","message","innerError":{...}}}. */
  error(req, res, status, code, message) {
    const rid = guid();
    send(req, res, status, {
      error: {
        code, message,
        innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ""), "request-id": rid, "client-request-id": req.headers["client-request-id"] || rid },
      },
    });
  }

  async handle(req, res, url) {
    let who;
    try {
      who = this.tokens.authenticate(req, GRAPH_AUDIENCES);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      // Graph says it in its own words.
      const msg = e.code === "AuthenticationFailed" ? "Access token is empty."
        : e.code === "InvalidAuthenticationTokenAudience" ? "Access token validation failure. Invalid audience."
          : e.code === "ExpiredAuthenticationToken" ? "Lifetime validation failed, the token is expired."
            : "Access token validation failure.";
      return this.error(req, res, 401, "InvalidAuthenticationToken", msg);
    }
    const p = decodeURIComponent(url.pathname).replace(/\/+$/, "");
    if (req.method !== "GET")
      return this.error(req, res, 405, "Request_BadRequest", `The sandbox's Graph serves reads only, not '${req.method}'.`);
    let m;
    const kind = (seg) => (lc(seg) === "serviceprincipals" ? "sp" : lc(seg) === "applications" ? "app" : null);
    if (!(m = /^\/v1\.0\/(servicePrincipals|applications)(?:\((?:appId=)?'([^']*)'\)|\/([^/]+))?$/i.exec(p)) || !kind(m[1]))
      return this.error(req, res, 400, "BadRequest", `Resource not found for the segment '${p.split("/")[2] || p}'.`);
    if (who.principal.kind !== "User")
      return this.error(req, res, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    const k = kind(m[1]);
    const all = k === "sp" ? this.servicePrincipals() : this.applications();
    const sel = url.searchParams.get("$select");
    const pick = (o) => (sel ? Object.fromEntries(Object.entries(o).filter(([key]) => key === "id" || sel.split(",").map((x) => lc(x.trim())).includes(lc(key)))) : o);
    const ctx = `https://graph.microsoft.com/v1.0/$metadata#${k === "sp" ? "servicePrincipals" : "applications"}`;
    if (m[2] !== undefined || m[3] !== undefined) {
      const byAppId = m[2] !== undefined;
      const id = byAppId ? m[2] : m[3];
      if (!isGuid(id)) return this.error(req, res, 400, "Request_BadRequest", `Invalid object identifier '${id}'.`);
      const o = all.find((x) => (byAppId ? eqi(x.appId, id) : eqi(x.id, id)));
      if (!o)
        return this.error(req, res, 404, "Request_ResourceNotFound",
          `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
      return send(req, res, 200, { "@odata.context": `${ctx}/$entity`, ...pick(o) });
    }
    let list = all;
    const f = url.searchParams.get("$filter");
    if (f) {
      const fm = /^\s*(appId|displayName)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(f);
      if (!fm) return this.error(req, res, 400, "Request_UnsupportedQuery", `Unsupported query: the sandbox's Graph filters on appId eq '...' or displayName eq '...', not '${f}'.`);
      const v = fm[2].replace(/''/g, "'");
      list = all.filter((x) => (lc(fm[1]) === "appid" ? eqi(x.appId, v) : x.displayName === v));
    }
    send(req, res, 200, { "@odata.context": ctx, value: list.map(pick) });
  }

  servicePrincipals() {
    const t = this.state.tenantId;
    const out = [];
    for (const p of this.state.principals.values()) {
      if (p.kind === "User" || !p.appId) continue;
      const mi = p.kind !== "ServicePrincipal";
      out.push({
        id: p.objectId, accountEnabled: true,
        alternativeNames: mi && p.resourceId ? [`isExplicit=${p.kind === "ManagedIdentity" ? "True" : "False"}`, p.resourceId] : [],
        appDisplayName: mi ? null : p.name, appId: p.appId,
        appOwnerOrganizationId: mi ? null : p.firstParty ? MICROSOFT_SERVICES_TENANT : t,
        displayName: p.name, servicePrincipalNames: [p.appId],
        servicePrincipalType: mi ? "ManagedIdentity" : "Application",
        signInAudience: mi ? null : p.firstParty ? "AzureADMultipleOrgs" : "AzureADMyOrg",
      });
    }
    return out;
  }

  applications() {
    const dom = this.state.seed.tenant.defaultDomain;
    return this.state.seed.applications.filter((a) => a.applicationObjectId).map((a) => ({
      id: a.applicationObjectId, appId: a.appId, createdDateTime: "2025-01-15T09:00:00Z", displayName: a.name,
      isFallbackPublicClient: !!a.publicClient, publisherDomain: dom, signInAudience: "AzureADMyOrg",
    }));
  }
}
