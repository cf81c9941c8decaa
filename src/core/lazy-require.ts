import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** A value made on its first use, then kept: for what most runs never need. */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/**
 * A package loaded on its first use, synchronously (as CommonJS): for heavy ones that most runs never
 * need, so that those runs do not pay a tenth of a second at start-up for them. In the bundled CLI the
 * package comes as one file (`vendor/`, made by scripts/bundle.mjs), which loads in about half the time.
 */
export function lazyRequire<T>(id: string): () => T {
  return lazy(() => {
    const vendored = fileURLToPath(new URL(`./vendor/${id.replaceAll('/', '_')}.cjs`, import.meta.url));
    return require(existsSync(vendored) ? vendored : id) as T;
  });
}
