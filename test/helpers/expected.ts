import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The approved result in `file` (JSON), for a fixture test to compare with. With `update` (the
 * UPDATE_FIXTURES=1 environment variable) `actual` is written there first, for review in the diff.
 * A missing file throws: writing it here would approve whatever a new case produces.
 */
export function expectedJson(
  file: string,
  actual: unknown,
  update = process.env.UPDATE_FIXTURES === '1',
): unknown {
  if (update) writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  if (!existsSync(file))
    throw new Error(
      `${path.relative(process.cwd(), file)} is missing: write it by hand, or run the test with UPDATE_FIXTURES=1 and review what it writes`,
    );
  return JSON.parse(readFileSync(file, 'utf8'));
}
