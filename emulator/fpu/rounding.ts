// Rounding-mode handling shared by every rounding FPU op.

import type { CpuState } from '../cpu/state.ts';
import { IllegalInstruction } from '../cpu/traps.ts';

export const RNE = 0; // round to nearest, ties to even
export const RTZ = 1; // toward zero
export const RDN = 2; // toward -infinity
export const RUP = 3; // toward +infinity
export const RMM = 4; // round to nearest, ties away from zero
export const DYN = 7; // use fcsr.frm

/** The effective rounding mode of an instruction; rm 5/6, or DYN with frm > 4, is illegal. */
export function roundingMode(s: CpuState, rm: number): number {
  const m = rm === DYN ? s.frm : rm;
  if (m > RMM) throw new IllegalInstruction(s.pc, 0, 'reserved rounding mode');
  return m;
}

/** Result of an overflowing operation: infinity or the largest finite value, per mode. */
export function overflowResult(negative: boolean, mode: number, maxFinite: number): number {
  switch (mode) {
    case RTZ:
      return negative ? -maxFinite : maxFinite;
    case RDN:
      return negative ? -Infinity : maxFinite;
    case RUP:
      return negative ? -maxFinite : Infinity;
    default:
      return negative ? -Infinity : Infinity;
  }
}

/**
 * Sign of an exactly-zero sum x + y (x, y the two addends, either possibly zero): IEEE 754 §6.3
 * gives -0 only when both addends are -0, or in RDN whenever they are not both +0.
 */
export function zeroSum(x: number, y: number, mode: number): number {
  if (mode === RDN) return x === 0 && y === 0 && 1 / x > 0 && 1 / y > 0 ? 0 : -0;
  return x === 0 && y === 0 && 1 / x < 0 && 1 / y < 0 ? -0 : 0;
}
