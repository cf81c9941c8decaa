import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { exampleProject } from '../helpers/scs.js';

/** A copy of the example newsroom (lists nyheter/sv and news/en) with its own SQLite store. */
export async function subscriberProject(env: NodeJS.ProcessEnv = {}): Promise<{
  dir: string;
  config: Config;
  store: Store;
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}> {
  const project = exampleProject();
  const config = loadConfig({ root: project.dir, env });
  let store = await openStore(config);
  return {
    dir: project.dir,
    config,
    get store() {
      return store;
    },
    async reopen() {
      await store.close();
      store = await openStore(config);
      return store;
    },
    async cleanup() {
      await store.close();
      project.cleanup();
    },
  };
}

export const T0 = new Date('2026-03-02T09:00:00Z');
export const later = (ms: number, from = T0) => new Date(from.getTime() + ms);
