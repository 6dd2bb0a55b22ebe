// The guest's only entropy: a deterministic byte stream derived from --seed.
//
// Generator: xoshiro256** (Blackman & Vigna, https://prng.di.unimi.it/xoshiro256starstar.c),
// its 256-bit state filled by four outputs of SplitMix64 seeded with the 64-bit seed, as
// the authors recommend. Each 64-bit output contributes 8 bytes, little-endian; the stream
// is byte-continuous (getrandom(4) twice yields the same bytes as getrandom(8) once).
// Not cryptographic — the point is that a run is reproducible.

const MASK64 = (1n << 64n) - 1n;

function rotl(x: bigint, k: bigint): bigint {
  return ((x << k) | (x >> (64n - k))) & MASK64;
}

export class SplitMix64 {
  private x: bigint;
  constructor(seed: bigint) {
    this.x = BigInt.asUintN(64, seed);
  }
  next(): bigint {
    this.x = (this.x + 0x9e3779b97f4a7c15n) & MASK64;
    let z = this.x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  }
}

export class Xoshiro256StarStar {
  private readonly s: bigint[];
  constructor(seed: bigint) {
    const sm = new SplitMix64(seed);
    this.s = [sm.next(), sm.next(), sm.next(), sm.next()];
  }
  next(): bigint {
    const s = this.s;
    const result = (rotl((s[1] * 5n) & MASK64, 7n) * 9n) & MASK64;
    const t = (s[1] << 17n) & MASK64;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45n);
    return result;
  }
}

/** Byte stream over xoshiro256**, keeping unused bytes of the last word for the next call. */
export class RandomStream {
  private readonly gen: Xoshiro256StarStar;
  private spare = new Uint8Array(0);
  constructor(seed: bigint) {
    this.gen = new Xoshiro256StarStar(seed);
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let done = Math.min(n, this.spare.length);
    out.set(this.spare.subarray(0, done));
    this.spare = this.spare.subarray(done);
    const word = new DataView(new ArrayBuffer(8));
    while (done < n) {
      word.setBigUint64(0, this.gen.next(), true);
      const bytes = new Uint8Array(word.buffer.slice(0));
      const take = Math.min(8, n - done);
      out.set(bytes.subarray(0, take), done);
      this.spare = bytes.subarray(take);
      done += take;
    }
    return out;
  }
}
