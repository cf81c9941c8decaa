import { chmodSync, closeSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fatal } from '../../core/catalogue/index.js';
import { makePrivateDir } from '../../core/private-dir.js';

/** Opens (creating when needed) the SQLite file with the settings every connection needs. */
export function openDatabase(file: string, shownFile: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    makePrivateDir(path.dirname(file));
    // Personal data: readable by the owner only, whatever the umask. SQLite gives the -wal and -shm
    // files it creates the database file's mode; files an older scs left get it here.
    closeSync(openSync(file, 'a', 0o600));
    for (const suffix of ['', '-wal', '-shm']) ownerOnly(`${file}${suffix}`);
    db = new Database(file);
    // WAL: `scs serve` keeps answering while a send or an import writes.
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // 32 MiB of page cache: an import of 100,000 rows then stays in memory until it commits.
    db.pragma('cache_size = -32768');
    // Erased personal data is overwritten, not just unlinked from the page.
    db.pragma('secure_delete = ON');
    return db;
  } catch (e) {
    db?.close();
    throw fatal(2, 'store-unreadable', { database: shownFile, reason: (e as Error).message });
  }
}

function ownerOnly(file: string): void {
  try {
    chmodSync(file, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
