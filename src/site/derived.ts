import type { DerivedFile, DerivedImage } from '../assets/pipeline.js';
import type { PlannedOutput } from './plan.js';

/**
 * The files the image pipeline made (assets/pipeline.ts), as outputs copied from `.scs/cache/images/`.
 * Each derived file's name holds the source's hash and its recipe, so the name is its key; the original
 * keeps the source's name but is published without its GPS position, hence a key of its own (replacing a
 * raw copy an older build made at that address).
 */
export function derivedOutputs(images: Iterable<DerivedImage>): PlannedOutput[] {
  const out = new Map<string, PlannedOutput>();
  const add = (f: DerivedFile, key = f.path) =>
    out.set(f.path, { path: f.path, key, make: { kind: 'copy', file: f.file } });
  for (const image of images) {
    for (const f of [...image.variants, image.email.x1, image.email.x2, image.og]) add(f);
    if (image.original) add(image.original, `${image.original.path}:no-gps`);
  }
  return [...out.values()];
}

/**
 * The plan's outputs with the derived files in: a derived original takes the place of the plain copy
 * the plan made of the same file at the same address.
 */
export function withDerived(outputs: PlannedOutput[], derived: PlannedOutput[]): PlannedOutput[] {
  const byPath = new Map(derived.map((o) => [o.path, o]));
  const merged = outputs.map((o) => byPath.get(o.path) ?? o);
  const planned = new Set(outputs.map((o) => o.path));
  return [...merged, ...derived.filter((o) => !planned.has(o.path))];
}
