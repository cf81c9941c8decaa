import { deserialize, serialize } from 'node:v8';
import type { FileResult } from './read.js';

/**
 * What one release file gave, with the size and modification time of the bytes it was read from
 * (size -1 when it could not be read: such a record never matches the file again).
 */
export interface FileRecord extends FileResult {
  size: number;
  mtimeMs: number;
}

/**
 * Records, or the paths of files gone (in a journal of changes), as bytes: how parser threads hand
 * their results over and how the cache keeps them. V8's own serializer keeps every field and Date,
 * so a field added to a release needs nothing here.
 */
export type Pack = Uint8Array<ArrayBuffer>;

export function packRecords(records: readonly (FileRecord | string)[]): Pack {
  return serialize(records) as Pack;
}

export function unpackRecords(pack: Uint8Array): (FileRecord | string)[] {
  return deserialize(pack) as (FileRecord | string)[];
}
