// Azure Resource Manager (management.sandbox.localhost): subscriptions, tenants, resource
// groups, Synapse workspaces (+ Spark pools, integration runtimes), storage accounts and blob
// containers (backed by Azurite), Azure ML workspaces, and Microsoft.Authorization role
// assignments, role definitions and permissions; the generic reads of Microsoft.Resources
// (resources of any type with $filter, resource providers) and the anonymous cloud metadata.
// Every call is authorized like ARM does.
import { HttpError, send, lc, eqi, isGuid, iso, page, nextLinkFor, readBody, parseJson, clone } from "./util.mjs";
import { ARM_AUDIENCES } from "./tokens.mjs";
import { scopeCovers } from "./authz.mjs";
import { check } from "./validate.mjs";

const G = "[0-9a-fA-F-]{36}";

// The regions a provider offers its types in (display names, as Providers_Get answers them).
const LOCATIONS = ["West Europe", "North Europe", "East US", "East US 2", "West US 2", "UK South"];
const RT = (type, apiVersions, capabilities, global) => ({ type, apiVersions, capabilities, global });
const SYNAPSE_V = ["2021-06-01", "2021-06-01-preview", "2021-05-01", "2021-04-01-preview", "2021-03-01", "2020-12-01", "2019-06-01-preview"];
const STORAGE_V = ["2025-01-01", "2024-01-01", "2023-05-01", "2023-01-01", "2022-09-01", "2022-05-01", "2021-09-01", "2021-06-01", "2021-04-01", "2019-06-01"];
const ML_V = ["2024-10-01", "2024-04-01", "2023-10-01", "2023-04-01", "2022-10-01", "2022-05-01", "2024-10-01-preview"];
const AUTHZ_V = ["2022-04-01", "2020-10-01-preview", "2018-01-01-preview", "2015-07-01"];
const RES_V = ["2025-03-01", "2024-11-01", "2024-03-01", "2022-12-01", "2022-09-01", "2021-04-01", "2020-06-01"];
const TRACKED = "CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SupportsTags, SupportsLocation";
/** The resource providers the sandbox serves (newest api-version first, as `az resource show` expects). */
const PROVIDERS = [
  { namespace: "Microsoft.Synapse", resourceTypes: [
    RT("workspaces", SYNAPSE_V, "SystemAssignedResourceIdentity, SupportsTags, SupportsLocation"),
    RT("workspaces/bigDataPools", SYNAPSE_V, "SupportsTags, SupportsLocation"),
    RT("workspaces/integrationRuntimes", SYNAPSE_V),
    RT("operations", SYNAPSE_V, undefined, true),
  ] },
  { namespace: "Microsoft.Storage", resourceTypes: [
    RT("storageAccounts", STORAGE_V, TRACKED),
    RT("storageAccounts/blobServices", STORAGE_V),
    RT("storageAccounts/blobServices/containers", STORAGE_V),
    RT("operations", STORAGE_V, undefined, true),
  ] },
  { namespace: "Microsoft.MachineLearningServices", resourceTypes: [
    RT("workspaces", ML_V, "SystemAssignedResourceIdentity, SupportsTags, SupportsLocation"),
    RT("operations", ML_V, undefined, true),
  ] },
  { namespace: "Microsoft.Authorization", resourceTypes: [
    RT("roleAssignments", AUTHZ_V, "SupportsExtension", true),
    RT("roleDefinitions", AUTHZ_V, "SupportsExtension", true),
    RT("permissions", AUTHZ_V, "SupportsExtension", true),
  ] },
  { namespace: "Microsoft.Resources", resourceTypes: [
    RT("subscriptions", RES_V, undefined, true),
    RT("tenants", RES_V, undefined, true),
    RT("resourceGroups", RES_V, "CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SupportsTags, SupportsLocation"),
    RT("subscriptions/resources", RES_V, undefined, true),
    RT("subscriptions/providers", RES_V, undefined, true),
  ] },
];
const N = "[^/]+";

export class Arm {
  constructor(state, tokens, authz, storage) {
    this.state = state;
    this.tokens = tokens;
    this.authz = authz;
    this.storage = storage;
  }

  async handle(req, res, url) {
    const p = url.pathname.replace(/\/+$/, "") || "/";
    if (!url.searchParams.get("api-version"))
      throw new HttpError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
    // The cloud's metadata is anonymous, as in Azure (`az cloud register` reads it before any sign-in).
    if (req.method === "GET" && /^\/metadata\/endpoints$/i.test(p)) return this.metadataEndpoints(req, res, url);
    const ctx = { ...this.tokens.authenticate(req, ARM_AUDIENCES), req, res, url };
    const M = req.method;
    let m;
    // Microsoft.Authorization at any scope
    if ((m = new RegExp(`^(.*?)/providers/Microsoft\\.Authorization/(roleAssignments|roleDefinitions|permissions)(?:/(${N}))?$`, "i").exec(p)))
      return this.authorization(ctx, M, m[1] || "", lc(m[2]), m[3]);
    if (M === "GET" && /^\/subscriptions$/i.test(p)) return this.listSubscriptions(ctx);
    if (M === "GET" && /^\/tenants$/i.test(p)) return this.listTenants(ctx);
    if ((m = new RegExp(`^/subscriptions/(${N})(/.*)?$`, "i").exec(p))) return this.inSubscription(ctx, M, m[1], m[2] || "");
    throw new HttpError(404, "NotFound", `The requested path '${p}' is not served by this resource manager.`);
  }

  // ---------- cloud metadata ----------

  /**
   * GET /metadata/endpoints: the cloud's endpoints, in the shape of the api-version asked for
   * (2022-09-01 and later: one object; 2019-05-01 .. 2020-06-01: a list of clouds; older: the
   * 2015-01-01 form). Token audiences are the public cloud's (the sandbox issues those), URLs
   * and host suffixes are the sandbox's, with their ports, because clients build URLs from them.
   */
  metadataEndpoints(req, res, url) {
    const P = this.state.rt.ports.sandbox;
    const A = this.state.authority;
    const cloud = {
      portal: `https://portal.sandbox.localhost:${P}`,
      authentication: {
        loginEndpoint: `${A}/`,
        audiences: ["https://management.core.windows.net/", "https://management.azure.com/"],
        tenant: "common",
        identityProvider: "AAD",
      },
      media: "https://rest.media.azure.net",
      graphAudience: "https://graph.windows.net/",
      graph: "https://graph.windows.net/",
      name: "SynwizSandbox",
      suffixes: {
        azureDataLakeStoreFileSystem: "azuredatalakestore.net",
        acrLoginServer: "azurecr.io",
        sqlServerHostname: "database.windows.net",
        azureDataLakeAnalyticsCatalogAndJob: "azuredatalakeanalytics.net",
        keyVaultDns: "vault.azure.net",
        storage: `sandbox.localhost:${this.state.rt.ports.azurite}`,
        azureFrontDoorEndpointSuffix: "azurefd.net",
        storageSyncEndpointSuffix: "afs.azure.net",
        mhsmDns: "managedhsm.azure.net",
        mysqlServerEndpoint: "mysql.database.azure.com",
        postgresqlServerEndpoint: "postgres.database.azure.com",
        mariadbServerEndpoint: "mariadb.database.azure.com",
        synapseAnalytics: `dev.sandbox.localhost:${P}`,
        attestationEndpoint: "attest.azure.net",
      },
      batch: "https://batch.core.windows.net/",
      resourceManager: `${this.state.armBase}/`,
      vmImageAliasDoc: "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json",
      activeDirectoryDataLake: "https://datalake.azure.net/",
      sqlManagement: "https://management.core.windows.net:8443/",
      gallery: "https://gallery.azure.com/",
      microsoftGraphResourceId: `${this.state.graphBase}/`,
      appInsightsResourceId: "https://api.applicationinsights.io",
      appInsightsTelemetryChannelResourceId: "https://dc.applicationinsights.azure.com/v2/track",
      attestationResourceId: "https://attest.azure.net",
      synapseAnalyticsResourceId: "https://dev.azuresynapse.net",
      logAnalyticsResourceId: "https://api.loganalytics.io",
      ossrDbmsResourceId: "https://ossrdbms-aad.database.windows.net",
    };
    const v = url.searchParams.get("api-version");
    if (v >= "2022-09-01") return send(req, res, 200, cloud);
    if (v >= "2019-05-01") return send(req, res, 200, [cloud]);
    return send(req, res, 200, {
      galleryEndpoint: cloud.gallery, graphEndpoint: cloud.graph, portalEndpoint: `${cloud.portal}/`,
      authentication: { loginEndpoint: cloud.authentication.loginEndpoint, audiences: cloud.authentication.audiences },
    });
  }

  // ---------- helpers ----------

  /** The subscription, or 404 SubscriptionNotFound when the tenant has none by that id (access is checked later, 403). */
  sub(ctx, subId) {
    const s = this.state.subscription(subId);
    if (!s) throw new HttpError(404, "SubscriptionNotFound", `The subscription '${subId}' could not be found.`);
    return s;
  }

  writable(s) {
    if (s.state !== "Enabled")
      throw new HttpError(409, "ReadOnlyDisabledSubscription",
        `The subscription '${s.subscriptionId}' is disabled and therefore marked as read only. You cannot perform any write actions on this subscription until it is re-enabled.`);
  }

  rg(s, name) {
    const r = this.state.resourceGroup(s.subscriptionId, name);
    if (!r) throw new HttpError(404, "ResourceGroupNotFound", `Resource group '${name}' could not be found.`);
    return r;
  }

  notFound(type, name, rg) {
    return new HttpError(404, "ResourceNotFound",
      `The Resource '${type}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
  }

  /** Answer a list with nextLink paging; `items` already filtered. */
  list(ctx, items, extraSize) {
    const size = Math.min(this.state.config.pageSize, extraSize || Infinity);
    const skip = parseInt(ctx.url.searchParams.get("$skiptoken") || "0", 10) || 0;
    const pg = page(items, skip, size);
    const body = { value: pg.items };
    if (pg.next !== null) body.nextLink = nextLinkFor(ctx.req, pg.next, ctx.url);
    send(ctx.req, ctx.res, 200, body);
  }

  /** Filter resources to those the caller may read; 403 when it may read none and has no access at `scope`. */
  readable(ctx, scope, action, resources) {
    const oid = ctx.principal.objectId;
    const out = resources.filter((r) => this.authz.allowed(oid, r.id, action));
    if (!out.length && !this.authz.allowed(oid, scope, action) && !this.authz.anyAccess(oid, scope))
      this.authz.require(ctx, action, scope);
    return out;
  }

  // ---------- subscriptions / tenants ----------

  subJson(s) {
    return {
      id: s.id, authorizationSource: "RoleBased", managedByTenants: [], subscriptionId: s.subscriptionId,
      tenantId: this.state.tenantId, displayName: s.displayName, state: s.state,
      subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" },
    };
  }

  listSubscriptions(ctx) {
    const subs = this.state.subscriptions.filter((s) => this.authz.anyAccess(ctx.principal.objectId, s.id));
    this.list(ctx, subs.map((s) => this.subJson(s)));
  }

  listTenants(ctx) {
    const t = this.state.seed.tenant;
    this.list(ctx, [{
      id: `/tenants/${t.id}`, tenantId: t.id, countryCode: t.countryCode, displayName: t.displayName,
      domains: [t.defaultDomain], tenantCategory: "Home", defaultDomain: t.defaultDomain, tenantType: "AAD",
    }]);
  }

  async inSubscription(ctx, M, subId, rest) {
    const s = this.sub(ctx, subId);
    const oid = ctx.principal.objectId;
    let m;
    if (rest === "" && M === "GET") {
      if (!this.authz.anyAccess(oid, s.id)) throw new HttpError(404, "SubscriptionNotFound", `The subscription '${subId}' could not be found.`);
      return send(ctx.req, ctx.res, 200, this.subJson(s));
    }
    if (/^\/resourcegroups$/i.test(rest) && M === "GET") {
      const rgs = this.state.resourceGroups.filter((r) => eqi(r.subscriptionId, s.subscriptionId));
      return this.list(ctx, this.readable(ctx, s.id, "Microsoft.Resources/subscriptions/resourceGroups/read", rgs).map((r) => this.rgJson(r)));
    }
    if ((m = new RegExp(`^/resourcegroups/(${N})$`, "i").exec(rest)) && M === "GET") {
      const id = `${s.id}/resourceGroups/${m[1]}`;
      this.authz.require(ctx, "Microsoft.Resources/subscriptions/resourceGroups/read", id);
      return send(ctx.req, ctx.res, 200, this.rgJson(this.rg(s, m[1])));
    }
    // generic reads: resources of any type, resource providers
    if (/^\/resources$/i.test(rest) && M === "GET") return this.listResources(ctx, s, null);
    if ((m = new RegExp(`^/resourcegroups/(${N})/resources$`, "i").exec(rest)) && M === "GET") {
      const rg = this.state.resourceGroup(s.subscriptionId, m[1]);
      if (!rg) {
        this.authz.require(ctx, "Microsoft.Resources/subscriptions/resourceGroups/read", `${s.id}/resourceGroups/${m[1]}`);
        this.rg(s, m[1]);
      }
      return this.listResources(ctx, s, rg);
    }
    if (/^\/providers$/i.test(rest) && M === "GET") {
      this.providersAccess(ctx, s);
      return this.list(ctx, PROVIDERS.map((pr) => this.providerJson(s, pr)));
    }
    if ((m = /^\/providers\/([^/]+)$/i.exec(rest)) && M === "GET") {
      this.providersAccess(ctx, s);
      const pr = PROVIDERS.find((x) => eqi(x.namespace, m[1]));
      if (!pr) throw new HttpError(404, "InvalidResourceNamespace", `The resource namespace '${m[1]}' is invalid.`);
      return send(ctx.req, ctx.res, 200, this.providerJson(s, pr));
    }
    // lists at subscription scope
    if ((m = /^\/providers\/(Microsoft\.Synapse\/workspaces|Microsoft\.Storage\/storageAccounts|Microsoft\.MachineLearningServices\/workspaces)$/i.exec(rest)) && M === "GET")
      return this.listType(ctx, s, null, lc(m[1]));
    if ((m = new RegExp(`^/resourcegroups/(${N})/providers/(Microsoft\\.Synapse/workspaces|Microsoft\\.Storage/storageAccounts|Microsoft\\.MachineLearningServices/workspaces)$`, "i").exec(rest)) && M === "GET") {
      const scope = `${s.id}/resourceGroups/${m[1]}`;
      const rg = this.state.resourceGroup(s.subscriptionId, m[1]);
      if (!rg) {
        this.authz.require(ctx, "Microsoft.Resources/subscriptions/resourceGroups/read", scope);
        this.rg(s, m[1]);
      }
      return this.listType(ctx, s, rg, lc(m[2]));
    }
    if ((m = new RegExp(`^/resourcegroups/(${N})/providers/Microsoft\\.Synapse/workspaces/(${N})(/.*)?$`, "i").exec(rest)))
      return this.synapseWorkspace(ctx, M, s, m[1], m[2], m[3] || "");
    if ((m = new RegExp(`^/resourcegroups/(${N})/providers/Microsoft\\.Storage/storageAccounts/(${N})(/.*)?$`, "i").exec(rest)))
      return this.storageAccount(ctx, M, s, m[1], m[2], m[3] || "");
    if ((m = new RegExp(`^/resourcegroups/(${N})/providers/Microsoft\\.MachineLearningServices/workspaces/(${N})$`, "i").exec(rest)) && M === "GET") {
      const id = `${s.id}/resourceGroups/${m[1]}/providers/Microsoft.MachineLearningServices/workspaces/${m[2]}`;
      this.authz.require(ctx, "Microsoft.MachineLearningServices/workspaces/read", id);
      const rg = this.rg(s, m[1]);
      const ml = this.state.mlWorkspaces.find((w) => eqi(w.name, m[2]) && eqi(w.resourceGroup, rg.name) && eqi(w.subscriptionId, s.subscriptionId));
      if (!ml) throw this.notFound("Microsoft.MachineLearningServices/workspaces", m[2], rg.name);
      return send(ctx.req, ctx.res, 200, this.mlJson(ml));
    }
    if (oid && M !== "GET") this.writable(s);
    throw new HttpError(404, "InvalidResourceType", `The resource type could not be found in the namespace for api-version '${ctx.url.searchParams.get("api-version")}'.`);
  }

  // ---------- generic reads (Microsoft.Resources) ----------

  /** Anyone with access somewhere in the subscription may read its resource providers. */
  providersAccess(ctx, s) {
    if (!this.authz.anyAccess(ctx.principal.objectId, s.id))
      this.authz.require(ctx, "Microsoft.Resources/subscriptions/providers/read", s.id);
  }

  providerJson(s, pr) {
    return {
      id: `${s.id}/providers/${pr.namespace}`, namespace: pr.namespace,
      resourceTypes: pr.resourceTypes.map((t) => ({
        resourceType: t.type, locations: t.global ? [] : LOCATIONS, apiVersions: t.apiVersions,
        ...(t.apiVersions.find((v) => !/preview/i.test(v)) ? { defaultApiVersion: t.apiVersions.find((v) => !/preview/i.test(v)) } : {}),
        capabilities: t.capabilities || "None",
      })),
      registrationState: "Registered", registrationPolicy: "RegistrationRequired",
    };
  }

  /** Every resource the sandbox holds, as Resources_List answers (GenericResourceExpanded), with its read action. */
  allResources(s) {
    const mine = (r) => eqi(r.subscriptionId, s.subscriptionId);
    const out = [];
    for (const w of this.state.workspaces.filter(mine)) {
      const j = this.wsJson(w);
      out.push({ rg: w.resourceGroup, action: "Microsoft.Synapse/workspaces/read", json: { id: j.id, name: j.name, type: j.type, location: j.location, tags: {}, identity: j.identity } });
      for (const p of w.bigDataPools) {
        const pj = this.poolJson(w, p);
        out.push({ rg: w.resourceGroup, action: "Microsoft.Synapse/workspaces/bigDataPools/read", json: { id: pj.id, name: `${w.name}/${p.name}`, type: pj.type, location: pj.location, tags: {} } });
      }
    }
    for (const a of this.state.storageAccounts.filter(mine)) {
      const j = this.saJson(a);
      out.push({ rg: a.resourceGroup, action: "Microsoft.Storage/storageAccounts/read", json: { id: j.id, name: j.name, type: j.type, sku: j.sku, kind: j.kind, location: j.location, tags: {} } });
    }
    for (const ml of this.state.mlWorkspaces.filter(mine)) {
      const j = this.mlJson(ml);
      out.push({ rg: ml.resourceGroup, action: "Microsoft.MachineLearningServices/workspaces/read", json: { id: j.id, name: j.name, type: j.type, sku: j.sku, kind: j.kind, location: j.location, identity: j.identity, tags: {} } });
    }
    return out;
  }

  /**
   * GET /subscriptions/{s}[/resourceGroups/{rg}]/resources with Azure's $filter: resourceGroup,
   * resourceType, name and location with eq (and substringof(...) on name), joined by "and";
   * tagName/tagValue (the sandbox's resources have no tags). $expand adds createdTime,
   * changedTime and provisioningState. What `az resource list` calls.
   */
  listResources(ctx, s, rg) {
    const f = ctx.url.searchParams.get("$filter") || "";
    const tests = [];
    if (f.trim()) {
      for (const clause of f.split(/\s+and\s+/i)) {
        let m;
        if ((m = /^\s*(resourceGroup|resourceType|name|location|tagName|tagValue)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause))) {
          const field = lc(m[1]);
          const v = m[2].replace(/''/g, "'");
          if (field === "resourcegroup") tests.push((r) => eqi(r.rg, v));
          else if (field === "resourcetype") tests.push((r) => eqi(r.json.type, v));
          else if (field === "name") tests.push((r) => eqi(r.json.name, v));
          else if (field === "location") tests.push((r) => eqi(r.json.location, v.replace(/\s+/g, "")));
          else tests.push(() => false); // tagName / tagValue: the sandbox's resources carry no tags
        } else if ((m = /^\s*substringof\(\s*'((?:[^']|'')*)'\s*,\s*name\s*\)\s*$/i.exec(clause))) {
          const v = lc(m[1].replace(/''/g, "'"));
          tests.push((r) => lc(r.json.name).includes(v));
        } else {
          throw new HttpError(400, "InvalidFilterInQueryString",
            `Invalid $filter '${f}' specified in the query string. The sandbox filters on resourceGroup, resourceType, name, location, tagName and tagValue with eq, and substringof(..., name), joined by 'and'.`);
        }
      }
    }
    const scope = rg ? rg.id : s.id;
    const oid = ctx.principal.objectId;
    let items = this.allResources(s).filter((r) => (!rg || eqi(r.rg, rg.name)) && tests.every((t) => t(r)));
    if (!this.authz.anyAccess(oid, scope)) this.authz.require(ctx, "Microsoft.Resources/subscriptions/resources/read", scope);
    items = items.filter((r) => this.authz.allowed(oid, r.json.id, r.action));
    const expand = lc(ctx.url.searchParams.get("$expand") || "");
    return this.list(ctx, items.map((r) => {
      const j = clone(r.json);
      if (expand.includes("createdtime")) j.createdTime = "2025-01-15T09:30:00.0000000Z";
      if (expand.includes("changedtime")) j.changedTime = "2025-01-15T09:30:00.0000000Z";
      if (expand.includes("provisioningstate")) j.provisioningState = "Succeeded";
      return j;
    }));
  }

  listType(ctx, s, rg, type) {
    const scope = rg ? rg.id : s.id;
    const inScope = (r) => eqi(r.subscriptionId, s.subscriptionId) && (!rg || eqi(r.resourceGroup, rg.name));
    if (type === "microsoft.synapse/workspaces")
      return this.list(ctx, this.readable(ctx, scope, "Microsoft.Synapse/workspaces/read", this.state.workspaces.filter(inScope)).map((w) => this.wsJson(w)));
    if (type === "microsoft.storage/storageaccounts")
      return this.list(ctx, this.readable(ctx, scope, "Microsoft.Storage/storageAccounts/read", this.state.storageAccounts.filter(inScope)).map((a) => this.saJson(a)));
    return this.list(ctx, this.readable(ctx, scope, "Microsoft.MachineLearningServices/workspaces/read", this.state.mlWorkspaces.filter(inScope)).map((m) => this.mlJson(m)));
  }

  rgJson(r) {
    return { id: r.id, name: r.name, type: "Microsoft.Resources/resourceGroups", location: r.location, properties: { provisioningState: "Succeeded" } };
  }

  // ---------- Synapse workspaces ----------

  wsJson(w) {
    const st = this.state.storageAccount(w.defaultStorage.account);
    const j = {
      id: w.id, name: w.name, type: "Microsoft.Synapse/workspaces", location: w.location, tags: {},
      identity: { type: "SystemAssigned", principalId: w.identity.principalId, tenantId: this.state.tenantId },
      properties: {
        defaultDataLakeStorage: {
          accountUrl: this.state.dfsEndpoint(w.defaultStorage.account).replace(/\/$/, ""),
          filesystem: w.defaultStorage.filesystem,
          resourceId: st ? st.id : undefined,
          createManagedPrivateEndpoint: !!w.managedVirtualNetwork,
        },
        encryption: { doubleEncryptionEnabled: false },
        provisioningState: "Succeeded",
        connectivityEndpoints: {
          web: `https://web.azuresynapse.net?workspace=${encodeURIComponent(w.id)}`,
          dev: this.state.devEndpoint(w.name),
          sqlOnDemand: `${w.name}-ondemand.sql.sandbox.localhost`,
          sql: `${w.name}.sql.sandbox.localhost`,
        },
        managedResourceGroupName: `synapseworkspace-managedrg-${w.workspaceUID.slice(0, 8)}`,
        sqlAdministratorLogin: "sqladminuser",
        privateEndpointConnections: [],
        workspaceUID: w.workspaceUID,
        extraProperties: { WorkspaceType: "Normal", IsScopeEnabled: false },
        publicNetworkAccess: w.publicNetworkAccess,
        cspWorkspaceAdminProperties: { initialWorkspaceAdminObjectId: null },
        trustedServiceBypassEnabled: false,
        azureADOnlyAuthentication: false,
      },
    };
    if (w.managedVirtualNetwork) {
      j.properties.managedVirtualNetwork = "default";
      j.properties.managedVirtualNetworkSettings = {
        preventDataExfiltration: !!w.preventDataExfiltration,
        linkedAccessCheckOnTargetResource: false,
        allowedAadTenantIdsForLinking: [this.state.tenantId],
      };
    }
    return j;
  }

  async synapseWorkspace(ctx, M, s, rgName, wsName, rest) {
    const wsId = `${s.id}/resourceGroups/${rgName}/providers/Microsoft.Synapse/workspaces/${wsName}`;
    let m;
    const find = () => {
      const rg = this.rg(s, rgName);
      const w = this.state.workspaces.find((x) => eqi(x.name, wsName) && eqi(x.resourceGroup, rg.name) && eqi(x.subscriptionId, s.subscriptionId));
      if (!w) throw this.notFound("Microsoft.Synapse/workspaces", wsName, rg.name);
      return w;
    };
    if (rest === "" && M === "GET") {
      this.authz.require(ctx, "Microsoft.Synapse/workspaces/read", wsId);
      return send(ctx.req, ctx.res, 200, this.wsJson(find()));
    }
    if (/^\/bigDataPools$/i.test(rest) && M === "GET") {
      this.authz.require(ctx, "Microsoft.Synapse/workspaces/bigDataPools/read", wsId);
      const w = find();
      return this.list(ctx, w.bigDataPools.map((p) => this.poolJson(w, p)));
    }
    if ((m = new RegExp(`^/bigDataPools/(${N})$`, "i").exec(rest)) && M === "GET") {
      this.authz.require(ctx, "Microsoft.Synapse/workspaces/bigDataPools/read", `${wsId}/bigDataPools/${m[1]}`);
      const w = find();
      const p = w.bigDataPools.find((x) => eqi(x.name, m[1]));
      if (!p) throw this.notFound("Microsoft.Synapse/workspaces/bigDataPools", `${wsName}/${m[1]}`, rgName);
      return send(ctx.req, ctx.res, 200, this.poolJson(w, p));
    }
    if (/^\/integrationRuntimes$/i.test(rest) && M === "GET") {
      this.authz.require(ctx, "Microsoft.Synapse/workspaces/integrationRuntimes/read", wsId);
      const w = find();
      return this.list(ctx, w.integrationRuntimes.map((ir) => this.irJson(w, ir)));
    }
    if ((m = new RegExp(`^/integrationRuntimes/(${N})(/getStatus)?$`, "i").exec(rest)) && (m[2] ? M === "POST" : M === "GET")) {
      const irId = `${wsId}/integrationRuntimes/${m[1]}`;
      this.authz.require(ctx, m[2] ? "Microsoft.Synapse/workspaces/integrationRuntimes/getStatus/action" : "Microsoft.Synapse/workspaces/integrationRuntimes/read", irId);
      const w = find();
      const ir = w.integrationRuntimes.find((x) => eqi(x.name, m[1]));
      if (!ir) throw this.notFound("Microsoft.Synapse/workspaces/integrationRuntimes", `${wsName}/${m[1]}`, rgName);
      if (!m[2]) return send(ctx.req, ctx.res, 200, this.irJson(w, ir));
      const status = {
        name: ir.name,
        properties: ir.type === "SelfHosted"
          ? {
            type: "SelfHosted", state: ir.state, dataFactoryName: w.name, createTime: "2025-01-15T09:30:00Z",
            taskQueueId: w.workspaceUID, internalChannelEncryption: "NotSet", version: "5.44.8984.1",
            nodes: [{ nodeName: "ONPREM-VM01", machineName: "ONPREM-VM01", hostServiceUri: "https://onprem-vm01:8050/HostServiceRemote.svc/", status: ir.state === "Online" ? "Online" : "Offline", capabilities: { serviceBusConnected: "True", httpsPortEnabled: "True", credentialInSync: "True", connectedToResourceManager: "True", nodeEnabled: "True" }, versionStatus: "UpToDate", version: "5.44.8984.1", registerTime: "2025-01-15T09:40:00Z", lastConnectTime: iso(), isActiveDispatcher: true, maxConcurrentJobs: 8 }],
            updateDelayOffset: "PT19H", localTimeZoneOffset: "PT0S", serviceUrls: [], autoUpdate: "On", versionStatus: "UpToDate",
            links: [], pushedVersion: "5.44.8984.1", latestVersion: "5.44.8984.1", autoUpdateETA: null,
          }
          : { type: "Managed", state: ir.state, dataFactoryName: w.name, createTime: "2025-01-15T09:30:00Z", nodes: [], otherErrors: [] },
      };
      return send(ctx.req, ctx.res, 200, status);
    }
    if (M !== "GET") {
      this.writable(s);
      this.authz.require(ctx, "Microsoft.Synapse/workspaces/write", wsId);
    }
    throw new HttpError(405, "MethodNotAllowed", `The sandbox serves no '${M}' on this Synapse resource.`);
  }

  poolJson(w, p) {
    return {
      id: `${w.id}/bigDataPools/${p.name}`, name: p.name, type: "Microsoft.Synapse/workspaces/bigDataPools", location: w.location, tags: {},
      properties: {
        provisioningState: "Succeeded", autoScale: { enabled: true, minNodeCount: 3, maxNodeCount: 10 },
        creationDate: "2025-01-15T09:45:00Z", autoPause: { enabled: true, delayInMinutes: 15 },
        isComputeIsolationEnabled: false, sessionLevelPackagesEnabled: false, cacheSize: 0,
        dynamicExecutorAllocation: { enabled: false, minExecutors: 1, maxExecutors: 2 },
        lastSucceededTimestamp: "2025-01-15T09:50:00Z", nodeCount: p.nodeCount, nodeSize: p.nodeSize,
        nodeSizeFamily: "MemoryOptimized", sparkVersion: p.sparkVersion, isAutotuneEnabled: false,
      },
    };
  }

  irJson(w, ir) {
    return {
      id: `${w.id}/integrationruntimes/${ir.name}`, name: ir.name, type: "Microsoft.Synapse/workspaces/integrationruntimes",
      etag: `"${w.workspaceUID.slice(0, 8)}-0000-0d00-0000-${ir.name.length.toString(16).padStart(12, "0")}"`,
      properties: ir.type === "SelfHosted"
        ? { type: "SelfHosted", description: "Self-hosted integration runtime on the on-premises network", typeProperties: {} }
        : {
          type: "Managed", description: "Azure integration runtime",
          typeProperties: { computeProperties: { location: "AutoResolve", dataFlowProperties: { computeType: "General", coreCount: 8, timeToLive: 0 } } },
          managedVirtualNetwork: w.managedVirtualNetwork ? { type: "ManagedVirtualNetworkReference", referenceName: "default" } : undefined,
        },
    };
  }

  // ---------- storage ----------

  saJson(a) {
    return {
      sku: { name: "Standard_LRS", tier: "Standard" }, kind: "StorageV2", id: a.id, name: a.name,
      type: "Microsoft.Storage/storageAccounts", location: a.location, tags: {},
      properties: {
        dnsEndpointType: "Standard", defaultToOAuthAuthentication: false, publicNetworkAccess: a.publicNetworkAccess,
        keyCreationTime: { key1: "2025-01-15T09:20:00.0000000Z", key2: "2025-01-15T09:20:00.0000000Z" },
        allowCrossTenantReplication: false, privateEndpointConnections: [], isHnsEnabled: a.isHnsEnabled,
        minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false, allowSharedKeyAccess: true, isSftpEnabled: false,
        isLocalUserEnabled: false, largeFileSharesState: "Enabled", networkAcls: clone(a.networkAcls),
        supportsHttpsTrafficOnly: true,
        encryption: { requireInfrastructureEncryption: false, services: { file: { keyType: "Account", enabled: true, lastEnabledTime: "2025-01-15T09:20:00.0000000Z" }, blob: { keyType: "Account", enabled: true, lastEnabledTime: "2025-01-15T09:20:00.0000000Z" } }, keySource: "Microsoft.Storage" },
        accessTier: "Hot", provisioningState: "Succeeded", creationTime: "2025-01-15T09:20:00.0000000Z",
        primaryEndpoints: { dfs: this.state.dfsEndpoint(a.name), blob: this.state.blobEndpoint(a.name) },
        primaryLocation: a.location, statusOfPrimary: "available",
      },
    };
  }

  containerJson(a, c) {
    return {
      id: `${a.id}/blobServices/default/containers/${c.name}`, name: c.name,
      type: "Microsoft.Storage/storageAccounts/blobServices/containers", etag: c.etag,
      properties: {
        deleted: false, remainingRetentionDays: 0, defaultEncryptionScope: "$account-encryption-key",
        denyEncryptionScopeOverride: false, publicAccess: c.publicAccess === "container" ? "Container" : c.publicAccess === "blob" ? "Blob" : "None",
        leaseStatus: cap(c.leaseStatus), leaseState: cap(c.leaseState),
        lastModifiedTime: c.lastModified ? new Date(c.lastModified).toISOString() : iso(),
        hasImmutabilityPolicy: c.hasImmutabilityPolicy, hasLegalHold: c.hasLegalHold,
      },
    };
  }

  async storageAccount(ctx, M, s, rgName, acct, rest) {
    const aId = `${s.id}/resourceGroups/${rgName}/providers/Microsoft.Storage/storageAccounts/${acct}`;
    const find = () => {
      const rg = this.rg(s, rgName);
      const a = this.state.storageAccounts.find((x) => eqi(x.name, acct) && eqi(x.resourceGroup, rg.name) && eqi(x.subscriptionId, s.subscriptionId));
      if (!a) throw this.notFound("Microsoft.Storage/storageAccounts", acct, rg.name);
      return a;
    };
    let m;
    if (rest === "" && M === "GET") {
      this.authz.require(ctx, "Microsoft.Storage/storageAccounts/read", aId);
      return send(ctx.req, ctx.res, 200, this.saJson(find()));
    }
    if (/^\/blobServices\/default\/containers$/i.test(rest) && M === "GET") {
      this.authz.require(ctx, "Microsoft.Storage/storageAccounts/blobServices/containers/read", `${aId}/blobServices/default`);
      const a = find();
      let cs = await this.storage.listContainers(a.name);
      const f = ctx.url.searchParams.get("$filter");
      const pm = f && /startswith\(\s*name\s*,\s*'([^']*)'\s*\)/i.exec(f);
      if (pm) cs = cs.filter((c) => c.name.startsWith(pm[1]));
      const mps = parseInt(ctx.url.searchParams.get("$maxpagesize") || "0", 10) || undefined;
      return this.list(ctx, cs.map((c) => this.containerJson(a, c)), mps);
    }
    if ((m = new RegExp(`^/blobServices/default/containers/(${N})$`, "i").exec(rest)) && (M === "GET" || M === "PUT")) {
      const cId = `${aId}/blobServices/default/containers/${m[1]}`;
      if (M === "GET") {
        this.authz.require(ctx, "Microsoft.Storage/storageAccounts/blobServices/containers/read", cId);
        const a = find();
        const c = (await this.storage.listContainers(a.name)).find((x) => x.name === m[1]);
        if (!c) throw new HttpError(404, "ContainerNotFound", `The specified container does not exist.\nRequestId:${ctx.res.getHeader?.("x-ms-request-id") || ""}`);
        return send(ctx.req, ctx.res, 200, this.containerJson(a, c));
      }
      this.authz.require(ctx, "Microsoft.Storage/storageAccounts/blobServices/containers/write", cId);
      this.writable(s);
      const a = find();
      const body = parseJson(await readBody(ctx.req), {});
      check("arm-blob-container-create.json", body);
      const name = m[1];
      if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(name))
        throw new HttpError(400, "ContainerOperationFailure", `The specified resource name contains invalid characters.\nRequestId:${Date.now()}`);
      const created = await this.storage.createContainer(a.name, name);
      const c = (await this.storage.listContainers(a.name)).find((x) => x.name === name);
      const j = this.containerJson(a, c);
      const pa = body.properties?.publicAccess;
      if (pa) j.properties.publicAccess = pa;
      return send(ctx.req, ctx.res, created ? 201 : 200, j);
    }
    if (M !== "GET") this.writable(s);
    throw new HttpError(404, "InvalidResourceType", "The resource type could not be found in the namespace 'Microsoft.Storage' for this api-version.");
  }

  // ---------- Azure ML ----------

  mlJson(m) {
    const rgId = `/subscriptions/${m.subscriptionId}/resourceGroups/${m.resourceGroup}`;
    return {
      id: m.id, name: m.name, type: "Microsoft.MachineLearningServices/workspaces", location: m.location, kind: m.kind,
      tags: {}, sku: { name: "Basic", tier: "Basic" },
      identity: { type: "SystemAssigned", principalId: m.principalId, tenantId: this.state.tenantId },
      systemData: { createdAt: "2025-01-15T10:00:00.0000000Z", createdBy: "dana@contoso.onmicrosoft.com", createdByType: "User", lastModifiedAt: "2025-01-15T10:00:00.0000000Z", lastModifiedBy: "dana@contoso.onmicrosoft.com", lastModifiedByType: "User" },
      properties: {
        friendlyName: m.name, description: "Contoso's Azure Machine Learning workspace", provisioningState: "Succeeded",
        workspaceId: m.workspaceId, tenantId: this.state.tenantId,
        storageAccount: `${rgId}/providers/Microsoft.Storage/storageAccounts/${m.name.replace(/-/g, "")}st`,
        keyVault: `${rgId}/providers/Microsoft.KeyVault/vaults/${m.name}-kv`,
        applicationInsights: `${rgId}/providers/Microsoft.Insights/components/${m.name}-ai`,
        containerRegistry: null, hbiWorkspace: false, storageHnsEnabled: false, v1LegacyMode: false,
        discoveryUrl: `https://${m.location}.api.azureml.ms/discovery`,
        mlFlowTrackingUri: `azureml://${m.location}.api.azureml.ms/mlflow/v1.0${m.id}`,
        publicNetworkAccess: "Enabled", privateEndpointConnections: [], privateLinkCount: 0,
        managedNetwork: { isolationMode: "Disabled" }, enableDataIsolation: false,
        notebookInfo: { resourceId: m.workspaceId.replace(/-/g, "").slice(0, 16), fqdn: `ml-${m.name}-${m.location}-${m.workspaceId}.notebooks.azure.net` },
      },
    };
  }

  // ---------- Microsoft.Authorization ----------

  roleDefIdFor(scope, guid) {
    const m = new RegExp(`^/subscriptions/(${G})`, "i").exec(scope);
    return `${m ? `/subscriptions/${m[1]}` : ""}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
  }

  raJson(ra) {
    return {
      properties: {
        roleDefinitionId: this.roleDefIdFor(ra.scope, ra.roleDefinitionGuid), principalId: ra.principalId,
        principalType: ra.principalType, scope: ra.scope, condition: ra.condition ?? null,
        conditionVersion: ra.conditionVersion ?? null, createdOn: ra.createdOn, updatedOn: ra.updatedOn,
        createdBy: ra.createdBy, updatedBy: ra.createdBy, delegatedManagedIdentityResourceId: null,
        description: ra.description || null,
      },
      id: `${ra.scope}/providers/Microsoft.Authorization/roleAssignments/${ra.name}`,
      type: "Microsoft.Authorization/roleAssignments",
      name: ra.name,
    };
  }

  rdJson(scope, r) {
    return {
      id: this.roleDefIdFor(scope, r.id),
      properties: {
        roleName: r.roleName, type: "BuiltInRole", description: r.description, assignableScopes: ["/"],
        permissions: clone(r.permissions), createdOn: "2015-02-02T21:55:09.8806423Z", updatedOn: "2024-04-16T18:30:00.0000000Z",
        createdBy: null, updatedBy: null,
      },
      type: "Microsoft.Authorization/roleDefinitions",
      name: r.id,
    };
  }

  /** A scope must name something that exists (subscription, resource group, known resource). */
  checkScope(ctx, scope) {
    const m = new RegExp(`^/subscriptions/(${N})(?:/resourceGroups/(${N})(/providers/.*)?)?$`, "i").exec(scope);
    if (scope === "") return;
    if (!m) throw new HttpError(400, "InvalidScope", `The scope '${scope}' is not valid.`);
    const s = this.sub(ctx, m[1]);
    if (m[2]) this.rg(s, m[2]);
    return s;
  }

  async authorization(ctx, M, scope, kind, id) {
    if (!scope && kind === "permissions") throw new HttpError(400, "InvalidScope", "A scope is required.");
    const s = this.checkScope(ctx, scope);
    const oid = ctx.principal.objectId;
    const sc = scope || "/";
    if (kind === "permissions") {
      if (M !== "GET" || id) throw new HttpError(405, "MethodNotAllowed", "Only GET is allowed.");
      return this.list(ctx, this.authz.permissions(oid, sc).map((p) => clone(p)));
    }
    if (kind === "roledefinitions") {
      if (M !== "GET") throw new HttpError(405, "MethodNotAllowed", "The sandbox has built-in role definitions only.");
      this.authz.require(ctx, "Microsoft.Authorization/roleDefinitions/read", sc);
      if (id) {
        const r = this.state.roleById(id);
        if (!r) throw new HttpError(404, "RoleDefinitionDoesNotExist", `The specified role definition with ID '${id}' does not exist.`);
        return send(ctx.req, ctx.res, 200, this.rdJson(scope, r));
      }
      let defs = this.state.roleDefinitions;
      const f = ctx.url.searchParams.get("$filter");
      if (f) {
        const n = /roleName\s+eq\s+'([^']*)'/i.exec(f);
        const t = /type\s+eq\s+'([^']*)'/i.exec(f);
        if (!n && !t) throw new HttpError(400, "InvalidFilterInQueryString", `Invalid $filter '${f}' specified in the query string.`);
        if (n) defs = defs.filter((d) => eqi(d.roleName, n[1]));
        if (t && !eqi(t[1], "BuiltInRole")) defs = [];
      }
      return this.list(ctx, defs.map((d) => this.rdJson(scope, d)));
    }
    // role assignments
    if (!id) {
      if (M !== "GET") throw new HttpError(405, "MethodNotAllowed", "Use PUT on a role assignment id.");
      this.authz.require(ctx, "Microsoft.Authorization/roleAssignments/read", sc);
      const f = ctx.url.searchParams.get("$filter") || "";
      let atScope = false;
      let principal = null;
      const rest = f.replace(/atScope\(\)/i, () => { atScope = true; return ""; })
        .replace(/(?:principalId\s+eq\s+'([^']+)'|assignedTo\('([^']+)'\))/i, (_, a, b) => { principal = a || b; return ""; })
        .replace(/\band\b/gi, "").trim();
      if (rest) throw new HttpError(400, "InvalidFilterInQueryString", `Invalid $filter '${f}' specified in the query string.`);
      // Listed at once; authorization uses them only after the propagation delay (as in Azure).
      let list = this.state.roleAssignments.filter((ra) => (atScope ? scopeCovers(ra.scope, sc) : scopeCovers(ra.scope, sc) || scopeCovers(sc, ra.scope)));
      if (principal) list = list.filter((ra) => eqi(ra.principalId, principal));
      return this.list(ctx, list.map((ra) => this.raJson(ra)));
    }
    const ra = this.state.roleAssignments.find((x) => eqi(x.name, id));
    const here = ra && eqi(ra.scope.replace(/\/+$/, ""), scope.replace(/\/+$/, ""));
    if (M === "GET") {
      this.authz.require(ctx, "Microsoft.Authorization/roleAssignments/read", sc);
      if (!here) throw new HttpError(404, "RoleAssignmentNotFound", `The role assignment '${id}' is not found.`);
      return send(ctx.req, ctx.res, 200, this.raJson(ra));
    }
    if (M === "DELETE") {
      this.authz.require(ctx, "Microsoft.Authorization/roleAssignments/delete", sc);
      if (s) this.writable(s);
      if (!here) return send(ctx.req, ctx.res, 204);
      this.state.roleAssignments = this.state.roleAssignments.filter((x) => x !== ra);
      return send(ctx.req, ctx.res, 200, this.raJson(ra));
    }
    if (M !== "PUT") throw new HttpError(405, "MethodNotAllowed", `'${M}' is not allowed on a role assignment.`);
    this.authz.require(ctx, "Microsoft.Authorization/roleAssignments/write", sc);
    if (s) this.writable(s);
    if (!isGuid(id))
      throw new HttpError(400, "InvalidRoleAssignmentId", `The role assignment ID '${id}' is not valid. The role assignment ID must be a GUID.`);
    const body = parseJson(await readBody(ctx.req), {});
    check("arm-role-assignment-create.json", body);
    const props = body.properties;
    if (props.scope && !eqi(props.scope.replace(/\/+$/, ""), scope.replace(/\/+$/, "")))
      throw new HttpError(400, "InvalidCreateRoleAssignmentRequest",
        `The role assignment scope '${props.scope}' in the request body does not match the scope '${scope}' in the request URI.`);
    const guid = props.roleDefinitionId.split("/").pop();
    const subOfDef = new RegExp(`^/subscriptions/(${G})/`, "i").exec(props.roleDefinitionId);
    const subOfScope = new RegExp(`^/subscriptions/(${G})`, "i").exec(scope);
    if (subOfDef && (!subOfScope || !eqi(subOfDef[1], subOfScope[1])))
      throw new HttpError(400, "InvalidRoleDefinitionId", `The role definition ID '${props.roleDefinitionId}' is not valid for the scope '${scope}'.`);
    const role = this.state.roleById(guid);
    if (!role) throw new HttpError(400, "RoleDefinitionDoesNotExist", `The specified role definition with ID '${guid}' does not exist.`);
    const p = this.state.principal(props.principalId);
    if (!p)
      throw new HttpError(400, "PrincipalNotFound",
        `Principal ${props.principalId.replace(/-/g, "")} does not exist in the directory ${this.state.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`);
    if (props.principalType && !["ForeignGroup"].includes(props.principalType) && props.principalType !== p.principalType)
      throw new HttpError(400, "UnmatchedPrincipalType",
        `The PrincipalId '${props.principalId.replace(/-/g, "")}' has type '${p.principalType}' , which is different from specified PrincipalType '${props.principalType}'.`);
    if (ra) {
      const same = here && eqi(ra.principalId, props.principalId) && eqi(ra.roleDefinitionGuid, guid);
      if (!same)
        throw new HttpError(400, "RoleAssignmentUpdateNotPermitted",
          "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
      return send(ctx.req, ctx.res, 201, this.raJson(ra));
    }
    const dup = this.state.roleAssignments.find((x) => eqi(x.principalId, props.principalId) && eqi(x.roleDefinitionGuid, guid) &&
      eqi(x.scope.replace(/\/+$/, ""), scope.replace(/\/+$/, "")));
    if (dup) throw new HttpError(409, "RoleAssignmentExists", "The role assignment already exists.");
    const now = Date.now();
    const rec = {
      name: lc(id), scope: canonicalScope(scope), roleDefinitionGuid: role.id, principalId: lc(props.principalId),
      principalType: p.principalType, description: props.description || "", condition: props.condition ?? null,
      conditionVersion: props.conditionVersion ?? null, createdOn: iso(now), updatedOn: iso(now),
      createdBy: ctx.principal.objectId, effectiveAt: now + this.state.config.propagationSeconds * 1000,
    };
    this.state.roleAssignments.push(rec);
    return send(ctx.req, ctx.res, 201, this.raJson(rec));
  }
}

function cap(s) {
  s = String(s || "");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** ARM's canonical casing of the scope segments we know. */
function canonicalScope(scope) {
  return scope.replace(/\/resourcegroups\//i, "/resourceGroups/").replace(/\/subscriptions\//i, "/subscriptions/");
}
