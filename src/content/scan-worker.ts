import { serveTasks } from '../core/pool.js';
import { type Scan, type ScanInput, scan } from './scan.js';

/** Scans the release tree for scan.ts, on its own thread. */
serveTasks<ScanInput, Scan>((input) => {
  const found = scan(input);
  return {
    result: found,
    transfer: found.sizes && found.mtimes ? [found.sizes.buffer, found.mtimes.buffer] : [],
  };
});
