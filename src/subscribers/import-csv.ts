import { readFileSync } from 'node:fs';
import { report } from '../core/catalogue/index.js';
import { type Diagnostic, ScsError } from '../core/diagnostic.js';
import { CsvError, type CsvRecord, parseCsv, undoDefuse } from './csv.js';

/** The columns scs understands, each under the names people give them (English and Swedish). */
const COLUMN_NAMES: Record<ImportColumn, string[]> = {
  email: ['email', 'emailaddress', 'emailadress', 'epost', 'epostadress', 'mail', 'mailadress'],
  name: ['name', 'namn', 'fullname', 'fulltnamn'],
  firstName: ['firstname', 'fornamn', 'givenname'],
  lastName: ['lastname', 'efternamn', 'surname', 'familyname'],
  lang: ['language', 'lang', 'sprak', 'locale'],
  lists: ['list', 'lists', 'lista', 'listor'],
  status: ['status'],
  // Press lists: what a journalist covers, and why they are on the list (the consent record).
  outlet: ['outlet', 'publication', 'redaktion', 'tidning', 'media', 'medium'],
  beat: ['beat', 'topics', 'bevakning', 'amnen'],
  reason: ['reason', 'anledning', 'skal'],
};
export type ImportColumn =
  | 'email'
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'lang'
  | 'lists'
  | 'status'
  | 'outlet'
  | 'beat'
  | 'reason';

/** One data row as written in the file (trimmed), with the line it starts on. */
export interface CsvRow {
  line: number;
  fields: Partial<Record<ImportColumn, string>>;
  /** Set when the row has more fields than the header. */
  extraFields?: number;
}

export interface ParsedCsv {
  rows: CsvRow[];
  columns: ImportColumn[];
  /** Header names scs does not use, as written. */
  ignoredColumns: string[];
  delimiter: string;
}

const headerKey = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** The delimiter the header line uses most: `,`, `;` (Excel in Swedish) or a tab. */
function detectDelimiter(text: string): string {
  const firstLine = /^\uFEFF?\s*([^\r\n]*)/.exec(text)?.[1] ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, unquoted.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

const fail = (d: Diagnostic) => new ScsError([d], 1);

/** Reads a subscriber CSV: UTF-8 with or without a BOM, any delimiter of `,` `;` tab, header-driven. */
export function readSubscriberCsv(file: string, shown: string): ParsedCsv {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw fail(
      report('import-unreadable', {
        csv: shown,
        reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message,
        file: shown,
      }),
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fail(report('import-encoding', { csv: shown, file: shown }));
  }
  return parseSubscriberCsv(text, shown);
}

function parseSubscriberCsv(text: string, shown: string): ParsedCsv {
  const delimiter = detectDelimiter(text);
  let records: CsvRecord[];
  try {
    records = parseCsv(text, delimiter);
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    throw fail(report('import-csv-invalid', { csv: shown, reason: e.message, file: shown, line: e.line }));
  }
  const blank = (r: CsvRecord) => r.fields.every((f) => f === '');
  const headerAt = records.findIndex((r) => !blank(r));
  const header = records[headerAt];
  if (!header) {
    throw fail(report('import-empty', { csv: shown, file: shown }));
  }
  const index: Partial<Record<ImportColumn, number>> = {};
  const ignoredColumns: string[] = [];
  header.fields.forEach((name, i) => {
    const key = headerKey(name);
    const column = (Object.keys(COLUMN_NAMES) as ImportColumn[]).find((c) => COLUMN_NAMES[c].includes(key));
    if (!column) {
      if (name) ignoredColumns.push(name);
      return;
    }
    if (index[column] !== undefined) {
      throw fail(
        report('import-duplicate-column', {
          first: header.fields[index[column]!]!,
          second: name,
          file: shown,
          line: header.line,
        }),
      );
    }
    index[column] = i;
  });
  if (index.email === undefined) {
    throw fail(
      report('import-no-email-column', {
        csv: shown,
        header: header.fields.join(delimiter),
        file: shown,
        line: header.line,
      }),
    );
  }
  const columns = Object.keys(index) as ImportColumn[];
  const width = header.fields.length;
  const rows: CsvRow[] = [];
  for (let i = headerAt + 1; i < records.length; i++) {
    const { line, fields: values } = records[i]!;
    if (blank(records[i]!)) continue;
    const fields: CsvRow['fields'] = {};
    // An export of scs (or a careful spreadsheet) defuses formulas with a leading "'": read the value.
    for (const c of columns) fields[c] = undoDefuse(values[index[c]!] ?? '');
    const extra = values.length - width;
    rows.push(
      extra > 0 && values.slice(width).some((f) => f !== '')
        ? { line, fields, extraFields: extra }
        : { line, fields },
    );
  }
  return { rows, columns, ignoredColumns, delimiter };
}
