// A fixed-size Bloom filter of trace ids per segment, so "spans of trace X" and "logs of
// trace X" open only the segments that may hold it instead of every sealed segment.
// 2^19 bits (64 KiB) with 4 hashes: ~1% false positives at 50k distinct ids.
const BITS = 1 << 19;
const K = 4;

function fnv(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class Bloom {
  constructor(private readonly bits: Uint8Array = new Uint8Array(BITS / 8)) {}

  add(s: string): void {
    const h1 = fnv(s, 0);
    const h2 = (fnv(s, 0x9e3779b9) | 1) >>> 0;
    for (let i = 0; i < K; i++) {
      const b = (h1 + i * h2) % BITS >>> 0;
      this.bits[b >>> 3] |= 1 << (b & 7);
    }
  }

  has(s: string): boolean {
    const h1 = fnv(s, 0);
    const h2 = (fnv(s, 0x9e3779b9) | 1) >>> 0;
    for (let i = 0; i < K; i++) {
      const b = (h1 + i * h2) % BITS >>> 0;
      if ((this.bits[b >>> 3] & (1 << (b & 7))) === 0) return false;
    }
    return true;
  }

  toBase64(): string {
    return Buffer.from(this.bits.buffer, this.bits.byteOffset, this.bits.byteLength).toString('base64');
  }

  static fromBase64(s: string): Bloom {
    const b = Buffer.from(s, 'base64');
    if (b.length !== BITS / 8) throw new Error(`bloom filter has ${b.length} bytes, expected ${BITS / 8}`);
    return new Bloom(new Uint8Array(b));
  }
}
