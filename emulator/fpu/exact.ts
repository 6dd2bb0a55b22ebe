// Exact slow path: operands become integer significands (BigInt) scaled by powers of two, the
// operation is done exactly, and one correct rounding follows. double.ts uses it only where its
// error-free fast paths cannot be exact (overflow and underflow boundaries, subnormal operands or
// results, extreme exponents): never on the common path. The tests also use it, rounding to
// binary32, as an independent reference for single.ts.

import type { CpuState } from '../cpu/state.ts';
import { FFLAG_NX, FFLAG_OF, FFLAG_UF } from '../cpu/state.ts';
import { RDN, RMM, RNE, RUP, overflowResult } from './rounding.ts';
import { MAX_D, MAX_S, highWordD } from './bits.ts';

/** A binary interchange format: significand bits and normal exponent range. */
export interface Format {
  p: number;
  emin: number;
  emax: number;
  maxFinite: number;
}
export const BINARY64: Format = { p: 53, emin: -1022, emax: 1023, maxFinite: MAX_D };
/** Only the tests round to binary32 here (as an independent reference for single.ts). */
export const BINARY32: Format = { p: 24, emin: -126, emax: 127, maxFinite: MAX_S };

const LSB_MIN_D = -1074; // exponent of the smallest double subnormal

/** An exact value (-1)^neg * m * 2^e. */
interface Exact {
  neg: boolean;
  m: bigint;
  e: number;
}

/** Decompose a finite double exactly. */
export function unpackD(x: number): Exact {
  const hi = highWordD(x);
  const neg = hi < 0;
  const ax = Math.abs(x);
  if (ax === 0) return { neg, m: 0n, e: 0 };
  const bexp = (hi >>> 20) & 0x7ff;
  const e = bexp === 0 ? LSB_MIN_D : bexp - 1075;
  return { neg, m: BigInt(ax / 2 ** e), e }; // ax / 2^e is an integer < 2^53: exact
}

function bitLength(m: bigint): number {
  return m === 0n ? 0 : m.toString(2).length;
}

/** m * 2^e rounded to an integer multiple of 2^lsb (as that multiple) under mode. */
function roundAt(neg: boolean, m: bigint, e: number, lsb: number, mode: number): { q: bigint; inexact: boolean } {
  const shift = lsb - e;
  if (shift <= 0) return { q: m << BigInt(-shift), inexact: false };
  const sh = BigInt(shift);
  let q = m >> sh;
  const rem = m - (q << sh);
  if (rem === 0n) return { q, inexact: false };
  const half = 1n << (sh - 1n);
  let up: boolean;
  switch (mode) {
    case RNE:
      up = rem > half || (rem === half && (q & 1n) === 1n);
      break;
    case RMM:
      up = rem >= half;
      break;
    case RDN:
      up = neg;
      break;
    case RUP:
      up = !neg;
      break;
    default:
      up = false;
  }
  if (up) q += 1n;
  return { q, inexact: true };
}

/**
 * Round (-1)^neg * (m * 2^e + sticky) to fmt, where sticky means "plus a nonzero amount below
 * 2^e" and then m must have at least p + 2 bits. Accrues NX/UF/OF (tininess after rounding).
 * A zero m is returned as a zero of sign neg (callers apply the IEEE zero-sign rules first).
 */
export function roundExact(s: CpuState, fmt: Format, neg: boolean, m: bigint, e: number, sticky: boolean, mode: number): number {
  const { p: P, emin: EMIN, emax: EMAX } = fmt;
  if (sticky) {
    // Fold the sticky amount into an extra low bit: it lies strictly between the same
    // rounding boundaries as the true value because rounding happens >= 2 bits higher.
    m = (m << 2n) | 1n;
    e -= 2;
  }
  if (m === 0n) return neg ? -0 : 0;
  const top = e + bitLength(m) - 1; // exponent of the leading bit
  const lsb = Math.max(top - (P - 1), EMIN - (P - 1));
  const { q, inexact } = roundAt(neg, m, e, lsb, mode);
  if (q !== 0n && bitLength(q) + lsb - 1 > EMAX) {
    s.fflags |= FFLAG_OF | FFLAG_NX;
    return overflowResult(neg, mode, fmt.maxFinite);
  }
  if (inexact) {
    s.fflags |= FFLAG_NX;
    // Tininess after rounding: would the result, rounded with unbounded exponent, be < 2^EMIN?
    if (top < EMIN) {
      const u = roundAt(neg, m, e, top - (P - 1), mode);
      if (bitLength(u.q) + top - (P - 1) - 1 < EMIN) s.fflags |= FFLAG_UF;
    }
  }
  const mag = Number(q) * 2 ** lsb; // q <= 2^P and the product is representable: exact
  return neg ? -mag : mag;
}

// The operations take finite doubles (singles are doubles too) and round to fmt.

/** Exact a + b, rounded; an exact zero sum gets sign zeroSign. */
export function addExact(s: CpuState, a: number, b: number, mode: number, zeroSign: number, fmt = BINARY64): number {
  return sumAndRound(s, fmt, unpackD(a), unpackD(b), mode, zeroSign);
}

function sumAndRound(s: CpuState, fmt: Format, x: Exact, y: Exact, mode: number, zeroSign: number): number {
  const e = Math.min(x.e, y.e);
  const xs = (x.neg ? -x.m : x.m) << BigInt(x.e - e);
  const ys = (y.neg ? -y.m : y.m) << BigInt(y.e - e);
  const sum = xs + ys;
  if (sum === 0n) return zeroSign;
  return roundExact(s, fmt, sum < 0n, sum < 0n ? -sum : sum, e, false, mode);
}

/** Exact a * b, rounded. */
export function mulExact(s: CpuState, a: number, b: number, mode: number, fmt = BINARY64): number {
  const x = unpackD(a);
  const y = unpackD(b);
  return roundExact(s, fmt, x.neg !== y.neg, x.m * y.m, x.e + y.e, false, mode);
}

/** Exact a * b + c, rounded; an exact zero result gets sign zeroSign. */
export function fmaExact(s: CpuState, a: number, b: number, c: number, mode: number, zeroSign: number, fmt = BINARY64): number {
  const x = unpackD(a);
  const y = unpackD(b);
  const prod: Exact = { neg: x.neg !== y.neg, m: x.m * y.m, e: x.e + y.e };
  return sumAndRound(s, fmt, prod, unpackD(c), mode, zeroSign);
}

/** Quotient and root keep this many bits before rounding (>= p + 2 for both formats). */
const WORK_BITS = 56;

/** Exact a / b for b nonzero, rounded. */
export function divExact(s: CpuState, a: number, b: number, mode: number, fmt = BINARY64): number {
  const x = unpackD(a);
  const y = unpackD(b);
  const neg = x.neg !== y.neg;
  if (x.m === 0n) return neg ? -0 : 0;
  // Scale the dividend so the integer quotient has at least WORK_BITS bits.
  const k = Math.max(0, WORK_BITS + 1 + bitLength(y.m) - bitLength(x.m));
  const num = x.m << BigInt(k);
  const q = num / y.m;
  return roundExact(s, fmt, neg, q, x.e - y.e - k, q * y.m !== num, mode);
}

/** Integer square root (floor) of n >= 0. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2)); // >= sqrt(n)
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Exact sqrt(a) for a > 0, rounded. */
export function sqrtExact(s: CpuState, a: number, mode: number, fmt = BINARY64): number {
  const x = unpackD(a);
  // Shift so the root has at least WORK_BITS bits and the exponent is even.
  let k = Math.max(0, 2 * WORK_BITS - bitLength(x.m));
  if ((x.e - k) % 2 !== 0) k++;
  const n = x.m << BigInt(k);
  const r = isqrt(n);
  return roundExact(s, fmt, false, r, (x.e - k) / 2, r * r !== n, mode);
}
