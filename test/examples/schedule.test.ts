import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');
const read = (file: string) => readFileSync(path.join(EXAMPLES, file), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}

/** A systemd unit file as sections of settings (a setting given twice keeps both values). */
function unit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | undefined;
  for (const line of text.split('\n')) {
    if (!line.trim() || /^[#;]/.test(line)) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = sections[section[1]!] = {};
      continue;
    }
    const setting = /^(\w+)=(.*)$/.exec(line);
    expect(setting, `a setting: ${line}`).not.toBeNull();
    expect(current, `${line} before any section`).toBeDefined();
    const [, key, value] = setting!;
    current![key!] = [...(current![key!] ?? []), value!];
  }
  return sections;
}

describe('the examples for running scs publish on a schedule', () => {
  it('GitHub Actions: every ten minutes and on push, npm ci, .scs/cache restored, secrets in, public/ deployed', () => {
    const workflow = parse(read('github-actions/publish.yml'));
    expect(workflow.on.schedule).toEqual([{ cron: '*/10 * * * *' }]);
    expect(workflow.on.push).toBeDefined();
    expect(workflow.concurrency).toMatchObject({ 'cancel-in-progress': false });
    const steps: Step[] = workflow.jobs.publish.steps;
    const at = (find: (s: Step) => boolean | undefined) => {
      const i = steps.findIndex(find);
      expect(i, String(find)).toBeGreaterThanOrEqual(0);
      return i;
    };
    const install = at((s) => s.run === 'npm ci');
    const restore = at((s) => s.uses?.startsWith('actions/cache/restore@'));
    const publish = at((s) => s.run === 'npx scs publish');
    const save = at((s) => s.uses?.startsWith('actions/cache/save@'));
    const upload = at((s) => s.uses?.startsWith('actions/upload-pages-artifact@'));
    const deploy = at((s) => s.uses?.startsWith('actions/deploy-pages@'));
    expect([install, restore, publish, save, upload, deploy]).toEqual(
      [install, restore, publish, save, upload, deploy].sort((a, b) => a - b),
    );
    expect(steps[restore]!.with).toMatchObject({ path: '.scs/cache', 'restore-keys': 'scs-cache-' });
    expect(steps[save]!.with!.key).toBe(steps[restore]!.with!.key);
    for (const name of ['SCS_DATABASE', 'SCS_SMTP_URL', 'SCS_SECRET'])
      expect(steps[publish]!.env![name]).toBe(`\${{ secrets.${name} }}`);
    expect(steps[upload]!.with).toEqual({ path: 'public' });
    // The archive and the cache are kept after a failed run too (a paused dispatch exits 1).
    for (const s of [save, upload, deploy]) expect(steps[s]!.if).toContain('!cancelled()');
    expect(workflow.permissions).toMatchObject({ pages: 'write', 'id-token': 'write' });
  });

  it('GitLab CI: on schedules and the default branch, npm ci, .scs/cache kept, public/ to Pages', () => {
    const pipeline = parse(read('gitlab-ci.yml'));
    const conditions = pipeline.workflow.rules.map((r: { if: string }) => r.if);
    expect(conditions).toContain('$CI_PIPELINE_SOURCE == "schedule"');
    const { publish, pages } = pipeline;
    expect(publish.script).toEqual(['npm ci --cache .npm --prefer-offline', 'npx scs publish']);
    expect(publish.cache).toContainEqual({ key: 'scs-cache', paths: ['.scs/cache/'], when: 'always' });
    expect(publish.artifacts).toMatchObject({ paths: ['public/'], when: 'always' });
    expect(publish.resource_group).toBeDefined();
    expect(pages).toMatchObject({
      needs: [{ job: 'publish', artifacts: true }],
      artifacts: { paths: ['public/'] },
    });
    expect(pipeline.stages.indexOf(publish.stage)).toBeLessThan(pipeline.stages.indexOf(pages.stage));
  });

  it('systemd: a oneshot service running scs publish, started by a timer every ten minutes', () => {
    const service = unit(read('systemd/scs-publish.service'));
    const timer = unit(read('systemd/scs-publish.timer'));
    expect(service.Service).toMatchObject({
      Type: ['oneshot'],
      ExecStart: ['/srv/newsroom/node_modules/.bin/scs publish'],
      EnvironmentFile: ['/etc/scs/publish.env'],
      KillSignal: ['SIGTERM'],
    });
    expect(timer.Timer).toMatchObject({
      OnCalendar: ['*:0/10'],
      Persistent: ['true'],
      Unit: ['scs-publish.service'],
    });
    expect(timer.Install).toEqual({ WantedBy: ['timers.target'] });

    // systemd's own check, where it is installed, of copies pointing at a newsroom that exists.
    if (spawnSync('systemd-analyze', ['--version']).status !== 0) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'scs-systemd-'));
    try {
      const newsroom = path.join(dir, 'newsroom');
      mkdirSync(path.join(newsroom, 'node_modules', '.bin'), { recursive: true });
      const bin = path.join(newsroom, 'node_modules', '.bin', 'scs');
      writeFileSync(
        bin,
        `#!/bin/sh\nexec node ${path.resolve(import.meta.dirname, '../../bin/scs.js')} "$@"\n`,
      );
      chmodSync(bin, 0o755);
      for (const file of ['scs-publish.service', 'scs-publish.timer'])
        writeFileSync(path.join(dir, file), read(`systemd/${file}`).replaceAll('/srv/newsroom', newsroom));
      const verify = spawnSync(
        'systemd-analyze',
        ['verify', path.join(dir, 'scs-publish.service'), path.join(dir, 'scs-publish.timer')],
        { encoding: 'utf8' },
      );
      expect(verify.stderr + verify.stdout).toBe('');
      expect(verify.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
