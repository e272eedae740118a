// Reading a PNG's size from its header, so a test can tell a real screenshot from
// a file that merely starts with the right bytes.

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Width and height from the IHDR chunk, which the PNG format puts first: after the
 * 8-byte signature come its length (13), its type, then width and height as
 * big-endian 32-bit integers. Throws for anything that is not laid out so.
 */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.length < 24) throw new Error(`not a PNG: ${bytes.length} bytes, shorter than the header`);
  if (!bytes.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG: wrong signature");
  if (bytes.readUInt32BE(8) !== 13 || bytes.toString("latin1", 12, 16) !== "IHDR") throw new Error("not a PNG: no IHDR chunk first");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
