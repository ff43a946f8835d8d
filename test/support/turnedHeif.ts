import { readFileSync } from 'node:fs';
import { fixture } from './fixtures';

/** The boxes of an ISO-BMFF file that hold other boxes (and the bytes of header before their children). */
const CONTAINERS: Record<string, number> = { meta: 4, iprp: 0, ipco: 0 };

interface Box {
  type: string;
  start: number;
  size: number;
}

function boxesOf(bytes: Buffer, start = 0, end = bytes.length, found: Box[] = []): Box[] {
  for (let at = start; at + 8 <= end; ) {
    const size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    found.push({ type, start: at, size });
    if (type in CONTAINERS) boxesOf(bytes, at + 8 + CONTAINERS[type]!, at + size, found);
    at += size;
  }
  return found;
}

/**
 * test/fixtures/images/heic/samplefilehub.heif as a phone writes a photo taken
 * upright in portrait: the coded image stays landscape, an `irot` property
 * turns it by 270° anticlockwise (= 90° clockwise) and the EXIF orientation
 * says 6 (the same turn, for readers that do not know HEIF). A decoder that
 * applies the EXIF orientation on top of irot turns the picture twice.
 *
 * Written for this one file's layout: one item with properties (the primary),
 * iloc version 0 with 4-byte offsets, every item's data after the meta box.
 */
export function turnedHeif(): Buffer {
  const original = readFileSync(fixture('heic/samplefilehub.heif'));
  const box = (type: string) => boxesOf(original).find((b) => b.type === type)!;
  const [ipco, ipma, iloc] = [box('ipco'), box('ipma'), box('iloc')];
  const irot = Buffer.from([0, 0, 0, 9, ...Buffer.from('irot'), 3]);
  const association = Buffer.from([0x03]); // property index 3 (the irot appended to ipco), not essential
  const ipcoEnd = ipco.start + ipco.size;
  const ipmaEnd = ipma.start + ipma.size;
  const turned = Buffer.concat([
    original.subarray(0, ipcoEnd),
    irot,
    original.subarray(ipcoEnd, ipmaEnd),
    association,
    original.subarray(ipmaEnd),
  ]);
  const shift = irot.length + association.length;
  for (const name of ['meta', 'iprp', 'ipco', 'ipma']) {
    const { start, size } = box(name);
    const grown = name === 'ipco' ? irot.length : name === 'ipma' ? association.length : shift;
    turned.writeUInt32BE(size + grown, start + (name === 'ipma' ? irot.length : 0));
  }
  // ipma of one item: its association count is the last byte before the associations.
  const countAt = ipma.start + irot.length + ipma.size - 3;
  turned[countAt] = turned[countAt]! + 1;
  shiftItemOffsets(turned, iloc.start, shift);
  setExifOrientation(turned, 6);
  return turned;
}

/** Every item's data moved by `shift` bytes: its base offset, or its extents' offsets when it has none. */
function shiftItemOffsets(bytes: Buffer, ilocStart: number, shift: number): void {
  let at = ilocStart + 16; // box header, version and flags, field sizes, item count
  const items = bytes.readUInt16BE(at - 2);
  for (let item = 0; item < items; item++) {
    const base = bytes.readUInt32BE(at + 4);
    const extents = bytes.readUInt16BE(at + 8);
    if (base) bytes.writeUInt32BE(base + shift, at + 4);
    at += 10;
    for (let extent = 0; extent < extents; extent++, at += 8) {
      if (!base) bytes.writeUInt32BE(bytes.readUInt32BE(at) + shift, at);
    }
  }
}

/** The EXIF Orientation entry (tag 0x0112, SHORT, count 1), big-endian as this file writes it. */
function setExifOrientation(bytes: Buffer, orientation: number): void {
  const entry = bytes.indexOf(Buffer.from([0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]));
  bytes.writeUInt16BE(orientation, entry + 8);
}
