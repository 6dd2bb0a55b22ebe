// The guest's only entropy: a deterministic byte stream derived from --seed.
//
// Generator: xoshiro256** (Blackman & Vigna, https://prng.di.unimi.it/xoshiro256starstar.c),
// its 256-bit state filled by four outputs of SplitMix64 seeded with the 64-bit seed, as
// the authors recommend. Each 64-bit output contributes 8 bytes, little-endian; the stream
// is byte-continuous (getrandom(4) twice yields the same bytes as getrandom(8) once).
// Not cryptographic — the point is that a run is reproducible.

const MASK64 = (1n << 64n) - 1n;

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

/**
 * The state is kept as eight 32-bit halves (hi, lo per word): BigInt arithmetic made
 * getrandom of a few MiB take seconds (kernel/fuzz.test.ts); this is ~30x faster and
 * yields the same stream (random.test.ts checks the reference outputs).
 */
export class Xoshiro256StarStar {
  /** s0.hi, s0.lo, s1.hi, s1.lo, s2.hi, s2.lo, s3.hi, s3.lo */
  private readonly s = new Uint32Array(8);
  /** The last output's halves. */
  hi = 0;
  lo = 0;
  constructor(seed: bigint) {
    const sm = new SplitMix64(seed);
    for (let i = 0; i < 4; i++) {
      const w = sm.next();
      this.s[2 * i] = Number(w >> 32n);
      this.s[2 * i + 1] = Number(w & 0xffffffffn);
    }
  }
  next(): bigint {
    this.step();
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }
  /** Advance; the output is left in hi/lo. */
  step(): void {
    const s = this.s;
    const s1h = s[2];
    const s1l = s[3];
    // result = rotl(s1 * 5, 7) * 9, with x * 5 = (x << 2) + x and x * 9 = (x << 3) + x
    let l = (s1l << 2) >>> 0;
    let h = ((s1h << 2) | (s1l >>> 30)) >>> 0;
    let sum = l + s1l;
    let ml = sum >>> 0;
    let mh = (h + s1h + (sum > 0xffffffff ? 1 : 0)) >>> 0;
    const rh = ((mh << 7) | (ml >>> 25)) >>> 0;
    const rl = ((ml << 7) | (mh >>> 25)) >>> 0;
    l = (rl << 3) >>> 0;
    h = ((rh << 3) | (rl >>> 29)) >>> 0;
    sum = l + rl;
    ml = sum >>> 0;
    mh = (h + rh + (sum > 0xffffffff ? 1 : 0)) >>> 0;
    this.hi = mh;
    this.lo = ml;
    // t = s1 << 17
    const th = ((s1h << 17) | (s1l >>> 15)) >>> 0;
    const tl = (s1l << 17) >>> 0;
    s[4] ^= s[0]; // s2 ^= s0
    s[5] ^= s[1];
    s[6] ^= s1h; // s3 ^= s1
    s[7] ^= s1l;
    s[2] ^= s[4]; // s1 ^= s2
    s[3] ^= s[5];
    s[0] ^= s[6]; // s0 ^= s3
    s[1] ^= s[7];
    s[4] ^= th; // s2 ^= t
    s[5] ^= tl;
    // s3 = rotl(s3, 45): swap the halves (32), then rotate by 13
    const h3 = s[7];
    const l3 = s[6];
    s[6] = (h3 << 13) | (l3 >>> 19);
    s[7] = (l3 << 13) | (h3 >>> 19);
  }
}

/** Byte stream over xoshiro256**, keeping unused bytes of the last word for the next call. */
export class RandomStream {
  private readonly gen: Xoshiro256StarStar;
  private spare = new Uint8Array(0);
  private readonly word = new DataView(new ArrayBuffer(8));
  constructor(seed: bigint) {
    this.gen = new Xoshiro256StarStar(seed);
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let done = Math.min(n, this.spare.length);
    out.set(this.spare.subarray(0, done));
    this.spare = this.spare.subarray(done);
    const gen = this.gen;
    const view = new DataView(out.buffer);
    // Whole words straight into the output, little-endian.
    for (; done + 8 <= n; done += 8) {
      gen.step();
      view.setUint32(done, gen.lo, true);
      view.setUint32(done + 4, gen.hi, true);
    }
    if (done < n) {
      gen.step();
      this.word.setUint32(0, gen.lo, true);
      this.word.setUint32(4, gen.hi, true);
      const bytes = new Uint8Array(this.word.buffer.slice(0));
      const take = n - done;
      out.set(bytes.subarray(0, take), done);
      this.spare = bytes.subarray(take);
    }
    return out;
  }
}
