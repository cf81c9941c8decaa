import { expect } from 'vitest';

/**
 * A vCard read back as RFC 6350 says a reader must: lines end in CRLF, a line starting with a space
 * continues the one before, and text values unescape \\ \, \; \n. Written here, independently of the
 * writer, so that the test can catch it.
 */
export function parseVCard(text: string): { name: string; params: string; value: string }[] {
  expect(text.endsWith('\r\n')).toBe(true);
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(75);
  }
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ')) logical[logical.length - 1] += line.slice(1);
    else logical.push(line);
  }
  return logical.map((line) => {
    const colon = line.indexOf(':', line.lastIndexOf('"') + 1);
    const head = line.slice(0, colon);
    const semi = head.indexOf(';');
    return {
      name: semi < 0 ? head : head.slice(0, semi),
      params: semi < 0 ? '' : head.slice(semi + 1),
      value: line.slice(colon + 1),
    };
  });
}

/** A text value's components (split at unescaped `sep`), unescaped. */
export function unescapeText(value: string, sep = ';'): string[] {
  const out: string[] = [''];
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') {
      const next = value[++i]!;
      out[out.length - 1] += next === 'n' || next === 'N' ? '\n' : next;
    } else if (c === sep) out.push('');
    else out[out.length - 1] += c;
  }
  return out;
}
