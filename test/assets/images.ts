import { deflateSync } from 'node:zlib';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** Real images for the tests, made by sharp: a smooth "photo" (blurred noise) of the given size. */
export function photo(width: number, height: number, channels: 3 | 4 = 3) {
  return sharp({
    create: {
      width,
      height,
      channels,
      background: { r: 90, g: 140, b: 200, alpha: 0.6 },
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .blur(4)
    .toColourspace('srgb');
}

/** The GPS position the tests write, as EXIF rationals (57°38'12" N). */
export const GPS_LATITUDE = '57/1 38/1 12/1';

/** A JPEG with a GPS position, a camera serial and orientation 6 (shown turned a quarter clockwise). */
export async function gpsJpeg(width: number, height: number): Promise<Buffer> {
  const raw = await photo(width, height).jpeg({ quality: 90 }).toBuffer();
  return sharp(raw)
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'TC-1', Copyright: 'Fotograf Test' },
      IFD2: { BodySerialNumber: 'SN-123456' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: GPS_LATITUDE,
        GPSLongitudeRef: 'E',
        GPSLongitude: '18/1 17/1 30/1',
      },
    })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Bytes of the three rationals 57/1 38/1 12/1 as a TIFF in either byte order would hold them. */
export function latitudeBytes(littleEndian: boolean): Buffer {
  const b = Buffer.alloc(24);
  for (const [i, v] of [57, 1, 38, 1, 12, 1].entries())
    if (littleEndian) b.writeUInt32LE(v, i * 4);
    else b.writeUInt32BE(v, i * 4);
  return b;
}

/** A PNG whose header claims 50,000 × 50,000 pixels, with almost no data: a decompression bomb. */
export function bombPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(50_000, 0);
  ihdr.writeUInt32BE(50_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1000))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
