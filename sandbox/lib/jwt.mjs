// JSON Web Tokens: RS256 signing for the tokens the sandbox issues, and verification of
// client assertions (RS256 or PS256) against a registered certificate.
import crypto from "node:crypto";
import { b64url } from "./util.mjs";

export function signJwt(payload, privateKey, kid) {
  const header = { typ: "JWT", alg: "RS256", kid, x5t: kid };
  const data = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const sig = crypto.sign("sha256", Buffer.from(data), privateKey);
  return `${data}.${b64url(sig)}`;
}

/** Split and decode a JWT without verifying it. Returns null when it is not a JWT. */
export function decodeJwt(token) {
  if (typeof token !== "string") return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    const payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], "base64url") };
  } catch {
    return null;
  }
}

/** Verify a JWT's signature with a public key (KeyObject or PEM). Supports RS256 and PS256. */
export function verifySignature(decoded, publicKey) {
  const alg = decoded.header.alg;
  const data = Buffer.from(decoded.signingInput);
  try {
    if (alg === "RS256") return crypto.verify("sha256", data, publicKey, decoded.signature);
    if (alg === "PS256")
      return crypto.verify("sha256", data,
        { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        decoded.signature);
  } catch {
    return false;
  }
  return false;
}

/** Thumbprints of a certificate as client assertions name them: x5t (SHA-1) and x5t#S256. */
export function thumbprints(certPem) {
  const x = new crypto.X509Certificate(certPem);
  return {
    x5t: crypto.createHash("sha1").update(x.raw).digest("base64url"),
    x5tS256: crypto.createHash("sha256").update(x.raw).digest("base64url"),
    publicKey: x.publicKey,
  };
}
