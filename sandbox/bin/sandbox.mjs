#!/usr/bin/env node
// synwiz sandbox: the command line of the local stand-in for Azure (docs/ARCHITECTURE.md 7).
//   start [--dir D] [--ports auto|P[,Q]] [--foreground]   stop   status   reset   env   state
//   secrets   approve CODE   decline CODE
//   fault --route REGEX (--status CODE [--retry-after S] | --reset | --delay-ms N | --fail-operation) [--count N]
//   fault --clear
// Every command takes --dir DIR (default $SYNWIZ_SANDBOX_DIR, else $XDG_STATE_HOME/synwiz/sandbox).
import fs from "node:fs";
import path from "node:path";
import net from "node:net";
import https from "node:https";
import crypto from "node:crypto";
import { spawn, execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { promisify } from "node:util";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..");
const execFileP = promisify(execFile);
const SEED = JSON.parse(fs.readFileSync(path.join(root, "seed", "tenant.json"), "utf8"));

const USAGE = `usage: synwiz sandbox COMMAND [--dir DIR]
  start [--ports auto|P[,Q]] [--foreground]  start the sandbox (idempotent), ready in < 3 s
  stop                                       stop it and remove runtime.json
  status                                     exit 0 when it runs, 1 otherwise
  reset                                      restore the seeded state
  env                                        print export NAME='value' lines
  state                                      dump the state (secrets masked)
  secrets [--values]                         every secret the sandbox knows or issued, one per
                                             line, labelled (--values: the values alone)
  approve CODE | decline CODE                decide a pending device code
  fault --route REGEX (--status CODE [--retry-after S] | --reset | --delay-ms N | --fail-operation) [--count N]
  fault --clear
A fault's route is a regular expression on "METHOD host/path?query" (host without port).`;

class UsageError extends Error {}

function parseArgs(argv) {
  const cmd = argv[0];
  const o = { _: [] };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--dir") o.dir = val();
    else if (a === "--ports") o.ports = val();
    else if (a === "--foreground") o.foreground = true;
    else if (a === "--no-login") o.noLogin = true; // the C side signs the demo user in unless told not to
    else if (a === "--route") o.route = val();
    else if (a === "--status") o.status = val();
    else if (a === "--retry-after") o.retryAfter = val();
    else if (a === "--reset") o.reset = true;
    else if (a === "--delay-ms") o.delayMs = val();
    else if (a === "--fail-operation") o.failOperation = true;
    else if (a === "--count") o.count = val();
    else if (a === "--clear") o.clear = true;
    else if (a === "--values") o.values = true;
    else if (a === "-h" || a === "--help") o.help = true;
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else o._.push(a);
  }
  return { cmd, o };
}

function sandboxDir(o) {
  if (o.dir) return path.resolve(o.dir);
  if (process.env.SYNWIZ_SANDBOX_DIR) return path.resolve(process.env.SYNWIZ_SANDBOX_DIR);
  const state = process.env.XDG_STATE_HOME || path.join(process.env.HOME || "/tmp", ".local", "state");
  return path.join(state, "synwiz", "sandbox");
}

const rt = (dir) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, "runtime.json"), "utf8"));
  } catch {
    return null;
  }
};

/** Write a 0600 file atomically (the server may be waiting for it to appear). */
function writeSecret(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

function alive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const st = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    if (/\) Z /.test(st)) return false; // a zombie is gone
  } catch {
    /* no /proc: trust kill(0) */
  }
  return true;
}

/** Is `pid` one of ours (a node process running the sandbox server or Azurite)? Guards against reused pids. */
function ours(pid) {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return /server\.mjs|azurite/.test(cmd);
  } catch {
    return alive(pid);
  }
}

/** HTTPS request to the sandbox server's control endpoint. */
function control(r, method, p, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const req = https.request({
      host: "127.0.0.1", port: r.ports.sandbox, method, path: `/_sandbox/${p}`, servername: "login.sandbox.localhost",
      ca: fs.readFileSync(r.ca), timeout: 5000,
      headers: {
        Host: `login.sandbox.localhost:${r.ports.sandbox}`, "x-sandbox-control": r.control_token,
        ...(data ? { "Content-Type": "application/json", "Content-Length": data.length } : {}),
      },
    }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode, json, text });
      });
    });
    req.on("timeout", () => req.destroy(new Error("the sandbox did not answer in 5 s")));
    req.on("error", reject);
    req.end(data || undefined);
  });
}

async function answers(r) {
  try {
    const res = await control(r, "GET", "ready");
    return res.status === 200;
  } catch {
    return false;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

// `azurite` is the blob port clients use: the sandbox's blob front, which authorizes bearer
// tokens by role and passes requests on to Azurite, listening on `azuriteInternal` (always
// a free port: nobody but the sandbox talks to it).
async function pickPorts(spec) {
  const internal = async (...taken) => {
    let p;
    do p = await freePort(); while (taken.includes(p));
    return p;
  };
  if (!spec || spec === "default") return { sandbox: 44300, azurite: 44310, azuriteInternal: await internal(44300, 44310) };
  if (spec === "auto") {
    const a = await freePort();
    let b;
    do b = await freePort(); while (b === a);
    return { sandbox: a, azurite: b, azuriteInternal: await internal(a, b) };
  }
  const m = /^(\d+)(?:,(\d+))?$/.exec(spec);
  if (!m) throw new UsageError(`--ports takes auto or P[,Q], not '${spec}'`);
  const p = parseInt(m[1], 10);
  const q = m[2] ? parseInt(m[2], 10) : p + 10;
  if (p < 1 || p > 65535 || q < 1 || q > 65535 || p === q) throw new UsageError(`bad ports '${spec}'`);
  return { sandbox: p, azurite: q, azuriteInternal: await internal(p, q) };
}

async function openssl(args, cwd) {
  await execFileP("openssl", args, { cwd });
}

/** Make the CA, the server certificate, the certificate SP's key pair, the token-signing key and every secret. */
async function generate(dir, ports) {
  const SAN = "subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:*.sandbox.localhost,DNS:*.dev.sandbox.localhost,DNS:*.blob.sandbox.localhost,DNS:*.dfs.sandbox.localhost";
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  {
    const tls = (async () => {
      await openssl(["req", "-x509", ...ec, "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "365", "-subj", "/CN=synwiz sandbox CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], dir);
      await openssl(["req", "-x509", ...ec, "-keyout", "server-key.pem", "-out", "server.pem", "-days", "365", "-subj", "/CN=sandbox.localhost",
        "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-addext", SAN, "-addext", "basicConstraints=critical,CA:FALSE",
        "-addext", "keyUsage=critical,digitalSignature", "-addext", "extendedKeyUsage=serverAuth"], dir);
    })();
    const sp = (async () => {
      await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "synwiz-cert.key.tmp", "-out", "synwiz-cert.crt.tmp",
        "-days", "365", "-subj", "/CN=synwiz-cert"], dir);
      const pem = fs.readFileSync(path.join(dir, "synwiz-cert.crt.tmp"), "utf8") + fs.readFileSync(path.join(dir, "synwiz-cert.key.tmp"), "utf8");
      writeSecret(path.join(dir, "synwiz-cert.pem"), pem);
      fs.rmSync(path.join(dir, "synwiz-cert.crt.tmp"));
      fs.rmSync(path.join(dir, "synwiz-cert.key.tmp"));
    })();
    const signing = new Promise((resolve, reject) =>
      crypto.generateKeyPair("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } },
        (err, _pub, priv) => (err ? reject(err) : resolve(writeSecret(path.join(dir, "signing-key.pem"), priv)))));
    const rnd = (n = 30) => crypto.randomBytes(n).toString("base64url");
    const clientSecrets = {};
    for (const a of SEED.applications) if (a.credential === "secret") clientSecrets[a.appId] = `${rnd(3)}~${rnd(27)}`;
    const accountKeys = {};
    for (const s of SEED.subscriptions) for (const rg of s.resourceGroups) for (const sa of rg.storageAccounts) accountKeys[sa.name] = crypto.randomBytes(64).toString("base64");
    const secrets = { ports, clientSecrets, accountKeys, identityHeader: rnd(24), controlToken: rnd(24) };
    writeSecret(path.join(dir, "secrets.json"), JSON.stringify(secrets, null, 2));
    return { secrets, tls, rest: Promise.all([sp, signing]) };
  }
}

function azuriteMain() {
  const req = createRequire(import.meta.url);
  return path.join(path.dirname(req.resolve("azurite/package.json")), "dist", "src", "blob", "main.js");
}

function runtimeJson(dir, ports, secrets, pids) {
  const A = `https://login.sandbox.localhost:${ports.sandbox}`;
  const ca = path.join(dir, "ca.pem");
  const cli = SEED.applications.find((a) => a.name === "synwiz-cli");
  return {
    pid: pids.server, azurite_pid: pids.azurite, ports, tenant: SEED.tenant.id, ca, control_token: secrets.controlToken,
    profile: {
      name: "sandbox", authority: A, resource_manager: `https://management.sandbox.localhost:${ports.sandbox}`,
      arm_scope: "https://management.azure.com/.default", synapse_dev_suffix: "dev.sandbox.localhost",
      synapse_scope: "https://dev.azuresynapse.net/.default", storage_suffix: "sandbox.localhost",
      storage_scope: "https://storage.azure.com/.default", imds_endpoint: `${A}/metadata/identity/oauth2/token`,
      ca_bundle: ca, public_client_id: cli.appId,
      microsoft_graph: `https://graph.sandbox.localhost:${ports.sandbox}`, graph_scope: "https://graph.microsoft.com/.default",
    },
  };
}

function tail(file, n = 15) {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-n).join("\n");
  } catch {
    return "(no log)";
  }
}

async function killPid(pid) {
  if (!alive(pid) || !ours(pid)) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const until = Date.now() + 5000;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  if (alive(pid)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}

async function startOnce(dir, ports, foreground) {
  const t0 = Date.now();
  const timing = process.env.SYNWIZ_SANDBOX_TIMING ? (what) => console.error(`  ${Date.now() - t0} ms: ${what}`) : () => {};
  for (const f of ["signing-key.pem", "synwiz-cert.pem"]) fs.rmSync(path.join(dir, f), { force: true });
  const g = await generate(dir, ports);
  await g.tls;
  timing("CA and server certificate made");
  const detached = !foreground;
  const stdio = (name) => {
    if (foreground) return ["ignore", "inherit", "inherit"];
    const fd = fs.openSync(path.join(dir, name), "a", 0o600);
    return ["ignore", fd, fd];
  };
  const env = { ...process.env };
  env.AZURITE_ACCOUNTS = Object.entries(g.secrets.accountKeys).map(([a, k]) => `${a}:${k}`).join(";");
  fs.mkdirSync(path.join(dir, "azurite"), { recursive: true, mode: 0o700 });
  const az = spawn(process.execPath, [azuriteMain(), "--blobHost", "127.0.0.1", "--blobPort", String(ports.azuriteInternal),
    "--location", path.join(dir, "azurite"), "--cert", path.join(dir, "server.pem"), "--key", path.join(dir, "server-key.pem"),
    "--oauth", "basic", "--loose", "--skipApiVersionCheck", "--disableTelemetry", "--silent"],
  { detached, stdio: stdio("azurite.log"), env, cwd: dir });
  timing("Azurite spawned");
  // The server starts at once: it loads its modules and the dataset while the RSA keys are
  // still being made, and waits for signing-key.pem and synwiz-cert.pem to appear.
  const senv = { ...process.env };
  delete senv.AZURITE_ACCOUNTS;
  const srv = spawn(process.execPath, [path.join(root, "lib", "server.mjs"), "--dir", dir],
    { detached, stdio: stdio("server.out"), env: senv, cwd: dir });
  timing("server spawned");
  if (detached) {
    az.unref();
    srv.unref();
  }
  await g.rest;
  timing("RSA keys made");
  const r = runtimeJson(dir, ports, g.secrets, { server: srv.pid, azurite: az.pid });
  writeSecret(path.join(dir, "runtime.json"), JSON.stringify(r, null, 2) + "\n");
  const until = Date.now() + 15000;
  while (Date.now() < until) {
    if (await answers(r)) {
      timing("ready");
      return { r, ms: Date.now() - t0, az, srv };
    }
    if (!alive(srv.pid) || !alive(az.pid)) break;
    await new Promise((res) => setTimeout(res, 30));
  }
  await killPid(srv.pid);
  await killPid(az.pid);
  fs.rmSync(path.join(dir, "runtime.json"), { force: true });
  const why = `server log:\n${tail(path.join(dir, "server.log"))}\n${tail(path.join(dir, "server.out"))}\nazurite log:\n${tail(path.join(dir, "azurite.log"))}`;
  const e = new Error(`the sandbox did not become ready\n${why}`);
  e.addrInUse = /EADDRINUSE|address already in use/i.test(why);
  throw e;
}

async function cmdStart(dir, o) {
  process.umask(0o077); // every file the sandbox and Azurite write is private (keys, logs, data)
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const cur = rt(dir);
  if (cur && alive(cur.pid) && (await answers(cur))) {
    console.log(`sandbox already running in ${dir} (https://login.sandbox.localhost:${cur.ports.sandbox}, Azurite on ${cur.ports.azurite})`);
    return 0;
  }
  if (cur) {
    // A stale runtime (crashed or half-started): clean up what is left of it.
    await killPid(cur.pid);
    await killPid(cur.azurite_pid);
    fs.rmSync(path.join(dir, "runtime.json"), { force: true });
  }
  let last;
  for (let attempt = 0; attempt < (o.ports === "auto" ? 3 : 1); attempt++) {
    const ports = await pickPorts(o.ports);
    if (o.ports !== "auto") {
      for (const p of [ports.sandbox, ports.azurite])
        if (!(await portFree(p))) {
          console.error(`synwiz sandbox: port ${p} is in use (another sandbox? try --ports auto)`);
          return 1;
        }
    }
    try {
      const { r, ms, az, srv } = await startOnce(dir, ports, o.foreground);
      console.log(`sandbox ready in ${(ms / 1000).toFixed(2)} s: ${r.profile.authority} (ARM ${r.profile.resource_manager}, Azurite https://*.blob.sandbox.localhost:${ports.azurite}), dir ${dir}`);
      if (o.foreground) {
        const stop = async () => {
          await killPid(srv.pid);
          await killPid(az.pid);
          fs.rmSync(path.join(dir, "runtime.json"), { force: true });
          process.exit(0);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
        srv.on("exit", stop);
        az.on("exit", stop);
        await new Promise(() => {});
      }
      return 0;
    } catch (e) {
      last = e;
      if (!e.addrInUse) break;
    }
  }
  console.error(`synwiz sandbox: ${last.message}`);
  return 1;
}

async function cmdStop(dir) {
  const r = rt(dir);
  if (!r) {
    console.log(`no sandbox running in ${dir}`);
    return 0;
  }
  await Promise.all([killPid(r.pid), killPid(r.azurite_pid)]);
  fs.rmSync(path.join(dir, "runtime.json"), { force: true });
  console.log(`sandbox stopped (${dir})`);
  return 0;
}

function need(dir) {
  const r = rt(dir);
  if (!r) throw new Error(`no sandbox running in ${dir} (start it with: synwiz sandbox start)`);
  return r;
}

async function call(dir, method, p, body) {
  const r = need(dir);
  let res;
  try {
    res = await control(r, method, p, body);
  } catch (e) {
    throw new Error(`the sandbox in ${dir} does not answer: ${e.message}`);
  }
  if (res.status >= 300) throw new Error(res.json?.error?.message || `HTTP ${res.status}`);
  return res.json;
}

function q(v) {
  return `'${String(v).replace(/'/g, "'\\''")}'`;
}

function cmdEnv(dir) {
  const r = need(dir);
  const s = JSON.parse(fs.readFileSync(path.join(dir, "secrets.json"), "utf8"));
  const app = (n) => SEED.applications.find((a) => a.name === n);
  const A = r.profile.authority;
  const dana = SEED.users[0];
  const mi = SEED.managedIdentities.find((m) => m.default);
  const sub = SEED.subscriptions.find((x) => x.displayName === "Contoso Analytics");
  const vars = [
    ["SYNWIZ_SANDBOX_DIR", dir],
    ["SYNWIZ_SANDBOX_AUTHORITY", A],
    ["SYNWIZ_SANDBOX_ARM", r.profile.resource_manager],
    ["SYNWIZ_SANDBOX_CA", r.ca],
    ["SYNWIZ_SANDBOX_TENANT", r.tenant],
    ["SYNWIZ_SANDBOX_CLIENT_ID", app("synwiz-automation").appId],
    ["SYNWIZ_SANDBOX_CLIENT_SECRET", s.clientSecrets[app("synwiz-automation").appId]],
    ["SYNWIZ_SANDBOX_CLIENT_OBJECT_ID", app("synwiz-automation").objectId],
    ["SYNWIZ_SANDBOX_CERT_CLIENT_ID", app("synwiz-cert").appId],
    ["SYNWIZ_SANDBOX_CERT_PATH", path.join(dir, "synwiz-cert.pem")],
    ["SYNWIZ_SANDBOX_NOACCESS_CLIENT_ID", app("synwiz-noaccess").appId],
    ["SYNWIZ_SANDBOX_NOACCESS_CLIENT_SECRET", s.clientSecrets[app("synwiz-noaccess").appId]],
    ["SYNWIZ_SANDBOX_USER_CLIENT_ID", app("synwiz-cli").appId],
    ["SYNWIZ_SANDBOX_USER_OBJECT_ID", dana.objectId],
    ["SYNWIZ_SANDBOX_USER_NAME", dana.userPrincipalName],
    ["SYNWIZ_SANDBOX_MI_CLIENT_ID", mi.clientId],
    ["SYNWIZ_SANDBOX_IMDS_ENDPOINT", r.profile.imds_endpoint],
    ["SYNWIZ_SANDBOX_IDENTITY_ENDPOINT", `${A}/msi/token`],
    ["SYNWIZ_SANDBOX_IDENTITY_HEADER", s.identityHeader],
    ["SYNWIZ_SANDBOX_CONTROL", `${A}/_sandbox`],
    ["SYNWIZ_SANDBOX_SUBSCRIPTION", sub.subscriptionId],
    ["AZURE_STORAGE_CONNECTION_STRING",
      `DefaultEndpointsProtocol=https;AccountName=contosolake;AccountKey=${s.accountKeys.contosolake};BlobEndpoint=https://contosolake.blob.sandbox.localhost:${r.ports.azurite}/;`],
  ];
  for (const [k, v] of vars) console.log(`export ${k}=${q(v)}`);
  return 0;
}

async function cmdFault(dir, o) {
  if (o.clear) {
    await call(dir, "DELETE", "faults");
    console.log("faults cleared");
    return 0;
  }
  if (!o.route) throw new UsageError("fault needs --route REGEX (or --clear)");
  const num = (v, n) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`${n} takes a number, not '${v}'`);
    return parseInt(v, 10);
  };
  const f = { route: o.route };
  if (o.status !== undefined) f.status = num(o.status, "--status");
  if (o.retryAfter !== undefined) f.retryAfter = num(o.retryAfter, "--retry-after");
  if (o.reset) f.reset = true;
  if (o.delayMs !== undefined) f.delayMs = num(o.delayMs, "--delay-ms");
  if (o.failOperation) f.failOperation = true;
  if (o.count !== undefined) f.count = num(o.count, "--count");
  if (f.status === undefined && !f.reset && f.delayMs === undefined && !f.failOperation)
    throw new UsageError("fault needs one of --status, --reset, --delay-ms, --fail-operation");
  const r = await call(dir, "POST", "faults", f);
  console.log(`fault ${r.value[0].id} set on ${o.route}`);
  return 0;
}

// "label: value" lines, so that a person can tell the secrets apart; --values prints the
// values alone, one per line, for scripts (the tests' secret checks grep for each).
async function cmdSecrets(dir, o) {
  let list, labels;
  try {
    ({ value: list, labels } = await call(dir, "GET", "secrets"));
  } catch {
    // Not running: the secrets still on disk.
    list = [];
    labels = [];
    try {
      const s = JSON.parse(fs.readFileSync(path.join(dir, "secrets.json"), "utf8"));
      const appName = (id) => SEED.applications.find((a) => a.appId === id)?.name || id;
      for (const [id, v] of Object.entries(s.clientSecrets)) list.push(v), labels.push(`client secret of ${appName(id)} (${id})`);
      for (const [a, v] of Object.entries(s.accountKeys)) list.push(v), labels.push(`account key of ${a}`);
      list.push(s.identityHeader, s.controlToken);
      labels.push("managed identity endpoint header (X-IDENTITY-HEADER)", "control token (x-sandbox-control)");
    } catch {
      /* nothing generated yet */
    }
  }
  list.forEach((s, i) => console.log(o.values || !labels?.[i] ? s : `${labels[i]}: ${s}`));
  return 0;
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`synwiz sandbox: ${e.message}\n${USAGE}`);
    return 2;
  }
  const { cmd, o } = parsed;
  if (!cmd || o.help || cmd === "help") {
    console.log(USAGE);
    return cmd ? 0 : 2;
  }
  const dir = sandboxDir(o);
  try {
    switch (cmd) {
      case "start": return await cmdStart(dir, o);
      case "stop": return await cmdStop(dir);
      case "status": {
        const r = rt(dir);
        if (r && alive(r.pid) && (await answers(r))) {
          console.log(`running in ${dir}: ${r.profile.authority} (pid ${r.pid}, Azurite pid ${r.azurite_pid} on ${r.ports.azurite})`);
          return 0;
        }
        console.log(`not running (${dir})`);
        return 1;
      }
      case "reset":
        await call(dir, "POST", "reset");
        console.log("sandbox reset to its seeded state");
        return 0;
      case "env": return cmdEnv(dir);
      case "state":
        console.log(JSON.stringify(await call(dir, "GET", "state"), null, 2));
        return 0;
      case "secrets": return await cmdSecrets(dir, o);
      case "approve":
      case "decline": {
        if (o._.length !== 1) throw new UsageError(`${cmd} takes one user code`);
        await call(dir, "POST", `devicecode/${cmd}`, { user_code: o._[0] });
        console.log(`device code ${o._[0]} ${cmd === "approve" ? "approved (as dana@contoso.onmicrosoft.com)" : "declined"}`);
        return 0;
      }
      case "fault": return await cmdFault(dir, o);
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`synwiz sandbox: ${e.message}\n${USAGE}`);
      return 2;
    }
    console.error(`synwiz sandbox: ${e.message}`);
    return 1;
  }
}

// Set the exit code and let node exit by itself: process.exit() would drop output still
// queued for a slow pipe reader (seen with `sandbox secrets`, ~130 KB, read line by line).
main().then((code) => {
  process.exitCode = code;
});
