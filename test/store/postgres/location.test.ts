import { describe, expect, it } from 'vitest';
import { isPostgresUrl, parsePostgresUrl } from '../../../src/store/postgres/location.js';

describe('SCS_DATABASE as a PostgreSQL URL', () => {
  it('tells a URL from a path', () => {
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://h/db')).toBe(true);
    expect(isPostgresUrl('.scs/scs.db')).toBe(false);
    expect(isPostgresUrl('/var/lib/postgres.db')).toBe(false);
  });

  it('reads the schema, keeps sslmode for the client, and never shows the password', () => {
    const l = parsePostgresUrl(
      'postgresql://press:p%40ss-SECRET@db.internal:5433/news?sslmode=require&schema=scs',
    );
    expect(l).toEqual({
      connectionString: 'postgresql://press:p%40ss-SECRET@db.internal:5433/news?sslmode=require',
      schema: 'scs',
      shown: 'postgres://press@db.internal:5433/news (schema scs)',
    });
  });

  it('takes the schema from search_path in options, else public', () => {
    const fromOptions = parsePostgresUrl('postgres://h/db?options=-c%20search_path%3Dpress');
    expect(fromOptions).toMatchObject({ schema: 'press', shown: 'postgres://h/db (schema press)' });
    expect(parsePostgresUrl('postgres://h/db')).toMatchObject({ schema: 'public', shown: 'postgres://h/db' });
  });

  it('refuses a URL without a database, or a schema that is not a plain name, without echoing it', () => {
    for (const raw of [
      'postgres://u:SECRET@h',
      'postgres://u:SECRET@h/db?schema=Robert%27);DROP',
      'postgres://',
    ]) {
      const d = parsePostgresUrl(raw);
      expect(d).toMatchObject({ code: 'store-url-invalid' });
      expect(JSON.stringify(d)).not.toContain('SECRET');
    }
  });
});
