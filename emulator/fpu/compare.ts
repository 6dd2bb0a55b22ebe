// Comparisons and min/max. Values arrive as numbers; the NaN-ness checks that need raw bits
// (signalling or not) are passed in by the caller, which can see the registers.

import type { CpuState } from '../cpu/state.ts';
import { FFLAG_NV } from '../cpu/state.ts';

/** feq: quiet comparison, NV only for signalling NaN operands. */
export function feq(s: CpuState, a: number, b: number, anySNaN: boolean): number {
  if (anySNaN) s.fflags |= FFLAG_NV;
  return a === b ? 1 : 0; // NaN compares unequal; -0 === +0
}

/** flt / fle: signalling comparisons, NV for any NaN operand. */
export function flt(s: CpuState, a: number, b: number): number {
  if (a !== a || b !== b) s.fflags |= FFLAG_NV;
  return a < b ? 1 : 0;
}

export function fle(s: CpuState, a: number, b: number): number {
  if (a !== a || b !== b) s.fflags |= FFLAG_NV;
  return a <= b ? 1 : 0;
}

/**
 * IEEE 754-2019 minimumNumber / maximumNumber as RISC-V F 2.2 defines fmin/fmax: a NaN
 * operand yields the other operand, two NaNs the canonical NaN (returned as NaN), -0 < +0.
 * NV is raised for any signalling NaN operand even when the result is not NaN.
 */
export function fminmax(s: CpuState, a: number, b: number, anySNaN: boolean, max: boolean): number {
  if (anySNaN) s.fflags |= FFLAG_NV;
  if (a !== a) return b;
  if (b !== b) return a;
  if (a === b) {
    if (a !== 0) return a;
    const aNeg = 1 / a < 0;
    const bNeg = 1 / b < 0;
    return max ? (aNeg && bNeg ? -0 : 0) : aNeg || bNeg ? -0 : 0;
  }
  return (a < b) !== max ? a : b;
}
