// Microsoft Graph (graph.sandbox.localhost), a small part of v1.0: the tenant's service
// principals (applications, managed identities, workspace identities) and application
// registrations, by object id, by appId (alternate key) and with $filter=appId eq '...'
// (or displayName eq '...'). What synwiz needs to tell an application (client) id from
// an object id. Also POST /v1.0/directoryObjects/getByIds (users, service principals,
// applications), which the Azure CLI calls to name role assignments' principals.
// Bearer tokens must carry the Graph audience (asked for as https://graph.microsoft.com or
// as this host's URL, the cloud metadata's microsoftGraphResourceId); members of the tenant
// (users) may read, applications without directory permissions get Graph's 403.
import { send, lc, eqi, isGuid, guid, readBody, parseJson } from "./util.mjs";
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
    if (/^\/v1\.0\/directoryObjects\/(microsoft\.graph\.)?getByIds$/i.test(p)) {
      if (req.method !== "POST")
        return this.error(req, res, 405, "Request_BadRequest", `The request method '${req.method}' is not allowed on getByIds: use POST.`);
      return this.getByIds(req, res, who);
    }
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

  /**
   * POST /v1.0/directoryObjects/getByIds {"ids":[...], "types":[...]}: the directory objects
   * with these ids (unknown ids are left out), each with its "@odata.type". What the Azure CLI
   * calls to name the principals of role assignments.
   */
  async getByIds(req, res, who) {
    let body;
    try {
      body = parseJson(await readBody(req), null);
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== "object" || !Array.isArray(body.ids) || !body.ids.length)
      return this.error(req, res, 400, "Request_BadRequest", "The request body must be a JSON object with a non-empty array 'ids'.");
    if (body.ids.length > 1000)
      return this.error(req, res, 400, "Request_BadRequest", "Too many identifiers: the limit is 1000.");
    const bad = body.ids.find((id) => typeof id !== "string" || !isGuid(id));
    if (bad !== undefined) return this.error(req, res, 400, "Request_BadRequest", `Invalid object identifier '${bad}'.`);
    const KNOWN = ["user", "group", "serviceprincipal", "application", "device", "orgcontact", "directoryobjectpartnerreference"];
    let types = null;
    if (body.types !== undefined) {
      if (!Array.isArray(body.types) || body.types.some((t) => typeof t !== "string"))
        return this.error(req, res, 400, "Request_BadRequest", "'types' must be an array of strings.");
      types = body.types.map((t) => lc(t).replace(/^microsoft\.graph\./, ""));
      const unknown = types.find((t) => !KNOWN.includes(t));
      if (unknown) return this.error(req, res, 400, "Request_BadRequest", `Invalid type '${unknown}' in 'types'.`);
    }
    if (who.principal.kind !== "User")
      return this.error(req, res, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    const objects = [
      ...this.users().map((o) => ({ "@odata.type": "#microsoft.graph.user", ...o, t: "user" })),
      ...this.servicePrincipals().map((o) => ({ "@odata.type": "#microsoft.graph.servicePrincipal", ...o, t: "serviceprincipal" })),
      ...this.applications().map((o) => ({ "@odata.type": "#microsoft.graph.application", ...o, t: "application" })),
    ];
    const value = [];
    for (const id of body.ids) {
      const o = objects.find((x) => eqi(x.id, id) && (!types || types.includes(x.t)));
      if (o && !value.some((v) => v.id === o.id)) {
        const { t, ...rest } = o;
        value.push(rest);
      }
    }
    send(req, res, 200, { "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects", value });
  }

  users() {
    return [...this.state.principals.values()].filter((p) => p.kind === "User").map((p) => ({
      id: p.objectId, businessPhones: [], displayName: p.name, givenName: p.givenName, jobTitle: null,
      mail: p.upn, mobilePhone: null, officeLocation: null, preferredLanguage: null, surname: p.surname,
      userPrincipalName: p.upn,
    }));
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
