// Access tokens: JWTs shaped like Entra ID's v1 tokens (iss https://sts.windows.net/{tid}/),
// RS256-signed by the key made at start. Also validates the bearer tokens ARM and Synapse
// receive, answering in ARM's 401 shapes. Every token issued is remembered so that
// `synwiz sandbox secrets` can list it and `expire-tokens` can expire it.
import crypto from "node:crypto";
import { signJwt, decodeJwt, verifySignature } from "./jwt.mjs";
import { guid, nowSec, randomSecret, HttpError, lc } from "./util.mjs";

/** Resources (audiences) the sandbox issues tokens for, keyed by the identifier a scope names. */
export const RESOURCES = {
  "https://management.azure.com": { aud: "https://management.azure.com", name: "ARM" },
  "https://management.core.windows.net": { aud: "https://management.core.windows.net", name: "ARM" },
  "https://dev.azuresynapse.net": { aud: "https://dev.azuresynapse.net", name: "Synapse" },
  "https://storage.azure.com": { aud: "https://storage.azure.com", name: "Storage" },
  "https://graph.microsoft.com": { aud: "00000003-0000-0000-c000-000000000000", name: "Graph" },
  "https://ml.azure.com": { aud: "https://ml.azure.com", name: "AzureML" },
};
export const ARM_AUDIENCES = ["https://management.azure.com", "https://management.core.windows.net"];
export const SYNAPSE_AUDIENCES = ["https://dev.azuresynapse.net"];
export const GRAPH_AUDIENCES = ["00000003-0000-0000-c000-000000000000", "https://graph.microsoft.com"];

/** Other identifiers of a resource (other URLs naming it) -> its key in RESOURCES. */
const ALIASES = new Map();
/** The sandbox's own Graph URL names Graph: the cloud metadata gives it as microsoftGraphResourceId,
 *  and clients such as the Azure CLI ask for "{microsoftGraphResourceId}/.default". */
export function addResourceAlias(id, key) {
  ALIASES.set(lc(String(id).replace(/\/+$/, "")), key);
}

/** "https://management.azure.com/.default" -> "https://management.azure.com"; null when unknown. */
export function resourceOfScope(scope) {
  let s = String(scope).trim();
  if (s.endsWith("/.default")) s = s.slice(0, -9);
  else if (s.endsWith("/user_impersonation")) s = s.slice(0, -19);
  s = lc(s.replace(/\/+$/, ""));
  if (RESOURCES[s]) return s;
  return ALIASES.get(s) || null;
}

export class Tokens {
  constructor(state, signingKeyPem) {
    this.state = state;
    addResourceAlias(state.graphBase, "https://graph.microsoft.com");
    this.key = crypto.createPrivateKey(signingKeyPem);
    this.pub = crypto.createPublicKey(this.key);
    const jwk = this.pub.export({ format: "jwk" });
    this.kid = crypto.createHash("sha256").update(jwk.n).digest("base64url").slice(0, 27);
    this.jwk = { kty: "RSA", use: "sig", kid: this.kid, x5t: this.kid, n: jwk.n, e: jwk.e };
    this.issued = []; // every access/id token string, and refresh tokens
    this.refreshTokens = new Map(); // rt -> {oid, clientId}
    this.revoked = new Set(); // uti of every token expired by expire-tokens
    this.utis = []; // uti of every access token issued
  }

  get issuer() {
    return `https://sts.windows.net/${this.state.tenantId}/`;
  }

  /** Issue an access token for `principal` (from state.principals) and a resource key of RESOURCES. */
  accessToken(principal, resource, { clientAppId, acr = "1", mirid } = {}) {
    const now = nowSec();
    const life = this.state.config.tokenLifetimeSeconds;
    const isUser = principal.kind === "User";
    const p = {
      aud: RESOURCES[resource].aud,
      iss: this.issuer,
      iat: now,
      nbf: now,
      exp: now + life,
      aio: randomSecret(24),
      appid: isUser ? clientAppId : principal.appId,
      appidacr: isUser ? "0" : acr,
      idp: this.issuer,
      idtyp: isUser ? "user" : "app",
      oid: principal.objectId,
      rh: "0.AAAA" + randomSecret(12) + ".",
      sub: isUser ? crypto.createHash("sha256").update(principal.objectId + clientAppId).digest("base64url").slice(0, 43) : principal.objectId,
      tid: this.state.tenantId,
      uti: randomSecret(16),
      ver: "1.0",
    };
    if (isUser) {
      Object.assign(p, {
        acr: "1", amr: ["pwd", "mfa"], family_name: principal.surname, given_name: principal.givenName,
        name: principal.name, scp: "user_impersonation", unique_name: principal.upn, upn: principal.upn,
      });
    }
    if (mirid) p.xms_mirid = mirid;
    const token = signJwt(p, this.key, this.kid);
    this.issued.push(token);
    this.utis.push(p.uti);
    return { token, exp: p.exp, iat: now, life };
  }

  idToken(principal, clientId) {
    const now = nowSec();
    const p = {
      aud: clientId,
      iss: `${this.state.authority}/${this.state.tenantId}/v2.0`,
      iat: now, nbf: now, exp: now + 3600,
      name: principal.name, oid: principal.objectId, preferred_username: principal.upn,
      sub: crypto.createHash("sha256").update(principal.objectId + clientId).digest("base64url").slice(0, 43),
      tid: this.state.tenantId, ver: "2.0", uti: randomSecret(16),
    };
    const token = signJwt(p, this.key, this.kid);
    this.issued.push(token);
    return token;
  }

  refreshToken(principal, clientId) {
    const rt = "1.AQ" + randomSecret(96);
    this.refreshTokens.set(rt, { oid: principal.objectId, clientId });
    this.issued.push(rt);
    return rt;
  }

  /** Expire every access token issued so far (refresh tokens keep working). */
  expireAll() {
    for (const u of this.utis) this.revoked.add(u);
    return this.utis.length;
  }

  /**
   * Validate `Authorization: Bearer ...` for a service whose audiences are `audiences`.
   * Returns {principal, claims}; throws HttpError(401) in ARM's shapes otherwise.
   */
  authenticate(req, audiences) {
    const h = req.headers.authorization;
    const wa = (desc) =>
      `Bearer authorization_uri="${this.state.authority}/${this.state.tenantId}", error="invalid_token", error_description="${desc}"`;
    if (!h) {
      throw new HttpError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.",
        { headers: { "WWW-Authenticate": wa("The authentication failed because of missing 'Authorization' header.") } });
    }
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    if (!m) {
      throw new HttpError(401, "InvalidAuthenticationToken", "The access token is invalid.",
        { headers: { "WWW-Authenticate": wa("The authentication scheme of Bearer is required.") } });
    }
    const d = decodeJwt(m[1]);
    if (!d || d.header.kid !== this.kid || !verifySignature(d, this.pub) || d.payload.iss !== this.issuer) {
      throw new HttpError(401, "InvalidAuthenticationToken", "The access token is invalid.",
        { headers: { "WWW-Authenticate": wa("The access token is invalid.") } });
    }
    const c = d.payload;
    const now = nowSec();
    if (c.exp <= now || this.revoked.has(c.uti)) {
      const exp = new Date(Math.min(c.exp * 1000, this.revoked.has(c.uti) ? Date.now() - 1000 : Infinity));
      throw new HttpError(401, "ExpiredAuthenticationToken",
        `The access token expiry UTC time '${fmt(exp)}' is earlier than current UTC time '${fmt(new Date())}'.`,
        { headers: { "WWW-Authenticate": wa("The access token has expired.") } });
    }
    if (c.nbf > now + 300) {
      throw new HttpError(401, "InvalidAuthenticationToken", "The access token is not yet valid.",
        { headers: { "WWW-Authenticate": wa("The access token is not yet valid.") } });
    }
    const aud = String(c.aud).replace(/\/+$/, "");
    if (!audiences.some((a) => lc(a) === lc(aud))) {
      const allowed = audiences.flatMap((a) => [`${a}/`, a]).map((a) => `'${a}'`).join(",");
      throw new HttpError(401, "InvalidAuthenticationTokenAudience",
        `The access token has been obtained for wrong audience or resource '${c.aud}'. It should exactly match with one of the allowed audiences ${allowed}.`,
        { headers: { "WWW-Authenticate": wa("The access token has been obtained for wrong audience or resource.") } });
    }
    if (c.tid !== this.state.tenantId) {
      throw new HttpError(401, "InvalidAuthenticationTokenTenant",
        `The access token is from the wrong issuer '${c.iss}'.`,
        { headers: { "WWW-Authenticate": wa("The access token is from the wrong issuer.") } });
    }
    const principal = this.state.principal(c.oid);
    if (!principal) {
      throw new HttpError(401, "InvalidAuthenticationToken", "The access token is invalid.",
        { headers: { "WWW-Authenticate": wa("The principal of the access token does not exist.") } });
    }
    return { principal, claims: c };
  }
}

function fmt(d) {
  // ARM prints times like '11/22/2026 10:04:05 AM'
  const h = d.getUTCHours();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`;
}

export { guid };
