// RV64 F and D instruction semantics (everything but the loads/stores), keyed by the ISA
// manual's lower-case mnemonic. Each op reads its operands before writing rd (rd may alias a
// source), accrues fflags, writes NaN-boxed singles and canonical NaNs, and throws
// IllegalInstruction for a reserved rounding mode. Integer destinations arrive with x0 mapped
// to the sink register 32.

import * as A from './arith-ops.ts';
import { fcvtDS, fcvtSD, fromInt, toInt } from './convert-ops.ts';
import { compare, fclassOpD, fclassOpS, fmvDX, fmvWX, fmvXD, fmvXW, minMax, signInjection } from './misc-ops.ts';
import type { FpuOp, Prec } from './operands.ts';

export type { FpuOp };

/** The non-arithmetic ops of one precision (built from small shared factories). */
function opsFor(p: Prec): Record<string, FpuOp> {
  const x = p === 'S' ? 's' : 'd';
  const ops: Record<string, FpuOp> = {
    [`fsgnj.${x}`]: signInjection(p, 'copy'),
    [`fsgnjn.${x}`]: signInjection(p, 'negate'),
    [`fsgnjx.${x}`]: signInjection(p, 'xor'),
    [`fmin.${x}`]: minMax(p, false),
    [`fmax.${x}`]: minMax(p, true),
    [`feq.${x}`]: compare(p, 'eq'),
    [`flt.${x}`]: compare(p, 'lt'),
    [`fle.${x}`]: compare(p, 'le'),
    [`fclass.${x}`]: p === 'S' ? fclassOpS : fclassOpD,
  };
  for (const t of ['w', 'wu', 'l', 'lu'] as const) {
    ops[`fcvt.${t}.${x}`] = toInt(p, t);
    ops[`fcvt.${x}.${t}`] = fromInt(p, t);
  }
  return ops;
}

export const fpuOps: Record<string, FpuOp> = {
  'fadd.s': A.faddS,
  'fsub.s': A.fsubS,
  'fmul.s': A.fmulS,
  'fdiv.s': A.fdivS,
  'fsqrt.s': A.fsqrtS,
  'fmadd.s': A.fmaddS,
  'fmsub.s': A.fmsubS,
  'fnmsub.s': A.fnmsubS,
  'fnmadd.s': A.fnmaddS,
  'fadd.d': A.faddD,
  'fsub.d': A.fsubD,
  'fmul.d': A.fmulD,
  'fdiv.d': A.fdivD,
  'fsqrt.d': A.fsqrtD,
  'fmadd.d': A.fmaddD,
  'fmsub.d': A.fmsubD,
  'fnmsub.d': A.fnmsubD,
  'fnmadd.d': A.fnmaddD,
  ...opsFor('S'),
  ...opsFor('D'),
  'fcvt.s.d': fcvtSD,
  'fcvt.d.s': fcvtDS,
  'fmv.x.w': fmvXW,
  'fmv.w.x': fmvWX,
  'fmv.x.d': fmvXD,
  'fmv.d.x': fmvDX,
};
