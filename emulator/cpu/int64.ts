// 64-bit multiply and divide on 32-bit halves (x[slot] = low, x[slot+1] = high).
// Products use 16-bit limbs so every partial sum is exact in a double; division takes an
// exact double path when both operands are below 2^52 in magnitude and BigInt otherwise
// (rare: measured cost is in the bench notes).

const TWO32 = 4294967296;

/** High 32 bits of the unsigned 64-bit product of two 32-bit words. */
export function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

export function mul(x: Int32Array, d: number, a: number, b: number): void {
  const al = x[a];
  const ah = x[a + 1];
  const bl = x[b];
  const bh = x[b + 1];
  const hi = (mulhu32(al, bl) + Math.imul(al, bh) + Math.imul(ah, bl)) | 0;
  x[d] = Math.imul(al, bl);
  x[d + 1] = hi;
}

/** High 64 bits of the unsigned 128-bit product, into x[d], x[d+1]. */
function mulhuInto(x: Int32Array, d: number, al: number, ah: number, bl: number, bh: number): void {
  const hi0 = mulhu32(al, bl);
  const lo1 = Math.imul(al, bh) >>> 0;
  const hi1 = mulhu32(al, bh);
  const lo2 = Math.imul(ah, bl) >>> 0;
  const hi2 = mulhu32(ah, bl);
  const lo3 = Math.imul(ah, bh) >>> 0;
  const hi3 = mulhu32(ah, bh);
  const w1 = hi0 + lo1 + lo2;
  const w2 = hi1 + hi2 + lo3 + Math.floor(w1 / TWO32);
  const w3 = hi3 + Math.floor(w2 / TWO32);
  x[d] = w2 % TWO32;
  x[d + 1] = w3 % TWO32;
}

/** x[d] -= (hi:lo) modulo 2^64. */
function sub64(x: Int32Array, d: number, lo: number, hi: number): void {
  const l = x[d];
  const r = (l - lo) | 0;
  const borrow = l >>> 0 < lo >>> 0 ? 1 : 0;
  x[d + 1] = (x[d + 1] - hi - borrow) | 0;
  x[d] = r;
}

export function mulhu(x: Int32Array, d: number, a: number, b: number): void {
  mulhuInto(x, d, x[a], x[a + 1], x[b], x[b + 1]);
}

export function mulh(x: Int32Array, d: number, a: number, b: number): void {
  const al = x[a];
  const ah = x[a + 1];
  const bl = x[b];
  const bh = x[b + 1];
  mulhuInto(x, d, al, ah, bl, bh);
  // signed high = unsigned high - (a<0 ? b : 0) - (b<0 ? a : 0)
  if (ah < 0) sub64(x, d, bl, bh);
  if (bh < 0) sub64(x, d, al, ah);
}

export function mulhsu(x: Int32Array, d: number, a: number, b: number): void {
  const ah = x[a + 1];
  const bl = x[b];
  const bh = x[b + 1];
  mulhuInto(x, d, x[a], ah, bl, bh);
  if (ah < 0) sub64(x, d, bl, bh);
}

function setNum(x: Int32Array, d: number, v: number): void {
  x[d] = v % TWO32;
  x[d + 1] = Math.floor(v / TWO32);
}

function setBig(x: Int32Array, d: number, v: bigint): void {
  x[d] = Number(BigInt.asIntN(32, v));
  x[d + 1] = Number(BigInt.asIntN(32, v >> 32n));
}

function big(x: Int32Array, a: number, signed: boolean): bigint {
  const v = (BigInt(x[a + 1]) << 32n) | BigInt(x[a] >>> 0);
  return signed ? v : BigInt.asUintN(64, v);
}

/** |v| < 2^52 as a signed pair: the double path is exact. */
function smallSigned(hi: number): boolean {
  return hi >= -0x100000 && hi < 0x100000;
}

/** kind: 0 div, 1 divu, 2 rem, 3 remu (RISC-V: x/0 = -1, x%0 = x, MIN/-1 = MIN, MIN%-1 = 0). */
export function divrem(x: Int32Array, d: number, a: number, b: number, kind: number): void {
  const al = x[a];
  const ah = x[a + 1];
  const bl = x[b];
  const bh = x[b + 1];
  const isRem = kind >= 2;
  if (bl === 0 && bh === 0) {
    if (isRem) {
      x[d] = al;
      x[d + 1] = ah;
    } else {
      x[d] = -1;
      x[d + 1] = -1;
    }
    return;
  }
  const signed = kind === 0 || kind === 2;
  const fast = signed ? smallSigned(ah) && smallSigned(bh) : ah >>> 0 < 0x100000 && bh >>> 0 < 0x100000;
  if (fast) {
    const av = signed ? ah * TWO32 + (al >>> 0) : (ah >>> 0) * TWO32 + (al >>> 0);
    const bv = signed ? bh * TWO32 + (bl >>> 0) : (bh >>> 0) * TWO32 + (bl >>> 0);
    let q = Math.trunc(av / bv);
    let r = av - q * bv;
    // The rounded quotient can be one off; fix so that |r| < |b| with the sign of a.
    if (r !== 0 && (r < 0) !== (av < 0)) {
      q += (av < 0) === (bv < 0) ? -1 : 1;
      r = av - q * bv;
    } else if (Math.abs(r) >= Math.abs(bv)) {
      q += (av < 0) === (bv < 0) ? 1 : -1;
      r = av - q * bv;
    }
    setNum(x, d, isRem ? r : q);
    return;
  }
  const av = big(x, a, signed);
  const bv = big(x, b, signed);
  if (signed && bv === -1n) {
    // MIN / -1 overflows to MIN; MIN % -1 is 0.
    setBig(x, d, isRem ? 0n : -av);
    return;
  }
  setBig(x, d, isRem ? av % bv : av / bv);
}
