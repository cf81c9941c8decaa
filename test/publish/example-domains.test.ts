import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleProject, runScsAsync } from '../helpers/scs.js';
import { startSmtpServer, type TestSmtpServer } from '../delivery/smtp-server.js';
import { DUE, SECRET } from './newsroom.js';

describe('scs publish on the example newsroom', () => {
  let server: TestSmtpServer | undefined;
  let cleanup = () => {};
  afterEach(async () => {
    await server?.close();
    server = undefined;
    cleanup();
  });

  it('rehearses with the file outbox, but refuses to send over SMTP from .example addresses', async () => {
    const project = exampleProject();
    cleanup = project.cleanup;
    const dir = project.dir;
    const scs = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      runScsAsync(args, { cwd: dir, env: { SCS_SECRET: SECRET, ...env } });
    const add = await scs(['subscribers', 'add', 'reader@example.com', '--list', 'nyheter', '--confirmed']);
    expect(add.code).toBe(0);

    server = await startSmtpServer();
    const smtp = { SCS_SMTP_URL: server.url };
    const refused = await scs(['publish', '--now', DUE, '--json'], smtp);
    expect(refused.code).toBe(1);
    const result = JSON.parse(refused.stdout) as {
      diagnostics: { code: string; file: string; line: number; column: number; hint: string }[];
    };
    const lines = readFileSync(path.join(dir, 'scs.config.yml'), 'utf8').split('\n');
    const lineOf = (re: RegExp) => lines.findIndex((l) => re.test(l)) + 1;
    expect(result.diagnostics.map(({ code, file, line }) => ({ code, file, line }))).toEqual([
      { code: 'config-example-domain', file: 'scs.config.yml', line: lineOf(/^ {2}baseUrl:/) },
      { code: 'config-example-domain', file: 'scs.config.yml', line: lineOf(/^ {4}email: press@/) },
      { code: 'config-example-domain', file: 'scs.config.yml', line: lineOf(/^ {2}replyTo:/) },
      { code: 'config-example-domain', file: 'scs.config.yml', line: lineOf(/^ {2}endpoint:/) },
    ]);
    expect(result.diagnostics[0]!.hint).toContain('SCS_SMTP_URL');
    expect(server.received).toHaveLength(0);
    expect(existsSync(path.join(dir, 'public'))).toBe(false);

    const pretty = await scs(['publish', '--now', DUE], smtp);
    expect(pretty.stderr).toContain(
      'scs.config.yml:12:12 error site.baseUrl is still on an example domain (https://press.stadslabbet.example/)',
    );
    expect(pretty.stderr).toContain('Nothing was built or sent');

    // The quick start: without SMTP the example newsroom publishes to the outbox as before.
    const rehearsal = await scs(['publish', '--now', DUE]);
    expect(rehearsal.code).toBe(0);
    expect(rehearsal.stderr).toContain('Nobody is mailed: file outbox');

    // On its own domain, the same newsroom sends.
    const config = path.join(dir, 'scs.config.yml');
    writeFileSync(config, readFileSync(config, 'utf8').replaceAll('stadslabbet.example', 'stadslabbet.test'));
    const real = await scs(['publish', '--now', DUE], smtp);
    expect(real.code).toBe(0);
    expect(server.count('reader@example.com')).toBe(1);
  });
});
