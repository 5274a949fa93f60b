// The sandbox's own client for Azurite (path-style URLs, Shared Key with the account keys
// made at start): what ARM container calls, the pipeline executor and the metastore use.
import https from "node:https";
import crypto from "node:crypto";

const VERSION = "2021-12-02";

export class Storage {
  constructor({ port, ca, keys }) {
    this.port = port;
    this.ca = ca;
    this.keys = keys; // account -> base64 key
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca });
  }

  // With `onData`, the answer's body goes to it chunk by chunk (a blob of any size) and the
  // promise resolves with an empty body.
  request(account, method, rpath, query = {}, headers = {}, body = null, onData = null) {
    const key = this.keys[account];
    if (!key) return Promise.reject(Object.assign(new Error(`unknown storage account '${account}'`), { status: 404, code: "AccountNotFound" }));
    const qs = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
    const pathEnc = `/${account}${rpath}`;
    const h = { "x-ms-date": new Date().toUTCString(), "x-ms-version": VERSION, ...headers };
    const len = body ? body.length : 0;
    if (body || method === "PUT") h["Content-Length"] = String(len);
    const xms = Object.entries(h).filter(([k]) => k.toLowerCase().startsWith("x-ms-"))
      .map(([k, v]) => [k.toLowerCase(), String(v).trim()]).sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([k, v]) => `${k}:${v}\n`).join("");
    let canonRes = `/${account}${pathEnc}`;
    for (const k of Object.keys(query).map((k) => k.toLowerCase()).sort())
      canonRes += `\n${k}:${query[Object.keys(query).find((x) => x.toLowerCase() === k)]}`;
    const hv = (n) => {
      const e = Object.entries(h).find(([k]) => k.toLowerCase() === n);
      return e ? String(e[1]) : "";
    };
    const sts = [method, hv("content-encoding"), hv("content-language"), len ? String(len) : "", hv("content-md5"),
      hv("content-type"), "", hv("if-modified-since"), hv("if-match"), hv("if-none-match"), hv("if-unmodified-since"),
      hv("range")].join("\n") + "\n" + xms + canonRes;
    const sig = crypto.createHmac("sha256", Buffer.from(key, "base64")).update(sts, "utf8").digest("base64");
    h.Authorization = `SharedKey ${account}:${sig}`;
    return new Promise((resolve, reject) => {
      const req = https.request({
        host: "127.0.0.1", port: this.port, method, path: pathEnc + (qs ? `?${qs}` : ""), headers: h, agent: this.agent,
      }, (res) => {
        const chunks = [];
        res.on("data", (c) => (onData && res.statusCode < 300 ? onData(c) : chunks.push(c)));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.setTimeout(30000, () => req.destroy(new Error("Azurite did not answer in 30 s")));
      if (body) req.end(body);
      else req.end();
    });
  }

  async ok(p, what) {
    const r = await p;
    if (r.status >= 300) {
      const code = r.headers["x-ms-error-code"] || `HTTP${r.status}`;
      throw Object.assign(new Error(`${what}: ${code}`), { status: r.status, code });
    }
    return r;
  }

  async createContainer(account, name) {
    const r = await this.request(account, "PUT", `/${name}`, { restype: "container" });
    if (r.status === 201) return true;
    if (r.status === 409) return false;
    throw Object.assign(new Error(`create container ${account}/${name}: ${r.headers["x-ms-error-code"] || r.status}`), { status: r.status, code: r.headers["x-ms-error-code"] });
  }

  async deleteContainer(account, name) {
    const r = await this.request(account, "DELETE", `/${name}`, { restype: "container" });
    if (r.status === 202 || r.status === 404) return;
    throw Object.assign(new Error(`delete container ${account}/${name}: ${r.headers["x-ms-error-code"] || r.status}`), { status: r.status });
  }

  putBlob(account, container, blob, data, contentType = "application/octet-stream") {
    return this.ok(this.request(account, "PUT", `/${container}/${encodePath(blob)}`, {},
      { "x-ms-blob-type": "BlockBlob", "Content-Type": contentType }, data), `put ${container}/${blob}`);
  }

  async getBlob(account, container, blob) {
    const r = await this.ok(this.request(account, "GET", `/${container}/${encodePath(blob)}`), `get ${container}/${blob}`);
    return r.body;
  }

  /** Stream a blob to `onData`; resolves with false when there is no such blob. */
  async streamBlob(account, container, blob, onData) {
    const r = await this.request(account, "GET", `/${container}/${encodePath(blob)}`, {}, {}, null, onData);
    if (r.status === 404) return false;
    if (r.status >= 300) {
      const code = r.headers["x-ms-error-code"] || `HTTP${r.status}`;
      throw Object.assign(new Error(`get ${container}/${blob}: ${code}`), { status: r.status, code });
    }
    return true;
  }

  async listContainers(account) {
    const r = await this.ok(this.request(account, "GET", "/", { comp: "list" }), `list containers of ${account}`);
    const xml = r.body.toString("utf8");
    return [...xml.matchAll(/<Container>([\s\S]*?)<\/Container>/g)].map((m) => {
      const t = (n) => (new RegExp(`<${n}>([^<]*)</${n}>`).exec(m[1]) || [])[1];
      return {
        name: t("Name"), lastModified: t("Last-Modified"), etag: t("Etag"), leaseStatus: t("LeaseStatus") || "unlocked",
        leaseState: t("LeaseState") || "available", publicAccess: t("PublicAccess") || null,
        hasImmutabilityPolicy: t("HasImmutabilityPolicy") === "true", hasLegalHold: t("HasLegalHold") === "true",
      };
    });
  }

  async listBlobs(account, container, prefix, max = 5000) {
    const r = await this.request(account, "GET", `/${container}`, { restype: "container", comp: "list", prefix, maxresults: String(max) });
    if (r.status === 404) return null;
    if (r.status >= 300) throw Object.assign(new Error(`list ${container}: ${r.headers["x-ms-error-code"]}`), { status: r.status });
    return [...r.body.toString("utf8").matchAll(/<Blob>[\s\S]*?<Name>([^<]*)<\/Name>/g)].map((m) => m[1]);
  }
}

function encodePath(p) {
  return String(p).split("/").map(encodeURIComponent).join("/");
}

/**
 * Parse a storage location the way synwiz passes it: abfss://container@account.dfs.<suffix>/path,
 * https://account.(blob|dfs).<suffix>[:port]/container/path. The dfs host maps to the blob endpoint.
 */
export function parseStorageUrl(u) {
  let m = /^abfss?:\/\/([^@/]+)@([a-z0-9]+)\.(?:dfs|blob)\.[^/]+?(?::\d+)?(?:\/(.*))?$/i.exec(String(u || ""));
  if (m) return { account: m[2].toLowerCase(), container: m[1], path: decodeURIComponent(m[3] || "") };
  m = /^https:\/\/([a-z0-9]+)\.(?:dfs|blob)\.[^/]+?(?::\d+)?\/([^/]+)(?:\/(.*))?$/i.exec(String(u || ""));
  if (m) return { account: m[1].toLowerCase(), container: m[2], path: decodeURIComponent(m[3] || "") };
  return null;
}
