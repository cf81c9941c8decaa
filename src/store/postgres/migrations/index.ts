import type { PostgresMigration } from '../migrate.js';
import { migration as m001 } from './001-initial.js';
import { migration as m002 } from './002-bounces-press.js';
import { migration as m003 } from './003-bulk-references.js';

/** Every PostgreSQL schema step, oldest first. Add new ones at the end; never edit one that has shipped. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [m001, m002, m003];
