// The sandbox server process (started detached by bin/sandbox.mjs start): one HTTPS server
// on 127.0.0.1:P that routes by Host header to Entra ID, ARM, the Synapse dev endpoints,
// Microsoft Graph and the control endpoint, and seeds Azurite (containers + demo dataset) once it answers.
//   node lib/server.mjs --dir DIR
import fs from "node:fs";
import path from "node:path";
import https from "node:https";
import { State } from "./state.mjs";
import { Tokens } from "./tokens.mjs";
import { Entra } from "./entra.mjs";
import { Authz } from "./authz.mjs";
import { Arm } from "./arm.mjs";
import { Synapse } from "./synapse.mjs";
import { Graph } from "./graph.mjs";
import { Executor } from "./executor.mjs";
import { Storage } from "./storage.mjs";
import { BlobFront } from "./blobfront.mjs";
import { Control, Faults } from "./control.mjs";
import { thumbprints } from "./jwt.mjs";
import { loadDataset } from "./dataset.mjs";
import { HttpError, send, sendError, hostOnly, sleep } from "./util.mjs";

const dir = process.argv[process.argv.indexOf("--dir") + 1];
if (!dir || process.argv.indexOf("--dir") < 0) {
  console.error("usage: server.mjs --dir DIR");
  process.exit(2);
}
const rd = (f) => fs.readFileSync(path.join(dir, f), "utf8");
const t0 = Date.now();
const secrets = JSON.parse(rd("secrets.json"));
const ca = rd("ca.pem");
// `start` spawns this process before the RSA keys exist: wait for them (written atomically).
for (const f of ["signing-key.pem", "synwiz-cert.pem"]) {
  while (!fs.existsSync(path.join(dir, f))) {
    if (Date.now() - t0 > 20000) {
      console.error(`server: ${f} did not appear`);
      process.exit(1);
    }
    await sleep(10);
  }
}
const spCert = rd("synwiz-cert.pem");

const state = new State({ ports: secrets.ports });
const tokens = new Tokens(state, rd("signing-key.pem"));
const entra = new Entra(state, tokens, thumbprints(spCert), {
  clientSecrets: secrets.clientSecrets,
  identityHeader: secrets.identityHeader,
});
const authz = new Authz(state);
// Azurite listens on an internal port; clients reach it through the blob front (below).
const azuritePort = secrets.ports.azuriteInternal || secrets.ports.azurite;
const storage = new Storage({ port: azuritePort, ca, keys: secrets.accountKeys });
const executor = new Executor(state, storage);
const arm = new Arm(state, tokens, authz, storage);
const synapse = new Synapse(state, tokens, authz, executor, storage);
const graph = new Graph(state, tokens);
const faults = new Faults(state);

let ready = false;
let dataset = null;

async function seedStorage() {
  await Promise.all(state.storageAccounts.flatMap((a) => a.containers.map((c) => storage.createContainer(a.name, c))));
  dataset ??= loadDataset(path.join(dir, "data"));
  await Promise.all(Object.entries(dataset).map(([t, csv]) =>
    storage.putBlob("contosolake", "customerinsights", `source/${t}/${t}.csv`, Buffer.from(csv), "text/csv")));
}

// A reset puts storage back in its seeded state too: a container made since (by a test that
// creates one) would otherwise still be listed, and a later "+ Create new container" of the
// same name is rightly refused as existing. Only on reset: a restart keeps what a developer made.
async function resetStorage() {
  await Promise.all(state.storageAccounts.map(async (a) => {
    const seeded = new Set(a.containers);
    const now = await storage.listContainers(a.name);
    await Promise.all(now.filter((c) => !seeded.has(c.name)).map((c) => storage.deleteContainer(a.name, c.name)));
  }));
  await seedStorage();
}

// Every secret, each with what it is (`synwiz sandbox secrets` prints "label: value"; the
// tests' secret checks take the values alone, with --values).
function secretList() {
  const pemLines = (label, pem) =>
    pem.split("\n").filter((l) => l && !l.startsWith("-----")).map((value, i) => ({ label: `${label}, line ${i + 1}`, value }));
  const appName = (appId) => [...state.principals.values()].find((p) => p.appId === appId)?.name || appId;
  return [
    ...Object.entries(secrets.clientSecrets).map(([appId, value]) => ({ label: `client secret of ${appName(appId)} (${appId})`, value })),
    ...Object.entries(secrets.accountKeys).map(([account, value]) => ({ label: `account key of ${account}`, value })),
    { label: "managed identity endpoint header (X-IDENTITY-HEADER)", value: secrets.identityHeader },
    { label: "control token (x-sandbox-control)", value: secrets.controlToken },
    ...pemLines("private key of synwiz-cert", rd("synwiz-cert.pem").split("-----BEGIN PRIVATE KEY-----")[1] || ""),
    ...pemLines("token signing key", rd("signing-key.pem")),
    ...pemLines("CA key", rd("ca-key.pem")),
    ...pemLines("TLS server key", rd("server-key.pem")),
    ...tokens.issued.map((value, i) => ({ label: `token issued #${i + 1}`, value })),
  ];
}

const control = new Control({
  state, tokens, entra, faults, controlToken: secrets.controlToken, reseed: resetStorage, secretList, isReady: () => ready,
});

const log = fs.createWriteStream(path.join(dir, "server.log"), { flags: "a", mode: 0o600 });

const FAULT_CODES = {
  400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 408: "RequestTimeout", 409: "Conflict",
  429: "TooManyRequests", 500: "InternalServerError", 502: "BadGateway", 503: "ServiceUnavailable", 504: "GatewayTimeout",
};

async function handle(req, res) {
  const t0 = Date.now();
  const host = hostOnly(req);
  let url;
  try {
    // "//subscriptions/..." (an SDK joining "/" + "/scope") is a path, not a host: collapse slashes.
    url = new URL(`https://${host || "localhost"}${req.url.replace(/^[^?]*/, (p) => p.replace(/\/{2,}/g, "/"))}`);
  } catch {
    res.statusCode = 400;
    return res.end();
  }
  if (url.pathname !== "/_sandbox/ready") res.on("finish", () => log.write(`${new Date().toISOString()} ${req.method} ${host}${url.pathname}${url.search} ${res.statusCode} ${Date.now() - t0}ms\n`));
  try {
    if (url.pathname.startsWith("/_sandbox/") || url.pathname === "/_sandbox") return await control.handle(req, res, url);
    const fault = faults.match(req.method, host, url);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.reset) {
        log.write(`${new Date().toISOString()} ${req.method} ${host}${url.pathname}${url.search} RESET (fault)\n`);
        req.socket.destroy();
        return;
      }
      if (fault.status) {
        const h = fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {};
        const code = FAULT_CODES[fault.status] || `Http${fault.status}`;
        const msg = fault.status === 429
          ? "The request is being throttled as the limit has been reached for this operation type. Retry after the time given in the Retry-After header."
          : `The service answered ${fault.status} (a fault set on the sandbox's control endpoint).`;
        if (host.startsWith("login."))
          return send(req, res, fault.status, { error: code.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase(), error_description: msg, error_codes: [] }, h);
        return sendError(req, res, fault.status, code, msg, h);
      }
    }
    let m;
    if (host === "login.sandbox.localhost") return await entra.handle(req, res, url);
    if (host === "management.sandbox.localhost") return await arm.handle(req, res, url);
    if (host === "graph.sandbox.localhost") return await graph.handle(req, res, url);
    if ((m = /^([a-z0-9-]+)\.dev\.sandbox\.localhost$/.exec(host))) return await synapse.handle(req, res, url, m[1], fault);
    return sendError(req, res, 404, "UnknownHost", `The sandbox serves no host '${host}'.`);
  } catch (e) {
    if (e instanceof HttpError) return sendError(req, res, e.status, e.code, e.message, e.extra?.headers || {});
    log.write(`${new Date().toISOString()} ERROR ${req.method} ${host}${url.pathname}: ${e.stack}\n`);
    return sendError(req, res, 500, "InternalServerError", `The sandbox failed on this request: ${e.message}`);
  }
}

const server = https.createServer({ key: rd("server-key.pem"), cert: rd("server.pem"), keepAliveTimeout: 30000 }, (req, res) => {
  handle(req, res).catch((e) => {
    try {
      sendError(req, res, 500, "InternalServerError", e.message);
    } catch {
      /* the socket is gone */
    }
  });
});
server.on("clientError", (err, socket) => socket.destroy());
server.listen(secrets.ports.sandbox, "127.0.0.1", () => {
  log.write(`${new Date().toISOString()} sandbox listening on 127.0.0.1:${secrets.ports.sandbox}, pid ${process.pid}\n`);
});
server.on("error", (e) => {
  log.write(`${new Date().toISOString()} server error: ${e.message}\n`);
  process.exit(1);
});

// Generate the dataset while Azurite starts, write it to <dir>/data/, then seed storage.
(async () => {
  dataset = loadDataset(path.join(dir, "data"));
  log.write(`${new Date().toISOString()} dataset ready (${Date.now() - t0} ms after start)\n`);
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      await storage.listContainers("contosolake");
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        log.write(`${new Date().toISOString()} Azurite did not answer: ${e.message}\n`);
        process.exit(1);
      }
      await sleep(50);
    }
  }
  log.write(`${new Date().toISOString()} Azurite answers (${Date.now() - t0} ms after start)\n`);
  await seedStorage();
  ready = true;
  log.write(`${new Date().toISOString()} storage seeded; ready (${Date.now() - t0} ms after start)\n`);
})().catch((e) => {
  log.write(`${new Date().toISOString()} seeding failed: ${e.stack}\n`);
  process.exit(1);
});

// The blob front on the port clients use for storage (runtime.json ports.azurite).
const blobFront = new BlobFront({ state, tokens, authz, faults, port: azuritePort, ca, log });
const blobServer = secrets.ports.azuriteInternal
  ? https.createServer({ key: rd("server-key.pem"), cert: rd("server.pem"), keepAliveTimeout: 30000 }, (req, res) => {
    blobFront.handle(req, res).catch((e) => {
      log.write(`${new Date().toISOString()} ERROR blob front ${req.method} ${req.url}: ${e.stack}\n`);
      res.destroy();
    });
  })
  : null;
if (blobServer) {
  blobServer.on("clientError", (err, socket) => socket.destroy());
  blobServer.listen(secrets.ports.azurite, "127.0.0.1");
  blobServer.on("error", (e) => {
    log.write(`${new Date().toISOString()} blob front error: ${e.message}\n`);
    process.exit(1);
  });
}

const stop = () => {
  server.close();
  blobServer?.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
