// Redis Cluster's key → slot function, written out from the Cluster specification
// (CRC16-XMODEM of the key, or of its hash tag: the text between the first "{"
// and the next "}" when that is not empty; modulo 16384), so the tests judge the
// key layout by the rule Redis applies, not by the app's own code.

function crc16(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

export function keySlot(key: string): number {
  const open = key.indexOf("{");
  const close = open >= 0 ? key.indexOf("}", open + 1) : -1;
  const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
  return crc16(Buffer.from(hashed)) % 16384;
}
