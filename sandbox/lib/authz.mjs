// Authorization like Azure: ARM RBAC (role assignments at a scope and above, actions with
// wildcards, notActions) and Synapse RBAC (per workspace, by data action). Answers 403 with
// the exact bodies ARM and Synapse use.
import { HttpError, lc, wildcardMatch } from "./util.mjs";

/** Does an assignment at `a` apply at `target` (same scope or an ancestor)? */
export function scopeCovers(a, target) {
  const x = lc(a).replace(/\/+$/, "");
  const t = lc(target).replace(/\/+$/, "");
  return x === "" || x === t || t.startsWith(x + "/");
}

const OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

export class Authz {
  constructor(state) {
    this.state = state;
  }

  /** Role assignments of `oid` in effect now that apply at `scope`. */
  effective(oid, scope) {
    const now = Date.now();
    return this.state.roleAssignments.filter(
      (ra) => lc(ra.principalId) === lc(oid) && ra.effectiveAt <= now && scopeCovers(ra.scope, scope));
  }

  /** Permission blocks (one per effective assignment), as Microsoft.Authorization/permissions lists them. */
  permissions(oid, scope) {
    return this.effective(oid, scope).map((ra) => this.state.roleById(ra.roleDefinitionGuid))
      .filter(Boolean).flatMap((r) => r.permissions);
  }

  allowed(oid, scope, action, dataAction = false) {
    for (const p of this.permissions(oid, scope)) {
      const inc = dataAction ? p.dataActions : p.actions;
      const exc = dataAction ? p.notDataActions : p.notActions;
      if (inc.some((a) => wildcardMatch(a, action)) && !exc.some((a) => wildcardMatch(a, action))) return true;
    }
    return false;
  }

  /** Any assignment of `oid` in effect at, above or below `scope` (what makes a subscription visible). */
  anyAccess(oid, scope) {
    const now = Date.now();
    return this.state.roleAssignments.some(
      (ra) => lc(ra.principalId) === lc(oid) && ra.effectiveAt <= now &&
        (scopeCovers(ra.scope, scope) || scopeCovers(scope, ra.scope)));
  }

  /** Throw ARM's AuthorizationFailed unless the caller may perform `action` at `scope`. */
  require(ctx, action, scope) {
    if (this.allowed(ctx.principal.objectId, scope, action)) return;
    const who = ctx.principal.kind === "User" ? ctx.claims.upn || ctx.claims.unique_name : ctx.claims.appid;
    throw new HttpError(403, "AuthorizationFailed",
      `The client '${who}' with object id '${ctx.principal.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
  }

  // ---- Synapse RBAC ----

  synapseAllowed(oid, ws, action) {
    const now = Date.now();
    for (const ra of this.state.synapseRoleAssignments) {
      if (lc(ra.workspace) !== lc(ws) || lc(ra.principalId) !== lc(oid) || ra.effectiveAt > now) continue;
      const role = this.state.synapseRoleDefinitions.find((d) => lc(d.id) === lc(ra.roleDefinitionId));
      if (role && role.dataActions.some((a) => wildcardMatch(a, action))) return ra;
    }
    return null;
  }

  /** Azure Owner on the workspace (or above): Synapse lets Azure Owners manage its RBAC too
   * (behavior.md 5: "Synapse roles can be assigned by Synapse Administrators and Azure Owners"). */
  armOwner(oid, scope) {
    return this.effective(oid, scope).some((ra) => lc(ra.roleDefinitionGuid) === OWNER_ROLE);
  }

  /** Managing Synapse role assignments: the Synapse data action, or Azure Owner of the workspace. */
  requireSynapseRbacAdmin(ctx, ws, action) {
    if (this.armOwner(ctx.principal.objectId, ws.id)) return;
    this.requireSynapse(ctx, ws.name, action);
  }

  requireSynapse(ctx, ws, action) {
    if (this.synapseAllowed(ctx.principal.objectId, ws, action)) return;
    throw new HttpError(403, "Unauthorized",
      `The principal '${ctx.principal.objectId}' does not have the required Synapse RBAC permission to perform this action. Required permission: Action: ${action}, Scope: workspaces/${ws}/*.`);
  }
}
