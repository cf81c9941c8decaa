// PLACEHOLDER (helper 6 owns this file and replaces it).
import type Database from 'better-sqlite3';

export const migration = { version: 2, name: 'ledger', up(_db: Database.Database): void {} };
