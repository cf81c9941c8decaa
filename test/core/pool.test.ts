import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerFailure, WorkerPool } from '../../src/core/pool.js';

const WORKER = fileURLToPath(new URL('./fixtures/pool-worker.mjs', import.meta.url));
type Task = number | 'throw' | 'exit' | 'hang';

const pools: WorkerPool<Task, number>[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
const start = (size: number, timeoutMs?: number) => {
  const pool = WorkerPool.start<Task, number>(WORKER, size, timeoutMs ? { timeoutMs } : {})!;
  pools.push(pool);
  return pool;
};

describe('WorkerPool', () => {
  it('answers tasks on its threads', async () => {
    const pool = start(2);
    expect(await Promise.all([1, 2, 3].map((n) => pool.run(n)))).toEqual([2, 4, 6]);
  });

  it('fails the task of a thread that throws, and keeps the thread', async () => {
    const pool = start(1);
    await expect(pool.run('throw')).rejects.toThrow(new WorkerFailure('threw (boom)'));
    expect(pool.size).toBe(1);
    expect(await pool.run(4)).toBe(8);
  });

  it('fails the tasks of a thread that dies; the others go on', async () => {
    const pool = start(2);
    await expect(pool.run('exit')).rejects.toThrow(new WorkerFailure('exited (code 3)'));
    expect(pool.size).toBe(1);
    expect(await pool.run(5)).toBe(10);
  });

  it('stops a thread that does not answer in time, and fails its task', async () => {
    const pool = start(1, 50);
    await expect(pool.run('hang')).rejects.toThrow(new WorkerFailure('did not answer within 0.05 s'));
    expect(pool.size).toBe(0);
    expect(pool.hasRoom(2)).toBe(false);
    await expect(pool.run(1)).rejects.toBeInstanceOf(WorkerFailure);
  });

  it('does not keep the process alive once idle', () => {
    const script = fileURLToPath(new URL('./fixtures/idle-pool.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('42\n');
  });

  it('starts nothing without a compiled worker', () => {
    expect(
      WorkerPool.start(fileURLToPath(new URL('./fixtures/none.mjs', import.meta.url)), 2),
    ).toBeUndefined();
  });
});
