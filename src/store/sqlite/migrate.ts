import type Database from 'better-sqlite3';
import { report } from '../../core/catalogue/index.js';
import { ScsError } from '../../core/diagnostic.js';

/** What a step may need besides the database: the secret keys the suppression hashes. */
export interface MigrationContext {
  secret: string;
  /** Stamps what a step records. */
  now: Date;
}

/**
 * One step of the schema. Versions count up from 1 without gaps; a released step never changes. A step
 * may `note` what people should hear about (what it merged, say).
 */
export type Migration = {
  version: number;
  name: string;
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
    if (m.version !== i + 1)
      throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) {
    throw new ScsError([report('store-too-new', { database: shownFile, version: from, latest })], 2);
  }
  const applied: string[] = [];
  const notes: string[] = [];
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      // Read again under the write lock: another process may have run this step since we looked.
      if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return;
      m.up(db, { ...context, note: (text) => notes.push(text) });
      db.pragma(`user_version = ${m.version}`);
      applied.push(`${m.version}-${m.name}`);
    }).immediate();
  }
  return { from, to: latest, applied, notes };
}
