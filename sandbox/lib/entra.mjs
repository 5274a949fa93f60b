// Entra ID (login.sandbox.localhost): the v2.0 token and devicecode endpoints, OpenID
// metadata and instance discovery (what MSAL asks an authority), and the two managed
// identity endpoint shapes (IMDS and IDENTITY_ENDPOINT).
import crypto from "node:crypto";
import { decodeJwt, verifySignature } from "./jwt.mjs";
import { send, guid, nowSec, randomSecret, lc, eqi, readBody } from "./util.mjs";
import { resourceOfScope } from "./tokens.mjs";

const OIDC = new Set(["openid", "profile", "offline_access", "email"]);

export class Entra {
  constructor(state, tokens, certInfo, secrets) {
    this.state = state;
    this.tokens = tokens;
    this.cert = certInfo; // {x5t, x5tS256, publicKey} of synwiz-cert
    this.secrets = secrets; // {clientSecrets:{appId:secret}, identityHeader}
  }

  /** AAD error answer: {"error","error_description","error_codes",...}. */
  aadError(req, res, status, error, code, text) {
    const trace = guid();
    const corr = req.headers["client-request-id"] || guid();
    const ts = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
    send(req, res, status, {
      error,
      error_description: `${code ? `AADSTS${code}: ` : ""}${text} Trace ID: ${trace} Correlation ID: ${corr} Timestamp: ${ts}`,
      error_codes: code ? [code] : [],
      timestamp: ts,
      trace_id: trace,
      correlation_id: corr,
      error_uri: `${this.state.authority}/error?code=${code}`,
    }, { "Cache-Control": "no-store", Pragma: "no-cache" });
  }

  /** tenant path segment -> tenant id, or null when unknown. `user` allows common/organizations. */
  tenantOf(seg, user) {
    if (eqi(seg, this.state.tenantId) || eqi(seg, this.state.seed.tenant.defaultDomain)) return this.state.tenantId;
    if (user && (eqi(seg, "common") || eqi(seg, "organizations"))) return this.state.tenantId;
    return null;
  }

  async handle(req, res, url) {
    const p = url.pathname.replace(/(.)\/+$/, "$1");
    let m;
    if (req.method === "GET" && (m = /^\/([^/]+)(\/v2\.0)?\/\.well-known\/openid-configuration$/i.exec(p)))
      return this.openidConfiguration(req, res, m[1], !!m[2]);
    if (req.method === "GET" && /^\/(common|organizations|[^/]+)\/discovery\/instance$/i.test(p))
      return this.instanceDiscovery(req, res, url);
    if (req.method === "GET" && /^\/[^/]+\/discovery(\/v2\.0)?\/keys$/i.test(p))
      return send(req, res, 200, { keys: [this.tokens.jwk] });
    if (req.method === "POST" && (m = /^\/([^/]+)\/oauth2\/v2\.0\/devicecode$/i.exec(p)))
      return this.deviceCode(req, res, m[1]);
    if (req.method === "POST" && (m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i.exec(p)))
      return this.token(req, res, m[1]);
    if (req.method === "GET" && /^\/metadata\/identity\/oauth2\/token$/i.test(p)) return this.imds(req, res, url);
    if (req.method === "GET" && /^\/msi\/token$/i.test(p)) return this.identityEndpoint(req, res, url);
    if (req.method === "GET" && /^\/devicelogin$/i.test(p))
      return send(req, res, 200,
        "This is the synwiz sandbox. There is no browser sign-in here: approve a device code with\n" +
          "  synwiz sandbox approve CODE\n(or decline it through the control endpoint, /_sandbox/devicecode/decline).\n",
        { "Content-Type": "text/plain; charset=utf-8" });
    return this.aadError(req, res, 404, "not_found", 90011, `The path '${p}' is not served by this authority.`);
  }

  openidConfiguration(req, res, seg, v2) {
    const tid = this.tenantOf(seg, true);
    if (!tid)
      return this.aadError(req, res, 400, "invalid_tenant", 90002,
        `Tenant '${seg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    const A = this.state.authority;
    const t = eqi(seg, "common") || eqi(seg, "organizations") ? seg : tid;
    const issuerTid = t === tid ? tid : "{tenantid}";
    send(req, res, 200, {
      token_endpoint: `${A}/${t}/oauth2/${v2 ? "v2.0/" : ""}token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${A}/${t}/discovery/${v2 ? "v2.0/" : ""}keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: v2 ? `${A}/${issuerTid}/v2.0` : `https://sts.windows.net/${issuerTid}/`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${A}/oidc/userinfo`,
      authorization_endpoint: `${A}/${t}/oauth2/${v2 ? "v2.0/" : ""}authorize`,
      device_authorization_endpoint: `${A}/${t}/oauth2/${v2 ? "v2.0/" : ""}devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${A}/${t}/oauth2/${v2 ? "v2.0/" : ""}logout`,
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
      kerberos_endpoint: `${A}/${t}/kerberos`,
      tenant_region_scope: "EU",
      cloud_instance_name: "sandbox.localhost",
      // Host names as clients use them to build URLs: with the sandbox's port.
      cloud_graph_host_name: new URL(this.state.graphBase).host,
      msgraph_host: new URL(this.state.graphBase).host,
    });
  }

  instanceDiscovery(req, res, url) {
    const A = this.state.authority;
    const host = new URL(A).host;
    const ae = url.searchParams.get("authorization_endpoint") || "";
    let tenant = "common";
    try {
      const u = new URL(ae);
      // MSAL Python names the authority by its host name alone (no port): the instance is the
      // host; a port other than ours (or another host) is an unknown instance.
      if (!eqi(u.hostname, new URL(A).hostname) || (u.port && u.port !== new URL(A).port))
        return send(req, res, 400, { error: "invalid_instance", error_description: `AADSTS50049: Unknown or invalid instance. '${u.host}'`, error_codes: [50049] });
      tenant = u.pathname.split("/")[1] || "common";
    } catch {
      /* no endpoint given: describe this instance */
    }
    send(req, res, 200, {
      tenant_discovery_endpoint: `${A}/${tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }

  async form(req) {
    const body = (await readBody(req)).toString("utf8");
    return Object.fromEntries(new URLSearchParams(body));
  }

  /** Parse a scope list: {resource, scopes[], offline, openid} or {error}. */
  parseScopes(scopeStr) {
    const scopes = String(scopeStr || "").split(/\s+/).filter(Boolean);
    const res = scopes.filter((s) => !OIDC.has(lc(s)));
    let resource = null;
    for (const s of res) {
      const r = resourceOfScope(s);
      if (!r) return { error: s };
      if (resource && resource !== r) return { multi: true };
      resource = r;
    }
    return {
      resource: resource || (res.length === 0 ? "https://graph.microsoft.com" : null),
      scopes,
      resScopes: res,
      offline: scopes.some((s) => eqi(s, "offline_access")),
      openid: scopes.some((s) => eqi(s, "openid")),
    };
  }

  async deviceCode(req, res, seg) {
    const f = await this.form(req);
    const tid = this.tenantOf(seg, true);
    if (!tid)
      return this.aadError(req, res, 400, "invalid_request", 90002,
        `Tenant '${seg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    const app = this.state.app(f.client_id || "");
    if (!app)
      return this.aadError(req, res, 400, "unauthorized_client", 700016,
        `Application with identifier '${f.client_id}' was not found in the directory '${this.state.seed.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    if (!app.publicClient || !app.deviceCode)
      return this.aadError(req, res, 400, "invalid_client", 7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    const sc = this.parseScopes(f.scope);
    if (sc.error) return this.invalidResource(req, res, sc.error);
    if (sc.multi) return this.aadError(req, res, 400, "invalid_scope", 28000, "Provided value for the input parameter scope is not valid because it contains more than one resource. Scope " + f.scope + " is not valid.");
    const cfg = this.state.config;
    const deviceCode = "DAQABAAEAAA" + randomSecret(72);
    let userCode;
    do {
      userCode = Array.from(crypto.randomBytes(9), (b) => "BCDFGHJKLMNPQRSTVWXZ23456789"[b % 28]).join("");
    } while (this.state.userCodes.has(userCode));
    const rec = {
      deviceCode, userCode, clientId: app.appId, scope: f.scope, sc, state: "pending",
      expiresAt: Date.now() + cfg.deviceCodeLifetimeSeconds * 1000, interval: cfg.deviceCodeIntervalSeconds,
      lastPoll: 0, user: null,
    };
    this.state.deviceCodes.set(deviceCode, rec);
    this.state.userCodes.set(userCode, deviceCode);
    const uri = `${this.state.authority}/devicelogin`;
    send(req, res, 200, {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: uri,
      expires_in: cfg.deviceCodeLifetimeSeconds,
      interval: cfg.deviceCodeIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${uri} and enter the code ${userCode} to authenticate.`,
    });
  }

  /** Control: approve or decline a user code. Returns false when unknown. */
  decide(userCode, approve, upn) {
    const dc = this.state.userCodes.get(String(userCode || "").toUpperCase().replace(/[^A-Z0-9]/g, ""));
    const rec = dc && this.state.deviceCodes.get(dc);
    if (!rec || rec.state !== "pending" || Date.now() >= rec.expiresAt) return false;
    if (approve) {
      const user = upn
        ? [...this.state.principals.values()].find((p) => p.kind === "User" && eqi(p.upn, upn))
        : [...this.state.principals.values()].find((p) => p.kind === "User");
      if (!user) return false;
      rec.user = user;
      rec.state = "approved";
    } else rec.state = "declined";
    return true;
  }

  invalidResource(req, res, scope) {
    return this.aadError(req, res, 400, "invalid_resource", 500011,
      `The resource principal named ${String(scope).replace(/\/\.default$/, "")} was not found in the tenant named ${this.state.seed.tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
  }

  async token(req, res, seg) {
    const f = await this.form(req);
    const gt = f.grant_type;
    const dc = gt === "urn:ietf:params:oauth:grant-type:device_code" || gt === "device_code"; // MSAL sends the short form
    const user = dc || gt === "refresh_token";
    const tid = this.tenantOf(seg, user);
    if (!tid) {
      if (eqi(seg, "common") || eqi(seg, "organizations"))
        return this.aadError(req, res, 400, "invalid_request", 9002346,
          "The 'client_credentials' grant needs a tenant: use a tenant-specific endpoint or the domain name of the tenant, not /common or /organizations.");
      return this.aadError(req, res, 400, "invalid_request", 90002,
        `Tenant '${seg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
    }
    if (!f.client_id)
      return this.aadError(req, res, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
    if (gt === "client_credentials") return this.clientCredentials(req, res, f, seg);
    if (dc) return this.deviceCodeGrant(req, res, f);
    if (gt === "refresh_token") return this.refreshGrant(req, res, f);
    return this.aadError(req, res, 400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${gt}'.`);
  }

  unknownApp(req, res, id) {
    return this.aadError(req, res, 400, "unauthorized_client", 700016,
      `Application with identifier '${id}' was not found in the directory '${this.state.seed.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  }

  clientCredentials(req, res, f, seg) {
    const app = this.state.app(f.client_id);
    if (!app || app.kind !== "ServicePrincipal") return this.unknownApp(req, res, f.client_id);
    const sc = this.parseScopes(f.scope);
    if (!f.scope)
      return this.aadError(req, res, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
    if (sc.error) return this.invalidResource(req, res, sc.error);
    if (sc.multi || sc.resScopes.length !== 1 || !/\/\.default$/.test(sc.resScopes[0]))
      return this.aadError(req, res, 400, "invalid_scope", 1002012,
        `The provided value for scope ${f.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    let acr;
    if (f.client_secret !== undefined) {
      const secret = this.secrets.clientSecrets[app.appId];
      if (app.credential !== "secret" || !secret || !timingSafeEq(secret, f.client_secret))
        return this.aadError(req, res, 401, "invalid_client", 7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`);
      acr = "1";
    } else if (f.client_assertion !== undefined) {
      if (f.client_assertion_type !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        return this.aadError(req, res, 400, "invalid_request", 700023,
          "The client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.");
      const err = this.checkAssertion(app, f.client_assertion, seg);
      if (err) return this.aadError(req, res, err[0], err[1], err[2], err[3]);
      acr = "2";
    } else if (app.publicClient) {
      return this.aadError(req, res, 400, "invalid_client", 7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    } else {
      return this.aadError(req, res, 401, "invalid_client", 7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    const t = this.tokens.accessToken(app, sc.resource, { acr });
    send(req, res, 200, { token_type: "Bearer", expires_in: t.life, ext_expires_in: t.life, access_token: t.token },
      { "Cache-Control": "no-store", Pragma: "no-cache" });
  }

  /** Returns null when the assertion is good, else [status, error, code, text]. */
  checkAssertion(app, assertion, seg) {
    const d = decodeJwt(assertion);
    if (!d) return [400, "invalid_request", 50027, "JWT token is invalid or malformed."];
    if (app.credential !== "certificate")
      return [401, "invalid_client", 700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${d.header.x5t || d.header["x5t#S256"] || ""}']`];
    // Entra compares the thumbprint's bytes: MSAL Python sends x5t URL-safe with '=' padding,
    // MSAL Node and the docs without; standard base64 decodes to the same bytes too.
    const tp = d.header["x5t#S256"] !== undefined ? sameThumbprint(d.header["x5t#S256"], this.cert.x5tS256)
      : sameThumbprint(d.header.x5t, this.cert.x5t);
    if (!tp)
      return [401, "invalid_client", 700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${d.header.x5t || d.header["x5t#S256"] || ""}']`];
    if (!["RS256", "PS256"].includes(d.header.alg) || !verifySignature(d, this.cert.publicKey))
      return [401, "invalid_client", 700027, "Client assertion failed signature validation."];
    const c = d.payload;
    if (c.iss !== app.appId || (c.sub !== undefined && c.sub !== app.appId))
      return [401, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials ."];
    const A = this.state.authority;
    const okAud = [this.state.tenantId, this.state.seed.tenant.defaultDomain, seg].flatMap((t) => [
      `${A}/${t}/oauth2/v2.0/token`, `${A}/${t}/oauth2/token`, `${A}/${t}/`, `${A}/${t}`]);
    if (!okAud.some((a) => eqi(a, c.aud)))
      return [401, "invalid_client", 50013, `Assertion audience claim does not match the required value. The audience in the assertion was '${c.aud}' and the expected audience is '${A}/${this.state.tenantId}/oauth2/v2.0/token' or one of the Application Ids of the application.`];
    const now = nowSec();
    if (typeof c.exp !== "number" || c.exp <= now - 300 || (typeof c.nbf === "number" && c.nbf > now + 300)) {
      const f = (s) => (typeof s === "number" ? new Date(s * 1000).toISOString().replace("T", " ").replace(/\.\d+Z/, "Z") : "(none)");
      return [401, "invalid_client", 700024,
        `Client assertion is not within its valid time range. Current time: ${f(now)}, assertion valid from ${f(c.nbf)}, expiry time of assertion ${f(c.exp)}. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .`];
    }
    return null;
  }

  userTokenAnswer(req, res, user, clientId, sc) {
    const t = this.tokens.accessToken(user, sc.resource, { clientAppId: clientId });
    const r = sc.resource;
    const granted = sc.resScopes.length ? sc.resScopes.map((s) => (/\/\.default$/.test(s) ? `${r}/user_impersonation` : s)) : ["User.Read"];
    const body = {
      token_type: "Bearer",
      scope: [...granted, ...sc.scopes.filter((s) => OIDC.has(lc(s)) && lc(s) !== "offline_access")].join(" "),
      expires_in: t.life,
      ext_expires_in: t.life,
      access_token: t.token,
    };
    if (sc.offline) body.refresh_token = this.tokens.refreshToken(user, clientId);
    if (sc.openid) body.id_token = this.tokens.idToken(user, clientId);
    body.client_info = Buffer.from(JSON.stringify({ uid: user.objectId, utid: this.state.tenantId })).toString("base64url");
    send(req, res, 200, body, { "Cache-Control": "no-store", Pragma: "no-cache" });
  }

  deviceCodeGrant(req, res, f) {
    const rec = this.state.deviceCodes.get(f.device_code || "");
    if (!rec || !eqi(rec.clientId, f.client_id))
      return this.aadError(req, res, 400, "bad_verification_code", 70019,
        "Verification code could not be found. Provide a valid device code.");
    const now = Date.now();
    if (rec.state === "redeemed" || now >= rec.expiresAt) {
      rec.state = rec.state === "redeemed" ? "redeemed" : "expired";
      return this.aadError(req, res, 400, "expired_token", 70020,
        "The provided value for the input parameter 'device_code' is not valid. This device code has expired.");
    }
    if (rec.state === "declined")
      return this.aadError(req, res, 400, "authorization_declined", 70021, "The end-user denied the authorization request.");
    const tooFast = rec.lastPoll && now - rec.lastPoll < rec.interval * 1000 * 0.8;
    rec.lastPoll = now;
    if (rec.state === "pending") {
      if (tooFast)
        return this.aadError(req, res, 400, "slow_down", 70016,
          `OAuth 2.0 device flow error. The client is polling too quickly: wait at least ${rec.interval} seconds between requests.`);
      return this.aadError(req, res, 400, "authorization_pending", 70016,
        "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
    }
    rec.state = "redeemed";
    return this.userTokenAnswer(req, res, rec.user, rec.clientId, rec.sc);
  }

  refreshGrant(req, res, f) {
    const r = this.tokens.refreshTokens.get(f.refresh_token || "");
    if (!r || !eqi(r.clientId, f.client_id))
      return this.aadError(req, res, 400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
    const sc = this.parseScopes(f.scope || "https://management.azure.com/.default offline_access");
    if (sc.error) return this.invalidResource(req, res, sc.error);
    if (sc.multi) return this.aadError(req, res, 400, "invalid_scope", 28000, `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${f.scope} is not valid.`);
    sc.offline = true; // a refresh always rotates the refresh token
    const user = this.state.principal(r.oid);
    return this.userTokenAnswer(req, res, user, r.clientId, sc);
  }

  /** Pick the identity a managed-identity request names (client_id / object_id / msi_res_id), else the default. */
  pickIdentity(q) {
    const mis = [...this.state.principals.values()].filter((p) => p.kind === "ManagedIdentity" || (p.kind === "WorkspaceIdentity" && p.appId));
    const cid = q.get("client_id");
    const oid = q.get("object_id") || q.get("principal_id");
    const rid = q.get("msi_res_id") || q.get("mi_res_id");
    if (cid) return mis.find((p) => eqi(p.appId, cid)) || null;
    if (oid) return mis.find((p) => eqi(p.objectId, oid)) || null;
    if (rid) return mis.find((p) => eqi(p.resourceId, rid)) || null;
    return mis.find((p) => p.isDefaultMi) || null;
  }

  miResource(q) {
    const r = q.get("resource");
    if (!r) return { missing: true };
    const key = resourceOfScope(r);
    return key ? { key, raw: r } : { unknown: r };
  }

  imds(req, res, url) {
    const q = url.searchParams;
    if (lc(req.headers.metadata) !== "true")
      return send(req, res, 400, { error: "invalid_request", error_description: "Required metadata header not specified" });
    if (!q.get("api-version"))
      return send(req, res, 400, { error: "invalid_request", error_description: "Required query variable 'api-version' is missing" });
    const r = this.miResource(q);
    if (r.missing) return send(req, res, 400, { error: "invalid_request", error_description: "Required query variable 'resource' is missing" });
    if (r.unknown) return send(req, res, 400, { error: "invalid_resource", error_description: `AADSTS500011: The resource principal named ${r.unknown} was not found in the tenant.` });
    const id = this.pickIdentity(q);
    if (!id) return send(req, res, 400, { error: "invalid_request", error_description: "Identity not found" });
    const t = this.tokens.accessToken(id, r.key, { acr: "2", mirid: id.resourceId });
    send(req, res, 200, {
      access_token: t.token,
      client_id: id.appId,
      expires_in: String(t.life),
      expires_on: String(t.exp),
      ext_expires_in: String(t.life),
      not_before: String(t.iat),
      resource: r.raw,
      token_type: "Bearer",
    });
  }

  identityEndpoint(req, res, url) {
    const q = url.searchParams;
    const h = req.headers["x-identity-header"];
    if (!h || !timingSafeEq(h, this.secrets.identityHeader))
      return send(req, res, 401, { statusCode: 401, message: "Unauthorized: the X-IDENTITY-HEADER is missing or wrong." });
    if (q.get("api-version") !== "2019-08-01")
      return send(req, res, 400, { statusCode: 400, message: "The api-version must be 2019-08-01." });
    const r = this.miResource(q);
    if (r.missing) return send(req, res, 400, { statusCode: 400, message: "The 'resource' query parameter is missing." });
    if (r.unknown) return send(req, res, 400, { statusCode: 400, message: `AADSTS500011: The resource principal named ${r.unknown} was not found in the tenant.` });
    const id = this.pickIdentity(q);
    if (!id) return send(req, res, 400, { statusCode: 400, message: "Unable to load the managed identity: no identity matches the request." });
    const t = this.tokens.accessToken(id, r.key, { acr: "2", mirid: id.resourceId });
    send(req, res, 200, {
      access_token: t.token,
      expires_on: String(t.exp),
      resource: r.raw,
      token_type: "Bearer",
      client_id: id.appId,
    });
  }
}

/** A thumbprint as a JWT header gives it (base64 or base64url, padded or not) against ours (base64url). */
function sameThumbprint(given, ours) {
  if (typeof given !== "string" || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(given)) return false;
  const a = Buffer.from(given.replace(/=+$/, ""), "base64url");
  const b = Buffer.from(ours, "base64url");
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function timingSafeEq(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
