// Small helpers shared by the sandbox server modules: HTTP answers in Azure's shapes,
// body reading, GUIDs, wildcard matching, and paging.
import crypto from "node:crypto";

export const guid = () => crypto.randomUUID();
export const nowSec = () => Math.floor(Date.now() / 1000);
export const iso = (ms = Date.now()) => new Date(ms).toISOString();
export const isGuid = (s) =>
  typeof s === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
export const b64url = (buf) => Buffer.from(buf).toString("base64url");
export const randomSecret = (bytes = 30) => crypto.randomBytes(bytes).toString("base64url");
export const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
export const lc = (s) => String(s ?? "").toLowerCase();
export const eqi = (a, b) => lc(a) === lc(b);

/** Azure RBAC wildcard match: '*' matches any run of characters, case-insensitive. */
export function wildcardMatch(pattern, action) {
  const re = new RegExp(
    "^" + pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*") + "$",
    "i",
  );
  return re.test(action);
}

export class HttpError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

export function readBody(req, limit = 20 * 1024 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, "RequestEntityTooLarge", "The request body is too large."));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Parse a JSON request body; an empty body gives `dflt`. Malformed JSON -> 400 in Azure's shape. */
export function parseJson(buf, dflt = undefined) {
  const text = buf.toString("utf8");
  if (!text.trim()) return dflt;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, "InvalidRequestContent",
      `The request content was invalid and could not be deserialized: '${e.message}'.`);
  }
}

export function commonHeaders(req) {
  const rid = guid();
  return {
    "x-ms-request-id": rid,
    "x-ms-correlation-request-id": req.headers["x-ms-correlation-request-id"] || rid,
    "x-ms-routing-request-id": `WESTEUROPE:${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}Z:${rid}`,
    ...(req.headers["x-ms-client-request-id"]
      ? { "x-ms-client-request-id": req.headers["x-ms-client-request-id"] }
      : {}),
  };
}

export function send(req, res, status, body, headers = {}) {
  if (res.headersSent || res.destroyed) return;
  const h = { ...commonHeaders(req), ...headers };
  res.statusCode = status;
  for (const [k, v] of Object.entries(h)) if (v !== undefined) res.setHeader(k, v);
  if (body === undefined || body === null || status === 204 || status === 304) {
    res.setHeader("Content-Length", "0");
    res.end();
    return;
  }
  const text = typeof body === "string" ? body : JSON.stringify(body);
  if (!res.hasHeader("Content-Type")) res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

/** ARM / Synapse error body: {"error":{"code","message",...}}. */
export function sendError(req, res, status, code, message, headers = {}, extra = {}) {
  send(req, res, status, { error: { code, message, ...extra } }, headers);
}

/** Page an array: returns {items, next} where next is the skip token for the next page or null. */
export function page(items, skip, size) {
  const start = Math.max(0, skip | 0);
  const slice = items.slice(start, start + size);
  return { items: slice, next: start + size < items.length ? start + size : null };
}

/** The URL of the next page: the request URL with $skiptoken replaced. */
export function nextLinkFor(req, skip, url) {
  const u = new URL(url.pathname + url.search, `https://${req.headers.host}`);
  u.searchParams.set("$skiptoken", String(skip));
  return u.toString();
}

export function hostOnly(req) {
  return lc(String(req.headers.host || "").replace(/:\d+$/, ""));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
