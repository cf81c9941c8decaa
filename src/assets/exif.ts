import { crc32 } from 'node:zlib';

/**
 * Removing the GPS position from an original, and nothing else. sharp cannot do it: it either keeps
 * all EXIF or re-encodes the pixels, and a re-encoded JPEG is no longer the photographer's original.
 * So this edits the bytes: in the EXIF block (a small TIFF structure) it drops IFD0's pointer to the GPS
 * IFD and zeroes that IFD and its values; an XMP packet that repeats the position is dropped. Every
 * other byte of the file (pixels, ICC profile, credit, camera settings) is left as it was.
 */

const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8];
const GPS_POINTER = 0x8825;
const XMP_GPS = /exif:GPS(?:Latitude|Longitude|Altitude)/;

interface Tiff {
  u16(at: number): number;
  u32(at: number): number;
  w16(at: number, v: number): void;
}

function tiff(t: Uint8Array): Tiff | undefined {
  if (t.length < 8) return undefined;
  const view = new DataView(t.buffer, t.byteOffset, t.byteLength);
  const order = String.fromCharCode(t[0]!, t[1]!);
  if (order !== 'II' && order !== 'MM') return undefined;
  const le = order === 'II';
  return {
    u16: (at) => view.getUint16(at, le),
    u32: (at) => view.getUint32(at, le),
    w16: (at, v) => view.setUint16(at, v, le),
  };
}

/** Where IFD0's GPS pointer entry is, or undefined. */
function gpsEntry(t: Uint8Array, r: Tiff): { ifd: number; index: number; count: number } | undefined {
  const ifd = r.u32(4);
  if (ifd + 2 > t.length) return undefined;
  const count = r.u16(ifd);
  for (let index = 0; index < count; index++) {
    const e = ifd + 2 + index * 12;
    if (e + 12 > t.length) return undefined;
    if (r.u16(e) === GPS_POINTER) return { ifd, index, count };
  }
  return undefined;
}

/** Whether an EXIF block (TIFF structure, without the "Exif\0\0" prefix) points at a GPS IFD. */
export function exifHasGps(t: Uint8Array): boolean {
  const r = tiff(t);
  return !!r && gpsEntry(t, r) !== undefined;
}

/** Removes the GPS IFD in place. Returns whether there was one. */
function removeGps(t: Uint8Array): boolean {
  const r = tiff(t);
  const found = r && gpsEntry(t, r);
  if (!r || !found) return false;
  const { ifd, index, count } = found;
  const entry = ifd + 2 + index * 12;
  const gps = r.u32(entry + 8);
  if (gps + 2 <= t.length) {
    const n = r.u16(gps);
    const end = Math.min(t.length, gps + 2 + n * 12 + 4);
    for (let e = gps + 2; e + 12 <= end; e += 12) {
      const size = (TYPE_SIZE[r.u16(e + 2)] ?? 1) * r.u32(e + 4);
      const at = r.u32(e + 8);
      if (size > 4 && at + size <= t.length) t.fill(0, at, at + size);
    }
    t.fill(0, gps, end);
  }
  // The later entries and the next-IFD offset move up one entry; the freed 12 bytes become zeros.
  const tail = ifd + 2 + count * 12 + 4;
  t.copyWithin(entry, entry + 12, tail);
  t.fill(0, tail - 12, tail);
  r.w16(ifd, count - 1);
  return true;
}

const EXIF_ID = Buffer.from('Exif\0\0', 'latin1');
const XMP_ID = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');

/** A JPEG without its GPS position; the same buffer when it has none. */
export function jpegWithoutGps(jpeg: Buffer): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return jpeg;
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  let at = 2;
  let changed = false;
  // Metadata segments come before the image data (SOS, 0xDA); from there on the file is copied.
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!;
    if (marker === 0xda || marker === 0xd9) break;
    const end = at + 2 + jpeg.readUInt16BE(at + 2);
    if (end > jpeg.length) break;
    let segment = jpeg.subarray(at, end);
    if (marker === 0xe1 && segment.subarray(4, 10).equals(EXIF_ID)) {
      const copy = Buffer.from(segment);
      if (removeGps(copy.subarray(10))) {
        segment = copy;
        changed = true;
      }
    } else if (marker === 0xe1 && segment.subarray(4, 4 + XMP_ID.length).equals(XMP_ID)) {
      if (XMP_GPS.test(segment.toString('latin1'))) {
        changed = true;
        at = end;
        continue;
      }
    }
    parts.push(segment);
    at = end;
  }
  if (!changed) return jpeg;
  parts.push(jpeg.subarray(at));
  return Buffer.concat(parts);
}

/** A PNG without its GPS position (in its eXIf chunk or its XMP); the same buffer when it has none. */
export function pngWithoutGps(png: Buffer): Buffer {
  const parts: Buffer[] = [png.subarray(0, 8)];
  let at = 8;
  let changed = false;
  while (at + 12 <= png.length) {
    const length = png.readUInt32BE(at);
    const end = at + 12 + length;
    if (end > png.length) break;
    const type = png.toString('latin1', at + 4, at + 8);
    let chunk = png.subarray(at, end);
    if (type === 'eXIf') {
      const copy = Buffer.from(chunk);
      if (removeGps(copy.subarray(8, 8 + length))) {
        copy.writeUInt32BE(crc32(copy.subarray(4, 8 + length)), 8 + length);
        chunk = copy;
        changed = true;
      }
    } else if (type === 'iTXt' && XMP_GPS.test(chunk.toString('latin1'))) {
      changed = true;
      at = end;
      continue;
    }
    parts.push(chunk);
    at = end;
    if (type === 'IEND') break;
  }
  return changed ? Buffer.concat(parts) : png;
}
