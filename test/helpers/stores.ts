import { afterAll } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { postgresBin, startPostgres, type TestPostgres } from './postgres.js';
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

/**
 * A backend's factory: `place` says where a project's data goes (the config to open its store with).
 */
function factory(name: Store['kind'], place: (config: Config) => Promise<Config>): StoreFactory {
  const opened: Store[] = [];
  const projects: { cleanup(): void }[] = [];
  return {
    name,
    async open(config) {
      if (!config) {
        const project = exampleProject();
        projects.push(project);
        config = loadConfig({ root: project.dir, env: {} });
      }
      const store = await openStore(await place(config));
      opened.push(store);
      return store;
    },
    async cleanup() {
      for (const store of opened.splice(0)) await store.close().catch(() => {});
      for (const project of projects.splice(0)) project.cleanup();
    },
  };
}

/** SQLite: the project's own file, as its config says. */
export function sqliteFactory(): StoreFactory {
  return factory('sqlite', async (config) => config);
}

/**
 * PostgreSQL: one throw-away cluster per test file (started by the first store opened, stopped after
 * the file's tests: vitest ends its workers without an 'exit' event, and pg_ctl's server would outlive
 * them), and a schema of its own per project, so that tests stay independent.
 */
export function postgresFactory(): StoreFactory {
  let server: Promise<TestPostgres> | undefined;
  const schemas = new Map<string, string>();
  afterAll(async () => {
    const started = server;
    server = undefined;
    schemas.clear();
    if (started !== undefined) (await started).stop();
  });
  return factory('postgres', async (config) => {
    server ??= startPostgres();
    const url = `${(await server).url()}?schema=`;
    let schema = schemas.get(config.root);
    if (!schema) {
      schema = `project_${schemas.size + 1}`;
      schemas.set(config.root, schema);
    }
    return { ...config, env: { ...config.env, database: `${url}${schema}` } };
  });
}

/**
 * The backends the contract suites run against: SQLite, and PostgreSQL wherever Debian's `postgresql`
 * is installed (scripts/test-deps.sh installs it, as CI does).
 */
export const storeFactories: readonly StoreFactory[] = postgresBin()
  ? [sqliteFactory(), postgresFactory()]
  : [sqliteFactory()];
if (!postgresBin()) {
  console.warn(
    'PostgreSQL is not installed: the store contract suites run on SQLite only (npm run test:deps installs it).',
  );
}

/** Everything an async iterable yields (Array.fromAsync is Node 22's). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
