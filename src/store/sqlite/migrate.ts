import type Database from 'better-sqlite3';
import { fatal } from '../../core/catalogue/index.js';

/** What a step may need besides the database: the secret keys the suppression hashes. */
export interface MigrationContext {
  secret: string;
  /** Stamps what a step records. */
  now: Date;
}

/**
 * One step of the schema. Versions count up from 1; a released step never changes. A step may `note`
 * what people should hear about (what it merged, say). Numbers may have gaps: work done in parallel
 * reserves its number (008 may land before 007), and a database records the highest step applied.
 */
export type Migration = {
  version: number;
  name: string;
  /**
   * The step rebuilds a table others refer to: foreign keys are off while it runs (SQLite's own recipe
   * for changing a table; with them on, dropping the old table would cascade into the rows that refer to it).
   */
  rebuildsTables?: boolean;
  up: (db: Database.Database, context: MigrationContext & { note: (text: string) => void }) => void;
};

export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
  /** What the steps had to say, in order. */
  notes: string[];
}

/**
 * Brings the database up to the newest schema. The version lives in `PRAGMA user_version`; each step
 * runs in its own transaction together with the version bump, so a failure leaves the last good version.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[],
  shownFile: string,
  context: MigrationContext,
): MigrationResult {
  migrations.forEach((m, i) => {
    const before = i ? migrations[i - 1]!.version : 0;
    if (m.version <= before)
      throw new Error(`migration "${m.name}" has version ${m.version}, expected more than ${before}`);
  });
  const latest = migrations.at(-1)?.version ?? 0;
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) {
    throw fatal(2, 'store-too-new', { database: shownFile, version: from, latest });
  }
  const applied: string[] = [];
  const notes: string[] = [];
  for (const m of migrations.filter((m) => m.version > from)) {
    // PRAGMA foreign_keys is ignored inside a transaction: it is set around it.
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (m.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        // Read again under the write lock: another process may have run this step since we looked.
        if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return;
        m.up(db, { ...context, note: (text) => notes.push(text) });
        if (m.rebuildsTables && (db.pragma('foreign_key_check') as unknown[]).length)
          throw new Error(`migration "${m.name}" broke a foreign key`);
        db.pragma(`user_version = ${m.version}`);
        applied.push(`${m.version}-${m.name}`);
      }).immediate();
    } finally {
      if (m.rebuildsTables) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }
  return { from, to: latest, applied, notes };
}
