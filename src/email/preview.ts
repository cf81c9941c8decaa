// PLACEHOLDER (helper 4 owns this file and replaces it).
import type { Config } from '../config/types.js';
import type { Release } from '../content/types.js';

/** A full HTML page: the email at phone and desktop widths, the text part and the headers. */
export async function renderEmailPreview(_config: Config, _release: Release, _options: { listId?: string } = {}): Promise<string> {
  throw new Error('not built yet');
}
