// Ours, not csv-parse (dropped as a dependency): 100 lines that load with nothing else, and give each record's first line for file:line diagnostics.
/**
 * A small RFC 4180 reader that knows the line each record starts on (for messages naming file:line,
 * also when quoted fields span lines) and is fast enough for 100,000-row files. Lenient where people's
 * files are sloppy: spaces around values (quoted or not) are dropped, a stray quote inside an unquoted field
 * is kept as text, "\n", "\r\n" and "\r" all end a record.
 */
export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

export function parseCsv(input: string, delimiter: string): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  const blank = (c: number) => c === SPACE || (c === TAB && d !== TAB);
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  while (i < n) {
    const record: CsvRecord = { line, fields: [] };
    for (;;) {
      let j = i;
      while (j < n && blank(text.charCodeAt(j))) j++;
      if (j < n && text.charCodeAt(j) === QUOTE) {
        const opened = line;
        let value = '';
        let k = j + 1;
        for (;;) {
          const q = text.indexOf('"', k);
          if (q < 0) throw new CsvError(`the quoted field on line ${opened} is never closed`, opened);
          const chunk = text.slice(k, q);
          for (let m = 0; m < chunk.length; m++) {
            const c = chunk.charCodeAt(m);
            if (c === LF || (c === CR && chunk.charCodeAt(m + 1) !== LF)) line++;
          }
          value += chunk;
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            k = q + 2;
            continue;
          }
          k = q + 1;
          break;
        }
        while (k < n && blank(text.charCodeAt(k))) k++;
        record.fields.push(value.trim());
        i = k;
      } else {
        let k = j;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === d || c === LF || c === CR) break;
          k++;
        }
        record.fields.push(text.slice(j, k).trimEnd());
        i = k;
      }
      const c = i < n ? text.charCodeAt(i) : -1;
      if (c === d) {
        i++;
        continue;
      }
      if (c === CR || c === LF) {
        i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
        line++;
      } else if (c !== -1) {
        throw new CsvError(`text follows the closing quote of a field on line ${line}`, line);
      }
      break;
    }
    records.push(record);
  }
  return records;
}

// A spreadsheet takes a cell starting with one of these for a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;
const DEFUSED = /^'[=+\-@\t\r]/;

/** A cell a spreadsheet shows as text: a leading `'` before a formula character, as OWASP advises. */
export const defuseFormula = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

/** The inverse, for reading an export back: the `'` that defuseFormula added goes again. */
export const undoDefuse = (value: string) => (DEFUSED.test(value) ? value.slice(1) : value);
