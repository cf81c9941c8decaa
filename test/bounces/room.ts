import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseMessage } from '../../src/bounces/parse.js';
import { sendRelease } from '../../src/publish/send.js';
import type { ReceivedMessage, TestSmtpServer } from '../delivery/smtp-server.js';
import { REPO } from '../helpers/scs.js';
import { BERGRUM_SV, DUE_DATE, newsroom, type Newsroom } from '../publish/newsroom.js';

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

/** A bounce room whose `emails`, on the list nyheter, were sent the Bergrum release through `smtp`. */
export async function sentBounceRoom(smtp: TestSmtpServer, emails: readonly string[]): Promise<Newsroom> {
  const room = bounceRoom();
  await room.seed('nyheter', emails);
  await sendRelease(room.config({ SCS_SMTP_URL: smtp.url }), { release: BERGRUM_SV, now: DUE_DATE });
  return room;
}

/** The Message-ID (with brackets) of the message `smtp` received for this address. */
export const messageIdTo = (smtp: TestSmtpServer, email: string) =>
  /^Message-ID: (.+)$/im.exec(smtp.received.find((m) => m.to === email)!.raw.toString())![1]!.trim();

const FIXTURES = path.join(REPO, 'test/fixtures/bounces');
export const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'latin1');
const FIXTURE_TOKEN = 'bounces+1-2-0123456789abcde@press.example';
const FIXTURE_MESSAGE_ID = '<20261014080000.a1b2c3@press.example>';

/**
 * A fixture report turned into one about a message the test server received: its recipient, its
 * Message-ID, and (with `verp`) its envelope sender as the address the report was sent to.
 */
export function bounceFor(name: string, m: ReceivedMessage, options: { verp: boolean; id?: string }): string {
  let text = fixture(name);
  const parsed = parseMessage(text);
  const recipient = parsed.recipients[0]!.address!;
  const messageId = /^Message-ID: (.+)$/im.exec(m.raw.toString('latin1'))![1]!.trim();
  text = text
    .replaceAll(recipient, m.to)
    .replaceAll(FIXTURE_MESSAGE_ID, messageId)
    .replaceAll(FIXTURE_TOKEN, options.verp ? m.from : 'bounces@stadslabbet.test');
  if (options.id) text = text.replace(/^Message-ID: .*$/m, `Message-ID: <${options.id}@mx.example>`);
  return text;
}
