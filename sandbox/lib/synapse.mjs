// The Synapse workspace dev endpoint ({ws}.dev.sandbox.localhost): pipelines and runs,
// linked services as long-running operations (with Azure's 200-then-Failed trap), Synapse
// RBAC, and the preview metastore API. Calls are authorized by Synapse RBAC.
import { HttpError, send, lc, eqi, isGuid, iso, guid, readBody, parseJson, page, clone } from "./util.mjs";
import { SYNAPSE_AUDIENCES } from "./tokens.mjs";
import { check, violations } from "./validate.mjs";
import { CsvScanner } from "./csv.mjs";
import { maskSecrets } from "./state.mjs";
import { parseStorageUrl } from "./storage.mjs";

const NAME_RE = /^[A-Za-z0-9_][^<>*#.%&:\\+?/]*$/;
const A = "Microsoft.Synapse/workspaces";

export class Synapse {
  constructor(state, tokens, authz, executor, storage) {
    this.state = state;
    this.tokens = tokens;
    this.authz = authz;
    this.executor = executor;
    this.storage = storage;
  }

  async handle(req, res, url, wsName, fault) {
    const ws = this.state.workspace(wsName);
    if (!ws) throw new HttpError(404, "WorkspaceNotFound", `The workspace '${wsName}' does not exist.`);
    const p = decodeURIComponent(url.pathname).replace(/\/+$/, "");
    const M = req.method;
    const ctx = { ...this.tokens.authenticate(req, SYNAPSE_AUDIENCES), req, res, url, ws, fault };
    const need = (action) => this.authz.requireSynapse(ctx, ws.name, action);
    const av = url.searchParams.get("api-version");
    let m;
    if (/^\/metastore\//i.test(p)) {
      if (av !== "2021-07-01-preview")
        throw new HttpError(400, "InvalidApiVersion", `The api-version '${av}' is not supported for the metastore; use 2021-07-01-preview.`);
      return this.metastore(ctx, M, p, need);
    }
    if (!av) throw new HttpError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");

    if (/^\/pipelines$/i.test(p) && M === "GET") {
      need(`${A}/artifacts/read`);
      return this.list(ctx, [...ws.pipelines.values()].map((x) => this.artifactJson(x)));
    }
    if ((m = /^\/pipelines\/([^/]+)$/i.exec(p))) return this.pipeline(ctx, M, m[1], need);
    if ((m = /^\/pipelines\/([^/]+)\/createRun$/i.exec(p)) && M === "POST") return this.createRun(ctx, m[1], need);
    if ((m = /^\/pipelineruns\/([^/]+)$/i.exec(p)) && M === "GET") {
      need(`${A}/artifacts/read`);
      return send(req, res, 200, this.runJson(this.run(ws, m[1])));
    }
    if ((m = /^\/pipelineruns\/([^/]+)\/cancel$/i.exec(p)) && M === "POST") {
      need(`${A}/integrationRuntimes/useCompute/action`);
      const run = this.run(ws, m[1]);
      this.executor.cancel(run);
      return send(req, res, 200);
    }
    if (/^\/queryPipelineRuns$/i.test(p) && M === "POST") {
      need(`${A}/artifacts/read`);
      return this.queryRuns(ctx);
    }
    if ((m = /^\/pipelines\/([^/]+)\/pipelineruns\/([^/]+)\/queryActivityruns$/i.exec(p)) && M === "POST") {
      need(`${A}/artifacts/read`);
      return this.queryActivities(ctx, m[1], m[2]);
    }
    if (/^\/linkedservices$/i.test(p) && M === "GET") {
      need(`${A}/read`);
      return this.list(ctx, [...ws.linkedServices.values()].map((x) => maskSecrets(this.artifactJson(x))));
    }
    if ((m = /^\/linkedservices\/([^/]+)$/i.exec(p))) return this.linkedService(ctx, M, m[1], need);
    if ((m = /^\/operationResults\/([^/]+)$/i.exec(p)) && M === "GET") return this.operationResult(ctx, m[1]);
    if (/^\/bigDataPools$/i.test(p) && M === "GET") {
      need(`${A}/read`);
      return send(req, res, 200, { value: ws.bigDataPools.map((bp) => ({ id: `${ws.id}/bigDataPools/${bp.name}`, name: bp.name, type: "Microsoft.Synapse/workspaces/bigDataPools", location: ws.location, properties: { provisioningState: "Succeeded", sparkVersion: bp.sparkVersion, nodeSize: bp.nodeSize, nodeSizeFamily: "MemoryOptimized", nodeCount: bp.nodeCount } })) });
    }
    if (/^\/integrationRuntimes$/i.test(p) && M === "GET") {
      need(`${A}/read`);
      return send(req, res, 200, { value: ws.integrationRuntimes.map((ir) => ({ id: `${ws.id}/integrationruntimes/${ir.name}`, name: ir.name, type: "Microsoft.Synapse/workspaces/integrationruntimes", properties: { type: ir.type } })) });
    }
    // Synapse RBAC
    if (/^\/roleAssignments$/i.test(p) && M === "GET") {
      need(`${A}/read`);
      return this.listRoleAssignments(ctx);
    }
    if ((m = /^\/roleAssignments\/([^/]+)$/i.exec(p))) return this.roleAssignment(ctx, M, m[1], need);
    if (/^\/roleDefinitions$/i.test(p) && M === "GET") {
      need(`${A}/read`);
      let defs = this.state.synapseRoleDefinitions;
      if (url.searchParams.get("isBuiltIn") === "false") defs = [];
      return send(req, res, 200, defs.map((d) => this.roleDefJson(ws, d)));
    }
    if ((m = /^\/roleDefinitions\/([^/]+)$/i.exec(p)) && M === "GET") {
      need(`${A}/read`);
      const d = this.state.synapseRoleDefinitions.find((x) => eqi(x.id, m[1]));
      if (!d) throw new HttpError(404, "RoleDefinitionNotFound", `The role definition '${m[1]}' does not exist.`);
      return send(req, res, 200, this.roleDefJson(ws, d));
    }
    if (/^\/rbacScopes$/i.test(p) && M === "GET") {
      need(`${A}/read`);
      return send(req, res, 200, this.scopes(ws));
    }
    if (/^\/checkAccessSynapseRbac$/i.test(p) && M === "POST") {
      need(`${A}/read`);
      return this.checkAccess(ctx);
    }
    throw new HttpError(404, "NotFound", `The sandbox serves no '${M} ${p}' on the Synapse dev endpoint.`);
  }

  list(ctx, items) {
    const skip = parseInt(ctx.url.searchParams.get("$skiptoken") || "0", 10) || 0;
    const pg = page(items, skip, this.state.config.pageSize);
    const body = { value: pg.items };
    if (pg.next !== null) {
      const u = new URL(ctx.url.pathname + ctx.url.search, `https://${ctx.req.headers.host}`);
      u.searchParams.set("$skiptoken", String(pg.next));
      body.nextLink = u.toString();
    }
    send(ctx.req, ctx.res, 200, body);
  }

  artifactJson(x) {
    return { id: x.id, name: x.name, type: x.type, etag: x.etag, properties: clone(x.properties) };
  }

  checkName(kind, name) {
    if (!NAME_RE.test(name) || name.length > 260)
      throw new HttpError(400, "InvalidName", `The ${kind} name '${name}' is invalid: it must start with a letter, digit or underscore and must not contain <>*#.%&:\\+?/.`);
  }

  // ---------- long-running operations ----------

  /** Start an artifact operation; answers 202 + Location to poll. */
  startOperation(ctx, kind, action, name, apply, failure) {
    const op = { id: guid(), kind, action, ws: ctx.ws.name, name, status: "InProgress", failure, result: null };
    this.state.operations.set(op.id, op);
    this.state.later(this.state.config.operationMs, () => {
      if (op.failure) op.status = "Failed";
      else {
        op.result = apply();
        op.status = "Succeeded";
      }
    });
    const loc = `${this.state.devEndpoint(ctx.ws.name)}/operationResults/${op.id}?api-version=${ctx.url.searchParams.get("api-version")}`;
    send(ctx.req, ctx.res, 202, undefined, { Location: loc, "Retry-After": String(Math.max(1, Math.ceil(this.state.config.operationMs / 1000))) });
  }

  operationResult(ctx, id) {
    const op = this.state.operations.get(id);
    if (!op || !eqi(op.ws, ctx.ws.name)) throw new HttpError(404, "OperationNotFound", `The operation '${id}' was not found.`);
    if (op.status === "InProgress")
      return send(ctx.req, ctx.res, 202, undefined, { Location: `${this.state.devEndpoint(ctx.ws.name)}${ctx.url.pathname}${ctx.url.search}`, "Retry-After": "1" });
    // Azure's trap: a failed operation answers 200, with the failure in the body.
    if (op.status === "Failed") return send(ctx.req, ctx.res, 200, { status: "Failed", error: op.failure });
    if (op.action === "delete") return send(ctx.req, ctx.res, 200);
    return send(ctx.req, ctx.res, 200, op.kind === "linkedservice" ? maskSecrets(this.artifactJson(op.result)) : this.artifactJson(op.result));
  }

  // ---------- pipelines ----------

  async pipeline(ctx, M, name, need) {
    const ws = ctx.ws;
    const cur = ws.pipelines.get(lc(name));
    if (M === "GET") {
      need(`${A}/artifacts/read`);
      if (!cur) throw new HttpError(404, "PipelineNotFound", `Pipeline '${name}' not found in workspace '${ws.name}'.`);
      if (ctx.req.headers["if-none-match"] && ctx.req.headers["if-none-match"] === cur.etag) return send(ctx.req, ctx.res, 304);
      return send(ctx.req, ctx.res, 200, this.artifactJson(cur));
    }
    if (M === "PUT") {
      need(`${A}/pipelines/write`);
      this.checkName("pipeline", name);
      const body = parseJson(await readBody(ctx.req), {});
      check("synapse-pipeline.json", body, "BadRequest");
      if (body.name && body.name !== name)
        throw new HttpError(400, "BadRequest", `The name '${body.name}' in the request body does not match the pipeline name '${name}' in the URL.`);
      const ifm = ctx.req.headers["if-match"];
      if (ifm && ifm !== "*" && (!cur || cur.etag !== ifm))
        throw new HttpError(412, "PreconditionFailed", `The etag '${ifm}' does not match the pipeline's current etag.`);
      const acts = body.properties.activities || [];
      const names = new Set(acts.map((a) => a.name));
      if (names.size !== acts.length) throw new HttpError(400, "BadRequest", `Pipeline '${name}' has two activities with the same name.`);
      for (const a of acts)
        for (const d of a.dependsOn || [])
          if (!names.has(d.activity))
            throw new HttpError(400, "BadRequest", `Activity '${a.name}' depends on '${d.activity}', which is not an activity of pipeline '${name}'.`);
      const failure = ctx.fault?.failOperation
        ? { code: "OperationFailed", message: `Pipeline '${name}' could not be published: the sandbox was told to fail this operation (failOperation fault).`, target: name }
        : null;
      return this.startOperation(ctx, "pipeline", "put", name, () => this.state.putPipeline(ws, name, { properties: body.properties }), failure);
    }
    if (M === "DELETE") {
      need(`${A}/pipelines/delete`);
      if (!cur) return send(ctx.req, ctx.res, 204);
      return this.startOperation(ctx, "pipeline", "delete", name, () => ws.pipelines.delete(lc(name)), null);
    }
    throw new HttpError(405, "MethodNotAllowed", `'${M}' is not allowed on a pipeline.`);
  }

  async createRun(ctx, name, need) {
    const ws = ctx.ws;
    need(`${A}/credentials/useSecret/action`);
    need(`${A}/integrationRuntimes/useCompute/action`);
    const p = ws.pipelines.get(lc(name));
    const body = parseJson(await readBody(ctx.req), {});
    check("synapse-create-run.json", body, "BadRequest");
    if (!p) throw new HttpError(404, "PipelineNotFound", `Pipeline '${name}' not found in workspace '${ws.name}'.`);
    const q = ctx.url.searchParams;
    let params = body;
    const ref = q.get("referencePipelineRunId");
    if (ref) params = { ...this.run(ws, ref).parameters };
    const decl = p.properties.parameters || {};
    const unknown = Object.keys(params).filter((k) => !(k in decl));
    if (unknown.length)
      throw new HttpError(400, "BadRequest", `The parameter(s) ${unknown.map((u) => `'${u}'`).join(", ")} are not declared by pipeline '${p.name}'.`);
    const values = {};
    const missing = [];
    for (const [k, d] of Object.entries(decl)) {
      if (k in params) values[k] = params[k];
      else if ("defaultValue" in d) values[k] = d.defaultValue;
      else missing.push(k);
    }
    if (missing.length)
      throw new HttpError(400, "BadRequest", `Missing value for the required parameter(s) ${missing.map((u) => `'${u}'`).join(", ")} of pipeline '${p.name}'.`);
    for (const [k, v] of Object.entries(values)) {
      const t = decl[k].type;
      const ok = t === "String" || t === "SecureString" ? typeof v === "string"
        : t === "Int" ? Number.isInteger(v) : t === "Float" ? typeof v === "number" : t === "Bool" ? typeof v === "boolean"
          : t === "Array" ? Array.isArray(v) : true;
      if (!ok) throw new HttpError(400, "BadRequest", `The value of parameter '${k}' must be of type ${t}.`);
    }
    const run = this.executor.start(ws, p, values, { fail: !!ctx.fault?.failOperation });
    send(ctx.req, ctx.res, 202, { runId: run.runId });
  }

  run(ws, id) {
    const r = this.state.runs.get(lc(id)) || this.state.runs.get(id);
    if (!r || r.workspace !== ws.name) throw new HttpError(404, "PipelineRunNotFound", `Pipeline run '${id}' was not found in workspace '${ws.name}'.`);
    return r;
  }

  runJson(r) {
    return {
      runId: r.runId, runGroupId: r.runGroupId, isLatest: r.isLatest, pipelineName: r.pipelineName, parameters: r.parameters,
      invokedBy: r.invokedBy, runStart: r.runStart, runEnd: r.runEnd, durationInMs: r.durationInMs, status: r.status,
      message: r.message, lastUpdated: r.lastUpdated, annotations: r.annotations, runDimension: r.runDimension,
      id: `${this.state.workspace(r.workspace).id}/pipelineruns/${r.runId}`,
    };
  }

  async runFilter(ctx) {
    const body = parseJson(await readBody(ctx.req), {});
    check("synapse-run-filter.json", body, "BadRequest");
    return body;
  }

  applyFilter(items, body, fields) {
    const after = Date.parse(body.lastUpdatedAfter);
    const before = Date.parse(body.lastUpdatedBefore);
    let out = items.filter((x) => {
      const t = Date.parse(x.lastUpdated || x.activityRunEnd || x.activityRunStart);
      return t >= after && t <= before;
    });
    for (const f of body.filters || []) {
      const key = fields[f.operand];
      if (f.operand === "LatestOnly") {
        if (f.values[0] === "true") out = out.filter((x) => x.isLatest);
        continue;
      }
      if (!key) throw new HttpError(400, "BadRequest", `The operand '${f.operand}' cannot be used in this query.`);
      const vals = f.values.map(lc);
      const has = (x) => vals.includes(lc(x[key]));
      out = out.filter((x) => (f.operator === "Equals" || f.operator === "In" ? has(x) : !has(x)));
    }
    const ob = (body.orderBy || [])[0];
    if (ob && fields[ob.orderBy]) {
      const k = fields[ob.orderBy];
      out.sort((a, b) => (String(a[k]) < String(b[k]) ? -1 : String(a[k]) > String(b[k]) ? 1 : 0) * (ob.order === "DESC" ? -1 : 1));
    }
    const skip = body.continuationToken ? parseInt(Buffer.from(body.continuationToken, "base64url").toString(), 10) || 0 : 0;
    const pg = page(out, skip, this.state.config.pageSize);
    const res = { value: pg.items };
    if (pg.next !== null) res.continuationToken = Buffer.from(String(pg.next)).toString("base64url");
    return res;
  }

  async queryRuns(ctx) {
    const body = await this.runFilter(ctx);
    const runs = [...this.state.runs.values()].filter((r) => r.workspace === ctx.ws.name).map((r) => this.runJson(r));
    const r = this.applyFilter(runs, body, { PipelineName: "pipelineName", Status: "status", RunGroupId: "runGroupId", RunStart: "runStart", RunEnd: "runEnd" });
    send(ctx.req, ctx.res, 200, r);
  }

  async queryActivities(ctx, pipeline, runId) {
    const body = await this.runFilter(ctx);
    const run = this.run(ctx.ws, runId);
    if (!eqi(run.pipelineName, pipeline))
      throw new HttpError(404, "PipelineRunNotFound", `Pipeline run '${runId}' is not a run of pipeline '${pipeline}'.`);
    const acts = run.activities.map((a) => ({ ...a, lastUpdated: a.activityRunEnd || a.activityRunStart }));
    const r = this.applyFilter(acts, body, { ActivityName: "activityName", ActivityType: "activityType", Status: "status", ActivityRunStart: "activityRunStart", ActivityRunEnd: "activityRunEnd" });
    r.value = r.value.map(({ lastUpdated, ...a }) => a);
    send(ctx.req, ctx.res, 200, r);
  }

  // ---------- linked services ----------

  async linkedService(ctx, M, name, need) {
    const ws = ctx.ws;
    const cur = ws.linkedServices.get(lc(name));
    if (M === "GET") {
      need(`${A}/read`);
      if (!cur) throw new HttpError(404, "LinkedServiceNotFound", `Linked service '${name}' not found in workspace '${ws.name}'.`);
      return send(ctx.req, ctx.res, 200, maskSecrets(this.artifactJson(cur)));
    }
    if (M === "PUT") {
      need(`${A}/linkedServices/write`);
      this.checkName("linked service", name);
      const body = parseJson(await readBody(ctx.req), {});
      check("synapse-linked-service.json", body, "BadRequest");
      if (body.name && body.name !== name)
        throw new HttpError(400, "BadRequest", `The name '${body.name}' in the request body does not match the linked service name '${name}' in the URL.`);
      const pr = body.properties;
      let ir = null;
      if (pr.connectVia) {
        ir = ws.integrationRuntimes.find((x) => eqi(x.name, pr.connectVia.referenceName));
        if (!ir)
          throw new HttpError(400, "BadRequest", `The integration runtime '${pr.connectVia.referenceName}' referenced by linked service '${name}' does not exist in workspace '${ws.name}'.`);
      }
      let failure = null;
      if (ctx.fault?.failOperation)
        failure = { code: "OperationFailed", message: `Linked service '${name}' could not be created: the sandbox was told to fail this operation (failOperation fault).`, target: name };
      else if (pr.type === "AzureMLService" && ir && ir.type === "SelfHosted")
        failure = { code: "InvalidLinkedServiceConfiguration", message: `Linked service '${name}' of type AzureMLService cannot connect via the self-hosted integration runtime '${ir.name}': Azure Machine Learning linked services are not supported with self-hosted integration runtimes.`, target: name };
      else if (pr.type === "AzureMLService" && ws.preventDataExfiltration)
        failure = { code: "InvalidLinkedServiceConfiguration", message: `Linked service '${name}' of type AzureMLService is not supported in workspace '${ws.name}', which has data exfiltration protection enabled.`, target: name };
      const ifm = ctx.req.headers["if-match"];
      if (ifm && ifm !== "*" && (!cur || cur.etag !== ifm))
        throw new HttpError(412, "PreconditionFailed", `The etag '${ifm}' does not match the linked service's current etag.`);
      return this.startOperation(ctx, "linkedservice", "put", name, () => this.state.putLinkedService(ws, name, { properties: pr }), failure);
    }
    if (M === "DELETE") {
      need(`${A}/linkedServices/delete`);
      if (!cur) return send(ctx.req, ctx.res, 204);
      const failure = ctx.fault?.failOperation
        ? { code: "OperationFailed", message: `Linked service '${name}' could not be deleted: the sandbox was told to fail this operation (failOperation fault).`, target: name }
        : null;
      return this.startOperation(ctx, "linkedservice", "delete", name, () => ws.linkedServices.delete(lc(name)), failure);
    }
    throw new HttpError(405, "MethodNotAllowed", `'${M}' is not allowed on a linked service.`);
  }

  // ---------- Synapse RBAC ----------

  raJson(ra) {
    return { id: ra.id, roleDefinitionId: ra.roleDefinitionId, principalId: ra.principalId, scope: ra.scope, principalType: ra.principalType };
  }

  roleDefJson(ws, d) {
    return {
      id: d.id, name: d.name, isBuiltIn: true, description: d.description,
      permissions: [{ actions: [], notActions: [], dataActions: clone(d.dataActions), notDataActions: [] }],
      scopes: [`workspaces/${ws.name}`], availabilityStatus: "Available",
    };
  }

  scopes(ws) {
    return [`workspaces/${ws.name}`,
      ...ws.bigDataPools.map((p) => `workspaces/${ws.name}/bigDataPools/${p.name}`),
      ...ws.integrationRuntimes.map((i) => `workspaces/${ws.name}/integrationRuntimes/${i.name}`),
      ...[...ws.linkedServices.values()].map((l) => `workspaces/${ws.name}/linkedServices/${l.name}`),
      `workspaces/${ws.name}/credentials/WorkspaceSystemIdentity`];
  }

  listRoleAssignments(ctx) {
    const q = ctx.url.searchParams;
    let list = this.state.synapseRoleAssignments.filter((r) => eqi(r.workspace, ctx.ws.name));
    if (q.get("roleId")) list = list.filter((r) => eqi(r.roleDefinitionId, q.get("roleId")));
    if (q.get("principalId")) list = list.filter((r) => eqi(r.principalId, q.get("principalId")));
    if (q.get("scope")) list = list.filter((r) => eqi(r.scope, q.get("scope")));
    const token = ctx.req.headers["x-ms-continuation"];
    const skip = token ? parseInt(Buffer.from(token, "base64url").toString(), 10) || 0 : 0;
    const pg = page(list, skip, this.state.config.pageSize);
    const headers = pg.next !== null ? { "x-ms-continuation": Buffer.from(String(pg.next)).toString("base64url") } : {};
    send(ctx.req, ctx.res, 200, { count: pg.items.length, value: pg.items.map((r) => this.raJson(r)) }, headers);
  }

  async roleAssignment(ctx, M, id, need) {
    const ws = ctx.ws;
    const cur = this.state.synapseRoleAssignments.find((r) => eqi(r.id, id) && eqi(r.workspace, ws.name));
    if (M === "GET") {
      need(`${A}/read`);
      if (!cur) throw new HttpError(404, "RoleAssignmentNotFound", `The role assignment '${id}' does not exist.`);
      return send(ctx.req, ctx.res, 200, this.raJson(cur));
    }
    if (M === "DELETE") {
      this.authz.requireSynapseRbacAdmin(ctx, ws, `${A}/roleAssignments/delete`);
      if (!cur) return send(ctx.req, ctx.res, 204);
      this.state.synapseRoleAssignments = this.state.synapseRoleAssignments.filter((r) => r !== cur);
      return send(ctx.req, ctx.res, 200);
    }
    if (M !== "PUT") throw new HttpError(405, "MethodNotAllowed", `'${M}' is not allowed on a role assignment.`);
    this.authz.requireSynapseRbacAdmin(ctx, ws, `${A}/roleAssignments/write`);
    if (!isGuid(id)) throw new HttpError(400, "BadRequest", `The role assignment id '${id}' must be a GUID.`);
    const body = parseJson(await readBody(ctx.req), {});
    check("synapse-role-assignment.json", body, "BadRequest");
    if (!body.scope.toLowerCase().startsWith(`workspaces/${ws.name.toLowerCase()}`))
      throw new HttpError(400, "BadRequest", `The scope '${body.scope}' is not a scope of workspace '${ws.name}'.`);
    if (!this.state.synapseRoleDefinitions.some((d) => eqi(d.id, body.roleId)))
      throw new HttpError(400, "BadRequest", `The role definition '${body.roleId}' does not exist.`);
    const p = this.state.principal(body.principalId);
    if (cur) {
      if (!eqi(cur.roleDefinitionId, body.roleId) || !eqi(cur.principalId, body.principalId) || !eqi(cur.scope, body.scope))
        throw new HttpError(409, "Conflict", `The role assignment '${id}' exists with a different role, principal or scope; role assignments cannot be updated.`);
      return send(ctx.req, ctx.res, 200, this.raJson(cur));
    }
    const dup = this.state.synapseRoleAssignments.find((r) => eqi(r.workspace, ws.name) && eqi(r.roleDefinitionId, body.roleId) && eqi(r.principalId, body.principalId) && eqi(r.scope, body.scope));
    if (dup) throw new HttpError(409, "Conflict", `A role assignment with the same role, principal and scope already exists: '${dup.id}'.`);
    const rec = {
      id: lc(id), workspace: ws.name, roleDefinitionId: lc(body.roleId), principalId: lc(body.principalId), scope: body.scope,
      principalType: body.principalType || (p ? p.principalType : "User"),
      effectiveAt: Date.now() + this.state.config.propagationSeconds * 1000,
    };
    this.state.synapseRoleAssignments.push(rec);
    send(ctx.req, ctx.res, 200, this.raJson(rec));
  }

  async checkAccess(ctx) {
    const body = parseJson(await readBody(ctx.req), {});
    check("synapse-check-access.json", body, "BadRequest");
    const decisions = body.actions.map((a) => {
      const ra = this.authz.synapseAllowed(body.subject.principalId, ctx.ws.name, a.id);
      return {
        accessDecision: ra ? "Allowed" : "NotAllowed", actionId: a.id,
        roleAssignment: ra ? this.raJson(ra) : undefined,
      };
    });
    // The SDK (@azure/synapse-access-control) reads "accessDecisions"; API.md's recordings say "AccessDecisions". The SDK wins.
    send(ctx.req, ctx.res, 200, { accessDecisions: decisions });
  }

  // ---------- metastore (preview) ----------

  async metastore(ctx, M, p, need) {
    const ws = ctx.ws;
    let m;
    const dbName = (n) => {
      if (!/^[A-Za-z0-9]{1,24}$/.test(n))
        throw new HttpError(400, "InvalidDatabaseName", `The database name '${n}' is invalid: use letters and digits only, at most 24 characters.`);
      return n;
    };
    if ((m = /^\/metastore\/(create|update)-database-operations\/([^/]+)$/i.exec(p))) {
      const kind = lc(m[1]);
      const name = dbName(m[2]);
      const cur = ws.databases.get(lc(name));
      if (M === "GET" && kind === "create") {
        need(`${A}/artifacts/read`);
        if (!cur) throw new HttpError(404, "DatabaseNotFound", `The database '${name}' does not exist in workspace '${ws.name}'.`);
        return send(ctx.req, ctx.res, 200, this.dbStatus(cur));
      }
      if (M !== "PUT") throw new HttpError(405, "MethodNotAllowed", `'${M}' is not allowed here.`);
      need(`${A}/databases/write`);
      const body = parseJson(await readBody(ctx.req), {});
      check("synapse-metastore.json", body, "BadRequest");
      if (kind === "create" && cur && cur.status !== "Failed")
        throw new HttpError(409, "DatabaseAlreadyExists", `The database '${name}' already exists in workspace '${ws.name}'.`);
      if (kind === "update" && !cur) throw new HttpError(404, "DatabaseNotFound", `The database '${name}' does not exist in workspace '${ws.name}'.`);
      const rec = { name, inputFolder: body.inputFolder, status: "Creating", readyAt: Date.now() + this.state.config.operationMs, result: null, error: null, tables: [] };
      // An update keeps the tables model.json no longer lists (a table removed from an
      // export stays in its database, no longer refreshed); a failed one keeps them all.
      const before = kind === "update" && cur ? cur.tables || [] : [];
      ws.databases.set(lc(name), rec);
      this.checkFolder(rec, !!ctx.fault?.failOperation, before);
      return send(ctx.req, ctx.res, 201, { status: "Running" });
    }
    if ((m = /^\/metastore\/databases\/([^/]+)$/i.exec(p)) && M === "DELETE") {
      need(`${A}/databases/delete`);
      const name = dbName(m[1]);
      if (!ws.databases.has(lc(name))) throw new HttpError(404, "DatabaseNotFound", `The database '${name}' does not exist in workspace '${ws.name}'.`);
      ws.databases.delete(lc(name));
      return send(ctx.req, ctx.res, 204);
    }
    throw new HttpError(404, "NotFound", `The sandbox serves no '${M} ${p}' in the metastore API.`);
  }

  /**
   * What the metastore does with an input folder: read its model.json, check it against the
   * CDM model.json schema (schemas/cdm-model.json), check that every partition exists and
   * that its columns match its entity's attributes, count the rows, and register the tables.
   * Anything wrong ends the operation Failed with an error naming what and where.
   */
  async checkFolder(rec, fail, before = []) {
    const failWith = (code, message) => {
      rec.result = "Failed";
      rec.error = { code, message };
      rec.tables = before;
    };
    if (fail) return failWith("OperationFailed", "The sandbox was told to fail this operation (failOperation fault).");
    const loc = parseStorageUrl(rec.inputFolder);
    if (!loc) return failWith("InvalidInputFolder", `'${rec.inputFolder}' is not a storage folder URL.`);
    const base = loc.path ? loc.path.replace(/\/?$/, "/") : "";
    const where = `${rec.inputFolder.replace(/\/?$/, "/")}model.json`;
    try {
      let raw;
      try {
        raw = await this.storage.getBlob(loc.account, loc.container, `${base}model.json`);
      } catch (e) {
        if (e.status === 404)
          return failWith("ModelJsonNotFound", `The input folder '${rec.inputFolder}' holds no model.json: a lake database is made from a CDM folder.`);
        throw e;
      }
      let model;
      try {
        model = JSON.parse(raw.toString("utf8").replace(/^\uFEFF/, ""));
      } catch (e) {
        return failWith("InvalidModelJson", `${where} is not valid JSON: ${e.message}.`);
      }
      const v = violations("cdm-model.json", model);
      if (v.length) return failWith("InvalidModelJson", `${where} is not a valid CDM model.json 1.0: ${v.slice(0, 5).join("; ")}.`);
      const tables = [];
      for (const e of model.entities) {
        if (tables.some((t) => lc(t.name) === lc(e.name)))
          return failWith("DuplicateEntity", `${where} names the entity '${e.name}' twice (names are compared ignoring case).`);
        const names = e.attributes.map((a) => a.name);
        const dup = names.find((n, i) => names.findIndex((x) => lc(x) === lc(n)) !== i);
        if (dup) return failWith("DuplicateAttribute", `The entity '${e.name}' in ${where} has the attribute '${dup}' twice.`);
        let rows = 0;
        for (const p of e.partitions || []) {
          const at = `Partition '${p.name}' of the entity '${e.name}'`;
          const pl = parseStorageUrl(p.location);
          if (!pl || !pl.path) return failWith("InvalidPartitionLocation", `${at}: '${p.location}' is not the URL of a file in a storage account.`);
          const headers = p.fileFormatSettings?.columnHeaders === true;
          const sc = new CsvScanner();
          let found;
          try {
            found = await this.storage.streamBlob(pl.account, pl.container, pl.path, (c) => sc.push(c));
          } catch (err) {
            return failWith("PartitionNotReadable", `${at} could not be read at '${p.location}': ${err.code || err.message}.`);
          }
          if (!found) return failWith("PartitionNotFound", `${at} does not exist: no file at '${p.location}'.`);
          sc.end();
          if (sc.bad?.quote)
            return failWith("InvalidPartitionData", `${at} is not valid CSV: line ${sc.bad.line} has a quote inside an unquoted field.`);
          if (sc.first && headers) {
            const same = sc.first.length === names.length && sc.first.every((h, i) => lc(h) === lc(names[i]));
            if (!same)
              return failWith("PartitionSchemaMismatch", `${at} has the columns (${sc.first.join(", ")}) where the entity's attributes are (${names.join(", ")}).`);
          } else if (sc.first && sc.first.length !== names.length) {
            return failWith("PartitionSchemaMismatch", `${at} has ${sc.first.length} columns where the entity has ${names.length} attributes.`);
          }
          if (sc.bad)
            return failWith("PartitionSchemaMismatch", `${at}: line ${sc.bad.line} has ${sc.bad.fields} fields where the entity has ${names.length} attributes.`);
          rows += sc.records - (headers && sc.first ? 1 : 0);
        }
        tables.push({ name: e.name, rows, partitions: (e.partitions || []).length, attributes: e.attributes.map((a) => ({ name: a.name, dataType: a.dataType })) });
      }
      const kept = before.filter((t) => !tables.some((x) => lc(x.name) === lc(t.name)));
      rec.tables = [...tables, ...kept];
      rec.result = "Created";
    } catch (e) {
      failWith("InputFolderNotReadable", `The input folder '${rec.inputFolder}' could not be read: ${e.code || e.message}.`);
    }
  }

  dbStatus(rec) {
    if (Date.now() < rec.readyAt || !rec.result) return { status: "Creating" };
    rec.status = rec.result;
    return rec.result === "Failed" ? { status: "Failed", error: rec.error } : { status: rec.result };
  }
}

export { iso };
