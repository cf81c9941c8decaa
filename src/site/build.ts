// PLACEHOLDER (helper 3 owns this file and replaces it).
import type { Config } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { Release } from '../content/types.js';

export interface BuildOptions {
  now: Date;
  drafts?: boolean;
  future?: boolean;
  /** Already checked releases; when absent the build runs the check itself. */
  releases?: Release[];
  search?: boolean;
}
export interface BuildResult {
  ok: boolean;
  outDir: string;
  pages: number;
  written: number;
  nextDue?: Date;
  diagnostics: Diagnostic[];
}
export async function buildSite(_config: Config, _options: BuildOptions): Promise<BuildResult> {
  throw new Error('not built yet');
}
