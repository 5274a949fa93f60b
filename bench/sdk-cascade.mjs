// The peer of `synwiz connection new --dry-run` in bench/cascade.sh: the Azure SDK for
// JavaScript (pinned in tests/contract) making the same reads, in the same order, one after
// the other where synwiz waits for one before the next and side by side (Promise.all) where
// synwiz sends them together (read from the sandbox's server.log of a synwiz run), signed in
// the same way (client credentials of the sandbox's synwiz-automation, one token per
// audience, asked for when first needed, as the SDK does).
//   1. subscriptions, 2. workspaces, 3. storage accounts, 4. the account's containers,
//   5. the chosen workspace (the wizard's fields, checked one at a time)
//   6. the prerequisites check, together: the account, the subscriptions, three
//      role-assignment lists, the permissions on the account, and on the workspace's dev
//      endpoint the access check, the Synapse role definitions and the caller's Synapse
//      role assignments
//   7. the ARM role definitions those assignments name, together
// usage: node --import ../tests/contract/dns-localhost.mjs sdk-cascade.mjs
// with the variables of `synwiz sandbox env`, AZURE_TENANT_ID/CLIENT_ID/CLIENT_SECRET, and
// NODE_EXTRA_CA_CERTS naming the sandbox's CA. Prints the number of calls made.
import { createRequire } from "node:module";

const require = createRequire(new URL("../tests/contract/package.json", import.meta.url));
const { ClientSecretCredential } = require("@azure/identity");
const { SubscriptionClient } = require("@azure/arm-resources-subscriptions");
const { SynapseManagementClient } = require("@azure/arm-synapse");
const { StorageManagementClient } = require("@azure/arm-storage");
const { AuthorizationManagementClient } = require("@azure/arm-authorization");
const { AccessControlClient } = require("@azure/synapse-access-control");

const E = process.env;
const RG = "rg-analytics";
const WS = "contoso-synapse";
const LAKE = "contosolake";
const ARM_SCOPE = ["https://management.azure.com/.default"];
const cred = new ClientSecretCredential(E.AZURE_TENANT_ID, E.AZURE_CLIENT_ID, E.AZURE_CLIENT_SECRET, {
  authorityHost: E.SYNWIZ_SANDBOX_AUTHORITY,
  disableInstanceDiscovery: true,
});
const armOpts = { endpoint: E.SYNWIZ_SANDBOX_ARM, credentialScopes: ARM_SCOPE };
let calls = 0;
const all = async (it) => {
  const out = [];
  for await (const x of it) out.push(x);
  calls++;
  return out;
};
const one = async (p) => {
  const r = await p;
  calls++;
  return r;
};

const subs = new SubscriptionClient(cred, armOpts);
const sub = (await all(subs.subscriptions.list())).find((s) => s.displayName === "Contoso Analytics").subscriptionId;
const syn = new SynapseManagementClient(cred, sub, armOpts);
const sto = new StorageManagementClient(cred, sub, armOpts);
const authz = new AuthorizationManagementClient(cred, sub, armOpts);

await all(syn.workspaces.list());
await all(sto.storageAccounts.list());
await all(sto.blobContainers.list(RG, LAKE));
const ws = await one(syn.workspaces.get(RG, WS));

// synwiz reads the caller's object id from its token; asking the credential for the token
// here would cost the SDK a second token request, so the id comes from the sandbox's env.
const oid = E.SYNWIZ_SANDBOX_CLIENT_OBJECT_ID;
const mi = ws.identity.principalId;
const wsScope = `/subscriptions/${sub}/resourceGroups/${RG}/providers/Microsoft.Synapse/workspaces/${WS}`;
const lakeScope = `/subscriptions/${sub}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/${LAKE}`;
const ac = new AccessControlClient(cred, ws.connectivityEndpoints.dev);
const actions = [
  "Microsoft.Synapse/workspaces/pipelines/write",
  "Microsoft.Synapse/workspaces/databases/write",
  "Microsoft.Synapse/workspaces/credentials/useSecret/action",
].map((id) => ({ id, isDataAction: true }));
const [, , raWs, raLakeMe, raLakeMi] = await Promise.all([
  one(sto.storageAccounts.getProperties(RG, LAKE)),
  all(subs.subscriptions.list()),
  all(authz.roleAssignments.listForScope(wsScope, { filter: `atScope() and assignedTo('${oid}')` })),
  all(authz.roleAssignments.listForScope(lakeScope, { filter: `assignedTo('${oid}')` })),
  all(authz.roleAssignments.listForScope(lakeScope, { filter: `assignedTo('${mi}')` })),
  all(authz.permissions.listForResource(RG, "Microsoft.Storage", "", "storageAccounts", LAKE)),
  one(ac.roleAssignments.checkPrincipalAccess({ principalId: oid, groupIds: [] }, actions, `workspaces/${WS}`)),
  one(ac.roleDefinitions.listRoleDefinitions()),
  one(ac.roleAssignments.listRoleAssignments({ principalId: oid })),
]);

const defs = new Map();
for (const [scope, list] of [[wsScope, raWs], [lakeScope, raLakeMe], [lakeScope, raLakeMi]])
  for (const ra of list) {
    const guid = ra.roleDefinitionId.split("/").pop().toLowerCase();
    if (!defs.has(guid)) defs.set(guid, scope);
  }
await Promise.all([...defs].map(([guid, scope]) => one(authz.roleDefinitions.get(scope, guid))));
console.log(`${calls} calls`);
