// Binary64 arithmetic in all five rounding modes. The host computes the round-to-nearest-even
// result; an error-free transformation gives the exact residual (exact value - RNE result),
// whose sign (and, for ties-away, whether it is exactly half an ulp) selects the directed or
// ties-away result one ulp away. Cases where the transformation could be inexact (extreme
// exponents, subnormals, overflow) go to the exact BigInt path in exact.ts.
//
// These functions return NaN for an invalid operation or a NaN operand; the caller (which can
// see the raw operand bits) decides the NV flag and writes the canonical NaN.

import type { CpuState } from '../cpu/state.ts';
import { FFLAG_DZ, FFLAG_NX, FFLAG_OF } from '../cpu/state.ts';
import { RDN, RMM, RNE, RTZ, RUP, zeroSum } from './rounding.ts';
import { isOddD, nextDownD, nextUpD } from './bits.ts';
import { sumSign4, twoProdErr, twoSumErr } from './eft.ts';
import { addExact, divExact, fmaExact, mulExact, sqrtExact } from './exact.ts';

const TWO_M1022 = 2 ** -1022; // smallest normal
const TWO_M1021 = 2 ** -1021;
const TWO_M967 = 2 ** -967; // products at least this large keep every Dekker partial product exact
const TWO_995 = 2 ** 995; // Veltkamp splitting does not overflow below this
const TWO_1020 = 2 ** 1020;
const TWO_M500 = 2 ** -500;
const TWO_500 = 2 ** 500;
const TWO_M960 = 2 ** -960;

/**
 * Turn the RNE result r (finite, normal range) with exact residual e into the result for mode.
 * e need only have the right sign unless mode is RMM, where it must be exact (to detect ties).
 */
export function finishD(s: CpuState, r: number, e: number, mode: number): number {
  if (e === 0) return r;
  s.fflags |= FFLAG_NX;
  let v = r;
  switch (mode) {
    case RNE:
      return r;
    case RTZ:
      if (r > 0 && e < 0) v = nextDownD(r);
      else if (r < 0 && e > 0) v = nextUpD(r);
      break;
    case RDN:
      if (e < 0) v = nextDownD(r);
      break;
    case RUP:
      if (e > 0) v = nextUpD(r);
      break;
    case RMM:
      // RNE breaks a tie toward the even neighbour; RMM differs when that was toward zero,
      // i.e. the exact value lies half an ulp beyond r, away from zero.
      if (r > 0 && e > 0 && e === (nextUpD(r) - r) / 2) v = nextUpD(r);
      else if (r < 0 && e < 0 && e === (nextDownD(r) - r) / 2) v = nextDownD(r);
      break;
  }
  if (v - v !== 0) s.fflags |= FFLAG_OF; // stepped past the largest finite value
  return v;
}

export function addD(s: CpuState, a: number, b: number, mode: number): number {
  const r = a + b;
  if (r - r === 0) {
    const e = twoSumErr(a, b, r);
    if (e === 0) return r === 0 ? zeroSum(a, b, mode) : r;
    if (e - e === 0) return finishD(s, r, e, mode);
    return addExact(s, a, b, mode, 0); // intermediate overflow in TwoSum
  }
  if (r !== r || a - a !== 0 || b - b !== 0) return r; // NaN, or an infinite operand: exact
  return addExact(s, a, b, mode, 0); // finite operands overflowed under RNE
}

export function mulD(s: CpuState, a: number, b: number, mode: number): number {
  const r = a * b;
  const ar = Math.abs(r);
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  if (ar >= TWO_M967 && ar < TWO_1020 && aa < TWO_995 && ab < TWO_995 && aa >= TWO_M1022 && ab >= TWO_M1022) {
    return finishD(s, r, twoProdErr(a, b, r), mode);
  }
  if (r !== r || aa === 0 || ab === 0 || aa === Infinity || ab === Infinity) return r; // exact
  return mulExact(s, a, b, mode);
}

export function divD(s: CpuState, a: number, b: number, mode: number): number {
  const q = a / b;
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  if (aa >= TWO_M500 && aa <= TWO_500 && ab >= TWO_M500 && ab <= TWO_500) {
    // The remainder a - q*b is exactly representable; its sign (times b's) is the residual's.
    const p = q * b;
    const rem = a - p - twoProdErr(q, b, p);
    // A quotient of normal doubles in the normal range is never a tie: RMM behaves as RNE.
    return finishD(s, q, b > 0 ? rem : -rem, mode === RMM ? RNE : mode);
  }
  if (q !== q || aa === Infinity || ab === Infinity || aa === 0) return q; // exact (or NaN)
  if (ab === 0) {
    s.fflags |= FFLAG_DZ;
    return q;
  }
  return divExact(s, a, b, mode);
}

export function sqrtD(s: CpuState, a: number, mode: number): number {
  const r = Math.sqrt(a);
  if (a >= TWO_M960 && a < TWO_1020) {
    const p = r * r;
    const rem = a - p - twoProdErr(r, r, p);
    // A square root is never a tie: RMM behaves as RNE.
    return finishD(s, r, rem, mode === RMM ? RNE : mode);
  }
  if (r !== r || a === 0 || a === Infinity) return r; // NaN for a < 0; +-0 and +inf exact
  return sqrtExact(s, a, mode);
}

/** a * b + c with a single rounding (callers negate operands for fmsub/fnmadd/fnmsub). */
export function fmaD(s: CpuState, a: number, b: number, c: number, mode: number): number {
  const p = a * b;
  const ap = Math.abs(p);
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  const ac = Math.abs(c);
  if (ap >= TWO_M967 && ap < TWO_1020 && ac < TWO_1020 && aa < TWO_995 && ab < TWO_995 && aa >= TWO_M1022 && ab >= TWO_M1022) {
    const pl = twoProdErr(a, b, p); // a*b = p + pl exactly
    if (pl === 0) return addD(s, p, c, mode);
    // Boldo-Melquiond: RN(a*b + c) = RN(th + RO(tl + pl)) with (th, tl) = TwoSum(c, p) and RO
    // rounding to odd (keeps the sticky information in the last bit).
    const th = c + p;
    const tl = twoSumErr(c, p, th);
    const sv = tl + pl;
    const ev = twoSumErr(tl, pl, sv);
    let v = sv;
    if (ev !== 0 && !isOddD(sv)) v = ev > 0 ? nextUpD(sv) : nextDownD(sv);
    const z = th + v;
    if (Math.abs(z) >= TWO_M1021) {
      // Exact residual = (th + v - z) + (sv - v) + ev.
      const err = twoSumErr(th, v, z);
      const sign = ev === 0 ? Math.sign(err) : sumSign4(err, sv - v, ev, 0); // ev = 0: v = sv, residual = err
      if (sign === 0) return z;
      if (mode === RMM && (sign > 0) === (z > 0)) {
        // Tie iff the residual is exactly half an ulp away from zero.
        const away = z > 0 ? nextUpD(z) : nextDownD(z);
        if (sumSign4(err, sv - v, ev, (z - away) / 2) === 0) {
          s.fflags |= FFLAG_NX;
          return away;
        }
      }
      return finishD(s, z, sign, mode === RMM ? RNE : mode);
    }
    return fmaExact(s, a, b, c, mode, 0);
  }
  // NaN operands and infinities, decided exactly (a*b may overflow on the host).
  if (a !== a || b !== b || c !== c) return NaN;
  if (aa === Infinity || ab === Infinity) {
    if (aa === 0 || ab === 0) return NaN; // inf * 0
    const pinf = (a < 0) !== (b < 0) ? -Infinity : Infinity;
    return ac === Infinity && c !== pinf ? NaN : pinf;
  }
  if (ac === Infinity) return c;
  if (aa === 0 || ab === 0) return addD(s, p, c, mode); // p is the exact signed zero
  return fmaExact(s, a, b, c, mode, zeroSum(p, c, mode));
}
