// Preloaded with `node --import ./dns-localhost.mjs`: Node does not resolve *.localhost
// (libcurl does), so map every *.localhost name to 127.0.0.1 for the SDK's sockets.
import dns from "node:dns";

const original = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === "function") {
    callback = options;
    options = {};
  }
  if (typeof hostname === "string" && /(^|\.)localhost\.?$/i.test(hostname)) {
    const opts = typeof options === "number" ? { family: options } : options || {};
    if (opts.all) return process.nextTick(callback, null, [{ address: "127.0.0.1", family: 4 }]);
    return process.nextTick(callback, null, "127.0.0.1", 4);
  }
  return original.call(this, hostname, options, callback);
};
