// The sandbox's world: the seeded tenant (seed/tenant.json) turned into resources with ARM
// ids, principals, role assignments, Synapse artifacts, and everything created since.
// reset() puts it back to the seed. Secrets come from the runtime, never from the seed.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { clone, eqi, lc, iso } from "./util.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const SEED_FILE = path.join(here, "..", "seed", "tenant.json");

export const DEFAULT_CONFIG = Object.freeze({
  pageSize: 100,
  propagationSeconds: 0,
  tokenLifetimeSeconds: 3600,
  pipelineStepMs: 1000,
  operationMs: 1000,
  deviceCodeIntervalSeconds: 1,
  deviceCodeLifetimeSeconds: 900,
});

export const ROLE_DEF_PATH = "/providers/Microsoft.Authorization/roleDefinitions/";

export class State {
  /** rt: {ports:{sandbox,azurite}, secrets:{...}, certPem, suffix} */
  constructor(rt) {
    this.rt = rt;
    this.seed = JSON.parse(fs.readFileSync(SEED_FILE, "utf8"));
    this.tenantId = this.seed.tenant.id;
    this.reset();
  }

  get authority() {
    return `https://login.sandbox.localhost:${this.rt.ports.sandbox}`;
  }
  get graphBase() {
    return `https://graph.sandbox.localhost:${this.rt.ports.sandbox}`;
  }
  get armBase() {
    return `https://management.sandbox.localhost:${this.rt.ports.sandbox}`;
  }
  blobEndpoint(acct) {
    return `https://${acct}.blob.sandbox.localhost:${this.rt.ports.azurite}/`;
  }
  dfsEndpoint(acct) {
    return `https://${acct}.dfs.sandbox.localhost:${this.rt.ports.azurite}/`;
  }
  devEndpoint(ws) {
    return `https://${ws}.dev.sandbox.localhost:${this.rt.ports.sandbox}`;
  }

  reset() {
    const s = this.seed;
    this.config = { ...DEFAULT_CONFIG };
    this.faults = [];
    this.createdSeq = 0;
    this.principals = new Map(); // oid -> principal
    const addP = (p) => this.principals.set(lc(p.objectId), p);
    for (const u of s.users)
      addP({ kind: "User", principalType: "User", objectId: u.objectId, upn: u.userPrincipalName,
        name: u.displayName, givenName: u.givenName, surname: u.surname });
    for (const a of s.applications)
      addP({ kind: "ServicePrincipal", principalType: "ServicePrincipal", objectId: a.objectId,
        appId: a.appId, name: a.name, credential: a.credential || null, publicClient: !!a.publicClient,
        deviceCode: !!a.deviceCode, firstParty: !!a.firstParty });
    for (const m of s.managedIdentities)
      addP({ kind: "ManagedIdentity", principalType: "ServicePrincipal", objectId: m.principalId,
        appId: m.clientId, name: m.name, resourceId: m.resourceId, isDefaultMi: !!m.default });

    this.subscriptions = [];
    this.resourceGroups = [];
    this.workspaces = [];
    this.storageAccounts = [];
    this.mlWorkspaces = [];
    for (const sub of s.subscriptions) {
      const subId = `/subscriptions/${sub.subscriptionId}`;
      this.subscriptions.push({ ...sub, id: subId, resourceGroups: undefined });
      for (const rg of sub.resourceGroups) {
        const rgId = `${subId}/resourceGroups/${rg.name}`;
        this.resourceGroups.push({ id: rgId, name: rg.name, location: rg.location, subscriptionId: sub.subscriptionId });
        for (const ws of rg.synapseWorkspaces) {
          const w = clone(ws);
          w.id = `${rgId}/providers/Microsoft.Synapse/workspaces/${ws.name}`;
          w.location = rg.location;
          w.subscriptionId = sub.subscriptionId;
          w.resourceGroup = rg.name;
          w.pipelines = new Map();
          for (const pn of ws.pipelines) this.putPipeline(w, pn, { name: pn, properties: clone(s.pipelines[pn]) }, true);
          w.linkedServices = new Map();
          const dsa = ws.defaultStorage.account;
          this.putLinkedService(w, `${ws.name}-WorkspaceDefaultStorage`, {
            name: `${ws.name}-WorkspaceDefaultStorage`,
            properties: { type: "AzureBlobFS", typeProperties: { url: `https://${dsa}.dfs.sandbox.localhost:${this.rt.ports.azurite}` } },
          });
          w.databases = new Map();
          this.workspaces.push(w);
          addP({ kind: "WorkspaceIdentity", principalType: "ServicePrincipal", objectId: ws.identity.principalId,
            appId: ws.identity.clientId, name: ws.name, resourceId: w.id });
        }
        for (const sa of rg.storageAccounts) {
          const a = clone(sa);
          a.id = `${rgId}/providers/Microsoft.Storage/storageAccounts/${sa.name}`;
          a.location = rg.location;
          a.subscriptionId = sub.subscriptionId;
          a.resourceGroup = rg.name;
          this.storageAccounts.push(a);
        }
        for (const ml of rg.mlWorkspaces) {
          const m = clone(ml);
          m.id = `${rgId}/providers/Microsoft.MachineLearningServices/workspaces/${ml.name}`;
          m.location = rg.location;
          m.subscriptionId = sub.subscriptionId;
          m.resourceGroup = rg.name;
          this.mlWorkspaces.push(m);
          addP({ kind: "WorkspaceIdentity", principalType: "ServicePrincipal", objectId: ml.principalId,
            appId: null, name: ml.name, resourceId: m.id });
        }
      }
    }

    this.roleDefinitions = s.armRoleDefinitions.map((d) => ({ ...clone(d) }));
    this.synapseRoleDefinitions = s.synapseRoleDefinitions.map((d) => clone(d));
    const t0 = Date.parse("2025-01-15T09:30:00Z");
    this.roleAssignments = s.roleAssignments.map((ra) => ({
      name: ra.id,
      scope: ra.scope,
      roleDefinitionGuid: this.roleByName(ra.role).id,
      principalId: this.resolveSeedPrincipal(ra.principal).objectId,
      principalType: this.resolveSeedPrincipal(ra.principal).principalType,
      description: "",
      createdOn: iso(t0),
      updatedOn: iso(t0),
      createdBy: null,
      effectiveAt: 0,
    }));
    this.synapseRoleAssignments = s.synapseRoleAssignments.map((ra) => ({
      id: ra.id,
      workspace: ra.workspace,
      roleDefinitionId: this.synapseRoleByName(ra.role).id,
      principalId: this.resolveSeedPrincipal(ra.principal).objectId,
      principalType: this.resolveSeedPrincipal(ra.principal).principalType,
      scope: `workspaces/${ra.workspace}`,
      effectiveAt: 0,
    }));
    this.runs = new Map(); // runId -> run (with workspace name)
    this.operations = new Map(); // operation id -> LRO
    this.deviceCodes = new Map(); // device_code -> record
    this.userCodes = new Map(); // user_code -> device_code
    this.timers?.forEach((t) => clearTimeout(t));
    this.timers = new Set();
  }

  later(ms, fn) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  resolveSeedPrincipal(ref) {
    if (ref.startsWith("workspace:")) {
      const w = this.workspace(ref.slice(10));
      return this.principals.get(lc(w.identity.principalId));
    }
    for (const p of this.principals.values()) if (eqi(p.upn, ref) || eqi(p.name, ref)) return p;
    throw new Error(`seed: unknown principal ${ref}`);
  }
  principal(oid) {
    return this.principals.get(lc(oid)) || null;
  }
  principalByAppId(appId) {
    for (const p of this.principals.values()) if (p.appId && eqi(p.appId, appId)) return p;
    return null;
  }
  app(appId) {
    const p = this.principalByAppId(appId);
    return p && p.kind === "ServicePrincipal" ? p : null;
  }
  roleByName(n) {
    const r = this.roleDefinitions.find((d) => eqi(d.roleName, n));
    if (!r) throw new Error(`seed: unknown role ${n}`);
    return r;
  }
  roleById(guid) {
    return this.roleDefinitions.find((d) => eqi(d.id, guid)) || null;
  }
  synapseRoleByName(n) {
    const r = this.synapseRoleDefinitions.find((d) => eqi(d.name, n));
    if (!r) throw new Error(`seed: unknown Synapse role ${n}`);
    return r;
  }
  subscription(id) {
    return this.subscriptions.find((s) => eqi(s.subscriptionId, id)) || null;
  }
  resourceGroup(sub, rg) {
    return this.resourceGroups.find((r) => eqi(r.subscriptionId, sub) && eqi(r.name, rg)) || null;
  }
  workspace(name) {
    return this.workspaces.find((w) => eqi(w.name, name)) || null;
  }
  storageAccount(name) {
    return this.storageAccounts.find((a) => eqi(a.name, name)) || null;
  }

  putPipeline(ws, name, body, seeded = false) {
    const rec = {
      id: `${ws.id}/pipelines/${name}`,
      name,
      type: "Microsoft.Synapse/workspaces/pipelines",
      etag: `"${(++this.createdSeq).toString(16).padStart(8, "0")}-0000-0d00-0000-${Date.now().toString(16).slice(-12).padStart(12, "0")}"`,
      properties: body.properties,
      seeded,
    };
    ws.pipelines.set(lc(name), rec);
    return rec;
  }
  putLinkedService(ws, name, body) {
    const rec = {
      id: `${ws.id}/linkedservices/${name}`,
      name,
      type: "Microsoft.Synapse/workspaces/linkedservices",
      etag: `"${(++this.createdSeq).toString(16).padStart(8, "0")}-0000-0d00-0000-${Date.now().toString(16).slice(-12).padStart(12, "0")}"`,
      properties: body.properties,
    };
    ws.linkedServices.set(lc(name), rec);
    return rec;
  }

  /** The state as `GET /_sandbox/state` shows it: secrets masked. */
  dump() {
    const mask = (v) => maskSecrets(clone(v));
    return {
      tenant: this.seed.tenant,
      config: this.config,
      ports: this.rt.ports,
      faults: this.faults.map((f) => ({ ...f, re: undefined })),
      principals: [...this.principals.values()].map((p) => ({ ...p, credential: p.credential ? "(generated at start)" : undefined })),
      subscriptions: this.subscriptions,
      resourceGroups: this.resourceGroups,
      workspaces: this.workspaces.map((w) => ({
        name: w.name, id: w.id,
        pipelines: [...w.pipelines.values()].map((p) => p.name),
        linkedServices: [...w.linkedServices.values()].map((l) => mask({ name: l.name, properties: l.properties })),
        databases: [...w.databases.values()],
      })),
      storageAccounts: this.storageAccounts.map((a) => ({ name: a.name, id: a.id, isHnsEnabled: a.isHnsEnabled })),
      mlWorkspaces: this.mlWorkspaces.map((m) => ({ name: m.name, id: m.id })),
      roleAssignments: this.roleAssignments,
      synapseRoleAssignments: this.synapseRoleAssignments,
      runs: [...this.runs.values()].map((r) => ({ runId: r.runId, workspace: r.workspace, pipelineName: r.pipelineName, status: r.status, message: r.message })),
      operations: [...this.operations.values()].map((o) => ({ id: o.id, kind: o.kind, status: o.status })),
      deviceCodes: [...this.deviceCodes.values()].map((d) => ({ user_code: d.userCode, state: d.state, client_id: d.clientId })),
    };
  }
}

/** Replace the value of every SecureString (and any property named like a key or secret) by asterisks. */
export function maskSecrets(v) {
  if (Array.isArray(v)) return v.map(maskSecrets);
  if (v && typeof v === "object") {
    if (v.type === "SecureString" && "value" in v) return { ...v, value: "**********" };
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      if (/^(accountKey|password|clientSecret|servicePrincipalKey|sasToken|connectionString)$/i.test(k) && typeof x === "string")
        out[k] = "**********";
      else out[k] = maskSecrets(x);
    }
    return out;
  }
  return v;
}
