// Sign injection, min/max, comparisons, classification and raw moves.

import { boxedBitsS, writeX32 } from './bits.ts';
import { isSNaN, read, write, writeBool, type FpuOp, type Prec } from './operands.ts';
import { feq, fle, flt, fminmax } from './compare.ts';
import { fclassD, fclassS } from './classify.ts';

type SignMode = 'copy' | 'negate' | 'xor';

function injectSign(sign1: number, sign2: number, how: SignMode): number {
  if (how === 'copy') return sign2;
  if (how === 'negate') return sign2 ^ 0x80000000;
  return sign1 ^ sign2;
}

/** fsgnj* on raw bits so NaN payloads survive; singles use their boxed-or-canonical bits. */
export function signInjection(p: Prec, how: SignMode): FpuOp {
  if (p === 'S') {
    return (s, rd, rs1, rs2) => {
      const a = boxedBitsS(s, rs1);
      const b = boxedBitsS(s, rs2);
      s.fi[2 * rd] = (a & 0x7fffffff) | (injectSign(a & 0x80000000, b & 0x80000000, how) & 0x80000000);
      s.fi[2 * rd + 1] = -1;
    };
  }
  return (s, rd, rs1, rs2) => {
    const lo = s.fi[2 * rs1];
    const a = s.fi[2 * rs1 + 1];
    const b = s.fi[2 * rs2 + 1];
    s.fi[2 * rd] = lo;
    s.fi[2 * rd + 1] = (a & 0x7fffffff) | (injectSign(a & 0x80000000, b & 0x80000000, how) & 0x80000000);
  };
}

export function minMax(p: Prec, max: boolean): FpuOp {
  return (s, rd, rs1, rs2) => {
    const anySNaN = isSNaN(p, s, rs1) || isSNaN(p, s, rs2);
    write(p, s, rd, fminmax(s, read(p, s, rs1), read(p, s, rs2), anySNaN, max));
  };
}

export function compare(p: Prec, kind: 'eq' | 'lt' | 'le'): FpuOp {
  return (s, rd, rs1, rs2) => {
    const a = read(p, s, rs1);
    const b = read(p, s, rs2);
    let v: number;
    if (kind === 'eq') v = feq(s, a, b, isSNaN(p, s, rs1) || isSNaN(p, s, rs2));
    else if (kind === 'lt') v = flt(s, a, b);
    else v = fle(s, a, b);
    writeBool(s, rd, v);
  };
}

export const fclassOpS: FpuOp = (s, rd, rs1) => writeBool(s, rd, fclassS(boxedBitsS(s, rs1)));
export const fclassOpD: FpuOp = (s, rd, rs1) => writeBool(s, rd, fclassD(s.fi[2 * rs1 + 1], s.fi[2 * rs1]));

// Raw moves: no NaN-boxing check on fmv.x.w, which sign-extends the low word.
export const fmvXW: FpuOp = (s, rd, rs1) => writeX32(s, rd, s.fi[2 * rs1]);
export const fmvWX: FpuOp = (s, rd, rs1) => {
  s.fi[2 * rd] = s.x[2 * rs1];
  s.fi[2 * rd + 1] = -1;
};
export const fmvXD: FpuOp = (s, rd, rs1) => {
  const lo = s.fi[2 * rs1];
  s.x[2 * rd + 1] = s.fi[2 * rs1 + 1];
  s.x[2 * rd] = lo;
};
export const fmvDX: FpuOp = (s, rd, rs1) => {
  const lo = s.x[2 * rs1];
  s.fi[2 * rd + 1] = s.x[2 * rs1 + 1];
  s.fi[2 * rd] = lo;
};
