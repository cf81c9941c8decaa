import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { exampleProject } from './scs.js';

/**
 * One backend for the repository contract suites (`describe.each(storeFactories)`): each suite runs
 * against every backend listed here.
 */
export interface StoreFactory {
  readonly name: Store['kind'];
  /**
   * Opens a store for a project's config (its own data: SQLite its file; a backend on a server, a
   * database of its own per project); without one, for a fresh copy of the example newsroom.
   */
  open(config?: Config): Promise<Store>;
  /** Closes the stores `open` opened and removes whatever it created. */
  cleanup(): Promise<void>;
}

export function sqliteFactory(): StoreFactory {
  const opened: Store[] = [];
  const projects: { cleanup(): void }[] = [];
  return {
    name: 'sqlite',
    async open(config) {
      if (!config) {
        const project = exampleProject();
        projects.push(project);
        config = loadConfig({ root: project.dir, env: {} });
      }
      const store = await openStore(config);
      opened.push(store);
      return store;
    },
    async cleanup() {
      for (const store of opened.splice(0)) await store.close().catch(() => {});
      for (const project of projects.splice(0)) project.cleanup();
    },
  };
}

/** The backends the contract suites run against (SQLite; PostgreSQL joins when it implements the repositories). */
export const storeFactories: readonly StoreFactory[] = [sqliteFactory()];

/** Everything an async iterable yields (Array.fromAsync is Node 22's). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
