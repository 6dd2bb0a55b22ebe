// Binary32 arithmetic. Operands are singles held exactly in doubles; each operation is done in
// double together with its exact residual (sum and product of singles, remainder of quotient and
// root), and roundS rounds "double value + residual" to single in the requested mode, including
// subnormal results, tininess after rounding and overflow. No BigInt needed: single-precision
// intermediates never leave the double's normal range.

import type { CpuState } from '../cpu/state.ts';
import { FFLAG_DZ, FFLAG_NX, FFLAG_OF, FFLAG_UF } from '../cpu/state.ts';
import { RDN, RMM, RNE, RTZ, RUP, overflowResult, zeroSum } from './rounding.ts';
import { MAX_S, MIN_NORMAL_S, nextDownS, nextUpS } from './bits.ts';
import { twoProdErr, twoSumErr } from './eft.ts';

const TWO_127 = 2 ** 127;
const TWO_64 = 2 ** 64;
const TWO_M64 = 2 ** -64;
const MAX_S_SCALED = MAX_S * TWO_M64;
const MIN_NORMAL_S_SCALED = MIN_NORMAL_S * TWO_64;

/** Side result of roundCore: was the rounding inexact? (module-level to avoid allocation) */
let inexact = false;

/**
 * Round the exact value X to single in mode, with fround's exponent range (gradual underflow,
 * overflow to infinity). v is X rounded to nearest double; e stands for the residual X - v: only
 * its sign is used (zero iff v is exact), so a remainder with the residual's sign will do. Since
 * every single midpoint is a double, X and v are on the same side of any single midpoint, and the
 * residual is smaller than any nonzero v - fround(v).
 */
function roundCore(v: number, e: number, mode: number): number {
  const f = Math.fround(v); // RNE of v
  const d = v - f; // exact
  // Residual of the exact value relative to f: d dominates e whenever d is nonzero.
  const r = d !== 0 ? d : e;
  if (r === 0) {
    inexact = false;
    return f;
  }
  inexact = true;
  // RNE: fround(v) is right unless v is a midpoint that the exact value v + e is not on.
  if (mode === RNE && (e === 0 || d === 0)) return f;
  const n = r > 0 ? nextUpS(f) : nextDownS(f); // the other candidate
  const halfway = Math.abs(d) * 2 === Math.abs(n - f); // v sits on the midpoint of f and n
  switch (mode) {
    case RNE:
      return halfway && e !== 0 && e > 0 === d > 0 ? n : f;
    case RMM:
      if (!halfway) return f;
      if (e === 0) return Math.abs(n) > Math.abs(f) ? n : f;
      return e > 0 === d > 0 ? n : f;
    case RTZ:
      return Math.abs(n) < Math.abs(f) ? n : f;
    case RDN:
      return r < 0 ? n : f;
    case RUP:
      return r > 0 ? n : f;
  }
  return f;
}

/** Round the exact value v + e (v finite; e as for roundCore) to single in mode, accruing NX/UF/OF. */
export function roundS(s: CpuState, v: number, e: number, mode: number): number {
  const av = Math.abs(v);
  if (av > MIN_NORMAL_S && av < TWO_127) {
    const f = roundCore(v, e, mode);
    if (inexact) s.fflags |= FFLAG_NX;
    return f;
  }
  if (av >= TWO_127) {
    // Round with the exponent scaled down so overflow is seen before fround saturates.
    const t = roundCore(v * TWO_M64, e * TWO_M64, mode);
    if (Math.abs(t) > MAX_S_SCALED) {
      s.fflags |= FFLAG_OF | FFLAG_NX;
      return overflowResult(v < 0, mode, MAX_S);
    }
    if (inexact) s.fflags |= FFLAG_NX;
    return t * TWO_64;
  }
  const f = roundCore(v, e, mode);
  if (!inexact) return f;
  s.fflags |= FFLAG_NX;
  // Tininess after rounding: round again with unbounded exponent range (scaled up).
  if (Math.abs(roundCore(v * TWO_64, e * TWO_64, mode)) < MIN_NORMAL_S_SCALED) s.fflags |= FFLAG_UF;
  return f;
}

// The operations below take single values (exact doubles) and return NaN for NaN results.

export function addS(s: CpuState, a: number, b: number, mode: number): number {
  const r = a + b; // no overflow in double
  if (r - r !== 0) return r; // NaN or infinity (only from infinite operands): exact
  const e = twoSumErr(a, b, r);
  if (r === 0 && e === 0) return zeroSum(a, b, mode);
  return roundS(s, r, e, mode);
}

export function mulS(s: CpuState, a: number, b: number, mode: number): number {
  const r = a * b; // exact: 48-bit significand, exponent within double range
  if (r - r !== 0 || r === 0) return r;
  return roundS(s, r, 0, mode);
}

export function divS(s: CpuState, a: number, b: number, mode: number): number {
  const q = a / b;
  if (q - q !== 0 || q === 0) {
    if (b === 0 && a - a === 0 && a !== 0) s.fflags |= FFLAG_DZ;
    return q;
  }
  const p = q * b;
  const rem = a - p - twoProdErr(q, b, p); // exact remainder
  return roundS(s, q, b > 0 ? rem : -rem, mode);
}

export function sqrtS(s: CpuState, a: number, mode: number): number {
  const r = Math.sqrt(a);
  if (r - r !== 0 || r === 0) return r; // NaN, +inf, +-0
  const p = r * r;
  return roundS(s, r, a - p - twoProdErr(r, r, p), mode);
}

/** a * b + c, single rounding; callers negate operands for the other fused forms. */
export function fmaS(s: CpuState, a: number, b: number, c: number, mode: number): number {
  const p = a * b; // exact in double
  const r = p + c;
  if (r - r !== 0) return r; // NaN (inf*0, inf-inf, NaN operand) or infinity: exact
  const e = twoSumErr(p, c, r);
  if (r === 0 && e === 0) return zeroSum(p, c, mode);
  return roundS(s, r, e, mode);
}

/** Convert a double (finite or not) to single. */
export function doubleToS(s: CpuState, v: number, mode: number): number {
  if (v - v !== 0 || v === 0) return v;
  return roundS(s, v, 0, mode);
}

