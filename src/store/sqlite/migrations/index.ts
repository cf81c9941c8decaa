import type { Migration } from '../migrate.js';
import { migration as m001 } from './001-subscribers.js';
import { migration as m002 } from './002-ledger.js';
import { migration as m003 } from './003-ledger-sweep.js';
import { migration as m004 } from './004-address-key.js';
import { migration as m005 } from './005-erase-replies.js';
import { migration as m006 } from './006-status-detail.js';
import { migration as m007 } from './007-bounce-events.js';
import { migration as m008 } from './008-press.js';

/** Every schema step, oldest first. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008];
