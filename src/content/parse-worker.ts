import type { Config } from '../config/types.js';
import { replyToStarter, workerInput } from '../core/sync-worker.js';
import { parseShared } from './parallel.js';

/** Parses release files for parallel.ts, off the shared counter, and posts them back packed. */
const { config, files, next } = await workerInput<{ config: Config; files: string[]; next: Int32Array }>();
const result = parseShared(config, files, next);
replyToStarter(result, [result.pack.buffer]);
