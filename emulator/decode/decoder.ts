// Decode one 32-bit instruction word against the opcode table (decode once: the result
// is cached per page by the decode cache, so this is not on the hot path).

import { OPS_BY_MAJOR, type Kind, type OpSpec } from './opcodes.ts';
import { X_SINK } from '../cpu/state.ts';

export interface Decoded {
  op: OpSpec | undefined;
  rd: number;
  rs1: number;
  rs2: number;
  rs3: number;
  imm: number;
}

export function findOp(word: number): OpSpec | undefined {
  for (const o of OPS_BY_MAJOR[word & 0x7f]) if ((word & o.mask) === o.match) return o;
  return undefined;
}

export function immediate(o: OpSpec, w: number): number {
  switch (o.fmt) {
    case 'I':
      return w >> 20;
    case 'S':
      return ((w >> 25) << 5) | ((w >>> 7) & 0x1f);
    case 'B':
      return ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 0x3f) << 5) | (((w >>> 8) & 0xf) << 1);
    case 'U':
      return w & 0xfffff000;
    case 'J':
      return ((w >> 31) << 20) | (((w >>> 12) & 0xff) << 12) | (((w >>> 20) & 1) << 11) | (((w >>> 21) & 0x3ff) << 1);
    case 'SH6':
      return (w >>> 20) & 0x3f;
    case 'SH5':
      return (w >>> 20) & 0x1f;
    case 'CSR':
    case 'CSRI':
      return (w >>> 20) & 0xfff;
    case 'R':
    case 'R4':
      return (w >>> 12) & 7; // rm for FP ops
    default:
      return 0;
  }
}

/** Register field as the interpreter stores it (see Kind in opcodes.ts). */
function operand(k: Kind, r: number, isDest: boolean): number {
  switch (k) {
    case 'x':
      return isDest && r === 0 ? 2 * X_SINK : 2 * r;
    case 'X':
      return isDest && r === 0 ? X_SINK : r;
    default:
      return r;
  }
}

export function decode(word: number, out: Decoded): Decoded {
  const o = findOp(word);
  out.op = o;
  if (!o) return out;
  const rd = (word >>> 7) & 31;
  const rs1 = (word >>> 15) & 31;
  const rs2 = (word >>> 20) & 31;
  out.rd = operand(o.rd, rd, true);
  // CSR immediates keep the raw rs1 field (uimm5).
  out.rs1 = o.fmt === 'CSRI' ? rs1 : operand(o.rs1, rs1, false);
  out.rs2 = operand(o.rs2, rs2, false);
  out.rs3 = (word >>> 27) & 31;
  out.imm = immediate(o, word);
  return out;
}
