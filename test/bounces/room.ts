import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { newsroom, type Newsroom } from '../publish/newsroom.js';

export const BOUNCE_BOX = 'bounces@stadslabbet.test';

/** The example newsroom (see publish/newsroom.ts) with a bounce mailbox and the bounce settings given. */
export function bounceRoom(bounce: Record<string, string | number> = {}): Newsroom {
  const room = newsroom();
  const file = path.join(room.dir, 'scs.config.yml');
  const settings = { address: BOUNCE_BOX, ...bounce };
  const section = `  bounce:\n${Object.entries(settings)
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join('')}`;
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}delivery:\n/m, `${section}  delivery:\n`));
  return room;
}
