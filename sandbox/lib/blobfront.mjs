// The blob front: what clients reach at https://{account}.blob.sandbox.localhost:Q. Azurite
// checks a bearer token's issuer, audience and lifetime but no role, so this front does what
// Azure's data plane does first: a valid bearer token needs a role granting the request's
// data action (Storage Blob Data Reader/Contributor/Owner) or, for container operations, its
// action, at the container, the account or above, else 403 AuthorizationPermissionMismatch.
// Shared Key requests (the account key grants everything) and tokens the sandbox did not
// issue or that expired go on to Azurite unchanged, which answers them as before. Faults set
// on the control endpoint apply here too (a 503 on one Put Block). Bodies are streamed both
// ways: a blob of any size passes in bounded memory.
import https from "node:https";
import crypto from "node:crypto";
import { hostOnly, sleep } from "./util.mjs";

const BLOBS = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
const CONTAINERS = "Microsoft.Storage/storageAccounts/blobServices/containers";
const STORAGE_AUDIENCES = ["https://storage.azure.com"];
const DENIED = "This request is not authorized to perform this operation using this permission.";

/**
 * The account, container and what a request needs: { account, container, action, data }
 * (`data`: a data action, as Storage Blob Data roles grant them).
 */
export function blobRequirement(method, host, url) {
  const segs = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  let account = host.split(".")[0];
  if (host === "127.0.0.1" || host === "localhost") account = segs.shift() || "";
  const q = url.searchParams;
  const restype = q.get("restype");
  const comp = q.get("comp");
  const M = method.toUpperCase();
  const read = M === "GET" || M === "HEAD";
  if (restype === "service" && comp === "userdelegationkey")
    return { account, container: null, action: "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action", data: false };
  if (!segs.length) return { account, container: null, action: `${CONTAINERS}/read`, data: false };
  const container = segs[0];
  if (segs.length === 1 && restype === "container") {
    if (comp === "list") return { account, container, action: `${BLOBS}/read`, data: true };
    if (read) return { account, container, action: `${CONTAINERS}/read`, data: false };
    return { account, container, action: `${CONTAINERS}/${M === "DELETE" ? "delete" : "write"}`, data: false };
  }
  if (read) return { account, container, action: `${BLOBS}/read`, data: true };
  if (M === "DELETE") return { account, container, action: `${BLOBS}/delete`, data: true };
  return { account, container, action: `${BLOBS}/write`, data: true };
}

function xmlError(req, res, status, code, message, headers = {}) {
  const body = `\ufeff<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${crypto.randomUUID()}\nTime:${new Date().toISOString()}</Message></Error>`;
  res.writeHead(status, message.split("\n")[0], {
    "Content-Type": "application/xml", "x-ms-error-code": code, "x-ms-version": "2021-12-02", ...headers,
    ...(req.method === "HEAD" ? {} : { "Content-Length": Buffer.byteLength(body) }),
  });
  // A refused upload's body is not read: drain it so the client sees the answer.
  req.resume();
  res.end(req.method === "HEAD" ? undefined : body);
}

export class BlobFront {
  constructor({ state, tokens, authz, faults, port, ca, log }) {
    this.state = state;
    this.tokens = tokens;
    this.authz = authz;
    this.faults = faults;
    this.port = port; // Azurite's
    this.log = log;
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca });
  }

  /** null when the request may go on, else why not: { status, code, message }. */
  authorize(req, host, url) {
    const h = req.headers.authorization || "";
    if (!/^Bearer\s/i.test(h)) return null; // Shared Key, SAS or anonymous: Azurite decides
    let who;
    try {
      who = this.tokens.authenticate(req, STORAGE_AUDIENCES);
    } catch {
      return null; // not ours to judge: Azurite answers an invalid or expired token as before
    }
    const need = blobRequirement(req.method, host, url);
    const sa = this.state.storageAccount(need.account);
    if (!sa) return null; // Azurite knows no such account either
    const scope = need.container ? `${sa.id}/blobServices/default/containers/${need.container}` : sa.id;
    if (this.authz.allowed(who.principal.objectId, scope, need.action, need.data)) return null;
    return { status: 403, code: "AuthorizationPermissionMismatch", message: DENIED };
  }

  async handle(req, res) {
    const t0 = Date.now();
    const host = hostOnly(req);
    let url;
    try {
      url = new URL(`https://${host || "localhost"}${req.url}`);
    } catch {
      res.statusCode = 400;
      return res.end();
    }
    res.on("finish", () => this.log.write(`${new Date().toISOString()} ${req.method} ${host}${url.pathname}${url.search} ${res.statusCode} ${Date.now() - t0}ms\n`));
    const fault = this.faults.match(req.method, host, url);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.reset) {
        req.socket.destroy();
        return;
      }
      if (fault.status) {
        const h = fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {};
        const code = fault.status === 503 ? "ServerBusy" : fault.status === 500 ? "InternalError" : `Http${fault.status}`;
        return xmlError(req, res, fault.status, code, `The service answered ${fault.status} (a fault set on the sandbox's control endpoint).`, h);
      }
    }
    const denied = this.authorize(req, host, url);
    if (denied) return xmlError(req, res, denied.status, denied.code, denied.message);
    const up = https.request({
      host: "127.0.0.1", port: this.port, method: req.method, path: req.url, headers: req.headers, agent: this.agent,
    }, (ur) => {
      res.writeHead(ur.statusCode, ur.statusMessage, ur.rawHeaders);
      ur.pipe(res);
    });
    up.on("error", (e) => {
      if (!res.headersSent) xmlError(req, res, 502, "BadGateway", `Azurite did not answer: ${e.message}`);
      else res.destroy();
    });
    req.pipe(up);
  }
}

