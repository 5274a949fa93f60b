#!/bin/sh
# What users read holds no internal references (issue 15): no design-document citations
# such as "(API.md D.6)", "(behavior.md 6.5)" or "(see forms/README.md)", and no internal
# action ids such as "next: Check again (action connection_doctor)". Looked for in every
# string literal of src/ and ui/ (comments are for us and may cite anything) and in every
# string of forms/*.json except "comment" values.
#
# One kind of literal is not user text: the rules' `source` column (src/wizard/rules.c),
# a citation tag that starts with "behavior.md " and is never shown.
set -u
SRC=${2:?source dir}
cd "$SRC" || exit 1
command -v node >/dev/null 2>&1 || { echo "node is missing"; exit 77; }
find src ui -name '*.[ch]' | sort >/tmp/user_text.$$.c
ls forms/*.json >/tmp/user_text.$$.json
node - /tmp/user_text.$$.c /tmp/user_text.$$.json <<'JS'
const fs = require("fs");
const [cList, jsonList] = process.argv.slice(2).map((f) => fs.readFileSync(f, "utf8").split("\n").filter(Boolean));
const bad = [];
const internal = (s) => {
  if (/\(action ([a-z_]+|%s)\)/.test(s)) return true;
  if (!/\b[\w./-]+\.md\b/.test(s)) return false;
  return !/^behavior\.md /.test(s); // the rules' source tags: never shown
};
for (const file of cList) {
  const text = fs.readFileSync(file, "utf8");
  // Walk the C text: skip comments and character constants, collect string literals;
  // adjacent literals (C concatenates them) are joined, so a citation split over two
  // lines is still seen whole.
  let i = 0, line = 1, cur = null, curLine = 0, lastEnd = -1;
  const flush = () => {
    if (cur !== null && internal(cur)) bad.push(`${file}:${curLine}: "${cur}"`);
    cur = null;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "\n") line++;
    if (c === "/" && text[i + 1] === "*") {
      const e = text.indexOf("*/", i + 2);
      const end = e < 0 ? text.length : e + 2;
      line += (text.slice(i, end).match(/\n/g) || []).length;
      i = end;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      i = text.indexOf("\n", i);
      if (i < 0) break;
      continue;
    }
    if (c === "'") {
      i += text[i + 1] === "\\" ? 4 : 3;
      continue;
    }
    if (c === '"') {
      let j = i + 1, s = "";
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\") { s += text[j] + text[j + 1]; j += 2; } else s += text[j++];
      }
      const between = lastEnd >= 0 ? text.slice(lastEnd, i) : "x";
      if (cur !== null && /^\s*$/.test(between)) cur += s;
      else { flush(); cur = s; curLine = line; }
      lastEnd = j + 1;
      i = j + 1;
      continue;
    }
    if (!/\s/.test(c) && cur !== null) flush();
    i++;
  }
  flush();
}
for (const file of jsonList) {
  const walk = (v, key, path) => {
    if (typeof v === "string") {
      if (key !== "comment" && internal(v)) bad.push(`${file}: ${path}: "${v}"`);
    } else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) walk(x, Array.isArray(v) ? key : k, `${path}/${k}`);
    }
  };
  walk(JSON.parse(fs.readFileSync(file, "utf8")), "", "");
}
if (bad.length) {
  console.log("internal references in text users read:");
  for (const b of bad) console.log("  " + b);
  process.exit(1);
}
console.log(`user text: ok (${cList.length} C files, ${jsonList.length} forms)`);
JS
rc=$?
rm -f /tmp/user_text.$$.c /tmp/user_text.$$.json
exit $rc
