// Request-body validation with ajv against the schemas in sandbox/schemas/ (written for
// synwiz from API.md). A violation becomes a 400 in Azure's error shape naming the path.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { HttpError } from "./util.mjs";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "schemas");
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json")))
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")));

function describe(e) {
  const at = (e.instancePath || "").replace(/^\//, "").replace(/\//g, ".");
  if (e.keyword === "required") {
    const p = at ? `${at}.${e.params.missingProperty}` : e.params.missingProperty;
    return `'${p}' is required`;
  }
  if (e.keyword === "additionalProperties") {
    const p = at ? `${at}.${e.params.additionalProperty}` : e.params.additionalProperty;
    return `'${p}' is not a recognized property`;
  }
  return `'${at || "(body)"}' ${e.message}`;
}

/** Validate `body` against schema `$id`; throws HttpError(400, code) with every violation named. */
export function check(id, body, code = "InvalidRequestContent") {
  const v = ajv.getSchema(id);
  if (!v) throw new Error(`no schema ${id}`);
  if (v(body)) return;
  const msgs = [...new Set(v.errors.filter((e) => e.keyword !== "if" && e.keyword !== "anyOf").map(describe))];
  if (!msgs.length) msgs.push(...v.errors.map(describe));
  throw new HttpError(400, code, `The request content was invalid: ${msgs.slice(0, 5).join("; ")}.`);
}

/** Every violation of schema `$id` by `value`, as sentences naming the path ([] when valid). */
export function violations(id, value) {
  const v = ajv.getSchema(id);
  if (!v) throw new Error(`no schema ${id}`);
  if (v(value)) return [];
  return [...new Set(v.errors.map(describe))];
}
