import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { checkReleases } from '../../src/content/load.js';
import type { Release } from '../../src/content/types.js';
import { renderNewsletter } from '../../src/email/render.js';
import type { MessageTemplate } from '../../src/email/types.js';
import { exampleProject } from '../helpers/scs.js';

export const NOW = new Date('2026-10-14T07:30:00Z');
export const BERGRUM_SV = 'sv/umea-lagrar-sommarvarme-i-gamla-bergrum';
export const BERGRUM_EN = 'en/umea-stores-summer-heat-in-old-rock-caverns';
export const ELCYKEL_SV = 'sv/elcykelpoolen-pa-alidhem-fordubblas-efter-forsta-aret';

export interface Project {
  dir: string;
  cleanup: () => void;
  write(rel: string, content: string): string;
  load(
    env?: NodeJS.ProcessEnv,
  ): Promise<{ config: Config; releases: Release[]; release(id: string): Release }>;
}

/** A copy of the example newsroom, with helpers to add files and load it. */
export function project(): Project {
  const t = exampleProject();
  return {
    ...t,
    write(rel, content) {
      const file = path.join(t.dir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    async load(env = {}) {
      const config = loadConfig({ root: t.dir, env });
      const { releases } = await checkReleases(config);
      return {
        config,
        releases,
        release(id) {
          const r = releases.find((x) => x.id === id);
          if (!r) throw new Error(`no release ${id} among ${releases.map((x) => x.id).join(', ')}`);
          return r;
        },
      };
    },
  };
}

/** Renders and insists on success. */
export async function renderOk(config: Config, release: Release, listId: string): Promise<MessageTemplate> {
  const { template, diagnostics } = await renderNewsletter(config, release, { listId, now: NOW });
  if (!template) throw new Error(`render failed: ${JSON.stringify(diagnostics, null, 2)}`);
  return template;
}

export function parse(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw);
}

/** A release file for tests, with frontmatter from the given fields. */
export function releaseFile(fields: Record<string, string>, body: string): string {
  const fm = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return `---\n${fm}\n---\n\n${body}\n`;
}

/** The raw header block of a message, as lines (folded lines joined). */
export function rawHeaderLines(raw: Buffer): string[] {
  const head = raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1');
  return head.replace(/\r\n(?=[ \t])/g, '').split('\r\n');
}
