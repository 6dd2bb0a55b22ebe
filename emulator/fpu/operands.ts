// Register access parameterised by precision, for the op wrappers. Singles are read through
// NaN-boxing (an improperly boxed value reads as the canonical NaN) and written boxed.

import type { CpuState } from '../cpu/state.ts';
import { isSNaNRegD, isSNaNRegS, readS, writeD, writeS } from './bits.ts';

export type Prec = 'S' | 'D';

export type FpuOp = (s: CpuState, rd: number, rs1: number, rs2: number, rs3: number, rm: number) => void;

export function read(p: Prec, s: CpuState, r: number): number {
  return p === 'S' ? readS(s, r) : s.f64[r];
}
export function isSNaN(p: Prec, s: CpuState, r: number): boolean {
  return p === 'S' ? isSNaNRegS(s, r) : isSNaNRegD(s, r);
}
export function write(p: Prec, s: CpuState, rd: number, v: number): void {
  if (p === 'S') writeS(s, rd, v);
  else writeD(s, rd, v);
}
/** Write a small non-negative integer result (0/1, fclass mask) to x[rd]. */
export function writeBool(s: CpuState, rd: number, v: number): void {
  s.x[2 * rd] = v;
  s.x[2 * rd + 1] = 0;
}
