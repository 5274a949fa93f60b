// The pipeline executor: a run moves Queued -> InProgress -> Succeeded/Failed, one activity
// per step (state.config.pipelineStepMs). The seeded scoring notebooks really run: they read
// their input CSVs from Azurite, compute deterministic scores, and write one output CSV where
// output_datastore + output_path say. Activity runs tell the story.
import { guid, iso, lc } from "./util.mjs";
import { parseCsv, writeCsv } from "./csv.mjs";
import { parseStorageUrl } from "./storage.mjs";
import { REFERENCE_DATE } from "./dataset.mjs";

class ActivityError extends Error {
  constructor(message, code = "2011") {
    super(message);
    this.errorCode = code;
  }
}

export class Executor {
  constructor(state, storage) {
    this.state = state;
    this.storage = storage;
  }

  /** Start a run of pipeline `p` in workspace `ws`. `fail` forces a failure (failOperation fault). */
  start(ws, p, parameters, { fail = false } = {}) {
    const now = Date.now();
    const run = {
      runId: guid(), workspace: ws.name, runGroupId: null, isLatest: true, pipelineName: p.name,
      parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
      invokedBy: { id: guid().replace(/-/g, ""), name: "Manual", invokedByType: "Manual" },
      runStart: iso(now), runEnd: null, durationInMs: null, status: "Queued", message: "", lastUpdated: iso(now),
      annotations: [], runDimension: {}, activities: [], forceFail: fail, cancelled: false,
      definition: JSON.parse(JSON.stringify(p.properties)),
    };
    run.runGroupId = run.runId;
    for (const r of this.state.runs.values())
      if (r.workspace === ws.name && r.pipelineName === p.name) r.isLatest = false;
    this.state.runs.set(run.runId, run);
    this.state.later(this.state.config.pipelineStepMs, () => this.advance(run).catch((e) => this.finish(run, "Failed", `Internal sandbox error: ${e.message}`)));
    return run;
  }

  touch(run) {
    run.lastUpdated = iso();
  }

  finish(run, status, message) {
    if (run.runEnd) return;
    const now = Date.now();
    run.status = status;
    run.message = message || "";
    run.runEnd = iso(now);
    run.durationInMs = now - Date.parse(run.runStart);
    this.touch(run);
  }

  cancel(run) {
    if (run.runEnd) return false;
    run.cancelled = true;
    run.status = "Canceling";
    this.touch(run);
    this.state.later(Math.min(this.state.config.pipelineStepMs, 500), () => {
      for (const a of run.activities) if (!a.activityRunEnd) this.endActivity(run, a, "Cancelled", null, { errorCode: "", message: "Operation cancelled", failureType: "", target: a.activityName });
      this.finish(run, "Cancelled", "");
    });
    return true;
  }

  /** Activities in dependency order (those whose dependencies precede them). */
  order(def) {
    const acts = def.activities || [];
    const done = new Set();
    const out = [];
    let progress = true;
    while (out.length < acts.length && progress) {
      progress = false;
      for (const a of acts) {
        if (done.has(a.name)) continue;
        if ((a.dependsOn || []).every((d) => done.has(d.activity))) {
          out.push(a);
          done.add(a.name);
          progress = true;
        }
      }
    }
    return out;
  }

  beginActivity(run, a) {
    const now = Date.now();
    const rec = {
      activityRunEnd: null, activityName: a.name, activityRunStart: iso(now), activityType: a.type, durationInMs: null,
      retryAttempt: null, error: { errorCode: "", message: "", failureType: "", target: a.name, details: "" },
      activityRunId: guid(), iterationHash: "", input: this.activityInput(run, a), linkedServiceName: "",
      output: null, userProperties: {}, pipelineName: run.pipelineName, pipelineRunId: run.runId, status: "InProgress",
      recoveryStatus: "None", integrationRuntimeNames: ["autoresolveintegrationruntime"], executionDetails: { integrationRuntime: [{ name: "AutoResolveIntegrationRuntime", type: "Managed", location: "West Europe" }] },
      id: `/subscriptions/${run.workspace}/activityruns/${guid()}`,
    };
    run.activities.push(rec);
    this.touch(run);
    return rec;
  }

  endActivity(run, rec, status, output, error) {
    const now = Date.now();
    rec.status = status;
    rec.activityRunEnd = iso(now);
    rec.durationInMs = now - Date.parse(rec.activityRunStart);
    rec.output = output;
    if (error) rec.error = { ...rec.error, ...error };
    this.touch(run);
  }

  activityInput(run, a) {
    const tp = JSON.parse(JSON.stringify(a.typeProperties || {}));
    const resolve = (v) => {
      if (v && typeof v === "object" && v.type === "Expression" && typeof v.value === "string") return this.expr(v.value, run.parameters);
      if (v && typeof v === "object") {
        for (const k of Object.keys(v)) v[k] = resolve(v[k]);
      }
      return v;
    };
    return resolve(tp);
  }

  /** The few pipeline expressions the seeded pipelines use. */
  expr(e, params) {
    let m = /^@pipeline\(\)\.parameters\.(\w+)$/.exec(e);
    if (m) return params[m[1]] ?? "";
    m = /^@concat\((.*)\)$/.exec(e);
    if (m)
      return m[1].split(",").map((x) => x.trim()).map((x) => {
        const p = /^pipeline\(\)\.parameters\.(\w+)$/.exec(x);
        if (p) return params[p[1]] ?? "";
        const s = /^'(.*)'$/.exec(x);
        return s ? s[1] : x;
      }).join("");
    return e;
  }

  async advance(run) {
    if (run.cancelled) return;
    run.status = "InProgress";
    this.touch(run);
    const acts = this.order(run.definition);
    const step = () => new Promise((r) => this.state.later(this.state.config.pipelineStepMs, r));
    for (const a of acts) {
      if (run.cancelled) return;
      const rec = this.beginActivity(run, a);
      await step();
      if (run.cancelled) return;
      try {
        if (run.forceFail) throw new ActivityError("The activity failed: the sandbox was told to fail this operation (failOperation fault).", "2100");
        const output = await this.runActivity(run, a, rec);
        this.endActivity(run, rec, "Succeeded", output, null);
      } catch (e) {
        const msg = e instanceof ActivityError ? e.message : `Internal error: ${e.message}`;
        this.endActivity(run, rec, "Failed", null, { errorCode: e.errorCode || "2011", message: msg, failureType: "UserError", target: a.name });
        this.finish(run, "Failed", `Operation on target ${a.name} failed: ${msg}`);
        return;
      }
    }
    this.finish(run, "Succeeded", "");
  }

  /** The annotation {"synwiz": {...}} of the run's pipeline, or null. */
  contract(run) {
    for (const a of run.definition.annotations || []) if (a && typeof a === "object" && a.synwiz) return a.synwiz;
    return null;
  }

  async readInputTable(run, param, columns) {
    const url = run.parameters[param];
    if (!url) throw new ActivityError(`The pipeline parameter '${param}' has no value: it must name the input CSV for table '${param}'.`);
    const loc = parseStorageUrl(url);
    if (!loc || !loc.path) throw new ActivityError(`The value of parameter '${param}' ('${url}') is not a storage URL of a CSV file (abfss://container@account.dfs.${"sandbox.localhost"}/path/file.csv).`);
    let buf;
    try {
      buf = await this.storage.getBlob(loc.account, loc.container, loc.path);
    } catch (e) {
      if (e.status === 404)
        throw new ActivityError(`Input '${param}': the file '${loc.path}' was not found in container '${loc.container}' of storage account '${loc.account}' (${e.code}).`, "2200");
      throw new ActivityError(`Input '${param}': the file '${loc.path}' in '${loc.account}/${loc.container}' could not be read: ${e.code || e.message}.`, "2200");
    }
    const rows = parseCsv(buf.toString("utf8"));
    if (!rows.length) throw new ActivityError(`Input '${param}': the file '${loc.path}' is empty (no header row).`);
    const header = rows[0].map((h) => h.trim());
    const idx = {};
    const missing = [];
    for (const c of columns) {
      const i = header.findIndex((h) => lc(h) === lc(c.name));
      if (i < 0) missing.push(c.name);
      idx[c.name] = i;
    }
    if (missing.length)
      throw new ActivityError(`Input '${param}': the header of '${loc.path}' lacks the declared column(s) ${missing.map((m) => `'${m}'`).join(", ")}. Header: ${header.join(",")}.`);
    return { loc, rows: rows.slice(1).map((r) => Object.fromEntries(columns.map((c) => [c.name, r[idx[c.name]] ?? ""]))) };
  }

  async runActivity(run, a, rec) {
    const c = this.contract(run);
    if (a.type === "Validation") {
      if (!c) return { executionDuration: 0 };
      const checked = [];
      for (const [param, cols] of Object.entries(c.inputs || {})) {
        const t = await this.readInputTable(run, param, cols);
        checked.push({ parameter: param, path: `${t.loc.account}/${t.loc.container}/${t.loc.path}`, rows: t.rows.length });
      }
      return { inputs: checked, executionDuration: Math.round(this.state.config.pipelineStepMs / 1000) };
    }
    if (a.type === "SynapseNotebook") {
      const nb = a.typeProperties?.notebook?.referenceName;
      // ScoreChurnDuplicated: ScoreChurn with a bug, its first customer written twice (a
      // duplicated primary key, what the model wizard's output check must catch).
      if (nb === "ScoreChurn" || nb === "ScoreAffinity" || nb === "ScoreChurnDuplicated") return this.score(run, c, nb);
      if (nb === "ScoreBroken")
        throw new ActivityError("Notebook 'ScoreBroken' failed: KeyError: 'score' (cell 4). The notebook expects an input schema the pipeline does not declare.", "6002");
      throw new ActivityError(`Notebook '${nb}' does not exist in workspace '${run.workspace}'.`, "2001");
    }
    if (a.type === "Wait") return { executionDuration: Math.round(this.state.config.pipelineStepMs / 1000) };
    // Other activity types are simulated: they succeed without touching data.
    return { simulatedBySandbox: true, executionDuration: Math.round(this.state.config.pipelineStepMs / 1000) };
  }

  async score(run, c, nb) {
    if (!c) throw new ActivityError(`Notebook '${nb}' needs the pipeline's synwiz annotation to know its inputs.`);
    const ds = run.parameters.output_datastore;
    const op = run.parameters.output_path;
    if (!ds || !op) throw new ActivityError("The output parameters output_datastore and output_path must both be set.");
    const out = parseStorageUrl(ds.replace(/\/?$/, "/") + op.replace(/^\//, ""));
    if (!out || !out.path || !/\.csv$/i.test(out.path))
      throw new ActivityError(`The output location '${ds}' + '${op}' is not a CSV path in a storage container (abfss://container@account.dfs.<suffix>/ + folder/file.csv).`);
    const t = {};
    for (const [param, cols] of Object.entries(c.inputs)) t[param] = (await this.readInputTable(run, param, cols)).rows;
    let header;
    let rows;
    if (nb === "ScoreChurn" || nb === "ScoreChurnDuplicated") {
      const agg = new Map();
      for (const o of t.Orders) {
        const k = lc(o.CustomerId);
        const g = agg.get(k) || { n: 0, last: 0, spent: 0 };
        g.n++;
        g.last = Math.max(g.last, Date.parse(o.OrderDate) || 0);
        g.spent += parseFloat(o.TotalAmount) || 0;
        agg.set(k, g);
      }
      const tierAdj = { bronze: 0.35, silver: 0, gold: -0.4, platinum: -0.8 };
      header = ["CustomerId", "ChurnScore", "ChurnRisk"];
      rows = t.Customer.map((cu) => {
        const g = agg.get(lc(cu.CustomerId)) || { n: 0, last: 0, spent: 0 };
        const days = g.last ? Math.max(0, (REFERENCE_DATE - g.last) / 86400000) : 730;
        const z = -0.9 + 0.0045 * days - 0.025 * (parseInt(cu.TenureMonths, 10) || 0) - 0.12 * g.n - 0.0004 * g.spent + (tierAdj[lc(cu.LoyaltyTier)] ?? 0);
        const s = 1 / (1 + Math.exp(-z));
        return [cu.CustomerId, s.toFixed(4), s >= 0.6 ? "High" : s >= 0.3 ? "Medium" : "Low"];
      });
    } else {
      const agg = new Map();
      const add = (id, cat, v) => {
        const k = lc(id);
        const m = agg.get(k) || { id, cats: new Map(), total: 0 };
        m.cats.set(cat, (m.cats.get(cat) || 0) + v);
        m.total += v;
        agg.set(k, m);
      };
      for (const o of t.Orders) add(o.CustomerId, o.ProductCategory, parseFloat(o.TotalAmount) || 0);
      for (const w of t.WebActivity) add(w.CustomerId, w.PageCategory, (parseInt(w.DurationSeconds, 10) || 0) * 0.05);
      header = ["CustomerId", "ProductCategory", "AffinityScore"];
      rows = [...agg.values()].filter((m) => m.total > 0).map((m) => {
        const [cat, v] = [...m.cats.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
        return [m.id, cat, (v / m.total).toFixed(4)];
      });
    }
    if (nb === "ScoreChurnDuplicated" && rows.length) rows.push([...rows[0]]);
    const csv = writeCsv(header, rows);
    try {
      await this.storage.putBlob(out.account, out.container, out.path, Buffer.from(csv), "text/csv");
    } catch (e) {
      throw new ActivityError(`The output '${out.path}' could not be written to '${out.account}/${out.container}': ${e.code || e.message}.`, "2200");
    }
    return { output: { account: out.account, container: out.container, path: out.path, rows: rows.length }, executionDuration: Math.round(this.state.config.pipelineStepMs / 1000) };
  }
}
