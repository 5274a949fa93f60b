// The control endpoint (/_sandbox/ on any sandbox host; Azure has no such path), guarded by
// the x-sandbox-control header: state, reset, faults, device-code decisions, expiring
// tokens, configuration, and the list of secrets for `synwiz sandbox secrets`.
import { HttpError, send, readBody, parseJson, guid } from "./util.mjs";
import { check } from "./validate.mjs";

export class Faults {
  constructor(state) {
    this.state = state;
  }
  add(f) {
    check("control-fault.json", f, "InvalidFault");
    let re;
    try {
      re = new RegExp(f.route);
    } catch (e) {
      throw new HttpError(400, "InvalidFault", `The route '${f.route}' is not a valid regular expression: ${e.message}`);
    }
    const rec = { id: guid(), ...f, remaining: f.count ?? null, hits: 0 };
    Object.defineProperty(rec, "re", { value: re, enumerable: false });
    this.state.faults.push(rec);
    return rec;
  }
  /** The first fault whose route matches "METHOD host/path?query"; consumes one of its count. */
  match(method, host, url) {
    const subject = `${method} ${host}${url.pathname}${url.search}`;
    for (const f of this.state.faults) {
      if (f.remaining === 0 || !f.re.test(subject)) continue;
      if (f.remaining !== null) f.remaining--;
      f.hits++;
      return f;
    }
    return null;
  }
}

export class Control {
  constructor({ state, tokens, entra, faults, controlToken, reseed, secretList, isReady }) {
    Object.assign(this, { state, tokens, entra, faults, controlToken, reseed, secretList, isReady });
  }

  async handle(req, res, url) {
    const p = url.pathname.replace(/^\/_sandbox\/?/, "").replace(/\/+$/, "");
    const M = req.method;
    if (p === "ready" && M === "GET")
      return send(req, res, this.isReady() ? 200 : 503, { ready: this.isReady() });
    if (req.headers["x-sandbox-control"] !== this.controlToken)
      throw new HttpError(401, "Unauthorized", "The control endpoint needs the header x-sandbox-control with the control token of runtime.json.");
    const body = async () => parseJson(await readBody(req), {});
    if (p === "state" && M === "GET") return send(req, res, 200, this.state.dump());
    if (p === "reset" && M === "POST") {
      this.state.reset();
      await this.reseed();
      return send(req, res, 200, { status: "reset" });
    }
    if (p === "faults" && M === "GET") return send(req, res, 200, { value: this.state.faults });
    if (p === "faults" && M === "DELETE") {
      this.state.faults = [];
      return send(req, res, 200, { value: [] });
    }
    if (p.startsWith("faults/") && M === "DELETE") {
      this.state.faults = this.state.faults.filter((f) => f.id !== p.slice(7));
      return send(req, res, 200, { value: this.state.faults });
    }
    if (p === "faults" && M === "POST") {
      const b = await body();
      const list = Array.isArray(b) ? b : [b];
      return send(req, res, 201, { value: list.map((f) => this.faults.add(f)) });
    }
    if ((p === "devicecode/approve" || p === "devicecode/decline") && M === "POST") {
      const b = await body();
      if (!b.user_code) throw new HttpError(400, "InvalidRequest", "The body must name the user_code.");
      if (!this.entra.decide(b.user_code, p.endsWith("approve"), b.user))
        throw new HttpError(404, "UserCodeNotFound", `No pending device code has the user code '${b.user_code}' (unknown, expired, or already decided).`);
      return send(req, res, 200, { user_code: b.user_code, state: p.endsWith("approve") ? "approved" : "declined" });
    }
    if (p === "expire-tokens" && M === "POST") {
      const n = this.tokens.expireAll();
      return send(req, res, 200, { expired: n });
    }
    if (p === "config" && M === "POST") {
      const b = await body();
      check("control-config.json", b, "InvalidConfig");
      Object.assign(this.state.config, b);
      return send(req, res, 200, this.state.config);
    }
    if (p === "config" && M === "GET") return send(req, res, 200, this.state.config);
    if (p === "secrets" && M === "GET") {
      // value: the strings, as before; labels: what each one is, in the same order
      const list = this.secretList();
      return send(req, res, 200, { value: list.map((s) => s.value), labels: list.map((s) => s.label) });
    }
    throw new HttpError(404, "NotFound", `The control endpoint has no '${M} /_sandbox/${p}'.`);
  }
}
