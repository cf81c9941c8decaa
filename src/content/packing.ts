import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

/**
 * A compact form for many records: every value goes into one of two streams, numbers into a
 * Float64Array and strings as UTF-8 into one byte block (each string's length in UTF-16 units goes into
 * the numbers; the strings of a record are encoded together). Reading decodes the block once and cuts
 * it into slices. A pack crosses to another thread without copying (both streams are transferable),
 * and reading it allocates little beyond the values asked for: ten thousand releases load without the
 * garbage collector copying hundreds of thousands of values around. Packs written one after the other
 * read back as one (see writePackFile).
 */
export interface Pack {
  numbers: Float64Array<ArrayBuffer>;
  bytes: Uint8Array<ArrayBuffer>;
}

export class PackWriter {
  private numbers: Float64Array<ArrayBuffer>;
  private count = 0;
  private bytes: Buffer<ArrayBuffer>;
  private used = 0;
  /** The open record: where its segment's byte length goes, and its strings so far. */
  private slot = -1;
  private segment = '';

  /** `records` and `bytesEach`: how much to expect, so that the buffers seldom grow (each growth copies). */
  constructor(records = 64, bytesEach = 1024) {
    this.numbers = new Float64Array(Math.max(4096, records * 64));
    this.bytes = Buffer.allocUnsafeSlow(Math.max(64 * 1024, records * bytesEach));
  }

  num(n: number): void {
    if (this.count === this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.count++] = n;
  }

  bool(b: boolean): void {
    this.num(b ? 1 : 0);
  }

  /** Starts a record; every string until the next record or the end is one segment. */
  record(): void {
    this.close();
    this.slot = this.count;
    this.num(0);
  }

  str(s: string): void {
    if (this.slot < 0) throw new Error('a string outside a record');
    this.num(s.length);
    this.segment += s;
  }

  /** Encodes the open record's strings, so that none is kept alive until the end. */
  private close(): void {
    if (this.slot < 0) return;
    const s = this.segment;
    // UTF-8 takes at most three bytes for each UTF-16 unit.
    if (this.used + s.length * 3 > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.used + s.length * 3));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    const n = this.bytes.write(s, this.used);
    this.used += n;
    this.numbers[this.slot] = n;
    this.slot = -1;
    this.segment = '';
  }

  /** An optional string: -1 for absent. */
  opt(s: string | undefined): void {
    if (s === undefined) this.num(-1);
    else this.str(s);
  }

  /** Anything JSON can hold, for values too rare to deserve a layout of their own. */
  json(value: unknown): void {
    this.str(JSON.stringify(value));
  }

  list<T>(items: readonly T[], each: (item: T) => void): void {
    this.num(items.length);
    for (const item of items) each(item);
  }

  finish(): Pack {
    this.close();
    return {
      numbers: this.numbers.slice(0, this.count),
      bytes: new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.used),
    };
  }
}

/**
 * Writes packs as one file, atomically: a JSON header line, every pack's numbers (8-byte aligned), then
 * every pack's strings.
 */
export function writePackFile(file: string, header: Record<string, unknown>, packs: Pack[]): void {
  const count = packs.reduce((n, p) => n + p.numbers.length, 0);
  const head = Buffer.from(`${JSON.stringify({ ...header, numbers: count })}\n`);
  const pad = Buffer.alloc((8 - (head.length % 8)) % 8, 0x20);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, head);
    writeSync(fd, pad);
    for (const p of packs)
      writeSync(fd, new Uint8Array(p.numbers.buffer, p.numbers.byteOffset, p.numbers.byteLength));
    for (const p of packs) writeSync(fd, p.bytes);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Reads a file written by writePackFile; throws when it is missing or is not one. */
export function readPackFile(file: string): { header: Record<string, unknown>; reader: PackReader } {
  const data = readFileSync(file);
  const newline = data.indexOf(0x0a);
  if (newline < 0) throw new RangeError('not a packed file');
  const header = JSON.parse(data.toString('utf8', 0, newline)) as Record<string, unknown>;
  const count = Number(header.numbers);
  const start = Math.ceil((newline + 1) / 8) * 8;
  const end = start + count * 8;
  if (!Number.isInteger(count) || end > data.length) throw new RangeError('packed data ends early');
  // A typed array needs an aligned offset; a buffer from readFileSync usually has one.
  const at = data.byteOffset + start;
  const numbers =
    at % 8 === 0
      ? new Float64Array(data.buffer, at, count)
      : new Float64Array(data.buffer.slice(at, at + count * 8));
  return { header, reader: new PackReader({ numbers, bytes: data.subarray(end) }) };
}

export class PackReader {
  private readonly numbers: Float64Array;
  /**
   * All the strings, decoded in one go: one large string that the garbage collector never moves,
   * of which every string read is a slice.
   */
  private readonly strings: string;
  private at = 0;
  private char = 0;

  constructor(pack: Pack) {
    this.numbers = pack.numbers;
    this.strings = Buffer.from(pack.bytes.buffer, pack.bytes.byteOffset, pack.bytes.byteLength).toString(
      'utf8',
    );
  }

  get done(): boolean {
    return this.at >= this.numbers.length;
  }

  num(): number {
    const n = this.numbers[this.at++];
    if (n === undefined) throw new RangeError('packed data ends early');
    return n;
  }

  bool(): boolean {
    return this.num() === 1;
  }

  /** Moves to the next record (whose segment's byte length only the writer needs). */
  record(): void {
    this.num();
  }

  str(): string {
    const end = this.char + this.num();
    if (end > this.strings.length) throw new RangeError('packed data ends early');
    const s = this.strings.slice(this.char, end);
    this.char = end;
    return s;
  }

  opt(): string | undefined {
    if (this.numbers[this.at] === -1) {
      this.at++;
      return undefined;
    }
    return this.str();
  }

  json<T>(): T {
    return JSON.parse(this.str()) as T;
  }

  list<T>(each: () => T): T[] {
    const out: T[] = [];
    for (let n = this.num(); n > 0; n--) out.push(each());
    return out;
  }
}
