// Operand values biased to the edges, by what the operand is used for. All values are raw
// 64-bit patterns (bigint, unsigned); singles are NaN-boxed unless stated.

const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint) => v & M64;
/** A 32-bit pattern sign-extended to 64 bits (what W-form results look like). */
const sx32 = (v: bigint) => u64(BigInt.asIntN(32, v));

export const INT_EDGES: readonly bigint[] = [
  0n, 1n, 2n, 3n, 7n, u64(-1n), u64(-2n),
  0x7fffffffn, 0x80000000n, sx32(0x80000000n), 0xffffffffn, 0x100000000n, 0x7ffffffen,
  0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000001n, u64(-0x7fffffffn),
  0xffffffff00000000n, 0x00000000ffffffffn, 0x7fffffff80000000n, 0x800000007fffffffn,
  0x00000001_80000000n, 0xfffffffe_7fffffffn, 0x12345678_9abcdef0n, 0xdeadbeef_cafebaben,
  0x8000n, 0xffffn, 0xffff8000n, 0x80n, 0xffn, 0x7fn, 0x800n, 0xfffn, u64(-2048n), 2047n,
  0x5555555555555555n, 0xaaaaaaaaaaaaaaaan, 0x0000000080000001n, 0xffffffff7fffffffn,
];

/** Shift amounts: at, just under and over the 32- and 64-bit widths; upper bits ignored. */
export const SHAMT_EDGES: readonly bigint[] = [
  0n, 1n, 15n, 16n, 30n, 31n, 32n, 33n, 62n, 63n, 64n, 65n, 95n, 127n, 128n, u64(-1n), u64(-32n), 0xffffffff00000020n, 0x100000001fn,
];

/** Divisors: zero (whole and in the low word only), ±1 and the overflow partners. */
export const DIVISOR_EDGES: readonly bigint[] = [
  0n, 1n, u64(-1n), 0xffffffffn, 0x100000000n, 2n, u64(-2n), 3n, 7n, 0x80000000n, sx32(0x80000000n), 0x8000000000000000n,
  0x7fffffffffffffffn, 0xffffffff00000000n, 0x00000000ffffffffn,
];

/** Integers for int->float conversion: around the 24- and 53-bit mantissas and the limits. */
export const I2F_EDGES: readonly bigint[] = [
  0n, 1n, u64(-1n), 16777216n, 16777217n, 16777219n, u64(-16777217n), 0x7fffffffn, 0x80000000n, sx32(0x80000000n),
  0xffffffffn, 0x7fffff80n, 0x7fffffc0n, (1n << 53n) + 1n, (1n << 53n) + 3n, 0x7fffffffffffffffn, 0x8000000000000000n,
  0x7ffffffffffffc00n, 0x7ffffffffffffe00n, 0xfffffffffffff800n, 0x1fffffffffffffn, 0x20000000000001n, 0x0000000180000001n,
  0xffffffff_fffffff0n, 0x00000000_ffffff7fn,
];

const single = (bits: number) => 0xffffffff00000000n | BigInt(bits >>> 0);

/** Single-precision raw 32-bit edge patterns. */
export const S_EDGES: readonly number[] = [
  0x00000000, 0x80000000, // ±0
  0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00400000, // subnormals
  0x00800000, 0x80800000, 0x00800001, 0x7f7fffff, 0xff7fffff, // min/max normal
  0x7f800000, 0xff800000, // ±inf
  0x7fc00000, 0xffc00000, 0x7fc12345, 0x7fffffff, // quiet NaNs
  0x7f800001, 0xff800001, 0x7fa00000, 0x7fbfffff, // signalling NaNs
  0x3f800000, 0xbf800000, 0x3f800001, 0x3f7fffff, 0x3fc00000, 0x3f000000, 0xbf000000, 0x40200000, 0xc0200000,
  0x40400000, 0x3eaaaaab, 0x40490fdb, 0x33800000, 0x34000000, 0x4b000000, 0x4b000001, 0x4b800000, 0xcb000001,
  0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x4f7fffff, 0x4f800000, 0x5effffff, 0x5f000000, 0xdf000000,
  0xdf000001, 0x5f7fffff, 0x5f800000, 0x3fffffff, 0x00ffffff, 0x01000000, 0x7e800000, 0x7f000000, 0x0c000000,
  0x3effffff, 0xbf400000, 0x3f400000,
];

/** Double-precision raw edge patterns. */
export const D_EDGES: readonly bigint[] = [
  0x0000000000000000n, 0x8000000000000000n,
  0x0000000000000001n, 0x8000000000000001n, 0x000fffffffffffffn, 0x800fffffffffffffn, 0x0008000000000000n,
  0x0010000000000000n, 0x8010000000000000n, 0x7fefffffffffffffn, 0xffefffffffffffffn, 0x0010000000000001n,
  0x7ff0000000000000n, 0xfff0000000000000n,
  0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff8000000012345n, 0x7fffffffffffffffn,
  0x7ff0000000000001n, 0xfff0000000000001n, 0x7ff4000000000000n, 0x7ff7ffffffffffffn,
  0x3ff0000000000000n, 0xbff0000000000000n, 0x3ff0000000000001n, 0x3fefffffffffffffn, 0x3ff8000000000000n,
  0x3fe0000000000000n, 0xbfe0000000000000n, 0x4004000000000000n, 0xc004000000000000n, 0x3fd5555555555555n,
  0x400921fb54442d18n, 0x3ca0000000000000n, 0x3cb0000000000000n, 0x4330000000000000n, 0x4330000000000001n,
  0x41dfffffffc00000n, 0x41dfffffffe00000n, 0x41e0000000000000n, 0xc1e0000000000000n, 0xc1e0000000200000n,
  0x41efffffffe00000n, 0x41f0000000000000n, 0x43dfffffffffffffn, 0x43e0000000000000n, 0xc3e0000000000000n,
  0xc3e0000000000001n, 0x43efffffffffffffn, 0x43f0000000000000n, 0x36a0000000000000n, 0x3690000000000000n,
  0x47efffffe0000000n, 0x47efffff00000000n, 0x47effffff0000000n, 0x3810000000000000n, 0x380fffffffffffffn,
  0x3800000000000000n, 0x36a0000000000001n, 0x3ff0000010000000n, 0x3ff0000008000000n, 0x3ff0000018000000n,
  0xbfe8000000000000n, 0x3fe8000000000000n, 0x3fefffffe0000000n,
];

export const S_BOXED: readonly bigint[] = S_EDGES.map(single);

export interface Rng {
  int(min: number, max: number): number;
  bigU64(): bigint;
  pick<T>(a: readonly T[]): T;
  chance(p: number): boolean;
}

/** The few values most rules turn on, drawn often so that they meet each other. */
const INT_SPECIAL: readonly bigint[] = [0n, 1n, u64(-1n), 0x8000000000000000n, 0x7fffffffffffffffn, sx32(0x80000000n), 0x7fffffffn, 0x80000000n, 0xffffffffn];

/** A value for an integer operand of the given use. */
export function intValue(r: Rng, use: IntUse): bigint {
  if (use === 'zeroish' && r.chance(0.5)) return 0n;
  const pool = use === 'shamt' ? SHAMT_EDGES : use === 'divisor' ? DIVISOR_EDGES : use === 'i2f' ? I2F_EDGES : INT_EDGES;
  const roll = r.int(0, 19);
  if (roll < 5) return r.pick(INT_SPECIAL);
  if (roll < 12) return r.pick(pool);
  if (roll < 14) return r.pick(INT_EDGES);
  if (roll < 16) return u64(BigInt(r.int(-100, 100)));
  if (roll < 18) return sx32(r.bigU64());
  return r.bigU64();
}

/** zeroish: half the time 0 (c.beqz/c.bnez go both ways). */
export type IntUse = 'int' | 'shamt' | 'divisor' | 'i2f' | 'zeroish';

const S_SPECIAL: readonly number[] = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0x3f800000, 0xbf800000, 0x00000001, 0x7f7fffff];
const D_SPECIAL: readonly bigint[] = [
  0n, 0x8000000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0x7ff0000000000001n,
  0x3ff0000000000000n, 0xbff0000000000000n, 1n, 0x7fefffffffffffffn,
];

/** A single: often a special value, else an edge (maybe nudged by a few ulps) or random. */
function singleBits(r: Rng): number {
  const roll = r.int(0, 19);
  if (roll < 5) return r.pick(S_SPECIAL);
  if (roll < 12) return r.pick(S_EDGES);
  if (roll < 15) return (r.pick(S_EDGES) + r.int(-3, 3)) >>> 0;
  if (roll < 19) return ((r.int(100, 160) << 23) | r.int(0, 0x7fffff) | (r.chance(0.5) ? 0x80000000 : 0)) >>> 0;
  return Number(r.bigU64() & 0xffffffffn);
}

function doubleBits(r: Rng): bigint {
  const roll = r.int(0, 19);
  if (roll < 5) return r.pick(D_SPECIAL);
  if (roll < 12) return r.pick(D_EDGES);
  if (roll < 15) return u64(r.pick(D_EDGES) + BigInt(r.int(-3, 3)));
  if (roll < 19) return (BigInt(r.int(0x3c0, 0x440)) << 52n) | (r.bigU64() & 0xfffffffffffffn) | (r.chance(0.5) ? 1n << 63n : 0n);
  return r.bigU64();
}

/**
 * A value for a float register read as precision p. Mostly the right kind; sometimes the
 * other kind, so singles meet improperly NaN-boxed registers and doubles meet boxed singles.
 */
export function floatValue(r: Rng, p: 'S' | 'D'): bigint {
  const roll = r.int(0, 19);
  if (roll === 0) return BigInt(singleBits(r)) | (r.chance(0.5) ? 0n : BigInt(r.int(0, 0xfffffffe)) << 32n); // not boxed
  if (roll === 1) return p === 'S' ? doubleBits(r) : single(singleBits(r));
  return p === 'S' ? single(singleBits(r)) : doubleBits(r);
}

/** A small seeded generator (mulberry32) for filler values nobody reads first-hand. */
export function fastRng(seed: number): Rng {
  let a = seed | 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    int,
    bigU64: () => (BigInt(int(0, 0xffffffff)) << 32n) | BigInt(int(0, 0xffffffff)),
    pick: (arr) => arr[int(0, arr.length - 1)],
    chance: (p) => next() < p,
  };
}
