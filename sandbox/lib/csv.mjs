// Minimal RFC 4180 CSV: parse (quotes, doubled quotes, CRLF) and write.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let f = "";
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') { f += '"'; i++; } else q = false;
      } else f += c;
    } else if (c === '"' && f === "") q = true;
    else if (c === ",") { row.push(f); f = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(f); f = "";
      if (row.length > 1 || row[0] !== "") rows.push(row);
      row = [];
    } else f += c;
  }
  if (f !== "" || row.length) { row.push(f); rows.push(row); }
  if (rows.length && rows[0].length && rows[0][0].charCodeAt(0) === 0xfeff) rows[0][0] = rows[0][0].slice(1);
  return rows;
}

const esc = (v) => {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function writeCsv(header, rows) {
  return [header, ...rows].map((r) => r.map(esc).join(",")).join("\r\n") + "\r\n";
}

/**
 * A streaming RFC 4180 scanner for files of any size: push(buffer) chunks, then end().
 * Keeps the first record's fields (the header, when there is one), counts records (blank
 * lines skipped, as readers do) and remembers the first record whose field count differs
 * from the first's, or a quote in the middle of an unquoted field.
 */
export class CsvScanner {
  constructor() {
    this.records = 0;
    this.first = null; // fields of the first record
    this.bad = null; // { record, line, fields } | { record, line, quote: true }
    this.line = 1;
    this.inQuote = false;
    this.afterQuote = false;
    this.fieldBytes = 0;
    this.fields = 0;
    this.cur = []; // bytes of the current field (first record only)
    this.firstFields = [];
    this.bom = 0;
  }

  endField() {
    if (this.first === null) this.firstFields.push(Buffer.from(this.cur).toString("utf8"));
    this.cur = [];
    this.fields++;
    this.fieldBytes = 0;
    this.afterQuote = false;
  }

  endRecord() {
    if (this.fields === 0 && this.fieldBytes === 0 && !this.afterQuote) return; // blank line
    this.endField();
    this.records++;
    if (this.first === null) this.first = this.firstFields;
    else if (!this.bad && this.fields !== this.first.length) this.bad = { record: this.records, line: this.line, fields: this.fields };
    this.fields = 0;
  }

  push(buf) {
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      // A UTF-8 byte order mark opening the file is no data (a partial one is dropped).
      if (this.bom < 3) {
        if (c === [0xef, 0xbb, 0xbf][this.bom]) {
          this.bom++;
          continue;
        }
        this.bom = 3;
      }
      if (this.inQuote) {
        if (c === 0x22) {
          this.inQuote = false;
          this.afterQuote = true;
        } else {
          if (c === 0x0a) this.line++;
          if (this.first === null) this.cur.push(c);
        }
        continue;
      }
      if (c === 0x22) {
        if (this.afterQuote) { // a doubled quote inside a quoted field
          this.inQuote = true;
          this.afterQuote = false;
          if (this.first === null) this.cur.push(c);
        } else if (this.fieldBytes === 0) {
          this.inQuote = true;
        } else if (!this.bad) {
          this.bad = { record: this.records + 1, line: this.line, quote: true };
        }
        this.fieldBytes++;
        continue;
      }
      if (c === 0x2c) {
        this.endField();
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        this.endRecord();
        if (c === 0x0a) this.line++;
        continue;
      }
      this.fieldBytes++;
      this.afterQuote = false;
      if (this.first === null) this.cur.push(c);
    }
  }

  end() {
    if (this.fields || this.fieldBytes || this.afterQuote) this.endRecord();
    return this;
  }
}
