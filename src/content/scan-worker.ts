import { replyToStarter, workerInput } from '../core/sync-worker.js';
import { type ScanInput, scan } from './scan.js';

/** Scans the release tree for scan.ts, on its own thread. */
const found = scan((await workerInput<{ input: ScanInput }>()).input);
replyToStarter(found, found.sizes && found.mtimes ? [found.sizes.buffer, found.mtimes.buffer] : []);
