import { report } from '../../core/catalogue/index.js';
import type { Diagnostic } from '../../core/diagnostic.js';

/** A PostgreSQL database named by `SCS_DATABASE`, and the schema scs keeps its tables in. */
export interface PostgresLocation {
  /** For the client: the URL without scs's own `schema` parameter. Holds the password: never shown. */
  connectionString: string;
  schema: string;
  /** For people: `postgres://user@host:port/db (schema scs)`, never a password. */
  shown: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/**
 * Reads `postgres://user:pass@host:5432/db?sslmode=require&schema=scs` (also `postgresql://`). The
 * schema comes from `schema=`, else from `options=-c search_path=…`, else `public`.
 */
export function parsePostgresUrl(raw: string): PostgresLocation | Diagnostic {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return report('store-url-invalid', { reason: 'it is not a URL' });
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname) return report('store-url-invalid', { reason: 'it names no host' });
  if (!database) return report('store-url-invalid', { reason: 'it names no database (…/<database>)' });
  const fromOptions = /search_path=([^\s,]+)/.exec(url.searchParams.get('options') ?? '')?.[1];
  const schema = url.searchParams.get('schema') ?? fromOptions ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    return report('store-url-invalid', {
      reason: `the schema "${schema}" is not a plain lower-case name (letters, digits, _)`,
    });
  }
  url.searchParams.delete('schema');
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  const port = url.port ? `:${url.port}` : '';
  return {
    connectionString: url.toString(),
    schema,
    shown: `postgres://${user}${url.hostname}${port}/${database}${schema === 'public' ? '' : ` (schema ${schema})`}`,
  };
}
