// Arithmetic instructions: fadd fsub fmul fdiv fsqrt and the fused multiply-adds, S and D.
// One dedicated function per instruction (no shared closure calling a captured op): each stays
// monomorphic, so the engine can inline the arithmetic into it. The rounding mode is resolved
// before anything is written, so a reserved mode traps with no side effect.

import type { CpuState } from '../cpu/state.ts';
import { FFLAG_NV } from '../cpu/state.ts';
import { roundingMode } from './rounding.ts';
import { isSNaNRegD, isSNaNRegS, readS, writeD, writeS } from './bits.ts';
import { isSNaN, type FpuOp, type Prec } from './operands.ts';
import { addD, divD, fmaD, mulD, sqrtD } from './double.ts';
import { addS, divS, fmaS, mulS, sqrtS } from './single.ts';

/** NV for a NaN result of a two-operand op: a signalling operand, or no NaN operand at all. */
function nanFlags2(p: Prec, s: CpuState, rs1: number, rs2: number, a: number, b: number): void {
  if (isSNaN(p, s, rs1) || isSNaN(p, s, rs2) || (a === a && b === b)) s.fflags |= FFLAG_NV;
}

/** NV for a NaN result of a fused op; inf * 0 is invalid even with a quiet NaN addend (RISC-V). */
function nanFlags3(p: Prec, s: CpuState, rs1: number, rs2: number, rs3: number, a: number, b: number, c: number): void {
  const infTimesZero = (Math.abs(a) === Infinity && b === 0) || (a === 0 && Math.abs(b) === Infinity);
  if (isSNaN(p, s, rs1) || isSNaN(p, s, rs2) || isSNaN(p, s, rs3) || infTimesZero || (a === a && b === b && c === c)) {
    s.fflags |= FFLAG_NV;
  }
}

export const faddD: FpuOp = (s, rd, rs1, rs2, _rs3, rm) => {
  const a = s.f64[rs1];
  const b = s.f64[rs2];
  const r = addD(s, a, b, roundingMode(s, rm));
  if (r !== r) nanFlags2('D', s, rs1, rs2, a, b);
  writeD(s, rd, r);
};
export const fsubD: FpuOp = (s, rd, rs1, rs2, _rs3, rm) => {
  const a = s.f64[rs1];
  const b = s.f64[rs2];
  const r = addD(s, a, -b, roundingMode(s, rm));
  if (r !== r) nanFlags2('D', s, rs1, rs2, a, b);
  writeD(s, rd, r);
};
export const fmulD: FpuOp = (s, rd, rs1, rs2, _rs3, rm) => {
  const a = s.f64[rs1];
  const b = s.f64[rs2];
  const r = mulD(s, a, b, roundingMode(s, rm));
  if (r !== r) nanFlags2('D', s, rs1, rs2, a, b);
  writeD(s, rd, r);
};
export const fdivD: FpuOp = (s, rd, rs1, rs2, _rs3, rm) => {
  const a = s.f64[rs1];
  const b = s.f64[rs2];
  const r = divD(s, a, b, roundingMode(s, rm));
  if (r !== r) nanFlags2('D', s, rs1, rs2, a, b);
  writeD(s, rd, r);
};
export const fsqrtD: FpuOp = (s, rd, rs1, _rs2, _rs3, rm) => {
  const a = s.f64[rs1];
  const r = sqrtD(s, a, roundingMode(s, rm));
  if (r !== r && (a === a || isSNaNRegD(s, rs1))) s.fflags |= FFLAG_NV;
  writeD(s, rd, r);
};
// fmsub = a*b - c, fnmsub = -(a*b) + c, fnmadd = -(a*b) - c, each with a single rounding.
export const fmaddD: FpuOp = (s, rd, rs1, rs2, rs3, rm) => {
  const a = s.f64[rs1];
  const b = s.f64[rs2];
  const c = s.f64[rs3];
  const r = fmaD(s, a, b, c, roundingMode(s, rm));
  if (r !== r) nanFlags3('D', s, rs1, rs2, rs3, a, b, c);
  writeD(s, rd, r);
};
export const fmsubD: FpuOp = (s, rd, rs1, rs2, rs3, rm) => {
  const a = s.f64[rs1];
  const b = s.f64[rs2];
  const c = s.f64[rs3];
  const r = fmaD(s, a, b, -c, roundingMode(s, rm));
  if (r !== r) nanFlags3('D', s, rs1, rs2, rs3, a, b, c);
  writeD(s, rd, r);
};
export const fnmsubD: FpuOp = (s, rd, rs1, rs2, rs3, rm) => {
  const a = s.f64[rs1];
  const b = s.f64[rs2];
  const c = s.f64[rs3];
  const r = fmaD(s, -a, b, c, roundingMode(s, rm));
  if (r !== r) nanFlags3('D', s, rs1, rs2, rs3, a, b, c);
  writeD(s, rd, r);
};
export const fnmaddD: FpuOp = (s, rd, rs1, rs2, rs3, rm) => {
  const a = s.f64[rs1];
  const b = s.f64[rs2];
  const c = s.f64[rs3];
  const r = fmaD(s, -a, b, -c, roundingMode(s, rm));
  if (r !== r) nanFlags3('D', s, rs1, rs2, rs3, a, b, c);
  writeD(s, rd, r);
};

export const faddS: FpuOp = (s, rd, rs1, rs2, _rs3, rm) => {
  const a = readS(s, rs1);
  const b = readS(s, rs2);
  const r = addS(s, a, b, roundingMode(s, rm));
  if (r !== r) nanFlags2('S', s, rs1, rs2, a, b);
  writeS(s, rd, r);
};
export const fsubS: FpuOp = (s, rd, rs1, rs2, _rs3, rm) => {
  const a = readS(s, rs1);
  const b = readS(s, rs2);
  const r = addS(s, a, -b, roundingMode(s, rm));
  if (r !== r) nanFlags2('S', s, rs1, rs2, a, b);
  writeS(s, rd, r);
};
export const fmulS: FpuOp = (s, rd, rs1, rs2, _rs3, rm) => {
  const a = readS(s, rs1);
  const b = readS(s, rs2);
  const r = mulS(s, a, b, roundingMode(s, rm));
  if (r !== r) nanFlags2('S', s, rs1, rs2, a, b);
  writeS(s, rd, r);
};
export const fdivS: FpuOp = (s, rd, rs1, rs2, _rs3, rm) => {
  const a = readS(s, rs1);
  const b = readS(s, rs2);
  const r = divS(s, a, b, roundingMode(s, rm));
  if (r !== r) nanFlags2('S', s, rs1, rs2, a, b);
  writeS(s, rd, r);
};
export const fsqrtS: FpuOp = (s, rd, rs1, _rs2, _rs3, rm) => {
  const a = readS(s, rs1);
  const r = sqrtS(s, a, roundingMode(s, rm));
  if (r !== r && (a === a || isSNaNRegS(s, rs1))) s.fflags |= FFLAG_NV;
  writeS(s, rd, r);
};
export const fmaddS: FpuOp = (s, rd, rs1, rs2, rs3, rm) => {
  const a = readS(s, rs1);
  const b = readS(s, rs2);
  const c = readS(s, rs3);
  const r = fmaS(s, a, b, c, roundingMode(s, rm));
  if (r !== r) nanFlags3('S', s, rs1, rs2, rs3, a, b, c);
  writeS(s, rd, r);
};
export const fmsubS: FpuOp = (s, rd, rs1, rs2, rs3, rm) => {
  const a = readS(s, rs1);
  const b = readS(s, rs2);
  const c = readS(s, rs3);
  const r = fmaS(s, a, b, -c, roundingMode(s, rm));
  if (r !== r) nanFlags3('S', s, rs1, rs2, rs3, a, b, c);
  writeS(s, rd, r);
};
export const fnmsubS: FpuOp = (s, rd, rs1, rs2, rs3, rm) => {
  const a = readS(s, rs1);
  const b = readS(s, rs2);
  const c = readS(s, rs3);
  const r = fmaS(s, -a, b, c, roundingMode(s, rm));
  if (r !== r) nanFlags3('S', s, rs1, rs2, rs3, a, b, c);
  writeS(s, rd, r);
};
export const fnmaddS: FpuOp = (s, rd, rs1, rs2, rs3, rm) => {
  const a = readS(s, rs1);
  const b = readS(s, rs2);
  const c = readS(s, rs3);
  const r = fmaS(s, -a, b, -c, roundingMode(s, rm));
  if (r !== r) nanFlags3('S', s, rs1, rs2, rs3, a, b, c);
  writeS(s, rd, r);
};
