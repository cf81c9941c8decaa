// PLACEHOLDER (helper 5 owns this file and replaces it).
import type Database from 'better-sqlite3';

export const migration = { version: 1, name: 'subscribers', up(_db: Database.Database): void {} };
