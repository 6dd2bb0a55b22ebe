// fcvt instructions: float <-> integer and single <-> double.

import { FFLAG_NV } from '../cpu/state.ts';
import { roundingMode } from './rounding.ts';
import { isSNaNRegD, isSNaNRegS, readS, writeD, writeS } from './bits.ts';
import { read, write, type FpuOp, type Prec } from './operands.ts';
import { doubleToS } from './single.ts';
import {
  INT32_LIMITS,
  INT64_LIMITS,
  UINT32_LIMITS,
  UINT64_LIMITS,
  floatToInt,
  int32ToD,
  int32ToS,
  int64ToD,
  int64ToS,
  writeInt32Result,
  writeInt64Result,
} from './convert.ts';

export type IntType = 'w' | 'wu' | 'l' | 'lu';
const LIMITS: Record<IntType, readonly [number, number]> = { w: INT32_LIMITS, wu: UINT32_LIMITS, l: INT64_LIMITS, lu: UINT64_LIMITS };

export function toInt(p: Prec, t: IntType): FpuOp {
  const [min, maxEx] = LIMITS[t];
  const signed = t === 'w' || t === 'l';
  const wide = t === 'l' || t === 'lu';
  return (s, rd, rs1, _rs2, _rs3, rm) => {
    const mode = roundingMode(s, rm);
    const v = floatToInt(s, read(p, s, rs1), mode, min, maxEx);
    if (wide) writeInt64Result(s, rd, v, signed);
    else writeInt32Result(s, rd, v, signed);
  };
}

export function fromInt(p: Prec, t: IntType): FpuOp {
  const signed = t === 'w' || t === 'l';
  const wide = t === 'l' || t === 'lu';
  return (s, rd, rs1, _rs2, _rs3, rm) => {
    const mode = roundingMode(s, rm);
    let v: number;
    if (p === 'S') v = wide ? int64ToS(s, rs1, signed, mode) : int32ToS(s, rs1, signed, mode);
    else v = wide ? int64ToD(s, rs1, signed, mode) : int32ToD(s, rs1, signed);
    write(p, s, rd, v);
  };
}

export const fcvtSD: FpuOp = (s, rd, rs1, _rs2, _rs3, rm) => {
  const mode = roundingMode(s, rm);
  const v = s.f64[rs1];
  if (v !== v && isSNaNRegD(s, rs1)) s.fflags |= FFLAG_NV;
  writeS(s, rd, doubleToS(s, v, mode));
};

export const fcvtDS: FpuOp = (s, rd, rs1, _rs2, _rs3, rm) => {
  roundingMode(s, rm); // exact, but a reserved rm is still illegal
  const v = readS(s, rs1);
  if (v !== v && isSNaNRegS(s, rs1)) s.fflags |= FFLAG_NV;
  writeD(s, rd, v);
};
