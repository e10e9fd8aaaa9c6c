import { InputError } from '../util/errors.js';

export interface CsvTable {
  /** Column names of the header row, trimmed. */
  readonly header: readonly string[];
  /** One record per data row: column name -> cell text (trimmed). */
  readonly rows: readonly Readonly<Record<string, string>>[];
  /** The 1-based line of the file each row starts on (for messages). */
  readonly lines: readonly number[];
}

/**
 * Parses comma-separated text as RFC 4180 describes it: fields may be quoted with ", a quote inside
 * a quoted field is written "", quoted fields may hold commas and line breaks; lines end in LF or
 * CRLF; a UTF-8 byte order mark is dropped; blank lines are skipped. The first row is the header.
 *
 * Errors name the file, the line and the rule: "csv-syntax" (a quote left open, text after a closing
 * quote), "csv-header" (empty or repeated column names), "csv-columns" (a row with another number of
 * fields than the header).
 */
export function parseCsv(text: string, file: string): CsvTable {
  const records = splitRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
  if (records.length === 0) throw new InputError(`${file}: empty CSV file (a header row is required)`, { file, rule: 'csv-header' });
  const [head, ...body] = records;
  const header = head!.fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (h === '' || seen.has(h)) {
      throw new InputError(`${file}:${head!.line}: ${h === '' ? 'empty' : `repeated "${h}"`} column name in the header`, { file, rule: 'csv-header' });
    }
    seen.add(h);
  }
  const rows: Record<string, string>[] = [];
  const lines: number[] = [];
  for (const r of body) {
    if (r.fields.length !== header.length) {
      throw new InputError(`${file}:${r.line}: ${r.fields.length} fields, the header has ${header.length}`, { file, rule: 'csv-columns' });
    }
    rows.push(Object.fromEntries(header.map((h, n) => [h, r.fields[n]!.trim()])));
    lines.push(r.line);
  }
  return { header, rows, lines };
}

function splitRecords(text: string, file: string): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let wasQuoted = false;
  const endRecord = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !wasQuoted)) records.push({ fields, line: start });
    fields = [];
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field.trim() !== '') throw new InputError(`${file}:${line}: a quote inside an unquoted field`, { file, rule: 'csv-syntax' });
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      wasQuoted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else {
      if (wasQuoted && ch !== ' ' && ch !== '\t') throw new InputError(`${file}:${line}: text after a closing quote`, { file, rule: 'csv-syntax' });
      field += ch;
    }
  }
  if (quoted) throw new InputError(`${file}:${start}: a quoted field is never closed`, { file, rule: 'csv-syntax' });
  if (field !== '' || fields.length > 0 || wasQuoted) endRecord();
  return records;
}
