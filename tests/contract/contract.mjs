// The SDK contract test: Microsoft's Azure SDK for JavaScript, with its own credentials and
// clients, against the sandbox, for every operation synwiz uses. Run by
// tests/integration/sdk_contract.sh with the variables of `synwiz sandbox env`, under
//   NODE_EXTRA_CA_CERTS=$SYNWIZ_SANDBOX_CA node --import ./dns-localhost.mjs contract.mjs
// Prints one line per operation and ends with "N passed, N failed".
import fs from "node:fs";
import crypto from "node:crypto";
import path from "node:path";
import https from "node:https";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  ClientSecretCredential, ClientCertificateCredential, DeviceCodeCredential, ManagedIdentityCredential,
} from "@azure/identity";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { ResourceManagementClient } from "@azure/arm-resources";
import { SynapseManagementClient } from "@azure/arm-synapse";
import { StorageManagementClient } from "@azure/arm-storage";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { ArtifactsClient } from "@azure/synapse-artifacts";
import { AccessControlClient } from "@azure/synapse-access-control";
import { BlobServiceClient } from "@azure/storage-blob";
import { createPipelineFromOptions, createPipelineRequest, createDefaultHttpClient, createHttpHeaders, bearerTokenAuthenticationPolicy } from "@azure/core-rest-pipeline";

const here = path.dirname(fileURLToPath(import.meta.url));
const E = process.env;
for (const v of ["SYNWIZ_SANDBOX_DIR", "SYNWIZ_SANDBOX_AUTHORITY", "SYNWIZ_SANDBOX_ARM", "SYNWIZ_SANDBOX_TENANT", "SYNWIZ_SANDBOX_CLIENT_ID"])
  if (!E[v]) {
    console.error(`contract: ${v} is not set (eval "$(synwiz sandbox env)" first)`);
    process.exit(2);
  }
const RT = JSON.parse(fs.readFileSync(path.join(E.SYNWIZ_SANDBOX_DIR, "runtime.json"), "utf8"));
const SUB = E.SYNWIZ_SANDBOX_SUBSCRIPTION;
const TENANT = E.SYNWIZ_SANDBOX_TENANT;
const AUTH = E.SYNWIZ_SANDBOX_AUTHORITY;
const ARM = E.SYNWIZ_SANDBOX_ARM;
const BLOB_PORT = RT.ports.azurite;
const DEV = (ws) => `https://${ws}.dev.sandbox.localhost:${RT.ports.sandbox}`;
const ARM_SCOPE = ["https://management.azure.com/.default"];
const RG = "rg-analytics";
const ROLE = { reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7", owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", sbdc: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c" };
const SYN = { admin: "6e4bf58a-b8e1-4cc3-bbf9-d73143322b78", contributor: "7572bffe-f453-4b66-912a-46cc5ef38fda", credUser: "5eb298b4-692c-4241-9cf0-f58a3b42bb25" };
const WS_MI = "6bf3f643-48c8-4f57-aa36-29dc0f1efe3d"; // contoso-synapse's identity
const ML = "contoso-ml";

let passed = 0;
let failed = 0;
const t0 = Date.now();
function assert(c, msg) {
  if (!c) throw new Error(msg);
}
async function op(name, fn) {
  const t = Date.now();
  try {
    const note = await fn();
    passed++;
    console.log(`ok   - ${name}${note ? ` (${note})` : ""} [${Date.now() - t} ms]`);
  } catch (e) {
    failed++;
    console.log(`FAIL - ${name}: ${e.code ? `${e.code}: ` : ""}${String(e.message).split("\n")[0]}`);
  }
}
/** The call must fail with HTTP `status` (and Azure error `code` when given). */
async function rejects(p, status, code) {
  try {
    await p;
  } catch (e) {
    assert(e.statusCode === status, `expected HTTP ${status}, got ${e.statusCode}: ${e.message}`);
    if (code) assert(e.code === code, `expected code ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`expected HTTP ${status}${code ? ` ${code}` : ""}, but the call succeeded`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const all = async (it) => {
  const out = [];
  for await (const x of it) out.push(x);
  return out;
};
const guid = () => crypto.randomUUID();

/** The sandbox's control endpoint (not part of Azure). */
function control(method, p, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const req = https.request(`${AUTH}/_sandbox/${p}`, {
      method, headers: { "x-sandbox-control": RT.control_token, ...(data ? { "Content-Type": "application/json" } : {}) },
    }, (res) => {
      let s = "";
      res.on("data", (c) => (s += c));
      res.on("end", () => (res.statusCode < 300 ? resolve(s ? JSON.parse(s) : null) : reject(new Error(`control ${p}: ${res.statusCode} ${s}`))));
    });
    req.on("error", reject);
    req.end(data || undefined);
  });
}

const idOpts = { authorityHost: AUTH, disableInstanceDiscovery: true };
const armOpts = { endpoint: ARM, credentialScopes: ARM_SCOPE };
const secretCred = new ClientSecretCredential(TENANT, E.SYNWIZ_SANDBOX_CLIENT_ID, E.SYNWIZ_SANDBOX_CLIENT_SECRET, idOpts);

await control("POST", "reset");
await control("POST", "config", { pageSize: 2, pipelineStepMs: 200, operationMs: 500 });

// ---------------------------------------------------------------- Entra ID
const scopeToken = async (cred, scope) => (await cred.getToken(scope)).token;
const claims = (t) => JSON.parse(Buffer.from(t.split(".")[1], "base64url").toString());

await op("Entra: client credentials with a secret (ClientSecretCredential)", async () => {
  const c = claims(await scopeToken(secretCred, ARM_SCOPE));
  assert(c.iss === `https://sts.windows.net/${TENANT}/`, `iss ${c.iss}`);
  assert(c.aud === "https://management.azure.com" && c.oid === E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID && c.appid === E.SYNWIZ_SANDBOX_CLIENT_ID && c.idtyp === "app", "claims");
  assert(c.tid === TENANT && c.iat && c.nbf && c.exp > c.iat, "times");
  return "aud, iss, oid, appid, tid, iat/nbf/exp";
});
await op("Entra: wrong secret gives AADSTS7000215", async () => {
  const bad = new ClientSecretCredential(TENANT, E.SYNWIZ_SANDBOX_CLIENT_ID, "not-the-secret", idOpts);
  try {
    await bad.getToken(ARM_SCOPE);
  } catch (e) {
    assert(/AADSTS7000215/.test(e.message), e.message);
    return;
  }
  throw new Error("no error");
});
await op("Entra: unknown application gives AADSTS700016", async () => {
  const bad = new ClientSecretCredential(TENANT, guid(), "x", idOpts);
  try {
    await bad.getToken(ARM_SCOPE);
  } catch (e) {
    assert(/AADSTS700016/.test(e.message), e.message);
    return;
  }
  throw new Error("no error");
});
await op("Entra: unknown tenant is refused (MSAL cannot resolve its endpoints: openid-configuration answers AADSTS90002)", async () => {
  const bad = new ClientSecretCredential(guid(), E.SYNWIZ_SANDBOX_CLIENT_ID, E.SYNWIZ_SANDBOX_CLIENT_SECRET, idOpts);
  try {
    await bad.getToken(ARM_SCOPE);
  } catch (e) {
    assert(/AADSTS90002|endpoints_resolution_error/.test(e.message), e.message);
    return e.message.split(":")[0];
  }
  throw new Error("no error");
});
const certCred = new ClientCertificateCredential(TENANT, E.SYNWIZ_SANDBOX_CERT_CLIENT_ID, { certificatePath: E.SYNWIZ_SANDBOX_CERT_PATH }, idOpts);
await op("Entra: client credentials with a certificate (ClientCertificateCredential, signed assertion)", async () => {
  const c = claims(await scopeToken(certCred, ARM_SCOPE));
  assert(c.appid === E.SYNWIZ_SANDBOX_CERT_CLIENT_ID && c.appidacr === "2", JSON.stringify(c));
  return "appidacr 2";
});
await op("Entra: a certificate credential for another app is refused (signature check)", async () => {
  const bad = new ClientCertificateCredential(TENANT, E.SYNWIZ_SANDBOX_NOACCESS_CLIENT_ID, { certificatePath: E.SYNWIZ_SANDBOX_CERT_PATH }, idOpts);
  try {
    await bad.getToken(ARM_SCOPE);
  } catch (e) {
    assert(/AADSTS700027/.test(e.message), e.message);
    return;
  }
  throw new Error("no error");
});

let prompts = 0;
const userCred = new DeviceCodeCredential({
  ...idOpts, tenantId: TENANT, clientId: E.SYNWIZ_SANDBOX_USER_CLIENT_ID,
  userPromptCallback: async (info) => {
    prompts++;
    assert(info.userCode && info.verificationUri && info.message, "device code info");
    await sleep(1200); // a couple of authorization_pending answers first
    await control("POST", "devicecode/approve", { user_code: info.userCode });
  },
});
await op("Entra: device code, pending until approved (DeviceCodeCredential)", async () => {
  const c = claims(await scopeToken(userCred, ARM_SCOPE));
  assert(c.upn === E.SYNWIZ_SANDBOX_USER_NAME && c.oid === E.SYNWIZ_SANDBOX_USER_OBJECT_ID && c.idtyp === "user", JSON.stringify(c));
  return `upn ${c.upn}`;
});
await op("Entra: refresh token grant (silent token for a second resource)", async () => {
  const c = claims(await scopeToken(userCred, ["https://dev.azuresynapse.net/.default"]));
  assert(c.aud === "https://dev.azuresynapse.net" && c.upn === E.SYNWIZ_SANDBOX_USER_NAME, JSON.stringify(c));
  assert(prompts === 1, `the user was prompted ${prompts} times`);
  return "no second prompt";
});
await op("Entra: device code declined gives authorization_declined", async () => {
  const declined = new DeviceCodeCredential({
    ...idOpts, tenantId: TENANT, clientId: E.SYNWIZ_SANDBOX_USER_CLIENT_ID,
    userPromptCallback: async (info) => control("POST", "devicecode/decline", { user_code: info.userCode }),
  });
  try {
    await declined.getToken(ARM_SCOPE);
  } catch (e) {
    assert(/authorization_declined|denied/i.test(e.message), e.message);
    return;
  }
  throw new Error("no error");
});
await op("Entra: device code expiry gives expired_token", async () => {
  await control("POST", "config", { deviceCodeLifetimeSeconds: 1 });
  const expiring = new DeviceCodeCredential({ ...idOpts, tenantId: TENANT, clientId: E.SYNWIZ_SANDBOX_USER_CLIENT_ID, userPromptCallback: () => {} });
  try {
    await expiring.getToken(ARM_SCOPE);
  } catch (e) {
    assert(/expired|AADSTS70020|code_expired/i.test(e.message), e.message);
    return;
  } finally {
    await control("POST", "config", { deviceCodeLifetimeSeconds: 900 });
  }
  throw new Error("no error");
});

await op("Managed identity: IDENTITY_ENDPOINT shape (ManagedIdentityCredential)", async () => {
  process.env.IDENTITY_ENDPOINT = E.SYNWIZ_SANDBOX_IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = E.SYNWIZ_SANDBOX_IDENTITY_HEADER;
  const mi = new ManagedIdentityCredential();
  const c = claims(await scopeToken(mi, ["https://storage.azure.com/.default"]));
  assert(c.appid === E.SYNWIZ_SANDBOX_MI_CLIENT_ID && c.aud === "https://storage.azure.com", JSON.stringify(c));
  return "synwiz-vm-identity";
});
await op("Managed identity: client_id selects a user-assigned identity", async () => {
  const mi = new ManagedIdentityCredential({ clientId: "85b15d89-79de-44ee-b8dd-0ef9a1f868d7" });
  const c = claims(await scopeToken(mi, ARM_SCOPE));
  assert(c.oid === WS_MI, JSON.stringify(c));
  return "contoso-synapse identity";
});
delete process.env.IDENTITY_ENDPOINT;
delete process.env.IDENTITY_HEADER;
await op("Managed identity: IMDS shape (AZURE_POD_IDENTITY_AUTHORITY_HOST)", async () => {
  const r = spawnSync(process.execPath, ["--import", path.join(here, "dns-localhost.mjs"), path.join(here, "mi-imds.mjs")], {
    env: { ...process.env, AZURE_POD_IDENTITY_AUTHORITY_HOST: AUTH }, encoding: "utf8", timeout: 30000,
  });
  assert(r.status === 0, `mi-imds.mjs: ${r.stdout}${r.stderr}`);
  const c = claims(r.stdout.trim());
  assert(c.appid === E.SYNWIZ_SANDBOX_MI_CLIENT_ID && c.aud === "https://management.azure.com", JSON.stringify(c));
});

// ---------------------------------------------------------------- ARM
const subs = new SubscriptionClient(secretCred, armOpts);
await op("ARM: subscriptions list", async () => {
  const l = await all(subs.subscriptions.list());
  assert(l.length === 1 && l[0].displayName === "Contoso Analytics", JSON.stringify(l.map((s) => s.displayName)));
});
await op("ARM: subscriptions list as the demo user (3, one Disabled)", async () => {
  const l = await all(new SubscriptionClient(userCred, armOpts).subscriptions.list());
  const names = l.map((s) => `${s.displayName}:${s.state}`).sort();
  assert(names.join() === "Contoso Analytics:Enabled,Contoso Legacy:Disabled,Contoso Research:Enabled", names.join());
  return "paged with nextLink";
});
await op("ARM: subscription get", async () => {
  const s = await subs.subscriptions.get(SUB);
  assert(s.subscriptionId === SUB && s.tenantId === TENANT && s.state === "Enabled", JSON.stringify(s));
});
await op("ARM: tenants list", async () => {
  const l = await all(subs.tenants.list());
  assert(l.length === 1 && l[0].tenantId === TENANT && l[0].defaultDomain === "contoso.onmicrosoft.com", JSON.stringify(l));
});
const rm = new ResourceManagementClient(secretCred, SUB, armOpts);
await op("ARM: resource groups list and get", async () => {
  const l = (await all(rm.resourceGroups.list())).map((r) => r.name).sort();
  assert(l.join() === "rg-analytics,rg-ml", l.join());
  const g = await rm.resourceGroups.get(RG);
  assert(g.location === "westeurope" && g.properties.provisioningState === "Succeeded", JSON.stringify(g));
});
await op("ARM: a missing resource group gives 404 ResourceGroupNotFound", () => rejects(rm.resourceGroups.get("rg-nope"), 404, "ResourceGroupNotFound"));

const syn = new SynapseManagementClient(secretCred, SUB, armOpts);
await op("ARM: Synapse workspaces list (subscription, resource group) and get", async () => {
  const l = (await all(syn.workspaces.list())).map((w) => w.name).sort();
  assert(l.join() === "contoso-synapse,contoso-synapse-dep,contoso-synapse-shir", l.join());
  const r = (await all(syn.workspaces.listByResourceGroup(RG))).length;
  assert(r === 3, `rg list ${r}`);
  const w = await syn.workspaces.get(RG, "contoso-synapse");
  assert(w.identity.principalId === WS_MI, "identity.principalId");
  assert(/^https:\/\/contosolake\.dfs\.sandbox\.localhost:\d+$/.test(w.defaultDataLakeStorage.accountUrl) && w.defaultDataLakeStorage.filesystem === "synapse", JSON.stringify(w.defaultDataLakeStorage));
  assert(w.connectivityEndpoints.dev === DEV("contoso-synapse"), JSON.stringify(w.connectivityEndpoints));
  assert(w.publicNetworkAccess === "Enabled" && !w.managedVirtualNetwork, "network");
  const d = await syn.workspaces.get(RG, "contoso-synapse-dep");
  assert(d.managedVirtualNetwork === "default" && d.managedVirtualNetworkSettings.preventDataExfiltration === true, JSON.stringify(d.managedVirtualNetworkSettings));
  return "identity, defaultDataLakeStorage, connectivityEndpoints, managed VNet + DEP";
});
await op("ARM: Spark pools list and get", async () => {
  const l = (await all(syn.bigDataPools.listByWorkspace(RG, "contoso-synapse"))).map((p) => `${p.name}:${p.sparkVersion}`).sort();
  assert(l.join() === "sparkpool33:3.3,sparkpool34:3.4", l.join());
  const p = await syn.bigDataPools.get(RG, "contoso-synapse", "sparkpool34");
  assert(p.nodeSize === "Medium" && p.autoPause.enabled, JSON.stringify(p));
});
await op("ARM: integration runtimes list, get and getStatus", async () => {
  const l = (await all(syn.integrationRuntimes.listByWorkspace(RG, "contoso-synapse-shir"))).map((i) => `${i.name}:${i.properties.type}`).sort();
  assert(l.join() === "AutoResolveIntegrationRuntime:Managed,OnPremisesIR:SelfHosted", l.join());
  const ir = await syn.integrationRuntimes.get(RG, "contoso-synapse-shir", "OnPremisesIR");
  assert(ir.properties.type === "SelfHosted", JSON.stringify(ir));
  await rejects(syn.integrationRuntimeStatusOperations.get(RG, "contoso-synapse-shir", "OnPremisesIR"), 403, "AuthorizationFailed"); // Reader: no */action
  const st = await new SynapseManagementClient(userCred, SUB, armOpts).integrationRuntimeStatusOperations.get(RG, "contoso-synapse-shir", "OnPremisesIR");
  assert(st.properties.state === "Online" && st.properties.type === "SelfHosted", JSON.stringify(st));
});

const sto = new StorageManagementClient(secretCred, SUB, armOpts);
await op("ARM: storage accounts list, listByResourceGroup, getProperties", async () => {
  const l = (await all(sto.storageAccounts.list())).map((a) => a.name).sort();
  assert(l.join() === "contosoblob,contosolake,contosolakefw", l.join());
  assert((await all(sto.storageAccounts.listByResourceGroup(RG))).length === 3, "rg list");
  const lake = await sto.storageAccounts.getProperties(RG, "contosolake");
  assert(lake.isHnsEnabled === true && /contosolake\.blob\.sandbox\.localhost/.test(lake.primaryEndpoints.blob) && /\.dfs\./.test(lake.primaryEndpoints.dfs), JSON.stringify(lake.primaryEndpoints));
  const blob = await sto.storageAccounts.getProperties(RG, "contosoblob");
  assert(blob.isHnsEnabled === false, "contosoblob HNS");
  const fw = await sto.storageAccounts.getProperties(RG, "contosolakefw");
  assert(fw.networkRuleSet.defaultAction === "Deny" && fw.publicNetworkAccess === "Disabled", JSON.stringify(fw.networkRuleSet));
  return "isHnsEnabled, networkAcls, publicNetworkAccess, primaryEndpoints";
});
const newContainer = `sdk-${Date.now().toString(36)}`;
await op("ARM: blob containers list (paged)", async () => {
  const l = (await all(sto.blobContainers.list(RG, "contosolake"))).map((c) => c.name);
  for (const n of ["synapse", "customerinsights", "raw"]) assert(l.includes(n), l.join());
});
await op("ARM: blob container create (also in Azurite), get, and 200 when it exists", async () => {
  const c = await sto.blobContainers.create(RG, "contosolake", newContainer, { publicAccess: "None" });
  assert(c.name === newContainer, JSON.stringify(c));
  const g = await sto.blobContainers.get(RG, "contosolake", newContainer);
  assert(g.name === newContainer && g.publicAccess === "None", JSON.stringify(g));
  const bs = new BlobServiceClient(`https://contosolake.blob.sandbox.localhost:${BLOB_PORT}`, secretCred);
  assert(await bs.getContainerClient(newContainer).exists(), "not in Azurite");
  await sto.blobContainers.create(RG, "contosolake", newContainer, {});
});

const ml = new AzureMachineLearningWorkspaces(secretCred, SUB, armOpts);
await op("ARM: Azure ML workspaces list and get", async () => {
  const l = (await all(ml.workspaces.listBySubscription())).map((w) => w.name);
  assert(l.join() === ML, l.join());
  assert((await all(ml.workspaces.listByResourceGroup("rg-ml"))).length === 1, "rg list");
  const w = await ml.workspaces.get("rg-ml", ML);
  assert(w.workspaceId && w.discoveryUrl && w.identity.principalId && w.provisioningState === "Succeeded", JSON.stringify(w));
});

// Microsoft Graph (no Graph SDK in the pins): the core-rest-pipeline with the SDK's bearer
// policy, as @microsoft/microsoft-graph-client would send it. Users may read; apps may not.
const GRAPH = RT.profile.microsoft_graph;
async function graphGet(cred, p) {
  const gp = createPipelineFromOptions({});
  gp.addPolicy(bearerTokenAuthenticationPolicy({ credential: cred, scopes: RT.profile.graph_scope }));
  const res = await gp.sendRequest(createDefaultHttpClient(), createPipelineRequest({ url: `${GRAPH}/v1.0/${p}`, method: "GET" }));
  return { status: res.status, body: res.bodyAsText ? JSON.parse(res.bodyAsText) : null };
}
await op("Graph: a service principal by object id, by appId filter and alternate key; an application by object id", async () => {
  assert(GRAPH && RT.profile.graph_scope === "https://graph.microsoft.com/.default", `profile ${GRAPH} ${RT.profile.graph_scope}`);
  const sp = await graphGet(userCred, `servicePrincipals/${E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID}`);
  assert(sp.status === 200 && sp.body.appId === E.SYNWIZ_SANDBOX_CLIENT_ID && sp.body.displayName === "synwiz-automation", JSON.stringify(sp));
  const f = await graphGet(userCred, `servicePrincipals?$filter=${encodeURIComponent(`appId eq '${E.SYNWIZ_SANDBOX_CLIENT_ID}'`)}`);
  assert(f.status === 200 && f.body.value.length === 1 && f.body.value[0].id === E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID, JSON.stringify(f));
  const k = await graphGet(userCred, `servicePrincipals(appId='${E.SYNWIZ_SANDBOX_CLIENT_ID}')`);
  assert(k.status === 200 && k.body.id === E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID, JSON.stringify(k));
  const mi = await graphGet(userCred, `servicePrincipals/${WS_MI}`);
  assert(mi.status === 200 && mi.body.servicePrincipalType === "ManagedIdentity", JSON.stringify(mi));
  const app = await graphGet(userCred, `applications?$filter=${encodeURIComponent(`appId eq '${E.SYNWIZ_SANDBOX_CLIENT_ID}'`)}`);
  assert(app.status === 200 && app.body.value.length === 1 && app.body.value[0].id !== E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID, JSON.stringify(app));
  const byId = await graphGet(userCred, `applications/${app.body.value[0].id}`);
  assert(byId.status === 200 && byId.body.appId === E.SYNWIZ_SANDBOX_CLIENT_ID, JSON.stringify(byId));
  return "user token, Graph audience";
});
await op("Graph: unknown object id 404 Request_ResourceNotFound; an application token 403; an ARM token 401", async () => {
  const none = await graphGet(userCred, `servicePrincipals/${guid()}`);
  assert(none.status === 404 && none.body.error.code === "Request_ResourceNotFound", JSON.stringify(none));
  const app = await graphGet(secretCred, `servicePrincipals/${E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID}`);
  assert(app.status === 403 && app.body.error.code === "Authorization_RequestDenied", JSON.stringify(app));
  const t = await userCred.getToken(ARM_SCOPE);
  const res = await createDefaultHttpClient().sendRequest(createPipelineRequest({
    url: `${GRAPH}/v1.0/servicePrincipals/${E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID}`, method: "GET",
    headers: createHttpHeaders({ Authorization: `Bearer ${t.token}` }),
  }));
  assert(res.status === 401 && JSON.parse(res.bodyAsText).error.code === "InvalidAuthenticationToken", res.bodyAsText);
});

const authz = new AuthorizationManagementClient(secretCred, SUB, armOpts);
const userAuthz = new AuthorizationManagementClient(userCred, SUB, armOpts);
const rgScope = `/subscriptions/${SUB}/resourceGroups/${RG}`;
const lakeScope = `${rgScope}/providers/Microsoft.Storage/storageAccounts/contosolake`;
const mlScope = `/subscriptions/${SUB}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/${ML}`;

// ---------------------------------------------------------------- What Microsoft's Azure CLI sends (issue 16)
// The Azure CLI (MSAL Python) is not installable here: its requests are reproduced with the
// SDK's HTTP client where the JavaScript SDK does not make them itself.
async function raw(method, url, { token, body, headers = {} } = {}) {
  const req = createPipelineRequest({ url, method });
  for (const [k, v] of Object.entries(headers)) req.headers.set(k, v);
  if (token) req.headers.set("Authorization", `Bearer ${token}`);
  if (body !== undefined) {
    req.body = typeof body === "string" ? body : JSON.stringify(body);
    if (!headers["Content-Type"]) req.headers.set("Content-Type", typeof body === "string" ? "application/x-www-form-urlencoded" : "application/json");
  }
  const res = await createDefaultHttpClient().sendRequest(req);
  let json = null;
  try {
    json = res.bodyAsText ? JSON.parse(res.bodyAsText) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, text: res.bodyAsText, json };
}
/** A device-code prompt approved at once. MSAL also calls it when the devicecode request failed
 *  (no user code): nothing to approve then, and the credential's getToken rejects. */
const approveAtOnce = (info) => (info.userCode ? control("POST", "devicecode/approve", { user_code: info.userCode }).catch(() => {}) : undefined);
let cloudMeta = null;
await op("Azure CLI: az cloud register reads GET {arm}/metadata/endpoints?api-version=2022-09-01 without a token", async () => {
  const r = await raw("GET", `${ARM}/metadata/endpoints?api-version=2022-09-01`);
  assert(r.status === 200, `${r.status} ${r.text}`);
  const m = r.json;
  // what azure.cli.core.cloud._arm_to_cli_mapper reads (KeyError otherwise)
  for (const k of ["name", "resourceManager", "sqlManagement", "batch", "gallery", "graphAudience", "vmImageAliasDoc", "media", "portal", "microsoftGraphResourceId"])
    assert(typeof m[k] === "string" && m[k], `no ${k}: ${r.text}`);
  for (const k of ["storage", "keyVaultDns", "sqlServerHostname", "synapseAnalytics"]) assert(m.suffixes[k], `no suffixes.${k}`);
  assert(m.resourceManager === `${ARM}/` && m.authentication.loginEndpoint === `${AUTH}/`, `${m.resourceManager} ${m.authentication.loginEndpoint}`);
  assert(m.authentication.audiences[0] === "https://management.core.windows.net/" && m.microsoftGraphResourceId === `${GRAPH}/`, JSON.stringify(m));
  assert(m.suffixes.synapseAnalytics === `dev.sandbox.localhost:${RT.ports.sandbox}` && m.suffixes.storage === `sandbox.localhost:${BLOB_PORT}`, JSON.stringify(m.suffixes));
  const list = await raw("GET", `${ARM}/metadata/endpoints?api-version=2019-05-01`);
  assert(list.status === 200 && Array.isArray(list.json) && list.json[0].resourceManager === m.resourceManager, list.text);
  // The CLI then signs in for "{audiences[0]}/.default" and calls "{resourceManager}subscriptions".
  const t = await secretCred.getToken(`${m.authentication.audiences[0]}/.default`);
  const subsR = await raw("GET", `${m.resourceManager}subscriptions?api-version=2022-12-01`, { token: t.token });
  assert(subsR.status === 200 && subsR.json.value[0].subscriptionId === SUB, subsR.text);
  cloudMeta = m;
  return "anonymous; the ARM token for audiences[0] works on resourceManager";
});

const certPem = fs.readFileSync(E.SYNWIZ_SANDBOX_CERT_PATH, "utf8");
function assertion({ x5t, x5tS256, alg = "RS256" }) {
  const now = Math.floor(Date.now() / 1000);
  const b = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const h = b({ alg, typ: "JWT", ...(x5t ? { x5t } : {}), ...(x5tS256 ? { "x5t#S256": x5tS256 } : {}) });
  const p = b({ aud: `${AUTH}/${TENANT}/oauth2/v2.0/token`, iss: E.SYNWIZ_SANDBOX_CERT_CLIENT_ID, sub: E.SYNWIZ_SANDBOX_CERT_CLIENT_ID, jti: guid(), nbf: now, iat: now, exp: now + 600 });
  const key = crypto.createPrivateKey(certPem);
  const sig = alg === "PS256"
    ? crypto.sign("sha256", Buffer.from(`${h}.${p}`), { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    : crypto.sign("sha256", Buffer.from(`${h}.${p}`), key);
  return `${h}.${p}.${sig.toString("base64url")}`;
}
const assertionGrant = (a) => raw("POST", `${AUTH}/${TENANT}/oauth2/v2.0/token`, {
  body: new URLSearchParams({
    grant_type: "client_credentials", client_id: E.SYNWIZ_SANDBOX_CERT_CLIENT_ID, scope: "https://management.core.windows.net//.default",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: a,
  }).toString(),
});
await op("Azure CLI: a certificate assertion whose x5t is URL-safe base64 with '=' padding (MSAL Python's) is accepted", async () => {
  const der = new crypto.X509Certificate(certPem).raw;
  const sha1 = crypto.createHash("sha1").update(der).digest();
  const padded = sha1.toString("base64").replace(/\+/g, "-").replace(/\//g, "_"); // urlsafe_b64encode keeps '='
  assert(padded.endsWith("="), padded);
  const ok = await assertionGrant(assertion({ x5t: padded }));
  assert(ok.status === 200 && claims(ok.json.access_token).appid === E.SYNWIZ_SANDBOX_CERT_CLIENT_ID && claims(ok.json.access_token).appidacr === "2", ok.text);
  const s256 = crypto.createHash("sha256").update(der).digest("base64").replace(/\+/g, "-").replace(/\//g, "_");
  const ok2 = await assertionGrant(assertion({ x5tS256: s256, alg: "PS256" }));
  assert(ok2.status === 200, `x5t#S256 padded: ${ok2.text}`);
  const other = Buffer.from(sha1);
  other[0] ^= 1; // another certificate's thumbprint, padded the same way
  const bad = await assertionGrant(assertion({ x5t: other.toString("base64").replace(/\+/g, "-").replace(/\//g, "_") }));
  assert(bad.status === 401 && bad.json.error_codes[0] === 700027, bad.text);
  return `x5t ${padded.length} chars; another thumbprint still AADSTS700027`;
});

await op("Azure CLI: az resource list (Resources_List with $filter, @azure/arm-resources)", async () => {
  const ml = await all(rm.resources.list({ filter: "resourceGroup eq 'rg-ml'" }));
  assert(ml.length === 1 && ml[0].name === ML && ml[0].type === "Microsoft.MachineLearningServices/workspaces" && ml[0].location === "westeurope", JSON.stringify(ml));
  const every = (await all(rm.resources.list())).map((r) => `${r.type}:${r.name}`).sort();
  for (const x of ["Microsoft.Synapse/workspaces:contoso-synapse", "Microsoft.Synapse/workspaces/bigDataPools:contoso-synapse/sparkpool34",
    "Microsoft.Storage/storageAccounts:contosolakefw", `Microsoft.MachineLearningServices/workspaces:${ML}`])
    assert(every.includes(x), `${x} not in ${every.join()}`);
  assert(!every.some((x) => x.includes("research")), "another subscription's resource was listed");
  const st = (await all(rm.resources.list({ filter: "resourceType eq 'Microsoft.Storage/storageAccounts' and location eq 'westeurope'" }))).map((r) => r.name).sort();
  assert(st.join() === "contosoblob,contosolake,contosolakefw", st.join());
  const byRg = await all(rm.resources.listByResourceGroup("rg-ml", { expand: "provisioningState,createdTime" }));
  assert(byRg.length === 1 && byRg[0].provisioningState === "Succeeded" && byRg[0].createdTime instanceof Date, JSON.stringify(byRg));
  await rejects(all(new ResourceManagementClient(new ClientSecretCredential(TENANT, E.SYNWIZ_SANDBOX_NOACCESS_CLIENT_ID, E.SYNWIZ_SANDBOX_NOACCESS_CLIENT_SECRET, idOpts), SUB, armOpts).resources.list()), 403, "AuthorizationFailed");
  await rejects(all(rm.resources.list({ filter: "properties/x eq 'y'" })), 400, "InvalidFilterInQueryString");
  return `${every.length} resources, paged`;
});
await op("Azure CLI: az provider show / list (Providers_Get, Providers_List)", async () => {
  const p = await rm.providers.get("Microsoft.Synapse");
  assert(p.namespace === "Microsoft.Synapse" && p.registrationState === "Registered" && p.id === `/subscriptions/${SUB}/providers/Microsoft.Synapse`, JSON.stringify(p));
  const ws = p.resourceTypes.find((t) => t.resourceType === "workspaces");
  assert(ws && ws.apiVersions.length && ws.locations.includes("West Europe"), JSON.stringify(ws));
  const l = (await all(rm.providers.list())).map((x) => x.namespace);
  for (const n of ["Microsoft.Synapse", "Microsoft.Storage", "Microsoft.MachineLearningServices", "Microsoft.Authorization"]) assert(l.includes(n), l.join());
  await rejects(rm.providers.get("Microsoft.Nope"), 404, "InvalidResourceNamespace");
});
await op("Azure CLI: az resource show without --api-version (api-version from the provider, then Resources_Get)", async () => {
  // azure-cli's _resolve_api_version: the type's (or the parent type's) first non-preview api-version
  const apiFor = async (ns, type) => {
    const rt = (await rm.providers.get(ns)).resourceTypes.find((t) => t.resourceType.toLowerCase() === type.toLowerCase());
    assert(rt, `${ns}/${type} is not in the provider`);
    return rt.apiVersions.find((v) => !/preview/i.test(v)) || rt.apiVersions[0];
  };
  const w = await rm.resources.get(RG, "Microsoft.Synapse", "", "workspaces", "contoso-synapse", await apiFor("Microsoft.Synapse", "workspaces"));
  assert(w.id === `${rgScope}/providers/Microsoft.Synapse/workspaces/contoso-synapse` && w.properties.workspaceUID, JSON.stringify(w).slice(0, 200));
  const pool = await rm.resources.get(RG, "Microsoft.Synapse", "workspaces/contoso-synapse", "bigDataPools", "sparkpool34", await apiFor("Microsoft.Synapse", "workspaces"));
  assert(pool.properties.sparkVersion === "3.4", JSON.stringify(pool).slice(0, 200));
  const m = await rm.resources.getById(mlScope, await apiFor("Microsoft.MachineLearningServices", "workspaces"));
  assert(m.name === ML && m.properties.workspaceId, JSON.stringify(m).slice(0, 200));
  const sa = await rm.resources.getById(lakeScope, await apiFor("Microsoft.Storage", "storageAccounts"));
  assert(sa.kind === "StorageV2" && sa.properties.isHnsEnabled === true, JSON.stringify(sa).slice(0, 200));
});

await op("Azure CLI: a Graph token for the metadata's microsoftGraphResourceId + '/.default'; az role assignment list names principals (getByIds)", async () => {
  const G = (cloudMeta && cloudMeta.microsoftGraphResourceId) || `${GRAPH}/`;
  // The demo user signs in for "https://graph.sandbox.localhost:P//.default", the scope the CLI asks for.
  const graphCred = new DeviceCodeCredential({
    ...idOpts, tenantId: TENANT, clientId: E.SYNWIZ_SANDBOX_USER_CLIENT_ID,
    userPromptCallback: approveAtOnce,
  });
  const t = await graphCred.getToken(`${G}/.default`);
  assert(claims(t.token).aud === "00000003-0000-0000-c000-000000000000", JSON.stringify(claims(t.token)));
  const ras = await all(authz.roleAssignments.listForScope(rgScope));
  const ids = [...new Set(ras.map((r) => r.principalId))];
  assert(ids.includes(E.SYNWIZ_SANDBOX_USER_OBJECT_ID) && ids.includes(E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID), ids.join());
  const unknown = guid();
  const body = { ids: [...ids, unknown], types: ["user", "group", "servicePrincipal", "directoryObjectPartnerReference"] };
  const r = await raw("POST", `${G}v1.0/directoryObjects/getByIds`, { token: t.token, body });
  assert(r.status === 200 && Array.isArray(r.json.value), `${r.status} ${r.text}`);
  const dana = r.json.value.find((o) => o.id === E.SYNWIZ_SANDBOX_USER_OBJECT_ID);
  assert(dana && dana["@odata.type"] === "#microsoft.graph.user" && dana.userPrincipalName === E.SYNWIZ_SANDBOX_USER_NAME, JSON.stringify(dana));
  const sp = r.json.value.find((o) => o.id === E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID);
  assert(sp && sp["@odata.type"] === "#microsoft.graph.servicePrincipal" && sp.servicePrincipalNames[0] === E.SYNWIZ_SANDBOX_CLIENT_ID, JSON.stringify(sp));
  assert(!r.json.value.some((o) => o.id === unknown), "an unknown id was answered");
  const onlyUsers = await raw("POST", `${G}v1.0/directoryObjects/getByIds`, { token: t.token, body: { ids, types: ["user"] } });
  assert(onlyUsers.status === 200 && onlyUsers.json.value.every((o) => o["@odata.type"] === "#microsoft.graph.user"), onlyUsers.text);
  const app = await raw("POST", `${G}v1.0/directoryObjects/getByIds`, { token: (await secretCred.getToken(`${G}/.default`)).token, body });
  assert(app.status === 403 && app.json.error.code === "Authorization_RequestDenied", app.text);
  const badBody = await raw("POST", `${G}v1.0/directoryObjects/getByIds`, { token: t.token, body: { ids: ["not-a-guid"] } });
  assert(badBody.status === 400, badBody.text);
  return `${r.json.value.length} of ${ids.length} principals named`;
});

await op("Azure CLI: az login --use-device-code with the Azure CLI's own client id (and Microsoft's other first-party public clients)", async () => {
  const AZ_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
  const cli = new DeviceCodeCredential({
    ...idOpts, tenantId: TENANT, clientId: AZ_CLI,
    userPromptCallback: approveAtOnce,
  });
  const c = claims((await cli.getToken("https://management.core.windows.net//.default")).token);
  assert(c.appid === AZ_CLI && c.upn === E.SYNWIZ_SANDBOX_USER_NAME, JSON.stringify(c));
  const others = { "Azure PowerShell": "1950a258-227b-4e31-a9cf-717495945fc2", "Visual Studio Code": "aebc6443-996d-45c2-90f0-388ff96faa56",
    "Visual Studio": "04f0c124-f2bc-4f59-8241-bf6df9866bbd", "Microsoft Graph Command Line Tools": "14d82eec-204b-4c2f-b7e8-296a70dab67e" };
  for (const [n, id] of Object.entries(others)) {
    const r = await raw("POST", `${AUTH}/${TENANT}/oauth2/v2.0/devicecode`, { body: `client_id=${id}&scope=${encodeURIComponent("https://management.core.windows.net//.default offline_access openid profile")}` });
    assert(r.status === 200 && r.json.user_code, `${n}: ${r.text}`);
  }
  const none = await raw("POST", `${AUTH}/${TENANT}/oauth2/v2.0/devicecode`, { body: `client_id=${guid()}&scope=openid` });
  assert(none.status === 400 && none.json.error_codes[0] === 700016, none.text);
  return `appid ${c.appid}`;
});

await op("Azure CLI: instance discovery with the authorization endpoint without its port (MSAL Python's request)", async () => {
  const bare = `https://login.sandbox.localhost/${TENANT}/oauth2/v2.0/authorize`;
  const r = await raw("GET", `${AUTH}/common/discovery/instance?${new URLSearchParams({ authorization_endpoint: bare, "api-version": "1.0" })}`);
  assert(r.status === 200 && r.json.tenant_discovery_endpoint === `${AUTH}/${TENANT}/v2.0/.well-known/openid-configuration`, `${r.status} ${r.text}`);
  const oidc = await raw("GET", r.json.tenant_discovery_endpoint); // MSAL Python's next request
  assert(oidc.status === 200 && oidc.json.token_endpoint === `${AUTH}/${TENANT}/oauth2/v2.0/token`, oidc.text);
  for (const other of [`https://login.sandbox.localhost:1/${TENANT}/oauth2/v2.0/authorize`, `https://login.example.com/${TENANT}/oauth2/v2.0/authorize`]) {
    const x = await raw("GET", `${AUTH}/common/discovery/instance?${new URLSearchParams({ authorization_endpoint: other, "api-version": "1.0" })}`);
    assert(x.status === 400 && x.json.error === "invalid_instance", `${other}: ${x.status} ${x.text}`);
  }
});

await op("Azure CLI: openid-configuration's msgraph_host carries the port, and Graph answers there", async () => {
  const r = await raw("GET", `${AUTH}/${TENANT}/v2.0/.well-known/openid-configuration`);
  assert(r.status === 200 && r.json.msgraph_host === `graph.sandbox.localhost:${RT.ports.sandbox}`, r.text);
  const t = await userCred.getToken(RT.profile.graph_scope);
  const g = await raw("GET", `https://${r.json.msgraph_host}/v1.0/servicePrincipals/${E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID}`, { token: t.token });
  assert(g.status === 200 && g.json.appId === E.SYNWIZ_SANDBOX_CLIENT_ID, g.text);
  return r.json.msgraph_host;
});

await op("ARM: role assignments list with $filter=atScope()", async () => {
  const l = await all(authz.roleAssignments.listForScope(lakeScope, { filter: "atScope()" }));
  const roles = l.map((r) => r.roleDefinitionId.split("/").pop());
  assert(roles.includes(ROLE.sbdc) && roles.includes(ROLE.owner) && roles.includes(ROLE.reader), roles.join());
  assert(l.every((r) => lakeScope.toLowerCase().startsWith(r.scope.toLowerCase())), "an assignment below the scope was listed");
  return `${l.length} assignments`;
});
await op("ARM: role assignments list with principalId eq, assignedTo() and combined", async () => {
  const p = await all(authz.roleAssignments.listForScope(`/subscriptions/${SUB}`, { filter: `principalId eq '${E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID}'` }));
  assert(p.length === 3, `principalId eq: ${p.length}`);
  const a = await all(authz.roleAssignments.listForScope(mlScope, { filter: `assignedTo('${E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID}')` }));
  assert(a.length === 2, `assignedTo: ${a.length}`);
  const both = await all(authz.roleAssignments.listForScope(lakeScope, { filter: `atScope() and assignedTo('${WS_MI}')` }));
  assert(both.length === 0, "contoso-synapse's identity has no role on contosolake (missing on purpose)");
});
const newRa = guid();
await op("ARM: role assignment create (PUT with a new GUID) and get", async () => {
  const r = await userAuthz.roleAssignments.create(lakeScope, newRa, {
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.sbdc}`, principalId: WS_MI, principalType: "ServicePrincipal",
  });
  assert(r.name === newRa && r.principalId === WS_MI && r.scope === lakeScope, JSON.stringify(r));
  const g = await authz.roleAssignments.get(lakeScope, newRa);
  assert(g.principalType === "ServicePrincipal", JSON.stringify(g));
});
await op("ARM: role assignment create again gives 409 RoleAssignmentExists", () =>
  rejects(userAuthz.roleAssignments.create(lakeScope, guid(), {
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.sbdc}`, principalId: WS_MI, principalType: "ServicePrincipal",
  }), 409, "RoleAssignmentExists"));
await op("ARM: role assignment for an unknown principal gives 400 PrincipalNotFound", () =>
  rejects(userAuthz.roleAssignments.create(lakeScope, guid(), {
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.reader}`, principalId: guid(), principalType: "ServicePrincipal",
  }), 400, "PrincipalNotFound"));
await op("ARM: role assignment with a mismatching principalType gives 400", () =>
  rejects(userAuthz.roleAssignments.create(lakeScope, guid(), {
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.reader}`, principalId: WS_MI, principalType: "User",
  }), 400, "UnmatchedPrincipalType"));
await op("ARM: role assignment create without the right gives 403 AuthorizationFailed", async () => {
  const e = await rejects(authz.roleAssignments.create(lakeScope, guid(), {
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.reader}`, principalId: WS_MI, principalType: "ServicePrincipal",
  }), 403, "AuthorizationFailed");
  assert(/does not have authorization to perform action 'Microsoft\.Authorization\/roleAssignments\/write' over scope/.test(e.message), e.message);
});
await op("ARM: role assignment delete (200, then 204)", async () => {
  const d = await userAuthz.roleAssignments.delete(lakeScope, newRa);
  assert(d && d.name === newRa, `first delete: ${JSON.stringify(d)}`);
  await userAuthz.roleAssignments.delete(lakeScope, newRa);
  await rejects(authz.roleAssignments.get(lakeScope, newRa), 404, "RoleAssignmentNotFound");
});
await op("ARM: role definitions list with $filter=roleName eq and get by GUID", async () => {
  const l = await all(authz.roleDefinitions.list(rgScope, { filter: "roleName eq 'Storage Blob Data Contributor'" }));
  assert(l.length === 1 && l[0].name === ROLE.sbdc && l[0].permissions[0].dataActions.includes("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"), JSON.stringify(l));
  const every = await all(authz.roleDefinitions.list(rgScope));
  assert(every.length >= 10, `${every.length} definitions`);
  const d = await authz.roleDefinitions.get(`/subscriptions/${SUB}`, "f6c7c914-8db3-469d-8ca1-694a8f32e121");
  assert(d.roleName === "AzureML Data Scientist", JSON.stringify(d));
  return `${every.length} built-in roles over nextLink pages`;
});
await op("ARM: permissions for a resource group and a resource", async () => {
  const p = await all(userAuthz.permissions.listForResourceGroup(RG));
  assert(p.some((x) => x.actions.includes("*")), JSON.stringify(p));
  const r = await all(authz.permissions.listForResource(RG, "Microsoft.Storage", "", "storageAccounts", "contosolake"));
  assert(r.some((x) => x.dataActions.includes("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write")) && r.some((x) => x.actions.includes("*/read")), JSON.stringify(r));
});
await op("ARM: an identity without a role gets 403 AuthorizationFailed", async () => {
  const no = new ClientSecretCredential(TENANT, E.SYNWIZ_SANDBOX_NOACCESS_CLIENT_ID, E.SYNWIZ_SANDBOX_NOACCESS_CLIENT_SECRET, idOpts);
  const e = await rejects(new SynapseManagementClient(no, SUB, armOpts).workspaces.get(RG, "contoso-synapse"), 403, "AuthorizationFailed");
  assert(e.message.includes("does not have authorization to perform action 'Microsoft.Synapse/workspaces/read'"), e.message);
});
await op("ARM: 429 with Retry-After is retried by the SDK", async () => {
  await control("POST", "faults", { route: `^GET management\\.sandbox\\.localhost/subscriptions/${SUB}/resourcegroups\\?`, status: 429, retryAfter: 1, count: 1 });
  const fresh = new ResourceManagementClient(new ClientSecretCredential(TENANT, E.SYNWIZ_SANDBOX_CLIENT_ID, E.SYNWIZ_SANDBOX_CLIENT_SECRET, idOpts), SUB, armOpts);
  const t = Date.now();
  const l = await all(fresh.resourceGroups.list());
  const ms = Date.now() - t;
  assert(l.length === 2 && ms >= 900, `${l.length} groups after ${ms} ms`);
  return `waited ${ms} ms`;
});
await op("ARM: a connection reset is retried by the SDK", async () => {
  await control("POST", "faults", { route: `^GET management\\.sandbox\\.localhost/subscriptions/${SUB}\\?`, reset: true, count: 1 });
  const fresh = new SubscriptionClient(new ClientSecretCredential(TENANT, E.SYNWIZ_SANDBOX_CLIENT_ID, E.SYNWIZ_SANDBOX_CLIENT_SECRET, idOpts), armOpts);
  const s = await fresh.subscriptions.get(SUB);
  const f = (await control("GET", "faults")).value.find((x) => x.reset);
  assert(s.subscriptionId === SUB && f.hits === 1, `hits ${f && f.hits}`);
});
await op("ARM: a delay is a delay", async () => {
  await control("POST", "faults", { route: `^GET management\\.sandbox\\.localhost/subscriptions/${SUB}/resourcegroups/rg-ml\\?`, delayMs: 400, count: 1 });
  const t = Date.now();
  await rm.resourceGroups.get("rg-ml");
  const ms = Date.now() - t;
  assert(ms >= 400, `${ms} ms`);
  await control("DELETE", "faults");
  return `${ms} ms`;
});

// ---------------------------------------------------------------- Synapse dev endpoint
const art = new ArtifactsClient(secretCred, DEV("contoso-synapse"));
await op("Synapse: pipelines list (paged) and get", async () => {
  const l = (await all(art.pipelineOperations.listPipelinesByWorkspace())).map((p) => p.name).sort();
  assert(l.join() === "CopyRawToLake,ScoreBroken,ScoreCustomerChurn,ScoreProductAffinity", l.join());
  const p = await art.pipelineOperations.getPipeline("ScoreCustomerChurn");
  assert(p.parameters.output_path && p.parameters.output_datastore && p.annotations[0].synwiz.inputs.Customer, JSON.stringify(p.parameters));
});
await op("Synapse: pipeline createOrUpdate (long-running) and delete", async () => {
  const name = `SdkPipeline${Date.now().toString(36)}`;
  const p = await art.pipelineOperations.beginCreateOrUpdatePipelineAndWait(name, {
    activities: [{ name: "Wait1", type: "Wait", waitTimeInSeconds: 1 }], parameters: { x: { type: "String", defaultValue: "a" } }, annotations: [],
  }, { updateIntervalInMs: 100 });
  assert(p.name === name, JSON.stringify(p));
  assert((await art.pipelineOperations.getPipeline(name)).activities[0].type === "Wait", "get");
  await art.pipelineOperations.beginDeletePipelineAndWait(name, { updateIntervalInMs: 100 });
  await rejects(art.pipelineOperations.getPipeline(name), 404);
});
const ws = "contoso-synapse";
const src = (t) => `abfss://customerinsights@contosolake.dfs.sandbox.localhost/source/${t}/${t}.csv`;
const outPath = `sdk-contract/${Date.now().toString(36)}/ChurnScores.csv`;
async function waitRun(runId) {
  for (let i = 0; i < 200; i++) {
    const r = await art.pipelineRunOperations.getPipelineRun(runId);
    if (["Succeeded", "Failed", "Cancelled"].includes(r.status)) return r;
    await sleep(100);
  }
  throw new Error("the run did not finish");
}
let okRun;
await op("Synapse: createRun of ScoreCustomerChurn, run reaches Succeeded", async () => {
  const { runId } = await art.pipelineOperations.createPipelineRun("ScoreCustomerChurn", {
    parameters: { Customer: src("Customer"), Orders: src("Orders"), output_path: outPath },
  });
  const seen = new Set();
  let r;
  for (let i = 0; i < 200; i++) {
    r = await art.pipelineRunOperations.getPipelineRun(runId);
    seen.add(r.status);
    if (["Succeeded", "Failed"].includes(r.status)) break;
    await sleep(40);
  }
  assert(r.status === "Succeeded", `${r.status}: ${r.message}`);
  assert(seen.has("InProgress"), [...seen].join());
  okRun = r;
  return [...seen].join(" -> ");
});
await op("Synapse: the run wrote one output CSV to Azurite (storage-blob, bearer token)", async () => {
  const bs = new BlobServiceClient(`https://contosolake.blob.sandbox.localhost:${BLOB_PORT}`, secretCred);
  const buf = await bs.getContainerClient("customerinsights").getBlobClient(outPath).downloadToBuffer();
  const lines = buf.toString().trim().split(/\r?\n/);
  assert(lines[0] === "CustomerId,ChurnScore,ChurnRisk" && lines.length === 2001, `${lines[0]} / ${lines.length} lines`);
  return `${lines.length - 1} rows`;
});
await op("Synapse: queryActivityruns tells the story", async () => {
  const now = new Date();
  const r = await art.pipelineRunOperations.queryActivityRuns("ScoreCustomerChurn", okRun.runId, {
    lastUpdatedAfter: new Date(now - 3600e3), lastUpdatedBefore: new Date(now.getTime() + 60e3),
  });
  const acts = r.value.map((a) => `${a.activityName}:${a.status}`);
  assert(acts.join() === "CheckInputs:Succeeded,ScoreChurn:Succeeded", acts.join());
});
await op("Synapse: a run with a missing input fails with a clear message", async () => {
  const { runId } = await art.pipelineOperations.createPipelineRun("ScoreCustomerChurn", {
    parameters: { Customer: src("Customer").replace("Customer.csv", "Nope.csv"), Orders: src("Orders"), output_path: outPath },
  });
  const r = await waitRun(runId);
  assert(r.status === "Failed" && /Nope\.csv.*not found/.test(r.message), `${r.status}: ${r.message}`);
  const now = new Date();
  const a = await art.pipelineRunOperations.queryActivityRuns("ScoreCustomerChurn", runId, { lastUpdatedAfter: new Date(now - 3600e3), lastUpdatedBefore: new Date(now.getTime() + 60e3) });
  assert(a.value.length === 1 && a.value[0].status === "Failed" && a.value[0].error.message, JSON.stringify(a.value));
});
await op("Synapse: queryPipelineRuns with filters", async () => {
  const now = new Date();
  const r = await art.pipelineRunOperations.queryPipelineRunsByWorkspace({
    lastUpdatedAfter: new Date(now - 3600e3), lastUpdatedBefore: new Date(now.getTime() + 60e3),
    filters: [{ operand: "PipelineName", operator: "Equals", values: ["ScoreCustomerChurn"] }, { operand: "Status", operator: "Equals", values: ["Succeeded"] }],
  });
  assert(r.value.length >= 1 && r.value.every((x) => x.status === "Succeeded"), JSON.stringify(r.value.map((x) => x.status)));
});
await op("Synapse: cancel a run", async () => {
  const { runId } = await art.pipelineOperations.createPipelineRun("ScoreProductAffinity", {
    parameters: { Orders: src("Orders"), WebActivity: src("WebActivity") },
  });
  await art.pipelineRunOperations.cancelPipelineRun(runId);
  const r = await waitRun(runId);
  assert(r.status === "Cancelled", r.status);
});
await op("Synapse: createRun without Synapse Credential User gives 403 (demo user)", async () => {
  const e = await rejects(new ArtifactsClient(userCred, DEV(ws)).pipelineOperations.createPipelineRun("ScoreCustomerChurn", { parameters: {} }), 403);
  assert(/does not have the required Synapse RBAC permission to perform this action\. Required permission: Action: Microsoft\.Synapse\/workspaces\/credentials\/useSecret\/action/.test(e.message), e.message);
});

await op("Synapse: linked services list (paged) and get", async () => {
  const l = await all(art.linkedServiceOperations.listLinkedServicesByWorkspace());
  assert(l.some((x) => x.name === "contoso-synapse-WorkspaceDefaultStorage" && x.properties.type === "AzureBlobFS"), JSON.stringify(l.map((x) => x.name)));
});
const lsName = `AzureML${Date.now().toString(36)}`;
await op("Synapse: linked service AzureMLService createOrUpdate (LRO) and get, secret masked", async () => {
  const r = await art.linkedServiceOperations.beginCreateOrUpdateLinkedServiceAndWait(lsName, {
    properties: {
      type: "AzureMLService", subscriptionId: SUB, resourceGroupName: "rg-ml", mlWorkspaceName: ML,
      servicePrincipalId: E.SYNWIZ_SANDBOX_CLIENT_ID, servicePrincipalKey: { type: "SecureString", value: "sdk-contract-secret" }, tenant: TENANT,
    },
  }, { updateIntervalInMs: 100 });
  assert(r.name === lsName, JSON.stringify(r));
  const g = await art.linkedServiceOperations.getLinkedService(lsName);
  assert(g.properties.type === "AzureMLService" && g.properties.mlWorkspaceName === ML, JSON.stringify(g));
  assert(g.properties.servicePrincipalKey.value === "**********", JSON.stringify(g.properties.servicePrincipalKey));
});
await op("Synapse: linked service with authentication MSI", async () => {
  const name = `${lsName}Msi`;
  await art.linkedServiceOperations.beginCreateOrUpdateLinkedServiceAndWait(name, {
    properties: { type: "AzureMLService", subscriptionId: SUB, resourceGroupName: "rg-ml", mlWorkspaceName: ML, authentication: "MSI" },
  }, { updateIntervalInMs: 100 });
  const g = await art.linkedServiceOperations.getLinkedService(name);
  assert(g.properties.authentication === "MSI", JSON.stringify(g.properties));
});
await op("Synapse: linked service delete (LRO)", async () => {
  await art.linkedServiceOperations.beginDeleteLinkedServiceAndWait(lsName, { updateIntervalInMs: 100 });
  await rejects(art.linkedServiceOperations.getLinkedService(lsName), 404);
});
async function trapped(client, name, props) {
  let result;
  try {
    result = await client.linkedServiceOperations.beginCreateOrUpdateLinkedServiceAndWait(name, { properties: props }, { updateIntervalInMs: 100 });
  } catch (e) {
    result = { thrown: e.message };
  }
  await rejects(client.linkedServiceOperations.getLinkedService(name), 404);
  return JSON.stringify(result).slice(0, 120);
}
await op("Synapse: the 200-then-Failed trap (failOperation fault): nothing created", async () => {
  await control("POST", "faults", { route: "^PUT contoso-synapse\\.dev\\.sandbox\\.localhost/linkedservices/", failOperation: true, count: 1 });
  return trapped(art, `${lsName}Trap`, { type: "AzureMLService", subscriptionId: SUB, resourceGroupName: "rg-ml", mlWorkspaceName: ML, authentication: "MSI" });
});
await op("Synapse: the trap for AzureMLService via a self-hosted IR (demo user on contoso-synapse-shir)", async () => {
  const shir = new ArtifactsClient(userCred, DEV("contoso-synapse-shir"));
  return trapped(shir, "AzureMLViaShir", {
    type: "AzureMLService", subscriptionId: SUB, resourceGroupName: "rg-ml", mlWorkspaceName: ML, authentication: "MSI",
    connectVia: { type: "IntegrationRuntimeReference", referenceName: "OnPremisesIR" },
  });
});
await op("Synapse: the trap for AzureMLService in a data-exfiltration-protected workspace", async () => {
  const dep = new ArtifactsClient(userCred, DEV("contoso-synapse-dep"));
  return trapped(dep, "AzureMLInDep", { type: "AzureMLService", subscriptionId: SUB, resourceGroupName: "rg-ml", mlWorkspaceName: ML, authentication: "MSI" });
});

const ac = new AccessControlClient(secretCred, DEV(ws));
await op("Synapse RBAC: role definitions are a bare array, get by id, scopes", async () => {
  const l = await ac.roleDefinitions.listRoleDefinitions();
  const names = l.map((d) => d.name);
  assert(Array.isArray(l) && names.includes("Synapse Administrator") && names.includes("Synapse Credential User"), names.join());
  const d = await ac.roleDefinitions.getRoleDefinitionById(SYN.contributor);
  assert(d.name === "Synapse Contributor", JSON.stringify(d));
  const s = await ac.roleDefinitions.listScopes();
  assert(s.includes(`workspaces/${ws}`), JSON.stringify(s));
  return `${l.length} roles`;
});
const synRa = guid();
await op("Synapse RBAC: role assignment create, get, list (continuation paging), delete", async () => {
  const r = await ac.roleAssignments.createRoleAssignment(synRa, SYN.credUser, E.SYNWIZ_SANDBOX_USER_OBJECT_ID, `workspaces/${ws}`, { principalType: "User" });
  assert(r.id === synRa && r.roleDefinitionId === SYN.credUser, JSON.stringify(r));
  const g = await ac.roleAssignments.getRoleAssignmentById(synRa);
  assert(g.principalId === E.SYNWIZ_SANDBOX_USER_OBJECT_ID, JSON.stringify(g));
  let ids = [];
  let token;
  do {
    const page = await ac.roleAssignments.listRoleAssignments({ continuationToken: token });
    ids.push(...page.value.map((x) => x.id));
    token = page.xMsContinuation;
  } while (token);
  assert(ids.length === 3 && ids.includes(synRa), `${ids.length}: ${ids.join()}`);
  await ac.roleAssignments.deleteRoleAssignmentById(synRa);
  await rejects(ac.roleAssignments.getRoleAssignmentById(synRa), 404);
});
await op("Synapse RBAC: checkAccessSynapseRbac", async () => {
  const r = await ac.roleAssignments.checkPrincipalAccess({ principalId: E.SYNWIZ_SANDBOX_USER_OBJECT_ID }, [
    { id: "Microsoft.Synapse/workspaces/linkedServices/write", isDataAction: true },
    { id: "Microsoft.Synapse/workspaces/credentials/useSecret/action", isDataAction: true },
  ], `workspaces/${ws}`);
  const d = r.accessDecisions.map((x) => x.accessDecision).join();
  assert(d === "Allowed,NotAllowed", d);
});

// Metastore (preview API, no SDK): the core-rest-pipeline with the SDK's bearer policy.
const pipe = createPipelineFromOptions({});
pipe.addPolicy(bearerTokenAuthenticationPolicy({ credential: secretCred, scopes: "https://dev.azuresynapse.net/.default" }));
const http = createDefaultHttpClient();
async function meta(method, p, body) {
  const req = createPipelineRequest({ url: `${DEV(ws)}/metastore/${p}?api-version=2021-07-01-preview`, method });
  if (body) {
    req.body = JSON.stringify(body);
    req.headers.set("Content-Type", "application/json");
  }
  const res = await pipe.sendRequest(http, req);
  return { status: res.status, body: res.bodyAsText ? JSON.parse(res.bodyAsText) : null };
}
const lakeUrl = (p) => `https://contosolake.dfs.sandbox.localhost:${BLOB_PORT}/customerinsights/${p}`;
await op("Synapse metastore: create-database-operations Creating -> Created, update, delete", async () => {
  const db = `sdk${Date.now().toString(36)}`;
  // The metastore makes a database from a CDM folder: a model.json naming Customer.csv.
  const lake = new BlobServiceClient(`https://contosolake.blob.sandbox.localhost:${BLOB_PORT}`, secretCred).getContainerClient("customerinsights");
  const head = (await lake.getBlobClient("source/Customer/Customer.csv").downloadToBuffer()).toString("utf8").split("\r\n")[0].split(",");
  const model = JSON.stringify({ name: "sdk", version: "1.0", entities: [{ $type: "LocalEntity", name: "Customer",
    attributes: head.map((n) => ({ name: n, dataType: "string" })),
    partitions: [{ name: "Customer_1", location: lakeUrl("source/Customer/Customer.csv"), fileFormatSettings: { $type: "CsvFormatSettings", columnHeaders: true } }] }] });
  await lake.getBlockBlobClient("sdk/cdm/model.json").upload(model, Buffer.byteLength(model));
  const c = await meta("PUT", `create-database-operations/${db}`, { inputFolder: lakeUrl("sdk/cdm/") });
  assert(c.status === 201 && c.body.status === "Running", JSON.stringify(c));
  const seen = [];
  for (let i = 0; i < 50; i++) {
    const g = await meta("GET", `create-database-operations/${db}`);
    seen.push(g.body.status);
    if (g.body.status !== "Creating") break;
    await sleep(50);
  }
  assert(seen[0] === "Creating" && seen.at(-1) === "Created", seen.join());
  const u = await meta("PUT", `update-database-operations/${db}`, { inputFolder: lakeUrl("sdk/cdm/") });
  assert(u.status === 201, JSON.stringify(u));
  const d = await meta("DELETE", `databases/${db}`);
  assert(d.status === 204, JSON.stringify(d));
  return [...new Set(seen)].join(" -> ");
});
await op("Synapse metastore: an empty input folder ends Failed; a bad name is 400", async () => {
  const db = `nofolder${Date.now().toString(36)}`;
  await meta("PUT", `create-database-operations/${db}`, { inputFolder: lakeUrl("no/such/folder/") });
  let g;
  for (let i = 0; i < 50; i++) {
    g = await meta("GET", `create-database-operations/${db}`);
    if (g.body.status !== "Creating") break;
    await sleep(50);
  }
  assert(g.body.status === "Failed", JSON.stringify(g));
  const bad = await meta("PUT", "create-database-operations/not_alnum", { inputFolder: lakeUrl("source/") });
  assert(bad.status === 400, JSON.stringify(bad));
});
await op("Synapse: an AzureMLService property Azure does not know gives 400 naming it", async () => {
  const req = createPipelineRequest({ url: `${DEV(ws)}/linkedservices/BadProp?api-version=2020-12-01`, method: "PUT" });
  req.body = JSON.stringify({ properties: { type: "AzureMLService", typeProperties: { subscriptionId: SUB, resourceGroupName: "rg-ml", mlWorkspaceName: ML, credential: "x" } } });
  req.headers.set("Content-Type", "application/json");
  const res = await pipe.sendRequest(http, req);
  const b = JSON.parse(res.bodyAsText);
  assert(res.status === 400 && /typeProperties\.credential/.test(b.error.message), res.bodyAsText);
});

await op("ARM: an expired token gives 401 ExpiredAuthenticationToken", async () => {
  const c = new ClientSecretCredential(TENANT, E.SYNWIZ_SANDBOX_CLIENT_ID, E.SYNWIZ_SANDBOX_CLIENT_SECRET, idOpts);
  const client = new SubscriptionClient(c, armOpts);
  await client.subscriptions.get(SUB);
  await control("POST", "expire-tokens");
  await rejects(client.subscriptions.get(SUB), 401, "ExpiredAuthenticationToken");
});
await control("POST", "reset");
console.log(`sdk contract: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
