// Conversions between floating point and integers. Float-to-int rounds to an integral value in
// the requested mode and saturates out-of-range inputs (NaN counts as +large) with NV, per the
// ISA manual's fcvt table; int-to-float splits a 64-bit register into exactly representable
// halves whose TwoSum gives the exact residual for the mode.

import type { CpuState } from '../cpu/state.ts';
import { FFLAG_NV, FFLAG_NX } from '../cpu/state.ts';
import { RDN, RMM, RNE, RTZ, RUP } from './rounding.ts';
import { finishD } from './double.ts';
import { roundS } from './single.ts';
import { twoSumErr } from './eft.ts';

export const INT32_LIMITS = [-(2 ** 31), 2 ** 31] as const;
export const UINT32_LIMITS = [0, 2 ** 32] as const;
export const INT64_LIMITS = [-(2 ** 63), 2 ** 63] as const;
export const UINT64_LIMITS = [0, 2 ** 64] as const;

/**
 * Float value x (a double holding either precision) rounded to an integer in mode and checked
 * against [min, maxExclusive). In range: the integer, with NX if inexact. Out of range or NaN:
 * NV and -Infinity / +Infinity meaning "saturate to the minimum / maximum" (NaN saturates high).
 */
export function floatToInt(s: CpuState, x: number, mode: number, min: number, maxExclusive: number): number {
  if (x !== x) {
    s.fflags |= FFLAG_NV;
    return Infinity;
  }
  const t = Math.trunc(x); // |x| >= 2^52 is already integral
  const frac = x - t; // exact (same sign, |t| <= |x|)
  let r = t;
  if (frac !== 0) {
    const half = Math.abs(frac);
    const dir = frac > 0 ? 1 : -1;
    switch (mode) {
      case RNE:
        if (half > 0.5 || (half === 0.5 && t % 2 !== 0)) r = t + dir;
        break;
      case RMM:
        if (half >= 0.5) r = t + dir;
        break;
      case RDN:
        if (dir < 0) r = t - 1;
        break;
      case RUP:
        if (dir > 0) r = t + 1;
        break;
      case RTZ:
        break;
    }
  }
  if (r >= min && r < maxExclusive) {
    if (frac !== 0) s.fflags |= FFLAG_NX;
    return r;
  }
  s.fflags |= FFLAG_NV;
  return x < 0 ? -Infinity : Infinity;
}

/** Write a floatToInt result for a 32-bit destination (sign-extended, as fcvt.w[u] requires). */
export function writeInt32Result(s: CpuState, rd: number, v: number, signed: boolean): void {
  let w: number;
  if (v === Infinity) w = signed ? 0x7fffffff : -1;
  else if (v === -Infinity) w = signed ? -0x80000000 : 0;
  else w = v | 0; // integral and in range; unsigned values wrap to their 32-bit pattern
  s.x[2 * rd] = w;
  s.x[2 * rd + 1] = w >> 31;
}

/** Write a floatToInt result for a 64-bit destination. */
export function writeInt64Result(s: CpuState, rd: number, v: number, signed: boolean): void {
  if (v === Infinity) {
    s.x[2 * rd] = -1;
    s.x[2 * rd + 1] = signed ? 0x7fffffff : -1;
  } else if (v === -Infinity) {
    s.x[2 * rd] = 0;
    s.x[2 * rd + 1] = signed ? -0x80000000 : 0;
  } else {
    const hi = Math.floor(v / 4294967296);
    s.x[2 * rd] = v - hi * 4294967296;
    s.x[2 * rd + 1] = hi;
  }
}

// ---- integer sources --------------------------------------------------------------------------

/** Value of x[r] as a 64-bit integer split as hi * 2^32 + lo (both exact doubles). */
function hiPart(s: CpuState, r: number, signed: boolean): number {
  const hi = s.x[2 * r + 1];
  return (signed ? hi : hi >>> 0) * 4294967296;
}

export function int64ToD(s: CpuState, r: number, signed: boolean, mode: number): number {
  const hi = hiPart(s, r, signed);
  const lo = s.x[2 * r] >>> 0;
  const v = hi + lo;
  return finishD(s, v, twoSumErr(hi, lo, v), mode);
}

export function int64ToS(s: CpuState, r: number, signed: boolean, mode: number): number {
  const hi = hiPart(s, r, signed);
  const lo = s.x[2 * r] >>> 0;
  const v = hi + lo;
  return roundS(s, v, twoSumErr(hi, lo, v), mode);
}

export function int32ToS(s: CpuState, r: number, signed: boolean, mode: number): number {
  const w = s.x[2 * r];
  return roundS(s, signed ? w : w >>> 0, 0, mode);
}

export function int32ToD(s: CpuState, r: number, signed: boolean): number {
  const w = s.x[2 * r];
  return signed ? w : w >>> 0; // always exact
}
