import type pg from 'pg';
import { report } from '../../core/catalogue/index.js';
import { ScsError } from '../../core/diagnostic.js';
import type { MigrationResult } from '../sqlite/migrate.js';
import { quoteIdent } from './connect.js';
import type { PostgresLocation } from './location.js';

/** One schema step: SQL run in a transaction together with the version bump. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/** The version the schema is at (0: scs has never set it up), read without changing anything. */
export async function postgresVersion(client: pg.Client, location: PostgresLocation): Promise<number> {
  const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [
    `${quoteIdent(location.schema)}.scs_schema`,
  ]);
  if (!rows[0]?.exists) return 0;
  const version = await client.query<{ version: number }>(
    `SELECT version FROM ${quoteIdent(location.schema)}.scs_schema`,
  );
  return version.rows[0]?.version ?? 0;
}

/**
 * Brings the schema up to the newest version. Each step runs in its own transaction under an advisory
 * lock on the schema's name, and reads the version again once it holds the lock: of several runners
 * starting at once, one migrates and the others find the work done.
 */
export async function migratePostgres(
  client: pg.Client,
  location: PostgresLocation,
  migrations: readonly PostgresMigration[],
): Promise<MigrationResult> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  const schema = quoteIdent(location.schema);
  const from = await postgresVersion(client, location);
  if (from > latest) {
    throw new ScsError([report('store-too-new', { database: location.shown, version: from, latest })], 2);
  }
  const applied: string[] = [];
  for (const m of migrations.slice(from)) {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`scs-migrate:${location.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.scs_schema (one boolean PRIMARY KEY DEFAULT true CHECK (one), version integer NOT NULL)`,
      );
      const now = await postgresVersion(client, location);
      if (now > latest) {
        throw new ScsError([report('store-too-new', { database: location.shown, version: now, latest })], 2);
      }
      if (now < m.version) {
        await client.query(`SET LOCAL search_path TO ${schema}`);
        await client.query(m.sql);
        await client.query(
          `INSERT INTO ${schema}.scs_schema (version) VALUES ($1) ON CONFLICT (one) DO UPDATE SET version = EXCLUDED.version`,
          [m.version],
        );
        applied.push(`${m.version}-${m.name}`);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    }
  }
  return { from, to: latest, applied, notes: [] };
}
